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

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, WWW_AUTHENTICATE};
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Context, Verify};
use crate::outcome::Outcome;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistryCheck {
    /// `[registry/]repository[:tag|@digest]`, as given to `docker push`.
    pub image: String,
}

/// Each request to the registry (and to its token service).
const TIMEOUT: Duration = Duration::from_secs(10);

/// Largest body read (a token, a list of tags).
const BODY_LIMIT: usize = 1024 * 1024;

/// The manifest types `docker push` produces: the registry answers 404 for a manifest
/// whose type the client does not accept.
const MANIFEST_TYPES: &str = "application/vnd.docker.distribution.manifest.v2+json, \
     application/vnd.docker.distribution.manifest.list.v2+json, \
     application/vnd.oci.image.manifest.v1+json, \
     application/vnd.oci.image.index.v1+json";

/// An image reference split the way the engine splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The registry for messages: `docker.io` or the host as written (`localhost:5000`).
    pub registry: String,
    /// Where the API answers (`registry-1.docker.io` for Docker Hub).
    pub api_host: String,
    /// `library/python`, `eleve/mon-app`, `mon-app`.
    pub repository: String,
    /// A tag, or a digest (`sha256:...`).
    pub reference: String,
    /// Plain HTTP (a registry on this machine).
    pub plain_http: bool,
}

impl Reference {
    pub fn is_docker_hub(&self) -> bool {
        self.registry == "docker.io"
    }

    fn is_digest(&self) -> bool {
        self.reference.contains(':')
    }

    fn base(&self) -> String {
        let scheme = if self.plain_http { "http" } else { "https" };
        format!("{scheme}://{}/v2/{}", self.api_host, self.repository)
    }

    pub fn manifest_url(&self) -> String {
        format!("{}/manifests/{}", self.base(), self.reference)
    }

    fn tags_url(&self) -> String {
        format!("{}/tags/list?n=100", self.base())
    }

    /// The registry for a sentence: « Docker Hub », « localhost:5000 ».
    fn place(&self) -> String {
        if self.is_docker_hub() {
            "Docker Hub".to_string()
        } else {
            format!("`{}`", self.registry)
        }
    }

    /// The repository as the student names it (`eleve/mon-app`, `python`).
    fn shown_repository(&self) -> &str {
        if self.is_docker_hub() {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
        } else {
            &self.repository
        }
    }
}

const DOCKER_HUB_HOSTS: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
];

static COMPONENT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$").ok());
static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").ok());
static DIGEST: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$").ok());

fn is_match(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

/// Parses `[host[:port]/]path[:tag][@digest]`. The first component is a registry host
/// when it contains `.` or `:` or is `localhost` (the engine's rule); otherwise the image
/// is on Docker Hub, under `library/` when it has a single component. No tag means
/// `latest`.
pub fn parse_reference(text: &str) -> Result<Reference, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("la référence d'image est vide".to_string());
    }
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (text, None),
    };
    let (host, path) = match rest.split_once('/') {
        Some((first, path))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first), path)
        }
        _ => (None, rest),
    };
    let (path, tag) = match path.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, Some(t)),
        _ => (path, None),
    };
    if path.is_empty() {
        return Err(format!("« {text} » ne nomme aucun dépôt"));
    }
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "« {text} » : les noms de dépôt s'écrivent en minuscules"
        ));
    }
    if let Some(bad) = path.split('/').find(|c| !is_match(&COMPONENT, c)) {
        return Err(format!(
            "« {text} » : `{bad}` n'est pas un nom de dépôt valide (minuscules, chiffres, `.`, `_`, `-`)"
        ));
    }
    if let Some(tag) = tag
        && !is_match(&TAG, tag)
    {
        return Err(format!("« {text} » : `{tag}` n'est pas un tag valide"));
    }
    if let Some(digest) = digest
        && !is_match(&DIGEST, digest)
    {
        return Err(format!(
            "« {text} » : `{digest}` n'est pas un digest valide (`sha256:...`)"
        ));
    }
    let reference = digest.or(tag).unwrap_or("latest").to_string();
    let hub = host.is_none_or(|h| DOCKER_HUB_HOSTS.contains(&h.to_ascii_lowercase().as_str()));
    if hub {
        let repository = if path.contains('/') {
            path.to_string()
        } else {
            format!("library/{path}")
        };
        return Ok(Reference {
            registry: "docker.io".to_string(),
            api_host: "registry-1.docker.io".to_string(),
            repository,
            reference,
            plain_http: false,
        });
    }
    let host = host.unwrap_or_default();
    Ok(Reference {
        registry: host.to_string(),
        api_host: host.to_string(),
        repository: path.to_string(),
        reference,
        plain_http: is_local_host(host),
    })
}

