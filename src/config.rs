//! `nianbao.toml`, the project configuration the CLI and the language server share.
//!
//! ```toml
//! language = "zh"                 # or "en"
//! include = ["reports/**"]        # which files folder checks take (default: *.md, *.txt, *.docx, *.html, *.htm)
//! exclude = ["drafts/old/**"]     # which they leave out
//!
//! [rules]
//! NB206 = "off"                   # or "error", "warning", "info"; codes or names
//! row-total = "warning"
//!
//! [agency]
//! kind = "部门"                    # 部门 | 人民政府 | 乡镇 (decides the deadline, NB404)
//! name = "某市生态环境局"           # reports of one agency (NB407)
//! deadline = "03-31"              # a locally set deadline, for 乡镇
//! ```
//!
//! Parsing is pure ([`parse`]: text in, a configuration and its problems out); finding and
//! reading the file is the adapters' business. A problem never stops anything: a file that is
//! not TOML gives the defaults, a bad entry is ignored and its default stays in force, and each
//! problem carries the byte span it is about so that it can be shown on the file.

use globset::{Glob, GlobSet, GlobSetBuilder};
use toml::de::{DeTable, DeValue};

use crate::{AgencyKind, AgencySettings, Lang, Message, Options, Severity, Span};

/// The file name looked for, from a report's folder upwards.
pub const FILE_NAME: &str = "nianbao.toml";

/// A configuration: what `nianbao.toml` says, validated.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Rule settings by code, in file order: `None` turns a rule off.
    pub rules: Vec<(&'static str, Option<Severity>)>,
    pub agency: AgencySettings,
    pub language: Option<Lang>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// Something wrong in a configuration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    /// Error for what was ignored because it cannot be read; warning for unknown keys.
    pub severity: Severity,
    pub message: Message,
}

impl Config {
    /// Apply the rule settings and the agency to analysis options; settings already in
    /// `options` (from the command line or the editor) win.
    pub fn apply_to(&self, options: &mut Options, explicit: &Options) {
        for (code, setting) in &self.rules {
            if !explicit.severity.contains_key(*code) {
                options.severity.insert((*code).to_string(), *setting);
            }
        }
        for (code, setting) in &explicit.severity {
            options.severity.insert(code.clone(), *setting);
        }
        let a = &explicit.agency;
        options.agency = AgencySettings {
            kind: a.kind.or(self.agency.kind),
            name: a.name.clone().or_else(|| self.agency.name.clone()),
            deadline: a.deadline.or(self.agency.deadline),
        };
    }

    /// The include/exclude filter, for paths relative to the configuration's folder.
    pub fn filter(&self) -> FileFilter {
        let set = |globs: &[String]| {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                if let Ok(glob) = Glob::new(g) {
                    b.add(glob);
                }
            }
            b.build().unwrap_or_else(|_| GlobSet::empty())
        };
        FileFilter {
            include: (!self.include.is_empty()).then(|| set(&self.include)),
            exclude: set(&self.exclude),
        }
    }
}

/// Which files a folder check takes.
#[derive(Clone, Debug, Default)]
pub struct FileFilter {
    /// `None`: every file a folder check takes by default (`*.md`, `*.txt`, `*.docx`,
    /// `*.html`, `*.htm`).
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl FileFilter {
    /// Whether a file, by its path relative to the configuration's folder (`/`-separated),
    /// is checked.
    pub fn includes(&self, relative: &str) -> bool {
        let relative = relative.trim_start_matches("./");
        if self.exclude.is_match(relative) {
            return false;
        }
        match &self.include {
            Some(set) => set.is_match(relative),
            None => {
                let lower = relative.to_ascii_lowercase();
                [".md", ".txt", ".docx", ".html", ".htm"]
                    .iter()
                    .any(|x| lower.ends_with(x))
            }
        }
    }

    /// Whether a file is excluded (explicitly named files are checked unless excluded).
    pub fn excludes(&self, relative: &str) -> bool {
        self.exclude.is_match(relative.trim_start_matches("./"))
    }
}

fn span_of(r: std::ops::Range<usize>) -> Span {
    Span::new(r.start, r.end.max(r.start))
}

struct Problems(Vec<Problem>);

impl Problems {
    fn error(&mut self, span: std::ops::Range<usize>, zh: String, en: String) {
        self.0.push(Problem {
            span: span_of(span),
            severity: Severity::Error,
            message: Message::new(zh, en),
        });
    }
    fn warning(&mut self, span: std::ops::Range<usize>, zh: String, en: String) {
        self.0.push(Problem {
            span: span_of(span),
            severity: Severity::Warning,
            message: Message::new(zh, en),
        });
    }
}

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "字符串",
        DeValue::Integer(_) | DeValue::Float(_) => "数字",
        DeValue::Boolean(_) => "布尔值",
        DeValue::Datetime(_) => "日期",
        DeValue::Array(_) => "数组",
        DeValue::Table(_) => "表",
    }
}

