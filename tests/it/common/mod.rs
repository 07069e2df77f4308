//! A small LSP client that drives the real `copydesk` binary over stdio with
//! Content-Length framing, the way editors do.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Server {
    pub child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests seen while waiting for something else.
    pub backlog: Vec<Value>,
    /// Answers to `workspace/configuration`.
    pub config: Value,
    /// Every line the server wrote to stderr so far.
    pub stderr: Arc<Mutex<Vec<String>>>,
}

/// The server binary: this build's, or `COPYDESK_BIN` (e.g. a release build for timings).
pub fn binary() -> &'static str {
    static BIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        std::env::var("COPYDESK_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_copydesk").into())
    })
}

pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{}", body.len(), body).into_bytes()
}

impl Server {
    pub fn spawn() -> Self {
        Self::spawn_in(None)
    }

    pub fn spawn_in(dir: Option<&std::path::Path>) -> Self {
        Self::spawn_with(dir, &[])
    }

    /// Spawn in `dir` (if any) with extra environment variables.
    pub fn spawn_with(dir: Option<&std::path::Path>, env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(binary());
        cmd.arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("RUST_LOG", "copydesk=debug")
            .envs(env.iter().copied());
        if let Some(d) = dir {
            cmd.current_dir(d);
        }
        let mut child = cmd.spawn().expect("spawn copydesk");
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        // Keep stderr drained (and visible with --nocapture), and keep it for assertions.
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[server] {line}");
                sink.lock().unwrap().push(line);
            }
        });
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
                        len = v.trim().parse::<usize>().ok();
                    }
                }
                let mut buf = vec![0; len.expect("Content-Length")];
                if r.read_exact(&mut buf).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&buf).expect("server sent valid JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Server {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 0,
            backlog: Vec::new(),
            config: Value::Null,
            stderr: log,
        }
    }

    /// Wait until the server has written a stderr line containing `needle`; returns it.
    pub fn wait_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(l) = self
                .stderr
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(needle))
            {
                return l.clone();
            }
            if Instant::now() > deadline {
                panic!("no stderr line contains {needle:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let s = self.stdin.as_mut().expect("stdin open");
        s.write_all(bytes).unwrap();
        s.flush().unwrap();
    }

    pub fn send(&mut self, msg: Value) {
        self.send_raw(&frame(&msg.to_string()));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (answering server requests meanwhile).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// The next message matching `pred`; others go to the backlog.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) => {
                    if m.get("method").is_some() && m.get("id").is_some() {
                        self.answer(&m);
                    }
                    if pred(&m) {
                        return m;
                    }
                    self.backlog.push(m);
                }
                Err(RecvTimeoutError::Timeout) => panic!("timed out; backlog: {:#?}", self.backlog),
                Err(RecvTimeoutError::Disconnected) => panic!("server closed stdout"),
            }
        }
    }

    /// Collect everything the server sends within `d`.
    pub fn drain(&mut self, d: Duration) -> Vec<Value> {
        let deadline = Instant::now() + d;
        let mut out = std::mem::take(&mut self.backlog);
        while let Ok(m) = self
            .rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if m.get("method").is_some() && m.get("id").is_some() {
                self.answer(&m);
            }
            out.push(m);
        }
        out
    }

    fn answer(&mut self, m: &Value) {
        let result = match m["method"].as_str() {
            Some("workspace/configuration") => {
                let n = m["params"]["items"]
                    .as_array()
                    .map(|a| a.len())
                    .unwrap_or(1);
                Value::Array(vec![self.config.clone(); n])
            }
            _ => Value::Null,
        };
        let id = m["id"].clone();
        self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
    }

    pub fn initialize(&mut self, capabilities: Value, root: Option<&std::path::Path>) -> Value {
        let root_uri = root.map(|r| format!("file://{}", r.display()));
        let folders = root_uri
            .as_ref()
            .map(|u| json!([{"uri": u, "name": "ws"}]))
            .unwrap_or(Value::Null);
        let r = self.request(
            "initialize",
            json!({"processId": std::process::id(), "rootUri": root_uri,
                   "workspaceFolders": folders, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r["result"].clone()
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// The next publishDiagnostics for `uri` with at least `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> (i64, Vec<Value>) {
        let uri = uri.to_string();
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && m["params"]["version"].as_i64().unwrap_or(0) >= version
        });
        (
            m["params"]["version"].as_i64().unwrap_or(0),
            m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        )
    }

    pub fn shutdown_and_exit(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }

    pub fn wait_exit(&mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Client capabilities like VS Code's (pull diagnostics, UTF-16 only) or a push client
/// offering the given encodings.
pub fn push_caps(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}}, "isPreferredSupport": true}
        },
        "workspace": {"configuration": true, "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}}
    })
}

pub fn pull_caps() -> Value {
    let mut c = push_caps(&["utf-16"]);
    c["textDocument"]["diagnostic"] =
        json!({"dynamicRegistration": false, "relatedDocumentSupport": false});
    c["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    c
}

/// Character offset → byte offset helpers for expected values, computed independently of
/// the server's own conversion code.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Apply LSP TextEdits (in the given encoding) to a text, independently of the server.
pub fn apply(text: &str, edits: &[Value], enc: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let mut col = p["character"].as_u64().unwrap() as usize;
        let start: usize = lines[..line.min(lines.len())]
            .iter()
            .map(|l| l.len() + 1)
            .sum();
        let l = lines.get(line).copied().unwrap_or("");
        let mut b = 0;
        for ch in l.chars() {
            let w = if enc == "utf-8" {
                ch.len_utf8()
            } else {
                ch.len_utf16()
            };
            if col < w {
                break;
            }
            col -= w;
            b += ch.len_utf8();
        }
        start + b
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

/// The edits for `uri` in a WorkspaceEdit (either `changes` or `documentChanges`).
pub fn edits_for(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(dc) = edit["documentChanges"].as_array() {
        return dc
            .iter()
            .filter(|d| d["textDocument"]["uri"] == uri)
            .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
            .collect();
    }
    edit["changes"][uri].as_array().cloned().unwrap_or_default()
}

/// A fresh, empty folder for one test: `copydesk-{area}-{name}-{pid}` in the temp dir.
/// Every test module has its own `area`, so tests of one binary never share a folder.
pub fn tempdir(area: &str, name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("copydesk-{area}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The `file://` URI of an absolute path.
pub fn file_uri(p: &std::path::Path) -> String {
    format!("file://{}", p.display())
}

/// Run `copydesk ARGS` in `cwd`: (exit code, stdout, stderr).
pub fn run_cli(args: &[&str], cwd: &std::path::Path) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A tiny deterministic generator (xorshift; no dependency on proptest's runner).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `../shared` (the eval drafts, corpus and tools beside the checkout), when `needs` (a path
/// inside it) is there. Missing, a test skips with a printed note, except under `CI=true`,
/// where it fails loudly: on CI the shared data is part of the checkout and a silent skip
/// would hide a broken setup.
pub fn shared(needs: &str) -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.join(needs).exists() {
        return Some(p);
    }
    let missing = p.join(needs);
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!(
            "CI=true but {} is missing: check out ../shared beside the crate",
            missing.display()
        );
    }
    eprintln!(
        "SKIP: {} not found (a failure under CI=true)",
        missing.display()
    );
    None
}

/// `../shared` itself ([`shared`]).
pub fn shared_dir() -> Option<std::path::PathBuf> {
    shared("")
}
