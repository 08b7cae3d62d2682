//! Documents as they really arrive — Word files and web pages — turned into the text the core
//! reads.
//!
//! Offices draft their reports in Word and publish them as web pages; the core reads text. This
//! module sits between the two, outside the core (`syntax`, `report`, `rules` know nothing of
//! zip, XML or HTML): [`read`] takes the bytes of a file and returns a [`Source`] — the text to
//! analyse, and for a `.docx` or an HTML page a [`SourceMap`] from byte ranges of that text
//! back to where they came from (`表三 第 7 行 第 3 列`, `第 12 段`, a line and column of the
//! HTML). The text is laid out the way the core already reads best: each paragraph on its
//! own line, each table row as one Markdown pipe row `| a | b | … |`, merged cells
//! (`gridSpan`/`colspan`, `vMerge`/`rowspan`) expanded into empty cells so that every row has
//! its grid's columns. Every rule then works unchanged.
//!
//! Which reader is used goes by content as well as by name: a zip is a `.docx`, an OLE
//! compound file is an encrypted or legacy Word file (an error), `.html`/`.htm` are pages, and
//! a `.txt` (or stdin) that holds HTML markup is read as a page too.
//!
//! No I/O here: bytes in, text out. [`InputKind::is_text`] tells a command that writes files
//! (`nianbao fix`) whether it may write back into an input of that kind.

mod docx;
mod html;
mod model;
pub mod text;

use std::path::Path;

use crate::Lang;

pub use model::{Origin, Place, SourceMap, TableName};

/// What a file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// Plain text or Markdown (any encoding [`text::decode`] reads).
    Text,
    /// A Word document (Office Open XML).
    Docx,
    /// An HTML page (`.html`, `.htm`, or text holding HTML markup).
    Html,
}

impl InputKind {
    /// `"text"`, `"docx"` or `"html"`: the name machine output uses.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Text => "text",
            InputKind::Docx => "docx",
            InputKind::Html => "html",
        }
    }

    /// Whether the positions nianbao reports are positions in the file itself, so that fixes
    /// can be written back into it. Only plain text: a `.docx` or an HTML page is converted
    /// before it is analysed, and an edit of the converted text is not an edit of the file.
    /// A command that writes files (`nianbao fix`) must refuse the other kinds, with
    /// [`InputKind::not_writable`] as its message.
    pub fn is_text(self) -> bool {
        self == InputKind::Text
    }

    /// Why a fix cannot be written into `path`, an input of this (non-text) kind.
    pub fn not_writable(self, path: &str, lang: Lang) -> String {
        let what = match (self, lang) {
            (InputKind::Docx, Lang::Zh) => "Word 文档（.docx）",
            (InputKind::Html, Lang::Zh) => "网页（HTML）",
            (InputKind::Text, Lang::Zh) => "文本",
            (InputKind::Docx, Lang::En) => "a Word document (.docx)",
            (InputKind::Html, Lang::En) => "a web page (HTML)",
            (InputKind::Text, Lang::En) => "text",
        };
        match lang {
            Lang::Zh => format!(
                "{path} 是{what}：只能检查，不能自动修复（fix 只改写文本文件；请在原编辑器中修改，或另存为文本后再修复）"
            ),
            Lang::En => format!(
                "{path} is {what}: it can be checked but not fixed (fix writes text files only; edit it in its own editor, or save it as text first)"
            ),
        }
    }
}

