//! Unit tests of the quote rule: robustness, fixes, settings and incremental analysis. The
//! attribution model itself is tested by the fixtures in `tests/fixtures/quote/`.

use super::*;
use crate::analysis::Format;
use crate::analysis::rules::test_util::{assert_count, run};

const R: UnattributedQuote = UnattributedQuote;

fn found(text: &str) -> Vec<Finding> {
    run(&R, text, Format::Markdown, &Settings::default())
}

/// Settings of a desk that wants every carried-over attribution reported.
fn strict() -> Settings {
    let mut s = Settings::default();
    s.unattributed_quote.implied_attribution = ImpliedLevel::Information;
    s
}

fn found_strict(text: &str) -> Vec<Finding> {
    run(&R, text, Format::Markdown, &strict())
}

/// The first fix (preferred if any) of the first finding, under [`strict`] settings.
fn fixed_strict(text: &str) -> Option<String> {
    let f = found_strict(text);
    let f = f.first()?;
    let fix = f.fixes.iter().find(|x| x.preferred).or(f.fixes.first())?;
    crate::analysis::apply_edits(text, &fix.edits)
}

fn warnings(text: &str) -> usize {
    found(text)
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count()
}

// --- attributed: never flagged -------------------------------------------------------

#[test]
fn extra_speech_verbs_from_settings() {
    let mut s = Settings::default();
    let t = "The pumps stopped at noon.\n\n“Nobody leaves until the pumps are running again,” Okafor bellowed.";
    assert_eq!(run(&R, t, Format::Markdown, &s).len(), 1);
    s.unattributed_quote.speech_verbs = vec!["bellow".into()];
    assert_eq!(run(&R, t, Format::Markdown, &s).len(), 0);
}

// --- not direct quotations --------------------------------------------------------------

#[test]
fn short_terms_follow_max_short_words() {
    // (The terms and titles themselves: `tests/fixtures/quote/model/terms-and-marks.md`.)
    let mut s = Settings::default();
    s.unattributed_quote.max_short_words = 1;
    let t = "Ministers met on Monday to discuss “smart motorways” again.";
    let doc = Document::parse(t, Format::Markdown);
    assert_eq!(
        explain(&doc, &Settings::default())[0].verdict,
        Verdict::NotSpeech
    );
    assert_ne!(explain(&doc, &s)[0].verdict, Verdict::NotSpeech);
}

#[test]
fn nothing_inside_code_or_html() {
    assert_count(
        &R,
        "Run `echo \"this is not a quotation at all\"` first.",
        0,
    );
    assert_count(
        &R,
        "```\n\"This is not a quotation at all, it is code.\"\n```\n",
        0,
    );
    assert_count(
        &R,
        "<p>\"This is not a quotation at all, it is markup.\"</p>\n",
        0,
    );
}

#[test]
fn nothing_in_front_matter_or_link_urls() {
    let t = "---\ntitle: \"A headline that is not a quotation at all\"\n---\n\nSee [the report](https://example.org/\"not-a-quote-at-all-here\") today.\n";
    assert_count(&R, t, 0);
}

#[test]
fn crlf_text() {
    let t = "The bridge reopened on Tuesday.\r\n\r\n“It was worth every day of the wait.”\r\n";
    let f = run(&R, t, Format::Plain, &Settings::default());
    assert_eq!(f.len(), 1);
    assert_eq!(
        &t[f[0].span.clone()],
        "“It was worth every day of the wait.”"
    );
    assert_count(
        &R,
        "“It was worth every day of the wait,” Okafor said.\r\n",
        0,
    );
}

#[test]
fn quotes_in_headings_and_block_quotes_are_not_checked() {
    assert_count(&R, "# “We will not give up on this town”\n", 0);
    assert_count(&R, "> “We will not give up on this town, not ever.”\n", 0);
}

// --- unattributed ---------------------------------------------------------------------------

#[test]
fn stand_alone_quote_after_narration_is_a_warning() {
    let t = "The bridge reopened on Tuesday after two years of repairs.\n\n“It was worth every day of the wait.”\n";
    assert_eq!(warnings(t), 1);
}

