//! The official format as data: section titles, table rows and columns of the 2019 (试行,
//! 国办公开办函〔2019〕60号) and 2021 (国办公开办函〔2021〕30号) versions, and the variants real,
//! accepted reports use. Everything that knows what the format says reads it from here.

/// A version of the national format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FormatVersion {
    V2019,
    V2021,
}

impl FormatVersion {
    /// The version a report for `year` must use.
    pub fn for_year(year: u16) -> FormatVersion {
        if year <= 2020 {
            FormatVersion::V2019
        } else {
            FormatVersion::V2021
        }
    }
    /// `"2019"` or `"2021"`, as machine output writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FormatVersion::V2019 => "2019",
            FormatVersion::V2021 => "2021",
        }
    }
    pub fn document(self) -> &'static str {
        match self {
            FormatVersion::V2019 => "国办公开办函〔2019〕60号",
            FormatVersion::V2021 => "国办公开办函〔2021〕30号",
        }
    }
}

/// The three standard tables, named by the section they belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableKind {
    /// 表二 主动公开政府信息情况.
    Disclosure,
    /// 表三 收到和处理政府信息公开申请情况.
    Application,
    /// 表四 政府信息公开行政复议、行政诉讼情况.
    Review,
}

impl TableKind {
    pub fn section(self) -> u8 {
        match self {
            TableKind::Disclosure => 2,
            TableKind::Application => 3,
            TableKind::Review => 4,
        }
    }
    pub fn for_section(section: u8) -> Option<TableKind> {
        match section {
            2 => Some(TableKind::Disclosure),
            3 => Some(TableKind::Application),
            4 => Some(TableKind::Review),
            _ => None,
        }
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            TableKind::Disclosure => "表二（主动公开政府信息情况）",
            TableKind::Application => "表三（收到和处理政府信息公开申请情况）",
            TableKind::Review => "表四（行政复议、行政诉讼情况）",
        }
    }
    pub fn short_zh(self) -> &'static str {
        match self {
            TableKind::Disclosure => "表二",
            TableKind::Application => "表三",
            TableKind::Review => "表四",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            TableKind::Disclosure => "table 二 (proactive disclosure)",
            TableKind::Application => "table 三 (applications)",
            TableKind::Review => "table 四 (reviews and lawsuits)",
        }
    }
}

/// The six sections.
pub struct SectionSpec {
    pub number: u8,
    pub numeral: &'static str,
    /// Official title without the numbering.
    pub title: &'static str,
    /// Titles real, accepted reports use instead (NB104 info, not an error).
    pub variants: &'static [&'static str],
    /// Words whose presence in a short numbered heading makes it this section (fuzzy match).
    pub keywords: &'static [&'static str],
    /// What the format requires of the section (hover text).
    pub requires_zh: &'static str,
    /// The same in English.
    pub requires_en: &'static str,
}

