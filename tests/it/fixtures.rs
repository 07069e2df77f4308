//! Data-driven fixture tests: every draft file under `tests/fixtures/` (subfolders included:
//! `duplicate-*`, `quote/`, `names/`) carries its own expectations, so a new case needs no Rust.
//!
//! Marker lines start with `%%` and are removed before the draft is analysed:
//! - `%% ^ CODE`   a finding with this code must start on the line above;
//! - `%% ^ CODE: MESSAGE`   … with exactly this message;
//! - `%% fix TITLE`   the finding announced by the `^` just before offers a fix with this title;
//! - `%% fix TITLE => TEXT`   … and applying that fix alone gives TEXT for the line(s) it
//!   changes (the edited text of the lines the fix touches, `\n` for a line break);
//! - `%% ! CODE`   no finding with this code may start on the line above;
//! - `%% said SPEAKER`   the quote rule read a quotation starting on the line above and judged
//!   it attributed, to SPEAKER as the document refers to them (`-` when the speaker is a
//!   pronoun or unnamed source); proves a "never flagged" case was detected and judged;
//! - `%% not speech`   the quote rule read a quotation starting on the line above and judged it
//!   a term, title or words cited, not speech;
//! - `%% set JSON`   (anywhere) settings for this draft, as an editor sends them
//!   (`{"unattributedQuote": {"impliedAttribution": "note"}}`);
//! - `%% fixed`    followed by the rest of the file: what applying every safe fix gives
//!   (everything after this marker is the expected text, not part of the draft).
//!
//! Any finding not announced with `^` fails the test: fixtures are also false-alarm checks.

use copydesk::analysis::rules::quote::{Verdict, explain};
use copydesk::analysis::{Document, Format, analyze, apply_edits, safe_fix_edits};
use copydesk::config::Settings;
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Expect {
    line: usize,
    code: String,
    message: Option<String>,
    /// (title, text of the changed lines after applying it)
    fixes: Vec<(String, Option<String>)>,
}

#[derive(Default)]
struct Fixture {
    text: String,
    expect: Vec<Expect>,
    forbid: Vec<(usize, String)>,
    said: Vec<(usize, String)>,
    not_speech: Vec<usize>,
    settings: Vec<serde_json::Value>,
    fixed: Option<String>,
}

fn parse(src: &str) -> Fixture {
    let (body, fixed) = match src.split_once("%% fixed\n") {
        Some((b, f)) => (b, Some(f.to_string())),
        None => (src, None),
    };
    let mut fx = Fixture {
        fixed,
        ..Default::default()
    };
    let mut line = 0usize; // lines of `text` so far
    for l in body.split_inclusive('\n') {
        if let Some(m) = l.trim_end().strip_prefix("%%") {
            let m = m.trim();
            if let Some(json) = m.strip_prefix("set ") {
                fx.settings
                    .push(serde_json::from_str(json).expect("`%% set` takes JSON"));
                continue;
            }
            let target = line.checked_sub(1).expect("a marker needs a line above it") + 1;
            if let Some(code) = m.strip_prefix('^') {
                let (code, message) = match code.split_once(':') {
                    Some((c, msg)) => (c, Some(msg.trim().to_string())),
                    None => (code, None),
                };
                fx.expect.push(Expect {
                    line: target,
                    code: code.trim().to_string(),
                    message,
                    fixes: Vec::new(),
                });
            } else if let Some(fix) = m.strip_prefix("fix ") {
                let e = fx.expect.last_mut().expect("`%% fix` follows a `%% ^`");
                let (title, want) = match fix.split_once("=>") {
                    Some((t, w)) => (t, Some(w.trim().replace("\\n", "\n"))),
                    None => (fix, None),
                };
                e.fixes.push((title.trim().to_string(), want));
            } else if let Some(code) = m.strip_prefix('!') {
                fx.forbid.push((target, code.trim().to_string()));
            } else if let Some(who) = m.strip_prefix("said") {
                fx.said.push((target, who.trim().to_string()));
            } else if m == "not speech" {
                fx.not_speech.push(target);
            } else {
                panic!("unknown marker {l:?}");
            }
            continue;
        }
        fx.text.push_str(l);
        line += 1;
    }
    fx
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte].matches('\n').count() + 1
}

/// The whole lines of `text` that `span` touches.
fn lines_around(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    start..end
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if copydesk::drafts::is_draft(&path) {
            out.push(path);
        }
    }
}

