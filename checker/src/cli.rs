//! The command line: parsing, dispatch, exit codes.
//!
//! Exit codes are part of the interface (scripts and CI depend on them):
//! 0 all passed, 1 a check failed (or could not be checked), 2 usage or catalogue
//! error, 3 Docker unreachable.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use colored::Colorize;
use serde::Serialize;

use crate::catalog::{Catalog, Entry, Exercise};
use crate::checks::Context;
use crate::docker::{self, Connection, Environment, helper};
use crate::markdown::to_terminal;
use crate::report::{self, DockerFacts, Run};
use crate::runner::{self, RunOptions};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_DOCKER: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "checker",
    version,
    about = "Vérifie les exercices du cours Docker sur votre hôte Docker.",
    long_about = "Vérifie les exercices du cours Docker sur votre hôte Docker.\n\n\
                  Codes de sortie : 0 tout est réussi, 1 une vérification échoue, \
                  2 erreur d'utilisation ou de catalogue, 3 Docker injoignable.",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE"
)]
pub struct Cli {
    /// Affiche l'aide (de la commande qui précède, le cas échéant).
    #[arg(short = 'h', long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Dossier d'exercices à utiliser à la place du catalogue intégré.
    #[arg(long, global = true, value_name = "DOSSIER")]
    pub catalog: Option<PathBuf>,
    /// Format de sortie (répétable avec `exercise` et `grade` : un rapport par format).
    #[arg(long, global = true, value_enum, default_values_t = [Format::Text])]
    pub format: Vec<Format>,
    /// Fichier où écrire le rapport du --format qui précède (répétable ; un format sans
    /// fichier va sur la sortie standard).
    #[arg(long, global = true, value_name = "FICHIER")]
    pub output: Vec<PathBuf>,
    /// For each `--format` (by position), the `--output` written right after it.
    #[arg(skip)]
    pub destinations: Vec<Option<PathBuf>>,
    /// Désactive les couleurs (aussi avec la variable NO_COLOR).
    #[arg(long, global = true)]
    pub no_color: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// Exercices à noter (par défaut : tous, ou ceux de --chapter).
    pub ids: Vec<String>,
    /// Seulement les exercices de ce chapitre (répétable).
    #[arg(long)]
    pub chapter: Vec<u32>,
    /// Tous les exercices du catalogue.
    #[arg(long)]
    pub all: bool,
    /// Pourcentage minimal pour réussir (décide du code de sortie).
    #[arg(long, value_name = "POURCENTAGE")]
    pub min_score: Option<f64>,
    /// S'arrête au premier exercice qui échoue.
    #[arg(long)]
    pub fail_fast: bool,
    /// Durée maximale d'une tentative de vérification.
    #[arg(long, value_name = "DURÉE", default_value = "15s")]
    pub timeout: String,
    /// Valeur d'une variable, pour les exercices qui la déclarent (répétable).
    #[arg(long = "var", value_name = "NOM=VALEUR")]
    pub vars: Vec<String>,
    /// Exercices vérifiés en même temps.
    #[arg(long, default_value_t = 4)]
    pub jobs: usize,
    /// Ajoute ces résultats au fichier JSON donné (un exercice noté de nouveau remplace
    /// son résultat précédent) : pour noter chaque exercice à son point de vérification.
    #[arg(long, value_name = "FICHIER")]
    pub save: Option<PathBuf>,
    /// Produit les rapports à partir d'un fichier enregistré avec --save, sans Docker.
    #[arg(long, value_name = "FICHIER", conflicts_with_all = ["save", "fail_fast"])]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Junit,
    Markdown,
    Tap,
}

