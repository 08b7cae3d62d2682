//! Throughput of the analysis (`nianbao check` without I/O) over a corpus built by repeating
//! the seed reports to at least 50 MB: MB/s on one core and on all cores.
//!
//! `cargo bench --bench check` (add `-- --quick` for a 5 MB corpus).

use rayon::prelude::*;

// The same allocator as the `nianbao` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    // `--tiny`: 1 MB, one pass on one core: for instruction counts under `valgrind --tool=callgrind`.
    let tiny = std::env::args().any(|a| a == "--tiny");
    let target = if tiny {
        1 << 20
    } else if quick {
        5 << 20
    } else {
        50 << 20
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut seeds = Vec::new();
    for e in std::fs::read_dir(&dir).expect("tests/corpus") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "txt") {
            seeds.push(std::fs::read_to_string(&p).expect("utf-8 seed"));
        }
    }
    seeds.sort();
    let mut docs: Vec<&str> = Vec::new();
    let mut bytes = 0usize;
    while bytes < target {
        for s in &seeds {
            docs.push(s);
            bytes += s.len();
        }
    }
    let mb = bytes as f64 / (1024.0 * 1024.0);
    println!("corpus: {} reports, {:.1} MB", docs.len(), mb);

    // What `nianbao check` runs for each file.
    let options = nianbao::Options {
        diagnostics_only: true,
        ..Default::default()
    };
    let analyze = |d: &str| nianbao::analyze_with(d, &options);
    // Warm up (lazily built label tables, page faults).
    let mut sink = 0usize;
    for d in docs.iter().take(50) {
        sink += analyze(d).diagnostics.len();
    }

    if tiny {
        let t = Instant::now();
        for d in &docs {
            sink += analyze(d).diagnostics.len();
        }
        println!(
            "one pass: {:.0} MB/s ({sink} diagnostics)",
            mb / t.elapsed().as_secs_f64()
        );
        return;
    }
    let mut best_one = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        for d in &docs {
            sink += analyze(d).diagnostics.len();
        }
        best_one = best_one.min(t.elapsed().as_secs_f64());
    }
    let threads = rayon::current_num_threads();
    let mut best_all = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        sink += docs
            .par_iter()
            .map(|d| analyze(d).diagnostics.len())
            .sum::<usize>();
        best_all = best_all.min(t.elapsed().as_secs_f64());
    }
    println!(
        "one core:  {:.0} MB/s ({:.1} µs per report)",
        mb / best_one,
        best_one * 1e6 / docs.len() as f64
    );
    println!("{threads} cores: {:.0} MB/s", mb / best_all);
    println!("(diagnostics counted: {sink})");
}
