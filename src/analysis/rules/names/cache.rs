//! Per-spelling facts kept between analyses (folds, transliterations, blocking keys) and
//! the verdicts on pairs of spellings.

use super::*;

impl FormInfo {
    pub(super) fn new(surface: &str, id: u64, scratch: &mut FormScratch) -> Self {
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

impl FormCache {
    pub(super) fn begin(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }

    /// The [`FormInfo`] of each spelling (many new ones are computed on two threads).
    pub(super) fn get_all<S: AsRef<str> + Sync>(&mut self, surfaces: &[S]) -> Vec<Arc<FormInfo>> {
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
        let made: Vec<Arc<FormInfo>> =
            if missing.len() >= PARALLEL_FORMS && crate::analysis::cache::cores() > 1 {
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

    pub(super) fn end(&mut self) {
        let epoch = self.epoch;
        self.map.retain(|_, e| e.0 == epoch);
    }
}

impl PairCache {
    pub(super) fn begin(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }

    /// The match of two word forms, if they may be one name at all.
    pub(super) fn get(
        &mut self,
        fx: &Form,
        fy: &Form,
        ix: &FormInfo,
        iy: &FormInfo,
    ) -> Option<PairMatch> {
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

    pub(super) fn end(&mut self) {
        let epoch = self.epoch;
        self.map.retain(|_, e| e.0 == epoch);
    }
}

impl Block {
    pub(super) fn of(i: &FormInfo) -> Self {
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
    pub(super) fn plausible_start(&self, other: &Block) -> bool {
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
pub(super) fn may_match(bx: &Block, by: &Block) -> Option<bool> {
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
pub(super) fn pair_match(fx: &Form, fy: &Form, ix: &FormInfo, iy: &FormInfo) -> Option<PairMatch> {
    debug_assert!(fx.surface == ix.surface && fy.surface == iy.surface);
    info_match(ix, iy)
}

/// [`pair_match`] of two spellings' comparison keys.
pub(super) fn info_match(ix: &FormInfo, iy: &FormInfo) -> Option<PairMatch> {
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
