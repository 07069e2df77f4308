//! Which paragraphs of a document are near-duplicates of which, kept up to date across edits.
//!
//! The relation is between distinct paragraph *contents* (identified by their comparison key):
//! two contents are near-duplicates when their word-bigram Dice similarity reaches the
//! threshold and enough of what they share is *distinctive* — bigrams that at most
//! [`MAX_POSTING`] contents of the document contain ("of the", "said that" are not evidence):
//! at least half of the shared bigrams the threshold asks for. The second condition is what
//! keeps the search linear: most contents that share a bigram or two are never compared.
//! The relation depends only on the set of contents, not on their order or on how the document
//! got there, so [`NearIndex::update`] after an edit gives exactly what building it afresh gives:
//! adding or removing a content updates its own pairs, and a bigram that crosses the
//! distinctiveness limit re-examines the pairs of the contents that contain it.

use super::ParagraphKey;
use crate::analysis::normalize::Prehashed;
use smallvec::SmallVec;
use std::collections::HashMap;
use std::sync::Arc;

/// A bigram in more contents than this says nothing about which paragraph copies which.
pub const MAX_POSTING: usize = 48;

#[derive(Debug)]
struct Content {
    shingles: Arc<[u64]>,
    /// Near-duplicate contents and the similarity.
    near: Vec<(u64, f64)>,
}

/// The near-duplicate relation over the contents present in a document.
#[derive(Debug, Default)]
pub struct NearIndex {
    threshold: f64,
    contents: HashMap<u64, Content, Prehashed>,
    /// Bigram → contents containing it.
    /// Most bigrams occur in one content: their list lives inline.
    postings: HashMap<u64, SmallVec<[u64; 1]>, Prehashed>,
    /// Scratch for counting shared bigrams (kept to reuse its memory).
    counts: HashMap<u64, usize, Prehashed>,
}

/// Dice coefficient of two sorted sets.
pub fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

impl NearIndex {
    /// Bring the index to the contents of `keys` that take part in the near search (at least
    /// `near_min_words` words). A change of threshold starts afresh.
    pub fn update(&mut self, keys: &[ParagraphKey], threshold: f64, near_min_words: usize) {
        if self.threshold != threshold {
            *self = NearIndex {
                threshold,
                ..Default::default()
            };
        }
        if threshold >= 1.0 {
            return;
        }
        let mut now: HashMap<u64, &Arc<[u64]>, Prehashed> = HashMap::default();
        for k in keys.iter().filter(|k| k.words >= near_min_words) {
            now.entry(k.key).or_insert(&k.shingles);
        }
        let gone: Vec<u64> = self
            .contents
            .keys()
            .filter(|c| !now.contains_key(c))
            .copied()
            .collect();
        for c in gone {
            self.remove(c);
        }
        let mut new: Vec<(u64, &Arc<[u64]>)> = now
            .into_iter()
            .filter(|(c, _)| !self.contents.contains_key(c))
            .collect();
        self.postings
            .reserve(new.iter().map(|(_, s)| s.len()).sum::<usize>());
        self.contents.reserve(new.len());
        // Any order gives the same relation; sorted keeps runs reproducible.
        new.sort_unstable_by_key(|(c, _)| *c);
        for (c, s) in new {
            self.add(c, s.clone());
        }
        // Don't keep the tables of a huge paste after it is gone.
        if self.postings.capacity() > 4 * self.postings.len().max(1024) {
            self.postings.shrink_to_fit();
            self.contents.shrink_to_fit();
        }
    }

    /// The near-duplicates of a content.
    pub fn near(&self, content: u64) -> &[(u64, f64)] {
        self.contents.get(&content).map_or(&[], |c| &c.near)
    }

    fn distinctive(&self, g: u64) -> bool {
        self.postings
            .get(&g)
            .is_some_and(|p| p.len() <= MAX_POSTING)
    }

