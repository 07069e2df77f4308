//! Isolation through stdio: a rule that panics, or runs past its time budget, inside the real
//! binary. The fault comes from the test-only hook in src/server/fault.rs: in a debug build,
//! `COPYDESK_TEST_FAULT=<rule>` makes that rule panic on documents containing
//! `COPYDESK-TEST-PANIC` and sleep past the budget on documents containing `COPYDESK-TEST-SLOW`.
//! A release build has no hook; there the first two tests are ignored and the last one checks
//! that the variable does nothing.

use crate::common;
use crate::model;

use common::*;
use copydesk::analysis::{self, Format};
use copydesk::config::Settings;
use model::Enc;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const FAULT_ENV: &str = "COPYDESK_TEST_FAULT";
const PANIC_MARKER: &str = "COPYDESK-TEST-PANIC";
const SLOW_MARKER: &str = "COPYDESK-TEST-SLOW";
/// The rule made to fail.
const RULE: &str = "name-spelling";

/// A draft on which every rule has something to say: a copied paragraph, an unattributed
/// quotation, and a name spelled two ways.
const DRAFT: &str =
    "Defence Secretary Chuck Hagel visited the harbour wall on Monday with the port's director.

The wall will cost 4.2 million euros and should be finished before the winter storms of 2027.

“This is the most important project the port has started in fifty years.”

Later in the day Hagle toured the new terminal and met workers from the dockyard union.

The wall will cost 4.2 million euros and should be finished before the winter storms of 2027.";

fn with_marker(marker: &str) -> String {
    format!("{DRAFT}\n\n{marker}\n")
}

