//! What `check` reads: paths expanded into files, and each file's bytes read into text
//! ([`crate::convert`]: plain text in any common encoding, `.docx`, HTML pages).

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::convert::{ConvertError, Source};
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

    /// The input read into text: decoded (without a byte order mark), or converted from a
    /// Word document or a web page.
    pub(crate) fn read(&self) -> Result<Source, ReadError> {
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
        let name = match self {
            Input::File { path, .. } => Some(path.as_path()),
            _ => None,
        };
        crate::convert::read(bytes, name).map_err(ReadError::Convert)
    }
}

/// Why an input could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    /// Bytes that are not text in a supported encoding, or a document that cannot be read.
    Convert(ConvertError),
    /// The analysis itself failed (a bug in nianbao), with the panic's message.
    Internal(String),
}

impl Clone for ReadError {
    fn clone(&self) -> Self {
        match self {
            ReadError::Io(e) => ReadError::Io(std::io::Error::new(e.kind(), e.to_string())),
            ReadError::Convert(e) => ReadError::Convert(e.clone()),
            ReadError::Internal(what) => ReadError::Internal(what.clone()),
        }
    }
}

impl ReadError {
    pub(crate) fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReadError::Io(e), _) => e.to_string(),
            (ReadError::Convert(e), _) => e.message(lang),
            (ReadError::Internal(what), Lang::Zh) => {
                format!("内部错误：分析时崩溃（{what}），请报告这个问题")
            }
            (ReadError::Internal(what), Lang::En) => {
                format!("internal error: the analysis crashed ({what}); please report it")
            }
        }
    }
}

/// Expand the command line's paths: `-` is stdin, folders give their `*.md`, `*.txt`,
/// `*.docx`, `*.html` and `*.htm` files
/// (recursively, sorted, hidden entries and Word's `~$…` lock files skipped), anything else is
/// taken as a file.
/// Each file found in a folder is put to `accept(path, true)`: `Some(true)` takes it,
/// `Some(false)` leaves it out, `None` keeps the default (the extensions above). This is where
/// `nianbao.toml`'s include and exclude apply. A file named on the command line is always
/// taken, excluded or not, as ruff and eslint take the paths they are given: naming it is
/// asking for it.
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
            Ok(_) => inputs.push(Input::File {
                path: path.clone(),
                display,
            }),
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
        // Hidden entries, and the owner files Word keeps beside an open document
        // (`~$report.docx`: a few bytes of binary, never a report).
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || is_lock_file(&name) {
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

/// Word's (and Excel's, PowerPoint's) owner file of an open document: `~$report.docx`.
fn is_lock_file(name: &str) -> bool {
    name.starts_with("~$")
}

/// A `.docx` or an HTML page by its name: converted to text to be checked, never written.
pub(crate) fn is_document_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["docx", "html", "htm"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

fn is_checked_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["md", "txt", "docx", "html", "htm"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}
