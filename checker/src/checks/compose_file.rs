//! `compose_file`: the Compose file in the student's folder says what the exercise asks.
//!
//! ```yaml
//! compose_file:
//!   path: compose-app            # a folder (compose.yaml, compose.yml, docker-compose.y[a]ml) or a file
//!   project: compose-app         # the project's name once resolved
//!   services:
//!     proxy: { read_only_binds: [/etc/nginx/conf.d/default.conf] }
//!     api: { keys: [build, healthcheck], env_file: true, restart: unless-stopped,
//!            depends_on: { db: service_healthy } }
//! ```
//!
//! The file is read by Compose itself when it can be: `docker compose config --format
//! json` resolves `.env`, interpolation, `extends`, profiles and the short syntaxes
//! exactly as `docker compose up` will. Without the CLI (or its Compose plugin) the
//! checker reads the YAML itself, without interpolation or `extends`, and says so in the
//! verdict; when neither works the verdict is *cannot check*, never a guess. Two facts
//! are about how the file is *written*, so they always come from the file itself:
//! `env_file` (Compose folds it into `environment`) and a top-level `version:`, obsolete
//! since Compose v2, which is a warning shown with the verdict, not a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::common::{path_problem, read_text, resolve, text_or_verdict};
use super::{Context, Verify};
use crate::outcome::{Mismatches, Outcome};
use crate::untrusted::neutralise;

/// The names `docker compose` looks for in a folder, in its order.
const FILE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// `docker compose config` reads local files only; longer means something is wrong.
const CLI_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComposeFileCheck {
    /// A Compose file, or the folder that holds it; relative to the working folder.
    pub path: String,
    /// The project's name once resolved (`name:`, else the folder's name).
    pub project: Option<String>,
    #[serde(default)]
    pub services: BTreeMap<String, ServiceRules>,
}

/// What one service of the file must say.
#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRules {
    /// Keys the service must have (`build`, `healthcheck`, `ports`…).
    #[serde(default)]
    pub keys: Vec<String>,
    /// The service reads an `env_file` (`true`), or not (`false`).
    pub env_file: Option<bool>,
    /// Services it depends on, with the condition (`service_healthy`,
    /// `service_started`, `service_completed_successfully`; `~` for any).
    #[serde(default)]
    pub depends_on: BTreeMap<String, Option<String>>,
    /// Its `restart:` policy.
    pub restart: Option<String>,
    /// Container paths where a host file or folder is bind-mounted read-only.
    #[serde(default)]
    pub read_only_binds: Vec<String>,
}

const CONDITIONS: &[&str] = &[
    "service_started",
    "service_healthy",
    "service_completed_successfully",
];

