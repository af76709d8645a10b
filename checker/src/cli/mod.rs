//! The command line: parsing, dispatch, exit codes — one file per command.
//!
//! Exit codes are part of the interface (scripts and CI depend on them):
//! 0 all passed, 1 a check failed (or could not be checked), 2 usage or catalogue
//! error, 3 Docker unreachable, 130 interrupted.
//!
//! Every command returns its exit code as a `u8`; every error a person reads goes
//! through [`error`], so they all look alike (« erreur : … » in red on a terminal).

mod args;
mod book;
mod connect;
mod doctor;
mod exercise;
mod grade;
mod hint;
mod init;
mod list;
mod output;
mod schema;
mod validate;

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use colored::Colorize;

pub use args::{Cli, Command, Format, GradeArgs};
pub use output::render;

use crate::catalog::{Catalog, Entry};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_DOCKER: u8 = 3;
/// Ctrl-C (the shell's convention: 128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Parses the arguments and runs; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match args::parse() {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code),
    };
    setup_color(cli.no_color);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            error(format!("impossible de démarrer le moteur asynchrone : {e}"));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    ExitCode::from(runtime.block_on(run(cli)))
}

/// Prints an error for a person: « erreur : » then the message, on stderr.
pub fn error(message: impl Display) {
    eprintln!("{} {message}", "erreur :".red().bold());
}

/// [`error`], then the usage exit code: the common way a command gives up.
fn usage(message: impl Display) -> u8 {
    error(message);
    EXIT_USAGE
}

fn setup_color(no_color: bool) {
    let env_off = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    colored::control::set_override(!(no_color || env_off || !std::io::stdout().is_terminal()));
}

async fn run(cli: Cli) -> u8 {
    // The book commands bring their own catalogue (book.toml says which); `validate`
    // reports a broken catalogue instead of refusing to start.
    match &cli.command {
        Command::Validate { dir } => return validate::run(dir.as_deref()),
        Command::Mdbook { args } => return book::preprocessor(args),
        Command::Book {
            root,
            dest,
            deny_warnings,
        } => return book::build(root, dest.as_deref(), *deny_warnings),
        Command::Schema => return schema::run(),
        _ => {}
    }
    let catalog = match &cli.catalog {
        Some(dir) => Catalog::from_dir(dir),
        None => Catalog::embedded(),
    };
    let catalog = match catalog {
        Ok(c) => c,
        Err(e) => return usage(format!("le catalogue d'exercices est invalide :\n{e}")),
    };
    match &cli.command {
        Command::Exercise { id, vars, timeout } => {
            exercise::run(&cli, &catalog, id, vars, timeout).await
        }
        Command::List { chapter } => list::run(&cli, &catalog, *chapter),
        Command::Hint { id, check } => hint::run(&catalog, id, check.as_deref()),
        Command::Doctor => doctor::run(&cli).await,
        Command::Init { id, dir } => init::run(&catalog, id, dir.as_deref()),
        Command::Grade(args) => grade::run(&cli, &catalog, args).await,
        // Dispatched above, before the catalogue is loaded; never reached.
        Command::Book { .. }
        | Command::Mdbook { .. }
        | Command::Validate { .. }
        | Command::Schema => EXIT_USAGE,
    }
}

/// Finds an exercise or prints the unknown-id message with suggestions.
pub fn find<'a>(catalog: &'a Catalog, id: &str) -> Option<&'a Entry> {
    if let Some(entry) = catalog.get(id) {
        return Some(entry);
    }
    error(format!("l'exercice « {id} » n'existe pas."));
    let suggestions = catalog.suggest(id);
    if !suggestions.is_empty() {
        eprintln!("Vouliez-vous dire : {} ?", suggestions.join(", "));
    }
    eprintln!("La liste des exercices : `checker list`.");
    None
}

/// `--var NAME=VALUE` options as a map.
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
