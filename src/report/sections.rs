//! Finding the six section headings, on their own lines or inline in flattened text.

use super::labels::{classify, LabelRef};
use crate::format::{self, SECTIONS};
use crate::syntax::normalize;
use crate::Span;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// A section heading found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionHeading {
    /// 1–6.
    pub number: u8,
    /// Line the heading is on.
    pub line: usize,
    /// The heading's text (numbering and title), trimmed.
    pub span: Span,
    /// The title part after the numbering (what NB104 replaces).
    pub title_span: Span,
    /// The title is the official wording.
    pub official: bool,
    /// The heading stands inline in a longer line (flattened text).
    pub inline: bool,
}

const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

fn numeral_value(c: char) -> Option<u8> {
    NUMERALS.iter().position(|&n| n == c).map(|i| i as u8 + 1)
}

/// How a heading candidate is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Numbering {
    None,
    /// `一、`
    Plain(u8),
    /// `（一）`
    Parenthesized(u8),
}

/// Split `s` (a trimmed line) into numbering and the byte offset where the title starts.
fn split_numbering(s: &str) -> (Numbering, usize) {
    let mut it = s.char_indices().peekable();
    let mut at = 0;
    // Markdown heading marks and bold.
    while let Some(&(i, c)) = it.peek() {
        if c == '#' || c == '*' || c.is_whitespace() {
            it.next();
            at = i + c.len_utf8();
        } else {
            break;
        }
    }
    let rest = &s[at..];
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, '（' | '(')) => {
            if let (Some((_, n)), Some((j, close @ (')' | '）')))) = (chars.next(), chars.next()) {
                if let Some(v) = numeral_value(n) {
                    let after = &rest[j + close.len_utf8()..];
                    return (
                        Numbering::Parenthesized(v),
                        at + j + close.len_utf8() + after.len() - after.trim_start().len(),
                    );
                }
            }
            (Numbering::None, at)
        }
        Some((_, n)) => {
            if let Some(v) = numeral_value(n) {
                if let Some((j, sep)) = chars.next() {
                    if matches!(sep, '、' | '.' | '．' | '，' | ',' | ' ' | '\u{3000}') {
                        let after = &rest[j + sep.len_utf8()..];
                        let skip = after.len() - after.trim_start().len();
                        return (Numbering::Plain(v), at + j + sep.len_utf8() + skip);
                    }
                }
            }
            (Numbering::None, at)
        }
        None => (Numbering::None, at),
    }
}

/// Normalised official titles and variants: title → (section, official).
fn titles() -> &'static HashMap<String, (u8, bool)> {
    static T: OnceLock<HashMap<String, (u8, bool)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::default();
        for spec in SECTIONS.iter() {
            m.insert(normalize(spec.title), (spec.number, true));
            for v in spec.variants {
                m.entry(normalize(v)).or_insert((spec.number, false));
            }
        }
        m
    })
}

