//! The LSP glue: a document store, handlers, and conversion of findings to diagnostics and
//! code actions. All analysis is done by [`crate::analysis`], off the message loop.
//!
//! Ordering and freshness:
//! - every `didChange` is applied to the store synchronously, before the handler's first
//!   `.await`, so edits are applied in the order they arrive;
//! - analysis runs on a snapshot, on a fixed set of analysis threads (`pool.rs`); results are
//!   tagged with the document revision they were computed for and dropped when the document
//!   has moved on;
//! - pushed diagnostics go through one publisher task, which publishes a revision only if it
//!   is still current and newer than the last published one.

mod accept;
mod actions;
mod convert;
mod desk;
mod fault;
mod framing;
mod hover;
mod lifecycle;
mod pool;
mod settings;
mod sources;
mod store;
mod watch;
mod wire;
mod workspace;

use crate::analysis::rules::duplicate::ParagraphKey;
use crate::analysis::{self, Format};
use crate::config::{self, Settings};
use crate::text::Encoding;
use convert::{DiagnosticContext, OtherTexts};
use serde_json::Value;
use settings::SettingsState;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use store::{Analysed, Change, Snapshot, Store};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

/// Set when the client sent `shutdown`; `exit` then exits 0, otherwise 1.
static SHUTDOWN_REQUESTED: AtomicBool = AtomicBool::new(false);

pub use accept::APPLY_COMMAND;
pub const FIX_ALL_KIND: &str = "source.fixAll.copydesk";

/// What the client told us it can do, fixed at `initialize`.
#[derive(Clone, Debug, Default)]
struct ClientCaps {
    encoding: Encoding,
    pull: bool,
    related: bool,
    configuration: bool,
    watch_files_dynamic: bool,
    configuration_dynamic: bool,
    refresh_diagnostics: bool,
    work_done_progress: bool,
}

struct State {
    client: Client,
    store: Mutex<Store>,
    settings: Mutex<SettingsState>,
    caps: OnceLock<ClientCaps>,
    root: OnceLock<Option<PathBuf>>,
    /// With no workspace root: the `copydesk.toml` an accept wrote beside a draft.
    adopted_config: Mutex<Option<PathBuf>>,
    publish_tx: mpsc::UnboundedSender<(Uri, u64, u64)>,
    /// Paragraph keys of the workspace's files (cross-document duplicates).
    index: Mutex<workspace::WorkspaceIndex>,
    index_started: AtomicBool,
    /// The reporter's recordings (issue 15).
    sources: Mutex<sources::SourcesState>,
}

impl State {
    fn caps(&self) -> ClientCaps {
        self.caps.get().cloned().unwrap_or_default()
    }

    /// The current settings and their generation, read together.
    fn settings(&self) -> (Arc<Settings>, u64) {
        let s = self.settings.lock().unwrap().current();
        let s = self.sources.lock().unwrap().attach(s);
        let generation = self.store.lock().unwrap().generation();
        (s, generation)
    }

    fn root(&self) -> Option<PathBuf> {
        self.root.get().cloned().flatten()
    }

    /// The settings file: `copydesk.toml` at the workspace root, or with no root the one an
    /// accept wrote beside a draft.
    fn config_path(&self) -> Option<PathBuf> {
        self.root()
            .map(|r| r.join(config::FILE_NAME))
            .or_else(|| self.adopted_config.lock().unwrap().clone())
    }

