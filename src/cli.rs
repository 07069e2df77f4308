//! `copydesk check`: the same analysis as the server, for people and for CI.
//!
//! Output formats: human (source snippets, like rustc), `json` (schema below), `sarif`
//! (SARIF 2.1.0) and `github` (workflow annotations). Exit status: 0 no findings, 1 findings,
//! 2 usage or I/O error (one line on stderr, nothing written).
//!
//! JSON schema (version 1):
//! ```text
//! { "version": 1,
//!   "files": [ { "path": str, "findings": [ {
//!       "rule": str, "severity": "error"|"warning"|"information"|"hint", "message": str,
//!       "start": {"line": n, "column": n}, "end": {"line": n, "column": n},   // 1-based, columns in Unicode scalar values
//!       "byteStart": n, "byteEnd": n,
//!       "related": [ {"path": str, "line": n, "column": n, "message": str} ],
//!       "fixes": [ {"title": str, "safe": bool, "edits": [ {"byteStart": n, "byteEnd": n, "replacement": str} ] } ]
//!   } ] } ],
//!   "summary": { "files": n, "findings": n, "fixed": n } }
//! ```

mod render;

use crate::analysis::{self, Analysis, Finding, Format, Severity};
use crate::config::{self, Settings};
use crate::text::{Encoding, Text};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub mod names;

#[derive(Parser, Debug)]
#[command(
    name = "copydesk",
    version,
    about = "An editorial checker for article drafts"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the Language Server Protocol over stdio.
    Lsp(LspArgs),
    /// Check files or directories (recursively: *.md, *.markdown, *.txt); `-` reads stdin.
    Check(CheckArgs),
    /// The desk's style sheet: every name in the drafts with its spellings, counts and files.
    Names(names::NamesArgs),
}

#[derive(Args, Debug)]
pub struct LspArgs {
    /// Accepted for compatibility with clients that append it (stdio is the only transport).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Auto,
    Markdown,
    Plain,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories; `-` for standard input. Default: the current directory.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Apply every safe fix in place (atomically), then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Settings file; default: the nearest copydesk.toml above each checked file.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// How to read the input (auto: by file extension; stdin is markdown).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input: InputFormat,
    /// The reporter's recordings to check quotations against (folders or files; default:
    /// `[quote-sources] paths`, or `sources/` beside copydesk.toml or the current folder).
    #[arg(long = "sources", value_name = "DIR")]
    pub sources: Vec<PathBuf>,
}

struct Input {
    /// Shown in output.
    display: String,
    /// Where to write fixes (None for stdin).
    path: Option<PathBuf>,
    text: String,
    format: Format,
    settings: std::sync::Arc<Settings>,
}

struct Checked {
    input: Input,
    analysis: Analysis,
    fixed_text: Option<String>,
    fixed: usize,
}

/// Run `copydesk check`; returns the exit code.
pub fn check(args: CheckArgs) -> i32 {
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("copydesk: {e}");
            2
        }
    }
}

