//! `duplicate-paragraph`: a paragraph that repeats an earlier one, exactly or nearly.
//!
//! Exact copies match on the comparison key (see [`normalize`]). Near copies are found by
//! word-bigram similarity (Dice coefficient) through an inverted index of distinctive bigrams
//! ([`near`]), so the search is linear in the size of the document, not quadratic in its
//! paragraphs, and after an edit only the changed paragraphs are looked up again.

use super::facts::Facts;
use super::{Rule, Settings};
use crate::analysis::cache::ParaCache;
use crate::analysis::document::{BlockKind, Document, Format};
use crate::analysis::finding::{Edit, Finding, Fix, Related, Severity};
use crate::analysis::normalize::{Prehashed, word_hashes};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

pub const CODE: &str = "duplicate-paragraph";

mod near;

pub use near::{MAX_POSTING, NearIndex};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct DuplicateSettings {
    pub enabled: bool,
    pub severity: Severity,
    /// Word-bigram similarity (0–1) at which a paragraph counts as a near-duplicate.
    pub similarity: f64,
    /// Paragraphs with fewer words are never compared ("Advertisement", "Read more").
    pub min_words: usize,
    /// Near-duplicates (not exact copies) are only looked for in paragraphs this long:
    /// short template lines ("I think they treat waiters best in ... France") differ in one
    /// word on purpose.
    pub near_min_words: usize,
    /// Report copies of paragraphs from other open documents of the workspace.
    pub cross_document: bool,
    /// Severity of copies found in other documents.
    pub cross_document_severity: Severity,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        DuplicateSettings {
            enabled: true,
            severity: Severity::Warning,
            similarity: 0.8,
            min_words: 8,
            near_min_words: 15,
            cross_document: true,
            cross_document_severity: Severity::Information,
        }
    }
}

/// What the duplicate search knows about one paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphKey {
    pub span: Range<usize>,
    /// 1-based line where the paragraph starts.
    pub line: usize,
    /// Hash of the comparison key.
    pub key: u64,
    /// Sorted, de-duplicated hashes of word bigrams.
    pub shingles: Arc<[u64]>,
    pub words: usize,
}

/// The keys of every paragraph the rule compares, in document order.
pub fn paragraph_keys(doc: &Document, settings: &Settings) -> Vec<ParagraphKey> {
    compute_keys(doc, settings, &mut KeyCache::default())
}

/// The comparison key of one paragraph's prose, whatever its position and the settings.
#[derive(Debug)]
pub struct KeyParts {
    key: u64,
    shingles: Arc<[u64]>,
    words: usize,
}

/// Key parts of paragraphs seen in earlier versions of a document, by paragraph hash.
pub type KeyCache = ParaCache<KeyParts>;

/// [`paragraph_keys`], reusing the parts of paragraphs that did not change (`cache` keeps
/// only what this call used).
pub fn compute_keys(
    doc: &Document,
    settings: &Settings,
    cache: &mut KeyCache,
) -> Vec<ParagraphKey> {
    let min = settings.duplicate_paragraph.min_words.max(1);
    cache.begin();
    let compared = || {
        doc.paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, BlockKind::Paragraph | BlockKind::ListItem))
    };
    let mut missing = Vec::new();
    let mut wanted = std::collections::HashSet::new();
    let mut bytes = 0;
    for (i, p) in compared() {
        let h = doc.paragraph_hash(i);
        if !cache.has(h) && wanted.insert(h) {
            bytes += p.span.len();
            missing.push((h, p));
        }
    }
    cache.fill(missing, bytes, |p| {
        let w = word_hashes(doc.prose_of(p));
        KeyParts {
            key: w.iter().fold(0x9E37_79B9_7F4A_7C15u64, |k, h| {
                (k.rotate_left(5) ^ h).wrapping_mul(0x100_0000_01b3)
            }),
            shingles: shingles(&w).into(),
            words: w.len(),
        }
    });
    let keys = compared()
        .filter_map(|(i, p)| {
            let parts = cache.get(doc.paragraph_hash(i)).expect("filled above");
            (parts.words >= min).then(|| ParagraphKey {
                span: p.span.clone(),
                line: doc.line_number(p.span.start),
                key: parts.key,
                shingles: parts.shingles.clone(),
                words: parts.words,
            })
        })
        .collect();
    cache.end();
    keys
}

