//! What the engine is, beyond its version: the product (Docker Engine, Docker Desktop,
//! Podman, Colima, OrbStack…), its image store, and the Compose and buildx plugins the
//! student's `docker` CLI will find.
//!
//! A student who asks "why does my size check fail?" or "why does `docker compose` say
//! unknown command?" needs these facts: the containerd image store counts image sizes
//! differently from overlay2, and Compose v2 is a CLI plugin the checker cannot see
//! through the API. `checker doctor` prints them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::Docker;
use bollard::models::{SystemInfo, SystemVersion};
use serde::Serialize;

/// How long a plugin may take to say its version: `doctor` never hangs on a broken one.
const PLUGIN_TIMEOUT: Duration = Duration::from_secs(3);

/// The product behind the API, recognised from what the engine says about itself.
pub fn product(version: &SystemVersion, info: Option<&SystemInfo>) -> &'static str {
    let podman = version
        .components
        .iter()
        .flatten()
        .any(|c| c.name.contains("Podman"));
    if podman {
        return "Podman";
    }
    let Some(info) = info else {
        return "Docker Engine";
    };
    let os = info.operating_system.as_deref().unwrap_or_default();
    let name = info.name.as_deref().unwrap_or_default().to_lowercase();
    if os.contains("Docker Desktop") {
        "Docker Desktop"
    } else if os.contains("OrbStack") || name == "orbstack" {
        "OrbStack"
    } else if os.contains("Rancher Desktop") || name.contains("rancher-desktop") {
        "Rancher Desktop"
    } else if name.starts_with("colima") {
        "Colima"
    } else {
        "Docker Engine"
    }
}

/// Where the engine keeps images: sizes are not counted alike in both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "driver", rename_all = "snake_case")]
pub enum ImageStore {
    /// The classic graph driver (`overlay2`, `vfs`…): sizes are the unpacked files.
    GraphDriver(String),
    /// The containerd image store (Docker Desktop's default, Engine 29's): its snapshotter.
    Containerd(String),
}

impl ImageStore {
    /// Read from `docker info`: the containerd store says `driver-type:
    /// io.containerd.snapshotter.v1` in `DriverStatus`.
    pub fn of(info: &SystemInfo) -> Self {
        let driver = info.driver.clone().unwrap_or_default();
        let containerd = info.driver_status.iter().flatten().any(|pair| {
            pair.iter()
                .any(|v| v.starts_with("io.containerd.snapshotter"))
        });
        if containerd {
            ImageStore::Containerd(driver)
        } else {
            ImageStore::GraphDriver(driver)
        }
    }

    /// What an image size means in this store, for `doctor` and the size checks.
    pub fn describe(&self) -> String {
        match self {
            ImageStore::GraphDriver(driver) => {
                format!("{driver} : la taille est celle des fichiers décompressés")
            }
            ImageStore::Containerd(driver) => format!(
                "containerd ({driver}) : la taille compte les couches compressées en plus \
                 des fichiers décompressés, plus grande qu'avec overlay2"
            ),
        }
    }
}

/// A CLI plugin found on disk, and the version it reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plugin {
    pub name: String,
    pub path: PathBuf,
    /// `None` when the plugin did not answer (broken, or too slow).
    pub version: Option<String>,
}

/// The folders the docker CLI searches for plugins, in its order: the user's
/// configuration folder first, then the system's.
pub fn plugin_dirs(config_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(config) = config_dir {
        dirs.push(config.join("cli-plugins"));
    }
    for dir in [
        "/usr/local/lib/docker/cli-plugins",
        "/usr/local/libexec/docker/cli-plugins",
        "/usr/lib/docker/cli-plugins",
        "/usr/libexec/docker/cli-plugins",
    ] {
        dirs.push(PathBuf::from(dir));
    }
    dirs
}