    /// Analyse a snapshot (blocking; call from an analysis thread, `pool::run`).
    fn compute(&self, snap: &Snapshot, settings: &Settings, generation: u64) -> Arc<Analysed> {
        let text = snap.text.to_string_lossless();
        let started = std::time::Instant::now();
        // The document's memo makes this incremental. If another analysis of the same document
        // still holds it (a stale one finishing), don't wait: analyse from scratch.
        let analysis = match snap.memo.try_lock() {
            // A transcript the reporter opened is a source, not a draft.
            _ if sources::is_source_uri(self, &snap.uri) => analysis::Analysis::default(),
            Ok(mut memo) => {
                analysis::analyze_with_memo(&text, snap.format, settings, fault::rules(), &mut memo)
            }
            Err(std::sync::TryLockError::Poisoned(p)) => {
                let mut memo = p.into_inner();
                *memo = analysis::Memo::new();
                analysis::analyze_with_memo(&text, snap.format, settings, fault::rules(), &mut memo)
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                analysis::analyze_with(&text, snap.format, settings, fault::rules())
            }
        };
        for p in &analysis.problems {
            tracing::error!(uri = snap.uri.as_str(), rule = p.rule, "{}", p.message);
        }
        let mut findings = analysis.findings.clone();
        if settings.duplicate_paragraph.cross_document {
            let (others, open) = {
                let store = self.store.lock().unwrap();
                (store.others(&snap.uri), store.open_uris())
            };
            // Open documents first (their current text), then files on disk that are not open.
            let mut elsewhere: HashMap<u64, (&str, &ParagraphKey)> = HashMap::new();
            for (u, a) in &others {
                for k in &a.analysis.paragraphs {
                    elsewhere.entry(k.key).or_insert((u.as_str(), k));
                }
            }
            let index = self.index.lock().unwrap();
            let this = snap.uri.as_str();
            findings.extend(analysis::rules::duplicate::cross_document_by(
                &analysis.paragraphs,
                |key| {
                    elsewhere
                        .get(&key)
                        .copied()
                        .or_else(|| index.find(key, |u| u == this || open.contains(u)))
                },
                settings,
                Some(&text),
            ));
        }
        findings.extend(desk::findings(
            self,
            snap.uri.as_str(),
            &analysis.names,
            settings,
        ));
        tracing::debug!(
            uri = snap.uri.as_str(),
            rev = snap.rev,
            findings = findings.len(),
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "analysed"
        );
        Arc::new(Analysed {
            rev: snap.rev,
            generation,
            text: snap.text.clone(),
            analysis,
            findings,
        })
    }

    fn diagnostics(&self, uri: &Uri, a: &Analysed) -> Vec<Diagnostic> {
        let caps = self.caps();
        let mut others = OtherTexts::new();
        let mut resolved = convert::ResolvedRanges::new();
        for f in &a.findings {
            for r in &f.related {
                if let Some(key) = &r.doc
                    && !resolved.contains_key(&(key.clone(), r.span.clone()))
                    && let Some(range) =
                        self.index
                            .lock()
                            .unwrap()
                            .range_of(key, &r.span)
                            .or_else(|| {
                                self.sources
                                    .lock()
                                    .unwrap()
                                    .range_of(key, &r.span, caps.encoding)
                            })
                {
                    resolved.insert((key.clone(), r.span.clone()), range);
                }
                if let Some(key) = &r.doc
                    && !others.contains_key(key)
                    && let Ok(u) = key.parse::<Uri>()
                    && let Some(s) = self.store.lock().unwrap().snapshot(&u)
                {
                    others.insert(key.clone(), s.text);
                }
            }
        }
        let cx = DiagnosticContext {
            uri,
            text: &a.text,
            enc: caps.encoding,
            rev: a.rev,
            related_support: caps.related,
            others: &others,
            resolved: &resolved,
        };
        a.findings
            .iter()
            .enumerate()
            .map(|(i, f)| convert::diagnostic(&cx, i, f))
            .collect()
    }
}