/// The first characters of the titles: a line starting with anything else is no unnumbered heading.
fn title_initials() -> &'static Vec<char> {
    static T: OnceLock<Vec<char>> = OnceLock::new();
    T.get_or_init(|| {
        let mut v: Vec<char> = titles().keys().filter_map(|t| t.chars().next()).collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Recognise a whole (trimmed) line as a section heading: returns the section number, the byte
/// offset of the title within `s`, and whether the title is the official wording.
pub fn heading(s: &str) -> Option<(u8, usize, bool)> {
    if s.len() > 48 * 4 {
        return None;
    }
    // Headings start with their numbering, a Markdown mark or a title's first character.
    let first = s
        .chars()
        .find(|c| !matches!(c, '#' | '*' | ' ' | '\u{3000}' | '\t'))?;
    if !matches!(first, '一'..='龥') && !matches!(first, '（' | '(') {
        return None;
    }
    if !NUMERALS.contains(&first)
        && !matches!(first, '（' | '(')
        && !title_initials().contains(&first)
    {
        return None;
    }
    let (numbering, title_at) = split_numbering(s);
    let title = s[title_at..].trim_end_matches(['*', '#', ' ', '：', ':', '。']);
    if numbering == Numbering::None && title.chars().count() > 30 {
        return None;
    }
    if s.chars().count() > 48 {
        return None;
    }
    let t = normalize(title);
    if t.is_empty() {
        return None;
    }
    if let Some(&(number, official)) = titles().get(&t) {
        let ok = match numbering {
            Numbering::None | Numbering::Plain(_) => true,
            Numbering::Parenthesized(n) => n == number,
        };
        return ok.then_some((number, title_at, official));
    }
    // Fuzzy: a short numbered heading with the section's number and one of its keywords.
    let n = match numbering {
        Numbering::Plain(n) => n,
        _ => return None,
    };
    let spec = format::section(n);
    if t.chars().count() > 30 || t.contains('。') || !spec.keywords.iter().any(|k| t.contains(k)) {
        return None;
    }
    // Table 三's rows 一、…四、 look exactly like headings.
    if let Some(hit) = classify(s) {
        if matches!(
            hit.what,
            LabelRef::AppRow(_) | LabelRef::AppGroup | LabelRef::AppOther
        ) {
            return None;
        }
    }
    Some((n, title_at, false))
}

/// A cheap test before [`inline_headings`]: flattened text holds the tables' section titles.
pub fn may_be_flattened(line: &str) -> bool {
    [
        "二、主动公开",
        "三、收到和处理",
        "四、政府信息公开行政",
        "四、因政府信息公开",
    ]
    .iter()
    .filter(|p| line.contains(*p))
    .count()
        >= 2
}

/// Inline headings in a flattened line: `一、总体情况` … run together with the text around them.
/// Only the official titles and their variants count, each with its own numeral.
pub fn inline_headings(line: &str, line_start: usize, line_no: usize) -> Vec<SectionHeading> {
    let mut found: Vec<SectionHeading> = Vec::new();
    // Every `、` preceded by a section numeral and followed by one of that section's titles.
    for (at, _) in line.match_indices('、') {
        let Some(numeral) = line[..at].chars().next_back() else {
            continue;
        };
        let Some(number) = numeral_value(numeral) else {
            continue;
        };
        if found.iter().any(|h| h.number == number) {
            continue; // The earliest occurrence counts.
        }
        let spec = format::section(number);
        let rest = &line[at + '、'.len_utf8()..];
        let best = std::iter::once((spec.title, true))
            .chain(spec.variants.iter().map(|v| (*v, false)))
            .filter(|(t, _)| rest.starts_with(t))
            .max_by_key(|(t, _)| t.len());
        if let Some((title, official)) = best {
            let start = line_start + at - numeral.len_utf8();
            let title_start = line_start + at + '、'.len_utf8();
            found.push(SectionHeading {
                number,
                line: line_no,
                span: Span::new(start, title_start + title.len()),
                title_span: Span::new(title_start, title_start + title.len()),
                official,
                inline: true,
            });
        }
    }
    found.sort_by_key(|h| h.span.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_headings_and_not_table_rows() {
        assert_eq!(heading("一、总体情况").map(|h| (h.0, h.2)), Some((1, true)));
        assert_eq!(
            heading("## 二、主动公开政府信息情况").map(|h| (h.0, h.2)),
            Some((2, true))
        );
        assert_eq!(
            heading("五、存在的主要问题及改进措施").map(|h| (h.0, h.2)),
            Some((5, false))
        );
        assert_eq!(
            heading("四、因政府信息公开工作被申请行政复议和提起行政诉讼情况").map(|h| (h.0, h.2)),
            Some((4, false))
        );
        assert_eq!(
            heading("六、其他需要报告的事项").map(|h| h.1),
            Some("六、".len())
        );
        assert_eq!(heading("三、本年度办理结果"), None);
        assert_eq!(heading("一、本年新收政府信息公开申请数量"), None);
        assert_eq!(heading("四、结转下年度继续办理"), None);
        // A sub-heading of 总体情况 that repeats section 二's title.
        assert_eq!(heading("(一)主动公开政府信息情况"), None);
        assert_eq!(heading("（一）主动公开"), None);
        assert_eq!(
            heading("一是加强宣传教育，进一步提高机关干部职工对做好政务信息公开工作的认识。"),
            None
        );
    }

    #[test]
    fn finds_inline_headings() {
        let line = "前言。一、总体情况正文二、主动公开政府信息情况第二十条三、本年度办理结果";
        let hs = inline_headings(line, 0, 0);
        assert_eq!(hs.iter().map(|h| h.number).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(&line[hs[0].span.start..hs[0].span.end], "一、总体情况");
    }
}
