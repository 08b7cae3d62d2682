//! The language server driven through its protocol, in process: `nianbao::lsp::serve` over an
//! in-memory pipe, with a small JSON-RPC client (tests/lsp_support).

mod lsp_support;

use std::time::Duration;

use lsp_support::{apply_text_edits, document_edits, TestClient};
use nianbao::text::{ColumnUnit, LineCol, LineIndex};
use nianbao::{analyze, Severity};
use serde_json::{json, Value};

const DATONG: &str = include_str!("corpus/datong-eco-2023.txt");
const LUFENG: &str = include_str!("corpus/lufeng-eco-2023.txt");
const SEEDS: [(&str, &str); 5] = [
    (
        "datong-eco-2023.txt",
        include_str!("corpus/datong-eco-2023.txt"),
    ),
    (
        "fuxin-eco-2022.txt",
        include_str!("corpus/fuxin-eco-2022.txt"),
    ),
    (
        "hengshui-eco-2023.txt",
        include_str!("corpus/hengshui-eco-2023.txt"),
    ),
    (
        "lufeng-eco-2023.txt",
        include_str!("corpus/lufeng-eco-2023.txt"),
    ),
    (
        "xinzhou-eco-2020.txt",
        include_str!("corpus/xinzhou-eco-2020.txt"),
    ),
];
const URI: &str = "file:///reports/datong-eco-2023.txt";

fn utf16_client_caps() -> Value {
    json!({"workspace": {"configuration": true}})
}

fn utf8_client_caps() -> Value {
    json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}, "workspace": {"configuration": true}})
}

async fn start() -> TestClient {
    TestClient::initialized(utf16_client_caps(), Value::Null, None)
        .await
        .0
}

/// 大同 with the body of the section headed `heading` cut out up to `next` (`between` in its
/// place), with where the heading starts and where its line ends.
fn datong_without_body(heading: &str, next: &str, between: &str) -> (String, usize, usize) {
    let start = DATONG.find(heading).unwrap();
    let heading_end = start + DATONG[start..].find('\n').unwrap() + 1;
    let next = DATONG.find(next).unwrap();
    let text = format!("{}{between}{}", &DATONG[..heading_end], &DATONG[next..]);
    (text, start, heading_end)
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn has_at(params: &Value, code: &str, line: u64, character: u64) -> bool {
    params["diagnostics"].as_array().unwrap().iter().any(|d| {
        d["code"] == code
            && d["range"]["start"]["line"] == line
            && d["range"]["start"]["character"] == character
    })
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn range(a: (u32, u32), b: (u32, u32)) -> Value {
    json!({"start": pos(a.0, a.1), "end": pos(b.0, b.1)})
}

fn lsp_range(text: &str, start: usize, end: usize, unit: ColumnUnit) -> Value {
    let index = LineIndex::new(text);
    let LineCol { line: l0, col: c0 } = index.position(text, start, unit);
    let LineCol { line: l1, col: c1 } = index.position(text, end, unit);
    range((l0, c0), (l1, c1))
}

/// Errors of an analysis as (code, message), to compare before and after a fix.
fn errors(text: &str) -> Vec<(String, String)> {
    analyze(text)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.rule.code.to_string(), d.message.zh.to_string()))
        .collect()
}

/// The errors `after` has that `before` had not.
fn new_errors(before: &str, after: &str) -> Vec<(String, String)> {
    let old = errors(before);
    errors(after)
        .into_iter()
        .filter(|e| !old.contains(e))
        .collect()
}

fn assert_no_new_errors(before: &str, after: &str, what: &str) {
    let new = new_errors(before, after);
    assert!(new.is_empty(), "{what} introduced errors {new:?}");
}

async fn code_actions(
    client: &mut TestClient,
    uri: &str,
    range: Value,
    diagnostics: Value,
    only: Option<Value>,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(only) = only {
        context["only"] = only;
    }
    let result = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
        )
        .await;
    result.as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_negotiates_the_position_encoding() {
    let (client, result) = TestClient::initialized(utf8_client_caps(), Value::Null, None).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let caps = &result["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    for cap in [
        "hoverProvider",
        "codeActionProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "inlayHintProvider",
        "completionProvider",
        "executeCommandProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap} missing: {caps}");
    }
    assert_eq!(result["serverInfo"]["name"], "nianbao");
    assert!(client.shutdown().await);

    let (client, result) = TestClient::initialized(utf16_client_caps(), Value::Null, None).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert!(client.shutdown().await);
    let (client, result) = TestClient::initialized(
        json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
        Value::Null,
        None,
    )
    .await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_diagnostics_for_a_report_with_its_version() {
    let mut client = start().await;
    client.open(URI, "plaintext", 7, DATONG);
    let params = client.diagnostics(URI).await;
    assert_eq!(params["version"], 7);
    // NB304 on 1-based line 409, after the tab: 0-based (408, 1).
    assert!(has_at(&params, "NB304", 408, 1), "{:?}", codes(&params));
    let nb304 = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "NB304")
        .unwrap();
    assert_eq!(nb304["source"], "nianbao");
    assert_eq!(nb304["severity"], 1);
    assert!(
        nb304["message"].as_str().unwrap().contains("总计"),
        "{nb304}"
    );
    assert!(
        !nb304["relatedInformation"].as_array().unwrap().is_empty(),
        "related cells"
    );
    assert_eq!(nb304["relatedInformation"][0]["location"]["uri"], URI);
    assert_eq!(nb304["data"]["fix"]["safe"], false);
    assert!(params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "NB203" && d["severity"] == 2));

    // A text that is not a report gets an empty list.
    client.open(
        "file:///notes.md",
        "markdown",
        1,
        "# 会议纪要\n\n今天讨论了预算。\n",
    );
    let params = client.diagnostics("file:///notes.md").await;
    assert_eq!(params["diagnostics"], json!([]));
    assert_eq!(params["version"], 1);

    // Closing clears.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let params = client.diagnostics(URI).await;
    assert_eq!(params["diagnostics"], json!([]));
    assert!(client.shutdown().await);
}

