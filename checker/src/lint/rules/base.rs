//! Base images: pinned, built for the platform asked for, with declared `ARG`s.

use super::global_args;
use crate::lint::shell::{expand, references};
use crate::lint::{Finding, Input};

/// The build arguments BuildKit defines by itself (usable in `FROM` undeclared).
pub const PREDEFINED_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
    "BUILDKIT_SYNTAX",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "FTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "ftp_proxy",
    "no_proxy",
    "all_proxy",
];

/// A suggestion of a pinned tag for the usual images of the course.
fn pinned_example(image: &str) -> String {
    let name = image.rsplit('/').next().unwrap_or(image);
    let tag = match name {
        "python" => "3.12-slim",
        "node" => "20-alpine",
        "nginx" => "1.27-alpine",
        "alpine" => "3.20",
        "debian" => "bookworm-slim",
        "ubuntu" => "24.04",
        "golang" => "1.22-alpine",
        "httpd" => "2.4-alpine",
        "redis" => "7-alpine",
        "postgres" => "16-alpine",
        "mysql" => "8.4",
        "busybox" => "1.36",
        "eclipse-temurin" => "21-jre",
        "openjdk" | "maven" => "3.9-eclipse-temurin-21",
        "rust" => "1.80-slim",
        "php" => "8.3-apache",
        "ruby" => "3.3-slim",
        _ => "<version>",
    };
    format!("{image}:{tag}")
}

/// `(name, tag, digest)` of an image reference; the tag is what follows the last `:`
/// after the last `/` (so `localhost:5000/app` has no tag).
pub fn split_reference(reference: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match reference.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (reference, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(colon) => (
            &rest[..slash + colon],
            Some(&rest[slash + colon + 1..]),
            digest,
        ),
        None => (rest, None, digest),
    }
}

pub fn pinned_base(input: &Input) -> Vec<Finding> {
    let dockerfile = input.dockerfile;
    let args = global_args(dockerfile);
    let stages = dockerfile.stages();
    let mut out = Vec::new();
    for stage in &stages {
        let written = stage.base;
        let lower = written.to_ascii_lowercase();
        let earlier_stage = stages[..stage.index]
            .iter()
            .any(|s| s.name.as_deref() == Some(lower.as_str()));
        if earlier_stage || lower == "scratch" || written.is_empty() {
            continue;
        }
        // A variable without a default is given at build time (`--build-arg`): the
        // version is then explicit on the command line.
        let Some(image) = expand(written, &args) else {
            continue;
        };
        if image.eq_ignore_ascii_case("scratch") {
            continue;
        }
        // hadolint reads the reference as written: it judges the same thing only
        // when no variable was expanded.
        let literal = !written.contains('$');
        let (name, tag, digest) = split_reference(&image);
        if digest.is_some() {
            continue;
        }
        let ins = stage.from.display();
        let shown = if literal {
            String::new()
        } else {
            format!(" (c'est-à-dire `{image}`)")
        };
        let finding = match tag {
            None => Finding::at(
                stage.from.line,
                format!(
                    "`{ins}`{shown} n'épingle pas de version (latest implicite) ; écrivez par exemple `FROM {}`",
                    pinned_example(name)
                ),
            ),
            Some(t) if t.eq_ignore_ascii_case("latest") => Finding::at(
                stage.from.line,
                format!(
                    "`{ins}`{shown} utilise `latest`, qui change sans prévenir ; épinglez une version, par exemple `FROM {}`",
                    pinned_example(name)
                ),
            ),
            Some(_) => continue,
        };
        out.push(match (literal, tag) {
            (true, None) => finding.hadolint("DL3006"),
            (true, Some(_)) => finding.hadolint("DL3007"),
            (false, _) => finding,
        });
    }
    out
}

