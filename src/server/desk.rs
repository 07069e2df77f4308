//! The desk's names in the server: the name spellings of the workspace's drafts (kept by the
//! workspace index, [`super::workspace`]) checked against the open draft. "Accept as this
//! desk's spelling" is a `SettingsChange::PreferName`, written by `accept.rs` like any other.

use super::State;
use crate::analysis::Finding;
use crate::analysis::rules::names::desk::{DeskMemo, DraftName};
use crate::config::Settings;
use std::sync::{Mutex, TryLockError};

/// The open draft's spellings the desk's other drafts write another way. The desk is the
/// index's (files on disk; an open draft counts as it was last saved). `memo` is the draft's
/// own: what the last check found for names the keystroke did not change is not looked for
/// again ([`Desk::check_with`], the same findings).
///
/// [`Desk::check_with`]: crate::analysis::rules::names::desk::Desk::check_with
pub(super) fn findings(
    state: &State,
    this: &str,
    names: &[DraftName],
    settings: &Settings,
    memo: &Mutex<DeskMemo>,
) -> Vec<Finding> {
    if !settings.name_spelling.enabled || !settings.name_spelling.cross_document {
        return Vec::new();
    }
    let index = state.index.lock().unwrap();
    let desk = index.desk();
    // If another analysis of the draft still holds the memo (a stale one finishing), don't
    // wait for it.
    match memo.try_lock() {
        Ok(mut memo) => desk.check_with(this, names, settings, &mut memo),
        Err(TryLockError::Poisoned(p)) => {
            let mut memo = p.into_inner();
            *memo = DeskMemo::default();
            desk.check_with(this, names, settings, &mut memo)
        }
        Err(TryLockError::WouldBlock) => desk.check(this, names, settings),
    }
}

/// Does any check need the workspace index?
pub(super) fn wants_index(s: &Settings) -> bool {
    s.duplicate_paragraph.cross_document
        || (s.name_spelling.enabled && s.name_spelling.cross_document)
}
