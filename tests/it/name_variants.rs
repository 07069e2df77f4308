//! Measurements of `name-spelling` over the shared corpora (run with `--nocapture` to see the
//! numbers). Each test skips with a message when `../shared` is not there.
//!
//! - published copy (onestopenglish, Wikinews/GUM): false alarms per 10,000 words beyond the
//!   known real inconsistencies, and which of those are found;
//! - OFAC spelling variants of one person's name: recall of the variant matcher;
//! - GUM legitimate name forms of one entity ("President Donald Trump" / "Trump"): false-pair
//!   rate;
//! - the eval articles: every expected `name-spelling` item found, no `must_not` flagged.

use copydesk::analysis::rules::names::NameSpelling;
use copydesk::analysis::{Document, Finding, Format, Rule};
use copydesk::config::Settings;
use serde_json::Value;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    crate::common::shared("corpus")
}

fn check(text: &str, format: Format) -> Vec<Finding> {
    let doc = Document::parse(text, format);
    let mut out = Vec::new();
    NameSpelling.check(&doc, &Settings::default(), &mut out);
    out.retain(|f| !doc.suppressions.is_suppressed(f.rule, f.span.start));
    out
}

fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Byte range of a character range (the GUM offsets count characters).
fn char_to_byte(text: &str, start: usize, len: usize) -> Range<usize> {
    let mut idx = text.char_indices().map(|(b, _)| b).chain([text.len()]);
    let s = idx.nth(start).unwrap_or(text.len());
    let e = text[s..]
        .char_indices()
        .map(|(b, _)| s + b)
        .chain([text.len()])
        .nth(len)
        .unwrap_or(text.len());
    s..e
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

#[test]
fn published_copy_is_nearly_silent() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    // Known real inconsistencies: doc → (row number, byte ranges).
    let tsv = std::fs::read_to_string(
        corpus.join("wikinews-gum/naturally_occurring_name_inconsistencies.tsv"),
    )
    .unwrap();
    let rows: Vec<Vec<String>> = tsv
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(String::from).collect())
        .collect();

    let mut files = txt_files(&corpus.join("onestopenglish/articles"));
    files.extend(txt_files(&corpus.join("wikinews-gum/news")));
    files.extend(txt_files(&corpus.join("wikinews-gum/interview")));
    let mut words = 0usize;
    let mut false_alarms = Vec::new();
    let mut found_rows = BTreeSet::new();
    let mut real = 0usize;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        words += text.split_whitespace().count();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let known: Vec<(usize, Range<usize>)> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r[0] == stem)
            .flat_map(|(i, r)| {
                let mut v = Vec::new();
                for (form, offs) in [(&r[2], &r[5]), (&r[3], &r[6])] {
                    let offs: Vec<usize> = serde_json::from_str(offs).unwrap_or_default();
                    for o in offs {
                        v.push((i, char_to_byte(&text, o, form.chars().count())));
                    }
                }
                v
            })
            .collect();
        for f in check(&text, Format::Plain) {
            let hits: Vec<usize> = known
                .iter()
                .filter(|(_, r)| overlaps(r, &f.span))
                .map(|(i, _)| *i)
                .collect();
            if hits.is_empty() {
                false_alarms.push(format!(
                    "{stem}: ‘{}’ — {}",
                    &text[f.span.clone()],
                    f.message
                ));
            } else {
                real += 1;
                found_rows.extend(hits);
            }
        }
    }
    // Speed on real copy: every article above as one long document.
    let all: String = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n\n");
    let doc = Document::parse(&all, Format::Plain);
    let took = (0..5)
        .map(|_| {
            let started = std::time::Instant::now();
            let mut out = Vec::new();
            NameSpelling.check(&doc, &Settings::default(), &mut out);
            started.elapsed()
        })
        .min()
        .unwrap();
    println!(
        "speed: all {} words as one document in {took:?} (best of 5)",
        all.split_whitespace().count()
    );
    let rate = false_alarms.len() as f64 * 10_000.0 / words as f64;
    println!(
        "corpus: {} files, {words} words, {} findings on known inconsistencies, {} other findings = {rate:.2} per 10,000 words",
        files.len(),
        real,
        false_alarms.len()
    );
    for fa in &false_alarms {
        println!("  other: {fa}");
    }
    for (i, r) in rows.iter().enumerate() {
        println!(
            "  known inconsistency {} ‘{}’ / ‘{}’ ({}): {}",
            r[0],
            r[2],
            r[3],
            r[4],
            if found_rows.contains(&i) {
                "FOUND"
            } else {
                "missed"
            }
        );
    }
    assert!(rate <= 1.0, "false alarms: {rate:.2} per 10,000 words");
    assert!(
        found_rows.len() >= 6,
        "found {} known inconsistencies",
        found_rows.len()
    );
}

