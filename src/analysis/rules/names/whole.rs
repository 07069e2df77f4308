//! Whole names: when several words of one name mention are flagged ("Nguyen Thi Lan" where
//! the document writes "Nguyễn Thị Lan"), one finding over the whole name with one fix to
//! the canonical full form, instead of a finding per word.

use super::{CODE, Difference, Kind, NameAnalysis};
use crate::analysis::{Document, Edit, Finding, Fix, Related};
use std::ops::Range;

/// A word-level finding: the flagged word, how it differs, the finding.
pub(super) type WordFinding = (usize, Difference, bool, Finding);

/// Word findings grouped by name mention; a mention with two or more flagged words whose
/// canonical full form the document also writes becomes one finding. The rest stay as
/// they are. Appended to `out`.
pub(super) fn merge(
    a: &NameAnalysis,
    doc: &Document,
    mut found: Vec<WordFinding>,
    out: &mut Vec<Finding>,
) {
    found.sort_by_key(|f| f.0);
    let mut merged: Vec<(String, String, Finding)> = Vec::new();
    let mut i = 0;
    while i < found.len() {
        let m = a.mention_of.get(found[i].0).copied().flatten();
        let mut j = i + 1;
        while j < found.len()
            && m.is_some()
            && a.mention_of.get(found[j].0).copied().flatten() == m
            // Within one name: no possessive between them.
            && !(found[j - 1].0..found[j].0).any(|w| a.words[w].possessive)
        {
            j += 1;
        }
        let group = &found[i..j];
        match (group.len() >= 2).then(|| whole(a, doc, group)).flatten() {
            Some(x) => merged.push(x),
            None => out.extend(group.iter().map(|g| g.3.clone())),
        }
        i = j;
    }
    // "Change all" over the same whole variant.
    for k in 0..merged.len() {
        let spans: Vec<Range<usize>> = merged
            .iter()
            .filter(|m| m.0 == merged[k].0)
            .map(|m| m.2.span.clone())
            .collect();
        let (variant, canon, f) = &mut merged[k];
        if spans.len() > 1 {
            f.fixes.push(Fix::new(
                format!("Change all {} ‘{variant}’ to ‘{canon}’", spans.len()),
                spans
                    .into_iter()
                    .map(|span| Edit {
                        span,
                        replacement: canon.clone(),
                    })
                    .collect(),
            ));
        }
    }
    out.extend(merged.into_iter().map(|m| m.2));
}

/// One finding for the flagged words of one name, if the document writes the canonical
/// full form somewhere: (variant as written, canonical as written, finding).
fn whole(
    a: &NameAnalysis,
    doc: &Document,
    group: &[WordFinding],
) -> Option<(String, String, Finding)> {
    // The whole name: the mention's name words around the flagged ones (up to a possessive).
    let (w0, w1) = (group[0].0, group[group.len() - 1].0);
    let r = a.mentions[a.mention_of[w0]?].words.clone();
    let mut seg_start = r.start;
    for w in r.start..w0 {
        if a.words[w].possessive {
            seg_start = w + 1;
        }
    }
    let seg_end = (w1..r.end)
        .find(|&w| a.words[w].possessive)
        .map_or(r.end, |w| w + 1);
    let is_name = |w: &usize| a.words[*w].kind == Kind::Name;
    let first = (seg_start..seg_end).find(is_name)?.min(w0);
    let last = (seg_start..seg_end).rev().find(is_name)?.max(w1);
    let span = a.words[first].span.start.min(group[0].3.span.start)
        ..a.words[last]
            .span
            .end
            .max(group[group.len() - 1].3.span.end);
    let text = doc.text;
    let mut canon = String::new();
    let mut at = span.start;
    for g in group {
        let edit = g.3.fixes.first()?.edits.first()?;
        canon.push_str(&text[at..edit.span.start]);
        canon.push_str(&edit.replacement);
        at = edit.span.end;
    }
    canon.push_str(&text[at..span.end]);
    // Quoted with whitespace runs as one space (a hard-wrapped name breaks a line); the
    // replacement keeps the document's own breaks.
    let replacement = canon;
    let canon = super::collapse_space(&replacement);
    let variant = super::collapse_space(&text[span.clone()]);
    let uses = find_words(text, &canon);
    let (first, first_end) = *uses.first()?;
    let n = uses.len();
    let diff = if group.iter().all(|g| g.1 == group[0].1) {
        group[0].1
    } else {
        Difference::Spelling
    };
    let house = group.iter().any(|g| g.2);
    let message = if house {
        format!("‘{variant}’ {} ‘{canon}’ (house style)", diff.phrase())
    } else {
        format!(
            "‘{variant}’ {} ‘{canon}’, the spelling used {n} time{} in this document",
            diff.phrase(),
            if n == 1 { "" } else { "s" }
        )
    };
    let mut f = Finding::new(CODE, group[0].3.severity, span.clone(), message);
    f.related.push(Related {
        doc: None,
        span: first..first_end,
        message: format!(
            "‘{canon}’ first used here (line {})",
            doc.line_number(first)
        ),
    });
    f.fixes.push(
        Fix::new(
            format!("Change to ‘{canon}’"),
            vec![Edit { span, replacement }],
        )
        .preferred(),
    );
    Some((variant, canon, f))
}

/// Where the words of `name` (separated by single spaces) occur in `text` separated by any
/// whitespace, as whole words: (start, end) of each.
pub(super) fn find_words(text: &str, name: &str) -> Vec<(usize, usize)> {
    let words: Vec<&str> = name.split(' ').collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
    let mut out = Vec::new();
    for (start, _) in text.match_indices(words[0]) {
        if text[..start].chars().next_back().is_some_and(is_word) {
            continue;
        }
        let mut at = start + words[0].len();
        let mut ok = true;
        for w in &words[1..] {
            let rest = &text[at..];
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() || !trimmed.starts_with(w) {
                ok = false;
                break;
            }
            at += rest.len() - trimmed.len() + w.len();
        }
        if ok && !text[at..].chars().next().is_some_and(is_word) {
            out.push((start, at));
        }
    }
    out
}
