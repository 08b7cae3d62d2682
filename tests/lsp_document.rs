//! The language server's incremental path equals a fresh parse: random edit sequences (typing
//! digits into table cells, deleting rows, pasting whole tables, CR/LF/CRLF, `𠀀` and emoji)
//! are applied through `lsp::Document` as LSP content changes, and the cached lexed lines and
//! the analysis must equal `lex_text` / `analyze` of the final text, which is also built
//! independently by splicing a `String`.

use nianbao::lsp::{Document, Encoding};
use nianbao::syntax::lex_text;
use nianbao::text::{ColumnUnit, LineCol, LineIndex};
use nianbao::{analyze, analyze_lexed, Analysis, Options};
use proptest::prelude::*;
use tower_lsp_server::ls_types::{Position, Range};

const SEED: &str = include_str!("corpus/datong-eco-2023.txt");

/// The table 四 block of the seed: a whole table to paste.
fn seed_table() -> &'static str {
    let start = SEED.find("四、").unwrap_or(0);
    let end = SEED[start..].find("五、").map_or(SEED.len(), |e| start + e);
    &SEED[start..end]
}

/// The seed, lexed once (lexing is slow in debug builds).
fn seed_document() -> &'static Document {
    static DOC: std::sync::OnceLock<Document> = std::sync::OnceLock::new();
    DOC.get_or_init(|| Document::new(SEED))
}

/// Field-wise equality of two analyses (`Analysis` is not `PartialEq`).
fn same(a: &Analysis, b: &Analysis) -> bool {
    a.is_report == b.is_report
        && a.year == b.year
        && a.format == b.format
        && a.tables == b.tables
        && a.layout == b.layout
        && a.diagnostics == b.diagnostics
        && a.outline == b.outline
        && a.sums == b.sums
}

