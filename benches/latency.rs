//! End to end: the real binary over stdio. Opens a generated article or manuscript, then types
//! one word at a time at random places (incremental `didChange`) and measures the time from
//! each change to its diagnostics, push or pull. Reports p50/p95/p99.
//!
//!     cargo bench --bench latency                 # 10k and 100k words, push and pull
//!     cargo bench --bench latency -- FILE [EDITS] # a file of your own

#[path = "../tests/it/common/mod.rs"]
mod common;
mod support;

use support::manuscript;

use common::{Server, pull_caps, push_caps};
use serde_json::json;
use std::time::{Duration, Instant};

fn pct(v: &[f64], p: f64) -> f64 {
    v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
}

fn run(label: &str, text: &str, edits: usize, pull: bool) {
    let mut s = Server::spawn();
    s.initialize(
        if pull {
            pull_caps()
        } else {
            push_caps(&["utf-16"])
        },
        None,
    );
    let uri = "file:///tmp/copydesk-bench/doc.md";
    let t0 = Instant::now();
    s.open(uri, "markdown", text);
    let get = |s: &mut Server, v: i64| {
        if pull {
            s.request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri}}),
            );
        } else {
            s.diagnostics(uri, v);
        }
    };
    get(&mut s, 1);
    let open_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut typist = support::Typist::new(text, false);
    let mut lat = Vec::with_capacity(edits);
    for v in 2..(edits as i64 + 2) {
        let change = typist.next_change();
        let t = Instant::now();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [change]}),
        );
        get(&mut s, v);
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        s.backlog.clear();
        std::thread::sleep(Duration::from_millis(10));
    }
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{label:<28} {} words  open {open_ms:>8.1} ms  keystroke→diagnostics p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  ({} edits, {})",
        text.split_whitespace().count(),
        pct(&lat, 0.5),
        pct(&lat, 0.95),
        pct(&lat, 0.99),
        lat.len(),
        if pull { "pull" } else { "push" }
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let Some(file) = args.first() {
        let text = std::fs::read_to_string(file).expect("read file");
        let edits = args.get(1).and_then(|e| e.parse().ok()).unwrap_or(100);
        run(file, &text, edits, false);
        run(file, &text, edits, true);
        return;
    }
    for (words, edits) in [(10_000, 200), (100_000, 50)] {
        let text = manuscript(words);
        run(&format!("article {words}"), &text, edits, false);
        run(&format!("article {words}"), &text, edits, true);
    }
    let text = manuscript(1_000_000);
    run("manuscript 1000000", &text, 5, false);
}
