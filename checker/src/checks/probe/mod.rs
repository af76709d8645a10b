//! `probe`: what a container on a network sees of another one — its name resolved,
//! a TCP port open, a page served — tried from inside that network.
//!
//! ```yaml
//! probe:
//!   network: mon-app-reseau
//!   target: serveur-web
//!   by: name            # or `ip`
//!   test: http          # or `resolve`, `tcp`
//!   body_contains: It works!
//!   reachable: true     # `false`: it must *not* work that way
//! ```
//!
//! The checker's own machine is often not on the Docker network (Docker Desktop, a
//! remote engine): the probe runs in a short-lived helper container attached to
//! `network` only, never in the student's containers, and is removed on every path
//! (see [`crate::docker::helper::run_on_network`]). Its requests carry the checker's
//! `User-Agent`, so the target's access log does not count them as the student's.
//!
//! A name "works" only when it resolves to the target's own address on that network:
//! a DNS that answers every name (a search domain, a captive portal) is luck, not
//! Docker's resolution, and is reported as such both ways. The target must be running
//! and attached to the network (to `target_network` for `by: ip` across networks):
//! "`nginx2` does not answer by name" proves nothing when `nginx2` is not there.
//!
//! The helper is made from a local `busybox` or `alpine` image, else from the
//! target's image (an Alpine-based `nginx:alpine` has BusyBox too); it is never
//! pulled. It uses `nslookup` and `nc`, which every BusyBox has (`wget` is not
//! reliable in every build).

use std::net::IpAddr;
use std::time::Duration;

use bollard::models::ContainerInspectResponse;
use bollard::query_parameters::{InspectNetworkOptions, ListImagesOptionsBuilder};
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{code_list, excerpt, existing_container, yes};
use super::container::status;
use super::{Context, Verify};
use script::{parse_http, run};
use crate::docker::{describe_error, is_not_found};
use crate::outcome::Outcome;
use crate::untrusted::neutralise;

mod script;

/// Longest a probe helper may take: two bounded steps of 5 s each, and its start; under
/// the runner's 15 s per attempt, so that the verdict is the probe's own.
const RUN_LIMIT: Duration = Duration::from_secs(12);

/// Images a probe helper is made from, in this order, when present.
const PROBE_IMAGES: &[&str] = &["busybox", "alpine"];

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProbeCheck {
    /// The network the helper joins (`bridge` for Docker's default one).
    pub network: String,
    /// The container the probe tries to reach.
    pub target: String,
    /// The network whose address of `target` is used with `by: ip` (by default
    /// `network`): to show that two networks are isolated.
    pub target_network: Option<String>,
    /// By the name (`name`, by default) or by the target's address (`ip`).
    #[serde(default)]
    pub by: By,
    /// The name used with `by: name` when not the container's own (an alias, a
    /// Compose service name).
    pub name: Option<String>,
    /// What is tried: `resolve` (the name only), `tcp` (a connection), `http` (a page,
    /// by default).
    #[serde(default)]
    pub test: Test,
    #[serde(default = "default_port")]
    pub port: u16,
    #[serde(default = "default_path")]
    pub path: String,
    /// Expected HTTP status (`http` only; 200 by default).
    pub status: Option<u16>,
    /// Text the page must contain (`http` only).
    pub body_contains: Option<String>,
    /// `false`: it must not work this way (the default bridge resolves no names).
    #[serde(default = "yes")]
    pub reachable: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[default]
    Name,
    Ip,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Test {
    Resolve,
    Tcp,
    #[default]
    Http,
}

fn default_port() -> u16 {
    80
}

fn default_path() -> String {
    "/".to_string()
}

impl Verify for ProbeCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.network.trim().is_empty() {
            out.push("`network` est vide".to_string());
        }
        if self.target.trim().is_empty() {
            out.push("`target` est vide".to_string());
        }
        if self.by == By::Ip && self.test == Test::Resolve {
            out.push("`test: resolve` demande `by: name` : une adresse ne se résout pas".into());
        }
        if self.by == By::Ip && self.name.is_some() {
            out.push("`name` ne sert qu'avec `by: name`".to_string());
        }
        if self.by == By::Name && self.target_network.is_some() {
            out.push("`target_network` ne sert qu'avec `by: ip`".to_string());
        }
        if self.test != Test::Http && (self.status.is_some() || self.body_contains.is_some()) {
            out.push("`status` et `body_contains` ne servent qu'avec `test: http`".to_string());
        }
        if !self.path.starts_with('/') || self.path.chars().any(char::is_whitespace) {
            out.push(format!(
                "`path: {}` : un chemin qui commence par `/`, sans espace",
                self.path
            ));
        }
        if let Some(name) = &self.name
            && !is_host_name(name)
        {
            out.push(format!("`name: {name}` n'est pas un nom d'hôte"));
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        match self.prepare(ctx).await {
            Ok(plan) => self.conclude(&plan, run(ctx, &plan).await),
            Err(verdict) => verdict,
        }
    }
}

