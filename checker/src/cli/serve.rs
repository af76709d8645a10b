//! `checker serve`: builds the course book in-process, serves it on 127.0.0.1 with a
//! « Vérifier » button on each card, and opens the browser (see [`crate::serve`]).

use std::sync::Arc;

use colored::Colorize;

use tokio::sync::watch;

use super::connect::stop_requested;
use super::{Cli, EXIT_OK, parse_timeout, usage};
use crate::catalog::Catalog;
use crate::docker::{self, Environment, changes, helper};
use crate::runner::RunOptions;
use crate::serve::{Server, serve, sources};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// N'ouvre pas le navigateur (l'adresse est affichée).
    #[arg(long)]
    pub no_open: bool,
    /// Port sur 127.0.0.1 (par défaut, un port libre).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Durée maximale d'une tentative de vérification (par exemple 10s).
    #[arg(long, value_name = "DURÉE", default_value = "15s")]
    pub timeout: String,
    /// Compare l'état de Docker toutes les 2 s au lieu de suivre ses événements.
    #[arg(long)]
    pub poll: bool,
}

pub async fn run(cli: &Cli, catalog: Catalog, args: &ServeArgs) -> u8 {
    let attempt_timeout = match parse_timeout(&args.timeout) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    // Without Docker the course is still worth reading: serve it, and let each
    // « Vérifier » try to reach the engine (Docker Desktop started afterwards).
    let connection = match docker::connect(&Environment::from_process()).await {
        Ok(c) => Some(c),
        Err((_, why)) => {
            tell!(
                "{} {}\nLe cours est servi quand même : chaque « Vérifier » cherchera Docker de nouveau.",
                "Docker ne répond pas :".yellow().bold(),
                why.explain()
            );
            None
        }
    };
    let progress = super::progress::load(cli);
    tell!("Construction du livre…");
    let warnings = crate::book::capture_warnings();
    let book = match sources::build(cli.catalog.as_deref(), progress.user.as_deref()) {
        Ok(b) => b,
        Err(e) => return usage(format!("construction du livre impossible :\n{e:#}")),
    };
    let _ = warnings;
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await {
        Ok(l) => l,
        Err(e) => {
            return usage(format!(
                "impossible d'écouter sur 127.0.0.1:{} ({e}) : choisissez un autre port avec --port, ou --port 0",
                args.port
            ));
        }
    };
    let address = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return usage(format!("adresse d'écoute inconnue : {e}")),
    };
    // With no engine yet, no live mode: a channel that never changes (its sender kept
    // until the server stops).
    let (_quiet, quiet_changes) = watch::channel(0u64);
    let (changed, mode) = match &connection {
        Some(c) => {
            let (changed, mode) = changes::start(c.docker.clone(), args.poll);
            (changed, Some(mode))
        }
        None => (quiet_changes, None),
    };
    let server = match Server::new(
        book.html.clone(),
        address,
        catalog,
        connection,
        super::progress::store(cli),
        changed,
        RunOptions { attempt_timeout },
        std::env::current_dir().unwrap_or_default(),
    ) {
        Ok(s) => Arc::new(s),
        Err(e) => return usage(e),
    };
    let url = server.url();
    say!("Le cours est servi sur {}", url.bold());
    let live = match mode.as_ref().map(|m| *m.borrow()) {
        Some(changes::Mode::Events) => "Vérifications en direct (événements de Docker)",
        Some(changes::Mode::Polling) => {
            "Vérifications en direct (état de Docker comparé toutes les 2 s)"
        }
        None => "Pas de vérifications en direct sans Docker (relancez `checker serve` ensuite)",
    };
    say!(
        "{}",
        format!("{live}. Ctrl-C pour arrêter le serveur.").dimmed()
    );
    if !args.no_open && !open_browser(&url) {
        say!("Ouvrez cette adresse dans votre navigateur.");
    }
    serve(listener, server.clone(), stop_requested()).await;
    if let Some(connection) = server.reached_engine() {
        helper::remove_all(&connection.docker).await;
    }
    drop(book);
    say!("Serveur arrêté.");
    EXIT_OK
}

/// Opens the address in the default browser; false when no opener could be started.
fn open_browser(url: &str) -> bool {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}
