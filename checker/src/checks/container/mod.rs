//! `container`: a container exists (or not) and has the expected properties.
//!
//! ```yaml
//! container:
//!   name: mon-serveur-nginx
//!   state: running
//!   image: nginx:latest
//!   ports: { "8080": 80/tcp }
//! ```
//!
//! A container is chosen by `name`, or by `ancestor` (any container created from that
//! image: "an exited hello-world container exists"). With `exists: false` the check
//! passes when no such container exists (in `state`, when given).
//! Every property given is compared and all mismatches are reported together.

mod attachments;
mod hardening;

use std::collections::BTreeMap;

use bollard::models::ContainerInspectResponse;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{
    compare_pairs, container_name, containers_from, env_map, inspect_container,
    is_root, yes,
};
use super::{Context, Verify, history};
use crate::reference::normalize_image;
use crate::outcome::{Mismatches, Outcome};
use crate::units::parse_size;
pub(crate) use attachments::Local;
pub use hardening::compare_log_options;
use hardening::cpu_limit;

/// How long after its creation a first start may happen and still count as "the first".
const FIRST_START_GRACE_SECS: i64 = 2;

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContainerCheck {
    pub name: Option<String>,
    pub ancestor: Option<String>,
    #[serde(default = "yes")]
    pub exists: bool,
    /// Gone, and the daemon saw it go (a `destroy`, or a `docker container prune` for
    /// `ancestor`): an absence alone would pass on a host where nothing was ever done.
    /// Without such a sign the verdict is *cannot check*.
    #[serde(default)]
    pub removed: bool,
    pub state: Option<String>,
    pub exit_code: Option<i64>,
    pub image: Option<String>,
    /// The full command line (entrypoint and arguments), words separated by spaces.
    pub command: Option<String>,
    /// Host port → container port (`80/tcp`, or `80` meaning tcp).
    #[serde(default)]
    pub ports: BTreeMap<String, String>,
    /// Variables that must be set; a null value means "set to anything".
    #[serde(default)]
    pub env: BTreeMap<String, Option<String>>,
    pub restart_policy: Option<String>,
    #[serde(default)]
    pub mounts: Vec<MountSpec>,
    /// Networks the container must be attached to.
    #[serde(default)]
    pub networks: Vec<String>,
    /// With `networks`: attached to those and no other.
    #[serde(default)]
    pub networks_exact: bool,
    pub user: Option<String>,
    pub non_root: Option<bool>,
    pub log_driver: Option<String>,
    #[serde(default)]
    pub log_options: BTreeMap<String, String>,
    #[serde(default)]
    pub labels: BTreeMap<String, Option<String>>,
    /// Memory limit, e.g. `512m`.
    pub memory: Option<String>,
    /// CPU limit, e.g. `1.5`: `--cpus` (NanoCpus) or the `--cpu-quota`/`--cpu-period`
    /// pair it stands for, both accepted.
    pub cpus: Option<f64>,
    /// The root file system is read-only (`--read-only`).
    pub read_only_rootfs: Option<bool>,
    /// Destinations that must be a tmpfs (`--tmpfs /tmp` or `--mount type=tmpfs`).
    #[serde(default)]
    pub tmpfs: Vec<String>,
    /// Capabilities that must be dropped (`ALL`, `NET_RAW`; with or without `CAP_`).
    #[serde(default)]
    pub cap_drop: Vec<String>,
    /// The capabilities added, exactly: `[NET_BIND_SERVICE]` fails when `SYS_ADMIN` is
    /// added too, and `[]` means none.
    pub cap_add: Option<Vec<String>>,
    /// Security options that must be set (`no-new-privileges`, which also matches
    /// `no-new-privileges:true`).
    #[serde(default)]
    pub security_opt: Vec<String>,
    /// Started again after its creation (stop/start, restart).
    pub restarted: Option<bool>,
    /// Health status: `healthy`, `unhealthy`, `starting`.
    pub health: Option<String>,
}