/// Parse and validate a configuration file's text.
pub fn parse(text: &str) -> (Config, Vec<Problem>) {
    let mut config = Config::default();
    let mut problems = Problems(Vec::new());
    let table = match DeTable::parse(text) {
        Ok(table) => table,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_string();
            problems.error(
                span,
                format!("nianbao.toml 不是有效的 TOML：{msg}；整个文件被忽略，使用默认设置"),
                format!("nianbao.toml is not valid TOML: {msg}; the whole file is ignored and the defaults apply"),
            );
            return (config, problems.0);
        }
    };
    for (key, value) in table.get_ref().iter() {
        let k = key.get_ref().as_ref();
        let kspan = key.span();
        let vspan = value.span();
        match k {
            "rules" => match value.get_ref() {
                DeValue::Table(rules) => {
                    for (code, setting) in rules.iter() {
                        let code_text = code.get_ref().as_ref();
                        let Some(rule) = crate::rules::find(code_text) else {
                            problems.error(
                                code.span(),
                                format!("[rules] 中没有规则 {code_text}（`nianbao rules` 列出所有规则）；已忽略"),
                                format!("[rules]: no rule {code_text} (`nianbao rules` lists them); ignored"),
                            );
                            continue;
                        };
                        let parsed = match setting.get_ref() {
                            DeValue::String(s) => {
                                let s = s.trim().to_ascii_lowercase();
                                if matches!(s.as_str(), "off" | "none" | "false" | "disable" | "disabled" | "allow") {
                                    Some(None)
                                } else {
                                    Severity::parse(&s).map(Some)
                                }
                            }
                            DeValue::Boolean(false) => Some(None),
                            _ => None,
                        };
                        match parsed {
                            Some(s) => config.rules.push((rule.code, s)),
                            None => problems.error(
                                setting.span(),
                                format!("[rules] {code_text} 的值应为 \"off\"、\"error\"、\"warning\" 或 \"info\"；已忽略，使用默认级别"),
                                format!("[rules] {code_text}: expected \"off\", \"error\", \"warning\" or \"info\"; ignored, the default applies"),
                            ),
                        }
                    }
                }
                other => problems.error(
                    vspan,
                    format!("rules 应为表（[rules]），实为{}", type_name(other)),
                    "rules must be a table ([rules])".into(),
                ),
            },
            "agency" => match value.get_ref() {
                DeValue::Table(agency) => {
                    for (key, value) in agency.iter() {
                        let name = key.get_ref().as_ref();
                        let text_value = match value.get_ref() {
                            DeValue::String(s) => Some(s.as_ref().trim().to_string()),
                            _ => None,
                        };
                        match (name, text_value) {
                            ("kind", Some(s)) => match AgencyKind::parse(&s) {
                                Some(kind) => config.agency.kind = Some(kind),
                                None => problems.error(
                                    value.span(),
                                    format!("[agency] kind 应为 \"部门\"、\"人民政府\" 或 \"乡镇\"，实为 \"{s}\"；已忽略"),
                                    format!("[agency] kind: expected \"部门\", \"人民政府\" or \"乡镇\", got \"{s}\"; ignored"),
                                ),
                            },
                            ("name", Some(s)) if !s.is_empty() => config.agency.name = Some(s),
                            ("deadline", Some(s)) => match parse_month_day(&s) {
                                Some(md) => config.agency.deadline = Some(md),
                                None => problems.error(
                                    value.span(),
                                    format!("[agency] deadline 应为 \"MM-DD\"（如 \"03-31\"）或 \"3月31日\"，实为 \"{s}\"；已忽略"),
                                    format!("[agency] deadline: expected \"MM-DD\" such as \"03-31\", got \"{s}\"; ignored"),
                                ),
                            },
                            ("kind" | "name" | "deadline", _) => problems.error(
                                value.span(),
                                format!("[agency] {name} 应为字符串；已忽略"),
                                format!("[agency] {name} must be a string; ignored"),
                            ),
                            (other, _) => problems.warning(
                                key.span(),
                                format!("[agency] 中未知的设置 {other}（可用：kind、name、deadline）；已忽略"),
                                format!("[agency]: unknown setting {other} (known: kind, name, deadline); ignored"),
                            ),
                        }
                    }
                }
                other => problems.error(
                    vspan,
                    format!("agency 应为表（[agency]），实为{}", type_name(other)),
                    "agency must be a table ([agency])".into(),
                ),
            },
            "language" => match value.get_ref() {
                DeValue::String(s) => match Lang::parse(s) {
                    Some(lang) => config.language = Some(lang),
                    None => problems.error(
                        vspan,
                        format!("language 应为 \"zh\" 或 \"en\"，实为 \"{s}\"；已忽略"),
                        format!("language: expected \"zh\" or \"en\", got \"{s}\"; ignored"),
                    ),
                },
                other => problems.error(
                    vspan,
                    format!("language 应为字符串，实为{}", type_name(other)),
                    "language must be a string".into(),
                ),
            },
            "include" | "exclude" => {
                let mut globs = Vec::new();
                match value.get_ref() {
                    DeValue::Array(items) => {
                        for item in items.iter() {
                            match item.get_ref() {
                                DeValue::String(s) => match Glob::new(s) {
                                    Ok(_) => globs.push(s.to_string()),
                                    Err(e) => problems.error(
                                        item.span(),
                                        format!("{k} 中的模式 \"{s}\" 无效：{}；已忽略", e.kind()),
                                        format!("{k}: invalid pattern \"{s}\": {}; ignored", e.kind()),
                                    ),
                                },
                                other => problems.error(
                                    item.span(),
                                    format!("{k} 的每一项应为字符串，实为{}", type_name(other)),
                                    format!("{k}: every item must be a string"),
                                ),
                            }
                        }
                    }
                    DeValue::String(s) => match Glob::new(s) {
                        Ok(_) => globs.push(s.to_string()),
                        Err(e) => problems.error(
                            vspan,
                            format!("{k} 中的模式 \"{s}\" 无效：{}；已忽略", e.kind()),
                            format!("{k}: invalid pattern \"{s}\": {}; ignored", e.kind()),
                        ),
                    },
                    other => problems.error(
                        vspan,
                        format!("{k} 应为字符串数组，实为{}", type_name(other)),
                        format!("{k} must be an array of strings"),
                    ),
                }
                if k == "include" {
                    config.include = globs;
                } else {
                    config.exclude = globs;
                }
            }
            other => problems.warning(
                kspan,
                format!("未知的设置 {other}（可用：language、include、exclude、[rules]、[agency]）；已忽略"),
                format!("unknown setting {other} (known: language, include, exclude, [rules], [agency]); ignored"),
            ),
        }
    }
    let mut problems = problems.0;
    problems.sort_by_key(|p| p.span);
    (config, problems)
}

