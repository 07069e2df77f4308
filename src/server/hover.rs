//! Hover over a quotation found in the sources: "Verified: …" (`analysis::sources::verify`).
//! Hover over a name: who it is, the spellings the draft uses with their counts, and at most
//! a few line numbers each — a short markdown list, which Neovim's float and VS Code's hover
//! both render (a table shows raw in Neovim, and a name used 491 times listed every line).
//! A first name resolves to the person: "Ana" in "Ana Ferreira" shows Ana Ferreira's
//! spellings, as hovering "Ferreira" does.
//!
//! Runs on the analysis threads (`pool.rs`), never on the message loop.

use super::{State, convert, diagnostics, pool};
use crate::analysis::rules::names::{self, NameHover};
use crate::analysis::{Document, Format};
use crate::config::Settings;
use std::ops::Range;
use std::sync::Arc;
use tower_lsp_server::ls_types::*;

/// `textDocument/hover`: on the text of the current analysis, computed on an analysis thread.
pub(super) async fn hover(state: &Arc<State>, params: HoverParams) -> Option<Hover> {
    let uri = params.text_document_position_params.text_document.uri;
    let a = diagnostics::current(state, &uri).await?;
    let enc = state.caps().encoding;
    let pos = convert::pos(params.text_document_position_params.position);
    let (offset, _) = a.text.offset(pos, enc);
    let format = state
        .store
        .lock()
        .unwrap()
        .snapshot(&uri)
        .map(|s| s.format)
        .unwrap_or(Format::Plain);
    let (settings, _) = state.settings();
    let text = a.text.clone();
    let (span, markdown) =
        pool::run(move || name_hover(&text.to_string_lossless(), format, &settings, offset))
            .await
            .ok()
            .flatten()?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(convert::range(&a.text, &span, enc)),
    })
}

/// Line numbers shown per spelling; more are summarised.
const MAX_LINES: usize = 3;

/// The hover at `offset`: its span and markdown.
pub fn name_hover(
    text: &str,
    format: Format,
    settings: &Settings,
    offset: usize,
) -> Option<(Range<usize>, String)> {
    let doc = Document::parse(text, format);
    let Some(h) = names::hover(&doc, settings, offset) else {
        // A quotation checked against the reporter's recordings: where and who.
        return crate::analysis::rules::misquote::hover(&doc, settings, offset);
    };
    let h = person(&doc, settings, h).unwrap_or_else(|h| h);
    Some((h.span.clone(), render(&h)))
}

/// A lone first name (the name is just the hovered word and it is the first word of a
/// longer name somewhere in the draft): the hover of that person's last name, kept on the
/// hovered word. `Err` gives the hover back unchanged.
fn person(doc: &Document, settings: &Settings, h: NameHover) -> Result<NameHover, NameHover> {
    let word = &doc.text[h.span.clone()];
    if h.name.contains(' ') || h.name != word || word.is_empty() {
        return Err(h);
    }
    let mut tries = 0;
    for (at, _) in doc.text.match_indices(word) {
        let after = at + word.len();
        let rest = &doc.text[after..];
        let boundary_before = doc.text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if !boundary_before || !rest.starts_with(' ') {
            continue;
        }
        let next = after + 1;
        if !doc.text[next..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
        {
            continue;
        }
        tries += 1;
        if tries > 20 {
            break;
        }
        // The last capitalised word of the run that starts here.
        let mut last = next;
        let mut i = next;
        for w in doc.text[next..].split(' ') {
            let clean = w.trim_end_matches(|c: char| !c.is_alphanumeric());
            if !clean.chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            last = i;
            if clean.len() != w.len() {
                break;
            }
            i += w.len() + 1;
        }
        if let Some(p) = names::hover(doc, settings, last)
            && p.name.starts_with(&format!("{word} "))
        {
            return Ok(NameHover {
                span: h.span.clone(),
                ..p
            });
        }
    }
    Err(h)
}

fn lines_of(lines: &[usize]) -> String {
    let mut l = lines.to_vec();
    l.dedup();
    let shown: Vec<String> = l.iter().take(MAX_LINES).map(|n| n.to_string()).collect();
    match l.len() {
        0 => String::new(),
        1 => format!(", line {}", shown[0]),
        n if n <= MAX_LINES => format!(", lines {}", shown.join(", ")),
        n => format!(", lines {}, … ({} more)", shown.join(", "), n - MAX_LINES),
    }
}

/// A short markdown list.
pub fn render(h: &NameHover) -> String {
    let mut s = format!("**{}**", h.name);
    if h.spellings.len() > 1 || h.house_style {
        s.push_str(&format!(
            " — spelled ‘{}’{}",
            h.canonical,
            if h.house_style { " (house style)" } else { "" }
        ));
    }
    s.push_str("\n\n");
    for sp in &h.spellings {
        let uses = if sp.count == 1 {
            "1 use".to_string()
        } else {
            format!("{} uses", sp.count)
        };
        s.push_str(&format!(
            "- ‘{}’{}: {uses}{}\n",
            sp.text,
            if sp.canonical && h.spellings.len() > 1 {
                " ✓"
            } else {
                ""
            },
            lines_of(&sp.lines)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hover_at(t: &str, needle: &str) -> (String, String) {
        let at = t.find(needle).unwrap() + 1;
        let (span, md) = name_hover(t, Format::Plain, &Settings::default(), at).unwrap();
        (t[span].to_string(), md)
    }

    #[test]
    fn a_short_list_with_counts_and_a_few_lines() {
        let mut t = String::from("Defense Secretary Chuck Hagel spoke.\n");
        for _ in 0..10 {
            t.push_str("Hagel left.\n");
        }
        t.push_str("Later Hagle returned.\n");
        let (word, md) = hover_at(&t, "Hagle");
        assert_eq!(word, "Hagle");
        assert_eq!(
            md,
            "**Chuck Hagel** — spelled ‘Hagel’\n\n- ‘Hagel’ ✓: 11 uses, lines 1, 2, 3, … (8 more)\n- ‘Hagle’: 1 use, line 12\n"
        );
        assert!(!md.contains('|'), "no table: {md}");
    }

    #[test]
    fn a_first_name_resolves_to_the_person() {
        let t = "Councillor Ana Ferreira opened the session.\nFerreira said it would take years.\nMembers asked Fereira why.\nFerreira left.\n";
        let (word, md) = hover_at(t, "Ana");
        assert_eq!(word, "Ana");
        assert!(md.starts_with("**Ana Ferreira**"), "{md}");
        assert!(md.contains("‘Fereira’: 1 use, line 3"), "{md}");
    }
}
