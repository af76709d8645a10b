//! `checker hint ID [CHECK]`: the hints of an exercise, without running anything.

use colored::Colorize;

use super::{Cli, EXIT_OK, usage};
use crate::catalog::Catalog;
use crate::markdown::to_terminal;

pub fn run(cli: &Cli, catalog: &Catalog, id: &str, check: Option<&str>, vars: &[String]) -> u8 {
    let exercise = match super::progress::exercise_for(cli, catalog, id, vars) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if let Some(wanted) = check
        && !exercise.checks.iter().any(|c| c.id == wanted)
    {
        let ids: Vec<&str> = exercise.checks.iter().map(|c| c.id.as_str()).collect();
        return usage(format!(
            "l'exercice {id} n'a pas de vérification « {wanted} » (vérifications : {}).",
            ids.join(", ")
        ));
    }
    say!(
        "{}",
        format!(
            "Exercice {} — {}",
            exercise.id,
            to_terminal(&exercise.title)
        )
        .bold()
    );
    let mut shown = 0;
    for c in exercise
        .checks
        .iter()
        .filter(|c| check.is_none_or(|w| c.id == w))
    {
        if let Some(h) = &c.hint {
            say!(
                "
{} {} {}",
                "•".cyan(),
                to_terminal(&c.title).bold(),
                format!("[{}]", c.id).dimmed()
            );
            for line in to_terminal(h).lines() {
                say!("  {line}");
            }
            shown += 1;
        }
    }
    if shown == 0 {
        say!("\nAucun indice pour cet exercice : relisez son objectif dans le cours.");
    }
    if let (None, Some(cleanup)) = (check, &exercise.cleanup) {
        let when = match &exercise.cleanup_after {
            Some(after) => format!("après l'exercice {after}, pas avant : la suite s'en sert"),
            None => "dès que l'exercice est réussi".to_string(),
        };
        say!("\n{} {}", "Nettoyage".bold(), format!("({when})").dimmed());
        for line in cleanup.lines() {
            say!("  {line}");
        }
    }
    EXIT_OK
}
