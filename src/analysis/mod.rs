//! The pure core: text in, [`Finding`]s out.
//!
//! Nothing here knows about LSP, JSON-RPC or tokio. Positions are byte offsets into the
//! document's UTF-8 text; fixes are byte-range edits. `src/server` and `src/cli.rs` translate.

pub mod cache;
pub mod document;
pub mod engine;
pub mod finding;
pub mod lang;
pub mod normalize;
pub mod quoted;
pub mod rules;
pub mod sources;
pub mod suppress;

pub use cache::{ParaCache, RuleMemo};
pub use document::{BlockKind, Document, Format, Paragraph};
pub use engine::Memo;
pub use finding::{Edit, Finding, Fix, Related, SettingsChange, Severity, plain_snippet};
pub use rules::Rule;

use crate::analysis::rules::Settings;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// A rule that failed or ran long on one document.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleProblem {
    pub rule: &'static str,
    pub message: String,
}

/// Everything the core says about one document.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    /// Rules that panicked (their findings are dropped) or exceeded their time budget.
    pub problems: Vec<RuleProblem>,
    /// Comparison keys of this document's paragraphs, for cross-document duplicates.
    pub paragraphs: Vec<rules::duplicate::ParagraphKey>,
    /// This document's name spellings, for the desk's cross-document check.
    pub names: std::sync::Arc<Vec<rules::names::desk::DraftName>>,
}

/// A rule that takes longer than this on one document is reported.
pub const RULE_TIME_BUDGET: Duration = Duration::from_millis(2_000);

/// Analyse one document with every enabled rule. A rule that panics is isolated: its findings
/// are dropped for this run, the problem is returned, and the other rules' findings stand.
pub fn analyze(text: &str, format: Format, settings: &Settings) -> Analysis {
    analyze_with(text, format, settings, rules::all())
}

/// [`analyze`] for the next version of a document analysed before with the same `memo`:
/// only what changed is derived again. The result is the same as [`analyze`]'s.
pub fn analyze_memo(text: &str, format: Format, settings: &Settings, memo: &mut Memo) -> Analysis {
    analyze_with_memo(text, format, settings, rules::all(), memo)
}

/// [`analyze`] with an explicit rule list (tests use this to inject failing rules).
pub fn analyze_with(
    text: &str,
    format: Format,
    settings: &Settings,
    rule_list: &[&dyn Rule],
) -> Analysis {
    analyze_with_memo(text, format, settings, rule_list, &mut Memo::new())
}

/// [`analyze_memo`] with an explicit rule list.
pub fn analyze_with_memo(
    text: &str,
    format: Format,
    settings: &Settings,
    rule_list: &[&dyn Rule],
    memo: &mut Memo,
) -> Analysis {
    memo.use_settings(settings);
    let doc = Document::parse_memo(text, format, &mut memo.parse);
    let enabled: Vec<&dyn Rule> = rule_list
        .iter()
        .copied()
        .filter(|r| r.enabled(settings))
        .collect();
    let codes: Vec<&str> = enabled.iter().map(|r| r.code()).collect();
    let derived = memo.derive(&doc, settings, &codes);
    let mut out = Analysis {
        paragraphs: derived.keys.clone(),
        ..Default::default()
    };
    // Large documents: the rules run side by side (they only read the document), so an
    // editor waits for the slowest rule, not for all of them in turn.
    let parallel = text.len() >= PARALLEL_FROM_BYTES && enabled.len() > 1;
    // Transitional: the rules that keep their own state get it (each its own).
    let mut jobs: Vec<(&dyn Rule, Option<RuleMemo>)> = enabled
        .iter()
        .map(|r| {
            let own = engine::KEEPS_OWN_STATE.contains(&r.code());
            (*r, own.then(|| memo.take_rule(r.code())))
        })
        .collect();
    let facts = memo.facts(&doc, &derived);
    let sources_failed = derived.checked.as_ref().err();
    let run = |rule: &dyn Rule, m: &mut Option<RuleMemo>| match sources_failed {
        Some(why) if engine::READS_SOURCES.contains(&rule.code()) => RuleRun {
            result: Err(why.clone()),
            took: Duration::ZERO,
        },
        _ => run_rule(rule, &facts, settings, m),
    };
    let results: Vec<(&'static str, RuleRun)> = if parallel {
        run_shared_out(&mut jobs, &memo.took, &run)
    } else {
        jobs.iter_mut()
            .map(|(rule, m)| (rule.code(), run(*rule, m)))
            .collect()
    };
    for (code, r) in &results {
        memo.took.insert(code, r.took);
    }
    for (rule, m) in jobs {
        let Some(mut m) = m else { continue };
        if rule.code() == rules::names::CODE {
            out.names = rules::names::desk_names(&mut m);
        }
        memo.put_rule(rule.code(), m);
    }
    for (code, run) in results {
        match run.result {
            Ok(found) => out.findings.extend(found),
            Err(why) => {
                tracing::error!(rule = code, "rule panicked: {why}");
                out.problems.push(RuleProblem {
                    rule: code,
                    message: format!("the {code} check failed on this document: {why}"),
                });
            }
        }
        if run.took > RULE_TIME_BUDGET {
            out.problems.push(RuleProblem {
                rule: code,
                message: format!(
                    "the {code} check took {} ms on this document (budget {} ms)",
                    run.took.as_millis(),
                    RULE_TIME_BUDGET.as_millis()
                ),
            });
        }
    }
    out.findings
        .sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    out
}

