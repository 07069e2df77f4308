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

/// One word typed at the end of a random line at a time, the way `lspc.py latency` types
/// (a fixed seed, so two runs type the same words in the same places).
pub struct Typist {
    lines: Vec<String>,
    seed: u64,
    /// Not on headings (`#` lines).
    skip_headings: bool,
}

impl Typist {
    pub fn new(text: &str, skip_headings: bool) -> Self {
        Typist {
            lines: text.split('\n').map(String::from).collect(),
            seed: 7,
            skip_headings,
        }
    }

    /// The next edit as a `didChange` content change (UTF-16 columns).
    pub fn next_change(&mut self) -> serde_json::Value {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let lines = &mut self.lines;
        let mut i = (self.seed >> 33) as usize % lines.len();
        while lines[i].trim().is_empty() || (self.skip_headings && lines[i].starts_with('#')) {
            i = (i + 1) % lines.len();
        }
        let col = lines[i].encode_utf16().count();
        lines[i].push_str(" word");
        serde_json::json!({"range": {"start": {"line": i, "character": col},
                                     "end": {"line": i, "character": col}}, "text": " word"})
    }
}
