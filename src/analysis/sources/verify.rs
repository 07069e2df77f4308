//! The quotations of a document checked against the sources: what the rules report and
//! hover shows. Each quotation's result depends only on its own text, its parts, the
//! speaker the draft gives it and the index, so it is kept by those (offsets relative to the
//! quotation) and a keystroke elsewhere re-aligns nothing.

use super::align::{self, Alignment};
use super::words::{Tok, is_negation, tokens};
use super::{SourceFile, SourceIndex};
use crate::analysis::cache::ParaCache;
use crate::analysis::document::Document;
use crate::analysis::finding::Edit;
use crate::analysis::quoted::{QuoteSpeaker, QuotedSpeech};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

/// Quotations shorter than this many words are not checked.
pub const MIN_WORDS: usize = 5;

/// One place where a quotation's words differ from the source's.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    /// The quotation's words here (empty: the quotation leaves out source words).
    pub quote_text: String,
    /// The source's words here (empty: the quotation adds words).
    pub source_text: String,
    /// A negation is involved ("not", "never", "didn't").
    pub negation: bool,
    /// The edit that restores the source's words (offsets relative to the quotation).
    pub edit: Edit,
}

impl Diff {
    pub fn describe(&self) -> String {
        match (self.quote_text.is_empty(), self.source_text.is_empty()) {
            (false, false) => format!(
                "‘{}’ where the recording has ‘{}’",
                self.quote_text, self.source_text
            ),
            (false, true) => format!("the recording has no ‘{}’", self.quote_text),
            _ => format!(
                "the quotation leaves out the recording’s ‘{}’",
                self.source_text
            ),
        }
    }
}

/// Where a quotation was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub file: usize,
    /// Byte span of the passage in the source file.
    pub source_span: Range<usize>,
    /// The speaker label of the passage, when all of it is one speaker's.
    pub label: Option<String>,
    pub time: Option<String>,
    pub line: usize,
    /// Negations first.
    pub diffs: Vec<Diff>,
    /// Does the passage's speaker agree with the draft's? `None`: cannot tell.
    pub same_speaker: Option<bool>,
}

/// What checking one quotation found.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Found(Verdict),
    /// Long enough to check, and not in any source.
    Unsourced,
}

/// A quotation and what checking it found (`None`: too short to check).
pub struct Checked {
    pub quote: QuotedSpeech,
    pub outcome: Option<Arc<Outcome>>,
}

/// Results kept between analyses of one document (see the module doc), by
/// [`quotation_key`]. The engine owns it.
pub type Cache = ParaCache<Option<Arc<Outcome>>>;

/// What a quotation's result depends on besides the index: its text, its parts (relative to
/// its start) and the speaker the draft gives it.
pub fn quotation_key(text: &str, q: &QuotedSpeech) -> u64 {
    let base = q.span.start;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    text.get(q.span.clone()).unwrap_or("").hash(&mut h);
    for p in &q.parts {
        (p.start - base, p.end - base).hash(&mut h);
    }
    q.speaker.as_ref().map(|s| (&s.name, &s.full)).hash(&mut h);
    h.finish()
}

/// Check `quotations` of `doc` against the sources. `cache`: results of earlier analyses
/// (call `begin`/`end` around this).
pub fn check_all(
    doc: &Document,
    index: &SourceIndex,
    quotations: &[QuotedSpeech],
    cache: &mut Cache,
) -> Vec<Checked> {
    quotations
        .iter()
        .cloned()
        .map(|q| {
            let outcome = cache
                .get_or_insert_with(quotation_key(doc.text, &q), || {
                    check_one(index, doc.text, &q)
                })
                .clone();
            Checked { quote: q, outcome }
        })
        .collect()
}

