//! End to end: the real binary over stdio JSON-RPC.

use crate::common;

use common::*;
use serde_json::{Value, json};
use std::time::Duration;

/// Our own draft: a one-line-per-paragraph text whose last lines repeat earlier ones, with
/// curly quotes, an emoji (a surrogate pair in UTF-16) and CJK before the copies.
fn pasted_draft() -> (String, usize) {
    let lines = [
        "Tokyo",
        "welcomed a record number of visitors this spring, the tourism",
        "board said on Friday.",
        "Hotel occupancy in 東京 reached 92% in April 🎉, the highest since the board began keeping records.",
        "“We have never seen demand like this,” said Aiko Tanaka, who runs a guesthouse in Asakusa.",
        "Officials expect the numbers to keep rising through the summer festival season and beyond.",
        "Hotel occupancy in 東京 reached 92% in April 🎉, the highest since the board began keeping records.",
        "“We have never seen demand like this,” said Aiko Tanaka, who runs a guesthouse in Asakusa.",
        "Officials expect the numbers to keep rising through the summer festival season and beyond.",
    ];
    (lines.join("\n"), 6)
}

fn check_copies(text: &str, first_copy_line: usize, count: usize, enc: &str, caps: Value) {
    let mut s = Server::spawn();
    let init = s.initialize(caps, None);
    assert_eq!(init["capabilities"]["positionEncoding"], enc);
    let uri = "file:///tmp/copydesk-e2e/draft.txt";
    s.open(uri, "plaintext", text);
    let (v, diags) = s.diagnostics(uri, 1);
    assert_eq!(v, 1);
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(diags.len(), count, "{diags:#?}");
    for (i, d) in diags.iter().enumerate() {
        let line = first_copy_line + i;
        let width = if enc == "utf-8" {
            lines[line].len()
        } else {
            utf16_len(lines[line])
        };
        assert_eq!(d["code"], "duplicate-paragraph");
        assert_eq!(d["source"], "copydesk");
        assert_eq!(
            d["range"],
            json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": width}}),
            "{enc}"
        );
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("Duplicate of the paragraph at line "),
            "{}",
            d["message"]
        );
        let rel = &d["relatedInformation"][0]["location"];
        assert_eq!(rel["uri"], uri);
    }
    // Apply the preferred fix of the last diagnostic, then fix everything that is left.
    let mut text = text.to_string();
    let mut version = 1;
    let mut current = diags;
    while let Some(d) = current.last().cloned() {
        let actions = s.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )["result"]
            .as_array()
            .cloned()
            .unwrap();
        let preferred = actions
            .iter()
            .find(|a| a["isPreferred"] == true)
            .expect("a preferred fix");
        assert_eq!(preferred["title"], "Delete duplicate paragraph");
        assert_eq!(preferred["kind"], "quickfix");
        if current.len() > 1 {
            assert!(
                actions
                    .iter()
                    .any(|a| a["title"].as_str().unwrap().starts_with(&format!(
                        "Delete the {} repeated paragraphs (lines {}–",
                        current.len(),
                        first_copy_line + 1
                    ))),
                "{actions:#?}"
            );
        }
        text = apply(&text, &edits_for(&preferred["edit"], uri), enc);
        version += 1;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        current = s.diagnostics(uri, version).1;
    }
    assert_eq!(text, lines[..first_copy_line].join("\n"));
    assert_eq!(s.shutdown_and_exit(), 0);
}

#[test]
fn own_draft_copies_have_exact_ranges_in_utf16_and_utf8_and_fix_cleanly() {
    let (text, first) = pasted_draft();
    check_copies(&text, first, 3, "utf-16", push_caps(&["utf-16"]));
    check_copies(&text, first, 3, "utf-8", push_caps(&["utf-8", "utf-16"]));
}

#[test]
fn seed_article_five_duplicates_exact_ranges_and_fix() {
    let Some(shared) = common::shared("eval/articles/00-cyber-dialogue.txt") else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("eval/articles/00-cyber-dialogue.txt")).unwrap();
    check_copies(&text, 9, 5, "utf-16", push_caps(&["utf-16"]));
    check_copies(&text, 9, 5, "utf-8", push_caps(&["utf-8", "utf-16"]));
}

