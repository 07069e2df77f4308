//! The desk's names stay fast (issue 16 item 6): a keystroke in a 10k-word draft with 1,000
//! other drafts in the workspace, keystroke → diagnostics p50 ≤ 3 ms.
//!
//! End to end like `latency.rs`: the real binary over stdio, push mode. Two workspaces are
//! written to the temp folder: `desk/` holds the open draft and 1,000 other drafts (a few
//! hundred words each, paragraphs of `../shared/corpus/onestopenglish` and `wikinews-gum`, so
//! the index holds many people's names; six of them write names the open draft spells
//! another way, so desk findings exist), `alone/` holds the open draft only. For each, the
//! server opens the draft, the bench waits for the workspace index's `$/progress` end and the
//! diagnostics published after it, then times one-word edits → diagnostics. The two
//! workspaces alternate, round by round, so both see the same machine load.
//!
//!     cargo bench --bench desk_latency                      # the release binary it builds
//!     cargo bench --bench desk_latency -- [EDITS] [ROUNDS]   # default 100 edits, 3 rounds
//!     cargo bench --bench desk_latency -- make DIR           # only write the workspaces
//!
//! The server's own `analysed … ms` log lines (debug level) give the time inside the server
//! for each edit; the bench prints their p50 beside the round trip. Figures before and after
//! the desk memo (`names::desk::DeskMemo`) are in `docs/performance.md` ("Desk latency").

#[path = "../tests/it/common/mod.rs"]
mod common;
mod support;

use common::{Server, file_uri, push_caps};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const OTHER_DRAFTS: usize = 1_000;
const DRAFT_WORDS: usize = 10_000;

/// Stories of the desk that write names the open draft spells another way (our own text).
const DESK_STORIES: [&str; 6] = [
    "# Grid repairs finished early\n\nPrime Minister Denys Shmyhal said on Monday that the last two substations near Kyiv were working again. Shmyhal thanked the engineers who had worked through the weekend.\n\nThe opposition leader Sviatlana Tsikhanouskaya, speaking from Vilnius, said the repairs showed what neighbours could do together.\n",
    "# Winter aid arrives in Lviv\n\nDenys Shmyhal met the first aid convoy in Lviv on Tuesday. Shmyhal said the generators would go to hospitals first.\n",
    "# Opposition in exile\n\nSviatlana Tsikhanouskaya told a committee in Brussels that sanctions were working. Tsikhanouskaya said her movement would keep its office in Vilnius.\n\nShe was asked about Muammar Gaddafi's former ministers, who are still sought by prosecutors; Gaddafi died in 2011.\n",
    "# Talks in Warsaw\n\nDenys Shmyhal and Sviatlana Tsikhanouskaya both spoke at the Warsaw forum. Tsikhanouskaya called for more scholarships for students who had fled.\n",
    "# The colonel's archive\n\nHistorians opened a new archive of papers from the years of Muammar Gaddafi. Gaddafi kept copies of every letter he sent, the curators said.\n",
    "# Energy ministers meet\n\nDenys Shmyhal asked the ministers for more transformers. Shmyhal said the grid was stable for now.\n\nMuammar Gaddafi was mentioned only once, in a question about old oil contracts.\n",
];

/// The open draft's own paragraphs with the variants (our own text).
const DRAFT_STORIES: [&str; 3] = [
    "Prime Minister Denys Shmygal said on Friday that the grid would hold through the cold snap. Shmygal spoke after a meeting with the energy companies.",
    "Sviatlana Tikhanovskaya, the exiled opposition leader, joined the meeting by video. Tikhanovskaya asked for help for the students who had left Minsk.",
    "A question about Muammar Qaddafi's old oil contracts went unanswered. Qaddafi's name still appears on some of the paperwork, an official said.",
];

