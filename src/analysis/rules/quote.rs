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
//! Incremental (`check_memo`, issue 7): the per-paragraph work — quotation marks, the name
//! scan, reading a paragraph's words — is kept by paragraph content with paragraph-relative
//! offsets (`para`). A reading records the few document-level facts it used (its answers
//! from the capitals seen so far, the names it looked up, the last speaker when a pronoun
//! needed it) and is reused while they hold; the document-level passes (chaining
//! quotations, collecting capitals and names in reading order, the last speaker, deciding)
//! run every time over the kept pieces, and findings are kept by everything they are made
//! of. `check` is `check_memo` with an empty memo, so both find exactly the same.
//!
//! Measure false alarms on the published corpora with the ignored dev-tool tests at the end
//! of this file (`corpus_false_alarm_rates`, `eval_articles`, `timing`, `show_file`;
//! `timing_incremental` and `memo_on_the_corpora` for the memo).

mod explain;
mod judge;
mod para;
mod report;

pub use explain::{
    Decision, ParaQuotes, Verdict, explain, explain_from, quoted_speech, quoted_speech_from,
};

use crate::analysis::lang::gender::Genders;
use crate::analysis::lang::lexicon;
use crate::analysis::lang::lists::DOCUMENT_NOUNS;
use crate::analysis::lang::marks::RawQuote;
use crate::analysis::lang::speech::{Cue, Name, Verbs, Who};
use crate::analysis::{BlockKind, Document, Finding, ParaCache, Rule, RuleMemo, Severity};
use crate::config::Settings;
use para::{NameMap, Para, QuoteMemo, SUBJECT_OF_SENTENCE};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

pub const CODE: &str = "unattributed-quote";

/// How to report a quotation whose speaker is only implied.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ImpliedLevel {
    Off,
    Hint,
    /// `"note"`: every one-candidate carry-over reported, for desks that want each quoted
    /// paragraph attributed.
    #[serde(alias = "info", alias = "note")]
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
    /// A quotation whose one possible speaker is only implied by what comes before it (the
    /// newsroom convention: attributed, not reported): "off" (default), or "note" (=
    /// "information"), "warning", "hint", "error" to report each one.
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
            implied_attribution: ImpliedLevel::Off,
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
        self.check_memo(doc, s, &mut RuleMemo::default(), out);
    }
    /// Per-paragraph work (quotation marks, the name scan, reading the words of paragraphs
    /// with quotations) is kept by paragraph content; the passes over the whole document
    /// (chaining quotations, the capitals and names seen so far, the last speaker, deciding)
    /// run every time over the kept pieces. See `para`.
    fn check_memo(
        &self,
        doc: &Document,
        s: &Settings,
        memo: &mut RuleMemo,
        out: &mut Vec<Finding>,
    ) {
        let m = memo.get::<QuoteMemo>();
        m.paras.begin();
        let paras: Vec<Arc<Para>> = (0..doc.paragraphs.len())
            .map(|i| {
                Arc::clone(
                    m.paras
                        .get_or_insert_with(doc.paragraph_hash(i), || Arc::new(Para::new(doc, i))),
                )
            })
            .collect();
        m.paras.end();
        m.findings.begin();
        let sizes = m.sizes;
        m.sizes = Checker::new(doc, &s.unattributed_quote, paras, sizes, &mut m.findings).run(out);
        m.findings.end();
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
    /// The people mentioned in the sentence before it and in its own sentence before it, with
    /// whether the text shows each is a person.
    persons: Vec<(Name, bool)>,
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
    /// Each paragraph's content-only facts and kept readings.
    paras: Vec<Arc<Para>>,
    quotes: Vec<Quote>,
    /// Quotation indices per paragraph.
    by_para: Vec<Range<usize>>,
    facts: Vec<ParaFacts>,
    /// Key of a lowercase first or last name → the full name last seen with it.
    names: NameMap,
    /// Paragraphs whose words matter: they hold a quotation, or come before one (a caption,
    /// a comment or a run of list items in between).
    relevant: Vec<bool>,
    /// Reading out of order (a paragraph before a quotation, on demand): do not move the
    /// "last speaker" and "last named" markers.
    late: bool,
    /// The last person who spoke (for "he said", "she added").
    last_speaker: Option<Name>,
    /// The last person named at all (a candidate for a fix).
    last_named: Option<Name>,
    /// Room to make for the capitals.
    capacity: usize,
    /// Findings made by earlier analyses (see [`Checker::finding`]).
    kept: &'a mut ParaCache<Finding>,
    /// The decision on every quotation, when asked for (`explain`).
    log: Option<Vec<Decision>>,
    /// Words of the names of everyone who speaks in the document (made when first needed).
    speaking: Option<lexicon::KeySet>,
    /// What the document shows of people's gender.
    genders: Genders,
}

