//! Table rules: presence, rows, labels, cells and the format version (NB201–NB207).

use super::arithmetic::{Covered, Fill};
use crate::fix::{next_line_start, row_text, Style};
use crate::format::{self, FormatVersion, TableKind};
use crate::report::{row_label, Cell, Report, RowShape, Table};
use crate::syntax::normalize::{CellValue, InvalidReason};
use crate::syntax::TableLayout;
use crate::{Diagnostic, Edit, Fix, Message, Related, Span};

rules! {
    TABLE_MISSING = "NB201" "table-missing" Error Safe,
        "缺少规定的统计表",
        "A required table is missing",
        "第二、三、四部分各有一张规定格式的统计表（主动公开、依申请公开、行政复议和行政诉讼）。该部分中找不到可识别的表格。\n修复：插入该年度格式的表格骨架（各单元格为 0）。";
    ROW_MISSING = "NB202" "row-missing" Error Safe,
        "缺少表格中的规定行",
        "A standard row is missing",
        "表格中缺少规定的行，例如表三的“（四）无法提供 3.补正后申请内容仍不明确”。\n修复：在应有的位置插入该行（数值为 0）。";
    LABEL_NONSTANDARD = "NB203" "label-nonstandard" Warning Safe,
        "行或列标签与规定不同",
        "A row or column label is a typo or variant",
        "行列标签应与规定格式一字不差，例如“结果维持”误写为“结果维护”、“本年废止件数”误写为“本年度止件数”、“（五）不予处理”写成“（五）不予以处理”，或 2021 年格式的表二沿用 2019 年的“规范性文件”。\n修复：改为规定标签。";
    CELL_COUNT = "NB204" "cell-count" Error None,
        "行的单元格数与列数不符",
        "A row has more or fewer cells than its columns",
        "一行的数值个数与该表的列数不同，常见于从 PDF 复制时丢失了单元格，或网页文本中单元格粘连无法唯一拆分。此时无法判断各项之和，因此不再报告该行的算术错误。";
    CELL_INVALID = "NB205" "cell-invalid" Error None,
        "单元格不是有效数字",
        "A cell is not a valid number for its column",
        "数量单元格应为非负整数（可带千分位、全角数字或括号注释）。文字、负数、小数件数都是错误。2019 年格式的“本年增/减”可带正负号或写作“增16”“减2”，金额可带小数和单位，这些不是错误。";
    CELL_BLANK = "NB206" "cell-blank" Warning Mixed,
        "单元格空白",
        "A cell is blank where a number is required",
        "应填数字的单元格是空的。空白不等于 0：请填写数字。计算合计时空白按 0 处理，以免一个空格掩盖其他错误；但当所在的合计（行总计，表三还有该列的（七）总计和勾稽关系）确定了它应为另一个数时，按该数计算，这些合计不再另报错误。同一行或同一表的空白只报告一次。\n修复：所在的合计填 0 后仍成立时，填入 0；合计确定了另一个数时，填入该数（需确认）；都不成立时不提供修复。";
    FORMAT_VERSION = "NB207" "format-version" Error None,
        "表格格式版本与报告年度不符",
        "The tables use the wrong format version for the report year",
        "2019、2020 年度报告使用国办公开办函〔2019〕60号格式，2021 年度起使用国办公开办函〔2021〕30号格式。例如 2023 年度报告的表二仍是“本年新制作数量/本年新公开数量/对外公开总数量”，或表三的“（六）其他处理”没有 1–3 子项。";
}

