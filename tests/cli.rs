//! The `nianbao` binary, end to end: arguments, exit codes, encodings and output formats.
//!
//! Runs the built binary (`CARGO_BIN_EXE_nianbao`) from the crate root on the seed reports in
//! `tests/corpus/` (copied unchanged from the shared corpus; see its `expected.json`) and on
//! files written to a temporary folder.

mod formats_support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use formats_support::{docx, html, parts_of, Page};
use serde_json::Value;
use unicode_width::UnicodeWidthChar;

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const DATONG: &str = "tests/corpus/datong-eco-2023.txt";
const FLAT: &str = "tests/corpus/datong-eco-2023-flat.txt";
const LUFENG: &str = "tests/corpus/lufeng-eco-2023.txt";

const PROSE: &str = "春天来了，公园里的花都开了。\n周末我们一家人去郊外散步，看到田野里一片金黄的油菜花。\n\n晚上回家吃了饺子。\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

fn nianbao(args: &[&str]) -> Run {
    nianbao_with_stdin(args, None)
}

fn nianbao_with_stdin(args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run nianbao");
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let out = child.wait_with_output().expect("wait for nianbao");
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh folder for one test.
fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-tests")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> String {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn seed(path: &str) -> String {
    fs::read_to_string(Path::new(ROOT).join(path)).unwrap()
}

fn diagnostics(file: &Value) -> &Vec<Value> {
    file["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
}

fn start(d: &Value) -> (u64, u64) {
    (
        d["range"]["start"]["line"].as_u64().unwrap(),
        d["range"]["start"]["column"].as_u64().unwrap(),
    )
}

fn end(d: &Value) -> (u64, u64) {
    (
        d["range"]["end"]["line"].as_u64().unwrap(),
        d["range"]["end"]["column"].as_u64().unwrap(),
    )
}

/// Code, severity, start and end.
type Essentials = (String, String, (u64, u64), (u64, u64));

/// Code, severity and range of each diagnostic: what must not depend on how the file was
/// encoded.
fn essentials(file: &Value) -> Vec<Essentials> {
    diagnostics(file)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                start(d),
                end(d),
            )
        })
        .collect()
}

