//! Runs the checks of an exercise concurrently and turns outcomes into results.
//!
//! Every check gets its own attempt timeout and, when the exercise asks for it, retries
//! until its `retry.timeout`. The checks run side by side, so an exercise takes as long
//! as its slowest check, not the sum.

use std::time::{Duration, Instant};

use futures_util::future::join_all;

use crate::catalog::{Check, Exercise};
use crate::checks::Context;
use crate::docker::helper;
use crate::outcome::{CheckResult, ExerciseResult, Outcome, Status};

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

/// Verifies one exercise against the live host.
pub async fn run_exercise(
    ctx: &Context,
    exercise: &Exercise,
    options: RunOptions,
) -> ExerciseResult {
    let start = Instant::now();
    let checks = join_all(exercise.checks.iter().map(|c| run_check(ctx, c, options))).await;
    // A check abandoned on its timeout may have left a helper behind.
    helper::remove_all(&ctx.docker).await;
    ExerciseResult {
        id: exercise.id.clone(),
        chapter: exercise.chapter,
        title: exercise.title.clone(),
        points: exercise.points,
        informational: exercise.informational,
        checks,
        duration: start.elapsed(),
    }
}

async fn run_check(ctx: &Context, check: &Check, options: RunOptions) -> CheckResult {
    let start = Instant::now();
    let retry_until = check.retry.map(|r| (start + r.timeout, r.interval));
    let mut attempts = 0;
    let outcome = loop {
        attempts += 1;
        let outcome =
            match tokio::time::timeout(options.attempt_timeout, check.kind.verify(ctx)).await {
                Ok(outcome) => outcome,
                Err(_) => Outcome::cannot(format!(
                    "pas de conclusion en {} s (Docker très lent ou ressource bloquée)",
                    options.attempt_timeout.as_secs()
                )),
            };
        match retry_until {
            Some((until, interval))
                if outcome.status == Status::Fail && Instant::now() + interval < until =>
            {
                tokio::time::sleep(interval).await;
            }
            _ => break outcome,
        }
    };
    CheckResult {
        id: check.id.clone(),
        title: check.title.clone(),
        kind: check.kind.name(),
        status: outcome.status,
        expected: outcome.expected,
        found: outcome.found,
        reason: outcome.reason,
        hint: check.hint.clone(),
        weight: check.weight,
        attempts,
        duration: start.elapsed(),
    }
}
