//! The reporter's recordings: transcripts parsed into turns and words, and an index of word
//! pairs over all of them, for checking quotations against what was said (issue 15).
//!
//! Sources come into the core as data: the caller (server, CLI) reads the files and builds a
//! [`SourceIndex`]; analysis sees it through [`Settings::sources`](crate::config::Settings),
//! a shared immutable handle whose identity is its generation, so a new index resets the
//! rules' memos like a settings change does. The core never reads files.
//!
//! - `parse`: transcripts (labelled text and markdown, WebVTT, SubRip) → turns.
//! - `words`: comparison keys, a quotation's omissions and bracketed insertions.
//! - `align`: the best passage for a quotation, word by word.
//! - `verify`: quotations of a document checked (and cached) for the rules and hover.

pub mod align;
pub mod parse;
pub mod verify;
pub mod words;

use parse::Turn;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use words::Word;

/// One word of a source and the turn it belongs to.
#[derive(Clone, Debug)]
pub struct SourceWord {
    pub word: Word,
    pub turn: u32,
}

/// One transcript.
#[derive(Debug)]
pub struct SourceFile {
    /// The caller's key for it (a URI in the server, a path in the CLI).
    pub key: String,
    /// How messages name it ("council-meeting.vtt").
    pub name: String,
    pub text: String,
    pub turns: Vec<Turn>,
    pub words: Vec<SourceWord>,
    /// Full names the file's header gives, by lowercase surname (see [`SourceFile::full_name`]).
    names: Vec<(String, String)>,
}

impl SourceFile {
    pub fn new(key: String, name: String, text: String) -> Self {
        let turns = parse::parse(&name, &text);
        let mut words = Vec::new();
        let mut buf = Vec::new();
        for (t, turn) in turns.iter().enumerate() {
            for p in &turn.pieces {
                buf.clear();
                words::source_words(&text[p.clone()], p.start, &mut buf);
                words.extend(buf.drain(..).map(|word| SourceWord {
                    word,
                    turn: t as u32,
                }));
            }
        }
        SourceFile {
            key,
            name,
            names: Self::header_names(&text),
            text,
            turns,
            words,
        }
    }

    /// How a message names a speaker label: the fullest form of the name the file gives
    /// ("MENON" → "Ravi Menon" when the header says "Interview with Ravi Menon").
    pub fn full_name(&self, label: &str) -> Option<String> {
        let want = label.trim().to_lowercase();
        if want.contains(' ') || want.chars().count() < 3 {
            return None;
        }
        self.names
            .iter()
            .find(|(last, _)| *last == want)
            .map(|(_, full)| full.clone())
    }

