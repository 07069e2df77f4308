//! `name-spelling`: one person, one spelling — found inside the draft, with no list of names.
//!
//! 1. [`extract`] finds name mentions: runs of capitalised words with particles, titles and
//!    possessives handled, and knows which words open a sentence.
//! 2. Every distinct spelling of a name word (and of a few multi-word forms: `Shangri La`,
//!    `New People's Party`, `Republican party`) becomes a *form* with its occurrences.
//! 3. Forms are compared in buckets (same folded spelling; same consonant skeleton), so the
//!    work stays near-linear: case, accents and separators first, then small name-like edits
//!    ([`similar`]). A pair is kept only if nothing says the two are different people (each
//!    appears with its own, unrelated first name) or different words (Korea/Korean).
//! 4. In each group the canonical spelling is the house style's, else the most frequent, else
//!    the earliest; every other spelling is flagged at each occurrence.
//!
//! [`hover`] reuses the same analysis to show a name's spellings.

mod cache;
pub mod desk;
mod desk_whole;
mod extract;
mod house;
mod multi;
mod pairs;
mod parts;
mod report;
mod reuse;
mod similar;
mod whole;

use cache::{info_match, may_match};
use house::prefer_hits;
use pairs::{key_of, skeleton_keys};
use report::by_parts;
pub use report::{NameHover, Spelling, hover};

use crate::analysis::{
    Document, Edit, Finding, Fix, ParaCache, Related, Rule, RuleMemo, SettingsChange, Severity,
};
use crate::config::Settings;
use extract::Fnv;
use extract::{Extract, Kind, Word};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};
use std::hash::BuildHasherDefault;
use std::sync::Arc;

type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<Fnv>>;
type HashSet<T> = StdHashSet<T, BuildHasherDefault<Fnv>>;
use std::ops::Range;

pub const CODE: &str = "name-spelling";

/// Spellings sharing one blocking key beyond this many are not compared (a key that common
/// says nothing; it also bounds the work on adversarial input).
const MAX_BUCKET: usize = 32;

const NO_FORM: usize = usize::MAX;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct NameSettings {
    pub enabled: bool,
    pub severity: Severity,
    /// Also report spellings that differ by small edits (Hagel/Hagle, Gaddafi/Qaddafi), not
    /// only by case, accents, hyphens or spaces.
    pub fuzzy: bool,
    /// Also compare with the desk's other drafts (the workspace; the files checked together).
    pub cross_document: bool,
    /// Severity of a spelling the desk's other drafts write another way.
    pub cross_document_severity: Severity,
}

impl Default for NameSettings {
    fn default() -> Self {
        NameSettings {
            enabled: true,
            severity: Severity::Warning,
            fuzzy: true,
            cross_document: true,
            cross_document_severity: Severity::Information,
        }
    }
}

pub struct NameSpelling;

/// What the name rule keeps between analyses of one document. Everything in it is a pure
/// function of its key, so an analysis with a memo finds exactly what one without finds.
#[derive(Default)]
struct NameMemo {
    /// Words and mentions of each paragraph, by content.
    paras: ParaCache<Arc<extract::ParaWords>>,
    /// The house-style variants the paragraphs were scanned for.
    variants: Vec<Vec<String>>,
    /// What each spelling is, for comparison.
    forms: FormCache,
    /// How close two spellings are.
    pairs: PairCache,
    /// Ordinary lowercase words (kept from the second analysis on).
    lower: LowerCounts,
    /// The last analysis, reused when the names have not changed.
    last: Option<Last>,
    /// Analyses made with this memo, and how many reused the last one whole.
    runs: u32,
    reused: u32,
    /// Kept between analyses of a document (else it serves one analysis).
    kept: bool,
    /// The latest analysis's name spellings, for the desk ([`desk`]).
    desk_names: Arc<Vec<desk::DraftName>>,
    /// The latest report, moved to the next version when the edit left the names alone.
    report: Option<reuse::Report>,
    /// Reports moved rather than written again.
    moved: u32,
}

