//! Draft files, defined once (`copydesk::drafts`): the folder walk on disk, and
//! `copydesk check DIR` and the server's workspace index seeing the same set of files.

use crate::common::{self, Server, push_caps};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A workspace with a draft of every kind and a file of every kind that is not a draft.
fn workspace(name: &str) -> PathBuf {
    let dir = common::tempdir("drafts", name);
    let p = "The harbour board met on Tuesday and agreed to repair the north wall before winter.";
    for f in [
        "a.md",
        "sub/b.txt",
        "sub/c.MARKDOWN",
        "d.mdown",
        "e.mkd",
        "f.text",
        // not drafts:
        ".hidden/g.md",
        ".h.md",
        "ignored/i.md",
        "j.log.md",
        "node_modules/k.md",
        "target/l.md",
        "notes.rst",
        "sources/interview.txt",
        "sources/call.vtt",
    ] {
        let path = dir.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("{p}\n\nA line of its own in {f}.\n")).unwrap();
    }
    std::fs::write(dir.join(".gitignore"), "ignored/\n*.log.md\n").unwrap();
    std::fs::write(dir.join("copydesk.toml"), "").unwrap();
    dir
}

const DRAFTS: [&str; 6] = [
    "a.md",
    "d.mdown",
    "e.mkd",
    "f.text",
    "sub/b.txt",
    "sub/c.MARKDOWN",
];

fn relative(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir).unwrap().display().to_string()
}

#[test]
fn the_walk_skips_hidden_ignored_and_tool_folders() {
    let dir = workspace("walk");
    let got: BTreeSet<String> = copydesk::drafts::walk(&dir)
        .iter()
        .map(|p| relative(&dir, p))
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    // The walk itself keeps `sources/`; its callers drop the sources.
    let mut want: BTreeSet<String> = DRAFTS.iter().map(|s| s.to_string()).collect();
    want.insert("sources/interview.txt".into());
    assert_eq!(got, want);
}

#[test]
fn the_cli_and_the_workspace_index_see_the_same_drafts() {
    let dir = workspace("same");
    let want: BTreeSet<String> = DRAFTS.iter().map(|s| s.to_string()).collect();

    let (_, out, err) = common::run_cli(&["check", "--format", "json", "."], &dir);
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let cli: BTreeSet<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .trim_start_matches("./")
                .to_string()
        })
        .collect();
    assert_eq!(cli, want, "copydesk check DIR");

    let mut s = Server::spawn_with(None, &[("RUST_LOG", "copydesk=debug")]);
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    // Answer the server's requests (registrations) until the index is built.
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    while !s
        .stderr
        .lock()
        .unwrap()
        .iter()
        .any(|l| l.contains("workspace indexed"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the index was never built"
        );
        s.drain(std::time::Duration::from_millis(50));
    }
    let done = s.wait_log("workspace indexed");
    let index: BTreeSet<String> = s
        .stderr
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("index file") && l.contains("indexed=true"))
        .filter_map(|l| {
            l.split("path=")
                .nth(1)?
                .split(' ')
                .next()
                .map(PathBuf::from)
        })
        .map(|p| relative(&dir, &p))
        .collect();
    s.shutdown_and_exit();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(index, want, "the workspace index ({done})");
}
