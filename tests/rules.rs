//! Snapshot tests for every rule, positive and negative, in several table layouts.
//!
//! Each case starts from a clean report written by nianbao's own skeletons in one layout
//! (Markdown pipe tables, one cell per line as Word pastes, tab-separated rows as PDF text,
//! `cell |` lines as web pages) and breaks one thing. The diagnostics of every case of a rule
//! are written to `tests/snapshots/rules/<CODE>.txt`, one line each, so that review shows what
//! users see; `UPDATE_EXPECT=1 cargo test --test rules` rewrites them.

use nianbao::fix::section_skeleton;
use nianbao::syntax::TableLayout;
use nianbao::text::{ColumnUnit, LineIndex};
use nianbao::{analyze, FormatVersion};

const LAYOUTS: [(TableLayout, &str); 4] = [
    (TableLayout::Markdown, "markdown"),
    (TableLayout::CellPerLine, "cell-per-line"),
    (TableLayout::Tabs, "tabs"),
    (TableLayout::CellPipe, "cell-pipe"),
];

struct Build {
    year: u16,
    tables: FormatVersion,
    sections: Vec<u8>,
    layout: TableLayout,
}

impl Build {
    fn new(layout: TableLayout) -> Build {
        Build {
            year: 2023,
            tables: FormatVersion::V2021,
            sections: vec![1, 2, 3, 4, 5, 6],
            layout,
        }
    }
    fn text(&self) -> String {
        let mut t = format!("某市生态环境局{}年政府信息公开工作年度报告\n\n本报告中所列数据的统计期限自{}年1月1日起至{}年12月31日止。\n\n", self.year, self.year, self.year);
        for &n in &self.sections {
            t.push_str(&section_skeleton(n, self.tables, self.layout));
            t.push('\n');
        }
        t.push_str(&format!("某市生态环境局\n{}年1月20日\n", self.year + 1));
        t
    }
}

/// Byte ranges of the value cells (`0`) after the first occurrence of `label`.
fn zeros_after(text: &str, label: &str) -> Vec<(usize, usize)> {
    let start = text
        .find(label)
        .unwrap_or_else(|| panic!("{label} not in text"))
        + label.len();
    let mut out = Vec::new();
    let mut at = start;
    for tok in text[start..].split_inclusive(['\n', '\t', '|']) {
        let body = tok.trim_end_matches(['\n', '\t', '|']);
        if body.trim() == "0" {
            let lead = body.len() - body.trim_start().len();
            out.push((at + lead, at + lead + 1));
        }
        at += tok.len();
    }
    out
}

/// Replace the `idx`-th value cell after `label` with `new`.
fn set(text: &str, label: &str, idx: usize, new: &str) -> String {
    let (s, e) = zeros_after(text, label)[idx];
    format!("{}{}{}", &text[..s], new, &text[e..])
}

/// Remove the `idx`-th value cell after `label`, with its separator.
fn remove_cell(text: &str, label: &str, idx: usize) -> String {
    let (s, e) = zeros_after(text, label)[idx];
    let e2 = if text[e..].starts_with(" |") {
        e + 2
    } else if text[e..].starts_with(['\t', '\n']) {
        e + 1
    } else {
        e
    };
    let s2 = if text[..s].ends_with(' ') && text[e..].starts_with(" |") {
        s - 1
    } else {
        s
    };
    format!("{}{}", &text[..s2], &text[e2..])
}

/// Remove the row labelled `label` (its label and its values).
fn remove_row(text: &str, label: &str, layout: TableLayout) -> String {
    let s = text.find(label).unwrap();
    let line_start = text[..s].rfind('\n').map_or(0, |i| i + 1);
    let end = match layout {
        TableLayout::CellPerLine | TableLayout::CellPipe => {
            // The label line and its seven value lines (and, cell-per-line, the blank before).
            let mut e = line_start;
            for _ in 0..8 {
                e += text[e..].find('\n').unwrap() + 1;
            }
            e
        }
        _ => line_start + text[line_start..].find('\n').unwrap() + 1,
    };
    let start = if layout == TableLayout::CellPerLine && text[..line_start].ends_with("\n\n") {
        line_start - 1
    } else {
        line_start
    };
    format!("{}{}", &text[..start], &text[end..])
}

