//! `dockerfile`: the student's Dockerfile follows the practices the course teaches.
//!
//! ```yaml
//! dockerfile:
//!   path: mon-app-docker/Dockerfile
//!   rules: [pinned_base, json_cmd, non_root_user]
//!   expose: [3004]
//! ```
//!
//! The file is read, not built: rules are about how it is written, and a student gets
//! every broken rule at once, each with its line (« ligne 1 : `FROM python` n'épingle
//! pas de version... »), so one edit fixes them all. The rules about the final image
//! (`non_root_user`, `healthcheck`, `expose`) follow `FROM <stage>` back to the stages
//! it builds on, the way the final image inherits them. The rules themselves live in
//! [`crate::lint`], shared with `checker lint`.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{path_problem, read_text, resolve, text_or_verdict};
use super::{Context, Verify};
use crate::lint::rules::{check_expose, parse_port};
use crate::lint::{Dockerfile, Input, RULES, closest_rule, rule, run};
use crate::outcome::Outcome;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DockerfileCheck {
    #[serde(default = "default_path")]
    pub path: String,
    /// Rule names from the linter's table (`pinned_base`, `json_cmd`, `non_root_user`,
    /// `merged_runs`...; `checker lint --list` shows them all).
    #[serde(default)]
    pub rules: Vec<String>,
    /// Ports the final image must `EXPOSE` (`3004`, or `"53/udp"`).
    #[serde(default)]
    pub expose: Vec<Port>,
}

fn default_path() -> String {
    "Dockerfile".to_string()
}

/// A port as written in the exercise: a number or `"53/udp"`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(untagged)]
pub enum Port {
    Number(u16),
    Text(String),
}

impl Port {
    /// `(port, protocol)`, `None` when the text is not a port.
    fn parse(&self) -> Option<(u16, String)> {
        match self {
            Port::Number(n) => Some((*n, "tcp".to_string())),
            Port::Text(t) => parse_port(t),
        }
    }

    fn shown(&self) -> String {
        match self {
            Port::Number(n) => n.to_string(),
            Port::Text(t) => t.clone(),
        }
    }
}

