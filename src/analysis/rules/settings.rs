//! Every setting the rules read, typed, with defaults: one section per rule. `config`
//! produces them from layers (defaults, editor, `copydesk.toml`); the rules never see how.

use super::{
    duplicate::DuplicateSettings, misattribution::MisattributionSettings,
    misquote::MisquoteSettings, names::NameSettings, quote::QuoteSettings,
};
use crate::analysis::sources::{QuoteSourcesSettings, Sources};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every setting copydesk understands.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    pub duplicate_paragraph: DuplicateSettings,
    pub unattributed_quote: QuoteSettings,
    pub name_spelling: NameSettings,
    /// The house style sheet for names.
    pub names: HouseNames,
    pub misquote: MisquoteSettings,
    pub misattribution: MisattributionSettings,
    /// `[quote-sources]`: where the reporter's recordings are.
    pub quote_sources: QuoteSourcesSettings,
    /// The recordings themselves, indexed (set by the server or the CLI, never by a file).
    #[serde(skip)]
    pub sources: Sources,
}

/// Accepted names and known variants mapped to the preferred form.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct HouseNames {
    /// Spellings that are correct as written, never flagged.
    pub accept: Vec<String>,
    /// Variant → preferred spelling.
    pub prefer: BTreeMap<String, String>,
}
