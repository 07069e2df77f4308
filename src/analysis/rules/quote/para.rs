//! What the rule keeps of one paragraph between analyses of a document (see
//! [`crate::analysis::memo`]), keyed by the paragraph's content hash, with every offset
//! relative to the paragraph's start:
//!
//! - [`Para`]: what depends on the paragraph alone — its quotations, its flags, the full
//!   names a byte scan finds in it, and which of its words it adds to or asks of the
//!   document's capitals;
//! - [`ReadOut`]: one reading of its words (step 2: sentences, cues, local attribution),
//!   recorded with the few document-level facts it depended on — the answers to its capitals
//!   questions, the names it looked up, the last speaker (only when a pronoun needed it) and
//!   whether every sentence was read. A later analysis reuses a reading when those facts
//!   are unchanged, and replays what it did (names remembered, the last speaker and the last
//!   person named afterwards).
//!
//! Everything here is a pure function of its key and the recorded facts, so results are the
//! same as a fresh analysis.

use crate::analysis::lang::gender::{self, Gender, Genders};
use crate::analysis::lang::lexicon::{self, KeySet};
use crate::analysis::lang::marks::{self, RawQuote};
use crate::analysis::lang::speech::{Clauses, Cue, Name, Verbs, Who};
use crate::analysis::lang::tokens::{self, CapitalQuery, Kind, Tokens};
use crate::analysis::{BlockKind, Document};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Key of a lowercase first or last name → the full name last seen with it.
pub(super) type NameMap = HashMap<u64, Name, std::hash::BuildHasherDefault<lexicon::KeyHasher>>;

/// Why a woven quotation's speaker is implied (see [`QuoteRead::unattributed`]).
pub(super) const SUBJECT_OF_SENTENCE: &str = "the subject of its sentence";

/// Readings kept per paragraph (the same text may sit in several places of a document, and
/// be read again late, with other facts around it).
const MAX_READS: usize = 8;

/// The per-paragraph state the rule keeps in its [`crate::analysis::RuleMemo`].
#[derive(Default)]
pub(super) struct QuoteMemo {
    pub paras: crate::analysis::ParaCache<Arc<Para>>,
    /// How many names and capitals the last analysis collected (to size the next one's).
    pub sizes: (usize, usize),
    /// Findings, by everything they are made of (see `Checker::finding`), in their
    /// paragraph's offsets.
    pub findings: crate::analysis::ParaCache<crate::analysis::Finding>,
}

/// One paragraph's content-only facts.
pub(super) struct Para {
    /// Only a comment (`<!-- … -->`).
    pub comment: bool,
    /// A photo caption ("… Image: NASA.").
    pub caption: bool,
    pub ends_colon: bool,
    /// Checked for quotations: a paragraph or list item outside block quotes, not a comment.
    pub checked: bool,
    /// Its top-level quotations (relative offsets; none unless `checked`).
    pub raws: Vec<RawQuote>,
    /// Per quotation: does its own text end a sentence (. ! ? …)?
    pub ends: Vec<bool>,
    /// Full names and sentence-initial words found by a byte scan (see `scan_names`).
    scanned: OnceLock<Vec<Scanned>>,
    /// What its words add to and ask of the document's capitals (once tokenised).
    words: OnceLock<Words>,
    /// What it shows of people's gender (see [`gender::facts`]).
    genders: OnceLock<Vec<(u64, Gender)>>,
    /// Readings of its words, most recently used last.
    reads: Mutex<Vec<Arc<ReadOut>>>,
}

/// A name found by the byte scan of a paragraph that is not read word by word.
pub(super) struct Scanned {
    pub name: Name,
    /// It starts a sentence.
    pub subject: bool,
    /// Keys of its first and last words, for a full name.
    pub keys: Option<[u64; 2]>,
    /// Key of its (lowercase) last word.
    pub short_key: u64,
}

struct Words {
    /// Keys of the words capitalised in mid-sentence.
    capitals: Vec<u64>,
    queries: Vec<CapitalQuery>,
}

