//! Reports per second by input format: what `nianbao check` does for each file after reading
//! its bytes — decode or convert ([`nianbao::convert::read`]) and analyse — for the seed
//! reports as plain text, as `.docx` files and as HTML pages (UTF-8, and GBK in a layout table),
//! built by the test fixtures (`tests/formats_support`).
//!
//! `cargo bench --bench formats` (add `-- --quick` for a shorter run).

#[path = "../tests/formats_support/mod.rs"]
mod formats_support;

use std::path::Path;
use std::time::Instant;

use formats_support::{docx, encode, html, parts_of, Page};
use rayon::prelude::*;

const SEEDS: [&str; 3] = [
    "datong-eco-2023.txt",
    "lufeng-eco-2023.txt",
    "xinzhou-eco-2020.txt",
];

struct Input {
    name: &'static str,
    bytes: Vec<u8>,
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rounds = if quick { 300 } else { 3000 };
    let gbk = Page {
        charset: "gbk",
        meta_charset: false,
        layout_table: true,
        filler_cells: true,
        nbsp_blanks: true,
        chrome_line: Some("时间:2021-02-05 大 中 小"),
    };
    let mut formats: Vec<(&str, Vec<Input>)> = vec![
        ("text (.txt)", Vec::new()),
        (".docx", Vec::new()),
        (".html (UTF-8)", Vec::new()),
        (".html (GBK, layout table)", Vec::new()),
    ];
    for seed in SEEDS {
        let parts = parts_of(seed);
        formats[0].1.push(Input {
            name: "r.txt",
            bytes: formats_support::seed(seed).into_bytes(),
        });
        formats[1].1.push(Input {
            name: "r.docx",
            bytes: docx(&parts),
        });
        formats[2].1.push(Input {
            name: "r.html",
            bytes: html(&parts, &Page::default()).into_bytes(),
        });
        formats[3].1.push(Input {
            name: "r.htm",
            bytes: encode(&html(&parts, &gbk), "gbk"),
        });
    }
    let options = nianbao::Options {
        diagnostics_only: true,
        ..Default::default()
    };
    let convert = |input: &Input| {
        nianbao::convert::read(input.bytes.clone(), Some(Path::new(input.name)))
            .expect("fixture reads")
    };
    let check = |input: &Input| {
        let source = convert(input);
        nianbao::analyze_with(&source.text, &options)
            .diagnostics
            .len()
    };
    let threads = rayon::current_num_threads();
    println!(
        "{rounds} rounds of {} reports per format; {threads} threads",
        SEEDS.len()
    );
    println!("| input | size per report | converted text | convert only (µs/report) | reports/s, one core | reports/s, {threads} cores |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut sink = 0usize;
    for (what, inputs) in &formats {
        let size: usize = inputs.iter().map(|i| i.bytes.len()).sum::<usize>() / inputs.len();
        let text: usize =
            inputs.iter().map(|i| convert(i).text.len()).sum::<usize>() / inputs.len();
        for input in inputs {
            sink += check(input);
        }
        let n = (rounds * inputs.len()) as f64;
        let mut convert_only = f64::MAX;
        let mut one = f64::MAX;
        let mut all = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            for _ in 0..rounds {
                for input in inputs {
                    sink += convert(input).text.len();
                }
            }
            convert_only = convert_only.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            for _ in 0..rounds {
                for input in inputs {
                    sink += check(input);
                }
            }
            one = one.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            sink += (0..rounds)
                .into_par_iter()
                .map(|_| inputs.iter().map(check).sum::<usize>())
                .sum::<usize>();
            all = all.min(t.elapsed().as_secs_f64());
        }
        println!(
            "| {what} | {:.1} KB | {:.1} KB | {:.0} | {:.0} | {:.0} |",
            size as f64 / 1024.0,
            text as f64 / 1024.0,
            convert_only * 1e6 / n,
            n / one,
            n / all
        );
    }
    println!("(checksum: {sink})");
}
