//! The check kinds: one file each, all behind [`Verify`], listed once in `check_kinds!`.
//!
//! A kind is a plain struct deserialised from the exercise file. `problems` reports what
//! is wrong with its parameters before anything runs (so `checker validate` catches a bad
//! regex), and `verify` looks at the live host once; retries and timeouts are the
//! runner's business, not the kind's.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use bollard::Docker;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::docker::snapshot::Snapshot;
use crate::outcome::Outcome;

/// The one table of check kinds: the YAML key, the variant, and the file that declares
/// the kind's parameters and its verification side by side (as goss keeps a resource's
/// struct and its `Validate` together). The module, the [`Kind`] enum, the list of keys,
/// parameter validation, dispatch, the JSON Schema and the YAML reading all come from
/// this table: a new kind is one file plus one line here.
macro_rules! check_kinds {
    ($($key:literal => $variant:ident($module:ident::$params:ident),)*) => {
        $(pub mod $module;)*

        /// What a check verifies: exactly one kind, with its parameters.
        #[derive(Debug, Clone)]
        pub enum Kind {
            $($variant($module::$params),)*
        }

        impl Kind {
            /// Every kind's key, in the table's order, for messages.
            pub const NAMES: &'static [&'static str] = &[$($key),*];

            /// The key this kind is written under.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Kind::$variant(_) => $key,)*
                }
            }

            /// Problems with the parameters themselves, found without Docker.
            pub fn problems(&self) -> Vec<String> {
                match self {
                    $(Kind::$variant(k) => k.problems(),)*
                }
            }

            /// Looks at the live host once and concludes.
            pub async fn verify(&self, ctx: &Context) -> Outcome {
                match self {
                    $(Kind::$variant(k) => k.verify(ctx).await,)*
                }
            }

            /// Starts reading what `verify` will need, before the check's turn.
            pub fn warm(&self, ctx: &Context) {
                match self {
                    $(Kind::$variant(k) => k.warm(ctx),)*
                }
            }

            /// Reads the value of map key `key` as that kind's parameters; `Ok(None)` (the
            /// value left unread) when `key` names no kind. This is how a check's map and
            /// an `any:` list item find their kind, whatever the file format.
            pub fn from_map_entry<'de, A: MapAccess<'de>>(
                key: &str,
                map: &mut A,
            ) -> Result<Option<Kind>, A::Error> {
                match key {
                    $($key => map.next_value().map(|p| Some(Kind::$variant(p))),)*
                    _ => Ok(None),
                }
            }

            /// The JSON Schema of each kind's parameters, by key.
            pub fn schemas(generator: &mut SchemaGenerator) -> Vec<(&'static str, Schema)> {
                vec![$(($key, generator.subschema_for::<$module::$params>()),)*]
            }
        }
    };
}

pub mod common;
pub mod history;
pub mod layers;
pub mod web;

check_kinds! {
    "container" => Container(container::ContainerCheck),
    "daemon" => Daemon(daemon::DaemonCheck),
    "image" => Image(image::ImageCheck),
    "images" => Images(images::ImagesCheck),
    "volume" => Volume(volume::VolumeCheck),
    "network" => Network(network::NetworkCheck),
    "probe" => Probe(probe::ProbeCheck),
    "http" => Http(http::HttpCheck),
    "exec" => Exec(exec::ExecCheck),
    "logs" => Logs(logs::LogsCheck),
    "events" => Events(events::EventsCheck),
    "any" => Any(any::AnyCheck),
    "file" => File(file::FileCheck),
    "dockerfile" => Dockerfile(dockerfile::DockerfileCheck),
    "registry" => Registry(registry::RegistryCheck),
    "client_config" => ClientConfig(client_config::ClientConfigCheck),
    "compose" => Compose(compose::ComposeCheck),
    "compose_file" => ComposeFile(compose_file::ComposeFileCheck),
}

/// A kind on its own is a one-key map, `{http: {url: …}}`: the items of `any:`.
impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneKind;
        impl<'de> Visitor<'de> for OneKind {
            type Value = Kind;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(
                    f,
                    "une sorte de vérification, par exemple `http: {{ url: … }}`"
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(format!(
                        "sorte de vérification absente : attendu une clé parmi {}",
                        Kind::NAMES.join(", ")
                    )));
                };
                let kind = Kind::from_map_entry(&key, &mut map)?.ok_or_else(|| {
                    de::Error::custom(format!(
                        "sorte de vérification inconnue « {key} » : attendu une clé parmi {}",
                        Kind::NAMES.join(", ")
                    ))
                })?;
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "une seule sorte par alternative : « {key} » puis « {extra} »"
                    )));
                }
                Ok(kind)
            }
        }
        deserializer.deserialize_map(OneKind)
    }
}