#[test]
fn after_a_paragraph_with_several_speakers() {
    let t = "Okafor said the barrier held. Ruiz said it had nearly failed.\n\n“It was worth every day of the wait.”\n";
    let f = found(t);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Information);
    assert_eq!(f[0].message, "Who is speaking: Okafor or Ruiz?");
    let titles: Vec<&str> = f[0].fixes.iter().map(|x| x.title.as_str()).collect();
    assert!(
        titles.starts_with(&["Attribute to Okafor", "Attribute to Ruiz"]),
        "{titles:?}"
    );
}

#[test]
fn non_speech_verbs_next_door_do_not_attribute() {
    let t = "The rain continued all night.\n\nThe river rose. The rain continued. “We have never seen anything like it in forty years.”\n";
    assert_eq!(found(t).len(), 1);
    let t = "Flood crews arrived at dawn.\n\n“We have never seen anything like it in forty years.” Mayor Jane Ortiz left the meeting early.\n";
    assert_eq!(found(t).len(), 1);
    let t = "Flood crews arrived at dawn.\n\nThe library closes in May. “This is a sad day for every reader in town.”\n";
    assert_eq!(warnings(t), 1);
}

#[test]
fn after_narration_about_people_is_a_warning() {
    let t = "“I had to dig deep in the last set,” Brandt said.\n\nOrtiz, 31, held two match points before Brandt finally won the tie-break.\n\n“She is the toughest player I have ever faced.”\n";
    let f = found(t);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].message, "Unattributed quotation");
    assert_eq!(f[0].related[0].message, "The last person quoted");
    assert_eq!(f[0].fixes[0].title, "Attribute to Brandt");
    let t = "Ortiz has trained in Lyon since she was nine.\n\n“She is the toughest player I have ever faced.”\n";
    assert_eq!(warnings(t), 1);
}

#[test]
fn after_a_list() {
    let t = "Crews have:\n\n- cleared the roads\n- opened two shelters\n\n“We have never seen anything like it in forty years.”\n";
    assert_eq!(warnings(t), 1);
}

#[test]
fn list_after_a_colon_is_attributed() {
    let t = "Ortiz listed her demands:\n\n- “Open the shelters to everyone tonight.”\n- “Pay the crews double time this week.”\n";
    assert_count(&R, t, 0);
}

#[test]
fn first_paragraph_quote_is_a_warning() {
    assert_eq!(
        warnings("“Nobody saw the water coming until it was at the door.”\n"),
        1
    );
}

#[test]
fn after_a_heading() {
    let t = "# Flood\n\n“Nobody saw the water coming until it was at the door.”\n";
    assert_eq!(warnings(t), 1);
}

#[test]
fn message_names_the_last_person_quoted() {
    let t = "“The barrier held,” said spokesman Tomas Berg.\n\nOfficials and engineers met at noon.\n\nThe mayor and the governor met Berg and Ruiz at noon.\n\n“It was worth every day of the wait.”\n";
    let f = found(t);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].message, "Unattributed quotation");
    assert_eq!(&t[f[0].related[0].span.clone()], "Tomas Berg");
}

#[test]
fn message_gives_the_full_name_of_a_surname_speaker() {
    let t = "Foreign ministry spokesman Hong Lei spoke on Monday.\n\n“We are victims of hacking too,” said Hong.\n\nThe talks resumed in June with several delegations present.\n\n“Nobody gains from a war in cyberspace.”\n";
    let f = found(t);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].message, "Unattributed quotation");
    assert!(f[0].fixes.iter().any(|x| x.title == "Attribute to Hong"));
}

#[test]
fn settings_from_an_editor_payload() {
    let payload = serde_json::json!({
        "unattributedQuote": {
            "impliedAttribution": "warning",
            "maxShortWords": 5,
            "speechVerbs": ["bellow"]
        }
    });
    let (s, issues) = crate::config::resolve(&[payload]);
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(
        s.unattributed_quote.implied_attribution,
        ImpliedLevel::Warning
    );
    assert_eq!(s.unattributed_quote.max_short_words, 5);
    let (s, _) = crate::config::resolve(&[serde_json::json!({
        "unattributed-quote": { "implied-attribution": "off" }
    })]);
    assert_eq!(s.unattributed_quote.implied_attribution, ImpliedLevel::Off);
}