fn render(text: &str) -> String {
    let a = analyze(text);
    let idx = LineIndex::new(text);
    let mut out = String::new();
    for d in &a.diagnostics {
        let s = idx.position(text, d.span.start, ColumnUnit::Char);
        let e = idx.position(text, d.span.end, ColumnUnit::Char);
        let fix = match &d.fix {
            Some(f) if f.safe => " [fix]",
            Some(_) => " [unsafe fix]",
            None => "",
        };
        out.push_str(&format!(
            "{}:{}-{}:{} {} {} {}{}\n",
            s.line + 1,
            s.col + 1,
            e.line + 1,
            e.col + 1,
            d.rule.code,
            d.severity.as_str(),
            d.message.zh,
            fix
        ));
    }
    out
}

/// Run a rule's cases: each positive case must report `code`, the clean report must not, and
/// the whole output is compared with the rule's snapshot.
fn rule(code: &str, cases: &[Case], layouts: &[TableLayout]) {
    let mut snapshot = String::new();
    for &(layout, layout_name) in LAYOUTS.iter().filter(|(l, _)| layouts.contains(l)) {
        let clean = Build::new(layout).text();
        let clean_out = render(&clean);
        assert!(
            !clean_out.contains(code),
            "{code} on the clean {layout_name} report:\n{clean_out}"
        );
        snapshot.push_str(&format!("== clean ({layout_name})\n{clean_out}"));
        for (name, make) in cases {
            let text = make(layout);
            let out = render(&text);
            assert!(
                out.contains(&format!(" {code} ")),
                "{code} not reported for {name} ({layout_name}):\n{out}"
            );
            snapshot.push_str(&format!("== {name} ({layout_name})\n{out}"));
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/snapshots/rules/{code}.txt"));
    expect_test::expect_file![path].assert_eq(&snapshot);
}

type Case = (&'static str, Box<dyn Fn(TableLayout) -> String>);

fn case(name: &'static str, f: impl Fn(TableLayout) -> String + 'static) -> Case {
    (name, Box::new(f))
}

const ALL: [TableLayout; 4] = [
    TableLayout::Markdown,
    TableLayout::CellPerLine,
    TableLayout::Tabs,
    TableLayout::CellPipe,
];
const TWO: [TableLayout; 2] = [TableLayout::Markdown, TableLayout::CellPerLine];

#[test]
fn nb101_section_missing() {
    rule(
        "NB101",
        &[
            case("no 六", |l| {
                Build {
                    sections: vec![1, 2, 3, 4, 5],
                    ..Build::new(l)
                }
                .text()
            }),
            case("no 三 and no 四", |l| {
                Build {
                    sections: vec![1, 2, 5, 6],
                    ..Build::new(l)
                }
                .text()
            }),
        ],
        &TWO,
    );
}

#[test]
fn nb102_section_order() {
    rule(
        "NB102",
        &[case("五 before 四", |l| {
            Build {
                sections: vec![1, 2, 3, 5, 4, 6],
                ..Build::new(l)
            }
            .text()
        })],
        &TWO,
    );
}

#[test]
fn nb103_section_duplicate() {
    rule(
        "NB103",
        &[case("五 twice", |l| {
            Build {
                sections: vec![1, 2, 3, 4, 5, 5, 6],
                ..Build::new(l)
            }
            .text()
        })],
        &TWO,
    );
}

#[test]
fn nb104_section_title_nonstandard() {
    rule(
        "NB104",
        &[case("改进措施", |l| {
            Build::new(l).text().replace(
                "五、存在的主要问题及改进情况",
                "五、存在的主要问题及改进措施",
            )
        })],
        &TWO,
    );
}

#[test]
fn nb105_section_empty() {
    rule(
        "NB105",
        &[case("六 empty", |l| {
            Build::new(l)
                .text()
                .replace("本年度未收取信息处理费，无其他需要报告的事项。\n", "")
        })],
        &TWO,
    );
}

#[test]
fn nb106_overview_part_missing() {
    rule(
        "NB106",
        &[case("no 平台建设", |l| {
            Build::new(l)
                .text()
                .replace("（四）政府信息公开平台建设\n", "")
        })],
        &TWO,
    );
}

#[test]
fn nb201_table_missing() {
    rule(
        "NB201",
        &[case("no table 四", |l| {
            let t = Build::new(l).text();
            let s = t.find("四、政府信息公开行政复议、行政诉讼情况").unwrap();
            let s = s + t[s..].find('\n').unwrap() + 1;
            let e = t.find("五、存在的主要问题").unwrap();
            let e = t[..e].rfind('\n').map_or(e, |i| i + 1);
            format!("{}\n{}", &t[..s], &t[e..])
        })],
        &ALL,
    );
}

#[test]
fn nb202_row_missing() {
    rule(
        "NB202",
        &[case("no 3.补正后…", |l| {
            remove_row(&Build::new(l).text(), "3.补正后申请内容仍不明确", l)
        })],
        &ALL,
    );
}

#[test]
fn nb203_label_nonstandard() {
    rule(
        "NB203",
        &[
            case("结果维护", |l| {
                Build::new(l).text().replacen("结果维持", "结果维护", 1)
            }),
            case("不予以处理", |l| {
                Build::new(l)
                    .text()
                    .replace("（五）不予处理", "（五）不予以处理")
            }),
            case("规范性文件 in 2021", |l| {
                Build::new(l).text().replace("行政规范性文件", "规范性文件")
            }),
        ],
        &ALL,
    );
}

#[test]
fn nb204_cell_count() {
    rule(
        "NB204",
        &[case("予以公开 lost a cell", |l| {
            remove_cell(&Build::new(l).text(), "（一）予以公开", 2)
        })],
        &[TableLayout::Markdown, TableLayout::Tabs],
    );
}

#[test]
fn nb205_cell_invalid() {
    rule(
        "NB205",
        &[
            case("text in a count", |l| {
                set(&Build::new(l).text(), "（一）予以公开", 1, "不详")
            }),
            case("fraction", |l| {
                set(&Build::new(l).text(), "行政处罚", 0, "1.5")
            }),
        ],
        &ALL,
    );
}

#[test]
fn nb206_cell_blank() {
    rule(
        "NB206",
        &[
            case("blank in 予以公开", |l| {
                set(&Build::new(l).text(), "（一）予以公开", 1, "")
            }),
            case("blank in table 四", |l| {
                set(&Build::new(l).text(), "尚未审结", 0, "")
            }),
            case("blank the sums make 1 (unsafe fix, no NB301/NB303)", |l| {
                blank_the_sums_determine(l)
            }),
            case("blank the sums disagree on (no fix)", |l| {
                // 一's total says the blank is 1, the 勾稽 says 0.
                let t = set(
                    &Build::new(l).text(),
                    "一、本年新收政府信息公开申请数量",
                    6,
                    "1",
                );
                set(&t, "一、本年新收政府信息公开申请数量", 1, "")
            }),
        ],
        &[TableLayout::Markdown, TableLayout::CellPerLine],
    );
}

/// 一's 商业企业 is blank, its total 3 and 自然人 2; （一）予以公开 and （七）总计 are 2 + 1 = 3:
/// every sum says the blank is 1.
fn blank_the_sums_determine(layout: TableLayout) -> String {
    let mut t = Build::new(layout).text();
    for label in ["（一）予以公开", "（七）总计"] {
        // Totals first: setting a cell takes it out of the list of zeros after the label.
        t = set(&t, label, 6, "3");
        t = set(&t, label, 1, "1");
        t = set(&t, label, 0, "2");
    }
    let new = "一、本年新收政府信息公开申请数量";
    t = set(&t, new, 6, "3");
    t = set(&t, new, 1, "");
    set(&t, new, 0, "2")
}

#[test]
fn a_blank_the_sums_determine_gets_that_value_as_an_unsafe_fix_and_is_one_finding() {
    for (layout, _) in LAYOUTS {
        let t = blank_the_sums_determine(layout);
        let a = analyze(&t);
        let out = render(&t);
        let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.rule.code).collect();
        assert_eq!(codes, ["NB206"], "{layout:?}\n{out}");
        let fix = a.diagnostics[0].fix.as_ref().expect("a fix");
        assert!(!fix.safe, "filling 0 would break the row total: {layout:?}");
        assert_eq!(fix.edits.len(), 1);
        assert_eq!(fix.edits[0].new_text.trim(), "1", "{layout:?}");
        let fixed = nianbao::apply_edits(&t, &fix.edits);
        assert_eq!(render(&fixed), "", "{layout:?}");
    }
    // The blank in the first column, as `nianbao new` writes the table.
    for (layout, _) in LAYOUTS.into_iter().filter(|(l, _)| *l != TableLayout::Tabs) {
        let mut t = Build::new(layout).text();
        for label in ["（一）予以公开", "（七）总计"] {
            t = set(&t, label, 6, "3");
            t = set(&t, label, 0, "2");
            t = set(&t, label, 0, "1");
        }
        let new = "一、本年新收政府信息公开申请数量";
        t = set(&t, new, 6, "3");
        t = set(&t, new, 0, "");
        let t = set(&t, new, 0, "1");
        let a = analyze(&t);
        let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.rule.code).collect();
        assert_eq!(codes, ["NB206"], "{layout:?}\n{}", render(&t));
        let fix = a.diagnostics[0].fix.as_ref().expect("a fix");
        assert!(
            !fix.safe && fix.edits[0].new_text.trim() == "2",
            "{layout:?}"
        );
    }
}

#[test]
fn a_blank_whose_sums_need_another_number_never_gets_a_safe_zero() {
    let new = "一、本年新收政府信息公开申请数量";
    for (layout, _) in LAYOUTS {
        let clean = Build::new(layout).text();
        let cases = [
            // The row says 1, the 勾稽 says 0.
            set(&set(&clean, new, 6, "1"), new, 1, ""),
            // Two blanks that must add up to 2.
            set(&set(&set(&clean, new, 6, "2"), new, 1, ""), new, 1, ""),
        ];
        for t in cases {
            let a = analyze(&t);
            for d in a.diagnostics.iter().filter(|d| d.rule.code == "NB206") {
                assert!(
                    d.fix.as_ref().is_none_or(|f| !f.safe),
                    "{layout:?}\n{}",
                    render(&t)
                );
            }
        }
    }
}

#[test]
fn nb207_format_version() {
    rule(
        "NB207",
        &[
            case("2023 report, 2019 tables", |l| {
                Build {
                    tables: FormatVersion::V2019,
                    ..Build::new(l)
                }
                .text()
            }),
            case("2020 report, 2021 tables", |l| {
                Build {
                    year: 2020,
                    ..Build::new(l)
                }
                .text()
            }),
        ],
        &ALL,
    );
}

#[test]
fn nb301_row_total() {
    rule(
        "NB301",
        &[case("部分公开 自然人 1, total 0", |l| {
            set(&Build::new(l).text(), "（二）部分公开", 0, "1")
        })],
        &ALL,
    );
}

#[test]
fn nb302_result_total() {
    rule(
        "NB302",
        &[case("（七）总计 wrong", |l| {
            let t = set(&Build::new(l).text(), "（七）总计", 6, "5");
            set(&t, "（七）总计", 0, "5")
        })],
        &ALL,
    );
}

#[test]
fn nb303_balance() {
    rule(
        "NB303",
        &[case("结转 1 with nothing received", |l| {
            let t = set(&Build::new(l).text(), "四、结转下年度继续办理", 6, "1");
            set(&t, "四、结转下年度继续办理", 0, "1")
        })],
        &ALL,
    );
}

#[test]
fn nb304_review_total() {
    rule(
        "NB304",
        &[case("复议 结果维持 1, total 0", |l| {
            set(&Build::new(l).text(), "尚未审结", 5, "1")
        })],
        &ALL,
    );
}

#[test]
fn a_blank_total_is_one_finding_not_a_balance_error_too() {
    // 忻州's case: the result rows add up to 1 but （七）总计 is blank.
    // Tab-separated text cannot hold a blank first or last cell (PDF extraction drops them).
    for (layout, _) in LAYOUTS.into_iter().filter(|(l, _)| *l != TableLayout::Tabs) {
        // Totals first: setting a cell to 1 takes it out of the list of zeros after the label.
        let t = set(&Build::new(layout).text(), "（一）予以公开", 6, "1");
        let t = set(&t, "（一）予以公开", 0, "1");
        let t = set(&t, "一、本年新收政府信息公开申请数量", 6, "1");
        let t = set(&t, "一、本年新收政府信息公开申请数量", 0, "1");
        let t = set(&t, "（七）总计", 6, "");
        let t = set(&t, "（七）总计", 0, "");
        let out = render(&t);
        assert_eq!(out.matches(" NB302 ").count(), 2, "{layout:?}\n{out}");
        assert!(
            !out.contains("NB303") && !out.contains("NB301"),
            "{layout:?}\n{out}"
        );
        assert!(
            !out.contains("NB206"),
            "the blank totals are NB302's, not also NB206: {layout:?}\n{out}"
        );
    }
}

#[test]
fn ambiguous_flattened_balance_is_reported_at_a_row_of_table_three() {
    // 大同's one-line text with 予以公开 and （七）总计 changed so that the readings of table 三
    // disagree about the 勾稽.
    let flat = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus/datong-eco-2023-flat.txt"),
    )
    .unwrap();
    let t = flat
        .replace("（一）予以公开221000023", "（一）予以公开211000023")
        .replace("（七）总计221000023", "（七）总计211000023");
    let a = analyze(&t);
    let nb204: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "NB204")
        .collect();
    assert_eq!(nb204.len(), 1, "{}", render(&t));
    let d = nb204[0];
    assert!(
        !d.message.zh.contains("balance") && !d.message.en.contains("“balance”"),
        "{}",
        d.message.zh
    );
    // At table 三's 一 row, whose digits (221000023) split as 2 + 21 or 22 + 1; not at table 四.
    let row = "一、本年新收政府信息公开申请数量";
    assert_eq!(&t[d.span.start..d.span.end], row);
    assert!(d.span.end < t.find("四、政府信息公开行政复议").unwrap());
    assert_eq!(
        d.message.zh,
        format!("“{row}”的数字连在一起，可以拆分为多种读法，其中有的合计不成立：请核对原表")
    );
    // The other row of the 勾稽 the readings split differently.
    let related: Vec<&str> = d
        .related
        .iter()
        .map(|r| &t[r.span.start..r.span.end])
        .collect();
    assert_eq!(related, ["（七）总计"]);
}