impl Verify for ComposeFileCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(path_problem(&self.path));
        for (service, rules) in &self.services {
            for condition in rules.depends_on.values().flatten() {
                if !CONDITIONS.contains(&condition.as_str()) {
                    out.push(format!(
                        "service `{service}` : condition « {condition} » inconnue ({})",
                        CONDITIONS.join(", ")
                    ));
                }
            }
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let Some(file) = find_file(&ctx.workdir, &self.path) else {
            return Outcome::fail(
                format!("un fichier Compose dans `{}`", self.path),
                format!(
                    "ni `{}`, ni {} : créez `compose.yaml`",
                    self.path,
                    FILE_NAMES
                        .iter()
                        .map(|n| format!("`{}/{n}`", self.path.trim_end_matches('/')))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        };
        let shown = format!("`{}`", file.display());
        let text = match text_or_verdict(
            read_text(&file),
            &shown,
            "un fichier Compose lisible",
            format!("{shown} n'existe pas"),
            "un fichier Compose",
        ) {
            Ok(t) => t,
            Err(verdict) => return verdict,
        };
        // How the file is written: always the file itself.
        let raw: Value = match serde_norway::from_str::<Value>(&text) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                return Outcome::fail(
                    format!("{shown} : un fichier Compose (clés `services:`…)"),
                    "le fichier n'est pas une table YAML".to_string(),
                );
            }
            Err(e) => {
                return Outcome::fail(
                    format!("{shown} : du YAML valide"),
                    format!("YAML invalide : {}", neutralise(&e.to_string())),
                );
            }
        };
        let (resolved, source) = match compose_config(&file).await {
            Config::Resolved(v) => (v, "lu par `docker compose config`"),
            Config::Refused(why) => {
                return Outcome::fail(
                    format!("{shown} accepté par Compose"),
                    format!("`docker compose config` le refuse : {why}"),
                );
            }
            Config::Unavailable(why) => {
                let Some(own) = own_reading(&raw, &file) else {
                    return Outcome::cannot(format!(
                        "{why}, et le checker ne comprend pas {shown} tout seul"
                    ));
                };
                (own, "lu par le checker, sans interpolation ni `extends` (`docker compose` introuvable)")
            }
        };
        let mut m = Mismatches::new();
        self.compare(&raw, &resolved, &mut m);
        let warning = raw.get("version").map(|v| {
            format!(
                "la clé `version: {}` est obsolète : Compose v2 l'ignore, supprimez la ligne",
                neutralise(&scalar(v))
            )
        });
        let outcome = m.into_outcome();
        if outcome.is_pass() {
            let found = format!("{shown} ({source})");
            match warning {
                Some(w) => Outcome::pass_warning(found, w),
                None => Outcome::pass_found(found),
            }
        } else {
            let mut found = format!("{} ({source})", outcome.found.unwrap_or_default());
            if let Some(w) = warning {
                found.push_str(&format!(" ; attention : {w}"));
            }
            Outcome {
                found: Some(found),
                ..outcome
            }
        }
    }
}

impl ComposeFileCheck {
    fn compare(&self, raw: &Value, resolved: &Value, m: &mut Mismatches) {
        if let Some(project) = &self.project {
            let found = resolved.get("name").and_then(Value::as_str);
            m.compare("nom du projet (`name:`)", project, found);
        }
        for (service, rules) in &self.services {
            let about = format!("service `{service}`");
            let Some(found) = resolved
                .get("services")
                .and_then(|s| s.get(service))
                .and_then(Value::as_object)
            else {
                m.push(
                    format!("le {about} dans le fichier"),
                    format!("pas de {about} sous `services:`"),
                );
                continue;
            };
            let written = raw
                .get("services")
                .and_then(|s| s.get(service))
                .and_then(Value::as_object);
            for key in &rules.keys {
                if !found.contains_key(key) && !written.is_some_and(|w| w.contains_key(key)) {
                    m.push(format!("{about} : clé `{key}`"), format!("{about} : pas de clé `{key}`"));
                }
            }
            if let Some(expected) = rules.env_file {
                let has = written.is_some_and(|w| w.contains_key("env_file"));
                if has != expected {
                    m.push(
                        format!(
                            "{about} : {}",
                            if expected { "clé `env_file`" } else { "pas de clé `env_file`" }
                        ),
                        format!(
                            "{about} : {}",
                            if has { "clé `env_file` présente" } else { "pas de clé `env_file`" }
                        ),
                    );
                }
            }
            if let Some(expected) = &rules.restart {
                let policy = found.get("restart").and_then(Value::as_str);
                m.compare(&format!("{about} : `restart:`"), expected, policy);
            }
            compare_depends(&about, rules, found, m);
            compare_binds(&about, rules, found, m);
        }
    }
}

fn compare_depends(about: &str, rules: &ServiceRules, found: &Map<String, Value>, m: &mut Mismatches) {
    let depends = found.get("depends_on").and_then(Value::as_object);
    for (other, condition) in &rules.depends_on {
        let entry = depends.and_then(|d| d.get(other));
        let found_condition = entry
            .and_then(|e| e.get("condition"))
            .and_then(Value::as_str)
            .unwrap_or("service_started");
        let expected = match condition {
            Some(c) => format!("{about} : `depends_on: {other}` avec `condition: {c}`"),
            None => format!("{about} : `depends_on: {other}`"),
        };
        match (entry, condition) {
            (None, _) => m.push(expected, format!("{about} : ne dépend pas de `{other}`")),
            (Some(_), Some(c)) if c != found_condition => m.push(
                expected,
                if found_condition == "service_started" {
                    format!(
                        "{about} : `depends_on: {other}` sans condition (attend le démarrage, pas la santé)"
                    )
                } else {
                    format!("{about} : `depends_on: {other}` avec `condition: {found_condition}`")
                },
            ),
            _ => {}
        }
    }
}