pub fn check(r: &Report, style: &Style, version: FormatVersion, out: &mut Vec<Diagnostic>) {
    // NB201 table-missing
    for kind in [
        TableKind::Disclosure,
        TableKind::Application,
        TableKind::Review,
    ] {
        let present = match kind {
            TableKind::Disclosure => r.disclosure.is_some(),
            TableKind::Application => !r.application.is_empty(),
            TableKind::Review => !r.review.is_empty(),
        };
        if present {
            continue;
        }
        let Some(section) = r.sections.iter().find(|s| s.number == kind.section()) else {
            continue;
        };
        let mut d = Diagnostic::new(
            &TABLE_MISSING,
            section.span,
            Message::new(
                format!(
                    "“{}”中没有可识别的{}",
                    &r.text[section.span.start..section.span.end],
                    kind.name_zh()
                ),
                format!(
                    "Section {} has no recognisable {}",
                    kind.section(),
                    kind.name_en()
                ),
            ),
        );
        if !section.inline {
            d = d.with_fix(crate::fix::table_after_heading(
                r.text,
                section.span,
                kind,
                version,
                style,
            ));
        }
        out.push(d);
    }

    let application = r.application.first();
    for t in r.disclosure.iter().chain(application) {
        missing_rows(r, t, style, out);
        labels(r, &t.labels, out);
        shapes(t, out);
        invalid(
            t.rows.iter().flat_map(|row| {
                row.cells
                    .iter()
                    .zip(row.spec.columns.iter().copied())
                    .map(move |(c, col)| (c, row.spec, col))
            }),
            r,
            out,
        );
    }
    if let Some(rv) = r.review.first() {
        labels(r, &rv.labels, out);
        if matches!(rv.shape, RowShape::Fewer(_) | RowShape::More(_)) {
            let found = match rv.shape {
                RowShape::Fewer(n) | RowShape::More(n) => n,
                _ => 15,
            };
            let span = rv.cells.first().map_or(rv.header_end, |c| c.span);
            out.push(Diagnostic::new(
                &CELL_COUNT,
                span,
                Message::new(
                    format!("表四的数据行有 {found} 个单元格，应为 15 个"),
                    format!("Table 四's data row has {found} cells instead of 15"),
                ),
            ));
        }
        invalid(
            rv.cells.iter().enumerate().map(|(i, c)| {
                (
                    c,
                    format::REVIEW_GROUPS[i / 5],
                    format::REVIEW_COLUMNS[i % 5],
                )
            }),
            r,
            out,
        );
    }

    // NB207 format-version
    if let (Some(year), Some(tables)) = (r.year, r.tables_version) {
        let required = FormatVersion::for_year(year);
        if tables != required {
            let span = application
                .filter(|t| t.version_from_structure)
                .map(|t| t.first_label)
                .or(r.disclosure.as_ref().map(|t| t.first_label))
                .unwrap_or_default();
            out.push(Diagnostic::new(
                &FORMAT_VERSION,
                span,
                Message::new(
                    format!(
                        "{year} 年度报告应使用 {} 年格式（{}），但表格是 {} 年格式",
                        required.as_str(),
                        required.document(),
                        tables.as_str()
                    ),
                    format!(
                        "A {year} report must use the {} format ({}), but its tables use the {} format",
                        required.as_str(),
                        required.document(),
                        tables.as_str()
                    ),
                ),
            ));
        }
    }
}

/// NB202: standard rows the table lacks, when the table is recognisably there.
fn missing_rows(r: &Report, t: &Table, style: &Style, out: &mut Vec<Diagnostic>) {
    let specs = match t.kind {
        TableKind::Application => format::application_rows(t.version),
        _ => format::disclosure_rows(t.version),
    };
    if t.rows.len() * 2 < specs.len() {
        return;
    }
    for (k, spec) in specs.iter().enumerate() {
        if t.row(spec.id).is_some() {
            continue;
        }
        let prev = specs[..k].iter().rev().find_map(|s| t.row(s.id));
        let next = specs[k + 1..].iter().find_map(|s| t.row(s.id));
        let (at, span) = match (prev, next) {
            (Some(p), _) => (next_line_start(r.text, p.end), Span::empty(p.end)),
            (None, Some(n)) => {
                let line_start = crate::fix::line_start(r.text, n.label.start);
                (line_start, Span::empty(n.label.start))
            }
            (None, None) => continue,
        };
        let mut d = Diagnostic::new(
            &ROW_MISSING,
            span,
            Message::new(
                format!("{}缺少“{}”行", t.kind.short_zh(), row_label(spec)),
                format!("{} lacks the row “{}”", t.kind.name_en(), row_label(spec)),
            ),
        );
        if !r.flattened {
            let width = if t.kind == TableKind::Application {
                8
            } else {
                4
            };
            let mut text = row_text(spec.label, spec.cells.len(), t.layout, width, style.newline);
            if at == r.text.len() && !r.text.ends_with(['\n', '\r']) {
                text.insert_str(0, style.newline);
            }
            d = d.with_fix(Fix {
                title: Message::new(
                    format!("插入“{}”行", row_label(spec)),
                    format!("Insert the row “{}”", spec.id),
                ),
                safe: true,
                edits: vec![Edit {
                    span: Span::empty(at),
                    new_text: text,
                }],
            });
        }
        out.push(d);
    }
}

