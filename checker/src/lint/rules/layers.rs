//! Layers and the build cache: consecutive `RUN`s merged, dependencies installed
//! before the sources are copied.

use std::sync::LazyLock;

use regex::Regex;

use super::{glob, sources};
use crate::lint::parser::Instruction;
use crate::lint::shell::commands;
use crate::lint::{Finding, Input};

/// The `--mount`s of a `RUN`: two `RUN`s under different mounts cannot be merged.
fn mounts(ins: &Instruction) -> Vec<&str> {
    let mut m = ins.flag_values("mount");
    m.sort_unstable();
    m
}

pub fn merged_runs(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for stage in input.dockerfile.stages() {
        // hadolint's DL3059 state: the flags and command count of the RUN it compares to.
        let mut previous: Option<(&Instruction, usize)> = None;
        let mut hadolint: Option<(Vec<String>, usize)> = None;
        for ins in stage.body {
            if ins.keyword != "RUN" {
                previous = None;
                hadolint = None;
                continue;
            }
            let count = commands(&ins.command()).len();
            let flags: Vec<String> = ins
                .flags
                .iter()
                .map(|f| format!("{}={}", f.name, f.value.as_deref().unwrap_or_default()))
                .collect();
            if let Some((prev, _)) = previous.filter(|(p, _)| mounts(p) == mounts(ins)) {
                let finding = Finding::at(
                    ins.line,
                    format!(
                        "ce `RUN` suit directement celui de la ligne {} : chacun crée une couche ; \
                         réunissez les commandes en un seul `RUN` avec `&&`",
                        prev.line
                    ),
                );
                // hadolint 2.15 speaks up only when both RUNs are single commands.
                let agrees = hadolint
                    .as_ref()
                    .is_some_and(|(f, c)| *f == flags && *c <= 1 && count <= 1);
                if agrees {
                    out.push(finding.hadolint("DL3059"));
                } else {
                    out.push(finding);
                    hadolint = Some((flags, count));
                }
            } else {
                hadolint = Some((flags, count));
            }
            previous = Some((ins, count));
        }
    }
    out
}

/// Dependency manifests (and their lock files) that can be copied on their own.
const MANIFESTS: &[&str] = &[
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "requirements.txt",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "Pipfile",
    "Pipfile.lock",
    "go.mod",
    "go.sum",
    "Cargo.toml",
    "Cargo.lock",
    "pom.xml",
    "build.gradle",
    "Gemfile",
    "Gemfile.lock",
    "composer.json",
    "composer.lock",
];

static INSTALL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:npm\s+(?:ci|install|i)\b|yarn(?:\s+install\b|\s*(?:$|&&|;))|pnpm\s+(?:i|install)\b",
        r"|pip3?\s+install\b|python[0-9.]*\s+-m\s+pip\s+install\b|poetry\s+install\b|pipenv\s+install\b",
        r"|uv\s+(?:sync|pip\s+install)\b|go\s+mod\s+download\b|go\s+build\b|cargo\s+(?:build|fetch)\b",
        r"|mvn\b|gradle\b|bundle\s+install\b|composer\s+install\b|dotnet\s+restore\b)"
    ))
    .ok()
});

fn installs(ins: &Instruction) -> bool {
    ins.keyword == "RUN" && INSTALL.as_ref().is_some_and(|r| r.is_match(&ins.command()))
}

fn is_whole_context(source: &str) -> bool {
    matches!(source.trim_end_matches('/'), "." | "" | "*" | "./*" | "./.")
}

fn is_manifest(source: &str) -> bool {
    if is_whole_context(source) {
        return false;
    }
    let name = source
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(source);
    MANIFESTS.iter().any(|m| glob(name, m)) || name.ends_with(".csproj")
}

/// A `RUN` that bind-mounts a manifest from the context (`docker init`'s
/// `--mount=type=bind,source=package.json,target=package.json`) and installs.
fn bind_mount_install(ins: &Instruction) -> bool {
    installs(ins)
        && ins.flag_values("mount").iter().any(|m| {
            m.contains("type=bind")
                && !m.contains("from=")
                && m.split(',').any(|kv| {
                    kv.split_once('=')
                        .is_some_and(|(k, v)| matches!(k, "source" | "src") && is_manifest(v))
                })
        })
}

