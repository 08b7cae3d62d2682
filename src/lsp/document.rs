//! An open document: its text as a rope, its lexed lines kept across edits, and the conversion
//! between LSP positions and the byte offsets the core speaks.
//!
//! This module knows nothing of the server or of async: it is what makes a keystroke cheap
//! (an edit re-lexes only the lines it touched) and it is tested on its own against a fresh
//! lex of the final text (`tests/lsp_document.rs`).
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as in LSP, in ropey with its `cr_lines` feature and
//! in [`crate::text`]. A position past the end of a line is clamped to the line's end (before its
//! terminator); one past the last line to the end of the text; one inside a character (a UTF-16
//! column between the halves of a surrogate pair, a UTF-8 column inside a character) to the
//! start of that character. Nothing here panics on a position a client sends.

use std::borrow::Cow;
use std::sync::{Mutex, OnceLock, PoisonError};

use ropey::{Rope, RopeSlice};
use tower_lsp_server::ls_types::{Position, Range};

use crate::rules::consistency::ProseCache;
use crate::syntax::{lex_line, LexedLine};
use crate::text::{ColumnUnit, LineIndex};
use crate::{Analysis, Options, Span};

/// The unit LSP columns are counted in, as negotiated at initialisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 bytes, when the client offers `positionEncoding` `utf-8`.
    Utf8,
    /// UTF-16 code units: LSP's default, which every client supports.
    #[default]
    Utf16,
}

/// A text being edited, with one [`LexedLine`] per line kept in step with it.
#[derive(Debug)]
pub struct Document {
    rope: Rope,
    lines: Vec<LexedLine>,
    /// The whole text as one string, built on demand for the analysis and dropped by edits.
    text: OnceLock<String>,
    /// Its line starts, built on demand for position conversions and dropped by edits: a
    /// binary search and one line's characters per position, where the rope walks its tree
    /// several times (hundreds of diagnostics are converted after every keystroke).
    index: OnceLock<LineIndex>,
    /// What the last analysis read in the prose, by paragraph run: the next one reads only the
    /// runs an edit changed.
    prose: Mutex<ProseCache>,
}

impl Clone for Document {
    fn clone(&self) -> Document {
        Document {
            rope: self.rope.clone(),
            lines: self.lines.clone(),
            text: self.text.clone(),
            index: self.index.clone(),
            prose: Mutex::new(ProseCache::tracking()),
        }
    }
}