impl Cli {
    /// The one format of commands that print a single document (`list`, `doctor`).
    fn single_format(&self) -> Format {
        if self.format.contains(&Format::Json) {
            Format::Json
        } else {
            Format::Text
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Vérifie un exercice (par exemple : checker exercise 2.1).
    Exercise {
        /// Identifiant de l'exercice, CHAPITRE.N.
        id: String,
        /// Valeur d'une variable de l'exercice (répétable), par exemple --var user=alice.
        #[arg(long = "var", value_name = "NOM=VALEUR")]
        vars: Vec<String>,
        /// Durée maximale d'une tentative de vérification (par exemple 10s).
        #[arg(long, value_name = "DURÉE", default_value = "15s")]
        timeout: String,
    },
    /// Liste les chapitres et les exercices.
    List {
        /// Seulement ce chapitre.
        #[arg(long)]
        chapter: Option<u32>,
    },
    /// Affiche les indices d'un exercice.
    Hint {
        id: String,
        /// Seulement cette vérification.
        check: Option<String>,
    },
    /// Diagnostique la connexion à Docker.
    Doctor,
    /// Copie les fichiers de départ d'un exercice, sans écraser les vôtres.
    Init {
        id: String,
        /// Dossier où les copier (par défaut, le dossier courant).
        dir: Option<PathBuf>,
    },
    /// Note des exercices (toute une classe en CI) : score par exercice et total.
    Grade(GradeArgs),
    /// Vérifie un catalogue d'exercices (schéma, ids, prérequis, variables).
    Validate {
        /// Dossier du catalogue (par défaut, le catalogue intégré).
        dir: Option<PathBuf>,
    },
    /// Affiche le schéma JSON du format des exercices (pour les éditeurs).
    Schema,
    /// Construit le livre du cours (HTML), sans mdbook installé.
    Book {
        /// Racine du livre (le dossier de book.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Dossier de sortie (par défaut celui de book.toml).
        #[arg(long)]
        dest: Option<PathBuf>,
        /// Échoue si mdBook émet un avertissement.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Préprocesseur mdBook des cartes d'exercices (appelé par `mdbook build`).
    #[command(hide = true)]
    Mdbook {
        #[arg(trailing_var_arg = true)]
        args: Vec<String>,
    },
}

/// Parses the arguments and runs; returns the process exit code.
pub fn main() -> ExitCode {
    let mut cli = match parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match pair_outputs(std::env::args().skip(1), cli.format.len()) {
        Ok(destinations) => cli.destinations = destinations,
        Err(message) => {
            eprintln!("erreur : {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    setup_color(cli.no_color);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("erreur : impossible de démarrer le moteur asynchrone : {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    ExitCode::from(runtime.block_on(run(cli)))
}

/// Help in French: clap's own headings are English, so every (sub)command gets a
/// French template.
const HELP_TEMPLATE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

fn parse() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let command = Cli::command()
        .help_template(HELP_TEMPLATE)
        .mut_subcommands(|sub| sub.help_template(HELP_TEMPLATE));
    Cli::from_arg_matches(&command.try_get_matches()?)
}

fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                return ExitCode::from(EXIT_USAGE);
            }
            ExitCode::from(EXIT_OK)
        }
        kind => {
            let lead = match kind {
                ErrorKind::InvalidSubcommand => "commande inconnue",
                ErrorKind::UnknownArgument => "option inconnue",
                ErrorKind::MissingRequiredArgument => "argument obligatoire manquant",
                ErrorKind::InvalidValue => "valeur invalide",
                _ => "ligne de commande invalide",
            };
            eprintln!("erreur : {lead}. Voyez `checker --help`.\n");
            let _ = e.print();
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn setup_color(no_color: bool) {
    let env_off = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color || env_off || !std::io::stdout().is_terminal() {
        colored::control::set_override(false);
    } else {
        colored::control::set_override(true);
    }
}

async fn run(cli: Cli) -> u8 {
    // The book commands bring their own catalogue (book.toml says which); `validate`
    // reports a broken catalogue instead of refusing to start.
    match &cli.command {
        Command::Validate { dir } => return validate(dir.as_deref()),
        Command::Mdbook { args } => return mdbook(args),
        Command::Book {
            root,
            dest,
            deny_warnings,
        } => return build_book(root, dest.as_deref(), *deny_warnings),
        _ => {}
    }
    let catalog = match &cli.catalog {
        Some(dir) => Catalog::from_dir(dir),
        None => Catalog::embedded(),
    };
    let catalog = match catalog {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "{} le catalogue d'exercices est invalide :\n{e}",
                "erreur :".red().bold()
            );
            return EXIT_USAGE;
        }
    };
    match &cli.command {
        Command::Exercise { id, vars, timeout } => {
            exercise(&cli, &catalog, id, vars, timeout).await
        }
        Command::List { chapter } => list(&cli, &catalog, *chapter),
        Command::Hint { id, check } => hint(&catalog, id, check.as_deref()),
        Command::Doctor => doctor(&cli).await,
        Command::Init { id, dir } => init(&catalog, id, dir.as_deref()),
        Command::Grade(args) => grade(&cli, &catalog, args).await,
        Command::Schema => {
            println!("{}", crate::catalog::json_schema());
            EXIT_OK
        }
        // Dispatched above, before the catalogue is loaded; never reached.
        Command::Book { .. } | Command::Mdbook { .. } | Command::Validate { .. } => EXIT_USAGE,
    }
}

/// Finds an exercise or prints the unknown-id message with suggestions.
pub fn find<'a>(catalog: &'a Catalog, id: &str) -> Option<&'a Entry> {
    if let Some(entry) = catalog.get(id) {
        return Some(entry);
    }
    let suggestions = catalog.suggest(id);
    eprintln!(
        "{} l'exercice « {id} » n'existe pas.",
        "erreur :".red().bold()
    );
    if !suggestions.is_empty() {
        eprintln!("Vouliez-vous dire : {} ?", suggestions.join(", "));
    }
    eprintln!("La liste des exercices : `checker list`.");
    None
}

fn parse_vars(vars: &[String]) -> Result<BTreeMap<String, String>, String> {
    vars.iter()
        .map(|v| {
            v.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| {
                    format!("--var « {v} » : attendu NOM=VALEUR, par exemple --var user=alice")
                })
        })
        .collect()
}

pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text)
        .map_err(|e| format!("durée « {text} » invalide ({e}) : écrivez par exemple 10s"))
}

/// Connects to Docker, or prints why not (French, with the fix) and gives exit code 3.
pub async fn connect_or_explain(format: Format) -> Result<Connection, u8> {
    match docker::connect(&Environment::from_process()).await {
        Ok(c) => Ok(c),
        Err((endpoint, why)) => {
            if format == Format::Json {
                let doc = serde_json::json!({
                    "schema_version": report::SCHEMA_VERSION,
                    "error": "docker_unreachable",
                    "endpoint": endpoint.as_ref().map(|e| e.host.clone()),
                    "message": why.explain(),
                });
                println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                eprintln!("{} Docker est injoignable.", "erreur :".red().bold());
                if let Some(endpoint) = &endpoint {
                    eprintln!(
                        "Point d'accès : {} ({})",
                        endpoint.host,
                        endpoint.source.explain()
                    );
                }
                eprintln!("{}", why.explain());
            }
            Err(EXIT_DOCKER)
        }
    }
}

/// What the checks need: the engine, the working folder, where ports are published.
fn context(connection: &Connection) -> Context {
    Context::new(
        connection.docker.clone(),
        std::env::current_dir().unwrap_or_default(),
    )
    .with_engine_address(&connection.endpoint.host)
}

pub fn facts(connection: &Connection) -> DockerFacts {
    DockerFacts {
        endpoint: connection.endpoint.host.clone(),
        engine_version: connection.engine_version.clone(),
        api_version: connection.api_version.clone(),
    }
}

