//! Incremental analysis gives exactly what a fresh analysis gives.
//!
//! A document is analysed once with a memo, then edited step by step (typing, deleting,
//! pasting and cutting paragraphs, breaking and closing markdown blocks); after every edit
//! the memo's result must equal a fresh analysis of the same text, for every rule.

use copydesk::analysis::{Format, Memo, analyze, analyze_memo};
use copydesk::config::Settings;
use proptest::prelude::*;

/// Pieces of an article: names with variants, quotes with and without speakers, copies,
/// markdown blocks that stay open across blank lines, non-ASCII text.
const PIECES: &[&str] = &[
    "The defence minister, Chuck Hagel, told reporters on Monday that the base would stay open.\n\n",
    "Hagle said the review had found no reason to close it before the end of the decade.\n\n",
    "“We are not going anywhere,” Hagel said at the briefing in the capital on Monday.\n\n",
    "“The harbour wall will not survive another winter like the last one.”\n\n",
    "Residents of Nguyễn Street say the council ignored their letters for three years in a row.\n\n",
    "Nguyen, who chairs the residents’ group, said the council had promised repairs in 2019.\n\n",
    "According to the council, repairs will start in the spring once the money is approved.\n\n",
    "The council voted on Tuesday to close the old library on Main Street next spring, ending a century of service.\n\n",
    "The council voted on Tuesday to close the old library on Main Street next spring, ending a century of service.\n\n",
    "- a list item about the library hours and the staff who will lose their jobs\n- another item\n\n",
    "```\ncode block with “quotes” inside\n\n",
    "```\n\n",
    "<!--\ncomment that spans\n\n-->\n\n",
    "<!-- copydesk-disable-next-paragraph -->\n",
    "> “A quoted paragraph in a block quote with nobody named,” the sign read.\n\n",
    "# Heading about Gaddafi\n\n",
    "Muammar Gaddafi ruled Libya for four decades before he was killed in 2011 near Sirte.\n\n",
    "Qaddafi’s son, Saif al-Islam Gaddafi, was later tried in absentia by a court in Tripoli.\n\n",
    "東京 hotels were 92% full 🎉, the board said, the highest since records began in 1990.\r\n\r\n",
    "---\n\n",
    "    indented code\n\n",
    "Ms. DeSantis and Mr. Desantis both spoke at the meeting, which ran late into the night.\n\n",
];

fn document(picks: &[usize]) -> String {
    picks.iter().map(|&i| PIECES[i]).collect()
}

#[derive(Clone, Debug)]
enum Step {
    /// Insert a word at a fraction of the text.
    Type(u16, &'static str),
    /// Delete up to n bytes at a fraction of the text.
    Delete(u16, u8),
    /// Insert a whole piece at a fraction of the text (at a line start).
    Paste(u16, usize),
}

fn char_floor(t: &str, mut i: usize) -> usize {
    i = i.min(t.len());
    while !t.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &mut String, step: &Step) {
    let at = |f: u16, t: &str| char_floor(t, t.len() * f as usize / u16::MAX as usize);
    match step {
        Step::Type(f, w) => {
            let i = at(*f, text);
            text.insert_str(i, w);
        }
        Step::Delete(f, n) => {
            let i = at(*f, text);
            let j = char_floor(text, i + *n as usize);
            text.replace_range(i..j, "");
        }
        Step::Paste(f, p) => {
            let i = at(*f, text);
            let i = text[..i].rfind('\n').map_or(0, |n| n + 1);
            text.insert_str(i, PIECES[*p]);
        }
    }
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (
            any::<u16>(),
            prop::sample::select(vec![" word", "e", " Hagel", "”", "\n\n", "```", " said"])
        )
            .prop_map(|(f, w)| Step::Type(f, w)),
        (any::<u16>(), 1u8..80).prop_map(|(f, n)| Step::Delete(f, n)),
        (any::<u16>(), 0..PIECES.len()).prop_map(|(f, p)| Step::Paste(f, p)),
    ]
}

fn check(format: Format, picks: &[usize], steps: &[Step]) {
    check_with(&Settings::default(), format, picks, steps)
}

