//! The rules. A new rule is a new file here plus one line in [`all`].

pub mod duplicate;
pub mod misattribution;
pub mod misquote;
pub mod names;
pub mod quote;

use super::Rule;

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

#[cfg(test)]
pub(crate) mod test_util;
