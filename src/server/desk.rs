//! The desk's names in the server: the name spellings of the workspace's drafts (kept by the
//! workspace index, [`super::workspace`]) checked against the open draft, and the "Accept as
//! this desk's spelling" action that writes `[names.prefer]` in `copydesk.toml`.

use super::{Backend, State};
use crate::analysis::Finding;
use crate::analysis::rules::names::desk::DraftName;
use crate::config::{self, Settings};
use serde_json::Value;
use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, Command, Diagnostic};

pub const PREFER_NAME_COMMAND: &str = "copydesk.preferName";

/// The open draft's spellings the desk's other drafts write another way. The desk is the
/// index's (files on disk; an open draft counts as it was last saved).
pub(super) fn findings(
    state: &State,
    this: &str,
    names: &[DraftName],
    settings: &Settings,
) -> Vec<Finding> {
    if !settings.name_spelling.enabled || !settings.name_spelling.cross_document {
        return Vec::new();
    }
    let index = state.index.lock().unwrap();
    index.desk().check(this, names, settings)
}

impl Backend {
    /// "Accept ‘X’ as this desk's spelling": `variant = "X"` in `[names.prefer]` of
    /// `copydesk.toml` (a WorkspaceEdit, like accept), plus a server-side command so it takes
    /// effect at once.
    pub(super) fn prefer_action(
        &self,
        title: &str,
        variant: &str,
        preferred: &str,
        diag: &Diagnostic,
    ) -> CodeAction {
        let command = Some(Command {
            title: title.to_string(),
            command: PREFER_NAME_COMMAND.into(),
            arguments: Some(vec![
                Value::String(variant.to_string()),
                Value::String(preferred.to_string()),
            ]),
        });
        let pair = [(variant.to_string(), preferred.to_string())];
        let edit = self.config_edit_with(variant, |existing| {
            config::with_preferred_names(existing, &pair)
        });
        CodeAction {
            title: title.to_string(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag.clone()]),
            edit,
            command,
            is_preferred: None,
            disabled: None,
            data: None,
        }
    }
}

/// Does any check need the workspace index?
pub(super) fn wants_index(s: &Settings) -> bool {
    s.duplicate_paragraph.cross_document
        || (s.name_spelling.enabled && s.name_spelling.cross_document)
}
