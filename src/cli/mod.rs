//! The `nianbao` command line: a thin adapter over the core.
//!
//! `nianbao check [PATH…]` reads files (text in UTF-8, UTF-16 or GB18030/GBK/Big5, Word `.docx`,
//! HTML pages: see [`crate::convert`]), analyses
//! them in parallel with [`crate::analyze_with`] and prints the diagnostics as text for people,
//! JSON, SARIF or GitHub workflow annotations; `nianbao rules` documents the rules; `nianbao
//! lsp` starts the language server. Everything that writes to stdout lives in [`output`].
#![deny(clippy::print_stdout)]

mod check;
mod config;
mod fixcmd;
mod input;
mod output;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{Lang, Options};

/// Exit code: no error-level finding.
pub const EXIT_OK: i32 = 0;
/// Exit code: error-level findings (or warnings with `--deny warnings`).
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage, I/O or decoding error (wins over [`EXIT_FINDINGS`]).
pub const EXIT_TROUBLE: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "nianbao",
    version,
    about = "检查政府信息公开工作年度报告 — a linter for Chinese government information disclosure annual reports",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 检查年度报告（文件、文件夹，或 - 表示标准输入） / check reports
    Check(CheckArgs),
    /// 列出规则，或显示一条规则的说明 / list the rules, or explain one
    Rules(RulesArgs),
    /// 自动修复（默认只做安全修复） / apply fixes in place (safe ones unless --unsafe)
    Fix(FixArgs),
    /// 生成一份新的年度报告草稿（Markdown） / write a new report draft in Markdown
    New(NewArgs),
    /// 启动语言服务器（通过标准输入输出） / start the language server on stdio
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
struct FixArgs {
    /// Files and folders to fix (folders: every *.md and *.txt inside, or what nianbao.toml includes).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Also apply unsafe fixes (a total rewritten to the computed sum, a citation corrected…).
    #[arg(long = "unsafe")]
    unsafe_fixes: bool,
    /// Print a unified diff of what would change instead of writing.
    #[arg(long)]
    diff: bool,
    /// Fix files even when they do not look like an annual report.
    #[arg(long)]
    force: bool,
    /// Re-grade or turn off a rule (`NB206=off`).
    #[arg(long = "rule", value_name = "CODE=off|error|warning|info")]
    rules: Vec<String>,
    /// Use this configuration file instead of the nearest nianbao.toml.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Language of messages: zh or en (default: nianbao.toml's, else zh).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// The report year (default: last year).
    #[arg(long)]
    year: Option<u16>,
    /// The agency's name, e.g. 某市生态环境局.
    #[arg(long, default_value = "")]
    agency: String,
    /// The kind of agency: 部门, 人民政府 or 乡镇 (default: from the name).
    #[arg(long, value_parser = parse_kind)]
    kind: Option<crate::AgencyKind>,
    /// Write the draft to this file (refuses to overwrite one) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files and folders to check (folders: every *.md, *.txt, *.docx, *.html and *.htm inside);
    /// `-` reads stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Check files even when they do not look like an annual report.
    #[arg(long)]
    force: bool,
    /// `--deny warnings`: warnings also make the exit code 1.
    #[arg(long, short = 'D', value_enum, value_name = "WHAT")]
    deny: Vec<Deny>,
    /// Language of messages: zh or en (default: nianbao.toml's, else zh).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Re-grade or turn off a rule: `NB206=off`, `NB104=warning` (code or name; repeatable,
    /// or comma-separated). Wins over nianbao.toml.
    #[arg(long = "rule", value_name = "CODE=off|error|warning|info")]
    rules: Vec<String>,
    /// Use this configuration file instead of the nearest nianbao.toml.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// A rule code or name (`NB301`, `row-total`); without it, every rule is listed.
    #[arg(value_name = "CODE")]
    rule: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    format: RulesFormat,
    /// Language of labels: zh or en.
    #[arg(long, value_parser = parse_lang, default_value = "zh")]
    lang: Lang,
}

#[derive(Debug, Args)]
struct LspArgs {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

impl ColorArg {
    fn choice(self) -> anstream::ColorChoice {
        match self {
            ColorArg::Auto => anstream::ColorChoice::Auto,
            ColorArg::Always => anstream::ColorChoice::Always,
            ColorArg::Never => anstream::ColorChoice::Never,
        }
    }
}

fn parse_kind(s: &str) -> Result<crate::AgencyKind, String> {
    crate::AgencyKind::parse(s)
        .ok_or_else(|| format!("unknown kind `{s}` (expected 部门, 人民政府 or 乡镇)"))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language `{s}` (expected zh or en)"))
}

/// Pick the Chinese or the English text.
pub(crate) fn tr<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    run(std::env::args_os())
}

