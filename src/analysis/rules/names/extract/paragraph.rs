//! One paragraph's words, scanned once: each word's kind, whether it opens a sentence,
//! and the name mentions (runs of name words).

use super::*;

pub(super) const LOWER: u8 = 1;
pub(super) const UPPER: u8 = 2;
pub(super) const DIGIT: u8 = 4;

/// ASCII letters and digits: which they are.
pub(super) static ASCII_CLASS: [u8; 256] = {
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

pub(super) fn char_at(s: &str, i: usize) -> Option<char> {
    match s.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(b as char),
        Some(_) => s[i..].chars().next(),
        None => None,
    }
}

pub(super) fn char_before(s: &str, i: usize) -> Option<char> {
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
/// mention's text and words; whether each of the two words
/// before it is an indefinite determiner; and the lowercase words that may continue it (the
/// text up to each, and its flags), up to the first that may not.
pub(super) fn name_sig(
    text: &str,
    kept: &[ParaWord],
    mentions: &[Range<u32>],
    title_case: bool,
) -> u64 {
    let mut sig = xxhash_rust::xxh3::Xxh3::new();
    let span = |a: u32, b: u32| text.get(a as usize..b as usize).unwrap_or("");
    let put_text = |sig: &mut xxhash_rust::xxh3::Xxh3, t: &str| {
        sig.update(&(t.len() as u64).to_le_bytes());
        sig.update(t.as_bytes());
    };
    sig.update(&[u8::from(title_case)]);
    for m in mentions {
        let (ks, ke) = (m.start as usize, m.end as usize);
        // Its length, not its place among the kept words: words may come and go between
        // mentions (the analysis finds each mention's words again, `NameAnalysis::moved_words`).
        sig.update(&(m.end - m.start).to_le_bytes());
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
pub(super) struct Tok {
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
pub(super) fn is_abbreviation(word: &str) -> bool {
    if word.is_ascii() {
        if word.len() > 8 {
            return false;
        }
        let mut buf = [0u8; 8];
        for (d, s) in buf.iter_mut().zip(word.as_bytes()) {
            *d = s.to_ascii_lowercase();
        }
        let w = &buf[..word.len()];
        lists::ABBREVIATION.list().iter().any(|a| a.as_bytes() == w)
    } else {
        in_list(lists::ABBREVIATION.list(), &lower(word))
    }
}

/// Occurrences of the house style's variant spellings as whole words of a paragraph (the
/// words of a multi-word variant separated by spaces only): start, end, variant index.
pub(super) fn find_variants(
    text: &str,
    words: &[Tok],
    variants: &[Vec<String>],
) -> Vec<(u32, u32, u32)> {
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
pub(super) fn build_mentions(words: &[Tok], mentions: &mut Vec<Range<usize>>) {
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