/// A spelling's comparison keys: a pure function of the spelling.
#[derive(Debug)]
struct FormInfo {
    /// Identifies the spelling within one memo (for [`PairCache`]).
    id: u64,
    surface: Arc<str>,
    fold: Arc<str>,
    fold_hash: u64,
    /// `fold` transliterated, and its consonant skeleton.
    tl: String,
    skel: Vec<u8>,
    /// Without a leading particle ("al-Assad" → "assad"): fold and transliteration.
    core: Option<(String, String)>,
    /// Hashes of the blocking keys (none for spellings shorter than four letters).
    keys: Vec<u64>,
    /// Letter counts of `tl` and of the core's transliteration (for a quick lower bound of
    /// the edit cost).
    counts: similar::Counts,
    core_counts: Option<similar::Counts>,
    /// [`extract::word_hash`] of the spelling in lowercase.
    lower: u64,
    /// A word many different names share (`South`, `University`).
    generic: bool,
}

/// Buffers [`FormInfo::new`] reuses.
#[derive(Default)]
struct FormScratch {
    fold: String,
    main: Vec<u8>,
    alt: Vec<u8>,
    key: Vec<u8>,
}

/// New spellings of at least this many are analysed on two threads.
const PARALLEL_FORMS: usize = 2048;

/// [`FormInfo`]s by spelling, keeping those the latest analysis used (nothing when
/// `keep` is off: a one-off analysis has no use for them).
#[derive(Default)]
struct FormCache {
    map: HashMap<Arc<str>, (u32, Arc<FormInfo>)>,
    epoch: u32,
    next_id: u64,
    keep: bool,
    scratch: FormScratch,
}

/// How close two spellings are, under the strict allowance (`weak`) and under the generous
/// one that applies when both come with the same partner name (`strong`).
#[derive(Clone, Copy, Debug)]
struct PairMatch {
    weak: Option<similar::EditMatch>,
    strong: Option<similar::EditMatch>,
}

/// [`PairMatch`]es by pair of spellings, keeping those the latest analysis used (nothing
/// when `keep` is off).
#[derive(Default)]
struct PairCache {
    map: HashMap<(u64, u64), (u32, Option<PairMatch>)>,
    epoch: u32,
    keep: bool,
    /// The candidate pairs of the last analysis (as spelling identities), by a hash of the
    /// spellings that took part.
    candidates: Option<(u64, Vec<SpellingPair>)>,
}

/// Two spellings' identities ([`FormInfo::id`]) and whether the strict allowance may do.
type SpellingPair = (u64, u64, bool);

/// What the search for candidate pairs reads of each word form, side by side.
struct Block {
    fold_len: usize,
    /// The fold's length without a leading particle, if it has one.
    core_len: Option<usize>,
    /// First letter of the transliteration.
    tl0: Option<u8>,
    cheap_start: bool,
    /// [`key_of`] the consonant skeleton (equal skeletons, equal keys).
    skel: u64,
    counts: similar::Counts,
    core_counts: Option<similar::Counts>,
}

/// The memo the rule keeps in a document's [`RuleMemo`].
struct KeptMemo(NameMemo);

impl Default for KeptMemo {
    fn default() -> Self {
        KeptMemo(NameMemo::kept())
    }
}

impl NameMemo {
    /// A memo kept between analyses (a default one serves a single analysis).
    fn kept() -> Self {
        NameMemo {
            kept: true,
            ..NameMemo::default()
        }
    }

    /// Forget paragraphs scanned for other house-style variants.
    fn use_variants(&mut self, variants: &[Vec<String>]) {
        if self.variants != variants {
            self.paras = ParaCache::default();
            self.variants = variants.to_vec();
        }
    }
}

