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

pub mod desk;
mod extract;
mod parts;
mod similar;
mod whole;

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

impl FormInfo {
    fn new(surface: &str, id: u64, scratch: &mut FormScratch) -> Self {
        let fold_buf = &mut scratch.fold;
        fold_buf.clear();
        similar::fold_into(surface, fold_buf);
        let fold: &str = fold_buf;
        let tl = similar::translit(fold);
        let skel = similar::skeleton(&tl);
        let core = extract::strip_particle(surface).map(|c| {
            let cf = similar::fold(c);
            let ct = similar::translit(&cf);
            (cf, ct)
        });
        let mut keys = Vec::new();
        if fold.len() >= 4 {
            let (main, alt, k) = (&mut scratch.main, &mut scratch.alt, &mut scratch.key);
            similar::skeleton_alt_into(&tl, alt);
            skeleton_keys(&skel, alt, fold.len(), k, &mut keys);
            if let Some((cf, ct)) = &core {
                similar::skeleton_into(ct, main);
                similar::skeleton_alt_into(ct, alt);
                skeleton_keys(main, alt, cf.len(), k, &mut keys);
            }
            keys.sort_unstable();
            keys.dedup();
        }
        FormInfo {
            id,
            surface: surface.into(),
            fold_hash: xxhash_rust::xxh3::xxh3_64(fold.as_bytes()),
            counts: similar::Counts::of(&tl),
            core_counts: core.as_ref().map(|(_, ct)| similar::Counts::of(ct)),
            lower: extract::lower_hash(surface),
            generic: extract::is_generic(fold),
            fold: fold.into(),
            tl,
            skel,
            core,
            keys,
        }
    }
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

impl FormCache {
    fn begin(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }

    /// The [`FormInfo`] of each spelling (many new ones are computed on two threads).
    fn get_all<S: AsRef<str> + Sync>(&mut self, surfaces: &[S]) -> Vec<Arc<FormInfo>> {
        let epoch = self.epoch;
        let mut out: Vec<Option<Arc<FormInfo>>> = surfaces
            .iter()
            .map(|s| {
                self.map.get_mut(s.as_ref()).map(|e| {
                    e.0 = epoch;
                    e.1.clone()
                })
            })
            .collect();
        let missing: Vec<usize> = (0..out.len()).filter(|&i| out[i].is_none()).collect();
        // Identities in order of the spellings, however they are computed.
        let first_id = self.next_id;
        self.next_id += missing.len() as u64;
        let make = |part: &[usize], base: usize, scratch: &mut FormScratch| -> Vec<Arc<FormInfo>> {
            part.iter()
                .enumerate()
                .map(|(k, &i)| {
                    let id = first_id + (base + k) as u64;
                    Arc::new(FormInfo::new(surfaces[i].as_ref(), id, scratch))
                })
                .collect()
        };
        let made: Vec<Arc<FormInfo>> = if missing.len() >= PARALLEL_FORMS
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
        {
            let (a, b) = missing.split_at(missing.len() / 2);
            std::thread::scope(|s| {
                let other = s.spawn(|| make(b, a.len(), &mut FormScratch::default()));
                let mut made = make(a, 0, &mut self.scratch);
                made.extend(
                    other
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                );
                made
            })
        } else {
            make(&missing, 0, &mut self.scratch)
        };
        for (&i, info) in missing.iter().zip(made) {
            if self.keep {
                self.map.insert(info.surface.clone(), (epoch, info.clone()));
            }
            out[i] = Some(info);
        }
        out.into_iter().flatten().collect()
    }

    fn end(&mut self) {
        let epoch = self.epoch;
        self.map.retain(|_, e| e.0 == epoch);
    }
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

impl PairCache {
    fn begin(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }

    /// The match of two word forms, if they may be one name at all.
    fn get(&mut self, fx: &Form, fy: &Form, ix: &FormInfo, iy: &FormInfo) -> Option<PairMatch> {
        if !self.keep {
            return pair_match(fx, fy, ix, iy);
        }
        let epoch = self.epoch;
        let e = self
            .map
            .entry((ix.id, iy.id))
            .or_insert_with(|| (epoch, pair_match(fx, fy, ix, iy)));
        e.0 = epoch;
        e.1
    }

    fn end(&mut self) {
        let epoch = self.epoch;
        self.map.retain(|_, e| e.0 == epoch);
    }
}

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

impl Block {
    fn of(i: &FormInfo) -> Self {
        Block {
            fold_len: i.fold.len(),
            core_len: i.core.as_ref().map(|(cf, _)| cf.len()),
            tl0: i.tl.as_bytes().first().copied(),
            cheap_start: similar::cheap_start(&i.tl),
            skel: key_of(&i.skel),
            counts: i.counts.clone(),
            core_counts: i.core_counts.clone(),
        }
    }