pub static SECTIONS: [SectionSpec; 6] = [
    SectionSpec {
        number: 1,
        numeral: "一",
        title: "总体情况",
        variants: &["总体概述", "概述", "基本情况"],
        keywords: &["总体情况"],
        requires_zh: "概述本年度政府信息公开工作，涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面（各级人民政府还应包括工作考核、社会评议和责任追究结果情况）。",
        requires_en: "An overview of the year's government information disclosure work, covering five areas: proactive disclosure, disclosure on request, government information management, disclosure platform building, and supervision and safeguards (people's governments at every level also report the results of performance assessment, public evaluation and accountability).",
    },
    SectionSpec {
        number: 2,
        numeral: "二",
        title: "主动公开政府信息情况",
        variants: &["主动公开政府信息"],
        keywords: &["主动公开"],
        requires_zh: "以表二列明《条例》第二十条第（一）（五）（六）（八）项信息的公开情况（2019 年格式另有第（九）项政府集中采购）。",
        requires_en: "Table 二 lists the disclosure of the information in items (1), (5), (6) and (8) of Article 20 of the Regulations (the 2019 format also has item (9), centralised government procurement).",
    },
    SectionSpec {
        number: 3,
        numeral: "三",
        title: "收到和处理政府信息公开申请情况",
        variants: &["收到和处理政府信息公开申请"],
        keywords: &["收到和处理", "处理政府信息公开申请"],
        requires_zh: "以表三列明本年新收、上年结转、办理结果和结转下年度的申请数量，按申请人类型分列；每列须满足勾稽关系：第一项加第二项之和，等于第三项加第四项之和。",
        requires_en: "Table 三 lists the applications newly received this year, carried over from last year, their outcomes and those carried over to next year, by type of applicant; every column must balance: item 1 plus item 2 equals item 3 plus item 4.",
    },
    SectionSpec {
        number: 4,
        numeral: "四",
        title: "政府信息公开行政复议、行政诉讼情况",
        variants: &[
            "政府信息公开行政复议和行政诉讼情况",
            "政府信息公开行政复议及行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "因政府信息公开工作被申请行政复议提起行政诉讼情况",
        ],
        keywords: &["行政复议", "行政诉讼"],
        requires_zh: "以表四列明因政府信息公开引起的行政复议、行政诉讼（未经复议直接起诉、复议后起诉）的结果维持、结果纠正、其他结果、尚未审结及总计。",
        requires_en: "Table 四 lists the administrative reconsiderations and administrative lawsuits (filed directly, or after reconsideration) arising from information disclosure: upheld, corrected, other outcome, pending, and the total.",
    },
    SectionSpec {
        number: 5,
        numeral: "五",
        title: "存在的主要问题及改进情况",
        variants: &[
            "政府信息公开工作存在的主要问题及改进情况",
            "存在的主要问题及改进措施",
            "存在的主要问题及改进举措",
            "政府信息公开工作存在的主要问题及改进措施",
            "政府信息公开工作存在的主要问题及改进举措",
            "存在的主要问题和改进情况",
            "存在的主要问题和改进措施",
        ],
        keywords: &["存在的主要问题", "存在的问题", "主要问题"],
        requires_zh: "说明本年度政府信息公开工作存在的主要问题及改进情况。",
        requires_en: "The main problems in the year's government information disclosure work and how they were or will be remedied.",
    },
    SectionSpec {
        number: 6,
        numeral: "六",
        title: "其他需要报告的事项",
        variants: &["其他事项", "其他需要报告事项"],
        keywords: &["其他需要报告", "其他事项"],
        requires_zh: "报告其他需要报告的事项；按惯例说明依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费的情况，即使未收取也应写明。",
        requires_en: "Any other matters to report; by convention, the information processing fees charged under the Measures on Information Processing Fees for Government Information Disclosure (国办函〔2020〕109号), stated even when none were charged.",
    },
];

pub fn section(number: u8) -> &'static SectionSpec {
    &SECTIONS[(number.clamp(1, 6) - 1) as usize]
}

/// The five parts of 一、总体情况 and the words that show each is covered.
pub static OVERVIEW_PARTS: [(&str, &[&str]); 5] = [
    ("主动公开", &["主动公开"]),
    ("依申请公开", &["依申请公开", "依申请", "申请公开"]),
    ("政府信息管理", &["信息管理", "政府信息管理"]),
    (
        "政府信息公开平台建设",
        &["平台建设", "平台", "网站建设", "网站"],
    ),
    ("监督保障", &["监督保障", "监督", "保障", "组织保障"]),
];

/// How a table row's cells are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    /// Non-negative integer count.
    Count,
    /// Signed change (2019's 本年增/减): `+5`, `-3`, `增16`, `减2`.
    Signed,
    /// Money, decimals and units allowed.
    Money,
}

