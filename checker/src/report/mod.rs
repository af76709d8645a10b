//! Report formats: one file each, all rendering the same [`Run`].
//!
//! Text is for people in a terminal, JSON for programs (versioned by
//! [`SCHEMA_VERSION`]), JUnit XML for CI test reporters (GitLab, GitHub, Jenkins),
//! Markdown for a job summary (`$GITHUB_STEP_SUMMARY`), TAP 13 for TAP consumers, CSV for
//! spreadsheets, HTML for a teacher's browser, and the GitHub Classroom runner format. A
//! [`class::Class`] puts many students' runs side by side.
//!
//! A saved run is evidence, not a grade: [`Run::rescored`] keeps only the verdicts of a
//! results file and recomputes every score from the catalogue, so editing `score` or
//! `points` in a JSON file changes nothing, and a file whose checks do not match the
//! catalogue is refused.

pub mod class;
pub mod classroom;
pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod tap;
pub mod text;
pub mod xml;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::outcome::{CheckResult, ExerciseResult, Status};

/// Version of the JSON document; bump on any incompatible change.
/// 2: scores are recomputed on reading, `graded_at`, `hostname`, `student`, `commit`,
/// `notes` added.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything a report shows: the results and where and when they were measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    pub schema_version: u32,
    pub checker_version: String,
    pub docker: DockerFacts,
    /// When the run was graded, UTC, `2026-12-01T09:44:33Z`.
    #[serde(default)]
    pub graded_at: String,
    /// The machine the checker ran on (JUnit's `hostname`).
    #[serde(default)]
    pub hostname: String,
    /// Who was graded (`--student`), as the instructor's roster names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub student: Option<String>,
    /// The commit of the student's repository that was graded (`--commit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// What the grading script said about an exercise (its script crashed, timed out,
    /// is missing), by exercise id.
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
    pub exercises: Vec<ExerciseResult>,
    pub summary: Summary,
}

/// The engine the checks talked to. A grade refuses results measured on different
/// engines (see [`Run::merged_with`]).
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
pub struct DockerFacts {
    pub endpoint: String,
    pub engine_version: String,
    pub api_version: String,
}

impl DockerFacts {
    /// No engine was reached (Docker unreachable, or results recorded without Docker).
    pub fn is_unknown(&self) -> bool {
        self.endpoint.is_empty()
    }

