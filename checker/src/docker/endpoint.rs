//! Which Docker endpoint to talk to, resolved the way the `docker` CLI does.
//!
//! bollard does not read CLI contexts, so a student whose `docker ps` works through a
//! context (Colima, Docker Desktop on macOS, a remote host) would otherwise get
//! "Docker unreachable" from the checker. The order is the CLI's: `DOCKER_HOST`, then
//! `DOCKER_CONTEXT`, then `currentContext` in the CLI config, then the platform's
//! default socket, then the sockets of the usual alternatives.
//!
//! Resolution is a pure function of an [`Environment`] so it can be unit-tested.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The default socket of the platform.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// What the resolution reads from the process environment and file system.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    pub docker_config: Option<PathBuf>,
    pub docker_tls_verify: bool,
    pub docker_cert_path: Option<PathBuf>,
    pub home: Option<PathBuf>,
    pub xdg_runtime_dir: Option<PathBuf>,
}

impl Environment {
    /// Reads the real environment. Empty variables count as unset, as in the CLI.
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            docker_host: var("DOCKER_HOST"),
            docker_context: var("DOCKER_CONTEXT"),
            docker_config: var("DOCKER_CONFIG").map(PathBuf::from),
            docker_tls_verify: var("DOCKER_TLS_VERIFY").is_some(),
            docker_cert_path: var("DOCKER_CERT_PATH").map(PathBuf::from),
            // Windows has no HOME; the CLI uses the user's profile folder there.
            home: var("HOME")
                .or_else(|| var("USERPROFILE"))
                .map(PathBuf::from),
            xdg_runtime_dir: var("XDG_RUNTIME_DIR").map(PathBuf::from),
        }
    }

    /// The CLI configuration folder: `$DOCKER_CONFIG`, else `~/.docker`.
    pub fn config_dir(&self) -> Option<PathBuf> {
        self.docker_config
            .clone()
            .or_else(|| self.home.as_ref().map(|h| h.join(".docker")))
    }
}

