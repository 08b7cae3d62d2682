//! Word documents and web pages read as the seed reports' text reads: each seed written as a
//! `.docx` with the national format's real table structure, and as HTML pages in the shapes
//! government sites publish (declared charsets, chrome, layout tables, `rowspan`/`colspan`),
//! must give exactly the findings of the seed's text; diagnostics locate the document's
//! table cell or paragraph. Damaged, encrypted and oversized files are refused with a clear
//! error.

mod formats_support;

use std::path::Path;

use formats_support::{docx, docx_with, encode, html, parts_of, zip, Page};
use nianbao::convert::{self, ConvertError, InputKind, Source};
use nianbao::{analyze_with, Lang, Options, Severity};

const SEEDS: [&str; 3] = [
    "datong-eco-2023.txt",
    "lufeng-eco-2023.txt",
    "xinzhou-eco-2020.txt",
];

fn options() -> Options {
    Options {
        diagnostics_only: true,
        ..Options::default()
    }
}

/// Code, severity and message of each finding: what must not depend on the file's format.
fn findings(text: &str) -> Vec<(String, Severity, String)> {
    let a = analyze_with(text, &options());
    assert!(a.is_report, "not read as a report:\n{text}");
    let mut f: Vec<_> = a
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.code.to_string(),
                d.severity,
                d.message.zh.to_string(),
            )
        })
        .collect();
    f.sort();
    f
}

fn read(bytes: Vec<u8>, name: &str) -> Source {
    convert::read(bytes, Some(Path::new(name)))
        .unwrap_or_else(|e| panic!("{name}: {}", e.message(Lang::Zh)))
}

fn assert_same_findings(seed: &str, source: &Source, what: &str) {
    let expected = findings(&formats_support::seed(seed));
    let got = findings(&source.text);
    assert_eq!(
        got, expected,
        "{seed} as {what}: findings differ\n--- converted text:\n{}",
        source.text
    );
}

/// The variants of a page the tests write for a seed.
fn pages() -> Vec<(&'static str, Page<'static>)> {
    vec![
        ("utf-8 page", Page::default()),
        (
            "GBK page in a layout table, filler cells, &nbsp; blanks",
            Page {
                charset: "gbk",
                meta_charset: false,
                layout_table: true,
                filler_cells: true,
                nbsp_blanks: true,
                chrome_line: Some("时间:2021-02-05 大 中 小"),
            },
        ),
        (
            "gb2312 page",
            Page {
                charset: "gb2312",
                ..Page::default()
            },
        ),
    ]
}

#[test]
fn every_seed_as_docx_gives_the_findings_of_its_text() {
    for seed in SEEDS {
        let bytes = docx(&parts_of(seed));
        let source = read(bytes, "report.docx");
        assert_eq!(source.kind, InputKind::Docx);
        assert!(!source.map.is_empty());
        assert_same_findings(seed, &source, ".docx");
    }
}

#[test]
fn every_seed_as_a_page_gives_the_findings_of_its_text() {
    for seed in SEEDS {
        let parts = parts_of(seed);
        for (what, page) in pages() {
            let text = html(&parts, &page);
            let bytes = encode(&text, page.charset);
            for name in ["report.html", "report.htm", "report.txt"] {
                let source = read(bytes.clone(), name);
                assert_eq!(source.kind, InputKind::Html, "{name}");
                assert_same_findings(seed, &source, &format!("{what} ({name})"));
            }
        }
    }
}