impl Document {
    pub fn new(text: &str) -> Document {
        let rope = Rope::from_str(text);
        let mut doc = Document {
            rope,
            lines: Vec::new(),
            text: OnceLock::new(),
            index: OnceLock::new(),
            prose: Mutex::new(ProseCache::tracking()),
        };
        doc.lines = (0..doc.rope.len_lines()).map(|i| doc.lex(i)).collect();
        doc.text = OnceLock::from(text.to_string());
        doc
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    /// The lexed lines, one per line of the text.
    pub fn lines(&self) -> &[LexedLine] {
        &self.lines
    }

    /// Length of the text in bytes.
    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// The whole text (built from the rope once per edit, when first asked for).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| {
            let mut text = String::with_capacity(self.rope.len_bytes());
            for chunk in self.rope.chunks() {
                text.push_str(chunk);
            }
            text
        })
    }

    /// Analyse the current text with its cached lines.
    pub fn analyze(&self, options: &Options) -> Analysis {
        let mut prose = self.prose.lock().unwrap_or_else(PoisonError::into_inner);
        crate::analyze_cached(self.text(), &self.lines, options, Some(&mut prose))
    }

    /// Apply one `didChange` content change: replace `range` (the whole text when `None`) with
    /// `new_text`.
    pub fn apply_change(&mut self, range: Option<Range>, new_text: &str, encoding: Encoding) {
        match range {
            None => {
                // A client that sends the whole text each time still edits one place.
                let mut prose = std::mem::take(&mut self.prose);
                prose
                    .get_mut()
                    .unwrap_or_else(PoisonError::into_inner)
                    .lost_track();
                *self = Document::new(new_text);
                self.prose = prose;
            }
            Some(range) => {
                let start = self.offset_at(range.start, encoding);
                let end = self.offset_at(range.end, encoding);
                // A reversed range is a client bug; read it as the range it spans.
                self.replace(start.min(end), start.max(end), new_text);
            }
        }
    }

    /// Replace the bytes `start..end` with `new_text`, re-lexing only the lines the edit
    /// touched. Offsets are clamped to the text and to character boundaries.
    pub fn replace(&mut self, start: usize, end: usize, new_text: &str) {
        let len = self.rope.len_bytes();
        let start_char = self.rope.byte_to_char(start.min(len));
        let end_char = self.rope.byte_to_char(end.min(len)).max(start_char);
        if start_char == end_char && new_text.is_empty() {
            return;
        }
        // The lines the edit touches, before it. Lines before `first` keep their content (at
        // most their terminator grows, `\r` + an inserted `\n`); lines after `last` are the
        // same text after it, only moved.
        let first = self.rope.char_to_line(start_char);
        let last = self.rope.char_to_line(end_char);
        let old_count = self.rope.len_lines();
        let (start_byte, end_byte) = (
            self.rope.char_to_byte(start_char),
            self.rope.char_to_byte(end_char),
        );
        if end_char > start_char {
            self.rope.remove(start_char..end_char);
        }
        if !new_text.is_empty() {
            self.rope.insert(start_char, new_text);
        }
        self.prose
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .edited(start_byte, end_byte, new_text.len());
        // The string copy takes the same edit (a move of the tail, not a copy of the rope), and
        // so does the line index.
        let index = self.index.take();
        if let Some(mut text) = self.text.take() {
            text.replace_range(start_byte..end_byte, new_text);
            debug_assert_eq!(text.len(), self.rope.len_bytes());
            if let Some(mut index) = index {
                index.edit(&text, start_byte, end_byte, new_text.len());
                self.index = OnceLock::from(index);
            }
            self.text = OnceLock::from(text);
        }
        let new_count = self.rope.len_lines();
        // The same lines after the edit: `last` moved by the change in the line count. When a
        // `\r` before the edit swallowed an inserted `\n`, the range can be empty.
        let new_end = (last + 1 + new_count).saturating_sub(old_count).max(first);
        let fresh: Vec<LexedLine> = (first..new_end).map(|i| self.lex(i)).collect();
        let old_end = (last + 1).min(self.lines.len());
        self.lines.splice(first.min(old_end)..old_end, fresh);
        debug_assert_eq!(self.lines.len(), self.rope.len_lines());
    }

    /// Lex line `i` of the rope.
    fn lex(&self, i: usize) -> LexedLine {
        lex_line(&line_content(self.rope.line(i)))
    }

    /// The content of line `line`, without its terminator (empty past the last line).
    pub fn line_text(&self, line: usize) -> Cow<'_, str> {
        match self.rope.get_line(line) {
            Some(slice) => line_content(slice),
            None => Cow::Borrowed(""),
        }
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.rope.len_lines()
    }

    /// An LSP position → a byte offset, clamped (see the module docs).
    pub fn offset_at(&self, pos: Position, encoding: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let line_start = self.rope.line_to_char(line);
        let content = self.rope.line(line);
        let content = content.slice(..content_chars(content));
        let col = pos.character as usize;
        let col_chars = match encoding {
            Encoding::Utf16 => content.utf16_cu_to_char(col.min(content.len_utf16_cu())),
            Encoding::Utf8 => content.byte_to_char(col.min(content.len_bytes())),
        };
        self.rope.char_to_byte(line_start + col_chars)
    }

    /// A byte offset → an LSP position. An offset inside a character counts as its start, one
    /// inside a line terminator as the end of the line's content, one past the text as its end.
    pub fn position_at(&self, offset: usize, encoding: Encoding) -> Position {
        let text = self.text();
        let index = self.index.get_or_init(|| LineIndex::new(text));
        let unit = match encoding {
            Encoding::Utf16 => ColumnUnit::Utf16,
            Encoding::Utf8 => ColumnUnit::Utf8,
        };
        // An offset inside a line's terminator is at the line's end, as LSP has it.
        let line = index.line_of(offset);
        let end = index
            .line_span(text, line)
            .map_or(text.len(), |(_, end)| end);
        let at = index.position(text, offset.min(end), unit);
        Position::new(at.line, at.col)
    }

    /// A byte span → an LSP range.
    pub fn range_of(&self, span: Span, encoding: Encoding) -> Range {
        let start = self.position_at(span.start, encoding);
        // Most spans lie in one line: their end counted on from their start, not again from
        // the line's.
        let text = self.text();
        let within_line = span.start <= span.end
            && text.is_char_boundary(span.start)
            && text
                .get(span.start..span.end)
                .is_some_and(|s| !s.contains(['\n', '\r']));
        let end = if within_line {
            let inside = &text[span.start..span.end];
            let width = match encoding {
                Encoding::Utf16 => crate::text::utf16_len(inside),
                Encoding::Utf8 => inside.len(),
            };
            Position::new(start.line, start.character + width as u32)
        } else {
            self.position_at(span.end, encoding)
        };
        Range::new(start, end)
    }

    /// An LSP range → a byte span (reversed ranges are put in order).
    pub fn span_of(&self, range: Range, encoding: Encoding) -> Span {
        let a = self.offset_at(range.start, encoding);
        let b = self.offset_at(range.end, encoding);
        Span::new(a.min(b), a.max(b))
    }

    /// The whole text as an LSP range.
    pub fn full_range(&self, encoding: Encoding) -> Range {
        Range::new(
            Position::new(0, 0),
            self.position_at(self.rope.len_bytes(), encoding),
        )
    }
}