/// Certificate files for a TLS endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsFiles {
    fn in_dir(dir: &Path) -> Self {
        Self {
            ca: dir.join("ca.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        }
    }
}

/// Why this endpoint was chosen: `checker doctor` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    DockerHost,
    Context { name: String, from_env: bool },
    DefaultSocket,
    Alternative(&'static str),
}

impl Source {
    pub fn explain(&self) -> String {
        match self {
            Source::DockerHost => "variable d'environnement DOCKER_HOST".to_string(),
            Source::Context {
                name,
                from_env: true,
            } => {
                format!("contexte « {name} » choisi par DOCKER_CONTEXT")
            }
            Source::Context { name, .. } => {
                format!("contexte courant « {name} » de la configuration du client docker")
            }
            Source::DefaultSocket => "socket par défaut de la plateforme".to_string(),
            Source::Alternative(name) => {
                format!("socket de {name} (le socket par défaut est absent)")
            }
        }
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `unix:///path`, `tcp://host:port`, `npipe://...` or `ssh://...`.
    pub host: String,
    pub tls: Option<TlsFiles>,
    pub source: Source,
}

impl Endpoint {
    /// The socket path for unix endpoints.
    pub fn unix_path(&self) -> Option<&str> {
        self.host.strip_prefix("unix://")
    }
}

/// Resolves the endpoint. Fails only on a broken configuration (a context that does not
/// exist, an unreadable config file), with a French message saying what to fix.
pub fn resolve(env: &Environment) -> Result<Endpoint, String> {
    if let Some(host) = &env.docker_host {
        check_docker_host(host)?;
        let tls = if env.docker_tls_verify && host.starts_with("tcp://") {
            let dir = env
                .docker_cert_path
                .clone()
                .or_else(|| env.config_dir())
                .unwrap_or_default();
            Some(TlsFiles::in_dir(&dir))
        } else {
            None
        };
        return Ok(Endpoint {
            host: host.clone(),
            tls,
            source: Source::DockerHost,
        });
    }
    let (context, from_env) = match &env.docker_context {
        Some(name) => (Some(name.clone()), true),
        None => (current_context(env)?, false),
    };
    if let Some(name) = context.filter(|n| n != "default") {
        return context_endpoint(env, &name, from_env);
    }
    if Path::new(DEFAULT_SOCKET).exists() {
        return Ok(default_socket());
    }
    for (name, path) in alternatives(env) {
        if path.exists() {
            return Ok(Endpoint {
                host: format!("unix://{}", path.display()),
                tls: None,
                source: Source::Alternative(name),
            });
        }
    }
    // Nothing exists: keep the default so the diagnosis can say "socket missing".
    Ok(default_socket())
}

/// A `DOCKER_HOST` the CLI would refuse, said in French and naming the variable, rather
/// than the HTTP library's own words later.
fn check_docker_host(host: &str) -> Result<(), String> {
    let fix = "corrigez la variable ou retirez-la (`unset DOCKER_HOST`) pour utiliser le socket par défaut";
    let Some((scheme, rest)) = host.split_once("://") else {
        return Err(format!(
            "DOCKER_HOST=« {host} » n'est pas une adresse (attendu par exemple \
             unix:///var/run/docker.sock ou tcp://hôte:2376) : {fix}"
        ));
    };
    let known = ["unix", "tcp", "http", "https", "npipe", "ssh"];
    if !known.contains(&scheme) {
        return Err(format!(
            "DOCKER_HOST=« {host} » : le schéma « {scheme} » est inconnu (unix, tcp, ssh, npipe) : {fix}"
        ));
    }
    if rest.trim_matches('/').is_empty() {
        return Err(format!(
            "DOCKER_HOST=« {host} » ne dit pas où joindre le moteur : {fix}"
        ));
    }
    Ok(())
}

fn default_socket() -> Endpoint {
    Endpoint {
        host: format!("unix://{DEFAULT_SOCKET}"),
        tls: None,
        source: Source::DefaultSocket,
    }
}

/// The sockets of Docker Desktop, Colima, OrbStack, Rancher Desktop, Podman and rootless
/// Docker, in the order they are tried.
pub fn alternatives(env: &Environment) -> Vec<(&'static str, PathBuf)> {
    let mut out = Vec::new();
    if let Some(home) = &env.home {
        out.push(("Docker Desktop", home.join(".docker/run/docker.sock")));
        out.push(("Docker Desktop", home.join(".docker/desktop/docker.sock")));
        out.push(("Colima", home.join(".colima/default/docker.sock")));
        out.push(("Colima", home.join(".colima/docker.sock")));
        out.push(("OrbStack", home.join(".orbstack/run/docker.sock")));
        out.push(("Rancher Desktop", home.join(".rd/docker.sock")));
    }
    if let Some(run) = &env.xdg_runtime_dir {
        out.push(("Docker sans root", run.join("docker.sock")));
        out.push(("Podman", run.join("podman/podman.sock")));
    }
    out.push(("Podman", PathBuf::from("/run/podman/podman.sock")));
    out
}

/// `currentContext` from the CLI's `config.json`, if any.
fn current_context(env: &Environment) -> Result<Option<String>, String> {
    let Some(path) = env.config_dir().map(|d| d.join("config.json")) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{} : lecture impossible : {e}", path.display())),
    };
    // The docker CLI warns about an empty or broken config.json and goes on with its
    // defaults; so does the checker, rather than call a working engine unreachable.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let Ok(config) = serde_json::from_str::<serde_json::Value>(text) else {
        return Ok(None);
    };
    Ok(config
        .get("currentContext")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_string))
}