    /// Two-word names in the file's first few thousand bytes ("Ravi Menon"), by their
    /// lowercase last word, in order.
    fn header_names(text: &str) -> Vec<(String, String)> {
        let cut = (0..=text.len().min(4000))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let head = &text[..cut];
        let words: Vec<&str> = head
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '-')
            .filter(|w| !w.is_empty())
            .collect();
        let mut out: Vec<(String, String)> = Vec::new();
        for w in words.windows(2) {
            let cap = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
            if cap(w[0])
                && cap(w[1])
                && w[1].chars().any(char::is_lowercase)
                && w[0].chars().any(char::is_lowercase)
                && !["Interview", "With", "Mr", "Ms", "Mrs", "Dr", "The"].contains(&w[0])
            {
                let last = w[1].to_lowercase();
                if !out.iter().any(|(l, _)| *l == last) {
                    out.push((last, format!("{} {}", w[0], w[1])));
                }
            }
        }
        out
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, at: usize) -> usize {
        1 + memchr::memchr_iter(b'\n', &self.text.as_bytes()[..at.min(self.text.len())]).count()
    }

    /// The source's text for a run of its words, on one line.
    pub fn words_text(&self, words: Range<usize>) -> String {
        let (Some(a), Some(b)) = (self.words.get(words.start), self.words.get(words.end - 1))
        else {
            return String::new();
        };
        self.text[a.word.span.start..b.word.span.end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Word-pair occurrences in the sources: (file, index of the pair's first word).
type Pairs = HashMap<u64, Vec<(u32, u32)>, std::hash::BuildHasherDefault<PairHasher>>;

/// Every source of a story, indexed.
#[derive(Debug, Default)]
pub struct SourceIndex {
    files: Vec<SourceFile>,
    pairs: Pairs,
    generation: u64,
    words: usize,
}

impl SourceIndex {
    /// Index files given as (key, display name, text). `generation` identifies this version
    /// of the sources (the caller bumps it when they change).
    pub fn new(files: impl IntoIterator<Item = (String, String, String)>, generation: u64) -> Self {
        let files: Vec<SourceFile> = files
            .into_iter()
            .map(|(k, n, t)| SourceFile::new(k, n, t))
            .collect();
        let mut pairs = Pairs::default();
        let mut count = 0;
        for (f, file) in files.iter().enumerate() {
            count += file.words.len();
            let content: Vec<usize> = (0..file.words.len())
                .filter(|&i| !words::is_filler(&file.words[i].word.key))
                .collect();
            for w in content.windows(2) {
                let h = pair_hash(&file.words[w[0]].word.key, &file.words[w[1]].word.key);
                pairs.entry(h).or_default().push((f as u32, w[0] as u32));
            }
        }
        SourceIndex {
            files,
            pairs,
            generation,
            words: count,
        }
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
    pub fn file(&self, i: usize) -> &SourceFile {
        &self.files[i]
    }
    pub fn generation(&self) -> u64 {
        self.generation
    }
    /// Words in all sources.
    pub fn word_count(&self) -> usize {
        self.words
    }
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }

    pub(crate) fn pair_hits(&self, a: &str, b: &str) -> &[(u32, u32)] {
        self.pairs.get(&pair_hash(a, b)).map_or(&[], |v| v)
    }
}

fn pair_hash(a: &str, b: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(a.as_bytes());
    h.update(&[0]);
    h.update(b.as_bytes());
    h.digest()
}

/// The keys are hashes already.
#[derive(Default)]
pub struct PairHasher(u64);
impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The sources analysis checks quotations against: none, or a shared index. Two handles are
/// equal when they share the same index (or both have none), so settings compare cheaply
/// and a new index is a settings change.
#[derive(Clone, Default)]
pub struct Sources(Option<Arc<SourceIndex>>);

impl Sources {
    pub fn new(index: Arc<SourceIndex>) -> Self {
        Sources(Some(index))
    }
    pub fn index(&self) -> Option<&SourceIndex> {
        self.0.as_deref().filter(|i| !i.is_empty())
    }
}

impl PartialEq for Sources {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            None => write!(f, "Sources(none)"),
            Some(i) => write!(
                f,
                "Sources(generation {}, {} files, {} words)",
                i.generation,
                i.files.len(),
                i.words
            ),
        }
    }
}

/// `[quote-sources]`: where the sources of a story are (read by the server and the CLI; the
/// core only sees the index).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct QuoteSourcesSettings {
    /// Files, folders or globs, relative to `copydesk.toml`. Empty: `sources/` at the
    /// workspace root.
    pub paths: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::quoted::QuotedSpeech;
    use proptest::prelude::*;

    fn texty() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("we".to_string()),
                Just("found".to_string()),
                Just("a billion".to_string()),
                Just("not".to_string()),
                Just("MENON:".to_string()),
                Just("[00:01:02]".to_string()),
                Just("<v Dana>".to_string()),
                Just("00:00:01.000 --> 00:00:02.000".to_string()),
                Just("…".to_string()),
                Just("...".to_string()),
                Just("[the".to_string()),
                Just("]".to_string()),
                Just("co-\n".to_string()),
                Just("\n\n".to_string()),
                Just("é".to_string()),
                Just("um".to_string()),
                "[a-zA-Z0-9 ,.:<>\\[\\]()’“”-]{0,12}",
            ],
            0..60,
        )
        .prop_map(|v| v.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Any transcript and any quotation: no panic, and every span it reports is inside
        /// the texts and on character boundaries.
        #[test]
        fn any_source_and_quotation(src in texty(), quote in texty(), name in prop_oneof![Just("a.txt"), Just("b.vtt"), Just("c.srt")]) {
            let ix = SourceIndex::new([("k".to_string(), name.to_string(), src.clone())], 1);
            let text = format!("“{quote}”");
            let inner = "“".len()..text.len() - "”".len();
            let q = QuotedSpeech { span: 0..text.len(), parts: std::iter::once(inner).collect(), speaker: None };
            if let Some(o) = verify::check_one(&ix, &text, &q)
                && let verify::Outcome::Found(v) = &*o
            {
                prop_assert!(src.is_char_boundary(v.source_span.start) && src.is_char_boundary(v.source_span.end));
                prop_assert!(v.source_span.end <= src.len());
                for d in &v.diffs {
                    prop_assert!(d.edit.span.end <= text.len());
                    prop_assert!(text.is_char_boundary(d.edit.span.start) && text.is_char_boundary(d.edit.span.end));
                }
                let edits: Vec<_> = v.diffs.iter().map(|d| d.edit.clone()).collect();
                prop_assert!(crate::analysis::apply_edits(&text, &edits).is_some());
            }
        }
    }
}
