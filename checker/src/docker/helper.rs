//! Helper containers: the only resources the checker ever creates.
//!
//! Reading a file inside an image or a volume does not need anything to *run*: a
//! container that is created but never started exposes its file system through the
//! archive API. So helpers are created, read, and removed; they carry the label
//! [`LABEL`] so a student (or `docker ps -a --filter label=...`) can tell them apart, and
//! every helper id is recorded in a process-wide registry so a Ctrl-C removes them too.

use std::collections::BTreeSet;
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use bollard::Docker;
use bollard::models::{
    ContainerCreateBody, ContainerStateStatusEnum, HostConfig, HostConfigLogConfig, Mount,
    MountType, MountVolumeOptions,
};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, DownloadFromContainerOptionsBuilder, LogsOptionsBuilder,
    RemoveContainerOptionsBuilder,
};
use futures_util::StreamExt;

use super::{describe_error, is_not_found};

/// Label set on every helper container.
pub const LABEL: &str = "io.github.cours-docker.checker";

/// Label naming the process that made a helper (`HOST:PID`), so that a run can remove
/// the helpers of its own that a cancelled request created after the fact, and the
/// helpers a killed run left behind on this machine.
pub const OWNER_LABEL: &str = "io.github.cours-docker.checker.owner";

/// How every helper's name starts: lists of a network's containers leave them out.
pub const NAME_PREFIX: &str = "checker-helper-";

/// Largest file content read back (a check compares text, not images).
const MAX_READ: u64 = 1024 * 1024;

static LIVE: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Helper creations sent to the engine and not answered yet.
static PENDING: AtomicUsize = AtomicUsize::new(0);

/// Helper creations this process asked for, answered or not.
static CREATED: AtomicUsize = AtomicUsize::new(0);

/// Helper creations whose answer did not say for sure that nothing was made (the
/// connection broke, the answer came too late): the engine may hold a helper that
/// the registry never heard of.
static UNSURE: AtomicUsize = AtomicUsize::new(0);

/// Longest wait for those answers before removing (a busy engine takes a second).
const PENDING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// What a path is inside a container's file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathKind {
    File,
    Directory,
    /// A link, with what it points to as written in it (`../lib/x`).
    Symlink(String),
}

/// A path found in a helper: its kind, size, permission bits and (for files) its
/// content.
#[derive(Debug, Clone)]
pub struct PathInfo {
    pub kind: PathKind,
    pub size: i64,
    pub mode: u32,
    pub content: Option<Vec<u8>>,
}

/// Creates a never-started container from `image` (with `mounts`, e.g. a
/// [`volume_mount`]), runs `read` on it, and removes it whatever happens.
pub async fn with_created<T, F, Fut>(
    docker: &Docker,
    image: &str,
    mounts: Vec<Mount>,
    read: F,
) -> Result<T, String>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let id = create(docker, image, mounts).await?;
    let result = read(id.clone()).await;
    remove(docker, &id).await;
    result
}

/// Creates a never-started, registered helper from `image` and gives its id. The
/// caller removes it, or leaves it to [`remove_all`] at the end of the run (the
/// snapshot shares one helper per image between the checks of a run this way).
pub async fn create(docker: &Docker, image: &str, mounts: Vec<Mount>) -> Result<String, String> {
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        // Never run: any command will do, and images without CMD (scratch) need one.
        cmd: Some(vec!["/checker-helper-never-started".to_string()]),
        entrypoint: Some(vec![]),
        labels: Some(labels("helper")),
        network_disabled: Some(true),
        host_config: Some(HostConfig {
            mounts: (!mounts.is_empty()).then_some(mounts),
            ..HostConfig::default()
        }),
        ..ContainerCreateBody::default()
    };
    create_from(docker, body).await
}

/// The volume `name`, mounted read-only at `target`.
///
/// A mount of a volume that does not exist makes the engine create it. Should the
/// student's volume be removed between its inspection and the helper's creation, the
/// one made in its place carries [`LABEL`]: labels given with a mount are those of a
/// volume the mount creates, never added to an existing one. The caller tells the two
/// apart with [`made_for_a_helper`] and removes the one the helper made.
pub fn volume_mount(name: &str, target: &str) -> Mount {
    Mount {
        typ: Some(MountType::VOLUME),
        source: Some(name.to_string()),
        target: Some(target.to_string()),
        read_only: Some(true),
        volume_options: Some(MountVolumeOptions {
            labels: Some([(LABEL.to_string(), "volume".to_string())].into()),
            ..MountVolumeOptions::default()
        }),
        ..Mount::default()
    }
}

/// Whether a volume with these labels was made by a helper's mount, not by the student.
pub fn made_for_a_helper(labels: &std::collections::HashMap<String, String>) -> bool {
    labels.contains_key(LABEL)
}

