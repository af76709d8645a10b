//! `registry`: a `repository:tag` exists on a registry (the student pushed it).
//!
//! ```yaml
//! registry: { image: "localhost:5000/mon-app:1.0" }
//! registry: { image: "eleve/mon-app:1.0" }   # Docker Hub
//! ```
//!
//! Asked through the registry HTTP API v2, not through the engine: a `docker pull`
//! would change the student's host and prove nothing about what the registry holds.
//! `HEAD /v2/<repository>/manifests/<tag>` answers without downloading anything; a
//! registry that wants a token (Docker Hub) gets an anonymous one, as `docker pull` of a
//! public image does. A local registry (`localhost`, `127.0.0.1`) is spoken to in plain
//! HTTP, as the engine does; any other in HTTPS.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, WWW_AUTHENTICATE};
use schemars::JsonSchema;
use serde::Deserialize;

mod auth;

use auth::{anonymous_token, parse_challenge};

use super::web::BODY_LIMIT;
use super::{Context, Verify};
use crate::reference::{Reference, parse_reference};
use crate::outcome::Outcome;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistryCheck {
    /// `[registry/]repository[:tag|@digest]`, as given to `docker push`.
    pub image: String,
    /// A local image the pushed one must be: the registry's digest is among that
    /// image's `RepoDigests` (what `docker push` records). A tag pushed, then the image
    /// rebuilt without pushing again, fails.
    pub same_as_local: Option<String>,
}

/// Each request to the registry (and to its token service).
const TIMEOUT: Duration = Duration::from_secs(10);

/// The manifest types `docker push` produces: the registry answers 404 for a manifest
/// whose type the client does not accept.
const MANIFEST_TYPES: &str = "application/vnd.docker.distribution.manifest.v2+json, \
     application/vnd.docker.distribution.manifest.list.v2+json, \
     application/vnd.oci.image.manifest.v1+json, \
     application/vnd.oci.image.index.v1+json";

/// A network error, in French, with its cause (`connexion refusée`, not the bare
/// "error sending request").
fn describe_error(error: &reqwest::Error, host: &str) -> String {
    if error.is_timeout() {
        return format!("`{host}` ne répond pas en {} s", TIMEOUT.as_secs());
    }
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    let detail = causes.last().cloned().unwrap_or_else(|| error.to_string());
    let refused = causes
        .iter()
        .any(|c| c.to_ascii_lowercase().contains("refused"));
    if refused {
        format!("connexion refusée par `{host}` : le registre est-il démarré ?")
    } else if error.is_connect() {
        format!("impossible de joindre `{host}` ({detail})")
    } else {
        format!("erreur réseau avec `{host}` ({detail})")
    }
}

/// A body of at most [`BODY_LIMIT`] bytes.
async fn bounded_body(mut response: reqwest::Response) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() > BODY_LIMIT {
            return None;
        }
    }
    Some(body)
}

/// `HEAD` of the manifest, with a token when there is one.
async fn head(
    ctx: &Context,
    reference: &Reference,
    token: Option<&str>,
) -> Result<reqwest::Response, String> {
    let mut request = ctx
        .http
        .head(&ctx.published_url(&reference.manifest_url()))
        .header(ACCEPT, MANIFEST_TYPES)
        .timeout(TIMEOUT);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    match tokio::time::timeout(TIMEOUT, request.send()).await {
        Ok(Ok(response)) => Ok(response),
        Ok(Err(e)) => Err(describe_error(&e, &reference.api_host)),
        Err(_) => Err(format!(
            "`{}` ne répond pas en {} s",
            reference.api_host,
            TIMEOUT.as_secs()
        )),
    }
}

