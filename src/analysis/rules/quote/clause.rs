//! The words around quotations: a paragraph as tokens in which each top-level quotation is one
//! opaque token, split into sentences, and the attribution cues those sentences carry (a
//! speech verb with its speaker, "according to X", "in a statement", a colon before a quote).

use super::lexicon as lx;
use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct(char),
    /// A top-level quotation (index into the rule's quotation list).
    Quote(usize),
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: Kind,
    /// Absolute byte range.
    pub span: Range<usize>,
}

/// A named speaker: a person or an organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// "Hong Lei", "World Health Organization".
    pub full: String,
    /// How to refer to them again: "Hong", "the World Health Organization".
    pub short: String,
    pub org: bool,
}

/// Who a cue says is speaking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    Name(Name),
    /// he, she, they… (not resolved to a name).
    Pronoun(String),
    /// the spokesman, a researcher, police.
    Noun(String),
    /// "in a statement", a colon: a source without a name.
    Unknown,
}

impl Who {
    /// How a message names them, if it can.
    pub fn display(&self) -> Option<String> {
        match self {
            Who::Name(n) => Some(if n.org && n.short.starts_with("the ") {
                n.short.clone()
            } else {
                n.full.clone()
            }),
            Who::Noun(s) => Some(s.clone()),
            Who::Pronoun(_) | Who::Unknown => None,
        }
    }
    /// How an inserted attribution refers to them ("Hong", "the spokesman").
    pub fn reference(&self) -> Option<String> {
        match self {
            Who::Name(n) => Some(n.short.clone()),
            Who::Noun(s) => Some(s.clone()),
            _ => None,
        }
    }
    fn rank(&self) -> u8 {
        match self {
            Who::Name(_) => 3,
            Who::Noun(_) => 2,
            Who::Pronoun(_) => 1,
            Who::Unknown => 0,
        }
    }
}

/// An attribution cue: who, and where the text names them.
#[derive(Clone, Debug)]
pub struct Cue {
    pub who: Who,
    pub span: Range<usize>,
    /// Only attributes a quotation in its own sentence ("she smiled: “…”").
    pub weak: bool,
    /// Only meaningful next to a quotation (a passive "was told", an agent "by X"): not a
    /// speaker of the paragraph.
    pub incidental: bool,
}

impl Cue {
    pub fn new(who: Who, span: Range<usize>) -> Self {
        Cue {
            who,
            span,
            weak: false,
            incidental: false,
        }
    }
}

/// Speech verbs: the built-in list plus the user's.
pub struct Verbs {
    builtin: &'static HashSet<String>,
    extra: HashSet<String>,
}

impl Verbs {
    pub fn new(user: &[String]) -> Self {
        let mut extra = HashSet::new();
        for w in user {
            let w = w.trim();
            if w.is_empty() || w.contains(char::is_whitespace) {
                continue;
            }
            extra.extend(lx::inflect(w));
        }
        Verbs {
            builtin: lx::builtin_verbs(),
            extra,
        }
    }
    pub fn contains(&self, w: &str) -> bool {
        self.builtin.contains(w) || self.extra.contains(w)
    }
}

fn capitalized(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Strip a possessive: Hong’s → Hong.
fn unpossess(s: &str) -> &str {
    s.strip_suffix("’s")
        .or_else(|| s.strip_suffix("'s"))
        .or_else(|| s.strip_suffix('’'))
        .unwrap_or(s)
}

/// One paragraph's tokens and sentences.
pub struct Clauses<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    /// Token index ranges.
    pub sents: Vec<Range<usize>>,
    /// Tokens that start a sentence (or follow a colon), where any word is capitalised.
    initial: Vec<bool>,
    /// Lowercase words the document capitalises in mid-sentence: names.
    capitals: &'a HashSet<String>,
}

