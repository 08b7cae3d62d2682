//! The language features as plain functions: a document, its analysis and the negotiated
//! encoding and language in, LSP values out. Positions are converted here and nowhere else.

use serde_json::{json, Value};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    CompletionTextEdit, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DocumentChanges, DocumentSymbol, FoldingRange, FoldingRangeKind, Hover,
    HoverContents, InlayHint, InlayHintLabel, InlayHintTooltip, Location, MarkupContent,
    MarkupKind, NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier, Position, Range,
    SymbolKind, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::document::{Document, Encoding};
use crate::format::{self, FormatVersion, TableKind};
use crate::{
    fix, Analysis, Diagnostic, Edit, Lang, Message, OutlineItem, OutlineKind, Severity, Span,
    SumCheck,
};

/// The code action kind of the fix-all action (`source.fixAll.nianbao`).
pub const FIX_ALL: &str = "source.fixAll.nianbao";
/// The code action kind of the actions that insert standard text (tables, sections, a report).
pub const INSERT: &str = "refactor.insert";

/// One open document as the features see it.
pub struct View<'a> {
    pub uri: &'a Uri,
    pub version: i32,
    pub doc: &'a Document,
    pub analysis: &'a Analysis,
    pub encoding: Encoding,
    pub lang: Lang,
}

impl View<'_> {
    fn text(&self) -> &str {
        self.doc.text()
    }
    fn range(&self, span: Span) -> Range {
        self.doc.range_of(span, self.encoding)
    }
    fn position(&self, offset: usize) -> Position {
        self.doc.position_at(offset, self.encoding)
    }
    fn offset(&self, pos: Position) -> usize {
        self.doc.offset_at(pos, self.encoding)
    }
    fn msg<'m>(&self, message: &'m Message) -> &'m str {
        match self.lang {
            Lang::En if !message.en.is_empty() => &message.en,
            _ => &message.zh,
        }
    }
    fn zh_en<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

pub fn diagnostics(view: &View) -> Vec<LspDiagnostic> {
    view.analysis
        .diagnostics
        .iter()
        .map(|d| diagnostic(view, d))
        .collect()
}

pub fn diagnostic(view: &View, d: &Diagnostic) -> LspDiagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(view.uri.clone(), view.range(r.span)),
            message: view.msg(&r.message).to_string(),
        })
        .collect();
    // What a client may show of the fix before it asks for the action; nothing for the many
    // diagnostics without one (every node is built again into JSON after each keystroke).
    let data = d.fix.as_ref().map(|f| {
        json!({
            "rule": d.rule.name,
            "fix": { "title": view.msg(&f.title), "safe": f.safe },
        })
    });
    LspDiagnostic {
        range: view.range(d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.code.to_string())),
        code_description: None,
        source: Some("nianbao".to_string()),
        message: view.msg(&d.message).to_string(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data,
    }
}

// ---------------------------------------------------------------------------------------------
// Code actions

/// Whether an action of `kind` is wanted by a request's `only` filter.
pub fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    match only {
        None | Some([]) => true,
        Some(only) => only.iter().any(|k| {
            let (k, kind) = (k.as_str(), kind.as_str());
            kind == k
                || kind
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.starts_with('.'))
        }),
    }
}

