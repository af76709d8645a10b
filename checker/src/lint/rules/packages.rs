//! Package managers: apt lists and apk indexes not kept in a layer, no recommended
//! packages, `apt-get` rather than `apt`, pip without its cache.
//!
//! Commands are read one by one (`a && b; c | d`), so `apk add` is judged on its own
//! options, not on a `--no-cache` that belongs to the `pip install` next to it.

use super::final_chain;
use crate::lint::parser::Instruction;
use crate::lint::shell::{Command, commands};
use crate::lint::{Finding, Input};

/// `apt-get`'s options that take a value (`-o Dpkg::Options::=--force-confnew`).
const APT_VALUE_OPTIONS: &[&str] = &[
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
];

/// The apt subcommand (`install`, `update`...), after the options and their values.
fn apt_subcommand(cmd: &Command) -> Option<&str> {
    let mut words = cmd.words.iter().skip(1);
    while let Some(word) = words.next() {
        if APT_VALUE_OPTIONS.contains(&word.as_str()) {
            words.next();
        } else if !word.starts_with('-') {
            return Some(word);
        }
    }
    None
}

fn is_apt(cmd: &Command) -> bool {
    matches!(cmd.program(), "apt-get" | "apt")
}

/// Where the mounts of a `RUN` keep files out of its layer (cache and tmpfs mounts).
fn mounted_targets(ins: &Instruction) -> Vec<String> {
    ins.flag_values("mount")
        .iter()
        .filter(|v| v.contains("type=cache") || v.contains("type=tmpfs"))
        .filter_map(|v| {
            v.split(',').find_map(|kv| {
                let (k, val) = kv.split_once('=')?;
                matches!(k.trim(), "target" | "dst" | "destination")
                    .then(|| val.trim().trim_end_matches('/').to_string())
            })
        })
        .collect()
}

/// Whether a mount keeps `path` (or a folder above it) out of the layer.
fn mounted(ins: &Instruction, path: &str) -> bool {
    mounted_targets(ins)
        .iter()
        .any(|t| path == t || path.starts_with(&format!("{t}/")))
}

fn removes(cmds: &[Command], path: &str) -> bool {
    cmds.iter()
        .any(|c| c.program() == "rm" && c.words.iter().any(|w| w.starts_with(path)))
}

/// The instructions of the stages that end up in the final image.
fn final_runs<'a>(input: &'a Input) -> Vec<&'a Instruction> {
    let stages = input.dockerfile.stages();
    let mut chain = final_chain(&stages);
    chain.reverse();
    chain
        .iter()
        .flat_map(|s| s.body.iter())
        .filter(|i| i.keyword == "RUN")
        .collect()
}

pub fn apt_lists_cleaned(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in final_runs(input) {
        let cmds = commands(&ins.command());
        let updates = cmds
            .iter()
            .any(|c| is_apt(c) && apt_subcommand(c) == Some("update"));
        let cleaned = removes(&cmds, "/var/lib/apt/lists")
            || cmds
                .iter()
                .any(|c| is_apt(c) && apt_subcommand(c) == Some("dist-clean"))
            || mounted(ins, "/var/lib/apt/lists");
        if updates && !cleaned {
            // hadolint wants exactly `rm -rf /var/lib/apt/lists/*` after `apt-get update`.
            let hadolint_agrees = cmds
                .iter()
                .any(|c| c.program() == "apt-get" && c.has("update"));
            let finding = Finding::at(
                ins.line,
                "ce `RUN` télécharge les index apt (`apt-get update`) sans les supprimer : ils restent \
                 dans la couche ; terminez ce même `RUN` par `&& rm -rf /var/lib/apt/lists/*` (ou montez \
                 un cache : `RUN --mount=type=cache,target=/var/lib/apt,sharing=locked`)",
            );
            out.push(if hadolint_agrees {
                finding.hadolint("DL3009")
            } else {
                finding
            });
        }
        let apk_clean = removes(&cmds, "/var/cache/apk") || mounted(ins, "/var/cache/apk");
        for cmd in &cmds {
            let adds = cmd.program() == "apk" && cmd.words.iter().skip(1).any(|w| w == "add");
            if adds && !cmd.has("--no-cache") && !apk_clean {
                out.push(
                    Finding::at(
                        ins.line,
                        "`apk add` sans `--no-cache` garde l'index des paquets dans la couche ; écrivez \
                         `apk add --no-cache ...`",
                    )
                    .hadolint("DL3019"),
                );
                break;
            }
        }
    }
    out
}

