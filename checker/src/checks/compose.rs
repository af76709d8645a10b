//! `compose`: a Docker Compose project, found by the labels Compose puts on what it
//! creates, and its services, networks and volumes.
//!
//! ```yaml
//! compose:
//!   project: compose-app
//!   services:
//!     webserver: { container_name: compose-nginx, state: running, ports: { "8081": 80 } }
//!     api: { built: true, restarted: true }
//!     db: { health: healthy, volume_older: db-data,
//!           mounts: [{ destination: /var/lib/postgresql/data, source: voting-app_db-data }] }
//!   networks: { app-net: [frontend, backend] }
//!   volumes: [db-data]
//! ```
//!
//! A project is what carries `com.docker.compose.project=NAME` (Compose v1 and v2 share
//! the label keys; podman-compose also sets `io.podman.compose.project`), never what
//! `docker compose ps` prints: its columns change between versions, and a container
//! made by hand with `docker run --name compose-nginx` has the right name but no label,
//! so it is not the project's and does not pass. `compose run` containers
//! (`com.docker.compose.oneoff=True`) are not services. Networks and volumes are the
//! project's when they carry its label and their short name
//! (`com.docker.compose.network`, `com.docker.compose.volume`), whatever `name:` gave
//! them on the engine (by default `<project>_<name>`).

use std::collections::{BTreeMap, HashMap};

use bollard::models::{ContainerInspectResponse, ContainerSummary};
use bollard::query_parameters::{
    ListContainersOptionsBuilder, ListNetworksOptionsBuilder, ListVolumesOptionsBuilder,
};
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{code_list, container_name, yes};
use super::container::{ContainerCheck, Local, MountSpec, parse_time};
use super::{Context, Verify};
use crate::docker::describe_error;
use crate::outcome::{Mismatches, Outcome};

/// The label every Compose implementation puts on a project's containers, networks,
/// volumes and built images.
pub const PROJECT_LABEL: &str = "com.docker.compose.project";
const PODMAN_PROJECT_LABEL: &str = "io.podman.compose.project";
const SERVICE_LABEL: &str = "com.docker.compose.service";
const ONEOFF_LABEL: &str = "com.docker.compose.oneoff";
const NETWORK_LABEL: &str = "com.docker.compose.network";
const VOLUME_LABEL: &str = "com.docker.compose.volume";

/// A volume's `CreatedAt` has whole seconds only: a volume and a container made by the
/// same `up` may look this far apart without the volume having outlived anything.
const SAME_UP_SECS: i64 = 2;

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComposeCheck {
    /// The project's name (`name:` in the file, else the folder's name).
    pub project: String,
    /// `false`: no container of the project is left (after `docker compose down`).
    #[serde(default = "yes")]
    pub exists: bool,
    /// Services that must be there, by their name in the Compose file.
    #[serde(default)]
    pub services: BTreeMap<String, ServiceSpec>,
    /// The project's networks by their short name (`app-net`), each with the services
    /// that must be attached to it.
    #[serde(default)]
    pub networks: BTreeMap<String, Vec<String>>,
    /// The project's named volumes by their short name (`db-data`).
    #[serde(default)]
    pub volumes: Vec<String>,
}

/// What one service must be. Every property holds for each of its containers.
#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// How many containers (replicas); at least one when absent.
    pub containers: Option<usize>,
    /// The `container_name:` the file gives it.
    pub container_name: Option<String>,
    pub state: Option<String>,
    /// `healthy`, `unhealthy` or `starting`.
    pub health: Option<String>,
    /// Host port → container port (`80/tcp`, or `80` meaning tcp).
    #[serde(default)]
    pub ports: BTreeMap<String, String>,
    #[serde(default)]
    pub env: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub mounts: Vec<MountSpec>,
    pub restart_policy: Option<String>,
    /// Started again after its creation (`docker compose stop`/`start`, `restart`).
    pub restarted: Option<bool>,
    /// Its image was built by Compose for this project and service (`build:`), not
    /// pulled.
    pub built: Option<bool>,
    /// A project volume (short name) older than this service's container: the data
    /// outlived a `down`/`up`.
    pub volume_older: Option<String>,
}

