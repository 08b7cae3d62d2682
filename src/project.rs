//! Project files as both adapters need them: finding `nianbao.toml` from a report's folder
//! upwards and reading it. The parsing is the core's ([`crate::config::parse`]); reading files
//! is the adapters' business, so it lives here and not in the core.

use std::path::{Path, PathBuf};

use crate::config::{self, Config, Problem};
use crate::text::{ColumnUnit, LineIndex};
use crate::{Lang, Severity};

/// A configuration file, read and parsed.
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    /// The folder include/exclude patterns are relative to.
    pub dir: PathBuf,
    pub config: Config,
    pub text: String,
    pub problems: Vec<Problem>,
    /// The file could not be read at all.
    pub unreadable: Option<String>,
}

impl Loaded {
    pub fn read(path: &Path) -> Loaded {
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
                let (config, problems) = config::parse(&text);
                Loaded {
                    path: path.to_path_buf(),
                    dir,
                    config,
                    text,
                    problems,
                    unreadable: None,
                }
            }
            Err(e) => Loaded {
                path: path.to_path_buf(),
                dir,
                config: Config::default(),
                text: String::new(),
                problems: Vec::new(),
                unreadable: Some(e.to_string()),
            },
        }
    }

    /// Whether any problem made the file (or part of it) unusable.
    pub fn broken(&self) -> bool {
        self.unreadable.is_some() || self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// The problems as `path:line:col: message` lines.
    pub fn problem_lines(&self, lang: Lang) -> Vec<String> {
        // Relative to the current folder when it is below it, as the reports' paths are.
        let shown = std::env::current_dir()
            .ok()
            .and_then(|cwd| self.path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| self.path.clone());
        let path = shown.display();
        if let Some(e) = &self.unreadable {
            return vec![match lang {
                Lang::Zh => format!("nianbao: 无法读取配置文件 {path}：{e}；使用默认设置"),
                Lang::En => format!(
                    "nianbao: cannot read the configuration {path}: {e}; the defaults apply"
                ),
            }];
        }
        let index = LineIndex::new(&self.text);
        self.problems
            .iter()
            .map(|p| {
                let at = index.position(&self.text, p.span.start, ColumnUnit::Char);
                let level = match (p.severity, lang) {
                    (Severity::Error, Lang::Zh) => "错误",
                    (Severity::Error, Lang::En) => "error",
                    (_, Lang::Zh) => "警告",
                    (_, Lang::En) => "warning",
                };
                format!(
                    "nianbao: {path}:{}:{}: {level}: {}",
                    at.line + 1,
                    at.col + 1,
                    p.message.get(lang)
                )
            })
            .collect()
    }

    /// Whether a file (found in a folder) is checked.
    pub fn includes(&self, file: &Path) -> bool {
        self.config.filter().includes(&relative(&self.dir, file))
    }

    pub fn excludes(&self, file: &Path) -> bool {
        self.config.filter().excludes(&relative(&self.dir, file))
    }
}

pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `file` relative to `dir`, `/`-separated; the file's name alone when it is elsewhere.
pub fn relative(dir: &Path, file: &Path) -> String {
    let (dir, file) = (absolute(dir), absolute(file));
    let rel = file
        .strip_prefix(&dir)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| file.file_name().map(PathBuf::from).unwrap_or_default());
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The nearest `nianbao.toml` in `dir` or a folder above it.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let dir = absolute(dir);
    dir.ancestors()
        .map(|d| d.join(config::FILE_NAME))
        .find(|p| p.is_file())
}