/// What the server should publish for `text` (plain text, default settings, UTF-16): the
/// in-process analysis, without the findings of `dropped` if given. Copies found in other open
/// documents (Information) are left out on both sides.
fn expected(text: &str, dropped: Option<&str>) -> Vec<Value> {
    analysis::analyze(text, Format::Plain, &Settings::default())
        .findings
        .iter()
        .filter(|f| Some(f.rule) != dropped)
        .map(|f| {
            let (sl, sc) = model::position(text, f.span.start, Enc::Utf16);
            let (el, ec) = model::position(text, f.span.end, Enc::Utf16);
            json!({"code": f.rule, "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}})
        })
        .collect()
}

fn published(d: &[Value]) -> Vec<Value> {
    d.iter()
        .filter(|d| !(d["code"] == "duplicate-paragraph" && d["severity"] == 3))
        .map(|d| json!({"code": d["code"], "range": d["range"]}))
        .collect()
}

fn codes(d: &[Value]) -> Vec<&str> {
    let mut c: Vec<&str> = d.iter().filter_map(|d| d["code"].as_str()).collect();
    c.sort();
    c.dedup();
    c
}

fn start(env: &[(&str, &str)]) -> Server {
    let mut s = Server::spawn_with(None, env);
    s.initialize(push_caps(&["utf-16"]), None);
    s
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the fault-injection hook exists only in debug builds"
)]
fn a_rule_that_panics_loses_its_findings_for_that_version_only_and_is_logged() {
    let mut s = start(&[(FAULT_ENV, RULE)]);
    let bad = "file:///tmp/copydesk-isolation/bad.txt";
    let good = "file:///tmp/copydesk-isolation/good.txt";
    // Large enough that the rules run side by side on their own threads.
    let big = "file:///tmp/copydesk-isolation/big.md";
    let bad_text = with_marker(PANIC_MARKER);
    let mut big_text = String::new();
    while big_text.len() < 20 * 1024 {
        big_text.push_str(DRAFT);
        big_text.push_str("\n\n");
    }
    big_text.push_str(PANIC_MARKER);
    s.open(bad, "plaintext", &bad_text);
    s.open(good, "plaintext", DRAFT);
    s.open(big, "plaintext", &big_text);

    // The faulty rule's findings are gone from that document; the other rules' stand.
    let all = expected(&bad_text, None);
    assert_eq!(
        codes(&all),
        ["duplicate-paragraph", RULE, "unattributed-quote"],
        "the draft must give every rule something to report"
    );
    let (_, d) = s.diagnostics(bad, 1);
    assert_eq!(published(&d), expected(&bad_text, Some(RULE)));
    assert_eq!(codes(&d), ["duplicate-paragraph", "unattributed-quote"]);
    let (_, d) = s.diagnostics(big, 1);
    assert_eq!(published(&d), expected(&big_text, Some(RULE)));
    // Another document carries on, with the same rule working there.
    let (_, d) = s.diagnostics(good, 1);
    assert_eq!(published(&d), expected(DRAFT, None));
    assert!(codes(&d).contains(&RULE));

    // stderr names the document and the rule.
    for uri in [bad, big] {
        let line = s.wait_log(&format!("uri=\"{uri}\""));
        assert!(line.contains("ERROR"), "{line}");
        assert!(line.contains(&format!("rule=\"{RULE}\"")), "{line}");
        assert!(line.contains("failed on this document"), "{line}");
        assert!(line.contains("injected fault"), "{line}");
    }
    assert!(
        !s.stderr
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains(good) && l.contains("failed")),
        "the good document must not be reported"
    );

    // Dropped for that version only: the next version without the trigger has them again.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": bad, "version": 2}, "contentChanges": [{"text": DRAFT}]}),
    );
    let (v, d) = s.diagnostics(bad, 2);
    assert_eq!(v, 2);
    assert_eq!(published(&d), expected(DRAFT, None));
    // And the server still answers requests.
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": bad}, "position": {"line": 0, "character": 26}}),
    );
    assert!(r["result"]["contents"].is_object(), "{r}");
    assert_eq!(s.shutdown_and_exit(), 0);
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the fault-injection hook exists only in debug builds"
)]
fn a_rule_over_its_time_budget_says_so_keeps_its_findings_and_holds_up_no_one() {
    let mut s = start(&[(FAULT_ENV, RULE)]);
    let slow = "file:///tmp/copydesk-isolation/slow.txt";
    let other = "file:///tmp/copydesk-isolation/other.txt";
    let slow_text = with_marker(SLOW_MARKER);
    let t0 = Instant::now();
    s.open(slow, "plaintext", &slow_text);
    s.open(other, "plaintext", DRAFT);
    // The other document is published while the slow rule is still running.
    let first = s.wait_for(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(first["params"]["uri"], other, "{first}");
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    // The slow document's findings all arrive, the slow rule's included.
    let (_, d) = s.diagnostics(slow, 1);
    assert!(t0.elapsed() >= Duration::from_secs(2));
    assert_eq!(published(&d), expected(&slow_text, None));
    assert!(codes(&d).contains(&RULE));
    // And the overrun is logged with the document, the rule and the budget.
    let line = s.wait_log("budget");
    assert!(line.contains(&format!("uri=\"{slow}\"")), "{line}");
    assert!(line.contains(&format!("rule=\"{RULE}\"")), "{line}");
    assert!(line.contains("budget 2000 ms"), "{line}");
    assert_eq!(s.shutdown_and_exit(), 0);
}

/// Without the variable (and in a release build, even with it) the markers are just text.
#[test]
fn the_fault_hook_is_off_unless_asked_for_in_a_debug_build() {
    let env: &[(&str, &str)] = if cfg!(debug_assertions) {
        &[]
    } else {
        &[(FAULT_ENV, RULE)]
    };
    let mut s = start(env);
    let uri = "file:///tmp/copydesk-isolation/markers.txt";
    let text = with_marker(&format!("{PANIC_MARKER} {SLOW_MARKER}"));
    s.open(uri, "plaintext", &text);
    let (_, d) = s.diagnostics(uri, 1);
    assert_eq!(published(&d), expected(&text, None));
    assert!(codes(&d).contains(&RULE));
    let logs = s.stderr.lock().unwrap().clone();
    assert!(
        !logs
            .iter()
            .any(|l| l.contains(FAULT_ENV) || l.contains("failed on this document")),
        "{logs:#?}"
    );
    assert_eq!(s.shutdown_and_exit(), 0);
}