/// Chrome written as `<div>`s and lists named by `class` or `id` (as most government sites
/// write it, rather than `<nav>`, `<header>`, `<footer>`) is skipped like the tags: the
/// footer's text must not become the content of an empty 六 and hide NB105.
#[test]
fn chrome_in_named_divs_does_not_fill_an_empty_section_six() {
    let seed = "datong-eco-2023.txt";
    let six = "六、其他需要报告的事项\n无\n";
    let text = formats_support::seed(seed);
    assert!(text.contains(six));
    let text = text.replace(six, "六、其他需要报告的事项\n");
    let expected = findings(&text);
    assert!(
        expected
            .iter()
            .any(|(code, _, message)| code == "NB105" && message.contains("六、其他需要报告的事项")),
        "{expected:?}"
    );

    let mut parts = parts_of(seed);
    let at = parts
        .iter()
        .position(|p| matches!(p, formats_support::Part::Heading(h) if h.starts_with("六、")))
        .unwrap();
    assert!(matches!(&parts[at + 1], formats_support::Part::Para(p) if p == "无"));
    parts.remove(at + 1);
    let mut page = html(&parts, &Page::default());
    for (tag, div) in [
        (
            "<header><div class=\"logo\">生态环境局</div></header>",
            "<div id=\"header\"><div class=\"logo\">生态环境局</div></div>",
        ),
        (
            "<nav><ul class=\"nav\">",
            "<div class=\"navbar\"><ul class=\"menu\"><li><a>领导信箱</a></li>",
        ),
        ("</ul></nav>", "</ul></div>"),
        (
            "<footer><p>主办单位：生态环境局 &copy; 版权所有</p></footer>",
            "<div class=\"share-box\">分享到：<a>微信</a> <a>微博</a></div>\n\
             <div class=\"footer clearfix\"><div class=\"copyright\">主办单位：生态环境局 &copy; 版权所有</div>\n\
             <div>地址：大同市御河西路</div><ul id=\"footer_links\"><li>网站地图</li><li>联系我们</li></ul></div>",
        ),
    ] {
        assert!(page.contains(tag), "{tag}");
        page = page.replace(tag, div);
    }
    assert!(!page.contains("<nav>") && !page.contains("<footer>") && !page.contains("<header>"));
    let source = read(page.into_bytes(), "report.html");
    assert_eq!(source.kind, InputKind::Html);
    for chrome in [
        "领导信箱",
        "分享到",
        "版权所有",
        "御河西路",
        "网站地图",
        "当前位置",
    ] {
        assert!(!source.text.contains(chrome), "{chrome}:\n{}", source.text);
    }
    assert!(!source.text.lines().any(|l| l == "生态环境局"));
    assert_eq!(
        findings(&source.text),
        expected,
        "converted text:\n{}",
        source.text
    );
}

#[test]
fn datong_docx_locates_table_four_cells_and_the_misspelled_label() {
    let source = read(docx(&parts_of("datong-eco-2023.txt")), "datong.docx");
    let analysis = analyze_with(&source.text, &options());
    let located: Vec<(&str, Severity, String)> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let origin = source
                .map
                .locate(d.span.start)
                .expect("every finding located");
            (d.rule.code, d.severity, origin.describe(Lang::Zh))
        })
        .collect();
    // 未经复议直接起诉's 总计 is the 10th of table 四's 15 cells, 复议后起诉's the 15th; the
    // data row is the table's fourth (three header rows above it).
    assert!(
        located.contains(&(
            "NB304",
            Severity::Error,
            "表四 第 4 行 第 10 列".to_string()
        )),
        "{located:?}"
    );
    assert!(
        located.contains(&(
            "NB304",
            Severity::Error,
            "表四 第 4 行 第 15 列".to_string()
        )),
        "{located:?}"
    );
    // 结果维护 in the header rows of table 四.
    assert!(
        located
            .iter()
            .any(|(code, _, at)| *code == "NB203" && at.starts_with("表四 第 2 行")),
        "{located:?}"
    );
    // No error but the two totals.
    let errors: Vec<_> = located
        .iter()
        .filter(|(_, s, _)| *s == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 2, "{located:?}");
    // Paragraphs are located by their number: 六's heading.
    let six = source.text.find("六、其他需要报告的事项").unwrap();
    let origin = source.map.locate(six).unwrap();
    assert!(
        origin.describe(Lang::Zh).starts_with('第')
            && origin.describe(Lang::Zh).contains("段（标题 1）"),
        "{origin:?}"
    );
}

#[test]
fn pages_locate_cells_by_line_and_column_of_their_html() {
    let page = html(&parts_of("datong-eco-2023.txt"), &Page::default());
    let source = read(page.clone().into_bytes(), "datong.html");
    let analysis = analyze_with(&source.text, &options());
    let d = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule.code == "NB304")
        .unwrap();
    let origin = source.map.locate(d.span.start).unwrap();
    assert_eq!(origin.describe(Lang::Zh), "表四 第 4 行 第 10 列");
    let (line, column) = origin.line.expect("a page gives lines");
    // That line and column of the page is the written total, 0, in its cell.
    let html_line = page.lines().nth(line as usize - 1).unwrap();
    let rest: String = html_line.chars().skip(column as usize - 1).collect();
    assert!(rest.starts_with("0</span>"), "{line}:{column}: {html_line}");
}