impl Para {
    pub fn new(doc: &Document, i: usize) -> Para {
        let p = &doc.paragraphs[i];
        let prose = doc.prose_of(p);
        let t = doc.text[p.span.clone()].trim();
        let comment = t.starts_with("<!--") && t.ends_with("-->");
        let checked =
            matches!(p.kind, BlockKind::Paragraph | BlockKind::ListItem) && !p.quoted && !comment;
        let raws = if checked {
            marks::top_level(prose, 0)
        } else {
            Vec::new()
        };
        let ends = raws.iter().map(|q| ends_sentence(prose, q)).collect();
        Para {
            comment,
            caption: super::is_caption(prose),
            ends_colon: prose.trim_end().ends_with(':'),
            checked,
            raws,
            ends,
            scanned: OnceLock::new(),
            words: OnceLock::new(),
            genders: OnceLock::new(),
            reads: Mutex::new(Vec::new()),
        }
    }

    /// What the paragraph shows of people's gender.
    pub fn genders<'p>(&self, prose: impl FnOnce() -> &'p str) -> &[(u64, Gender)] {
        self.genders.get_or_init(|| gender::facts(prose()))
    }

    /// Where quotation `k` ends: its closing mark, or the end of the paragraph.
    pub fn end(&self, k: usize, prose: &str) -> usize {
        self.raws[k].close.as_ref().map_or(prose.len(), |c| c.end)
    }

    fn tokens<'p>(&self, prose: &'p str) -> Tokens<'p> {
        let spans: Vec<(usize, std::ops::Range<usize>)> = (0..self.raws.len())
            .map(|k| (k, self.raws[k].open.start..self.end(k, prose)))
            .collect();
        Tokens::new(prose, 0..prose.len(), &spans, |k| {
            self.ends.get(k).copied().unwrap_or(true)
        })
    }

    /// The names the byte scan finds (computed once; `prose` is only asked for then, so a
    /// kept paragraph's text is not touched).
    pub fn scanned<'p>(&self, prose: impl FnOnce() -> &'p str) -> &[Scanned] {
        self.scanned.get_or_init(|| scan(prose()))
    }

    /// Read the paragraph's words (`prose`, only asked for when they must be read again):
    /// `capitals` is the document's capitals so far (the paragraph's own are added to it),
    /// `names` its names so far, `start_speaker` the last person who spoke before it. A
    /// reading recorded with the same facts is reused.
    #[allow(clippy::too_many_arguments)]
    pub fn read<'p>(
        &self,
        prose: impl Fn() -> &'p str,
        verbs: &Verbs,
        max_short_words: usize,
        all_cues: bool,
        capitals: &mut KeySet,
        names: &NameMap,
        genders: &Genders,
        start_speaker: &Option<Name>,
        start_named: &Option<Name>,
    ) -> Arc<ReadOut> {
        let mut fresh = None;
        let words = self.words.get_or_init(|| {
            let t = self.tokens(prose());
            let w = Words {
                capitals: t.capital_keys(),
                queries: t.capital_queries(),
            };
            fresh = Some(t);
            w
        });
        capitals.extend(words.capitals.iter().copied());
        let mut reads = self.reads.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = reads.iter().rposition(|r| {
            r.still_holds(
                all_cues,
                &words.queries,
                capitals,
                names,
                start_speaker,
                start_named,
            ) && r.genders_read.iter().all(|(k, g)| genders.get(*k) == *g)
        }) {
            if k + 1 < reads.len() {
                let r = reads.remove(k);
                reads.push(r);
            }
            return Arc::clone(&reads[reads.len() - 1]);
        }
        let answers: Vec<u8> = words.queries.iter().map(|q| q.answer(capitals)).collect();
        #[cfg(test)]
        READINGS.with(|n| n.set(n.get() + 1));
        let prose = prose();
        let tokens = fresh.unwrap_or_else(|| self.tokens(prose));
        let cl = Clauses::new(tokens, &words.queries, &answers);
        let mut reader = Reader {
            names,
            own: NameMap::default(),
            reads: Vec::new(),
            genders,
            genders_read: Vec::new(),
            seen: Vec::new(),
            start_speaker,
            used_start_speaker: false,
            start_named,
            used_start_named: false,
            speaker: Val::Start,
            named: Val::Start,
        };
        let mut out = read_words(
            self,
            prose,
            &cl,
            verbs,
            max_short_words,
            all_cues,
            &mut reader,
        );
        out.all_cues_in = all_cues;
        out.answers = answers;
        out.start_speaker = reader.used_start_speaker.then(|| start_speaker.clone());
        out.start_named = reader.used_start_named.then(|| start_named.clone());
        out.reads = reader.reads;
        out.genders_read = reader.genders_read;
        out.remembered = reader.own.into_iter().collect();
        out.end_speaker = reader.speaker;
        out.end_named = reader.named;
        let out = Arc::new(out);
        if reads.len() >= MAX_READS {
            reads.remove(0);
        }
        reads.push(Arc::clone(&out));
        out
    }
}

