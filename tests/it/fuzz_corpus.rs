//! The fuzz targets' checks on stable Rust, in every `cargo test`: every file of
//! `fuzz/corpus/analyze/` and `fuzz/corpus/edits/` (the seeds, and every input that once
//! crashed a target: such inputs are copied there) goes through the same code the cargo-fuzz
//! targets run (`fuzz/checks.rs`), and so do a few hundred deterministic mutations of them.
//!
//! This is a regression check, not fuzzing: no coverage guidance, a fixed seed. The real
//! fuzzing is `fuzz/smoke.sh` (see fuzz/README.md).
//! `COPYDESK_FUZZ_MUTATIONS` sets the number of mutations per target (default 1000);
//! `COPYDESK_FUZZ_ARTIFACTS=1` also replays `fuzz/artifacts/<target>/` (crashes found locally,
//! not committed).

// The fuzz targets' checks, as the fuzz crate builds them: `checks.rs` includes the text model
// (`model.rs`) by path for itself, so this binary holds it twice, once per user.
#[allow(clippy::duplicate_mod)]
#[path = "../../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut dirs = vec![root.join("corpus").join(target)];
    if std::env::var_os("COPYDESK_FUZZ_ARTIFACTS").is_some() {
        dirs.push(root.join("artifacts").join(target));
    }
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_file() {
                let data = std::fs::read(&path).unwrap();
                out.push((path, data));
            }
        }
    }
    out.sort();
    out
}

use crate::common::Rng;

/// Bytes that have broken text handling elsewhere: line ends, multi-byte and 4-byte UTF-8
/// (and pieces of it), bidi and zero-width controls, NUL, markdown and quote syntax.
const INTERESTING: &[&[u8]] = &[
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\n",
    "é".as_bytes(),
    "東".as_bytes(),
    "🎉".as_bytes(),
    b"\xF0\x9F",
    b"\xE6",
    "\u{202E}".as_bytes(),
    "\u{200B}".as_bytes(),
    b"\0",
    b"\xFF",
    b"<!-- copydesk-disable -->",
    b"```",
    b"---\n",
    b"> ",
    b"* ",
    "“".as_bytes(),
    "”".as_bytes(),
    b"\"",
    b" said Hagel.",
    b" Hagle ",
];

/// One mutation in the spirit of libFuzzer's: insert, delete, overwrite, duplicate a slice,
/// splice in another input, or cut.
fn mutate(rng: &mut Rng, data: &[u8], others: &[(PathBuf, Vec<u8>)]) -> Vec<u8> {
    let mut d = data.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(d.len() + 1);
        match rng.below(6) {
            0 => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                d.splice(at..at, piece.iter().copied());
            }
            1 => {
                let end = (at + 1 + rng.below(8)).min(d.len());
                d.drain(at.min(end)..end);
            }
            2 => {
                if at < d.len() {
                    d[at] = rng.next() as u8;
                }
            }
            3 => {
                let end = (at + 1 + rng.below(64)).min(d.len());
                let copy = d[at.min(end)..end].to_vec();
                let to = rng.below(d.len() + 1);
                d.splice(to..to, copy);
            }
            4 => {
                let other = &others[rng.below(others.len())].1;
                let from = rng.below(other.len() + 1);
                let end = (from + rng.below(128)).min(other.len());
                d.splice(at..at, other[from..end].iter().copied());
            }
            _ => d.truncate(at),
        }
    }
    d.truncate(4096); // as fuzz/smoke.sh's -max_len
    d
}

fn mutations() -> usize {
    std::env::var("COPYDESK_FUZZ_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn replay(target: &str, check: fn(&[u8])) {
    let corpus = inputs(target);
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target}/ is empty or missing"
    );
    for (path, data) in &corpus {
        if let Err(e) = std::panic::catch_unwind(|| check(data)) {
            panic!("{} fails the {target} check: {e:?}", path.display());
        }
    }
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for n in 0..mutations() {
        let base = &corpus[rng.below(corpus.len())];
        let data = mutate(&mut rng, &base.1, &corpus);
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            let file = std::env::temp_dir().join(format!("copydesk-{target}-mutation-{n}"));
            std::fs::write(&file, &data).unwrap();
            panic!(
                "mutation {n} of {} fails the {target} check; the input is in {} \
                 (copy it into fuzz/corpus/{target}/ once fixed)",
                base.0.display(),
                file.display()
            );
        }
    }
}

#[test]
fn analyze_corpus_and_mutations_pass_the_fuzz_checks() {
    replay("analyze", checks::analyze);
}

#[test]
fn edits_corpus_and_mutations_pass_the_fuzz_checks() {
    replay("edits", checks::edits);
}
