//! A document split into paragraphs, with everything that is not prose masked out.
//!
//! `prose` has exactly the same length and line structure as `text`, but code (fenced,
//! indented, inline), HTML, link destinations, images and front matter are replaced by spaces,
//! so rules can search it freely and every offset they find is an offset into `text`.

mod chunks;

pub use chunks::ParseMemo;

use super::suppress::Suppressions;
use crate::text::LineIndex;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// How to read a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Plain,
}

impl Format {
    /// `markdown` → Markdown; any other language id is read as plain text.
    pub fn from_language_id(id: &str) -> Self {
        match id {
            "markdown" | "md" | "mdx" | "quarto" | "rmd" => Format::Markdown,
            _ => Format::Plain,
        }
    }

    pub fn from_path(path: &std::path::Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
        {
            Some(e) if e == "md" || e == "markdown" || e == "mdown" || e == "mkd" => {
                Format::Markdown
            }
            _ => Format::Plain,
        }
    }
}

/// What kind of block a paragraph is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    /// A table cell (markdown tables); rules usually skip these.
    TableCell,
}

/// A unit of prose: a paragraph, heading, list item or table cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// From the first to the last byte of its prose.
    pub span: Range<usize>,
    pub kind: BlockKind,
    /// Inside a block quote (`> `).
    pub quoted: bool,
}

/// A parsed document.
#[derive(Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    /// `text` with non-prose bytes replaced by spaces (same length, same line breaks).
    pub prose: String,
    pub format: Format,
    pub paragraphs: Vec<Paragraph>,
    pub lines: LineIndex,
    pub suppressions: Suppressions,
    hashes: std::sync::OnceLock<Vec<u64>>,
}

impl<'a> Document<'a> {
    pub fn parse(text: &'a str, format: Format) -> Self {
        Self::parse_memo(text, format, &mut ParseMemo::default())
    }

    /// [`Document::parse`], reusing the markdown chunks parsed for an earlier version.
    pub fn parse_memo(text: &'a str, format: Format, memo: &mut ParseMemo) -> Self {
        let lines = LineIndex::new(text);
        let (prose, paragraphs, comments) = match format {
            Format::Markdown => chunks::parse(text, memo),
            Format::Plain => (text.to_string(), plain_paragraphs(text), Vec::new()),
        };
        let suppressions = Suppressions::build(text, &comments, &paragraphs, format);
        Document {
            text,
            prose,
            format,
            paragraphs,
            lines,
            suppressions,
            hashes: Default::default(),
        }
    }

    /// A content hash of paragraph `i`: its text, its prose, its kind and whether it is
    /// quoted. Per-paragraph results a rule caches under this key must depend on nothing else.
    pub fn paragraph_hash(&self, i: usize) -> u64 {
        self.hashes.get_or_init(|| {
            self.paragraphs
                .iter()
                .map(|p| {
                    crate::analysis::cache::content_hash(&[
                        self.text[p.span.clone()].as_bytes(),
                        self.prose[p.span.clone()].as_bytes(),
                        &[p.kind as u8, u8::from(p.quoted)],
                    ])
                })
                .collect()
        })[i]
    }

    /// The prose of a paragraph (non-prose masked by spaces).
    pub fn prose_of(&self, p: &Paragraph) -> &str {
        &self.prose[p.span.clone()]
    }

    /// 1-based line number of a byte offset.
    pub fn line_number(&self, byte: usize) -> usize {
        self.lines.line(byte) + 1
    }

    /// The byte range of the whole lines a span touches, without the final line break.
    pub fn line_block(&self, span: &Range<usize>) -> Range<usize> {
        let first = self.lines.line(span.start);
        let last = self.lines.line(span.end.saturating_sub(1).max(span.start));
        let start = self.lines.start(first);
        let end = if last + 1 < self.lines.len() {
            let next = self.lines.start(last + 1);
            let b = self.text.as_bytes();
            let mut e = next;
            if e > start && b[e - 1] == b'\n' {
                e -= 1;
            }
            if e > start && b[e - 1] == b'\r' {
                e -= 1;
            }
            e
        } else {
            self.text.len()
        };
        start..end
    }

