//! `misquote`: a quotation that matches a passage of the reporter's recordings but not word
//! for word (a changed word, an added or dropped "not", a changed number).
//!
//! The check itself is `analysis::sources` (alignment with the editor's conventions: an
//! ellipsis is an omission, `[brackets]` an insertion, fillers may go, case, punctuation,
//! quote styles, hyphenation and line breaks do not count). With `report-unsourced = true`,
//! a quotation found in no source is a hint.

use super::facts::Facts;
use super::{Rule, Settings};
use crate::analysis::document::Document;
use crate::analysis::finding::{Finding, Fix, Related, Severity};
use crate::analysis::sources::verify::{Outcome, place, speaker_name};
use serde::{Deserialize, Serialize};

pub const CODE: &str = "misquote";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct MisquoteSettings {
    pub enabled: bool,
    pub severity: Severity,
    /// Report a quotation found in no source (as a hint).
    pub report_unsourced: bool,
}

impl Default for MisquoteSettings {
    fn default() -> Self {
        MisquoteSettings {
            enabled: true,
            severity: Severity::Warning,
            report_unsourced: false,
        }
    }
}

/// At most this many differences are spelled out in a message.
const SHOWN: usize = 3;

pub struct Misquote;

impl Rule for Misquote {
    fn code(&self) -> &'static str {
        CODE
    }
    fn enabled(&self, s: &Settings) -> bool {
        s.misquote.enabled && s.sources.index().is_some()
    }
    fn check(&self, doc: &Document, s: &Settings, out: &mut Vec<Finding>) {
        self.check_facts(&Facts::fresh(doc, s).facts(), s, out)
    }
    /// Pure: the quotations checked against the sources are the engine's facts.
    fn check_facts(&self, facts: &Facts, s: &Settings, out: &mut Vec<Finding>) {
        let Some(index) = s.sources.index() else {
            return;
        };
        for c in facts.checked {
            let Some(outcome) = &c.outcome else { continue };
            let span = c.quote.span.clone();
            let base = span.start;
            match &**outcome {
                Outcome::Unsourced if s.misquote.report_unsourced => {
                    out.push(Finding::new(
                        CODE,
                        Severity::Hint,
                        span,
                        format!(
                            "Quotation not found in the sources ({} files)",
                            index.files().len()
                        ),
                    ));
                }
                Outcome::Found(v) if !v.diffs.is_empty() => {
                    let file = index.file(v.file);
                    let who = v
                        .label
                        .as_deref()
                        .map(|l| format!(", {}", speaker_name(file, l)))
                        .unwrap_or_default();
                    let mut parts: Vec<String> =
                        v.diffs.iter().take(SHOWN).map(|d| d.describe()).collect();
                    if v.diffs.len() > SHOWN {
                        parts.push(format!("and {} more differences", v.diffs.len() - SHOWN));
                    }
                    let mut f = Finding::new(
                        CODE,
                        s.misquote.severity,
                        span,
                        format!(
                            "Quotation differs from the source ({}{who}): {}",
                            place(file, v),
                            parts.join("; ")
                        ),
                    );
                    f.related.push(Related {
                        doc: Some(file.key.clone()),
                        span: v.source_span.clone(),
                        message: "What the recording has".into(),
                    });
                    let edits = v
                        .diffs
                        .iter()
                        .map(|d| {
                            let mut e = d.edit.clone();
                            e.span = e.span.start + base..e.span.end + base;
                            e
                        })
                        .collect();
                    f.fixes
                        .push(Fix::new("Use the source's wording", edits).preferred());
                    out.push(f);
                }
                _ => {}
            }
        }
    }
}