/// A data row of a table.
#[derive(Debug, PartialEq, Eq)]
pub struct RowSpec {
    /// Stable id, also the English name in machine-facing text.
    pub id: &'static str,
    /// Official label as printed in the table (with its numbering).
    pub label: &'static str,
    /// Other spellings real reports use for the same row, reported as NB203.
    pub variants: &'static [&'static str],
    /// Enclosing group label, if any (`（三）不予公开`).
    pub group: Option<&'static str>,
    pub cells: &'static [CellKind],
    /// Column labels of this row's cells, for messages.
    pub columns: &'static [&'static str],
    /// For table 二: the block header (第二十条第（一）项).
    pub block: Option<&'static str>,
}

pub const APPLICANT_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
const C7: &[CellKind] = &[CellKind::Count; 7];

macro_rules! app_row {
    ($id:literal, $label:literal, $group:expr) => {
        app_row!($id, $label, $group, &[])
    };
    ($id:literal, $label:literal, $group:expr, $variants:expr) => {
        RowSpec {
            id: $id,
            label: $label,
            variants: $variants,
            group: $group,
            cells: C7,
            columns: &APPLICANT_COLUMNS,
            block: None,
        }
    };
}

const G3: Option<&str> = Some("（三）不予公开");
const G4: Option<&str> = Some("（四）无法提供");
const G5: Option<&str> = Some("（五）不予处理");
const G6: Option<&str> = Some("（六）其他处理");

/// Table 三, 2021 format: 25 data rows.
pub static APPLICATION_ROWS_2021: [RowSpec; 25] = [
    app_row!("new", "一、本年新收政府信息公开申请数量", None),
    app_row!("carried-in", "二、上年结转政府信息公开申请数量", None),
    app_row!("disclosed", "（一）予以公开", None),
    app_row!(
        "partly-disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None
    ),
    app_row!("withheld-1", "1.属于国家秘密", G3),
    app_row!("withheld-2", "2.其他法律行政法规禁止公开", G3),
    app_row!("withheld-3", "3.危及“三安全一稳定”", G3),
    app_row!("withheld-4", "4.保护第三方合法权益", G3),
    app_row!("withheld-5", "5.属于三类内部事务信息", G3),
    app_row!("withheld-6", "6.属于四类过程性信息", G3),
    app_row!("withheld-7", "7.属于行政执法案卷", G3),
    app_row!("withheld-8", "8.属于行政查询事项", G3),
    app_row!("unavailable-1", "1.本机关不掌握相关政府信息", G4),
    app_row!("unavailable-2", "2.没有现成信息需要另行制作", G4),
    app_row!("unavailable-3", "3.补正后申请内容仍不明确", G4),
    app_row!("not-handled-1", "1.信访举报投诉类申请", G5),
    app_row!("not-handled-2", "2.重复申请", G5),
    app_row!("not-handled-3", "3.要求提供公开出版物", G5),
    app_row!("not-handled-4", "4.无正当理由大量反复申请", G5),
    app_row!(
        "not-handled-5",
        "5.要求行政机关确认或重新出具已获取信息",
        G5
    ),
    app_row!(
        "other-1",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        G6
    ),
    app_row!(
        "other-2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        G6
    ),
    app_row!("other-3", "3.其他", G6),
    app_row!("result-total", "（七）总计", None),
    app_row!("carried-out", "四、结转下年度继续办理", None),
];

