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

/// The non-blank lines of `text`, trimmed.
fn content_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn lufeng_gets_only_the_overview_heading_above_its_overview() {
    // 禄丰 has no “一、总体情况” heading, but its content — (一)政府信息公开 … (四)组织保障 —
    // stands right after the preamble: the safe fix adds the heading and no placeholder outline.
    let text = corpus("lufeng-eco-2023.txt");
    assert!(!text.contains("待填写"));
    let a = analyze(&text);
    let nb101: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "NB101")
        .collect();
    assert_eq!(nb101.len(), 1, "only 一 is missing");
    let fix = nb101[0].fix.as_ref().expect("NB101 has a fix");
    assert!(fix.safe);
    assert_eq!(fix.edits.len(), 1);
    // The heading line alone: 禄丰 sets off no heading with blank lines.
    assert_eq!(fix.edits[0].new_text, "一、总体情况\n");
    // Above the report's own （一） part.
    let at = fix.edits[0].span.start;
    assert!(
        text[at..].starts_with("(一)政府信息公开"),
        "{}",
        &text[at..at + 40]
    );

    // `nianbao fix` (safe fixes, to the end): the text gains exactly the heading line. The only
    // other change is NB104's official wording for 五's heading, a line rewritten in place.
    let (fixed, _) = nianbao::fix::fix_text(&text, &nianbao::Options::default(), false);
    assert!(!fixed.contains("待填写"), "placeholder added:\n{fixed}");
    assert!(!fixed.contains("（一）主动公开"), "outline added:\n{fixed}");
    let after = analyze(&fixed);
    assert!(!after.diagnostics.iter().any(|d| d.rule.code == "NB101"));
    assert!(!after.diagnostics.iter().any(|d| d.rule.code == "NB102"));
    assert_eq!(fixed.lines().count(), text.lines().count() + 1);
    let before_lines = content_lines(&text);
    let mut after_lines = content_lines(&fixed);
    let heading = after_lines
        .iter()
        .position(|l| *l == "一、总体情况")
        .expect("the heading was inserted");
    assert_eq!(after_lines[heading + 1], "(一)政府信息公开");
    after_lines.remove(heading);
    assert_eq!(after_lines.len(), before_lines.len());
    let changed: Vec<_> = before_lines
        .iter()
        .zip(&after_lines)
        .filter(|(b, a)| b != a)
        .collect();
    assert_eq!(
        changed,
        [(
            &"五、存在的主要问题及改进措施",
            &"五、存在的主要问题及改进情况"
        )],
        "only the heading is added"
    );
    // The inserted section has its content, so no NB105 for it.
    assert!(!after.diagnostics.iter().any(|d| d.rule.code == "NB105"));
}

#[test]
fn a_really_missing_overview_still_gets_its_outline() {
    // 禄丰 without its overview's content: nothing between the preamble and 二.
    let lufeng = corpus("lufeng-eco-2023.txt");
    let start = lufeng.find("(一)政府信息公开").unwrap();
    let end = lufeng.find("二、主动公开政府信息情况").unwrap();
    let text = format!("{}{}", &lufeng[..start], &lufeng[end..]);
    let a = analyze(&text);
    let fix = a
        .diagnostics
        .iter()
        .find(|d| d.rule.code == "NB101")
        .and_then(|d| d.fix.as_ref())
        .expect("一 is missing, with a fix");
    assert!(fix.safe);
    let inserted = &fix.edits[0].new_text;
    assert!(inserted.contains("一、总体情况"), "{inserted}");
    for part in [
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
    ] {
        assert!(inserted.contains(part), "{part} in {inserted}");
    }
    // Inserted before 二, below the preamble.
    assert_eq!(fix.edits[0].span.start, start);
    let (fixed, _) = nianbao::fix::fix_text(&text, &nianbao::Options::default(), false);
    assert!(
        fixed.contains("一、总体情况\n\n（一）主动公开\n\n（待填写）\n"),
        "{fixed}"
    );
    let after = analyze(&fixed);
    assert!(!after.diagnostics.iter().any(|d| d.rule.code == "NB101"));
    assert!(!after.diagnostics.iter().any(|d| d.rule.code == "NB102"));
}

#[test]
fn an_overview_without_its_heading_in_markdown_gets_the_heading_alone() {
    // A Markdown report whose “## 一、总体情况” line was lost: its five parts are still there.
    let report = nianbao::fix::new_report(2023, "某局");
    let text = report.replace("## 一、总体情况\n\n", "");
    assert_ne!(text, report);
    let placeholders = text.matches("待填写").count();
    let (fixed, _) = nianbao::fix::fix_text(&text, &nianbao::Options::default(), false);
    assert_eq!(
        fixed, report,
        "the heading, set off by blank lines as the others are"
    );
    assert_eq!(fixed.matches("待填写").count(), placeholders);
    // The same with CRLF line ends.
    let crlf = text.replace('\n', "\r\n");
    let (fixed, _) = nianbao::fix::fix_text(&crlf, &nianbao::Options::default(), false);
    assert_eq!(fixed, report.replace('\n', "\r\n"));
}

#[test]
fn a_table_whose_heading_is_missing_gets_the_heading_above_it_and_no_second_table() {
    // 禄丰 with its “二、主动公开政府信息情况” line deleted: table 二 is still there (it now falls
    // in the part before 三). The safe fix puts the heading right above it and inserts no
    // all-zero table beside the real one; the same for tables 三 and 四 in 大同.
    for (seed, heading, marker) in [
        (
            "lufeng-eco-2023.txt",
            "二、主动公开政府信息情况",
            "第二十条第",
        ),
        (
            "datong-eco-2023.txt",
            "三、收到和处理政府信息公开申请情况",
            "申请人情况",
        ),
        (
            "datong-eco-2023.txt",
            "四、政府信息公开行政复议、行政诉讼情况",
            "尚未审结",
        ),
    ] {
        let original = corpus(seed);
        let line = original
            .lines()
            .find(|l| l.trim_start_matches(['#', ' ']).starts_with(heading))
            .unwrap_or_else(|| panic!("{seed} has {heading}"));
        let text = original.replacen(&format!("{line}\n"), "", 1);
        assert!(!text.contains(heading));
        let (fixed, _) = nianbao::fix::fix_text(&text, &nianbao::Options::default(), false);
        assert_eq!(
            fixed.matches(marker).count(),
            text.matches(marker).count(),
            "{seed}: a second table was inserted for {heading}"
        );
        assert!(
            !fixed.contains("待填写"),
            "{seed}: placeholder for {heading}"
        );
        let at = fixed.find(heading).expect("the heading was inserted");
        let table = fixed[at..]
            .find(marker)
            .expect("the table follows its heading");
        // Nothing but the table's own header cells between the heading and its marker: no
        // sentence, no other table's rows.
        let between = &fixed[at + heading.len()..at + table];
        assert!(
            !between.contains('。') && between.len() < 600 && !between.contains("结转下年度"),
            "{seed}: {heading} is not above its table:\n{}",
            &fixed[at..at + table]
        );
        let after = analyze(&fixed);
        assert!(
            !after.diagnostics.iter().any(|d| d.rule.code == "NB101"),
            "{seed}: {:?}",
            after
                .diagnostics
                .iter()
                .map(|d| d.rule.code)
                .collect::<Vec<_>>()
        );
        assert!(
            !after.diagnostics.iter().any(|d| d.rule.code == "NB201"),
            "{seed}: the table is read as {heading}'s"
        );
        assert!(errors(&fixed) <= errors(&original), "{seed}: new errors");
    }
}
