//! `--format human`: rustc-style diagnostics with the source line and a `^` underline.
//!
//! ```text
//! error[NB304]: 行政诉讼（未经复议直接起诉）总计应为 1，实为 0
//!    --> tests/corpus/datong-eco-2023.txt:409:2
//!     |
//! 409 |     0
//!     |     ^
//!     = 相关: 405:2 结果维持 = 1
//!     = 修复（需确认）: 将总计改为 1
//! ```
//!
//! Widths are display columns (CJK characters take two); tabs become four spaces in the source
//! line and the underline alike; control characters are shown as symbols so that a document
//! cannot drive the terminal. Long lines are cut to a window around the span.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;

use crate::{Diagnostic, Lang, Severity};

use super::super::check::{Checked, Summary};
use super::Positions;

/// Lines wider than this are shown as a window around the span.
const MAX_LINE_WIDTH: usize = 120;
/// Width of that window.
const WINDOW_WIDTH: usize = 60;
const TAB: &str = "    ";

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

fn gutter_style() -> Style {
    Style::new()
        .fg_color(Some(AnsiColor::BrightBlue.into()))
        .bold()
}

fn bold() -> Style {
    Style::new().bold()
}

pub(crate) fn render_file(file: &Checked, lang: Lang) -> String {
    let positions = Positions::new(&file.text, &file.index);
    let mut out = String::new();
    for d in file.diagnostics() {
        render_diagnostic(&mut out, file, &positions, d, lang);
        out.push('\n');
    }
    out
}

fn render_diagnostic(
    out: &mut String,
    file: &Checked,
    positions: &Positions,
    d: &Diagnostic,
    lang: Lang,
) {
    let sev = severity_style(d.severity);
    let gutter = gutter_style();
    let bold = bold();
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let start = positions.clamp(d.span.start);
    let end = positions.clamp(d.span.end.max(d.span.start));
    let (line, col) = positions.line_col(start);
    // The margin's number is the line the header names: a page's line of HTML (the line shown
    // is still its converted text), else the text's own.
    let lineno = match file.origin(start).and_then(|o| o.line) {
        Some((source_line, _)) => source_line.to_string(),
        None => (line + 1).to_string(),
    };
    let pad = " ".repeat(lineno.len());
    let message = sanitize(d.message.get(lang));
    let _ = writeln!(
        out,
        "{sev}{label}[{code}]{sev:#}{bold}: {message}{bold:#}",
        code = d.code()
    );
    match file.origin(start) {
        // A converted document: where the finding is in the document itself; the line shown
        // below is the converted text's.
        Some(origin) => {
            let _ = writeln!(
                out,
                "{pad}{gutter}-->{gutter:#} {}",
                source_location(&file.path, origin, lang)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{pad}{gutter}-->{gutter:#} {}:{}:{}",
                file.path,
                line + 1,
                col + 1
            );
        }
    }
    let _ = writeln!(out, "{pad} {gutter}|{gutter:#}");

    let (line_start, line_end) = file
        .index
        .line_span(&file.text, line)
        .unwrap_or((start, start));
    let content = &file.text[line_start..line_end];
    let s = (start - line_start).min(content.len());
    let e = end.saturating_sub(line_start).clamp(s, content.len());
    let snippet = Snippet::new(content, s, e);
    let _ = writeln!(out, "{gutter}{lineno} |{gutter:#} {}", snippet.source);
    let _ = writeln!(
        out,
        "{pad} {gutter}|{gutter:#} {}{sev}{}{sev:#}",
        " ".repeat(snippet.caret_offset),
        "^".repeat(snippet.caret_len)
    );

    let related_label = super::super::tr(lang, "相关", "related");
    for r in &d.related {
        let at = match file.origin(r.span.start) {
            Some(origin) => match (origin.place, origin.line) {
                (crate::convert::Place::Text, Some((l, c))) => format!("{l}:{c}"),
                _ => origin.describe(lang),
            },
            None => {
                let p = positions.pos(r.span.start);
                format!("{}:{}", p.line, p.column)
            }
        };
        let _ = writeln!(
            out,
            "{pad} {gutter}={gutter:#} {related_label}: {at} {}",
            sanitize(r.message.get(lang))
        );
    }
    // Fixes are written into text only (`nianbao fix` refuses a .docx or a page), so none is
    // shown for a converted input, as in the machine formats.
    if let Some(fix) = d.fix.as_ref().filter(|_| file.kind.is_text()) {
        let fix_label = match (fix.safe, lang) {
            (true, Lang::Zh) => "修复",
            (false, Lang::Zh) => "修复（需确认）",
            (true, Lang::En) => "fix",
            (false, Lang::En) => "fix (needs review)",
        };
        let _ = writeln!(
            out,
            "{pad} {gutter}={gutter:#} {fix_label}: {}",
            sanitize(fix.title.get(lang))
        );
    }
}

/// `report.docx: 表三 第 7 行 第 3 列` for a Word document, `page.html:120:15（表三 第 7 行 第 3
/// 列）` for a page (the line and column of its source first, so that terminals and editors
/// can open it there).
pub(crate) fn source_location(path: &str, origin: &crate::convert::Origin, lang: Lang) -> String {
    use crate::convert::Place;
    match (origin.line, origin.place) {
        (Some((l, c)), Place::Text) => format!("{path}:{l}:{c}"),
        (Some((l, c)), _) => match lang {
            Lang::Zh => format!("{path}:{l}:{c}（{}）", origin.describe(lang)),
            Lang::En => format!("{path}:{l}:{c} ({})", origin.describe(lang)),
        },
        (None, _) => format!("{path}: {}", origin.describe(lang)),
    }
}

/// After a file's diagnostics, when a run checks several: `report.docx（docx）：2 个错误，0 个警告，
/// 1 个提示`.
pub(crate) fn file_summary(file: &Checked, lang: Lang) -> String {
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for d in file.diagnostics() {
        match d.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
            Severity::Info => infos += 1,
        }
    }
    let kind = file.kind.as_str();
    let path = &file.path;
    let bold = bold();
    let line = match lang {
        Lang::Zh => format!("{path}（{kind}）：{errors} 个错误，{warnings} 个警告，{infos} 个提示"),
        Lang::En => format!(
            "{path} ({kind}): {}, {}, {}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            plural(infos, "info", "infos"),
        ),
    };
    format!("{bold}{line}{bold:#}\n\n")
}

