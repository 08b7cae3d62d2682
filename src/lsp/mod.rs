//! The language server (`nianbao lsp`): a thin adapter over the core.
//!
//! [`document`] keeps each open text as a rope with its lexed lines, re-lexing only what an
//! edit touched; [`features`] turns an [`crate::Analysis`] into diagnostics, code actions,
//! hover, inlay hints, symbols, folding ranges and completions; [`server`] speaks the
//! protocol (tower-lsp-server) and decides when to analyse and publish. Positions are
//! converted at that boundary only: the core speaks byte offsets.
//!
//! Stdout carries JSON-RPC and nothing else; logs go to stderr (`NIANBAO_LOG=debug` for more).
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod document;
pub mod features;
pub mod project;
pub mod server;
pub mod settings;
pub mod transport;

use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{ClientSocket, LspService, Server};

pub use document::{Document, Encoding};
pub use server::{Backend, StatusParams, NEW_REPORT_COMMAND};
pub use settings::{LintOn, Settings};

/// The server as a service, with the socket its client-bound messages come out of.
pub fn service() -> (LspService<Backend>, ClientSocket) {
    LspService::build(Backend::new)
        .custom_method("nianbao/status", Backend::status)
        .finish()
}

/// Serve the protocol on `input` and `output` until the client sends `exit` or closes the
/// input. Malformed messages are logged and skipped ([`transport`]). Returns whether the client asked for a shutdown first (a clean exit).
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (service, socket) = service();
    let shut_down = service.inner().shutdown_flag();
    let idle = IDLE_HOOK
        .get()
        .map(|&hook| tokio::spawn(when_idle(service.inner().activity(), hook)));
    Server::new(transport::WellFormed::new(input), output, socket)
        .serve(service)
        .await;
    if let Some(idle) = idle {
        idle.abort();
    }
    shut_down.load(Ordering::SeqCst)
}

/// How long the server waits after its last publication before it counts as idle.
const IDLE_AFTER: Duration = Duration::from_secs(1);

static IDLE_HOOK: OnceLock<fn()> = OnceLock::new();

/// Have every server of this process call `hook` once it goes idle after some work: when
/// [`IDLE_AFTER`] passes without a publication. The binary gives back the memory its allocator
/// keeps for reuse there: kept while the user types (each keystroke reuses it instead of
/// faulting fresh pages in), returned when they stop. The first call wins.
pub fn set_idle_hook(hook: fn()) {
    let _ = IDLE_HOOK.set(hook);
}

async fn when_idle(activity: Arc<tokio::sync::Notify>, hook: fn()) {
    loop {
        activity.notified().await;
        while tokio::time::timeout(IDLE_AFTER, activity.notified())
            .await
            .is_ok()
        {}
        hook();
    }
}

/// `nianbao lsp`: serve on stdin and stdout. Returns the process exit code: 0 after
/// `shutdown` and `exit`, 1 when the client left without a shutdown, 2 when the runtime could
/// not start.
pub fn run() -> i32 {
    init_logging();
    // One worker whatever the machine (stdin and stdout have threads of their own): a keystroke
    // analyses one document, and every thread that analyses keeps its own pattern caches and
    // its own allocator heap, which the idle hook empties only on the thread it runs on. With
    // two workers 100 open reports held 49 MB when idle, with one 43 MB, at the same latency.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            tracing::error!("cannot start the async runtime: {err}");
            return 2;
        }
    };
    let clean = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Stdin is read on a blocking thread that may still wait for input the client never
    // sends: do not wait for it.
    runtime.shutdown_background();
    tracing::info!(
        "exit ({})",
        if clean {
            "after shutdown"
        } else {
            "without shutdown"
        }
    );
    if clean {
        0
    } else {
        1
    }
}

/// Log to stderr, filtered by `NIANBAO_LOG` (or `RUST_LOG`), `info` by default.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("NIANBAO_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
