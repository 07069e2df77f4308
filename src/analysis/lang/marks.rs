//! Finding quotations in one paragraph: which marks open, which close, and which are
//! apostrophes (don’t, the union’s, teachers’, the ’90s, rock ’n’ roll).
//!
//! Marks are classified from their neighbours (a mark after a space and before a letter opens,
//! one after a letter and before a space or punctuation closes), then paired with a stack, so
//! British ‘…“…”…’ and American “…‘…’…” nesting, «…», „…“ and straight quotes all work. Only
//! top-level quotations are returned; nested ones are part of them.

use std::ops::Range;

/// Which kind of mark a quotation uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// “…”, "…", „…“, ”…”.
    Double,
    /// ‘…’, '…'.
    Single,
    /// «…», »…«, ‹…›.
    Angle,
}

/// A top-level quotation in one paragraph. Offsets are absolute (into the document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawQuote {
    /// The opening mark.
    pub open: Range<usize>,
    /// The closing mark; `None` when the quotation is still open at the end of the paragraph.
    pub close: Option<Range<usize>>,
    pub family: Family,
    /// The opening character, to write a matching pair in fixes.
    pub open_char: char,
}

impl RawQuote {
    /// The character that closes this quotation in its own style.
    pub fn close_char(&self) -> char {
        match self.open_char {
            '“' => '”',
            '„' => '“',
            '‘' => '’',
            '«' => '»',
            '»' => '«',
            '‹' => '›',
            c => c, // " ' ” ’
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// Straight quotes between two spaces or two words: decided by what is open.
    Either,
    Skip,
}

#[derive(Clone, Debug)]
struct Mark {
    at: usize,
    len: usize,
    ch: char,
    family: Family,
    role: Role,
    /// `teachers’ union`: a plural possessive that could also close a quotation.
    possessive: bool,
}

fn family_of(c: char) -> Option<Family> {
    match c {
        '"' | '“' | '”' | '„' | '‟' => Some(Family::Double),
        '\'' | '‘' | '’' | '‚' | '‛' => Some(Family::Single),
        '«' | '»' | '‹' | '›' => Some(Family::Angle),
        _ => None,
    }
}

pub fn is_quote_char(c: char) -> bool {
    family_of(c).is_some()
}

/// Can a mark after this character open a quotation? (start, space, bracket, dash, slash,
/// another mark)
fn opening_side(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '{' | '<' | '—' | '–' | '-' | '‐' | '‑' | '/' | '\u{a0}'
                )
                || is_quote_char(c)
        }
    }
}

/// Can a mark before this character close a quotation?
fn closing_side(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '>'
                        | '…'
                        | '—'
                        | '–'
                        | '-'
                        | '‐'
                        | '‑'
                        | '/'
                        | '*'
                        | '_'
                        | '\u{a0}'
                )
                || is_quote_char(c)
        }
    }
}

/// Words written with a leading apostrophe: ’em, ’til, ’tis, rock ’n’ roll.
fn elision(after: &str) -> bool {
    let end = after
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(after.len(), |(i, _)| i);
    let word = &after[..end];
    word.len() <= 6
        && super::lexicon::with_lower(word, |w| {
            matches!(
                w,
                "em" | "til"
                    | "tis"
                    | "twas"
                    | "cause"
                    | "n"
                    | "round"
                    | "bout"
                    | "nuff"
                    | "ol"
                    | "cept"
                    | "fraid"
                    | "neath"
                    | "twixt"
                    | "kay"
            )
        })
}

/// ’90s, '00s, ’68: two digits then a non-digit.
fn decade(after: &str) -> bool {
    let mut it = after.chars();
    matches!((it.next(), it.next(), it.next()), (Some(a), Some(b), c)
        if a.is_ascii_digit() && b.is_ascii_digit() && !c.is_some_and(|c| c.is_ascii_digit()))
}

