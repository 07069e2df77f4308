//! Watching `copydesk.toml` on the server side. Not every client offers
//! `workspace/didChangeWatchedFiles` (Neovim on Linux does not), and a file changed by git or
//! another program is not saved through the editor, so the server looks at the file itself:
//! a cheap `stat` every [`INTERVAL`], and a re-read when its modification time, size or
//! inode changes. The settings layer ignores a text it has already seen, so this and the
//! client's own notifications (save, watched files) never report a problem twice.

use super::State;
use super::configuration::reload_config;
use std::sync::Arc;
use std::time::Duration;

pub const INTERVAL: Duration = Duration::from_millis(250);

#[derive(PartialEq, Clone, Debug)]
struct Stamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    #[cfg(unix)]
    ino: u64,
}

fn stamp(path: &std::path::Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: m.modified().ok(),
        len: m.len(),
        #[cfg(unix)]
        ino: std::os::unix::fs::MetadataExt::ino(&m),
    })
}

/// Start the watch (once, after `initialized`). It ends with the process.
pub fn spawn(state: &Arc<State>) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut last: Option<(std::path::PathBuf, Option<Stamp>)> = None;
        loop {
            tokio::time::sleep(INTERVAL).await;
            let Some(path) = state.config_path() else {
                continue;
            };
            let now = {
                let p = path.clone();
                tokio::task::spawn_blocking(move || stamp(&p))
                    .await
                    .ok()
                    .flatten()
            };
            let changed = match &last {
                Some((p, s)) => *p != path || *s != now,
                // Whatever happened since `initialize` (a repeat of the same text is ignored).
                None => true,
            };
            last = Some((path, now));
            if changed {
                tracing::debug!("copydesk.toml changed on disk");
                reload_config(&state).await;
            }
        }
    });
}
