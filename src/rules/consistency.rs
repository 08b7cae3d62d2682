//! Consistency rules (NB401–NB407): what the text says against the tables, the year, the
//! deadline, the 信息处理费 statement, the documents cited, and last year's report.
//!
//! These read prose, which nobody writes to a grammar: each rule acts only on statements it
//! reads without doubt, and says nothing otherwise. The seeds' texts agree with their tables
//! and must stay silent.

use std::sync::{Arc, OnceLock};

use regex::Regex;

use crate::format::FormatVersion;
use crate::report::agency::kind_of;
use crate::report::{Cell, Report, Row, RowShape, Table};
use crate::{AgencyKind, Diagnostic, Edit, Fix, Message, Options, Related, Severity, Span};

rules! {
    TEXT_TABLE_MISMATCH = "NB401" "text-table-mismatch" Warning None,
        "正文所述数字与表格不符",
        "A number stated in the text contradicts the tables",
        "正文明确写出的申请数字（收到/新收申请 N 件，予以公开、部分公开、不予公开、无法提供、不予处理、其他处理、结转 N 件）和行政复议、行政诉讼件数，应与表三、表四一致。例如正文“全年共收到政府信息公开申请24件”，而表三“一、本年新收政府信息公开申请数量”总计为 23。中文数字（二十四件）同样识别。只检查意思明确的表述，拿不准的不报告。";
    ENUMERATION_SUM = "NB402" "enumeration-sum" Warning None,
        "“共…其中…”各项之和与总数不符",
        "The parts of an enumeration do not add up to its total",
        "“共发布信息248条，其中政策文件10条、部门动态65条……”这类表述，其中各项之和超过总数是错误（警告）；少于总数通常是只列举了一部分，仅作提示。例如阜新市2022年报告：共计805条，其中各项合计656条。";
    PERIOD_YEAR = "NB403" "period-year" Warning None,
        "统计期限或标题年份与报告年度不符",
        "The statistics period or title year disagrees with the report year",
        "报告所列数据的统计期限应为报告年度的1月1日至12月31日。例如2023年度报告写“统计期限自2022年1月1日起至2022年12月31日止”，多半是沿用了上一年的报告。";
    DEADLINE = "NB404" "deadline" Warning None,
        "落款日期晚于法定公开期限",
        "The report is dated after its legal deadline",
        "《政府信息公开条例》第四十九条：县级以上人民政府部门应当在每年1月31日前公布本部门上一年度的年度报告；县级以上地方人民政府应当在每年3月31日前公布本级政府上一年度的年度报告。机关类别取自标题或落款（“某市生态环境局”是部门，“某县人民政府”是人民政府），也可在 nianbao.toml 的 [agency] kind 中配置。乡镇、街道的期限由各地规定，除非配置了 [agency] deadline，否则不检查。网页上的发布时间（“发布时间：”“时间:”）晚于期限时仅作提示。";
    FEE_STATEMENT_MISSING = "NB405" "fee-statement-missing" Warning Unsafe,
        "第六部分未说明信息处理费收取情况",
        "Section 六 does not state the processing fee collected",
        "2021年格式（国办公开办函〔2021〕30号）要求在“六、其他需要报告的事项”中说明按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费的情况，没有收取也应写明，例如“本年度未收取信息处理费。”。写作“信息公开处理费”“未收缴……处理费”等均可。\n修复（需确认）：在第六部分写明未收取信息处理费。";
    CITATION = "NB406" "citation" Warning Mixed,
        "引用的文号有误",
        "A cited document number is miswritten",
        "常引用的文件及其文号：《中华人民共和国政府信息公开条例》国务院令第711号；年度报告格式 国办公开办函〔2021〕30号（2019、2020年度为 国办公开办函〔2019〕60号，2021年以后的报告引用它也是正确的）；《政府信息公开信息处理费管理办法》国办函〔2020〕109号。常见错误：发文机关代字写错（国办发〔2021〕30号）、序号写错（国务院令第771号）。年份用[ ]或( )括起而不是六角括号〔〕仅作提示。\n修复：发文字号的括号改为〔〕（安全）；代字、序号改为正确的文号（需确认）。";
    CARRY_OVER = "NB407" "carry-over" Warning None,
        "上年结转与上一年度报告的结转下年度不符",
        "Carried-in applications differ from last year's carried-out",
        "同一机关相邻两年的报告中，本年表三“二、上年结转政府信息公开申请数量”应逐列等于上一年度报告表三“四、结转下年度继续办理”。需要两份报告同时在检查范围内：命令行检查给出的文件之间，语言服务器检查打开的文档和工作区中的报告。";
}

use crate::syntax::numerals::parse_count;

use crate::report::{re, re_formatted};

/// The number pattern of prose: Arabic (half or full width, with thousands commas) or Chinese.
const NUM: &str = r"([0-9０-９](?:[0-9０-９]|,[0-9]{3})*|[零〇一二两三四五六七八九十百千]+)";

/// Words looked for together in a sentence: whether it holds any of them, in one pass of a
/// literal searcher over its bytes instead of one substring search per word (sentences of
/// Chinese prose run to hundreds of characters, and these lists to a dozen words).
struct Words {
    list: &'static [&'static str],
    matcher: OnceLock<Regex>,
}

impl Words {
    const fn new(list: &'static [&'static str]) -> Words {
        Words {
            list,
            matcher: OnceLock::new(),
        }
    }

    fn any_in(&self, hay: &str) -> bool {
        self.matcher
            .get_or_init(|| {
                let alternatives: Vec<String> =
                    self.list.iter().map(|w| regex::escape(w)).collect();
                Regex::new(&alternatives.join("|")).expect("literal words")
            })
            .is_match(hay)
    }
}

/// The spans the rules must not read as prose: the tables.
fn table_spans(r: &Report) -> Vec<Span> {
    let mut out = Vec::new();
    if let Some(t) = &r.disclosure {
        out.push(t.span);
    }
    out.extend(r.application.iter().map(|t| t.span));
    out.extend(r.review.iter().map(|t| t.span));
    out
}

/// The stretches of a text of `len` bytes outside the `tables`, in order.
fn prose_ranges(len: usize, tables: &[Span]) -> Vec<(usize, usize)> {
    let mut spans: Vec<Span> = tables.to_vec();
    spans.sort_by_key(|s| s.start);
    let mut out = Vec::new();
    let mut at = 0;
    for s in spans {
        if s.start > at {
            out.push((at, s.start.min(len)));
        }
        at = at.max(s.end);
    }
    if at < len {
        out.push((at, len));
    }
    out
}

/// Where a pattern can match, told by a literal every match holds (its anchor): each match
/// starts at most `back` characters before an anchor and ends at most `ahead` characters after
/// it. Common Chinese characters open most patterns (`不`, `其`, `行`, `未`), so a scan of the
/// whole prose stops at nearly every character; the anchors (`件` after a number, `结转`,
/// `行政复议`) are rare, found by `memmem`, and the pattern then runs only around them.
struct Anchored {
    anchors: &'static [&'static str],
    back: usize,
    ahead: usize,
    /// Whether an anchor at this position (`text`, its start) can belong to a match.
    keep: fn(&str, usize) -> bool,
}

/// Every anchor of the statement patterns, found in one pass over the prose.
const STATEMENT_ANCHORS: &[&str] = &[
    "件",
    "起",
    "宗",
    "收到",
    "受理",
    "结转",
    "行政复议",
    "行政诉讼",
];

/// Where `needle` occurs in the `prose` stretches of `text`, in order: offsets in `text`.
fn occurrences(
    text: &str,
    prose: &[(usize, usize)],
    needle: &'static str,
) -> impl Iterator<Item = usize> {
    let finder = finder(needle);
    let mut found = Vec::new();
    for &(from, to) in prose {
        found.extend(
            finder
                .find_iter(&text.as_bytes()[from..to])
                .map(|i| from + i),
        );
    }
    found.into_iter()
}

/// The searcher for `needle`, built once per thread: building one costs more than a search
/// through a report's prose, and every report is searched for the same dozen words.
fn finder(needle: &'static str) -> memchr::memmem::Finder<'static> {
    thread_local! {
        static FINDERS: std::cell::RefCell<rustc_hash::FxHashMap<&'static str, memchr::memmem::Finder<'static>>> =
            Default::default();
    }
    FINDERS.with(|f| {
        f.borrow_mut()
            .entry(needle)
            .or_insert_with(|| memchr::memmem::Finder::new(needle))
            .clone()
    })
}

/// The `anchors` in the `prose`, in order: (start, end, anchor). (`memmem` per anchor: over
/// Chinese text it outruns one Aho-Corasick pass over all of them.)
fn anchors_in(
    text: &str,
    prose: &[(usize, usize)],
    anchors: &[&'static str],
) -> Vec<(usize, usize, &'static str)> {
    let mut hits: Vec<_> = anchors
        .iter()
        .flat_map(|a| occurrences(text, prose, a).map(move |at| (at, at + a.len(), *a)))
        .collect();
    hits.sort_unstable();
    hits
}

impl Anchored {
    /// The stretches around the kept `hits` (of [`anchors_in`], in order) that are
    /// this pattern's anchors, merged where they overlap, clipped to their prose stretch: the
    /// pattern finds in them what it finds in the whole prose.
    fn windows(
        &self,
        text: &str,
        prose: &[(usize, usize)],
        hits: &[(usize, usize, &'static str)],
    ) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for &(start, end, anchor) in hits {
            if !self.anchors.contains(&anchor) || !(self.keep)(text, start) {
                continue;
            }
            let Some(&(from, to)) = prose.iter().find(|p| p.0 <= start && end <= p.1) else {
                continue;
            };
            let window = (
                chars_back(text, from, start, self.back),
                chars_ahead(text, end, to, self.ahead),
            );
            match out.last_mut() {
                Some(last) if window.0 <= last.1 => last.1 = last.1.max(window.1),
                _ => out.push(window),
            }
        }
        out
    }

    /// The matches of `re` (the pattern these anchors describe) in the `prose`.
    fn captures<'t>(
        &self,
        re: &'static Regex,
        text: &'t str,
        prose: &[(usize, usize)],
        hits: &[(usize, usize, &'static str)],
    ) -> Vec<(usize, regex::Captures<'t>)> {
        self.windows(text, prose, hits)
            .into_iter()
            .flat_map(|(from, to)| re.captures_iter(&text[from..to]).map(move |c| (from, c)))
            .collect()
    }
}

/// The start of the `n`th character before `at`, not before `floor`.
fn chars_back(text: &str, floor: usize, at: usize, n: usize) -> usize {
    text[floor..at]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(at, |(i, _)| floor + i)
}

/// The end of the `n`th character after `at`, not past `ceil`.
fn chars_ahead(text: &str, at: usize, ceil: usize, n: usize) -> usize {
    text[at..ceil]
        .char_indices()
        .nth(n)
        .map_or(ceil, |(i, _)| at + i)
}

/// Whether a number (as [`NUM`] reads it) ends just before `at`, spaces aside.
fn number_before(text: &str, at: usize) -> bool {
    text[..at].trim_end().chars().next_back().is_some_and(|c| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || "零〇一二两三四五六七八九十百千".contains(c)
    })
}

/// What a document number ends on: `〔2021〕30号`, within 24 characters of its bracket.
const DOCUMENT_NUMBER: Anchored = Anchored {
    anchors: &["号"],
    back: 24,
    ahead: 0,
    keep: |text, at| {
        text[..at]
            .trim_end()
            .ends_with(|c: char| c.is_ascii_digit())
    },
};

/// What [`NUM`] and its unit end on: `24件`, `二十四件`, `1起`, `2宗`. Every counted statement
/// ends so, within 64 characters of its keyword.
const COUNTED: Anchored = Anchored {
    anchors: &["件", "起", "宗"],
    back: 64,
    ahead: 0,
    keep: number_before,
};

/// Where the sentence holding `at` starts.
fn sentence_start(text: &str, at: usize) -> usize {
    text[..at]
        .rfind(['。', '！', '？', '\n', '；'])
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        })
}

/// Where the clause holding `at` starts (after the last comma or sentence end).
fn clause_start(text: &str, at: usize) -> usize {
    text[..at]
        .rfind(['。', '！', '？', '\n', '；', '，', ',', ';'])
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        })
}