fn classify(text: &str, at: usize, ch: char) -> Option<Mark> {
    let family = family_of(ch)?;
    let len = ch.len_utf8();
    let prev = text[..at].chars().next_back();
    let after = &text[at + len..];
    let next = after.chars().next();
    let word_before = prev.is_some_and(char::is_alphanumeric);
    let word_after = next.is_some_and(char::is_alphanumeric);
    let mut possessive = false;
    let role = match family {
        Family::Single => {
            if word_before && word_after {
                Role::Skip // don’t, the union’s, O’Brien
            } else if word_after {
                if decade(after) || elision(after) || ch == '’' && !opening_side(prev) {
                    Role::Skip
                } else if opening_side(prev) {
                    if ch == '’' {
                        // A right mark before a word is an elision we do not know, not an opener.
                        Role::Skip
                    } else {
                        Role::Open
                    }
                } else {
                    Role::Skip
                }
            } else if word_before
                || (prev.is_some_and(|p| !p.is_whitespace()) && closing_side(next))
            {
                if ch == '‘' || ch == '‚' || ch == '‛' {
                    Role::Skip
                } else {
                    // teachers’ union / ‘…the nurses’ claims’: may be a possessive.
                    possessive = prev.is_some_and(|p| p == 's' || p == 'S')
                        && next.is_some_and(char::is_whitespace)
                        && after
                            .trim_start()
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric);
                    Role::Close
                }
            } else if opening_side(prev) && next.is_some_and(|n| !n.is_whitespace()) {
                // ‘“Nested…  or '(…
                if ch == '’' { Role::Skip } else { Role::Open }
            } else {
                Role::Skip
            }
        }
        Family::Double | Family::Angle => {
            let left = opening_side(prev) && next.is_some_and(|n| !n.is_whitespace());
            let right = closing_side(next) && prev.is_some_and(|p| !p.is_whitespace());
            match ch {
                '“' | '„' | '‟' | '«' | '‹' => Role::Open,
                '”' | '»' | '›' => Role::Close,
                _ => match (left, right) {
                    (true, false) => Role::Open,
                    (false, true) => Role::Close,
                    _ => Role::Either,
                },
            }
        }
    };
    Some(Mark {
        at,
        len,
        ch,
        family,
        role,
        possessive,
    })
}

/// Does the word hold a byte " ' 0xC2 or 0xE2? (SWAR zero-byte test per candidate.)
fn has_lead_byte(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    zero(w ^ (ONES * 0x22))
        | zero(w ^ (ONES * 0x27))
        | zero(w ^ (ONES * 0xC2))
        | zero(w ^ (ONES * 0xE2))
        != 0
}

struct Open {
    family: Family,
    span: Range<usize>,
    ch: char,
}