    fn shared_distinctive(&self, a: &[u64], b: &[u64]) -> usize {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if self.distinctive(a[i]) {
                        n += 1;
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// Enough distinctive evidence for contents with `a` and `b` bigrams sharing `shared`
    /// distinctive ones.
    fn enough(&self, shared: usize, a: usize, b: usize) -> bool {
        shared > 0 && shared as f64 >= 0.25 * self.threshold * (a + b) as f64
    }

    /// The similarity of two contents if they are near-duplicates.
    fn qualifies(&self, x: u64, y: u64) -> Option<f64> {
        let (sx, sy) = (&self.contents[&x].shingles, &self.contents[&y].shingles);
        if !self.enough(self.shared_distinctive(sx, sy), sx.len(), sy.len()) {
            return None;
        }
        let sim = dice(sx, sy);
        (sim >= self.threshold).then_some(sim)
    }

    fn link(&mut self, a: u64, b: u64, sim: f64) {
        if let Some(c) = self.contents.get_mut(&a)
            && !c.near.iter().any(|(x, _)| *x == b)
        {
            c.near.push((b, sim));
        }
        if let Some(c) = self.contents.get_mut(&b)
            && !c.near.iter().any(|(x, _)| *x == a)
        {
            c.near.push((a, sim));
        }
    }

    fn unlink(&mut self, a: u64, b: u64) {
        if let Some(c) = self.contents.get_mut(&a) {
            c.near.retain(|(x, _)| *x != b);
        }
        if let Some(c) = self.contents.get_mut(&b) {
            c.near.retain(|(x, _)| *x != a);
        }
    }

    fn add(&mut self, c: u64, shingles: Arc<[u64]>) {
        let mut crossed = Vec::new();
        for &g in shingles.iter() {
            let p = self.postings.entry(g).or_default();
            p.push(c);
            if p.len() == MAX_POSTING + 1 {
                crossed.push(g);
            }
        }
        self.contents.insert(
            c,
            Content {
                shingles: shingles.clone(),
                near: Vec::new(),
            },
        );
        // Bigrams no longer distinctive: pairs that relied on them alone come apart.
        for g in crossed {
            let holders: Vec<u64> = self.postings[&g].to_vec();
            for x in holders {
                let pairs: Vec<u64> = self.contents[&x].near.iter().map(|(y, _)| *y).collect();
                for y in pairs {
                    if self.contents[&y].shingles.binary_search(&g).is_ok()
                        && self.qualifies(x, y).is_none()
                    {
                        self.unlink(x, y);
                    }
                }
            }
        }
        // The new content's own pairs: count shared distinctive bigrams, compare the few
        // contents with enough of them.
        let mut counts = std::mem::take(&mut self.counts);
        counts.clear();
        for &g in shingles.iter() {
            let Some(p) = self.postings.get(&g) else {
                continue;
            };
            if p.len() > MAX_POSTING {
                continue;
            }
            for &y in p {
                if y != c {
                    *counts.entry(y).or_default() += 1;
                }
            }
        }
        let mut found = Vec::new();
        for (&y, &shared) in &counts {
            let sy = &self.contents[&y].shingles;
            if self.enough(shared, shingles.len(), sy.len()) {
                let sim = dice(&shingles, sy);
                if sim >= self.threshold {
                    found.push((y, sim));
                }
            }
        }
        self.counts = counts;
        for (y, sim) in found {
            self.link(c, y, sim);
        }
    }

    fn remove(&mut self, c: u64) {
        let Some(content) = self.contents.remove(&c) else {
            return;
        };
        for (y, _) in &content.near {
            if let Some(other) = self.contents.get_mut(y) {
                other.near.retain(|(x, _)| *x != c);
            }
        }
        let mut crossed = Vec::new();
        for &g in content.shingles.iter() {
            if let Some(p) = self.postings.get_mut(&g) {
                p.retain(|x| *x != c);
                if p.is_empty() {
                    self.postings.remove(&g);
                } else if p.len() == MAX_POSTING {
                    crossed.push(g);
                }
            }
        }
        // Bigrams distinctive again: their holders may now pair up.
        for g in crossed {
            let holders: Vec<u64> = self.postings[&g].to_vec();
            for (i, &x) in holders.iter().enumerate() {
                for &y in &holders[i + 1..] {
                    if self.contents[&x].near.iter().any(|(z, _)| *z == y) {
                        continue;
                    }
                    if let Some(sim) = self.qualifies(x, y) {
                        self.link(x, y, sim);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A paragraph key; the comparison key identifies the words, so it is derived from the
    /// bigrams (and `salt`, for contents with the same bigrams but different words).
    fn key(salt: u64, shingles: &[u64]) -> ParagraphKey {
        let mut s = shingles.to_vec();
        s.sort_unstable();
        s.dedup();
        let bytes: Vec<u8> = s.iter().flat_map(|x| x.to_le_bytes()).collect();
        let id = crate::analysis::cache::content_hash(&[&salt.to_le_bytes(), &bytes]);
        ParagraphKey {
            span: 0..1,
            line: 1,
            key: id,
            shingles: s.into(),
            words: 99,
        }
    }

    fn relation(ix: &NearIndex) -> Vec<(u64, u64, u64)> {
        let mut v: Vec<(u64, u64, u64)> = ix
            .contents
            .iter()
            .flat_map(|(a, c)| c.near.iter().map(move |(b, s)| (*a, *b, (s * 1e6) as u64)))
            .collect();
        v.sort_unstable();
        v
    }

    /// Contents over a small alphabet of bigrams, with a few "common" bigrams many contain.
    fn contents() -> impl Strategy<Value = Vec<ParagraphKey>> {
        let shared_rare = prop::collection::vec(100u64..130, 1..8);
        // One bigram of its own: such contents pair up through common bigrams alone.
        let own = (1000u64..1_000_000).prop_map(|x| vec![x]);
        prop::collection::vec(
            (
                0u64..30,
                prop::collection::vec(0u64..2, 1..3),
                prop_oneof![shared_rare, own],
            ),
            30..90,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(salt, common, rare)| {
                    let all: Vec<u64> = common.into_iter().chain(rare).collect();
                    key(salt % 3, &all)
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Updating from any earlier state gives the relation built afresh.
        #[test]
        fn updating_equals_building_afresh(a in contents(), b in contents(), c in contents()) {
            let mut inc = NearIndex::default();
            for step in [&a, &b, &c] {
                inc.update(step, 0.5, 1);
                let mut fresh = NearIndex::default();
                fresh.update(step, 0.5, 1);
                prop_assert_eq!(relation(&inc), relation(&fresh));
            }
        }
    }

    #[test]
    fn a_bigram_in_too_many_contents_is_no_evidence() {
        // 60 contents share bigram 1; two of them also share only bigram 1 with each other.
        let mut keys: Vec<ParagraphKey> = (0..60).map(|i| key(i, &[1, 1000 + i])).collect();
        let mut ix = NearIndex::default();
        ix.update(&keys, 0.5, 1);
        assert!(
            ix.near(keys[0].key).is_empty(),
            "{:?}",
            ix.near(keys[0].key)
        );
        // Fewer holders: bigram 1 is distinctive again and every pair is similar (0.5).
        keys.truncate(MAX_POSTING);
        ix.update(&keys, 0.5, 1);
        assert_eq!(ix.near(keys[0].key).len(), MAX_POSTING - 1);
    }
}
