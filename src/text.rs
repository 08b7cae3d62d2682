//! Line index: byte offsets ⇄ (line, column) in the units each consumer needs.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, exactly as LSP defines them (and as ropey does with
//! its `cr_lines` feature). Columns can be counted in UTF-8 bytes, UTF-16 code units (LSP's
//! default) or Unicode scalar values (the CLI's JSON output).

/// Unit a column is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    Utf8,
    Utf16,
    Char,
}

/// Zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset where each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
    len: usize,
}

/// Byte offsets of the starts of every line of `text`.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
    starts.push(0);
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        match bytes[i] {
            // The `\n` of a `\r\n` was counted with its `\r`.
            b'\n' if i > 0 && bytes[i - 1] == b'\r' => {}
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => starts.push(i + 2),
            _ => starts.push(i + 1),
        }
    }
    starts
}

/// Length in bytes of the line terminator ending at `end` (exclusive end of the line's content).
pub fn content_end(text: &str, line_start: usize, next_start: usize) -> usize {
    let b = text.as_bytes();
    let mut end = next_start;
    if end > line_start && b[end - 1] == b'\n' {
        end -= 1;
    }
    if end > line_start && b[end - 1] == b'\r' {
        end -= 1;
    }
    end
}

/// Length of `s` in UTF-16 code units: a unit per character, two for those outside the BMP
/// (whose UTF-8 lead byte is `0xF0` or above). Counted in two passes that run a word or a
/// vector at a time rather than decoding each character: prose lines run to several hundred
/// characters, and the language server counts them for every diagnostic it converts after
/// every keystroke.
pub fn utf16_len(s: &str) -> usize {
    s.chars().count() + s.bytes().filter(|&b| b >= 0xF0).count()
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            line_starts: line_starts(text),
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Bring the index up to date with an edit that replaced the bytes `start..old_end` with
    /// `new_len` bytes; `text` is the text after it. A line starts at `p` when the byte before
    /// it is `\n`, or a `\r` not followed by `\n`: so only the starts at `start..=start +
    /// new_len` can be new, those before stay, and those after `old_end` move by the change in
    /// length. (Rebuilding the index of a 1 MB document after every keystroke cost more than
    /// converting the positions it is built for.)
    pub fn edit(&mut self, text: &str, start: usize, old_end: usize, new_len: usize) {
        let bytes = text.as_bytes();
        let new_end = start + new_len;
        debug_assert_eq!(self.len + new_len, text.len() + (old_end - start));
        let kept = self.line_starts.partition_point(|&p| p < start);
        let moved = self.line_starts.partition_point(|&p| p <= old_end);
        let scan_from = start.saturating_sub(1);
        let scan_to = new_end.min(bytes.len());
        let fresh = memchr::memchr2_iter(b'\n', b'\r', &bytes[scan_from..scan_to])
            .map(|i| scan_from + i)
            .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
            .map(|i| i + 1);
        let fresh: Vec<usize> = (start == 0).then_some(0).into_iter().chain(fresh).collect();
        let shift = |p: usize| p + new_len - (old_end - start);
        for p in &mut self.line_starts[moved..] {
            *p = shift(*p);
        }
        self.line_starts.splice(kept..moved, fresh);
        self.len = text.len();
    }

    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// Byte range of line `line`'s content, without its terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Option<(usize, usize)> {
        let start = *self.line_starts.get(line)?;
        let next = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        Some((start, content_end(text, start, next)))
    }

    /// The line containing byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }

    /// Byte offset → line and column. Offsets inside a character or a CRLF pair are clamped
    /// to the previous boundary.
    pub fn position(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let prefix = &text[start..offset];
        let col = match unit {
            ColumnUnit::Utf8 => prefix.len(),
            ColumnUnit::Utf16 => utf16_len(prefix),
            ColumnUnit::Char => prefix.chars().count(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Line and column → byte offset. A column past the end of the line, or in the middle of a
    /// character, is clamped to the line's end or the character's start; a line past the end
    /// of the text gives the text's length.
    pub fn offset(&self, text: &str, pos: LineCol, unit: ColumnUnit) -> usize {
        let Some((start, end)) = self.line_span(text, pos.line as usize) else {
            return self.len;
        };
        let line = &text[start..end];
        let want = pos.col as usize;
        let mut counted = 0;
        for (i, ch) in line.char_indices() {
            if counted >= want {
                return start + i;
            }
            let w = match unit {
                ColumnUnit::Utf8 => ch.len_utf8(),
                ColumnUnit::Utf16 => ch.len_utf16(),
                ColumnUnit::Char => 1,
            };
            if counted + w > want {
                return start + i;
            }
            counted += w;
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn astral_columns_round_trip() {
        let text = "一、总体情况\r\n𠀀表（七）总计\r第三行\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let off = text.find('表').unwrap();
        let p16 = idx.position(text, off, ColumnUnit::Utf16);
        assert_eq!(p16, LineCol { line: 1, col: 2 });
        let pc = idx.position(text, off, ColumnUnit::Char);
        assert_eq!(pc, LineCol { line: 1, col: 1 });
        assert_eq!(idx.offset(text, p16, ColumnUnit::Utf16), off);
        assert_eq!(idx.offset(text, pc, ColumnUnit::Char), off);
        // Column 1 in UTF-16 is inside 𠀀: clamped to its start.
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 1 }, ColumnUnit::Utf16),
            text.find('𠀀').unwrap()
        );
        // Past the end of a line: the line's end, before the CR.
        let third = text.find("第三行").unwrap();
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 99 }, ColumnUnit::Utf16),
            third - 1
        );
        assert_eq!(
            idx.position(text, third, ColumnUnit::Char),
            LineCol { line: 2, col: 0 }
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 0 }, ColumnUnit::Utf8),
            text.len()
        );
    }

    #[test]
    fn utf16_length_counts_surrogate_pairs() {
        for s in [
            "",
            "abc",
            "表三𠀀\r\n二",
            "😀a表",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}",
        ] {
            assert_eq!(utf16_len(s), s.encode_utf16().count(), "{s:?}");
        }
    }

    proptest! {
        /// An index kept up to date edit by edit equals one built from the final text, whatever
        /// the edits do to line breaks (`\r` and `\n` split and joined, CRLF pairs made and
        /// broken).
        #[test]
        fn edited_index_equals_a_fresh_one(
            text in "[a\r\n表]{0,12}",
            edits in proptest::collection::vec((0usize..16, 0usize..4, "[a\r\n表]{0,3}"), 1..8),
        ) {
            let mut text = text;
            let mut index = LineIndex::new(&text);
            for (at, removed, inserted) in edits {
                let mut start = at.min(text.len());
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + removed).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(start..end, &inserted);
                index.edit(&text, start, end, inserted.len());
                let fresh = LineIndex::new(&text);
                prop_assert_eq!(&index.line_starts, &fresh.line_starts, "{:?}", text);
                prop_assert_eq!(index.len, fresh.len);
            }
        }
    }
}
