//! Finding and reading `nianbao.toml` for the command line: from each report's folder upwards,
//! or the one `--config` names. Parsing is the core's ([`crate::config::parse`]); this module
//! only reads files, caches them, and turns their problems into stderr lines.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::config::{self, Config, Problem};
use crate::text::{ColumnUnit, LineIndex};
use crate::{Lang, Options, Severity};

/// A configuration file, read and parsed.
#[derive(Debug)]
pub(crate) struct Loaded {
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
    pub(crate) fn read(path: &Path) -> Loaded {
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
    pub(crate) fn broken(&self) -> bool {
        self.unreadable.is_some() || self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// The problems as `path:line:col: message` lines.
    pub(crate) fn problem_lines(&self, lang: Lang) -> Vec<String> {
        let path = self.path.display();
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
    pub(crate) fn includes(&self, file: &Path) -> bool {
        self.config.filter().includes(&relative(&self.dir, file))
    }

    pub(crate) fn excludes(&self, file: &Path) -> bool {
        self.config.filter().excludes(&relative(&self.dir, file))
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `file` relative to `dir`, `/`-separated; the file's name alone when it is elsewhere.
fn relative(dir: &Path, file: &Path) -> String {
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
pub(crate) fn discover(dir: &Path) -> Option<PathBuf> {
    let dir = absolute(dir);
    dir.ancestors()
        .map(|d| d.join(config::FILE_NAME))
        .find(|p| p.is_file())
}

/// The configurations of a run: the one `--config` names, or each file's nearest one.
pub(crate) struct Configs {
    forced: Option<Arc<Loaded>>,
    by_dir: Mutex<HashMap<PathBuf, Option<Arc<Loaded>>>>,
    by_path: Mutex<HashMap<PathBuf, Arc<Loaded>>>,
}

impl Configs {
    pub(crate) fn new(forced: Option<&Path>) -> Configs {
        Configs {
            forced: forced.map(|p| Arc::new(Loaded::read(p))),
            by_dir: Mutex::new(HashMap::new()),
            by_path: Mutex::new(HashMap::new()),
        }
    }

    /// The configuration for files in `dir`.
    pub(crate) fn for_dir(&self, dir: &Path) -> Option<Arc<Loaded>> {
        if let Some(f) = &self.forced {
            return Some(f.clone());
        }
        let dir = absolute(dir);
        if let Some(found) = self.by_dir.lock().ok()?.get(&dir) {
            return found.clone();
        }
        let loaded = discover(&dir).map(|path| {
            let mut by_path = self.by_path.lock().unwrap_or_else(|e| e.into_inner());
            by_path
                .entry(path.clone())
                .or_insert_with(|| Arc::new(Loaded::read(&path)))
                .clone()
        });
        if let Ok(mut by_dir) = self.by_dir.lock() {
            by_dir.insert(dir, loaded.clone());
        }
        loaded
    }

    /// The configuration for a file.
    pub(crate) fn for_file(&self, file: &Path) -> Option<Arc<Loaded>> {
        let dir = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.for_dir(dir)
    }

    /// Every configuration read so far, each once, in path order.
    pub(crate) fn all(&self) -> Vec<Arc<Loaded>> {
        let mut out: Vec<Arc<Loaded>> = Vec::new();
        if let Some(f) = &self.forced {
            out.push(f.clone());
        }
        if let Ok(by_path) = self.by_path.lock() {
            out.extend(by_path.values().cloned());
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// The analysis options for a file: `explicit` (the command line's) over its configuration.
    pub(crate) fn options_for(&self, loaded: Option<&Loaded>, explicit: &Options) -> Options {
        let mut options = explicit.clone();
        if let Some(l) = loaded {
            l.config.apply_to(&mut options, explicit);
        }
        options
    }
}
