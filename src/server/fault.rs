//! Fault injection for the stdio isolation tests (tests/reliability_isolation.rs). Test-only.
//!
//! Compiled in only with `debug_assertions` (`cargo build`/`cargo test`, never `--release`,
//! `cargo install` or the VS Code package), and only when the server is started with
//! `COPYDESK_TEST_FAULT=<rule code>`. That rule then, on a document whose text contains
//! `COPYDESK-TEST-PANIC`, panics; on one containing `COPYDESK-TEST-SLOW`, sleeps past
//! `RULE_TIME_BUDGET` and then does its work. On every other document, and for every other
//! rule, nothing changes. In a release build [`rules`] is just [`rules::all`].

use crate::analysis::{Rule, rules};

/// The rules the server runs.
pub fn rules() -> &'static [&'static dyn Rule] {
    #[cfg(debug_assertions)]
    {
        static LIST: std::sync::OnceLock<Option<&'static [&'static dyn Rule]>> =
            std::sync::OnceLock::new();
        if let Some(list) = LIST.get_or_init(injected::list) {
            return list;
        }
    }
    rules::all()
}

#[cfg(debug_assertions)]
mod injected {
    use super::*;
    use crate::analysis::{Document, Finding, RULE_TIME_BUDGET};
    use crate::config::Settings;

    /// The environment variable naming the rule to make fail.
    pub const ENV: &str = "COPYDESK_TEST_FAULT";
    /// The faulty rule panics on a document containing this.
    pub const PANIC_MARKER: &str = "COPYDESK-TEST-PANIC";
    /// The faulty rule runs past its time budget on a document containing this.
    pub const SLOW_MARKER: &str = "COPYDESK-TEST-SLOW";

    pub fn list() -> Option<&'static [&'static dyn Rule]> {
        let code = std::env::var(ENV).ok()?;
        tracing::warn!(
            "{ENV}: the {code} rule panics on documents containing {PANIC_MARKER} and runs \
             long on documents containing {SLOW_MARKER} (test-only fault injection)"
        );
        let list: Vec<&'static dyn Rule> = rules::all()
            .iter()
            .map(|&r| -> &'static dyn Rule {
                if r.code() == code {
                    Box::leak(Box::new(Faulty(r)))
                } else {
                    r
                }
            })
            .collect();
        Some(list.leak())
    }

    struct Faulty(&'static dyn Rule);

    impl Rule for Faulty {
        fn code(&self) -> &'static str {
            self.0.code()
        }
        fn enabled(&self, settings: &Settings) -> bool {
            self.0.enabled(settings)
        }
        fn check(&self, doc: &Document, settings: &Settings, out: &mut Vec<Finding>) {
            if doc.text.contains(PANIC_MARKER) {
                panic!("injected fault: {PANIC_MARKER}");
            }
            if doc.text.contains(SLOW_MARKER) {
                std::thread::sleep(RULE_TIME_BUDGET + std::time::Duration::from_millis(300));
            }
            self.0.check(doc, settings, out);
        }
    }
}
