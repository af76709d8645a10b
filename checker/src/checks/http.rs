//! `http`: a URL on the host answers, with the expected status and body.
//!
//! ```yaml
//! http:
//!   url: http://localhost:8080/
//!   status: 200
//!   body_contains: Welcome to nginx!
//! ```
//!
//! Each request is bounded (`timeout`, 3 s by default) so a port that accepts the
//! connection but never answers fails quickly; combine with the check's `retry` for a
//! server that is still starting.

use std::time::Duration;

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{TextRule, compare_text, regex_problem};
use super::{Context, Verify};
use crate::units;
use crate::outcome::{Mismatches, Outcome};

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpCheck {
    pub url: String,
    #[serde(default = "ok")]
    pub status: u16,
    pub body_contains: Option<String>,
    pub body_matches: Option<String>,
    #[serde(default, deserialize_with = "units::optional_duration")]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Duration>,
}

fn ok() -> u16 {
    200
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

impl Verify for HttpCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if reqwest::Url::parse(&self.url).is_err() {
            out.push(format!("URL invalide « {} »", self.url));
        }
        out.extend(regex_problem("body_matches", &self.body_matches));
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let url = ctx.published_url(&self.url);
        let response = ctx.http.get(&url).timeout(timeout).send().await;
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                let found = if e.is_timeout() {
                    format!(
                        "aucune réponse en {} s (le port accepte mais ne répond pas ?)",
                        timeout.as_secs_f32()
                    )
                } else if e.is_connect() {
                    format!("connexion refusée : rien n'écoute sur {}", host_port(&url))
                } else {
                    format!("erreur HTTP : {e}")
                };
                let outcome = Outcome::fail(format!("{} répond {}", self.url, self.status), found);
                // Refused means nothing listens, not even Docker's port proxy (which
                // accepts as soon as a container publishes the port): no container to
                // wait for. Timeouts and resets may be a server still starting. (With
                // `userland-proxy: false` a starting server can refuse too; the student
                // then simply runs the check again.)
                return if e.is_connect() && !e.is_timeout() {
                    outcome.settled()
                } else {
                    outcome
                };
            }
        };
        let status = response.status().as_u16();
        let body = match tokio::time::timeout(timeout, response.text()).await {
            Ok(Ok(body)) => body,
            Ok(Err(e)) => {
                return Outcome::fail("une réponse lisible", format!("corps illisible : {e}"));
            }
            Err(_) => {
                return Outcome::fail(
                    "une réponse complète",
                    format!("réponse incomplète après {} s", timeout.as_secs_f32()),
                );
            }
        };
        let mut m = Mismatches::new();
        if status != self.status {
            m.push(
                format!("statut HTTP {}", self.status),
                format!("statut HTTP {status}"),
            );
        }
        let regex = self.body_matches.as_deref().and_then(|p| Regex::new(p).ok());
        let rules = TextRule::from_fields(self.body_contains.as_deref(), None, regex.as_ref());
        compare_text(&mut m, &rules, "la page", "page", &body);
        m.into_outcome()
    }
}

fn host_port(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .map(|u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or("?"),
                u.port_or_known_default().unwrap_or(80)
            )
        })
        .unwrap_or_else(|| url.to_string())
}