/// Number of chars of a line slice before its terminator.
fn content_chars(line: RopeSlice<'_>) -> usize {
    let mut n = line.len_chars();
    if n > 0 && line.char(n - 1) == '\n' {
        n -= 1;
    }
    if n > 0 && line.char(n - 1) == '\r' {
        n -= 1;
    }
    n
}

/// A line slice without its terminator, borrowed when the rope stores it in one piece.
fn line_content(line: RopeSlice<'_>) -> Cow<'_, str> {
    let content = line.slice(..content_chars(line));
    match content.as_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(content.chunks().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lex_text;

    fn check(doc: &Document) {
        let text = doc.text().to_string();
        assert_eq!(doc.lines(), lex_text(&text).as_slice(), "{text:?}");
    }

    #[test]
    fn edits_across_line_endings_relex_the_right_lines() {
        let mut doc = Document::new("X\rY\nZ");
        doc.replace(2, 3, ""); // "X\r\nZ": the \r swallows the \n.
        assert_eq!(doc.text(), "X\r\nZ");
        check(&doc);
        doc.replace(2, 2, "A"); // Split the CRLF.
        assert_eq!(doc.text(), "X\rA\nZ");
        check(&doc);
        doc.replace(0, 0, "\n");
        check(&doc);
        doc.replace(0, doc.len(), "");
        check(&doc);
        assert_eq!(doc.line_count(), 1);
    }

    #[test]
    fn astral_columns_are_exact_both_ways() {
        let doc = Document::new("𠀀表\r\n二\t1");
        let at = "𠀀".len();
        assert_eq!(doc.position_at(at, Encoding::Utf16), Position::new(0, 2));
        assert_eq!(doc.position_at(at, Encoding::Utf8), Position::new(0, 4));
        assert_eq!(doc.offset_at(Position::new(0, 2), Encoding::Utf16), at);
        assert_eq!(doc.offset_at(Position::new(0, 4), Encoding::Utf8), at);
        // Inside the surrogate pair or the UTF-8 sequence: the character's start.
        assert_eq!(doc.offset_at(Position::new(0, 1), Encoding::Utf16), 0);
        assert_eq!(doc.offset_at(Position::new(0, 2), Encoding::Utf8), 0);
        // Past the line, past the text.
        assert_eq!(
            doc.offset_at(Position::new(0, 99), Encoding::Utf16),
            "𠀀表".len()
        );
        assert_eq!(
            doc.offset_at(Position::new(9, 0), Encoding::Utf16),
            doc.len()
        );
        // Inside the CRLF: the end of the line's content.
        assert_eq!(
            doc.position_at("𠀀表\r".len(), Encoding::Utf16),
            Position::new(0, 3)
        );
        assert_eq!(doc.position_at(999, Encoding::Utf16), Position::new(1, 3));
    }
}
