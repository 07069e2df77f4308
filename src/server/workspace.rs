//! The workspace's paragraphs, for cross-document duplicates in files that are not open.
//!
//! Built in the background after `initialized` (a blocking thread reads and keys the files;
//! the async side reports `$/progress`), so it never delays an open document's diagnostics.
//! Only paragraph keys and their LSP ranges are kept, not the texts. Open documents always
//! take precedence over their indexed copies on disk. Which files are drafts is
//! [`crate::drafts`], the same definition `copydesk check DIR` uses.

use crate::analysis::rules::duplicate::{ParagraphKey, paragraph_keys};
use crate::analysis::rules::names::desk::{Desk, DraftName, draft_names};
use crate::analysis::{Document, Format};
use crate::config::Settings;
use crate::text::{Encoding, Text};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::{Range, Uri};

/// Files larger than this are not indexed (they are not drafts).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// One indexed file: its paragraph keys and where each is, in the client's encoding.
#[derive(Debug)]
pub struct IndexedFile {
    pub keys: Vec<ParagraphKey>,
    pub ranges: Vec<Range>,
    /// The draft's name spellings (first use only) and the range of each first use.
    pub names: Vec<DraftName>,
    pub name_ranges: Vec<Range>,
}

/// Paragraph keys of workspace files, and where each exact key occurs.
#[derive(Debug, Default)]
pub struct WorkspaceIndex {
    files: HashMap<String, Arc<IndexedFile>>,
    by_key: HashMap<u64, Vec<(Arc<str>, usize)>>,
    /// The files' name spellings (the desk's names).
    desk: Desk,
}

impl WorkspaceIndex {
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// The name spellings of the indexed files.
    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    /// Add or replace a file (`None` removes it).
    pub fn set(&mut self, uri: &str, file: Option<IndexedFile>) {
        self.desk
            .set(uri, file.as_ref().map_or(&[][..], |f| &f.names[..]));
        if let Some(old) = self.files.remove(uri) {
            for k in &old.keys {
                if let Some(v) = self.by_key.get_mut(&k.key) {
                    v.retain(|(u, _)| &**u != uri);
                    if v.is_empty() {
                        self.by_key.remove(&k.key);
                    }
                }
            }
        }
        if let Some(f) = file {
            let name: Arc<str> = uri.into();
            for (i, k) in f.keys.iter().enumerate() {
                let v = self.by_key.entry(k.key).or_default();
                if !v.iter().any(|(u, _)| *u == name) {
                    v.push((name.clone(), i));
                }
            }
            self.files.insert(uri.to_string(), Arc::new(f));
        }
    }

    /// A file (other than those `skip` says to) holding a paragraph with this exact key.
    pub fn find(&self, key: u64, skip: impl Fn(&str) -> bool) -> Option<(&str, &ParagraphKey)> {
        self.by_key.get(&key)?.iter().find_map(|(u, i)| {
            if skip(u) {
                return None;
            }
            let f = self.files.get(&**u)?;
            Some((&**u, &f.keys[*i]))
        })
    }

    /// The LSP range of an indexed paragraph.
    pub fn range_of(&self, uri: &str, span: &std::ops::Range<usize>) -> Option<Range> {
        let f = self.files.get(uri)?;
        if let Some(i) = f.keys.iter().position(|k| k.span == *span) {
            return Some(f.ranges[i]);
        }
        let i = f.names.iter().position(|n| n.spans.first() == Some(span))?;
        Some(f.name_ranges[i])
    }
}

/// Read and key one file. `None` when it is not a draft we index or cannot be read.
pub fn index_file(path: &Path, settings: &Settings, enc: Encoding) -> Option<IndexedFile> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.contains(&0) {
        return None; // binary
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(index_text(&text, Format::from_path(path), settings, enc))
}

/// Key a text (an open document's, when it is saved or closed).
pub fn index_text(text: &str, format: Format, settings: &Settings, enc: Encoding) -> IndexedFile {
    let doc = Document::parse(text, format);
    let keys = paragraph_keys(&doc, settings).to_vec();
    let rope = Text::new(text);
    let ranges = keys
        .iter()
        .map(|k| super::convert::range(&rope, &k.span, enc))
        .collect();
    let mut names = if settings.name_spelling.cross_document {
        draft_names(&doc, settings)
    } else {
        Vec::new()
    };
    for n in &mut names {
        n.spans.truncate(1);
    }
    let name_ranges = names
        .iter()
        .map(|n| super::convert::range(&rope, &n.spans[0], enc))
        .collect();
    IndexedFile {
        keys,
        ranges,
        names,
        name_ranges,
    }
}

/// Every draft under `root` ([`crate::drafts::walk`]; sources are dropped by the caller).
pub fn drafts(root: &Path) -> Vec<PathBuf> {
    crate::drafts::walk(root)
}

/// The URI of a file path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str =
        "The council voted on Tuesday to close the old library on Main Street next spring.";

    #[test]
    fn the_index_finds_a_paragraph_in_another_file_and_forgets_removed_files() {
        let s = Settings::default();
        let mut ix = WorkspaceIndex::default();
        let text = format!("# Title\n\nIntro “with” émoji 🎉 text.\n\n{P}\n");
        ix.set(
            "file:///a.md",
            Some(index_text(&text, Format::Markdown, &s, Encoding::Utf16)),
        );
        let b = index_text(&format!("{P}\n"), Format::Markdown, &s, Encoding::Utf16);
        let key = b.keys[0].key;
        let (uri, k) = ix.find(key, |_| false).expect("found in a.md");
        assert_eq!(uri, "file:///a.md");
        let r = ix.range_of(uri, &k.span).unwrap();
        assert_eq!(r.start, tower_lsp_server::ls_types::Position::new(4, 0));
        assert!(ix.find(key, |u| u == "file:///a.md").is_none());
        ix.set("file:///a.md", None);
        assert!(ix.find(key, |_| false).is_none());
        assert_eq!(ix.len(), 0);
    }
}
