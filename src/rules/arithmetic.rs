//! Arithmetic rules: row totals, （七）总计, the 勾稽 balance and table 四's totals
//! (NB301–NB304).
//!
//! One root cause, one diagnostic: a wrong or blank total is reported once, and the balance is
//! checked with the corrected totals, so that a balance that holds once the total is fixed is
//! no second error. Rows with the wrong number of cells (NB204) take part in no sum.

use super::*;
use crate::format;
use crate::report::{is_result_row, row_label, Cell, Report, ReviewTable, RowShape, Table};
use crate::{Diagnostic, Edit, Fix, Message, Related, Span};
use std::collections::HashMap;

rules! {
    ROW_TOTAL = "NB301" "row-total" Error Unsafe,
        "行总计不等于各申请人之和",
        "A row's total differs from the sum of its applicant cells",
        "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。\n修复（需确认）：将总计改为计算值——错的也可能是某个分项。";
    RESULT_TOTAL = "NB302" "result-total" Error Unsafe,
        "（七）总计不等于各办理结果之和",
        "（七）总计 differs from the sum of the result rows",
        "表三每一列：（七）总计 = （一）予以公开 + （二）部分公开 + （三）1–8 + （四）1–3 + （五）1–5 + （六）。\n修复（需确认）：将（七）总计改为计算值。空白的（七）总计也在此报告，且不会再引发勾稽关系错误。";
    BALANCE = "NB303" "balance" Error None,
        "勾稽关系不成立",
        "一 + 二 differs from （七）总计 + 四",
        "表三的勾稽关系：每一列中，一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理。（七）总计本身有误时只报告 NB302，并用改正后的值检查勾稽关系。";
    REVIEW_TOTAL = "NB304" "review-total" Error Unsafe,
        "表四总计不等于四项之和",
        "A table 四 total differs from the sum of its four cells",
        "表四的行政复议、未经复议直接起诉、复议后起诉三组中，总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。\n修复（需确认）：将总计改为计算值。";
}

