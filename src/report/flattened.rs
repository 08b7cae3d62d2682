//! Text scraped from web pages with every tag stripped: the whole report on one line, headings
//! inline, a table's cells run together (`（一）予以公开221000023`).
//!
//! Labels are found inside the run of text; the digits between two labels are split into the
//! row's cells in every way the cell grammar allows (no cell but `0` starts with 0; spaces are
//! noise). A table is read as a whole: the readings in which the table's own sums hold best
//! are kept, and the rules report only what every best reading agrees on.

use super::labels::{all_labels, LabelHit, LabelRef};
use super::tables::{Cell, LabelIssue, ReviewTable, Row, RowShape, Table};
use super::Report;
use crate::format::{self, CellKind, FormatVersion, TableKind};
use crate::syntax::normalize::normalize_char;
use crate::syntax::normalize::CellValue;
use crate::syntax::{Document, TableLayout};
use crate::Span;
// Looked up at every character of the flattened line: Fx, not SipHash.
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// The line with whitespace and quotes removed, each kept character mapped to its bytes.
struct Squeezed {
    chars: Vec<char>,
    /// Byte range in the text of each kept character.
    at: Vec<Span>,
}

fn squeeze(text: &str, range: Span) -> Squeezed {
    let mut chars = Vec::new();
    let mut at = Vec::new();
    let mut prev_digit = false;
    for (i, c) in text[range.start..range.end].char_indices() {
        let start = range.start + i;
        if let Some(m) = normalize_char(c, prev_digit) {
            prev_digit = m.is_ascii_digit();
            chars.push(m);
            at.push(Span::new(start, start + c.len_utf8()));
        }
    }
    Squeezed { chars, at }
}

#[derive(Clone, Debug)]
enum Token {
    Label {
        hit: LabelHit,
        span: Span,
    },
    /// Digits, as positions into the squeezed characters.
    Run {
        from: usize,
        to: usize,
    },
}

/// Labels of `kind` and the digit runs between them.
fn tokens(sq: &Squeezed, kind: TableKind) -> Vec<Token> {
    type Labels = HashMap<char, Vec<(Vec<char>, LabelHit)>>;
    static BY_KIND: OnceLock<[Labels; 3]> = OnceLock::new();
    // The labels of each table, by first character (longest first).
    let by_kind = BY_KIND.get_or_init(|| {
        [
            TableKind::Disclosure,
            TableKind::Application,
            TableKind::Review,
        ]
        .map(|kind| {
            let mut m: Labels = HashMap::default();
            for (k, h) in all_labels() {
                if h.what.table() == kind
                    || (kind == TableKind::Review && matches!(h.what, LabelRef::AppHeader))
                {
                    let chars: Vec<char> = k.chars().collect();
                    m.entry(chars[0]).or_default().push((chars, *h));
                }
            }
            m
        })
    });
    let labels = &by_kind[match kind {
        TableKind::Disclosure => 0,
        TableKind::Application => 1,
        TableKind::Review => 2,
    }];
    let none = Vec::new();
    let starting = |c: char| labels.get(&c).unwrap_or(&none);
    let mut out = Vec::new();
    let mut p = 0;
    let n = sq.chars.len();
    while p < n {
        let hit = starting(sq.chars[p])
            .iter()
            .find(|(l, _)| sq.chars[p..].starts_with(l));
        if let Some((l, h)) = hit {
            out.push(Token::Label {
                hit: *h,
                span: Span::new(sq.at[p].start, sq.at[p + l.len() - 1].end),
            });
            p += l.len();
            continue;
        }
        if sq.chars[p].is_ascii_digit() {
            let from = p;
            while p < n
                && sq.chars[p].is_ascii_digit()
                && !starting(sq.chars[p])
                    .iter()
                    .any(|(l, _)| sq.chars[p..].starts_with(l))
            {
                p += 1;
            }
            out.push(Token::Run { from, to: p });
            continue;
        }
        p += 1;
    }
    out
}