/// Reads a context from the CLI's context store: `contexts/meta/<sha256(name)>/meta.json`.
fn context_endpoint(env: &Environment, name: &str, from_env: bool) -> Result<Endpoint, String> {
    let digest = hex::encode(Sha256::digest(name.as_bytes()));
    let store = env.config_dir().unwrap_or_default().join("contexts");
    let meta_path = store.join("meta").join(&digest).join("meta.json");
    let text = std::fs::read_to_string(&meta_path).map_err(|_| {
        format!(
            "le contexte docker « {name} » est introuvable ({}) ; listez les contextes avec \
             `docker context ls` et choisissez-en un avec `docker context use default`",
            meta_path.display()
        )
    })?;
    let meta: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} : JSON invalide ({e})", meta_path.display()))?;
    let docker = meta.pointer("/Endpoints/docker");
    let host = docker
        .and_then(|d| d.get("Host"))
        .and_then(|h| h.as_str())
        .ok_or_else(|| {
            format!(
                "le contexte « {name} » n'a pas de point d'accès docker ({})",
                meta_path.display()
            )
        })?;
    let tls_dir = store.join("tls").join(&digest).join("docker");
    let tls = tls_dir
        .join("ca.pem")
        .exists()
        .then(|| TlsFiles::in_dir(&tls_dir));
    Ok(Endpoint {
        host: host.to_string(),
        tls,
        source: Source::Context {
            name: name.to_string(),
            from_env,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_in(dir: &Path) -> Environment {
        Environment {
            home: Some(dir.to_path_buf()),
            ..Environment::default()
        }
    }

    #[test]
    fn docker_host_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut env = env_in(dir.path());
        env.docker_host = Some("tcp://10.0.0.1:2376".into());
        env.docker_context = Some("colima".into());
        let endpoint = resolve(&env).expect("resolves");
        assert_eq!(endpoint.host, "tcp://10.0.0.1:2376");
        assert_eq!(endpoint.source, Source::DockerHost);
        assert_eq!(endpoint.tls, None);
    }

    #[test]
    fn tls_verify_uses_cert_path() {
        let mut env = Environment {
            docker_host: Some("tcp://example:2376".into()),
            docker_tls_verify: true,
            docker_cert_path: Some("/certs".into()),
            ..Environment::default()
        };
        let tls = resolve(&env).expect("resolves").tls.expect("tls");
        assert_eq!(tls.ca, PathBuf::from("/certs/ca.pem"));
        env.docker_cert_path = None;
        env.home = Some("/home/eleve".into());
        let tls = resolve(&env).expect("resolves").tls.expect("tls");
        assert_eq!(tls.key, PathBuf::from("/home/eleve/.docker/key.pem"));
    }

    fn write_context(config: &Path, name: &str, host: &str) {
        let digest = hex::encode(Sha256::digest(name.as_bytes()));
        let meta = config.join("contexts/meta").join(&digest);
        std::fs::create_dir_all(&meta).expect("mkdir");
        std::fs::write(
            meta.join("meta.json"),
            format!(r#"{{"Name":"{name}","Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":false}}}}}}"#),
        )
        .expect("write meta");
    }

    #[test]
    fn current_context_from_config_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join(".docker");
        write_context(
            &config,
            "colima",
            "unix:///home/eleve/.colima/default/docker.sock",
        );
        std::fs::write(config.join("config.json"), r#"{"currentContext":"colima"}"#)
            .expect("write config");
        let endpoint = resolve(&env_in(dir.path())).expect("resolves");
        assert_eq!(
            endpoint.host,
            "unix:///home/eleve/.colima/default/docker.sock"
        );
        assert_eq!(
            endpoint.source,
            Source::Context {
                name: "colima".into(),
                from_env: false
            }
        );
    }

    #[test]
    fn docker_context_variable_beats_config_file_and_reads_tls() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("cfg");
        write_context(&config, "distant", "tcp://192.0.2.10:2376");
        write_context(&config, "colima", "unix:///colima.sock");
        std::fs::write(config.join("config.json"), r#"{"currentContext":"colima"}"#)
            .expect("write config");
        let digest = hex::encode(Sha256::digest(b"distant"));
        let tls = config.join("contexts/tls").join(digest).join("docker");
        std::fs::create_dir_all(&tls).expect("mkdir");
        std::fs::write(tls.join("ca.pem"), "x").expect("write ca");
        let env = Environment {
            docker_context: Some("distant".into()),
            docker_config: Some(config.clone()),
            ..Environment::default()
        };
        let endpoint = resolve(&env).expect("resolves");
        assert_eq!(endpoint.host, "tcp://192.0.2.10:2376");
        assert_eq!(endpoint.tls.expect("tls").cert, tls.join("cert.pem"));
    }

    #[test]
    fn missing_context_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let env = Environment {
            docker_context: Some("fantome".into()),
            home: Some(dir.path().to_path_buf()),
            ..Environment::default()
        };
        let message = resolve(&env).expect_err("fails");
        assert!(message.contains("« fantome » est introuvable"), "{message}");
        assert!(message.contains("docker context ls"), "{message}");
    }

    #[test]
    fn default_context_and_broken_config() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join(".docker");
        std::fs::create_dir_all(&config).expect("mkdir");
        std::fs::write(
            config.join("config.json"),
            r#"{"currentContext":"default"}"#,
        )
        .expect("write");
        let endpoint = resolve(&env_in(dir.path())).expect("resolves");
        assert!(endpoint.host.starts_with("unix://"));
        // The docker CLI warns about a broken config.json and uses its defaults: so does
        // the checker, rather than call a working engine unreachable.
        std::fs::write(config.join("config.json"), "{ pas du json").expect("write");
        let endpoint = resolve(&env_in(dir.path())).expect("resolves like the CLI");
        assert!(endpoint.host.starts_with("unix://"));
    }

    #[test]
    fn alternatives_are_listed_in_order() {
        let env = Environment {
            home: Some("/h".into()),
            xdg_runtime_dir: Some("/run/user/1000".into()),
            ..Environment::default()
        };
        let names: Vec<&str> = alternatives(&env).iter().map(|(n, _)| *n).collect();
        assert_eq!(names[0], "Docker Desktop");
        assert!(names.contains(&"Colima") && names.contains(&"OrbStack"));
        assert!(names.contains(&"Rancher Desktop") && names.contains(&"Podman"));
    }
}
