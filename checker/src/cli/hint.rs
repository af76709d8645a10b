//! `checker hint ID [CHECK]`: the hints of an exercise, without running anything.

use colored::Colorize;

use super::{Cli, EXIT_OK, EXIT_USAGE, find, usage};
use crate::catalog::Catalog;
use crate::markdown::to_terminal;

pub fn run(cli: &Cli, catalog: &Catalog, id: &str, check: Option<&str>, vars: &[String]) -> u8 {
    let Some(entry) = find(catalog, id) else {
        return EXIT_USAGE;
    };
    let progress = super::progress::load(cli);
    let exercise = match super::progress::resolve(entry, vars, &progress) {
        Ok(x) => x,
        Err(e) => return usage(e),
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