/// The settings with a recording in which some of the pieces' quotations are said (one word
/// changed, one by another speaker), so `misquote` and `misattribution` have work to do.
fn with_sources() -> Settings {
    use copydesk::analysis::sources::{SourceIndex, Sources};
    let transcript = "HAGEL: We are not going anywhere at all, and I told them so.\n\n\
        NGUYEN: The harbour wall will not survive another winter like this one.\n\n\
        INTERVIEWER: And the library?\n";
    let index = SourceIndex::new(
        [(
            "file:///w/sources/briefing.txt".to_string(),
            "briefing.txt".to_string(),
            transcript.to_string(),
        )],
        1,
    );
    Settings {
        sources: Sources::new(std::sync::Arc::new(index)),
        ..Default::default()
    }
}

fn check_with(settings: &Settings, format: Format, picks: &[usize], steps: &[Step]) {
    let settings = settings.clone();
    let mut memo = Memo::new();
    let mut text = document(picks);
    let first = analyze_memo(&text, format, &settings, &mut memo);
    assert_eq!(first.findings, analyze(&text, format, &settings).findings);
    for s in steps {
        apply(&mut text, s);
        let inc = analyze_memo(&text, format, &settings, &mut memo);
        let fresh = analyze(&text, format, &settings);
        assert_eq!(inc.findings, fresh.findings, "after {s:?} on {text:?}");
        assert_eq!(inc.paragraphs, fresh.paragraphs, "after {s:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn markdown_edits(picks in prop::collection::vec(0..PIECES.len(), 1..24),
                      steps in prop::collection::vec(step(), 1..12)) {
        check(Format::Markdown, &picks, &steps);
    }

    #[test]
    fn plain_text_edits(picks in prop::collection::vec(0..PIECES.len(), 1..24),
                        steps in prop::collection::vec(step(), 1..12)) {
        check(Format::Plain, &picks, &steps);
    }

    /// With sources: the quotations checked against them (the engine's facts) too.
    #[test]
    fn markdown_edits_with_sources(picks in prop::collection::vec(0..PIECES.len(), 1..24),
                                   steps in prop::collection::vec(step(), 1..12)) {
        check_with(&with_sources(), Format::Markdown, &picks, &steps);
    }
}

#[test]
fn the_sources_case_has_misquotes_to_keep() {
    let s = with_sources();
    let text = document(&[0, 2, 3, 4, 5]);
    let found = analyze(&text, Format::Markdown, &s).findings;
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert!(rules.contains(&"misquote"), "{found:#?}");
    check_with(
        &s,
        Format::Markdown,
        &[0, 2, 3, 4, 5],
        &[
            Step::Type(20_000, " word"),
            Step::Paste(60_000, 2),
            Step::Delete(40_000, 30),
        ],
    );
}

#[test]
fn settings_changes_are_not_served_from_the_memo() {
    let text = document(&[7, 8, 0, 1]);
    let mut memo = Memo::new();
    let on = Settings::default();
    let mut off = Settings::default();
    off.duplicate_paragraph.enabled = false;
    off.name_spelling.enabled = false;
    let a = analyze_memo(&text, Format::Markdown, &on, &mut memo);
    let b = analyze_memo(&text, Format::Markdown, &off, &mut memo);
    let c = analyze_memo(&text, Format::Markdown, &on, &mut memo);
    assert!(a.findings.len() > b.findings.len());
    assert_eq!(a.findings, c.findings);
    assert_eq!(b.findings, analyze(&text, Format::Markdown, &off).findings);
}

#[test]
fn a_long_document_keeps_its_findings_through_an_edit() {
    // Big enough for the rules to run in parallel and the parse to use many chunks.
    let picks: Vec<usize> = (0..600).map(|i| (i * 7) % PIECES.len()).collect();
    let steps = [
        Step::Type(30_000, " word"),
        Step::Paste(50_000, 3),
        Step::Delete(10_000, 60),
        Step::Type(65_000, "```"),
    ];
    check(Format::Markdown, &picks, &steps);
}
