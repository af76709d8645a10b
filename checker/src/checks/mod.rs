//! The check kinds: one file each, all behind [`Verify`].
//!
//! A kind is a plain struct deserialised from the exercise file. `problems` reports what
//! is wrong with its parameters before anything runs (so `checker validate` catches a bad
//! regex), and `verify` looks at the live host once; retries and timeouts are the
//! runner's business, not the kind's.

pub mod any;
pub mod client_config;
pub mod container;
pub mod daemon;
pub mod dockerfile;
pub mod events;
pub mod exec;
pub mod file;
pub mod http;
pub mod image;
pub mod images;
pub mod logs;
pub mod network;
pub mod registry;
pub mod volume;

use std::future::Future;
use std::path::PathBuf;

use bollard::Docker;
use bollard::models::ContainerInspectResponse;
use bollard::query_parameters::ListContainersOptionsBuilder;

use crate::catalog::Kind;
use crate::docker::{describe_error, is_not_found};
use crate::outcome::Outcome;

/// What every check may use: the engine, an HTTP client, the student's working folder.
#[derive(Debug, Clone)]
pub struct Context {
    pub docker: Docker,
    pub http: reqwest::Client,
    /// The folder the student runs `checker` from (file checks are relative to it).
    pub workdir: PathBuf,
    /// Where published ports open when the engine is remote (`tcp://docker:2376` in a
    /// GitLab `dind` job): exercises say `localhost`, meaning "the Docker host".
    pub published_host: Option<String>,
}

impl Context {
    pub fn new(docker: Docker, workdir: PathBuf) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(5))
            .no_proxy()
            .build()
            .unwrap_or_default();
        Self {
            docker,
            http,
            workdir,
            published_host: None,
        }
    }

    /// Records the engine's address: a remote `tcp://HOST:PORT` engine publishes ports
    /// on HOST, not on this machine.
    pub fn with_engine_address(mut self, address: &str) -> Self {
        self.published_host = remote_host(address);
        self
    }

    /// `url` with `localhost` replaced by the Docker host when the engine is remote.
    pub fn published_url(&self, url: &str) -> String {
        let Some(host) = &self.published_host else {
            return url.to_string();
        };
        match reqwest::Url::parse(url) {
            Ok(mut parsed)
                if matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")) =>
            {
                if parsed.set_host(Some(host)).is_ok() {
                    parsed.to_string()
                } else {
                    url.to_string()
                }
            }
            _ => url.to_string(),
        }
    }
}

/// The host of a `tcp://` or `http(s)://` engine address, unless it is this machine.
fn remote_host(address: &str) -> Option<String> {
    let rest = ["tcp://", "http://", "https://"]
        .iter()
        .find_map(|scheme| address.strip_prefix(scheme))?;
    let host = rest.split('/').next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host {
        "" | "localhost" | "127.0.0.1" | "::1" | "0.0.0.0" => None,
        other => Some(other.to_string()),
    }
}

/// One kind of check.
pub trait Verify {
    /// Problems with the parameters themselves, in French, found without Docker.
    fn problems(&self) -> Vec<String> {
        Vec::new()
    }

    /// Looks at the live host once and concludes.
    fn verify(&self, ctx: &Context) -> impl Future<Output = Outcome> + Send;
}

impl Kind {
    pub fn problems(&self) -> Vec<String> {
        match self {
            Kind::Container(k) => k.problems(),
            Kind::Daemon(k) => k.problems(),
            Kind::Image(k) => k.problems(),
            Kind::Images(k) => k.problems(),
            Kind::Volume(k) => k.problems(),
            Kind::Network(k) => k.problems(),
            Kind::Http(k) => k.problems(),
            Kind::Exec(k) => k.problems(),
            Kind::Logs(k) => k.problems(),
            Kind::Events(k) => k.problems(),
            Kind::Any(k) => k.problems(),
            Kind::File(k) => k.problems(),
            Kind::Dockerfile(k) => k.problems(),
            Kind::Registry(k) => k.problems(),
            Kind::ClientConfig(k) => k.problems(),
        }
    }

    pub async fn verify(&self, ctx: &Context) -> Outcome {
        match self {
            Kind::Container(k) => k.verify(ctx).await,
            Kind::Daemon(k) => k.verify(ctx).await,
            Kind::Image(k) => k.verify(ctx).await,
            Kind::Images(k) => k.verify(ctx).await,
            Kind::Volume(k) => k.verify(ctx).await,
            Kind::Network(k) => k.verify(ctx).await,
            Kind::Http(k) => k.verify(ctx).await,
            Kind::Exec(k) => k.verify(ctx).await,
            Kind::Logs(k) => k.verify(ctx).await,
            Kind::Events(k) => k.verify(ctx).await,
            Kind::Any(k) => k.verify(ctx).await,
            Kind::File(k) => k.verify(ctx).await,
            Kind::Dockerfile(k) => k.verify(ctx).await,
            Kind::Registry(k) => k.verify(ctx).await,
            Kind::ClientConfig(k) => k.verify(ctx).await,
        }
    }
}

