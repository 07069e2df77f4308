//! Mentions in a paragraph's tokens: name words and runs, names made from them (titles
//! stripped, organisations whole), noun-phrase speakers, appositives ("the minister, Declan
//! Murphy," / "Lagarde, the IMF's managing director,"), a person of an organisation ("Helen
//! Marsh of the Valley Patients' Association") and a document as the subject ("a decree issued
//! by the Queen"). Split from `speech.rs` (the speech acts).

use super::super::lexicon as lx;
use super::super::lists::DOCUMENT_NOUNS;
use super::super::tokens::{Kind, capitalized, lower, unpossess};
use super::{Clauses, Cue, Name, Who};
use std::ops::Range;
use std::sync::Arc;

impl Clauses<'_> {
    /// A word that can be part of a name. At the start of a sentence, only a word the
    /// document also capitalises elsewhere ("Attitudes have changed" is not a name), or one
    /// followed by another name word ("Novak Djokovic won").
    pub(super) fn name_word(&self, i: usize) -> bool {
        self.names.get(i).is_some_and(|f| f & 2 != 0)
    }

    pub(super) fn compute_name_word(&self, i: usize) -> bool {
        self.loose_name_word(i)
            && (!self.initial[i]
                || self.capital[i] & 1 != 0
                || (i + 1 < self.toks.len() && !self.initial[i + 1] && self.loose_name_word(i + 1)))
    }

    /// [`Self::name_word`] without the sentence-start test ("Ferreira said …").
    pub(super) fn loose_name_word(&self, i: usize) -> bool {
        self.names.get(i).is_some_and(|f| f & 1 != 0)
    }

    pub(super) fn compute_loose_name_word(&self, i: usize) -> bool {
        if !self.has_upper.get(i).copied().unwrap_or(false) {
            return false;
        }
        let (Some(w), Some(l)) = (self.word(i), self.lower(i)) else {
            return false;
        };
        if !w.chars().next().is_some_and(char::is_alphabetic) {
            return false;
        }
        if lx::is_stop_capital(unpossess(l)) || lx::is_pronoun(l) {
            return false;
        }
        // "Writing in …", "Asked about …": a verb, not a name.
        let verb_form = capitalized(w)
            && (l.ends_with("ing")
                || l.ends_with("ed")
                || matches!(l, "said" | "says" | "told" | "wrote"))
            && lx::builtin_verbs().contains(&lx::key(l));
        !verb_form
    }

    pub(super) fn particle(&self, i: usize) -> bool {
        self.word(i).is_some_and(lx::is_name_particle)
    }

    /// The name ending at token `j` (inclusive), walking back.
    pub(super) fn name_back(&self, j: usize, lo: usize) -> Range<usize> {
        let mut s = j;
        let lo = lo.max(j.saturating_sub(8));
        while s > lo {
            let k = s - 1;
            if self.name_word(k) {
                s = k;
            } else if (self.particle(k) || self.is_punct(k, "&") || self.plural_possessive(k))
                && k > lo
                && self.name_word(k - 1)
            {
                // "de Souza", "Pearce & Co", "the Valley Patients' Association".
                s = k - 1;
            } else {
                break;
            }
        }
        s..j + 1
    }

    /// An apostrophe closing a plural possessive inside a name: "Patients' Association".
    pub(super) fn plural_possessive(&self, k: usize) -> bool {
        k > 0
            && self.is_punct(k, "'’")
            && self.toks[k].span.start == self.toks[k - 1].span.end
            && self.word(k - 1).is_some_and(|w| w.ends_with('s'))
    }

    /// The name starting at token `j`, walking forward.
    pub(super) fn name_fwd(&self, j: usize, hi: usize) -> Range<usize> {
        let mut e = j + 1;
        let hi = hi.min(j + 8);
        while e < hi {
            if self.name_word(e)
                && !self
                    .word(e - 1)
                    .is_some_and(|w| w.ends_with("’s") || w.ends_with("'s"))
            {
                e += 1;
            } else if self.particle(e) && e + 1 < hi && self.name_word(e + 1) {
                e += 2;
            } else {
                break;
            }
        }
        j..e
    }

    /// A [`Who`] from a run of name tokens: a [`Name`], or for a run of titles only ("the
    /// Prime Minister") a noun phrase.
    pub fn make_name(&self, run: Range<usize>) -> Option<(Who, Range<usize>)> {
        if run.is_empty() || run.end > self.toks.len() {
            return None;
        }
        let word = |i: usize| self.word(i).unwrap_or("");
        let low = |i: usize| self.lower(i).unwrap_or("");
        let is_title = |i: usize| lx::is_title(low(i)) && !word(i).chars().all(char::is_uppercase);
        let span_of =
            |r: Range<usize>| self.toks[r.start].span.start..self.toks[r.end - 1].span.end;
        if run.clone().all(is_title) {
            let phrase = format!("the {}", &self.text[span_of(run.clone())].to_lowercase());
            return Some((Who::Noun(phrase.into()), span_of(run)));
        }
        let n = run.len();
        // Titles: keep what follows the last one (U.S. Defense Secretary Chuck Hagel → Chuck
        // Hagel).
        let mut from = match run.clone().rposition(is_title) {
            Some(t) if t + 1 < n => t + 1,
            _ => 0,
        };
        // "…Institute of Navigation Roger McKinlay": the first word belongs to the institute.
        let after_of = run.start > 0 && self.lower(run.start - 1) == Some("of");
        if after_of && from == 0 && n >= 3 {
            from = 1;
        }
        // "Smoker Neil Timms": a capitalised first word of a sentence is not a first name.
        if from == 0 && n >= 3 && self.initial[run.start] && self.capital[run.start] & 2 == 0 {
            from = 1;
        }
        let from = from.max(n.saturating_sub(4));
        let kept = run.start + from..run.end;
        let last = unpossess(word(kept.end - 1));
        let acronym = last.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && last
                .chars()
                .all(|c| c.is_uppercase() || c == '.' || c == '&');
        let org = acronym
            || kept
                .clone()
                .any(|i| lx::is_org_word(unpossess(low(i))) || self.is_punct(i, "&"));
        let span = span_of(kept.clone());
        let mut full = String::with_capacity(span.len());
        for i in kept.clone() {
            if !full.is_empty() {
                full.push(' ');
            }
            full.push_str(if i + 1 == kept.end { last } else { word(i) });
        }
        if org {
            // As written, with its "&" or plural possessive ("Pearce & Co", "Renters' Union").
            full = self.text[span.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(f) = full.strip_suffix("’s").or_else(|| full.strip_suffix("'s")) {
                full = f.to_string();
            }
        }
        let full: Arc<str> = full.into();
        let the_before = kept.start > 0 && self.lower(kept.start - 1) == Some("the");
        let short = if org {
            if the_before {
                format!("the {full}").into()
            } else {
                full.clone()
            }
        } else {
            last.into()
        };
        Some((Who::Name(Name::new(full, short, org)), span))
    }

    pub(super) fn name_at(&self, run: Range<usize>) -> Option<Cue> {
        let (who, span) = self.make_name(run)?;
        Some(Cue::new(who, span))
    }

    /// A noun phrase ending at token `j` (inclusive): "the mayor", "one resident", "police".
    pub(super) fn noun_back(&self, j: usize, lo: usize) -> Option<Cue> {
        let s = self.noun_start(j, lo);
        let phrase = self.phrase(s..j + 1);
        Some(Cue::new(
            Who::Noun(phrase.into()),
            self.toks[s].span.start..self.toks[j].span.end,
        ))
    }

    /// Where the noun phrase ending at token `j` starts (its determiner, if any).
    pub(super) fn noun_start(&self, j: usize, lo: usize) -> usize {
        let mut s = j;
        let mut n = 0;
        while s > lo && n < 5 {
            let k = s - 1;
            let Some(w) = self.lower(k) else { break };
            if lx::is_determiner(w) {
                s = k;
                break;
            }
            if lx::is_function_word(w) || lx::is_pronoun(w) || lx::is_aux_or_adverb(w) {
                break;
            }
            s = k;
            n += 1;
        }
        s
    }

    /// The end of the noun phrase starting at `j`.
    pub(super) fn noun_end(&self, j: usize, hi: usize) -> usize {
        let mut e = j + 1;
        while e < hi && e < j + 6 {
            let Some(w) = self.lower(e) else { break };
            if lx::is_function_word(w) || lx::is_determiner(w) || lx::is_pronoun(w) {
                break;
            }
            e += 1;
        }
        e
    }

    /// The name inside the noun phrase at `j` ("the Ministry of Health"), if any.
    pub(super) fn name_in_noun(&self, j: usize, hi: usize) -> Option<Cue> {
        let e = self.noun_end(j, hi);
        let first = (j + 1..e).find(|&i| self.name_word(i))?;
        self.name_at(self.name_fwd(first, hi))
    }

    /// A noun phrase starting at determiner/word `j`: "the mayor", "a local resident".
    pub(super) fn noun_fwd(&self, j: usize, hi: usize) -> Option<Cue> {
        let e = self.noun_end(j, hi);
        if e == j + 1 && self.lower(j).is_some_and(lx::is_determiner) {
            return None; // a lone determiner
        }
        // "the Ministry of Health" reads better as a name.
        if let Some(first) = (j + 1..e).find(|&i| self.name_word(i)) {
            let run = self.name_fwd(first, hi);
            return self.name_at(run);
        }
        Some(Cue::new(
            Who::Noun(self.phrase(j..e).into()),
            self.toks[j].span.start..self.toks[e - 1].span.end,
        ))
    }

    pub(super) fn phrase(&self, r: Range<usize>) -> String {
        let mut out = String::new();
        for (n, i) in r.enumerate() {
            if let Some(w) = self.word(i) {
                if n > 0 {
                    out.push(' ');
                }
                if n == 0 {
                    out.push_str(&lower(w));
                } else {
                    out.push_str(w);
                }
            }
        }
        out
    }

    pub(super) fn pronoun(&self, i: usize, p: &str) -> Cue {
        Cue::new(Who::Pronoun(p.into()), self.toks[i].span.clone())
    }

    /// "Helen Marsh of the Valley Patients' Association said", "Analysts at Pearce & Co
    /// said": the speaker is the person (or the people) before the organisation.
    pub(super) fn of_org(&self, run: Range<usize>, lo: usize) -> Option<Cue> {
        let Some((Who::Name(n), _)) = self.make_name(run.clone()) else {
            return None;
        };
        if !n.org {
            return None;
        }
        let mut k = run.start;
        if k > lo && self.lower(k - 1) == Some("the") {
            k -= 1;
        }
        if k < lo + 2 || !matches!(self.lower(k - 1), Some("of" | "at" | "from")) {
            return None;
        }
        let j = k - 2;
        if self.name_word(j) {
            let person = self.name_at(self.name_back(j, lo))?;
            return matches!(&person.who, Who::Name(p) if !p.org).then_some(person);
        }
        let w = self.lower(j)?;
        if matches!(self.toks[j].kind, Kind::Word)
            && !lx::is_function_word(w)
            && !lx::is_determiner(w)
            && !lx::is_pronoun(w)
        {
            return self
                .noun_back(j, lo)
                .filter(|c| matches!(&c.who, Who::Noun(_)));
        }
        None
    }

    /// "A decree issued by the Queen said": the subject is the document, not the person
    /// after "by" (a participle before it, a document noun before that).
    pub(super) fn document_by(&self, name_start: usize, lo: usize) -> Option<Cue> {
        let mut k = name_start;
        if k > lo && self.lower(k - 1) == Some("the") && self.lower(k) != Some("the") {
            k -= 1;
        }
        if k < lo + 3 || self.lower(k - 1) != Some("by") {
            return None;
        }
        let participle = self.lower(k - 2)?;
        if !(participle.ends_with("ed") || matches!(participle, "written" | "drawn" | "sent")) {
            return None;
        }
        let head = self.lower(k - 3)?;
        if !DOCUMENT_NOUNS.contains(head) {
            return None;
        }
        self.noun_back(k - 3, lo)
    }

    /// "The minister, Declan Murphy, said" / "Hong Lei, a spokesman, said": the comma at `c`
    /// closes an appositive or a relative clause.
    pub(super) fn appositive(&self, c: usize, lo: usize) -> Option<Cue> {
        let lo = lo.max(c.saturating_sub(40));
        // Up to three comma-separated segments back.
        let mut end = c;
        let mut segments: Vec<Range<usize>> = Vec::new();
        let mut i = c;
        while i > lo && segments.len() < 3 {
            i -= 1;
            if self.is_quote(i) {
                segments.push(i + 1..end);
                break;
            }
            if self.is_punct(i, ",—–") {
                segments.push(i + 1..end);
                end = i;
            } else if i == lo {
                segments.push(lo..end);
            }
        }
        // A name in the nearest segment that has one, not inside a prepositional phrase
        // ("a student from Bristol").
        for seg in &segments {
            // Not a name inside a relative clause ("Farrow, who scored Town's only goal,").
            if self
                .lower(seg.start)
                .is_some_and(|w| matches!(w, "who" | "whose" | "which" | "whom"))
            {
                continue;
            }
            if let Some(k) = seg.clone().rev().find(|&k| self.name_word(k)) {
                let run = self.name_back(k, seg.start);
                let mut b = run.start;
                if b > seg.start && self.lower(b - 1).is_some_and(lx::is_determiner) {
                    b -= 1;
                }
                let after_prep = b > seg.start
                    && self.lower(b - 1).is_some_and(|w| {
                        lx::is_function_word(w) && !matches!(w, "and" | "but")
                            || w.ends_with("-based")
                    });
                if !after_prep {
                    return self.name_at(run);
                }
            }
        }
        for seg in &segments {
            if seg.is_empty() {
                continue;
            }
            let first = self.lower(seg.start);
            if first.is_some_and(lx::is_determiner) {
                return self.noun_fwd(seg.start, seg.end);
            }
            if let Some(w) = first
                && lx::is_pronoun(w)
                && w != "who"
                && w != "it"
            {
                return Some(self.pronoun(seg.start, w));
            }
        }
        None
    }
}