/// Lowercase words written capitalised somewhere other than at the start of a sentence.
pub fn mid_sentence_capitals(text: &str, into: &mut HashSet<String>) {
    let mut at_start = true;
    let mut word_start: Option<usize> = None;
    let mut prev_initial = true;
    let flush = |from: usize, to: usize, initial: bool, into: &mut HashSet<String>| {
        let w = &text[from..to];
        if !initial && w.chars().any(char::is_uppercase) {
            into.insert(unpossess(w).to_lowercase());
        }
    };
    for (i, c) in text.char_indices() {
        let in_word =
            c.is_alphanumeric() || (word_start.is_some() && matches!(c, '\'' | '’' | '-'));
        if in_word {
            if word_start.is_none() {
                word_start = Some(i);
                prev_initial = at_start;
                at_start = false;
            }
            continue;
        }
        if let Some(ws) = word_start.take() {
            flush(ws, i, prev_initial, into);
        }
        if matches!(
            c,
            '.' | '!' | '?' | ':' | '“' | '"' | '‘' | '«' | '„' | '(' | '—' | '–' | '•'
        ) {
            at_start = true;
        } else if c == '\n' {
            // a line break inside a paragraph does not start a sentence
        }
    }
    if let Some(ws) = word_start {
        flush(ws, text.len(), prev_initial, into);
    }
}

impl<'a> Clauses<'a> {
    /// Tokenise `span` of `text` (the document prose). `quotes` are (id, full span) of the
    /// top-level quotations in the paragraph, in order; `ends_sentence[id]` says whether a
    /// quotation's own text ends with . ! ? or …
    pub fn new(
        text: &'a str,
        span: Range<usize>,
        quotes: &[(usize, Range<usize>)],
        ends_sentence: impl Fn(usize) -> bool,
        capitals: &'a HashSet<String>,
    ) -> Self {
        let toks = tokenize(text, span, quotes);
        let sents = sentences(text, &toks, ends_sentence);
        let mut initial = vec![false; toks.len()];
        for r in &sents {
            if let Some(k) = toks[r.clone()].iter().position(|t| t.kind == Kind::Word) {
                initial[r.start + k] = true;
            }
        }
        for k in 1..toks.len() {
            if matches!(
                toks[k - 1].kind,
                Kind::Punct(':' | '(' | '—' | '–') | Kind::Quote(_)
            ) {
                initial[k] = true;
            }
        }
        Clauses {
            text,
            toks,
            sents,
            initial,
            capitals,
        }
    }

