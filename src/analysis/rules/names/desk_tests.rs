use super::*;
use crate::analysis::{Format, analyze};

fn names(text: &str) -> Vec<DraftName> {
    analyze(text, Format::Markdown, &Settings::default())
        .names
        .to_vec()
}

/// A desk of drafts (key, text), as the workspace index keeps it (with full names).
fn desk(drafts: &[(&str, &str)]) -> Desk {
    let mut d = Desk::default();
    for (key, text) in drafts {
        let doc = Document::parse(text, Format::Markdown);
        d.set(key, &draft_names(&doc, &Settings::default()));
    }
    d
}

/// The texts the desk check flags in `text`, with the first message.
fn flagged_with(d: &Desk, text: &str, settings: &Settings) -> (Vec<String>, Vec<Finding>) {
    let own = analyze(text, Format::Markdown, settings).names;
    let found = d.check("draft.md", &own, settings);
    (
        found
            .iter()
            .map(|f| text[f.span.clone()].to_string())
            .collect(),
        found,
    )
}

fn flagged(d: &Desk, text: &str) -> Vec<String> {
    flagged_with(d, text, &Settings::default()).0
}

const MONDAY: &str = "Prime Minister Denys Shmyhal said on Monday that the grid would hold. \
                      Shmyhal spoke in Kyiv.\n\nShmyhal later met mayors.\n";
const TUESDAY: &str = "Denys Shmyhal visited Lviv on Tuesday. Officials said Shmyhal was tired.\n";
const DRAFT: &str = "Denys Shmygal will travel to Brussels. Aides said Shmygal would meet \
                     officials there.\n";

#[test]
fn a_spelling_the_desk_writes_another_way_is_flagged_with_counts_and_files() {
    let d = desk(&[("monday.md", MONDAY), ("tuesday.md", TUESDAY)]);
    let (texts, found) = flagged_with(&d, DRAFT, &Settings::default());
    assert_eq!(texts, ["Shmygal", "Shmygal"]);
    assert_eq!(
        found[0].message,
        "‘Shmygal’: the desk's other stories spell it ‘Shmyhal’ (5 times in 2 files)"
    );
    assert_eq!(found[0].severity, crate::analysis::Severity::Information);
    assert_eq!(found[0].related.len(), 2);
    assert_eq!(found[0].related[0].doc.as_deref(), Some("monday.md"));
    let titles: Vec<&str> = found[0].fixes.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Change to ‘Shmyhal’",
            "Change all 2 ‘Shmygal’ in this draft to ‘Shmyhal’",
            "Accept ‘Shmygal’ as this desk's spelling"
        ]
    );
    assert_eq!(
        crate::analysis::apply_edits(DRAFT, &found[0].fixes[1].edits).unwrap(),
        DRAFT.replace("Shmygal", "Shmyhal")
    );
    assert_eq!(
        found[0].fixes[2].settings_change,
        Some(SettingsChange::PreferName {
            variant: "Shmyhal".into(),
            preferred: "Shmygal".into()
        })
    );
}

#[test]
fn a_draft_consistent_with_itself_is_quiet_alone_but_not_on_the_desk() {
    assert!(
        crate::analysis::analyze(DRAFT, Format::Markdown, &Settings::default())
            .findings
            .is_empty()
    );
    assert_eq!(flagged(&desk(&[("monday.md", MONDAY)]), DRAFT).len(), 2);
    // Its own file on the desk does not count for it.
    let d = desk(&[("draft.md", DRAFT), ("monday.md", MONDAY)]);
    assert_eq!(flagged(&d, DRAFT).len(), 2);
}

#[test]
fn the_house_style_overrides_the_desk_majority() {
    let d = desk(&[("monday.md", MONDAY), ("tuesday.md", TUESDAY)]);
    let mut s = Settings::default();
    s.names
        .prefer
        .insert("Shmyhal".to_string(), "Shmygal".to_string());
    assert!(flagged_with(&d, DRAFT, &s).0.is_empty());
    let mut s = Settings::default();
    s.names.accept.push("Shmygal".into());
    assert!(flagged_with(&d, DRAFT, &s).0.is_empty());
    let mut s = Settings::default();
    s.name_spelling.cross_document = false;
    assert!(flagged_with(&d, DRAFT, &s).0.is_empty());
}

