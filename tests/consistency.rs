//! What needs more than one report or a configuration: NB407 between two years' reports, and
//! NB404 with the agency configured.

use nianbao::fix::section_skeleton;
use nianbao::syntax::TableLayout;
use nianbao::{analyze, analyze_with, AgencyKind, AgencySettings, FormatVersion, Options};

fn report(agency: &str, year: u16) -> String {
    let mut t = format!("{agency}{year}年政府信息公开工作年度报告\n\n本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。\n\n");
    for n in 1..=6 {
        t.push_str(&section_skeleton(
            n,
            FormatVersion::V2021,
            TableLayout::Markdown,
        ));
        t.push('\n');
    }
    t.push_str(&format!("{agency}\n{}年1月20日\n", year + 1));
    t
}

/// Set the 自然人 and 总计 cells of the row labelled `label` to `n`.
fn set_row(text: &str, label: &str, n: u32) -> String {
    let at = text.find(label).unwrap();
    let line_end = at + text[at..].find('\n').unwrap();
    let line = &text[at..line_end];
    let mut cells: Vec<String> = line.split(" | ").map(str::to_string).collect();
    // `label | 0 | 0 | 0 | 0 | 0 | 0 | 0 |`
    cells[1] = n.to_string();
    cells[7] = n.to_string();
    format!("{}{}{}", &text[..at], cells.join(" | "), &text[line_end..])
}

#[test]
fn carry_over_between_consecutive_years() {
    let agency = "某市生态环境局";
    // 2022: 2 applications carried over to 2023 (received 2, none finished).
    let last = set_row(&report(agency, 2022), "四、结转下年度继续办理", 2);
    let last = set_row(&last, "一、本年新收政府信息公开申请数量", 2);
    let last_analysis = analyze(&last);
    assert!(last_analysis.carry.carried_out.is_some());
    assert!(
        !last_analysis
            .diagnostics
            .iter()
            .any(|d| d.rule.code == "NB303"),
        "{:?}",
        last_analysis.diagnostics
    );

    // 2023 says none came in: NB407, on the 二、上年结转 row.
    let this = report(agency, 2023);
    let options = Options::default();
    let mut a = analyze(&this);
    a.check_carry_over(&this, [&last_analysis.carry], &options);
    let found: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "NB407")
        .collect();
    assert_eq!(found.len(), 1, "{:?}", a.diagnostics);
    let d = found[0];
    let row = this.find("二、上年结转政府信息公开申请数量").unwrap();
    assert!(d.span.start > row && d.span.start < row + 200);
    assert!(
        d.message.zh.contains("自然人 0（上年 2）"),
        "{}",
        d.message.zh
    );
    assert!(
        d.message.zh.contains("总计 0（上年 2）"),
        "{}",
        d.message.zh
    );

    // Agreeing reports are silent; so are other agencies and years that are not consecutive.
    let agreeing = set_row(&this, "二、上年结转政府信息公开申请数量", 2);
    let agreeing = set_row(&agreeing, "四、结转下年度继续办理", 2);
    let mut a = analyze(&agreeing);
    a.check_carry_over(&agreeing, [&last_analysis.carry], &options);
    assert!(!a.diagnostics.iter().any(|d| d.rule.code == "NB407"));
    for other in [report("某市交通运输局", 2023), report(agency, 2024)] {
        let mut a = analyze(&other);
        a.check_carry_over(&other, [&last_analysis.carry], &options);
        assert!(!a.diagnostics.iter().any(|d| d.rule.code == "NB407"));
    }

    // A configured agency name makes two reports without names one agency's.
    let named = Options {
        agency: AgencySettings {
            name: Some("某局".into()),
            ..AgencySettings::default()
        },
        ..Options::default()
    };
    let anonymous_last = last.replace(agency, "");
    let anonymous_this = this.replace(agency, "");
    let last_facts = analyze_with(&anonymous_last, &named).carry;
    let mut a = analyze_with(&anonymous_this, &named);
    a.check_carry_over(&anonymous_this, [&last_facts], &named);
    assert!(a.diagnostics.iter().any(|d| d.rule.code == "NB407"));

    // A suppression on the row silences it, and is then used.
    let suppressed = this.replace(
        "| 二、上年结转政府信息公开申请数量",
        "<!-- nianbao-disable-next-line NB407 -->\n| 二、上年结转政府信息公开申请数量",
    );
    let mut a = analyze(&suppressed);
    assert!(a.diagnostics.iter().any(|d| d.rule.code == "NB901"));
    a.check_carry_over(&suppressed, [&last_analysis.carry], &options);
    let codes: Vec<_> = a.diagnostics.iter().map(|d| d.rule.code).collect();
    assert!(
        !codes.contains(&"NB407") && !codes.contains(&"NB901"),
        "{codes:?}"
    );
}

