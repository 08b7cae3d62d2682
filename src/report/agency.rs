//! Who wrote a report and when: the agency's name and kind (from the title or the signature),
//! the signature date (落款日期) and a web page's publication stamp (`时间:2021-02-05`).
//! Consistency rules (NB404, NB407) need them; nothing here fails, it only finds or not.

use super::{floor_boundary, re, re_formatted, Report};
use crate::syntax::numerals::{digit_value, parse_count};
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

/// A digit of a date: ASCII, full-width, or a Chinese numeral with the zeros documents write
/// for `〇` (`○`, `零`, the letter O).
const DIGIT: &str = "[0-9０-９〇零○ОOoＯ一二三四五六七八九]";
/// A month or a day: one or two Arabic digits, or a Chinese number up to 三十一.
const SMALL: &str = "[0-9０-９]{1,2}|[〇零○一二三四五六七八九十]{1,3}";
/// The separators of a numeric date: `2024-01-10`, `2024.1.10`, `2024/1/10`.
const SEP: &str = r"\s*[-./－．／]\s*";

/// `2024`, `二〇二四`, `二○二四`, `２０２４` → 2024; `1`, `01`, `十`, `十二`, `二十一` → 1, 1, 10,
/// 12, 21 (months and days).
fn date_part(s: &str) -> Option<u32> {
    parse_count(s).and_then(|v| u32::try_from(v).ok())
}

fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    ((1990..2200).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
}

/// `年 月 日` dates in any notation (`2024年1月10日`, `二〇二四年一月十日`), and numeric ones
/// (`2024-01-10`, `2024.1.10`, `2024/1/10`); groups 1–3 or 4–6 are the year, month and day.
fn date_pattern() -> String {
    format!(
        r"({DIGIT}{{4}})\s*年\s*({SMALL})\s*月\s*({SMALL})\s*日|((?:19|20|１９|２０)[0-9０-９]{{2}}){SEP}([0-9０-９]{{1,2}}){SEP}([0-9０-９]{{1,2}})"
    )
}

/// Every full date (`2024年1月10日`, `二〇二四年一月十日`, `2024-01-10`, `2024.1.10`) in
/// `text`, offsets shifted by `base`. A numeric date inside a longer run of digits is none.
fn dates_in(text: &str, base: usize) -> Vec<DatedSpan> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let pattern = re_formatted(&DATE, date_pattern);
    let is_digit = |c: Option<char>| c.is_some_and(|c| digit_value(c).is_some());
    let mut out = Vec::new();
    for cap in pattern.captures_iter(text) {
        let whole = cap.get(0).expect("match");
        let first = if cap.get(1).is_some() { 1 } else { 4 };
        if first == 4
            && (is_digit(text[..whole.start()].chars().next_back())
                || is_digit(text[whole.end()..].chars().next()))
        {
            continue;
        }
        let part = |i: usize| date_part(&cap[first + i]);
        if let (Some(y), Some(m), Some(d)) = (part(0), part(1), part(2)) {
            if let Some(date) = date(y, m, d) {
                out.push(DatedSpan {
                    date,
                    span: Span::new(base + whole.start(), base + whole.end()),
                });
            }
        }
    }
    out
}

/// Whether a line is a signature's date and nothing else: `2024年1月10日`, `二〇二四年一月十日`,
/// `2024-01-10`, `2024.1.10`, or a month alone (`2024年1月`), perhaps in brackets.
pub(super) fn is_date_line(line: &str) -> bool {
    static MONTH: OnceLock<Regex> = OnceLock::new();
    let line = line.trim();
    let inner = line.strip_prefix(['（', '(']).unwrap_or(line);
    let inner = inner.strip_suffix(['）', ')']).unwrap_or(inner).trim();
    // A date is a few characters (`二〇二三年十二月三十一日` is twelve): a long line is none.
    if inner.len() > 64 {
        return false;
    }
    let month = re_formatted(&MONTH, || {
        format!(r"^{DIGIT}{{4}}\s*年\s*(?:{SMALL})\s*月$")
    });
    if month.is_match(inner) {
        return true;
    }
    match dates_in(inner, 0).as_slice() {
        [only] => only.span.start == 0 && only.span.end == inner.len(),
        _ => false,
    }
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
        let squeezed = &self.head[..self.title_head_len];
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
        assert_eq!(date_part("二十一"), Some(21));
        assert_eq!(date_part("十"), Some(10));
    }

    #[test]
    fn dates_in_every_notation() {
        let feb15 = Date {
            year: 2023,
            month: 2,
            day: 15,
        };
        for written in [
            "二〇二三年二月十五日",
            "二○二三年二月十五日",
            "二零二三年二月十五日",
            "二O二三年二月十五日",
            "２０２３年２月１５日",
            "2023-02-15",
            "2023.2.15",
            "2023/2/15",
            "2023 - 02 - 15",
        ] {
            let text = format!("某局\n{written}");
            let d = dates_in(&text, 10);
            assert_eq!(d.len(), 1, "{written}: {d:?}");
            assert_eq!(d[0].date, feb15, "{written}");
            assert_eq!(&text[d[0].span.start - 10..d[0].span.end - 10], written);
            assert!(is_date_line(written), "{written}");
            assert!(is_date_line(&format!("（{written}）")), "{written}");
        }
        assert_eq!(dates_in("二〇二三年十二月三十一日", 0)[0].date.day, 31);
        // Not dates: a longer number, an impossible month, prose around a date.
        assert!(dates_in("12023-02-15", 0).is_empty());
        assert!(dates_in("2023-02-155", 0).is_empty());
        assert!(dates_in("2023-13-01", 0).is_empty());
        assert!(is_date_line("2023年1月"));
        assert!(!is_date_line("于2023年1月16日发布"));
        assert!(!is_date_line("2023年1月16日至2023年2月1日"));
    }

    #[test]
    fn title_year_stripped() {
        assert_eq!(strip_year("大同市生态环境局2023年"), "大同市生态环境局");
        assert_eq!(strip_year("2023年度某市生态环境局"), "某市生态环境局");
    }
}