/// One expected mount.
#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MountSpec {
    pub destination: String,
    /// Volume name, or host path for a bind mount.
    pub source: Option<String>,
    /// `volume`, `bind` or `tmpfs`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub read_only: Option<bool>,
    /// A bind mount of this folder of the student's working folder (`projet-code`),
    /// wherever that folder is on their machine.
    pub source_in_workdir: Option<String>,
}

const STATES: &[&str] = &[
    "created",
    "running",
    "paused",
    "restarting",
    "removing",
    "exited",
    "dead",
];

impl Verify for ContainerCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match (&self.name, &self.ancestor) {
            (None, None) => out.push("indiquez `name` ou `ancestor`".to_string()),
            (Some(_), Some(_)) => out.push("`name` et `ancestor` s'excluent".to_string()),
            _ => {}
        }
        if let Some(state) = &self.state
            && !STATES.contains(&state.as_str())
        {
            out.push(format!("état « {state} » inconnu ({})", STATES.join(", ")));
        }
        if let Some(memory) = &self.memory
            && let Err(e) = parse_size(memory)
        {
            out.push(e);
        }
        if (!self.exists || self.removed) && self.has_properties() {
            out.push(
                "avec `exists: false` ou `removed: true`, seul `state` peut préciser ce qui doit être absent"
                    .to_string(),
            );
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let candidates = match (&self.name, &self.ancestor) {
            (Some(name), _) => match inspect_container(ctx, name).await {
                Ok(found) => found.into_iter().collect::<Vec<_>>(),
                Err(e) => return Outcome::cannot(e),
            },
            (None, Some(image)) => match containers_from(ctx, image).await {
                Ok(found) => found,
                Err(e) => return Outcome::cannot(e),
            },
            (None, None) => return Outcome::cannot("ni `name` ni `ancestor`"),
        };
        let subject = self.subject();
        let local = Local::of(ctx, &self.mounts);
        if !self.exists || self.removed {
            let absent = self.verify_absent(&subject, &candidates);
            if !self.removed || !absent.is_pass() {
                return absent;
            }
            return self.removal_seen(ctx, &subject).await;
        }
        let Some(first) = candidates.first() else {
            // Say what the check was about ("état `running`"), not only "it exists";
            // for `ancestor`, the subject already says the state (« un conteneur arrêté »).
            // The state reads as an adjective (« le conteneur `web` en marche »), not as
            // « avec état running ».
            let about = ContainerCheck {
                state: None,
                ..self.clone()
            }
            .compare(&ContainerInspectResponse::default(), &local)
            .into_outcome();
            let state = match (&self.ancestor, self.state.as_deref()) {
                (None, Some(state)) => format!(" {}", state_adjective(state)),
                _ => String::new(),
            };
            let expected = match about.expected {
                Some(properties) => format!("{subject}{state} avec {properties}"),
                None if state.is_empty() => format!("{subject} existe"),
                None => format!("{subject}{state}"),
            };
            let mut found = format!("{subject} n'existe pas");
            if let Some(slip) = self.likely_slip(ctx).await {
                found.push_str(&format!(" ; {slip}"));
            }
            return Outcome::fail(expected, found).settled();
        };
        // With `ancestor`, any matching container will do; report the newest otherwise.
        let mut best: Option<Mismatches> = None;
        for container in &candidates {
            let mismatches = self.compare(container, &local);
            if mismatches.is_empty() {
                return Outcome::pass_found(container_name(container));
            }
            if best.is_none() {
                best = Some(mismatches);
            }
        }
        let outcome = best.unwrap_or_default().into_outcome();
        match (&self.ancestor, outcome.found.clone()) {
            (Some(_), Some(found)) => Outcome {
                found: Some(format!(
                    "{found} (conteneur le plus récent : {})",
                    container_name(first)
                )),
                ..outcome
            },
            _ => outcome,
        }
    }
}

