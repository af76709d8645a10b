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
            let binds = vec![format!("{}:{MOUNT_POINT}:ro", self.name)];
            let seen_created = volume.created_at.clone();
            let name = self.name.as_str();
            let read = helper::with_created(&ctx.docker, &image, binds, |id| async move {
                // The engine creates a missing volume for the helper: if the student's
                // was removed meanwhile, this one is the checker's own, and empty.
                let now = ctx.docker.inspect_volume(name).await.ok();
                if now.map(|v| v.created_at) != Some(seen_created) {
                    return Ok(Read::Recreated);
                }
                helper::read_path(&ctx.docker, &id, &inside)
                    .await
                    .map(Read::Found)
            })
            .await;
            match read {
                Ok(Read::Found(found)) => {
                    spec.compare(&found, &format!("dans le volume `{}`", self.name), &mut m)
                }
                Ok(Read::Recreated) => {
                    // Never leave a volume under the student's name that they did not make.
                    let _ = ctx
                        .docker
                        .remove_volume(name, None::<bollard::query_parameters::RemoveVolumeOptions>)
                        .await;
                    return Outcome::cannot(format!(
                        "{subject} a été supprimé pendant la vérification : relancez-la"
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
    /// The volume vanished and the helper's creation made a new one.
    Recreated,
}

/// The id of the smallest local image: the helper is never started, any image will do.
pub async fn any_local_image(ctx: &Context) -> Option<String> {
    let options = ListImagesOptionsBuilder::default().all(false).build();
    let mut images = ctx.docker.list_images(Some(options)).await.ok()?;
    images.sort_by_key(|i| i.size);
    images.into_iter().next().map(|i| i.id)
}
