//! Language server benchmarks (not timed tests):
//!
//! 1. Keystroke latency: a `didChange` typing (or deleting) one digit in a table cell, to the
//!    matching `publishDiagnostics`, on a 15 KB report and on 1 MB documents (the report
//!    followed by a long pasted text); p50 / p99 over 1,000 edits. Measured through the
//!    protocol in process (`nianbao::lsp::serve` over an in-memory pipe): on the server's side,
//!    from its read of the `didChange` to its write of the `publishDiagnostics` (stamped by the
//!    pipes), and as the client's round trip (its JSON work included); and on the server's path
//!    alone (apply the edit to the `Document`, analyse, convert the diagnostics), with the JSON
//!    the protocol layer then makes of them.
//! 2. Resident memory of the built binary with 100 open reports, from /proc/PID/status.
//!
//! `cargo bench --bench lsp` (add `-- --quick` for 200 edits; `-- --memory` for the memory
//! alone; `-- --profile large|quiet|small [protocol]` to run one case under `perf`).

// The same allocator as the `nianbao` binary, configured as `nianbao lsp` configures it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/lsp_support/mod.rs"]
mod lsp_support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lsp_support::TestClient;
use nianbao::lsp::features::{self, View};
use nianbao::lsp::{Document, Encoding};
use nianbao::{Lang, Options};
use serde_json::{json, Value};
use tower_lsp_server::ls_types::{Position, PublishDiagnosticsParams, Range, Uri};

const DATONG: &str = include_str!("../tests/corpus/datong-eco-2023.txt");
const SEEDS: [&str; 5] = [
    include_str!("../tests/corpus/datong-eco-2023.txt"),
    include_str!("../tests/corpus/fuxin-eco-2022.txt"),
    include_str!("../tests/corpus/hengshui-eco-2023.txt"),
    include_str!("../tests/corpus/lufeng-eco-2023.txt"),
    include_str!("../tests/corpus/xinzhou-eco-2020.txt"),
];
/// The total cell of 未经复议直接起诉 in 大同: 0-based line 408, after the tab.
const CELL_LINE: u32 = 408;

/// The 大同 report padded to 15 KB with more prose in section 五.
fn report_15k() -> String {
    let five = DATONG.find("五、存在的主要问题").unwrap();
    let para = DATONG
        .lines()
        .skip(6)
        .take(6)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let mut padding = String::new();
    while DATONG.len() + padding.len() < 15 * 1024 {
        padding.push_str(&para);
    }
    // Insert after the heading line of 五, so the table cell keeps its line number.
    let at = five + DATONG[five..].find('\n').unwrap() + 1;
    format!("{}{}{}", &DATONG[..at], padding, &DATONG[at..])
}

/// The report followed by a long pasted text, to 1 MB: the paragraphs of the seeds, whose
/// counts (收到申请24件…) disagree with this report's tables — some 300 findings in all.
fn document_1m() -> String {
    pasted_1m(|_| true)
}

/// The same with only the paragraphs that give no finding in this report (most still hold
/// numbers and dates): what the keystroke costs when the pasted text gives no finding.
fn document_1m_quiet() -> String {
    let report = report_15k();
    let before = nianbao::analyze(&report).diagnostics.len();
    pasted_1m(|l| {
        nianbao::analyze(&format!("{report}{l}\n"))
            .diagnostics
            .len()
            == before
    })
}