/// The word of the placeholder "Add attribution" inserts: `[SPEAKER] said`.
const PLACEHOLDER_WORD: &str = "SPEAKER";

/// What a quotation without a cue in its own sentence comes to.
enum Call {
    /// A partial quotation woven into a clause: the clause's subject.
    Woven(Cue),
    /// The one speaker the convention carries over, and why.
    Carried(Cue, &'static str),
    /// Two (or more) people a reader could take for the speaker.
    Ambiguous(Vec<Who>),
    /// Nobody.
    Nobody,
}

/// What is reported.
enum Report<'c> {
    /// One candidate, reported only when `implied-attribution` asks for it.
    Implied(Severity, &'c Cue, &'static str),
    Ambiguous(&'c [Who]),
    Unattributed,
    /// `[SPEAKER] said` not yet replaced.
    Placeholder,
}

impl<'a, 'd> Checker<'a, 'd> {
    /// `sizes`: how many names and capitals to make room for.
    fn new(
        doc: &'a Document<'d>,
        cfg: &'a QuoteSettings,
        paras: Vec<Arc<Para>>,
        sizes: (usize, usize),
        kept: &'a mut ParaCache<Finding>,
    ) -> Self {
        Checker {
            kept,
            capacity: sizes.1,
            doc,
            cfg,
            verbs: Verbs::new(&cfg.speech_verbs),
            paras,
            quotes: Vec::new(),
            by_para: Vec::new(),
            facts: Vec::new(),
            names: NameMap::with_capacity_and_hasher(sizes.0, Default::default()),
            relevant: Vec::new(),
            late: false,
            last_speaker: None,
            last_named: None,
            log: None,
            speaking: None,
            genders: Genders::default(),
        }
    }

    /// Returns how many names and capitals it collected.
    fn run(self, out: &mut Vec<Finding>) -> (usize, usize) {
        self.run_logged(out).1
    }

    /// [`Self::run`], also returning the decision log when one was asked for.
    fn run_logged(mut self, out: &mut Vec<Finding>) -> (Option<Vec<Decision>>, (usize, usize)) {
        self.find_quotes();
        if !self.quotes.is_empty() {
            let doc = self.doc;
            for (i, p) in self.paras.iter().enumerate() {
                self.genders
                    .add(p.genders(|| doc.prose_of(&doc.paragraphs[i])));
            }
        }
        let n = self.doc.paragraphs.len();
        self.relevant = vec![false; n];
        let mut quote_ahead = false; // a quotation in the next paragraph that reads on from here
        for pi in (0..n).rev() {
            let has = !self.by_para[pi].is_empty();
            self.relevant[pi] = has || quote_ahead;
            let passes_on = self.is_comment(pi)
                || self.paras[pi].caption
                || self.doc.paragraphs[pi].kind == BlockKind::ListItem;
            quote_ahead = has || (passes_on && quote_ahead);
        }
        self.facts = (0..n)
            .map(|pi| ParaFacts {
                ends_colon: self.paras[pi].ends_colon,
                prose: self.paras[pi].checked,
                caption: self.paras[pi].caption,
                ..Default::default()
            })
            .collect();
        // Words seen capitalised in mid-sentence so far: names. Collected as paragraphs are
        // read, so a name counts from the paragraph it first appears in.
        let mut capitals =
            lexicon::KeySet::with_capacity_and_hasher(self.capacity, Default::default());
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
        (self.log.take(), (self.names.len(), capitals.len()))
    }

    /// A plain-text paragraph that is only a suppression comment.
    fn is_comment(&self, pi: usize) -> bool {
        self.paras.get(pi).is_some_and(|p| p.comment)
    }

