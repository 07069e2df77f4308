//! Document sync and positions, property-tested against a simple model
//! (`tests/reliability_support/model.rs`): random incremental edits — ranges inside surrogate
//! pairs and UTF-8 sequences, CRLF and lone CR, past the end of a line or the document,
//! reversed — leave `Text` equal to the model; positions round-trip in UTF-8, UTF-16, UTF-32.
//! The last tests drive random edit sequences through the real binary.

use crate::common;
use crate::model;

use copydesk::text::{Clamped, Encoding, LineIndex, Pos, Text};
use model::Enc;
use proptest::prelude::*;
use proptest::sample::Index;

fn enc(e: Enc) -> Encoding {
    match e {
        Enc::Utf8 => Encoding::Utf8,
        Enc::Utf16 => Encoding::Utf16,
        Enc::Utf32 => Encoding::Utf32,
    }
}

const ENCS: [Enc; 3] = [Enc::Utf8, Enc::Utf16, Enc::Utf32];

/// Pieces chosen to hit every edge: multi-byte characters of each width, a surrogate pair
/// (two of them), every line break, a separator that is *not* a line break, NUL, bidi
/// controls and a BOM.
const PIECES: &[&str] = &[
    "a", "b", "Z", " ", "é", "東", "🎉", "𝄞", "\r", "\n", "\r\n", "\u{2028}", "\0", "\u{202E}",
    "\u{2066}", "\u{FEFF}", "\t", "“", "”",
];

fn text_of(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max_pieces).prop_map(|v| v.concat())
}

fn any_enc() -> impl Strategy<Value = Enc> {
    prop::sample::select(&ENCS[..])
}

/// A position: the line is picked relative to the document (with a chance of lying past its
/// end), the column is small or absurd.
#[derive(Clone, Debug)]
struct RawPos {
    line: Index,
    past_end: bool,
    col: u32,
}

fn raw_pos() -> impl Strategy<Value = RawPos> {
    (
        any::<Index>(),
        prop::bool::weighted(0.05),
        prop_oneof![8 => 0u32..12, 1 => 12u32..200, 1 => Just(u32::MAX)],
    )
        .prop_map(|(line, past_end, col)| RawPos {
            line,
            past_end,
            col,
        })
}

impl RawPos {
    fn resolve(&self, s: &str) -> (u32, u32) {
        let n = model::lines(s).len();
        let line = if self.past_end {
            n + self.line.index(3)
        } else {
            self.line.index(n)
        };
        (line as u32, self.col)
    }
}

#[derive(Clone, Debug)]
struct RawEdit {
    start: RawPos,
    end: RawPos,
    /// Most edits are short ranges on one line, as typing makes them.
    same_line: bool,
    text: String,
}

fn raw_edit() -> impl Strategy<Value = RawEdit> {
    (raw_pos(), raw_pos(), prop::bool::weighted(0.5), text_of(6)).prop_map(
        |(start, end, same_line, text)| RawEdit {
            start,
            end,
            same_line,
            text,
        },
    )
}

impl RawEdit {
    fn resolve(&self, s: &str) -> ((u32, u32), (u32, u32)) {
        let a = self.start.resolve(s);
        let mut b = self.end.resolve(s);
        if self.same_line {
            b.0 = a.0;
        }
        (a, b)
    }
}

fn p((l, c): (u32, u32)) -> Pos {
    Pos::new(l, c)
}

fn check_sequence(initial: &str, edits: &[RawEdit], e: Enc) -> Result<(), TestCaseError> {
    let mut text = Text::new(initial);
    let mut m = initial.to_string();
    for ed in edits {
        let (a, b) = ed.resolve(&m);
        let (oa, exact_a) = model::offset(&m, a.0, a.1, e);
        let (ob, exact_b) = model::offset(&m, b.0, b.1, e);
        let clamped = text.edit(p(a), p(b), &ed.text, enc(e));
        model::edit(&mut m, a, b, &ed.text, e);
        prop_assert_eq!(
            matches!(clamped, Clamped::No),
            exact_a && exact_b && oa <= ob,
            "clamp report for {:?}..{:?}: {:?}",
            a,
            b,
            clamped
        );
        let got = text.to_string_lossless();
        prop_assert_eq!(
            &got,
            &m,
            "after {:?}..{:?} <- {:?} ({:?})",
            a,
            b,
            ed.text,
            e
        );
        prop_assert_eq!(text.len_lines(), model::lines(&m).len());
        prop_assert_eq!(text.len_bytes(), m.len());
    }
    // The final text's positions agree with the model everywhere.
    check_positions(&m)?;
    Ok(())
}