pub fn check(r: &Report, version: FormatVersion, options: &Options, out: &mut Vec<Diagnostic>) {
    check_cached(r, version, options, None, out);
}

/// [`check`], reading the prose through a [`ProseCache`] of an earlier analysis of the same
/// document: the language server's path, where a keystroke changes one paragraph at most.
pub fn check_cached(
    r: &Report,
    version: FormatVersion,
    options: &Options,
    cache: Option<&mut ProseCache>,
    out: &mut Vec<Diagnostic>,
) {
    let tables = table_spans(r);
    let prose = prose_ranges(r.text.len(), &tables);
    let facts = match cache {
        None => ProseFacts::read(r.text, &prose),
        Some(cache) => cache.read(r.text, &prose),
    };
    text_table_mismatch(r, &facts.statements, out);
    enumeration_sum(r.text, &facts.enumerations, out);
    period_year(r, &facts.periods, out);
    deadline(r, options, out);
    fee_statement(r, version, &facts.fee_mentions, out);
    out.extend(facts.citations);
}

// ---------------------------------------------------------------------------------------------
// The prose, read once

/// What the prose states, read from its text alone (no tables, no report year): the counts
/// (NB401), the enumerations (NB402), the statistics periods (NB403) and the miswritten
/// citations (NB406). Every pattern behind it matches inside a paragraph run (see
/// [`paragraph_breaks`]), so the facts of a text are those of its runs put together: what lets
/// [`ProseCache`] read again only the runs an edit changed.
#[derive(Clone, Debug, Default)]
pub struct ProseFacts {
    pub statements: Vec<Statement>,
    pub enumerations: Vec<Enumeration>,
    /// Statistics periods written out: the words, the first year, the last year if written.
    pub periods: Vec<(Span, u16, Option<u16>)>,
    /// NB406 findings.
    pub citations: Vec<Diagnostic>,
    /// Where the prose names the 处理费 (NB405 asks whether section 六 does).
    pub fee_mentions: Vec<usize>,
}

impl ProseFacts {
    /// The facts of the `prose` stretches of `text`, in `text`'s offsets.
    pub fn read(text: &str, prose: &[(usize, usize)]) -> ProseFacts {
        let mut citations = Vec::new();
        citations_in(text, prose, &mut citations);
        ProseFacts {
            statements: statements_in(text, prose),
            enumerations: enumerations_in(text, prose),
            periods: periods_in(text, prose),
            citations,
            fee_mentions: occurrences(text, prose, "处理费").collect(),
        }
    }

    /// Add `other`'s facts, read from a run that starts at `offset`.
    fn extend_shifted(&mut self, other: &ProseFacts, offset: usize) {
        let shift = |s: Span| Span::new(s.start + offset, s.end + offset);
        self.statements
            .extend(other.statements.iter().map(|s| Statement {
                span: shift(s.span),
                ..s.clone()
            }));
        self.enumerations
            .extend(other.enumerations.iter().map(|e| Enumeration {
                total: e.total,
                total_span: shift(e.total_span),
                parts: e.parts.iter().map(|&(v, s)| (v, shift(s))).collect(),
                closed: e.closed,
            }));
        self.periods
            .extend(other.periods.iter().map(|&(s, a, b)| (shift(s), a, b)));
        self.fee_mentions
            .extend(other.fee_mentions.iter().map(|&at| at + offset));
        self.citations.extend(other.citations.iter().map(|d| {
            let mut d = d.clone();
            d.span = shift(d.span);
            for r in &mut d.related {
                r.span = shift(r.span);
            }
            if let Some(fix) = &mut d.fix {
                for e in &mut fix.edits {
                    e.span = shift(e.span);
                }
            }
            d
        }));
    }
}

/// Whether a paragraph ends at `at` (the start of a line): the line before ends a sentence
/// (`。`, `！`, `？`) and the line at `at` does not go on with `其中`. No pattern of
/// [`ProseFacts`] reads across such a break.
fn paragraph_ends_before(text: &str, at: usize) -> bool {
    let before = text.as_bytes()[..at].trim_ascii_end();
    // 。 ！ ？ in UTF-8.
    let ends_sentence = [
        &[0xe3, 0x80, 0x82],
        &[0xef, 0xbc, 0x81],
        &[0xef, 0xbc, 0x9f],
    ]
    .iter()
    .any(|end| before.ends_with(*end));
    ends_sentence && !text[at..].trim_start().starts_with("其中")
}

/// Where the prose may be cut into runs read on their own: after some of its paragraph ends,
/// chosen by the paragraph's own bytes (so that an edit elsewhere moves no cut), about one in
/// eight.
fn paragraph_breaks(text: &str, from: usize, to: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    for nl in memchr::memchr_iter(b'\n', &text.as_bytes()[from..to]) {
        let at = from + nl + 1;
        if at >= to || !paragraph_ends_before(text, at) {
            continue;
        }
        let tail = &text.as_bytes()[at.saturating_sub(13).max(from)..at];
        let hash = tail.iter().fold(0x811c_9dc5u32, |h, &b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        if hash % 8 == 0 {
            cuts.push(at);
        }
    }
    cuts
}

/// The facts of the runs of the last analysis of a document, by the runs' text: the next
/// analysis reads only the runs it does not find here.
#[derive(Default)]
pub struct ProseCache {
    runs: Runs,
    /// Whether the owner reports every edit of its text ([`Self::tracking`]).
    tracked: bool,
    /// What changed in the text since the last read, as the owner reported it
    /// ([`Self::edited`]): a run outside it is found by its position, without comparing its
    /// text.
    changed: Changed,
    /// How many runs of the last read were found by position.
    by_position: usize,
}

/// Runs by [`ProseCache::key`]: their text, their facts and where they started in the text
/// last read.
type Runs = rustc_hash::FxHashMap<(usize, u64), Vec<(Box<str>, Arc<ProseFacts>, usize)>>;

/// The text since the last read, as its document reported its edits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Changed {
    /// Not at all.
    Nothing,
    /// The bytes `start..old_end` of the text last read are now `new_len` other bytes (every
    /// edit since, put together).
    Within {
        start: usize,
        old_end: usize,
        new_len: usize,
    },
    /// Unknown: runs are found by their text alone.
    #[default]
    Unknown,
}

impl Changed {
    /// Where the bytes at `start..end` of the new text were in the text last read, if they are
    /// the same bytes.
    fn old_start(self, start: usize, end: usize) -> Option<usize> {
        match self {
            Changed::Nothing => Some(start),
            Changed::Within {
                start: s,
                old_end,
                new_len,
            } => {
                if end <= s {
                    Some(start)
                } else if start >= s + new_len {
                    Some(start - new_len + (old_end - s))
                } else {
                    None
                }
            }
            Changed::Unknown => None,
        }
    }
}

impl std::fmt::Debug for ProseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProseCache({} runs)", self.runs.len())
    }
}

impl ProseCache {
    /// A run's key: its length and a hash of its ends (a full hash would cost as much as
    /// reading it; equal keys are compared whole).
    fn key(run: &str) -> (usize, u64) {
        let b = run.as_bytes();
        let word = |at: usize| {
            let mut w = [0u8; 8];
            let part = &b[at.min(b.len())..(at + 8).min(b.len())];
            w[..part.len()].copy_from_slice(part);
            u64::from_le_bytes(w)
        };
        let ends = word(0) ^ word(b.len().saturating_sub(8)).rotate_left(29);
        (b.len(), ends ^ word(b.len() / 2).rotate_left(47))
    }

    /// A cache whose owner reports every edit of the text between reads ([`Self::edited`],
    /// [`Self::lost_track`]): the runs outside the edits are then found by where they are,
    /// without comparing their text. (A cache made with `default` finds them by their text.)
    pub fn tracking() -> ProseCache {
        ProseCache {
            tracked: true,
            ..ProseCache::default()
        }
    }

    /// The owner replaced the bytes `start..old_end` of its text with `new_len` bytes.
    pub fn edited(&mut self, start: usize, old_end: usize, new_len: usize) {
        if !self.tracked {
            return;
        }
        self.changed = match self.changed {
            Changed::Nothing => Changed::Within {
                start,
                old_end,
                new_len,
            },
            // Put together with the change so far (`s..s + n` in the current text): the
            // union of both, in the text last read and in the text after this edit.
            Changed::Within {
                start: s,
                old_end: oe,
                new_len: n,
            } => {
                let from = s.min(start);
                let to = (s + n).max(old_end);
                Changed::Within {
                    start: from,
                    old_end: to + (oe - s) - n,
                    new_len: to + new_len - (old_end - start) - from,
                }
            }
            Changed::Unknown => Changed::Unknown,
        };
    }

    /// The text changed in ways not reported (replaced whole).
    pub fn lost_track(&mut self) {
        self.changed = Changed::Unknown;
    }

