//! Building and updating the workspace index (the data is `workspace.rs`): built once in the
//! background after `initialized`, on a blocking thread, reporting `$/progress`; one file
//! re-read on save, close and watched-file changes. Source files never enter it.

use super::{State, diagnostics, sources, workspace};
use crate::analysis::Format;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::*;

/// Build the workspace index in the background (once), reporting `$/progress`, then
/// recompute open documents so their cross-document findings include files not open.
pub(super) fn start_index(state: &Arc<State>) {
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
        let progress = if state.progress_allowed(&token).await {
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
                tracing::debug!(path = %path.display(), indexed = entry.is_some(), "index file");
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
        diagnostics::refresh_all(&state);
    });
}

/// Re-read one workspace file into the index (saved, closed, or changed on disk).
pub(super) fn reindex(state: &Arc<State>, uri: &Uri, text: Option<(&str, Format)>) {
    if !state.index_started.load(Ordering::SeqCst) {
        return;
    }
    let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
        return;
    };
    if !crate::drafts::is_draft(&path) || sources::is_source_path(state, &path) {
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
