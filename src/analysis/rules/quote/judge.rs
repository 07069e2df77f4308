//! Steps 3 to 8 of the attribution model (`docs/rules.md`) for a quotation with no cue in its
//! own sentence: who a reader would take for the speaker, and whether more than one person
//! fits.

use super::{Call, Checker, PLACEHOLDER_WORD, SUBJECT_OF_SENTENCE, same_mention, same_person};
use crate::analysis::lang::lexicon;
use crate::analysis::lang::speech::{Cue, Name, Who};

/// At most this many candidates are named in one message ("Raman, Whitcombe or Keane?").
const MAX_NAMED: usize = 4;

impl Checker<'_, '_> {
    /// Steps 4 and 5 for a quotation with no cue in its own sentence (see `docs/rules.md`,
    /// "The attribution model"): who a reader would take for the speaker, and whether more
    /// than one person fits.
    pub(super) fn judge(
        &mut self,
        id: usize,
        pi: usize,
        last_quoted: Option<&Cue>,
        recent: Option<Cue>,
        decided: &[Option<Cue>],
        capitals: &mut lexicon::KeySet,
    ) -> Call {
        match self.judge_before(id, pi, last_quoted, recent, decided, capitals) {
            Call::Nobody => self.attributed_after(pi, capitals).unwrap_or(Call::Nobody),
            call => call,
        }
    }

    /// "That was how Quinn described the night.": the paragraph after names the speaker of
    /// the quotation paragraph before it.
    fn attributed_after(&mut self, pi: usize, capitals: &mut lexicon::KeySet) -> Option<Call> {
        let np = (pi + 1..self.doc.paragraphs.len().min(pi + 3))
            .find(|&k| !self.is_comment(k) && !self.facts[k].caption)?;
        if !self.facts[np].prose {
            return None;
        }
        let prose = self.doc.prose_of(&self.doc.paragraphs[np]);
        let head: String = prose
            .trim_start()
            .chars()
            .take(40)
            .collect::<String>()
            .to_lowercase();
        const OPENERS: &[&str] = &[
            "that was how ",
            "that is how ",
            "this was how ",
            "so said ",
            "those were the words of ",
        ];
        if !OPENERS.iter().any(|o| head.starts_with(o)) {
            return None;
        }
        self.relevant[np] = true;
        self.ensure_read(np, capitals);
        let c = self.single_speaker(np)?;
        c.who
            .named()
            .then_some(Call::Carried(c, "named by the paragraph after"))
    }