#[test]
fn text_holding_html_is_read_as_a_page_and_plain_text_as_text() {
    let seed = formats_support::seed("lufeng-eco-2023.txt");
    let source = read(seed.clone().into_bytes(), "lufeng.txt");
    assert_eq!(source.kind, InputKind::Text);
    assert_eq!(source.text, seed);
    assert!(source.map.is_empty());
    let page = html(&parts_of("lufeng-eco-2023.txt"), &Page::default());
    // A fragment: only the article, no <html>.
    let start = page.find("<div class=\"TRS_Editor\">").unwrap();
    let fragment = &page[start..];
    let source = convert::read(fragment.as_bytes().to_vec(), None).unwrap();
    assert_eq!(source.kind, InputKind::Html);
    assert_same_findings("lufeng-eco-2023.txt", &source, "an HTML fragment on stdin");
}

// ---------------------------------------------------------------------------------------------
// Files that cannot be read

fn error_of(bytes: Vec<u8>, name: &str) -> ConvertError {
    match convert::read(bytes, Some(Path::new(name))) {
        Ok(s) => panic!("{name} was read ({:?})", s.kind),
        Err(e) => e,
    }
}

#[test]
fn damaged_encrypted_and_oversized_files_are_refused() {
    let good = docx(&parts_of("datong-eco-2023.txt"));
    // Truncated: the central directory is gone.
    let truncated = good[..good.len() / 2].to_vec();
    assert!(matches!(
        error_of(truncated, "t.docx"),
        ConvertError::BadZip(_)
    ));
    // Not a zip at all.
    assert!(matches!(
        error_of(b"<w:document/>".to_vec(), "m.docx"),
        ConvertError::BadZip(_)
    ));
    // A zip without a document.
    assert_eq!(
        error_of(zip(&[("hello.txt", b"hi")]), "e.docx"),
        ConvertError::NoDocument
    );
    // Broken XML.
    assert!(matches!(
        error_of(docx_with("<w:document><w:body><w:p>"), "x.docx"),
        ConvertError::BadXml(_)
    ));
    // Encrypted OOXML and legacy .doc are OLE compound files.
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    assert_eq!(
        error_of(cfb.clone(), "secret.docx"),
        ConvertError::Encrypted
    );
    assert_eq!(error_of(cfb, "old.doc"), ConvertError::Encrypted);
    let message = ConvertError::Encrypted.message(Lang::Zh);
    assert!(
        message.contains("加密或旧版 .doc 文件，无法读取"),
        "{message}"
    );
}

/// A document of zeros beyond the inflation cap: a few hundred KB that would inflate to more
/// than 64 MB.
fn bomb() -> Vec<u8> {
    let zeros = vec![b'0'; (convert::MAX_INFLATED + (1 << 20)) as usize];
    let bytes = zip(&[("word/document.xml", &zeros)]);
    assert!(bytes.len() < 1 << 20, "{}", bytes.len());
    bytes
}

#[test]
fn a_zip_bomb_is_refused_by_its_size_and_while_inflating() {
    let honest = bomb();
    assert_eq!(
        error_of(honest.clone(), "bomb.docx"),
        ConvertError::TooLarge
    );
    // The same bomb with headers claiming 100 bytes: inflating stops at the cap all the same
    // (or the entry's own check fails); it is never read whole.
    let mut lying = honest;
    let declared = (convert::MAX_INFLATED + (1 << 20)) as u32;
    let small = 100u32.to_le_bytes();
    let mut patched = 0;
    for at in 0..lying.len().saturating_sub(4) {
        if lying[at..at + 4] == declared.to_le_bytes() {
            lying[at..at + 4].copy_from_slice(&small);
            patched += 1;
        }
    }
    assert!(patched >= 1, "size fields found");
    let started = std::time::Instant::now();
    let result = convert::read(lying, Some(Path::new("bomb.docx")));
    assert!(result.is_err(), "a lying bomb must not read as a document");
    assert!(started.elapsed().as_secs() < 20);
}

