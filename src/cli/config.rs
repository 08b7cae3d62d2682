//! Which `nianbao.toml` applies to each file of a run: the one `--config` names, or the
//! nearest one from the file's folder upwards ([`crate::project`] reads them), each read once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::project::{absolute, discover, Loaded};
use crate::Options;

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