    fn judge_before(
        &mut self,
        id: usize,
        pi: usize,
        last_quoted: Option<&Cue>,
        recent: Option<Cue>,
        decided: &[Option<Cue>],
        capitals: &mut lexicon::KeySet,
    ) -> Call {
        let q = &self.quotes[id];
        // Only people who speak somewhere in the document are candidates.
        let all = q.persons.clone();
        // People, not fragments, titles or places: shown to be a person, or speaking somewhere.
        let persons: Vec<Name> = all
            .into_iter()
            .filter(|(n, evident)| *evident || self.speaks(n))
            .map(|(n, _)| n)
            .collect();
        let q = &self.quotes[id];
        // The last person quoted, when their quotation is in this paragraph or the one before
        // and nobody else has been named since.
        // The last person quoted, when their quotation is in this paragraph or the one before:
        // still the speaker unless someone else who speaks has been named since.
        let last_named = q.last_named.clone();
        let rival = match (recent.as_ref().map(|c| &c.who), &last_named) {
            (Some(Who::Name(a)), Some(b)) if !same_mention(a, b) && !b.org && self.speaks(b) => {
                Some(b.clone())
            }
            _ => None,
        };
        let q = &self.quotes[id];
        let last_recent: Option<Call> = recent.map(|c| match rival {
            Some(b) => Call::Ambiguous(vec![c.who.clone(), Who::Name(b)]),
            None => Call::Carried(c, "the last person quoted"),
        });
        let opens = q.opens_paragraph;
        let nearby = q.nearby.clone();
        // A partial quotation woven into a clause belongs to the clause's subject.
        if let Some((cue, why)) = &nearby
            && *why == SUBJECT_OF_SENTENCE
        {
            return Call::Woven(cue.clone());
        }
        // The sentence before (a speech act or a beat), or a speaker earlier in the
        // paragraph: one person, unless the sentence before names someone else too.
        if let Some((cue, why)) = nearby {
            let others: Vec<&Name> = persons
                .iter()
                .filter(|n| !matches!(&cue.who, Who::Name(m) if same_mention(m, n)))
                .collect();
            return match (&cue.who, others.first()) {
                (Who::Name(_) | Who::Noun(_), None) => Call::Carried(cue, why),
                (Who::Name(_) | Who::Noun(_), Some(o)) => {
                    Call::Ambiguous(vec![cue.who.clone(), Who::Name((*o).clone())])
                }
                // An unresolved pronoun: the people named are the candidates.
                (_, _) => match persons.len() {
                    0 => Call::Carried(cue, why),
                    1 => Call::Carried(Cue::new(Who::Name(persons[0].clone()), cue.span), why),
                    _ => Call::Ambiguous(
                        persons
                            .iter()
                            .take(MAX_NAMED)
                            .cloned()
                            .map(Who::Name)
                            .collect(),
                    ),
                },
            };
        }
        if persons.len() >= 2 {
            return Call::Ambiguous(
                persons
                    .iter()
                    .take(MAX_NAMED)
                    .cloned()
                    .map(Who::Name)
                    .collect(),
            );
        }
        if persons.len() == 1 {
            let n = persons[0].clone();
            return Call::Carried(
                Cue::new(Who::Name(n), q.raw.open.clone()),
                "the person the sentence before is about",
            );
        }
        if !opens {
            // Narration before it in its own paragraph: the last person quoted, if recent.
            if self.woven(id) {
                return Call::Woven(Cue::new(Who::Unknown, self.quotes[id].raw.open.clone()));
            }
            return last_recent.unwrap_or(Call::Nobody);
        }
        let Some(pp) = self.prev_para(pi) else {
            return Call::Nobody;
        };
        if !self.facts[pp].prose {
            return Call::Nobody;
        }
        if let Some(c) = self.continued_speaker(pp, decided) {
            return Call::Carried(c, "quoted at the end of the paragraph before");
        }
        self.ensure_read(pp, capitals);
        if let Some(c) = self.single_speaker(pp) {
            // A change of quoted speaker is attributed explicitly.
            let differ = |a: &Who, b: &Who| match (a, b) {
                (Who::Name(a), Who::Name(b)) => !same_person(a, b),
                (Who::Noun(a), Who::Noun(b)) => a != b,
                (Who::Name(_), Who::Noun(_)) | (Who::Noun(_), Who::Name(_)) => true,
                _ => false,
            };
            // (Only while that quotation is still in the reader's ear: in the paragraph
            // before or the one before that. "… said Charles. ¶ A decree … ¶ Crowds … ¶
            // Surloff was delighted … ¶ “…”" is Surloff's.)
            let before = self.prev_para(pp);
            let recent = |c: &Cue| {
                let at = self.para_at(c.span.start);
                at == Some(pp)
                    || at.is_some() && at == before
                    || [Some(pp), before].into_iter().flatten().any(|k| {
                        self.facts[k]
                            .speakers
                            .iter()
                            .any(|s| !differ(&s.who, &c.who))
                    })
            };
            if let Some(last) = last_quoted
                && differ(&last.who, &c.who)
                && recent(last)
            {
                return Call::Ambiguous(vec![last.who.clone(), c.who.clone()]);
            }
            return Call::Carried(c, "the speaker of the paragraph before");
        }
        let mut named: Vec<Who> = Vec::new();
        for c in self.facts[pp].speakers.iter().rev() {
            if let Who::Name(n) = &c.who
                && !named
                    .iter()
                    .any(|w| matches!(w, Who::Name(m) if same_person(m, n)))
            {
                named.push(c.who.clone());
            }
        }
        if named.len() >= 2 {
            named.truncate(MAX_NAMED);
            named.reverse();
            return Call::Ambiguous(named);
        }
        last_recent.unwrap_or(Call::Nobody)
    }

    /// The paragraph holding byte `at`.
    fn para_at(&self, at: usize) -> Option<usize> {
        let ps = &self.doc.paragraphs;
        let k = ps.partition_point(|p| p.span.start <= at);
        (k > 0 && ps[k - 1].span.contains(&at)).then(|| k - 1)
    }

    /// A partial quotation inside a sentence: it starts in lower case after a word or a comma
    /// ("may not “conflict with the linguistic structure”").
    pub(super) fn woven(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        let t = self.doc.text;
        let before = t[..q.raw.open.start].trim_end().chars().next_back();
        before.is_some_and(|c| c.is_alphanumeric() || c == ',') && self.starts_lower(id)
    }

    /// The quoted words start in lower case: a partial quotation.
    pub(super) fn starts_lower(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        self.doc.text[q.raw.open.end..q.end]
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_lowercase)
    }

    /// Does this person speak somewhere in the document (shares a word with a speaker of a
    /// paragraph read, as [`same_person`] compares)?
    pub(super) fn speaks(&mut self, n: &Name) -> bool {
        if self.speaking.is_none() {
            let mut set = lexicon::KeySet::default();
            for f in &self.facts {
                for c in &f.speakers {
                    if let Who::Name(m) = &c.who {
                        set.extend(m.full.split(' ').map(lexicon::key_lower));
                    }
                }
            }
            self.speaking = Some(set);
        }
        let set = self.speaking.as_ref().expect("filled above");
        n.full.split(' ').any(|w| {
            !lexicon::with_lower(w, lexicon::is_title) && set.contains(&lexicon::key_lower(w))
        })
    }

    /// The placeholder right after the quotation's closing mark: `“…,” [SPEAKER] said.`
    pub(super) fn placeholder_after(&self, id: usize) -> bool {
        let q = &self.quotes[id];
        let pe = self.doc.paragraphs[q.para].span.end;
        let t = self.doc.text;
        let after = &t[q.end.min(pe)..pe];
        after
            .trim_start()
            .starts_with(&format!("[{PLACEHOLDER_WORD}]"))
    }

    /// "[SPEAKER] said": the placeholder the "Add attribution" fix inserts.
    pub(super) fn is_placeholder(&self, c: &Cue) -> bool {
        let t = self.doc.text;
        t.get(c.span.clone()).is_some_and(|w| w == PLACEHOLDER_WORD)
            && t[..c.span.start].ends_with('[')
    }
}