    /// The edit span that deletes whole paragraphs (lines `block`) and one separator, leaving
    /// neither a double blank line nor a missing one. For a block at the end of the text, the
    /// separator before it is removed instead, so the text still ends as it did.
    pub fn deletion_span(&self, block: Range<usize>) -> Range<usize> {
        let t = self.text;
        let b = t.as_bytes();
        let after = &t[block.end..];
        if after.trim().is_empty() {
            // Last content in the document: remove from the end of the previous content.
            let before = &t[..block.start];
            let prev_end = before.trim_end().len();
            return prev_end..block.end;
        }
        // Remove the block, its line break, and at most one blank line that follows.
        let mut end = block.end;
        end = skip_line_break(b, end);
        let blank_end = {
            let mut e = end;
            while e < b.len() && (b[e] == b' ' || b[e] == b'\t') {
                e += 1;
            }
            if e < b.len() && (b[e] == b'\n' || b[e] == b'\r') {
                Some(skip_line_break(b, e))
            } else {
                None
            }
        };
        // Only swallow the blank line when the block itself was preceded by one (or starts
        // the text); otherwise two paragraphs would be glued together.
        let preceded_by_blank = block.start == 0 || {
            let before = &t[..block.start];
            let trimmed = before.trim_end_matches([' ', '\t']);
            let nl = trimmed.len();
            nl > 0 && {
                let without = trimmed
                    .strip_suffix('\n')
                    .map(|s| s.strip_suffix('\r').unwrap_or(s))
                    .or_else(|| trimmed.strip_suffix('\r'))
                    .unwrap_or(trimmed);
                let line_start = without.rfind(['\n', '\r']).map(|i| i + 1).unwrap_or(0);
                without[line_start..].trim().is_empty()
            }
        };
        if let Some(e) = blank_end
            && preceded_by_blank
        {
            end = e;
        }
        block.start..end
    }
}

fn skip_line_break(b: &[u8], mut i: usize) -> usize {
    if i < b.len() && b[i] == b'\r' {
        i += 1;
    }
    if i < b.len() && b[i] == b'\n' {
        i += 1;
    }
    i
}

/// An HTML comment found in the markdown (for suppression comments).
#[derive(Clone, Debug)]
pub struct Comment {
    pub span: Range<usize>,
}

struct Leaf {
    kind: BlockKind,
    quoted: bool,
    start: usize,
    end: usize,
    any: bool,
}

/// Parse markdown whole. `front_matter`: the text starts the document, so a leading
/// `---`/`+++` block is front matter.
/// Also returns how far its blocks reach (the largest end offset of any event).
fn parse_markdown(text: &str, front_matter: bool) -> (String, Vec<Paragraph>, Vec<Comment>, usize) {
    let mut keep = vec![false; text.len()];
    let mut paragraphs = Vec::new();
    let mut comments = Vec::new();
    // Front matter is found here, not by pulldown-cmark: its metadata blocks also start
    // after any blank line mid-document, which would hide the prose between two `---` rules.
    let body_start = if front_matter {
        front_matter_end(text)
    } else {
        0
    };
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut stack: Vec<Leaf> = Vec::new();
    let mut quote_depth = 0usize;
    let mut skip_depth = 0usize; // inside code blocks, images, metadata
    let mut link_depth = 0usize;
    let mut reach = 0;
    for (ev, range) in Parser::new_ext(&text[body_start..], opts).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        reach = reach.max(range.end);
        match ev {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell | Tag::Item => {
                    // A loose list item holds paragraphs: the paragraph is the leaf.
                    let kind = match tag {
                        Tag::Heading { .. } => BlockKind::Heading,
                        Tag::TableCell => BlockKind::TableCell,
                        Tag::Item => BlockKind::ListItem,
                        _ => match stack.last() {
                            Some(l) if l.kind == BlockKind::ListItem => BlockKind::ListItem,
                            _ => BlockKind::Paragraph,
                        },
                    };
                    stack.push(Leaf {
                        kind,
                        quoted: quote_depth > 0,
                        start: usize::MAX,
                        end: 0,
                        any: false,
                    });
                }
                Tag::BlockQuote(_) => quote_depth += 1,
                Tag::CodeBlock(_) | Tag::Image { .. } => skip_depth += 1,
                Tag::HtmlBlock => {}
                Tag::List(_) => {
                    // Text of an item after its nested list is not part of the same line run.
                }
                Tag::Link { .. } => link_depth += 1,
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item => {
                    if let Some(leaf) = stack.pop()
                        && leaf.any
                    {
                        paragraphs.push(Paragraph {
                            span: leaf.start..leaf.end,
                            kind: leaf.kind,
                            quoted: leaf.quoted,
                        });
                    }
                }
                TagEnd::BlockQuote(_) => quote_depth = quote_depth.saturating_sub(1),
                TagEnd::CodeBlock | TagEnd::Image => skip_depth = skip_depth.saturating_sub(1),
                TagEnd::Link => link_depth = link_depth.saturating_sub(1),
                _ => {}
            },
            Event::Text(_) if skip_depth == 0 => {
                // An autolink's text is its URL: not prose.
                let is_url = link_depth > 0 && looks_like_url(&text[range.clone()]);
                if !is_url {
                    for k in &mut keep[range.clone()] {
                        *k = true;
                    }
                }
                if let Some(leaf) = stack.last_mut() {
                    leaf.start = leaf.start.min(range.start);
                    leaf.end = leaf.end.max(range.end);
                    leaf.any = leaf.any || !is_url;
                }
            }
            Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::FootnoteReference(_)
                if skip_depth == 0 =>
            {
                // Inline code stays masked but belongs to the paragraph's extent.
                if let Some(leaf) = stack.last_mut()
                    && leaf.any
                {
                    leaf.end = leaf.end.max(range.end);
                }
            }
            Event::Html(_) | Event::InlineHtml(_)
                if text[range.clone()].trim_start().starts_with("<!--") =>
            {
                comments.push(Comment {
                    span: range.clone(),
                });
            }
            _ => {}
        }
    }
    let mut prose = text.as_bytes().to_vec();
    for (i, b) in prose.iter_mut().enumerate() {
        if !keep[i] && *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
    // Every masked byte became an ASCII space and every kept byte is untouched; kept runs are
    // whole events, which start and end on character boundaries, so this is valid UTF-8.
    let prose = String::from_utf8(prose)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    paragraphs.sort_by_key(|p| p.span.start);
    (prose, paragraphs, comments, reach)
}