/// The rules shared out among the processors: one group per processor, balanced by how long
/// each rule took last time (slowest first, each to the least loaded group); the first group
/// runs on this thread, so a two-processor machine starts one thread, not one per rule.
fn run_shared_out<'r>(
    jobs: &mut [(&'r dyn Rule, Option<RuleMemo>)],
    took: &HashMap<&'static str, Duration>,
    run: &(dyn Fn(&dyn Rule, &mut Option<RuleMemo>) -> RuleRun + Sync),
) -> Vec<(&'static str, RuleRun)> {
    let groups = cache::cores().clamp(1, jobs.len().max(1));
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    let cost = |i: usize| took.get(jobs[i].0.code()).copied().unwrap_or_default();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(i)));
    let mut load = vec![Duration::ZERO; groups];
    let mut group_of = vec![0; jobs.len()];
    for (n, &i) in order.iter().enumerate() {
        // Nothing measured yet: round robin.
        let g = if cost(i).is_zero() {
            n % groups
        } else {
            (0..groups).min_by_key(|&g| load[g]).unwrap_or(0)
        };
        load[g] += cost(i);
        group_of[i] = g;
    }
    let mut parts: Vec<Vec<&mut (&'r dyn Rule, Option<RuleMemo>)>> =
        (0..groups).map(|_| Vec::new()).collect();
    for (i, job) in jobs.iter_mut().enumerate() {
        parts[group_of[i]].push(job);
    }
    let run_group = |part: Vec<&mut (&'r dyn Rule, Option<RuleMemo>)>| {
        part.into_iter()
            .map(|(rule, m)| (rule.code(), run(*rule, m)))
            .collect::<Vec<_>>()
    };
    let mut parts = parts.into_iter();
    let here = parts.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .map(|part| {
                let codes: Vec<&'static str> = part.iter().map(|j| j.0.code()).collect();
                (codes, scope.spawn(move || run_group(part)))
            })
            .collect();
        let mut out = run_group(here);
        for (codes, h) in handles {
            match h.join() {
                Ok(r) => out.extend(r),
                Err(_) => out.extend(codes.into_iter().map(|c| {
                    (
                        c,
                        RuleRun {
                            result: Err("the rule's thread failed".into()),
                            took: Duration::ZERO,
                        },
                    )
                })),
            }
        }
        out
    })
}

/// Documents at least this large run their rules in parallel.
const PARALLEL_FROM_BYTES: usize = 16 * 1024;

struct RuleRun {
    result: Result<Vec<Finding>, String>,
    took: Duration,
}

