//! Tokens and sentences of one paragraph, the crate's only tokenizer and sentence splitter:
//! words (with `’ - .` inside: "U.S.", "al-Assad", "don’t"), punctuation, and each top-level
//! quotation as one opaque token; sentences end at . ! ? … (not after an abbreviation or an
//! initial) before a capital, a digit or an opening mark, or after a quotation whose own text
//! ends one. Also a byte scan for capitalised runs in paragraphs that are not tokenised.

use super::lexicon as lx;
use lx::KeySet;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct(char),
    /// A top-level quotation (index into the rule's quotation list).
    Quote(usize),
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: Kind,
    /// Absolute byte range.
    pub span: Range<usize>,
    /// A word with a capital letter in it.
    pub upper: bool,
}

pub fn capitalized(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

pub fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Strip a possessive: Hong’s → Hong.
pub fn unpossess(s: &str) -> &str {
    s.strip_suffix("’s")
        .or_else(|| s.strip_suffix("'s"))
        .or_else(|| s.strip_suffix('’'))
        .unwrap_or(s)
}

/// Calls `f(run, initial)` with every run of capitalised words separated by single spaces
/// only ("Angela Erdmann", "The World Health Organization"), as slices of `text`: runs of two
/// or more words, and single words that start a sentence (`initial`). A cheap byte scan for
/// paragraphs that are not otherwise read.
pub fn capitalised_runs(text: &str, mut f: impl FnMut(&[&str], bool)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut run: Vec<&str> = Vec::new();
    let mut run_initial = false;
    let mut last_word = "";
    let mut at_start = true;
    let mut joined = true; // only spaces since the last word
    let mut flush = |run: &mut Vec<&str>, initial: bool| {
        if run.len() >= 2 || (initial && run.len() == 1) {
            f(run, initial);
        }
        run.clear();
    };
    // The end of the word starting at `i`: letters and digits, with ' ’ - . inside.
    let word_end = |mut i: usize| -> usize {
        while i < n {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                i += 1;
            } else if b >= 0x80 {
                let c = text[i..].chars().next().unwrap_or(' ');
                if c.is_alphanumeric() {
                    i += c.len_utf8();
                } else if c == '’'
                    && text[i + 3..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                {
                    i += 3;
                } else {
                    break;
                }
            } else if matches!(b, b'\'' | b'-' | b'.')
                && i + 1 < n
                && (bytes[i + 1].is_ascii_alphanumeric() || bytes[i + 1] >= 0x80)
            {
                i += 1;
            } else {
                break;
            }
        }
        i
    };
    let mut i = 0;
    while i < n {
        // Nothing to remember yet: skip eight bytes at a time while they hold no capital,
        // no non-ASCII and no sentence end.
        if run.is_empty() && !at_start {
            let from = i;
            while i + 8 <= n {
                let mut w = [0u8; 8];
                w.copy_from_slice(&bytes[i..i + 8]);
                if !plain_lowercase_block(u64::from_le_bytes(w)) {
                    break;
                }
                i += 8;
            }
            if i > from {
                // Landed inside a word: it is a lowercase one (its start was skipped).
                if bytes[i - 1].is_ascii_alphanumeric() {
                    i = word_end(i);
                }
                joined = false;
                continue;
            }
        }
        let b = bytes[i];
        let (is_word, upper, len) = if b < 0x80 {
            (b.is_ascii_alphanumeric(), b.is_ascii_uppercase(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.is_uppercase(), c.len_utf8())
        };
        if is_word {
            let start = i;
            i = word_end(i + len);
            last_word = &text[start..i];
            if upper {
                if !joined {
                    flush(&mut run, run_initial);
                }
                if run.is_empty() {
                    run_initial = at_start;
                }
                run.push(&text[start..i]);
            } else if !run.is_empty() {
                flush(&mut run, run_initial);
            }
            at_start = false;
            joined = true;
            continue;
        }
        // The period of "Dr." or "U.S." neither ends a sentence nor breaks a name.
        let abbreviation = b == b'.'
            && (last_word.contains('.')
                || last_word.len() == 1 && last_word.as_bytes()[0].is_ascii_uppercase()
                || last_word.len() <= 6 && lx::with_lower(last_word, lx::is_abbreviation));
        if b != b' ' && !abbreviation {
            joined = false;
            if matches!(b, b'.' | b'!' | b'?' | b':' | b'"')
                || b >= 0x80 && matches!(text[i..].chars().next(), Some('“' | '‘'))
            {
                at_start = true;
            }
        }
        i += len;
    }
    flush(&mut run, run_initial);
}

/// An 8-byte block of ASCII with no capital letter and none of . ! ? : "
fn plain_lowercase_block(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    if w & HIGHS != 0 {
        return false;
    }
    // Bytes in A..=Z: adding 0x3F sets the high bit from 'A' up, adding 0x25 from '[' up.
    let capitals = w.wrapping_add(ONES * 0x3F) & !w.wrapping_add(ONES * 0x25) & HIGHS;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let stops = zero(w ^ (ONES * u64::from(b'.')))
        | zero(w ^ (ONES * u64::from(b'!')))
        | zero(w ^ (ONES * u64::from(b'?')))
        | zero(w ^ (ONES * u64::from(b':')))
        | zero(w ^ (ONES * u64::from(b'"')));
    capitals == 0 && stops == 0
}

/// One paragraph's tokens, sentences and word flags.
pub struct Tokens<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    /// Token index ranges.
    pub sents: Vec<Range<usize>>,
    /// Tokens that start a sentence (or follow a colon), where any word is capitalised.
    pub initial: Vec<bool>,
    /// Lowercase copies of the words with capitals: `low[low_at[i]]`.
    pub low: String,
    pub low_at: Vec<Range<usize>>,
    /// Word tokens with a capital letter in them.
    pub has_upper: Vec<bool>,
}

impl<'a> Tokens<'a> {
    /// Tokenise `span` of `text` (the document prose). `quotes` are (id, full span) of the
    /// top-level quotations in the paragraph, in order; `ends_sentence(id)` says whether a
    /// quotation's own text ends with . ! ? or …
    pub fn new(
        text: &'a str,
        span: Range<usize>,
        quotes: &[(usize, Range<usize>)],
        ends_sentence: impl Fn(usize) -> bool,
    ) -> Self {
        let span_len = span.len();
        let toks = tokenize(text, span, quotes);
        let sents = sentences(text, &toks, ends_sentence);
        let mut initial = vec![false; toks.len()];
        for r in &sents {
            if let Some(k) = toks[r.clone()].iter().position(|t| t.kind == Kind::Word) {
                initial[r.start + k] = true;
            }
        }
        for k in 1..toks.len() {
            if matches!(toks[k - 1].kind, Kind::Punct(':' | '(' | '—' | '–')) {
                initial[k] = true;
            }
        }
        let mut low = String::with_capacity(span_len / 8);
        let mut low_at = Vec::with_capacity(toks.len());
        let mut has_upper = Vec::with_capacity(toks.len());
        for t in &toks {
            let start = low.len();
            // Only words with capitals are copied; the rest are their own lowercase.
            if t.upper {
                let w = &text[t.span.clone()];
                if w.is_ascii() {
                    low.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                } else {
                    low.extend(w.chars().flat_map(char::to_lowercase));
                }
            }
            has_upper.push(t.upper);
            low_at.push(start..low.len());
        }
        Tokens {
            text,
            toks,
            sents,
            initial,
            low,
            low_at,
            has_upper,
        }
    }

    /// Keys of the words capitalised in mid-sentence here (their lowercase, without a
    /// possessive): what this paragraph adds to the document's capitals.
    pub fn capital_keys(&self) -> Vec<u64> {
        let mut out = Vec::new();
        for (i, t) in self.toks.iter().enumerate() {
            if self.has_upper[i] && !self.initial[i] {
                let w = &self.text[t.span.clone()];
                if w.chars().next().is_some_and(char::is_uppercase) {
                    out.push(lx::key(unpossess(&self.low[self.low_at[i].clone()])));
                }
            }
        }
        out
    }

    /// What [`Clauses`] asks of the document's capitals: for each word that starts a
    /// sentence (or follows a colon), the keys of its lowercase without and with a
    /// possessive. Answer with [`CapitalQuery::answer`].
    pub fn capital_queries(&self) -> Vec<CapitalQuery> {
        let mut out = Vec::new();
        for (i, t) in self.toks.iter().enumerate() {
            if self.initial[i] && t.kind == Kind::Word {
                let w = if self.has_upper[i] {
                    &self.low[self.low_at[i].clone()]
                } else {
                    &self.text[t.span.clone()]
                };
                let bare = unpossess(w);
                let word = lx::key(w);
                out.push(CapitalQuery {
                    tok: i as u32,
                    bare: if bare.len() == w.len() {
                        word
                    } else {
                        lx::key(bare)
                    },
                    word,
                });
            }
        }
        out
    }
}

/// A question a paragraph asks of the document's capitals (see [`Tokens::capital_queries`]).
#[derive(Clone, Copy, Debug)]
pub struct CapitalQuery {
    pub tok: u32,
    bare: u64,
    word: u64,
}

impl CapitalQuery {
    /// Bit 0: the word without a possessive is capitalised elsewhere; bit 1: as written.
    pub fn answer(&self, capitals: &KeySet) -> u8 {
        let bare = capitals.contains(&self.bare);
        let word = if self.word == self.bare {
            bare
        } else {
            capitals.contains(&self.word)
        };
        u8::from(bare) | u8::from(word) << 1
    }
}

pub fn tokenize(text: &str, span: Range<usize>, quotes: &[(usize, Range<usize>)]) -> Vec<Token> {
    let mut toks = Vec::with_capacity(span.len() / 5 + 4);
    let bytes = text.as_bytes();
    let end = span.end.min(text.len());
    let mut i = span.start;
    let mut qi = 0;
    // Where the next quotation starts (a word never runs into it).
    let quote_at = |qi: usize| quotes.get(qi).map_or(end, |q| q.1.start.min(end));
    let mut next_quote = quote_at(0);
    while i < end {
        if i >= next_quote {
            if let Some((id, qs)) = quotes.get(qi) {
                if qs.start == i {
                    let mut qend = qs.end.clamp(i + 1, end);
                    while !text.is_char_boundary(qend) {
                        qend += 1;
                    }
                    toks.push(Token {
                        kind: Kind::Quote(*id),
                        span: i..qend,
                        upper: false,
                    });
                    i = qend;
                }
                qi += 1;
                next_quote = quote_at(qi);
                continue;
            }
            next_quote = end;
        }
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let (c, len) = if b < 0x80 {
            (char::from(b), 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        if !(b.is_ascii_alphanumeric() || b >= 0x80 && c.is_alphanumeric()) {
            if b < 0x80 || !c.is_whitespace() {
                toks.push(Token {
                    kind: Kind::Punct(c),
                    span: i..i + len,
                    upper: false,
                });
            }
            i += len;
            continue;
        }
        let start = i;
        let mut j = i + len;
        let mut prev_alpha = c.is_alphabetic();
        let mut upper = c.is_uppercase();
        while j < next_quote {
            let d = bytes[j];
            if d.is_ascii_alphanumeric() {
                prev_alpha = d.is_ascii_alphabetic();
                upper |= d.is_ascii_uppercase();
                j += 1;
                continue;
            }
            let (dc, dlen) = if d < 0x80 {
                (char::from(d), 1)
            } else {
                match text[j..].chars().next() {
                    Some(x) => (x, x.len_utf8()),
                    None => break,
                }
            };
            if d >= 0x80 && dc.is_alphanumeric() {
                prev_alpha = dc.is_alphabetic();
                upper |= dc.is_uppercase();
                j += dlen;
                continue;
            }
            let after = j + dlen;
            let joins = after < next_quote
                && match dc {
                    '\'' | '’' | '-' | '‐' | '‑' | '&' => {
                        bytes[after].is_ascii_alphanumeric()
                            || bytes[after] >= 0x80
                                && text[after..]
                                    .chars()
                                    .next()
                                    .is_some_and(char::is_alphanumeric)
                    }
                    '.' => {
                        prev_alpha
                            && (bytes[after].is_ascii_alphabetic()
                                || bytes[after] >= 0x80
                                    && text[after..]
                                        .chars()
                                        .next()
                                        .is_some_and(char::is_alphabetic))
                    }
                    _ => false,
                };
            if joins {
                prev_alpha = false;
                j = after;
            } else {
                break;
            }
        }
        // A period that belongs to the word: initials, Dr., U.S.
        if j < next_quote && bytes[j] == b'.' {
            let w = &text[start..j];
            let single_cap = w.len() == 1 && bytes[start].is_ascii_uppercase();
            if single_cap
                || w.contains('.')
                || w.len() <= 6 && lx::with_lower(w, lx::is_abbreviation)
            {
                j += 1;
            }
        }
        toks.push(Token {
            kind: Kind::Word,
            span: start..j,
            upper,
        });
        i = j;
    }
    toks
}

pub fn sentences(
    text: &str,
    toks: &[Token],
    ends_sentence: impl Fn(usize) -> bool,
) -> Vec<Range<usize>> {
    let starts_sentence = |k: usize| -> bool {
        match toks.get(k) {
            None => true,
            Some(t) => match t.kind {
                Kind::Quote(_) => true,
                Kind::Word => text[t.span.clone()]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()),
                Kind::Punct(c) => "([“\"‘'«„*".contains(c),
            },
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    for k in 0..toks.len() {
        let end_here = match toks[k].kind {
            Kind::Punct('.' | '!' | '?' | '…') => {
                !matches!(
                    toks.get(k + 1).map(|t| t.kind),
                    Some(Kind::Punct('.' | '!' | '?' | '…' | ')' | ']'))
                ) && starts_sentence(k + 1)
            }
            Kind::Punct(')' | ']') => {
                k > 0
                    && matches!(toks[k - 1].kind, Kind::Punct('.' | '!' | '?'))
                    && starts_sentence(k + 1)
            }
            Kind::Quote(q) => ends_sentence(q) && starts_sentence(k + 1),
            _ => false,
        };
        if end_here {
            out.push(start..k + 1);
            start = k + 1;
        }
    }
    if start < toks.len() || out.is_empty() {
        out.push(start..toks.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(s: &[u8; 8]) -> bool {
        plain_lowercase_block(u64::from_le_bytes(*s))
    }

    #[test]
    fn lowercase_blocks() {
        assert!(block(b"abc def "));
        assert!(block(b"1, 2; (x"));
        assert!(!block(b"abc Def "));
        assert!(!block(b"abc. def"));
        assert!(!block(b"say: now"));
        assert!(!block(b"ab \"cd\" "));
        assert!(!block(&[b'a', b'b', 0xE2, 0x80, 0x9C, b'c', b'd', b'e']));
        assert!(block(b"@[`{~z a"));
    }

    fn runs(t: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        capitalised_runs(t, |r, initial| out.push((r.join(" "), initial)));
        out
    }

    #[test]
    fn capitalised_runs_find_names_and_sentence_starts() {
        let t = "Yesterday Angela Erdmann met the team in a small office near the docks of the city. Hong said little, and the U.S. Defense Secretary left.";
        assert_eq!(
            runs(t),
            [
                ("Yesterday Angela Erdmann".to_string(), true),
                ("Hong".to_string(), true),
                ("U.S Defense Secretary".to_string(), false),
            ]
        );
        assert_eq!(
            runs("the iPhone and iPad are sold by many shops in the city centre"),
            []
        );
        assert_eq!(
            runs("«Très» Émile Zola, é"),
            [
                ("Très".to_string(), true),
                ("Émile Zola".to_string(), false)
            ]
        );
    }

    #[test]
    fn tokens_keep_abbreviations_and_stop_at_quotes() {
        let text = "Dr. Smith of the U.S. said “no.” Then";
        let q = text.find('“').unwrap();
        let qe = text.find('”').unwrap() + '”'.len_utf8();
        let toks = tokenize(text, 0..text.len(), &[(7, q..qe)]);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.span.clone()]).collect();
        assert_eq!(
            words,
            ["Dr.", "Smith", "of", "the", "U.S.", "said", "“no.”", "Then"]
        );
        assert_eq!(toks[6].kind, Kind::Quote(7));
    }
}
