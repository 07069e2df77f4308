//! The LSP glue: a document store, handlers, and conversion of findings to diagnostics and
//! code actions. All analysis is done by [`crate::analysis`], off the message loop.
//!
//! One file per concern; this file holds the shared [`State`], the `LanguageServer` impl
//! (each method hands over to its concern's file) and [`run_stdio`]:
//! - `lifecycle.rs` — initialize / initialized / shutdown / exit, the parent watch;
//! - `capabilities.rs` — client capabilities, what the server offers, registrations;
//! - `sync.rs` — document sync and watched files;
//! - `analyse.rs` — a snapshot analysed and merged with cross-document findings;
//! - `diagnostics.rs` — scheduling, the publisher (push), `textDocument/diagnostic` (pull);
//! - `actions.rs` — code actions, "fix all", `executeCommand` (`accept.rs` writes
//!   `copydesk.toml`);
//! - `hover.rs` — hover;
//! - `configuration.rs` — client settings and `copydesk.toml` re-reads (`settings.rs` holds
//!   the layers, `watch.rs` polls the file);
//! - `workspace.rs` + `indexer.rs` — the workspace index and its building; `desk.rs`,
//!   `sources.rs` — the desk's names and the reporter's recordings.
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
mod analyse;
mod capabilities;
mod configuration;
mod convert;
mod desk;
mod diagnostics;
mod fault;
mod framing;
mod hover;
mod indexer;
mod lifecycle;
mod pool;
mod settings;
mod sources;
mod store;
mod sync;
mod watch;
mod wire;
mod workspace;

use crate::config::{self, Settings};
use capabilities::ClientCaps;
use serde_json::Value;
use settings::SettingsState;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};
use store::Store;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

pub use actions::{APPLY_COMMAND, FIX_ALL_KIND};

struct State {
    client: Client,
    store: Mutex<Store>,
    settings: Mutex<SettingsState>,
    caps: OnceLock<ClientCaps>,
    root: OnceLock<Option<PathBuf>>,
    /// With no workspace root: the `copydesk.toml` an accept wrote beside a draft.
    adopted_config: Mutex<Option<PathBuf>>,
    publish_tx: mpsc::UnboundedSender<diagnostics::Published>,
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

    /// May `$/progress` be reported on `token`? Only if the client supports it and accepted
    /// the token (`window/workDoneProgress/create`).
    async fn progress_allowed(&self, token: &NumberOrString) -> bool {
        self.caps().work_done_progress
            && self
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_ok()
    }

    /// The settings file: `copydesk.toml` at the workspace root, or with no root the one an
    /// accept wrote beside a draft.
    fn config_path(&self) -> Option<PathBuf> {
        self.root()
            .map(|r| r.join(config::FILE_NAME))
            .or_else(|| self.adopted_config.lock().unwrap().clone())
    }
}

pub struct Backend {
    state: Arc<State>,
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
        Ok(lifecycle::initialize(&self.state, params))
    }

    async fn initialized(&self, _: InitializedParams) {
        lifecycle::initialized(&self.state).await;
    }

    async fn shutdown(&self) -> Result<()> {
        lifecycle::shutdown();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        sync::did_open(&self.state, params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        sync::did_change(&self.state, params);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        sync::did_save(&self.state, params).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        sync::did_close(&self.state, params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        configuration::did_change_configuration(&self.state, params).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        sync::did_change_watched_files(&self.state, params).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        Ok(diagnostics::pull(&self.state, params).await)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(actions::code_action(&self.state, params).await)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        actions::execute_command(&self.state, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(hover::hover(&self.state, params).await)
    }
}

/// Serve LSP over stdin/stdout until `exit` or until stdin closes. Returns the exit code.
pub async fn run_stdio() -> i32 {
    let (publish_tx, publish_rx) = mpsc::unbounded_channel::<diagnostics::Published>();
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
    diagnostics::spawn_publisher(state, publish_rx, wire.clone());
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
    lifecycle::exit_code()
}
