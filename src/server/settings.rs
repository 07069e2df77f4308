//! The server's settings layers (see [`crate::config`] for precedence) and the last good
//! value of each, so a broken file never takes effect and never loses what worked.

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
    /// Names accepted through the "Accept" quick fix in this session (also written to the
    /// file by the client; kept here so they apply before the file is saved).
    accepted: Vec<String>,
    /// Desk spellings chosen in this session (variant, preferred), likewise.
    preferred: Vec<(String, String)>,
    current: Arc<Settings>,
}

type Messages = Vec<(MessageType, String)>;

/// Why a settings layer cannot be used at all (a value of the wrong type or shape), if so.
/// Such a layer is refused as a whole, so the previous one stays, instead of taking every
/// layer down to the defaults when merged. Unknown keys are not a reason (they only warn).
fn unusable(layer: &Value) -> Option<String> {
    // `config::resolve` reports a layer it cannot deserialize as "invalid settings, using
    // defaults: …"; everything else it reports is a warning.
    const PREFIX: &str = "invalid settings, using defaults: ";
    let (_, issues) = config::resolve(std::slice::from_ref(layer));
    issues
        .into_iter()
        .find(|i| i.message.starts_with(PREFIX))
        .map(|i| i.message[PREFIX.len()..].to_string())
}

fn keep_previous(origin: &str, why: &str) -> Messages {
    vec![(
        MessageType::ERROR,
        format!("copydesk: {origin}: invalid settings ({why}); keeping the previous settings"),
    )]
}

impl SettingsState {
    pub fn current(&self) -> Arc<Settings> {
        self.current.clone()
    }

    pub fn set_init(&mut self, v: Value) -> Messages {
        if let Some(e) = unusable(&v) {
            return keep_previous("initializationOptions", &e);
        }
        self.init = v;
        self.resolve("initializationOptions")
    }

    pub fn set_client(&mut self, v: Value) -> Messages {
        if let Some(e) = unusable(&v) {
            return keep_previous("editor settings", &e);
        }
        self.client = v;
        self.resolve("editor settings")
    }

    /// A new version of `copydesk.toml` (`None`: the file is gone). A file that does not
    /// parse is reported with its line and column, and the previous file settings stay.
    pub fn set_file(&mut self, path: &Path, src: Option<&str>) -> Messages {
        match src.map(config::parse_toml) {
            None => {
                self.file = Value::Null;
                self.resolve(&path.display().to_string())
            }
            Some(Ok(v)) => {
                if let Some(e) = unusable(&v) {
                    return keep_previous(&path.display().to_string(), &e);
                }
                self.file = v;
                self.resolve(&path.display().to_string())
            }
            Some(Err(e)) => vec![(
                MessageType::ERROR,
                format!(
                    "copydesk: {}:{}: {}; keeping the previous settings",
                    path.display(),
                    e.line_col
                        .map(|(l, c)| format!("{l}:{c}"))
                        .unwrap_or_else(|| "?".into()),
                    e.message
                ),
            )],
        }
    }

    pub fn accept_name(&mut self, name: &str) {
        if !self.accepted.iter().any(|n| n == name) {
            self.accepted.push(name.to_string());
        }
        let _ = self.resolve("accepted names");
    }

    /// A desk spelling chosen through "Accept as this desk's spelling" in this session
    /// (also written to `copydesk.toml`): in force at once.
    pub fn prefer_name(&mut self, variant: &str, preferred: &str) {
        if !self.preferred.iter().any(|(v, _)| v == variant) {
            self.preferred
                .push((variant.to_string(), preferred.to_string()));
        }
        let _ = self.resolve("preferred names");
    }

    fn resolve(&mut self, origin: &str) -> Messages {
        let (mut settings, issues) =
            config::resolve(&[self.init.clone(), self.client.clone(), self.file.clone()]);
        for n in &self.accepted {
            if !settings.names.accept.contains(n) {
                settings.names.accept.push(n.clone());
            }
        }
        for (v, p) in &self.preferred {
            settings
                .names
                .prefer
                .entry(v.clone())
                .or_insert_with(|| p.clone());
        }
        self.current = Arc::new(settings);
        issues
            .into_iter()
            .map(|i: ConfigIssue| (MessageType::WARNING, format!("copydesk ({origin}): {i}")))
            .collect()
    }
}
