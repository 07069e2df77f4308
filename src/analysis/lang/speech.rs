//! Who says what in one paragraph: person and organisation mentions (full names, titles,
//! appositives — "the IMF's managing director, Christine Lagarde" —, possessives, pronouns,
//! speaker noun phrases) and the speech acts the sentences carry (a speech verb or noun with
//! its speaker, "according to X", "in a statement", a colon before a quotation). Read from
//! [`Tokens`]; document-level facts (which capitalised words are names elsewhere) come in as
//! answers to [`CapitalQuery`]s, so a reading is a pure function of the paragraph and them.

use super::lexicon as lx;
use super::tokens::{CapitalQuery, Kind, Token, Tokens, capitalized, unpossess};
use lx::KeySet;
use std::ops::Range;
use std::sync::Arc;

mod mentions;

/// A named speaker: a person or an organisation. Shared: a clone is one reference count.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name(Arc<NameParts>);

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct NameParts {
    /// "Hong Lei", "World Health Organization".
    pub full: Arc<str>,
    /// How to refer to them again: "Hong", "the World Health Organization".
    pub short: Arc<str>,
    pub org: bool,
}

impl Name {
    pub fn new(full: Arc<str>, short: Arc<str>, org: bool) -> Self {
        Name(Arc::new(NameParts { full, short, org }))
    }
}

impl std::ops::Deref for Name {
    type Target = NameParts;
    fn deref(&self) -> &NameParts {
        &self.0
    }
}

/// Who a cue says is speaking.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Who {
    Name(Name),
    /// he, she, they… (not resolved to a name).
    Pronoun(Arc<str>),
    /// the spokesman, a researcher, police.
    Noun(Arc<str>),
    /// "in a statement", a colon: a source without a name.
    Unknown,
}

impl Who {
    /// How a message names them, if it can.
    pub fn display(&self) -> Option<String> {
        match self {
            Who::Name(n) => Some(if n.org && n.short.starts_with("the ") {
                n.short.to_string()
            } else {
                n.full.to_string()
            }),
            Who::Noun(s) => Some(s.to_string()),
            Who::Pronoun(_) | Who::Unknown => None,
        }
    }
    /// Could a message name them as the speaker: a name, or a noun phrase about people ("the
    /// spokesman", "police"), not "the first thing" or "Cornyn's statement".
    pub fn person_like(&self) -> bool {
        match self {
            Who::Name(_) => true,
            Who::Noun(s) => {
                let head = s.rsplit(' ').next().unwrap_or("").to_lowercase();
                !super::lists::NOT_SPEAKER_NOUNS.contains(&head) && !lx::is_source_noun(&head)
            }
            _ => false,
        }
    }
    /// A noun phrase about people: its head is a title or a people noun ("the mayor", "other
    /// supporters", "the former table-tennis coach").
    pub fn people_noun(&self) -> bool {
        match self {
            Who::Noun(s) => {
                let head = s.rsplit(' ').next().unwrap_or("").to_lowercase();
                lx::is_title(&head) || super::lists::PEOPLE_NOUNS.contains(&head)
            }
            _ => false,
        }
    }
    /// A noun phrase read up to its first word naming people: "the mayor disagreed" → "the
    /// mayor" (a subject read forward runs on into its verb). `None` if no word names people.
    pub fn people_phrase(&self) -> Option<Who> {
        let Who::Noun(s) = self else { return None };
        let mut end = 0;
        for (i, word) in s.split(' ').enumerate() {
            end += word.len() + usize::from(i > 0);
            let w = word.to_lowercase();
            if lx::is_title(&w) || super::lists::PEOPLE_NOUNS.contains(&w) {
                return Some(Who::Noun(s[..end.min(s.len())].into()));
            }
        }
        None
    }
    /// Does a message name them ([`Who::display`] is `Some`)?
    pub fn named(&self) -> bool {
        matches!(self, Who::Name(_) | Who::Noun(_))
    }
    /// How an inserted attribution refers to them ("Hong", "the spokesman").
    pub fn reference(&self) -> Option<String> {
        match self {
            Who::Name(n) => Some(n.short.to_string()),
            Who::Noun(s) => Some(s.to_string()),
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
    builtin: &'static KeySet,
    extra: KeySet,
}

impl Verbs {
    pub fn new(user: &[String]) -> Self {
        let mut extra = KeySet::default();
        for w in user {
            let w = w.trim();
            if w.is_empty() || w.contains(char::is_whitespace) {
                continue;
            }
            extra.extend(lx::inflect(w).iter().map(|f| lx::key(f)));
        }
        Verbs {
            builtin: lx::builtin_verbs(),
            extra,
        }
    }
    /// Is the lowercase word `w` a speech verb?
    pub fn contains(&self, w: &str) -> bool {
        let k = lx::key(w);
        self.builtin.contains(&k) || self.extra.contains(&k)
    }
}

/// A paragraph's tokens read for names, speakers and cues.
pub struct Clauses<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    /// Token index ranges.
    pub sents: Vec<Range<usize>>,
    initial: Vec<bool>,
    low: String,
    low_at: Vec<Range<usize>>,
    has_upper: Vec<bool>,
    /// Per token, whether the document capitalises the word in mid-sentence (a name): the
    /// answers to [`Tokens::capital_queries`], 0 for words not asked about.
    capital: Vec<u8>,
    /// Per token: bit 0 = [`Self::loose_name_word`], bit 1 = [`Self::name_word`].
    names: Vec<u8>,
}

impl<'a> Clauses<'a> {
    /// `answers[k]` answers `queries[k]` (from [`Tokens::capital_queries`]).
    pub fn new(t: Tokens<'a>, queries: &[CapitalQuery], answers: &[u8]) -> Self {
        let n = t.toks.len();
        let mut capital = vec![0u8; n];
        for (q, a) in queries.iter().zip(answers) {
            if let Some(slot) = capital.get_mut(q.tok as usize) {
                *slot = *a;
            }
        }
        let mut c = Clauses {
            text: t.text,
            toks: t.toks,
            sents: t.sents,
            initial: t.initial,
            low: t.low,
            low_at: t.low_at,
            has_upper: t.has_upper,
            capital,
            names: vec![0; n],
        };
        for i in 0..n {
            if c.has_upper[i] && c.compute_loose_name_word(i) {
                c.names[i] = 1;
            }
        }
        for i in 0..n {
            if c.names[i] & 1 != 0 && c.compute_name_word(i) {
                c.names[i] |= 2;
            }
        }
        c
    }

