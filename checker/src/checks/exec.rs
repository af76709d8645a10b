//! `exec`: a command run inside a running container exits as expected and prints the
//! expected output.
//!
//! ```yaml
//! exec:
//!   container: nginx1
//!   command: [wget, -q, -O, -, http://172.17.0.3/]
//!   stdout_contains: Welcome
//! ```
//!
//! Only read-only commands belong here: the checker never changes a student's
//! container. Output arrives as frames, not lines, and is read under a deadline; the exit
//! code is polled with `inspect_exec` until the process is done (Podman reports
//! `Running` late).

use std::time::Duration;

use bollard::exec::{CreateExecOptions, StartExecResults};
use futures_util::StreamExt;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

use super::container::status;
use super::common::{TextRule, compare_text, excerpt, existing_container, regex_problem};
use super::{Context, Verify};
use crate::docker::{describe_error, own_traffic};
use crate::outcome::{Mismatches, Outcome};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_OUTPUT: usize = 256 * 1024;

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecCheck {
    pub container: String,
    pub command: Vec<String>,
    #[serde(default)]
    pub exit_code: i64,
    pub stdout_contains: Option<String>,
    pub stdout_matches: Option<String>,
    /// Text that must *not* appear in the output.
    pub stdout_excludes: Option<String>,
    #[serde(default, deserialize_with = "crate::units::optional_duration")]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Duration>,
}

impl Verify for ExecCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.command.is_empty() {
            out.push("`command` est vide".to_string());
        }
        out.extend(regex_problem("stdout_matches", &self.stdout_matches));
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let shown = self.command.join(" ");
        let expected = format!("le conteneur `{}` en marche", self.container);
        let container = match existing_container(ctx, &self.container, expected).await {
            Ok(c) => c,
            Err(verdict) => return verdict,
        };
        if status(&container).as_deref() != Some("running") {
            return Outcome::fail(
                format!(
                    "le conteneur `{}` en marche (pour y exécuter `{shown}`)",
                    self.container
                ),
                format!("état `{}`", status(&container).unwrap_or_default()),
            );
        }
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let (output, exit_code) = match run(ctx, &self.container, &self.command, timeout).await {
            Ok(result) => result,
            Err(e) => return Outcome::cannot(e),
        };
        let Some(exit_code) = exit_code else {
            return Outcome::fail(
                format!("`{shown}` se termine en {} s", timeout.as_secs_f32()),
                "la commande tourne encore".to_string(),
            );
        };
        let mut m = Mismatches::new();
        if exit_code != self.exit_code {
            m.push(
                format!("`{shown}` sort avec le code {}", self.exit_code),
                format!("code {exit_code}, sortie : « {} »", excerpt(&output, 100)),
            );
        }
        let regex = self.stdout_matches.as_deref().and_then(|p| Regex::new(p).ok());
        let rules = TextRule::from_fields(
            self.stdout_contains.as_deref(),
            self.stdout_excludes.as_deref(),
            regex.as_ref(),
        );
        compare_text(&mut m, &rules, "la sortie", "sortie", &output);
        m.into_outcome()
    }
}

/// Runs a command in a container; returns its output (stdout and stderr) and its exit
/// code, `None` when it did not finish in time.
pub async fn run(
    ctx: &Context,
    container: &str,
    command: &[String],
    timeout: Duration,
) -> Result<(String, Option<i64>), String> {
    let options = CreateExecOptions {
        cmd: Some(command.to_vec()),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..Default::default()
    };
    let exec = ctx
        .docker
        .create_exec(container, options)
        .await
        .map_err(|e| describe_error(&e))?;
    // Written down before it starts: its events must never count as the student's.
    own_traffic::record_exec(&exec.id);
    let started = ctx
        .docker
        .start_exec(&exec.id, None)
        .await
        .map_err(|e| describe_error(&e))?;
    let deadline = tokio::time::Instant::now() + timeout;
    let mut output = String::new();
    if let StartExecResults::Attached {
        output: mut stream, ..
    } = started
    {
        let read = async {
            while let Some(Ok(frame)) = stream.next().await {
                output.push_str(&String::from_utf8_lossy(&frame.into_bytes()));
                if output.len() > MAX_OUTPUT {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout_at(deadline, read).await;
    }
    loop {
        let inspected = ctx
            .docker
            .inspect_exec(&exec.id)
            .await
            .map_err(|e| describe_error(&e))?;
        if inspected.running != Some(true) {
            return Ok((output, inspected.exit_code));
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok((output, None));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