/// The code actions for `range`: quick fixes of the diagnostics there, inserting the standard
/// table of the section the cursor is in when the report lacks it (unless a quick fix there
/// already does), inserting missing sections, a new report in an empty document, and fix-all.
pub fn code_actions(
    view: &View,
    range: Range,
    only: Option<&[CodeActionKind]>,
    report_year: u16,
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let request = view.doc.span_of(range, view.encoding);
    let text = view.text();
    let analysis = view.analysis;

    // The quick fixes offered, as (rule, diagnostic span, edits): an insertion offered as one
    // is not offered again as `refactor.insert`.
    let mut quick_fixes: Vec<(&str, Span, &[Edit])> = Vec::new();
    if wanted(&CodeActionKind::QUICKFIX, only) {
        for d in &analysis.diagnostics {
            let Some(fix) = &d.fix else { continue };
            let touches = d.span.start <= request.end && request.start <= d.span.end;
            if !touches || fix.edits.is_empty() {
                continue;
            }
            quick_fixes.push((d.rule.code, d.span, &fix.edits));
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: view.msg(&fix.title).to_string(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(view, d)]),
                edit: Some(workspace_edit(view, &fix.edits)),
                // Unsafe fixes (a total rewritten to the computed sum) need review: offered,
                // never preferred.
                is_preferred: Some(fix.safe),
                data: Some(json!({ "rule": d.rule.code, "safe": fix.safe })),
                ..CodeAction::default()
            }));
        }
    }

    // 忽略此问题: a `disable-next-line` comment above the finding's line.
    if wanted(&CodeActionKind::QUICKFIX, only) {
        for d in &analysis.diagnostics {
            let touches = d.span.start <= request.end && request.start <= d.span.end;
            if !touches || d.rule.code == crate::rules::suppression::UNUSED_SUPPRESSION.code {
                continue;
            }
            let edit =
                crate::rules::suppression::disable_next_line(text, d.span.start, d.rule.code);
            let title = match view.lang {
                Lang::Zh => format!("忽略此问题（{}）", d.rule.code),
                Lang::En => format!("Ignore this problem ({})", d.rule.code),
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(view, d)]),
                edit: Some(workspace_edit(view, &[edit])),
                is_preferred: Some(false),
                data: Some(json!({ "rule": d.rule.code, "suppress": true })),
                ..CodeAction::default()
            }));
        }
    }

    let insert = CodeActionKind::new(INSERT);
    if wanted(&insert, only) {
        if text.trim().is_empty() {
            let report = fix::new_report(report_year, "");
            if !report.is_empty() {
                let edit = Edit {
                    span: Span::new(0, text.len()),
                    new_text: report,
                };
                actions.push(insert_action(
                    view.zh_en("新建年度报告", "New annual report"),
                    workspace_edit(view, &[edit]),
                ));
            }
        }
        // A standard table is offered in its section (from the heading to the next one, so on
        // the blank lines under an empty heading too) while the report has no such table, and
        // once only: not again when NB201's quick fix above already inserts it.
        for (n, heading, region) in section_regions(analysis, text.len()) {
            let inside = region.start <= request.start
                && (request.start < region.end || region.end == text.len());
            let Some(kind) = TableKind::for_section(n).filter(|_| inside) else {
                continue;
            };
            if has_table(analysis, kind) {
                continue;
            }
            let Some(fix) = fix::insert_table(text, analysis, kind) else {
                continue;
            };
            let already = quick_fixes.iter().any(|(rule, span, edits)| {
                *edits == fix.edits.as_slice()
                    || (*rule == crate::rules::TABLE_MISSING.code && *span == heading)
            });
            if fix.edits.is_empty() || already {
                continue;
            }
            let title = match view.msg(&fix.title) {
                "" => match view.lang {
                    Lang::Zh => format!("插入标准表格：{}", kind.short_zh()),
                    Lang::En => format!("Insert the standard {}", kind.name_en()),
                },
                title => title.to_string(),
            };
            actions.push(insert_action(&title, workspace_edit(view, &fix.edits)));
        }
        if let Some(fix) = fix::insert_missing_sections(text, analysis) {
            if !fix.edits.is_empty() {
                let title = match view.msg(&fix.title) {
                    "" => view.zh_en("插入缺失的章节", "Insert the missing sections"),
                    title => title,
                };
                actions.push(insert_action(title, workspace_edit(view, &fix.edits)));
            }
        }
    }

    let fix_all = CodeActionKind::new(FIX_ALL);
    if wanted(&fix_all, only) {
        let edits = fix_all_edits(analysis);
        if !edits.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: view
                    .zh_en(
                        "修复所有可安全自动修复的问题",
                        "Fix all safely fixable problems",
                    )
                    .to_string(),
                kind: Some(fix_all),
                edit: Some(workspace_edit(view, &edits)),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// Each section as (number, heading, region): the region runs from its heading to the next
/// section's heading (or the end of the text), blank lines and stray text included, unlike the
/// outline's span, which ends where the section's last text does.
fn section_regions(analysis: &Analysis, text_len: usize) -> Vec<(u8, Span, Span)> {
    let mut sections: Vec<(u8, Span, usize)> = analysis
        .outline
        .iter()
        .filter_map(|item| match item.kind {
            OutlineKind::Section(n) => Some((n, item.heading, item.span.start)),
            OutlineKind::Table(_) => None,
        })
        .collect();
    sections.sort_by_key(|s| s.2);
    let starts: Vec<usize> = sections.iter().map(|s| s.2).collect();
    sections
        .into_iter()
        .enumerate()
        .map(|(i, (n, heading, start))| {
            let end = starts.get(i + 1).copied().unwrap_or(text_len).max(start);
            (n, heading, Span::new(start, end))
        })
        .collect()
}

/// Whether the report has a table of `kind` (in its section or elsewhere).
fn has_table(analysis: &Analysis, kind: TableKind) -> bool {
    let mut found = false;
    walk(&analysis.outline, &mut |item| {
        found |= item.kind == OutlineKind::Table(kind);
    });
    found
}

fn insert_action(title: &str, edit: WorkspaceEdit) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_string(),
        kind: Some(CodeActionKind::new(INSERT)),
        edit: Some(edit),
        ..CodeAction::default()
    })
}

