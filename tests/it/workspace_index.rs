//! The workspace index through the real binary: 1,000 draft files on disk, indexed in the
//! background with `$/progress`, never delaying an open document's diagnostics; a paragraph
//! copied from a file that is not open is reported with a related location in that file.

use crate::common;

use common::*;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const FILES: usize = 1_000;

const COPIED: &str = "The harbour commission agreed on Thursday to rebuild the north breakwater before the winter storms, at a cost of 4.2 million euros.";

fn workspace() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("copydesk-wsix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("drafts")).unwrap();
    std::fs::create_dir_all(dir.join("ignored")).unwrap();
    std::fs::write(dir.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    for i in 0..FILES {
        let mut t = format!("# Story {i}\n\n");
        for p in 0..12 {
            t.push_str(&format!(
                "Paragraph {p} of story {i} reports that the council met on day {} to discuss item {} and agreed to meet again soon.\n\n",
                (i + p) % 31,
                i * 13 + p
            ));
        }
        if i == 617 {
            // Non-ASCII before the copy, so the related range's column is encoding-sensitive.
            t.push_str("“Émile” said 🎉 nothing more.\n\n");
            t.push_str(COPIED);
            t.push('\n');
        }
        std::fs::write(dir.join("drafts").join(format!("story-{i:04}.md")), t).unwrap();
    }
    // A copy in an ignored folder must not be the one reported.
    std::fs::write(dir.join("ignored/copy.md"), format!("{COPIED}\n")).unwrap();
    dir
}

fn progress_kind(m: &Value) -> Option<&str> {
    (m["method"] == "$/progress")
        .then(|| m["params"]["value"]["kind"].as_str())
        .flatten()
}

#[test]
fn the_workspace_is_indexed_in_the_background_with_progress() {
    let dir = workspace();
    let mut s = Server::spawn();
    let mut caps = push_caps(&["utf-16"]);
    caps["window"] = json!({"workDoneProgress": true});
    let opened = Instant::now();
    s.initialize(caps, Some(&dir));
    let uri = format!("file://{}/new-story.md", dir.display());
    let text = format!(
        "# New story\n\nA fresh introduction written for this story alone, about the harbour.\n\n{COPIED}\n"
    );
    s.open(&uri, "markdown", &text);

    // The open document's diagnostics do not wait for the index.
    let create = s.wait_for(|m| m["method"] == "window/workDoneProgress/create");
    let token = create["params"]["token"].clone();
    let (_, first) = s.diagnostics(&uri, 1);
    let first_at = opened.elapsed();
    let mut seen = s.drain(Duration::from_millis(0));
    assert!(
        !seen.iter().any(|m| progress_kind(m) == Some("end")),
        "the first diagnostics waited for the index ({first_at:?})"
    );
    assert!(
        first.iter().all(|d| d["code"] != "duplicate-paragraph"),
        "{first:?}"
    );

    // Progress: begin … end on the token the server created.
    let mut next = |s: &mut Server, kind: &str| -> Value {
        match seen.iter().position(|m| progress_kind(m) == Some(kind)) {
            Some(i) => seen.remove(i),
            None => s.wait_for(|m| progress_kind(m) == Some(kind)),
        }
    };
    let begin = next(&mut s, "begin");
    assert_eq!(begin["params"]["token"], token);
    let end = next(&mut s, "end");
    assert_eq!(end["params"]["token"], token);
    let msg = end["params"]["value"]["message"].as_str().unwrap_or("");
    assert!(msg.contains(&format!("{FILES} files")), "{msg}");
    let indexed_in = opened.elapsed();
    eprintln!("first diagnostics after {first_at:?}, index built after {indexed_in:?}");

    // Then the document is checked again, now against the files on disk.
    let d = loop {
        let (_, diags) = s.diagnostics(&uri, 1);
        if let Some(d) = diags.iter().find(|d| d["code"] == "duplicate-paragraph") {
            break d.clone();
        }
    };
    assert_eq!(d["severity"], 3, "information: {d}");
    assert!(
        d["message"].as_str().unwrap().contains("story-0617.md"),
        "{d}"
    );
    assert_eq!(d["range"]["start"]["line"], 4);
    let rel = &d["relatedInformation"][0]["location"];
    assert!(
        rel["uri"]
            .as_str()
            .unwrap()
            .ends_with("drafts/story-0617.md"),
        "{rel}"
    );
    // Line 28 of story 617: after the heading, 12 paragraphs and the “Émile” line.
    assert_eq!(rel["range"]["start"], json!({"line": 28, "character": 0}));
    assert_eq!(
        rel["range"]["end"],
        json!({"line": 28, "character": utf16_len(COPIED)})
    );

    // The file changes on disk: the copy is gone, and so is the finding.
    let path = dir.join("drafts/story-0617.md");
    std::fs::write(&path, "# Story 617\n\nRewritten entirely.\n").unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("file://{}", path.display()), "type": 2}]}),
    );
    loop {
        let (_, diags) = s.diagnostics(&uri, 1);
        if diags.iter().all(|d| d["code"] != "duplicate-paragraph") {
            break;
        }
    }
    assert_eq!(s.shutdown_and_exit(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_progress_is_sent_to_a_client_that_cannot_show_it() {
    let dir = std::env::temp_dir().join(format!("copydesk-wsix-np-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("other.md"), format!("{COPIED}\n")).unwrap();
    // Ignored, hidden and non-draft files are not indexed.
    const SECOND: &str =
        "Only ignored, hidden or non-draft files hold this second paragraph of the open story.";
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("build")).unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    std::fs::write(dir.join(".gitignore"), "build/\n").unwrap();
    std::fs::write(dir.join("build/x.md"), format!("{SECOND}\n")).unwrap();
    std::fs::write(dir.join(".hidden/y.md"), format!("{SECOND}\n")).unwrap();
    std::fs::write(dir.join("notes.rs"), format!("// {SECOND}\n")).unwrap();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    let uri = format!("file://{}/open.md", dir.display());
    s.open(&uri, "markdown", &format!("{COPIED}\n\n{SECOND}\n"));
    let d = loop {
        let (_, diags) = s.diagnostics(&uri, 1);
        let dups: Vec<&Value> = diags
            .iter()
            .filter(|d| d["code"] == "duplicate-paragraph")
            .collect();
        if let Some(d) = dups.first() {
            assert_eq!(dups.len(), 1, "only the copy of other.md: {dups:?}");
            break (*d).clone();
        }
    };
    assert!(d["message"].as_str().unwrap().contains("other.md"), "{d}");
    let rest = s.drain(Duration::from_millis(300));
    let last = rest
        .iter()
        .rfind(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["diagnostics"].clone());
    if let Some(last) = last {
        let dups = last
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "duplicate-paragraph");
        assert_eq!(dups.count(), 1, "{last}");
    }
    assert!(
        rest.iter()
            .all(|m| m["method"] != "$/progress" && m["method"] != "window/workDoneProgress/create")
    );
    assert_eq!(s.shutdown_and_exit(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}
