//! The command line: parsing, dispatch, exit codes — one file per command.
//!
//! Exit codes are part of the interface (scripts and CI depend on them):
//! 0 all passed, 1 a check failed (or could not be checked), 2 usage or catalogue
//! error, 3 Docker unreachable, 130 interrupted.
//!
//! Every command returns its exit code as a `u8`; every error a person reads goes
//! through [`error`], so they all look alike (« erreur : … » in red on a terminal).

/// Writes a line to stdout without ever panicking (see [`write_out`]).
macro_rules! say {
    () => {
        $crate::cli::write_out("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::write_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// [`say!`] without the newline.
macro_rules! say_raw {
    ($($arg:tt)*) => {
        $crate::cli::write_out(&format!($($arg)*))
    };
}

/// Writes a line to stderr; a closed stderr is not worth failing for.
macro_rules! tell {
    () => {
        $crate::cli::write_err("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::write_err(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod args;
mod book;
mod class;
mod connect;
mod dev;
mod doctor;
mod exercise;
mod grade;
mod hint;
mod init;
mod lint;
mod list;
mod output;
pub mod progress;
mod reset;
mod schema;
mod serve;
mod solution;
mod solve;
mod validate;
mod watch;

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use colored::Colorize;

pub use args::{ClassArgs, Cli, Command, Format, GradeArgs};
pub use output::render;

use crate::catalog::{Catalog, Entry};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_DOCKER: u8 = 3;
/// Ctrl-C (the shell's convention: 128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;
/// The output could not be written (disk full, a file that cannot be created…).
pub const EXIT_WRITE: u8 = 4;

/// The first error met writing to stdout, if any: commands write as they go, and the
/// exit code says at the end whether everything was written.
static STDOUT_ERROR: std::sync::Mutex<Option<std::io::ErrorKind>> = std::sync::Mutex::new(None);

/// Writes to stdout. `println!` panics when stdout is closed (`checker schema | head
/// -c1`) or full (`> /dev/full`); this records the error instead and stops writing.
pub fn write_out(text: &str) {
    use std::io::Write;
    let Ok(mut failed) = STDOUT_ERROR.lock() else {
        return;
    };
    if failed.is_some() {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        *failed = Some(e.kind());
    }
}

/// Writes to stderr, ignoring errors (there is nowhere left to report them).
pub fn write_err(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// The exit code once the command is done: its own, unless stdout could not be
/// written. A closed pipe ends quietly, as it does for `grep` or ripgrep: whoever read
/// the output has what they wanted.
fn settle(code: u8) -> u8 {
    let failed = STDOUT_ERROR.lock().ok().and_then(|f| *f);
    match failed {
        None | Some(std::io::ErrorKind::BrokenPipe) => code,
        Some(kind) => {
            error(format!(
                "écriture sur la sortie standard impossible ({}) : rien n'a été perdu sur l'hôte, \
                 relancez la commande vers un autre fichier",
                describe_kind(kind)
            ));
            EXIT_WRITE
        }
    }
}

fn describe_kind(kind: std::io::ErrorKind) -> String {
    match kind {
        std::io::ErrorKind::StorageFull => "disque plein".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission refusée".to_string(),
        other => other.to_string(),
    }
}

/// Parses the arguments and runs; returns the process exit code.
pub fn main() -> ExitCode {
    quiet_panics();
    let cli = match args::parse() {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(settle(code)),
    };
    setup_color(cli.no_color);
    let code = run(cli);
    ExitCode::from(settle(code))
}

/// A bug must not greet a student with a Rust backtrace: one French line instead, with
/// what to report (`RUST_BACKTRACE=1` still shows the trace to whoever asks for it).
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        write_err(&format!(
            "erreur interne du checker{location} : {}\nSignalez-la aux auteurs du cours avec la commande lancée.\n",
            info.payload_as_str().unwrap_or("erreur inconnue")
        ));
    }));
}

/// Prints an error for a person: « erreur : » then the message, on stderr.
pub fn error(message: impl Display) {
    tell!("{} {message}", "erreur :".red().bold());
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

fn run(cli: Cli) -> u8 {
    // The book commands bring their own catalogue (book.toml says which); `validate`
    // reports a broken catalogue instead of refusing to start; `doctor` needs none.
    match &cli.command {
        Command::Validate { dir } => return validate::run(dir.as_deref()),
        Command::Mdbook { args } => return book::preprocessor(args),
        Command::Book {
            root,
            dest,
            deny_warnings,
        } => return book::build(root, dest.as_deref(), *deny_warnings),
        Command::Schema => return schema::run(),
        Command::Doctor => return asynchronously(doctor::run(&cli)),
        Command::Lint(args) => return lint::run(&cli, args),
        _ => {}
    }
    // A command about one exercise of the course reads that exercise's file only.
    let one = match &cli.command {
        Command::Exercise { id, .. } | Command::Hint { id, .. } | Command::Solution { id, .. } => {
            Some(id.as_str())
        }
        Command::Solve(args) | Command::Reset(args) => Some(args.id.as_str()),
        _ => None,
    };
    let catalog = match (&cli.catalog, one.and_then(Catalog::embedded_exercise)) {
        (Some(dir), _) => Catalog::from_dir(dir),
        (None, Some(only)) => only,
        (None, None) => Catalog::embedded(),
    };
    let catalog = match catalog {
        Ok(c) => c,
        Err(e) => return usage(format!("le catalogue d'exercices est invalide :\n{e}")),
    };
    match &cli.command {
        Command::Exercise { id, vars, timeout } => {
            asynchronously(exercise::run(&cli, &catalog, id, vars, timeout))
        }
        Command::List { chapter } => list::run(&cli, &catalog, *chapter),
        Command::Hint { id, check, vars } => hint::run(&cli, &catalog, id, check.as_deref(), vars),
        Command::Progress(args) => progress::run(&cli, &catalog, args),
        Command::Solution { id, vars } => solution::run(&cli, &catalog, id, vars),
        Command::Solve(args) => solve::run(&cli, &catalog, args),
        Command::Reset(args) => reset::run(&cli, &catalog, args),
        Command::Watch(args) => asynchronously(watch::run(&cli, &catalog, args)),
        Command::Dev { command } => asynchronously(dev::run(&catalog, command)),
        Command::Serve(args) => asynchronously(serve::run(&cli, catalog, args)),
        Command::Init { id, dir } => init::run(&catalog, id, dir.as_deref()),
        Command::Grade(args) => asynchronously(grade::run(&cli, &catalog, args)),
        Command::Class(args) => class::run(&cli, &catalog, args),
        // Dispatched above, before the catalogue is loaded; never reached.
        Command::Book { .. }
        | Command::Mdbook { .. }
        | Command::Validate { .. }
        | Command::Schema
        | Command::Doctor
        | Command::Lint(_) => EXIT_USAGE,
    }
}

/// Runs a command that talks to Docker. Only those start the asynchronous runtime:
/// `list`, `hint` or `--version` have no use for its threads.
fn asynchronously(work: impl std::future::Future<Output = u8>) -> u8 {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(work),
        Err(e) => usage(format!("impossible de démarrer le moteur asynchrone : {e}")),
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
        tell!("Vouliez-vous dire : {} ?", suggestions.join(", "));
    }
    tell!("La liste des exercices : `checker list`.");
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
    let duration = humantime::parse_duration(text)
        .map_err(|e| format!("--timeout « {text} » invalide ({e}) : écrivez par exemple 10s"))?;
    if duration < Duration::from_millis(100) {
        return Err(format!(
            "--timeout « {text} » : trop court pour qu'une vérification aboutisse (au moins 100ms, par exemple 10s)"
        ));
    }
    Ok(duration)
}
