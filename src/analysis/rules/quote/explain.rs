//! The rule's decision on every quotation, for tests and tools (`explain`), and the quotations
//! of speech with their speakers for the source-checking rules (`quoted_speech`, issue 15).

use super::{Checker, QuoteMemo};
use crate::analysis::quoted::{QuoteSpeaker, QuotedSpeech};
use crate::analysis::{Document, ParaCache, RuleMemo};
use crate::config::Settings;
use std::ops::Range;
use std::sync::Arc;

/// How the rule judged one quotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Attributed: explicitly, or by the newsroom conventions of the attribution model.
    Attributed,
    /// A quoted term, a title, words cited as words: not speech.
    NotSpeech,
    /// Reported (see the finding for how).
    Reported,
}

/// The decision on one quotation (multi-paragraph quotations: their first part).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Opening mark to closing mark (or the end of the paragraph).
    pub span: Range<usize>,
    pub verdict: Verdict,
    /// Who it is attributed to, as the document refers to them ("Souza", "the spokesman").
    pub speaker: Option<String>,
    /// The fullest form the document gives of a person ("Ana Souza"), when it is longer.
    pub full: Option<String>,
    /// Which part of the model decided.
    pub why: &'static str,
}

/// The rule's decision on every quotation it read, in document order (unclosed quotations,
/// quotations in code, headings or tables are not read and not listed).
pub fn explain(doc: &Document, settings: &Settings) -> Vec<Decision> {
    let cfg = &settings.unattributed_quote;
    let mut memo = RuleMemo::default();
    let m = memo.get::<QuoteMemo>();
    let paras = (0..doc.paragraphs.len())
        .map(|i| Arc::new(super::para::Para::new(doc, i)))
        .collect();
    let mut kept = ParaCache::default();
    let mut checker = Checker::new(doc, cfg, paras, m.sizes, &mut kept);
    checker.log = Some(Vec::new());
    let mut out = Vec::new();
    let (log, _) = checker.run_logged(&mut out);
    let mut log = log.unwrap_or_default();
    log.sort_by_key(|d| d.span.start);
    log
}

/// Every direct quotation of speech, with the speaker the draft gives it (the contract in
/// [`crate::analysis::quoted`]).
pub fn quoted_speech(doc: &Document, settings: &Settings) -> Vec<QuotedSpeech> {
    let text = doc.text;
    explain(doc, settings)
        .into_iter()
        .filter(|d| d.verdict != Verdict::NotSpeech)
        .map(|d| {
            let inner = inner_of(text, &d.span);
            QuotedSpeech {
                span: d.span.clone(),
                parts: vec![inner],
                speaker: match d.verdict {
                    Verdict::Attributed => {
                        d.speaker.map(|name| QuoteSpeaker { name, full: d.full })
                    }
                    _ => None,
                },
            }
        })
        .collect()
}

/// The quoted words inside the marks of `span`.
fn inner_of(text: &str, span: &Range<usize>) -> Range<usize> {
    let s = &text[span.clone()];
    let open = s.chars().next().map_or(0, char::len_utf8);
    let close = s
        .chars()
        .next_back()
        .filter(|c| crate::analysis::lang::marks::is_quote_char(*c))
        .map_or(0, char::len_utf8);
    if open + close > s.len() {
        return span.clone();
    }
    span.start + open..span.end - close
}
