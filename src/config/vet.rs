//! Checking one settings layer on its own, before it is merged: each unknown key and each
//! value of the wrong type is reported once, under the key as it was written (and, for
//! `copydesk.toml`, its line and column), and only that key is dropped — the rest of the
//! layer still applies.

use super::{ConfigIssue, Settings, camel};
use serde_json::{Map, Value};

/// The layer without its unknown or invalid keys, and one issue for each key dropped.
/// `toml_src` is the text the layer was parsed from, for line and column.
pub fn vet(layer: &Value, toml_src: Option<&str>) -> (Value, Vec<ConfigIssue>) {
    let Value::Object(map) = layer else {
        if layer.is_null() {
            return (Value::Null, Vec::new());
        }
        return (
            Value::Null,
            vec![ConfigIssue {
                message: format!("settings should be a table, not {}", kind(layer)),
                line_col: None,
            }],
        );
    };
    // Editors sometimes send `{ "copydesk": { ... } }` where we expect the section itself.
    let (map, wrapper) = match map.get("copydesk") {
        Some(Value::Object(inner)) if map.len() == 1 => (inner, Some("copydesk")),
        _ => (map, None),
    };
    let known = serde_json::to_value(Settings::default()).unwrap_or(Value::Null);
    let spans = toml_src.and_then(|s| toml_edit::Document::parse(s.to_string()).ok());
    let locate = |path: &[&str]| -> Option<(usize, usize)> {
        let src = toml_src?;
        let doc = spans.as_ref()?;
        let mut table: &dyn toml_edit::TableLike = doc.as_table();
        let mut span = None;
        for (i, k) in path.iter().enumerate() {
            let (key, item) = table.get_key_value(k)?;
            span = key.span().or_else(|| item.span());
            if i + 1 < path.len() {
                table = item.as_table_like()?;
            }
        }
        let at = span?.start;
        let idx = crate::text::LineIndex::new(src);
        let line = idx.line(at);
        Some((line + 1, src[idx.start(line)..at].chars().count() + 1))
    };
    let mut issues = Vec::new();
    let mut out = Map::new();
    for (sec_raw, body) in map {
        let sec = camel(sec_raw);
        let shown_sec = match wrapper {
            Some(w) => format!("{w}.{sec_raw}"),
            None => sec_raw.clone(),
        };
        let Some(Value::Object(known_keys)) = known.get(&sec) else {
            issues.push(ConfigIssue {
                message: format!("unknown section `{shown_sec}` ignored"),
                line_col: locate(&[sec_raw]),
            });
            continue;
        };
        let Value::Object(keys) = body else {
            issues.push(ConfigIssue {
                message: format!(
                    "`{shown_sec}` should be a table, not {}; ignored",
                    kind(body)
                ),
                line_col: locate(&[sec_raw]),
            });
            continue;
        };
        let mut kept = Map::new();
        for (key_raw, value) in keys {
            let key = camel(key_raw);
            let at = || locate(&[sec_raw, key_raw]);
            if !known_keys.contains_key(&key) {
                issues.push(ConfigIssue {
                    message: format!("unknown setting `{shown_sec}.{key_raw}` ignored"),
                    line_col: at(),
                });
                continue;
            }
            let mut one = Map::new();
            one.insert(key.clone(), value.clone());
            let mut probe = Map::new();
            probe.insert(sec.clone(), Value::Object(one));
            if let Err(e) = serde_json::from_value::<Settings>(Value::Object(probe)) {
                issues.push(ConfigIssue {
                    message: format!(
                        "`{shown_sec}.{key_raw}` = {value}: {}; this setting is ignored",
                        reason(&e.to_string())
                    ),
                    line_col: at(),
                });
                continue;
            }
            kept.insert(key, value.clone());
        }
        out.insert(sec, Value::Object(kept));
    }
    (Value::Object(out), issues)
}

/// serde's message without its trailing position in the probe document.
fn reason(e: &str) -> String {
    match e.rfind(" at line ") {
        Some(i) => e[..i].to_string(),
        None => e.to_string(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{parse_toml, resolve};
    use serde_json::json;

    #[test]
    fn an_unknown_key_in_the_file_is_named_as_written_with_its_line_and_column() {
        let src = "# desk\n[duplicate-paragraph]\nmin-words = 5\n  colour-scheme = \"red\"\n";
        let (clean, issues) = vet(&parse_toml(src).unwrap(), Some(src));
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(
            issues[0].message,
            "unknown setting `duplicate-paragraph.colour-scheme` ignored"
        );
        assert_eq!(issues[0].line_col, Some((4, 3)));
        let (s, rest) = resolve(&[clean]);
        assert!(rest.is_empty(), "{rest:?}");
        assert_eq!(s.duplicate_paragraph.min_words, 5);
    }

    #[test]
    fn a_bad_value_drops_that_key_only_and_names_it() {
        let layer = json!({"nameSpelling": {"severity": "warn", "fuzzy": false},
                           "duplicateParagraph": {"minWords": "many", "similarity": 0.9}});
        let (clean, issues) = vet(&layer, None);
        // "warn" is an accepted spelling of warning.
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(
            issues[0]
                .message
                .starts_with("`duplicateParagraph.minWords` = \"many\": "),
            "{issues:?}"
        );
        let (s, rest) = resolve(&[clean]);
        assert!(rest.is_empty(), "{rest:?}");
        assert!(!s.name_spelling.fuzzy);
        assert_eq!(s.duplicate_paragraph.similarity, 0.9);
        assert_eq!(s.duplicate_paragraph.min_words, 8);
    }

    #[test]
    fn a_bad_severity_is_named() {
        let (_, issues) = vet(&json!({"nameSpelling": {"severity": "loud"}}), None);
        assert_eq!(issues.len(), 1);
        assert!(
            issues[0].message.contains("nameSpelling.severity")
                && issues[0].message.contains("loud"),
            "{issues:?}"
        );
    }

    #[test]
    fn unknown_sections_and_the_copydesk_wrapper() {
        let (clean, issues) = vet(
            &json!({"copydesk": {"spelling": {"x": 1}, "names": {"accept": ["A"]}}}),
            None,
        );
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(
            issues[0].message,
            "unknown section `copydesk.spelling` ignored"
        );
        let (s, _) = resolve(&[clean]);
        assert_eq!(s.names.accept, ["A"]);
    }

    #[test]
    fn the_shipped_defaults_raise_nothing() {
        let all = serde_json::to_value(Settings::default()).unwrap();
        let (clean, issues) = vet(&all, None);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(resolve(&[clean]).0, Settings::default());
    }
}
