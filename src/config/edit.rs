//! Format-preserving edits to `copydesk.toml`: every [`SettingsChange`] a quick fix can ask
//! for goes through [`apply`], which returns the new text of the file (comments, order and
//! formatting of everything else kept). The server writes the result atomically; see
//! `src/server/accept.rs`.

use super::ConfigIssue;
use crate::analysis::SettingsChange;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

/// The text of `copydesk.toml` after `change`. `existing` is `None` (or empty) when the file
/// does not exist yet. A file that does not parse is not rewritten: its error is returned,
/// with line and column.
pub fn apply(existing: Option<&str>, change: &SettingsChange) -> Result<String, ConfigIssue> {
    let src = existing.unwrap_or("");
    let mut doc: DocumentMut = src.parse().map_err(|e: toml_edit::TomlError| {
        let line_col = e.span().map(|s| {
            let idx = crate::text::LineIndex::new(src);
            let line = idx.line(s.start);
            (line + 1, src[idx.start(line)..s.start].chars().count() + 1)
        });
        ConfigIssue {
            message: e.message().trim().to_string(),
            line_col,
        }
    })?;
    match change {
        SettingsChange::AcceptName(name) => {
            let arr = array_in(&mut doc, "names", "accept")?;
            if !arr.iter().any(|v| v.as_str() == Some(name)) {
                arr.push(name.as_str());
            }
        }
        SettingsChange::PreferName { variant, preferred } => {
            let prefer = table_in(&mut doc, "names", "prefer")?;
            if variant != preferred && !prefer.contains_key(variant) {
                prefer.insert(variant, toml_edit::value(preferred.as_str()));
            }
        }
    }
    Ok(doc.to_string())
}

/// The section's table, created when missing (keeping trailing comments above it).
fn section<'a>(
    doc: &'a mut DocumentMut,
    section: &str,
) -> Result<&'a mut dyn toml_edit::TableLike, ConfigIssue> {
    if !doc.contains_key(section) {
        let trailing = doc.trailing().as_str().unwrap_or("").to_string();
        let mut table = Table::new();
        if !trailing.trim().is_empty() {
            table.decor_mut().set_prefix(trailing);
            doc.set_trailing("");
        }
        doc.insert(section, Item::Table(table));
    }
    let table = doc
        .entry(section)
        .or_insert_with(|| Item::Table(Table::new()));
    table.as_table_like_mut().ok_or_else(|| ConfigIssue {
        message: format!("`{section}` is not a table"),
        line_col: None,
    })
}

/// The table `[section.key]`, created when missing.
fn table_in<'a>(
    doc: &'a mut DocumentMut,
    section_name: &str,
    key: &str,
) -> Result<&'a mut dyn toml_edit::TableLike, ConfigIssue> {
    let table = section(doc, section_name)?;
    let item = table
        .entry(key)
        .or_insert_with(|| Item::Table(Table::new()));
    item.as_table_like_mut().ok_or_else(|| ConfigIssue {
        message: format!("`{section_name}.{key}` is not a table"),
        line_col: None,
    })
}

