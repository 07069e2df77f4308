//! The text of an open document and the only code that converts between byte offsets and
//! LSP-style positions (line + code units in UTF-8, UTF-16 or UTF-32).
//!
//! Everything outside this module speaks byte offsets into the document's UTF-8 text.
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the LSP specification says (ropey is built
//! without its Unicode line-break feature so U+2028 and friends do not end a line).

use ropey::Rope;
use std::ops::Range;

/// How `Position.character` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }
}

/// A zero-based line and a column in code units of some [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub character: u32,
}

impl Pos {
    pub fn new(line: u32, character: u32) -> Self {
        Pos { line, character }
    }
}

/// What happened when an edit's range did not fit the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clamped {
    /// The range was valid.
    No,
    /// The range was out of bounds, reversed or split a character; it was clamped.
    Yes(String),
}

/// A document's text, kept in a rope so incremental edits are cheap.
#[derive(Clone, Debug, Default)]
pub struct Text {
    rope: Rope,
}

impl Text {
    pub fn new(s: &str) -> Self {
        Text {
            rope: Rope::from_str(s),
        }
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn len_lines(&self) -> usize {
        self.rope.len_lines()
    }

    /// The whole text as one `String` (analysis works on contiguous text).
    pub fn to_string_lossless(&self) -> String {
        self.rope.to_string()
    }

    /// Byte offset of the start of `line` (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        if line >= self.rope.len_lines() {
            self.rope.len_bytes()
        } else {
            self.rope.line_to_byte(line)
        }
    }

    /// Byte offset just past the last character of `line`, before its line break.
    fn line_content_end(&self, line: usize) -> usize {
        let start = self.line_start(line);
        let slice = self.rope.line(line);
        let mut end = start + slice.len_bytes();
        let n = slice.len_chars();
        if n > 0 && slice.char(n - 1) == '\n' {
            end -= 1;
            if n > 1 && slice.char(n - 2) == '\r' {
                end -= 1;
            }
        } else if n > 0 && slice.char(n - 1) == '\r' {
            end -= 1;
        }
        end
    }

    /// The position of a byte offset. Offsets past the end are clamped to the end; an offset
    /// inside a multi-byte character (or inside a `\r\n` pair) moves back to its start.
    pub fn position(&self, byte: usize, enc: Encoding) -> Pos {
        let byte = byte.min(self.rope.len_bytes());
        let char_idx = self.rope.byte_to_char(byte);
        let line = self.rope.char_to_line(char_idx);
        let line_char = self.rope.line_to_char(line);
        // Never point between '\r' and '\n': that is still the end of the line's content.
        let content_end = self.line_content_end(line);
        let char_idx = char_idx.min(self.rope.byte_to_char(content_end).max(line_char));
        let col = match enc {
            Encoding::Utf8 => self.rope.char_to_byte(char_idx) - self.rope.char_to_byte(line_char),
            Encoding::Utf16 => {
                self.rope.char_to_utf16_cu(char_idx) - self.rope.char_to_utf16_cu(line_char)
            }
            Encoding::Utf32 => char_idx - line_char,
        };
        Pos::new(line as u32, col as u32)
    }

    /// The byte offset of a position, with a note when the position had to be clamped: a line
    /// past the end goes to the end of the text, a column past the end of its line goes to the
    /// end of the line (never onto the next line), a column inside a character goes to its start.
    pub fn offset(&self, pos: Pos, enc: Encoding) -> (usize, Clamped) {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return (
                self.rope.len_bytes(),
                Clamped::Yes(format!("line {} is past the end of the document", pos.line)),
            );
        }
        // Rope lookups only (logarithmic): a 10 MB line is never scanned.
        let start = self.line_start(line);
        let end = self.line_content_end(line);
        let want = pos.character as usize;
        let past_end = || {
            (
                end,
                Clamped::Yes(format!(
                    "column {} is past the end of line {}",
                    pos.character, pos.line
                )),
            )
        };
        // The character at the column (the one containing it, if it falls inside one).
        let (ch, exact) = match enc {
            Encoding::Utf8 => {
                if want > end - start {
                    return past_end();
                }
                let b = start + want;
                let ch = self.rope.byte_to_char(b);
                (ch, self.rope.char_to_byte(ch) == b)
            }
            Encoding::Utf16 => {
                let s = self.rope.char_to_utf16_cu(self.rope.byte_to_char(start));
                let e = self.rope.char_to_utf16_cu(self.rope.byte_to_char(end));
                if want > e - s {
                    return past_end();
                }
                let ch = self.rope.utf16_cu_to_char(s + want);
                (ch, self.rope.char_to_utf16_cu(ch) == s + want)
            }
            Encoding::Utf32 => {
                let s = self.rope.byte_to_char(start);
                if want > self.rope.byte_to_char(end) - s {
                    return past_end();
                }
                (s + want, true)
            }
        };
        let clamped = if exact {
            Clamped::No
        } else {
            Clamped::Yes(format!(
                "column {} splits a character on line {}",
                pos.character, pos.line
            ))
        };
        (self.rope.char_to_byte(ch), clamped)
    }

    /// Replace the text between two positions. Reversed ranges are swapped; out-of-range
    /// positions are clamped. Returns what was clamped so the caller can log it.
    pub fn edit(&mut self, start: Pos, end: Pos, new_text: &str, enc: Encoding) -> Clamped {
        let (mut a, ca) = self.offset(start, enc);
        let (mut b, cb) = self.offset(end, enc);
        let mut notes = Vec::new();
        if let Clamped::Yes(m) = ca {
            notes.push(m);
        }
        if let Clamped::Yes(m) = cb {
            notes.push(m);
        }
        if a > b {
            std::mem::swap(&mut a, &mut b);
            notes.push("range end came before its start".to_string());
        }
        self.replace_bytes(a..b, new_text);
        if notes.is_empty() {
            Clamped::No
        } else {
            Clamped::Yes(notes.join("; "))
        }
    }

    /// Replace a byte range (which must lie on character boundaries).
    pub fn replace_bytes(&mut self, range: Range<usize>, new_text: &str) {
        let a = self.rope.byte_to_char(range.start);
        let b = self.rope.byte_to_char(range.end);
        if a != b {
            self.rope.remove(a..b);
        }
        if !new_text.is_empty() {
            self.rope.insert(a, new_text);
        }
    }

    /// Replace everything.
    pub fn set(&mut self, s: &str) {
        self.rope = Rope::from_str(s);
    }

    /// A byte range as a pair of positions.
    pub fn range(&self, span: Range<usize>, enc: Encoding) -> (Pos, Pos) {
        (self.position(span.start, enc), self.position(span.end, enc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENCS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    fn roundtrip_all(s: &str) {
        let t = Text::new(s);
        for enc in ENCS {
            for (i, _) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
                // '\r' followed by '\n' is one line break: the '\n' is not addressable.
                if i > 0 && s.as_bytes()[i - 1] == b'\r' && s.as_bytes().get(i) == Some(&b'\n') {
                    continue;
                }
                let p = t.position(i, enc);
                let (back, c) = t.offset(p, enc);
                assert_eq!(back, i, "{enc:?} {p:?} in {s:?}");
                assert_eq!(c, Clamped::No);
            }
        }
    }

    #[test]
    fn curly_quotes_emoji_cjk_crlf_roundtrip() {
        roundtrip_all("“Hi,” she said.\r\nThe 🎉 party — 東京.\rlone CR\n\nend");
        roundtrip_all("");
        roundtrip_all("\n\r\n\r");
    }

    #[test]
    fn utf16_counts_surrogate_pairs_as_two() {
        let t = Text::new("a🎉b\n“x”");
        assert_eq!(t.position(5, Encoding::Utf16), Pos::new(0, 3)); // after the emoji
        assert_eq!(t.position(5, Encoding::Utf8), Pos::new(0, 5));
        assert_eq!(t.position(5, Encoding::Utf32), Pos::new(0, 2));
        // “ is 3 bytes, 1 UTF-16 unit
        let x = "a🎉b\n“".len();
        assert_eq!(t.position(x, Encoding::Utf16), Pos::new(1, 1));
        assert_eq!(t.position(x, Encoding::Utf8), Pos::new(1, 3));
    }

    #[test]
    fn cjk_is_one_utf16_unit_three_utf8_bytes() {
        let t = Text::new("東京 x");
        assert_eq!(t.offset(Pos::new(0, 2), Encoding::Utf16).0, 6);
        assert_eq!(t.offset(Pos::new(0, 6), Encoding::Utf8).0, 6);
    }

    #[test]
    fn inside_surrogate_pair_is_clamped_to_char_start() {
        let t = Text::new("a🎉b");
        let (o, c) = t.offset(Pos::new(0, 2), Encoding::Utf16);
        assert_eq!(o, 1);
        assert!(matches!(c, Clamped::Yes(_)));
    }

    #[test]
    fn past_end_of_line_stays_on_the_line() {
        let t = Text::new("ab\r\ncd");
        let (o, c) = t.offset(Pos::new(0, 10), Encoding::Utf16);
        assert_eq!(o, 2);
        assert!(matches!(c, Clamped::Yes(_)));
        let (o, _) = t.offset(Pos::new(9, 0), Encoding::Utf16);
        assert_eq!(o, 6);
        // end of line 0 is before the \r\n
        assert_eq!(t.position(3, Encoding::Utf16), Pos::new(0, 2));
    }

    #[test]
    fn edits_apply_and_clamp() {
        let mut t = Text::new("“Hello” 🎉\nworld");
        t.edit(Pos::new(0, 8), Pos::new(0, 10), "party", Encoding::Utf16);
        assert_eq!(t.to_string_lossless(), "“Hello” party\nworld");
        let c = t.edit(Pos::new(1, 99), Pos::new(1, 0), "!", Encoding::Utf16);
        assert!(matches!(c, Clamped::Yes(_)));
        assert_eq!(t.to_string_lossless(), "“Hello” party\n!");
    }

    #[test]
    fn unicode_line_separator_is_not_a_line_break() {
        let t = Text::new("a\u{2028}b\nc");
        assert_eq!(t.len_lines(), 2);
        assert_eq!(t.position(t.len_bytes(), Encoding::Utf16), Pos::new(1, 1));
    }
}

/// Line starts of a plain `&str`, for 1-based line numbers in messages and CLI output.
/// Breaks lines exactly as [`Text`] does (`\n`, `\r\n`, lone `\r`).
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(s: &str) -> Self {
        let b = s.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if b.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// Zero-based line of a byte offset.
    pub fn line(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where a zero-based line starts (clamped to the last line).
    pub fn start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod line_index_tests {
    use super::*;

    #[test]
    fn agrees_with_text_on_line_breaks() {
        let s = "a\r\nb\rc\n\nd “e” 🎉";
        let idx = LineIndex::new(s);
        let t = Text::new(s);
        assert_eq!(idx.len(), t.len_lines());
        for (i, _) in s.char_indices() {
            assert_eq!(
                idx.line(i) as u32,
                t.position(i, Encoding::Utf8).line,
                "{i}"
            );
        }
    }
}
