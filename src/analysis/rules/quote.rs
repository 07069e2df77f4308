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
mod para;

pub use explain::{Decision, Verdict, explain, quoted_speech};

use crate::analysis::lang::lexicon;
use crate::analysis::lang::lists::DOCUMENT_NOUNS;
use crate::analysis::lang::marks::RawQuote;
use crate::analysis::lang::speech::{Cue, Name, Verbs, Who};
use crate::analysis::{
    BlockKind, Document, Edit, Finding, Fix, Format, ParaCache, Related, Rule, RuleMemo, Severity,
};
use crate::config::Settings;
use para::{NameMap, Para, QuoteMemo, SUBJECT_OF_SENTENCE};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
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
        }
    }

    /// Returns how many names and capitals it collected.
    fn run(self, out: &mut Vec<Finding>) -> (usize, usize) {
        self.run_logged(out).1
    }

    /// [`Self::run`], also returning the decision log when one was asked for.
    fn run_logged(mut self, out: &mut Vec<Finding>) -> (Option<Vec<Decision>>, (usize, usize)) {
        self.find_quotes();
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
            &facts.start_speaker,
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
                    let partial = self.starts_lower(id);
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
                    Call::Woven(cue)
                        if matches!(&cue.who, Who::Noun(s)
                            if s.split(' ').any(|w| DOCUMENT_NOUNS.contains(&w.to_lowercase()))) =>
                    {
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

    /// Steps 4 and 5 for a quotation with no cue in its own sentence (see `docs/rules.md`,
    /// "The attribution model"): who a reader would take for the speaker, and whether more
    /// than one person fits.
    fn judge(
        &mut self,
        id: usize,
        pi: usize,
        last_quoted: Option<&Cue>,
        recent: Option<Cue>,
        decided: &[Option<Cue>],
        capitals: &mut lexicon::KeySet,
    ) -> Call {
        let q = &self.quotes[id];
        // Only people who speak somewhere in the document are candidates.
        let all = q.persons.clone();
        // People, not fragments, titles or places: shown to be a person, or speaking somewhere.
        let persons: Vec<Name> = all
            .into_iter()
            .filter(|(n, evident)| *evident || self.speaks(n))
            .map(|(n, _)| n)
            .collect();
        let q = &self.quotes[id];
        // The last person quoted, when their quotation is in this paragraph or the one before
        // and nobody else has been named since.
        // The last person quoted, when their quotation is in this paragraph or the one before:
        // still the speaker unless someone else who speaks has been named since.
        let last_named = q.last_named.clone();
        let rival = match (recent.as_ref().map(|c| &c.who), &last_named) {
            (Some(Who::Name(a)), Some(b)) if !same_mention(a, b) && !b.org && self.speaks(b) => {
                Some(b.clone())
            }
            _ => None,
        };
        let q = &self.quotes[id];
        let last_recent: Option<Call> = recent.map(|c| match rival {
            Some(b) => Call::Ambiguous(vec![c.who.clone(), Who::Name(b)]),
            None => Call::Carried(c, "the last person quoted"),
        });
        let opens = q.opens_paragraph;
        let nearby = q.nearby.clone();
        // A partial quotation woven into a clause belongs to the clause's subject.
        if let Some((cue, why)) = &nearby
            && *why == SUBJECT_OF_SENTENCE
        {
            return Call::Woven(cue.clone());
        }
        // The sentence before (a speech act or a beat), or a speaker earlier in the
        // paragraph: one person, unless the sentence before names someone else too.
        if let Some((cue, why)) = nearby {
            let others: Vec<&Name> = persons
                .iter()
                .filter(|n| !matches!(&cue.who, Who::Name(m) if same_mention(m, n)))
                .collect();
            return match (&cue.who, others.first()) {
                (Who::Name(_) | Who::Noun(_), None) => Call::Carried(cue, why),
                (Who::Name(_) | Who::Noun(_), Some(o)) => {
                    Call::Ambiguous(vec![cue.who.clone(), Who::Name((*o).clone())])
                }
                // An unresolved pronoun: the people named are the candidates.
                (_, _) => match persons.len() {
                    0 => Call::Carried(cue, why),
                    1 => Call::Carried(Cue::new(Who::Name(persons[0].clone()), cue.span), why),
                    _ => Call::Ambiguous(persons.iter().take(2).cloned().map(Who::Name).collect()),
                },
            };
        }
        if persons.len() >= 2 {
            return Call::Ambiguous(persons.iter().take(2).cloned().map(Who::Name).collect());
        }
        if persons.len() == 1 {
            let n = persons[0].clone();
            return Call::Carried(
                Cue::new(Who::Name(n), q.raw.open.clone()),
                "the person the sentence before is about",
            );
        }
        if !opens {
            // Narration before it in its own paragraph: the last person quoted, if recent.
            if self.woven(id) {
                return Call::Woven(Cue::new(Who::Unknown, self.quotes[id].raw.open.clone()));
            }
            return last_recent.unwrap_or(Call::Nobody);
        }
        let Some(pp) = self.prev_para(pi) else {
            return Call::Nobody;
        };
        if !self.facts[pp].prose {
            return Call::Nobody;
        }
        if let Some(c) = self.continued_speaker(pp, decided) {
            return Call::Carried(c, "quoted at the end of the paragraph before");
        }
        self.ensure_read(pp, capitals);
        if let Some(c) = self.single_speaker(pp) {
            // A change of quoted speaker is attributed explicitly.
            let differ = |a: &Who, b: &Who| match (a, b) {
                (Who::Name(a), Who::Name(b)) => !same_person(a, b),
                (Who::Noun(a), Who::Noun(b)) => a != b,
                (Who::Name(_), Who::Noun(_)) | (Who::Noun(_), Who::Name(_)) => true,
                _ => false,
            };
            if let Some(last) = last_quoted
                && differ(&last.who, &c.who)
            {
                return Call::Ambiguous(vec![last.who.clone(), c.who.clone()]);
            }
            return Call::Carried(c, "the speaker of the paragraph before");
        }
        let mut named: Vec<Who> = Vec::new();
        for c in self.facts[pp].speakers.iter().rev() {
            if let Who::Name(n) = &c.who
                && !named
                    .iter()
                    .any(|w| matches!(w, Who::Name(m) if same_person(m, n)))
            {
                named.push(c.who.clone());
            }
        }
        if named.len() >= 2 {
            named.truncate(2);
            named.reverse();
            return Call::Ambiguous(named);
        }
        last_recent.unwrap_or(Call::Nobody)
    }

    /// A partial quotation inside a sentence: it starts in lower case after a word or a comma
    /// ("may not “conflict with the linguistic structure”").
    fn woven(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        let t = self.doc.text;
        let before = t[..q.raw.open.start].trim_end().chars().next_back();
        before.is_some_and(|c| c.is_alphanumeric() || c == ',') && self.starts_lower(id)
    }

    /// The quoted words start in lower case: a partial quotation.
    fn starts_lower(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        self.doc.text[q.raw.open.end..q.end]
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_lowercase)
    }

    /// Does this person speak somewhere in the document (shares a word with a speaker of a
    /// paragraph read, as [`same_person`] compares)?
    fn speaks(&mut self, n: &Name) -> bool {
        if self.speaking.is_none() {
            let mut set = lexicon::KeySet::default();
            for f in &self.facts {
                for c in &f.speakers {
                    if let Who::Name(m) = &c.who {
                        set.extend(m.full.split(' ').map(lexicon::key_lower));
                    }
                }
            }
            self.speaking = Some(set);
        }
        let set = self.speaking.as_ref().expect("filled above");
        n.full.split(' ').any(|w| {
            !lexicon::with_lower(w, lexicon::is_title) && set.contains(&lexicon::key_lower(w))
        })
    }

    /// The placeholder right after the quotation's closing mark: `“…,” [SPEAKER] said.`
    fn placeholder_after(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        let pe = self.doc.paragraphs[q.para].span.end;
        let t = self.doc.text;
        let after = &t[q.end.min(pe)..pe];
        after
            .trim_start()
            .starts_with(&format!("[{PLACEHOLDER_WORD}]"))
    }

    /// "[SPEAKER] said": the placeholder the "Add attribution" fix inserts.
    fn is_placeholder(&self, c: &Cue) -> bool {
        let t = self.doc.text;
        t.get(c.span.clone()).is_some_and(|w| w == PLACEHOLDER_WORD)
            && t[..c.span.start].ends_with('[')
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
                why,
            });
        }
    }

    /// The finding for quotation `id`. Made once and kept, by everything it is made of: the
    /// quotation's paragraph and place in it, the start of its first line, the speakers it
    /// names and where they are relative to it.
    fn finding(&mut self, id: usize, report: Report, last: Option<&Cue>) -> Finding {
        let pi = self.quotes[id].para;
        let base = self.doc.paragraphs[pi].span.start;
        let line = self.doc.line_block(&self.doc.paragraphs[pi].span);
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        self.doc.paragraph_hash(pi).hash(&mut h);
        (id - self.by_para[pi].start).hash(&mut h);
        (self.doc.format as u8).hash(&mut h);
        self.doc.text[line.start.min(base)..base].hash(&mut h);
        let cue = |h: &mut xxhash_rust::xxh3::Xxh3, c: Option<&Cue>| {
            c.map(|c| {
                (
                    &c.who,
                    c.span.start.wrapping_sub(base),
                    c.span.end.wrapping_sub(base),
                )
            })
            .hash(h)
        };
        match &report {
            Report::Implied(sev, c, why) => {
                (1u8, *sev as u8, why).hash(&mut h);
                cue(&mut h, Some(c));
            }
            Report::Ambiguous(cands) => (2u8, cands).hash(&mut h),
            Report::Unattributed => 0u8.hash(&mut h),
            Report::Placeholder => 3u8.hash(&mut h),
        }
        cue(&mut h, last);
        let key = h.finish();
        if let Some(f) = self.kept.get(key) {
            return moved(f.clone(), |at| at.wrapping_add(base));
        }
        let f = self.make_finding(id, &report, last);
        self.kept
            .insert(key, moved(f.clone(), |at| at.wrapping_sub(base)));
        f
    }

    fn make_finding(&self, id: usize, report: &Report, last: Option<&Cue>) -> Finding {
        let (sev, msg, cands, preferred): (Severity, String, Vec<&Who>, bool) = match report {
            Report::Implied(sev, cue, _) => {
                let msg = match cue.who.reference() {
                    Some(n) => format!(
                        "Quotation attributed only by implication to {n}; say who is speaking"
                    ),
                    None => "Quotation attributed only by implication; say who is speaking".into(),
                };
                (*sev, msg, vec![&cue.who], true)
            }
            Report::Ambiguous(cands) => {
                let names: Vec<String> = cands.iter().filter_map(Who::reference).collect();
                let msg = format!("Who is speaking: {}?", names.join(" or "));
                (Severity::Information, msg, cands.iter().collect(), false)
            }
            Report::Unattributed => (
                self.cfg.severity,
                "Unattributed quotation".into(),
                last.map(|c| &c.who).into_iter().collect(),
                false,
            ),
            Report::Placeholder => (
                self.cfg.severity,
                format!("Attribution placeholder [{PLACEHOLDER_WORD}] not replaced"),
                Vec::new(),
                false,
            ),
        };
        let mut f = Finding::new(CODE, sev, self.range(id), msg);
        match report {
            Report::Implied(_, cue, _) => f.related.push(Related {
                doc: None,
                span: cue.span.clone(),
                message: "The implied speaker".into(),
            }),
            Report::Unattributed => {
                if let Some(c) = last.filter(|c| c.who.named()) {
                    f.related.push(Related {
                        doc: None,
                        span: c.span.clone(),
                        message: "The last person quoted".into(),
                    });
                }
            }
            _ => {}
        }
        if !matches!(report, Report::Placeholder) {
            self.add_fixes(id, &mut f, &cands, preferred);
        }
        f
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
        // A placeholder that cannot go to print unnoticed: still reported until replaced.
        if let Some(edit) = self.attribution_edit(id, &format!("[{PLACEHOLDER_WORD}] said")) {
            f.fixes.push(Fix::new("Add attribution", vec![edit]));
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

/// A finding with every offset in it moved by `by` (wrapping: offsets relative to a
/// paragraph may be "negative").
fn moved(mut f: Finding, by: impl Fn(usize) -> usize) -> Finding {
    let mv = |r: &mut Range<usize>| *r = by(r.start)..by(r.end);
    mv(&mut f.span);
    for r in &mut f.related {
        mv(&mut r.span);
    }
    for fix in &mut f.fixes {
        for e in &mut fix.edits {
            mv(&mut e.span);
        }
    }
    f
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

    // --- incremental analysis ----------------------------------------------------------------

    /// The rule's findings with a memo kept across calls (suppressions applied, as `run`).
    fn run_memo(text: &str, format: Format, memo: &mut RuleMemo) -> Vec<Finding> {
        let doc = Document::parse(text, format);
        let mut out = Vec::new();
        R.check_memo(&doc, &Settings::default(), memo, &mut out);
        out.retain(|f| !doc.suppressions.is_suppressed(f.rule, f.span.start));
        out
    }

    fn readings() -> usize {
        para::READINGS.with(|n| n.get())
    }

    const STORY: &str = "# Harbour wall

The council met on Monday to discuss the harbour wall, which the January storms damaged.

“The wall will not survive another winter like the last one,” said Lena Ferreira, the harbour master.

She added that repairs would cost 4.2 million euros. “We have asked for the money twice,” she said.

“Nobody has answered our letters.”

Hong Lei, a spokesman for the ministry, told reporters: “The ministry is reviewing the request.”

The residents were not convinced.

“We have heard that before, many times over the years.”

The mayor said:

“The town will pay if the ministry does not.”

- “Open the shelters to everyone tonight, please.”
- “Keep the children indoors until the water goes down.”

“The first paragraph of a long statement that goes on and on.

“And the second paragraph of it, which ends here,” Hong said.

Hong smiled. “We will be back next season, that much I promise.”

Smoker Neil Timms, who lives by the pier, was angry. “It gets worse every single year.”

The minister, Declan Murphy, was blunt: “There is no money left in this year’s budget.”

He left. “Ask me again in the spring when the new budget is out.”
";

    /// `text` with the first `from` replaced by `to`.
    fn edit(text: &str, from: &str, to: &str) -> String {
        assert!(text.contains(from), "{from:?} not in the text");
        text.replacen(from, to, 1)
    }

    #[test]
    fn memo_results_equal_fresh_results_through_edits() {
        // (what, replace, with): each edit replaces the first occurrence; "" undoes them all.
        let edits: &[(&str, &str, &str)] = &[
            (
                "type a word inside a quote",
                "“The wall will not",
                "“The wall really will not",
            ),
            (
                "add an attribution",
                "our letters.”",
                "our letters,” Ferreira said.",
            ),
            (
                "remove an attribution",
                "one,” said Lena Ferreira, the harbour master.",
                "one.”",
            ),
            (
                "delete a paragraph",
                "The residents were not convinced.\n\n",
                "",
            ),
            (
                "paste a paragraph",
                "“We have heard",
                "Angela Erdmann, a resident, spoke to the council.\n\n“We have heard",
            ),
            (
                "edit the paragraph before a quote",
                "The mayor said:",
                "The mayor spoke.",
            ),
            (
                "a capital that makes a name",
                "met on Monday",
                "met the Smoker family on Monday",
            ),
            ("change who spoke last", "Hong smiled.", "Ferreira smiled."),
            (
                "a new full name before a pronoun",
                "The minister, Declan Murphy,",
                "Tom Hong, the minister,",
            ),
            (
                "paste a copy of a quote paragraph",
                "He left.",
                "“Nobody has answered our letters.”\n\nHe left.",
            ),
            (
                "break a multi-paragraph quote",
                "“And the second",
                "And the second",
            ),
            ("delete the heading", "# Harbour wall\n\n", ""),
            (
                "indent a flagged quotation",
                "\n\n“We have heard",
                "\n\n   “We have heard",
            ),
            ("undo everything", "", ""),
        ];
        for format in [Format::Markdown, Format::Plain] {
            let mut memo = RuleMemo::default();
            let mut text = STORY.to_string();
            let first = run_memo(&text, format, &mut memo);
            assert_eq!(first, run(&R, &text, format, &Settings::default()));
            assert!(first.len() >= 3, "{first:#?}");
            let mut changed = 0;
            let mut before = first;
            for (what, from, to) in edits {
                text = if from.is_empty() {
                    STORY.to_string()
                } else {
                    edit(&text, from, to)
                };
                let inc = run_memo(&text, format, &mut memo);
                let fresh = run(&R, &text, format, &Settings::default());
                assert_eq!(inc, fresh, "{format:?}, after: {what}");
                changed += usize::from(inc != before);
                before = inc;
            }
            // The edits change what is found (the test exercises the memo, not a constant).
            assert!(changed >= 6, "{changed}");
        }
    }

    #[test]
    fn memo_findings_follow_the_line_their_quotation_starts() {
        // Nothing before the quotation names anyone: only the line's indent moves its fix.
        let mut memo = RuleMemo::default();
        for text in [
            "“Nobody has answered our letters in years, not one of them.”\n\nThe end.\n",
            "  “Nobody has answered our letters in years, not one of them.”\n\nThe end.\n",
            "Intro.\n\n “Nobody has answered our letters in years, not one of them.”\n",
            "“Nobody has answered our letters in years, not one of them.”\n\nThe end.\n",
        ] {
            let inc = run_memo(text, Format::Markdown, &mut memo);
            assert_eq!(inc.len(), 1);
            assert_eq!(
                inc,
                run(&R, text, Format::Markdown, &Settings::default()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_edit_reads_only_what_it_touched() {
        // Forty stories, no two paragraphs alike.
        let text: String = (0..40)
            .map(|i| STORY.replace(" the ", &format!(" the {i} ")))
            .collect();
        let mut memo = RuleMemo::default();
        let n0 = readings();
        let first = run_memo(&text, Format::Markdown, &mut memo);
        let fresh_reads = readings() - n0;
        assert!(fresh_reads > 400, "{fresh_reads}");
        // A word typed in a quotation halfway down.
        let at = text.len() / 2 + text[text.len() / 2..].find(" the ").unwrap();
        let edited = format!("{} very{}", &text[..at], &text[at..]);
        let n1 = readings();
        let inc = run_memo(&edited, Format::Markdown, &mut memo);
        let inc_reads = readings() - n1;
        assert_eq!(
            inc,
            run(&R, &edited, Format::Markdown, &Settings::default())
        );
        assert!(inc_reads <= 3, "{inc_reads} paragraphs read again");
        // Back to the first version: everything is still kept.
        let n2 = readings();
        assert_eq!(run_memo(&text, Format::Markdown, &mut memo), first);
        assert!(readings() - n2 <= 3);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
        /// Random edit sequences over quotation-heavy text: the memo's findings are always a
        /// fresh analysis's.
        #[test]
        fn memo_equals_fresh_over_random_edits(
            picks in proptest::collection::vec(0..MEMO_PIECES.len(), 1..16),
            steps in proptest::collection::vec(
                (0u8..4, proptest::prelude::any::<u16>(), 0..MEMO_PIECES.len(), 0..MEMO_WORDS.len(), 1u8..60),
                1..10,
            ),
            markdown in proptest::prelude::any::<bool>(),
        ) {
            let format = if markdown { Format::Markdown } else { Format::Plain };
            let mut text: String = picks.iter().map(|&i| MEMO_PIECES[i]).collect();
            let mut memo = RuleMemo::default();
            proptest::prop_assert_eq!(
                run_memo(&text, format, &mut memo),
                run(&R, &text, format, &Settings::default())
            );
            for (kind, at, piece, word, len) in steps {
                let mut i = text.len() * at as usize / u16::MAX as usize;
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                match kind {
                    0 => text.insert_str(i, MEMO_WORDS[word]),
                    1 => {
                        let mut j = (i + len as usize).min(text.len());
                        while !text.is_char_boundary(j) {
                            j -= 1;
                        }
                        text.replace_range(i..j, "");
                    }
                    2 => {
                        let i = text[..i].rfind('\n').map_or(0, |n| n + 1);
                        text.insert_str(i, MEMO_PIECES[piece]);
                    }
                    _ => {
                        // Cut the paragraph around `i`.
                        let s = text[..i].rfind("\n\n").map_or(0, |n| n + 2);
                        let e = text[i..].find("\n\n").map_or(text.len(), |n| i + n + 2);
                        text.replace_range(s..e.min(text.len()), "");
                    }
                }
                let inc = run_memo(&text, format, &mut memo);
                let fresh = run(&R, &text, format, &Settings::default());
                proptest::prop_assert_eq!(inc, fresh, "{:?}", text);
            }
        }
    }

    const MEMO_PIECES: &[&str] = &[
        "“The river rose faster than anyone expected,” said Okafor.\n\n",
        "“Nobody should assume they are safe yet.”\n\n",
        "The council met twice. Lena Ferreira runs the shelter by the old harbour.\n\n",
        "She smiled. “We will be back next season, that much I promise.”\n\n",
        "Hong Lei, a spokesman, said: “The ministry is reviewing it.”\n\n",
        "Hong said little. “The ministry will answer in the spring, not before.”\n\n",
        "The mayor said:\n\n",
        "- “Open the shelters to everyone tonight, please.”\n- “Keep the children indoors.”\n\n",
        "“The first paragraph of a long statement goes on.\n\n",
        "“And the second paragraph ends here,” he said.\n\n",
        "Smoker Neil Timms was angry. “It gets worse every single year, and we know it.”\n\n",
        "The Smoker family and the Timms family live by the pier.\n\n",
        "In a statement, the ministry called it “a difficult but necessary decision for everyone”.\n\n",
        "# Flood warning for “the lower town”\n\n",
        "> “A block quote that nobody attributes at all,” the sign read.\n\n",
        "Photo: A. Smith.\n\n",
        "<!-- copydesk-disable-next-paragraph unattributed-quote -->\n“Ignored quotation with no speaker here.”\n\n",
        "| a | b |\n|---|---|\n| “cell quote with words” | x |\n\n",
        "He called it ‘fair and final’ and left. ‘We are done here, all of us,’ he said.\n\n",
        "Écoutez « la voix du peuple » disait-il. 東京 “Tokyo is full this week,” she said.\n\n",
    ];

    const MEMO_WORDS: &[&str] = &[
        " word",
        "“",
        "”",
        " said Hong",
        " Ferreira",
        " she said",
        ":",
        "\n\n",
        " Smoker",
        ".",
        "e",
    ];

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

    /// DEV TOOL: the rule alone on a 100k-word manuscript of real paragraphs (as in
    /// `benches/analysis.rs`), fresh and after a one-word edit with its memo (run in release:
    /// `cargo test --release --lib quote -- --ignored --nocapture timing_incremental`;
    /// `QUOTE_REPS=n` sets the repetitions).
    #[test]
    #[ignore]
    fn timing_incremental() {
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
        let mut text = String::new();
        let (mut n, mut i) = (0, 0);
        while n < 100_000 {
            let p = if i % 40 == 39 {
                paras[(i / 2) % paras.len()].clone()
            } else if i % 25 == 7 {
                "“We will keep the plant open for as long as we can,” said Halima Abdullahi, the director.".to_string()
            } else if i % 97 == 50 {
                "Abdulahi said the decision would be reviewed in the spring.".to_string()
            } else {
                paras[i % paras.len()].clone()
            };
            n += p.split_whitespace().count();
            text.push_str(&p);
            text.push_str("\n\n");
            i += 1;
        }
        let reps: u32 = std::env::var("QUOTE_REPS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(50);
        let mid = text.len() / 2;
        let insert = |at: usize| format!("{} word{}", &text[..at], &text[at..]);
        let in_text = insert(text[mid..].find(' ').map_or(mid, |i| mid + i));
        let in_quote = insert(
            text[mid..]
                .find('“')
                .map_or(mid, |i| mid + i + '“'.len_utf8()),
        );
        let s = Settings::default();
        let docs = [&text, &in_text, &in_quote].map(|t| Document::parse(t, Format::Markdown));
        for d in &docs {
            d.paragraph_hash(0);
        }
        let t0 = std::time::Instant::now();
        let fresh_reps = if std::env::var("QUOTE_NO_FRESH").is_ok() {
            0
        } else {
            reps
        };
        for _ in 0..fresh_reps {
            let mut out = Vec::new();
            R.check(&docs[0], &s, &mut out);
            std::hint::black_box(out);
        }
        println!("fresh: {:?}", t0.elapsed() / fresh_reps.max(1));
        let mut out = Vec::new();
        R.check(&docs[0], &s, &mut out);
        println!(
            "{} paragraphs, {} findings",
            docs[0].paragraphs.len(),
            out.len()
        );
        let rss = || {
            std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    let l = s.lines().find(|l| l.starts_with("VmRSS:"))?;
                    l.split_whitespace().nth(1)?.parse::<usize>().ok()
                })
                .unwrap_or(0)
        };
        for (name, k) in [("in text", 1), ("in a quotation", 2)] {
            let mut memo = RuleMemo::default();
            let before = rss();
            R.check_memo(&docs[0], &s, &mut memo, &mut Vec::new());
            println!(
                "memo: about {} KB (RSS growth)",
                rss().saturating_sub(before)
            );
            let t0 = std::time::Instant::now();
            let n0 = readings();
            for r in 0..reps {
                let mut out = Vec::new();
                let d = if r % 2 == 0 { &docs[k] } else { &docs[0] };
                R.check_memo(d, &s, &mut memo, &mut out);
                std::hint::black_box(out);
            }
            println!(
                "one-word edit {name}: {:?} ({} paragraphs read per edit)",
                t0.elapsed() / reps,
                (readings() - n0) as f64 / f64::from(reps)
            );
        }
    }

    /// DEV TOOL: every corpus article edited step by step (typing, deleting, cutting and
    /// copying paragraphs at pseudo-random places): the memo's findings after each edit equal
    /// a fresh analysis (`cargo test --release --lib quote -- --ignored --nocapture
    /// memo_on_the_corpora`; `QUOTE_EDITS=n` edits per article).
    #[test]
    #[ignore]
    fn memo_on_the_corpora() {
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for dir in [
            "/work/shared/corpus/onestopenglish/articles",
            "/work/shared/corpus/wikinews-gum/news",
            "/work/shared/corpus/wikinews-gum/interview",
            "/work/shared/eval/articles",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/quote"),
        ] {
            if let Ok(rd) = std::fs::read_dir(dir) {
                files.extend(rd.flatten().map(|e| e.path()));
            }
        }
        files.sort();
        let edits: usize = std::env::var("QUOTE_EDITS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20);
        let words = [
            " word",
            " said Smith",
            "“",
            "”",
            " He",
            ":",
            "\n\n",
            ".",
            " Ms Lee",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let (mut checked, mut findings) = (0, 0);
        for path in &files {
            let Ok(mut text) = std::fs::read_to_string(path) else {
                continue;
            };
            let format = Format::from_path(path);
            let mut memo = RuleMemo::default();
            for step in 0..=edits {
                if step > 0 {
                    let mut at = next(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    match next(4) {
                        0 => text.insert_str(at, words[next(words.len())]),
                        1 => {
                            let mut end = (at + next(40)).min(text.len());
                            while !text.is_char_boundary(end) {
                                end -= 1;
                            }
                            text.replace_range(at..end, "");
                        }
                        k => {
                            let s = text[..at].rfind("\n\n").map_or(0, |i| i + 2);
                            let e = text[at..].find("\n\n").map_or(text.len(), |i| at + i + 2);
                            let para = text[s..e].to_string();
                            if k == 2 {
                                text.replace_range(s..e, "");
                            } else {
                                let mut to = next(text.len() + 1);
                                while !text.is_char_boundary(to) {
                                    to -= 1;
                                }
                                let to = text[..to].rfind('\n').map_or(0, |i| i + 1);
                                text.insert_str(to, &para);
                            }
                        }
                    }
                }
                let inc = run_memo(&text, format, &mut memo);
                let fresh = run(&R, &text, format, &Settings::default());
                assert_eq!(inc, fresh, "{} after {step} edits", path.display());
                checked += 1;
                findings += fresh.len();
            }
        }
        println!(
            "{} articles, {checked} analyses compared ({findings} findings)",
            files.len()
        );
        assert!(checked > 0);
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