/// The tags of the repository, to say what *is* there when a tag is missing. `None`
/// when the registry does not tell; `Some(empty)` when the repository does not exist.
async fn existing_tags(
    ctx: &Context,
    reference: &Reference,
    token: Option<&str>,
) -> Option<Vec<String>> {
    let mut request = ctx
        .http
        .get(&ctx.published_url(&reference.tags_url()))
        .timeout(TIMEOUT);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = tokio::time::timeout(TIMEOUT, request.send())
        .await
        .ok()?
        .ok()?;
    match response.status() {
        StatusCode::NOT_FOUND => Some(Vec::new()),
        s if s.is_success() => {
            let body = tokio::time::timeout(TIMEOUT, bounded_body(response))
                .await
                .ok()??;
            #[derive(Deserialize)]
            struct Tags {
                tags: Option<Vec<String>>,
            }
            serde_json::from_slice::<Tags>(&body)
                .ok()
                .map(|t| t.tags.unwrap_or_default())
        }
        _ => None,
    }
}

impl Verify for RegistryCheck {
    fn problems(&self) -> Vec<String> {
        // `${user}/mon-app:1.0` is only a reference once the variables are substituted.
        if self.image.contains("${") {
            return Vec::new();
        }
        parse_reference(&self.image).err().into_iter().collect()
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let reference = match parse_reference(&self.image) {
            Ok(r) => r,
            Err(e) => return Outcome::cannot(format!("référence d'image invalide : {e}")),
        };
        let mut response = match head(ctx, &reference, None).await {
            Ok(r) => r,
            Err(e) => {
                return Outcome::cannot(format!(
                    "impossible d'interroger le registre {} : {e}",
                    reference.place()
                ));
            }
        };
        let mut token = None;
        if response.status() == StatusCode::UNAUTHORIZED {
            let challenge = response
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_challenge);
            match challenge {
                Some(c) if c.scheme == "bearer" => {
                    let t = match anonymous_token(ctx, &c, &reference).await {
                        Ok(t) => t,
                        Err(e) => return Outcome::cannot(e),
                    };
                    response = match head(ctx, &reference, Some(&t)).await {
                        Ok(r) => r,
                        Err(e) => {
                            return Outcome::cannot(format!(
                                "impossible d'interroger le registre {} : {e}",
                                reference.place()
                            ));
                        }
                    };
                    token = Some(t);
                }
                _ => {
                    return Outcome::cannot(format!(
                        "le registre {} demande des identifiants : le checker ne consulte que ce qui \
                         se lit sans connexion",
                        reference.place()
                    ));
                }
            }
        }
        self.conclude(ctx, &reference, response, token.as_deref())
            .await
    }
}

/// Whether an answer comes from a registry (API v2): it names its API version, or
/// gives the manifest's digest with a manifest media type.
fn speaks_registry_v2(response: &reqwest::Response) -> bool {
    let headers = response.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    header("docker-distribution-api-version").is_some_and(|v| v.starts_with("registry/2"))
        || (header("docker-content-digest").is_some()
            && header("content-type").is_some_and(|t| t.contains("manifest") || t.contains("image.index")))
}

impl RegistryCheck {
    /// The verdict when the pushed manifest is not the local image `local`; `None`
    /// when it is.
    async fn compare_local(
        &self,
        ctx: &Context,
        local: &str,
        pushed: Option<&str>,
    ) -> Option<Outcome> {
        let Some(pushed) = pushed else {
            return Some(Outcome::cannot(format!(
                "le registre ne donne pas le digest de `{}` : impossible de le comparer à `{local}`",
                self.image.trim()
            )));
        };
        let image = match ctx.snapshot.image(&ctx.docker, local).await {
            Ok(Some(image)) => image,
            Ok(None) => {
                return Some(Outcome::cannot(format!(
                    "`{local}` n'est plus présente localement : impossible de comparer ce qui a été publié"
                )));
            }
            Err(e) => return Some(Outcome::cannot(e)),
        };
        let digests: Vec<String> = image
            .repo_digests
            .unwrap_or_default()
            .iter()
            .filter_map(|d| d.split_once('@').map(|(_, digest)| digest.to_string()))
            .collect();
        if digests.iter().any(|d| d == pushed) {
            return None;
        }
        Some(Outcome::fail(
            format!("`{}` publié depuis votre image `{local}`", self.image.trim()),
            format!(
                "le registre a `{}` (digest {pushed}), qui n'est pas `{local}` telle qu'elle est \
                 maintenant (reconstruite après l'envoi ?) : poussez-la de nouveau",
                self.image.trim()
            ),
        ))
    }

