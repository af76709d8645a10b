//! `network`: a network exists (or not), its driver and subnet, attached containers.
//!
//! ```yaml
//! network:
//!   name: mon-app-reseau
//!   driver: bridge
//!   containers: [serveur-web]
//! ```
//!
//! The engine lists only *running* containers as attached to a network; a stopped
//! container is reported as not attached, which is what the student sees in
//! `docker network inspect` too.

use bollard::query_parameters::InspectNetworkOptions;
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::yes;
use super::{Context, Verify};
use crate::docker::{describe_error, is_not_found};
use crate::outcome::{Mismatches, Outcome, presence};

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkCheck {
    pub name: String,
    #[serde(default = "yes")]
    pub exists: bool,
    pub driver: Option<String>,
    pub subnet: Option<String>,
    /// Containers (by name) that must be attached.
    #[serde(default)]
    pub containers: Vec<String>,
}

impl Verify for NetworkCheck {
    fn problems(&self) -> Vec<String> {
        if self.name.trim().is_empty() {
            vec!["`name` est vide".to_string()]
        } else {
            Vec::new()
        }
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let subject = format!("le réseau `{}`", self.name);
        let network = match ctx
            .docker
            .inspect_network(&self.name, None::<InspectNetworkOptions>)
            .await
        {
            Ok(n) => Some(n),
            Err(e) if is_not_found(&e) => None,
            Err(e) => return Outcome::cannot(describe_error(&e)),
        };
        // Inspect matches id prefixes too; insist on the exact name.
        let network = network.filter(|n| n.name.as_deref() == Some(self.name.as_str()));
        let network = match presence(network, self.exists, &subject) {
            Ok(found) => found,
            Err(settled) => return settled,
        };
        let mut m = Mismatches::new();
        if let Some(driver) = &self.driver {
            m.compare("pilote", driver, network.driver.as_deref());
        }
        if let Some(subnet) = &self.subnet {
            let subnets: Vec<String> = network
                .ipam
                .as_ref()
                .and_then(|i| i.config.clone())
                .unwrap_or_default()
                .into_iter()
                .filter_map(|c| c.subnet)
                .collect();
            if !subnets.contains(subnet) {
                m.push(
                    format!("sous-réseau `{subnet}`"),
                    format!("sous-réseaux : {}", subnets.join(", ")),
                );
            }
        }
        let attached: Vec<String> = network
            .containers
            .unwrap_or_default()
            .values()
            .filter_map(|c| c.name.clone())
            // A probe's helper on this network is the checker's, not the student's.
            .filter(|n| !n.starts_with(crate::docker::helper::NAME_PREFIX))
            .collect();
        for name in &self.containers {
            if !attached.contains(name) {
                m.push(
                    format!("`{name}` connecté (et en marche) sur `{}`", self.name),
                    if attached.is_empty() {
                        "aucun conteneur en marche connecté".to_string()
                    } else {
                        format!("connectés : {}", attached.join(", "))
                    },
                );
            }
        }
        m.into_outcome()
    }
}
