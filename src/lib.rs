//! nianbao: checks 政府信息公开工作年度报告 (government information disclosure annual reports).
//!
//! The core is pure: [`analyze`] takes the text of a draft and returns an [`Analysis`] — whether
//! it is a report, its year and format version, the diagnostics with their fixes, an outline
//! and every sum the tables imply — all in byte offsets. The CLI (`cli`) and the language
//! server (`lsp`) are thin adapters over it.
//!
//! Pipeline: text → lines ([`syntax`], lexed once per line and cacheable) → [`report::Report`]
//! (sections and tables with values and spans) → [`rules`] → diagnostics.

pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod format;
pub mod report;
pub mod rules;
pub mod syntax;
pub mod text;

pub mod cli;
pub mod convert;
pub mod lsp;
pub mod project;

pub use diagnostic::{apply_edits, Diagnostic, Edit, Fix, Lang, Message, Related, Severity, Span};
pub use format::{FormatVersion, TableKind};
pub use syntax::{lex_line, LexedLine};

use std::collections::HashMap;

/// What the caller wants of an analysis.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Analyse the text even when it does not look like an annual report.
    pub force: bool,
    /// Per-rule severity overrides by code (`NB206`): `None` turns the rule off.
    pub severity: HashMap<String, Option<Severity>>,
    /// Diagnostics only: leave [`Analysis::outline`] and [`Analysis::sums`] empty (the CLI has
    /// no use for them; editors do).
    pub diagnostics_only: bool,
    /// What the configuration says of the agency (`[agency]` in `nianbao.toml`).
    pub agency: AgencySettings,
}

/// The kind of agency a report is of: it decides the legal deadline (NB404).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgencyKind {
    /// A department of a 县级以上人民政府 (局, 委, 办 …): published by 31 January.
    Department,
    /// A 县级以上地方人民政府's own report: published by 31 March.
    Government,
    /// A 乡镇人民政府 or 街道办事处: deadlines are set locally.
    Township,
}

impl AgencyKind {
    pub fn parse(s: &str) -> Option<AgencyKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "部门" | "department" => Some(AgencyKind::Department),
            "人民政府" | "政府" | "government" => Some(AgencyKind::Government),
            "乡镇" | "乡镇街道" | "街道" | "乡" | "镇" | "township" => {
                Some(AgencyKind::Township)
            }
            _ => None,
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            AgencyKind::Department => "部门",
            AgencyKind::Government => "人民政府",
            AgencyKind::Township => "乡镇",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            AgencyKind::Department => "department",
            AgencyKind::Government => "people's government",
            AgencyKind::Township => "township",
        }
    }
}

/// The agency as configured: each setting overrides what the report's title or signature says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgencySettings {
    pub kind: Option<AgencyKind>,
    pub name: Option<String>,
    /// The publication deadline as (month, day) of the year after the report year, for agencies
    /// whose deadline is set locally (乡镇).
    pub deadline: Option<(u8, u8)>,
}

impl Options {
    /// Parse a rule setting such as `"off"`, `"error"`, `"warning"`, `"info"`.
    pub fn set_rule(&mut self, code: &str, setting: &str) -> bool {
        let Some(rule) = rules::find(code) else {
            return false;
        };
        let value = match setting.trim().to_ascii_lowercase().as_str() {
            "off" | "none" | "false" | "disable" | "disabled" | "allow" => None,
            other => match Severity::parse(other) {
                Some(s) => Some(s),
                None => return false,
            },
        };
        self.severity.insert(rule.code.to_string(), value);
        true
    }
}

/// An entry of the document outline: a section or a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlineItem {
    pub kind: OutlineKind,
    pub title: String,
    /// From the heading to the end of the section or table.
    pub span: Span,
    /// The heading (or the table's first label): what a click selects.
    pub heading: Span,
    pub children: Vec<OutlineItem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    /// Section 1..=6.
    Section(u8),
    Table(TableKind),
}

/// One term of a sum the format requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumTerm {
    pub label: &'static str,
    pub span: Span,
    /// `None` for a blank cell (summed as 0).
    pub value: Option<i64>,
}

/// A total cell and the parts it must equal the sum of: what hover and inlay hints show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumCheck {
    /// The rule that checks this total (NB301, NB302 or NB304).
    pub rule: &'static rules::Rule,
    /// The total cell.
    pub target: Span,
    /// What the total is, e.g. `（七）总计 · 自然人`.
    pub label: String,
    /// The written value; `None` when blank.
    pub written: Option<i64>,
    pub computed: i64,
    pub terms: Vec<SumTerm>,
}

impl SumCheck {
    pub fn holds(&self) -> bool {
        self.written.unwrap_or(0) == self.computed
    }
}

