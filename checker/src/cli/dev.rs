//! `checker dev check [--catalog DIR] [IDS]`: proves a catalogue's exercises both ways
//! on a real engine, as rustlings' `dev check` does for its exercises.
//!
//! For each exercise: its clean-up (and its prerequisites'), the prerequisites'
//! solutions (the state the exercise starts from), then its checks, which must fail
//! except those it declares in `passes_when_clean`; then its solution, after which every
//! check must pass; then the clean-ups again. Plus the static rules: a solution present,
//! a hint on every check that fails on a clean host, check ids unique. A table on
//! stdout, a JUnit report with `--junit FILE`, exit code 1 when an exercise does not
//! hold. This command changes the engine's state: it is for an author's machine or CI,
//! never a student's host with work on it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use colored::Colorize;

use super::connect::{connect_or_explain, context, interruptible};
use super::{
    EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, EXIT_WRITE, Format, error, parse_timeout,
    usage,
};
use crate::catalog::{Catalog, Entry, Exercise};
use crate::outcome::Status;
use crate::runner::{self, RunOptions};

/// Longest a solution or clean-up script may run.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

#[derive(Debug, clap::Subcommand)]
pub enum DevCommand {
    /// Vérifie chaque exercice des deux côtés (hôte propre : échecs ; après la solution :
    /// tout passe) et les règles statiques. Modifie l'état de Docker.
    Check {
        /// Exercices à vérifier (par défaut : tous).
        ids: Vec<String>,
        /// Écrit aussi un rapport JUnit dans ce fichier.
        #[arg(long, value_name = "FICHIER")]
        junit: Option<PathBuf>,
        /// Durée maximale d'une tentative de vérification.
        #[arg(long, value_name = "DURÉE", default_value = "15s")]
        timeout: String,
    },
}

/// One exercise's findings.
#[derive(Debug, Default)]
struct Finding {
    id: String,
    title: String,
    /// Problems, in French; empty when the exercise holds.
    problems: Vec<String>,
    clean: String,
    solved: String,
    seconds: f64,
}