/// Every diagnostic's range is its core span converted to the negotiated unit, for UTF-8 and
/// UTF-16 alike, including on a line where `𠀀` (two UTF-16 units, four bytes) comes first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_are_exact_in_both_encodings() {
    // 𠀀 at the start of the label lines with the 结果维护 typo and before the review cells.
    let text = DATONG
        .replace("\t结果维护", "\t𠀀结果维护")
        .replace("行政诉讼\n", "𠀀行政诉讼\n");
    let expected = analyze(&text);
    for (caps, unit) in [
        (utf8_client_caps(), ColumnUnit::Utf8),
        (utf16_client_caps(), ColumnUnit::Utf16),
    ] {
        let (mut client, _) = TestClient::initialized(caps, Value::Null, None).await;
        client.open(URI, "plaintext", 1, &text);
        let params = client.diagnostics(URI).await;
        let got = params["diagnostics"].as_array().unwrap();
        assert_eq!(got.len(), expected.diagnostics.len());
        for (lsp, core) in got.iter().zip(&expected.diagnostics) {
            assert_eq!(lsp["code"], core.rule.code);
            assert_eq!(
                lsp["range"],
                lsp_range(&text, core.span.start, core.span.end, unit),
                "{unit:?} {lsp}"
            );
        }
        assert!(
            got.iter().any(|d| d["code"] == "NB203" && {
                let line = d["range"]["start"]["line"].as_u64().unwrap() as usize;
                text.lines().nth(line).unwrap().contains('𠀀')
            }),
            "a diagnostic after 𠀀"
        );
        assert!(client.shutdown().await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_into_a_cell_updates_the_diagnostics() {
    let mut client = start().await;
    client.open(URI, "plaintext", 1, DATONG);
    let first = client.diagnostics(URI).await;
    assert!(has_at(&first, "NB304", 408, 1));
    // Replace the 0 in the total cell with 1.
    client.change(
        URI,
        2,
        json!([{"range": range((408, 1), (408, 2)), "text": "1"}]),
    );
    let params = client.diagnostics_until(URI, 2).await.pop().unwrap();
    assert!(!has_at(&params, "NB304", 408, 1), "{:?}", codes(&params));
    // And back, typed as delete + insert in one notification, plus a CRLF pair inserted and
    // removed again elsewhere.
    client.change(
        URI,
        3,
        json!([
            {"range": range((408, 1), (408, 2)), "text": ""},
            {"range": range((408, 1), (408, 1)), "text": "0"},
            {"range": range((2, 0), (2, 0)), "text": "\r\n"},
            {"range": range((2, 0), (3, 0)), "text": ""},
        ]),
    );
    let params = client.diagnostics_until(URI, 3).await.pop().unwrap();
    assert!(has_at(&params, "NB304", 408, 1), "{:?}", codes(&params));
    assert!(client.shutdown().await);
}

/// A burst of keystrokes: publications never go back in version, the last one is for the
/// final text, and stale analyses are not all published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_edits_publishes_in_order_and_ends_on_the_latest() {
    let mut client = start().await;
    client.open(URI, "plaintext", 1, DATONG);
    let mut opened = codes(&client.diagnostics(URI).await);
    opened.sort();
    let n = 60;
    for v in 0..n {
        // Type digits into the cell, then delete them again, one per notification.
        let change = if v % 2 == 0 {
            json!([{"range": range((408, 2), (408, 2)), "text": "7"}])
        } else {
            json!([{"range": range((408, 2), (408, 3)), "text": ""}])
        };
        client.change(URI, 2 + v, change);
    }
    // And a large paste at the end.
    let table = &DATONG[DATONG.find("四、政府信息公开").unwrap()..DATONG.find("五、").unwrap()];
    client.change(
        URI,
        2 + n,
        json!([{"range": range((2, 0), (2, 0)), "text": table.repeat(20)}]),
    );
    let all = client.diagnostics_until(URI, 2 + n).await;
    let versions: Vec<i64> = all.iter().map(|p| p["version"].as_i64().unwrap()).collect();
    eprintln!(
        "{} edits, {} publications: {versions:?}",
        n + 1,
        versions.len()
    );
    // Each publication is for a later version than the one before, none is for a version the
    // burst did not send, and the last is for the last edit.
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert!(
        versions.iter().all(|v| (2..=2 + n).contains(v)),
        "{versions:?}"
    );
    assert_eq!(versions.last(), Some(&(2 + n)), "{versions:?}");
    // Analyses of superseded versions are dropped, not queued up and published one per edit:
    // a burst sent at once is published a handful of times (usually once), far fewer than
    // the 61 edits.
    assert!(
        versions.len() <= (n as usize + 1) / 6,
        "{} publications for {} edits: {versions:?}",
        versions.len(),
        n + 1
    );
    // The last publication is the analysis of the final text (the cell typed into and cleared
    // again, the tables pasted at line 2).
    let last_text = apply_text_edits(
        DATONG,
        &[json!({"range": range((2, 0), (2, 0)), "newText": table.repeat(20)})],
        ColumnUnit::Utf16,
    );
    let mut published = codes(all.last().unwrap());
    let mut expected: Vec<String> = analyze(&last_text)
        .diagnostics
        .iter()
        .map(|d| d.rule.code.to_string())
        .collect();
    published.sort();
    expected.sort();
    assert_ne!(expected, opened, "the paste changes the diagnostics");
    assert_eq!(published, expected);
    // Nothing for a superseded version arrives afterwards.
    assert!(client
        .diagnostics_within(URI, Duration::from_millis(300))
        .await
        .is_none());
    let status = client.request("nianbao/status", json!({"uri": URI})).await;
    assert_eq!(status["isReport"], true);
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_total_quick_fix_is_offered_but_not_preferred() {
    let mut client = start().await;
    client.open(URI, "plaintext", 1, DATONG);
    let params = client.diagnostics(URI).await;
    let nb304: Vec<Value> = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "NB304")
        .cloned()
        .collect();
    let actions = code_actions(
        &mut client,
        URI,
        range((408, 1), (408, 1)),
        json!(nb304),
        None,
    )
    .await;
    let fix = actions
        .iter()
        .find(|a| a["title"] == "将总计改为 1")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], false);
    assert_eq!(fix["diagnostics"][0]["code"], "NB304");
    let edits = document_edits(fix, URI, 1);
    assert_eq!(
        edits,
        vec![json!({"range": range((408, 1), (408, 2)), "newText": "1"})]
    );
    let fixed = apply_text_edits(DATONG, &edits, ColumnUnit::Utf16);
    assert_eq!(fixed.len(), DATONG.len());
    assert!(!analyze(&fixed)
        .diagnostics
        .iter()
        .any(|d| d.rule.code == "NB304" && fixed[..d.span.start].lines().count() == 409));
    // Not in fix-all.
    let all = code_actions(
        &mut client,
        URI,
        range((0, 0), (500, 0)),
        json!([]),
        Some(json!(["source.fixAll"])),
    )
    .await;
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["kind"], "source.fixAll.nianbao");
    let after_all = apply_text_edits(DATONG, &document_edits(&all[0], URI, 1), ColumnUnit::Utf16);
    let a = analyze(&after_all);
    assert!(
        a.diagnostics.iter().any(|d| d.rule.code == "NB304"),
        "fix-all applied an unsafe fix"
    );
    assert!(
        !a.diagnostics.iter().any(|d| d.rule.code == "NB203"),
        "fix-all left a safe fix"
    );
    assert_no_new_errors(DATONG, &after_all, "fix-all");
    // `only` is honoured.
    let only_quick = code_actions(
        &mut client,
        URI,
        range((408, 1), (408, 1)),
        json!([]),
        Some(json!(["quickfix"])),
    )
    .await;
    assert!(only_quick.iter().all(|a| a["kind"] == "quickfix"));
    assert!(client.shutdown().await);
}

