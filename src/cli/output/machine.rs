//! Output for machines: `--format json`, `--format sarif` and `--format github`.
//!
//! Positions are 1-based lines and columns, columns counted in Unicode scalar values, ranges
//! end-exclusive.
//!
//! JSON gives every position in the text that was analysed (a `.docx`'s or a page's converted
//! text) and adds where that is in the document (`source`, `source_position`). SARIF and GitHub
//! annotations point into the file itself, so for a document they do not use the converted
//! text's lines: a page's findings are at the line and column of its HTML, a Word document's
//! are on the file as a whole with the place named in words (`表三 第 7 行 第 3 列`), and no
//! fix is offered for either (fixes are written into text only).

use serde::Serialize;
use serde_json::{json, Value};

use crate::convert::Place;
use crate::rules::{FixAvailability, Rule, ALL};
use crate::{Diagnostic, Lang, Severity, Span};

use super::super::check::{Checked, Outcome, Summary};
use super::super::input::ReadError;
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
    /// Text only: an edit of a document's converted text is not an edit of the document.
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
            fix: d
                .fix
                .as_ref()
                .filter(|_| c.kind.is_text())
                .map(|f| JsonFix {
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

/// Where a finding is in the file itself, for the formats that point into the file (SARIF,
/// GitHub annotations).
#[derive(Clone, Copy)]
enum Spot {
    /// Plain text: the range in the file.
    Range(Range),
    /// A page: the line and column of its HTML where the place starts.
    Point(Pos),
    /// A Word document (or a document's place without a line): the file as a whole; the place
    /// is named in the message.
    File,
}

fn spot(c: &Checked, positions: &Positions, span: Span) -> Spot {
    if c.kind.is_text() {
        Spot::Range(range(positions, span))
    } else {
        source_position(c, span.start).map_or(Spot::File, Spot::Point)
    }
}

/// The place in a document in words (`表三 第 7 行 第 3 列`, `第 12 段`), for output whose
/// position does not say it; `None` for text, and for a page's text outside tables and
/// paragraphs, which its line and column locate.
fn place_in_words(c: &Checked, offset: usize, lang: Lang) -> Option<String> {
    let origin = c.origin(offset)?;
    if origin.place == Place::Text && origin.line.is_some() {
        return None;
    }
    Some(origin.describe(lang))
}

/// A message with the place it is about: `总计应为 1（表四 第 4 行 第 10 列）`.
fn with_place(message: &str, place: Option<String>, lang: Lang) -> String {
    match (place, lang) {
        (Some(at), Lang::Zh) => format!("{message}（{at}）"),
        (Some(at), Lang::En) => format!("{message} ({at})"),
        (None, _) => message.to_string(),
    }
}

/// A SARIF region; `endColumn` is exclusive, as SARIF defines it. A page's has its start only.
fn sarif_region(spot: Spot) -> Option<Value> {
    match spot {
        Spot::Range(r) => Some(json!({
            "startLine": r.start.line,
            "startColumn": r.start.column,
            "endLine": r.end.line,
            "endColumn": r.end.column,
        })),
        Spot::Point(p) => Some(json!({ "startLine": p.line, "startColumn": p.column })),
        Spot::File => None,
    }
}

fn physical_location(uri: &str, spot: Spot) -> Value {
    let mut location = json!({ "artifactLocation": { "uri": uri } });
    if let Some(region) = sarif_region(spot) {
        location["region"] = region;
    }
    location
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
    let location = |span: Span| physical_location(uri, spot(c, positions, span));
    let message =
        |text: &str, span: Span| with_place(text, place_in_words(c, span.start, lang), lang);
    // A converted document: where it is in the document is also a logical location.
    let logical = |span: Span| {
        source(c, span.start, lang).map(|name| json!([{ "name": name, "kind": "element" }]))
    };
    let mut result = json!({
        "ruleId": d.rule.code,
        "ruleIndex": ALL.iter().position(|r| r.code == d.rule.code),
        "level": sarif_level(d.severity),
        "message": { "text": message(d.message.get(lang), d.span) },
        "locations": [{ "physicalLocation": location(d.span) }],
    });
    if let Some(logical) = logical(d.span) {
        result["locations"][0]["logicalLocations"] = logical;
    }
    if !c.kind.is_text() {
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
                    "message": { "text": message(r.message.get(lang), r.span) },
                });
                if let Some(logical) = logical(r.span) {
                    related["logicalLocations"] = logical;
                }
                related
            })
            .collect();
    }
    // Fixes are edits of the file: text only.
    if let Some(fix) = d.fix.as_ref().filter(|_| c.kind.is_text()) {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": sarif_region(Spot::Range(range(positions, e.span))),
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

/// A file that could not be read or checked, as a SARIF tool execution notification.
fn sarif_notification(path: &str, error: &ReadError, lang: Lang) -> Value {
    let cause = error.message(lang);
    let internal = matches!(error, ReadError::Internal(_));
    let text = match (lang, internal) {
        (Lang::Zh, false) => format!("无法读取 {path}：{cause}"),
        (Lang::Zh, true) => format!("无法检查 {path}：{cause}"),
        (Lang::En, false) => format!("cannot read {path}: {cause}"),
        (Lang::En, true) => format!("cannot check {path}: {cause}"),
    };
    json!({
        "level": "error",
        "message": { "text": text },
        "locations": [{ "physicalLocation": { "artifactLocation": { "uri": to_uri(path) } } }],
    })
}

pub(crate) fn sarif(outcomes: &[Outcome], lang: Lang) -> Value {
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Checked(c) => {
                let positions = Positions::new(&c.text, &c.index);
                let uri = to_uri(&c.path);
                results.extend(
                    c.diagnostics()
                        .iter()
                        .map(|d| sarif_result(c, &positions, &uri, d, lang)),
                );
            }
            Outcome::Failed { path, error } => {
                notifications.push(sarif_notification(path, error, lang));
            }
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
    let mut invocation = json!({ "executionSuccessful": notifications.is_empty() });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = json!(notifications);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// `::error file=…,line=…::message` for each diagnostic of a file: a page's at the line and
/// column of its HTML, a Word document's on the whole file, the place named in the message.
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
        let at = match spot(c, &positions, d.span) {
            Spot::Range(r) => format!(
                ",line={},col={},endLine={},endColumn={}",
                r.start.line, r.start.column, r.end.line, r.end.column
            ),
            Spot::Point(p) => format!(",line={},col={}", p.line, p.column),
            Spot::File => String::new(),
        };
        let title = escape_property(&format!("{} {}", d.rule.code, d.rule.name));
        let message = with_place(
            d.message.get(lang),
            place_in_words(c, d.span.start, lang),
            lang,
        );
        out.push_str(&format!(
            "::{command} file={file}{at},title={title}::{}\n",
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
