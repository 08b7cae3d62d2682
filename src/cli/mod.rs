//! The `nianbao` command line: a thin adapter over the core.
//!
//! `nianbao check [PATH…]` reads files (text in UTF-8, UTF-16 or GB18030/GBK/Big5, Word `.docx`,
//! HTML pages: see [`crate::convert`]), analyses
//! them in parallel with [`crate::analyze_with`] and prints the diagnostics as text for people,
//! JSON, SARIF or GitHub workflow annotations; `nianbao rules` documents the rules; `nianbao
//! lsp` starts the language server. Everything that writes to stdout lives in [`output`].
#![deny(clippy::print_stdout)]

mod check;
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
    /// 启动语言服务器（通过标准输入输出） / start the language server on stdio
    Lsp(LspArgs),
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
    /// Language of messages: zh or en.
    #[arg(long, value_parser = parse_lang, default_value = "zh")]
    lang: Lang,
    /// Re-grade or turn off a rule: `NB206=off`, `NB104=warning` (code or name; repeatable,
    /// or comma-separated).
    #[arg(long = "rule", value_name = "CODE=off|error|warning|info")]
    rules: Vec<String>,
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
        Command::Rules(args) => output::rules(
            args.rule.as_deref(),
            args.format == RulesFormat::Json,
            args.lang,
        ),
        Command::Lsp(_) => crate::lsp::run(),
    }
}

fn run_check(args: CheckArgs) -> i32 {
    let lang = args.lang;
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
    for setting in args
        .rules
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
            let msg = match lang {
                Lang::Zh => format!(
                    "nianbao check：无效的 --rule {setting}（应为 规则=off|error|warning|info，例如 NB206=off；`nianbao rules` 列出所有规则）"
                ),
                Lang::En => format!(
                    "nianbao check: invalid --rule {setting} (expected RULE=off|error|warning|info, e.g. NB206=off; `nianbao rules` lists the rules)"
                ),
            };
            output::error(&msg);
            return EXIT_TROUBLE;
        }
    }

    let inputs = input::collect(&args.paths);
    let outcomes = check::check_all(inputs, &options);
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
    if summary.failed > 0 {
        EXIT_TROUBLE
    } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
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