    pub fn word(&self, i: usize) -> Option<&'a str> {
        let t = self.toks.get(i)?;
        (t.kind == Kind::Word).then(|| &self.text[t.span.clone()])
    }

    /// The word at `i`, lowercased.
    pub fn lower(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        if t.kind != Kind::Word {
            return None;
        }
        Some(if self.has_upper[i] {
            &self.low[self.low_at[i].clone()]
        } else {
            &self.text[t.span.clone()]
        })
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
            let bare = lx::strip_contraction(w);
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
                            w,
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
                    return self
                        .of_org(run.clone(), lo)
                        .or_else(|| self.document_by(run.start, lo))
                        .or_else(|| self.name_at(run));
                }
                j = run.start;
                continue;
            }
            skipped += 1;
            if skipped > 6 {
                return None;
            }
            if lx::is_aux_or_adverb(w) {
                continue;
            }
            // The progressive: "Pryce was telling neighbours", "she is urging".
            if matches!(w, "was" | "were" | "is" | "are" | "been")
                && self.lower(v).is_some_and(|x| x.ends_with("ing"))
            {
                continue;
            }
            if matches!(
                w,
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
            // Indefinite speakers: "one said", "another added", "others argued".
            if skipped == 1
                && matches!(
                    w,
                    "one" | "another" | "others" | "some" | "many" | "several"
                )
            {
                return Some(Cue::new(Who::Noun(w.into()), self.toks[j].span.clone()));
            }
            if lx::is_function_word(w) || lx::is_determiner(w) {
                return None;
            }
            if w.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            // A lowercase content word: the head of a noun phrase.
            let start = self.noun_start(j, lo);
            return self
                .document_by(start, lo)
                .or_else(|| self.noun_back(j, lo));
        }
        None
    }

    /// The speaker after a verb: "said Hong", "said the mayor", "added one resident", "said
    /// spokesman Tomas Berg".
    fn subject_after(&self, v: usize, hi: usize) -> Option<Cue> {
        let mut j = v + 1;
        while j < hi && self.lower(j).is_some_and(lx::is_aux_or_adverb) && j < v + 3 {
            j += 1;
        }
        let w = self.lower(j)?;
        if self.particle(j) && self.name_word(j + 1) {
            return self.name_at(self.name_fwd(j, hi));
        }
        if self.name_word(j) && !lx::is_time_word(w) {
            return self.name_at(self.name_fwd(j, hi));
        }
        if lx::is_determiner(w) && !matches!(w, "that" | "this" | "all" | "no" | "any") {
            return self.noun_fwd(j, hi);
        }
        if matches!(w, "he" | "she") {
            return Some(self.pronoun(j, w));
        }
        // A role before a name: "said neuroscientist Dr Hugo Spiers".
        if !lx::is_function_word(w) {
            for k in j + 1..(j + 3).min(hi) {
                if self.name_word(k) {
                    return self.name_at(self.name_fwd(k, hi));
                }
                if self.lower(k).is_none_or(lx::is_function_word) {
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
        let w = self.lower(i)?;
        if !verbs.contains(w) {
            return None;
        }
        if let Some(parts) = lx::needs_particle(w) {
            let next = self.lower(i + 1);
            let ok = next.is_some_and(|n| parts.contains(&n))
                || (parts.contains(&"that") && (self.is_punct(i + 1, ":") || self.is_quote(i + 1)));
            if !ok || i + 1 >= hi {
                return None;
            }
        }
        if i > lo
            && let Some(p) = self.lower(i - 1)
        {
            if lx::makes_noun(p) {
                return None;
            }
            if lx::is_be(p) && !w.ends_with("ing") {
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
                    if k > i + 1 && lx::is_source_noun(kw) {
                        out.push(name.take().unwrap_or(Cue::new(
                            Who::Unknown,
                            self.toks[i].span.start..self.toks[k].span.end,
                        )));
                        break;
                    }
                    if lx::is_function_word(kw) && k > i + 1 {
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
                w,
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
                // ("A decree issued by the Queen said": the decree speaks, see `document_by`.)
                && !(i > lo + 1
                    && self
                        .lower(i - 2)
                        .is_some_and(|d| super::lists::DOCUMENT_NOUNS.contains(d)))
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
            let listener = lx::takes_listener(w);
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
                c.weak = lx::needs_own_quote(w) && !by_quote;
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
                .is_some_and(|w| matches!(w, "image" | "photo" | "pictured" | "file"));
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
        let lo = lo.max(colon.saturating_sub(48));
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
        self.subject_of(lo, hi, true)
    }

    /// [`Self::clause_subject`]; without `nouns`, a noun phrase with no name in it is `None`
    /// (and costs nothing to find).
    fn subject_of(&self, lo: usize, hi: usize, nouns: bool) -> Option<Cue> {
        let hi = hi.min(lo + 48); // a subject is near the start of its clause
        let mut i = lo;
        while i < hi {
            if let Some(w) = self.lower(i) {
                if self.name_word(i) {
                    return self.name_at(self.name_fwd(i, hi));
                }
                let bare = lx::strip_contraction(w);
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
                    if let Some(c) = self.name_in_noun(i, hi) {
                        return Some(c);
                    }
                    return Some(self.pronoun(i, p));
                }
                if matches!(
                    w,
                    "and" | "but" | "or" | "so" | "yet" | "then" | "also" | "now"
                ) {
                    i += 1;
                    continue;
                }
                if lx::is_determiner(w) && !matches!(w, "that" | "this" | "all" | "no" | "any") {
                    return if nouns {
                        self.noun_fwd(i, hi)
                    } else {
                        self.name_in_noun(i, hi)
                    };
                }
                if lx::is_function_word(w) {
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
        let c = self.subject_of(lo, hi, false)?;
        match &c.who {
            Who::Name(_) => Some(c),
            Who::Pronoun(p) if matches!(&**p, "he" | "she" | "i" | "we" | "they") => Some(c),
            _ => None,
        }
    }

    /// Every person mentioned in tokens `lo..hi`, in order, with whether the text shows it is
    /// a person: names (not organisations, not "the X", not places after "from", "in", "at",
    /// "near", "to", "of", "on", not possessive-only mentions such as "McDonald's menu") and
    /// the pronouns "he" and "she" (unresolved: the caller resolves them). A name is shown to
    /// be a person by a title ("Dr. Lin"), a relative "who" or an appositive after it
    /// ("Lin Foxhall, head of …"). At most eight.
    pub fn persons_in(&self, lo: usize, hi: usize) -> Vec<(Cue, bool)> {
        let hi = hi.min(self.toks.len());
        let mut out = Vec::new();
        let mut last_end: Option<usize> = None;
        let mut i = lo;
        while i < hi && out.len() < 8 {
            let Some(w) = self.lower(i) else {
                i += 1;
                continue;
            };
            let bare = lx::strip_contraction(w);
            if matches!(bare, "he" | "she") && self.toks[i].kind == Kind::Word {
                out.push((self.pronoun(i, bare), true));
                i += 1;
                continue;
            }
            if !self.name_word(i) {
                i += 1;
                continue;
            }
            let run = self.name_fwd(i, hi);
            let next = run.end.max(i + 1);
            let before = i.checked_sub(1).and_then(|k| self.lower(k));
            let place = before.is_some_and(|p| {
                matches!(
                    p,
                    "from" | "in" | "at" | "near" | "to" | "of" | "on" | "the"
                )
            }) || (i >= 2 && self.lower(i - 2) == Some("the"));
            // "John Cornyn, Republican from Texas": an appositive of the person just named.
            let appositive = i >= 2 && self.is_punct(i - 1, ",") && last_end == Some(i - 1);
            let possessive = self
                .word(next - 1)
                .is_some_and(|w| unpossess(w).len() != w.len());
            let titled =
                before.is_some_and(lx::is_title) || self.lower(i).is_some_and(lx::is_title);
            // "Margaret Chartwood from Horley, who …": past a place after the name.
            let mut k = next;
            if self.lower(k).is_some_and(|w| matches!(w, "from" | "of")) && self.name_word(k + 1) {
                k = self
                    .name_fwd(k + 1, hi.max(k + 2).min(self.toks.len()))
                    .end
                    .max(k + 2);
            }
            let relative = self.lower(k) == Some("who")
                || (self.is_punct(k, ",")
                    && self.lower(k + 1).is_some_and(|w| {
                        matches!(w, "who" | "the" | "a" | "an" | "his" | "her")
                            || (!lx::is_pronoun(w)
                                && !lx::is_function_word(w)
                                && !lx::is_aux_or_adverb(w)
                                && self.word(k + 1).is_some_and(|o| !capitalized(o)))
                    }));
            if !place
                && !possessive
                && !appositive
                && let Some(c) = self.name_at(run)
                && matches!(&c.who, Who::Name(n) if !n.org)
            {
                out.push((c, titled || relative));
                last_end = Some(next);
            }
            i = next;
        }
        out
    }

    /// A speech act by a possessor in tokens `lo..hi`: "his reply was …", "Souza's answer":
    /// the possessor (a pronoun, unresolved, or a name).
    pub fn possessive_speech_act(&self, lo: usize, hi: usize) -> Option<Cue> {
        let hi = hi.min(self.toks.len());
        for i in lo..hi {
            let Some(w) = self.lower(i) else { continue };
            let noun = |k: usize| {
                self.lower(k)
                    .is_some_and(|n| super::lists::SPEECH_NOUNS.contains(n))
            };
            if !(noun(i + 1) || (i + 2 < hi && noun(i + 2))) || i + 1 >= hi {
                continue;
            }
            match w {
                "his" => return Some(self.pronoun(i, "he")),
                "her" => return Some(self.pronoun(i, "she")),
                _ if self.name_word(i) && unpossess(w).len() != w.len() => {
                    return self.name_at(i..i + 1);
                }
                _ => {}
            }
        }
        None
    }

    /// Does sentence `s` start with a name ("Gavin is…")?
    pub fn starts_with_name(&self, s: usize) -> bool {
        let r = &self.sents[s];
        (r.start..r.end)
            .find(|&i| self.toks[i].kind == Kind::Word)
            .is_some_and(|i| self.name_word(i))
    }

    /// Runs of two or more name words (people mentioned), for resolving "Hong" → "Hong Lei".
    pub fn name_runs(&self, s: usize) -> Vec<Range<usize>> {
        self.runs_of(s, 2..9)
    }

    /// The one-word names of sentence `s` ("The Guardian could not reach Anitta").
    pub fn single_names(&self, s: usize) -> Vec<&'a str> {
        self.runs_of(s, 1..2)
            .into_iter()
            .filter_map(|r| self.word(r.start))
            .collect()
    }

    fn runs_of(&self, s: usize, lens: Range<usize>) -> Vec<Range<usize>> {
        let r = self.sents[s].clone();
        let mut out = Vec::new();
        let mut i = r.start;
        while i < r.end {
            if self.name_word(i) {
                let run = self.name_fwd(i, r.end);
                let next = run.end.max(i + 1);
                if lens.contains(&run.len()) {
                    out.push(run);
                }
                i = next;
            } else {
                i += 1;
            }
        }
        out
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
    pub fn words_just_before(&self, i: usize, n: usize) -> Vec<&str> {
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