// ---------------------------------------------------------------------------------------------
// Consistency rules (NB401–NB406), with phrasings real reports use. NB407 needs two reports:
// tests/consistency.rs.

/// Put `paragraph` in 一's 依申请公开 part, where reports state their application counts.
fn prose(layout: TableLayout, paragraph: &str) -> String {
    Build::new(layout).text().replacen(
        "（二）依申请公开\n\n（待填写）",
        &format!("（二）依申请公开\n\n{paragraph}"),
        1,
    )
}

#[test]
fn nb401_text_table_mismatch() {
    rule(
        "NB401",
        &[
            case("衡水: 收到申请24件, table 0", |l| {
                prose(
                    l,
                    "全年共收到政府信息公开申请24件，同比增长41.18%，所有信息公开申请中，属于予以公开9件。",
                )
            }),
            case("二十四件", |l| {
                prose(l, "本年度新收政府信息公开申请二十四件。")
            }),
            case("行政复议2件", |l| {
                prose(l, "因政府信息公开被申请行政复议2件，均已审结。")
            }),
            case("结转下年度3件", |l| {
                prose(l, "结转下年度继续办理3件。")
            }),
        ],
        &TWO,
    );
}

#[test]
fn nb402_enumeration_sum() {
    rule(
        "NB402",
        &[
            case("parts exceed the total", |l| {
                prose(l, "全年共发布政府信息10条，其中政策文件6条、部门动态5条。")
            }),
            case("阜新: a partial list (info)", |l| {
                prose(l, "主动公开信息共计 805 条。其中，执法信息及处罚决定共计公开 168 条；通知公告 42 条；审批及环境验收等公示共计 296 条。")
            }),
        ],
        &TWO,
    );
}