impl Rule for NameSpelling {
    fn code(&self) -> &'static str {
        CODE
    }
    fn enabled(&self, s: &Settings) -> bool {
        s.name_spelling.enabled
    }
    fn check(&self, doc: &Document, settings: &Settings, out: &mut Vec<Finding>) {
        let a = NameAnalysis::new(doc, settings);
        out.extend(a.findings(doc, settings));
    }
    fn check_memo(
        &self,
        doc: &Document,
        settings: &Settings,
        memo: &mut RuleMemo,
        out: &mut Vec<Finding>,
    ) {
        let memo = &mut memo.get::<KeptMemo>().0;
        let last = memo.report.take();
        let (a, reused) = NameAnalysis::analyse_reusing(doc, settings, memo);
        let key = (settings.name_spelling.clone(), settings.names.clone());
        let prefer: Vec<Range<usize>> = a.prefer_hits.iter().map(|h| h.span.clone()).collect();
        let marks = reuse::marks(&a.words, &a.mentions);
        let lines = doc.line_number(doc.text.len());
        let moved = last
            .as_ref()
            .filter(|_| reused)
            .and_then(|r| r.moved_to(&key, doc.text, lines, &marks, &prefer));
        let was_moved = moved.is_some();
        let (findings, names) = moved.unwrap_or_else(|| {
            let names = if settings.name_spelling.cross_document {
                a.draft_names(doc, false)
            } else {
                Vec::new()
            };
            (a.findings(doc, settings), Arc::new(names))
        });
        let report = reuse::Report {
            key,
            text: doc.text.to_string(),
            lines,
            marks,
            prefer,
            findings: findings.clone(),
            desk: names.clone(),
        };
        out.extend(findings);
        memo.moved += u32::from(was_moved);
        memo.desk_names = names;
        memo.report = Some(report);
    }
}

/// The name spellings of the document the name rule last analysed with this memo (empty
/// when it did not run), for the desk's cross-document check.
pub fn desk_names(memo: &mut RuleMemo) -> Arc<Vec<desk::DraftName>> {
    memo.get::<KeptMemo>().0.desk_names.clone()
}

/// How two spellings of one name differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Difference {
    Case,
    Accents,
    Separators,
    Possessive,
    Spelling,
    HouseStyle,
}

impl Difference {
    fn phrase(self) -> &'static str {
        match self {
            Difference::Case => "differs only in capitalisation from",
            Difference::Accents => "differs only in accents from",
            Difference::Separators => "differs only in hyphens, spaces or apostrophes from",
            Difference::Possessive => "differs only in a possessive ’s from",
            Difference::Spelling => "looks like a misspelling of",
            Difference::HouseStyle => "is not the house style for",
        }
    }
}

/// Where a form comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// One word (`Hagel`, `Shangri-La`).
    Word,
    /// Two words that may be one (`Shangri La`, `Gholam Reza`).
    Joined,
    /// A multi-word name compared as a whole (`New People's Party`, `Republican party`).
    Phrase,
}

#[derive(Clone, Debug)]
struct Occ {
    /// Index of the (first) word.
    word: usize,
    /// Index of the last word (the span ends where it ends).
    last: usize,
    /// Which paragraph with kept words it is in ([`Word::ord`]).
    ord: u32,
    initial: bool,
}

#[derive(Clone, Debug)]
struct Form {
    surface: Arc<str>,
    fold: Arc<str>,
    level: Level,
    occs: Vec<Occ>,
    /// Used somewhere not at the start of a sentence.
    confirmed: bool,
    /// Unconfirmed and also used as an ordinary lowercase word: not a name.
    ordinary: bool,
}

impl Form {
    /// Where it is first used.
    fn first(&self, words: &[Word]) -> usize {
        self.occs
            .first()
            .map(|o| words[o.word].span.start)
            .unwrap_or(usize::MAX)
    }
}

#[derive(Clone, Copy, Debug)]
struct Edge {
    other: usize,
    diff: Difference,
}

/// A flagged spelling: which form, its canonical form, and how they differ.
#[derive(Clone, Debug)]
struct Flag {
    form: usize,
    canonical: usize,
    diff: Difference,
}

/// A house-style `prefer` hit: a listed variant found in the text.
#[derive(Clone, Debug)]
struct PreferHit {
    span: Range<usize>,
    variant: String,
    preferred: String,
}

