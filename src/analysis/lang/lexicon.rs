//! Word lists: speech verbs in all their forms, and the small words the speaker search needs
//! to tell a subject from a preposition. All lookups take lowercase words.

use super::lists;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a of a string's bytes: a word's key in the sets below (no allocation, no SipHash).
pub fn key(s: &str) -> u64 {
    key_bytes(FNV_OFFSET, s.as_bytes())
}

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

pub fn key_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The key of `s` lowercased, computed without allocating.
pub fn key_lower(s: &str) -> u64 {
    if s.is_ascii() {
        let mut h = FNV_OFFSET;
        for b in s.bytes() {
            h ^= u64::from(b.to_ascii_lowercase());
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        return h;
    }
    let mut h = FNV_OFFSET;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        for l in c.to_lowercase() {
            h = key_bytes(h, l.encode_utf8(&mut buf).as_bytes());
        }
    }
    h
}

/// Calls `f` with `w` lowercased, without allocating for short ASCII words.
pub fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    if w.is_ascii() && w.len() <= 48 {
        let mut buf = [0u8; 48];
        for (d, s) in buf.iter_mut().zip(w.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        f(std::str::from_utf8(&buf[..w.len()]).unwrap_or(""))
    } else {
        f(&w.to_lowercase())
    }
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = key_bytes(self.0 ^ FNV_OFFSET, bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of word keys.
pub type KeySet = HashSet<u64, BuildHasherDefault<KeyHasher>>;

/// Forms that only count with "out"/"on"/"it" after them or "that" (handled by the caller):
/// pointed out, went on, goes on, put it.
pub fn needs_particle(w: &str) -> Option<&'static [&'static str]> {
    match w {
        "pointed" | "points" | "pointing" => Some(&["out"]),
        "went" | "goes" | "began" | "begins" => Some(&["on"]),
        "put" | "puts" => Some(&["it"]),
        "hoped" | "hopes" | "feared" | "fears" | "believes" | "believed" | "thinks" | "thought"
        | "feels" | "felt" | "found" | "finds" | "states" | "state" => Some(&["that"]),
        _ => None,
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The -s, -ed and -ing forms of a regular verb (with and without a doubled final consonant;
/// an extra spelling that is never written does no harm).
pub fn inflect(base: &str) -> Vec<String> {
    let b = base.to_lowercase();
    let bytes = b.as_bytes();
    let mut out = vec![b.clone()];
    let Some(&last) = bytes.last() else {
        return out;
    };
    let before = bytes.len().checked_sub(2).map(|i| bytes[i]);
    let stem_y = last == b'y' && before.is_some_and(|c| !is_vowel(c));
    // -s
    if b.ends_with('s')
        || b.ends_with("sh")
        || b.ends_with("ch")
        || b.ends_with('x')
        || b.ends_with('z')
    {
        out.push(format!("{b}es"));
    } else if stem_y {
        out.push(format!("{}ies", &b[..b.len() - 1]));
    } else {
        out.push(format!("{b}s"));
    }
    // -ed, -ing
    if last == b'e' {
        out.push(format!("{b}d"));
        if b.ends_with("ee") {
            out.push(format!("{b}ing"));
        } else {
            out.push(format!("{}ing", &b[..b.len() - 1]));
        }
    } else if stem_y {
        out.push(format!("{}ied", &b[..b.len() - 1]));
        out.push(format!("{b}ing"));
    } else {
        out.push(format!("{b}ed"));
        out.push(format!("{b}ing"));
        let cvc = last.is_ascii_alphabetic()
            && !is_vowel(last)
            && !matches!(last, b'w' | b'x' | b'y')
            && before.is_some_and(is_vowel);
        if cvc {
            out.push(format!("{b}{}ed", last as char));
            out.push(format!("{b}{}ing", last as char));
        }
    }
    out
}

/// Every built-in speech-verb form, by [`key`].
pub fn builtin_verbs() -> &'static KeySet {
    static SET: OnceLock<KeySet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut s: HashSet<String> = lists::SPEECH_VERBS_REGULAR
            .words()
            .flat_map(inflect)
            .collect();
        s.extend(lists::SPEECH_VERBS_FORMS.words().map(|w| w.to_string()));
        // Base and -s forms that are mostly nouns in news copy.
        for noun in lists::SPEECH_VERBS_NOT.words() {
            s.remove(noun);
        }
        s.iter().map(|w| key(w)).collect()
    })
}

/// Verbs that are not speech on their own ("the rain continued", "she smiled", "the report
/// described"): they attribute a quotation in their own sentence ("he smiled: “…”") but not
/// the sentence before or after.
pub fn needs_own_quote(w: &str) -> bool {
    lists::WEAK_SPEECH_STEMS.words().any(|s| w.starts_with(s))
}

/// Verbs whose object follows them ("told reporters"), so a name after them is not the
/// speaker.
pub fn takes_listener(w: &str) -> bool {
    lists::TAKES_LISTENER.contains(w)
}

pub fn is_pronoun(w: &str) -> bool {
    lists::PRONOUN.contains(strip_contraction(w))
}

/// `he’d` → `he`, `i've` → `i`.
pub fn strip_contraction(w: &str) -> &str {
    for suf in [
        "’ve", "'ve", "’d", "'d", "’ll", "'ll", "’s", "'s", "’m", "'m", "’re", "'re",
    ] {
        if let Some(s) = w.strip_suffix(suf) {
            return s;
        }
    }
    w
}

/// Words between a subject and its verb: "Hong also said", "she has repeatedly warned".
pub fn is_aux_or_adverb(w: &str) -> bool {
    lists::AUX_OR_ADVERB.contains(w)
        || (w.len() > 4
            && w.ends_with("ly")
            && !matches!(
                w,
                "family" | "italy" | "ally" | "weekly" | "daily" | "monthly" | "quarterly"
            ))
}

pub fn is_determiner(w: &str) -> bool {
    lists::DETERMINER.contains(w)
}

/// A determiner before a speech-verb form makes it a noun: "the claims", "his notes".
pub fn makes_noun(w: &str) -> bool {
    lists::MAKES_NOUN.contains(w)
}

pub fn is_be(w: &str) -> bool {
    lists::BE.contains(w)
}

/// Words that cannot be a speaker or part of one (prepositions, conjunctions, be, objects).
pub fn is_function_word(w: &str) -> bool {
    lists::FUNCTION_WORD.contains(w)
}

/// Capitalised words that are not names.
pub fn is_stop_capital(w: &str) -> bool {
    is_function_word(w)
        || is_determiner(w)
        || is_pronoun(w)
        || is_time_word(w)
        || lists::STOP_CAPITAL.contains(w)
}

pub fn is_time_word(w: &str) -> bool {
    lists::TIME_WORD.contains(w)
}

/// Titles before a name: stripped from the name a finding shows.
pub fn is_title(w: &str) -> bool {
    lists::TITLE.contains(w.trim_end_matches('.'))
}

/// Last words of organisation names: "the agency", not a person.
pub fn is_org_word(w: &str) -> bool {
    lists::ORG_WORD.contains(w)
}

/// Nouns that name a source after "in" ("in a statement", "in his speech").
pub fn is_source_noun(w: &str) -> bool {
    lists::SOURCE_NOUN.contains(w)
}

/// Words before a quotation that cite it as words rather than speech: the word “x”, the
/// slogan “…”, so-called “…”, known as “…”.
pub fn cites_words(w: &str) -> bool {
    lists::CITES_WORDS.contains(w)
}

/// Verbs before "as" that frame what follows as a description, not speech: known as “…”,
/// billed as “…”.
pub fn framing_before_as(w: &str) -> bool {
    lists::FRAMING_BEFORE_AS.contains(w)
}

/// Small words that stay lowercase in a title ("The Lord of the Rings").
pub fn is_title_small_word(w: &str) -> bool {
    lists::TITLE_SMALL_WORD.contains(w)
}

/// Lowercase particles inside names: Ludwig van Beethoven, Abu Bakr al-Baghdadi.
pub fn is_name_particle(w: &str) -> bool {
    lists::NAME_PARTICLE.contains(w)
}

/// Abbreviations whose period does not end a sentence.
pub fn is_abbreviation(w: &str) -> bool {
    lists::ABBREVIATION.contains(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections() {
        let forms = inflect("admit");
        for f in ["admit", "admits", "admitted", "admitting"] {
            assert!(forms.contains(&f.to_string()), "{f} in {forms:?}");
        }
        let forms = inflect("reply");
        for f in ["replies", "replied", "replying"] {
            assert!(forms.contains(&f.to_string()), "{f}");
        }
        let forms = inflect("argue");
        for f in ["argues", "argued", "arguing"] {
            assert!(forms.contains(&f.to_string()), "{f}");
        }
        let forms = inflect("stress");
        assert!(forms.contains(&"stresses".to_string()));
        assert!(forms.contains(&"stressed".to_string()));
    }

    #[test]
    fn builtin_list_has_all_tenses() {
        let v = builtin_verbs();
        let v: HashSet<u64> = v.iter().copied().collect();
        let v = |w: &str| v.contains(&key(w));
        for f in [
            "said",
            "says",
            "told",
            "added",
            "asked",
            "replied",
            "stressed",
            "noted",
            "explained",
            "insisted",
            "argued",
            "warned",
            "recalled",
            "wrote",
            "tweeted",
            "posted",
            "announced",
            "declared",
            "acknowledged",
            "admitted",
            "conceded",
            "countered",
            "continued",
            "shouted",
            "smiled",
            "laughed",
            "writing",
            "saying",
        ] {
            assert!(v(f), "{f}");
        }
        assert!(!v("point"));
        assert_eq!(key_lower("Hong’S"), key("hong’s"));
        assert_eq!(needs_particle("states"), Some(&["that"][..]));
    }
}
