//! The language server (`nianbao lsp`): a thin adapter over the core.

/// Placeholder until the language server lands: the CLI's `nianbao lsp` calls this.
pub fn run() -> i32 {
    eprintln!("nianbao lsp: not built yet");
    2
}
