//! The house style (`[names] prefer`) and the document's lowercase words.

use super::*;

/// The house style's variants found in the text, in order.
pub(super) fn prefer_hits(house: &House, ex: &Extract, doc: &Document) -> Vec<PreferHit> {
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

impl Lowercase<'_> {
    /// For each [`extract::word_hash`] of a lowercase text: is it an ordinary word here?
    pub(super) fn has(&mut self, queries: &[u64]) -> Vec<bool> {
        let answers = match self.counts {
            Some(c) => queries.iter().map(|&q| c.contains(q)).collect(),
            None => self.ex.lowercase_has(queries),
        };
        self.asked.extend_from_slice(queries);
        self.answers.extend_from_slice(&answers);
        answers
    }
}

impl LowerCounts {
    pub(super) fn update(&mut self, paras: &[(usize, u64, Arc<extract::ParaWords>)]) {
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

    pub(super) fn contains(&self, h: u64) -> bool {
        self.counts.contains_key(&h)
    }
}

impl<'s> House<'s> {
    pub(super) fn new(settings: &'s Settings) -> Self {
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
    pub(super) fn variant_words(&self) -> Vec<Vec<String>> {
        self.variants
            .iter()
            .map(|(v, _)| v.split(' ').map(String::from).collect())
            .collect()
    }
}
