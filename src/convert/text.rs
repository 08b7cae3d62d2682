//! Plain text: bytes decoded into a string, whatever encoding a report was saved in.
//!
//! A byte order mark (UTF-8, UTF-16LE/BE) decides; else valid UTF-8 is UTF-8; else UTF-16
//! without a mark when the zero bytes say so; else GB18030 (a superset of GBK) or Big5, in the
//! order `chardetng` finds likelier.

use encoding_rs::{Encoding, BIG5, GB18030, UTF_16BE, UTF_16LE};

use super::ConvertError;

/// Bytes → text. A byte order mark (UTF-8, UTF-16LE/BE) decides; else valid UTF-8 is UTF-8;
/// else UTF-16 without a mark when the zero bytes say so; else GB18030 (a superset of GBK) or
/// Big5, in the order `chardetng` finds likelier. Bytes valid in none of these are an error.
pub fn decode(bytes: Vec<u8>) -> Result<String, ConvertError> {
    let mut text = decode_inner(bytes)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

fn decode_inner(bytes: Vec<u8>) -> Result<String, ConvertError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        return strict(encoding, &bytes[bom_len..]).ok_or(ConvertError::Malformed(encoding.name()));
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e.into_bytes(),
    };
    if let Some(encoding) = utf16_without_bom(&bytes) {
        if let Some(text) = strict(encoding, &bytes) {
            return Ok(text);
        }
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(&bytes, true);
    let order = if detector.guess(None, false) == BIG5 {
        [BIG5, GB18030]
    } else {
        [GB18030, BIG5]
    };
    // Big5 bytes are mostly valid GB18030 too, decoding to private-use characters: a decoding
    // without them is the better one.
    let mut fallback = None;
    for encoding in order {
        if let Some(text) = strict(encoding, &bytes) {
            if !text.chars().any(|c| ('\u{e000}'..='\u{f8ff}').contains(&c)) {
                return Ok(text);
            }
            fallback.get_or_insert(text);
        }
    }
    fallback.ok_or(ConvertError::NotText)
}

/// Decode without replacement characters: `None` when any byte sequence is malformed.
pub(super) fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
}

/// UTF-16 text without a byte order mark has a zero byte in most ASCII characters, all on the
/// same side of each pair.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let pairs = bytes.len() / 2;
    // ASCII (digits, tabs, line breaks: plenty in a report's tables) leaves zeros on one side;
    // CJK characters only rarely (U+4E00 一 is 00 4E in UTF-16LE).
    if odd * 8 >= pairs && even * 4 <= odd {
        Some(UTF_16LE)
    } else if even * 8 >= pairs && odd * 4 <= even {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "二〇二三年政府信息公开工作年度报告\n一、总体情况\n（七）总计\t1\n";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(SAMPLE.as_bytes().to_vec()).unwrap(), SAMPLE);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        assert_eq!(decode(bom).unwrap(), SAMPLE);
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in SAMPLE.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(le.clone()).unwrap(), SAMPLE);
        assert_eq!(decode(be.clone()).unwrap(), SAMPLE);
        let ascii = "2023 report\n(7) total 1\n";
        let bare: Vec<u8> = ascii.encode_utf16().flat_map(u16::to_le_bytes).collect();
        // Valid UTF-8 (with NULs) wins; CJK text without BOM is caught by the zero bytes.
        assert!(decode(bare).is_ok());
        let table = "（七）总计\t1\t0\t0\t0\t0\t0\t1\n".repeat(5);
        let bare_le: Vec<u8> = table.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(bare_le).unwrap(), table);
        let bare_be: Vec<u8> = table.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(bare_be).unwrap(), table);
        // A truncated surrogate after a BOM is malformed.
        assert!(matches!(
            decode(vec![0xFF, 0xFE, 0x3D, 0xD8]),
            Err(ConvertError::Malformed(_))
        ));
    }

    #[test]
    fn gbk_and_gb18030() {
        let (gbk, _, _) = encoding_rs::GBK.encode(SAMPLE);
        assert_eq!(decode(gbk.into_owned()).unwrap(), SAMPLE);
        let (gb, _, _) = GB18030.encode("𠀀表");
        assert_eq!(decode(gb.into_owned()).unwrap(), "𠀀表");
    }

    #[test]
    fn big5() {
        let text = "政府資訊公開年度報告，總計一件。".repeat(4);
        let (b5, _, _) = BIG5.encode(&text);
        assert_eq!(decode(b5.into_owned()).unwrap(), text);
    }

    #[test]
    fn garbage_is_not_text() {
        let garbage = vec![0x80, 0xFF, 0xFE, 0x80, 0xFF, 0xFF, 0x80, 0xFE];
        assert!(matches!(decode(garbage), Err(ConvertError::NotText)));
        assert!(decode(Vec::new()).unwrap().is_empty());
    }
}
