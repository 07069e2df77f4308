//! The checks of the fuzz targets, shared with the stable-Rust test that replays the corpus
//! (tests/fuzz_corpus.rs): `fuzz/fuzz_targets/*.rs` call these on libFuzzer's inputs, the test
//! calls them on every file of `fuzz/corpus/<target>/`. A failed check panics.
//!
//! Included with `#[path]` (this is not a crate): the includer needs `copydesk` as a
//! dependency.

#![allow(dead_code)] // each fuzz target uses one of the checks

#[path = "../tests/it/model.rs"]
pub mod model;

use copydesk::analysis::{self, Format};
use copydesk::config::Settings;
use copydesk::text::{Clamped, Encoding, Pos, Text};
use model::Enc;

/// The analysis core on arbitrary text, as markdown and as plain text: it never panics (a rule
/// that panics is caught, so a caught panic is reported as a crash here too), every span lies
/// on character boundaries inside the text, every fix applies, and every span converts to LSP
/// positions and back in all three encodings.
pub fn analyze(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let settings = Settings::default();
    let t = Text::new(&text);
    for format in [Format::Markdown, Format::Plain] {
        let a = analysis::analyze(&text, format, &settings);
        // A rule panicked: the isolation worked, but the rule has a bug worth a report.
        let panicked: Vec<_> = a
            .problems
            .iter()
            .filter(|p| p.message.contains("failed on this document"))
            .collect();
        assert!(panicked.is_empty(), "{panicked:?}");
        for f in &a.findings {
            let spans = std::iter::once(&f.span)
                .chain(
                    f.related
                        .iter()
                        .filter(|r| r.doc.is_none())
                        .map(|r| &r.span),
                )
                .chain(f.fixes.iter().flat_map(|x| x.edits.iter().map(|e| &e.span)));
            for s in spans {
                assert!(s.start <= s.end && s.end <= text.len(), "{} {s:?}", f.rule);
                assert!(
                    text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                    "{} {s:?}",
                    f.rule
                );
                for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                    let p = t.position(s.start, enc);
                    let (back, c) = t.offset(p, enc);
                    assert_eq!(c, Clamped::No);
                    assert!(back <= s.start);
                }
            }
            for fix in &f.fixes {
                if fix.settings_change.is_none() {
                    assert!(
                        analysis::apply_edits(&text, &fix.edits).is_some(),
                        "{}: {}",
                        f.rule,
                        fix.title
                    );
                }
            }
        }
        let safe = analysis::safe_fix_edits(&a.findings);
        assert!(analysis::apply_edits(&text, &safe).is_some());
        let doc = analysis::Document::parse(&text, format);
        for off in [0, text.len() / 2, text.len()] {
            let _ = analysis::rules::names::hover(&doc, &settings, off);
            let _ = analysis::rules::misquote::hover(&doc, &settings, off);
        }
    }
}

/// Edit application: arbitrary incremental edits on `Text` (any positions, any encoding)
/// leave it equal to the simple model in tests/it/model.rs.
pub fn edits(data: &[u8]) {
    // Layout: [encoding] [initial text length] initial text, then edits of
    // [line][col][line][col][len] text.
    let Some((&e, rest)) = data.split_first() else {
        return;
    };
    let (enc, e) = match e % 3 {
        0 => (Encoding::Utf8, Enc::Utf8),
        1 => (Encoding::Utf16, Enc::Utf16),
        _ => (Encoding::Utf32, Enc::Utf32),
    };
    let Some((&n, rest)) = rest.split_first() else {
        return;
    };
    let n = (n as usize).min(rest.len());
    let initial = String::from_utf8_lossy(&rest[..n]).into_owned();
    let mut rest = &rest[n..];
    let mut text = Text::new(&initial);
    let mut m = initial;
    while rest.len() >= 5 {
        let (h, tail) = rest.split_at(5);
        let len = (h[4] as usize % 8).min(tail.len());
        let new = String::from_utf8_lossy(&tail[..len]).into_owned();
        rest = &tail[len..];
        // Small numbers mostly; 255 means "far past the end".
        let num = |b: u8| if b == 255 { u32::MAX } else { b as u32 % 40 };
        let (a, b) = ((num(h[0]), num(h[1])), (num(h[2]), num(h[3])));
        text.edit(Pos::new(a.0, a.1), Pos::new(b.0, b.1), &new, enc);
        model::edit(&mut m, a, b, &new, e);
        assert_eq!(text.to_string_lossless(), m);
        assert_eq!(text.len_lines(), model::lines(&m).len());
    }
    for b in 0..=m.len() {
        if model::addressable(&m, b) {
            let p = text.position(b, enc);
            assert_eq!((p.line, p.character), model::position(&m, b, e));
            assert_eq!(text.offset(p, enc).0, b);
        }
    }
}