/// Runs `work` until it ends or Ctrl-C, then removes any helper container still alive:
/// on Ctrl-C, and after a check abandoned on its timeout. Done once, when the whole run
/// is over: the registry of helpers is process-wide, and exercises graded side by side
/// must not lose the helper they are reading.
pub async fn interruptible<T>(
    connection: &Connection,
    work: impl std::future::Future<Output = T>,
) -> Option<T> {
    tokio::select! {
        value = work => {
            helper::remove_all(&connection.docker).await;
            Some(value)
        }
        _ = tokio::signal::ctrl_c() => {
            helper::remove_all(&connection.docker).await;
            eprintln!("\nInterrompu : les conteneurs d'aide du checker ont été supprimés.");
            None
        }
    }
}

async fn exercise(cli: &Cli, catalog: &Catalog, id: &str, vars: &[String], timeout: &str) -> u8 {
    let Some(entry) = find(catalog, id) else {
        return EXIT_USAGE;
    };
    let resolved = parse_vars(vars)
        .and_then(|vars| entry.resolve(&vars))
        .and_then(|exercise| parse_timeout(timeout).map(|t| (exercise, t)));
    let (exercise, attempt_timeout) = match resolved {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("{} {message}", "erreur :".red().bold());
            return EXIT_USAGE;
        }
    };
    let connection = match connect_or_explain(cli.single_format()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let ctx = context(&connection);
    let options = RunOptions { attempt_timeout };
    let Some(result) =
        interruptible(&connection, runner::run_exercise(&ctx, &exercise, options)).await
    else {
        return 130;
    };
    let run = Run::new(facts(&connection), vec![result], None);
    finish(cli, &run)
}

/// Renders a run in one format.
pub fn render(run: &Run, format: Format) -> String {
    match format {
        Format::Text => report::text::render(run),
        Format::Json => format!("{}\n", report::json::render(run)),
        Format::Junit => report::junit::render(run),
        Format::Markdown => report::markdown::render(run),
        Format::Tap => report::tap::render(run),
    }
}

/// Writes every requested report (the n-th `--output` takes the n-th `--format`, the
/// others go to stdout) and turns the verdict into the exit code.
fn finish(cli: &Cli, run: &Run) -> u8 {
    for (i, format) in cli.format.iter().enumerate() {
        let text = render(run, *format);
        match cli.destinations.get(i).and_then(Option::as_ref) {
            Some(path) => {
                if let Err(e) = std::fs::write(path, text) {
                    eprintln!(
                        "{} écriture de {} impossible : {e}",
                        "erreur :".red().bold(),
                        path.display()
                    );
                    return EXIT_USAGE;
                }
            }
            None => print!("{text}"),
        }
    }
    if run.summary.success {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

/// Pairs each `--output` with the `--format` written before it, reading the raw
/// arguments in order (clap keeps each option's values but not how they interleave).
/// `formats` is how many formats clap parsed (1 for the default `text`).
pub fn pair_outputs(
    args: impl Iterator<Item = String>,
    formats: usize,
) -> Result<Vec<Option<PathBuf>>, String> {
    let mut destinations: Vec<Option<PathBuf>> = vec![None; formats];
    let mut seen = 0usize;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--format" || arg.starts_with("--format=") {
            seen += 1;
        } else if arg == "--output" || arg.starts_with("--output=") {
            let path = match arg.strip_prefix("--output=") {
                Some(p) => p.to_string(),
                None => args.next().unwrap_or_default(),
            };
            let index = seen.saturating_sub(1);
            match destinations.get_mut(index) {
                Some(slot @ None) => *slot = Some(PathBuf::from(path)),
                Some(Some(_)) => {
                    return Err(format!(
                        "deux --output pour le même --format (le n° {}) : un fichier par format",
                        index + 1
                    ));
                }
                None => return Err("--output sans --format correspondant".to_string()),
            }
        }
    }
    if destinations.iter().filter(|d| d.is_none()).count() > 1 {
        return Err(
            "un seul rapport peut aller sur la sortie standard : donnez un --output aux autres --format"
                .to_string(),
        );
    }
    Ok(destinations)
}

