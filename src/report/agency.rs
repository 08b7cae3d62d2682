//! Who wrote a report and when: the agency's name and kind (from the title or the signature),
//! the signature date (落款日期) and a web page's publication stamp (`时间:2021-02-05`).
//! Consistency rules (NB404, NB407) need them; nothing here fails, it only finds or not.

use super::{floor_boundary, re, Report};
use crate::{AgencyKind, Span};
use regex::Regex;
use std::sync::OnceLock;

/// A calendar date as written in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn zh(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date and where it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatedSpan {
    pub date: Date,
    pub span: Span,
}

/// How agency names end: what makes a line or a title prefix a name.
const ENDINGS: &[&str] = &[
    "局", "府", "委", "室", "厅", "会", "处", "院", "部", "镇", "乡", "街道", "中心", "所", "站",
    "队", "分局", "办",
];

/// The kind of agency a name names: `某镇人民政府`, `某街道办事处` are 乡镇; `某县人民政府` is a
/// 人民政府; `某市生态环境局`, `某县人民政府办公室` are departments. `None` when the name does
/// not look like an agency.
pub fn kind_of(name: &str) -> Option<AgencyKind> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if name.ends_with("街道办事处") || name.ends_with("街道") {
        return Some(AgencyKind::Township);
    }
    if let Some(before) = name.strip_suffix("人民政府") {
        if before.ends_with('乡') || before.ends_with('镇') || before.ends_with("街道") {
            return Some(AgencyKind::Township);
        }
        return Some(AgencyKind::Government);
    }
    if name.ends_with('乡') || name.ends_with('镇') {
        return Some(AgencyKind::Township);
    }
    ENDINGS
        .iter()
        .any(|e| name.ends_with(e))
        .then_some(AgencyKind::Department)
}

/// `二〇二四` → 2024; `十`, `十二`, `二十一` → 10, 12, 21 (months and days).
fn chinese_date_part(s: &str) -> Option<u32> {
    crate::syntax::numerals::parse_count(s).and_then(|v| u32::try_from(v).ok())
}

fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    ((1990..2200).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
}

/// Every full date (`2024年1月10日`, `二〇二四年一月十日`) in `text`, offsets shifted by `base`.
fn dates_in(text: &str, base: usize) -> Vec<DatedSpan> {
    static ARABIC: OnceLock<Regex> = OnceLock::new();
    static CHINESE: OnceLock<Regex> = OnceLock::new();
    let arabic = re(
        &ARABIC,
        r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日",
    );
    let chinese = re(
        &CHINESE,
        r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日",
    );
    let mut out = Vec::new();
    for cap in arabic.captures_iter(text) {
        let whole = cap.get(0).expect("match");
        let parse = |i: usize| cap[i].parse::<u32>().ok();
        if let (Some(y), Some(m), Some(d)) = (parse(1), parse(2), parse(3)) {
            if let Some(date) = date(y, m, d) {
                out.push(DatedSpan {
                    date,
                    span: Span::new(base + whole.start(), base + whole.end()),
                });
            }
        }
    }
    for cap in chinese.captures_iter(text) {
        let whole = cap.get(0).expect("match");
        let parts = (
            chinese_date_part(&cap[1]),
            chinese_date_part(&cap[2]),
            chinese_date_part(&cap[3]),
        );
        if let (Some(y), Some(m), Some(d)) = parts {
            if let Some(date) = date(y, m, d) {
                out.push(DatedSpan {
                    date,
                    span: Span::new(base + whole.start(), base + whole.end()),
                });
            }
        }
    }
    out.sort_by_key(|d| d.span);
    out
}

