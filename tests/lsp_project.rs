//! The language server with a project around the documents: `nianbao.toml` found from each
//! document's folder, reloaded on `workspace/didChangeWatchedFiles`, its problems shown on it;
//! the 忽略此问题 action; NB407 among open documents and the workspace folder's files.

mod lsp_support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_support::{apply_text_edits, document_edits, TestClient};
use nianbao::text::ColumnUnit;
use serde_json::{json, Value};

const DATONG: &str = include_str!("corpus/datong-eco-2023.txt");

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("lsp-project")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn start_in(root: Option<&Path>) -> TestClient {
    let mut client = TestClient::start();
    let folders = root.map(|r| json!([{"uri": uri_of(r), "name": "reports"}]));
    client
        .request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root.map(uri_of),
                "workspaceFolders": folders,
                "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
            }),
        )
        .await;
    client.notify("initialized", json!({}));
    client
}

/// Wait for a `publishDiagnostics` of `uri` that satisfies `ok`.
async fn diagnostics_where(
    client: &mut TestClient,
    uri: &str,
    ok: impl Fn(&Value) -> bool,
) -> Value {
    let wait = async {
        loop {
            let p = client.diagnostics(uri).await;
            if ok(&p) {
                return p;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), wait)
        .await
        .unwrap_or_else(|_| panic!("no diagnostics as expected for {uri}"))
}

fn changed(client: &mut TestClient, uri: &str) {
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 2}]}),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_is_found_reloaded_and_its_problems_shown() {
    let dir = tmp("config");
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    let toml = dir.join("nianbao.toml");
    let toml_uri = uri_of(&toml);
    std::fs::write(&toml, "[rules]\nNB304 = \"off\"\n").unwrap();
    let doc = uri_of(&dir.join("reports/datong.txt"));
    let mut client = start_in(Some(&dir)).await;
    // The server asks to be told when nianbao.toml changes.
    let registration = client.notification("client/registerCapability").await;
    let watchers = &registration["params"]["registrations"][0];
    assert_eq!(watchers["method"], "workspace/didChangeWatchedFiles");
    assert!(
        watchers["registerOptions"]["watchers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["globPattern"] == "**/nianbao.toml"),
        "{registration}"
    );

    client.open(&doc, "plaintext", 1, DATONG);
    let p = diagnostics_where(&mut client, &doc, |_| true).await;
    let c = codes(&p);
    assert!(
        !c.contains(&"NB304".into()) && c.contains(&"NB203".into()),
        "{c:?}"
    );

    // Broken: its problem is shown on the file, and the defaults are back.
    std::fs::write(&toml, "[rules]\nNB304 = \"off\"\nNB999 = \"off\"\n").unwrap();
    changed(&mut client, &toml_uri);
    let p = diagnostics_where(&mut client, &toml_uri, |p| !codes(p).is_empty()).await;
    let d = &p["diagnostics"][0];
    assert_eq!(d["range"]["start"]["line"], 2, "{d}");
    assert!(d["message"].as_str().unwrap().contains("NB999"), "{d}");
    let p = diagnostics_where(&mut client, &doc, |p| p["version"] == 1).await;
    assert!(
        !codes(&p).contains(&"NB304".into()),
        "the good entry still applies"
    );

    std::fs::write(&toml, "[rules\n").unwrap();
    changed(&mut client, &toml_uri);
    diagnostics_where(&mut client, &toml_uri, |p| {
        p["diagnostics"][0]["range"]["start"]["line"] == 0
    })
    .await;
    diagnostics_where(&mut client, &doc, |p| codes(p).contains(&"NB304".into())).await;

    // Fixed: the problems are cleared and the new settings apply.
    std::fs::write(&toml, "language = \"en\"\n[rules]\nNB203 = \"off\"\n").unwrap();
    changed(&mut client, &toml_uri);
    diagnostics_where(&mut client, &toml_uri, |p| codes(p).is_empty()).await;
    let p = diagnostics_where(&mut client, &doc, |p| !codes(p).contains(&"NB203".into())).await;
    assert!(codes(&p).contains(&"NB304".into()));
    let nb304 = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "NB304")
        .unwrap();
    assert!(
        nb304["message"].as_str().unwrap().is_ascii(),
        "the project's language: {nb304}"
    );

    // Removed: the defaults.
    std::fs::remove_file(&toml).unwrap();
    changed(&mut client, &toml_uri);
    diagnostics_where(&mut client, &doc, |p| codes(p).contains(&"NB203".into())).await;
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ignore_action_inserts_a_next_line_suppression() {
    let uri = "file:///reports/datong-eco-2023.txt";
    let mut client = start_in(None).await;
    client.open(uri, "plaintext", 1, DATONG);
    let p = client.diagnostics(uri).await;
    let before = codes(&p).iter().filter(|c| *c == "NB304").count();
    assert_eq!(before, 2);
    let nb304 = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "NB304")
        .unwrap()
        .clone();
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": nb304["range"], "context": {"diagnostics": [nb304]}}),
        )
        .await;
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "忽略此问题（NB304）")
        .unwrap_or_else(|| panic!("{actions}"))
        .clone();
    assert_eq!(action["kind"], "quickfix");
    let edits = document_edits(&action, uri, 1);
    let text = apply_text_edits(DATONG, &edits, ColumnUnit::Utf16);
    assert!(text.contains("<!-- nianbao-disable-next-line NB304 -->\n"));
    client.change(uri, 2, json!([{"text": text}]));
    let p = diagnostics_where(&mut client, uri, |p| p["version"] == 2).await;
    let c = codes(&p);
    assert_eq!(c.iter().filter(|c| *c == "NB304").count(), 1, "{c:?}");
    assert!(!c.contains(&"NB901".into()), "{c:?}");
    // The table still reads the same: nothing new.
    assert_eq!(c.len(), codes(&client_free_analysis(DATONG)).len() - 1);
    assert!(client.shutdown().await);
}

