//! Quotations checked against the reporter's recordings, through the real binary over stdio
//! (issue 15): sources under `sources/` indexed in the background with `$/progress`; a
//! misquote with related information in the transcript and a fix that restores the
//! recording's words; a misattribution; hover on a verified quotation; a source edited on disk
//! while the draft is open; sources never linted as drafts nor counted by the workspace index;
//! `[quote-sources] paths` globs.

use crate::common;

use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const VTT: &str = include_str!("../eval-sources/sources/council-meeting.vtt");
const MENON: &str = include_str!("../eval-sources/sources/interview-menon.txt");

/// A quotation in a source that is also a paragraph of the draft (the workspace index must
/// not count the source as a draft holding a copy).
const SHARED: &str =
    "Ravi Menon, the city auditor, has questioned the plan for months and says so often.";

const DRAFT: &str = "# Budget\n\nDana Whitlock chairs the finance committee. Ravi Menon, the city auditor, has questioned the plan for months and says so often.\n\n“We found a million dollars in savings across the departments over five years,” Whitlock said.\n\n“They knew about it for months, and they said nothing to anyone outside the finance committee,” Whitlock said.\n\n“The transit authority will not raise fares before the election in November,” Whitlock said.\n";

fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("copydesk-src-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::write(dir.join("sources/council-meeting.vtt"), VTT).unwrap();
    std::fs::write(
        dir.join("sources/interview-menon.txt"),
        format!("{MENON}\n[00:09:00] MENON: “I said it then and I say it now.”\n\n{SHARED}\n"),
    )
    .unwrap();
    dir
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn progress_kind(m: &Value) -> Option<&str> {
    (m["method"] == "$/progress")
        .then(|| m["params"]["value"]["kind"].as_str())
        .flatten()
}

/// The next diagnostics of `uri` that satisfy `pred`.
fn until(s: &mut Server, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    loop {
        let (_, d) = s.diagnostics(uri, 1);
        if pred(&d) {
            return d;
        }
    }
}

fn with_code<'a>(d: &'a [Value], code: &str) -> Vec<&'a Value> {
    d.iter().filter(|x| x["code"] == code).collect()
}

