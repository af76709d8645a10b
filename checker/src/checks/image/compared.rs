//! An image measured against something else: a size budget, another image's size
//! (`smaller_than`), another image's layers (`shares_layers_with`).

use bollard::models::ImageInspect;
use schemars::JsonSchema;
use serde::Deserialize;

use super::ImageCheck;
use crate::checks::{Context, layers};
use crate::outcome::{Mismatches, Outcome};
use crate::units::human_size;

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmallerThan {
    #[serde(rename = "ref")]
    pub reference: String,
    /// How much smaller, in % of the other image's size.
    pub percent: f64,
}

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SharesLayers {
    #[serde(rename = "ref")]
    pub reference: String,
    /// A regex on the history's instructions (`node_modules|npm ci`): the layers up to
    /// the one the last matching instruction made must be the other image's.
    pub through: String,
}

impl ImageCheck {
    /// Sizes as the engine reports them; both from the same store, so the ratio holds
    /// even where the containerd store reports compressed sizes.
    pub(super) async fn compare_size(
        &self,
        ctx: &Context,
        image: &ImageInspect,
        smaller: &SmallerThan,
        m: &mut Mismatches,
    ) -> Result<(), Outcome> {
        let Some(other) = other_image(ctx, &smaller.reference, m).await? else {
            return Ok(());
        };
        let size = u64::try_from(image.size.unwrap_or(0)).unwrap_or(0);
        let reference = u64::try_from(other.size.unwrap_or(0)).unwrap_or(0);
        if reference == 0 {
            return Err(Outcome::cannot(format!(
                "le moteur ne donne pas la taille de `{}`",
                smaller.reference
            )));
        }
        let gain = 100.0 * (1.0 - size as f64 / reference as f64);
        if gain + 1e-9 < smaller.percent {
            let store = store_name(ctx).await;
            m.push(
                format!(
                    "au moins {} % plus petite que `{}`",
                    smaller.percent, smaller.reference
                ),
                format!(
                    "{} contre {} pour `{}` : {} (stockage d'images : {store})",
                    human_size(size),
                    human_size(reference),
                    smaller.reference,
                    if gain > 0.0 {
                        format!("{gain:.0} % de moins")
                    } else {
                        "pas plus petite".to_string()
                    }
                ),
            );
        }
        Ok(())
    }

    /// The layers of both images compared in order, from the bottom, up to the one the
    /// last instruction matching `through` made in this image.
    pub(super) async fn compare_layers(
        &self,
        ctx: &Context,
        image: &ImageInspect,
        shares: &SharesLayers,
        m: &mut Mismatches,
    ) -> Result<(), Outcome> {
        let Some(other) = other_image(ctx, &shares.reference, m).await? else {
            return Ok(());
        };
        if other.id == image.id {
            m.push(
                format!(
                    "`{}` reconstruite après une modification du code, donc différente de `{}`",
                    self.reference, shares.reference
                ),
                format!(
                    "`{}` et `{}` sont la même image (id {})",
                    self.reference,
                    shares.reference,
                    short_id(image)
                ),
            );
            return Ok(());
        }
        let layers = |i: &ImageInspect| {
            i.root_fs
                .as_ref()
                .and_then(|r| r.layers.clone())
                .unwrap_or_default()
        };
        let (mine, theirs) = (layers(image), layers(&other));
        let pattern = regex::Regex::new(&shares.through)
            .map_err(|e| Outcome::cannot(format!("expression `through` invalide : {e}")))?;
        let history = ctx
            .docker
            .image_history(&self.reference)
            .await
            .map_err(|e| Outcome::cannot(crate::docker::describe_error(&e)))?;
        let target = layers::last_layer_matching(&history, mine.len(), &pattern)
            .map_err(|e| Outcome::cannot(format!("{e} (image `{}`)", self.reference)))?;
        let Some((index, instruction)) = target else {
            m.push(
                format!(
                    "une instruction de `{}` qui installe les dépendances (`{}`)",
                    self.reference, shares.through
                ),
                "aucune instruction de son historique (`docker history`) ne correspond".to_string(),
            );
            return Ok(());
        };
        let shared = layers::common_prefix(&mine, &theirs);
        if shared <= index {
            m.push(
                format!(
                    "les {} premières couches, jusqu'à celle de `{}`, communes avec `{}`",
                    index + 1,
                    layers::shown_instruction(&instruction),
                    shares.reference
                ),
                format!(
                    "{shared} couche{} commune{} sur {} : la couche n° {} diffère déjà, donc les \
                     dépendances ont été réinstallées (les sources sont-elles copiées avant \
                     `package*.json` ?)",
                    if shared > 1 { "s" } else { "" },
                    if shared > 1 { "s" } else { "" },
                    mine.len(),
                    shared + 1
                ),
            );
        }
        Ok(())
    }
}

/// The image a comparison is made with; a missing one is a mismatch.
pub(super) async fn other_image(
    ctx: &Context,
    reference: &str,
    m: &mut Mismatches,
) -> Result<Option<ImageInspect>, Outcome> {
    match ctx.snapshot.image(&ctx.docker, reference).await {
        Ok(Some(o)) => Ok(Some(o)),
        Ok(None) => {
            m.push(
                format!("l'image `{reference}` à comparer"),
                format!("`{reference}` n'existe pas"),
            );
            Ok(None)
        }
        Err(e) => Err(Outcome::cannot(e)),
    }
}

pub(super) fn short_id(image: &ImageInspect) -> String {
    image
        .id
        .as_deref()
        .unwrap_or_default()
        .trim_start_matches("sha256:")
        .chars()
        .take(12)
        .collect()
}

/// The image store, because sizes differ between them: the verdict says which figure it
/// compared.
pub(super) async fn store_name(ctx: &Context) -> String {
    match ctx.docker.info().await {
        Ok(info) => crate::docker::engine::ImageStore::of(&info).describe(),
        Err(_) => "inconnu".to_string(),
    }
}