fn shingles(w: &[u64]) -> Vec<u64> {
    let mut s: Vec<u64> = if w.len() < 2 {
        w.to_vec()
    } else {
        w.windows(2).map(|p| p[0].rotate_left(17) ^ p[1]).collect()
    };
    s.sort_unstable();
    s.dedup();
    s
}

/// For each paragraph key, the earlier one it copies, with the similarity (1.0 = exact).
pub fn find_copies(
    keys: &[ParagraphKey],
    threshold: f64,
    near_min_words: usize,
) -> Vec<Option<(usize, f64)>> {
    let mut near = NearIndex::default();
    near.update(keys, threshold, near_min_words);
    copies(keys, &near)
}

/// For each paragraph, the earlier paragraph it copies: the first with the same comparison
/// key, else the most similar earlier near-duplicate (the first of equals).
fn copies(keys: &[ParagraphKey], near: &NearIndex) -> Vec<Option<(usize, f64)>> {
    let mut first: HashMap<u64, usize, Prehashed> =
        HashMap::with_capacity_and_hasher(keys.len(), Prehashed::default());
    for (j, k) in keys.iter().enumerate() {
        first.entry(k.key).or_insert(j);
    }
    keys.iter()
        .enumerate()
        .map(|(j, k)| {
            let i = first[&k.key];
            if i < j {
                return Some((i, 1.0));
            }
            let mut best: Option<(usize, f64)> = None;
            for &(other, sim) in near.near(k.key) {
                let Some(&i) = first.get(&other) else {
                    continue;
                };
                if i < j && best.is_none_or(|(bi, bs)| sim > bs || (sim == bs && i < bi)) {
                    best = Some((i, sim));
                }
            }
            best
        })
        .collect()
}

pub struct DuplicateParagraph;

impl Rule for DuplicateParagraph {
    fn code(&self) -> &'static str {
        CODE
    }

    fn enabled(&self, s: &Settings) -> bool {
        s.duplicate_paragraph.enabled
    }

    fn check(&self, doc: &Document, settings: &Settings, out: &mut Vec<Finding>) {
        self.check_facts(&Facts::fresh(doc, settings).facts(), settings, out)
    }

    /// Pure: the keys and the near-duplicate relation are the engine's facts.
    fn check_facts(&self, facts: &Facts, settings: &Settings, out: &mut Vec<Finding>) {
        let cfg = &settings.duplicate_paragraph;
        let (doc, keys) = (facts.doc, facts.keys);
        let copies = copies(keys, facts.near);
        // Position of each key's paragraph among all paragraphs, to find consecutive runs.
        let para_index = |start: usize| {
            doc.paragraphs
                .binary_search_by_key(&start, |p| p.span.start)
                .unwrap_or_else(|i| i)
        };
        let dups: Vec<(usize, usize, f64)> = copies
            .iter()
            .enumerate()
            .filter_map(|(j, c)| c.map(|(i, sim)| (j, i, sim)))
            .collect();
        // Group into runs of consecutive paragraphs.
        let mut runs: Vec<Vec<(usize, usize, f64)>> = Vec::new();
        for d in dups {
            let here = para_index(keys[d.0].span.start);
            match runs.last_mut() {
                Some(run) if para_index(keys[run.last().unwrap().0].span.start) + 1 == here => {
                    run.push(d)
                }
                _ => runs.push(vec![d]),
            }
        }
        for run in runs {
            let run_fix = (run.len() > 1).then(|| {
                let first = &keys[run[0].0];
                let last = &keys[run.last().unwrap().0];
                let block = doc.line_block(&(first.span.start..last.span.end));
                let last_line = doc.line_number(block.end.saturating_sub(1).max(block.start));
                // Say so when the run holds reworded copies: deleting those loses their words.
                let reworded = run.iter().filter(|d| d.2 < 1.0).count();
                let mix = if reworded > 0 {
                    format!(": {} exact, {reworded} reworded", run.len() - reworded)
                } else {
                    String::new()
                };
                let mut fix = Fix::new(
                    format!(
                        "Delete the {} repeated paragraphs (lines {}–{}{mix})",
                        run.len(),
                        first.line,
                        last_line
                    ),
                    vec![Edit::delete(doc.deletion_span(block))],
                );
                fix.safe = run.iter().all(|d| d.2 >= 1.0);
                fix
            });
            for &(j, i, sim) in &run {
                let (copy, orig) = (&keys[j], &keys[i]);
                let message = if sim >= 1.0 {
                    format!("Duplicate of the paragraph at line {}", orig.line)
                } else {
                    format!(
                        "Near-duplicate ({}% similar) of the paragraph at line {}",
                        (sim * 100.0).floor() as u32,
                        orig.line
                    )
                };
                let mut f = Finding::new(CODE, cfg.severity, copy.span.clone(), message);
                f.related.push(Related {
                    doc: None,
                    span: orig.span.clone(),
                    message: "The paragraph it repeats".into(),
                });
                let mut fix = Fix::new(
                    "Delete duplicate paragraph",
                    vec![Edit::delete(doc.deletion_span(doc.line_block(&copy.span)))],
                )
                .preferred();
                fix.safe = sim >= 1.0;
                f.fixes.push(fix);
                if let Some(rf) = &run_fix {
                    f.fixes.push(rf.clone());
                }
                out.push(f);
            }
        }
    }
}

