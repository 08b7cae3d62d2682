//! What both readers produce — paragraphs and tables — and how it becomes text plus a map back
//! to the source.

use crate::Lang;

/// Which table a cell is in. Tables are named the way the report names them (表二, 表三, 表四)
/// when their content says which they are, else by their order in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableName {
    /// 表二, 表三 or 表四 of the national format (the number: 2, 3, 4).
    Report(u8),
    /// The n-th table of the document, 1-based, when its content does not say.
    Ordinal(u32),
}

/// Where in the source document a piece of the converted text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// A paragraph outside tables, 1-based in document order (empty paragraphs count, as Word
    /// counts them), and its heading level when its style is a heading.
    Paragraph { index: u32, heading: Option<u8> },
    /// A table cell: row and column 1-based, the column counted in the table's grid (a merged
    /// cell covers several).
    Cell {
        table: TableName,
        row: u32,
        column: u32,
    },
    /// Text of a page outside any table: only its [`Origin::line`] says where.
    Text,
}

/// A [`Place`], and for HTML the 1-based line and column (in characters) of the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    pub place: Place,
    /// Line and column in the HTML source, 1-based; `None` for a `.docx`.
    pub line: Option<(u32, u32)>,
}

const NUMERALS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

impl TableName {
    fn describe(self, lang: Lang) -> String {
        match (self, lang) {
            (TableName::Report(n), Lang::Zh) => format!("表{}", NUMERALS[usize::from(n % 10)]),
            (TableName::Report(n), Lang::En) => {
                format!("table {}", NUMERALS[usize::from(n % 10)])
            }
            (TableName::Ordinal(n), Lang::Zh) => format!("第 {n} 个表格"),
            (TableName::Ordinal(n), Lang::En) => format!("table #{n}"),
        }
    }
}

impl Origin {
    /// `表三 第 7 行 第 3 列`, `第 12 段`, or for text of a page `第 45 行第 3 列`.
    pub fn describe(&self, lang: Lang) -> String {
        match (self.place, lang) {
            (Place::Paragraph { index, heading }, Lang::Zh) => match heading {
                Some(level) => format!("第 {index} 段（标题 {level}）"),
                None => format!("第 {index} 段"),
            },
            (Place::Paragraph { index, heading }, Lang::En) => match heading {
                Some(level) => format!("paragraph {index} (heading {level})"),
                None => format!("paragraph {index}"),
            },
            (Place::Cell { table, row, column }, Lang::Zh) => {
                format!("{} 第 {row} 行 第 {column} 列", table.describe(lang))
            }
            (Place::Cell { table, row, column }, Lang::En) => {
                format!("{}, row {row}, column {column}", table.describe(lang))
            }
            (Place::Text, _) => match (self.line, lang) {
                (Some((l, c)), Lang::Zh) => format!("第 {l} 行第 {c} 列"),
                (Some((l, c)), Lang::En) => format!("line {l}, column {c}"),
                (None, Lang::Zh) => "正文".to_string(),
                (None, Lang::En) => "text".to_string(),
            },
        }
    }
}

/// Byte ranges of a converted text → their [`Origin`]: each mark holds from its offset to the
/// next mark.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    marks: Vec<(usize, Origin)>,
}

impl SourceMap {
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// Where the converted text's byte `offset` came from.
    pub fn locate(&self, offset: usize) -> Option<&Origin> {
        let after = self.marks.partition_point(|(at, _)| *at <= offset);
        match after {
            0 => self.marks.first().map(|(_, o)| o),
            n => self.marks.get(n - 1).map(|(_, o)| o),
        }
    }

    fn mark(&mut self, at: usize, origin: Origin) {
        if let Some(last) = self.marks.last_mut() {
            if last.0 == at {
                last.1 = origin;
                return;
            }
            if last.1 == origin {
                return;
            }
        }
        self.marks.push((at, origin));
    }
}

/// What a reader hands over: the document in order.
#[derive(Clone, Debug)]
pub(super) enum Block {
    /// A line of text (a paragraph; a paragraph with line breaks gives several).
    Line {
        text: String,
        origin: Origin,
    },
    /// An empty paragraph or another vertical gap.
    Gap,
    Table(Table),
}

