fn main() {
    let text = (0..420).map(|i| if i == 408 { "\t0".to_string() } else { format!("第{i}行") }).collect::<Vec<_>>().join("\n");
    let lines = nianbao::syntax::lex_text(&text);
    let opts = nianbao::Options::default();
    for _ in 0..300 { std::hint::black_box(nianbao::analyze_lexed(&text, &lines, &opts)); }
}
