//! The human output's source snippets, rustc-style:
//!
//! ```text
//! warning: Duplicate of the paragraph at line 4 [duplicate-paragraph]
//!  --> examples/harbour-wall.txt:7:1
//!   |
//! 7 | The wall will cost 4.2 million euros …
//!   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Delete duplicate paragraph
//! ```
//!
//! Carets are placed by display width (`unicode-width` over the whole text before them, so
//! wide CJK characters count two columns and emoji sequences — ZWJ families, skin tones,
//! `❤️` — count as the terminal draws them), not by characters or bytes.

use crate::text::LineIndex;
use std::ops::Range;
use unicode_width::UnicodeWidthStr;

/// A finding's report: title, location, and every line of its span with carets under it.
pub struct Report<'a> {
    pub level: &'a str,
    pub title: &'a str,
    pub path: &'a str,
    pub text: &'a str,
    pub span: Range<usize>,
    pub label: &'a str,
    pub styled: bool,
}

/// Display columns of `s` as shown (a tab is four columns, as it is printed).
fn width(s: &str) -> usize {
    s.split('\t').map(UnicodeWidthStr::width).sum::<usize>() + 4 * s.matches('\t').count()
}

fn shown(line: &str) -> String {
    line.replace('\t', "    ")
}

pub fn render(r: &Report, idx: &LineIndex) -> String {
    let (bold, level_color, caret_color, reset) = if r.styled {
        let c = match r.level {
            "error" => "\x1b[1;31m",
            "warning" => "\x1b[1;33m",
            "info" => "\x1b[1;34m",
            _ => "\x1b[1;36m",
        };
        ("\x1b[1m", c, c, "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let text = r.text;
    let start = r.span.start.min(text.len());
    let end = r.span.end.clamp(start, text.len());
    let first = idx.line(start);
    let last = idx.line(end.saturating_sub(1).max(start));
    let gutter = (last + 1).to_string().len();
    let pad = " ".repeat(gutter);
    let col = text[idx.start(first)..start].chars().count() + 1;
    let mut out = format!(
        "{level_color}{}{reset}{bold}: {}{reset}\n{pad}{bold}-->{reset} {}:{}:{col}\n{pad} {bold}|{reset}\n",
        r.level,
        r.title,
        r.path,
        first + 1
    );
    for line in first..=last {
        let ls = idx.start(line);
        let le = if line + 1 < idx.len() {
            idx.start(line + 1)
        } else {
            text.len()
        };
        let body = text[ls..le].trim_end_matches(['\n', '\r']);
        let le = ls + body.len();
        out.push_str(&format!(
            "{bold}{:>gutter$} |{reset} {}\n",
            line + 1,
            shown(body)
        ));
        let (a, b) = (start.max(ls), end.min(le));
        let before = width(&text[ls..a.min(le)]);
        let carets = width(&text[a.min(le)..b.max(a).min(le)]).max(1);
        let label = if line == last && !r.label.is_empty() {
            format!(" {}", r.label)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{pad} {bold}|{reset} {}{caret_color}{}{label}{reset}\n",
            " ".repeat(before),
            "^".repeat(carets)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caret_col(text: &str, needle: &str) -> (usize, String) {
        let at = text.find(needle).unwrap();
        let r = Report {
            level: "warning",
            title: "t",
            path: "a.txt",
            text,
            span: at..at + needle.len(),
            label: "fix",
            styled: false,
        };
        let out = render(&r, &LineIndex::new(text));
        let caret_line = out.lines().find(|l| l.contains('^')).unwrap().to_string();
        // "  | " is four columns before the text.
        (caret_line.find('^').unwrap() - 4, out)
    }

    #[test]
    fn carets_sit_under_the_word_after_wide_and_combined_characters() {
        for (prefix, cols) in [
            ("東京の記者が ", 13),
            ("한국어 ", 7),
            ("❤️ ", 3),
            ("👨‍👩‍👧 ", 3),
            ("👍🏽 ", 3),
            ("e\u{301} ", 2),
            ("\t", 4),
            ("plain ", 6),
        ] {
            let text = format!("{prefix}Hagle went.\n");
            let (col, out) = caret_col(&text, "Hagle");
            assert_eq!(col, cols, "after {prefix:?}:\n{out}");
            assert!(out.contains("^^^^^ fix"), "{out}");
        }
    }

    #[test]
    fn a_span_over_two_lines_marks_both_and_labels_the_last() {
        let text = "one\ntwo three\nfour\n";
        let r = Report {
            level: "warning",
            title: "Duplicate [duplicate-paragraph]",
            path: "a.md",
            text,
            span: 4..15,
            label: "Delete",
            styled: false,
        };
        let out = render(&r, &LineIndex::new(text));
        assert_eq!(
            out,
            "warning: Duplicate [duplicate-paragraph]\n --> a.md:2:1\n  |\n2 | two three\n  | ^^^^^^^^^\n3 | four\n  | ^ Delete\n"
        );
    }
}
