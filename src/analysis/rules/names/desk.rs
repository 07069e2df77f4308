//! The desk's names: the name spellings each draft uses, kept for the whole workspace, and
//! the `name-spelling` check of one draft against the desk's other drafts.
//!
//! - [`DraftName`]: one spelling of a name word in one draft (count, first use, the other
//!   name words it comes with), taken from the draft's own name analysis.
//! - [`Desk`]: plain data over many drafts (keyed by opaque document keys), with blocking
//!   keys so a draft's spellings meet only plausible desk spellings. The server keeps one in
//!   its workspace index; the CLI builds one over the files it checks.
//! - [`Desk::check`]: a spelling of this draft that the desk's other drafts write another
//!   way, with the same person's given name, and that this draft never writes both ways.
//! - [`Desk::check_with`] and [`DeskMemo`]: the same check, remembering what each of the
//!   draft's spellings met on the desk, so the next check of the draft (a keystroke in the
//!   server) compares only spellings that are new or changed their count or partners.
//! - [`Desk::style_sheet`]: every name with its spellings across the desk (`copydesk names`).

use super::{
    CODE, Difference, FormInfo, FormScratch, HashMap, HashSet, Kind, NO_FORM, NameAnalysis,
    extract, fold_equal_difference, info_match, similar, surface_of,
};
use crate::analysis::{Document, Finding, Fix, Related, SettingsChange};
use crate::config::{HouseNames, Settings};
use std::ops::Range;
use std::sync::Arc;

/// One spelling of a name word as one draft uses it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftName {
    /// The spelling, normalised (straight apostrophes, plain hyphens).
    pub surface: String,
    /// As the draft writes it most often (typographic marks kept).
    pub written: String,
    pub count: u32,
    /// Every use in the draft (the workspace index keeps only the first).
    pub spans: Vec<Range<usize>>,
    /// 1-based line of the first use.
    pub line: u32,
    /// Folded name words it comes with in the draft (given names, the other surnames), sorted.
    pub partners: Vec<String>,
    /// Within the draft it is one of several spellings of one name (the draft's own
    /// findings deal with it).
    pub grouped: bool,
    /// The full name it ends or begins, as the draft writes it most often (`Chuck Hagel`).
    pub full: Option<String>,
}

impl NameAnalysis {
    /// The draft's name spellings: word forms that are names (confirmed, not ordinary words,
    /// not words many names share). `full` also finds each one's full name.
    pub(super) fn draft_names(&self, doc: &Document, full: bool) -> Vec<DraftName> {
        let n = self.partner.len();
        let mut partners: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut leads = vec![false; n];
        let words = &self.words;
        // The word form of each word (from the forms: `form_of_word` is not kept up to date
        // when a reused analysis is moved to new offsets).
        let mut form_of_word = vec![NO_FORM; words.len()];
        for (f, form) in self.forms.iter().enumerate().take(n) {
            for o in &form.occs {
                if let Some(w) = form_of_word.get_mut(o.word) {
                    *w = f;
                }
            }
        }
        for m in &self.mentions {
            let r = m.words.clone();
            let mut seg_start = r.start;
            while seg_start < r.end {
                let seg_end = (seg_start..r.end)
                    .find(|&i| words[i].possessive)
                    .map_or(r.end, |i| i + 1);
                let in_seg: Vec<usize> = (seg_start..seg_end)
                    .filter(|&i| words[i].kind == Kind::Name)
                    .map(|i| form_of_word[i])
                    // (A name word opening the sentence is still the name's given name.)
                    .filter(|&f| {
                        f != NO_FORM && f < n && !self.forms[f].ordinary && !self.generic[f]
                    })
                    .collect();
                for &f in &in_seg {
                    for &g in &in_seg {
                        if g != f && !partners[f].contains(&g) {
                            partners[f].push(g);
                        }
                    }
                }
                // A word seen only at sentence starts is still a name when it opens a name
                // whose later word is one ("Sviatlana Tsikhanouskaya told supporters").
                if let Some((&first, rest)) = in_seg.split_first()
                    && !self.partner[first]
                    && rest.iter().any(|&g| self.partner[g])
                {
                    leads[first] = true;
                }
                seg_start = seg_end;
            }
        }
        let mut grouped = vec![false; self.forms.len()];
        for fl in &self.flags {
            grouped[fl.form] = true;
            grouped[fl.canonical] = true;
        }
        let mut out = Vec::new();
        for f in 0..n {
            let form = &self.forms[f];
            if !(self.partner[f] || leads[f]) || self.generic[f] || form.occs.is_empty() {
                continue;
            }
            // Letters only matter: `U.S`, initials and acronyms are not spellings to compare.
            let letters = form.surface.chars().filter(|c| c.is_alphabetic()).count();
            if letters < 3 || !form.surface.chars().any(|c| c.is_lowercase()) {
                continue;
            }
            let spans: Vec<Range<usize>> = form.occs.iter().map(|o| self.span(o)).collect();
            let mut p: Vec<String> = partners[f]
                .iter()
                .map(|&g| self.forms[g].fold.to_string())
                .collect();
            p.sort();
            p.dedup();
            out.push(DraftName {
                surface: form.surface.to_string(),
                written: self.written(doc.text, form),
                count: form.occs.len() as u32,
                line: doc.line_number(spans[0].start) as u32,
                spans,
                partners: p,
                grouped: grouped[f],
                full: if full {
                    self.full_name(doc.text, &[f])
                } else {
                    None
                },
            });
        }
        out
    }
}

