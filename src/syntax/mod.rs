//! Lines and cells: the layout-independent view of a text.
//!
//! Every line is lexed on its own ([`lex_line`]), so the language server can keep lexed lines
//! across edits and re-lex only the lines an edit touched. A line is split into cells by its
//! own separators: `|` (web pages, Markdown), tabs (PDF text), or nothing (one cell per line,
//! as Word pastes). What the cells *mean* is decided later, by the table reader, which sees the
//! lines of a whole table at once.

pub mod normalize;
pub mod numerals;

pub use normalize::normalize;

/// How a line separates its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineShape {
    /// Nothing but whitespace.
    Blank,
    /// One cell: the trimmed line.
    Single,
    /// Tab-separated segments (leading and trailing empty segments are merged-cell artifacts
    /// or indentation and are not cells).
    Tabs,
    /// `|`-separated cells. `bordered` when the line starts with `|` (Markdown, ` | a | b | `);
    /// otherwise the web-page `cell |` form.
    Pipes { bordered: bool },
    /// Only `|` characters (and whitespace): `n` bars. In `cell |` tables a single bar is a
    /// blank cell and more are filler left by the page's markup.
    Bars(u8),
    /// A Markdown table delimiter row (`|---|:---:|`).
    MarkdownRule,
    /// An HTML comment line (`<!-- … -->`): invisible to table reading.
    Comment,
}

/// A cell as a byte range relative to the start of its line, trimmed of whitespace. A blank
/// cell has `start == end`, placed where the cell is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawCell {
    pub start: u32,
    pub end: u32,
}

impl RawCell {
    pub fn is_blank(&self) -> bool {
        self.start == self.end
    }
}

/// One line, lexed. Holds only positions relative to the line, so it stays valid when the
/// lines before it are edited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexedLine {
    /// Length of the line's content in bytes, without its terminator.
    pub len: u32,
    pub shape: LineShape,
    /// The line's effective cells, in order.
    pub cells: Cells,
}

/// A line's cells. Most lines hold one (prose, a cell per line): stored without allocating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cells {
    One(RawCell),
    Many(Vec<RawCell>),
}

impl std::ops::Deref for Cells {
    type Target = [RawCell];
    fn deref(&self) -> &[RawCell] {
        match self {
            Cells::One(c) => std::slice::from_ref(c),
            Cells::Many(v) => v,
        }
    }
}

impl From<Vec<RawCell>> for Cells {
    fn from(v: Vec<RawCell>) -> Cells {
        match v.as_slice() {
            [one] => Cells::One(*one),
            _ => Cells::Many(v),
        }
    }
}

impl LexedLine {
    pub fn is_blank(&self) -> bool {
        self.shape == LineShape::Blank
    }
    /// The trimmed content of a single-celled line.
    pub fn single(&self) -> Option<RawCell> {
        match self.shape {
            LineShape::Single => self.cells.first().copied(),
            _ => None,
        }
    }
}

fn is_ws(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace();
    }
    // Ideographs and CJK punctuation are the common case: no table lookup for them.
    if ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3001}'..='\u{303f}').contains(&c)
        || ('\u{ff01}'..='\u{ff5e}').contains(&c)
    {
        return false;
    }
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// Trim `s[start..end]` of whitespace; returns the trimmed range (empty at its middle if blank).
fn trim_range(line: &str, start: usize, end: usize) -> RawCell {
    let seg = &line[start..end];
    let lead = seg.len() - seg.trim_start_matches(is_ws).len();
    let trail = seg.len() - seg.trim_end_matches(is_ws).len();
    if lead == seg.len() {
        // Blank: place the empty cell where the segment starts, after a separator.
        return RawCell {
            start: start as u32,
            end: start as u32,
        };
    }
    RawCell {
        start: (start + lead) as u32,
        end: (end - trail) as u32,
    }
}