fn compare_binds(about: &str, rules: &ServiceRules, found: &Map<String, Value>, m: &mut Mismatches) {
    let volumes: Vec<&Value> = found
        .get("volumes")
        .and_then(Value::as_array)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    for target in &rules.read_only_binds {
        let mount = volumes
            .iter()
            .find(|v| v.get("target").and_then(Value::as_str) == Some(target.as_str()));
        let expected = format!("{about} : un fichier ou dossier de l'hôte monté sur `{target}` en lecture seule (`:ro`)");
        match mount {
            None => m.push(expected, format!("{about} : rien n'est monté sur `{target}`")),
            Some(v) if v.get("type").and_then(Value::as_str) != Some("bind") => m.push(
                expected,
                format!(
                    "{about} : `{target}` reçoit un montage de type `{}`, pas un fichier de l'hôte",
                    v.get("type").and_then(Value::as_str).unwrap_or("inconnu")
                ),
            ),
            Some(v) if v.get("read_only").and_then(Value::as_bool) != Some(true) => m.push(
                expected,
                format!("{about} : `{target}` est monté en lecture-écriture (ajoutez `:ro`)"),
            ),
            _ => {}
        }
    }
}

/// The Compose file named by `path`: the file itself, or the first of Compose's names
/// in that folder.
fn find_file(workdir: &Path, path: &str) -> Option<PathBuf> {
    let mut target = resolve(workdir, path);
    // Run from inside the project's folder: `compose-app` is the working folder itself.
    if !target.exists() && workdir.file_name().and_then(|n| n.to_str()) == Some(path.trim_end_matches('/')) {
        target = workdir.to_path_buf();
    }
    if target.is_dir() {
        return FILE_NAMES
            .iter()
            .map(|name| target.join(name))
            .find(|candidate| candidate.is_file());
    }
    if target.exists() {
        return Some(target);
    }
    // `compose-app/compose.yaml` written as `compose-app/compose.yml`, and so on.
    let parent = target.parent()?;
    let named = target.file_name()?.to_str()?;
    if FILE_NAMES.contains(&named) {
        return FILE_NAMES
            .iter()
            .map(|name| parent.join(name))
            .find(|candidate| candidate.is_file());
    }
    None
}

enum Config {
    Resolved(Value),
    /// Compose read the file and refused it; why, for the student.
    Refused(String),
    /// No Compose to ask; why, for the verdict.
    Unavailable(String),
}

/// `docker compose -f FILE config --format json`, from the file's folder (where Compose
/// finds `.env`), bounded in time.
async fn compose_config(file: &Path) -> Config {
    let folder = file.parent().unwrap_or_else(|| Path::new("."));
    let mut command = tokio::process::Command::new("docker");
    command
        .arg("compose")
        .arg("-f")
        .arg(file)
        .args(["config", "--format", "json"])
        .current_dir(folder)
        // The student's shell may point Compose at other files: this one is checked.
        .env_remove("COMPOSE_FILE")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let output = match tokio::time::timeout(CLI_TIMEOUT, command.output()).await {
        Err(_) => {
            return Config::Unavailable(format!(
                "`docker compose config` n'a pas répondu en {} s",
                CLI_TIMEOUT.as_secs()
            ));
        }
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Config::Unavailable("la commande `docker` est introuvable".to_string());
        }
        Ok(Err(e)) => return Config::Unavailable(format!("`docker` ne se lance pas ({e})")),
        Ok(Ok(output)) => output,
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if stderr.contains("is not a docker command") || stderr.contains("unknown command") {
            return Config::Unavailable("le plugin Compose de `docker` est absent".to_string());
        }
        let why = stderr
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("erreur sans message");
        return Config::Refused(neutralise(why));
    }
    match serde_json::from_slice::<Value>(&output.stdout) {
        Ok(v) => Config::Resolved(v),
        Err(e) => Config::Unavailable(format!("sortie de `docker compose config` illisible ({e})")),
    }
}