#[test]
fn nb403_period_year() {
    rule(
        "NB403",
        &[case("last year's period", |l| {
            Build::new(l).text().replace(
                "统计期限自2023年1月1日起至2023年12月31日止",
                "统计期限自2022年1月1日起至2022年12月31日止",
            )
        })],
        &TWO,
    );
}

#[test]
fn nb404_deadline() {
    rule(
        "NB404",
        &[
            case("a department dated 15 February", |l| {
                Build::new(l)
                    .text()
                    .replace("2024年1月20日", "2024年2月15日")
            }),
            case("a government dated 2 April", |l| {
                Build::new(l)
                    .text()
                    .replace("某市生态环境局", "某县人民政府")
                    .replace("2024年1月20日", "2024年4月2日")
            }),
            case("published after the deadline (info)", |l| {
                format!("发布时间：2024-02-20\n{}", Build::new(l).text())
            }),
        ],
        &TWO,
    );
}

#[test]
fn nb405_fee_statement_missing() {
    rule(
        "NB405",
        &[case("大同: 六 says only 无", |l| {
            Build::new(l)
                .text()
                .replace("本年度未收取信息处理费，无其他需要报告的事项。", "无")
        })],
        &TWO,
    );
}

#[test]
fn nb406_citation() {
    rule(
        "NB406",
        &[
            case("国办发〔2021〕30号", |l| {
                prose(l, "本报告按照《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办发〔2021〕30号）编制。")
            }),
            case("国务院令第771号", |l| {
                prose(
                    l,
                    "依据《中华人民共和国政府信息公开条例》（国务院令第771号）编制。",
                )
            }),
            case("[2021] brackets (info)", |l| {
                prose(l, "依据国办公开办函[2021]30号编制。")
            }),
            case("国办函〔2021〕109号 for the fee rules", |l| {
                prose(
                    l,
                    "按照《政府信息公开信息处理费管理办法》（国办函〔2021〕109号）执行。",
                )
            }),
        ],
        &TWO,
    );
}

