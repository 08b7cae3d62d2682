//! The rule registry: every rule nianbao knows, as data.
//!
//! Codes are a stable API (JSON/SARIF output, configuration and suppressions use them): a code
//! is never reused for something else. Each rule family lives in its own file and runs over the
//! [`crate::report::Report`]; the docs here are what `nianbao rules NB301` prints.

pub mod arithmetic;
pub mod structure;
pub mod tables;

use crate::diagnostic::Severity;

/// How a rule's fix may be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    /// Sometimes offers a fix, always safe (applied by `fix` and fix-all).
    Safe,
    /// Sometimes offers a fix that needs review (never in fix-all).
    Unsafe,
    /// Offers safe fixes in some cases and unsafe ones in others.
    Mixed,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// One line, Chinese.
    pub summary_zh: &'static str,
    /// One line, English.
    pub summary_en: &'static str,
    /// What the rule checks and why, with an example, in Chinese.
    pub doc_zh: &'static str,
}

macro_rules! rules {
    ($($ident:ident = $code:literal $name:literal $sev:ident $fix:ident, $zh:literal, $en:literal, $doc:literal;)*) => {
        $(pub static $ident: Rule = Rule {
            code: $code, name: $name, severity: Severity::$sev, fix: FixAvailability::$fix,
            summary_zh: $zh, summary_en: $en, doc_zh: $doc,
        };)*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$ident),*];
    };
}

