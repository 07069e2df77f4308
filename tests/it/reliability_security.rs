//! Security: the server runs no programs and opens no connections; it asks the client to
//! change only the document being fixed; the only file it writes itself is `copydesk.toml`
//! (at the workspace root, or with no root beside the draft), and only with a change it
//! offered for an open draft; no setting names a path.

use crate::common;

use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn tempdir(name: &str) -> PathBuf {
    crate::common::tempdir("rel-sec", name)
}

/// Every URI a WorkspaceEdit touches, whatever form it takes.
fn targets(edit: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(ch) = edit["changes"].as_object() {
        out.extend(ch.keys().cloned());
    }
    for op in edit["documentChanges"].as_array().into_iter().flatten() {
        for key in ["uri", "oldUri", "newUri"] {
            if let Some(u) = op[key].as_str() {
                out.insert(u.to_string());
            }
        }
        if let Some(u) = op["textDocument"]["uri"].as_str() {
            out.insert(u.to_string());
        }
    }
    out
}

const NAMES: &str =
    "Chuck Hagel spoke. Hagel left. Hagel came back. Hagle went, and Hagle returned.";

/// All code actions for every diagnostic of `uri`.
fn all_actions(s: &mut Server, uri: &str) -> Vec<Value> {
    let (_, diags) = s.diagnostics(uri, 1);
    assert!(!diags.is_empty(), "the name rule found nothing");
    let mut out = Vec::new();
    for d in diags {
        let r = s.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        );
        out.extend(r["result"].as_array().cloned().unwrap_or_default());
    }
    out
}

/// Run the command of an accept action as the client would.
fn run_command(s: &mut Server, action: &Value) -> Value {
    s.request("workspace/executeCommand", action["command"].clone())
}

#[test]
fn accept_writes_only_the_workspace_copydesk_toml() {
    for (case, toml_exists, caps) in [
        ("create", false, push_caps(&["utf-16"])),
        ("existing", true, push_caps(&["utf-16"])),
        (
            "plain-changes",
            false,
            json!({"general": {"positionEncodings": ["utf-16"]}}),
        ),
    ] {
        let root = tempdir(case);
        let cfg = root.join("copydesk.toml");
        if toml_exists {
            std::fs::write(&cfg, "# house style\n[names]\naccept = [\"Qaddafi\"]\n").unwrap();
        }
        let mut s = Server::spawn();
        s.initialize(caps, Some(&root));
        // Documents inside the workspace, in a subfolder, and outside it altogether.
        let outside = tempdir(&format!("{case}-outside"));
        for doc in [
            root.join("a.txt"),
            root.join("sub/dir/b.md"),
            outside.join("c.txt"),
        ] {
            let uri = file_uri(&doc);
            s.open(&uri, "plaintext", NAMES);
            let actions = all_actions(&mut s, &uri);
            let accepts: Vec<&Value> = actions
                .iter()
                .filter(|a| a["title"].as_str().unwrap_or("").starts_with("Accept"))
                .collect();
            assert!(
                !accepts.is_empty(),
                "{case}: no accept action: {actions:#?}"
            );
            for a in &actions {
                let t = targets(&a["edit"]);
                if accepts.contains(&a) {
                    // No edit for the client to apply over its buffers: the server merges.
                    assert!(a["edit"].is_null(), "{case}: {a}");
                    assert_eq!(a["command"]["command"], "copydesk.applySettingsChange");
                } else {
                    assert!(
                        t.is_empty() || t == BTreeSet::from([uri.clone()]),
                        "{case}: a fix edits another file: {t:?}"
                    );
                }
            }
            if doc.starts_with(&outside) {
                // Accepted from a draft outside the workspace: still the workspace's file.
                let r = run_command(&mut s, accepts[0]);
                assert!(r.get("error").is_none(), "{r}");
            }
        }
        // The one file written is the workspace's copydesk.toml, with the name, and the
        // house style kept.
        let text = std::fs::read_to_string(&cfg).unwrap();
        assert!(text.contains("\"Hagle\""), "{case}: {text}");
        if toml_exists {
            assert!(
                text.starts_with("# house style\n[names]\naccept = [\"Qaddafi\", "),
                "{text}"
            );
        }
        let mut names: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["copydesk.toml"], "{case}");
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "{case}");
        assert_eq!(s.shutdown_and_exit(), 0);
    }
}