fn run(args: &CheckArgs) -> Result<i32, String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut files = Vec::new();
    // Files found by walking a folder (a source there is not a draft to check).
    let mut walked = std::collections::HashSet::new();
    for p in &paths {
        if p.as_os_str() == "-" {
            files.push(None);
        } else if p.is_dir() {
            let from = files.len();
            collect(p, &mut files).map_err(|e| format!("{}: {e}", p.display()))?;
            walked.extend(files[from..].iter().flatten().cloned());
        } else if p.exists() {
            files.push(Some(p.clone()));
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    let mut configs = ConfigCache::new(args.config.clone())?;
    let mut sources = crate::sources_fs::SourceCache::new(&args.sources);
    let mut inputs = Vec::with_capacity(files.len());
    for f in files {
        if let Some(p) = &f
            && walked.contains(p)
            && sources.covers(&*configs.for_path(Some(p))?, p, args.config.as_deref())
        {
            continue;
        }
        let (display, path, bytes) = match &f {
            None => {
                let mut b = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut b)
                    .map_err(|e| format!("stdin: {e}"))?;
                ("<stdin>".to_string(), None, b)
            }
            Some(p) => {
                let b = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
                (p.display().to_string(), Some(p.clone()), b)
            }
        };
        let text = String::from_utf8(bytes).map_err(|_| format!("{display}: not UTF-8 text"))?;
        let format = match (args.input, &path) {
            (InputFormat::Markdown, _) | (InputFormat::Auto, None) => Format::Markdown,
            (InputFormat::Plain, _) => Format::Plain,
            (InputFormat::Auto, Some(p)) => Format::from_path(p),
        };
        let settings = sources.attach(
            configs.for_path(path.as_deref())?,
            path.as_deref(),
            args.config.as_deref(),
        );
        inputs.push(Input {
            display,
            path,
            text,
            format,
            settings,
        });
    }
    let mut checked = analyse_all(inputs, args.fix);
    names::desk_findings(&mut checked);
    if args.fix {
        // Every input was read successfully; now write all or nothing: every new text goes
        // to a temporary file first, and only when all of them are written are they renamed
        // over the originals.
        let mut staged = Vec::new();
        for c in &checked {
            if let (Some(new), Some(path)) = (&c.fixed_text, &c.input.path) {
                match Staged::write(path, new, staged.len()) {
                    Ok(s) => staged.push(s),
                    Err(e) => {
                        staged.iter().for_each(Staged::discard);
                        return Err(format!("{}: {e}", path.display()));
                    }
                }
            }
        }
        for (i, s) in staged.iter().enumerate() {
            if let Err(e) = s.commit() {
                staged[i..].iter().for_each(Staged::discard);
                return Err(format!("{}: {e}", s.target.display()));
            }
        }
        for c in &checked {
            if let (Some(new), None) = (&c.fixed_text, &c.input.path) {
                // stdin: print the fixed text to stdout instead of a report line
                print!("{new}");
            }
        }
    }
    let total: usize = checked.iter().map(|c| c.analysis.findings.len()).sum();
    let fixed: usize = checked.iter().map(|c| c.fixed).sum();
    let out = match args.format {
        OutputFormat::Human => human(&checked, fixed),
        OutputFormat::Json => {
            serde_json::to_string_pretty(&json_report(&checked, fixed)).unwrap() + "\n"
        }
        OutputFormat::Sarif => serde_json::to_string_pretty(&sarif(&checked)).unwrap() + "\n",
        OutputFormat::Github => github(&checked),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    Ok(if total > 0 { 1 } else { 0 })
}

/// The drafts of a folder ([`crate::drafts::walk`], as the workspace index sees them).
fn collect(dir: &Path, out: &mut Vec<Option<PathBuf>>) -> std::io::Result<()> {
    std::fs::read_dir(dir)?;
    out.extend(crate::drafts::walk(dir).into_iter().map(Some));
    Ok(())
}

/// Settings per directory: the nearest `copydesk.toml` at or above it.
struct ConfigCache {
    fixed: Option<std::sync::Arc<Settings>>,
    by_dir: std::collections::HashMap<PathBuf, std::sync::Arc<Settings>>,
}

impl ConfigCache {
    fn new(explicit: Option<PathBuf>) -> Result<Self, String> {
        let fixed = match explicit {
            Some(p) => Some(std::sync::Arc::new(load(&p)?)),
            None => None,
        };
        Ok(ConfigCache {
            fixed,
            by_dir: Default::default(),
        })
    }

    fn for_path(&mut self, path: Option<&Path>) -> Result<std::sync::Arc<Settings>, String> {
        if let Some(s) = &self.fixed {
            return Ok(s.clone());
        }
        let start = match path {
            Some(p) => std::fs::canonicalize(p)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf)),
            None => std::env::current_dir().ok(),
        }
        .unwrap_or_else(|| PathBuf::from("."));
        if let Some(s) = self.by_dir.get(&start) {
            return Ok(s.clone());
        }
        let mut dir = Some(start.as_path());
        let mut settings = Settings::default();
        while let Some(d) = dir {
            let candidate = d.join(config::FILE_NAME);
            if candidate.is_file() {
                settings = load(&candidate)?;
                break;
            }
            dir = d.parent();
        }
        let s = std::sync::Arc::new(settings);
        self.by_dir.insert(start, s.clone());
        Ok(s)
    }
}

fn load(path: &Path) -> Result<Settings, String> {
    let src = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let layer = config::parse_toml(&src).map_err(|e| {
        let at = e
            .line_col
            .map(|(l, c)| format!("{l}:{c}: "))
            .unwrap_or_default();
        format!("{}:{at}{}", path.display(), e.message)
    })?;
    let (settings, issues) = config::resolve(&[layer]);
    for i in issues {
        eprintln!("copydesk: warning: {}: {i}", path.display());
    }
    Ok(settings)
}

