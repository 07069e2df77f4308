//! The last report of a document, moved to a new version of the text instead of written again.
//!
//! A keystroke seldom touches a name. When the analysis itself was reused (the same names in
//! the same places, [`super::NameAnalysis::analyse`]), the findings and the desk's name
//! spellings are a function of the analysis, the name words (their spans and attributes) and
//! the text of the spans they cover. So when
//! - the edit (the one region where the old and new texts differ) lies outside every span of
//!   the last report (findings, related locations, fix edits, the desk's spellings),
//! - every word of every mention, and the two words after each that may continue it, is the
//!   same but for its offset, moved by the edit (other words may come and go),
//! - the text has as many lines as before (messages and the desk names' line numbers), and
//! - the edit writes or unwrites no use of a full name a whole-name finding counts (those
//!   search the whole text),
//!
//! the last report, with offsets after the edit moved by its length, is exactly what writing
//! it again gives (tested below against fresh analyses).

use super::NameSettings;
use super::desk::DraftName;
use super::extract::{Mention, Word};
use crate::analysis::Finding;
use crate::config::HouseNames;
use std::ops::Range;
use std::sync::Arc;

/// What the rule reported for one version of the document.
pub(super) struct Report {
    /// The settings it was made with (severity, fuzzy, house style, desk).
    pub key: (NameSettings, HouseNames),
    pub text: String,
    /// The number of the text's last line (line numbers in messages).
    pub lines: usize,
    /// The words the findings read: [`marks`].
    pub marks: Vec<Mark>,
    pub prefer: Vec<Range<usize>>,
    pub findings: Vec<Finding>,
    pub desk: Arc<Vec<DraftName>>,
}

/// The one region where two texts differ: `old[at..old_end]` became `new[at..new_end]`.
#[derive(Clone, Copy, Debug)]
struct Change {
    at: usize,
    old_end: usize,
    new_end: usize,
}

impl Change {
    fn between(old: &str, new: &str) -> Change {
        let (o, n) = (old.as_bytes(), new.as_bytes());
        let mut at = o.iter().zip(n).take_while(|(a, b)| a == b).count();
        while !old.is_char_boundary(at) || !new.is_char_boundary(at) {
            at -= 1;
        }
        let max = o.len().min(n.len()) - at;
        let mut tail = o
            .iter()
            .rev()
            .zip(n.iter().rev())
            .take(max)
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(o.len() - tail) || !new.is_char_boundary(n.len() - tail) {
            tail -= 1;
        }
        Change {
            at,
            old_end: o.len() - tail,
            new_end: n.len() - tail,
        }
    }

    /// Where an old span is now, if the edit left its text alone.
    fn moved(&self, s: &Range<usize>) -> Option<Range<usize>> {
        if s.end <= self.at {
            Some(s.clone())
        } else if s.start >= self.old_end && (s.start > self.at || self.old_end > self.at) {
            let d = |x: usize| x + self.new_end - self.old_end;
            Some(d(s.start)..d(s.end))
        } else {
            None
        }
    }

    fn shift(&self, s: &mut Range<usize>) -> bool {
        match self.moved(s) {
            Some(m) => {
                *s = m;
                true
            }
            None => false,
        }
    }
}

/// A word of a mention (or one of the two after it) as the findings read it: its span, what
/// it is, and the length of its mention (on the mention's first word, else 0).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Mark {
    span: Range<usize>,
    what: (super::Kind, [bool; 7], u64),
    mention_len: usize,
}

