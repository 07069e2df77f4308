//! `unattributed-quote`: every direct quotation names its speaker.
//!
//! 1. `marks` finds the top-level quotations of each paragraph (apostrophes are not marks),
//!    and a quotation left open at a paragraph's end that reopens at the start of the next is
//!    chained into one multi-paragraph quotation. A quotation never closed is not trusted.
//! 2. `clause` reads the words around them: sentences (a quotation is one opaque token) and
//!    the attribution cues of each sentence (speech verb + speaker, "according to", "in a
//!    statement", a colon before the quotation). Verbs that are not speech on their own
//!    ("continued", "smiled", "described") and passives ("was told") only count in the
//!    quotation's own sentence.
//! 3. A quotation is attributed by a cue in its sentence or the one before or after (and a
//!    run of quotation-only sentences shares it), by a previous paragraph ending with a colon,
//!    or, for continuation paragraphs, by the first paragraph of the quotation.
//! 4. Short quoted terms, titles and words cited as words are not direct quotations.
//! 5. What is left is reported: as "implied" (Information by default) when one speaker is
//!    plausible — the subject of its own sentence (a woven partial quotation), the subject of
//!    the sentence before, a speaker earlier in the paragraph, the speaker of a quotation
//!    ending the paragraph before, or the single speaker of the paragraph before — otherwise
//!    as unattributed (Warning): after narration, a list, a heading, or several speakers.
//!
//! Cost: linear, and only paragraphs with quotations are read word by word (cues only near
//! the quotations unless one is unattributed); the others get a byte scan for full names and
//! are read on demand when a quotation after them needs their speakers. Every backward or
//! forward search is bounded, so adversarial text stays linear.
//!
//! Measure false alarms on the published corpora with the ignored dev-tool tests at the end
//! of this file (`corpus_false_alarm_rates`, `eval_articles`, `timing`, `show_file`).

mod clause;
mod lexicon;
mod marks;

use crate::analysis::{BlockKind, Document, Edit, Finding, Fix, Format, Related, Rule, Severity};
use crate::config::Settings;
use clause::{Clauses, Cue, Kind, Name, Verbs, Who};
use marks::RawQuote;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;

pub const CODE: &str = "unattributed-quote";

/// Why a woven quotation's speaker is implied (see [`Quote::nearby`]).
const SUBJECT_OF_SENTENCE: &str = "the subject of its sentence";

/// How to report a quotation whose speaker is only implied.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ImpliedLevel {
    Off,
    Hint,
    #[serde(alias = "info")]
    Information,
    #[serde(alias = "warn")]
    Warning,
    Error,
}

