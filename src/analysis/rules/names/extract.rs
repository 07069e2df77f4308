//! Words and name mentions in a document's prose.
//!
//! A *mention* is a run of capitalised words (with particles such as `van`, `bin`, `de` and
//! initials such as `W.`) separated only by spaces. Titles (`Mr.`, `President`, `Defense
//! Secretary`), acronyms and sentence-opening function words are kept out of the name itself.
//! Every word knows whether it opens a sentence (or sits in a title-case headline), because a
//! capitalised word there says nothing about whether it is a name.

use crate::analysis::{BlockKind, Document};
use std::collections::HashSet as StdHashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

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

type HashSet<T> = StdHashSet<T, BuildHasherDefault<Fnv>>;

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
}

/// A run of name-like words.
#[derive(Clone, Debug)]
pub struct Mention {
    /// Indices into `Extract::words`.
    pub words: Range<usize>,
}

pub struct Extract {
    pub words: Vec<Word>,
    pub mentions: Vec<Mention>,
    /// For each word, the mention it belongs to, if any.
    pub mention_of: Vec<Option<usize>>,
}

const APOSTROPHES: [char; 4] = ['\'', '’', 'ʼ', '‘'];
const HYPHENS: [char; 3] = ['-', '‐', '‑'];

/// Particles that may also be joined to a capitalised name by a hyphen or apostrophe
/// (`al-Assad`, `ad-Din`, `d’Alembert`, `ul-Haq`).
#[rustfmt::skip]
pub const PREFIX_PARTICLES: &[&str] = &[
    "ul", "ud", "ad", "as", "ash", "ar", "az", "an", "at", "ag", "ad", "d", "l", "o", "mac",
    "mc", "st", "dell", "sant",
];

/// Titles, honorifics and office words. They precede names but are not part of them.
#[rustfmt::skip]
pub const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "madam", "madame", "mme", "mlle", "monsieur", "herr", "frau", "señor", "senor", "señora",
    "president", "presidents", "vice", "prime", "minister", "ministers", "secretary",
    "secretaries", "undersecretary", "chancellor", "premier", "gov", "governor", "governors",
    "sen", "senator", "senators", "rep", "reps", "representative", "congressman",
    "congresswoman", "congressmen", "mayor", "mayors", "councillor", "councilman",
    "councilwoman", "alderman", "judge", "justice", "magistrate", "attorney", "general", "gen",
    "lt", "lieut", "lieutenant", "col", "colonel", "maj", "capt", "captain", "cmdr",
    "commander", "cdr", "sgt", "sergeant", "cpl", "corporal", "pvt", "private", "adm", "admiral",
    "brig", "brigadier", "marshal", "field", "officer", "agent", "inspector", "insp", "det",
    "detective", "supt", "superintendent", "constable", "sheriff", "deputy", "chief", "king",
    "queen", "prince", "princess", "emperor", "empress", "duke", "duchess", "earl", "count",
    "countess", "baron", "baroness", "sheikh", "sheik", "emir", "sultan", "ayatollah", "imam",
    "mullah", "rabbi", "pope", "cardinal", "archbishop", "bishop", "father", "fr", "rev",
    "reverend", "pastor", "sister", "brother", "saint", "ambassador", "envoy", "consul",
    "commissioner", "speaker", "chairman", "chairwoman", "chairperson", "chair", "director",
    "executive", "ceo", "cfo", "coach", "manager", "spokesman", "spokeswoman",
    "spokesperson", "leader", "defense", "defence", "foreign", "home", "interior", "finance",
    "treasury", "health", "education", "trade", "culture", "energy", "transport", "labour",
    "environment", "agriculture", "state", "shadow", "acting", "former", "late", "hon",
    "honourable", "honorable", "jr", "sr", "snr", "jnr", "esq", "mp", "mps", "mep", "mla",
    "senior", "junior", "assistant", "associate", "first", "dj", "doctor", "nurse", "uncle",
    "aunt", "grandma", "grandpa", "mum", "mom", "dad", "auntie", "principal", "headteacher",
    "headmaster", "headmistress", "producer", "editor", "correspondent", "author", "presenter",
];