/// Lex one line (its content, without the terminator).
pub fn lex_line(line: &str) -> LexedLine {
    let len = line.len() as u32;
    let trimmed = line.trim_matches(is_ws);
    if trimmed.is_empty() {
        return LexedLine {
            len,
            shape: LineShape::Blank,
            cells: Cells::Many(Vec::new()),
        };
    }
    if trimmed.starts_with("<!--") && trimmed.ends_with("-->") {
        return LexedLine {
            len,
            shape: LineShape::Comment,
            cells: Cells::Many(Vec::new()),
        };
    }
    let bytes = line.as_bytes();
    let has_bar = memchr::memchr(b'|', bytes).is_some();
    // Leading and trailing tabs are indentation, not separators.
    let has_tab = memchr::memchr(b'\t', trimmed.as_bytes()).is_some();
    if has_bar {
        if trimmed
            .bytes()
            .all(|b| b == b'|' || b == b' ' || b == b'\t')
        {
            let n = trimmed.bytes().filter(|&b| b == b'|').count().min(255) as u8;
            return LexedLine {
                len,
                shape: LineShape::Bars(n),
                cells: Cells::Many(Vec::new()),
            };
        }
        let bordered = trimmed.starts_with('|');
        if bordered
            && trimmed
                .bytes()
                .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
        {
            return LexedLine {
                len,
                shape: LineShape::MarkdownRule,
                cells: Cells::Many(Vec::new()),
            };
        }
        let mut bounds = Vec::new();
        let mut seg_start = 0;
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'|' {
                bounds.push((seg_start, i));
                seg_start = i + 1;
            }
        }
        bounds.push((seg_start, line.len()));
        let mut cells: Vec<RawCell> = bounds
            .iter()
            .map(|&(s, e)| trim_range(line, s, e))
            .collect();
        // The text before a leading bar and after a trailing bar is no cell.
        if bordered && !cells.is_empty() {
            cells.remove(0);
        }
        if trimmed.ends_with('|') && !cells.is_empty() {
            cells.pop();
        }
        return LexedLine {
            len,
            shape: LineShape::Pipes { bordered },
            cells: cells.into(),
        };
    }
    if has_tab {
        let mut cells = Vec::new();
        let mut seg_start = 0;
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\t' {
                cells.push(trim_range(line, seg_start, i));
                seg_start = i + 1;
            }
        }
        cells.push(trim_range(line, seg_start, line.len()));
        while cells.first().is_some_and(RawCell::is_blank) {
            cells.remove(0);
        }
        while cells.last().is_some_and(RawCell::is_blank) {
            cells.pop();
        }
        if cells.len() == 1 {
            return LexedLine {
                len,
                shape: LineShape::Single,
                cells: cells.into(),
            };
        }
        return LexedLine {
            len,
            shape: LineShape::Tabs,
            cells: cells.into(),
        };
    }
    let start = trimmed.as_ptr() as usize - line.as_ptr() as usize;
    let cell = RawCell {
        start: start as u32,
        end: (start + trimmed.len()) as u32,
    };
    LexedLine {
        len,
        shape: LineShape::Single,
        cells: Cells::One(cell),
    }
}

/// Lex every line of `text`.
pub fn lex_text(text: &str) -> Vec<LexedLine> {
    let bytes = text.as_bytes();
    // Reports run 20 to 30 bytes a line: room enough that the lines are seldom moved.
    let mut out = Vec::with_capacity(bytes.len() / 16 + 1);
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            continue; // The \n of a \r\n.
        }
        out.push(lex_line(&text[start..i]));
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
    }
    out.push(lex_line(&text[start..]));
    out
}

/// How a document lays out its tables; new tables are written the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TableLayout {
    /// Markdown pipe tables (drafts written in an editor, and new documents).
    #[default]
    Markdown,
    /// One cell per line, rows separated by blank lines (Word paste).
    CellPerLine,
    /// One row per line, cells separated by tabs (PDF text).
    Tabs,
    /// ` | a | b | ` rows (web pages).
    Pipes,
    /// `cell |` lines (web pages).
    CellPipe,
    /// The whole report on one line, cells run together (tag-stripped web pages).
    Flattened,
}