/// Every way to split `digits` into `n` cells (no cell but `0` starts with 0), up to `limit`.
fn segment(digits: &[char], n: usize, limit: usize) -> Vec<Vec<(usize, usize)>> {
    fn go(
        d: &[char],
        pos: usize,
        left: usize,
        cur: &mut Vec<(usize, usize)>,
        out: &mut Vec<Vec<(usize, usize)>>,
        limit: usize,
    ) {
        if out.len() >= limit {
            return;
        }
        if left == 0 {
            if pos == d.len() {
                out.push(cur.clone());
            }
            return;
        }
        let remaining = d.len() - pos;
        if remaining < left {
            return;
        }
        let max = (remaining - (left - 1)).min(9);
        for len in 1..=max {
            if d[pos] == '0' && len > 1 {
                break;
            }
            cur.push((pos, pos + len));
            go(d, pos + len, left - 1, cur, out, limit);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    go(digits, 0, n, &mut Vec::new(), &mut out, limit);
    out
}

fn value_of(sq: &Squeezed, from: usize, (a, b): (usize, usize)) -> i64 {
    sq.chars[from + a..from + b].iter().fold(0i64, |v, c| {
        v.saturating_mul(10)
            .saturating_add(c.to_digit(10).unwrap_or(0) as i64)
    })
}

fn cell(sq: &Squeezed, from: usize, seg: (usize, usize), kind: CellKind) -> Cell {
    let span = Span::new(sq.at[from + seg.0].start, sq.at[from + seg.1 - 1].end);
    Cell {
        span,
        value: CellValue::Int(value_of(sq, from, seg)),
        kind,
        fill: "0",
    }
}

/// The ways a row's digits split: cell ranges and their values, in the same order.
type RowCandidates = (Vec<Vec<(usize, usize)>>, Vec<Vec<i64>>);

/// A row label and the run after it.
struct RowRun {
    spec: &'static format::RowSpec,
    label: Span,
    run: Option<(usize, usize)>,
}

fn rows_of(
    tokens: &[Token],
    specs: &'static [format::RowSpec],
    pick: impl Fn(&LabelHit, usize) -> Option<&'static str>,
) -> Vec<RowRun> {
    let mut out: Vec<RowRun> = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let Token::Label { hit, span } = t else {
            continue;
        };
        let Some(id) = pick(hit, k) else { continue };
        let Some(spec) = specs.iter().find(|s| s.id == id) else {
            continue;
        };
        if out.iter().any(|r| r.spec.id == id) {
            continue;
        }
        let run = match tokens.get(k + 1) {
            Some(Token::Run { from, to }) => Some((*from, *to)),
            _ => None,
        };
        out.push(RowRun {
            spec,
            label: *span,
            run,
        });
    }
    out
}

fn label_issues(tokens: &[Token]) -> Vec<LabelIssue> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Label {
                hit: LabelHit {
                    official: Some(o), ..
                },
                span,
            } => Some(LabelIssue {
                span: *span,
                official: o,
                old_wording: false,
            }),
            _ => None,
        })
        .collect()
}

