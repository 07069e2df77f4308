//! A guard in front of the JSON-RPC transport: malformed input never ends the session.
//!
//! tower-lsp-server reads stdin through a `FramedRead`, which stops for good after the first
//! message it cannot decode (bad JSON, a body that is not a JSON-RPC message, a broken
//! header): the server would stop reading and exit. So stdin is read here first, frame by
//! frame. Well-formed messages pass through unchanged; anything else is logged and replaced by
//! a request for [`INVALID_MESSAGE`] with a null id, which the server answers with the JSON-RPC
//! error the client should get (-32700 parse error or -32600 invalid request, `"id": null`).

use std::io::Read;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Request, Response};

/// The method that stands in for a message that could not be read.
pub const INVALID_MESSAGE: &str = "copydesk/invalidMessage";

/// JSON-RPC error codes for what was wrong.
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;

/// A Content-Length above this is taken for garbage (it would swallow everything after it).
const MAX_MESSAGE: usize = 1 << 30;

/// Copy framed messages from `input` to `output`, replacing the unreadable ones. Returns when
/// `input` ends (dropping `output`, so the reader sees end of input too).
///
/// Blocking: run it on its own thread (not the runtime's blocking pool, which the runtime
/// waits for when it shuts down: a read of stdin that never returns would keep the process
/// alive after `exit`). Writes go through `rt`.
pub fn guard<R, W>(mut input: R, mut output: W, rt: tokio::runtime::Handle)
where
    R: Read,
    W: AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        // Take every complete message out of the buffer.
        loop {
            match next_frame(&buf) {
                Frame::Incomplete => break,
                Frame::Message { consumed, body } => {
                    let out = check(&buf[body]);
                    buf.drain(..consumed);
                    if !rt.block_on(write_frame(&mut output, &out)) {
                        return;
                    }
                }
                Frame::BadHeader { skip, why } => {
                    tracing::error!("unreadable message header ({why}); skipped {skip} bytes");
                    buf.drain(..skip);
                    let m = replacement(PARSE_ERROR, &format!("unreadable header: {why}"));
                    if !rt.block_on(write_frame(&mut output, &m)) {
                        return;
                    }
                }
            }
        }
        match input.read(&mut chunk) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn write_frame<W: AsyncWrite + Unpin>(output: &mut W, body: &[u8]) -> bool {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    output.write_all(header.as_bytes()).await.is_ok()
        && output.write_all(body).await.is_ok()
        && output.flush().await.is_ok()
}

enum Frame {
    Incomplete,
    Message {
        consumed: usize,
        body: std::ops::Range<usize>,
    },
    BadHeader {
        skip: usize,
        why: String,
    },
}

/// Find the first frame in `buf`: headers up to `\r\n\r\n`, a `Content-Length`, the body.
fn next_frame(buf: &[u8]) -> Frame {
    let Some(end) = find(buf, b"\r\n\r\n") else {
        // No complete header yet. If a lot has arrived with no header end, or the bytes
        // cannot be the start of a header, skip to the next plausible header.
        if buf.len() > 64 * 1024 {
            return bad_header(buf, "no end of headers".into());
        }
        return Frame::Incomplete;
    };
    let headers = &buf[..end];
    let mut len = None;
    for line in headers.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return bad_header(buf, "a header line without ':'".into());
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.eq_ignore_ascii_case(b"content-length") {
            match std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
            {
                Some(n) => len = Some(n),
                None => return bad_header(buf, "Content-Length is not a number".into()),
            }
        }
    }
    let Some(len) = len else {
        return bad_header(buf, "no Content-Length".into());
    };
    if len > MAX_MESSAGE {
        return bad_header(buf, format!("Content-Length {len} is more than we accept"));
    }
    let start = end + 4;
    if buf.len() < start + len {
        return Frame::Incomplete;
    }
    Frame::Message {
        consumed: start + len,
        body: start..start + len,
    }
}

/// Skip past the bad bytes to the next `Content-Length` after the start (or everything).
fn bad_header(buf: &[u8], why: String) -> Frame {
    let skip = find(&buf[1..], b"Content-Length")
        .map(|i| i + 1)
        .unwrap_or(buf.len());
    Frame::BadHeader { skip, why }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The body to pass on: the message itself when the transport can read it, otherwise a
/// replacement that makes the server answer with the right error.
fn check(body: &[u8]) -> Vec<u8> {
    let err = match serde_json::from_slice::<Request>(body) {
        Ok(_) => return body.to_vec(),
        Err(e) => e,
    };
    if serde_json::from_slice::<Response>(body).is_ok() {
        return body.to_vec();
    }
    let code = if err.is_data() {
        INVALID_REQUEST
    } else {
        PARSE_ERROR
    };
    tracing::error!("unreadable message ({} bytes): {err}", body.len());
    replacement(code, &err.to_string())
}

fn replacement(code: i64, why: &str) -> Vec<u8> {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "method": INVALID_MESSAGE,
        "params": {"code": code, "message": why},
    })
    .to_string()
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(buf: &[u8]) -> Option<&[u8]> {
        match next_frame(buf) {
            Frame::Message { body, .. } => Some(&buf[body]),
            _ => None,
        }
    }

    #[test]
    fn frames_arrive_in_pieces() {
        let msg = b"Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}";
        for cut in 0..msg.len() {
            assert!(
                matches!(next_frame(&msg[..cut]), Frame::Incomplete),
                "{cut}"
            );
        }
        assert_eq!(body_of(msg), Some(&b"{}"[..]));
        assert_eq!(body_of(b"content-length:2\r\n\r\n{}"), Some(&b"{}"[..]));
    }

    #[test]
    fn garbage_is_skipped_up_to_the_next_header() {
        let buf = b"junk\r\n\r\nContent-Length: 2\r\n\r\n{}";
        match next_frame(buf) {
            Frame::BadHeader { skip, .. } => assert_eq!(body_of(&buf[skip..]), Some(&b"{}"[..])),
            _ => panic!("not a bad header"),
        }
    }

    #[test]
    fn unreadable_bodies_are_replaced() {
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        assert_eq!(check(ok), ok.to_vec());
        let resp = br#"{"jsonrpc":"2.0","id":1,"result":null}"#;
        assert_eq!(check(resp), resp.to_vec());
        for (bad, code) in [
            (&b"{oops"[..], PARSE_ERROR),
            (b"\xff\xfe", PARSE_ERROR),
            (b"[1]", INVALID_REQUEST),
        ] {
            let v: serde_json::Value = serde_json::from_slice(&check(bad)).unwrap();
            assert_eq!(v["method"], INVALID_MESSAGE);
            assert_eq!(v["params"]["code"], code);
        }
    }
}