    fn describe(&self) -> String {
        format!(
            "{} (Docker {}, API {})",
            self.endpoint, self.engine_version, self.api_version
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub exercises: usize,
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub cannot_check: usize,
    /// Informational exercises (nothing to verify: a skipped test case in JUnit/TAP).
    #[serde(default)]
    pub informational: usize,
    /// Checks not run because one they require did not pass.
    #[serde(default)]
    pub not_checked: usize,
    pub score: f64,
    pub max_score: u32,
    /// `score / max_score` in percent (100 when there is nothing to score).
    pub percent: f64,
    /// The threshold given with `--min-score`, if any.
    pub min_score: Option<f64>,
    /// The verdict the exit code follows: the threshold is met, or (without one) every
    /// check passed.
    pub success: bool,
}

impl Run {
    pub fn new(
        docker: DockerFacts,
        exercises: Vec<ExerciseResult>,
        min_score: Option<f64>,
    ) -> Self {
        let summary = Summary::of(&exercises, min_score);
        Self {
            schema_version: SCHEMA_VERSION,
            checker_version: env!("CARGO_PKG_VERSION").to_string(),
            docker,
            graded_at: now_utc(),
            hostname: hostname(),
            student: None,
            commit: None,
            notes: BTreeMap::new(),
            exercises,
            summary,
        }
    }

    /// The same run, said to be of this student at this commit.
    pub fn with_identity(mut self, student: Option<String>, commit: Option<String>) -> Self {
        if student.is_some() {
            self.student = student;
        }
        if commit.is_some() {
            self.commit = commit;
        }
        self
    }

    /// The same run with the summary computed again (after a change of exercises or
    /// threshold).
    fn resummarised(mut self, min_score: Option<f64>) -> Self {
        self.summary = Summary::of(&self.exercises, min_score);
        self
    }
}

impl Summary {
    /// « Total : 42,5 / 50 points (85 %) », numbers written by `number` (French for
    /// people, [`decimal`] for programs).
    pub fn total_line(&self, number: fn(f64) -> String) -> String {
        format!(
            "Total : {} / {} points ({} %)",
            number(self.score),
            self.max_score,
            number(self.percent)
        )
    }

    fn of(exercises: &[ExerciseResult], min_score: Option<f64>) -> Self {
        let count = |s: Status| exercises.iter().map(|e| e.count(s)).sum::<usize>();
        let score: f64 = exercises.iter().map(|e| e.score).sum();
        let max_score: u32 = exercises.iter().map(|e| e.points).sum();
        let percent = if max_score == 0 {
            100.0
        } else {
            (score * 10000.0 / f64::from(max_score)).round() / 100.0
        };
        let all_passed = exercises.iter().all(ExerciseResult::all_passed);
        Summary {
            exercises: exercises.len(),
            checks: exercises.iter().map(|e| e.checks.len()).sum(),
            passed: count(Status::Pass),
            failed: count(Status::Fail),
            cannot_check: count(Status::CannotCheck),
            informational: exercises.iter().filter(|e| e.informational).count(),
            not_checked: count(Status::NotChecked),
            score: (score * 100.0).round() / 100.0,
            max_score,
            percent,
            min_score,
            success: match min_score {
                Some(min) => percent + 1e-9 >= min,
                None => all_passed,
            },
        }
    }
}

impl Run {
    /// Reads a run saved with `grade --save` (JSON, same schema version). The scores in
    /// it are not trusted: use [`Run::rescored`] before reporting.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{} : lecture impossible : {e}", path.display()))?;
        // Only the version first, so an old file gets the version message, not a
        // missing-field one.
        #[derive(Deserialize)]
        struct Version {
            schema_version: Option<u32>,
        }
        let version: Version = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} : ce n'est pas un résultat du checker ({e})",
                path.display()
            )
        })?;
        if version.schema_version != Some(SCHEMA_VERSION) {
            return Err(format!(
                "{} : version de schéma {} (ce checker lit la version {SCHEMA_VERSION}) : \
                 notez de nouveau avec ce checker",
                path.display(),
                version
                    .schema_version
                    .map_or_else(|| "absente".to_string(), |v| v.to_string())
            ));
        }
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} : ce n'est pas un résultat du checker ({e})",
                path.display()
            )
        })
    }

    /// This run with every score recomputed from the catalogue: only the verdicts of
    /// the file are kept; points, weights, titles and hints come from the catalogue.
    /// Refused (French message naming the file and the exercise) when the file comes
    /// from another checker version, or its exercises or checks are not the
    /// catalogue's.
    pub fn rescored(self, catalog: &Catalog, source: &Path) -> Result<Run, String> {
        let ours = env!("CARGO_PKG_VERSION");
        if self.checker_version != ours {
            return Err(format!(
                "{} : résultats enregistrés par checker {}, or ce checker est en version {ours} : \
                 notez de nouveau avec la version {ours}",
                source.display(),
                self.checker_version
            ));
        }
        let mut exercises = Vec::with_capacity(self.exercises.len());
        for saved in &self.exercises {
            exercises.push(rescore_exercise(catalog, saved, source)?);
        }
        let min_score = self.summary.min_score;
        Ok(Run { exercises, ..self }.resummarised(min_score))
    }

    /// Only the exercises asked for, in that order; one asked for but absent from the
    /// results counts as *cannot check* with `missing` as the reason (skipping an
    /// exercise never raises a score).
    pub fn restricted_to(
        mut self,
        wanted: &[&crate::catalog::Exercise],
        missing: &str,
        min_score: Option<f64>,
    ) -> Run {
        let mut exercises = Vec::with_capacity(wanted.len());
        for exercise in wanted {
            match self.exercises.iter().position(|e| e.id == exercise.id) {
                Some(i) => exercises.push(self.exercises.swap_remove(i)),
                None => exercises.push(crate::runner::not_graded(exercise, missing)),
            }
        }
        self.notes
            .retain(|id, _| wanted.iter().any(|exercise| exercise.id == *id));
        Run { exercises, ..self }.resummarised(min_score)
    }

    /// This run's results with those of `newer` (an exercise graded again replaces its
    /// earlier result), ordered by id. Refused when both were measured on engines that
    /// differ: a grade is only worth something if every exercise was checked on the
    /// host where the student worked.
    pub fn merged_with(self, newer: Run, min_score: Option<f64>) -> Result<Run, String> {
        let docker = match (self.docker.is_unknown(), newer.docker.is_unknown()) {
            (_, true) => self.docker.clone(),
            (true, false) => newer.docker.clone(),
            (false, false) if self.docker == newer.docker => newer.docker.clone(),
            (false, false) => {
                return Err(format!(
                    "le moteur Docker a changé entre deux exercices : les résultats enregistrés \
                     viennent de {}, ceux-ci de {}. Notez tous les exercices sur le même moteur.",
                    self.docker.describe(),
                    newer.docker.describe()
                ));
            }
        };
        let mut exercises: Vec<ExerciseResult> = self
            .exercises
            .into_iter()
            .filter(|old| !newer.exercises.iter().any(|n| n.id == old.id))
            .collect();
        let mut notes = self.notes;
        for exercise in &newer.exercises {
            notes.remove(&exercise.id);
        }
        notes.extend(newer.notes);
        exercises.extend(newer.exercises);
        exercises.sort_by_key(|e| crate::catalog::id_key(&e.id));
        Ok(Run {
            docker,
            exercises,
            notes,
            student: newer.student.or(self.student),
            commit: newer.commit.or(self.commit),
            ..Run::new(DockerFacts::default(), Vec::new(), min_score)
        }
        .resummarised(min_score))
    }

    /// Who this run is of: `--student`, else the name of the file it was read from.
    pub fn student_or(&self, fallback: &str) -> String {
        self.student.clone().unwrap_or_else(|| fallback.to_string())
    }
}

