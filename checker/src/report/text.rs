//! The report a student reads in a terminal: one line per check, what was expected and
//! found under a failure, the hint, and a summary.

use colored::Colorize;

use super::{Run, french_number};
use crate::markdown::to_terminal;
use crate::outcome::{CheckResult, ExerciseResult, Status};

pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for (i, exercise) in run.exercises.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&exercise_block(exercise));
    }
    if run.exercises.len() > 1 || run.summary.min_score.is_some() {
        out.push_str(&scores(run));
    }
    out
}

/// The grading table: one line per exercise, then the total and the threshold.
fn scores(run: &Run) -> String {
    let mut out = format!("\n{}\n", "Notation".bold());
    for e in &run.exercises {
        let mark = if e.informational {
            "i".dimmed().to_string()
        } else if e.all_passed() {
            "✔".green().to_string()
        } else if e.count(Status::Fail) > 0 {
            "✘".red().to_string()
        } else {
            "?".yellow().to_string()
        };
        // Cut titles say so with an ellipsis.
        let full = to_terminal(&e.title);
        let title: String = if full.chars().count() > 48 {
            format!("{}…", full.chars().take(47).collect::<String>())
        } else {
            full
        };
        out.push_str(&format!(
            "  {mark} {:<5} {:<48} {:>6} / {:<3}\n",
            e.id,
            title,
            french_number(e.score),
            e.points
        ));
    }
    for (id, note) in &run.notes {
        let note = crate::untrusted::neutralise(note);
        out.push_str(&format!("  {} {id} : {note}\n", "remarque".dimmed()));
    }
    let s = &run.summary;
    out.push_str(&s.total_line(french_number));
    if let Some(min) = s.min_score {
        let verdict = if s.success {
            "atteint".green().bold()
        } else {
            "non atteint".red().bold()
        };
        out.push_str(&format!(" · seuil {} % {verdict}", french_number(min)));
    }
    out.push('\n');
    out
}

/// One exercise: title line, checks, summary line.
pub fn exercise_block(result: &ExerciseResult) -> String {
    let mut out = format!(
        "{} {}\n",
        format!("Exercice {}", result.id).bold(),
        format!("— {}", to_terminal(&result.title)).bold()
    );
    if result.informational {
        out.push_str("  Exercice informatif : rien à vérifier automatiquement.\n");
        return out;
    }
    for check in &result.checks {
        out.push_str(&check_lines(check));
    }
    let passed = result.count(Status::Pass);
    let failed = result.count(Status::Fail);
    let cannot = result.count(Status::CannotCheck);
    let blocked = result.count(Status::NotChecked);
    let mut summary = format!("{passed}/{} vérifications réussies", result.checks.len());
    if failed > 0 {
        summary.push_str(&format!(
            " · {failed} échec{}",
            if failed > 1 { "s" } else { "" }
        ));
    }
    if cannot > 0 {
        summary.push_str(&format!(
            " · {cannot} non vérifiable{}",
            if cannot > 1 { "s" } else { "" }
        ));
    }
    if blocked > 0 {
        summary.push_str(&format!(
            " · {blocked} non vérifiée{} (conséquence)",
            if blocked > 1 { "s" } else { "" }
        ));
    }
    summary.push_str(&format!(" ({} ms)", result.duration.as_millis()));
    let summary = if result.all_passed() {
        format!("{} {}", "✔".green().bold(), summary.green().bold())
    } else if failed > 0 {
        format!("{} {}", "✘".red().bold(), summary.bold())
    } else {
        format!("{} {}", "?".yellow().bold(), summary.bold())
    };
    out.push_str(&format!("\n{summary}\n"));
    if result.all_passed() {
        out.push_str("Bravo, l'exercice est réussi.");
        if let Some(next) = &result.next {
            out.push_str(&format!(" {}", to_terminal(next)));
        }
        out.push('\n');
    } else if failed > 0 {
        out.push_str(&format!(
            "Corrigez ce qui échoue puis relancez `checker exercise {}`.\n",
            result.id
        ));
    }
    out
}

fn check_lines(check: &CheckResult) -> String {
    let title = to_terminal(&check.title);
    // The id of a check that did not pass, for `checker hint ID CHECK`.
    let id = format!("[{}]", check.id).dimmed();
    let mut out = match check.status {
        Status::Pass => format!("  {} {title}\n", "✔".green()),
        Status::Fail => format!("  {} {title} {id}\n", "✘".red().bold()),
        Status::CannotCheck => format!("  {} {title} {id}\n", "?".yellow().bold()),
        Status::NotChecked => format!("  {} {} {id}\n", "–".dimmed(), title.dimmed()),
    };
    let field = |label: &str, text: &str| {
        // Line breaks in a message are meant (one finding per line): keep them.
        let mut lines = to_terminal(&text.replace('\n', "  \n"))
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .into_iter();
        let mut block = format!(
            "      {} {}\n",
            label.dimmed(),
            lines.next().unwrap_or_default()
        );
        for line in lines {
            block.push_str(&format!(
                "      {} {line}\n",
                " ".repeat(label.chars().count())
            ));
        }
        block
    };
    match check.status {
        // A pass may carry a warning (see `Outcome::pass_warning`).
        Status::Pass => {
            if let Some(warning) = &check.reason {
                out.push_str(&field("attention :", warning));
            }
        }
        Status::Fail => {
            if let Some(expected) = &check.expected {
                out.push_str(&field("attendu :", expected));
            }
            if let Some(found) = &check.found {
                out.push_str(&field("trouvé  :", found));
            }
            if let Some(hint) = &check.hint {
                out.push_str(&field("indice  :", hint));
            }
        }
        Status::CannotCheck => {
            if let Some(reason) = &check.reason {
                out.push_str(&field("pourquoi :", reason));
            }
        }
        Status::NotChecked => {
            if let Some(reason) = &check.reason {
                out.push_str(&field("non vérifié :", reason));
            }
        }
    }
    out
}
