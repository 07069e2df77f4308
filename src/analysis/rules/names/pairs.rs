//! The pairs of word forms that may be one name: same fold, then close spellings in
//! buckets of blocking keys, kept only when nothing says they are two people.

use super::*;

impl NameAnalysis {
    /// For each word form, a number shared by exactly the forms with the same fold.
    pub(super) fn fold_ids(&self, infos: &[Arc<FormInfo>]) -> Vec<u32> {
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
    pub(super) fn fold_pairs(&self, fold_id: &[u32]) -> Vec<Pair> {
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
    pub(super) fn cached_candidates(
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
    pub(super) fn fuzzy_candidates(
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
    pub(super) fn fuzzy_pairs(
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
    pub(super) fn keep_pairs(
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

    /// Who each word form is used for: its partners, whether it stands alone or ends a name.
    pub(super) fn profiles(&self, fold_id: &[u32]) -> Profiles {
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
}

/// A blocking key as a number: short keys exactly (bytes and length), longer ones hashed.
pub(super) fn key_of(bytes: &[u8]) -> u64 {
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
pub(super) fn skeleton_keys(
    main: &[u8],
    alt: &[u8],
    letters: usize,
    k: &mut Vec<u8>,
    out: &mut Vec<u64>,
) {
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

/// What the company a spelling keeps says about two spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Evidence {
    /// Each comes with its own, unrelated partner names (Jon Stewart / John Kerry), or one
    /// only stands alone and the other is only ever the first part of a longer name
    /// (Colombia / Columbia University).
    Different,
    /// Nothing against one person (a surname alone, and the same surname ending a full name).
    Possible,
    /// The same or a similar partner name (Siobhán Kelly / Siobhan Kelly).
    SamePartner,
}

pub(super) fn compatible(
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
