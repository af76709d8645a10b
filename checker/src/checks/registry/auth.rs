//! Registry authentication: the `WWW-Authenticate` challenge and the anonymous pull
//! token a registry such as Docker Hub asks for, as `docker pull` of a public image does.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{TIMEOUT, bounded_body, describe_error};
use crate::checks::Context;
use crate::reference::Reference;

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

/// Asks the token service of a `Bearer` challenge for an anonymous pull token.
pub async fn anonymous_token(
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
    let response = tokio::time::timeout(TIMEOUT, ctx.http.get(url.as_str()).timeout(TIMEOUT).send())
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


#[cfg(test)]
mod tests {
    use super::*;

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
}