#[test]
fn pull_clients_get_pull_diagnostics_and_no_pushes() {
    let (text, _) = pasted_draft();
    let mut s = Server::spawn();
    let init = s.initialize(pull_caps(), None);
    assert!(init["capabilities"]["diagnosticProvider"].is_object());
    let uri = "file:///tmp/copydesk-e2e/pull.txt";
    s.open(uri, "plaintext", &text);
    let r = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(r["result"]["kind"], "full");
    assert_eq!(r["result"]["items"].as_array().unwrap().len(), 3);
    let id = r["result"]["resultId"].clone();
    let again = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(again["result"]["kind"], "unchanged");
    let pushed = s
        .drain(Duration::from_millis(300))
        .into_iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    assert_eq!(pushed, 0, "never both push and pull for one client");
}

#[test]
fn rapid_edits_are_applied_in_order_and_only_the_newest_is_published_last() {
    let (text, _) = pasted_draft();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    let uri = "file:///tmp/copydesk-e2e/rapid.txt";
    s.open(uri, "plaintext", &text);
    // Type "abc…" one character at a time at the start of line 3, then delete the copies.
    for (i, ch) in "abcdefghijklmnopqrst".chars().enumerate() {
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2 + i},
                   "contentChanges": [{"range": {"start": {"line": 2, "character": i}, "end": {"line": 2, "character": i}}, "text": ch.to_string()}]}),
        );
    }
    let last: i64 = 2 + 19;
    let (v, _) = s.diagnostics(uri, last);
    assert_eq!(v, last);
    // Nothing older may arrive after the newest.
    s.backlog.clear();
    for m in s.drain(Duration::from_millis(300)) {
        if m["method"] == "textDocument/publishDiagnostics" {
            assert!(m["params"]["version"].as_i64().unwrap() >= last);
        }
    }
    // The server's text equals ours: a code action's edit for a copy proves where lines are.
    let (_, diags) = {
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 100}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": ""}]}),
        );
        s.diagnostics(uri, 100)
    };
    assert_eq!(diags.len(), 3);
    assert_eq!(diags[0]["range"]["start"]["line"], 6);
}

#[test]
fn settings_from_the_client_take_effect_without_restart() {
    let (text, _) = pasted_draft();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    let uri = "file:///tmp/copydesk-e2e/settings.txt";
    s.open(uri, "plaintext", &text);
    assert_eq!(s.diagnostics(uri, 1).1.len(), 3);
    s.config = json!({"duplicateParagraph": {"severity": "hint"}});
    s.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    s.backlog.clear();
    let m = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"][0]["severity"] == 4
    });
    assert_eq!(m["params"]["diagnostics"].as_array().unwrap().len(), 3);
    s.config = json!({"duplicateParagraph": {"enabled": false}});
    s.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"] == json!([])
    });
}

#[test]
fn initialization_options_and_workspace_toml_are_read() {
    let dir = tempdir("toml");
    std::fs::write(
        dir.join("copydesk.toml"),
        "[duplicate-paragraph]\nseverity = \"error\"\n",
    )
    .unwrap();
    let (text, _) = pasted_draft();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    let uri = format!("file://{}/a.txt", dir.display());
    s.open(&uri, "plaintext", &text);
    let (_, d) = s.diagnostics(&uri, 1);
    assert_eq!(d[0]["severity"], 1);
}

#[test]
fn a_broken_toml_is_reported_with_its_line_and_defaults_stay() {
    let dir = tempdir("badtoml");
    std::fs::write(
        dir.join("copydesk.toml"),
        "# ok\n[duplicate-paragraph\nseverity = 1\n",
    )
    .unwrap();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    let m = s.wait_for(|m| m["method"] == "window/showMessage");
    let msg = m["params"]["message"].as_str().unwrap();
    assert_eq!(m["params"]["type"], 1);
    assert!(msg.contains("copydesk.toml:2:"), "{msg}");
    let (text, _) = pasted_draft();
    let uri = format!("file://{}/a.txt", dir.display());
    s.open(&uri, "plaintext", &text);
    let (_, d) = s.diagnostics(&uri, 1);
    assert_eq!(d.len(), 3);
    assert_eq!(d[0]["severity"], 2, "defaults in force");
}

