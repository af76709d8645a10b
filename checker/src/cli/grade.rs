//! `checker grade`: scores many exercises (a whole class in CI), or re-reports saved
//! results with `--from`.

use std::collections::BTreeMap;
use std::io::IsTerminal;

use super::connect::{connect_or_explain, context, facts, interruptible};
use super::output::finish;
use super::{Cli, EXIT_INTERRUPTED, EXIT_USAGE, GradeArgs, find, parse_timeout, parse_vars, usage};
use crate::catalog::{Catalog, Entry};
use crate::report::{self, Run};
use crate::runner::{self, GradeOptions, RunOptions};

pub async fn run(cli: &Cli, catalog: &Catalog, args: &GradeArgs) -> u8 {
    if let Some(min) = args.min_score
        && !(0.0..=100.0).contains(&min)
    {
        return usage(format!(
            "--min-score {min} : attendu un pourcentage entre 0 et 100"
        ));
    }
    let (vars, attempt_timeout) =
        match parse_vars(&args.vars).and_then(|v| parse_timeout(&args.timeout).map(|t| (v, t))) {
            Ok(pair) => pair,
            Err(message) => return usage(message),
        };
    let Some(chosen) = choose(catalog, args) else {
        return EXIT_USAGE;
    };
    if let Some(path) = &args.from {
        return match Run::load(path) {
            Ok(saved) => {
                // An exercise asked for but never graded counts, as "cannot check":
                // skipping an exercise must not raise the score.
                let mut exercises = Vec::new();
                for entry in &chosen {
                    match saved.exercises.iter().find(|e| e.id == entry.exercise.id) {
                        Some(result) => exercises.push(result.clone()),
                        None => exercises.push(runner::not_graded(
                            &entry.exercise,
                            &format!("aucun résultat enregistré dans {}", path.display()),
                        )),
                    }
                }
                finish(cli, &Run::new(saved.docker, exercises, args.min_score))
            }
            Err(message) => usage(message),
        };
    }
    let mut exercises = Vec::new();
    for entry in &chosen {
        // Each exercise takes the variables it declares and ignores the others.
        let own: BTreeMap<String, String> = vars
            .iter()
            .filter(|(k, _)| entry.exercise.variables.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        match entry.resolve(&own) {
            Ok(x) => exercises.push(x),
            Err(e) => return usage(e),
        }
    }
    let connection = match connect_or_explain(cli.single_format()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let ctx = context(&connection);
    let options = GradeOptions {
        run: RunOptions { attempt_timeout },
        jobs: if args.fail_fast { 1 } else { args.jobs.max(1) },
        fail_fast: args.fail_fast,
        progress: show_progress(),
    };
    let Some(results) =
        interruptible(&connection, runner::run_many(&ctx, &exercises, options)).await
    else {
        return EXIT_INTERRUPTED;
    };
    if args.fail_fast && results.len() < exercises.len() {
        tell!(
            "Arrêt au premier échec (--fail-fast) : {} exercice(s) sur {} vérifié(s).",
            results.len(),
            exercises.len()
        );
    }
    let run = Run::new(facts(&connection), results, args.min_score);
    if let Some(path) = &args.save {
        let merged = if path.exists() {
            match Run::load(path) {
                Ok(saved) => saved.merged_with(run.clone(), args.min_score),
                Err(message) => return usage(message),
            }
        } else {
            run.clone()
        };
        if let Err(e) = std::fs::write(path, report::json::render(&merged)) {
            return usage(format!("écriture de {} impossible : {e}", path.display()));
        }
    }
    finish(cli, &run)
}

/// The exercises `grade` is asked for: named ones, else those of `--chapter`, else all.
fn choose<'a>(catalog: &'a Catalog, args: &GradeArgs) -> Option<Vec<&'a Entry>> {
    let mut chosen: Vec<&Entry> = Vec::new();
    for id in &args.ids {
        chosen.push(find(catalog, id)?);
    }
    if args.ids.is_empty() || args.all {
        chosen.extend(catalog.entries().iter().filter(|e| {
            args.all || args.chapter.is_empty() || args.chapter.contains(&e.exercise.chapter)
        }));
    } else if !args.chapter.is_empty() {
        chosen.retain(|e| args.chapter.contains(&e.exercise.chapter));
    }
    chosen.sort_by_key(|e| crate::catalog::id_key(&e.exercise.id));
    chosen.dedup_by(|a, b| a.exercise.id == b.exercise.id);
    if chosen.is_empty() {
        usage(format!(
            "aucun exercice pour les chapitres {:?} : voyez `checker list`.",
            args.chapter
        ));
        return None;
    }
    Some(chosen)
}

/// A progress bar only for a person watching a terminal: not in CI, not redirected.
fn show_progress() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}