/// Capitalised words that are never names where they stand (sentence openers, pronouns,
/// months and days are handled as names: they are real proper nouns).
#[rustfmt::skip]
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "when",
    "while", "whilst", "where", "whereas", "wherever", "whenever", "why", "how", "what",
    "which", "who", "whom", "whose", "whoever", "whatever", "that", "this", "these", "those",
    "there", "here", "it", "its", "he", "she", "they", "we", "i", "you", "me", "him", "her",
    "them", "us", "my", "your", "his", "our", "their", "mine", "yours", "ours", "theirs", "in",
    "on", "at", "by", "for", "from", "to", "of", "off", "with", "without", "within", "into",
    "onto", "upon", "about", "above", "below", "under", "over", "after", "before", "since",
    "until", "till", "during", "through", "throughout", "across", "along", "among", "amongst",
    "around", "against", "between", "beyond", "behind", "beside", "besides", "despite",
    "although", "though", "because", "unless", "whether", "however", "meanwhile", "moreover",
    "furthermore", "therefore", "thus", "hence", "instead", "also", "still", "even", "just",
    "only", "not", "no", "yes", "all", "both", "each", "every", "either", "neither", "some",
    "any", "many", "much", "more", "most", "few", "fewer", "less", "least", "several", "such",
    "other", "another", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "first", "second", "third", "last", "next", "now", "today", "yesterday", "tomorrow",
    "tonight", "later", "earlier", "finally", "eventually", "recently", "currently",
    "previously", "nevertheless", "nonetheless", "otherwise", "likewise", "similarly",
    "additionally", "consequently", "fortunately", "unfortunately", "surprisingly",
    "interestingly", "clearly", "obviously", "apparently", "initially", "ultimately",
    "originally", "overall", "together", "once", "twice", "again", "already", "always", "never", "often", "sometimes",
    "perhaps", "maybe", "indeed", "certainly", "well", "oh", "ah", "so", "as", "like", "unlike",
    "according", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do",
    "does", "did", "would", "shall", "should", "could", "might", "must", "let", "please", "thanks", "thank", "dear", "hi", "hello",
    "via", "per", "plus", "minus", "versus", "vs", "etc", "ie", "eg", "fig", "image", "photo",
    "picture", "caption", "source", "sources", "update", "updated", "editor", "note", "read",
    "see", "also", "why", "q", "a",
];

fn in_list(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// Lowercase particles that stand as words between or before the capitalised parts of a name
/// (`Ludwig van Beethoven`, `Osama bin Laden`, `said de Gaulle`).
#[rustfmt::skip]
fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "al" | "el"
            | "bin"
            | "ibn"
            | "bint"
            | "ben"
            | "van"
            | "von"
            | "der"
            | "den"
            | "de"
            | "del"
            | "della"
            | "dello"
            | "degli"
            | "dei"
            | "da"
            | "das"
            | "dos"
            | "di"
            | "du"
            | "des"
            | "le"
            | "la"
            | "ter"
            | "zu"
            | "y"
            | "abu"
            | "af"
            | "av"
    )
}

fn set_of(list: &'static [&'static str]) -> HashSet<&'static str> {
    list.iter().copied().collect()
}

fn titles() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set_of(TITLES))
}

fn function_words() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set_of(FUNCTION_WORDS))
}