/// The name spellings of a document, with their full names (for the workspace index and
/// the style sheet).
pub fn draft_names(doc: &Document, settings: &Settings) -> Vec<DraftName> {
    if !settings.name_spelling.enabled {
        return Vec::new();
    }
    NameAnalysis::new(doc, settings).draft_names(doc, true)
}

/// A draft's use of one desk spelling.
#[derive(Clone, Debug)]
pub struct DeskUse {
    pub doc: Arc<str>,
    pub written: String,
    pub count: u32,
    pub first: Range<usize>,
    pub line: u32,
    pub partners: Vec<String>,
    pub full: Option<String>,
}

#[derive(Debug)]
struct DeskSpelling {
    info: Arc<FormInfo>,
    uses: Vec<DeskUse>,
    /// The partners of its uses, each once (the check compares these, not every use's).
    partners: Vec<DeskPartner>,
    /// The uses' counts, summed.
    count: u32,
}

/// A name word some uses of a desk spelling come with.
#[derive(Debug)]
struct DeskPartner {
    fold: String,
    /// [`similar::translit`] of `fold`.
    tl: String,
    /// How many times the uses list it.
    uses: u32,
}

impl DeskSpelling {
    /// A use's partners join the spelling's (`add`) or leave them.
    fn count_partners(&mut self, partners: &[String], add: bool) {
        for p in partners {
            match self.partners.iter().position(|q| q.fold == *p) {
                Some(i) if add => self.partners[i].uses += 1,
                Some(i) => {
                    self.partners[i].uses -= 1;
                    if self.partners[i].uses == 0 {
                        self.partners.swap_remove(i);
                    }
                }
                None if add => self.partners.push(DeskPartner {
                    fold: p.clone(),
                    tl: similar::translit(p),
                    uses: 1,
                }),
                None => debug_assert!(false, "a partner the spelling's uses never listed"),
            }
        }
    }

    /// Its partners (fold, transliteration).
    fn all_partners(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.partners
            .iter()
            .map(|p| (p.fold.as_str(), p.tl.as_str()))
    }

    /// Its partners in the uses other than `mine`.
    fn partners_but<'a>(
        &'a self,
        mine: Option<&'a DeskUse>,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + Clone {
        self.partners
            .iter()
            .filter(move |p| {
                let in_mine =
                    mine.map_or(0, |u| u.partners.iter().filter(|q| **q == p.fold).count());
                p.uses as usize > in_mine
            })
            .map(|p| (p.fold.as_str(), p.tl.as_str()))
    }
}

