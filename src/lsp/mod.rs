//! The language server (`nianbao lsp`): a thin adapter over the core.
