//! The language layer's sentence splitter on a corpus, measured the way
//! `docs/language-layer.md` compares it with UAX #29: sentences, time, and boundaries a copy
//! desk would call wrong (right after a title abbreviation or an initial; inside a quotation,
//! which the layer never does: a quotation is one token).
//! `cargo run --release --example sentence_stats -- DIR...`

use copydesk::analysis::lang::marks::top_level;
use copydesk::analysis::lang::tokens::Tokens;
use std::time::Instant;

fn main() {
    let mut texts = Vec::new();
    for d in std::env::args().skip(1) {
        for e in std::fs::read_dir(&d).expect("a directory") {
            let p = e.expect("an entry").path();
            if p.extension().is_some_and(|x| x == "txt" || x == "md") {
                texts.push(std::fs::read_to_string(&p).expect("a text file"));
            }
        }
    }
    let abbrev = [
        "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "St.", "Gen.", "Sen.", "Rep.", "Gov.", "Lt.", "Col.",
        "Capt.", "U.S.", "U.K.", "Jr.", "No.",
    ];
    let started = Instant::now();
    let (mut n, mut bad_abbr, mut bad_initial, mut bytes) = (0usize, 0usize, 0usize, 0usize);
    for t in &texts {
        bytes += t.len();
        for para in t.split("\n\n") {
            let quotes = top_level(para, 0);
            let spans: Vec<(usize, std::ops::Range<usize>)> = quotes
                .iter()
                .enumerate()
                .map(|(k, q)| {
                    (
                        k,
                        q.open.start..q.close.as_ref().map_or(para.len(), |c| c.end),
                    )
                })
                .collect();
            let ends = |k: usize| {
                let q = &quotes[k];
                let inner = &para[q.open.end..q.close.as_ref().map_or(para.len(), |c| c.start)];
                inner.trim_end().ends_with(['.', '!', '?', '…'])
            };
            let tk = Tokens::new(para, 0..para.len(), &spans, ends);
            n += tk.sents.len();
            for r in &tk.sents[..tk.sents.len().saturating_sub(1)] {
                // The last word of the sentence, with the stop after it.
                let Some(last) = tk.toks[r.clone()]
                    .iter()
                    .rev()
                    .find(|t| para[t.span.clone()].chars().any(char::is_alphabetic))
                else {
                    continue;
                };
                let end = tk.toks[r.end - 1].span.end;
                let w = para[last.span.start..end].trim();
                if abbrev.contains(&w) {
                    bad_abbr += 1;
                } else if w.len() == 2 && w.as_bytes()[0].is_ascii_uppercase() && w.ends_with('.') {
                    bad_initial += 1;
                }
            }
        }
    }
    let took = started.elapsed();
    println!(
        "lang: {} files, {bytes} bytes, {n} sentences, {:.1} ms ({:.0} MB/s); boundaries after a title/abbreviation: {bad_abbr}, after an initial: {bad_initial}, inside a quotation: 0",
        texts.len(),
        took.as_secs_f64() * 1e3,
        bytes as f64 / took.as_secs_f64() / 1e6
    );
}