/// Table 三, 2019 format: （六）其他处理 is one data row (23 rows).
pub static APPLICATION_ROWS_2019: [RowSpec; 23] = [
    app_row!("new", "一、本年新收政府信息公开申请数量", None),
    app_row!("carried-in", "二、上年结转政府信息公开申请数量", None),
    app_row!("disclosed", "（一）予以公开", None),
    app_row!(
        "partly-disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None
    ),
    app_row!("withheld-1", "1.属于国家秘密", G3),
    app_row!("withheld-2", "2.其他法律行政法规禁止公开", G3),
    app_row!("withheld-3", "3.危及“三安全一稳定”", G3),
    app_row!("withheld-4", "4.保护第三方合法权益", G3),
    app_row!("withheld-5", "5.属于三类内部事务信息", G3),
    app_row!("withheld-6", "6.属于四类过程性信息", G3),
    app_row!("withheld-7", "7.属于行政执法案卷", G3),
    app_row!("withheld-8", "8.属于行政查询事项", G3),
    app_row!("unavailable-1", "1.本机关不掌握相关政府信息", G4),
    app_row!("unavailable-2", "2.没有现成信息需要另行制作", G4),
    app_row!("unavailable-3", "3.补正后申请内容仍不明确", G4),
    app_row!("not-handled-1", "1.信访举报投诉类申请", G5),
    app_row!("not-handled-2", "2.重复申请", G5),
    app_row!("not-handled-3", "3.要求提供公开出版物", G5),
    app_row!("not-handled-4", "4.无正当理由大量反复申请", G5),
    app_row!(
        "not-handled-5",
        "5.要求行政机关确认或重新出具已获取信息",
        G5
    ),
    app_row!("other", "（六）其他处理", None),
    app_row!("result-total", "（七）总计", None),
    app_row!("carried-out", "四、结转下年度继续办理", None),
];

/// Group labels of table 三: they carry no numbers.
pub static APPLICATION_GROUPS: &[&str] = &[
    "三、本年度办理结果",
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
];

/// Variant spellings of group labels (NB203).
pub static APPLICATION_GROUP_VARIANTS: &[(&str, &str)] = &[
    ("（五）不予以处理", "（五）不予处理"),
    ("（三）不予以公开", "（三）不予公开"),
];

