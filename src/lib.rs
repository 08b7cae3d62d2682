//! nianbao: checks 政府信息公开工作年度报告 (government information disclosure annual reports).
//!
//! The core is pure: [`analyze`] takes the text of a draft and returns an [`Analysis`] — whether
//! it is a report, its year and format version, the diagnostics with their fixes, an outline
//! and every sum the tables imply — all in byte offsets. The CLI (`cli`) and the language
//! server (`lsp`) are thin adapters over it.
//!
//! Pipeline: text → lines ([`syntax`], lexed once per line and cacheable) → [`report::Report`]
//! (sections and tables with values and spans) → [`rules`] → diagnostics.

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
    let mut diagnostics = rules::run(&report);
    diagnostics.retain_mut(|d| match options.severity.get(d.rule.code) {
        Some(None) => false,
        Some(Some(s)) => {
            d.severity = *s;
            true
        }
        None => true,
    });
    diagnostics.sort_by(|a, b| a.span.cmp(&b.span).then(a.rule.code.cmp(b.rule.code)));
    analysis.diagnostics = diagnostics;
    if !options.diagnostics_only {
        analysis.outline = report.outline();
        analysis.sums = report.sums();
    }
    analysis
}
