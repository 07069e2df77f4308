//! Open documents: their text, versions, and the latest analysis of each.
//!
//! Every access takes the store's mutex briefly and never across an `.await`.
//! Each document has a `rev` that goes up by one on every change we apply, whatever version
//! numbers the client sends; results are tagged with the `rev` they were computed for, so a
//! stale result is recognised and dropped.

use crate::analysis::rules::names::desk::DeskMemo;
use crate::analysis::{Analysis, Format, Memo};
use crate::text::{Clamped, Encoding, Pos, Text};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower_lsp_server::ls_types::Uri;

/// The result of analysing one revision of a document.
#[derive(Debug)]
pub struct Analysed {
    pub rev: u64,
    /// The settings generation it was computed with.
    pub generation: u64,
    /// The text it was computed on (a cheap rope clone), for converting its spans.
    pub text: Text,
    pub analysis: Analysis,
    /// Findings of the analysis plus cross-document ones, in diagnostic order.
    pub findings: Vec<crate::analysis::Finding>,
}

#[derive(Debug)]
pub struct Doc {
    pub text: Text,
    pub version: i32,
    pub rev: u64,
    pub format: Format,
    pub latest: Option<Arc<Analysed>>,
    /// The newest (revision, settings generation) whose diagnostics were published.
    pub published: (u64, u64),
    /// What the last analysis left for the next one (incremental analysis).
    pub memo: Arc<Mutex<Memo>>,
    /// What the last desk check found for the draft's names ([`DeskMemo`]).
    pub desk: Arc<Mutex<DeskMemo>>,
}

impl Doc {
    fn snapshot(&self, uri: &Uri) -> Snapshot {
        Snapshot {
            uri: uri.clone(),
            text: self.text.clone(),
            rev: self.rev,
            format: self.format,
            memo: self.memo.clone(),
            desk: self.desk.clone(),
        }
    }
}

/// A consistent copy of a document to analyse off the message loop.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub uri: Uri,
    pub text: Text,
    pub rev: u64,
    pub format: Format,
    pub memo: Arc<Mutex<Memo>>,
    pub desk: Arc<Mutex<DeskMemo>>,
}

/// One content change as the client sent it.
pub struct Change {
    pub range: Option<(Pos, Pos)>,
    pub text: String,
}

#[derive(Default, Debug)]
pub struct Store {
    docs: HashMap<Uri, Doc>,
    next_rev: u64,
    /// Goes up when settings change: results of older generations are recomputed.
    generation: u64,
}

impl Store {
    fn bump(&mut self) -> u64 {
        self.next_rev += 1;
        self.next_rev
    }

    pub fn open(&mut self, uri: Uri, text: &str, version: i32, format: Format) -> Snapshot {
        let rev = self.bump();
        let doc = Doc {
            text: Text::new(text),
            version,
            rev,
            format,
            latest: None,
            published: (0, 0),
            memo: Default::default(),
            desk: Default::default(),
        };
        let snap = doc.snapshot(&uri);
        self.docs.insert(uri, doc);
        snap
    }

    /// Apply changes in order. Returns the new snapshot and notes about anything clamped or
    /// odd (for the log), or `None` when the document is not open.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<Change>,
        enc: Encoding,
    ) -> Option<(Snapshot, Vec<String>)> {
        let rev = self.bump();
        let doc = self.docs.get_mut(uri)?;
        let mut notes = Vec::new();
        if version <= doc.version {
            notes.push(format!(
                "version went from {} to {version}; applying the change anyway",
                doc.version
            ));
        }
        for c in changes {
            match c.range {
                None => doc.text.set(&c.text),
                Some((a, b)) => {
                    if let Clamped::Yes(why) = doc.text.edit(a, b, &c.text, enc) {
                        notes.push(format!("edit range clamped: {why}"));
                    }
                }
            }
        }
        doc.version = version;
        doc.rev = rev;
        Some((doc.snapshot(uri), notes))
    }

    pub fn close(&mut self, uri: &Uri) -> bool {
        self.docs.remove(uri).is_some()
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.docs.get(uri).map(|d| d.snapshot(uri))
    }

    pub fn snapshots(&self) -> Vec<Snapshot> {
        let mut v: Vec<Snapshot> = self.docs.keys().filter_map(|u| self.snapshot(u)).collect();
        v.sort_by(|a, b| a.uri.as_str().cmp(b.uri.as_str()));
        v
    }

    /// URIs of every open document.
    pub fn open_uris(&self) -> std::collections::HashSet<String> {
        self.docs.keys().map(|u| u.as_str().to_string()).collect()
    }

    pub fn current_rev(&self, uri: &Uri) -> Option<u64> {
        self.docs.get(uri).map(|d| d.rev)
    }

    /// Store a result if it is for the current revision. Returns whether it was stored.
    pub fn store_result(&mut self, uri: &Uri, result: Arc<Analysed>) -> bool {
        let generation = self.generation;
        match self.docs.get_mut(uri) {
            Some(d) if d.rev == result.rev && result.generation == generation => {
                d.latest = Some(result);
                true
            }
            _ => false,
        }
    }

    /// The latest result, if it is for the current revision.
    pub fn current_result(&self, uri: &Uri) -> Option<Arc<Analysed>> {
        let d = self.docs.get(uri)?;
        d.latest
            .clone()
            .filter(|a| a.rev == d.rev && a.generation == self.generation)
    }

    /// May diagnostics of `rev` be published now? Only if `rev` is the current revision and
    /// nothing newer was published. Marks it published.
    pub fn claim_publish(&mut self, uri: &Uri, rev: u64, generation: u64) -> Option<i32> {
        let current = self.generation;
        let d = self.docs.get_mut(uri)?;
        if d.rev == rev && generation == current && (rev, generation) > d.published {
            d.published = (rev, generation);
            Some(d.version)
        } else {
            None
        }
    }

    /// Paragraph keys and texts of every other document with a result.
    pub fn others(&self, uri: &Uri) -> Vec<(String, Arc<Analysed>)> {
        self.docs
            .iter()
            .filter(|(u, _)| *u != uri)
            .filter_map(|(u, d)| d.latest.clone().map(|a| (u.as_str().to_string(), a)))
            .collect()
    }

    /// Settings changed: every result is to be recomputed. Returns the new generation.
    pub fn new_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }
}
