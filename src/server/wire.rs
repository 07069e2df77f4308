//! What goes out to the client, on one writer, whole frames only.
//!
//! The transport (tower-lsp-server) writes its responses and requests into a [`FrameSink`],
//! which passes each complete frame on; pushed diagnostics are serialised straight to bytes
//! by [`Wire::notify`] (no `serde_json::Value` tree in between: with 15,000 diagnostics that
//! tree was most of the cost of opening a 1M-word manuscript) and join the same queue. One
//! task writes the queue to stdout in order, so the two never interleave inside a frame.

use serde::Serialize;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

enum Out {
    Frame(Vec<u8>),
    /// Answered once every frame queued before it is written and flushed.
    Barrier(oneshot::Sender<()>),
}

/// A handle that queues frames for the client.
#[derive(Clone)]
pub struct Wire {
    tx: mpsc::UnboundedSender<Out>,
}

impl Wire {
    /// The wire, the transport's side of it, and the task that writes both to `out`.
    pub fn new<W: AsyncWrite + Unpin + Send + 'static>(
        out: W,
    ) -> (Wire, FrameSink, impl Future<Output = ()> + Send) {
        let (tx, rx) = mpsc::unbounded_channel();
        let sink = FrameSink {
            buf: Vec::new(),
            tx: tx.clone(),
        };
        (Wire { tx }, sink, write_out(rx, out))
    }

    /// Send a JSON-RPC notification, serialised straight into its frame.
    pub fn notify<P: Serialize>(&self, method: &str, params: &P) {
        #[derive(Serialize)]
        struct Note<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: &'a P,
        }
        match serde_json::to_vec(&Note {
            jsonrpc: "2.0",
            method,
            params,
        }) {
            Ok(body) => {
                let _ = self.tx.send(Out::Frame(frame(&body)));
            }
            Err(e) => tracing::error!("could not serialise {method}: {e}"),
        }
    }

    /// Wait until everything queued so far has been written and flushed.
    pub async fn flushed(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Out::Barrier(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

async fn write_out<W: AsyncWrite + Unpin>(mut rx: mpsc::UnboundedReceiver<Out>, mut out: W) {
    let mut broken = false;
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        // Write everything queued, then flush once.
        while let Some(item) = next.take() {
            match item {
                Out::Frame(bytes) => {
                    if !broken && out.write_all(&bytes).await.is_err() {
                        broken = true;
                    }
                }
                Out::Barrier(done) => {
                    if !broken && out.flush().await.is_err() {
                        broken = true;
                    }
                    let _ = done.send(());
                }
            }
            next = rx.try_recv().ok();
        }
        if !broken && out.flush().await.is_err() {
            broken = true;
        }
    }
}

/// The transport's output: bytes in, whole frames out to the [`Wire`]'s queue.
pub struct FrameSink {
    buf: Vec<u8>,
    tx: mpsc::UnboundedSender<Out>,
}

/// The length of the first complete frame in `buf` (headers, blank line, body), if any.
fn complete_frame(buf: &[u8]) -> Option<usize> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let headers = std::str::from_utf8(&buf[..end]).ok()?;
    let len: usize = headers.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })?;
    let total = end + 4 + len;
    (buf.len() >= total).then_some(total)
}

impl AsyncWrite for FrameSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        this.buf.extend_from_slice(data);
        while let Some(n) = complete_frame(&this.buf) {
            let rest = this.buf.split_off(n);
            let whole = std::mem::replace(&mut this.buf, rest);
            if this.tx.send(Out::Frame(whole)).is_err() {
                return Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()));
            }
        }
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_from_both_sides_arrive_whole_and_in_order() {
        let (client, mut server_end) = tokio::io::duplex(1 << 16);
        let (wire, mut sink, writer) = Wire::new(client);
        let task = tokio::spawn(writer);
        // The transport writes a frame in pieces; a notification is queued in between.
        let a = frame(br#"{"jsonrpc":"2.0","id":1,"result":null}"#);
        sink.write_all(&a[..10]).await.unwrap();
        wire.notify("x/y", &serde_json::json!({"k": [1, 2]}));
        sink.write_all(&a[10..]).await.unwrap();
        wire.flushed().await;
        drop((wire, sink));
        task.await.unwrap();
        let mut got = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut server_end, &mut got)
            .await
            .unwrap();
        let note = frame(br#"{"jsonrpc":"2.0","method":"x/y","params":{"k":[1,2]}}"#);
        // The notification was complete first; the transport's frame follows, unbroken.
        assert_eq!(got, [note, a].concat());
    }

    #[test]
    fn a_frame_is_complete_only_with_its_whole_body() {
        let f = frame(b"{}");
        assert_eq!(complete_frame(&f), Some(f.len()));
        assert_eq!(complete_frame(&f[..f.len() - 1]), None);
        assert_eq!(complete_frame(b"Content-Length: 2\r\n"), None);
    }
}