async fn grade(cli: &Cli, catalog: &Catalog, args: &GradeArgs) -> u8 {
    let fail = |message: String| {
        eprintln!("{} {message}", "erreur :".red().bold());
        EXIT_USAGE
    };
    if let Some(min) = args.min_score
        && !(0.0..=100.0).contains(&min)
    {
        return fail(format!(
            "--min-score {min} : attendu un pourcentage entre 0 et 100"
        ));
    }
    let (vars, attempt_timeout) =
        match parse_vars(&args.vars).and_then(|v| parse_timeout(&args.timeout).map(|t| (v, t))) {
            Ok(pair) => pair,
            Err(message) => return fail(message),
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
            Err(message) => fail(message),
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
            Err(e) => return fail(e),
        }
    }
    let connection = match connect_or_explain(cli.single_format()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let ctx = context(&connection);
    let options = crate::runner::GradeOptions {
        run: RunOptions { attempt_timeout },
        jobs: if args.fail_fast { 1 } else { args.jobs.max(1) },
        fail_fast: args.fail_fast,
        progress: show_progress(),
    };
    let Some(results) =
        interruptible(&connection, runner::run_many(&ctx, &exercises, options)).await
    else {
        return 130;
    };
    if args.fail_fast && results.len() < exercises.len() {
        eprintln!(
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
                Err(message) => return fail(message),
            }
        } else {
            run.clone()
        };
        if let Err(e) = std::fs::write(path, report::json::render(&merged)) {
            return fail(format!("écriture de {} impossible : {e}", path.display()));
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
        eprintln!(
            "{} aucun exercice pour les chapitres {:?} : voyez `checker list`.",
            "erreur :".red().bold(),
            args.chapter
        );
        return None;
    }
    Some(chosen)
}

/// `checker init ID [DIR]`: copies the starter files; existing files are kept.
fn init(catalog: &Catalog, id: &str, dir: Option<&std::path::Path>) -> u8 {
    let Some(entry) = find(catalog, id) else {
        return EXIT_USAGE;
    };
    let files = catalog.starter(&entry.exercise.id);
    if files.is_empty() {
        eprintln!(
            "{} l'exercice {id} n'a pas de fichiers de départ : suivez son énoncé dans le cours.",
            "erreur :".red().bold()
        );
        return EXIT_USAGE;
    }
    let root = dir.unwrap_or_else(|| std::path::Path::new("."));
    let (mut written, mut kept) = (0, 0);
    for (relative, content) in files {
        let target = root.join(&relative);
        if target.exists() {
            println!(
                "  {} {} (déjà présent, gardé tel quel)",
                "=".yellow(),
                target.display()
            );
            kept += 1;
            continue;
        }
        let created = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, &content));
        if let Err(e) = created {
            eprintln!(
                "{} écriture de {} impossible : {e}",
                "erreur :".red().bold(),
                target.display()
            );
            return EXIT_USAGE;
        }
        println!("  {} {}", "+".green(), target.display());
        written += 1;
    }
    println!(
        "Exercice {} : {written} fichier(s) créé(s){}.",
        entry.exercise.id,
        if kept > 0 {
            format!(", {kept} déjà présent(s) gardé(s)")
        } else {
            String::new()
        }
    );
    EXIT_OK
}

/// A progress bar only for a person watching a terminal: not in CI, not redirected.
fn show_progress() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

fn validate(dir: Option<&std::path::Path>) -> u8 {
    let loaded = match dir {
        Some(dir) => Catalog::from_dir(dir),
        None => Catalog::embedded(),
    };
    match loaded {
        Ok(catalog) => {
            let checks: usize = catalog
                .entries()
                .iter()
                .map(|e| e.exercise.checks.len())
                .sum();
            println!(
                "{} catalogue valide : {} exercices, {checks} vérifications.",
                "✔".green().bold(),
                catalog.entries().len()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "{} catalogue invalide ({} problème(s)) :\n{e}",
                "✘".red().bold(),
                e.diagnostics.len()
            );
            EXIT_USAGE
        }
    }
}

