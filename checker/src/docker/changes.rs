//! "Docker's state changed": what `checker watch` and the page of `checker serve` wait
//! for before checking an exercise again.
//!
//! The engine's event stream says it as it happens; a burst (`docker run` is `create`,
//! `attach`, `start`…) is debounced into one change. Where events are unavailable (an
//! engine or a proxy that does not stream them), a light fingerprint of the host
//! (containers, images, volumes, networks) is compared every [`POLL`]. The checker's
//! own activity never counts: its helpers' events (they carry its label), its execs and
//! archive reads, or every check would trigger the next one forever.

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::EventMessage;
use bollard::query_parameters::{
    EventsOptionsBuilder, ListContainersOptionsBuilder, ListImagesOptionsBuilder,
    ListNetworksOptions, ListVolumesOptions,
};
use futures_util::StreamExt;
use tokio::sync::watch;

use super::helper;

/// Quiet time after an event before the burst counts as one change.
pub const DEBOUNCE: Duration = Duration::from_millis(400);
/// How often the fingerprint is compared without events.
pub const POLL: Duration = Duration::from_secs(2);

/// How changes are noticed, for people (`checker watch` says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Events,
    Polling,
}

/// Starts watching; the receiver's value goes up by one per change. The task ends when
/// every receiver is dropped.
pub fn start(docker: Docker, force_polling: bool) -> (watch::Receiver<u64>, watch::Receiver<Mode>) {
    let (tx, rx) = watch::channel(0u64);
    let initial = if force_polling {
        Mode::Polling
    } else {
        Mode::Events
    };
    let (mode_tx, mode_rx) = watch::channel(initial);
    tokio::spawn(async move {
        if !force_polling {
            loop {
                match follow_events(&docker, &tx).await {
                    // The stream ended after working (engine restarted): follow it again.
                    Ended::AfterEvents => {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    Ended::Unavailable | Ended::Closed => break,
                }
                if tx.is_closed() {
                    return;
                }
            }
            if tx.is_closed() {
                return;
            }
            let _ = mode_tx.send(Mode::Polling);
        }
        poll(&docker, &tx).await;
    });
    (rx, mode_rx)
}

enum Ended {
    /// The stream worked, then ended.
    AfterEvents,
    /// The engine refused or broke the stream before the first event.
    Unavailable,
    /// Nobody listens any more.
    Closed,
}

async fn follow_events(docker: &Docker, tx: &watch::Sender<u64>) -> Ended {
    let filters: HashMap<String, Vec<String>> = [(
        "type".to_string(),
        ["container", "image", "volume", "network"]
            .iter()
            .map(|t| (*t).to_string())
            .collect(),
    )]
    .into();
    let options = EventsOptionsBuilder::default().filters(&filters).build();
    let mut stream = docker.events(Some(options));
    // An engine that accepts the request answers its headers at once; the first
    // item is then the first event, whenever it comes.
    let mut seen = false;
    loop {
        let next = tokio::select! {
            next = stream.next() => next,
            () = tx.closed() => return Ended::Closed,
        };
        match next {
            Some(Ok(event)) => {
                seen = true;
                if !counts(&event) {
                    continue;
                }
                // Debounce: swallow the rest of the burst.
                while let Ok(Some(Ok(_))) = tokio::time::timeout(DEBOUNCE, stream.next()).await {}
                tx.send_modify(|n| *n += 1);
            }
            Some(Err(_)) | None => {
                return if seen {
                    Ended::AfterEvents
                } else {
                    Ended::Unavailable
                };
            }
        }
    }
}

/// Whether an event is the student's doing (not the checker's own reading).
fn counts(event: &EventMessage) -> bool {
    let action = event.action.as_deref().unwrap_or_default();
    let own_helper = event
        .actor
        .as_ref()
        .and_then(|a| a.attributes.as_ref())
        .is_some_and(|attributes| attributes.contains_key(helper::LABEL));
    !own_helper
        && !action.starts_with("exec_")
        && !matches!(
            action,
            "archive-path"
                | "attach"
                | "resize"
                | "top"
                | "export"
                | "mount"
                | "unmount"
                | "connect"
                | "disconnect"
        )
}

async fn poll(docker: &Docker, tx: &watch::Sender<u64>) {
    let mut last = fingerprint(docker).await;
    loop {
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            () = tx.closed() => return,
        }
        let now = fingerprint(docker).await;
        if now != last {
            last = now;
            tx.send_modify(|n| *n += 1);
        }
    }
}

/// What the student can change, in one string: containers (state, image, ports),
/// images (ids and tags), volumes, networks. The checker's helpers are left out.
async fn fingerprint(docker: &Docker) -> String {
    let mut out = String::new();
    let containers = ListContainersOptionsBuilder::default().all(true).build();
    if let Ok(list) = docker.list_containers(Some(containers)).await {
        for c in list {
            if c.labels
                .as_ref()
                .is_some_and(|l| l.contains_key(helper::LABEL))
            {
                continue;
            }
            out.push_str(&format!(
                "c {:?} {:?} {:?} {:?} {:?}\n",
                c.id, c.names, c.state, c.image, c.ports
            ));
        }
    }
    if let Ok(list) = docker
        .list_images(Some(ListImagesOptionsBuilder::default().build()))
        .await
    {
        for i in list {
            out.push_str(&format!("i {} {:?}\n", i.id, i.repo_tags));
        }
    }
    if let Ok(list) = docker.list_volumes(None::<ListVolumesOptions>).await {
        for v in list.volumes.unwrap_or_default() {
            out.push_str(&format!("v {}\n", v.name));
        }
    }
    if let Ok(list) = docker.list_networks(None::<ListNetworksOptions>).await {
        for n in list {
            out.push_str(&format!("n {:?} {:?}\n", n.id, n.name));
        }
    }
    out
}
