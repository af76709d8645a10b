//! `daemon`: facts about the Docker engine itself (chapter 1: is it installed and
//! recent enough?).
//!
//! ```yaml
//! daemon:
//!   min_engine_version: "20.10"
//!   info: true
//! ```
//!
//! A check with no property only asks the engine to answer a ping. What was seen
//! (version, OS, architecture) is reported on success too, so the student sees it.

use schemars::JsonSchema;
use serde::Deserialize;

use std::collections::BTreeMap;

use super::container::compare_log_options;
use super::{Context, Verify};
use crate::docker::{describe_error, helper};
use crate::outcome::{Mismatches, Outcome};

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DaemonCheck {
    /// Lowest engine version accepted, e.g. `20.10`.
    pub min_engine_version: Option<String>,
    /// Lowest API version accepted, e.g. `1.41`.
    pub min_api_version: Option<String>,
    /// The engine answers `docker info` (not just a ping).
    #[serde(default)]
    pub info: bool,
    /// Expected server OS (`linux`, `windows`).
    pub os: Option<String>,
    /// Expected logging driver of the daemon (`json-file`...).
    pub log_driver: Option<String>,
    /// Logging options the daemon gives every new container (`log-opts` of
    /// `daemon.json`). `docker info` does not show them, so they are read from a helper
    /// container created (never started) from `probe_image`, without options of its own.
    #[serde(default)]
    pub log_options: BTreeMap<String, String>,
    /// A local image to create that helper from (`alpine`).
    pub probe_image: Option<String>,
}

impl Verify for DaemonCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (field, value) in [
            ("min_engine_version", &self.min_engine_version),
            ("min_api_version", &self.min_api_version),
        ] {
            if let Some(v) = value
                && parse_version(v).is_none()
            {
                out.push(format!("`{field}: {v}` : attendu une version comme 20.10"));
            }
        }
        if !self.log_options.is_empty() && self.probe_image.is_none() {
            out.push("`log_options` demande `probe_image` (une image locale, par exemple `alpine`)".to_string());
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        if let Err(e) = ctx.docker.ping().await {
            return Outcome::fail("le démon Docker répond", describe_error(&e));
        }
        let version = match ctx.docker.version().await {
            Ok(v) => v,
            Err(e) => return Outcome::cannot(describe_error(&e)),
        };
        let engine = version.version.clone().unwrap_or_default();
        let api = version.api_version.clone().unwrap_or_default();
        let os = version.os.clone().unwrap_or_default();
        let arch = version.arch.clone().unwrap_or_default();
        let mut m = Mismatches::new();
        if let Some(min) = &self.min_engine_version
            && !at_least(&engine, min)
        {
            m.push(
                format!("moteur Docker {min} ou plus récent"),
                format!("moteur {engine}"),
            );
        }
        if let Some(min) = &self.min_api_version
            && !at_least(&api, min)
        {
            m.push(format!("API {min} ou plus récente"), format!("API {api}"));
        }
        if let Some(expected) = &self.os {
            m.compare("système du serveur", expected, Some(&os));
        }
        let mut seen = format!("moteur {engine}, API {api}, {os}/{arch}");
        if self.info || self.log_driver.is_some() {
            match ctx.docker.info().await {
                Ok(info) => {
                    let driver = info.logging_driver.unwrap_or_default();
                    if let Some(expected) = &self.log_driver {
                        m.compare("pilote de logs par défaut", expected, Some(&driver));
                    }
                    let count = |n: i64, one: &str| {
                        format!("{n} {one}{}", if n > 1 { "s" } else { "" })
                    };
                    seen.push_str(&format!(
                        ", {}, {}, stockage {}",
                        count(info.containers.unwrap_or(0), "conteneur"),
                        count(info.images.unwrap_or(0), "image"),
                        info.driver.unwrap_or_default()
                    ));
                }
                Err(e) => m.push("le démon répond à `docker info`", describe_error(&e)),
            }
        }
        if let (false, Some(image)) = (self.log_options.is_empty(), &self.probe_image) {
            let docker = ctx.docker.clone();
            let read = helper::with_created(&ctx.docker, image, Vec::new(), |id| async move {
                docker
                    .inspect_container(&id, None)
                    .await
                    .map_err(|e| describe_error(&e))
            })
            .await;
            match read {
                Ok(helper) => {
                    let log = helper
                        .host_config
                        .and_then(|h| h.log_config)
                        .unwrap_or_default();
                    let mut options = Mismatches::new();
                    compare_log_options(
                        &mut options,
                        &self.log_options,
                        &log.config.unwrap_or_default(),
                    );
                    if !options.is_empty() {
                        let outcome = options.into_outcome();
                        m.push(
                            format!(
                                "le démon donne à tout nouveau conteneur {} (`log-opts` de `daemon.json`)",
                                outcome.expected.unwrap_or_default()
                            ),
                            format!(
                                "réglages du démon : {} (des `--log-opt` donnés à un seul conteneur ne changent pas le démon)",
                                outcome.found.unwrap_or_default()
                            ),
                        );
                    }
                }
                Err(e) => {
                    return Outcome::cannot(format!(
                        "impossible de lire les réglages de logs du démon avec un conteneur d'aide de `{image}` : {e}"
                    ));
                }
            }
        }
        if m.is_empty() {
            Outcome::pass_found(seen)
        } else {
            m.into_outcome()
        }
    }
}

/// `20.10.24+dfsg1` → `[20, 10, 24]`.
pub fn parse_version(text: &str) -> Option<Vec<u64>> {
    let core = text.trim().trim_start_matches('v');
    let numbers: Vec<u64> = core
        .split(['.', '-', '+', '~'])
        .take(3)
        .map_while(|p| p.parse().ok())
        .collect();
    (!numbers.is_empty()).then_some(numbers)
}

/// `found >= min`, comparing numerically part by part.
pub fn at_least(found: &str, min: &str) -> bool {
    match (parse_version(found), parse_version(min)) {
        (Some(f), Some(m)) => f >= m,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(at_least("20.10.24+dfsg1", "20.10"));
        assert!(at_least("28.2.2", "20.10"));
        assert!(!at_least("19.03.15", "20.10"));
        assert!(at_least("1.41", "1.41"));
        assert!(!at_least("1.9", "1.41"));
        assert!(!at_least("inconnu", "1.0"));
    }
}