/// The labels every helper carries: [`LABEL`] (with what the helper is for) and the
/// owner, so that no check counts it and a killed run's helpers are found again.
fn labels(role: &str) -> std::collections::HashMap<String, String> {
    [
        (LABEL.to_string(), role.to_string()),
        (OWNER_LABEL.to_string(), owner()),
    ]
    .into()
}

/// Creates and registers a helper from a complete body (which carries [`labels`]).
async fn create_from(docker: &Docker, body: ContainerCreateBody) -> Result<String, String> {
    // Test hook: before creating the helper, write the gate file and wait (30 s at
    // most) until the test removes it, so that the test can remove what the helper
    // reads in that window and prove no student resource is made up in its place. A
    // handshake, not a delay: a slow machine cannot make the test miss the window.
    if let Some(gate) = std::env::var_os("CHECKER_TEST_HELPER_GATE") {
        let gate = std::path::PathBuf::from(gate);
        if std::fs::write(&gate, b"").is_ok() {
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
            while gate.exists() && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    }
    let name = format!("{NAME_PREFIX}{}-{}", std::process::id(), unique());
    let options = CreateContainerOptionsBuilder::default().name(&name).build();
    // The creation runs as a task of its own, which registers the helper even when the
    // check that asked for it is cancelled (Ctrl-C, a timeout) while the engine is still
    // creating it; `remove_all` waits for such creations before it removes.
    let creating = {
        let docker = docker.clone();
        PENDING.fetch_add(1, Ordering::SeqCst);
        CREATED.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let created = docker.create_container(Some(options), body).await;
            match &created {
                Ok(c) => register(&c.id),
                // The engine answered with a refusal (no such image...): nothing made.
                Err(bollard::errors::Error::DockerResponseServerError { .. }) => {}
                Err(_) => {
                    UNSURE.fetch_add(1, Ordering::SeqCst);
                }
            }
            PENDING.fetch_sub(1, Ordering::SeqCst);
            created
        })
    };
    let created = match creating.await {
        Ok(Ok(created)) => created,
        Ok(Err(e)) => {
            return Err(format!(
                "création du conteneur d'aide impossible : {}",
                describe_error(&e)
            ));
        }
        Err(e) => return Err(format!("création du conteneur d'aide interrompue : {e}")),
    };
    // Test hook: hold the helper for a while, so tests can interrupt the checker or let
    // a check time out while a helper exists, and prove it is removed all the same.
    if let Some(pause) = std::env::var("CHECKER_TEST_HELPER_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
    }
    Ok(created.id)
}

/// What a helper that ran printed, and how it ended.
#[derive(Debug, Clone)]
pub struct Ran {
    /// Its standard output and error, interleaved, at most [`MAX_READ`] bytes.
    pub output: String,
    pub exit_code: i64,
}

/// Runs `command` in a short-lived helper made from `image` and attached to
/// `network` (only there), waits for it at most `limit`, and removes it whatever
/// happens. This is how the checker looks at a network *from inside*: the student's
/// containers are never used (no `exec` in them, nothing added to their logs but
/// requests that name the checker).
pub async fn run_on_network(
    docker: &Docker,
    image: &str,
    network: &str,
    command: Vec<String>,
    limit: std::time::Duration,
) -> Result<Ran, String> {
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        entrypoint: Some(vec![]),
        cmd: Some(command),
        // Whatever the image says: the probe's tools are run as root, as `docker run`.
        user: Some("0".to_string()),
        labels: Some(labels("probe")),
        host_config: Some(HostConfig {
            network_mode: Some(network.to_string()),
            // Its output is read back through `docker logs`: whatever the daemon's
            // default driver (`none`, `syslog`), this helper keeps its own.
            log_config: Some(HostConfigLogConfig {
                typ: Some("json-file".to_string()),
                config: Some([("max-size".to_string(), "1m".to_string())].into()),
            }),
            ..HostConfig::default()
        }),
        ..ContainerCreateBody::default()
    };
    let id = create_from(docker, body).await?;
    let ran = run_created(docker, &id, limit).await;
    remove(docker, &id).await;
    ran
}

