//! The desk's names (issue 16) through the real binary: a workspace of drafts on disk, an open
//! draft that spells a name as the desk's other stories do not; the finding, its related
//! locations and fixes, "Accept as this desk's spelling", the index following a changed file;
//! and `copydesk check` / `copydesk names [--write]` over a folder.

use crate::common;

use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

const MONDAY: &str = "# Grid holds\n\nPrime Minister Denys Shmyhal said on Monday that the grid would hold. Shmyhal spoke in Kyiv.\n\n“We are ready,” Shmyhal said.\n";
const TUESDAY: &str =
    "# Lviv visit\n\nDenys Shmyhal visited Lviv on Tuesday. Officials said Shmyhal was tired.\n";
const DRAFT: &str = "# Brussels trip\n\nDenys Shmygal will travel to Brussels on Friday. Aides said Shmygal would meet officials there.\n";

fn workspace(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("copydesk-desk-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("desk")).unwrap();
    std::fs::write(dir.join("desk/monday.md"), MONDAY).unwrap();
    std::fs::write(dir.join("desk/tuesday.md"), TUESDAY).unwrap();
    // A consistent story about someone else.
    std::fs::write(
        dir.join("desk/other.md"),
        "# Harbour\n\nMayor Anna Lindqvist opened the harbour. Lindqvist cut the ribbon.\n",
    )
    .unwrap();
    dir
}

fn names_of(diags: &[Value]) -> Vec<Value> {
    diags
        .iter()
        .filter(|d| d["code"] == "name-spelling")
        .cloned()
        .collect()
}

/// Wait until the draft's name-spelling diagnostics satisfy `pred`.
fn until(s: &mut Server, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    loop {
        let (_, d) = s.diagnostics(uri, 1);
        let n = names_of(&d);
        if pred(&n) {
            return n;
        }
    }
}

#[test]
fn a_draft_that_spells_a_name_as_the_desk_does_not_is_told_over_stdio() {
    let dir = workspace("lsp");
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    let uri = format!("file://{}/draft.md", dir.display());
    s.open(&uri, "markdown", DRAFT);
    // Alone the draft is consistent; once the index is built, the desk disagrees.
    let found = until(&mut s, &uri, |n| n.len() == 2);
    let d = &found[0];
    assert_eq!(d["severity"], 3, "information: {d}");
    assert_eq!(
        d["message"],
        "‘Shmygal’: the desk's other stories spell it ‘Shmyhal’ (5 times in 2 files)"
    );
    assert_eq!(d["range"]["start"], json!({"line": 2, "character": 6}));
    let rel = d["relatedInformation"].as_array().unwrap();
    assert_eq!(rel.len(), 2, "{rel:?}");
    let monday = rel
        .iter()
        .find(|r| {
            r["location"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("desk/monday.md")
        })
        .expect("monday.md is related");
    assert_eq!(
        monday["location"]["range"],
        json!({"start": {"line": 2, "character": 21}, "end": {"line": 2, "character": 28}})
    );

    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"],
               "context": {"diagnostics": [d.clone()], "only": ["quickfix"]}}),
    );
    let actions = r["result"].as_array().unwrap().clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Change to ‘Shmyhal’",
            "Change all 2 ‘Shmygal’ in this draft to ‘Shmyhal’",
            "Accept ‘Shmygal’ as this desk's spelling"
        ]
    );
    let all = apply(DRAFT, &edits_for(&actions[1]["edit"], &uri), "utf-16");
    assert_eq!(all, DRAFT.replace("Shmygal", "Shmyhal"));
    // Accept is a command the server runs: it writes `[names.prefer]` in copydesk.toml
    // (created) and the finding goes at once.
    let accept = &actions[2];
    assert!(accept.get("edit").is_none_or(|e| e.is_null()), "{accept}");
    assert_eq!(accept["command"]["command"], "copydesk.applySettingsChange");
    s.request(
        "workspace/executeCommand",
        json!({"command": "copydesk.applySettingsChange", "arguments": accept["command"]["arguments"]}),
    );
    let toml = std::fs::read_to_string(dir.join("copydesk.toml")).unwrap();
    assert!(toml.contains("[names.prefer]"), "{toml}");
    assert!(toml.contains("Shmyhal = \"Shmygal\""), "{toml}");
    until(&mut s, &uri, |n| n.is_empty());
    assert_eq!(s.shutdown_and_exit(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_desk_follows_a_story_that_changes_on_disk() {
    let dir = workspace("watch");
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    let uri = format!("file://{}/draft.md", dir.display());
    s.open(&uri, "markdown", DRAFT);
    until(&mut s, &uri, |n| n.len() == 2);
    // Both stories now spell it as the draft does.
    for f in ["desk/monday.md", "desk/tuesday.md"] {
        let p = dir.join(f);
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, t.replace("Shmyhal", "Shmygal")).unwrap();
    }
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": format!("file://{}/desk/monday.md", dir.display()), "type": 2},
            {"uri": format!("file://{}/desk/tuesday.md", dir.display()), "type": 2}
        ]}),
    );
    until(&mut s, &uri, |n| n.is_empty());
    assert_eq!(s.shutdown_and_exit(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn copydesk(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_over_a_folder_compares_each_draft_with_the_others() {
    let dir = workspace("cli");
    std::fs::write(dir.join("draft.md"), DRAFT).unwrap();
    let (code, out, err) = copydesk(&dir, &["check", "--format", "json", "."]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let mut found = Vec::new();
    for f in v["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            found.push((
                f["path"].as_str().unwrap().to_string(),
                x["message"].clone(),
            ));
        }
    }
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(p, _)| p.ends_with("draft.md")));
    assert_eq!(
        found[0].1,
        "‘Shmygal’: the desk's other stories spell it ‘Shmyhal’ (5 times in 2 files)"
    );
    // One file alone has no desk to disagree with.
    let (code, _, _) = copydesk(&dir, &["check", "draft.md"]);
    assert_eq!(code, 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn names_prints_the_style_sheet_and_writes_the_choices() {
    let dir = workspace("sheet");
    std::fs::write(dir.join("draft.md"), DRAFT).unwrap();
    std::fs::write(
        dir.join("copydesk.toml"),
        "# Our desk\n[names]\naccept = [\"Hagle\"] # a different man\n",
    )
    .unwrap();
    let (code, out, err) = copydesk(&dir, &["names", "."]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Denys Shmyhal");
    assert!(
        lines[1].starts_with("  ✓ Shmyhal") && lines[1].ends_with("monday.md, tuesday.md"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("    Shmygal") && lines[2].ends_with("draft.md"),
        "{out}"
    );
    assert!(!out.contains("Lindqvist"), "one spelling only: {out}");
    let (_, all, _) = copydesk(&dir, &["names", "--all", "."]);
    assert!(all.contains("Anna Lindqvist"), "{all}");

    let (_, json_out, _) = copydesk(&dir, &["names", "--format", "json", "."]);
    let v: Value = serde_json::from_str(&json_out).unwrap();
    assert_eq!(v["names"][0]["canonical"], "Shmyhal");
    assert_eq!(v["names"][0]["spellings"][1]["text"], "Shmygal");
    assert_eq!(v["names"][0]["spellings"][1]["count"], 2);

    let (code, out, err) = copydesk(&dir, &["names", "--write", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 spelling(s) written"), "{out}");
    let toml = std::fs::read_to_string(dir.join("copydesk.toml")).unwrap();
    assert!(
        toml.starts_with("# Our desk\n[names]\naccept = [\"Hagle\"] # a different man\n"),
        "{toml}"
    );
    assert!(toml.contains("Shmygal = \"Shmyhal\""), "{toml}");
    // Now the house style speaks, as a warning in the draft.
    let (_, out, _) = copydesk(&dir, &["check", "draft.md"]);
    assert!(
        out.contains("House style spells ‘Shmygal’ as ‘Shmyhal’"),
        "{out}"
    );
    // Writing again changes nothing.
    copydesk(&dir, &["names", "--write", "."]);
    assert_eq!(
        std::fs::read_to_string(dir.join("copydesk.toml")).unwrap(),
        toml
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
