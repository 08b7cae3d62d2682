//! Skeletons of the standard headings and tables, written in a document's own table layout,
//! and the edits that insert them.

use crate::format::{self, FormatVersion, TableKind};
use crate::syntax::TableLayout;
use crate::{Analysis, Edit, Fix, Message, OutlineKind, Span};

/// How a document writes things: its table layout, heading marks and line ending.
#[derive(Clone, Debug)]
pub struct Style {
    pub layout: TableLayout,
    /// `## ` when the document's headings are Markdown headings.
    pub heading_prefix: String,
    pub newline: &'static str,
}

impl Style {
    pub fn markdown() -> Style {
        Style {
            layout: TableLayout::Markdown,
            heading_prefix: "## ".into(),
            newline: "\n",
        }
    }

    /// The style of `text`, whose section headings start at `headings`.
    pub fn of(text: &str, layout: TableLayout, headings: &[Span]) -> Style {
        let newline = match memchr::memchr2(b'\n', b'\r', text.as_bytes()) {
            Some(i)
                if text.as_bytes()[i] == b'\r' && text.as_bytes().get(i + 1) == Some(&b'\n') =>
            {
                "\r\n"
            }
            _ => "\n",
        };
        // A heading's span starts at its Markdown marks, if it has any.
        let heading_prefix = headings
            .iter()
            .find_map(|h| {
                let hashes = text[h.start..].bytes().take_while(|&b| b == b'#').count();
                (hashes > 0).then(|| format!("{} ", "#".repeat(hashes)))
            })
            .unwrap_or_else(|| {
                if layout == TableLayout::Markdown && headings.is_empty() {
                    "## ".into()
                } else {
                    String::new()
                }
            });
        let layout = if layout == TableLayout::Flattened {
            TableLayout::Markdown
        } else {
            layout
        };
        Style {
            layout,
            heading_prefix,
            newline,
        }
    }
}

/// Rows of a table as cells; `None` marks a group or header row (rendered without padding
/// in line-per-cell layouts).
fn grid(kind: TableKind, version: FormatVersion) -> Vec<Vec<String>> {
    let s = |x: &str| x.to_string();
    let z = || s("0");
    let e = String::new;
    match kind {
        TableKind::Disclosure => {
            let mut rows: Vec<Vec<String>> = Vec::new();
            let mut block: Option<&str> = None;
            let specs = format::disclosure_rows(version);
            let width = 1 + specs.iter().map(|r| r.cells.len()).max().unwrap_or(1);
            for spec in specs {
                if spec.block != block {
                    block = spec.block;
                    rows.push(vec![s(spec.block.unwrap_or(""))]);
                    let mut header = vec![s("信息内容")];
                    header.extend(spec.columns.iter().map(|c| s(c)));
                    rows.push(header);
                }
                let mut row = vec![s(spec.label)];
                row.extend(spec.cells.iter().map(|_| z()));
                rows.push(row);
            }
            for r in &mut rows {
                r.resize(width, e());
            }
            rows
        }
        TableKind::Application => {
            let mut rows = vec![
                vec![
                    s(format::BALANCE_NOTE),
                    s("申请人情况"),
                    e(),
                    e(),
                    e(),
                    e(),
                    e(),
                    e(),
                ],
                vec![
                    e(),
                    s("自然人"),
                    s("法人或其他组织"),
                    e(),
                    e(),
                    e(),
                    e(),
                    s("总计"),
                ],
                vec![
                    e(),
                    e(),
                    s("商业企业"),
                    s("科研机构"),
                    s("社会公益组织"),
                    s("法律服务机构"),
                    s("其他"),
                    e(),
                ],
            ];
            let mut group: Option<&str> = None;
            for spec in format::application_rows(version) {
                if spec.id == "disclosed" {
                    let mut g = vec![s("三、本年度办理结果")];
                    g.resize(8, e());
                    rows.push(g);
                }
                if spec.group != group {
                    group = spec.group;
                    if let Some(g) = group {
                        let mut r = vec![s(g)];
                        r.resize(8, e());
                        rows.push(r);
                    }
                }
                let mut row = vec![s(spec.label)];
                row.extend((0..7).map(|_| z()));
                rows.push(row);
            }
            rows
        }
        TableKind::Review => {
            let mut top = vec![s("行政复议")];
            top.resize(5, e());
            top.push(s("行政诉讼"));
            top.resize(15, e());
            let mut second = vec![e(); 5];
            second.push(s("未经复议直接起诉"));
            second.resize(10, e());
            second.push(s("复议后起诉"));
            second.resize(15, e());
            let third: Vec<String> = (0..15).map(|i| s(format::REVIEW_COLUMNS[i % 5])).collect();
            let values: Vec<String> = (0..15).map(|_| z()).collect();
            vec![top, second, third, values]
        }
    }
}