pub async fn run(catalog: &Catalog, command: &DevCommand) -> u8 {
    let DevCommand::Check {
        ids,
        junit,
        timeout,
    } = command;
    let attempt_timeout = match parse_timeout(timeout) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    let chosen: Vec<&Entry> = if ids.is_empty() {
        catalog.entries().iter().collect()
    } else {
        let mut chosen = Vec::new();
        for id in ids {
            match super::find(catalog, id) {
                Some(e) => chosen.push(e),
                None => return EXIT_USAGE,
            }
        }
        chosen
    };
    let connection = match connect_or_explain(Format::Text).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let options = RunOptions { attempt_timeout };
    let work = async {
        let mut findings = Vec::new();
        for entry in &chosen {
            tell!("{} {}", "dev check".dimmed(), entry.exercise.id);
            findings.push(check_one(&connection, catalog, entry, options).await);
        }
        findings
    };
    let Some(findings) = interruptible(&connection, work).await else {
        return EXIT_INTERRUPTED;
    };
    print_table(&findings);
    if let Some(path) = junit
        && let Err(e) = std::fs::write(path, junit_xml(&findings))
    {
        error(format!("écriture de {} impossible : {e}", path.display()));
        return EXIT_WRITE;
    }
    if findings.iter().all(|f| f.problems.is_empty()) {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

async fn check_one(
    connection: &crate::docker::Connection,
    catalog: &Catalog,
    entry: &Entry,
    options: RunOptions,
) -> Finding {
    let started = Instant::now();
    let exercise = match entry.resolve(&Default::default()) {
        Ok(x) => x,
        Err(e) => {
            return Finding {
                id: entry.exercise.id.clone(),
                title: entry.exercise.title.clone(),
                problems: vec![e],
                ..Finding::default()
            };
        }
    };
    let mut finding = Finding {
        id: exercise.id.clone(),
        title: exercise.title.clone(),
        ..Finding::default()
    };
    static_rules(&exercise, &mut finding.problems);
    if exercise.informational {
        finding.clean = "informatif".to_string();
        finding.solved = "informatif".to_string();
        finding.seconds = started.elapsed().as_secs_f64();
        return finding;
    }
    let workdir = match tempfile::Builder::new().prefix("checker-dev-").tempdir() {
        Ok(d) => d,
        Err(e) => {
            finding
                .problems
                .push(format!("dossier de travail impossible à créer : {e}"));
            return finding;
        }
    };
    let chain = prerequisites(catalog, &exercise);
    // The clean host: this exercise's and its prerequisites' clean-ups, latest first.
    let cleanups: Vec<&str> = std::iter::once(&exercise)
        .chain(chain.iter().rev())
        .filter_map(|x| x.cleanup.as_deref())
        .collect();
    for script in &cleanups {
        let _ = shell(script, workdir.path()).await;
    }
    for before in &chain {
        if let Some(solution) = &before.solution
            && let Err(e) = shell(solution, workdir.path()).await
        {
            finding.problems.push(format!(
                "la solution du prérequis {} échoue : {e}",
                before.id
            ));
        }
    }
    let mut ctx = context(connection);
    ctx.workdir = workdir.path().to_path_buf();
    let clean = runner::run_exercise(&ctx, &exercise, options).await;
    let declared: BTreeSet<&str> = exercise
        .passes_when_clean
        .iter()
        .map(String::as_str)
        .collect();
    let mut unexpected = Vec::new();
    for check in &clean.checks {
        let passes = check.status == Status::Pass;
        if passes && !declared.contains(check.id.as_str()) {
            unexpected.push(check.id.clone());
        }
        if !passes && check.hint.as_deref().is_none_or(|h| h.trim().is_empty()) {
            finding.problems.push(format!(
                "la vérification « {} » échoue sur un hôte propre sans indice (`hint:`)",
                check.id
            ));
        }
    }
    if !unexpected.is_empty() {
        finding.problems.push(format!(
            "sur un hôte propre, ces vérifications passent déjà : {} (déclarez-les dans \
             `passes_when_clean` si c'est voulu)",
            unexpected.join(", ")
        ));
    }
    finding.clean = format!(
        "{}/{} échouent",
        clean
            .checks
            .iter()
            .filter(|c| c.status != Status::Pass)
            .count(),
        clean.checks.len()
    );
    match &exercise.solution {
        Some(solution) => {
            if let Err(e) = shell(solution, workdir.path()).await {
                finding.problems.push(format!("la solution échoue : {e}"));
            }
            // A fresh look at the host: the first run's snapshot saw it before the solution.
            let solved = runner::run_exercise(&ctx.fresh(), &exercise, options).await;
            let failing: Vec<String> = solved
                .checks
                .iter()
                .filter(|c| c.status != Status::Pass)
                .map(|c| {
                    format!(
                        "{} ({})",
                        c.id,
                        c.found
                            .as_deref()
                            .or(c.reason.as_deref())
                            .unwrap_or("non vérifiée")
                    )
                })
                .collect();
            finding.solved = format!(
                "{}/{} réussissent",
                solved.count(Status::Pass),
                solved.checks.len()
            );
            if !failing.is_empty() {
                finding.problems.push(format!(
                    "après la solution, ces vérifications ne passent pas : {}",
                    failing.join(" ; ")
                ));
            }
        }
        None => finding.solved = "pas de solution".to_string(),
    }
    for script in &cleanups {
        let _ = shell(script, workdir.path()).await;
    }
    finding.seconds = started.elapsed().as_secs_f64();
    finding
}

/// The rules that need no engine.
fn static_rules(exercise: &Exercise, problems: &mut Vec<String>) {
    if !exercise.informational
        && exercise
            .solution
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        problems.push("pas de solution de référence (`solution:`)".to_string());
    }
    let mut seen = BTreeSet::new();
    for check in &exercise.checks {
        if !seen.insert(check.id.as_str()) {
            problems.push(format!(
                "l'id de vérification « {} » apparaît deux fois",
                check.id
            ));
        }
    }
    for id in &exercise.passes_when_clean {
        if !exercise.checks.iter().any(|c| &c.id == id) {
            problems.push(format!(
                "`passes_when_clean` nomme « {id} », qui n'est pas une vérification de l'exercice"
            ));
        }
    }
}

/// The prerequisites, transitively, in catalogue order.
fn prerequisites(catalog: &Catalog, exercise: &Exercise) -> Vec<Exercise> {
    let mut needed: BTreeSet<String> = BTreeSet::new();
    let mut todo = exercise.prerequisites.clone();
    while let Some(id) = todo.pop() {
        if !needed.insert(id.clone()) {
            continue;
        }
        if let Some(entry) = catalog.get(&id) {
            todo.extend(entry.exercise.prerequisites.iter().cloned());
        }
    }
    let mut ids: Vec<String> = needed.into_iter().collect();
    ids.sort_by_key(|id| crate::catalog::id_key(id));
    ids.iter()
        .filter_map(|id| catalog.get(id))
        .filter_map(|e| e.resolve(&Default::default()).ok())
        .collect()
}

/// Runs a script with `sh -e` in `dir`, stdin closed, bounded by [`SCRIPT_TIMEOUT`].
async fn shell(script: &str, dir: &Path) -> Result<(), String> {
    let mut command = tokio::process::Command::new("sh");
    command
        .arg("-ec")
        .arg(script)
        .current_dir(dir)
        .env("PATH", super::solve::path_with_self())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let child = command
        .spawn()
        .map_err(|e| format!("`sh` introuvable ({e})"))?;
    match tokio::time::timeout(SCRIPT_TIMEOUT, child.wait_with_output()).await {
        Err(_) => Err(format!(
            "toujours en cours après {} s",
            SCRIPT_TIMEOUT.as_secs()
        )),
        Ok(Err(e)) => Err(e.to_string()),
        Ok(Ok(out)) if out.status.success() => Ok(()),
        Ok(Ok(out)) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let last = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            Err(format!(
                "code {} : {}",
                out.status.code().unwrap_or(-1),
                crate::untrusted::neutralise(last)
            ))
        }
    }
}

