//! `check`: read and analyse every input in parallel, keeping the input order.

use std::panic::AssertUnwindSafe;

use rayon::prelude::*;

use crate::text::LineIndex;
use crate::{analyze_with, Analysis, Options, Severity};

use super::input::{Input, ReadError};

/// A file that was read and analysed.
pub(crate) struct Checked {
    pub path: String,
    /// The decoded text, without a byte order mark: what every position refers to.
    pub text: String,
    pub index: LineIndex,
    pub analysis: Analysis,
    /// Not an annual report (and no `--force`): no diagnostics, a note instead.
    pub skipped: bool,
}

impl Checked {
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
    Checked(Checked),
    Failed { path: String, error: ReadError },
}

pub(crate) fn check_all(inputs: Vec<Input>, options: &Options) -> Vec<Outcome> {
    inputs
        .into_par_iter()
        .map(|input| check_one(&input, options))
        .collect()
}

fn check_one(input: &Input, options: &Options) -> Outcome {
    let path = input.display().to_string();
    match input.read() {
        Err(error) => Outcome::Failed { path, error },
        Ok(text) => {
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
            Outcome::Checked(Checked {
                path,
                text,
                index,
                analysis,
                skipped,
            })
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