/// Score of a reading of table 三: how many of its own sums hold.
fn application_score(values: &[(&'static str, Vec<i64>)]) -> usize {
    let get = |id: &str| values.iter().find(|(i, _)| *i == id).map(|(_, v)| v);
    let mut score = values
        .iter()
        .filter(|(_, v)| v.len() == 7 && v[..6].iter().sum::<i64>() == v[6])
        .count();
    let results: Vec<&Vec<i64>> = values
        .iter()
        .filter(|(id, _)| super::is_result_row(id))
        .map(|(_, v)| v)
        .collect();
    if let (Some(total), Some(new), Some(cin), Some(cout)) = (
        get("result-total"),
        get("new"),
        get("carried-in"),
        get("carried-out"),
    ) {
        for c in 0..7 {
            if results.iter().map(|r| r[c]).sum::<i64>() == total[c] {
                score += 1;
            }
            if new[c] + cin[c] == total[c] + cout[c] {
                score += 1;
            }
        }
    }
    score
}

/// The best readings among the candidates of each row (index per row), by `score`.
fn best_readings(
    cands: &[Vec<Vec<i64>>],
    score: impl Fn(&[usize]) -> usize,
    keep: usize,
) -> Vec<Vec<usize>> {
    let product: usize = cands
        .iter()
        .map(|c| c.len().max(1))
        .try_fold(1usize, |a, b| a.checked_mul(b))
        .unwrap_or(usize::MAX);
    let mut best: Vec<Vec<usize>> = Vec::new();
    let mut best_score = 0;
    let mut consider = |pick: &[usize], best: &mut Vec<Vec<usize>>| {
        let s = score(pick);
        if s > best_score || best.is_empty() {
            best_score = s;
            best.clear();
        }
        if s == best_score && best.len() < keep {
            best.push(pick.to_vec());
        }
    };
    if product <= 20_000 {
        let mut pick = vec![0; cands.len()];
        loop {
            consider(&pick, &mut best);
            let mut k = 0;
            while k < pick.len() {
                pick[k] += 1;
                if pick[k] < cands[k].len() {
                    break;
                }
                pick[k] = 0;
                k += 1;
            }
            if k == pick.len() {
                break;
            }
        }
    } else {
        // Coordinate ascent from the first candidates.
        let mut pick = vec![0; cands.len()];
        for _ in 0..4 {
            for k in 0..cands.len() {
                let mut bk = pick[k];
                let mut bs = score(&pick);
                for c in 0..cands[k].len() {
                    pick[k] = c;
                    let s = score(&pick);
                    if s > bs {
                        bs = s;
                        bk = c;
                    }
                }
                pick[k] = bk;
            }
        }
        consider(&pick, &mut best);
    }
    best
}

fn region(report: &Report, number: u8, line_span: Span) -> Option<Span> {
    let own = report.sections.iter().find(|s| s.number == number)?;
    let end = report
        .sections
        .iter()
        .filter(|s| s.span.start > own.span.start)
        .map(|s| s.span.start)
        .min()
        .unwrap_or(line_span.end);
    Some(Span::new(own.span.end, end))
}

pub fn read_tables(
    report: &mut Report,
    doc: &Document,
    line: usize,
    year_version: Option<FormatVersion>,
) {
    let line_span = doc.line_span(line);
    let text = doc.text;
    report.layout = TableLayout::Flattened;

    // Table 二: rows are independent; the first reading of each row.
    if let Some(range) = region(report, 2, line_span) {
        let sq = squeeze(text, range);
        let toks = tokens(&sq, TableKind::Disclosure);
        let votes = toks.iter().fold([0, 0], |mut v, t| {
            match t {
                Token::Label {
                    hit:
                        LabelHit {
                            what: LabelRef::DiscHeader(Some(FormatVersion::V2019)),
                            ..
                        },
                    ..
                } => v[0] += 1,
                Token::Label {
                    hit:
                        LabelHit {
                            what: LabelRef::DiscHeader(Some(FormatVersion::V2021)),
                            ..
                        },
                    ..
                } => v[1] += 1,
                _ => {}
            }
            v
        });
        let structural = match votes[0].cmp(&votes[1]) {
            std::cmp::Ordering::Greater => Some(FormatVersion::V2019),
            std::cmp::Ordering::Less => Some(FormatVersion::V2021),
            _ => None,
        };
        let version = structural.or(year_version).unwrap_or(FormatVersion::V2021);
        let specs = format::disclosure_rows(version);
        let rows = rows_of(&toks, specs, |h, _| match h.what {
            LabelRef::DiscRow(id) => Some(id),
            _ => None,
        });
        if rows.len() >= 2 {
            let table_rows = rows
                .iter()
                .map(|r| {
                    let n = r.spec.cells.len();
                    let (cells, shape) = match r.run {
                        Some((from, to)) => match segment(&sq.chars[from..to], n, 1).first() {
                            Some(seg) => (
                                seg.iter()
                                    .zip(r.spec.cells)
                                    .map(|(s, k)| cell(&sq, from, *s, *k))
                                    .collect(),
                                RowShape::Complete,
                            ),
                            None => (
                                Vec::new(),
                                if to - from < n {
                                    RowShape::Fewer(to - from)
                                } else {
                                    RowShape::More(to - from)
                                },
                            ),
                        },
                        None => (Vec::new(), RowShape::Fewer(0)),
                    };
                    Row {
                        spec: r.spec,
                        label: r.label,
                        cells,
                        shape,
                        end: line_span.end,
                    }
                })
                .collect::<Vec<_>>();
            let span = table_rows
                .iter()
                .fold(table_rows[0].label, |s, r| s.cover(r.span()));
            report.disclosure = Some(Table {
                kind: TableKind::Disclosure,
                version,
                version_from_structure: structural.is_some(),
                first_label: table_rows[0].label,
                rows: table_rows,
                span,
                labels: label_issues(&toks),
                layout: TableLayout::Flattened,
            });
        }
    }

    // Table 三: read as a whole.
    if let Some(range) = region(report, 3, line_span) {
        let sq = squeeze(text, range);
        let toks = tokens(&sq, TableKind::Application);
        let has_sub = toks.iter().any(|t| matches!(t, Token::Label { hit: LabelHit { what: LabelRef::AppRow(r), .. }, .. } if r.id.starts_with("other-")));
        let version = if has_sub {
            FormatVersion::V2021
        } else {
            year_version.unwrap_or(FormatVersion::V2021)
        };
        let specs = format::application_rows(version);
        let rows = rows_of(&toks, specs, |h, _| match h.what {
            LabelRef::AppRow(r) => Some(r.id),
            LabelRef::AppOther if version == FormatVersion::V2019 => Some("other"),
            _ => None,
        });
        if rows.len() >= 3 {
            // Candidates per row; those whose row total holds, when any does.
            let cands: Vec<RowCandidates> = rows
                .iter()
                .map(|r| {
                    let Some((from, to)) = r.run else {
                        return (Vec::new(), Vec::new());
                    };
                    let segs = segment(&sq.chars[from..to], 7, 2000);
                    let vals: Vec<Vec<i64>> = segs
                        .iter()
                        .map(|s| s.iter().map(|&x| value_of(&sq, from, x)).collect())
                        .collect();
                    let holds: Vec<usize> = (0..vals.len())
                        .filter(|&k| vals[k][..6].iter().sum::<i64>() == vals[k][6])
                        .collect();
                    if holds.is_empty() {
                        (segs, vals)
                    } else {
                        (
                            holds.iter().map(|&k| segs[k].clone()).collect(),
                            holds.iter().map(|&k| vals[k].clone()).collect(),
                        )
                    }
                })
                .collect();
            let values: Vec<Vec<Vec<i64>>> = cands.iter().map(|c| c.1.clone()).collect();
            let readings = best_readings(
                &values,
                |pick| {
                    let v: Vec<(&'static str, Vec<i64>)> = rows
                        .iter()
                        .enumerate()
                        .filter_map(|(i, r)| values[i].get(pick[i]).map(|v| (r.spec.id, v.clone())))
                        .collect();
                    application_score(&v)
                },
                8,
            );
            let labels = label_issues(&toks);
            let first_label = rows[0].label;
            for pick in readings {
                let table_rows: Vec<Row> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let (cells, shape) = match (r.run, cands[i].0.get(pick[i])) {
                            (Some((from, _)), Some(seg)) => (
                                seg.iter()
                                    .map(|s| cell(&sq, from, *s, CellKind::Count))
                                    .collect(),
                                RowShape::Complete,
                            ),
                            (Some((from, to)), None) => (
                                Vec::new(),
                                if to - from < 7 {
                                    RowShape::Fewer(to - from)
                                } else {
                                    RowShape::More(to - from)
                                },
                            ),
                            (None, _) => (Vec::new(), RowShape::Fewer(0)),
                        };
                        Row {
                            spec: r.spec,
                            label: r.label,
                            cells,
                            shape,
                            end: line_span.end,
                        }
                    })
                    .collect();
                let span = table_rows
                    .iter()
                    .fold(first_label, |s, r| s.cover(r.span()));
                report.application.push(Table {
                    kind: TableKind::Application,
                    version,
                    version_from_structure: has_sub,
                    rows: table_rows,
                    span,
                    labels: labels.clone(),
                    layout: TableLayout::Flattened,
                    first_label,
                });
            }
        }
    }

    // Table 四: fifteen cells after the last header.
    if let Some(range) = region(report, 4, line_span) {
        let sq = squeeze(text, range);
        let toks = tokens(&sq, TableKind::Review);
        let last_header = toks.iter().rposition(|t| matches!(t, Token::Label { .. }));
        if let Some(h) = last_header.filter(|_| {
            toks.iter()
                .filter(|t| matches!(t, Token::Label { .. }))
                .count()
                >= 3
        }) {
            let Token::Label {
                span: header_end, ..
            } = toks[h]
            else {
                return;
            };
            let first_label = match toks.iter().find(|t| matches!(t, Token::Label { .. })) {
                Some(Token::Label { span, .. }) => *span,
                _ => header_end,
            };
            let labels = label_issues(&toks);
            match toks.get(h + 1) {
                Some(&Token::Run { from, to }) => {
                    let segs = segment(&sq.chars[from..to], 15, 5000);
                    let vals: Vec<Vec<i64>> = segs
                        .iter()
                        .map(|s| s.iter().map(|&x| value_of(&sq, from, x)).collect())
                        .collect();
                    let score = |v: &Vec<i64>| {
                        (0..3)
                            .filter(|g| v[g * 5..g * 5 + 4].iter().sum::<i64>() == v[g * 5 + 4])
                            .count()
                    };
                    let best = vals.iter().map(score).max().unwrap_or(0);
                    for (seg, v) in segs
                        .iter()
                        .zip(&vals)
                        .filter(|(_, v)| score(v) == best)
                        .take(8)
                    {
                        let cells: Vec<Cell> = seg
                            .iter()
                            .map(|s| cell(&sq, from, *s, CellKind::Count))
                            .collect();
                        let _ = v;
                        let span = cells.iter().fold(first_label, |s, c| s.cover(c.span));
                        report.review.push(ReviewTable {
                            cells,
                            shape: RowShape::Complete,
                            span,
                            labels: labels.clone(),
                            first_label,
                            header_end,
                        });
                    }
                    if report.review.is_empty() {
                        let found = to - from;
                        let shape = if found < 15 {
                            RowShape::Fewer(found)
                        } else {
                            RowShape::More(found)
                        };
                        report.review.push(ReviewTable {
                            cells: Vec::new(),
                            shape,
                            span: first_label.cover(header_end),
                            labels,
                            first_label,
                            header_end,
                        });
                    }
                }
                _ => report.review.push(ReviewTable {
                    cells: Vec::new(),
                    shape: RowShape::Fewer(0),
                    span: first_label.cover(header_end),
                    labels,
                    first_label,
                    header_end,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_runs_by_the_cell_grammar() {
        let d: Vec<char> = "221000023".chars().collect();
        let segs = segment(&d, 7, 100);
        let sq = Squeezed {
            chars: d.clone(),
            at: (0..d.len()).map(|i| Span::new(i, i + 1)).collect(),
        };
        let vals: Vec<Vec<i64>> = segs
            .iter()
            .map(|s| s.iter().map(|&x| value_of(&sq, 0, x)).collect())
            .collect();
        assert!(vals.contains(&vec![22, 1, 0, 0, 0, 0, 23]));
        assert!(vals.contains(&vec![2, 21, 0, 0, 0, 0, 23]));
        assert!(vals.iter().all(|v| v.len() == 7));
        // `0` only ever stands alone.
        let zeros: Vec<char> = "0000000".chars().collect();
        assert_eq!(segment(&zeros, 7, 100).len(), 1);
        assert!(segment(&zeros, 8, 100).is_empty());
    }
}