/// A table laid out on its grid: every row has a cell for each grid column it reaches, a
/// merged cell's text in its first grid cell and empty cells in the others.
#[derive(Clone, Debug, Default)]
pub(super) struct Table {
    pub rows: Vec<Vec<GridCell>>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct GridCell {
    pub text: String,
    /// For HTML: where the cell's text (or the cell) starts in the source.
    pub line: Option<(u32, u32)>,
}

impl Table {
    /// 表二, 表三, 表四 by the labels only that table holds.
    fn name(&self, ordinal: u32) -> TableName {
        let mut all = String::new();
        for cell in self.rows.iter().flatten() {
            all.extend(cell.text.chars().filter(|c| !c.is_whitespace()));
        }
        let has = |s: &str| all.contains(s);
        if has("勾稽") || has("本年新收") || has("予以公开") || has("不予公开") {
            TableName::Report(3)
        } else if has("尚未审结") || (has("行政复议") && has("行政诉讼")) {
            TableName::Report(4)
        } else if has("第二十条") || has("本年制发") || has("本年新制作") {
            TableName::Report(2)
        } else {
            TableName::Ordinal(ordinal)
        }
    }
}

/// Lay out the blocks as text: lines as lines, each table row as a pipe row, a blank line
/// around each table and for each gap (never two in a row).
pub(super) fn render(blocks: Vec<Block>) -> (String, SourceMap) {
    let mut text = String::new();
    let mut map = SourceMap::default();
    let mut ordinal = 0;
    // Whether the text ends with a blank line (or is empty).
    let blank_end = |text: &str| text.is_empty() || text.ends_with("\n\n");
    for block in blocks {
        match block {
            Block::Line { text: line, origin } => {
                map.mark(text.len(), origin);
                text.push_str(&line);
                text.push('\n');
            }
            Block::Gap => {
                if !blank_end(&text) {
                    text.push('\n');
                }
            }
            Block::Table(table) => {
                ordinal += 1;
                let name = table.name(ordinal);
                if !blank_end(&text) {
                    text.push('\n');
                }
                // A grid column empty in every row holds nothing but the page's markup (a
                // trailing filler cell): it would read as a row's extra blank cell.
                let width = table.rows.iter().map(Vec::len).max().unwrap_or(0);
                let filled: Vec<bool> = (0..width)
                    .map(|c| {
                        table
                            .rows
                            .iter()
                            .any(|row| row.get(c).is_some_and(|cell| !cell.text.is_empty()))
                    })
                    .collect();
                for (r, row) in table.rows.iter().enumerate() {
                    if row.iter().all(|c| c.text.is_empty()) {
                        continue;
                    }
                    text.push('|');
                    for (c, cell) in row.iter().enumerate().filter(|(c, _)| filled[*c]) {
                        let origin = Origin {
                            place: Place::Cell {
                                table: name,
                                row: to_u32(r + 1),
                                column: to_u32(c + 1),
                            },
                            line: cell.line,
                        };
                        // From just after the bar: the core places a blank cell there.
                        map.mark(text.len(), origin);
                        text.push(' ');
                        push_cell_text(&mut text, &cell.text);
                        text.push_str(" |");
                    }
                    text.push('\n');
                }
                text.push('\n');
            }
        }
    }
    (text, map)
}

/// A cell's text on one line of a pipe row: no line breaks, tabs or bars of its own.
fn push_cell_text(out: &mut String, cell: &str) {
    let mut space = false;
    for c in cell.trim().chars() {
        match c {
            '\n' | '\r' | '\t' | ' ' => space = true,
            _ => {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(if c == '|' { '｜' } else { c });
            }
        }
    }
}

pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> GridCell {
        GridCell {
            text: text.to_string(),
            line: None,
        }
    }

    #[test]
    fn tables_become_pipe_rows_and_the_map_finds_cells() {
        let para = Origin {
            place: Place::Paragraph {
                index: 1,
                heading: Some(1),
            },
            line: None,
        };
        let table = Table {
            rows: vec![
                vec![cell("行政复议"), cell(""), cell(""), cell("")],
                vec![cell(""), cell(""), cell("")],
                vec![cell("结果维持"), cell("a|b"), cell("尚未\n审结"), cell("")],
            ],
        };
        let blocks = vec![
            Block::Line {
                text: "四、政府信息公开行政复议、行政诉讼情况".into(),
                origin: para,
            },
            Block::Gap,
            Block::Gap,
            Block::Table(table),
        ];
        let (text, map) = render(blocks);
        assert_eq!(
            text,
            "四、政府信息公开行政复议、行政诉讼情况\n\n| 行政复议 |  |  |\n| 结果维持 | a｜b | 尚未 审结 |\n\n"
        );
        assert_eq!(map.locate(0), Some(&para));
        let blank = text.find("|  |").unwrap() + 1;
        assert_eq!(
            map.locate(blank).unwrap().describe(Lang::Zh),
            "表四 第 1 行 第 2 列"
        );
        let at = text.find("尚未").unwrap();
        let origin = map.locate(at + 3).unwrap();
        assert_eq!(origin.describe(Lang::Zh), "表四 第 3 行 第 3 列");
        assert_eq!(origin.describe(Lang::En), "table 四, row 3, column 3");
        assert_eq!(
            map.locate(0).unwrap().describe(Lang::Zh),
            "第 1 段（标题 1）"
        );
    }
}
