//! `nianbao fix`: apply fixes to files in place, or show them as a unified diff.
//!
//! The fixing itself is the core's ([`crate::fix::fix_text`]). Here: reading, writing
//! atomically (a temporary file in the same folder, renamed over the original, so an
//! interrupted run never leaves a half-written report) and refusing to overwrite a file that
//! changed since it was read. A path through symbolic links is resolved first: the file
//! written is the one the link points to, and the link stays.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::{Lang, Options};

/// What happened to one file.
pub(crate) enum FixOutcome {
    /// Fixed (or would be, with `--diff`): the number of edits, the diff.
    Changed {
        path: String,
        edits: usize,
        diff: String,
        remaining_errors: usize,
    },
    Unchanged {
        remaining_errors: usize,
    },
    Skipped {
        path: String,
    },
    Failed {
        path: String,
        message: String,
    },
    /// Not plain text (a Word document, a web page): checked, never written. The message
    /// names the file.
    Refused {
        message: String,
    },
}

/// What a file was when it was read.
struct Original {
    bytes: Vec<u8>,
    modified: Option<SystemTime>,
}

fn read_original(path: &Path) -> std::io::Result<Original> {
    let meta = std::fs::metadata(path)?;
    let bytes = std::fs::read(path)?;
    Ok(Original {
        bytes,
        modified: meta.modified().ok(),
    })
}

/// The unified diff of `old` and `new`, labelled with `path`.
pub(crate) fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Fix one file. `write` false: only compute the diff.
pub(crate) fn fix_file(
    path: &Path,
    display: &str,
    options: &Options,
    unsafe_too: bool,
    write: bool,
    lang: Lang,
) -> FixOutcome {
    let fail = |message: String| FixOutcome::Failed {
        path: display.to_string(),
        message,
    };
    // Through a symbolic link, the file it points to: the temporary file is made beside it and
    // renamed over it, leaving the link a link (renaming over the link would replace it with a
    // regular file and leave its target unfixed).
    let real = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) => return fail(e.to_string()),
    };
    let original = match read_original(&real) {
        Ok(o) => o,
        Err(e) => return fail(e.to_string()),
    };
    // By the name given, as `check` reads it.
    let kind = crate::convert::kind_of(&original.bytes, Some(path));
    if !kind.is_text() {
        return FixOutcome::Refused {
            message: kind.not_writable(display, lang),
        };
    }
    let (bom, body) = match original.bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, original.bytes.as_slice()),
    };
    let Ok(text) = std::str::from_utf8(body) else {
        return fail(
            match lang {
                Lang::Zh => "不是 UTF-8 文本：fix 只改写 UTF-8 文件（check 可以读取其他编码）",
                Lang::En => {
                    "not UTF-8 text: fix only rewrites UTF-8 files (check reads other encodings)"
                }
            }
            .to_string(),
        );
    };
    let analysis = crate::analyze_with(text, options);
    if !analysis.is_report && !options.force {
        return FixOutcome::Skipped {
            path: display.to_string(),
        };
    }
    let (fixed, edits) = crate::fix::fix_text(text, options, unsafe_too);
    let remaining_errors = crate::analyze_with(&fixed, options)
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .count();
    if fixed == text {
        return FixOutcome::Unchanged { remaining_errors };
    }
    let diff = unified_diff(display, text, &fixed);
    if write {
        let mut bytes = Vec::with_capacity(fixed.len() + 3);
        if bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(fixed.as_bytes());
        if let Err(message) = write_atomically(&real, &bytes, &original, lang) {
            return fail(message);
        }
    }
    FixOutcome::Changed {
        path: display.to_string(),
        edits,
        diff,
        remaining_errors,
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename; unless
/// the file changed since it was read (`original`), then nothing is written.
fn write_atomically(
    path: &Path,
    bytes: &[u8],
    original: &Original,
    lang: Lang,
) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let temp: PathBuf = dir.join(format!(".{name}.nianbao-{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = std::fs::set_permissions(&temp, meta.permissions());
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(e.to_string());
    }
    // Just before the rename: is the file still what was read?
    let unchanged = match read_original(path) {
        Ok(now) => now.bytes == original.bytes && now.modified == original.modified,
        Err(_) => false,
    };
    if !unchanged {
        let _ = std::fs::remove_file(&temp);
        return Err(match lang {
            Lang::Zh => "文件在读取之后被修改过，未写入修复（请重新运行 nianbao fix）".to_string(),
            Lang::En => "the file changed after it was read; the fixes were not written (run nianbao fix again)".to_string(),
        });
    }
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        e.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_is_not_overwritten() {
        let dir = std::env::temp_dir().join(format!("nianbao-fix-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.md");
        std::fs::write(&path, "old").unwrap();
        let original = read_original(&path).unwrap();
        std::fs::write(&path, "changed meanwhile").unwrap();
        let err = write_atomically(&path, b"fixed", &original, Lang::En).unwrap_err();
        assert!(err.contains("changed"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "changed meanwhile");
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1);
        let original = read_original(&path).unwrap();
        write_atomically(&path, b"fixed", &original, Lang::En).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "fixed");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn diffs_are_unified() {
        let d = unified_diff("r.md", "a\nb\nc\n", "a\nB\nc\n");
        assert!(d.contains("--- a/r.md") && d.contains("+++ b/r.md"), "{d}");
        assert!(d.contains("-b\n+B\n"), "{d}");
    }
}