/// Inspects a container by name. `Ok(None)` when it does not exist.
pub async fn inspect_container(
    docker: &Docker,
    name: &str,
) -> Result<Option<ContainerInspectResponse>, String> {
    match docker.inspect_container(name, None).await {
        Ok(c) => Ok(Some(c)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(describe_error(&e)),
    }
}

/// Every container (running or not) created from `image`, newest first, inspected.
pub async fn containers_from(
    docker: &Docker,
    image: &str,
) -> Result<Vec<ContainerInspectResponse>, String> {
    let filters = [("ancestor".to_string(), vec![image.to_string()])].into();
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let summaries = match docker.list_containers(Some(options)).await {
        Ok(s) => s,
        // An ancestor image that does not exist: no container can come from it.
        Err(e) if is_not_found(&e) => return Ok(Vec::new()),
        Err(e) => return Err(describe_error(&e)),
    };
    let mut out = Vec::new();
    for summary in summaries {
        if let Some(id) = summary.id {
            // A container removed between list and inspect is simply skipped.
            if let Some(c) = inspect_container(docker, &id).await? {
                out.push(c);
            }
        }
    }
    out.sort_by(|a, b| b.created.cmp(&a.created));
    Ok(out)
}

/// The container's name without the leading `/`.
pub fn container_name(c: &ContainerInspectResponse) -> String {
    c.name
        .as_deref()
        .unwrap_or_default()
        .trim_start_matches('/')
        .to_string()
}

/// Normalises an image reference the way the engine does: `nginx` → `nginx:latest`,
/// `docker.io/library/nginx` → `nginx:latest`.
pub fn normalize_image(reference: &str) -> String {
    let mut name = reference.trim().to_string();
    for prefix in [
        "docker.io/library/",
        "docker.io/",
        "index.docker.io/library/",
    ] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest.to_string();
        }
    }
    if let Some(rest) = name.strip_prefix("library/") {
        name = rest.to_string();
    }
    let last = name.rsplit('/').next().unwrap_or_default();
    if !last.contains(':') && !name.contains('@') {
        name.push_str(":latest");
    }
    name
}

/// Compiles a regex from an exercise file, for `problems`.
pub fn regex_problem(field: &str, pattern: &Option<String>) -> Option<String> {
    pattern.as_ref().and_then(|p| {
        regex::Regex::new(p)
            .err()
            .map(|e| format!("expression régulière `{field}` invalide : {e}"))
    })
}

/// First characters of a text for a "found" message, on one line.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_are_normalised() {
        assert_eq!(normalize_image("nginx"), "nginx:latest");
        assert_eq!(normalize_image("docker.io/library/nginx"), "nginx:latest");
        assert_eq!(normalize_image("nginx:1.21-alpine"), "nginx:1.21-alpine");
        assert_eq!(
            normalize_image("localhost:5000/mon-app"),
            "localhost:5000/mon-app:latest"
        );
        assert_eq!(normalize_image("eleve/mon-app:1.0"), "eleve/mon-app:1.0");
    }

    #[test]
    fn remote_engines_publish_ports_on_their_host() {
        assert_eq!(remote_host("tcp://docker:2376").as_deref(), Some("docker"));
        assert_eq!(
            remote_host("tcp://192.0.2.7:2375").as_deref(),
            Some("192.0.2.7")
        );
        assert_eq!(remote_host("tcp://127.0.0.1:2375"), None);
        assert_eq!(remote_host("unix:///var/run/docker.sock"), None);
        let docker =
            Docker::connect_with_http("tcp://docker:2376", 1, bollard::API_DEFAULT_VERSION)
                .expect("lazy client");
        let ctx = Context::new(docker, PathBuf::new()).with_engine_address("tcp://docker:2376");
        assert_eq!(
            ctx.published_url("http://localhost:8080/"),
            "http://docker:8080/"
        );
        assert_eq!(
            ctx.published_url("http://example.org/"),
            "http://example.org/"
        );
    }

    #[test]
    fn excerpts_are_short_and_flat() {
        assert_eq!(excerpt("a\n  b", 10), "a b");
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }
}