fn check_positions(s: &str) -> Result<(), TestCaseError> {
    let t = Text::new(s);
    for e in ENCS {
        for b in 0..=s.len() {
            if !model::addressable(s, b) {
                continue;
            }
            let want = model::position(s, b, e);
            let got = t.position(b, enc(e));
            prop_assert_eq!(
                (got.line, got.character),
                want,
                "byte {} of {:?} ({:?})",
                b,
                s,
                e
            );
            let (back, c) = t.offset(got, enc(e));
            prop_assert_eq!(back, b);
            prop_assert_eq!(c, Clamped::No);
            // The same point named in every other encoding comes back to the same byte.
            for e2 in ENCS {
                let q = t.position(b, enc(e2));
                prop_assert_eq!(t.offset(q, enc(e2)).0, b);
            }
        }
    }
    Ok(())
}

/// Cases per property: small by default so CI stays fast; `PROPTEST_CASES=20000` for a long run.
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases(160))]

    /// Short documents, many edits: every edge case is close to every other.
    #[test]
    fn small_documents_follow_the_model(initial in text_of(24), edits in prop::collection::vec(raw_edit(), 1..24), e in any_enc()) {
        check_sequence(&initial, &edits, e)?;
    }

    /// Positions round-trip in all three encodings, and agree with the model.
    #[test]
    fn positions_round_trip(s in text_of(40)) {
        check_positions(&s)?;
    }

    /// Any byte offset (inside a character, between \r and \n, past the end) gives the
    /// position of the nearest addressable point before it, never a panic.
    #[test]
    fn any_byte_offset_has_a_sane_position(s in text_of(30), byte in 0usize..200, e in any_enc()) {
        let t = Text::new(&s);
        let mut b = byte.min(s.len());
        while !s.is_char_boundary(b) { b -= 1; }
        if !model::addressable(&s, b) { b -= 1; } // between \r and \n: the end of the line
        let got = t.position(byte, enc(e));
        prop_assert_eq!((got.line, got.character), model::position(&s, b, e));
    }

    /// The clamping semantics are sane: offsets never go backwards as positions go forwards
    /// (so a forward range never becomes reversed), a clamped column never leaves its line,
    /// and "exact" is reported exactly when the position names a real point.
    #[test]
    fn clamping_is_monotonic_and_stays_on_the_line(s in text_of(30), a in raw_pos(), b in raw_pos(), e in any_enc()) {
        let t = Text::new(&s);
        let (pa, pb) = (a.resolve(&s), b.resolve(&s));
        let (lo, hi) = if pa <= pb { (pa, pb) } else { (pb, pa) };
        let (olo, clo) = t.offset(p(lo), enc(e));
        let (ohi, _) = t.offset(p(hi), enc(e));
        prop_assert!(olo <= ohi, "{:?} -> {}, {:?} -> {}", lo, olo, hi, ohi);
        let ls = model::lines(&s);
        if let Some(l) = ls.get(lo.0 as usize) {
            prop_assert!(l.start <= olo && olo <= l.content_end);
        } else {
            prop_assert_eq!(olo, s.len());
        }
        let (mo, exact) = model::offset(&s, lo.0, lo.1, e);
        prop_assert_eq!(olo, mo);
        prop_assert_eq!(matches!(clo, Clamped::No), exact);
    }

    /// An edit on one line that inserts no line break leaves every other line as it was.
    #[test]
    fn one_line_edits_touch_one_line(s in text_of(30), a in raw_pos(), col in 0u32..12, new in "[a-z🎉東é]{0,4}", e in any_enc()) {
        let mut t = Text::new(&s);
        let (line, c0) = a.resolve(&s);
        let before: Vec<String> = split_lines(&s);
        let line = line.min(before.len() as u32 - 1);
        t.edit(Pos::new(line, c0), Pos::new(line, col), &new, enc(e));
        let after_text = t.to_string_lossless();
        let after = split_lines(&after_text);
        if after.len() != before.len() {
            // The one exception, as in every editor: emptying a line that sits between a lone
            // "\r" and a "\n" turns the two breaks into one "\r\n".
            let l = model::lines(&s)[line as usize];
            prop_assert!(l.start > 0 && s.as_bytes()[l.start - 1] == b'\r');
            prop_assert_eq!(s.as_bytes().get(l.content_end), Some(&b'\n'));
            prop_assert_eq!(after.len() + 1, before.len());
            prop_assert!(new.is_empty());
            return Ok(());
        }
        for (i, (x, y)) in before.iter().zip(&after).enumerate() {
            if i as u32 != line {
                prop_assert_eq!(x, y);
            }
        }
    }

    /// `LineIndex` (used for messages and the CLI) breaks lines exactly as `Text` does.
    #[test]
    fn line_index_agrees_with_text(s in text_of(40)) {
        let t = Text::new(&s);
        let idx = LineIndex::new(&s);
        prop_assert_eq!(idx.len(), t.len_lines());
        for (b, _) in s.char_indices() {
            prop_assert_eq!(idx.line(b) as u32, t.position(b, Encoding::Utf8).line);
        }
    }
}

