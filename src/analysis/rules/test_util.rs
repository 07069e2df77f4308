//! One-line assertions for rule tests, in the spirit of harper's `assert_lint_count` and
//! `assert_suggestion_result`: each test reads as one sentence about prose.
//!
//! ```ignore
//! assert_count(&DuplicateParagraph, "A.\n\nA.\n", 1);
//! assert_no_findings(&NameSpelling, "Ana Ferreira spoke. Ferreira left.");
//! assert_message(&NameSpelling, TEXT, "‘Fereira’ looks like a misspelling of ‘Ferreira’, …");
//! assert_suggestion_result(&NameSpelling, "…Fereira…", "…Ferreira…");
//! ```
//!
//! Drafts are markdown with default settings unless a `_with` variant is used.

use crate::analysis::{Document, Finding, Format, Rule};
use crate::config::Settings;

/// The rule's findings on `text` (suppression comments respected).
pub fn run(rule: &dyn Rule, text: &str, format: Format, settings: &Settings) -> Vec<Finding> {
    let doc = Document::parse(text, format);
    let mut out = Vec::new();
    rule.check(&doc, settings, &mut out);
    out.retain(|f| !doc.suppressions.is_suppressed(f.rule, f.span.start));
    out
}

fn found(rule: &dyn Rule, text: &str) -> Vec<Finding> {
    run(rule, text, Format::Markdown, &Settings::default())
}

fn describe(text: &str, found: &[Finding]) -> String {
    format!(
        "{:#?}",
        found
            .iter()
            .map(|f| (&text[f.span.clone()], &f.message))
            .collect::<Vec<_>>()
    )
}

/// Exactly `n` findings.
#[track_caller]
pub fn assert_count(rule: &dyn Rule, text: &str, n: usize) {
    let found = found(rule, text);
    assert_eq!(
        found.len(),
        n,
        "expected {n} finding(s) in {text:?}, got: {}",
        describe(text, &found)
    );
}

/// No finding at all (a false-alarm check).
#[track_caller]
pub fn assert_no_findings(rule: &dyn Rule, text: &str) {
    assert_count(rule, text, 0);
}

/// Some finding says exactly `message`.
#[track_caller]
pub fn assert_message(rule: &dyn Rule, text: &str, message: &str) {
    let found = found(rule, text);
    assert!(
        found.iter().any(|f| f.message == message),
        "no finding says {message:?} in {text:?}; got: {}",
        describe(text, &found)
    );
}

/// The text after applying the first (preferred if any) fix of the first finding.
pub fn fixed(rule: &dyn Rule, text: &str) -> Option<String> {
    let found = found(rule, text);
    let f = found.first()?;
    let fix = f.fixes.iter().find(|x| x.preferred).or(f.fixes.first())?;
    crate::analysis::apply_edits(text, &fix.edits)
}

/// Applying the first finding's preferred fix gives `expected` (the whole text).
#[track_caller]
pub fn assert_suggestion_result(rule: &dyn Rule, text: &str, expected: &str) {
    match fixed(rule, text) {
        Some(got) => assert_eq!(got, expected, "fixing {text:?}"),
        None => panic!(
            "no fix to apply in {text:?}; findings: {}",
            describe(text, &found(rule, text))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::duplicate::DuplicateParagraph;
    use crate::analysis::rules::names::NameSpelling;

    const P: &str =
        "The harbour board met on Tuesday and agreed to repair the north wall before winter.";

    #[test]
    fn a_repeated_paragraph_is_one_finding_and_its_fix_deletes_it() {
        let text = format!("{P}\n\nSomething else entirely, said the chair.\n\n{P}\n");
        assert_count(&DuplicateParagraph, &text, 1);
        assert_message(
            &DuplicateParagraph,
            &text,
            "Duplicate of the paragraph at line 1",
        );
        assert_suggestion_result(
            &DuplicateParagraph,
            &text,
            &format!("{P}\n\nSomething else entirely, said the chair.\n"),
        );
    }

    #[test]
    fn a_misspelled_surname_is_changed_to_the_first_spelling() {
        let text = "Mayor Teodora Vasquez spoke. Vasquez left.\n\nLater Vasques returned.\n";
        assert_suggestion_result(
            &NameSpelling,
            text,
            "Mayor Teodora Vasquez spoke. Vasquez left.\n\nLater Vasquez returned.\n",
        );
        assert_no_findings(
            &NameSpelling,
            "Mayor Teodora Vasquez spoke. Vasquez left.\n",
        );
    }

    #[test]
    #[should_panic(expected = "no finding says")]
    fn a_wrong_message_fails() {
        assert_message(
            &NameSpelling,
            "Ana Ferreira spoke. Ferreira left.\n",
            "anything",
        );
    }
}
