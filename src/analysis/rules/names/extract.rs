//! Words and name mentions in a document's prose.
//!
//! A *mention* is a run of capitalised words (with particles such as `van`, `bin`, `de` and
//! initials such as `W.`) separated only by spaces. Titles (`Mr.`, `President`, `Defense
//! Secretary`), acronyms and sentence-opening function words are kept out of the name itself.
//! Every word knows whether it opens a sentence (or sits in a title-case headline), because a
//! capitalised word there says nothing about whether it is a name.

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
    lists::NAMES_PARTICLES.contains(word)
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
                + lists::NAMES_TITLES.list().len()
                + lists::NAMES_GENERIC.list().len()))
        .next_power_of_two();
        let mut t = Table {
            hashes: vec![0; size],
            entries: vec![(&[][..], 0); size],
        };
        for (list, flag) in [
            (lists::NAMES_NOT_NAMES.list(), FUNCTION),
            (lists::NAMES_TITLES.list(), TITLE),
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

const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;

/// ASCII letters and digits: which they are.
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_lowercase() {
            LOWER
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_digit() {
            DIGIT
        } else {
            0
        };
        c += 1;
    }
    t
};

/// A word of one paragraph, offsets relative to the paragraph start.
#[derive(Clone, Copy, Debug)]
pub struct ParaWord {
    pub start: u32,
    pub end: u32,
    pub kind: Kind,
    pub possessive: bool,
    pub initial: bool,
    pub plain_gap: bool,
    /// As [`Word::lh`], [`Word::tail`] and [`Word::det`] (set for the words kept only).
    pub lh: u64,
    pub tail: bool,
    pub det: bool,
}

/// What the name rule needs of one paragraph. A pure function of the paragraph's prose (and
/// of the house style's variants), so it is cached by the paragraph's content hash; offsets
/// are relative to the paragraph's start.
#[derive(Debug, Default)]
pub struct ParaWords {
    /// The words of every mention and the two words either side of it (the context the
    /// phrase rules look at), in order. Other words are left out.
    pub words: Vec<ParaWord>,
    /// Mentions, as ranges of `words`.
    pub mentions: Vec<Range<u32>>,
    /// [`word_hash`]es of the text of every ordinary lowercase word.
    pub lower: Box<[u64]>,
    /// A title-case block (headline): every word counts as sentence-initial.
    pub title_case: bool,
    /// House-style variant hits: start, end, variant index.
    pub prefer: Vec<(u32, u32, u32)>,
    /// A hash of everything of this paragraph the document-level analysis reads apart from
    /// the lowercase words and the offsets (0 when it has no name mentions).
    pub sig: u64,
}

fn char_at(s: &str, i: usize) -> Option<char> {
    match s.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(b as char),
        Some(_) => s[i..].chars().next(),
        None => None,
    }
}

fn char_before(s: &str, i: usize) -> Option<char> {
    match i.checked_sub(1).map(|j| s.as_bytes()[j]) {
        Some(b) if b < 0x80 => Some(b as char),
        Some(_) => s[..i].chars().next_back(),
        None => None,
    }
}