/// Starts a created helper, waits for its end (bounded) and reads its output.
async fn run_created(docker: &Docker, id: &str, limit: std::time::Duration) -> Result<Ran, String> {
    docker
        .start_container(id, None::<bollard::query_parameters::StartContainerOptions>)
        .await
        .map_err(|e| {
            format!(
                "démarrage du conteneur d'aide impossible : {}",
                describe_error(&e)
            )
        })?;
    let deadline = tokio::time::Instant::now() + limit;
    // Inspect is polled rather than `wait` followed: Podman reports the end late, and
    // a stream needs a deadline of its own anyway.
    let exit_code = loop {
        let state = docker
            .inspect_container(id, None)
            .await
            .map_err(|e| describe_error(&e))?
            .state
            .unwrap_or_default();
        if state.running != Some(true) && state.status != Some(ContainerStateStatusEnum::CREATED) {
            break state.exit_code.unwrap_or(-1);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(format!(
                "le conteneur d'aide du checker n'a pas terminé en {} s",
                limit.as_secs()
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let options = LogsOptionsBuilder::default()
        .stdout(true)
        .stderr(true)
        .follow(false)
        .build();
    let mut stream = docker.logs(id, Some(options));
    let mut output = Vec::new();
    let read = async {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| describe_error(&e))?;
            output.extend_from_slice(&chunk.into_bytes());
            if output.len() as u64 > MAX_READ {
                output.truncate(MAX_READ as usize);
                break;
            }
        }
        Ok::<(), String>(())
    };
    match tokio::time::timeout(std::time::Duration::from_secs(5), read).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(format!("sortie du conteneur d'aide illisible : {e}")),
        Err(_) => return Err("sortie du conteneur d'aide trop lente à lire".to_string()),
    }
    Ok(Ran {
        output: String::from_utf8_lossy(&output).into_owned(),
        exit_code,
    })
}

/// Reads `path` in a (stopped) container: its kind, size and mode, and a file's
/// content. `Ok(None)` when the path is absent.
///
/// One request: the archive's first entry says what the path is (the engine's separate
/// stat, `HEAD …/archive`, would be a second round trip of the same work). A directory
/// or a link is known from that entry alone, and the rest of its archive is not read.
pub async fn read_path(
    docker: &Docker,
    container: &str,
    path: &str,
) -> Result<Option<PathInfo>, String> {
    let options = DownloadFromContainerOptionsBuilder::default()
        .path(path)
        .build();
    let mut stream = docker.download_from_container(container, Some(options));
    let mut archive = Vec::new();
    let mut first_is_file = None;
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            // The path is missing, or the helper itself is (removed by someone else
            // while being read): only the first is an answer about the student's files.
            Err(e) if is_not_found(&e) && !helper_gone(docker, container).await => {
                return Ok(None);
            }
            Err(e) if is_not_found(&e) => {
                return Err(
                    "le conteneur d'aide du checker a disparu pendant la lecture (supprimé par \
                     un autre programme ?) : relancez la vérification"
                        .to_string(),
                );
            }
            Err(e) => return Err(describe_error(&e)),
        };
        archive.extend_from_slice(&chunk);
        // The first header is read once it has arrived, not again with every chunk.
        if first_is_file.is_none() {
            first_is_file = first_entry(&archive).map(|(kind, ..)| kind == PathKind::File);
        }
        if first_is_file == Some(false) || archive.len() as u64 > MAX_READ + 64 * 1024 {
            break;
        }
    }
    let Some((kind, size, mode)) = first_entry(&archive) else {
        return Err("archive illisible : le moteur n'a renvoyé aucune entrée".to_string());
    };
    let content = if kind == PathKind::File {
        Some(first_content(&archive)?)
    } else {
        None
    };
    Ok(Some(PathInfo {
        kind,
        size,
        mode,
        content,
    }))
}

