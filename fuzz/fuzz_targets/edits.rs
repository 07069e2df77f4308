//! Edit application on `Text` against the model: see `edits` in fuzz/checks.rs.
#![no_main]

#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::edits(data));
