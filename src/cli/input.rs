//! What `check` reads: paths expanded into files, and bytes decoded into text.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, BIG5, GB18030, UTF_16BE, UTF_16LE};

use crate::Lang;

/// Display name of standard input.
pub(crate) const STDIN_NAME: &str = "<stdin>";

/// One thing to check, in the order the user gave it.
#[derive(Debug)]
pub(crate) enum Input {
    Stdin,
    File {
        path: PathBuf,
        display: String,
    },
    /// A path that could not be expanded (missing, unreadable folder).
    Broken {
        display: String,
        error: ReadError,
    },
}

impl Input {
    pub(crate) fn display(&self) -> &str {
        match self {
            Input::Stdin => STDIN_NAME,
            Input::File { display, .. } | Input::Broken { display, .. } => display,
        }
    }

    /// The text of the input, decoded, without a byte order mark.
    pub(crate) fn read(&self) -> Result<String, ReadError> {
        let bytes = match self {
            Input::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut buf)
                    .map_err(ReadError::Io)?;
                buf
            }
            Input::File { path, .. } => std::fs::read(path).map_err(ReadError::Io)?,
            Input::Broken { error, .. } => return Err(error.clone()),
        };
        decode(bytes)
    }
}

/// Why an input could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    /// Bytes that start with a byte order mark but are malformed in its encoding.
    Malformed(&'static str),
    /// Bytes that are valid in none of the supported encodings.
    NotText,
    /// The analysis itself failed (a bug in nianbao), with the panic's message.
    Internal(String),
}

impl Clone for ReadError {
    fn clone(&self) -> Self {
        match self {
            ReadError::Io(e) => ReadError::Io(std::io::Error::new(e.kind(), e.to_string())),
            ReadError::Malformed(enc) => ReadError::Malformed(enc),
            ReadError::NotText => ReadError::NotText,
            ReadError::Internal(what) => ReadError::Internal(what.clone()),
        }
    }
}

impl ReadError {
    pub(crate) fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReadError::Io(e), _) => e.to_string(),
            (ReadError::Malformed(enc), Lang::Zh) => format!("以 {enc} 字节顺序标记开头，但内容不是有效的 {enc} 文本"),
            (ReadError::Malformed(enc), Lang::En) => {
                format!("starts with a {enc} byte order mark but is not valid {enc} text")
            }
            (ReadError::NotText, Lang::Zh) => {
                "不是有效的文本：既不是 UTF-8、UTF-16（带字节顺序标记），也不是 GB18030/GBK 或 Big5 编码".to_string()
            }
            (ReadError::Internal(what), Lang::Zh) => format!("内部错误：分析时崩溃（{what}），请报告这个问题"),
            (ReadError::Internal(what), Lang::En) => format!("internal error: the analysis crashed ({what}); please report it"),
            (ReadError::NotText, Lang::En) => {
                "not valid text: neither UTF-8, UTF-16 (with a byte order mark), GB18030/GBK nor Big5".to_string()
            }
        }
    }
}

/// Expand the command line's paths: `-` is stdin, folders give their `*.md` and `*.txt` files
/// (recursively, sorted, hidden entries skipped), anything else is taken as a file.
/// Each file is put to `accept(path, found_in_folder)` about every file: `Some(true)` takes it,
/// `Some(false)` leaves it out, `None` keeps the default (folders give `*.md` and `*.txt`,
/// named files are taken). This is where `nianbao.toml`'s include and exclude apply.
pub(crate) fn collect_with(
    paths: &[PathBuf],
    accept: &dyn Fn(&Path, bool) -> Option<bool>,
) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let display = path.display().to_string();
        match std::fs::metadata(path) {
            Err(error) => inputs.push(Input::Broken {
                display,
                error: ReadError::Io(error),
            }),
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                let mut visited = HashSet::new();
                walk(path, &mut found, &mut visited, accept);
                found.sort_by(|a, b| a.0.cmp(&b.0));
                inputs.extend(found.into_iter().map(|(path, broken)| match broken {
                    None => Input::File {
                        display: path.display().to_string(),
                        path,
                    },
                    Some(error) => Input::Broken {
                        display: path.display().to_string(),
                        error,
                    },
                }));
            }
            Ok(_) => {
                if accept(path, false) != Some(false) {
                    inputs.push(Input::File {
                        path: path.clone(),
                        display,
                    })
                }
            }
        }
    }
    inputs
}

