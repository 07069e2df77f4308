//! `misattribution`: a quotation found in the recordings in the words of someone other than
//! the person the draft gives it to ("Attributed to Whitlock, but the recording has Ravi
//! Menon saying it"). Silent when the draft's speaker is unknown, when the transcript's
//! label does not say who it is ("Speaker 2"), and when the passage is in several speakers'
//! turns; when the same words are in the recordings twice, the draft's speaker's turn wins.

use super::facts::Facts;
use super::{Rule, Settings};
use crate::analysis::document::Document;
use crate::analysis::finding::{Finding, Related, Severity};
use crate::analysis::sources::verify::{Outcome, place, speaker_name};
use serde::{Deserialize, Serialize};

pub const CODE: &str = "misattribution";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct MisattributionSettings {
    pub enabled: bool,
    pub severity: Severity,
}

impl Default for MisattributionSettings {
    fn default() -> Self {
        MisattributionSettings {
            enabled: true,
            severity: Severity::Warning,
        }
    }
}

pub struct Misattribution;

impl Rule for Misattribution {
    fn code(&self) -> &'static str {
        CODE
    }
    fn enabled(&self, s: &Settings) -> bool {
        s.misattribution.enabled && s.sources.index().is_some()
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
            let (Some(outcome), Some(speaker)) = (&c.outcome, &c.quote.speaker) else {
                continue;
            };
            let Outcome::Found(v) = &**outcome else {
                continue;
            };
            let (Some(false), Some(label)) = (v.same_speaker, &v.label) else {
                continue;
            };
            let file = index.file(v.file);
            let who = speaker_name(file, label);
            let mut f = Finding::new(
                CODE,
                s.misattribution.severity,
                c.quote.span.clone(),
                format!(
                    "Attributed to {}, but the recording has {who} saying it ({})",
                    speaker.name,
                    place(file, v)
                ),
            );
            f.related.push(Related {
                doc: Some(file.key.clone()),
                span: v.source_span.clone(),
                message: format!("{who} says it here"),
            });
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Format;
    use crate::analysis::rules::misquote::tests::settings;
    use crate::analysis::rules::test_util::run;

    fn found(text: &str) -> Vec<String> {
        run(&Misattribution, text, Format::Markdown, &settings())
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    const INTRO: &str = "Dana Whitlock chairs the council. Ravi Menon is the auditor.\n\n";

    #[test]
    fn another_speakers_words() {
        let text = format!(
            "{INTRO}“That is simply not what the auditors found last spring,” Whitlock said.\n"
        );
        assert_eq!(
            found(&text),
            [
                "Attributed to Whitlock, but the recording has Ravi Menon saying it (council-meeting.vtt 00:41:16)"
            ]
        );
    }

    #[test]
    fn the_interviewers_question() {
        let text =
            format!("{INTRO}“Is the plant going to close in June as planned?” Menon asked.\n");
        assert_eq!(
            found(&text),
            [
                "Attributed to Menon, but the recording has the interviewer saying it (interview-menon.txt 00:03:40)"
            ]
        );
    }

    #[test]
    fn the_right_speaker_or_an_unknown_one_is_left_alone() {
        for q in [
            "“They knew about it for months and said nothing,” Menon said.",
            "“We found a billion dollars in savings across the departments,” Whitlock said.",
            "The hall fell silent.\n\n“They knew about it for months and said nothing.”",
            "“They knew about it for months and said nothing,” a council member said.",
            // The interviewer repeats Menon's words back to him: they are still Menon's.
            "“I would be surprised if it closes before the end of the year,” Menon said.",
        ] {
            let text = format!("{INTRO}{q}\n");
            assert_eq!(found(&text), Vec::<String>::new(), "{q}");
        }
    }
}
