//! What the rules read: the parsed document and the facts derived from it, computed by the
//! engine (`analysis::engine`), which keeps them between analyses by content. Rules that read
//! only [`Facts`] are pure functions of facts and settings: they keep no state of their own.
//!
//! [`Facts::fresh`] derives the same facts without any kept state (a rule's tests, one-off
//! checks); the engine's incremental facts are equal to them (`tests/incremental.rs`).

use super::Settings;
use super::duplicate::{self, KeyCache, NearIndex, ParagraphKey};
use super::quote;
use crate::analysis::document::Document;
use crate::analysis::sources::verify::{self, Checked};

/// The facts of one document, for one analysis.
pub struct Facts<'a> {
    pub doc: &'a Document<'a>,
    /// Duplicate-paragraph comparison keys of the paragraphs the rule compares (long enough
    /// for `duplicate-paragraph.min-words`), in document order.
    pub keys: &'a [ParagraphKey],
    /// The near-duplicate relation over `keys` (with `duplicate-paragraph`'s similarity and
    /// `near-min-words`).
    pub near: &'a NearIndex,
    /// The quote rule's content-only facts of each paragraph, in order (one per paragraph;
    /// empty unless `misquote` or `misattribution` runs with sources: the quote rule itself
    /// still keeps its own copy). Kept by paragraph content.
    pub quote_paras: &'a [quote::ParaQuotes],
    /// Every quotation of speech checked against the sources (empty without sources, or
    /// when neither `misquote` nor `misattribution` is on).
    pub checked: &'a [Checked],
}

/// Facts derived afresh, owning what [`Facts`] borrows.
pub struct FreshFacts<'a> {
    doc: &'a Document<'a>,
    keys: Vec<ParagraphKey>,
    near: NearIndex,
    quote_paras: Vec<quote::ParaQuotes>,
    checked: Vec<Checked>,
}

impl<'a> Facts<'a> {
    /// Derive the facts of `doc` with no kept state.
    pub fn fresh(doc: &'a Document<'a>, settings: &Settings) -> FreshFacts<'a> {
        let keys = duplicate::compute_keys(doc, settings, &mut KeyCache::default());
        let mut near = NearIndex::default();
        update_near(&mut near, &keys, settings);
        let (quote_paras, checked) = if wants_sources(settings)
            && let Some(index) = settings.sources.index()
        {
            let paras: Vec<quote::ParaQuotes> = (0..doc.paragraphs.len())
                .map(|i| quote::ParaQuotes::new(doc, i))
                .collect();
            let quotations = quote::quoted_speech_from(doc, settings, paras.clone());
            let checked = verify::check_all(doc, index, &quotations, &mut verify::Cache::default());
            (paras, checked)
        } else {
            (Vec::new(), Vec::new())
        };
        FreshFacts {
            doc,
            keys,
            near,
            quote_paras,
            checked,
        }
    }
}

impl<'a> FreshFacts<'a> {
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            doc: self.doc,
            keys: &self.keys,
            near: &self.near,
            quote_paras: &self.quote_paras,
            checked: &self.checked,
        }
    }
}

/// Bring the near-duplicate relation up to date with `keys` (the one way facts and rules
/// agree on its parameters).
pub fn update_near(near: &mut NearIndex, keys: &[ParagraphKey], settings: &Settings) {
    let cfg = &settings.duplicate_paragraph;
    near.update(keys, cfg.similarity.clamp(0.0, 1.0), cfg.near_min_words);
}

/// Does any enabled rule read the quotations checked against the sources?
pub fn wants_sources(settings: &Settings) -> bool {
    settings.sources.index().is_some()
        && (settings.misquote.enabled || settings.misattribution.enabled)
}
