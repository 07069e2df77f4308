//! Words and name mentions in a document's prose.
//!
//! A *mention* is a run of capitalised words (with particles such as `van`, `bin`, `de` and
//! initials such as `W.`) separated only by spaces. Titles (`Mr.`, `President`, `Defense
//! Secretary`), acronyms and sentence-opening function words are kept out of the name itself.
//! Every word knows whether it opens a sentence (or sits in a title-case headline), because a
//! capitalised word there says nothing about whether it is a name.

mod paragraph;

pub use paragraph::*;

use crate::analysis::lang::lists;
use crate::analysis::{BlockKind, Document, ParaCache};
use std::collections::HashMap as StdHashMap;
use std::hash::Hasher;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// FNV-1a: the name analysis hashes short keys (words, skeletons) and needs no protection
/// from adversarial hashing, so a simple fast hash beats SipHash.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// What a word is, for name purposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A capitalised word that may be (part of) a name.
    Name,
    /// A lowercase name particle: `van`, `bin`, `de`, `al` …
    Particle,
    /// A title or honorific: `Mr`, `President`, `Minister` …
    Title,
    /// A single capital letter (`W.` in George W. Bush).
    Initial,
    /// Two or more capitals and no lowercase letter: `NASA`, `U.S`, a dateline `TRIPOLI`.
    Acronym,
    /// A capitalised function word: `The`, `In`, `However` …
    Function,
    /// Any other lowercase word.
    Lower,
    /// Contains digits or other non-letters.
    Other,
}

#[derive(Clone, Debug)]
pub struct Word {
    /// The word without a possessive `’s`.
    pub span: Range<usize>,
    pub kind: Kind,
    pub possessive: bool,
    /// Opens a sentence, or sits in a title-case headline: its capital letter proves nothing.
    pub initial: bool,
    /// Separated from the previous word of the paragraph by whitespace only.
    pub plain_gap: bool,
    /// Index of the paragraph it belongs to.
    pub para: usize,
    /// In a title-case block (headline): case says nothing here at all.
    pub title_case: bool,
    /// [`lower_hash`] of the word, for name words and possible lowercase tails (else 0).
    pub lh: u64,
    /// A lowercase word that may end a name written with a lowercase tail ("Republican
    /// party"): three letters or more, neither a title nor a function word.
    pub tail: bool,
    /// An indefinite determiner ("a", "any", "some"…): what follows is not one name.
    pub det: bool,
    /// Which of the paragraphs with kept words it is in ([`Extract::firsts`]).
    pub ord: u32,
}

/// A run of name-like words.
#[derive(Clone, Debug)]
pub struct Mention {
    /// Indices into `Extract::words`.
    pub words: Range<usize>,
}

pub struct Extract {
    /// The words of every mention and two words either side (other words are left out).
    pub words: Vec<Word>,
    pub mentions: Vec<Mention>,
    /// For each word, the mention it belongs to, if any.
    pub mention_of: Vec<Option<usize>>,
    /// The paragraphs scanned: index in the document, content key, and what was found there.
    pub paras: Vec<(usize, u64, Arc<ParaWords>)>,
    /// A hash of the paragraphs' [`ParaWords::sig`]s in order: equal for two versions of a
    /// document whose names stand in the same places (whatever else changed).
    pub sig: u64,
    /// Where each paragraph with words kept begins in `words`, in order.
    pub firsts: Vec<usize>,
}

const APOSTROPHES: [char; 4] = ['\'', '’', 'ʼ', '‘'];
const HYPHENS: [char; 3] = ['-', '‐', '‑'];