#[test]
fn a_minority_spelling_on_the_desk_does_not_win() {
    // The draft's spelling is the desk's majority: nothing to say.
    let d = desk(&[("draft2.md", DRAFT), ("tuesday.md", TUESDAY)]);
    let more = format!("{DRAFT}\nShmygal left at noon.\n");
    assert!(flagged(&d, &more).is_empty(), "{:?}", flagged(&d, &more));
}

#[test]
fn two_people_with_related_names_are_two_people() {
    let d = desk(&[(
        "summit.md",
        "Mikhail Gorbachev met the president. Gorbachev smiled. Later Gorbachev left.\n",
    )]);
    assert!(flagged(&d, "Raisa Gorbacheva visited a school. Gorbacheva spoke.\n").is_empty());
    // Different given names on both sides: two people, however alike the surnames.
    let d = desk(&[(
        "a.md",
        "Lawyer John Stewart argued the case. Stewart won. Stewart left.\n",
    )]);
    assert!(flagged(&d, "Singer Rod Stuart sang. Stuart bowed.\n").is_empty());
}

#[test]
fn a_draft_that_uses_both_spellings_is_left_to_its_own_findings() {
    let d = desk(&[("monday.md", MONDAY)]);
    let both = "Denys Shmyhal said the grid would hold. Later Shmygal said more.\n";
    assert!(flagged(&d, both).is_empty());
}

#[test]
fn the_desk_follows_a_draft_that_changes() {
    let mut d = desk(&[("monday.md", MONDAY)]);
    assert_eq!(flagged(&d, DRAFT).len(), 2);
    d.set("monday.md", &names(&MONDAY.replace("Shmyhal", "Shmygal")));
    assert!(flagged(&d, DRAFT).is_empty());
    d.set("monday.md", &names(MONDAY));
    assert_eq!(flagged(&d, DRAFT).len(), 2);
    d.set("monday.md", &[]);
    assert_eq!(d.docs(), 0);
    assert!(flagged(&d, DRAFT).is_empty());
}

#[test]
fn case_and_accents_across_the_desk() {
    let d = desk(&[(
        "a.md",
        "Gov. Ron DeSantis signed the bill. DeSantis smiled.\n\nDeSantis left.\n",
    )]);
    assert_eq!(
        flagged(&d, "Ron Desantis spoke. Aides said Desantis would sign.\n"),
        ["Desantis", "Desantis"]
    );
}

#[test]
fn the_style_sheet_groups_the_desk_spellings_and_marks_the_choice() {
    let d = desk(&[
        ("monday.md", MONDAY),
        ("tuesday.md", TUESDAY),
        ("draft.md", DRAFT),
    ]);
    let sheet = d.style_sheet(&Settings::default());
    let e = &sheet[0];
    assert_eq!(e.name, "Denys Shmyhal");
    assert_eq!(e.canonical, "Shmyhal");
    let sp: Vec<(&str, u32, bool)> = e
        .spellings
        .iter()
        .map(|s| (s.text.as_str(), s.count, s.canonical))
        .collect();
    assert_eq!(sp, [("Shmyhal", 5, true), ("Shmygal", 2, false)]);
    assert_eq!(e.spellings[1].files, ["draft.md"]);
    // One spelling each below.
    assert!(sheet[1..].iter().all(|e| e.spellings.len() == 1));
    let mut s = Settings::default();
    s.names
        .prefer
        .insert("Shmyhal".to_string(), "Shmygal".to_string());
    let e = &d.style_sheet(&s)[0];
    assert_eq!((e.canonical.as_str(), e.house_style), ("Shmygal", true));
}

#[test]
fn a_bare_name_says_nothing_across_stories() {
    let d = desk(&[
        ("a.md", "Coach José Mourinho spoke. Mourinho left.\n"),
        (
            "b.md",
            "Oscar José Santos, 19, marched. Santos was tired.\n",
        ),
    ]);
    assert!(flagged(&d, "The science meeting in San Jose ended on Sunday.\n").is_empty());
    assert!(flagged(&d, "Jose later said it was over.\n").is_empty());
    // With the same given name it is one person.
    assert_eq!(flagged(&d, "Coach Jose Mourinho said nothing.\n"), ["Jose"]);
}

