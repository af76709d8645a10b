//! A class: many students' runs, each rescored from the catalogue and restricted to
//! the same exercises, side by side in one students × exercises table (CSV, Markdown,
//! HTML, text, JSON). A student of the roster without results still gets a row, of zeros,
//! with the reason.

use serde::Serialize;

use super::{Run, decimal, french_number, markdown_cell};
use crate::outcome::{ExerciseResult, Status};

/// One student's row: who, and their run.
#[derive(Debug, Clone)]
pub struct Student {
    pub id: String,
    pub run: Run,
    /// Why there is nothing to show (no results file), when that is the case.
    pub missing: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Class {
    pub students: Vec<Student>,
}

/// Whether an exercise was never verified (not run, or no results): its checks were
/// never attempted. Shown apart from a failed exercise.
pub fn never_graded(exercise: &ExerciseResult) -> bool {
    !exercise.informational
        && exercise
            .checks
            .iter()
            .all(|c| c.status == Status::CannotCheck && c.attempts == 0)
}

impl Class {
    /// One student's run as a class of one (`grade --format html`).
    pub fn of_one(run: &Run) -> Class {
        Class {
            students: vec![Student {
                id: run.student_or("étudiant"),
                run: run.clone(),
                missing: None,
            }],
        }
    }

    /// The exercise columns, from the first student (all share the same list).
    fn columns(&self) -> Vec<(&str, u32)> {
        self.students.first().map_or_else(Vec::new, |s| {
            s.run
                .exercises
                .iter()
                .map(|e| (e.id.as_str(), e.points))
                .collect()
        })
    }

    /// What each row says about the student beyond the scores.
    pub fn remarks(student: &Student) -> String {
        let mut remarks: Vec<String> = student.missing.iter().cloned().collect();
        remarks.extend(
            student
                .run
                .notes
                .iter()
                .map(|(id, note)| format!("{id} : {note}")),
        );
        remarks.join(" ; ")
    }

    /// CSV (RFC 4180, comma, decimal points): one row per student.
    pub fn csv(&self) -> String {
        let columns = self.columns();
        let mut header: Vec<String> = ["etudiant", "commit", "note_le"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        header.extend(columns.iter().map(|(id, _)| id.to_string()));
        header.extend(
            ["total", "max", "pourcentage", "reussi", "remarques"]
                .iter()
                .map(|s| s.to_string()),
        );
        let mut out = super::csv::row(&header);
        for student in &self.students {
            let run = &student.run;
            let mut cells = vec![
                student.id.clone(),
                run.commit.clone().unwrap_or_default(),
                run.graded_at.clone(),
            ];
            cells.extend(run.exercises.iter().map(|e| decimal(e.score)));
            cells.extend([
                decimal(run.summary.score),
                run.summary.max_score.to_string(),
                decimal(run.summary.percent),
                if run.summary.success { "oui" } else { "non" }.to_string(),
                Self::remarks(student),
            ]);
            out.push_str(&super::csv::row(&cells));
        }
        out
    }

    /// A Markdown table for a job summary or a teacher's notes.
    pub fn markdown(&self) -> String {
        let columns = self.columns();
        let mut out = format!(
            "## Notes de la classe ({} étudiant{})\n\n| Étudiant | Commit |",
            self.students.len(),
            if self.students.len() > 1 { "s" } else { "" }
        );
        for (id, points) in &columns {
            out.push_str(&format!(" {id} (/{points}) |"));
        }
        out.push_str(" Total | % | Remarques |\n|---|---|");
        out.push_str(&"---:|".repeat(columns.len() + 2));
        out.push_str("---|\n");
        for student in &self.students {
            let run = &student.run;
            out.push_str(&format!(
                "| {} | {} |",
                markdown_cell(&student.id),
                markdown_cell(&short_commit(run.commit.as_deref()))
            ));
            for e in &run.exercises {
                if never_graded(e) {
                    out.push_str(" — |");
                } else {
                    out.push_str(&format!(" {} |", french_number(e.score)));
                }
            }
            out.push_str(&format!(
                " {} / {} | {} % | {} |\n",
                french_number(run.summary.score),
                run.summary.max_score,
                french_number(run.summary.percent),
                markdown_cell(&Self::remarks(student))
            ));
        }
        out.push_str("\n« — » : exercice non noté (pas de script, ou pas de résultat).\n");
        out
    }

    /// A self-contained HTML page: the table, then what each student has to fix.
    pub fn html(&self) -> String {
        super::html::render(self)
    }

    /// The same table for a terminal.
    pub fn text(&self) -> String {
        let columns = self.columns();
        let width = self
            .students
            .iter()
            .map(|s| s.id.chars().count())
            .max()
            .unwrap_or(8)
            .max(8);
        let mut out = format!("{:<width$}", "Étudiant");
        for (id, _) in &columns {
            out.push_str(&format!(" {id:>6}"));
        }
        out.push_str("    Total      %\n");
        for student in &self.students {
            let id: String = student
                .id
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            out.push_str(&format!("{id:<width$}"));
            for e in &student.run.exercises {
                let cell = if never_graded(e) {
                    "—".to_string()
                } else {
                    french_number(e.score)
                };
                out.push_str(&format!(" {cell:>6}"));
            }
            let s = &student.run.summary;
            out.push_str(&format!(
                " {:>5}/{:<3} {:>6}\n",
                french_number(s.score),
                s.max_score,
                french_number(s.percent)
            ));
        }
        out
    }

    /// JSON for programs: one object per student, scores by exercise.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Row<'a> {
            student: &'a str,
            commit: Option<&'a str>,
            graded_at: &'a str,
            scores: std::collections::BTreeMap<&'a str, f64>,
            score: f64,
            max_score: u32,
            percent: f64,
            success: bool,
            remarks: String,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            schema_version: u32,
            students: Vec<Row<'a>>,
        }
        let doc = Doc {
            schema_version: super::SCHEMA_VERSION,
            students: self
                .students
                .iter()
                .map(|s| Row {
                    student: &s.id,
                    commit: s.run.commit.as_deref(),
                    graded_at: &s.run.graded_at,
                    scores: s
                        .run
                        .exercises
                        .iter()
                        .map(|e| (e.id.as_str(), e.score))
                        .collect(),
                    score: s.run.summary.score,
                    max_score: s.run.summary.max_score,
                    percent: s.run.summary.percent,
                    success: s.run.summary.success,
                    remarks: Self::remarks(s),
                })
                .collect(),
        };
        format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        )
    }
}

fn short_commit(commit: Option<&str>) -> String {
    commit.map_or_else(String::new, |c| c.chars().take(12).collect())
}
