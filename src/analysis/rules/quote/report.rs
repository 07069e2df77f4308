//! What the rule reports for a quotation: the finding (kept by everything it is made of, see
//! `Checker::finding`), its message, and its fixes — "Attribute to X" in house style, "Add
//! attribution" with the `[SPEAKER] said` placeholder, and in markdown "Ignore this quotation".

use super::{CODE, Checker, PLACEHOLDER_WORD, Report};
use crate::analysis::lang::speech::{Cue, Who};
use crate::analysis::{Edit, Finding, Fix, Format, Related, Severity};
use std::hash::{Hash, Hasher};
use std::ops::Range;

impl Checker<'_, '_> {
    /// The finding for quotation `id`. Made once and kept, by everything it is made of: the
    /// quotation's paragraph and place in it, the start of its first line, the speakers it
    /// names and where they are relative to it.
    pub(super) fn finding(&mut self, id: usize, report: Report, last: Option<&Cue>) -> Finding {
        let pi = self.quotes[id].para;
        let base = self.doc.paragraphs[pi].span.start;
        let line = self.doc.line_block(&self.doc.paragraphs[pi].span);
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        self.doc.paragraph_hash(pi).hash(&mut h);
        (id - self.by_para[pi].start).hash(&mut h);
        (self.doc.format as u8).hash(&mut h);
        self.doc.text[line.start.min(base)..base].hash(&mut h);
        let cue = |h: &mut xxhash_rust::xxh3::Xxh3, c: Option<&Cue>| {
            c.map(|c| {
                (
                    &c.who,
                    c.span.start.wrapping_sub(base),
                    c.span.end.wrapping_sub(base),
                )
            })
            .hash(h)
        };
        match &report {
            Report::Implied(sev, c, why) => {
                (1u8, *sev as u8, why).hash(&mut h);
                cue(&mut h, Some(c));
            }
            Report::Ambiguous(cands) => (2u8, cands).hash(&mut h),
            Report::Unattributed => 0u8.hash(&mut h),
            Report::Placeholder => 3u8.hash(&mut h),
        }
        cue(&mut h, last);
        let key = h.finish();
        if let Some(f) = self.kept.get(key) {
            return moved(f.clone(), |at| at.wrapping_add(base));
        }
        let f = self.make_finding(id, &report, last);
        self.kept
            .insert(key, moved(f.clone(), |at| at.wrapping_sub(base)));
        f
    }

