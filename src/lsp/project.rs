//! What the server knows of the project around the open documents: the `nianbao.toml` that
//! applies to each (read once, again when the client says it changed), and the reports in the
//! workspace folders that NB407 compares open documents with.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use tower_lsp_server::ls_types::Uri;

use crate::project::{absolute, discover, Loaded};
use crate::rules::consistency::CarryFacts;
use crate::Options;

/// At most this many files are read from the workspace folders, each at most this large.
const MAX_WORKSPACE_FILES: usize = 5000;
const MAX_FILE_BYTES: u64 = 4 << 20;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A file's path, for `file:` URIs.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| absolute(&p))
}

#[derive(Default)]
pub struct Project {
    /// Folder → the configuration that applies there (`None`: none).
    by_dir: Mutex<HashMap<PathBuf, Option<Arc<Loaded>>>>,
    /// Configuration file → its contents.
    by_path: Mutex<HashMap<PathBuf, Arc<Loaded>>>,
    /// The workspace folders.
    roots: Mutex<Vec<PathBuf>>,
    /// Reports on disk in the workspace: what NB407 needs of them.
    workspace: Mutex<HashMap<PathBuf, (Option<SystemTime>, CarryFacts)>>,
    /// What NB407 needs of each open document, as last analysed.
    open: Mutex<HashMap<Uri, CarryFacts>>,
}

impl Project {
    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        *lock(&self.roots) = roots;
    }

    pub fn roots(&self) -> Vec<PathBuf> {
        lock(&self.roots).clone()
    }

    /// The configuration for a file in `dir`; the flag says it was read just now.
    pub fn config_for_dir(&self, dir: &Path) -> (Option<Arc<Loaded>>, bool) {
        if let Some(found) = lock(&self.by_dir).get(dir) {
            return (found.clone(), false);
        }
        let mut fresh = false;
        let loaded = discover(dir).map(|path| {
            let mut by_path = lock(&self.by_path);
            by_path
                .entry(path.clone())
                .or_insert_with(|| {
                    fresh = true;
                    Arc::new(Loaded::read(&path))
                })
                .clone()
        });
        lock(&self.by_dir).insert(dir.to_path_buf(), loaded.clone());
        (loaded, fresh)
    }

    pub fn config_for_uri(&self, uri: &Uri) -> (Option<Arc<Loaded>>, bool) {
        match path_of(uri).as_deref().and_then(Path::parent) {
            Some(dir) => self.config_for_dir(dir),
            None => {
                // Unsaved documents: the first workspace folder's configuration.
                match self.roots().first() {
                    Some(root) => self.config_for_dir(root),
                    None => (None, false),
                }
            }
        }
    }

    /// Forget every configuration read (they changed on disk); returns the ones that were
    /// read, to clear what was published about them.
    pub fn forget_configs(&self) -> Vec<Arc<Loaded>> {
        lock(&self.by_dir).clear();
        lock(&self.by_path).drain().map(|(_, l)| l).collect()
    }

    /// The options for a document: the editor's settings over its configuration's. `None`
    /// when the configuration excludes it.
    pub fn options_for(
        &self,
        uri: &Uri,
        explicit: &Options,
    ) -> (Option<Options>, Option<Arc<Loaded>>, bool) {
        let (loaded, fresh) = self.config_for_uri(uri);
        let mut options = explicit.clone();
        if let Some(l) = &loaded {
            if let Some(path) = path_of(uri) {
                if l.excludes(&path) {
                    return (None, loaded, fresh);
                }
            }
            l.config.apply_to(&mut options, explicit);
        }
        (Some(options), loaded, fresh)
    }

    /// Record an open document's facts; whether they changed.
    pub fn set_open_facts(&self, uri: &Uri, facts: CarryFacts) -> bool {
        let mut open = lock(&self.open);
        let changed = open.get(uri) != Some(&facts);
        open.insert(uri.clone(), facts);
        changed
    }

    pub fn forget_open(&self, uri: &Uri) {
        lock(&self.open).remove(uri);
    }

    /// The open documents whose report is the year after `facts`' (they compare with it).
    pub fn successors(&self, facts: &CarryFacts) -> Vec<Uri> {
        let Some(year) = facts.year else {
            return Vec::new();
        };
        lock(&self.open)
            .iter()
            .filter(|(_, f)| f.year == Some(year + 1))
            .map(|(u, _)| u.clone())
            .collect()
    }

    /// The reports of `year` that `uri` is compared with: the other open documents, and the
    /// workspace's files that are not open.
    pub fn reports_of_year(&self, uri: &Uri, year: u16) -> Vec<CarryFacts> {
        let open = lock(&self.open);
        let open_paths: Vec<PathBuf> = open.keys().filter_map(path_of).collect();
        let mut out: Vec<CarryFacts> = open
            .iter()
            .filter(|(u, f)| *u != uri && f.year == Some(year))
            .map(|(_, f)| f.clone())
            .collect();
        let own = path_of(uri);
        out.extend(
            lock(&self.workspace)
                .iter()
                .filter(|(p, (_, f))| {
                    f.year == Some(year) && Some(*p) != own.as_ref() && !open_paths.contains(p)
                })
                .map(|(_, (_, f))| f.clone()),
        );
        out
    }

    /// Read (or re-read) one workspace file; whether what NB407 needs of it changed.
    pub fn index_file(&self, path: &Path, explicit: &Options) -> bool {
        let meta = std::fs::metadata(path).ok();
        let Some(meta) = meta.filter(|m| m.is_file() && m.len() <= MAX_FILE_BYTES) else {
            return lock(&self.workspace).remove(path).is_some();
        };
        let modified = meta.modified().ok();
        if let Some((m, _)) = lock(&self.workspace).get(path) {
            if *m == modified && modified.is_some() {
                return false;
            }
        }
        let Ok(bytes) = std::fs::read(path) else {
            return false;
        };
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let dir = path.parent().unwrap_or(Path::new("/"));
        let (loaded, _) = self.config_for_dir(dir);
        let mut options = Options {
            diagnostics_only: true,
            ..explicit.clone()
        };
        if let Some(l) = &loaded {
            if l.excludes(path) {
                return lock(&self.workspace).remove(path).is_some();
            }
            l.config.apply_to(&mut options, explicit);
        }
        let analysis = crate::analyze_with(text, &options);
        let mut workspace = lock(&self.workspace);
        if !analysis.is_report || analysis.carry.year.is_none() {
            return workspace.remove(path).is_some();
        }
        let facts = analysis.carry;
        let changed = workspace.get(path).map(|(_, f)| f) != Some(&facts);
        workspace.insert(path.to_path_buf(), (modified, facts));
        changed
    }

    /// Read every `*.md` and `*.txt` of the workspace folders (hidden folders skipped).
    pub fn index_workspace(&self, explicit: &Options) {
        let mut files = Vec::new();
        for root in self.roots() {
            collect(&root, &mut files, 0);
        }
        files.truncate(MAX_WORKSPACE_FILES);
        for f in files {
            self.index_file(&f, explicit);
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 12 || out.len() >= MAX_WORKSPACE_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "node_modules" || name == "target" {
            continue;
        }
        let path = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            collect(&path, out, depth + 1);
        } else if ft.is_file() {
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".md") || lower.ends_with(".txt") {
                out.push(path);
            }
        }
    }
}