#[test]
fn fix_all_source_action_removes_every_exact_copy() {
    let (text, first) = pasted_draft();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    let uri = "file:///tmp/copydesk-e2e/fixall.txt";
    s.open(uri, "plaintext", &text);
    s.diagnostics(uri, 1);
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = r["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.copydesk");
    let fixed = apply(&text, &edits_for(&actions[0]["edit"], uri), "utf-16");
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(fixed, lines[..first].join("\n"));
}

#[test]
fn a_code_action_for_an_old_version_returns_no_edit() {
    let (text, _) = pasted_draft();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    let uri = "file:///tmp/copydesk-e2e/stale.txt";
    s.open(uri, "plaintext", &text);
    let (_, diags) = s.diagnostics(uri, 1);
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "New first line.\n"}]}),
    );
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diags[0]["range"],
               "context": {"diagnostics": [diags[0].clone()], "only": ["quickfix"]}}),
    );
    assert_eq!(r["result"], json!([]));
}

#[test]
fn markdown_suppression_comments_silence_findings() {
    let p = "The committee will publish its full findings on the inquiry early next year, officials said.";
    let text = format!(
        "{p}\n\n<!-- copydesk-disable-next-paragraph duplicate-paragraph -->\n{p}\n\n<!-- copydesk-disable -->\n\n{p}\n"
    );
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    let uri = "file:///tmp/copydesk-e2e/supp.md";
    s.open(uri, "markdown", &text);
    assert_eq!(s.diagnostics(uri, 1).1.len(), 0);
}

#[test]
fn cross_document_copies_are_information_pointing_at_the_other_file() {
    let p = "The committee will publish its full findings on the inquiry early next year, officials said.";
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    let a = "file:///tmp/copydesk-e2e/one.md";
    let b = "file:///tmp/copydesk-e2e/two.md";
    s.open(a, "markdown", &format!("Intro line here.\n\n{p}\n"));
    s.diagnostics(a, 1);
    s.open(b, "markdown", &format!("{p}\n"));
    let (_, d) = s.diagnostics(b, 1);
    assert_eq!(
        d.len(),
        1,
        "{d:#?} {:#?}",
        s.drain(Duration::from_millis(200))
    );
    assert_eq!(d[0]["severity"], 3);
    assert_eq!(d[0]["relatedInformation"][0]["location"]["uri"], a);
    assert_eq!(
        d[0]["relatedInformation"][0]["location"]["range"]["start"]["line"],
        2
    );
}

#[test]
fn lifecycle_exit_codes() {
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    assert_eq!(s.shutdown_and_exit(), 0);
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), 1, "exit without shutdown");
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    s.close_stdin();
    s.wait_exit();
}

pub fn tempdir(name: &str) -> std::path::PathBuf {
    common::tempdir("test", name)
}

#[test]
fn pull_after_a_settings_change_is_not_unchanged() {
    let (text, _) = pasted_draft();
    let mut s = Server::spawn();
    s.initialize(pull_caps(), None);
    let uri = "file:///tmp/copydesk-e2e/pull-settings.txt";
    s.open(uri, "plaintext", &text);
    let r = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(r["result"]["items"].as_array().unwrap().len(), 3);
    let id = r["result"]["resultId"].clone();
    s.config = json!({"duplicateParagraph": {"enabled": false}});
    s.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    // The server asks for the new settings; answer, then pull again with the old id.
    s.drain(Duration::from_millis(300));
    let r = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(r["result"]["kind"], "full");
    assert_eq!(r["result"]["items"], json!([]));
}

#[test]
fn a_pull_client_without_refresh_support_gets_pushes() {
    // Like Neovim: declares textDocument.diagnostic but cannot be asked to pull again.
    let mut caps = push_caps(&["utf-8", "utf-16"]);
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let (text, _) = pasted_draft();
    let mut s = Server::spawn();
    let init = s.initialize(caps, None);
    assert!(init["capabilities"]["diagnosticProvider"].is_null());
    let uri = "file:///tmp/copydesk-e2e/norefresh.txt";
    s.open(uri, "plaintext", &text);
    assert_eq!(s.diagnostics(uri, 1).1.len(), 3);
}
