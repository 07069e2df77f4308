//! copydesk: an editorial checker for article drafts — a language server and a CLI.
//!
//! - [`analysis`]: the pure core (text → findings with byte spans and fixes).
//! - [`text`]: the document rope and the only byte ↔ LSP position conversion.
//! - [`config`]: typed settings and how layers merge.
//! - [`server`]: the LSP glue.
//! - [`cli`]: `copydesk check`.
//! - [`drafts`]: what a draft file is (the CLI's folders and the workspace index).
//! - [`sources_fs`]: the reporter's recordings on disk (for the server and the CLI).

pub mod analysis;
pub mod cli;
pub mod config;
pub mod drafts;
pub mod server;
pub mod sources_fs;
pub mod text;