    /// The facts of the `prose` of `text` (as [`ProseFacts::read`] finds them), reading only the
    /// runs this cache does not hold; the cache then holds this text's runs.
    pub fn read(&mut self, text: &str, prose: &[(usize, usize)]) -> ProseFacts {
        let mut facts = ProseFacts::default();
        let mut runs = Runs::default();
        self.by_position = 0;
        for &(from, to) in prose {
            let cuts = paragraph_breaks(text, from, to);
            let starts = std::iter::once(from).chain(cuts.iter().copied());
            let ends = cuts.iter().copied().chain(std::iter::once(to));
            for (start, end) in starts.zip(ends) {
                let run = &text[start..end];
                let key = Self::key(run);
                let was_at = self.changed.old_start(start, end);
                let cached = self.runs.get_mut(&key).and_then(|v| {
                    // A run the edits left alone is the one that was where it was; any other
                    // must have the same text.
                    let i = match v.iter().position(|e| Some(e.2) == was_at) {
                        Some(i) => {
                            self.by_position += 1;
                            i
                        }
                        None => v.iter().position(|e| &*e.0 == run)?,
                    };
                    Some(v.swap_remove(i))
                });
                let (owned, found) = match cached {
                    Some((owned, found, _)) => (owned, found),
                    None => (
                        run.into(),
                        Arc::new(ProseFacts::read(run, &[(0, run.len())])),
                    ),
                };
                facts.extend_shifted(&found, start);
                runs.entry(key).or_default().push((owned, found, start));
            }
        }
        self.runs = runs;
        self.changed = if self.tracked {
            Changed::Nothing
        } else {
            Changed::Unknown
        };
        facts
    }
}

// ---------------------------------------------------------------------------------------------
// NB401 text-table-mismatch

/// The number of [`Stated`] kinds.
const STATED_KINDS: usize = 11;
const _: () = assert!(Stated::Litigation as usize + 1 == STATED_KINDS);

/// What a statement in the text counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stated {
    Received,
    Disclosed,
    PartlyDisclosed,
    Withheld,
    Unavailable,
    NotHandled,
    OtherHandled,
    CarriedIn,
    CarriedOut,
    Review,
    Litigation,
}

impl Stated {
    /// The kind of case a count of cases names: `行政复议` or `行政诉讼`.
    fn case_keyword(self) -> Option<&'static str> {
        match self {
            Stated::Review => Some("行政复议"),
            Stated::Litigation => Some("行政诉讼"),
            _ => None,
        }
    }

    /// Where the statement of `what` at `span` names its kind of case (its start otherwise).
    fn keyword_at(what: Stated, text: &str, span: Span) -> usize {
        let found = what
            .case_keyword()
            .and_then(|k| text[span.start..span.end].find(k));
        span.start + found.unwrap_or(0)
    }

    fn en(self) -> &'static str {
        match self {
            Stated::Received => "applications received",
            Stated::Disclosed => "disclosed",
            Stated::PartlyDisclosed => "partly disclosed",
            Stated::Withheld => "withheld",
            Stated::Unavailable => "unavailable",
            Stated::NotHandled => "not handled",
            Stated::OtherHandled => "otherwise handled",
            Stated::CarriedIn => "carried in",
            Stated::CarriedOut => "carried over to next year",
            Stated::Review => "administrative reviews",
            Stated::Litigation => "administrative lawsuits",
        }
    }
}

/// A count the text states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub what: Stated,
    pub value: i64,
    /// The words that state it (`收到政府信息公开申请24件`).
    pub span: Span,
    /// What its sentence says around it, read with it from the prose alone: the comparison
    /// with the tables, made again after every edit of a table, then reads no prose.
    pub context: StatementContext,
}

/// What NB401 needs of a statement's sentence besides the count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementContext {
    /// Its clause says it is about another year (`上年同期`, `同比`, `累计`).
    pub other_year_words: bool,
    /// The years its sentence names before it (`2022年，发生行政复议2件`).
    pub years: NamedYears,
    /// For a count of reviews or lawsuits: its sentence says they are about information
    /// disclosure (see [`cases_about_disclosure`]).
    pub about_disclosure: bool,
}

/// The distinct years a sentence names: whether one differs from the report's year is all
/// that is asked of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedYears {
    None,
    One(u16),
    Several,
}

impl StatementContext {
    fn read(text: &str, what: Stated, span: Span) -> StatementContext {
        static YEAR: OnceLock<Regex> = OnceLock::new();
        let at = span.start;
        let clause = &text[clause_start(text, at)..at];
        let other_year_words = OTHER_YEAR.any_in(clause);
        let before = &text[sentence_start(text, at)..at];
        let mut years = NamedYears::None;
        if before.contains('年') {
            for c in re(&YEAR, r"((?:19|20)[0-9]{2})\s*年").captures_iter(before) {
                let Ok(y) = c[1].parse::<u16>() else { continue };
                years = match years {
                    NamedYears::None => NamedYears::One(y),
                    NamedYears::One(x) if x == y => years,
                    _ => NamedYears::Several,
                };
            }
        }
        let about_disclosure = what
            .case_keyword()
            .is_some_and(|_| cases_about_disclosure(text, Stated::keyword_at(what, text, span)));
        StatementContext {
            other_year_words,
            years,
            about_disclosure,
        }
    }

    /// Whether the statement speaks of another year than the report's `year`: its clause says
    /// so (`上年同期收到申请20件`), or its sentence names another year (`2022年，发生行政复议2件`;
    /// `2023年1月` in a 2023 report is this year).
    fn about_other_year(&self, year: Option<u16>) -> bool {
        self.other_year_words
            || match (self.years, year) {
                (_, None) | (NamedYears::None, _) => false,
                (NamedYears::One(y), Some(year)) => y != year,
                (NamedYears::Several, Some(_)) => true,
            }
    }
}

/// Words before a result keyword that make it about one kind of applicant, not the total.
static APPLICANT: Words = Words::new(&[
    "自然人",
    "法人",
    "企业",
    "组织",
    "机构",
    "个人",
    "律师",
    "其他申请人",
]);

const RESULT_WORDS: &[&str] = &[
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
];

/// Whether `before` (the clause up to a keyword) ends in another keyword with no number after
/// it: `予以公开和` + `部分公开…`, one count for two things.
fn joined(before: &str, words: &[&str]) -> bool {
    let last = words
        .iter()
        .filter_map(|w| before.rfind(w).map(|at| at + w.len()))
        .max();
    last.is_some_and(|end| {
        !before[end..].chars().any(|c| {
            c.is_ascii_digit() || "０１２３４５６７８９零〇一二两三四五六七八九十".contains(c)
        })
    })
}

/// Words before a statement that make it about another year than the report's.
static OTHER_YEAR: Words = Words::new(&["上年", "去年", "上一年", "前年", "同比", "以来", "累计"]);

/// Words in the clause before `收到` that make a count one channel's: `其中通过网络平台收到申请
/// 20件`. (`通过网站、信函等方式共收到…` and `通过各渠道…` name every channel: the total.)
static CHANNEL: Words = Words::new(&[
    "网上",
    "网络",
    "在线",
    "网站",
    "平台",
    "邮箱",
    "电子邮件",
    "当面",
    "现场",
    "窗口",
    "信函",
    "邮寄",
    "传真",
    "电话",
]);

/// Whether the clause before a count of applications received (`收到…申请N件`) makes it one
/// channel's part of the total.
fn one_channel(clause: &str) -> bool {
    clause.contains("其中")
        || (CHANNEL.any_in(clause) && !clause.contains('等') && !clause.contains('各'))
}

/// Words before a count that make it one part of the year's: `上半年`, `第三季度`, `近3个月`.
static PART_OF_YEAR: Words = Words::new(&[
    "季度", "半年", "个月", "每月", "月均", "当月", "本月", "上月", "同期",
]);

/// Whether the `clause` before a count makes it one month's, quarter's or half-year's:
/// `12月收到申请3件`, `1-6月`, `上半年`. `1月至12月` and `截至12月底` are the whole year.
fn part_of_year(clause: &str) -> bool {
    static MONTH: OnceLock<Regex> = OnceLock::new();
    if PART_OF_YEAR.any_in(clause) {
        return true;
    }
    let months: Vec<i64> = re(
        &MONTH,
        r"([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月",
    )
    .captures_iter(clause)
    .filter_map(|c| parse_count(&c[1]))
    .collect();
    let Some(&last) = months.last() else {
        return false;
    };
    let whole_year = (months.contains(&1) && months.contains(&12))
        || (last == 12 && ["截至", "截止", "至今"].iter().any(|w| clause.contains(w)));
    !whole_year
}

/// Words before a count that make it a wider scope's than the agency's own: `全市生态环境系统
/// 共收到申请120件`, `各县区`, `局属单位`.
static WIDER_SCOPE: Words = Words::new(&[
    "全市",
    "全县",
    "全区",
    "全省",
    "全州",
    "全旗",
    "全盟",
    "系统",
    "各县",
    "各区",
    "各市",
    "各乡",
    "各镇",
    "各街道",
    "县区",
    "县（市、区）",
    "县(市、区)",
    "所属",
    "下属",
    "直属",
    "局属",
    "各单位",
    "各部门",
    "各级",
]);

/// Whether the `sentence` before a count makes it a wider scope's: [`WIDER_SCOPE`], or
/// `分局` as one of several (`各分局`, `3个分局`, `市局及分局`) — not the agency's own name
/// (`禄丰分局`).
fn wider_scope(sentence: &str) -> bool {
    WIDER_SCOPE.any_in(sentence)
        || sentence.match_indices("分局").any(|(i, _)| {
            sentence[..i]
                .chars()
                .next_back()
                .is_some_and(|c| "各个属及和与含、等".contains(c))
        })
}

/// Whether the count whose words run from `at` to `end` (`收到申请24件`) is not of the
/// agency's whole year: of a part of it, or of a wider scope.
fn not_the_agencys_year(text: &str, at: usize, end: usize) -> bool {
    part_of_year(&text[clause_start(text, at)..end])
        || wider_scope(&text[sentence_start(text, at)..end])
}

/// Words right before `行政复议`/`行政诉讼` that make it another kind of case: `环境行政复议`,
/// `行政处罚类行政复议`, `其他行政诉讼`.
const OTHER_CASE_WORDS: &[&str] = &[
    "环境", "环保", "执法", "处罚", "许可", "审批", "征收", "强制", "信访", "土地", "规划", "税务",
    "工伤", "治安", "其他", "一般",
];

/// Whether the words before a `行政复议`/`行政诉讼` keyword (`before`, up to it) qualify it as
/// another kind of case than one about information disclosure.
fn other_kind_of_case(before: &str) -> bool {
    let mut b = before.trim_end();
    while let Some(rest) = ["的", "类", "方面", "领域", "相关", "等"]
        .iter()
        .find_map(|w| b.strip_suffix(w))
    {
        b = rest.trim_end();
    }
    OTHER_CASE_WORDS.iter().any(|w| b.ends_with(w))
}

/// Where the sentence holding `at` starts, at a full stop or line end only (a `；` list goes on).
fn full_sentence_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['。', '！', '？', '\n']).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    })
}

/// Whether the 行政复议/行政诉讼 keyword at `at` counts cases about information disclosure: its
/// sentence names 信息公开 before it, in the keyword's own clause or in clauses that each count
/// such cases (`因政府信息公开被申请行政复议0件，被提起行政诉讼1件`). `政府信息公开工作顺利开展，
/// 全年办理行政复议12件` names it for another clause.
fn cases_about_disclosure(text: &str, at: usize) -> bool {
    let before = &text[full_sentence_start(text, at)..at];
    let Some(end) = ["信息公开", "依申请公开"]
        .iter()
        .filter_map(|w| before.rfind(w).map(|i| i + w.len()))
        .max()
    else {
        return false;
    };
    let between: Vec<&str> = before[end..].split(['，', ',', '；', ';']).collect();
    between[..between.len() - 1]
        .iter()
        .all(|c| c.contains("行政复议") || c.contains("行政诉讼"))
}

