//! `checker solution ID`: the reference solution, printed, never run.

use colored::Colorize;

use super::{Cli, EXIT_OK, usage};
use crate::catalog::Catalog;
use crate::markdown::to_terminal;

pub fn run(cli: &Cli, catalog: &Catalog, id: &str, vars: &[String]) -> u8 {
    let exercise = match super::progress::exercise_for(cli, catalog, id, vars) {
        Ok(x) => x,
        Err(code) => return code,
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
