//! Diagnostics, pushed or pulled (never both, see `capabilities.rs`): scheduling analysis
//! off the message loop, the one publisher task (only current revisions, never older over
//! newer), `textDocument/diagnostic` for pull clients, and findings turned into diagnostics
//! with their related locations resolved (other open documents, the workspace index, the
//! sources).

use super::convert::{self, DiagnosticContext, OtherTexts};
use super::store::{Analysed, Snapshot};
use super::{State, analyse, pool};
use std::sync::Arc;
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::*;

/// What the publisher is told: a document, the revision and settings generation stored.
pub(super) type Published = (Uri, u64, u64);

/// An analysis's findings as diagnostics, in the client's encoding.
pub(super) fn of(state: &State, uri: &Uri, a: &Analysed) -> Vec<Diagnostic> {
    let caps = state.caps();
    let mut others = OtherTexts::new();
    let mut resolved = convert::ResolvedRanges::new();
    for f in &a.findings {
        for r in &f.related {
            if let Some(key) = &r.doc
                && !resolved.contains_key(&(key.clone(), r.span.clone()))
                && let Some(range) =
                    state
                        .index
                        .lock()
                        .unwrap()
                        .range_of(key, &r.span)
                        .or_else(|| {
                            state
                                .sources
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
                && let Some(s) = state.store.lock().unwrap().snapshot(&u)
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

/// Analyse a snapshot off the message loop and, in push mode, publish it.
pub(super) fn schedule(state: &Arc<State>, snap: Snapshot) {
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
            Some(analyse::compute(&st, &snap, &settings, generation))
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
pub(super) fn refresh_all(state: &Arc<State>) {
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
            schedule(state, s);
        }
    }
}

/// The analysis of the current revision, computing it (on an analysis thread) if needed.
/// Hover, code actions and pull diagnostics all read this one result.
pub(super) async fn current(state: &Arc<State>, uri: &Uri) -> Option<Arc<Analysed>> {
    let snap = {
        let store = state.store.lock().unwrap();
        if let Some(a) = store.current_result(uri) {
            return Some(a);
        }
        store.snapshot(uri)?
    };
    let (settings, generation) = state.settings();
    let st = state.clone();
    let a = pool::run(move || analyse::compute(&st, &snap, &settings, generation))
        .await
        .ok()?;
    state.store.lock().unwrap().store_result(uri, a.clone());
    Some(a)
}

/// The one publisher: publishes in order, only current revisions, never older over newer.
pub(super) fn spawn_publisher(
    state: Arc<State>,
    mut rx: mpsc::UnboundedReceiver<Published>,
    wire: super::wire::Wire,
) {
    tokio::spawn(async move {
        while let Some((uri, rev, generation)) = rx.recv().await {
            let claimed = {
                let mut store = state.store.lock().unwrap();
                store
                    .claim_publish(&uri, rev, generation)
                    .and_then(|v| store.current_result(&uri).map(|a| (v, a)))
            };
            let Some((version, a)) = claimed else {
                continue;
            };
            let diags = of(&state, &uri, &a);
            // Straight to bytes (`wire.rs`), not through a `serde_json::Value` tree.
            wire.notify(
                "textDocument/publishDiagnostics",
                &PublishDiagnosticsParams::new(uri, diags, Some(version)),
            );
        }
    });
}

/// `textDocument/diagnostic` (pull clients).
pub(super) async fn pull(
    state: &Arc<State>,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let uri = params.text_document.uri;
    let Some(a) = current(state, &uri).await else {
        return DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport::default(),
        ));
    };
    // The id covers everything the report says (revision, settings, findings from other
    // documents), so "unchanged" is only ever answered for an identical report.
    let items = of(state, &uri, &a);
    let result_id = format!(
        "{:016x}",
        crate::analysis::normalize::hash_str(&serde_json::to_string(&items).unwrap_or_default())
    );
    if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
        return DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
            RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id,
                },
            },
        ));
    }
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items,
            },
        },
    ))
}