/// Every quick fix the server offers on the seed reports, applied to its document: the
/// LSP edit equals the core's edit, the diagnostic it fixed is gone, and no new error appears.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_quick_fix_fixes_its_diagnostic() {
    let mut client = start().await;
    let mut applied = 0;
    let mut failures: Vec<String> = Vec::new();
    for (name, text) in SEEDS {
        let uri = format!("file:///reports/{name}");
        client.open(&uri, "plaintext", 1, text);
        let params = client.diagnostics(&uri).await;
        let analysis = analyze(text);
        for (lsp, core) in params["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&analysis.diagnostics)
        {
            let Some(fix) = &core.fix else {
                assert!(lsp["data"]["fix"].is_null());
                continue;
            };
            let actions = code_actions(
                &mut client,
                &uri,
                lsp["range"].clone(),
                json!([lsp]),
                Some(json!(["quickfix"])),
            )
            .await;
            let title = &*fix.title.zh;
            let action = actions
                .iter()
                .find(|a| a["title"] == title && a["diagnostics"][0] == *lsp)
                .unwrap_or_else(|| panic!("{name}: no action {title} for {lsp}"));
            assert_eq!(action["isPreferred"], fix.safe);
            let fixed = apply_text_edits(text, &document_edits(action, &uri, 1), ColumnUnit::Utf16);
            assert_eq!(
                fixed,
                nianbao::apply_edits(text, &fix.edits),
                "{name} {title}"
            );
            // The diagnostic is gone: one fewer with its code and message (a partial fix, e.g.
            // blanks filled except where a total is missing, changes the message), and no more
            // of its code than before.
            let after = analyze(&fixed);
            let same = |d: &&nianbao::Diagnostic| d.rule.code == core.rule.code;
            let alike = |a: &nianbao::Analysis| {
                a.diagnostics
                    .iter()
                    .filter(same)
                    .filter(|d| d.message == core.message)
                    .count()
            };
            if alike(&after) >= alike(&analysis) {
                failures.push(format!(
                    "{name}: {title} did not fix {} {}",
                    core.rule.code, core.message.zh
                ));
            }
            if after.diagnostics.iter().filter(same).count()
                > analysis.diagnostics.iter().filter(same).count()
            {
                failures.push(format!(
                    "{name}: {title} added {} diagnostics",
                    core.rule.code
                ));
            }
            for e in new_errors(text, &fixed) {
                failures.push(format!(
                    "{name}: {title} ({}) introduced {e:?}",
                    core.rule.code
                ));
            }
            applied += 1;
        }
    }
    assert!(applied >= 4, "only {applied} fixes");
    assert!(
        failures.is_empty(),
        "{} of {applied} fixes failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insert_actions_add_tables_sections_and_new_reports() {
    let mut client = start().await;
    // Section 四 without its table.
    let (text, start, _) = datong_without_body("四、政府信息公开", "五、存在", "");
    let uri = "file:///reports/no-table.txt";
    client.open(uri, "plaintext", 3, &text);
    let params = client.diagnostics(uri).await;
    assert!(
        codes(&params).contains(&"NB201".to_string()),
        "{:?}",
        codes(&params)
    );
    let line = text[..start].lines().count() as u32;
    let actions = code_actions(
        &mut client,
        uri,
        range((line, 1), (line, 1)),
        json!([]),
        Some(json!(["refactor"])),
    )
    .await;
    let insert = actions
        .iter()
        .find(|a| {
            a["title"].as_str().unwrap().starts_with("插入标准表格")
                && a["title"].as_str().unwrap().contains("表四")
        })
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let fixed = apply_text_edits(&text, &document_edits(insert, uri, 3), ColumnUnit::Utf16);
    assert!(!analyze(&fixed)
        .diagnostics
        .iter()
        .any(|d| d.rule.code == "NB201"));
    assert_no_new_errors(&text, &fixed, "insert table");
    // Not offered where the table is present (a second table 三 would be an error), nor
    // outside sections 二–四.
    client.open(URI, "plaintext", 1, DATONG);
    client.diagnostics(URI).await;
    let actions = code_actions(&mut client, URI, range((100, 0), (100, 0)), json!([]), None).await;
    assert!(
        !actions
            .iter()
            .any(|a| a["title"].as_str().unwrap().starts_with("插入标准表格")),
        "{actions:#?}"
    );
    let actions = code_actions(&mut client, URI, range((10, 0), (10, 0)), json!([]), None).await;
    assert!(
        !actions
            .iter()
            .any(|a| a["title"].as_str().unwrap().starts_with("插入标准表格")),
        "{actions:#?}"
    );

    // 禄丰 lacks 一、总体情况.
    let uri = "file:///reports/lufeng.txt";
    client.open(uri, "plaintext", 1, LUFENG);
    let params = client.diagnostics(uri).await;
    assert!(codes(&params).contains(&"NB101".to_string()));
    let actions = code_actions(&mut client, uri, range((5, 0), (5, 0)), json!([]), None).await;
    let insert = actions
        .iter()
        .find(|a| a["title"] == "插入缺失的章节")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(insert["kind"], "refactor.insert");
    let fixed = apply_text_edits(LUFENG, &document_edits(insert, uri, 1), ColumnUnit::Utf16);
    assert!(!analyze(&fixed)
        .diagnostics
        .iter()
        .any(|d| d.rule.code == "NB101"));
    assert_no_new_errors(LUFENG, &fixed, "insert sections");

    // An empty document: a new report for last year.
    let uri = "untitled:Untitled-1";
    client.open(uri, "markdown", 1, "  \n");
    assert_eq!(client.diagnostics(uri).await["diagnostics"], json!([]));
    let actions = code_actions(&mut client, uri, range((0, 0), (0, 0)), json!([]), None).await;
    let new = actions
        .iter()
        .find(|a| a["title"] == "新建年度报告")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let created = apply_text_edits("  \n", &document_edits(new, uri, 1), ColumnUnit::Utf16);
    let a = analyze(&created);
    assert!(a.is_report);
    assert_eq!(a.year, Some(nianbao::lsp::server::last_year()));
    assert!(
        a.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:?}",
        a.diagnostics
    );
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_inlay_hints_symbols_folding_and_completion() {
    let mut client = start().await;
    client.open(URI, "plaintext", 1, DATONG);
    client.diagnostics(URI).await;
    let doc = json!({"uri": URI});

    // Hover on the wrong total.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": doc, "position": pos(408, 1)}),
        )
        .await;
    let value = hover["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{hover}"));
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(
        value.contains("结果维持") && value.contains("尚未审结"),
        "{value}"
    );
    assert!(value.contains("1 + 0 + 0 + 0 = 1"), "{value}");
    assert!(value.contains("❌"), "{value}");
    assert_eq!(hover["range"], range((408, 1), (408, 2)));
    // Hover on a right total.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": doc, "position": pos(403, 1)}),
        )
        .await;
    assert!(
        hover["contents"]["value"].as_str().unwrap().contains("✅"),
        "{hover}"
    );
    // Hover on a section heading.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": doc, "position": pos(5, 2)}),
        )
        .await;
    let value = hover["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{hover}"));
    assert!(
        value.contains("一、总体情况") && value.contains("监督保障"),
        "{value}"
    );
    // Nothing to say on plain text.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": doc, "position": pos(7, 3)}),
        )
        .await;
    assert!(hover.is_null());

    // Inlay hints: `= 1` after the wrong total, `= 0` after the other.
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": doc, "range": range((0, 0), (500, 0))}),
        )
        .await;
    let hints = hints.as_array().unwrap();
    assert!(
        hints
            .iter()
            .any(|h| h["label"] == "= 1" && h["position"] == pos(408, 2)),
        "{hints:?}"
    );
    assert!(
        hints
            .iter()
            .any(|h| h["label"] == "= 0" && h["position"] == pos(413, 2)),
        "{hints:?}"
    );
    let none = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": doc, "range": range((0, 0), (300, 0))}),
        )
        .await;
    assert!(none
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["position"]["line"].as_u64().unwrap() <= 300));

    // Symbols: six sections, tables nested.
    let symbols = client
        .request("textDocument/documentSymbol", json!({"textDocument": doc}))
        .await;
    let symbols = symbols.as_array().unwrap();
    assert_eq!(symbols.len(), 6, "{symbols:#?}");
    assert!(symbols[0]["name"].as_str().unwrap().contains("总体情况"));
    assert_eq!(symbols[0]["selectionRange"]["start"]["line"], 5);
    let tables: usize = symbols
        .iter()
        .map(|s| s["children"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(tables, 3, "{symbols:#?}");
    let four = &symbols[3];
    assert_eq!(
        four["children"][0]["kind"], 18,
        "table 四 is an array symbol"
    );

    // Folding ranges for sections and tables.
    let folds = client
        .request("textDocument/foldingRange", json!({"textDocument": doc}))
        .await;
    let folds = folds.as_array().unwrap();
    assert!(folds.len() >= 9, "{folds:#?}");
    assert!(folds
        .iter()
        .all(|f| f["endLine"].as_u64() > f["startLine"].as_u64()));
    assert!(folds.iter().any(|f| f["startLine"] == 5));

    // Completion: headings at the start of a line outside tables …
    let items = client
        .request(
            "textDocument/completion",
            json!({"textDocument": doc, "position": pos(7, 0)}),
        )
        .await;
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels.first(), Some(&"一、总体情况"), "{labels:?}");
    assert!(labels.contains(&"六、其他需要报告的事项"));
    // … row labels inside table 三 (line 110, 1-based, is inside it), replacing what is typed.
    client.change(
        URI,
        2,
        json!([{"range": range((110, 0), (110, 0)), "text": "\t（七"}]),
    );
    let items = client
        .request(
            "textDocument/completion",
            json!({"textDocument": doc, "position": pos(110, 3)}),
        )
        .await;
    let items = items.as_array().unwrap();
    let total = items
        .iter()
        .find(|i| i["label"] == "（七）总计")
        .unwrap_or_else(|| panic!("{items:#?}"));
    assert_eq!(total["textEdit"]["range"], range((110, 1), (110, 3)));
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_change_republishes_every_document() {
    let options = json!({"nianbao": {"rules": {"NB203": "off"}}});
    let (mut client, _) = TestClient::initialized(utf16_client_caps(), options, None).await;
    client.open(URI, "plaintext", 1, DATONG);
    let params = client.diagnostics(URI).await;
    assert!(!codes(&params).contains(&"NB203".to_string()));
    assert!(codes(&params).contains(&"NB304".to_string()));

    // Flat shape; NB304 downgraded to info, English.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"NB304": "info"}, "language": "en"}}),
    );
    let params = client.diagnostics(URI).await;
    assert_eq!(params["version"], 1);
    let nb304 = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "NB304")
        .unwrap()
        .clone();
    assert_eq!(nb304["severity"], 3);
    let english = analyze(DATONG)
        .diagnostics
        .iter()
        .find(|d| d.rule.code == "NB304")
        .unwrap()
        .message
        .en
        .clone();
    assert_eq!(nb304["message"], *english);
    assert!(
        codes(&params).contains(&"NB203".to_string()),
        "settings are replaced, not merged"
    );
    let actions = code_actions(
        &mut client,
        URI,
        range((408, 1), (408, 1)),
        json!([nb304]),
        None,
    )
    .await;
    assert!(
        actions
            .iter()
            .any(|a| a["title"] == "Change the total to 1"),
        "{actions:#?}"
    );
    let status = client.request("nianbao/status", json!({"uri": URI})).await;
    assert!(status["infos"].as_u64().unwrap() >= 2, "{status}");

    // lintOn save: changes are not analysed until saved.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"nianbao": {"lintOn": "save", "rules": {"NB304": "off"}}}}),
    );
    let params = client.diagnostics(URI).await;
    assert!(!codes(&params).contains(&"NB304".to_string()));
    client.change(
        URI,
        2,
        json!([{"range": range((375, 1), (375, 5)), "text": "结果维持"}]),
    );
    assert!(client
        .diagnostics_within(URI, Duration::from_millis(300))
        .await
        .is_none());
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}}),
    );
    let params = client.diagnostics(URI).await;
    assert_eq!(params["version"], 2);
    assert_eq!(codes(&params).iter().filter(|c| *c == "NB203").count(), 2);

    // An empty settings notification pulls workspace/configuration.
    client.configuration = json!({"lintOn": "type"});
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let params = client.diagnostics(URI).await;
    assert!(
        codes(&params).contains(&"NB304".to_string()),
        "defaults again: {:?}",
        codes(&params)
    );
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_locale_gives_english_messages() {
    let (mut client, _) =
        TestClient::initialized(utf16_client_caps(), Value::Null, Some("en-US")).await;
    client.open(URI, "plaintext", 1, DATONG);
    let params = client.diagnostics(URI).await;
    let analysis = analyze(DATONG);
    let published = params["diagnostics"].as_array().unwrap();
    assert!(!published.is_empty(), "{params}");
    assert_eq!(published.len(), analysis.diagnostics.len(), "{params}");
    for (lsp, core) in published.iter().zip(&analysis.diagnostics) {
        assert_eq!(lsp["code"], core.rule.code, "{lsp}");
        assert_eq!(lsp["message"], *core.message.en, "{lsp}");
    }
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_new_report_command() {
    let mut client = start().await;
    client.open(URI, "plaintext", 1, DATONG);
    client.diagnostics(URI).await;
    let status = client.request("nianbao/status", json!({"uri": URI})).await;
    let analysis = analyze(DATONG);
    let count = |s: Severity| {
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    assert_eq!(
        status,
        json!({"isReport": true, "year": 2023, "format": "2021", "tables": "2021",
            "errors": count(Severity::Error), "warnings": count(Severity::Warning), "infos": count(Severity::Info)})
    );
    let unknown = client
        .request("nianbao/status", json!({"uri": "file:///nowhere.txt"}))
        .await;
    assert_eq!(unknown["isReport"], false);

    let text = client
        .request(
            "workspace/executeCommand",
            json!({"command": "nianbao.newReport", "arguments": [{"year": 2022}]}),
        )
        .await;
    let text = text.as_str().unwrap();
    assert_eq!(text, nianbao::fix::new_report(2022, ""));
    assert_eq!(analyze(text).year, Some(2022));
    let text = client
        .request(
            "workspace/executeCommand",
            json!({"command": "nianbao.newReport"}),
        )
        .await;
    assert_eq!(
        analyze(text.as_str().unwrap()).year,
        Some(nianbao::lsp::server::last_year())
    );
    let id = client.send_request(
        "workspace/executeCommand",
        json!({"command": "nianbao.nothing"}),
    );
    assert!(client.response(id).await.get("error").is_some());
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_bad_input() {
    let mut client = start().await;
    // Unknown documents.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///x.md"}, "position": pos(0, 0)}),
        )
        .await;
    assert!(hover.is_null());
    client.change("file:///x.md", 2, json!([{"text": "closed"}]));
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///x.md"}}),
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": "file:///x.md"}}),
    );
    // Malformed JSON, a body that is not a message, and bad params.
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    client.send_raw(b"Content-Length: 2\r\n\r\n[]");
    let id = client.send_request("textDocument/hover", json!({"nonsense": true}));
    assert!(client.response(id).await.get("error").is_some());
    let id = client.send_request("nianbao/unknownMethod", json!({}));
    assert!(client.response(id).await.get("error").is_some());

    // Out-of-range positions and edits.
    client.open(URI, "plaintext", 1, DATONG);
    client.diagnostics(URI).await;
    for p in [pos(99_999, 0), pos(408, 99_999), pos(u32::MAX, u32::MAX)] {
        let doc = json!({"uri": URI});
        client
            .request(
                "textDocument/hover",
                json!({"textDocument": doc, "position": p}),
            )
            .await;
        client
            .request(
                "textDocument/completion",
                json!({"textDocument": doc, "position": p}),
            )
            .await;
        client
            .request("textDocument/codeAction", json!({"textDocument": doc, "range": {"start": p, "end": p}, "context": {"diagnostics": []}}))
            .await;
        client
            .request(
                "textDocument/inlayHint",
                json!({"textDocument": doc, "range": {"start": pos(0, 0), "end": p}}),
            )
            .await;
    }
    client.change(
        URI,
        2,
        json!([{"range": range((99_999, 5), (0, 0)), "text": "𠀀"}]),
    );
    let params = client.diagnostics_until(URI, 2).await.pop().unwrap();
    assert_eq!(
        params["diagnostics"],
        json!([]),
        "the whole text was replaced"
    );
    // A full-text change restores it; the server still answers.
    client.change(URI, 3, json!([{"text": DATONG}]));
    let params = client.diagnostics_until(URI, 3).await.pop().unwrap();
    assert!(has_at(&params, "NB304", 408, 1));
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_without_shutdown_is_not_clean() {
    let mut client = start().await;
    client.notify("exit", Value::Null);
    let server = client.server.take().unwrap();
    assert!(!server.await.unwrap());

    // Closing the input ends the server too.
    let (mut client, _) = TestClient::initialized(utf16_client_caps(), Value::Null, None).await;
    client.close_input();
    let server = client.server.take().unwrap();
    assert!(!tokio::time::timeout(lsp_support::TIMEOUT, server)
        .await
        .unwrap()
        .unwrap());
}

// ---------------------------------------------------------------------------------------------
// Settings, locale and code-action gaps

async fn inlay_hints(client: &mut TestClient, uri: &str) -> Vec<Value> {
    client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": range((0, 0), (10_000, 0))}),
        )
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn hover_text(client: &mut TestClient, uri: &str, at: Value) -> Option<String> {
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at}),
        )
        .await;
    hover["contents"]["value"].as_str().map(str::to_string)
}