/// Scan one paragraph's prose into words and mentions (`original`: the same span of the
/// document's text, which words are read from). `scratch` is reused between calls.
pub fn scan_paragraph(
    text: &str,
    original: &str,
    variants: &[Vec<String>],
    scratch: &mut Scratch,
) -> ParaWords {
    let words = &mut scratch.words;
    words.clear();
    let lower = &mut scratch.lower;
    lower.clear();
    let n = text.len();
    let mut i = 0usize;
    // The character before `i` is whitespace (nothing before the start is not).
    let mut prev_ws = false;
    let mut sentence_start = true;
    let mut gap_plain = false;
    let mut prev_was_acronym = false;
    // Title-case detection: words of four letters or more, and how many are capitalised.
    let mut long = 0usize;
    let mut caps = 0usize;
    let b = text.as_bytes();
    // The text's bytes where words are read (the same as the prose's there).
    let ob = if original.len() == n {
        original.as_bytes()
    } else {
        b
    };
    while i < n {
        let c0 = b[i];
        if c0 == b' ' || c0 == b'\n' {
            prev_ws = true;
            i += 1;
            continue;
        }
        let c = if c0 < 0x80 {
            c0 as char
        } else {
            char_at(text, i).unwrap_or(' ')
        };
        let cl = c.len_utf8();
        if !(c0.is_ascii_alphanumeric() || (c0 >= 0x80 && is_word_char(c))) {
            // A transliterated ʿayn opening a name ('Abbas, ʿAli) is part of the name's run.
            let ayn = matches!(c, '\'' | 'ʿ' | 'ʼ')
                && prev_ws
                && char_at(text, i + cl).is_some_and(char::is_uppercase);
            let ws = c.is_whitespace();
            if !ayn && !ws {
                gap_plain = false;
                match c {
                    '.' | '!' | '?' | '…' | ':' => sentence_start = true,
                    '—' | '–' if prev_was_acronym => sentence_start = true,
                    '•' | '·' => sentence_start = true,
                    _ => {}
                }
            }
            prev_ws = ws;
            i += cl;
            continue;
        }
        // A word: letters, marks, digits, with inner apostrophes/hyphens, and dotted
        // abbreviations of single letters (U.S, D.C).
        let start = i;
        let mut j = i;
        // What the ASCII letters and digits of the word were (`ASCII_CLASS` bits), and
        // whether anything else was part of it.
        let mut seen = 0u8;
        let mut plain = true;
        loop {
            while j < n {
                let k = ASCII_CLASS[b[j] as usize];
                if k == 0 {
                    break;
                }
                seen |= k;
                j += 1;
            }
            // Most words end at a space or punctuation.
            if j >= n || (b[j] < 0x80 && !matches!(b[j], b'\'' | b'-' | b'.')) {
                break;
            }
            let cj = if b[j] < 0x80 {
                b[j] as char
            } else {
                char_at(text, j).unwrap_or(' ')
            };
            if b[j] >= 0x80 && is_word_char(cj) {
                plain = false;
                j += cj.len_utf8();
                continue;
            }
            let joiner = APOSTROPHES.contains(&cj) || HYPHENS.contains(&cj);
            if joiner || cj == '.' {
                let k = j + cj.len_utf8();
                let after = char_at(text, k);
                if joiner && let Some(a) = after.filter(|&a| is_word_char(a)) {
                    plain = false;
                    j = k + a.len_utf8();
                    continue;
                }
                // U.S → single letters joined by dots.
                if cj == '.'
                    && let Some(a) = after
                    && a.is_alphabetic()
                    && let Some(last) = char_before(text, j)
                    && last.is_alphabetic()
                    && (j - last.len_utf8() == start
                        || char_before(text, j - last.len_utf8()) == Some('.'))
                {
                    let k2 = k + a.len_utf8();
                    if char_at(text, k2).is_none_or(|x| !is_word_char(x)) {
                        plain = false;
                        j = k2;
                        continue;
                    }
                }
            }
            break;
        }
        let (core_end, possessive, kind) = if plain {
            // ASCII letters and digits only: no possessive, and the kind from what was seen.
            let len = j - start;
            let kind = if seen & DIGIT != 0 {
                Kind::Other
            } else if b[start].is_ascii_lowercase() {
                if is_particle(&text[start..j]) {
                    Kind::Particle
                } else {
                    Kind::Lower
                }
            } else {
                classify_counted(&text[start..j], len, usize::from(seen & LOWER != 0))
            };
            if kind == Kind::Lower {
                lower.push(bytes_hash(&ob[start..j]));
            }
            if len >= 4 {
                long += 1;
                caps += usize::from(b[start].is_ascii_uppercase());
            }
            (len, false, kind)
        } else {
            let raw = &text[start..j];
            // Possessive ’s.
            let (core_end, possessive) = {
                let mut cs = raw.char_indices().rev();
                match (cs.next(), cs.next()) {
                    (Some((si, 's')), Some((ai, a)))
                        if APOSTROPHES.contains(&a) && ai > 0 && si == ai + a.len_utf8() =>
                    {
                        (ai, true)
                    }
                    _ => (raw.len(), false),
                }
            };
            let core = &raw[..core_end];
            let kind = classify(core);
            if kind == Kind::Lower {
                lower.push(word_hash(
                    original.get(start..start + core_end).unwrap_or(core),
                ));
            }
            if core.len() >= 4
                && (core.is_ascii() || core.chars().filter(|c| c.is_alphabetic()).count() >= 4)
            {
                long += 1;
                if is_capitalised(core) {
                    caps += 1;
                }
            }
            (core_end, possessive, kind)
        };
        words.push(Tok {
            start: start as u32,
            end: (start + core_end) as u32,
            kind,
            possessive,
            initial: sentence_start,
            plain_gap: gap_plain,
        });
        sentence_start = false;
        gap_plain = true;
        prev_was_acronym = kind == Kind::Acronym;
        prev_ws = false;
        i = j;
        // A full stop after an abbreviation or an initial does not end the sentence.
        if b.get(j) == Some(&b'.')
            && (kind == Kind::Initial || is_abbreviation(&text[start..start + core_end]))
        {
            i += 1;
        }
    }
    // Title-case headline: most longer words capitalised and no sentence punctuation at the
    // end. Capitals there prove nothing.
    let ends_sentence = text
        .trim_end()
        .trim_end_matches(['"', '”', '’', '\'', ')', ']'])
        .ends_with(['.', '!', '?', ':']);
    let title_case = long >= 3 && caps * 4 >= long * 3 && !ends_sentence && words.len() <= 30;
    if title_case {
        for w in words.iter_mut() {
            w.initial = true;
        }
    }
    let prefer = find_variants(original, words, variants);
    let mentions = &mut scratch.mentions;
    build_mentions(words, mentions);
    // Keep the mentions and two words either side.
    let mut count = 0;
    let mut upto = 0usize; // words before this are kept or skipped already
    for m in mentions.iter() {
        let from = m.start.saturating_sub(2).max(upto);
        let to = (m.end + 2).min(words.len());
        count += to - from;
        upto = to;
    }
    let mut kept: Vec<ParaWord> = Vec::with_capacity(count);
    let mut kept_mentions = Vec::with_capacity(mentions.len());
    let mut upto = 0usize;
    for m in mentions.iter() {
        let from = m.start.saturating_sub(2).max(upto);
        let to = (m.end + 2).min(words.len());
        let shift = kept.len() as isize - from as isize;
        kept_mentions.push((m.start as isize + shift) as u32..(m.end as isize + shift) as u32);
        for w in &words[from..to] {
            let t = original
                .get(w.start as usize..w.end as usize)
                .unwrap_or(&text[w.start as usize..w.end as usize]);
            let tail =
                w.kind == Kind::Lower && t.len() >= 3 && word_flags(t) & (TITLE | FUNCTION) == 0;
            kept.push(ParaWord {
                start: w.start,
                end: w.end,
                kind: w.kind,
                possessive: w.possessive,
                initial: w.initial,
                plain_gap: w.plain_gap,
                lh: if w.kind == Kind::Name || tail {
                    lower_hash(t)
                } else {
                    0
                },
                tail,
                // (Only ASCII text lowercases to these words.)
                det: ["a", "an", "another", "any", "every", "each", "no", "some"]
                    .iter()
                    .any(|d| t.eq_ignore_ascii_case(d)),
            });
        }
        upto = to;
    }
    let sig = if kept.is_empty() {
        0
    } else {
        name_sig(original, &kept, &kept_mentions, title_case)
    };
    ParaWords {
        sig,
        words: kept,
        mentions: kept_mentions,
        lower: lower.as_slice().into(),
        title_case,
        prefer,
    }
}

