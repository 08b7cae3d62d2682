//! The server: the document store and the protocol handlers.
//!
//! Documents live in a `DashMap<Uri, Arc<Entry>>`; a map guard is only ever held long enough to
//! clone the entry's `Arc`, never across an `.await`. Each entry has a `std::sync::Mutex` around
//! its state (taken only in synchronous code) and a `tokio::sync::Mutex` that orders its
//! publications.
//!
//! Edits are applied in the `didChange` handler before its first `.await`, so they are applied
//! in the order the client sent them. Every edit (and every settings change) bumps the
//! document's generation; the analysis runs in a task that first yields, so a burst of edits
//! or a large paste ends up analysed once, on the latest text, and results for a superseded
//! generation are dropped instead of published. A document's publications never go back to an
//! older version.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use dashmap::DashMap;
use serde::Deserialize;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};
use tracing::{debug, error, info, warn};

use super::document::{Document, Encoding};
use super::features::{self, View};
use super::project::{path_of, Project};
use super::settings::{LintOn, Settings};
use crate::project::Loaded;
use crate::{Analysis, Lang};

/// The command returning the text of a new report: `nianbao.newReport`, argument
/// `{year, agency, kind}` (all optional; kind 部门, 人民政府 or 乡镇).
pub const NEW_REPORT_COMMAND: &str = "nianbao.newReport";

/// The language server. Build it with [`super::service`].
pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
}

struct Shared {
    docs: DashMap<Uri, Arc<Entry>>,
    config: RwLock<Arc<Config>>,
    shut_down: Arc<AtomicBool>,
    /// Notified after each publication: what tells the server it has gone idle (see
    /// [`super::set_idle_hook`]).
    activity: Arc<tokio::sync::Notify>,
    /// `nianbao.toml` files and the workspace's reports.
    project: Project,
}

#[derive(Clone, Debug, Default)]
struct Config {
    encoding: Encoding,
    locale: Option<String>,
    settings: Settings,
    /// Whether the client answers `workspace/configuration`.
    can_pull_configuration: bool,
    /// Whether the client takes file watchers registered at run time.
    can_watch_files: bool,
}

impl Config {
    /// The language: the editor's setting, else the project's, else the client's locale.
    fn lang_with(&self, project: Option<&Loaded>) -> Lang {
        match (
            self.settings.language,
            project.and_then(|l| l.config.language),
        ) {
            (Some(lang), _) | (None, Some(lang)) => lang,
            (None, None) => self.settings.lang(self.locale.as_deref()),
        }
    }
}

struct Entry {
    state: Mutex<DocState>,
    /// Held while deciding to publish and publishing, so publications keep their order.
    publish: tokio::sync::Mutex<()>,
}

struct DocState {
    doc: Document,
    version: i32,
    /// Markdown or plain text: the documents nianbao analyses.
    lintable: bool,
    /// Bumped by every edit and settings change.
    generation: u64,
    /// The analysis of generation `.0`.
    analysis: Option<(u64, Arc<Analysis>)>,
    /// The latest version whose diagnostics were published.
    published: Option<i32>,
    closed: bool,
    /// What the last analysis left to do: the NB407 facts changed (the next year's reports
    /// compare again), a configuration was read for the first time (its problems are shown).
    facts_changed: bool,
    fresh_config: Option<Arc<Loaded>>,
    /// The language of the document's project.
    lang: Lang,
}

