//! Test documents for the benches: real published paragraphs (`../shared/corpus`), repeated
//! in order until the word count is reached (generated prose when the corpus is absent).
#![allow(dead_code)]

pub fn paragraphs() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/onestopenglish/articles");
    let mut paras = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            if let Ok(t) = std::fs::read_to_string(&f) {
                paras.extend(
                    t.split("\n\n")
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty()),
                );
            }
        }
    }
    if paras.is_empty() {
        paras = (0..3000)
            .map(|i| {
                format!(
                    "Paragraph {i} says the council met on day {} to discuss item {}.",
                    i % 31,
                    i * 7
                )
            })
            .collect();
    }
    paras
}

/// About `words` words of markdown, starting at paragraph `from` of the corpus.
pub fn manuscript_from(words: usize, from: usize) -> String {
    let paras = paragraphs();
    let mut out = String::new();
    let (mut n, mut i) = (0, from);
    while n < words {
        let p = &paras[i % paras.len()];
        n += p.split_whitespace().count();
        out.push_str(p);
        out.push_str("\n\n");
        i += 1;
    }
    out
}

pub fn manuscript(words: usize) -> String {
    manuscript_from(words, 0)
}
