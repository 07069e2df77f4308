//! What the quote rule knows about each direct quotation, for other rules to read.
//!
//! The contract between the attribution model (`rules::quote`, issue 12) and the rules that
//! check quotations against the reporter's recordings (`misquote`, `misattribution`, issue 15):
//! every direct quotation of speech in the document, in document order, with the speaker the
//! draft gives it (if a reader can tell). Quoted terms, titles, scare quotes and text of
//! documents are not quotations of speech and are not listed.

use std::ops::Range;

/// The person or organisation a quotation is attributed to, as the document writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteSpeaker {
    /// How a message names them: the short form the draft uses ("Whitlock").
    pub name: String,
    /// The fullest form the draft gives ("Dana Whitlock"), when it gives one.
    pub full: Option<String>,
    /// A person or organisation the draft names ("Whitlock", "the IMF"), not a description of
    /// one ("a council member", "the spokesman"): only a named speaker can be compared with a
    /// transcript's speaker labels.
    pub named: bool,
}

/// One direct quotation of speech.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotedSpeech {
    /// Byte range of the whole quotation, opening to closing mark, in the document's text. For
    /// a quotation split by an attribution ("…,” she said. “…") or running over several
    /// paragraphs, from the first opening mark to the last closing mark.
    pub span: Range<usize>,
    /// Byte ranges of the quoted words themselves, inside the marks: one per part.
    pub parts: Vec<Range<usize>>,
    /// Who the draft says is speaking, when a reader can tell (explicitly or by the newsroom
    /// conventions the quote rule follows); `None` when the quotation is reported as
    /// unattributed or ambiguous.
    pub speaker: Option<QuoteSpeaker>,
}
