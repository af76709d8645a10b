//! An HTML page for a class (or one student): the students × exercises table a teacher
//! opens in a browser, prints or attaches to a mail, and below it, per student, what to
//! fix. It is self-contained (inline CSS, no script, no external file), so it reads the
//! same from a CI artifact as from a disk.
//!
//! Every value comes from results files, which a student can write: the template is
//! auto-escaped (no value is ever markup) and each text is also passed through
//! [`neutralise`](crate::untrusted::neutralise), so no control character reaches the page.

use serde::Serialize;

use super::class::{Class, Student, never_graded};
use super::{decimal, french_number};
use crate::outcome::{CheckResult, ExerciseResult, Status};
use crate::untrusted::neutralise;

const TEMPLATE: &str = include_str!("../../../templates/class-report.html");

#[derive(Serialize)]
struct Page {
    title: String,
    checker_version: String,
    max_score: u32,
    min_score: Option<String>,
    columns: Vec<Column>,
    students: Vec<Row>,
    average: String,
    average_percent: String,
    passed: usize,
}

#[derive(Serialize)]
struct Column {
    id: String,
    title: String,
    points: u32,
    average: String,
}

#[derive(Serialize)]
struct Row {
    id: String,
    commit: String,
    short_commit: String,
    graded_at: String,
    engine: String,
    cells: Vec<Cell>,
    score: String,
    percent: String,
    success: bool,
    remarks: String,
    problems: Vec<Problem>,
}

#[derive(Serialize)]
struct Cell {
    score: String,
    /// The cell's class: `plein`, `partiel`, `zero`, `non-note` or `info` (an
    /// exercise worth no points).
    state: &'static str,
}

#[derive(Serialize)]
struct Problem {
    exercise: String,
    /// Already HTML (see [`code_spans`]).
    title: String,
    detail: String,
}

/// The page for these students, in French.
pub fn render(class: &Class) -> String {
    let page = page(class);
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    let rendered = env
        .add_template("class-report.html", TEMPLATE)
        .and_then(|()| env.get_template("class-report.html"))
        .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(&page))));
    rendered.unwrap_or_else(|e| format!("erreur du gabarit class-report.html : {e}"))
}

fn page(class: &Class) -> Page {
    let first = class.students.first().map(|s| &s.run);
    let exercises: &[ExerciseResult] = first.map_or(&[], |r| r.exercises.as_slice());
    let count = class.students.len().max(1) as f64;
    let mean = |values: &mut dyn Iterator<Item = f64>| french_number(values.sum::<f64>() / count);
    let columns = exercises
        .iter()
        .enumerate()
        .map(|(i, e)| Column {
            id: e.id.clone(),
            title: neutralise(&e.title).replace('`', ""),
            points: e.points,
            average: mean(
                &mut class
                    .students
                    .iter()
                    .map(|s| s.run.exercises.get(i).map_or(0.0, |x| x.score)),
            ),
        })
        .collect();
    Page {
        title: if class.students.len() == 1 {
            format!("Notes de {}", neutralise(&class.students[0].id))
        } else {
            "Notes de la classe".to_string()
        },
        checker_version: env!("CARGO_PKG_VERSION").to_string(),
        max_score: first.map_or(0, |r| r.summary.max_score),
        min_score: first.and_then(|r| r.summary.min_score).map(french_number),
        columns,
        students: class.students.iter().map(row).collect(),
        average: mean(&mut class.students.iter().map(|s| s.run.summary.score)),
        average_percent: mean(&mut class.students.iter().map(|s| s.run.summary.percent)),
        passed: class
            .students
            .iter()
            .filter(|s| s.run.summary.success)
            .count(),
    }
}

fn row(student: &Student) -> Row {
    let run = &student.run;
    let commit = neutralise(run.commit.as_deref().unwrap_or_default());
    let engine = if run.docker.is_unknown() {
        String::new()
    } else {
        neutralise(&format!(
            "{} (Docker {})",
            run.docker.endpoint, run.docker.engine_version
        ))
    };
    Row {
        id: neutralise(&student.id),
        short_commit: commit.chars().take(12).collect(),
        commit,
        graded_at: neutralise(&run.graded_at),
        engine,
        cells: run.exercises.iter().map(cell).collect(),
        score: french_number(run.summary.score),
        percent: french_number(run.summary.percent),
        success: run.summary.success,
        remarks: neutralise(&Class::remarks(student)),
        problems: run.exercises.iter().flat_map(problems).collect(),
    }
}

fn cell(exercise: &ExerciseResult) -> Cell {
    let state = if exercise.informational {
        "info"
    } else if never_graded(exercise) {
        "non-note"
    } else if exercise.score <= 0.0 {
        "zero"
    } else if decimal(exercise.score) == exercise.points.to_string() {
        "plein"
    } else {
        "partiel"
    };
    Cell {
        score: french_number(exercise.score),
        state,
    }
}

/// What to fix in one exercise: nothing in an informational one, an exercise never
/// graded once (its reason), else each check that did not pass.
fn problems(exercise: &ExerciseResult) -> Vec<Problem> {
    if exercise.informational {
        return Vec::new();
    }
    let problem = |title: &str, detail: String| Problem {
        exercise: exercise.id.clone(),
        title: code_spans(&neutralise(title)),
        detail: neutralise(&detail),
    };
    if never_graded(exercise) {
        let reason = exercise
            .checks
            .first()
            .and_then(|c| c.reason.clone())
            .unwrap_or_else(|| "pas de résultat".to_string());
        return vec![problem(&exercise.title, format!("non noté : {reason}"))];
    }
    exercise
        .checks
        .iter()
        .filter(|c| c.status != Status::Pass)
        .map(|c| problem(&c.title, detail(c)))
        .collect()
}

fn detail(check: &CheckResult) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    match check.status {
        Status::Fail => format!(
            "attendu : {} ; trouvé : {}",
            text(&check.expected),
            text(&check.found)
        ),
        Status::NotChecked => format!("non vérifié : {}", text(&check.reason)),
        _ => format!("non vérifiable : {}", text(&check.reason)),
    }
}

/// A title as HTML: escaped, with its `code spans` (the catalogue's only Markdown in
/// titles) as `<code>`. An unpaired backtick stays a backtick.
fn code_spans(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;");
    let parts: Vec<&str> = escaped.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escaped;
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                (*part).to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn titles_keep_their_code_and_lose_their_markup() {
        assert_eq!(
            code_spans("Lancer `docker run` <b>"),
            "Lancer <code>docker run</code> &lt;b&gt;"
        );
        assert_eq!(code_spans("un ` seul"), "un ` seul");
    }
}