#[test]
fn of_two_drafts_that_disagree_only_the_minority_is_told() {
    let a = "Ms Siobhán Kelly spoke. Siobhán smiled. Later Siobhán Kelly left.\n";
    let b = "Ms Siobhan Kelly spoke on Friday.\n";
    let d = desk(&[("a.md", a), ("b.md", b)]);
    let own = |t: &str| analyze(t, Format::Markdown, &Settings::default()).names;
    assert!(d.check("a.md", &own(a), &Settings::default()).is_empty());
    assert_eq!(d.check("b.md", &own(b), &Settings::default()).len(), 1);
}

const VILNIUS: &str = "VILNIUS — Sviatlana Tsikhanouskaya spoke on Saturday. \
                       Tsikhanouskaya said the movement would go on.\n";
const WARSAW: &str = "In Warsaw, Sviatlana Tsikhanouskaya met ministers. Aides said \
                      Tsikhanouskaya would return.\n";
const RUSSIAN: &str = "Svetlana Tikhanovskaya will travel to Brussels. Aides said \
                       Tikhanovskaya would meet officials there.\n";

#[test]
fn a_whole_name_the_desk_writes_another_way_is_one_finding() {
    let d = desk(&[("vilnius.md", VILNIUS), ("warsaw.md", WARSAW)]);
    let (texts, found) = flagged_with(&d, RUSSIAN, &Settings::default());
    assert_eq!(
        texts,
        ["Svetlana Tikhanovskaya", "Tikhanovskaya"],
        "{:#?}",
        found.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    assert_eq!(
        found[0].message,
        "‘Svetlana Tikhanovskaya’: the desk's other stories spell it ‘Sviatlana Tsikhanouskaya’ \
         (2 times in 2 files)"
    );
    assert_eq!(
        found[0].fixes[0].title,
        "Change to ‘Sviatlana Tsikhanouskaya’"
    );
    let fixed = crate::analysis::apply_edits(RUSSIAN, &found[0].fixes[0].edits).unwrap();
    assert!(
        fixed.starts_with("Sviatlana Tsikhanouskaya will travel"),
        "{fixed}"
    );
    // "Change all" changes every use of both words, the bare surname too.
    assert_eq!(
        found[0].fixes[1].title,
        "Change all 3 uses of ‘Svetlana’ and ‘Tikhanovskaya’ in this draft to the desk's spelling"
    );
    let all = crate::analysis::apply_edits(RUSSIAN, &found[0].fixes[1].edits).unwrap();
    assert_eq!(
        all,
        "Sviatlana Tsikhanouskaya will travel to Brussels. Aides said \
         Tsikhanouskaya would meet officials there.\n"
    );
    // The bare surname keeps its own finding, with the surname's counts.
    assert_eq!(
        found[1].message,
        "‘Tikhanovskaya’: the desk's other stories spell it ‘Tsikhanouskaya’ (4 times in 2 files)"
    );
}

const LIBYA: &str = "Muammar Gaddafi ruled Libya for four decades. Gaddafi died in 2011.\n";

/// One change of the desk, the draft's text or the settings.
type Step = dyn Fn(&mut Desk, &mut String, &mut Settings);

/// [`Desk::check_with`] with one memo across edits of a draft, changes of the desk and of the
/// settings gives exactly what a fresh [`Desk::check`] gives at every step.
#[test]
fn the_memo_gives_exactly_the_checks_findings_across_edits_desk_and_settings() {
    let mut d = desk(&[
        ("monday.md", MONDAY),
        ("tuesday.md", TUESDAY),
        ("vilnius.md", VILNIUS),
        ("warsaw.md", WARSAW),
        ("libya-1.md", LIBYA),
        ("libya-2.md", LIBYA),
    ]);
    let mut s = Settings::default();
    let mut text = format!("{DRAFT}\n{RUSSIAN}\nMuammar Qaddafi was mentioned. Qaddafi again.\n");
    // The draft's saved copy is on the desk too (the server's index holds it).
    d.set("draft.md", &names(&text));
    let mut memo = DeskMemo::default();
    let (mut total, mut whole) = (0, 0);
    let steps: [&Step; 17] = [
        // No name changes: words before, between and after the names.
        &|_, t, _| t.insert_str(0, "A new opening. "),
        &|_, t, _| *t = t.replacen("Brussels.", "Brussels on Friday.", 1),
        &|_, t, _| t.push_str("\nThe meeting ran late.\n"),
        // A name used once more; a partner changes (another given name with the surname).
        &|_, t, _| t.push_str("\nShmygal said so again.\n"),
        &|_, t, _| *t = t.replacen("Denys Shmygal", "Oleh Shmygal", 1),
        &|_, t, _| *t = t.replacen("Oleh Shmygal", "Denys Shmygal", 1),
        // As many files on both sides: the counts decide (2 Gaddafi, 2 then 1 Qaddafi).
        &|d, _, _| d.set("libya-2.md", &[]),
        &|_, t, _| *t = t.replacen("Qaddafi again.", "once.", 1),
        &|_, t, _| *t = t.replacen("once.", "Qaddafi again.", 1),
        // The desk changes: a draft back, one added, the draft's own copy saved.
        &|d, _, _| d.set("libya-2.md", &names(LIBYA)),
        &|d, _, _| d.set("kyiv.md", &names("Denys Shmygal spoke. Shmygal left.\n")),
        &|d, t, _| d.set("draft.md", &names(t)),
        // The draft writes both spellings: its own findings deal with it.
        &|_, t, _| *t = t.replacen("Aides said Shmygal", "Aides said Shmyhal", 1),
        // The settings change.
        &|_, _, s| s.names.accept.push("Gaddafi".into()),
        &|_, _, s| {
            s.names.prefer.insert("Shmyhal".into(), "Shmygal".into());
        },
        &|_, _, s| s.name_spelling.fuzzy = false,
        &|_, _, s| *s = Settings::default(),
    ];
    for (i, step) in steps.iter().chain(steps.iter()).enumerate() {
        let own = names(&text);
        let want = d.check("draft.md", &own, &s);
        assert_eq!(
            d.check_with("draft.md", &own, &s, &mut memo),
            want,
            "step {i}"
        );
        // Again, now all from the memo.
        assert_eq!(
            d.check_with("draft.md", &own, &s, &mut memo),
            want,
            "step {i}"
        );
        total += want.len();
        whole += want
            .iter()
            .filter(|f| f.message.starts_with("‘Svetlana Tikhanovskaya’"))
            .count();
        step(&mut d, &mut text, &mut s);
    }
    assert!(
        total >= 40,
        "the desk disagreed too rarely to test ({total})"
    );
    assert!(whole >= 4, "no whole-name findings to test ({whole})");
}

/// The memo is what answers a second check, and it is forgotten when the desk changes.
#[test]
fn the_memo_answers_until_the_desk_changes() {
    let mut d = desk(&[("monday.md", MONDAY), ("tuesday.md", TUESDAY)]);
    let s = Settings::default();
    let own = names(DRAFT);
    let mut memo = DeskMemo::default();
    let want = d.check("draft.md", &own, &s);
    assert_eq!(want.len(), 2);
    assert_eq!(d.check_with("draft.md", &own, &s, &mut memo), want);
    // Tamper with what it remembers: the next check believes it.
    for r in memo.names.values_mut() {
        r.rivals.clear();
    }
    assert!(d.check_with("draft.md", &own, &s, &mut memo).is_empty());
    // Another draft saved: the desk changed, the memo is not used.
    d.set(
        "other.md",
        &names("Mayor Anna Lindqvist opened the harbour.\n"),
    );
    assert_eq!(d.check_with("draft.md", &own, &s, &mut memo), want);
    // Nor for another draft.
    for r in memo.names.values_mut() {
        r.rivals.clear();
    }
    assert_eq!(d.check_with("draft-2.md", &own, &s, &mut memo), want);
}
