//! Comparison keys: two paragraphs that differ only in case, Unicode form, quote style,
//! dashes, punctuation or spacing have the same key.

use unicode_normalization::UnicodeNormalization;

/// The words of a text, NFKC-normalised and case-folded, punctuation dropped.
/// Apostrophes inside words are dropped too (`don’t` = `don't` = `dont`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in text.nfkc() {
        if ch.is_alphanumeric() {
            for l in ch.to_lowercase() {
                cur.push(l);
            }
        } else if is_word_joiner(ch) && !cur.is_empty() {
            // inside a word: don't, U.S., co-op → dont, us, coop
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_word_joiner(ch: char) -> bool {
    matches!(
        ch,
        '\'' | '’' | '‘' | 'ʼ' | '.' | '-' | '‐' | '‑' | '\u{00AD}'
    )
}

/// A hash per word of the comparison key, without building strings: the same words as
/// [`words`] give the same hashes. ASCII text skips Unicode normalisation.
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut h = FNV_OFFSET;
    let mut in_word = false;
    let feed = |ch: char, h: &mut u64, in_word: &mut bool, out: &mut Vec<u64>| {
        if ch.is_alphanumeric() {
            if ch.is_ascii() {
                fnv_byte(h, ch.to_ascii_lowercase() as u8);
            } else {
                for l in ch.to_lowercase() {
                    let mut buf = [0u8; 4];
                    for b in l.encode_utf8(&mut buf).bytes() {
                        fnv_byte(h, b);
                    }
                }
            }
            *in_word = true;
        } else if is_word_joiner(ch) && *in_word {
        } else if *in_word {
            out.push(*h);
            *h = FNV_OFFSET;
            *in_word = false;
        }
    };
    // Most prose is already in NFKC (curly quotes and accented letters included): only
    // normalise when the quick check says it may change something.
    let already = text.is_ascii()
        || unicode_normalization::is_nfkc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes;
    if already {
        for ch in text.chars() {
            feed(ch, &mut h, &mut in_word, &mut out);
        }
    } else {
        for ch in text.nfkc() {
            feed(ch, &mut h, &mut in_word, &mut out);
        }
    }
    if in_word {
        out.push(h);
    }
    out
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

#[inline]
fn fnv_byte(h: &mut u64, b: u8) {
    *h ^= b as u64;
    *h = h.wrapping_mul(0x0000_0100_0000_01b3);
}

/// A hasher for keys that are already good 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct PrehashedHasher(u64);

impl std::hash::Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            fnv_byte(&mut self.0, b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// `HashMap` build-hasher for prehashed keys.
pub type Prehashed = std::hash::BuildHasherDefault<PrehashedHasher>;

/// The comparison key: the words joined by single spaces.
pub fn key(text: &str) -> String {
    words(text).join(" ")
}

/// A fast 64-bit hash (FNV-1a) for shingles; stable across runs.
pub fn hash_str(s: &str) -> u64 {
    let mut h = FNV_OFFSET;
    for b in s.bytes() {
        fnv_byte(&mut h, b);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_dashes_case_and_spacing_do_not_matter() {
        assert_eq!(
            key("“Don’t panic” — she SAID,   twice."),
            key("\"Don't panic\" - she said, twice")
        );
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        assert_eq!(key("ﬁnal ① Ｗide"), key("final 1 wide"));
    }

    #[test]
    fn word_hashes_agree_with_words() {
        for t in [
            "“Don’t panic” — she SAID, U.S. co-op",
            "ﬁnal Ｗide 東京 🎉 Ünïcode",
            "",
        ] {
            let w: Vec<u64> = words(t).iter().map(|w| hash_str(w)).collect();
            assert_eq!(word_hashes(t), w, "{t}");
        }
    }

    #[test]
    fn different_words_differ() {
        assert_ne!(key("the cat sat"), key("the cat sits"));
    }
}