// ---------------------------------------------------------------------------------------------
// The command line

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn nianbao(args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run nianbao");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("formats-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A folder mixing every kind: a Word document, pages in UTF-8 and GBK, a `.txt` holding a
/// page, plain text, and four files that cannot be read.
fn mixed_folder(dir: &Path) {
    let datong = parts_of("datong-eco-2023.txt");
    let xinzhou = parts_of("xinzhou-eco-2020.txt");
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    let good = docx(&datong);
    write("a-datong.docx", &good);
    write(
        "b-lufeng.html",
        html(&parts_of("lufeng-eco-2023.txt"), &Page::default()).as_bytes(),
    );
    let gbk = Page {
        charset: "gbk",
        meta_charset: false,
        layout_table: true,
        filler_cells: true,
        nbsp_blanks: true,
        chrome_line: Some("时间:2021-02-05 大 中 小"),
    };
    write("c-xinzhou.htm", &encode(&html(&xinzhou, &gbk), "gbk"));
    write(
        "d-page-saved-as.txt",
        html(&datong, &Page::default()).as_bytes(),
    );
    write(
        "e-plain.txt",
        formats_support::seed("lufeng-eco-2023.txt").as_bytes(),
    );
    write("bad/f-truncated.docx", &good[..good.len() / 3]);
    write("bad/g-garbage.docx", b"this is not a zip file at all");
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(2048, 0);
    write("bad/h-encrypted.docx", &cfb);
    write("bad/i-bomb.docx", &bomb());
    write("ignored.pdf", b"%PDF-1.4");
}

#[test]
fn a_folder_mixing_every_kind() {
    let dir = tmp("mixed");
    mixed_folder(&dir);
    let root = dir.to_str().unwrap();
    let run = nianbao(&["check", "--format", "json", root]);
    // Unreadable files make the run's exit code 2; the others are still checked.
    assert_eq!(run.code, 2, "{}", run.stderr);
    for (name, why) in [
        ("f-truncated.docx", "不是有效的 .docx 文件"),
        ("g-garbage.docx", "不是有效的 .docx 文件"),
        ("h-encrypted.docx", "加密或旧版 .doc 文件，无法读取"),
        ("i-bomb.docx", "解压后超过 64 MB"),
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no error for {name}:\n{}", run.stderr));
        assert!(line.contains("无法读取") && line.contains(why), "{line}");
    }
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let kinds: Vec<(String, &str)> = files
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_str().unwrap();
            (name.to_string(), f["input"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("a-datong.docx".to_string(), "docx"),
            ("b-lufeng.html".to_string(), "html"),
            ("c-xinzhou.htm".to_string(), "html"),
            ("d-page-saved-as.txt".to_string(), "html"),
            ("e-plain.txt".to_string(), "text"),
        ]
    );
    // The Word document's findings carry where they are in it; the range stays in the
    // converted text.
    let nb304: Vec<&serde_json::Value> = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "NB304")
        .collect();
    assert_eq!(nb304.len(), 2);
    assert_eq!(nb304[0]["source"], "表四 第 4 行 第 10 列");
    assert!(nb304[0]["range"]["start"]["line"].as_u64().unwrap() > 0);
    assert!(nb304[0].get("source_position").is_none());
    assert_eq!(nb304[0]["related"][0]["source"], "表四 第 4 行 第 6 列");
    // A page's findings also carry the line and column of its HTML.
    let page = &files[3]["diagnostics"].as_array().unwrap();
    let d = page.iter().find(|d| d["code"] == "NB304").unwrap();
    assert_eq!(d["source"], "表四 第 4 行 第 10 列");
    assert!(d["source_position"]["line"].as_u64().unwrap() > 1);
    // Plain text has no source: its ranges are its own.
    for d in files[4]["diagnostics"].as_array().unwrap() {
        assert!(d.get("source").is_none(), "{d}");
    }
}

