//! The exercise file format, as Rust types.
//!
//! Every struct denies unknown keys: a teacher who types `stat: running` instead of
//! `state: running` must get an error pointing at the line, not a check that silently
//! tests nothing. The semantic rules serde cannot express (exactly one kind per check,
//! unique ids, well-formed values) live in `validate.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::checks::{
    any::AnyCheck, container::ContainerCheck, daemon::DaemonCheck, events::EventsCheck,
    exec::ExecCheck, http::HttpCheck, image::ImageCheck, images::ImagesCheck, logs::LogsCheck,
    network::NetworkCheck, volume::VolumeCheck,
};
use crate::checks::{
    client_config::ClientConfigCheck, dockerfile::DockerfileCheck, file::FileCheck,
    registry::RegistryCheck,
};

/// One exercise: what the student reads on the card and what the checker verifies.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `CHAPTER.N`, e.g. `2.1`. Quoted in YAML so that `2.10` is not read as a number.
    pub id: String,
    pub chapter: u32,
    pub title: String,
    /// Markdown: what the student must achieve.
    pub objective: String,
    /// Markdown, one item per step, shown as a numbered list on the card.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Ids of exercises to do first.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// What the exercise is worth when grading; shared among its checks by weight.
    #[serde(default = "default_points")]
    pub points: u32,
    /// Values the student or instructor may override with `--var name=value`.
    /// Used in any string of the checks as `${name}`.
    #[serde(default)]
    pub variables: BTreeMap<String, Variable>,
    /// An exercise with no checks must say so explicitly (e.g. `docker search`).
    #[serde(default)]
    pub informational: bool,
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Shell commands of the reference solution.
    #[serde(default)]
    pub solution: Option<String>,
    /// Shell commands that remove what the exercise created.
    #[serde(default)]
    pub cleanup: Option<String>,
}

fn default_points() -> u32 {
    10
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub default: String,
    #[serde(default)]
    pub description: String,
}

/// One verification, with exactly one kind.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(try_from = "RawCheck")]
pub struct Check {
    pub id: String,
    pub title: String,
    pub hint: Option<String>,
    pub retry: Option<Retry>,
    pub weight: u32,
    pub kind: Kind,
}

/// Retry a failing check until it passes or `timeout` elapses (a web server still
/// starting, logs not yet written).
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Durée, par exemple `3s`.
    #[serde(deserialize_with = "humantime_serde::deserialize")]
    #[schemars(with = "String")]
    pub timeout: Duration,
    /// Durée entre deux essais, par exemple `250ms` (500 ms par défaut).
    #[serde(
        deserialize_with = "humantime_serde::deserialize",
        default = "default_interval"
    )]
    #[schemars(with = "String")]
    pub interval: Duration,
}

fn default_interval() -> Duration {
    Duration::from_millis(500)
}

/// What a check verifies. Each variant is one file in `checks/`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Container(ContainerCheck),
    Daemon(DaemonCheck),
    Image(ImageCheck),
    Images(ImagesCheck),
    Volume(VolumeCheck),
    Network(NetworkCheck),
    Http(HttpCheck),
    Exec(ExecCheck),
    Logs(LogsCheck),
    Events(EventsCheck),
    Any(AnyCheck),
    File(FileCheck),
    Dockerfile(DockerfileCheck),
    Registry(RegistryCheck),
    ClientConfig(ClientConfigCheck),
}

impl Kind {
    /// The YAML key of this kind, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Container(_) => "container",
            Kind::Daemon(_) => "daemon",
            Kind::Image(_) => "image",
            Kind::Images(_) => "images",
            Kind::Volume(_) => "volume",
            Kind::Network(_) => "network",
            Kind::Http(_) => "http",
            Kind::Exec(_) => "exec",
            Kind::Logs(_) => "logs",
            Kind::Events(_) => "events",
            Kind::Any(_) => "any",
            Kind::File(_) => "file",
            Kind::Dockerfile(_) => "dockerfile",
            Kind::Registry(_) => "registry",
            Kind::ClientConfig(_) => "client_config",
        }
    }
}