/// The counts the text states, outside the tables, that nianbao reads without doubt.
pub fn statements(text: &str, tables: &[Span]) -> Vec<Statement> {
    statements_in(text, &prose_ranges(text.len(), tables))
}

/// [`statements`] in the `prose` stretches of `text`.
fn statements_in(text: &str, prose: &[(usize, usize)]) -> Vec<Statement> {
    static RECEIVED: OnceLock<Regex> = OnceLock::new();
    static RECEIVED_NONE: OnceLock<Regex> = OnceLock::new();
    static RESULT: OnceLock<Regex> = OnceLock::new();
    static CARRIED_OUT: OnceLock<Regex> = OnceLock::new();
    static CARRIED_OUT_NONE: OnceLock<Regex> = OnceLock::new();
    static CARRIED_IN: OnceLock<Regex> = OnceLock::new();
    static CASES: OnceLock<Regex> = OnceLock::new();
    static CASES_NONE: OnceLock<Regex> = OnceLock::new();

    let received = re_formatted(&RECEIVED, || {
        format!(
            r"(?:收到|新收|受理)([^，。；,;！？\n0-9０-９]{{0,24}}?)(?:申请(?:件|数量|数)?|依申请(?:信息)?公开(?:事项|件)?)(?:共计|共|合计|总计|为|了)?\s*{NUM}\s*件"
        )
    });
    let received_none = re(
        &RECEIVED_NONE,
        r"(?:未|没有|没)(?:收到|受理)([^，。；,;！？\n0-9０-９]{0,20}?)申请",
    );
    let result = re_formatted(&RESULT, || {
        format!(
            r"(予以公开|部分公开|不予以?公开|无法提供|不予以?处理|其他处理)(?:的|类|为|了|:|：)?\s*(?:共计|共)?\s*{NUM}\s*件"
        )
    });
    let carried_out = re_formatted(&CARRIED_OUT, || {
        format!(
            r"结转(?:至|到)?下(?:一)?年度?(?:继续办理|办理)?(?:的)?(?:申请|政府信息公开申请)?(?:共|为)?\s*{NUM}\s*件"
        )
    });
    let carried_out_none = re(
        &CARRIED_OUT_NONE,
        r"(?:无|没有)(?:需要|需)?结转(?:至|到)?下(?:一)?年度?",
    );
    let carried_in = re_formatted(&CARRIED_IN, || {
        format!(
            r"(?:上一?年度?结转|结转上一?年度?)(?:的)?(?:申请|政府信息公开申请)?(?:共|为)?\s*{NUM}\s*件"
        )
    });
    let cases = re_formatted(&CASES, || {
        format!(r"(行政复议|行政诉讼)(?:案件|申请)?(?:共计|共|为)?\s*{NUM}\s*(?:件|起|宗)")
    });
    let cases_none = re(
        &CASES_NONE,
        r"(?:未|没有|无)(?:因政府信息公开(?:工作)?)?(?:被申请|被提起|发生|出现|被)?(?:的)?(?:行政复议|行政诉讼)[^，。；,;！？\n]{0,20}",
    );

    let mut out = Vec::new();
    let mut push = |what: Stated, value: i64, span: Span| {
        out.push(Statement {
            what,
            value,
            span,
            context: StatementContext::read(text, what, span),
        });
    };
    let span_of = |o: usize, m: regex::Match| Span::new(o + m.start(), o + m.end());
    // `未收到…申请`: the denial stands right before 收到/受理, 申请 at most 22 characters on.
    let received_none_at = Anchored {
        anchors: &["收到", "受理"],
        back: 2,
        ahead: 22,
        keep: |text, at| text[..at].ends_with(['未', '没']) || text[..at].ends_with("没有"),
    };
    // `无需结转至下一年度`.
    let carried_out_none_at = Anchored {
        anchors: &["结转"],
        back: 4,
        ahead: 5,
        keep: |_, _| true,
    };
    // `未因政府信息公开工作被申请行政复议…`: 16 characters before, 20 after.
    let cases_none_at = Anchored {
        anchors: &["行政复议", "行政诉讼"],
        back: 16,
        ahead: 20,
        keep: |_, _| true,
    };
    let hits = anchors_in(text, prose, STATEMENT_ANCHORS);
    let counted = COUNTED.windows(text, prose, &hits);
    let in_counted = |re: &'static Regex| -> Vec<(usize, regex::Captures<'_>)> {
        counted
            .iter()
            .flat_map(|&(from, to)| re.captures_iter(&text[from..to]).map(move |c| (from, c)))
            .collect()
    };

    for (o, cap) in in_counted(received) {
        let whole = cap.get(0).expect("match");
        let at = o + whole.start();
        let number = o + cap.get(2).expect("number").start();
        // `其中通过网络平台收到申请20件`, `12月收到申请3件`, `全市生态环境系统共收到申请120件`:
        // parts of the agency's year, or more than it.
        if one_channel(&text[clause_start(text, at)..number])
            || not_the_agencys_year(text, at, number)
        {
            continue;
        }
        let mid = &cap[1];
        if [
            "复议",
            "诉讼",
            "举报",
            "信访",
            "投诉",
            "咨询",
            "结转",
            "自然人",
            "法人",
            "企业",
        ]
        .iter()
        .any(|w| mid.contains(w))
        {
            continue;
        }
        if let Some(v) = parse_count(&cap[2]) {
            push(Stated::Received, v, span_of(o, whole));
        }
    }
    for (o, cap) in received_none_at.captures(received_none, text, prose, &hits) {
        let whole = cap.get(0).expect("match");
        if not_the_agencys_year(text, o + whole.start(), o + whole.end()) {
            continue;
        }
        let mid = &cap[1];
        if ["复议", "诉讼", "举报", "信访", "投诉"]
            .iter()
            .any(|w| mid.contains(w))
        {
            continue;
        }
        push(Stated::Received, 0, span_of(o, whole));
    }
    for (o, cap) in in_counted(result) {
        let whole = cap.get(0).expect("match");
        let at = o + whole.start();
        let kw = &cap[1];
        let before = &text[..at];
        // 不予以公开 holds 予以公开; 部分予以公开 is 部分公开.
        if kw == "予以公开" && (before.ends_with('不') || before.ends_with("部分")) {
            continue;
        }
        let sentence = &text[sentence_start(text, at)..at];
        if APPLICANT.any_in(sentence) {
            continue;
        }
        if not_the_agencys_year(text, at, o + cap.get(2).expect("number").start()) {
            continue;
        }
        // `予以公开和部分公开共20件` counts both: in doubt.
        let clause = &text[clause_start(text, at)..at];
        if joined(clause, RESULT_WORDS) {
            continue;
        }
        let what = match kw {
            "予以公开" => Stated::Disclosed,
            "部分公开" => Stated::PartlyDisclosed,
            "无法提供" => Stated::Unavailable,
            "其他处理" => Stated::OtherHandled,
            k if k.ends_with("公开") => Stated::Withheld,
            _ => Stated::NotHandled,
        };
        if let Some(v) = parse_count(&cap[2]) {
            push(what, v, span_of(o, whole));
        }
    }
    // Counts of the agency's year as a whole: not a part of it, not a wider scope.
    let agencys_year =
        |o: usize, m: regex::Match| !not_the_agencys_year(text, o + m.start(), o + m.end());
    for (o, cap) in in_counted(carried_out) {
        let whole = cap.get(0).expect("match");
        if !agencys_year(o, whole) {
            continue;
        }
        if let Some(v) = parse_count(&cap[1]) {
            push(Stated::CarriedOut, v, span_of(o, whole));
        }
    }
    for (o, cap) in carried_out_none_at.captures(carried_out_none, text, prose, &hits) {
        let whole = cap.get(0).expect("match");
        if agencys_year(o, whole) {
            push(Stated::CarriedOut, 0, span_of(o, whole));
        }
    }
    for (o, cap) in in_counted(carried_in) {
        let whole = cap.get(0).expect("match");
        if !agencys_year(o, whole) {
            continue;
        }
        if let Some(v) = parse_count(&cap[1]) {
            push(Stated::CarriedIn, v, span_of(o, whole));
        }
    }
    for (o, cap) in in_counted(cases) {
        let whole = cap.get(0).expect("match");
        let at = o + whole.start();
        // `行政复议和行政诉讼1件` counts both: in doubt.
        let clause = &text[clause_start(text, at)..at];
        if joined(clause, &["行政复议", "行政诉讼"]) {
            continue;
        }
        // `环境行政复议案件12件`: another kind of case.
        if other_kind_of_case(clause) || !agencys_year(o, whole) {
            continue;
        }
        let what = if &cap[1] == "行政复议" {
            Stated::Review
        } else {
            Stated::Litigation
        };
        if let Some(v) = parse_count(&cap[2]) {
            push(what, v, span_of(o, whole));
        }
    }
    for (o, cap) in cases_none_at.captures(cases_none, text, prose, &hits) {
        let m = cap.get(0).expect("match");
        let s = m.as_str();
        // `未发生行政复议被纠错` speaks of results, not of the count.
        if ["纠正", "纠错", "败诉", "撤销", "维持", "确认违法"]
            .iter()
            .any(|w| s.contains(w))
        {
            continue;
        }
        if !agencys_year(o, m) {
            continue;
        }
        let span = span_of(o, m);
        if s.contains("行政复议") {
            push(Stated::Review, 0, span);
        }
        if s.contains("行政诉讼") {
            push(Stated::Litigation, 0, span);
        }
    }
    out.sort_by_key(|s| s.span);
    out
}

/// A count read from the tables: the written totals and the computed sums (both are accepted,
/// so a wrong total is NB301's finding, not also a mismatch), where it is, and its label.
struct TableCount {
    accepted: Vec<i64>,
    span: Span,
    label: String,
}

fn total_of(row: &Row) -> Option<(Option<i64>, i64)> {
    if row.shape != RowShape::Complete || row.cells.len() != 7 {
        return None;
    }
    let written = match &row.cells[6].value {
        v if v.is_blank() => None,
        v => Some(v.as_int()?),
    };
    let computed: i64 = row.cells[..6].iter().map(Cell::int).sum();
    let any = row.cells.iter().any(|c| !c.value.is_blank());
    any.then_some((written, computed))
}

