//! Memory: the real binary (release) with 20 open 10,000-word articles, after every one has
//! its diagnostics, and again after 400 edits spread across them. Reports resident memory
//! (VmRSS) and its peak (VmHWM) from /proc.
//!
//!     cargo bench --bench memory

#[path = "../tests/it/common/mod.rs"]
mod common;
mod support;

use common::{Server, push_caps};
use serde_json::json;
use std::time::Duration;

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn report(label: &str, pid: u32) {
    println!(
        "{label:<44} RSS {:>6.1} MB   peak {:>6.1} MB",
        status_kib(pid, "VmRSS:") as f64 / 1024.0,
        status_kib(pid, "VmHWM:") as f64 / 1024.0
    );
}

fn main() {
    const DOCS: usize = 20;
    let mut s = Server::spawn();
    let pid = s.child.id();
    s.initialize(push_caps(&["utf-16"]), None);
    report("idle, initialized", pid);
    let docs: Vec<(String, String)> = (0..DOCS)
        .map(|i| {
            (
                format!("file:///tmp/copydesk-mem/article-{i:02}.md"),
                support::manuscript_from(10_000, i * 37),
            )
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.1.len()).sum();
    for (uri, text) in &docs {
        s.open(uri, "markdown", text);
    }
    for (uri, _) in &docs {
        s.diagnostics(uri, 1);
    }
    s.backlog.clear();
    std::thread::sleep(Duration::from_millis(300));
    report(
        &format!(
            "{DOCS} open 10k-word articles ({:.1} MB of text)",
            bytes as f64 / 1e6
        ),
        pid,
    );
    let mut versions = [1i64; DOCS];
    for e in 0..400 {
        let d = (e * 7) % DOCS;
        versions[d] += 1;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": docs[d].0, "version": versions[d]}, "contentChanges": [
                {"range": {"start": {"line": (e * 13) % 200, "character": 0}, "end": {"line": (e * 13) % 200, "character": 0}}, "text": "Word "}]}),
        );
        if e % 20 == 19 {
            // Typing pace: let the server analyse as it would between keystrokes.
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    for (d, (uri, _)) in docs.iter().enumerate() {
        s.diagnostics(uri, versions[d]);
    }
    s.backlog.clear();
    std::thread::sleep(Duration::from_millis(300));
    report("after 400 edits across them", pid);
    assert_eq!(s.shutdown_and_exit(), 0);
}