impl DocState {
    /// The analysis of the current text, computed now if the cached one is stale: with the
    /// document's project configuration, and NB407 against the other reports the server knows.
    /// A panic in the core is caught and logged, and the document then has no findings.
    fn analysis(&mut self, shared: &Shared, uri: &Uri, config: &Config) -> Arc<Analysis> {
        if let Some((generation, analysis)) = &self.analysis {
            if *generation == self.generation {
                return analysis.clone();
            }
        }
        let (options, loaded, fresh) = shared.project.options_for(uri, &config.settings.options);
        self.lang = config.lang_with(loaded.as_deref());
        if fresh {
            self.fresh_config = loaded;
        }
        let analysis = match (self.lintable, options) {
            (true, Some(options)) => {
                let doc = &self.doc;
                match catch_unwind(AssertUnwindSafe(|| {
                    let mut analysis = doc.analyze(&options);
                    let changed = shared.project.set_open_facts(uri, analysis.carry.clone());
                    let year = analysis.carry.year.filter(|_| analysis.is_report);
                    if let (Some(year), Some(_)) = (year, &analysis.carry.carried_in) {
                        let others = shared.project.reports_of_year(uri, year.saturating_sub(1));
                        analysis.check_carry_over(doc.text(), others.iter(), &options);
                    }
                    (analysis, changed)
                })) {
                    Ok((analysis, changed)) => {
                        self.facts_changed |= changed;
                        analysis
                    }
                    Err(panic) => {
                        error!("analysis panicked: {}", panic_message(&panic));
                        Analysis::default()
                    }
                }
            }
            _ => Analysis::default(),
        };
        let analysis = Arc::new(analysis);
        self.analysis = Some((self.generation, analysis.clone()));
        analysis
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Whether a document is one nianbao analyses: Markdown or plain text.
fn is_lintable(language_id: &str, uri: &Uri) -> bool {
    let id = language_id.trim().to_ascii_lowercase();
    if matches!(
        id.as_str(),
        "markdown" | "plaintext" | "text" | "txt" | "nianbao" | ""
    ) {
        return true;
    }
    let path = uri
        .as_str()
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    [".md", ".markdown", ".txt"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// The year before the current one (UTC): the year a report written now is about.
pub fn last_year() -> u16 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    u16::try_from(year_of(secs) - 1).unwrap_or(2024)
}

/// The civil (UTC) year of a Unix time, by H. Hinnant's days-to-civil algorithm.
fn year_of(unix_seconds: u64) -> i64 {
    let z = (unix_seconds / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            shared: Arc::new(Shared {
                docs: DashMap::new(),
                config: RwLock::new(Arc::new(Config::default())),
                shut_down: Arc::new(AtomicBool::new(false)),
                activity: Arc::new(tokio::sync::Notify::new()),
                project: Project::default(),
            }),
        }
    }

    /// Set once the client asked the server to shut down (so `exit` is a clean exit).
    pub fn shutdown_flag(&self) -> Arc<AtomicBool> {
        self.shared.shut_down.clone()
    }

    /// Notified after each publication of a document's diagnostics.
    pub fn activity(&self) -> Arc<tokio::sync::Notify> {
        self.shared.activity.clone()
    }

    fn config(&self) -> Arc<Config> {
        self.shared.config()
    }

    fn entry(&self, uri: &Uri) -> Option<Arc<Entry>> {
        let entry = self.shared.docs.get(uri).map(|e| e.value().clone());
        if entry.is_none() {
            debug!("request for a document that is not open: {}", uri.as_str());
        }
        entry
    }

    /// Run `f` on an open, analysable document and its current analysis; `None` for unknown
    /// documents and when `f` panics (logged).
    fn with_view<R>(&self, uri: &Uri, what: &str, f: impl FnOnce(&View) -> R) -> Option<R> {
        let entry = self.entry(uri)?;
        let config = self.config();
        let mut state = lock(&entry.state);
        if state.closed || !state.lintable {
            return None;
        }
        let analysis = state.analysis(&self.shared, uri, &config);
        let view = View {
            uri,
            version: state.version,
            doc: &state.doc,
            analysis: &analysis,
            encoding: config.encoding,
            lang: state.lang,
        };
        match catch_unwind(AssertUnwindSafe(|| f(&view))) {
            Ok(r) => Some(r),
            Err(panic) => {
                error!(
                    "{what} panicked on {}: {}",
                    uri.as_str(),
                    panic_message(&panic)
                );
                None
            }
        }
    }

    /// Analyse `entry` as of `generation` and publish its diagnostics, in a task of its own.
    fn spawn_refresh(&self, uri: Uri, entry: Arc<Entry>, generation: u64) {
        let client = self.client.clone();
        let shared = self.shared.clone();
        tokio::spawn(refresh(client, shared, uri, entry, generation));
    }

    /// Bump every open document's generation and publish its diagnostics again (settings
    /// changed).
    fn republish_all(&self) {
        republish(&self.client, &self.shared, None);
    }

    /// Publish the problems of a configuration file on it (none clears them).
    async fn publish_config(&self, loaded: &Loaded, clear: bool) {
        publish_config(&self.client, &self.shared, loaded, clear).await;
    }

    fn apply_settings(&self, value: &Value) {
        let settings = Settings::from_json(value);
        info!(
            "settings: lintOn {:?}, language {:?}, {} rule overrides",
            settings.lint_on,
            settings.language,
            settings.options.severity.len()
        );
        let mut config = (*self.config()).clone();
        config.settings = settings;
        self.shared.set_config(config);
    }

    /// The `nianbao/status` request: what the editor's status bar shows.
    pub async fn status(&self, params: StatusParams) -> Result<Value> {
        let analysis = self.with_view(&params.uri, "status", |view| view.analysis.clone());
        Ok(features::status(analysis.as_ref()))
    }
}

/// Parameters of `nianbao/status`.
#[derive(Debug, Deserialize)]
pub struct StatusParams {
    pub uri: Uri,
}

impl Shared {
    fn config(&self) -> Arc<Config> {
        self.config
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
    fn set_config(&self, config: Config) {
        *self.config.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(config);
    }
}

async fn refresh(
    client: Client,
    shared: Arc<Shared>,
    uri: Uri,
    entry: Arc<Entry>,
    generation: u64,
) {
    // Let the edits already on their way land first: only the latest generation is analysed.
    tokio::task::yield_now().await;
    let (version, diagnostics, facts, fresh_config) = {
        let mut state = lock(&entry.state);
        if state.closed || state.generation != generation || !state.lintable {
            return;
        }
        let config = shared.config();
        let analysis = state.analysis(&shared, &uri, &config);
        let facts = std::mem::take(&mut state.facts_changed).then(|| analysis.carry.clone());
        let fresh_config = state.fresh_config.take();
        let view = View {
            uri: &uri,
            version: state.version,
            doc: &state.doc,
            analysis: &analysis,
            encoding: config.encoding,
            lang: state.lang,
        };
        let diagnostics = match catch_unwind(AssertUnwindSafe(|| features::diagnostics(&view))) {
            Ok(diagnostics) => diagnostics,
            Err(panic) => {
                error!(
                    "diagnostics panicked on {}: {}",
                    uri.as_str(),
                    panic_message(&panic)
                );
                Vec::new()
            }
        };
        (state.version, diagnostics, facts, fresh_config)
    };
    if let Some(loaded) = fresh_config {
        publish_config(&client, &shared, &loaded, false).await;
    }
    if let Some(facts) = facts {
        // The next year's open reports compare their carried-in applications with this one.
        let successors: Vec<Uri> = shared
            .project
            .successors(&facts)
            .into_iter()
            .filter(|u| *u != uri)
            .collect();
        if !successors.is_empty() {
            republish(&client, &shared, Some(&successors));
        }
    }
    let _order = entry.publish.lock().await;
    {
        let mut state = lock(&entry.state);
        if state.closed || state.generation != generation {
            debug!(
                "dropping diagnostics of superseded version {version} of {}",
                uri.as_str()
            );
            return;
        }
        if state.published.is_some_and(|p| p > version) {
            return;
        }
        state.published = Some(version);
    }
    client
        .publish_diagnostics(uri, diagnostics, Some(version))
        .await;
    shared.activity.notify_one();
}

/// Analyse again and publish the open documents (`only` these, or all).
fn republish(client: &Client, shared: &Arc<Shared>, only: Option<&[Uri]>) {
    let entries: Vec<(Uri, Arc<Entry>)> = shared
        .docs
        .iter()
        .filter(|e| only.is_none_or(|only| only.contains(e.key())))
        .map(|e| (e.key().clone(), e.value().clone()))
        .collect();
    for (uri, entry) in entries {
        let generation = {
            let mut state = lock(&entry.state);
            state.generation += 1;
            state.analysis = None;
            state.generation
        };
        tokio::spawn(refresh(
            client.clone(),
            shared.clone(),
            uri,
            entry,
            generation,
        ));
    }
}

/// Publish a configuration file's problems on it; `clear` publishes none (it was replaced).
async fn publish_config(client: &Client, shared: &Shared, loaded: &Loaded, clear: bool) {
    let Some(uri) = Uri::from_file_path(&loaded.path) else {
        return;
    };
    let config = shared.config();
    let lang = config.lang_with(Some(loaded));
    let doc = Document::new(&loaded.text);
    let mut diagnostics = Vec::new();
    if !clear {
        if let Some(e) = &loaded.unreadable {
            diagnostics.push(tower_lsp_server::ls_types::Diagnostic {
                range: Range::default(),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("nianbao".into()),
                message: e.to_string(),
                ..Default::default()
            });
        }
        for p in &loaded.problems {
            diagnostics.push(tower_lsp_server::ls_types::Diagnostic {
                range: doc.range_of(p.span, config.encoding),
                severity: Some(match p.severity {
                    crate::Severity::Error => DiagnosticSeverity::ERROR,
                    crate::Severity::Warning => DiagnosticSeverity::WARNING,
                    crate::Severity::Info => DiagnosticSeverity::INFORMATION,
                }),
                source: Some("nianbao".into()),
                message: p.message.get(lang).to_string(),
                ..Default::default()
            });
        }
    }
    client.publish_diagnostics(uri, diagnostics, None).await;
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
        let encoding = if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let can_pull_configuration = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        let can_watch_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let settings = params
            .initialization_options
            .as_ref()
            .map(Settings::from_json);
        self.shared.set_config(Config {
            encoding,
            locale: params.locale.clone(),
            settings: settings.unwrap_or_default(),
            can_pull_configuration,
            can_watch_files,
        });
        #[allow(deprecated)]
        let mut roots: Vec<std::path::PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| path_of(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            roots.extend(params.root_uri.as_ref().and_then(path_of));
        }
        self.shared.project.set_roots(roots);
        info!(
            "initialize: client {}, encoding {encoding:?}, locale {:?}",
            params
                .client_info
                .as_ref()
                .map(|c| c.name.as_str())
                .unwrap_or("unknown"),
            params.locale
        );
        let position_encoding = match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        };
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(position_encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        will_save: None,
                        will_save_wait_until: None,
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["、".to_string(), "|".to_string()]),
                    ..CompletionOptions::default()
                }),
                document_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(features::INSERT),
                            CodeActionKind::new(features::FIX_ALL),
                        ]),
                        resolve_provider: Some(false),
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    },
                )),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![NEW_REPORT_COMMAND.to_string()],
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "nianbao".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        info!("initialized");
        if self.config().can_watch_files {
            let watchers = ["**/nianbao.toml", "**/*.md", "**/*.txt"]
                .iter()
                .map(|g| FileSystemWatcher {
                    glob_pattern: GlobPattern::String((*g).to_string()),
                    kind: None,
                })
                .collect();
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "nianbao-watch".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(err) = self.client.register_capability(vec![registration]).await {
                warn!("cannot watch nianbao.toml: {err}");
            }
        }
        // The workspace's reports, for NB407: read in the background, then compare.
        if !self.shared.project.roots().is_empty() {
            let shared = self.shared.clone();
            let client = self.client.clone();
            tokio::spawn(async move {
                let explicit = shared.config().settings.options.clone();
                let indexer = shared.clone();
                let _ =
                    tokio::task::spawn_blocking(move || indexer.project.index_workspace(&explicit))
                        .await;
                republish(&client, &shared, None);
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        info!("shutdown");
        self.shared.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let TextDocumentItem {
            uri,
            language_id,
            version,
            text,
        } = params.text_document;
        let lintable = is_lintable(&language_id, &uri);
        let doc = match catch_unwind(|| Document::new(&text)) {
            Ok(doc) => doc,
            Err(panic) => {
                error!(
                    "lexing {} panicked: {}",
                    uri.as_str(),
                    panic_message(&panic)
                );
                return;
            }
        };
        debug!(
            "open {} ({language_id}, version {version}, {} bytes)",
            uri.as_str(),
            text.len()
        );
        let entry = Arc::new(Entry {
            state: Mutex::new(DocState {
                doc,
                version,
                lintable,
                generation: 1,
                analysis: None,
                published: None,
                closed: false,
                facts_changed: false,
                fresh_config: None,
                lang: Lang::default(),
            }),
            publish: tokio::sync::Mutex::new(()),
        });
        if let Some(old) = self.shared.docs.insert(uri.clone(), entry.clone()) {
            warn!(
                "{} opened twice; the new text replaces the old",
                uri.as_str()
            );
            lock(&old.state).closed = true;
        }
        if lintable {
            self.spawn_refresh(uri, entry, 1);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some(entry) = self.entry(&uri) else {
            warn!(
                "didChange for a document that is not open: {}",
                uri.as_str()
            );
            return;
        };
        let config = self.config();
        let generation = {
            let mut state = lock(&entry.state);
            let version = params.text_document.version;
            if version <= state.version {
                warn!(
                    "{}: version {version} after {}",
                    uri.as_str(),
                    state.version
                );
            }
            let doc = &mut state.doc;
            let applied = catch_unwind(AssertUnwindSafe(|| {
                for change in &params.content_changes {
                    doc.apply_change(change.range, &change.text, config.encoding);
                }
            }));
            if let Err(panic) = applied {
                error!(
                    "applying an edit to {} panicked: {}",
                    uri.as_str(),
                    panic_message(&panic)
                );
                // Start again from the rope's text, whatever state the lines are in.
                let text = state.doc.rope().to_string();
                match catch_unwind(|| Document::new(&text)) {
                    Ok(doc) => state.doc = doc,
                    Err(_) => state.lintable = false,
                }
            }
            state.version = version;
            state.generation += 1;
            state.analysis = None;
            state.generation
        };
        if config.settings.lint_on == LintOn::Type {
            self.spawn_refresh(uri, entry, generation);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some(entry) = self.entry(&uri) else {
            warn!("didSave for a document that is not open: {}", uri.as_str());
            return;
        };
        let config = self.config();
        let (generation, stale) = {
            let state = lock(&entry.state);
            (state.generation, state.published != Some(state.version))
        };
        if config.settings.lint_on == LintOn::Save || stale {
            self.spawn_refresh(uri, entry, generation);
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some((_, entry)) = self.shared.docs.remove(&uri) else {
            warn!("didClose for a document that is not open: {}", uri.as_str());
            return;
        };
        lock(&entry.state).closed = true;
        self.shared.project.forget_open(&uri);
        let _order = entry.publish.lock().await;
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut configs_changed = false;
        let mut reports_changed = false;
        let explicit = self.config().settings.options.clone();
        for change in &params.changes {
            let Some(path) = path_of(&change.uri) else {
                continue;
            };
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if name == crate::config::FILE_NAME {
                configs_changed = true;
            } else if name.ends_with(".md") || name.ends_with(".txt") {
                reports_changed |= self.shared.project.index_file(&path, &explicit);
            }
        }
        if configs_changed {
            info!("nianbao.toml changed: reloading");
            for old in self.shared.project.forget_configs() {
                self.publish_config(&old, true).await;
            }
            // Show the new files' problems even when no open document uses them.
            for change in &params.changes {
                let Some(path) = path_of(&change.uri) else {
                    continue;
                };
                if path
                    .file_name()
                    .is_some_and(|n| n == crate::config::FILE_NAME)
                    && path.is_file()
                {
                    let dir = path.parent().unwrap_or(std::path::Path::new("/"));
                    if let (Some(loaded), _) = self.shared.project.config_for_dir(dir) {
                        self.publish_config(&loaded, false).await;
                    }
                }
            }
        }
        if configs_changed || reports_changed {
            self.republish_all();
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let mut value = params.settings;
        let empty = value.is_null() || value.as_object().is_some_and(|o| o.is_empty());
        if empty && self.config().can_pull_configuration {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some("nianbao".to_string()),
            };
            match self.client.configuration(vec![item]).await {
                Ok(values) => value = values.into_iter().next().unwrap_or(Value::Null),
                Err(err) => warn!("workspace/configuration failed: {err}"),
            }
        }
        self.apply_settings(&value);
        self.republish_all();
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        Ok(self
            .with_view(&p.text_document.uri, "hover", |view| {
                features::hover(view, p.position)
            })
            .flatten())
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        Ok(self
            .with_view(&p.text_document.uri, "completion", |view| {
                features::completion(view, p.position)
            })
            .flatten()
            .map(CompletionResponse::Array))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self
            .with_view(
                &params.text_document.uri,
                "documentSymbol",
                features::document_symbols,
            )
            .map(DocumentSymbolResponse::Nested))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(self.with_view(
            &params.text_document.uri,
            "foldingRange",
            features::folding_ranges,
        ))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        Ok(
            self.with_view(&params.text_document.uri, "inlayHint", |view| {
                features::inlay_hints(view, params.range)
            }),
        )
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let only = params.context.only.as_deref();
        let year = last_year();
        Ok(
            self.with_view(&params.text_document.uri, "codeAction", |view| {
                features::code_actions(view, params.range, only, year)
            }),
        )
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command != NEW_REPORT_COMMAND {
            warn!("unknown command {}", params.command);
            return Err(Error::invalid_params(format!(
                "unknown command {}",
                params.command
            )));
        }
        let arg = params.arguments.first();
        let year = arg
            .and_then(|a| a.get("year"))
            .and_then(|y| {
                y.as_u64()
                    .or_else(|| y.as_str().and_then(|s| s.trim().parse().ok()))
            })
            .and_then(|y| u16::try_from(y).ok())
            .filter(|y| (2000..=2200).contains(y))
            .unwrap_or_else(last_year);
        let agency = arg
            .and_then(|a| a.get("agency"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let kind = arg
            .and_then(|a| a.get("kind"))
            .and_then(Value::as_str)
            .and_then(crate::AgencyKind::parse)
            .or_else(|| crate::report::agency::kind_of(agency));
        match catch_unwind(|| crate::fix::new_report_for(year, agency, kind)) {
            Ok(text) => Ok(Some(Value::String(text))),
            Err(panic) => {
                error!("new_report panicked: {}", panic_message(&panic));
                Err(Error::internal_error())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_years() {
        assert_eq!(year_of(0), 1970);
        assert_eq!(year_of(951_782_399), 2000); // 2000-02-28T23:59:59Z
        assert_eq!(year_of(1_704_067_199), 2023); // 2023-12-31T23:59:59Z
        assert_eq!(year_of(1_704_067_200), 2024); // 2024-01-01T00:00:00Z
        assert_eq!(year_of(1_709_164_800), 2024); // 2024-02-29
        assert!(last_year() >= 2024);
    }

    #[test]
    fn lintable_documents() {
        let uri = |s: &str| s.parse::<Uri>().unwrap();
        assert!(is_lintable("markdown", &uri("file:///a/b.md")));
        assert!(is_lintable("plaintext", &uri("untitled:Untitled-1")));
        assert!(is_lintable("", &uri("file:///a/b.txt")));
        assert!(is_lintable("unknown", &uri("file:///a/B.TXT")));
        assert!(!is_lintable("rust", &uri("file:///a/main.rs")));
    }
}
