//! Recognising the format's labels in cells: exact, known variants, split labels and typos.

use crate::format::{self, FormatVersion, RowSpec, TableKind};
use crate::syntax::normalize;
// Every label-like cell is looked up: Fx, not SipHash (the keys are the format's own labels).
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// What a label cell is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelRef {
    /// A data row of table 三 (index into the 2021 rows; `other` = 2019's single （六） row).
    AppRow(&'static RowSpec),
    /// （六）其他处理: a group in 2021, a data row in 2019.
    AppOther,
    /// A group label of table 三 (no numbers).
    AppGroup,
    /// A column header of table 三, or its 勾稽 note.
    AppHeader,
    /// A data row of table 二 (the spec of the version it was found in).
    DiscRow(&'static str),
    /// A column header of table 二 that only one version has.
    DiscHeader(Option<FormatVersion>),
    /// A 第二十条第（N）项 block header.
    DiscBlock,
    /// A header of table 四.
    ReviewHeader,
}

impl LabelRef {
    pub fn table(self) -> TableKind {
        match self {
            LabelRef::AppRow(_) | LabelRef::AppOther | LabelRef::AppGroup | LabelRef::AppHeader => {
                TableKind::Application
            }
            LabelRef::DiscRow(_) | LabelRef::DiscHeader(_) | LabelRef::DiscBlock => {
                TableKind::Disclosure
            }
            LabelRef::ReviewHeader => TableKind::Review,
        }
    }
}

/// A recognised label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelHit {
    pub what: LabelRef,
    /// The official spelling, when the cell differs from it in a way worth reporting (NB203).
    pub official: Option<&'static str>,
    /// The cell is only the beginning of the label (the rest is on the next line).
    pub partial: bool,
}

struct Entry {
    what: LabelRef,
    official: &'static str,
    /// A variant reported as NB203.
    reported: bool,
}

