//! A quick look at what the memo saves after a one-word edit, per rule (on a busy machine;
//! the criterion bench `one_word_edit` is the measurement):
//!
//!   cargo run --release --example memo_timing -- path/to/manuscript.md
//!
//! Prints, per rule (and for the parse alone, and all rules), the minimum of 5 fresh
//! analyses and of 30 re-analyses with the memo after a one-word edit in the middle.

use copydesk::analysis::{Format, Memo, Rule, analyze_with_memo, rules};
use copydesk::config::Settings;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: memo_timing FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let mid = text.len() / 2;
    let at = text[mid..].find(' ').map_or(mid, |i| mid + i);
    let edited = format!("{} word{}", &text[..at], &text[at..]);
    let settings = Settings::default();
    let all: Vec<&dyn Rule> = rules::all().to_vec();
    let mut sets: Vec<(&str, Vec<&dyn Rule>)> = vec![("parse+keys", vec![])];
    for r in &all {
        sets.push((r.code(), vec![*r]));
    }
    sets.push(("all", all.clone()));
    for (label, set) in sets {
        let mut memo = Memo::new();
        analyze_with_memo(&text, Format::Markdown, &settings, &set, &mut memo);
        let mut k = false;
        let best = (0..30)
            .map(|_| {
                k = !k;
                let t = std::time::Instant::now();
                analyze_with_memo(
                    if k { &edited } else { &text },
                    Format::Markdown,
                    &settings,
                    &set,
                    &mut memo,
                );
                t.elapsed()
            })
            .min()
            .unwrap();
        let fresh = (0..5)
            .map(|_| {
                let t = std::time::Instant::now();
                analyze_with_memo(&text, Format::Markdown, &settings, &set, &mut Memo::new());
                t.elapsed()
            })
            .min()
            .unwrap();
        println!("{label:<22} fresh {fresh:>10.2?}   after an edit {best:>10.2?}");
    }
}
