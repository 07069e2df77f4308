//! The rules. A new rule is a new file here plus one line in [`all`].

pub mod duplicate;
pub mod facts;
pub mod misattribution;
pub mod misquote;
pub mod names;
pub mod quote;
pub mod settings;

pub use facts::Facts;
pub use settings::{HouseNames, Settings};

use crate::analysis::cache::RuleMemo;
use crate::analysis::document::Document;
use crate::analysis::finding::Finding;

/// Every rule, in the order they run.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &duplicate::DuplicateParagraph,
        &quote::UnattributedQuote,
        &names::NameSpelling,
        &misquote::Misquote,
        &misattribution::Misattribution,
    ]
}

/// A rule: one file under `rules/`, one line in [`all`].
pub trait Rule: Sync {
    /// The stable diagnostic code.
    fn code(&self) -> &'static str;
    fn enabled(&self, settings: &Settings) -> bool;
    /// The rule on its own: its findings in `doc`, with nothing kept from earlier analyses.
    fn check(&self, doc: &Document, settings: &Settings, out: &mut Vec<Finding>);
    /// The rule as the engine runs it: a pure function of the engine's [`Facts`] and the
    /// settings, finding exactly what [`Rule::check`] finds. The default reads only the
    /// document.
    fn check_facts(&self, facts: &Facts, settings: &Settings, out: &mut Vec<Finding>) {
        self.check(facts.doc, settings, out)
    }
    /// Transitional, for the rules that still keep per-paragraph state of their own
    /// (`unattributed-quote`, `name-spelling`; the engine's list
    /// `analysis::engine::KEEPS_OWN_STATE`) until it moves into the engine's facts: [`Rule::check`]
    /// with state kept from the previous analysis of the same document. Must find exactly
    /// what `check` finds; the default ignores the memo.
    fn check_memo(
        &self,
        doc: &Document,
        settings: &Settings,
        memo: &mut RuleMemo,
        out: &mut Vec<Finding>,
    ) {
        let _ = memo;
        self.check(doc, settings, out)
    }
}

#[cfg(test)]
pub(crate) mod test_util;