/// NB203 label-nonstandard.
fn labels(r: &Report, issues: &[crate::report::LabelIssue], out: &mut Vec<Diagnostic>) {
    for issue in issues {
        let written = &r.text[issue.span.start..issue.span.end];
        let message = if issue.old_wording {
            Message::new(
                format!(
                    "2021 年格式的标签是“{}”，“{}”是 2019 年格式的写法",
                    issue.official, written
                ),
                format!(
                    "The 2021 format's label is “{}”; “{}” is the 2019 wording",
                    issue.official, written
                ),
            )
        } else {
            Message::new(
                format!("标签“{}”与规定不同：应为“{}”", written, issue.official),
                format!(
                    "Label “{}” differs from the official “{}”",
                    written, issue.official
                ),
            )
        };
        // Keep the report's own numbering style: replace only the differing label text.
        out.push(
            Diagnostic::new(&LABEL_NONSTANDARD, issue.span, message).with_fix(Fix {
                title: Message::new(
                    format!("改为“{}”", issue.official),
                    format!("Use “{}”", issue.official),
                ),
                safe: true,
                edits: vec![Edit {
                    span: issue.span,
                    new_text: issue.official.to_string(),
                }],
            }),
        );
    }
}

/// NB204 cell-count: rows with more or fewer cells than their columns. Many damaged rows in one
/// table are one problem (a lost column), reported once.
fn shapes(t: &Table, out: &mut Vec<Diagnostic>) {
    let bad: Vec<_> = t.rows.iter().filter(|r| !r.complete()).collect();
    if bad.is_empty() {
        return;
    }
    let describe = |row: &crate::report::Row| -> (String, String) {
        let n = row.spec.cells.len();
        match row.shape {
            RowShape::Fewer(k) | RowShape::More(k) => (
                format!("“{}”行有 {k} 个数值，应为 {n} 个", row_label(row.spec)),
                format!("Row “{}” has {k} values instead of {n}", row.spec.id),
            ),
            _ => (
                format!("“{}”行的数字粘连在一起，无法唯一拆分为 {n} 个单元格", row_label(row.spec)),
                format!("Row “{}”: the digits run together and split into {n} cells in more than one way", row.spec.id),
            ),
        }
    };
    if bad.len() <= 3 {
        for row in bad {
            let (zh, en) = describe(row);
            out.push(
                Diagnostic::new(
                    &CELL_COUNT,
                    row.label,
                    Message::new(format!("{}{zh}", t.kind.short_zh()), en),
                )
                .with_related(
                    row.cells
                        .iter()
                        .map(|c| Related {
                            span: c.span,
                            message: Message::new("已读到的单元格", "cell read"),
                        })
                        .collect(),
                ),
            );
        }
        return;
    }
    let related = bad
        .iter()
        .map(|row| {
            let (zh, en) = describe(row);
            Related {
                span: row.label,
                message: Message::new(zh, en),
            }
        })
        .collect();
    let lost = bad
        .iter()
        .all(|r| matches!(r.shape, RowShape::Fewer(k) if k + 1 == r.spec.cells.len()));
    let (zh, en) = if lost {
        (
            format!("{}有 {} 行各少 1 个单元格（可能在复制或 PDF 提取时丢失了一列），无法核对这些行的合计", t.kind.short_zh(), bad.len()),
            format!("{} rows of {} lack one cell each (a column was probably lost in extraction); their sums cannot be checked", bad.len(), t.kind.name_en()),
        )
    } else {
        (
            format!(
                "{}有 {} 行的单元格数与列数不符，无法核对这些行的合计",
                t.kind.short_zh(),
                bad.len()
            ),
            format!(
                "{} rows of {} have the wrong number of cells",
                bad.len(),
                t.kind.name_en()
            ),
        )
    };
    out.push(
        Diagnostic::new(&CELL_COUNT, bad[0].label, Message::new(zh, en)).with_related(related),
    );
}

/// A row's name in messages, computed only when a message needs it.
trait RowName {
    fn name(&self) -> &'static str;
}

impl RowName for &'static format::RowSpec {
    fn name(&self) -> &'static str {
        row_label(self)
    }
}

impl RowName for &'static str {
    fn name(&self) -> &'static str {
        self
    }
}