/// A hash of what the document-level analysis reads of a paragraph's kept words: each
/// mention's text, words and place among the kept words; whether each of the two words
/// before it is an indefinite determiner; and the lowercase words that may continue it (the
/// text up to each, and its flags), up to the first that may not.
fn name_sig(text: &str, kept: &[ParaWord], mentions: &[Range<u32>], title_case: bool) -> u64 {
    let mut sig = xxhash_rust::xxh3::Xxh3::new();
    let span = |a: u32, b: u32| text.get(a as usize..b as usize).unwrap_or("");
    let put_text = |sig: &mut xxhash_rust::xxh3::Xxh3, t: &str| {
        sig.update(&(t.len() as u64).to_le_bytes());
        sig.update(t.as_bytes());
    };
    sig.update(&[u8::from(title_case)]);
    for m in mentions {
        let (ks, ke) = (m.start as usize, m.end as usize);
        sig.update(&m.start.to_le_bytes());
        sig.update(&m.end.to_le_bytes());
        let m0 = kept[ks].start;
        put_text(&mut sig, span(m0, kept[ke - 1].end));
        for w in &kept[ks..ke] {
            sig.update(&[
                w.kind as u8,
                u8::from(w.possessive) | u8::from(w.initial) << 1 | u8::from(w.plain_gap) << 2,
            ]);
            sig.update(&(w.start - m0).to_le_bytes());
        }
        for b in [ks.checked_sub(2), ks.checked_sub(1)] {
            sig.update(&[u8::from(b.is_some_and(|b| kept[b].det))]);
        }
        // The words after it, as far as a lowercase tail may reach.
        for k in ke..(ke + 2).min(kept.len()) {
            let w = &kept[k];
            let prev = &kept[k - 1];
            let continues = w.tail && w.plain_gap && !title_case && !prev.possessive;
            if !continues {
                break;
            }
            put_text(&mut sig, span(prev.end, w.end));
            sig.update(&[u8::from(w.possessive)]);
        }
        sig.update(&[0xff]);
    }
    sig.digest() | 1
}