/// Analyse a snapshot off the message loop and, in push mode, publish it.
fn schedule_on(state: &Arc<State>, snap: Snapshot) {
    if state.caps().pull {
        // Pull clients ask when they want diagnostics; analysis happens then.
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let st = state.clone();
        let uri = snap.uri.clone();
        let rev = snap.rev;
        let result = pool::run(move || {
            // Coalesce when an analysis thread takes the job: if newer edits arrived
            // meanwhile, their own job does the work.
            if st.store.lock().unwrap().current_rev(&snap.uri) != Some(snap.rev) {
                return None;
            }
            let (settings, generation) = st.settings();
            Some(st.compute(&snap, &settings, generation))
        })
        .await;
        match result {
            Ok(Some(a)) => {
                let generation = a.generation;
                if state.store.lock().unwrap().store_result(&uri, a) {
                    let _ = state.publish_tx.send((uri, rev, generation));
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(uri = uri.as_str(), "analysis task failed: {e}"),
        }
    });
}

/// Recompute every open document (settings or the workspace index changed).
fn refresh_all(state: &Arc<State>) {
    let snaps = {
        // Results computed before are no longer current.
        let mut store = state.store.lock().unwrap();
        store.new_generation();
        store.snapshots()
    };
    if state.caps().pull {
        if state.caps().refresh_diagnostics {
            let client = state.client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
        }
    } else {
        for s in snaps {
            schedule_on(state, s);
        }
    }
}

/// Build the workspace index in the background (once), reporting `$/progress`, then
/// recompute open documents so their cross-document findings include files not open.
fn start_index(state: &Arc<State>) {
    let Some(root) = state.root() else {
        return;
    };
    if state.index_started.swap(true, Ordering::SeqCst) {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let caps = state.caps();
        let token = NumberOrString::String("copydesk/workspace-index".into());
        let progress = if caps.work_done_progress
            && state
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_ok()
        {
            Some(
                state
                    .client
                    .progress(token, "copydesk: indexing the workspace")
                    .with_message("finding drafts")
                    .with_percentage(0)
                    .begin()
                    .await,
            )
        } else {
            None
        };
        let (tx, mut rx) = mpsc::unbounded_channel::<(usize, usize)>();
        let settings = state.settings().0;
        let st = state.clone();
        let started = std::time::Instant::now();
        let work = tokio::task::spawn_blocking(move || {
            let files = workspace::drafts(&root);
            let total = files.len();
            let mut last = std::time::Instant::now();
            let _ = tx.send((0, total));
            for (i, path) in files.iter().enumerate() {
                let Some(uri) = workspace::uri_of(path) else {
                    continue;
                };
                if sources::is_source_path(&st, path) {
                    continue;
                }
                let entry = workspace::index_file(path, &settings, caps.encoding);
                st.index.lock().unwrap().set(uri.as_str(), entry);
                if last.elapsed() >= std::time::Duration::from_millis(100) {
                    last = std::time::Instant::now();
                    let _ = tx.send((i + 1, total));
                }
            }
            total
        });
        while let Some((done, total)) = rx.recv().await {
            if let Some(p) = &progress {
                let pct = (done * 100).checked_div(total).unwrap_or(100) as u32;
                p.report_with_message(format!("{done}/{total} files"), pct)
                    .await;
            }
        }
        let total = work.await.unwrap_or(0);
        let indexed = state.index.lock().unwrap().len();
        tracing::info!(
            files = total,
            indexed,
            ms = started.elapsed().as_millis() as u64,
            "workspace indexed"
        );
        if let Some(p) = progress {
            p.finish_with_message(format!("{indexed} files indexed"))
                .await;
        }
        refresh_all(&state);
    });
}

/// Re-read one workspace file into the index (saved, closed, or changed on disk).
fn reindex(state: &Arc<State>, uri: &Uri, text: Option<(&str, Format)>) {
    if !state.index_started.load(Ordering::SeqCst) {
        return;
    }
    let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
        return;
    };
    if !workspace::is_draft(&path) || sources::is_source_path(state, &path) {
        return;
    }
    let settings = state.settings().0;
    let enc = state.caps().encoding;
    let entry = match text {
        Some((t, f)) => Some(workspace::index_text(t, f, &settings, enc)),
        None => workspace::index_file(&path, &settings, enc),
    };
    state.index.lock().unwrap().set(uri.as_str(), entry);
}

/// The settings file a change offered in the draft `uri` goes to: the workspace's, else
/// (no root) `copydesk.toml` beside the draft.
fn config_path_for(state: &State, uri: &Uri) -> Option<PathBuf> {
    state.config_path().or_else(|| {
        let draft = uri.to_file_path()?;
        Some(draft.parent()?.join(config::FILE_NAME))
    })
}

/// Settings may have changed: if they did, recompute everything.
fn settings_changed_on(state: &Arc<State>, before: &Settings) {
    let now = state.settings().0;
    if *now == *before {
        return;
    }
    if desk::wants_index(&now) {
        start_index(state);
    }
    sources::settings_changed(state);
    refresh_all(state);
}

async fn report_issues(state: &State, issues: Vec<(MessageType, String)>) {
    for (typ, msg) in issues {
        if typ == MessageType::ERROR {
            tracing::error!("{msg}");
        } else {
            tracing::warn!("{msg}");
        }
        state.client.show_message(typ, msg).await;
    }
}

