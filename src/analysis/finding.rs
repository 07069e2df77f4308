//! What the core says: findings, their fixes and edits (byte spans into the document's text).
//!
//! The bottom layer of the core: plain data every other layer may use.

use serde::{Deserialize, Serialize};
use std::ops::Range;

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
