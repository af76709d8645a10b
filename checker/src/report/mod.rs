//! Report formats: one file each. Every format renders the same [`Run`].

pub mod json;
pub mod text;

use serde::Serialize;

use crate::outcome::{ExerciseResult, Status};

/// Version of the JSON document; bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a report shows: the results and where they were measured.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub schema_version: u32,
    pub checker_version: &'static str,
    pub docker: DockerFacts,
    pub exercises: Vec<ExerciseResult>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DockerFacts {
    pub endpoint: String,
    pub engine_version: String,
    pub api_version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub cannot_check: usize,
    pub score: f64,
    pub max_score: u32,
    /// `score / max_score` in percent (100 when there is nothing to score).
    pub percent: f64,
}

impl Run {
    pub fn new(docker: DockerFacts, exercises: Vec<ExerciseResult>) -> Self {
        let count = |s: Status| exercises.iter().map(|e| e.count(s)).sum::<usize>();
        let score: f64 = exercises.iter().map(ExerciseResult::score).sum();
        let max_score: u32 = exercises.iter().map(|e| e.points).sum();
        let summary = Summary {
            checks: exercises.iter().map(|e| e.checks.len()).sum(),
            passed: count(Status::Pass),
            failed: count(Status::Fail),
            cannot_check: count(Status::CannotCheck),
            score: (score * 100.0).round() / 100.0,
            max_score,
            percent: if max_score == 0 {
                100.0
            } else {
                (score * 10000.0 / f64::from(max_score)).round() / 100.0
            },
        };
        Self {
            schema_version: SCHEMA_VERSION,
            checker_version: env!("CARGO_PKG_VERSION"),
            docker,
            exercises,
            summary,
        }
    }

    pub fn all_passed(&self) -> bool {
        self.exercises.iter().all(ExerciseResult::all_passed)
    }
}