/// What the probe will do, once the network and the target are known.
#[derive(Debug)]
struct Plan {
    image: String,
    /// The target's addresses on the network it is reached through.
    addresses: Vec<IpAddr>,
    /// The name resolved (`by: name`).
    name: Option<String>,
    /// Where the connection goes (a name, or the target's address), for `tcp`/`http`.
    host: Option<String>,
    /// The network the helper joins.
    network: String,
    port: u16,
    path: String,
    /// An HTTP request is sent (not only a connection opened).
    http: bool,
}

/// What the helper reported.
#[derive(Debug, Clone, Default, PartialEq)]
struct Report {
    /// `Some` when a name was looked up: the addresses it resolved to.
    resolved: Option<Vec<IpAddr>>,
    /// The resolver's own words when nothing was found (`NXDOMAIN`, a timeout).
    resolve_error: String,
    /// `Some` when a connection was tried: its exit status and what came back.
    connected: Option<(bool, String)>,
    /// A tool the image lacks.
    missing: Option<String>,
}

impl ProbeCheck {
    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.target)
    }

    fn address_network(&self) -> &str {
        self.target_network.as_deref().unwrap_or(&self.network)
    }

    /// How the probe reaches the target, in a sentence.
    fn how(&self) -> String {
        let host = match self.by {
            By::Name => self.name().to_string(),
            By::Ip => format!("<adresse de {} sur {}>", self.target, self.address_network()),
        };
        let port = if self.port == 80 {
            String::new()
        } else {
            format!(":{}", self.port)
        };
        let what = match self.test {
            Test::Resolve => format!(
                "le nom `{}` mène à l'adresse de `{}`",
                self.name(),
                self.target
            ),
            Test::Tcp => format!("`{host}` accepte une connexion sur le port {}", self.port),
            Test::Http => {
                let answer = match (&self.body_contains, self.status.unwrap_or(200)) {
                    (Some(text), 200) => format!("« {text} »"),
                    (Some(text), code) => format!("{code} « {text} »"),
                    (None, code) => format!("{code}"),
                };
                format!("`http://{host}{port}{}` répond {answer}", self.path)
            }
        };
        format!("depuis le réseau `{}`, {what}", self.network)
    }

    fn expected(&self) -> String {
        if self.reachable {
            self.how()
        } else {
            format!("{} : NON (cela ne doit pas marcher)", self.how())
        }
    }

    /// The network and the target as the probe needs them, or the settled verdict.
    async fn prepare(&self, ctx: &Context) -> Result<Plan, Outcome> {
        let expected = self.expected();
        match ctx
            .docker
            .inspect_network(&self.network, None::<InspectNetworkOptions>)
            .await
        {
            Ok(n) if n.name.as_deref() == Some(self.network.as_str()) => {}
            Ok(_) => return Err(no_network(&expected, &self.network)),
            Err(e) if is_not_found(&e) => return Err(no_network(&expected, &self.network)),
            Err(e) => return Err(Outcome::cannot(describe_error(&e))),
        }
        let target = existing_container(ctx, &self.target, expected.clone()).await?;
        if status(&target).as_deref() != Some("running") {
            return Err(Outcome::fail(
                expected,
                format!(
                    "`{}` n'est pas en marche ({}) : rien ne peut lui répondre",
                    self.target,
                    status(&target).unwrap_or_else(|| "état inconnu".into())
                ),
            )
            .settled());
        }
        let on = |network: &str| addresses_on(&target, network);
        let addresses = on(self.address_network());
        if addresses.is_empty() {
            let attached = attached_networks(&target);
            return Err(Outcome::fail(
                expected,
                format!(
                    "`{}` n'est pas connecté à `{}` ({})",
                    self.target,
                    self.address_network(),
                    if attached.is_empty() {
                        "il n'est connecté à aucun réseau".to_string()
                    } else {
                        format!("il est connecté à {}", code_list(&attached))
                    }
                ),
            )
            .settled());
        }
        let image = match probe_image(ctx, &target).await {
            Some(image) => image,
            None => {
                return Err(Outcome::cannot(
                    "aucune image `busybox` ni `alpine` en local pour le conteneur d'aide du \
                     checker : `docker pull busybox`, puis relancez",
                ));
            }
        };
        let name = (self.by == By::Name).then(|| self.name().to_string());
        let host = match (self.test, self.by) {
            (Test::Resolve, _) => None,
            (_, By::Name) => name.clone(),
            (_, By::Ip) => addresses.first().map(IpAddr::to_string),
        };
        Ok(Plan {
            image,
            addresses,
            name,
            host,
            network: self.network.clone(),
            port: self.port,
            path: self.path.clone(),
            http: self.test == Test::Http,
        })
    }

    /// The verdict from what the helper saw.
    fn conclude(&self, plan: &Plan, report: Result<Report, String>) -> Outcome {
        let expected = self.expected();
        let report = match report {
            Ok(r) => r,
            Err(e) => return Outcome::cannot(e),
        };
        if let Some(tool) = &report.missing {
            return Outcome::cannot(format!(
                "l'image `{}` du conteneur d'aide n'a pas `{tool}` : `docker pull busybox`, \
                 puis relancez",
                plan.image
            ));
        }
        // Each step in order; the first that does not work says why.
        let mut seen = Vec::new();
        let mut failure = None;
        if let Some(name) = &plan.name {
            let resolved = report.resolved.clone().unwrap_or_default();
            let shown = ip_list(&resolved);
            let target_ips = ip_list(&plan.addresses);
            if resolved.iter().any(|ip| plan.addresses.contains(ip)) {
                seen.push(format!("`{name}` → {shown}, l'adresse de `{}`", self.target));
            } else if resolved.is_empty() {
                let why = excerpt(&neutralise(&report.resolve_error), 120);
                failure = Some(format!(
                    "le nom `{name}` n'est pas résolu depuis `{}`{}",
                    self.network,
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(" (« {why} »)")
                    }
                ));
            } else {
                failure = Some(format!(
                    "le nom `{name}` est résolu en {shown}, qui n'est pas l'adresse de `{}` \
                     ({target_ips}) : c'est le DNS de la machine qui répond, pas celui de Docker",
                    self.target
                ));
            }
        }
        if failure.is_none()
            && let (Some(host), Some((ok, output))) = (&plan.host, &report.connected)
        {
            match self.test {
                Test::Tcp if *ok => seen.push(format!("port {} ouvert sur `{host}`", self.port)),
                Test::Tcp => {
                    failure = Some(format!(
                        "connexion impossible au port {} de `{host}`{}",
                        self.port,
                        said(output)
                    ))
                }
                _ => match self.judge_http(host, *ok, output) {
                    Ok(page) => seen.push(page),
                    Err(why) => failure = Some(why),
                },
            }
        }
        match (failure, self.reachable) {
            (None, true) => Outcome::pass_found(seen.join(" ; ")),
            (None, false) => Outcome::fail(expected, format!("cela marche : {}", seen.join(" ; "))),
            (Some(why), true) => Outcome::fail(expected, why),
            (Some(why), false) => Outcome::pass_found(why),
        }
    }

    /// The page the helper fetched, checked against `status` and `body_contains`.
    fn judge_http(&self, host: &str, ok: bool, output: &str) -> Result<String, String> {
        let port = if self.port == 80 {
            String::new()
        } else {
            format!(":{}", self.port)
        };
        let url = format!("http://{host}{port}{}", self.path);
        let Some((code, body)) = parse_http(output) else {
            return Err(if ok && output.trim().is_empty() {
                format!("{url} n'a rien renvoyé")
            } else {
                format!("pas de réponse HTTP de {url}{}", said(output))
            });
        };
        let wanted = self.status.unwrap_or(200);
        if code != wanted {
            return Err(format!("{url} répond {code} (attendu {wanted})"));
        }
        if let Some(text) = &self.body_contains
            && !body.contains(text.as_str())
        {
            return Err(format!(
                "{url} répond {code} mais sa page ne contient pas « {text} » : « {} »",
                excerpt(&neutralise(&body), 100)
            ));
        }
        Ok(format!("{url} répond {code}"))
    }
}

