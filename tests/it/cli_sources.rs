//! `copydesk check` with the reporter's recordings: `--sources DIR`, the default `sources/`
//! folder, sources never checked as drafts, and the misquote fix never applied by `--fix`.

use serde_json::Value;
use std::path::PathBuf;

const VTT: &str = include_str!("../eval-sources/sources/council-meeting.vtt");
const SRT: &str = include_str!("../eval-sources/sources/press-call.srt");

const DRAFT: &str = "Dana Whitlock chairs the finance committee.\n\n“We found a million dollars in savings across the departments over five years,” Whitlock said.\n\n“Our reserves are healthy,” she said. “The rating agencies have told us so in writing.”\n";

fn tempdir(name: &str) -> PathBuf {
    crate::common::tempdir("clisrc", name)
}

use crate::common::run_cli as run;

#[test]
fn sources_given_on_the_command_line() {
    let d = tempdir("explicit");
    std::fs::create_dir_all(d.join("recordings")).unwrap();
    std::fs::write(d.join("recordings/council.vtt"), VTT).unwrap();
    std::fs::write(d.join("recordings/call.srt"), SRT).unwrap();
    std::fs::write(d.join("story.md"), DRAFT).unwrap();
    // Without sources: nothing to check quotations against.
    let (code, out, _) = run(&["check", "story.md"], &d);
    assert_eq!(code, 0, "{out}");
    let (code, out, err) = run(
        &[
            "check",
            "--sources",
            "recordings",
            "--format",
            "json",
            "story.md",
        ],
        &d,
    );
    assert_eq!(code, 1, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let findings: Vec<&Value> = v["files"][0]["findings"]
        .as_array()
        .or_else(|| v["findings"].as_array())
        .unwrap()
        .iter()
        .collect();
    assert_eq!(findings.len(), 1, "{out}");
    assert_eq!(findings[0]["rule"], "misquote", "{out}");
    assert!(
        findings[0]["message"].as_str().unwrap().contains(
            "(council.vtt 00:41:07, Dana Whitlock): ‘million’ where the recording has ‘billion’"
        ),
        "{out}"
    );
}

#[test]
fn the_sources_folder_is_found_and_never_checked_as_drafts() {
    let d = tempdir("default");
    std::fs::create_dir_all(d.join("sources")).unwrap();
    std::fs::write(d.join("sources/council.vtt"), VTT).unwrap();
    // A transcript with a quotation nobody attributes, and a paragraph twice: as a draft it
    // would have findings.
    std::fs::write(
        d.join("sources/notes.txt"),
        "WHITLOCK: The auditors will say what they like about the numbers.\n\nWHITLOCK: The auditors will say what they like about the numbers.\n\n“Nobody expected the vote to pass so easily this year.”\n",
    )
    .unwrap();
    std::fs::write(d.join("story.md"), DRAFT).unwrap();
    let (code, out, err) = run(&["check", "."], &d);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("[misquote]"), "{out}");
    assert!(!out.contains("notes.txt"), "{out}");
    assert!(out.contains("1 file"), "{out}");
    // `--fix` applies only safe fixes; restoring a quotation is the editor's call.
    let (_, _, _) = run(&["check", "--fix", "story.md"], &d);
    assert_eq!(std::fs::read_to_string(d.join("story.md")).unwrap(), DRAFT);
}

#[test]
fn folders_globs_and_what_they_cover() {
    use copydesk::sources_fs::SourceSpec;
    let dir = tempdir("spec");
    std::fs::create_dir_all(dir.join("sources/day1")).unwrap();
    std::fs::create_dir_all(dir.join("interviews/a")).unwrap();
    std::fs::write(dir.join("sources/day1/menon.txt"), "MENON: Hello there.\n").unwrap();
    std::fs::write(dir.join("sources/x.png"), "no").unwrap();
    std::fs::write(dir.join("interviews/a/c.vtt"), "WEBVTT\n").unwrap();
    std::fs::write(dir.join("interviews/a/notes.txt"), "n\n").unwrap();
    let default = SourceSpec::new(&dir, &[]);
    assert_eq!(default.files(), vec![dir.join("sources/day1/menon.txt")]);
    assert!(default.covers(&dir.join("sources/new.vtt")));
    assert!(!default.covers(&dir.join("draft.md")));
    let globbed = SourceSpec::new(&dir, &["interviews/**/*.vtt".to_string()]);
    assert_eq!(globbed.files(), vec![dir.join("interviews/a/c.vtt")]);
    assert!(globbed.covers(&dir.join("interviews/b/d.vtt")));
    assert!(!globbed.covers(&dir.join("interviews/a/notes.txt")));
}

/// `[quote-sources] paths` comes from a settings file: it can only name files inside the
/// workspace — no absolute paths, no `..`, nothing through a symlink that leads out.
#[test]
fn quote_source_paths_stay_inside_the_workspace() {
    use copydesk::sources_fs::SourceSpec;
    let top = tempdir("confined");
    let ws = top.join("ws");
    let outside = top.join("outside");
    std::fs::create_dir_all(ws.join("sources")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "X: secret words here.\n").unwrap();
    std::fs::write(ws.join("sources/in.txt"), "X: inside words here.\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, ws.join("sources/link")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.txt"), ws.join("sources/file-link.txt"))
            .unwrap();
        std::os::unix::fs::symlink(&outside, ws.join("out-link")).unwrap();
    }
    let patterns: Vec<String> = [
        "sources",
        "../outside",
        outside.to_str().unwrap(),
        "out-link",
        "out-link/*.txt",
        "**/*.txt",
        "sources/../../outside/secret.txt",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let files = SourceSpec::new(&ws, &patterns).files();
    assert_eq!(files, vec![ws.join("sources/in.txt")], "{files:?}");
    // On the command line the user may name any folder.
    let explicit = SourceSpec::explicit(std::slice::from_ref(&outside)).files();
    assert_eq!(explicit, vec![outside.join("secret.txt")]);
}