#[test]
fn misquotes_and_misattributions_against_the_sources_folder() {
    let dir = workspace("main");
    let mut s = Server::spawn();
    let mut caps = push_caps(&["utf-16"]);
    caps["window"] = json!({"workDoneProgress": true});
    caps["textDocument"]["publishDiagnostics"] = json!({"relatedInformation": true});
    s.initialize(caps, Some(&dir));
    let draft = uri(&dir.join("story.md"));
    s.open(&draft, "markdown", DRAFT);

    // Progress for the sources, begin … end.
    let begin = s.wait_for(|m| {
        progress_kind(m) == Some("begin")
            && m["params"]["value"]["title"] == "copydesk: indexing the sources"
    });
    let token = begin["params"]["token"].clone();
    let end = s.wait_for(|m| progress_kind(m) == Some("end") && m["params"]["token"] == token);
    let msg = end["params"]["value"]["message"].as_str().unwrap();
    assert!(msg.starts_with("2 sources"), "{msg}");

    let d = until(&mut s, &draft, |d| {
        !with_code(d, "misquote").is_empty() && !with_code(d, "misattribution").is_empty()
    });
    let mq = with_code(&d, "misquote");
    assert_eq!(mq.len(), 1, "{d:#?}");
    assert_eq!(
        mq[0]["message"],
        "Quotation differs from the source (council-meeting.vtt 00:41:07, Dana Whitlock): ‘million’ where the recording has ‘billion’"
    );
    assert_eq!(mq[0]["severity"], 2);
    assert_eq!(mq[0]["source"], "copydesk");
    assert_eq!(mq[0]["range"]["start"]["line"], 4);
    let rel = &mq[0]["relatedInformation"][0]["location"];
    assert_eq!(rel["uri"], uri(&dir.join("sources/council-meeting.vtt")));
    // The passage starts at "we found" on line 6 of the transcript (0-based 5).
    assert_eq!(rel["range"]["start"]["line"], 5, "{rel}");
    let ma = with_code(&d, "misattribution");
    assert_eq!(ma.len(), 1, "{d:#?}");
    assert_eq!(
        ma[0]["message"],
        "Attributed to Whitlock, but the recording has Ravi Menon saying it (interview-menon.txt 00:03:12)"
    );
    // The source is not a draft: no cross-document copy of the shared paragraph.
    assert!(
        d.iter().all(|x| !x["message"]
            .as_str()
            .unwrap()
            .contains("interview-menon.txt")
            || x["code"] == "misattribution"),
        "{d:#?}"
    );

    // The fix restores the recording's words, and only them.
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": draft}, "range": mq[0]["range"],
               "context": {"diagnostics": [mq[0]]}}),
    );
    let fix = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Use the source's wording")
        .cloned()
        .expect("the fix");
    let edits = edits_for(&fix["edit"], &draft);
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "billion");
    let fixed = apply(DRAFT, &edits, "utf-16");
    assert_eq!(
        fixed,
        DRAFT.replace("a million dollars", "a billion dollars")
    );
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": draft, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let (_, d) = s.diagnostics(&draft, 2);
    assert!(with_code(&d, "misquote").is_empty(), "{d:#?}");

    // Hover on the now verified quotation.
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": draft}, "position": {"line": 4, "character": 10}}),
    );
    let value = h["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        value.starts_with("Verified: council-meeting.vtt 00:41:07 (Dana Whitlock)"),
        "{h}"
    );

    // The recording's transcript is corrected on disk while the draft is open.
    let vtt = dir.join("sources/council-meeting.vtt");
    std::fs::write(
        &vtt,
        VTT.replace("will not raise fares", "will raise fares"),
    )
    .unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&vtt), "type": 2}]}),
    );
    let d = until(&mut s, &draft, |d| !with_code(d, "misquote").is_empty());
    assert!(
        with_code(&d, "misquote")[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("the recording has no ‘not’"),
        "{d:#?}"
    );

    // A transcript opened in the editor is not checked as a draft.
    let src_uri = uri(&dir.join("sources/interview-menon.txt"));
    s.open(
        &src_uri,
        "plaintext",
        &std::fs::read_to_string(dir.join("sources/interview-menon.txt")).unwrap(),
    );
    let (_, d) = s.diagnostics(&src_uri, 1);
    assert_eq!(d, Vec::<Value>::new());
    assert_eq!(s.shutdown_and_exit(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn quote_sources_paths_override_the_default_folder() {
    let dir = std::env::temp_dir().join(format!("copydesk-src-glob-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("interviews/march")).unwrap();
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::write(dir.join("interviews/march/council.vtt"), VTT).unwrap();
    // Not a source any more: `paths` replaces the default folder.
    std::fs::write(
        dir.join("sources/other.txt"),
        "WHITLOCK: We found a million dollars in savings across the departments over five years.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("copydesk.toml"),
        "[quote-sources]\npaths = [\"interviews/**/*.vtt\"]\n",
    )
    .unwrap();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    let draft = uri(&dir.join("story.md"));
    s.open(&draft, "markdown", DRAFT);
    let d = until(&mut s, &draft, |d| !with_code(d, "misquote").is_empty());
    let mq = with_code(&d, "misquote");
    assert_eq!(mq.len(), 1, "{d:#?}");
    assert!(
        mq[0]["message"]
            .as_str()
            .unwrap()
            .contains("(council.vtt 00:41:07"),
        "{d:#?}"
    );
    // Nothing from interview-menon.txt (not a source here): no misattribution.
    assert!(with_code(&d, "misattribution").is_empty(), "{d:#?}");
    assert_eq!(s.shutdown_and_exit(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}