/// `检查了 5 个文件：3 个错误，4 个警告，1 个提示`.
pub(crate) fn summary_line(s: &Summary, lang: Lang) -> String {
    let bold = bold();
    let line = match lang {
        Lang::Zh => {
            let skipped = if s.skipped > 0 {
                format!("（跳过 {} 个非年度报告）", s.skipped)
            } else {
                String::new()
            };
            let failed = if s.failed > 0 {
                format!("，{} 个无法读取", s.failed)
            } else {
                String::new()
            };
            format!(
                "检查了 {} 个文件{skipped}{failed}：{} 个错误，{} 个警告，{} 个提示",
                s.files, s.errors, s.warnings, s.infos
            )
        }
        Lang::En => {
            let skipped = if s.skipped > 0 {
                format!(" ({} skipped: not annual reports)", s.skipped)
            } else {
                String::new()
            };
            let failed = if s.failed > 0 {
                format!(", {} unreadable", s.failed)
            } else {
                String::new()
            };
            format!(
                "checked {}{skipped}{failed}: {}, {}, {}",
                plural(s.files, "file", "files"),
                plural(s.errors, "error", "errors"),
                plural(s.warnings, "warning", "warnings"),
                plural(s.infos, "info", "infos"),
            )
        }
    };
    format!("{bold}{line}{bold:#}\n")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a character looks like on the terminal: tabs as spaces, controls and bidirectional
/// overrides as visible symbols.
fn shown(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
        _ => c,
    }
}

fn char_width(c: char) -> usize {
    if c == '\t' {
        TAB.len()
    } else {
        shown(c).width().unwrap_or(0)
    }
}

fn push_shown(out: &mut String, s: &str) {
    for c in s.chars() {
        if c == '\t' {
            out.push_str(TAB);
        } else {
            out.push(shown(c));
        }
    }
}

fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Messages are one line: no control characters, no line breaks.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { shown(c) })
        .collect()
}

/// A source line as shown, and where its underline goes (in display columns).
#[derive(Debug, PartialEq, Eq)]
struct Snippet {
    source: String,
    caret_offset: usize,
    caret_len: usize,
}

