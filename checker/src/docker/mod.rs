//! The connection to the student's Docker engine, and what to say when there is none.

pub mod changes;
pub mod endpoint;
pub mod engine;
pub mod helper;
pub mod image_files;
pub mod own_traffic;
mod ping;
pub mod snapshot;

use std::sync::Arc;

use bollard::errors::Error as BollardError;
use bollard::models::SystemVersion;
use bollard::{ClientVersion, Docker};
use tokio::sync::OnceCell;

pub use endpoint::{Endpoint, Environment, Source};

/// Request timeout given to bollard. It covers response headers only: streams (logs,
/// exec output, events) get their own deadline where they are read.
const TIMEOUT_SECS: u64 = 10;

/// How long the first answer (`/_ping` or `/version`) may take.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A live connection. What the engine is (its version, platform, system) is asked only
/// by those who show it (`doctor`, the reports that record it), in the background while
/// the checks run: they never wait for it.
#[derive(Debug, Clone)]
pub struct Connection {
    pub docker: Docker,
    pub endpoint: Endpoint,
    /// The engine's API version (its newest), as it said it.
    pub api_version: String,
    about: Arc<OnceCell<About>>,
}

/// The engine's `/version`, in the words `doctor` and the reports use.
#[derive(Debug, Clone, Default)]
pub struct About {
    pub engine_version: String,
    /// `Docker Engine - Community`, `Podman Engine`...
    pub platform: String,
    pub os: String,
    pub arch: String,
    /// The whole answer, for those who need more (the product, the oldest API).
    pub version: SystemVersion,
}

impl About {
    fn of(version: SystemVersion) -> About {
        // Podman names its platform after the host's OS (`linux/amd64/debian-12`): its
        // component says what it is.
        let platform = if engine::product(&version, None) == "Podman" {
            "Podman Engine".to_string()
        } else {
            version
                .platform
                .as_ref()
                .map(|p| p.name.clone())
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| "Docker Engine".to_string())
        };
        About {
            engine_version: version.version.clone().unwrap_or_default(),
            platform,
            os: version.os.clone().unwrap_or_default(),
            arch: version.arch.clone().unwrap_or_default(),
            version,
        }
    }
}

impl Connection {
    /// What the engine is; asked once per process (an engine that stopped answering
    /// since the connection gives empty facts, not an error).
    pub async fn about(&self) -> &About {
        self.about
            .get_or_init(|| async {
                match tokio::time::timeout(CONNECT_TIMEOUT, self.docker.version()).await {
                    Ok(Ok(version)) => About::of(version),
                    _ => About::default(),
                }
            })
            .await
    }

    /// Starts asking what the engine is, without waiting: reports are written after
    /// the checks, and the answer is there by then.
    pub fn ask_about_early(&self) {
        let connection = self.clone();
        tokio::spawn(async move {
            connection.about().await;
        });
    }
}

/// Why the engine could not be reached, each with the fix a student needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// The configuration itself is broken (unknown context, bad config.json).
    Config(String),
    SocketMissing {
        path: String,
    },
    PermissionDenied {
        path: String,
    },
    Refused {
        host: String,
    },
    Other {
        host: String,
        detail: String,
    },
}

impl Unreachable {
    /// A French explanation and what to do, several lines.
    pub fn explain(&self) -> String {
        match self {
            Unreachable::Config(message) => format!("Configuration Docker invalide : {message}"),
            Unreachable::SocketMissing { path } => format!(
                "Le socket Docker {path} n'existe pas : le démon Docker ne tourne pas (ou n'est pas installé).\n\
                 → Linux : `sudo systemctl start docker` (ou `sudo service docker start`).\n\
                 → macOS / Windows : lancez Docker Desktop (ou `colima start`) et attendez qu'il soit prêt.\n\
                 → Vérifiez ensuite avec `docker info`, puis `checker doctor`."
            ),
            Unreachable::PermissionDenied { path } => format!(
                "Permission refusée sur le socket Docker {path} : votre utilisateur n'a pas le droit d'y accéder.\n\
                 → Ajoutez-vous au groupe docker : `sudo usermod -aG docker $USER`,\n\
                 → puis ouvrez une nouvelle session (ou lancez `newgrp docker`) et réessayez.\n\
                 → Attention : le groupe docker donne des droits équivalents à root sur cette machine."
            ),
            Unreachable::Refused { host } => format!(
                "Le démon Docker ne répond pas sur {host} (connexion refusée) : il est arrêté ou en train de démarrer.\n\
                 → Linux : `sudo systemctl start docker` ; macOS / Windows : lancez Docker Desktop.\n\
                 → Vérifiez ensuite avec `docker info`."
            ),
            Unreachable::Other { host, detail } => format!(
                "Impossible de joindre le démon Docker sur {host} : {detail}\n\
                 → Vérifiez que `docker info` fonctionne dans ce terminal, puis lancez `checker doctor`."
            ),
        }
    }
}

