//! `checker grade`: scores many exercises (a whole class in CI), records them for later
//! (`--save`, `--not-run`), re-reports saved results with `--from` (rescored from the
//! catalogue), and says in which order a grading script must run the exercises
//! (`--plan`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::Path;

use super::connect::{connect_or_explain_why, context, facts, interruptible};
use super::output::{finish, write_files};
use super::{
    Cli, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, GradeArgs, find, parse_timeout, parse_vars, usage,
};
use crate::catalog::{Catalog, Entry, Exercise};
use crate::report::{self, DockerFacts, Run};
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
    if args.plan {
        return plan(catalog, &chosen);
    }
    if let Some(path) = &args.from {
        return from_saved(cli, catalog, &chosen, path, args);
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
    if let Some(reason) = &args.not_run {
        let results = exercises
            .iter()
            .map(|e| runner::not_graded(e, reason))
            .collect();
        let run = identified(
            Run::new(DockerFacts::default(), results, args.min_score),
            args,
        );
        return save_then_finish(cli, args, run);
    }
    let connection = match connect_or_explain_why(cli.single_format()).await {
        Ok(c) => c,
        Err((code, why)) => {
            // CI must still get a report, and it must say why everything is at zero.
            let reason = format!("Docker injoignable : {why}");
            let results = exercises
                .iter()
                .map(|e| runner::not_graded(e, &reason))
                .collect();
            let run = identified(
                Run::new(DockerFacts::default(), results, args.min_score),
                args,
            );
            if let Some(path) = &args.save
                && let Err(message) = save(path, run.clone(), args.min_score)
            {
                super::error(message);
            }
            write_files(cli, &run);
            return code;
        }
    };
    connection.ask_about_early();
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
    let run = identified(
        Run::new(facts(&connection, true).await, results, args.min_score),
        args,
    );
    save_then_finish(cli, args, run)
}

/// The run with the student, commit and note given on the command line.
fn identified(mut run: Run, args: &GradeArgs) -> Run {
    if let Some(note) = &args.note {
        for exercise in &run.exercises {
            run.notes.insert(exercise.id.clone(), note.clone());
        }
    }
    run.with_identity(args.student.clone(), args.commit.clone())
}

fn save_then_finish(cli: &Cli, args: &GradeArgs, run: Run) -> u8 {
    if let Some(path) = &args.save
        && let Err(message) = save(path, run.clone(), args.min_score)
    {
        return usage(message);
    }
    finish(cli, &run)
}

/// `--from`: the saved verdicts, rescored from the catalogue, for the exercises asked.
fn from_saved(
    cli: &Cli,
    catalog: &Catalog,
    chosen: &[&Entry],
    path: &Path,
    args: &GradeArgs,
) -> u8 {
    let saved = match Run::load(path).and_then(|run| run.rescored(catalog, path)) {
        Ok(run) => run,
        Err(message) => return usage(message),
    };
    let wanted = match defaults(chosen) {
        Ok(w) => w,
        Err(message) => return usage(message),
    };
    let wanted: Vec<&Exercise> = wanted.iter().collect();
    let run = saved
        .restricted_to(
            &wanted,
            &format!("aucun résultat enregistré dans {}", path.display()),
            args.min_score,
        )
        .with_identity(args.student.clone(), args.commit.clone());
    finish(cli, &run)
}

/// The exercises with their declared defaults (titles for exercises never graded).
pub fn defaults(chosen: &[&Entry]) -> Result<Vec<Exercise>, String> {
    chosen.iter().map(|e| e.resolve(&BTreeMap::new())).collect()
}

/// Adds `run` to the results file at `path`, under a lock so that concurrent grades
/// (one per exercise, in parallel jobs) all keep their results, and by an atomic rename
/// so that a reader never sees half a file.
fn save(path: &Path, run: Run, min_score: Option<f64>) -> Result<(), String> {
    let lock_path = path.with_file_name(format!(
        ".{}.verrou",
        path.file_name().map_or_else(
            || "resultats".to_string(),
            |n| n.to_string_lossy().into_owned()
        )
    ));
    let cannot =
        |what: &str, e: std::io::Error| format!("{} : {what} impossible : {e}", path.display());
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| cannot("verrouillage", e))?;
    lock.lock().map_err(|e| cannot("verrouillage", e))?;
    let merged = if path.exists() {
        Run::load(path)?.merged_with(run, min_score)?
    } else {
        run
    };
    let temporary = path.with_file_name(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    std::fs::write(&temporary, report::json::render(&merged))
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            cannot("écriture", e)
        })?;
    drop(lock);
    Ok(())
}

/// `--plan`: one line per exercise a grading script must run, in order: first the
/// prerequisites from outside the selection (their state is needed, they are not
/// graded), then the exercises to grade.
fn plan(catalog: &Catalog, chosen: &[&Entry]) -> u8 {
    let graded: BTreeSet<&str> = chosen.iter().map(|e| e.exercise.id.as_str()).collect();
    let mut needed: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = chosen
        .iter()
        .flat_map(|e| e.exercise.prerequisites.iter().cloned())
        .collect();
    while let Some(id) = todo.pop() {
        if graded.contains(id.as_str()) || !needed.insert(id.clone()) {
            continue;
        }
        if let Some(entry) = catalog.get(&id) {
            todo.extend(entry.exercise.prerequisites.iter().cloned());
        }
    }
    let mut lines: Vec<(String, &str)> = needed.into_iter().map(|id| (id, "prerequis")).collect();
    lines.extend(graded.iter().map(|id| (id.to_string(), "noter")));
    lines.sort_by_key(|(id, _)| crate::catalog::id_key(id));
    for (id, what) in lines {
        say!("{id} {what}");
    }
    EXIT_OK
}

/// The exercises `grade` is asked for: named ones, else those of `--chapter`, else all.
pub fn choose<'a>(catalog: &'a Catalog, args: &GradeArgs) -> Option<Vec<&'a Entry>> {
    select(catalog, &args.ids, &args.chapter, args.all)
}

/// Named exercises, else those of the chapters, else all (`all` adds them all).
pub fn select<'a>(
    catalog: &'a Catalog,
    ids: &[String],
    chapters: &[u32],
    all: bool,
) -> Option<Vec<&'a Entry>> {
    let mut chosen: Vec<&Entry> = Vec::new();
    for id in ids {
        chosen.push(find(catalog, id)?);
    }
    if ids.is_empty() || all {
        chosen.extend(
            catalog
                .entries()
                .iter()
                .filter(|e| all || chapters.is_empty() || chapters.contains(&e.exercise.chapter)),
        );
    } else if !chapters.is_empty() {
        chosen.retain(|e| chapters.contains(&e.exercise.chapter));
    }
    chosen.sort_by_key(|e| crate::catalog::id_key(&e.exercise.id));
    chosen.dedup_by(|a, b| a.exercise.id == b.exercise.id);
    if chosen.is_empty() {
        usage(format!(
            "aucun exercice pour les chapitres {chapters:?} : voyez `checker list`."
        ));
        return None;
    }
    Some(chosen)
}

/// A progress bar only for a person watching a terminal: not in CI, not redirected.
fn show_progress() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}