/// A workspace edit changing this document, at its current version, by `edits`.
pub fn workspace_edit(view: &View, edits: &[Edit]) -> WorkspaceEdit {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let edits = sorted
        .into_iter()
        .map(|e| OneOf::Left(TextEdit::new(view.range(e.span), e.new_text.clone())))
        .collect();
    WorkspaceEdit {
        changes: None,
        document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: view.uri.clone(),
                version: Some(view.version),
            },
            edits,
        }])),
        change_annotations: None,
    }
}

/// The edits of every safe fix (see [`fix::fix_all_edits`]).
pub fn fix_all_edits(analysis: &Analysis) -> Vec<Edit> {
    fix::fix_all_edits(analysis, false)
}

// ---------------------------------------------------------------------------------------------
// Hover

pub fn hover(view: &View, pos: Position) -> Option<Hover> {
    let offset = view.offset(pos);
    let sums: Vec<&SumCheck> = view
        .analysis
        .sums
        .iter()
        .filter(|s| s.target.contains(offset))
        .collect();
    if let Some(first) = sums.first() {
        let value = sums
            .iter()
            .map(|s| sum_markdown(view, s))
            .collect::<Vec<_>>()
            .join("\n\n---\n\n");
        return Some(markdown_hover(value, view.range(first.target)));
    }
    let mut found = None;
    walk(&view.analysis.outline, &mut |item| {
        if found.is_none() {
            if let OutlineKind::Section(n) = item.kind {
                if item.heading.contains(offset) {
                    found = Some((n, item.heading));
                }
            }
        }
    });
    let (n, heading) = found?;
    let spec = format::section(n);
    let value = match view.lang {
        Lang::Zh => format!(
            "**{}、{}**\n\n格式要求：{}",
            spec.numeral, spec.title, spec.requires_zh
        ),
        Lang::En => format!(
            "**Section {n}: {}、{}**\n\nWhat the format requires: {}",
            spec.numeral, spec.title, spec.requires_en
        ),
    };
    Some(markdown_hover(value, view.range(heading)))
}

fn markdown_hover(value: String, range: Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range),
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn sum_markdown(view: &View, sum: &SumCheck) -> String {
    let mut out = format!("**{}**\n\n", cell(&sum.label));
    let values: Vec<String> = sum
        .terms
        .iter()
        .map(|t| t.value.unwrap_or(0).to_string())
        .collect();
    let formula = if values.is_empty() {
        "0".to_string()
    } else {
        values.join(" + ")
    };
    out.push_str(&format!("`{formula} = {}`\n\n", sum.computed));
    out.push_str(view.zh_en(
        "| 项 | 数值 |\n|---|---:|\n",
        "| term | value |\n|---|---:|\n",
    ));
    for t in &sum.terms {
        let value = match t.value {
            Some(v) => v.to_string(),
            None => view
                .zh_en("空白（按 0 计）", "blank (counted as 0)")
                .to_string(),
        };
        out.push_str(&format!("| {} | {} |\n", cell(t.label), value));
    }
    out.push_str(&format!(
        "| **{}** | **{}** |\n\n",
        view.zh_en("合计", "sum"),
        sum.computed
    ));
    let verdict = match (sum.holds(), sum.written, view.lang) {
        (true, Some(w), Lang::Zh) => format!("✅ 填写值 {w} 与计算值一致"),
        (true, Some(w), Lang::En) => format!("✅ the written {w} matches the sum"),
        (true, None, Lang::Zh) => "✅ 填写值为空白（按 0 计），与计算值一致".to_string(),
        (true, None, Lang::En) => "✅ blank (counted as 0), matching the sum".to_string(),
        (false, Some(w), Lang::Zh) => format!("❌ 填写值为 {w}，计算值为 {}，不一致", sum.computed),
        (false, Some(w), Lang::En) => {
            format!(
                "❌ written {w}, but the sum is {}: they differ",
                sum.computed
            )
        }
        (false, None, Lang::Zh) => format!("❌ 填写值为空白，计算值为 {}", sum.computed),
        (false, None, Lang::En) => format!("❌ blank, but the sum is {}", sum.computed),
    };
    out.push_str(&verdict);
    out
}