/// The array `[section] key`, created (with its table) when missing.
fn array_in<'a>(
    doc: &'a mut DocumentMut,
    section_name: &str,
    key: &str,
) -> Result<&'a mut Array, ConfigIssue> {
    // Comments after the last table (or in a file of comments only) are the document's
    // trailing text, which toml_edit prints after every table: `section` keeps them where
    // they were, above a new table.
    let table = section(doc, section_name)?;
    let item = table
        .entry(key)
        .or_insert(Item::Value(Value::Array(Array::new())));
    item.as_array_mut().ok_or_else(|| ConfigIssue {
        message: format!("`{section_name}.{key}` is not an array"),
        line_col: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{parse_toml, resolve};

    fn accept(src: Option<&str>, name: &str) -> String {
        apply(src, &SettingsChange::AcceptName(name.into())).unwrap()
    }

    #[test]
    fn preferred_names_are_added_keeping_the_file() {
        let prefer = |src: Option<&str>, v: &str, p: &str| {
            apply(
                src,
                &SettingsChange::PreferName {
                    variant: v.into(),
                    preferred: p.into(),
                },
            )
            .unwrap()
        };
        let s = prefer(None, "Shmygal", "Shmyhal");
        let (settings, issues) = resolve(&[parse_toml(&s).unwrap()]);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(settings.names.prefer["Shmygal"], "Shmyhal");
        let src =
            "# desk\n[names]\naccept = [\"Hagle\"] # ok\n\n[names.prefer]\nQaddafi = \"Gaddafi\"\n";
        let s = prefer(Some(src), "O’Donell", "O’Donnell");
        let s = prefer(Some(&s), "Qaddafi", "Kadafi");
        assert!(s.starts_with(src), "{s}");
        let (settings, _) = resolve(&[parse_toml(&s).unwrap()]);
        assert_eq!(settings.names.prefer["O’Donell"], "O’Donnell");
        // An existing choice stands.
        assert_eq!(settings.names.prefer["Qaddafi"], "Gaddafi");
        assert_eq!(settings.names.accept, ["Hagle"]);
        // An accept after a prefer keeps one [names] table.
        let s = apply(Some(&s), &SettingsChange::AcceptName("Fereira".into())).unwrap();
        assert_eq!(s.matches("[names]").count(), 1, "{s}");
        let (settings, issues) = resolve(&[parse_toml(&s).unwrap()]);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(settings.names.accept, ["Hagle", "Fereira"]);
    }

    #[test]
    fn creates_the_file_when_absent() {
        let s = accept(None, "Hagle");
        assert_eq!(s, "[names]\naccept = [\"Hagle\"]\n");
        let (settings, issues) = resolve(&[parse_toml(&s).unwrap()]);
        assert!(issues.is_empty());
        assert_eq!(settings.names.accept, ["Hagle"]);
    }

    #[test]
    fn keeps_comments_and_other_settings() {
        let src = "# house style\n[duplicate-paragraph]\nmin-words = 5 # short\n\n[names]\naccept = [\"Qaddafi\"]\n";
        let s = accept(Some(src), "Hagle");
        assert!(
            s.contains("# house style") && s.contains("min-words = 5 # short"),
            "{s}"
        );
        let (settings, _) = resolve(&[parse_toml(&s).unwrap()]);
        assert_eq!(settings.names.accept, ["Qaddafi", "Hagle"]);
        assert_eq!(settings.duplicate_paragraph.min_words, 5);
        // accepting twice changes nothing
        assert_eq!(accept(Some(&s), "Hagle"), s);
    }

    #[test]
    fn many_accepts_in_a_row_give_one_valid_file_with_all_of_them() {
        let mut s = String::from("# desk\n[duplicate-paragraph]\nmin-words = 5\n");
        for n in ["Fereira", "Hagle", "Qaddafi", "Fereira"] {
            s = accept(Some(&s), n);
        }
        assert_eq!(s.matches("[names]").count(), 1, "{s}");
        assert_eq!(s.matches("accept").count(), 1, "{s}");
        let (settings, issues) = resolve(&[parse_toml(&s).unwrap()]);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(settings.names.accept, ["Fereira", "Hagle", "Qaddafi"]);
        assert!(s.starts_with("# desk\n"), "{s}");
    }

    #[test]
    fn a_names_table_written_inline_or_dotted_is_extended_in_place() {
        let s = accept(Some("names = { accept = [\"A\"] }\n"), "B");
        let (settings, _) = resolve(&[parse_toml(&s).unwrap()]);
        assert_eq!(settings.names.accept, ["A", "B"]);
        let s = accept(Some("names.accept = [\"A\"]\n"), "B");
        let (settings, _) = resolve(&[parse_toml(&s).unwrap()]);
        assert_eq!(settings.names.accept, ["A", "B"]);
    }

    #[test]
    fn comments_at_the_end_stay_above_the_new_table() {
        assert_eq!(
            accept(Some("# house style\n"), "A"),
            "# house style\n[names]\naccept = [\"A\"]\n"
        );
        assert_eq!(
            accept(
                Some("[duplicate-paragraph]\nmin-words = 5\n# the end\n"),
                "A"
            ),
            "[duplicate-paragraph]\nmin-words = 5\n# the end\n[names]\naccept = [\"A\"]\n"
        );
    }

    #[test]
    fn a_broken_file_is_not_rewritten() {
        let e = apply(Some("[names\n"), &SettingsChange::AcceptName("X".into())).unwrap_err();
        assert_eq!(e.line_col.map(|l| l.0), Some(1));
        assert!(apply(Some("names = 3\n"), &SettingsChange::AcceptName("X".into())).is_err());
    }

    #[test]
    fn hostile_names_stay_strings() {
        let s = accept(None, "\"]\n[duplicate-paragraph]\nenabled = false\n#");
        let (settings, _) = resolve(&[parse_toml(&s).unwrap()]);
        assert!(settings.duplicate_paragraph.enabled);
        assert_eq!(settings.names.accept.len(), 1);
    }
}
