//! Reading the three tables, label-anchored, from the cells of any layout.
//!
//! A table region's lines become one stream of items (labels, values, blanks, text). A row
//! label takes the value cells after it: on its own line when the layout puts a row on a line
//! (tabs, `|` rows, Markdown), else from the following lines (one cell per line). Counting the
//! cells a row needs tells value cells from filler and separator lines.

use super::labels::{classify, LabelHit, LabelRef};
use crate::format::{self, CellKind, FormatVersion, RowSpec};
use crate::syntax::normalize::{is_zero_mark, looks_numeric, parse_cell, CellValue};
use crate::syntax::{Document, LineShape, TableLayout};
use crate::Span;

/// A value cell of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub span: Span,
    pub value: CellValue,
    pub kind: CellKind,
    /// What to insert to fill the cell when blank.
    pub fill: &'static str,
}

impl Cell {
    pub fn int(&self) -> i64 {
        self.value.as_int().unwrap_or(0)
    }
}

/// Whether a row has the cells its columns need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowShape {
    Complete,
    Fewer(usize),
    More(usize),
    /// Flattened text whose digits split into cells in more than one way that matter.
    Ambiguous,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub spec: &'static RowSpec,
    pub label: Span,
    pub cells: Vec<Cell>,
    pub shape: RowShape,
    /// Offset of the end of the row's last line (where a missing row is inserted after it).
    pub end: usize,
}

impl Row {
    pub fn complete(&self) -> bool {
        self.shape == RowShape::Complete
    }
    pub fn span(&self) -> Span {
        self.cells.iter().fold(self.label, |s, c| s.cover(c.span))
    }
}

/// A label that differs from the official one (NB203).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelIssue {
    pub span: Span,
    pub official: &'static str,
    /// Whether the variant is the 2019 wording used in a 2021 table (or the reverse).
    pub old_wording: bool,
}

/// Table 三 (or table 二): rows in the order of the format.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub kind: crate::TableKind,
    pub version: FormatVersion,
    /// Whether the version was decided by the table's own structure (not the report year).
    pub version_from_structure: bool,
    pub rows: Vec<Row>,
    pub span: Span,
    pub labels: Vec<LabelIssue>,
    pub layout: TableLayout,
    /// The 2021 rows with sub-items under （六）, or the 2019 single row.
    pub first_label: Span,
}

impl Table {
    pub fn row(&self, id: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.spec.id == id)
    }
}

/// Table 四: one row of 15 cells.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewTable {
    pub cells: Vec<Cell>,
    pub shape: RowShape,
    pub span: Span,
    pub labels: Vec<LabelIssue>,
    pub first_label: Span,
    /// Where the values start (for messages about a missing data row).
    pub header_end: Span,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum ItemKind {
    Label(LabelHit),
    Blank,
    Value,
    Text,
}

#[derive(Clone, Copy, Debug)]
struct Item {
    line: usize,
    span: Span,
    kind: ItemKind,
    /// The item's line holds more than one cell.
    multi: bool,
    tabs: bool,
    fill: &'static str,
}

/// The layout of the lines `lines` (a table region).
pub fn detect_layout(doc: &Document, lines: std::ops::Range<usize>) -> TableLayout {
    let (mut tabs, mut bordered, mut cellpipe, mut single, mut rule) = (0, 0, 0, 0, 0);
    for i in lines {
        match doc.lines[i].shape {
            LineShape::Tabs => tabs += 1,
            LineShape::Pipes { bordered: true } => bordered += 1,
            LineShape::Pipes { bordered: false } | LineShape::Bars(_) => cellpipe += 1,
            LineShape::Single => single += 1,
            LineShape::MarkdownRule => rule += 1,
            _ => {}
        }
    }
    if cellpipe > bordered && cellpipe >= tabs && cellpipe * 2 >= single {
        TableLayout::CellPipe
    } else if bordered >= tabs && bordered * 2 >= single && bordered > 0 {
        if rule > 0 {
            TableLayout::Markdown
        } else {
            TableLayout::Pipes
        }
    } else if tabs * 2 >= single && tabs > 0 {
        TableLayout::Tabs
    } else {
        TableLayout::CellPerLine
    }
}

