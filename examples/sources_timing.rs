//! What checking quotations against the sources adds to a keystroke, in process (no pipes,
//! no JSON): the same one-word edits analysed incrementally with and without the sources.
//!
//!   python3 benches/make_sources_workspace.py /tmp/src-lat
//!   cargo run --release --example sources_timing -- /tmp/src-lat [EDITS]
//!
//! Prints the median and p95 per edit for: no sources; sources (both rules); and the parts:
//! `quoted_speech` alone, and the cached alignment pass.

use copydesk::analysis::sources::{Sources, verify};
use copydesk::analysis::{Document, Format, Memo, ParaCache, analyze_memo};
use copydesk::config::Settings;
use copydesk::sources_fs::{SourceSpec, index};
use std::sync::Arc;
use std::time::Instant;

fn stats(mut v: Vec<f64>) -> String {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p = |q: f64| v[((v.len() as f64 * q) as usize).min(v.len() - 1)];
    format!("p50 {:.3} ms, p95 {:.3} ms", p(0.5), p(0.95))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("workspace dir"));
    let edits: usize = args.next().map_or(200, |s| s.parse().unwrap());
    let text = std::fs::read_to_string(dir.join("article-10k.md")).unwrap();
    let t = Instant::now();
    let files = SourceSpec::new(&dir, &[]).files();
    let ix = index(&files, |p| p.display().to_string(), 1);
    println!(
        "index: {} files, {} words in {:.1} ms",
        ix.files().len(),
        ix.word_count(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let with = Settings {
        sources: Sources::new(Arc::new(ix)),
        ..Default::default()
    };
    let without = Settings::default();
    // The same edit sequence for every setting: " word" at the end of a line.
    let lines: Vec<&str> = text.split('\n').collect();
    let mut seq = Vec::new();
    let mut cur: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    let mut x: u64 = 7;
    for _ in 0..edits {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let i = (x >> 33) as usize % cur.len();
        if cur[i].trim().is_empty() {
            continue;
        }
        cur[i].push_str(" word");
        seq.push(cur.join("\n"));
    }
    for (name, s) in [("no sources", &without), ("with sources", &with)] {
        let mut memo = Memo::new();
        let _ = analyze_memo(&text, Format::Markdown, s, &mut memo);
        let mut times = Vec::new();
        let mut found = 0;
        for t in &seq {
            let start = Instant::now();
            let a = analyze_memo(t, Format::Markdown, s, &mut memo);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            found = a.findings.len();
        }
        println!(
            "keystroke, all rules, {name}: {} ({found} findings)",
            stats(times)
        );
    }
    use copydesk::analysis::rules::{duplicate, misattribution, misquote, names, quote};
    let three: &[&dyn copydesk::analysis::Rule] = &[
        &duplicate::DuplicateParagraph,
        &quote::UnattributedQuote,
        &names::NameSpelling,
    ];
    let lists: [(&str, &[&dyn copydesk::analysis::Rule]); 3] = [
        ("the three other rules", three),
        ("misquote alone", &[&misquote::Misquote]),
        ("misattribution alone", &[&misattribution::Misattribution]),
    ];
    for (name, list) in lists {
        for (sname, s) in [("no sources", &without), ("with sources", &with)] {
            let mut memo = Memo::new();
            let _ =
                copydesk::analysis::analyze_with_memo(&text, Format::Markdown, s, list, &mut memo);
            let mut times = Vec::new();
            for t in &seq {
                let start = Instant::now();
                let _ =
                    copydesk::analysis::analyze_with_memo(t, Format::Markdown, s, list, &mut memo);
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            println!("keystroke, {name}, {sname}: {}", stats(times));
        }
    }
    let mut qs = Vec::new();
    let mut cached = Vec::new();
    let mut cache: ParaCache<_> = ParaCache::default();
    for t in &seq {
        let doc = Document::parse(t, Format::Markdown);
        let start = Instant::now();
        let q = copydesk::analysis::rules::quote::quoted_speech(&doc, &with);
        qs.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        cache.begin();
        let c = verify::check_all(&doc, with.sources.index().unwrap(), &q, &mut cache);
        cache.end();
        cached.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(q.len(), c.len());
    }
    println!(
        "quoted_speech alone (fresh, no kept paragraphs): {}",
        stats(qs)
    );
    println!("check_all (cached alignments): {}", stats(cached));
}