fn render(rows: &[Vec<String>], layout: TableLayout, nl: &str) -> String {
    let mut out = String::new();
    match layout {
        TableLayout::Markdown | TableLayout::Pipes | TableLayout::Flattened => {
            for (i, r) in rows.iter().enumerate() {
                out.push('|');
                for c in r {
                    out.push(' ');
                    out.push_str(c);
                    out.push_str(" |");
                }
                out.push_str(nl);
                if i == 0 && layout != TableLayout::Pipes {
                    out.push('|');
                    for _ in r {
                        out.push_str(" --- |");
                    }
                    out.push_str(nl);
                }
            }
        }
        TableLayout::Tabs => {
            for r in rows {
                let mut cells: Vec<&str> = r.iter().map(String::as_str).collect();
                while cells.last() == Some(&"") {
                    cells.pop();
                }
                out.push_str(&cells.join("\t"));
                out.push_str(nl);
            }
        }
        TableLayout::CellPerLine => {
            for (i, r) in rows.iter().enumerate() {
                if i > 0 {
                    out.push_str(nl);
                }
                for c in r.iter().filter(|c| !c.is_empty()) {
                    out.push_str(c);
                    out.push_str(nl);
                }
            }
        }
        TableLayout::CellPipe => {
            for r in rows {
                for c in r.iter().filter(|c| !c.is_empty()) {
                    out.push_str(c);
                    out.push_str(" |");
                    out.push_str(nl);
                }
            }
        }
    }
    out
}

/// The standard table `kind` of `version`, all zeros, in `layout` (Markdown for new documents).
/// Ends with a newline.
pub fn table_skeleton(kind: TableKind, version: FormatVersion, layout: TableLayout) -> String {
    render(&grid(kind, version), layout, "\n")
}

/// The standard table `kind` of `version` in a document's style.
pub fn table_text(kind: TableKind, version: FormatVersion, style: &Style) -> String {
    render(&grid(kind, version), style.layout, style.newline)
}

/// One data row of a table in `layout`, for inserting a missing row.
pub fn row_text(label: &str, values: usize, layout: TableLayout, width: usize, nl: &str) -> String {
    let mut row = vec![label.to_string()];
    row.extend((0..values).map(|_| "0".to_string()));
    if matches!(layout, TableLayout::Markdown | TableLayout::Pipes) {
        row.resize(width.max(row.len()), String::new());
    }
    let mut text = String::new();
    match layout {
        TableLayout::Markdown | TableLayout::Pipes | TableLayout::Flattened => {
            text.push('|');
            for c in &row {
                text.push(' ');
                text.push_str(c);
                text.push_str(" |");
            }
            text.push_str(nl);
        }
        TableLayout::Tabs => {
            text.push_str(&row.join("\t"));
            text.push_str(nl);
        }
        TableLayout::CellPerLine => {
            text.push_str(nl);
            for c in &row {
                text.push_str(c);
                text.push_str(nl);
            }
        }
        TableLayout::CellPipe => {
            for c in &row {
                text.push_str(c);
                text.push_str(" |");
                text.push_str(nl);
            }
        }
    }
    text
}

/// Standard sub-headings of a section (一's five parts).
fn sub_headings(number: u8) -> &'static [&'static str] {
    match number {
        1 => &[
            "（一）主动公开",
            "（二）依申请公开",
            "（三）政府信息管理",
            "（四）政府信息公开平台建设",
            "（五）监督保障",
        ],
        _ => &[],
    }
}

