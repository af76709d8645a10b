//! `http`: a URL on the host answers, with the expected status and body.
//!
//! ```yaml
//! http:
//!   url: http://localhost:8080/
//!   status: 200
//!   body_contains: Welcome to nginx!
//! ```
//!
//! `body_same_as_file: projet-code/index.html` compares the page with a file of the
//! student's working folder *as it is now* (exercise 8.2: a bind mount serves the
//! host's edits at once; a copy made with `docker cp` goes stale).
//!
//! Each request is bounded (`timeout`, 3 s by default) so a port that accepts the
//! connection but never answers fails quickly; combine with the check's `retry` for a
//! server that is still starting.

use std::time::Duration;

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{
    TextFile, TextRule, compare_text, excerpt, path_problem, read_text, regex_problem, resolve,
};
use super::web::{BODY_LIMIT, Fetched};
use super::{Context, Verify};
use crate::units::{self, human_size};
use crate::outcome::{Mismatches, Outcome};

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpCheck {
    pub url: String,
    #[serde(default = "ok")]
    pub status: u16,
    pub body_contains: Option<String>,
    pub body_matches: Option<String>,
    /// A file of the working folder whose current content the page must be (leading
    /// and trailing blanks aside).
    pub body_same_as_file: Option<String>,
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
        if let Some(path) = &self.body_same_as_file {
            out.extend(path_problem(path).map(|p| format!("`body_same_as_file` : {p}")));
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let timeout = self.timeout();
        let url = ctx.published_url(&self.url);
        let expected = || format!("{} répond {}", self.url, self.status);
        let (status, body, truncated) = match ctx.http.page(&url, timeout).await {
            Fetched::Page {
                status,
                body,
                truncated,
            } => (status, body, truncated),
            // Refused means nothing listens, not even Docker's port proxy (which
            // accepts as soon as a container publishes the port): no container to
            // wait for. Timeouts and resets may be a server still starting. (With
            // `userland-proxy: false` a starting server can refuse too; the student
            // then simply runs the check again.)
            Fetched::Refused => {
                return Outcome::fail(
                    expected(),
                    format!("connexion refusée : rien n'écoute sur {}", host_port(&url)),
                )
                .settled();
            }
            Fetched::TimedOut { partial: false } => {
                return Outcome::fail(
                    expected(),
                    format!(
                        "aucune réponse en {} s (le port accepte mais ne répond pas ?)",
                        timeout.as_secs_f32()
                    ),
                );
            }
            Fetched::TimedOut { partial: true } => {
                return Outcome::fail(
                    "une réponse complète",
                    format!("réponse incomplète après {} s", timeout.as_secs_f32()),
                );
            }
            Fetched::Failed(e) => return Outcome::fail(expected(), format!("erreur HTTP : {e}")),
            Fetched::Unreadable(e) => {
                return Outcome::fail("une réponse lisible", format!("corps illisible : {e}"));
            }
        };
        // Only the first MiB is read: say so when the page is judged on part of itself.
        let body_label = if truncated {
            format!("page (1 Mio lus sur plus de {})", human_size(BODY_LIMIT as u64))
        } else {
            "page".to_string()
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
        compare_text(&mut m, &rules, "la page", &body_label, &body);
        if let Some(path) = &self.body_same_as_file {
            let shown = format!("`{path}`");
            let expected = format!("la page est le contenu actuel de {shown}");
            match read_text(&resolve(&ctx.workdir, path)) {
                TextFile::Text(text) if text.trim() == body.trim() => {}
                TextFile::Text(text) => m.push(
                    format!("{expected} : « {} »", excerpt(&text, 80)),
                    format!("{body_label} : « {} »", excerpt(&body, 80)),
                ),
                TextFile::Missing => m.push(
                    expected,
                    format!(
                        "{shown} est introuvable (dossier de travail : {})",
                        ctx.workdir.display()
                    ),
                ),
                TextFile::Directory => {
                    m.push(expected, format!("{shown} est un dossier, pas un fichier"))
                }
                TextFile::TooLarge(size) => m.push(
                    expected,
                    format!("{shown} fait {} : trop gros pour une page", human_size(size)),
                ),
                TextFile::Unreadable(why) => {
                    return Outcome::cannot(format!("impossible de lire {shown} : {why}"));
                }
            }
        }
        m.into_outcome()
    }
}

impl HttpCheck {
    /// Each request's bound.
    pub fn timeout(&self) -> Duration {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
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


#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;

    /// A server whose page never ends: the check reads 1 MiB, concludes within its
    /// timeout, and says the page was cut.
    #[tokio::test]
    async fn endless_bodies_are_read_up_to_the_limit() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
                let chunk = [b'a'; 64 * 1024];
                // Far more than the limit, then the test is over anyway.
                for _ in 0..1024 {
                    if stream.write_all(&chunk).is_err() {
                        break;
                    }
                }
            }
        });
        let docker =
            bollard::Docker::connect_with_http("tcp://127.0.0.1:1", 1, bollard::API_DEFAULT_VERSION)
                .expect("lazy client");
        let ctx = Context::new(docker, std::path::PathBuf::new());
        let check = HttpCheck {
            url: format!("http://127.0.0.1:{port}/"),
            status: 200,
            body_contains: Some("Bienvenue".to_string()),
            body_matches: None,
            body_same_as_file: None,
            timeout: Some(Duration::from_secs(10)),
        };
        let outcome = check.verify(&ctx).await;
        let found = outcome.found.unwrap_or_default();
        assert!(found.contains("1 Mio lus"), "{found}");
        assert!(found.chars().count() < 300, "the excerpt stays short");
    }
}