    async fn conclude(
        &self,
        ctx: &Context,
        reference: &Reference,
        response: reqwest::Response,
        token: Option<&str>,
    ) -> Outcome {
        let repository = reference.shown_repository();
        let what = if reference.is_digest() {
            "le manifeste"
        } else {
            "le tag"
        };
        let expected = format!(
            "{what} `{}` dans le dépôt `{repository}` sur {}",
            reference.reference,
            reference.place()
        );
        let status = response.status();
        if status.is_success() && !speaks_registry_v2(&response) {
            // Any web server answers 200 to a HEAD: only a registry names its API or
            // the manifest's digest and type.
            return Outcome::cannot(format!(
                "{} répond, mais pas comme un registre Docker (ni en-tête \
                 `Docker-Distribution-Api-Version`, ni digest, ni type de manifeste) : \
                 est-ce bien le port du registre ?",
                reference.place()
            ));
        }
        if status.is_success() {
            let pushed = response
                .headers()
                .get("docker-content-digest")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            if let Some(local) = &self.same_as_local
                && let Some(verdict) = self.compare_local(ctx, local, pushed.as_deref()).await
            {
                return verdict;
            }
            let digest = pushed
                .map(|d| format!(" (digest {d})"))
                .unwrap_or_default();
            return Outcome::pass_found(format!(
                "`{}` est présent sur {}{digest}",
                self.image.trim(),
                reference.place()
            ));
        }
        match status {
            StatusCode::NOT_FOUND => {
                let found = match existing_tags(ctx, reference, token).await {
                    Some(tags) if tags.is_empty() => {
                        format!(
                            "le dépôt `{repository}` n'existe pas sur {} (rien n'y a été poussé)",
                            reference.place()
                        )
                    }
                    Some(mut tags) => {
                        tags.sort();
                        let count = tags.len();
                        let shown: Vec<String> =
                            tags.iter().take(10).map(|t| format!("`{t}`")).collect();
                        let more = if count > 10 {
                            format!(" et {} autres", count - 10)
                        } else {
                            String::new()
                        };
                        format!(
                            "{what} {} est absent du dépôt `{repository}` sur {} (tags présents : {}{more})",
                            reference.reference,
                            reference.place(),
                            shown.join(", ")
                        )
                    }
                    None => format!(
                        "{what} {} est absent du dépôt `{repository}` sur {}",
                        reference.reference,
                        reference.place()
                    ),
                };
                Outcome::fail(expected, found)
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Outcome::fail(
                expected,
                format!(
                    "le dépôt `{repository}` est introuvable ou privé sur {} (accès anonyme refusé) ; \
                     s'il est privé, rendez-le public",
                    reference.place()
                ),
            ),
            StatusCode::TOO_MANY_REQUESTS => Outcome::cannot(format!(
                "le registre {} limite le nombre de requêtes (429) : réessayez dans quelques minutes",
                reference.place()
            )),
            other => Outcome::cannot(format!(
                "le registre {} a répondu {other} à `HEAD {}`",
                reference.place(),
                reference.manifest_url()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;
    use crate::outcome::Status;

    /// A registry that wants a token, knows `mon-app:1.0`, and counts requests.
    async fn fake_registry() -> (String, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("addr").to_string();
        let realm = format!("http://{address}/token");
        let handle = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let realm = realm.clone();
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 8192];
                    let Ok(n) = socket.read(&mut buffer).await else {
                        return;
                    };
                    let request = String::from_utf8_lossy(&buffer[..n]).to_string();
                    let first = request.lines().next().unwrap_or_default().to_string();
                    let authorised = request
                        .to_ascii_lowercase()
                        .contains("authorization: bearer jeton-anonyme");
                    let (status, headers, body) = if first.starts_with("GET /token?") {
                        assert!(
                            first.contains("scope=repository%3Amon-app%3Apull"),
                            "{first}"
                        );
                        (
                            "200 OK",
                            String::new(),
                            r#"{"token":"jeton-anonyme"}"#.to_string(),
                        )
                    } else if !authorised {
                        (
                            "401 Unauthorized",
                            format!(
                                "WWW-Authenticate: Bearer realm=\"{realm}\",service=\"test\",scope=\"repository:mon-app:pull\"\r\n"
                            ),
                            String::new(),
                        )
                    } else if first.starts_with("HEAD /v2/mon-app/manifests/1.0 ") {
                        (
                            "200 OK",
                            "Docker-Distribution-Api-Version: registry/2.0\r\n\
                             Docker-Content-Digest: sha256:abc\r\n"
                                .to_string(),
                            String::new(),
                        )
                    } else if first.starts_with("GET /v2/mon-app/tags/list") {
                        (
                            "200 OK",
                            String::new(),
                            r#"{"name":"mon-app","tags":["1.0","latest"]}"#.to_string(),
                        )
                    } else {
                        ("404 Not Found", String::new(), String::new())
                    };
                    let response = format!(
                        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{}",
                        body.len(),
                        if first.starts_with("HEAD") {
                            ""
                        } else {
                            body.as_str()
                        }
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                });
            }
        });
        (address, handle)
    }

