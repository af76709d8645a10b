//! `client_config`: the Docker client holds credentials for a registry (the student ran
//! `docker login`).
//!
//! ```yaml
//! client_config: { registry: "https://index.docker.io/v1/" }
//! client_config: { registry: docker.io }
//! client_config: { registry: "localhost:5000" }
//! ```
//!
//! Read from `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`, as the CLI does.
//! The file holds secrets (`auth` is `user:password` in base64), so this check only ever
//! asks whether a value is *there*: it never decodes one, and no message carries a value
//! of the file other than registry keys and helper names. Credentials kept by a helper
//! (`credsStore`, `credHelpers`) are not queried: running the helper could prompt the
//! student or unlock a keychain.

use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use super::common::{TextFile, read_text, text_or_verdict};
use super::{Context, Verify};
use crate::docker::Environment;
use crate::reference::normalize_registry;
use crate::outcome::Outcome;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientConfigCheck {
    /// The registry as `docker login` names it: `https://index.docker.io/v1/`,
    /// `docker.io`, `localhost:5000`.
    pub registry: String,
}

impl Verify for ClientConfigCheck {
    fn problems(&self) -> Vec<String> {
        let registry = self.registry.trim();
        if registry.is_empty() {
            vec!["`registry` est vide (par exemple `docker.io` ou `localhost:5000`)".to_string()]
        } else if registry.contains(char::is_whitespace) || normalize_registry(registry).is_empty()
        {
            vec![format!(
                "`registry: {registry}` n'est pas un registre (par exemple `docker.io` ou `localhost:5000`)"
            )]
        } else {
            Vec::new()
        }
    }

    async fn verify(&self, _ctx: &Context) -> Outcome {
        // The endpoint module knows where the CLI keeps its configuration.
        let Some(path) = Environment::from_process()
            .config_dir()
            .map(|dir| dir.join("config.json"))
        else {
            return Outcome::cannot(
                "ni `DOCKER_CONFIG` ni dossier personnel (`HOME`) : impossible de trouver la configuration du client Docker",
            );
        };
        let reading = path.clone();
        match tokio::task::spawn_blocking(move || read_text(&reading)).await {
            Ok(file) => self.evaluate(&path, file),
            Err(e) => Outcome::cannot(format!(
                "la lecture de {} a été interrompue : {e}",
                path.display()
            )),
        }
    }
}