/// `"03-31"`, `"3-31"`, `"3月31日"` → (3, 31).
fn parse_month_day(s: &str) -> Option<(u8, u8)> {
    let s = s.trim().trim_end_matches('日');
    let (m, d) = s.split_once(['-', '/', '月'])?;
    let m: u8 = m.trim().parse().ok()?;
    let d: u8 = d.trim().parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_configuration() {
        let text = "language = \"en\"\ninclude = [\"reports/**\"]\nexclude = [\"reports/old/**\"]\n\n[rules]\nNB206 = \"off\"\nrow-total = \"warning\"\n\n[agency]\nkind = \"人民政府\"\nname = \"某县人民政府\"\ndeadline = \"03-31\"\n";
        let (c, problems) = parse(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.language, Some(Lang::En));
        assert_eq!(
            c.rules,
            vec![("NB206", None), ("NB301", Some(Severity::Warning))]
        );
        assert_eq!(c.agency.kind, Some(AgencyKind::Government));
        assert_eq!(c.agency.name.as_deref(), Some("某县人民政府"));
        assert_eq!(c.agency.deadline, Some((3, 31)));
        let f = c.filter();
        assert!(f.includes("reports/2023.md"));
        assert!(!f.includes("reports/old/2019.md"));
        assert!(!f.includes("notes.md"));
    }

    #[test]
    fn problems_point_at_what_is_wrong_and_defaults_stay() {
        let text = "[rules]\nNB999 = \"off\"\nNB206 = \"loud\"\nNB104 = \"warning\"\n[agency]\nkind = \"公司\"\ncolour = 1\n";
        let (c, problems) = parse(text);
        assert_eq!(c.rules, vec![("NB104", Some(Severity::Warning))]);
        assert_eq!(c.agency.kind, None);
        let at: Vec<&str> = problems
            .iter()
            .map(|p| &text[p.span.start..p.span.end])
            .collect();
        assert_eq!(at, vec!["NB999", "\"loud\"", "\"公司\"", "colour"]);
        assert_eq!(problems[3].severity, Severity::Warning);

        let (c, problems) = parse("[rules\nNB206 = \"off\"");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].severity, Severity::Error);
        assert!(c.rules.is_empty());
    }

    #[test]
    fn default_filter_takes_markdown_and_text() {
        let f = Config::default().filter();
        assert!(f.includes("a/b.MD"));
        assert!(f.includes("c.txt"));
        assert!(!f.includes("c.toml"));
    }

    #[test]
    fn explicit_settings_win() {
        let (c, _) =
            parse("[rules]\nNB206 = \"off\"\nNB104 = \"error\"\n[agency]\nkind = \"乡镇\"\n");
        let mut explicit = Options::default();
        explicit
            .severity
            .insert("NB104".into(), Some(Severity::Info));
        let mut options = Options::default();
        c.apply_to(&mut options, &explicit);
        assert_eq!(options.severity.get("NB206"), Some(&None));
        assert_eq!(options.severity.get("NB104"), Some(&Some(Severity::Info)));
        assert_eq!(options.agency.kind, Some(AgencyKind::Township));
    }
}
