//! The session's life: `initialize` (capabilities, the first settings), `initialized`
//! (registrations, the client's settings, the background indexes), `shutdown`, and leaving
//! cleanly: the server stops on `exit`, when stdin closes (even while a request it sent to
//! the client is still waiting for an answer that will never come) and when the client
//! process is gone.

use super::{State, capabilities, configuration, desk, indexer, sources, watch};
use crate::config;
use serde_json::Value;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::Notify;
use tower::Service;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::*;

/// Set when the client sent `shutdown`; `exit` then exits 0, otherwise 1.
static SHUTDOWN_REQUESTED: AtomicBool = AtomicBool::new(false);

/// The exit code: 0 after a `shutdown`, 1 otherwise.
pub(super) fn exit_code() -> i32 {
    if SHUTDOWN_REQUESTED.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

pub(super) fn initialize(state: &State, params: InitializeParams) -> InitializeResult {
    let caps = capabilities::client_caps(&params.capabilities);
    let root = capabilities::workspace_root(&params);
    tracing::info!(
        encoding = caps.encoding.as_str(),
        pull = caps.pull,
        root = ?root,
        client = ?params.client_info.as_ref().map(|c| &c.name),
        "initialize"
    );
    let _ = state.caps.set(caps.clone());
    let _ = state.root.set(root.clone());
    let mut issues = Vec::new();
    {
        let mut s = state.settings.lock().unwrap();
        issues.extend(s.set_init(params.initialization_options.unwrap_or(Value::Null)));
        if let Some(path) = root.as_ref().map(|r| r.join(config::FILE_NAME)) {
            let src = std::fs::read_to_string(&path).ok();
            issues.extend(s.set_file(&path, src.as_deref()));
        }
    }
    // Messages to the user must wait until after `initialize` returns.
    let this_client = state.client.clone();
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
    InitializeResult {
        capabilities: capabilities::server_capabilities(&caps),
        server_info: Some(ServerInfo {
            name: "copydesk".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        offset_encoding: None,
    }
}

pub(super) async fn initialized(state: &Arc<State>) {
    let regs = capabilities::registrations(&state.caps());
    if !regs.is_empty()
        && let Err(e) = state.client.register_capability(regs).await
    {
        tracing::warn!("registering watchers failed: {e}");
    }
    let before = state.settings().0;
    configuration::pull_client_settings(state).await;
    // Where the sources are is known now: keep them out of the workspace index, and
    // index them in the background.
    sources::settings_changed(state);
    configuration::settings_changed_on(state, &before);
    watch::spawn(state);
    if desk::wants_index(&state.settings().0) {
        indexer::start_index(state);
    }
}

pub(super) fn shutdown() {
    SHUTDOWN_REQUESTED.store(true, Ordering::SeqCst);
    tracing::info!("shutdown");
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

/// Wraps the LSP service and signals when the `exit` notification arrives.
pub struct ExitWatch<S> {
    pub inner: S,
    pub stop: Arc<Notify>,
}

impl<S> Service<Request> for ExitWatch<S>
where
    S: Service<Request, Response = Option<Response>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == "exit" {
            self.stop.notify_one();
        }
        self.inner.call(req)
    }
}

/// Wraps stdin and signals end of input.
pub struct EofWatch<R> {
    pub inner: R,
    pub stop: Arc<Notify>,
}

impl<R: AsyncRead + Unpin> AsyncRead for EofWatch<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &r
            && buf.filled().len() == before
            && buf.remaining() > 0
        {
            self.stop.notify_one();
        }
        r
    }
}