/// Analyse every input on all cores.
fn analyse_all(inputs: Vec<Input>, fix: bool) -> Vec<Checked> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(inputs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Input>>> = inputs
        .into_iter()
        .map(|i| std::sync::Mutex::new(Some(i)))
        .collect();
    let results: Vec<std::sync::Mutex<Option<Checked>>> = (0..slots.len())
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= slots.len() {
                        break;
                    }
                    let input = slots[i].lock().unwrap().take().unwrap();
                    *results[i].lock().unwrap() = Some(analyse_one(input, fix));
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().unwrap().unwrap())
        .collect()
}

fn analyse_one(mut input: Input, fix: bool) -> Checked {
    let mut analysis = analysis::analyze(&input.text, input.format, &input.settings);
    let mut fixed_text = None;
    let mut fixed = 0;
    if fix {
        // Apply safe fixes until none is left (a fix can reveal another), at most a few rounds.
        let mut text = input.text.clone();
        for _ in 0..5 {
            let edits = analysis::safe_fix_edits(&analysis.findings);
            if edits.is_empty() {
                break;
            }
            let Some(new) = analysis::apply_edits(&text, &edits) else {
                break;
            };
            fixed += analysis
                .findings
                .iter()
                .filter(|f| f.fixes.iter().any(|x| x.safe))
                .count();
            text = new;
            analysis = analysis::analyze(&text, input.format, &input.settings);
        }
        if text != input.text {
            fixed_text = Some(text.clone());
            input.text = text;
        }
    }
    Checked {
        input,
        analysis,
        fixed_text,
        fixed,
    }
}

/// A fixed text written to a temporary file beside the file it replaces.
struct Staged {
    tmp: PathBuf,
    /// The file itself, symlinks resolved: a link stays a link, its target is fixed.
    target: PathBuf,
}

