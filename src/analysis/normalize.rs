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

/// The comparison key: the words joined by single spaces.
pub fn key(text: &str) -> String {
    words(text).join(" ")
}

/// A fast 64-bit hash (FNV-1a) for shingles; stable across runs.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
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
    fn different_words_differ() {
        assert_ne!(key("the cat sat"), key("the cat sits"));
    }
}
