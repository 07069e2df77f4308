//! Settings: typed, with defaults, merged from layers.
//!
//! Precedence, lowest first (later layers override earlier ones key by key):
//! 1. built-in defaults;
//! 2. the editor's `initializationOptions`;
//! 3. the editor's `copydesk` section (`workspace/configuration`, `didChangeConfiguration`);
//! 4. `copydesk.toml` at the workspace root (the desk's shared house style wins).
//!
//! Keys may be written camelCase (`minWords`), kebab-case (`min-words`) or snake_case
//! (`min_words`); rule sections by their code (`[duplicate-paragraph]`) or camelCase
//! (`duplicateParagraph`). Unknown keys produce warnings, never errors.

use serde_json::{Map, Value};

/// The typed settings are the rules' (`analysis::rules::settings`); this module produces them.
pub use crate::analysis::rules::settings::{HouseNames, Settings};

pub mod edit;
mod vet;
pub use vet::vet;

/// A problem found while reading settings, with where it is when known.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigIssue {
    pub message: String,
    /// 1-based line and column in the file, when the issue comes from a file.
    pub line_col: Option<(usize, usize)>,
}

impl std::fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line_col {
            Some((l, c)) => write!(f, "line {l}, column {c}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// The name of the workspace settings file.
pub const FILE_NAME: &str = "copydesk.toml";

/// Parse a `copydesk.toml` into a settings layer. A syntax error is returned with its line and
/// column; the caller keeps the last good settings.
pub fn parse_toml(src: &str) -> Result<Value, ConfigIssue> {
    match toml::from_str::<toml::Table>(src) {
        Ok(table) => serde_json::to_value(table).map_err(|e| ConfigIssue {
            message: e.to_string(),
            line_col: None,
        }),
        Err(e) => {
            let line_col = e.span().map(|s| {
                let idx = crate::text::LineIndex::new(src);
                let line = idx.line(s.start);
                let col = src[idx.start(line)..s.start].chars().count();
                (line + 1, col + 1)
            });
            Err(ConfigIssue {
                message: e.message().trim().to_string(),
                line_col,
            })
        }
    }
}

/// Merge layers (lowest precedence first) over the defaults. Returns the settings and
/// warnings for unknown keys or values of the wrong type (those fall back to defaults).
pub fn resolve(layers: &[Value]) -> (Settings, Vec<ConfigIssue>) {
    let mut merged = Value::Object(Map::new());
    for layer in layers {
        if layer.is_null() {
            continue;
        }
        let mut l = layer.clone();
        normalize_keys(&mut l, false);
        // Editors sometimes send `{ "copydesk": { ... } }` where we expect the section itself.
        if let Some(inner) = l.get("copydesk").cloned()
            && inner.is_object()
        {
            l = inner;
        }
        merge(&mut merged, l);
    }
    let mut issues = Vec::new();
    let mut unknown = Vec::new();
    let de = serde_ignored::deserialize(&merged, |path| unknown.push(path.to_string()));
    let settings = match de {
        Ok(s) => s,
        Err(e) => {
            issues.push(ConfigIssue {
                message: format!("invalid settings, using defaults: {e}"),
                line_col: None,
            });
            Settings::default()
        }
    };
    for key in unknown {
        issues.push(ConfigIssue {
            message: format!("unknown setting `{key}` ignored"),
            line_col: None,
        });
    }
    (settings, issues)
}

fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) if slot.is_object() && v.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// `min-words` / `min_words` → `minWords`; `duplicate-paragraph` → `duplicateParagraph`.
/// Keys under `names` (which are people's names) are left alone.
fn normalize_keys(v: &mut Value, verbatim: bool) {
    if let Value::Object(map) = v {
        let old = std::mem::take(map);
        for (k, mut child) in old {
            let key = if verbatim { k } else { camel(&k) };
            let child_verbatim = verbatim || key == "prefer" || key == "accept";
            normalize_keys(&mut child, child_verbatim);
            map.insert(key, child);
        }
    } else if let Value::Array(items) = v {
        for item in items {
            normalize_keys(item, verbatim);
        }
    }
}

fn camel(k: &str) -> String {
    let mut out = String::with_capacity(k.len());
    let mut upper = false;
    for ch in k.chars() {
        if ch == '-' || ch == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The text of `copydesk.toml` after adding `name` to `[names] accept` (see [`edit::apply`]).
pub fn with_accepted_name(existing: Option<&str>, name: &str) -> Result<String, ConfigIssue> {
    edit::apply(
        existing,
        &crate::analysis::SettingsChange::AcceptName(name.to_string()),
    )
}

/// The text of `copydesk.toml` after setting `variant = "preferred"` in `[names.prefer]`
/// for each pair (the desk's spellings; see [`edit::apply`]). A variant already listed keeps
/// its existing choice.
pub fn with_preferred_names(
    existing: Option<&str>,
    pairs: &[(String, String)],
) -> Result<String, ConfigIssue> {
    let mut text = existing.unwrap_or("").to_string();
    for (variant, preferred) in pairs {
        text = edit::apply(
            Some(&text),
            &crate::analysis::SettingsChange::PreferName {
                variant: variant.clone(),
                preferred: preferred.clone(),
            },
        )?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Severity;
    use serde_json::json;

    #[test]
    fn later_layers_override_earlier_ones_key_by_key() {
        let (s, issues) = resolve(&[
            json!({"duplicateParagraph": {"minWords": 5, "similarity": 0.9}}),
            json!({"copydesk": {"duplicate-paragraph": {"min_words": 12}}}),
        ]);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(s.duplicate_paragraph.min_words, 12);
        assert_eq!(s.duplicate_paragraph.similarity, 0.9);
    }

    #[test]
    fn unknown_keys_warn_and_defaults_stay() {
        let (s, issues) = resolve(&[json!({"duplicateParagraph": {"colour": "red"}})]);
        assert_eq!(s, Settings::default());
        assert_eq!(issues.len(), 1);
        assert!(issues[0].message.contains("colour"), "{issues:?}");
    }

    #[test]
    fn wrong_types_fall_back_to_defaults_with_a_message() {
        let (s, issues) = resolve(&[json!({"duplicateParagraph": {"minWords": "many"}})]);
        assert_eq!(s, Settings::default());
        assert!(issues[0].message.contains("invalid settings"));
    }

    #[test]
    fn toml_errors_carry_line_and_column() {
        let err = parse_toml("[duplicate-paragraph]\nmin-words = = 3\n").unwrap_err();
        assert_eq!(err.line_col.map(|l| l.0), Some(2), "{err}");
    }

    #[test]
    fn toml_names_keep_their_spelling() {
        let v =
            parse_toml("[names]\naccept = [\"al-Sisi\"]\n[names.prefer]\nQaddafi = \"Gaddafi\"\n")
                .unwrap();
        let (s, issues) = resolve(&[v]);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(s.names.accept, vec!["al-Sisi".to_string()]);
        assert_eq!(s.names.prefer["Qaddafi"], "Gaddafi");
    }

    #[test]
    fn severity_names() {
        let (s, _) = resolve(&[json!({"duplicateParagraph": {"severity": "hint"}})]);
        assert_eq!(s.duplicate_paragraph.severity, Severity::Hint);
    }
}