/// Lowercase, for list look-ups.
pub fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// Look a word up in a lowercase set, without allocating for short ASCII words.
fn in_set(set: &HashSet<&'static str>, word: &str) -> bool {
    let b = word.as_bytes();
    if b.len() <= 24 && word.is_ascii() {
        let mut buf = [0u8; 24];
        for (d, s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        // ASCII in, ASCII out.
        std::str::from_utf8(&buf[..b.len()]).is_ok_and(|w| set.contains(w))
    } else {
        set.contains(lower(word).as_str())
    }
}

pub fn is_title(word: &str) -> bool {
    in_set(titles(), word)
}

pub fn is_function_word(word: &str) -> bool {
    in_set(function_words(), word)
}

/// Words that make up the names of many different places and bodies (South Africa, South
/// America; Harvard University, Howard University). Sharing one says nothing about two
/// spellings being one name.
#[rustfmt::skip]
pub const GENERIC_NAME_WORDS: &[&str] = &[
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "new", "old", "upper", "lower", "great", "greater", "little", "big", "grand", "high", "low",
    "saint", "st", "san", "santa", "sao", "los", "las", "fort", "port", "mount", "mt", "lake",
    "river", "island", "islands", "isle", "bay", "gulf", "sea", "ocean", "valley", "hill",
    "hills", "county", "city", "town", "village", "province", "region", "district", "state",
    "states", "republic", "kingdom", "united", "national", "international", "royal", "federal",
    "university", "college", "school", "academy", "institute", "hospital", "clinic", "centre",
    "center", "museum", "gallery", "library", "theatre", "theater", "church", "cathedral",
    "mosque", "temple", "party", "council", "committee", "commission", "association", "society",
    "foundation", "trust", "fund", "bank", "company", "corporation", "group", "agency",
    "authority", "department", "ministry", "office", "service", "services", "court", "house",
    "hall", "tower", "bridge", "street", "road", "avenue", "square", "park", "airport",
    "station", "stadium", "league", "cup", "club", "fc", "times", "news", "post", "daily",
    "herald", "journal", "review", "press", "radio", "television", "tv", "network", "games",
    "award", "awards", "prize", "festival", "day", "week", "year", "war", "world", "army",
    "navy", "force", "police", "project", "programme", "program", "act", "bill", "treaty",
];

fn generic_words() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set_of(GENERIC_NAME_WORDS))
}

/// Is a folded word one that many different names share?
pub fn is_generic(folded: &str) -> bool {
    generic_words().contains(folded)
}

/// Abbreviations whose full stop does not end a sentence.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "st", "gen", "sen", "rep", "gov", "lt", "col", "capt",
    "cmdr", "sgt", "cpl", "pvt", "adm", "brig", "maj", "rev", "fr", "jr", "sr", "snr", "jnr",
    "mt", "ft", "hon", "insp", "det", "supt", "messrs", "mme", "mlle", "no", "nos", "vs", "etc",
    "inc", "ltd", "co", "corp", "approx", "dept", "univ", "ave", "blvd", "rd", "esq", "lieut",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && unicode_normalization::char::is_combining_mark(c))
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
        if is_function_word(word) {
            return Kind::Function;
        }
        if is_title(word) {
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
        && (is_particle(&lower(head)) || in_list(PREFIX_PARTICLES, &lower(head)))
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
    pub fn new(doc: &Document) -> Self {
        let mut words = Vec::new();
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
            scan_paragraph(&doc.prose, p.span.clone(), pi, &mut words);
        }
        let (mentions, mention_of) = build_mentions(&words);
        Extract {
            words,
            mentions,
            mention_of,
        }
    }
}