    /// Step 1: quotations per paragraph, chained across paragraphs.
    fn find_quotes(&mut self) {
        let doc = self.doc;
        self.quotes
            .reserve(self.paras.iter().map(|p| p.raws.len()).sum::<usize>());
        self.by_para.reserve(doc.paragraphs.len());
        for (pi, p) in doc.paragraphs.iter().enumerate() {
            let start = self.quotes.len();
            let base = p.span.start;
            for raw in &self.paras[pi].raws {
                let raw = RawQuote {
                    open: raw.open.start + base..raw.open.end + base,
                    close: raw.close.as_ref().map(|c| c.start + base..c.end + base),
                    family: raw.family,
                    open_char: raw.open_char,
                };
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
                    persons: Vec::new(),
                });
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

    /// Step 2: tokens, sentences and cues of one paragraph; local attribution of its
    /// quotations; names for later reference. The reading itself is kept with the paragraph
    /// ([`Para::read`]); here it meets the document: the names and capitals it adds, the
    /// last speaker and person named after it.
    fn read_paragraph(&mut self, pi: usize, capitals: &mut lexicon::KeySet, all_cues: bool) {
        let doc = self.doc;
        let p = &doc.paragraphs[pi];
        let mut facts = std::mem::take(&mut self.facts[pi]);
        // Read out of order (on demand): resolve "he" and "she" as at this paragraph's place
        // in the text, and leave the markers where they are.
        if !self.late {
            facts.start_speaker = self.last_speaker.clone();
            facts.start_named = self.last_named.clone();
        }
        facts.read = true;
        if p.kind == BlockKind::TableCell || self.is_comment(pi) || !self.relevant[pi] {
            // Nothing here is read for attribution: skip the words.
            self.facts[pi] = facts;
            return;
        }
        let para = Arc::clone(&self.paras[pi]);
        let read = para.read(
            || doc.prose_of(p),
            &self.verbs,
            self.cfg.max_short_words,
            all_cues,
            capitals,
            &self.names,
            &self.genders,
            &facts.start_speaker,
            &facts.start_named,
        );
        for (k, name) in &read.remembered {
            self.names.insert(*k, name.clone());
            capitals.insert(*k);
        }
        if !self.late {
            // (`Val::Start`: the reading left them as they were.)
            if let para::Val::Is(v) = &read.end_speaker {
                self.last_speaker = v.clone();
            }
            if let para::Val::Is(v) = &read.end_named {
                self.last_named = v.clone();
            }
        }
        let base = p.span.start;
        let first_id = self.by_para[pi].start;
        for (k, q) in read.quotes.iter().enumerate() {
            let Some(q) = q else { continue };
            let quote = &mut self.quotes[first_id + k];
            quote.local = q.local.as_ref().map(|c| shifted(c, base));
            quote.opens_paragraph = q.opens_paragraph;
            quote.last_named = q.last_named.or(&facts.start_named);
            quote.persons = q.persons.clone();
            if let Some((nearby, not_speech)) = &q.unattributed {
                quote.nearby = nearby.as_ref().map(|(c, why)| (shifted(c, base), *why));
                quote.not_speech = *not_speech;
            }
        }
        facts.all_cues = read.all_cues;
        facts.ends_with_quote = read.ends_with_quote.map(|k| first_id + k);
        facts.speakers = read.speakers.iter().map(|c| shifted(c, base)).collect();
        self.facts[pi] = facts;
    }

    /// Read a paragraph without quotations when a quotation after it needs its speakers.
    fn ensure_read(&mut self, pi: usize, capitals: &mut lexicon::KeySet) {
        if !self.facts[pi].read || !self.facts[pi].all_cues {
            self.read_paragraph(pi, capitals, true);
        }
    }

    /// Full names in a paragraph that is not read word by word, and the person a sentence
    /// starts with (who "he" or "she" means next). The byte scan is kept with the paragraph.
    fn scan_names(&mut self, pi: usize, capitals: &mut lexicon::KeySet) {
        if self.relevant[pi] {
            // It may be read later, as at this place in the text.
            self.facts[pi].start_speaker = self.last_speaker.clone();
            self.facts[pi].start_named = self.last_named.clone();
        }
        let para = Arc::clone(&self.paras[pi]);
        let doc = self.doc;
        for s in para.scanned(|| doc.prose_of(&doc.paragraphs[pi])) {
            // A person mentioned by full name: "Hong" and "Lei" now mean Hong Lei.
            if let Some(keys) = s.keys {
                for k in keys {
                    self.names.insert(k, s.name.clone());
                    capitals.insert(k);
                }
                self.last_named = Some(s.name.clone());
            }
            // "Smart said he…": a known person starting a sentence is who "he" means next.
            if s.subject
                && let Some(full) = self.names.get(&s.short_key)
            {
                // (The remembered name itself when it is referred to the same way.)
                self.last_speaker = Some(if full.short == s.name.short && !full.org {
                    full.clone()
                } else {
                    Name::new(full.full.clone(), s.name.short.clone(), false)
                });
            }
        }
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
                    if !nouns.contains(&&**s) {
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
        if self.starts_lower(id) {
            return None;
        }
        decided.get(id)?.clone().filter(|c| c.who.named())
    }

    /// Step 3: decide, in reading order.
    fn decide(&mut self, out: &mut Vec<Finding>, capitals: &mut lexicon::KeySet) {
        let mut last_quoted: Option<Cue> = None;
        // The speaker (however written) of the last quotation attributed, and its paragraph.
        let mut last_voice: Option<(Cue, usize)> = None;
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
                        self.facts[pi].speakers.push(c.clone());
                        last_voice = Some((c.clone(), pi));
                        self.log(
                            id,
                            Verdict::Attributed,
                            Some(&c.who),
                            "continues a quotation",
                        );
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
                if self.placeholder_after(id) {
                    let f = self.finding(id, Report::Placeholder, last_quoted.as_ref());
                    out.push(f);
                    self.log(id, Verdict::Reported, None, "an attribution placeholder");
                    continue;
                }
                if let Some(c) = attributed {
                    if self.is_placeholder(&c) {
                        let f = self.finding(id, Report::Placeholder, last_quoted.as_ref());
                        out.push(f);
                        self.log(id, Verdict::Reported, None, "an attribution placeholder");
                        continue;
                    }
                    // A partial quotation ("called the offer ‘fair’") does not make its
                    // speaker the person quoted last.
                    // A title with no named speaker ("finished reading “The Long Way to a
                    // Small Angry Planet”") is not speech.
                    if !matches!(c.who, Who::Name(_)) && self.is_title_quote(id) {
                        self.log(id, Verdict::NotSpeech, None, "a title");
                        continue;
                    }
                    // Nor does a document's text ("a decree issued by the Queen said:") make
                    // anyone the person quoted last.
                    let partial = self.starts_lower(id)
                        || self.is_term(id)
                        || matches!(&c.who, Who::Noun(s) if is_document(s));
                    if c.who.named() && !partial {
                        last_quoted = Some(c.clone());
                    }
                    if !matches!(c.who, Who::Unknown) && !partial {
                        last_voice = Some((c.clone(), pi));
                    }
                    self.log(id, Verdict::Attributed, Some(&c.who), "its own sentence");
                    decided[id] = Some(c);
                    continue;
                }
                if self.quotes[id].not_speech {
                    self.log(id, Verdict::NotSpeech, None, "a term, title or words cited");
                    continue;
                }
                let recent = last_voice
                    .as_ref()
                    .filter(|(_, p)| *p == pi || Some(*p) == self.prev_para(pi))
                    .map(|(c, _)| c.clone());
                let call = self.judge(id, pi, last_quoted.as_ref(), recent, &decided, capitals);
                match call {
                    Call::Woven(cue) | Call::Carried(cue, _) if self.is_placeholder(&cue) => {
                        let f = self.finding(id, Report::Placeholder, last_quoted.as_ref());
                        out.push(f);
                        self.log(id, Verdict::Reported, None, "an attribution placeholder");
                    }
                    Call::Woven(cue) if matches!(&cue.who, Who::Noun(s) if is_document(s)) => {
                        // "The bill allows … “for a transitory period …”": a document's text.
                        self.log(id, Verdict::NotSpeech, None, "text of a document");
                    }
                    Call::Woven(mut cue) => {
                        // "The first thing he did was …": the person in the clause.
                        if !cue.who.person_like() {
                            cue.who = match self.quotes[id].persons.last() {
                                Some((n, _)) => Who::Name(n.clone()),
                                None => Who::Unknown,
                            };
                        }
                        self.log(id, Verdict::Attributed, Some(&cue.who), SUBJECT_OF_SENTENCE);
                        if cue.who.person_like() {
                            self.facts[pi].speakers.push(cue.clone());
                        }
                        decided[id] = Some(cue);
                    }
                    Call::Carried(cue, why) => {
                        if !matches!(cue.who, Who::Unknown) {
                            last_voice = Some((cue.clone(), pi));
                        }
                        if let Some(sev) = self.cfg.implied_attribution.severity() {
                            let f = self.finding(
                                id,
                                Report::Implied(sev, &cue, why),
                                last_quoted.as_ref(),
                            );
                            out.push(f);
                            self.log(id, Verdict::Reported, Some(&cue.who), why);
                        } else {
                            self.log(id, Verdict::Attributed, Some(&cue.who), why);
                        }
                        self.facts[pi].speakers.push(cue.clone());
                        decided[id] = Some(cue);
                    }
                    Call::Ambiguous(mut cands) if cands.iter().any(|w| !w.person_like()) => {
                        // Only people and organisations are named: one left is the speaker.
                        cands.retain(Who::person_like);
                        let why = "the one person left";
                        match cands.pop() {
                            Some(w) if cands.is_empty() => {
                                let cue = Cue::new(w, self.quotes[id].raw.open.clone());
                                self.log(id, Verdict::Attributed, Some(&cue.who), why);
                                decided[id] = Some(cue);
                            }
                            _ => {
                                let f =
                                    self.finding(id, Report::Unattributed, last_quoted.as_ref());
                                out.push(f);
                                self.log(id, Verdict::Reported, None, "no candidate");
                            }
                        }
                    }
                    Call::Ambiguous(cands) => {
                        let f = self.finding(id, Report::Ambiguous(&cands), last_quoted.as_ref());
                        out.push(f);
                        self.log(id, Verdict::Reported, None, "several candidates");
                    }
                    Call::Nobody => {
                        let f = self.finding(id, Report::Unattributed, last_quoted.as_ref());
                        out.push(f);
                        self.log(id, Verdict::Reported, None, "no candidate");
                    }
                }
            }
        }
    }