fn rows_count(t: &Table, ids: &[&str], label: &str) -> Option<TableCount> {
    let rows: Vec<&Row> = t.rows.iter().filter(|r| ids.contains(&r.spec.id)).collect();
    if rows.is_empty() {
        return None;
    }
    let mut written = Some(0i64);
    let mut computed = 0i64;
    for row in &rows {
        let (w, c) = total_of(row)?;
        written = match (written, w) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        computed += c;
    }
    let mut accepted = vec![computed];
    accepted.extend(written);
    Some(TableCount {
        accepted,
        span: rows[0].cells[6].span,
        label: label.to_string(),
    })
}

fn table_count(r: &Report, what: Stated) -> Option<TableCount> {
    if matches!(what, Stated::Review | Stated::Litigation) {
        let t = r.review.first()?;
        if t.shape != RowShape::Complete || t.cells.len() != 15 {
            return None;
        }
        let group = |g: usize| -> (Option<i64>, i64) {
            let cells = &t.cells[g * 5..g * 5 + 5];
            let written = if cells[4].value.is_blank() {
                None
            } else {
                cells[4].value.as_int()
            };
            (written, cells[..4].iter().map(Cell::int).sum())
        };
        if what == Stated::Review {
            let (w, c) = group(0);
            let mut accepted = vec![c];
            accepted.extend(w);
            return Some(TableCount {
                accepted,
                span: t.cells[4].span,
                label: "表四“行政复议”总计".into(),
            });
        }
        let (w1, c1) = group(1);
        let (w2, c2) = group(2);
        let mut accepted = vec![c1 + c2, c1, c2];
        if let (Some(a), Some(b)) = (w1, w2) {
            accepted.extend([a + b, a, b]);
        }
        return Some(TableCount {
            accepted,
            span: t.cells[9].span,
            label: "表四“行政诉讼”总计".into(),
        });
    }
    let t = r.application.first()?;
    let ids_of_group = |prefix: &str| -> Vec<&'static str> {
        t.rows
            .iter()
            .map(|row| row.spec.id)
            .filter(|id| {
                *id == prefix
                    || id
                        .strip_prefix(prefix)
                        .is_some_and(|rest| rest.starts_with('-'))
            })
            .collect()
    };
    match what {
        Stated::Received => {
            let mut new = rows_count(t, &["new"], "表三“一、本年新收政府信息公开申请数量”总计")?;
            // `收到申请 N 件` sometimes counts last year's carried-in applications too.
            if let Some(carried) = rows_count(t, &["carried-in"], "") {
                let extra: Vec<i64> = new
                    .accepted
                    .iter()
                    .flat_map(|a| carried.accepted.iter().map(move |b| a + b))
                    .collect();
                new.accepted.extend(extra);
            }
            Some(new)
        }
        Stated::Disclosed => rows_count(t, &["disclosed"], "表三“（一）予以公开”总计"),
        Stated::PartlyDisclosed => rows_count(t, &["partly-disclosed"], "表三“（二）部分公开”总计"),
        Stated::Withheld => rows_count(
            t,
            &ids_of_group("withheld"),
            "表三“（三）不予公开”各项总计之和",
        ),
        Stated::Unavailable => rows_count(
            t,
            &ids_of_group("unavailable"),
            "表三“（四）无法提供”各项总计之和",
        ),
        Stated::NotHandled => rows_count(
            t,
            &ids_of_group("not-handled"),
            "表三“（五）不予处理”各项总计之和",
        ),
        Stated::OtherHandled => rows_count(t, &ids_of_group("other"), "表三“（六）其他处理”总计"),
        Stated::CarriedIn => rows_count(
            t,
            &["carried-in"],
            "表三“二、上年结转政府信息公开申请数量”总计",
        ),
        Stated::CarriedOut => rows_count(t, &["carried-out"], "表三“四、结转下年度继续办理”总计"),
        Stated::Review | Stated::Litigation => None,
    }
}

