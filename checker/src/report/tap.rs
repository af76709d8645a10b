//! TAP version 14: one test point per check, YAML diagnostics under failures.

use super::Run;
use crate::outcome::Status;

pub fn render(run: &Run) -> String {
    let total: usize = run
        .exercises
        .iter()
        .map(|e| e.checks.len().max(usize::from(e.informational)))
        .sum();
    let mut out = format!("TAP version 14\n1..{total}\n");
    let mut n = 0;
    for exercise in &run.exercises {
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
            }
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('#', "\\#")
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(&text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