// ---------------------------------------------------------------------------------------------
// Inlay hints

/// `= N` after each total that differs from its sum, in `range`, unless the settings turned
/// the sum's rule off.
pub fn inlay_hints(view: &View, range: Range) -> Vec<InlayHint> {
    let mut seen: Vec<(Span, i64)> = Vec::new();
    let mut hints = Vec::new();
    for sum in &view.analysis.sums {
        if sum.holds() || seen.contains(&(sum.target, sum.computed)) {
            continue;
        }
        seen.push((sum.target, sum.computed));
        let position = view.position(sum.target.end);
        if position < range.start || position > range.end {
            continue;
        }
        let formula: Vec<String> = sum
            .terms
            .iter()
            .map(|t| t.value.unwrap_or(0).to_string())
            .collect();
        let tooltip = match view.lang {
            Lang::Zh => format!(
                "{} 应为 {} = {}",
                sum.label,
                formula.join(" + "),
                sum.computed
            ),
            Lang::En => {
                format!(
                    "{} should be {} = {}",
                    sum.label,
                    formula.join(" + "),
                    sum.computed
                )
            }
        };
        hints.push(InlayHint {
            position,
            label: InlayHintLabel::String(format!("= {}", sum.computed)),
            kind: None,
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(tooltip)),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    hints
}

// ---------------------------------------------------------------------------------------------
// Outline: symbols and folding

fn walk<'a>(items: &'a [OutlineItem], f: &mut impl FnMut(&'a OutlineItem)) {
    for item in items {
        f(item);
        walk(&item.children, f);
    }
}

pub fn document_symbols(view: &View) -> Vec<DocumentSymbol> {
    view.analysis
        .outline
        .iter()
        .map(|item| symbol(view, item))
        .collect()
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
fn symbol(view: &View, item: &OutlineItem) -> DocumentSymbol {
    let start = item.heading.start.clamp(item.span.start, item.span.end);
    let end = item.heading.end.clamp(start, item.span.end);
    let (kind, detail) = match item.kind {
        OutlineKind::Section(_) => (SymbolKind::NAMESPACE, None),
        OutlineKind::Table(kind) => (
            SymbolKind::ARRAY,
            Some(view.zh_en(kind.name_zh(), kind.name_en()).to_string()),
        ),
    };
    let name = match (item.title.trim(), item.kind) {
        ("", OutlineKind::Section(n)) => {
            let spec = format::section(n);
            format!("{}、{}", spec.numeral, spec.title)
        }
        ("", OutlineKind::Table(kind)) => kind.short_zh().to_string(),
        (title, _) => title.to_string(),
    };
    let children: Vec<DocumentSymbol> = item.children.iter().map(|c| symbol(view, c)).collect();
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: view.range(item.span),
        selection_range: view.range(Span::new(start, end)),
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn folding_ranges(view: &View) -> Vec<FoldingRange> {
    let mut ranges = Vec::new();
    walk(&view.analysis.outline, &mut |item| {
        let start = view.position(item.span.start).line;
        let end = view.position(item.span.end);
        // A span that ends after its last line's terminator ends on the line before.
        let end_line = if end.character == 0 && end.line > start {
            end.line - 1
        } else {
            end.line
        };
        if end_line > start {
            ranges.push(FoldingRange {
                start_line: start,
                start_character: None,
                end_line,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: Some(item.title.clone()).filter(|t| !t.is_empty()),
            });
        }
    });
    ranges
}

// ---------------------------------------------------------------------------------------------
// Completion

/// Characters that may stand before a heading or label and are not part of it.
fn is_lead(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}'
}

/// The official headings at the start of a line; the row labels of the table the cursor is in.
pub fn completion(view: &View, pos: Position) -> Option<Vec<CompletionItem>> {
    let offset = view.offset(pos);
    let line_start = view.offset(Position::new(pos.line, 0));
    let prefix = view.text().get(line_start..offset)?;
    // What is being typed: after the last cell separator, without leading blanks (and, for a
    // heading, Markdown `#` marks).
    let separated = prefix.rfind(['|', '\t']);
    let mut token = match separated {
        Some(i) => &prefix[i + 1..],
        None => prefix,
    };
    token = token.trim_start_matches(is_lead);
    if separated.is_none() {
        token = token.trim_start_matches('#').trim_start_matches(is_lead);
    }
    if token.chars().count() > 40 {
        return None;
    }
    let range = Range::new(view.position(offset - token.len()), pos);

    let mut table = None;
    walk(&view.analysis.outline, &mut |item| {
        if let OutlineKind::Table(kind) = item.kind {
            if item.span.start <= offset && offset <= item.span.end {
                table = Some(kind);
            }
        }
    });
    let version = view
        .analysis
        .tables
        .or(view.analysis.format)
        .unwrap_or(FormatVersion::V2021);
    let (labels, kind, detail): (Vec<String>, CompletionItemKind, String) = match table {
        Some(kind) => (
            row_labels(kind, version)
                .into_iter()
                .map(str::to_string)
                .collect(),
            CompletionItemKind::FIELD,
            match view.lang {
                Lang::Zh => format!("{}行标签", kind.short_zh()),
                Lang::En => format!("row label of {}", kind.name_en()),
            },
        ),
        None if separated.is_none() => (
            format::SECTIONS
                .iter()
                .map(|s| format!("{}、{}", s.numeral, s.title))
                .collect(),
            CompletionItemKind::MODULE,
            view.zh_en("章节标题", "section heading").to_string(),
        ),
        None => return None,
    };
    let items = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| CompletionItem {
            label: label.clone(),
            kind: Some(kind),
            detail: Some(detail.clone()),
            sort_text: Some(format!("{i:03}")),
            filter_text: Some(label.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, label))),
            ..CompletionItem::default()
        })
        .collect();
    Some(items)
}