    fn make_finding(&self, id: usize, report: &Report, last: Option<&Cue>) -> Finding {
        let (sev, msg, cands, preferred): (Severity, String, Vec<&Who>, bool) = match report {
            Report::Implied(sev, cue, _) => {
                let msg = match cue.who.reference() {
                    Some(n) => format!(
                        "Quotation attributed only by implication to {n}; say who is speaking"
                    ),
                    None => "Quotation attributed only by implication; say who is speaking".into(),
                };
                (*sev, msg, vec![&cue.who], true)
            }
            Report::Ambiguous(cands) => {
                let names: Vec<String> = cands.iter().filter_map(Who::reference).collect();
                // "A or B", "A, B or C".
                let msg = match names.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("Who is speaking: {} or {last}?", rest.join(", "))
                    }
                    _ => format!("Who is speaking: {}?", names.join(" or ")),
                };
                (Severity::Information, msg, cands.iter().collect(), false)
            }
            Report::Unattributed => (
                self.cfg.severity,
                "Unattributed quotation".into(),
                last.map(|c| &c.who).into_iter().collect(),
                false,
            ),
            Report::Placeholder => (
                self.cfg.severity,
                format!("Attribution placeholder [{PLACEHOLDER_WORD}] not replaced"),
                Vec::new(),
                false,
            ),
        };
        let mut f = Finding::new(CODE, sev, self.range(id), msg);
        match report {
            Report::Implied(_, cue, _) => f.related.push(Related {
                doc: None,
                span: cue.span.clone(),
                message: "The implied speaker".into(),
            }),
            Report::Unattributed => {
                if let Some(c) = last.filter(|c| c.who.named()) {
                    f.related.push(Related {
                        doc: None,
                        span: c.span.clone(),
                        message: "The last person quoted".into(),
                    });
                }
            }
            _ => {}
        }
        if !matches!(report, Report::Placeholder) {
            self.add_fixes(id, &mut f, &cands, preferred);
        }
        f
    }

    /// The range a finding covers: the quotation's first paragraph, mark to mark.
    pub(super) fn range(&self, id: usize) -> Range<usize> {
        let q = &self.quotes[id];
        q.raw.open.start..q.end
    }

    fn add_fixes(&self, id: usize, f: &mut Finding, cands: &[&Who], prefer_first: bool) {
        let mut seen: Vec<String> = Vec::new();
        for who in cands {
            let Some(r) = who.reference() else { continue };
            if seen.contains(&r) || seen.len() >= 3 {
                continue;
            }
            let Some(edit) = self.attribution_edit(id, &format!("{r} said")) else {
                break;
            };
            let mut fix = Fix::new(format!("Attribute to {r}"), vec![edit]);
            if prefer_first && seen.is_empty() {
                fix = fix.preferred();
            }
            seen.push(r);
            f.fixes.push(fix);
        }
        // A placeholder that cannot go to print unnoticed: still reported until replaced.
        if let Some(edit) = self.attribution_edit(id, &format!("[{PLACEHOLDER_WORD}] said")) {
            f.fixes.push(Fix::new("Add attribution", vec![edit]));
        }
        if self.doc.format == Format::Markdown {
            let p = &self.doc.paragraphs[self.quotes[id].para];
            let line = self.doc.line_block(&p.span);
            let text = self.doc.text;
            let indent_len = text[line.clone()].len() - text[line.clone()].trim_start().len();
            let indent = &text[line.start..line.start + indent_len];
            f.fixes.push(Fix::new(
                "Ignore this quotation",
                vec![Edit::insert(
                    line.start,
                    format!("{indent}<!-- copydesk-disable-next-paragraph {CODE} -->\n"),
                )],
            ));
        }
    }

    /// The edit that attributes quotation `id` in house style: `“…,” Hong said.`
    fn attribution_edit(&self, id: usize, phrase: &str) -> Option<Edit> {
        let q = &self.quotes[id];
        let text = self.doc.text;
        let para_end = self.doc.paragraphs[q.para].span.end;
        let close_ch = q.raw.close_char();
        let Some(close) = &q.raw.close else {
            // A multi-paragraph quotation: after its first sentence.
            let inner = &text[q.raw.open.end..q.end];
            for (i, c) in inner.char_indices() {
                if !matches!(c, '.' | '!' | '?') {
                    continue;
                }
                let rest = &inner[i + 1..];
                let ws = rest.len() - rest.trim_start().len();
                if ws == 0 || !rest.trim_start().starts_with(char::is_uppercase) {
                    continue;
                }
                let at = q.raw.open.end + i;
                let open = q.raw.open_char;
                return Some(if c == '.' {
                    Edit {
                        span: at..at + 1 + ws,
                        replacement: format!(",{close_ch} {phrase}. {open}"),
                    }
                } else {
                    Edit {
                        span: at + 1..at + 1 + ws,
                        replacement: format!("{close_ch} {phrase}. {open}"),
                    }
                });
            }
            return None;
        };
        let inner = &text[q.raw.open.end..close.start];
        let trimmed = inner.trim_end();
        let last = trimmed.chars().next_back();
        let after = &text[close.end..para_end.max(close.end)];
        let next = after.chars().next();
        let terminal = |c: Option<char>| matches!(c, Some('.' | '!' | '?'));
        let close_text = &text[close.clone()];
        match last {
            Some('.') => {
                let at = q.raw.open.end + trimmed.len() - 1;
                let stop = if terminal(next) { "" } else { "." };
                Some(Edit {
                    span: at..close.end,
                    replacement: format!(",{close_text} {phrase}{stop}"),
                })
            }
            Some('?' | '!') => Some(Edit::insert(
                close.end,
                format!(" {phrase}{}", if terminal(next) { "" } else { "." }),
            )),
            Some(',') => Some(Edit::insert(close.end, format!(" {phrase}"))),
            _ => {
                if next == Some('.') {
                    Some(Edit {
                        span: close.start..close.end + 1,
                        replacement: format!(",{close_ch} {phrase}."),
                    })
                } else if after.trim().is_empty() {
                    Some(Edit {
                        span: close.start..close.end,
                        replacement: format!(",{close_ch} {phrase}."),
                    })
                } else {
                    // A quotation inside a sentence: before the sentence's end.
                    let stop = after
                        .find(['.', '!', '?'])
                        .map_or(para_end, |i| close.end + i);
                    Some(Edit::insert(stop, format!(", {phrase}")))
                }
            }
        }
    }
}

/// A finding with every offset in it moved by `by` (wrapping: offsets relative to a
/// paragraph may be "negative").
pub(super) fn moved(mut f: Finding, by: impl Fn(usize) -> usize) -> Finding {
    let mv = |r: &mut Range<usize>| *r = by(r.start)..by(r.end);
    mv(&mut f.span);
    for r in &mut f.related {
        mv(&mut r.span);
    }
    for fix in &mut f.fixes {
        for e in &mut fix.edits {
            mv(&mut e.span);
        }
    }
    f
}
