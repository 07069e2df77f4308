//! Multi-word forms: names written joined or apart (`Shangri La` / `Shangri-La`) and
//! multi-word names compared as wholes (`New People's Party`).

use super::*;

impl NameAnalysis {
    /// `Shangri La` / `Shangri-La`, `Gholam Reza` / `Gholamreza`, `Abu Marzuk` / `Abu-Marzuq`.
    pub(super) fn joined_forms(
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
    pub(super) fn phrase_forms(
        &self,
        text: &str,
        accept: &HashSet<String>,
        infos: &[Arc<FormInfo>],
    ) -> Added {
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
                    // "Saturday Night" and "Saturday night": a day or a month with a common
                    // noun, capitalised by mistake once, is no name written two ways.
                    let calendar = words[s..end].iter().all(|w| {
                        crate::analysis::lang::lexicon::with_lower(&text[w.span.clone()], |l| {
                            crate::analysis::lang::lexicon::is_time_word(l)
                        })
                    });
                    if words[s].initial
                        || calendar
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
    pub(super) fn attach(&mut self, added: Added, edges: &mut Vec<Vec<Edge>>) {
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
}
