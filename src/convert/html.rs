//! HTML pages as government sites publish them: decoded by the charset they declare, tokenized
//! by `html5gum` (a WHATWG tokenizer: entities, raw-text elements and broken markup handled
//! as browsers do), read into lines and tables.
//!
//! Skipped: `<head>`, scripts, styles, `<noscript>`, `<template>`, `<iframe>`, `<nav>`, and
//! `<header>`/`<footer>` outside an `<article>` or `<main>` (the site's chrome); so are the
//! `<div>`s, lists and sections whose `class` or `id` names chrome (`nav`, `menu`,
//! `breadcrumb`, `share`, `copyright`, `footer` … see [`chrome_name`]). Block elements
//! (`<p>`, `<div>`, `<h1>`…, `<li>`, `<br>`…) end lines; whitespace collapses as a browser
//! collapses it. A `<table>` is a data table — rows of cells, laid out on its grid with
//! `rowspan`/`colspan` — unless it is the page's layout (it holds another table, has a single
//! column, or a cell holds a whole article), whose cells are read as the text they hold.

use encoding_rs::{Encoding, UTF_8};
use html5gum::{DefaultEmitter, StartTag, Token, Tokenizer};

use crate::text::{ColumnUnit, LineIndex};

use super::model::{render, Block, GridCell, Origin, Place, Table};
use super::{text, ConvertError, InputKind, Source};

/// The most grid columns a row may have, and a cell may span (HTML caps `colspan` at 1000).
const MAX_COLUMNS: usize = 1000;
/// The most rows a cell may span (HTML's cap).
const MAX_ROWSPAN: u32 = 65534;
/// The most empty cells merged cells may add to a page's grids: past it, spans are not
/// expanded (a few KB of `colspan`s must not become gigabytes).
const MAX_SPAN_CELLS: usize = 1 << 20;
/// How far into a page its `<meta charset>` is looked for.
const PRESCAN: usize = 8192;

pub(super) fn convert(bytes: &[u8]) -> Result<Source, ConvertError> {
    let text = decode(bytes)?;
    Ok(convert_text(&text))
}

/// A page already decoded to text.
pub(super) fn convert_text(html: &str) -> Source {
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    let blocks = Reader::new(html).read();
    let (text, map) = render(blocks);
    Source {
        kind: InputKind::Html,
        text,
        map,
    }
}

/// Bytes → text: a byte order mark decides; else the charset the page declares; else what
/// [`text::decode`] finds. A page that declares GBK (or any legacy charset) but is valid UTF-8
/// holding non-ASCII text is UTF-8: sites re-encode pages and forget the `<meta>`, and GBK text
/// is practically never valid UTF-8.
fn decode(bytes: &[u8]) -> Result<String, ConvertError> {
    if Encoding::for_bom(bytes).is_some() {
        return text::decode(bytes.to_vec());
    }
    let declared = declared_charset(&bytes[..bytes.len().min(PRESCAN)]);
    match declared {
        Some(encoding) if encoding != UTF_8 => {
            let utf8 = std::str::from_utf8(bytes).is_ok_and(|s| !s.is_ascii());
            if !utf8 {
                if let Some(text) = text::strict(encoding, bytes) {
                    return Ok(text);
                }
            }
            text::decode(bytes.to_vec()).or_else(|_| {
                let (text, _, _) = encoding.decode(bytes);
                Ok(text.into_owned())
            })
        }
        _ => text::decode(bytes.to_vec()),
    }
}

/// The encoding of `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…;
/// charset=…">`, among the first bytes of a page.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    for token in Tokenizer::new(head).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        match &**tag.name {
            b"meta" => {
                if let Some(label) = attribute(&tag, b"charset") {
                    if let Some(e) = Encoding::for_label(label.trim().as_bytes()) {
                        return Some(e);
                    }
                }
                let http_equiv = attribute(&tag, b"http-equiv");
                if http_equiv.is_some_and(|h| h.trim().eq_ignore_ascii_case("content-type")) {
                    let content = attribute(&tag, b"content").unwrap_or_default();
                    let lower = content.to_ascii_lowercase();
                    if let Some(at) = lower.find("charset=") {
                        let label: String = lower[at + "charset=".len()..]
                            .trim_start_matches(['"', '\''])
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || "-_:.".contains(*c))
                            .collect();
                        if let Some(e) = Encoding::for_label(label.as_bytes()) {
                            return Some(e);
                        }
                    }
                }
            }
            b"body" => return None,
            _ => {}
        }
    }
    None
}

