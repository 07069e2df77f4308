//! The checker adapter: one document's snapshot analysed (on an analysis thread) with its
//! memo, then merged with what needs other documents — cross-document duplicates (open
//! documents first, then the workspace index) and the desk's names. The result is the one
//! store of that revision's findings ([`Analysed::findings`]).

use super::store::{Analysed, Snapshot};
use super::{State, desk, fault, sources};
use crate::analysis::rules::duplicate::ParagraphKey;
use crate::analysis::{self, Finding};
use crate::config::Settings;
use std::collections::HashMap;
use std::sync::Arc;

/// Analyse a snapshot (blocking; call from an analysis thread, `pool::run`).
pub(super) fn compute(
    state: &State,
    snap: &Snapshot,
    settings: &Settings,
    generation: u64,
) -> Arc<Analysed> {
    let text = snap.text.to_string_lossless();
    let started = std::time::Instant::now();
    // The document's memo makes this incremental. If another analysis of the same document
    // still holds it (a stale one finishing), don't wait: analyse from scratch.
    let mut analysis = match snap.memo.try_lock() {
        // A transcript the reporter opened is a source, not a draft.
        _ if sources::is_source_uri(state, &snap.uri) => analysis::Analysis::default(),
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
    // One store of findings: moved out of the analysis (whose `findings` is left empty).
    let mut findings = std::mem::take(&mut analysis.findings);
    if settings.duplicate_paragraph.cross_document {
        findings.extend(cross_document(state, snap, &analysis, settings, &text));
    }
    findings.extend(desk::findings(
        state,
        snap.uri.as_str(),
        &analysis.names,
        settings,
        &snap.desk,
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

/// Paragraphs of this document found in another one: open documents first (their current
/// text), then files on disk that are not open.
fn cross_document(
    state: &State,
    snap: &Snapshot,
    analysis: &analysis::Analysis,
    settings: &Settings,
    text: &str,
) -> Vec<Finding> {
    let (others, open) = {
        let store = state.store.lock().unwrap();
        (store.others(&snap.uri), store.open_uris())
    };
    let mut elsewhere: HashMap<u64, (&str, &ParagraphKey)> = HashMap::new();
    for (u, a) in &others {
        for k in &a.analysis.paragraphs {
            elsewhere.entry(k.key).or_insert((u.as_str(), k));
        }
    }
    let index = state.index.lock().unwrap();
    let this = snap.uri.as_str();
    analysis::rules::duplicate::cross_document_by(
        &analysis.paragraphs,
        |key| {
            elsewhere
                .get(&key)
                .copied()
                .or_else(|| index.find(key, |u| u == this || open.contains(u)))
        },
        settings,
        Some(text),
    )
}