/// Resolves the endpoint like the CLI and connects, negotiating the API version so an
/// older engine (Debian's 20.10 speaks API 1.41) is spoken to in its own version.
pub async fn connect(env: &Environment) -> Result<Connection, (Option<Endpoint>, Unreachable)> {
    let endpoint = endpoint::resolve(env).map_err(|m| (None, Unreachable::Config(m)))?;
    connect_endpoint(endpoint).await
}

/// [`connect`] to an endpoint resolved already.
pub async fn connect_endpoint(
    endpoint: Endpoint,
) -> Result<Connection, (Option<Endpoint>, Unreachable)> {
    match connect_to(&endpoint).await {
        Ok(connection) => Ok(connection),
        Err(why) => Err((Some(endpoint), why)),
    }
}

async fn connect_to(endpoint: &Endpoint) -> Result<Connection, Unreachable> {
    let host = endpoint.host.as_str();
    if let Some(path) = endpoint.unix_path()
        && let Some(why) = probe_socket(path)
    {
        return Err(why);
    }
    // A healthy engine answers in milliseconds; one that accepts connections but never
    // answers should not keep the student waiting the full request timeout.
    let silent = || Unreachable::Other {
        host: host.to_string(),
        detail: format!(
            "le moteur ne répond pas en {} s (la connexion s'ouvre mais rien ne répond : \
             mauvais port, proxy, ou machine virtuelle figée ?)",
            CONNECT_TIMEOUT.as_secs()
        ),
    };
    let pinged = tokio::time::timeout(CONNECT_TIMEOUT, ping::ping(endpoint))
        .await
        .map_err(|_| silent())?
        .map_err(|e| classify_io(host, &e))?;
    if let ping::Pinged::Version(api_version) = pinged
        && let Some(server) = parse_api_version(&api_version)
    {
        let docker = client(endpoint, newest_common(&server)).map_err(|e| classify(host, &e))?;
        let connection = Connection {
            docker,
            endpoint: endpoint.clone(),
            api_version,
            about: Arc::default(),
        };
        return Ok(connection);
    }
    // One request: `/version` answers even at a newer API version than the engine's
    // (that is how bollard's own negotiation reads it), and tells the version to speak.
    // The client is then rebuilt at that version, which costs no I/O.
    let docker = client(endpoint, bollard::API_DEFAULT_VERSION).map_err(|e| classify(host, &e))?;
    let version = tokio::time::timeout(CONNECT_TIMEOUT, docker.version())
        .await
        .map_err(|_| silent())?
        .map_err(|e| classify(host, &e))?;
    let docker = match version.api_version.as_deref().and_then(parse_api_version) {
        Some(server) => client(endpoint, newest_common(&server)).map_err(|e| classify(host, &e))?,
        None => docker,
    };
    Ok(Connection {
        docker,
        endpoint: endpoint.clone(),
        api_version: version.api_version.clone().unwrap_or_default(),
        about: Arc::new(OnceCell::new_with(Some(About::of(version)))),
    })
}

/// The API version both sides speak: the engine's, or bollard's when the engine is newer.
fn newest_common(server: &ClientVersion) -> &ClientVersion {
    if older(server, bollard::API_DEFAULT_VERSION) {
        server
    } else {
        bollard::API_DEFAULT_VERSION
    }
}

/// A client for the endpoint speaking API `version`; no request is made.
fn client(endpoint: &Endpoint, version: &ClientVersion) -> Result<Docker, BollardError> {
    let host = endpoint.host.as_str();
    if let Some(path) = endpoint.unix_path() {
        Docker::connect_with_unix(path, TIMEOUT_SECS, version)
    } else if let Some(tls) = &endpoint.tls {
        Docker::connect_with_ssl(host, &tls.key, &tls.cert, &tls.ca, TIMEOUT_SECS, version)
    } else if host.starts_with("tcp://") || host.starts_with("http://") {
        Docker::connect_with_http(host, TIMEOUT_SECS, version)
    } else if host.starts_with("ssh://") {
        // Like the docker CLI: the system's `ssh` (the user's keys, agent and
        // ~/.ssh/config) runs `docker system dial-stdio` on the remote host.
        Docker::connect_with_ssh(host, TIMEOUT_SECS, version, None)
    } else {
        Docker::connect_with_host(host)
    }
}

