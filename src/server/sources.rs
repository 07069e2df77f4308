//! The reporter's recordings in the server: found under the workspace root (`sources/`, or
//! `[quote-sources] paths` of `copydesk.toml`), indexed on a blocking thread with
//! `$/progress`, rebuilt when a source changes on disk (watched files) or is saved, and
//! handed to analysis inside the settings (a new index is a new settings generation, so every
//! open document is analysed again and nothing stale is published). Source files are never
//! analysed as drafts and never enter the workspace index.

use super::diagnostics::refresh_all;
use super::{State, convert};
use crate::analysis::sources::{SourceIndex, Sources};
use crate::config::Settings;
use crate::sources_fs::{self, SourceSpec};
use crate::text::{Encoding, Text};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tower_lsp_server::ls_types::{NumberOrString, Range, Uri};

#[derive(Default)]
pub struct SourcesState {
    /// Where the sources are (set once the workspace root and settings are known), and the
    /// same compiled.
    spec: Option<SourceSpec>,
    matcher: Option<sources_fs::SpecMatcher>,
    index: Option<Arc<SourceIndex>>,
    /// The texts of the indexed files, by URI, for related-information ranges.
    texts: HashMap<String, Text>,
    /// Bumped by every build started; a build that finishes after a newer one started is
    /// dropped.
    started: u64,
    /// The settings last given sources, and the result (to avoid a clone per analysis).
    attached: Option<(Arc<Settings>, Arc<Settings>)>,
}

impl SourcesState {
    /// The settings with the current sources in them.
    pub fn attach(&mut self, s: Arc<Settings>) -> Arc<Settings> {
        let Some(index) = self.index.clone().filter(|i| !i.is_empty()) else {
            return s;
        };
        if let Some((base, with)) = &self.attached
            && Arc::ptr_eq(base, &s)
        {
            return with.clone();
        }
        let mut with = (*s).clone();
        with.sources = Sources::new(index);
        let with = Arc::new(with);
        self.attached = Some((s, with.clone()));
        with
    }

    /// Is this path one of the sources (or where a new one would be)?
    pub fn covers(&self, path: &Path) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.covers(path))
    }

    /// The LSP range of a span in an indexed source.
    pub fn range_of(
        &self,
        key: &str,
        span: &std::ops::Range<usize>,
        enc: Encoding,
    ) -> Option<Range> {
        let t = self.texts.get(key)?;
        (span.end <= t.len_bytes()).then(|| convert::range(t, span, enc))
    }
}

/// Is this document one of the sources (so not a draft)?
pub fn is_source_uri(state: &State, uri: &Uri) -> bool {
    uri.to_file_path()
        .is_some_and(|p| state.sources.lock().unwrap().covers(&p))
}

/// Is this path one of the sources?
pub fn is_source_path(state: &State, path: &Path) -> bool {
    state.sources.lock().unwrap().covers(path)
}

/// The sources' spec for the current settings, `None` without a workspace root.
fn spec_now(state: &State) -> Option<SourceSpec> {
    let root = state.root()?;
    let paths = state
        .settings
        .lock()
        .unwrap()
        .current()
        .quote_sources
        .paths
        .clone();
    Some(SourceSpec::new(&root, &paths))
}

/// Settings may have changed: (re)build the index if where the sources are changed, or if it
/// was never built.
pub fn settings_changed(state: &Arc<State>) {
    let Some(spec) = spec_now(state) else {
        return;
    };
    let same = {
        let s = state.sources.lock().unwrap();
        s.spec.as_ref() == Some(&spec) && s.started > 0
    };
    if !same {
        {
            let mut s = state.sources.lock().unwrap();
            s.matcher = Some(spec.matcher());
            s.spec = Some(spec);
        }
        rebuild(state);
    }
}

/// A file changed on disk or was saved: rebuild if it is a source.
pub fn file_changed(state: &Arc<State>, uri: &Uri) -> bool {
    if is_source_uri(state, uri) {
        rebuild(state);
        return true;
    }
    false
}

/// Build the index in the background, with `$/progress`, then analyse every open document
/// again with it.
pub fn rebuild(state: &Arc<State>) {
    let (spec, seq) = {
        let mut s = state.sources.lock().unwrap();
        let Some(spec) = s.spec.clone() else { return };
        s.started += 1;
        (spec, s.started)
    };
    let state = state.clone();
    tokio::spawn(async move {
        let files = {
            let spec = spec.clone();
            tokio::task::spawn_blocking(move || spec.files())
                .await
                .unwrap_or_default()
        };
        let had = state.sources.lock().unwrap().index.is_some();
        if files.is_empty() && !had {
            // No sources, now or before: nothing to index or report.
            return;
        }
        let token = NumberOrString::String(format!("copydesk/sources-{seq}"));
        let progress = if !files.is_empty() && state.progress_allowed(&token).await {
            Some(
                state
                    .client
                    .progress(token, "copydesk: indexing the sources")
                    .with_message("reading transcripts")
                    .begin()
                    .await,
            )
        } else {
            None
        };
        let started = std::time::Instant::now();
        let built = tokio::task::spawn_blocking(move || {
            let index = sources_fs::index(
                &files,
                |p| {
                    super::workspace::uri_of(p)
                        .map_or_else(|| p.display().to_string(), |u| u.as_str().to_string())
                },
                seq,
            );
            let texts: HashMap<String, Text> = index
                .files()
                .iter()
                .map(|f| (f.key.clone(), Text::new(&f.text)))
                .collect();
            (index, texts)
        })
        .await;
        let Ok((index, texts)) = built else {
            tracing::error!("indexing the sources failed");
            return;
        };
        let (files, words) = (index.files().len(), index.word_count());
        let current = {
            let mut s = state.sources.lock().unwrap();
            if s.started == seq {
                s.index = Some(Arc::new(index));
                s.texts = texts;
                s.attached = None;
                true
            } else {
                false
            }
        };
        tracing::info!(
            files,
            words,
            ms = started.elapsed().as_millis() as u64,
            current,
            "sources indexed"
        );
        if let Some(p) = progress {
            p.finish_with_message(format!("{files} sources, {words} words"))
                .await;
        }
        if current {
            refresh_all(&state);
        }
    });
}
