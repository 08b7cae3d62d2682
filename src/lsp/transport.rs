//! A filter in front of the server's input that drops malformed messages.
//!
//! tower-lsp-server reads its input with a `FramedRead`, which ends the stream after the first
//! frame it cannot decode: one message that is not JSON, or a header without `Content-Length`,
//! would stop the server. This reader re-frames the input itself and passes on only messages
//! that are JSON-RPC requests, notifications or responses; anything else is logged to stderr
//! and skipped, and the server carries on.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tower_lsp_server::jsonrpc::{Request, Response};
use tracing::warn;

/// Header blocks longer than this without an end are garbage.
const MAX_HEADER: usize = 8 * 1024;

/// Wraps the server's input; see the module docs.
pub struct WellFormed<R> {
    inner: R,
    /// Bytes read and not yet framed.
    pending: Vec<u8>,
    /// Framed, valid messages not yet handed on, from `out_pos`.
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R> WellFormed<R> {
    pub fn new(inner: R) -> WellFormed<R> {
        WellFormed {
            inner,
            pending: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            eof: false,
        }
    }

    /// Move every complete message from `pending` to `out`, dropping the malformed ones.
    fn frame(&mut self) {
        loop {
            let Some(header_end) = find(&self.pending, b"\r\n\r\n") else {
                if self.pending.len() > MAX_HEADER {
                    warn!(
                        "dropping {} bytes of input without a message header",
                        self.pending.len()
                    );
                    self.skip_to_next_header(1);
                    continue;
                }
                return;
            };
            let length = std::str::from_utf8(&self.pending[..header_end])
                .ok()
                .and_then(|h| {
                    h.split("\r\n").find_map(|line| {
                        let (name, value) = line.split_once(':')?;
                        name.trim()
                            .eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse::<usize>().ok())?
                    })
                });
            let Some(length) = length else {
                warn!("dropping a message header without a valid Content-Length");
                self.skip_to_next_header(header_end + 4);
                continue;
            };
            let start = header_end + 4;
            if self.pending.len() < start + length {
                return;
            }
            let body = &self.pending[start..start + length];
            let valid = serde_json::from_slice::<Request>(body).is_ok()
                || serde_json::from_slice::<Response>(body).is_ok();
            if valid {
                self.out
                    .extend_from_slice(format!("Content-Length: {length}\r\n\r\n").as_bytes());
                self.out.extend_from_slice(body);
            } else {
                let preview: String =
                    String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned();
                warn!("dropping a malformed message ({length} bytes): {preview}");
            }
            self.pending.drain(..start + length);
        }
    }

    /// Drop input up to the next `Content-Length` at or after `from`.
    fn skip_to_next_header(&mut self, from: usize) {
        let from = from.min(self.pending.len());
        let next =
            find(&self.pending[from..], b"Content-Length").map_or(self.pending.len(), |i| from + i);
        self.pending.drain(..next);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl<R: AsyncRead + Unpin> AsyncRead for WellFormed<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if this.out_pos < this.out.len() {
                let n = buf.remaining().min(this.out.len() - this.out_pos);
                buf.put_slice(&this.out[this.out_pos..this.out_pos + n]);
                this.out_pos += n;
                if this.out_pos == this.out.len() {
                    this.out.clear();
                    this.out_pos = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.eof {
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; 16 * 1024];
            let mut chunk_buf = ReadBuf::new(&mut chunk);
            match Pin::new(&mut this.inner).poll_read(cx, &mut chunk_buf) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
                Poll::Ready(Ok(())) => {
                    let filled = chunk_buf.filled();
                    if filled.is_empty() {
                        if !this.pending.iter().all(u8::is_ascii_whitespace) {
                            warn!(
                                "input ended inside a message ({} bytes dropped)",
                                this.pending.len()
                            );
                        }
                        this.eof = true;
                    } else {
                        this.pending.extend_from_slice(filled);
                        this.frame();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn filter(input: &[u8]) -> String {
        let mut w = WellFormed::new(&b""[..]);
        // Feed byte by byte: framing must not depend on how reads are split.
        for b in input {
            w.pending.push(*b);
            w.frame();
        }
        String::from_utf8(w.out).unwrap()
    }

    #[test]
    fn passes_messages_and_drops_garbage() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let response = r#"{"jsonrpc":"2.0","id":1,"result":null}"#;
        let input = format!(
            "{}{}garbage\r\n\r\n{}{}Content-Type: x\r\n\r\n{}{}",
            frame(ok),
            frame("{not json"),
            frame("[]"),
            frame(response),
            frame("{}"),
            frame("中文 \u{1F600}"),
        );
        let out = filter(input.as_bytes());
        assert_eq!(out, format!("{}{}", frame(ok), frame(response)));
        let header_case = format!("content-length: {}\r\n\r\n{ok}", ok.len());
        assert_eq!(filter(header_case.as_bytes()), frame(ok));
    }
}