fn attribute<S: html5gum::SpanBound>(tag: &StartTag<S>, name: &[u8]) -> Option<String> {
    tag.attributes
        .get(name)
        .map(|v| String::from_utf8_lossy(v).into_owned())
}

/// Lines being collected: the document's, a table cell's, or what stands in a table outside
/// its cells.
#[derive(Default)]
struct Sink {
    blocks: Vec<Block>,
    line: String,
    at: Option<(u32, u32)>,
    space: bool,
}

impl Sink {
    fn text(&mut self, s: &str, at: (u32, u32), pre: bool) {
        for c in s.chars() {
            if pre && c == '\n' {
                self.end_line();
                continue;
            }
            if !pre && (c.is_ascii_whitespace() || c == '\u{a0}') {
                self.space = !self.line.is_empty();
                continue;
            }
            if self.line.is_empty() {
                self.at = Some(at);
            } else if self.space {
                self.line.push(' ');
            }
            self.space = false;
            self.line.push(if c == '\u{a0}' { ' ' } else { c });
        }
    }

    fn end_line(&mut self) {
        self.space = false;
        if self.line.is_empty() {
            return;
        }
        self.blocks.push(Block::Line {
            text: std::mem::take(&mut self.line),
            origin: Origin {
                place: Place::Text,
                line: self.at,
            },
        });
    }

    fn finish(mut self) -> Vec<Block> {
        self.end_line();
        self.blocks
    }
}

struct Cell {
    sink: Sink,
    colspan: usize,
    rowspan: u32,
    /// Where the cell starts (`<td>`), until its first text says better.
    at: (u32, u32),
}

#[derive(Default)]
struct TableBuild {
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    cell: Option<Cell>,
    /// Text inside the table but outside its cells (a caption, stray text): shown before it.
    stray: Sink,
    /// It holds another table: the page's layout, not data.
    layout: bool,
}

impl TableBuild {
    fn close_cell(&mut self) {
        if let Some(cell) = self.cell.take() {
            self.row.get_or_insert_with(Vec::new).push(cell);
        }
    }
    fn close_row(&mut self) {
        self.close_cell();
        if let Some(row) = self.row.take() {
            self.rows.push(row);
        }
    }
}

struct Reader<'a> {
    html: &'a str,
    index: LineIndex,
    document: Sink,
    tables: Vec<TableBuild>,
    /// The element being skipped, and how deep in same-named elements.
    skip: Option<(Vec<u8>, u32)>,
    /// The element skipped is chrome by its `class` or `id`: the article's container (by tag,
    /// class or id) starting inside it ends the skip, for pages that forget a `</div>`.
    skip_by_name: bool,
    /// Depth inside `<article>`/`<main>`, where `<header>`/`<footer>` are content.
    content: u32,
    pre: u32,
    /// Empty cells merged cells may still add ([`MAX_SPAN_CELLS`]).
    span_budget: usize,
}

impl<'a> Reader<'a> {
    fn new(html: &'a str) -> Reader<'a> {
        Reader {
            html,
            index: LineIndex::new(html),
            document: Sink::default(),
            tables: Vec::new(),
            skip: None,
            skip_by_name: false,
            content: 0,
            pre: 0,
            span_budget: MAX_SPAN_CELLS,
        }
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        let p = self.index.position(self.html, offset, ColumnUnit::Char);
        (p.line.saturating_add(1), p.col.saturating_add(1))
    }

    /// A container whose `class` or `id` names the site's chrome: `<div class="nav">`,
    /// `<ul id="menu">`, `<div class="footer clearfix">`. Only elements that are always
    /// closed explicitly (not `<p>`, `<li>`, `<td>`, whose end tags pages omit), so that the
    /// skip ends where the element does.
    fn chrome_container(&self, tag: &StartTag<usize>) -> bool {
        if !matches!(
            &**tag.name,
            b"div" | b"ul" | b"ol" | b"dl" | b"section" | b"aside" | b"span" | b"table" | b"form"
        ) {
            return false;
        }
        let outside_content = self.content == 0;
        names(tag)
            .iter()
            .filter_map(|n| chrome_name(n))
            .any(|chrome| chrome == Chrome::Always || outside_content)
    }

    /// Where text goes now.
    fn sink(&mut self) -> &mut Sink {
        match self.tables.last_mut() {
            Some(t) => match t.cell.as_mut() {
                Some(cell) => &mut cell.sink,
                None => &mut t.stray,
            },
            None => &mut self.document,
        }
    }

    fn read(mut self) -> Vec<Block> {
        let mut emitter = DefaultEmitter::<usize>::new_with_span();
        emitter.naively_switch_states(true);
        let html = self.html;
        for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
            match token {
                Token::StartTag(tag) => self.start(&tag),
                Token::EndTag(tag) => self.end(&tag.name),
                Token::String(s) if self.skip.is_none() => {
                    let raw = html.get(s.span.start..s.span.end).unwrap_or("");
                    let lead = raw.len()
                        - raw
                            .trim_start_matches(|c: char| c.is_ascii_whitespace())
                            .len();
                    let at = self.position(s.span.start + lead);
                    let pre = self.pre > 0;
                    let value = String::from_utf8_lossy(&s.value);
                    self.sink().text(&value, at, pre);
                }
                _ => {}
            }
        }
        while !self.tables.is_empty() {
            self.close_table();
        }
        self.document.finish()
    }