/// A word while its paragraph is scanned (offsets relative to the paragraph).
#[derive(Clone, Copy, Debug)]
struct Tok {
    start: u32,
    end: u32,
    kind: Kind,
    possessive: bool,
    initial: bool,
    plain_gap: bool,
}

/// Buffers [`scan_paragraph`] reuses from one paragraph to the next.
#[derive(Default)]
pub struct Scratch {
    words: Vec<Tok>,
    lower: Vec<u64>,
    mentions: Vec<Range<usize>>,
}

/// Is a word (as written) an abbreviation whose full stop does not end a sentence?
fn is_abbreviation(word: &str) -> bool {
    if word.is_ascii() {
        if word.len() > 8 {
            return false;
        }
        let mut buf = [0u8; 8];
        for (d, s) in buf.iter_mut().zip(word.as_bytes()) {
            *d = s.to_ascii_lowercase();
        }
        let w = &buf[..word.len()];
        lists::NAMES_ABBREVIATIONS
            .list()
            .iter()
            .any(|a| a.as_bytes() == w)
    } else {
        in_list(lists::NAMES_ABBREVIATIONS.list(), &lower(word))
    }
}

/// Occurrences of the house style's variant spellings as whole words of a paragraph (the
/// words of a multi-word variant separated by spaces only): start, end, variant index.
fn find_variants(text: &str, words: &[Tok], variants: &[Vec<String>]) -> Vec<(u32, u32, u32)> {
    let mut hits = Vec::new();
    for (vi, parts) in variants.iter().enumerate() {
        let n = parts.len();
        if n == 0 {
            continue;
        }
        for i in 0..words.len() {
            if i + n > words.len() {
                break;
            }
            let ok = (0..n).all(|k| {
                let w = &words[i + k];
                (k == 0 || w.plain_gap)
                    && (k + 1 == n || !w.possessive)
                    && text
                        .get(w.start as usize..w.end as usize)
                        .is_some_and(|t| surface_eq(t, &parts[k]))
            });
            if ok {
                hits.push((words[i].start, words[i + n - 1].end, vi as u32));
            }
        }
    }
    hits
}

/// Does `raw` read as `surface` once apostrophes and hyphens are normalised?
pub fn surface_eq(raw: &str, surface: &str) -> bool {
    if raw.is_ascii() {
        return raw == surface;
    }
    let mut a = raw.chars().map(|c| {
        if APOSTROPHES.contains(&c) {
            '\''
        } else if HYPHENS.contains(&c) {
            '-'
        } else {
            c
        }
    });
    let mut b = surface.chars();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => {}
            _ => return false,
        }
    }
}

/// The mentions of one paragraph's words, into `mentions`.
fn build_mentions(words: &[Tok], mentions: &mut Vec<Range<usize>>) {
    mentions.clear();
    let joins = |k: Kind| {
        matches!(
            k,
            Kind::Name | Kind::Particle | Kind::Title | Kind::Initial | Kind::Acronym
        )
    };
    let mut i = 0;
    while i < words.len() {
        if !joins(words[i].kind) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < words.len()
            && words[j].plain_gap
            && joins(words[j].kind)
            && !(words[j - 1].possessive && words[j - 1].kind != Kind::Name)
        {
            j += 1;
        }
        // Trim particles that are not followed by a name, and leading/trailing non-names.
        let mut end = j;
        while end > i && words[end - 1].kind != Kind::Name {
            end -= 1;
        }
        let mut start = i;
        while start < end && !matches!(words[start].kind, Kind::Name | Kind::Particle) {
            start += 1;
        }
        // A lowercase particle may open a name only right before a capitalised word
        // ("said de Gaulle"); it may not be the only thing in it.
        if start < end && words[start..end].iter().any(|w| w.kind == Kind::Name) {
            mentions.push(start..end);
        }
        i = j.max(i + 1);
    }
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
