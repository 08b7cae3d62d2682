//! Prints what nianbao finds in a file: `cargo run --example dump -- FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let a = nianbao::analyze(&text);
    let idx = nianbao::text::LineIndex::new(&text);
    println!(
        "is_report={} year={:?} format={:?} tables={:?} layout={:?}",
        a.is_report, a.year, a.format, a.tables, a.layout
    );
    for d in &a.diagnostics {
        let p = idx.position(&text, d.span.start, nianbao::text::ColumnUnit::Char);
        println!(
            "{}:{} {} {} {}{}",
            p.line + 1,
            p.col + 1,
            d.rule.code,
            d.severity.as_str(),
            d.message.zh,
            if d.fix.is_some() { " [fix]" } else { "" }
        );
    }
}
