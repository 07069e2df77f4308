//! The analysis threads: a fixed set (one per core, at least two), started on first use.
//!
//! Analyses used to run on tokio's blocking pool, which starts a new thread whenever every
//! thread it has is busy and lets idle ones go after ten seconds. Under a burst of edits it
//! kept adding threads (25 to 47 in the soak test), and each new thread brought its own
//! malloc arena and thread cache: resident memory grew with the thread count and never came
//! back (+13–19% over 10,000 edits in a debug build, +26–32% in a release build). A fixed
//! set of long-lived threads keeps the allocator's per-thread state fixed too.
//!
//! Jobs run in arrival order. A job that panics is reported to its caller as an error and
//! the thread carries on. The threads are never joined: leaving the process does not wait for
//! an analysis in progress.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

fn queue() -> &'static Sender<Job> {
    static QUEUE: OnceLock<Sender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        for i in 0..threads {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("copydesk-analysis-{i}"))
                .spawn(move || work(&rx))
                .expect("start an analysis thread");
        }
        tx
    })
}

fn work(rx: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for the next job, never while running one.
        let job = rx.lock().unwrap().recv();
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// Run `f` on an analysis thread; its result, or an error if it panicked.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let result = catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
            panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into())
        });
        let _ = tx.send(result);
    });
    queue()
        .send(job)
        .map_err(|_| "the analysis threads are gone".to_string())?;
    rx.await
        .unwrap_or_else(|_| Err("the analysis was dropped".into()))
}
