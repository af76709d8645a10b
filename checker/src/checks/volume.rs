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
            let read = helper::with_created(&ctx.docker, &image, binds, |id| async move {
                helper::read_path(&ctx.docker, &id, &inside).await
            })
            .await;
            match read {
                Ok(found) => {
                    spec.compare(&found, &format!("dans le volume `{}`", self.name), &mut m)
                }
                Err(e) => return Outcome::cannot(e),
            }
        }
        m.into_outcome()
    }
}

/// The id of the smallest local image: the helper is never started, any image will do.
pub async fn any_local_image(ctx: &Context) -> Option<String> {
    let options = ListImagesOptionsBuilder::default().all(false).build();
    let mut images = ctx.docker.list_images(Some(options)).await.ok()?;
    images.sort_by_key(|i| i.size);
    images.into_iter().next().map(|i| i.id)
}
