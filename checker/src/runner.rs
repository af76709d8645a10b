//! Runs the checks of an exercise concurrently and turns outcomes into results.
//!
//! Every check gets its own attempt timeout and, when the exercise asks for it, retries
//! until its `retry.timeout`. The checks run side by side, so an exercise takes as long
//! as its slowest check, not the sum.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use futures_util::stream::{self, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};

use crate::catalog::{Check, Exercise};
use crate::checks::Context;
use crate::outcome::{CheckResult, ExerciseResult, Outcome, Status};
use crate::untrusted::neutralise_opt;

/// How the runner bounds each check.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Longest single attempt of a check.
    pub attempt_timeout: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            attempt_timeout: Duration::from_secs(15),
        }
    }
}

/// How `grade` runs many exercises.
#[derive(Debug, Clone, Copy)]
pub struct GradeOptions {
    pub run: RunOptions,
    /// Exercises checked at the same time.
    pub jobs: usize,
    /// Stop launching exercises once one has not fully passed.
    pub fail_fast: bool,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// Verifies several exercises, `jobs` at a time, results in catalogue order. With
/// `fail_fast`, exercises after the first that does not pass are not run.
pub async fn run_many(
    ctx: &Context,
    exercises: &[Exercise],
    options: GradeOptions,
) -> Vec<ExerciseResult> {
    let bar = if options.progress {
        let bar = ProgressBar::new(exercises.len() as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} exercices {msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut results = Vec::with_capacity(exercises.len());
    let mut running = stream::iter(exercises.iter().enumerate())
        .map(|(i, exercise)| async move { (i, run_exercise(ctx, exercise, options.run).await) })
        .buffer_unordered(options.jobs.max(1));
    while let Some((i, result)) = running.next().await {
        bar.set_message(result.id.clone());
        bar.inc(1);
        let stop = options.fail_fast && !result.all_passed();
        results.push((i, result));
        if stop {
            break;
        }
    }
    bar.finish_and_clear();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Verifies one exercise against the live host.
pub async fn run_exercise(
    ctx: &Context,
    exercise: &Exercise,
    options: RunOptions,
) -> ExerciseResult {
    let start = Instant::now();
    let checks = join_all(exercise.checks.iter().map(|c| run_check(ctx, c, options))).await;
    ExerciseResult::new(exercise, checks, start.elapsed())
}

/// The result of an exercise that was not verified: every check *cannot check*.
pub fn not_graded(exercise: &Exercise, reason: &str) -> ExerciseResult {
    let checks = exercise
        .checks
        .iter()
        .map(|check| CheckResult {
            id: check.id.clone(),
            title: check.title.clone(),
            kind: check.kind.name().to_string(),
            status: Status::CannotCheck,
            expected: None,
            found: None,
            reason: Some(reason.to_string()),
            hint: check.hint.clone(),
            weight: check.weight,
            attempts: 0,
            duration: Duration::ZERO,
        })
        .collect();
    ExerciseResult::new(exercise, checks, Duration::ZERO)
}

async fn run_check(ctx: &Context, check: &Check, options: RunOptions) -> CheckResult {
    let start = Instant::now();
    let retry_until = check.retry.map(|r| (start + r.timeout, r.interval));
    let mut attempts = 0;
    let mut attempt_ctx = ctx.clone();
    let outcome = loop {
        attempts += 1;
        let verify = check.kind.verify(&attempt_ctx);
        let outcome = match tokio::time::timeout(options.attempt_timeout, verify).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::cannot(format!(
                "pas de conclusion en {} (Docker très lent ou ressource bloquée)",
                humantime::format_duration(options.attempt_timeout)
            )),
        };
        match retry_until {
            Some((until, interval))
                if outcome.status == Status::Fail
                    && outcome.may_change
                    && Instant::now() + interval < until =>
            {
                tokio::time::sleep(interval).await;
                // The next attempt looks at the host as it is then.
                attempt_ctx = ctx.fresh();
            }
            _ => break outcome,
        }
    };
    CheckResult {
        id: check.id.clone(),
        title: check.title.clone(),
        kind: check.kind.name().to_string(),
        status: outcome.status,
        // What the host said is shown, never obeyed by a terminal or an XML reader.
        expected: neutralise_opt(outcome.expected),
        found: neutralise_opt(outcome.found),
        reason: neutralise_opt(outcome.reason),
        hint: check.hint.clone(),
        weight: check.weight,
        attempts,
        duration: start.elapsed(),
    }
}