/// The core's findings as a publishDiagnostics-like value.
fn client_free_analysis(text: &str) -> Value {
    let a = nianbao::analyze(text);
    json!({"diagnostics": a.diagnostics.iter().map(|d| json!({"code": d.rule.code})).collect::<Vec<_>>()})
}

/// A new report of 某市生态环境局 for `year`; with `carried`, 2 applications received and
/// carried over (`out`) or carried in (`in`).
fn report(year: u16, carried: &[&str]) -> String {
    let mut text = nianbao::fix::new_report(year, "某市生态环境局");
    let mut set = |label: &str| {
        let at = text.find(label).unwrap();
        let end = at + text[at..].find('\n').unwrap();
        let row = format!("{label} | 2 | 0 | 0 | 0 | 0 | 0 | 2 |");
        text = format!("{}{}{}", &text[..at], row, &text[end..]);
    };
    for which in carried {
        match *which {
            "out" => {
                set("一、本年新收政府信息公开申请数量");
                set("四、结转下年度继续办理");
            }
            _ => {
                set("二、上年结转政府信息公开申请数量");
                set("（一）予以公开");
            }
        }
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn carry_over_among_open_documents() {
    let last = report(2022, &["out"]);
    assert!(!codes(&client_free_analysis(&last))
        .iter()
        .any(|c| c.starts_with("NB3")));
    let mut client = start_in(None).await;
    let this_uri = "file:///reports/2023.md";
    let last_uri = "file:///reports/2022.md";
    client.open(this_uri, "markdown", 1, &report(2023, &[]));
    let p = client.diagnostics(this_uri).await;
    assert!(!codes(&p).contains(&"NB407".into()));
    // Opening last year's report compares them.
    client.open(last_uri, "markdown", 1, &last);
    let p = diagnostics_where(&mut client, this_uri, |p| {
        codes(p).contains(&"NB407".into())
    })
    .await;
    let d = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "NB407")
        .unwrap();
    assert!(d["message"].as_str().unwrap().contains("2022年"), "{d}");
    // This year's report made to agree: silent.
    client.change(this_uri, 2, json!([{"text": report(2023, &["in"])}]));
    let p = diagnostics_where(&mut client, this_uri, |p| p["version"] == 2).await;
    assert!(!codes(&p).contains(&"NB407".into()), "{:?}", codes(&p));
    assert!(client.shutdown().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn carry_over_against_the_workspace_folder() {
    let dir = tmp("workspace");
    std::fs::create_dir_all(dir.join("2022")).unwrap();
    std::fs::write(dir.join("2022/report.md"), report(2022, &["out"])).unwrap();
    let mut client = start_in(Some(&dir)).await;
    let this_uri = uri_of(&dir.join("2023.md"));
    client.open(&this_uri, "markdown", 1, &report(2023, &[]));
    diagnostics_where(&mut client, &this_uri, |p| {
        codes(p).contains(&"NB407".into())
    })
    .await;
    // Last year's file changes on disk to agree: silent again.
    std::fs::write(dir.join("2022/report.md"), report(2022, &[])).unwrap();
    changed(&mut client, &uri_of(&dir.join("2022/report.md")));
    diagnostics_where(&mut client, &this_uri, |p| {
        !codes(p).contains(&"NB407".into())
    })
    .await;
    assert!(client.shutdown().await);
}
