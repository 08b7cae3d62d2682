//! The analysis entry point on arbitrary text: it must never panic or hang, every span must lie
//! on character boundaries inside the text, and every fix must apply.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let options = nianbao::Options { force: true, ..Default::default() };
    let a = nianbao::analyze_with(&text, &options);
    for d in &a.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len());
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        for r in &d.related {
            assert!(r.span.end <= text.len() && text.is_char_boundary(r.span.start) && text.is_char_boundary(r.span.end));
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(e.span.end <= text.len() && text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            }
            let fixed = nianbao::apply_edits(&text, &fix.edits);
            let _ = nianbao::analyze_with(&fixed, &options);
        }
    }
    // Incremental lexing agrees with whole-text lexing.
    let lines = nianbao::syntax::lex_text(&text);
    let again = nianbao::analyze_lexed(&text, &lines, &options);
    assert_eq!(again.diagnostics.len(), a.diagnostics.len());
    // The language server's path: the prose read through the runs cached from an earlier
    // text (here the text's first half) gives the same findings.
    let mut half = text.len() / 2;
    while !text.is_char_boundary(half) {
        half -= 1;
    }
    let mut cache = nianbao::rules::consistency::ProseCache::default();
    let first = &text[..half];
    let _ = nianbao::analyze_cached(first, &nianbao::syntax::lex_text(first), &options, Some(&mut cache));
    let cached = nianbao::analyze_cached(&text, &lines, &options, Some(&mut cache));
    let key = |a: &nianbao::Analysis| -> Vec<(&'static str, usize, usize)> {
        a.diagnostics.iter().map(|d| (d.rule.code, d.span.start, d.span.end)).collect()
    };
    assert_eq!(key(&cached), key(&a));
});