impl ContainerCheck {
    fn subject(&self) -> String {
        match (&self.name, &self.ancestor) {
            (Some(name), _) => format!("le conteneur `{name}`"),
            (None, Some(image)) => match self.state.as_deref().map(state_adjective) {
                Some(state) => format!("un conteneur {state} de l'image `{image}`"),
                None => format!("un conteneur de l'image `{image}`"),
            },
            _ => "le conteneur".to_string(),
        }
    }

    /// The absence is confirmed by the daemon's history, or cannot be.
    async fn removal_seen(&self, ctx: &Context, subject: &str) -> Outcome {
        let seen = match (&self.name, &self.ancestor) {
            (Some(name), _) => history::container_removed(ctx, name).await,
            (None, Some(image)) => history::containers_of_image_removed(ctx, image).await,
            _ => Ok(false),
        };
        match seen {
            Ok(true) => Outcome::pass_found(format!("{subject} : supprimé (vu par le démon)")),
            Ok(false) => Outcome::cannot(format!(
                "{subject} n'existe pas, mais rien ne montre qu'il a existé puis été supprimé : {}",
                history::NO_TRACE
            )),
            Err(e) => Outcome::cannot(e),
        }
    }

    /// What the student probably did instead, when the container is missing: another
    /// name for the same thing (`mon-nginx`), or `docker run --rm` for an `ancestor`.
    async fn likely_slip(&self, ctx: &Context) -> Option<String> {
        match (&self.name, &self.ancestor) {
            (Some(name), _) => look_alike(ctx, name).await.map(|(other, about)| {
                format!(
                    "mais un conteneur `{other}` existe ({about}) : si c'est le vôtre, \
                     renommez-le avec `docker rename {other} {name}`"
                )
            }),
            (None, Some(image)) => match history::removed_containers_of(ctx, image).await {
                Ok(n) if n > 0 => Some(format!(
                    "un conteneur de `{image}` a tourné puis a été supprimé (lancé avec `--rm` ?) : \
                     relancez `docker run {image}` sans `--rm` pour qu'il reste visible dans `docker ps -a`"
                )),
                _ => None,
            },
            _ => None,
        }
    }

    fn has_properties(&self) -> bool {
        self.exit_code.is_some()
            || self.image.is_some()
            || self.command.is_some()
            || !self.ports.is_empty()
            || !self.env.is_empty()
            || self.restart_policy.is_some()
            || !self.mounts.is_empty()
            || !self.networks.is_empty()
            || self.user.is_some()
            || self.non_root.is_some()
            || self.log_driver.is_some()
            || !self.log_options.is_empty()
            || !self.labels.is_empty()
            || self.memory.is_some()
            || self.cpus.is_some()
            || self.read_only_rootfs.is_some()
            || !self.tmpfs.is_empty()
            || !self.cap_drop.is_empty()
            || self.cap_add.is_some()
            || !self.security_opt.is_empty()
            || self.restarted.is_some()
            || self.health.is_some()
    }

    fn verify_absent(&self, subject: &str, candidates: &[ContainerInspectResponse]) -> Outcome {
        let present: Vec<String> = candidates
            .iter()
            .filter(|c| {
                self.state
                    .as_deref()
                    .is_none_or(|s| Some(s) == status(c).as_deref())
            })
            .map(|c| {
                format!(
                    "`{}` ({})",
                    container_name(c),
                    status(c).unwrap_or_else(|| "état inconnu".into())
                )
            })
            .collect();
        if present.is_empty() {
            Outcome::pass()
        } else {
            let expected = match (&self.name, &self.ancestor) {
                (Some(_), _) => format!("{subject} supprimé"),
                _ => format!("plus aucun conteneur ainsi : {subject}"),
            };
            Outcome::fail(
                expected,
                format!(
                    "encore présent{} : {}",
                    if present.len() > 1 { "s" } else { "" },
                    present.join(", ")
                ),
            )
        }
    }