fn corpus_paragraphs(dir: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        if f.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        if let Ok(t) = std::fs::read_to_string(&f) {
            out.extend(
                t.split("\n\n")
                    .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                    // Headlines and datelines are not paragraphs.
                    .filter(|p| p.split_whitespace().count() >= 12),
            );
        }
    }
    out
}

/// The open draft (10k words, the first part of onestopenglish with the variants among it)
/// and the other paragraphs (the rest of onestopenglish and wikinews-gum), for the desk.
fn texts() -> (String, Vec<String>) {
    let mut ose = corpus_paragraphs("../shared/corpus/onestopenglish/articles");
    let news = corpus_paragraphs("../shared/corpus/wikinews-gum/news");
    if ose.len() < 200 {
        eprintln!("(../shared/corpus is missing: generated prose, few names)");
        ose = support::paragraphs();
    }
    let mut draft = String::from("# The desk's test draft\n\n");
    let (mut words, mut used) = (0, 0);
    while words < DRAFT_WORDS {
        let p = &ose[used];
        words += p.split_whitespace().count();
        draft.push_str(p);
        draft.push_str("\n\n");
        used += 1;
        if used % 40 == 0 {
            let s = DRAFT_STORIES[(used / 40 - 1) % DRAFT_STORIES.len()];
            words += s.split_whitespace().count();
            draft.push_str(s);
            draft.push_str("\n\n");
        }
    }
    let mut rest: Vec<String> = ose[used..].to_vec();
    rest.extend(news);
    (draft, rest)
}

/// Write the two workspaces under `base`: `desk/` and `alone/`. Returns their roots.
fn make(base: &Path) -> (PathBuf, PathBuf) {
    let (draft, rest) = texts();
    let desk = base.join("desk");
    let alone = base.join("alone");
    let _ = std::fs::remove_dir_all(&desk);
    let _ = std::fs::remove_dir_all(&alone);
    std::fs::create_dir_all(desk.join("drafts")).unwrap();
    std::fs::create_dir_all(&alone).unwrap();
    std::fs::write(desk.join("draft.md"), &draft).unwrap();
    std::fs::write(alone.join("draft.md"), &draft).unwrap();
    let mut seed = 11u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut words_total = 0;
    for i in 0..OTHER_DRAFTS {
        let target = 200 + next() % 300;
        let mut text = format!("# Story {i}\n\n");
        let (mut words, mut at) = (0, next() % rest.len());
        while words < target {
            let p = &rest[at % rest.len()];
            words += p.split_whitespace().count();
            text.push_str(p);
            text.push_str("\n\n");
            at += 1;
        }
        if i % 167 == 5 {
            text.push_str(DESK_STORIES[(i / 167) % DESK_STORIES.len()]);
        }
        words_total += words;
        std::fs::write(desk.join(format!("drafts/story-{i:04}.md")), text).unwrap();
    }
    eprintln!(
        "workspaces in {}: draft {} words; {OTHER_DRAFTS} other drafts, {words_total} words",
        base.display(),
        draft.split_whitespace().count()
    );
    (desk, alone)
}

fn pct(v: &[f64], p: f64) -> f64 {
    v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
}

struct Round {
    p50: f64,
    p90: f64,
    p95: f64,
    p99: f64,
    server_p50: f64,
    index_ms: f64,
    desk_findings: usize,
}

fn is_progress_end(m: &Value) -> bool {
    m["method"] == "$/progress"
        && m["params"]["token"] == "copydesk/workspace-index"
        && m["params"]["value"]["kind"] == "end"
}

