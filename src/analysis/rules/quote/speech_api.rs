//! TEMPORARY adapter (issue 15): [`quoted_speech`] built on this rule's current internals,
//! until the rewritten quote rule (issue 12) provides its own with the same signature. The
//! source-checking rules use only this function and the types of `analysis::quoted`.
//!
//! What it reports: every closed direct quotation of speech, with the speaker when the draft
//! names one *explicitly* (a cue in or next to its sentence, a colon before it, the first
//! paragraph of a multi-paragraph quotation). Speakers the rule only infers ("implied") are
//! left out (`None`): a check that names the wrong person is worse than none. A quotation
//! split by its attribution (“…,” she said. “…”) is one quotation with two parts.

use super::Checker;
use super::clause::Who;
use super::lexicon;
use super::para::Para;
use crate::analysis::quoted::{QuoteSpeaker, QuotedSpeech};
use crate::analysis::{BlockKind, Document, ParaCache};
use crate::config::Settings;
use std::sync::Arc;

/// Every direct quotation of speech in the document, in document order.
pub fn quoted_speech(doc: &Document, settings: &Settings) -> Vec<QuotedSpeech> {
    let paras: Vec<Arc<Para>> = (0..doc.paragraphs.len())
        .map(|i| Arc::new(Para::new(doc, i)))
        .collect();
    let mut kept = ParaCache::default();
    let checker = Checker::new(doc, &settings.unattributed_quote, paras, (0, 0), &mut kept);
    checker.speech()
}

impl Checker<'_, '_> {
    /// [`Checker::run`] up to the readings, then who each quotation is attributed to.
    fn speech(mut self) -> Vec<QuotedSpeech> {
        self.find_quotes();
        let n = self.doc.paragraphs.len();
        self.relevant = (0..n).map(|pi| !self.by_para[pi].is_empty()).collect();
        self.facts = (0..n)
            .map(|pi| super::ParaFacts {
                ends_colon: self.paras[pi].ends_colon,
                prose: self.paras[pi].checked,
                caption: self.paras[pi].caption,
                ..Default::default()
            })
            .collect();
        let mut capitals = lexicon::KeySet::default();
        for pi in 0..n {
            if !self.by_para[pi].is_empty() {
                self.read_paragraph(pi, &mut capitals, false);
            } else if self.facts[pi].prose || self.doc.paragraphs[pi].kind == BlockKind::Heading {
                self.scan_names(pi, &mut capitals);
            }
        }
        self.late = true;
        let mut out: Vec<QuotedSpeech> = Vec::new();
        // Per quotation part: the speaker decided for it, and the cue span that gave it.
        let mut decided: Vec<Option<(Option<QuoteSpeaker>, std::ops::Range<usize>)>> =
            vec![None; self.quotes.len()];
        // The last quotation output, with its paragraph and cue (to join split quotations).
        let mut last: Option<(usize, Option<std::ops::Range<usize>>)> = None;
        for pi in 0..n {
            for id in self.by_para[pi].clone() {
                let q = &self.quotes[id];
                if q.broken || q.prev.is_some() {
                    continue;
                }
                let mut cue = None;
                let mut chain = Some(id);
                let mut parts = Vec::new();
                let mut end = q.end;
                while let Some(k) = chain {
                    let part = &self.quotes[k];
                    if cue.is_none() {
                        cue = part.local.clone();
                    }
                    let inner_end = part.raw.close.as_ref().map_or(part.end, |c| c.start);
                    parts.push(part.raw.open.end..inner_end);
                    end = part.end;
                    chain = part.next;
                }
                if cue.is_none() {
                    cue = self.colon_before(id, &mut capitals);
                }
                if cue.is_none() && self.quotes[id].not_speech {
                    continue;
                }
                let speaker = cue.as_ref().and_then(|c| match &c.who {
                    Who::Name(n) => Some(QuoteSpeaker {
                        name: n.short.to_string(),
                        full: (n.full != n.short).then(|| n.full.to_string()),
                    }),
                    _ => None,
                });
                let cue_span = cue.as_ref().map(|c| c.span.clone());
                decided[id] = Some((speaker.clone(), cue_span.clone().unwrap_or(0..0)));
                let start = self.quotes[id].raw.open.start;
                // “…,” she said. “…”: the same cue, between the two parts, in one paragraph.
                if let (Some((lpi, Some(lcue))), Some(cs), Some(prev)) =
                    (&last, &cue_span, out.last_mut())
                    && *lpi == pi
                    && lcue == cs
                    && prev.span.end <= cs.start
                    && cs.end <= start
                    && self.doc.text[prev.span.end..start]
                        .split_whitespace()
                        .count()
                        <= 8
                {
                    prev.span.end = end;
                    prev.parts.extend(parts);
                    continue;
                }
                last = Some((pi, cue_span));
                out.push(QuotedSpeech {
                    span: start..end,
                    parts,
                    speaker,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Format;

    fn speech(text: &str) -> Vec<(String, Option<String>)> {
        let doc = Document::parse(text, Format::Markdown);
        quoted_speech(&doc, &Settings::default())
            .into_iter()
            .map(|q| {
                let words: Vec<&str> = q.parts.iter().map(|p| &text[p.clone()]).collect();
                (words.join(" | "), q.speaker.map(|s| s.name))
            })
            .collect()
    }

    #[test]
    fn explicit_speakers_and_split_quotations() {
        let got = speech(
            "Dana Whitlock chairs the council.\n\n“We will not raise taxes this year,” Whitlock said. “The budget is balanced.”\n",
        );
        assert_eq!(
            got,
            vec![(
                "We will not raise taxes this year, | The budget is balanced.".to_string(),
                Some("Whitlock".to_string())
            )]
        );
    }

    #[test]
    fn an_unattributed_quotation_has_no_speaker() {
        let got = speech("The hall was quiet.\n\n“Nobody expected the vote to pass so easily.”\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, None);
    }
}
