//! Values kept between analyses, keyed by content hashes: [`ParaCache`] (collected by epoch),
//! [`RuleMemo`] (a rule's typed state) and [`content_hash`]. Generic: no analysis types.

use std::any::Any;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// One rule's state between analyses of one document: any `Default + Send` type the rule
/// likes (usually a struct of [`ParaCache`]s).
#[derive(Default)]
pub struct RuleMemo(Option<Box<dyn Any + Send>>);

impl RuleMemo {
    /// The rule's state, created on first use (or when the rule asks for another type).
    pub fn get<T: Default + Send + 'static>(&mut self) -> &mut T {
        if !self.0.as_ref().is_some_and(|b| b.is::<T>()) {
            self.0 = Some(Box::new(T::default()));
        }
        self.0
            .as_mut()
            .and_then(|b| b.downcast_mut::<T>())
            .expect("just stored a T")
    }

    /// Drop everything (after a panic the state may be half-updated).
    pub fn clear(&mut self) {
        self.0 = None;
    }
}

/// Values keyed by a content hash that keep only what the latest analysis used.
///
/// Call [`ParaCache::begin`] at the start of an analysis, look values up with
/// [`ParaCache::get_or_insert_with`], and [`ParaCache::end`] at the end: entries the analysis
/// did not touch are dropped, so the cache never holds more than one version's worth.
#[derive(Debug)]
pub struct ParaCache<T> {
    map: HashMap<u64, (u32, T), BuildHasherDefault<KeyHasher>>,
    epoch: u32,
    hits: usize,
    misses: usize,
}

impl<T> Default for ParaCache<T> {
    fn default() -> Self {
        ParaCache {
            map: HashMap::default(),
            epoch: 0,
            hits: 0,
            misses: 0,
        }
    }
}

impl<T> ParaCache<T> {
    pub fn begin(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
        self.hits = 0;
        self.misses = 0;
    }

    pub fn get_or_insert_with(&mut self, key: u64, make: impl FnOnce() -> T) -> &T {
        let epoch = self.epoch;
        let mut missed = false;
        let e = self.map.entry(key).or_insert_with(|| {
            missed = true;
            (epoch, make())
        });
        e.0 = epoch;
        if missed {
            self.misses += 1;
        } else {
            self.hits += 1;
        }
        &e.1
    }

    /// A value without computing it (marks it used).
    pub fn get(&mut self, key: u64) -> Option<&T> {
        let epoch = self.epoch;
        let found = self.map.get_mut(&key).map(|e| {
            e.0 = epoch;
            &e.1
        });
        if found.is_some() {
            self.hits += 1;
        }
        found
    }

    /// Store a value computed after [`ParaCache::get`] missed.
    pub fn insert(&mut self, key: u64, value: T) {
        self.misses += 1;
        self.map.insert(key, (self.epoch, value));
    }

    /// Is there a value for `key`? (Marks it used, like [`ParaCache::get`].)
    pub fn has(&mut self, key: u64) -> bool {
        self.get(key).is_some()
    }

    /// Compute and store the values of `missing` keys, each from its item; on several threads
    /// when `bytes` (the size of the input behind them) is large, as on opening a big document.
    pub fn fill<I: Sync>(
        &mut self,
        missing: Vec<(u64, I)>,
        bytes: usize,
        make: impl Fn(&I) -> T + Sync,
    ) where
        T: Send,
    {
        let threads = cores().min(4);
        if bytes < PARALLEL_FILL_BYTES || threads < 2 || missing.len() < 2 {
            for (k, item) in missing {
                let v = make(&item);
                self.insert(k, v);
            }
            return;
        }
        let per = missing.len().div_ceil(threads);
        let make = &make;
        let made: Vec<(u64, T)> = std::thread::scope(|s| {
            let handles: Vec<_> = missing
                .chunks(per)
                .map(|part| {
                    s.spawn(move || part.iter().map(|(k, i)| (*k, make(i))).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        for (k, v) in made {
            self.insert(k, v);
        }
    }

    /// Drop entries not used since [`ParaCache::begin`].
    pub fn end(&mut self) {
        let epoch = self.epoch;
        self.map.retain(|_, e| e.0 == epoch);
        // Give memory back after a big paste is deleted.
        if self.map.capacity() > 64 && self.map.capacity() > 4 * self.map.len() {
            self.map.shrink_to_fit();
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// (hits, misses) since [`ParaCache::begin`].
    pub fn stats(&self) -> (usize, usize) {
        (self.hits, self.misses)
    }
}

/// [`ParaCache::fill`] uses several threads from this much input on.
pub const PARALLEL_FILL_BYTES: usize = 256 * 1024;

/// Keys are already good hashes: use them as they are.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A 64-bit content hash (xxh3) of some byte strings.
pub fn content_hash(parts: &[&[u8]]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest()
}

/// The processors this process may use, asked once (`available_parallelism` reads cgroup
/// files each call: a cost on every keystroke).
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_keeps_only_what_the_last_run_used() {
        let mut c: ParaCache<String> = ParaCache::default();
        c.begin();
        c.get_or_insert_with(1, || "one".into());
        c.get_or_insert_with(2, || "two".into());
        c.end();
        c.begin();
        let mut made = false;
        c.get_or_insert_with(1, || {
            made = true;
            "uno".into()
        });
        assert!(!made, "a cached value is reused");
        assert_eq!(c.stats(), (1, 0));
        c.end();
        assert_eq!(c.len(), 1);
        assert!(c.get(2).is_none());
    }

    #[test]
    fn rule_memo_hands_out_typed_state() {
        let mut m = RuleMemo::default();
        *m.get::<u32>() += 5;
        assert_eq!(*m.get::<u32>(), 5);
        // Another type replaces it.
        assert_eq!(m.get::<String>().as_str(), "");
    }

    #[test]
    fn content_hash_separates_parts() {
        assert_ne!(content_hash(&[b"ab", b"c"]), content_hash(&[b"a", b"bc"]));
        assert_eq!(content_hash(&[b"abc"]), content_hash(&[b"abc"]));
    }
}