#[test]
fn fix_refuses_documents_and_leaves_them_as_they_were() {
    let dir = tmp("fix");
    let datong = parts_of("datong-eco-2023.txt");
    let word = docx(&datong);
    let page = html(&datong, &Page::default());
    std::fs::write(dir.join("report.docx"), &word).unwrap();
    std::fs::write(dir.join("report.html"), &page).unwrap();
    std::fs::write(dir.join("saved-page.txt"), &page).unwrap();
    let draft = formats_support::seed("datong-eco-2023.txt");
    std::fs::write(dir.join("draft.md"), &draft).unwrap();

    // Named on the command line: each is refused with its reason, exit code 2, untouched.
    for (name, what) in [
        ("report.docx", "Word 文档（.docx）"),
        ("report.html", "网页（HTML）"),
        ("saved-page.txt", "网页（HTML）"),
    ] {
        let path = dir.join(name);
        let run = nianbao(&["fix", "--unsafe", path.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(what) && run.stderr.contains("只能检查，不能自动修复"),
            "{name}: {}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read(dir.join("report.docx")).unwrap(), word);
    assert_eq!(
        std::fs::read_to_string(dir.join("report.html")).unwrap(),
        page
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("saved-page.txt")).unwrap(),
        page
    );

    // A folder: its Word document and `.html` page are passed over, its text is fixed; the
    // `.txt` that holds a page is still refused aloud (its name promised text).
    let run = nianbao(&["fix", "--unsafe", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("report.docx"), "{}", run.stderr);
    assert!(!run.stderr.contains("report.html"), "{}", run.stderr);
    assert!(run.stderr.contains("saved-page.txt"), "{}", run.stderr);
    assert_eq!(std::fs::read(dir.join("report.docx")).unwrap(), word);
    let fixed = std::fs::read_to_string(dir.join("draft.md")).unwrap();
    assert_ne!(fixed, draft, "the text draft was not fixed: {}", run.stderr);
}

#[test]
fn human_output_names_the_cell_and_each_file() {
    let dir = tmp("human");
    mixed_folder(&dir);
    let docx = dir.join("a-datong.docx");
    let page = dir.join("c-xinzhou.htm");
    let run = nianbao(&["check", docx.to_str().unwrap(), page.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains(&format!("--> {}: 表四 第 4 行 第 10 列\n", docx.display())),
        "{out}"
    );
    // The converted row is shown under it.
    assert!(out.contains("| 0 | 0 | 0 | 0 | 0 | 1 | 0 |"), "{out}");
    assert!(
        out.contains("= 相关: 表四 第 4 行 第 6 列 结果维持 = 1"),
        "{out}"
    );
    // A page: its file, line and column, then the cell for a finding in a table.
    let in_page: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(&format!("--> {}:", page.display())))
        .collect();
    assert!(
        in_page
            .iter()
            .any(|l| l.contains("（表三 第 25 行 第 3 列）")),
        "{out}"
    );
    // The page's publication stamp (its chrome line) is after a department's deadline.
    assert!(
        out.contains("info[NB404]: 网页发布时间2021年2月5日晚于"),
        "{out}"
    );
    // Each file's summary, with its kind.
    assert!(
        out.contains(&format!("{}（docx）：2 个错误，4 个警告", docx.display())),
        "{out}"
    );
    assert!(
        out.contains(&format!("{}（html）：", page.display())),
        "{out}"
    );
    assert!(out.lines().last().unwrap().starts_with("检查了 2 个文件"));
    // One file: no per-file summary.
    let run = nianbao(&["check", "--lang", "en", docx.to_str().unwrap()]);
    assert!(
        run.stdout.contains(&format!(
            "--> {}: table 四, row 4, column 10\n",
            docx.display()
        )),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("(docx):"), "{}", run.stdout);
}

#[test]
fn sarif_and_github_carry_the_document_location() {
    let dir = tmp("sarif");
    mixed_folder(&dir);
    let docx = dir.join("a-datong.docx");
    let run = nianbao(&["check", "--format", "sarif", docx.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let r = results.iter().find(|r| r["ruleId"] == "NB304").unwrap();
    assert_eq!(
        r["locations"][0]["logicalLocations"][0]["name"],
        "表四 第 4 行 第 10 列"
    );
    assert_eq!(r["properties"]["input"], "docx");
    let run = nianbao(&["check", "--format", "github", docx.to_str().unwrap()]);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("NB304"))
        .expect("an annotation");
    assert!(line.contains("（表四 第 4 行 第 10 列）"), "{line}");
}

#[test]
fn stdin_may_be_a_word_document() {
    use std::io::Write;
    let bytes = docx(&parts_of("datong-eco-2023.txt"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["input"], "docx");
}

// ---------------------------------------------------------------------------------------------
// Robustness: whatever the bytes, reading never panics and spans never explode

mod robustness {
    use super::*;
    use proptest::prelude::*;

    const HTML_PIECES: &[&str] = &[
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "<th rowspan=3>",
        "<td colspan=4>",
        "<td colspan=0 rowspan=0>",
        "<td colspan=99999 rowspan=99999>",
        "</td>",
        "<tbody>",
        "</tbody>",
        "<p>",
        "</p>",
        "<br/>",
        "<div>",
        "</div>",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<header>",
        "</header>",
        "<article>",
        "<caption>",
        "一、总体情况",
        "（七）总计",
        "0",
        "12",
        " | ",
        "&nbsp;",
        "&amp;",
        "\n",
        "<!-- x -->",
        "<meta charset=gbk>",
        "\u{20000}",
    ];

    const XML_PIECES: &[&str] = &[
        "<w:p>",
        "</w:p>",
        "<w:p/>",
        "<w:r><w:t>一、总体情况</w:t></w:r>",
        "<w:r><w:t>0</w:t></w:r>",
        "<w:r><w:tab/><w:br/></w:r>",
        "<w:tbl>",
        "</w:tbl>",
        "<w:tr>",
        "</w:tr>",
        "<w:tc>",
        "</w:tc>",
        "<w:tcPr><w:gridSpan w:val=\"64\"/><w:vMerge/></w:tcPr>",
        "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>",
        "<w:trPr><w:gridBefore w:val=\"9\"/></w:trPr>",
        "<w:pPr><w:pStyle w:val=\"Heading1\"/><w:outlineLvl w:val=\"200\"/></w:pPr>",
        "<w:sdt><w:sdtContent>",
        "</w:sdtContent></w:sdt>",
        "&amp;",
        "&#x4E00;",
    ];

    fn pieces(alphabet: &'static [&'static str]) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(alphabet), 0..80)
            .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_under_any_name(bytes in proptest::collection::vec(any::<u8>(), 0..600),
                                    name in proptest::sample::select(&["a.docx", "a.html", "a.txt", "a.md"][..])) {
            let mut with_zip = b"PK\x03\x04".to_vec();
            with_zip.extend_from_slice(&bytes);
            for bytes in [bytes, with_zip] {
                if let Ok(source) = convert::read(bytes, Some(Path::new(name))) {
                    let _ = analyze_with(&source.text, &Options { force: true, ..options() });
                }
            }
        }

        #[test]
        fn tag_soup(html in pieces(HTML_PIECES)) {
            let source = convert::read(html.into_bytes(), Some(Path::new("a.html"))).unwrap();
            prop_assert!(source.text.len() < 8 << 20);
            let a = analyze_with(&source.text, &Options { force: true, ..options() });
            for d in &a.diagnostics {
                let _ = source.map.locate(d.span.start).map(|o| o.describe(Lang::En));
            }
        }

        #[test]
        fn word_soup(xml in pieces(XML_PIECES)) {
            let document = format!(
                r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{xml}</w:body></w:document>"#
            );
            if let Ok(source) = convert::read(docx_with(&document), Some(Path::new("a.docx"))) {
                prop_assert!(source.text.len() < 8 << 20);
                let _ = analyze_with(&source.text, &Options { force: true, ..options() });
            }
        }
    }

    #[test]
    fn spans_cannot_blow_up() {
        let page = "<table>".to_string() + &"<tr><td colspan=1000 rowspan=65534>x".repeat(20_000);
        let started = std::time::Instant::now();
        let source = convert::read(page.into_bytes(), Some(Path::new("a.html"))).unwrap();
        assert!(source.text.len() < 16 << 20, "{}", source.text.len());
        assert!(started.elapsed().as_secs() < 30);
        let cell = r#"<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p/></w:tc>"#;
        let row = format!(
            "<w:tr><w:trPr><w:gridBefore w:val=\"64\"/></w:trPr>{}</w:tr>",
            cell.repeat(50)
        );
        let document = format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>{}</w:tbl></w:body></w:document>"#,
            row.repeat(2_000)
        );
        let source = convert::read(docx_with(&document), Some(Path::new("a.docx"))).unwrap();
        assert!(source.text.len() < 16 << 20, "{}", source.text.len());
    }
}
