//! The language layer: what both the quote rule and the name rule read in a paragraph.
//!
//! - [`marks`]: quotation marks paired into top-level quotations (apostrophes are not marks);
//! - [`tokens`]: the one tokenizer and sentence splitter (a quotation is one opaque token);
//! - [`speech`]: person and organisation mentions and speech acts per sentence;
//! - [`lexicon`] and [`lists`]: the crate's word lists, data files in `words/`.
//!
//! Everything here is a pure function of a paragraph's text (and, for [`speech`], of the
//! answers to the questions it asks about the rest of the document), so its results can be
//! kept by paragraph content hash in one place (`analysis::memo`). The document-level
//! resolution (who spoke last, pronouns, carry-over) belongs to the rules that use it.
//! See `docs/language-layer.md`.

pub mod gender;
pub mod lexicon;
pub mod lists;
pub mod marks;
pub mod speech;
pub mod tokens;