/// One quotation (offsets in the result relative to `q.span.start`).
pub fn check_one(index: &SourceIndex, text: &str, q: &QuotedSpeech) -> Option<Arc<Outcome>> {
    let base = q.span.start;
    let mut items: Vec<Tok> = Vec::new();
    for (k, p) in q.parts.iter().enumerate() {
        if k > 0 && !matches!(items.last(), Some(Tok::Gap)) {
            items.push(Tok::Gap);
        }
        tokens(text.get(p.clone())?, p.start - base, true, &mut items);
    }
    let words = items.iter().filter(|t| matches!(t, Tok::Word(_))).count();
    if words < MIN_WORDS {
        return None;
    }
    // The draft's speaker's own words, if they are anywhere in the sources (an interviewer
    // repeating them, or someone quoting them back, is not who said them); else the best.
    let found: Vec<Alignment> = align::best(index, &items)
        .into_iter()
        .filter(Alignment::found)
        .collect();
    let Some(best) = found
        .iter()
        .find(|a| {
            q.speaker.as_ref().is_some_and(|s| {
                speaker_of(index, a).is_some_and(|l| {
                    let full = index.file(a.file).full_name(&l).unwrap_or(l);
                    same_speaker(s, &full) == Some(true)
                })
            })
        })
        .or(found.first())
    else {
        return Some(Arc::new(Outcome::Unsourced));
    };
    let file = index.file(best.file);
    let label = speaker_of(index, best);
    let first = &file.words[best.words.start];
    let last = &file.words[best.words.end - 1];
    let turn = &file.turns[first.turn as usize];
    let quote_rel = |i: usize| match &items[i] {
        Tok::Word(w) => w.span.clone(),
        Tok::Wild(r) => r.clone(),
        Tok::Gap => 0..0,
    };
    // The neighbour an edit is placed against: a word or a bracket, never an omission.
    let neighbour = |i: Option<usize>| i.filter(|&i| !matches!(items[i], Tok::Gap)).map(quote_rel);
    let mut diffs: Vec<Diff> = best
        .runs
        .iter()
        .map(|r| {
            let qtext = |ix: &[usize]| -> String {
                match (ix.first(), ix.last()) {
                    (Some(&a), Some(&b)) => text
                        [base + quote_rel(a).start..base + quote_rel(b).end]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => String::new(),
                }
            };
            let quote_text = qtext(&r.quote);
            let source_text = match (r.source.first(), r.source.last()) {
                (Some(&a), Some(&b)) => file.words_text(a..b + 1),
                _ => String::new(),
            };
            let negation = r.quote.iter().any(|&i| match &items[i] {
                Tok::Word(w) => is_negation(&w.key),
                _ => false,
            }) || r
                .source
                .iter()
                .any(|&s| is_negation(&file.words[s].word.key));
            let edit = restore(
                text,
                base,
                r,
                &quote_rel,
                (neighbour(r.after), neighbour(r.before)),
                &source_text,
            );
            Diff {
                quote_text,
                source_text,
                negation,
                edit,
            }
        })
        .collect();
    diffs.sort_by_key(|d| !d.negation);
    // The label as the transcript's header names them ("MENON" → "Ravi Menon").
    let same = match (&q.speaker, &label) {
        (Some(s), Some(l)) => same_speaker(s, &file.full_name(l).unwrap_or_else(|| l.clone())),
        _ => None,
    };
    Some(Arc::new(Outcome::Found(Verdict {
        file: best.file,
        source_span: first.word.span.start..last.word.span.end,
        label,
        time: turn.time.clone(),
        line: file.line_of(first.word.span.start),
        diffs,
        same_speaker: same,
    })))
}

/// The edit (relative to the quotation) that puts the source's words in place of a run.
fn restore(
    text: &str,
    base: usize,
    r: &align::Run,
    rel: &dyn Fn(usize) -> Range<usize>,
    (after, before): (Option<Range<usize>>, Option<Range<usize>>),
    source_text: &str,
) -> Edit {
    match (r.quote.first(), r.quote.last()) {
        (Some(&a), Some(&b)) => {
            let span = rel(a).start..rel(b).end;
            if source_text.is_empty() {
                // Words the recording does not have: delete them and one space beside them.
                let span = match (&after, &before) {
                    (Some(p), _) => p.end..span.end,
                    (None, Some(n)) => span.start..n.start,
                    (None, None) => span,
                };
                return Edit::delete(span);
            }
            let mut replacement = source_text.to_string();
            let old = &text[base + span.start..base + span.end];
            if old.chars().next().is_some_and(char::is_uppercase) && after.is_none() {
                let mut c = replacement.chars();
                if let Some(f) = c.next() {
                    replacement = f.to_uppercase().chain(c).collect();
                }
            }
            Edit { span, replacement }
        }
        _ => match (&after, &before) {
            (Some(p), _) => Edit::insert(p.end, format!(" {source_text}")),
            (None, Some(n)) => Edit::insert(n.start, format!("{source_text} ")),
            (None, None) => Edit::insert(0, source_text.to_string()),
        },
    }
}

/// The speaker of a passage, when one speaker says all of it.
fn speaker_of(index: &SourceIndex, a: &Alignment) -> Option<String> {
    let file = index.file(a.file);
    let mut label: Option<&str> = None;
    for w in &file.words[a.words.clone()] {
        let l = file.turns[w.turn as usize].speaker.as_deref()?;
        match label {
            None => label = Some(l),
            Some(x) if x == l => {}
            Some(_) => return None,
        }
    }
    label.map(str::to_string)
}

/// Titles a label or a draft may put before a name.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "mayor",
    "councillor",
    "councilor",
    "council",
    "member",
    "cllr",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "president",
    "chief",
    "minister",
    "judge",
    "officer",
    "detective",
    "sgt",
    "sergeant",
    "capt",
    "captain",
    "rev",
    "reverend",
    "father",
    "commissioner",
    "superintendent",
    "inspector",
    "deputy",
    "chair",
    "chairman",
    "chairwoman",
];
/// Labels that say nothing about who is speaking.
const GENERIC: &[&str] = &[
    "speaker",
    "unknown",
    "voice",
    "person",
    "participant",
    "male",
    "female",
    "audience",
    "crowd",
    "a",
    "answer",
    "unidentified",
    "host",
    "guest",
    "caller",
    "man",
    "woman",
];
/// Labels for the reporter asking the questions.
const INTERVIEWER: &[&str] = &["interviewer", "q", "question", "reporter"];

