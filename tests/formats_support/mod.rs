//! Word documents and web pages built from the seed reports, with the structure the real ones
//! have: the national format's tables with merged header cells (`gridSpan`/`vMerge` in Word,
//! `colspan`/`rowspan` on the web), the 25 (2021) or 23 (2019) data rows of table 三, table 四
//! with its header rows over 15 cells.
//!
//! A seed's text is split into its paragraphs and the cells of its three tables (whatever the
//! seed's layout: one cell per line, `| a | b |` rows, `cell |` lines); the cells are put back
//! into the official table shapes; the result is written as a `.docx` (a zip with
//! `word/document.xml`) or an HTML page.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

/// How a cell merges with the one above (Word's `vMerge`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    None,
    /// Starts a vertical merge.
    Restart,
    /// Continues the merge from above (empty, covered).
    Continue,
}

#[derive(Clone, Debug)]
pub struct Cell {
    /// Paragraphs of the cell, `\n`-separated.
    pub text: String,
    /// Grid columns spanned.
    pub span: u32,
    pub merge: Merge,
}

fn c(text: &str) -> Cell {
    Cell {
        text: text.to_string(),
        span: 1,
        merge: Merge::None,
    }
}

fn span(text: &str, n: u32) -> Cell {
    Cell { span: n, ..c(text) }
}

fn restart(cell: Cell) -> Cell {
    Cell {
        merge: Merge::Restart,
        ..cell
    }
}

fn cont(n: u32) -> Cell {
    Cell {
        text: String::new(),
        span: n,
        merge: Merge::Continue,
    }
}

#[derive(Clone, Debug)]
pub enum Part {
    Heading(String),
    Para(String),
    Table(Vec<Vec<Cell>>),
}

// ---------------------------------------------------------------------------------------------
// Seeds → parts

pub fn seed(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus")
            .join(name),
    )
    .unwrap()
}

/// The cells of a table region, in order, from any of the seeds' layouts. `|`-only lines:
/// one bar is a blank cell, more are filler left by the page's markup.
fn region_cells(lines: &[&str]) -> Vec<String> {
    let mut cells = Vec::new();
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().all(|c| c == '|') {
            if t.len() == 1 {
                cells.push(String::new());
            }
            continue;
        }
        if t.starts_with('|') {
            let inner = t.trim_start_matches('|').trim_end_matches('|');
            cells.extend(inner.split('|').map(|s| s.trim().to_string()));
            continue;
        }
        cells.push(t.trim_end_matches('|').trim().to_string());
    }
    cells
}

fn is_value(cell: &str) -> bool {
    cell.is_empty()
        || cell.chars().all(|c| c.is_ascii_digit())
        || cell.starts_with('增')
        || cell.starts_with('减')
        || cell.ends_with("万元")
}

/// Table 二 from its cells: each 第二十条 block is a title row over the whole width, then rows
/// of `widths[block]` cells (the last cell of a narrower row spans the rest).
fn table_two(cells: &[String], widths: &[usize], columns: u32) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut block = 0;
    let mut i = 0;
    while i < cells.len() {
        assert!(
            cells[i].starts_with("第二十条"),
            "table 二 block at {:?}",
            cells[i]
        );
        rows.push(vec![span(&cells[i], columns)]);
        i += 1;
        let width = widths[block];
        block += 1;
        let end = cells[i..]
            .iter()
            .position(|c| c.starts_with("第二十条"))
            .map_or(cells.len(), |p| i + p);
        for chunk in cells[i..end].chunks(width) {
            let mut row: Vec<Cell> = chunk.iter().map(|t| c(t)).collect();
            while row.len() < width {
                row.push(c(""));
            }
            let used = width as u32 - 1;
            row.last_mut().unwrap().span = columns - used;
            rows.push(row);
        }
        i = end;
    }
    assert_eq!(block, widths.len(), "table 二 blocks");
    rows
}

