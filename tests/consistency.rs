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
