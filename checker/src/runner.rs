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
use crate::checks::web::Web;
use crate::checks::{Context, Kind, url_for_engine};
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

/// Starts fetching the pages the exercise's first checks ask for: they need nothing
/// from Docker, so they can be under way while the engine is being reached. A page is
/// usually the slowest fact of an exercise (2.1: a server's answer, against a
/// millisecond for an inspect). `engine_address` says where published ports open.
pub fn fetch_early(web: &Web, exercise: &Exercise, engine_address: &str) {
    for check in exercise.checks.iter().filter(|c| c.requires.is_empty()) {
        if let Kind::Http(http) = &check.kind {
            web.prefetch(&url_for_engine(engine_address, &http.url), http.timeout());
        }
    }
}

/// Verifies one exercise against the live host.
pub async fn run_exercise(
    ctx: &Context,
    exercise: &Exercise,
    options: RunOptions,
) -> ExerciseResult {
    let start = Instant::now();
    for check in &exercise.checks {
        check.kind.warm(ctx);
    }
    // Checks run in waves: those that require nothing first, all side by side, then
    // those whose requirements are known. `requires` only names earlier checks (the
    // catalogue enforces it), so each wave is decided by the ones before.
    let mut results: Vec<Option<CheckResult>> = vec![None; exercise.checks.len()];
    while results.iter().any(Option::is_none) {
        let mut wave = Vec::new();
        for (i, check) in exercise.checks.iter().enumerate() {
            if results[i].is_some() {
                continue;
            }
            let decided: Option<Vec<&CheckResult>> = check
                .requires
                .iter()
                .map(|r| results.iter().flatten().find(|c| &c.id == r))
                .collect();
            if let Some(required) = decided {
                match required.into_iter().find(|r| r.status != Status::Pass) {
                    Some(cause) => results[i] = Some(not_checked(check, cause)),
                    None => wave.push(i),
                }
            }
        }
        if wave.is_empty() {
            // Only a requirement naming no check of the exercise can leave checks
            // undecided; the catalogue refuses it, but never loop on it.
            for (i, check) in exercise.checks.iter().enumerate() {
                if results[i].is_none() {
                    results[i] = Some(unrunnable(check));
                }
            }
            break;
        }
        let done = join_all(
            wave.iter()
                .map(|&i| run_check(ctx, &exercise.checks[i], options)),
        )
        .await;
        for (i, result) in wave.into_iter().zip(done) {
            results[i] = Some(result);
        }
    }
    let checks = results.into_iter().flatten().collect();
    ExerciseResult::new(exercise, checks, start.elapsed())
}

/// A check not run because `cause` did not pass.
fn not_checked(check: &Check, cause: &CheckResult) -> CheckResult {
    CheckResult {
        reason: Some(format!(
            "il faut d'abord que « {} » réussisse (vérification `{}`)",
            cause.title, cause.id
        )),
        blocked_by: Some(cause.id.clone()),
        ..skeleton(check, Status::NotChecked)
    }
}

fn unrunnable(check: &Check) -> CheckResult {
    CheckResult {
        reason: Some(format!(
            "`requires` nomme une vérification inconnue : {}",
            check.requires.join(", ")
        )),
        ..skeleton(check, Status::CannotCheck)
    }
}

/// A result that was never attempted.
fn skeleton(check: &Check, status: Status) -> CheckResult {
    CheckResult {
        id: check.id.clone(),
        title: check.title.clone(),
        kind: check.kind.name().to_string(),
        status,
        expected: None,
        found: None,
        reason: None,
        hint: check.hint.clone(),
        weight: check.weight,
        blocked_by: None,
        attempts: 0,
        duration: Duration::ZERO,
    }
}

/// The result of an exercise that was not verified: every check *cannot check*.
pub fn not_graded(exercise: &Exercise, reason: &str) -> ExerciseResult {
    let checks = exercise
        .checks
        .iter()
        .map(|check| CheckResult {
            reason: Some(reason.to_string()),
            ..skeleton(check, Status::CannotCheck)
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
        blocked_by: None,
        attempts,
        duration: start.elapsed(),
    }
}