rules! {
    SECTION_MISSING = "NB101" "section-missing" Error Safe,
        "缺少六个部分之一",
        "One of the six sections is missing",
        "年度报告须包括六个部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项（《政府信息公开条例》第五十条及国办公开办函〔2021〕30号格式）。\n修复：在应有的位置插入标准标题（二、三、四部分连同表格骨架）。";
    SECTION_ORDER = "NB102" "section-order" Warning None,
        "章节顺序不对",
        "Sections are out of order",
        "六个部分应按一至六的顺序出现。例如“四、政府信息公开行政复议、行政诉讼情况”出现在“三、收到和处理政府信息公开申请情况”之前。";
    SECTION_DUPLICATE = "NB103" "section-duplicate" Warning None,
        "同一部分出现两次",
        "A section appears twice",
        "同一部分的标题出现了两次，通常是复制粘贴留下的重复内容。";
    SECTION_TITLE_NONSTANDARD = "NB104" "section-title-nonstandard" Info Safe,
        "章节标题与规定表述不同",
        "Section heading differs from the official wording",
        "章节标题应使用格式规定的表述，例如“五、存在的主要问题及改进情况”而不是“五、存在的主要问题及改进措施”。这只是提示：实践中这些变体普遍被接受。\n修复：改为规定表述。";
    SECTION_EMPTY = "NB105" "section-empty" Warning Unsafe,
        "章节没有内容",
        "A section has no content",
        "某一部分只有标题，或只写了“无”。第六部分通常应说明信息处理费收取情况，例如“本年度未收取信息处理费，无其他需要报告的事项。”\n修复（需确认）：插入这样一句话。";
    OVERVIEW_PART_MISSING = "NB106" "overview-part-missing" Warning None,
        "总体情况缺少五个方面之一",
        "The overview lacks one of its five parts",
        "“一、总体情况”应涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面。";
    TABLE_MISSING = "NB201" "table-missing" Error Safe,
        "缺少规定的统计表",
        "A required table is missing",
        "第二、三、四部分各有一张规定格式的统计表（主动公开、依申请公开、行政复议和行政诉讼）。该部分中找不到可识别的表格。\n修复：插入该年度格式的表格骨架（各单元格为 0）。";
    ROW_MISSING = "NB202" "row-missing" Error Safe,
        "缺少表格中的规定行",
        "A standard row is missing",
        "表格中缺少规定的行，例如表三的“（四）无法提供 3.补正后申请内容仍不明确”。\n修复：在应有的位置插入该行（数值为 0）。";
    LABEL_NONSTANDARD = "NB203" "label-nonstandard" Warning Safe,
        "行或列标签与规定不同",
        "A row or column label is a typo or variant",
        "行列标签应与规定格式一字不差，例如“结果维持”误写为“结果维护”、“本年废止件数”误写为“本年度止件数”、“（五）不予处理”写成“（五）不予以处理”，或 2021 年格式的表二沿用 2019 年的“规范性文件”。\n修复：改为规定标签。";
    CELL_COUNT = "NB204" "cell-count" Error None,
        "行的单元格数与列数不符",
        "A row has more or fewer cells than its columns",
        "一行的数值个数与该表的列数不同，常见于从 PDF 复制时丢失了单元格，或网页文本中单元格粘连无法唯一拆分。此时无法判断各项之和，因此不再报告该行的算术错误。";
    CELL_INVALID = "NB205" "cell-invalid" Error None,
        "单元格不是有效数字",
        "A cell is not a valid number for its column",
        "数量单元格应为非负整数（可带千分位、全角数字或括号注释）。文字、负数、小数件数都是错误。2019 年格式的“本年增/减”可带正负号或写作“增16”“减2”，金额可带小数和单位，这些不是错误。";
    CELL_BLANK = "NB206" "cell-blank" Warning Mixed,
        "单元格空白",
        "A cell is blank where a number is required",
        "应填数字的单元格是空的。空白不等于 0：请填写 0。计算合计时空白按 0 处理，以免一个空格掩盖其他错误。同一行或同一表的空白只报告一次。\n修复：当该行的合计允许时，填入 0。";
    FORMAT_VERSION = "NB207" "format-version" Error None,
        "表格格式版本与报告年度不符",
        "The tables use the wrong format version for the report year",
        "2019、2020 年度报告使用国办公开办函〔2019〕60号格式，2021 年度起使用国办公开办函〔2021〕30号格式。例如 2023 年度报告的表二仍是“本年新制作数量/本年新公开数量/对外公开总数量”，或表三的“（六）其他处理”没有 1–3 子项。";
    ROW_TOTAL = "NB301" "row-total" Error Unsafe,
        "行总计不等于各申请人之和",
        "A row's total differs from the sum of its applicant cells",
        "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。\n修复（需确认）：将总计改为计算值——错的也可能是某个分项。";
    RESULT_TOTAL = "NB302" "result-total" Error Unsafe,
        "（七）总计不等于各办理结果之和",
        "（七）总计 differs from the sum of the result rows",
        "表三每一列：（七）总计 = （一）予以公开 + （二）部分公开 + （三）1–8 + （四）1–3 + （五）1–5 + （六）。\n修复（需确认）：将（七）总计改为计算值。空白的（七）总计也在此报告，且不会再引发勾稽关系错误。";
    BALANCE = "NB303" "balance" Error None,
        "勾稽关系不成立",
        "一 + 二 differs from （七）总计 + 四",
        "表三的勾稽关系：每一列中，一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理。（七）总计本身有误时只报告 NB302，并用改正后的值检查勾稽关系。";
    REVIEW_TOTAL = "NB304" "review-total" Error Unsafe,
        "表四总计不等于四项之和",
        "A table 四 total differs from the sum of its four cells",
        "表四的行政复议、未经复议直接起诉、复议后起诉三组中，总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。\n修复（需确认）：将总计改为计算值。";
}

/// Look a rule up by its code (`NB301`) or name (`row-total`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    let key = code_or_name.trim();
    ALL.iter().copied().find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        for pair in ALL.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} before {}", pair[0].code, pair[1].code);
        }
        for r in ALL {
            assert!(r.code.starts_with("NB") && r.code.len() == 5);
            assert!(!r.doc_zh.is_empty() && !r.summary_en.is_empty());
            assert_eq!(find(r.name).map(|f| f.code), Some(r.code));
        }
        assert_eq!(find("nb301").map(|r| r.name), Some("row-total"));
        assert!(find("NB999").is_none());
    }
}

/// Run every rule over a report.
pub fn run(report: &crate::report::Report<'_>) -> Vec<crate::Diagnostic> {
    let headings: Vec<crate::Span> = report.sections.iter().map(|s| s.span).collect();
    let style = crate::fix::Style::of(report.text, report.layout, &headings);
    let version = report
        .year
        .map(crate::FormatVersion::for_year)
        .or(report.tables_version)
        .unwrap_or(crate::FormatVersion::V2021);
    let mut out = Vec::new();
    structure::check(report, &style, version, &mut out);
    tables::check(report, &style, version, &mut out);
    let covered = arithmetic::check(report, &mut out);
    tables::blanks(report, &covered, &mut out);
    out
}