fn print_table(findings: &[Finding]) {
    say!();
    say!(
        "{:<5}  {:<22}  {:<18}  {}",
        "id".bold(),
        "hôte propre".bold(),
        "après la solution".bold(),
        "verdict".bold()
    );
    for f in findings {
        let verdict = if f.problems.is_empty() {
            "✔".green().to_string()
        } else {
            "✘".red().to_string()
        };
        say!(
            "{:<5}  {:<22}  {:<18}  {verdict} ({:.1} s)",
            f.id,
            f.clean,
            f.solved,
            f.seconds
        );
        for p in &f.problems {
            say!("       {} {p}", "→".red());
        }
    }
    let bad = findings.iter().filter(|f| !f.problems.is_empty()).count();
    say!();
    if bad == 0 {
        say!(
            "{} {} exercice{} des deux côtés.",
            "✔".green().bold(),
            findings.len(),
            if findings.len() > 1 {
                "s tiennent"
            } else {
                " tient"
            }
        );
    } else {
        say!(
            "{} {bad} exercice{} sur {} ne tien{} pas.",
            "✘".red().bold(),
            if bad > 1 { "s" } else { "" },
            findings.len(),
            if bad > 1 { "nent" } else { "t" }
        );
    }
}

fn junit_xml(findings: &[Finding]) -> String {
    use crate::report::xml::{body, text};
    let failures = findings.iter().filter(|f| !f.problems.is_empty()).count();
    let total: f64 = findings.iter().map(|f| f.seconds).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"checker dev check\" \
         tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"{total:.3}\">\n",
        findings.len()
    );
    for f in findings {
        out.push_str(&format!(
            "    <testcase classname=\"exercices\" name=\"{} {}\" time=\"{:.3}\">\n",
            text(&f.id),
            text(&f.title),
            f.seconds
        ));
        if !f.problems.is_empty() {
            out.push_str(&format!(
                "      <failure message=\"{}\">{}</failure>\n",
                text(&f.problems[0]),
                body(&f.problems.join("\n"))
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