    pub(crate) fn compare(&self, c: &ContainerInspectResponse, local: &Local) -> Mismatches {
        let mut m = Mismatches::new();
        let config = c.config.clone().unwrap_or_default();
        let host = c.host_config.clone().unwrap_or_default();
        let state = c.state.clone().unwrap_or_default();

        if let Some(expected) = &self.state {
            m.compare("état", expected, status(c).as_deref());
        }
        if let Some(expected) = self.exit_code
            && (state.exit_code != Some(expected) || status(c).as_deref() == Some("running"))
        {
            m.push(
                format!("code de sortie {expected} (conteneur terminé)"),
                match status(c).as_deref() {
                    Some("running") => "toujours en marche".to_string(),
                    _ => format!("code de sortie {}", state.exit_code.unwrap_or(-1)),
                },
            );
        }
        if let Some(expected) = &self.image {
            let found = config.image.clone().unwrap_or_default();
            if normalize_image(&found) != normalize_image(expected) {
                m.push(format!("image `{expected}`"), format!("image `{found}`"));
            }
        }
        if let Some(expected) = &self.command {
            let mut words: Vec<String> = c.path.iter().cloned().collect();
            words.extend(c.args.clone().unwrap_or_default());
            let found = words.join(" ");
            if normalize_space(&found) != normalize_space(expected) {
                m.push(
                    format!("commande `{expected}`"),
                    format!("commande `{found}`"),
                );
            }
        }
        self.compare_ports(c, &mut m);
        let env = env_map(config.env.as_deref().unwrap_or_default());
        compare_pairs(&mut m, "variable", &self.env, |k| env.get(k).map(String::as_str));
        if let Some(expected) = &self.restart_policy {
            let found = host
                .restart_policy
                .clone()
                .and_then(|p| p.name)
                .map(|n| n.to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "no".to_string());
            m.compare("politique de redémarrage", expected, Some(&found));
        }
        self.compare_mounts(c, local, &mut m);
        self.compare_networks(c, &mut m);
        let user = config.user.clone().unwrap_or_default();
        if let Some(expected) = &self.user {
            m.compare("utilisateur", expected, Some(&user));
        }
        if self.non_root == Some(true) && is_root(&user) {
            m.push(
                "un utilisateur non root",
                format!(
                    "utilisateur {}",
                    if user.is_empty() {
                        "root (par défaut)".to_string()
                    } else {
                        format!("`{user}`")
                    }
                ),
            );
        }
        let log = host.log_config.clone().unwrap_or_default();
        if let Some(expected) = &self.log_driver {
            m.compare("pilote de logs", expected, log.typ.as_deref());
        }
        let log_options = log.config.unwrap_or_default();
        compare_log_options(&mut m, &self.log_options, &log_options);
        let labels = config.labels.unwrap_or_default();
        compare_pairs(&mut m, "label", &self.labels, |k| {
            labels.get(k).map(String::as_str)
        });
        if let Some(expected) = &self.memory {
            let wanted = parse_size(expected).unwrap_or_default();
            let found = host.memory.unwrap_or(0);
            if i64::try_from(wanted).ok() != Some(found) {
                m.push(
                    format!("limite mémoire {expected} ({wanted} octets)"),
                    if found == 0 {
                        "aucune limite mémoire".to_string()
                    } else {
                        format!("limite mémoire {found} octets")
                    },
                );
            }
        }
        if let Some(expected) = self.cpus {
            let found = cpu_limit(&host);
            if (found - expected).abs() > 0.001 {
                m.push(
                    format!("limite CPU {expected} (`--cpus {expected}`)"),
                    if found == 0.0 {
                        "aucune limite CPU".to_string()
                    } else {
                        format!("limite CPU {found}")
                    },
                );
            }
        }
        self.compare_hardening(c, &mut m);
        if let Some(expected) = self.restarted {
            let (restarted, detail) = restarted(c);
            if restarted != expected {
                m.push(
                    if expected {
                        "redémarré après sa création (stop puis start, ou restart)"
                    } else {
                        "jamais redémarré"
                    },
                    detail,
                );
            }
        }
        if let Some(expected) = &self.health {
            let found = state
                .health
                .and_then(|h| h.status)
                .map(|s| s.to_string())
                .filter(|s| !s.is_empty() && s != "none");
            match found {
                Some(found) => m.compare("santé", expected, Some(&found)),
                None => m.push(
                    format!("santé `{expected}`"),
                    "aucun healthcheck défini".to_string(),
                ),
            }
        }
        m
    }

}