/// Re-read `copydesk.toml` from disk (a text already seen changes nothing).
async fn reload_config(state: &Arc<State>) {
    let Some(path) = state.config_path() else {
        return;
    };
    let src = {
        let p = path.clone();
        tokio::task::spawn_blocking(move || std::fs::read_to_string(p).ok())
            .await
            .ok()
            .flatten()
    };
    let before = state.settings().0;
    let issues = state
        .settings
        .lock()
        .unwrap()
        .set_file(&path, src.as_deref());
    report_issues(state, issues).await;
    settings_changed_on(state, &before);
}

pub struct Backend {
    state: Arc<State>,
}

impl Backend {
    /// Analyse a snapshot off the message loop and, in push mode, publish it.
    fn schedule(&self, snap: Snapshot) {
        schedule_on(&self.state, snap);
    }

    /// The analysis of the current revision, computing it if needed.
    async fn current(&self, uri: &Uri) -> Option<Arc<Analysed>> {
        let snap = {
            let store = self.state.store.lock().unwrap();
            if let Some(a) = store.current_result(uri) {
                return Some(a);
            }
            store.snapshot(uri)?
        };
        let (settings, generation) = self.state.settings();
        let st = self.state.clone();
        let a = pool::run(move || st.compute(&snap, &settings, generation))
            .await
            .ok()?;
        self.state
            .store
            .lock()
            .unwrap()
            .store_result(uri, a.clone());
        Some(a)
    }

    fn settings_changed(&self, before: &Settings) {
        settings_changed_on(&self.state, before);
    }

    async fn report_settings_issues(&self, issues: Vec<(MessageType, String)>) {
        report_issues(&self.state, issues).await;
    }

    async fn reload_file(&self) {
        reload_config(&self.state).await;
    }

    async fn pull_client_settings(&self) {
        if !self.state.caps().configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("copydesk".into()),
        };
        match self.state.client.configuration(vec![item]).await {
            Ok(mut values) => {
                let v = values.pop().unwrap_or(Value::Null);
                let issues = self.state.settings.lock().unwrap().set_client(v);
                self.report_settings_issues(issues).await;
            }
            Err(e) => tracing::warn!("workspace/configuration failed: {e}"),
        }
    }

    fn fix_all_action(&self, uri: &Uri, a: &Analysed) -> Option<CodeAction> {
        let edits = analysis::safe_fix_edits(&a.findings);
        if edits.is_empty() {
            return None;
        }
        let enc = self.state.caps().encoding;
        Some(CodeAction {
            title: "Fix all copydesk problems that have a safe fix".into(),
            kind: Some(CodeActionKind::from(FIX_ALL_KIND)),
            edit: Some(convert::workspace_edit(
                uri,
                convert::text_edits(&a.text, &edits, enc, false),
            )),
            ..Default::default()
        })
    }
}

fn negotiate_encoding(caps: &ClientCapabilities) -> Encoding {
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.clone())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
        Encoding::Utf16
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

fn encoding_kind(e: Encoding) -> PositionEncodingKind {
    match e {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

fn client_caps(c: &ClientCapabilities) -> ClientCaps {
    let td = c.text_document.as_ref();
    let ws = c.workspace.as_ref();
    let refresh_diagnostics = ws
        .and_then(|w| w.diagnostics.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    // Pull only when the server can also ask the client to pull again (settings changed, a
    // name accepted): a pull client without refresh support (Neovim) would keep stale
    // diagnostics until the next keystroke, so it gets pushes instead. A
    // `textDocument/diagnostic` request is still answered if such a client sends one.
    let pull = td.and_then(|t| t.diagnostic.as_ref()).is_some() && refresh_diagnostics;
    let related = if pull {
        td.and_then(|t| t.diagnostic.as_ref())
            .and_then(|d| d.related_information)
            .unwrap_or(true)
    } else {
        td.and_then(|t| t.publish_diagnostics.as_ref())
            .and_then(|p| p.related_information)
            .unwrap_or(false)
    };
    ClientCaps {
        encoding: negotiate_encoding(c),
        pull,
        related,
        configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
        watch_files_dynamic: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        configuration_dynamic: ws
            .and_then(|w| w.did_change_configuration.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        refresh_diagnostics,
        work_done_progress: c
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
    }
}

#[allow(deprecated)]
fn workspace_root(p: &InitializeParams) -> Option<PathBuf> {
    p.workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .or_else(|| {
            p.root_uri
                .as_ref()
                .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
        })
        .or_else(|| p.root_path.as_ref().map(PathBuf::from))
}

fn is_config_file(uri: &Uri) -> bool {
    uri.as_str().ends_with(&format!("/{}", config::FILE_NAME))
}

/// Exit when the client process is gone (checked through /proc, on Linux).
fn watch_parent(pid: u32) {
    if !PathBuf::from("/proc/self").exists() {
        return;
    }
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            if !process_alive(pid) {
                tracing::warn!("client process {pid} is gone; exiting");
                std::process::exit(1);
            }
        }
    });
}

/// Is `pid` a live process? A zombie (dead, not yet reaped by its parent) still has a
/// `/proc` entry, so its state letter is read too.
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !matches!(
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.trim_start().chars().next()),
            Some('Z' | 'X')
        ),
        Err(_) => false,
    }
}