/// Header labels of table 三 (columns and the 勾稽 note).
pub static APPLICATION_HEADERS: &[&str] = &[
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

pub const BALANCE_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

const COUNT1: &[CellKind] = &[CellKind::Count];
const COUNT3: &[CellKind] = &[CellKind::Count; 3];
const SIGNED3: &[CellKind] = &[CellKind::Count, CellKind::Signed, CellKind::Count];

pub static DISCLOSURE_ROWS_2021: [RowSpec; 6] = [
    RowSpec {
        id: "rules",
        label: "规章",
        variants: &[],
        group: None,
        cells: COUNT3,
        columns: &["本年制发件数", "本年废止件数", "现行有效件数"],
        block: Some("第二十条第（一）项"),
    },
    RowSpec {
        id: "normative-documents",
        label: "行政规范性文件",
        variants: &["规范性文件"],
        group: None,
        cells: COUNT3,
        columns: &["本年制发件数", "本年废止件数", "现行有效件数"],
        block: Some("第二十条第（一）项"),
    },
    RowSpec {
        id: "licensing",
        label: "行政许可",
        variants: &[],
        group: None,
        cells: COUNT1,
        columns: &["本年处理决定数量"],
        block: Some("第二十条第（五）项"),
    },
    RowSpec {
        id: "penalty",
        label: "行政处罚",
        variants: &[],
        group: None,
        cells: COUNT1,
        columns: &["本年处理决定数量"],
        block: Some("第二十条第（六）项"),
    },
    RowSpec {
        id: "enforcement",
        label: "行政强制",
        variants: &[],
        group: None,
        cells: COUNT1,
        columns: &["本年处理决定数量"],
        block: Some("第二十条第（六）项"),
    },
    RowSpec {
        id: "fees",
        label: "行政事业性收费",
        variants: &[],
        group: None,
        cells: &[CellKind::Money],
        columns: &["本年收费金额（单位：万元）"],
        block: Some("第二十条第（八）项"),
    },
];

pub static DISCLOSURE_ROWS_2019: [RowSpec; 8] = [
    RowSpec {
        id: "rules",
        label: "规章",
        variants: &[],
        group: None,
        cells: COUNT3,
        columns: &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        block: Some("第二十条第（一）项"),
    },
    RowSpec {
        id: "normative-documents",
        label: "规范性文件",
        variants: &["行政规范性文件"],
        group: None,
        cells: COUNT3,
        columns: &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        block: Some("第二十条第（一）项"),
    },
    RowSpec {
        id: "licensing",
        label: "行政许可",
        variants: &[],
        group: None,
        cells: SIGNED3,
        columns: &["上一年项目数量", "本年增/减", "处理决定数量"],
        block: Some("第二十条第（五）项"),
    },
    RowSpec {
        id: "other-services",
        label: "其他对外管理服务事项",
        variants: &[],
        group: None,
        cells: SIGNED3,
        columns: &["上一年项目数量", "本年增/减", "处理决定数量"],
        block: Some("第二十条第（五）项"),
    },
    RowSpec {
        id: "penalty",
        label: "行政处罚",
        variants: &[],
        group: None,
        cells: SIGNED3,
        columns: &["上一年项目数量", "本年增/减", "处理决定数量"],
        block: Some("第二十条第（六）项"),
    },
    RowSpec {
        id: "enforcement",
        label: "行政强制",
        variants: &[],
        group: None,
        cells: SIGNED3,
        columns: &["上一年项目数量", "本年增/减", "处理决定数量"],
        block: Some("第二十条第（六）项"),
    },
    RowSpec {
        id: "fees",
        label: "行政事业性收费",
        variants: &[],
        group: None,
        cells: &[CellKind::Count, CellKind::Signed],
        columns: &["上一年项目数量", "本年增/减"],
        block: Some("第二十条第（八）项"),
    },
    RowSpec {
        id: "procurement",
        label: "政府集中采购",
        variants: &[],
        group: None,
        cells: &[CellKind::Count, CellKind::Money],
        columns: &["采购项目数量", "采购总金额"],
        block: Some("第二十条第（九）项"),
    },
];

/// Header labels of table 二 in each version; used to tell the versions apart.
pub static DISCLOSURE_HEADERS_2021: &[&str] = &[
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额（单位：万元）",
];
pub static DISCLOSURE_HEADERS_2019: &[&str] = &[
    "信息内容",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "处理决定数量",
    "采购项目数量",
    "采购总金额",
];
pub static DISCLOSURE_BLOCKS: &[&str] = &[
    "第二十条第（一）项",
    "第二十条第（五）项",
    "第二十条第（六）项",
    "第二十条第（八）项",
    "第二十条第（九）项",
];

/// Table 四: one data row of 15 cells in three groups of five.
pub static REVIEW_GROUPS: [&str; 3] = [
    "行政复议",
    "行政诉讼（未经复议直接起诉）",
    "行政诉讼（复议后起诉）",
];
pub static REVIEW_GROUPS_EN: [&str; 3] = [
    "administrative review",
    "lawsuits without prior review",
    "lawsuits after review",
];
pub static REVIEW_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
pub static REVIEW_HEADERS: &[&str] = &[
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
];

/// Known misspellings of labels: (as written, official). Matched after normalisation; the
/// fuzzy matcher finds most others.
pub static LABEL_TYPOS: &[(&str, &str)] = &[
    ("结果维护", "结果维持"),
    ("本年度止件数", "本年废止件数"),
    ("本年度废止件数", "本年废止件数"),
    ("不予以处理", "不予处理"),
];

pub fn application_rows(version: FormatVersion) -> &'static [RowSpec] {
    match version {
        FormatVersion::V2019 => &APPLICATION_ROWS_2019,
        FormatVersion::V2021 => &APPLICATION_ROWS_2021,
    }
}

pub fn disclosure_rows(version: FormatVersion) -> &'static [RowSpec] {
    match version {
        FormatVersion::V2019 => &DISCLOSURE_ROWS_2019,
        FormatVersion::V2021 => &DISCLOSURE_ROWS_2021,
    }
}