impl Snippet {
    /// `line` is a line's content; `s..e` the span's part of it, in bytes at char boundaries.
    fn new(line: &str, s: usize, e: usize) -> Snippet {
        if !wider_than(line, MAX_LINE_WIDTH) {
            let mut source = String::with_capacity(line.len());
            push_shown(&mut source, line);
            return Snippet {
                source,
                caret_offset: width(&line[..s]),
                caret_len: width(&line[s..e]).max(1),
            };
        }
        // The span, cut to the window.
        let mut span_end = s;
        let mut span_width = 0;
        for (i, c) in line[s..e].char_indices() {
            let w = char_width(c);
            if span_width + w > WINDOW_WIDTH && span_width > 0 {
                break;
            }
            span_width += w;
            span_end = s + i + c.len_utf8();
        }
        let room = WINDOW_WIDTH.saturating_sub(span_width);
        // Half the room before the span, the rest after it, and what the end leaves unused
        // before it again.
        let (mut left, mut left_width) = extend_left(line, s, room / 2, 0);
        let (right, right_width) = extend_right(line, span_end, room.saturating_sub(left_width));
        if right == line.len() {
            (left, left_width) = extend_left(
                line,
                left,
                room.saturating_sub(left_width + right_width),
                left_width,
            );
        }
        let mut source = String::new();
        let mut caret_offset = left_width;
        if left > 0 {
            source.push('…');
            caret_offset += '…'.width().unwrap_or(1);
        }
        push_shown(&mut source, &line[left..right]);
        if right < line.len() {
            source.push('…');
        }
        Snippet {
            source,
            caret_offset,
            caret_len: span_width.max(1),
        }
    }
}

/// Whether `line` is wider than `max` columns, looking at no more of it than needed.
fn wider_than(line: &str, max: usize) -> bool {
    let mut w = 0;
    for c in line.chars() {
        w += char_width(c);
        if w > max {
            return true;
        }
    }
    false
}

/// Move `from` left over at most `budget` more columns; returns the new start and the width
/// now before the span (`already` plus what was added).
fn extend_left(line: &str, from: usize, budget: usize, already: usize) -> (usize, usize) {
    let mut at = from;
    let mut used = 0;
    for (i, c) in line[..from].char_indices().rev() {
        let w = char_width(c);
        if used + w > budget {
            break;
        }
        used += w;
        at = i;
    }
    (at, already + used)
}

