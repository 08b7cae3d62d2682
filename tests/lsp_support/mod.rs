//! A minimal LSP client for driving `nianbao::lsp::serve` in process: an in-memory pipe pair
//! (tokio's `duplex` needs a feature the crate does not enable), JSON-RPC framing, and helpers
//! for requests, notifications and waiting for `publishDiagnostics`.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::task::JoinHandle;

#[derive(Default)]
struct Buffer {
    data: VecDeque<u8>,
    closed: bool,
    reader: Option<Waker>,
    /// When bytes were last written in, and last read out: the server's side of a round trip
    /// (the benchmark's server-side latency is from its read of a message to its write of the
    /// answer, without the client's JSON work).
    last_write: Option<Instant>,
    last_read: Option<Instant>,
}

/// The writing end of an unbounded in-memory pipe.
pub struct PipeWriter(Arc<Mutex<Buffer>>);
/// The reading end.
pub struct PipeReader(Arc<Mutex<Buffer>>);

pub fn pipe() -> (PipeWriter, PipeReader) {
    let buffer = Arc::new(Mutex::new(Buffer::default()));
    (PipeWriter(buffer.clone()), PipeReader(buffer))
}

impl PipeWriter {
    pub fn write(&self, bytes: &[u8]) {
        let mut b = self.0.lock().unwrap();
        b.data.extend(bytes);
        b.last_write = Some(Instant::now());
        if let Some(w) = b.reader.take() {
            w.wake();
        }
    }
    pub fn close(&self) {
        let mut b = self.0.lock().unwrap();
        b.closed = true;
        if let Some(w) = b.reader.take() {
            w.wake();
        }
    }
}

impl Drop for PipeWriter {
    fn drop(&mut self) {
        self.close();
    }
}

impl AsyncWrite for PipeWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.write(buf);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.close();
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for PipeReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let mut b = self.0.lock().unwrap();
        if b.data.is_empty() {
            if b.closed {
                return Poll::Ready(Ok(()));
            }
            b.reader = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let n = buf.remaining().min(b.data.len());
        let bytes: Vec<u8> = b.data.drain(..n).collect();
        buf.put_slice(&bytes);
        b.last_read = Some(Instant::now());
        Poll::Ready(Ok(()))
    }
}

impl PipeReader {
    /// Read what is there, waiting for at least one byte; empty at end of stream.
    pub async fn read_some(&mut self) -> Vec<u8> {
        let mut chunk = vec![0u8; 64 * 1024];
        let n = std::future::poll_fn(|cx| {
            let mut rb = ReadBuf::new(&mut chunk);
            match Pin::new(&mut *self).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) => Poll::Ready(rb.filled().len()),
                Poll::Ready(Err(_)) => Poll::Ready(0),
                Poll::Pending => Poll::Pending,
            }
        })
        .await;
        chunk.truncate(n);
        chunk
    }
}