/// Everything the core knows about one text.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Whether the text is an annual report (see `report-format.md`, "What is a report").
    pub is_report: bool,
    /// The report year (from the title, else the statistics period, else the date).
    pub year: Option<u16>,
    /// The format version the year requires.
    pub format: Option<FormatVersion>,
    /// The format version the tables are written in.
    pub tables: Option<FormatVersion>,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    pub outline: Vec<OutlineItem>,
    pub sums: Vec<SumCheck>,
    /// How tables are laid out in this document (used to write new tables in the same layout).
    pub layout: syntax::TableLayout,
    /// The inline suppression comments, with what they suppressed.
    pub suppressions: Vec<rules::suppression::Suppression>,
    /// What another report's carry-over check (NB407) needs of this one.
    pub carry: rules::consistency::CarryFacts,
}

impl Analysis {
    /// Add findings that need more than this text (NB407, against another report): they are
    /// suppressed and re-graded like the others, and NB901 is worked out again.
    pub fn add_diagnostics(&mut self, text: &str, found: Vec<Diagnostic>, options: &Options) {
        let mut all: Vec<Diagnostic> = std::mem::take(&mut self.diagnostics)
            .into_iter()
            .filter(|d| d.rule.code != rules::suppression::UNUSED_SUPPRESSION.code)
            .collect();
        all.extend(rules::suppression::apply(&mut self.suppressions, found));
        self.diagnostics = finish(text, all, &self.suppressions, options);
    }

    /// Check this report's carried-in applications against `previous` reports (NB407), adding
    /// what differs. Reports of other agencies or years are passed over.
    pub fn check_carry_over<'p>(
        &mut self,
        text: &str,
        previous: impl IntoIterator<Item = &'p rules::consistency::CarryFacts>,
        options: &Options,
    ) {
        let found: Vec<Diagnostic> = previous
            .into_iter()
            .filter_map(|p| rules::consistency::carry_over(&self.carry, p))
            .take(1)
            .collect();
        self.add_diagnostics(text, found, options);
    }
}

/// Unused suppressions, severity overrides, order.
fn finish(
    text: &str,
    mut diagnostics: Vec<Diagnostic>,
    suppressions: &[rules::suppression::Suppression],
    options: &Options,
) -> Vec<Diagnostic> {
    diagnostics.extend(rules::suppression::unused(text, suppressions));
    diagnostics.retain_mut(|d| match options.severity.get(d.rule.code) {
        Some(None) => false,
        Some(Some(s)) => {
            d.severity = *s;
            true
        }
        None => true,
    });
    diagnostics.sort_by(|a, b| a.span.cmp(&b.span).then(a.rule.code.cmp(b.rule.code)));
    diagnostics
}

/// Analyse a whole text with default options.
pub fn analyze(text: &str) -> Analysis {
    analyze_with(text, &Options::default())
}

/// Analyse a whole text.
pub fn analyze_with(text: &str, options: &Options) -> Analysis {
    let lines = syntax::lex_text(text);
    analyze_lexed(text, &lines, options)
}

/// Analyse a text whose lines were already lexed (one [`LexedLine`] per line of `text`, in
/// order, as [`lex_line`] returns them). The language server keeps lexed lines across edits
/// and re-lexes only the lines an edit touched.
pub fn analyze_lexed(text: &str, lines: &[LexedLine], options: &Options) -> Analysis {
    analyze_cached(text, lines, options, None)
}

/// [`analyze_lexed`], reading the prose through the cache of the document's last analysis
/// (`prose`): what an edit did not touch is not read again. The result is the same as without
/// the cache.
pub fn analyze_cached(
    text: &str,
    lines: &[LexedLine],
    options: &Options,
    prose: Option<&mut rules::consistency::ProseCache>,
) -> Analysis {
    let doc = syntax::Document::new(text, lines);
    let report = report::Report::build_with(&doc, options.force);
    let mut analysis = Analysis {
        is_report: report.is_report(),
        year: report.year,
        format: report.year.map(FormatVersion::for_year),
        tables: report.tables_version,
        layout: report.layout,
        ..Analysis::default()
    };
    if !analysis.is_report && !options.force {
        return analysis;
    }
    let found = rules::run_cached(&report, options, prose);
    analysis.suppressions = rules::suppression::parse(&doc);
    let kept = rules::suppression::apply(&mut analysis.suppressions, found);
    analysis.diagnostics = finish(text, kept, &analysis.suppressions, options);
    analysis.carry = rules::consistency::CarryFacts::of(&report, options);
    if !options.diagnostics_only {
        analysis.outline = report.outline();
        // The sums of the rules the settings turned off are not shown (hover, inlay hints).
        analysis.sums = report.sums();
        analysis
            .sums
            .retain(|s| options.severity.get(s.rule.code) != Some(&None));
    }
    analysis
}
