//! Inline suppressions (NB901 reports the unused ones).
//!
//! A draft may silence findings with HTML comments on lines of their own, which Markdown
//! renders as nothing and table reading never sees (they lex as [`LineShape::Comment`]):
//!
//! ```text
//! <!-- nianbao-disable NB206 -->        from here …
//! <!-- nianbao-enable NB206 -->         … to here (or to the end of the file)
//! <!-- nianbao-disable-next-line NB301 -->
//! <!-- nianbao-disable-file NB104 -->
//! ```
//!
//! Codes (or rule names) are separated by spaces or commas; none means every rule. Words after
//! `--` are a reason and are not read. An `enable` with codes ends the `disable`s of those
//! codes; an `enable` without codes ends them all. A `disable-next-line` applies to the next
//! line that is not itself a comment, so several can be stacked.

use std::sync::OnceLock;

use regex::Regex;

use crate::syntax::{Document, LineShape};
use crate::{Diagnostic, Edit, Fix, Message, Span};

rules! {
    UNUSED_SUPPRESSION = "NB901" "unused-suppression" Info Unsafe,
        "抑制注释没有抑制任何问题",
        "A suppression comment suppresses nothing",
        "<!-- nianbao-disable … -->、<!-- nianbao-disable-next-line … -->、<!-- nianbao-disable-file … --> 注释所列的规则在其范围内没有报告任何问题，或者写了不存在的规则代码。多半是问题已经改好，注释可以删除。\n修复（需确认）：删除这条注释，或删去其中没有用到的代码。";
}

/// What a suppression comment does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    NextLine,
    File,
}

/// Where a suppression applies, for one code (or every code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// `None`: every rule.
    pub code: Option<&'static str>,
    /// Diagnostics starting in this byte range are suppressed.
    pub range: Span,
    pub used: bool,
}

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub kind: DirectiveKind,
    /// The comment, trimmed.
    pub span: Span,
    /// The whole line with its terminator (what removing the comment removes).
    pub line: Span,
    /// The codes it names, resolved (rule names become codes).
    pub codes: Vec<&'static str>,
    /// Words that name no rule.
    pub unknown: Vec<String>,
    pub scopes: Vec<Scope>,
}

fn directive_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^<!--\s*nianbao-(disable-next-line|disable-file|disable|enable)(?:\s+(.*?))?\s*-->$",
        )
        .expect("valid pattern")
    })
}

/// The suppression comments of a document, with their scopes.
pub fn parse(doc: &Document) -> Vec<Suppression> {
    let mut found: Vec<(usize, Suppression)> = Vec::new();
    for (i, l) in doc.lines.iter().enumerate() {
        if l.shape != LineShape::Comment {
            continue;
        }
        let raw = doc.line_text(i);
        let trimmed = raw.trim();
        let Some(cap) = directive_re().captures(trimmed) else {
            continue;
        };
        let kind = match &cap[1] {
            "disable-next-line" => DirectiveKind::NextLine,
            "disable-file" => DirectiveKind::File,
            "disable" => DirectiveKind::Disable,
            _ => DirectiveKind::Enable,
        };
        let args = cap.get(2).map_or("", |m| m.as_str());
        let args = args.split("--").next().unwrap_or("");
        let mut codes = Vec::new();
        let mut unknown = Vec::new();
        for word in args
            .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
            .filter(|w| !w.is_empty())
        {
            match super::find(word) {
                Some(rule) => {
                    if !codes.contains(&rule.code) {
                        codes.push(rule.code);
                    }
                }
                None => unknown.push(word.to_string()),
            }
        }
        let lead = raw.len() - raw.trim_start().len();
        let start = doc.starts[i] + lead;
        found.push((
            i,
            Suppression {
                kind,
                span: Span::new(start, start + trimmed.len()),
                line: Span::new(doc.starts[i], doc.line_end_with_terminator(i)),
                codes,
                unknown,
                scopes: Vec::new(),
            },
        ));
    }
    let text_len = doc.text.len();
    let mut scoped = Vec::with_capacity(found.len());
    for (k, (i, s)) in found.iter().enumerate() {
        let mut s = s.clone();
        let targets: Vec<Option<&'static str>> = if s.codes.is_empty() {
            if s.unknown.is_empty() {
                vec![None]
            } else {
                Vec::new()
            }
        } else {
            s.codes.iter().copied().map(Some).collect()
        };
        let range = |code: Option<&'static str>| -> Span {
            match s.kind {
                // Open-ended ranges reach past the text: a finding placed at its very end
                // (a missing section) is inside too.
                DirectiveKind::File => Span::new(0, usize::MAX),
                DirectiveKind::NextLine => {
                    let next = (i + 1..doc.lines.len())
                        .find(|&j| doc.lines[j].shape != LineShape::Comment);
                    match next {
                        Some(j) => Span::new(
                            doc.starts[j],
                            doc.line_end_with_terminator(j)
                                .max(doc.line_span(j).end + 1),
                        ),
                        None => Span::empty(text_len),
                    }
                }
                DirectiveKind::Disable => {
                    let start = doc.line_end_with_terminator(*i);
                    let end = found[k + 1..]
                        .iter()
                        .find(|(_, e)| {
                            // An `enable` naming only unknown codes ends nothing.
                            let ends_all = e.codes.is_empty() && e.unknown.is_empty();
                            e.kind == DirectiveKind::Enable
                                && (ends_all || code.is_some_and(|c| e.codes.contains(&c)))
                        })
                        .map_or(usize::MAX, |(_, e)| e.line.start);
                    Span::new(start.min(end), end)
                }
                DirectiveKind::Enable => Span::empty(0),
            }
        };
        if s.kind != DirectiveKind::Enable {
            s.scopes = targets
                .into_iter()
                .map(|code| Scope {
                    code,
                    range: range(code),
                    used: false,
                })
                .collect();
        }
        scoped.push(s);
    }
    scoped
}

