//! `image`: a local image exists (or not) and has the expected configuration.
//!
//! ```yaml
//! image:
//!   ref: mon-app:1.0
//!   workdir: /app
//!   cmd: [python, app.py]
//!   cmd_form: exec
//!   path: { path: /app/app.py, kind: file }
//! ```
//!
//! `path` is read from a created-but-never-started helper container (see
//! `docker::helper`), so checking a file inside an image runs nothing of the image.

mod compared;
mod paths;

use std::collections::BTreeMap;

use bollard::models::ImageInspect;
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{compare_pairs, env_map, is_root, yes};
use super::{Context, Verify, history};
use crate::docker::{helper, image_files};
use crate::reference::normalize_image;
use crate::outcome::{Mismatches, Outcome};
use crate::units::{human_size, parse_size};
use compared::{short_id, store_name};
pub use compared::{SharesLayers, SmallerThan};
pub use paths::PathSpec;

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageCheck {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default = "yes")]
    pub exists: bool,
    /// Gone, and the daemon saw the tag go (`docker rmi`): without that sign an
    /// absence proves nothing, and the verdict is *cannot check*.
    #[serde(default)]
    pub removed: bool,
    /// Present because `docker load` brought it back (a `load` event for this image).
    #[serde(default)]
    pub loaded: bool,
    /// Another reference that must point to the same image id.
    pub same_as: Option<String>,
    /// Largest acceptable size, e.g. `150MB`.
    pub max_size: Option<String>,
    pub user: Option<String>,
    pub non_root: Option<bool>,
    /// The numeric uid the image runs as: `USER 1001`, `USER 1001:1001`, or a name that
    /// the image's `/etc/passwd` gives that uid (`USER nodejs`).
    pub uid: Option<u32>,
    #[serde(default)]
    pub exposed_ports: Vec<String>,
    #[serde(default)]
    pub env: BTreeMap<String, Option<String>>,
    pub cmd: Option<Vec<String>>,
    /// `exec` (JSON array) or `shell` (`/bin/sh -c ...`).
    pub cmd_form: Option<String>,
    pub entrypoint: Option<Vec<String>>,
    /// The program the `ENTRYPOINT` runs, in exec form (JSON array), so that it is PID 1:
    /// `dumb-init` matches `["dumb-init", "--"]` and `["/usr/bin/dumb-init", "--"]`.
    pub entrypoint_runs: Option<String>,
    pub workdir: Option<String>,
    pub healthcheck: Option<bool>,
    #[serde(default)]
    pub labels: BTreeMap<String, Option<String>>,
    pub max_layers: Option<usize>,
    pub path: Option<PathSpec>,
    /// Paths that must not exist in the image (a compiler, a package cache, the sources).
    #[serde(default)]
    pub absent: Vec<String>,
    /// At least this much smaller than another image (a multi-stage build against the
    /// single-stage one).
    pub smaller_than: Option<SmallerThan>,
    /// Shares its bottom layers with another image, in order, up to the layer an
    /// instruction made (the dependencies' install): the build cache at work.
    pub shares_layers_with: Option<SharesLayers>,
}

