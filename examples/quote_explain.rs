//! Prints the quote rule's decision on every quotation of the files given:
//! `cargo run --example quote_explain -- FILE...` (line, verdict, speaker, why, the quotation).

use copydesk::analysis::rules::quote::explain;
use copydesk::analysis::{Document, Format};
use copydesk::config::Settings;

fn main() {
    let settings = Settings::default();
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let doc = Document::parse(&text, Format::from_path(std::path::Path::new(&path)));
        for d in explain(&doc, &settings) {
            let line = text[..d.span.start].matches('\n').count() + 1;
            let quoted: String = text[d.span.clone()].chars().take(90).collect();
            println!(
                "{path}:{line}: {:?} {} ({}) {quoted}",
                d.verdict,
                d.speaker.as_deref().unwrap_or("-"),
                d.why
            );
        }
    }
}
