//! Everything the command line writes: the only module that touches stdout.
//!
//! The renderers ([`human`], [`machine`], [`rules`]) build strings or JSON values; this module
//! writes them, with colour when asked, and the notes and errors that go to stderr. A closed
//! stdout (`nianbao check … | head`) ends the output quietly.
#![allow(clippy::print_stdout)]

mod human;
mod machine;
mod rules;

use std::cell::Cell;
use std::io::{self, Write};

use anstream::{AutoStream, ColorChoice};

use crate::text::LineIndex;
use crate::Lang;

use super::check::{Outcome, Summary};

pub(crate) struct Settings {
    pub lang: Lang,
    pub color: ColorChoice,
}

/// Text on stdout, as is (`new`, `fix --diff`).
pub(crate) fn stdout(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// An error of the command line itself, on stderr.
pub(crate) fn error(message: &str) {
    let _ = writeln!(io::stderr().lock(), "{message}");
}

/// Stderr notes for what is not a diagnostic: inputs that could not be read, skipped files.
fn notes_for(outcome: &Outcome, lang: Lang) {
    let mut err = io::stderr().lock();
    match outcome {
        Outcome::Failed { path, error } => {
            let cause = error.message(lang);
            let internal = matches!(error, super::input::ReadError::Internal(_));
            let _ = match (lang, internal) {
                (Lang::Zh, false) => writeln!(err, "nianbao: 无法读取 {path}：{cause}"),
                (Lang::Zh, true) => writeln!(err, "nianbao: 无法检查 {path}：{cause}"),
                (Lang::En, false) => writeln!(err, "nianbao: cannot read {path}: {cause}"),
                (Lang::En, true) => writeln!(err, "nianbao: cannot check {path}: {cause}"),
            };
        }
        Outcome::Checked(c) if c.skipped => {
            let path = if c.kind.is_text() {
                c.path.clone()
            } else {
                match lang {
                    Lang::Zh => format!("{}（{}）", c.path, c.kind.as_str()),
                    Lang::En => format!("{} ({})", c.path, c.kind.as_str()),
                }
            };
            let _ = match lang {
                Lang::Zh => writeln!(err, "nianbao: 跳过 {path}：不是政府信息公开工作年度报告（--force 可强制检查）"),
                Lang::En => writeln!(
                    err,
                    "nianbao: skipped {path}: not a government information disclosure annual report (--force checks it anyway)"
                ),
            };
        }
        Outcome::Checked(_) => {}
    }
}

/// `--format human`: diagnostics as a person reads them, then a summary line.
pub(crate) fn human(outcomes: &[Outcome], summary: &Summary, settings: &Settings) {
    use rayon::prelude::*;
    let lang = settings.lang;
    // A run over several files says how each went.
    let several = outcomes.len() > 1;
    let rendered: Vec<String> = outcomes
        .par_iter()
        .map(|o| match o {
            Outcome::Checked(c) if !c.skipped => {
                let mut text = human::render_file(c, lang);
                if several {
                    text.push_str(&human::file_summary(c, lang));
                }
                text
            }
            _ => String::new(),
        })
        .collect();
    let mut out = AutoStream::new(io::stdout(), settings.color).lock();
    for (outcome, text) in outcomes.iter().zip(&rendered) {
        // Keep stdout and stderr interleaved in input order on a terminal.
        if out.flush().is_err() {
            return;
        }
        notes_for(outcome, lang);
        if out.write_all(text.as_bytes()).is_err() {
            return;
        }
    }
    let _ = out.write_all(human::summary_line(summary, lang).as_bytes());
    let _ = out.flush();
}

/// `--format json`.
pub(crate) fn json(outcomes: &[Outcome], summary: &Summary, settings: &Settings) {
    for o in outcomes {
        notes_for(o, settings.lang);
    }
    let doc = machine::json(outcomes, summary, settings.lang);
    write_json(&doc);
}

/// `--format sarif`.
pub(crate) fn sarif(outcomes: &[Outcome], settings: &Settings) {
    for o in outcomes {
        notes_for(o, settings.lang);
    }
    let doc = machine::sarif(outcomes, settings.lang);
    write_json(&doc);
}

/// `--format github`: workflow commands, one line per diagnostic.
pub(crate) fn github(outcomes: &[Outcome], settings: &Settings) {
    let mut out = io::BufWriter::new(io::stdout().lock());
    for o in outcomes {
        if out.flush().is_err() {
            return;
        }
        notes_for(o, settings.lang);
        if let Outcome::Checked(c) = o {
            if out
                .write_all(machine::github(c, settings.lang).as_bytes())
                .is_err()
            {
                return;
            }
        }
    }
    let _ = out.flush();
}

fn write_json<T: serde::Serialize>(doc: &T) {
    let mut out = io::BufWriter::new(io::stdout().lock());
    if serde_json::to_writer_pretty(&mut out, doc).is_ok() {
        let _ = out.write_all(b"\n");
    }
    let _ = out.flush();
}

/// `nianbao rules [CODE]`.
pub(crate) fn rules(code: Option<&str>, json: bool, lang: Lang) -> i32 {
    let selected: Vec<&'static crate::rules::Rule> = match code {
        None => crate::rules::ALL.to_vec(),
        Some(code) => match crate::rules::find(code) {
            Some(rule) => vec![rule],
            None => {
                error(&match lang {
                    Lang::Zh => {
                        format!("nianbao rules：没有规则 {code}（`nianbao rules` 列出所有规则）")
                    }
                    Lang::En => {
                        format!("nianbao rules: no rule {code} (`nianbao rules` lists them all)")
                    }
                });
                return super::EXIT_TROUBLE;
            }
        },
    };
    let mut out = io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, &rules::json(&selected))
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out))
    } else if code.is_some() {
        out.write_all(rules::explain(selected[0], lang).as_bytes())
    } else {
        out.write_all(rules::table(&selected, lang).as_bytes())
    };
    let _ = written.and_then(|()| out.flush());
    super::EXIT_OK
}