fn text_table_mismatch(r: &Report, statements: &[Statement], out: &mut Vec<Diagnostic>) {
    if r.application.len() > 1 {
        // Flattened text read more than one way: the tables themselves are in doubt.
        return;
    }
    // Section 四 is about the reviews and lawsuits of information disclosure.
    let section_4 = r
        .sections
        .iter()
        .position(|h| h.number == 4)
        .map(|i| r.section_body(i));
    // Each count of the tables once, however many statements compare with it.
    let mut counts: [Option<Option<TableCount>>; STATED_KINDS] = Default::default();
    for s in statements {
        let count = counts[s.what as usize].get_or_insert_with(|| table_count(r, s.what));
        let Some(count) = count else {
            continue;
        };
        if count.accepted.contains(&s.value) || s.context.about_other_year(r.year) {
            continue;
        }
        if s.what.case_keyword().is_some() {
            // `全年共办理行政复议案件12件` in 一 counts every review, not only those about
            // information disclosure.
            let at = Stated::keyword_at(s.what, r.text, s.span);
            let in_section_4 = section_4.is_some_and(|b| b.start <= at && at < b.end);
            if !in_section_4 && !s.context.about_disclosure {
                continue;
            }
        }
        let shown = count.accepted.last().copied().unwrap_or(0);
        let written = &r.text[s.span.start..s.span.end];
        out.push(
            Diagnostic::new(
                &TEXT_TABLE_MISMATCH,
                s.span,
                Message::new(
                    format!("正文称“{written}”，而{}为 {shown}", count.label),
                    format!(
                        "The text says {} {} (“{written}”), the table says {shown}",
                        s.value,
                        s.what.en()
                    ),
                ),
            )
            .with_related(vec![Related {
                span: count.span,
                message: Message::new(count.label.clone(), "the table's count"),
            }]),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// NB402 enumeration-sum

/// A `共…N条，其中 a条、b条…` statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enumeration {
    pub total: i64,
    pub total_span: Span,
    pub parts: Vec<(i64, Span)>,
    /// The parts reached the total exactly (the rest of the sentence is about something else).
    pub closed: bool,
}

/// Every `共…N条（件/篇），其中…` in the prose.
pub fn enumerations(text: &str, tables: &[Span]) -> Vec<Enumeration> {
    enumerations_in(text, &prose_ranges(text.len(), tables))
}

/// [`enumerations`] in the `prose` stretches of `text`.
fn enumerations_in(text: &str, prose: &[(usize, usize)]) -> Vec<Enumeration> {
    static TOTAL: OnceLock<Regex> = OnceLock::new();
    static PART: OnceLock<Regex> = OnceLock::new();
    let total_re = re_formatted(&TOTAL, || {
        format!(
            r"(?:共计|共|合计|总计)[^。！？\n；;]{{0,40}}?{NUM}\s*(条|件|篇)\s*[，,。：:]?\s*其中\s*[，,：:]?"
        )
    });
    let part_re = re_formatted(&PART, || format!(r"{NUM}\s*(条|件|篇)"));
    let mut out = Vec::new();
    // Every enumeration ends in `其中`, which prose uses far less than `共`: the pattern is only
    // tried on the stretch before each `其中` (a pattern opening with `共…{0,40}?` is slow over
    // long prose, where `共` is everywhere). The stretch is longer than any match can be.
    const REACH: usize = 192;
    let candidates = occurrences(text, prose, "其中").flat_map(|at| {
        let &(from, to) = prose
            .iter()
            .find(|p| p.0 <= at && at < p.1)
            .expect("an occurrence lies in its stretch");
        // `…N条，其中`: a unit ends the words before it, or this is no enumeration.
        let before = text[from..at].trim_end();
        let before = before
            .strip_suffix(['，', ',', '。', '：', ':'])
            .unwrap_or(before)
            .trim_end();
        if !before.ends_with(['条', '件', '篇']) {
            return Vec::new();
        }
        let start = crate::report::floor_boundary(text, at.saturating_sub(REACH)).max(from);
        let end = ceil_boundary(text, (at + "其中".len() + 16).min(to));
        total_re
            .captures_iter(&text[start..end])
            .map(move |cap| (start, cap))
            .collect::<Vec<_>>()
    });
    let mut seen = std::collections::HashSet::new();
    for (offset, cap) in candidates {
        let whole = cap.get(0).expect("match");
        let (start, end) = (offset + whole.start(), offset + whole.end());
        // Two `其中` close together find the same statement twice.
        if !seen.insert(start) {
            continue;
        }
        let num = cap.get(1).expect("number");
        let (num_start, num_end) = (offset + num.start(), offset + num.end());
        // The total is the last number before 其中: `共…3个栏目…248条` takes 248.
        let between = &text[num_end..end];
        if between.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let Some(total) = parse_count(num.as_str()) else {
            continue;
        };
        let unit = &cap[2];
        let rest_start = end;
        let rest_end = text[rest_start..]
            .find(['。', '！', '？', '\n'])
            .map_or(text.len(), |i| rest_start + i);
        let rest = &text[rest_start..rest_end];
        let mut parts = Vec::new();
        let mut sum = 0i64;
        let mut closed = false;
        let mut depth = 0i32;
        let mut last = 0;
        for p in part_re.captures_iter(rest) {
            let m = p.get(0).expect("match");
            // Parenthesised detail (`其中A 10条（含B 3条）`) is not a part.
            for c in rest[last..m.start()].chars() {
                match c {
                    '（' | '(' => depth += 1,
                    '）' | ')' => depth -= 1,
                    _ => {}
                }
            }
            last = m.start();
            if depth > 0 || &p[2] != unit {
                continue;
            }
            let before = &rest[..m.start()];
            // A nested total (`…，其中…共 12 条`, `合计34条`) restates, it is no new part.
            let clause = &before[clause_start(before, before.len())..];
            if clause.contains("其中") {
                break;
            }
            let Some(v) = parse_count(&p[1]) else {
                continue;
            };
            parts.push((v, Span::new(rest_start + m.start(), rest_start + m.end())));
            sum = sum.saturating_add(v);
            if sum == total {
                closed = true;
                break;
            }
        }
        if parts.len() < 2 {
            continue;
        }
        out.push(Enumeration {
            total,
            total_span: Span::new(num_start, offset + cap.get(2).expect("unit").end()),
            parts,
            closed,
        });
    }
    out
}

fn enumeration_sum(text: &str, enumerations: &[Enumeration], out: &mut Vec<Diagnostic>) {
    for e in enumerations {
        if e.closed {
            continue;
        }
        let sum: i64 = e.parts.iter().fold(0i64, |a, p| a.saturating_add(p.0));
        if sum == e.total {
            continue;
        }
        let terms = e
            .parts
            .iter()
            .map(|p| p.0.to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        let total_text = &text[e.total_span.start..e.total_span.end];
        let (severity, zh, en) = if sum > e.total {
            (
                Severity::Warning,
                format!("“共{total_text}”，其中各项合计 {sum}（= {terms}），超过总数"),
                format!("The parts add up to {sum}, more than the total {}", e.total),
            )
        } else {
            (
                Severity::Info,
                format!("“共{total_text}”，其中列出的各项合计 {sum}（= {terms}），少于总数（如只列举了一部分，可忽略）"),
                format!("The parts listed add up to {sum}, less than the total {} (fine if the list is partial)", e.total),
            )
        };
        let mut d = Diagnostic::new(&ENUMERATION_SUM, e.total_span, Message::new(zh, en))
            .with_related(
                e.parts
                    .iter()
                    .map(|p| Related {
                        span: p.1,
                        message: Message::new(
                            format!("其中一项：{}", p.0),
                            format!("a part: {}", p.0),
                        ),
                    })
                    .collect(),
            );
        d.severity = severity;
        out.push(d);
    }
}

// ---------------------------------------------------------------------------------------------
// NB403 period-year

/// The statistics periods written out in the `prose`: `2023年1月1日至2023年12月31日`.
fn periods_in(text: &str, prose: &[(usize, usize)]) -> Vec<(Span, u16, Option<u16>)> {
    static PERIOD: OnceLock<Regex> = OnceLock::new();
    let period = re(
        &PERIOD,
        r"((?:19|20)[0-9]{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)+\s*(?:((?:19|20)[0-9]{2})\s*年\s*)?12\s*月\s*31\s*日",
    );
    let mut out = Vec::new();
    for &(from, to) in prose {
        for cap in period.captures_iter(&text[from..to]) {
            let whole = cap.get(0).expect("match");
            let (Ok(first), last) = (cap[1].parse::<u16>(), cap.get(2)) else {
                continue;
            };
            let last = last.and_then(|m| m.as_str().parse().ok());
            out.push((
                Span::new(from + whole.start(), from + whole.end()),
                first,
                last,
            ));
        }
    }
    out
}

/// How many sentences of the preamble may come before a bare period that states the report's
/// own (禄丰 opens its second sentence with `2023年1月1日至12月31日,`).
const PREAMBLE_SENTENCES: usize = 2;

/// Whether the period at `span` is the report's statistics period: its sentence says so
/// (`本报告中所列数据的统计期限自…`), or it opens one of the preamble's first sentences as what
/// the report covers (`2023年1月1日至12月31日,我局…`). `与2022年1月1日至12月31日相比` compares,
/// and `2022年1月1日至2022年12月31日期间我局开展了培训` dates one piece of work.
fn states_the_period(r: &Report, span: Span) -> bool {
    let text = r.text;
    static STATES_PERIOD: Words = Words::new(&["统计", "期限", "报告期", "数据", "本报告"]);
    let sentence = &text[sentence_start(text, span.start)..span.start];
    if STATES_PERIOD.any_in(sentence) {
        return true;
    }
    // A bare period: in the preamble, alone at the head of its sentence (or in brackets under
    // the title), after at most one sentence of the preamble.
    let preamble_end = r.sections.first().map_or(text.len(), |s| s.span.start);
    let bare = sentence
        .trim_matches(|c: char| c.is_whitespace() || "（(【[".contains(c))
        .is_empty();
    if span.start >= preamble_end || !bare {
        return false;
    }
    // What follows is a pause (the period is what the sentence is about), not `期间我局…`,
    // `内`, `的…`.
    let after = text[span.end..].trim_start_matches([' ', '\t', '\u{3000}', '止']);
    let pause = after.is_empty()
        || after.starts_with([
            '，', ',', '、', '：', ':', '。', '）', ')', '】', ']', '\n', '\r',
        ]);
    let sentences_before = text[..span.start].matches(['。', '！', '？']).count();
    pause && sentences_before < PREAMBLE_SENTENCES
}

fn period_year(r: &Report, periods: &[(Span, u16, Option<u16>)], out: &mut Vec<Diagnostic>) {
    let Some(year) = r.year else { return };
    for &(span, from, to) in periods {
        let written = &r.text[span.start..span.end];
        if !states_the_period(r, span) {
            continue;
        }
        let to = to.unwrap_or(from);
        if from == year && to == year {
            continue;
        }
        let wrong = if from != year { from } else { to };
        out.push(Diagnostic::new(
            &PERIOD_YEAR,
            span,
            Message::new(
                format!(
                    "统计期限“{written}”不是报告年度（{year}年）：应为{year}年1月1日至{year}年12月31日（写的是{wrong}年）"
                ),
                format!("The statistics period names {wrong}, but the report is for {year}"),
            ),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// NB404 deadline

fn deadline(r: &Report, options: &Options, out: &mut Vec<Diagnostic>) {
    use crate::report::agency::Date;
    let Some(year) = r.year else { return };
    let configured = &options.agency;
    let kind = configured
        .kind
        .or_else(|| configured.name.as_deref().and_then(kind_of))
        .or_else(|| r.agency_kind());
    let due = match (configured.deadline, kind) {
        (Some((m, d)), _) => (m, d),
        (None, Some(AgencyKind::Department)) => (1, 31),
        (None, Some(AgencyKind::Government)) => (3, 31),
        _ => return,
    };
    let due = Date {
        year: year + 1,
        month: due.0,
        day: due.1,
    };
    let kind_zh = match (configured.deadline, kind) {
        (Some(_), _) => "配置的期限".to_string(),
        (None, Some(k)) => format!("{}的法定期限", k.zh()),
        _ => String::new(),
    };
    let signature = r.signature_date();
    if let Some(sig) = signature {
        if sig.date > due {
            out.push(Diagnostic::new(
                &DEADLINE,
                sig.span,
                Message::new(
                    format!("落款日期{}晚于{kind_zh}{}", sig.date.zh(), due.zh()),
                    format!("Dated {}, after the deadline {}", sig.date.iso(), due.iso()),
                ),
            ));
            return;
        }
    }
    if let Some(stamp) = r.publication_stamp() {
        if stamp.date > due {
            let mut d = Diagnostic::new(
                &DEADLINE,
                stamp.span,
                Message::new(
                    format!("网页发布时间{}晚于{kind_zh}{}", stamp.date.zh(), due.zh()),
                    format!(
                        "Published {}, after the deadline {}",
                        stamp.date.iso(),
                        due.iso()
                    ),
                ),
            );
            d.severity = Severity::Info;
            out.push(d);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// NB405 fee-statement-missing

fn fee_statement(
    r: &Report,
    version: FormatVersion,
    fee_mentions: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    if version != FormatVersion::V2021 {
        return;
    }
    let Some(index) = r.sections.iter().position(|s| s.number == 6) else {
        return;
    };
    let heading = &r.sections[index];
    let body = r.section_body(index);
    let content = &r.text[body.start..body.end];
    // Any statement of the fee names it (信息处理费 too); how it is worded does not matter.
    if fee_mentions
        .iter()
        .any(|&at| body.start <= at && at < body.end)
    {
        return;
    }
    let empty = content.chars().all(char::is_whitespace);
    let mut d = Diagnostic::new(
        &FEE_STATEMENT_MISSING,
        heading.span,
        Message::new(
            "第六部分没有说明信息处理费的收取情况（未收取也应写明，例如“本年度未收取信息处理费。”）",
            "Section 六 does not state the information processing fee collected (state it even when none was)",
        ),
    );
    // An empty 六 gets NB105's sentence; a 六 with text gets one line more.
    if !empty && !heading.inline {
        let at = crate::fix::next_line_start(r.text, heading.span.end);
        // The line ending of the heading's own line (not a search of the whole text).
        let nl = if r.text[heading.span.end..]
            .find('\n')
            .is_some_and(|i| r.text[..heading.span.end + i].ends_with('\r'))
        {
            "\r\n"
        } else {
            "\n"
        };
        let sentence = format!("本年度未收取信息处理费。{nl}");
        d = d.with_fix(Fix {
            title: Message::new(
                "写明“本年度未收取信息处理费。”",
                "State that no processing fee was collected",
            ),
            safe: false,
            edits: vec![Edit {
                span: Span::empty(at),
                new_text: crate::fix::block_insertion(r.text, at, &sentence, nl, false),
            }],
        });
    }
    out.push(d);
}

// ---------------------------------------------------------------------------------------------
// NB406 citation

/// A document reports cite, with its number.
struct Known {
    issuer: &'static str,
    year: u16,
    number: u32,
    /// Words in the text just before a citation that say it means this document.
    context: &'static [&'static str],
}

const KNOWN: &[Known] = &[
    Known {
        issuer: "国办公开办函",
        year: 2021,
        number: 30,
        context: &["年度报告格式"],
    },
    Known {
        issuer: "国办公开办函",
        year: 2019,
        number: 60,
        context: &["年度报告有关事项"],
    },
    Known {
        issuer: "国办函",
        year: 2020,
        number: 109,
        context: &["信息处理费管理办法"],
    },
];

/// The title of the 《…》 that ends right before `at` (at most a bracket or two between).
fn title_before(text: &str, floor: usize, at: usize) -> Option<&str> {
    let mut from = crate::report::floor_boundary(text, at.saturating_sub(300)).max(floor);
    // A title stays in its paragraph run ([`paragraph_ends_before`]).
    if let Some(nl) = text[from..at]
        .match_indices('\n')
        .map(|(i, _)| from + i + 1)
        .rfind(|&p| paragraph_ends_before(text, p))
    {
        from = nl;
    }
    let context = &text[from..at];
    let close = context.rfind(['》', '>'])?;
    let after = close + context[close..].chars().next().map_or(1, char::len_utf8);
    let gap = &context[after..];
    if gap.chars().count() > 3 {
        return None;
    }
    let open = context[..close].rfind(['《', '<'])?;
    Some(&context[open..close])
}

/// NB406 in the `prose` stretches of `text`.
fn citations_in(text: &str, prose: &[(usize, usize)], out: &mut Vec<Diagnostic>) {
    for &(from, to) in prose {
        citations(text, from, to, out);
    }
}

/// NB406 in `text[from..to]` (positions in `text`; nothing before `from` is read).
fn citations(text: &str, from: usize, to: usize, out: &mut Vec<Diagnostic>) {
    static DOC: OnceLock<Regex> = OnceLock::new();
    static DECREE: OnceLock<Regex> = OnceLock::new();
    // From the bracketed year: a regex that starts with a few literal characters is fast; the
    // issuer before it (a run of Han characters) is taken by hand.
    let doc = re(
        &DOC,
        r"([〔\[（(【［])\s*((?:19|20)\d\d)\s*([〕\]）)】］])\s*第?\s*(\d{1,4})\s*号",
    );
    let decree = re(&DECREE, r"国务院令\s*(?:第\s*)?(\d{1,4})\s*号");

    let stretch = &text[from..to];
    // Brackets open half the asides of Chinese prose; a document number ends in `N号`, which is
    // rare: the pattern runs only in the 24 characters before each.
    let stretch_only = [(from, to)];
    let numbers = DOCUMENT_NUMBER.windows(
        text,
        &stretch_only,
        &anchors_in(text, &stretch_only, DOCUMENT_NUMBER.anchors),
    );
    let found = numbers.iter().flat_map(|&(start, end)| {
        doc.captures_iter(&text[start..end])
            .map(move |c| (start, c))
    });
    for (o, cap) in found {
        let at = |m: regex::Match| Span::new(o + m.start(), o + m.end());
        let bracket = at(cap.get(0).expect("match"));
        let before = &text[from..bracket.start];
        let trimmed = before.trim_end();
        let run_len: usize = trimmed
            .chars()
            .rev()
            .take_while(|c| is_han(*c))
            .take(12)
            .map(char::len_utf8)
            .sum();
        if run_len == 0 {
            continue;
        }
        let run_start = from + trimmed.len() - run_len;
        let run = &text[run_start..from + trimmed.len()];
        let whole = Span::new(run_start, bracket.end);
        // The issuer is the tail of the run of Han characters: `依据国办发` → `国办发`.
        let tail_at = ["国办", "国务院"].iter().filter_map(|p| run.rfind(p)).min();
        let issuer_start = run_start + tail_at.unwrap_or(0);
        let issuer = &text[issuer_start..from + trimmed.len()];
        let year: u16 = cap[2].parse().unwrap_or(0);
        let number: u32 = cap[4].parse().unwrap_or(0);
        let (open, close) = (cap.get(1).expect("open"), cap.get(3).expect("close"));
        let (open_span, close_span) = (at(open), at(close));
        let title = title_before(text, from, issuer_start).unwrap_or("");

        // Which known document is meant: by its year and number, or by the title before it.
        let by_number = KNOWN.iter().find(|k| k.year == year && k.number == number);
        let by_title = KNOWN
            .iter()
            .find(|k| k.context.iter().any(|c| title.contains(c)));
        let is_exact = |k: &Known| issuer == k.issuer && year == k.year && number == k.number;
        let meant = match (by_number, by_title) {
            (Some(k), _) if issuer == k.issuer => None,
            (Some(k), _) if tail_at.is_some() => Some(k),
            (_, Some(k)) if !is_exact(k) => Some(k),
            _ => None,
        };
        if let Some(k) = meant {
            let correct = format!("{}〔{}〕{}号", k.issuer, k.year, k.number);
            let written = &text[issuer_start..whole.end];
            out.push(
                Diagnostic::new(
                    &CITATION,
                    Span::new(issuer_start, whole.end),
                    Message::new(
                        format!("文号“{written}”有误：应为“{correct}”"),
                        format!("Document number “{written}” is miswritten: “{correct}”"),
                    ),
                )
                .with_fix(Fix {
                    title: Message::new(format!("改为“{correct}”"), format!("Use “{correct}”")),
                    safe: false,
                    edits: vec![Edit {
                        span: Span::new(issuer_start, whole.end),
                        new_text: correct.clone(),
                    }],
                }),
            );
            continue;
        }
        if open.as_str() != "〔" || close.as_str() != "〕" {
            // Only what looks like a document number: an issuer ending like one.
            if !["发", "函", "字", "办", "令", "通", "文"]
                .iter()
                .any(|e| issuer.ends_with(e))
            {
                continue;
            }
            let written = &text[issuer_start..whole.end];
            let mut d = Diagnostic::new(
                &CITATION,
                Span::new(open_span.start, close_span.end),
                Message::new(
                    format!("文号“{written}”的年份应使用六角括号〔〕"),
                    format!("The year in “{written}” belongs in 〔〕 brackets"),
                ),
            )
            .with_fix(Fix {
                title: Message::new("改用〔〕", "Use 〔〕"),
                safe: true,
                edits: vec![
                    Edit {
                        span: open_span,
                        new_text: "〔".into(),
                    },
                    Edit {
                        span: close_span,
                        new_text: "〕".into(),
                    },
                ],
            });
            d.severity = Severity::Info;
            out.push(d);
        }
    }

    for cap in decree.captures_iter(stretch) {
        let whole = cap.get(0).expect("match");
        let span = Span::new(from + whole.start(), from + whole.end());
        let number: u32 = cap[1].parse().unwrap_or(0);
        // 第711号 is the 2019 条例; 第492号 the 2007 one, cited when speaking of it.
        if number == 711 || number == 492 {
            continue;
        }
        // Only a decree number given for the 条例 itself: `《…政府信息公开条例》（国务院令第771号）`.
        let title = title_before(text, from, span.start).unwrap_or("");
        let about_regulations =
            title.contains("政府信息公开条例") || (title == "《条例" && close_to_711(number));
        if !about_regulations {
            continue;
        }
        let n = cap.get(1).expect("number");
        out.push(
            Diagnostic::new(
                &CITATION,
                span,
                Message::new(
                    format!(
                        "“{}”有误：《中华人民共和国政府信息公开条例》是国务院令第711号",
                        whole.as_str()
                    ),
                    format!(
                        "“{}” is miswritten: the Regulations are State Council Decree No. 711",
                        whole.as_str()
                    ),
                ),
            )
            .with_fix(Fix {
                title: Message::new("改为“第711号”", "Use No. 711"),
                safe: false,
                edits: vec![Edit {
                    span: Span::new(from + n.start(), from + n.end()),
                    new_text: "711".into(),
                }],
            }),
        );
    }
}

/// The first char boundary at or after `at`.
fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// Numbers a slip of the hand makes of 711: one digit changed, doubled, dropped or swapped.
fn close_to_711(n: u32) -> bool {
    let s = n.to_string();
    let t = "711";
    if s.len() == 3 {
        let diff = s.chars().zip(t.chars()).filter(|(a, b)| a != b).count();
        let mut sorted: Vec<char> = s.chars().collect();
        sorted.sort_unstable();
        return diff <= 1 || sorted == ['1', '1', '7'];
    }
    matches!(s.as_str(), "71" | "11" | "7111" | "7711")
}

// ---------------------------------------------------------------------------------------------
// NB407 carry-over

/// One row of table 三 as another report needs it: each column's value and cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowValues {
    pub label: Span,
    /// Seven columns: `None` for a blank or unreadable cell.
    pub cells: Vec<(Span, Option<i64>)>,
}

impl RowValues {
    pub fn of(row: &Row) -> Option<RowValues> {
        if row.shape != RowShape::Complete || row.cells.len() != 7 {
            return None;
        }
        Some(RowValues {
            label: row.label,
            cells: row
                .cells
                .iter()
                .map(|c| {
                    let v = if c.value.is_blank() {
                        None
                    } else {
                        c.value.as_int()
                    };
                    (c.span, v)
                })
                .collect(),
        })
    }
}

/// What the carry-over check needs of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CarryFacts {
    pub agency: Option<String>,
    pub year: Option<u16>,
    pub carried_in: Option<RowValues>,
    pub carried_out: Option<RowValues>,
}

impl CarryFacts {
    pub fn of(r: &Report, options: &Options) -> CarryFacts {
        // A flattened table 三 may read more than one way: a row is known when every reading
        // gives it, and a cell when every reading reads it alike (the same digits, the same
        // value); a cell the readings split differently is left unknown.
        let row = |id: &str| -> Option<RowValues> {
            let mut readings = r
                .application
                .iter()
                .map(|t| t.row(id).and_then(RowValues::of));
            let mut agreed = readings.next()??;
            for other in readings {
                let other = other?;
                for (cell, theirs) in agreed.cells.iter_mut().zip(&other.cells) {
                    if *cell != *theirs {
                        cell.1 = None;
                    }
                }
            }
            Some(agreed)
        };
        CarryFacts {
            agency: options.agency.name.clone().or_else(|| r.agency_name()),
            year: r.year,
            carried_in: row("carried-in"),
            carried_out: row("carried-out"),
        }
    }
}

fn same_agency(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    norm(a) == norm(b)
}

/// NB407: this year's 二、上年结转 against last year's 四、结转下年度继续办理, column by column.
/// `current` and `previous` are two reports' facts; nothing unless they are of the same agency
/// and consecutive years. The diagnostic is on the current report.
pub fn carry_over(current: &CarryFacts, previous: &CarryFacts) -> Option<Diagnostic> {
    let (Some(a), Some(b)) = (&current.agency, &previous.agency) else {
        return None;
    };
    if !same_agency(a, b) {
        return None;
    }
    let (Some(year), Some(prev_year)) = (current.year, previous.year) else {
        return None;
    };
    if prev_year + 1 != year {
        return None;
    }
    let (Some(cin), Some(cout)) = (&current.carried_in, &previous.carried_out) else {
        return None;
    };
    let mut differ = Vec::new();
    for (i, (now, before)) in cin.cells.iter().zip(&cout.cells).enumerate() {
        if let (Some(x), Some(y)) = (now.1, before.1) {
            if x != y {
                differ.push((i, now.0, x, y));
            }
        }
    }
    let first = differ.first()?;
    let columns = crate::format::APPLICANT_COLUMNS;
    let list_zh = differ
        .iter()
        .map(|(i, _, x, y)| format!("{} {x}（上年 {y}）", columns[*i]))
        .collect::<Vec<_>>()
        .join("，");
    let list_en = differ
        .iter()
        .map(|(i, _, x, y)| format!("{} {x} (last year {y})", columns[*i]))
        .collect::<Vec<_>>()
        .join(", ");
    Some(
        Diagnostic::new(
            &CARRY_OVER,
            first.1,
            Message::new(
                format!(
                    "表三“二、上年结转政府信息公开申请数量”与{prev_year}年报告“四、结转下年度继续办理”不符：{list_zh}"
                ),
                format!("Carried-in applications differ from the {prev_year} report's carried-out: {list_en}"),
            ),
        )
        .with_related(
            differ[1..]
                .iter()
                .map(|(i, span, x, y)| Related {
                    span: *span,
                    message: Message::new(
                        format!("{} {x}，上年报告为 {y}", columns[*i]),
                        format!("{} {x}, last year {y}", columns[*i]),
                    ),
                })
                .collect(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seeds, and a long text made of their paragraphs: what the prose rules read.
    fn prose_texts() -> Vec<String> {
        let seeds = [
            include_str!("../../tests/corpus/datong-eco-2023.txt"),
            include_str!("../../tests/corpus/datong-eco-2023-flat.txt"),
            include_str!("../../tests/corpus/fuxin-eco-2022.txt"),
            include_str!("../../tests/corpus/hengshui-eco-2023.txt"),
            include_str!("../../tests/corpus/lufeng-eco-2023.txt"),
            include_str!("../../tests/corpus/xinzhou-eco-2020.txt"),
        ];
        let mut texts: Vec<String> = seeds.iter().map(|s| s.to_string()).collect();
        let mut long = String::new();
        for s in seeds {
            long.push_str(s);
            long.push('\n');
        }
        // Citations and periods split over lines, and a 其中 list after a full stop.
        long.push_str("依据《中华人民共和国政府信息公开条例》。\n（国务院令第771号）\n");
        long.push_str("本年度共发布信息12条。\n其中，通知公告7条，政策文件8条。\n");
        long.push_str("统计期限为2022年1月1日\n至2022年12月31日。\n");
        // Counts that are not the year's, and 依申请公开 counts.
        long.push_str(
            "全年共收到依申请公开25件。\n其中通过网络平台收到申请20件，12月收到申请3件。\n",
        );
        long.push_str("全市系统收到依申请信息公开事项 96 件；全年办理环境行政复议案件12件。\n");
        texts.push(long);
        texts
    }

    fn facts_key(f: &ProseFacts) -> String {
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            f.statements,
            f.enumerations
                .iter()
                .map(|e| (e.total, e.total_span, e.parts.clone(), e.closed))
                .collect::<Vec<_>>(),
            f.periods,
            f.citations
                .iter()
                .map(|d| (d.span, d.message.zh.clone(), d.fix.clone()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn prose_read_in_runs_is_prose_read_whole() {
        for text in prose_texts() {
            let prose = [(0, text.len())];
            let whole = ProseFacts::read(&text, &prose);
            let mut cache = ProseCache::default();
            let runs = cache.read(&text, &prose);
            assert_eq!(facts_key(&whole), facts_key(&runs));
            assert!(!whole.statements.is_empty() || text.len() < 20_000);
            // Again from the cache, and after an edit in the middle.
            assert_eq!(facts_key(&whole), facts_key(&cache.read(&text, &prose)));
            let mid = crate::report::floor_boundary(&text, text.len() / 2);
            let edited = format!(
                "{}收到政府信息公开申请9件。\n{}",
                &text[..mid],
                &text[mid..]
            );
            let prose = [(0, edited.len())];
            assert_eq!(
                facts_key(&ProseFacts::read(&edited, &prose)),
                facts_key(&cache.read(&edited, &prose))
            );
        }
    }

    /// A cache told of every edit finds the runs outside them by position: the facts stay
    /// those of a whole read through edits that shift, split, join and change runs, reported
    /// one by one and read after one, two or three of them (put together).
    #[test]
    fn a_cache_told_of_the_edits_reads_what_a_whole_read_finds() {
        for mut text in prose_texts() {
            let mut cache = ProseCache::tracking();
            // Each read checks its facts, and returns how many runs it found by position and
            // how many it read.
            let read = |cache: &mut ProseCache, text: &str| {
                let prose = [(0, text.len())];
                assert_eq!(
                    facts_key(&ProseFacts::read(text, &prose)),
                    facts_key(&cache.read(text, &prose)),
                    "after edits"
                );
                (
                    cache.by_position,
                    cache.runs.values().map(Vec::len).sum::<usize>(),
                )
            };
            read(&mut cache, &text);
            let at = |text: &str, fraction: usize| {
                crate::report::floor_boundary(text, text.len() * fraction / 10)
            };
            let edits: Vec<(usize, usize, &str)> = vec![
                (7, 0, "收到政府信息公开申请9件。\n"),
                (2, 3, ""),
                (9, 0, "7"),
                (5, 0, "。\n其中"),
                (1, 40, "行政复议2件"),
                (8, 0, "\n"),
                (4, 1, "2023年1月1日至12月31日，"),
            ];
            for (i, (fraction, removed, inserted)) in edits.into_iter().enumerate() {
                let start = at(&text, fraction);
                let end = crate::report::floor_boundary(&text, (start + removed).min(text.len()));
                text.replace_range(start..end, inserted);
                cache.edited(start, end, inserted.len());
                if i % 3 != 1 {
                    // One edit changes at most three runs; the others are found where they
                    // were. (Edits put together span what lies between them.)
                    let (by_position, runs) = read(&mut cache, &text);
                    if i % 3 == 0 {
                        assert!(by_position + 3 >= runs, "{by_position} of {runs}");
                    }
                }
            }
            let (by_position, runs) = read(&mut cache, &text);
            assert_eq!(by_position, runs, "no edit since the last read");
            // Replaced whole: found by text alone.
            text.insert_str(0, "全年共收到申请5件。\n");
            cache.lost_track();
            assert_eq!(read(&mut cache, &text).0, 0);
        }
    }

    #[test]
    fn the_cache_keeps_only_the_last_texts_runs() {
        let text = prose_texts().pop().expect("long text");
        let mut cache = ProseCache::default();
        cache.read(&text, &[(0, text.len())]);
        let runs = cache.runs.values().map(Vec::len).sum::<usize>();
        assert!(runs > 8, "the long text is cut into runs ({runs})");
        cache.read("收到申请1件。", &[(0, "收到申请1件。".len())]);
        assert_eq!(cache.runs.values().map(Vec::len).sum::<usize>(), 1);
    }

    #[test]
    fn prose_is_what_the_tables_leave() {
        let tables = [Span::new(50, 80), Span::new(10, 20), Span::new(15, 30)];
        assert_eq!(prose_ranges(100, &tables), [(0, 10), (30, 50), (80, 100)]);
        assert_eq!(prose_ranges(100, &[Span::new(0, 100)]), []);
        assert_eq!(prose_ranges(5, &[]), [(0, 5)]);
    }

    fn stated(text: &str) -> Vec<(Stated, i64)> {
        statements(text, &[])
            .into_iter()
            .map(|s| (s.what, s.value))
            .collect()
    }

    #[test]
    fn statements_real_reports_make() {
        // 衡水 2023.
        assert_eq!(
            stated("全年共收到政府信息公开申请24件，同比增长41.18%，所有信息公开申请中，属于予以公开9件，部分公开7件，无法提供6件，其他处理2件。"),
            vec![
                (Stated::Received, 24),
                (Stated::Disclosed, 9),
                (Stated::PartlyDisclosed, 7),
                (Stated::Unavailable, 6),
                (Stated::OtherHandled, 2)
            ]
        );
        assert_eq!(
            stated("未因政府信息公开被申请行政复议和提起行政诉讼。"),
            vec![(Stated::Review, 0), (Stated::Litigation, 0)]
        );
        // 禄丰 2023.
        assert_eq!(
            stated("2023年度,没有收到依申请公开案件。"),
            vec![(Stated::Received, 0)]
        );
        // 大同 2023.
        assert_eq!(
            stated("无结转下年度依申请公开；无因政府信息公开的行政复议；因政府信息公开导致行政诉讼1件，已当庭撤诉。"),
            vec![(Stated::CarriedOut, 0), (Stated::Review, 0), (Stated::Litigation, 1)]
        );
        assert_eq!(stated("共收到申请二十四件。"), vec![(Stated::Received, 24)]);
        // 阜新 2022, and the like.
        assert_eq!(
            stated("2022 年我局收到依申请信息公开事项 6 件，其中自然人申请 6 件。"),
            vec![(Stated::Received, 6)]
        );
        assert_eq!(
            stated("全年共收到依申请公开25件。"),
            vec![(Stated::Received, 25)]
        );
        // Parts of the year, of the applications or of a wider scope; other kinds of case.
        assert!(stated("其中通过网络平台收到申请20件，当面申请4件。").is_empty());
        assert!(stated("12月收到政府信息公开申请3件").is_empty());
        assert!(stated("第三季度收到申请3件").is_empty());
        assert!(stated("全市生态环境系统共收到政府信息公开申请120件").is_empty());
        assert!(stated("各分局共收到申请12件").is_empty());
        assert!(stated("全年共办理环境行政复议案件12件").is_empty());
        assert!(stated("行政处罚类的行政诉讼3件").is_empty());
        assert_eq!(stated("禄丰分局共收到申请3件"), vec![(Stated::Received, 3)]);
        assert_eq!(
            stated("1月至12月共收到申请24件"),
            vec![(Stated::Received, 24)]
        );
        assert_eq!(
            stated("通过网站、信函等方式共收到申请24件"),
            vec![(Stated::Received, 24)]
        );
        // Not statements of the totals.
        assert!(stated("不予以公开3件")
            .iter()
            .all(|s| s.0 != Stated::Disclosed));
        assert!(stated("自然人申请20件，其中予以公开18件").is_empty());
        assert!(stated("行政复议和行政诉讼1件")
            .iter()
            .all(|s| s.0 != Stated::Litigation));
        assert!(stated("未发生行政复议被纠错的情况").is_empty());
        assert!(stated("收到信访举报申请3件").is_empty());
        assert!(stated("予以公开和部分公开共20件").is_empty());
        assert_eq!(
            stated("行政复议0件、行政诉讼1件"),
            vec![(Stated::Review, 0), (Stated::Litigation, 1)]
        );
        assert_eq!(
            stated("予以公开9件、部分公开7件"),
            vec![(Stated::Disclosed, 9), (Stated::PartlyDisclosed, 7)]
        );
    }

    #[test]
    fn cases_about_information_disclosure() {
        let about = |s: &str, kw: &str| cases_about_disclosure(s, s.find(kw).expect("keyword"));
        assert!(about(
            "未因政府信息公开被申请行政复议和提起行政诉讼。",
            "行政诉讼"
        ));
        assert!(about(
            "因政府信息公开被申请行政复议0件，被提起行政诉讼1件。",
            "行政诉讼"
        ));
        assert!(about(
            "无因政府信息公开的行政复议；因依申请公开导致行政诉讼1件。",
            "行政诉讼"
        ));
        assert!(!about("全年共办理行政复议案件12件。", "行政复议"));
        assert!(!about(
            "政府信息公开各项工作顺利开展，全年办理行政复议12件。",
            "行政复议"
        ));
        assert!(!about(
            "政府信息公开工作顺利开展。全年办理行政复议12件。",
            "行政复议"
        ));
    }

    #[test]
    fn enumerations_real_reports_make() {
        // 大同: adds up.
        let e = enumerations("公开政府信息共计248条，其中信息公开年度报告1条，机构职能1条，内设机构1条，办公地址1条，领导班子1条，政策文件10条，部门动态65条，财政决策预算6条，行政执法专栏162条。", &[]);
        assert_eq!(e.len(), 1);
        assert!(e[0].closed);
        // 阜新: a partial list.
        let e = enumerations("主动公开信息共计 805 条。其中，市生态环境局重点领域公开中，AQI 实时发布 24 小时在线自动更新；环境空气质量、水环境信息等监测信息集中发布共计 12 条；执法信息及处罚决定共计公开 168 条；各项环境工作信息动态进展情况发布 138 条；通知公告 42 条；审批及环境验收等公示共计 296 条。", &[]);
        assert_eq!(e[0].total, 805);
        assert_eq!(e[0].parts.iter().map(|p| p.0).sum::<i64>(), 656);
        // A clause after the list that reaches the total closes it.
        let e = enumerations("共收到申请7件，其中自然人5件、法人2件，办结7件。", &[]);
        assert!(e[0].closed);
        // Parenthesised detail is no part.
        let e = enumerations(
            "共发布信息20条，其中政策文件10条（含解读3条），动态10条。",
            &[],
        );
        assert!(e[0].closed, "{e:?}");
    }

    #[test]
    fn miswritten_711() {
        assert!(close_to_711(771));
        assert!(close_to_711(717));
        assert!(close_to_711(117));
        assert!(!close_to_711(588));
    }
}
