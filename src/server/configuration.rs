//! Settings in the session: the client's (`workspace/configuration` or
//! `didChangeConfiguration`), `copydesk.toml` re-read from disk, problems reported to the
//! user once, and a real change re-analysing every open document. The layers themselves are
//! `settings.rs`; writing `copydesk.toml` is `accept.rs`.

use super::{State, desk, diagnostics, indexer, sources};
use crate::config::{self, Settings};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp_server::ls_types::*;

/// The settings file a change offered in the draft `uri` goes to: the workspace's, else
/// (no root) `copydesk.toml` beside the draft.
pub(super) fn config_path_for(state: &State, uri: &Uri) -> Option<PathBuf> {
    state.config_path().or_else(|| {
        let draft = uri.to_file_path()?;
        Some(draft.parent()?.join(config::FILE_NAME))
    })
}

/// Settings may have changed: if they did, recompute everything.
pub(super) fn settings_changed_on(state: &Arc<State>, before: &Settings) {
    let now = state.settings().0;
    if *now == *before {
        return;
    }
    if desk::wants_index(&now) {
        indexer::start_index(state);
    }
    sources::settings_changed(state);
    diagnostics::refresh_all(state);
}

/// Tell the user (and the log) about settings problems.
pub(super) async fn report_issues(state: &State, issues: Vec<(MessageType, String)>) {
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
pub(super) async fn reload_config(state: &Arc<State>) {
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

/// Ask the client for its settings (`workspace/configuration`), when it can answer.
pub(super) async fn pull_client_settings(state: &State) {
    if !state.caps().configuration {
        return;
    }
    let item = ConfigurationItem {
        scope_uri: None,
        section: Some("copydesk".into()),
    };
    match state.client.configuration(vec![item]).await {
        Ok(mut values) => {
            let v = values.pop().unwrap_or(Value::Null);
            let issues = state.settings.lock().unwrap().set_client(v);
            report_issues(state, issues).await;
        }
        Err(e) => tracing::warn!("workspace/configuration failed: {e}"),
    }
}

pub(super) async fn did_change_configuration(
    state: &Arc<State>,
    params: DidChangeConfigurationParams,
) {
    let before = state.settings().0;
    if state.caps().configuration {
        pull_client_settings(state).await;
    } else {
        let issues = state.settings.lock().unwrap().set_client(params.settings);
        report_issues(state, issues).await;
    }
    settings_changed_on(state, &before);
}