pub fn from_platform_const(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for stage in input.dockerfile.stages() {
        let Some(platform) = stage.from.flag("platform") else {
            continue;
        };
        if platform.contains('$') {
            continue;
        }
        let finding = Finding::at(
            stage.from.line,
            format!(
                "`{}` fixe la plateforme `{platform}` : l'image ne se construira que pour elle ; \
                 retirez `--platform` ou écrivez `--platform=$BUILDPLATFORM` pour une étape de compilation",
                stage.from.display()
            ),
        )
        .hadolint("DL3029");
        // BuildKit accepts a constant when the stage's name says which platform it is for.
        let mut parts = platform.split('/');
        let (os, arch) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or("?"),
        );
        let named = stage
            .name
            .as_deref()
            .is_some_and(|n| n.contains(os) || n.contains(arch));
        out.push(if named {
            finding
        } else {
            finding.buildkit("FromPlatformFlagConstDisallowed")
        });
    }
    out
}

pub fn undefined_arg_in_from(input: &Input) -> Vec<Finding> {
    let dockerfile = input.dockerfile;
    let args = global_args(dockerfile);
    let mut out = Vec::new();
    for stage in dockerfile.stages() {
        let mut text = stage.base.to_string();
        if let Some(platform) = stage.from.flag("platform") {
            text.push(' ');
            text.push_str(platform);
        }
        let mut seen = Vec::new();
        for name in references(&text) {
            if args.contains_key(&name)
                || PREDEFINED_ARGS.contains(&name.as_str())
                || seen.contains(&name)
            {
                continue;
            }
            out.push(
                Finding::at(
                    stage.from.line,
                    format!(
                        "`{}` utilise `${name}`, qui n'est pas déclaré avant le premier `FROM` ; \
                         ajoutez en tête du fichier `ARG {name}=<valeur>`",
                        stage.from.display()
                    ),
                )
                .buildkit("UndefinedArgInFrom"),
            );
            seen.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn rule_pinned_base() {
        passes(
            "pinned_base",
            "ARG PY=3.12\nFROM python:${PY}-slim AS build\nFROM build\nFROM scratch\nFROM localhost:5000/base:1.0\nFROM alpine@sha256:0123\nARG LATER\nFROM node:${LATER}\n",
        );
        assert_eq!(flagged("pinned_base", "FROM python\n"), vec![Some(1)]);
        assert_eq!(
            flagged(
                "pinned_base",
                "# commentaire\nFROM node:20 AS build\nFROM nginx:latest\nFROM localhost:5000/app\n"
            ),
            vec![Some(3), Some(4)]
        );
        let found = findings("pinned_base", "FROM python\n");
        assert_eq!(
            found[0].shown(),
            "ligne 1 : `FROM python` n'épingle pas de version (latest implicite) ; écrivez par exemple `FROM python:3.12-slim` (hadolint DL3006)"
        );
        let found = findings("pinned_base", "ARG V=latest\nFROM nginx:$V\n");
        assert_eq!(found[0].line, Some(2));
        assert!(found[0].message.contains("`nginx:latest`"), "{found:?}");
        assert_eq!(found[0].hadolint, None);
    }

    #[test]
    fn rule_from_platform_const() {
        passes(
            "from_platform_const",
            "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM alpine:3.20\n",
        );
        let found = findings(
            "from_platform_const",
            "FROM alpine:3.20\nFROM --platform=linux/amd64 node:20 AS web\nFROM --platform=linux/arm64 node:20 AS web-arm64\n",
        );
        let lines: Vec<_> = found.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3)]);
        assert!(found[0].buildkit.is_some());
        assert!(found[1].buildkit.is_none());
    }

    #[test]
    fn rule_undefined_arg_in_from() {
        passes(
            "undefined_arg_in_from",
            "ARG TAG=3.20\nARG LATER\nFROM --platform=$BUILDPLATFORM alpine:${TAG}\nFROM node:${LATER}\n",
        );
        assert_eq!(
            flagged(
                "undefined_arg_in_from",
                "ARG TAG=3.20\nFROM alpine:${TAG}\nARG V=1\nFROM node:${V}\n"
            ),
            vec![Some(4)]
        );
    }
}