impl Verify for ComposeCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.project.trim().is_empty() {
            out.push("`project` est vide".to_string());
        }
        if !self.exists
            && (!self.services.is_empty() || !self.networks.is_empty() || !self.volumes.is_empty())
        {
            out.push(
                "avec `exists: false`, ni `services`, ni `networks`, ni `volumes`".to_string(),
            );
        }
        for (name, spec) in &self.services {
            for problem in spec.as_container(name).problems() {
                out.push(format!("service `{name}` : {problem}"));
            }
        }
        for services in self.networks.values() {
            for service in services {
                if !self.services.contains_key(service) {
                    out.push(format!(
                        "le service `{service}` d'un réseau doit aussi figurer dans `services`"
                    ));
                }
            }
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let containers = match project_containers(ctx, &self.project).await {
            Ok(c) => c,
            Err(e) => return Outcome::cannot(e),
        };
        let subject = format!("le projet Compose `{}`", self.project);
        if !self.exists {
            return if containers.is_empty() {
                Outcome::pass()
            } else {
                Outcome::fail(
                    format!("{subject} arrêté et supprimé (`docker compose down`)"),
                    format!("encore là : {}", names_and_states(&containers)),
                )
            };
        }
        if containers.is_empty() {
            let mut found = format!("aucun conteneur ne porte le label `{PROJECT_LABEL}={}`", self.project);
            if let Some(slip) = self.likely_slip(ctx).await {
                found.push_str(&format!(" ; {slip}"));
            }
            return Outcome::fail(format!("{subject} lancé (`docker compose up -d`)"), found)
                .settled();
        }
        let mut m = Mismatches::new();
        let mut by_service: BTreeMap<&str, Vec<&ContainerInspectResponse>> = BTreeMap::new();
        for c in &containers {
            if let Some(service) = label(c, SERVICE_LABEL) {
                by_service.entry(service).or_default().push(c);
            }
        }
        for (service, spec) in &self.services {
            let found = by_service.get(service.as_str()).cloned().unwrap_or_default();
            if let Err(e) = self.compare_service(ctx, service, spec, &found, &mut m).await {
                return Outcome::cannot(e);
            }
        }
        if let Err(e) = self.compare_networks(ctx, &by_service, &mut m).await {
            return Outcome::cannot(e);
        }
        if let Err(e) = self.compare_volumes(ctx, &mut m).await {
            return Outcome::cannot(e);
        }
        let outcome = m.into_outcome();
        if outcome.is_pass() {
            Outcome::pass_found(names_and_states(&containers))
        } else {
            outcome
        }
    }
}

impl ServiceSpec {
    /// The container properties, as the `container` kind compares them.
    fn as_container(&self, service: &str) -> ContainerCheck {
        ContainerCheck {
            name: Some(service.to_string()),
            exists: true,
            state: self.state.clone(),
            health: self.health.clone(),
            ports: self.ports.clone(),
            env: self.env.clone(),
            mounts: self.mounts.clone(),
            restart_policy: self.restart_policy.clone(),
            restarted: self.restarted,
            ..ContainerCheck::default()
        }
    }
}

impl ComposeCheck {
    async fn compare_service(
        &self,
        ctx: &Context,
        service: &str,
        spec: &ServiceSpec,
        found: &[&ContainerInspectResponse],
        m: &mut Mismatches,
    ) -> Result<(), String> {
        let about = format!("service `{service}`");
        if found.is_empty() {
            let mut shown = format!("aucun conteneur du projet pour le {about}");
            if let Some(name) = &spec.container_name
                && let Some(other) = ctx.snapshot.container(&ctx.docker, name).await?
            {
                shown.push_str(&format!(" ; {}", not_from_this_project(&other, &self.project)));
            }
            m.push(format!("le {about} dans le projet"), shown);
            return Ok(());
        }
        let wanted = spec.containers.unwrap_or(1);
        if spec.containers.is_some() && found.len() != wanted {
            m.push(
                format!("{about} : {wanted} conteneur(s)"),
                format!("{about} : {} conteneur(s)", found.len()),
            );
        }
        if let Some(name) = &spec.container_name {
            let names: Vec<String> = found.iter().map(|c| container_name(c)).collect();
            if !names.contains(name) {
                m.push(
                    format!("{about} : conteneur `{name}` (`container_name:`)"),
                    format!("{about} : conteneur(s) {}", code_list(&names)),
                );
            }
        }
        let properties = spec.as_container(service);
        let local = Local::of(ctx, &spec.mounts);
        for c in found {
            let mismatches = properties.compare(c, &local).into_outcome();
            if let (Some(expected), Some(shown)) = (mismatches.expected, mismatches.found) {
                m.push(
                    format!("{about} : {expected}"),
                    format!("`{}` : {shown}", container_name(c)),
                );
            }
        }
        if let Some(built) = spec.built {
            for c in found {
                self.compare_built(ctx, service, built, c, m).await?;
            }
        }
        if let Some(volume) = &spec.volume_older {
            for c in found {
                self.compare_age(ctx, volume, c, m).await?;
            }
        }
        Ok(())
    }