/// Params of [`framing::INVALID_MESSAGE`].
#[derive(serde::Deserialize)]
struct InvalidMessage {
    code: i64,
    message: String,
}

impl Backend {
    /// Stands in for a message that could not be read: answer with its error.
    async fn invalid_message(&self, p: InvalidMessage) -> Result<()> {
        Err(tower_lsp_server::jsonrpc::Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::from(p.code),
            message: p.message.into(),
            data: None,
        })
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = client_caps(&params.capabilities);
        let root = workspace_root(&params);
        tracing::info!(
            encoding = caps.encoding.as_str(),
            pull = caps.pull,
            root = ?root,
            client = ?params.client_info.as_ref().map(|c| &c.name),
            "initialize"
        );
        let _ = self.state.caps.set(caps.clone());
        let _ = self.state.root.set(root.clone());
        let mut issues = Vec::new();
        {
            let mut s = self.state.settings.lock().unwrap();
            issues.extend(s.set_init(params.initialization_options.unwrap_or(Value::Null)));
            if let Some(path) = root.as_ref().map(|r| r.join(config::FILE_NAME)) {
                let src = std::fs::read_to_string(&path).ok();
                issues.extend(s.set_file(&path, src.as_deref()));
            }
        }
        // Messages to the user must wait until after `initialize` returns.
        let this_client = self.state.client.clone();
        if !issues.is_empty() {
            tokio::spawn(async move {
                for (t, m) in issues {
                    this_client.show_message(t, m).await;
                }
            });
        }
        if let Some(pid) = params.process_id {
            watch_parent(pid);
        }
        let diagnostic_provider = caps.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("copydesk".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        });
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding_kind(caps.encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE_FIX_ALL,
                            CodeActionKind::from(FIX_ALL_KIND),
                        ]),
                        resolve_provider: Some(false),
                        work_done_progress_options: Default::default(),
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![APPLY_COMMAND.into()],
                    work_done_progress_options: Default::default(),
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                diagnostic_provider,
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "copydesk".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let caps = self.state.caps();
        let mut regs = Vec::new();
        if caps.watch_files_dynamic {
            regs.push(Registration {
                id: "copydesk-watch-config".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers: vec![
                        FileSystemWatcher {
                            glob_pattern: GlobPattern::String(format!("**/{}", config::FILE_NAME)),
                            kind: None,
                        },
                        // Drafts on disk, for the workspace index (cross-document copies).
                        FileSystemWatcher {
                            glob_pattern: GlobPattern::String(
                                "**/*.{md,markdown,mdown,mkd,txt,text}".into(),
                            ),
                            kind: None,
                        },
                        // Transcripts (the sources quotations are checked against).
                        FileSystemWatcher {
                            glob_pattern: GlobPattern::String("**/*.{vtt,srt}".into()),
                            kind: None,
                        },
                    ],
                })
                .ok(),
            });
        }
        if caps.configuration_dynamic {
            regs.push(Registration {
                id: "copydesk-config".into(),
                method: "workspace/didChangeConfiguration".into(),
                register_options: None,
            });
        }
        if !regs.is_empty()
            && let Err(e) = self.state.client.register_capability(regs).await
        {
            tracing::warn!("registering watchers failed: {e}");
        }
        let before = self.state.settings().0;
        self.pull_client_settings().await;
        // Where the sources are is known now: keep them out of the workspace index, and
        // index them in the background.
        sources::settings_changed(&self.state);
        self.settings_changed(&before);
        watch::spawn(&self.state);
        if desk::wants_index(&self.state.settings().0) {
            start_index(&self.state);
        }
    }

    async fn shutdown(&self) -> Result<()> {
        SHUTDOWN_REQUESTED.store(true, Ordering::SeqCst);
        tracing::info!("shutdown");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        if is_config_file(&d.uri) {
            // Settings, not a draft (VS Code syncs it as plain text): read from disk on save
            // and by the watch, never analysed.
            return;
        }
        let format = Format::from_language_id(&d.language_id);
        let snap = self
            .state
            .store
            .lock()
            .unwrap()
            .open(d.uri, &d.text, d.version, format);
        self.schedule(snap);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let enc = self.state.caps().encoding;
        let uri = params.text_document.uri;
        if is_config_file(&uri) {
            return;
        }
        let changes = params
            .content_changes
            .into_iter()
            .map(|c| Change {
                range: c
                    .range
                    .map(|r| (convert::pos(r.start), convert::pos(r.end))),
                text: c.text,
            })
            .collect();
        // Applied before any `.await`: edits stay in arrival order.
        let result = self.state.store.lock().unwrap().change(
            &uri,
            params.text_document.version,
            changes,
            enc,
        );
        match result {
            Some((snap, notes)) => {
                for n in notes {
                    tracing::warn!(uri = uri.as_str(), "{n}");
                }
                self.schedule(snap);
            }
            None => tracing::warn!(
                uri = uri.as_str(),
                "didChange for a document that is not open; ignored"
            ),
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if is_config_file(&uri) {
            self.reload_file().await;
            return;
        }
        if sources::file_changed(&self.state, &uri) {
            return;
        }
        // The saved text is now the file on disk: other documents' cross-document findings
        // see it when it is closed.
        let snap = self.state.store.lock().unwrap().snapshot(&uri);
        if let Some(snap) = snap {
            reindex(
                &self.state,
                &uri,
                Some((&snap.text.to_string_lossless(), snap.format)),
            );
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if is_config_file(&uri) {
            return;
        }
        let was_open = self.state.store.lock().unwrap().close(&uri);
        if was_open {
            // What is on disk stands for it from now on (unsaved edits are gone).
            reindex(&self.state, &uri, None);
        }
        if was_open && !self.state.caps().pull {
            self.state
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let before = self.state.settings().0;
        if self.state.caps().configuration {
            self.pull_client_settings().await;
        } else {
            let issues = self
                .state
                .settings
                .lock()
                .unwrap()
                .set_client(params.settings);
            self.report_settings_issues(issues).await;
        }
        self.settings_changed(&before);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params.changes.iter().any(|c| is_config_file(&c.uri)) {
            self.reload_file().await;
        }
        let open = self.state.store.lock().unwrap().open_uris();
        let mut changed = false;
        let mut sources_changed = false;
        for c in &params.changes {
            if sources::is_source_uri(&self.state, &c.uri) {
                sources_changed = true;
                continue;
            }
            if is_config_file(&c.uri) || open.contains(c.uri.as_str()) {
                continue;
            }
            if c.typ == FileChangeType::DELETED {
                if self.state.index_started.load(Ordering::SeqCst) {
                    self.state.index.lock().unwrap().set(c.uri.as_str(), None);
                    changed = true;
                }
            } else {
                reindex(&self.state, &c.uri, None);
                changed = true;
            }
        }
        if sources_changed {
            sources::rebuild(&self.state);
        }
        if changed {
            refresh_all(&self.state);
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(a) = self.current(&uri).await else {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport::default()),
            ));
        };
        // The id covers everything the report says (revision, settings, findings from other
        // documents), so "unchanged" is only ever answered for an identical report.
        let items = self.state.diagnostics(&uri, &a);
        let result_id = format!(
            "{:016x}",
            crate::analysis::normalize::hash_str(
                &serde_json::to_string(&items).unwrap_or_default()
            )
        );
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            }),
        ))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(a) = self.current(&uri).await else {
            return Ok(None);
        };
        let mut out = actions::quick_fixes(
            &self.state,
            &uri,
            &a,
            params.range,
            &params.context.diagnostics,
        );
        let wants_fix_all = match &params.context.only {
            None => true,
            Some(kinds) => kinds.iter().any(|k| {
                let k = k.as_str();
                k == "source" || k == "source.fixAll" || k == FIX_ALL_KIND
            }),
        };
        if let Some(only) = &params.context.only
            && !only
                .iter()
                .any(|k| k.as_str() == "quickfix" || k.as_str().is_empty())
        {
            out.clear();
        }
        if wants_fix_all && let Some(fa) = self.fix_all_action(&uri, &a) {
            out.push(CodeActionOrCommand::CodeAction(fa));
        }
        Ok(Some(out))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command == APPLY_COMMAND {
            return accept::execute(&self.state, &params.arguments).await;
        }
        Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
            "unknown command {}",
            params.command
        )))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let Some(a) = self.current(&uri).await else {
            return Ok(None);
        };
        let enc = self.state.caps().encoding;
        let pos = convert::pos(params.text_document_position_params.position);
        let (offset, _) = a.text.offset(pos, enc);
        let format = self
            .state
            .store
            .lock()
            .unwrap()
            .snapshot(&uri)
            .map(|s| s.format)
            .unwrap_or(Format::Plain);
        let (settings, _) = self.state.settings();
        let text = a.text.clone();
        let h = pool::run(move || {
            hover::name_hover(&text.to_string_lossless(), format, &settings, offset)
        })
        .await
        .ok()
        .flatten();
        let Some((span, markdown)) = h else {
            return Ok(None);
        };
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(convert::range(&a.text, &span, enc)),
        }))
    }
}