#[cfg(test)]
thread_local! {
    /// Readings made (not reused) on this thread, for tests.
    pub(super) static READINGS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Does a quotation's own text end a sentence (. ! ? …)?
fn ends_sentence(prose: &str, q: &RawQuote) -> bool {
    let Some(c) = &q.close else {
        return true;
    };
    let inner = &prose[q.open.end..c.start];
    inner
        .trim_end_matches(|ch: char| ch.is_whitespace() || marks::is_quote_char(ch))
        .ends_with(['.', '!', '?', '…'])
}

/// Full names in a paragraph that is not read word by word, and the names that start a
/// sentence (a known person there is who "he" or "she" means next).
fn scan(prose: &str) -> Vec<Scanned> {
    let mut found: Vec<Scanned> = Vec::new();
    tokens::capitalised_runs(prose, |run, initial| {
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
        let keys = full.contains(' ').then(|| {
            let first = full.split(' ').next().unwrap_or("");
            [lexicon::key_lower(first), lexicon::key_lower(last)]
        });
        found.push(Scanned {
            short_key: lexicon::key_lower(last),
            name: Name::new(full.into(), last.into(), false),
            subject: initial && from == 0,
            keys,
        });
    });
    found
}

/// The last speaker or the last person named during a reading: still the value it started
/// with, or one the reading set.
#[derive(Clone, Debug, Default)]
pub(super) enum Val {
    #[default]
    Start,
    Is(Option<Name>),
}

impl Val {
    pub fn or(&self, start: &Option<Name>) -> Option<Name> {
        match self {
            Val::Start => start.clone(),
            Val::Is(v) => v.clone(),
        }
    }
}

/// One reading of a paragraph's words, with the document-level facts it depended on.
/// Offsets are relative to the paragraph; quotation indices are the paragraph's own.
#[derive(Default)]
pub(super) struct ReadOut {
    // What it depended on.
    all_cues_in: bool,
    answers: Vec<u8>,
    /// The last speaker before the paragraph, when a pronoun needed it.
    start_speaker: Option<Option<Name>>,
    /// The last person named before the paragraph, when a pronoun needed it.
    start_named: Option<Option<Name>>,
    /// Names looked up in the document's names (not ones the reading itself remembered).
    reads: Vec<(u64, Option<Name>)>,
    /// Genders looked up (by name key), with what the document showed.
    genders_read: Vec<(u64, Option<Gender>)>,
    // What it did.
    /// The names it remembered (the final one per key): also new capitals.
    pub remembered: Vec<(u64, Name)>,
    pub end_speaker: Val,
    pub end_named: Val,
    /// Every sentence was read for cues.
    pub all_cues: bool,
    /// The quotation in the last sentence.
    pub ends_with_quote: Option<usize>,
    /// Speakers of the paragraph, in order.
    pub speakers: Vec<Cue>,
    /// Per quotation (`None`: it has no token, nothing is known of it).
    pub quotes: Vec<Option<QuoteRead>>,
}

/// What a reading found about one quotation.
pub(super) struct QuoteRead {
    /// The cue that attributes it within its paragraph.
    pub local: Option<Cue>,
    /// No words of the paragraph come before it.
    pub opens_paragraph: bool,
    /// The last person named before it.
    pub last_named: Val,
    /// For a quotation with no cue next to it: who is nearby, and whether it is not speech
    /// (a term, a title, words cited as words).
    pub unattributed: Option<(Option<(Cue, &'static str)>, bool)>,
    /// For a quotation with no cue next to it: the people the sentence before and its own
    /// sentence (up to it) mention, resolved, in order, each once; with whether the text shows
    /// each is a person (a pronoun, a title, a relative "who", an appositive).
    pub persons: Vec<(Name, bool)>,
}

impl ReadOut {
    /// Was this reading made with the same facts as these?
    fn still_holds(
        &self,
        all_cues: bool,
        queries: &[CapitalQuery],
        capitals: &KeySet,
        names: &NameMap,
        start_speaker: &Option<Name>,
        start_named: &Option<Name>,
    ) -> bool {
        self.all_cues_in == all_cues
            && self.answers.len() == queries.len()
            && queries
                .iter()
                .zip(&self.answers)
                .all(|(q, a)| q.answer(capitals) == *a)
            && self
                .start_speaker
                .as_ref()
                .is_none_or(|s| s == start_speaker)
            && self.start_named.as_ref().is_none_or(|s| s == start_named)
            && self.reads.iter().all(|(k, v)| names.get(k) == v.as_ref())
    }
}

/// Resolves names while a paragraph is read, recording what it looks up and remembers.
struct Reader<'r> {
    names: &'r NameMap,
    /// Names remembered during this reading.
    own: NameMap,
    reads: Vec<(u64, Option<Name>)>,
    genders: &'r Genders,
    genders_read: Vec<(u64, Option<Gender>)>,
    /// People named in this paragraph so far, in order (candidates for "he" and "she").
    seen: Vec<Name>,
    start_speaker: &'r Option<Name>,
    used_start_speaker: bool,
    /// The last person named before the paragraph (for "he said" in a paragraph that names
    /// nobody, after one that introduced them: "Her nephew, Callum Marwick, … / “…,” he said.").
    start_named: &'r Option<Name>,
    used_start_named: bool,
    /// The last person who spoke (for "he said", "she added").
    speaker: Val,
    /// The last person named at all (a candidate for a fix).
    named: Val,
}

impl Reader<'_> {
    fn lookup(&mut self, k: u64) -> Option<Name> {
        if let Some(n) = self.own.get(&k) {
            return Some(n.clone());
        }
        let v = self.names.get(&k).cloned();
        self.reads.push((k, v.clone()));
        v
    }

    fn speaker_value(&mut self, v: &Val) -> Option<Name> {
        if matches!(v, Val::Start) {
            self.used_start_speaker = true;
        }
        v.or(self.start_speaker)
    }

    /// A person mentioned by full name: "Hong" and "Lei" now mean Hong Lei.
    fn remember(&mut self, name: &Name) {
        if name.org {
            return;
        }
        let words: Vec<&str> = name.full.split(' ').collect();
        if words.len() >= 2 {
            for w in [words[0], words[words.len() - 1]] {
                self.own.insert(lexicon::key_lower(w), name.clone());
            }
        }
        self.named = Val::Is(Some(name.clone()));
        if self.seen.len() < 16 && !self.seen.iter().any(|n| same_name(n, name)) {
            self.seen.push(name.clone());
        }
    }

    fn see_person(&mut self, w: &str) {
        let w = crate::analysis::lang::tokens::unpossess(w);
        let k = lexicon::key_lower(w);
        let g = self.genders.get(k);
        self.genders_read.push((k, g));
        if g.is_none() || self.seen.len() >= 16 {
            return;
        }
        let n = self
            .lookup(k)
            .filter(|n| !n.org)
            .map(|full| Name::new(full.full.clone(), w.into(), false))
            .unwrap_or_else(|| Name::new(w.into(), w.into(), false));
        self.seen.retain(|m| !same_name(m, &n));
        self.seen.push(n);
    }

    /// "Hong" → Hong Lei; "she" → the last person who spoke (as of `speaker`, when given, or
    /// now). A named person who speaks becomes the last speaker.
    fn resolve(&mut self, c: &mut Cue, speaker: Option<&Val>) {
        match &c.who {
            Who::Name(n) if !n.org => {
                let mut n = n.clone();
                if !n.full.contains(' ')
                    && let Some(full) = self.lookup(lexicon::key_lower(&n.full))
                {
                    n = Name::new(full.full.clone(), n.short.clone(), n.org);
                }
                self.remember(&n);
                if speaker.is_none() {
                    self.speaker = Val::Is(Some(n.clone()));
                }
                c.who = Who::Name(n);
            }
            Who::Pronoun(p) if &**p == "he" || &**p == "she" => {
                let want = gender::of_pronoun(p);
                let at = speaker.cloned().unwrap_or_else(|| self.speaker.clone());
                let last = self.speaker_value(&at);
                // The last speaker, unless the document shows them to be of the other gender
                // and the person named last in this paragraph is shown to agree ("Silva said
                // … The paper could not reach Anitta. … she described …").
                let mut named = self.seen.iter().rev().cloned().collect::<Vec<_>>();
                if named.is_empty() {
                    self.used_start_named = true;
                    named.extend(self.start_named.iter().cloned());
                }
                let agrees = |r: &mut Self, n: &Name| {
                    let k = lexicon::key_lower(&n.short);
                    let g = r.genders.get(k);
                    r.genders_read.push((k, g));
                    g.map(|g| Some(g) == want)
                };
                // The last speaker unless shown to disagree, or someone named in this
                // paragraph is shown to agree and the last speaker is not; then the one named
                // most recently who agrees. Shown to disagree: never.
                let mut pick: Option<(u8, Name)> = None;
                for n in last.into_iter().chain(named) {
                    if pick.as_ref().is_some_and(|(_, p)| same_name(p, &n)) {
                        continue;
                    }
                    let score = match agrees(self, &n) {
                        Some(true) => 2,
                        None => 1,
                        Some(false) => 0,
                    };
                    if score > 0 && pick.as_ref().is_none_or(|(s, _)| score > *s) {
                        pick = Some((score, n));
                    }
                }
                let pick = pick.map(|(_, n)| n);
                if let Some(n) = pick {
                    c.who = Who::Name(n);
                }
            }
            _ => {}
        }
    }
}

fn same_name(a: &Name, b: &Name) -> bool {
    a.full == b.full || a.short == b.short
}

/// Step 2 on one paragraph: tokens, sentences and cues; local attribution of its quotations;
/// names for later reference.
fn read_words(
    para: &Para,
    prose: &str,
    cl: &Clauses,
    verbs: &Verbs,
    max_short_words: usize,
    all_cues: bool,
    r: &mut Reader,
) -> ReadOut {
    let nq = para.raws.len();
    let n = cl.sents.len();
    let mut out = ReadOut::default();
    // Cues are read where they can attribute a quotation: its sentence and the ones next
    // to it. The rest only when a quotation here is left unattributed, or when a later
    // paragraph needs to know whom this one quotes (`all_cues`).
    // Where each quotation's token is (one pass), and the first word of the paragraph.
    let mut qtok: Vec<Option<usize>> = vec![None; nq];
    for (k, t) in cl.toks.iter().enumerate() {
        if let Kind::Quote(id) = t.kind
            && let Some(slot) = qtok.get_mut(id)
        {
            *slot = Some(k);
        }
    }
    let token_of = |id: usize| qtok.get(id).copied().flatten();
    let speech = |id: usize, t: usize| is_speech(para, prose, id, cl, t, max_short_words);
    let first_word = cl.toks.iter().position(|t| t.kind == Kind::Word);
    let mut wanted = vec![all_cues; n];
    for id in 0..nq {
        if let Some(t) = token_of(id) {
            let s = cl.sentence_of(t);
            let to = (s + 2).min(n);
            wanted[s.saturating_sub(1)..to].fill(true);
        }
    }
    // Cues per sentence, resolved in reading order along with the names mentioned.
    let mut cues: Vec<Vec<Cue>> = Vec::with_capacity(n);
    let mut named_before: Vec<Val> = Vec::with_capacity(n);
    let mut speaker_before: Vec<Val> = Vec::with_capacity(n);
    #[allow(clippy::needless_range_loop)] // `s` indexes several per-sentence tables
    for s in 0..n {
        named_before.push(r.named.clone());
        speaker_before.push(r.speaker.clone());
        for run in cl.name_runs(s) {
            if let Some((Who::Name(name), _)) = cl.make_name(run) {
                r.remember(&name);
            }
        }
        // A one-word name the document shows to be a man or a woman: a candidate for "he"
        // or "she" ("The Guardian could not reach Anitta. … she described …").
        for w in cl.single_names(s) {
            r.see_person(w);
        }
        let mut found = if wanted[s] {
            cl.cues(s, verbs)
        } else {
            Vec::new()
        };
        for c in &mut found {
            r.resolve(c, None);
        }
        cues.push(found);
        // The person a sentence is about is who "he" or "she" means next.
        let sr = cl.sents[s].clone();
        // "The mayor, Luc Moreau, spoke next.": a person named in apposition to the subject
        // (a comma among the first four tokens; otherwise only sentences opening with a name).
        let appositive =
            (sr.start + 1..(sr.start + 4).min(sr.end)).any(|k| cl.toks[k].kind == Kind::Punct(','));
        let subject = if cl.starts_with_name(s) {
            cl.person_in(sr.start, sr.end)
        } else if appositive {
            // ("Obi's predecessor, Martin Ellis, retired": the first one after a comma.)
            cl.persons_in(sr.start, (sr.start + 6).min(sr.end))
                .into_iter()
                .map(|(c, _)| c)
                .find(|c| {
                    cl.toks[sr.start..sr.end]
                        .iter()
                        .position(|t| t.span.start == c.span.start)
                        .is_some_and(|at| {
                            at > 0 && at <= 4 && cl.toks[sr.start + at - 1].kind == Kind::Punct(',')
                        })
                })
        } else {
            None
        };
        if let Some(mut c) = subject {
            r.resolve(&mut c, None);
        }
    }
    let attribution = |cues: &[Vec<Cue>]| -> Vec<Option<Cue>> {
        let best: Vec<Option<&Cue>> = cues.iter().map(|c| Clauses::best_cue(c, false)).collect();
        let strong: Vec<Option<&Cue>> = cues.iter().map(|c| Clauses::best_cue(c, true)).collect();
        let mut attr: Vec<Option<Cue>> = (0..n)
            .map(|s| {
                // A tag after a quotation that ends with ? or !: “…ever?” Lopez snapped.
                let tag = (s + 1 < n && cl.only_quotes(s) && cl.sents[s + 1].len() <= 8)
                    .then(|| best.get(s + 1).copied().flatten())
                    .flatten();
                best[s]
                    .or(tag)
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
    let unattributed = (0..nq)
        .any(|id| token_of(id).is_some_and(|t| attr[cl.sentence_of(t)].is_none() && speech(id, t)));
    let all_cues = all_cues || unattributed;
    if all_cues {
        for (s, found) in cues.iter_mut().enumerate() {
            if !wanted[s] {
                *found = cl.cues(s, verbs);
                for c in found.iter_mut() {
                    r.resolve(c, Some(&speaker_before[s]));
                }
            }
        }
    }
    out.all_cues = all_cues;
    let strong: Vec<Option<&Cue>> = cues.iter().map(|c| Clauses::best_cue(c, true)).collect();
    // The nearest named speaker before each sentence.
    let mut named_speaker_before: Vec<Option<&Cue>> = Vec::with_capacity(n);
    let mut last: Option<&Cue> = None;
    for c in &strong {
        named_speaker_before.push(last);
        if let Some(c) = c.filter(|c| c.who.named()) {
            last = Some(c);
        }
    }
    for id in 0..nq {
        let Some(t) = token_of(id) else {
            out.quotes.push(None);
            continue;
        };
        let s = cl.sentence_of(t);
        let mut q = QuoteRead {
            local: attr[s].clone(),
            opens_paragraph: first_word.is_none_or(|w| w > t),
            last_named: named_before[s].clone(),
            unattributed: None,
            persons: Vec::new(),
        };
        if attr[s].is_some() {
            // What follows only matters for an unattributed quotation.
            out.quotes.push(Some(q));
            continue;
        }
        let q_not_speech = !speech(id, t);
        let earlier = named_speaker_before[s]
            .cloned()
            .map(|c| (c, "speaking earlier in this paragraph"));
        // A partial quotation inside a sentence about someone: "Middup was encouraged …
        // and “…”".
        let subject = if cl.sents[s].start < t {
            cl.clause_subject(cl.sents[s].start, t).map(|mut c| {
                r.resolve(&mut c, Some(&speaker_before[s]));
                (c, SUBJECT_OF_SENTENCE)
            })
        } else {
            None
        };
        let beat = if s > 0 {
            let sr = cl.sents[s - 1].clone();
            cl.person_in(sr.start, sr.end)
                .or_else(|| {
                    // "The mayor disagreed with her plan.": people named by a noun phrase.
                    cl.clause_subject(sr.start, sr.end).and_then(|c| {
                        let who = c.who.people_phrase()?;
                        Some(Cue::new(who, c.span))
                    })
                })
                .map(|mut c| {
                    r.resolve(&mut c, Some(&speaker_before[s - 1]));
                    (c, "the subject of the sentence before")
                })
        } else {
            None
        };
        // The subject of the sentence just before beats a speaker further back, unless it
        // is a pronoun: "Novak said … The mayor disagreed with her plan. “…”" is the mayor.
        let beat_first = beat
            .as_ref()
            .is_some_and(|(c, _)| !matches!(c.who, Who::Pronoun(_)));
        // "…, his reply was one of the most revealing he has given.": a speech act.
        let act = (s > 0)
            .then(|| {
                let sr = cl.sents[s - 1].clone();
                cl.possessive_speech_act(sr.start, sr.end).map(|mut c| {
                    r.resolve(&mut c, Some(&speaker_before[s - 1]));
                    (c, "a speech act in the sentence before")
                })
            })
            .flatten();
        let has_act = act.is_some();
        let near = if has_act {
            subject.or(act)
        } else if beat_first {
            subject.or(beat).or(earlier)
        } else {
            subject.or(earlier).or(beat)
        };
        q.unattributed = Some((near, q_not_speech));
        // Who else a reader could take for the speaker.
        let named = r.named.clone();
        let from = if s > 0 {
            cl.sents[s - 1].start
        } else {
            cl.sents[s].start
        };
        let mentioned = if has_act {
            Vec::new()
        } else {
            cl.persons_in(from, t)
        };
        for (mut c, evident) in mentioned {
            if matches!(c.who, Who::Pronoun(_))
                && let Some((prev, _)) = q.persons.last()
            {
                // "…proved Morris had hit the spot, he returned": the person just named.
                c.who = Who::Name(prev.clone());
            }
            let at = if c.span.start < cl.toks[cl.sents[s].start].span.start {
                s - 1
            } else {
                s
            };
            r.resolve(&mut c, Some(&speaker_before[at]));
            if let Who::Name(n) = c.who {
                match q
                    .persons
                    .iter_mut()
                    .find(|(m, _)| super::same_mention(m, &n))
                {
                    Some((_, e)) => *e |= evident,
                    None => q.persons.push((n, evident)),
                }
            }
        }
        r.named = named;
        out.quotes.push(Some(q));
    }
    // The quotation in the paragraph's last sentence, if any: a quotation in the next
    // paragraph may continue it.
    if let Some(last) = cl.sents.last() {
        out.ends_with_quote = cl.toks[last.clone()]
            .iter()
            .rev()
            .find_map(|t| match t.kind {
                Kind::Quote(id) => Some(id),
                _ => None,
            });
    }
    out.speakers = cues
        .into_iter()
        .flatten()
        .filter(|c| !c.incidental)
        .collect();
    out
}

/// Is quotation `id` direct speech rather than a term, a title or words cited as words?
fn is_speech(
    para: &Para,
    prose: &str,
    id: usize,
    cl: &Clauses,
    tok: usize,
    max_short_words: usize,
) -> bool {
    let raw = &para.raws[id];
    let inner_end = raw.close.as_ref().map_or(para.end(id, prose), |c| c.start);
    let inner = &prose[raw.open.end..inner_end];
    let words: Vec<&str> = inner
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    if words.len() <= max_short_words && raw.close.is_some() {
        return false;
    }
    if raw.close.is_some() && super::is_title(&words, inner) {
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
                "speak" | "speaks" | "spoke" | "speaking" | "talk" | "talks" | "talked" | "talking"
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
    if raw.close.is_some()
        && starts_lower
        && words.len() <= 6
        && !inner.contains(['.', '!', '?'])
        && before.first().is_some_and(|w| {
            matches!(
                &**w,
                "a" | "an"
                    | "the"
                    | "this"
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
    // A credit line's title: … Anonymous blogger, "Anon declares war on …" (ends the
    // paragraph after a comma, no sentence of its own).
    if let Some(close) = &raw.close
        && prose[..raw.open.start].trim_end().ends_with(',')
        && prose[close.end.min(prose.len())..]
            .trim()
            .chars()
            .all(|c| !c.is_alphanumeric())
        && !inner.contains(['.', '!', '?'])
    {
        return false;
    }
    // “Have you ever …?” was one question: a quotation used as a noun.
    if raw.close.is_some()
        && !inner.trim_end().ends_with(',')
        && cl
            .lower(tok + 1)
            .is_some_and(|w| matches!(w, "was" | "is" | "were" | "are" | "became" | "remains"))
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
