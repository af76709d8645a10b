//! The `docker run` options that harden a container or bound it — read-only root,
//! tmpfs, capabilities, security options, memory and CPUs, logging — read from
//! `HostConfig` as the engine recorded them.

use std::collections::BTreeMap;

use bollard::models::ContainerInspectResponse;

use super::ContainerCheck;
use crate::checks::common::{code_list, compare_pair};
use crate::outcome::Mismatches;
use crate::units::parse_size;

impl ContainerCheck {
    /// Read-only root, tmpfs, capabilities and security options: what `docker run`
    /// options harden, read from `HostConfig` as the engine recorded them.
    pub(super) fn compare_hardening(&self, c: &ContainerInspectResponse, m: &mut Mismatches) {
        let host = c.host_config.clone().unwrap_or_default();
        if let Some(expected) = self.read_only_rootfs {
            let found = host.readonly_rootfs.unwrap_or(false);
            if found != expected {
                m.push(
                    if expected {
                        "système de fichiers racine en lecture seule (`--read-only`)"
                    } else {
                        "système de fichiers racine en lecture-écriture"
                    },
                    if found {
                        "racine en lecture seule"
                    } else {
                        "racine en lecture-écriture (pas de `--read-only`)"
                    }
                    .to_string(),
                );
            }
        }
        let mut tmpfs: Vec<String> = host.tmpfs.clone().unwrap_or_default().into_keys().collect();
        tmpfs.extend(
            c.mounts
                .iter()
                .flatten()
                .filter(|mp| mp.typ.as_deref() == Some("tmpfs"))
                .filter_map(|mp| mp.destination.clone()),
        );
        for destination in &self.tmpfs {
            if !tmpfs
                .iter()
                .any(|t| t.trim_end_matches('/') == destination.trim_end_matches('/'))
            {
                m.push(
                    format!("un tmpfs sur `{destination}` (`--tmpfs {destination}`)"),
                    if tmpfs.is_empty() {
                        "aucun tmpfs".to_string()
                    } else {
                        format!("tmpfs sur {}", code_list(&tmpfs))
                    },
                );
            }
        }
        let dropped = capabilities(host.cap_drop.as_deref());
        let missing: Vec<String> = capabilities(Some(&self.cap_drop))
            .into_iter()
            .filter(|cap| !dropped.contains(cap))
            .collect();
        if !missing.is_empty() {
            m.push(
                format!(
                    "capabilities retirées : {}",
                    code_list(&capabilities(Some(&self.cap_drop)))
                ),
                if dropped.is_empty() {
                    "aucune capability retirée (pas de `--cap-drop`)".to_string()
                } else {
                    format!("capabilities retirées : {}", code_list(&dropped))
                },
            );
        }
        if let Some(expected) = &self.cap_add {
            let wanted = capabilities(Some(expected));
            let added = capabilities(host.cap_add.as_deref());
            if wanted != added {
                m.push(
                    if wanted.is_empty() {
                        "aucune capability ajoutée".to_string()
                    } else {
                        format!("seule(s) capability(s) ajoutée(s) : {}", code_list(&wanted))
                    },
                    if added.is_empty() {
                        "aucune capability ajoutée (pas de `--cap-add`)".to_string()
                    } else {
                        format!("capabilities ajoutées : {}", code_list(&added))
                    },
                );
            }
        }
        let options = host.security_opt.clone().unwrap_or_default();
        let set: Vec<String> = options.iter().map(|o| security_option(o)).collect();
        for expected in &self.security_opt {
            if !set.contains(&security_option(expected)) {
                m.push(
                    format!("option de sécurité `{expected}` (`--security-opt {expected}`)"),
                    if options.is_empty() {
                        "aucune option de sécurité".to_string()
                    } else {
                        format!("options de sécurité : {}", code_list(&options))
                    },
                );
            }
        }
    }
}

/// Compares logging options. Sizes are compared as Docker reads them (`10m`, `10M`
/// and `10MB` are all 10 MiB for `max-size`), the rest as text.
pub fn compare_log_options(
    m: &mut Mismatches,
    expected: &BTreeMap<String, String>,
    found: &std::collections::HashMap<String, String>,
) {
    for (key, wanted) in expected {
        let value = found.get(key).map(String::as_str);
        match value {
            Some(v) if key == "max-size" && log_size(v).is_some() && log_size(v) == log_size(wanted) => {}
            _ => compare_pair(m, "option de log", key, Some(wanted), value),
        }
    }
}

/// A `max-size` in bytes, read like Docker's `RAMInBytes`: binary units, any case,
/// an optional `b` or `ib` after the unit.
fn log_size(text: &str) -> Option<u64> {
    let lower = text.trim().to_ascii_lowercase();
    let unit_less = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    parse_size(unit_less).ok()
}

/// The CPU limit in CPUs: `--cpus` is stored as NanoCpus, `--cpu-quota` and
/// `--cpu-period` as a pair (the period defaults to 100 ms, as in the kernel).
pub(super) fn cpu_limit(host: &bollard::models::HostConfig) -> f64 {
    match (host.nano_cpus.unwrap_or(0), host.cpu_quota.unwrap_or(0)) {
        (nano, _) if nano > 0 => nano as f64 / 1e9,
        (_, quota) if quota > 0 => {
            let period = host.cpu_period.filter(|p| *p > 0).unwrap_or(100_000);
            quota as f64 / period as f64
        }
        _ => 0.0,
    }
}

/// Capability names as Docker compares them: upper case, without `CAP_`, sorted.
fn capabilities(names: Option<&[String]>) -> Vec<String> {
    let mut out: Vec<String> = names
        .unwrap_or_default()
        .iter()
        .map(|n| {
            let upper = n.trim().to_ascii_uppercase();
            upper.strip_prefix("CAP_").unwrap_or(&upper).to_string()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A security option with `=` and `:` read alike, and a flag's `:true` implied
/// (`no-new-privileges`, `no-new-privileges:true` and `no-new-privileges=true` are one).
fn security_option(option: &str) -> String {
    let option = option.trim().replace('=', ":");
    match option.strip_suffix(":true") {
        Some(flag) => flag.to_string(),
        None => option,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hardening_options_read_as_docker_reads_them() {
        assert_eq!(
            capabilities(Some(&["cap_net_bind_service".to_string(), "ALL".to_string()])),
            vec!["ALL".to_string(), "NET_BIND_SERVICE".to_string()]
        );
        assert_eq!(security_option("no-new-privileges:true"), "no-new-privileges");
        assert_eq!(security_option("no-new-privileges=true"), "no-new-privileges");
        assert_eq!(security_option("apparmor=docker-default"), "apparmor:docker-default");
        let quota = bollard::models::HostConfig {
            cpu_quota: Some(150_000),
            cpu_period: Some(100_000),
            ..Default::default()
        };
        assert!((cpu_limit(&quota) - 1.5).abs() < 1e-9);
        let nano = bollard::models::HostConfig {
            nano_cpus: Some(1_500_000_000),
            ..Default::default()
        };
        assert!((cpu_limit(&nano) - 1.5).abs() < 1e-9);
    }

    #[test]
    fn log_sizes_read_as_docker_reads_them() {
        assert_eq!(log_size("10m"), log_size("10M"));
        assert_eq!(log_size("10MB"), Some(10 * 1024 * 1024));
        assert_ne!(log_size("10m"), log_size("10k"));
    }
}