    /// [`similar::plausible_start`] of the two transliterations.
    fn plausible_start(&self, other: &Block) -> bool {
        match (self.tl0, other.tl0) {
            (Some(a), Some(b)) => {
                self.cheap_start || other.cheap_start || similar::start_alike(a, b)
            }
            _ => false,
        }
    }
}

/// A quick test of what [`pair_match`] may find: `None` when no comparison it makes passes
/// the letter-count bound of the generous allowance, else whether one passes the strict
/// allowance's.
fn may_match(bx: &Block, by: &Block) -> Option<bool> {
    // 0: strict, 1: generous.
    let ok = |la: usize, lb: usize, ca: &similar::Counts, cb: &similar::Counts| {
        let bound = ca.bound(cb);
        let len = la.min(lb);
        [false, true].map(|strong| {
            let limit = similar::allowance(len, strong);
            limit >= 0.0 && bound <= limit + 1e-3
        })
    };
    let or = |a: [bool; 2], b: [bool; 2]| [a[0] || b[0], a[1] || b[1]];
    let whole = ok(bx.fold_len, by.fold_len, &bx.counts, &by.counts);
    let r = match (bx.core_len, by.core_len, &bx.core_counts, &by.core_counts) {
        (Some(cx), None, Some(c), _) => or(whole, ok(cx, by.fold_len, c, &by.counts)),
        (None, Some(cy), _, Some(c)) => or(whole, ok(bx.fold_len, cy, &bx.counts, c)),
        _ => whole,
    };
    r[1].then_some(r[0])
}

/// How close two word forms' spellings are; `None` when they are not one name however
/// strong the evidence (or when one is the other with a leading particle: a legitimate
/// form, not a variant).
fn pair_match(fx: &Form, fy: &Form, ix: &FormInfo, iy: &FormInfo) -> Option<PairMatch> {
    debug_assert!(fx.surface == ix.surface && fy.surface == iy.surface);
    info_match(ix, iy)
}

/// [`pair_match`] of two spellings' comparison keys.
fn info_match(ix: &FormInfo, iy: &FormInfo) -> Option<PairMatch> {
    // "al-Assad" / "Assad" is one legitimate form of the other; only the rest of the name is
    // compared. Two particles are compared as spelled (al-Sisi / el-Sisi).
    match (&ix.core, &iy.core) {
        (Some((cx, _)), None) if **cx == *iy.fold => return None,
        (None, Some((cy, _))) if **cy == *ix.fold => return None,
        _ => {}
    }
    let both = |fa: &str, fb: &str, ta: &str, tb: &str| similar::edit_match_both(fa, fb, ta, tb);
    let whole = both(&ix.fold, &iy.fold, &ix.tl, &iy.tl);
    let core = match (&ix.core, &iy.core) {
        (Some((cx, tx)), None) => Some(both(cx, &iy.fold, tx, &iy.tl)),
        (None, Some((cy, ty))) => Some(both(&ix.fold, cy, &ix.tl, ty)),
        _ => None,
    };
    let best = |a: Option<similar::EditMatch>, b: Option<similar::EditMatch>| match (a, b) {
        (Some(a), Some(b)) => Some(if a.cost <= b.cost { a } else { b }),
        (a, b) => a.or(b),
    };
    let measure = |k: usize| {
        let m = match core {
            Some(c) => best(c[k], whole[k]),
            None => whole[k],
        };
        if ix.core.is_none() && iy.core.is_none() {
            m.and_then(|m| by_parts(&ix.surface, &iy.surface, m))
        } else {
            m
        }
    };
    // Whatever the strict allowance accepts, the generous one does.
    let strong = measure(1)?;
    Some(PairMatch {
        weak: measure(0),
        strong: Some(strong),
    })
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
        let memo = memo.get::<KeptMemo>();
        let a = NameAnalysis::analyse(doc, settings, &mut memo.0);
        out.extend(a.findings(doc, settings));
        let names = if settings.name_spelling.cross_document {
            a.draft_names(doc, false)
        } else {
            Vec::new()
        };
        memo.0.desk_names = Arc::new(names);
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

/// The house style's variants found in the text, in order.
fn prefer_hits(house: &House, ex: &Extract, doc: &Document) -> Vec<PreferHit> {
    let mut hits: Vec<PreferHit> = ex
        .prefer_hits(doc)
        .into_iter()
        .map(|(span, v)| PreferHit {
            span,
            variant: house.variants[v].0.clone(),
            preferred: house.variants[v].1.clone(),
        })
        .collect();
    hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
    hits
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

impl Lowercase<'_> {
    /// For each [`extract::word_hash`] of a lowercase text: is it an ordinary word here?
    fn has(&mut self, queries: &[u64]) -> Vec<bool> {
        let answers = match self.counts {
            Some(c) => queries.iter().map(|&q| c.contains(q)).collect(),
            None => self.ex.lowercase_has(queries),
        };
        self.asked.extend_from_slice(queries);
        self.answers.extend_from_slice(&answers);
        answers
    }
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

impl LowerCounts {
    fn update(&mut self, paras: &[(usize, u64, Arc<extract::ParaWords>)]) {
        let mut now: Vec<(u64, Arc<extract::ParaWords>)> =
            paras.iter().map(|(_, k, pw)| (*k, pw.clone())).collect();
        now.sort_unstable_by_key(|p| p.0);
        // The difference, by merging the two sorted lists.
        let (old, mut i, mut j) = (&self.paras, 0, 0);
        let mut changes: Vec<(&extract::ParaWords, bool)> = Vec::new();
        while i < old.len() || j < now.len() {
            match (old.get(i), now.get(j)) {
                (Some(a), Some(b)) if a.0 == b.0 => {
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.0 < b.0 => {
                    changes.push((&a.1, false));
                    i += 1;
                }
                (Some(a), None) => {
                    changes.push((&a.1, false));
                    i += 1;
                }
                (_, Some(b)) => {
                    changes.push((&b.1, true));
                    j += 1;
                }
                (None, None) => break,
            }
        }
        for (pw, added) in changes {
            for h in pw.lower.iter() {
                let c = self.counts.entry(*h).or_insert(0);
                if added {
                    *c += 1;
                } else {
                    *c -= 1;
                    if *c == 0 {
                        self.counts.remove(h);
                    }
                }
            }
        }
        self.paras = now;
    }

    fn contains(&self, h: u64) -> bool {
        self.counts.contains_key(&h)
    }
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

impl<'s> House<'s> {
    fn new(settings: &'s Settings) -> Self {
        let norm = |s: &str| surface_of(s, &(0..s.len()));
        let accept: HashSet<String> = settings.names.accept.iter().map(|s| norm(s)).collect();
        let preferred = settings.names.prefer.values().map(|s| norm(s)).collect();
        let mut variants = Vec::new();
        for (variant, preferred) in &settings.names.prefer {
            let v = norm(variant);
            if v.is_empty() || accept.contains(&v) || v == norm(preferred) {
                continue;
            }
            variants.push((v, preferred));
        }
        House {
            accept,
            preferred,
            variants,
        }
    }

    /// The variants as the words to look for.
    fn variant_words(&self) -> Vec<Vec<String>> {
        self.variants
            .iter()
            .map(|(v, _)| v.split(' ').map(String::from).collect())
            .collect()
    }
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
        if same {
            memo.reused += 1;
            let last = memo.last.as_mut().expect("checked");
            let a = &mut last.analysis;
            a.words = std::mem::take(&mut ex.words);
            a.mentions = std::mem::take(&mut ex.mentions);
            a.mention_of = std::mem::take(&mut ex.mention_of);
            a.rebase(&last.firsts, &ex.firsts);
            last.firsts = std::mem::take(&mut ex.firsts);
            a.prefer_hits = prefer_hits(&house, &ex, doc);
            return a;
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
        &memo.last.as_ref().expect("just stored").analysis
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
        let (mut edges, (joined, phrase)) = if a.forms.len() >= PARALLEL_PASSES
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
        {
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

    /// For each word form, a number shared by exactly the forms with the same fold.
    fn fold_ids(&self, infos: &[Arc<FormInfo>]) -> Vec<u32> {
        let mut order: Vec<(u64, u32)> = infos
            .iter()
            .enumerate()
            .map(|(i, info)| (info.fold_hash, i as u32))
            .collect();
        order.sort_unstable();
        let mut id = vec![0u32; infos.len()];
        let mut next = 0u32;
        for group in order.chunk_by(|a, b| a.0 == b.0) {
            // (Different folds with one hash are told apart.)
            let mut seen: Vec<(&str, u32)> = Vec::new();
            for &(_, f) in group {
                let fold = &*self.forms[f as usize].fold;
                id[f as usize] = match seen.iter().find(|(s, _)| *s == fold) {
                    Some(&(_, i)) => i,
                    None => {
                        seen.push((fold, next));
                        next += 1;
                        next - 1
                    }
                };
            }
        }
        id
    }

    /// Word forms with the same fold: they differ in case, accents or separators.
    fn fold_pairs(&self, fold_id: &[u32]) -> Vec<Pair> {
        let mut by_fold: Vec<usize> = (0..self.forms.len())
            .filter(|&i| !self.forms[i].ordinary && !self.forms[i].fold.is_empty())
            .collect();
        by_fold.sort_by_key(|&i| (fold_id[i], i));
        let mut pairs = Vec::new();
        for group in by_fold.chunk_by(|&x, &y| fold_id[x] == fold_id[y]) {
            for (i, &x) in group.iter().enumerate() {
                for &y in &group[i + 1..] {
                    if let Some(d) =
                        fold_equal_difference(&self.forms[x].surface, &self.forms[y].surface)
                    {
                        pairs.push((x, y, d, None));
                    }
                }
            }
        }
        pairs
    }

    /// [`NameAnalysis::fuzzy_candidates`], reused when the spellings taking part are those of
    /// the last analysis (they depend on nothing else).
    fn cached_candidates(
        &self,
        infos: &[Arc<FormInfo>],
        blocks: &[Block],
        fold_id: &[u32],
        cache: &mut PairCache,
    ) -> Vec<(u32, u32, bool)> {
        if !cache.keep {
            return self.fuzzy_candidates(infos, blocks, fold_id);
        }
        let taking_part: Vec<usize> = (0..infos.len())
            .filter(|&f| !self.forms[f].ordinary && self.forms[f].fold.len() >= 4)
            .collect();
        let mut ids: Vec<u64> = taking_part.iter().map(|&f| infos[f].id).collect();
        ids.sort_unstable();
        let key = {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            for id in &ids {
                h.update(&id.to_le_bytes());
            }
            h.digest()
        };
        if let Some((k, cands)) = &cache.candidates
            && *k == key
        {
            let form_of: Prehashed<u64, u32> = taking_part
                .iter()
                .map(|&f| (infos[f].id, f as u32))
                .collect();
            let mut out: Vec<(u32, u32, bool)> = cands
                .iter()
                .map(|(a, b, strict)| {
                    let (x, y) = (form_of[a], form_of[b]);
                    (x.min(y), x.max(y), *strict)
                })
                .collect();
            out.sort_unstable();
            return out;
        }
        let out = self.fuzzy_candidates(infos, blocks, fold_id);
        cache.candidates = Some((
            key,
            out.iter()
                .map(|&(x, y, strict)| (infos[x as usize].id, infos[y as usize].id, strict))
                .collect(),
        ));
        out
    }

    /// Pairs of word forms that share a blocking key and may be measured: (x, y), x < y,
    /// sorted.
    fn fuzzy_candidates(
        &self,
        infos: &[Arc<FormInfo>],
        blocks: &[Block],
        fold_id: &[u32],
    ) -> Vec<(u32, u32, bool)> {
        let mut keyed: Vec<u128> = Vec::new();
        for (fi, f) in self.forms.iter().enumerate() {
            if f.ordinary || f.fold.len() < 4 {
                continue;
            }
            keyed.extend(
                infos[fi]
                    .keys
                    .iter()
                    .map(|&k| (k as u128) << 32 | fi as u128),
            );
        }
        keyed.sort_unstable();
        // (x, y, whether the strict allowance may do), packed.
        let mut candidates: Vec<u64> = Vec::new();
        for bucket in keyed.chunk_by(|p, q| p >> 32 == q >> 32) {
            if bucket.len() < 2 || bucket.len() > MAX_BUCKET {
                continue;
            }
            for (i, &p) in bucket.iter().enumerate() {
                let x = p as u32 as usize;
                let bx = &blocks[x];
                for &q in &bucket[i + 1..] {
                    let y = q as u32 as usize;
                    let by = &blocks[y];
                    if x != y
                        && bx.fold_len.abs_diff(by.fold_len) <= 3
                        && fold_id[x] != fold_id[y]
                        && (bx.core_len.is_some()
                            || by.core_len.is_some()
                            || bx.plausible_start(by))
                        // Letter counts rule most pairs out.
                        && let Some(strict) = may_match(bx, by)
                    {
                        candidates.push(
                            (x.min(y) as u64) << 33 | (x.max(y) as u64) << 1 | u64::from(strict),
                        );
                    }
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .map(|c| ((c >> 33) as u32, (c >> 1) as u32, c & 1 == 1))
            .collect()
    }

    /// The candidates that are spellings of one name by a small edit.
    #[allow(clippy::too_many_arguments)]
    fn fuzzy_pairs(
        &self,
        candidates: &[(u32, u32, bool)],
        infos: &[Arc<FormInfo>],
        blocks: &[Block],
        fold_id: &[u32],
        profiles: &Profiles,
        cache: &mut PairCache,
        pairs: &mut Vec<Pair>,
    ) {
        for &(x, y, strict_possible) in candidates {
            let (x, y) = (x as usize, y as usize);
            // Who each spelling is used for decides how far apart they may be.
            let (px, py) = (profiles.get(x), profiles.get(y));
            if px.cooccur.binary_search(&(y as u32)).is_ok()
                || py.cooccur.binary_search(&(x as u32)).is_ok()
            {
                continue;
            }
            // Only a shared partner name (which needs partners) allows more.
            if !strict_possible && (px.telling.is_empty() || py.telling.is_empty()) {
                continue;
            }
            let evidence = compatible(&px, &py, infos, blocks, fold_id);
            if evidence == Evidence::Different
                || (!strict_possible && evidence != Evidence::SamePartner)
            {
                continue;
            }
            // How close the two spellings are is a matter of the spellings alone
            // (remembered between analyses).
            let (fx, fy) = (&self.forms[x], &self.forms[y]);
            // Gorbachev / Gorbacheva: a husband's and a wife's surname, two people.
            if similar::gendered_pair(&fx.fold, &fy.fold) {
                continue;
            }
            let Some(pm) = cache.get(fx, fy, &infos[x], &infos[y]) else {
                continue;
            };
            let strong = evidence == Evidence::SamePartner;
            let m = if strong { pm.strong } else { pm.weak };
            let Some(m) = m.filter(|m| m.within(strong)) else {
                continue;
            };
            // Both well established: only the smallest edits.
            if fx.occs.len() >= 2 && fy.occs.len() >= 2 && m.cost > 0.6 {
                continue;
            }
            // A word seen only at sentence starts must match a confirmed name closely, unless
            // it is a long name the document uses more than once the other way
            // (Tikhanovskaya opening a sentence beside Tsikhanouskaya).
            if (!fx.confirmed || !fy.confirmed)
                && (!(fx.confirmed || fy.confirmed) || m.cost > 0.6 && !long_sentence_start(fx, fy))
            {
                continue;
            }
            pairs.push((x, y, Difference::Spelling, Some(m)));
        }
    }

    /// The edges between word forms: the pairs that may be one person.
    fn keep_pairs(
        &self,
        pairs: &[Pair],
        accept: &HashSet<String>,
        infos: &[Arc<FormInfo>],
        blocks: &[Block],
        fold_id: &[u32],
        profiles: &Profiles,
    ) -> Vec<Vec<Edge>> {
        let mut edges: Vec<Vec<Edge>> = vec![Vec::new(); self.forms.len()];
        for &(x, y, d, m) in pairs {
            if accept.contains(&*self.forms[x].surface) || accept.contains(&*self.forms[y].surface)
            {
                continue;
            }
            let (px, py) = (profiles.get(x), profiles.get(y));
            // Two parts of one name are two words, not two spellings.
            let together = px.cooccur.binary_search(&(y as u32)).is_ok()
                || py.cooccur.binary_search(&(x as u32)).is_ok();
            if together {
                continue;
            }
            let evidence = compatible(&px, &py, infos, blocks, fold_id);
            let close = match (evidence, m) {
                // Same letters (Nguyễn Văn An / Nguyen): only two full names with unrelated
                // partners are two people; a name standing alone may be anyone's surname,
                // wherever it stands in the full name.
                (Evidence::Different, None) => px.telling.is_empty() || py.telling.is_empty(),
                (Evidence::Different, Some(_)) => false,
                (_, None) => true,
                (e, Some(m)) => m.within(e == Evidence::SamePartner),
            };
            if close {
                edges[x].push(Edge { other: y, diff: d });
                edges[y].push(Edge { other: x, diff: d });
            }
        }
        edges
    }

    /// Occurrences moved to the words of a new version of the document with the same names
    /// in the same places: each paragraph's kept words began at `old` and now begin at `new`
    /// (words after the last name of a paragraph may have come or gone).
    fn rebase(&mut self, old: &[usize], new: &[usize]) {
        for f in &mut self.forms {
            for o in &mut f.occs {
                let p = o.ord as usize;
                o.word = new[p] + (o.word - old[p]);
                o.last = new[p] + (o.last - old[p]);
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

    /// Who each word form is used for: its partners, whether it stands alone or ends a name.
    fn profiles(&self, fold_id: &[u32]) -> Profiles {
        let n = self.partner.len();
        let words = &self.words;
        let mut flags = vec![0u8; n];
        let mut co: Vec<(u32, u32)> = Vec::new();
        let mut tel: Vec<(u32, u32, u32)> = Vec::new();
        for m in &self.mentions {
            let r = m.words.clone();
            // Segments of the mention: possessives end a name ("New People Party's Michael
            // Tien").
            let mut seg_start = r.start;
            while seg_start < r.end {
                let seg_end = (seg_start..r.end)
                    .find(|&i| words[i].possessive)
                    .map_or(r.end, |i| i + 1);
                for o in seg_start..seg_end {
                    let f = self.form_of_word[o];
                    if f == NO_FORM {
                        continue;
                    }
                    let mut partners = 0;
                    let mut last = true;
                    for (i, w) in words.iter().enumerate().take(seg_end).skip(seg_start) {
                        if i == o || w.kind != Kind::Name {
                            continue;
                        }
                        let pf = self.form_of_word[i];
                        if pf == NO_FORM {
                            continue;
                        }
                        co.push((f as u32, pf as u32));
                        if !self.partner[pf] {
                            continue;
                        }
                        partners += 1;
                        if i > o {
                            last = false;
                        }
                        if !self.generic[pf] {
                            tel.push((f as u32, fold_id[pf], pf as u32));
                        }
                        flags[f] |= PARTNERS;
                    }
                    if partners == 0 {
                        flags[f] |= BARE;
                    } else if last {
                        flags[f] |= HEAD;
                    }
                }
                seg_start = seg_end;
            }
        }
        // A name word outside any mention stands alone.
        for (o, w) in words.iter().enumerate() {
            if self.mention_of[o].is_none() && self.form_of_word[o] != NO_FORM {
                flags[self.form_of_word[o]] |= BARE;
            }
            let _ = w;
        }
        co.sort_unstable();
        co.dedup();
        // One telling partner per folded spelling.
        tel.sort_unstable();
        tel.dedup_by_key(|t| (t.0, t.1));
        let tel: Vec<(u32, u32)> = tel.into_iter().map(|(f, _, pf)| (f, pf)).collect();
        let (cooccur, cooccur_at) = group_by_form(&co, n);
        let (telling, telling_at) = group_by_form(&tel, n);
        Profiles {
            flags,
            cooccur,
            cooccur_at,
            telling,
            telling_at,
        }
    }

    /// `Shangri La` / `Shangri-La`, `Gholam Reza` / `Gholamreza`, `Abu Marzuk` / `Abu-Marzuq`.
    fn joined_forms(
        &self,
        text: &str,
        accept: &HashSet<String>,
        fuzzy: bool,
        lower: &mut Lowercase,
        infos: &[Arc<FormInfo>],
    ) -> Added {
        type ByKey = StdHashMap<u64, Vec<usize>, crate::analysis::normalize::Prehashed>;
        let word_forms = self.forms.len();
        // Word forms by fold and (long or hyphenated ones) by skeleton, keyed by hashes;
        // a hit is confirmed on the strings.
        let mut by_fold = ByKey::default();
        let mut hyphenated = ByKey::default();
        for (fi, f) in self.forms.iter().enumerate().take(word_forms) {
            if f.ordinary || f.fold.len() < 5 {
                continue;
            }
            by_fold.entry(infos[fi].fold_hash).or_default().push(fi);
            // Joined names differ from two words by a hyphen, an apostrophe or nothing
            // (Gholamreza / Gholam Reza); such spellings are long.
            if f.surface.contains(['-', '\'']) || f.fold.len() >= 8 {
                hyphenated
                    .entry(key_of(&infos[fi].skel))
                    .or_default()
                    .push(fi);
            }
        }
        if by_fold.is_empty() {
            return Added::default();
        }
        let forms = &self.forms;
        let fold_targets = |fold: &str| -> Vec<usize> {
            by_fold
                .get(&xxhash_rust::xxh3::xxh3_64(fold.as_bytes()))
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|&t| *forms[t].fold == *fold)
                        .collect()
                })
                .unwrap_or_default()
        };
        let skeleton_targets = |skel: &[u8]| -> Vec<usize> {
            hyphenated
                .get(&key_of(skel))
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|&t| *infos[t].skel == *skel)
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut hits: Vec<usize> = Vec::new();
        let mut joined = String::new();
        let mut tl = String::new();
        let mut skel = Vec::new();
        for m in &self.mentions {
            for i in m.words.start..m.words.end.saturating_sub(1) {
                let (w1, w2) = (&self.words[i], &self.words[i + 1]);
                if !matches!(w1.kind, Kind::Name | Kind::Particle)
                    || w2.kind != Kind::Name
                    || w1.possessive
                    || !w2.plain_gap
                {
                    continue;
                }
                let second = match self.form_of_word[i + 1] {
                    NO_FORM => continue,
                    f => &self.forms[f].fold,
                };
                joined.clear();
                match self.form_of_word[i] {
                    NO_FORM => similar::fold_into(&text[w1.span.clone()], &mut joined),
                    f => joined.push_str(&self.forms[f].fold),
                }
                joined.push_str(second);
                let hit = (joined.len() >= 5 && !fold_targets(&joined).is_empty())
                    || (fuzzy && joined.len() >= 8 && !hyphenated.is_empty() && {
                        tl.clear();
                        similar::translit_into(&joined, &mut tl);
                        similar::skeleton_into(&tl, &mut skel);
                        !skeleton_targets(&skel).is_empty()
                    });
                if hit {
                    hits.push(i);
                }
            }
        }
        if hits.is_empty() {
            return Added::default();
        }
        // "Dark Sky Park" / "International Dark-Sky Association": two ordinary words,
        // spelled as each name spells them.
        let lower_of = |w: &Word| extract::lower_hash(&text[w.span.clone()]);
        let queries: Vec<u64> = hits
            .iter()
            .flat_map(|&i| [lower_of(&self.words[i]), lower_of(&self.words[i + 1])])
            .collect();
        let ordinary = lower.has(&queries);
        let mut bigrams: HashMap<String, Vec<Occ>> = HashMap::default();
        for (k, &i) in hits.iter().enumerate() {
            if ordinary[2 * k] || ordinary[2 * k + 1] {
                continue;
            }
            let (w1, w2) = (&self.words[i], &self.words[i + 1]);
            let span = w1.span.start..w2.span.end;
            bigrams
                .entry(surface_of(text, &span))
                .or_default()
                .push(Occ {
                    word: i,
                    last: i + 1,
                    ord: w1.ord,
                    initial: w1.initial,
                });
        }
        let mut keys: Vec<&String> = bigrams.keys().collect();
        keys.sort();
        let mut new_forms: Vec<(String, Vec<Occ>, Vec<usize>, Difference)> = Vec::new();
        for surface in keys {
            if accept.contains(surface) {
                continue;
            }
            let fold = similar::fold(surface);
            let mut targets: Vec<(usize, Difference)> = fold_targets(&fold)
                .into_iter()
                .map(|t| (t, Difference::Separators))
                .collect();
            if targets.is_empty() && fuzzy {
                let s = similar::skeleton(&similar::translit(&fold));
                {
                    for t in skeleton_targets(&s) {
                        // A small slip only: "Republican House" is not "Republicans".
                        let other = &forms[t].fold;
                        if fold.len().abs_diff(other.len()) <= 2
                            && similar::edit_match(&fold, other).is_some_and(|m| m.cost <= 1.0)
                        {
                            targets.push((t, Difference::Spelling));
                        }
                    }
                }
            }
            targets.retain(|(t, _)| !accept.contains(&*forms[*t].surface));
            if targets.is_empty() {
                continue;
            }
            let occs = bigrams[surface].clone();
            let d = targets[0].1;
            new_forms.push((
                surface.clone(),
                occs,
                targets.into_iter().map(|t| t.0).collect(),
                d,
            ));
        }
        let mut added = Added::default();
        for (surface, occs, targets, diff) in new_forms {
            let confirmed = occs.iter().any(|o| !o.initial);
            added.forms.push(Form {
                fold: similar::fold(&surface).into(),
                surface: surface.into(),
                level: Level::Joined,
                occs,
                confirmed,
                ordinary: false,
            });
            added
                .to_words
                .push(targets.into_iter().map(|t| (t, diff)).collect());
        }
        added
    }

    /// Multi-word names that differ as wholes: an inner possessive (`New People's Party` /
    /// `New People Party`) or the case of a trailing word (`Republican Party` / `Republican
    /// party`).
    fn phrase_forms(&self, text: &str, accept: &HashSet<String>, infos: &[Arc<FormInfo>]) -> Added {
        // key → (surface → occurrences)
        type Groups = HashMap<String, HashMap<String, Vec<Occ>>>;
        type HashSet64 = StdHashSet<u64, crate::analysis::normalize::Prehashed>;
        let words = &self.words;
        let form_of_word = &self.form_of_word;
        let fold_words = |r: Range<usize>| -> String {
            r.map(|i| similar::fold(&text[words[i].span.clone()]))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let lower_words = |r: Range<usize>| -> String {
            r.map(|i| extract::lower(&text[words[i].span.clone()]))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let phrase_ok = |r: &Range<usize>| {
            words[r.clone()]
                .iter()
                .all(|w| matches!(w.kind, Kind::Name | Kind::Particle) && !w.title_case)
                && words[r.start + 1..r.end].iter().all(|w| w.plain_gap)
        };
        // A hash of the words' folds (name words' from their forms: the same fold).
        let fold_hash = |r: Range<usize>| {
            r.fold(0u64, |h, i| {
                let f = match form_of_word[i] {
                    NO_FORM => xxhash_rust::xxh3::xxh3_64(
                        similar::fold(&text[words[i].span.clone()]).as_bytes(),
                    ),
                    f => infos[f].fold_hash,
                };
                (h ^ f).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
            })
        };

        // Inner possessives.
        let mut poss_keys: HashSet<String> = HashSet::default();
        let mut poss_hashes = HashSet64::default();
        for m in &self.mentions {
            let r = m.words.clone();
            for i in r.clone() {
                if words[i].possessive && i + 1 < r.end && words[i].kind == Kind::Name {
                    for s in r.start.max(i.saturating_sub(3))..=i {
                        for e in i + 2..=(s + 4).min(r.end) {
                            // "Warhol's Polaroids" is an ordinary possessive; three words or
                            // more ("New People's Party") make a name.
                            if e - s >= 3 && phrase_ok(&(s..e)) {
                                poss_keys.insert(fold_words(s..e));
                                poss_hashes.insert(fold_hash(s..e));
                            }
                        }
                    }
                }
            }
        }
        let mut poss: Groups = HashMap::default();
        if !poss_keys.is_empty() {
            for m in &self.mentions {
                let r = m.words.clone();
                for s in r.clone() {
                    for e in s + 3..=(s + 4).min(r.end) {
                        if !phrase_ok(&(s..e)) || !poss_hashes.contains(&fold_hash(s..e)) {
                            continue;
                        }
                        let key = fold_words(s..e);
                        if poss_keys.contains(&key) {
                            let span = words[s].span.start..words[e - 1].span.end;
                            poss.entry(key)
                                .or_default()
                                .entry(surface_of(text, &span))
                                .or_default()
                                .push(Occ {
                                    word: s,
                                    last: e - 1,
                                    ord: words[s].ord,
                                    initial: words[s].initial,
                                });
                        }
                    }
                }
            }
        }

        // Lowercased trailing words: "Republican party" where "Republican Party" is a name.
        // Candidates are found by hashes of lowercased word runs, so nothing is allocated
        // unless a capitalised name and a lowercased run really meet.
        let run_hash = |r: Range<usize>| {
            r.fold(0xcbf2_9ce4_8422_2325u64, |h, i| {
                (h ^ words[i].lh)
                    .wrapping_mul(0x0000_0100_0000_01b3)
                    .rotate_left(7)
            })
        };
        // The capitalised form ends where its name ends ("Iodine Deficiency Disorders" says
        // nothing about "Iodine deficiency").
        let capital_runs = |m: &extract::Mention| {
            let e = m.words.end;
            (m.words.start..e.saturating_sub(1))
                .filter(move |&s| e - s <= 5)
                .filter(move |&s| {
                    phrase_ok(&(s..e)) && words[s..e].iter().all(|w| w.kind == Kind::Name)
                })
                .map(move |s| s..e)
        };
        let mut capital_hashes = HashSet64::default();
        for m in self.mentions.iter().filter(|m| m.words.len() >= 2) {
            capital_hashes.extend(capital_runs(m).map(run_hash));
        }
        let mut ext: Groups = HashMap::default();
        let mut ext_hashes = HashSet64::default();
        for m in self.mentions.iter().filter(|_| !capital_hashes.is_empty()) {
            let r = m.words.clone();
            let end = r.end;
            for k in 1..=2usize {
                let tail_end = end + k;
                if tail_end > words.len() {
                    break;
                }
                let tail_ok = words[end..tail_end].iter().all(|w| {
                    w.tail && w.plain_gap && w.para == words[end - 1].para && !w.title_case
                }) && !words[end - 1].possessive
                    && words[end..tail_end - 1].iter().all(|w| !w.possessive);
                if !tail_ok {
                    break;
                }
                for i in 1..=3usize.min(end - r.start) {
                    let s = end - i;
                    // The capitalised part must be a name where it stands, not a sentence
                    // opening ("Climate change is …").
                    if words[s].initial
                        || !phrase_ok(&(s..end))
                        || words[s..end].iter().any(|w| w.kind != Kind::Name)
                    {
                        continue;
                    }
                    let h = run_hash(s..tail_end);
                    if !capital_hashes.contains(&h) {
                        continue;
                    }
                    // "a British museum", "a stronger Scottish parliament": any one of them.
                    let generic = (s.saturating_sub(2)..s)
                        .any(|b| words[b].para == words[s].para && words[b].det);
                    if generic {
                        continue;
                    }
                    ext_hashes.insert(h);
                    let span = words[s].span.start..words[tail_end - 1].span.end;
                    ext.entry(lower_words(s..tail_end))
                        .or_default()
                        .entry(surface_of(text, &span))
                        .or_default()
                        .push(Occ {
                            word: s,
                            last: tail_end - 1,
                            ord: words[s].ord,
                            initial: words[s].initial,
                        });
                }
            }
        }
        if !ext.is_empty() {
            for m in self.mentions.iter().filter(|m| m.words.len() >= 2) {
                for r in capital_runs(m) {
                    if !ext_hashes.contains(&run_hash(r.clone())) {
                        continue;
                    }
                    let key = lower_words(r.clone());
                    if let Some(g) = ext.get_mut(&key) {
                        let span = words[r.start].span.start..words[r.end - 1].span.end;
                        g.entry(surface_of(text, &span)).or_default().push(Occ {
                            word: r.start,
                            last: r.end - 1,
                            ord: words[r.start].ord,
                            initial: words[r.start].initial,
                        });
                    }
                }
            }
        }

        let mut added = Added::default();
        for (groups, diff) in [(poss, Difference::Possessive), (ext, Difference::Case)] {
            let mut keys: Vec<&String> = groups.keys().collect();
            keys.sort();
            for key in keys {
                let g = &groups[key];
                if g.len() < 2 {
                    continue;
                }
                let mut surfaces: Vec<&String> = g.keys().collect();
                surfaces.sort();
                let ids: Vec<usize> = surfaces
                    .iter()
                    .filter(|s| !accept.contains(**s))
                    .map(|s| {
                        let mut occs = g[*s].clone();
                        occs.sort_by_key(|o| o.word);
                        occs.dedup_by_key(|o| o.word);
                        added.forms.push(Form {
                            fold: similar::fold(s).into(),
                            surface: s.as_str().into(),
                            level: Level::Phrase,
                            confirmed: occs.iter().any(|o| !o.initial),
                            occs,
                            ordinary: false,
                        });
                        added.to_words.push(Vec::new());
                        added.forms.len() - 1
                    })
                    .collect();
                for (i, &x) in ids.iter().enumerate() {
                    for &y in &ids[i + 1..] {
                        added.within.push((x, y, diff));
                    }
                }
            }
        }
        added
    }

    /// Add forms found by a multi-word pass, with their edges.
    fn attach(&mut self, added: Added, edges: &mut Vec<Vec<Edge>>) {
        let base = self.forms.len();
        for (k, (form, to_words)) in added.forms.into_iter().zip(added.to_words).enumerate() {
            let id = base + k;
            self.forms.push(form);
            edges.push(Vec::new());
            for (t, diff) in to_words {
                edges[id].push(Edge { other: t, diff });
                edges[t].push(Edge { other: id, diff });
            }
        }
        for (x, y, diff) in added.within {
            let (x, y) = (base + x, base + y);
            edges[x].push(Edge { other: y, diff });
            edges[y].push(Edge { other: x, diff });
        }
    }

    fn findings(&self, doc: &Document, settings: &Settings) -> Vec<Finding> {
        let severity = settings.name_spelling.severity;
        let mut out: Vec<Finding> = Vec::new();
        let mut taken: Vec<Range<usize>> = Vec::new();
        let overlaps = |taken: &[Range<usize>], s: &Range<usize>| {
            taken.iter().any(|t| t.start < s.end && s.start < t.end)
        };

        // House style first.
        for h in &self.prefer_hits {
            if overlaps(&taken, &h.span) {
                continue;
            }
            let all: Vec<Range<usize>> = self
                .prefer_hits
                .iter()
                .filter(|o| o.variant == h.variant)
                .map(|o| o.span.clone())
                .collect();
            let mut f = Finding::new(
                CODE,
                severity,
                h.span.clone(),
                format!("House style spells ‘{}’ as ‘{}’", h.variant, h.preferred),
            );
            if let Some(first) = self
                .forms
                .iter()
                .find(|x| *x.surface == *surface_of(&h.preferred, &(0..h.preferred.len())))
                .and_then(|x| x.occs.first())
            {
                f.related.push(Related {
                    doc: None,
                    span: self.span(first),
                    message: format!("‘{}’ is used here", h.preferred),
                });
            }
            f.fixes = fixes(&h.span, &h.variant, &h.preferred, &all);
            out.push(f);
            taken.push(h.span.clone());
        }

        // Then the document's own variants, longer forms first.
        let mut flags: Vec<&Flag> = self.flags.iter().collect();
        flags.sort_by_key(|f| std::cmp::Reverse(self.forms[f.form].level));
        let mut word_found: Vec<whole::WordFinding> = Vec::new();
        for flag in flags {
            let form = &self.forms[flag.form];
            let canon = &self.forms[flag.canonical];
            let all: Vec<Range<usize>> = form.occs.iter().map(|o| self.span(o)).collect();
            let n = canon.occs.len();
            // Quoted and written back as the document writes them (curly apostrophes).
            let canon_written = self.written(doc.text, canon);
            for o in &form.occs {
                let span = self.span(o);
                if overlaps(&taken, &span) {
                    continue;
                }
                let variant = collapse_space(&doc.text[span.clone()]);
                let house = self.preferred.contains(&flag.canonical);
                let message = if house {
                    format!(
                        "‘{}’ {} ‘{}’ (house style)",
                        variant,
                        flag.diff.phrase(),
                        canon_written
                    )
                } else {
                    format!(
                        "‘{}’ {} ‘{}’, the spelling used {} time{} in this document",
                        variant,
                        flag.diff.phrase(),
                        canon_written,
                        n,
                        if n == 1 { "" } else { "s" }
                    )
                };
                let mut f = Finding::new(CODE, severity, span.clone(), message);
                if let Some(first) = canon.occs.first() {
                    let first = self.span(first);
                    f.related.push(Related {
                        doc: None,
                        message: format!(
                            "‘{}’ first used here (line {})",
                            canon_written,
                            doc.line_number(first.start)
                        ),
                        span: first,
                    });
                }
                f.fixes = fixes(&span, &form.surface, &canon_written, &all);
                if form.level == Level::Word {
                    word_found.push((o.word, flag.diff, house, f));
                } else {
                    out.push(f);
                }
                taken.push(span);
            }
        }
        // Several words of one name: one finding over the whole name.
        whole::merge(self, doc, word_found, &mut out);
        // A middle part left out or added.
        let taken: Vec<Range<usize>> = out.iter().map(|f| f.span.clone()).collect();
        out.extend(parts::findings(self, doc, severity, &taken));
        out.sort_by_key(|f| f.span.start);
        out
    }
}

/// May a spelling seen only at sentence starts be a variant of a confirmed one, beyond the
/// closest edits? Only when both are long (an ordinary capitalised word rarely is that close to
/// a long name) and the confirmed spelling is used more than once.
fn long_sentence_start(fx: &Form, fy: &Form) -> bool {
    let (start, other) = if fx.confirmed { (fy, fx) } else { (fx, fy) };
    start.fold.len() >= 10 && other.fold.len() >= 10 && other.occs.len() >= 2 && !start.ordinary
}

/// Hyphenated names with as many parts on both sides (`Kwok-hing` / `Kwok-kin`, Cantonese
/// given names) are compared part by part: each part is a short name of its own. Returns the
/// tightest part's match, or `None` when a part is too different.
fn by_parts(a: &str, b: &str, whole: similar::EditMatch) -> Option<similar::EditMatch> {
    let pa: Vec<&str> = a.split('-').filter(|p| !p.is_empty()).collect();
    let pb: Vec<&str> = b.split('-').filter(|p| !p.is_empty()).collect();
    if pa.len() < 2 || pa.len() != pb.len() {
        return Some(whole);
    }
    let mut worst: Option<similar::EditMatch> = None;
    for (x, y) in pa.iter().zip(&pb) {
        let (fx, fy) = (similar::fold(x), similar::fold(y));
        if fx == fy {
            continue;
        }
        let m =
            similar::edit_match_with(&fx, &fy, &similar::translit(&fx), &similar::translit(&fy))?;
        let slack = |m: &similar::EditMatch| similar::allowance(m.len, true) - m.cost;
        if worst.is_none_or(|w| slack(&m) < slack(&w)) {
            worst = Some(m);
        }
    }
    Some(worst.unwrap_or(whole))
}

/// The three quick fixes of a finding.
fn fixes(span: &Range<usize>, variant: &str, canonical: &str, all: &[Range<usize>]) -> Vec<Fix> {
    let mut out = vec![
        Fix::new(
            format!("Change to ‘{canonical}’"),
            vec![Edit {
                span: span.clone(),
                replacement: canonical.to_string(),
            }],
        )
        .preferred(),
    ];
    if all.len() > 1 {
        out.push(Fix::new(
            format!("Change all {} ‘{variant}’ to ‘{canonical}’", all.len()),
            all.iter()
                .map(|s| Edit {
                    span: s.clone(),
                    replacement: canonical.to_string(),
                })
                .collect(),
        ));
    }
    let mut accept = Fix::new(
        format!("Accept ‘{variant}’ as a different name"),
        Vec::new(),
    );
    accept.settings_change = Some(SettingsChange::AcceptName(variant.to_string()));
    out.push(accept);
    out
}

/// A blocking key as a number: short keys exactly (bytes and length), longer ones hashed.
fn key_of(bytes: &[u8]) -> u64 {
    if bytes.len() <= 7 {
        let mut k = [0u8; 8];
        k[..bytes.len()].copy_from_slice(bytes);
        k[7] = bytes.len() as u8;
        u64::from_le_bytes(k)
    } else {
        xxhash_rust::xxh3::xxh3_64(bytes) | 1 << 63
    }
}

/// The blocking keys of a spelling (see [`key_of`]): its consonant skeleton `main`, the
/// skeleton's other reading `alt`, and — for names long enough to allow one arbitrary edit —
/// each skeleton with one letter dropped (marked so it only meets other drops and the full
/// skeletons of shorter names). Pushed onto `out`.
fn skeleton_keys(main: &[u8], alt: &[u8], letters: usize, k: &mut Vec<u8>, out: &mut Vec<u64>) {
    out.push(key_of(main));
    out.push(key_of(alt));
    k.clear();
    // Swapped consonants (Arkam / Akram) keep the same letters in another order.
    if letters >= 5 && main.len() >= 3 {
        k.extend_from_slice(main);
        k.sort_unstable();
        k.push(b'%');
        out.push(key_of(k));
    }
    // The other reading of c/w/j only when it differs.
    let readings: &[&[u8]] = if alt != main { &[main, alt] } else { &[main] };
    for s in readings {
        if letters >= 6 && s.len() >= 2 {
            for i in 0..s.len() {
                k.clear();
                k.extend_from_slice(&s[..i]);
                k.extend_from_slice(&s[i + 1..]);
                k.push(b'#');
                out.push(key_of(k));
            }
        }
        k.clear();
        k.extend_from_slice(s);
        k.push(b'#');
        out.push(key_of(k));
    }
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

/// What the company a spelling keeps says about two spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// Each comes with its own, unrelated partner names (Jon Stewart / John Kerry), or one
    /// only stands alone and the other is only ever the first part of a longer name
    /// (Colombia / Columbia University).
    Different,
    /// Nothing against one person (a surname alone, and the same surname ending a full name).
    Possible,
    /// The same or a similar partner name (Siobhán Kelly / Siobhan Kelly).
    SamePartner,
}

fn compatible(
    a: &Profile,
    b: &Profile,
    infos: &[Arc<FormInfo>],
    blocks: &[Block],
    fold_id: &[u32],
) -> Evidence {
    // The same partner (both lists are sorted by fold), else a similar one.
    let same = {
        let (mut i, mut j) = (0, 0);
        let mut found = false;
        while i < a.telling.len() && j < b.telling.len() {
            let (fa, fb) = (
                fold_id[a.telling[i] as usize],
                fold_id[b.telling[j] as usize],
            );
            if fa == fb {
                found = true;
                break;
            }
            if fa < fb {
                i += 1;
            } else {
                j += 1;
            }
        }
        found
    };
    let related = same
        || a.telling.iter().any(|&x| {
            b.telling.iter().any(|&y| {
                let (x, y) = (x as usize, y as usize);
                let (bx, by) = (&blocks[x], &blocks[y]);
                ((bx.skel == by.skel && infos[x].skel == infos[y].skel) || bx.plausible_start(by))
                    // (The letter counts rule most out before measuring.)
                    && {
                        let limit = similar::allowance(bx.fold_len.min(by.fold_len), true);
                        limit >= 0.0 && bx.counts.bound(&by.counts) <= limit + 1e-3
                    }
                    && {
                        let (ix, iy) = (&infos[x], &infos[y]);
                        similar::edit_match_with(&ix.fold, &iy.fold, &ix.tl, &iy.tl)
                            .is_some_and(|m| m.within(true))
                    }
            })
        });
    if related {
        return Evidence::SamePartner;
    }
    let possible = match (!a.partners, !b.partners) {
        (true, true) => true,
        (true, false) => b.head || b.bare,
        (false, true) => a.head || a.bare,
        (false, false) => false,
    };
    if possible {
        Evidence::Possible
    } else {
        Evidence::Different
    }
}

/// One spelling of a name, for hover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spelling {
    pub text: String,
    pub count: usize,
    /// Byte offsets of each occurrence.
    pub offsets: Vec<usize>,
    /// 1-based line of each occurrence.
    pub lines: Vec<usize>,
    pub canonical: bool,
}

/// What hover shows for a name mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameHover {
    /// The hovered spelling's span.
    pub span: Range<usize>,
    /// The full name the mention belongs to (`Chuck Hagel` for `Hagel`).
    pub name: String,
    pub canonical: String,
    /// The canonical spelling comes from the house style sheet.
    pub house_style: bool,
    /// Canonical first, then by count.
    pub spellings: Vec<Spelling>,
}

/// Hover for the name mention at `offset`, if there is one.
pub fn hover(doc: &Document, settings: &Settings, offset: usize) -> Option<NameHover> {
    let a = NameAnalysis::new(doc, settings);
    let contains = |o: &Occ| {
        let s = a.span(o);
        s.start <= offset && offset < s.end.max(s.start + 1)
    };
    // House-style variant under the cursor.
    if let Some(h) = a
        .prefer_hits
        .iter()
        .find(|h| h.span.start <= offset && offset < h.span.end)
    {
        let mut spellings = Vec::new();
        let pref = surface_of(&h.preferred, &(0..h.preferred.len()));
        if let Some(f) = a.forms.iter().find(|f| *f.surface == *pref) {
            spellings.push(spelling(doc, &a, f, true));
        } else {
            spellings.push(Spelling {
                text: pref.clone(),
                count: 0,
                offsets: vec![],
                lines: vec![],
                canonical: true,
            });
        }
        let occ: Vec<&PreferHit> = a
            .prefer_hits
            .iter()
            .filter(|o| o.variant == h.variant)
            .collect();
        spellings.push(Spelling {
            text: h.variant.clone(),
            count: occ.len(),
            offsets: occ.iter().map(|o| o.span.start).collect(),
            lines: occ.iter().map(|o| doc.line_number(o.span.start)).collect(),
            canonical: false,
        });
        return Some(NameHover {
            span: h.span.clone(),
            name: pref.clone(),
            canonical: pref,
            house_style: true,
            spellings,
        });
    }
    // A grouped multi-word form first, else the word.
    let in_group = |i: usize| a.root[i] != i || a.flags.iter().any(|f| f.canonical == i);
    let hit = a
        .forms
        .iter()
        .enumerate()
        .filter(|(i, f)| f.occs.iter().any(contains) && (f.level == Level::Word || in_group(*i)))
        .max_by_key(|(i, f)| (in_group(*i), f.level))?;
    let (fi, form) = hit;
    if form.ordinary {
        return None;
    }
    let occ = form.occs.iter().find(|o| contains(o))?;
    let root = a.root[fi];
    let mut members: Vec<usize> = vec![root];
    members.extend(
        a.flags
            .iter()
            .filter(|f| f.canonical == root)
            .map(|f| f.form),
    );
    let mut spellings: Vec<Spelling> = members
        .iter()
        .map(|&m| spelling(doc, &a, &a.forms[m], m == root))
        .collect();
    spellings[1..].sort_by_key(|s| (std::cmp::Reverse(s.count), s.offsets.first().copied()));
    let canonical = a.forms[root].surface.to_string();
    let name = a
        .full_name(doc.text, &members)
        .unwrap_or_else(|| canonical.clone());
    Some(NameHover {
        span: a.span(occ),
        name,
        canonical,
        house_style: a.preferred.contains(&root),
        spellings,
    })
}

fn spelling(doc: &Document, a: &NameAnalysis, f: &Form, canonical: bool) -> Spelling {
    Spelling {
        text: f.surface.to_string(),
        count: f.occs.len(),
        offsets: f.occs.iter().map(|o| a.span(o).start).collect(),
        lines: f
            .occs
            .iter()
            .map(|o| doc.line_number(a.span(o).start))
            .collect(),
        canonical,
    }
}

impl NameAnalysis {
    /// The most frequent multi-word name that ends in one of these word forms (surname-only
    /// mentions belong to the full name).
    fn full_name(&self, text: &str, members: &[usize]) -> Option<String> {
        let mut counts: HashMap<String, (usize, usize)> = HashMap::default();
        for &m in members {
            let f = &self.forms[m];
            if f.level != Level::Word {
                continue;
            }
            for o in &f.occs {
                let Some(mi) = self.mention_of[o.word] else {
                    continue;
                };
                let r = self.mentions[mi].words.clone();
                // From the first name word of the segment to this word.
                let mut start = r.start;
                for i in r.start..o.word {
                    if self.words[i].possessive {
                        start = i + 1;
                    }
                }
                while start < o.word && self.words[start].kind != Kind::Name {
                    start += 1;
                }
                if start == o.word {
                    continue;
                }
                let span = self.span(o);
                let s = surface_of(text, &(self.words[start].span.start..span.end));
                let e = counts.entry(s).or_insert((0, span.start));
                e.0 += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|(_, (n, first))| (*n, std::cmp::Reverse(*first)))
            .map(|(s, _)| s)
    }
}

#[cfg(test)]
mod tests;
