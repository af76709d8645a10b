//! `any`: passes when one of several checks passes ("an exec was seen in the events,
//! **or** the file it created is served").
//!
//! ```yaml
//! any:
//!   - events: { container: web, actions: [exec_start] }
//!   - http: { url: "http://localhost:8080/exec.html", body_contains: Bonjour }
//! ```
//!
//! It passes when one alternative passes, fails when none passes and at least one
//! looked and failed, and reports *cannot check* only when none could be checked.

use std::future::Future;
use std::pin::Pin;

use futures_util::future::join_all;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Context, Kind, Verify};
use crate::outcome::{Outcome, Status};

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(transparent)]
pub struct AnyCheck(pub Vec<Kind>);

impl Verify for AnyCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.0.len() < 2 {
            out.push("`any` demande au moins deux alternatives".to_string());
        }
        for (i, kind) in self.0.iter().enumerate() {
            out.extend(
                kind.problems()
                    .into_iter()
                    .map(|p| format!("alternative {} : {p}", i + 1)),
            );
        }
        out
    }

    // Boxed (and owning its data): `Kind::verify` may contain `any` again, and a
    // recursive future needs a known, sized type.
    fn verify(&self, ctx: &Context) -> impl Future<Output = Outcome> + Send {
        let (this, ctx) = (self.clone(), ctx.clone());
        let boxed: Pin<Box<dyn Future<Output = Outcome> + Send>> =
            Box::pin(async move { this.verify_all(&ctx).await });
        boxed
    }
}

impl AnyCheck {
    async fn verify_all(&self, ctx: &Context) -> Outcome {
        let runs: Vec<Pin<Box<dyn Future<Output = Outcome> + Send + '_>>> = self
            .0
            .iter()
            .map(|k| Box::pin(k.verify(ctx)) as _)
            .collect();
        let outcomes = join_all(runs).await;
        if let Some(pass) = outcomes.iter().find(|o| o.is_pass()) {
            return pass.clone();
        }
        let failures: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| o.status == Status::Fail)
            .collect();
        let join = |f: fn(&Outcome) -> Option<&String>| {
            failures
                .iter()
                .filter_map(|o| f(o).cloned())
                .collect::<Vec<_>>()
                .join(" — ou — ")
        };
        let reasons: Vec<String> = outcomes.iter().filter_map(|o| o.reason.clone()).collect();
        if failures.is_empty() {
            return Outcome::cannot(reasons.join(" ; "));
        }
        // One alternative looked and found it wrong (the local registry holds `latest`,
        // not `1.0`): that is a failure the student can fix, with its hint, even when
        // another alternative could not be asked (Docker Hub offline). Never a pass.
        let mut found = join(|o| o.found.as_ref());
        if !reasons.is_empty() {
            found.push_str(&format!(
                " (autre possibilité non vérifiable : {})",
                reasons.join(" ; ")
            ));
        }
        let combined = Outcome::fail(join(|o| o.expected.as_ref()), found);
        // Worth waiting for only if one of the alternatives is.
        if failures.iter().any(|o| o.may_change) {
            combined
        } else {
            combined.settled()
        }
    }
}
