//! `.docx`: the main document part of an Office Open XML package, read into paragraphs and
//! tables.
//!
//! Read: paragraphs (`w:p`, text from `w:t`, `w:tab` → tab, `w:br` → line break), their
//! heading style (`w:pStyle`, `w:outlineLvl`), tables (`w:tbl`/`w:tr`/`w:tc`) with merged
//! cells (`w:gridSpan` across, `w:vMerge` down, `w:gridBefore`), content controls, tracked
//! insertions. Left out: deleted text, field instructions, drawings and text boxes. What is
//! inflated is capped ([`MAX_INFLATED`]) while reading, whatever the zip's headers claim.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::model::{render, Block, GridCell, Origin, Place, Table};
use super::{ConvertError, InputKind, Source, MAX_INFLATED};

/// The most grid columns one cell may span (Word allows 63 columns in all).
const MAX_SPAN: u32 = 64;
/// The most empty cells merged cells may add to a document's grids: past it, spans are not
/// expanded (a few MB of `gridSpan`s must not become gigabytes of text).
const MAX_SPAN_CELLS: u32 = 1 << 20;

pub(super) fn convert(bytes: &[u8]) -> Result<Source, ConvertError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ConvertError::BadZip(e.to_string()))?;
    let mut budget = MAX_INFLATED;
    let main = match read_entry(&mut zip, "_rels/.rels", &mut budget)? {
        Some(rels) => main_part(&rels).unwrap_or_else(|| "word/document.xml".to_string()),
        None => "word/document.xml".to_string(),
    };
    let xml = match read_entry(&mut zip, &main, &mut budget)? {
        Some(xml) => xml,
        None => read_entry(&mut zip, "word/document.xml", &mut budget)?
            .ok_or(ConvertError::NoDocument)?,
    };
    let blocks = parse(&xml)?;
    let (text, map) = render(blocks);
    Ok(Source {
        kind: InputKind::Docx,
        text,
        map,
    })
}

/// An entry's bytes, `None` when the zip has no such entry. Takes what it inflates from
/// `budget`; more than the budget is [`ConvertError::TooLarge`], found while inflating (a
/// header may lie about the size).
fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
) -> Result<Option<Vec<u8>>, ConvertError> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ConvertError::BadZip(e.to_string())),
    };
    if entry.size() > *budget {
        return Err(ConvertError::TooLarge);
    }
    let mut out = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 20));
    entry
        .take(*budget + 1)
        .read_to_end(&mut out)
        .map_err(|e| ConvertError::BadZip(e.to_string()))?;
    let read = out.len() as u64;
    if read > *budget {
        return Err(ConvertError::TooLarge);
    }
    *budget -= read;
    Ok(Some(out))
}