/// Run the command line on `args` (the first is the program name); returns the exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0, usage errors to stderr with code 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Fix(args) => run_fix(args),
        Command::New(args) => run_new(args),
        Command::Rules(args) => output::rules(
            args.rule.as_deref(),
            args.format == RulesFormat::Json,
            args.lang,
        ),
        Command::Lsp(_) => crate::lsp::run(),
    }
}

/// The language: the flag, else the configuration's (of `--config`, or of the current folder).
fn choose_lang(flag: Option<Lang>, configs: &config::Configs) -> Lang {
    flag.or_else(|| {
        configs
            .for_dir(std::path::Path::new("."))
            .and_then(|l| l.config.language)
    })
    .unwrap_or_default()
}

/// Read `--rule` settings into `options`; a message for the first bad one.
fn read_rule_flags(
    rules: &[String],
    options: &mut Options,
    lang: Lang,
    command: &str,
) -> Result<(), String> {
    for setting in rules
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let ok = match setting.split_once('=') {
            Some((code, level)) => options.set_rule(code.trim(), level),
            None => false,
        };
        if !ok {
            return Err(match lang {
                Lang::Zh => format!(
                    "nianbao {command}：无效的 --rule {setting}（应为 规则=off|error|warning|info，例如 NB206=off；`nianbao rules` 列出所有规则）"
                ),
                Lang::En => format!(
                    "nianbao {command}: invalid --rule {setting} (expected RULE=off|error|warning|info, e.g. NB206=off; `nianbao rules` lists the rules)"
                ),
            });
        }
    }
    Ok(())
}

/// Which files a folder gives and which named files are left out, by each file's nianbao.toml.
fn accept_by_config(
    configs: &config::Configs,
) -> impl Fn(&std::path::Path, bool) -> Option<bool> + '_ {
    move |path, in_folder| {
        let loaded = configs.for_file(path)?;
        if in_folder {
            Some(loaded.includes(path))
        } else {
            loaded.excludes(path).then_some(false)
        }
    }
}

/// Print the problems of every configuration read; whether one is broken.
fn report_config_problems(configs: &config::Configs, lang: Lang) -> bool {
    let mut broken = false;
    for loaded in configs.all() {
        for line in loaded.problem_lines(lang) {
            output::error(&line);
        }
        broken |= loaded.broken();
    }
    broken
}

