//! The crate's word lists: one data file per list in `words/` (one lowercase word a line,
//! `#` starts a comment), read once, looked up by FNV key without allocating.

use super::lexicon::{KeySet, key};
use std::sync::OnceLock;

/// A word list from a data file.
pub struct WordList {
    src: &'static str,
    cache: OnceLock<Cache>,
}

/// A list read: its keys, its words, and cheap filters that turn most misses away before
/// hashing (the lengths and first bytes its words have).
struct Cache {
    keys: KeySet,
    words: Vec<&'static str>,
    lengths: u64,
    firsts: [u64; 4],
}

impl WordList {
    pub const fn new(src: &'static str) -> Self {
        WordList {
            src,
            cache: OnceLock::new(),
        }
    }
    fn get(&self) -> &Cache {
        self.cache.get_or_init(|| {
            let words: Vec<&'static str> = self
                .src
                .lines()
                .map(|l| l.split('#').next().unwrap_or("").trim())
                .filter(|l| !l.is_empty())
                .collect();
            let mut lengths = 0u64;
            let mut firsts = [0u64; 4];
            for w in &words {
                lengths |= 1u64 << w.len().min(63);
                let b = w.as_bytes()[0];
                firsts[usize::from(b >> 6)] |= 1u64 << (b & 63);
            }
            Cache {
                keys: words.iter().map(|w| key(w)).collect(),
                words,
                lengths,
                firsts,
            }
        })
    }
    /// Is the (lowercase) word `w` in the list?
    pub fn contains(&self, w: &str) -> bool {
        let c = self.get();
        let Some(&b) = w.as_bytes().first() else {
            return false;
        };
        c.lengths & (1u64 << w.len().min(63)) != 0
            && c.firsts[usize::from(b >> 6)] & (1u64 << (b & 63)) != 0
            && c.keys.contains(&key(w))
    }
    /// The list's words, in file order, as a slice.
    pub fn list(&self) -> &[&'static str] {
        &self.get().words
    }
    /// The list's words, in file order.
    pub fn words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.get().words.iter().copied()
    }
}

/// Words for `lexicon::is_abbreviation` (lowercase).
pub static ABBREVIATION: WordList = WordList::new(include_str!("words/abbreviation.txt"));

/// Words for `lexicon::is_aux_or_adverb` (lowercase).
pub static AUX_OR_ADVERB: WordList = WordList::new(include_str!("words/aux_or_adverb.txt"));

/// Words for `lexicon::is_be` (lowercase).
pub static BE: WordList = WordList::new(include_str!("words/be.txt"));

/// Words for `lexicon::cites_words` (lowercase).
pub static CITES_WORDS: WordList = WordList::new(include_str!("words/cites_words.txt"));

/// Words for `lexicon::is_determiner` (lowercase).
pub static DETERMINER: WordList = WordList::new(include_str!("words/determiner.txt"));

/// Words for `lexicon::framing_before_as` (lowercase).
pub static FRAMING_BEFORE_AS: WordList = WordList::new(include_str!("words/framing_before_as.txt"));

/// Words for `lexicon::is_function_word` (lowercase).
pub static FUNCTION_WORD: WordList = WordList::new(include_str!("words/function_word.txt"));

/// Words for `lexicon::makes_noun` (lowercase).
pub static MAKES_NOUN: WordList = WordList::new(include_str!("words/makes_noun.txt"));

/// Words for `lexicon::is_name_particle` (lowercase).
pub static NAME_PARTICLE: WordList = WordList::new(include_str!("words/name_particle.txt"));

/// Head nouns of noun phrases that are not people, so never a speaker a message names.
pub static NOT_SPEAKER_NOUNS: WordList = WordList::new(include_str!("words/not_speaker_nouns.txt"));

/// Heads of noun phrases that name people (besides titles).
pub static PEOPLE_NOUNS: WordList = WordList::new(include_str!("words/people_nouns.txt"));

/// Nouns for documents, laws and signs (their text is quoted, not speech).
pub static DOCUMENT_NOUNS: WordList = WordList::new(include_str!("words/document_nouns.txt"));

/// The name rule: Particles that may also be joined to a capitalised name by a hyphen or apostrophe (`al-Assad`, `ad-Din`, `d’Alembert`, `ul-Haq`).
pub static NAMES_PREFIX_PARTICLES: WordList =
    WordList::new(include_str!("words/names_prefix_particles.txt"));

/// Roles written with a capital before a name ("NASA Administrator Charles Bolden"), which
/// the name rule's middle-part check does not take for given names.
pub static OCCUPATION: WordList = WordList::new(include_str!("words/occupation.txt"));

/// Office and role words that precede a name like a title ("Finance Minister"): the name rule
/// reads them with [`TITLE`]; no word is on both lists.
pub static TITLE_OFFICE: WordList = WordList::new(include_str!("words/title_office.txt"));

/// The name rule: Capitalised words that are never names where they stand (sentence openers, pronouns, months and days are handled as names: they are real proper nouns).
pub static NAMES_NOT_NAMES: WordList = WordList::new(include_str!("words/names_not_names.txt"));