fn name_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !TITLES.contains(&w.as_str()))
        .collect()
}

/// Is the label the interviewer's?
pub fn is_interviewer(label: &str) -> bool {
    let w = name_words(label);
    w.len() == 1 && INTERVIEWER.contains(&w[0].as_str())
}

/// Is a transcript's speaker label the person the draft names? `None` when the label does
/// not say who it is ("Speaker 2", "Unknown").
pub fn same_speaker(draft: &QuoteSpeaker, label: &str) -> Option<bool> {
    let l = name_words(label);
    // "a council member said": nobody a transcript label can be compared with.
    if l.is_empty() || !draft.named {
        return None;
    }
    if is_interviewer(label) {
        return Some(false);
    }
    if l.iter()
        .any(|w| GENERIC.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let mut d = name_words(draft.full.as_deref().unwrap_or(&draft.name));
    d.extend(name_words(&draft.name));
    if d.is_empty() {
        return None;
    }
    // A surname or a first name in common is the same person; initials cannot tell.
    if l.iter().any(|w| d.contains(w)) {
        return Some(true);
    }
    if l.iter().all(|w| w.chars().count() <= 2) {
        return None;
    }
    // "DANA" against a draft that only says "Whitlock": a first name and a surname cannot
    // be told apart.
    if l.len() == 1 && draft.full.is_none() && name_words(&draft.name).len() == 1 {
        return None;
    }
    Some(false)
}

/// How a message names the speaker of a source's label: the interviewer's label → "the
/// interviewer"; "MENON" → "Ravi Menon" when the file names him so; "DANA WHITLOCK" →
/// "Dana Whitlock".
pub fn speaker_name(file: &SourceFile, label: &str) -> String {
    if is_interviewer(label) {
        return "the interviewer".into();
    }
    file.full_name(label)
        .unwrap_or_else(|| display_label(label))
}

/// How a message names a label: "DANA WHITLOCK" → "Dana Whitlock"; the interviewer's label
/// → "the interviewer".
pub fn display_label(label: &str) -> String {
    if is_interviewer(label) {
        return "the interviewer".into();
    }
    if label.chars().any(char::is_lowercase) {
        return label.to_string();
    }
    label
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// "council-meeting.vtt 00:41:07" or "notes.txt line 12".
pub fn place(file: &SourceFile, v: &Verdict) -> String {
    match &v.time {
        Some(t) => format!("{} {t}", file.name),
        None => format!("{} line {}", file.name, v.line),
    }
}

/// Hover on a quotation of `quotations` (the document's): where it was found, and who says it.
pub fn hover(
    doc: &Document,
    index: &SourceIndex,
    quotations: Vec<QuotedSpeech>,
    offset: usize,
) -> Option<(Range<usize>, String)> {
    let q = quotations
        .into_iter()
        .find(|q| q.span.start <= offset && offset < q.span.end)?;
    let outcome = check_one(index, doc.text, &q)?;
    let Outcome::Found(v) = &*outcome else {
        return Some((
            q.span,
            format!(
                "Not found in the sources ({} files, {} words)",
                index.files().len(),
                index.word_count()
            ),
        ));
    };
    let file = index.file(v.file);
    let who = v
        .label
        .as_ref()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let passage = file.text[v.source_span.clone()]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let head = if v.diffs.is_empty() {
        format!("Verified: {}{who}", place(file, v))
    } else {
        format!("Differs from the source: {}{who}", place(file, v))
    };
    Some((q.span, format!("{head}\n\n> {passage}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(name: &str, full: Option<&str>) -> QuoteSpeaker {
        QuoteSpeaker {
            name: name.into(),
            full: full.map(String::from),
            named: true,
        }
    }

    #[test]
    fn speakers_compared_by_name() {
        let w = sp("Whitlock", Some("Dana Whitlock"));
        assert_eq!(same_speaker(&w, "DANA WHITLOCK"), Some(true));
        assert_eq!(same_speaker(&w, "Councillor Whitlock"), Some(true));
        assert_eq!(same_speaker(&w, "Dana"), Some(true));
        assert_eq!(same_speaker(&w, "Ravi Menon"), Some(false));
        assert_eq!(same_speaker(&w, "INTERVIEWER"), Some(false));
        assert_eq!(same_speaker(&w, "Q"), Some(false));
        assert_eq!(same_speaker(&w, "Speaker 2"), None);
        assert_eq!(same_speaker(&w, "DW"), None);
        // Only a surname in the draft: a one-word label may be a first name.
        let short = sp("Whitlock", None);
        assert_eq!(same_speaker(&short, "DANA"), None);
        assert_eq!(same_speaker(&short, "Ravi Menon"), Some(false));
        assert_eq!(same_speaker(&short, "WHITLOCK"), Some(true));
        assert_eq!(display_label("RAVI MENON"), "Ravi Menon");
        assert_eq!(display_label("Q"), "the interviewer");
    }
}