    fn start(&mut self, tag: &StartTag<usize>) {
        let name: &[u8] = &tag.name;
        if let Some((skipped, depth)) = &mut self.skip {
            if self.skip_by_name && is_content_container(tag) {
                self.skip = None;
            } else {
                if skipped.as_slice() == name {
                    *depth += 1;
                } else if skipped.as_slice() == b"head" && name == b"body" {
                    self.skip = None;
                }
                return;
            }
        }
        let by_name = self.chrome_container(tag);
        let chrome = (matches!(name, b"header" | b"footer") && self.content == 0) || by_name;
        if chrome
            || matches!(
                name,
                b"head"
                    | b"title"
                    | b"script"
                    | b"style"
                    | b"noscript"
                    | b"template"
                    | b"iframe"
                    | b"nav"
                    | b"select"
                    | b"textarea"
                    | b"svg"
                    | b"object"
            )
        {
            if !tag.self_closing {
                self.skip = Some((name.to_vec(), 1));
                self.skip_by_name = by_name;
            }
            return;
        }
        match name {
            b"article" | b"main" => self.content += 1,
            b"pre" => {
                self.pre += 1;
                self.sink().end_line();
            }
            b"table" => {
                if let Some(outer) = self.tables.last_mut() {
                    outer.layout = true;
                }
                self.sink().end_line();
                self.tables.push(TableBuild::default());
            }
            b"tr" => match self.tables.last_mut() {
                Some(t) => {
                    t.close_row();
                    t.row = Some(Vec::new());
                }
                None => self.sink().end_line(),
            },
            b"td" | b"th" => {
                let at = self.position(tag.span.start);
                let span = |attr: &[u8]| {
                    attribute(tag, attr).and_then(|v| {
                        let digits: String =
                            v.trim().chars().take_while(char::is_ascii_digit).collect();
                        digits.parse::<u32>().ok()
                    })
                };
                let colspan = span(b"colspan").unwrap_or(1).clamp(1, MAX_COLUMNS as u32);
                let rowspan = span(b"rowspan").unwrap_or(1).clamp(1, MAX_ROWSPAN);
                match self.tables.last_mut() {
                    Some(t) => {
                        t.close_cell();
                        t.cell = Some(Cell {
                            sink: Sink::default(),
                            colspan: colspan as usize,
                            rowspan,
                            at,
                        });
                    }
                    None => self.sink().end_line(),
                }
            }
            _ if is_block(name) => self.sink().end_line(),
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if let Some((skipped, depth)) = &mut self.skip {
            if skipped.as_slice() == name {
                *depth -= 1;
                if *depth == 0 {
                    self.skip = None;
                }
            } else if matches!(name, b"body" | b"html") {
                // An unclosed `<header>` does not swallow the page.
                self.skip = None;
            }
            return;
        }
        match name {
            b"article" | b"main" => self.content = self.content.saturating_sub(1),
            b"pre" => {
                self.pre = self.pre.saturating_sub(1);
                self.sink().end_line();
            }
            b"table" => self.close_table(),
            b"tr" | b"tbody" | b"thead" | b"tfoot" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_row();
                }
            }
            b"td" | b"th" => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_cell();
                }
            }
            _ if is_block(name) => self.sink().end_line(),
            _ => {}
        }
    }

    /// The innermost table is complete: its blocks go where it stands.
    fn close_table(&mut self) {
        let Some(mut table) = self.tables.pop() else {
            return;
        };
        table.close_row();
        let stray = std::mem::take(&mut table.stray).finish();
        let blocks = lay_out(table, &mut self.span_budget);
        let sink = self.sink();
        sink.end_line();
        sink.blocks.extend(stray);
        sink.blocks.extend(blocks);
    }
}

