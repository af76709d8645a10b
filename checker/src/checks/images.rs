//! `images`: how many local images match a filter, e.g. no dangling image is left.
//!
//! ```yaml
//! images:
//!   dangling: true
//!   max: 0
//! ```
//!
//! For a single named image use `image`; this kind counts (`docker images -f ...`).

use bollard::query_parameters::ListImagesOptionsBuilder;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Context, Verify};
use crate::docker::describe_error;
use crate::outcome::Outcome;

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImagesCheck {
    /// Only images without a tag (`<none>:<none>`), as `docker image prune` removes them.
    #[serde(default)]
    pub dangling: bool,
    /// Only images whose repository is this one (`mon-app`, `localhost:5000/mon-app`).
    pub reference: Option<String>,
    /// Only images carrying this label (`key` or `key=value`).
    pub label: Option<String>,
    pub min: Option<usize>,
    pub max: Option<usize>,
}

impl Verify for ImagesCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.min.is_none() && self.max.is_none() {
            out.push("indiquez `min` ou `max`".to_string());
        }
        if let (Some(min), Some(max)) = (self.min, self.max)
            && min > max
        {
            out.push(format!("`min: {min}` dépasse `max: {max}`"));
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let mut filters = std::collections::HashMap::new();
        if self.dangling {
            filters.insert("dangling".to_string(), vec!["true".to_string()]);
        }
        if let Some(reference) = &self.reference {
            filters.insert("reference".to_string(), vec![reference.clone()]);
        }
        if let Some(label) = &self.label {
            filters.insert("label".to_string(), vec![label.clone()]);
        }
        let options = ListImagesOptionsBuilder::default()
            .filters(&filters)
            .build();
        let images = match ctx.docker.list_images(Some(options)).await {
            Ok(images) => images,
            Err(e) => return Outcome::cannot(describe_error(&e)),
        };
        let count = images.len();
        let what = self.describe();
        let shown: Vec<String> = images
            .iter()
            .take(5)
            .map(|i| {
                let id: String =
                    i.id.trim_start_matches("sha256:")
                        .chars()
                        .take(12)
                        .collect();
                match i.repo_tags.first() {
                    Some(tag) if tag != "<none>:<none>" => format!("{tag} ({id})"),
                    _ => id,
                }
            })
            .collect();
        let found = if count == 0 {
            format!("aucune {what}")
        } else {
            format!(
                "{count} {} : {}{}",
                self.describe_n(count),
                shown.join(", "),
                if count > 5 { "…" } else { "" }
            )
        };
        match (self.min, self.max) {
            (Some(min), _) if count < min => {
                Outcome::fail(format!("au moins {min} {}", self.describe_n(min)), found)
            }
            (_, Some(max)) if count > max => Outcome::fail(
                if max == 0 {
                    format!("aucune {what}")
                } else {
                    format!("au plus {max} {}", self.describe_n(max))
                },
                found,
            ),
            _ => Outcome::pass_found(found),
        }
    }
}

impl ImagesCheck {
    /// The description agreed with a count: « 2 images pendantes (sans tag) ».
    fn describe_n(&self, n: usize) -> String {
        let one = self.describe();
        if n < 2 {
            return one;
        }
        match one.strip_prefix("image pendante") {
            Some(rest) => format!("images pendantes{rest}"),
            None => one.replacen("image", "images", 1),
        }
    }

    fn describe(&self) -> String {
        let mut what = if self.dangling {
            "image pendante (sans tag)".to_string()
        } else {
            "image".to_string()
        };
        if let Some(reference) = &self.reference {
            what.push_str(&format!(" du dépôt `{reference}`"));
        }
        if let Some(label) = &self.label {
            what.push_str(&format!(" avec le label `{label}`"));
        }
        what
    }
}