impl Verify for DockerfileCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(path_problem(&self.path));
        if self.rules.is_empty() && self.expose.is_empty() {
            out.push(
                "indiquez au moins une règle sous `rules` ou des ports sous `expose`".to_string(),
            );
        }
        for name in &self.rules {
            if rule(name).is_none() {
                let closest = closest_rule(name)
                    .map(|n| format!(" ; vouliez-vous dire `{n}` ?"))
                    .unwrap_or_default();
                out.push(format!(
                    "règle inconnue `{name}`{closest} (règles : {})",
                    RULES.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        for port in &self.expose {
            if port.parse().is_none() {
                out.push(format!(
                    "port invalide `{}` sous `expose` (attendu : 3004 ou \"53/udp\")",
                    port.shown()
                ));
            }
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let full = resolve(&ctx.workdir, &self.path);
        let shown = format!("`{}`", self.path);
        let read = tokio::task::spawn_blocking(move || read_text(&full)).await;
        let file = match read {
            Ok(file) => file,
            Err(e) => {
                return Outcome::cannot(format!("la lecture de {shown} a été interrompue : {e}"));
            }
        };
        let missing = format!(
            "{shown} est introuvable (dossier de travail : {})",
            ctx.workdir.display()
        );
        let expected = format!("un Dockerfile {shown}");
        let text = match text_or_verdict(file, &shown, &expected, missing, "un Dockerfile") {
            Ok(text) => text,
            Err(verdict) => return verdict,
        };
        // The build context's `.dockerignore`, for `copy_ignored_file`.
        let ignore_path = resolve(&ctx.workdir, &self.path).with_file_name(".dockerignore");
        let ignore = tokio::task::spawn_blocking(move || read_text(&ignore_path)).await;
        let dockerignore = match ignore {
            Ok(super::common::TextFile::Text(t)) => Some(t),
            _ => None,
        };
        self.evaluate_with(&text, dockerignore.as_deref())
    }
}

impl DockerfileCheck {
    /// The verdict on a Dockerfile's text.
    pub fn evaluate(&self, text: &str) -> Outcome {
        self.evaluate_with(text, None)
    }

    /// The verdict on a Dockerfile's text and its build context's `.dockerignore`.
    pub fn evaluate_with(&self, text: &str, dockerignore: Option<&str>) -> Outcome {
        let shown = format!("`{}`", self.path);
        let dockerfile = Dockerfile::parse(text);
        if dockerfile.stages().is_empty() {
            return Outcome::fail(
                format!("un Dockerfile {shown} qui commence par `FROM`"),
                format!(
                    "{shown} n'a aucune instruction `FROM` : ce n'est pas un Dockerfile valide"
                ),
            );
        }
        let chosen: Vec<_> = self.rules.iter().filter_map(|n| rule(n)).collect();
        let input = Input {
            dockerfile: &dockerfile,
            dockerignore,
        };
        // The file's own ignore comments are not honoured: a student could otherwise
        // silence the very rule being graded.
        let mut findings = run(&input, &chosen, false);
        let mut broken: Vec<String> = chosen
            .iter()
            .filter(|r| findings.iter().any(|f| f.rule == r.name))
            .map(|r| r.expects.to_string())
            .collect();
        if !self.expose.is_empty() {
            let wanted: Vec<_> = self
                .expose
                .iter()
                .filter_map(|p| Some((p.parse()?, p.shown())))
                .collect();
            let found = check_expose(&dockerfile, &wanted);
            if !found.is_empty() {
                let ports: Vec<String> = self.expose.iter().map(Port::shown).collect();
                broken.push(format!("`EXPOSE {}` dans l'image finale", ports.join(" ")));
                findings.extend(found);
            }
        }
        // In file order, as the student will edit it; findings without a line last.
        findings.sort_by_key(|f| f.line.unwrap_or(usize::MAX));
        if findings.is_empty() {
            let mut checked: Vec<String> = self.rules.clone();
            if !self.expose.is_empty() {
                checked.push("expose".to_string());
            }
            Outcome::pass_found(format!("{shown} respecte : {}", checked.join(", ")))
        } else {
            Outcome::fail(
                format!("{shown} avec {}", broken.join(", ")),
                findings
                    .into_iter()
                    .map(|f| f.shown())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(rules: &[&str]) -> DockerfileCheck {
        DockerfileCheck {
            path: "Dockerfile".to_string(),
            rules: rules.iter().map(|r| r.to_string()).collect(),
            expose: Vec::new(),
        }
    }

    #[test]
    fn dockerfile_problems_are_reported() {
        assert!(check(&["pinned_base"]).problems().is_empty());
        let problems = check(&["pined_base"]).problems();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("vouliez-vous dire `pinned_base`"),
            "{problems:?}"
        );
        assert_eq!(check(&[]).problems().len(), 1);
        let mut bad_port = check(&["healthcheck"]);
        bad_port.expose = vec![Port::Text("http".to_string())];
        assert_eq!(bad_port.problems().len(), 1);
        let mut empty = check(&["healthcheck"]);
        empty.path = String::new();
        assert_eq!(empty.problems().len(), 1);
    }

    /// B1: a file saved with a BOM by a Windows editor is judged, not refused.
    #[test]
    fn b1_bom_file_is_judged() {
        let c = check(&["pinned_base", "non_root_user", "json_cmd"]);
        let outcome = c.evaluate("\u{feff}FROM python:3.12-slim\nUSER app\nCMD [\"python\",\"app.py\"]\n");
        assert!(outcome.is_pass(), "{outcome:?}");
    }

    /// The verdict ignores the file's own ignore comments: the rule graded stays graded.
    #[test]
    fn ignore_comments_do_not_silence_a_graded_rule() {
        let c = check(&["pinned_base"]);
        let outcome = c.evaluate("# hadolint ignore=DL3006\n# checker ignore=pinned_base\nFROM python\n");
        assert!(!outcome.is_pass());
        assert!(outcome.found.unwrap_or_default().contains("ligne 3 : "));
    }

    #[test]
    fn failures_list_every_broken_rule() {
        let c = check(&["pinned_base", "json_cmd", "healthcheck"]);
        let outcome = c.evaluate("FROM python\nCMD python app.py\nHEALTHCHECK CMD true\n");
        assert!(!outcome.is_pass());
        let found = outcome.found.unwrap_or_default();
        assert!(
            found
                .lines()
                .next()
                .unwrap_or_default()
                .starts_with("ligne 1 : "),
            "{found}"
        );
        assert!(
            found
                .lines()
                .nth(1)
                .unwrap_or_default()
                .starts_with("ligne 2 : "),
            "{found}"
        );
        assert_eq!(found.lines().count(), 2);
        assert!(
            c.evaluate("FROM python:3.12-slim\nCMD [\"python\"]\nHEALTHCHECK CMD true\n")
                .is_pass()
        );
        assert!(!c.evaluate("# vide\n").is_pass());
    }

    #[test]
    fn ports_accept_numbers_and_text() {
        let c: DockerfileCheck = serde_json::from_str(
            r#"{"path": "app/Dockerfile", "rules": ["healthcheck"], "expose": [3004, "53/udp"]}"#,
        )
        .expect("parameters");
        assert_eq!(
            c.expose,
            vec![Port::Number(3004), Port::Text("53/udp".to_string())]
        );
        let d: DockerfileCheck =
            serde_json::from_str(r#"{"rules": ["json_cmd"]}"#).expect("parameters");
        assert_eq!(d.path, "Dockerfile");
    }

    #[tokio::test]
    async fn missing_dockerfile_names_the_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let docker = bollard::Docker::connect_with_http(
            "http://127.0.0.1:9",
            1,
            bollard::API_DEFAULT_VERSION,
        )
        .expect("client");
        let ctx = Context::new(docker, dir.path().to_path_buf());
        let mut c = check(&["pinned_base"]);
        c.path = "mon-app-docker/Dockerfile".to_string();
        let outcome = c.verify(&ctx).await;
        assert!(!outcome.is_pass());
        assert!(
            outcome
                .found
                .unwrap_or_default()
                .contains("`mon-app-docker/Dockerfile` est introuvable")
        );
        std::fs::create_dir(dir.path().join("mon-app-docker")).expect("mkdir");
        std::fs::write(
            dir.path().join("mon-app-docker/Dockerfile"),
            "FROM python:3.12-slim\n",
        )
        .expect("write");
        assert!(c.verify(&ctx).await.is_pass());
    }
}