#[test]
fn deadline_follows_the_configured_kind() {
    let town = report("某某镇人民政府", 2023).replace("2024年1月20日", "2024年2月20日");
    assert!(!analyze(&town)
        .diagnostics
        .iter()
        .any(|d| d.rule.code == "NB404"));
    let as_department = Options {
        agency: AgencySettings {
            kind: Some(AgencyKind::Department),
            ..AgencySettings::default()
        },
        ..Options::default()
    };
    assert!(analyze_with(&town, &as_department)
        .diagnostics
        .iter()
        .any(|d| d.rule.code == "NB404"));
    let local_deadline = Options {
        agency: AgencySettings {
            deadline: Some((2, 10)),
            ..AgencySettings::default()
        },
        ..Options::default()
    };
    assert!(analyze_with(&town, &local_deadline)
        .diagnostics
        .iter()
        .any(|d| d.rule.code == "NB404"));
}

#[test]
fn deadline_reads_signature_dates_in_every_notation() {
    let department = report("某市生态环境局", 2023);
    assert!(department.ends_with("某市生态环境局\n2024年1月20日\n"));
    let nb404 = |text: &str| {
        analyze(text)
            .diagnostics
            .into_iter()
            .filter(|d| d.rule.code == "NB404")
            .collect::<Vec<_>>()
    };
    for late in [
        "2024年2月15日",
        "二〇二四年二月十五日",
        "二○二四年二月十五日",
        "二零二四年二月十五日",
        "２０２４年２月１５日",
        "2024-02-15",
        "2024.2.15",
        "2024/2/15",
        "（二〇二四年二月十五日）",
    ] {
        let text = department.replace("2024年1月20日", late);
        let found = nb404(&text);
        assert_eq!(found.len(), 1, "{late}: {found:?}");
        let d = &found[0];
        assert_eq!(d.severity, nianbao::Severity::Warning, "{late}");
        assert!(
            d.message.zh.contains("落款日期2024年2月15日晚于"),
            "{late}: {}",
            d.message.zh
        );
        assert!(text[d.span.start..d.span.end].contains(late.trim_matches(['（', '）'])));
    }
    for on_time in [
        "二〇二四年一月三十一日",
        "2024-01-31",
        "2024.1.20",
        "２０２４年１月２０日",
    ] {
        let text = department.replace("2024年1月20日", on_time);
        assert!(nb404(&text).is_empty(), "{on_time}: {:?}", nb404(&text));
    }
}

// ---------------------------------------------------------------------------------------------
// Variants of the real reports (tests/corpus holds copies of the seeds).

const DATONG: &str = include_str!("corpus/datong-eco-2023.txt");
const DATONG_FLAT: &str = include_str!("corpus/datong-eco-2023-flat.txt");
const FUXIN: &str = include_str!("corpus/fuxin-eco-2022.txt");
const HENGSHUI: &str = include_str!("corpus/hengshui-eco-2023.txt");

/// `text` with its line `n` (1-based) replaced by `f` of it, as `sed 'Ns/…/…/'` does.
fn edit_line(text: &str, n: usize, f: impl Fn(&str) -> String) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    lines[n - 1] = f(&lines[n - 1]);
    lines.join("\n")
}

/// `text` with `from` replaced by `to` on line `n`, which must hold it.
fn sub(text: &str, n: usize, from: &str, to: &str) -> String {
    edit_line(text, n, |line| {
        assert!(line.contains(from), "line {n} has no {from}: {line}");
        line.replacen(from, to, 1)
    })
}

/// The `code` findings of `text`, as the words they are on.
fn found(text: &str, code: &str) -> Vec<String> {
    analyze(text)
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == code)
        .map(|d| text[d.span.start..d.span.end].to_string())
        .collect()
}