fn titled<'a>(actions: &'a [Value], prefix: &str, table: &str) -> Vec<&'a Value> {
    actions
        .iter()
        .filter(|a| {
            let title = a["title"].as_str().unwrap();
            title.starts_with(prefix) && title.contains(table)
        })
        .collect()
}

/// A rule turned off in `initializationOptions` shows neither its `= N` hints nor its verdict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_turned_off_at_initialization_show_no_hints_or_verdicts() {
    let options = json!({"nianbao": {"rules": {"NB304": "off"}}});
    let (mut client, _) = TestClient::initialized(utf16_client_caps(), options, None).await;
    client.open(URI, "plaintext", 1, DATONG);
    let params = client.diagnostics(URI).await;
    assert!(!codes(&params).contains(&"NB304".to_string()));
    let hints = inlay_hints(&mut client, URI).await;
    assert!(
        !hints
            .iter()
            .any(|h| h["position"] == pos(408, 2) || h["position"] == pos(413, 2)),
        "{hints:?}"
    );
    let hover = hover_text(&mut client, URI, pos(408, 1)).await;
    assert!(
        hover.as_deref().is_none_or(|v| !v.contains('❌')),
        "{hover:?}"
    );
    assert!(client.shutdown().await);
}

/// `workspace/didChangeConfiguration` turns the hints and verdicts of a rule off and on again;
/// a rule re-graded (not off) keeps them; NB302 on a report whose （七）总计 is wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_turned_off_by_configuration_show_no_hints_or_verdicts() {
    let mut client = start().await;
    client.open(URI, "plaintext", 1, DATONG);
    client.diagnostics(URI).await;
    let wrong = |hints: &[Value]| {
        hints
            .iter()
            .any(|h| h["label"] == "= 1" && h["position"] == pos(408, 2))
    };
    assert!(wrong(&inlay_hints(&mut client, URI).await));

    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"nianbao": {"rules": {"NB304": "off"}}}}),
    );
    let params = client.diagnostics(URI).await;
    assert!(!codes(&params).contains(&"NB304".to_string()));
    let hints = inlay_hints(&mut client, URI).await;
    assert!(hints.is_empty(), "{hints:?}");
    let hover = hover_text(&mut client, URI, pos(408, 1)).await;
    assert!(
        hover.as_deref().is_none_or(|v| !v.contains('❌')),
        "{hover:?}"
    );

    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"nianbao": {"rules": {"NB304": "info"}}}}),
    );
    client.diagnostics(URI).await;
    assert!(
        wrong(&inlay_hints(&mut client, URI).await),
        "re-graded, not off"
    );
    let hover = hover_text(&mut client, URI, pos(408, 1)).await.unwrap();
    assert!(hover.contains('❌'), "{hover}");

    // 忻州 2020: four （七）总计 cells differ from their result rows (NB302).
    let uri = "file:///reports/xinzhou-eco-2020.txt";
    let xinzhou = include_str!("corpus/xinzhou-eco-2020.txt");
    client.open(uri, "plaintext", 1, xinzhou);
    let params = client.diagnostics(uri).await;
    let nb302: Vec<Value> = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "NB302")
        .map(|d| d["range"]["end"].clone())
        .collect();
    assert!(!nb302.is_empty(), "{:?}", codes(&params));
    let at_nb302 = |hints: &[Value]| hints.iter().any(|h| nb302.contains(&h["position"]));
    assert!(at_nb302(&inlay_hints(&mut client, uri).await));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"NB302": "off"}}}),
    );
    client.diagnostics(uri).await;
    let hints = inlay_hints(&mut client, uri).await;
    assert!(!at_nb302(&hints), "{hints:?}");
    let start = &params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "NB302")
        .unwrap()["range"]["start"];
    let hover = hover_text(&mut client, uri, start.clone()).await;
    assert!(
        hover.as_deref().is_none_or(|v| !v.contains('❌')),
        "{hover:?}"
    );
    assert!(client.shutdown().await);
}