/// Table 三: the header rows (the 勾稽 note over three label columns and three rows; 申请人情况
/// over the seven value columns; 自然人 and 总计 down two rows; 法人或其他组织 over five), then
/// each data row's labels on the three label columns, merged as the official table merges
/// them, and its seven values. Blank cells between a row's values and the next label are filler.
fn table_three(cells: &[String]) -> Vec<Vec<Cell>> {
    let first_row = cells
        .iter()
        .position(|c| c.starts_with("一、"))
        .expect("table 三 row 一");
    let note = cells[0].clone();
    assert!(note.contains("勾稽"), "{note}");
    let mut rows = vec![
        vec![restart(span(&note, 3)), span("申请人情况", 7)],
        vec![
            cont(3),
            restart(c("自然人")),
            span("法人或其他组织", 5),
            restart(c("总计")),
        ],
        vec![
            cont(3),
            cont(1),
            c("商业企业"),
            c("科研机构"),
            c("社会公益组织"),
            c("法律服务机构"),
            c("其他"),
            cont(1),
        ],
    ];
    let mut i = first_row;
    let mut data_rows = 0;
    while i < cells.len() {
        let mut labels = Vec::new();
        while i < cells.len() && !is_value(&cells[i]) {
            labels.push(cells[i].clone());
            i += 1;
        }
        assert!(!labels.is_empty(), "labels before {:?}", cells.get(i));
        let values: Vec<String> = cells[i..i + 7].to_vec();
        i += 7;
        while i < cells.len() && cells[i].is_empty() {
            i += 1;
        }
        let mut row = Vec::new();
        let top = &labels[0];
        if top.starts_with("一、") || top.starts_with("二、") || top.starts_with("四、") {
            row.push(span(top, 3));
        } else {
            let mut rest = labels.as_slice();
            if rest[0].starts_with("三、") {
                row.push(restart(c(&rest[0])));
                rest = &rest[1..];
            } else {
                row.push(cont(1));
            }
            match rest {
                [group, item] => {
                    row.push(restart(c(group)));
                    row.push(c(item));
                }
                [item] if item.starts_with(|c: char| c.is_ascii_digit()) => {
                    row.push(cont(1));
                    row.push(c(item));
                }
                [group] => row.push(span(group, 2)),
                other => panic!("table 三 labels {other:?}"),
            }
        }
        row.extend(values.iter().map(|v| c(v)));
        rows.push(row);
        data_rows += 1;
    }
    assert!(data_rows == 25 || data_rows == 23, "{data_rows} data rows");
    rows
}

/// Table 四: 行政复议 over five columns and 行政诉讼 over ten; the five 行政复议 labels down two
/// rows beside 未经复议直接起诉 and 复议后起诉 (five each); their ten labels; the 15 values.
fn table_four(cells: &[String]) -> Vec<Vec<Cell>> {
    let n = cells.len();
    let values = &cells[n - 15..];
    let labels = &cells[..n - 15];
    let third = &labels[labels.len() - 10..];
    let second = &labels[labels.len() - 17..labels.len() - 10];
    let first = &labels[..labels.len() - 17];
    let split = first
        .iter()
        .position(|c| c.contains("行政诉讼"))
        .expect("行政诉讼");
    let mut rows = vec![vec![
        span(&first[..split].join("\n"), 5),
        span(&first[split..].join("\n"), 10),
    ]];
    let mut row: Vec<Cell> = second[..5].iter().map(|t| restart(c(t))).collect();
    row.push(span(&second[5], 5));
    row.push(span(&second[6], 5));
    rows.push(row);
    let mut row: Vec<Cell> = (0..5).map(|_| cont(1)).collect();
    row.extend(third.iter().map(|t| c(t)));
    rows.push(row);
    rows.push(values.iter().map(|v| c(v)).collect());
    rows
}

/// A seed as parts: its paragraphs (section headings as headings) and its three tables in
/// their official shapes.
pub fn parts_of(seed_name: &str) -> Vec<Part> {
    let text = seed(seed_name);
    let lines: Vec<&str> = text.lines().collect();
    let find = |from: usize, pred: &dyn Fn(&str) -> bool| {
        (from..lines.len())
            .find(|&i| pred(lines[i]))
            .unwrap_or_else(|| panic!("{seed_name}: heading not found after line {from}"))
    };
    let two = find(0, &|l| l.starts_with("二、主动公开"));
    let three = find(two, &|l| l.starts_with("三、收到和处理"));
    let four = find(three, &|l| l.starts_with("四、") && l.contains("行政复议"));
    let five = find(four, &|l| l.starts_with("五、"));
    let version_2019 = lines[two..three]
        .iter()
        .any(|l| l.contains("本年新制作数量"));

    let mut parts = Vec::new();
    let prose = |parts: &mut Vec<Part>, range: std::ops::Range<usize>| {
        for line in &lines[range] {
            let t = line.trim_end();
            if t.trim().is_empty() {
                continue;
            }
            let heading = ["一、", "二、", "三、", "四、", "五、", "六、"]
                .iter()
                .any(|h| t.starts_with(h));
            parts.push(if heading {
                Part::Heading(t.to_string())
            } else {
                Part::Para(t.to_string())
            });
        }
    };
    prose(&mut parts, 0..two + 1);
    let cells = region_cells(&lines[two + 1..three]);
    parts.push(Part::Table(if version_2019 {
        table_two(&cells, &[4, 4, 4, 4, 4], 4)
    } else {
        table_two(&cells, &[4, 2, 2, 2], 4)
    }));
    prose(&mut parts, three..three + 1);
    parts.push(Part::Table(table_three(&region_cells(
        &lines[three + 1..four],
    ))));
    prose(&mut parts, four..four + 1);
    parts.push(Part::Table(table_four(&region_cells(
        &lines[four + 1..five],
    ))));
    prose(&mut parts, five..lines.len());
    parts
}

