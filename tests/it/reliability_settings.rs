//! Settings from `copydesk.toml` under stress: a file that turns bad is reported with file,
//! line and column and the last good settings stay in force; unknown keys warn; a file of the
//! wrong shape never silently resets everything.

use crate::common;

use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

const PARA: &str =
    "The committee will publish its full findings on the inquiry early next year, officials said.";

fn tempdir(name: &str) -> PathBuf {
    crate::common::tempdir("rel", name)
}

/// Tell the server the file changed, as a client's file watcher does.
fn touched(s: &mut Server, dir: &Path, kind: u32) {
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&dir.join("copydesk.toml")), "type": kind}]}),
    );
}

/// Severity of the duplicate diagnostic in the next publication for `uri` at `version`.
fn severity_after_edit(s: &mut Server, uri: &str, version: i64) -> Value {
    // An edit that changes nothing the rule sees forces a fresh analysis with the current
    // settings.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": ""}]}),
    );
    let (_, d) = s.diagnostics(uri, version);
    assert_eq!(d.len(), 1, "{d:#?}");
    d[0]["severity"].clone()
}

fn show_message(s: &mut Server) -> (i64, String) {
    let m = s.wait_for(|m| m["method"] == "window/showMessage");
    (
        m["params"]["type"].as_i64().unwrap(),
        m["params"]["message"].as_str().unwrap().to_string(),
    )
}

/// A server whose `copydesk.toml` makes duplicates errors, with a draft open that has one
/// (its diagnostic checked): the settings file, the server, the draft's URI.
fn duplicates_as_errors(dir: &Path) -> (PathBuf, Server, String) {
    let cfg = dir.join("copydesk.toml");
    std::fs::write(&cfg, "[duplicate-paragraph]\nseverity = \"error\"\n").unwrap();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(dir));
    let uri = file_uri(&dir.join("a.txt"));
    s.open(&uri, "plaintext", &format!("{PARA}\n\n{PARA}\n"));
    assert_eq!(s.diagnostics(&uri, 1).1[0]["severity"], 1);
    (cfg, s, uri)
}

#[test]
fn a_file_that_turns_bad_is_reported_and_the_last_good_settings_stay() {
    let dir = tempdir("turns-bad");
    let (cfg, mut s, uri) = duplicates_as_errors(&dir);

    // Broken TOML on line 3, column 13 (the second `=`).
    std::fs::write(
        &cfg,
        "[duplicate-paragraph]\nseverity = \"hint\"\nmin-words = = 3\n",
    )
    .unwrap();
    touched(&mut s, &dir, 2);
    let (typ, msg) = show_message(&mut s);
    assert_eq!(typ, 1, "an error: {msg}");
    assert!(
        msg.contains(&format!("{}:3:13", cfg.display())),
        "file:line:column in {msg:?}"
    );
    s.wait_log("copydesk.toml:3:13");
    assert_eq!(
        severity_after_edit(&mut s, &uri, 2),
        1,
        "the last good settings stay"
    );

    // Fixed again: the new settings apply at once.
    std::fs::write(&cfg, "[duplicate-paragraph]\nseverity = \"hint\"\n").unwrap();
    touched(&mut s, &dir, 2);
    let m = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"][0]["severity"] == 4
    });
    assert_eq!(m["params"]["uri"], uri.as_str());

    // Deleted: back to the defaults (warning).
    std::fs::remove_file(&cfg).unwrap();
    touched(&mut s, &dir, 3);
    s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"][0]["severity"] == 2
    });
    assert_eq!(s.shutdown_and_exit(), 0);
}

#[test]
fn a_file_with_a_value_of_the_wrong_type_drops_that_key_only_and_names_it() {
    let dir = tempdir("wrong-type");
    let (cfg, mut s, uri) = duplicates_as_errors(&dir);
    // Valid TOML, one invalid value: the user hears about that key, with its line and column,
    // and the rest of the file applies.
    std::fs::write(
        &cfg,
        "[duplicate-paragraph]\nseverity = \"hint\"\nmin-words = \"many\"\n",
    )
    .unwrap();
    touched(&mut s, &dir, 2);
    let (typ, msg) = show_message(&mut s);
    assert!(typ <= 2, "an error or warning: {msg}");
    assert!(msg.contains("copydesk.toml:3:1: "), "{msg}");
    assert!(
        msg.contains("`duplicate-paragraph.min-words` = \"many\""),
        "{msg}"
    );
    assert_eq!(
        severity_after_edit(&mut s, &uri, 2),
        4,
        "the valid key applies"
    );
    assert_eq!(s.shutdown_and_exit(), 0);
}

#[test]
fn unknown_keys_warn_and_the_known_ones_apply() {
    let dir = tempdir("unknown");
    std::fs::write(
        dir.join("copydesk.toml"),
        "colour = \"red\"\n[duplicate-paragraph]\nseverity = \"error\"\nminimum-wrds = 3\n",
    )
    .unwrap();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    let mut warnings = Vec::new();
    while warnings.len() < 2 {
        let (typ, msg) = show_message(&mut s);
        assert_eq!(typ, 2, "a warning, not an error: {msg}");
        warnings.push(msg);
    }
    let all = warnings.join("\n");
    assert!(all.contains("colour"), "{all}");
    assert!(
        all.contains("minimumWrds") || all.contains("minimum-wrds"),
        "{all}"
    );
    let uri = file_uri(&dir.join("a.txt"));
    s.open(&uri, "plaintext", &format!("{PARA}\n\n{PARA}\n"));
    assert_eq!(
        s.diagnostics(&uri, 1).1[0]["severity"],
        1,
        "known keys apply"
    );
    assert_eq!(s.shutdown_and_exit(), 0);
}

#[test]
fn editor_settings_of_the_wrong_shape_do_not_crash_or_reset_the_file() {
    let dir = tempdir("editor-shape");
    std::fs::write(
        dir.join("copydesk.toml"),
        "[duplicate-paragraph]\nseverity = \"error\"\n",
    )
    .unwrap();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&dir));
    let uri = file_uri(&dir.join("a.txt"));
    s.open(&uri, "plaintext", &format!("{PARA}\n\n{PARA}\n"));
    s.diagnostics(&uri, 1);
    for bad in [
        json!(42),
        json!("text"),
        json!([1, 2]),
        json!({"duplicateParagraph": 7}),
        json!({"duplicateParagraph": {"minWords": "many"}}),
    ] {
        s.config = bad;
        s.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        );
        let _ = s.drain(Duration::from_millis(100));
    }
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.get("error").is_none(), "{r}");
    // The file's settings were never thrown away for the editor's bad ones.
    assert_eq!(severity_after_edit(&mut s, &uri, 2), 1);
    assert_eq!(s.shutdown_and_exit(), 0);
}
