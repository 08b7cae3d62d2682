//! Inline suppressions: every form, NB901 for the unused ones, and comment lines staying
//! invisible to table reading in every layout.

use nianbao::fix::section_skeleton;
use nianbao::rules::suppression::disable_next_line;
use nianbao::syntax::TableLayout;
use nianbao::{analyze, apply_edits, FormatVersion};

fn report(layout: TableLayout) -> String {
    let mut t = "某市生态环境局2023年政府信息公开工作年度报告\n\n本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n\n".to_string();
    for n in 1..=6 {
        t.push_str(&section_skeleton(n, FormatVersion::V2021, layout));
        t.push('\n');
    }
    t.push_str("某市生态环境局\n2024年1月20日\n");
    t
}

fn codes(text: &str) -> Vec<&'static str> {
    analyze(text)
        .diagnostics
        .iter()
        .map(|d| d.rule.code)
        .collect()
}

/// Findings without positions: what the reading of the tables gives.
fn findings(text: &str) -> Vec<(&'static str, String)> {
    analyze(text)
        .diagnostics
        .iter()
        .map(|d| (d.rule.code, d.message.zh.to_string()))
        .collect()
}

/// 部分公开 with 自然人 1 and 总计 0 (NB301), in a Markdown table.
fn with_row_total_error() -> String {
    report(TableLayout::Markdown).replacen(
        "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 0 |",
        "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 1 |",
        1,
    )
}

#[test]
fn next_line_inside_a_markdown_table() {
    let text = with_row_total_error();
    assert!(codes(&text).contains(&"NB301"));
    let suppressed = text.replace(
        "| （二）部分公开",
        "<!-- nianbao-disable-next-line NB301 -->\n| （二）部分公开",
    );
    let c = codes(&suppressed);
    assert!(!c.contains(&"NB301") && !c.contains(&"NB901"), "{c:?}");
    // Another code does not suppress it, and is reported unused.
    let other = text.replace(
        "| （二）部分公开",
        "<!-- nianbao-disable-next-line NB206 -->\n| （二）部分公开",
    );
    let c = codes(&other);
    assert!(c.contains(&"NB301") && c.contains(&"NB901"), "{c:?}");
    // Stacked comments reach the line after them.
    let stacked = text.replace(
        "| （二）部分公开",
        "<!-- nianbao-disable-next-line NB301 -->\n<!-- nianbao-disable-next-line row-total -->\n| （二）部分公开",
    );
    assert!(!codes(&stacked).contains(&"NB301"));
}

#[test]
fn disable_and_enable_ranges() {
    let text = with_row_total_error();
    let around = text
        .replace(
            "| 一、本年新收政府信息公开申请数量",
            "<!-- nianbao-disable NB301 -->\n| 一、本年新收政府信息公开申请数量",
        )
        .replace(
            "| （七）总计",
            "<!-- nianbao-enable NB301 -->\n| （七）总计",
        );
    assert!(!codes(&around).contains(&"NB301"), "{:?}", codes(&around));
    // Ended before the row: reported again, and the range is unused.
    let before = text
        .replace(
            "| 一、本年新收政府信息公开申请数量",
            "<!-- nianbao-disable NB301 -->\n| 一、本年新收政府信息公开申请数量",
        )
        .replace(
            "| 二、上年结转政府信息公开申请数量",
            "<!-- nianbao-enable -->\n| 二、上年结转政府信息公开申请数量",
        );
    let c = codes(&before);
    assert!(c.contains(&"NB301") && c.contains(&"NB901"), "{c:?}");
    // Without codes: every rule, to the end of the file.
    let all = text.replace(
        "| 一、本年新收政府信息公开申请数量",
        "<!-- nianbao-disable -->\n| 一、本年新收政府信息公开申请数量",
    );
    assert_eq!(codes(&all), Vec::<&str>::new());
    assert!(codes(&text).contains(&"NB302"));
}