/// A diagnostic and what it is about, independent of where a reading put the cells.
pub struct Finding {
    pub key: (&'static str, String, usize),
    pub diagnostic: Diagnostic,
    /// The cell the finding corrects, and its corrected value.
    pub corrects: Option<(Span, i64)>,
}

fn show(cell: &Cell) -> String {
    if cell.value.is_blank() {
        "空".to_string()
    } else {
        cell.int().to_string()
    }
}

/// `实为 0` / `实为空`.
fn was(cell: &Cell) -> String {
    if cell.value.is_blank() {
        "实为空".to_string()
    } else {
        format!("实为 {}", cell.int())
    }
}

fn show_en(cell: &Cell) -> String {
    if cell.value.is_blank() {
        "blank".to_string()
    } else {
        cell.int().to_string()
    }
}

/// The fix replacing a total with the computed sum: unsafe, since the wrong number may be one
/// of the parts.
fn set_total(cell: &Cell, value: i64) -> Fix {
    let new_text = if cell.value.is_blank() && cell.fill != "0" {
        cell.fill.replace('0', &value.to_string())
    } else {
        value.to_string()
    };
    Fix {
        title: Message::new(
            format!("将总计改为 {value}"),
            format!("Change the total to {value}"),
        ),
        safe: false,
        edits: vec![Edit {
            span: cell.span,
            new_text,
        }],
    }
}

fn terms_zh(parts: &[(String, &Cell)]) -> String {
    // Long sums list their non-zero parts only.
    let shown: Vec<String> = if parts.len() > 6 {
        let nz: Vec<String> = parts
            .iter()
            .filter(|(_, c)| c.int() != 0)
            .map(|(l, c)| format!("{l} {}", c.int()))
            .collect();
        if nz.is_empty() {
            vec!["各项均为 0".to_string()]
        } else {
            let mut v = nz;
            v.push("其余各项 0".to_string());
            v
        }
    } else {
        parts
            .iter()
            .map(|(l, c)| format!("{l} {}", show(c)))
            .collect()
    };
    shown.join(" + ")
}

fn related(parts: &[(String, &Cell)]) -> Vec<Related> {
    parts
        .iter()
        .map(|(l, c)| Related {
            span: c.span,
            message: Message::new(
                format!("{l} = {}", show(c)),
                format!("{l} = {}", show_en(c)),
            ),
        })
        .collect()
}

/// Findings of table 三.
pub fn application(t: &Table) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    // NB301 row-total
    for row in t.rows.iter().filter(|r| r.complete() && r.cells.len() == 7) {
        let sum: i64 = row.cells[..6].iter().map(Cell::int).sum();
        let total = &row.cells[6];
        if total.int() == sum && !(total.value.is_blank() && sum != 0) {
            continue;
        }
        if total.value.as_int().is_none() {
            continue; // NB205 reports it.
        }
        // A row with only its total filled in: the blanks are NB206's (or NB302's) finding,
        // and the total itself may well be right.
        if row.cells[..6].iter().all(|c| c.value.is_blank()) {
            continue;
        }
        let parts: Vec<(String, &Cell)> = row.cells[..6]
            .iter()
            .zip(format::APPLICANT_COLUMNS)
            .map(|(c, l)| (l.to_string(), c))
            .collect();
        let label = row_label(row.spec);
        let d = Diagnostic::new(
            &ROW_TOTAL,
            total.span,
            Message::new(
                format!("“{label}”行总计应为 {sum}（= {}），{}", terms_zh(&parts), was(total)),
                format!("Row “{}”: the total should be {sum} (the sum of its six applicant cells), found {}", row.spec.id, show_en(total)),
            ),
        )
        .with_related(related(&parts))
        .with_fix(set_total(total, sum));
        out.push(Finding {
            key: ("NB301", row.spec.id.to_string(), 6),
            diagnostic: d,
            corrects: Some((total.span, sum)),
        });
    }
    // NB302 result-total
    let total_row = t.row("result-total").filter(|r| r.complete());
    let parts: Vec<_> = t.rows.iter().filter(|r| is_result_row(r.spec.id)).collect();
    if let Some(total_row) = total_row.filter(|_| parts.iter().all(|r| r.complete())) {
        for c in 0..7 {
            let sum: i64 = parts.iter().map(|r| r.cells[c].int()).sum();
            let cell = &total_row.cells[c];
            if cell.value.as_int().is_none()
                || (cell.int() == sum && !(cell.value.is_blank() && sum != 0))
            {
                continue;
            }
            let terms: Vec<(String, &Cell)> = parts
                .iter()
                .map(|r| (row_label(r.spec).to_string(), &r.cells[c]))
                .collect();
            let column = format::APPLICANT_COLUMNS[c];
            let d = Diagnostic::new(
                &RESULT_TOTAL,
                cell.span,
                Message::new(
                    format!("（七）总计“{column}”列应为 {sum}（= {}），{}", terms_zh(&terms), was(cell)),
                    format!("（七）总计, column {column}: should be {sum} (the sum of the result rows), found {}", show_en(cell)),
                ),
            )
            .with_related(related(&terms))
            .with_fix(set_total(cell, sum));
            out.push(Finding {
                key: ("NB302", "result-total".into(), c),
                diagnostic: d,
                corrects: Some((cell.span, sum)),
            });
        }
    }
    // The same cell wrong as a row total and as a column total: one diagnostic.
    let col_targets: Vec<Span> = out
        .iter()
        .filter(|f| f.key.0 == "NB302")
        .map(|f| f.diagnostic.span)
        .collect();
    out.retain(|f| !(f.key.0 == "NB301" && col_targets.contains(&f.diagnostic.span)));

    // NB303 balance, with the corrected totals.
    let corrected: HashMap<Span, i64> = out.iter().filter_map(|f| f.corrects).collect();
    let value = |cell: &Cell| {
        corrected
            .get(&cell.span)
            .copied()
            .unwrap_or_else(|| cell.int())
    };
    let rows = ["new", "carried-in", "result-total", "carried-out"]
        .map(|id| t.row(id).filter(|r| r.complete()));
    if let [Some(new), Some(carried_in), Some(total), Some(carried_out)] = rows {
        for c in 0..7 {
            let cells = [
                &new.cells[c],
                &carried_in.cells[c],
                &total.cells[c],
                &carried_out.cells[c],
            ];
            if cells.iter().any(|x| x.value.as_int().is_none()) {
                continue;
            }
            let raw = cells[0].int() + cells[1].int() - cells[2].int() - cells[3].int();
            let left = value(cells[0]) + value(cells[1]);
            let right = value(cells[2]) + value(cells[3]);
            if raw == 0 || left == right {
                continue;
            }
            let column = format::APPLICANT_COLUMNS[c];
            let d = Diagnostic::new(
                &BALANCE,
                cells[3].span,
                Message::new(
                    format!(
                        "“{column}”列勾稽关系不成立：一、本年新收 {} + 二、上年结转 {} = {left}，而（七）总计 {} + 四、结转下年度 {} = {right}",
                        value(cells[0]),
                        value(cells[1]),
                        value(cells[2]),
                        value(cells[3])
                    ),
                    format!("Column {column}: 一 + 二 = {left} but （七）总计 + 四 = {right}"),
                ),
            )
            .with_related(vec![
                Related { span: cells[0].span, message: Message::new("一、本年新收", "一 (new)") },
                Related { span: cells[1].span, message: Message::new("二、上年结转", "二 (carried in)") },
                Related { span: cells[2].span, message: Message::new("（七）总计", "（七） total") },
            ]);
            out.push(Finding {
                key: ("NB303", "balance".into(), c),
                diagnostic: d,
                corrects: None,
            });
        }
    }
    out
}

