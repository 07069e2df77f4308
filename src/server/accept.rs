//! "Accept ‘Y’ as a different name" (and any other [`SettingsChange`] a fix asks for): the
//! code action carries only a command the server executes, [`APPLY_COMMAND`]. The server
//! merges the change into `copydesk.toml` on disk itself ([`config::edit::apply`], which keeps
//! comments and formatting), writes it atomically (temporary file + rename), and re-reads it.
//!
//! Why not a `WorkspaceEdit` of the file: the client would apply a whole-file edit built
//! from the copy on disk over its own unsaved buffer (Neovim does), so two accepts before a
//! save gave a file with `[names]` twice. Here each accept reads the file as it is, under a
//! lock, so any number of accepts, in any order, give one valid file holding all of them,
//! and the editor's state does not matter. The file watch (`watch.rs`) then sees the new
//! file like any other change.
//!
//! The server writes only a change it could have offered: the draft must be open and the
//! name must occur in it. With no workspace root the file is written beside the draft (and
//! the action's title says so); that file is then the session's settings file.

use super::State;
use super::configuration::{config_path_for, report_issues, settings_changed_on};
use crate::analysis::SettingsChange;
use crate::config;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tower_lsp_server::ls_types::*;

/// `workspace/executeCommand` for a settings change: `arguments: [{uri, change}]`.
pub const APPLY_COMMAND: &str = "copydesk.applySettingsChange";

/// One write to a settings file at a time (read, merge, write is not atomic on its own).
static WRITING: Mutex<()> = Mutex::new(());

#[derive(Serialize, Deserialize)]
struct Args {
    /// The draft the fix was offered in.
    uri: Uri,
    change: SettingsChange,
}

/// The code action for a fix with a settings change: a command only, no edit.
pub fn action(
    state: &State,
    uri: &Uri,
    title: &str,
    change: &SettingsChange,
    diag: &Diagnostic,
) -> CodeAction {
    let title = match (state.root(), change) {
        (None, SettingsChange::AcceptName(_)) => {
            format!("{title} (no workspace root: in copydesk.toml beside this draft)")
        }
        _ => title.to_string(),
    };
    let args = Args {
        uri: uri.clone(),
        change: change.clone(),
    };
    CodeAction {
        title: title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diag.clone()]),
        edit: None,
        command: Some(Command {
            title,
            command: APPLY_COMMAND.into(),
            arguments: Some(vec![serde_json::to_value(args).unwrap_or(Value::Null)]),
        }),
        is_preferred: None,
        disabled: None,
        data: None,
    }
}

/// Why a change cannot be written, if it cannot: the server writes only what it offers.
fn refuse(state: &State, args: &Args) -> Option<String> {
    let snap = state.store.lock().unwrap().snapshot(&args.uri);
    let Some(snap) = snap else {
        return Some("the draft is not open".into());
    };
    match &args.change {
        SettingsChange::AcceptName(name) => {
            if name.trim().is_empty()
                || name.chars().count() > 200
                || name.chars().any(|c| c.is_control())
            {
                return Some("not a name".into());
            }
            if !snap.text.to_string_lossless().contains(name.as_str()) {
                return Some("the draft does not use that name".into());
            }
        }
        SettingsChange::PreferName { variant, preferred } => {
            if [variant, preferred].iter().any(|n| {
                n.trim().is_empty() || n.chars().count() > 200 || n.chars().any(|c| c.is_control())
            }) {
                return Some("not a name".into());
            }
            // The draft's spelling becomes the desk's: it is the one the draft uses.
            if !snap.text.to_string_lossless().contains(preferred.as_str()) {
                return Some("the draft does not use that name".into());
            }
        }
    }
    None
}

/// Run the command. Invalid arguments are an `invalid_params` error; a change the server
/// would not have offered is logged and ignored.
pub async fn execute(
    state: &Arc<State>,
    arguments: &[Value],
) -> tower_lsp_server::jsonrpc::Result<Option<Value>> {
    let Some(args) = arguments
        .first()
        .and_then(|v| serde_json::from_value::<Args>(v.clone()).ok())
    else {
        return Err(tower_lsp_server::jsonrpc::Error::invalid_params(
            "expected [{uri, change}]",
        ));
    };
    if let Some(why) = refuse(state, &args) {
        tracing::warn!(
            uri = args.uri.as_str(),
            "settings change not written: {why}"
        );
        return Ok(None);
    }
    let no_root = state.root().is_none();
    let Some(path) = config_path_for(state, &args.uri) else {
        tracing::warn!(
            uri = args.uri.as_str(),
            "no folder to write copydesk.toml in"
        );
        return Ok(None);
    };
    let before = state.settings().0;
    let written = tokio::task::spawn_blocking({
        let path = path.clone();
        let change = args.change.clone();
        move || write_change(&path, &change)
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    match written {
        Ok(text) => {
            if no_root {
                *state.adopted_config.lock().unwrap() = Some(path.clone());
                state
                    .client
                    .show_message(
                        MessageType::INFO,
                        format!(
                            "copydesk: no workspace root (no .git or copydesk.toml above the draft): wrote {}",
                            path.display()
                        ),
                    )
                    .await;
            }
            let issues = state.settings.lock().unwrap().set_file(&path, Some(&text));
            report_issues(state, issues).await;
            settings_changed_on(state, &before);
        }
        Err(e) => {
            let msg = format!("copydesk: could not update {}: {e}", path.display());
            tracing::warn!("{msg}");
            state.client.show_message(MessageType::ERROR, msg).await;
        }
    }
    Ok(None)
}

/// Merge `change` into the file at `path` and write it atomically. Returns the new text.
fn write_change(path: &Path, change: &SettingsChange) -> Result<String, String> {
    let _guard = WRITING.lock().unwrap_or_else(|p| p.into_inner());
    let existing = match std::fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.to_string()),
    };
    let new = config::edit::apply(existing.as_deref(), change).map_err(|e| {
        format!(
            "{}{}: {} (fix the file, then try again)",
            path.display(),
            e.line_col
                .map(|(l, c)| format!(":{l}:{c}"))
                .unwrap_or_default(),
            e.message
        )
    })?;
    if existing.as_deref() == Some(new.as_str()) {
        return Ok(new);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp: PathBuf = dir.join(format!(".{}.{}.tmp", config::FILE_NAME, std::process::id()));
    std::fs::write(&tmp, &new).map_err(|e| e.to_string())?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        e.to_string()
    })?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_accepts_all_land_in_one_valid_file() {
        let dir = std::env::temp_dir().join(format!("copydesk-accept-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("copydesk.toml");
        std::fs::write(&path, "# desk\n[duplicate-paragraph]\nmin-words = 5\n").unwrap();
        let names: Vec<String> = (0..16).map(|i| format!("Name{i}")).collect();
        std::thread::scope(|s| {
            for n in &names {
                let path = &path;
                s.spawn(move || {
                    write_change(path, &SettingsChange::AcceptName(n.clone())).unwrap();
                });
            }
        });
        let text = std::fs::read_to_string(&path).unwrap();
        let (settings, issues) = config::resolve(&[config::parse_toml(&text).unwrap()]);
        assert!(issues.is_empty(), "{issues:?}");
        let mut got = settings.names.accept.clone();
        got.sort();
        let mut want = names.clone();
        want.sort();
        assert_eq!(got, want);
        assert!(text.starts_with("# desk\n"), "{text}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
