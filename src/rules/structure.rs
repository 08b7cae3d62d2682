//! Structure rules: the six sections (NB101–NB106).

use crate::fix::{block_insertion, section_text, Style};
use crate::format::{self, FormatVersion};
use crate::report::Report;
use crate::{Diagnostic, Edit, Fix, Message, Span};

rules! {
    SECTION_MISSING = "NB101" "section-missing" Error Safe,
        "缺少六个部分之一",
        "One of the six sections is missing",
        "年度报告须包括六个部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项（《政府信息公开条例》第五十条及国办公开办函〔2021〕30号格式）。\n修复：在应有的位置插入标准标题（二、三、四部分连同表格骨架；第一部分连同五个方面的小标题，但其内容已在时只插入标题）。";
    SECTION_ORDER = "NB102" "section-order" Warning None,
        "章节顺序不对",
        "Sections are out of order",
        "六个部分应按一至六的顺序出现。例如“四、政府信息公开行政复议、行政诉讼情况”出现在“三、收到和处理政府信息公开申请情况”之前。";
    SECTION_DUPLICATE = "NB103" "section-duplicate" Warning None,
        "同一部分出现两次",
        "A section appears twice",
        "同一部分的标题出现了两次，通常是复制粘贴留下的重复内容。";
    SECTION_TITLE_NONSTANDARD = "NB104" "section-title-nonstandard" Info Safe,
        "章节标题与规定表述不同",
        "Section heading differs from the official wording",
        "章节标题应使用格式规定的表述，例如“五、存在的主要问题及改进情况”而不是“五、存在的主要问题及改进措施”。这只是提示：实践中这些变体普遍被接受。\n修复：改为规定表述。";
    SECTION_EMPTY = "NB105" "section-empty" Warning Unsafe,
        "章节没有内容",
        "A section has no content",
        "某一部分只有标题，下面什么也没有（第二至四部分缺表格时由 NB201 报告）。第六部分通常应说明信息处理费收取情况，例如“本年度未收取信息处理费，无其他需要报告的事项。”\n修复（需确认）：在第六部分插入这样一句话。";
    OVERVIEW_PART_MISSING = "NB106" "overview-part-missing" Warning None,
        "总体情况缺少五个方面之一",
        "The overview lacks one of its five parts",
        "“一、总体情况”应涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面。";
}

/// Where a missing section `number` belongs: before the next present section, or before the
/// signature, or at the end. 一 goes after the preamble, before the first `（一）` sub-heading.
/// The flag tells whether the section's content is already there, below that point: 一's
/// sub-parts (`（一）主动公开`, `(二)依申请公开情况`…) written without their heading.
fn insertion_point(r: &Report, number: u8) -> (usize, bool) {
    let next = r
        .sections
        .iter()
        .filter(|s| s.number > number)
        .min_by_key(|s| s.span.start);
    match next {
        Some(s) => {
            let line_start = crate::fix::line_start(r.text, s.span.start);
            let at = if s.inline { s.span.start } else { line_start };
            if number == 1 {
                if let Some(p) = first_sub_heading(r.text, at) {
                    return (p, true);
                }
            }
            match unread_table(r, number, at) {
                Some(p) => (p, true),
                None => (at, false),
            }
        }
        None => {
            let at = r.signature.unwrap_or(r.text.len());
            match unread_table(r, number, at) {
                Some(p) => (p, true),
                None => (at, false),
            }
        }
    }
}

/// Where the table of section `number` (二, 三 or 四) starts when it is written before `limit`
/// but was not read as that section's table (its heading is missing, so the table fell into the
/// section before it): the heading goes right above it, and no second table is inserted.
fn unread_table(r: &Report, number: u8, limit: usize) -> Option<usize> {
    // What opens each table, and the header words that may stand on the lines above it.
    let (markers, header, read): (&[&str], &[&str], Option<Span>) = match number {
        2 => (&["第二十条第"], &[], r.disclosure.as_ref().map(|t| t.span)),
        3 => (
            &[
                "本列数据的勾稽关系",
                "申请人情况",
                "本年新收政府信息公开申请数量",
            ],
            &["申请人情况", "自然人", "法人或其他组织", "勾稽"],
            r.application.first().map(|t| t.span),
        ),
        4 => (
            &["结果维持", "结果纠正", "尚未审结"],
            &["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"],
            r.review.first().map(|t| t.span),
        ),
        _ => return None,
    };
    let from = r
        .sections
        .iter()
        .filter(|s| s.number < number && s.span.end <= limit)
        .map(|s| s.span.end)
        .max()
        .unwrap_or(0);
    // The first of its markers in the stretch (they stand in no other table); a table read
    // elsewhere is no concern of this heading.
    if read.is_some_and(|span| span.start >= limit || span.end <= from) {
        return None;
    }
    let first = from
        + markers
            .iter()
            .filter_map(|m| r.text[from..limit].find(m))
            .min()?;
    // The header above the marker (`行政复议`, `行政诉讼` over `结果维持`): the earliest header word
    // close above it, after any table read before it.
    let floor = [
        r.disclosure.as_ref().map(|t| t.span.end),
        r.application.first().map(|t| t.span.end),
        r.review.first().map(|t| t.span.end),
    ]
    .into_iter()
    .flatten()
    .filter(|&end| end <= first)
    .fold(from, usize::max);
    let window = crate::report::floor_boundary(r.text, first.saturating_sub(600)).max(floor);
    let header_at = header
        .iter()
        .filter_map(|h| r.text[window..first].find(h))
        .min()
        .map_or(first, |i| window + i);
    let at = crate::fix::line_start(r.text, header_at);
    Some(at)
}