/// The whole name analysis of one document (shared by the rule and hover).
struct NameAnalysis {
    words: Vec<Word>,
    mentions: Vec<extract::Mention>,
    mention_of: Vec<Option<usize>>,
    forms: Vec<Form>,
    /// The word form of each word ([`NO_FORM`] for words that are not name words).
    form_of_word: Vec<usize>,
    /// For each form, the canonical form it was assigned to (itself for canonicals).
    root: Vec<usize>,
    flags: Vec<Flag>,
    prefer_hits: Vec<PreferHit>,
    /// Forms listed as preferred spellings by the house style.
    preferred: HashSet<usize>,
    /// For each word form: a word many different names share (`South`, `University`).
    generic: Vec<bool>,
    /// For each word form: confirmed and not an ordinary word, so it can be a partner name.
    partner: Vec<bool>,
}

/// Surface text of a span with whitespace runs collapsed and typographic marks normalised.
fn surface_of(text: &str, span: &Range<usize>) -> String {
    let s = extract::normalise_surface(&text[span.clone()]);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whitespace runs as one space.
fn collapse_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Facts about the people a spelling is used for.
#[derive(Clone, Copy, Debug)]
struct Profile<'a> {
    /// It appears with other name words (first names, other surnames).
    partners: bool,
    /// Used on its own somewhere (`Hagel`, `Mr. Hagel`).
    bare: bool,
    /// The last word of a longer name somewhere (`Chuck Hagel`).
    head: bool,
    /// Word forms it shares a name with (`Macedo` in `Larissa de Macedo Machado`), sorted.
    cooccur: &'a [u32],
    /// The partners that tell one name from another (not `South`, `University`): word forms,
    /// one per folded spelling.
    telling: &'a [u32],
}

/// The [`Profile`] of every word form, computed in one pass over the mentions.
struct Profiles {
    /// `PARTNERS`, `BARE`, `HEAD` bits.
    flags: Vec<u8>,
    /// Per form, its cooccurring forms (`cooccur[cooccur_at[f]..cooccur_at[f + 1]]`), and
    /// its telling partners likewise.
    cooccur: Vec<u32>,
    cooccur_at: Vec<u32>,
    telling: Vec<u32>,
    telling_at: Vec<u32>,
}

const PARTNERS: u8 = 1;
const BARE: u8 = 2;
const HEAD: u8 = 4;

impl Profiles {
    fn get(&self, f: usize) -> Profile<'_> {
        let flags = self.flags[f];
        Profile {
            partners: flags & PARTNERS != 0,
            bare: flags & BARE != 0,
            head: flags & HEAD != 0,
            cooccur: &self.cooccur[self.cooccur_at[f] as usize..self.cooccur_at[f + 1] as usize],
            telling: &self.telling[self.telling_at[f] as usize..self.telling_at[f + 1] as usize],
        }
    }
}

/// Sorted (form, value) pairs as per-form slices of values: (values, offsets).
fn group_by_form(pairs: &[(u32, u32)], forms: usize) -> (Vec<u32>, Vec<u32>) {
    let mut at = vec![0u32; forms + 1];
    for &(f, _) in pairs {
        at[f as usize + 1] += 1;
    }
    for f in 0..forms {
        at[f + 1] += at[f];
    }
    (pairs.iter().map(|&(_, v)| v).collect(), at)
}

/// Documents with at least this many word forms compare them on one thread while finding
/// multi-word forms on another.
const PARALLEL_PASSES: usize = 1024;

/// Forms found by a multi-word pass, to be added after the word forms: each with its edges
/// to word forms, and edges between two of them (by position among them).
#[derive(Default)]
struct Added {
    forms: Vec<Form>,
    to_words: Vec<Vec<(usize, Difference)>>,
    within: Vec<(usize, usize, Difference)>,
}

/// Whether texts are ordinary lowercase words of the document, remembering what was asked
/// (the analysis depends on the answers).
struct Lowercase<'a> {
    ex: &'a Extract,
    /// The memo's counts, when it keeps them (else the words are scanned).
    counts: Option<&'a LowerCounts>,
    asked: Vec<u64>,
    answers: Vec<bool>,
}