#[test]
fn range_is_mark_to_mark() {
    let t =
        "Rain fell all week.\n\n“Nobody in the valley slept for three whole nights” and more.\n";
    let f = found(t);
    assert_eq!(f.len(), 1);
    assert_eq!(
        &t[f[0].span.clone()],
        "“Nobody in the valley slept for three whole nights”"
    );
}

#[test]
fn multi_paragraph_range_is_the_first_part() {
    let t = "Rain fell all week.\n\n“We heard the first crack at ten. Nobody moved.\n\n“Then the water came through the wall.”\n";
    let f = found(t);
    assert_eq!(f.len(), 1);
    assert_eq!(
        &t[f[0].span.clone()],
        "“We heard the first crack at ten. Nobody moved."
    );
}

#[test]
fn unclosed_quotes_are_not_trusted() {
    assert_count(
        &R,
        "Rain fell.\n\n“Nobody saw the water coming until it reached the door.\n\nThe end.",
        0,
    );
}

// --- implied -------------------------------------------------------------------------------

#[test]
fn implied_by_a_single_speaker_paragraph_is_information() {
    let t = "Ferreira said applications would open next week.\n\n“Nobody should assume they are ineligible.”\n";
    assert!(found(t).is_empty(), "the newsroom convention: attributed");
    let f = found_strict(t);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Information);
    assert!(f[0].message.contains("Ferreira"), "{}", f[0].message);
}

#[test]
fn implied_severity_is_configurable() {
    let t = "Ferreira said applications would open next week.\n\n“Nobody should assume they are ineligible.”\n";
    let mut s = Settings::default();
    s.unattributed_quote.implied_attribution = ImpliedLevel::Warning;
    let f = run(&R, t, Format::Markdown, &s);
    assert_eq!(f[0].severity, Severity::Warning);
    s.unattributed_quote.implied_attribution = ImpliedLevel::Off;
    assert!(run(&R, t, Format::Markdown, &s).is_empty());
}

#[test]
fn implied_chain_of_quote_paragraphs() {
    let t = "“The pumps failed at midnight,” Ferreira said.\n\n“Nobody should assume they are safe yet.”\n\n“We will know more when the water drops.”\n";
    assert!(found(t).is_empty());
    let f = found_strict(t);
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|f| f.severity == Severity::Information));
}

#[test]
fn implied_by_an_action_beat() {
    let t = "Iguchi shakes his head. “Nobody in this city believed it could work.”";
    assert!(found(t).is_empty());
    assert_eq!(found_strict(t).len(), 1);
}

// --- fixes ---------------------------------------------------------------------------------

#[test]
fn fix_attributes_in_house_style() {
    let t = "Ferreira said applications would open next week.\n\n“Nobody should assume they are ineligible.”\n";
    assert_eq!(
        fixed_strict(t).unwrap(),
        "Ferreira said applications would open next week.\n\n“Nobody should assume they are ineligible,” Ferreira said.\n"
    );
    let t = "Ferreira said applications would open next week.\n\n‘Nobody should assume they are ineligible’.\n";
    assert_eq!(
        fixed_strict(t).unwrap(),
        "Ferreira said applications would open next week.\n\n‘Nobody should assume they are ineligible,’ Ferreira said.\n"
    );
    let t = "Ferreira said applications would open next week.\n\n“Why would anyone assume they are ineligible?”\n";
    assert_eq!(
        fixed_strict(t).unwrap(),
        "Ferreira said applications would open next week.\n\n“Why would anyone assume they are ineligible?” Ferreira said.\n"
    );
}

#[test]
fn fix_for_a_quote_inside_a_sentence() {
    // A partial quotation woven into a clause is attributed, never reported.
    let t = "Ferreira said applications would open next week.\n\nThe scheme is “the fairest we have ever run in this county” for now.\n";
    assert!(found_strict(t).is_empty());
    let doc = Document::parse(t, Format::Markdown);
    assert_eq!(explain(&doc, &strict())[0].verdict, Verdict::Attributed);
    let t = "Rain fell all week, Berg said.\n\n“He is the best skipper I have ever sailed with”\n";
    assert_eq!(
        fixed_strict(t).unwrap(),
        "Rain fell all week, Berg said.\n\n“He is the best skipper I have ever sailed with,” Berg said.\n"
    );
}