/// The main document part named by the package relationships (`officeDocument`).
fn main_part(rels: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"Relationship" => {
                let kind = attr(&e, b"Type")?;
                if kind.ends_with("/officeDocument") {
                    let target = attr(&e, b"Target")?;
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// An attribute's unescaped value, by its local name (any prefix).
fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

struct CellBuild {
    paragraphs: Vec<String>,
    span: u32,
    merge: VMerge,
}

#[derive(Default)]
struct TableBuild {
    rows: Vec<Vec<GridCell>>,
    row: Option<Vec<GridCell>>,
    cell: Option<CellBuild>,
}

struct ParagraphBuild {
    text: String,
    heading: Option<u8>,
}

/// The body of `word/document.xml` as blocks.
fn parse(xml: &[u8]) -> Result<Vec<Block>, ConvertError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut blocks = Vec::new();
    let mut tables: Vec<TableBuild> = Vec::new();
    let mut paragraph: Option<ParagraphBuild> = None;
    let mut paragraphs = 0u32;
    // Depth inside an element whose content is not text of the report (drawings, deleted
    // text, field instructions), and inside paragraph properties (whose `w:tab`s are tab
    // stops, not tabs).
    let mut skip = 0u32;
    let mut in_properties = 0u32;
    let mut in_text = false;
    // Elements open: a document that ends inside one was cut short.
    let mut open = 0usize;
    let mut span_budget = MAX_SPAN_CELLS;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ConvertError::BadXml(e.to_string()))?;
        match &event {
            Event::Start(_) => open += 1,
            Event::End(_) => open = open.saturating_sub(1),
            Event::Eof if open > 0 => {
                return Err(ConvertError::BadXml(
                    "the document ends inside an element".to_string(),
                ))
            }
            _ => {}
        }
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.local_name();
            let name = name.as_ref();
            if skip > 0 || is_skipped(name) {
                if !empty {
                    skip += 1;
                }
                continue;
            }
            match name {
                b"p" if !empty => {
                    paragraph = Some(ParagraphBuild {
                        text: String::new(),
                        heading: None,
                    });
                }
                b"p" => close_paragraph(
                    ParagraphBuild {
                        text: String::new(),
                        heading: None,
                    },
                    &mut tables,
                    &mut blocks,
                    &mut paragraphs,
                ),
                b"pPr" | b"rPr" if !empty => in_properties += 1,
                b"pStyle" => {
                    if let (Some(p), Some(style)) = (paragraph.as_mut(), attr(e, b"val")) {
                        p.heading = p.heading.or(heading_level(&style));
                    }
                }
                b"outlineLvl" => {
                    let level = attr(e, b"val").and_then(|v| v.parse::<u8>().ok());
                    if let (Some(p), Some(level)) = (paragraph.as_mut(), level) {
                        if level < 9 {
                            p.heading = Some(level + 1);
                        }
                    }
                }
                b"t" if !empty => in_text = true,
                b"tab" if in_properties == 0 => push(&mut paragraph, "\t"),
                b"br" | b"cr" if in_properties == 0 => {
                    let page = attr(e, b"type").is_some_and(|t| t == "page" || t == "column");
                    if !page {
                        push(&mut paragraph, "\n");
                    }
                }
                b"noBreakHyphen" => push(&mut paragraph, "-"),
                b"tbl" if !empty => tables.push(TableBuild::default()),
                b"tr" if !empty => {
                    if let Some(t) = tables.last_mut() {
                        t.row = Some(Vec::new());
                    }
                }
                b"gridBefore" => {
                    let n = attr(e, b"val").and_then(|v| v.parse::<u32>().ok());
                    if let Some(row) = tables.last_mut().and_then(|t| t.row.as_mut()) {
                        let n = n.unwrap_or(0).min(MAX_SPAN).min(span_budget);
                        span_budget -= n;
                        for _ in 0..n {
                            row.push(GridCell::default());
                        }
                    }
                }
                b"tc" if !empty => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(CellBuild {
                            paragraphs: Vec::new(),
                            span: 1,
                            merge: VMerge::None,
                        });
                    }
                }
                b"gridSpan" => {
                    let n = attr(e, b"val").and_then(|v| v.parse::<u32>().ok());
                    if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        cell.span = n.unwrap_or(1).clamp(1, MAX_SPAN);
                    }
                }
                b"vMerge" | b"hMerge" => {
                    let restart = attr(e, b"val").is_some_and(|v| v == "restart");
                    let horizontal = name == b"hMerge";
                    if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        cell.merge = match (restart, horizontal) {
                            (true, false) => VMerge::Restart,
                            (true, true) => cell.merge,
                            (false, _) => VMerge::Continue,
                        };
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match name {
                    b"p" => {
                        if let Some(p) = paragraph.take() {
                            close_paragraph(p, &mut tables, &mut blocks, &mut paragraphs);
                        }
                    }
                    b"pPr" | b"rPr" => in_properties = in_properties.saturating_sub(1),
                    b"t" => in_text = false,
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(cell) = t.cell.take() {
                                place_cell(
                                    t.row.get_or_insert_with(Vec::new),
                                    cell,
                                    &mut span_budget,
                                );
                            }
                        }
                    }
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(row) = t.row.take() {
                                t.rows.push(row);
                            }
                        }
                    }
                    b"tbl" => {
                        if let Some(mut t) = tables.pop() {
                            if let Some(row) = t.row.take() {
                                t.rows.push(row);
                            }
                            let table = Table { rows: t.rows };
                            match tables.last_mut().and_then(|outer| outer.cell.as_mut()) {
                                // A table inside a cell: its text joins the cell's.
                                Some(cell) => cell
                                    .paragraphs
                                    .extend(table.rows.iter().map(|row| row_text(row))),
                                None => blocks.push(Block::Table(table)),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text && skip == 0 => {
                let s = t
                    .xml10_content()
                    .map_err(|e| ConvertError::BadXml(e.to_string()))?;
                push(&mut paragraph, &s);
            }
            Event::CData(t) if in_text && skip == 0 => {
                push(&mut paragraph, &String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if in_text && skip == 0 => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => {
                        let name = String::from_utf8_lossy(&r);
                        quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string)
                    }
                };
                if let Some(s) = resolved {
                    push(&mut paragraph, &s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(blocks)
}

/// Subtrees that hold no text of the report, or text that would be read twice.
fn is_skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"drawing"
            | b"pict"
            | b"object"
            | b"AlternateContent"
            | b"delText"
            | b"instrText"
            | b"del"
            | b"sectPr"
            | b"footnoteReference"
            | b"endnoteReference"
    )
}

fn push(paragraph: &mut Option<ParagraphBuild>, s: &str) {
    if let Some(p) = paragraph.as_mut() {
        p.text.push_str(s);
    }
}

/// A finished paragraph goes to the open cell, or to the document.
fn close_paragraph(
    p: ParagraphBuild,
    tables: &mut [TableBuild],
    blocks: &mut Vec<Block>,
    paragraphs: &mut u32,
) {
    if let Some(t) = tables.last_mut() {
        if let Some(cell) = t.cell.as_mut() {
            cell.paragraphs.push(p.text);
        }
        return;
    }
    *paragraphs += 1;
    if p.text.trim().is_empty() {
        blocks.push(Block::Gap);
        return;
    }
    let origin = Origin {
        place: Place::Paragraph {
            index: *paragraphs,
            heading: p.heading,
        },
        line: None,
    };
    for line in p.text.split('\n') {
        blocks.push(Block::Line {
            text: line.to_string(),
            origin,
        });
    }
}

/// A cell on the grid: its text in its first column, an empty cell for each further column it
/// spans; a cell continuing a vertical merge is empty.
fn place_cell(row: &mut Vec<GridCell>, cell: CellBuild, span_budget: &mut u32) {
    let text = if cell.merge == VMerge::Continue {
        String::new()
    } else {
        let parts: Vec<&str> = cell
            .paragraphs
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        parts.join(" ")
    };
    row.push(GridCell { text, line: None });
    let extra = (cell.span - 1).min(*span_budget);
    *span_budget -= extra;
    for _ in 0..extra {
        row.push(GridCell::default());
    }
}

fn row_text(row: &[GridCell]) -> String {
    let cells: Vec<&str> = row
        .iter()
        .map(|c| c.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    cells.join(" ")
}

/// The heading level a paragraph style stands for: `Heading1`, `heading 1`, `标题 1`, `Title`,
/// or the bare numbers Chinese Word uses as the ids of its heading styles.
fn heading_level(style: &str) -> Option<u8> {
    let lower = style.to_ascii_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))
        .unwrap_or(&lower)
        .trim();
    match rest.parse::<u8>() {
        Ok(n @ 1..=9) => Some(n),
        _ => None,
    }
}

/// The blocks as lines, for tests.
#[cfg(test)]
fn lines(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Line { text, .. } => text.clone(),
            Block::Gap => String::new(),
            Block::Table(t) => format!("<table {} rows>", t.rows.len()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(body: &str) -> Vec<u8> {
        format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#).into_bytes()
    }

    #[test]
    fn paragraphs_runs_tabs_breaks_and_what_is_left_out() {
        let body = r#"<w:p><w:pPr><w:pStyle w:val="1"/><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>一、总体</w:t></w:r><w:r><w:t xml:space="preserve">情况 &amp; </w:t></w:r></w:p>
<w:p/>
<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del><w:ins><w:r><w:t>加上的</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:drawing><w:t>图中文字</w:t></w:drawing></w:r></w:p>"#;
        let blocks = parse(&doc(body)).unwrap();
        assert_eq!(lines(&blocks), ["一、总体情况 & ", "", "a\tb", "c加上的"]);
        match &blocks[0] {
            Block::Line { origin, .. } => assert_eq!(
                origin.place,
                Place::Paragraph {
                    index: 1,
                    heading: Some(1)
                }
            ),
            _ => panic!(),
        }
        match &blocks[3] {
            Block::Line { origin, .. } => assert_eq!(
                origin.place,
                Place::Paragraph {
                    index: 3,
                    heading: None
                }
            ),
            _ => panic!(),
        }
    }

    #[test]
    fn merged_cells_are_laid_out_on_the_grid() {
        let tc = |props: &str, text: &str| {
            format!(
                r#"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"#
            )
        };
        let body = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}</w:tr></w:tbl>",
            tc(r#"<w:vMerge w:val="restart"/>"#, "行政复议"),
            tc(r#"<w:gridSpan w:val="2"/>"#, "行政诉讼"),
            tc("<w:vMerge/>", ""),
            tc("", "结果维持"),
            tc("", "总计"),
            tc("", "1"),
            tc("", "2"),
        );
        let blocks = parse(&doc(&body)).unwrap();
        let (text, map) = render(blocks);
        assert_eq!(
            text,
            "| 行政复议 | 行政诉讼 |  |\n|  | 结果维持 | 总计 |\n|  | 1 | 2 |\n\n"
        );
        let at = text.find('2').unwrap();
        assert_eq!(
            map.locate(at).unwrap().describe(crate::Lang::Zh),
            "表四 第 3 行 第 3 列"
        );
    }

    #[test]
    fn heading_styles() {
        assert_eq!(heading_level("Heading2"), Some(2));
        assert_eq!(heading_level("heading 1"), Some(1));
        assert_eq!(heading_level("标题 3"), Some(3));
        assert_eq!(heading_level("1"), Some(1));
        assert_eq!(heading_level("Normal"), None);
        assert_eq!(heading_level("a0"), None);
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(matches!(
            parse(b"<w:document><w:body><w:p></w:body>"),
            Err(ConvertError::BadXml(_))
        ));
        assert!(matches!(
            parse(b"<w:document><w:body><w:p>"),
            Err(ConvertError::BadXml(_))
        ));
    }
}