/// Open `root/draft.md` in a server started in `root`, wait for the index, time `edits` edits.
fn run(root: &Path, edits: usize) -> Round {
    // Debug level for the `analysed … ms` lines, without a line per indexed file.
    let mut s = Server::spawn_with(
        Some(root),
        &[("RUST_LOG", "copydesk=debug,copydesk::server::indexer=info")],
    );
    let mut caps = push_caps(&["utf-16"]);
    caps["window"] = json!({"workDoneProgress": true});
    s.initialize(caps, Some(root));
    let path = root.join("draft.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    let t0 = Instant::now();
    s.open(&uri, "markdown", &text);
    // The index's end, then the diagnostics published after it (the draft checked against
    // the desk). Messages before the end are dropped.
    s.wait_for(is_progress_end);
    let index_ms = t0.elapsed().as_secs_f64() * 1000.0;
    s.backlog.clear();
    let (_, diags) = s.diagnostics(&uri, 1);
    let desk_findings = diags
        .iter()
        .filter(|d| {
            d["code"] == "name-spelling"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("desk's other stories"))
        })
        .count();
    std::thread::sleep(Duration::from_millis(200));
    s.drain(Duration::from_millis(50));
    let logged_before = s.stderr.lock().unwrap().len();

    let mut typist = support::Typist::new(&text, true);
    let mut lat = Vec::with_capacity(edits);
    for v in 2..(edits as i64 + 2) {
        let change = typist.next_change();
        let t = Instant::now();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [change]}),
        );
        s.diagnostics(&uri, v);
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        s.backlog.clear();
        std::thread::sleep(Duration::from_millis(10));
    }
    // The server's time per analysis ("analysed" debug lines of the edits).
    let mut server: Vec<f64> = s.stderr.lock().unwrap()[logged_before..]
        .iter()
        .filter(|l| l.contains("analysed"))
        .filter_map(|l| {
            let at = l.find(" ms=")? + 4;
            l[at..].split_whitespace().next()?.parse().ok()
        })
        .collect();
    server.sort_by(|a, b| a.partial_cmp(b).unwrap());
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Round {
        p50: pct(&lat, 0.5),
        p90: pct(&lat, 0.9),
        p95: pct(&lat, 0.95),
        p99: pct(&lat, 0.99),
        server_p50: if server.is_empty() {
            f64::NAN
        } else {
            pct(&server, 0.5)
        },
        index_ms,
        desk_findings,
    }
}

fn print(label: &str, r: &Round, edits: usize) {
    println!(
        "{label:<34} index+first {:>7.0} ms  keystroke→diagnostics p50 {:>5.2} ms  p90 {:>5.2} ms  p95 {:>5.2} ms  p99 {:>5.2} ms  (server p50 {:>5.2} ms; {} desk findings; {edits} edits, push)",
        r.index_ms, r.p50, r.p90, r.p95, r.p99, r.server_p50, r.desk_findings
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.first().map(String::as_str) == Some("make") {
        let dir = args.get(1).expect("make DIR");
        make(Path::new(dir));
        return;
    }
    let edits: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100);
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    let base = std::env::temp_dir().join(format!("copydesk-desk-bench-{}", std::process::id()));
    let (desk, alone) = make(&base);
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        let a = run(&alone, edits);
        print(&format!("round {round}: draft alone"), &a, edits);
        let d = run(&desk, edits);
        print(
            &format!("round {round}: with {OTHER_DRAFTS} other drafts"),
            &d,
            edits,
        );
        assert!(
            d.desk_findings > 0,
            "the desk workspace gave no desk findings: the bench measures nothing"
        );
        without.push((a.p50, a.p90));
        with.push((d.p50, d.p90));
    }
    let p50 = |v: &[(f64, f64)]| median(v.iter().map(|r| r.0).collect());
    let p90 = |v: &[(f64, f64)]| median(v.iter().map(|r| r.1).collect());
    let (w, wo) = (p50(&with), p50(&without));
    println!(
        "median over {rounds} rounds: with the desk p50 {w:.2} ms p90 {:.2} ms, alone p50 {wo:.2} ms p90 {:.2} ms (the desk adds {:.2} ms at p50); target ≤ 3 ms: {}",
        p90(&with),
        p90(&without),
        w - wo,
        if w <= 3.0 { "met" } else { "not met" }
    );
    let _ = std::fs::remove_dir_all(&base);
}
