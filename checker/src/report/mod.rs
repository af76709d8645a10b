//! Report formats: one file each, all rendering the same [`Run`].
//!
//! Text is for people in a terminal, JSON for programs (versioned by
//! [`SCHEMA_VERSION`]), JUnit XML for CI test reporters (GitLab, GitHub), Markdown for a
//! job summary (`$GITHUB_STEP_SUMMARY`), TAP for TAP consumers. JUnit and Markdown are
//! minijinja templates in `templates/`, where the shape of the output reads best.

pub mod json;
pub mod junit;
pub mod markdown;
pub mod tap;
pub mod text;

use serde::{Deserialize, Serialize};

use crate::outcome::{ExerciseResult, Status};

/// Version of the JSON document; bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a report shows: the results and where they were measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    pub schema_version: u32,
    pub checker_version: String,
    pub docker: DockerFacts,
    pub exercises: Vec<ExerciseResult>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct DockerFacts {
    pub endpoint: String,
    pub engine_version: String,
    pub api_version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub exercises: usize,
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub cannot_check: usize,
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
        let count = |s: Status| exercises.iter().map(|e| e.count(s)).sum::<usize>();
        let score: f64 = exercises.iter().map(|e| e.score).sum();
        let max_score: u32 = exercises.iter().map(|e| e.points).sum();
        let percent = if max_score == 0 {
            100.0
        } else {
            (score * 10000.0 / f64::from(max_score)).round() / 100.0
        };
        let all_passed = exercises.iter().all(ExerciseResult::all_passed);
        let summary = Summary {
            exercises: exercises.len(),
            checks: exercises.iter().map(|e| e.checks.len()).sum(),
            passed: count(Status::Pass),
            failed: count(Status::Fail),
            cannot_check: count(Status::CannotCheck),
            score: (score * 100.0).round() / 100.0,
            max_score,
            percent,
            min_score,
            success: match min_score {
                Some(min) => percent + 1e-9 >= min,
                None => all_passed,
            },
        };
        Self {
            schema_version: SCHEMA_VERSION,
            checker_version: env!("CARGO_PKG_VERSION").to_string(),
            docker,
            exercises,
            summary,
        }
    }
}

impl Run {
    /// Reads a run saved with `grade --save` (JSON, same schema version).
    pub fn load(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{} : lecture impossible : {e}", path.display()))?;
        let run: Run = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} : ce n'est pas un résultat du checker ({e})",
                path.display()
            )
        })?;
        if run.schema_version != SCHEMA_VERSION {
            return Err(format!(
                "{} : version de schéma {} (ce checker lit la version {SCHEMA_VERSION})",
                path.display(),
                run.schema_version
            ));
        }
        Ok(run)
    }

    /// This run's results with those of `newer` (an exercise graded again replaces its
    /// earlier result), ordered by id.
    pub fn merged_with(self, newer: Run, min_score: Option<f64>) -> Run {
        let mut exercises: Vec<ExerciseResult> = self
            .exercises
            .into_iter()
            .filter(|old| !newer.exercises.iter().any(|n| n.id == old.id))
            .collect();
        exercises.extend(newer.exercises);
        exercises.sort_by_key(|e| crate::catalog::id_key(&e.id));
        Run::new(newer.docker, exercises, min_score)
    }
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A number the French way: `85,5`, `10`.
pub fn french_number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    };
    text.replace('.', ",")
}

/// Renders a template of `templates/` with the run as context.
fn render_template(name: &str, source: &str, run: &Run) -> String {
    let mut env = minijinja::Environment::new();
    // XML needs only & < > " ' escaped (HTML escaping would also turn `/` into `&#x2f;`);
    // Markdown is not escaped at all.
    let xml = name.ends_with(".xml");
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_formatter(move |out, _state, value| {
        let text = value.to_string();
        let text = if xml { xml_escape(&text) } else { text };
        out.write_str(&text).map_err(minijinja::Error::from)
    });
    env.add_filter("fr", |v: f64| french_number(v));
    env.add_filter("seconds", |ms: u64| format!("{:.3}", ms as f64 / 1000.0));
    let rendered = env
        .add_template(name, source)
        .and_then(|()| env.get_template(name))
        .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(run))));
    rendered.unwrap_or_else(|e| format!("erreur du gabarit {name} : {e}"))
}

#[cfg(test)]
mod tests {
    use super::french_number;

    #[test]
    fn french_numbers() {
        assert_eq!(french_number(10.0), "10");
        assert_eq!(french_number(85.5), "85,5");
        assert_eq!(french_number(71.256), "71,26");
    }
}
