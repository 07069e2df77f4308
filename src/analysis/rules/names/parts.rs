//! Names written with and without a middle part in one draft ("Omar Shafik Hammami" and
//! "Omar Hammami"): the same first and last name word, one form with name words between
//! that the other leaves out. Initials are not parts (George W. Bush / George Bush), nor are
//! titles. The form used more often (else the earlier) is canonical; a fuller form used
//! first, before the shorter canonical one, is the usual first-reference style and stays.

use super::{CODE, Kind, NameAnalysis, collapse_space, extract, similar};
use crate::analysis::{Document, Edit, Finding, Fix, Related, Severity};
use std::ops::Range;

/// Roles written with a capital before a name (`Administrator`), beyond the titles the
/// extractor knows (`lang/words/occupation.txt`).
fn is_occupation(word: &str) -> bool {
    crate::analysis::lang::lexicon::with_lower(word, |w| {
        crate::analysis::lang::lists::OCCUPATION.contains(w)
    })
}

/// One full-name occurrence: its span and its middle parts (folded).
struct Full {
    span: Range<usize>,
    middle: Vec<String>,
}

/// Findings for names whose middle parts come and go; spans overlapping `taken` are skipped.
pub(super) fn findings(
    a: &NameAnalysis,
    doc: &Document,
    severity: Severity,
    taken: &[Range<usize>],
) -> Vec<Finding> {
    let words = &a.words;
    let mut by_ends: Vec<((String, String), Full)> = Vec::new();
    let mut segments: Vec<Vec<(Range<usize>, String)>> = Vec::new();
    for m in &a.mentions {
        let r = m.words.clone();
        let mut seg_start = r.start;
        while seg_start < r.end {
            let seg_end = (seg_start..r.end)
                .find(|&i| words[i].possessive)
                .map_or(r.end, |i| i + 1);
            let seg = seg_start..seg_end;
            seg_start = seg_end;
            // Name words, and nothing but name words and initials between the first and last.
            let mut names: Vec<usize> = seg
                .clone()
                .filter(|&i| words[i].kind == Kind::Name)
                .collect();
            // A role before the name is no part of it.
            while names
                .first()
                .is_some_and(|&i| is_occupation(&doc.text[words[i].span.clone()]))
            {
                names.remove(0);
            }
            if names.len() < 2 {
                continue;
            }
            let (first, last) = (names[0], names[names.len() - 1]);
            if (first..=last).any(|i| !matches!(words[i].kind, Kind::Name | Kind::Initial)) {
                continue;
            }
            if words[first].initial && first == seg.start && names.len() == 2 {
                // "Later Hammami …": a capitalised sentence opener is not a given name.
                continue;
            }
            let fold = |i: usize| similar::fold(&doc.text[words[i].span.clone()]);
            segments.push(
                names
                    .iter()
                    .map(|&i| (words[i].span.clone(), fold(i)))
                    .collect(),
            );
            by_ends.push((
                (fold(first), fold(last)),
                Full {
                    span: words[first].span.start..words[last].span.end,
                    middle: names[1..names.len() - 1].iter().map(|&i| fold(i)).collect(),
                },
            ));
        }
    }
    by_ends.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.span.start.cmp(&y.1.span.start)));
    let mut out = one_part_differs(&segments, doc, severity, taken);
    let taken: Vec<Range<usize>> = taken
        .iter()
        .cloned()
        .chain(out.iter().map(|f| f.span.clone()))
        .collect();
    let taken = &taken[..];
    for group in by_ends.chunk_by(|x, y| x.0 == y.0) {
        // Distinct middles, by count then first use.
        let mut forms: Vec<(&[String], Vec<&Full>)> = Vec::new();
        for (_, f) in group {
            match forms.iter_mut().find(|x| x.0 == &f.middle[..]) {
                Some(x) => x.1.push(f),
                None => forms.push((&f.middle, vec![f])),
            }
        }
        if forms.len() < 2 {
            continue;
        }
        forms.sort_by_key(|x| (std::cmp::Reverse(x.1.len()), x.1[0].span.start));
        let (canon_mid, canon_uses) = &forms[0];
        let canon_text = collapse_space(&doc.text[canon_uses[0].span.clone()]);
        for (mid, uses) in &forms[1..] {
            // One form's parts are the other's with some left out.
            let (short, long) = if mid.len() < canon_mid.len() {
                (*mid, *canon_mid)
            } else {
                (*canon_mid, *mid)
            };
            if short.len() == long.len() || !short.iter().all(|p| long.contains(p)) {
                continue;
            }
            // A fuller name at first reference and a shorter one after it is the usual style
            // (Elizabeth Quinn Gallagher, then Elizabeth Gallagher): only a fuller form that
            // first appears after the shorter one is odd.
            if mid.len() > canon_mid.len() && uses[0].span.start < canon_uses[0].span.start {
                continue;
            }
            let extra: Vec<&String> = long.iter().filter(|p| !short.contains(p)).collect();
            // The parts as written, from the longer form.
            let long_use = if mid.len() > canon_mid.len() {
                uses[0]
            } else {
                canon_uses[0]
            };
            let long_text = &doc.text[long_use.span.clone()];
            let shown: Vec<&str> = long_text
                .split_whitespace()
                .filter(|w| extra.contains(&&similar::fold(w)))
                .collect();
            let n = canon_uses.len();
            let all: Vec<Range<usize>> = uses.iter().map(|u| u.span.clone()).collect();
            for u in uses {
                if taken
                    .iter()
                    .any(|t| t.start < u.span.end && u.span.start < t.end)
                {
                    continue;
                }
                let variant = collapse_space(&doc.text[u.span.clone()]);
                let what = if mid.len() < canon_mid.len() {
                    "leaves out"
                } else {
                    "adds"
                };
                let mut f = Finding::new(
                    CODE,
                    severity,
                    u.span.clone(),
                    format!(
                        "‘{variant}’ {what} ‘{}’: the name is written ‘{canon_text}’ {n} time{} in this document",
                        shown.join(" "),
                        if n == 1 { "" } else { "s" }
                    ),
                );
                f.related.push(Related {
                    doc: None,
                    span: canon_uses[0].span.clone(),
                    message: format!(
                        "‘{canon_text}’ first used here (line {})",
                        doc.line_number(canon_uses[0].span.start)
                    ),
                });
                f.fixes.push(
                    Fix::new(
                        format!("Change to ‘{canon_text}’"),
                        vec![Edit {
                            span: u.span.clone(),
                            replacement: canon_text.clone(),
                        }],
                    )
                    .preferred(),
                );
                if all.len() > 1 {
                    f.fixes.push(Fix::new(
                        format!("Change all {} ‘{variant}’ to ‘{canon_text}’", all.len()),
                        all.iter()
                            .map(|s| Edit {
                                span: s.clone(),
                                replacement: canon_text.clone(),
                            })
                            .collect(),
                    ));
                }
                out.push(f);
            }
        }
    }
    out
}