pub fn no_install_recommends(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in input.dockerfile.with(&["RUN"]) {
        let forgot = commands(&ins.command()).into_iter().any(|c| {
            c.program() == "apt-get"
                && apt_subcommand(&c) == Some("install")
                && !c.has("--no-install-recommends")
                && !c
                    .words
                    .iter()
                    .any(|w| w.contains("APT::Install-Recommends=false"))
        });
        if forgot {
            out.push(
                Finding::at(
                    ins.line,
                    "`apt-get install` sans `--no-install-recommends` installe aussi les paquets \
                     « recommandés », inutiles dans une image ; écrivez \
                     `apt-get install -y --no-install-recommends ...`",
                )
                .hadolint("DL3015"),
            );
        }
    }
    out
}

pub fn apt_get_not_apt(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in input.dockerfile.with(&["RUN"]) {
        let apt = commands(&ins.command())
            .into_iter()
            .find(|c| c.program() == "apt");
        if let Some(cmd) = apt {
            let sub = apt_subcommand(&cmd).unwrap_or("install");
            out.push(
                Finding::at(
                    ins.line,
                    format!(
                        "`apt {sub}` est fait pour un terminal (sa sortie change d'une version à l'autre) ; \
                         dans un `RUN`, écrivez `apt-get {sub}`"
                    ),
                )
                .hadolint("DL3027"),
            );
        }
    }
    out
}

/// `pip install`, `pip3 install`, `python3 -m pip install`.
fn is_pip_install(cmd: &Command) -> bool {
    let program = cmd.program();
    let rest: Vec<&str> = cmd.words.iter().skip(1).map(String::as_str).collect();
    let after_pip: &[&str] = if program.starts_with("pip")
        && !program.starts_with("pipx")
        && !program.starts_with("pipenv")
    {
        &rest
    } else if program.starts_with("python") && rest.starts_with(&["-m", "pip"]) {
        &rest[2..]
    } else {
        return false;
    };
    after_pip.iter().find(|w| !w.starts_with('-')) == Some(&"install")
}