struct Tables {
    exact: HashMap<String, Entry>,
    /// Row labels (normalised, official) that a split or abbreviated cell may be a prefix of.
    prefixable: Vec<(String, LabelRef, &'static str)>,
    /// Labels the fuzzy matcher compares typos with.
    fuzzy: Vec<(Vec<char>, LabelRef, &'static str)>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut exact: HashMap<String, Entry> = HashMap::default();
        let mut prefixable = Vec::new();
        let mut fuzzy = Vec::new();
        let mut add =
            |label: &'static str, what: LabelRef, official: &'static str, reported: bool| {
                exact.entry(normalize(label)).or_insert(Entry {
                    what,
                    official,
                    reported,
                });
            };
        // Headers first: `其他` is a column, not `3.其他` without its number.
        for h in format::APPLICATION_HEADERS {
            add(h, LabelRef::AppHeader, h, false);
        }
        for h in format::REVIEW_HEADERS {
            add(h, LabelRef::ReviewHeader, h, false);
        }
        for row in format::APPLICATION_ROWS_2021.iter() {
            add(row.label, LabelRef::AppRow(row), row.label, false);
        }
        for row in format::APPLICATION_ROWS_2021.iter() {
            // Sub-rows written without their numbering.
            if let Some((_, rest)) = row.label.split_once('.') {
                if rest.chars().count() >= 4 {
                    add(rest, LabelRef::AppRow(row), row.label, false);
                }
            }
        }
        add(
            "（六）其他处理",
            LabelRef::AppOther,
            "（六）其他处理",
            false,
        );
        for g in format::APPLICATION_GROUPS {
            add(g, LabelRef::AppGroup, g, false);
        }
        for (variant, official) in format::APPLICATION_GROUP_VARIANTS {
            add(variant, LabelRef::AppGroup, official, true);
        }
        for h in format::APPLICATION_HEADERS {
            add(h, LabelRef::AppHeader, h, false);
        }
        add(
            format::BALANCE_NOTE,
            LabelRef::AppHeader,
            format::BALANCE_NOTE,
            false,
        );
        add(
            "法人或其他组织",
            LabelRef::AppHeader,
            "法人或其他组织",
            false,
        );
        for row in format::DISCLOSURE_ROWS_2021
            .iter()
            .chain(format::DISCLOSURE_ROWS_2019.iter())
        {
            add(row.label, LabelRef::DiscRow(row.id), row.label, false);
        }
        for h in format::DISCLOSURE_HEADERS_2021 {
            let v = if format::DISCLOSURE_HEADERS_2019.contains(h) {
                None
            } else {
                Some(FormatVersion::V2021)
            };
            add(h, LabelRef::DiscHeader(v), h, false);
        }
        for h in format::DISCLOSURE_HEADERS_2019 {
            add(
                h,
                LabelRef::DiscHeader(Some(FormatVersion::V2019)),
                h,
                false,
            );
        }
        for b in format::DISCLOSURE_BLOCKS {
            add(b, LabelRef::DiscBlock, b, false);
            // 第二十条（一）项 and 第二十条第(一)项 are common.
            let without = b.replacen("条第", "条", 1);
            let leaked: &'static str = Box::leak(without.into_boxed_str());
            add(leaked, LabelRef::DiscBlock, b, false);
        }
        for h in format::REVIEW_HEADERS {
            add(h, LabelRef::ReviewHeader, h, false);
        }
        for (typo, official) in format::LABEL_TYPOS {
            let what = match *official {
                "本年废止件数" => LabelRef::DiscHeader(Some(FormatVersion::V2021)),
                "不予处理" => continue,
                _ => LabelRef::ReviewHeader,
            };
            add(typo, what, official, true);
        }
        // Prefixes: long row labels are often split over lines or written without their note.
        for row in format::APPLICATION_ROWS_2021.iter() {
            prefixable.push((normalize(row.label), LabelRef::AppRow(row), row.label));
        }
        // Fuzzy candidates: every label of at least three characters.
        for row in format::APPLICATION_ROWS_2021.iter() {
            fuzzy.push((
                normalize(row.label).chars().collect(),
                LabelRef::AppRow(row),
                row.label,
            ));
        }
        for g in format::APPLICATION_GROUPS {
            fuzzy.push((normalize(g).chars().collect(), LabelRef::AppGroup, g));
        }
        for h in format::DISCLOSURE_HEADERS_2021
            .iter()
            .chain(format::DISCLOSURE_HEADERS_2019)
        {
            let v = if format::DISCLOSURE_HEADERS_2019.contains(h) {
                Some(FormatVersion::V2019)
            } else {
                Some(FormatVersion::V2021)
            };
            fuzzy.push((normalize(h).chars().collect(), LabelRef::DiscHeader(v), h));
        }
        for row in format::DISCLOSURE_ROWS_2021.iter() {
            if row.label.chars().count() >= 4 {
                fuzzy.push((
                    normalize(row.label).chars().collect(),
                    LabelRef::DiscRow(row.id),
                    row.label,
                ));
            }
        }
        for h in format::REVIEW_HEADERS {
            if h.chars().count() >= 4 {
                fuzzy.push((normalize(h).chars().collect(), LabelRef::ReviewHeader, h));
            }
        }
        Tables {
            exact,
            prefixable,
            fuzzy,
        }
    })
}