/// The top-level quotations of a paragraph's prose `text`, which starts at document offset
/// `base`.
pub fn top_level(text: &str, base: usize) -> Vec<RawQuote> {
    // Every mark is ' or " or starts with byte 0xC2 (« ») or 0xE2 (‘ ’ “ ” „ ‹ ›): look at
    // those bytes only.
    let bytes = text.as_bytes();
    let mut marks: Vec<Mark> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time: skip blocks with none of the four lead bytes.
        if i + 8 <= bytes.len() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[i..i + 8]);
            if !has_lead_byte(u64::from_le_bytes(w)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        if !matches!(b, b'"' | b'\'' | 0xC2 | 0xE2) {
            continue;
        }
        let i = i - 1;
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            continue;
        };
        if is_quote_char(c)
            && let Some(m) = classify(text, i, c)
            && m.role != Role::Skip
        {
            marks.push(m);
        }
    }
    if marks.is_empty() {
        return Vec::new();
    }
    // For each mark: does a later single mark close before any single mark opens?
    let mut later_single_close = vec![false; marks.len()];
    let mut seen = false;
    for (i, m) in marks.iter().enumerate().rev() {
        later_single_close[i] = seen;
        if m.family == Family::Single {
            match m.role {
                Role::Close => seen = true,
                Role::Open => seen = false,
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let close_at = |stack: &mut Vec<Open>, idx: usize, m: &Mark, out: &mut Vec<RawQuote>| {
        if idx == 0 {
            let o = &stack[0];
            out.push(RawQuote {
                open: base + o.span.start..base + o.span.end,
                close: Some(base + m.at..base + m.at + m.len),
                family: o.family,
                open_char: o.ch,
            });
        }
        stack.truncate(idx);
    };
    for (i, m) in marks.iter().enumerate() {
        let span = m.at..m.at + m.len;
        // Deeper nesting than any prose uses: stop opening (keeps each step short).
        if stack.len() >= 32 && m.role == Role::Open {
            continue;
        }
        let nearest = |f: Family| stack.iter().rposition(|o| o.family == f);
        match (m.family, m.role) {
            (_, Role::Skip) => {}
            (Family::Single, Role::Open) => stack.push(Open {
                family: Family::Single,
                span,
                ch: m.ch,
            }),
            (Family::Single, Role::Close | Role::Either) => {
                if m.possessive && later_single_close[i] {
                    continue;
                }
                if stack.last().is_some_and(|o| o.family == Family::Single) {
                    let idx = stack.len() - 1;
                    close_at(&mut stack, idx, m, &mut out);
                }
            }
            (f, Role::Open) => {
                // „…“ and »…«: the "opening" shape closes a quotation opened the other way.
                let reversed = nearest(f).filter(|&k| {
                    let o = stack[k].ch;
                    (o == '„' && m.ch == '“') || (o == '»' && m.ch == '«')
                });
                // A “ typed as a closing mark (after a word, before a space).
                let misused = m.ch == '“'
                    && nearest(f).is_some()
                    && text[..m.at]
                        .chars()
                        .next_back()
                        .is_some_and(|p| !p.is_whitespace() && !is_quote_char(p))
                    && closing_side(text[m.at + m.len..].chars().next());
                if let Some(k) = reversed.or(if misused { nearest(f) } else { None }) {
                    close_at(&mut stack, k, m, &mut out);
                } else {
                    stack.push(Open {
                        family: f,
                        span,
                        ch: m.ch,
                    });
                }
            }
            (f, Role::Close) => {
                if let Some(k) = nearest(f) {
                    close_at(&mut stack, k, m, &mut out);
                } else {
                    let prev = text[..m.at].chars().next_back();
                    let next = text[m.at + m.len..].chars().next();
                    if opening_side(prev) && next.is_some_and(|n| !n.is_whitespace()) {
                        // ”…” (Swedish) or »…« (German): this mark opens.
                        stack.push(Open {
                            family: f,
                            span,
                            ch: m.ch,
                        });
                    }
                }
            }
            (f, Role::Either) => {
                if let Some(k) = nearest(f) {
                    close_at(&mut stack, k, m, &mut out);
                } else {
                    stack.push(Open {
                        family: f,
                        span,
                        ch: m.ch,
                    });
                }
            }
        }
    }
    if let Some(o) = stack.first() {
        out.push(RawQuote {
            open: base + o.span.start..base + o.span.end,
            close: None,
            family: o.family,
            open_char: o.ch,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted texts (without marks) of the top-level quotations; unclosed ones end in `…`.
    fn quotes(t: &str) -> Vec<String> {
        top_level(t, 0)
            .iter()
            .map(|q| match &q.close {
                Some(c) => t[q.open.end..c.start].to_string(),
                None => format!("{}…", &t[q.open.end..]),
            })
            .collect()
    }

    #[test]
    fn curly_and_straight_doubles() {
        assert_eq!(quotes("He said “yes, now” and left."), ["yes, now"]);
        assert_eq!(quotes("\"One,\" she said, \"two.\""), ["One,", "two."]);
        assert_eq!(quotes("A 12\" screen and a \"real\" deal"), ["real"]);
    }

    #[test]
    fn british_singles_with_nested_doubles_and_the_reverse() {
        assert_eq!(
            quotes("‘He told me “never again”, and meant it,’ she said."),
            ["He told me “never again”, and meant it,"]
        );
        assert_eq!(
            quotes("“He told me ‘never again’, and meant it,” she said."),
            ["He told me ‘never again’, and meant it,"]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(quotes("The union’s members don’t agree; teachers’ pay fell.").is_empty());
        assert!(quotes("Back in the ’90s and the '00s, rock ’n’ roll ruled.").is_empty());
        assert!(quotes("It's the Smiths' house, isn't it? 'Tis true, 'cause ‘90s.").is_empty());
    }

    #[test]
    fn apostrophes_inside_single_quotes() {
        assert_eq!(
            quotes("‘We can’t back the nurses’ claims,’ she said."),
            ["We can’t back the nurses’ claims,"]
        );
        assert_eq!(
            quotes("He called it ‘fair and final’ and the ’80s ‘gone’."),
            ["fair and final", "gone"]
        );
    }

    #[test]
    fn guillemets_and_low_high() {
        assert_eq!(quotes("Il a dit « non » hier."), [" non "]);
        assert_eq!(quotes("Er sagte „nein“ und ging."), ["nein"]);
        assert_eq!(quotes("Er sagte »nein« und ging."), ["nein"]);
    }

    #[test]
    fn open_at_paragraph_end() {
        assert_eq!(quotes("“We saw it. Then"), ["We saw it. Then…"]);
        assert_eq!(quotes("\"We saw it."), ["We saw it.…"]);
    }

    #[test]
    fn repeated_openers_nest() {
        assert_eq!(
            quotes("“It rejects the “.x” bid,” it said."),
            ["It rejects the “.x” bid,"]
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "'",
            "\"",
            "“",
            "’",
            "'a'",
            "a'",
            "«»",
            "„",
            "x ' y",
            "‘’‘’",
            "é’é",
            "🙂'🙂",
        ] {
            let _ = quotes(t);
        }
    }
}
