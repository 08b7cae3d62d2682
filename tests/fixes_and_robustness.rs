//! Every fix nianbao offers, applied to real reports: the finding it fixes goes away, no new
//! error appears, and nothing outside the edit changes. And the analysis survives what users
//! paste: huge texts, empty texts, only tables, half-typed rows, CRLF, astral characters.

use nianbao::{analyze, apply_edits, Severity};
use std::path::Path;

fn corpus(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus")
            .join(name),
    )
    .unwrap()
}

const SEEDS: [&str; 6] = [
    "datong-eco-2023.txt",
    "fuxin-eco-2022.txt",
    "lufeng-eco-2023.txt",
    "xinzhou-eco-2020.txt",
    "hengshui-eco-2023.txt",
    "datong-eco-2023-flat.txt",
];

fn errors(text: &str) -> usize {
    analyze(text)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

#[test]
fn every_fix_on_the_seeds_removes_its_finding_and_adds_no_error() {
    let mut applied = 0;
    for name in SEEDS {
        let text = corpus(name);
        let before = analyze(&text);
        for d in &before.diagnostics {
            let Some(fix) = &d.fix else { continue };
            let fixed = apply_edits(&text, &fix.edits);
            // Only the edited ranges changed.
            let mut edits = fix.edits.clone();
            edits.sort_by_key(|e| e.span.start);
            let first = edits[0].span.start;
            let last = edits.last().unwrap().span.end;
            assert_eq!(&fixed[..first], &text[..first], "{name}: {}", d.message.zh);
            let tail = text.len() - last;
            assert_eq!(
                &fixed[fixed.len() - tail..],
                &text[last..],
                "{name}: {}",
                d.message.zh
            );
            let after = analyze(&fixed);
            let count = |a: &nianbao::Analysis| {
                a.diagnostics
                    .iter()
                    .filter(|x| x.rule.code == d.rule.code)
                    .count()
            };
            assert!(
                count(&after) < count(&before),
                "{name}: fix “{}” left {} in place",
                fix.title.zh,
                d.rule.code
            );
            let new_errors = after
                .diagnostics
                .iter()
                .filter(|x| x.severity == Severity::Error)
                .count();
            let old_errors = before
                .diagnostics
                .iter()
                .filter(|x| x.severity == Severity::Error)
                .count();
            assert!(
                new_errors <= old_errors,
                "{name}: fix “{}” added errors: {:?}",
                fix.title.zh,
                after
                    .diagnostics
                    .iter()
                    .map(|x| &x.message.zh)
                    .collect::<Vec<_>>()
            );
            applied += 1;
        }
    }
    assert!(applied >= 15, "only {applied} fixes exercised");
}

#[test]
fn fix_all_safe_fixes_is_idempotent_and_clears_them() {
    for name in SEEDS {
        let text = corpus(name);
        let a = analyze(&text);
        let mut edits: Vec<nianbao::Edit> = Vec::new();
        for d in &a.diagnostics {
            if let Some(f) = d.fix.as_ref().filter(|f| f.safe) {
                edits.extend(f.edits.iter().cloned());
            }
        }
        let fixed = apply_edits(&text, &edits);
        let again = analyze(&fixed);
        assert!(
            !again
                .diagnostics
                .iter()
                .any(|d| d.fix.as_ref().is_some_and(|f| f.safe) && d.rule.code != "NB206"),
            "{name}: safe fixes remain"
        );
        assert!(errors(&fixed) <= errors(&text), "{name}");
    }
}

#[test]
fn inserting_the_missing_sections_of_lufeng_and_xinzhou() {
    for name in ["lufeng-eco-2023.txt", "xinzhou-eco-2020.txt"] {
        let text = corpus(name);
        let a = analyze(&text);
        let fix = nianbao::fix::insert_missing_sections(&text, &a).expect("sections are missing");
        let fixed = apply_edits(&text, &fix.edits);
        let b = analyze(&fixed);
        assert!(
            !b.diagnostics.iter().any(|d| d.rule.code == "NB101"),
            "{name}"
        );
        assert!(
            !b.diagnostics.iter().any(|d| d.rule.code == "NB102"),
            "{name}: inserted out of order"
        );
    }
}

#[test]
fn huge_empty_and_odd_inputs() {
    // A report followed by 10 MB of pasted prose.
    let mut big = corpus("datong-eco-2023.txt");
    let para = "下一阶段，我局将进一步深入贯彻落实《条例》精神，强化责任落实，加大力度推进本单位政府信息公开工作。\n";
    while big.len() < 10 << 20 {
        big.push_str(para);
    }
    let a = analyze(&big);
    assert!(a.is_report);
    assert_eq!(
        a.diagnostics
            .iter()
            .filter(|d| d.rule.code == "NB304")
            .count(),
        2
    );
    // 10 MB of prose that is no report: nothing at all.
    let prose = para.repeat((10 << 20) / para.len());
    let p = analyze(&prose);
    assert!(!p.is_report && p.diagnostics.is_empty());
    // Empty and whitespace-only texts.
    for t in ["", "\n", "\r\n\r\n", "   \t  ", "\u{feff}"] {
        let a = analyze(t);
        assert!(!a.is_report && a.diagnostics.is_empty());
    }
    // A file of only tables is still a report (the 勾稽 note and table 三's rows).
    let datong = corpus("datong-eco-2023.txt");
    let tables =
        &datong[datong.find("\t（本列数据").unwrap()..datong.find("五、存在的主要问题").unwrap()];
    let a = analyze(tables);
    assert!(a.is_report, "only tables");
    assert!(a.diagnostics.iter().any(|d| d.rule.code == "NB304"));
}

#[test]
fn half_typed_rows_and_astral_characters_never_panic() {
    let text = corpus("lufeng-eco-2023.txt");
    // Cut the text at every line end of table 三 and after every character of one row.
    let start = text.find("三、收到和处理").unwrap();
    let end = text.find("四、政府信息公开行政复议").unwrap();
    for (i, _) in text[start..end].char_indices().step_by(7) {
        let cut = &text[..start + i];
        let _ = analyze(cut);
        let with_astral = format!("{cut}𠀀😀|\t|{}", &text[start + i..]);
        let a = analyze(&with_astral);
        for d in &a.diagnostics {
            assert!(
                with_astral.is_char_boundary(d.span.start)
                    && with_astral.is_char_boundary(d.span.end)
            );
        }
    }
}

#[test]
fn fix_text_is_idempotent_on_every_seed_safe_and_unsafe() {
    let options = nianbao::Options::default();
    for name in SEEDS {
        let text = corpus(name);
        for unsafe_too in [false, true] {
            let (once, _) = nianbao::fix::fix_text(&text, &options, unsafe_too);
            let (twice, edits) = nianbao::fix::fix_text(&once, &options, unsafe_too);
            assert_eq!(edits, 0, "{name} unsafe={unsafe_too}");
            assert_eq!(once, twice, "{name} unsafe={unsafe_too}");
            assert!(
                errors(&once) <= errors(&text),
                "{name} unsafe={unsafe_too}: fixing added errors"
            );
        }
    }
}
