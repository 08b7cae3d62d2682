//! The `nianbao` command line: a thin adapter over the core.

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    0
}
