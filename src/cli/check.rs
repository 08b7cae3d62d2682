//! `check`: read and analyse every input in parallel, keeping the input order.

use std::io::IsTerminal;
use std::panic::AssertUnwindSafe;

use rayon::prelude::*;

use crate::convert::{InputKind, Origin, SourceMap};
use crate::text::LineIndex;
use crate::{analyze_with, Analysis, Options, Severity};

use super::config::Configs;
use super::input::{Input, ReadError};

/// A file that was read and analysed.
pub(crate) struct Checked {
    pub path: String,
    /// What the file was read as.
    pub kind: InputKind,
    /// The decoded text, without a byte order mark, or the text a document was converted to:
    /// what every position refers to.
    pub text: String,
    /// For a converted document, where each part of `text` came from.
    pub map: SourceMap,
    pub index: LineIndex,
    pub analysis: Analysis,
    /// Not an annual report (and no `--force`): no diagnostics, a note instead.
    pub skipped: bool,
    /// The options it was analysed with (its configuration's over the command line's).
    pub options: Options,
}

impl Checked {
    /// Where a byte offset of the text came from in a converted document; `None` for text.
    pub(crate) fn origin(&self, offset: usize) -> Option<&Origin> {
        self.map.locate(offset)
    }

    /// The diagnostics to print: none for a skipped file.
    pub(crate) fn diagnostics(&self) -> &[crate::Diagnostic] {
        if self.skipped {
            &[]
        } else {
            &self.analysis.diagnostics
        }
    }
}

pub(crate) enum Outcome {
    Checked(Box<Checked>),
    Failed { path: String, error: ReadError },
}

/// Runs with more inputs than this show a progress bar (on a terminal).
const PROGRESS_FROM: usize = 20;

pub(crate) fn check_all(inputs: Vec<Input>, configs: &Configs, explicit: &Options) -> Vec<Outcome> {
    let progress = wants_progress(std::io::stderr().is_terminal(), inputs.len()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(inputs.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed} {wide_msg}")
        {
            bar.set_style(style);
        }
        bar
    });
    let mut outcomes: Vec<Outcome> = inputs
        .into_par_iter()
        .map(|input| {
            let loaded = match &input {
                Input::File { path, .. } => configs.for_file(path),
                _ => configs.for_dir(std::path::Path::new(".")),
            };
            let options = configs.options_for(loaded.as_deref(), explicit);
            let outcome = check_one(&input, options);
            if let Some(bar) = &progress {
                bar.set_message(input.display().to_string());
                bar.inc(1);
            }
            outcome
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    carry_over(&mut outcomes);
    outcomes
}

/// A progress bar is for a person watching a long run: stderr is a terminal and there are
/// more than [`PROGRESS_FROM`] inputs.
fn wants_progress(stderr_is_terminal: bool, inputs: usize) -> bool {
    stderr_is_terminal && inputs > PROGRESS_FROM
}

/// NB407 among the files of a run: each report against the others' previous year.
fn carry_over(outcomes: &mut [Outcome]) {
    let facts: Vec<Option<crate::rules::consistency::CarryFacts>> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Checked(c) if !c.skipped => Some(c.analysis.carry.clone()),
            _ => None,
        })
        .collect();
    for (i, outcome) in outcomes.iter_mut().enumerate() {
        let Outcome::Checked(c) = outcome else {
            continue;
        };
        if c.skipped || c.analysis.carry.carried_in.is_none() {
            continue;
        }
        let others = facts
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .filter_map(|(_, f)| f.as_ref());
        c.analysis.check_carry_over(&c.text, others, &c.options);
    }
}

fn check_one(input: &Input, options: Options) -> Outcome {
    let options = &options;
    let path = input.display().to_string();
    match input.read() {
        Err(error) => Outcome::Failed { path, error },
        Ok(source) => {
            let crate::convert::Source { kind, text, map } = source;
            // A bug in the analysis must not take the other files down with it: the file is
            // reported as failed (exit code 2) and the run goes on.
            let analysis =
                match std::panic::catch_unwind(AssertUnwindSafe(|| analyze_with(&text, options))) {
                    Ok(analysis) => analysis,
                    Err(payload) => {
                        let what = payload
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        return Outcome::Failed {
                            path,
                            error: ReadError::Internal(what),
                        };
                    }
                };
            let skipped = !analysis.is_report && !options.force;
            let index = LineIndex::new(&text);
            Outcome::Checked(Box::new(Checked {
                path,
                kind,
                text,
                map,
                index,
                analysis,
                skipped,
                options: options.clone(),
            }))
        }
    }
}

/// Counts over a whole run.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Summary {
    /// Files read (checked or skipped).
    pub files: usize,
    pub skipped: usize,
    /// Inputs that could not be read or decoded.
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub(crate) fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        for outcome in outcomes {
            match outcome {
                Outcome::Failed { .. } => s.failed += 1,
                Outcome::Checked(c) => {
                    s.files += 1;
                    if c.skipped {
                        s.skipped += 1;
                        continue;
                    }
                    for d in c.diagnostics() {
                        match d.severity {
                            Severity::Error => s.errors += 1,
                            Severity::Warning => s.warnings += 1,
                            Severity::Info => s.infos += 1,
                        }
                    }
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_on_a_terminal_for_long_runs() {
        assert!(!wants_progress(false, 1000));
        assert!(!wants_progress(true, PROGRESS_FROM));
        assert!(wants_progress(true, PROGRESS_FROM + 1));
    }
}
