//! Smoke test of the built binary over stdio (`nianbao lsp`) with a minimal JSON-RPC client:
//! every byte on stdout is a framed JSON-RPC message, malformed input is survived, and
//! shutdown + exit ends the process with status 0.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const DATONG: &str = include_str!("corpus/datong-eco-2023.txt");
const TIMEOUT: Duration = Duration::from_secs(30);

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Result<Value, String>>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("lsp")
            .env("NIANBAO_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nianbao lsp");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        // Read frames strictly: a header block with Content-Length, then exactly that many
        // bytes of JSON. Anything else on stdout is an error.
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) => return,
                        Ok(_) => {}
                        Err(e) => {
                            let _ = tx.send(Err(format!("read error {e}")));
                            return;
                        }
                    }
                    if line == "\r\n" {
                        break;
                    }
                    match line.strip_prefix("Content-Length: ") {
                        Some(v) => length = v.trim().parse::<usize>().ok(),
                        None if line.starts_with("Content-Type: ") => {}
                        None => {
                            let _ = tx.send(Err(format!("not a header on stdout: {line:?}")));
                            return;
                        }
                    }
                }
                let Some(length) = length else {
                    let _ = tx.send(Err("header without Content-Length".into()));
                    return;
                };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    let _ = tx.send(Err("truncated body".into()));
                    return;
                }
                let message = serde_json::from_slice(&body)
                    .map_err(|e| format!("invalid JSON on stdout: {e}"));
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.send_raw(&framed);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(TIMEOUT)
            .expect("no message from the server")
            .unwrap()
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == id && message.get("method").is_none() {
                return message;
            }
        }
    }

    fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            let message = self.next();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"].clone();
            }
        }
    }

    fn wait(&mut self) -> i32 {
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

#[test]
fn stdio_session_from_initialize_to_exit() {
    let mut server = Server::start();
    let init = server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {"general": {"positionEncodings": ["utf-8"]}}}),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    server.notify("initialized", json!({}));
    let uri = "file:///tmp/datong-eco-2023.txt";
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": DATONG}}),
    );
    let params = server.diagnostics(uri);
    assert_eq!(params["version"], 1);
    let nb304 = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["code"] == "NB304" && d["range"]["start"] == json!({"line": 408, "character": 1})
        })
        .cloned()
        .unwrap_or_else(|| panic!("{params}"));

    // Garbage in between is skipped, not fatal.
    server.send_raw(b"Content-Length: 5\r\n\r\n{oops");
    server.send_raw(b"no header at all\r\n\r\n");

    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": nb304["range"], "context": {"diagnostics": [nb304]}}),
    );
    let titles: Vec<&str> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"将总计改为 1"), "{titles:?}");

    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 408, "character": 1}, "end": {"line": 408, "character": 2}}, "text": "1"}]}),
    );
    let params = loop {
        let p = server.diagnostics(uri);
        if p["version"] == 2 {
            break p;
        }
    };
    assert!(!params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "NB304" && d["range"]["start"]["line"] == 408));

    let shutdown = server.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    server.notify("exit", Value::Null);
    // The client may keep stdin open after exit: the server must go anyway.
    assert_eq!(server.wait(), 0);
    drop(server.stdin.take());
}

#[test]
fn closing_stdin_without_shutdown_exits_with_1() {
    let mut server = Server::start();
    server.request("initialize", json!({"capabilities": {}}));
    drop(server.stdin.take());
    assert_eq!(server.wait(), 1);
}
