// mimalloc: the analysis allocates many small, short-lived strings and vectors; the system
// allocator spent a fifth of the time of a `check` on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (mimalloc.h; the bindings lack it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    if std::env::args_os().nth(1).is_some_and(|a| a == "lsp") {
        // mimalloc keeps freed pages for a while and purges them on later allocations; a
        // language server idles between bursts of work and would keep them resident (a third
        // more memory with 100 open reports). Purge at once instead.
        // SAFETY: sets a global option, before any thread is started.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    std::process::exit(nianbao::cli::main());
}
