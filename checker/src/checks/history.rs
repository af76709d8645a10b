//! The daemon's past events, read for what state cannot show: that something was
//! *removed* (an absence proves nothing on a host where it never existed), that an
//! image came from `docker load`, that a `--rm` container ran and went.
//!
//! dockerd keeps only its last 256 events, in memory, lost on restart: a sign found
//! here is a sign, a sign not found is *not known*, never a proof of absence.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bollard::models::EventMessage;
use bollard::query_parameters::EventsOptionsBuilder;
use futures_util::StreamExt;

use super::Context;
use crate::docker::describe_error;
use crate::reference::normalize_image;

const READ_LIMIT: Duration = Duration::from_secs(3);

/// Why an absence could not be confirmed, for *cannot check* verdicts.
pub const NO_TRACE: &str = "le démon ne garde que ses 256 derniers événements (perdus à son \
     redémarrage) et aucun ne montre cette suppression : le checker ne peut pas distinguer \
     « supprimé » de « jamais créé »";

/// Every past event of `kind` (`container`, `image`) matching `filters`, oldest first.
/// The history is read up to now and not followed.
pub async fn past(
    ctx: &Context,
    kind: &str,
    filters: &[(&str, &str)],
) -> Result<Vec<EventMessage>, String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let mut map: std::collections::HashMap<String, Vec<String>> =
        [("type".to_string(), vec![kind.to_string()])].into();
    for (key, value) in filters {
        map.entry((*key).to_string())
            .or_default()
            .push((*value).to_string());
    }
    let options = EventsOptionsBuilder::default()
        .since("0")
        .until(&format!("{}.{:09}", now.as_secs(), now.subsec_nanos()))
        .filters(&map)
        .build();
    let mut stream = ctx.docker.events(Some(options));
    let mut events = Vec::new();
    let mut error = None;
    let read = async {
        while let Some(item) = stream.next().await {
            match item {
                // The checker's own helpers (their labels are the event's attributes)
                // are never a sign of what the student did.
                Ok(event) if attribute(&event, crate::docker::helper::LABEL).is_some() => {}
                Ok(event) => events.push(event),
                Err(e) => {
                    error = Some(describe_error(&e));
                    break;
                }
            }
        }
    };
    if tokio::time::timeout(READ_LIMIT, read).await.is_err() {
        return Err("lecture des événements du démon interrompue (trop lente)".to_string());
    }
    match error {
        Some(e) => Err(format!("lecture des événements impossible : {e}")),
        None => Ok(events),
    }
}

/// An event's action without its detail (`exec_start: ls /` → `exec_start`).
pub fn action(event: &EventMessage) -> &str {
    event
        .action
        .as_deref()
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
}

/// An attribute of the event's actor (`name`, `image`).
pub fn attribute<'a>(event: &'a EventMessage, key: &str) -> Option<&'a str> {
    event
        .actor
        .as_ref()
        .and_then(|a| a.attributes.as_ref())
        .and_then(|a| a.get(key))
        .map(String::as_str)
}

fn actor_id(event: &EventMessage) -> Option<&str> {
    event.actor.as_ref().and_then(|a| a.id.as_deref())
}

/// A container named `name` was removed (`destroy`).
pub async fn container_removed(ctx: &Context, name: &str) -> Result<bool, String> {
    let events = past(ctx, "container", &[("event", "destroy")]).await?;
    Ok(events
        .iter()
        .any(|e| attribute(e, "name") == Some(name.trim_start_matches('/'))))
}

/// Containers created from `image` were removed: a `destroy` of one of them, or a
/// `docker container prune`.
pub async fn containers_of_image_removed(ctx: &Context, image: &str) -> Result<bool, String> {
    let events = past(
        ctx,
        "container",
        &[("event", "destroy"), ("event", "prune")],
    )
    .await?;
    let wanted = normalize_image(image);
    Ok(events.iter().any(|e| {
        action(e) == "prune" || attribute(e, "image").is_some_and(|i| normalize_image(i) == wanted)
    }))
}

/// How many containers of `image` ran and were removed (`--rm`, or removed by hand).
pub async fn removed_containers_of(ctx: &Context, image: &str) -> Result<usize, String> {
    let events = past(ctx, "container", &[("event", "destroy")]).await?;
    let wanted = normalize_image(image);
    Ok(events
        .iter()
        .filter(|e| attribute(e, "image").is_some_and(|i| normalize_image(i) == wanted))
        .count())
}

/// The tag `reference`, absent now, was there before: the daemon saw that name put on
/// an image (`tag`, `pull`, `load`, `import` naming it) or taken off (`untag`, `delete`
/// naming it, as the containerd store does). A name only leaves through `docker rmi`
/// (or a prune), so a name seen and now gone was removed. The classic store's `untag`
/// names only the image id, which is why the name is looked for where it appears.
pub async fn tag_removed(ctx: &Context, reference: &str) -> Result<bool, String> {
    let events = past(ctx, "image", &[]).await?;
    let wanted = normalize_image(reference);
    Ok(events.iter().any(|e| {
        matches!(
            action(e),
            "tag" | "pull" | "load" | "import" | "untag" | "delete"
        ) && (attribute(e, "name").is_some_and(|n| normalize_image(n) == wanted)
            // `pull` names the reference in the actor's id (`redis:latest`).
            || actor_id(e).is_some_and(|id| normalize_image(id) == wanted))
    }))
}

/// The image with id `id` was loaded from an archive (`docker load`).
pub async fn image_loaded(ctx: &Context, id: &str) -> Result<bool, String> {
    let events = past(ctx, "image", &[("event", "load")]).await?;
    Ok(events.iter().any(|e| actor_id(e) == Some(id)))
}

/// A network named `name` was removed (`destroy`).
pub async fn network_removed(ctx: &Context, name: &str) -> Result<bool, String> {
    let events = past(ctx, "network", &[("event", "destroy")]).await?;
    Ok(events.iter().any(|e| attribute(e, "name") == Some(name)))
}

/// What the daemon's history says about a sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Yes,
    /// The history reaches back to the object's creation and holds no such sign.
    NeverSinceCreation,
    /// The history does not reach back far enough to say.
    Unknown,
}

/// Container `container` (an id) left network `network` (an id): a `disconnect` event.
/// Stopping a container disconnects it too, and starting it connects it back: callers
/// check that it is not attached any more.
pub async fn network_disconnections(
    ctx: &Context,
    network: &str,
    container: &str,
) -> Result<Seen, String> {
    let events = past(ctx, "network", &[("network", network)]).await?;
    if events
        .iter()
        .any(|e| action(e) == "disconnect" && attribute(e, "container") == Some(container))
    {
        return Ok(Seen::Yes);
    }
    Ok(if events.iter().any(|e| action(e) == "create") {
        Seen::NeverSinceCreation
    } else {
        Seen::Unknown
    })
}