/// `1.41` as a client version.
fn parse_api_version(text: &str) -> Option<ClientVersion> {
    let (major, minor) = text.trim().split_once('.')?;
    Some(ClientVersion {
        major_version: major.parse().ok()?,
        minor_version: minor.parse().ok()?,
    })
}

fn older(a: &ClientVersion, b: &ClientVersion) -> bool {
    (a.major_version, a.minor_version) < (b.major_version, b.minor_version)
}

/// Connects to a unix socket once, synchronously, to tell "missing", "permission
/// denied" and "refused" apart with the real OS error rather than a wrapped one.
fn probe_socket(path: &str) -> Option<Unreachable> {
    // `exists()` says false when a folder on the way cannot be read: ask why instead.
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Some(Unreachable::PermissionDenied {
                path: path.to_string(),
            });
        }
        Err(_) => {
            return Some(Unreachable::SocketMissing {
                path: path.to_string(),
            });
        }
        Ok(_) => {}
    }
    #[cfg(unix)]
    {
        match std::os::unix::net::UnixStream::connect(path) {
            Ok(_) => None,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                Some(Unreachable::PermissionDenied {
                    path: path.to_string(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                Some(Unreachable::Refused {
                    host: format!("unix://{path}"),
                })
            }
            Err(e) => Some(Unreachable::Other {
                host: format!("unix://{path}"),
                detail: e.to_string(),
            }),
        }
    }
    #[cfg(not(unix))]
    None
}

fn classify(host: &str, error: &BollardError) -> Unreachable {
    let detail = format!("{error:?}");
    if let BollardError::SocketNotFoundError(path) = error {
        return Unreachable::SocketMissing { path: path.clone() };
    }
    if detail.contains("PermissionDenied") || detail.contains("Permission denied") {
        return Unreachable::PermissionDenied {
            path: host.to_string(),
        };
    }
    if detail.contains("ConnectionRefused") || detail.contains("Connection refused") {
        return Unreachable::Refused {
            host: host.to_string(),
        };
    }
    let detail = match error {
        // bollard's words are English; an engine that accepts the connection and never
        // answers is the usual case here (a wrong port, a proxy, a frozen VM).
        BollardError::RequestTimeoutError => format!(
            "le moteur ne répond pas en {TIMEOUT_SECS} s (la connexion s'ouvre mais rien ne répond : \
             mauvais port, proxy, ou machine virtuelle figée ?)"
        ),
        BollardError::HyperResponseError { .. } | BollardError::HyperLegacyError { .. } => {
            format!("la connexion a échoué ({error})")
        }
        _ => error.to_string(),
    };
    Unreachable::Other {
        host: host.to_string(),
        detail,
    }
}

/// [`classify`] for an error of the ping's own connection.
fn classify_io(host: &str, error: &std::io::Error) -> Unreachable {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => Unreachable::PermissionDenied {
            path: host.to_string(),
        },
        std::io::ErrorKind::ConnectionRefused => Unreachable::Refused {
            host: host.to_string(),
        },
        _ => Unreachable::Other {
            host: host.to_string(),
            detail: format!("la connexion a échoué ({error})"),
        },
    }
}

/// True when bollard reports a 404 from the engine: the resource does not exist.
pub fn is_not_found(error: &BollardError) -> bool {
    matches!(
        error,
        BollardError::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

/// A French phrase for an engine error met during a check (the check then reports
/// *cannot check* with it).
pub fn describe_error(error: &BollardError) -> String {
    match error {
        BollardError::DockerResponseServerError {
            status_code,
            message,
        } => format!("le démon Docker a répondu {status_code} : {message}"),
        BollardError::RequestTimeoutError => {
            format!("le démon Docker n'a pas répondu en {TIMEOUT_SECS} s")
        }
        other => {
            let text = format!("{other:?}");
            if text.contains("ConnectionRefused") || text.contains("NotFound") {
                "le démon Docker ne répond plus (arrêté pendant la vérification ?)".to_string()
            } else {
                format!("erreur de communication avec Docker : {other}")
            }
        }
    }
}