fn extend_right(line: &str, from: usize, budget: usize) -> (usize, usize) {
    let mut at = from;
    let mut used = 0;
    for (i, c) in line[from..].char_indices() {
        let w = char_width(c);
        if used + w > budget {
            break;
        }
        used += w;
        at = from + i + c.len_utf8();
    }
    (at, used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::LineIndex;
    use crate::{rules, Fix, Message, Related, Span};

    fn checked(text: &str, diagnostics: Vec<Diagnostic>) -> Checked {
        let analysis = crate::Analysis {
            is_report: true,
            diagnostics,
            ..crate::Analysis::default()
        };
        Checked {
            path: "r.txt".into(),
            kind: crate::convert::InputKind::Text,
            map: Default::default(),
            text: text.into(),
            index: LineIndex::new(text),
            analysis,
            skipped: false,
            options: crate::Options::default(),
        }
    }

    /// The underline's columns under the source line, as a terminal shows them.
    fn underline(rendered: &str, lineno: &str) -> (String, usize, usize) {
        let lines: Vec<&str> = rendered.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{lineno} | ")))
            .expect("source line");
        let gutter = lineno.len() + 3;
        let source = lines[at][gutter..].to_string();
        let carets = &lines[at + 1][gutter..];
        let offset = carets.find('^').expect("carets");
        let len = carets[offset..].chars().take_while(|&c| c == '^').count();
        (source, offset, len)
    }

    #[test]
    fn underline_uses_display_width_after_cjk_and_tabs() {
        let text = "标题\n| （七）总计\t| 1 | 23 |\n";
        let at = text.find("23").unwrap();
        let d = Diagnostic::new(
            &rules::ROW_TOTAL,
            Span::new(at, at + 2),
            Message::new("总计应为 24", "total should be 24"),
        )
        .with_related(vec![Related {
            span: Span::empty(3),
            message: Message::new("这里", "here"),
        }])
        .with_fix(Fix {
            title: Message::new("将总计改为 24", "Change the total to 24"),
            safe: false,
            edits: vec![],
        });
        let out = render_file(&checked(text, vec![d]), Lang::Zh);
        let plain = strip(&out);
        assert!(plain.starts_with("error[NB301]: 总计应为 24\n"), "{plain}");
        assert!(plain.contains(" --> r.txt:2:15\n"), "{plain}");
        assert!(plain.contains("  = 相关: 1:2 这里\n"), "{plain}");
        assert!(
            plain.contains("  = 修复（需确认）: 将总计改为 24\n"),
            "{plain}"
        );
        let (source, offset, len) = underline(&plain, "2");
        assert_eq!(source, "| （七）总计    | 1 | 23 |");
        // "| " 2 + "（七）总计" 10 + tab 4 + "| 1 | " 6 = 22.
        assert_eq!((offset, len), (22, 2));
        assert!(at_column(&source, offset).starts_with("23"));
    }

    #[test]
    fn no_fix_line_for_a_converted_input() {
        let text = "| （七）总计 | 1 | 23 |\n";
        let at = text.find("23").unwrap();
        let d = Diagnostic::new(
            &rules::ROW_TOTAL,
            Span::new(at, at + 2),
            Message::new("总计应为 24", "total should be 24"),
        )
        .with_fix(Fix {
            title: Message::new("将总计改为 24", "Change the total to 24"),
            safe: true,
            edits: vec![],
        });
        let text_out = strip(&render_file(&checked(text, vec![d.clone()]), Lang::Zh));
        assert!(text_out.contains("= 修复: 将总计改为 24"), "{text_out}");
        for kind in [
            crate::convert::InputKind::Docx,
            crate::convert::InputKind::Html,
        ] {
            let mut file = checked(text, vec![d.clone()]);
            file.kind = kind;
            for lang in [Lang::Zh, Lang::En] {
                let out = strip(&render_file(&file, lang));
                assert!(out.starts_with("error[NB301]"), "{out}");
                assert!(
                    !out.contains("修复") && !out.contains("fix"),
                    "{kind:?}: {out}"
                );
            }
        }
    }

    #[test]
    fn zero_width_span_gets_one_caret_and_english() {
        let text = "六、其他需要报告的事项\n";
        let at = text.find('\n').unwrap();
        let d = Diagnostic::new(
            &rules::SECTION_EMPTY,
            Span::empty(at),
            Message::new("空", "empty"),
        );
        let plain = strip(&render_file(&checked(text, vec![d]), Lang::En));
        assert!(plain.starts_with("warning[NB105]: empty\n"));
        let (_, offset, len) = underline(&plain, "1");
        assert_eq!((offset, len), (22, 1));
    }

    #[test]
    fn long_lines_are_windowed() {
        let prefix = "一、本年新收政府信息公开申请数量".repeat(40);
        let text = format!("{prefix}（七）总计99{}", "二".repeat(500));
        let at = text.find("99").unwrap();
        let d = Diagnostic::new(
            &rules::ROW_TOTAL,
            Span::new(at, at + 2),
            Message::new("x", "x"),
        );
        let plain = strip(&render_file(&checked(&text, vec![d]), Lang::Zh));
        let (source, offset, len) = underline(&plain, "1");
        assert!(source.starts_with('…') && source.ends_with('…'), "{source}");
        assert!(width(&source) <= WINDOW_WIDTH + 2, "{}", width(&source));
        assert_eq!(len, 2);
        // The carets sit under "99".
        assert!(at_column(&source, offset).starts_with("99"));
        // Spans wider than the window and spans at the very end of a long line.
        let d = Diagnostic::new(
            &rules::ROW_TOTAL,
            Span::new(0, text.len()),
            Message::new("x", "x"),
        );
        let e = Diagnostic::new(
            &rules::ROW_TOTAL,
            Span::empty(text.len()),
            Message::new("x", "x"),
        );
        let plain = strip(&render_file(&checked(&text, vec![d, e]), Lang::Zh));
        assert!(plain.lines().all(|l| width(l) < 80), "{plain}");
    }

    #[test]
    fn control_characters_are_neutralised() {
        let text = "a\u{1b}[31mb\u{202e}c";
        let d = Diagnostic::new(
            &rules::ROW_TOTAL,
            Span::new(0, text.len()),
            Message::new("x\u{1b}y\nz", "x"),
        );
        let out = render_file(&checked(text, vec![d]), Lang::Zh);
        assert!(!strip(&out).contains('\u{1b}'));
        assert!(!out.contains('\u{202e}'));
    }

    #[test]
    fn spans_out_of_range_do_not_panic() {
        let text = "一\r\n二";
        let spans = [
            Span::new(1, 2),
            Span::new(3, 4),
            Span::new(4, 5),
            Span::new(0, 99),
            Span::new(99, 120),
        ];
        let ds = spans
            .iter()
            .map(|&s| Diagnostic::new(&rules::ROW_TOTAL, s, Message::new("x", "x")))
            .collect();
        let _ = render_file(&checked(text, ds), Lang::Zh);
    }

    /// The rest of a shown line from display column `col`.
    fn at_column(source: &str, col: usize) -> &str {
        let mut w = 0;
        for (i, c) in source.char_indices() {
            if w == col {
                return &source[i..];
            }
            w += char_width(c);
        }
        ""
    }

    /// Remove the colour codes this module writes.
    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