/// `localhost:5000`, `127.0.0.1`, `[::1]:5000`: registries the engine reaches in HTTP.
fn is_local_host(host: &str) -> bool {
    let name = if let Some(bracketed) = host.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    let name = name.to_ascii_lowercase();
    name == "localhost" || name == "::1" || name.starts_with("127.")
}

/// A `WWW-Authenticate` challenge: `Bearer realm="...",service="...",scope="..."`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Lower case: `bearer`, `basic`.
    pub scheme: String,
    /// Parameter names in lower case, values unquoted.
    pub params: BTreeMap<String, String>,
}

/// Parses one challenge. Quoted values may contain commas (`scope="repository:a:pull,push"`)
/// and backslash escapes.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = match header.find(char::is_whitespace) {
        Some(pos) => (&header[..pos], &header[pos..]),
        None => (header, ""),
    };
    if scheme.is_empty() {
        return None;
    }
    let mut params = BTreeMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ',' {
                break;
            }
            key.push(c);
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(next) = chars.next() {
                                value.push(next);
                            }
                        }
                        _ => value.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
                value = value.trim().to_string();
            }
        }
        let key = key.trim().to_ascii_lowercase();
        if !key.is_empty() {
            params.insert(key, value);
        }
    }
    Some(Challenge {
        scheme: scheme.to_ascii_lowercase(),
        params,
    })
}

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

/// Asks the token service of a `Bearer` challenge for an anonymous pull token.
async fn anonymous_token(
    ctx: &Context,
    challenge: &Challenge,
    reference: &Reference,
) -> Result<String, String> {
    let realm = challenge.params.get("realm").ok_or_else(|| {
        format!(
            "le registre {} demande un jeton sans dire où le demander",
            reference.place()
        )
    })?;
    let mut url = reqwest::Url::parse(realm)
        .map_err(|_| format!("adresse du service de jetons invalide : « {realm} »"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "adresse du service de jetons invalide : « {realm} »"
        ));
    }
    {
        let mut query = url.query_pairs_mut();
        if let Some(service) = challenge.params.get("service") {
            query.append_pair("service", service);
        }
        let default_scope = format!("repository:{}:pull", reference.repository);
        let scope = challenge.params.get("scope").unwrap_or(&default_scope);
        for s in scope.split(' ').filter(|s| !s.is_empty()) {
            query.append_pair("scope", s);
        }
    }
    let host = url.host_str().unwrap_or_default().to_string();
    let response = tokio::time::timeout(TIMEOUT, ctx.http.get(url).timeout(TIMEOUT).send())
        .await
        .map_err(|_| {
            format!(
                "le service de jetons `{host}` ne répond pas en {} s",
                TIMEOUT.as_secs()
            )
        })?
        .map_err(|e| describe_error(&e, &host))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "le service de jetons `{host}` refuse un jeton anonyme (statut {status})"
        ));
    }
    let body = tokio::time::timeout(TIMEOUT, bounded_body(response))
        .await
        .ok()
        .flatten()
        .ok_or_else(|| format!("réponse illisible du service de jetons `{host}`"))?;
    #[derive(Deserialize)]
    struct TokenResponse {
        token: Option<String>,
        access_token: Option<String>,
    }
    let parsed: TokenResponse = serde_json::from_slice(&body)
        .map_err(|_| format!("réponse illisible du service de jetons `{host}`"))?;
    parsed
        .token
        .or(parsed.access_token)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("le service de jetons `{host}` n'a pas donné de jeton"))
}

