//! `network`: a network exists (or not), its driver and subnet, attached containers
//! and their addresses, and what the daemon saw happen to it.
//!
//! ```yaml
//! network:
//!   name: mon-app-reseau
//!   driver: bridge
//!   containers: [serveur-web]
//!   addresses_in_subnet: true
//! ```
//!
//! The engine lists only *running* containers as attached to a network; a stopped
//! container is reported as not attached, which is what the student sees in
//! `docker network inspect` too. An absence (`exists: false`) proves nothing on a host
//! where the network never existed: `removed: true` asks for the daemon's `destroy`,
//! and `disconnected` for its `disconnect` events (history is best-effort: without a
//! trace the verdict is *cannot check*, unless the history reaches back to the
//! network's creation).

use bollard::query_parameters::InspectNetworkOptions;
use schemars::JsonSchema;
use serde::Deserialize;

use std::net::IpAddr;

use super::common::{inspect_container, yes};
use super::{Context, Verify, history};
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
    /// With `containers`: each one's address on the network lies in one of its subnets.
    #[serde(default)]
    pub addresses_in_subnet: bool,
    /// Gone, and the daemon saw it go (`docker network rm`, a prune).
    #[serde(default)]
    pub removed: bool,
    /// Containers the daemon saw leave this network (`docker network disconnect`) and
    /// that are not attached to it any more.
    #[serde(default)]
    pub disconnected: Vec<String>,
}

impl Verify for NetworkCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("`name` est vide".to_string());
        }
        if self.addresses_in_subnet && self.containers.is_empty() {
            out.push("`addresses_in_subnet` demande la liste `containers`".to_string());
        }
        let properties = self.driver.is_some()
            || self.subnet.is_some()
            || !self.containers.is_empty()
            || !self.disconnected.is_empty();
        if (!self.exists || self.removed) && properties {
            out.push(
                "avec `exists: false` ou `removed: true`, aucune autre propriété ne s'applique"
                    .to_string(),
            );
        }
        out
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
        if self.removed {
            return match network {
                Some(_) => Outcome::fail(
                    format!("{subject} supprimé"),
                    format!("{subject} existe toujours"),
                ),
                None => match history::network_removed(ctx, &self.name).await {
                    Ok(true) => {
                        Outcome::pass_found(format!("{subject} : supprimé (vu par le démon)"))
                    }
                    Ok(false) => Outcome::cannot(format!(
                        "{subject} n'existe pas, mais rien ne montre qu'il a existé puis été \
                         supprimé : {}",
                        history::NO_TRACE
                    )),
                    Err(e) => Outcome::cannot(e),
                },
            };
        }
        let network = match presence(network, self.exists, &subject) {
            Ok(found) => found,
            Err(settled) => return settled,
        };
        let mut m = Mismatches::new();
        if let Some(driver) = &self.driver {
            m.compare("pilote", driver, network.driver.as_deref());
        }
        let subnets: Vec<String> = network
            .ipam
            .as_ref()
            .and_then(|i| i.config.clone())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| c.subnet)
            .collect();
        if let Some(subnet) = &self.subnet
            && !subnets.contains(subnet)
        {
            m.push(
                format!("sous-réseau `{subnet}`"),
                format!("sous-réseaux : {}", subnets.join(", ")),
            );
        }
        let members: Vec<(String, Option<String>)> = network
            .containers
            .clone()
            .unwrap_or_default()
            .values()
            .filter_map(|c| Some((c.name.clone()?, c.ipv4_address.clone())))
            // A probe's helper on this network is the checker's, not the student's.
            .filter(|(n, _)| !n.starts_with(crate::docker::helper::NAME_PREFIX))
            .collect();
        let attached: Vec<String> = members.iter().map(|(n, _)| n.clone()).collect();
        let mut seen = Vec::new();
        for name in &self.containers {
            let Some((_, address)) = members.iter().find(|(n, _)| n == name) else {
                m.push(
                    format!("`{name}` connecté (et en marche) sur `{}`", self.name),
                    if attached.is_empty() {
                        "aucun conteneur en marche connecté".to_string()
                    } else {
                        format!("connectés : {}", attached.join(", "))
                    },
                );
                continue;
            };
            if !self.addresses_in_subnet {
                continue;
            }
            let address = address.clone().unwrap_or_default();
            let ip = address.split('/').next().unwrap_or_default();
            match subnets.iter().find(|s| in_subnet(ip, s)) {
                Some(subnet) => seen.push(format!("`{name}` : `{ip}`, dans `{subnet}`")),
                None => m.push(
                    format!(
                        "l'adresse de `{name}` dans la plage de `{}` ({})",
                        self.name,
                        subnets.join(", ")
                    ),
                    if ip.is_empty() {
                        format!("`{name}` n'a pas d'adresse IPv4 sur `{}`", self.name)
                    } else {
                        format!("`{name}` a l'adresse `{ip}`")
                    },
                ),
            }
        }
        for name in &self.disconnected {
            if let Err((expected, found)) =
                self.disconnection_seen(ctx, name, &attached, &network).await
            {
                match found {
                    Some(found) => m.push(expected, found),
                    None => return Outcome::cannot(expected),
                }
            } else {
                seen.push(format!("`{name}` débranché de `{}` (vu par le démon)", self.name));
            }
        }
        if m.is_empty() && !seen.is_empty() {
            return Outcome::pass_found(seen.join(" ; "));
        }
        m.into_outcome()
    }
}

