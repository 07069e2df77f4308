//! A loop of one-word edits re-analysed with the memo, all rules, for a profiler:
//!
//!   cargo build --release --example keystroke_loop
//!   perf record -g target/release/examples/keystroke_loop FILE 2000
//!
//! Prints the p50 and minimum of the re-analyses.

use copydesk::analysis::{Format, Memo, Rule, analyze_with_memo, rules};
use copydesk::config::Settings;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: keystroke_loop FILE [N]");
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let mid = text.len() / 2;
    let at = text[mid..].find(' ').map_or(mid, |i| mid + i);
    let edited = format!("{} word{}", &text[..at], &text[at..]);
    let settings = Settings::default();
    let all: Vec<&dyn Rule> = rules::all().to_vec();
    let mut memo = Memo::new();
    analyze_with_memo(&text, Format::Markdown, &settings, &all, &mut memo);
    let mut times: Vec<std::time::Duration> = (0..n)
        .map(|i| {
            let t = std::time::Instant::now();
            let doc = if i % 2 == 0 { &edited } else { &text };
            std::hint::black_box(analyze_with_memo(
                doc,
                Format::Markdown,
                &settings,
                &all,
                &mut memo,
            ));
            t.elapsed()
        })
        .collect();
    times.sort();
    println!("p50 {:.2?}  min {:.2?}", times[n / 2], times[0]);
}
