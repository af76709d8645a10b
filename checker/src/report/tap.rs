//! TAP version 13 (what Perl's `prove` and most TAP consumers read; version 14 is
//! refused by `prove`): one test point per check, YAML diagnostics under failures, the
//! points of each exercise and the total as comments, with decimal points.

use super::{Run, decimal};
use crate::outcome::Status;

pub fn render(run: &Run) -> String {
    let total: usize = run
        .exercises
        .iter()
        .map(|e| e.checks.len().max(usize::from(e.informational)))
        .sum();
    let mut out = format!("TAP version 13\n1..{total}\n");
    let mut n = 0;
    for exercise in &run.exercises {
        out.push_str(&format!(
            "# Exercice {} : {} / {} points\n",
            exercise.id,
            decimal(exercise.score),
            exercise.points
        ));
        if let Some(note) = run.notes.get(&exercise.id) {
            out.push_str(&format!("# remarque : {}\n", one_line(note)));
        }
        if exercise.informational {
            n += 1;
            out.push_str(&format!(
                "ok {n} - {} # SKIP exercice informatif\n",
                exercise.id
            ));
            continue;
        }
        for check in &exercise.checks {
            n += 1;
            let name = format!("{} {} - {}", exercise.id, check.id, one_line(&check.title));
            match check.status {
                Status::Pass => out.push_str(&format!("ok {n} - {name}\n")),
                Status::Fail => {
                    out.push_str(&format!("not ok {n} - {name}\n  ---\n"));
                    for (key, value) in [
                        ("attendu", &check.expected),
                        ("trouvé", &check.found),
                        ("indice", &check.hint),
                    ] {
                        if let Some(v) = value {
                            out.push_str(&format!("  {key}: {}\n", yaml_string(v)));
                        }
                    }
                    out.push_str("  ...\n");
                }
                // Not a TODO: a check that could not be verified must not count as passed.
                Status::CannotCheck => out.push_str(&format!(
                    "not ok {n} - {name}\n  ---\n  non_vérifiable: {}\n  ...\n",
                    yaml_string(check.reason.as_deref().unwrap_or_default())
                )),
                // Not passed either; the cause is the check it names.
                Status::NotChecked => out.push_str(&format!(
                    "not ok {n} - {name}\n  ---\n  non_vérifié: {}\n  ...\n",
                    yaml_string(check.reason.as_deref().unwrap_or_default())
                )),
            }
        }
    }
    out.push_str(&format!("# {}\n", run.summary.total_line(decimal)));
    out
}

/// One line without control characters (a line break would end the test point, an
/// escape sequence would reach the terminal), `#` escaped (it starts a directive).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('#', "\\#")
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(&text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