/// `HEAD` of the manifest, with a token when there is one.
async fn head(
    ctx: &Context,
    reference: &Reference,
    token: Option<&str>,
) -> Result<reqwest::Response, String> {
    let mut request = ctx
        .http
        .head(ctx.published_url(&reference.manifest_url()))
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
        .get(ctx.published_url(&reference.tags_url()))
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
                        "le registre {} demande des identifiants : le vérificateur ne consulte que ce qui \
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

impl RegistryCheck {
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
        if status.is_success() {
            let digest = response
                .headers()
                .get("docker-content-digest")
                .and_then(|v| v.to_str().ok())
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

    #[test]
    fn references_are_parsed_like_the_engine() {
        let r = parse_reference("localhost:5000/mon-app:1.0").expect("valid");
        assert_eq!(
            r,
            Reference {
                registry: "localhost:5000".to_string(),
                api_host: "localhost:5000".to_string(),
                repository: "mon-app".to_string(),
                reference: "1.0".to_string(),
                plain_http: true,
            }
        );
        assert_eq!(
            r.manifest_url(),
            "http://localhost:5000/v2/mon-app/manifests/1.0"
        );

        let r = parse_reference("eleve/mon-app:1.0").expect("valid");
        assert!(r.is_docker_hub());
        assert_eq!(
            r.manifest_url(),
            "https://registry-1.docker.io/v2/eleve/mon-app/manifests/1.0"
        );

        let r = parse_reference("python").expect("valid");
        assert_eq!(
            (r.repository.as_str(), r.reference.as_str()),
            ("library/python", "latest")
        );
        assert_eq!(r.shown_repository(), "python");

        let r = parse_reference("docker.io/library/nginx:1.27").expect("valid");
        assert_eq!(
            (r.api_host.as_str(), r.repository.as_str()),
            ("registry-1.docker.io", "library/nginx")
        );

        let r = parse_reference("ghcr.io/eleve/app/web:v2").expect("valid");
        assert_eq!(
            (r.api_host.as_str(), r.repository.as_str(), r.plain_http),
            ("ghcr.io", "eleve/app/web", false)
        );

        let r = parse_reference("localhost/app").expect("valid");
        assert_eq!(
            (r.registry.as_str(), r.reference.as_str(), r.plain_http),
            ("localhost", "latest", true)
        );

        let r = parse_reference("127.0.0.1:5000/app:1").expect("valid");
        assert!(r.plain_http);

        let digest = format!("sha256:{}", "a".repeat(64));
        let r = parse_reference(&format!("localhost:5000/app@{digest}")).expect("valid");
        assert_eq!(r.reference, digest);

        for bad in [
            "",
            "Eleve/app:1.0",
            "localhost:5000/",
            "app:bad tag",
            "app@sha256:xyz",
            "a//b",
        ] {
            assert!(parse_reference(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn registry_problems_tolerate_variables() {
        assert!(
            RegistryCheck {
                image: "${utilisateur}/mon-app:1.0".to_string()
            }
            .problems()
            .is_empty()
        );
        assert_eq!(
            RegistryCheck {
                image: "Mon-App".to_string()
            }
            .problems()
            .len(),
            1
        );
        assert!(
            RegistryCheck {
                image: "localhost:5000/mon-app:1.0".to_string()
            }
            .problems()
            .is_empty()
        );
    }

    #[test]
    fn challenges_are_parsed() {
        let c = parse_challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull,push""#,
        )
        .expect("challenge");
        assert_eq!(c.scheme, "bearer");
        assert_eq!(c.params["realm"], "https://auth.docker.io/token");
        assert_eq!(c.params["service"], "registry.docker.io");
        assert_eq!(c.params["scope"], "repository:library/python:pull,push");

        let c = parse_challenge(r#"Basic realm="Registry Realm""#).expect("challenge");
        assert_eq!(
            (c.scheme.as_str(), c.params["realm"].as_str()),
            ("basic", "Registry Realm")
        );

        let c = parse_challenge(r#"bearer Realm=http://x/token , service = "a\"b""#)
            .expect("challenge");
        assert_eq!(c.params["realm"], "http://x/token");
        assert_eq!(c.params["service"], "a\"b");

        assert!(parse_challenge("   ").is_none());
    }

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
                            "Docker-Content-Digest: sha256:abc\r\n".to_string(),
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

    #[tokio::test]
    async fn token_challenge_is_answered() {
        let (address, server) = fake_registry().await;
        let ctx = context();
        let present = RegistryCheck {
            image: format!("{address}/mon-app:1.0"),
        };
        let outcome = present.verify(&ctx).await;
        assert!(outcome.is_pass(), "{outcome:?}");
        assert!(outcome.found.unwrap_or_default().contains("sha256:abc"));

        let missing = RegistryCheck {
            image: format!("{address}/mon-app:2.0"),
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
}