/// Frame a JSON-RPC message.
pub fn frame(message: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(message).unwrap();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

/// Take one framed message off the front of `buf`, if it holds a whole one.
pub fn unframe(buf: &mut Vec<u8>) -> Option<Value> {
    let header_end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let header = std::str::from_utf8(&buf[..header_end]).ok()?;
    let len: usize = header.lines().find_map(|l| {
        l.strip_prefix("Content-Length:")
            .map(|v| v.trim().parse().ok())
    })??;
    let start = header_end + 4;
    if buf.len() < start + len {
        return None;
    }
    let value = serde_json::from_slice(&buf[start..start + len]).expect("server sent invalid JSON");
    buf.drain(..start + len);
    Some(value)
}

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A client talking to an in-process server.
pub struct TestClient {
    to_server: PipeWriter,
    from_server: PipeReader,
    buf: Vec<u8>,
    next_id: i64,
    /// Notifications (and server requests) received while waiting for something else.
    pub inbox: VecDeque<Value>,
    /// What to answer `workspace/configuration` with.
    pub configuration: Value,
    pub server: Option<JoinHandle<bool>>,
}

impl TestClient {
    /// Start a server (not yet initialised).
    pub fn start() -> TestClient {
        let (to_server, server_in) = pipe();
        let (server_out, from_server) = pipe();
        let server = tokio::spawn(nianbao::lsp::serve(server_in, server_out));
        TestClient {
            to_server,
            from_server,
            buf: Vec::new(),
            next_id: 1,
            inbox: VecDeque::new(),
            configuration: Value::Null,
            server: Some(server),
        }
    }

    /// Start and initialise a server with these client capabilities and options.
    pub async fn initialized(
        capabilities: Value,
        options: Value,
        locale: Option<&str>,
    ) -> (TestClient, Value) {
        let mut client = TestClient::start();
        let result = client
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": null,
                    "capabilities": capabilities,
                    "initializationOptions": options,
                    "locale": locale,
                }),
            )
            .await;
        client.notify("initialized", json!({}));
        (client, result)
    }

    pub fn send(&mut self, message: &Value) {
        self.to_server.write(&frame(message));
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.to_server.write(bytes);
    }

    /// When the server last read from its input.
    pub fn server_read_at(&self) -> Option<Instant> {
        self.to_server.0.lock().unwrap().last_read
    }

    /// When the server last wrote to its output.
    pub fn server_wrote_at(&self) -> Option<Instant> {
        self.from_server.0.lock().unwrap().last_write
    }

    pub fn close_input(&mut self) {
        self.to_server.close();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message from the server, answering its requests on the way; `None` at end of
    /// stream.
    pub async fn next_message(&mut self) -> Option<Value> {
        loop {
            if let Some(message) = unframe(&mut self.buf) {
                return Some(message);
            }
            let bytes = tokio::time::timeout(TIMEOUT, self.from_server.read_some())
                .await
                .expect("timed out waiting for the server");
            if bytes.is_empty() {
                return None;
            }
            self.buf.extend(bytes);
        }
    }

    fn answer_server_request(&mut self, message: &Value) {
        let result = match message["method"].as_str() {
            Some("workspace/configuration") => {
                let n = message["params"]["items"].as_array().map_or(1, Vec::len);
                Value::Array(vec![self.configuration.clone(); n])
            }
            _ => Value::Null,
        };
        self.send(&json!({"jsonrpc": "2.0", "id": message["id"].clone(), "result": result}));
    }

    /// The full response (with `result` or `error`) to request `id`.
    pub async fn response(&mut self, id: i64) -> Value {
        loop {
            let message = self
                .next_message()
                .await
                .expect("server closed before responding");
            if message.get("method").is_some() {
                if message.get("id").is_some() {
                    self.answer_server_request(&message);
                }
                self.inbox.push_back(message);
                continue;
            }
            if message["id"] == json!(id) {
                return message;
            }
            // A response to some other request (e.g. an error for a malformed one).
            self.inbox.push_back(message);
        }
    }

    /// Send a request and return its `result` (panics on an error response).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The next notification `method`, from the inbox or the wire.
    pub async fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.inbox.iter().position(|m| m["method"] == method) {
            return self.inbox.remove(i).unwrap();
        }
        loop {
            let message = self.next_message().await.expect("server closed");
            if message.get("method").is_some() && message.get("id").is_some() {
                self.answer_server_request(&message);
            }
            if message["method"] == method {
                return message;
            }
            self.inbox.push_back(message);
        }
    }

    /// The next `publishDiagnostics` params for `uri`.
    pub async fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            let message = self.notification("textDocument/publishDiagnostics").await;
            if message["params"]["uri"] == uri {
                return message["params"].clone();
            }
        }
    }

    /// `publishDiagnostics` for `uri` until one for `version` arrives; returns all of them.
    pub async fn diagnostics_until(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let mut all = Vec::new();
        loop {
            let params = self.diagnostics(uri).await;
            let done = params["version"] == json!(version);
            all.push(params);
            if done {
                return all;
            }
        }
    }

    /// Whether a `publishDiagnostics` for `uri` arrives within `wait`.
    pub async fn diagnostics_within(&mut self, uri: &str, wait: Duration) -> Option<Value> {
        tokio::time::timeout(wait, self.diagnostics(uri)).await.ok()
    }

    pub fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// `shutdown`, `exit`, and the server's verdict (whether the exit was clean).
    pub async fn shutdown(mut self) -> bool {
        let result = self.request("shutdown", Value::Null).await;
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap();
        tokio::time::timeout(TIMEOUT, server)
            .await
            .expect("server did not exit")
            .unwrap()
    }
}

/// Apply LSP text edits (in `unit` columns) to `text`, independently of the server's code.
pub fn apply_text_edits(text: &str, edits: &[Value], unit: nianbao::text::ColumnUnit) -> String {
    use nianbao::text::{LineCol, LineIndex};
    let index = LineIndex::new(text);
    let offset = |p: &Value| {
        index.offset(
            text,
            LineCol {
                line: p["line"].as_u64().unwrap() as u32,
                col: p["character"].as_u64().unwrap() as u32,
            },
            unit,
        )
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
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut at = 0;
    for (start, end, new_text) in spans {
        assert!(start >= at, "overlapping edits");
        out.push_str(&text[at..start]);
        out.push_str(&new_text);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The edits of a code action's workspace edit for `uri`, checking it is a versioned
/// `TextDocumentEdit` at `version`.
pub fn document_edits(action: &Value, uri: &str, version: i64) -> Vec<Value> {
    let changes = action["edit"]["documentChanges"]
        .as_array()
        .expect("documentChanges");
    assert_eq!(changes.len(), 1, "{action}");
    assert_eq!(changes[0]["textDocument"]["uri"], uri);
    assert_eq!(changes[0]["textDocument"]["version"], json!(version));
    assert!(action["edit"].get("changes").is_none_or(Value::is_null));
    changes[0]["edits"].as_array().unwrap().clone()
}