fn walk(
    dir: &Path,
    found: &mut Vec<(PathBuf, Option<ReadError>)>,
    visited: &mut HashSet<PathBuf>,
    accept: &dyn Fn(&Path, bool) -> Option<bool>,
) {
    // Symbolic links may form cycles: enter every real folder once.
    if let Ok(real) = std::fs::canonicalize(dir) {
        if !visited.insert(real) {
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            found.push((dir.to_path_buf(), Some(ReadError::Io(error))));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                found.push((dir.to_path_buf(), Some(ReadError::Io(error))));
                continue;
            }
        };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follows symbolic links; a dangling link is not a report and is passed over.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, found, visited, accept);
        } else if meta.is_file()
            && accept(&path, true).unwrap_or_else(|| is_checked_extension(&path))
        {
            found.push((path, None));
        }
    }
}

fn is_checked_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("txt"))
}

/// Bytes → text. A byte order mark (UTF-8, UTF-16LE/BE) decides; else valid UTF-8 is UTF-8;
/// else UTF-16 without a mark when the zero bytes say so; else GB18030 (a superset of GBK) or
/// Big5, in the order `chardetng` finds likelier. Bytes valid in none of these are an error.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    let mut text = decode_inner(bytes)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

fn decode_inner(bytes: Vec<u8>) -> Result<String, ReadError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        return strict(encoding, &bytes[bom_len..]).ok_or(ReadError::Malformed(encoding.name()));
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e.into_bytes(),
    };
    if let Some(encoding) = utf16_without_bom(&bytes) {
        if let Some(text) = strict(encoding, &bytes) {
            return Ok(text);
        }
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(&bytes, true);
    let order = if detector.guess(None, false) == BIG5 {
        [BIG5, GB18030]
    } else {
        [GB18030, BIG5]
    };
    // Big5 bytes are mostly valid GB18030 too, decoding to private-use characters: a decoding
    // without them is the better one.
    let mut fallback = None;
    for encoding in order {
        if let Some(text) = strict(encoding, &bytes) {
            if !text.chars().any(|c| ('\u{e000}'..='\u{f8ff}').contains(&c)) {
                return Ok(text);
            }
            fallback.get_or_insert(text);
        }
    }
    fallback.ok_or(ReadError::NotText)
}

/// Decode without replacement characters: `None` when any byte sequence is malformed.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
}

/// UTF-16 text without a byte order mark has a zero byte in most ASCII characters, all on the
/// same side of each pair.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let pairs = bytes.len() / 2;
    // ASCII (digits, tabs, line breaks: plenty in a report's tables) leaves zeros on one side;
    // CJK characters only rarely (U+4E00 一 is 00 4E in UTF-16LE).
    if odd * 8 >= pairs && even * 4 <= odd {
        Some(UTF_16LE)
    } else if even * 8 >= pairs && odd * 4 <= even {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "二〇二三年政府信息公开工作年度报告\n一、总体情况\n（七）总计\t1\n";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(SAMPLE.as_bytes().to_vec()).unwrap(), SAMPLE);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        assert_eq!(decode(bom).unwrap(), SAMPLE);
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in SAMPLE.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(le.clone()).unwrap(), SAMPLE);
        assert_eq!(decode(be.clone()).unwrap(), SAMPLE);
        let ascii = "2023 report\n(7) total 1\n";
        let bare: Vec<u8> = ascii.encode_utf16().flat_map(u16::to_le_bytes).collect();
        // Valid UTF-8 (with NULs) wins; CJK text without BOM is caught by the zero bytes.
        assert!(decode(bare).is_ok());
        let table = "（七）总计\t1\t0\t0\t0\t0\t0\t1\n".repeat(5);
        let bare_le: Vec<u8> = table.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(bare_le).unwrap(), table);
        let bare_be: Vec<u8> = table.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(bare_be).unwrap(), table);
        // A truncated surrogate after a BOM is malformed.
        assert!(matches!(
            decode(vec![0xFF, 0xFE, 0x3D, 0xD8]),
            Err(ReadError::Malformed(_))
        ));
    }

    #[test]
    fn gbk_and_gb18030() {
        let (gbk, _, _) = encoding_rs::GBK.encode(SAMPLE);
        assert_eq!(decode(gbk.into_owned()).unwrap(), SAMPLE);
        let (gb, _, _) = GB18030.encode("𠀀表");
        assert_eq!(decode(gb.into_owned()).unwrap(), "𠀀表");
    }

    #[test]
    fn big5() {
        let text = "政府資訊公開年度報告，總計一件。".repeat(4);
        let (b5, _, _) = BIG5.encode(&text);
        assert_eq!(decode(b5.into_owned()).unwrap(), text);
    }

    #[test]
    fn garbage_is_not_text() {
        let garbage = vec![0x80, 0xFF, 0xFE, 0x80, 0xFF, 0xFF, 0x80, 0xFE];
        assert!(matches!(decode(garbage), Err(ReadError::NotText)));
        assert!(decode(Vec::new()).unwrap().is_empty());
    }
}