/// The file as the checker reads it alone: the short syntaxes expanded as Compose
/// expands them (`depends_on` lists, `volumes` strings), no interpolation.
fn own_reading(raw: &Value, file: &Path) -> Option<Value> {
    let mut out = raw.as_object()?.clone();
    if !out.contains_key("name") {
        let folder = file
            .canonicalize()
            .ok()?
            .parent()?
            .file_name()?
            .to_str()?
            .to_lowercase();
        out.insert("name".into(), Value::String(folder));
    }
    let services = out.get_mut("services")?.as_object_mut()?;
    for service in services.values_mut() {
        let Some(service) = service.as_object_mut() else {
            continue;
        };
        if let Some(Value::Array(list)) = service.get("depends_on") {
            let map: Map<String, Value> = list
                .iter()
                .filter_map(Value::as_str)
                .map(|s| (s.to_string(), serde_json::json!({ "condition": "service_started" })))
                .collect();
            service.insert("depends_on".into(), Value::Object(map));
        }
        if let Some(Value::Array(list)) = service.get("volumes") {
            let long: Vec<Value> = list.iter().map(long_volume).collect();
            service.insert("volumes".into(), Value::Array(long));
        }
    }
    Some(Value::Object(out))
}

/// `./nginx.conf:/etc/nginx/conf.d/default.conf:ro` in Compose's long form.
fn long_volume(short: &Value) -> Value {
    let Some(text) = short.as_str() else {
        return short.clone();
    };
    let parts: Vec<&str> = text.split(':').collect();
    let (source, target, mode) = match parts.as_slice() {
        [target] => (None, *target, ""),
        [source, target] => (Some(*source), *target, ""),
        [source, target, mode, ..] => (Some(*source), *target, *mode),
        [] => (None, "", ""),
    };
    let kind = match source {
        None => "volume",
        Some(s) if s.starts_with(['.', '/', '~', '$']) => "bind",
        Some(_) => "volume",
    };
    serde_json::json!({
        "type": kind,
        "source": source,
        "target": target,
        "read_only": mode.split(',').any(|m| m == "ro"),
    })
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_reading_expands_the_short_syntaxes() {
        let raw: Value = serde_norway::from_str(
            "services:\n  web:\n    depends_on: [db]\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n      - data:/data\n",
        )
        .expect("yaml");
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("compose.yaml");
        std::fs::write(&file, "").expect("write");
        let own = own_reading(&raw, &file).expect("reads");
        let web = &own["services"]["web"];
        assert_eq!(web["depends_on"]["db"]["condition"], "service_started");
        assert_eq!(web["volumes"][0]["type"], "bind");
        assert_eq!(web["volumes"][0]["read_only"], true);
        assert_eq!(web["volumes"][1]["type"], "volume");
        assert_eq!(web["volumes"][1]["read_only"], false);
        assert!(own["name"].as_str().is_some_and(|n| !n.is_empty()));
    }

    #[test]
    fn a_condition_is_checked_and_its_absence_named() {
        let rules = ServiceRules {
            depends_on: [("db".to_string(), Some("service_healthy".to_string()))].into(),
            ..ServiceRules::default()
        };
        let found: Map<String, Value> = serde_json::from_str(
            r#"{"depends_on": {"db": {"condition": "service_started"}}}"#,
        )
        .expect("json");
        let mut m = Mismatches::new();
        compare_depends("service `web`", &rules, &found, &mut m);
        let outcome = m.into_outcome();
        assert!(
            outcome.found.unwrap_or_default().contains("sans condition"),
            "a depends_on without a condition is named as such"
        );
    }
}