/// A 1-based line and column, the column in Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Pos {
    pub line: u32,
    pub column: u32,
}

/// Byte offsets → [`Pos`], remembering the last answer so that a run of positions on one long
/// line (a whole report on one line) does not recount the line from its start each time.
pub(crate) struct Positions<'a> {
    text: &'a str,
    index: &'a LineIndex,
    /// (line, byte offset, column in chars), all 0-based.
    last: Cell<Option<(usize, usize, usize)>>,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(text: &'a str, index: &'a LineIndex) -> Positions<'a> {
        Positions {
            text,
            index,
            last: Cell::new(None),
        }
    }

    /// Clamp an offset to the text and back to a character boundary.
    pub(crate) fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 0-based line and 0-based column in chars of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line).unwrap_or(0);
        let (from, col) = match self.last.get() {
            Some((l, o, c)) if l == line && o <= offset => (o, c),
            _ => (start, 0),
        };
        let col = col + self.text[from..offset].chars().count();
        self.last.set(Some((line, offset, col)));
        (line, col)
    }

    pub(crate) fn pos(&self, offset: usize) -> Pos {
        let (line, col) = self.line_col(offset);
        Pos {
            line: to_u32(line + 1),
            column: to_u32(col + 1),
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::ColumnUnit;

    #[test]
    fn positions_agree_with_line_index() {
        let text = "一、总体情况\r\n𠀀表（七）总计\t1\r第三行\n\n末";
        let index = LineIndex::new(text);
        let positions = Positions::new(text, &index);
        let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
        // Forwards, backwards and jumping about: the cache must never change an answer.
        offsets.extend((0..=text.len()).rev());
        offsets.extend([5, 30, 2, 17, 17, 40]);
        for offset in offsets {
            let p = positions.pos(offset);
            let expected = index.position(text, offset, ColumnUnit::Char);
            assert_eq!(
                (p.line, p.column),
                (expected.line + 1, expected.col + 1),
                "offset {offset}"
            );
        }
    }
}
