//! Capability negotiation: what the client can do ([`ClientCaps`], fixed at `initialize`),
//! what the server offers in return, and the registrations it makes after `initialized`.

use super::accept::APPLY_COMMAND;
use super::actions::FIX_ALL_KIND;
use crate::config;
use crate::text::Encoding;
use std::path::PathBuf;
use tower_lsp_server::ls_types::*;

/// What the client told us it can do, fixed at `initialize`.
#[derive(Clone, Debug, Default)]
pub(super) struct ClientCaps {
    pub encoding: Encoding,
    pub pull: bool,
    pub related: bool,
    pub configuration: bool,
    pub watch_files_dynamic: bool,
    pub configuration_dynamic: bool,
    pub refresh_diagnostics: bool,
    pub work_done_progress: bool,
}

fn negotiate_encoding(caps: &ClientCapabilities) -> Encoding {
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.clone())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
        Encoding::Utf16
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

fn encoding_kind(e: Encoding) -> PositionEncodingKind {
    match e {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub(super) fn client_caps(c: &ClientCapabilities) -> ClientCaps {
    let td = c.text_document.as_ref();
    let ws = c.workspace.as_ref();
    let refresh_diagnostics = ws
        .and_then(|w| w.diagnostics.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    // Pull only when the server can also ask the client to pull again (settings changed, a
    // name accepted): a pull client without refresh support (Neovim) would keep stale
    // diagnostics until the next keystroke, so it gets pushes instead. A
    // `textDocument/diagnostic` request is still answered if such a client sends one.
    let pull = td.and_then(|t| t.diagnostic.as_ref()).is_some() && refresh_diagnostics;
    let related = if pull {
        td.and_then(|t| t.diagnostic.as_ref())
            .and_then(|d| d.related_information)
            .unwrap_or(true)
    } else {
        td.and_then(|t| t.publish_diagnostics.as_ref())
            .and_then(|p| p.related_information)
            .unwrap_or(false)
    };
    ClientCaps {
        encoding: negotiate_encoding(c),
        pull,
        related,
        configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
        watch_files_dynamic: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        configuration_dynamic: ws
            .and_then(|w| w.did_change_configuration.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        refresh_diagnostics,
        work_done_progress: c
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
    }
}

#[allow(deprecated)]
pub(super) fn workspace_root(p: &InitializeParams) -> Option<PathBuf> {
    p.workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .or_else(|| {
            p.root_uri
                .as_ref()
                .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
        })
        .or_else(|| p.root_path.as_ref().map(PathBuf::from))
}

/// What the server offers a client with these capabilities.
pub(super) fn server_capabilities(caps: &ClientCaps) -> ServerCapabilities {
    let diagnostic_provider = caps.pull.then(|| {
        DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("copydesk".into()),
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            work_done_progress_options: Default::default(),
        })
    });
    ServerCapabilities {
        position_encoding: Some(encoding_kind(caps.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
                CodeActionKind::from(FIX_ALL_KIND),
            ]),
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![APPLY_COMMAND.into()],
            work_done_progress_options: Default::default(),
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        diagnostic_provider,
        ..Default::default()
    }
}

/// The dynamic registrations made after `initialized`: file watchers and configuration.
pub(super) fn registrations(caps: &ClientCaps) -> Vec<Registration> {
    let mut regs = Vec::new();
    if caps.watch_files_dynamic {
        regs.push(Registration {
            id: "copydesk-watch-config".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![
                    FileSystemWatcher {
                        glob_pattern: GlobPattern::String(format!("**/{}", config::FILE_NAME)),
                        kind: None,
                    },
                    // Drafts on disk, for the workspace index (cross-document copies).
                    FileSystemWatcher {
                        glob_pattern: GlobPattern::String(crate::drafts::watch_glob()),
                        kind: None,
                    },
                    // Transcripts (the sources quotations are checked against).
                    FileSystemWatcher {
                        glob_pattern: GlobPattern::String("**/*.{vtt,srt}".into()),
                        kind: None,
                    },
                ],
            })
            .ok(),
        });
    }
    if caps.configuration_dynamic {
        regs.push(Registration {
            id: "copydesk-config".into(),
            method: "workspace/didChangeConfiguration".into(),
            register_options: None,
        });
    }
    regs
}
