//! `checker solve ID`: runs an exercise's reference solution, and (through
//! [`run_script`]) `checker reset ID`, its clean-up. With `reset`, the only commands
//! that change the student's Docker resources: each command is shown, the student
//! confirms (`--yes` for scripts), then each is shown again right before it runs.

use std::io::IsTerminal;

use colored::Colorize;

use super::{Cli, EXIT_FAILED, EXIT_OK, EXIT_USAGE, usage};
use crate::catalog::Catalog;
use crate::markdown::to_terminal;

#[derive(Debug, clap::Args)]
pub struct ScriptArgs {
    /// Identifiant de l'exercice, CHAPITRE.N.
    pub id: String,
    /// Valeur d'une variable de l'exercice (répétable), par exemple --var user=alice.
    #[arg(long = "var", value_name = "NOM=VALEUR")]
    pub vars: Vec<String>,
    /// N'attend pas de confirmation (pour les scripts).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// Which of an exercise's scripts a command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Solution,
    Cleanup,
}

pub fn run(cli: &Cli, catalog: &Catalog, args: &ScriptArgs) -> u8 {
    run_script(cli, catalog, args, Script::Solution)
}

pub fn run_script(cli: &Cli, catalog: &Catalog, args: &ScriptArgs, which: Script) -> u8 {
    let id = args.id.as_str();
    let exercise = match super::progress::exercise_for(cli, catalog, id, &args.vars) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (text, what, none) = match which {
        Script::Solution => (
            exercise.solution.as_deref(),
            "la solution",
            format!(
                "l'exercice {id} n'a pas de solution de référence : voyez `checker hint {id}`."
            ),
        ),
        Script::Cleanup => (
            exercise.cleanup.as_deref(),
            "le nettoyage",
            format!("l'exercice {id} n'a rien à nettoyer."),
        ),
    };
    let Some(text) = text else {
        say!("{}", capitalised(&none));
        return EXIT_OK;
    };
    let commands = crate::script::commands(text);
    let runnable = commands
        .iter()
        .filter(|c| !crate::script::is_comment(c))
        .count();
    say!(
        "{}",
        format!(
            "Exercice {} — {} : {what}",
            exercise.id,
            to_terminal(&exercise.title)
        )
        .bold()
    );
    if which == Script::Cleanup
        && let Some(after) = &exercise.cleanup_after
    {
        say!(
            "{} la suite du cours se sert de ce que cet exercice a créé ; le nettoyage se fait normalement après l'exercice {after}.",
            "Attention :".yellow().bold()
        );
    }
    say!(
        "Ces commandes vont modifier votre hôte Docker{} :",
        if which == Script::Cleanup {
            " (elles suppriment les ressources de l'exercice)"
        } else {
            ""
        }
    );
    for command in &commands {
        say!("  $ {command}");
    }
    if !args.yes && !confirmed(runnable) {
        say!("Rien n'a été exécuté.");
        return EXIT_USAGE;
    }
    say!();
    let script = crate::script::shown_script(
        &commands,
        colored::control::SHOULD_COLORIZE.should_colorize(),
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("PATH", path_with_self())
        .status();
    match status {
        Ok(s) if s.success() => {
            say!();
            let next = match which {
                Script::Solution => format!("Vérifiez maintenant : `checker exercise {id}`."),
                Script::Cleanup => format!(
                    "Nettoyage fait. `checker exercise {id}` échoue de nouveau : l'exercice est à refaire."
                ),
            };
            say!("{} {next}", "✔".green());
            EXIT_OK
        }
        Ok(s) => {
            super::error(format!(
                "la dernière commande affichée a échoué ({}) : les suivantes n'ont pas été lancées.",
                s.code()
                    .map_or_else(|| "interrompue".to_string(), |c| format!("code {c}"))
            ));
            EXIT_FAILED
        }
        Err(e) => usage(format!(
            "impossible de lancer `sh` ({e}) : tapez ces commandes vous-même dans un terminal."
        )),
    }
}

/// Asks « Exécuter … ? [o/N] » on a terminal; without one (a script, CI), refuses and
/// says to add `--yes`.
fn confirmed(count: usize) -> bool {
    if !std::io::stdin().is_terminal() {
        super::error(
            "pas de terminal pour confirmer : relancez avec --yes pour exécuter ces commandes sans question.",
        );
        return false;
    }
    say_raw!(
        "Exécuter {} sur votre hôte Docker ? [o/N] ",
        if count > 1 {
            format!("ces {count} commandes")
        } else {
            "cette commande".to_string()
        }
    );
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(
        answer.trim().to_lowercase().as_str(),
        "o" | "oui" | "y" | "yes"
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// `PATH` with this checker's folder first: solutions call `checker init`.
pub(super) fn path_with_self() -> std::ffi::OsString {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
    else {
        return current;
    };
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&current)))
        .unwrap_or(current)
}
