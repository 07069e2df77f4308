//! Finding and reading the reporter's recordings on disk, for the server and the CLI (the
//! core only ever sees the built [`SourceIndex`]).
//!
//! Where: `[quote-sources] paths` (files, folders or globs such as `interviews/**/*.vtt`,
//! relative to the folder of `copydesk.toml`), or by default the `sources/` folder of the
//! workspace root. Folders are read recursively for transcripts (`.txt`, `.md`, `.vtt`,
//! `.srt`, …); hidden and git-ignored files are skipped, symlinks are not followed.

use crate::analysis::sources::SourceIndex;
use std::path::{Path, PathBuf};

/// The default folder, at the workspace root.
pub const DEFAULT_DIR: &str = "sources";
/// Larger files are not transcripts.
pub const MAX_SOURCE_BYTES: u64 = 8 * 1024 * 1024;
/// At most this many source files.
pub const MAX_SOURCE_FILES: usize = 5_000;

/// A file a transcript can be in.
pub fn is_transcript(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .is_some_and(|e| {
            matches!(
                e.as_str(),
                "txt" | "text" | "md" | "markdown" | "mdown" | "mkd" | "vtt" | "srt"
            )
        })
}

/// Where the sources are: the `[quote-sources] paths` (relative to `base`, the folder of
/// `copydesk.toml`), or `<base>/sources`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSpec {
    pub base: PathBuf,
    pub patterns: Vec<String>,
    /// From settings: only files inside `base` (no absolute paths, no `..`, no symlinks out).
    /// Paths given on the command line are the user's own choice and not confined.
    pub confined: bool,
}

impl SourceSpec {
    pub fn new(base: &Path, paths: &[String]) -> Self {
        let patterns = if paths.is_empty() {
            vec![DEFAULT_DIR.to_string()]
        } else {
            paths.to_vec()
        };
        SourceSpec {
            base: base.to_path_buf(),
            patterns,
            confined: true,
        }
    }

    /// Explicit folders or files (`check --sources DIR`), as they are.
    pub fn explicit(paths: &[PathBuf]) -> Self {
        SourceSpec {
            base: PathBuf::from("."),
            patterns: paths.iter().map(|p| p.display().to_string()).collect(),
            confined: false,
        }
    }

    /// A pattern a settings file may use: relative, and never climbing out with `..`.
    fn allowed(&self, p: &str) -> bool {
        !self.confined
            || (!Path::new(p).is_absolute()
                && !Path::new(p)
                    .components()
                    .any(|c| matches!(c, std::path::Component::ParentDir)))
    }

    fn is_glob(p: &str) -> bool {
        p.contains(['*', '?', '[', '{'])
    }

    /// Every source file, sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for p in &self.patterns {
            if !self.allowed(p) {
                continue;
            }
            let path = self.base.join(p);
            if Self::is_glob(p) {
                let mut ob = ignore::overrides::OverrideBuilder::new(&self.base);
                if ob.add(p).is_err() {
                    continue;
                }
                let Ok(ov) = ob.build() else { continue };
                walk(&self.base, Some(ov), &mut out);
            } else if path.is_dir() {
                walk(&path, None, &mut out);
            } else if path.is_file() {
                out.push(path);
            }
        }
        if self.confined {
            // Nothing reached through a symlink that leads out of the workspace.
            let root = std::fs::canonicalize(&self.base).unwrap_or_else(|_| self.base.clone());
            out.retain(|f| std::fs::canonicalize(f).is_ok_and(|c| c.starts_with(&root)));
        }
        out.sort();
        out.dedup();
        out.truncate(MAX_SOURCE_FILES);
        out
    }

    /// Could `path` be one of the sources (now or once created)? Used to keep sources out of
    /// the drafts: a file under a source folder, or matching a source glob.
    pub fn covers(&self, path: &Path) -> bool {
        self.matcher().covers(path)
    }

    /// [`SourceSpec::covers`] with the globs compiled once (the server asks on every
    /// analysis).
    pub fn matcher(&self) -> SpecMatcher {
        let mut globs = Vec::new();
        let mut dirs = Vec::new();
        for p in self.patterns.iter().filter(|p| self.allowed(p)) {
            if Self::is_glob(p) {
                let mut ob = ignore::overrides::OverrideBuilder::new(&self.base);
                if ob.add(p).is_ok()
                    && let Ok(ov) = ob.build()
                {
                    globs.push(ov);
                }
            } else {
                dirs.push(self.base.join(p));
            }
        }
        SpecMatcher {
            base: self.base.clone(),
            globs,
            dirs,
        }
    }
}

/// A compiled [`SourceSpec`]: does a path belong to the sources?
#[derive(Clone, Debug)]
pub struct SpecMatcher {
    base: PathBuf,
    globs: Vec<ignore::overrides::Override>,
    dirs: Vec<PathBuf>,
}

