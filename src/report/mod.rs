//! The report model: sections, the three tables with their values and spans, the year and
//! the format version. Built from lexed lines; never fails (a half-typed draft is a normal
//! state of a document).

pub mod agency;
pub mod flattened;
pub mod labels;
pub mod sections;
pub mod tables;

pub use sections::SectionHeading;
pub use tables::{Cell, LabelIssue, ReviewTable, Row, RowShape, Table};

use crate::format::{self, FormatVersion, TableKind};
use crate::syntax::{Document, TableLayout};
use crate::{OutlineItem, OutlineKind, Span, SumCheck, SumTerm};
use regex::Regex;
use std::sync::OnceLock;

pub struct Report<'a> {
    pub text: &'a str,
    /// Section headings in document order.
    pub sections: Vec<SectionHeading>,
    /// The text names itself a 政府信息公开工作年度报告.
    pub title_phrase: bool,
    pub year: Option<u16>,
    /// The version the tables are written in, decided by their structure.
    pub tables_version: Option<FormatVersion>,
    pub disclosure: Option<Table>,
    /// Table 三. More than one reading only for flattened text whose digits split more than
    /// one way; every reading scores best on the table's own sums.
    pub application: Vec<Table>,
    pub review: Vec<ReviewTable>,
    pub layout: TableLayout,
    pub balance_note: bool,
    pub flattened: bool,
    /// Where the signature (落款: agency and date) starts, if the text ends with one.
    pub signature: Option<usize>,
    /// The agency's name, found once ([`Report::agency_name`]): several rules ask for it.
    pub(crate) agency: std::cell::OnceCell<Option<String>>,
    /// The head of the text without whitespace ([`HEAD`] bytes), and how much of it the first
    /// [`TITLE_HEAD`] bytes make: the title's agency is read from it.
    pub(crate) head: String,
    pub(crate) title_head_len: usize,
}

/// A pattern of the core's, compiled once. Its lazy DFA keeps a small cache: the patterns are
/// many, each thread that searches keeps its own caches, and a language server holding a
/// hundred documents would otherwise carry megabytes of transitions per pattern and thread.
pub(crate) fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| build_re(pattern))
}

/// [`re`] for a pattern put together from parts (`format!`): written out only the first time,
/// not at every search.
pub(crate) fn re_formatted(
    cell: &'static OnceLock<Regex>,
    pattern: impl FnOnce() -> String,
) -> &'static Regex {
    cell.get_or_init(|| build_re(&pattern()))
}

fn build_re(pattern: &str) -> Regex {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(96 << 10)
        .build()
        .expect("valid pattern")
}

/// How much of the text the title and the statistics period are looked for in (without
/// whitespace).
const HEAD: usize = 3000;
/// How much of the text the agency's name is looked for in (the title).
const TITLE_HEAD: usize = 1500;

/// `text` without whitespace, and the length the first `cut` bytes of `text` squeeze to.
fn squeeze(text: &str, cut: usize) -> (String, usize) {
    // What a byte can be the start of: 1, ASCII whitespace; 2, perhaps another whitespace
    // character (U+0085, U+00A0 after 0xC2; U+1680 after 0xE1; U+2000–U+205F after 0xE2;
    // U+3000 after 0xE3). Every other byte (ideographs, continuation bytes) is none: the text
    // is scanned byte by byte without decoding it.
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            t[b] = match b as u8 {
                b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => 1,
                0xc2 | 0xe1 | 0xe2 | 0xe3 => 2,
                _ => 0,
            };
            b += 1;
        }
        t
    };
    let mut out = String::with_capacity(text.len());
    let mut removed_before_cut = 0;
    // Runs between whitespace are copied whole.
    let mut run = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let space = match CLASS[b as usize] {
            0 => continue,
            1 => 1,
            _ => text[i..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
        };
        if space == 0 {
            continue;
        }
        out.push_str(&text[run..i]);
        run = i + space;
        if i < cut {
            removed_before_cut += space;
        }
    }
    out.push_str(&text[run..]);
    (out, cut.min(text.len()) - removed_before_cut)
}

