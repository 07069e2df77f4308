//! Snapshot tests (`expect-test`) where the output is large: every finding's message and
//! fixes on the two example drafts, and `copydesk check`'s JSON, SARIF and GitHub output.
//! The snapshots are the files in `tests/it/snapshots/`; after a deliberate change, rewrite
//! them with `UPDATE_EXPECT=1 cargo test --test it snapshots::` and review the diff.

use copydesk::analysis::{Format, analyze};
use copydesk::config::Settings;
use copydesk::text::{Encoding, Text};
use expect_test::expect_file;
use std::fmt::Write;
use std::path::Path;

const EXAMPLES: [&str; 2] = ["examples/council-vote.md", "examples/harbour-wall.txt"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One block per finding: where, rule, severity, message; then each fix with its edits.
fn findings_report(path: &str) -> String {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let a = analyze(
        &text,
        Format::from_path(Path::new(path)),
        &Settings::default(),
    );
    let rope = Text::new(&text);
    let mut out = String::new();
    for f in &a.findings {
        let p = rope.position(f.span.start, Encoding::Utf32);
        writeln!(
            out,
            "{}:{} {} {:?}: {}",
            p.line + 1,
            p.character + 1,
            f.rule,
            f.severity,
            f.message
        )
        .unwrap();
        for r in &f.related {
            let q = rope.position(r.span.start, Encoding::Utf32);
            writeln!(
                out,
                "  related {}:{}: {}",
                q.line + 1,
                q.character + 1,
                r.message
            )
            .unwrap();
        }
        for fix in &f.fixes {
            let flags = [
                (fix.preferred, "preferred"),
                (fix.safe, "safe"),
                (fix.snippet, "snippet"),
                (fix.settings_change.is_some(), "settings"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, s)| *s)
            .collect::<Vec<_>>()
            .join(", ");
            writeln!(out, "  fix {:?} [{flags}]", fix.title).unwrap();
            for e in &fix.edits {
                writeln!(
                    out,
                    "    {:?} => {:?}",
                    &text[e.span.clone()],
                    e.replacement
                )
                .unwrap();
            }
            if let Some(c) = &fix.settings_change {
                writeln!(out, "    settings: {}", serde_json::to_string(c).unwrap()).unwrap();
            }
        }
    }
    out
}

#[test]
fn messages_and_fixes_of_the_council_example() {
    expect_file!["snapshots/council-vote.findings"].assert_eq(&findings_report(EXAMPLES[0]));
}

#[test]
fn messages_and_fixes_of_the_harbour_example() {
    expect_file!["snapshots/harbour-wall.findings"].assert_eq(&findings_report(EXAMPLES[1]));
}

fn check(format: &str) -> String {
    let mut args = vec!["check", "--format", format];
    args.extend(EXAMPLES);
    let (code, out, err) = crate::common::run_cli(&args, root());
    assert_eq!(code, 1, "findings exit 1: {err}");
    out.replace(env!("CARGO_PKG_VERSION"), "VERSION")
}

#[test]
fn cli_json_output() {
    expect_file!["snapshots/check.json"].assert_eq(&check("json"));
}

#[test]
fn cli_sarif_output() {
    expect_file!["snapshots/check.sarif"].assert_eq(&check("sarif"));
}

#[test]
fn cli_github_output() {
    expect_file!["snapshots/check.github"].assert_eq(&check("github"));
}