/// The first `docker-NAME` plugin in `dirs`, with its version.
pub async fn find_plugin(name: &str, dirs: &[PathBuf]) -> Option<Plugin> {
    let file = format!("docker-{name}{}", std::env::consts::EXE_SUFFIX);
    let path = dirs.iter().map(|d| d.join(&file)).find(|p| p.is_file())?;
    let version = plugin_version(&path).await;
    Some(Plugin {
        name: name.to_string(),
        path,
        version,
    })
}

/// Asks a plugin its version the way the docker CLI discovers plugins
/// (`docker-cli-plugin-metadata`, a JSON document), bounded in time.
async fn plugin_version(path: &Path) -> Option<String> {
    let child = tokio::process::Command::new(path)
        .arg("docker-cli-plugin-metadata")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(PLUGIN_TIMEOUT, child)
        .await
        .ok()?
        .ok()?;
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    doc["Version"]
        .as_str()
        .map(|v| v.chars().filter(|c| !c.is_control()).take(64).collect())
}

/// Everything `doctor` says about the engine and the client's plugins.
#[derive(Debug, Clone, Serialize)]
pub struct Description {
    pub product: &'static str,
    pub min_api_version: Option<String>,
    pub image_store: Option<ImageStore>,
    pub compose: Option<Plugin>,
    pub buildx: Option<Plugin>,
}

pub async fn describe(
    docker: &Docker,
    version: &SystemVersion,
    config_dir: Option<&Path>,
) -> Description {
    let info = docker.info().await.ok();
    let dirs = plugin_dirs(config_dir);
    let (compose, buildx) =
        tokio::join!(find_plugin("compose", &dirs), find_plugin("buildx", &dirs));
    Description {
        product: product(version, info.as_ref()),
        min_api_version: version.min_api_version.clone(),
        image_store: info.as_ref().map(ImageStore::of),
        compose,
        buildx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::SystemVersionComponents;

    #[test]
    fn podman_is_named_by_its_component() {
        let version = SystemVersion {
            components: Some(vec![SystemVersionComponents {
                name: "Podman Engine".to_string(),
                version: "4.3.1".to_string(),
                details: None,
            }]),
            ..Default::default()
        };
        assert_eq!(product(&version, None), "Podman");
    }

    #[test]
    fn products_from_info() {
        let named = |os: &str, name: &str| SystemInfo {
            operating_system: Some(os.to_string()),
            name: Some(name.to_string()),
            ..Default::default()
        };
        let v = SystemVersion::default();
        assert_eq!(
            product(&v, Some(&named("Docker Desktop", "docker-desktop"))),
            "Docker Desktop"
        );
        assert_eq!(
            product(&v, Some(&named("OrbStack", "orbstack"))),
            "OrbStack"
        );
        assert_eq!(
            product(&v, Some(&named("Ubuntu 24.04", "colima"))),
            "Colima"
        );
        assert_eq!(
            product(&v, Some(&named("Debian GNU/Linux 12", "vm"))),
            "Docker Engine"
        );
    }

    #[test]
    fn image_store_from_driver_status() {
        let info = SystemInfo {
            driver: Some("overlayfs".to_string()),
            driver_status: Some(vec![vec![
                "driver-type".to_string(),
                "io.containerd.snapshotter.v1".to_string(),
            ]]),
            ..Default::default()
        };
        assert_eq!(
            ImageStore::of(&info),
            ImageStore::Containerd("overlayfs".to_string())
        );
        let info = SystemInfo {
            driver: Some("overlay2".to_string()),
            driver_status: Some(vec![vec![
                "Backing Filesystem".to_string(),
                "extfs".to_string(),
            ]]),
            ..Default::default()
        };
        assert_eq!(
            ImageStore::of(&info),
            ImageStore::GraphDriver("overlay2".to_string())
        );
    }

    #[test]
    fn plugin_dirs_start_with_the_config_folder() {
        let dirs = plugin_dirs(Some(Path::new("/home/e/.docker")));
        assert_eq!(dirs[0], PathBuf::from("/home/e/.docker/cli-plugins"));
        assert!(dirs.contains(&PathBuf::from("/usr/libexec/docker/cli-plugins")));
    }
}