pub fn deps_before_sources(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut relevant = false;
    for stage in input.dockerfile.stages() {
        let copies = |pred: fn(&str) -> bool| {
            stage.body.iter().find(|i| {
                (i.keyword == "COPY" || i.keyword == "ADD")
                    && i.flag("from").is_none()
                    && sources(i).iter().any(|s| pred(s))
            })
        };
        let whole = copies(is_whole_context);
        let manifest = copies(is_manifest)
            .into_iter()
            .chain(stage.body.iter().find(|i| bind_mount_install(i)))
            .min_by_key(|i| i.line);
        if whole.is_none() && manifest.is_none() {
            continue;
        }
        relevant = true;
        let Some(whole) = whole else {
            continue;
        };
        let install_after = |line: usize| stage.body.iter().find(|i| i.line >= line && installs(i));
        match manifest.filter(|m| m.line < whole.line) {
            None => {
                let install = install_after(whole.line)
                    .map(|i| format!(", puis la ligne {} installe les dépendances", i.line))
                    .unwrap_or_default();
                out.push(Finding::at(
                    whole.line,
                    format!(
                        "`{}` copie toutes les sources sans avoir d'abord copié le manifeste des dépendances \
                         (`package*.json`, `requirements.txt`...){install} : chaque modification du code \
                         invalide le cache et réinstalle tout ; copiez d'abord le manifeste, installez, puis \
                         copiez le reste",
                        whole.display()
                    ),
                ));
            }
            Some(manifest) => match install_after(manifest.line) {
                Some(install) if install.line < whole.line => {}
                Some(install) => out.push(Finding::at(
                    whole.line,
                    format!(
                        "les sources sont copiées (`{}`) avant l'installation des dépendances (ligne {}) : \
                         placez `{}` juste après `{}`",
                        whole.display(),
                        install.line,
                        install.display(),
                        manifest.display()
                    ),
                )),
                None => out.push(Finding::at(
                    manifest.line,
                    format!(
                        "`{}` copie le manifeste, mais aucun `RUN` n'installe les dépendances avant `{}` \
                         (ligne {})",
                        manifest.display(),
                        whole.display(),
                        whole.line
                    ),
                )),
            },
        }
    }
    if !relevant {
        out.push(Finding::global(
            "ni copie du manifeste des dépendances (`COPY package*.json ./`, `COPY requirements.txt .`...) \
             ni copie des sources (`COPY . .`) : rien ne montre l'ordre dépendances puis sources",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn rule_merged_runs() {
        passes(
            "merged_runs",
            "FROM alpine:3.20 AS a\nRUN a && b\nFROM alpine:3.20\nRUN c\nCOPY x /x\nRUN d\n",
        );
        assert_eq!(
            flagged(
                "merged_runs",
                "FROM alpine:3.20\nRUN a\n# entre les deux\nRUN b\nRUN c\nCOPY x /x\nRUN d\n"
            ),
            vec![Some(4), Some(5)]
        );
        // hadolint keeps quiet when a RUN already chains commands.
        let found = findings("merged_runs", "FROM alpine:3.20\nRUN a && b\nRUN d\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].hadolint, None);
    }

    /// B14: RUNs under different mounts cannot be merged.
    #[test]
    fn b14_different_mounts_are_not_merged() {
        passes(
            "merged_runs",
            "FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n",
        );
    }

    #[test]
    fn rule_deps_before_sources() {
        passes(
            "deps_before_sources",
            "FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
        );
        passes(
            "deps_before_sources",
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . /app\n",
        );
        assert_eq!(
            flagged(
                "deps_before_sources",
                "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN npm install\n"
            ),
            vec![Some(4)]
        );
        assert_eq!(
            flagged(
                "deps_before_sources",
                "FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n"
            ),
            vec![Some(2)]
        );
        assert_eq!(
            flagged("deps_before_sources", "FROM nginx:1.27\n"),
            vec![None]
        );
    }

    /// B13: `docker init`'s bind-mounted manifest installs before the sources.
    #[test]
    fn b13_bind_mount_install() {
        passes(
            "deps_before_sources",
            "FROM node:20-alpine\nWORKDIR /usr/src/app\nRUN --mount=type=bind,source=package.json,target=package.json \\\n    --mount=type=bind,source=package-lock.json,target=package-lock.json \\\n    --mount=type=cache,target=/root/.npm \\\n    npm ci --omit=dev\nUSER node\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
        );
    }
}