/// The name rule: Words that make up the names of many different places and bodies (South Africa, South America; Harvard University, Howard University). Sharing one says nothing about two spellings being one name.
pub static NAMES_GENERIC: WordList = WordList::new(include_str!("words/names_generic.txt"));

/// Nouns of speech ("his reply was"): the possessor speaks.
pub static SPEECH_NOUNS: WordList = WordList::new(include_str!("words/speech_nouns.txt"));

/// Words for `lexicon::is_org_word` (lowercase).
pub static ORG_WORD: WordList = WordList::new(include_str!("words/org_word.txt"));

/// Words for `lexicon::is_pronoun` (lowercase).
pub static PRONOUN: WordList = WordList::new(include_str!("words/pronoun.txt"));

/// Words for `lexicon::is_source_noun` (lowercase).
pub static SOURCE_NOUN: WordList = WordList::new(include_str!("words/source_noun.txt"));

/// Irregular speech-verb forms, and regular forms whose base is too often a noun.
pub static SPEECH_VERBS_FORMS: WordList =
    WordList::new(include_str!("words/speech_verbs_forms.txt"));

/// Speech-verb forms that are mostly nouns in news copy (removed from the generated forms).
pub static SPEECH_VERBS_NOT: WordList = WordList::new(include_str!("words/speech_verbs_not.txt"));

/// Regular speech verbs by base form; -s, -ed and -ing forms are generated.
pub static SPEECH_VERBS_REGULAR: WordList =
    WordList::new(include_str!("words/speech_verbs_regular.txt"));

/// Capitalised words that are not names (besides function words, determiners, pronouns and time words).
pub static STOP_CAPITAL: WordList = WordList::new(include_str!("words/stop_capital.txt"));

/// Words for `lexicon::takes_listener` (lowercase).
pub static TAKES_LISTENER: WordList = WordList::new(include_str!("words/takes_listener.txt"));

/// Words for `lexicon::is_time_word` (lowercase).
pub static TIME_WORD: WordList = WordList::new(include_str!("words/time_word.txt"));

/// Words for `lexicon::is_title` (lowercase).
pub static TITLE: WordList = WordList::new(include_str!("words/title.txt"));

/// Words for `lexicon::is_title_small_word` (lowercase).
pub static TITLE_SMALL_WORD: WordList = WordList::new(include_str!("words/title_small_word.txt"));

/// Stems of verbs that are not speech on their own ("smiled", "continued"): they attribute only a quotation in their own sentence. Matched as prefixes.
pub static WEAK_SPEECH_STEMS: WordList = WordList::new(include_str!("words/weak_speech_stems.txt"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_lowercase_and_without_duplicates() {
        let all: &[(&str, &WordList)] = &[
            ("abbreviation", &ABBREVIATION),
            ("aux_or_adverb", &AUX_OR_ADVERB),
            ("be", &BE),
            ("cites_words", &CITES_WORDS),
            ("determiner", &DETERMINER),
            ("framing_before_as", &FRAMING_BEFORE_AS),
            ("function_word", &FUNCTION_WORD),
            ("makes_noun", &MAKES_NOUN),
            ("document_nouns", &DOCUMENT_NOUNS),
            ("name_particle", &NAME_PARTICLE),
            ("names_prefix_particles", &NAMES_PREFIX_PARTICLES),
            ("title_office", &TITLE_OFFICE),
            ("occupation", &OCCUPATION),
            ("names_not_names", &NAMES_NOT_NAMES),
            ("names_generic", &NAMES_GENERIC),
            ("not_speaker_nouns", &NOT_SPEAKER_NOUNS),
            ("people_nouns", &PEOPLE_NOUNS),
            ("speech_nouns", &SPEECH_NOUNS),
            ("org_word", &ORG_WORD),
            ("pronoun", &PRONOUN),
            ("source_noun", &SOURCE_NOUN),
            ("speech_verbs_forms", &SPEECH_VERBS_FORMS),
            ("speech_verbs_not", &SPEECH_VERBS_NOT),
            ("speech_verbs_regular", &SPEECH_VERBS_REGULAR),
            ("stop_capital", &STOP_CAPITAL),
            ("takes_listener", &TAKES_LISTENER),
            ("time_word", &TIME_WORD),
            ("title", &TITLE),
            ("title_small_word", &TITLE_SMALL_WORD),
            ("weak_speech_stems", &WEAK_SPEECH_STEMS),
        ];
        for (name, list) in all {
            let mut seen = std::collections::HashSet::new();
            for w in list.words() {
                assert_eq!(w, w.to_lowercase(), "{name}: {w}");
                assert!(seen.insert(w), "{name}: {w} twice");
            }
            assert!(!seen.is_empty(), "{name} is empty");
        }
        // One list per kind of word: the office words only add to the titles.
        for w in TITLE_OFFICE.words() {
            assert!(!TITLE.contains(w), "title_office: {w} is in title.txt too");
        }
        assert!(TITLE.contains("senator"));
        assert!(!TITLE.contains("said"));
    }
}