type Prehashed<K, V> = StdHashMap<K, V, crate::analysis::normalize::Prehashed>;

/// How often each ordinary lowercase word occurs in the document, kept up to date from the
/// paragraphs that changed.
#[derive(Default)]
struct LowerCounts {
    /// The paragraphs counted, by content key (sorted; a key once per copy of it).
    paras: Vec<(u64, Arc<extract::ParaWords>)>,
    counts: Prehashed<u64, u32>,
}

/// The last analysis of the document, with what it depended on.
struct Last {
    /// [`Extract::sig`] with the settings.
    sig: u64,
    /// What it asked about lowercase words, and the answers.
    asked: Vec<u64>,
    answers: Vec<bool>,
    /// Where each paragraph's kept words began ([`Extract::firsts`]).
    firsts: Vec<usize>,
    analysis: NameAnalysis,
}

/// The house style as the analysis reads it.
struct House<'s> {
    /// Accepted spellings (normalised): they take no part.
    accept: HashSet<String>,
    /// Preferred spellings (normalised): they win their group.
    preferred: HashSet<String>,
    /// Variant spellings to look for (normalised), with the preferred spelling as written.
    variants: Vec<(String, &'s String)>,
}

/// Two word forms that may be spellings of one name: how they differ, and the edit match
/// when they differ in letters.
type Pair = (usize, usize, Difference, Option<similar::EditMatch>);

impl NameAnalysis {
    fn new(doc: &Document, settings: &Settings) -> Self {
        let mut memo = NameMemo::default();
        Self::analyse(doc, settings, &mut memo);
        memo.last.take().expect("just analysed").analysis
    }