/// Heading of section `number` and its skeleton (sub-headings, table), in `style`.
pub fn section_text(number: u8, version: FormatVersion, style: &Style) -> String {
    let spec = format::section(number);
    let nl = style.newline;
    let mut out = format!(
        "{}{}、{}{nl}",
        style.heading_prefix, spec.numeral, spec.title
    );
    for sub in sub_headings(number) {
        out.push_str(&format!("{nl}{sub}{nl}{nl}（待填写）{nl}"));
    }
    if let Some(kind) = TableKind::for_section(number) {
        out.push_str(nl);
        out.push_str(&render(&grid(kind, version), style.layout, nl));
    }
    if number == 6 {
        out.push_str(&format!(
            "{nl}本年度未收取信息处理费，无其他需要报告的事项。{nl}"
        ));
    }
    if number == 5 {
        out.push_str(&format!("{nl}（待填写）{nl}"));
    }
    out
}

/// Heading of section `number` (1–6) and, for 二/三/四, its table skeleton. Ends with a newline.
pub fn section_skeleton(number: u8, version: FormatVersion, layout: TableLayout) -> String {
    let style = Style {
        layout,
        heading_prefix: if layout == TableLayout::Markdown {
            "## ".into()
        } else {
            String::new()
        },
        newline: "\n",
    };
    section_text(number, version, &style)
}

/// A complete new report in Markdown: title, preamble with the statistics period, the six
/// sections with their sub-headings and the three tables of the version `year` requires.
pub fn new_report(year: u16, agency: &str) -> String {
    new_report_for(year, agency, None)
}

/// [`new_report`] for a kind of agency: a 人民政府's report also covers 工作考核、社会评议和责任
/// 追究结果情况 in 一's 监督保障 part (条例 第五十条).
pub fn new_report_for(year: u16, agency: &str, kind: Option<crate::AgencyKind>) -> String {
    let version = FormatVersion::for_year(year);
    let style = Style::markdown();
    let agency_or_blank = if agency.trim().is_empty() {
        "（机关名称）"
    } else {
        agency.trim()
    };
    let notice = match version {
        FormatVersion::V2019 => "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》",
        FormatVersion::V2021 => "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》",
    };
    let mut out = format!("# {agency_or_blank}{year}年政府信息公开工作年度报告\n\n");
    out.push_str(&format!(
        "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）和{notice}（{}）要求编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。\n\n",
        version.document()
    ));
    for n in 1..=6 {
        let mut section = section_text(n, version, &style);
        if n == 1 && kind == Some(crate::AgencyKind::Government) {
            section = section.replace(
                "（五）监督保障\n\n（待填写）\n",
                "（五）监督保障\n\n（待填写）\n\n工作考核、社会评议和责任追究结果情况：（待填写）\n",
            );
        }
        out.push_str(&section);
        out.push('\n');
    }
    out.push_str(&format!("{agency_or_blank}\n{}年1月31日\n", year + 1));
    out
}

/// Offset of the start of the line containing `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

/// Offset of the start of the line after the one containing `offset` (or the text's end).
pub fn next_line_start(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    let mut i = offset.min(text.len());
    while i < b.len() {
        match b[i] {
            b'\n' => return i + 1,
            b'\r' => {
                return if b.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                }
            }
            _ => i += 1,
        }
    }
    text.len()
}

/// Text to insert at `at` so that `block` stands on lines of its own.
pub fn block_insertion(text: &str, at: usize, block: &str, nl: &str, blank_around: bool) -> String {
    let mut s = String::new();
    let at_line_start = at == 0 || matches!(text.as_bytes().get(at - 1), Some(b'\n' | b'\r'));
    if !at_line_start {
        s.push_str(nl);
    }
    if blank_around && at > 0 {
        s.push_str(nl);
    }
    s.push_str(block);
    if blank_around && at < text.len() {
        s.push_str(nl);
    }
    s
}