impl JsonSchema for Kind {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Kind".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one_of: Vec<serde_json::Value> = Kind::schemas(generator)
            .into_iter()
            .map(|(key, schema)| {
                serde_json::json!({
                    "type": "object",
                    "properties": { key: schema },
                    "required": [key],
                    "additionalProperties": false,
                })
            })
            .collect();
        schemars::json_schema!({ "oneOf": one_of })
    }
}

/// What every check may use: the engine, an HTTP client, the student's working folder.
#[derive(Debug, Clone)]
pub struct Context {
    pub docker: Docker,
    pub http: web::Web,
    /// The folder the student runs `checker` from (file checks are relative to it).
    pub workdir: PathBuf,
    /// Where published ports open when the engine is remote (`tcp://docker:2376` in a
    /// GitLab `dind` job): exercises say `localhost`, meaning "the Docker host".
    pub published_host: Option<String>,
    /// The objects read so far in this look at the host, shared by the checks.
    pub snapshot: Arc<Snapshot>,
}

impl Context {
    pub fn new(docker: Docker, workdir: PathBuf) -> Self {
        Self {
            docker,
            http: web::Web::default(),
            workdir,
            published_host: None,
            snapshot: Arc::default(),
        }
    }

    /// The same context with an empty snapshot: a retried check must see the host as it
    /// is now, not as it was at the first attempt.
    pub fn fresh(&self) -> Self {
        Self {
            snapshot: Arc::default(),
            http: self.http.fresh(),
            ..self.clone()
        }
    }

    /// Records the engine's address: a remote `tcp://HOST:PORT` engine publishes ports
    /// on HOST, not on this machine.
    pub fn with_engine_address(mut self, address: &str) -> Self {
        self.published_host = remote_host(address);
        self
    }

    /// The same context fetching pages through `web` (which may hold pages asked for
    /// already, see [`web::Web::prefetch`]).
    pub fn with_web(mut self, web: web::Web) -> Self {
        self.http = web;
        self
    }

    /// `url` with `localhost` replaced by the Docker host when the engine is remote.
    pub fn published_url(&self, url: &str) -> String {
        published_url(self.published_host.as_deref(), url)
    }
}

/// `url` as seen from here when the engine at `address` publishes the ports: `localhost`
/// is replaced by the engine's host when that is another machine.
pub fn url_for_engine(address: &str, url: &str) -> String {
    published_url(remote_host(address).as_deref(), url)
}

fn published_url(published_host: Option<&str>, url: &str) -> String {
    let Some(host) = published_host else {
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

/// The host of a `tcp://`, `http(s)://` or `ssh://` engine address, unless it is this
/// machine.
fn remote_host(address: &str) -> Option<String> {
    let rest = ["tcp://", "http://", "https://", "ssh://"]
        .iter()
        .find_map(|scheme| address.strip_prefix(scheme))?;
    let host = rest.split('/').next().unwrap_or_default();
    // `ssh://user@host`: the ports open on the host.
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
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

    /// Starts reading, in the background, what `verify` will need from the engine, so
    /// that a check waiting for an earlier one (`requires`) finds it ready: 3.1 reads
    /// `/app/app.py` once `mon-app:1.0` is known to exist, and the helper that reads it
    /// is being created meanwhile. It fills the run's snapshot and nothing else: no
    /// verdict, nothing the student owns. Most kinds have nothing worth starting early.
    fn warm(&self, _ctx: &Context) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_engines_publish_ports_on_their_host() {
        assert_eq!(remote_host("tcp://docker:2376").as_deref(), Some("docker"));
        assert_eq!(
            remote_host("tcp://192.0.2.7:2375").as_deref(),
            Some("192.0.2.7")
        );
        assert_eq!(remote_host("tcp://127.0.0.1:2375"), None);
        assert_eq!(
            remote_host("ssh://eleve@192.0.2.7").as_deref(),
            Some("192.0.2.7")
        );
        assert_eq!(remote_host("ssh://eleve@localhost:2222"), None);
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
}
