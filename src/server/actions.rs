//! The quick fixes of a `textDocument/codeAction` request: one entry per distinct fix, the
//! diagnostic under the cursor first, and titles that say which occurrence a fix is for when
//! two entries would otherwise read alike ("Change to ‘Ferreira’ (line 7, column 27)").
//!
//! Neovim sends every diagnostic on the cursor's line; two findings on a line often offer the
//! same fix (one "Accept ‘Y’", one "Delete the 3 repeated paragraphs"), which used to be
//! listed once per finding.
//!
//! Also "fix all" (`source.fixAll.copydesk`: only safe fixes) and `workspace/executeCommand`.
//! Everything here reads the analysis of the current revision (`diagnostics::current`).

use super::store::Analysed;
use super::{State, accept, convert, diagnostics};
use crate::analysis;
use crate::text::Encoding;
use convert::DiagnosticData;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

pub use accept::APPLY_COMMAND;
pub const FIX_ALL_KIND: &str = "source.fixAll.copydesk";

/// `textDocument/codeAction`: the quick fixes asked for, then "fix all" when wanted.
pub(super) async fn code_action(
    state: &Arc<State>,
    params: CodeActionParams,
) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    let a = diagnostics::current(state, &uri).await?;
    let mut out = quick_fixes(state, &uri, &a, params.range, &params.context.diagnostics);
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
    if wants_fix_all && let Some(fa) = fix_all_action(state, &uri, &a) {
        out.push(CodeActionOrCommand::CodeAction(fa));
    }
    Some(out)
}

/// Every safe fix at once (exact duplicates), never overlapping edits.
fn fix_all_action(state: &State, uri: &Uri, a: &Analysed) -> Option<CodeAction> {
    let edits = analysis::safe_fix_edits(&a.findings);
    if edits.is_empty() {
        return None;
    }
    let enc = state.caps().encoding;
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

/// `workspace/executeCommand`: only [`APPLY_COMMAND`].
pub(super) async fn execute_command(
    state: &Arc<State>,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    if params.command == APPLY_COMMAND {
        return accept::execute(state, &params.arguments).await;
    }
    Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
        "unknown command {}",
        params.command
    )))
}

/// The findings a request is about: those of the diagnostics the client sent (of the current
/// revision), or with none sent, those overlapping the range. Each with its diagnostic.
fn candidates(
    state: &State,
    uri: &Uri,
    a: &Analysed,
    range: Range,
    sent: &[Diagnostic],
) -> Vec<(usize, Diagnostic)> {
    let mut out: Vec<(usize, Diagnostic)> = Vec::new();
    for d in sent {
        if d.source.as_deref() != Some(convert::SOURCE) {
            continue;
        }
        let Some(data) = d
            .data
            .clone()
            .and_then(|v| serde_json::from_value::<DiagnosticData>(v).ok())
        else {
            continue;
        };
        if data.rev != a.rev {
            // Made for another version of the document: no edit rather than a wrong one.
            tracing::debug!(uri = uri.as_str(), "code action for a stale diagnostic");
            continue;
        }
        if data.index < a.findings.len() && !out.iter().any(|(i, _)| *i == data.index) {
            out.push((data.index, d.clone()));
        }
    }
    if sent.is_empty() {
        let enc = state.caps().encoding;
        let diags = diagnostics::of(state, uri, a);
        for (i, f) in a.findings.iter().enumerate() {
            let r = convert::range(&a.text, &f.span, enc);
            if r.start <= range.end && range.start <= r.end {
                out.push((i, diags[i].clone()));
            }
        }
    }
    // The one under the cursor first, then by distance from it (a stable sort: ties keep the
    // client's order).
    let at = range.start;
    out.sort_by_key(|(_, d)| distance(&d.range, at));
    out
}

/// 0 when `r` holds `at`; else how far it is (lines first, then characters).
fn distance(r: &Range, at: Position) -> (u32, u32) {
    if r.start <= at && at <= r.end {
        return (0, 0);
    }
    let (near, far) = if at < r.start {
        (r.start, at)
    } else {
        (at, r.end)
    };
    (
        1 + near.line.abs_diff(far.line),
        near.character.abs_diff(far.character),
    )
}

/// The quick fixes for a request, deduplicated and ordered.
pub fn quick_fixes(
    state: &State,
    uri: &Uri,
    a: &Analysed,
    range: Range,
    sent: &[Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let enc = state.caps().encoding;
    let mut out: Vec<CodeAction> = Vec::new();
    // The finding each entry came from (for "which occurrence" in titles).
    let mut origin: Vec<usize> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, (i, diag)) in candidates(state, uri, a, range, sent)
        .into_iter()
        .enumerate()
    {
        let finding = &a.findings[i];
        for fix in &finding.fixes {
            let mut action = match &fix.settings_change {
                None => convert::quick_fix(uri, &a.text, enc, fix, &diag),
                Some(change) => accept::action(state, uri, &fix.title, change, &diag),
            };
            // Only the diagnostic under the cursor has a preferred fix: "fix this" is for it.
            if n > 0 {
                action.is_preferred = None;
            }
            let key = serde_json::to_string(&(&action.edit, &action.command)).unwrap_or_default();
            match seen.get(&key) {
                Some(&k) => {
                    // The same fix for another diagnostic: one entry, fixing both.
                    if let Some(ds) = out[k].diagnostics.as_mut()
                        && !ds.contains(&diag)
                    {
                        ds.push(diag.clone());
                    }
                }
                None => {
                    seen.insert(key, out.len());
                    out.push(action);
                    origin.push(i);
                }
            }
        }
    }
    // Entries that still read alike say where their finding is.
    let mut by_title: HashMap<String, usize> = HashMap::new();
    for a in &out {
        *by_title.entry(a.title.clone()).or_default() += 1;
    }
    for (action, &i) in out.iter_mut().zip(&origin) {
        if by_title[&action.title] > 1 {
            let p = a.text.position(a.findings[i].span.start, Encoding::Utf32);
            action.title = format!(
                "{} (line {}, column {})",
                action.title,
                p.line + 1,
                p.character + 1
            );
        }
    }
    out.into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(l1: u32, c1: u32, l2: u32, c2: u32) -> Range {
        Range::new(Position::new(l1, c1), Position::new(l2, c2))
    }

    #[test]
    fn the_range_under_the_cursor_comes_first() {
        let at = Position::new(3, 10);
        assert_eq!(distance(&r(3, 5, 3, 12), at), (0, 0));
        assert!(distance(&r(3, 20, 3, 25), at) < distance(&r(3, 40, 3, 45), at));
        assert!(distance(&r(3, 40, 3, 45), at) < distance(&r(5, 0, 5, 4), at));
        assert!(distance(&r(3, 0, 3, 4), at) > (0, 0));
    }
}
