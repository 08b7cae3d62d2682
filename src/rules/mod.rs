//! The rule registry: every rule nianbao knows, as data.
//!
//! Codes are a stable API (JSON/SARIF output, configuration and suppressions use them): a code
//! is never reused for something else. Each rule family lives in its own file and runs over the
//! [`crate::report::Report`]; the docs here are what `nianbao rules NB301` prints.

/// Declares rules as statics: code, name, default severity, fix availability, summaries and
/// the doc `nianbao rules CODE` prints. Each family file declares its own rules.
macro_rules! rules {
    ($($ident:ident = $code:literal $name:literal $sev:ident $fix:ident, $zh:literal, $en:literal, $doc:literal;)*) => {
        $(pub static $ident: $crate::rules::Rule = $crate::rules::Rule {
            code: $code, name: $name, severity: $crate::Severity::$sev, fix: $crate::rules::FixAvailability::$fix,
            summary_zh: $zh, summary_en: $en, doc_zh: $doc,
        };)*
    };
}

pub mod arithmetic;
pub mod consistency;
pub mod structure;
pub mod suppression;
pub mod tables;

use crate::diagnostic::Severity;
pub use arithmetic::{BALANCE, RESULT_TOTAL, REVIEW_TOTAL, ROW_TOTAL};
pub use consistency::{
    CARRY_OVER, CITATION, DEADLINE, ENUMERATION_SUM, FEE_STATEMENT_MISSING, PERIOD_YEAR,
    TEXT_TABLE_MISMATCH,
};
pub use structure::{
    OVERVIEW_PART_MISSING, SECTION_DUPLICATE, SECTION_EMPTY, SECTION_MISSING, SECTION_ORDER,
    SECTION_TITLE_NONSTANDARD,
};
pub use tables::{
    CELL_BLANK, CELL_COUNT, CELL_INVALID, FORMAT_VERSION, LABEL_NONSTANDARD, ROW_MISSING,
    TABLE_MISSING,
};

/// How a rule's fix may be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    /// Sometimes offers a fix, always safe (applied by `fix` and fix-all).
    Safe,
    /// Sometimes offers a fix that needs review (never in fix-all).
    Unsafe,
    /// Offers safe fixes in some cases and unsafe ones in others.
    Mixed,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// One line, Chinese.
    pub summary_zh: &'static str,
    /// One line, English.
    pub summary_en: &'static str,
    /// What the rule checks and why, with an example, in Chinese.
    pub doc_zh: &'static str,
}

/// Every rule, in code order.
pub static ALL: &[&Rule] = &[
    &structure::SECTION_MISSING,
    &structure::SECTION_ORDER,
    &structure::SECTION_DUPLICATE,
    &structure::SECTION_TITLE_NONSTANDARD,
    &structure::SECTION_EMPTY,
    &structure::OVERVIEW_PART_MISSING,
    &tables::TABLE_MISSING,
    &tables::ROW_MISSING,
    &tables::LABEL_NONSTANDARD,
    &tables::CELL_COUNT,
    &tables::CELL_INVALID,
    &tables::CELL_BLANK,
    &tables::FORMAT_VERSION,
    &arithmetic::ROW_TOTAL,
    &arithmetic::RESULT_TOTAL,
    &arithmetic::BALANCE,
    &arithmetic::REVIEW_TOTAL,
    &consistency::TEXT_TABLE_MISMATCH,
    &consistency::ENUMERATION_SUM,
    &consistency::PERIOD_YEAR,
    &consistency::DEADLINE,
    &consistency::FEE_STATEMENT_MISSING,
    &consistency::CITATION,
    &consistency::CARRY_OVER,
    &suppression::UNUSED_SUPPRESSION,
];

/// Look a rule up by its code (`NB301`) or name (`row-total`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    let key = code_or_name.trim();
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

/// Run every rule over a report, with default options.
pub fn run(report: &crate::report::Report<'_>) -> Vec<crate::Diagnostic> {
    run_with(report, &crate::Options::default())
}

/// Run every single-report rule over a report (NB407 needs two reports: see
/// [`consistency::carry_over`]).
pub fn run_with(
    report: &crate::report::Report<'_>,
    options: &crate::Options,
) -> Vec<crate::Diagnostic> {
    run_cached(report, options, None)
}

/// [`run_with`], the prose read through the [`consistency::ProseCache`] of an earlier analysis
/// of the same document.
pub fn run_cached(
    report: &crate::report::Report<'_>,
    options: &crate::Options,
    prose: Option<&mut consistency::ProseCache>,
) -> Vec<crate::Diagnostic> {
    let headings: Vec<crate::Span> = report.sections.iter().map(|s| s.span).collect();
    let style = crate::fix::Style::of(report.text, report.layout, &headings);
    let version = report
        .year
        .map(crate::FormatVersion::for_year)
        .or(report.tables_version)
        .unwrap_or(crate::FormatVersion::V2021);
    let mut out = Vec::new();
    structure::check(report, &style, version, &mut out);
    tables::check(report, &style, version, &mut out);
    let covered = arithmetic::check(report, &mut out);
    tables::blanks(report, &covered, &mut out);
    consistency::check_cached(report, version, options, prose, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for r in ALL {
            assert!(r.code.starts_with("NB") && r.code.len() == 5);
            assert!(!r.doc_zh.is_empty() && !r.summary_en.is_empty());
            assert_eq!(find(r.name).map(|f| f.code), Some(r.code));
        }
        assert_eq!(find("nb301").map(|r| r.name), Some("row-total"));
        assert!(find("NB999").is_none());
    }
}
