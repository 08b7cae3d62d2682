//! `nianbao rules`: the rule table, one rule's documentation, or both as JSON.

use serde_json::{json, Value};
use unicode_width::UnicodeWidthStr;

use crate::rules::{FixAvailability, Rule};
use crate::Lang;

fn fix_label(fix: FixAvailability, lang: Lang) -> &'static str {
    match (fix, lang) {
        (FixAvailability::None, Lang::Zh) => "无",
        (FixAvailability::Safe, Lang::Zh) => "可自动修复",
        (FixAvailability::Unsafe, Lang::Zh) => "可修复（需确认）",
        (FixAvailability::Mixed, Lang::Zh) => "可修复（部分需确认）",
        (FixAvailability::None, Lang::En) => "none",
        (FixAvailability::Safe, Lang::En) => "safe",
        (FixAvailability::Unsafe, Lang::En) => "needs review",
        (FixAvailability::Mixed, Lang::En) => "safe or needs review",
    }
}

fn fix_key(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::None => "none",
        FixAvailability::Safe => "safe",
        FixAvailability::Unsafe => "unsafe",
        FixAvailability::Mixed => "mixed",
    }
}

fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

/// One line per rule: code, name, default severity, summary.
pub(crate) fn table(rules: &[&Rule], lang: Lang) -> String {
    let header = match lang {
        Lang::Zh => ["代码", "名称", "默认级别", "说明"],
        Lang::En => ["code", "name", "default", "summary"],
    };
    let code_w = rules
        .iter()
        .map(|r| r.code.width())
        .chain([header[0].width()])
        .max()
        .unwrap_or(0);
    let name_w = rules
        .iter()
        .map(|r| r.name.width())
        .chain([header[1].width()])
        .max()
        .unwrap_or(0);
    let sev_w = rules
        .iter()
        .map(|r| r.severity.as_str().width())
        .chain([header[2].width()])
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let row = |out: &mut String, cells: [&str; 4]| {
        let line = format!(
            "{}  {}  {}  {}",
            pad(cells[0], code_w),
            pad(cells[1], name_w),
            pad(cells[2], sev_w),
            cells[3]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    };
    row(&mut out, header);
    for r in rules {
        let summary = match lang {
            Lang::Zh => r.summary_zh,
            Lang::En => r.summary_en,
        };
        row(&mut out, [r.code, r.name, r.severity.as_str(), summary]);
    }
    out
}

/// A rule's documentation.
pub(crate) fn explain(rule: &Rule, lang: Lang) -> String {
    let (severity, fix) = match lang {
        Lang::Zh => ("默认级别", "修复"),
        Lang::En => ("default severity", "fix"),
    };
    format!(
        "{code} {name}\n{severity}: {sev}\n{fix}: {fix_label}\n\n{summary_zh}\n\n{doc}\n\n{summary_en}\n",
        code = rule.code,
        name = rule.name,
        sev = rule.severity.as_str(),
        fix_label = fix_label(rule.fix, lang),
        summary_zh = rule.summary_zh,
        doc = rule.doc_zh.trim_end(),
        summary_en = rule.summary_en,
    )
}

pub(crate) fn json(rules: &[&Rule]) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "code": r.code,
                "name": r.name,
                "severity": r.severity.as_str(),
                "fix": fix_key(r.fix),
                "summary_zh": r.summary_zh,
                "summary_en": r.summary_en,
                "doc_zh": r.doc_zh,
            })
        })
        .collect();
    json!({ "version": 1, "rules": rules })
}
