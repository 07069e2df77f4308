//! What a draft file is, defined once for `copydesk check DIR`, the server's workspace index
//! and its file watcher (and documented in the README and the editors' READMEs):
//!
//! - a file whose extension is one of [`EXTENSIONS`] (any case): markdown (`.md`,
//!   `.markdown`, `.mdown`, `.mkd`) or plain text (`.txt`, `.text`);
//! - found by walking a folder that skips hidden files and folders, `node_modules/`,
//!   `target/`, and whatever `.gitignore` / `.ignore` files exclude (also outside a git
//!   repository); symlinks are not followed;
//! - not one of the reporter's sources (`sources/`, or `[quote-sources] paths`): the callers
//!   drop those with their source spec (`sources_fs.rs`), since where the sources are
//!   depends on the settings.
//!
//! `tests/it/drafts.rs` checks the walk on disk and that the CLI and the index agree.

use std::path::{Path, PathBuf};

/// Draft file extensions (compared case-insensitively).
pub const EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "txt", "text"];

/// Folders never walked into (besides hidden and ignored ones).
const SKIPPED_DIRS: &[&str] = &["node_modules", "target"];

/// At most this many files are returned by [`walk`].
pub const MAX_FILES: usize = 20_000;

/// Is this path a draft by its extension?
pub fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The glob a client watches drafts with (`workspace/didChangeWatchedFiles`).
pub fn watch_glob() -> String {
    format!("**/*.{{{}}}", EXTENSIONS.join(","))
}

/// Every draft under `dir`, sorted, at most [`MAX_FILES`]. Sources are not removed here.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
        })
        .build()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_draft(e.path()))
        .map(|e| e.into_path())
        .take(MAX_FILES)
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_in_any_case_and_nothing_else() {
        for p in [
            "a.md",
            "a.MD",
            "b.markdown",
            "c.mdown",
            "d.mkd",
            "e.txt",
            "f.Text",
        ] {
            assert!(is_draft(Path::new(p)), "{p}");
        }
        for p in ["a.rst", "a.vtt", "a.srt", "README", "a.md.bak", "a.toml"] {
            assert!(!is_draft(Path::new(p)), "{p}");
        }
        assert_eq!(watch_glob(), "**/*.{md,markdown,mdown,mkd,txt,text}");
    }
}
