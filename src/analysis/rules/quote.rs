//! `unattributed-quote`: every direct quotation names its speaker. (Being written.)

use crate::analysis::{Document, Finding, Rule, Severity};
use crate::config::Settings;
use serde::{Deserialize, Serialize};

pub const CODE: &str = "unattributed-quote";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct QuoteSettings {
    pub enabled: bool,
    pub severity: Severity,
}

impl Default for QuoteSettings {
    fn default() -> Self {
        QuoteSettings {
            enabled: true,
            severity: Severity::Warning,
        }
    }
}

pub struct UnattributedQuote;

impl Rule for UnattributedQuote {
    fn code(&self) -> &'static str {
        CODE
    }
    fn enabled(&self, s: &Settings) -> bool {
        s.unattributed_quote.enabled
    }
    fn check(&self, _doc: &Document, _s: &Settings, _out: &mut Vec<Finding>) {}
}