/// Every draft's name spellings, searchable by spelling keys.
#[derive(Debug, Default)]
pub struct Desk {
    spellings: Vec<DeskSpelling>,
    by_surface: HashMap<String, u32>,
    /// Blocking keys (the fold's hash and the consonant-skeleton keys) → spellings.
    by_key: HashMap<u64, Vec<u32>>,
    /// The spellings each document uses.
    docs: HashMap<Arc<str>, Vec<u32>>,
    next_id: u64,
    /// Changes with every [`Desk::set`], unique in the process ([`DeskMemo`]s hold for one).
    stamp: u64,
}

/// The source of [`Desk`] stamps.
static STAMPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The comparison keys of a spelling.
fn info_of(surface: &str, id: u64) -> FormInfo {
    FormInfo::new(surface, id, &mut FormScratch::default())
}

fn keys_of(info: &FormInfo) -> impl Iterator<Item = u64> + '_ {
    std::iter::once(info.fold_hash).chain(info.keys.iter().copied())
}

impl Desk {
    /// Documents with names on the desk.
    pub fn docs(&self) -> usize {
        self.docs.len()
    }

    /// Replace a document's names (an empty list removes it).
    pub fn set(&mut self, doc: &str, names: &[DraftName]) {
        self.stamp = STAMPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some(old) = self.docs.remove(doc) {
            for id in old {
                let s = &mut self.spellings[id as usize];
                if let Some(i) = s.uses.iter().position(|u| &*u.doc == doc) {
                    let u = s.uses.remove(i);
                    s.count_partners(&u.partners, false);
                    s.count -= u.count;
                }
            }
        }
        if names.is_empty() {
            return;
        }
        let key: Arc<str> = doc.into();
        let mut ids = Vec::with_capacity(names.len());
        for n in names {
            let id = match self.by_surface.get(&n.surface) {
                Some(&id) => id,
                None => {
                    let id = self.spellings.len() as u32;
                    self.next_id += 1;
                    let info = Arc::new(info_of(&n.surface, self.next_id));
                    for k in keys_of(&info) {
                        self.by_key.entry(k).or_default().push(id);
                    }
                    self.spellings.push(DeskSpelling {
                        info,
                        uses: Vec::new(),
                        partners: Vec::new(),
                        count: 0,
                    });
                    self.by_surface.insert(n.surface.clone(), id);
                    id
                }
            };
            let s = &mut self.spellings[id as usize];
            if s.uses.iter().any(|u| u.doc == key) {
                continue;
            }
            s.count_partners(&n.partners, true);
            s.count += n.count;
            s.uses.push(DeskUse {
                doc: key.clone(),
                written: n.written.clone(),
                count: n.count,
                first: n.spans.first().cloned().unwrap_or(0..0),
                line: n.line,
                partners: n.partners.clone(),
                full: n.full.clone(),
            });
            ids.push(id);
        }
        self.docs.insert(key, ids);
    }

    /// Where a document's name starting at `span` was first used (for related locations).
    pub fn use_of(&self, doc: &str, span: &Range<usize>) -> Option<&DeskUse> {
        self.docs.get(doc)?.iter().find_map(|&id| {
            self.spellings[id as usize]
                .uses
                .iter()
                .find(|u| &*u.doc == doc && u.first == *span)
        })
    }

