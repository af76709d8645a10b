//! What a container is attached to: published ports, mounts (volumes, bind mounts of
//! the student's folders, tmpfs) and networks.

use std::collections::BTreeMap;

use bollard::models::ContainerInspectResponse;

use super::{ContainerCheck, MountSpec};
use crate::checks::Context;
use crate::checks::common::resolve;
use crate::outcome::{Mismatches, quoted_or_none};

impl ContainerCheck {
    pub(super) fn compare_ports(&self, c: &ContainerInspectResponse, m: &mut Mismatches) {
        if self.ports.is_empty() {
            return;
        }
        // Live bindings when running; the requested ones otherwise.
        let live = c.network_settings.as_ref().and_then(|n| n.ports.clone());
        let requested = c.host_config.as_ref().and_then(|h| h.port_bindings.clone());
        let bindings = live
            .filter(|p| !p.is_empty())
            .or(requested)
            .unwrap_or_default();
        let mut found: Vec<(String, String)> = Vec::new();
        for (container_port, hosts) in &bindings {
            for binding in hosts.iter().flatten() {
                if let Some(host_port) = binding.host_port.as_deref().filter(|p| !p.is_empty()) {
                    found.push((host_port.to_string(), container_port.clone()));
                }
            }
        }
        found.sort();
        found.dedup();
        for (host_port, container_port) in &self.ports {
            let container_port = with_protocol(container_port);
            if !found
                .iter()
                .any(|(h, p)| h == host_port && *p == container_port)
            {
                let shown: Vec<String> = found.iter().map(|(h, p)| format!("{h} → {p}")).collect();
                m.push(
                    format!("port publié {host_port} → {container_port}"),
                    match shown.len() {
                        0 => "aucun port publié".to_string(),
                        1 => format!("port publié {}", shown[0]),
                        _ => format!("ports publiés {}", shown.join(", ")),
                    },
                );
            }
        }
    }

    pub(super) fn compare_mounts(&self, c: &ContainerInspectResponse, local: &Local, m: &mut Mismatches) {
        let mounts = c.mounts.clone().unwrap_or_default();
        for spec in &self.mounts {
            let at = mounts
                .iter()
                .find(|mp| mp.destination.as_deref() == Some(spec.destination.as_str()));
            let Some(mount) = at else {
                let shown: Vec<String> = mounts
                    .iter()
                    .filter_map(|mp| mp.destination.clone())
                    .collect();
                m.push(
                    format!("un montage sur `{}`", spec.destination),
                    if shown.is_empty() {
                        "aucun montage".to_string()
                    } else {
                        format!("montages sur {}", shown.join(", "))
                    },
                );
                continue;
            };
            let kind = mount.typ.as_deref();
            if let Some(expected) = &spec.kind {
                m.compare(
                    &format!("type du montage `{}`", spec.destination),
                    expected,
                    kind,
                );
            }
            if let Some(expected) = &spec.source {
                let found = if kind == Some("volume") {
                    mount.name.clone()
                } else {
                    mount.source.clone()
                };
                let same = match kind {
                    Some("bind") => {
                        found.as_deref().map(|f| f.trim_end_matches('/'))
                            == Some(expected.trim_end_matches('/'))
                    }
                    _ => found.as_deref() == Some(expected.as_str()),
                };
                if !same {
                    m.push(
                        format!("source du montage `{}` : `{expected}`", spec.destination),
                        format!("source {}", quoted_or_none(found.as_deref())),
                    );
                }
            }
            if let Some(folder) = &spec.source_in_workdir {
                let found = mount.source.clone().unwrap_or_default();
                let wanted = local.folders.get(folder).cloned().flatten();
                let expected = format!(
                    "un montage `bind` du dossier `{folder}` sur `{}`",
                    spec.destination
                );
                if kind != Some("bind") {
                    m.push(
                        expected,
                        match kind {
                            Some("volume") => format!(
                                "le volume `{}` (un volume nommé n'est pas votre dossier)",
                                mount.name.clone().unwrap_or_default()
                            ),
                            other => format!("un montage de type `{}`", other.unwrap_or("?")),
                        },
                    );
                } else if let Some(wanted) = wanted {
                    // The engine records the path as given (`$(pwd)` may go through a
                    // symbolic link); on this machine, the same folder is the same folder.
                    let here = std::path::Path::new(&found).canonicalize().ok();
                    if !same_folder(&found, &wanted) && here.as_ref() != Some(&wanted) {
                        m.push(
                            format!("{expected} (`{}`)", wanted.display()),
                            format!("le dossier `{found}` est monté"),
                        );
                    }
                } else if local.remote {
                    // The engine's files are on another machine: only the name can match.
                    if !found.trim_end_matches('/').ends_with(&format!("/{}", folder.trim_end_matches('/'))) {
                        m.push(expected, format!("le dossier `{found}` est monté"));
                    }
                } else {
                    m.push(
                        expected,
                        format!(
                            "`{folder}` est introuvable dans le dossier de travail ({}) ; le \
                             dossier `{found}` est monté",
                            local.workdir.display()
                        ),
                    );
                }
            }
            if let Some(read_only) = spec.read_only {
                let found_ro = mount.rw == Some(false);
                if found_ro != read_only {
                    m.push(
                        format!(
                            "montage `{}` en {}",
                            spec.destination,
                            if read_only {
                                "lecture seule (`:ro`)"
                            } else {
                                "lecture-écriture"
                            }
                        ),
                        if found_ro {
                            "lecture seule"
                        } else {
                            "lecture-écriture"
                        }
                        .to_string(),
                    );
                }
            }
        }
    }