    /// The analysis, reusing what `memo` kept from earlier versions of the document (the
    /// result is the same as without it); kept in the memo.
    fn analyse<'m>(doc: &Document, settings: &Settings, memo: &'m mut NameMemo) -> &'m Self {
        Self::analyse_reusing(doc, settings, memo).0
    }

    /// [`Self::analyse`], and whether the last analysis was reused whole.
    fn analyse_reusing<'m>(
        doc: &Document,
        settings: &Settings,
        memo: &'m mut NameMemo,
    ) -> (&'m Self, bool) {
        let house = House::new(settings);
        let variant_words = house.variant_words();
        memo.use_variants(&variant_words);
        memo.paras.begin();
        let mut ex = Extract::build(doc, &variant_words, &mut memo.paras);
        memo.paras.end();
        // Lowercase words are counted, and spellings and pairs of spellings kept, from the
        // second analysis on: a document analysed once (`copydesk check`) has no use for them,
        // and the next analysis needs them only when the names have changed.
        let counting = memo.kept && memo.runs > 0;
        memo.forms.keep = counting;
        memo.pairs.keep = counting;
        if counting {
            memo.lower.update(&ex.paras);
        }
        memo.runs += 1;
        let sig = {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&ex.sig.to_le_bytes());
            h.update(
                format!(
                    "{:?} {:?} {:?}",
                    settings.name_spelling.fuzzy, settings.names.accept, settings.names.prefer
                )
                .as_bytes(),
            );
            h.digest()
        };
        // The same names in the same places, and the same answers about lowercase words: the
        // last analysis stands, at the new offsets.
        let same = counting
            && memo.last.as_ref().is_some_and(|last| {
                last.sig == sig
                    && last
                        .asked
                        .iter()
                        .zip(&last.answers)
                        .all(|(q, a)| memo.lower.contains(*q) == *a)
            });
        // (And every word a spelling was seen at is found again among the new words.)
        let moved = same
            .then(|| {
                let a = &memo.last.as_ref().expect("checked").analysis;
                a.moved_words(&ex.words, &ex.mentions)
            })
            .flatten();
        if let Some(map) = moved {
            memo.reused += 1;
            let last = memo.last.as_mut().expect("checked");
            let a = &mut last.analysis;
            a.words = std::mem::take(&mut ex.words);
            a.mentions = std::mem::take(&mut ex.mentions);
            a.mention_of = std::mem::take(&mut ex.mention_of);
            a.rebase(&map);
            last.firsts = std::mem::take(&mut ex.firsts);
            a.prefer_hits = prefer_hits(&house, &ex, doc);
            return (a, true);
        }
        let a = NameAnalysis {
            words: std::mem::take(&mut ex.words),
            mentions: std::mem::take(&mut ex.mentions),
            mention_of: std::mem::take(&mut ex.mention_of),
            forms: Vec::new(),
            form_of_word: Vec::new(),
            root: Vec::new(),
            flags: Vec::new(),
            prefer_hits: Vec::new(),
            preferred: HashSet::default(),
            generic: Vec::new(),
            partner: Vec::new(),
        };
        let NameMemo {
            forms,
            pairs,
            lower: counts,
            ..
        } = memo;
        let mut lower = Lowercase {
            ex: &ex,
            counts: counting.then_some(&*counts),
            asked: Vec::new(),
            answers: Vec::new(),
        };
        let a = a.compute(doc, settings, &house, &ex, forms, pairs, &mut lower);
        let (asked, answers) = (lower.asked, lower.answers);
        memo.last = Some(Last {
            sig,
            asked,
            answers,
            firsts: std::mem::take(&mut ex.firsts),
            analysis: a,
        });
        (&memo.last.as_ref().expect("just stored").analysis, false)
    }

    /// The analysis proper, of the words and mentions in `self`.
    #[allow(clippy::too_many_arguments)]
    fn compute(
        mut self,
        doc: &Document,
        settings: &Settings,
        house: &House,
        ex: &Extract,
        form_cache: &mut FormCache,
        pair_cache: &mut PairCache,
        lower: &mut Lowercase,
    ) -> Self {
        let a = &mut self;
        let text = doc.text;
        let fuzzy = settings.name_spelling.fuzzy;

        // 1. Word forms.
        form_cache.begin();
        pair_cache.begin();
        let infos = a.word_forms(text, lower, form_cache);
        let fold_id = a.fold_ids(&infos);
        let profiles = a.profiles(&fold_id);
        let blocks: Vec<Block> = infos.iter().map(|i| Block::of(i)).collect();

        // Steps 2–4 (pairs of word forms) and 5 (multi-word forms) read the word forms only:
        // for a big document they run side by side.
        let word_pairs = |pair_cache: &mut PairCache| {
            let a: &NameAnalysis = a;
            // 2. Word forms with the same fold: case, accents, separators.
            let mut pairs = a.fold_pairs(&fold_id);
            // 3. Small edits, bucketed by consonant skeleton (and skeletons with one letter
            //    dropped), so only plausible pairs are measured.
            if fuzzy {
                let candidates = a.cached_candidates(&infos, &blocks, &fold_id, pair_cache);
                a.fuzzy_pairs(
                    &candidates,
                    &infos,
                    &blocks,
                    &fold_id,
                    &profiles,
                    pair_cache,
                    &mut pairs,
                );
            }
            // 4. Keep pairs that may be one person.
            a.keep_pairs(&pairs, &house.accept, &infos, &blocks, &fold_id, &profiles)
        };
        // 5. Multi-word forms.
        let multi_word = |lower: &mut Lowercase| {
            let a: &NameAnalysis = a;
            (
                a.joined_forms(text, &house.accept, fuzzy, lower, &infos),
                a.phrase_forms(text, &house.accept, &infos),
            )
        };
        let (mut edges, (joined, phrase)) =
            if a.forms.len() >= PARALLEL_PASSES && crate::analysis::cache::cores() > 1 {
                std::thread::scope(|s| {
                    let other = s.spawn(|| multi_word(lower));
                    let edges = word_pairs(pair_cache);
                    (
                        edges,
                        other
                            .join()
                            .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    )
                })
            } else {
                (word_pairs(pair_cache), multi_word(lower))
            };
        form_cache.end();
        pair_cache.end();
        a.attach(joined, &mut edges);
        a.attach(phrase, &mut edges);

        // 6. House style.
        for (fi, f) in a.forms.iter().enumerate() {
            if house.preferred.contains(&*f.surface) {
                a.preferred.insert(fi);
            }
        }
        a.prefer_hits = prefer_hits(house, ex, doc);

        // 7. Canonical spellings: rank, then attach each form to the best-ranked canonical
        //    among its neighbours.
        let n = a.forms.len();
        a.root = (0..n).collect();
        let mut order: Vec<usize> = (0..n).filter(|&i| !edges[i].is_empty()).collect();
        order.sort_by_key(|&i| {
            (
                !a.preferred.contains(&i),
                std::cmp::Reverse(a.forms[i].occs.len()),
                a.forms[i].first(&a.words),
            )
        });
        let mut rank = vec![usize::MAX; n];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        for &f in &order {
            let best = edges[f]
                .iter()
                .filter(|e| rank[e.other] < rank[f] && a.root[e.other] == e.other)
                .min_by_key(|e| rank[e.other]);
            if let Some(e) = best {
                a.root[f] = e.other;
                a.flags.push(Flag {
                    form: f,
                    canonical: e.other,
                    diff: e.diff,
                });
            }
        }
        self
    }

    /// One form per distinct spelling of a name word, with its occurrences; returns what
    /// each is for comparison.
    fn word_forms(
        &mut self,
        text: &str,
        lower: &mut Lowercase,
        cache: &mut FormCache,
    ) -> Vec<Arc<FormInfo>> {
        // Spellings in order of first use, with their occurrences.
        let mut surfaces: Vec<Cow<str>> = Vec::new();
        let mut occs: Vec<Vec<Occ>> = Vec::new();
        let mut confirmed: Vec<bool> = Vec::new();
        let mut by_surface: HashMap<Cow<str>, usize> = HashMap::default();
        for (wi, w) in self.words.iter().enumerate() {
            if w.kind != Kind::Name {
                continue;
            }
            let surface = extract::normalise_cow(&text[w.span.clone()]);
            let id = match by_surface.get(surface.as_ref()) {
                Some(&id) => id,
                None => {
                    surfaces.push(surface.clone());
                    occs.push(Vec::new());
                    confirmed.push(false);
                    by_surface.insert(surface, surfaces.len() - 1);
                    surfaces.len() - 1
                }
            };
            confirmed[id] |= !w.initial;
            occs[id].push(Occ {
                word: wi,
                last: wi,
                ord: w.ord,
                initial: w.initial,
            });
        }
        let infos = cache.get_all(&surfaces);
        for ((info, occs), confirmed) in infos.iter().zip(occs).zip(confirmed) {
            self.forms.push(Form {
                fold: info.fold.clone(),
                surface: info.surface.clone(),
                level: Level::Word,
                occs,
                confirmed,
                ordinary: false,
            });
        }
        // A spelling only ever seen opening a sentence that the document also uses as an
        // ordinary lowercase word is that word.
        let unconfirmed: Vec<usize> = (0..self.forms.len())
            .filter(|&i| !self.forms[i].confirmed)
            .collect();
        let queries: Vec<u64> = unconfirmed.iter().map(|&i| infos[i].lower).collect();
        for (&i, ordinary) in unconfirmed.iter().zip(lower.has(&queries)) {
            self.forms[i].ordinary = ordinary;
        }
        self.form_of_word = vec![NO_FORM; self.words.len()];
        for (fi, f) in self.forms.iter().enumerate() {
            for o in &f.occs {
                self.form_of_word[o.word] = fi;
            }
        }
        self.generic = infos.iter().map(|i| i.generic).collect();
        self.partner = self
            .forms
            .iter()
            .map(|f| f.confirmed && !f.ordinary)
            .collect();
        infos
    }

    /// Occurrences moved to the words of a new version of the document with the same names
    /// in the same places: each paragraph's kept words began at `old` and now begin at `new`
    /// (words after the last name of a paragraph may have come or gone).
    /// Where each word a spelling was seen at is among `words` (the next version's, with the
    /// same names: [`extract::Extract::sig`] equal), by its place in its mention or in the two
    /// words that may continue one; `None` when one is not found. (Words may come and go
    /// between mentions, so a word's index is not enough.)
    fn moved_words(&self, words: &[Word], mentions: &[extract::Mention]) -> Option<Vec<usize>> {
        const NONE: usize = usize::MAX;
        const TWO: usize = usize::MAX - 1;
        if mentions.len() != self.mentions.len() {
            return None;
        }
        let mut map = vec![NONE; self.words.len()];
        for (o, n) in self.mentions.iter().zip(mentions) {
            let (o, n) = (o.words.clone(), n.words.clone());
            if o.len() != n.len() {
                return None;
            }
            let (op, np) = (self.words[o.start].para, words[n.start].para);
            for j in 0..o.len() + 2 {
                let (oi, ni) = (o.start + j, n.start + j);
                if oi >= self.words.len()
                    || ni >= words.len()
                    || self.words[oi].para != op
                    || words[ni].para != np
                {
                    break;
                }
                map[oi] = match map[oi] {
                    NONE => ni,
                    m if m == ni => ni,
                    _ => TWO,
                };
            }
        }
        let found = |i: usize| map.get(i).is_some_and(|&m| m < TWO);
        self.forms
            .iter()
            .flat_map(|f| &f.occs)
            .all(|o| found(o.word) && found(o.last))
            .then_some(map)
    }

    /// Move every occurrence to its word's new index ([`Self::moved_words`]).
    fn rebase(&mut self, map: &[usize]) {
        for f in &mut self.forms {
            for o in &mut f.occs {
                o.word = map[o.word];
                o.last = map[o.last];
                o.ord = self.words[o.word].ord;
            }
        }
    }

    /// A form as the document writes it: its commonest written spelling (typographic
    /// apostrophes and hyphens kept), the earliest on a tie.
    fn written(&self, text: &str, f: &Form) -> String {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for o in &f.occs {
            let w = collapse_space(&text[self.span(o)]);
            match seen.iter_mut().find(|(s, _)| *s == w) {
                Some(e) => e.1 += 1,
                None => seen.push((w, 1)),
            }
        }
        let best = seen.iter().map(|e| e.1).max().unwrap_or(0);
        seen.into_iter()
            .find(|e| e.1 == best)
            .map(|e| e.0)
            .unwrap_or_else(|| f.surface.to_string())
    }

    /// The text an occurrence covers.
    fn span(&self, o: &Occ) -> Range<usize> {
        self.words[o.word].span.start..self.words[o.last].span.end
    }
}

/// May a spelling seen only at sentence starts be a variant of a confirmed one, beyond the
/// closest edits? Only when both are long (an ordinary capitalised word rarely is that close to
/// a long name) and the confirmed spelling is used more than once.
fn long_sentence_start(fx: &Form, fy: &Form) -> bool {
    let (start, other) = if fx.confirmed { (fy, fx) } else { (fx, fy) };
    start.fold.len() >= 10 && other.fold.len() >= 10 && other.occs.len() >= 2 && !start.ordinary
}

/// How two spellings with the same fold differ, if in a way worth reporting. A difference
/// only in the case of the first letter is not (`al-Sisi` opening a sentence).
fn fold_equal_difference(a: &str, b: &str) -> Option<Difference> {
    if a == b {
        return None;
    }
    let la = extract::lower(a);
    let lb = extract::lower(b);
    if la == lb {
        let rest = |s: &str| s.chars().skip(1).collect::<String>();
        return (rest(a) != rest(b)).then_some(Difference::Case);
    }
    let strip = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '-' | '\'' | ' '))
            .collect()
    };
    if strip(&la) == strip(&lb) {
        return Some(Difference::Separators);
    }
    // Letters equal once accents go (separators may differ as well).
    Some(Difference::Accents)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_style;
