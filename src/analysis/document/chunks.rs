//! Markdown parsed in independent chunks, each cached by its content.
//!
//! A markdown document is cut into candidate chunks before a line that starts in column 0
//! after a blank line and does not start a list item (a list whose items are separated by
//! blank lines must stay one list: its looseness decides whether items hold paragraphs).
//! CommonMark closes every block at such a place except those that run until an end marker:
//! fenced code and HTML blocks of types 1–5 (`<pre>`, `<!--`, …). Rather than re-implementing
//! the grammar to find those, each chunk is parsed and checked: a chunk whose blocks reach into
//! its trailing blank lines left something open, and is parsed again together with what
//! follows. Link reference and footnote definitions act at a distance: a document with any is
//! parsed whole. Front matter is never cut.
//!
//! Which candidate places are used is decided by a hash of the first bytes of the line that
//! follows, so boundaries depend only on nearby text, and after an edit only the touched chunk
//! is parsed again: the others come from the cache. Parsing in chunks gives exactly what
//! parsing whole gives (a property test checks it).

use super::{Comment, Paragraph, parse_markdown};
use crate::analysis::cache::{ParaCache, content_hash};
use std::ops::Range;

/// One chunk's parse, with offsets relative to the chunk.
#[derive(Debug)]
pub(crate) struct ChunkParse {
    prose: String,
    paragraphs: Vec<Paragraph>,
    comments: Vec<Comment>,
    /// Every block closed before the chunk's trailing blank lines.
    clean: bool,
}

/// Chunk parses of one document, kept between versions.
#[derive(Debug, Default)]
pub struct ParseMemo {
    chunks: ParaCache<ChunkParse>,
}

impl ParseMemo {
    pub fn len(&self) -> usize {
        self.chunks.len()
    }
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }
    /// (cache hits, chunks parsed) in the latest parse.
    pub fn stats(&self) -> (usize, usize) {
        self.chunks.stats()
    }
}

/// About one candidate place in this many becomes a chunk boundary.
const SPLIT_ONE_IN: u64 = 4;

/// Whether a candidate place is used depends on this many bytes of the line after it, so
/// typing further along a paragraph never moves a boundary.
const BOUNDARY_BYTES: usize = 16;

/// At most this many candidate places in a row go unused.
const MAX_PASSED: usize = 32;

/// When this much (in all) is still to parse, it is parsed on several threads.
const PARALLEL_PARSE_BYTES: usize = 256 * 1024;

/// Parse `text` as markdown, reusing chunks parsed before.
pub(crate) fn parse(text: &str, memo: &mut ParseMemo) -> (String, Vec<Paragraph>, Vec<Comment>) {
    parse_with(text, memo, SPLIT_ONE_IN)
}

fn key(text: &str, r: &Range<usize>) -> u64 {
    content_hash(&[text[r.clone()].as_bytes(), &[u8::from(r.start == 0)]])
}

fn parse_chunk(text: &str, r: Range<usize>) -> ChunkParse {
    let chunk = &text[r.clone()];
    let (prose, paragraphs, comments, reach) = parse_markdown(chunk, r.start == 0);
    let content_end = chunk.trim_end().len();
    let content_end = chunk[content_end..]
        .find('\n')
        .map_or(chunk.len(), |i| content_end + i + 1);
    ChunkParse {
        prose,
        paragraphs,
        comments,
        clean: reach <= content_end,
    }
}