impl ImpliedLevel {
    fn severity(self) -> Option<Severity> {
        match self {
            ImpliedLevel::Off => None,
            ImpliedLevel::Hint => Some(Severity::Hint),
            ImpliedLevel::Information => Some(Severity::Information),
            ImpliedLevel::Warning => Some(Severity::Warning),
            ImpliedLevel::Error => Some(Severity::Error),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct QuoteSettings {
    pub enabled: bool,
    /// Severity of a quotation with no speaker anywhere near it.
    pub severity: Severity,
    /// A stand-alone quotation whose speaker is only implied by what comes before it:
    /// "information" (default), "warning", "hint", "error" or "off".
    pub implied_attribution: ImpliedLevel,
    /// Quotations of this many words or fewer are quoted terms, not speech.
    pub max_short_words: usize,
    /// More speech verbs, added to the built-in list (a base form such as "bellow" also
    /// adds "bellows", "bellowed", "bellowing").
    pub speech_verbs: Vec<String>,
}

impl Default for QuoteSettings {
    fn default() -> Self {
        QuoteSettings {
            enabled: true,
            severity: Severity::Warning,
            implied_attribution: ImpliedLevel::Information,
            max_short_words: 3,
            speech_verbs: Vec::new(),
        }
    }
}

pub struct UnattributedQuote;

impl Rule for UnattributedQuote {
    fn code(&self) -> &'static str {
        CODE
    }
    fn enabled(&self, s: &Settings) -> bool {
        s.unattributed_quote.enabled
    }
    fn check(&self, doc: &Document, s: &Settings, out: &mut Vec<Finding>) {
        Checker::new(doc, &s.unattributed_quote).run(out);
    }
}

/// One paragraph's part of a quotation.
struct Quote {
    para: usize,
    raw: RawQuote,
    /// Where this part ends: its closing mark, or the end of the paragraph.
    end: usize,
    prev: Option<usize>,
    next: Option<usize>,
    /// Never closed: not a reliable quotation.
    broken: bool,
    // Filled while reading the paragraph:
    /// The cue that attributes this part within its paragraph.
    local: Option<Cue>,
    /// No words of the paragraph come before it.
    opens_paragraph: bool,
    /// A speaker quoted earlier in the same paragraph, or the person the sentence before is
    /// about.
    nearby: Option<(Cue, &'static str)>,
    /// A quoted term, a title or words cited as words.
    not_speech: bool,
    /// The last person named before it.
    last_named: Option<Name>,
}

#[derive(Default)]
struct ParaFacts {
    /// Speakers of the paragraph (resolved), in order.
    speakers: Vec<Cue>,
    ends_colon: bool,
    /// Checked for quotations (a paragraph or list item outside block quotes).
    prose: bool,
    /// The quotation in the last sentence.
    ends_with_quote: Option<usize>,
    /// A photo caption ("… Image: NASA."), outside the flow of the text.
    caption: bool,
    /// Its words have been read (speakers, subject).
    read: bool,
    /// Every sentence was read for cues (not only those next to quotations).
    all_cues: bool,
    /// The last speaker and the last person named where the paragraph starts.
    start_speaker: Option<Name>,
    start_named: Option<Name>,
}

struct Checker<'a, 'd> {
    doc: &'a Document<'d>,
    cfg: &'a QuoteSettings,
    verbs: Verbs,
    quotes: Vec<Quote>,
    /// Quotation indices per paragraph.
    by_para: Vec<Range<usize>>,
    facts: Vec<ParaFacts>,
    /// Key of a lowercase first or last name → the full name last seen with it.
    names: HashMap<u64, Name, std::hash::BuildHasherDefault<lexicon::KeyHasher>>,
    /// Paragraphs that are only a comment (plain text).
    comments: Vec<bool>,
    /// Photo captions.
    captions: Vec<bool>,
    /// Paragraphs whose words matter: they hold a quotation, or come before one (a caption,
    /// a comment or a run of list items in between).
    relevant: Vec<bool>,
    /// Keys of name words found while a paragraph is being read, to add to the capitals.
    pending_caps: Vec<u64>,
    /// Reading out of order (a paragraph before a quotation, on demand): do not move the
    /// "last speaker" and "last named" markers.
    late: bool,
    /// The last person who spoke (for "he said", "she added").
    last_speaker: Option<Name>,
    /// The last person named at all (a candidate for a fix).
    last_named: Option<Name>,
}

impl<'a, 'd> Checker<'a, 'd> {
    fn new(doc: &'a Document<'d>, cfg: &'a QuoteSettings) -> Self {
        Checker {
            doc,
            cfg,
            verbs: Verbs::new(&cfg.speech_verbs),
            quotes: Vec::new(),
            by_para: Vec::new(),
            facts: Vec::new(),
            names: HashMap::default(),
            relevant: Vec::new(),
            late: false,
            pending_caps: Vec::new(),
            captions: doc
                .paragraphs
                .iter()
                .map(|p| is_caption(doc.prose_of(p)))
                .collect(),
            comments: doc
                .paragraphs
                .iter()
                .map(|p| {
                    let t = doc.text[p.span.clone()].trim();
                    t.starts_with("<!--") && t.ends_with("-->")
                })
                .collect(),
            last_speaker: None,
            last_named: None,
        }
    }

    fn run(mut self, out: &mut Vec<Finding>) {
        self.find_quotes();
        let n = self.doc.paragraphs.len();
        self.relevant = vec![false; n];
        let mut quote_ahead = false; // a quotation in the next paragraph that reads on from here
        for pi in (0..n).rev() {
            let has = !self.by_para[pi].is_empty();
            self.relevant[pi] = has || quote_ahead;
            let passes_on = self.is_comment(pi)
                || self.captions[pi]
                || self.doc.paragraphs[pi].kind == BlockKind::ListItem;
            quote_ahead = has || (passes_on && quote_ahead);
        }
        self.facts = (0..n)
            .map(|pi| ParaFacts {
                ends_colon: self
                    .doc
                    .prose_of(&self.doc.paragraphs[pi])
                    .trim_end()
                    .ends_with(':'),
                prose: self.checked_kind(pi),
                caption: self.captions[pi],
                ..Default::default()
            })
            .collect();
        // Words seen capitalised in mid-sentence so far: names. Collected as paragraphs are
        // read, so a name counts from the paragraph it first appears in.
        let mut capitals = lexicon::KeySet::default();
        // Paragraphs with quotations are read now, in order; the others only if a quotation
        // after them needs to know who they quote (see `ensure_read`).
        for pi in 0..n {
            if !self.by_para[pi].is_empty() {
                self.read_paragraph(pi, &mut capitals, false);
            } else if self.facts[pi].prose || self.doc.paragraphs[pi].kind == BlockKind::Heading {
                self.scan_names(pi, &mut capitals);
            }
        }
        self.late = true;
        self.decide(out, &mut capitals);
    }

    fn checked_kind(&self, pi: usize) -> bool {
        let p = &self.doc.paragraphs[pi];
        matches!(p.kind, BlockKind::Paragraph | BlockKind::ListItem)
            && !p.quoted
            && !self.is_comment(pi)
    }

    /// A plain-text paragraph that is only a suppression comment.
    fn is_comment(&self, pi: usize) -> bool {
        self.comments.get(pi).copied().unwrap_or(false)
    }

    /// Step 1: quotations per paragraph, chained across paragraphs.
    fn find_quotes(&mut self) {
        let doc = self.doc;
        for (pi, p) in doc.paragraphs.iter().enumerate() {
            let start = self.quotes.len();
            if self.checked_kind(pi) {
                for raw in marks::top_level(doc.prose_of(p), p.span.start) {
                    let end = raw.close.as_ref().map_or(p.span.end, |c| c.end);
                    self.quotes.push(Quote {
                        para: pi,
                        raw,
                        end,
                        prev: None,
                        next: None,
                        broken: false,
                        local: None,
                        opens_paragraph: false,
                        nearby: None,
                        not_speech: false,
                        last_named: None,
                    });
                }
            }
            self.by_para.push(start..self.quotes.len());
        }
        // Chain: a part left open continues in the next paragraph when that paragraph opens
        // with a mark of the same kind.
        for pi in 0..doc.paragraphs.len() {
            let Some(last) = self.by_para[pi].clone().last() else {
                continue;
            };
            if self.quotes[last].raw.close.is_some() {
                continue;
            }
            let next = self.by_para.get(pi + 1).and_then(|r| r.clone().next());
            let continues = next.is_some_and(|n| {
                let q = &self.quotes[n];
                q.raw.open.start == doc.paragraphs[pi + 1].span.start
                    && q.raw.family == self.quotes[last].raw.family
            });
            match next {
                Some(n) if continues => {
                    self.quotes[last].next = Some(n);
                    self.quotes[n].prev = Some(last);
                }
                _ => {
                    // Never closed: mark the whole chain.
                    let mut k = Some(last);
                    while let Some(i) = k {
                        self.quotes[i].broken = true;
                        k = self.quotes[i].prev;
                    }
                }
            }
        }
    }

    /// Does the quotation's own text end a sentence (. ! ? …)?
    fn ends_sentence(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        let Some(c) = &q.raw.close else {
            return true;
        };
        let inner = &self.doc.prose[q.raw.open.end..c.start];
        inner
            .trim_end_matches(|ch: char| ch.is_whitespace() || marks::is_quote_char(ch))
            .ends_with(['.', '!', '?', '…'])
    }

    /// Step 2: tokens, sentences and cues of one paragraph; local attribution of its
    /// quotations; names for later reference.
    fn read_paragraph(&mut self, pi: usize, capitals: &mut lexicon::KeySet, all_cues: bool) {
        let doc = self.doc;
        let p = &doc.paragraphs[pi];
        let mut facts = std::mem::take(&mut self.facts[pi]);
        // Read out of order (on demand): resolve "he" and "she" as at this paragraph's place
        // in the text, then put the markers back.
        let saved = self
            .late
            .then(|| (self.last_speaker.clone(), self.last_named.clone()));
        if saved.is_some() {
            self.last_speaker = facts.start_speaker.clone();
            self.last_named = facts.start_named.clone();
            self.late = false;
        } else {
            facts.start_speaker = self.last_speaker.clone();
            facts.start_named = self.last_named.clone();
        }
        facts.read = true;
        if p.kind == BlockKind::TableCell || self.is_comment(pi) || !self.relevant[pi] {
            // Nothing here is read for attribution: skip the words.
            self.facts[pi] = facts;
            if let Some((speaker, named)) = saved {
                self.last_speaker = speaker;
                self.last_named = named;
                self.late = true;
            }
            return;
        }
        let ids: Vec<(usize, Range<usize>)> = self.by_para[pi]
            .clone()
            .map(|id| (id, self.quotes[id].raw.open.start..self.quotes[id].end))
            .collect();
        let ends: Vec<bool> = ids.iter().map(|(id, _)| self.ends_sentence(*id)).collect();
        let first_id = self.by_para[pi].start;
        let tokens = clause::Tokens::new(&doc.prose, p.span.clone(), &ids, |id| {
            ends.get(id.wrapping_sub(first_id)).copied().unwrap_or(true)
        });
        tokens.add_capitals(capitals);
        let cl = Clauses::new(tokens, capitals);
        let n = cl.sents.len();
        // Cues are read where they can attribute a quotation: its sentence and the ones next
        // to it. The rest only when a quotation here is left unattributed, or when a later
        // paragraph needs to know whom this one quotes (`all_cues`).
        // Where each quotation's token is (one pass), and the first word of the paragraph.
        let mut qtok: Vec<Option<usize>> = vec![None; ids.len()];
        for (k, t) in cl.toks.iter().enumerate() {
            if let Kind::Quote(id) = t.kind
                && let Some(slot) = qtok.get_mut(id.wrapping_sub(first_id))
            {
                *slot = Some(k);
            }
        }
        let token_of = |id: usize| qtok.get(id.wrapping_sub(first_id)).copied().flatten();
        let first_word = cl.toks.iter().position(|t| t.kind == Kind::Word);
        let mut wanted = vec![all_cues; n];
        for (id, _) in &ids {
            if let Some(t) = token_of(*id) {
                let s = cl.sentence_of(t);
                let to = (s + 2).min(n);
                wanted[s.saturating_sub(1)..to].fill(true);
            }
        }
        // Cues per sentence, resolved in reading order along with the names mentioned.
        let mut cues: Vec<Vec<Cue>> = Vec::with_capacity(n);
        let mut named_before: Vec<Option<Name>> = Vec::with_capacity(n);
        let mut speaker_before: Vec<Option<Name>> = Vec::with_capacity(n);
        #[allow(clippy::needless_range_loop)] // `s` indexes several per-sentence tables
        for s in 0..n {
            named_before.push(self.last_named.clone());
            speaker_before.push(self.last_speaker.clone());
            for run in cl.name_runs(s) {
                if let Some((Who::Name(name), _)) = cl.make_name(run) {
                    self.remember(&name);
                }
            }
            let mut found = if wanted[s] {
                cl.cues(s, &self.verbs)
            } else {
                Vec::new()
            };
            for c in &mut found {
                self.resolve(c, None);
            }
            cues.push(found);
            // The person a sentence is about is who "he" or "she" means next.
            let r = cl.sents[s].clone();
            if cl.starts_with_name(s)
                && let Some(mut c) = cl.person_in(r.start, r.end)
            {
                self.resolve(&mut c, None);
            }
        }
        let attribution = |cues: &[Vec<Cue>]| -> Vec<Option<Cue>> {
            let best: Vec<Option<&Cue>> =
                cues.iter().map(|c| Clauses::best_cue(c, false)).collect();
            let strong: Vec<Option<&Cue>> =
                cues.iter().map(|c| Clauses::best_cue(c, true)).collect();
            let mut attr: Vec<Option<Cue>> = (0..n)
                .map(|s| {
                    best[s]
                        .or(if s > 0 { strong[s - 1] } else { None })
                        .or(strong.get(s + 1).copied().flatten())
                        .cloned()
                })
                .collect();
            // A run of quotation-only sentences shares its attribution.
            let has_quote = |s: usize| {
                cl.toks[cl.sents[s].clone()]
                    .iter()
                    .any(|t| matches!(t.kind, Kind::Quote(_)))
            };
            for s in 1..n {
                if attr[s].is_none() && cl.only_quotes(s) && has_quote(s - 1) {
                    attr[s] = attr[s - 1].clone();
                }
            }
            for s in (0..n.saturating_sub(1)).rev() {
                if attr[s].is_none() && cl.only_quotes(s) && has_quote(s + 1) {
                    attr[s] = attr[s + 1].clone();
                }
            }
            attr
        };
        let attr = attribution(&cues);
        // A quotation with no cue next to it: read the rest of the paragraph after all.
        let unattributed = ids.iter().any(|(id, _)| {
            token_of(*id)
                .is_some_and(|t| attr[cl.sentence_of(t)].is_none() && self.is_speech(*id, &cl, t))
        });
        let all_cues = all_cues || unattributed;
        if all_cues {
            for (s, found) in cues.iter_mut().enumerate() {
                if !wanted[s] {
                    *found = cl.cues(s, &self.verbs);
                    for c in found.iter_mut() {
                        self.resolve(c, Some(speaker_before[s].clone()));
                    }
                }
            }
        }
        facts.all_cues = all_cues;
        let strong: Vec<Option<&Cue>> = cues.iter().map(|c| Clauses::best_cue(c, true)).collect();
        // The nearest named speaker before each sentence.
        let mut named_speaker_before: Vec<Option<&Cue>> = Vec::with_capacity(n);
        let mut last: Option<&Cue> = None;
        for c in &strong {
            named_speaker_before.push(last);
            if let Some(c) = c.filter(|c| c.who.display().is_some()) {
                last = Some(c);
            }
        }
        for (id, _) in &ids {
            let Some(t) = token_of(*id) else { continue };
            let s = cl.sentence_of(t);
            let q = &mut self.quotes[*id];
            q.local = attr[s].clone();
            q.opens_paragraph = first_word.is_none_or(|w| w > t);
            q.last_named = named_before[s].clone();
            if attr[s].is_some() {
                continue; // what follows only matters for an unattributed quotation
            }
            let q_not_speech = !self.is_speech(*id, &cl, t);
            let earlier = named_speaker_before[s]
                .cloned()
                .map(|c| (c, "speaking earlier in this paragraph"));
            // A partial quotation inside a sentence about someone: "Middup was encouraged …
            // and “…”".
            let subject = if cl.sents[s].start < t {
                cl.clause_subject(cl.sents[s].start, t).map(|mut c| {
                    self.resolve(&mut c, Some(speaker_before[s].clone()));
                    (c, SUBJECT_OF_SENTENCE)
                })
            } else {
                None
            };
            let beat = if s > 0 {
                let r = cl.sents[s - 1].clone();
                cl.person_in(r.start, r.end).map(|mut c| {
                    self.resolve(&mut c, Some(speaker_before[s - 1].clone()));
                    (c, "the subject of the sentence before")
                })
            } else {
                None
            };
            let q = &mut self.quotes[*id];
            q.nearby = subject.or(beat).or(earlier);
            q.not_speech = q_not_speech;
        }
        // The quotation in the paragraph's last sentence, if any: a quotation in the next
        // paragraph may continue it.
        if let Some(last) = cl.sents.last() {
            facts.ends_with_quote = cl.toks[last.clone()]
                .iter()
                .rev()
                .find_map(|t| match t.kind {
                    Kind::Quote(id) => Some(id),
                    _ => None,
                });
        }
        facts.speakers = cues
            .into_iter()
            .flatten()
            .filter(|c| !c.incidental)
            .collect();
        self.facts[pi] = facts;
        drop(cl);
        for k in self.pending_caps.drain(..) {
            capitals.insert(k);
        }
        if let Some((speaker, named)) = saved {
            self.last_speaker = speaker;
            self.last_named = named;
            self.late = true;
        }
    }

    /// Read a paragraph without quotations when a quotation after it needs its speakers.
    fn ensure_read(&mut self, pi: usize, capitals: &mut lexicon::KeySet) {
        if !self.facts[pi].read || !self.facts[pi].all_cues {
            self.read_paragraph(pi, capitals, true);
        }
    }

    /// Full names in a paragraph that is not read word by word, and the person a sentence
    /// starts with (who "he" or "she" means next).
    fn scan_names(&mut self, pi: usize, capitals: &mut lexicon::KeySet) {
        self.facts[pi].start_speaker = self.last_speaker.clone();
        self.facts[pi].start_named = self.last_named.clone();
        let prose = self.doc.prose_of(&self.doc.paragraphs[pi]);
        let mut found: Vec<(Name, bool)> = Vec::new();
        clause::capitalised_runs(prose, |run, initial| {
            // Skip leading small words ("The", "In") and titles ("President", "Dr").
            let mut from = 0;
            let mut org = false;
            for (k, w) in run.iter().enumerate() {
                lexicon::with_lower(w, |l| {
                    if lexicon::is_stop_capital(l) || lexicon::is_title(l) {
                        from = k + 1;
                        org = false;
                    } else if lexicon::is_org_word(l) {
                        org = true;
                    }
                });
            }
            let kept = &run[from.min(run.len())..];
            if kept.is_empty() || kept.len() > 4 || org {
                return;
            }
            let last = kept[kept.len() - 1];
            let last = last
                .strip_suffix("’s")
                .or_else(|| last.strip_suffix("'s"))
                .unwrap_or(last);
            let mut full = kept[..kept.len() - 1].join(" ");
            if !full.is_empty() {
                full.push(' ');
            }
            full.push_str(last);
            let subject = initial && from == 0;
            found.push((
                Name {
                    full: full.into(),
                    short: last.into(),
                    org: false,
                },
                subject,
            ));
        });
        for (n, subject) in &found {
            if n.full.contains(' ') {
                self.remember(n);
            }
            // "Smart said he…": a known person starting a sentence is who "he" means next.
            if *subject && !self.late {
                let known = self.names.get(&lexicon::key_lower(&n.short)).cloned();
                if let Some(full) = known {
                    self.last_speaker = Some(Name {
                        full: full.full,
                        short: n.short.clone(),
                        org: false,
                    });
                }
            }
        }
        for k in self.pending_caps.drain(..) {
            capitals.insert(k);
        }
    }

    /// A person mentioned by full name: "Hong" and "Lei" now mean Hong Lei.
    fn remember(&mut self, name: &Name) {
        if name.org {
            return;
        }
        let words: Vec<&str> = name.full.split(' ').collect();
        if words.len() >= 2 {
            for w in [words[0], words[words.len() - 1]] {
                let k = lexicon::key_lower(w);
                self.names.insert(k, name.clone());
                self.pending_caps.push(k);
            }
        }
        if !self.late {
            self.last_named = Some(name.clone());
        }
    }

    /// "Hong" → Hong Lei; "she" → the last person who spoke (as of `speaker`, when given, or
    /// now). A named person who speaks becomes the last speaker.
    fn resolve(&mut self, c: &mut Cue, speaker: Option<Option<Name>>) {
        match &c.who {
            Who::Name(n) if !n.org => {
                let mut n = n.clone();
                if !n.full.contains(' ')
                    && let Some(full) = self.names.get(&lexicon::key_lower(&n.full))
                {
                    n.full = full.full.clone();
                }
                self.remember(&n);
                if speaker.is_none() && !self.late {
                    self.last_speaker = Some(n.clone());
                }
                c.who = Who::Name(n);
            }
            Who::Pronoun(p) if p == "he" || p == "she" => {
                let who = match speaker {
                    Some(s) => s,
                    None => self.last_speaker.clone(),
                };
                if let Some(n) = who {
                    c.who = Who::Name(n);
                }
            }
            _ => {}
        }
    }

    /// Is the quotation direct speech rather than a term, a title or words cited as words?
    fn is_speech(&self, id: usize, cl: &Clauses, tok: usize) -> bool {
        let q = &self.quotes[id];
        let inner_end = q.raw.close.as_ref().map_or(q.end, |c| c.start);
        let inner = &self.doc.prose[q.raw.open.end..inner_end];
        let words: Vec<&str> = inner
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        if words.len() <= self.cfg.max_short_words && q.raw.close.is_some() {
            return false;
        }
        if q.raw.close.is_some() && is_title(&words, inner) {
            return false;
        }
        let before = cl.words_just_before(tok, 8);
        if before.iter().take(3).any(|w| lexicon::cites_words(w)) {
            return false;
        }
        // known as “…”, billed as somewhere people can “…”, known locally as the “…”.
        if let Some(k) = before.iter().position(|w| *w == "as")
            && before[k + 1..]
                .iter()
                .take(2)
                .any(|w| lexicon::framing_before_as(w))
        {
            return false;
        }
        // to speak of “…”
        if before.first().is_some_and(|w| *w == "of")
            && before.get(1).is_some_and(|w| {
                matches!(
                    &**w,
                    "speak"
                        | "speaks"
                        | "spoke"
                        | "speaking"
                        | "talk"
                        | "talks"
                        | "talked"
                        | "talking"
                )
            })
        {
            return false;
        }
        // A quoted noun phrase after an article: an “atlas of the brain”, the “cocaine of the
        // poor”, a “let the good times roll” attitude.
        let starts_lower = inner
            .trim_start()
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_lowercase);
        if q.raw.close.is_some()
            && starts_lower
            && words.len() <= 6
            && !inner.contains(['.', '!', '?'])
            && before.first().is_some_and(|w| {
                matches!(
                    &**w,
                    "a" | "an"
                        | "the"
                        | "this"
                        | "that"
                        | "its"
                        | "their"
                        | "his"
                        | "her"
                        | "our"
                        | "these"
                        | "those"
                )
            })
        {
            return false;
        }
        if let Some(after) = cl.lower(tok + 1)
            && matches!(
                after,
                "means" | "meaning" | "meant" | "stands" | "translates"
            )
        {
            return false;
        }
        true
    }

    /// The paragraph before `pi` that a reader reads just before it.
    fn prev_para(&self, pi: usize) -> Option<usize> {
        (pi.saturating_sub(64)..pi)
            .rev()
            .find(|&k| !self.is_comment(k) && !self.facts.get(k).is_some_and(|f| f.caption))
    }

    /// The one speaker a paragraph quoted or paraphrased, if there is exactly one. People
    /// count before organisations ("the ministry said … Hong said" is one voice), named
    /// speakers before unnamed ones.
    fn single_speaker(&self, pi: usize) -> Option<Cue> {
        let f = &self.facts[pi];
        let mut person: Option<&Cue> = None;
        let mut org: Option<&Cue> = None;
        let mut nouns: Vec<&str> = Vec::new();
        let mut noun: Option<&Cue> = None;
        let mut other: Option<&Cue> = None;
        // More cues than anyone writes in one paragraph: several speakers.
        if f.speakers.len() > 256 {
            return None;
        }
        for c in &f.speakers {
            match &c.who {
                Who::Name(n) => {
                    let slot = if n.org { &mut org } else { &mut person };
                    match slot {
                        Some(Cue {
                            who: Who::Name(m), ..
                        }) if !same_person(m, n) => {
                            if !n.org {
                                return None;
                            }
                        }
                        Some(_) => {}
                        None => *slot = Some(c),
                    }
                }
                Who::Noun(s) => {
                    if !nouns.contains(&s.as_str()) {
                        nouns.push(s);
                    }
                    noun = noun.or(Some(c));
                }
                _ => other = other.or(Some(c)),
            }
        }
        if person.is_none() && org.is_none() && nouns.len() > 1 {
            return None;
        }
        person.or(org).or(noun).or(other).cloned()
    }

    /// The speaker of the quotation that ends paragraph `pp`, which a quotation opening the
    /// next paragraph continues (“…,” said Spencer. ¶ “Water ice is strong…”).
    fn continued_speaker(&self, pp: usize, decided: &[Option<Cue>]) -> Option<Cue> {
        let id = self.facts[pp].ends_with_quote?;
        decided
            .get(id)?
            .clone()
            .filter(|c| c.who.display().is_some())
    }

    /// Step 3: decide, in reading order.
    fn decide(&mut self, out: &mut Vec<Finding>, capitals: &mut lexicon::KeySet) {
        let mut last_quoted: Option<Cue> = None;
        let mut decided: Vec<Option<Cue>> = vec![None; self.quotes.len()];
        for pi in 0..self.doc.paragraphs.len() {
            for id in self.by_para[pi].clone() {
                let q = &self.quotes[id];
                if q.broken {
                    continue;
                }
                if let Some(prev) = q.prev {
                    // A continuation paragraph: it speaks for whoever the quotation's first
                    // paragraph was attributed to.
                    decided[id] = decided[prev].clone();
                    if let Some(c) = decided[id].clone() {
                        self.facts[pi].speakers.push(c);
                    }
                    continue;
                }
                let mut chain = Some(id);
                let mut attributed: Option<Cue> = None;
                while let Some(k) = chain {
                    if attributed.is_none() {
                        attributed = self.quotes[k].local.clone();
                    }
                    chain = self.quotes[k].next;
                }
                if attributed.is_none() {
                    attributed = self.colon_before(id, capitals);
                    if let Some(c) = &attributed {
                        self.facts[pi].speakers.push(c.clone());
                    }
                }
                if let Some(c) = attributed {
                    if c.who.display().is_some() {
                        last_quoted = Some(c.clone());
                    }
                    decided[id] = Some(c);
                    continue;
                }
                if self.quotes[id].not_speech {
                    continue;
                }
                if self.quotes[id].nearby.is_none()
                    && let Some(pp) = self.prev_para(pi)
                {
                    self.ensure_read(pp, capitals);
                }
                let implied = self.quotes[id].nearby.clone().or_else(|| {
                    let pp = self.prev_para(pi)?;
                    if !self.facts[pp].prose {
                        return None;
                    }
                    if self.quotes[id].opens_paragraph
                        && let Some(c) = self.continued_speaker(pp, &decided)
                    {
                        return Some((c, "quoted at the end of the paragraph before"));
                    }
                    self.single_speaker(pp)
                        .map(|c| (c, "the speaker of the paragraph before"))
                });
                // For the fixes: who the paragraph before quoted, if one person.
                let before = self.prev_para(pi).and_then(|pp| {
                    self.ensure_read(pp, capitals);
                    self.single_speaker(pp).map(|c| c.who)
                });
                let finding = match &implied {
                    Some((cue, why)) => {
                        let Some(sev) = self.cfg.implied_attribution.severity() else {
                            decided[id] = Some(cue.clone());
                            self.facts[pi].speakers.push(cue.clone());
                            continue;
                        };
                        self.implied_finding(id, sev, cue, why, last_quoted.as_ref(), before)
                    }
                    None => self.unattributed_finding(id, last_quoted.as_ref(), before),
                };
                out.push(finding);
                if let Some((cue, _)) = implied {
                    decided[id] = Some(cue.clone());
                    self.facts[pi].speakers.push(cue);
                }
            }
        }
    }

    /// The paragraph before ends with a colon and this quotation opens its paragraph (or its
    /// list follows the colon).
    fn colon_before(&mut self, id: usize, capitals: &mut lexicon::KeySet) -> Option<Cue> {
        let q = &self.quotes[id];
        if !q.opens_paragraph {
            return None;
        }
        let mut pp = self.prev_para(q.para)?;
        if self.doc.paragraphs[q.para].kind == BlockKind::ListItem {
            let mut steps = 0;
            while self.doc.paragraphs[pp].kind == BlockKind::ListItem && !self.facts[pp].ends_colon
            {
                steps += 1;
                if steps > 200 {
                    return None;
                }
                pp = self.prev_para(pp)?;
            }
        }
        if !self.facts[pp].ends_colon {
            return None;
        }
        self.ensure_read(pp, capitals);
        Some(
            self.single_speaker(pp)
                .unwrap_or(Cue::new(Who::Unknown, self.doc.paragraphs[pp].span.clone())),
        )
    }

    /// The range a finding covers: the quotation's first paragraph, mark to mark.
    fn range(&self, id: usize) -> Range<usize> {
        let q = &self.quotes[id];
        q.raw.open.start..q.end
    }

    fn unattributed_finding(&self, id: usize, last: Option<&Cue>, before: Option<Who>) -> Finding {
        let mut msg = String::from("Unattributed quotation");
        let last_name = last.and_then(|c| c.who.display());
        if let Some(n) = &last_name {
            msg.push_str(&format!("; the last person quoted was {n}"));
        }
        let mut f = Finding::new(CODE, self.cfg.severity, self.range(id), msg);
        if let (Some(c), Some(_)) = (last, &last_name) {
            f.related.push(Related {
                doc: None,
                span: c.span.clone(),
                message: "The last person quoted".into(),
            });
        }
        let named = self.quotes[id].last_named.clone().map(Who::Name);
        let all: Vec<&Who> = [last.map(|c| &c.who), before.as_ref(), named.as_ref()]
            .into_iter()
            .flatten()
            .collect();
        self.add_fixes(id, &mut f, &all, false);
        f
    }

    fn implied_finding(
        &self,
        id: usize,
        sev: Severity,
        cue: &Cue,
        why: &str,
        last: Option<&Cue>,
        before: Option<Who>,
    ) -> Finding {
        let msg = match cue.who.display() {
            Some(n) => format!(
                "Quotation attributed only by implication to {n} ({why}); say who is speaking"
            ),
            None => {
                format!("Quotation attributed only by implication ({why}); say who is speaking")
            }
        };
        let mut f = Finding::new(CODE, sev, self.range(id), msg);
        f.related.push(Related {
            doc: None,
            span: cue.span.clone(),
            message: "The implied speaker".into(),
        });
        // A sentence's subject that is a thing ("the scheme is “…”") is not a speaker to
        // write into the text; a name or a person's noun phrase from a cue is.
        let speaker_like = !matches!(cue.who, Who::Noun(_)) || why != SUBJECT_OF_SENTENCE;
        let named = self.quotes[id].last_named.clone().map(Who::Name);
        let cands: Vec<&Who> = [
            speaker_like.then_some(&cue.who),
            before.as_ref(),
            last.map(|c| &c.who),
            named.as_ref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        self.add_fixes(id, &mut f, &cands, speaker_like);
        f
    }

    fn add_fixes(&self, id: usize, f: &mut Finding, cands: &[&Who], prefer_first: bool) {
        let mut seen: Vec<String> = Vec::new();
        for who in cands {
            let Some(r) = who.reference() else { continue };
            if seen.contains(&r) || seen.len() >= 3 {
                continue;
            }
            let Some(edit) = self.attribution_edit(id, &format!("{r} said")) else {
                break;
            };
            let mut fix = Fix::new(format!("Attribute to {r}"), vec![edit]);
            if prefer_first && seen.is_empty() {
                fix = fix.preferred();
            }
            seen.push(r);
            f.fixes.push(fix);
        }
        if let Some(edit) = self.attribution_edit(id, "${1:speaker} said") {
            let mut fix = Fix::new("Add attribution", vec![edit]);
            fix.snippet = true;
            f.fixes.push(fix);
        }
        if self.doc.format == Format::Markdown {
            let p = &self.doc.paragraphs[self.quotes[id].para];
            let line = self.doc.line_block(&p.span);
            let text = self.doc.text;
            let indent_len = text[line.clone()].len() - text[line.clone()].trim_start().len();
            let indent = &text[line.start..line.start + indent_len];
            f.fixes.push(Fix::new(
                "Ignore this quotation",
                vec![Edit::insert(
                    line.start,
                    format!("{indent}<!-- copydesk-disable-next-paragraph {CODE} -->\n"),
                )],
            ));
        }
    }

    /// The edit that attributes quotation `id` in house style: `“…,” Hong said.`
    fn attribution_edit(&self, id: usize, phrase: &str) -> Option<Edit> {
        let q = &self.quotes[id];
        let text = self.doc.text;
        let para_end = self.doc.paragraphs[q.para].span.end;
        let close_ch = q.raw.close_char();
        let Some(close) = &q.raw.close else {
            // A multi-paragraph quotation: after its first sentence.
            let inner = &text[q.raw.open.end..q.end];
            for (i, c) in inner.char_indices() {
                if !matches!(c, '.' | '!' | '?') {
                    continue;
                }
                let rest = &inner[i + 1..];
                let ws = rest.len() - rest.trim_start().len();
                if ws == 0 || !rest.trim_start().starts_with(char::is_uppercase) {
                    continue;
                }
                let at = q.raw.open.end + i;
                let open = q.raw.open_char;
                return Some(if c == '.' {
                    Edit {
                        span: at..at + 1 + ws,
                        replacement: format!(",{close_ch} {phrase}. {open}"),
                    }
                } else {
                    Edit {
                        span: at + 1..at + 1 + ws,
                        replacement: format!("{close_ch} {phrase}. {open}"),
                    }
                });
            }
            return None;
        };
        let inner = &text[q.raw.open.end..close.start];
        let trimmed = inner.trim_end();
        let last = trimmed.chars().next_back();
        let after = &text[close.end..para_end.max(close.end)];
        let next = after.chars().next();
        let terminal = |c: Option<char>| matches!(c, Some('.' | '!' | '?'));
        let close_text = &text[close.clone()];
        match last {
            Some('.') => {
                let at = q.raw.open.end + trimmed.len() - 1;
                let stop = if terminal(next) { "" } else { "." };
                Some(Edit {
                    span: at..close.end,
                    replacement: format!(",{close_text} {phrase}{stop}"),
                })
            }
            Some('?' | '!') => Some(Edit::insert(
                close.end,
                format!(" {phrase}{}", if terminal(next) { "" } else { "." }),
            )),
            Some(',') => Some(Edit::insert(close.end, format!(" {phrase}"))),
            _ => {
                if next == Some('.') {
                    Some(Edit {
                        span: close.start..close.end + 1,
                        replacement: format!(",{close_ch} {phrase}."),
                    })
                } else if after.trim().is_empty() {
                    Some(Edit {
                        span: close.start..close.end,
                        replacement: format!(",{close_ch} {phrase}."),
                    })
                } else {
                    // A quotation inside a sentence: before the sentence's end.
                    let stop = after
                        .find(['.', '!', '?'])
                        .map_or(para_end, |i| close.end + i);
                    Some(Edit::insert(stop, format!(", {phrase}")))
                }
            }
        }
    }
}

/// "Endeavour on its launchpad. Image: NASA.": a photo caption with its credit.
fn is_caption(prose: &str) -> bool {
    let t = prose.trim_end();
    if t.ends_with(':') {
        return false;
    }
    let mut from = t.len().saturating_sub(80);
    while !t.is_char_boundary(from) {
        from += 1;
    }
    let tail = &t[from..];
    tail.match_indices(':').any(|(i, _)| {
        let word = tail[..i]
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        matches!(
            word,
            "Image" | "Photo" | "Photograph" | "Picture" | "Credit" | "image" | "photo"
        )
    })
}

/// Two names of one person: a shared word ("Hong" / "Hong Lei") or the same organisation.
fn same_person(a: &Name, b: &Name) -> bool {
    let aw: Vec<String> = a.full.split(' ').map(str::to_lowercase).collect();
    b.full
        .split(' ')
        .map(str::to_lowercase)
        .any(|w| aw.contains(&w) && !lexicon::is_title(&w))
}

/// "The Sleep Revolution", "Think, Act, Report": every word capitalised except small ones, and
/// not a sentence.
fn is_title(words: &[&str], inner: &str) -> bool {
    let trimmed = inner.trim_end_matches(|c: char| c.is_whitespace() || marks::is_quote_char(c));
    if words.len() < 2 || words.len() > 12 || trimmed.ends_with('.') {
        return false;
    }
    let mut caps = 0;
    for (i, w) in words.iter().enumerate() {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = core.chars().next() else {
            continue;
        };
        if first.is_uppercase() || first.is_ascii_digit() {
            caps += 1;
        } else if i == 0 || !lexicon::is_title_small_word(&core.to_lowercase()) {
            return false;
        }
    }
    caps >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::test_util::{assert_count, fixed, run};

    const R: UnattributedQuote = UnattributedQuote;

    fn found(text: &str) -> Vec<Finding> {
        run(&R, text, Format::Markdown, &Settings::default())
    }

    fn warnings(text: &str) -> usize {
        found(text)
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    fn notes(text: &str) -> usize {
        found(text)
            .iter()
            .filter(|f| f.severity == Severity::Information)
            .count()
    }

    // --- attributed: never flagged -------------------------------------------------------

    #[test]
    fn said_after_the_quote() {
        assert_count(
            &R,
            "“The river rose faster than anyone expected,” Okafor said.",
            0,
        );
        assert_count(
            &R,
            "“The river rose faster than anyone expected,” said Okafor.",
            0,
        );
        assert_count(
            &R,
            "“The river rose faster than anyone expected,” she added.",
            0,
        );
    }

    #[test]
    fn speaker_before_the_quote() {
        assert_count(
            &R,
            "Okafor said: “The river rose faster than we expected.”",
            0,
        );
        assert_count(
            &R,
            "The harbour master told reporters: “We closed the port at dawn.”",
            0,
        );
        assert_count(
            &R,
            "He smiled: “We will be back next season, that much I promise.”",
            0,
        );
    }

    #[test]
    fn noun_phrase_speakers() {
        assert_count(
            &R,
            "“Every pier on the east side is gone,” the harbour master told reporters.",
            0,
        );
        assert_count(
            &R,
            "“Nobody was in the building when it fell,” one neighbour shouted.",
            0,
        );
        assert_count(
            &R,
            "“The sample size is too small to be sure,” a researcher cautioned.",
            0,
        );
        assert_count(
            &R,
            "“Emissions fell in every region but one,” the report concluded.",
            0,
        );
        assert_count(
            &R,
            "“We stand by every figure in the study,” its authors wrote.",
            0,
        );
    }

    #[test]
    fn appositives_between_speaker_and_verb() {
        assert_count(
            &R,
            "The port director, Ana Ruiz, said the delay was “longer than any of us would like”.",
            0,
        );
        assert_count(
            &R,
            "Ana Ruiz, the port director, said: “The cranes are back by Friday, not before.”",
            0,
        );
    }

    #[test]
    fn asked_then_replied() {
        assert_count(
            &R,
            "Asked about the budget, she replied: “We will find the money somewhere.”",
            0,
        );
    }

    #[test]
    fn named_sources() {
        assert_count(
            &R,
            "According to the ministry, “the new line will open by the end of June”.",
            0,
        );
        assert_count(
            &R,
            "“We regret the delay to passengers,” the operator said in a statement.",
            0,
        );
        assert_count(
            &R,
            "In a statement, the operator apologised: “We regret the delay to passengers.”",
            0,
        );
        assert_count(
            &R,
            "Mendes wrote in a blog post: “I never expected the track to reopen this year.”",
            0,
        );
        assert_count(
            &R,
            "Mendes posted on X: “I never expected the track to reopen this year.”",
            0,
        );
    }

    #[test]
    fn sentence_before_or_after_in_the_paragraph() {
        assert_count(
            &R,
            "Okafor said the barrier held. “We were lucky this time, very lucky indeed.”",
            0,
        );
        assert_count(
            &R,
            "“We were lucky this time, very lucky indeed.” Okafor said the barrier held.",
            0,
        );
    }

    #[test]
    fn quotation_only_sentences_share_attribution() {
        assert_count(
            &R,
            "“The barrier held,” Okafor said. “We were lucky this time.” “Next year we may not be.”",
            0,
        );
    }

    #[test]
    fn partial_quotes_woven_into_a_clause() {
        assert_count(
            &R,
            "The agency called the results “by far the best we have seen”.",
            0,
        );
        assert_count(
            &R,
            "Ruiz said the offer was ‘generous but too late for us’ and left.",
            0,
        );
        assert_count(
            &R,
            "She described the plan as “the most ambitious in the region”.",
            0,
        );
    }

    #[test]
    fn previous_paragraph_ending_with_a_colon() {
        assert_count(
            &R,
            "The captain described the storm:\n\n“The waves came over the bridge twice before midnight.”",
            0,
        );
    }

    #[test]
    fn continuation_paragraphs_inherit() {
        let t = "Ruiz recalled the night in detail:\n\n“We heard the first crack at ten. Nobody moved.\n\n“Then the water came through the wall and we ran for the stairs.”\n";
        assert_count(&R, t, 0);
        let t = "“We heard the first crack at ten,” Ruiz said. “Nobody moved.\n\n“Then the water came through the wall and we ran for the stairs.”\n";
        assert_count(&R, t, 0);
    }

    #[test]
    fn british_style_with_apostrophes() {
        assert_count(
            &R,
            "‘We’ve waited since the ’90s and we won’t wait longer,’ said Niamh Doyle.",
            0,
        );
        assert_count(
            &R,
            "The nurses’ union said the deal was ‘the best we’ll get this decade’.",
            0,
        );
    }

    #[test]
    fn extra_speech_verbs_from_settings() {
        let mut s = Settings::default();
        let t = "Okafor spoke to the crowd.\n\n“Nobody leaves until the pumps are running again,” Okafor bellowed.";
        assert_eq!(run(&R, t, Format::Markdown, &s).len(), 1);
        s.unattributed_quote.speech_verbs = vec!["bellow".into()];
        assert_eq!(run(&R, t, Format::Markdown, &s).len(), 0);
    }

    // --- not direct quotations --------------------------------------------------------------

    #[test]
    fn short_terms_and_scare_quotes() {
        assert_count(&R, "The council calls it a “temporary” closure.", 0);
        assert_count(
            &R,
            "Critics of the “smart motorway” scheme met on Monday.",
            0,
        );
        let mut s = Settings::default();
        s.unattributed_quote.max_short_words = 1;
        let t = "Ministers met on Monday to discuss “smart motorways” again.";
        assert_eq!(run(&R, t, Format::Markdown, &s).len(), 1);
    }

    #[test]
    fn titles_and_words_as_words() {
        assert_count(
            &R,
            "She has just finished reading “The Long Way to a Small Angry Planet” again.",
            0,
        );
        assert_count(
            &R,
            "The phrase “build back better and faster” appears nine times.",
            0,
        );
        assert_count(
            &R,
            "A banner reading “no more cuts to our schools” hung from the bridge.",
            0,
        );
        assert_count(
            &R,
            "The scheme, known as “homes for the next generation of workers”, is popular.",
            0,
        );
    }

    #[test]
    fn apostrophes_are_never_quotes() {
        assert_count(
            &R,
            "The union’s leaders don’t back the teachers’ deal, a relic of the ’90s.",
            0,
        );
        assert_count(
            &R,
            "Rock ’n’ roll came to town in the '50s and the '60s, they say.",
            0,
        );
    }

    #[test]
    fn nothing_inside_code_or_html() {
        assert_count(
            &R,
            "Run `echo \"this is not a quotation at all\"` first.",
            0,
        );
        assert_count(
            &R,
            "```\n\"This is not a quotation at all, it is code.\"\n```\n",
            0,
        );
        assert_count(
            &R,
            "<p>\"This is not a quotation at all, it is markup.\"</p>\n",
            0,
        );
    }

    #[test]
    fn nothing_in_front_matter_or_link_urls() {
        let t = "---\ntitle: \"A headline that is not a quotation at all\"\n---\n\nSee [the report](https://example.org/\"not-a-quote-at-all-here\") today.\n";
        assert_count(&R, t, 0);
    }

    #[test]
    fn crlf_text() {
        let t = "The bridge reopened on Tuesday.\r\n\r\n“It was worth every day of the wait.”\r\n";
        let f = run(&R, t, Format::Plain, &Settings::default());
        assert_eq!(f.len(), 1);
        assert_eq!(
            &t[f[0].span.clone()],
            "“It was worth every day of the wait.”"
        );
        assert_count(
            &R,
            "“It was worth every day of the wait,” Okafor said.\r\n",
            0,
        );
    }

    #[test]
    fn quotes_in_headings_and_block_quotes_are_not_checked() {
        assert_count(&R, "# “We will not give up on this town”\n", 0);
        assert_count(&R, "> “We will not give up on this town, not ever.”\n", 0);
    }

    // --- unattributed ---------------------------------------------------------------------------

    #[test]
    fn stand_alone_quote_after_narration_is_a_warning() {
        let t = "The bridge reopened on Tuesday after two years of repairs.\n\n“It was worth every day of the wait.”\n";
        assert_eq!(warnings(t), 1);
    }

    #[test]
    fn after_a_paragraph_with_several_speakers() {
        let t = "Okafor said the barrier held. Ruiz said it had nearly failed.\n\n“It was worth every day of the wait.”\n";
        assert_eq!(warnings(t), 1);
    }

    #[test]
    fn non_speech_verbs_next_door_do_not_attribute() {
        let t = "The rain continued all night.\n\nThe river rose. The rain continued. “We have never seen anything like it in forty years.”\n";
        assert_eq!(found(t).len(), 1);
        let t = "Flood crews arrived at dawn.\n\n“We have never seen anything like it in forty years.” Mayor Jane Ortiz left the meeting early.\n";
        assert_eq!(found(t).len(), 1);
        let t = "Flood crews arrived at dawn.\n\nThe library closes in May. “This is a sad day for every reader in town.”\n";
        assert_eq!(warnings(t), 1);
    }

    #[test]
    fn pull_quotes_and_source_lines_name_their_speaker() {
        assert_count(
            &R,
            "Flood crews arrived at dawn.\n\n“We have never seen anything like it in forty years.” — Jane Ortiz\n",
            0,
        );
        assert_count(
            &R,
            "Sources:\n\n“Flood crews arrive at dawn in the valley” — The Valley Times, 3 May\n",
            0,
        );
    }

    #[test]
    fn after_narration_about_people_is_a_warning() {
        let t = "“I had to dig deep in the last set,” Brandt said.\n\nOrtiz, 31, held two match points before Brandt finally won the tie-break.\n\n“She is the toughest player I have ever faced.”\n";
        let f = found(t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(
            f[0].message,
            "Unattributed quotation; the last person quoted was Brandt"
        );
        assert_eq!(f[0].fixes[0].title, "Attribute to Brandt");
        let t = "Ortiz has trained in Lyon since she was nine.\n\n“She is the toughest player I have ever faced.”\n";
        assert_eq!(warnings(t), 1);
    }

    #[test]
    fn after_a_list() {
        let t = "Crews have:\n\n- cleared the roads\n- opened two shelters\n\n“We have never seen anything like it in forty years.”\n";
        assert_eq!(warnings(t), 1);
    }

    #[test]
    fn list_after_a_colon_is_attributed() {
        let t = "Ortiz listed her demands:\n\n- “Open the shelters to everyone tonight.”\n- “Pay the crews double time this week.”\n";
        assert_count(&R, t, 0);
    }

    #[test]
    fn first_paragraph_quote_is_a_warning() {
        assert_eq!(
            warnings("“Nobody saw the water coming until it was at the door.”\n"),
            1
        );
    }

    #[test]
    fn after_a_heading() {
        let t = "# Flood\n\n“Nobody saw the water coming until it was at the door.”\n";
        assert_eq!(warnings(t), 1);
    }

    #[test]
    fn message_names_the_last_person_quoted() {
        let t = "“The barrier held,” said spokesman Tomas Berg.\n\nOfficials and engineers met at noon.\n\nThe mayor and the governor met Berg and Ruiz at noon.\n\n“It was worth every day of the wait.”\n";
        let f = found(t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(
            f[0].message,
            "Unattributed quotation; the last person quoted was Tomas Berg"
        );
    }

    #[test]
    fn message_gives_the_full_name_of_a_surname_speaker() {
        let t = "Foreign ministry spokesman Hong Lei spoke on Monday.\n\n“We are victims of hacking too,” said Hong.\n\nThe talks resumed in June with several delegations present.\n\n“Nobody gains from a war in cyberspace.”\n";
        let f = found(t);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "Unattributed quotation; the last person quoted was Hong Lei"
        );
        assert!(f[0].fixes.iter().any(|x| x.title == "Attribute to Hong"));
    }

    #[test]
    fn spokesman_noun_phrase_is_a_speaker() {
        assert_count(
            &R,
            "“The border will stay open through the holiday,” the spokesman said.",
            0,
        );
        assert_count(
            &R,
            "The spokesman said: “The border will stay open through the holiday.”",
            0,
        );
    }

    #[test]
    fn settings_from_an_editor_payload() {
        let payload = serde_json::json!({
            "unattributedQuote": {
                "impliedAttribution": "warning",
                "maxShortWords": 5,
                "speechVerbs": ["bellow"]
            }
        });
        let (s, issues) = crate::config::resolve(&[payload]);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(
            s.unattributed_quote.implied_attribution,
            ImpliedLevel::Warning
        );
        assert_eq!(s.unattributed_quote.max_short_words, 5);
        let (s, _) = crate::config::resolve(&[serde_json::json!({
            "unattributed-quote": { "implied-attribution": "off" }
        })]);
        assert_eq!(s.unattributed_quote.implied_attribution, ImpliedLevel::Off);
    }

    #[test]
    fn range_is_mark_to_mark() {
        let t = "Rain fell all week.\n\nAfter that, “nobody in the valley slept for three whole nights” and more.\n";
        let f = found(t);
        assert_eq!(f.len(), 1);
        assert_eq!(
            &t[f[0].span.clone()],
            "“nobody in the valley slept for three whole nights”"
        );
    }

    #[test]
    fn multi_paragraph_range_is_the_first_part() {
        let t = "Rain fell all week.\n\n“We heard the first crack at ten. Nobody moved.\n\n“Then the water came through the wall.”\n";
        let f = found(t);
        assert_eq!(f.len(), 1);
        assert_eq!(
            &t[f[0].span.clone()],
            "“We heard the first crack at ten. Nobody moved."
        );
    }

    #[test]
    fn unclosed_quotes_are_not_trusted() {
        assert_count(
            &R,
            "Rain fell.\n\n“Nobody saw the water coming until it reached the door.\n\nThe end.",
            0,
        );
    }

    // --- implied -------------------------------------------------------------------------------

    #[test]
    fn implied_by_a_single_speaker_paragraph_is_information() {
        let t = "Ferreira said applications would open next week.\n\n“Nobody should assume they are ineligible.”\n";
        let f = found(t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Information);
        assert!(f[0].message.contains("Ferreira"), "{}", f[0].message);
    }

    #[test]
    fn implied_severity_is_configurable() {
        let t = "Ferreira said applications would open next week.\n\n“Nobody should assume they are ineligible.”\n";
        let mut s = Settings::default();
        s.unattributed_quote.implied_attribution = ImpliedLevel::Warning;
        let f = run(&R, t, Format::Markdown, &s);
        assert_eq!(f[0].severity, Severity::Warning);
        s.unattributed_quote.implied_attribution = ImpliedLevel::Off;
        assert!(run(&R, t, Format::Markdown, &s).is_empty());
    }

    #[test]
    fn implied_chain_of_quote_paragraphs() {
        let t = "“The pumps failed at midnight,” Ferreira said.\n\n“Nobody should assume they are safe yet.”\n\n“We will know more when the water drops.”\n";
        assert_eq!(notes(t), 2);
        assert_eq!(warnings(t), 0);
    }

    #[test]
    fn implied_by_an_action_beat() {
        let t = "Iguchi shakes his head. “Nobody in this city believed it could work.”";
        assert_eq!(notes(t), 1);
    }

    // --- fixes ---------------------------------------------------------------------------------

    #[test]
    fn fix_attributes_in_house_style() {
        let t = "Ferreira said applications would open next week.\n\n“Nobody should assume they are ineligible.”\n";
        assert_eq!(
            fixed(&R, t).unwrap(),
            "Ferreira said applications would open next week.\n\n“Nobody should assume they are ineligible,” Ferreira said.\n"
        );
        let t = "Ferreira said applications would open next week.\n\n‘Nobody should assume they are ineligible’.\n";
        assert_eq!(
            fixed(&R, t).unwrap(),
            "Ferreira said applications would open next week.\n\n‘Nobody should assume they are ineligible,’ Ferreira said.\n"
        );
        let t = "Ferreira said applications would open next week.\n\n“Why would anyone assume they are ineligible?”\n";
        assert_eq!(
            fixed(&R, t).unwrap(),
            "Ferreira said applications would open next week.\n\n“Why would anyone assume they are ineligible?” Ferreira said.\n"
        );
    }

    #[test]
    fn fix_for_a_quote_inside_a_sentence() {
        let t = "Ferreira said applications would open next week.\n\nThe scheme is “the fairest we have ever run in this county” for now.\n";
        assert_eq!(
            fixed(&R, t).unwrap(),
            "Ferreira said applications would open next week.\n\nThe scheme is “the fairest we have ever run in this county” for now, Ferreira said.\n"
        );
        let t =
            "Rain fell all week, Berg said.\n\n“He is the best skipper I have ever sailed with”\n";
        assert_eq!(
            fixed(&R, t).unwrap(),
            "Rain fell all week, Berg said.\n\n“He is the best skipper I have ever sailed with,” Berg said.\n"
        );
    }

    #[test]
    fn fix_titles_and_snippet() {
        let t = "“The pumps failed at midnight,” said Lena Ferreira.\n\nThe mayor and the governor met at noon with Berg and Ruiz.\n\n“Nobody should assume they are safe yet.”\n";
        let f = found(t);
        assert_eq!(f.len(), 1);
        let titles: Vec<&str> = f[0].fixes.iter().map(|x| x.title.as_str()).collect();
        assert!(titles.contains(&"Attribute to Ferreira"), "{titles:?}");
        assert!(titles.contains(&"Add attribution"));
        assert!(titles.contains(&"Ignore this quotation"));
        let snip = f[0].fixes.iter().find(|x| x.snippet).unwrap();
        let out = crate::analysis::apply_edits(t, &snip.edits).unwrap();
        assert!(out.contains("“Nobody should assume they are safe yet,” ${1:speaker} said.\n"));
    }

    #[test]
    fn ignore_fix_suppresses() {
        let t = "Rain fell all week.\n\n“Nobody saw the water coming until it was at the door.”\n";
        let f = found(t);
        let ignore = f[0]
            .fixes
            .iter()
            .find(|x| x.title == "Ignore this quotation")
            .unwrap();
        let out = crate::analysis::apply_edits(t, &ignore.edits).unwrap();
        assert_eq!(
            out,
            "Rain fell all week.\n\n<!-- copydesk-disable-next-paragraph unattributed-quote -->\n“Nobody saw the water coming until it was at the door.”\n"
        );
        assert_count(&R, &out, 0);
    }

    #[test]
    fn no_ignore_fix_in_plain_text() {
        let t = "Rain fell all week.\n\n“Nobody saw the water coming until it was at the door.”\n";
        let f = run(&R, t, Format::Plain, &Settings::default());
        assert_eq!(f.len(), 1);
        assert!(
            f[0].fixes
                .iter()
                .all(|x| x.title != "Ignore this quotation")
        );
    }

    #[test]
    fn fix_for_a_multi_paragraph_quote() {
        let t = "Rain fell all week, Berg said.\n\n“We heard the first crack at ten. Nobody moved.\n\n“Then the water came.”\n";
        let f = found(t);
        let fix = f[0]
            .fixes
            .iter()
            .find(|x| x.title == "Attribute to Berg")
            .unwrap();
        let out = crate::analysis::apply_edits(t, &fix.edits).unwrap();
        assert!(
            out.contains("“We heard the first crack at ten,” Berg said. “Nobody moved.\n"),
            "{out}"
        );
    }

    // --- robustness ----------------------------------------------------------------------------

    #[test]
    fn no_panic_on_odd_text() {
        for t in [
            "",
            "“",
            "”",
            "\"",
            "'",
            "“”",
            "“a”",
            "«",
            "“\n\n“",
            "“é. É",
            "\"\"\"\"",
            "said “",
            "“🙂🙂🙂 🙂 🙂.” 🙂 said",
            ":\n\n“x y z w.”",
            "- “a b c d e”\n- “f g h i j”",
            "“x y z w\n\n“",
            "a, b, “c d e f”, said",
        ] {
            let _ = found(t);
            let _ = run(&R, t, Format::Plain, &Settings::default());
        }
    }

    #[test]
    fn large_document_is_fast() {
        let para = "The river rose all week and the council met twice. “It was worth every day of the wait, and we would do it again,” said Lena Ferreira, who runs the shelter.\n\n“Nobody should assume they are safe yet.”\n\n";
        let t = para.repeat(2500); // ~100,000 words
        let doc = Document::parse(&t, Format::Plain);
        let started = std::time::Instant::now();
        let mut out = Vec::new();
        R.check(&doc, &Settings::default(), &mut out);
        let took = started.elapsed();
        assert_eq!(out.len(), 2500);
        // Generous for debug builds on a busy machine; release takes a few milliseconds.
        assert!(took.as_millis() < 5000, "took {took:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// Any text: no panic, spans on character boundaries, every fix applies.
        #[test]
        fn arbitrary_text_is_safe(parts in proptest::collection::vec(proptest::sample::select(vec![
            "“", "”", "\"", "'", "‘", "’", "«", "»", "„", "‹", "›", " ", " ", "\n", "\n\n", ".", ",", ":",
            "?", "—", "-", "(", ")", "said", "Hong", "Lei", "she", "the mayor", "told", "according to",
            "We will win", "é", "🙂", "s", "n", "90s", "don’t", "*", "`", "<!--", "-->", "# ", "- ", "> ",
            "in a statement", "Dr.", "U.S.", "known as", "a", "Ruiz", "added", "\r\n",
        ]), 0..60)) {
            let text: String = parts.concat();
            for fmt in [Format::Markdown, Format::Plain] {
                for f in run(&R, &text, fmt, &Settings::default()) {
                    proptest::prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
                    proptest::prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
                    for fix in &f.fixes {
                        proptest::prop_assert!(crate::analysis::apply_edits(&text, &fix.edits).is_some());
                    }
                }
            }
        }
    }

    #[test]
    fn adversarial_text_stays_linear() {
        // One giant paragraph: thousands of quotations, speech verbs, names and openers.
        let unit =
            "“A b c d e” Said Hong Lei Ann Bo, said, “x y z ‘w’ v” Mr A B C D E F G H said: ";
        let t = unit.repeat(3000);
        let started = std::time::Instant::now();
        let _ = run(&R, &t, Format::Plain, &Settings::default());
        let bare = "The river rose. “Nobody here has seen water like this before.” ".repeat(3000);
        assert_eq!(
            run(&R, &bare, Format::Plain, &Settings::default()).len(),
            3000
        );
        let deep = "“".repeat(5000) + &"”".repeat(5000);
        let _ = run(&R, &deep, Format::Plain, &Settings::default());
        let list = "- “Open the shelters to everyone tonight, please.”\n".repeat(3000);
        let _ = run(&R, &list, Format::Markdown, &Settings::default());
        let captions = "Photo: A. Smith.\n\n".repeat(2000)
            + "“We have never seen anything like this in forty years.”";
        let _ = run(&R, &captions, Format::Plain, &Settings::default());
        // Debug build, busy machine: a quadratic scan would take minutes here.
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    /// The drafts in `tests/fixtures/quote/`, in the fixture format of `tests/fixtures.rs`:
    /// `%% ^ CODE` under a line where a finding must start, `%% ! CODE` where none may. Only
    /// this rule's findings are checked here; any unannounced one fails.
    #[test]
    fn fixture_drafts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quote");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        let mut failures = Vec::new();
        for path in &paths {
            let src = std::fs::read_to_string(path).unwrap();
            let mut text = String::new();
            let (mut expect, mut forbid) = (Vec::new(), Vec::new());
            let mut line = 0usize;
            for l in src.split_inclusive('\n') {
                if let Some(m) = l.trim_end().strip_prefix("%%") {
                    let m = m.trim();
                    if let Some(code) = m.strip_prefix('^') {
                        expect.push((line, code.trim().to_string()));
                    } else if let Some(code) = m.strip_prefix('!') {
                        forbid.push((line, code.trim().to_string()));
                    }
                    continue;
                }
                text.push_str(l);
                line += 1;
            }
            let f = run(&R, &text, Format::from_path(path), &Settings::default());
            let lines: Vec<usize> = f
                .iter()
                .map(|x| text[..x.span.start].matches('\n').count() + 1)
                .collect();
            let name = path.file_name().unwrap().to_string_lossy();
            for (l, code) in &expect {
                if code == CODE && !lines.contains(l) {
                    failures.push(format!("{name}:{l}: expected a finding"));
                }
            }
            for (l, code) in &forbid {
                if code == CODE && lines.contains(l) {
                    failures.push(format!("{name}:{l}: unexpected finding"));
                }
            }
            for (x, l) in f.iter().zip(&lines) {
                if !expect.iter().any(|(e, c)| e == l && c == CODE) {
                    failures.push(format!("{name}:{l}: unannounced finding: {}", x.message));
                }
            }
        }
        assert!(!paths.is_empty());
        assert!(failures.is_empty(), "{failures:#?}");
    }

    /// DEV TOOL: timing on a manuscript of real paragraphs (run in release:
    /// `cargo test --release --lib quote -- --ignored --nocapture timing`).
    #[test]
    #[ignore]
    fn timing() {
        let dir = "/work/shared/corpus/onestopenglish/articles";
        let mut paras: Vec<String> = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|rd| rd.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            let t = std::fs::read_to_string(f).unwrap_or_default();
            paras.extend(
                t.split("\n\n")
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty()),
            );
        }
        if paras.is_empty() {
            return;
        }
        let sizes: &[usize] = if std::env::var("QUOTE_SMALL").is_ok() {
            &[100_000]
        } else {
            &[100_000, 1_000_000]
        };
        for &words in sizes {
            let mut text = String::new();
            let (mut n, mut i) = (0, 0);
            while n < words {
                let p = &paras[i % paras.len()];
                n += p.split_whitespace().count();
                text.push_str(p);
                text.push_str("\n\n");
                i += 1;
            }
            let mut off = Settings::default();
            off.unattributed_quote.enabled = false;
            let on = Settings::default();
            let time = |s: &Settings| {
                let mut best = std::time::Duration::MAX;
                for _ in 0..5 {
                    let t0 = std::time::Instant::now();
                    let a = crate::analysis::analyze(&text, Format::Markdown, s);
                    best = best.min(t0.elapsed());
                    std::hint::black_box(a);
                }
                best
            };
            if let Ok(mode) = std::env::var("QUOTE_ANALYZE") {
                // One full analysis, with the rule on or off (for instruction counts).
                let s = if mode == "off" { &off } else { &on };
                let t0 = std::time::Instant::now();
                let a = crate::analysis::analyze(&text, Format::Markdown, s);
                println!("{words} words: analyze ({mode}) {:?}", t0.elapsed());
                std::hint::black_box(a);
                continue;
            }
            let doc = Document::parse(&text, Format::Markdown);
            if std::env::var("QUOTE_RULE_ONLY").is_ok() {
                let t0 = std::time::Instant::now();
                let n = std::hint::black_box(&text).split_whitespace().count();
                let lower_all = std::hint::black_box(&text).to_lowercase().len();
                println!(
                    "calibration: split_whitespace {n} words + to_lowercase {lower_all} bytes: {:?}",
                    t0.elapsed()
                );
                let reps: usize = std::env::var("QUOTE_RULE_ONLY")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                let t0 = std::time::Instant::now();
                for _ in 0..reps {
                    let mut out = Vec::new();
                    R.check(&doc, &on, &mut out);
                    std::hint::black_box(out);
                }
                println!(
                    "{words} words: the rule alone {:?} per run",
                    t0.elapsed() / reps.max(1) as u32
                );
                continue;
            }
            let mut rule_best = std::time::Duration::MAX;
            let mut found = 0;
            for _ in 0..5 {
                let mut out = Vec::new();
                let t0 = std::time::Instant::now();
                R.check(&doc, &on, &mut out);
                rule_best = rule_best.min(t0.elapsed());
                found = out.len();
            }
            println!(
                "{words} words: analyze without the rule {:?}, with it {:?}; the rule alone {:?} ({found} findings)",
                time(&off),
                time(&on),
                rule_best
            );
        }
    }

    /// DEV TOOL: print this rule's findings for one file (`QUOTE_FILE=path cargo test --lib
    /// quote -- --ignored --nocapture show_file`). `%%` marker lines are dropped.
    #[test]
    #[ignore]
    fn show_file() {
        let Ok(path) = std::env::var("QUOTE_FILE") else {
            return;
        };
        let src = std::fs::read_to_string(&path).unwrap();
        let text: String = src
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("%%"))
            .collect();
        let fmt = Format::from_path(std::path::Path::new(&path));
        let doc = Document::parse(&text, fmt);
        for f in run(&R, &text, fmt, &Settings::default()) {
            println!(
                "{}:{} {:?} {}\n    {}\n    fixes: {:?}",
                path,
                doc.line_number(f.span.start),
                f.severity,
                &text[f.span.clone()],
                f.message,
                f.fixes.iter().map(|x| x.title.as_str()).collect::<Vec<_>>()
            );
        }
    }

    /// DEV TOOL: the eval articles' `unattributed-quote` expectations (found / must not).
    /// Run with `cargo test --lib quote -- --ignored --nocapture eval_articles`.
    #[test]
    #[ignore]
    fn eval_articles() {
        let dir = "/work/shared/eval/articles";
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        paths.sort();
        let (mut missed, mut wrong) = (0, 0);
        for p in paths {
            let name = p.to_string_lossy().to_string();
            if !(name.ends_with(".txt") || name.ends_with(".md")) {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let exp_path = format!("{}.expect.json", name.rsplit_once('.').unwrap().0);
            let Ok(exp) = std::fs::read_to_string(&exp_path) else {
                continue;
            };
            let exp: serde_json::Value = serde_json::from_str(&exp).unwrap();
            let fmt = if name.ends_with(".md") {
                Format::Markdown
            } else {
                Format::Plain
            };
            let a = crate::analysis::analyze(&text, fmt, &Settings::default());
            let mine: Vec<&Finding> = a.findings.iter().filter(|f| f.rule == CODE).collect();
            let hit = |item: &serde_json::Value| {
                let t = item["text"].as_str().unwrap_or("");
                let Some(at) = text.find(t) else { return false };
                mine.iter()
                    .any(|f| f.span.start <= at + t.len() && at < f.span.end)
            };
            for item in exp["expect"].as_array().unwrap() {
                if item["code"] == CODE && !hit(item) {
                    missed += 1;
                    println!("MISSED {name}: {}", item["text"]);
                }
            }
            for item in exp["must_not"].as_array().unwrap() {
                if item["code"] == CODE && hit(item) {
                    wrong += 1;
                    println!("FLAGGED {name}: {}", item["text"]);
                }
            }
            for f in &mine {
                println!(
                    "  {name}: {:?} {} | {}",
                    f.severity,
                    &text[f.span.clone()],
                    f.message
                );
            }
        }
        println!("eval: {missed} missed, {wrong} wrongly flagged");
    }

    /// DEV TOOL, not a test of behaviour: false-alarm rates on the published corpora.
    /// Run with `cargo test --lib quote -- --ignored --nocapture corpus`.
    #[test]
    #[ignore]
    fn corpus_false_alarm_rates() {
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for dir in [
            "/work/shared/corpus/onestopenglish/articles",
            "/work/shared/corpus/wikinews-gum/news",
            "/work/shared/corpus/wikinews-gum/interview",
        ] {
            let Ok(rd) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in rd.flatten() {
                if e.path().extension().is_some_and(|x| x == "txt") {
                    files.push(e.path());
                }
            }
        }
        files.sort();
        let (mut words, mut warns, mut infos) = (0usize, 0usize, 0usize);
        let verbose = std::env::var("QUOTE_NOTES").is_ok();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            words += text.split_whitespace().count();
            let a = crate::analysis::analyze(&text, Format::Plain, &Settings::default());
            let doc = Document::parse(&text, Format::Plain);
            for x in a.findings.iter().filter(|x| x.rule == CODE) {
                let name = f.file_name().unwrap().to_string_lossy();
                let line = doc.line_number(x.span.start);
                let snippet: String = text[x.span.clone()].chars().take(110).collect();
                if x.severity == Severity::Warning {
                    warns += 1;
                    println!("WARN {name}:{line}: {snippet}\n     {}", x.message);
                } else {
                    infos += 1;
                    if verbose {
                        println!("note {name}:{line}: {snippet}\n     {}", x.message);
                    }
                }
            }
        }
        let per = |n: usize| n as f64 * 10_000.0 / words.max(1) as f64;
        println!(
            "{} files, {words} words: {warns} warnings ({:.2}/10k), {infos} notes ({:.2}/10k)",
            files.len(),
            per(warns),
            per(infos)
        );
    }
}
