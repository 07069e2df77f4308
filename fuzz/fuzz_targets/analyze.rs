//! The analysis core on arbitrary text, as markdown and as plain text: it never panics (a rule
//! that panics is caught, so a caught panic is reported as a crash here too), every span lies
//! on character boundaries inside the text, every fix applies, and every span converts to LSP
//! positions and back in all three encodings.
#![no_main]

use copydesk::analysis::{self, Format};
use copydesk::config::Settings;
use copydesk::text::{Clamped, Encoding, Text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
        for off in [0, text.len() / 2, text.len()] {
            let _ = analysis::hover(&text, format, &settings, off);
        }
    }
});