    fn context() -> Context {
        let docker = bollard::Docker::connect_with_http(
            "http://127.0.0.1:9",
            1,
            bollard::API_DEFAULT_VERSION,
        )
        .expect("client");
        Context::new(docker, std::env::temp_dir())
    }

    #[test]
    fn registry_problems_tolerate_variables() {
        assert!(
            RegistryCheck {
                image: "${utilisateur}/mon-app:1.0".to_string(),
                same_as_local: None,
            }
            .problems()
            .is_empty()
        );
        assert_eq!(
            RegistryCheck {
                image: "Mon-App".to_string(),
                same_as_local: None,
            }
            .problems()
            .len(),
            1
        );
        assert!(
            RegistryCheck {
                image: "localhost:5000/mon-app:1.0".to_string(),
                same_as_local: None,
            }
            .problems()
            .is_empty()
        );
    }

    #[tokio::test]
    async fn token_challenge_is_answered() {
        let (address, server) = fake_registry().await;
        let ctx = context();
        let present = RegistryCheck {
            image: format!("{address}/mon-app:1.0"),
            same_as_local: None,
        };
        let outcome = present.verify(&ctx).await;
        assert!(outcome.is_pass(), "{outcome:?}");
        assert!(outcome.found.unwrap_or_default().contains("sha256:abc"));

        let missing = RegistryCheck {
            image: format!("{address}/mon-app:2.0"),
            same_as_local: None,
        };
        let outcome = missing.verify(&ctx).await;
        assert_eq!(outcome.status, Status::Fail, "{outcome:?}");
        let found = outcome.found.unwrap_or_default();
        assert!(
            found.contains("le tag 2.0 est absent du dépôt `mon-app`"),
            "{found}"
        );
        assert!(found.contains("`1.0`, `latest`"), "{found}");
        server.abort();
    }

    #[tokio::test]
    async fn unreachable_registry_cannot_be_checked() {
        // Bind then drop: nothing listens on that port any more.
        let address = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind")
            .local_addr()
            .expect("addr");
        let check = RegistryCheck {
            image: format!("{address}/mon-app:1.0"),
            same_as_local: None,
        };
        let outcome = check.verify(&context()).await;
        assert_eq!(outcome.status, Status::CannotCheck, "{outcome:?}");
        assert!(
            outcome
                .reason
                .unwrap_or_default()
                .contains("connexion refusée")
        );
    }

    /// Any web server answers 200: that is not a registry holding the tag.
    #[tokio::test]
    async fn a_plain_web_server_is_not_a_registry() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut buffer = vec![0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
            }
        });
        let check = RegistryCheck {
            image: format!("{address}/mon-app:1.0"),
            same_as_local: None,
        };
        let outcome = check.verify(&context()).await;
        assert_eq!(outcome.status, Status::CannotCheck, "{outcome:?}");
        assert!(outcome.reason.unwrap_or_default().contains("pas comme un registre"));
    }
}
