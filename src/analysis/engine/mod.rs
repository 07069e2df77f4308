//! The engine: what one analysis of a document leaves behind for the next one, and the facts
//! the rules read.
//!
//! A [`Memo`] belongs to one document (the server keeps one per open document). It is the one
//! place incremental state lives: the parse of each markdown chunk, and the per-paragraph and
//! per-quotation facts derived from the document, each kept by content hash in a
//! [`ParaCache`] collected by epoch (an analysis keeps only what it used). After a one-word
//! edit only the touched chunk is parsed again and only the touched paragraph's facts are
//! derived again; the document-level facts (paragraph keys, the near-duplicate relation,
//! the quotations and their speakers) are then assembled from the kept pieces and handed to
//! the rules as [`Facts`]. Rules that read only [`Facts`] keep nothing themselves, so their
//! results equal a fresh analysis by construction: every kept value is a pure function of its
//! key, and anything that depends on the settings (the near-duplicate relation, results
//! checked against the sources, which the settings carry) is dropped when they change.

use crate::analysis::cache::{ParaCache, RuleMemo};
use crate::analysis::document::{Document, ParseMemo};
use crate::analysis::rules::duplicate::{self, KeyCache, NearIndex, ParagraphKey};
use crate::analysis::rules::facts::{self, Facts};
use crate::analysis::rules::{Settings, misattribution, misquote, names, quote};
use crate::analysis::sources::verify::{self, Checked};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Rules that still keep per-paragraph state of their own through [`crate::analysis::Rule::check_memo`]
/// (transitional: their per-paragraph work moves into [`Facts`] slots next; see
/// `docs/performance.md`). Every other rule runs as [`crate::analysis::Rule::check_facts`].
pub const KEEPS_OWN_STATE: &[&str] = &[quote::CODE, names::CODE];

/// Rules that read [`Facts::checked`]: if deriving it fails, they fail for this analysis.
pub const READS_SOURCES: &[&str] = &[misquote::CODE, misattribution::CODE];

/// Per-document state carried between analyses of successive versions.
#[derive(Default)]
pub struct Memo {
    pub(crate) parse: ParseMemo,
    /// Duplicate-paragraph key parts, by paragraph hash.
    keys: KeyCache,
    /// The near-duplicate relation over the last analysis's keys (updated, not rebuilt).
    near: NearIndex,
    /// The quote rule's content-only facts of each paragraph, by paragraph hash (what the
    /// quotations of speech are read from).
    quote_paras: ParaCache<quote::ParaQuotes>,
    /// Each quotation checked against the sources, by its text, parts and speaker.
    verified: verify::Cache,
    /// Transitional: the state of the rules in [`KEEPS_OWN_STATE`].
    rules: HashMap<&'static str, RuleMemo>,
    settings: Option<Settings>,
    /// How long each rule took last time (to share the rules out among the processors).
    pub(crate) took: HashMap<&'static str, std::time::Duration>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("chunks", &self.parse.len())
            .field("keys", &self.keys.len())
            .field("quote_paras", &self.quote_paras.len())
            .field("verified", &self.verified.len())
            .field("rules", &self.rules.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The document-level facts of one analysis (what [`Facts`] borrows besides the document).
pub(crate) struct Derived {
    pub keys: Vec<ParagraphKey>,
    pub quote_paras: Vec<quote::ParaQuotes>,
    /// `Err`: deriving the quotations failed (a panic, with its message).
    pub checked: Result<Vec<Checked>, String>,
}

impl Memo {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forget state computed with other settings (the parse and the content-only facts do
    /// not depend on them).
    pub(crate) fn use_settings(&mut self, settings: &Settings) {
        if self.settings.as_ref() != Some(settings) {
            self.rules.clear();
            self.near = NearIndex::default();
            self.verified = verify::Cache::default();
            self.settings = Some(settings.clone());
        }
    }

    /// Derive this version's facts, reusing what earlier versions left; only what the rules
    /// that will run (`codes`) read, besides the paragraph keys the analysis always returns.
    pub(crate) fn derive(
        &mut self,
        doc: &Document,
        settings: &Settings,
        codes: &[&str],
    ) -> Derived {
        let keys = duplicate::compute_keys(doc, settings, &mut self.keys);
        if codes.contains(&duplicate::CODE) {
            facts::update_near(&mut self.near, &keys, settings);
        }
        let wanted = READS_SOURCES.iter().any(|c| codes.contains(c));
        let wanted = wanted && settings.sources.index().is_some();
        // Only for the source rules until the quote rule reads `Facts::quote_paras` instead of
        // its own `QuoteMemo::paras` (then: `|| codes.contains(&quote::CODE)`, and keeping both
        // would hold every paragraph's reading twice).
        let (quote_paras, checked) = if wanted {
            // The quote rule's reading of the text: isolated like a rule (a panic fails
            // the rules that read it, for this analysis, and drops what was kept).
            let run = catch_unwind(AssertUnwindSafe(|| {
                let paras = self.quote_paras(doc);
                let checked = match settings.sources.index() {
                    Some(index) => self.check_quotations(doc, settings, index, &paras),
                    None => Vec::new(),
                };
                (paras, checked)
            }));
            match run {
                Ok((paras, checked)) => (paras, Ok(checked)),
                Err(panic) => {
                    self.quote_paras = ParaCache::default();
                    self.verified = verify::Cache::default();
                    (Vec::new(), Err(crate::analysis::panic_message(&*panic)))
                }
            }
        } else {
            (Vec::new(), Ok(Vec::new()))
        };
        Derived {
            keys,
            quote_paras,
            checked,
        }
    }

    /// The quote rule's facts of each paragraph, made only for paragraphs not seen before.
    fn quote_paras(&mut self, doc: &Document) -> Vec<quote::ParaQuotes> {
        self.quote_paras.begin();
        let paras = (0..doc.paragraphs.len())
            .map(|i| {
                self.quote_paras
                    .get_or_insert_with(doc.paragraph_hash(i), || quote::ParaQuotes::new(doc, i))
                    .clone()
            })
            .collect();
        self.quote_paras.end();
        paras
    }

    fn check_quotations(
        &mut self,
        doc: &Document,
        settings: &Settings,
        index: &crate::analysis::sources::SourceIndex,
        paras: &[quote::ParaQuotes],
    ) -> Vec<Checked> {
        let quotations = quote::quoted_speech_from(doc, settings, paras.to_vec());
        self.verified.begin();
        let checked = verify::check_all(doc, index, &quotations, &mut self.verified);
        self.verified.end();
        checked
    }

    /// The facts the rules read, over `derived`.
    pub(crate) fn facts<'a>(&'a self, doc: &'a Document<'a>, derived: &'a Derived) -> Facts<'a> {
        Facts {
            doc,
            keys: &derived.keys,
            near: &self.near,
            quote_paras: &derived.quote_paras,
            checked: derived.checked.as_deref().unwrap_or(&[]),
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