#[test]
fn fix_titles_and_snippet() {
    let t = "“The pumps failed at midnight,” said Lena Ferreira.\n\nThe mayor and the governor met at noon with Berg and Ruiz.\n\n“Nobody should assume they are safe yet.”\n";
    let f = found_strict(t);
    assert_eq!(f.len(), 1);
    let titles: Vec<&str> = f[0].fixes.iter().map(|x| x.title.as_str()).collect();
    assert!(titles.contains(&"Attribute to Ferreira"), "{titles:?}");
    assert!(titles.contains(&"Add attribution"));
    assert!(titles.contains(&"Ignore this quotation"));
    assert!(f[0].fixes.iter().all(|x| !x.snippet));
    let add = f[0]
        .fixes
        .iter()
        .find(|x| x.title == "Add attribution")
        .unwrap();
    let out = crate::analysis::apply_edits(t, &add.edits).unwrap();
    assert!(out.contains("“Nobody should assume they are safe yet,” [SPEAKER] said.\n"));
    // The placeholder cannot go to print unnoticed.
    let again = found(&out);
    assert_eq!(again.len(), 1);
    assert_eq!(
        again[0].message,
        "Attribution placeholder [SPEAKER] not replaced"
    );
}

#[test]
fn ignore_fix_suppresses() {
    let t = "Rain fell all week.\n\n“Nobody saw the water coming until it was at the door.”\n";
    let f = found(t);
    let ignore = f[0]
        .fixes
        .iter()
        .find(|x| x.title == "Ignore this quotation")
        .unwrap();
    let out = crate::analysis::apply_edits(t, &ignore.edits).unwrap();
    assert_eq!(
        out,
        "Rain fell all week.\n\n<!-- copydesk-disable-next-paragraph unattributed-quote -->\n“Nobody saw the water coming until it was at the door.”\n"
    );
    assert_count(&R, &out, 0);
}

#[test]
fn no_ignore_fix_in_plain_text() {
    let t = "Rain fell all week.\n\n“Nobody saw the water coming until it was at the door.”\n";
    let f = run(&R, t, Format::Plain, &Settings::default());
    assert_eq!(f.len(), 1);
    assert!(
        f[0].fixes
            .iter()
            .all(|x| x.title != "Ignore this quotation")
    );
}

#[test]
fn fix_for_a_multi_paragraph_quote() {
    let t = "Rain fell all week, Berg said.\n\n“We heard the first crack at ten. Nobody moved.\n\n“Then the water came.”\n";
    let f = found_strict(t);
    let fix = f[0]
        .fixes
        .iter()
        .find(|x| x.title == "Attribute to Berg")
        .unwrap();
    let out = crate::analysis::apply_edits(t, &fix.edits).unwrap();
    assert!(
        out.contains("“We heard the first crack at ten,” Berg said. “Nobody moved.\n"),
        "{out}"
    );
}

// --- robustness ----------------------------------------------------------------------------

#[test]
fn no_panic_on_odd_text() {
    for t in [
        "",
        "“",
        "”",
        "\"",
        "'",
        "“”",
        "“a”",
        "«",
        "“\n\n“",
        "“é. É",
        "\"\"\"\"",
        "said “",
        "“🙂🙂🙂 🙂 🙂.” 🙂 said",
        ":\n\n“x y z w.”",
        "- “a b c d e”\n- “f g h i j”",
        "“x y z w\n\n“",
        "a, b, “c d e f”, said",
    ] {
        let _ = found(t);
        let _ = run(&R, t, Format::Plain, &Settings::default());
    }
}