    /// Compose labels the images it builds with the project and the service; a pulled
    /// image carries neither (or another project's).
    async fn compare_built(
        &self,
        ctx: &Context,
        service: &str,
        built: bool,
        c: &ContainerInspectResponse,
        m: &mut Mismatches,
    ) -> Result<(), String> {
        let reference = c.image.clone().unwrap_or_default();
        let shown = c
            .config
            .as_ref()
            .and_then(|config| config.image.clone())
            .unwrap_or_else(|| reference.clone());
        let labels = ctx
            .snapshot
            .image(&ctx.docker, &reference)
            .await?
            .and_then(|i| i.config)
            .and_then(|config| config.labels)
            .unwrap_or_default();
        let is_built = labels.get(PROJECT_LABEL).map(String::as_str) == Some(self.project.as_str())
            && labels.get(SERVICE_LABEL).map(String::as_str) == Some(service);
        if is_built != built {
            m.push(
                if built {
                    format!("service `{service}` : image construite par Compose (`build:`)")
                } else {
                    format!("service `{service}` : image téléchargée (`image:`)")
                },
                if is_built {
                    format!("`{}` : image `{shown}` construite par Compose", container_name(c))
                } else {
                    format!(
                        "`{}` : image `{shown}`, qui n'a pas été construite par Compose pour ce service",
                        container_name(c)
                    )
                },
            );
        }
        Ok(())
    }

    /// The volume was there before the container: made by an earlier `up`, it kept the
    /// data through `down` and the new `up`.
    async fn compare_age(
        &self,
        ctx: &Context,
        volume: &str,
        c: &ContainerInspectResponse,
        m: &mut Mismatches,
    ) -> Result<(), String> {
        let expected = format!(
            "le volume `{volume}` du projet plus ancien que `{}` (données gardées par `docker compose down` puis `up`)",
            container_name(c)
        );
        let Some(found) = self.project_volume(ctx, volume).await? else {
            m.push(expected, format!("le volume `{volume}` du projet n'existe pas"));
            return Ok(());
        };
        let volume_time = found.created_at.as_deref().and_then(parse_time);
        let container_time = c.created.as_deref().and_then(parse_time);
        let (Some(volume_time), Some(container_time)) = (volume_time, container_time) else {
            return Err(format!(
                "dates de création illisibles pour le volume `{}` ou le conteneur `{}`",
                found.name,
                container_name(c)
            ));
        };
        let ahead = (container_time - volume_time).num_seconds();
        if ahead < SAME_UP_SECS {
            m.push(
                expected,
                format!(
                    "`{}` créé le {}, `{}` le {} : {}",
                    found.name,
                    volume_time.format("%d/%m %H:%M:%S"),
                    container_name(c),
                    container_time.format("%d/%m %H:%M:%S"),
                    if ahead < -SAME_UP_SECS {
                        "le volume est plus récent que le conteneur"
                    } else {
                        "créés par le même `up` (un `docker compose down -v` a effacé les données ?)"
                    }
                ),
            );
        }
        Ok(())
    }

    async fn compare_networks(
        &self,
        ctx: &Context,
        by_service: &BTreeMap<&str, Vec<&ContainerInspectResponse>>,
        m: &mut Mismatches,
    ) -> Result<(), String> {
        for (network, services) in &self.networks {
            let filters = self.labelled(NETWORK_LABEL, network);
            let options = ListNetworksOptionsBuilder::default().filters(&filters).build();
            let listed = ctx
                .docker
                .list_networks(Some(options))
                .await
                .map_err(|e| describe_error(&e))?;
            let Some(found) = listed.into_iter().next() else {
                m.push(
                    format!("le réseau `{network}` du projet (`{}_{network}`)", self.project),
                    format!("aucun réseau `{network}` créé par Compose pour ce projet"),
                );
                continue;
            };
            let name = found.name.clone().unwrap_or_default();
            // The listing leaves the attached containers out: inspect for them.
            let inspected = ctx
                .docker
                .inspect_network(&name, None::<bollard::query_parameters::InspectNetworkOptions>)
                .await
                .map_err(|e| describe_error(&e))?;
            let attached: Vec<String> = inspected.containers.unwrap_or_default().into_keys().collect();
            for service in services {
                let ids: Vec<&str> = by_service
                    .get(service.as_str())
                    .map(|cs| cs.iter().filter_map(|c| c.id.as_deref()).collect())
                    .unwrap_or_default();
                if ids.is_empty() {
                    // Already reported as a missing service.
                    continue;
                }
                if !ids.iter().any(|id| attached.iter().any(|a| a == id)) {
                    m.push(
                        format!("le service `{service}` connecté (et en marche) sur `{name}`"),
                        format!("`{service}` n'est pas connecté à `{name}`"),
                    );
                }
            }
        }
        Ok(())
    }

