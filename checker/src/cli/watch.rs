//! `checker watch [ID]`: checks an exercise again each time Docker's state changes,
//! redrawing the report in place, as rustlings' watch mode does for code.
//!
//! Changes come from the engine's events, debounced, or from polling where events are
//! unavailable (see [`crate::docker::changes`]). Keys, read one at a time (no Enter):
//! `i` the hints, `s` the next exercise, `l` the list, `q` to quit; Ctrl-C quits too.
//! Quitting removes any helper container still alive. Plain escape sequences only (clear
//! the screen, go home): it works over ssh and in any terminal.

use colored::Colorize;
use tokio::sync::mpsc;

use super::connect::{connect_or_explain, context, stop_requested};
use super::{Cli, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Format, find, parse_timeout, usage};
use crate::catalog::{Catalog, Exercise};
use crate::docker::{changes, helper};
use crate::markdown::to_terminal;
use crate::outcome::ExerciseResult;
use crate::progress::{Mark, Progress};
use crate::runner::{self, RunOptions};

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Exercice à surveiller (par défaut, le premier qui n'est pas encore réussi).
    pub id: Option<String>,
    /// Valeur d'une variable de l'exercice (répétable), par exemple --var user=alice.
    #[arg(long = "var", value_name = "NOM=VALEUR")]
    pub vars: Vec<String>,
    /// Durée maximale d'une tentative de vérification (par exemple 10s).
    #[arg(long, value_name = "DURÉE", default_value = "15s")]
    pub timeout: String,
    /// Compare l'état de Docker toutes les 2 s au lieu de suivre ses événements.
    #[arg(long)]
    pub poll: bool,
}

/// What the screen shows under the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Report,
    Hints,
    List,
}