/// A state as an adjective after « un conteneur » (« un conteneur arrêté »).
fn state_adjective(state: &str) -> String {
    match state {
        "running" => "en marche".to_string(),
        "exited" => "arrêté".to_string(),
        "created" => "créé mais jamais démarré".to_string(),
        "paused" => "en pause".to_string(),
        "restarting" => "en cours de redémarrage".to_string(),
        "dead" => "mort".to_string(),
        other => format!("à l'état `{other}`"),
    }
}

/// Another container the student may have meant: its name shares a word of at least
/// four letters with `name` (`mon-nginx` for `mon-serveur-nginx`). With what it is
/// (image, published ports) so the student recognises it.
async fn look_alike(ctx: &Context, name: &str) -> Option<(String, String)> {
    let words = |n: &str| -> Vec<String> {
        n.split(['-', '_', '.'])
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_lowercase)
            .collect()
    };
    let wanted = words(name);
    if wanted.is_empty() {
        return None;
    }
    let options = bollard::query_parameters::ListContainersOptionsBuilder::default()
        .all(true)
        .build();
    let list = ctx.docker.list_containers(Some(options)).await.ok()?;
    list.into_iter().find_map(|summary| {
        let other = summary
            .names
            .as_ref()?
            .first()?
            .trim_start_matches('/')
            .to_string();
        if other == name || !words(&other).iter().any(|w| wanted.contains(w)) {
            return None;
        }
        let mut about = format!("image `{}`", summary.image.clone().unwrap_or_default());
        let ports: Vec<String> = summary
            .ports
            .unwrap_or_default()
            .iter()
            .filter_map(|p| {
                p.public_port
                    .map(|public| format!("{public} → {}", p.private_port))
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !ports.is_empty() {
            about.push_str(&format!(", publie {}", ports.join(", ")));
        }
        Some((other, about))
    })
}

/// The container's state as Docker names it (`running`, `exited`...).
pub fn status(c: &ContainerInspectResponse) -> Option<String> {
    c.state
        .as_ref()
        .and_then(|s| s.status)
        .map(|s| s.to_string())
}

/// Whether the container was started again after its creation, and what shows it.
pub fn restarted(c: &ContainerInspectResponse) -> (bool, String) {
    let restart_count = c.restart_count.unwrap_or(0);
    if restart_count > 0 {
        return (
            true,
            format!("redémarré {restart_count} fois par sa politique de redémarrage"),
        );
    }
    let created = c.created.as_deref().and_then(parse_time);
    let started = c
        .state
        .as_ref()
        .and_then(|s| s.started_at.as_deref())
        .and_then(parse_time);
    match (created, started) {
        (Some(created), Some(started)) => {
            let gap = (started - created).num_seconds();
            if gap > FIRST_START_GRACE_SECS {
                (true, format!("dernier démarrage {gap} s après la création"))
            } else {
                (false, "démarré une seule fois, à sa création".to_string())
            }
        }
        _ => (false, "jamais démarré".to_string()),
    }
}

/// Docker's timestamps (RFC 3339 with nanoseconds); the zero time means "never".
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if text.starts_with("0001-") {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_users() {
        assert!(is_root(""));
        assert!(is_root("root"));
        assert!(is_root("0:0"));
        assert!(!is_root("1001"));
        assert!(!is_root("appuser:appgroup"));
    }

    #[test]
    fn docker_times() {
        assert!(parse_time("0001-01-01T00:00:00Z").is_none());
        let a = parse_time("2026-11-23T12:00:00.1Z").expect("parses");
        let b = parse_time("2026-11-23T12:00:00.12Z").expect("parses");
        assert!(a < b);
    }
}