fn check(path: &Path, failures: &mut Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let name = path
        .strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string();
    let fx = parse(&std::fs::read_to_string(path).unwrap());
    let settings = if fx.settings.is_empty() {
        Settings::default()
    } else {
        let (s, issues) = copydesk::config::resolve(&fx.settings);
        assert!(issues.is_empty(), "{name}: settings: {issues:?}");
        s
    };
    let format = Format::from_path(path);
    let a = analyze(&fx.text, format, &settings);
    let found: Vec<(usize, &copydesk::analysis::Finding)> = a
        .findings
        .iter()
        .map(|f| (line_of(&fx.text, f.span.start), f))
        .collect();
    for e in &fx.expect {
        let hits: Vec<_> = found
            .iter()
            .filter(|(l, f)| *l == e.line && f.rule == e.code)
            .collect();
        if hits.is_empty() {
            failures.push(format!(
                "{name}:{}: expected {}, found none",
                e.line, e.code
            ));
            continue;
        }
        let f = match &e.message {
            Some(msg) => match hits.iter().find(|(_, f)| &f.message == msg) {
                Some((_, f)) => f,
                None => {
                    let got: Vec<&str> = hits.iter().map(|(_, f)| f.message.as_str()).collect();
                    failures.push(format!(
                        "{name}:{}: expected message {msg:?}, got {got:?}",
                        e.line
                    ));
                    continue;
                }
            },
            None => hits[0].1,
        };
        for (title, want) in &e.fixes {
            let Some(fix) = f.fixes.iter().find(|x| &x.title == title) else {
                let got: Vec<&str> = f.fixes.iter().map(|x| x.title.as_str()).collect();
                failures.push(format!(
                    "{name}:{}: no fix {title:?}; offered {got:?}",
                    e.line
                ));
                continue;
            };
            if let Some(want) = want {
                let Some(fixed) = apply_edits(&fx.text, &fix.edits) else {
                    failures.push(format!("{name}:{}: fix {title:?} does not apply", e.line));
                    continue;
                };
                let lo = fix.edits.iter().map(|x| x.span.start).min().unwrap_or(0);
                let hi = fix.edits.iter().map(|x| x.span.end).max().unwrap_or(0);
                let grow: isize = fix
                    .edits
                    .iter()
                    .map(|x| x.replacement.len() as isize - x.span.len() as isize)
                    .sum();
                let around = lines_around(&fx.text, lo..hi);
                let end = (around.end as isize + grow) as usize;
                let got = &fixed[around.start..end];
                if got != want {
                    failures.push(format!(
                        "{name}:{}: fix {title:?} gives {got:?}, want {want:?}",
                        e.line
                    ));
                }
            }
        }
    }
    for (line, f) in &found {
        if fx.forbid.iter().any(|(l, c)| l == line && c == f.rule) {
            failures.push(format!(
                "{name}:{line}: must not have {}: {}",
                f.rule, f.message
            ));
        } else if !fx
            .expect
            .iter()
            .any(|e| e.line == *line && e.code == f.rule)
        {
            failures.push(format!(
                "{name}:{line}: unexpected {}: {}",
                f.rule, f.message
            ));
        }
    }
    if !fx.said.is_empty() || !fx.not_speech.is_empty() {
        let doc = Document::parse(&fx.text, format);
        let decisions = explain(&doc, &settings);
        let text = fx.text.as_str();
        let decisions = &decisions;
        let at = move |line: usize| {
            decisions
                .iter()
                .filter(move |d| line_of(text, d.span.start) == line)
        };
        for (line, who) in &fx.said {
            let ok = at(*line).any(|d| {
                d.verdict == Verdict::Attributed && d.speaker.as_deref().unwrap_or("-") == who
            });
            if !ok {
                let got: Vec<String> = at(*line)
                    .map(|d| format!("{:?} {:?} ({})", d.verdict, d.speaker, d.why))
                    .collect();
                failures.push(format!(
                    "{name}:{line}: expected a quotation attributed to {who}; decisions: {got:?}"
                ));
            }
        }
        for line in &fx.not_speech {
            if !at(*line).any(|d| d.verdict == Verdict::NotSpeech) {
                let got: Vec<String> = at(*line)
                    .map(|d| format!("{:?} {:?} ({})", d.verdict, d.speaker, d.why))
                    .collect();
                failures.push(format!(
                    "{name}:{line}: expected a quotation judged not speech; decisions: {got:?}"
                ));
            }
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

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut entries = Vec::new();
    files(&dir, &mut entries);
    entries.sort();
    assert!(!entries.is_empty(), "no fixtures found");
    // Every rule's folder is walked (subfolders included).
    for area in ["duplicate-", "quote/", "quote/model/", "names/"] {
        assert!(
            entries.iter().any(|p| p
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .starts_with(area)),
            "no fixture under tests/fixtures/{area}"
        );
    }
    let mut failures = Vec::new();
    for path in &entries {
        check(path, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