/// One edit, in terms of the text it applies to (resolved against the current text).
#[derive(Clone, Debug)]
enum Op {
    /// Type a digit at the end of a table cell (a line holding a number, or a tab cell).
    TypeDigit { pick: usize, digit: char },
    /// Delete `lines` whole lines starting at a line.
    DeleteRows { pick: usize, lines: usize },
    /// Paste the seed's table 四 at the start of a line (or over a range).
    PasteTable { pick: usize, over: usize },
    /// Insert a line ending or a tricky character anywhere.
    Insert { pick: usize, what: &'static str },
    /// Delete a short range anywhere.
    Delete { pick: usize, len: usize },
    /// Replace everything (a full-sync change).
    Reset { pick: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let inserts = prop::sample::select(vec![
        "\r\n",
        "\r",
        "\n",
        "\n\n",
        "𠀀",
        "😀",
        "\t",
        "|",
        "\t0\r\n",
        "𠀀\r",
        "一、总体情况\n",
        "x",
    ]);
    prop_oneof![
        4 => (any::<usize>(), prop::char::range('0', '9'))
            .prop_map(|(pick, digit)| Op::TypeDigit { pick, digit }),
        2 => (any::<usize>(), 1usize..8).prop_map(|(pick, lines)| Op::DeleteRows { pick, lines }),
        1 => (any::<usize>(), 0usize..40).prop_map(|(pick, over)| Op::PasteTable { pick, over }),
        4 => (any::<usize>(), inserts).prop_map(|(pick, what)| Op::Insert { pick, what }),
        3 => (any::<usize>(), 1usize..6).prop_map(|(pick, len)| Op::Delete { pick, len }),
        1 => any::<usize>().prop_map(|pick| Op::Reset { pick }),
    ]
}

/// A char boundary at or before `at` that is not between `\r` and `\n` (no LSP position
/// points there).
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

/// The byte range an op replaces and its new text.
fn resolve(text: &str, op: &Op) -> Option<(usize, usize, String)> {
    let starts = nianbao::text::line_starts(text);
    let line_at = |pick: usize| starts[pick % starts.len()];
    match *op {
        Op::TypeDigit { pick, digit } => {
            // A line whose last cell is a number: type at its end.
            let candidates: Vec<usize> = (0..starts.len())
                .filter_map(|i| {
                    let end = starts.get(i + 1).copied().unwrap_or(text.len());
                    let line = text[starts[i]..end].trim_end_matches(['\r', '\n']);
                    let last = line.rsplit('\t').next()?.trim();
                    (!last.is_empty() && last.chars().all(|c| c.is_ascii_digit()))
                        .then_some(starts[i] + line.len())
                })
                .collect();
            let at = if candidates.is_empty() {
                boundary(text, pick % (text.len() + 1))
            } else {
                candidates[pick % candidates.len()]
            };
            Some((at, at, digit.to_string()))
        }
        Op::DeleteRows { pick, lines } => {
            let first = pick % starts.len();
            let start = starts[first];
            let end = starts.get(first + lines).copied().unwrap_or(text.len());
            Some((start, end, String::new()))
        }
        Op::PasteTable { pick, over } => {
            let start = line_at(pick);
            let end = boundary(text, start + over);
            Some((start, end.max(start), seed_table().to_string()))
        }
        Op::Insert { pick, what } => {
            let at = boundary(text, pick % (text.len() + 1));
            Some((at, at, what.to_string()))
        }
        Op::Delete { pick, len } => {
            let start = boundary(text, pick % (text.len() + 1));
            let end = boundary(text, start + len).max(start);
            Some((start, end, String::new()))
        }
        Op::Reset { .. } => None,
    }
}

fn lsp_position(text: &str, offset: usize, unit: ColumnUnit) -> Position {
    let LineCol { line, col } = LineIndex::new(text).position(text, offset, unit);
    Position::new(line, col)
}

/// Apply `ops` to `initial` both ways and compare.
fn check(initial: &str, ops: &[Op], utf8: bool) -> Result<(), TestCaseError> {
    let (encoding, unit) = if utf8 {
        (Encoding::Utf8, ColumnUnit::Utf8)
    } else {
        (Encoding::Utf16, ColumnUnit::Utf16)
    };
    let mut doc = if initial == SEED {
        seed_document().clone()
    } else {
        Document::new(initial)
    };
    let mut reference = initial.to_string();
    let options = Options::default();
    // Analysed once before the edits and once half-way, as the server does: the document's
    // prose cache then holds runs of earlier texts.
    let _ = doc.analyze(&options);
    for (i, op) in ops.iter().enumerate() {
        if i == ops.len() / 2 {
            let _ = doc.analyze(&options);
        }
        match resolve(&reference, op) {
            Some((start, end, new_text)) => {
                let range = Range::new(
                    lsp_position(&reference, start, unit),
                    lsp_position(&reference, end, unit),
                );
                doc.apply_change(Some(range), &new_text, encoding);
                reference.replace_range(start..end, &new_text);
            }
            None => {
                let Op::Reset { pick } = *op else {
                    unreachable!()
                };
                let cut = boundary(SEED, pick % SEED.len());
                reference = SEED[cut..].to_string();
                doc.apply_change(None, &reference, encoding);
            }
        }
        prop_assert_eq!(
            doc.line_count(),
            nianbao::text::line_starts(&reference).len(),
            "after {:?}",
            op
        );
    }
    prop_assert_eq!(doc.text(), reference.as_str());
    let fresh_lines = lex_text(&reference);
    prop_assert_eq!(doc.lines(), fresh_lines.as_slice());
    let incremental = analyze_lexed(doc.text(), doc.lines(), &options);
    let fresh = analyze_lexed(&reference, &fresh_lines, &options);
    prop_assert!(
        same(&incremental, &fresh),
        "incremental {incremental:?}\nfresh {fresh:?}"
    );
    // Through the document's prose cache, as the server analyses.
    let cached = doc.analyze(&options);
    prop_assert!(same(&cached, &fresh), "cached {cached:?}\nfresh {fresh:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Edits to a real report: the lines and the analysis stay equal to a fresh parse.
    #[test]
    fn report_edits_match_a_fresh_parse(ops in prop::collection::vec(op(), 1..25), utf8 in any::<bool>()) {
        check(SEED, &ops, utf8)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Small texts made of nothing but line endings, separators and astral characters: the
    /// cases where a line boundary moves.
    #[test]
    fn line_ending_soup_matches_a_fresh_parse(
        initial in prop::collection::vec(prop::sample::select(vec!["\r", "\n", "\r\n", "𠀀", "😀", "a", "\t", "|", "1", " "]), 0..30),
        edits in prop::collection::vec((any::<usize>(), 0usize..4, prop::sample::select(vec!["", "\r", "\n", "\r\n", "𠀀", "b", "\t2", "😀\r"])), 1..20),
        utf8 in any::<bool>(),
    ) {
        let initial: String = initial.concat();
        let (encoding, unit) =
            if utf8 { (Encoding::Utf8, ColumnUnit::Utf8) } else { (Encoding::Utf16, ColumnUnit::Utf16) };
        let mut doc = Document::new(&initial);
        let mut reference = initial.clone();
        for (pick, len, what) in edits {
            let start = boundary(&reference, pick % (reference.len() + 1));
            let end = boundary(&reference, start + len).max(start);
            let range = Range::new(lsp_position(&reference, start, unit), lsp_position(&reference, end, unit));
            doc.apply_change(Some(range), what, encoding);
            reference.replace_range(start..end, what);
            prop_assert_eq!(doc.text(), reference.as_str());
            prop_assert_eq!(doc.lines().to_vec(), lex_text(&reference), "text {:?}", reference);
            // Positions through the document's line index, kept up to date edit by edit (the
            // first conversion builds it), equal those of a fresh document.
            let fresh = Document::new(&reference);
            let edited = [start, start + what.len(), start + what.len() + 1, reference.len()];
            for offset in nianbao::text::line_starts(&reference).into_iter().chain(edited) {
                let offset = boundary(&reference, offset.min(reference.len()));
                prop_assert_eq!(
                    doc.position_at(offset, encoding),
                    fresh.position_at(offset, encoding),
                    "offset {} of {:?}", offset, reference
                );
            }
        }
    }

    /// Offsets ⇄ positions agree with the core's line index, both encodings, and round-trip.
    #[test]
    fn positions_agree_with_the_line_index(
        parts in prop::collection::vec(prop::sample::select(vec!["\r", "\n", "\r\n", "𠀀", "😀", "表", "a", "\t", "（"]), 0..40),
        at in any::<usize>(),
    ) {
        let text: String = parts.concat();
        let doc = Document::new(&text);
        let index = LineIndex::new(&text);
        let offset = boundary(&text, at % (text.len() + 1));
        for (encoding, unit) in [(Encoding::Utf8, ColumnUnit::Utf8), (Encoding::Utf16, ColumnUnit::Utf16)] {
            let pos = doc.position_at(offset, encoding);
            let expected = index.position(&text, offset, unit);
            prop_assert_eq!((pos.line, pos.character), (expected.line, expected.col));
            prop_assert_eq!(doc.offset_at(pos, encoding), offset);
            prop_assert_eq!(doc.offset_at(pos, encoding), index.offset(&text, expected, unit));
            // A span's range: its ends' positions (the end is counted on from the start when
            // both lie in one line).
            let end = boundary(&text, (offset + at % 7).min(text.len()));
            let span = nianbao::Span::new(offset, end);
            prop_assert_eq!(
                doc.range_of(span, encoding),
                Range::new(pos, doc.position_at(end, encoding))
            );
        }
    }
}

#[test]
fn out_of_range_positions_are_clamped() {
    let mut doc = Document::new("𠀀一\r\n二");
    for pos in [
        Position::new(0, 1),
        Position::new(0, 3),
        Position::new(0, 999),
        Position::new(1, 999),
        Position::new(99, 0),
        Position::new(u32::MAX, u32::MAX),
    ] {
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let offset = doc.offset_at(pos, encoding);
            assert!(doc.text().is_char_boundary(offset));
        }
    }
    // A reversed range and a range past the end are applied without panicking.
    doc.apply_change(
        Some(Range::new(Position::new(5, 5), Position::new(0, 1))),
        "x",
        Encoding::Utf16,
    );
    assert_eq!(doc.text(), "x");
    assert_eq!(doc.lines(), lex_text("x").as_slice());
}

/// `analyze_lexed` with the lines `lex_text` gives is `analyze`: the comparison above is the
/// real one.
#[test]
fn analyze_lexed_of_fresh_lines_is_analyze() {
    let lines = lex_text(SEED);
    let a = analyze_lexed(SEED, &lines, &Options::default());
    assert!(same(&a, &analyze(SEED)));
}