fn run_check(args: CheckArgs) -> i32 {
    let configs = config::Configs::new(args.config.as_deref());
    let lang = choose_lang(args.lang, &configs);
    if args.paths.is_empty() {
        output::error(tr(
            lang,
            "nianbao check：请给出要检查的文件或文件夹（- 表示标准输入）",
            "nianbao check: give the files or folders to check (- reads stdin)",
        ));
        return EXIT_TROUBLE;
    }
    let mut options = Options {
        force: args.force,
        diagnostics_only: true,
        ..Options::default()
    };
    if let Err(msg) = read_rule_flags(&args.rules, &mut options, lang, "check") {
        output::error(&msg);
        return EXIT_TROUBLE;
    }

    let inputs = input::collect_with(&args.paths, &accept_by_config(&configs));
    let outcomes = check::check_all(inputs, &configs, &options);
    let config_broken = report_config_problems(&configs, lang);
    let summary = check::Summary::of(&outcomes);
    let settings = output::Settings {
        lang,
        color: args.color.choice(),
    };
    match args.format {
        CheckFormat::Human => output::human(&outcomes, &summary, &settings),
        CheckFormat::Json => output::json(&outcomes, &summary, &settings),
        CheckFormat::Sarif => output::sarif(&outcomes, &settings),
        CheckFormat::Github => output::github(&outcomes, &settings),
    }

    let deny_warnings = args.deny.contains(&Deny::Warnings);
    if summary.failed > 0 || config_broken {
        EXIT_TROUBLE
    } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn run_fix(args: FixArgs) -> i32 {
    let configs = config::Configs::new(args.config.as_deref());
    let lang = choose_lang(args.lang, &configs);
    if args.paths.is_empty() {
        output::error(tr(
            lang,
            "nianbao fix：请给出要修复的文件或文件夹",
            "nianbao fix: give the files or folders to fix",
        ));
        return EXIT_TROUBLE;
    }
    let mut explicit = Options {
        force: args.force,
        diagnostics_only: true,
        ..Options::default()
    };
    if let Err(msg) = read_rule_flags(&args.rules, &mut explicit, lang, "fix") {
        output::error(&msg);
        return EXIT_TROUBLE;
    }
    // Folders give their text files only: fix writes text, and a folder of Word drafts beside
    // their Markdown is not an error. A document named on the command line is refused aloud.
    let by_config = accept_by_config(&configs);
    let text_only = |path: &std::path::Path, in_folder: bool| {
        if in_folder && input::is_document_extension(path) {
            Some(false)
        } else {
            by_config(path, in_folder)
        }
    };
    let inputs = input::collect_with(&args.paths, &text_only);
    let mut trouble = report_config_problems(&configs, lang);
    let mut errors_left = false;
    let (mut files_changed, mut edits_total) = (0usize, 0usize);
    for input in inputs {
        let (path, display) = match input {
            input::Input::File { path, display } => (path, display),
            input::Input::Stdin => {
                output::error(tr(
                    lang,
                    "nianbao fix：不能修复标准输入，请给出文件",
                    "nianbao fix: cannot fix stdin; give files",
                ));
                trouble = true;
                continue;
            }
            input::Input::Broken { display, error } => {
                output::error(&format!("nianbao: {display}: {}", error.message(lang)));
                trouble = true;
                continue;
            }
        };
        let loaded = configs.for_file(&path);
        let options = configs.options_for(loaded.as_deref(), &explicit);
        match fixcmd::fix_file(
            &path,
            &display,
            &options,
            args.unsafe_fixes,
            !args.diff,
            lang,
        ) {
            fixcmd::FixOutcome::Changed {
                path,
                edits,
                diff,
                remaining_errors,
            } => {
                files_changed += 1;
                edits_total += edits;
                errors_left |= remaining_errors > 0;
                if args.diff {
                    output::stdout(&diff);
                } else {
                    output::error(&match lang {
                        Lang::Zh => format!("nianbao: 已修复 {path}（{edits} 处修改）"),
                        Lang::En => format!("nianbao: fixed {path} ({edits} edits)"),
                    });
                }
            }
            fixcmd::FixOutcome::Unchanged { remaining_errors } => {
                errors_left |= remaining_errors > 0;
            }
            fixcmd::FixOutcome::Skipped { path } => output::error(&match lang {
                Lang::Zh => format!(
                    "nianbao: 跳过 {path}：不是政府信息公开工作年度报告（--force 可强制修复）"
                ),
                Lang::En => format!(
                    "nianbao: skipped {path}: not an annual report (--force fixes it anyway)"
                ),
            }),
            fixcmd::FixOutcome::Refused { message } => {
                output::error(&format!("nianbao: {message}"));
                trouble = true;
            }
            fixcmd::FixOutcome::Failed { path, message } => {
                output::error(&match lang {
                    Lang::Zh => format!("nianbao: 无法修复 {path}：{message}"),
                    Lang::En => format!("nianbao: cannot fix {path}: {message}"),
                });
                trouble = true;
            }
        }
    }
    if !args.diff {
        output::error(&match lang {
            Lang::Zh => format!("nianbao: {files_changed} 个文件，共 {edits_total} 处修改"),
            Lang::En => format!("nianbao: {files_changed} files changed, {edits_total} edits"),
        });
    }
    if trouble {
        EXIT_TROUBLE
    } else if errors_left {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn run_new(args: NewArgs) -> i32 {
    let year = args.year.unwrap_or_else(crate::lsp::server::last_year);
    if !(2019..=2200).contains(&year) {
        output::error(&format!(
            "nianbao new：年份 {year} 不在支持范围内（2019 年起） / year {year} is not supported (2019 on)"
        ));
        return EXIT_TROUBLE;
    }
    let kind = args
        .kind
        .or_else(|| crate::report::agency::kind_of(&args.agency));
    let text = crate::fix::new_report_for(year, &args.agency, kind);
    match args.output {
        None => output::stdout(&text),
        Some(path) => {
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
            if let Err(e) = written {
                output::error(&format!("nianbao new: {}: {e}", path.display()));
                return EXIT_TROUBLE;
            }
            output::error(&format!("nianbao: {}", path.display()));
        }
    }
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_exit_2() {
        assert_eq!(run(["nianbao", "check"]), EXIT_TROUBLE);
        assert_eq!(
            run(["nianbao", "check", "--rule", "NB999=off", "x"]),
            EXIT_TROUBLE
        );
        assert_eq!(
            run(["nianbao", "check", "--rule", "NB206=loud", "x"]),
            EXIT_TROUBLE
        );
        assert_eq!(
            run(["nianbao", "check", "--format", "xml", "x"]),
            EXIT_TROUBLE
        );
        assert_eq!(run(["nianbao", "rules", "NB999"]), EXIT_TROUBLE);
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