/// One saved exercise checked against the catalogue and scored from it.
fn rescore_exercise(
    catalog: &Catalog,
    saved: &ExerciseResult,
    source: &Path,
) -> Result<ExerciseResult, String> {
    let entry = catalog.get(&saved.id).ok_or_else(|| {
        format!(
            "{} : l'exercice {} n'existe pas dans ce catalogue : ces résultats viennent d'un \
             autre catalogue",
            source.display(),
            saved.id
        )
    })?;
    // Titles and hints with the declared defaults: a saved title is the student's text.
    let exercise = entry
        .resolve(&BTreeMap::new())
        .map_err(|e| format!("{} : {e}", source.display()))?;
    let saved_ids: Vec<&str> = saved.checks.iter().map(|c| c.id.as_str()).collect();
    let catalog_ids: Vec<&str> = exercise.checks.iter().map(|c| c.id.as_str()).collect();
    if saved_ids != catalog_ids || saved.informational != exercise.informational {
        return Err(format!(
            "{} : les vérifications de l'exercice {} ne correspondent pas au catalogue \
             (enregistrées : {} ; catalogue : {}). Le fichier a été modifié ou vient d'un autre \
             catalogue : notez de nouveau.",
            source.display(),
            saved.id,
            list_or_none(&saved_ids),
            list_or_none(&catalog_ids)
        ));
    }
    let checks = exercise
        .checks
        .iter()
        .zip(&saved.checks)
        .map(|(check, found)| CheckResult {
            id: check.id.clone(),
            title: check.title.clone(),
            kind: check.kind.name().to_string(),
            hint: check.hint.clone(),
            weight: check.weight,
            ..found.clone()
        })
        .collect();
    Ok(ExerciseResult::new(&exercise, checks, saved.duration))
}

fn list_or_none(ids: &[&str]) -> String {
    if ids.is_empty() {
        "aucune".to_string()
    } else {
        ids.join(", ")
    }
}

/// Now, UTC, to the second: `2026-12-01T09:44:33Z`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The machine's name, `localhost` when it cannot be read (as the Ant JUnit schema
/// asks).
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// A number the French way, for people: `85,5`, `10`.
pub fn french_number(value: f64) -> String {
    decimal(value).replace('.', ",")
}

/// A number for programs (CSV, JUnit, TAP, GitLab's coverage regex): `85.5`, `10`.
pub fn decimal(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

/// Renders a template of `templates/` with the run as context (Markdown: not escaped).
fn render_template(name: &str, source: &str, run: &Run) -> String {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.add_filter("fr", |v: f64| french_number(v));
    env.add_filter("decimal", |v: f64| decimal(v));
    // One line that cannot break a table cell or a list item (the catalogue's text).
    env.add_filter("cell", |v: Option<String>| {
        one_line_cell(&v.unwrap_or_default())
    });
    // Text from the host: also no HTML, which GitHub would render.
    env.add_filter("untrusted", |v: Option<String>| {
        markdown_cell(&v.unwrap_or_default())
    });
    let rendered = env
        .add_template(name, source)
        .and_then(|()| env.get_template(name))
        .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(run))));
    rendered.unwrap_or_else(|e| format!("erreur du gabarit {name} : {e}"))
}

/// One line of Markdown that cannot break the table or list it is in: control
/// characters dropped, `|` escaped, HTML tags neutralised, line breaks as spaces.
pub fn markdown_cell(text: &str) -> String {
    one_line_cell(text)
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One line, control characters dropped, `|` escaped.
fn one_line_cell(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(french_number(10.0), "10");
        assert_eq!(french_number(85.5), "85,5");
        assert_eq!(french_number(71.256), "71,26");
        assert_eq!(decimal(71.256), "71.26");
        assert_eq!(decimal(0.0), "0");
    }

    #[test]
    fn timestamps_are_utc_seconds() {
        let t = now_utc();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }

    #[test]
    fn markdown_cells_stay_in_their_cell() {
        assert_eq!(
            markdown_cell("a|b\n<script>\x1b[2J c"),
            "a\\|b &lt;script&gt; [2J c"
        );
    }
}