#[test]
fn without_a_workspace_the_accept_says_so_and_writes_beside_the_draft() {
    let dir = tempdir("nows");
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), None);
    let uri = file_uri(&dir.join("a.txt"));
    s.open(&uri, "plaintext", NAMES);
    let actions = all_actions(&mut s, &uri);
    for a in &actions {
        let t = targets(&a["edit"]);
        assert!(
            t.is_empty() || t == BTreeSet::from([uri.to_string()]),
            "{t:?}"
        );
    }
    let accept = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap_or("").starts_with("Accept"))
        .expect("an accept action");
    assert!(
        accept["title"]
            .as_str()
            .unwrap()
            .contains("no workspace root: in copydesk.toml beside this draft"),
        "{accept}"
    );
    let r = run_command(&mut s, accept);
    assert!(r.get("error").is_none(), "{r}");
    let msgs = s.drain(Duration::from_millis(500));
    assert!(
        msgs.iter().any(|m| m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("no workspace root")),
        "{msgs:#?}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("copydesk.toml")).unwrap(),
        "[names]\naccept = [\"Hagle\"]\n"
    );
    // And that file is now the session's settings: the name is no longer flagged.
    let last = msgs
        .iter()
        .rfind(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
        })
        .expect("diagnostics published again after the accept");
    let d = last["params"]["diagnostics"].as_array().unwrap();
    assert!(!d.iter().any(|d| d["code"] == "name-spelling"), "{d:#?}");
    assert_eq!(s.shutdown_and_exit(), 0);
}

#[test]
fn the_accept_command_with_hostile_arguments_writes_nothing_and_asks_nothing() {
    let root = tempdir("hostile");
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&root));
    let open = file_uri(&root.join("open.txt"));
    s.open(&open, "plaintext", "Nothing here names anyone.");
    for name in [
        "../../etc/passwd",
        "\"]\n[duplicate-paragraph]\nenabled = false\n#",
        "",
        "\u{0}\u{202E}",
        &"x".repeat(100_000),
    ] {
        // A name the open draft does not use, or a draft that is not open: nothing written.
        for uri in [open.clone(), file_uri(&root.join("closed.txt"))] {
            let r = s.request(
                "workspace/executeCommand",
                json!({"command": "copydesk.applySettingsChange",
                       "arguments": [{"uri": uri, "change": {"acceptName": name}}]}),
            );
            assert!(r.get("error").is_none(), "{r}");
        }
    }
    for args in [
        json!([]),
        json!([42]),
        json!([{"a": 1}]),
        json!(null),
        json!(["Hagle"]),
    ] {
        let r = s.request(
            "workspace/executeCommand",
            json!({"command": "copydesk.applySettingsChange", "arguments": args}),
        );
        assert!(
            r.get("error").is_none() || r["error"]["code"] == -32602,
            "{r}"
        );
    }
    let r = s.request(
        "workspace/executeCommand",
        json!({"command": "sh", "arguments": ["-c", "touch /tmp/pwned"]}),
    );
    assert!(r.get("error").is_some(), "{r}");
    let msgs = s.drain(Duration::from_millis(300));
    assert!(
        !msgs.iter().any(|m| m["method"] == "workspace/applyEdit"),
        "the server asked the client to edit: {msgs:#?}"
    );
    assert_eq!(
        std::fs::read_dir(&root).unwrap().count(),
        0,
        "a file appeared"
    );
    // The injected TOML did not switch a rule off.
    let uri = file_uri(&root.join("a.txt"));
    let p = "The committee will publish its full findings on the inquiry early next year, officials said.";
    s.open(&uri, "plaintext", &format!("{p}\n\n{p}\n"));
    let (_, d) = s.diagnostics(&uri, 1);
    assert!(
        d.iter().any(|d| d["code"] == "duplicate-paragraph"),
        "{d:#?}"
    );
    assert_eq!(s.shutdown_and_exit(), 0);
}

/// Whatever a document makes a name look like, the accepted-name edit adds exactly that
/// string to `[names] accept` and changes nothing else in the file.
#[test]
fn accepted_names_cannot_inject_toml() {
    use copydesk::config::{parse_toml, resolve, with_accepted_name};
    use proptest::prelude::*;
    let existing =
        "# house style\n[duplicate-paragraph]\nmin-words = 5\n\n[names]\naccept = [\"Qaddafi\"]\n";
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 256,
        failure_persistence: None,
        ..Default::default()
    });
    runner
        .run(&"(\\PC|[\"'\\\\\\[\\]\n\r=#\u{0}])*", |name| {
            for src in [None, Some(existing)] {
                let out = with_accepted_name(src, &name).unwrap();
                let (settings, issues) = resolve(&[parse_toml(&out).unwrap()]);
                prop_assert!(issues.is_empty(), "{:?}", issues);
                let mut want: Vec<String> = Vec::new();
                if src.is_some() {
                    want.push("Qaddafi".into());
                }
                if !want.contains(&name) {
                    want.push(name.clone());
                }
                prop_assert_eq!(&settings.names.accept, &want);
                prop_assert_eq!(
                    settings.duplicate_paragraph.min_words,
                    if src.is_some() { 5 } else { 8 }
                );
            }
            Ok(())
        })
        .unwrap();
}

