//! Leaving cleanly: the server stops on `exit` and when stdin closes, even while a request
//! it sent to the client is still waiting for an answer that will never come.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::Notify;
use tower::Service;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Wraps the LSP service and signals when the `exit` notification arrives.
pub struct ExitWatch<S> {
    pub inner: S,
    pub stop: Arc<Notify>,
}

impl<S> Service<Request> for ExitWatch<S>
where
    S: Service<Request, Response = Option<Response>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == "exit" {
            self.stop.notify_one();
        }
        self.inner.call(req)
    }
}

/// Wraps stdin and signals end of input.
pub struct EofWatch<R> {
    pub inner: R,
    pub stop: Arc<Notify>,
}

impl<R: AsyncRead + Unpin> AsyncRead for EofWatch<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &r
            && buf.filled().len() == before
            && buf.remaining() > 0
        {
            self.stop.notify_one();
        }
        r
    }
}
