//! The server's settings layers (see [`crate::config`] for precedence). Each layer is vetted
//! on its own when it arrives ([`config::vet`]): a problem is reported once, naming where it
//! is (the file with line and column, or the editor's settings) and the key as written, and
//! only that key is dropped. A `copydesk.toml` that does not parse keeps the previous file
//! settings. Settings are exactly what the layers say: nothing is remembered beside them.

use crate::config::{self, ConfigIssue, Settings};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use tower_lsp_server::ls_types::MessageType;

#[derive(Default, Debug)]
pub struct SettingsState {
    init: Value,
    client: Value,
    file: Value,
    /// What each layer was last set from, so the same input is neither re-read nor re-reported.
    init_raw: Option<Value>,
    client_raw: Option<Value>,
    file_src: Option<Option<String>>,
    /// The issues of `initializationOptions`, not repeated for the same keys in the
    /// editor's settings section (VS Code sends the same table both ways).
    init_issues: Vec<ConfigIssue>,
    current: Arc<Settings>,
}

pub type Messages = Vec<(MessageType, String)>;

const EDITOR: &str = "editor settings (copydesk section)";

impl SettingsState {
    pub fn current(&self) -> Arc<Settings> {
        self.current.clone()
    }

    pub fn set_init(&mut self, v: Value) -> Messages {
        if self.init_raw.as_ref() == Some(&v) {
            return Vec::new();
        }
        let (clean, issues) = config::vet(&v, None);
        self.init_raw = Some(v);
        self.init = clean;
        self.init_issues = issues.clone();
        self.resolve();
        issues
            .into_iter()
            .map(|i| warn(format!("copydesk: initializationOptions: {i}")))
            .collect()
    }

    pub fn set_client(&mut self, v: Value) -> Messages {
        if self.client_raw.as_ref() == Some(&v) {
            return Vec::new();
        }
        let (clean, issues) = config::vet(&v, None);
        self.client_raw = Some(v);
        self.client = clean;
        self.resolve();
        issues
            .into_iter()
            .filter(|i| !self.init_issues.contains(i))
            .map(|i| warn(format!("copydesk: {EDITOR}: {i}")))
            .collect()
    }

    /// A new version of `copydesk.toml` (`None`: the file is gone). A file that does not
    /// parse is reported with its line and column, and the previous file settings stay.
    /// The same text as last time changes nothing and reports nothing.
    pub fn set_file(&mut self, path: &Path, src: Option<&str>) -> Messages {
        if self.file_src.as_ref().map(|s| s.as_deref()) == Some(src) {
            return Vec::new();
        }
        self.file_src = Some(src.map(str::to_string));
        let Some(src) = src else {
            self.file = Value::Null;
            self.resolve();
            return Vec::new();
        };
        let shown = path.display();
        match config::parse_toml(src) {
            Ok(v) => {
                let (clean, issues) = config::vet(&v, Some(src));
                self.file = clean;
                self.resolve();
                issues
                    .into_iter()
                    .map(|i| warn(format!("copydesk: {shown}{}: {}", at(&i), i.message)))
                    .collect()
            }
            Err(e) => vec![(
                MessageType::ERROR,
                format!(
                    "copydesk: {shown}{}: {}; keeping the previous settings",
                    at(&e),
                    e.message
                ),
            )],
        }
    }

    fn resolve(&mut self) {
        // Every layer is vetted, so what `resolve` would report has been reported already.
        let (settings, _) =
            config::resolve(&[self.init.clone(), self.client.clone(), self.file.clone()]);
        self.current = Arc::new(settings);
    }
}

fn warn(m: String) -> (MessageType, String) {
    (MessageType::WARNING, m)
}

/// `:line:column` when known.
fn at(i: &ConfigIssue) -> String {
    i.line_col
        .map(|(l, c)| format!(":{l}:{c}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_unknown_key_in_the_file_is_reported_once_with_its_place() {
        let mut s = SettingsState::default();
        let path = Path::new("/desk/copydesk.toml");
        let src = "[duplicate-paragraph]\nmin-words = 5\ncolour = 1\n";
        assert!(
            s.set_init(json!({"nameSpelling": {"fuzzy": true}}))
                .is_empty()
        );
        let m = s.set_file(path, Some(src));
        assert_eq!(
            m,
            vec![warn(
                "copydesk: /desk/copydesk.toml:3:1: unknown setting `duplicate-paragraph.colour` ignored"
                    .into()
            )]
        );
        // Other layers arriving later do not repeat it; nor does the same file again.
        assert!(
            s.set_client(json!({"nameSpelling": {"fuzzy": false}}))
                .is_empty()
        );
        assert!(s.set_file(path, Some(src)).is_empty());
        assert_eq!(s.current().duplicate_paragraph.min_words, 5);
        assert!(!s.current().name_spelling.fuzzy);
    }

    #[test]
    fn a_bad_editor_value_drops_that_key_only() {
        let mut s = SettingsState::default();
        let m = s.set_client(json!({"nameSpelling": {"severity": "loud", "fuzzy": false}}));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].1.contains("editor settings") && m[0].1.contains("nameSpelling.severity"));
        assert!(!s.current().name_spelling.fuzzy);
    }

    #[test]
    fn the_same_problem_in_init_options_and_the_section_is_told_once() {
        let mut s = SettingsState::default();
        let v = json!({"duplicateParagraph": {"minWordz": 3}});
        assert_eq!(s.set_init(v.clone()).len(), 1);
        assert!(s.set_client(v).is_empty());
    }

    #[test]
    fn removing_a_name_from_the_file_unaccepts_it() {
        let mut s = SettingsState::default();
        let path = Path::new("/desk/copydesk.toml");
        s.set_file(path, Some("[names]\naccept = [\"Fereira\"]\n"));
        assert_eq!(s.current().names.accept, ["Fereira"]);
        s.set_file(path, Some("[names]\naccept = []\n"));
        assert!(s.current().names.accept.is_empty());
        s.set_file(path, Some("[names]\naccept = [\"X\"]\n"));
        s.set_file(path, None);
        assert!(s.current().names.accept.is_empty());
    }

    #[test]
    fn a_broken_file_keeps_the_previous_file_settings() {
        let mut s = SettingsState::default();
        let path = Path::new("/d/copydesk.toml");
        s.set_file(path, Some("[duplicate-paragraph]\nmin-words = 5\n"));
        let m = s.set_file(path, Some("[duplicate-paragraph]\nmin-words = = 3\n"));
        assert_eq!(m[0].0, MessageType::ERROR);
        assert!(m[0].1.contains("/d/copydesk.toml:2:"), "{m:?}");
        assert_eq!(s.current().duplicate_paragraph.min_words, 5);
    }
}