    async fn compare_volumes(&self, ctx: &Context, m: &mut Mismatches) -> Result<(), String> {
        for volume in &self.volumes {
            if self.project_volume(ctx, volume).await?.is_none() {
                m.push(
                    format!("le volume `{volume}` du projet (`{}_{volume}`)", self.project),
                    format!("aucun volume `{volume}` créé par Compose pour ce projet"),
                );
            }
        }
        Ok(())
    }

    /// The engine's filter for the project's object named `name` in the file: Compose
    /// labels networks and volumes with their short name under `key`.
    fn labelled(&self, key: &str, name: &str) -> HashMap<String, Vec<String>> {
        [(
            "label".to_string(),
            vec![
                format!("{PROJECT_LABEL}={}", self.project),
                format!("{key}={name}"),
            ],
        )]
        .into()
    }

    /// The project's volume with that short name.
    async fn project_volume(
        &self,
        ctx: &Context,
        volume: &str,
    ) -> Result<Option<bollard::models::Volume>, String> {
        let filters = self.labelled(VOLUME_LABEL, volume);
        let options = ListVolumesOptionsBuilder::default().filters(&filters).build();
        let listed = ctx
            .docker
            .list_volumes(Some(options))
            .await
            .map_err(|e| describe_error(&e))?;
        Ok(listed.volumes.unwrap_or_default().into_iter().next())
    }

    /// What the student probably did instead of `docker compose up` in the right folder:
    /// the services' containers made by hand, or the project under another name.
    async fn likely_slip(&self, ctx: &Context) -> Option<String> {
        for spec in self.services.values() {
            let Some(name) = &spec.container_name else {
                continue;
            };
            if let Ok(Some(other)) = ctx.snapshot.container(&ctx.docker, name).await {
                return Some(not_from_this_project(&other, &self.project));
            }
        }
        None
    }
}

/// Why a container with a service's name is not that service.
fn not_from_this_project(c: &ContainerInspectResponse, project: &str) -> String {
    let name = container_name(c);
    match label(c, PROJECT_LABEL).or_else(|| label(c, PODMAN_PROJECT_LABEL)) {
        Some(other) => format!(
            "le conteneur `{name}` existe, mais dans le projet `{other}` : ajoutez `name: {project}` \
             en tête du fichier Compose (ou lancez-le depuis un dossier `{project}`)"
        ),
        None => format!(
            "le conteneur `{name}` existe, mais il n'a pas été créé par Compose (lancé avec \
             `docker run` ?) : supprimez-le (`docker rm -f {name}`) puis lancez `docker compose up -d`"
        ),
    }
}

/// The project's service containers (running or not), inspected; `compose run`
/// containers left out.
async fn project_containers(
    ctx: &Context,
    project: &str,
) -> Result<Vec<ContainerInspectResponse>, String> {
    let mut summaries = list_labelled(ctx, PROJECT_LABEL, project).await?;
    if summaries.is_empty() {
        summaries = list_labelled(ctx, PODMAN_PROJECT_LABEL, project).await?;
    }
    let mut out = Vec::new();
    for summary in summaries {
        let oneoff = summary
            .labels
            .as_ref()
            .and_then(|l| l.get(ONEOFF_LABEL))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let Some(id) = summary.id.filter(|_| !oneoff) else {
            continue;
        };
        // A container removed between list and inspect is simply skipped.
        if let Some(c) = ctx.snapshot.container(&ctx.docker, &id).await? {
            out.push(c);
        }
    }
    out.sort_by_key(container_name);
    Ok(out)
}

async fn list_labelled(
    ctx: &Context,
    key: &str,
    value: &str,
) -> Result<Vec<ContainerSummary>, String> {
    let filters: HashMap<String, Vec<String>> =
        [("label".to_string(), vec![format!("{key}={value}")])].into();
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    ctx.docker
        .list_containers(Some(options))
        .await
        .map_err(|e| describe_error(&e))
}

fn label<'a>(c: &'a ContainerInspectResponse, key: &str) -> Option<&'a str> {
    c.config
        .as_ref()
        .and_then(|config| config.labels.as_ref())
        .and_then(|labels| labels.get(key))
        .map(String::as_str)
}

/// `` `a` (running), `b` (exited) ``.
fn names_and_states(containers: &[ContainerInspectResponse]) -> String {
    containers
        .iter()
        .map(|c| {
            format!(
                "`{}` ({})",
                container_name(c),
                super::container::status(c).unwrap_or_else(|| "état inconnu".into())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

