//! What one analysis of a document leaves behind for the next one.
//!
//! A [`Memo`] belongs to one document (the server keeps one per open document). It holds the
//! parse of each markdown chunk and whatever per-paragraph results each rule chose to keep,
//! keyed by content hashes, so that after a one-word edit only the touched chunk is parsed
//! again and only the touched paragraph's per-paragraph work is redone; the document-level
//! passes (duplicate lookups, name clusters, attribution context) then run over the cached
//! pieces. Results are identical to a fresh analysis: every cached value is a pure function
//! of its key (and of the settings, which reset the memo when they change).

use super::cache::RuleMemo;
use crate::analysis::rules::Settings;
use std::collections::HashMap;

/// Per-document state carried between analyses of successive versions.
#[derive(Default)]
pub struct Memo {
    pub(crate) parse: super::document::ParseMemo,
    /// Duplicate-paragraph keys (the analysis returns them for cross-document search).
    pub(crate) keys: super::rules::duplicate::KeyCache,
    rules: HashMap<&'static str, RuleMemo>,
    settings: Option<Settings>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("chunks", &self.parse.len())
            .field("rules", &self.rules.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Memo {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forget rule state computed with other settings (the parse does not depend on them).
    pub(crate) fn use_settings(&mut self, settings: &Settings) {
        if self.settings.as_ref() != Some(settings) {
            self.rules.clear();
            self.settings = Some(settings.clone());
        }
    }

    /// Take a rule's state out (so rules running on different threads own theirs).
    pub(crate) fn take_rule(&mut self, code: &'static str) -> RuleMemo {
        self.rules.remove(code).unwrap_or_default()
    }

    pub(crate) fn put_rule(&mut self, code: &'static str, m: RuleMemo) {
        self.rules.insert(code, m);
    }
}

pub use super::cache::{KeyHasher, PARALLEL_FILL_BYTES, ParaCache, content_hash};