/// Where YAML (`---` … `---` or `...`) or TOML (`+++` … `+++`) front matter at the start of
/// a markdown text ends (0 when there is none).
fn front_matter_end(text: &str) -> usize {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return 0;
    };
    let marker = first.trim_end();
    if marker != "---" && marker != "+++" {
        return 0;
    }
    let mut at = first.len();
    for line in lines {
        at += line.len();
        let t = line.trim_end();
        if t == marker || (marker == "---" && t == "...") {
            return at;
        }
    }
    0
}

fn looks_like_url(s: &str) -> bool {
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("mailto:")
        || s.starts_with("www.")
}

/// Paragraphs of plain text. Blank lines separate paragraphs; a text with no blank lines at
/// all is read one paragraph per line, except that hard-wrapped continuation lines join the
/// line before them.
pub fn plain_paragraphs(text: &str) -> Vec<Paragraph> {
    let idx = LineIndex::new(text);
    let line_span = |i: usize| -> Range<usize> {
        let s = idx.start(i);
        let e = if i + 1 < idx.len() {
            let mut e = idx.start(i + 1);
            let b = text.as_bytes();
            if e > s && b[e - 1] == b'\n' {
                e -= 1;
            }
            if e > s && b[e - 1] == b'\r' {
                e -= 1;
            }
            e
        } else {
            text.len()
        };
        s..e
    };
    let lines: Vec<Range<usize>> = (0..idx.len()).map(line_span).collect();
    let is_blank = |r: &Range<usize>| text[r.clone()].trim().is_empty();
    let nonblank = lines.iter().filter(|r| !is_blank(r)).count();
    let has_blank_separator = lines
        .windows(3)
        .any(|w| !is_blank(&w[0]) && is_blank(&w[1]))
        || (nonblank > 0 && lines.iter().skip_while(|r| is_blank(r)).any(is_blank) && {
            // a blank line between two non-blank lines somewhere
            let first = lines.iter().position(|r| !is_blank(r)).unwrap_or(0);
            let last = lines.iter().rposition(|r| !is_blank(r)).unwrap_or(0);
            lines[first..=last].iter().any(is_blank)
        });
    let mut out: Vec<Paragraph> = Vec::new();
    let mut cur: Option<Range<usize>> = None;
    let mut prev_line: Option<&str> = None;
    for r in &lines {
        if is_blank(r) {
            if let Some(c) = cur.take() {
                out.push(para(text, c));
            }
            prev_line = None;
            continue;
        }
        let line = &text[r.clone()];
        let join = match (&cur, prev_line) {
            (Some(_), Some(prev)) => has_blank_separator || continues(prev, line),
            _ => false,
        };
        if join {
            if let Some(c) = cur.as_mut() {
                c.end = r.end;
            }
        } else {
            if let Some(c) = cur.take() {
                out.push(para(text, c));
            }
            cur = Some(r.clone());
        }
        prev_line = Some(line);
    }
    if let Some(c) = cur {
        out.push(para(text, c));
    }
    out
}

fn para(text: &str, r: Range<usize>) -> Paragraph {
    // Trim surrounding whitespace so spans start and end on prose.
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    Paragraph {
        span: r.start + lead..r.end - trail,
        kind: BlockKind::Paragraph,
        quoted: false,
    }
}