/// The start of the first line before `limit` that starts with `（一）`/`(一)`.
fn first_sub_heading(text: &str, limit: usize) -> Option<usize> {
    let mut at = 0;
    for line in text[..limit].split_inclusive('\n') {
        let t = line.trim_start_matches(|c: char| c.is_whitespace() || c == '#');
        if t.starts_with("（一）") || t.starts_with("(一)") {
            return Some(at);
        }
        at += line.len();
    }
    None
}

/// Whether the document puts a blank line before its section headings (the first one on a line
/// of its own tells); with no such heading, as the skeletons do.
fn headings_spaced(r: &Report) -> bool {
    r.sections.iter().find(|s| !s.inline).is_none_or(|s| {
        let start = crate::fix::line_start(r.text, s.span.start);
        start == 0 || after_blank_line(r.text, start)
    })
}

/// Whether the line before the one starting at `line_start` is blank (or there is none).
fn after_blank_line(text: &str, line_start: usize) -> bool {
    let before = &text[..line_start];
    let before = before
        .strip_suffix("\r\n")
        .or_else(|| before.strip_suffix(['\n', '\r']))
        .unwrap_or(before);
    let prev = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    before[prev..].trim().is_empty()
}

/// Text to insert at `at` (a line start) so that the heading `line` stands over the content
/// already there: set off by blank lines only when the document sets off its headings so (禄丰's
/// text gains exactly the heading line), and never doubling a blank line already before `at`.
fn heading_insertion(r: &Report, at: usize, line: &str, nl: &str) -> String {
    let mut s = String::new();
    if at > 0 && !matches!(r.text.as_bytes()[at - 1], b'\n' | b'\r') {
        s.push_str(nl);
    }
    let spaced = headings_spaced(r);
    if spaced && at > 0 && !after_blank_line(r.text, crate::fix::line_start(r.text, at)) {
        s.push_str(nl);
    }
    s.push_str(line);
    if spaced && at < r.text.len() {
        s.push_str(nl);
    }
    s
}

