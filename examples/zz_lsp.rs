use nianbao::lsp::features::{self, View};
use nianbao::lsp::{Document, Encoding};
use tower_lsp_server::ls_types::{Position, Range, Uri};
fn main() {
    let seeds: Vec<String> = [
        "datong-eco-2023",
        "fuxin-eco-2022",
        "hengshui-eco-2023",
        "lufeng-eco-2023",
        "xinzhou-eco-2020",
    ]
    .iter()
    .map(|n| std::fs::read_to_string(format!("tests/corpus/{n}.txt")).unwrap())
    .collect();
    let quiet = std::env::args().nth(1).is_some();
    let prose: String = seeds
        .iter()
        .map(|s| {
            s.lines()
                .filter(|l| {
                    l.chars().count() > 40
                        && (!quiet
                            || !l.chars().any(|c| {
                                c.is_ascii_digit() || "零〇一二两三四五六七八九十".contains(c)
                            }))
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut text = seeds[0].clone();
    while text.len() < 1 << 20 {
        text.push_str(&prose);
        text.push('\n');
    }
    let uri: Uri = "file:///bench.txt".parse().unwrap();
    let mut doc = Document::new(&text);
    let options = nianbao::Options::default();
    let n = 300;
    let (mut tt, mut ta, mut tc) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (range, new_text) = if i % 2 == 0 {
            (
                Range::new(Position::new(408, 2), Position::new(408, 2)),
                "7",
            )
        } else {
            (Range::new(Position::new(408, 2), Position::new(408, 3)), "")
        };
        let t = std::time::Instant::now();
        doc.apply_change(Some(range), new_text, Encoding::Utf16);
        doc.text();
        tt += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let analysis = doc.analyze(&options);
        ta += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let view = View {
            uri: &uri,
            version: i,
            doc: &doc,
            analysis: &analysis,
            encoding: Encoding::Utf16,
            lang: nianbao::Lang::Zh,
        };
        std::hint::black_box(features::diagnostics(&view));
        tc += t.elapsed().as_secs_f64();
    }
    let f = 1e6 / n as f64;
    println!(
        "edit+text {:.0} µs, analyze {:.0} µs, convert {:.0} µs",
        tt * f,
        ta * f,
        tc * f
    );
}