/// In a text with no blank lines, does `line` continue the paragraph of `prev`?
fn continues(prev: &str, line: &str) -> bool {
    let prev = prev.trim_end();
    let line = line.trim_start();
    let first = line.chars().next().unwrap_or(' ');
    if first.is_lowercase() {
        return true;
    }
    let last = prev.chars().last().unwrap_or('.');
    let ends_sentence = matches!(
        last,
        '.' | '!' | '?' | ':' | '"' | '”' | '’' | '\'' | ')' | ']' | '…' | '»'
    );
    if !ends_sentence {
        // "China" / "hopes to…", "…at a" / "regular…": a wrapped line, unless the previous
        // line is a short title-like line followed by a long one in a long-line text.
        return true;
    }
    // A sentence ends at the line end and the next line starts a new one: a new paragraph.
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str, f: Format) -> Vec<String> {
        let d = Document::parse(text, f);
        d.paragraphs
            .iter()
            .map(|p| {
                d.prose_of(p)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn plain_blank_lines_separate_paragraphs() {
        let t = "First line\nwrapped here.\n\nSecond one.\n";
        assert_eq!(
            paras(t, Format::Plain),
            ["First line wrapped here.", "Second one."]
        );
    }

    #[test]
    fn plain_single_newlines_one_paragraph_per_line_with_wrapped_lead() {
        let t = "Paris\nsaw rain on Monday, the\nweather office said.\nThe second paragraph is a long line of its own that runs on.\nA third paragraph follows it.";
        assert_eq!(
            paras(t, Format::Plain),
            [
                "Paris saw rain on Monday, the weather office said.",
                "The second paragraph is a long line of its own that runs on.",
                "A third paragraph follows it."
            ]
        );
    }

    #[test]
    fn plain_crlf() {
        let t = "One.\r\n\r\nTwo.\r\n";
        assert_eq!(paras(t, Format::Plain), ["One.", "Two."]);
    }

    #[test]
    fn markdown_masks_code_html_urls_front_matter() {
        let t = "---\ntitle: \"Hi there\"\n---\n\nSee [the report](https://x.org/\"a\") and `\"code\"`.\n\n```\n\"fenced\"\n```\n\n<div>\"html\"</div>\n";
        let d = Document::parse(t, Format::Markdown);
        assert_eq!(d.prose.len(), t.len());
        assert!(!d.prose.contains("Hi there"));
        assert!(!d.prose.contains("x.org"));
        assert!(!d.prose.contains("code"));
        assert!(!d.prose.contains("fenced"));
        assert!(!d.prose.contains("html"));
        assert!(d.prose.contains("the report"));
        assert_eq!(d.paragraphs.len(), 1);
    }

    #[test]
    fn prose_between_two_rules_is_prose_not_front_matter() {
        let t = "Intro.\n\n---\nA paragraph between two rules.\n\nMore prose.\n\n---\n\nEnd.\n";
        assert_eq!(
            paras(t, Format::Markdown),
            [
                "Intro.",
                "A paragraph between two rules.",
                "More prose.",
                "End."
            ]
        );
        let fm = "---\ntitle: x\n---\nBody.\n";
        assert_eq!(paras(fm, Format::Markdown), ["Body."]);
        let toml = "+++\ntitle = 'x'\n+++\n\nBody.\n";
        assert_eq!(paras(toml, Format::Markdown), ["Body."]);
    }

    #[test]
    fn markdown_list_items_and_quotes_are_paragraphs() {
        let t = "# Head\n\n- item one\n- item two\n\n> quoted para\n> continues\n";
        let d = Document::parse(t, Format::Markdown);
        let kinds: Vec<_> = d.paragraphs.iter().map(|p| (p.kind, p.quoted)).collect();
        assert_eq!(
            kinds,
            [
                (BlockKind::Heading, false),
                (BlockKind::ListItem, false),
                (BlockKind::ListItem, false),
                (BlockKind::Paragraph, true)
            ]
        );
    }

    #[test]
    fn deletion_span_blank_line_separated() {
        let t = "Alpha para.\n\nBeta para.\n\nGamma para.\n";
        let d = Document::parse(t, Format::Plain);
        let beta = d.line_block(&d.paragraphs[1].span);
        let del = d.deletion_span(beta);
        let mut s = t.to_string();
        s.replace_range(del, "");
        assert_eq!(s, "Alpha para.\n\nGamma para.\n");
        let gamma = d.line_block(&d.paragraphs[2].span);
        let mut s = t.to_string();
        s.replace_range(d.deletion_span(gamma), "");
        assert_eq!(s, "Alpha para.\n\nBeta para.\n");
    }

    #[test]
    fn deletion_span_single_newlines() {
        let t = "A line one.\nB line two.\nC line three.";
        let d = Document::parse(t, Format::Plain);
        let mut s = t.to_string();
        s.replace_range(d.deletion_span(d.line_block(&d.paragraphs[1].span)), "");
        assert_eq!(s, "A line one.\nC line three.");
        let mut s = t.to_string();
        s.replace_range(d.deletion_span(d.line_block(&d.paragraphs[2].span)), "");
        assert_eq!(s, "A line one.\nB line two.");
    }
}