/// Paragraphs of this document that also appear (exactly) in other open documents.
/// `others` are (document key, that document's paragraph keys). Paragraphs already reported
/// as copies inside this document are skipped.
pub fn cross_document(
    this: &[ParagraphKey],
    others: &[(&str, &[ParagraphKey])],
    settings: &Settings,
) -> Vec<Finding> {
    let mut elsewhere: HashMap<u64, (&str, &ParagraphKey)> = HashMap::new();
    for (doc, keys) in others {
        for k in keys.iter() {
            elsewhere.entry(k.key).or_insert((doc, k));
        }
    }
    cross_document_by(this, |key| elsewhere.get(&key).copied(), settings, None)
}

/// How the rule sees other documents (open ones, the workspace index): for an exact
/// comparison key, a document holding it (its opaque key, e.g. a URI) and where. The server
/// implements it (a closure will do); the rule never sees server types.
pub trait OtherDocuments<'a> {
    fn find(&self, key: u64) -> Option<(&'a str, &'a ParagraphKey)>;
}

impl<'a, F: Fn(u64) -> Option<(&'a str, &'a ParagraphKey)>> OtherDocuments<'a> for F {
    fn find(&self, key: u64) -> Option<(&'a str, &'a ParagraphKey)> {
        self(key)
    }
}