/// Scan one paragraph into words.
fn scan_paragraph(prose: &str, span: Range<usize>, para: usize, out: &mut Vec<Word>) {
    let text = &prose[span.clone()];
    let base = span.start;
    let first_word = out.len();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0usize;
    let mut sentence_start = true;
    let mut gap_plain = false;
    let mut prev_was_acronym = false;
    while i < chars.len() {
        let (_, c) = chars[i];
        // A transliterated ʿayn opening a name ('Abbas, ʿAli) is part of the name's run.
        let ayn = matches!(c, '\'' | 'ʿ' | 'ʼ')
            && i > 0
            && chars[i - 1].1.is_whitespace()
            && chars.get(i + 1).is_some_and(|n| n.1.is_uppercase());
        if !is_word_char(c) && ayn {
            i += 1;
            continue;
        }
        if !is_word_char(c) {
            if c.is_whitespace() {
                // keep gap_plain as is
            } else {
                gap_plain = false;
                match c {
                    '.' | '!' | '?' | '…' | ':' => sentence_start = true,
                    '—' | '–' if prev_was_acronym => sentence_start = true,
                    '•' | '·' => sentence_start = true,
                    _ => {}
                }
            }
            i += 1;
            continue;
        }
        // A word: letters, marks, digits, with inner apostrophes/hyphens, and dotted
        // abbreviations of single letters (U.S, D.C).
        let start = i;
        let mut j = i + 1;
        loop {
            if j < chars.len() && is_word_char(chars[j].1) {
                j += 1;
                continue;
            }
            if j + 1 < chars.len()
                && (APOSTROPHES.contains(&chars[j].1) || HYPHENS.contains(&chars[j].1))
                && is_word_char(chars[j + 1].1)
            {
                j += 2;
                continue;
            }
            // U.S → single letters joined by dots.
            if j + 1 < chars.len()
                && chars[j].1 == '.'
                && chars[j + 1].1.is_alphabetic()
                && j >= 1
                && chars[j - 1].1.is_alphabetic()
                && (j - 1 == start || chars[j - 2].1 == '.')
                && (j + 2 >= chars.len() || !is_word_char(chars[j + 2].1))
            {
                j += 2;
                continue;
            }
            break;
        }
        let ws = chars[start].0;
        let we = if j < chars.len() {
            chars[j].0
        } else {
            text.len()
        };
        let raw = &text[ws..we];
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
        let followed_by_dot = j < chars.len() && chars[j].1 == '.';
        out.push(Word {
            span: base + ws..base + ws + core_end,
            kind,
            possessive,
            initial: sentence_start,
            plain_gap: gap_plain,
            para,
            title_case: false,
        });
        // A full stop after an abbreviation or an initial does not end the sentence.
        let mut skip_dot = false;
        if followed_by_dot {
            let lw = lower(core);
            if kind == Kind::Initial || in_list(ABBREVIATIONS, &lw) {
                skip_dot = true;
            }
        }
        sentence_start = false;
        gap_plain = true;
        prev_was_acronym = kind == Kind::Acronym;
        i = j;
        if skip_dot {
            i += 1;
            gap_plain = true;
        }
    }
    // Title-case headline: most longer words capitalised and no sentence punctuation at the
    // end. Capitals there prove nothing.
    let ws = &mut out[first_word..];
    let long: Vec<bool> = ws
        .iter()
        .filter(|w| {
            let t = &prose[w.span.clone()];
            t.len() >= 4 && (t.is_ascii() || t.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        })
        .map(|w| is_capitalised(&prose[w.span.clone()]))
        .collect();
    let caps = long.iter().filter(|c| **c).count();
    let ends_sentence = text
        .trim_end()
        .trim_end_matches(['"', '”', '’', '\'', ')', ']'])
        .ends_with(['.', '!', '?', ':']);
    if long.len() >= 3 && caps * 4 >= long.len() * 3 && !ends_sentence && ws.len() <= 30 {
        for w in ws.iter_mut() {
            w.initial = true;
            w.title_case = true;
        }
    }
}

fn build_mentions(words: &[Word]) -> (Vec<Mention>, Vec<Option<usize>>) {
    let mut mentions = Vec::new();
    let mut mention_of = vec![None; words.len()];
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
            && words[j].para == words[i].para
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
            let m = mentions.len();
            for slot in &mut mention_of[start..end] {
                *slot = Some(m);
            }
            mentions.push(Mention { words: start..end });
        }
        i = j.max(i + 1);
    }
    (mentions, mention_of)
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