#[test]
fn consistency_rules_stay_silent_on_what_real_reports_write() {
    let quiet = [
        // 衡水, 禄丰, 大同, 忻州: numbers that agree with an all-zero table, or say none.
        "未因政府信息公开被申请行政复议和提起行政诉讼，均免费为申请人提供政府信息。",
        "2023年度,没有收到依申请公开案件。",
        "无结转下年度依申请公开；无因政府信息公开的行政复议。",
        "自然人申请20件，其中予以公开18件。",
        "未发生因政府信息公开被行政复议纠错的情况。",
        // Enumerations that add up, or are closed by a later clause.
        "公开政府信息共计248条，其中信息公开年度报告1条，机构职能1条，内设机构1条，办公地址1条，领导班子1条，政策文件10条，部门动态65条，财政决策预算6条，行政执法专栏162条。",
        "共发布各类信息7条,其中通过信函邮寄申请公开2件,部门动态5条。",
        "共收到咨询7条，其中电话5条、网上2条，办结7条。",
        // Citations written right, the 2019 notice in a 2023 report included.
        "根据《中华人民共和国政府信息公开条例》（国务院令第711号）和《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）要求编制。",
        "按照《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）编制，信息处理费按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）执行。",
        "印发了《关于印发〈忻州市生态环境领域基层政务公开标准目录〉的通知》(忻环发〔2020〕71号)。",
        // Counts of another year, or of two things at once.
        "2022年发生行政复议2件，均已审结。",
        "上年同期收到政府信息公开申请24件。",
        "予以公开和部分公开共20件。",
        // A period in the body that compares is no statistics period.
        "与2022年1月1日至12月31日相比，申请数量基本持平。",
    ];
    for layout in TWO {
        for paragraph in quiet {
            let out = render(&prose(layout, paragraph));
            assert!(!out.contains(" NB40"), "{paragraph}\n{out}");
        }
    }
    // A 乡镇's deadline is set locally: silent unless configured.
    let town = Build::new(TableLayout::Markdown)
        .text()
        .replace("某市生态环境局", "某某镇人民政府")
        .replace("2024年1月20日", "2024年5月1日");
    assert!(!render(&town).contains("NB404"));
    // A 人民政府 has until 31 March.
    let government = Build::new(TableLayout::Markdown)
        .text()
        .replace("某市生态环境局", "某县人民政府")
        .replace("2024年1月20日", "2024年3月15日");
    assert!(!render(&government).contains("NB404"));
    // The 2019 format asks for no fee statement.
    let old = Build {
        year: 2020,
        tables: FormatVersion::V2019,
        ..Build::new(TableLayout::Markdown)
    }
    .text()
    .replace("本年度未收取信息处理费，无其他需要报告的事项。", "无");
    assert!(!render(&old).contains("NB405"));
    // Any wording of the fee counts.
    for fee in [
        "2022年阜新市生态环境局未收缴信息公开处理费。",
        "2023年,楚雄州生态环境局禄丰分局未收取政府信息公开信息处理费。",
        "本机关没有收取信息处理费。",
    ] {
        let t = Build::new(TableLayout::Markdown)
            .text()
            .replace("本年度未收取信息处理费，无其他需要报告的事项。", fee);
        assert!(!render(&t).contains("NB405"), "{fee}");
    }
}
