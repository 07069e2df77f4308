//! Data-driven fixture tests: every file in `tests/fixtures/` is a draft that carries its own
//! expectations, so a new case needs no Rust.
//!
//! Marker lines start with `%%` and are removed before the draft is analysed:
//! - `%% ^ CODE`   a finding with this code must start on the line above;
//! - `%% ! CODE`   no finding with this code may start on the line above;
//! - `%% fixed`    followed by the rest of the file: what applying every safe fix gives
//!   (everything after this marker is the expected text, not part of the draft).
//!
//! Any finding not announced with `^` fails the test: fixtures are also false-alarm checks.

use copydesk::analysis::{Format, analyze, apply_edits, safe_fix_edits};
use copydesk::config::Settings;
use std::path::Path;

struct Fixture {
    text: String,
    expect: Vec<(usize, String)>,
    forbid: Vec<(usize, String)>,
    fixed: Option<String>,
}

fn parse(src: &str) -> Fixture {
    let (body, fixed) = match src.split_once("%% fixed\n") {
        Some((b, f)) => (b, Some(f.to_string())),
        None => (src, None),
    };
    let mut text = String::new();
    let mut expect = Vec::new();
    let mut forbid = Vec::new();
    let mut line = 0usize; // lines of `text` so far
    for l in body.split_inclusive('\n') {
        if let Some(m) = l.trim_end().strip_prefix("%%") {
            let m = m.trim();
            let target = line.checked_sub(1).expect("a marker needs a line above it");
            if let Some(code) = m.strip_prefix('^') {
                expect.push((target + 1, code.trim().to_string()));
            } else if let Some(code) = m.strip_prefix('!') {
                forbid.push((target + 1, code.trim().to_string()));
            } else {
                panic!("unknown marker {l:?}");
            }
            continue;
        }
        text.push_str(l);
        line += 1;
    }
    Fixture {
        text,
        expect,
        forbid,
        fixed,
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte].matches('\n').count() + 1
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "txt")
        ) {
            continue;
        }
        n += 1;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let fx = parse(&std::fs::read_to_string(&path).unwrap());
        let a = analyze(&fx.text, Format::from_path(&path), &Settings::default());
        let found: Vec<(usize, &str, &str)> = a
            .findings
            .iter()
            .map(|f| (line_of(&fx.text, f.span.start), f.rule, f.message.as_str()))
            .collect();
        for (line, code) in &fx.expect {
            if !found.iter().any(|(l, c, _)| l == line && c == code) {
                failures.push(format!("{name}:{line}: expected {code}, found none"));
            }
        }
        for (line, code, msg) in &found {
            if fx.forbid.iter().any(|(l, c)| l == line && c == code) {
                failures.push(format!("{name}:{line}: must not have {code}: {msg}"));
            } else if !fx.expect.iter().any(|(l, c)| l == line && c == code) {
                failures.push(format!("{name}:{line}: unexpected {code}: {msg}"));
            }
        }
        if let Some(want) = &fx.fixed {
            let got = apply_edits(&fx.text, &safe_fix_edits(&a.findings)).unwrap();
            if &got != want {
                failures.push(format!(
                    "{name}: fixed text differs:\n--- got\n{got}\n--- want\n{want}"
                ));
            }
        }
    }
    assert!(n > 0, "no fixtures found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