#[test]
fn large_document_is_fast() {
    let para = "The river rose all week and the council met twice. “It was worth every day of the wait, and we would do it again,” said Lena Ferreira, who runs the shelter.\n\n“Nobody should assume they are safe yet.”\n\n";
    let t = para.repeat(2500); // ~100,000 words
    let doc = Document::parse(&t, Format::Plain);
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    R.check(&doc, &strict(), &mut out);
    let took = started.elapsed();
    assert_eq!(out.len(), 2500);
    // Generous for debug builds on a busy machine; release takes a few milliseconds.
    assert!(took.as_millis() < 5000, "took {took:?}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// Any text: no panic, spans on character boundaries, every fix applies.
    #[test]
    fn arbitrary_text_is_safe(parts in proptest::collection::vec(proptest::sample::select(vec![
        "“", "”", "\"", "'", "‘", "’", "«", "»", "„", "‹", "›", " ", " ", "\n", "\n\n", ".", ",", ":",
        "?", "—", "-", "(", ")", "said", "Hong", "Lei", "she", "the mayor", "told", "according to",
        "We will win", "é", "🙂", "s", "n", "90s", "don’t", "*", "`", "<!--", "-->", "# ", "- ", "> ",
        "in a statement", "Dr.", "U.S.", "known as", "a", "Ruiz", "added", "\r\n",
    ]), 0..60)) {
        let text: String = parts.concat();
        for fmt in [Format::Markdown, Format::Plain] {
            for f in run(&R, &text, fmt, &Settings::default()) {
                proptest::prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
                for fix in &f.fixes {
                    proptest::prop_assert!(crate::analysis::apply_edits(&text, &fix.edits).is_some());
                }
            }
        }
    }
}

#[test]
fn adversarial_text_stays_linear() {
    // One giant paragraph: thousands of quotations, speech verbs, names and openers.
    let unit = "“A b c d e” Said Hong Lei Ann Bo, said, “x y z ‘w’ v” Mr A B C D E F G H said: ";
    let t = unit.repeat(3000);
    let started = std::time::Instant::now();
    let _ = run(&R, &t, Format::Plain, &Settings::default());
    let bare = "The river rose. “Nobody here has seen water like this before.” ".repeat(3000);
    assert_eq!(
        run(&R, &bare, Format::Plain, &Settings::default()).len(),
        3000
    );
    let deep = "“".repeat(5000) + &"”".repeat(5000);
    let _ = run(&R, &deep, Format::Plain, &Settings::default());
    let list = "- “Open the shelters to everyone tonight, please.”\n".repeat(3000);
    let _ = run(&R, &list, Format::Markdown, &Settings::default());
    let captions = "Photo: A. Smith.\n\n".repeat(2000)
        + "“We have never seen anything like this in forty years.”";
    let _ = run(&R, &captions, Format::Plain, &Settings::default());
    // Debug build, busy machine: a quadratic scan would take minutes here.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

// --- incremental analysis ----------------------------------------------------------------

/// The rule's findings with a memo kept across calls (suppressions applied, as `run`).
fn run_memo(text: &str, format: Format, memo: &mut RuleMemo) -> Vec<Finding> {
    let doc = Document::parse(text, format);
    let mut out = Vec::new();
    R.check_memo(&doc, &strict(), memo, &mut out);
    out.retain(|f| !doc.suppressions.is_suppressed(f.rule, f.span.start));
    out
}

fn readings() -> usize {
    para::READINGS.with(|n| n.get())
}

const STORY: &str = "# Harbour wall

The council met on Monday to discuss the harbour wall, which the January storms damaged.

“The wall will not survive another winter like the last one,” said Lena Ferreira, the harbour master.

She added that repairs would cost 4.2 million euros. “We have asked for the money twice,” she said.

“Nobody has answered our letters.”

Hong Lei, a spokesman for the ministry, told reporters: “The ministry is reviewing the request.”

The residents were not convinced.

“We have heard that before, many times over the years.”

The mayor said:

“The town will pay if the ministry does not.”

- “Open the shelters to everyone tonight, please.”
- “Keep the children indoors until the water goes down.”

“The first paragraph of a long statement that goes on and on.

“And the second paragraph of it, which ends here,” Hong said.

Hong smiled. “We will be back next season, that much I promise.”

Smoker Neil Timms, who lives by the pier, was angry. “It gets worse every single year.”

The minister, Declan Murphy, was blunt: “There is no money left in this year’s budget.”

He left. “Ask me again in the spring when the new budget is out.”
";

/// `text` with the first `from` replaced by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the text");
    text.replacen(from, to, 1)
}

#[test]
fn memo_results_equal_fresh_results_through_edits() {
    // (what, replace, with): each edit replaces the first occurrence; "" undoes them all.
    let edits: &[(&str, &str, &str)] = &[
        (
            "type a word inside a quote",
            "“The wall will not",
            "“The wall really will not",
        ),
        (
            "add an attribution",
            "our letters.”",
            "our letters,” Ferreira said.",
        ),
        (
            "remove an attribution",
            "one,” said Lena Ferreira, the harbour master.",
            "one.”",
        ),
        (
            "delete a paragraph",
            "The residents were not convinced.\n\n",
            "",
        ),
        (
            "paste a paragraph",
            "“We have heard",
            "Angela Erdmann, a resident, spoke to the council.\n\n“We have heard",
        ),
        (
            "edit the paragraph before a quote",
            "The mayor said:",
            "The mayor spoke.",
        ),
        (
            "a capital that makes a name",
            "met on Monday",
            "met the Smoker family on Monday",
        ),
        ("change who spoke last", "Hong smiled.", "Ferreira smiled."),
        (
            "a new full name before a pronoun",
            "The minister, Declan Murphy,",
            "Tom Hong, the minister,",
        ),
        (
            "paste a copy of a quote paragraph",
            "He left.",
            "“Nobody has answered our letters.”\n\nHe left.",
        ),
        (
            "break a multi-paragraph quote",
            "“And the second",
            "And the second",
        ),
        ("delete the heading", "# Harbour wall\n\n", ""),
        (
            "indent a flagged quotation",
            "\n\n“We have heard",
            "\n\n   “We have heard",
        ),
        ("undo everything", "", ""),
    ];
    for format in [Format::Markdown, Format::Plain] {
        let mut memo = RuleMemo::default();
        let mut text = STORY.to_string();
        let first = run_memo(&text, format, &mut memo);
        assert_eq!(first, run(&R, &text, format, &strict()));
        assert!(first.len() >= 3, "{first:#?}");
        let mut changed = 0;
        let mut before = first;
        for (what, from, to) in edits {
            text = if from.is_empty() {
                STORY.to_string()
            } else {
                edit(&text, from, to)
            };
            let inc = run_memo(&text, format, &mut memo);
            let fresh = run(&R, &text, format, &strict());
            assert_eq!(inc, fresh, "{format:?}, after: {what}");
            changed += usize::from(inc != before);
            before = inc;
        }
        // The edits change what is found (the test exercises the memo, not a constant).
        assert!(changed >= 6, "{changed}");
    }
}

#[test]
fn memo_findings_follow_the_line_their_quotation_starts() {
    // Nothing before the quotation names anyone: only the line's indent moves its fix.
    let mut memo = RuleMemo::default();
    for text in [
        "“Nobody has answered our letters in years, not one of them.”\n\nThe end.\n",
        "  “Nobody has answered our letters in years, not one of them.”\n\nThe end.\n",
        "Intro.\n\n “Nobody has answered our letters in years, not one of them.”\n",
        "“Nobody has answered our letters in years, not one of them.”\n\nThe end.\n",
    ] {
        let inc = run_memo(text, Format::Markdown, &mut memo);
        assert_eq!(inc.len(), 1);
        assert_eq!(inc, run(&R, text, Format::Markdown, &strict()), "{text:?}");
    }
}

#[test]
fn an_edit_reads_only_what_it_touched() {
    // Forty stories, no two paragraphs alike.
    let text: String = (0..40)
        .map(|i| STORY.replace(" the ", &format!(" the {i} ")))
        .collect();
    let mut memo = RuleMemo::default();
    let n0 = readings();
    let first = run_memo(&text, Format::Markdown, &mut memo);
    let fresh_reads = readings() - n0;
    assert!(fresh_reads > 400, "{fresh_reads}");
    // A word typed in a quotation halfway down.
    let at = text.len() / 2 + text[text.len() / 2..].find(" the ").unwrap();
    let edited = format!("{} very{}", &text[..at], &text[at..]);
    let n1 = readings();
    let inc = run_memo(&edited, Format::Markdown, &mut memo);
    let inc_reads = readings() - n1;
    assert_eq!(inc, run(&R, &edited, Format::Markdown, &strict()));
    assert!(inc_reads <= 3, "{inc_reads} paragraphs read again");
    // Back to the first version: everything is still kept.
    let n2 = readings();
    assert_eq!(run_memo(&text, Format::Markdown, &mut memo), first);
    assert!(readings() - n2 <= 3);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
    /// Random edit sequences over quotation-heavy text: the memo's findings are always a
    /// fresh analysis's.
    #[test]
    fn memo_equals_fresh_over_random_edits(
        picks in proptest::collection::vec(0..MEMO_PIECES.len(), 1..16),
        steps in proptest::collection::vec(
            (0u8..4, proptest::prelude::any::<u16>(), 0..MEMO_PIECES.len(), 0..MEMO_WORDS.len(), 1u8..60),
            1..10,
        ),
        markdown in proptest::prelude::any::<bool>(),
    ) {
        let format = if markdown { Format::Markdown } else { Format::Plain };
        let mut text: String = picks.iter().map(|&i| MEMO_PIECES[i]).collect();
        let mut memo = RuleMemo::default();
        proptest::prop_assert_eq!(
            run_memo(&text, format, &mut memo),
            run(&R, &text, format, &strict())
        );
        for (kind, at, piece, word, len) in steps {
            let mut i = text.len() * at as usize / u16::MAX as usize;
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            match kind {
                0 => text.insert_str(i, MEMO_WORDS[word]),
                1 => {
                    let mut j = (i + len as usize).min(text.len());
                    while !text.is_char_boundary(j) {
                        j -= 1;
                    }
                    text.replace_range(i..j, "");
                }
                2 => {
                    let i = text[..i].rfind('\n').map_or(0, |n| n + 1);
                    text.insert_str(i, MEMO_PIECES[piece]);
                }
                _ => {
                    // Cut the paragraph around `i`.
                    let s = text[..i].rfind("\n\n").map_or(0, |n| n + 2);
                    let e = text[i..].find("\n\n").map_or(text.len(), |n| i + n + 2);
                    text.replace_range(s..e.min(text.len()), "");
                }
            }
            let inc = run_memo(&text, format, &mut memo);
            let fresh = run(&R, &text, format, &strict());
            proptest::prop_assert_eq!(inc, fresh, "{:?}", text);
        }
    }
}

const MEMO_PIECES: &[&str] = &[
    "“The river rose faster than anyone expected,” said Okafor.\n\n",
    "“Nobody should assume they are safe yet.”\n\n",
    "The council met twice. Lena Ferreira runs the shelter by the old harbour.\n\n",
    "She smiled. “We will be back next season, that much I promise.”\n\n",
    "Hong Lei, a spokesman, said: “The ministry is reviewing it.”\n\n",
    "Hong said little. “The ministry will answer in the spring, not before.”\n\n",
    "The mayor said:\n\n",
    "- “Open the shelters to everyone tonight, please.”\n- “Keep the children indoors.”\n\n",
    "“The first paragraph of a long statement goes on.\n\n",
    "“And the second paragraph ends here,” he said.\n\n",
    "Smoker Neil Timms was angry. “It gets worse every single year, and we know it.”\n\n",
    "The Smoker family and the Timms family live by the pier.\n\n",
    "In a statement, the ministry called it “a difficult but necessary decision for everyone”.\n\n",
    "# Flood warning for “the lower town”\n\n",
    "> “A block quote that nobody attributes at all,” the sign read.\n\n",
    "Photo: A. Smith.\n\n",
    "<!-- copydesk-disable-next-paragraph unattributed-quote -->\n“Ignored quotation with no speaker here.”\n\n",
    "| a | b |\n|---|---|\n| “cell quote with words” | x |\n\n",
    "He called it ‘fair and final’ and left. ‘We are done here, all of us,’ he said.\n\n",
    "Écoutez « la voix du peuple » disait-il. 東京 “Tokyo is full this week,” she said.\n\n",
];

const MEMO_WORDS: &[&str] = &[
    " word",
    "“",
    "”",
    " said Hong",
    " Ferreira",
    " she said",
    ":",
    "\n\n",
    " Smoker",
    ".",
    "e",
];