#[derive(Serialize)]
struct ListedExercise<'a> {
    id: &'a str,
    chapter: u32,
    title: &'a str,
    points: u32,
    informational: bool,
    prerequisites: &'a [String],
    checks: Vec<ListedCheck<'a>>,
}

#[derive(Serialize)]
struct ListedCheck<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
}

fn list(cli: &Cli, catalog: &Catalog, chapter: Option<u32>) -> u8 {
    let entries: Vec<&Entry> = catalog
        .entries()
        .iter()
        .filter(|e| chapter.is_none_or(|c| e.exercise.chapter == c))
        .collect();
    if entries.is_empty() {
        eprintln!(
            "{} aucun exercice pour ce chapitre.",
            "erreur :".red().bold()
        );
        return EXIT_USAGE;
    }
    // Titles as the student sees them: variables take their default values.
    let resolved: Vec<Exercise> = entries
        .iter()
        .map(|e| {
            e.resolve(&BTreeMap::new())
                .unwrap_or_else(|_| e.exercise.clone())
        })
        .collect();
    match cli.single_format() {
        Format::Json => {
            let listed: Vec<ListedExercise> = resolved
                .iter()
                .map(|x| ListedExercise {
                    id: &x.id,
                    chapter: x.chapter,
                    title: &x.title,
                    points: x.points,
                    informational: x.informational,
                    prerequisites: &x.prerequisites,
                    checks: x
                        .checks
                        .iter()
                        .map(|c| ListedCheck {
                            id: &c.id,
                            title: &c.title,
                            kind: c.kind.name(),
                        })
                        .collect(),
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&listed).unwrap_or_default()
            );
        }
        _ => {
            let mut current = None;
            for x in &resolved {
                if current != Some(x.chapter) {
                    if current.is_some() {
                        println!();
                    }
                    println!("{}", format!("Chapitre {}", x.chapter).bold());
                    current = Some(x.chapter);
                }
                let detail = if x.informational {
                    "informatif".to_string()
                } else {
                    format!(
                        "{} vérification{}",
                        x.checks.len(),
                        if x.checks.len() > 1 { "s" } else { "" }
                    )
                };
                println!(
                    "  {:<5} {}  {}",
                    x.id.cyan(),
                    to_terminal(&x.title),
                    format!("({detail})").dimmed()
                );
            }
        }
    }
    EXIT_OK
}

fn hint(catalog: &Catalog, id: &str, check: Option<&str>) -> u8 {
    let Some(entry) = find(catalog, id) else {
        return EXIT_USAGE;
    };
    let exercise = match entry.resolve(&BTreeMap::new()) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{} {e}", "erreur :".red().bold());
            return EXIT_USAGE;
        }
    };
    if let Some(wanted) = check
        && !exercise.checks.iter().any(|c| c.id == wanted)
    {
        let ids: Vec<&str> = exercise.checks.iter().map(|c| c.id.as_str()).collect();
        eprintln!(
            "{} l'exercice {id} n'a pas de vérification « {wanted} » (vérifications : {}).",
            "erreur :".red().bold(),
            ids.join(", ")
        );
        return EXIT_USAGE;
    }
    println!(
        "{}",
        format!("Exercice {} — {}", exercise.id, exercise.title).bold()
    );
    let mut shown = 0;
    for c in exercise
        .checks
        .iter()
        .filter(|c| check.is_none_or(|w| c.id == w))
    {
        if let Some(h) = &c.hint {
            println!("\n{} {}", "•".cyan(), to_terminal(&c.title).bold());
            for line in to_terminal(h).lines() {
                println!("  {line}");
            }
            shown += 1;
        }
    }
    if shown == 0 {
        println!("\nAucun indice pour cet exercice : relisez son objectif dans le cours.");
    }
    EXIT_OK
}