/// The edit inserting table `kind` into its section (right after the section's heading), in
/// the document's layout; `None` when the section is absent. The language server offers it
/// while the section has no table of that kind.
pub fn insert_table(text: &str, analysis: &Analysis, kind: TableKind) -> Option<Fix> {
    let section = analysis
        .outline
        .iter()
        .find(|o| o.kind == OutlineKind::Section(kind.section()))?;
    let headings: Vec<Span> = analysis
        .outline
        .iter()
        .filter(|o| matches!(o.kind, OutlineKind::Section(_)))
        .map(|o| o.heading)
        .collect();
    let style = Style::of(text, analysis.layout, &headings);
    let version = analysis
        .format
        .or(analysis.tables)
        .unwrap_or(FormatVersion::V2021);
    Some(table_after_heading(
        text,
        section.heading,
        kind,
        version,
        &style,
    ))
}

/// The fix inserting table `kind` on the lines after the heading at `heading`.
pub fn table_after_heading(
    text: &str,
    heading: Span,
    kind: TableKind,
    version: FormatVersion,
    style: &Style,
) -> Fix {
    let at = next_line_start(text, heading.end);
    let table = table_text(kind, version, style);
    Fix {
        title: Message::new(
            format!(
                "插入标准表格：{}（{}年格式）",
                kind.short_zh(),
                version.as_str()
            ),
            format!(
                "Insert the standard {} ({} format)",
                kind.name_en(),
                version.as_str()
            ),
        ),
        safe: true,
        edits: vec![Edit {
            span: Span::empty(at),
            new_text: block_insertion(text, at, &table, style.newline, true),
        }],
    }
}