/// In English, a section heading's hover says what the format requires in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_hover_on_a_heading_is_english() {
    let (mut client, _) =
        TestClient::initialized(utf16_client_caps(), Value::Null, Some("en-US")).await;
    client.open(URI, "plaintext", 1, DATONG);
    client.diagnostics(URI).await;
    for (line, words) in [(5, "supervision"), (78, "Table 三"), (366, "Table 四")] {
        let value = hover_text(&mut client, URI, pos(line, 1))
            .await
            .unwrap_or_else(|| panic!("no hover on line {line}"));
        assert!(value.contains("What the format requires"), "{value}");
        assert!(value.contains(words), "{value}");
        let spec = nianbao::format::SECTIONS
            .iter()
            .find(|s| value.contains(s.title))
            .unwrap();
        assert!(!value.contains(spec.requires_zh), "{value}");
    }
    // The language setting decides over the locale.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"language": "zh"}}),
    );
    client.diagnostics(URI).await;
    let value = hover_text(&mut client, URI, pos(5, 1)).await.unwrap();
    assert!(
        value.contains("格式要求") && value.contains("监督保障"),
        "{value}"
    );
    assert!(client.shutdown().await);
}

/// Under an empty section heading, the blank line below it belongs to the section: the
/// standard table is offered there, and inserting it clears NB201.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insert_table_is_offered_on_the_blank_line_under_an_empty_heading() {
    let mut client = start().await;
    let (text, _, heading_end) = datong_without_body(
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开",
        "\n",
    );
    let uri = "file:///reports/empty-three.txt";
    client.open(uri, "plaintext", 1, &text);
    let params = client.diagnostics(uri).await;
    assert!(codes(&params).contains(&"NB201".to_string()));
    let blank = text[..heading_end].lines().count() as u32;
    assert_eq!(text.lines().nth(blank as usize), Some(""));
    for only in [None, Some(json!(["refactor"]))] {
        let actions = code_actions(
            &mut client,
            uri,
            range((blank, 0), (blank, 0)),
            json!([]),
            only,
        )
        .await;
        let inserts = titled(&actions, "插入标准表格", "表三");
        assert_eq!(inserts.len(), 1, "{actions:#?}");
        assert_eq!(inserts[0]["kind"], "refactor.insert");
        let fixed = apply_text_edits(
            &text,
            &document_edits(inserts[0], uri, 1),
            ColumnUnit::Utf16,
        );
        assert!(!analyze(&fixed)
            .diagnostics
            .iter()
            .any(|d| d.rule.code == "NB201"));
        assert_no_new_errors(&text, &fixed, "insert table 三");
    }
    // Not in the next section, which has its table.
    let actions = code_actions(
        &mut client,
        uri,
        range((blank + 1, 1), (blank + 1, 1)),
        json!([]),
        None,
    )
    .await;
    assert!(
        titled(&actions, "插入标准表格", "").is_empty(),
        "{actions:#?}"
    );
    assert!(client.shutdown().await);
}