/// A file read for analysis.
#[derive(Clone, Debug)]
pub struct Source {
    pub kind: InputKind,
    /// What the core analyses; every position in a diagnostic is a byte offset into it.
    pub text: String,
    /// Where each part of [`Source::text`] came from; empty for plain text, whose positions
    /// are its own.
    pub map: SourceMap,
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConvertError {
    /// Bytes that start with a byte order mark but are malformed in its encoding.
    Malformed(&'static str),
    /// Bytes that are valid in none of the supported text encodings.
    NotText,
    /// An OLE compound file: an encrypted `.docx` (Word wraps those in one) or a legacy `.doc`.
    Encrypted,
    /// A `.docx` that is not a readable zip (truncated, damaged), with the zip reader's words.
    BadZip(String),
    /// A zip without a Word document in it.
    NoDocument,
    /// Inflating would exceed [`MAX_INFLATED`] bytes (a zip bomb, or no report).
    TooLarge,
    /// The document's XML is malformed, with the parser's words.
    BadXml(String),
}

/// The most a `.docx` may inflate to, all parts read together: a report is a few hundred KB.
pub const MAX_INFLATED: u64 = 64 << 20;

impl ConvertError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ConvertError::Malformed(enc), Lang::Zh) => {
                format!("以 {enc} 字节顺序标记开头，但内容不是有效的 {enc} 文本")
            }
            (ConvertError::Malformed(enc), Lang::En) => {
                format!("starts with a {enc} byte order mark but is not valid {enc} text")
            }
            (ConvertError::NotText, Lang::Zh) => {
                "不是有效的文本：既不是 UTF-8、UTF-16（带字节顺序标记），也不是 GB18030/GBK 或 Big5 编码".to_string()
            }
            (ConvertError::NotText, Lang::En) => {
                "not valid text: neither UTF-8, UTF-16 (with a byte order mark), GB18030/GBK nor Big5".to_string()
            }
            (ConvertError::Encrypted, Lang::Zh) => {
                "加密或旧版 .doc 文件，无法读取（请在 Word 中取消密码，或另存为 .docx）".to_string()
            }
            (ConvertError::Encrypted, Lang::En) => {
                "an encrypted or legacy .doc file: cannot be read (remove the password, or save it as .docx)".to_string()
            }
            (ConvertError::BadZip(why), Lang::Zh) => {
                format!("不是有效的 .docx 文件：压缩包损坏或不完整（{why}）")
            }
            (ConvertError::BadZip(why), Lang::En) => {
                format!("not a valid .docx file: the zip is damaged or truncated ({why})")
            }
            (ConvertError::NoDocument, Lang::Zh) => {
                "不是 Word 文档：压缩包中没有 word/document.xml".to_string()
            }
            (ConvertError::NoDocument, Lang::En) => {
                "not a Word document: the zip holds no word/document.xml".to_string()
            }
            (ConvertError::TooLarge, Lang::Zh) => format!(
                "解压后超过 {} MB，拒绝读取（可能是压缩炸弹）",
                MAX_INFLATED >> 20
            ),
            (ConvertError::TooLarge, Lang::En) => format!(
                "inflates to more than {} MB: refused (a zip bomb?)",
                MAX_INFLATED >> 20
            ),
            (ConvertError::BadXml(why), Lang::Zh) => {
                format!("Word 文档内容损坏：XML 无效（{why}）")
            }
            (ConvertError::BadXml(why), Lang::En) => {
                format!("the Word document is damaged: invalid XML ({why})")
            }
        }
    }
}