proptest! {
    #![proptest_config(cases(24))]

    /// Documents of several kilobytes, so the rope has many chunks and edits land on chunk
    /// seams (a `\r` at the end of one chunk and a `\n` at the start of the next).
    #[test]
    fn large_documents_follow_the_model(initial in text_of(4000), edits in prop::collection::vec(raw_edit(), 1..200), e in any_enc()) {
        let mut text = Text::new(&initial);
        let mut m = initial.clone();
        for ed in &edits {
            let (a, b) = ed.resolve(&m);
            text.edit(p(a), p(b), &ed.text, enc(e));
            model::edit(&mut m, a, b, &ed.text, e);
            prop_assert_eq!(text.len_lines(), model::lines(&m).len());
        }
        prop_assert_eq!(text.to_string_lossless(), m.clone());
        // Spot-check positions all over the document.
        let t = Text::new(&m);
        for b in (0..=m.len()).step_by(97) {
            if model::addressable(&m, b) {
                for e in ENCS {
                    let q = text.position(b, enc(e));
                    prop_assert_eq!((q.line, q.character), model::position(&m, b, e));
                    prop_assert_eq!(t.offset(q, enc(e)), (b, Clamped::No));
                }
            }
        }
    }
}

fn split_lines(s: &str) -> Vec<String> {
    model::lines(s)
        .iter()
        .map(|l| s[l.start..l.content_end].to_string())
        .collect()
}

#[test]
fn edits_in_a_row_on_crlf_seams() {
    // Joining and splitting "\r" and "\n" by edits: "\r" + "\n" becomes one break.
    let mut t = Text::new("a\rX\nb");
    assert_eq!(t.len_lines(), 3);
    t.edit(Pos::new(1, 0), Pos::new(1, 1), "", Encoding::Utf16);
    assert_eq!(t.to_string_lossless(), "a\r\nb");
    assert_eq!(t.len_lines(), 2);
    t.edit(Pos::new(0, 1), Pos::new(0, 1), "\r", Encoding::Utf16);
    assert_eq!(t.to_string_lossless(), "a\r\r\nb");
    assert_eq!(t.len_lines(), 3);
}

// ---------------------------------------------------------------------------------------------
// Through the real binary.

mod e2e {
    use super::*;
    use common::*;
    use copydesk::analysis::{self, Format};
    use copydesk::config::Settings;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    use serde_json::{Value, json};

    const DUP: &str =
        "Hotel occupancy in 東京 reached 92% in April 🎉, the highest since records began.";