fn has_review_total_errors(file: &Value) {
    let nb304: Vec<&Value> = diagnostics(file)
        .iter()
        .filter(|d| d["code"] == "NB304")
        .collect();
    assert!(
        nb304
            .iter()
            .any(|d| start(d) == (409, 2) && end(d) == (409, 3)),
        "NB304 at 409:2-409:3 expected in {file:#}"
    );
    assert!(
        nb304.iter().any(|d| start(d).0 == 414),
        "NB304 at line 414 expected in {file:#}"
    );
    for d in nb304 {
        assert_eq!(d["severity"], "error");
        assert_eq!(d["name"], "review-total");
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn datong_json_reports_the_table_four_totals() {
    let run = nianbao(&["check", "--format", "json", DATONG]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["version"], 1);
    let file = &json["files"][0];
    assert_eq!(file["path"], DATONG);
    assert_eq!(file["report"]["year"], 2023);
    assert_eq!(file["report"]["format"], "2021");
    assert_eq!(file["report"]["tables"], "2021");
    has_review_total_errors(file);
    assert!(json["summary"]["errors"].as_u64().unwrap() >= 2);
}

fn check_range(range: &Value, text_lines: &[&str]) {
    for end in ["start", "end"] {
        let line = range[end]["line"].as_u64().expect("line is a number");
        let column = range[end]["column"].as_u64().expect("column is a number");
        assert!(line >= 1 && column >= 1, "1-based: {range}");
        if let Some(text) = text_lines.get(line as usize - 1) {
            // Columns count scalar values; the end may sit just past the line's last character.
            assert!(
                column as usize <= text.chars().count() + 1,
                "column past the line: {range}"
            );
        }
    }
    let s = (
        range["start"]["line"].as_u64(),
        range["start"]["column"].as_u64(),
    );
    let e = (
        range["end"]["line"].as_u64(),
        range["end"]["column"].as_u64(),
    );
    assert!(s <= e, "start after end: {range}");
}

/// Every field of the JSON output, for every seed.
#[test]
fn json_shape() {
    let run = nianbao(&["check", "--format", "json", "tests/corpus"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let json = run.json();
    let top: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(top.len(), 3, "{top:?}");
    assert_eq!(json["version"], 1);
    let files = json["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "tests/corpus/datong-eco-2023-flat.txt",
            "tests/corpus/datong-eco-2023.txt",
            "tests/corpus/fuxin-eco-2022.txt",
            "tests/corpus/hengshui-eco-2023.txt",
            "tests/corpus/lufeng-eco-2023.txt",
            "tests/corpus/xinzhou-eco-2020.txt",
        ]
    );
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for file in files {
        assert_eq!(
            file.as_object().unwrap().len(),
            4,
            "path, input, report, diagnostics: {file}"
        );
        assert_eq!(file["input"], "text");
        let report = &file["report"];
        assert!(
            report.is_object(),
            "every seed is a report: {}",
            file["path"]
        );
        assert!(report["year"].is_u64());
        for key in ["format", "tables"] {
            assert!(
                matches!(report[key].as_str(), Some("2019" | "2021")),
                "{key}: {report}"
            );
        }
        let text = seed(file["path"].as_str().unwrap());
        let lines: Vec<&str> = text.lines().collect();
        for d in diagnostics(file) {
            let code = d["code"].as_str().unwrap();
            let rule = nianbao::rules::find(code).unwrap_or_else(|| panic!("unknown code {code}"));
            assert_eq!(d["name"], rule.name);
            match d["severity"].as_str().unwrap() {
                "error" => errors += 1,
                "warning" => warnings += 1,
                "info" => infos += 1,
                other => panic!("severity {other}"),
            }
            assert!(!d["message"].as_str().unwrap().is_empty());
            check_range(&d["range"], &lines);
            if let Some(related) = d.get("related") {
                let related = related.as_array().unwrap();
                assert!(!related.is_empty(), "empty related is omitted");
                for r in related {
                    check_range(&r["range"], &lines);
                    assert!(r["message"].is_string());
                }
            }
            if let Some(fix) = d.get("fix") {
                assert!(fix["title"].is_string());
                assert!(fix["safe"].is_boolean());
                for edit in fix["edits"].as_array().unwrap() {
                    check_range(&edit["range"], &lines);
                    assert!(edit["new_text"].is_string());
                }
            }
        }
    }
    let summary = &json["summary"];
    assert_eq!(summary["files"], 6);
    assert_eq!(summary["errors"], errors);
    assert_eq!(summary["warnings"], warnings);
    assert_eq!(summary["infos"], infos);
}

/// What `expected.json` says of each seed, checked through the CLI's JSON.
fn check_expectations(expected_path: &str, dir: &str) {
    let expected: Value = serde_json::from_str(&seed(expected_path)).unwrap();
    for (name, want) in expected["reports"].as_object().unwrap() {
        let path = format!("{dir}/{name}");
        let run = nianbao(&["check", "--format", "json", &path]);
        assert_ne!(run.code, 2, "{path}: {}", run.stderr);
        let json = run.json();
        let file = &json["files"][0];
        assert_eq!(file["report"]["year"], want["year"], "{path}");
        assert_eq!(
            file["report"]["format"],
            want["format"].to_string(),
            "{path}"
        );
        let found = diagnostics(file);
        let touches = |item: &Value, d: &Value| {
            if d["code"] != item["code"] {
                return false;
            }
            if item["code"] == "NB101" || item["line_tolerance"] == "any" {
                return true;
            }
            let (first, last) = (start(d).0 as i64, end(d).0 as i64);
            let line = item["line"].as_i64().unwrap();
            let mut ranges = vec![(line - 1, line + 1)];
            for alt in item["alt_lines"].as_array().into_iter().flatten() {
                let l = alt.as_i64().unwrap();
                ranges.push((l - 1, l + 1));
            }
            for r in item["ranges"].as_array().into_iter().flatten() {
                ranges.push((r[0].as_i64().unwrap(), r[1].as_i64().unwrap()));
            }
            ranges.iter().any(|&(a, b)| first <= b && last >= a)
        };
        let must = want["must"].as_array().unwrap();
        for item in must {
            assert!(
                found.iter().any(|d| touches(item, d)),
                "{path}: missing {item}\nfound: {found:#?}"
            );
        }
        for code in want["must_not"].as_array().unwrap() {
            let bad: Vec<&Value> = found.iter().filter(|d| &d["code"] == code).collect();
            assert!(
                bad.is_empty(),
                "{path}: {code} must not be reported: {bad:#?}"
            );
        }
        for d in found.iter().filter(|d| d["severity"] == "error") {
            assert!(
                must.iter().any(|item| touches(item, d)),
                "{path}: false positive {d:#}"
            );
        }
    }
}

#[test]
fn seeds_match_expectations() {
    check_expectations("tests/corpus/expected.json", "tests/corpus");
}

#[test]
fn flattened_seed_matches_expectations() {
    check_expectations("tests/corpus/flattened-expected.json", "tests/corpus");
}

// ---------------------------------------------------------------------------------------------
// Exit codes, skipped files, options

#[test]
fn no_path_is_a_usage_error() {
    let run = nianbao(&["check"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.is_empty());
    assert!(run.stdout.is_empty());
    assert_eq!(nianbao(&[]).code, 2);
    assert_eq!(nianbao(&["frobnicate"]).code, 2);
    assert_eq!(nianbao(&["check", "--format", "xml", DATONG]).code, 2);
    assert_eq!(nianbao(&["check", "--lang", "fr", DATONG]).code, 2);
}

#[test]
fn help_and_version() {
    let run = nianbao(&["--help"]);
    assert_eq!(run.code, 0);
    for command in ["check", "rules", "lsp"] {
        assert!(run.stdout.contains(command), "{}", run.stdout);
    }
    let run = nianbao(&["check", "--help"]);
    assert_eq!(run.code, 0);
    for flag in [
        "--format", "--force", "--deny", "--lang", "--rule", "--color",
    ] {
        assert!(run.stdout.contains(flag), "{flag}: {}", run.stdout);
    }
    let run = nianbao(&["--version"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains(env!("CARGO_PKG_VERSION")));
    assert_eq!(nianbao(&["lsp", "--help"]).code, 0);
}

#[test]
fn a_text_that_is_not_a_report_is_skipped() {
    let dir = tmp("prose");
    let path = write(&dir.join("diary.txt"), PROSE);
    let run = nianbao(&["check", &path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("跳过 {path}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert!(!run.stdout.contains('['), "no diagnostics: {}", run.stdout);

    let run = nianbao(&["check", "--format", "json", &path]);
    assert_eq!(run.code, 0);
    let json = run.json();
    assert_eq!(json["files"][0]["path"], path.as_str());
    assert!(json["files"][0]["report"].is_null());
    assert_eq!(diagnostics(&json["files"][0]).len(), 0);
    assert_eq!(json["summary"]["files"], 1);

    let run = nianbao(&["check", "--format", "json", "--lang", "en", &path]);
    assert!(run.stderr.contains("skipped"), "{}", run.stderr);

    // --force analyses it all the same: a report object, no note.
    let run = nianbao(&["check", "--format", "json", "--force", &path]);
    assert_ne!(run.code, 2);
    assert!(run.json()["files"][0]["report"].is_object());
    assert!(!run.stderr.contains("跳过"), "{}", run.stderr);
}

#[test]
fn an_empty_file_is_skipped() {
    let dir = tmp("empty");
    let path = write(&dir.join("empty.md"), "");
    let run = nianbao(&["check", &path]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains(&path), "{}", run.stderr);
    let run = nianbao(&["check", "--format", "json", &path]);
    assert!(run.json()["files"][0]["report"].is_null());
}

#[test]
fn a_missing_file_is_exit_2_and_wins_over_findings() {
    let run = nianbao(&[
        "check",
        "--format",
        "json",
        DATONG,
        "tests/corpus/no-such-report.txt",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("tests/corpus/no-such-report.txt"),
        "{}",
        run.stderr
    );
    // The readable file is still checked and reported; the missing one is not in "files".
    let json = run.json();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    has_review_total_errors(&files[0]);
}

#[test]
fn rule_settings() {
    // NB304 is the only error in 大同; its other findings are warnings and infos.
    let run = nianbao(&["check", "--format", "json", "--rule", "NB304=off", DATONG]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(diagnostics(&run.json()["files"][0])
        .iter()
        .all(|d| d["code"] != "NB304"));

    let run = nianbao(&[
        "check",
        "--format",
        "json",
        "--rule",
        "review-total=warning",
        DATONG,
    ]);
    assert_eq!(run.code, 0);
    let json = run.json();
    let nb304: Vec<&Value> = diagnostics(&json["files"][0])
        .iter()
        .filter(|d| d["code"] == "NB304")
        .collect();
    assert!(!nb304.is_empty());
    assert!(nb304.iter().all(|d| d["severity"] == "warning"));

    // Warnings fail the run only when denied.
    let run = nianbao(&["check", "--deny", "warnings", "--rule", "NB304=off", DATONG]);
    assert_eq!(run.code, 1, "{}", run.stdout);

    assert_eq!(nianbao(&["check", "--rule", "NB999=off", DATONG]).code, 2);
    assert_eq!(nianbao(&["check", "--rule", "NB304=loud", DATONG]).code, 2);
    assert_eq!(nianbao(&["check", "--rule", "NB304", DATONG]).code, 2);
    let run = nianbao(&[
        "check",
        "--rule",
        "NB304=off,NB203=off",
        "--rule",
        "NB105=info",
        DATONG,
    ]);
    assert_ne!(run.code, 2, "{}", run.stderr);
}

#[test]
fn stdin() {
    let bytes = fs::read(Path::new(ROOT).join(DATONG)).unwrap();
    let run = nianbao_with_stdin(&["check", "--format", "json", "-"], Some(bytes));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["files"][0]["path"], "<stdin>");
    has_review_total_errors(&json["files"][0]);

    let run = nianbao_with_stdin(&["check", "-"], Some(PROSE.as_bytes().to_vec()));
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("<stdin>"), "{}", run.stderr);
}

#[test]
fn folders_are_searched_recursively_in_order() {
    let dir = tmp("folders");
    for name in [
        "b.txt",
        "a.md",
        "sub/c.TXT",
        "sub/deeper/d.txt",
        "z/e.md",
        "ignore.pdf",
        "notes.doc",
        ".hidden/f.txt",
    ] {
        write(&dir.join(name), PROSE);
    }
    let root = dir.to_str().unwrap();
    let run = nianbao(&["check", "--format", "json", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let paths: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = ["a.md", "b.txt", "sub/c.TXT", "sub/deeper/d.txt", "z/e.md"]
        .iter()
        .map(|n| dir.join(n).to_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, expected);
    // The notes come in the same order.
    let notes: Vec<&str> = run.stderr.lines().filter(|l| l.contains("跳过")).collect();
    assert_eq!(notes.len(), 5, "{}", run.stderr);
    for (note, path) in notes.iter().zip(&expected) {
        assert!(note.contains(path.as_str()), "{note} / {path}");
    }
    // A folder and a file given explicitly, in the order given (an explicit file is checked
    // whatever its extension).
    let pdf = dir.join("ignore.pdf");
    let run = nianbao(&[
        "check",
        "--format",
        "json",
        pdf.to_str().unwrap(),
        &format!("{root}/sub"),
    ]);
    let json = run.json();
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(
        paths[0].ends_with("ignore.pdf")
            && paths[1].ends_with("c.TXT")
            && paths[2].ends_with("d.txt")
    );
}

#[test]
fn many_files_keep_their_order() {
    let dir = tmp("many");
    let datong = seed(DATONG);
    let mut args = vec!["check".to_string(), "--format".into(), "json".into()];
    for i in 0..24 {
        let name = format!("{i:02}.txt");
        args.push(write(
            &dir.join(&name),
            if i % 3 == 0 { datong.as_str() } else { PROSE },
        ));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = nianbao(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 24);
    for (i, file) in files.iter().enumerate() {
        assert!(file["path"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{i:02}.txt")));
        assert_eq!(file["report"].is_null(), i % 3 != 0, "{}", file["path"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Encodings and line endings

fn json_of(path: &str) -> (i32, Value, String) {
    let run = nianbao(&["check", "--format", "json", path]);
    let json = run.json();
    (run.code, json, run.stderr)
}

/// The file at `path` reads exactly as the UTF-8 大同 seed.
fn same_as_datong(path: &str) {
    let (code, json, stderr) = json_of(path);
    let (want_code, want, _) = json_of(DATONG);
    assert_eq!(code, want_code, "{stderr}");
    assert!(!stderr.contains("无法读取"), "{stderr}");
    assert_eq!(json["files"][0]["report"], want["files"][0]["report"]);
    assert_eq!(
        json["files"][0]["diagnostics"],
        want["files"][0]["diagnostics"]
    );
    has_review_total_errors(&json["files"][0]);
}

#[test]
fn gbk_input_is_decoded() {
    let dir = tmp("gbk");
    let text = seed(DATONG);
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    same_as_datong(&write(&dir.join("datong-gbk.txt"), &bytes));
}

#[test]
fn utf16_with_bom_is_decoded() {
    let dir = tmp("utf16");
    let text = seed(DATONG);
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        le.extend_from_slice(&unit.to_le_bytes());
        be.extend_from_slice(&unit.to_be_bytes());
    }
    same_as_datong(&write(&dir.join("le.txt"), le));
    same_as_datong(&write(&dir.join("be.txt"), be));
    // A UTF-8 byte order mark is not part of the text: columns on line 1 do not move.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    same_as_datong(&write(&dir.join("bom.txt"), bom));
}

#[test]
fn invalid_bytes_are_an_error_for_that_file_only() {
    let dir = tmp("invalid");
    let garbage: Vec<u8> =
        [0x80u8, 0xFF, 0xFE, 0x80, 0xFF, 0xFF, 0x81, 0x30, 0xFE, 0xFF].repeat(200);
    let bad = write(&dir.join("garbage.txt"), garbage);
    let run = nianbao(&["check", &bad]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(&bad), "{}", run.stderr);

    let run = nianbao(&["check", "--format", "json", DATONG, &bad]);
    assert_eq!(run.code, 2, "2 wins over 1");
    assert!(run.stderr.contains(&bad), "{}", run.stderr);
    let json = run.json();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], DATONG);
    has_review_total_errors(&files[0]);

    // Malformed after a byte order mark: a lone surrogate.
    let bad16 = write(&dir.join("bad16.txt"), [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8]);
    let run = nianbao(&["check", "--lang", "en", &bad16]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&bad16) && run.stderr.contains("UTF-16"),
        "{}",
        run.stderr
    );
}

#[test]
fn crlf_input_gives_the_same_positions() {
    let dir = tmp("crlf");
    let crlf = seed(DATONG).replace('\n', "\r\n");
    let path = write(&dir.join("crlf.txt"), crlf);
    let (code, json, stderr) = json_of(&path);
    let (want_code, want, _) = json_of(DATONG);
    assert_eq!(code, want_code, "{stderr}");
    assert_eq!(essentials(&json["files"][0]), essentials(&want["files"][0]));
    has_review_total_errors(&json["files"][0]);
}

#[test]
fn a_ten_megabyte_file() {
    let dir = tmp("big");
    let datong = seed(DATONG);
    let copies = 10 * 1024 * 1024 / datong.len() + 1;
    let path = write(&dir.join("big.txt"), datong.repeat(copies));
    let run = nianbao(&["check", "--format", "json", &path]);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert_eq!(run.json()["summary"]["files"], 1);
}

// ---------------------------------------------------------------------------------------------
// SARIF and GitHub

#[test]
fn sarif() {
    let run = nianbao(&["check", "--format", "sarif", DATONG]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif = run.json();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif"));
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "nianbao");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let all: Vec<&str> = nianbao::rules::ALL.iter().map(|r| r.code).collect();
    assert_eq!(ids, all);
    for (rule, want) in rules.iter().zip(nianbao::rules::ALL) {
        assert_eq!(rule["name"], want.name);
        assert_eq!(rule["shortDescription"]["text"], want.summary_en);
        assert_eq!(rule["fullDescription"]["text"], want.doc_zh);
        assert!(matches!(
            rule["defaultConfiguration"]["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
    }
    let results = run0["results"].as_array().unwrap();
    let nb304: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "NB304").collect();
    assert!(!nb304.is_empty());
    for r in &results[..] {
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(r["message"]["text"].is_string());
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], DATONG);
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(location["region"][key].as_u64().unwrap() >= 1);
        }
        if let Some(fixes) = r.get("fixes") {
            let fix = &fixes[0];
            assert!(fix["description"]["text"].is_string());
            assert!(fix["properties"]["safe"].is_boolean());
            let change = &fix["artifactChanges"][0];
            assert_eq!(change["artifactLocation"]["uri"], DATONG);
            for replacement in change["replacements"].as_array().unwrap() {
                assert!(replacement["deletedRegion"]["startLine"].as_u64().unwrap() >= 1);
                assert!(replacement["insertedContent"]["text"].is_string());
            }
        }
    }
    let region = &nb304[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(409), Some(2))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(409), Some(3))
    );
}

#[test]
fn sarif_without_findings_still_lists_the_rules() {
    let dir = tmp("sarif-empty");
    let path = write(&dir.join("prose.txt"), PROSE);
    let run = nianbao(&["check", "--format", "sarif", &path]);
    assert_eq!(run.code, 0);
    let sarif = run.json();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        nianbao::rules::ALL.len()
    );
}

#[test]
fn github_annotations() {
    let run = nianbao(&["check", "--format", "github", DATONG]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
        let (properties, message) = line[2..].split_once("::").expect("two parts");
        assert!(!message.is_empty());
        let keys: Vec<&str> = properties
            .split_once(' ')
            .unwrap()
            .1
            .split(',')
            .map(|p| p.split('=').next().unwrap())
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
    }
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "::error file={DATONG},line=409,col=2,endLine=409,endColumn=3,title=NB304 review-total::"
        ))),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Human output

#[test]
fn human_output() {
    let run = nianbao(&["check", DATONG]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = &run.stdout;
    assert!(!out.contains('\u{1b}'), "no colour into a pipe");
    assert!(out.contains("error[NB304]: "), "{out}");
    assert!(out.contains(&format!(" --> {DATONG}:409:2\n")), "{out}");
    assert!(
        out.contains("409 |     0\n"),
        "tab shown as four spaces: {out}"
    );
    assert!(out.contains("    |     ^\n"), "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("检查了 1 个文件："), "{last}");
    assert!(
        last.contains("个错误") && last.contains("个警告") && last.contains("个提示"),
        "{last}"
    );

    let run = nianbao(&["check", "--lang", "en", DATONG]);
    let last = run.stdout.lines().last().unwrap().to_string();
    assert!(last.starts_with("checked 1 file: "), "{last}");
    assert!(last.contains("error"), "{last}");
}

#[test]
fn colour_is_on_request() {
    let run = nianbao(&["check", "--color", "always", DATONG]);
    assert!(run.stdout.contains("\u{1b}["), "{}", run.stdout);
    let run = nianbao(&["check", "--color", "never", DATONG]);
    assert!(!run.stdout.contains('\u{1b}'));
}

/// The display width of `s` as the human format shows it (tabs are four columns).
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if c == '\t' { 4 } else { c.width().unwrap_or(0) })
        .sum()
}

/// 禄丰 with one 自然人 cell of 一、本年新收 changed from 0 to 1: its 总计 (0) is now wrong.
fn lufeng_with_a_wrong_row_total(dir: &Path) -> (String, String) {
    let text = seed(LUFENG);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = lines[56].clone();
    assert!(
        row.contains("一、本年新收政府信息公开申请数量 | 0 |"),
        "{row}"
    );
    lines[56] = row.replacen("申请数量 | 0 |", "申请数量 | 1 |", 1);
    let path = write(&dir.join("lufeng-row-total.txt"), lines.join("\n") + "\n");
    (path, lines[56].clone())
}

#[test]
fn columns_count_scalar_values_after_cjk_text() {
    let dir = tmp("cjk-columns");
    let (path, row) = lufeng_with_a_wrong_row_total(&dir);
    let run = nianbao(&["check", "--format", "json", &path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    // The total is the row's last number.
    let total_at = row.trim_end().trim_end_matches('|').trim_end().len() - 1;
    assert_eq!(&row[total_at..total_at + 1], "0");
    let column = row[..total_at].chars().count() as u64 + 1;
    assert!(
        column < total_at as u64,
        "CJK before the cell: chars and bytes differ"
    );
    let nb301: Vec<&Value> = diagnostics(&json["files"][0])
        .iter()
        .filter(|d| d["code"] == "NB301")
        .collect();
    assert!(
        nb301
            .iter()
            .any(|d| start(d) == (57, column) && end(d) == (57, column + 1)),
        "NB301 at 57:{column} expected: {nb301:#?}"
    );
}

#[test]
fn human_underline_is_in_display_columns_after_cjk_text() {
    let dir = tmp("cjk-underline");
    let (path, row) = lufeng_with_a_wrong_row_total(&dir);
    let run = nianbao(&["check", "--format", "json", &path]);
    let json = run.json();
    let d = diagnostics(&json["files"][0])
        .iter()
        .find(|d| d["code"] == "NB301" && start(d).0 == 57)
        .unwrap_or_else(|| panic!("NB301 on line 57: {json:#}"))
        .clone();
    let (_, column) = start(&d);
    let (_, end_column) = end(&d);
    let prefix: String = row.chars().take(column as usize - 1).collect();
    let span: String = row
        .chars()
        .skip(column as usize - 1)
        .take((end_column - column) as usize)
        .collect();
    assert!(!prefix.is_ascii(), "CJK before the span: {prefix}");

    let run = nianbao(&["check", &path]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("error[NB301]"))
        .expect("NB301 in human output");
    let source = header
        + lines[header..]
            .iter()
            .position(|l| l.starts_with("57 | "))
            .expect("source line");
    let shown = &lines[source]["57 | ".len()..];
    assert_eq!(shown, row.replace('\t', "    "), "the whole line is shown");
    let carets = &lines[source + 1]["57 | ".len()..];
    let offset = carets.find('^').expect("underline");
    assert!(carets[..offset].chars().all(|c| c == ' '));
    assert_eq!(
        offset,
        display_width(&prefix),
        "underline starts under the span:\n{}\n{}",
        lines[source],
        lines[source + 1]
    );
    let len = carets[offset..].chars().take_while(|&c| c == '^').count();
    assert_eq!(len, display_width(&span).max(1));
}

#[test]
fn a_one_line_report_is_shown_as_a_window() {
    let run = nianbao(&["check", FLAT]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("error[NB304]"), "{}", run.stdout);
    assert!(run.stdout.contains('…'));
    let sources: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("1 | "))
        .collect();
    assert!(!sources.is_empty());
    for line in sources {
        assert!(display_width(line) <= 70, "{line}");
    }
}

// ---------------------------------------------------------------------------------------------
// rules

#[test]
fn rules_table() {
    let run = nianbao(&["rules"]);
    assert_eq!(run.code, 0);
    for rule in nianbao::rules::ALL {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(rule.code))
            .unwrap_or_else(|| panic!("{}", rule.code));
        assert!(
            line.contains(rule.name)
                && line.contains(rule.severity.as_str())
                && line.contains(rule.summary_zh),
            "{line}"
        );
    }
    let run = nianbao(&["rules", "--lang", "en"]);
    assert!(run.stdout.contains(nianbao::rules::ALL[0].summary_en));

    let run = nianbao(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let json = run.json();
    assert_eq!(
        json["rules"].as_array().unwrap().len(),
        nianbao::rules::ALL.len()
    );
}

#[test]
fn rules_explains_one_rule() {
    let rule = nianbao::rules::find("NB301").unwrap();
    for key in ["NB301", "nb301", "row-total", "ROW-TOTAL"] {
        let run = nianbao(&["rules", key]);
        assert_eq!(run.code, 0, "{key}");
        let out = &run.stdout;
        assert!(out.starts_with("NB301 row-total\n"), "{out}");
        assert!(out.contains("error"), "{out}");
        assert!(out.contains("需确认"), "fix availability: {out}");
        assert!(
            out.contains(rule.summary_zh) && out.contains(rule.summary_en),
            "{out}"
        );
        for line in rule.doc_zh.lines() {
            assert!(out.contains(line), "{line}");
        }
    }
    let run = nianbao(&["rules", "NB301", "--format", "json"]);
    assert_eq!(run.json()["rules"][0]["name"], "row-total");

    let run = nianbao(&["rules", "NB999"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("NB999"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Word documents and web pages: positions in the file itself

/// 大同 as a Word document and as a web page, in `dir`.
fn datong_documents(dir: &Path) -> (String, String) {
    let parts = parts_of("datong-eco-2023.txt");
    let word = write(&dir.join("datong.docx"), docx(&parts));
    let page = write(&dir.join("datong.html"), html(&parts, &Page::default()));
    (word, page)
}

/// The JSON diagnostics with `code` of the one file checked.
fn json_findings(path: &str, code: &str) -> Vec<Value> {
    let run = nianbao(&["check", "--format", "json", path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    diagnostics(&json["files"][0])
        .iter()
        .filter(|d| d["code"] == code)
        .cloned()
        .collect()
}

fn line_col(pos: &Value) -> (u64, u64) {
    (
        pos["line"].as_u64().unwrap(),
        pos["column"].as_u64().unwrap(),
    )
}

#[test]
fn github_annotations_of_documents_point_into_the_file() {
    let dir = tmp("github-documents");
    let (word, page) = datong_documents(&dir);

    // A Word document has no lines: each annotation is on the file, the cell in its message.
    let run = nianbao(&["check", "--format", "github", &word]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.is_empty());
    for line in run.stdout.lines() {
        assert!(line.contains(&format!(" file={word},title=")), "{line}");
        assert!(!line.contains(",line="), "{line}");
    }
    let nb304 = run
        .stdout
        .lines()
        .find(|l| l.contains("title=NB304"))
        .expect("NB304");
    assert!(nb304.contains("（表四 第 4 行 第 10 列）"), "{nb304}");

    // A page: the line and column of its HTML, as JSON's `source_position` gives them (not the
    // converted text's `range`).
    let findings = json_findings(&page, "NB304");
    let (line, column) = line_col(&findings[0]["source_position"]);
    assert_ne!(
        start(&findings[0]).0,
        line,
        "the converted text's line differs from the page's"
    );
    let run = nianbao(&["check", "--format", "github", &page]);
    let nb304 = run
        .stdout
        .lines()
        .find(|l| l.contains("title=NB304"))
        .expect("NB304");
    assert!(
        nb304.starts_with(&format!(
            "::error file={page},line={line},col={column},title=NB304 review-total::"
        )),
        "{nb304}"
    );
    assert!(nb304.contains("（表四 第 4 行 第 10 列）"), "{nb304}");
    let source = fs::read_to_string(&page).unwrap();
    let at_line = source.lines().nth(line as usize - 1).unwrap();
    assert!(
        at_line.contains("<td"),
        "line {line} of the page: {at_line}"
    );
}

#[test]
fn sarif_of_documents_points_into_the_file_and_offers_no_fixes() {
    let dir = tmp("sarif-documents");
    let (word, page) = datong_documents(&dir);
    // The same report as text does offer fixes: documents must not.
    let text = nianbao(&["check", "--format", "sarif", DATONG]).json();
    assert!(text["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.get("fixes").is_some()));

    let run = nianbao(&["check", "--format", "sarif", &word]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif = run.json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let location = &r["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].is_string(), "{r}");
        assert!(location.get("region").is_none(), "no lines in a .docx: {r}");
        for related in r["relatedLocations"].as_array().into_iter().flatten() {
            assert!(related["physicalLocation"].get("region").is_none(), "{r}");
        }
        assert!(r.get("fixes").is_none(), "{r}");
        assert_eq!(r["properties"]["input"], "docx");
    }
    let nb304 = results.iter().find(|r| r["ruleId"] == "NB304").unwrap();
    assert_eq!(
        nb304["locations"][0]["logicalLocations"][0]["name"],
        "表四 第 4 行 第 10 列"
    );
    assert!(
        nb304["message"]["text"]
            .as_str()
            .unwrap()
            .ends_with("（表四 第 4 行 第 10 列）"),
        "{nb304}"
    );

    let findings = json_findings(&page, "NB304");
    let (line, column) = line_col(&findings[0]["source_position"]);
    let run = nianbao(&["check", "--format", "sarif", &page]);
    let sarif = run.json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    for r in results {
        assert!(r.get("fixes").is_none(), "{r}");
    }
    let nb304 = results.iter().find(|r| r["ruleId"] == "NB304").unwrap();
    let region = &nb304["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(line), Some(column)),
        "{nb304}"
    );
    assert!(region.get("endLine").is_none(), "{region}");
    let related = &nb304["relatedLocations"][0]["physicalLocation"]["region"];
    assert_eq!(
        related["startLine"].as_u64(),
        Some(line_col(&findings[0]["related"][0]["source_position"]).0)
    );
}

#[test]
fn json_of_documents_has_no_fixes() {
    let dir = tmp("json-documents");
    let (word, page) = datong_documents(&dir);
    let fixes = |path: &str| {
        let json = nianbao(&["check", "--format", "json", path]).json();
        diagnostics(&json["files"][0])
            .iter()
            .filter(|d| d.get("fix").is_some())
            .count()
    };
    assert!(fixes(DATONG) > 0);
    assert_eq!(fixes(&word), 0);
    assert_eq!(fixes(&page), 0);
}

#[test]
fn human_output_of_a_page_numbers_the_snippet_with_the_header_line() {
    let dir = tmp("human-page");
    let (_, page) = datong_documents(&dir);
    let findings = json_findings(&page, "NB304");
    let (line, column) = line_col(&findings[0]["source_position"]);
    let run = nianbao(&["check", &page]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header = format!(" --> {page}:{line}:{column}（表四 第 4 行 第 10 列）");
    let at = lines
        .iter()
        .position(|l| l.ends_with(&header))
        .unwrap_or_else(|| panic!("no `{header}` in:\n{}", run.stdout));
    assert!(
        lines[at + 2].starts_with(&format!("{line} | ")),
        "{}\n{}",
        lines[at],
        lines[at + 2]
    );
}

// ---------------------------------------------------------------------------------------------
// Folders and failures

#[test]
fn word_lock_files_in_folders_are_passed_over() {
    let dir = tmp("lock-files");
    write(&dir.join("a.txt"), PROSE);
    // What Word keeps beside an open document: the owner's name in a few binary bytes.
    let mut owner = vec![5u8];
    owner.extend_from_slice(b"alice");
    owner.resize(162, 0);
    write(&dir.join("~$report.docx"), &owner);
    write(&dir.join("sub/~$draft.md"), &owner);
    let run = nianbao(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("~$"), "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["files"].as_array().unwrap().len(), 1);
}

#[test]
fn unreadable_files_are_left_out_of_json_and_notified_in_sarif() {
    let dir = tmp("failed");
    let bad = write(&dir.join("bad.docx"), b"this is not a zip file at all");
    let run = nianbao(&["check", "--format", "json", DATONG, &bad]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let json = run.json();
    let summary = json["summary"].as_object().unwrap();
    let mut keys: Vec<&str> = summary.keys().map(String::as_str).collect();
    keys.sort_unstable();
    // The summary keeps exactly the documented keys; the failure is on stderr and in the code.
    assert_eq!(
        keys,
        ["errors", "files", "infos", "warnings"],
        "{summary:?}"
    );
    assert_eq!(json["summary"]["files"], 1);
    assert_eq!(json["files"].as_array().unwrap().len(), 1);
    assert!(run.stderr.contains("bad.docx"), "{}", run.stderr);

    let run = nianbao(&["check", "--format", "sarif", DATONG, &bad]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let sarif = run.json();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation}");
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{invocation}");
    assert_eq!(notes[0]["level"], "error");
    let text = notes[0]["message"]["text"].as_str().unwrap();
    assert!(
        text.contains(&bad) && text.contains("不是有效的 .docx 文件"),
        "{text}"
    );
    assert!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("bad.docx")
    );
    // The readable file's results are still there.
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    let sarif = nianbao(&["check", "--format", "sarif", DATONG]).json();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true, "{invocation}");
    assert!(invocation.get("toolExecutionNotifications").is_none());
}

#[test]
fn human_output_of_documents_offers_no_fixes() {
    let dir = tmp("human-documents");
    let (word, page) = datong_documents(&dir);
    // The same report as text does show fix lines: documents must not (`fix` refuses them).
    let text = nianbao(&["check", DATONG]);
    assert!(text.stdout.contains("= 修复"), "{}", text.stdout);
    for path in [&word, &page] {
        for lang in ["zh", "en"] {
            let run = nianbao(&["check", "--lang", lang, path]);
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert!(run.stdout.contains("error[NB304]"), "{}", run.stdout);
            assert!(
                !run.stdout.lines().any(|l| {
                    let l = l.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
                    l.starts_with("= 修复") || l.starts_with("= fix")
                }),
                "{path} ({lang}):\n{}",
                run.stdout
            );
        }
    }
}
