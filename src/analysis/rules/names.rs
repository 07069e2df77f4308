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

mod extract;
mod similar;

use crate::analysis::{Document, Edit, Finding, Fix, Related, Rule, SettingsChange, Severity};
use crate::config::Settings;
use extract::Fnv;
use extract::{Extract, Kind, Word};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};
use std::hash::BuildHasherDefault;

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
}

impl Default for NameSettings {
    fn default() -> Self {
        NameSettings {
            enabled: true,
            severity: Severity::Warning,
            fuzzy: true,
        }
    }
}

pub struct NameSpelling;

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
    span: Range<usize>,
    /// Index of the (first) word.
    word: usize,
    initial: bool,
}

#[derive(Clone, Debug)]
struct Form {
    surface: String,
    fold: String,
    level: Level,
    occs: Vec<Occ>,
    /// Used somewhere not at the start of a sentence.
    confirmed: bool,
    /// Unconfirmed and also used as an ordinary lowercase word: not a name.
    ordinary: bool,
}

impl Form {
    fn first(&self) -> usize {
        self.occs
            .first()
            .map(|o| o.span.start)
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
}

/// Surface text of a span with whitespace runs collapsed and typographic marks normalised.
fn surface_of(text: &str, span: &Range<usize>) -> String {
    let s = extract::normalise_surface(&text[span.clone()]);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Facts about the people a spelling is used for.
#[derive(Default, Debug)]
struct Profile {
    /// Folded other name words it appears with (first names, other surnames).
    partners: HashSet<String>,
    /// The partners that tell one name from another (not `South`, `University`).
    telling: HashSet<String>,
    /// Those partners with their transliteration and skeleton, for quick comparison.
    telling_keys: Vec<(String, String, Vec<u8>)>,
    /// Used on its own somewhere (`Hagel`, `Mr. Hagel`).
    bare: bool,
    /// The last word of a longer name somewhere (`Chuck Hagel`).
    head: bool,
    /// Word forms it shares a name with (`Macedo` in `Larissa de Macedo Machado`).
    cooccur: Vec<usize>,
}

impl NameAnalysis {
    fn new(doc: &Document, settings: &Settings) -> Self {
        let ex = Extract::new(doc);
        let mut a = NameAnalysis {
            words: ex.words,
            mentions: ex.mentions,
            mention_of: ex.mention_of,
            forms: Vec::new(),
            form_of_word: Vec::new(),
            root: Vec::new(),
            flags: Vec::new(),
            prefer_hits: Vec::new(),
            preferred: HashSet::default(),
        };
        let text = doc.text;
        let lowercase: HashSet<&str> = a
            .words
            .iter()
            .filter(|w| w.kind == Kind::Lower)
            .map(|w| &text[w.span.clone()])
            .collect();

        // 1. Word forms.
        let mut by_surface: HashMap<String, usize> = HashMap::default();
        for (wi, w) in a.words.iter().enumerate() {
            if w.kind != Kind::Name {
                continue;
            }
            let raw = &text[w.span.clone()];
            let known = if raw.is_ascii() {
                by_surface.get(raw).copied()
            } else {
                None
            };
            let id = match known {
                Some(id) => id,
                None => {
                    let surface = extract::normalise_surface(raw);
                    *by_surface.entry(surface.clone()).or_insert_with(|| {
                        a.forms.push(Form {
                            fold: similar::fold(&surface),
                            surface,
                            level: Level::Word,
                            occs: Vec::new(),
                            confirmed: false,
                            ordinary: false,
                        });
                        a.forms.len() - 1
                    })
                }
            };
            let f = &mut a.forms[id];
            f.confirmed |= !w.initial;
            f.occs.push(Occ {
                span: w.span.clone(),
                word: wi,
                initial: w.initial,
            });
        }
        for f in &mut a.forms {
            if !f.confirmed && lowercase.contains(extract::lower(&f.surface).as_str()) {
                f.ordinary = true;
            }
        }
        let word_forms = a.forms.len();
        a.form_of_word = vec![NO_FORM; a.words.len()];
        for (fi, f) in a.forms.iter().enumerate() {
            for o in &f.occs {
                a.form_of_word[o.word] = fi;
            }
        }

        // Accepted spellings take no part; preferred ones win their group.
        let accept: HashSet<String> = settings
            .names
            .accept
            .iter()
            .map(|s| surface_of(s, &(0..s.len())))
            .collect();
        let preferred_values: HashSet<String> = settings
            .names
            .prefer
            .values()
            .map(|s| surface_of(s, &(0..s.len())))
            .collect();

        let mut edges: Vec<Vec<Edge>> = vec![Vec::new(); word_forms];
        // Profiles are computed on demand, once per form.
        let mut profiles: Vec<Option<Profile>> = Vec::new();
        profiles.resize_with(word_forms, || None);
        let fuzzy = settings.name_spelling.fuzzy;

        // 2. Word forms with the same fold: case, accents, separators.
        let mut by_fold: HashMap<&str, Vec<usize>> = HashMap::default();
        for (fi, f) in a.forms.iter().enumerate() {
            if !f.ordinary && !f.fold.is_empty() {
                by_fold.entry(f.fold.as_str()).or_default().push(fi);
            }
        }
        let mut pairs: Vec<(usize, usize, Difference, Option<similar::EditMatch>)> = Vec::new();
        for group in by_fold.values() {
            for (i, &x) in group.iter().enumerate() {
                for &y in &group[i + 1..] {
                    if let Some(d) = fold_equal_difference(&a.forms[x].surface, &a.forms[y].surface)
                    {
                        pairs.push((x, y, d, None));
                    }
                }
            }
        }

        // 3. Small edits, bucketed by consonant skeleton (and skeletons with one letter
        //    dropped), so only plausible pairs are measured.
        if fuzzy {
            let mut buckets: HashMap<Vec<u8>, Vec<usize>> = HashMap::default();
            let mut tl: Vec<String> = vec![String::new(); word_forms];
            // Without a leading particle: "al-Assad" → "assad".
            let mut core: Vec<Option<(String, String)>> = vec![None; word_forms];
            for (fi, f) in a.forms.iter().enumerate() {
                if f.ordinary || f.fold.len() < 4 {
                    continue;
                }
                tl[fi] = similar::translit(&f.fold);
                let mut keys = skeleton_keys(&tl[fi], f.fold.len());
                if let Some(c) = extract::strip_particle(&f.surface) {
                    let cf = similar::fold(c);
                    let ct = similar::translit(&cf);
                    keys.extend(skeleton_keys(&ct, cf.len()));
                    core[fi] = Some((cf, ct));
                }
                keys.sort();
                keys.dedup();
                for key in keys {
                    buckets.entry(key).or_default().push(fi);
                }
            }
            let mut candidates: Vec<(u32, u32)> = Vec::new();
            for members in buckets.values() {
                if members.len() < 2 || members.len() > MAX_BUCKET {
                    continue;
                }
                for (i, &x) in members.iter().enumerate() {
                    for &y in &members[i + 1..] {
                        let (fx, fy) = (&a.forms[x], &a.forms[y]);
                        if x != y
                            && fx.fold.len().abs_diff(fy.fold.len()) <= 3
                            && fx.fold != fy.fold
                            && (core[x].is_some()
                                || core[y].is_some()
                                || similar::plausible_start(&tl[x], &tl[y]))
                        {
                            candidates.push((x.min(y) as u32, x.max(y) as u32));
                        }
                    }
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            {
                for (x, y) in candidates {
                    let (x, y) = (x as usize, y as usize);
                    // Who each spelling is used for decides how far apart they may be; it
                    // is cheaper to learn than the distance, and rules most pairs out.
                    for f in [x, y] {
                        if profiles[f].is_none() {
                            profiles[f] = Some(a.profile(f));
                        }
                    }
                    let (Some(px), Some(py)) = (&profiles[x], &profiles[y]) else {
                        continue;
                    };
                    if px.cooccur.contains(&y) || py.cooccur.contains(&x) {
                        continue;
                    }
                    let evidence = compatible(px, py);
                    if evidence == Evidence::Different {
                        continue;
                    }
                    {
                        let (fx, fy) = (&a.forms[x], &a.forms[y]);
                        // "al-Assad" / "Assad" is one legitimate form of the other; only the
                        // rest of the name is compared. Two particles are compared as spelled
                        // (al-Sisi / el-Sisi).
                        let strong = evidence == Evidence::SamePartner;
                        let whole = || {
                            similar::edit_match_within(&fx.fold, &fy.fold, &tl[x], &tl[y], strong)
                        };
                        let best =
                            |a: Option<similar::EditMatch>, b: Option<similar::EditMatch>| match (
                                a, b,
                            ) {
                                (Some(a), Some(b)) => Some(if a.cost <= b.cost { a } else { b }),
                                (a, b) => a.or(b),
                            };
                        let m = match (&core[x], &core[y]) {
                            (Some((cx, tx)), None) => {
                                if *cx == fy.fold {
                                    continue;
                                }
                                best(
                                    similar::edit_match_within(cx, &fy.fold, tx, &tl[y], strong),
                                    whole(),
                                )
                            }
                            (None, Some((cy, ty))) => {
                                if *cy == fx.fold {
                                    continue;
                                }
                                best(
                                    similar::edit_match_within(&fx.fold, cy, &tl[x], ty, strong),
                                    whole(),
                                )
                            }
                            _ => whole(),
                        };
                        let m = if core[x].is_none() && core[y].is_none() {
                            m.and_then(|m| by_parts(&fx.surface, &fy.surface, m))
                        } else {
                            m
                        };
                        let Some(m) = m.filter(|m| m.within(evidence == Evidence::SamePartner))
                        else {
                            continue;
                        };
                        // Both well established: only the smallest edits.
                        if fx.occs.len() >= 2 && fy.occs.len() >= 2 && m.cost > 0.6 {
                            continue;
                        }
                        // A word seen only at sentence starts must match a confirmed name
                        // closely.
                        if (!fx.confirmed || !fy.confirmed)
                            && (!(fx.confirmed || fy.confirmed) || m.cost > 0.6)
                        {
                            continue;
                        }
                        pairs.push((x, y, Difference::Spelling, Some(m)));
                    }
                }
            }
        }

        // 4. Keep pairs that may be one person.
        for (x, y, d, m) in pairs {
            if accept.contains(&a.forms[x].surface) || accept.contains(&a.forms[y].surface) {
                continue;
            }
            for f in [x, y] {
                if profiles[f].is_none() {
                    profiles[f] = Some(a.profile(f));
                }
            }
            let (Some(px), Some(py)) = (&profiles[x], &profiles[y]) else {
                continue;
            };
            // Two parts of one name are two words, not two spellings.
            let together = px.cooccur.contains(&y) || py.cooccur.contains(&x);
            if together {
                continue;
            }
            let evidence = compatible(px, py);
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

        // 5. Multi-word forms.
        a.joined_forms(text, &mut edges, &accept, fuzzy, &lowercase);
        a.phrase_forms(text, &mut edges, &accept);

        // 6. House style.
        for (fi, f) in a.forms.iter().enumerate() {
            if preferred_values.contains(&f.surface) {
                a.preferred.insert(fi);
            }
        }
        a.prefer_hits = a.find_prefer_hits(text, settings, &accept);

        // 7. Canonical spellings: rank, then attach each form to the best-ranked canonical
        //    among its neighbours.
        let n = a.forms.len();
        a.root = (0..n).collect();
        let mut order: Vec<usize> = (0..n).filter(|&i| !edges[i].is_empty()).collect();
        order.sort_by_key(|&i| {
            (
                !a.preferred.contains(&i),
                std::cmp::Reverse(a.forms[i].occs.len()),
                a.forms[i].first(),
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
        a
    }

    /// Who a word form is used for: its partners, whether it stands alone or ends a name.
    fn profile(&self, form: usize) -> Profile {
        let mut p = Profile::default();
        for o in &self.forms[form].occs {
            let Some(m) = self.mention_of[o.word] else {
                p.bare = true;
                continue;
            };
            let range = self.mentions[m].words.clone();
            // The segment of the mention holding this word: possessives end a name
            // ("New People Party's Michael Tien").
            let mut start = range.start;
            for i in range.start..o.word {
                if self.words[i].possessive {
                    start = i + 1;
                }
            }
            let mut end = range.end;
            for i in o.word..range.end {
                if self.words[i].possessive {
                    end = i + 1;
                    break;
                }
            }
            let mut partners = 0;
            let mut last = true;
            for i in start..end {
                if i == o.word || self.words[i].kind != Kind::Name {
                    continue;
                }
                let pf = self.form_of_word[i];
                if pf == NO_FORM {
                    continue;
                }
                if !p.cooccur.contains(&pf) {
                    p.cooccur.push(pf);
                }
                let pform = &self.forms[pf];
                if !pform.confirmed || pform.ordinary {
                    continue;
                }
                partners += 1;
                if i > o.word {
                    last = false;
                }
                if !extract::is_generic(&pform.fold) && p.telling.insert(pform.fold.clone()) {
                    let t = similar::translit(&pform.fold);
                    let k = similar::skeleton(&t);
                    p.telling_keys.push((pform.fold.clone(), t, k));
                }
                p.partners.insert(pform.fold.clone());
            }
            if partners == 0 {
                p.bare = true;
            } else if last {
                p.head = true;
            }
        }
        p
    }

    /// `Shangri La` / `Shangri-La`, `Gholam Reza` / `Gholamreza`, `Abu Marzuk` / `Abu-Marzuq`.
    fn joined_forms(
        &mut self,
        text: &str,
        edges: &mut Vec<Vec<Edge>>,
        accept: &HashSet<String>,
        fuzzy: bool,
        lowercase: &HashSet<&str>,
    ) {
        let word_forms = self.forms.len();
        let mut by_fold: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut hyphenated: HashMap<Vec<u8>, Vec<usize>> = HashMap::default();
        for (fi, f) in self.forms.iter().enumerate().take(word_forms) {
            if f.ordinary || f.fold.len() < 5 {
                continue;
            }
            by_fold.entry(f.fold.as_str()).or_default().push(fi);
            // Joined names differ from two words by a hyphen, an apostrophe or nothing
            // (Gholamreza / Gholam Reza); such spellings are long.
            if f.surface.contains(['-', '\'']) || f.fold.len() >= 8 {
                let s = similar::skeleton(&similar::translit(&f.fold));
                hyphenated.entry(s).or_default().push(fi);
            }
        }
        if by_fold.is_empty() {
            return;
        }
        let mut bigrams: HashMap<String, Vec<Occ>> = HashMap::default();
        let mut joined = String::new();
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
                joined.clear();
                match self.form_of_word[i] {
                    NO_FORM => joined.push_str(&similar::fold(&text[w1.span.clone()])),
                    f => joined.push_str(&self.forms[f].fold),
                }
                match self.form_of_word[i + 1] {
                    NO_FORM => continue,
                    f => joined.push_str(&self.forms[f].fold),
                }
                let hit = by_fold.contains_key(joined.as_str())
                    || (fuzzy
                        && joined.len() >= 8
                        && !hyphenated.is_empty()
                        && hyphenated
                            .contains_key(&similar::skeleton(&similar::translit(&joined))));
                if !hit {
                    continue;
                }
                // "Dark Sky Park" / "International Dark-Sky Association": two ordinary
                // words, spelled as each name spells them.
                let ordinary =
                    |w: &Word| lowercase.contains(extract::lower(&text[w.span.clone()]).as_str());
                if ordinary(w1) || ordinary(w2) {
                    continue;
                }
                let span = w1.span.start..w2.span.end;
                bigrams
                    .entry(surface_of(text, &span))
                    .or_default()
                    .push(Occ {
                        span,
                        word: i,
                        initial: w1.initial,
                    });
            }
        }
        let mut keys: Vec<&String> = bigrams.keys().collect();
        keys.sort();
        let mut new_forms: Vec<(String, Vec<Occ>, Vec<usize>, Difference)> = Vec::new();
        for surface in keys {
            if accept.contains(surface) {
                continue;
            }
            let fold = similar::fold(surface);
            let mut targets: Vec<(usize, Difference)> = by_fold
                .get(fold.as_str())
                .map(|v| v.iter().map(|&t| (t, Difference::Separators)).collect())
                .unwrap_or_default();
            if targets.is_empty() && fuzzy {
                let s = similar::skeleton(&similar::translit(&fold));
                if let Some(cands) = hyphenated.get(&s) {
                    for &t in cands {
                        // A small slip only: "Republican House" is not "Republicans".
                        let other = &self.forms[t].fold;
                        if fold.len().abs_diff(other.len()) <= 2
                            && similar::edit_match(&fold, other).is_some_and(|m| m.cost <= 1.0)
                        {
                            targets.push((t, Difference::Spelling));
                        }
                    }
                }
            }
            targets.retain(|(t, _)| !accept.contains(&self.forms[*t].surface));
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
        for (surface, occs, targets, diff) in new_forms {
            let id = self.forms.len();
            let confirmed = occs.iter().any(|o| !o.initial);
            self.forms.push(Form {
                fold: similar::fold(&surface),
                surface,
                level: Level::Joined,
                occs,
                confirmed,
                ordinary: false,
            });
            edges.push(Vec::new());
            for t in targets {
                edges[id].push(Edge { other: t, diff });
                edges[t].push(Edge { other: id, diff });
            }
        }
    }

    /// Multi-word names that differ as wholes: an inner possessive (`New People's Party` /
    /// `New People Party`) or the case of a trailing word (`Republican Party` / `Republican
    /// party`).
    fn phrase_forms(&mut self, text: &str, edges: &mut Vec<Vec<Edge>>, accept: &HashSet<String>) {
        // key → (surface → occurrences)
        type Groups = HashMap<String, HashMap<String, Vec<Occ>>>;
        let words = &self.words;
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

        // Inner possessives.
        let mut poss_keys: HashSet<String> = HashSet::default();
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
                        if !phrase_ok(&(s..e)) {
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
                                    span,
                                    word: s,
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
        let lh = |i: usize| lower_hash(&text[words[i].span.clone()]);
        let run_hash = |r: Range<usize>| {
            r.fold(0xcbf2_9ce4_8422_2325u64, |h, i| {
                (h ^ lh(i))
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
        let mut capital_hashes: HashSet<u64> = HashSet::default();
        for m in self.mentions.iter().filter(|m| m.words.len() >= 2) {
            capital_hashes.extend(capital_runs(m).map(run_hash));
        }
        let mut ext: Groups = HashMap::default();
        let mut ext_hashes: HashSet<u64> = HashSet::default();
        for m in self.mentions.iter().filter(|_| !capital_hashes.is_empty()) {
            let r = m.words.clone();
            let end = r.end;
            for k in 1..=2usize {
                let tail_end = end + k;
                if tail_end > words.len() {
                    break;
                }
                let tail_ok = words[end..tail_end].iter().all(|w| {
                    let t = &text[w.span.clone()];
                    w.kind == Kind::Lower
                        && w.plain_gap
                        && w.para == words[end - 1].para
                        && !w.title_case
                        && t.len() >= 3
                        && !extract::is_title(t)
                        && !extract::is_function_word(t)
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
                    let generic = (s.saturating_sub(2)..s).any(|b| {
                        words[b].para == words[s].para
                            && matches!(
                                extract::lower(&text[words[b].span.clone()]).as_str(),
                                "a" | "an" | "another" | "any" | "every" | "each" | "no" | "some"
                            )
                    });
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
                            span,
                            word: s,
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
                            span,
                            word: r.start,
                            initial: words[r.start].initial,
                        });
                    }
                }
            }
        }

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
                        occs.sort_by_key(|o| o.span.start);
                        occs.dedup_by_key(|o| o.span.start);
                        self.forms.push(Form {
                            fold: similar::fold(s),
                            surface: (*s).clone(),
                            level: Level::Phrase,
                            confirmed: occs.iter().any(|o| !o.initial),
                            occs,
                            ordinary: false,
                        });
                        edges.push(Vec::new());
                        self.forms.len() - 1
                    })
                    .collect();
                for (i, &x) in ids.iter().enumerate() {
                    for &y in &ids[i + 1..] {
                        edges[x].push(Edge { other: y, diff });
                        edges[y].push(Edge { other: x, diff });
                    }
                }
            }
        }
    }

    /// Occurrences of house-style variants (`[names.prefer]` keys), as whole words.
    fn find_prefer_hits(
        &self,
        text: &str,
        settings: &Settings,
        accept: &HashSet<String>,
    ) -> Vec<PreferHit> {
        let mut hits = Vec::new();
        for (variant, preferred) in &settings.names.prefer {
            let v = surface_of(variant, &(0..variant.len()));
            if v.is_empty()
                || accept.contains(&v)
                || v == surface_of(preferred, &(0..preferred.len()))
            {
                continue;
            }
            let parts: Vec<&str> = v.split(' ').collect();
            let n = parts.len();
            for i in 0..self.words.len() {
                if i + n > self.words.len() {
                    break;
                }
                let ok = (0..n).all(|k| {
                    let w = &self.words[i + k];
                    (k == 0 || (w.plain_gap && w.para == self.words[i].para))
                        && (k + 1 == n || !w.possessive)
                        && extract::normalise_surface(&text[w.span.clone()]) == parts[k]
                });
                if ok {
                    hits.push(PreferHit {
                        span: self.words[i].span.start..self.words[i + n - 1].span.end,
                        variant: v.clone(),
                        preferred: preferred.clone(),
                    });
                }
            }
        }
        hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
        hits
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
                .find(|x| x.surface == surface_of(&h.preferred, &(0..h.preferred.len())))
                .and_then(|x| x.occs.first())
            {
                f.related.push(Related {
                    doc: None,
                    span: first.span.clone(),
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
        for flag in flags {
            let form = &self.forms[flag.form];
            let canon = &self.forms[flag.canonical];
            let all: Vec<Range<usize>> = form.occs.iter().map(|o| o.span.clone()).collect();
            let n = canon.occs.len();
            for o in &form.occs {
                if overlaps(&taken, &o.span) {
                    continue;
                }
                let house = self.preferred.contains(&flag.canonical);
                let message = if house {
                    format!(
                        "‘{}’ {} ‘{}’ (house style)",
                        form.surface,
                        flag.diff.phrase(),
                        canon.surface
                    )
                } else {
                    format!(
                        "‘{}’ {} ‘{}’, the spelling used {} time{} in this document",
                        form.surface,
                        flag.diff.phrase(),
                        canon.surface,
                        n,
                        if n == 1 { "" } else { "s" }
                    )
                };
                let mut f = Finding::new(CODE, severity, o.span.clone(), message);
                if let Some(first) = canon.occs.first() {
                    f.related.push(Related {
                        doc: None,
                        span: first.span.clone(),
                        message: format!(
                            "‘{}’ first used here (line {})",
                            canon.surface,
                            doc.line_number(first.span.start)
                        ),
                    });
                }
                f.fixes = fixes(&o.span, &form.surface, &canon.surface, &all);
                out.push(f);
                taken.push(o.span.clone());
            }
        }
        out.sort_by_key(|f| f.span.start);
        out
    }
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

/// FNV-1a hash of a word's lowercase form, without allocating.
fn lower_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    h
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

/// The blocking keys of a spelling: its consonant skeleton, the skeleton's other reading,
/// and — for names long enough to allow one arbitrary edit — each skeleton with one letter
/// dropped (marked so it only meets other drops and the full skeletons of shorter names).
fn skeleton_keys(translit: &str, letters: usize) -> Vec<Vec<u8>> {
    let main = similar::skeleton(translit);
    let alt = similar::skeleton_alt(translit);
    let mut keys = vec![main.clone(), alt.clone()];
    // Swapped consonants (Arkam / Akram) keep the same letters in another order.
    if letters >= 5 && main.len() >= 3 {
        let mut sorted = main.clone();
        sorted.sort_unstable();
        sorted.push(b'%');
        keys.push(sorted);
    }
    // The other reading of c/w/j only when it differs.
    let readings: Vec<&Vec<u8>> = if alt != main {
        vec![&main, &alt]
    } else {
        vec![&main]
    };
    for s in readings {
        if letters >= 6 && s.len() >= 2 {
            for i in 0..s.len() {
                let mut k = Vec::with_capacity(s.len());
                k.extend_from_slice(&s[..i]);
                k.extend_from_slice(&s[i + 1..]);
                k.push(b'#');
                keys.push(k);
            }
        }
        let mut me = s.clone();
        me.push(b'#');
        keys.push(me);
    }
    keys.sort();
    keys.dedup();
    keys
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

fn compatible(a: &Profile, b: &Profile) -> Evidence {
    let related = a.telling_keys.iter().any(|(x, tx, kx)| {
        b.telling_keys.iter().any(|(y, ty, ky)| {
            x == y
                || ((kx == ky || similar::plausible_start(tx, ty))
                    && similar::edit_match_with(x, y, tx, ty).is_some_and(|m| m.within(true)))
        })
    });
    if related {
        return Evidence::SamePartner;
    }
    let possible = match (a.partners.is_empty(), b.partners.is_empty()) {
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

impl NameHover {
    pub fn render_markdown(&self) -> String {
        let mut s = format!("**{}**", self.name);
        if self.spellings.len() > 1 || self.house_style {
            s.push_str(&format!(
                " — canonical spelling ‘{}’{}",
                self.canonical,
                if self.house_style {
                    " (house style)"
                } else {
                    ""
                }
            ));
        }
        s.push_str("\n\n| Spelling | Uses | Lines |\n| --- | ---: | --- |\n");
        for sp in &self.spellings {
            let mut lines = sp.lines.clone();
            lines.dedup();
            let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            s.push_str(&format!(
                "| ‘{}’{} | {} | {} |\n",
                sp.text.replace('|', "\\|"),
                if sp.canonical { " ✓" } else { "" },
                sp.count,
                lines.join(", ")
            ));
        }
        s
    }
}

/// Hover for the name mention at `offset`, if there is one.
pub fn hover(doc: &Document, settings: &Settings, offset: usize) -> Option<NameHover> {
    let a = NameAnalysis::new(doc, settings);
    let contains = |o: &Occ| o.span.start <= offset && offset < o.span.end.max(o.span.start + 1);
    // House-style variant under the cursor.
    if let Some(h) = a
        .prefer_hits
        .iter()
        .find(|h| h.span.start <= offset && offset < h.span.end)
    {
        let mut spellings = Vec::new();
        let pref = surface_of(&h.preferred, &(0..h.preferred.len()));
        if let Some(f) = a.forms.iter().find(|f| f.surface == pref) {
            spellings.push(spelling(doc, f, true));
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
        .map(|&m| spelling(doc, &a.forms[m], m == root))
        .collect();
    spellings[1..].sort_by_key(|s| (std::cmp::Reverse(s.count), s.offsets.first().copied()));
    let canonical = a.forms[root].surface.clone();
    let name = a
        .full_name(doc.text, &members)
        .unwrap_or_else(|| canonical.clone());
    Some(NameHover {
        span: occ.span.clone(),
        name,
        canonical,
        house_style: a.preferred.contains(&root),
        spellings,
    })
}

fn spelling(doc: &Document, f: &Form, canonical: bool) -> Spelling {
    Spelling {
        text: f.surface.clone(),
        count: f.occs.len(),
        offsets: f.occs.iter().map(|o| o.span.start).collect(),
        lines: f
            .occs
            .iter()
            .map(|o| doc.line_number(o.span.start))
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
                let s = surface_of(text, &(self.words[start].span.start..o.span.end));
                let e = counts.entry(s).or_insert((0, o.span.start));
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

/// Hover text for the name mention at `offset`, if any (the server's entry point).
pub fn hover_info(
    doc: &Document,
    settings: &Settings,
    offset: usize,
) -> Option<crate::analysis::HoverInfo> {
    let h = hover(doc, settings, offset)?;
    Some(crate::analysis::HoverInfo {
        span: h.span.clone(),
        markdown: h.render_markdown(),
    })
}