    pub(super) fn compare_networks(&self, c: &ContainerInspectResponse, m: &mut Mismatches) {
        if self.networks.is_empty() {
            return;
        }
        let mut attached: Vec<String> = c
            .network_settings
            .as_ref()
            .and_then(|n| n.networks.as_ref())
            .map(|n| n.keys().cloned().collect())
            .unwrap_or_default();
        attached.sort();
        let missing: Vec<&String> = self
            .networks
            .iter()
            .filter(|n| !attached.contains(n))
            .collect();
        let extra: Vec<&String> = attached
            .iter()
            .filter(|n| !self.networks.contains(n))
            .collect();
        if !missing.is_empty() || (self.networks_exact && !extra.is_empty()) {
            m.push(
                format!(
                    "connecté {}à {}",
                    if self.networks_exact {
                        "uniquement "
                    } else {
                        ""
                    },
                    self.networks
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                if attached.is_empty() {
                    "connecté à aucun réseau".to_string()
                } else {
                    format!(
                        "connecté à {}",
                        attached
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            );
        }
    }
}

/// What the mount checks need of the student's machine: where the folders named by
/// `source_in_workdir` are, and whether the engine runs elsewhere.
pub(crate) struct Local {
    workdir: std::path::PathBuf,
    remote: bool,
    /// Folder as written → its canonical path (`None` when it does not exist).
    folders: BTreeMap<String, Option<std::path::PathBuf>>,
}

impl Local {
    pub(crate) fn of(ctx: &Context, mounts: &[MountSpec]) -> Self {
        let folders = mounts
            .iter()
            .filter_map(|m| m.source_in_workdir.clone())
            .map(|folder| {
                let direct = resolve(&ctx.workdir, &folder);
                // Run from inside the folder itself (`cd projet-code`, as the book does).
                let here = ctx.workdir.file_name().is_some_and(|n| {
                    std::path::Path::new(folder.trim_end_matches('/')) == std::path::Path::new(n)
                });
                let path = if !direct.is_dir() && here {
                    ctx.workdir.clone()
                } else {
                    direct
                };
                let path = path.canonicalize().ok();
                (folder, path.filter(|p| p.is_dir()))
            })
            .collect();
        Self {
            workdir: ctx.workdir.clone(),
            remote: ctx.published_host.is_some(),
            folders,
        }
    }
}

/// Whether the engine's bind source `found` is the local folder `wanted`. Docker
/// Desktop shows host paths under its VM's view (`/host_mnt/Users/…`,
/// `/run/desktop/mnt/host/c/Users/…`): the source then *ends* with the local path.
pub(super) fn same_folder(found: &str, wanted: &std::path::Path) -> bool {
    let found = found.replace('\\', "/");
    let found = found.trim_end_matches('/');
    let wanted = wanted.to_string_lossy().replace('\\', "/");
    // `C:/Users/x` on Windows: compare without the drive, case-insensitively.
    let wanted = match wanted.split_once(":/") {
        Some((drive, rest)) if drive.len() == 1 => format!("/{rest}"),
        _ => wanted,
    };
    let wanted = wanted.trim_end_matches('/');
    if found == wanted {
        return true;
    }
    let (found, wanted) = if cfg!(any(windows, target_os = "macos")) {
        (found.to_lowercase(), wanted.to_lowercase())
    } else {
        (found.to_string(), wanted.to_string())
    };
    ["/host_mnt", "/run/desktop/mnt/host/"]
        .iter()
        .any(|prefix| found.starts_with(prefix) && found.ends_with(&wanted))
}

fn with_protocol(port: &str) -> String {
    if port.contains('/') {
        port.to_string()
    } else {
        format!("{port}/tcp")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_sources_as_engines_show_them() {
        let here = std::path::Path::new("/home/eleve/projet-code");
        assert!(same_folder("/home/eleve/projet-code", here));
        assert!(same_folder("/home/eleve/projet-code/", here));
        assert!(!same_folder("/home/eleve", here));
        assert!(!same_folder("/home/eleve/projet-code/sous-dossier", here));
        assert!(!same_folder("/tmp/home/eleve/projet-code", here));
        let mac = std::path::Path::new("/Users/eleve/projet-code");
        assert!(same_folder("/host_mnt/Users/eleve/projet-code", mac));
    }
}