    pub fn word(&self, i: usize) -> Option<&'a str> {
        let t = self.toks.get(i)?;
        (t.kind == Kind::Word).then(|| &self.text[t.span.clone()])
    }

    pub fn lower(&self, i: usize) -> Option<Cow<'a, str>> {
        self.word(i).map(lower)
    }

    fn is_punct(&self, i: usize, set: &str) -> bool {
        matches!(self.toks.get(i).map(|t| t.kind), Some(Kind::Punct(c)) if set.contains(c))
    }

    fn is_quote(&self, i: usize) -> bool {
        matches!(self.toks.get(i).map(|t| t.kind), Some(Kind::Quote(_)))
    }

    /// The sentence holding token `i`.
    pub fn sentence_of(&self, i: usize) -> usize {
        self.sents
            .partition_point(|r| r.end <= i)
            .min(self.sents.len().saturating_sub(1))
    }

    /// A word that can be part of a name: capitalised and not a function word.
    /// A word that can be part of a name. At the start of a sentence, only a word the
    /// document also capitalises elsewhere ("Attitudes have changed" is not a name), or one
    /// followed by another name word ("Novak Djokovic won").
    fn name_word(&self, i: usize) -> bool {
        self.loose_name_word(i)
            && (!self.initial[i]
                || self
                    .word(i)
                    .is_some_and(|w| self.capitals.contains(&*lower(unpossess(w))))
                || (i + 1 < self.toks.len() && !self.initial[i + 1] && self.loose_name_word(i + 1)))
    }

    /// [`Self::name_word`] without the sentence-start test ("Ferreira said …").
    fn loose_name_word(&self, i: usize) -> bool {
        match self.word(i) {
            Some(w) => {
                w.chars().any(char::is_uppercase)
                    && w.chars().next().is_some_and(char::is_alphabetic)
                    && !lx::is_stop_capital(&lower(unpossess(w)))
                    && !(capitalized(w) && {
                        // "Writing in …", "Asked about …": a verb, not a name.
                        let l = lower(w);
                        (l.ends_with("ing")
                            || l.ends_with("ed")
                            || matches!(&*l, "said" | "says" | "told" | "wrote"))
                            && lx::builtin_verbs().contains(&*l)
                    })
                    && !lx::is_pronoun(&lower(w))
            }
            None => false,
        }
    }

    fn particle(&self, i: usize) -> bool {
        self.word(i).is_some_and(lx::is_name_particle)
    }

    /// The name ending at token `j` (inclusive), walking back.
    fn name_back(&self, j: usize, lo: usize) -> Range<usize> {
        let mut s = j;
        while s > lo {
            let k = s - 1;
            if self.name_word(k) {
                s = k;
            } else if self.particle(k) && k > lo && self.name_word(k - 1) {
                s = k - 1;
            } else {
                break;
            }
        }
        s..j + 1
    }

    /// The name starting at token `j`, walking forward.
    fn name_fwd(&self, j: usize, hi: usize) -> Range<usize> {
        let mut e = j + 1;
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
        if run.is_empty() {
            return None;
        }
        let words: Vec<&str> = run.clone().filter_map(|i| self.word(i)).collect();
        let is_title = |w: &str| lx::is_title(&lower(w)) && !w.chars().all(|c| c.is_uppercase());
        if words.iter().all(|w| is_title(w)) {
            let phrase = format!("the {}", lower(&words.join(" ")));
            let span = self.toks[run.start].span.start..self.toks[run.end - 1].span.end;
            return Some((Who::Noun(phrase), span));
        }
        // Titles: keep what follows the last one (U.S. Defense Secretary Chuck Hagel → Chuck
        // Hagel).
        let mut from = match words.iter().rposition(|w| is_title(w)) {
            Some(t) if t + 1 < words.len() => t + 1,
            _ => 0,
        };
        // "…Institute of Navigation Roger McKinlay": the first word belongs to the institute.
        let after_of = run.start > 0 && self.lower(run.start - 1).is_some_and(|w| w == "of");
        if after_of && from == 0 && words.len() >= 3 {
            from = 1;
        }
        // "Smoker Neil Timms": a capitalised first word of a sentence is not a first name.
        if from == 0
            && words.len() >= 3
            && self.initial[run.start]
            && !self.capitals.contains(&*lower(words[0]))
        {
            from = 1;
        }
        let from = from.max(words.len().saturating_sub(4));
        let kept: Vec<&str> = words[from..].to_vec();
        let last = unpossess(kept.last()?);
        let acronym = last.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && last
                .chars()
                .all(|c| c.is_uppercase() || c == '.' || c == '&');
        let org = acronym || kept.iter().any(|w| lx::is_org_word(&lower(unpossess(w))));
        let mut full: Vec<String> = kept.iter().map(|s| s.to_string()).collect();
        if let Some(l) = full.last_mut() {
            *l = unpossess(l).to_string();
        }
        let full = full.join(" ");
        let the_before =
            run.start + from > 0 && self.lower(run.start + from - 1).is_some_and(|w| w == "the");
        let short = if org {
            if the_before {
                format!("the {full}")
            } else {
                full.clone()
            }
        } else {
            last.to_string()
        };
        let span = self.toks[run.start + from].span.start..self.toks[run.end - 1].span.end;
        Some((Who::Name(Name { full, short, org }), span))
    }

    fn name_at(&self, run: Range<usize>) -> Option<Cue> {
        let (who, span) = self.make_name(run)?;
        Some(Cue::new(who, span))
    }

    /// A noun phrase ending at token `j` (inclusive): "the mayor", "one resident", "police".
    fn noun_back(&self, j: usize, lo: usize) -> Option<Cue> {
        let mut s = j;
        let mut n = 0;
        while s > lo && n < 5 {
            let k = s - 1;
            let Some(w) = self.lower(k) else { break };
            if lx::is_determiner(&w) {
                s = k;
                break;
            }
            if lx::is_function_word(&w) || lx::is_pronoun(&w) || lx::is_aux_or_adverb(&w) {
                break;
            }
            s = k;
            n += 1;
        }
        let phrase = self.phrase(s..j + 1);
        Some(Cue::new(
            Who::Noun(phrase),
            self.toks[s].span.start..self.toks[j].span.end,
        ))
    }

    /// A noun phrase starting at determiner/word `j`: "the mayor", "a local resident".
    fn noun_fwd(&self, j: usize, hi: usize) -> Option<Cue> {
        let mut e = j + 1;
        while e < hi && e < j + 6 {
            let Some(w) = self.lower(e) else { break };
            if lx::is_function_word(&w) || lx::is_determiner(&w) || lx::is_pronoun(&w) {
                break;
            }
            e += 1;
        }
        if e == j + 1 && self.lower(j).is_some_and(|w| lx::is_determiner(&w)) {
            return None; // a lone determiner
        }
        // "the Ministry of Health" reads better as a name.
        if let Some(first) = (j + 1..e).find(|&i| self.name_word(i)) {
            let run = self.name_fwd(first, hi);
            return self.name_at(run);
        }
        Some(Cue::new(
            Who::Noun(self.phrase(j..e)),
            self.toks[j].span.start..self.toks[e - 1].span.end,
        ))
    }

    fn phrase(&self, r: Range<usize>) -> String {
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

    fn pronoun(&self, i: usize, p: &str) -> Cue {
        Cue::new(Who::Pronoun(p.to_string()), self.toks[i].span.clone())
    }

    /// The speaker written just before a speech verb at `v`, within `lo..v`.
    fn subject_before(&self, v: usize, lo: usize) -> Option<Cue> {
        let mut j = v;
        let mut skipped = 0;
        let mut loose = false; // after "and", "who", "to": only a pronoun or a name will do
        while j > lo {
            j -= 1;
            match self.toks[j].kind {
                Kind::Quote(_) => return None,
                Kind::Punct(',' | '—' | '–') => {
                    if loose {
                        return None;
                    }
                    return self.appositive(j, lo);
                }
                Kind::Punct(')') => {
                    // Skip a parenthesis: "Smith (45) said".
                    while j > lo && !self.is_punct(j, "(") {
                        j -= 1;
                    }
                    continue;
                }
                Kind::Punct(_) => return None,
                Kind::Word => {}
            }
            let w = self.lower(j)?;
            let bare = lx::strip_contraction(&w);
            if lx::is_pronoun(bare) && bare != "who" {
                return Some(self.pronoun(j, bare));
            }
            if self.name_word(j) || (self.initial[j] && self.loose_name_word(j)) {
                let run = self.name_back(j, lo).start.min(j)..j + 1;
                // After "and": "Hong smiled and said", not "he quotes Sun Tzu and says".
                let subject_position = run.start == lo
                    || self.is_punct(run.start - 1, ",;—–")
                    || self.lower(run.start - 1).is_some_and(|w| {
                        matches!(
                            &*w,
                            "that"
                                | "when"
                                | "as"
                                | "while"
                                | "and"
                                | "but"
                                | "then"
                                | "because"
                                | "after"
                                | "before"
                                | "if"
                                | "although"
                                | "though"
                                | "so"
                        )
                    });
                if !loose || subject_position {
                    return self.name_at(run);
                }
                j = run.start;
                continue;
            }
            skipped += 1;
            if skipped > 6 {
                return None;
            }
            if lx::is_aux_or_adverb(&w) {
                continue;
            }
            if matches!(
                &*w,
                "and"
                    | "but"
                    | "then"
                    | "who"
                    | "to"
                    | "on"
                    | "went"
                    | "as"
                    | "quoted"
                    | "was"
                    | "were"
                    | "had"
                    | "which"
            ) {
                loose = true;
                continue;
            }
            if loose {
                continue;
            }
            if lx::is_function_word(&w) || lx::is_determiner(&w) {
                return None;
            }
            if w.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            // A lowercase content word: the head of a noun phrase.
            return self.noun_back(j, lo);
        }
        None
    }

    /// "The minister, Declan Murphy, said" / "Hong Lei, a spokesman, said": the comma at `c`
    /// closes an appositive or a relative clause.
    fn appositive(&self, c: usize, lo: usize) -> Option<Cue> {
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
            if let Some(k) = seg.clone().rev().find(|&k| self.name_word(k)) {
                let run = self.name_back(k, seg.start);
                let mut b = run.start;
                if b > seg.start && self.lower(b - 1).is_some_and(|w| lx::is_determiner(&w)) {
                    b -= 1;
                }
                let after_prep = b > seg.start
                    && self.lower(b - 1).is_some_and(|w| {
                        lx::is_function_word(&w) && !matches!(&*w, "and" | "but")
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
            if first.as_deref().is_some_and(lx::is_determiner) {
                return self.noun_fwd(seg.start, seg.end);
            }
            if let Some(w) = first
                && lx::is_pronoun(&w)
                && w != "who"
                && w != "it"
            {
                return Some(self.pronoun(seg.start, &w));
            }
        }
        None
    }

    /// The speaker after a verb: "said Hong", "said the mayor", "added one resident", "said
    /// spokesman Tomas Berg".
    fn subject_after(&self, v: usize, hi: usize) -> Option<Cue> {
        let mut j = v + 1;
        while j < hi && self.lower(j).is_some_and(|w| lx::is_aux_or_adverb(&w)) && j < v + 3 {
            j += 1;
        }
        let w = self.lower(j)?;
        if self.particle(j) && self.name_word(j + 1) {
            return self.name_at(self.name_fwd(j, hi));
        }
        if self.name_word(j) && !lx::is_time_word(&w) {
            return self.name_at(self.name_fwd(j, hi));
        }
        if lx::is_determiner(&w) && !matches!(&*w, "that" | "this" | "all" | "no" | "any") {
            return self.noun_fwd(j, hi);
        }
        if matches!(&*w, "he" | "she") {
            return Some(self.pronoun(j, &w));
        }
        // A role before a name: "said neuroscientist Dr Hugo Spiers".
        if !lx::is_function_word(&w) {
            for k in j + 1..(j + 3).min(hi) {
                if self.name_word(k) {
                    return self.name_at(self.name_fwd(k, hi));
                }
                if self.lower(k).is_none_or(|x| lx::is_function_word(&x)) {
                    break;
                }
            }
        }
        None
    }

    /// Is the speech-verb form at `i` used as a verb here? `Some(true)` for a passive.
    fn verb_here(&self, i: usize, lo: usize, hi: usize, verbs: &Verbs) -> Option<bool> {
        let raw = self.word(i)?;
        if capitalized(raw) && i != lo {
            return None; // "United States", a name
        }
        let w = lower(raw);
        if !verbs.contains(&w) {
            return None;
        }
        if let Some(parts) = lx::needs_particle(&w) {
            let next = self.lower(i + 1);
            let ok = next.as_deref().is_some_and(|n| parts.contains(&n))
                || (parts.contains(&"that") && (self.is_punct(i + 1, ":") || self.is_quote(i + 1)));
            if !ok || i + 1 >= hi {
                return None;
            }
        }
        if i > lo
            && let Some(p) = self.lower(i - 1)
        {
            if lx::makes_noun(&p) {
                return None;
            }
            if lx::is_be(&p) && !w.ends_with("ing") {
                return Some(true); // passive: "was told", "is said"
            }
            if p == "to" && !(i >= lo + 2 && self.lower(i - 2).is_some_and(|q| q == "on")) {
                return None; // "declined to comment", but "went on to say"
            }
        }
        Some(false)
    }

    /// Every attribution cue in sentence `s`.
    pub fn cues(&self, s: usize, verbs: &Verbs) -> Vec<Cue> {
        let r = self.sents[s].clone();
        let (lo, hi) = (r.start, r.end);
        let mut out: Vec<Cue> = Vec::new();
        for i in r {
            match self.toks[i].kind {
                Kind::Word => {}
                Kind::Punct(':') if self.is_quote(i + 1) || i + 1 == hi => {
                    // "The verdict: “…”" (a verb before the colon is a cue of its own).
                    if out.is_empty() {
                        out.push(self.colon_cue(i, lo));
                    }
                    continue;
                }
                Kind::Quote(_) => {
                    // A pull quote or a source line: "“…” — Shimon Peres".
                    if let Some(c) = self.name_after_quote(i, hi) {
                        out.push(c);
                    }
                    continue;
                }
                _ => continue,
            }
            let w = self.lower(i).unwrap_or_default();
            if w == "according" && self.lower(i + 1).is_some_and(|n| n == "to") {
                let who = self
                    .subject_after(i + 1, hi)
                    .unwrap_or(Cue::new(Who::Unknown, self.toks[i].span.clone()));
                out.push(who);
                continue;
            }
            if w == "in" && i + 1 < hi {
                // in a statement / in his speech / in Smith’s blog post
                let mut k = i + 1;
                let mut name = None;
                while k < hi && k <= i + 5 && self.toks[k].kind == Kind::Word {
                    let kw = self.lower(k).unwrap_or_default();
                    if k > i + 1 && lx::is_source_noun(&kw) {
                        out.push(name.take().unwrap_or(Cue::new(
                            Who::Unknown,
                            self.toks[i].span.start..self.toks[k].span.end,
                        )));
                        break;
                    }
                    if lx::is_function_word(&kw) && k > i + 1 {
                        break;
                    }
                    if self.name_word(k) && (kw.ends_with("’s") || kw.ends_with("'s")) {
                        name = self.name_at(self.name_back(k, i + 1));
                    }
                    k += 1;
                }
                continue;
            }
            if matches!(
                &*w,
                "quote"
                    | "quotes"
                    | "quotation"
                    | "words"
                    | "message"
                    | "remark"
                    | "remarks"
                    | "statement"
                    | "tweet"
                    | "letter"
                    | "comment"
                    | "comments"
                    | "line"
            ) && self.lower(i + 1).is_some_and(|n| n == "from" || n == "by")
            {
                // "a quote from the artist"
                if let Some(c) = self.subject_after(i + 1, hi) {
                    out.push(c);
                }
                continue;
            }
            if w == "by"
                && i > lo
                && self
                    .lower(i - 1)
                    .is_some_and(|p| p.ends_with("ed") || p.ends_with("en") || p == "out")
            {
                // An agent: "singled out by van Otterdijk as “…”".
                if let Some(mut c) = self.subject_after(i, hi) {
                    c.weak = true;
                    c.incidental = true;
                    out.push(c);
                }
                continue;
            }
            let Some(passive) = self.verb_here(i, lo, hi, verbs) else {
                continue;
            };
            if passive {
                // "After being told that …“…”": someone said it, not named.
                let mut c = Cue::new(Who::Unknown, self.toks[i].span.clone());
                c.weak = true;
                c.incidental = true;
                out.push(c);
                continue;
            }
            let listener = lx::takes_listener(&w);
            let cue = self
                .subject_before(i, lo)
                .or_else(|| {
                    if listener {
                        None
                    } else {
                        self.subject_after(i, hi)
                    }
                })
                .or_else(|| {
                    // Right next to a quotation: "“…,” said." or "said: “…”".
                    let near = (i > lo && self.is_quote(i - 1))
                        || self.is_quote(i + 1)
                        || (self.is_punct(i + 1, ":,") && self.is_quote(i + 2));
                    near.then(|| Cue::new(Who::Unknown, self.toks[i].span.clone()))
                });
            if let Some(mut c) = cue {
                let by_quote = (i > lo && self.is_quote(i - 1))
                    || (i > lo + 1 && self.is_quote(i - 2))
                    || self.is_quote(i + 1)
                    || self.is_punct(i + 1, ":");
                c.weak = lx::needs_own_quote(&w) && !by_quote;
                out.push(c);
            }
        }
        out
    }

    /// "“…” — Shimon Peres", "“…” Jane Doe, mayor": a name right after a quotation, after a
    /// dash, or a full name followed by punctuation or the end.
    fn name_after_quote(&self, q: usize, hi: usize) -> Option<Cue> {
        let mut j = q + 1;
        let dash = self.is_punct(j, "—–-―");
        if dash {
            j += 1;
            if self.lower(j).is_some_and(|w| w == "the") {
                j += 1;
            }
        }
        if !(self.name_word(j) || dash && self.loose_name_word(j)) {
            return None;
        }
        let run = self.name_fwd(j, self.toks.len());
        // A caption or source line ends there: "— CBC.ca, August 15", "Shimon Peres image:".
        let ends = run.end >= self.toks.len()
            || self.is_punct(run.end, ",.;(")
            || self
                .lower(run.end)
                .is_some_and(|w| matches!(&*w, "image" | "photo" | "pictured" | "file"));
        if !(dash || run.len() >= 2 && ends) {
            return None;
        }
        let _ = hi;
        self.name_at(run)
    }

    /// The best cue of a sentence (a named speaker over a pronoun over nothing; the first of
    /// equals).
    pub fn best_cue(cues: &[Cue], strong_only: bool) -> Option<&Cue> {
        let mut best: Option<&Cue> = None;
        for c in cues.iter().filter(|c| !strong_only || !c.weak) {
            if best.is_none_or(|b| c.who.rank() > b.who.rank()) {
                best = Some(c);
            }
        }
        best
    }

    /// "The minister was blunt: “…”": the speaker is the clause's subject, if any.
    fn colon_cue(&self, colon: usize, lo: usize) -> Cue {
        let mut start = colon;
        while start > lo
            && !matches!(
                self.toks[start - 1].kind,
                Kind::Quote(_) | Kind::Punct(';' | '.' | '?' | '!')
            )
        {
            start -= 1;
        }
        self.clause_subject(start, colon)
            .unwrap_or(Cue::new(Who::Unknown, self.toks[colon].span.clone()))
    }

    /// The first name, pronoun or determiner phrase in `lo..hi`.
    pub fn clause_subject(&self, lo: usize, hi: usize) -> Option<Cue> {
        let mut i = lo;
        while i < hi {
            if let Some(w) = self.lower(i) {
                if self.name_word(i) {
                    return self.name_at(self.name_fwd(i, hi));
                }
                let bare = lx::strip_contraction(&w);
                if matches!(bare, "he" | "she" | "they" | "we" | "i") {
                    return Some(self.pronoun(i, bare));
                }
                if let Some(p) = match bare {
                    "his" => Some("he"),
                    "her" => Some("she"),
                    "their" => Some("they"),
                    _ => None,
                } {
                    // "his mate Henry Fischer" is Henry Fischer; "his policies" is him.
                    if let Some(c) = self.noun_fwd(i, hi)
                        && matches!(c.who, Who::Name(_))
                    {
                        return Some(c);
                    }
                    return Some(self.pronoun(i, p));
                }
                if matches!(
                    &*w,
                    "and" | "but" | "or" | "so" | "yet" | "then" | "also" | "now"
                ) {
                    i += 1;
                    continue;
                }
                if lx::is_determiner(&w) && !matches!(&*w, "that" | "this" | "all" | "no" | "any") {
                    return self.noun_fwd(i, hi);
                }
                if lx::is_function_word(&w) {
                    // "In the end, …", "When he went to London, …": skip to the comma, unless
                    // a person is named on the way.
                    let mut k = i + 1;
                    while k < hi && !self.is_punct(k, ",") {
                        k += 1;
                    }
                    if k < hi {
                        i = k;
                    }
                }
            }
            i += 1;
        }
        None
    }

    /// A person or organisation the words `lo..hi` are about: a name or a personal pronoun as
    /// the clause's subject ("Iguchi shakes his head.", "His policies – “…” – …").
    pub fn person_in(&self, lo: usize, hi: usize) -> Option<Cue> {
        let c = self.clause_subject(lo, hi)?;
        match &c.who {
            Who::Name(_) => Some(c),
            Who::Pronoun(p) if matches!(p.as_str(), "he" | "she" | "i" | "we" | "they") => Some(c),
            _ => None,
        }
    }

    /// Runs of two or more name words (people mentioned), for resolving "Hong" → "Hong Lei".
    pub fn name_runs(&self, s: usize) -> Vec<Range<usize>> {
        let r = self.sents[s].clone();
        let mut out = Vec::new();
        let mut i = r.start;
        while i < r.end {
            if self.name_word(i) {
                let run = self.name_fwd(i, r.end);
                let next = run.end.max(i + 1);
                if run.len() >= 2 {
                    out.push(run);
                }
                i = next;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The index of the token of quotation `q`.
    pub fn token_of(&self, q: usize) -> Option<usize> {
        self.toks.iter().position(|t| t.kind == Kind::Quote(q))
    }

    /// Words of the paragraph before token `i` (0 = the quotation opens the paragraph).
    pub fn words_before(&self, i: usize) -> usize {
        self.toks[..i]
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .count()
    }

    /// Is sentence `s` made of quotations only (no words of its own)?
    pub fn only_quotes(&self, s: usize) -> bool {
        let r = self.sents[s].clone();
        let mut any = false;
        for t in &self.toks[r] {
            match t.kind {
                Kind::Word => return false,
                Kind::Quote(_) => any = true,
                Kind::Punct(_) => {}
            }
        }
        any
    }

    /// Up to `n` words just before token `i`, nearest first, stopping at punctuation or at
    /// another quotation.
    pub fn words_just_before(&self, i: usize, n: usize) -> Vec<Cow<'a, str>> {
        let mut out = Vec::new();
        let mut j = i;
        while j > 0 && out.len() < n {
            j -= 1;
            match self.toks[j].kind {
                Kind::Word => out.push(self.lower(j).unwrap_or_default()),
                _ => break,
            }
        }
        out
    }
}

fn tokenize(text: &str, span: Range<usize>, quotes: &[(usize, Range<usize>)]) -> Vec<Token> {
    let mut toks = Vec::new();
    let mut i = span.start;
    let mut qi = 0;
    let end = span.end.min(text.len());
    while i < end {
        while qi < quotes.len() && quotes[qi].1.start < i {
            qi += 1;
        }
        if let Some((id, qs)) = quotes.get(qi)
            && qs.start == i
        {
            let qend = qs.end.clamp(i + 1, end);
            toks.push(Token {
                kind: Kind::Quote(*id),
                span: i..qend,
            });
            i = qend;
            while !text.is_char_boundary(i) {
                i += 1;
            }
            qi += 1;
            continue;
        }
        let next_quote = quotes.get(qi).map_or(end, |q| q.1.start.min(end));
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if !c.is_alphanumeric() {
            toks.push(Token {
                kind: Kind::Punct(c),
                span: i..i + len,
            });
            i += len;
            continue;
        }
        let start = i;
        let mut j = i + len;
        let mut prev = c;
        while j < next_quote {
            let Some(d) = text[j..].chars().next() else {
                break;
            };
            if d.is_alphanumeric() {
                prev = d;
                j += d.len_utf8();
                continue;
            }
            let after = text[j + d.len_utf8()..].chars().next();
            let joins = match d {
                '\'' | '’' | '-' | '‐' | '‑' | '&' => {
                    after.is_some_and(char::is_alphanumeric)
                }
                '.' => prev.is_alphabetic() && after.is_some_and(char::is_alphabetic),
                _ => false,
            };
            if joins && j + d.len_utf8() < next_quote {
                prev = d;
                j += d.len_utf8();
            } else {
                break;
            }
        }
        // A period that belongs to the word: initials, Dr., U.S.
        if j < next_quote && text[j..].starts_with('.') {
            let w = &text[start..j];
            let single_cap = w.chars().count() == 1 && w.chars().all(char::is_uppercase);
            if single_cap || w.contains('.') || lx::is_abbreviation(&lower(w)) {
                j += 1;
            }
        }
        toks.push(Token {
            kind: Kind::Word,
            span: start..j,
        });
        i = j;
    }
    toks
}

fn sentences(
    text: &str,
    toks: &[Token],
    ends_sentence: impl Fn(usize) -> bool,
) -> Vec<Range<usize>> {
    let starts_sentence = |k: usize| -> bool {
        match toks.get(k) {
            None => true,
            Some(t) => match t.kind {
                Kind::Quote(_) => true,
                Kind::Word => text[t.span.clone()]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()),
                Kind::Punct(c) => "([“\"‘'«„*".contains(c),
            },
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    for k in 0..toks.len() {
        let end_here = match toks[k].kind {
            Kind::Punct('.' | '!' | '?' | '…') => {
                !matches!(
                    toks.get(k + 1).map(|t| t.kind),
                    Some(Kind::Punct('.' | '!' | '?' | '…' | ')' | ']'))
                ) && starts_sentence(k + 1)
            }
            Kind::Punct(')' | ']') => {
                k > 0
                    && matches!(toks[k - 1].kind, Kind::Punct('.' | '!' | '?'))
                    && starts_sentence(k + 1)
            }
            Kind::Quote(q) => ends_sentence(q) && starts_sentence(k + 1),
            _ => false,
        };
        if end_here {
            out.push(start..k + 1);
            start = k + 1;
        }
    }
    if start < toks.len() || out.is_empty() {
        out.push(start..toks.len());
    }
    out
}