impl Report<'_> {
    /// The date of the signature (落款) at the end of the report.
    pub fn signature_date(&self) -> Option<DatedSpan> {
        let start = self.signature?;
        let tail = &self.text[start..];
        // The signature is a name and a date: a long tail is not one.
        if tail.chars().count() > 80 {
            return None;
        }
        dates_in(tail, start).into_iter().last()
    }

    /// The agency named in the title (`大同市生态环境局2023年政府信息公开工作年度报告`), else in
    /// the signature.
    pub fn agency_name(&self) -> Option<String> {
        self.agency
            .get_or_init(|| self.title_agency().or_else(|| self.signature_agency()))
            .clone()
    }

    fn title_agency(&self) -> Option<String> {
        let head = &self.text[..floor_boundary(self.text, 1500)];
        let squeezed: String = head.chars().filter(|c| !c.is_whitespace()).collect();
        for phrase in ["政府信息公开工作年度报告", "政府信息公开年度报告"] {
            for (at, _) in squeezed.match_indices(phrase) {
                let before = &squeezed[..at];
                let clause = before
                    .rsplit([
                        '。', '，', '；', '《', '“', '（', '(', '>', '〈', '】', '#', '*',
                    ])
                    .next()
                    .unwrap_or(before);
                if clause.contains("关于") || clause.contains("格式") {
                    continue;
                }
                let name = strip_year(clause);
                if name.chars().count() >= 2
                    && name.chars().count() <= 40
                    && kind_of(&name).is_some()
                {
                    return Some(name);
                }
            }
        }
        None
    }

    fn signature_agency(&self) -> Option<String> {
        let start = self.signature?;
        let tail = &self.text[start..];
        let first = tail.lines().map(str::trim).find(|l| !l.is_empty())?;
        let name: String = first.chars().filter(|c| !c.is_whitespace()).collect();
        (!name.starts_with(|c: char| c.is_ascii_digit()) && kind_of(&name).is_some())
            .then_some(name)
    }

    /// The kind of agency, from its name.
    pub fn agency_kind(&self) -> Option<AgencyKind> {
        self.agency_name().as_deref().and_then(kind_of)
    }

    /// A web page's publication stamp near the top or bottom: `时间:2021-02-05`,
    /// `发布时间：2024年2月1日`, `发布日期：2024/02/01`.
    pub fn publication_stamp(&self) -> Option<DatedSpan> {
        static STAMP: OnceLock<Regex> = OnceLock::new();
        let stamp = re(
            &STAMP,
            r"(?:发布时间|发布日期|发文日期|成文日期|时间|日期)\s*[:：]\s*((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})",
        );
        let head_end = floor_boundary(self.text, 600);
        let tail_start =
            floor_boundary(self.text, self.text.len().saturating_sub(600)).max(head_end);
        for (base, part) in [
            (0, &self.text[..head_end]),
            (tail_start, &self.text[tail_start..]),
        ] {
            if let Some(cap) = stamp.captures(part) {
                let whole = cap.get(0).expect("match");
                let parse = |i: usize| cap[i].parse::<u32>().ok();
                if let (Some(y), Some(m), Some(d)) = (parse(1), parse(2), parse(3)) {
                    if let Some(date) = date(y, m, d) {
                        return Some(DatedSpan {
                            date,
                            span: Span::new(base + whole.start(), base + whole.end()),
                        });
                    }
                }
            }
        }
        None
    }
}

/// `大同市生态环境局2023年` → `大同市生态环境局`; `2023年度某局` → `某局`.
fn strip_year(clause: &str) -> String {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let year = re(
        &YEAR,
        r"(?:19|20)\d\d年度?|[〇零一二三四五六七八九]{4}年度?",
    );
    let s = year.replace_all(clause, "");
    s.trim_matches(|c: char| c.is_whitespace() || c == '#' || c == '*' || c == '：' || c == ':')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_agencies() {
        assert_eq!(kind_of("大同市生态环境局"), Some(AgencyKind::Department));
        assert_eq!(kind_of("某县人民政府办公室"), Some(AgencyKind::Department));
        assert_eq!(kind_of("某县人民政府"), Some(AgencyKind::Government));
        assert_eq!(kind_of("某某镇人民政府"), Some(AgencyKind::Township));
        assert_eq!(kind_of("某街道办事处"), Some(AgencyKind::Township));
        assert_eq!(
            kind_of("楚雄州生态环境局禄丰分局"),
            Some(AgencyKind::Department)
        );
        assert_eq!(kind_of("无"), None);
    }

    #[test]
    fn dates_both_ways() {
        let d = dates_in("某局\n二〇二四年一月十日", 0);
        assert_eq!(
            d[0].date,
            Date {
                year: 2024,
                month: 1,
                day: 10
            }
        );
        let d = dates_in("2024 年 2 月 15 日", 0);
        assert_eq!(
            d[0].date,
            Date {
                year: 2024,
                month: 2,
                day: 15
            }
        );
        assert_eq!(chinese_date_part("二十一"), Some(21));
        assert_eq!(chinese_date_part("十"), Some(10));
    }

    #[test]
    fn title_year_stripped() {
        assert_eq!(strip_year("大同市生态环境局2023年"), "大同市生态环境局");
        assert_eq!(strip_year("2023年度某市生态环境局"), "某市生态环境局");
    }
}