#[test]
fn ofac_spelling_variants_are_recalled() {
    let Some(shared) = shared() else { return };
    let tsv = std::fs::read_to_string(
        shared.join("corpus/name-variants-ofac/individual_spelling_variant_pairs.tsv"),
    )
    .unwrap();
    let mut total = 0usize;
    let mut found = 0usize;
    let mut misses = Vec::new();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            continue;
        }
        let (a, b) = (cols[1].trim(), cols[2].trim());
        let text = format!(
            "On Monday, officials said {a} had arrived in the capital.\n\nLater that week, the ministry said {b} had left the country.\n"
        );
        total += 1;
        let f = check(&text, Format::Plain);
        if f.is_empty() {
            misses.push(format!("{a} / {b}"));
        } else {
            found += 1;
        }
    }
    if let Ok(path) = std::env::var("NAME_VARIANTS_DUMP") {
        let _ = std::fs::write(path, misses.join("\n"));
    }
    let recall = found as f64 / total as f64;
    println!("OFAC: {found} of {total} variant pairs found, recall {recall:.3}");
    for m in misses.iter().step_by((misses.len() / 40).max(1)) {
        println!("  missed: {m}");
    }
    assert!(recall >= 0.75, "recall {recall:.3}");
}

#[test]
fn legitimate_name_forms_are_not_paired() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus/wikinews-gum");
    let known: Vec<(String, String)> =
        std::fs::read_to_string(corpus.join("naturally_occurring_name_inconsistencies.tsv"))
            .unwrap()
            .lines()
            .skip(1)
            .filter_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                (c.len() > 1).then(|| (c[0].to_string(), c[1].to_string()))
            })
            .collect();
    let jsonl = std::fs::read_to_string(corpus.join("named_entity_variants.jsonl")).unwrap();
    let mut pairs = 0usize;
    let mut flagged = Vec::new();
    let mut entities = 0usize;
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        let doc = v["doc"].as_str().unwrap_or_default().to_string();
        let identity = v["identity"].as_str().unwrap_or_default().to_string();
        if known.contains(&(doc, identity.clone())) {
            continue;
        }
        let forms: Vec<String> = v["name_forms"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x[0].as_str().map(String::from))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default();
        if forms.len() < 2 {
            continue;
        }
        entities += 1;
        // One form per paragraph, each mid-sentence.
        let mut text = String::new();
        let mut paras: Vec<Range<usize>> = Vec::new();
        for form in &forms {
            let start = text.len();
            text.push_str(&format!("Reporters said {form} was mentioned again.\n\n"));
            paras.push(start..text.len());
        }
        pairs += forms.len() * (forms.len() - 1) / 2;
        let para_of = |o: usize| paras.iter().position(|p| p.contains(&o));
        let mut seen = BTreeSet::new();
        for f in check(&text, Format::Plain) {
            let a = para_of(f.span.start);
            let b = f.related.first().and_then(|r| para_of(r.span.start));
            if let (Some(a), Some(b)) = (a, b)
                && seen.insert((a.min(b), a.max(b)))
            {
                flagged.push(format!(
                    "{identity}: ‘{}’ vs ‘{}’",
                    forms[a.min(b)],
                    forms[a.max(b)]
                ));
            }
        }
    }
    let rate = flagged.len() as f64 / pairs.max(1) as f64;
    println!(
        "GUM legitimate forms: {entities} entities, {pairs} form pairs, {} flagged, false-pair rate {rate:.4}",
        flagged.len()
    );
    for f in &flagged {
        println!("  flagged: {f}");
    }
    assert!(rate <= 0.01, "false-pair rate {rate:.4}");
}

#[test]
fn eval_articles_pass_for_name_spelling() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("eval/articles");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".expect.json") else {
            continue;
        };
        let expect: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let (article, format) = if dir.join(format!("{stem}.md")).exists() {
            (dir.join(format!("{stem}.md")), Format::Markdown)
        } else {
            (dir.join(format!("{stem}.txt")), Format::Plain)
        };
        let text = std::fs::read_to_string(&article).unwrap();
        let findings = check(&text, format);
        let locate = |item: &Value| -> Option<Range<usize>> {
            let t = item["text"].as_str()?;
            let n = item["occurrence"].as_u64().unwrap_or(1) as usize;
            let start = text.match_indices(t).nth(n - 1)?.0;
            Some(start..start + t.len())
        };
        let mut matched = vec![false; findings.len()];
        for item in expect["expect"].as_array().into_iter().flatten() {
            if item["code"] != "name-spelling" {
                continue;
            }
            checked += 1;
            let r = locate(item);
            let hit = findings
                .iter()
                .position(|f| r.as_ref().is_some_and(|r| overlaps(r, &f.span)));
            match hit {
                Some(i) => matched[i] = true,
                None => problems.push(format!("{stem}: missed {}", item["text"])),
            }
        }
        for item in expect["must_not"].as_array().into_iter().flatten() {
            if item["code"] != "name-spelling" {
                continue;
            }
            checked += 1;
            if let Some(r) = locate(item)
                && findings.iter().any(|f| overlaps(&r, &f.span))
            {
                problems.push(format!("{stem}: flagged must_not {}", item["text"]));
            }
        }
        for (f, m) in findings.iter().zip(&matched) {
            if !m {
                problems.push(format!(
                    "{stem}: unexpected ‘{}’ ({})",
                    &text[f.span.clone()],
                    f.message
                ));
            }
        }
    }
    println!("eval: {checked} name-spelling items checked");
    for p in &problems {
        println!("  {p}");
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
