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
//! - [`Desk::style_sheet`]: every name with its spellings across the desk (`copydesk names`).

use super::{
    CODE, Difference, FormInfo, FormScratch, HashMap, Kind, NO_FORM, NameAnalysis, extract,
    fold_equal_difference, info_match, similar, surface_of,
};
use crate::analysis::{Document, Finding, Fix, Related, SettingsChange};
use crate::config::Settings;
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
}

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
        if let Some(old) = self.docs.remove(doc) {
            for id in old {
                self.spellings[id as usize].uses.retain(|u| &*u.doc != doc);
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
                    });
                    self.by_surface.insert(n.surface.clone(), id);
                    id
                }
            };
            let uses = &mut self.spellings[id as usize].uses;
            if uses.iter().any(|u| u.doc == key) {
                continue;
            }
            uses.push(DeskUse {
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
        let own_surfaces: std::collections::HashSet<&str> =
            own.iter().map(|n| n.surface.as_str()).collect();
        let mut hits = Vec::new();
        for (xi, x) in own.iter().enumerate() {
            if x.grouped
                || accept.contains(&x.surface)
                || preferred.contains(&x.surface)
                || variants.contains(&x.surface)
            {
                continue;
            }
            let ix = info_of(&x.surface, 0);
            // Uses of this spelling on the whole desk, this draft included, and in how
            // many files.
            let (mut x_all, mut x_files) = (x.count, 1u32);
            if let Some(&id) = self.by_surface.get(&x.surface) {
                for u in &self.spellings[id as usize].uses {
                    if &*u.doc != this {
                        x_all += u.count;
                        x_files += 1;
                    }
                }
            }
            let mut best: Option<(u32, usize, u32, Difference)> = None;
            for id in self.candidates(&ix) {
                let y = &self.spellings[id as usize];
                let ys = &*y.info.surface;
                if ys == x.surface
                    || own_surfaces.contains(ys)
                    || accept.iter().any(|a| a == ys)
                    || variants.iter().any(|v| v == ys)
                {
                    continue;
                }
                let uses: Vec<&DeskUse> = y.uses.iter().filter(|u| &*u.doc != this).collect();
                let count: u32 = uses.iter().map(|u| u.count).sum();
                // The desk's spelling: in more files, or as many and more often.
                let files = uses.len() as u32;
                if count == 0 || !(files > x_files || (files == x_files && count > x_all)) {
                    continue;
                }
                let Some(diff) = desk_difference(&ix, &y.info, &x.partners, &uses, cfg.fuzzy)
                else {
                    continue;
                };
                if best.is_none_or(|b| count > b.0) {
                    best = Some((count, uses.len(), id, diff));
                }
            }
            let Some((count, files, id, _diff)) = best else {
                continue;
            };
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
        // Several words of one name: one finding over the whole name.
        super::desk_whole::merge(hits, own)
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
fn desk_difference(
    ix: &FormInfo,
    iy: &FormInfo,
    partners: &[String],
    uses: &[&DeskUse],
    fuzzy: bool,
) -> Option<Difference> {
    if similar::gendered_pair(&ix.fold, &iy.fold) {
        return None;
    }
    let theirs: Vec<&str> = {
        let mut v: Vec<&str> = uses
            .iter()
            .flat_map(|u| u.partners.iter().map(|p| p.as_str()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let same_partner = partners.iter().any(|p| {
        theirs.iter().any(|q| {
            *p == *q || {
                let (tp, tq) = (similar::translit(p), similar::translit(q));
                p.len() >= 4
                    && q.len() >= 4
                    && similar::edit_match_with(p, q, &tp, &tq).is_some_and(|m| m.within(false))
            }
        })
    });
    // Across stories a bare surname proves nothing (San Jose / José Mourinho, Best British
    // Male / Malé): the same (or a similar) given name or other name word on both sides.
    if !same_partner {
        return None;
    }
    if ix.fold == iy.fold {
        return fold_equal_difference(&ix.surface, &iy.surface);
    }
    if !fuzzy {
        return None;
    }
    if ix.fold.len().abs_diff(iy.fold.len()) > 3 || ix.fold.len() < 4 || iy.fold.len() < 4 {
        return None;
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
            let partners: Vec<String> = {
                let mut v: Vec<String> = sx.uses.iter().flat_map(|u| u.partners.clone()).collect();
                v.sort();
                v.dedup();
                v
            };
            for y in self.candidates(&sx.info) {
                if y <= x || self.spellings[y as usize].uses.is_empty() {
                    continue;
                }
                let sy = &self.spellings[y as usize];
                if accept.contains(&sy.info.surface.to_string()) {
                    continue;
                }
                let uses: Vec<&DeskUse> = sy.uses.iter().collect();
                if desk_difference(
                    &sx.info,
                    &sy.info,
                    &partners,
                    &uses,
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