/// `<article>`, `<main>`, or an element whose class or id names the article's container.
fn is_content_container(tag: &StartTag<usize>) -> bool {
    if matches!(&**tag.name, b"article" | b"main") {
        return true;
    }
    names(tag).iter().any(|n| content_name(n))
}

/// The words an element's class and its id name it by: `<div class="footer clearfix" id="ft">`
/// → `footer`, `clearfix`, `ft`.
fn names(tag: &StartTag<usize>) -> Vec<String> {
    let value = |attr: &[u8]| attribute(tag, attr).unwrap_or_default();
    let (class, id) = (value(b"class"), value(b"id"));
    class
        .split_ascii_whitespace()
        .chain(std::iter::once(id.trim()))
        .map(str::to_string)
        .collect()
}

/// How a class or id names the site's chrome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chrome {
    /// Navigation, menus, breadcrumbs, sharing buttons, side bars, copyright lines: never the
    /// report's text.
    Always,
    /// A header or footer: the site's outside an `<article>` or `<main>`, the article's
    /// inside one (as for `<header>`/`<footer>`).
    HeaderOrFooter,
}

/// Words naming chrome, in a class or id by themselves or joined by `-`/`_` to [`NEUTRAL`]
/// words (`top-nav`, `footer_box`, `nav2`).
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navs",
    "navigation",
    "topnav",
    "subnav",
    "mainnav",
    "menu",
    "menus",
    "menubar",
    "submenu",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "share",
    "sharebar",
    "bdsharebuttonbox",
    "sidebar",
    "sidenav",
    "copyright",
    "skip",
    "toolbar",
];
const HEADER_FOOTER_WORDS: &[&str] = &["header", "footer", "foot", "topbar", "bottom"];
/// Words that say nothing of what an element holds: `top-nav`, `nav-wrap`, `footer_box`.
const NEUTRAL: &[&str] = &[
    "top",
    "main",
    "site",
    "page",
    "global",
    "common",
    "pub",
    "public",
    "wrap",
    "wrapper",
    "box",
    "bar",
    "con",
    "container",
    "inner",
    "outer",
    "list",
    "links",
    "area",
    "fixed",
    "left",
    "right",
    "sub",
];
/// Words naming the article's own container (`content`, `TRS_Editor`, `zoom`): where a skip
/// of chrome that a page forgot to close ends.
const CONTENT_WORDS: &[&str] = &[
    "content", "contents", "article", "editor", "detail", "details", "zw", "zoom", "main",
];

/// Whether a class or id (one token) names chrome: a chrome word, perhaps with digits, alone
/// or joined by `-`/`_` only to neutral words. `content`, `article`, `TRS_Editor`, `main`,
/// `article-header`, `info` are not chrome.
fn chrome_name(token: &str) -> Option<Chrome> {
    let token = token.to_ascii_lowercase();
    let mut found = None;
    for part in token.split(['-', '_']).filter(|p| !p.is_empty()) {
        let word = part.trim_end_matches(|c: char| c.is_ascii_digit());
        if CHROME_WORDS.contains(&word) {
            found = Some(Chrome::Always);
        } else if HEADER_FOOTER_WORDS.contains(&word) {
            found = found.or(Some(Chrome::HeaderOrFooter));
        } else if !NEUTRAL.contains(&word) {
            return None;
        }
    }
    found
}

/// Whether a class or id (one token) names the article's container: a part of it, split at
/// `-`/`_`, is one of [`CONTENT_WORDS`] (`content`, `TRS_Editor`, `article-detail`), and it
/// is not chrome (`main-nav`).
fn content_name(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    lower
        .split(['-', '_'])
        .any(|part| CONTENT_WORDS.contains(&part.trim_end_matches(|c: char| c.is_ascii_digit())))
        && chrome_name(token).is_none()
}

/// Elements that start and end lines.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"div"
            | b"br"
            | b"li"
            | b"ul"
            | b"ol"
            | b"dl"
            | b"dt"
            | b"dd"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"section"
            | b"aside"
            | b"blockquote"
            | b"hr"
            | b"center"
            | b"form"
            | b"address"
            | b"figure"
            | b"figcaption"
            | b"caption"
            | b"body"
            | b"article"
            | b"main"
            | b"header"
            | b"footer"
    )
}

