//! Words as the source check compares them: case, accents, quote and apostrophe styles,
//! punctuation, hyphens and line breaks ignored (`Don’t` = `dont`, `well-\nknown` =
//! `wellknown`, `1,200` = `1200`). In a quotation, an ellipsis is an omission and a
//! `[bracketed]` span an editor's insertion or replacement; in a source, bracketed notes
//! (`[inaudible]`, `[laughs]`) are not words.

use std::ops::Range;
use std::sync::OnceLock;

/// One word: its comparison key and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub key: Box<str>,
    pub span: Range<usize>,
}

/// An item of a quotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Word(Word),
    /// An ellipsis (`…`, `...`, `[…]`), or the break between two parts of a split quotation:
    /// any stretch of the source may be left out here.
    Gap,
    /// `[The mayor]`: stands for up to a few words of the source.
    Wild(Range<usize>),
}

/// Filler words a quotation may drop from the recording (`fillers.txt`).
pub fn is_filler(key: &str) -> bool {
    static SET: OnceLock<Vec<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("fillers.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
    .contains(&key)
}

/// A negation, which a message mentions first.
pub fn is_negation(key: &str) -> bool {
    matches!(
        key,
        "not" | "no" | "never" | "nor" | "none" | "nobody" | "nothing" | "neither" | "cannot"
    ) || (key.len() > 3 && key.ends_with("nt") && NT.contains(&key))
}

const NT: &[&str] = &[
    "dont", "doesnt", "didnt", "cant", "couldnt", "wont", "wouldnt", "shouldnt", "isnt", "arent",
    "wasnt", "werent", "hasnt", "havent", "hadnt", "mustnt", "neednt", "aint",
];

fn joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '-' | '‐' | '‑' | '\u{00AD}')
}

/// The words (and, in a quotation, omissions and bracketed insertions) of `text`, with
/// spans offset by `base`. `quote`: read `…` and `[…]` as a quotation's conventions.
pub fn tokens(text: &str, base: usize, quote: bool, out: &mut Vec<Tok>) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut word_start: Option<usize> = None;
    let mut key = String::new();
    let flush = |start: &mut Option<usize>, key: &mut String, end: usize, out: &mut Vec<Tok>| {
        if let Some(s) = start.take()
            && !key.is_empty()
        {
            out.push(Tok::Word(Word {
                key: std::mem::take(key).into_boxed_str(),
                span: base + s..base + end,
            }));
        }
        key.clear();
    };
    // The end of the last character that belongs to the current word.
    let mut word_end = 0;
    while i < text.len() {
        let c = text[i..].chars().next().expect("char boundary");
        let len = c.len_utf8();
        if c.is_alphanumeric() {
            if word_start.is_none() {
                word_start = Some(i);
            }
            if c.is_ascii() {
                key.push(c.to_ascii_lowercase());
            } else {
                let folded = deunicode::deunicode_char(c).unwrap_or("");
                let mut any = false;
                for ch in folded.chars().filter(|c| c.is_alphanumeric()) {
                    key.push(ch.to_ascii_lowercase());
                    any = true;
                }
                if !any {
                    key.extend(c.to_lowercase());
                }
            }
            word_end = i + len;
            i += len;
            continue;
        }
        // Inside a word: an apostrophe or hyphen (also across a line break: `gov-\nernment`),
        // a decimal point or thousands separator between digits.
        if word_start.is_some() {
            let next = text[i + len..].chars().next();
            let prev_digit = key.chars().last().is_some_and(|c| c.is_ascii_digit());
            if joiner(c) {
                let mut j = i + len;
                if matches!(c, '-' | '‐' | '‑' | '\u{00AD}') {
                    // `gov-\nernment`: a hyphen at a line's end joins the next line's word.
                    while j < b.len() && matches!(b[j], b'\n' | b'\r' | b' ' | b'\t') {
                        if b[j] == b'\n' || b[j] == b'\r' {
                            j += 1;
                            while j < b.len() && matches!(b[j], b' ' | b'\t') {
                                j += 1;
                            }
                            break;
                        }
                        j += 1;
                    }
                    if !text[i + len..j].contains(['\n', '\r']) {
                        j = i + len;
                    }
                }
                if text[j..].chars().next().is_some_and(char::is_alphanumeric) {
                    i = j;
                    continue;
                }
            } else if matches!(c, '.' | ',')
                && prev_digit
                && next.is_some_and(|n| n.is_ascii_digit())
            {
                i += len;
                continue;
            }
            flush(&mut word_start, &mut key, word_end, out);
        }
        if quote {
            // `…`, `...`, `. . .`: an omission.
            if c == '…' {
                push_gap(out);
                i += len;
                continue;
            }
            if c == '.' && (text[i..].starts_with("...") || text[i..].starts_with(". . .")) {
                push_gap(out);
                i += if text[i..].starts_with("...") { 3 } else { 5 };
                while text[i..].starts_with('.') {
                    i += 1;
                }
                continue;
            }
        }
        if c == '['
            && let Some(close) = text[i..].find(']').map(|k| i + k)
            && !text[i..close].contains('\n')
        {
            if quote {
                let inner = text[i + 1..close].trim();
                if inner.is_empty() || inner.chars().all(|c| c == '.' || c == '…' || c == ' ') {
                    push_gap(out);
                } else {
                    out.push(Tok::Wild(base + i..base + close + 1));
                }
            }
            // In a source: `[inaudible]`, `[laughs]` are not words.
            i = close + 1;
            continue;
        }
        i += len;
    }
    flush(&mut word_start, &mut key, word_end, out);
}

fn push_gap(out: &mut Vec<Tok>) {
    if !matches!(out.last(), Some(Tok::Gap)) {
        out.push(Tok::Gap);
    }
}

/// The words of a source text (bracketed notes left out).
pub fn source_words(text: &str, base: usize, out: &mut Vec<Word>) {
    let mut toks = Vec::new();
    tokens(text, base, false, &mut toks);
    out.extend(toks.into_iter().filter_map(|t| match t {
        Tok::Word(w) => Some(w),
        _ => None,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, quote: bool) -> Vec<String> {
        let mut out = Vec::new();
        tokens(text, 0, quote, &mut out);
        out.iter()
            .map(|t| match t {
                Tok::Word(w) => w.key.to_string(),
                Tok::Gap => "…".into(),
                Tok::Wild(r) => format!("[{}]", &text[r.start + 1..r.end - 1]),
            })
            .collect()
    }

    #[test]
    fn case_apostrophes_hyphens_numbers_and_line_breaks() {
        assert_eq!(
            keys(
                "Don’t say “well-known” gov-\n  ernment $1,200.50, Café.",
                false
            ),
            ["dont", "say", "wellknown", "government", "120050", "cafe"]
        );
    }

    #[test]
    fn ellipses_and_brackets_in_quotations() {
        assert_eq!(
            keys("[The mayor] knew … and then... [...] we left", true),
            ["[The mayor]", "knew", "…", "and", "then", "…", "we", "left"]
        );
        // In a source, bracketed notes are dropped and dots are punctuation.
        assert_eq!(
            keys("Well [laughs] so... yes", false),
            ["well", "so", "yes"]
        );
    }

    #[test]
    fn fillers_and_negations() {
        assert!(is_filler("um") && is_filler("uh") && !is_filler("the"));
        assert!(is_negation("not") && is_negation("didnt") && !is_negation("note"));
    }
}