pub fn check(r: &Report, style: &Style, version: FormatVersion, out: &mut Vec<Diagnostic>) {
    // NB101 section-missing
    for spec in format::SECTIONS.iter() {
        if r.sections.iter().any(|s| s.number == spec.number) {
            continue;
        }
        let (at, content_present) = insertion_point(r, spec.number);
        // A table already present elsewhere keeps its place, and 一's sub-parts already written
        // below the insertion point stay as they are: insert only the heading. A safe fix never
        // puts placeholder text above real content.
        let has_content = content_present
            || match spec.number {
                2 => r.disclosure.is_some(),
                3 => !r.application.is_empty(),
                4 => !r.review.is_empty(),
                _ => false,
            };
        let block = if has_content {
            format!(
                "{}{}、{}{}",
                style.heading_prefix, spec.numeral, spec.title, style.newline
            )
        } else {
            section_text(spec.number, version, style)
        };
        let new_text = if content_present {
            heading_insertion(r, at, &block, style.newline)
        } else {
            block_insertion(r.text, at, &block, style.newline, true)
        };
        let heading = format!("{}、{}", spec.numeral, spec.title);
        out.push(
            Diagnostic::new(
                &SECTION_MISSING,
                Span::empty(at),
                Message::new(
                    format!("缺少第{}部分“{}”", spec.numeral, heading),
                    format!("Section {} “{}” is missing", spec.number, heading),
                ),
            )
            .with_fix(Fix {
                title: Message::new(format!("插入“{heading}”"), format!("Insert “{heading}”")),
                safe: true,
                edits: vec![Edit {
                    span: Span::empty(at),
                    new_text,
                }],
            }),
        );
    }

    // NB102 section-order, NB103 section-duplicate
    let mut seen: Vec<u8> = Vec::new();
    let mut max = 0;
    for s in &r.sections {
        let title = &r.text[s.span.start..s.span.end];
        if seen.contains(&s.number) {
            out.push(Diagnostic::new(
                &SECTION_DUPLICATE,
                s.span,
                Message::new(
                    format!(
                        "第{}部分“{}”重复出现",
                        format::section(s.number).numeral,
                        title
                    ),
                    format!("Section {} appears more than once", s.number),
                ),
            ));
            continue;
        }
        if s.number < max {
            out.push(Diagnostic::new(
                &SECTION_ORDER,
                s.span,
                Message::new(
                    format!("“{}”应在第{}部分之前", title, format::section(max).numeral),
                    format!("Section {} should come before section {}", s.number, max),
                ),
            ));
        }
        max = max.max(s.number);
        seen.push(s.number);
    }

    // NB104 section-title-nonstandard
    for s in &r.sections {
        if s.official {
            continue;
        }
        let official = format::section(s.number).title;
        let written = &r.text[s.title_span.start..s.title_span.end];
        out.push(
            Diagnostic::new(
                &SECTION_TITLE_NONSTANDARD,
                s.span,
                Message::new(
                    format!("标题“{written}”与规定表述不同：应为“{official}”"),
                    format!("Heading “{written}” differs from the official wording “{official}”"),
                ),
            )
            .with_fix(Fix {
                title: Message::new(format!("改为“{official}”"), format!("Use “{official}”")),
                safe: true,
                edits: vec![Edit {
                    span: s.title_span,
                    new_text: official.to_string(),
                }],
            }),
        );
    }

    // NB105 section-empty, NB106 overview-part-missing
    let mut checked: Vec<u8> = Vec::new();
    for (i, s) in r.sections.iter().enumerate() {
        if checked.contains(&s.number) {
            continue;
        }
        checked.push(s.number);
        let body = r.section_body(i);
        let content = &r.text[body.start..body.end];
        // A section 二–四 without its table is NB201's finding.
        let table_missing = match s.number {
            2 => r.disclosure.is_none(),
            3 => r.application.is_empty(),
            4 => r.review.is_empty(),
            _ => false,
        };
        if content.chars().all(char::is_whitespace) && !table_missing {
            let spec = format::section(s.number);
            let mut d = Diagnostic::new(
                &SECTION_EMPTY,
                s.span,
                Message::new(
                    format!("“{}”下没有内容", &r.text[s.span.start..s.span.end]),
                    format!("Section {} has no content", s.number),
                ),
            );
            if s.number == 6 && !s.inline {
                let at = crate::fix::next_line_start(r.text, s.span.end);
                let sentence = format!(
                    "本年度未收取信息处理费，无其他需要报告的事项。{}",
                    style.newline
                );
                d = d.with_fix(Fix {
                    title: Message::new(
                        "写明“本年度未收取信息处理费，无其他需要报告的事项。”",
                        "State that no processing fee was collected",
                    ),
                    safe: false,
                    edits: vec![Edit {
                        span: Span::empty(at),
                        new_text: block_insertion(r.text, at, &sentence, style.newline, false),
                    }],
                });
            }
            let _ = spec;
            out.push(d);
            continue;
        }
        if s.number == 1 {
            for (part, words) in format::OVERVIEW_PARTS.iter() {
                if !words.iter().any(|w| content.contains(w)) {
                    out.push(Diagnostic::new(
                        &OVERVIEW_PART_MISSING,
                        s.span,
                        Message::new(
                            format!("“总体情况”没有写到“{part}”方面"),
                            format!("The overview does not cover “{part}”"),
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze;

    fn codes(text: &str) -> Vec<(&'static str, String)> {
        let a = analyze(text);
        a.diagnostics
            .iter()
            .map(|d| (d.rule.code, text[d.span.start..d.span.end].to_string()))
            .collect()
    }

    const REPORT: &str = "某局2023年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开\n有。\n（二）依申请公开\n有。\n（三）政府信息管理\n有。\n（四）平台建设\n有。\n（五）监督保障\n有。\n二、主动公开政府信息情况\n见下表。\n三、收到和处理政府信息公开申请情况\n见下表。\n四、政府信息公开行政复议、行政诉讼情况\n无。\n五、存在的主要问题及改进情况\n有。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n";

    #[test]
    fn order_duplicate_title_and_empty() {
        let text = REPORT
            .replace(
                "五、存在的主要问题及改进情况",
                "五、存在的主要问题及改进措施",
            )
            .replace(
                "六、其他需要报告的事项\n本年度未收取信息处理费。\n",
                "六、其他需要报告的事项\n\n二、主动公开政府信息情况\n重复。\n",
            );
        let c = codes(&text);
        assert!(
            c.contains(&("NB104", "五、存在的主要问题及改进措施".into())),
            "{c:?}"
        );
        assert!(
            c.contains(&("NB105", "六、其他需要报告的事项".into())),
            "{c:?}"
        );
        assert!(
            c.contains(&("NB103", "二、主动公开政府信息情况".into())),
            "{c:?}"
        );
        let swapped = REPORT
            .replace("四、政府信息公开行政复议、行政诉讼情况\n无。\n", "")
            .replace(
                "二、主动公开政府信息情况\n",
                "四、政府信息公开行政复议、行政诉讼情况\n无。\n二、主动公开政府信息情况\n",
            );
        let c = codes(&swapped);
        assert!(
            c.iter()
                .any(|(code, t)| *code == "NB102" && t.starts_with("二、")),
            "{c:?}"
        );
        let clean = codes(REPORT);
        assert!(
            !clean.iter().any(|(c, _)| c.starts_with("NB10")),
            "{clean:?}"
        );
    }

    #[test]
    fn overview_parts() {
        let text = REPORT.replace("（四）平台建设\n有。\n", "");
        let c = codes(&text);
        assert!(c.iter().any(|(code, _)| *code == "NB106"), "{c:?}");
    }
}