/// Remove the diagnostics the suppressions cover, marking the scopes that covered one.
/// NB901 itself is not suppressed by comments (turn it off in the configuration).
pub fn apply(suppressions: &mut [Suppression], diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if suppressions.is_empty() {
        return diagnostics;
    }
    diagnostics
        .into_iter()
        .filter(|d| {
            if d.rule.code == UNUSED_SUPPRESSION.code {
                return true;
            }
            let mut suppressed = false;
            for s in suppressions.iter_mut() {
                for scope in s.scopes.iter_mut() {
                    let code_matches = scope.code.is_none_or(|c| c == d.rule.code);
                    let inside =
                        scope.range.start <= d.span.start && d.span.start < scope.range.end;
                    if code_matches && inside {
                        scope.used = true;
                        suppressed = true;
                    }
                }
            }
            !suppressed
        })
        .collect()
}

/// NB901 for every suppression that suppressed nothing (or names unknown codes).
pub fn unused(text: &str, suppressions: &[Suppression]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in suppressions {
        if s.kind == DirectiveKind::Enable {
            if !s.unknown.is_empty() {
                out.push(unknown_codes(s));
            }
            continue;
        }
        let unused_codes: Vec<Option<&'static str>> = s
            .scopes
            .iter()
            .filter(|sc| !sc.used)
            .map(|sc| sc.code)
            .collect();
        if unused_codes.is_empty() {
            if !s.unknown.is_empty() {
                out.push(unknown_codes(s));
            }
            continue;
        }
        let all_unused = unused_codes.len() == s.scopes.len();
        let comment = &text[s.span.start..s.span.end];
        let (zh, en) = if unused_codes == [None] {
            (
                format!("抑制注释“{comment}”没有抑制任何问题，可以删除"),
                format!("“{comment}” suppresses nothing and can be removed"),
            )
        } else {
            let list = unused_codes
                .iter()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
                .join("、");
            (
                format!("抑制注释中的 {list} 没有抑制任何问题"),
                format!("{list} in the suppression comment suppresses nothing"),
            )
        };
        let mut zh = zh;
        let mut en = en;
        if !s.unknown.is_empty() {
            zh.push_str(&format!("；未知的规则代码：{}", s.unknown.join("、")));
            en.push_str(&format!("; unknown rule codes: {}", s.unknown.join(", ")));
        }
        let fix = if all_unused {
            Fix {
                title: Message::new("删除这条抑制注释", "Remove the suppression comment"),
                safe: false,
                edits: vec![Edit {
                    span: s.line,
                    new_text: String::new(),
                }],
            }
        } else {
            let keep: Vec<&str> = s
                .scopes
                .iter()
                .filter(|sc| sc.used)
                .filter_map(|sc| sc.code)
                .collect();
            let word = match s.kind {
                DirectiveKind::NextLine => "disable-next-line",
                DirectiveKind::File => "disable-file",
                _ => "disable",
            };
            Fix {
                title: Message::new("删去没有用到的代码", "Remove the unused codes"),
                safe: false,
                edits: vec![Edit {
                    span: s.span,
                    new_text: format!("<!-- nianbao-{word} {} -->", keep.join(" ")),
                }],
            }
        };
        out.push(Diagnostic::new(&UNUSED_SUPPRESSION, s.span, Message::new(zh, en)).with_fix(fix));
    }
    out
}

fn unknown_codes(s: &Suppression) -> Diagnostic {
    Diagnostic::new(
        &UNUSED_SUPPRESSION,
        s.span,
        Message::new(
            format!(
                "抑制注释中有未知的规则代码：{}（`nianbao rules` 列出所有规则）",
                s.unknown.join("、")
            ),
            format!(
                "Unknown rule codes in the suppression comment: {}",
                s.unknown.join(", ")
            ),
        ),
    )
}

/// The edit that silences `code` on the line of `at`: a `disable-next-line` comment inserted
/// above it, with the line's indentation (what the editor's “忽略此问题” action does).
pub fn disable_next_line(text: &str, at: usize, code: &str) -> Edit {
    let start = crate::fix::line_start(text, at);
    let indent: String = text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\u{3000}')
        .collect();
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Edit {
        span: Span::empty(start),
        new_text: format!("{indent}<!-- nianbao-disable-next-line {code} -->{nl}"),
    }
}
