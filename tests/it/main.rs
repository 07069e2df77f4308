//! The integration tests: one binary, one module per area (`cargo test --test it`, or
//! `cargo test --test it lsp_e2e::` for one area). Shared helpers live in `common/` (the
//! stdio LSP client, `../shared` lookup) and `model.rs` (the simple text model).

mod common;
mod model;

mod cli;
mod cli_sources;
mod desk_names;
mod drafts;
mod evals;
mod fixtures;
mod fuzz_corpus;
mod incremental;
mod layers;
mod lsp_e2e;
mod name_variants;
mod reliability_cli;
mod reliability_isolation;
mod reliability_protocol;
mod reliability_security;
mod reliability_settings;
mod reliability_soak;
mod reliability_sync;
mod snapshots;
mod sources_e2e;
mod workspace_index;