impl Verify for ImageCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.reference.trim().is_empty() {
            out.push("`ref` est vide".to_string());
        }
        if let Some(size) = &self.max_size
            && let Err(e) = parse_size(size)
        {
            out.push(e);
        }
        if let Some(form) = &self.cmd_form
            && form != "exec"
            && form != "shell"
        {
            out.push(format!("`cmd_form: {form}` : attendu `exec` ou `shell`"));
        }
        if let Some(path) = &self.path {
            out.extend(path.problems());
        }
        if self.absent.iter().any(|p| !p.starts_with('/')) {
            out.push("`absent` : chaque chemin est absolu dans l'image (`/usr/bin/gcc`)".to_string());
        }
        if let Some(smaller) = &self.smaller_than
            && !(smaller.percent > 0.0 && smaller.percent < 100.0)
        {
            out.push(format!(
                "`smaller_than.percent: {}` : attendu un pourcentage entre 0 et 100",
                smaller.percent
            ));
        }
        if let Some(shares) = &self.shares_layers_with {
            out.extend(super::common::regex_problem(
                "shares_layers_with.through",
                &Some(shares.through.clone()),
            ));
        }
        out
    }

    /// The helper that reads the image's files is created while the image is being
    /// inspected (or while the checks this one requires run): it is the slowest part of
    /// the check, and an absent image only makes its creation fail. Unless an earlier
    /// run read those paths in the image this reference named then: if it still does,
    /// no helper is needed at all (see [`crate::docker::image_files`]).
    fn warm(&self, ctx: &Context) {
        let paths: Vec<(&str, bool)> = (self.path.iter())
            .map(|p| (p.path.as_str(), p.contains.is_some()))
            .chain(self.absent.iter().map(|p| (p.as_str(), false)))
            .collect();
        if !self.exists
            || self.removed
            || paths.is_empty()
            || image_files::cache().expects(&self.reference, &paths)
        {
            return;
        }
        let (snapshot, docker) = (ctx.snapshot.clone(), ctx.docker.clone());
        let reference = self.reference.clone();
        tokio::spawn(async move {
            let _ = snapshot.image_helper(&docker, &reference).await;
        });
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let image = match ctx.snapshot.image(&ctx.docker, &self.reference).await {
            Ok(image) => image,
            Err(e) => return Outcome::cannot(e),
        };
        let subject = format!("l'image `{}`", self.reference);
        let Some(image) = image else {
            if self.removed {
                return match history::tag_removed(ctx, &self.reference).await {
                    Ok(true) => Outcome::pass_found(format!(
                        "{subject} : supprimée (`docker rmi` vu par le démon)"
                    )),
                    Ok(false) => Outcome::cannot(format!(
                        "{subject} est absente, mais rien ne montre qu'elle a été supprimée : {}",
                        history::NO_TRACE
                    )),
                    Err(e) => Outcome::cannot(e),
                };
            }
            return if self.exists {
                let mut found = format!("{subject} est absente (`docker images` ne la liste pas)");
                if let Some(slip) = likely_slip(ctx, &self.reference).await {
                    found.push_str(&format!(" ; {slip}"));
                }
                Outcome::fail(format!("{subject} présente localement"), found).settled()
            } else {
                Outcome::pass()
            };
        };
        if !self.exists || self.removed {
            return Outcome::fail(
                format!("{subject} supprimée"),
                format!("{subject} est toujours présente (id {})", short_id(&image)),
            );
        }
        let mut m = Mismatches::new();
        if self.loaded {
            let id = image.id.clone().unwrap_or_default();
            match history::image_loaded(ctx, &id).await {
                Ok(true) => {}
                Ok(false) => {
                    return Outcome::cannot(format!(
                        "{subject} est présente, mais aucun `docker load` de cette image ne figure \
                         dans l'historique du démon (il ne garde que ses 256 derniers événements) : \
                         refaites `docker rmi {0}` puis `docker load -i …`",
                        self.reference
                    ));
                }
                Err(e) => return Outcome::cannot(e),
            }
        }
        if let Some(other) = &self.same_as {
            match ctx.snapshot.image(&ctx.docker, other).await {
                Ok(Some(o)) if o.id == image.id => {}
                Ok(Some(o)) => m.push(
                    format!("`{}` et `{other}` désignent la même image", self.reference),
                    format!("ids différents : {} et {}", short_id(&image), short_id(&o)),
                ),
                Ok(None) => m.push(
                    format!("`{other}` désigne la même image que `{}`", self.reference),
                    format!("`{other}` n'existe pas"),
                ),
                Err(e) => return Outcome::cannot(e),
            }
        }
        // The verdict says which size it measured, and by how much it is over or under
        // the budget, pass or fail: a student 2 MB under knows there is no margin.
        let mut measured = None;
        if let Some(max) = &self.max_size {
            let budget = parse_size(max).unwrap_or(u64::MAX);
            let size = u64::try_from(image.size.unwrap_or(0)).unwrap_or(0);
            let store = store_name(ctx).await;
            let shown = format!("{} mesurés (stockage d'images {store})", human_size(size));
            if size > budget {
                m.push(
                    format!("taille au plus {} ({max})", human_size(budget)),
                    format!(
                        "{shown} : {} au-dessus du budget",
                        human_size(size - budget)
                    ),
                );
            } else {
                measured = Some(format!(
                    "{shown} : {} sous le budget de {}",
                    human_size(budget - size),
                    human_size(budget)
                ));
            }
        }
        self.compare_config(&image, &mut m);
        if let Some(spec) = &self.path {
            // The run's helper for this image, shared with its other path checks; the
            // run removes it when it ends.
            match self.read(ctx, &image, &spec.path, spec.contains.is_some()).await {
                Ok(found) => spec.compare(
                    &found,
                    &format!("dans l'image `{}`", self.reference),
                    &mut m,
                ),
                Err(e) => return Outcome::cannot(e),
            }
        }
        if let Some(uid) = self.uid
            && let Err(verdict) = self.compare_uid(ctx, &image, uid, &mut m).await
        {
            return verdict;
        }
        for path in &self.absent {
            match self.read(ctx, &image, path, false).await {
                Ok(None) => {}
                Ok(Some(_)) => m.push(
                    format!("pas de `{path}` dans l'image"),
                    format!("`{path}` est présent dans l'image `{}`", self.reference),
                ),
                Err(e) => return Outcome::cannot(e),
            }
        }
        if let Some(smaller) = &self.smaller_than
            && let Err(verdict) = self.compare_size(ctx, &image, smaller, &mut m).await
        {
            return verdict;
        }
        if let Some(shares) = &self.shares_layers_with
            && let Err(verdict) = self.compare_layers(ctx, &image, shares, &mut m).await
        {
            return verdict;
        }
        match measured {
            Some(size) if m.is_empty() => Outcome::pass_found(size),
            _ => m.into_outcome(),
        }
    }
}