fn in_list(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// Lowercase particles that stand as words between or before the capitalised parts of a name
/// (`Ludwig van Beethoven`, `Osama bin Laden`, `said de Gaulle`).
fn is_particle(word: &str) -> bool {
    // Particles are short: most words are ruled out by length or first letter.
    word.len() <= 5
        && matches!(
            word.as_bytes().first(),
            Some(b'a' | b'b' | b'd' | b'e' | b'i' | b'l' | b't' | b'v' | b'y' | b'z')
        )
        && is_particle_word(word)
}

fn is_particle_word(word: &str) -> bool {
    lists::NAME_PARTICLE.contains(word)
}

const FUNCTION: u8 = 1;
const TITLE: u8 = 2;
const GENERIC: u8 = 4;

/// Which of the word lists a lowercase word is on (`FUNCTION`, `TITLE`, `GENERIC` bits).
fn list_flags(lowercase: &[u8]) -> u8 {
    /// Open addressing by hash, at most a quarter full: the hashes (0: empty; every stored
    /// hash has its low bit set), and for each slot the word and its flags.
    struct Table {
        hashes: Vec<u64>,
        entries: Vec<(&'static [u8], u8)>,
    }
    static T: OnceLock<Table> = OnceLock::new();
    let t = T.get_or_init(|| {
        let size = (4
            * (lists::NAMES_NOT_NAMES.list().len()
                + lists::TITLE.list().len()
                + lists::TITLE_OFFICE.list().len()
                + lists::NAMES_GENERIC.list().len()))
        .next_power_of_two();
        let mut t = Table {
            hashes: vec![0; size],
            entries: vec![(&[][..], 0); size],
        };
        for (list, flag) in [
            (lists::NAMES_NOT_NAMES.list(), FUNCTION),
            (lists::TITLE.list(), TITLE),
            (lists::TITLE_OFFICE.list(), TITLE),
            (lists::NAMES_GENERIC.list(), GENERIC),
        ] {
            for w in list {
                let h = xxhash_rust::xxh3::xxh3_64(w.as_bytes()) | 1;
                let mut i = h as usize & (size - 1);
                while t.hashes[i] != 0 && !(t.hashes[i] == h && t.entries[i].0 == w.as_bytes()) {
                    i = (i + 1) & (size - 1);
                }
                t.hashes[i] = h;
                t.entries[i].0 = w.as_bytes();
                t.entries[i].1 |= flag;
            }
        }
        t
    });
    let mask = t.hashes.len() - 1;
    let h = xxhash_rust::xxh3::xxh3_64(lowercase) | 1;
    let mut i = h as usize & mask;
    while t.hashes[i] != 0 {
        if t.hashes[i] == h && t.entries[i].0 == lowercase {
            return t.entries[i].1;
        }
        i = (i + 1) & mask;
    }
    0
}

/// [`list_flags`] of a word as written, without allocating for short ASCII words.
fn word_flags(word: &str) -> u8 {
    let b = word.as_bytes();
    if b.len() <= 24 && word.is_ascii() {
        let mut buf = [0u8; 24];
        for (d, s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        list_flags(&buf[..b.len()])
    } else {
        list_flags(lower(word).as_bytes())
    }
}

/// Lowercase, for list look-ups.
pub fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

pub fn is_title(word: &str) -> bool {
    word_flags(word) & TITLE != 0
}

/// Is a folded word one that many different names share?
pub fn is_generic(folded: &str) -> bool {
    list_flags(folded.as_bytes()) & GENERIC != 0
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // General punctuation (typographic quotes, dashes, spaces): neither letters nor marks.
    if ('\u{2000}'..='\u{206F}').contains(&c) {
        return false;
    }
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Normalise apostrophes and hyphens so that typographic variants are one spelling.
pub fn normalise_surface(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if APOSTROPHES.contains(&c) {
                '\''
            } else if HYPHENS.contains(&c) {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// [`normalise_surface`], borrowing when nothing changes.
pub fn normalise_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii()
        || !s
            .contains(|c: char| !c.is_ascii() && (APOSTROPHES.contains(&c) || HYPHENS.contains(&c)))
    {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(normalise_surface(s))
    }
}

/// The name without a leading particle joined by a hyphen or apostrophe (`al-Assad` →
/// `Assad`, `El-Qaddafi` → `Qaddafi`), if it has one.
pub fn strip_particle(word: &str) -> Option<&str> {
    let i = word.find(|c: char| APOSTROPHES.contains(&c) || HYPHENS.contains(&c))?;
    let head = lower(&word[..i]);
    let particle = matches!(
        head.as_str(),
        "al" | "el"
            | "ad"
            | "ar"
            | "as"
            | "ash"
            | "at"
            | "az"
            | "an"
            | "ul"
            | "ud"
            | "ur"
            | "ibn"
            | "bin"
            | "d"
            | "l"
    );
    let rest = &word[i..];
    let rest = rest.trim_start_matches(|c: char| APOSTROPHES.contains(&c) || HYPHENS.contains(&c));
    (particle && rest.chars().next().is_some_and(char::is_alphabetic)).then_some(rest)
}

/// Split a hyphen- or apostrophe-joined word into its parts.
fn parts(word: &str) -> impl Iterator<Item = &str> {
    word.split(|c: char| APOSTROPHES.contains(&c) || HYPHENS.contains(&c))
}

fn classify(word: &str) -> Kind {
    let mut letters = 0usize;
    let mut lowercase = 0usize;
    if word.is_ascii() {
        // The same counts, byte by byte.
        for &c in word.as_bytes() {
            if c.is_ascii_digit() {
                return Kind::Other;
            }
            if c.is_ascii_alphabetic() {
                letters += 1;
                lowercase += usize::from(c.is_ascii_lowercase());
            }
        }
        return classify_counted(word, letters, lowercase);
    }
    for c in word.chars() {
        if c.is_numeric() {
            return Kind::Other;
        }
        if c.is_alphabetic() {
            letters += 1;
            if c.is_lowercase() {
                lowercase += 1;
            }
        }
    }
    classify_counted(word, letters, lowercase)
}

fn classify_counted(word: &str, letters: usize, lowercase: usize) -> Kind {
    if letters == 0 {
        return Kind::Other;
    }
    let first = word.chars().next().unwrap_or(' ');
    if first.is_uppercase() {
        if lowercase == 0 {
            return if letters >= 2 {
                Kind::Acronym
            } else {
                Kind::Initial
            };
        }
        let flags = word_flags(word);
        if flags & FUNCTION != 0 {
            return Kind::Function;
        }
        if flags & TITLE != 0 {
            return Kind::Title;
        }
        // "Secretary-General", "Vice-President"
        if word.contains(HYPHENS) && parts(word).all(|p| p.is_empty() || is_title(p)) {
            return Kind::Title;
        }
        return Kind::Name;
    }
    if word.len() <= 5 && is_particle(word) {
        return Kind::Particle;
    }
    // al-Assad, el-Sisi, d’Alembert, bin-Laden: a particle joined to a capitalised name.
    if !word.bytes().any(|b| b == b'-' || b == b'\'' || b >= 0x80) {
        return Kind::Lower;
    }
    let mut ps = parts(word);
    if let (Some(head), Some(rest)) = (ps.next(), ps.next())
        && (is_particle(&lower(head))
            || in_list(lists::NAMES_PREFIX_PARTICLES.list(), &lower(head)))
        && rest.chars().next().is_some_and(char::is_uppercase)
    {
        return Kind::Name;
    }
    if first.is_lowercase() {
        Kind::Lower
    } else {
        Kind::Other
    }
}

/// Is a word a capitalised, name-like word (for title-case detection)?
fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

impl Extract {
    /// Words and mentions of a whole document, computed afresh.
    #[cfg(test)]
    pub fn new(doc: &Document) -> Self {
        Self::build(doc, &[], &mut ParaCache::default())
    }

    /// Words and mentions of a document, reusing the paragraphs `cache` holds (keyed by
    /// [`Document::paragraph_hash`]). `variants` are the house style's variant spellings to
    /// look for (split into words); the cache must be emptied when they change.
    pub fn build(
        doc: &Document,
        variants: &[Vec<String>],
        cache: &mut ParaCache<Arc<ParaWords>>,
    ) -> Self {
        // The paragraphs to scan: those the cache does not have yet (computed on several
        // threads for a big new document).
        let mut keys: Vec<(usize, u64)> = Vec::new();
        let mut missing: Vec<(u64, usize)> = Vec::new();
        let mut queued: std::collections::HashSet<u64, crate::analysis::normalize::Prehashed> =
            Default::default();
        let mut bytes = 0;
        for (pi, p) in doc.paragraphs.iter().enumerate() {
            if p.kind == BlockKind::TableCell {
                continue;
            }
            if p.span.end > doc.prose.len()
                || !doc.prose.is_char_boundary(p.span.start)
                || !doc.prose.is_char_boundary(p.span.end)
            {
                continue;
            }
            let key = doc.paragraph_hash(pi);
            keys.push((pi, key));
            if !cache.has(key) && queued.insert(key) {
                missing.push((key, pi));
                bytes += p.span.len();
            }
        }
        cache.fill(missing, bytes, |&pi| {
            let span = doc.paragraphs[pi].span.clone();
            let prose = &doc.prose[span.clone()];
            let text = doc.text.get(span).unwrap_or(prose);
            SCRATCH.with(|s| Arc::new(scan_paragraph(prose, text, variants, &mut s.borrow_mut())))
        });
        let paras: Vec<(usize, u64, Arc<ParaWords>)> = keys
            .into_iter()
            .filter_map(|(pi, key)| cache.get(key).map(|pw| (pi, key, pw.clone())))
            .collect();
        let mut sig = xxhash_rust::xxh3::Xxh3::new();
        for (_, _, pw) in &paras {
            if pw.sig != 0 {
                sig.update(&pw.sig.to_le_bytes());
            }
        }
        let n_words = paras.iter().map(|(_, _, pw)| pw.words.len()).sum();
        let n_mentions = paras.iter().map(|(_, _, pw)| pw.mentions.len()).sum();
        let mut ex = Extract {
            words: Vec::with_capacity(n_words),
            mentions: Vec::with_capacity(n_mentions),
            mention_of: vec![None; n_words],
            paras: Vec::new(),
            sig: sig.digest(),
            firsts: Vec::new(),
        };
        for (pi, _, pw) in &paras {
            let pi = *pi;
            let base = doc.paragraphs[pi].span.start;
            let first = ex.words.len();
            let ord = ex.firsts.len() as u32;
            if !pw.words.is_empty() {
                ex.firsts.push(first);
            }
            for w in &pw.words {
                ex.words.push(Word {
                    span: base + w.start as usize..base + w.end as usize,
                    kind: w.kind,
                    possessive: w.possessive,
                    initial: w.initial,
                    plain_gap: w.plain_gap,
                    para: pi,
                    title_case: pw.title_case,
                    lh: w.lh,
                    tail: w.tail,
                    det: w.det,
                    ord,
                });
            }
            for m in &pw.mentions {
                let r = first + m.start as usize..first + m.end as usize;
                let id = ex.mentions.len();
                for slot in &mut ex.mention_of[r.clone()] {
                    *slot = Some(id);
                }
                ex.mentions.push(Mention { words: r });
            }
        }
        ex.paras = paras;
        ex
    }

    /// For each query (a hash made by [`word_hash`] of some lowercase text), whether some
    /// ordinary lowercase word of the document has exactly that text.
    pub fn lowercase_has(&self, queries: &[u64]) -> Vec<bool> {
        let mut found = vec![false; queries.len()];
        if queries.is_empty() {
            return found;
        }
        let mut index: StdHashMap<u64, Vec<usize>, crate::analysis::normalize::Prehashed> =
            StdHashMap::default();
        // A bit per hash value's low bits rules most words out before the table is read.
        const BITS: usize = 1 << 16;
        let mut filter = vec![0u64; BITS / 64];
        for (i, &q) in queries.iter().enumerate() {
            index.entry(q).or_default().push(i);
            let b = q as usize % BITS;
            filter[b / 64] |= 1 << (b % 64);
        }
        let mut left = index.len();
        'paras: for (_, _, pw) in &self.paras {
            for h in &pw.lower {
                let b = *h as usize % BITS;
                if filter[b / 64] & (1 << (b % 64)) == 0 {
                    continue;
                }
                if let Some(is) = index.get_mut(h)
                    && !is.is_empty()
                {
                    for i in is.drain(..) {
                        found[i] = true;
                    }
                    left -= 1;
                    if left == 0 {
                        break 'paras;
                    }
                }
            }
        }
        found
    }

    /// House-style variant hits: (span, index of the variant), in document order.
    pub fn prefer_hits(&self, doc: &Document) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        for (pi, _, pw) in &self.paras {
            let base = doc.paragraphs[*pi].span.start;
            out.extend(
                pw.prefer
                    .iter()
                    .map(|(s, e, v)| (base + *s as usize..base + *e as usize, *v as usize)),
            );
        }
        out
    }
}

/// [`word_hash`] of a word in lowercase.
pub fn lower_hash(s: &str) -> u64 {
    if s.is_ascii() && s.len() <= 32 {
        let mut buf = [0u8; 32];
        for (d, c) in buf.iter_mut().zip(s.as_bytes()) {
            *d = c.to_ascii_lowercase();
        }
        bytes_hash(&buf[..s.len()])
    } else {
        word_hash(&lower(s))
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The hash of a word's text used for the lowercase-word index (and its queries).
pub fn word_hash(s: &str) -> u64 {
    bytes_hash(s.as_bytes())
}

/// A 64-bit hash of a short byte string; one-to-one for strings of up to seven bytes.
#[inline]
fn bytes_hash(b: &[u8]) -> u64 {
    let x = if b.len() <= 7 {
        let mut x = (b.len() as u64) << 56;
        for (i, &c) in b.iter().enumerate() {
            x |= (c as u64) << (8 * i);
        }
        x
    } else {
        xxhash_rust::xxh3::xxh3_64(b) | 1 << 63
    };
    // A bijective mix, so that the low bits vary too.
    let x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ x >> 29
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Format;

    fn names(text: &str) -> Vec<String> {
        let doc = Document::parse(text, Format::Plain);
        let ex = Extract::new(&doc);
        ex.mentions
            .iter()
            .map(|m| {
                ex.words[m.words.clone()]
                    .iter()
                    .map(|w| &text[w.span.clone()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn titles_possessives_particles_and_initials() {
        assert_eq!(
            names("He met U.S. Defense Secretary Chuck Hagel’s aide and George W. Bush."),
            ["Chuck Hagel", "George W Bush"]
        );
        assert_eq!(
            names("The son, Saif al-Islam Gaddafi, met Ludwig van Beethoven."),
            ["Saif al-Islam Gaddafi", "Ludwig van Beethoven"]
        );
    }

    #[test]
    fn punctuation_and_sentences_break_mentions() {
        assert_eq!(
            names("Novak Djokovic beat Carlos Alcaraz. Alcaraz, 23, lost."),
            ["Novak Djokovic", "Carlos Alcaraz", "Alcaraz"]
        );
    }

    #[test]
    fn sentence_initial_words_are_marked() {
        let t = "Hong said so. Later, spokesman Hong Lei agreed.";
        let doc = Document::parse(t, Format::Plain);
        let ex = Extract::new(&doc);
        let flags: Vec<(&str, bool)> = ex
            .words
            .iter()
            .map(|w| (&t[w.span.clone()], w.initial))
            .collect();
        assert_eq!(flags[0], ("Hong", true));
        assert_eq!(flags[3], ("Later", true));
        assert_eq!(flags[6], ("Lei", false));
    }

    #[test]
    fn title_case_headlines_are_marked() {
        let t = "Obama Visits Beijing For Trade Talks\n\nObama arrived on Monday.";
        let doc = Document::parse(t, Format::Plain);
        let ex = Extract::new(&doc);
        assert!(ex.words[..6].iter().all(|w| w.title_case));
        assert!(!ex.words[6].title_case);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "’s", "'", "A.", "U.S.", "-", "é’s x", "Ä-", "'Abd al-", "ẞ’S", "x.y.z.", "Mr.",
        ] {
            let doc = Document::parse(t, Format::Plain);
            let _ = Extract::new(&doc);
        }
    }
}