/// At run time: after a session that used every feature, the server has no child process
/// and no socket open.
#[test]
fn the_server_has_no_children_and_no_sockets() {
    let root = tempdir("proc");
    std::fs::write(root.join("copydesk.toml"), "[names]\naccept = []\n").unwrap();
    let mut s = Server::spawn();
    s.initialize(push_caps(&["utf-16"]), Some(&root));
    let uri = file_uri(&root.join("a.md"));
    s.open(
        &uri,
        "markdown",
        &format!("{NAMES}\n\n“A quote with no speaker at all in it,” he added.\n"),
    );
    let actions = all_actions(&mut s, &uri);
    assert!(!actions.is_empty());
    s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 7}}),
    );
    s.request(
        "workspace/executeCommand",
        json!({"command": "copydesk.applySettingsChange",
               "arguments": [{"uri": uri, "change": {"acceptName": "Hagle"}}]}),
    );
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("copydesk.toml")), "type": 2}]}),
    );
    let _ = s.drain(Duration::from_millis(300));
    let pid = s.child.id();
    let mut children = String::new();
    for t in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let p = t.unwrap().path().join("children");
        children.push_str(&std::fs::read_to_string(p).unwrap_or_default());
    }
    assert_eq!(children.trim(), "", "the server started processes");
    // tokio's runtime keeps an unnamed AF_UNIX socket pair for its own wake-ups (its signal
    // driver); anything else (TCP, UDP, a named or connected socket) would be a connection.
    let inodes: BTreeSet<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.unwrap().path()).ok())
        .map(|l| l.display().to_string())
        .filter_map(|l| {
            l.strip_prefix("socket:[")
                .map(|i| i.trim_end_matches(']').to_string())
        })
        .collect();
    for net in ["tcp", "tcp6", "udp", "udp6", "raw", "raw6"] {
        let table = std::fs::read_to_string(format!("/proc/{pid}/net/{net}")).unwrap_or_default();
        for line in table.lines().skip(1) {
            let inode = line.split_whitespace().nth(9).unwrap_or("");
            assert!(
                !inodes.iter().any(|i| i == inode),
                "an {net} socket: {line}"
            );
        }
    }
    let unix = std::fs::read_to_string(format!("/proc/{pid}/net/unix")).unwrap();
    for i in &inodes {
        let line = unix
            .lines()
            .find(|l| l.split_whitespace().nth(6) == Some(i.as_str()))
            .unwrap_or_else(|| panic!("socket {i} is not a unix socket"));
        assert_eq!(
            line.split_whitespace().count(),
            7,
            "a named unix socket: {line}"
        );
    }
    assert!(
        inodes.len() <= 2,
        "more sockets than the runtime's own pair: {inodes:?}"
    );
    assert_eq!(s.shutdown_and_exit(), 0);
}

/// In the source: nothing that starts programs or opens connections, and the server writes
/// no files (only `check --fix` in the CLI does). A change that needs one must update this
/// test, and so be reviewed as a security change.
#[test]
fn the_source_uses_no_process_or_network_apis() {
    let forbidden = [
        "process::Command",
        "Command::new",
        "tokio::process",
        "std::net",
        "tokio::net",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "UnixListener",
        "libc::",
        "execv",
    ];
    let writes = [
        "fs::write",
        "File::create",
        "OpenOptions",
        "fs::rename",
        "remove_file",
        "create_dir",
        "set_permissions",
    ];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut seen = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            seen += 1;
            let text = std::fs::read_to_string(&p).unwrap();
            for f in forbidden {
                assert!(!text.contains(f), "{} uses {f}", p.display());
            }
            // The CLI's --fix, and the server's merge into copydesk.toml.
            let may_write = p.ends_with("src/cli.rs") || p.ends_with("src/server/accept.rs");
            for w in writes {
                assert!(
                    may_write || !text.contains(w),
                    "{} writes files ({w})",
                    p.display()
                );
            }
        }
    }
    assert!(seen > 5);
}

/// There is no setting that names a path, a program or an address today, so settings cannot
/// point the server outside the workspace. This fails when one is added, to make sure it is
/// confined to the workspace and tested.
#[test]
fn no_setting_names_a_path_program_or_address() {
    let v = serde_json::to_value(copydesk::config::Settings::default()).unwrap();
    let mut keys = Vec::new();
    fn walk(v: &Value, prefix: &str, out: &mut Vec<String>) {
        if let Some(o) = v.as_object() {
            for (k, c) in o {
                let p = format!("{prefix}{k}");
                out.push(p.clone());
                walk(c, &format!("{p}."), out);
            }
        }
    }
    walk(&v, "", &mut keys);
    assert!(keys.len() > 5, "{keys:?}");
    // `[quote-sources] paths` (issue 15) names files: confined to the workspace (relative,
    // no `..`, nothing through a symlink out), tested in tests/cli_sources.rs
    // (`quote_source_paths_stay_inside_the_workspace`).
    for k in keys
        .iter()
        .filter(|k| *k != "quoteSources" && *k != "quoteSources.paths")
    {
        let l = k.to_ascii_lowercase();
        for bad in [
            "path", "file", "dir", "command", "program", "exec", "url", "uri", "host",
        ] {
            assert!(
                !l.contains(bad),
                "setting {k} may point outside the workspace"
            );
        }
    }
}
