//! The pure core: text in, [`Finding`]s out.
//!
//! Nothing here knows about LSP, JSON-RPC or tokio. Positions are byte offsets into the
//! document's UTF-8 text; fixes are byte-range edits. `src/server` and `src/cli.rs` translate.

pub mod document;
pub mod lang;
pub mod memo;
pub mod normalize;
pub mod quoted;
pub mod rules;
pub mod sources;
pub mod suppress;

pub use document::{BlockKind, Document, Format, Paragraph};
pub use memo::{Memo, ParaCache, RuleMemo};

use crate::config::Settings;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// How loudly a finding is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    #[serde(alias = "warn")]
    Warning,
    #[serde(alias = "info")]
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// One replacement of a byte range of the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn delete(span: Range<usize>) -> Self {
        Edit {
            span,
            replacement: String::new(),
        }
    }
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            span: at..at,
            replacement: text.into(),
        }
    }
}

/// A change to the workspace settings a fix asks for (the server writes it into
/// `copydesk.toml` as a WorkspaceEdit; the CLI never applies it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SettingsChange {
    /// Add a spelling to `[names] accept`.
    AcceptName(String),
    /// Add `variant = "preferred"` to `[names.prefer]` (the desk's spelling).
    PreferName { variant: String, preferred: String },
}

/// Snippet syntax (`${1:speaker}`) turned into its placeholder text, for clients and
/// edit kinds that take plain text.
pub fn plain_snippet(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(j) => {
                let inner = &after[..j];
                out.push_str(inner.split_once(':').map(|x| x.1).unwrap_or(""));
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A quick fix: a titled set of non-overlapping edits to this document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// The one fix an editor applies on "fix this" (at most one per finding).
    pub preferred: bool,
    /// Safe to apply without looking (part of "fix all" and `check --fix`).
    pub safe: bool,
    /// The replacement text contains a `${1:placeholder}` snippet.
    pub snippet: bool,
    pub settings_change: Option<SettingsChange>,
}

impl Fix {
    pub fn new(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            edits,
            preferred: false,
            safe: false,
            snippet: false,
            settings_change: None,
        }
    }
    pub fn preferred(mut self) -> Self {
        self.preferred = true;
        self
    }
    pub fn safe(mut self) -> Self {
        self.safe = true;
        self
    }
}

/// Another place that explains a finding: in this document (`doc: None`) or in another one
/// (`doc: Some(key)`, an opaque key the caller gave that document, e.g. its URI).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub doc: Option<String>,
    pub span: Range<usize>,
    pub message: String,
}

/// A problem found in a document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule code, e.g. `duplicate-paragraph`.
    pub rule: &'static str,
    pub severity: Severity,
    pub span: Range<usize>,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            severity,
            span,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }
}

/// A rule: one file under `rules/`, one line in [`rules::all`].
pub trait Rule: Sync {
    /// The stable diagnostic code.
    fn code(&self) -> &'static str;
    fn enabled(&self, settings: &Settings) -> bool;
    fn check(&self, doc: &Document, settings: &Settings, out: &mut Vec<Finding>);
    /// [`Rule::check`] with state kept from the previous analysis of the same document (see
    /// [`memo`]). Must find exactly what `check` finds; the default ignores the memo.
    fn check_memo(
        &self,
        doc: &Document,
        settings: &Settings,
        memo: &mut RuleMemo,
        out: &mut Vec<Finding>,
    ) {
        let _ = memo;
        self.check(doc, settings, out)
    }
}

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
    let mut out = Analysis {
        paragraphs: rules::duplicate::paragraph_keys_memo(&doc, settings, &mut memo.keys).to_vec(),
        ..Default::default()
    };
    let enabled: Vec<&dyn Rule> = rule_list
        .iter()
        .copied()
        .filter(|r| r.enabled(settings))
        .collect();
    // Large documents: the rules run side by side (they only read the document), so an
    // editor waits for the slowest rule, not for all of them in turn.
    let parallel = text.len() >= PARALLEL_FROM_BYTES && enabled.len() > 1;
    let mut jobs: Vec<(&dyn Rule, RuleMemo)> = enabled
        .iter()
        .map(|r| (*r, memo.take_rule(r.code())))
        .collect();
    let results: Vec<(&'static str, RuleRun)> = if parallel {
        std::thread::scope(|scope| {
            let handles: Vec<_> = jobs
                .iter_mut()
                .map(|(rule, m)| {
                    let doc = &doc;
                    let rule = *rule;
                    (
                        rule.code(),
                        scope.spawn(move || run_rule(rule, doc, settings, m)),
                    )
                })
                .collect();
            handles
                .into_iter()
                .map(|(code, h)| {
                    (
                        code,
                        h.join().unwrap_or_else(|_| RuleRun {
                            result: Err("the rule's thread failed".into()),
                            took: Duration::ZERO,
                        }),
                    )
                })
                .collect()
        })
    } else {
        jobs.iter_mut()
            .map(|(rule, m)| (rule.code(), run_rule(*rule, &doc, settings, m)))
            .collect()
    };
    for (rule, mut m) in jobs {
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

/// Documents at least this large run their rules in parallel.
const PARALLEL_FROM_BYTES: usize = 16 * 1024;

struct RuleRun {
    result: Result<Vec<Finding>, String>,
    took: Duration,
}

/// One rule on one document, isolated: a panic becomes an error, suppressed findings go.
fn run_rule(rule: &dyn Rule, doc: &Document, settings: &Settings, memo: &mut RuleMemo) -> RuleRun {
    let started = Instant::now();
    let mut found = Vec::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        rule.check_memo(doc, settings, memo, &mut found)
    }));
    if result.is_err() {
        // The rule's state may be half-updated: start it afresh next time.
        memo.clear();
    }
    let took = started.elapsed();
    let result = match result {
        Ok(()) => {
            found.retain(|f| !doc.suppressions.is_suppressed(f.rule, f.span.start));
            Ok(found)
        }
        Err(panic) => Err(panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())),
    };
    RuleRun { result, took }
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