/// The kind, size and permission bits of the archive's first entry (the path asked
/// for), once its header has arrived.
fn first_entry(archive: &[u8]) -> Option<(PathKind, i64, u32)> {
    let mut tar = tar::Archive::new(archive);
    let entry = tar.entries().ok()?.next()?.ok()?;
    let header = entry.header();
    let kind = match header.entry_type() {
        tar::EntryType::Directory => PathKind::Directory,
        tar::EntryType::Symlink => PathKind::Symlink(
            entry
                .link_name()
                .ok()
                .flatten()
                .map(|l| l.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
        _ => PathKind::File,
    };
    let size = i64::try_from(header.size().unwrap_or(0)).unwrap_or(i64::MAX);
    Some((kind, size, header.mode().unwrap_or(0) & 0o7777))
}

/// What the archive holds of its first entry's content, at most [`MAX_READ`] bytes.
fn first_content(archive: &[u8]) -> Result<Vec<u8>, String> {
    let mut tar = tar::Archive::new(archive);
    let entries = tar
        .entries()
        .map_err(|e| format!("archive illisible : {e}"))?;
    let Some(entry) = entries.into_iter().next() else {
        return Ok(Vec::new());
    };
    let entry = entry.map_err(|e| format!("archive illisible : {e}"))?;
    let mut content = Vec::new();
    // An archive cut at the reading limit ends the content there.
    entry
        .take(MAX_READ)
        .read_to_end(&mut content)
        .map_err(|e| format!("archive illisible : {e}"))?;
    Ok(content)
}

/// Whether the helper itself is gone (a 404 to `…/archive` does not say for sure
/// whether the container or the path is missing).
async fn helper_gone(docker: &Docker, container: &str) -> bool {
    matches!(
        docker.inspect_container(container, None).await,
        Err(e) if is_not_found(&e)
    )
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    u64::from(nanos) ^ (NEXT.fetch_add(1, Ordering::Relaxed) << 32)
}

fn register(id: &str) {
    if let Ok(mut live) = LIVE.lock() {
        live.insert(id.to_string());
    }
}

/// Removes one helper (forced: it was never started, but be thorough), with the
/// anonymous volumes the engine made for it: an image that declares a `VOLUME`
/// (postgres, redis...) gets one at every creation, and the student would find one more
/// dangling volume after each run. Named volumes the helper mounts (the student's, read
/// by a `volume` check) are never removed this way: the engine keeps every volume
/// mounted by name.
pub async fn remove(docker: &Docker, id: &str) {
    let options = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    // A helper that is already gone is fine; any other failure is retried once.
    for _ in 0..2 {
        match docker.remove_container(id, Some(options.clone())).await {
            Ok(()) => break,
            Err(e) if is_not_found(&e) => break,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    }
    if let Ok(mut live) = LIVE.lock() {
        live.remove(id);
    }
}

/// Removes every helper still alive (Ctrl-C, or a check abandoned on its timeout).
///
/// A check cancelled while its `create` request was on its way would leave a helper
/// the registry never heard of: the creations still pending are waited for (they
/// register their helper themselves). When one of them is still unanswered, or its
/// answer was lost, the helpers that carry this process's owner label are swept as
/// well. A run that made no helper asks the engine nothing.
pub async fn remove_all(docker: &Docker) {
    if CREATED.load(Ordering::SeqCst) == 0 {
        return;
    }
    let deadline = tokio::time::Instant::now() + PENDING_WAIT;
    while PENDING.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let ids: Vec<String> = LIVE
        .lock()
        .map(|l| l.iter().cloned().collect())
        .unwrap_or_default();
    futures_util::future::join_all(ids.iter().map(|id| remove(docker, id))).await;
    if PENDING.load(Ordering::SeqCst) == 0 && UNSURE.load(Ordering::SeqCst) == 0 {
        return;
    }
    let mine = owner();
    for (id, owner) in labelled(docker).await {
        if owner == mine {
            remove(docker, &id).await;
        }
    }
}

/// Removes the helpers that runs of the checker on this machine left behind when they
/// were killed outright (SIGKILL, a closed terminal): their owner process is gone.
/// Helpers of runs still going, and of other machines sharing the engine, are left.
pub async fn sweep_orphans(docker: &Docker) {
    let host = host_name();
    for (id, owner) in labelled(docker).await {
        let Some((owner_host, pid)) = owner.rsplit_once(':') else {
            continue;
        };
        if owner_host == host && pid.parse::<u32>().is_ok_and(|pid| !process_alive(pid)) {
            remove(docker, &id).await;
        }
    }
}

/// Every helper on the engine (any owner, any state), in a bounded time; none when the
/// engine does not answer.
async fn all(docker: &Docker) -> Vec<bollard::models::ContainerSummary> {
    let filters = [("label".to_string(), vec![LABEL.to_string()])].into();
    let options = bollard::query_parameters::ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let listed = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        docker.list_containers(Some(options)),
    )
    .await;
    match listed {
        Ok(Ok(containers)) => containers,
        _ => Vec::new(),
    }
}

/// How many helpers are on the engine, whoever made them (`checker doctor`).
pub async fn count(docker: &Docker) -> usize {
    all(docker).await.len()
}

/// Every helper on the engine that names its owner, as `(id, owner)`.
async fn labelled(docker: &Docker) -> Vec<(String, String)> {
    all(docker)
        .await
        .into_iter()
        .filter_map(|c| {
            let owner = c.labels.as_ref()?.get(OWNER_LABEL)?.clone();
            Some((c.id?, owner))
        })
        .collect()
}

/// This process, as written in [`OWNER_LABEL`].
fn owner() -> String {
    format!("{}:{}", host_name(), std::process::id())
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "inconnu".to_string())
}

/// Whether process `pid` still runs. Only Linux says so cheaply (`/proc`); elsewhere
/// every owner counts as alive, and a leftover helper waits for `checker doctor`'s
/// advice rather than risk removing a running check's helper.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") && std::path::Path::new("/proc/self").exists() {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}