impl ClientConfigCheck {
    /// The verdict on what reading the configuration file gave.
    pub fn evaluate(&self, path: &Path, file: TextFile) -> Outcome {
        let target = normalize_registry(&self.registry);
        let shown_path = format!("`{}`", path.display());
        let login = if target == "docker.io" {
            "`docker login`".to_string()
        } else {
            format!("`docker login {target}`")
        };
        let expected =
            format!("des identifiants pour `{target}` dans la configuration du client ({login})");
        let missing = format!("{shown_path} n'existe pas : aucun `docker login` n'a été fait");
        let text = match text_or_verdict(
            file,
            &shown_path,
            &expected,
            missing,
            "une configuration Docker",
        ) {
            Ok(text) => text,
            Err(verdict) => return verdict,
        };
        // Only the position of a syntax error is reported: serde_json's messages could
        // quote a piece of the file.
        let config: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                return Outcome::fail(
                    expected,
                    format!(
                        "{shown_path} n'est pas du JSON valide (ligne {}, colonne {})",
                        e.line(),
                        e.column()
                    ),
                );
            }
        };

        let entry = |section: &str| {
            config
                .get(section)
                .and_then(Value::as_object)
                .and_then(|map| {
                    map.iter()
                        .find(|(key, _)| normalize_registry(key) == target)
                })
                .map(|(_, value)| value)
        };
        let non_empty = |value: Option<&Value>| {
            value
                .and_then(Value::as_str)
                .is_some_and(|s| !s.trim().is_empty())
        };

        let auth_entry = entry("auths");
        if let Some(auth) = auth_entry
            && (non_empty(auth.get("auth")) || non_empty(auth.get("identitytoken")))
        {
            return Outcome::pass_found(format!(
                "identifiants pour `{target}` enregistrés dans {shown_path} (encodés en base64, pas chiffrés)"
            ));
        }
        if let Some(helper) = entry("credHelpers")
            .and_then(Value::as_str)
            .filter(|h| !h.trim().is_empty())
        {
            return Outcome::pass_found(format!(
                "identifiants de `{target}` confiés à l'assistant `{helper}` (non vérifiés)"
            ));
        }
        let store = config
            .get("credsStore")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty());
        if let Some(store) = store {
            // With a store, `docker login` leaves an empty entry under `auths`; without
            // one, nothing shows that a login happened, and the store is not queried.
            return if auth_entry.is_some() {
                Outcome::pass_found(format!(
                    "identifiants confiés à l'assistant `{store}` (non vérifiés)"
                ))
            } else {
                Outcome::cannot(format!(
                    "les identifiants sont confiés à l'assistant `{store}`, que le checker n'interroge pas, \
                     et {shown_path} ne garde aucune trace d'un `docker login` pour `{target}`"
                ))
            };
        }
        let known: Vec<String> = config
            .get("auths")
            .and_then(Value::as_object)
            .map(|map| {
                map.keys()
                    .map(|k| format!("`{}`", normalize_registry(k)))
                    .collect()
            })
            .unwrap_or_default();
        let found = match (auth_entry, known.is_empty()) {
            (Some(_), _) => format!("{shown_path} mentionne `{target}` mais sans identifiants"),
            (None, true) => format!("{shown_path} ne contient aucun identifiant"),
            (None, false) => format!(
                "{shown_path} n'a pas d'identifiants pour `{target}` (registres connus : {})",
                known.join(", ")
            ),
        };
        Outcome::fail(expected, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Status;

    const SECRET: &str = "S3cr3t-Fake-Passw0rd";
    const USER: &str = "utilisateur-fictif";
    /// base64 of `utilisateur-fictif:S3cr3t-Fake-Passw0rd`.
    const AUTH: &str = "dXRpbGlzYXRldXItZmljdGlmOlMzY3IzdC1GYWtlLVBhc3N3MHJk";
    const TOKEN: &str = "jeton-identite-fictif-0123456789";

    fn evaluate(registry: &str, text: &str) -> Outcome {
        ClientConfigCheck {
            registry: registry.to_string(),
        }
        .evaluate(
            Path::new("/home/eleve/.docker/config.json"),
            TextFile::Text(text.to_string()),
        )
    }

    fn fields(outcome: &Outcome) -> String {
        [&outcome.expected, &outcome.found, &outcome.reason]
            .iter()
            .filter_map(|f| f.as_deref())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn registry_keys_are_normalised() {
        for key in [
            "https://index.docker.io/v1/",
            "index.docker.io",
            "docker.io",
            "registry-1.docker.io",
            "HTTPS://Docker.io",
        ] {
            assert_eq!(normalize_registry(key), "docker.io", "{key}");
        }
        assert_eq!(
            normalize_registry("http://localhost:5000/v2/"),
            "localhost:5000"
        );
        assert_eq!(normalize_registry("ghcr.io"), "ghcr.io");
    }

    #[test]
    fn credentials_in_the_file_pass() {
        let config =
            format!(r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{AUTH}"}}}}}}"#);
        for registry in [
            "https://index.docker.io/v1/",
            "docker.io",
            "index.docker.io",
        ] {
            assert!(evaluate(registry, &config).is_pass(), "{registry}");
        }
        let outcome = evaluate("localhost:5000", &config);
        assert_eq!(outcome.status, Status::Fail);
        assert!(
            fields(&outcome).contains("registres connus : `docker.io`"),
            "{outcome:?}"
        );

        let token = format!(r#"{{"auths": {{"localhost:5000": {{"identitytoken": "{TOKEN}"}}}}}}"#);
        assert!(evaluate("localhost:5000", &token).is_pass());
    }

    #[test]
    fn credential_helpers_pass_without_being_queried() {
        let helper = r#"{"credHelpers": {"localhost:5000": "pass"}}"#;
        let outcome = evaluate("localhost:5000", helper);
        assert!(outcome.is_pass());
        assert!(fields(&outcome).contains("l'assistant `pass`"));

        let store = r#"{"auths": {"https://index.docker.io/v1/": {}}, "credsStore": "desktop"}"#;
        let outcome = evaluate("docker.io", store);
        assert!(outcome.is_pass());
        assert!(fields(&outcome).contains("identifiants confiés à l'assistant `desktop`"));

        let never_logged_in = r#"{"auths": {}, "credsStore": "desktop"}"#;
        assert_eq!(
            evaluate("docker.io", never_logged_in).status,
            Status::CannotCheck
        );
    }

    #[test]
    fn missing_or_broken_configs_fail() {
        let missing = ClientConfigCheck {
            registry: "docker.io".to_string(),
        }
        .evaluate(Path::new("/nulle/part/config.json"), TextFile::Missing);
        assert_eq!(missing.status, Status::Fail);
        assert!(fields(&missing).contains("docker login"));
        assert_eq!(
            evaluate("docker.io", r#"{"auths": {}}"#).status,
            Status::Fail
        );
        assert_eq!(
            evaluate(
                "docker.io",
                r#"{"auths": {"https://index.docker.io/v1/": {"auth": ""}}}"#
            )
            .status,
            Status::Fail
        );
        let broken = evaluate(
            "docker.io",
            &format!(r#"{{"auths": {{"docker.io": {{"auth": "{AUTH}" "#),
        );
        assert_eq!(broken.status, Status::Fail);
        assert!(fields(&broken).contains("JSON valide"));
    }

    #[test]
    fn secrets_never_appear_in_outcomes() {
        let configs = [
            format!(
                r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{AUTH}", "identitytoken": "{TOKEN}"}}}}}}"#
            ),
            format!(
                r#"{{"auths": {{"localhost:5000": {{"auth": "{AUTH}"}}, "ghcr.io": {{"identitytoken": "{TOKEN}"}}}}}}"#
            ),
            format!(
                r#"{{"auths": {{"ghcr.io": {{"auth": "{AUTH}"}}}}, "credHelpers": {{"gcr.io": "gcloud"}}}}"#
            ),
            format!(
                r#"{{"auths": {{"docker.io": {{"auth": "{AUTH}", "password": "{SECRET}", "username": "{USER}"}}}}, "credsStore": "desktop"}}"#
            ),
            format!(r#"{{"auths": {{"docker.io": {{"auth": "{AUTH}" "#),
            format!(r#"{{"auths": {{"docker.io": {{"auth": {AUTH}}}}}}}"#),
            format!(r#"{{"auths": {{"docker.io": {{"auth": "{SECRET}\q"}}}}}}"#),
        ];
        for config in &configs {
            for registry in ["docker.io", "localhost:5000", "ghcr.io"] {
                let outcome = evaluate(registry, config);
                let text = fields(&outcome);
                for secret in [SECRET, AUTH, TOKEN, USER] {
                    assert!(
                        !text.contains(secret),
                        "{secret} leaked for {registry}:\n{text}"
                    );
                }
            }
        }
    }

    #[test]
    fn config_file_is_read_and_judged() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("config.json"),
            format!(r#"{{"auths": {{"localhost:5000": {{"auth": "{AUTH}"}}}}}}"#),
        )
        .expect("write");
        let check = ClientConfigCheck {
            registry: "localhost:5000".to_string(),
        };
        let outcome = check.evaluate(
            &dir.path().join("config.json"),
            read_text(&dir.path().join("config.json")),
        );
        assert!(outcome.is_pass(), "{outcome:?}");
        assert!(!fields(&outcome).contains(AUTH));
    }
}