/// [`cross_document`] with a lookup into the other documents. With this document's `text`,
/// each finding gets a fix that deletes this copy.
pub fn cross_document_by<'a>(
    this: &[ParagraphKey],
    others: impl OtherDocuments<'a>,
    settings: &Settings,
    text: Option<&str>,
) -> Vec<Finding> {
    let cfg = &settings.duplicate_paragraph;
    if !cfg.enabled || !cfg.cross_document {
        return Vec::new();
    }
    let within = find_copies(this, 1.0, usize::MAX);
    let mut out = Vec::new();
    // Only the lines matter for deleting a paragraph cleanly: a plain parse, made only when
    // there is a copy to delete.
    let mut lines: Option<Document> = None;
    for (k, local) in this.iter().zip(within) {
        if local.is_some() {
            continue;
        }
        if let Some((doc, other)) = others.find(k.key) {
            let name = doc.rsplit('/').next().unwrap_or(doc);
            let mut f = Finding::new(
                CODE,
                cfg.cross_document_severity,
                k.span.clone(),
                format!(
                    "This paragraph also appears in {name} (line {})",
                    other.line
                ),
            );
            f.related.push(Related {
                doc: Some(doc.to_string()),
                span: other.span.clone(),
                message: "The same paragraph in another document".into(),
            });
            if let Some(text) = text
                && k.span.end <= text.len()
            {
                let doc = lines.get_or_insert_with(|| Document::parse(text, Format::Plain));
                f.fixes.push(Fix::new(
                    format!("Delete this copy (the paragraph is also in {name})"),
                    vec![Edit::delete(doc.deletion_span(doc.line_block(&k.span)))],
                ));
            }
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::test_util::{assert_count, fixed, run};
    use crate::analysis::{Format, analyze, apply_edits, safe_fix_edits};

    const R: DuplicateParagraph = DuplicateParagraph;
    const P1: &str =
        "The council voted on Tuesday to close the old library on Main Street next spring.";
    const P2: &str =
        "Residents who spoke at the meeting said the building was the heart of the town.";
    const P3: &str =
        "The mayor promised that a new branch would open within two years of the closure.";

    #[test]
    fn an_exact_copy_is_reported_once_at_the_copy() {
        let t = format!("{P1}\n\n{P2}\n\n{P1}\n");
        let f = run(&R, &t, Format::Markdown, &Settings::default());
        assert_eq!(f.len(), 1);
        assert_eq!(&t[f[0].span.clone()], P1);
        assert!(f[0].span.start > P1.len(), "the copy, not the original");
        assert_eq!(f[0].message, "Duplicate of the paragraph at line 1");
        assert_eq!(f[0].related[0].span, 0..P1.len());
    }

    #[test]
    fn quote_style_case_and_spacing_do_not_hide_a_copy() {
        let a = "“We will not close it,” the mayor said of the library on Tuesday night.";
        let b = "\"We will NOT close it,\"  the mayor said of the library on Tuesday night";
        assert_count(&R, &format!("{a}\n\n{b}\n"), 1);
    }

    #[test]
    fn a_paragraph_reworded_in_a_word_or_two_is_a_near_duplicate() {
        let a = "Residents who spoke at the packed meeting said the building was the beating heart of the town and must stay open.";
        let b = "Residents who spoke at the crowded meeting said the building was the beating heart of the town and should stay open.";
        let f = run(
            &R,
            &format!("{a}\n\n{P3}\n\n{b}\n"),
            Format::Markdown,
            &Settings::default(),
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with("Near-duplicate ("),
            "{}",
            f[0].message
        );
        assert!(f[0].message.ends_with("of the paragraph at line 1"));
    }

    #[test]
    fn different_paragraphs_on_the_same_subject_are_not_duplicates() {
        assert_count(&R, &format!("{P1}\n\n{P2}\n\n{P3}\n"), 0);
    }

    #[test]
    fn short_template_lines_differing_in_one_word_are_not_near_duplicates() {
        assert_count(
            &R,
            "Where I worked best was in the city of Lyon\n\nWhere I worked best was in the city of Turin\n",
            0,
        );
    }

    #[test]
    fn short_paragraphs_are_ignored() {
        assert_count(
            &R,
            "Advertisement\n\nRead more\n\nAdvertisement\n\nRead more\n",
            0,
        );
    }

    #[test]
    fn headings_and_code_are_not_compared() {
        let t = format!("# {P1}\n\n# {P1}\n\n```\n{P2}\n```\n\n```\n{P2}\n```\n");
        assert_count(&R, &t, 0);
    }

    #[test]
    fn the_threshold_is_a_setting() {
        let a = "Residents who spoke at the packed meeting said the building was the beating heart of the town and must stay open.";
        let b = "Residents who spoke at the crowded meeting said the building was the beating heart of the town and should stay open.";
        let mut s = Settings::default();
        s.duplicate_paragraph.similarity = 0.99;
        assert_eq!(
            run(&R, &format!("{a}\n\n{b}\n"), Format::Markdown, &s).len(),
            0
        );
    }

    #[test]
    fn deleting_a_copy_leaves_one_blank_line() {
        let t = format!("{P1}\n\n{P2}\n\n{P1}\n\n{P3}\n");
        assert_eq!(fixed(&R, &t).unwrap(), format!("{P1}\n\n{P2}\n\n{P3}\n"));
    }

    #[test]
    fn deleting_a_copy_at_the_end_keeps_the_final_newline() {
        let t = format!("{P1}\n\n{P2}\n\n{P1}\n");
        assert_eq!(fixed(&R, &t).unwrap(), format!("{P1}\n\n{P2}\n"));
    }

    #[test]
    fn a_pasted_run_gets_one_finding_per_paragraph_and_a_run_fix() {
        let t = format!("{P1}\n{P2}\n{P3}\n{P1}\n{P2}\n{P3}");
        let f = run(&R, &t, Format::Plain, &Settings::default());
        assert_eq!(f.len(), 3);
        for x in &f {
            assert_eq!(x.fixes.len(), 2);
            assert_eq!(
                x.fixes[1].title,
                "Delete the 3 repeated paragraphs (lines 4–6)"
            );
        }
        let all = apply_edits(&t, &f[0].fixes[1].edits).unwrap();
        assert_eq!(all, format!("{P1}\n{P2}\n{P3}"));
    }

    #[test]
    fn a_run_with_a_reworded_copy_says_so_in_its_title() {
        let p3b =
            "The mayor promised that a new branch would open within three years of the closure.";
        let t = format!("{P1}\n{P2}\n{P3}\n{P1}\n{P2}\n{p3b}");
        let f = run(&R, &t, Format::Plain, &Settings::default());
        assert_eq!(f.len(), 3, "{f:#?}");
        assert_eq!(
            f[0].fixes[1].title,
            "Delete the 3 repeated paragraphs (lines 4–6: 2 exact, 1 reworded)"
        );
        assert!(!f[0].fixes[1].safe);
    }

    #[test]
    fn a_copy_of_another_documents_paragraph_can_be_deleted_here() {
        let s = Settings::default();
        let a = Document::parse(P1, Format::Plain);
        let b_text = format!("{P2}\n\n{P1}\n\n{P3}\n");
        let b = Document::parse(&b_text, Format::Plain);
        let ka = paragraph_keys(&a, &s);
        let kb = paragraph_keys(&b, &s);
        let lookup: HashMap<u64, (&str, &ParagraphKey)> =
            ka.iter().map(|k| (k.key, ("file:///x/a.md", k))).collect();
        let f = cross_document_by(&kb, |k| lookup.get(&k).copied(), &s, Some(&b_text));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].fixes[0].title,
            "Delete this copy (the paragraph is also in a.md)"
        );
        assert!(!f[0].fixes[0].safe && !f[0].fixes[0].preferred);
        assert_eq!(
            apply_edits(&b_text, &f[0].fixes[0].edits).unwrap(),
            format!("{P2}\n\n{P3}\n")
        );
    }

    #[test]
    fn fix_all_removes_every_exact_copy_and_nothing_else() {
        let t = format!("{P1}\n\n{P2}\n\n{P1}\n\n{P3}\n\n{P2}\n\n{P3}\n");
        let a = analyze(&t, Format::Markdown, &Settings::default());
        let edits = safe_fix_edits(&a.findings);
        assert_eq!(
            apply_edits(&t, &edits).unwrap(),
            format!("{P1}\n\n{P2}\n\n{P3}\n")
        );
    }

    #[test]
    fn list_items_are_compared_and_deleted_whole() {
        let t = format!("- {P1}\n- {P2}\n- {P1}\n");
        assert_eq!(fixed(&R, &t).unwrap(), format!("- {P1}\n- {P2}\n"));
    }

    #[test]
    fn crlf_text_is_fixed_cleanly() {
        let t = format!("{P1}\r\n\r\n{P2}\r\n\r\n{P1}\r\n\r\n{P3}\r\n");
        assert_eq!(
            fixed(&R, &t).unwrap(),
            format!("{P1}\r\n\r\n{P2}\r\n\r\n{P3}\r\n")
        );
    }

    #[test]
    fn suppression_comment_silences_the_next_paragraph() {
        let t =
            format!("{P1}\n\n<!-- copydesk-disable-next-paragraph duplicate-paragraph -->\n{P1}\n");
        assert_count(&R, &t, 0);
    }

    #[test]
    fn near_duplicate_search_scales() {
        // 2,000 distinct paragraphs: finishes quickly and finds nothing.
        let mut t = String::new();
        for i in 0..2000 {
            t.push_str(&format!(
                "Paragraph number {i} talks about item {} and also item {} with words w{} w{}.\n\n",
                i * 7,
                i * 13,
                i % 97,
                i % 89
            ));
        }
        assert_count(&R, &t, 0);
    }

    #[test]
    fn cross_document_copies_are_information_with_a_related_location() {
        let s = Settings::default();
        let a = Document::parse(P1, Format::Plain);
        let b_text = format!("{P2}\n\n{P1}\n");
        let b = Document::parse(&b_text, Format::Plain);
        let ka = paragraph_keys(&a, &s);
        let kb = paragraph_keys(&b, &s);
        let f = cross_document(&kb, &[("file:///x/a.md", &ka)], &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Information);
        assert_eq!(f[0].message, "This paragraph also appears in a.md (line 1)");
        assert_eq!(f[0].related[0].doc.as_deref(), Some("file:///x/a.md"));
    }
}