/// The year written right before the title phrase: `大同市生态环境局2023年政府信息公开工作年度报告`,
/// `2023年度某局政府信息公开工作年度报告`; not the 2019 notice `关于政府信息公开工作年度报告有关事项`.
fn title_year(head: &str) -> Option<u16> {
    for phrase in ["政府信息公开工作年度报告", "政府信息公开年度报告"] {
        for (at, _) in head.match_indices(phrase) {
            if head[at + phrase.len()..].starts_with("有关事项") {
                continue;
            }
            let before = &head[floor_boundary(head, at.saturating_sub(90))..at];
            let clause = before
                .rsplit(['。', '，', '；', '《', '“', '（'])
                .next()
                .unwrap_or(before);
            if clause.contains("关于") {
                continue;
            }
            let chars: Vec<char> = clause.chars().collect();
            for k in (0..chars.len().saturating_sub(4)).rev() {
                if chars[k + 4] == '年'
                    && chars[k..k + 4].iter().all(char::is_ascii_digit)
                    && (k == 0 || !chars[k - 1].is_ascii_digit())
                {
                    let y: String = chars[k..k + 4].iter().collect();
                    if let Ok(y) = y.parse::<u16>() {
                        if (1990..2100).contains(&y) {
                            return Some(y);
                        }
                    }
                }
            }
        }
    }
    None
}

/// The report year: from the title, else the statistics period, else the signature date.
fn find_year(text: &str, head: &str) -> Option<u16> {
    static PERIOD: OnceLock<Regex> = OnceLock::new();
    static DATE: OnceLock<Regex> = OnceLock::new();
    if let Some(y) = title_year(head) {
        return Some(y);
    }
    let period = re(
        &PERIOD,
        r"((?:19|20)\d\d)年1月1日(?:起)?(?:至|到|—|－|-|~|～)+(?:((?:19|20)\d\d)年)?12月31日",
    );
    if let Some(cap) = period.captures(head) {
        if let Ok(y) = cap[1].parse() {
            return Some(y);
        }
    }
    // The signature date (published early the next year).
    let tail_start = floor_boundary(text, text.len().saturating_sub(600));
    let date = re(
        &DATE,
        r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日",
    );
    if let Some(cap) = date.captures_iter(&text[tail_start..]).last() {
        let y: u16 = cap[1].parse().ok()?;
        let m: u8 = cap[2].parse().ok()?;
        return Some(if m <= 6 { y - 1 } else { y });
    }
    None
}

pub(crate) fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How agency names end (局, 人民政府, 办事处 …).
const AGENCY_ENDINGS: &[&str] = &[
    "局", "府", "委", "室", "厅", "会", "处", "院", "部", "镇", "乡", "街道", "中心", "所", "站",
    "队",
];

/// Where the closing agency name and date start.
fn find_signature(doc: &Document) -> Option<usize> {
    let mut nonblank = (0..doc.lines.len()).rev().filter(|&i| {
        !doc.lines[i].is_blank() && doc.lines[i].shape != crate::syntax::LineShape::Comment
    });
    let last = nonblank.next()?;
    let last_text = doc.line_text(last).trim();
    let mut start = None;
    let mut candidate = last;
    if agency::is_date_line(last_text) {
        start = Some(last);
        if let Some(prev) = nonblank.next() {
            candidate = prev;
        } else {
            return start.map(|l| doc.starts[l]);
        }
    }
    let t = doc.line_text(candidate).trim();
    if t.chars().count() <= 30
        && !t.contains('。')
        && !t.contains('，')
        && sections::heading(t).is_none()
        && AGENCY_ENDINGS.iter().any(|e| t.ends_with(e))
    {
        start = Some(candidate);
    }
    start.map(|l| doc.starts[l])
}