impl Staged {
    fn write(path: &Path, text: &str, n: usize) -> std::io::Result<Self> {
        let target = std::fs::canonicalize(path)?;
        let dir = target.parent().unwrap_or(Path::new("."));
        // A short name, whatever the length of the file's own name.
        let tmp = dir.join(format!(".copydesk-{}-{n}.tmp", std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::set_permissions(&tmp, std::fs::metadata(&target)?.permissions())
        })();
        match result {
            Ok(()) => Ok(Staged { tmp, target }),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    fn commit(&self) -> std::io::Result<()> {
        std::fs::rename(&self.tmp, &self.target)
    }

    fn discard(&self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Write `copydesk.toml` for `copydesk names --write`: atomically over the file when it
/// exists (as `--fix` writes drafts), else a new file. (Only this module writes files.)
fn write_settings_file(path: &Path, text: &str) -> std::io::Result<()> {
    if !path.exists() {
        return std::fs::write(path, text);
    }
    let staged = Staged::write(path, text, 0)?;
    staged.commit().inspect_err(|_| staged.discard())
}

/// 1-based line and column (Unicode scalar values) of a byte offset.
fn line_col(text: &Text, byte: usize) -> (u32, u32) {
    let p = text.position(byte, Encoding::Utf32);
    (p.line + 1, p.character + 1)
}

fn human(checked: &[Checked], fixed: usize) -> String {
    let styled = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let mut out = String::new();
    let mut total = 0;
    let mut files_with = 0;
    for c in checked {
        let text = &c.input.text;
        let idx = crate::text::LineIndex::new(text);
        if !c.analysis.findings.is_empty() {
            files_with += 1;
        }
        for f in &c.analysis.findings {
            total += 1;
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information => "info",
                Severity::Hint => "help",
            };
            let title = format!("{} [{}]", f.message, f.rule);
            let label = f
                .fixes
                .iter()
                .find(|x| x.preferred)
                .map(|x| x.title.as_str())
                .unwrap_or("");
            let report = render::Report {
                level,
                title: &title,
                path: &c.input.display,
                text,
                span: f.span.clone(),
                label,
                styled,
            };
            out.push_str(&render::render(&report, &idx));
            out.push('\n');
        }
        for p in &c.analysis.problems {
            out.push_str(&format!("{}: internal: {}\n", c.input.display, p.message));
        }
    }
    if fixed > 0 {
        out.push_str(&format!("fixed {fixed} problem(s)\n"));
    }
    if total == 0 {
        out.push_str(&format!(
            "{} file(s) checked: no problems found\n",
            checked.len()
        ));
    } else {
        out.push_str(&format!(
            "{total} problem(s) in {files_with} of {} file(s)\n",
            checked.len()
        ));
    }
    out
}

fn finding_json(path: &str, text: &Text, f: &Finding) -> Value {
    let (sl, sc) = line_col(text, f.span.start);
    let (el, ec) = line_col(text, f.span.end);
    json!({
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "message": f.message,
        "start": {"line": sl, "column": sc},
        "end": {"line": el, "column": ec},
        "byteStart": f.span.start,
        "byteEnd": f.span.end,
        "related": f.related.iter().filter(|r| r.doc.is_none()).map(|r| {
            let (l, c) = line_col(text, r.span.start);
            json!({"path": path, "line": l, "column": c, "message": r.message})
        }).collect::<Vec<_>>(),
        "fixes": f.fixes.iter().filter(|x| x.settings_change.is_none()).map(|x| json!({
            "title": x.title,
            "safe": x.safe,
            "edits": x.edits.iter().map(|e| json!({
                "byteStart": e.span.start, "byteEnd": e.span.end,
                // Plain text: a `${1:speaker}` placeholder is an editor's snippet syntax.
                "replacement": if x.snippet { crate::analysis::plain_snippet(&e.replacement) } else { e.replacement.clone() }
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn json_report(checked: &[Checked], fixed: usize) -> Value {
    let files: Vec<Value> = checked
        .iter()
        .map(|c| {
            let text = Text::new(&c.input.text);
            json!({
                "path": c.input.display,
                "findings": c.analysis.findings.iter().map(|f| finding_json(&c.input.display, &text, f)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let total: usize = checked.iter().map(|c| c.analysis.findings.len()).sum();
    json!({
        "version": 1,
        "files": files,
        "summary": {"files": checked.len(), "findings": total, "fixed": fixed},
    })
}

fn sarif(checked: &[Checked]) -> Value {
    let rules: Vec<Value> = analysis::rules::all()
        .iter()
        .map(|r| {
            json!({
                "id": r.code(),
                "helpUri": format!("https://github.com/copydesk/copydesk/blob/main/docs/rules.md#{}", r.code()),
            })
        })
        .collect();
    let mut results = Vec::new();
    for c in checked {
        let text = Text::new(&c.input.text);
        for f in &c.analysis.findings {
            let (sl, sc) = line_col(&text, f.span.start);
            let (el, ec) = line_col(&text, f.span.end);
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "note",
            };
            let location = |l: u32, c0: u32, l2: u32, c2: u32| {
                json!({"physicalLocation": {
                    "artifactLocation": {"uri": c.input.display.replace('\\', "/")},
                    "region": {"startLine": l, "startColumn": c0, "endLine": l2, "endColumn": c2}
                }})
            };
            results.push(json!({
                "ruleId": f.rule,
                "level": level,
                "message": {"text": f.message},
                "locations": [location(sl, sc, el, ec)],
                "relatedLocations": f.related.iter().filter(|r| r.doc.is_none()).enumerate().map(|(i, r)| {
                    let (a, b) = line_col(&text, r.span.start);
                    let (x, y) = line_col(&text, r.span.end);
                    let mut loc = location(a, b, x, y);
                    loc["id"] = json!(i);
                    loc["message"] = json!({"text": r.message});
                    loc
                }).collect::<Vec<_>>(),
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "copydesk",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/copydesk/copydesk",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn github(checked: &[Checked]) -> String {
    let esc_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let esc_prop = |s: &str| esc_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for c in checked {
        let text = Text::new(&c.input.text);
        for f in &c.analysis.findings {
            let (sl, sc) = line_col(&text, f.span.start);
            let (el, ec) = line_col(&text, f.span.end);
            let kind = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            out.push_str(&format!(
                "::{kind} file={},line={sl},col={sc},endLine={el},endColumn={ec},title={}::{}\n",
                esc_prop(&c.input.display),
                esc_prop(f.rule),
                esc_data(&f.message)
            ));
        }
    }
    out
}