fn parse_with(
    text: &str,
    memo: &mut ParseMemo,
    one_in: u64,
) -> (String, Vec<Paragraph>, Vec<Comment>) {
    let cands = split(text, one_in);
    let cache = &mut memo.chunks;
    cache.begin();
    // Parse every candidate not seen before (on several threads for a big new document).
    let keys: Vec<u64> = cands.iter().map(|c| key(text, c)).collect();
    let mut missing: Vec<usize> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, k) in keys.iter().enumerate() {
        if cache.get(*k).is_none() && seen.insert(*k) {
            missing.push(i);
        }
    }
    let missing_bytes: usize = missing.iter().map(|&i| cands[i].len()).sum();
    let threads = crate::analysis::cache::cores().min(4);
    let parsed: Vec<(usize, ChunkParse)> =
        if missing_bytes >= PARALLEL_PARSE_BYTES && threads > 1 && missing.len() > 1 {
            let per = missing.len().div_ceil(threads);
            let cands = &cands;
            std::thread::scope(|s| {
                let handles: Vec<_> = missing
                    .chunks(per)
                    .map(|part| {
                        s.spawn(move || {
                            part.iter()
                                .map(|&i| (i, parse_chunk(text, cands[i].clone())))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            })
        } else {
            missing
                .iter()
                .map(|&i| (i, parse_chunk(text, cands[i].clone())))
                .collect()
        };
    for (i, p) in parsed {
        cache.insert(keys[i], p);
    }
    // Walk the candidates; a chunk that left a block open is parsed again with more of what
    // follows (twice as many candidates each time, so a long unclosed fence costs O(n log n)).
    let mut prose = String::with_capacity(text.len());
    let mut paragraphs = Vec::new();
    let mut comments = Vec::new();
    let mut i = 0;
    while i < cands.len() {
        let start = cands[i].start;
        let mut j = i;
        let mut step = 1;
        loop {
            let r = start..cands[j].end;
            let k = if j == i { keys[i] } else { key(text, &r) };
            if cache.get(k).is_none() {
                cache.insert(k, parse_chunk(text, r.clone()));
            }
            let p = cache.get(k).expect("inserted above");
            if p.clean || j + 1 == cands.len() {
                prose.push_str(&p.prose);
                paragraphs.extend(p.paragraphs.iter().map(|q| Paragraph {
                    span: q.span.start + start..q.span.end + start,
                    ..q.clone()
                }));
                comments.extend(p.comments.iter().map(|q| Comment {
                    span: q.span.start + start..q.span.end + start,
                }));
                i = j + 1;
                break;
            }
            j = (j + step).min(cands.len() - 1);
            step *= 2;
        }
    }
    cache.end();
    (prose, paragraphs, comments)
}

/// Candidate chunks of a markdown text (see the module documentation).
/// `one_in`: about one candidate place in this many is used (1 = all of them).
pub(crate) fn split(text: &str, one_in: u64) -> Vec<Range<usize>> {
    let whole = std::iter::once(0..text.len()).collect();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev_blank = false;
    let mut passed = 0;
    // Front matter is never cut.
    let mut at = super::front_matter_end(text);
    while at < b.len() {
        let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i + 1);
        let content = text[at..end].trim_end_matches(['\n', '\r']);
        let ls = at;
        at = end;
        let indent = leading_indent(content);
        let rest = content.trim_start_matches([' ', '\t']);
        if indent <= 3 && is_definition(rest) {
            return whole;
        }
        let blank = rest.trim().is_empty();
        if !blank && prev_blank && indent == 0 && ls > start && !starts_list_item(rest) {
            passed += 1;
            let head = &content.as_bytes()[..content.len().min(BOUNDARY_BYTES)];
            // Lines that all start alike would never split: bound the chunk instead.
            if content_hash(&[head]).is_multiple_of(one_in) || passed >= MAX_PASSED {
                out.push(start..ls);
                start = ls;
                passed = 0;
            }
        }
        prev_blank = blank;
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

/// Columns of leading indentation (a tab counts as four).
fn leading_indent(s: &str) -> usize {
    let mut n = 0;
    for c in s.bytes() {
        match c {
            b' ' => n += 1,
            b'\t' => n += 4,
            _ => break,
        }
    }
    n
}

/// `[label]: …` — a link reference or footnote definition.
fn is_definition(rest: &str) -> bool {
    rest.starts_with('[')
        && rest
            .find("]:")
            .is_some_and(|i| i > 1 && !rest[1..i].contains(']'))
}

fn starts_list_item(rest: &str) -> bool {
    let b = rest.as_bytes();
    let after_marker = |i: usize| i >= b.len() || b[i] == b' ' || b[i] == b'\t';
    match b.first() {
        Some(b'-' | b'*' | b'+') => after_marker(1),
        Some(c) if c.is_ascii_digit() => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            digits <= 9 && matches!(b.get(digits), Some(b'.' | b')')) && after_marker(digits + 1)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn whole(text: &str) -> (String, Vec<Paragraph>, Vec<Comment>) {
        let (p, a, c, _) = parse_markdown(text, true);
        (p, a, c)
    }

    fn same(text: &str) {
        // Every allowed split point used, so small examples exercise many cuts.
        let mut memo = ParseMemo::default();
        let (p1, a1, c1) = parse_with(text, &mut memo, 1);
        let (p2, a2, c2) = whole(text);
        assert_eq!(p1, p2, "prose differs for {text:?}");
        assert_eq!(a1, a2, "paragraphs differ for {text:?}");
        let spans = |c: &[Comment]| c.iter().map(|x| x.span.clone()).collect::<Vec<_>>();
        assert_eq!(spans(&c1), spans(&c2), "comments differ for {text:?}");
    }

    const PIECES: &[&str] = &[
        "A plain paragraph about the harbour wall.\n",
        "Another paragraph, “quoted” and naïve 🎉.\n",
        "\n",
        "\n\n",
        "- item one\n",
        "- item two\n",
        "1. first\n",
        "   continued in the item\n",
        "    indented code\n",
        "```\n",
        "~~~~\n",
        "fenced text\n",
        "> quoted line\n",
        "<!-- a comment\n",
        "that ends -->\n",
        "<pre>\n",
        "</pre>\n",
        "<div>html</div>\n",
        "---\n",
        "title: x\n",
        "+++\n",
        "# Heading\n",
        "Setext\n===\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "[ref]: https://example.org\n",
        "See [text][ref] and [^1].\n",
        "[^1]: A footnote.\n",
        "Text with `code` and a [link](https://x.org).\r\n",
        "\r\n",
        "<script>\n",
        "</script>\n",
        "* star item\n",
        "2) paren item\n",
        "\tTabbed line\n",
        "...\n",
        "- ```\n",
        "> ```\n",
        "  ```\n",
        "<div>\n",
        "<!-- copydesk-disable-next-paragraph -->\n",
        "    \n",
        "Para line with “quotes”\n",
        "<textarea>\n",
        "```python\n",
    ];

    #[test]
    fn chunked_parse_equals_whole_parse_on_examples() {
        same("");
        same("One.\n\nTwo.\n\nThree.");
        same("---\ntitle: a\n\nbody: b\n---\n\nText.\n\nMore text.\n");
        same("- a\n\n- b\n\nAfter the list.\n\nAnd more.\n");
        same("```\ncode\n\nnot prose\n```\n\nProse.\n\nProse again.\n");
        same("<!--\n\ncomment\n\n-->\n\nText.\n\nText two.\n");
        same("Use [x][r].\n\nMore.\n\n[r]: https://e.org\n");
        same("> a\n\n> b\n\nc\n\nd\n");
    }

    #[test]
    fn long_documents_split_into_many_chunks() {
        let mut t = String::new();
        for i in 0..200 {
            t.push_str(&format!(
                "Paragraph {i} tells part of the story of the harbour wall.\n\n"
            ));
        }
        let chunks = split(&t, SPLIT_ONE_IN);
        assert!(chunks.len() > 20, "{} chunks", chunks.len());
        assert_eq!(chunks.first().unwrap().start, 0);
        assert_eq!(chunks.last().unwrap().end, t.len());
        assert!(chunks.windows(2).all(|w| w[0].end == w[1].start));
        same(&t);
    }

    #[test]
    fn lines_that_all_start_alike_still_split() {
        let t = "The same start of every paragraph here.\n\n".repeat(200);
        assert!(split(&t, SPLIT_ONE_IN).len() >= 200 / MAX_PASSED);
        same(&t);
    }

    #[test]
    fn an_edit_reparses_only_its_chunk() {
        let mut t = String::new();
        for i in 0..200 {
            t.push_str(&format!(
                "Paragraph {i} tells part of the story of the harbour wall.\n\n"
            ));
        }
        let mut memo = ParseMemo::default();
        parse(&t, &mut memo);
        let n = memo.len();
        let t2 = t.replacen("Paragraph 100 tells part", "Paragraph 100 tells a part", 1);
        parse(&t2, &mut memo);
        assert_eq!(memo.stats().1, 1, "one chunk parsed again");
        assert_eq!(memo.len(), n, "the replaced chunk was dropped");
        // An edit at the start of a line may move one boundary: still only local work.
        let t3 = t2.replacen("Paragraph 150", "A paragraph, 150", 1);
        parse(&t3, &mut memo);
        assert!(memo.stats().1 <= 2, "{:?}", memo.stats());
    }

    /// `PROPTEST_CASES` runs more (600 by default, to keep the suite quick).
    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(600)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]
        #[test]
        fn chunked_parse_equals_whole_parse(picks in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            same(&text);
        }
    }
}

#[cfg(test)]
mod timing {
    /// `cargo test --release --lib chunks::timing -- --ignored --nocapture`: minimum of 30
    /// runs, whole parse against chunked parse (fresh and after a one-word edit).
    #[test]
    #[ignore]
    fn whole_against_chunked() {
        let path = std::env::var("COPYDESK_TIMING_FILE").unwrap_or("/tmp/book-100k.md".into());
        let Ok(text) = std::fs::read_to_string(&path) else {
            return;
        };
        let min = |f: &mut dyn FnMut()| {
            (0..30)
                .map(|_| {
                    let t = std::time::Instant::now();
                    f();
                    t.elapsed()
                })
                .min()
                .unwrap()
        };
        let whole = min(&mut || {
            super::parse_markdown(&text, true);
        });
        let fresh = min(&mut || {
            super::parse(&text, &mut super::ParseMemo::default());
        });
        let mid = text.len() / 2;
        let at = text[mid..].find(' ').map_or(mid, |i| mid + i);
        let edited = format!("{} word{}", &text[..at], &text[at..]);
        let mut memo = super::ParseMemo::default();
        super::parse(&text, &mut memo);
        let mut k = false;
        let inc = min(&mut || {
            k = !k;
            super::parse(if k { &edited } else { &text }, &mut memo);
        });
        eprintln!("{path}: whole {whole:?}, chunked fresh {fresh:?}, after an edit {inc:?}");
    }
}
