//! Document sync: `didOpen`, `didChange`, `didSave`, `didClose` and watched-file changes.
//! Every change is applied to the store before the handler's first `.await`, so edits stay
//! in arrival order; analysis is then scheduled off the message loop (`diagnostics.rs`).

use super::store::Change;
use super::{State, configuration, convert, diagnostics, indexer, sources};
use crate::analysis::Format;
use crate::config;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tower_lsp_server::ls_types::*;

/// `copydesk.toml` is settings, not a draft.
pub(super) fn is_config_file(uri: &Uri) -> bool {
    uri.as_str().ends_with(&format!("/{}", config::FILE_NAME))
}

pub(super) fn did_open(state: &Arc<State>, params: DidOpenTextDocumentParams) {
    let d = params.text_document;
    if is_config_file(&d.uri) {
        // Settings, not a draft (VS Code syncs it as plain text): read from disk on save
        // and by the watch, never analysed.
        return;
    }
    let format = Format::from_language_id(&d.language_id);
    let snap = state
        .store
        .lock()
        .unwrap()
        .open(d.uri, &d.text, d.version, format);
    diagnostics::schedule(state, snap);
}

pub(super) fn did_change(state: &Arc<State>, params: DidChangeTextDocumentParams) {
    let enc = state.caps().encoding;
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
    let result =
        state
            .store
            .lock()
            .unwrap()
            .change(&uri, params.text_document.version, changes, enc);
    match result {
        Some((snap, notes)) => {
            for n in notes {
                tracing::warn!(uri = uri.as_str(), "{n}");
            }
            diagnostics::schedule(state, snap);
        }
        None => tracing::warn!(
            uri = uri.as_str(),
            "didChange for a document that is not open; ignored"
        ),
    }
}

pub(super) async fn did_save(state: &Arc<State>, params: DidSaveTextDocumentParams) {
    let uri = params.text_document.uri;
    if is_config_file(&uri) {
        configuration::reload_config(state).await;
        return;
    }
    if sources::file_changed(state, &uri) {
        return;
    }
    // The saved text is now the file on disk: other documents' cross-document findings
    // see it when it is closed.
    let snap = state.store.lock().unwrap().snapshot(&uri);
    if let Some(snap) = snap {
        indexer::reindex(
            state,
            &uri,
            Some((&snap.text.to_string_lossless(), snap.format)),
        );
    }
}

pub(super) async fn did_close(state: &Arc<State>, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    if is_config_file(&uri) {
        return;
    }
    let was_open = state.store.lock().unwrap().close(&uri);
    if was_open {
        // What is on disk stands for it from now on (unsaved edits are gone).
        indexer::reindex(state, &uri, None);
    }
    if was_open && !state.caps().pull {
        state
            .client
            .publish_diagnostics(uri, Vec::new(), None)
            .await;
    }
}

pub(super) async fn did_change_watched_files(
    state: &Arc<State>,
    params: DidChangeWatchedFilesParams,
) {
    if params.changes.iter().any(|c| is_config_file(&c.uri)) {
        configuration::reload_config(state).await;
    }
    let open = state.store.lock().unwrap().open_uris();
    let mut changed = false;
    let mut sources_changed = false;
    for c in &params.changes {
        if sources::is_source_uri(state, &c.uri) {
            sources_changed = true;
            continue;
        }
        if is_config_file(&c.uri) || open.contains(c.uri.as_str()) {
            continue;
        }
        if c.typ == FileChangeType::DELETED {
            if state.index_started.load(Ordering::SeqCst) {
                state.index.lock().unwrap().set(c.uri.as_str(), None);
                changed = true;
            }
        } else {
            indexer::reindex(state, &c.uri, None);
            changed = true;
        }
    }
    if sources_changed {
        sources::rebuild(state);
    }
    if changed {
        diagnostics::refresh_all(state);
    }
}
