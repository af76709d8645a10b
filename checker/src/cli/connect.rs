//! Reaching Docker for a command: the connection, the checks' context, and a run that
//! stops cleanly on Ctrl-C.

use colored::Colorize;
use tokio::task::JoinHandle;

use super::{EXIT_DOCKER, Format};
use crate::checks::Context;
use crate::docker::{self, Connection, Environment, helper};
use crate::report::{self, DockerFacts};

/// Connects to Docker, or prints why not (French, with the fix) and gives exit code 3.
pub async fn connect_or_explain(format: Format) -> Result<Connection, u8> {
    connect_or_explain_why(format)
        .await
        .map_err(|(code, _)| code)
}

/// [`connect_or_explain`], also giving why (for reports that must say so).
pub async fn connect_or_explain_why(format: Format) -> Result<Connection, (u8, String)> {
    let environment = Environment::from_process();
    let connected = docker::connect(&environment).await;
    explain(format, &environment, connected).await
}

/// Starts reaching the engine in the background, for a command that has its own reading
/// to do meanwhile (the exercise file, the progress): [`explain_early`] takes the answer.
pub fn connect_early() -> Early {
    let environment = Environment::from_process();
    let (endpoint, connecting) = match docker::endpoint::resolve(&environment) {
        Ok(endpoint) => {
            let connecting = tokio::spawn(docker::connect_endpoint(endpoint.clone()));
            (Some(endpoint), connecting)
        }
        Err(m) => (
            None,
            tokio::spawn(async move { Err((None, docker::Unreachable::Config(m))) }),
        ),
    };
    Early {
        environment,
        endpoint,
        connecting,
    }
}

/// A connection under way, and the endpoint it goes to (when the configuration names
/// one): where published ports open, for pages asked for meanwhile.
pub struct Early {
    environment: Environment,
    pub endpoint: Option<docker::Endpoint>,
    connecting: JoinHandle<Connected>,
}

/// The answer of [`connect_early`], or why there is none, printed as
/// [`connect_or_explain`] prints it.
pub async fn explain_early(format: Format, early: Early) -> Result<Connection, u8> {
    let connected = match early.connecting.await {
        Ok(connected) => connected,
        Err(e) => Err((
            None,
            docker::Unreachable::Config(format!("connexion interrompue : {e}")),
        )),
    };
    explain(format, &early.environment, connected)
        .await
        .map_err(|(code, _)| code)
}

/// What [`docker::connect`] gives.
type Connected = Result<Connection, (Option<docker::Endpoint>, docker::Unreachable)>;

/// The connection, or why there is none printed (French, with the fix) and exit code 3.
async fn explain(
    format: Format,
    environment: &Environment,
    connected: Connected,
) -> Result<Connection, (u8, String)> {
    match connected {
        Ok(c) => Ok(c),
        Err((endpoint, why)) => {
            // A stale `DOCKER_HOST` (left by a tutorial, a VM gone) while the usual
            // endpoint answers: the fix is one command, say it.
            let stale_host = if environment.docker_host.is_some()
                && endpoint
                    .as_ref()
                    .is_some_and(|e| e.source == docker::Source::DockerHost)
            {
                let without = Environment {
                    docker_host: None,
                    ..environment.clone()
                };
                docker::connect(&without)
                    .await
                    .ok()
                    .map(|c| c.endpoint.host)
            } else {
                None
            };
            let why_text = match &stale_host {
                Some(other) => format!(
                    "{}\n→ Pourtant Docker répond sur {other} : DOCKER_HOST pointe ailleurs. \
                     Lancez `unset DOCKER_HOST` (PowerShell : `Remove-Item Env:DOCKER_HOST`) puis relancez.",
                    why.explain()
                ),
                None => why.explain(),
            };
            let reason = match &endpoint {
                Some(endpoint) => format!("{why_text} ({})", endpoint.host),
                None => why_text.clone(),
            };
            if format == Format::Json {
                let doc = serde_json::json!({
                    "schema_version": report::SCHEMA_VERSION,
                    "error": "docker_unreachable",
                    "endpoint": endpoint.as_ref().map(|e| e.host.clone()),
                    "message": why_text,
                });
                say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                super::error("Docker est injoignable.");
                if let Some(endpoint) = &endpoint {
                    tell!(
                        "Point d'accès : {} ({})",
                        endpoint.host,
                        endpoint.source.explain()
                    );
                }
                tell!("{why_text}");
            }
            Err((EXIT_DOCKER, reason))
        }
    }
}

/// What the checks need: the engine, the working folder, where ports are published.
pub fn context(connection: &Connection) -> Context {
    Context::new(
        connection.docker.clone(),
        std::env::current_dir().unwrap_or_default(),
    )
    .with_engine_address(&connection.endpoint.host)
}

/// The engine facts a report records; the engine's version only when asked for (see
/// [`crate::cli::Format::records_engine`]), since it costs a `/version`.
pub async fn facts(connection: &Connection, engine_version: bool) -> DockerFacts {
    let engine_version = if engine_version {
        connection.about().await.engine_version.clone()
    } else {
        String::new()
    };
    DockerFacts {
        endpoint: connection.endpoint.host.clone(),
        engine_version,
        api_version: connection.api_version.clone(),
    }
}

/// Runs `work` until it ends or the process is asked to stop (Ctrl-C, `kill`, a closed
/// terminal), then removes any helper container still alive: on interruption, and after
/// a check abandoned on its timeout. Done once, when the whole run is over: the registry
/// of helpers is process-wide, and exercises graded side by side must not lose the
/// helper they are reading. Helpers that killed runs left behind are swept then too
/// (not while the checks run: the engine's time is theirs).
pub async fn interruptible<T>(
    connection: &Connection,
    work: impl std::future::Future<Output = T>,
) -> Option<T> {
    interruptible_then(connection, work, |value| async { value }).await
}

/// [`interruptible`], then `after` with what `work` gave (writing the report), done
/// while the helpers are being removed: the verdict is shown without waiting for the
/// engine to delete them, and the process still ends only once they are gone.
pub async fn interruptible_then<T, R, F>(
    connection: &Connection,
    work: impl std::future::Future<Output = T>,
    after: impl FnOnce(T) -> F,
) -> Option<R>
where
    F: std::future::Future<Output = R>,
{
    tokio::select! {
        value = work => {
            let ((), (), done) = tokio::join!(
                helper::remove_all(&connection.docker),
                helper::sweep_orphans(&connection.docker),
                after(value)
            );
            Some(done)
        }
        _ = stop_requested() => {
            helper::remove_all(&connection.docker).await;
            tell!("\n{} les conteneurs d'aide du checker ont été supprimés.", "Interrompu :".bold());
            None
        }
    }
}

/// Ctrl-C, and on Unix also SIGTERM (`kill`, CI cancelling a job) and SIGHUP (the
/// terminal closed).
pub(super) async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