/// Serve LSP over stdin/stdout until `exit` or until stdin closes. Returns the exit code.
pub async fn run_stdio() -> i32 {
    let (publish_tx, mut publish_rx) = mpsc::unbounded_channel::<(Uri, u64, u64)>();
    let state_cell: Arc<OnceLock<Arc<State>>> = Arc::new(OnceLock::new());
    let cell = state_cell.clone();
    let (service, socket) = LspService::build(move |client| {
        let state = Arc::new(State {
            client,
            store: Mutex::new(Store::default()),
            settings: Mutex::new(SettingsState::default()),
            caps: OnceLock::new(),
            root: OnceLock::new(),
            adopted_config: Mutex::new(None),
            publish_tx,
            index: Default::default(),
            index_started: AtomicBool::new(false),
            sources: Default::default(),
        });
        let _ = cell.set(state.clone());
        Backend { state }
    })
    .custom_method(framing::INVALID_MESSAGE, Backend::invalid_message)
    .finish();
    let state = state_cell.get().cloned().expect("service built");
    let (wire, sink, writer) = wire::Wire::new(tokio::io::stdout());
    tokio::spawn(writer);
    let publish_wire = wire.clone();
    // The one publisher: publishes in order, only current revisions, never older over newer.
    tokio::spawn(async move {
        while let Some((uri, rev, generation)) = publish_rx.recv().await {
            let claimed = {
                let mut store = state.store.lock().unwrap();
                store
                    .claim_publish(&uri, rev, generation)
                    .and_then(|v| store.current_result(&uri).map(|a| (v, a)))
            };
            let Some((version, a)) = claimed else {
                continue;
            };
            let diags = state.diagnostics(&uri, &a);
            // Straight to bytes (`wire.rs`), not through a `serde_json::Value` tree.
            publish_wire.notify(
                "textDocument/publishDiagnostics",
                &PublishDiagnosticsParams::new(uri, diags, Some(version)),
            );
        }
    });
    let stop = Arc::new(tokio::sync::Notify::new());
    // Malformed input is answered with an error instead of ending the session.
    let (guarded, guard_in) = tokio::io::duplex(64 * 1024);
    let rt = tokio::runtime::Handle::current();
    std::thread::spawn(move || framing::guard(std::io::stdin().lock(), guard_in, rt));
    let stdin = lifecycle::EofWatch {
        inner: guarded,
        stop: stop.clone(),
    };
    let service = lifecycle::ExitWatch {
        inner: service,
        stop: stop.clone(),
    };
    let serve = Server::new(stdin, sink, socket).serve(service);
    tokio::select! {
        _ = serve => {}
        _ = async {
            stop.notified().await;
            // Let responses already produced reach the client, then leave even if a
            // request we sent is still unanswered.
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        } => {
            tracing::info!("exiting");
        }
    }
    wire.flushed().await;
    if SHUTDOWN_REQUESTED.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}
