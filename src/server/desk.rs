//! The desk's names in the server: the name spellings of the workspace's drafts (kept by the
//! workspace index, [`super::workspace`]) checked against the open draft. "Accept as this
//! desk's spelling" is a `SettingsChange::PreferName`, written by `accept.rs` like any other.

use super::State;
use crate::analysis::Finding;
use crate::analysis::rules::names::desk::DraftName;
use crate::config::Settings;

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

/// Does any check need the workspace index?
pub(super) fn wants_index(s: &Settings) -> bool {
    s.duplicate_paragraph.cross_document
        || (s.name_spelling.enabled && s.name_spelling.cross_document)
}
