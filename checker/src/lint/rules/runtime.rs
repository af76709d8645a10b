//! What the final image declares for running: its ports and its health check.

use std::collections::BTreeMap;

use super::final_instructions;
use crate::lint::parser::{Dockerfile, Instruction};
use crate::lint::{Finding, Input};

/// `3004`, `3004/tcp`, `53/UDP` → `(port, protocol)`.
pub fn parse_port(text: &str) -> Option<(u16, String)> {
    let (port, proto) = match text.trim().split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (text.trim(), "tcp".to_string()),
    };
    Some((port.parse().ok()?, proto))
}

pub fn healthcheck(input: &Input) -> Vec<Finding> {
    let dockerfile = input.dockerfile;
    let stages = dockerfile.stages();
    let Some(last) = stages.last() else {
        return Vec::new();
    };
    let check = final_instructions(&stages)
        .into_iter()
        .rev()
        .find(|i| i.keyword == "HEALTHCHECK");
    match check {
        None => {
            let elsewhere = dockerfile
                .instructions
                .iter()
                .find(|i| i.keyword == "HEALTHCHECK")
                .map(|i| format!(" (celui de la ligne {} est dans une autre étape)", i.line))
                .unwrap_or_default();
            vec![Finding::at(
                last.from.line,
                format!(
                    "l'image finale (`{}`) n'a pas de `HEALTHCHECK`{elsewhere} ; ajoutez par exemple \
                     `HEALTHCHECK CMD wget -qO- http://localhost:8080/ || exit 1`",
                    last.from.display()
                ),
            )]
        }
        Some(ins)
            if ins
                .args
                .split_whitespace()
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("none")) =>
        {
            vec![Finding::at(
                ins.line,
                "`HEALTHCHECK NONE` désactive la surveillance ; écrivez une vraie sonde, par exemple \
                 `HEALTHCHECK CMD wget -qO- http://localhost:8080/ || exit 1`",
            )]
        }
        Some(_) => Vec::new(),
    }
}

pub fn expose_valid(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in input.dockerfile.with(&["EXPOSE"]) {
        for word in ins.words() {
            if word.contains('$') {
                continue;
            }
            let (ports, proto) = match word.split_once('/') {
                Some((p, proto)) => (p, Some(proto)),
                None => (word.as_str(), None),
            };
            if let Some((_, container)) = ports.rsplit_once(':') {
                out.push(
                    Finding::at(
                        ins.line,
                        format!(
                            "`EXPOSE {word}` mélange l'hôte et le conteneur : `EXPOSE` ne déclare que le port du \
                             conteneur ; écrivez `EXPOSE {container}` et publiez au lancement avec \
                             `docker run -p {ports}`"
                        ),
                    )
                    .buildkit("ExposeInvalidFormat"),
                );
                continue;
            }
            let numbers: Vec<&str> = ports.split('-').collect();
            let valid = numbers.len() <= 2 && numbers.iter().all(|n| n.parse::<u16>().is_ok());
            if !valid {
                out.push(
                    Finding::at(
                        ins.line,
                        format!(
                            "`EXPOSE {word}` n'est pas un port valide (de 0 à 65535, par exemple `EXPOSE 8080`)"
                        ),
                    )
                    .hadolint("DL3011"),
                );
                continue;
            }
            if let Some(proto) = proto.filter(|p| *p != p.to_ascii_lowercase()) {
                out.push(
                    Finding::at(
                        ins.line,
                        format!(
                            "`EXPOSE {word}` : le protocole s'écrit en minuscules (`{ports}/{}`)",
                            proto.to_ascii_lowercase()
                        ),
                    )
                    .buildkit("ExposeProtoCasing"),
                );
            }
        }
    }
    out
}

/// The ports of `expected` the final image does not `EXPOSE` (the `dockerfile` check's
/// `expose` parameter): `(port, protocol)` pairs with how they were written.
pub fn check_expose(dockerfile: &Dockerfile, expected: &[((u16, String), String)]) -> Vec<Finding> {
    let stages = dockerfile.stages();
    let Some(last) = stages.last() else {
        return Vec::new();
    };
    let exposes: Vec<&Instruction> = final_instructions(&stages)
        .into_iter()
        .filter(|i| i.keyword == "EXPOSE")
        .collect();
    let declared: BTreeMap<(u16, String), usize> = exposes
        .iter()
        .flat_map(|i| {
            i.words()
                .into_iter()
                .filter_map(|w| parse_port(&w))
                .map(move |p| (p, i.line))
        })
        .collect();
    let mut out = Vec::new();
    for (wanted, shown) in expected {
        if declared.contains_key(wanted) {
            continue;
        }
        match exposes.last() {
            Some(ins) => out.push(Finding::at(
                ins.line,
                format!("`{}` n'expose pas le port {shown} ; écrivez `EXPOSE {shown}`", ins.display()),
            )),
            None => out.push(Finding::at(
                last.from.line,
                format!(
                    "l'image finale (`{}`) n'a pas d'instruction `EXPOSE` ; ajoutez `EXPOSE {shown}`",
                    last.from.display()
                ),
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn rule_healthcheck() {
        passes(
            "healthcheck",
            "FROM nginx:1.27-alpine\nHEALTHCHECK --interval=30s CMD wget -qO- http://localhost/ || exit 1\n",
        );
        assert_eq!(
            flagged("healthcheck", "FROM nginx:1.27-alpine\nHEALTHCHECK NONE\n"),
            vec![Some(2)]
        );
        assert_eq!(
            flagged(
                "healthcheck",
                "FROM node:20 AS build\nHEALTHCHECK CMD true\nFROM nginx:1.27-alpine\n"
            ),
            vec![Some(3)]
        );
    }

    #[test]
    fn rule_expose_valid() {
        passes(
            "expose_valid",
            "FROM nginx:1.27\nEXPOSE 80 443/tcp 53/udp 8000-8010 ${PORT}\n",
        );
        let found = findings(
            "expose_valid",
            "FROM nginx:1.27\nEXPOSE 80\nEXPOSE 8080:80\nEXPOSE 70000\nEXPOSE 53/UDP\n",
        );
        let lines: Vec<_> = found.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![Some(3), Some(4), Some(5)]);
        assert!(
            found[0].message.contains("`docker run -p 8080:80`"),
            "{found:?}"
        );
    }

    #[test]
    fn expose_ports() {
        let df = Dockerfile::parse("FROM node:20-alpine\nEXPOSE 3000 53/udp\n");
        let want = |p: u16, proto: &str| ((p, proto.to_string()), p.to_string());
        assert!(check_expose(&df, &[want(3000, "tcp"), want(53, "udp")]).is_empty());
        let findings = check_expose(&df, &[want(3004, "tcp")]);
        assert_eq!(
            findings.iter().map(|f| f.line).collect::<Vec<_>>(),
            vec![Some(2)]
        );
        let none = Dockerfile::parse("FROM node:20-alpine\n");
        assert_eq!(check_expose(&none, &[want(3004, "tcp")])[0].line, Some(1));
    }
}
