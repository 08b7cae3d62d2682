//! Arithmetic rules: row totals, （七）总计, the 勾稽 balance and table 四's totals
//! (NB301–NB304).
//!
//! One root cause, one diagnostic: a wrong or blank total is reported once, and the balance is
//! checked with the corrected totals, so that a balance that holds once the total is fixed is
//! no second error. Likewise a blank cell whose sums determine its value (a row total of 3
//! over a blank and a 1) counts at that value, and the sums it completes are no findings of
//! their own: NB206 reports the blank and offers the value. Rows with the wrong number of
//! cells (NB204) take part in no sum.

use super::*;
use crate::format;
use crate::report::{is_result_row, row_label, Cell, Report, ReviewTable, RowShape, Table};
use crate::{Diagnostic, Edit, Fix, Message, Related, Span};
// Cells are keyed by their spans, hashed many times per table: Fx, not SipHash.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

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

/// `实为 0` / `实为空`.
fn was(cell: &Cell) -> String {
    if cell.value.is_blank() {
        "实为空".to_string()
    } else {
        format!("实为 {}", cell.int())
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

// The parts of a sum are written straight into their messages: table 三's column sums have
// two dozen parts, each with a related-cell message in both languages.

/// Write a part of a sum as counted: `空（按 3 计）` for a blank counted at the value its own
/// sum gives it, `空` for another blank, else the number.
fn push_counted(out: &mut String, cell: &Cell, value: i64) {
    if !cell.value.is_blank() {
        push_int(out, cell.int());
    } else if value != 0 {
        out.push_str("空（按 ");
        push_int(out, value);
        out.push_str(" 计）");
    } else {
        out.push('空');
    }
}

/// Write a part of a sum in English: the number, or `blank`.
fn push_en(out: &mut String, cell: &Cell) {
    if cell.value.is_blank() {
        out.push_str("blank");
    } else {
        push_int(out, cell.int());
    }
}

fn push_int(out: &mut String, v: i64) {
    use std::fmt::Write;
    write!(out, "{v}").expect("a String takes any text");
}

fn show_en(cell: &Cell) -> String {
    let mut out = String::new();
    push_en(&mut out, cell);
    out
}

/// `自然人 1 + 商业企业 空（按 2 计） + …`; long sums list their non-zero parts only.
fn terms_zh(parts: &[(&str, &Cell)], val: &dyn Fn(&Cell) -> i64) -> String {
    let long = parts.len() > 6;
    let mut out = String::new();
    for &(label, cell) in parts {
        let value = val(cell);
        if long && value == 0 {
            continue;
        }
        if !out.is_empty() {
            out.push_str(" + ");
        }
        out.push_str(label);
        out.push(' ');
        push_counted(&mut out, cell, value);
    }
    if long {
        out.push_str(if out.is_empty() {
            "各项均为 0"
        } else {
            " + 其余各项 0"
        });
    }
    out
}

/// `自然人 = 1` for each part of a sum, at its cell.
fn related(parts: &[(&str, &Cell)], val: &dyn Fn(&Cell) -> i64) -> Vec<Related> {
    parts
        .iter()
        .map(|&(label, cell)| {
            let mut zh = String::with_capacity(label.len() + 24);
            zh.push_str(label);
            zh.push_str(" = ");
            push_counted(&mut zh, cell, val(cell));
            let mut en = String::with_capacity(label.len() + 8);
            en.push_str(label);
            en.push_str(" = ");
            push_en(&mut en, cell);
            Related {
                span: cell.span,
                message: Message::new(zh, en),
            }
        })
        .collect()
}

/// Findings of table 三.
pub fn application(t: &Table) -> Vec<Finding> {
    solve_application(t).findings
}

/// A cell's value in the sums: the value the sums determined for it (`filled`), else what is
/// written (a blank as 0).
fn counted(cell: &Cell, filled: &HashMap<Span, i64>) -> i64 {
    filled
        .get(&cell.span)
        .copied()
        .unwrap_or_else(|| cell.int())
}

/// Findings of table 三, counting the blank cells the sums determine (`filled`) at their value.
fn application_with(t: &Table, filled: &HashMap<Span, i64>) -> Vec<Finding> {
    let val = |cell: &Cell| counted(cell, filled);
    let mut out: Vec<Finding> = Vec::new();
    // NB301 row-total
    for row in t.rows.iter().filter(|r| r.complete() && r.cells.len() == 7) {
        let sum: i64 = row.cells[..6].iter().map(val).sum();
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
        let parts: Vec<(&str, &Cell)> = row.cells[..6]
            .iter()
            .zip(format::APPLICANT_COLUMNS)
            .map(|(c, l)| (l, c))
            .collect();
        let label = row_label(row.spec);
        let d = Diagnostic::new(
            &ROW_TOTAL,
            total.span,
            Message::new(
                format!("“{label}”行总计应为 {sum}（= {}），{}", terms_zh(&parts, &val), was(total)),
                format!("Row “{}”: the total should be {sum} (the sum of its six applicant cells), found {}", row.spec.id, show_en(total)),
            ),
        )
        .with_related(related(&parts, &val))
        .with_fix(set_total(total, sum));
        out.push(Finding {
            key: ("NB301", row.spec.id.to_string(), 6),
            diagnostic: d,
            corrects: Some((total.span, sum)),
        });
    }
    // NB302 result-total. A blank row total that NB301 reports counts at the value it gives
    // it: the blank is one finding, not a wrong （七）总计 too.
    let row_totals: HashMap<Span, i64> = out.iter().filter_map(|f| f.corrects).collect();
    let val = |cell: &Cell| match row_totals.get(&cell.span) {
        Some(v) if cell.value.is_blank() => *v,
        _ => val(cell),
    };
    let total_row = t.row("result-total").filter(|r| r.complete());
    let parts: Vec<_> = t.rows.iter().filter(|r| is_result_row(r.spec.id)).collect();
    if let Some(total_row) = total_row.filter(|_| parts.iter().all(|r| r.complete())) {
        for c in 0..7 {
            let sum: i64 = parts.iter().map(|r| val(&r.cells[c])).sum();
            let cell = &total_row.cells[c];
            if cell.value.as_int().is_none()
                || (cell.int() == sum && !(cell.value.is_blank() && sum != 0))
            {
                continue;
            }
            let terms: Vec<(&str, &Cell)> = parts
                .iter()
                .map(|r| (row_label(r.spec), &r.cells[c]))
                .collect();
            let column = format::APPLICANT_COLUMNS[c];
            let d = Diagnostic::new(
                &RESULT_TOTAL,
                cell.span,
                Message::new(
                    format!("（七）总计“{column}”列应为 {sum}（= {}），{}", terms_zh(&terms, &val), was(cell)),
                    format!("（七）总计, column {column}: should be {sum} (the sum of the result rows), found {}", show_en(cell)),
                ),
            )
            .with_related(related(&terms, &val))
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
            .unwrap_or_else(|| val(cell))
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
            let raw = val(cells[0]) + val(cells[1]) - val(cells[2]) - val(cells[3]);
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
    solve_review(r).findings
}

/// Findings of table 四, counting the blank cells the sums determine (`filled`) at their value.
fn review_with(r: &ReviewTable, filled: &HashMap<Span, i64>) -> Vec<Finding> {
    let val = |cell: &Cell| counted(cell, filled);
    let mut out = Vec::new();
    if r.shape != RowShape::Complete || r.cells.len() != 15 {
        return out;
    }
    for g in 0..3 {
        let cells = &r.cells[g * 5..g * 5 + 5];
        let sum: i64 = cells[..4].iter().map(val).sum();
        let total = &cells[4];
        if total.value.as_int().is_none()
            || (total.int() == sum && !(total.value.is_blank() && sum != 0))
        {
            continue;
        }
        let parts: Vec<(&str, &Cell)> = cells[..4]
            .iter()
            .zip(format::REVIEW_COLUMNS)
            .map(|(c, l)| (l, c))
            .collect();
        let group = format::REVIEW_GROUPS[g];
        let d = Diagnostic::new(
            &REVIEW_TOTAL,
            total.span,
            Message::new(
                format!(
                    "{group}总计应为 {sum}（= {}），{}",
                    terms_zh(&parts, &val),
                    was(total)
                ),
                format!(
                    "{}: the total should be {sum} (the sum of its four cells), found {}",
                    format::REVIEW_GROUPS_EN[g],
                    show_en(total)
                ),
            ),
        )
        .with_related(related(&parts, &val))
        .with_fix(set_total(total, sum));
        out.push(Finding {
            key: ("NB304", "review".into(), g),
            diagnostic: d,
            corrects: Some((total.span, sum)),
        });
    }
    out
}

/// What the sums say a blank cell should be filled with (NB206's fix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// Every sum the cell takes part in holds with 0: filling 0 is safe.
    Zero,
    /// The sums determine this value (not 0), and hold with it: filling it needs review.
    Value(i64),
    /// A sum the cell takes part in does not hold with 0, and the sums determine no one
    /// value that makes them all hold: no fix.
    Unknown,
}

/// What the arithmetic rules tell NB206: the cells their findings are about (a blank there is
/// not reported again), and what the sums say each blank cell should be filled with.
#[derive(Debug, Default)]
pub struct Covered {
    pub spans: Vec<Span>,
    pub fills: HashMap<Span, Fill>,
}

impl Covered {
    pub fn contains(&self, span: &Span) -> bool {
        self.spans.contains(span)
    }

    /// The fill of a blank cell; a cell in no sum (table 二) takes 0.
    pub fn fill(&self, span: Span) -> Fill {
        self.fills.get(&span).copied().unwrap_or(Fill::Zero)
    }
}

/// A sum a table states: `plus` adds up to `minus`. A row's six applicant cells to its total, a
/// column's result cells to （七）总计, a table 四 group's four cells to its total; or the
/// 勾稽: 一 and 二 to （七）总计 and 四.
struct Sum<'t> {
    kind: SumKind,
    plus: Vec<&'t Cell>,
    minus: Vec<&'t Cell>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SumKind {
    /// A row's total, or a table 四 group's.
    Row,
    /// A column's （七）总计.
    Result,
    /// The 勾稽.
    Balance,
}

impl<'t> Sum<'t> {
    fn cells(&self) -> impl Iterator<Item = (&'t Cell, i64)> + '_ {
        let plus = self.plus.iter().map(|c| (*c, 1));
        plus.chain(self.minus.iter().map(|c| (*c, -1)))
    }

    /// Whether the sum holds as the arithmetic rules compute it: blank cells at their fill
    /// (a blank total a finding reports, at the value the finding gives it), and the 勾稽 as
    /// written or with the corrected totals. A sum with an invalid cell holds with nothing.
    fn holds(&self, val: &impl Fn(&Cell) -> i64, corrected: &HashMap<Span, i64>) -> bool {
        if self.cells().any(|(c, _)| c.value.as_int().is_none()) {
            return false;
        }
        let diff = |v: &dyn Fn(&Cell) -> i64| self.cells().map(|(c, s)| s * v(c)).sum::<i64>();
        let counted = |c: &Cell| match corrected.get(&c.span) {
            Some(v) if c.value.is_blank() => *v,
            _ => val(c),
        };
        if self.kind == SumKind::Balance {
            let fixed = |c: &Cell| corrected.get(&c.span).copied().unwrap_or_else(|| val(c));
            return diff(&counted) == 0 || diff(&fixed) == 0;
        }
        diff(&counted) == 0
    }
}

/// Table 三's sums: row totals, the （七）总计 of each column and the 勾稽 — over the same rows
/// as the arithmetic rules.
fn application_sums(t: &Table) -> Vec<Sum<'_>> {
    let mut out = Vec::new();
    for row in t.rows.iter().filter(|r| r.complete() && r.cells.len() == 7) {
        out.push(Sum {
            kind: SumKind::Row,
            plus: row.cells[..6].iter().collect(),
            minus: vec![&row.cells[6]],
        });
    }
    let seven = |r: &&crate::report::Row| r.complete() && r.cells.len() == 7;
    let total_row = t.row("result-total").filter(seven);
    let parts: Vec<_> = t.rows.iter().filter(|r| is_result_row(r.spec.id)).collect();
    if let Some(total_row) = total_row.filter(|_| parts.iter().all(seven)) {
        for c in 0..7 {
            out.push(Sum {
                kind: SumKind::Result,
                plus: parts.iter().map(|r| &r.cells[c]).collect(),
                minus: vec![&total_row.cells[c]],
            });
        }
    }
    let rows =
        ["new", "carried-in", "result-total", "carried-out"].map(|id| t.row(id).filter(seven));
    if let [Some(new), Some(carried_in), Some(total), Some(carried_out)] = rows {
        for c in 0..7 {
            out.push(Sum {
                kind: SumKind::Balance,
                plus: vec![&new.cells[c], &carried_in.cells[c]],
                minus: vec![&total.cells[c], &carried_out.cells[c]],
            });
        }
    }
    out
}

/// Table 四's sums: each group's total.
fn review_sums(r: &ReviewTable) -> Vec<Sum<'_>> {
    if r.shape != RowShape::Complete || r.cells.len() != 15 {
        return Vec::new();
    }
    (0..3)
        .map(|g| Sum {
            kind: SumKind::Row,
            plus: r.cells[g * 5..g * 5 + 4].iter().collect(),
            minus: vec![&r.cells[g * 5 + 4]],
        })
        .collect()
}

/// The values the sums determine for blank cells: a sum whose only unknown is one blank cell
/// (not a total: a blank total is NB301's, NB302's or NB304's finding) gives it the value that
/// makes the sum hold; values found open further sums. A cell whose sums disagree, or give it
/// a negative value, is not determined (it counts as 0), nor is any cell in `undetermined`.
fn determine(sums: &[Sum], undetermined: &HashSet<Span>) -> HashMap<Span, i64> {
    let totals: HashSet<Span> = sums.iter().map(|s| s.minus[0].span).collect();
    let mut values: HashMap<Span, i64> = HashMap::default();
    let mut settled = undetermined.clone();
    loop {
        let unknown = |c: &Cell| {
            c.value.is_blank()
                && !totals.contains(&c.span)
                && !values.contains_key(&c.span)
                && !settled.contains(&c.span)
        };
        // A cell's value when it is known: written, determined, or a blank that counts as 0.
        // A blank total is unknown, except （七）总计 in the 勾稽, which the arithmetic rules
        // take as the sum of the result rows.
        let known = |c: &Cell| -> Option<i64> {
            if !c.value.is_blank() {
                c.value.as_int()
            } else if let Some(v) = values.get(&c.span) {
                Some(*v)
            } else if totals.contains(&c.span) {
                None
            } else {
                Some(0)
            }
        };
        let result_total = |total: &Cell| -> Option<i64> {
            let s = sums
                .iter()
                .find(|s| s.kind == SumKind::Result && s.minus[0].span == total.span)?;
            s.plus.iter().try_fold(0i64, |acc, c| {
                (!unknown(c)).then(|| known(c)).flatten().map(|v| acc + v)
            })
        };
        let mut candidates: HashMap<Span, Vec<i64>> = HashMap::default();
        for s in sums {
            let unknowns: Vec<(&Cell, i64)> = s.cells().filter(|(c, _)| unknown(c)).collect();
            let [(cell, sign)] = unknowns[..] else {
                continue;
            };
            let rest =
                s.cells()
                    .filter(|(c, _)| c.span != cell.span)
                    .try_fold(0i64, |acc, (c, sign)| {
                        let v = if s.kind == SumKind::Balance && c.span == s.minus[0].span {
                            result_total(c).or_else(|| (!c.value.is_blank()).then(|| c.int()))
                        } else {
                            known(c)
                        };
                        v.map(|v| acc + sign * v)
                    });
            if let Some(rest) = rest {
                candidates.entry(cell.span).or_default().push(-sign * rest);
            }
        }
        if candidates.is_empty() {
            return values;
        }
        for (span, c) in candidates {
            if c[0] >= 0 && c.iter().all(|v| *v == c[0]) {
                values.insert(span, c[0]);
            } else {
                settled.insert(span);
            }
        }
    }
}

/// A table's findings, and the fills of its blank cells.
struct Solved {
    findings: Vec<Finding>,
    fills: Vec<(Span, Fill)>,
}

/// Determine the blank cells the sums allow, and find the errors counting them at their value.
/// A determined value stands only when every sum its cell takes part in holds with it (the
/// blank is then the root cause of the sums' difference); otherwise the cell counts as 0, and
/// the findings are what they were without it.
fn solve(sums: &[Sum], findings_of: impl Fn(&HashMap<Span, i64>) -> Vec<Finding>) -> Solved {
    if !sums
        .iter()
        .flat_map(Sum::cells)
        .any(|(c, _)| c.value.is_blank())
    {
        return Solved {
            findings: findings_of(&HashMap::default()),
            fills: Vec::new(),
        };
    }
    let mut undetermined = HashSet::default();
    loop {
        let values = determine(sums, &undetermined);
        let findings = findings_of(&values);
        let corrected: HashMap<Span, i64> = findings.iter().filter_map(|f| f.corrects).collect();
        let val = |c: &Cell| counted(c, &values);
        // Each sum is checked once; a blank cell holds when every sum it is in does.
        let sum_holds: Vec<bool> = sums.iter().map(|s| s.holds(&val, &corrected)).collect();
        let mut sums_of: HashMap<Span, Vec<usize>> = HashMap::default();
        for (i, s) in sums.iter().enumerate() {
            for (c, _) in s.cells().filter(|(c, _)| c.value.is_blank()) {
                sums_of.entry(c.span).or_default().push(i);
            }
        }
        let holds = |span: Span| {
            sums_of
                .get(&span)
                .is_none_or(|of| of.iter().all(|&i| sum_holds[i]))
        };
        let wrong: Vec<Span> = values.keys().copied().filter(|s| !holds(*s)).collect();
        if !wrong.is_empty() {
            undetermined.extend(wrong);
            continue;
        }
        let mut fills: Vec<(Span, Fill)> = Vec::new();
        let mut filled: HashSet<Span> = HashSet::default();
        for (cell, _) in sums.iter().flat_map(Sum::cells) {
            if !cell.value.is_blank() || !filled.insert(cell.span) {
                continue;
            }
            let fill = match values.get(&cell.span) {
                _ if !holds(cell.span) => Fill::Unknown,
                Some(&v) if v != 0 => Fill::Value(v),
                _ => Fill::Zero,
            };
            fills.push((cell.span, fill));
        }
        return Solved { findings, fills };
    }
}

fn solve_application(t: &Table) -> Solved {
    // Most tables have no blank cell: nothing to determine, and no sums to list for it.
    if !t
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .any(|c| c.value.is_blank())
    {
        return Solved {
            findings: application_with(t, &HashMap::default()),
            fills: Vec::new(),
        };
    }
    solve(&application_sums(t), |v| application_with(t, v))
}

fn solve_review(r: &ReviewTable) -> Solved {
    if !r.cells.iter().any(|c| c.value.is_blank()) {
        return Solved {
            findings: review_with(r, &HashMap::default()),
            fills: Vec::new(),
        };
    }
    solve(&review_sums(r), |v| review_with(r, v))
}

/// Findings present in every reading; a finding only some readings have makes its row
/// ambiguous (NB204).
fn agree(
    readings: Vec<Vec<Finding>>,
    out: &mut Vec<Diagnostic>,
    ambiguous: &mut Vec<(&'static str, String)>,
) {
    let Some((first, rest)) = readings.split_first() else {
        return;
    };
    for f in first {
        if rest.iter().all(|r| r.iter().any(|g| g.key == f.key)) {
            out.push(f.diagnostic.clone());
        } else {
            ambiguous.push((f.key.0, f.key.1.clone()));
        }
    }
    for r in rest {
        for g in r {
            if !first.iter().any(|f| f.key == g.key) {
                ambiguous.push((g.key.0, g.key.1.clone()));
            }
        }
    }
}

/// Where to report (NB204) a finding only some readings have, and what to call it.
struct AmbiguousRow {
    span: Span,
    zh: String,
    en: String,
    /// The sum's other rows whose digits the readings split differently.
    also: Vec<(Span, &'static str)>,
}

/// The row a finding only some readings have is about. A row total is about its row; a
/// column's （七）总计 or 勾稽 about the rows in the sum whose digits the readings split
/// differently (else the row the finding points at: （七）总计, or 四 for the 勾稽); table 四's
/// totals about table 四.
fn ambiguous_row(r: &Report, code: &str, row_id: &str) -> AmbiguousRow {
    let review = || AmbiguousRow {
        span: r.review.first().map(|rv| rv.header_end).unwrap_or_default(),
        zh: "表四".into(),
        en: "Table 四".into(),
        also: Vec::new(),
    };
    let Some(first) = r.application.first() else {
        return review();
    };
    let (rows, fallback): (Vec<&str>, &str) = match code {
        "NB302" => (
            first
                .rows
                .iter()
                .map(|row| row.spec.id)
                .filter(|id| is_result_row(id) || *id == "result-total")
                .collect(),
            "result-total",
        ),
        "NB303" => (
            vec!["new", "carried-in", "result-total", "carried-out"],
            "carried-out",
        ),
        "NB304" => return review(),
        _ => (vec![row_id], row_id),
    };
    let cells = |t: &Table, id: &str| {
        t.row(id).map(|row| {
            row.cells
                .iter()
                .map(|c| (c.span, c.int()))
                .collect::<Vec<_>>()
        })
    };
    let split = |id: &&str| -> bool {
        r.application[1..]
            .iter()
            .any(|t| cells(t, id) != cells(first, id))
    };
    let mut split_rows = rows
        .iter()
        .copied()
        .filter(split)
        .filter_map(|id| first.row(id));
    match split_rows.next().or_else(|| first.row(fallback)) {
        Some(row) => AmbiguousRow {
            span: row.label,
            zh: row_label(row.spec).to_string(),
            en: format!("Row “{}”", row.spec.id),
            also: split_rows.map(|o| (o.label, row_label(o.spec))).collect(),
        },
        None => AmbiguousRow {
            span: first.first_label,
            zh: "表三".into(),
            en: "Table 三".into(),
            also: Vec::new(),
        },
    }
}

/// Run the arithmetic rules over every reading of the tables; returns the cells the findings
/// are about (blank cells there are not reported again as NB206) and what the sums say each
/// blank cell should be filled with.
pub fn check(r: &Report, out: &mut Vec<Diagnostic>) -> Covered {
    let mut found = Vec::new();
    let mut ambiguous = Vec::new();
    let application: Vec<Solved> = r.application.iter().map(solve_application).collect();
    let review: Vec<Solved> = r.review.iter().map(solve_review).collect();
    // Blank cells are read the same in every reading (only flattened text has several).
    let fills = application
        .first()
        .into_iter()
        .chain(review.first())
        .flat_map(|s| s.fills.iter().copied())
        .collect();
    agree(
        application.into_iter().map(|s| s.findings).collect(),
        &mut found,
        &mut ambiguous,
    );
    agree(
        review.into_iter().map(|s| s.findings).collect(),
        &mut found,
        &mut ambiguous,
    );
    let mut spans: Vec<Span> = found.iter().map(|d| d.span).collect();
    let mut rows: Vec<AmbiguousRow> = ambiguous
        .iter()
        .map(|(code, row_id)| ambiguous_row(r, code, row_id))
        .collect();
    rows.sort_by_key(|a| a.span.start);
    rows.dedup_by(|a, b| a.span == b.span);
    for a in rows {
        found.push(
            Diagnostic::new(
                &CELL_COUNT,
                a.span,
                Message::new(
                    format!("“{}”的数字连在一起，可以拆分为多种读法，其中有的合计不成立：请核对原表", a.zh),
                    format!("{}: the digits run together and split several ways, some of which do not add up", a.en),
                ),
            )
            .with_related(
                a.also
                    .iter()
                    .map(|(span, label)| Related {
                        span: *span,
                        message: Message::new(
                            format!("“{label}”的数字也可多种拆分"),
                            "also splits several ways",
                        ),
                    })
                    .collect(),
            ),
        );
        spans.push(a.span);
    }
    out.extend(found);
    Covered { spans, fills }
}