// ---------------------------------------------------------------------------------------------
// Parts → .docx

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A paragraph's runs: the text split at its first `，` into two runs, as Word splits runs at
/// formatting changes.
fn runs(text: &str) -> String {
    let run = |t: &str| {
        format!(
            r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
            xml_escape(t)
        )
    };
    match text.find('，') {
        Some(at) if at > 0 => format!("{}{}", run(&text[..at]), run(&text[at..])),
        _ => run(text),
    }
}

fn paragraph(text: &str, style: Option<&str>) -> String {
    let ppr = style.map_or(String::new(), |s| {
        format!(r#"<w:pPr><w:pStyle w:val="{s}"/><w:tabs><w:tab w:val="left" w:pos="840"/></w:tabs></w:pPr>"#)
    });
    format!("<w:p>{ppr}{}</w:p>", runs(text))
}

fn table_xml(rows: &[Vec<Cell>]) -> String {
    let columns: u32 = rows
        .iter()
        .map(|r| r.iter().map(|c| c.span).sum::<u32>())
        .max()
        .unwrap_or(1);
    let mut out = String::from(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="a3"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>"#,
    );
    for _ in 0..columns {
        out.push_str(r#"<w:gridCol w:w="800"/>"#);
    }
    out.push_str("</w:tblGrid>");
    for row in rows {
        out.push_str(r#"<w:tr><w:trPr><w:jc w:val="center"/></w:trPr>"#);
        for cell in row {
            out.push_str(r#"<w:tc><w:tcPr><w:tcW w:w="800" w:type="dxa"/>"#);
            if cell.span > 1 {
                out.push_str(&format!(r#"<w:gridSpan w:val="{}"/>"#, cell.span));
            }
            match cell.merge {
                Merge::Restart => out.push_str(r#"<w:vMerge w:val="restart"/>"#),
                Merge::Continue => out.push_str("<w:vMerge/>"),
                Merge::None => {}
            }
            out.push_str(r#"<w:vAlign w:val="center"/></w:tcPr>"#);
            if cell.text.is_empty() {
                out.push_str("<w:p/>");
            }
            for p in cell.text.split('\n').filter(|p| !p.is_empty()) {
                out.push_str(&format!(
                    r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}</w:p>"#,
                    runs(p)
                ));
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

pub fn document_xml(parts: &[Part]) -> String {
    let mut body = String::new();
    for part in parts {
        match part {
            Part::Heading(t) => body.push_str(&paragraph(t, Some("1"))),
            Part::Para(t) => body.push_str(&paragraph(t, None)),
            Part::Table(rows) => {
                body.push_str(&table_xml(rows));
                // Word always ends a table with a paragraph.
                body.push_str("<w:p/>");
            }
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" mc:Ignorable="w14"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    )
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A zip of `(name, bytes)` entries, deflated.
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// A `.docx` holding `document_xml`.
pub fn docx_with(document_xml: &str) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document_xml.as_bytes()),
    ])
}

pub fn docx(parts: &[Part]) -> Vec<u8> {
    docx_with(&document_xml(parts))
}

// ---------------------------------------------------------------------------------------------
// Parts → HTML

pub struct Page<'a> {
    /// The charset declared (`<meta charset>` when `meta_charset`, else `http-equiv`).
    pub charset: &'a str,
    pub meta_charset: bool,
    /// The whole article inside a one-column layout table, as older CMSes publish.
    pub layout_table: bool,
    /// An empty `<td>` ending every row of table 三, left by the page's markup.
    pub filler_cells: bool,
    /// Write blank cells as `&nbsp;`.
    pub nbsp_blanks: bool,
    /// Page chrome before the article (`时间:… 大 中 小`).
    pub chrome_line: Option<&'a str>,
}

impl Default for Page<'_> {
    fn default() -> Self {
        Page {
            charset: "utf-8",
            meta_charset: true,
            layout_table: false,
            filler_cells: false,
            nbsp_blanks: false,
            chrome_line: None,
        }
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The rows as an HTML table: a merge's first cell gets `rowspan` (the rows it continues
/// into), continued cells are left out, `span` becomes `colspan`.
fn table_html(rows: &[Vec<Cell>], page: &Page, table_three: bool) -> String {
    // Grid column of each cell.
    let placed: Vec<Vec<(u32, &Cell)>> = rows
        .iter()
        .map(|row| {
            let mut col = 0;
            row.iter()
                .map(|cell| {
                    let at = col;
                    col += cell.span;
                    (at, cell)
                })
                .collect()
        })
        .collect();
    let mut out = String::from(
        "<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" style=\"border-collapse:collapse\">\n<tbody>\n",
    );
    for (r, row) in placed.iter().enumerate() {
        out.push_str("<tr>");
        for (col, cell) in row {
            if cell.merge == Merge::Continue {
                continue;
            }
            let mut attrs = String::new();
            if cell.span > 1 {
                attrs.push_str(&format!(" colspan=\"{}\"", cell.span));
            }
            if cell.merge == Merge::Restart {
                let below = placed[r + 1..]
                    .iter()
                    .take_while(|next| {
                        next.iter()
                            .any(|(c, x)| c == col && x.merge == Merge::Continue)
                    })
                    .count();
                if below > 0 {
                    attrs.push_str(&format!(" rowspan=\"{}\"", below + 1));
                }
            }
            let content = if cell.text.is_empty() {
                if page.nbsp_blanks {
                    "&nbsp;".to_string()
                } else {
                    String::new()
                }
            } else {
                // Multi-paragraph cells as <p>s; long header labels broken with <br>.
                cell.text
                    .split('\n')
                    .map(|p| {
                        format!(
                            "<p style=\"text-align:center\"><span>{}</span></p>",
                            html_escape(p)
                        )
                    })
                    .collect::<String>()
            };
            out.push_str(&format!("\n  <td{attrs} valign=\"center\">{content}</td>"));
        }
        let data_row = row.len() > 8;
        if page.filler_cells && table_three && data_row {
            out.push_str("\n  <td style=\"display:none\"></td>");
        }
        out.push_str("\n</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// An HTML page of the parts, with the chrome a government site wraps around an article:
/// scripts, styles, navigation, a header and a footer.
pub fn html(parts: &[Part], page: &Page) -> String {
    let meta = if page.meta_charset {
        format!("<meta charset=\"{}\">", page.charset)
    } else {
        format!(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset={}\">",
            page.charset
        )
    };
    let mut article = String::new();
    if let Some(chrome) = page.chrome_line {
        article.push_str(&format!(
            "<div class=\"info\">{}</div>\n",
            html_escape(chrome)
        ));
    }
    for part in parts {
        match part {
            Part::Heading(t) => article.push_str(&format!(
                "<p style=\"text-indent:2em\"><strong>{}</strong></p>\n",
                html_escape(t)
            )),
            Part::Para(t) => article.push_str(&format!(
                "<p style=\"text-indent:2em\">&nbsp;&nbsp;{}</p>\n",
                html_escape(t)
            )),
            Part::Table(rows) => {
                let three = rows.iter().flatten().any(|c| c.text.contains("勾稽"));
                article.push_str(&table_html(rows, page, three));
            }
        }
    }
    let article = if page.layout_table {
        format!("<table width=\"100%\"><tr><td class=\"bt_content\">\n{article}</td></tr></table>")
    } else {
        format!("<div class=\"TRS_Editor\">\n{article}</div>")
    };
    format!(
        r#"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
{meta}
<title>政府信息公开工作年度报告</title>
<link rel="stylesheet" href="/css/style.css">
<style>.nav li {{ float: left; }} td > p {{ margin: 0 }}</style>
<script type="text/javascript">var s = "<table><tr><td>1</td></tr></table>"; if (a < b && c > d) {{ document.write(s); }}</script>
</head>
<body>
<header><div class="logo">生态环境局</div></header>
<nav><ul class="nav"><li><a href="/">首页</a></li><li><a href="/gk/">政府信息公开</a></li></ul></nav>
<div class="container">
<div class="crumbs">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>
{article}
</div>
<footer><p>主办单位：生态环境局 &copy; 版权所有</p></footer>
<noscript>您的浏览器不支持脚本</noscript>
<script>window._hmt = [];</script>
</body>
</html>
"#
    )
}

/// The page in its declared charset's bytes.
pub fn encode(page: &str, charset: &str) -> Vec<u8> {
    let encoding = encoding_rs::Encoding::for_label(charset.as_bytes()).expect("known charset");
    let (bytes, _, unmappable) = encoding.encode(page);
    assert!(!unmappable, "{charset} cannot hold the page");
    bytes.into_owned()
}
