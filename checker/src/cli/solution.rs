//! `checker solution ID`: the reference solution, printed, never run.

use colored::Colorize;

use super::{Cli, EXIT_OK, EXIT_USAGE, find, usage};
use crate::catalog::Catalog;
use crate::markdown::to_terminal;

pub fn run(cli: &Cli, catalog: &Catalog, id: &str, vars: &[String]) -> u8 {
    let Some(entry) = find(catalog, id) else {
        return EXIT_USAGE;
    };
    let progress = super::progress::load(cli);
    let exercise = match super::progress::resolve(entry, vars, &progress) {
        Ok(x) => x,
        Err(e) => return usage(e),
    };
    let Some(solution) = &exercise.solution else {
        return usage(format!(
            "l'exercice {id} n'a pas de solution de référence : voyez ses indices (`checker hint {id}`)."
        ));
    };
    say!(
        "{}",
        format!(
            "Solution de l'exercice {} — {}",
            exercise.id,
            to_terminal(&exercise.title)
        )
        .bold()
    );
    say!();
    for command in crate::script::commands(solution) {
        if crate::script::is_comment(&command) {
            say!("{}", command.dimmed());
        } else {
            say!("$ {command}");
        }
    }
    say!();
    say!(
        "{}",
        format!(
            "Rien n'a été exécuté. Tapez ces commandes vous-même, ou `checker solve {id}` pour que le checker les lance."
        )
        .dimmed()
    );
    EXIT_OK
}