/// One rule on one document, isolated: a panic becomes an error, suppressed findings go.
/// `memo`: the state of a rule that keeps its own (transitional), else `None`.
fn run_rule(
    rule: &dyn Rule,
    facts: &rules::Facts,
    settings: &Settings,
    memo: &mut Option<RuleMemo>,
) -> RuleRun {
    let started = Instant::now();
    let mut found = Vec::new();
    let result = catch_unwind(AssertUnwindSafe(|| match memo {
        Some(m) => rule.check_memo(facts.doc, settings, m, &mut found),
        None => rule.check_facts(facts, settings, &mut found),
    }));
    if result.is_err()
        && let Some(m) = memo
    {
        // The rule's state may be half-updated: start it afresh next time.
        m.clear();
    }
    let took = started.elapsed();
    let doc = facts.doc;
    let result = match result {
        Ok(()) => {
            found.retain(|f| !doc.suppressions.is_suppressed(f.rule, f.span.start));
            Ok(found)
        }
        Err(panic) => Err(panic_message(&*panic)),
    };
    RuleRun { result, took }
}

/// The message of a caught panic.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Apply non-overlapping edits to a text (used by `check --fix` and tests).
/// Returns `None` when edits overlap or fall outside the text.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        if e.span.start < at
            || e.span.end > text.len()
            || e.span.start > e.span.end
            || !text.is_char_boundary(e.span.start)
            || !text.is_char_boundary(e.span.end)
        {
            return None;
        }
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The edits of every safe fix, one fix per finding, skipping any that would overlap an
/// edit already chosen. Fixes shared by several findings (a run) are taken once.
pub fn safe_fix_edits(findings: &[Finding]) -> Vec<Edit> {
    let mut chosen: Vec<Edit> = Vec::new();
    let mut seen_titles = std::collections::HashSet::new();
    for f in findings {
        // Prefer the widest safe fix (a run fix covers its members).
        let Some(fix) = f
            .fixes
            .iter()
            .filter(|x| x.safe && x.settings_change.is_none())
            .max_by_key(|x| x.edits.iter().map(|e| e.span.len()).sum::<usize>())
        else {
            continue;
        };
        if !seen_titles.insert((fix.title.clone(), fix.edits.first().map(|e| e.span.clone()))) {
            continue;
        }
        let overlaps = fix.edits.iter().any(|e| {
            chosen.iter().any(|c| {
                e.span.start < c.span.end.max(c.span.start + 1)
                    && c.span.start < e.span.end.max(e.span.start + 1)
            })
        });
        if !overlaps {
            chosen.extend(fix.edits.iter().cloned());
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Panics;
    impl Rule for Panics {
        fn code(&self) -> &'static str {
            "panics"
        }
        fn enabled(&self, _: &Settings) -> bool {
            true
        }
        fn check(&self, _: &Document, _: &Settings, _: &mut Vec<Finding>) {
            panic!("boom");
        }
    }

    #[test]
    fn a_panicking_rule_is_isolated() {
        let text = "One paragraph that is long enough to be compared by the rule here.\n\nOne paragraph that is long enough to be compared by the rule here.\n";
        let dup = rules::duplicate::DuplicateParagraph;
        let a = analyze_with(text, Format::Plain, &Settings::default(), &[&Panics, &dup]);
        assert_eq!(a.problems.len(), 1);
        assert!(a.problems[0].message.contains("boom"));
        assert_eq!(a.findings.len(), 1);
    }

    #[test]
    fn a_panicking_rule_is_isolated_when_rules_run_in_parallel() {
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(&format!(
                "Paragraph {i} is long enough to be compared by the duplicate rule.\n\n"
            ));
        }
        text.push_str("Paragraph 7 is long enough to be compared by the duplicate rule.\n");
        assert!(text.len() >= PARALLEL_FROM_BYTES);
        let dup = rules::duplicate::DuplicateParagraph;
        let a = analyze_with(&text, Format::Plain, &Settings::default(), &[&Panics, &dup]);
        assert_eq!(a.problems.len(), 1);
        assert_eq!(a.findings.len(), 1);
    }

    #[test]
    fn apply_edits_rejects_overlaps() {
        assert_eq!(
            apply_edits("abcdef", &[Edit::delete(1..3), Edit::insert(4, "X")]).as_deref(),
            Some("adXef")
        );
        assert_eq!(
            apply_edits("abcdef", &[Edit::delete(1..3), Edit::delete(2..4)]),
            None
        );
        assert_eq!(apply_edits("ab", &[Edit::delete(1..9)]), None);
    }
}
