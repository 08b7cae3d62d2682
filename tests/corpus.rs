//! The real published reports in `tests/corpus/` against their hand-checked expectations
//! (`expected.json`, copied from the shared corpus): every `must` finding is reported, no
//! `must_not` code is, and no error-level finding is reported that matches no `must` item; the
//! consistency rules (NB4xx) likewise against `later`, `later_may` and `later_must_not`.

use nianbao::text::{ColumnUnit, LineIndex};
use nianbao::{analyze, Severity};
use serde_json::Value;
use std::path::Path;

struct Finding {
    code: &'static str,
    severity: Severity,
    /// 1-based, inclusive.
    lines: (u64, u64),
    message: String,
}

fn findings(text: &str) -> (nianbao::Analysis, Vec<Finding>) {
    let a = analyze(text);
    let idx = LineIndex::new(text);
    let f = a
        .diagnostics
        .iter()
        .map(|d| {
            let s = idx.position(text, d.span.start, ColumnUnit::Char);
            let e = idx.position(text, d.span.end, ColumnUnit::Char);
            Finding {
                code: d.rule.code,
                severity: d.severity,
                lines: (s.line as u64 + 1, e.line as u64 + 1),
                message: d.message.zh.to_string(),
            }
        })
        .collect();
    (a, f)
}

fn matches(item: &Value, f: &Finding) -> bool {
    if item["code"].as_str() != Some(f.code) {
        return false;
    }
    if f.code == "NB101" || item["line_tolerance"].as_str() == Some("any") {
        return true;
    }
    let touches = |lo: u64, hi: u64| f.lines.0 <= hi && f.lines.1 >= lo;
    let line = item["line"].as_u64().unwrap_or(0);
    let mut lines = vec![line];
    if let Some(alt) = item["alt_lines"].as_array() {
        lines.extend(alt.iter().filter_map(Value::as_u64));
    }
    if lines.iter().any(|&l| touches(l.saturating_sub(1), l + 1)) {
        return true;
    }
    item["ranges"].as_array().is_some_and(|rs| {
        rs.iter()
            .any(|r| touches(r[0].as_u64().unwrap_or(0), r[1].as_u64().unwrap_or(0)))
    })
}

fn check_expectations(expected_file: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(expected_file)).unwrap()).unwrap();
    let mut problems = Vec::new();
    let reports = expected["reports"].as_object().unwrap();
    assert!(!reports.is_empty());
    for (name, exp) in reports {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let (a, found) = findings(&text);
        let mut p = |s: String| problems.push(format!("{name}: {s}"));
        if !a.is_report {
            p("not recognised as a report".into());
        }
        if a.year.map(u64::from) != exp["year"].as_u64() {
            p(format!("year {:?}, expected {}", a.year, exp["year"]));
        }
        if a.format.map(|f| f.as_str().to_string()) != exp["format"].as_u64().map(|f| f.to_string())
        {
            p(format!("format {:?}, expected {}", a.format, exp["format"]));
        }
        // The tables are in the version the year requires in every seed.
        if a.tables != a.format {
            p(format!("tables {:?}, format {:?}", a.tables, a.format));
        }
        let must = exp["must"].as_array().unwrap();
        for item in must {
            if !found.iter().any(|f| matches(item, f)) {
                p(format!(
                    "missing {} at line {} ({})",
                    item["code"], item["line"], item["note"]
                ));
            }
        }
        for code in exp["must_not"].as_array().unwrap() {
            for f in found.iter().filter(|f| Some(f.code) == code.as_str()) {
                p(format!(
                    "must not report {} (line {}: {})",
                    f.code, f.lines.0, f.message
                ));
            }
        }
        // The consistency rules: every `later` item, no `later_must_not` code, and no NB4xx
        // finding that is neither a `later` item nor allowed by `later_may`.
        let empty = Vec::new();
        let later = exp["later"].as_array().unwrap_or(&empty);
        for item in later {
            if !found.iter().any(|f| matches(item, f)) {
                p(format!(
                    "missing {} at line {} ({})",
                    item["code"], item["line"], item["note"]
                ));
            }
        }
        let later_may: Vec<&str> = exp["later_may"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for code in exp["later_must_not"].as_array().unwrap_or(&empty) {
            for f in found.iter().filter(|f| Some(f.code) == code.as_str()) {
                p(format!(
                    "must not report {} (line {}: {})",
                    f.code, f.lines.0, f.message
                ));
            }
        }
        for f in found.iter().filter(|f| f.code.starts_with("NB4")) {
            if !later.iter().any(|item| matches(item, f)) && !later_may.contains(&f.code) {
                p(format!(
                    "unexpected {} at line {}: {}",
                    f.code, f.lines.0, f.message
                ));
            }
        }
        for f in found.iter().filter(|f| f.severity == Severity::Error) {
            if !must.iter().any(|item| matches(item, f)) {
                p(format!(
                    "false positive {} at line {}: {}",
                    f.code, f.lines.0, f.message
                ));
            }
        }
    }
    problems
}

#[test]
fn seeds_give_what_expected_json_says() {
    let problems = check_expectations("expected.json");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn flattened_report_gives_what_its_expected_json_says() {
    let problems = check_expectations("flattened-expected.json");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_catches_a_miss_and_a_false_positive() {
    // The matcher itself must be able to fail: an NB304 two lines off is not a match, and an
    // error with no `must` item is a false positive.
    let item: Value = serde_json::json!({"code": "NB304", "line": 409});
    let near = Finding {
        code: "NB304",
        severity: Severity::Error,
        lines: (410, 410),
        message: String::new(),
    };
    let far = Finding {
        code: "NB304",
        severity: Severity::Error,
        lines: (411, 411),
        message: String::new(),
    };
    assert!(matches(&item, &near));
    assert!(!matches(&item, &far));
}

#[test]
fn the_same_report_in_every_layout_gives_the_same_findings() {
    // 大同's findings (two NB304, three NB203) survive CRLF line endings and a BOM.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let text = std::fs::read_to_string(dir.join("datong-eco-2023.txt")).unwrap();
    let codes = |t: &str| {
        analyze(t)
            .diagnostics
            .iter()
            .map(|d| d.rule.code)
            .collect::<Vec<_>>()
    };
    let plain = codes(&text);
    assert_eq!(
        plain.iter().filter(|c| **c == "NB304").count(),
        2,
        "{plain:?}"
    );
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(codes(&crlf), plain);
    let bom = format!("\u{feff}{text}");
    assert_eq!(codes(&bom), plain);
    let flat = std::fs::read_to_string(dir.join("datong-eco-2023-flat.txt")).unwrap();
    assert_eq!(codes(&flat), plain);
}
