//! A deliberately simple model of a document's text and of the server's position semantics,
//! written without ropey and without `copydesk::text`, to compare the real thing against.
//!
//! The semantics (those documented on `copydesk::text::Text`):
//! - lines end at `\n`, `\r\n` or a lone `\r`; nothing else ends a line (not U+2028);
//! - a position's column counts code units of the negotiated encoding;
//! - a line past the end of the document means the end of the document;
//! - a column past the end of its line means the end of that line's content (before its line
//!   break, never onto the next line);
//! - a column inside a character (inside a UTF-16 surrogate pair or a UTF-8 sequence) means
//!   the start of that character;
//! - an edit whose end comes before its start is applied to the swapped range.
//!
//! Included with `#[path]` by tests and the fuzz targets, so it stays a plain file.
#![allow(dead_code)]

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
    Utf32,
}

impl Enc {
    pub fn width(self, ch: char) -> usize {
        match self {
            Enc::Utf8 => ch.len_utf8(),
            Enc::Utf16 => ch.len_utf16(),
            Enc::Utf32 => 1,
        }
    }
    pub fn lsp_name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
            Enc::Utf32 => "utf-32",
        }
    }
}

/// A line: where its content starts and ends (before the break), in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub content_end: usize,
}

pub fn lines(s: &str) -> Vec<Line> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(Line {
                    start,
                    content_end: i,
                });
                start = i + 1;
            }
            b'\r' => {
                out.push(Line {
                    start,
                    content_end: i,
                });
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(Line {
        start,
        content_end: b.len(),
    });
    out
}

/// The byte offset of (line, column) under the documented clamping, and whether it was exact.
pub fn offset(s: &str, line: u32, col: u32, enc: Enc) -> (usize, bool) {
    let ls = lines(s);
    let Some(l) = ls.get(line as usize) else {
        return (s.len(), false);
    };
    let want = col as usize;
    let mut units = 0;
    for (i, ch) in s[l.start..l.content_end].char_indices() {
        if units == want {
            return (l.start + i, true);
        }
        let w = enc.width(ch);
        if units + w > want {
            return (l.start + i, false);
        }
        units += w;
    }
    (l.content_end, units == want)
}

/// The position of a byte offset that is a character boundary and not between `\r` and `\n`.
pub fn position(s: &str, byte: usize, enc: Enc) -> (u32, u32) {
    let ls = lines(s);
    let n = ls.iter().rposition(|l| l.start <= byte).unwrap();
    let l = ls[n];
    let end = byte.min(l.content_end);
    let col: usize = s[l.start..end].chars().map(|c| enc.width(c)).sum();
    (n as u32, col as u32)
}

/// Is `byte` a position a client can name: a char boundary not inside a `\r\n` pair?
pub fn addressable(s: &str, byte: usize) -> bool {
    byte <= s.len()
        && s.is_char_boundary(byte)
        && !(byte > 0 && s.as_bytes()[byte - 1] == b'\r' && s.as_bytes().get(byte) == Some(&b'\n'))
}

/// Apply one incremental edit under the documented semantics.
pub fn edit(s: &mut String, start: (u32, u32), end: (u32, u32), new_text: &str, enc: Enc) {
    let (mut a, _) = offset(s, start.0, start.1, enc);
    let (mut b, _) = offset(s, end.0, end.1, enc);
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    s.replace_range(a..b, new_text);
}