/// A failed network inspect, as a settled verdict.
fn no_network(expected: &str, network: &str) -> Outcome {
    Outcome::fail(expected, format!("le réseau `{network}` n'existe pas")).settled()
}

/// The container's IPv4 and IPv6 addresses on `network`.
fn addresses_on(c: &ContainerInspectResponse, network: &str) -> Vec<IpAddr> {
    let Some(endpoint) = c
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.as_ref())
        .and_then(|n| n.get(network))
    else {
        return Vec::new();
    };
    [&endpoint.ip_address, &endpoint.global_ipv6_address]
        .into_iter()
        .flatten()
        .filter_map(|a| a.parse().ok())
        .collect()
}

/// The networks a container is attached to, sorted.
fn attached_networks(c: &ContainerInspectResponse) -> Vec<String> {
    let mut names: Vec<String> = c
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.as_ref())
        .map(|n| n.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The image the helper is made from: a local busybox or alpine, else the target's.
async fn probe_image(ctx: &Context, target: &ContainerInspectResponse) -> Option<String> {
    let filters = [(
        "reference".to_string(),
        PROBE_IMAGES.iter().map(|s| (*s).to_string()).collect(),
    )]
    .into();
    let options = ListImagesOptionsBuilder::default().filters(&filters).build();
    if let Ok(images) = ctx.docker.list_images(Some(options)).await {
        for wanted in PROBE_IMAGES {
            let found = images.iter().find(|i| {
                i.repo_tags.iter().any(|t| {
                    let repo = t.rsplit_once(':').map_or(t.as_str(), |(r, _)| r);
                    repo == *wanted || repo.ends_with(&format!("/{wanted}"))
                })
            });
            if let Some(image) = found {
                return Some(image.id.clone());
            }
        }
    }
    target.image.clone().filter(|i| !i.is_empty())
}

/// What a failed tool said, as « : … » (nothing when it said nothing).
fn said(output: &str) -> String {
    let text = excerpt(&neutralise(output), 120);
    if text.is_empty() {
        String::new()
    } else {
        format!(" (« {text} »)")
    }
}

fn ip_list(ips: &[IpAddr]) -> String {
    ips.iter()
        .map(|ip| format!("`{ip}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A DNS name: letters, digits, `-`, `_` and `.`, at most 253 characters.
fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(yaml: serde_json::Value) -> ProbeCheck {
        serde_json::from_value(yaml).expect("probe parameters")
    }

    #[test]
    fn parameters_are_checked() {
        use serde_json::json;
        assert!(
            probe(json!({"network": "bridge", "target": "nginx2"}))
                .problems()
                .is_empty()
        );
        assert_eq!(
            probe(json!({"network": "bridge", "target": "x", "by": "ip", "test": "resolve"}))
                .problems()
                .len(),
            1
        );
        assert_eq!(
            probe(json!({"network": "n", "target": "x", "test": "tcp", "body_contains": "a"}))
                .problems()
                .len(),
            1
        );
        assert_eq!(
            probe(json!({"network": "n", "target": "x", "name": "a b"}))
                .problems()
                .len(),
            1
        );
        assert_eq!(
            probe(json!({"network": "n", "target": "x", "path": "index.html"}))
                .problems()
                .len(),
            1
        );
    }

    fn plan(name: Option<&str>) -> Plan {
        Plan {
            image: "busybox".into(),
            addresses: vec!["172.17.0.3".parse().expect("ip")],
            name: name.map(String::from),
            host: name.map(String::from),
            network: "bridge".into(),
            port: 80,
            path: "/".into(),
            http: true,
        }
    }

    #[test]
    fn a_lucky_dns_answer_is_not_docker_resolution() {
        use serde_json::json;
        let by_name = probe(json!({"network": "bridge", "target": "nginx2", "reachable": false}));
        // A search domain answers with an address that is not nginx2's: it does not
        // reach nginx2 by name, and the verdict says whose DNS answered.
        let lucky = Report {
            resolved: Some(vec!["93.184.216.34".parse().expect("ip")]),
            connected: Some((true, "HTTP/1.1 200 OK\r\n\r\nWelcome to nginx!".into())),
            ..Report::default()
        };
        let outcome = by_name.conclude(&plan(Some("nginx2")), Ok(lucky.clone()));
        assert!(outcome.is_pass(), "{outcome:?}");
        assert!(
            outcome.found.unwrap_or_default().contains("pas celui de Docker"),
        );
        let must_work = probe(json!({"network": "bridge", "target": "nginx2"}));
        let outcome = must_work.conclude(&plan(Some("nginx2")), Ok(lucky));
        assert!(!outcome.is_pass(), "{outcome:?}");
        // Resolved to nginx2 itself: it works by name, which the negative probe refuses.
        let docker_dns = Report {
            resolved: Some(vec!["172.17.0.3".parse().expect("ip")]),
            connected: Some((true, "HTTP/1.1 200 OK\r\n\r\nWelcome to nginx!".into())),
            ..Report::default()
        };
        assert!(!by_name.conclude(&plan(Some("nginx2")), Ok(docker_dns.clone())).is_pass());
        assert!(must_work.conclude(&plan(Some("nginx2")), Ok(docker_dns)).is_pass());
    }
}