/// The words of each mention and the two words after it in its paragraph, in order.
pub(super) fn marks(words: &[Word], mentions: &[Mention]) -> Vec<Mark> {
    let mut out = Vec::new();
    for m in mentions {
        let r = m.words.clone();
        let para = words[r.start].para;
        for (j, w) in words[r.start..(r.end + 2).min(words.len())]
            .iter()
            .enumerate()
            .take_while(|(_, w)| w.para == para)
        {
            out.push(Mark {
                span: w.span.clone(),
                what: (
                    w.kind,
                    [
                        w.possessive,
                        w.initial,
                        w.plain_gap,
                        w.title_case,
                        w.tail,
                        w.det,
                        j >= r.len(),
                    ],
                    w.lh,
                ),
                mention_len: if j == 0 { r.len() } else { 0 },
            });
        }
    }
    out
}

/// Are `new` the `old` marks, each moved by the change?
fn same_marks(c: &Change, old: &[Mark], new: &[Mark]) -> bool {
    old.len() == new.len()
        && old.iter().zip(new).all(|(o, n)| {
            c.moved(&o.span).as_ref() == Some(&n.span)
                && o.what == n.what
                && o.mention_len == n.mention_len
        })
}

/// Widen `r` by `by` bytes each way within `s`, on character boundaries.
fn around(s: &str, r: Range<usize>, by: usize) -> &str {
    let mut a = r.start.saturating_sub(by);
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (r.end + by).min(s.len());
    while !s.is_char_boundary(b) {
        b += 1;
    }
    &s[a..b]
}

impl Report {
    /// The report moved to `text`, whose analysis was the reused one of `self.text` and whose
    /// name words, mentions and house-style hits are these; `None` when it must be made again.
    pub fn moved_to(
        &self,
        key: &(NameSettings, HouseNames),
        text: &str,
        lines: usize,
        marks: &[Mark],
        prefer: &[Range<usize>],
    ) -> Option<(Vec<Finding>, Arc<Vec<DraftName>>)> {
        if *key != self.key || text.len().abs_diff(self.text.len()) > 4096 {
            return None;
        }
        let c = Change::between(&self.text, text);
        // The same number of lines: as the texts agree before and after the edit, every
        // position outside it keeps its line number (counting bytes would not do: typing
        // between `\r` and `\n` makes two line breaks of one).
        if lines != self.lines
            || !same_marks(&c, &self.marks, marks)
            || prefer.len() != self.prefer.len()
            || prefer
                .iter()
                .zip(&self.prefer)
                .any(|(p, o)| c.moved(o).as_ref() != Some(p))
        {
            return None;
        }
        // A whole-name finding counts the uses of the full name in the whole text
        // (`whole::find_words`): the edit must not write or unwrite one. (Text outside the
        // windows is the same in both versions; a use reaching out of its window would need
        // hundreds of bytes of whitespace inside one name.)
        let removed = around(&self.text, c.at..c.old_end, 256);
        let inserted = around(text, c.at..c.new_end, 256);
        for f in &self.findings {
            for e in f.fixes.iter().flat_map(|x| &x.edits) {
                if !e.replacement.contains(char::is_whitespace) {
                    continue;
                }
                let name = super::collapse_space(&e.replacement);
                if super::whole::find_words(removed, &name).len()
                    != super::whole::find_words(inserted, &name).len()
                {
                    return None;
                }
            }
        }
        let mut findings = self.findings.clone();
        for f in &mut findings {
            let ok = c.shift(&mut f.span)
                && f.related.iter_mut().all(|r| c.shift(&mut r.span))
                && f.fixes
                    .iter_mut()
                    .flat_map(|x| &mut x.edits)
                    .all(|e| c.shift(&mut e.span));
            if !ok {
                return None;
            }
        }
        let desk = if self.desk.is_empty() {
            self.desk.clone()
        } else {
            let mut desk = (*self.desk).clone();
            for d in &mut desk {
                if !d.spans.iter_mut().all(|s| c.shift(s)) {
                    return None;
                }
            }
            Arc::new(desk)
        };
        Some((findings, desk))
    }
}

#[cfg(test)]
mod tests {
    use super::super::NameSpelling;
    use crate::analysis::rules::{Rule, RuleMemo};
    use crate::analysis::{Document, Finding, Format};
    use crate::config::Settings;

