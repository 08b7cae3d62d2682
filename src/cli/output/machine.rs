//! Output for machines: `--format json`, `--format sarif` and `--format github`.
//!
//! Positions are 1-based lines and columns, columns counted in Unicode scalar values, ranges
//! end-exclusive.

use serde::Serialize;
use serde_json::{json, Value};

use crate::rules::{FixAvailability, Rule, ALL};
use crate::{Diagnostic, Lang, Severity, Span};

use super::super::check::{Checked, Outcome, Summary};
use super::{Pos, Positions};

#[derive(Serialize)]
pub(crate) struct JsonDoc<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    /// `text`, `docx` or `html`.
    input: &'static str,
    report: Option<JsonReport>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonReport {
    year: Option<u16>,
    format: Option<&'static str>,
    tables: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    /// In the converted text for a `.docx` or a page.
    range: Range,
    /// For a `.docx` or a page: where in the document (`表三 第 7 行 第 3 列`, `第 12 段`).
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    /// For a page: the line and column in its HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    source_position: Option<Pos>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    range: Range,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_position: Option<Pos>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    safe: bool,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: Range,
    new_text: &'a str,
}

#[derive(Clone, Copy, Serialize)]
struct Range {
    start: Pos,
    end: Pos,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn range(positions: &Positions, span: Span) -> Range {
    Range {
        start: positions.pos(span.start),
        end: positions.pos(span.end.max(span.start)),
    }
}

pub(crate) fn json<'a>(outcomes: &'a [Outcome], summary: &Summary, lang: Lang) -> JsonDoc<'a> {
    let files = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Checked(c) => Some(json_file(c, lang)),
            Outcome::Failed { .. } => None,
        })
        .collect();
    JsonDoc {
        version: 1,
        files,
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
    }
}

fn json_file(c: &Checked, lang: Lang) -> JsonFile<'_> {
    let positions = Positions::new(&c.text, &c.index);
    let report = (!c.skipped).then(|| JsonReport {
        year: c.analysis.year,
        format: c.analysis.format.map(|f| f.as_str()),
        tables: c.analysis.tables.map(|f| f.as_str()),
    });
    let diagnostics = c
        .diagnostics()
        .iter()
        .map(|d| JsonDiagnostic {
            code: d.rule.code,
            name: d.rule.name,
            severity: d.severity.as_str(),
            message: d.message.get(lang),
            range: range(&positions, d.span),
            source: source(c, d.span.start, lang),
            source_position: source_position(c, d.span.start),
            related: d
                .related
                .iter()
                .map(|r| JsonRelated {
                    range: range(&positions, r.span),
                    source: source(c, r.span.start, lang),
                    source_position: source_position(c, r.span.start),
                    message: r.message.get(lang),
                })
                .collect(),
            fix: d.fix.as_ref().map(|f| JsonFix {
                title: f.title.get(lang),
                safe: f.safe,
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        range: range(&positions, e.span),
                        new_text: &e.new_text,
                    })
                    .collect(),
            }),
        })
        .collect();
    JsonFile {
        path: &c.path,
        input: c.kind.as_str(),
        report,
        diagnostics,
    }
}

/// Where in a converted document an offset of its text came from.
fn source(c: &Checked, offset: usize, lang: Lang) -> Option<String> {
    c.origin(offset).map(|o| o.describe(lang))
}

fn source_position(c: &Checked, offset: usize) -> Option<Pos> {
    c.origin(offset)
        .and_then(|o| o.line)
        .map(|(line, column)| Pos { line, column })
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn fix_availability(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::None => "none",
        FixAvailability::Safe => "safe",
        FixAvailability::Unsafe => "unsafe",
        FixAvailability::Mixed => "mixed",
    }
}

fn sarif_rule(rule: &Rule) -> Value {
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary_en },
        "fullDescription": { "text": rule.doc_zh },
        "defaultConfiguration": { "level": sarif_level(rule.severity) },
        "properties": { "summary_zh": rule.summary_zh, "fix": fix_availability(rule.fix) },
    })
}

/// A SARIF region; `endColumn` is exclusive, as SARIF defines it.
fn region(positions: &Positions, span: Span) -> Value {
    let r = range(positions, span);
    json!({
        "startLine": r.start.line,
        "startColumn": r.start.column,
        "endLine": r.end.line,
        "endColumn": r.end.column,
    })
}

