// mimalloc: the analysis allocates many small, short-lived strings and vectors; the system
// allocator spent a fifth of the time of a `check` on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if std::env::args_os().nth(1).is_some_and(|a| a == "lsp") {
        // mimalloc keeps freed memory for reuse and purges it on later allocations: a language
        // server idles between bursts of work and would keep it resident (a third more memory
        // with 100 open reports). Purging at once instead made every keystroke fault its pages
        // in again (a third of a keystroke's time in a long document). So the server keeps it
        // while the user types and purges it all once it goes idle.
        nianbao::lsp::set_idle_hook(|| {
            // SAFETY: collects the calling thread's heap and purges the freed memory of all.
            unsafe { libmimalloc_sys::mi_collect(true) }
        });
    }
    std::process::exit(nianbao::cli::main());
}