impl<'a> Report<'a> {
    pub fn build(doc: &Document<'a>) -> Report<'a> {
        Report::build_with(doc, true)
    }

    /// Build the model; with `tables_if_not_report` false, a text that cannot be a report (none
    /// of the title phrase, two headings or the 勾稽 note) is not searched for tables.
    pub fn build_with(doc: &Document<'a>, tables_if_not_report: bool) -> Report<'a> {
        let text = doc.text;
        let (head, title_head_len) = squeeze(
            &text[..floor_boundary(text, HEAD)],
            floor_boundary(text, TITLE_HEAD),
        );
        let year = find_year(text, &head);
        let year_version = year.map(FormatVersion::for_year);
        // Flattened text: a long line holding two or more numbered section titles.
        let mut flat_line = None;
        let mut sections = Vec::new();
        for (i, l) in doc.lines.iter().enumerate() {
            if l.len > 1500 && sections::may_be_flattened(doc.line_text(i)) {
                let inline = sections::inline_headings(doc.line_text(i), doc.starts[i], i);
                if inline.len() >= 2 {
                    flat_line = Some(i);
                    sections = inline;
                    break;
                }
            }
        }
        if flat_line.is_none() {
            for (i, l) in doc.lines.iter().enumerate() {
                let Some(cell) = l.single() else {
                    // Tab-led lines like `\t一、总体情况` lex as a single cell too; pipes never hold headings.
                    continue;
                };
                if cell.end - cell.start > 200 {
                    continue;
                }
                let t = doc.cell_text(i, cell);
                if let Some((number, title_at, official)) = sections::heading(t) {
                    let span = doc.cell_span(i, cell);
                    sections.push(SectionHeading {
                        number,
                        line: i,
                        span,
                        title_span: Span::new(span.start + title_at, span.end),
                        official,
                        inline: false,
                    });
                }
            }
        }
        let title_phrase =
            head.contains("政府信息公开工作年度报告") || head.contains("政府信息公开年度报告");
        let balance_note = text.contains("勾稽");

        let mut report = Report {
            text,
            sections,
            title_phrase,
            year,
            tables_version: None,
            disclosure: None,
            application: Vec::new(),
            review: Vec::new(),
            layout: TableLayout::Markdown,
            balance_note,
            flattened: flat_line.is_some(),
            signature: find_signature(doc),
            agency: std::cell::OnceCell::new(),
            head,
            title_head_len,
        };
        let mut numbers: Vec<u8> = report.sections.iter().map(|s| s.number).collect();
        numbers.dedup();
        // Two signals make a report, table 三's rows are one: without any other, skip the tables.
        let could_be_report = report.title_phrase || report.balance_note || numbers.len() >= 2;
        if !could_be_report && !tables_if_not_report {
            return report;
        }
        if let Some(line) = flat_line {
            flattened::read_tables(&mut report, doc, line, year_version);
        } else {
            let region = |kind: TableKind| report.table_region(doc, kind.section());
            let r2 = region(TableKind::Disclosure);
            let r3 = region(TableKind::Application);
            let r4 = region(TableKind::Review);
            report.disclosure = tables::read_disclosure(doc, r2, year_version);
            report.application = tables::read_application(doc, r3, year_version)
                .into_iter()
                .collect();
            report.review = tables::read_review(doc, r4).into_iter().collect();
            report.layout = report
                .application
                .first()
                .map(|t| t.layout)
                .or(report.disclosure.as_ref().map(|t| t.layout))
                .unwrap_or(TableLayout::Markdown);
        }
        // The tables' version: table 三's structure first, then table 二's.
        report.tables_version = report
            .application
            .first()
            .filter(|t| t.version_from_structure)
            .map(|t| t.version)
            .or(report
                .disclosure
                .as_ref()
                .filter(|t| t.version_from_structure)
                .map(|t| t.version));
        report
    }

    /// Lines where the table of section `number` may stand: from its heading (or the previous
    /// section's, when its own is missing) to the next heading.
    fn table_region(&self, doc: &Document, number: u8) -> std::ops::Range<usize> {
        let own = self.sections.iter().find(|s| s.number == number);
        let start = match own {
            Some(s) => s.line + 1,
            None => self
                .sections
                .iter()
                .filter(|s| s.number < number)
                .map(|s| s.line + 1)
                .max()
                .unwrap_or(0),
        };
        let end = self
            .sections
            .iter()
            .filter(|s| s.line >= start && s.number != number)
            .map(|s| s.line)
            .min()
            .unwrap_or(doc.lines.len());
        start..end.max(start)
    }

    /// Whether the text is an annual report: at least two of the title phrase, two section
    /// headings, the 勾稽 note and five rows of table 三.
    pub fn is_report(&self) -> bool {
        let mut numbers: Vec<u8> = self.sections.iter().map(|s| s.number).collect();
        numbers.dedup();
        let rows = self.application.first().map_or(0, |t| t.rows.len());
        let signals = [
            self.title_phrase,
            numbers.len() >= 2,
            self.balance_note,
            rows >= 5,
        ];
        signals.iter().filter(|&&s| s).count() >= 2
    }

    /// The body of the section heading at `index` in [`Self::sections`]: after the heading to
    /// the next heading (or the signature, for the last one).
    pub fn section_body(&self, index: usize) -> Span {
        let h = &self.sections[index];
        let start = h.span.end;
        let next = self.sections.get(index + 1).map(|n| n.span.start);
        let end = match next {
            Some(n) => n,
            None => match self.signature {
                Some(sig) if sig >= start => sig,
                _ => self.text.len(),
            },
        };
        Span::new(start, end.max(start))
    }

    /// Where the section numbered `number` ends (for outline ranges).
    fn section_extent(&self, index: usize) -> Span {
        let h = &self.sections[index];
        let end = self
            .sections
            .get(index + 1)
            .map_or(self.text.len(), |n| n.span.start);
        // Trim the trailing newlines.
        let body = &self.text[h.span.start..end.max(h.span.start)];
        let trimmed = body.trim_end().len();
        Span::new(h.span.start, h.span.start + trimmed)
    }

    pub fn outline(&self) -> Vec<OutlineItem> {
        let mut tables: Vec<(TableKind, Span, Span)> = Vec::new();
        if let Some(t) = &self.disclosure {
            tables.push((TableKind::Disclosure, t.span, t.first_label));
        }
        if let Some(t) = self.application.first() {
            tables.push((TableKind::Application, t.span, t.first_label));
        }
        if let Some(t) = self.review.first() {
            tables.push((TableKind::Review, t.span, t.first_label));
        }
        let mut out: Vec<OutlineItem> = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            let span = self.section_extent(i);
            let children = tables
                .iter()
                .filter(|(_, ts, _)| span.start <= ts.start && ts.start <= span.end)
                .map(|&(kind, ts, first)| OutlineItem {
                    kind: OutlineKind::Table(kind),
                    title: kind.name_zh().to_string(),
                    span: ts,
                    heading: first,
                    children: Vec::new(),
                })
                .collect();
            out.push(OutlineItem {
                kind: OutlineKind::Section(s.number),
                title: self.text[s.span.start..s.span.end].to_string(),
                span,
                heading: s.span,
                children,
            });
        }
        // Tables outside any section (a file of only tables).
        for &(kind, ts, first) in &tables {
            if !out.iter().any(|o| o.children.iter().any(|c| c.span == ts)) {
                out.push(OutlineItem {
                    kind: OutlineKind::Table(kind),
                    title: kind.name_zh().to_string(),
                    span: ts,
                    heading: first,
                    children: Vec::new(),
                });
            }
        }
        out.sort_by_key(|o| o.span.start);
        out
    }

    /// Every sum the tables imply, for hover and inlay hints.
    pub fn sums(&self) -> Vec<SumCheck> {
        let mut out = Vec::new();
        if let Some(t) = self.application.first() {
            out.extend(application_sums(t));
        }
        if let Some(r) = self.review.first() {
            out.extend(review_sums(r));
        }
        out
    }
}

/// Short label of a row for messages: `（一）予以公开`, `（三）不予公开 1.属于国家秘密`.
pub fn row_label(spec: &'static format::RowSpec) -> &'static str {
    static LABELS: OnceLock<std::collections::HashMap<usize, &'static str>> = OnceLock::new();
    let labels = LABELS.get_or_init(|| {
        let all = format::APPLICATION_ROWS_2021
            .iter()
            .chain(format::APPLICATION_ROWS_2019.iter())
            .chain(format::DISCLOSURE_ROWS_2021.iter())
            .chain(format::DISCLOSURE_ROWS_2019.iter());
        all.map(|spec| {
            // `（二）部分公开（区分处理的…）` → `（二）部分公开`
            let label = match spec
                .label
                .strip_prefix('（')
                .and_then(|rest| rest.find('（'))
            {
                Some(i) => &spec.label[..i + '（'.len_utf8()],
                None => spec.label,
            };
            let text = match spec.group {
                Some(g) => format!("{g} {label}"),
                None => label.to_string(),
            };
            (
                spec as *const _ as usize,
                &*Box::leak(text.into_boxed_str()),
            )
        })
        .collect()
    });
    labels
        .get(&(spec as *const _ as usize))
        .copied()
        .unwrap_or(spec.label)
}

fn term(cell: &Cell, label: &'static str) -> SumTerm {
    SumTerm {
        label,
        span: cell.span,
        value: if cell.value.is_blank() {
            None
        } else {
            Some(cell.int())
        },
    }
}

fn written(cell: &Cell) -> Option<i64> {
    if cell.value.is_blank() {
        None
    } else {
        cell.value.as_int()
    }
}

/// Row totals of every complete row, and the （七）总计 column sums.
pub fn application_sums(t: &Table) -> Vec<SumCheck> {
    let mut out = Vec::new();
    for row in &t.rows {
        if !row.complete() || row.cells.len() != 7 {
            continue;
        }
        let terms: Vec<SumTerm> = row.cells[..6]
            .iter()
            .zip(format::APPLICANT_COLUMNS)
            .map(|(c, col)| term(c, col))
            .collect();
        out.push(SumCheck {
            rule: &crate::rules::ROW_TOTAL,
            target: row.cells[6].span,
            label: format!("{} · 总计", row_label(row.spec)),
            written: written(&row.cells[6]),
            computed: row.cells[..6].iter().map(Cell::int).sum(),
            terms,
        });
    }
    if let Some(total) = t.row("result-total").filter(|r| r.complete()) {
        let parts: Vec<&Row> = t.rows.iter().filter(|r| is_result_row(r.spec.id)).collect();
        if parts.iter().all(|r| r.complete()) {
            for c in 0..7 {
                let terms: Vec<SumTerm> = parts
                    .iter()
                    .map(|r| term(&r.cells[c], row_label(r.spec)))
                    .collect();
                out.push(SumCheck {
                    rule: &crate::rules::RESULT_TOTAL,
                    target: total.cells[c].span,
                    label: format!("（七）总计 · {}", format::APPLICANT_COLUMNS[c]),
                    written: written(&total.cells[c]),
                    computed: parts.iter().map(|r| r.cells[c].int()).sum(),
                    terms,
                });
            }
        }
    }
    out
}

/// The rows that add up to （七）总计.
pub fn is_result_row(id: &str) -> bool {
    !matches!(id, "new" | "carried-in" | "result-total" | "carried-out")
}

pub fn review_sums(r: &ReviewTable) -> Vec<SumCheck> {
    let mut out = Vec::new();
    if r.shape != RowShape::Complete || r.cells.len() != 15 {
        return out;
    }
    for g in 0..3 {
        let cells = &r.cells[g * 5..g * 5 + 5];
        out.push(SumCheck {
            rule: &crate::rules::REVIEW_TOTAL,
            target: cells[4].span,
            label: format!("{} · 总计", format::REVIEW_GROUPS[g]),
            written: written(&cells[4]),
            computed: cells[..4].iter().map(Cell::int).sum(),
            terms: cells[..4]
                .iter()
                .zip(format::REVIEW_COLUMNS)
                .map(|(c, l)| term(c, l))
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeeze_drops_every_whitespace_character() {
        let text = "大同市 生态\t环境局\u{3000}2023年\u{a0}、。\u{2003}政府\u{85}信息\u{1680}公开\r\n报告\u{205f}x";
        let naive: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let (squeezed, at) = squeeze(text, cut);
            assert_eq!(squeezed, naive);
            let prefix: String = text[..cut].chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(&squeezed[..at], prefix, "cut at {cut}");
        }
    }

    #[test]
    fn year_from_title_period_or_date() {
        let year = |t: &str| find_year(t, &squeeze(&t[..floor_boundary(t, HEAD)], 0).0);
        assert_eq!(
            year("阜新市生态环境局 2022 年 政府信息公开工作年度报告\n"),
            Some(2022)
        );
        assert_eq!(
            year("2023年度某市生态环境局政府信息公开工作年度报告"),
            Some(2023)
        );
        assert_eq!(
            year("依据《关于2019年政府信息公开工作年度报告有关事项的通知》。统计期限自2023年1月1日起至2023年12月31日止。"),
            Some(2023)
        );
        assert_eq!(
            year("时间:2021-02-05\n2020年1月1日—12月31日，共发布"),
            Some(2020)
        );
        assert_eq!(year("正文。\n某局\n2024年1月10日"), Some(2023));
        assert_eq!(year("没有年份"), None);
    }

    #[test]
    fn row_labels_for_messages() {
        assert_eq!(
            row_label(&format::APPLICATION_ROWS_2021[3]),
            "（二）部分公开"
        );
        assert_eq!(
            row_label(&format::APPLICATION_ROWS_2021[4]),
            "（三）不予公开 1.属于国家秘密"
        );
        assert_eq!(row_label(&format::APPLICATION_ROWS_2021[23]), "（七）总计");
    }
}