#[test]
fn nb401_passes_over_counts_that_are_not_the_agencys_year() {
    let hengshui_24 = "全年共收到政府信息公开申请24件";
    // Not the annual total: one channel, one month or quarter, a wider scope, reviews and
    // lawsuits of another kind.
    let quiet = [
        sub(
            HENGSHUI,
            14,
            "。全部对",
            "。其中通过网络平台收到申请20件，当面申请4件。全部对",
        ),
        sub(
            HENGSHUI,
            14,
            "。全部对",
            "。其中，网上收到申请20件，信函收到申请4件。全部对",
        ),
        sub(
            HENGSHUI,
            14,
            "全年共收到",
            "12月收到政府信息公开申请3件，全年共收到",
        ),
        sub(
            HENGSHUI,
            14,
            "全年共收到",
            "第四季度收到政府信息公开申请10件，全年共收到",
        ),
        sub(
            HENGSHUI,
            14,
            "全年共收到",
            "上半年受理政府信息公开申请11件，全年共收到",
        ),
        sub(
            HENGSHUI,
            14,
            "。全部对",
            "。全市生态环境系统共收到政府信息公开申请120件。全部对",
        ),
        sub(
            HENGSHUI,
            14,
            "。全部对",
            "。各县区分局共收到政府信息公开申请96件，予以公开40件。全部对",
        ),
        sub(
            HENGSHUI,
            10,
            "顺利开展。",
            "顺利开展。全年共办理环境行政复议案件12件，行政诉讼案件5件。",
        ),
        sub(
            HENGSHUI,
            10,
            "顺利开展。",
            "顺利开展，全年办理行政复议案件12件，行政诉讼案件5件。",
        ),
        sub(
            HENGSHUI,
            14,
            "未因政府信息公开被申请",
            "因政府信息公开被申请行政复议0件，办理行政处罚类行政复议3件，未因政府信息公开被申请",
        ),
    ];
    for text in &quiet {
        assert!(HENGSHUI.lines().count() == text.lines().count());
        assert_eq!(found(text, "NB401"), Vec::<String>::new());
    }

    // The annual totals still count: one that disagrees with the tables is reported.
    let loud = [
        (
            sub(HENGSHUI, 14, hengshui_24, "全年共收到政府信息公开申请25件"),
            "收到政府信息公开申请25件",
        ),
        (
            sub(
                HENGSHUI,
                14,
                hengshui_24,
                "全年通过网站、信函等渠道共收到政府信息公开申请25件",
            ),
            "收到政府信息公开申请25件",
        ),
        (
            sub(
                HENGSHUI,
                14,
                hengshui_24,
                "2023年1月至12月共收到政府信息公开申请25件",
            ),
            "收到政府信息公开申请25件",
        ),
        (
            sub(
                HENGSHUI,
                14,
                hengshui_24,
                "截至12月底，我局共收到政府信息公开申请25件",
            ),
            "收到政府信息公开申请25件",
        ),
        (
            sub(
                HENGSHUI,
                14,
                "未因政府信息公开被申请行政复议和提起行政诉讼",
                "因政府信息公开被申请行政复议1件，被提起行政诉讼2件",
            ),
            "行政复议1件",
        ),
        (
            sub(
                DATONG,
                16,
                "因政府信息公开导致行政诉讼1件",
                "因政府信息公开导致行政诉讼3件",
            ),
            "行政诉讼3件",
        ),
    ];
    for (text, words) in &loud {
        let f = found(text, "NB401");
        assert!(f.iter().any(|w| w == words), "{words}: {f:?}");
    }
    // In 四, what the section says is about information disclosure.
    let in_4 = sub(
        HENGSHUI,
        358,
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、政府信息公开行政复议、行政诉讼情况\n本年度行政复议2件。",
    );
    assert_eq!(found(&in_4, "NB401"), ["行政复议2件"]);
}

#[test]
fn nb401_reads_applications_received_as_依申请公开() {
    // 阜新 2022 writes `收到依申请信息公开事项 6 件`: right, and reported once wrong.
    assert!(FUXIN
        .lines()
        .nth(14)
        .unwrap()
        .contains("收到依申请信息公开事项 6 件"));
    assert_eq!(found(FUXIN, "NB401"), Vec::<String>::new());
    let fuxin_7 = sub(FUXIN, 15, "事项 6 件", "事项 7 件");
    assert_eq!(found(&fuxin_7, "NB401"), ["收到依申请信息公开事项 7 件"]);
    let d = analyze(&fuxin_7)
        .diagnostics
        .into_iter()
        .find(|d| d.rule.code == "NB401")
        .unwrap();
    assert!(d.message.zh.contains("总计为 6"), "{}", d.message.zh);

    let hengshui_24 = "全年共收到政府信息公开申请24件";
    for (written, words) in [
        ("全年共收到依申请公开25件", "收到依申请公开25件"),
        ("全年共受理依申请公开事项25件", "受理依申请公开事项25件"),
        ("全年收到依申请公开件共25件", "收到依申请公开件共25件"),
    ] {
        let text = sub(HENGSHUI, 14, hengshui_24, written);
        assert_eq!(found(&text, "NB401"), [words], "{written}");
        // The same words with the table's count are silent.
        let right = sub(HENGSHUI, 14, hengshui_24, &written.replace("25", "24"));
        assert_eq!(found(&right, "NB401"), Vec::<String>::new(), "{written}");
    }
    // Not the year's applications: silent.
    for written in [
        "12月收到依申请公开3件，全年共收到政府信息公开申请24件",
        "全市系统共收到依申请公开事项96件，本局收到政府信息公开申请24件",
        "全年共收到依申请公开的信访举报25件",
    ] {
        let text = sub(HENGSHUI, 14, hengshui_24, written);
        assert_eq!(found(&text, "NB401"), Vec::<String>::new(), "{written}");
    }
}