    /// Desk spellings that may be variants of `info` (sharing a blocking key).
    fn candidates(&self, info: &FormInfo) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for k in keys_of(info) {
            if let Some(v) = self.by_key.get(&k) {
                // A key this common says nothing.
                if v.len() <= 64 {
                    out.extend_from_slice(v);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The `name-spelling` findings of a draft (`this`, with its names `own`) against the
    /// desk's other drafts.
    pub fn check(&self, this: &str, own: &[DraftName], settings: &Settings) -> Vec<Finding> {
        self.check_with(this, own, settings, &mut DeskMemo::default())
    }

    /// [`Desk::check`], with what an earlier check of the same draft on the same desk found
    /// for its spellings (`memo`, updated): exactly `check`'s findings, but a spelling met
    /// before is not compared with the desk again.
    pub fn check_with(
        &self,
        this: &str,
        own: &[DraftName],
        settings: &Settings,
        memo: &mut DeskMemo,
    ) -> Vec<Finding> {
        let cfg = &settings.name_spelling;
        // (A desk of this draft alone, as saved, has nothing to compare.)
        if !cfg.enabled
            || !cfg.cross_document
            || self.spellings.is_empty()
            || self.docs.keys().all(|d| &**d == this)
        {
            return Vec::new();
        }
        let norm = |s: &str| surface_of(s, &(0..s.len()));
        let accept: Vec<String> = settings.names.accept.iter().map(|s| norm(s)).collect();
        let preferred: Vec<String> = settings.names.prefer.values().map(|s| norm(s)).collect();
        let variants: Vec<String> = settings.names.prefer.keys().map(|s| norm(s)).collect();
        memo.start(self.stamp, this, cfg.fuzzy, &settings.names);
        let mut kept: HashMap<String, Remembered> = HashMap::default();
        let own_surfaces: HashSet<&str> = own.iter().map(|n| n.surface.as_str()).collect();
        let here = Here::new(self, this);
        let mut hits = Vec::new();
        for (xi, x) in own.iter().enumerate() {
            if x.grouped
                || accept.contains(&x.surface)
                || preferred.contains(&x.surface)
                || variants.contains(&x.surface)
            {
                continue;
            }
            let (key, r) = match memo.names.remove_entry(x.surface.as_str()) {
                Some((key, r)) if r.count == x.count && r.partners == x.partners => (key, r),
                _ => (
                    x.surface.clone(),
                    Remembered {
                        count: x.count,
                        partners: x.partners.clone(),
                        rivals: self.rivals(&here, x, &accept, &variants, cfg.fuzzy),
                    },
                ),
            };
            // The most used rival the draft does not write itself (the first of equals).
            let mut best: Option<Rival> = None;
            for &y in &r.rivals {
                if !own_surfaces.contains(&*self.spellings[y.id as usize].info.surface)
                    && best.is_none_or(|b| y.count > b.count)
                {
                    best = Some(y);
                }
            }
            kept.insert(key, r);
            let Some(Rival { id, count, files }) = best else {
                continue;
            };
            let files = files as usize;
            let y = &self.spellings[id as usize];
            let mut uses: Vec<&DeskUse> = y.uses.iter().filter(|u| &*u.doc != this).collect();
            uses.sort_by_key(|u| (std::cmp::Reverse(u.count), u.doc.clone()));
            let written = uses[0].written.clone();
            for span in &x.spans {
                let mut f = Finding::new(
                    CODE,
                    cfg.cross_document_severity,
                    span.clone(),
                    format!(
                        "‘{}’: the desk's other stories spell it ‘{}’ ({} time{} in {} file{})",
                        x.written,
                        written,
                        count,
                        if count == 1 { "" } else { "s" },
                        files,
                        if files == 1 { "" } else { "s" }
                    ),
                );
                for u in uses.iter().take(3) {
                    f.related.push(Related {
                        doc: Some(u.doc.to_string()),
                        span: u.first.clone(),
                        message: format!(
                            "‘{}’ in {} (line {}, {} time{})",
                            u.written,
                            file_name(&u.doc),
                            u.line,
                            u.count,
                            if u.count == 1 { "" } else { "s" }
                        ),
                    });
                }
                f.fixes = desk_fixes(span, x, &written);
                hits.push(super::desk_whole::Hit {
                    finding: f,
                    own: xi,
                    written: written.clone(),
                    count,
                    files,
                });
            }
        }
        // Only the spellings the draft still uses are remembered.
        memo.names = kept;
        // Several words of one name: one finding over the whole name.
        super::desk_whole::merge(hits, own)
    }

    /// The desk spellings (other than those accepted or known variants) that the draft's
    /// spelling `x` may be a variant of and that the other drafts use more, in candidate
    /// order. Whether the draft also writes them is left to the caller: this depends on
    /// `x`'s spelling, count and partners only (and on the desk, `this` and the settings).
    fn rivals(
        &self,
        here: &Here,
        x: &DraftName,
        accept: &[String],
        variants: &[String],
        fuzzy: bool,
    ) -> Vec<Rival> {
        let ix = info_of(&x.surface, 0);
        // Uses of this spelling on the whole desk, this draft included, and in how many
        // files.
        let (mut x_all, mut x_files) = (x.count, 1u32);
        if let Some(&id) = self.by_surface.get(&x.surface) {
            let (count, files) = here.others(self, id).0;
            x_all += count;
            x_files += files;
        }
        let ours: Vec<(&str, String)> = x
            .partners
            .iter()
            .map(|p| (p.as_str(), similar::translit(p)))
            .collect();
        let ours = ours.iter().map(|(p, t)| (*p, t.as_str()));
        let mut out = Vec::new();
        for id in self.candidates(&ix) {
            let y = &self.spellings[id as usize];
            let ys = &*y.info.surface;
            if ys == x.surface || accept.iter().any(|a| a == ys) || variants.iter().any(|v| v == ys)
            {
                continue;
            }
            let ((count, files), mine) = here.others(self, id);
            // The desk's spelling: in more files, or as many and more often.
            if count == 0 || !(files > x_files || (files == x_files && count > x_all)) {
                continue;
            }
            let theirs = y.partners_but(mine);
            if desk_difference(&ix, &y.info, ours.clone(), theirs, fuzzy).is_some() {
                out.push(Rival { id, count, files });
            }
        }
        out
    }
}

/// The checked draft on the desk: its key and the spellings it uses there, if it is on it.
struct Here<'a> {
    key: Option<&'a Arc<str>>,
    ids: HashSet<u32>,
}

impl<'a> Here<'a> {
    fn new(desk: &'a Desk, this: &str) -> Self {
        let (key, ids) = match desk.docs.get_key_value(this) {
            Some((k, ids)) => (Some(k), ids.iter().copied().collect()),
            None => (None, HashSet::default()),
        };
        Here { key, ids }
    }

    /// The uses of spelling `id` in the other drafts (count, files), and the draft's own.
    fn others(&self, desk: &'a Desk, id: u32) -> ((u32, u32), Option<&'a DeskUse>) {
        let y = &desk.spellings[id as usize];
        // (Every use of a draft shares the draft's key.)
        let mine = match self.key {
            Some(k) if self.ids.contains(&id) => y.uses.iter().find(|u| Arc::ptr_eq(&u.doc, k)),
            _ => None,
        };
        let (count, files) = (y.count, y.uses.len() as u32);
        match mine {
            Some(u) => ((count - u.count, files - 1), mine),
            None => ((count, files), None),
        }
    }
}

/// A desk spelling a draft's spelling may be a variant of: its uses in the other drafts.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rival {
    id: u32,
    count: u32,
    files: u32,
}

/// What [`Desk::check_with`] found for one draft's spellings, for the next check of the same
/// draft (a server keeps one per open document, so a keystroke that changes no name compares
/// no name with the desk). It holds for one desk state, one draft and one set of house names
/// and fuzziness; checking with any other starts it afresh.
#[derive(Debug, Default)]
pub struct DeskMemo {
    /// (desk stamp, draft, fuzzy, house names) the spellings were compared for.
    made_for: Option<(u64, String, bool, HouseNames)>,
    /// Spelling → what its comparison with the desk found.
    names: HashMap<String, Remembered>,
}

#[derive(Debug)]
struct Remembered {
    /// The spelling's count and partners it was compared with (the rest of the key).
    count: u32,
    partners: Vec<String>,
    rivals: Vec<Rival>,
}

impl DeskMemo {
    /// Keep what was found if it was found for this desk, draft and settings; else forget.
    fn start(&mut self, stamp: u64, this: &str, fuzzy: bool, names: &HouseNames) {
        let same = self
            .made_for
            .as_ref()
            .is_some_and(|(s, t, f, n)| *s == stamp && t == this && *f == fuzzy && n == names);
        if !same {
            self.names.clear();
            self.made_for = Some((stamp, this.to_string(), fuzzy, names.clone()));
        }
    }
}

/// The last part of a document key (a path or URI).
pub fn file_name(doc: &str) -> &str {
    doc.rsplit(['/', '\\']).next().unwrap_or(doc)
}

/// How a draft's spelling `x` (used with `partners`) differs from a desk spelling `y` (with
/// its `uses`), if they look like one person's name: equal but for case, accents or
/// separators, or — with the same (or a similar) partner name on both sides — a small
/// name-like edit. `None` for two people.
fn desk_difference<'a, 'b>(
    ix: &FormInfo,
    iy: &FormInfo,
    partners: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    theirs: impl Iterator<Item = (&'b str, &'b str)> + Clone,
    fuzzy: bool,
) -> Option<Difference> {
    if similar::gendered_pair(&ix.fold, &iy.fold) {
        return None;
    }
    let equal = ix.fold == iy.fold;
    // (What a small edit needs, before the partners: cheaper.)
    if !equal
        && (!fuzzy
            || ix.fold.len().abs_diff(iy.fold.len()) > 3
            || ix.fold.len() < 4
            || iy.fold.len() < 4)
    {
        return None;
    }
    // Across stories a bare surname proves nothing (San Jose / José Mourinho, Best British
    // Male / Malé): the same (or a similar) given name or other name word on both sides.
    let same_partner = partners
        .clone()
        .any(|(p, _)| theirs.clone().any(|(q, _)| p == q))
        || partners.filter(|(p, _)| p.len() >= 4).any(|(p, tp)| {
            theirs.clone().filter(|(q, _)| q.len() >= 4).any(|(q, tq)| {
                similar::edit_match_with(p, q, tp, tq).is_some_and(|m| m.within(false))
            })
        });
    if !same_partner {
        return None;
    }
    if equal {
        return fold_equal_difference(&ix.surface, &iy.surface);
    }
    let pm = info_match(ix, iy)?;
    pm.strong
        .filter(|m| m.within(true))
        .map(|_| Difference::Spelling)
}

/// The fixes of a desk finding.
fn desk_fixes(span: &Range<usize>, x: &DraftName, written: &str) -> Vec<Fix> {
    let mut out = vec![
        Fix::new(
            format!("Change to ‘{written}’"),
            vec![crate::analysis::Edit {
                span: span.clone(),
                replacement: written.to_string(),
            }],
        )
        .preferred(),
    ];
    if x.spans.len() > 1 {
        out.push(Fix::new(
            format!(
                "Change all {} ‘{}’ in this draft to ‘{written}’",
                x.spans.len(),
                x.written
            ),
            x.spans
                .iter()
                .map(|s| crate::analysis::Edit {
                    span: s.clone(),
                    replacement: written.to_string(),
                })
                .collect(),
        ));
    }
    let mut accept = Fix::new(
        format!("Accept ‘{}’ as this desk's spelling", x.written),
        Vec::new(),
    );
    accept.settings_change = Some(SettingsChange::PreferName {
        variant: written.to_string(),
        preferred: x.written.clone(),
    });
    out.push(accept);
    out
}

/// One name on the desk's style sheet.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SheetEntry {
    /// The full name as the desk writes it most often (else the canonical spelling).
    pub name: String,
    /// The chosen spelling: the house style's, else the desk's most frequent.
    pub canonical: String,
    pub house_style: bool,
    /// Canonical first, then by count.
    pub spellings: Vec<SheetSpelling>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SheetSpelling {
    pub text: String,
    pub count: u32,
    pub files: Vec<String>,
    pub canonical: bool,
}

impl Desk {
    /// Every name on the desk with its spellings (variants grouped as [`Desk::check`] would
    /// group them), names with several spellings first, then alphabetically.
    pub fn style_sheet(&self, settings: &Settings) -> Vec<SheetEntry> {
        let norm = |s: &str| surface_of(s, &(0..s.len()));
        let preferred: Vec<String> = settings.names.prefer.values().map(|s| norm(s)).collect();
        let accept: Vec<String> = settings.names.accept.iter().map(|s| norm(s)).collect();
        let live: Vec<u32> = (0..self.spellings.len() as u32)
            .filter(|&i| !self.spellings[i as usize].uses.is_empty())
            .collect();
        let total = |i: u32| -> u32 {
            self.spellings[i as usize]
                .uses
                .iter()
                .map(|u| u.count)
                .sum()
        };
        // Union-find over variant pairs.
        let mut parent: Vec<u32> = (0..self.spellings.len() as u32).collect();
        fn find(p: &mut [u32], mut x: u32) -> u32 {
            while p[x as usize] != x {
                p[x as usize] = p[p[x as usize] as usize];
                x = p[x as usize];
            }
            x
        }
        for &x in &live {
            let sx = &self.spellings[x as usize];
            if accept.contains(&sx.info.surface.to_string()) {
                continue;
            }
            for y in self.candidates(&sx.info) {
                if y <= x || self.spellings[y as usize].uses.is_empty() {
                    continue;
                }
                let sy = &self.spellings[y as usize];
                if accept.contains(&sy.info.surface.to_string()) {
                    continue;
                }
                if desk_difference(
                    &sx.info,
                    &sy.info,
                    sx.all_partners(),
                    sy.all_partners(),
                    settings.name_spelling.fuzzy,
                )
                .is_some()
                {
                    let (a, b) = (find(&mut parent, x), find(&mut parent, y));
                    if a != b {
                        parent[b as usize] = a;
                    }
                }
            }
        }
        let mut groups: HashMap<u32, Vec<u32>> = HashMap::default();
        for &i in &live {
            let r = find(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        let mut out: Vec<SheetEntry> = groups
            .into_values()
            .map(|mut members| {
                members.sort_by_key(|&i| {
                    (
                        !preferred.contains(&self.spellings[i as usize].info.surface.to_string()),
                        std::cmp::Reverse(total(i)),
                        self.spellings[i as usize].info.surface.clone(),
                    )
                });
                let canon = &self.spellings[members[0] as usize];
                let house_style = preferred.contains(&canon.info.surface.to_string());
                let spellings: Vec<SheetSpelling> = members
                    .iter()
                    .enumerate()
                    .map(|(k, &i)| {
                        let s = &self.spellings[i as usize];
                        let mut files: Vec<String> =
                            s.uses.iter().map(|u| u.doc.to_string()).collect();
                        files.sort();
                        let mut written: Vec<(&str, u32)> = Vec::new();
                        for u in &s.uses {
                            match written.iter_mut().find(|w| w.0 == u.written) {
                                Some(w) => w.1 += u.count,
                                None => written.push((&u.written, u.count)),
                            }
                        }
                        let text = written
                            .iter()
                            .max_by_key(|w| w.1)
                            .map(|w| w.0.to_string())
                            .unwrap_or_else(|| s.info.surface.to_string());
                        SheetSpelling {
                            text,
                            count: total(i),
                            files,
                            canonical: k == 0,
                        }
                    })
                    .collect();
                let mut fulls: Vec<(&str, u32)> = Vec::new();
                for u in &canon.uses {
                    if let Some(f) = &u.full {
                        match fulls.iter_mut().find(|w| w.0 == f) {
                            Some(w) => w.1 += u.count,
                            None => fulls.push((f, u.count)),
                        }
                    }
                }
                fulls.sort_by_key(|w| (std::cmp::Reverse(w.1), w.0));
                SheetEntry {
                    name: fulls
                        .first()
                        .map(|w| w.0.to_string())
                        .unwrap_or_else(|| spellings[0].text.clone()),
                    canonical: spellings[0].text.clone(),
                    house_style,
                    spellings,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (b.spellings.len() > 1)
                .cmp(&(a.spellings.len() > 1))
                .then_with(|| extract::lower(&a.name).cmp(&extract::lower(&b.name)))
        });
        out
    }
}

#[cfg(test)]
#[path = "desk_tests.rs"]
mod tests;