fn items(doc: &Document, lines: std::ops::Range<usize>, layout: TableLayout) -> Vec<Item> {
    // At most one item per cell, or per line without cells.
    let cells: usize = doc.lines[lines.clone()]
        .iter()
        .map(|l| l.cells.len().max(1))
        .sum();
    let mut out = Vec::with_capacity(cells);
    for i in lines {
        let l = &doc.lines[i];
        let line_span = doc.line_span(i);
        match l.shape {
            LineShape::Blank if layout == TableLayout::CellPerLine => {
                out.push(Item {
                    line: i,
                    span: Span::empty(line_span.end),
                    kind: ItemKind::Blank,
                    multi: false,
                    tabs: false,
                    fill: "0",
                });
            }
            LineShape::Bars(1) if layout == TableLayout::CellPipe => {
                let text = doc.line_text(i);
                let bar = text.find('|').unwrap_or(0);
                out.push(Item {
                    line: i,
                    span: Span::empty(line_span.start + bar),
                    kind: ItemKind::Blank,
                    multi: false,
                    tabs: false,
                    fill: "0 ",
                });
            }
            LineShape::Single | LineShape::Tabs | LineShape::Pipes { .. } => {
                let multi = l.cells.len() > 1;
                let tabs = l.shape == LineShape::Tabs;
                for &c in l.cells.iter() {
                    let span = doc.cell_span(i, c);
                    let kind = if c.is_blank() {
                        ItemKind::Blank
                    } else {
                        let text = doc.cell_text(i, c);
                        if looks_numeric(text) || is_zero_mark(text) {
                            ItemKind::Value
                        } else if let Some(hit) = classify(text) {
                            ItemKind::Label(hit)
                        } else {
                            ItemKind::Text
                        }
                    };
                    let fill = if matches!(l.shape, LineShape::Pipes { .. }) {
                        " 0 "
                    } else {
                        "0"
                    };
                    out.push(Item {
                        line: i,
                        span,
                        kind,
                        multi,
                        tabs,
                        fill,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The cells a row needs, picked from candidates (in place): exact count, else the non-blank
/// ones when they are exactly enough (the blanks were separators), else the first `n`.
fn pick(cands: &mut Vec<Item>, n: usize) -> RowShape {
    let nonblank = cands.iter().filter(|c| c.kind != ItemKind::Blank).count();
    if cands.len() == n {
        RowShape::Complete
    } else if nonblank == n {
        cands.retain(|c| c.kind != ItemKind::Blank);
        RowShape::Complete
    } else if cands.len() > n {
        // Blank lines before and after the values are separators, not cells.
        let mut end = cands.len();
        while end > n && cands[end - 1].kind == ItemKind::Blank {
            end -= 1;
        }
        let mut start = 0;
        while end - start > n && cands[start].kind == ItemKind::Blank {
            start += 1;
        }
        let extra_values = cands[start + n..end]
            .iter()
            .filter(|c| c.kind == ItemKind::Value)
            .count();
        cands.truncate(start + n);
        cands.drain(..start);
        if extra_values > 0 {
            RowShape::More(nonblank)
        } else {
            RowShape::Complete
        }
    } else {
        RowShape::Fewer(cands.len())
    }
}

/// The items from `items[j]` on that item's line.
fn same_line(items: &[Item], j: usize) -> &[Item] {
    let line = items[j].line;
    let len = items[j..].iter().take_while(|c| c.line == line).count();
    &items[j..j + len]
}

/// `row` without its leading blanks (tab-separated rows indent with empty cells).
fn skip_blanks(row: &[Item]) -> &[Item] {
    let blanks = row.iter().take_while(|c| c.kind == ItemKind::Blank).count();
    &row[blanks..]
}

/// Candidate value cells for the label at `i`, into `cands`.
fn gather(items: &[Item], i: usize, n: usize, partial: bool, cands: &mut Vec<Item>) {
    cands.clear();
    let it = items[i];
    if it.multi {
        let mut end = i + 1;
        while end < items.len()
            && items[end].line == it.line
            && !matches!(items[end].kind, ItemKind::Label(_))
        {
            end += 1;
        }
        let mut same = &items[i + 1..end];
        if it.tabs {
            same = skip_blanks(same);
        }
        if same.iter().any(|c| c.kind != ItemKind::Text) {
            cands.extend_from_slice(same);
            return;
        }
    }
    let mut j = i + 1;
    // The rest of a label split over lines.
    if partial {
        while j < items.len() && items[j].kind == ItemKind::Text && !items[j].multi {
            j += 1;
        }
    }
    // A wrapped label followed by its row on the next line.
    if j < items.len() && items[j].multi && items[j].line != it.line {
        let mut row = same_line(items, j);
        if row.first().is_some_and(|c| c.kind == ItemKind::Text) {
            row = &row[1..];
        }
        if row
            .iter()
            .all(|c| matches!(c.kind, ItemKind::Value | ItemKind::Blank))
            && !row.is_empty()
        {
            if it.tabs || items[j].tabs {
                row = skip_blanks(row);
            }
            cands.extend_from_slice(row);
            return;
        }
    }
    while j < items.len() {
        match items[j].kind {
            ItemKind::Label(_) => break,
            ItemKind::Text if cands.len() >= n => break,
            _ => cands.push(items[j]),
        }
        j += 1;
    }
}

fn to_cells(picked: &[Item], kinds: &[CellKind], doc: &Document) -> Vec<Cell> {
    picked
        .iter()
        .enumerate()
        .map(|(k, it)| {
            let kind = kinds.get(k).copied().unwrap_or(CellKind::Count);
            let value = if it.kind == ItemKind::Blank {
                CellValue::Blank
            } else {
                parse_cell(&doc.text[it.span.start..it.span.end], kind)
            };
            Cell {
                span: it.span,
                value,
                kind,
                fill: it.fill,
            }
        })
        .collect()
}

fn line_end(doc: &Document, line: usize) -> usize {
    doc.line_span(line).end
}

/// The rows, label issues and extent of a table as its labels are read.
#[derive(Default)]
struct RowsBuilder {
    rows: Vec<Row>,
    labels: Vec<LabelIssue>,
    first: Option<Span>,
    last: Option<Span>,
    /// The candidate cells of the row being read (one buffer for every row).
    cands: Vec<Item>,
}

impl RowsBuilder {
    /// A label of the table at `span`.
    fn saw(&mut self, span: Span) {
        self.first.get_or_insert(span);
        self.last = Some(self.last.map_or(span, |l| l.cover(span)));
    }

    /// Read the row `spec` whose label is item `k` (the first occurrence of a row counts).
    fn read(
        &mut self,
        doc: &Document,
        items: &[Item],
        k: usize,
        spec: &'static RowSpec,
        partial: bool,
    ) {
        if self.rows.iter().any(|r| r.spec.id == spec.id) {
            return;
        }
        let it = items[k];
        let n = spec.cells.len();
        let mut picked = std::mem::take(&mut self.cands);
        gather(items, k, n, partial, &mut picked);
        let shape = pick(&mut picked, n);
        let cells = to_cells(&picked, spec.cells, doc);
        let end_line = picked.last().map_or(it.line, |c| c.line);
        self.cands = picked;
        let row = Row {
            spec,
            label: it.span,
            cells,
            shape,
            end: line_end(doc, end_line),
        };
        self.saw(row.span());
        self.rows.push(row);
    }

    fn finish(
        mut self,
        kind: crate::TableKind,
        version: FormatVersion,
        version_from_structure: bool,
        specs: &[RowSpec],
        layout: TableLayout,
    ) -> Option<Table> {
        self.rows
            .sort_by_cached_key(|r| specs.iter().position(|s| s.id == r.spec.id));
        let first = self.first?;
        Some(Table {
            kind,
            version,
            version_from_structure,
            rows: self.rows,
            span: first.cover(self.last.unwrap_or(first)),
            labels: self.labels,
            layout,
            first_label: first,
        })
    }
}

/// Read table 三 from the lines of its region.
pub fn read_application(
    doc: &Document,
    lines: std::ops::Range<usize>,
    year_version: Option<FormatVersion>,
) -> Option<Table> {
    let layout = detect_layout(doc, lines.clone());
    let items = items(doc, lines, layout);
    let is_app = |k: &ItemKind| matches!(k, ItemKind::Label(h) if h.what.table() == crate::TableKind::Application);
    let row_labels = items
        .iter()
        .filter(|i| {
            matches!(
                i.kind,
                ItemKind::Label(LabelHit {
                    what: LabelRef::AppRow(_) | LabelRef::AppOther,
                    ..
                })
            )
        })
        .count();
    let note = items
        .iter()
        .any(|i| i.kind == ItemKind::Text && doc.text[i.span.start..i.span.end].contains("勾稽"));
    if row_labels < 3 && !(note && row_labels > 0) {
        return None;
    }
    // （六）其他处理 is a data row in 2019 (followed by （七）总计) and a group in 2021.
    let has_sub_items = items.iter().any(|i| matches!(i.kind, ItemKind::Label(LabelHit { what: LabelRef::AppRow(r), .. }) if r.id.starts_with("other-")));
    let other_positions: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            matches!(
                i.kind,
                ItemKind::Label(LabelHit {
                    what: LabelRef::AppOther,
                    ..
                })
            )
        })
        .map(|(k, _)| k)
        .collect();
    let other_is_row = |k: usize| {
        let next = items[k + 1..].iter().find_map(|i| match i.kind {
            ItemKind::Label(LabelHit {
                what: LabelRef::AppRow(r),
                ..
            }) => Some(r.id),
            _ => None,
        });
        !has_sub_items && matches!(next, Some("result-total") | None)
    };
    let structural = if has_sub_items {
        Some(FormatVersion::V2021)
    } else if other_positions.iter().any(|&k| other_is_row(k)) {
        Some(FormatVersion::V2019)
    } else {
        None
    };
    let version = structural.or(year_version).unwrap_or(FormatVersion::V2021);
    let specs = format::application_rows(version);
    let mut rows = RowsBuilder::default();
    for (k, it) in items.iter().enumerate() {
        let ItemKind::Label(hit) = it.kind else {
            continue;
        };
        if !is_app(&it.kind) {
            continue;
        }
        rows.saw(it.span);
        if let Some(official) = hit.official {
            rows.labels.push(LabelIssue {
                span: it.span,
                official,
                old_wording: false,
            });
        }
        let spec: &'static RowSpec = match hit.what {
            LabelRef::AppRow(r) => match specs.iter().find(|s| s.id == r.id) {
                Some(s) => s,
                None => continue,
            },
            LabelRef::AppOther if version == FormatVersion::V2019 && other_is_row(k) => {
                match specs.iter().find(|s| s.id == "other") {
                    Some(s) => s,
                    None => continue,
                }
            }
            _ => continue,
        };
        rows.read(doc, &items, k, spec, hit.partial);
    }
    rows.finish(
        crate::TableKind::Application,
        version,
        structural.is_some(),
        specs,
        layout,
    )
}

/// Read table 二 from the lines of its region.
pub fn read_disclosure(
    doc: &Document,
    lines: std::ops::Range<usize>,
    year_version: Option<FormatVersion>,
) -> Option<Table> {
    let layout = detect_layout(doc, lines.clone());
    let items = items(doc, lines, layout);
    let mut votes = [0i32; 2];
    let mut found = 0;
    for it in &items {
        if let ItemKind::Label(hit) = it.kind {
            match hit.what {
                LabelRef::DiscHeader(Some(FormatVersion::V2019)) => votes[0] += 1,
                LabelRef::DiscHeader(Some(FormatVersion::V2021)) => votes[1] += 1,
                LabelRef::DiscRow("procurement" | "other-services") => votes[0] += 1,
                LabelRef::DiscRow(_) | LabelRef::DiscBlock => {}
                _ => continue,
            }
            found += 1;
        }
    }
    if found < 3 {
        return None;
    }
    let structural = match votes[0].cmp(&votes[1]) {
        std::cmp::Ordering::Greater => Some(FormatVersion::V2019),
        std::cmp::Ordering::Less => Some(FormatVersion::V2021),
        std::cmp::Ordering::Equal => None,
    };
    let version = structural.or(year_version).unwrap_or(FormatVersion::V2021);
    let specs = format::disclosure_rows(version);
    let mut rows = RowsBuilder::default();
    for (k, it) in items.iter().enumerate() {
        let ItemKind::Label(hit) = it.kind else {
            continue;
        };
        if hit.what.table() != crate::TableKind::Disclosure {
            continue;
        }
        rows.saw(it.span);
        if let Some(official) = hit.official {
            rows.labels.push(LabelIssue {
                span: it.span,
                official,
                old_wording: false,
            });
        }
        let LabelRef::DiscRow(id) = hit.what else {
            continue;
        };
        let Some(spec) = specs.iter().find(|s| s.id == id) else {
            continue;
        };
        // The other version's wording of this row's label.
        let written = crate::syntax::normalize(&doc.text[it.span.start..it.span.end]);
        if written != crate::syntax::normalize(spec.label) && version == FormatVersion::V2021 {
            rows.labels.push(LabelIssue {
                span: it.span,
                official: spec.label,
                old_wording: true,
            });
        }
        rows.read(doc, &items, k, spec, false);
    }
    rows.finish(
        crate::TableKind::Disclosure,
        version,
        structural.is_some(),
        specs,
        layout,
    )
}

/// Read table 四 from the lines of its region.
pub fn read_review(doc: &Document, lines: std::ops::Range<usize>) -> Option<ReviewTable> {
    let layout = detect_layout(doc, lines.clone());
    let items = items(doc, lines, layout);
    // `总计` is a column of table 三 too.
    let is_header = |i: &Item| match i.kind {
        ItemKind::Label(LabelHit {
            what: LabelRef::ReviewHeader,
            ..
        }) => true,
        ItemKind::Label(LabelHit {
            what: LabelRef::AppHeader,
            ..
        }) => crate::syntax::normalize(&doc.text[i.span.start..i.span.end]) == "总计",
        _ => false,
    };
    let headers: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| is_header(i))
        .map(|(k, _)| k)
        .collect();
    if headers.len() < 3 {
        return None;
    }
    let labels = headers
        .iter()
        .filter_map(|&k| match items[k].kind {
            ItemKind::Label(LabelHit {
                official: Some(o), ..
            }) => Some(LabelIssue {
                span: items[k].span,
                official: o,
                old_wording: false,
            }),
            _ => None,
        })
        .collect();
    let last = *headers.last()?;
    let mut cands = Vec::new();
    for it in &items[last + 1..] {
        match it.kind {
            ItemKind::Label(_) => break,
            ItemKind::Text if cands.len() >= 15 => break,
            // Notes between the header and the values are not cells.
            ItemKind::Text if cands.iter().all(|c: &Item| c.kind == ItemKind::Blank) => {
                cands.clear();
                continue;
            }
            _ => cands.push(*it),
        }
    }
    let shape = pick(&mut cands, 15);
    let cells = to_cells(&cands, &[CellKind::Count; 15], doc);
    let first = items[headers[0]].span;
    let span = cells
        .iter()
        .fold(first.cover(items[last].span), |s, c| s.cover(c.span));
    Some(ReviewTable {
        cells,
        shape,
        span,
        labels,
        first_label: first,
        header_end: items[last].span,
    })
}