    fn run(rule: &NameSpelling, text: &str, memo: Option<&mut RuleMemo>) -> Vec<Finding> {
        let doc = Document::parse(text, Format::Markdown);
        let settings = Settings::default();
        let mut out = Vec::new();
        match memo {
            Some(m) => rule.check_memo(&doc, &settings, m, &mut out),
            None => rule.check(&doc, &settings, &mut out),
        }
        out
    }

    /// Edits around, between and inside names (the same ones each time), with and without
    /// line breaks: each version reported with the memo exactly as without it, and the memo
    /// really moved the last report on the edits that leave the names alone.
    #[test]
    fn a_moved_report_is_the_report_written_again() {
        let base = "Sviatlana Tsikhanouskaya spoke in Vilnius on Monday.\n\n\
            Supporters of Tsikhanouskaya waved flags, and Omar Shafik Hammami watched.\n\n\
            Later, Tsikhanovskaya told reporters that Omar Hammami was “an old friend”.\n\n\
            Hammami did not comment. The meeting ended at noon.\n\n\
            Nguyễn Thị Lan runs the bakery. Customers say Nguyễn Thị Lan opens before dawn.\n\n\
            Later, Nguyen Thi Lan said the rent had doubled.\n";
        let edits: Vec<String> = vec![
            base.replacen("Monday", "Monday evening", 1),
            base.replacen("waved flags", "waved 🇺🇦 flags", 1),
            base.replacen("The meeting", "The long meeting", 1),
            base.replacen("Omar Hammami", "Omar  Hammami", 1),
            base.replacen("at noon.", "at noon.\n\nA new paragraph.", 1),
            base.replacen("did not", "Tsikhanovskaya did not", 1),
            base.replacen("Hammami did", "Hamami did", 1),
            base.replacen("noon", "noon with Omar", 1),
            base.replacen("spoke", "Hammami", 1),
            base.replacen("Later, ", "Later, in a café, ", 1),
            base.replacen("at noon.", "at noon today.", 1),
            base.replacen("an old friend”.", "an old friend”. He smiled.", 1),
            base.replacen("at noon.", "at noon. 会议结束。", 1),
            base.replace('\n', "\r\n"),
            // A use of the full name the extractor does not see (code) that the whole-name
            // finding still counts.
            base.replacen("at noon.", "at noon. `Nguyễn Thị Lan`", 1),
            base.replacen("the rent", "the rent (`Nguyễn  Thị\nLan`)", 1),
            base.replacen("runs the bakery", "runs the bakery (`Nguyễn Thị Lan`)", 1),
        ];
        let rule = NameSpelling;
        let mut memo = RuleMemo::default();
        assert!(!run(&rule, base, Some(&mut memo)).is_empty());
        let mut moved = 0;
        for text in edits.iter().flat_map(|e| [e.as_str(), base]) {
            let before = memo_moves(&mut memo);
            let with = run(&rule, text, Some(&mut memo));
            assert_eq!(with, run(&rule, text, None), "{text}");
            moved += memo_moves(&mut memo) - before;
        }
        // Typing between `\r` and `\n` splits one line break into two: the lines after it
        // move down although no line-break byte came or went.
        let crlf = base.replace('\n', "\r\n");
        let split = crlf.replacen("noon.\r\n", "noon.\r```\n", 1);
        for text in [&crlf, &split, &crlf] {
            let with = run(&rule, text, Some(&mut memo));
            assert_eq!(with, run(&rule, text, None), "{text}");
        }
        // Typing after the last name of a paragraph, or in one without names, moves the report
        // (typing before a name in its paragraph changes the name analysis's signature).
        assert!(moved >= 6, "only {moved} reports moved");
    }

    fn memo_moves(memo: &mut RuleMemo) -> u32 {
        memo.get::<super::super::KeptMemo>().0.moved
    }
}
