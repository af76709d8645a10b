//! The Docker objects of one look at the host, each read once and shared.
//!
//! Exercise 2.1 asks five things of `mon-serveur-nginx`; 3.1 seven of `mon-app:1.0`.
//! Checks run side by side, so without this each would inspect the same object. The
//! first check to ask reads it; the others wait for that answer. A snapshot is one
//! point in time: a check that retries (a server still starting) takes a fresh one
//! for every new attempt, see [`crate::checks::Context::fresh`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bollard::Docker;
use bollard::models::{ContainerInspectResponse, ImageInspect};
use tokio::sync::OnceCell;

use super::helper::{self, PathInfo};
use super::{describe_error, image_files, is_not_found};

/// What inspecting one object gave: the object, `None` when it does not exist, or why
/// it could not be read (in French).
pub type Inspected<T> = Result<Option<T>, String>;

/// Values computed once per key, the first asker computing, the others waiting.
type Shared<V> = Mutex<HashMap<String, Arc<OnceCell<V>>>>;

type Cells<T> = Shared<Inspected<T>>;

#[derive(Debug, Default)]
pub struct Snapshot {
    containers: Cells<ContainerInspectResponse>,
    images: Cells<ImageInspect>,
    /// One helper container per image, for the checks that read files in it: each
    /// helper is two events in the daemon's short history (256 events), and the
    /// student's own must stay there. Removed when the run ends.
    image_helpers: Shared<Result<String, String>>,
}

impl Snapshot {
    /// The container named (or with id) `name`.
    pub async fn container(
        &self,
        docker: &Docker,
        name: &str,
    ) -> Inspected<ContainerInspectResponse> {
        let cell = cell(&self.containers, name);
        cell.get_or_init(|| async {
            match docker.inspect_container(name, None).await {
                Ok(c) => Ok(Some(c)),
                Err(e) if is_not_found(&e) => Ok(None),
                Err(e) => Err(describe_error(&e)),
            }
        })
        .await
        .clone()
    }

    /// The image `reference` (a name:tag or an id).
    pub async fn image(&self, docker: &Docker, reference: &str) -> Inspected<ImageInspect> {
        let cell = cell(&self.images, reference);
        cell.get_or_init(|| async {
            match docker.inspect_image(reference).await {
                Ok(i) => Ok(Some(i)),
                Err(e) if is_not_found(&e) => Ok(None),
                Err(e) => Err(describe_error(&e)),
            }
        })
        .await
        .clone()
    }
}

impl Snapshot {
    /// A helper made from `image`, shared by the checks of this look at the host.
    pub async fn image_helper(&self, docker: &Docker, image: &str) -> Result<String, String> {
        cell(&self.image_helpers, image)
            .get_or_init(|| helper::create(docker, image, Vec::new()))
            .await
            .clone()
    }

    /// What `path` is in the image `reference`, whose id (from its inspect) is `id`,
    /// with a file's content when `with_content`: known from an earlier run when the
    /// image has not changed since, read by this run's helper otherwise (see
    /// [`image_files`]).
    pub async fn image_path(
        &self,
        docker: &Docker,
        reference: &str,
        id: &str,
        path: &str,
        with_content: bool,
    ) -> Result<Option<PathInfo>, String> {
        let cache = image_files::cache();
        if let Some(known) = cache.lookup(id, path, with_content) {
            return Ok(known);
        }
        let helper = self.image_helper(docker, reference).await?;
        if !cache.keeps() {
            return helper::read_path(docker, &helper, path).await;
        }
        // Which image the helper was made from is asked alongside the read: the answer
        // is kept only for that image.
        let (found, made_from) = tokio::join!(
            helper::read_path(docker, &helper, path),
            self.container(docker, &helper)
        );
        let found = found?;
        if let Ok(Some(container)) = made_from
            && container.image.as_deref() == Some(id)
        {
            cache.store(id, reference, path, &found, with_content);
        }
        Ok(found)
    }
}

/// The cell for `key`, made empty the first time it is asked for.
fn cell<V>(cells: &Shared<V>, key: &str) -> Arc<OnceCell<V>> {
    // A poisoned lock only means another check panicked while holding it; the map
    // itself is still whole.
    let mut map = cells.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(key.to_string()).or_default().clone()
}
