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
    /// The speaker is named ("Souza"), not described ("the spokesman").
    pub named: bool,
    /// Which part of the model decided.
    pub why: &'static str,
}

/// The rule's decision on every quotation it read, in document order (unclosed quotations,
/// quotations in code, headings or tables are not read and not listed).
pub fn explain(doc: &Document, settings: &Settings) -> Vec<Decision> {
    let paras = (0..doc.paragraphs.len())
        .map(|i| ParaQuotes::new(doc, i))
        .collect();
    explain_from(doc, settings, paras)
}

/// What the quote rule knows of one paragraph alone (its content-only facts), as the engine
/// keeps it between analyses by [`Document::paragraph_hash`]: a pure function of the
/// paragraph's content. (The engine hands them to the rules in `Facts::quote_paras`; the
/// quote rule's own `QuoteMemo::paras` holds the same values and can read them from there.)
#[derive(Clone)]
pub struct ParaQuotes(pub(super) Arc<super::para::Para>);

impl ParaQuotes {
    pub fn new(doc: &Document, i: usize) -> Self {
        ParaQuotes(Arc::new(super::para::Para::new(doc, i)))
    }
}

/// [`explain`] over the facts of each paragraph of `doc` (in order, one per paragraph).
pub fn explain_from(doc: &Document, settings: &Settings, paras: Vec<ParaQuotes>) -> Vec<Decision> {
    let cfg = &settings.unattributed_quote;
    let mut memo = RuleMemo::default();
    let m = memo.get::<QuoteMemo>();
    let paras = paras.into_iter().map(|p| p.0).collect();
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
/// [`crate::analysis::quoted`]). A quotation split by its attribution (`“…,” she said. “…”`)
/// or running over several paragraphs is one entry with one part per piece.
pub fn quoted_speech(doc: &Document, settings: &Settings) -> Vec<QuotedSpeech> {
    speech_of(doc.text, explain(doc, settings))
}

/// [`quoted_speech`] over the facts of each paragraph (see [`explain_from`]).
pub fn quoted_speech_from(
    doc: &Document,
    settings: &Settings,
    paras: Vec<ParaQuotes>,
) -> Vec<QuotedSpeech> {
    speech_of(doc.text, explain_from(doc, settings, paras))
}

fn speech_of(text: &str, decisions: Vec<Decision>) -> Vec<QuotedSpeech> {
    let mut out: Vec<QuotedSpeech> = Vec::new();
    let mut last: Option<Decision> = None;
    for d in decisions {
        if d.verdict == Verdict::NotSpeech {
            continue;
        }
        let inner = inner_of(text, &d.span);
        let speaker = match d.verdict {
            Verdict::Attributed => d.speaker.clone().map(|name| QuoteSpeaker {
                name,
                full: d.full.clone(),
                named: d.named,
            }),
            _ => None,
        };
        if let (Some(prev), Some(q)) = (&last, out.last_mut())
            && continues(text, prev, &d)
        {
            q.span.end = d.span.end;
            q.parts.push(inner);
            if q.speaker.is_none() {
                q.speaker = speaker;
            }
        } else {
            out.push(QuotedSpeech {
                span: d.span.clone(),
                parts: vec![inner],
                speaker,
            });
        }
        last = Some(d);
    }
    out
}

/// Is `d` the next piece of the quotation `prev` belongs to: a continuation paragraph, or the
/// second half of a quotation split by a short attribution (`“…,” she said. “…”`)?
fn continues(text: &str, prev: &Decision, d: &Decision) -> bool {
    if d.why == "continues a quotation" {
        return true;
    }
    if prev.verdict != Verdict::Attributed || d.verdict != Verdict::Attributed {
        return false;
    }
    let Some(gap) = text.get(prev.span.end..d.span.start) else {
        return false;
    };
    let inner = &text[inner_of(text, &prev.span)];
    gap.split_whitespace().count() <= 8
        && !gap.contains('\n')
        && inner.trim_end().ends_with([',', '—', '–'])
        && prev.speaker == d.speaker
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Format;

    fn speech(text: &str) -> Vec<QuotedSpeech> {
        quoted_speech(
            &Document::parse(text, Format::Markdown),
            &Settings::default(),
        )
    }

    #[test]
    fn a_split_quotation_is_one_entry_with_its_speaker() {
        let t = "“We are victims of hacking too,” said Ana Souza, the treasurer. “Nobody gains.”\n";
        let q = speech(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(
            &t[q[0].span.clone()],
            "“We are victims of hacking too,” said Ana Souza, the treasurer. “Nobody gains.”"
        );
        let parts: Vec<&str> = q[0].parts.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(parts, ["We are victims of hacking too,", "Nobody gains."]);
        let who = q[0].speaker.as_ref().unwrap();
        assert_eq!(who.name, "Souza");
        assert_eq!(who.full.as_deref(), Some("Ana Souza"));
    }

    #[test]
    fn multi_paragraph_quotations_terms_and_unattributed() {
        let t = "Quinn, the harbour master, described the night:\n\n“The water came at two.\n\n“It left at six.”\n\nThe pier is a “landmark”.\n\nRain fell.\n\n“Nobody in the town slept that night.”\n";
        let q = speech(t);
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[0].parts.len(), 2);
        assert!(t[q[0].span.clone()].ends_with("It left at six.”"));
        assert!(
            q[1].speaker.is_none(),
            "an unattributed quotation has no speaker"
        );
    }
}