/// Read the bytes of one input. `name` (the file's path, `None` for stdin) only breaks ties:
/// the content decides first.
pub fn read(bytes: Vec<u8>, name: Option<&Path>) -> Result<Source, ConvertError> {
    let extension = name
        .and_then(|n| n.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let extension = extension.as_deref();
    if bytes.starts_with(&CFB_SIGNATURE) {
        return Err(ConvertError::Encrypted);
    }
    match container_kind(&bytes, extension) {
        // A `.docx` that is not a zip at all (a truncated download, or something else renamed)
        // goes to the Word reader too, which says what is wrong with it.
        Some(InputKind::Docx) => return docx::convert(&bytes),
        Some(InputKind::Html) => return html::convert(&bytes),
        _ => {}
    }
    let text = text::decode(bytes)?;
    if looks_like_html(&text, is_markdown(extension)) {
        return Ok(html::convert_text(&text));
    }
    Ok(Source {
        kind: InputKind::Text,
        text,
        map: SourceMap::default(),
    })
}

/// What [`read`] would read `bytes` as, without converting them: for a command that must know
/// whether a file is plain text before it touches it (`nianbao fix`).
pub fn kind_of(bytes: &[u8], name: Option<&Path>) -> InputKind {
    let extension = name
        .and_then(|n| n.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let extension = extension.as_deref();
    if bytes.starts_with(&CFB_SIGNATURE) {
        return InputKind::Docx;
    }
    container_kind(bytes, extension).unwrap_or_else(|| {
        if looks_like_html(&String::from_utf8_lossy(bytes), is_markdown(extension)) {
            InputKind::Html
        } else {
            InputKind::Text
        }
    })
}

/// The kind the bytes' signature or the file's extension settles before any decoding.
fn container_kind(bytes: &[u8], extension: Option<&str>) -> Option<InputKind> {
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || extension == Some("docx")
    {
        return Some(InputKind::Docx);
    }
    matches!(extension, Some("html" | "htm" | "xhtml" | "shtml")).then_some(InputKind::Html)
}

/// Markdown may hold inline HTML; only a whole page is a page there.
fn is_markdown(extension: Option<&str>) -> bool {
    matches!(extension, Some("md" | "markdown"))
}

/// The signature of an OLE compound file (CFB).
const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether a text is an HTML page (or a fragment of one holding a table) rather than text that
/// happens to contain `<`: it starts with a doctype or an `<html>` tag, or — outside Markdown —
/// holds a `<table>` with its rows or cells, or a `<body>`.
pub fn looks_like_html(text: &str, markdown: bool) -> bool {
    let head: String = text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
        .take(512)
        .flat_map(char::to_lowercase)
        .collect();
    let head = head.strip_prefix("<?xml").map_or(head.as_str(), |rest| {
        rest.split_once("?>")
            .map_or(rest, |(_, after)| after.trim_start())
    });
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return true;
    }
    if markdown {
        return false;
    }
    let has = |needle: &str| contains_ignore_ascii_case(text, needle);
    has("<body") || (has("<table") && (has("<td") || has("<tr")))
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    let first = needle[0];
    let bytes = haystack.as_bytes();
    memchr::memchr_iter(b'<', bytes).any(|at| {
        debug_assert_eq!(first, b'<');
        bytes
            .get(at..at + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_go_by_content() {
        let page = "<!DOCTYPE html><html><body><p>一、总体情况</p></body></html>";
        let read_as =
            |bytes: &[u8], name: &str| read(bytes.to_vec(), Some(Path::new(name))).map(|s| s.kind);
        assert_eq!(read_as(page.as_bytes(), "a.txt"), Ok(InputKind::Html));
        assert_eq!(read_as(page.as_bytes(), "a.md"), Ok(InputKind::Html));
        assert_eq!(read_as(page.as_bytes(), "a.htm"), Ok(InputKind::Html));
        let fragment = "一、总体情况\n<table><tr><td>规章</td><td>0</td></tr></table>";
        assert_eq!(read_as(fragment.as_bytes(), "a.txt"), Ok(InputKind::Html));
        assert_eq!(read_as(fragment.as_bytes(), "a.md"), Ok(InputKind::Text));
        // Angle brackets in prose (禄丰 cites <2023年度…考评细则>) are not markup.
        let prose = "根据《关于印发<2023年度政务公开指标考评细则>的通知》，a<b>c";
        assert_eq!(read_as(prose.as_bytes(), "a.txt"), Ok(InputKind::Text));
        assert_eq!(
            read_as(
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
                "a.docx"
            ),
            Err(ConvertError::Encrypted)
        );
        assert!(matches!(
            read_as(b"PK\x03\x04garbage", "a.txt"),
            Err(ConvertError::BadZip(_))
        ));
        assert!(matches!(
            read_as(b"hello", "a.docx"),
            Err(ConvertError::BadZip(_))
        ));
    }

    #[test]
    fn only_text_is_writable() {
        assert!(InputKind::Text.is_text());
        assert!(!InputKind::Docx.is_text());
        assert!(!InputKind::Html.is_text());
        let msg = InputKind::Docx.not_writable("r.docx", Lang::Zh);
        assert!(msg.contains("r.docx") && msg.contains(".docx"), "{msg}");
    }
}