/// The check as written: the common keys plus one optional key per kind. Converting it
/// into a [`Check`] enforces "exactly one kind".
#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: String,
    title: String,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default)]
    retry: Option<Retry>,
    #[serde(default = "default_weight")]
    weight: u32,
    #[serde(default)]
    container: Option<ContainerCheck>,
    #[serde(default)]
    daemon: Option<DaemonCheck>,
    #[serde(default)]
    image: Option<ImageCheck>,
    #[serde(default)]
    images: Option<ImagesCheck>,
    #[serde(default)]
    volume: Option<VolumeCheck>,
    #[serde(default)]
    network: Option<NetworkCheck>,
    #[serde(default)]
    http: Option<HttpCheck>,
    #[serde(default)]
    exec: Option<ExecCheck>,
    #[serde(default)]
    logs: Option<LogsCheck>,
    #[serde(default)]
    events: Option<EventsCheck>,
    #[serde(default)]
    any: Option<AnyCheck>,
    #[serde(default)]
    file: Option<FileCheck>,
    #[serde(default)]
    dockerfile: Option<DockerfileCheck>,
    #[serde(default)]
    registry: Option<RegistryCheck>,
    #[serde(default)]
    client_config: Option<ClientConfigCheck>,
}

fn default_weight() -> u32 {
    1
}

/// The kind keys, for the "exactly one kind" message.
pub const KIND_NAMES: &[&str] = &[
    "container",
    "daemon",
    "image",
    "images",
    "volume",
    "network",
    "http",
    "exec",
    "logs",
    "events",
    "any",
    "file",
    "dockerfile",
    "registry",
    "client_config",
];

impl TryFrom<RawCheck> for Check {
    type Error = String;

    fn try_from(raw: RawCheck) -> Result<Self, Self::Error> {
        let mut kinds: Vec<Kind> = Vec::new();
        kinds.extend(raw.container.map(Kind::Container));
        kinds.extend(raw.daemon.map(Kind::Daemon));
        kinds.extend(raw.image.map(Kind::Image));
        kinds.extend(raw.images.map(Kind::Images));
        kinds.extend(raw.volume.map(Kind::Volume));
        kinds.extend(raw.network.map(Kind::Network));
        kinds.extend(raw.http.map(Kind::Http));
        kinds.extend(raw.exec.map(Kind::Exec));
        kinds.extend(raw.logs.map(Kind::Logs));
        kinds.extend(raw.events.map(Kind::Events));
        kinds.extend(raw.any.map(Kind::Any));
        kinds.extend(raw.file.map(Kind::File));
        kinds.extend(raw.dockerfile.map(Kind::Dockerfile));
        kinds.extend(raw.registry.map(Kind::Registry));
        kinds.extend(raw.client_config.map(Kind::ClientConfig));
        if kinds.len() != 1 {
            let found: Vec<&str> = kinds.iter().map(Kind::name).collect();
            return Err(format!(
                "la vérification « {} » doit avoir exactement une sorte parmi {} ; trouvé : {}",
                raw.id,
                KIND_NAMES.join(", "),
                if found.is_empty() {
                    "aucune".to_string()
                } else {
                    found.join(", ")
                }
            ));
        }
        let kind = kinds.remove(0);
        Ok(Check {
            id: raw.id,
            title: raw.title,
            hint: raw.hint,
            retry: raw.retry,
            weight: raw.weight,
            kind,
        })
    }
}

/// Durations written the human way in YAML: `5s`, `500ms`, `1m 30s`.
pub mod humantime_serde {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_duration(&text).map_err(|e| {
            serde::de::Error::custom(format!(
                "durée invalide « {text} » ({e}) : écrivez par exemple `5s` ou `500ms`"
            ))
        })
    }
}
