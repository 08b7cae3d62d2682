//! Numbers as prose writes them, in Arabic or Chinese numerals.

/// A Chinese numeral digit: `〇`/`零` (and what documents write for `〇` in dates: `○`, the
/// letter O) through `九`, `两` for 2.
pub fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' | 'О' | 'o' | 'O' | 'Ｏ' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A digit in any notation: ASCII, full-width or Chinese.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => chinese_digit(c),
    }
}

/// A count as prose writes it: `24`, `２４`, `1,234`, `二十四`, `两百`, `〇`.
pub fn parse_count(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let first = s.chars().next()?;
    if first.is_ascii_digit() || ('０'..='９').contains(&first) {
        let mut v: i64 = 0;
        for c in s.chars() {
            let d = match c {
                '0'..='9' => c as i64 - '0' as i64,
                '０'..='９' => c as i64 - '０' as i64,
                ',' => continue,
                _ => return None,
            };
            v = v.checked_mul(10)?.checked_add(d)?;
        }
        return Some(v);
    }
    let digit = |c: char| chinese_digit(c).map(i64::from);
    if !s.contains(['十', '百', '千', '万']) {
        // A run of digits: `一〇五`.
        let mut v = 0i64;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(digit(c)?)?;
        }
        return Some(v);
    }
    let (mut total, mut section, mut pending): (i64, i64, Option<i64>) = (0, 0, None);
    for c in s.chars() {
        match c {
            '十' => section = section.checked_add(pending.take().unwrap_or(1) * 10)?,
            '百' => section = section.checked_add(pending.take()? * 100)?,
            '千' => section = section.checked_add(pending.take()? * 1000)?,
            '万' => {
                let part = section.checked_add(pending.take().unwrap_or(0))?;
                total = total.checked_add(part.checked_mul(10_000)?)?;
                section = 0;
            }
            _ => {
                let d = digit(c)?;
                pending = Some(d);
            }
        }
    }
    total
        .checked_add(section)?
        .checked_add(pending.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_every_notation() {
        assert_eq!(parse_count("24"), Some(24));
        assert_eq!(parse_count("２４"), Some(24));
        assert_eq!(parse_count("1,234"), Some(1234));
        assert_eq!(parse_count("二十四"), Some(24));
        assert_eq!(parse_count("两百"), Some(200));
        assert_eq!(parse_count("十"), Some(10));
        assert_eq!(parse_count("二〇二四"), Some(2024));
        assert_eq!(parse_count("二○二四"), Some(2024));
        assert_eq!(parse_count("二Ｏ二四"), Some(2024));
        assert_eq!(digit_value('７'), Some(7));
        assert_eq!(digit_value('七'), Some(7));
        assert_eq!(digit_value('年'), None);
        assert_eq!(parse_count("一万零五"), Some(10005));
        assert_eq!(parse_count(""), None);
        assert_eq!(parse_count("二十四件"), None);
        assert_eq!(parse_count("两百零五"), Some(205));
        assert_eq!(parse_count("一千二百"), Some(1200));
        assert_eq!(parse_count("三万"), Some(30000));
        assert_eq!(parse_count("零"), Some(0));
        // Nonsense numerals do not panic.
        let _ = parse_count(&"九千九百九十九万".repeat(200_000));
        assert_eq!(parse_count(&"9".repeat(40)), None);
    }
}