pub fn pip_no_cache(input: &Input) -> Vec<Finding> {
    let dockerfile = input.dockerfile;
    let stages = dockerfile.stages();
    let mut out = Vec::new();
    for stage in &stages {
        // `ENV PIP_NO_CACHE_DIR=1` turns the cache off for every later pip.
        let mut env_off = false;
        for ins in stage.body {
            if ins.keyword == "ENV" && ins.args.contains("PIP_NO_CACHE_DIR") {
                env_off = true;
            }
            if ins.keyword != "RUN" {
                continue;
            }
            let forgot = commands(&ins.command())
                .iter()
                .any(|c| is_pip_install(c) && !c.has("--no-cache-dir"));
            if !forgot {
                continue;
            }
            let cache_mounted = mounted_targets(ins)
                .iter()
                .any(|t| t.ends_with(".cache/pip") || t.ends_with(".cache"));
            if env_off || cache_mounted {
                continue;
            }
            out.push(
                Finding::at(
                    ins.line,
                    "`pip install` sans `--no-cache-dir` garde les paquets téléchargés dans la couche ; \
                     écrivez `pip install --no-cache-dir ...` (ou montez un cache : \
                     `RUN --mount=type=cache,target=/root/.cache/pip`)",
                )
                .hadolint("DL3042"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn rule_apt_lists_cleaned() {
        passes(
            "apt_lists_cleaned",
            "FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl && \\\n    rm -rf /var/lib/apt/lists/*\nFROM alpine:3.20\nRUN apk add --no-cache curl\n",
        );
        assert_eq!(
            flagged(
                "apt_lists_cleaned",
                "FROM alpine:3.20\n\nRUN apk add curl\n"
            ),
            vec![Some(3)]
        );
        // Build stages the final image does not inherit are not judged.
        passes(
            "apt_lists_cleaned",
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /a /a\n",
        );
    }

    /// B2: Docker's documented apt cache mounts, and tmpfs mounts, keep the lists out.
    #[test]
    fn b2_cache_and_tmpfs_mounts() {
        passes(
            "apt_lists_cleaned",
            "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y gcc\n",
        );
        passes(
            "apt_lists_cleaned",
            "FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y gcc\n",
        );
        // A cache on /var/cache/apt alone keeps the lists in the layer.
        assert_eq!(
            flagged(
                "apt_lists_cleaned",
                "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y gcc\n"
            ),
            vec![Some(2)]
        );
    }

    /// B3: `apt-get dist-clean` (APT ≥ 2.7.8) removes the lists.
    #[test]
    fn b3_dist_clean() {
        passes(
            "apt_lists_cleaned",
            "FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y curl && apt-get dist-clean\n",
        );
    }

    /// B4: the layer that keeps the lists is the one running `apt-get update`.
    #[test]
    fn b4_keyed_on_update() {
        assert_eq!(
            flagged(
                "apt_lists_cleaned",
                "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
            ),
            vec![Some(2)]
        );
    }

    /// B5: `--no-cache` must belong to the `apk add` itself.
    #[test]
    fn b5_apk_option_of_its_own_command() {
        assert_eq!(
            flagged(
                "apt_lists_cleaned",
                "FROM python:3.12-alpine\nRUN apk add build-base && pip install --no-cache-dir flask\n"
            ),
            vec![Some(2)]
        );
        passes(
            "apt_lists_cleaned",
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
        );
    }

    /// B6: options before `install` (`-o Dpkg::Options::=--force-confnew`).
    #[test]
    fn b6_apt_options_before_the_subcommand() {
        assert_eq!(
            flagged(
                "no_install_recommends",
                "FROM debian:12\nRUN apt-get update && apt-get -o Dpkg::Options::=--force-confnew install -y curl && rm -rf /var/lib/apt/lists/*\n"
            ),
            vec![Some(2)]
        );
        assert_eq!(
            flagged(
                "apt_lists_cleaned",
                "FROM debian:12\nRUN apt-get -o Acquire::Retries=3 update && apt-get -o Dpkg::Options::=--force-confnew install -y curl\n"
            ),
            vec![Some(2)]
        );
    }

    #[test]
    fn rule_no_install_recommends() {
        passes(
            "no_install_recommends",
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get -o APT::Install-Recommends=false install -y git\n",
        );
        assert_eq!(
            flagged(
                "no_install_recommends",
                "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl\n"
            ),
            vec![Some(2)]
        );
    }

    #[test]
    fn rule_apt_get_not_apt() {
        passes(
            "apt_get_not_apt",
            "FROM debian:12\nRUN apt-get update && apt-cache policy curl && echo apt\n",
        );
        assert_eq!(
            flagged(
                "apt_get_not_apt",
                "FROM debian:12\nRUN apt-get update\nRUN apt install -y curl\n"
            ),
            vec![Some(3)]
        );
    }

    #[test]
    fn rule_pip_no_cache() {
        passes(
            "pip_no_cache",
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\nRUN pipx install black\n",
        );
        passes(
            "pip_no_cache",
            "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n",
        );
        assert_eq!(
            flagged(
                "pip_no_cache",
                "FROM python:3.12-slim\nRUN python3 -m pip install --upgrade pip\nRUN pip3 install flask\n"
            ),
            vec![Some(2), Some(3)]
        );
    }
}
