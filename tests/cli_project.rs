//! The command line with a project around it: `nianbao.toml` found from each report's folder
//! (or named by `--config`), broken configurations, include/exclude, `fix` and `new`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");
const DATONG: &str = include_str!("corpus/datong-eco-2023.txt");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn nianbao_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run nianbao");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-project")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn codes_in_json(stdout: &str) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let mut out = Vec::new();
    for file in v["files"].as_array().unwrap() {
        for d in file["diagnostics"].as_array().unwrap() {
            out.push(d["code"].as_str().unwrap().to_string());
        }
    }
    out
}

#[test]
fn config_is_found_from_the_reports_folder_upwards() {
    let dir = tmp("discovery");
    fs::create_dir_all(dir.join("reports/2023")).unwrap();
    fs::write(dir.join("reports/2023/datong.txt"), DATONG).unwrap();
    // Without a configuration: NB304 errors, exit 1.
    let run = nianbao_in(&dir, &["check", "--format", "json", "reports"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(codes_in_json(&run.stdout).contains(&"NB304".to_string()));
    // A nianbao.toml two folders up turns NB304 off and NB203 into an error.
    fs::write(
        dir.join("nianbao.toml"),
        "[rules]\nNB304 = \"off\"\nlabel-nonstandard = \"error\"\n",
    )
    .unwrap();
    let run = nianbao_in(
        &dir.join("reports/2023"),
        &["check", "--format", "json", "datong.txt"],
    );
    let codes = codes_in_json(&run.stdout);
    assert!(!codes.contains(&"NB304".to_string()), "{codes:?}");
    assert_eq!(run.code, 1, "NB203 is an error now: {}", run.stderr);
    // The command line wins over the file.
    let run = nianbao_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "--rule",
            "NB203=info",
            "reports",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // `--config` names another file.
    fs::write(dir.join("other.toml"), "language = \"en\"\n").unwrap();
    let run = nianbao_in(&dir, &["check", "--config", "other.toml", "reports"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("NB304"), "{}", run.stdout);
    assert!(
        run.stdout.contains("total should be") || run.stdout.contains("should"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_config_is_reported_with_its_line_and_the_defaults_stay() {
    let dir = tmp("broken");
    fs::write(dir.join("datong.txt"), DATONG).unwrap();
    fs::write(
        dir.join("nianbao.toml"),
        "[rules]\nNB304 = \"off\"\nNB999 = \"off\"\n",
    )
    .unwrap();
    let run = nianbao_in(&dir, &["check", "--format", "json", "datong.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("nianbao.toml:3:1"), "{}", run.stderr);
    assert!(run.stderr.contains("NB999"), "{}", run.stderr);
    // The good entry still applies.
    assert!(!codes_in_json(&run.stdout).contains(&"NB304".to_string()));
    // Not TOML at all: every default.
    fs::write(dir.join("nianbao.toml"), "[rules\nNB304 = \"off\"\n").unwrap();
    let run = nianbao_in(&dir, &["check", "--format", "json", "datong.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nianbao.toml:1:"), "{}", run.stderr);
    assert!(codes_in_json(&run.stdout).contains(&"NB304".to_string()));
}

#[test]
fn include_and_exclude_choose_the_files_of_a_folder() {
    let dir = tmp("globs");
    fs::create_dir_all(dir.join("old")).unwrap();
    fs::write(dir.join("a.txt"), DATONG).unwrap();
    fs::write(dir.join("old/b.txt"), DATONG).unwrap();
    fs::write(dir.join("c.report"), DATONG).unwrap();
    fs::write(
        dir.join("nianbao.toml"),
        "include = [\"*.txt\", \"*.report\"]\nexclude = [\"old/**\"]\n",
    )
    .unwrap();
    let run = nianbao_in(&dir, &["check", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut paths: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
        .collect();
    paths.sort();
    assert_eq!(paths, vec!["./a.txt", "./c.report"], "{}", run.stderr);
}

#[test]
fn a_file_named_on_the_command_line_is_checked_even_if_excluded() {
    let dir = tmp("named-excluded");
    fs::create_dir_all(dir.join("old")).unwrap();
    fs::write(dir.join("old/b.txt"), DATONG).unwrap();
    fs::write(dir.join("nianbao.toml"), "exclude = [\"old/**\"]\n").unwrap();
    // A folder walk leaves it out…
    let run = nianbao_in(&dir, &["check", "--format", "json", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(codes_in_json(&run.stdout).is_empty(), "{}", run.stdout);
    // …naming it checks it.
    let run = nianbao_in(&dir, &["check", "--format", "json", "old/b.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(codes_in_json(&run.stdout).contains(&"NB304".to_string()));
    let run = nianbao_in(&dir, &["check", "old/b.txt"]);
    assert!(run.stdout.contains("检查了 1 个文件"), "{}", run.stdout);
    // So does fix.
    let run = nianbao_in(&dir, &["fix", "--diff", "--unsafe", "old/b.txt"]);
    assert!(run.stdout.contains("--- a/old/b.txt"), "{}", run.stdout);
}

/// A report reached through a symbolic link is fixed where it is, and the link stays a link.
#[cfg(unix)]
#[test]
fn fix_through_a_symbolic_link_fixes_its_target() {
    let dir = tmp("symlink");
    fs::create_dir_all(dir.join("real")).unwrap();
    fs::create_dir_all(dir.join("links")).unwrap();
    let text = DATONG.replace(
        "五、存在的主要问题及改进情况",
        "五、存在的主要问题及改进措施",
    );
    fs::write(dir.join("real/r.txt"), &text).unwrap();
    std::os::unix::fs::symlink("../real/r.txt", dir.join("links/r.txt")).unwrap();
    let run = nianbao_in(&dir, &["fix", "links/r.txt"]);
    assert!(run.stderr.contains("links/r.txt"), "{}", run.stderr);
    let link = fs::symlink_metadata(dir.join("links/r.txt")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let fixed = fs::read_to_string(dir.join("real/r.txt")).unwrap();
    assert!(
        fixed.contains("五、存在的主要问题及改进情况"),
        "the target was not fixed: {}",
        run.stderr
    );
    // No temporary file is left on either side.
    for sub in ["real", "links"] {
        let names: Vec<_> = fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{sub}: {names:?}");
    }
}

#[test]
fn fix_applies_safe_fixes_once_and_diff_writes_nothing() {
    let dir = tmp("fix");
    // 大同 with a missing 六 and a heading in a variant wording: both safe fixes.
    let text = DATONG
        .replace(
            "五、存在的主要问题及改进情况",
            "五、存在的主要问题及改进措施",
        )
        .replace("六、其他需要报告的事项\n无\n", "");
    fs::write(dir.join("r.txt"), &text).unwrap();

    let run = nianbao_in(&dir, &["fix", "--diff", "r.txt"]);
    assert!(run.stdout.contains("--- a/r.txt"), "{}", run.stdout);
    assert!(
        run.stdout.contains("+五、存在的主要问题及改进情况"),
        "{}",
        run.stdout
    );
    assert_eq!(
        fs::read_to_string(dir.join("r.txt")).unwrap(),
        text,
        "--diff wrote"
    );

    let run = nianbao_in(&dir, &["fix", "r.txt"]);
    assert_eq!(run.code, 1, "NB304 (unsafe) is left: {}", run.stderr);
    let once = fs::read_to_string(dir.join("r.txt")).unwrap();
    assert!(once.contains("五、存在的主要问题及改进情况"));
    assert!(once.contains("六、其他需要报告的事项"));
    // Idempotent: a second run changes nothing.
    let run = nianbao_in(&dir, &["fix", "r.txt"]);
    assert_eq!(
        fs::read_to_string(dir.join("r.txt")).unwrap(),
        once,
        "{}",
        run.stderr
    );
    let run = nianbao_in(&dir, &["fix", "--diff", "r.txt"]);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    // No temporary file is left.
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");

    // --unsafe rewrites the wrong totals too, and then nothing is an error.
    let run = nianbao_in(&dir, &["fix", "--unsafe", "r.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let twice = fs::read_to_string(dir.join("r.txt")).unwrap();
    let run = nianbao_in(&dir, &["fix", "--unsafe", "r.txt"]);
    assert_eq!(run.code, 0);
    assert_eq!(fs::read_to_string(dir.join("r.txt")).unwrap(), twice);
}

#[test]
fn new_writes_a_draft_that_checks_clean() {
    let dir = tmp("new");
    for (kind, agency) in [
        ("部门", "某市生态环境局"),
        ("人民政府", "某县人民政府"),
        ("乡镇", "某镇人民政府"),
    ] {
        let file = format!("{kind}.md");
        let run = nianbao_in(
            &dir,
            &[
                "new", "--year", "2025", "--agency", agency, "--kind", kind, "-o", &file,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = fs::read_to_string(dir.join(&file)).unwrap();
        assert!(text.starts_with(&format!("# {agency}2025年政府信息公开工作年度报告")));
        assert_eq!(
            text.contains("工作考核、社会评议和责任追究结果情况"),
            kind == "人民政府"
        );
        let run = nianbao_in(&dir, &["check", "--deny", "warnings", &file]);
        assert_eq!(run.code, 0, "{kind}: {}{}", run.stdout, run.stderr);
        // -o never overwrites.
        let run = nianbao_in(&dir, &["new", "--year", "2025", "-o", &file]);
        assert_eq!(run.code, 2);
    }
    // To stdout.
    let run = nianbao_in(&dir, &["new", "--year", "2020", "--agency", "某局"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("国办公开办函〔2019〕60号"));
}

#[test]
fn carry_over_among_the_files_given() {
    let dir = tmp("carry");
    let last = nianbao_in(
        &dir,
        &["new", "--year", "2022", "--agency", "某市生态环境局"],
    )
    .stdout;
    let this = nianbao_in(
        &dir,
        &["new", "--year", "2023", "--agency", "某市生态环境局"],
    )
    .stdout;
    // 2022 received 2 and carried both over.
    let set = |text: &str, label: &str| {
        let at = text.find(label).unwrap();
        let end = at + text[at..].find('\n').unwrap();
        let row = text[at..end].replacen(" 0 |", " 2 |", 1);
        let row = format!("{}2 |", row.trim_end_matches("0 |"));
        format!("{}{}{}", &text[..at], row, &text[end..])
    };
    let last = set(
        &set(&last, "一、本年新收政府信息公开申请数量"),
        "四、结转下年度继续办理",
    );
    fs::write(dir.join("2022.md"), last).unwrap();
    fs::write(dir.join("2023.md"), this).unwrap();
    let run = nianbao_in(&dir, &["check", "--format", "json", "2022.md", "2023.md"]);
    let codes = codes_in_json(&run.stdout);
    assert!(!codes.contains(&"NB303".to_string()), "{codes:?}");
    assert!(codes.contains(&"NB407".to_string()), "{codes:?}");
    let run = nianbao_in(&dir, &["check", "--format", "json", "2023.md"]);
    assert!(!codes_in_json(&run.stdout).contains(&"NB407".to_string()));
}