/// The table insertion is listed once where NB201's quick fix already offers it, and not at
/// all where the report has the table; an empty document still gets a new report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn table_insertion_is_offered_once_and_only_when_missing() {
    let mut client = start().await;
    let (text, start, _) = datong_without_body("四、政府信息公开", "五、存在", "");
    let uri = "file:///reports/no-table.txt";
    client.open(uri, "plaintext", 1, &text);
    let params = client.diagnostics(uri).await;
    let nb201: Vec<Value> = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "NB201")
        .cloned()
        .collect();
    assert_eq!(nb201.len(), 1, "{:?}", codes(&params));
    let line = text[..start].lines().count() as u32;
    let actions = code_actions(
        &mut client,
        uri,
        range((line, 1), (line, 1)),
        json!(nb201),
        None,
    )
    .await;
    let inserts = titled(&actions, "插入标准表格", "表四");
    assert_eq!(inserts.len(), 1, "{actions:#?}");
    assert_eq!(inserts[0]["kind"], "quickfix");
    assert_eq!(inserts[0]["diagnostics"][0]["code"], "NB201");

    // A report with all its tables: nothing to insert on a total cell, in any table.
    client.open(URI, "plaintext", 1, DATONG);
    client.diagnostics(URI).await;
    for at in [(408, 1), (403, 1), (100, 0), (40, 0)] {
        let actions = code_actions(&mut client, URI, range(at, at), json!([]), None).await;
        assert!(
            titled(&actions, "插入标准表格", "").is_empty(),
            "{at:?}: {actions:#?}"
        );
    }

    let uri = "untitled:Untitled-2";
    client.open(uri, "markdown", 1, "");
    client.diagnostics(uri).await;
    let actions = code_actions(&mut client, uri, range((0, 0), (0, 0)), json!([]), None).await;
    assert!(
        actions.iter().any(|a| a["title"] == "新建年度报告"),
        "{actions:#?}"
    );
    assert!(client.shutdown().await);
}

static IDLE_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A server calls the idle hook once a second passes after its last publication: where the
/// binary gives its allocator's spare memory back (src/main.rs). (Other tests' servers run
/// alongside, so this only asks that the call comes, not which server made it; a server
/// started before the hook was set has none.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_hook_runs_once_the_server_goes_quiet() {
    use std::sync::atomic::Ordering;
    nianbao::lsp::set_idle_hook(|| {
        IDLE_CALLS.fetch_add(1, Ordering::SeqCst);
    });
    let mut client = start().await;
    client.open(URI, "plaintext", 1, DATONG);
    client.diagnostics(URI).await;
    let published = IDLE_CALLS.load(Ordering::SeqCst);
    let waited = std::time::Instant::now();
    while IDLE_CALLS.load(Ordering::SeqCst) == published {
        assert!(
            waited.elapsed() < Duration::from_secs(10),
            "no idle call after the publication"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client.shutdown().await;
}