/// Findings of table 四.
pub fn review(r: &ReviewTable) -> Vec<Finding> {
    let mut out = Vec::new();
    if r.shape != RowShape::Complete || r.cells.len() != 15 {
        return out;
    }
    for g in 0..3 {
        let cells = &r.cells[g * 5..g * 5 + 5];
        let sum: i64 = cells[..4].iter().map(Cell::int).sum();
        let total = &cells[4];
        if total.value.as_int().is_none()
            || (total.int() == sum && !(total.value.is_blank() && sum != 0))
        {
            continue;
        }
        let parts: Vec<(String, &Cell)> = cells[..4]
            .iter()
            .zip(format::REVIEW_COLUMNS)
            .map(|(c, l)| (l.to_string(), c))
            .collect();
        let group = format::REVIEW_GROUPS[g];
        let d = Diagnostic::new(
            &REVIEW_TOTAL,
            total.span,
            Message::new(
                format!(
                    "{group}总计应为 {sum}（= {}），{}",
                    terms_zh(&parts),
                    was(total)
                ),
                format!(
                    "{}: the total should be {sum} (the sum of its four cells), found {}",
                    format::REVIEW_GROUPS_EN[g],
                    show_en(total)
                ),
            ),
        )
        .with_related(related(&parts))
        .with_fix(set_total(total, sum));
        out.push(Finding {
            key: ("NB304", "review".into(), g),
            diagnostic: d,
            corrects: Some((total.span, sum)),
        });
    }
    out
}

/// Findings present in every reading; a finding only some readings have makes its row
/// ambiguous (NB204).
fn agree(
    readings: Vec<Vec<Finding>>,
    out: &mut Vec<Diagnostic>,
    ambiguous: &mut Vec<(String, usize)>,
) {
    let Some((first, rest)) = readings.split_first() else {
        return;
    };
    for f in first {
        if rest.iter().all(|r| r.iter().any(|g| g.key == f.key)) {
            out.push(f.diagnostic.clone());
        } else {
            ambiguous.push((f.key.1.clone(), f.key.2));
        }
    }
    for r in rest {
        for g in r {
            if !first.iter().any(|f| f.key == g.key) {
                ambiguous.push((g.key.1.clone(), g.key.2));
            }
        }
    }
}

/// Run the arithmetic rules over every reading of the tables; returns the cells the findings
/// are about (blank cells there are not reported again as NB206).
pub fn check(r: &Report, out: &mut Vec<Diagnostic>) -> Vec<Span> {
    let mut found = Vec::new();
    let mut ambiguous = Vec::new();
    agree(
        r.application.iter().map(application).collect(),
        &mut found,
        &mut ambiguous,
    );
    agree(
        r.review.iter().map(review).collect(),
        &mut found,
        &mut ambiguous,
    );
    let mut covered: Vec<Span> = found.iter().map(|d| d.span).collect();
    ambiguous.sort();
    ambiguous.dedup_by(|a, b| a.0 == b.0);
    for (row_id, _) in ambiguous {
        let span = r
            .application
            .first()
            .and_then(|t| t.row(&row_id).map(|row| row.label))
            .or_else(|| r.review.first().map(|rv| rv.header_end))
            .unwrap_or_default();
        let label = r
            .application
            .first()
            .and_then(|t| t.row(&row_id).map(|row| row_label(row.spec)))
            .map(str::to_string)
            .unwrap_or_else(|| {
                if row_id == "review" {
                    "表四".into()
                } else {
                    row_id.clone()
                }
            });
        found.push(Diagnostic::new(
            &CELL_COUNT,
            span,
            Message::new(
                format!("“{label}”的数字连在一起，可以拆分为多种读法，其中有的合计不成立：请核对原表"),
                format!("Row “{row_id}”: the digits run together and split several ways, some of which do not add up"),
            ),
        ));
        covered.push(span);
    }
    out.extend(found);
    covered
}