impl NetworkCheck {
    /// `Ok` when the daemon saw `name` leave this network and it is not back; otherwise
    /// (expected, found) for a failure, or (why, `None`) when it cannot be known.
    async fn disconnection_seen(
        &self,
        ctx: &Context,
        name: &str,
        attached: &[String],
        network: &bollard::models::NetworkInspect,
    ) -> Result<(), (String, Option<String>)> {
        let expected = format!("`{name}` débranché de `{}` (`docker network disconnect`)", self.name);
        if attached.iter().any(|a| a == name) {
            return Err((expected, Some(format!("`{name}` y est toujours connecté"))));
        }
        let container = match inspect_container(ctx, name).await {
            Ok(Some(c)) => c,
            Ok(None) => return Err((expected, Some(format!("le conteneur `{name}` n'existe pas")))),
            Err(e) => return Err((e, None)),
        };
        let id = container.id.unwrap_or_default();
        let network_id = network.id.clone().unwrap_or_default();
        match history::network_disconnections(ctx, &network_id, &id).await {
            Ok(history::Seen::Yes) => Ok(()),
            Ok(history::Seen::NeverSinceCreation) => Err((
                expected,
                Some(format!(
                    "le démon n'a vu aucun `docker network disconnect` de `{name}` sur `{}` \
                     depuis sa création (a-t-il seulement été branché ?)",
                    self.name
                )),
            )),
            Ok(history::Seen::Unknown) => Err((
                format!(
                    "rien ne montre que `{name}` a été branché puis débranché de `{}` : {}",
                    self.name,
                    history::NO_TRACE
                ),
                None,
            )),
            Err(e) => Err((e, None)),
        }
    }
}

/// Whether `ip` lies in the CIDR `subnet` (IPv4 or IPv6).
fn in_subnet(ip: &str, subnet: &str) -> bool {
    let Some((base, bits)) = subnet.split_once('/') else {
        return false;
    };
    let (Ok(ip), Ok(base), Ok(bits)) = (ip.parse::<IpAddr>(), base.parse::<IpAddr>(), bits.parse::<u32>())
    else {
        return false;
    };
    match (ip, base) {
        (IpAddr::V4(ip), IpAddr::V4(base)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(ip) & mask == u32::from(base) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(base)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(ip) & mask == u128::from(base) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_subnets() {
        assert!(in_subnet("172.17.0.2", "172.17.0.0/16"));
        assert!(!in_subnet("172.18.0.2", "172.17.0.0/16"));
        assert!(in_subnet("10.1.2.3", "0.0.0.0/0"));
        assert!(in_subnet("fd00::5", "fd00::/64"));
        assert!(!in_subnet("172.17.0.2", "fd00::/64"));
        assert!(!in_subnet("", "172.17.0.0/16"));
    }
}
