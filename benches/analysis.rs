//! Full analysis of generated manuscripts built from real published text
//! (`../shared/corpus`), with duplicated paragraphs, quotations and names injected.
//!
//!     cargo bench --bench analysis
//!
//! Sizes: 1k, 10k, 100k and 1M words. Also a one-word edit followed by incremental
//! re-analysis (the document's memo kept from the previous version).

use copydesk::analysis::{
    Format, Memo, Rule, analyze, analyze_memo, analyze_with, analyze_with_memo, rules,
};
use copydesk::config::Settings;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::path::Path;

/// Paragraphs of real text (falls back to generated prose when the corpus is absent).
fn corpus_paragraphs() -> Vec<String> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/onestopenglish/articles");
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            if let Ok(t) = std::fs::read_to_string(&f) {
                out.extend(
                    t.split("\n\n")
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty()),
                );
            }
        }
    }
    if out.is_empty() {
        for i in 0..2000 {
            out.push(format!(
                "Paragraph {i} of the generated text says the council met on day {} to discuss item {} and agreed to meet again.",
                i % 31,
                i * 7
            ));
        }
    }
    out
}

/// A markdown manuscript of about `words` words: real paragraphs, every 40th paragraph a
/// repeat of an earlier one, and a recurring name with a variant spelling.
pub fn manuscript(words: usize) -> String {
    let paras = corpus_paragraphs();
    let mut out = String::new();
    let mut n = 0;
    let mut i = 0;
    while n < words {
        let p = if i % 40 == 39 {
            paras[(i / 2) % paras.len()].clone()
        } else if i % 25 == 7 {
            "“We will keep the plant open for as long as we can,” said Halima Abdullahi, the director.".to_string()
        } else if i % 97 == 50 {
            "Abdulahi said the decision would be reviewed in the spring.".to_string()
        } else {
            paras[i % paras.len()].clone()
        };
        n += p.split_whitespace().count();
        out.push_str(&p);
        out.push_str("\n\n");
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    let mut g = c.benchmark_group("full_analysis");
    g.sample_size(10);
    for words in [1_000usize, 10_000, 100_000, 1_000_000] {
        let text = manuscript(words);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(words), &text, |b, t| {
            b.iter(|| analyze(t, Format::Markdown, &settings))
        });
    }
    g.finish();
    // Each rule alone on the 100k-word manuscript (parsing included).
    let mut g = c.benchmark_group("rule_100k");
    g.sample_size(10);
    let text = manuscript(100_000);
    for rule in rules::all() {
        g.bench_function(rule.code(), |b| {
            b.iter(|| analyze_with(&text, Format::Markdown, &settings, &[*rule]))
        });
    }
    g.bench_function("parse-only", |b| {
        b.iter(|| analyze_with(&text, Format::Markdown, &settings, &[]))
    });
    g.finish();
    // A one-word edit, then re-analysis with the document's memo (what the server does on a
    // keystroke): iterations alternate between the two versions, so each is a real edit.
    let mut g = c.benchmark_group("one_word_edit");
    g.sample_size(20);
    for words in [10_000usize, 100_000, 1_000_000] {
        let text = manuscript(words);
        let mid = text.len() / 2;
        let at = text[mid..].find(' ').map(|i| mid + i).unwrap_or(mid);
        let edited = format!("{} word{}", &text[..at], &text[at..]);
        let versions = [text, edited];
        let mut memo = Memo::new();
        analyze_memo(&versions[0], Format::Markdown, &settings, &mut memo);
        let mut k = 0;
        g.bench_function(BenchmarkId::from_parameter(words), |b| {
            b.iter(|| {
                k ^= 1;
                analyze_memo(&versions[k], Format::Markdown, &settings, &mut memo)
            })
        });
    }
    g.finish();
}

/// The text with " Hagle" typed at the first space after `at`.
fn insert_name(text: &str, at: usize) -> String {
    let at = text[at..].find(' ').map_or(at, |i| at + i);
    format!("{} Hagle{}", &text[..at], &text[at..])
}

/// One rule re-analysing the 100k-word manuscript after a one-word edit, with its memo warm
/// (iterations alternate two versions, so each is a real edit): in the middle of the text,
/// and inside a quotation. `parse-only` is the same with no rule; the rule's own incremental
/// cost is the difference.
fn incremental_rule(c: &mut Criterion) {
    let settings = Settings::default();
    let text = manuscript(100_000);
    let mid = text.len() / 2;
    let insert = |at: usize| format!("{} word{}", &text[..at], &text[at..]);
    let in_text = insert(text[mid..].find(' ').map_or(mid, |i| mid + i));
    let in_quote = insert(
        text[mid..]
            .find('“')
            .map_or(mid, |i| mid + i + '“'.len_utf8()),
    );
    let rule = |code: &str| -> &dyn Rule {
        rules::all()
            .iter()
            .copied()
            .find(|r| r.code() == code)
            .expect("the rule")
    };
    let quote = rule("unattributed-quote");
    let names = rule("name-spelling");
    // A name typed in the middle of the text (the names change, so more is worked out again).
    let with_name = insert_name(&text, mid);
    let mut g = c.benchmark_group("incremental_rule");
    g.sample_size(20);
    for (name, edited, list) in [
        ("unattributed-quote", &in_text, &[quote][..]),
        ("unattributed-quote/in-quote", &in_quote, &[quote][..]),
        ("name-spelling", &in_text, &[names][..]),
        ("name-spelling/new-name", &with_name, &[names][..]),
        ("parse-only", &in_text, &[][..]),
    ] {
        let versions = [&text, edited];
        let mut memo = Memo::new();
        analyze_with_memo(&text, Format::Markdown, &settings, list, &mut memo);
        let mut k = 0;
        g.bench_function(name, |b| {
            b.iter(|| {
                k ^= 1;
                analyze_with_memo(versions[k], Format::Markdown, &settings, list, &mut memo)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench, incremental_rule);
criterion_main!(benches);