/// A name's part keyed by the rest of the name: (key, the part, its span, the name's span).
type Keyed = (String, String, Range<usize>, Range<usize>);

/// Names of three or more words that agree but for one part, which is a plausible variant
/// given that agreement ([`similar::context_match`]): "Sae Chang Bunthawee" where the document
/// also writes "Sae Jang Bunthawee". The part used in more of those names (else the earlier)
/// is canonical; the other is flagged where it differs.
fn one_part_differs(
    segments: &[Vec<(Range<usize>, String)>],
    doc: &Document,
    severity: Severity,
    taken: &[Range<usize>],
) -> Vec<Finding> {
    // (length, differing position, the other parts) → (the part, its span, the name's span).
    let mut keyed: Vec<Keyed> = Vec::new();
    for seg in segments.iter().filter(|s| s.len() >= 2) {
        let whole = seg[0].0.start..seg[seg.len() - 1].0.end;
        for p in 0..seg.len() {
            // In a two-word name only the surname, after the same given name: two people
            // with one surname are common (a couple, siblings), with one given name and
            // near-identical surnames in one story rare.
            // (Not after a word many names share: South Africa / South America.)
            if seg.len() == 2
                && (p == 0 || seg[0].1.chars().count() < 3 || extract::is_generic(&seg[0].1))
            {
                continue;
            }
            let mut key = format!("{}:{p}", seg.len());
            for (k, (_, f)) in seg.iter().enumerate() {
                if k != p {
                    key.push(' ');
                    key.push_str(f);
                }
            }
            keyed.push((key, seg[p].1.clone(), seg[p].0.clone(), whole.clone()));
        }
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.start.cmp(&b.2.start)));
    let mut out = Vec::new();
    for group in keyed.chunk_by(|a, b| a.0 == b.0) {
        let mut parts: Vec<(&str, Vec<&Keyed>)> = Vec::new();
        for g in group {
            match parts.iter_mut().find(|x| x.0 == g.1) {
                Some(x) => x.1.push(g),
                None => parts.push((&g.1, vec![g])),
            }
        }
        if parts.len() != 2 {
            continue;
        }
        parts.sort_by_key(|x| (std::cmp::Reverse(x.1.len()), x.1[0].2.start));
        let (canon, variant) = (&parts[0], &parts[1]);
        // Hyphenated given names (Cantonese Kwok-hing / Kwok-kin, family name first) are
        // compared syllable by syllable elsewhere: not loosened here.
        let raw = |r: &Range<usize>| doc.text[r.clone()].contains(['-', '‐', '–']);
        if raw(&canon.1[0].2) || raw(&variant.1[0].2) {
            continue;
        }
        let (tc, tv) = (similar::translit(canon.0), similar::translit(variant.0));
        if !similar::context_match(canon.0, variant.0, &tc, &tv) {
            continue;
        }
        let canon_word = collapse_space(&doc.text[canon.1[0].2.clone()]);
        let canon_name = collapse_space(&doc.text[canon.1[0].3.clone()]);
        let n = canon.1.len();
        let all: Vec<Range<usize>> = variant.1.iter().map(|v| v.2.clone()).collect();
        for v in &variant.1 {
            let span = v.2.clone();
            if taken
                .iter()
                .chain(out.iter().map(|f: &Finding| &f.span))
                .any(|t| t.start < span.end && span.start < t.end)
            {
                continue;
            }
            let word = collapse_space(&doc.text[span.clone()]);
            let mut f = Finding::new(
                CODE,
                severity,
                span.clone(),
                format!(
                    "‘{word}’ looks like a misspelling of ‘{canon_word}’ in ‘{canon_name}’, the name used {n} time{} in this document",
                    if n == 1 { "" } else { "s" }
                ),
            );
            f.related.push(Related {
                doc: None,
                span: canon.1[0].3.clone(),
                message: format!(
                    "‘{canon_name}’ first used here (line {})",
                    doc.line_number(canon.1[0].3.start)
                ),
            });
            f.fixes.push(
                Fix::new(
                    format!("Change to ‘{canon_word}’"),
                    vec![Edit {
                        span: span.clone(),
                        replacement: canon_word.clone(),
                    }],
                )
                .preferred(),
            );
            if all.len() > 1 {
                f.fixes.push(Fix::new(
                    format!("Change all {} ‘{word}’ to ‘{canon_word}’", all.len()),
                    all.iter()
                        .map(|s| Edit {
                            span: s.clone(),
                            replacement: canon_word.clone(),
                        })
                        .collect(),
                ));
            }
            out.push(f);
        }
    }
    out
}
