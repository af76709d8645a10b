//! `logs`: a container's logs contain, or match, something, possibly several times.
//!
//! ```yaml
//! logs:
//!   name: pinger
//!   matches: "Pinging\\.\\.\\."
//!   min_count: 3
//! ```
//!
//! Only the last `tail` lines are read (1000 by default) and under a deadline, so a
//! container that logs without end cannot hold the check.

use std::time::Duration;

use bollard::query_parameters::LogsOptionsBuilder;
use futures_util::StreamExt;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{
    TextRule, container_name, containers_from, excerpt, inspect_container, regex_problem,
};
use super::{Context, Verify};
use crate::docker::{describe_error, own_traffic};
use crate::outcome::Outcome;

const READ_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogsCheck {
    pub name: Option<String>,
    /// The newest container created from this image.
    pub ancestor: Option<String>,
    pub contains: Option<String>,
    pub matches: Option<String>,
    /// What `matches` means, in French, shown instead of the regex (« une ligne
    /// d'accès HTTP, comme `\"GET / HTTP/1.1\" 200` »).
    pub described_as: Option<String>,
    /// Lines that must contain / match (1 by default).
    #[serde(default = "one")]
    pub min_count: usize,
    #[serde(default = "thousand")]
    pub tail: usize,
}

fn one() -> usize {
    1
}

fn thousand() -> usize {
    1000
}

impl Verify for LogsCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.is_none() == self.ancestor.is_none() {
            out.push("indiquez soit `name`, soit `ancestor`".to_string());
        }
        if self.contains.is_none() && self.matches.is_none() {
            out.push("indiquez `contains` ou `matches`".to_string());
        }
        out.extend(regex_problem("matches", &self.matches));
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let container = match (&self.name, &self.ancestor) {
            (Some(name), _) => inspect_container(ctx, name).await,
            (None, Some(image)) => containers_from(ctx, image)
                .await
                .map(|c| c.into_iter().next()),
            _ => return Outcome::cannot("ni `name` ni `ancestor`"),
        };
        let container = match container {
            Ok(Some(c)) => c,
            Ok(None) => {
                let subject = match (&self.name, &self.ancestor) {
                    (Some(name), _) => format!("le conteneur `{name}`"),
                    (_, Some(image)) => format!("un conteneur de l'image `{image}`"),
                    _ => String::new(),
                };
                // A container that does not exist will not appear by waiting.
                return Outcome::fail(
                    format!("{subject} existe"),
                    format!("{subject} n'existe pas"),
                )
                .settled();
            }
            Err(e) => return Outcome::cannot(e),
        };
        let name = container_name(&container);
        let driver = container
            .host_config
            .as_ref()
            .and_then(|h| h.log_config.as_ref())
            .and_then(|l| l.typ.as_deref());
        if driver == Some("none") {
            return Outcome::cannot(format!(
                "le conteneur `{name}` n'a pas de logs (pilote `none`)"
            ));
        }
        let text = match read_logs(ctx, &name, self.tail).await {
            Ok(text) => text,
            Err(e) => return Outcome::cannot(e),
        };
        let regex = self.matches.as_deref().and_then(|p| Regex::new(p).ok());
        let rules = TextRule::from_fields(self.contains.as_deref(), None, regex.as_ref());
        // The checker's own HTTP requests write access lines too: they are not the
        // student's (see own_traffic).
        let count = text
            .lines()
            .filter(|line| !line.contains(own_traffic::USER_AGENT))
            .filter(|line| rules.iter().all(|r| r.holds(line)))
            .count();
        if count >= self.min_count {
            return Outcome::pass_found(lines(count));
        }
        let what = match (&self.described_as, &self.contains, &self.matches) {
            (Some(d), _, _) => d.clone(),
            (None, Some(c), _) => format!("« {c} »"),
            (None, None, Some(m)) => format!("`{m}`"),
            _ => String::new(),
        };
        let last = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        Outcome::fail(
            format!(
                "{} {} de `{name}` avec {what}",
                if self.min_count > 1 { "au moins" } else { "" },
                if self.min_count > 1 {
                    format!("{} lignes de logs", self.min_count)
                } else {
                    "une ligne de logs".to_string()
                }
            )
            .trim_start()
            .to_string(),
            if text.trim().is_empty() {
                "aucune ligne de logs".to_string()
            } else {
                format!(
                    "{} ; dernière ligne : « {} »{}",
                    lines(count),
                    excerpt(last, 100),
                    if count == 0 {
                        format!(
                            " (le conteneur écrit autre chose : sa commande est-elle la bonne ? \
                             `docker inspect --format '{{{{json .Config.Cmd}}}}' {name}`)"
                        )
                    } else {
                        String::new()
                    }
                )
            },
        )
    }
}

/// How many lines matched, in French with the right plural.
fn lines(count: usize) -> String {
    match count {
        0 => "aucune ligne ne convient".to_string(),
        1 => "1 ligne convient".to_string(),
        n => format!("{n} lignes conviennent"),
    }
}

/// The last `tail` lines of stdout and stderr.
pub async fn read_logs(ctx: &Context, container: &str, tail: usize) -> Result<String, String> {
    let options = LogsOptionsBuilder::default()
        .stdout(true)
        .stderr(true)
        .follow(false)
        .tail(&tail.to_string())
        .build();
    let mut stream = ctx.docker.logs(container, Some(options));
    let mut text = String::new();
    let mut error = None;
    let read = async {
        while let Some(item) = stream.next().await {
            match item {
                Ok(frame) => text.push_str(&String::from_utf8_lossy(&frame.into_bytes())),
                Err(e) => {
                    error = Some(describe_error(&e));
                    break;
                }
            }
        }
    };
    if tokio::time::timeout(READ_LIMIT, read).await.is_err() {
        return Err(format!(
            "lecture des logs interrompue après {} s",
            READ_LIMIT.as_secs()
        ));
    }
    match error {
        Some(e) => Err(e),
        None => Ok(text),
    }
}