    /// What the server must publish for a text, computed from the model: the analysis of the
    /// model's text, with ranges converted by the model's own position code.
    fn expected(m: &str, e: Enc) -> Vec<Value> {
        let a = analysis::analyze(m, Format::Plain, &Settings::default());
        a.findings
            .iter()
            .map(|f| {
                let (sl, sc) = model::position(m, f.span.start, e);
                let (el, ec) = model::position(m, f.span.end, e);
                json!({"code": f.rule, "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}})
            })
            .collect()
    }

    fn got(diags: &[Value]) -> Vec<Value> {
        diags
            .iter()
            .map(|d| json!({"code": d["code"], "range": d["range"]}))
            .collect()
    }

    /// A random edit sequence, sent in batches of up to four content changes per
    /// `didChange`, then a sentinel pair of duplicate paragraphs appended at the model's end of
    /// the document: every published range must match the model, so the server's line
    /// structure and column counts equal the model's everywhere up to the end.
    fn drive(e: Enc, seed: u8) {
        let mut runner = TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
        );
        let edits = prop::collection::vec(raw_edit(), 60..61)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let mut m = format!("{DUP}\r\nfirst line\rsecond 🎉 line\n\n{DUP}\n\ntail 東京 text");
        let mut s = Server::spawn();
        let init = s.initialize(push_caps(&[e.lsp_name()]), None);
        assert_eq!(init["capabilities"]["positionEncoding"], e.lsp_name());
        let uri = format!("file:///tmp/copydesk-rel/sync-{seed}.txt");
        s.open(&uri, "plaintext", &m);
        let (_, d) = s.diagnostics(&uri, 1);
        assert_eq!(got(&d), expected(&m, e));
        let mut version = 1;
        for batch in edits.chunks(4) {
            let mut changes = Vec::new();
            for ed in batch {
                let (a, b) = ed.resolve(&m);
                changes.push(json!({"range": {"start": {"line": a.0, "character": a.1}, "end": {"line": b.0, "character": b.1}}, "text": ed.text}));
                model::edit(&mut m, a, b, &ed.text, e);
            }
            version += 1;
            s.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
            );
        }
        let (v, d) = s.diagnostics(&uri, version);
        assert_eq!(v, version);
        assert_eq!(got(&d), expected(&m, e), "text: {m:?}");
        // Sentinel at the very end, inserted at the model's end position.
        let end = model::position(&m, m.len(), e);
        let sentinel = format!("\n\n{DUP} Again 𝄞.\n\n{DUP} Again 𝄞.");
        model::edit(&mut m, end, end, &sentinel, e);
        version += 1;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": {"line": end.0, "character": end.1}, "end": {"line": end.0, "character": end.1}}, "text": sentinel}]}),
        );
        let (_, d) = s.diagnostics(&uri, version);
        let want = expected(&m, e);
        // The sentinel copy ends exactly at the model's end of the document.
        let (el, ec) = model::position(&m, m.len(), e);
        assert_eq!(
            want.last().unwrap()["range"]["end"],
            json!({"line": el, "character": ec})
        );
        assert_eq!(got(&d), want, "text: {m:?}");
        // fixAll computed by the server equals fixAll computed on the model.
        let r = s.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        );
        let a = analysis::analyze(&m, Format::Plain, &Settings::default());
        let fixed_model =
            analysis::apply_edits(&m, &analysis::safe_fix_edits(&a.findings)).unwrap();
        let edits = edits_for(&r["result"][0]["edit"], &uri);
        let fixed_server = apply_model(&m, &edits, e);
        assert_eq!(fixed_server, fixed_model);
        assert_eq!(s.shutdown_and_exit(), 0);
    }

    /// Apply LSP TextEdits with the model's position semantics.
    fn apply_model(m: &str, edits: &[Value], e: Enc) -> String {
        let mut spans: Vec<(usize, usize, String)> = edits
            .iter()
            .map(|x| {
                let pos = |p: &Value| {
                    model::offset(
                        m,
                        p["line"].as_u64().unwrap() as u32,
                        p["character"].as_u64().unwrap() as u32,
                        e,
                    )
                };
                let (a, ea) = pos(&x["range"]["start"]);
                let (b, eb) = pos(&x["range"]["end"]);
                assert!(
                    ea && eb,
                    "server sent a position that names no real point: {x}"
                );
                (a, b, x["newText"].as_str().unwrap().to_string())
            })
            .collect();
        spans.sort_by_key(|s| std::cmp::Reverse(s.0));
        let mut out = m.to_string();
        for (a, b, t) in spans {
            out.replace_range(a..b, &t);
        }
        out
    }

    #[test]
    fn random_edits_through_the_server_utf16() {
        drive(Enc::Utf16, 1);
        drive(Enc::Utf16, 2);
    }

    #[test]
    fn random_edits_through_the_server_utf8() {
        drive(Enc::Utf8, 3);
    }

    #[test]
    fn random_edits_through_the_server_utf32() {
        drive(Enc::Utf32, 4);
    }
}

/// Converting a position on a very long line costs no more than on a short one: an edit at
/// the end of a 10 MB single-line document must not scan the line (that held the document
/// store, and so other requests, for seconds).
#[test]
fn positions_on_a_huge_line_are_converted_without_scanning_it() {
    let line = "東京 🎉 reporters filed “copy” late. ".repeat(30_000); // ~1 MB, one line
    let t = Text::new(&line);
    let started = std::time::Instant::now();
    for e in ENCS {
        let end = t.position(line.len(), enc(e));
        for i in 0..300 {
            let p = Pos::new(0, end.character - i);
            let (o, _) = t.offset(p, enc(e));
            assert!(o <= line.len());
        }
    }
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(1),
        "900 conversions took {took:?}"
    );
}