/// A cell whose content is complete.
struct DoneCell {
    blocks: Vec<Block>,
    colspan: usize,
    rowspan: u32,
    at: (u32, u32),
}

/// A finished table as blocks: one data [`Table`] on its grid, or, for a layout table, the
/// text its cells hold, cell after cell.
fn lay_out(table: TableBuild, span_budget: &mut usize) -> Vec<Block> {
    let rows: Vec<Vec<DoneCell>> = table
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| DoneCell {
                    blocks: c.sink.finish(),
                    colspan: c.colspan,
                    rowspan: c.rowspan,
                    at: c.at,
                })
                .collect()
        })
        .collect();
    let columns = rows
        .iter()
        .map(|r| r.iter().map(|c| c.colspan).sum::<usize>())
        .max()
        .unwrap_or(0);
    let is_layout = table.layout
        || columns <= 1
        || rows.iter().flatten().any(|DoneCell { blocks, .. }| {
            let lines = blocks.len();
            let chars: usize = blocks
                .iter()
                .map(|b| match b {
                    Block::Line { text, .. } => text.chars().count(),
                    _ => 0,
                })
                .sum();
            lines > 4 || chars > 400 || blocks.iter().any(|b| matches!(b, Block::Table(_)))
        });
    if is_layout {
        return rows
            .into_iter()
            .flatten()
            .flat_map(|cell| cell.blocks)
            .collect();
    }
    // Rows on the grid: a cell spanning rows leaves an empty cell in the rows below.
    let mut pending: Vec<(u32, (u32, u32))> = Vec::new();
    let mut grid = Vec::with_capacity(rows.len());
    for row in rows {
        let mut out: Vec<GridCell> = Vec::new();
        let continued =
            |pending: &mut Vec<(u32, (u32, u32))>, out: &mut Vec<GridCell>, budget: &mut usize| {
                while let Some(p) = pending.get_mut(out.len()).filter(|p| p.0 > 0) {
                    if *budget == 0 {
                        pending.iter_mut().for_each(|p| p.0 = 0);
                        return;
                    }
                    *budget -= 1;
                    p.0 -= 1;
                    out.push(GridCell {
                        text: String::new(),
                        line: Some(p.1),
                    });
                }
            };
        for DoneCell {
            blocks,
            colspan,
            rowspan,
            at,
        } in row
        {
            continued(&mut pending, &mut out, span_budget);
            if out.len() >= MAX_COLUMNS {
                break;
            }
            let mut text = String::new();
            let mut first = None;
            for b in &blocks {
                if let Block::Line { text: line, origin } = b {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(line);
                    first = first.or(origin.line);
                }
            }
            let at = first.unwrap_or(at);
            let colspan = colspan.min(MAX_COLUMNS - out.len());
            let colspan = if colspan - 1 <= *span_budget {
                *span_budget -= colspan - 1;
                colspan
            } else {
                1
            };
            for k in 0..colspan {
                let column = out.len();
                if pending.len() <= column {
                    pending.resize(column + 1, (0, at));
                }
                pending[column] = (if *span_budget > 0 { rowspan - 1 } else { 0 }, at);
                out.push(GridCell {
                    text: if k == 0 {
                        std::mem::take(&mut text)
                    } else {
                        String::new()
                    },
                    line: Some(at),
                });
            }
        }
        // Cells continued from above after this row's last cell.
        if pending.iter().skip(out.len()).any(|p| p.0 > 0) {
            while out.len() < pending.len() {
                continued(&mut pending, &mut out, span_budget);
                if out.len() < pending.len() && pending[out.len()].0 == 0 {
                    out.push(GridCell::default());
                }
            }
        }
        grid.push(out);
    }
    vec![Block::Table(Table { rows: grid })]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(html: &str) -> String {
        convert_text(html).text
    }

    #[test]
    fn chrome_is_skipped_and_lines_are_kept() {
        let page = r#"<!DOCTYPE html><html><head><title>标题</title><script>var a = "<p>x</p>";</script>
<style>p { color: red }</style></head><body><header><div>网站首页</div></header><nav><a>导航</a></nav>
<div class="content"><h1>2023年政府信息公开工作年度报告</h1><p>&nbsp;&nbsp;一、总体情况</p><p>本年&amp;度
  共<b>23</b>件。<br>第二行</p><noscript>请启用脚本</noscript></div><footer>版权所有</footer></body></html>"#;
        assert_eq!(
            text_of(page),
            "2023年政府信息公开工作年度报告\n一、总体情况\n本年&度 共23件。\n第二行\n"
        );
    }

    #[test]
    fn chrome_named_by_class_or_id_is_skipped() {
        let page = r#"<body><div id="header"><div class="logo">生态环境局</div></div>
<div class="navbar"><ul class="menu"><li><a>首页</a></li><li><a>政务公开</a></li></ul></div>
<div class="position crumbs">当前位置：首页 &gt; 年度报告</div>
<div class="main"><div class="article-header"><h1>2023年政府信息公开工作年度报告</h1></div>
<div class="info">时间:2024-01-20</div>
<div class="TRS_Editor"><p>六、其他需要报告的事项</p><div><div>某局</div></div></div>
<div class="share-box">分享到：<span class="bdsharebuttonbox">微信</span></div></div>
<div class="Footer clearfix"><div class="copyright">版权所有</div><div>地址：某路1号</div></div>
<div id="top_nav2">返回顶部</div><aside class="sidebar">热点</aside>
<article><div class="header">文章标题</div><div class="footer">文章落款</div></article></body>"#;
        assert_eq!(
            text_of(page),
            "2023年政府信息公开工作年度报告\n时间:2024-01-20\n六、其他需要报告的事项\n某局\n\
             文章标题\n文章落款\n"
        );
        // A chrome container a page forgot to close ends where the article starts.
        let unclosed = r#"<div class="header"><div class="logo">生态环境局</div>
<div class="content"><p>一、总体情况</p></div></body>"#;
        assert_eq!(text_of(unclosed), "一、总体情况\n");
    }

    #[test]
    fn chrome_names() {
        for chrome in [
            "nav",
            "navbar",
            "NAV",
            "menu",
            "breadcrumb",
            "crumbs",
            "share",
            "sidebar",
            "copyright",
            "top-nav",
            "nav_wrap",
            "nav2",
            "main-nav",
        ] {
            assert_eq!(chrome_name(chrome), Some(Chrome::Always), "{chrome}");
        }
        for header in ["header", "footer", "foot", "footer_box", "site-header"] {
            assert_eq!(
                chrome_name(header),
                Some(Chrome::HeaderOrFooter),
                "{header}"
            );
        }
        for content in [
            "content",
            "article",
            "TRS_Editor",
            "main",
            "article-header",
            "info",
            "navigator",
            "menu-content",
            "",
        ] {
            assert_eq!(chrome_name(content), None, "{content}");
        }
        assert!(content_name("TRS_Editor") && content_name("zoom") && content_name("main"));
        assert!(!content_name("main-nav") && !content_name("nav"));
    }

    #[test]
    fn rowspan_and_colspan_are_laid_out_on_the_grid() {
        let page = "<table><tr><td rowspan=2>行政复议</td><td colspan=2>行政诉讼</td></tr>\
                    <tr><td>结果维持</td><td>总计</td></tr><tr><td>1</td><td>2<td>3</table>";
        let source = convert_text(page);
        assert_eq!(
            source.text,
            "| 行政复议 | 行政诉讼 |  |\n|  | 结果维持 | 总计 |\n| 1 | 2 | 3 |\n\n"
        );
        let at = source.text.find('3').unwrap();
        let origin = source.map.locate(at).unwrap();
        assert_eq!(origin.describe(crate::Lang::Zh), "表四 第 3 行 第 3 列");
        let column = page[..page.rfind('3').unwrap()].chars().count() + 1;
        assert_eq!(origin.line, Some((1, column as u32)));
    }

    #[test]
    fn layout_tables_are_read_as_text() {
        let page = "<table><tr><td><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table><p>五、存在的主要问题</p></td></tr></table>";
        assert_eq!(
            text_of(page),
            "一、总体情况\n\n| 规章 | 0 |\n\n五、存在的主要问题\n"
        );
    }

    #[test]
    fn declared_charsets() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>一、总体情况</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        assert_eq!(convert(&gbk).unwrap().text, "一、总体情况\n");
        // Declared GBK, sent as UTF-8.
        assert_eq!(convert(page.as_bytes()).unwrap().text, "一、总体情况\n");
        let big5 = "<meta charset=\"big5\"><p>總體情況</p>";
        let (bytes, _, _) = encoding_rs::BIG5.encode(big5);
        assert_eq!(convert(&bytes).unwrap().text, "總體情況\n");
    }
}