/// One fix inserting every missing section at its place (the union of the NB101 fixes).
pub fn insert_missing_sections(text: &str, analysis: &Analysis) -> Option<Fix> {
    let _ = text;
    let mut edits: Vec<Edit> = Vec::new();
    for d in analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "NB101")
    {
        let Some(fix) = &d.fix else { continue };
        for e in &fix.edits {
            // Sections missing at the same place are inserted in order, as one edit.
            if let Some(prev) = edits.iter_mut().find(|p| p.span == e.span) {
                prev.new_text.push_str(&e.new_text);
            } else {
                edits.push(e.clone());
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.span.start);
    Some(Fix {
        title: Message::new("插入缺失的章节", "Insert the missing sections"),
        safe: true,
        edits,
    })
}

/// Whether two edits cannot both be applied: their replaced ranges overlap, one inserts inside
/// the other's range, or they are the same insertion point (whose order would be a guess).
pub fn conflict(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// The edits of every safe fix (and unsafe ones with `unsafe_too`), a fix taken whole or not at
/// all, skipping those that conflict with one already taken; sorted. Applying them is
/// [`crate::apply_edits`] of the result.
pub fn fix_all_edits(analysis: &Analysis, unsafe_too: bool) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for fix in analysis.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if (!fix.safe && !unsafe_too) || fix.edits.is_empty() {
            continue;
        }
        let free = fix
            .edits
            .iter()
            .all(|e| taken.iter().all(|t| !conflict(t, e)))
            && fix.edits.iter().enumerate().all(|(i, e)| {
                fix.edits[i + 1..]
                    .iter()
                    .all(|other| !conflict(e, other) || e == other)
            });
        if free {
            for e in &fix.edits {
                if !taken.contains(e) {
                    taken.push(e.clone());
                }
            }
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    taken
}

/// How many rounds [`fix_text`] runs at most: fixes that overlapped one applied are tried
/// again on the re-analysed text.
pub const MAX_FIX_ROUNDS: usize = 8;

/// Apply the fixes of `text`'s findings (safe ones, and unsafe ones with `unsafe_too`) until
/// none is left or [`MAX_FIX_ROUNDS`] rounds ran: each round applies the fixes that do not
/// overlap, then re-analyses. Returns the new text and how many edits were applied.
pub fn fix_text(text: &str, options: &crate::Options, unsafe_too: bool) -> (String, usize) {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_FIX_ROUNDS {
        let analysis = crate::analyze_with(&current, options);
        let edits = fix_all_edits(&analysis, unsafe_too);
        if edits.is_empty() {
            break;
        }
        let next = crate::apply_edits(&current, &edits);
        if next == current {
            break;
        }
        applied += edits.len();
        current = next;
    }
    (current, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit {
            span: Span::new(start, end),
            new_text: text.to_string(),
        }
    }

    #[test]
    fn conflicts() {
        assert!(conflict(&edit(0, 2, "a"), &edit(1, 3, "b")));
        assert!(!conflict(&edit(0, 2, "a"), &edit(2, 3, "b")));
        assert!(conflict(&edit(1, 1, "a"), &edit(1, 1, "b")));
        assert!(conflict(&edit(0, 2, "a"), &edit(1, 1, "b")));
        assert!(!conflict(&edit(0, 2, "a"), &edit(2, 2, "b")));
    }

    #[test]
    fn every_skeleton_reads_back_as_its_table_in_every_layout() {
        for layout in [
            TableLayout::Markdown,
            TableLayout::Pipes,
            TableLayout::Tabs,
            TableLayout::CellPerLine,
            TableLayout::CellPipe,
        ] {
            for version in [FormatVersion::V2019, FormatVersion::V2021] {
                let year = if version == FormatVersion::V2019 {
                    2020
                } else {
                    2023
                };
                let mut text = format!("某局{year}年政府信息公开工作年度报告\n\n");
                for n in 1..=6 {
                    text.push_str(&section_skeleton(n, version, layout));
                    text.push('\n');
                }
                let a = crate::analyze(&text);
                assert!(a.is_report, "{layout:?} {version:?}");
                assert_eq!(a.tables, Some(version), "{layout:?} {version:?}\n{text}");
                let errors: Vec<_> = a
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        d.severity == crate::Severity::Error
                            || d.rule.code == "NB206"
                            || d.rule.code == "NB202"
                    })
                    .map(|d| (d.rule.code, d.message.zh.clone()))
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{layout:?} {version:?}: {errors:?}\n{text}"
                );
            }
        }
    }

    #[test]
    fn a_missing_section_is_written_in_the_document_style() {
        // Markdown headings and CRLF: the inserted section has both.
        let text = crate::fix::new_report(2023, "某局")
            .replace(
                "## 六、其他需要报告的事项\n\n本年度未收取信息处理费，无其他需要报告的事项。\n",
                "",
            )
            .replace('\n', "\r\n");
        let a = crate::analyze(&text);
        let fix = insert_missing_sections(&text, &a).expect("六 is missing");
        assert!(
            fix.edits[0]
                .new_text
                .contains("## 六、其他需要报告的事项\r\n"),
            "{:?}",
            fix.edits[0].new_text
        );
        assert!(!fix.edits[0].new_text.replace("\r\n", "").contains('\n'));
        let fixed = crate::apply_edits(&text, &fix.edits);
        assert!(!crate::analyze(&fixed)
            .diagnostics
            .iter()
            .any(|d| d.rule.code == "NB101"));
    }

    #[test]
    fn new_report_is_clean() {
        use crate::AgencyKind;
        for (year, agency, kind) in [
            (2020, "某市生态环境局", None),
            (2025, "某市生态环境局", Some(AgencyKind::Department)),
            (2025, "某县人民政府", Some(AgencyKind::Government)),
            (2024, "某镇人民政府", Some(AgencyKind::Township)),
        ] {
            let text = new_report_for(year, agency, kind);
            assert_eq!(
                text.contains("工作考核、社会评议和责任追究结果情况"),
                kind == Some(AgencyKind::Government)
            );
            let a = crate::analyze(&text);
            assert!(a.is_report);
            assert_eq!(a.year, Some(year));
            let bad: Vec<_> = a
                .diagnostics
                .iter()
                .filter(|d| d.severity != crate::Severity::Info)
                .map(|d| (d.rule.code, d.message.zh.clone()))
                .collect();
            assert!(bad.is_empty(), "{year}: {bad:?}");
        }
    }
}