impl ImageCheck {
    /// What `path` is in the image (inspected as `image`), with a file's content when
    /// the check compares it.
    async fn read(
        &self,
        ctx: &Context,
        image: &ImageInspect,
        path: &str,
        with_content: bool,
    ) -> Result<Option<helper::PathInfo>, String> {
        let id = image.id.as_deref().unwrap_or_default();
        ctx.snapshot
            .image_path(&ctx.docker, &self.reference, id, path, with_content)
            .await
    }

    /// The uid of `USER`: a number as written, a name through the image's `/etc/passwd`.
    async fn compare_uid(
        &self,
        ctx: &Context,
        image: &ImageInspect,
        uid: u32,
        m: &mut Mismatches,
    ) -> Result<(), Outcome> {
        let user = image
            .config
            .as_ref()
            .and_then(|c| c.user.clone())
            .unwrap_or_default();
        let name = user.split(':').next().unwrap_or_default().to_string();
        let expected = format!("`USER {uid}` (uid {uid})");
        if name.is_empty() {
            m.push(expected, "aucune instruction `USER` (root, uid 0)");
            return Ok(());
        }
        let found = match name.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                let passwd = self
                    .read(ctx, image, "/etc/passwd", true)
                    .await
                    .map_err(Outcome::cannot)?
                    .and_then(|info| info.content)
                    .map(|c| String::from_utf8_lossy(&c).into_owned())
                    .unwrap_or_default();
                passwd.lines().find_map(|line| {
                    let fields: Vec<&str> = line.split(':').collect();
                    (fields.first() == Some(&name.as_str()))
                        .then(|| fields.get(2).and_then(|u| u.parse().ok()))
                        .flatten()
                })
            }
        };
        match found {
            Some(n) if n == uid => {}
            Some(n) => m.push(expected, format!("`USER {user}` (uid {n})")),
            None => m.push(
                expected,
                format!("`USER {user}` : aucun utilisateur `{name}` dans `/etc/passwd` de l'image"),
            ),
        }
        Ok(())
    }

    fn compare_config(&self, image: &ImageInspect, m: &mut Mismatches) {
        let config = image.config.clone().unwrap_or_default();
        let user = config.user.clone().unwrap_or_default();
        if let Some(expected) = &self.user {
            m.compare("utilisateur", expected, Some(&user));
        }
        if self.non_root == Some(true) && is_root(&user) {
            m.push(
                "une instruction `USER` non root",
                if user.is_empty() {
                    "aucune instruction `USER` (root par défaut)".to_string()
                } else {
                    format!("`USER {user}`")
                },
            );
        }
        let exposed = config.exposed_ports.clone().unwrap_or_default();
        for port in &self.exposed_ports {
            let port = if port.contains('/') {
                port.clone()
            } else {
                format!("{port}/tcp")
            };
            if !exposed.contains(&port) {
                m.push(
                    format!("`EXPOSE {}`", port.trim_end_matches("/tcp")),
                    if exposed.is_empty() {
                        "aucun port exposé".to_string()
                    } else {
                        format!("ports exposés : {}", exposed.join(", "))
                    },
                );
            }
        }
        let env = env_map(config.env.as_deref().unwrap_or_default());
        compare_pairs(m, "variable", &self.env, |k| env.get(k).map(String::as_str));
        let cmd = config.cmd.clone().unwrap_or_default();
        if let Some(expected) = &self.cmd
            && &cmd != expected
        {
            m.push(
                format!("CMD {}", json_list(expected)),
                format!("CMD {}", json_list(&cmd)),
            );
        }
        if let Some(form) = &self.cmd_form {
            let shell = cmd.len() >= 2 && cmd[0].ends_with("sh") && cmd[1] == "-c";
            let found = if cmd.is_empty() {
                "absente"
            } else if shell {
                "shell"
            } else {
                "exec"
            };
            if found != form {
                m.push(
                    if form == "exec" {
                        "CMD en forme exec (tableau JSON, ex. `CMD [\"python\", \"app.py\"]`)"
                            .to_string()
                    } else {
                        "CMD en forme shell".to_string()
                    },
                    format!("CMD en forme {found} : {}", json_list(&cmd)),
                );
            }
        }
        if let Some(expected) = &self.entrypoint {
            let found = config.entrypoint.clone().unwrap_or_default();
            if &found != expected {
                m.push(
                    format!("ENTRYPOINT {}", json_list(expected)),
                    format!("ENTRYPOINT {}", json_list(&found)),
                );
            }
        }
        if let Some(program) = &self.entrypoint_runs {
            let found = config.entrypoint.clone().unwrap_or_default();
            let shell = found.len() >= 2 && found[0].ends_with("sh") && found[1] == "-c";
            let runs = found
                .first()
                .map(|p| p.rsplit('/').next().unwrap_or(p) == program.as_str())
                .unwrap_or(false);
            if shell || !runs {
                m.push(
                    format!("`ENTRYPOINT [\"{program}\", …]` en forme exec (tableau JSON)"),
                    if found.is_empty() {
                        "aucun `ENTRYPOINT`".to_string()
                    } else if shell {
                        format!(
                            "ENTRYPOINT en forme shell : {} ({program} ne serait pas le PID 1)",
                            json_list(&found)
                        )
                    } else {
                        format!("ENTRYPOINT {}", json_list(&found))
                    },
                );
            }
        }
        if let Some(expected) = &self.workdir {
            m.compare("WORKDIR", expected, config.working_dir.as_deref());
        }
        if let Some(expected) = self.healthcheck {
            let test = config
                .healthcheck
                .as_ref()
                .and_then(|h| h.test.clone())
                .unwrap_or_default();
            let present = !test.is_empty() && test[0] != "NONE";
            if present != expected {
                m.push(
                    if expected {
                        "un `HEALTHCHECK`"
                    } else {
                        "aucun `HEALTHCHECK`"
                    },
                    if present {
                        format!("HEALTHCHECK {}", json_list(&test))
                    } else {
                        "aucun `HEALTHCHECK`".to_string()
                    },
                );
            }
        }
        let labels = config.labels.clone().unwrap_or_default();
        compare_pairs(m, "label", &self.labels, |k| labels.get(k).map(String::as_str));
        if let Some(max) = self.max_layers {
            let layers = image
                .root_fs
                .as_ref()
                .and_then(|r| r.layers.as_ref())
                .map_or(0, Vec::len);
            if layers > max {
                m.push(
                    format!("au plus {max} couches"),
                    format!("{layers} couches"),
                );
            }
        }
    }
}