    /// A quotation of `max-short-words` words or fewer that is no sentence (a term or a
    /// title, "The Silent Quarry"): attributed or not, it makes nobody the person quoted last.
    fn is_term(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        let end = q.raw.close.as_ref().map_or(q.end, |c| c.start);
        self.doc.text.get(q.raw.open.end..end).is_some_and(|t| {
            // ("The barrier held," is a sentence spoken.)
            !t.trim_end().ends_with(['.', ',', '!', '?', '…'])
                && t.split_whitespace().count() <= self.cfg.max_short_words
        })
    }

    /// A closed quotation in Title Case ("The Long Way to a Small Angry Planet").
    fn is_title_quote(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        let Some(close) = &q.raw.close else {
            return false;
        };
        let inner = self.doc.text.get(q.raw.open.end..close.start).unwrap_or("");
        let words: Vec<&str> = inner
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        is_title(&words, inner)
    }

    fn log(&mut self, id: usize, verdict: Verdict, who: Option<&Who>, why: &'static str) {
        if let Some(log) = &mut self.log {
            log.push(Decision {
                span: self.quotes[id].raw.open.start..self.quotes[id].end,
                verdict,
                speaker: who.and_then(|w| w.reference()),
                full: who.and_then(|w| match w {
                    Who::Name(n) if !n.org && n.full != n.short => Some(n.full.to_string()),
                    _ => None,
                }),
                named: matches!(who, Some(Who::Name(_))),
                why,
            });
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
}

/// A noun phrase for a document, law or sign ("the bill", "a decree").
fn is_document(phrase: &str) -> bool {
    phrase
        .split(' ')
        .any(|w| DOCUMENT_NOUNS.contains(&w.to_lowercase()))
}

/// A cue found in a paragraph's own offsets, moved to the paragraph's place at `base`.
fn shifted(c: &Cue, base: usize) -> Cue {
    let mut c = c.clone();
    c.span = c.span.start + base..c.span.end + base;
    c
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

/// One person written two ways, for telling candidates apart: the same surname, or a single
/// word that is one of the other's ("Hong" / "Hong Lei"), but not a shared first name
/// ("Margaret Allen" / "Margaret Chartwood").
fn same_mention(a: &Name, b: &Name) -> bool {
    let last = |n: &Name| n.full.rsplit(' ').next().unwrap_or("").to_lowercase();
    let single = |n: &Name| !n.full.contains(' ');
    if single(a) || single(b) {
        return same_person(a, b);
    }
    last(a) == last(b)
}

/// "The Sleep Revolution", "Think, Act, Report": every word capitalised except small ones, and
/// not a sentence.
fn is_title(words: &[&str], inner: &str) -> bool {
    let trimmed = inner.trim_end_matches(|c: char| {
        c.is_whitespace() || crate::analysis::lang::marks::is_quote_char(c)
    });
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
mod tests;
