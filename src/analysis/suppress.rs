//! Suppression comments:
//! `<!-- copydesk-disable RULE -->` … `<!-- copydesk-enable RULE -->` and
//! `<!-- copydesk-disable-next-paragraph RULE -->`. No RULE means every rule; several rules
//! may be listed, separated by spaces or commas.

use super::document::{Comment, Format, Paragraph};
use std::ops::Range;

#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    /// (rule or None for all, byte range where it is off)
    ranges: Vec<(Option<String>, Range<usize>)>,
}

enum Directive {
    Disable(Vec<String>),
    Enable(Vec<String>),
    NextParagraph(Vec<String>),
}

fn parse(comment: &str) -> Option<Directive> {
    let inner = comment
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let (head, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let rules: Vec<String> = rest
        .split([',', ' ', '\t', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    match head {
        "copydesk-disable" => Some(Directive::Disable(rules)),
        "copydesk-enable" => Some(Directive::Enable(rules)),
        "copydesk-disable-next-paragraph" | "copydesk-disable-next-line" => {
            Some(Directive::NextParagraph(rules))
        }
        _ => None,
    }
}

impl Suppressions {
    pub fn build(
        text: &str,
        comments: &[Comment],
        paragraphs: &[Paragraph],
        format: Format,
    ) -> Self {
        // In plain text there is no HTML, but writers may still use the same comment syntax.
        let found: Vec<Range<usize>> = match format {
            Format::Markdown => comments
                .iter()
                .flat_map(|c| split_comments(text, c.span.clone()))
                .collect(),
            Format::Plain => split_comments(text, 0..text.len()),
        };
        let mut s = Suppressions::default();
        // Open `disable` regions: rule (None = all) → start offset.
        let mut open: Vec<(Option<String>, usize)> = Vec::new();
        for span in found {
            let Some(d) = parse(&text[span.clone()]) else {
                continue;
            };
            match d {
                Directive::Disable(rules) => {
                    if rules.is_empty() {
                        open.push((None, span.end));
                    } else {
                        open.extend(rules.into_iter().map(|r| (Some(r), span.end)));
                    }
                }
                Directive::Enable(rules) => {
                    open.retain(|(rule, start)| {
                        let closes =
                            rules.is_empty() || rule.as_ref().is_some_and(|r| rules.contains(r));
                        if closes {
                            s.ranges.push((rule.clone(), *start..span.start));
                        }
                        !closes
                    });
                }
                Directive::NextParagraph(rules) => {
                    if let Some(p) = paragraphs.iter().find(|p| p.span.start >= span.end) {
                        if rules.is_empty() {
                            s.ranges.push((None, p.span.clone()));
                        } else {
                            for r in rules {
                                s.ranges.push((Some(r), p.span.clone()));
                            }
                        }
                    }
                }
            }
        }
        for (rule, start) in open {
            s.ranges.push((rule, start..text.len()));
        }
        s
    }

    pub fn is_suppressed(&self, rule: &str, at: usize) -> bool {
        self.ranges.iter().any(|(r, span)| {
            r.as_deref().is_none_or(|r| r == rule)
                && span.start <= at
                && at < span.end.max(span.start + 1)
        })
    }
}

/// Every `<!-- … -->` inside a range.
fn split_comments(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = range.start;
    while let Some(i) = text[at..range.end].find("<!--") {
        let s = at + i;
        match text[s..range.end].find("-->") {
            Some(j) => {
                out.push(s..s + j + 3);
                at = s + j + 3;
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::analysis::document::{Document, Format};

    #[test]
    fn disable_enable_and_next_paragraph() {
        let t = "A.\n\n<!-- copydesk-disable duplicate-paragraph -->\n\nB.\n\n<!-- copydesk-enable duplicate-paragraph -->\n\nC.\n\n<!-- copydesk-disable-next-paragraph -->\nD.\n\nE.\n";
        let d = Document::parse(t, Format::Markdown);
        let at = |s: &str| t.find(s).unwrap();
        let s = &d.suppressions;
        assert!(!s.is_suppressed("duplicate-paragraph", at("A.")));
        assert!(s.is_suppressed("duplicate-paragraph", at("B.")));
        assert!(!s.is_suppressed("name-spelling", at("B.")));
        assert!(!s.is_suppressed("duplicate-paragraph", at("C.")));
        assert!(s.is_suppressed("name-spelling", at("D.")));
        assert!(s.is_suppressed("duplicate-paragraph", at("D.")));
        assert!(!s.is_suppressed("duplicate-paragraph", at("E.")));
    }

    #[test]
    fn comments_inside_code_do_not_count() {
        let t = "```\n<!-- copydesk-disable -->\n```\n\nA.\n";
        let d = Document::parse(t, Format::Markdown);
        assert!(!d.suppressions.is_suppressed("x", t.find("A.").unwrap()));
    }
}
