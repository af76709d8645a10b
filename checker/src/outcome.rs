//! What a check concludes, and what a run of an exercise produces.
//!
//! Three outcomes and never a silent pass: when the checker cannot observe something
//! (daemon too old, event history lost, no image to build a helper from) it says so with
//! [`Status::CannotCheck`] and a reason, and the student is not told they succeeded.

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    CannotCheck,
    /// Not run because a check it `requires` did not pass: the root cause is reported
    /// once, by that check, instead of as a pile of failures that all say the same.
    NotChecked,
}

/// The verdict of one attempt of one check. `expected` and `found` are French phrases
/// shown under a failure; `reason` explains a *cannot check*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub reason: Option<String>,
    /// Whether waiting could change the verdict (a server still starting). False for a
    /// failure no wait can fix, so `retry:` does not make the student wait for nothing.
    pub may_change: bool,
}

impl Outcome {
    pub fn pass() -> Self {
        Self {
            status: Status::Pass,
            expected: None,
            found: None,
            reason: None,
            may_change: true,
        }
    }

    /// A pass that still says what was seen (shown in verbose/JSON output).
    pub fn pass_found(found: impl Into<String>) -> Self {
        Self {
            found: Some(found.into()),
            ..Self::pass()
        }
    }

    /// A pass with a warning the student should read (an obsolete `version:` in a
    /// Compose file): shown under the pass, never counted against it.
    pub fn pass_warning(found: impl Into<String>, warning: impl Into<String>) -> Self {
        Self {
            found: Some(found.into()),
            reason: Some(warning.into()),
            ..Self::pass()
        }
    }

    pub fn fail(expected: impl Into<String>, found: impl Into<String>) -> Self {
        Self {
            status: Status::Fail,
            expected: Some(expected.into()),
            found: Some(found.into()),
            reason: None,
            may_change: true,
        }
    }

    pub fn cannot(reason: impl Into<String>) -> Self {
        Self {
            status: Status::CannotCheck,
            expected: None,
            found: None,
            reason: Some(reason.into()),
            may_change: true,
        }
    }

    /// The same verdict, marked as one that waiting cannot change.
    pub fn settled(self) -> Self {
        Self {
            may_change: false,
            ..self
        }
    }

    pub fn is_pass(&self) -> bool {
        self.status == Status::Pass
    }
}

/// Collects property mismatches of one resource so a failure lists all of them at once
/// ("image `nginx:latest` ; état `running`") instead of one per run of the checker.
#[derive(Debug, Default)]
pub struct Mismatches {
    expected: Vec<String>,
    found: Vec<String>,
}

impl Mismatches {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, expected: impl Into<String>, found: impl Into<String>) {
        self.expected.push(expected.into());
        self.found.push(found.into());
    }

    /// Compares two displayable values and records a mismatch under `label`.
    pub fn compare(&mut self, label: &str, expected: &str, found: Option<&str>) {
        if found != Some(expected) {
            self.push(
                format!("{label} `{expected}`"),
                format!("{label} {}", quoted_or_none(found)),
            );
        }
    }

    pub fn is_empty(&self) -> bool {
        self.expected.is_empty()
    }

    pub fn into_outcome(self) -> Outcome {
        if self.is_empty() {
            Outcome::pass()
        } else {
            Outcome::fail(self.expected.join(" ; "), self.found.join(" ; "))
        }
    }
}

/// The common first step of `exists:` checks: `Ok(resource)` to go on comparing its
/// properties, or the final outcome when presence alone decides (absent, or present
/// but expected gone). `subject` names it (« le volume `data` »), masculine.
pub fn presence<T>(found: Option<T>, exists: bool, subject: &str) -> Result<T, Outcome> {
    match (found, exists) {
        (Some(resource), true) => Ok(resource),
        (None, true) => Err(Outcome::fail(
            format!("{subject} existe"),
            format!("{subject} n'existe pas"),
        )),
        (None, false) => Err(Outcome::pass()),
        (Some(_), false) => Err(Outcome::fail(
            format!("{subject} supprimé"),
            format!("{subject} existe toujours"),
        )),
    }
}

/// `` `value` `` or « aucun » — the usual way a found value is shown.
pub fn quoted_or_none(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => format!("`{v}`"),
        _ => "(aucun)".to_string(),
    }
}

/// One check's result, as reports need it (and as `grade --save` stores it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub weight: u32,
    /// With [`Status::NotChecked`]: the id of the check whose failure stopped this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
    /// How many times it was tried (more than one when `retry` is set).
    pub attempts: u32,
    #[serde(serialize_with = "as_millis", deserialize_with = "from_millis")]
    pub duration: Duration,
}

/// One exercise's results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseResult {
    pub id: String,
    pub chapter: u32,
    pub title: String,
    pub points: u32,
    pub informational: bool,
    /// What to do once the exercise passes (Markdown): the clean-up now or later, and
    /// what comes next. Shown under a success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Points earned (see [`ExerciseResult::compute_score`]).
    pub score: f64,
    pub checks: Vec<CheckResult>,
    #[serde(serialize_with = "as_millis", deserialize_with = "from_millis")]
    pub duration: Duration,
}

impl ExerciseResult {
    /// The result of an exercise from its checks' results, scored.
    pub fn new(
        exercise: &crate::catalog::Exercise,
        checks: Vec<CheckResult>,
        duration: Duration,
    ) -> Self {
        let mut result = Self {
            id: exercise.id.clone(),
            chapter: exercise.chapter,
            title: exercise.title.clone(),
            points: exercise.points,
            informational: exercise.informational,
            next: exercise.next_steps(),
            score: 0.0,
            checks,
            duration,
        };
        result.score = result.compute_score();
        result
    }

    pub fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }

    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.status == Status::Pass)
    }

    /// Points earned: each passing check earns its share of the exercise's points,
    /// in proportion to its weight (rounded to a hundredth).
    pub fn compute_score(&self) -> f64 {
        let total: u32 = self.checks.iter().map(|c| c.weight).sum();
        if total == 0 {
            return if self.informational {
                f64::from(self.points)
            } else {
                0.0
            };
        }
        let earned: u32 = self
            .checks
            .iter()
            .filter(|c| c.status == Status::Pass)
            .map(|c| c.weight)
            .sum();
        (f64::from(self.points) * f64::from(earned) * 100.0 / f64::from(total)).round() / 100.0
    }
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn from_millis<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    Ok(Duration::from_millis(u64::deserialize(d)?))
}
