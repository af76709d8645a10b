//! `volume`: a named volume exists (or not), its driver, and a file inside it.
//!
//! ```yaml
//! volume:
//!   name: mes-donnees-app
//!   path: { path: mon_fichier.txt, contains: "Données persistantes !" }
//! ```
//!
//! The file is read **without running anything**: a helper container is created from an
//! image already present (no pull), with the volume mounted, and read through the archive
//! API before it is removed. Paths are relative to the volume's root.

use bollard::query_parameters::ListImagesOptionsBuilder;
use schemars::JsonSchema;
use serde::Deserialize;

use super::image::PathSpec;
use super::common::yes;
use super::{Context, Verify};
use crate::docker::{describe_error, helper, is_not_found};
use crate::outcome::{Mismatches, Outcome, presence};

/// Where the volume is mounted in the helper container.
const MOUNT_POINT: &str = "/checker-volume";

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VolumeCheck {
    pub name: String,
    #[serde(default = "yes")]
    pub exists: bool,
    pub driver: Option<String>,
    pub path: Option<PathSpec>,
}

impl Verify for VolumeCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("`name` est vide".to_string());
        }
        if let Some(path) = &self.path {
            out.extend(path.problems());
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let subject = format!("le volume `{}`", self.name);
        let volume = match ctx.docker.inspect_volume(&self.name).await {
            Ok(v) => Some(v),
            Err(e) if is_not_found(&e) => None,
            Err(e) => return Outcome::cannot(describe_error(&e)),
        };
        let volume = match presence(volume, self.exists, &subject) {
            Ok(found) => found,
            Err(settled) => return settled,
        };
        let mut m = Mismatches::new();
        if let Some(driver) = &self.driver {
            m.compare("pilote", driver, Some(&volume.driver));
        }
        if let Some(spec) = &self.path {
            let Some(image) = any_local_image(ctx).await else {
                return Outcome::cannot(
                    "aucune image locale pour créer le conteneur d'aide qui lit le volume",
                );
            };
            let inside = format!("{MOUNT_POINT}/{}", spec.path.trim_start_matches('/'));
            let mounts = vec![helper::volume_mount(&self.name, MOUNT_POINT)];
            let seen_created = volume.created_at.clone();
            let name = self.name.as_str();
            let read = helper::with_created(&ctx.docker, &image, mounts, |id| async move {
                // The engine creates a missing volume for the helper: if the student's
                // was removed meanwhile, the one mounted is the helper's own, empty and
                // labelled as the checker's. One with neither the label nor the creation
                // time inspected was made again by the student (or by an engine that
                // drops the labels of a mount): no verdict, and it is left alone.
                let now = ctx.docker.inspect_volume(name).await.ok();
                match now {
                    Some(v) if helper::made_for_a_helper(&v.labels) => Ok(Read::MadeForTheHelper),
                    Some(v) if v.created_at == seen_created => {
                        let found = helper::read_path(&ctx.docker, &id, &inside).await;
                        found.map(Read::Found)
                    }
                    _ => Ok(Read::Replaced),
                }
            })
            .await;
            match read {
                Ok(Read::Found(found)) => {
                    spec.compare(&found, &format!("dans le volume `{}`", self.name), &mut m)
                }
                Ok(Read::MadeForTheHelper) => {
                    // Never leave a volume under the student's name that they did not make.
                    let _ = ctx
                        .docker
                        .remove_volume(name, None::<bollard::query_parameters::RemoveVolumeOptions>)
                        .await;
                    return Outcome::cannot(format!(
                        "{subject} a été supprimé pendant la vérification : relancez-la"
                    ));
                }
                Ok(Read::Replaced) => {
                    return Outcome::cannot(format!(
                        "{subject} a été supprimé ou recréé pendant la vérification : relancez-la"
                    ));
                }
                Err(e) => return Outcome::cannot(e),
            }
        }
        m.into_outcome()
    }
}

/// What the helper read in the volume.
enum Read {
    Found(Option<helper::PathInfo>),
    /// The volume vanished and the helper's creation made a new one, labelled as the
    /// checker's: the checker removes it.
    MadeForTheHelper,
    /// The volume is not the one inspected (another creation time) and not one the
    /// helper made: the student removed or re-created it meanwhile. It is theirs; the
    /// checker leaves it alone.
    Replaced,
}

/// The id of the smallest local image: the helper is never started, any image will do.
pub async fn any_local_image(ctx: &Context) -> Option<String> {
    let options = ListImagesOptionsBuilder::default().all(false).build();
    let mut images = ctx.docker.list_images(Some(options)).await.ok()?;
    images.sort_by_key(|i| i.size);
    images.into_iter().next().map(|i| i.id)
}
