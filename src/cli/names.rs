//! `copydesk names [PATH…]`: the desk's style sheet — every person or organisation named in
//! the drafts, with its spellings, how often and where each is used, and the canonical choice
//! (the house style's, else the desk's most frequent). `--write` adds the chosen spellings to
//! `[names.prefer]` in `copydesk.toml` (format-preserving, like accept). Also here: the desk
//! check of `copydesk check` over several files (each file against the others).

use super::{Checked, ConfigCache, collect};
use crate::analysis::rules::names::desk::{Desk, SheetEntry, draft_names, file_name};
use crate::analysis::{Document, Format};
use crate::config;
use clap::Args;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct NamesArgs {
    /// Files or directories (recursively: *.md, *.markdown, *.txt). Default: the current
    /// directory.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = SheetFormat::Human)]
    pub format: SheetFormat,
    /// List every name, not only those spelled more than one way.
    #[arg(long)]
    pub all: bool,
    /// Add each name's chosen spelling to `[names.prefer]` in copydesk.toml (for every other
    /// spelling the drafts use).
    #[arg(long)]
    pub write: bool,
    /// Settings file (read, and written by `--write`); default: the nearest copydesk.toml
    /// above the first path, else a new one there.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SheetFormat {
    Human,
    Json,
}

/// Run `copydesk names`; returns the exit code (0, or 2 on a usage or I/O error).
pub fn names(args: NamesArgs) -> i32 {
    match run(&args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("copydesk: {e}");
            2
        }
    }
}

/// The settings file `names` reads and `--write` writes.
fn config_path(args: &NamesArgs, first: &Path) -> PathBuf {
    if let Some(p) = &args.config {
        return p.clone();
    }
    let start = std::fs::canonicalize(first).unwrap_or_else(|_| first.to_path_buf());
    let start = if start.is_dir() {
        start
    } else {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    };
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        let c = d.join(config::FILE_NAME);
        if c.is_file() {
            return c;
        }
        dir = d.parent();
    }
    start.join(config::FILE_NAME)
}

fn run(args: &NamesArgs) -> Result<(), String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut files = Vec::new();
    for p in &paths {
        if p.is_dir() {
            collect(p, &mut files).map_err(|e| format!("{}: {e}", p.display()))?;
        } else if p.exists() {
            files.push(Some(p.clone()));
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    let cfg = config_path(args, &paths[0]);
    let mut configs = ConfigCache::new(cfg.is_file().then(|| cfg.clone()))?;
    let settings = configs.for_path(Some(&paths[0]))?;
    let mut desk = Desk::default();
    for f in files.into_iter().flatten() {
        let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let Ok(text) = String::from_utf8(bytes) else {
            eprintln!(
                "copydesk: warning: {}: not UTF-8 text, skipped",
                f.display()
            );
            continue;
        };
        let doc = Document::parse(&text, Format::from_path(&f));
        desk.set(&f.display().to_string(), &draft_names(&doc, &settings));
    }
    let sheet = desk.style_sheet(&settings);
    let shown: Vec<&SheetEntry> = sheet
        .iter()
        .filter(|e| args.all || e.spellings.len() > 1)
        .collect();
    let mut out = String::new();
    match args.format {
        SheetFormat::Json => {
            out = serde_json::to_string_pretty(&json!({
                "version": 1,
                "files": desk.docs(),
                "names": shown,
            }))
            .unwrap()
                + "\n";
        }
        SheetFormat::Human => {
            for e in &shown {
                out.push_str(&format!(
                    "{}{}\n",
                    e.name,
                    if e.house_style { " (house style)" } else { "" }
                ));
                let width = e
                    .spellings
                    .iter()
                    .map(|s| s.text.chars().count())
                    .max()
                    .unwrap_or(0);
                for s in &e.spellings {
                    let files: Vec<&str> = s.files.iter().map(|f| file_name(f)).collect();
                    out.push_str(&format!(
                        "  {} {:width$}  {:>4}  {}\n",
                        if s.canonical { "✓" } else { " " },
                        s.text,
                        s.count,
                        files.join(", "),
                    ));
                }
            }
            let several = sheet.iter().filter(|e| e.spellings.len() > 1).count();
            out.push_str(&format!(
                "{} name(s) in {} file(s); {several} spelled more than one way\n",
                sheet.len(),
                desk.docs()
            ));
        }
    }
    if args.write {
        let pairs: Vec<(String, String)> = sheet
            .iter()
            .filter(|e| e.spellings.len() > 1)
            .flat_map(|e| {
                e.spellings
                    .iter()
                    .filter(|s| !s.canonical)
                    .map(|s| (s.text.clone(), e.canonical.clone()))
            })
            .collect();
        let existing = match std::fs::read_to_string(&cfg) {
            Ok(s) => Some(s),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("{}: {e}", cfg.display())),
        };
        let new = config::with_preferred_names(existing.as_deref(), &pairs).map_err(|e| {
            let at = e
                .line_col
                .map(|(l, c)| format!("{l}:{c}: "))
                .unwrap_or_default();
            format!("{}:{at}{}", cfg.display(), e.message)
        })?;
        if existing.as_deref() != Some(new.as_str()) {
            super::write_settings_file(&cfg, &new)
                .map_err(|e| format!("{}: {e}", cfg.display()))?;
        }
        let msg = format!("{} spelling(s) written to {}\n", pairs.len(), cfg.display());
        if args.format == SheetFormat::Human {
            out.push_str(&msg);
        } else {
            eprint!("{msg}");
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(())
}

/// `copydesk check` over several files: each file's spellings against the other files'
/// (the desk), as the server does against the workspace.
pub(super) fn desk_findings(checked: &mut [Checked]) {
    if checked.len() < 2 {
        return;
    }
    let mut desk = Desk::default();
    for c in checked.iter() {
        if c.input.settings.name_spelling.cross_document {
            desk.set(&c.input.display, &c.analysis.names);
        }
    }
    if desk.docs() < 2 {
        return;
    }
    for c in checked.iter_mut() {
        let found = desk.check(&c.input.display, &c.analysis.names, &c.input.settings);
        if !found.is_empty() {
            c.analysis.findings.extend(found);
            c.analysis
                .findings
                .sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
        }
    }
}