/// NB205 cell-invalid.
fn invalid<'c, R: RowName>(
    cells: impl Iterator<Item = (&'c Cell, R, &'static str)>,
    r: &Report,
    out: &mut Vec<Diagnostic>,
) {
    for (cell, row, column) in cells {
        let CellValue::Invalid(reason) = cell.value else {
            continue;
        };
        let row = row.name();
        let written = &r.text[cell.span.start..cell.span.end];
        let (zh, en) = match reason {
            InvalidReason::Text => ("不是数字", "is not a number"),
            InvalidReason::Negative => ("是负数，数量不能为负", "is negative; counts cannot be"),
            InvalidReason::Fraction => (
                "是小数，件数应为整数",
                "is a fraction; counts are whole numbers",
            ),
        };
        out.push(Diagnostic::new(
            &CELL_INVALID,
            cell.span,
            Message::new(
                format!("“{row}”的“{column}”单元格“{written}”{zh}"),
                format!("Cell “{written}” ({row}, {column}) {en}"),
            ),
        ));
    }
}

/// NB206 cell-blank: blank cells not already explained by an arithmetic finding, once per row
/// (or once per table when many rows have them). The fix fills them with what the sums say
/// ([`super::arithmetic::check`]): 0 when every sum the cells take part in holds with it (a blank
/// already sums as 0, so this changes no sum: safe); the value the sums determine, when that is
/// not 0 (the arithmetic rules count the cell at that value: unsafe); no fix when no value
/// makes the sums hold.
pub fn blanks(r: &Report, covered: &Covered, out: &mut Vec<Diagnostic>) {
    // Row name, row id, where the row starts, its blank cells and their fills, what fills one.
    type RowBlanks = (String, String, Span, Vec<(Span, Fill)>, &'static str);
    let mut tables: Vec<(&'static str, &'static str, Vec<RowBlanks>)> = Vec::new();
    let fill_of = |c: &Cell| c.fill;
    let blank = |c: &Cell| {
        (c.value.is_blank() && !covered.contains(&c.span)).then(|| (c.span, covered.fill(c.span)))
    };
    let mut collect = |name_zh: &'static str, name_en: &'static str, rows: Vec<RowBlanks>| {
        if !rows.is_empty() {
            tables.push((name_zh, name_en, rows));
        }
    };
    let from_table = |t: &Table| -> Vec<RowBlanks> {
        t.rows
            .iter()
            .filter(|row| row.complete())
            .filter_map(|row| {
                let cells: Vec<(Span, Fill)> = row.cells.iter().filter_map(blank).collect();
                let fill = row
                    .cells
                    .iter()
                    .find(|c| c.value.is_blank())
                    .map_or("0", fill_of);
                (!cells.is_empty()).then(|| {
                    (
                        row_label(row.spec).to_string(),
                        row.spec.id.to_string(),
                        row.label,
                        cells,
                        fill,
                    )
                })
            })
            .collect()
    };
    if let Some(t) = &r.disclosure {
        collect("表二", "table 二", from_table(t));
    }
    if let Some(t) = r.application.first() {
        collect("表三", "table 三", from_table(t));
    }
    if let Some(rv) = r.review.first().filter(|rv| rv.shape == RowShape::Complete) {
        let mut rows = Vec::new();
        for g in 0..3 {
            let cells = &rv.cells[g * 5..g * 5 + 5];
            let blanks: Vec<(Span, Fill)> = cells.iter().filter_map(blank).collect();
            if !blanks.is_empty() {
                let fill = cells
                    .iter()
                    .find(|c| c.value.is_blank())
                    .map_or("0", fill_of);
                rows.push((
                    format::REVIEW_GROUPS[g].to_string(),
                    format::REVIEW_GROUPS_EN[g].to_string(),
                    blanks[0].0,
                    blanks,
                    fill,
                ));
            }
        }
        collect("表四", "table 四", rows);
    }
    // The values the sums determine, for messages (`2`, `2、0`): none when every fill is 0.
    let values = |rows: &[&RowBlanks]| -> Vec<String> {
        let fills = || rows.iter().flat_map(|r| r.3.iter().map(|(_, f)| f));
        if !fills().any(|f| matches!(f, Fill::Value(_))) {
            return Vec::new();
        }
        fills()
            .map(|f| match f {
                Fill::Value(v) => v.to_string(),
                _ => "0".to_string(),
            })
            .collect()
    };
    // What the message adds about the fill.
    let hint = |rows: &[&RowBlanks]| -> (String, String) {
        let unknown = rows
            .iter()
            .any(|r| r.3.iter().any(|(_, f)| *f == Fill::Unknown));
        let values = values(rows);
        if unknown {
            (
                "（所在的合计填 0 也不成立，无法确定应填的数）".into(),
                " (its sums do not hold with 0 either; the number cannot be determined)".into(),
            )
        } else if !values.is_empty() {
            (
                format!("（按合计应为 {}）", values.join("、")),
                format!(" (the sums make it {})", values.join(", ")),
            )
        } else {
            (String::new(), String::new())
        }
    };
    for (name_zh, name_en, rows) in tables {
        // 0 changes no sum (a blank already counts as 0) and is safe when every sum holds
        // with it; a value the sums determine needs review; no fix when a sum holds with no
        // value the blanks could take.
        let fix_for = |rows: &[&RowBlanks]| -> Option<Fix> {
            let mut edits = Vec::new();
            for r in rows {
                for (span, fill) in &r.3 {
                    let value = match fill {
                        Fill::Zero => 0,
                        Fill::Value(v) => *v,
                        Fill::Unknown => return None,
                    };
                    edits.push(Edit {
                        span: *span,
                        new_text: r.4.replace('0', &value.to_string()),
                    });
                }
            }
            let values = values(rows);
            let title = if values.is_empty() {
                Message::new("空白单元格填 0", "Fill blank cells with 0")
            } else {
                Message::new(
                    format!("空白单元格按合计填入 {}", values.join("、")),
                    format!(
                        "Fill blank cells with {}, as the sums require",
                        values.join(", ")
                    ),
                )
            };
            (!edits.is_empty()).then_some(Fix {
                title,
                safe: values.is_empty(),
                edits,
            })
        };
        if rows.len() <= 3 {
            for row in &rows {
                let (label, id, _, cells, _) = row;
                let (hint_zh, hint_en) = hint(&[row]);
                let mut d = Diagnostic::new(
                    &CELL_BLANK,
                    cells[0].0,
                    Message::new(
                        format!(
                            "{name_zh}“{label}”行有 {} 个空白单元格：空白不等于 0，请填写数字{hint_zh}",
                            cells.len()
                        ),
                        format!(
                            "{name_en} row “{id}” has {} blank cells; a blank is not a zero{hint_en}",
                            cells.len()
                        ),
                    ),
                )
                .with_related(
                    cells[1..]
                        .iter()
                        .map(|(s, _)| Related {
                            span: *s,
                            message: Message::new("空白单元格", "blank cell"),
                        })
                        .collect(),
                );
                if let Some(f) = fix_for(&[row]) {
                    d = d.with_fix(f);
                }
                out.push(d);
            }
        } else {
            let count: usize = rows.iter().map(|r| r.3.len()).sum();
            let refs: Vec<&RowBlanks> = rows.iter().collect();
            let (hint_zh, hint_en) = hint(&refs);
            let mut d = Diagnostic::new(
                &CELL_BLANK,
                rows[0].3[0].0,
                Message::new(
                    format!(
                        "{name_zh}有 {count} 个空白单元格（{} 行）：空白不等于 0，请填写数字{hint_zh}",
                        rows.len()
                    ),
                    format!(
                        "{name_en} has {count} blank cells in {} rows; a blank is not a zero{hint_en}",
                        rows.len()
                    ),
                ),
            )
            .with_related(
                rows.iter()
                    .map(|r| Related {
                        span: r.2,
                        message: Message::new(
                            format!("“{}”行 {} 个空白", r.0, r.3.len()),
                            format!("row “{}”: {} blank", r.1, r.3.len()),
                        ),
                    })
                    .collect(),
            );
            if let Some(f) = fix_for(&refs) {
                d = d.with_fix(f);
            }
            out.push(d);
        }
    }
}

/// The layout a table is written in (for messages and fixes).
pub fn layout_name(layout: TableLayout) -> &'static str {
    match layout {
        TableLayout::Markdown => "Markdown",
        TableLayout::CellPerLine => "每格一行",
        TableLayout::Tabs => "制表符分隔",
        TableLayout::Pipes => "竖线分隔",
        TableLayout::CellPipe => "每格一行（竖线）",
        TableLayout::Flattened => "连排文本",
    }
}