/// Levenshtein distance, bounded: returns `None` when above `max`.
fn distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Whether a cell starts the way some label starts (after normalisation): a cheap test that
/// spares prose the work of [`classify`].
fn may_be_label(cell: &str) -> bool {
    static INITIALS: OnceLock<Vec<char>> = OnceLock::new();
    let initials = INITIALS.get_or_init(|| {
        let t = tables();
        let mut v: Vec<char> = t
            .exact
            .keys()
            .chain(t.prefixable.iter().map(|p| &p.0))
            .filter_map(|k| k.chars().next())
            .chain(t.fuzzy.iter().filter_map(|f| f.0.first().copied()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    });
    // The first two kept characters: a typo may sit in the first one.
    cell.chars()
        .filter_map(|c| crate::syntax::normalize::normalize_char(c, false))
        .take(2)
        .any(|m| initials.binary_search(&m).is_ok())
}

/// Recognise a cell's text as a label of the format.
pub fn classify(cell: &str) -> Option<LabelHit> {
    if cell.len() > 200 || !may_be_label(cell) || !has_cjk(cell) {
        return None;
    }
    // Reuse one buffer per thread: this runs for every label-like cell of every table.
    thread_local! {
        static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUF.with(|b| {
        let mut n = b.borrow_mut();
        n.clear();
        crate::syntax::normalize::normalize_into(cell, &mut n);
        classify_normalized(cell, &n)
    })
}

fn classify_normalized(cell: &str, n: &str) -> Option<LabelHit> {
    let t = tables();
    if let Some(e) = t.exact.get(n) {
        return Some(LabelHit {
            what: e.what,
            official: e.reported.then_some(e.official),
            partial: false,
        });
    }
    let chars = n.chars().count();
    // The 2021 format's long labels, cut short (`（二）部分公开`) or split over lines.
    if chars >= 4 {
        let mut found = None;
        for (label, what, _) in &t.prefixable {
            if let Some(rest) = label.strip_prefix(n) {
                if found.is_some() {
                    found = None;
                    break;
                }
                // Cut at the label's own note: a complete, accepted spelling.
                let complete = rest.starts_with('（');
                found = Some(LabelHit {
                    what: *what,
                    official: None,
                    partial: !complete,
                });
            } else if n.starts_with(label.as_str()) && n[label.len()..].starts_with('（') {
                // A label followed by a note of the report's own.
                return Some(LabelHit {
                    what: *what,
                    official: None,
                    partial: false,
                });
            }
        }
        if found.is_some() {
            return found;
        }
    }
    if !(3..=40).contains(&chars) || crate::syntax::normalize::looks_numeric(cell) {
        return None;
    }
    let nc: Vec<char> = n.chars().collect();
    let max = if chars <= 10 { 1 } else { 2 };
    let mut best: Option<(usize, LabelHit)> = None;
    for (label, what, official) in &t.fuzzy {
        if label.len().abs_diff(nc.len()) > max {
            continue;
        }
        // Within `max` edits, all but `max` of the label's characters appear in the cell.
        let shared = label.iter().filter(|c| nc.contains(c)).count();
        if shared + max < label.len() {
            continue;
        }
        if let Some(d) = distance(&nc, label, max) {
            // A different number or bracket is another label, not a typo of this one.
            let digits_differ = nc
                .iter()
                .filter(|c| c.is_ascii_digit())
                .ne(label.iter().filter(|c| c.is_ascii_digit()));
            if digits_differ {
                continue;
            }
            if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((
                    d,
                    LabelHit {
                        what: *what,
                        official: Some(official),
                        partial: false,
                    },
                ));
            }
        }
    }
    best.map(|(_, h)| h)
}

/// Every exact label (normalised) with what it is, longest first: the flattened-text reader
/// looks for them inside runs of text.
pub fn all_labels() -> &'static [(String, LabelHit)] {
    static ALL: OnceLock<Vec<(String, LabelHit)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<(String, LabelHit)> = tables()
            .exact
            .iter()
            .map(|(k, e)| {
                (
                    k.clone(),
                    LabelHit {
                        what: e.what,
                        official: e.reported.then_some(e.official),
                        partial: false,
                    },
                )
            })
            .collect();
        v.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(s: &str) -> Option<(LabelRef, Option<&'static str>, bool)> {
        classify(s).map(|h| (h.what, h.official, h.partial))
    }

    #[test]
    fn recognises_real_spellings() {
        assert!(
            matches!(what("(一) 予以公开"), Some((LabelRef::AppRow(r), None, false)) if r.id == "disclosed")
        );
        assert!(
            matches!(what("（二）部分公开"), Some((LabelRef::AppRow(r), None, false)) if r.id == "partly-disclosed")
        );
        assert!(matches!(
            what("2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处"),
            Some((LabelRef::AppRow(r), None, true)) if r.id == "other-2"
        ));
        assert_eq!(
            what("结果维护"),
            Some((LabelRef::ReviewHeader, Some("结果维持"), false))
        );
        assert_eq!(
            what("结果 维持"),
            Some((LabelRef::ReviewHeader, None, false))
        );
        assert_eq!(
            what("本年度止件数"),
            Some((
                LabelRef::DiscHeader(Some(FormatVersion::V2021)),
                Some("本年废止件数"),
                false
            ))
        );
        assert_eq!(
            what("（五）不予以处理"),
            Some((LabelRef::AppGroup, Some("（五）不予处理"), false))
        );
        assert_eq!(
            what("第二十条（一）项"),
            Some((LabelRef::DiscBlock, None, false))
        );
        assert_eq!(
            what("规    章"),
            Some((LabelRef::DiscRow("rules"), None, false))
        );
        assert_eq!(what("其他"), Some((LabelRef::AppHeader, None, false)));
        assert!(
            matches!(what("3.其他"), Some((LabelRef::AppRow(r), None, false)) if r.id == "other-3")
        );
        assert_eq!(what("22"), None);
        assert_eq!(what("2023年，我局在政务公开方面工作稳步向前。"), None);
    }
}