#[test]
fn disable_file() {
    let text = report(TableLayout::Markdown).replace(
        "五、存在的主要问题及改进情况",
        "五、存在的主要问题及改进措施",
    );
    assert!(codes(&text).contains(&"NB104"));
    for comment in [
        "<!-- nianbao-disable-file NB104 -->",
        "<!-- nianbao-disable-file section-title-nonstandard -- 本地惯例 -->",
        "<!-- nianbao-disable-file NB104, NB206 -->",
    ] {
        let t = format!("{comment}\n{text}");
        let c = codes(&t);
        assert!(!c.contains(&"NB104"), "{comment}: {c:?}");
        // NB206 suppresses nothing here.
        assert_eq!(
            c.contains(&"NB901"),
            comment.contains("NB206"),
            "{comment}: {c:?}"
        );
    }
    // A missing section (at the end of the text) is inside the whole file too.
    let no_six = text.split("## 六、").next().unwrap().to_string();
    assert!(codes(&no_six).contains(&"NB101"));
    let t = format!("<!-- nianbao-disable-file NB101 NB104 -->\n{no_six}");
    assert!(!codes(&t).contains(&"NB101"), "{:?}", codes(&t));
}

#[test]
fn unused_and_unknown_suppressions_are_info() {
    let text = format!(
        "<!-- nianbao-disable-file NB999 -->\n<!-- nianbao-disable-next-line -->\n{}",
        report(TableLayout::Markdown)
    );
    let a = analyze(&text);
    let nb901: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "NB901")
        .collect();
    assert_eq!(nb901.len(), 2, "{:?}", a.diagnostics);
    assert!(nb901.iter().all(|d| d.severity == nianbao::Severity::Info));
    assert!(
        nb901[0].message.zh.contains("NB999"),
        "{}",
        nb901[0].message.zh
    );
    // Its fix removes the comment.
    let fix = nb901[1].fix.as_ref().unwrap();
    let fixed = apply_edits(&text, &fix.edits);
    assert!(!fixed.contains("nianbao-disable-next-line"));
}

#[test]
fn comment_lines_are_invisible_to_table_reading_in_every_layout() {
    for layout in [
        TableLayout::Markdown,
        TableLayout::CellPerLine,
        TableLayout::Tabs,
        TableLayout::CellPipe,
    ] {
        // A table with a finding in it, so that the reading shows.
        let broken = break_review_total(&report(layout));
        let expected = findings(&broken);
        assert!(
            expected.iter().any(|f| f.0 == "NB304"),
            "{layout:?}: {expected:?}"
        );
        // A suppression of something else between two cells of table 三 and of table 四.
        let mut with_comments = broken.clone();
        for label in ["（一）予以公开", "行政诉讼"] {
            let at = with_comments.find(label).unwrap();
            let line_end = at + with_comments[at..].find('\n').unwrap() + 1;
            with_comments.insert_str(line_end, "<!-- nianbao-disable-next-line NB999 -->\n");
        }
        let got: Vec<_> = findings(&with_comments)
            .into_iter()
            .filter(|f| f.0 != "NB901")
            .collect();
        assert_eq!(got, expected, "{layout:?}\n{with_comments}");
    }
}

/// Table 四's last total made 1 while its parts are 0 (NB304).
fn break_review_total(text: &str) -> String {
    // The values row is the last row of table 四: its last `0` before 五.
    let five = text.find("五、存在的主要问题").unwrap();
    let last_zero = text[..five].rfind('0').unwrap();
    format!("{}1{}", &text[..last_zero], &text[last_zero + 1..])
}

#[test]
fn the_ignore_action_edit_silences_the_finding() {
    let text = with_row_total_error();
    let a = analyze(&text);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.rule.code == "NB301")
        .unwrap();
    let edit = disable_next_line(&text, d.span.start, d.rule.code);
    let fixed = apply_edits(&text, &[edit]);
    let c = codes(&fixed);
    assert!(!c.contains(&"NB301") && !c.contains(&"NB901"), "{c:?}");
    assert!(fixed.contains("<!-- nianbao-disable-next-line NB301 -->\n| （二）部分公开"));
}
