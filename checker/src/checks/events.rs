//! `events`: the daemon saw given actions on a container (`stop`, `start`, `restart`,
//! `exec_start`...).
//!
//! ```yaml
//! events:
//!   container: mon-serveur-nginx
//!   actions: [stop, start]
//! ```
//!
//! dockerd keeps only its last 256 events, in memory, lost on restart. So the check reads
//! the container's events since its creation, and trusts an *absence* only when the
//! history still reaches back to the container's `create` event; otherwise the answer
//! is *cannot check*, never a guess. Exercises pair this with state-based checks
//! (`restarted`, files served) that do not depend on history.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bollard::models::EventMessage;
use bollard::query_parameters::EventsOptionsBuilder;
use futures_util::StreamExt;
use schemars::JsonSchema;
use serde::Deserialize;

use super::container::parse_time;
use super::common::existing_container;
use super::{Context, Verify};
use crate::docker::{describe_error, own_traffic};
use crate::outcome::Outcome;

const READ_LIMIT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventsCheck {
    pub container: String,
    pub actions: Vec<String>,
    /// The actions must happen in this order (`[stop, start]`: a start *after* a
    /// stop, not the start of the creation).
    #[serde(default)]
    pub in_order: bool,
}

impl Verify for EventsCheck {
    fn problems(&self) -> Vec<String> {
        if self.actions.is_empty() {
            vec!["`actions` est vide".to_string()]
        } else {
            Vec::new()
        }
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let expected = format!("le conteneur `{}` existe", self.container);
        let container = match existing_container(ctx, &self.container, expected).await {
            Ok(c) => c,
            Err(verdict) => return verdict,
        };
        let id = container.id.clone().unwrap_or_default();
        let since = container
            .created
            .as_deref()
            .and_then(parse_time)
            .map(|t| t.timestamp() - 1)
            .unwrap_or(0);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let filters = [
            ("type".to_string(), vec!["container".to_string()]),
            ("container".to_string(), vec![id]),
        ]
        .into();
        let options = EventsOptionsBuilder::default()
            .since(&since.to_string())
            .until(&format!("{}.{:09}", now.as_secs(), now.subsec_nanos()))
            .filters(&filters)
            .build();
        let mut stream = ctx.docker.events(Some(options));
        let mut actions: Vec<String> = Vec::new();
        let mut error = None;
        // The checker's own execs (this run's and earlier runs') are not the student's.
        let own = own_traffic::own_execs();
        let read = async {
            while let Some(item) = stream.next().await {
                match item {
                    Ok(event) if is_own_exec(&event, &own) => {}
                    Ok(event) => actions.extend(event.action),
                    Err(e) => {
                        error = Some(describe_error(&e));
                        break;
                    }
                }
            }
        };
        let complete = tokio::time::timeout(READ_LIMIT, read).await.is_ok();
        if let Some(e) = error {
            return Outcome::cannot(format!("lecture des événements impossible : {e}"));
        }
        let seen = |wanted: &str| {
            actions
                .iter()
                .any(|a| a == wanted || a.starts_with(&format!("{wanted}:")))
        };
        let is = |found: &String, wanted: &str| {
            found == wanted || found.starts_with(&format!("{wanted}:"))
        };
        let missing: Vec<&str> = if self.in_order {
            // Each wanted action must come after the previous one was seen.
            let mut rest = actions.iter();
            self.actions
                .iter()
                .map(String::as_str)
                .filter(|wanted| !rest.any(|a| is(a, wanted)))
                .collect()
        } else {
            self.actions
                .iter()
                .map(String::as_str)
                .filter(|a| !seen(a))
                .collect()
        };
        let shown = |list: &[String]| {
            let mut names: Vec<&str> = list
                .iter()
                .map(|a| a.split(':').next().unwrap_or_default())
                .collect();
            names.dedup();
            names.join(", ")
        };
        if missing.is_empty() {
            return Outcome::pass_found(shown(&actions));
        }
        if !complete || !seen("create") {
            return Outcome::cannot(format!(
                "le démon ne garde que ses 256 derniers événements (perdus à son redémarrage) : \
                 son historique ne remonte plus à la création de `{}`",
                self.container
            ));
        }
        Outcome::fail(
            format!(
                "événements {}{} sur `{}`",
                self.actions.join(if self.in_order { " puis " } else { ", " }),
                if self.in_order { ", dans cet ordre" } else { "" },
                self.container
            ),
            format!(
                "{} jamais vu ; événements depuis la création : {}",
                missing.join(", "),
                shown(&actions)
            ),
        )
    }
}

/// An `exec_*` event of an exec the checker started itself.
fn is_own_exec(event: &EventMessage, own: &BTreeSet<String>) -> bool {
    event.action.as_deref().is_some_and(|a| a.starts_with("exec_"))
        && event
            .actor
            .as_ref()
            .and_then(|actor| actor.attributes.as_ref())
            .and_then(|attributes| attributes.get("execID"))
            .is_some_and(|id| own.contains(id))
}