/// A relative path as a URI reference (`/` separators, percent-encoded); an absolute one as a
/// `file://` URI.
fn to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    let absolute = path.starts_with('/');
    if absolute {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_result(
    c: &Checked,
    positions: &Positions,
    uri: &str,
    d: &Diagnostic,
    lang: Lang,
) -> Value {
    let location = |span: Span| {
        json!({
            "artifactLocation": { "uri": uri },
            "region": region(positions, span),
        })
    };
    // A converted document: the region is in its converted text; where it is in the document
    // itself is a logical location.
    let logical = |span: Span| {
        source(c, span.start, lang).map(|name| json!([{ "name": name, "kind": "element" }]))
    };
    let mut result = json!({
        "ruleId": d.rule.code,
        "ruleIndex": ALL.iter().position(|r| r.code == d.rule.code),
        "level": sarif_level(d.severity),
        "message": { "text": d.message.get(lang) },
        "locations": [{ "physicalLocation": location(d.span) }],
    });
    if let Some(logical) = logical(d.span) {
        result["locations"][0]["logicalLocations"] = logical;
        result["properties"] = json!({ "input": c.kind.as_str() });
    }
    if !d.related.is_empty() {
        result["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut related = json!({
                    "id": i,
                    "physicalLocation": location(r.span),
                    "message": { "text": r.message.get(lang) },
                });
                if let Some(logical) = logical(r.span) {
                    related["logicalLocations"] = logical;
                }
                related
            })
            .collect();
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(positions, e.span),
                    "insertedContent": { "text": e.new_text },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": { "text": fix.title.get(lang) },
            "artifactChanges": [{ "artifactLocation": { "uri": uri }, "replacements": replacements }],
            "properties": { "safe": fix.safe },
        }]);
    }
    result
}

pub(crate) fn sarif(outcomes: &[Outcome], lang: Lang) -> Value {
    let mut results = Vec::new();
    for o in outcomes {
        if let Outcome::Checked(c) = o {
            let positions = Positions::new(&c.text, &c.index);
            let uri = to_uri(&c.path);
            results.extend(
                c.diagnostics()
                    .iter()
                    .map(|d| sarif_result(c, &positions, &uri, d, lang)),
            );
        }
    }
    let mut driver = json!({
        "name": "nianbao",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": ALL.iter().map(|r| sarif_rule(r)).collect::<Vec<_>>(),
    });
    let homepage = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|s| !s.is_empty());
    if let Some(uri) = homepage {
        driver["informationUri"] = json!(uri);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// `::error file=…,line=…::message` for each diagnostic of a file.
pub(crate) fn github(c: &Checked, lang: Lang) -> String {
    let positions = Positions::new(&c.text, &c.index);
    let mut out = String::new();
    let file = escape_property(&c.path);
    for d in c.diagnostics() {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let r = range(&positions, d.span);
        let title = escape_property(&format!("{} {}", d.rule.code, d.rule.name));
        // The line is the converted text's; the message says where in the document.
        let message = match source(c, d.span.start, lang) {
            Some(at) => format!("{}（{at}）", d.message.get(lang)),
            None => d.message.get(lang).to_string(),
        };
        out.push_str(&format!(
            "::{command} file={file},line={},col={},endLine={},endColumn={},title={title}::{}\n",
            r.start.line,
            r.start.column,
            r.end.line,
            r.end.column,
            escape_data(&message),
        ));
    }
    out
}

/// Escaping of a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a workflow command's property values.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes() {
        assert_eq!(escape_data("50%\r\n下一行"), "50%25%0D%0A下一行");
        assert_eq!(escape_property("a:b,c%d\n"), "a%3Ab%2Cc%25d%0A");
    }

    #[test]
    fn uris() {
        assert_eq!(to_uri("tests/corpus/a b.txt"), "tests/corpus/a%20b.txt");
        assert_eq!(to_uri("/tmp/年报.md"), "file:///tmp/%E5%B9%B4%E6%8A%A5.md");
        assert_eq!(to_uri("c:\\x\\y.txt"), "c%3A/x/y.txt");
    }
}