fn row_labels(kind: TableKind, version: FormatVersion) -> Vec<&'static str> {
    let mut labels: Vec<&'static str> = Vec::new();
    match kind {
        TableKind::Application => {
            labels.extend(format::application_rows(version).iter().map(|r| r.label));
            labels.extend(format::APPLICATION_GROUPS.iter().copied());
        }
        TableKind::Disclosure => {
            labels.extend(format::disclosure_rows(version).iter().map(|r| r.label));
            labels.extend(format::DISCLOSURE_BLOCKS.iter().copied());
        }
        TableKind::Review => {
            labels.extend(format::REVIEW_GROUPS.iter().copied());
            labels.extend(format::REVIEW_COLUMNS.iter().copied());
        }
    }
    let mut unique = Vec::with_capacity(labels.len());
    for l in labels {
        if !unique.contains(&l) {
            unique.push(l);
        }
    }
    unique
}

// ---------------------------------------------------------------------------------------------
// Status

/// What the editor's status bar shows: `{isReport, year, format, tables, errors, warnings, infos}`.
pub fn status(analysis: Option<&Analysis>) -> Value {
    let Some(a) = analysis else {
        return json!({ "isReport": false, "year": null, "format": null, "tables": null,
            "errors": 0, "warnings": 0, "infos": 0 });
    };
    let count = |s: Severity| a.diagnostics.iter().filter(|d| d.severity == s).count();
    json!({
        "isReport": a.is_report,
        "year": a.year,
        "format": a.format.map(FormatVersion::as_str),
        "tables": a.tables.map(FormatVersion::as_str),
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "infos": count(Severity::Info),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_filters_by_prefix() {
        let fix_all = CodeActionKind::new(FIX_ALL);
        assert!(wanted(&fix_all, None));
        assert!(wanted(&fix_all, Some(&[CodeActionKind::SOURCE_FIX_ALL])));
        assert!(wanted(&fix_all, Some(&[CodeActionKind::SOURCE])));
        assert!(!wanted(&fix_all, Some(&[CodeActionKind::QUICKFIX])));
        assert!(!wanted(
            &CodeActionKind::new("sourcex"),
            Some(&[CodeActionKind::SOURCE])
        ));
    }

    #[test]
    fn every_wrong_total_is_a_sum_of_its_rule() {
        for text in [
            include_str!("../../tests/corpus/datong-eco-2023.txt"),
            include_str!("../../tests/corpus/xinzhou-eco-2020.txt"),
        ] {
            let analysis = crate::analyze(text);
            let totals: Vec<&Diagnostic> = analysis
                .diagnostics
                .iter()
                .filter(|d| ["NB301", "NB302", "NB304"].contains(&d.rule.code))
                .collect();
            assert!(!totals.is_empty());
            for d in totals {
                assert!(
                    analysis
                        .sums
                        .iter()
                        .any(|s| s.target == d.span && !s.holds() && s.rule.code == d.rule.code),
                    "{} at {:?}",
                    d.rule.code,
                    d.span
                );
            }
        }
    }
}
