//! `Finding` → `Diagnostic`, `Fix` → `CodeAction`. The only place core types meet LSP types.

use crate::analysis::{Edit, Finding, Fix, Severity};
use crate::text::{Encoding, Pos, Text};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Location, NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

pub const SOURCE: &str = "copydesk";

/// What we put in `Diagnostic.data`: which analysis (document revision) and which finding.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DiagnosticData {
    pub rev: u64,
    pub index: usize,
}

pub fn position(p: Pos) -> Position {
    Position::new(p.line, p.character)
}

pub fn pos(p: Position) -> Pos {
    Pos::new(p.line, p.character)
}

pub fn range(text: &Text, span: &std::ops::Range<usize>, enc: Encoding) -> Range {
    let (a, b) = text.range(span.clone(), enc);
    Range::new(position(a), position(b))
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Texts of other documents that related spans may point into, by document key (URI).
pub type OtherTexts = HashMap<String, Text>;

/// Ranges in other documents already known in LSP terms (workspace files that are not open),
/// by (document key, byte span).
pub type ResolvedRanges = HashMap<(String, std::ops::Range<usize>), Range>;

pub struct DiagnosticContext<'a> {
    pub uri: &'a Uri,
    pub text: &'a Text,
    pub enc: Encoding,
    pub rev: u64,
    pub related_support: bool,
    pub others: &'a OtherTexts,
    pub resolved: &'a ResolvedRanges,
}

pub fn diagnostic(cx: &DiagnosticContext, index: usize, f: &Finding) -> Diagnostic {
    let related = if cx.related_support && !f.related.is_empty() {
        Some(
            f.related
                .iter()
                .filter_map(|r| {
                    let location = match &r.doc {
                        None => Location::new(cx.uri.clone(), range(cx.text, &r.span, cx.enc)),
                        Some(key) => {
                            let uri = key.parse::<Uri>().ok()?;
                            match cx.others.get(key) {
                                Some(text) => Location::new(uri, range(text, &r.span, cx.enc)),
                                None => Location::new(
                                    uri,
                                    *cx.resolved.get(&(key.clone(), r.span.clone()))?,
                                ),
                            }
                        }
                    };
                    Some(DiagnosticRelatedInformation {
                        location,
                        message: r.message.clone(),
                    })
                })
                .collect(),
        )
    } else {
        None
    };
    Diagnostic {
        range: range(cx.text, &f.span, cx.enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: f.message.clone(),
        related_information: related,
        tags: None,
        data: serde_json::to_value(DiagnosticData { rev: cx.rev, index }).ok(),
    }
}

pub use crate::analysis::plain_snippet;

pub fn text_edits(text: &Text, edits: &[Edit], enc: Encoding, snippet: bool) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit {
            range: range(text, &e.span, enc),
            new_text: if snippet {
                plain_snippet(&e.replacement)
            } else {
                e.replacement.clone()
            },
        })
        .collect()
}

pub fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

/// A quick fix for one diagnostic.
pub fn quick_fix(
    uri: &Uri,
    text: &Text,
    enc: Encoding,
    fix: &Fix,
    diag: &Diagnostic,
) -> CodeAction {
    CodeAction {
        title: fix.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diag.clone()]),
        edit: Some(workspace_edit(
            uri,
            text_edits(text, &fix.edits, enc, fix.snippet),
        )),
        command: None,
        is_preferred: fix.preferred.then_some(true),
        disabled: None,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_become_placeholders() {
        assert_eq!(plain_snippet(", ${1:speaker} said"), ", speaker said");
        assert_eq!(plain_snippet("no snippet"), "no snippet");
        assert_eq!(plain_snippet("broken ${1:x"), "broken ${1:x");
    }
}