fn pasted_1m(keep: impl Fn(&str) -> bool) -> String {
    let mut text = report_15k();
    let prose: String = SEEDS
        .iter()
        .map(|s| {
            s.lines()
                .filter(|l| l.chars().count() > 40 && keep(l))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n");
    while text.len() < 1 << 20 {
        text.push_str(&prose);
        text.push('\n');
    }
    text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

/// The i-th keystroke: type a digit after the cell's `0`, or delete it again.
fn keystroke(i: usize) -> (Range, &'static str) {
    if i % 2 == 0 {
        (
            Range::new(Position::new(CELL_LINE, 2), Position::new(CELL_LINE, 2)),
            "7",
        )
    } else {
        (
            Range::new(Position::new(CELL_LINE, 2), Position::new(CELL_LINE, 3)),
            "",
        )
    }
}

/// The server's path alone, p50 / p99 of the edit, the analysis and the conversion, with the
/// p50 of the core's analysis and of the JSON the protocol layer then makes of the
/// diagnostics (tower-lsp-server turns the params into a `serde_json::Value`, then a string).
struct Direct {
    path: (Duration, Duration),
    core: Duration,
    json: Duration,
    json_bytes: usize,
}

fn direct(text: &str, edits: usize) -> Direct {
    let uri: Uri = "file:///bench.txt".parse().unwrap();
    let mut doc = Document::new(text);
    let options = Options::default();
    let mut times = Vec::with_capacity(edits);
    let mut core = Vec::with_capacity(edits);
    let mut json = Vec::with_capacity(edits);
    let mut json_bytes = 0;
    for i in 0..edits {
        let (range, new_text) = keystroke(i);
        let start = Instant::now();
        doc.apply_change(Some(range), new_text, Encoding::Utf16);
        doc.text();
        let analysis_start = Instant::now();
        // As the server does: through the document's cache of its prose.
        let analysis = doc.analyze(&options);
        core.push(analysis_start.elapsed());
        let view = View {
            uri: &uri,
            version: i as i32,
            doc: &doc,
            analysis: &analysis,
            encoding: Encoding::Utf16,
            lang: Lang::Zh,
        };
        let diagnostics = features::diagnostics(&view);
        times.push(start.elapsed());
        assert!(!diagnostics.is_empty());
        let json_start = Instant::now();
        let params = PublishDiagnosticsParams::new(uri.clone(), diagnostics, Some(i as i32));
        let value = serde_json::to_value(&params).unwrap();
        json_bytes = serde_json::to_string(&value).unwrap().len();
        drop(value);
        json.push(json_start.elapsed());
    }
    times.sort();
    core.sort();
    json.sort();
    Direct {
        path: (percentile(&times, 0.5), percentile(&times, 0.99)),
        core: percentile(&core, 0.5),
        json: percentile(&json, 0.5),
        json_bytes,
    }
}

/// Latencies through the protocol: client to client, and on the server's side.
struct Protocol {
    round_trip: (Duration, Duration),
    server_side: (Duration, Duration),
}

/// Through the protocol, in process. The round trip runs from the client's write of the
/// `didChange` to its parse of the `publishDiagnostics`; the server side from the server's
/// read of the `didChange` to its write of the `publishDiagnostics` (stamped by the pipes).
async fn protocol(text: &str, edits: usize) -> Protocol {
    let (mut client, _) = TestClient::initialized(json!({}), Value::Null, None).await;
    let uri = "file:///bench.txt";
    client.open(uri, "plaintext", 0, text);
    client.diagnostics(uri).await;
    let mut times = Vec::with_capacity(edits);
    let mut server = Vec::with_capacity(edits);
    for i in 0..edits {
        let (range, new_text) = keystroke(i);
        let version = i as i64 + 1;
        let start = Instant::now();
        client.change(uri, version, json!([{"range": range, "text": new_text}]));
        let params = client.diagnostics(uri).await;
        times.push(start.elapsed());
        assert_eq!(params["version"], version);
        // Nothing else is sent meanwhile: the last read is the `didChange`'s, the last write
        // the `publishDiagnostics`'.
        let (read, wrote) = (client.server_read_at(), client.server_wrote_at());
        let (read, wrote) = (read.unwrap(), wrote.unwrap());
        assert!(read >= start && wrote >= read);
        server.push(wrote - read);
    }
    client.shutdown().await;
    times.sort();
    server.sort();
    Protocol {
        round_trip: (percentile(&times, 0.5), percentile(&times, 0.99)),
        server_side: (percentile(&server, 0.5), percentile(&server, 0.99)),
    }
}

fn frame(message: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(message).unwrap();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

fn read_message(reader: &mut impl BufRead) -> Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn rss_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Resident memory of the binary: with no document, then with `docs` open reports (diagnostics
/// published, every analysis cached) just after the work and idle.
fn memory(docs: usize) -> Memory {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("lsp")
        .env("NIANBAO_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nianbao lsp");
    let pid = child.id();
    // Written from a thread of its own: the server answers while the opens are still being
    // written, and a client that does not read meanwhile would block it (and then itself).
    let mut stdin = child.stdin.take().unwrap();
    let (to_server, outgoing) = std::sync::mpsc::channel::<Vec<u8>>();
    let writer = std::thread::spawn(move || {
        for bytes in outgoing {
            if stdin.write_all(&bytes).is_err() {
                break;
            }
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    to_server.send(frame(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))).unwrap();
    read_message(&mut stdout);
    to_server
        .send(frame(
            &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        ))
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let idle = rss_kb(pid, "VmRSS:");
    let padded = report_15k();
    let mut bytes = 0;
    for i in 0..docs {
        let text = if i % 2 == 0 {
            padded.as_str()
        } else {
            SEEDS[i % SEEDS.len()]
        };
        bytes += text.len();
        let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": format!("file:///reports/{i}.txt"), "languageId": "plaintext", "version": 1, "text": text}}});
        to_server.send(frame(&open)).unwrap();
    }
    let mut published = std::collections::HashSet::new();
    while published.len() < docs {
        let m = read_message(&mut stdout);
        if m["method"] == "textDocument/publishDiagnostics" {
            published.insert(m["params"]["uri"].as_str().unwrap().to_string());
        }
    }
    // Hover everywhere once, so every analysis is cached too.
    for i in 0..docs {
        let hover = json!({"jsonrpc": "2.0", "id": 100 + i, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": format!("file:///reports/{i}.txt")}, "position": {"line": 0, "character": 0}}});
        to_server.send(frame(&hover)).unwrap();
    }
    let mut answered = 0;
    while answered < docs {
        if read_message(&mut stdout).get("id").is_some() {
            answered += 1;
        }
    }
    let busy = rss_kb(pid, "VmRSS:");
    // Then idle: the server gives back the memory its allocator kept for reuse once a second
    // passes without work (src/main.rs).
    std::thread::sleep(Duration::from_millis(1500));
    let rss = rss_kb(pid, "VmRSS:");
    let hwm = rss_kb(pid, "VmHWM:");
    to_server
        .send(frame(
            &json!({"jsonrpc": "2.0", "id": 9999, "method": "shutdown"}),
        ))
        .unwrap();
    to_server
        .send(frame(&json!({"jsonrpc": "2.0", "method": "exit"})))
        .unwrap();
    drop(to_server);
    // Read what the server still says, to the end: it exits once it has written it.
    let _ = std::io::copy(&mut stdout, &mut std::io::sink());
    let _ = writer.join();
    let _ = child.wait();
    Memory {
        empty: idle,
        busy,
        idle: rss,
        peak: hwm,
        text: bytes,
    }
}

/// Resident memory of the server, in KB (text in bytes).
struct Memory {
    /// Initialised, no document open.
    empty: u64,
    /// With the documents open, just after the last answer.
    busy: u64,
    /// The same a moment later, idle.
    idle: u64,
    peak: u64,
    text: usize,
}

fn main() {
    // As `nianbao lsp` does (src/main.rs).
    nianbao::lsp::set_idle_hook(|| unsafe { libmimalloc_sys::mi_collect(true) });
    let quick = std::env::args().any(|a| a == "--quick");
    let edits = if quick { 200 } else { 1000 };
    let small = report_15k();
    let large = document_1m();
    let quiet = document_1m_quiet();
    assert!(nianbao::analyze(&small).is_report);
    // `--memory`: only the memory measurement.
    if std::env::args().any(|a| a == "--memory") {
        let m = memory(100);
        println!(
            "no document {} KB; 100 reports: busy {} KB, idle {} KB, peak {} KB",
            m.empty, m.busy, m.idle, m.peak
        );
        return;
    }
    // `--profile large|quiet|small [protocol]`: only the server path (or the protocol) on that
    // document, for `perf record`.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--profile") {
        let text = match args.get(i + 1).map(String::as_str) {
            Some("quiet") => &quiet,
            Some("small") => &small,
            _ => &large,
        };
        if args.iter().any(|a| a == "protocol") {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            let p = runtime.block_on(protocol(text, 5 * edits));
            println!(
                "server side p50 {} p99 {}",
                us(p.server_side.0),
                us(p.server_side.1)
            );
        } else {
            let d = direct(text, 5 * edits);
            println!(
                "server path p50 {} p99 {} core {} json {}",
                us(d.path.0),
                us(d.path.1),
                us(d.core),
                us(d.json)
            );
        }
        return;
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    // Warm up.
    direct(&small, 50);
    runtime.block_on(protocol(&small, 50));

    let d_small = direct(&small, edits);
    let d_large = direct(&large, edits);
    let d_quiet = direct(&quiet, edits);
    let p_small = runtime.block_on(protocol(&small, edits));
    let p_large = runtime.block_on(protocol(&large, edits));
    let p_quiet = runtime.block_on(protocol(&quiet, edits));
    // The protocol's own cost: the same keystrokes in a short text that is no report (its
    // analysis stops at "not a report").
    let lines = (0..420)
        .map(|i| {
            if i == CELL_LINE {
                "\t0".to_string()
            } else {
                format!("第{i}行")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let p_plain = runtime.block_on(protocol(&lines, edits));
    let memory = memory(100);

    println!("## Language server\n");
    println!(
        "`cargo bench --bench lsp` ({edits} keystrokes each; release build; 2-core machine).\n"
    );
    println!("Keystroke latency: a `didChange` typing or deleting one digit in a table 四 cell, to the matching `publishDiagnostics`.\n");
    println!("| document | server side, p50 / p99 | round trip, p50 / p99 | server path, p50 / p99 | core's analysis, p50 | JSON of the diagnostics, p50 |");
    println!("|---|---:|---:|---:|---:|---:|");
    let row = |name: String, p: &Protocol, d: Option<&Direct>| {
        let pair = |(a, b): (Duration, Duration)| format!("{} / {}", us(a), us(b));
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            pair(p.server_side),
            pair(p.round_trip),
            d.map_or(String::new(), |d| pair(d.path)),
            d.map_or(String::new(), |d| us(d.core)),
            d.map_or(String::new(), |d| format!(
                "{} ({} KB)",
                us(d.json),
                d.json_bytes / 1024
            )),
        );
    };
    row(
        format!("report, {} KB", small.len() / 1024),
        &p_small,
        Some(&d_small),
    );
    row(
        format!("report + pasted text, {} KB", large.len() / 1024),
        &p_large,
        Some(&d_large),
    );
    row(
        format!(
            "report + pasted text giving no finding, {} KB",
            quiet.len() / 1024
        ),
        &p_quiet,
        Some(&d_quiet),
    );
    row(
        format!("not a report, {} KB", lines.len() / 1024),
        &p_plain,
        None,
    );
    println!();
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "1 MB / 15 KB keystroke (p50): {:.1}× on the server side, {:.1}× round trip, {:.1}× on the \
         server path ({} diagnostics published per keystroke); with pasted text that gives no \
         finding {:.1}×, {:.1}× and {:.1}×.\n",
        ratio(p_large.server_side.0, p_small.server_side.0),
        ratio(p_large.round_trip.0, p_small.round_trip.0),
        ratio(d_large.path.0, d_small.path.0),
        nianbao::analyze(&large).diagnostics.len(),
        ratio(p_quiet.server_side.0, p_small.server_side.0),
        ratio(p_quiet.round_trip.0, p_small.round_trip.0),
        ratio(d_quiet.path.0, d_small.path.0),
    );
    let mb = |kb: u64| kb as f64 / 1024.0;
    println!(
        "Resident memory of `nianbao lsp` (VmRSS): {:.1} MB with no document; with 100 open \
         reports ({:.1} MB of text) {:.1} MB just after the last answer, **{:.1} MB idle** a \
         moment later; peak {:.1} MB.",
        mb(memory.empty),
        memory.text as f64 / (1024.0 * 1024.0),
        mb(memory.busy),
        mb(memory.idle),
        mb(memory.peak),
    );
}