/// What the student probably has instead of `reference`: the same repository under
/// another tag (`mon-app:latest` for `mon-app:1.0`), or the same name under another
/// namespace (`camille/mon-app:1.0` for `eleve/mon-app:1.0`: the `--var` forgotten).
async fn likely_slip(ctx: &Context, reference: &str) -> Option<String> {
    let wanted = normalize_image(reference);
    let (repository, tag) = wanted.rsplit_once(':')?;
    let leaf = repository.rsplit('/').next().unwrap_or(repository);
    let images = ctx
        .docker
        .list_images(Some(
            bollard::query_parameters::ListImagesOptionsBuilder::default().build(),
        ))
        .await
        .ok()?;
    let tags: Vec<String> = images
        .iter()
        .flat_map(|i| i.repo_tags.iter())
        .filter(|t| t.as_str() != "<none>:<none>")
        .map(|t| normalize_image(t))
        .collect();
    let other_namespace = tags.iter().find(|t| {
        t.rsplit_once(':').is_some_and(|(r, tg)| {
            tg == tag && r != repository && r.rsplit('/').next() == Some(leaf) && r.contains('/')
        })
    });
    if let Some(found) = other_namespace
        && repository.contains('/')
    {
        let namespace = found.rsplit_once('/').map_or("", |(n, _)| n);
        return Some(format!(
            "mais `{found}` existe : si `{namespace}` est votre identifiant, donnez-le au \
             checker (`--var user={namespace}`)"
        ));
    }
    let same_repository: Vec<&String> = tags
        .iter()
        .filter(|t| t.rsplit_once(':').is_some_and(|(r, _)| r == repository))
        .collect();
    if let Some(first) = same_repository.first() {
        let shown: Vec<String> = same_repository.iter().map(|t| format!("`{t}`")).collect();
        return Some(format!(
            "mais {} existe{} : ajoutez le tag attendu avec `docker tag {first} {reference}`, \
             ou reconstruisez avec `-t {reference}`",
            shown.join(", "),
            if shown.len() > 1 { "nt" } else { "" }
        ));
    }
    None
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_default()
}
