//! `checker progress`: what the student finished, their identifier, and forgetting it
//! all; plus the helpers every command uses to read and record progress.

use std::borrow::Cow;
use std::collections::BTreeMap;

use colored::Colorize;

use super::{Cli, EXIT_OK, EXIT_WRITE, error, parse_vars, usage};
use crate::catalog::{Catalog, Entry, Exercise};
use crate::outcome::ExerciseResult;
use crate::progress::{Mark, Progress, Store, USER_VARIABLE};

#[derive(Debug, clap::Args)]
pub struct ProgressArgs {
    /// Oublie les exercices réussis (votre identifiant est gardé).
    #[arg(long)]
    pub reset: bool,
    /// Enregistre votre identifiant (Docker Hub ou registre) : il remplace VOTRE_ID dans
    /// les exercices, les indices et le livre de `checker serve`, et sert de --var user=.
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,
    /// Oublie votre identifiant.
    #[arg(long, conflicts_with = "user")]
    pub forget_user: bool,
}

/// Where this command keeps progress (`--state`, else the state directory).
pub fn store(cli: &Cli) -> Option<Store> {
    Store::locate(cli.state.as_deref())
}

/// The saved progress, empty (and said on stderr) when it cannot be read.
pub fn load(cli: &Cli) -> Progress {
    store(cli)
        .map(|s| {
            s.load_or_empty(|e| {
                tell!("{} {e}", "attention :".yellow().bold());
            })
        })
        .unwrap_or_default()
}

/// The exercise resolved with the command's `--var` values and the saved identifier.
pub fn resolve(entry: &Entry, vars: &[String], progress: &Progress) -> Result<Exercise, String> {
    progress.personalised(entry, parse_vars(vars)?)
}

/// The exercise a command is about, found by id and resolved with its `--var` values
/// and the saved identifier; else the exit code, the message already printed.
pub fn exercise_for(
    cli: &Cli,
    catalog: &Catalog,
    id: &str,
    vars: &[String],
) -> Result<Exercise, u8> {
    let Some(entry) = super::find(catalog, id) else {
        return Err(super::EXIT_USAGE);
    };
    resolve(entry, vars, &load(cli)).map_err(usage)
}

/// The exercise as the book shows it to this student: their identifier where they
/// saved one, else the placeholder (`VOTRE_ID`).
pub fn shown<'a>(entry: &'a Entry, progress: &Progress) -> Cow<'a, Exercise> {
    // Most exercises have no variable: what the file says is what is shown.
    if entry.exercise.variables.is_empty() {
        return Cow::Borrowed(&entry.exercise);
    }
    let values = if progress.user.is_some() && entry.exercise.variables.contains_key(USER_VARIABLE)
    {
        BTreeMap::new()
    } else {
        entry.placeholders()
    };
    match progress.personalised(entry, values) {
        Ok(exercise) => Cow::Owned(exercise),
        Err(_) => Cow::Borrowed(&entry.exercise),
    }
}

/// Records verdicts; a failure to save is said, never a reason to change the exit
/// code of a verification.
pub fn record(cli: &Cli, results: &[ExerciseResult]) {
    let Some(store) = store(cli) else {
        return;
    };
    if let Err(e) = store.update(|p| results.iter().for_each(|r| p.record(r))) {
        tell!("{} {e}", "attention :".yellow().bold());
    }
}

pub fn run(cli: &Cli, catalog: &Catalog, args: &ProgressArgs) -> u8 {
    let Some(store) = store(cli) else {
        return usage(
            "aucun dossier d'état trouvé (ni HOME, ni XDG_STATE_HOME) : donnez un fichier avec --state FICHIER",
        );
    };
    if let Some(user) = &args.user
        && let Some(problem) = crate::catalog::variable_problem(user)
    {
        return usage(format!("--user « {user} » : {problem}"));
    }
    let changes = args.reset || args.user.is_some() || args.forget_user;
    let progress = if changes {
        let updated = store.update(|p| {
            if args.reset {
                p.exercises.clear();
            }
            if let Some(user) = &args.user {
                p.user = Some(user.clone());
            }
            if args.forget_user {
                p.user = None;
            }
        });
        match updated {
            Ok(p) => p,
            Err(e) => {
                error(e);
                return EXIT_WRITE;
            }
        }
    } else {
        match store.load() {
            Ok(p) => p,
            Err(e) => return usage(e),
        }
    };
    if args.reset {
        say!("Progression oubliée : aucun exercice n'est plus marqué comme réussi.");
    }
    if let Some(user) = &args.user {
        say!(
            "Identifiant enregistré : {user}. Il remplace VOTRE_ID dans les exercices (--var user={user} par défaut)."
        );
    }
    if args.forget_user {
        say!("Identifiant oublié : les exercices reprennent VOTRE_ID.");
    }
    if !changes {
        summary(catalog, &progress);
    }
    say!("Fichier : {}", store.path().display());
    EXIT_OK
}

/// The per-chapter summary: done out of checked exercises.
fn summary(catalog: &Catalog, progress: &Progress) {
    let mut chapters: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for entry in catalog.entries() {
        if entry.exercise.informational {
            continue;
        }
        let slot = chapters.entry(entry.exercise.chapter).or_default();
        slot.1 += 1;
        if progress.mark(&entry.exercise.id) == Mark::Done {
            slot.0 += 1;
        }
    }
    match &progress.user {
        Some(user) => say!("Identifiant : {user}"),
        None => {
            say!("Identifiant : aucun (enregistrez-le avec `checker progress --user VOTRE_ID`)")
        }
    }
    for (chapter, (done, total)) in &chapters {
        say!("{}", chapter_line(*chapter, *done, *total));
    }
}

/// « Chapitre 2 : 3 exercices réussis sur 7 », the same words in `list` and `progress`.
pub fn chapter_line(chapter: u32, done: usize, total: usize) -> String {
    let mark = if done == total && total > 0 {
        "✔".green().to_string()
    } else {
        " ".to_string()
    };
    format!(
        "{mark} Chapitre {chapter} : {done} exercice{} réussi{} sur {total}",
        if done > 1 { "s" } else { "" },
        if done > 1 { "s" } else { "" },
    )
}
