//! `name-spelling`: one person, one spelling. (Being written.)

use crate::analysis::{Document, Finding, Rule, Severity};
use crate::config::Settings;
use serde::{Deserialize, Serialize};

pub const CODE: &str = "name-spelling";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct NameSettings {
    pub enabled: bool,
    pub severity: Severity,
}

impl Default for NameSettings {
    fn default() -> Self {
        NameSettings {
            enabled: true,
            severity: Severity::Warning,
        }
    }
}

pub struct NameSpelling;

impl Rule for NameSpelling {
    fn code(&self) -> &'static str {
        CODE
    }
    fn enabled(&self, s: &Settings) -> bool {
        s.name_spelling.enabled
    }
    fn check(&self, _doc: &Document, _s: &Settings, _out: &mut Vec<Finding>) {}
}

/// Hover text for the name mention at `offset`, if any.
pub fn hover_info(
    _doc: &Document,
    _settings: &Settings,
    _offset: usize,
) -> Option<crate::analysis::HoverInfo> {
    None
}
