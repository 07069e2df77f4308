//! `copydesk check`: exit codes, output formats, `--fix`, stdin, settings discovery.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const P1: &str =
    "The ferry company said on Monday that the crossing would resume on Friday after repairs.";
const P2: &str = "Passengers with bookings for the cancelled sailings will be offered a full refund or a new date.";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
}

fn tempdir(name: &str) -> PathBuf {
    crate::common::tempdir("cli", name)
}

use crate::common::run_cli as run;

#[test]
fn clean_files_exit_0_findings_exit_1_errors_exit_2() {
    let d = tempdir("exit");
    std::fs::write(d.join("clean.md"), format!("{P1}\n\n{P2}\n")).unwrap();
    std::fs::write(d.join("dup.md"), format!("{P1}\n\n{P2}\n\n{P1}\n")).unwrap();
    assert_eq!(run(&["check", "clean.md"], &d).0, 0);
    let (code, out, _) = run(&["check", "dup.md"], &d);
    assert_eq!(code, 1);
    assert!(
        out.contains("Duplicate of the paragraph at line 1 [duplicate-paragraph]"),
        "{out}"
    );
    assert!(out.contains("dup.md:5:1"), "{out}");
    let (code, _, err) = run(&["check", "missing.md"], &d);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(run(&["check", "--format", "nope"], &d).0, 2);
}

#[test]
fn directories_are_walked_for_markdown_and_text() {
    let d = tempdir("walk");
    std::fs::create_dir_all(d.join("a/b")).unwrap();
    std::fs::write(d.join("a/b/x.markdown"), format!("{P1}\n\n{P1}\n")).unwrap();
    std::fs::write(d.join("a/y.txt"), format!("{P2}\n\n{P2}\n")).unwrap();
    std::fs::write(d.join("a/z.rs"), format!("{P2}\n\n{P2}\n")).unwrap();
    let (code, out, _) = run(&["check", "--format", "json", "."], &d);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["findings"], 2);
}

#[test]
fn json_schema_has_positions_spans_and_fixes() {
    let d = tempdir("json");
    let text = format!("“{P1}”\n\n🎉 {P2}\n\n“{P1}”\n");
    std::fs::write(d.join("d.md"), &text).unwrap();
    let (_, out, _) = run(&["check", "--format", "json", "d.md"], &d);
    let v: Value = serde_json::from_str(&out).unwrap();
    let f = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "duplicate-paragraph")
        .unwrap();
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["start"]["line"], 5);
    assert_eq!(f["start"]["column"], 1);
    // columns count Unicode scalar values: the closing quote is one column
    assert_eq!(f["end"]["column"], P1.chars().count() as u64 + 3);
    let (a, b) = (
        f["byteStart"].as_u64().unwrap() as usize,
        f["byteEnd"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[a..b], format!("“{P1}”"));
    assert_eq!(f["related"][0]["line"], 1);
    assert_eq!(f["fixes"][0]["title"], "Delete duplicate paragraph");
    assert_eq!(f["fixes"][0]["safe"], true);
}

#[test]
fn sarif_and_github_formats() {
    let d = tempdir("sarif");
    std::fs::write(d.join("d.txt"), format!("{P1}\n\n{P1}\n")).unwrap();
    let (_, out, _) = run(&["check", "--format", "sarif", "d.txt"], &d);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "duplicate-paragraph");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(r["level"], "warning");
    let (_, out, _) = run(&["check", "--format", "github", "d.txt"], &d);
    assert_eq!(
        out.trim(),
        format!(
            "::warning file=d.txt,line=3,col=1,endLine=3,endColumn={},title=duplicate-paragraph::Duplicate of the paragraph at line 1",
            P1.len() + 1
        )
    );
}

#[test]
fn fix_rewrites_in_place_and_reports_what_is_left() {
    let d = tempdir("fix");
    std::fs::write(d.join("d.md"), format!("{P1}\n\n{P2}\n\n{P1}\n\n{P2}\n")).unwrap();
    let (code, out, _) = run(&["check", "--fix", "d.md"], &d);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        std::fs::read_to_string(d.join("d.md")).unwrap(),
        format!("{P1}\n\n{P2}\n")
    );
    let leftovers: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
}

#[test]
fn fix_writes_nothing_when_any_input_fails() {
    let d = tempdir("fixerr");
    let original = format!("{P1}\n\n{P1}\n");
    std::fs::write(d.join("a.md"), &original).unwrap();
    std::fs::write(d.join("b.md"), b"\xff\xfe not utf-8").unwrap();
    let (code, _, err) = run(&["check", "--fix", "a.md", "b.md"], &d);
    assert_eq!(code, 2);
    assert!(err.contains("b.md"), "{err}");
    assert_eq!(std::fs::read_to_string(d.join("a.md")).unwrap(), original);
}

#[test]
fn stdin_is_read_as_markdown() {
    let mut child = bin()
        .args(["check", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{P2}\n\n```\n{P2}\n```\n\n{P2}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], "<stdin>");
    assert_eq!(v["summary"]["findings"], 1, "code blocks are not prose");
}

#[test]
fn the_nearest_copydesk_toml_applies_and_a_broken_one_is_an_error() {
    let d = tempdir("config");
    std::fs::create_dir_all(d.join("desk/drafts")).unwrap();
    std::fs::write(d.join("desk/drafts/d.md"), format!("{P1}\n\n{P1}\n")).unwrap();
    std::fs::write(
        d.join("desk/copydesk.toml"),
        "[duplicate-paragraph]\nenabled = false\n",
    )
    .unwrap();
    assert_eq!(run(&["check", "desk/drafts/d.md"], &d).0, 0);
    std::fs::write(d.join("desk/copydesk.toml"), "[duplicate-paragraph\n").unwrap();
    let (code, _, err) = run(&["check", "desk/drafts/d.md"], &d);
    assert_eq!(code, 2);
    assert!(err.contains("copydesk.toml:1:"), "{err}");
}

#[test]
fn json_replacements_are_plain_text_and_human_carets_follow_display_width() {
    let d = tempdir("plain");
    // A stand-alone quotation with no speaker: its fixes insert an attribution.
    let quote = "“We will never give up the harbour, whatever the council decides next year,” came the reply from the back of the room.";
    std::fs::write(
        d.join("q.md"),
        format!("{P1}\n\n{quote}\n\n👨‍👩‍👧 東京 Chuck Hagel spoke. Hagel left. Hagel came back. Hagle went.\n"),
    )
    .unwrap();
    let (_, out, _) = run(&["check", "--format", "json", "q.md"], &d);
    assert!(!out.contains("${"), "snippet syntax in JSON: {out}");
    let (_, out, _) = run(&["check", "q.md"], &d);
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains("Hagle went"))
        .expect("the name line is shown");
    // "5 | " then the line; "  | " then the carets: the same four columns of gutter.
    let caret = lines[i + 1].find('^').expect("carets") - 4;
    // The family emoji is two columns, each CJK character two, then 49 narrow ones.
    assert_eq!(caret, 2 + 1 + 4 + 1 + 48, "{out}");
}