async fn doctor(cli: &Cli) -> u8 {
    let env = Environment::from_process();
    let connection = match connect_or_explain(cli.single_format()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let helpers = leftover_helpers(&connection).await;
    match cli.single_format() {
        Format::Json => {
            let doc = serde_json::json!({
                "schema_version": report::SCHEMA_VERSION,
                "endpoint": connection.endpoint.host,
                "source": connection.endpoint.source.explain(),
                "tls": connection.endpoint.tls.is_some(),
                "platform": connection.platform,
                "engine_version": connection.engine_version,
                "api_version": connection.api_version,
                "os": connection.os,
                "arch": connection.arch,
                "leftover_helpers": helpers,
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        _ => {
            println!("{} Docker répond.", "✔".green().bold());
            println!("  Point d'accès : {}", connection.endpoint.host);
            println!("  Choisi par    : {}", connection.endpoint.source.explain());
            if connection.endpoint.tls.is_some() {
                println!("  TLS           : oui");
            }
            println!(
                "  Moteur        : {} {} (API {})",
                connection.platform, connection.engine_version, connection.api_version
            );
            println!("  Système       : {}/{}", connection.os, connection.arch);
            if let Some(config) = env.config_dir() {
                println!("  Config client : {}", config.display());
            }
            if helpers > 0 {
                println!(
                    "{} {helpers} conteneur(s) d'aide du checker subsiste(nt) (interruption brutale ?) : \
                     `docker rm -f $(docker ps -aq --filter label={})`",
                    "!".yellow().bold(),
                    helper::LABEL
                );
            }
        }
    }
    EXIT_OK
}

async fn leftover_helpers(connection: &Connection) -> usize {
    let filters = [("label".to_string(), vec![helper::LABEL.to_string()])].into();
    let options = bollard::query_parameters::ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    connection
        .docker
        .list_containers(Some(options))
        .await
        .map(|l| l.len())
        .unwrap_or(0)
}

/// `checker mdbook [supports RENDERER]`: mdBook's preprocessor protocol.
fn mdbook(args: &[String]) -> u8 {
    let supports = match args {
        [] => None,
        [word, renderer] if word == "supports" => Some(renderer.as_str()),
        _ => {
            eprintln!(
                "usage : checker mdbook [supports RENDU] (appelé par mdbook, voir book.toml)"
            );
            return EXIT_USAGE;
        }
    };
    match crate::book::protocol(supports) {
        Ok(true) => EXIT_OK,
        Ok(false) => EXIT_FAILED,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            EXIT_USAGE
        }
    }
}

/// `checker book`: builds the book in-process, showing mdBook's warnings.
fn build_book(root: &std::path::Path, dest: Option<&std::path::Path>, deny_warnings: bool) -> u8 {
    let warnings = crate::book::capture_warnings();
    match crate::book::build(root, dest) {
        Ok(out) => {
            let count = warnings.count();
            if deny_warnings && count > 0 {
                eprintln!("erreur : {count} avertissement(s) de mdBook (voir ci-dessus).");
                return EXIT_USAGE;
            }
            println!("Livre construit dans {}", out.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "{} construction du livre impossible :\n{e:#}",
                "erreur :".red().bold()
            );
            EXIT_USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pair_outputs;
    use std::path::PathBuf;

    fn args(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split_whitespace().map(str::to_string)
    }

    #[test]
    fn outputs_follow_their_format() {
        let d =
            pair_outputs(args("grade --format text --format junit --output r.xml"), 2).expect("ok");
        assert_eq!(d, vec![None, Some(PathBuf::from("r.xml"))]);
        let d = pair_outputs(
            args("grade --format=junit --output=r.xml --format markdown"),
            2,
        )
        .expect("ok");
        assert_eq!(d, vec![Some(PathBuf::from("r.xml")), None]);
        let d = pair_outputs(args("exercise 2.1 --output r.txt"), 1).expect("ok");
        assert_eq!(d, vec![Some(PathBuf::from("r.txt"))]);
        assert!(pair_outputs(args("grade --format json --format tap"), 2).is_err());
        assert!(pair_outputs(args("grade --format json --output a --output b"), 1).is_err());
    }
}