#[test]
fn nb403_reads_only_the_statistics_period() {
    // A full year in the preamble that dates some work is no statistics period.
    for added in [
        "2022年1月1日至2022年12月31日期间我局开展了培训。",
        "2022年1月1日至2022年12月31日，我局开展了政务公开培训。",
        "我局在2022年1月1日至2022年12月31日开展了培训。",
    ] {
        let text = edit_line(DATONG, 4, |l| format!("{l}{added}"));
        assert_eq!(found(&text, "NB403"), Vec::<String>::new(), "{added}");
    }
    // The statistics period, said so or standing as what the preamble reports on (禄丰 opens
    // its second sentence with `2023年1月1日至12月31日,`), is read.
    let wrong = sub(
        DATONG,
        4,
        "统计期限自2023年1月1日",
        "统计期限自2022年1月1日",
    );
    assert_eq!(found(&wrong, "NB403"), ["2022年1月1日起至2023年12月31日"]);
    let agency = "某市生态环境局";
    for (preamble, words) in [
        (
            "2022年1月1日至12月31日,某市生态环境局在门户网站共发布各类信息311条。",
            "2022年1月1日至12月31日",
        ),
        (
            "根据要求编制本报告。2022年1月1日至2022年12月31日，我局共发布信息311条。",
            "2022年1月1日至2022年12月31日",
        ),
        (
            "（2022年1月1日—2022年12月31日）",
            "2022年1月1日—2022年12月31日",
        ),
    ] {
        let text = report(agency, 2023).replace(
            "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
            preamble,
        );
        assert_eq!(found(&text, "NB403"), [words], "{preamble}");
        let right = text.replace("2022年", "2023年");
        assert_eq!(found(&right, "NB403"), Vec::<String>::new(), "{preamble}");
    }
}

#[test]
fn carry_over_reads_a_flattened_report_that_reads_more_than_one_way() {
    // The flattened 大同 2023 report reads table 三 two ways (22,1,… or 2,21,…); both carry in
    // nothing.
    let flat = analyze(DATONG_FLAT);
    let carried_in = flat.carry.carried_in.as_ref().expect("carried-in row");
    assert!(carried_in.cells.iter().all(|c| c.1 == Some(0)));
    assert_eq!(flat.carry.year, Some(2023));

    // 大同 2022, as if it had carried 2 applications over to 2023.
    let last_year = |carried_out: &str| {
        let t = sub(DATONG, 3, "2023年", "2022年");
        let t = edit_line(&t, 4, |l| l.replace("2023年", "2022年"));
        let t = edit_line(&t, 358, |_| format!("\t{carried_out}"));
        edit_line(&t, 364, |_| format!("\t{carried_out}"))
    };
    let options = Options::default();
    let previous = analyze(&last_year("2")).carry;
    assert_eq!(previous.year, Some(2022));
    let mut a = analyze(DATONG_FLAT);
    a.check_carry_over(DATONG_FLAT, [&previous], &options);
    let nb407: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "NB407")
        .collect();
    assert_eq!(nb407.len(), 1, "{:?}", a.diagnostics);
    assert!(
        nb407[0]
            .message
            .zh
            .contains("自然人 0（上年 2），总计 0（上年 2）"),
        "{}",
        nb407[0].message.zh
    );
    // As the one-reading report does.
    let mut a = analyze(DATONG);
    a.check_carry_over(DATONG, [&previous], &options);
    assert!(a.diagnostics.iter().any(|d| d.rule.code == "NB407"));

    // Last year carried nothing over: silent.
    let previous = analyze(&last_year("0")).carry;
    let mut a = analyze(DATONG_FLAT);
    a.check_carry_over(DATONG_FLAT, [&previous], &options);
    assert!(!a.diagnostics.iter().any(|d| d.rule.code == "NB407"));
}