/// Hover on a quotation at `offset`: where the sources have it and who says it (none without
/// sources or outside a quotation).
pub fn hover(
    doc: &Document,
    settings: &Settings,
    offset: usize,
) -> Option<(std::ops::Range<usize>, String)> {
    let index = settings.sources.index()?;
    let quotations = super::quote::quoted_speech(doc, settings);
    crate::analysis::sources::verify::hover(doc, index, quotations, offset)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::rules::test_util::run;
    use crate::analysis::sources::{SourceIndex, Sources};
    use crate::analysis::{Format, apply_edits};
    use std::sync::Arc;

    pub const COUNCIL_VTT: &str = "WEBVTT\n\n00:41:07.000 --> 00:41:12.000\n<v Dana Whitlock>Um, we found a billion dollars in savings\nacross the departments, and we did not cut\n\n00:41:12.000 --> 00:41:15.000\n<v Dana Whitlock>a single teacher. The unions were essential to that.\n\n00:41:16.000 --> 00:41:20.000\n<v Ravi Menon>That is simply not what the auditors found last spring.\n";
    pub const MENON_TXT: &str = "# Interview with Ravi Menon, 3 May\n\n[00:02:50] INTERVIEWER: Did the council know about the shortfall?\n[00:03:12] MENON: They knew about it for months and said nothing to anyone.\n[00:03:40] INTERVIEWER: Is the plant going to close in June as planned?\n[00:03:48] MENON: I would be surprised if it closed before the end of the year.\n[00:04:10] INTERVIEWER: You said, I would be surprised if it closes before the end of the year?\n";

    pub fn settings() -> Settings {
        let ix = SourceIndex::new(
            [
                (
                    "file:///s/council-meeting.vtt",
                    "council-meeting.vtt",
                    COUNCIL_VTT,
                ),
                (
                    "file:///s/interview-menon.txt",
                    "interview-menon.txt",
                    MENON_TXT,
                ),
            ]
            .map(|(k, n, t)| (k.to_string(), n.to_string(), t.to_string())),
            1,
        );
        Settings {
            sources: Sources::new(Arc::new(ix)),
            ..Default::default()
        }
    }

    fn found(text: &str) -> Vec<Finding> {
        run(&Misquote, text, Format::Markdown, &settings())
    }

    const INTRO: &str = "Dana Whitlock chairs the council. Ravi Menon is the auditor.\n\n";

    #[test]
    fn verbatim_omission_and_brackets_are_accepted() {
        for q in [
            "“We found a billion dollars in savings across the departments,” Whitlock said.",
            "“We found a billion dollars … and we did not cut a single teacher,” Whitlock said.",
            "“[The council] found a billion dollars in savings across the departments,” Whitlock said.",
            "Whitlock said the council had “found a billion dollars in savings across the departments.”",
        ] {
            let text = format!("{INTRO}{q}\n");
            assert_eq!(found(&text), vec![], "{q}");
        }
    }

    #[test]
    fn a_changed_number_is_reported_with_the_source_and_fixed() {
        let text = format!(
            "{INTRO}“We found a million dollars in savings across the departments,” Whitlock said.\n"
        );
        let f = found(&text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].message,
            "Quotation differs from the source (council-meeting.vtt 00:41:07, Dana Whitlock): ‘million’ where the recording has ‘billion’"
        );
        assert_eq!(
            f[0].related[0].doc.as_deref(),
            Some("file:///s/council-meeting.vtt")
        );
        let fixed = apply_edits(&text, &f[0].fixes[0].edits).unwrap();
        assert!(
            fixed.contains(
                "“We found a billion dollars in savings across the departments,” Whitlock said."
            ),
            "{fixed}"
        );
    }

    #[test]
    fn an_added_or_dropped_not_is_said_first() {
        let text = format!(
            "{INTRO}“The unions were not essential to that,” Whitlock said.\n\n“That is simply what the auditors found last spring,” Menon said.\n"
        );
        let f = found(&text);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(
            f[0].message.ends_with("the recording has no ‘not’"),
            "{}",
            f[0].message
        );
        assert!(
            f[1].message
                .ends_with("the quotation leaves out the recording’s ‘not’"),
            "{}",
            f[1].message
        );
        let fixed = apply_edits(&text, &f[0].fixes[0].edits).unwrap();
        assert!(
            fixed.contains("“The unions were essential to that,”"),
            "{fixed}"
        );
        let fixed = apply_edits(&text, &f[1].fixes[0].edits).unwrap();
        assert!(
            fixed.contains("“That is simply not what the auditors found last spring,”"),
            "{fixed}"
        );
    }

    #[test]
    fn a_split_quotation_is_checked_as_one() {
        let text = format!(
            "{INTRO}“We found a billion dollars in savings,” Whitlock said. “And we did not cut a single teacher.”\n\n“We found a billion dollars in savings,” she said. “And we cut a single teacher.”\n"
        );
        let f = found(&text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .ends_with("the quotation leaves out the recording’s ‘did not’"),
            "{}",
            f[0].message
        );
        assert!(text[f[0].span.clone()].contains("And we cut"));
    }

    #[test]
    fn unsourced_quotations_only_when_asked() {
        let text = format!(
            "{INTRO}“The weather this spring has been lovely for walking,” Whitlock said.\n"
        );
        assert_eq!(found(&text), vec![]);
        let mut s = settings();
        s.misquote.report_unsourced = true;
        let f = run(&Misquote, &text, Format::Markdown, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Hint);
    }

    #[test]
    fn settings_from_copydesk_toml() {
        let v = crate::config::parse_toml(
            "[misquote]\nreport-unsourced = true\nseverity = \"error\"\n[misattribution]\nenabled = false\n[quote-sources]\npaths = [\"interviews/**/*.vtt\"]\n",
        )
        .unwrap();
        let (s, issues) = crate::config::resolve(&[v]);
        assert!(issues.is_empty(), "{issues:?}");
        assert!(s.misquote.report_unsourced);
        assert_eq!(s.misquote.severity, Severity::Error);
        assert!(!s.misattribution.enabled);
        assert_eq!(s.quote_sources.paths, ["interviews/**/*.vtt"]);
    }

    #[test]
    fn no_sources_no_findings() {
        let text = format!(
            "{INTRO}“We found a million dollars in savings across the departments,” Whitlock said.\n"
        );
        assert!(!Misquote.enabled(&Settings::default()));
        assert_eq!(
            run(&Misquote, &text, Format::Markdown, &Settings::default()),
            vec![]
        );
    }
}
