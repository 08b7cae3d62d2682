//! Normalisation of labels and the grammar of numeric cells.
//!
//! Real reports write the same label with full- or half-width punctuation, stray spaces
//! (`结果 维持`), curly or straight quotes and `1.`/`1、`/`1．` numbering; [`normalize`] maps all of
//! them to one form so that labels compare by content.

/// Canonical form of a label: no whitespace, no quotes, ASCII digits and letters, full-width
/// brackets and colons, `N.` numbering.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into a buffer the caller owns.
pub fn normalize_into(s: &str, out: &mut String) {
    let mut prev_digit = false;
    // Most characters (ideographs) stay as they are: runs of them are copied whole.
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let m = normalize_char(c, prev_digit);
        if m == Some(c) {
            prev_digit = c.is_ascii_digit();
            continue;
        }
        out.push_str(&s[run..i]);
        run = i + c.len_utf8();
        if let Some(m) = m {
            prev_digit = m.is_ascii_digit();
            out.push(m);
        }
    }
    out.push_str(&s[run..]);
}

/// One character of [`normalize`]: `None` for what the canonical form drops. `prev_digit`
/// tells whether the previous kept character was a digit (`1、` is numbering, `1.`).
pub fn normalize_char(c: char, prev_digit: bool) -> Option<char> {
    // Most characters of a label are CJK ideographs, kept as they are.
    if ('\u{4e00}'..='\u{9fff}').contains(&c) {
        return Some(c);
    }
    let c = match c {
        // Full-width ASCII variants to ASCII.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    match c {
        c if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' => None,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '*' | '`' => None,
        '(' => Some('（'),
        ')' => Some('）'),
        ':' => Some('：'),
        ',' => Some('，'),
        ';' => Some('；'),
        '、' | '．' | '.' if prev_digit => Some('.'),
        '〔' | '[' | '【' => Some('〔'),
        '〕' | ']' | '】' => Some('〕'),
        c => Some(c),
    }
}

/// What a cell holds, read by the grammar real reports use.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// Nothing but whitespace.
    Blank,
    /// An integer (a count, or a signed change).
    Int(i64),
    /// An amount of money (decimals and units allowed); not summed.
    Money(f64),
    /// `-`, `—`, `/`, `无`: a written zero-like mark, read as 0.
    ZeroMark,
    /// Anything else: text, a negative count, a fraction where a count belongs.
    Invalid(InvalidReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvalidReason {
    Text,
    Negative,
    Fraction,
}

impl CellValue {
    /// The value used in sums: blanks and marks count as 0, invalid cells as nothing.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            CellValue::Int(v) => Some(*v),
            CellValue::Blank | CellValue::ZeroMark => Some(0),
            _ => None,
        }
    }
    pub fn is_blank(&self) -> bool {
        matches!(self, CellValue::Blank)
    }
}

/// Strip a trailing parenthetical note: `减11(划至市行政审批管理局)` → `减11`.
fn strip_note(s: &str) -> &str {
    let t = s.trim();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if t.ends_with(close) {
            if let Some(i) = t.find(open) {
                if i > 0 {
                    return t[..i].trim_end();
                }
            }
        }
    }
    t
}

/// ASCII digits for full-width ones, no thousands separators, no spaces.
fn ascii_number(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '０'..='９' => out.push(char::from_u32(c as u32 - 0xfee0).unwrap_or(c)),
            '．' => out.push('.'),
            '＋' => out.push('+'),
            '－' | '−' => out.push('-'),
            ',' | '，' | ' ' | '\u{3000}' | '\u{a0}' => {}
            c => out.push(c),
        }
    }
    out
}

const COUNT_UNITS: &[&str] = &["件", "条", "个", "项", "次", "宗", "人次", "篇"];
const MONEY_UNITS: &[&str] = &["万元", "元", "亿元"];

/// Whether a cell text is a number-like value at all (used to tell values from labels): a
/// signed or unsigned number, optionally followed by a unit and a parenthetical note.
pub fn looks_numeric(s: &str) -> bool {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    // A number starts with a sign, a digit or a separator: a label (an ideograph, a bracket)
    // is none, whatever follows it.
    let starts_number = s.trim_start().chars().next().is_some_and(|c| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || matches!(
                c,
                '+' | '-' | '＋' | '－' | '增' | '减' | '.' | '．' | ',' | '，'
            )
    });
    if !starts_number {
        return false;
    }
    let t = strip_note(s);
    let t = t
        .trim_start_matches(['+', '-', '＋', '－', '增', '减'])
        .trim();
    let mut digits = 0;
    let mut rest = "";
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            digits += 1;
        } else if !matches!(c, '.' | '．' | ',' | '，' | ' ') {
            rest = &t[i..];
            break;
        }
    }
    digits > 0
        && (rest.is_empty()
            || COUNT_UNITS
                .iter()
                .chain(MONEY_UNITS)
                .any(|u| rest.trim() == *u))
}

/// Whether a cell is a zero-like mark.
pub fn is_zero_mark(s: &str) -> bool {
    matches!(
        s.trim(),
        "-" | "—" | "——" | "－" | "/" | "／" | "无" | "–" | "--" | "—-"
    )
}

/// Read a cell of the given kind.
pub fn parse_cell(raw: &str, kind: crate::format::CellKind) -> CellValue {
    use crate::format::CellKind;
    let t = raw.trim();
    if t.is_empty() {
        return CellValue::Blank;
    }
    // The common case: plain ASCII digits.
    if t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(v) = t.parse::<i64>() {
            return if kind == CellKind::Money {
                CellValue::Money(v as f64)
            } else {
                CellValue::Int(v)
            };
        }
    }
    if is_zero_mark(t) {
        return CellValue::ZeroMark;
    }
    let t = ascii_number(strip_note(t));
    let mut s = t.as_str();
    match kind {
        CellKind::Money => {
            for u in MONEY_UNITS {
                if let Some(x) = s.strip_suffix(u) {
                    s = x;
                    break;
                }
            }
            match s.parse::<f64>() {
                Ok(v) if v >= 0.0 && v.is_finite() => CellValue::Money(v),
                Ok(_) => CellValue::Invalid(InvalidReason::Negative),
                Err(_) => CellValue::Invalid(InvalidReason::Text),
            }
        }
        CellKind::Count | CellKind::Signed => {
            for u in COUNT_UNITS {
                if let Some(x) = s.strip_suffix(u) {
                    s = x;
                    break;
                }
            }
            let mut sign = 1i64;
            let mut signed = false;
            if let Some(x) = s.strip_prefix('+').or_else(|| s.strip_prefix('增')) {
                s = x;
                signed = true;
            } else if let Some(x) = s.strip_prefix('-').or_else(|| s.strip_prefix('减')) {
                s = x;
                sign = -1;
                signed = true;
            }
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                return CellValue::Invalid(InvalidReason::Text);
            }
            if s.contains('.') {
                // `12.0` is still a whole number; `1.5` applications is not.
                match s.parse::<f64>() {
                    Ok(v) if v.fract() == 0.0 && v < 1e15 => {
                        let v = v as i64 * sign;
                        return finish_int(v, signed, kind);
                    }
                    Ok(_) => return CellValue::Invalid(InvalidReason::Fraction),
                    Err(_) => return CellValue::Invalid(InvalidReason::Text),
                }
            }
            match s.parse::<i64>() {
                Ok(v) => finish_int(v * sign, signed, kind),
                Err(_) => CellValue::Invalid(InvalidReason::Text),
            }
        }
    }
}

fn finish_int(v: i64, signed: bool, kind: crate::format::CellKind) -> CellValue {
    use crate::format::CellKind;
    match kind {
        CellKind::Count if v < 0 => CellValue::Invalid(InvalidReason::Negative),
        CellKind::Count if signed && v > 0 => CellValue::Int(v),
        _ => CellValue::Int(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::CellKind::*;

    #[test]
    fn normalizes_label_spellings() {
        assert_eq!(normalize("(一) 予以公开"), "（一）予以公开");
        assert_eq!(normalize("3. 危及\"三安全一稳定\""), "3.危及三安全一稳定");
        assert_eq!(normalize("3、危及“三安全一稳定”"), "3.危及三安全一稳定");
        assert_eq!(normalize("结果 维持"), "结果维持");
        assert_eq!(normalize("规    章"), "规章");
        assert_eq!(normalize("１．属于国家秘密"), "1.属于国家秘密");
        assert_eq!(
            normalize("本年收费金额(单位:万元)"),
            "本年收费金额（单位：万元）"
        );
    }

    #[test]
    fn reads_the_cell_grammar_of_real_reports() {
        assert_eq!(parse_cell("12", Count), CellValue::Int(12));
        assert_eq!(parse_cell("1,234", Count), CellValue::Int(1234));
        assert_eq!(parse_cell("１２", Count), CellValue::Int(12));
        assert_eq!(parse_cell("", Count), CellValue::Blank);
        assert_eq!(parse_cell("—", Count), CellValue::ZeroMark);
        assert_eq!(parse_cell("无", Count), CellValue::ZeroMark);
        assert_eq!(parse_cell("3件", Count), CellValue::Int(3));
        assert_eq!(parse_cell("4（含转办1件）", Count), CellValue::Int(4));
        assert_eq!(parse_cell("增16", Signed), CellValue::Int(16));
        assert_eq!(parse_cell("减2", Signed), CellValue::Int(-2));
        assert_eq!(
            parse_cell("减11(划至市行政审批管理局)", Signed),
            CellValue::Int(-11)
        );
        assert_eq!(parse_cell("-3", Signed), CellValue::Int(-3));
        assert_eq!(
            parse_cell("2192.315913万元", Money),
            CellValue::Money(2192.315913)
        );
        assert_eq!(parse_cell("251000元", Money), CellValue::Money(251000.0));
        assert_eq!(
            parse_cell("-3", Count),
            CellValue::Invalid(InvalidReason::Negative)
        );
        assert_eq!(
            parse_cell("1.5", Count),
            CellValue::Invalid(InvalidReason::Fraction)
        );
        assert_eq!(
            parse_cell("不详", Count),
            CellValue::Invalid(InvalidReason::Text)
        );
        assert!(looks_numeric("减11(划至市行政审批管理局)"));
        assert!(looks_numeric("2192.315913万元"));
        assert!(!looks_numeric("行政许可"));
        assert!(!looks_numeric("第二十条第（五）项"));
        assert!(!looks_numeric("8.属于行政查询事项"));
        assert!(looks_numeric("3 件"));
    }
}