pub async fn run(cli: &Cli, catalog: &Catalog, args: &WatchArgs) -> u8 {
    let attempt_timeout = match parse_timeout(&args.timeout) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    let progress = super::progress::load(cli);
    let mut id = match &args.id {
        Some(id) => match find(catalog, id) {
            Some(entry) if entry.exercise.informational => {
                return usage(format!(
                    "l'exercice {id} est informatif : il n'y a rien à surveiller."
                ));
            }
            Some(entry) => entry.exercise.id.clone(),
            None => return EXIT_USAGE,
        },
        None => match next_to_do(catalog, &progress, None) {
            Some(id) => id,
            None => {
                say!("Tous les exercices sont réussis. Bravo !");
                return EXIT_OK;
            }
        },
    };
    let connection = match connect_or_explain(Format::Text).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (mut changed, mode) = changes::start(connection.docker.clone(), args.poll);
    let terminal = TerminalGuard::save();
    let mut keys = read_keys();
    let mut view = View::Report;
    let stop = stop_requested();
    tokio::pin!(stop);
    let mut last: Option<(ExerciseResult, Exercise, Option<String>)> = None;
    let code = loop {
        if last.is_none() {
            let progress = super::progress::load(cli);
            let exercise = match catalog
                .get(&id)
                .ok_or_else(|| format!("l'exercice {id} n'existe pas"))
                .and_then(|entry| super::progress::resolve(entry, &args.vars, &progress))
            {
                Ok(x) => x,
                Err(e) => break usage(e),
            };
            // A change while checking is seen by the next wait, not lost.
            changed.borrow_and_update();
            let ctx = context(&connection);
            let result = tokio::select! {
                result = runner::run_exercise(&ctx, &exercise, RunOptions { attempt_timeout }) => result,
                () = &mut stop => break EXIT_INTERRUPTED,
            };
            helper::remove_all(&connection.docker).await;
            super::progress::record(cli, std::slice::from_ref(&result));
            let progress = super::progress::load(cli);
            let next = next_to_do(catalog, &progress, Some(&id));
            last = Some((result, exercise, next));
        }
        let Some((result, exercise, next)) = &last else {
            continue;
        };
        let progress = super::progress::load(cli);
        let polling = *mode.borrow() == changes::Mode::Polling;
        draw(
            result,
            exercise,
            view,
            catalog,
            &progress,
            next.as_deref(),
            polling,
            keys.is_some(),
        );
        let key = async {
            match keys.as_mut() {
                Some(k) => k.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            c = changed.changed() => {
                if c.is_err() {
                    // The watcher is gone: nothing will tell of a change any more.
                    break EXIT_OK;
                }
                last = None;
            }
            k = key => match k {
                Some('q') => break EXIT_OK,
                Some('i' | 'h') => view = if view == View::Hints { View::Report } else { View::Hints },
                Some('l') => view = if view == View::List { View::Report } else { View::List },
                Some('s' | 'n') => {
                    if let Some(n) = next {
                        id = n.clone();
                        view = View::Report;
                        last = None;
                    }
                }
                Some('r') => last = None,
                Some(_) => {}
                None => keys = None,
            },
            () = &mut stop => break EXIT_INTERRUPTED,
        }
    };
    helper::remove_all(&connection.docker).await;
    drop(terminal);
    if code == EXIT_INTERRUPTED {
        tell!(
            "\n{} les conteneurs d'aide du checker ont été supprimés.",
            "Interrompu :".bold()
        );
    } else {
        say!("\nFin de la surveillance.");
    }
    code
}

/// The first exercise after `after` (or from the start) that is not done yet; the
/// first not done at all when everything after is.
fn next_to_do(catalog: &Catalog, progress: &Progress, after: Option<&str>) -> Option<String> {
    let checked: Vec<&str> = catalog
        .entries()
        .iter()
        .filter(|e| !e.exercise.informational)
        .map(|e| e.exercise.id.as_str())
        .collect();
    let start = after
        .and_then(|a| checked.iter().position(|id| *id == a))
        .map_or(0, |i| i + 1);
    checked[start..]
        .iter()
        .chain(checked[..start].iter())
        .find(|id| progress.mark(id) != Mark::Done && Some(**id) != after)
        .map(|id| (*id).to_string())
}

#[allow(clippy::too_many_arguments)]
fn draw(
    result: &ExerciseResult,
    exercise: &Exercise,
    view: View,
    catalog: &Catalog,
    progress: &Progress,
    next: Option<&str>,
    polling: bool,
    keys: bool,
) {
    // Clear the screen and go home: redrawn in place, no scrolling history of reports.
    let mut out = String::from("\x1b[2J\x1b[H");
    let block = crate::report::text::exercise_block(result).replace(
        &format!("puis relancez `checker exercise {}`.", result.id),
        ": le checker revérifie dès que Docker change.",
    );
    out.push_str(&block);
    if result.all_passed() {
        match next {
            Some(n) => out.push_str(&format!(
                "{} exercice {n} — {}.\n",
                "Suivant :".green().bold(),
                catalog
                    .get(n)
                    .map(|e| to_terminal(&e.exercise.title))
                    .unwrap_or_default()
            )),
            None => out.push_str(&format!(
                "{}\n",
                "Tous les exercices sont réussis !".green().bold()
            )),
        }
    }
    match view {
        View::Report => {}
        View::Hints => {
            out.push_str(&format!("\n{}\n", "Indices".bold()));
            for c in exercise.checks.iter().filter(|c| c.hint.is_some()) {
                out.push_str(&format!("• {}\n", to_terminal(&c.title).bold()));
                for line in to_terminal(c.hint.as_deref().unwrap_or_default()).lines() {
                    out.push_str(&format!("  {line}\n"));
                }
            }
        }
        View::List => {
            out.push_str(&format!("\n{}\n", "Exercices".bold()));
            for e in catalog
                .entries()
                .iter()
                .filter(|e| !e.exercise.informational)
            {
                let mark = progress.mark(&e.exercise.id);
                let symbol = match mark {
                    Mark::Done => mark.symbol().green().to_string(),
                    Mark::Failed => mark.symbol().red().to_string(),
                    Mark::Todo => mark.symbol().dimmed().to_string(),
                };
                let here = if e.exercise.id == result.id {
                    "›"
                } else {
                    " "
                };
                out.push_str(&format!(
                    "{here}{symbol} {:<5} {}\n",
                    e.exercise.id,
                    to_terminal(&super::progress::shown(e, progress).title)
                ));
            }
        }
    }
    let how = if polling {
        "état de Docker comparé toutes les 2 s"
    } else {
        "événements de Docker"
    };
    out.push_str(&format!(
        "\n{}\n",
        if keys {
            format!("[i] indices  [s] suivant  [l] liste  [r] revérifier  [q] quitter · surveillance : {how}")
        } else {
            format!("Ctrl-C pour quitter · surveillance : {how}")
        }
        .dimmed()
    ));
    // In raw mode (a key being read), a bare \n does not return the carriage.
    say_raw!("{}", out.replace('\n', "\r\n"));
}

/// Keys typed in the terminal, one at a time; `None` without a terminal (a pipe, CI):
/// the watch then runs until Ctrl-C.
fn read_keys() -> Option<mpsc::UnboundedReceiver<char>> {
    let term = console::Term::stdout();
    if !term.is_term() || !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return None;
    }
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        loop {
            // Ctrl-C in raw mode: console restores the terminal and raises SIGINT,
            // which `stop_requested` catches.
            let Ok(key) = term.read_key() else {
                return;
            };
            let c = match key {
                console::Key::Char(c) => c.to_ascii_lowercase(),
                console::Key::Enter => 'r',
                console::Key::Escape => 'q',
                _ => continue,
            };
            if tx.send(c).is_err() || c == 'q' {
                return;
            }
        }
    });
    Some(rx)
}

/// The terminal's settings when the watch started, put back when it ends: the key
/// reader may be waiting in raw mode when a `kill` stops the watch.
struct TerminalGuard {
    #[cfg(unix)]
    saved: Option<libc::termios>,
}

impl TerminalGuard {
    fn save() -> Self {
        #[cfg(unix)]
        {
            let mut termios = std::mem::MaybeUninit::<libc::termios>::uninit();
            // SAFETY: tcgetattr writes a termios into the buffer it is given and
            // reports failure (not a terminal) by its return value, checked here.
            let saved = unsafe {
                (libc::tcgetattr(libc::STDIN_FILENO, termios.as_mut_ptr()) == 0)
                    .then(|| termios.assume_init())
            };
            Self { saved }
        }
        #[cfg(not(unix))]
        {
            Self {}
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            // SAFETY: the settings read from this same descriptor at the start.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved);
            }
        }
    }
}