impl SpecMatcher {
    pub fn covers(&self, path: &Path) -> bool {
        if !is_transcript(path) {
            return false;
        }
        self.dirs.iter().any(|d| path.starts_with(d))
            || path.strip_prefix(&self.base).is_ok_and(|rel| {
                self.globs
                    .iter()
                    .any(|ov| ov.matched(rel, false).is_whitelist())
            })
    }
}

fn walk(dir: &Path, ov: Option<ignore::overrides::Override>, out: &mut Vec<PathBuf>) {
    let mut wb = ignore::WalkBuilder::new(dir);
    if let Some(ov) = ov {
        wb.overrides(ov);
    }
    for e in wb.build().filter_map(|e| e.ok()) {
        if e.file_type().is_some_and(|t| t.is_file()) && is_transcript(e.path()) {
            out.push(e.into_path());
        }
        if out.len() > MAX_SOURCE_FILES {
            return;
        }
    }
}

/// Read one source file: `None` if it is too large, binary, or unreadable.
pub fn read(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.contains(&0) {
        return None;
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The display name of a source: its file name.
pub fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Read and index files, each with the key `key(path)` (a URI or a path).
pub fn index(files: &[PathBuf], key: impl Fn(&Path) -> String, generation: u64) -> SourceIndex {
    SourceIndex::new(
        files
            .iter()
            .filter_map(|p| Some((key(p), name_of(p), read(p)?))),
        generation,
    )
}

/// Sources for `copydesk check`: given with `--sources`, or found from each file's settings
/// (`[quote-sources] paths` relative to its `copydesk.toml`, or `sources/` beside that; with
/// no `copydesk.toml`, the nearest `sources/` folder at or above the file). Each set is read once.
#[derive(Default)]
pub struct SourceCache {
    explicit: Option<SourceSpec>,
    built: std::collections::HashMap<(PathBuf, Vec<String>), std::sync::Arc<SourceIndex>>,
}

impl SourceCache {
    pub fn new(explicit: &[PathBuf]) -> Self {
        SourceCache {
            explicit: (!explicit.is_empty()).then(|| SourceSpec::explicit(explicit)),
            built: Default::default(),
        }
    }

    fn spec(
        &self,
        settings: &crate::config::Settings,
        file: Option<&Path>,
        config: Option<&Path>,
    ) -> SourceSpec {
        if let Some(s) = &self.explicit {
            return s.clone();
        }
        let base = config
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| nearest_config_dir(file))
            .or_else(|| nearest_sources_dir(file))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        SourceSpec::new(&base, &settings.quote_sources.paths)
    }

    /// The settings with their sources attached (unchanged when there are none).
    pub fn attach(
        &mut self,
        settings: std::sync::Arc<crate::config::Settings>,
        file: Option<&Path>,
        config: Option<&Path>,
    ) -> std::sync::Arc<crate::config::Settings> {
        let spec = self.spec(&settings, file, config);
        let generation = self.built.len() as u64 + 1;
        let index = self
            .built
            .entry((spec.base.clone(), spec.patterns.clone()))
            .or_insert_with(|| {
                std::sync::Arc::new(index(
                    &spec.files(),
                    |p| p.display().to_string(),
                    generation,
                ))
            })
            .clone();
        if index.is_empty() {
            return settings;
        }
        let mut s = (*settings).clone();
        s.sources = crate::analysis::sources::Sources::new(index);
        std::sync::Arc::new(s)
    }

    /// Is this file one of the sources (not a draft to check)?
    pub fn covers(
        &self,
        settings: &crate::config::Settings,
        file: &Path,
        config: Option<&Path>,
    ) -> bool {
        let spec = self.spec(settings, Some(file), config);
        let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let spec = SourceSpec {
            base: abs(&spec.base),
            ..spec
        };
        spec.covers(&abs(file))
            || spec
                .patterns
                .iter()
                .any(|p| !SourceSpec::is_glob(p) && abs(file).starts_with(abs(&spec.base.join(p))))
    }
}

/// Without settings: the nearest folder at or above a file's folder that has `sources/`.
fn nearest_sources_dir(file: Option<&Path>) -> Option<PathBuf> {
    let start = std::fs::canonicalize(file?).ok()?.parent()?.to_path_buf();
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        if d.join(DEFAULT_DIR).is_dir() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// The folder of the nearest `copydesk.toml` at or above a file's folder.
fn nearest_config_dir(file: Option<&Path>) -> Option<PathBuf> {
    let start = std::fs::canonicalize(file?).ok()?.parent()?.to_path_buf();
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        if d.join(crate::config::FILE_NAME).is_file() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}