/// A text with its lexed lines and their absolute positions.
pub struct Document<'a> {
    pub text: &'a str,
    pub lines: &'a [LexedLine],
    /// Absolute byte offset of each line's start.
    pub starts: Vec<usize>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str, lines: &'a [LexedLine]) -> Document<'a> {
        let mut starts = Vec::with_capacity(lines.len());
        let mut at = 0usize;
        let bytes = text.as_bytes();
        for l in lines {
            starts.push(at.min(text.len()));
            at += l.len as usize;
            // Skip the terminator: \r\n, \n or \r.
            if bytes.get(at) == Some(&b'\r') {
                at += 1;
                if bytes.get(at) == Some(&b'\n') {
                    at += 1;
                }
            } else if bytes.get(at) == Some(&b'\n') {
                at += 1;
            }
        }
        Document {
            text,
            lines,
            starts,
        }
    }

    pub fn line_text(&self, i: usize) -> &'a str {
        let s = self.starts[i];
        let e = (s + self.lines[i].len as usize).min(self.text.len());
        self.text.get(s..e).unwrap_or("")
    }

    /// Absolute span of a cell of line `i`.
    pub fn cell_span(&self, i: usize, c: RawCell) -> crate::Span {
        let s = self.starts[i];
        crate::Span::new(s + c.start as usize, s + c.end as usize)
    }

    pub fn cell_text(&self, i: usize, c: RawCell) -> &'a str {
        let sp = self.cell_span(i, c);
        self.text.get(sp.start..sp.end).unwrap_or("")
    }

    /// Absolute span of line `i`'s content.
    pub fn line_span(&self, i: usize) -> crate::Span {
        let s = self.starts[i];
        crate::Span::new(s, (s + self.lines[i].len as usize).min(self.text.len()))
    }

    /// Absolute offset just after line `i`'s terminator (the start of the next line).
    pub fn line_end_with_terminator(&self, i: usize) -> usize {
        self.starts.get(i + 1).copied().unwrap_or(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str) -> (LineShape, Vec<&str>) {
        let l = lex_line(line);
        let texts = l
            .cells
            .iter()
            .map(|c| &line[c.start as usize..c.end as usize])
            .collect();
        (l.shape, texts)
    }

    #[test]
    fn splits_every_layout() {
        assert_eq!(cells("\t22"), (LineShape::Single, vec!["22"]));
        assert_eq!(cells("\t"), (LineShape::Blank, vec![]));
        assert_eq!(
            cells("\t\t(二) 部分公开\t0\t0\t"),
            (LineShape::Tabs, vec!["(二) 部分公开", "0", "0"])
        );
        assert_eq!(cells("a\t\t0"), (LineShape::Tabs, vec!["a", "", "0"]));
        assert_eq!(
            cells("   | 规章 | 0 |  | 0 | "),
            (
                LineShape::Pipes { bordered: true },
                vec!["规章", "0", "", "0"]
            )
        );
        assert_eq!(
            cells("4 |"),
            (LineShape::Pipes { bordered: false }, vec!["4"])
        );
        assert_eq!(cells("|"), (LineShape::Bars(1), vec![]));
        assert_eq!(cells("|||"), (LineShape::Bars(3), vec![]));
        assert_eq!(cells("| --- | :-: |"), (LineShape::MarkdownRule, vec![]));
        assert_eq!(
            cells("<!-- nianbao-disable NB206 -->"),
            (LineShape::Comment, vec![])
        );
        assert_eq!(
            cells("　一、总体情况 "),
            (LineShape::Single, vec!["一、总体情况"])
        );
    }

    #[test]
    fn document_positions_follow_every_line_ending() {
        let text = "a\r\nbb\rccc\n\nd";
        let lines = lex_text(text);
        let doc = Document::new(text, &lines);
        assert_eq!(doc.starts, vec![0, 3, 6, 10, 11]);
        assert_eq!(doc.line_text(2), "ccc");
        assert_eq!(doc.line_text(4), "d");
    }
}
