//! The user the final image runs as.

use super::{final_chain, scope};
use crate::lint::shell::expand;
use crate::lint::{Finding, Input};

fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or_default().trim();
    name.is_empty() || name == "root" || name == "0"
}

pub fn non_root_user(input: &Input) -> Vec<Finding> {
    let dockerfile = input.dockerfile;
    let stages = dockerfile.stages();
    let Some(last) = stages.last() else {
        return Vec::new();
    };
    // The last USER of the final image, with the stage it is in.
    let user = final_chain(&stages).into_iter().find_map(|stage| {
        stage
            .body
            .iter()
            .rev()
            .find(|i| i.keyword == "USER")
            .map(|ins| (stage.clone(), ins))
    });
    let Some((stage, ins)) = user else {
        return vec![Finding::at(
            last.from.line,
            format!(
                "l'image finale (`{}`) n'a pas d'instruction `USER` : le conteneur tournera en root ; \
                 créez un utilisateur et ajoutez par exemple `USER app` avant `CMD`",
                last.from.display()
            ),
        )];
    };
    let written = ins.args.trim();
    // `USER ${UID}` is judged on its value; without one (given at build time), not at all.
    let Some(value) = expand(written, &scope(dockerfile, &stage, ins)) else {
        return Vec::new();
    };
    if !is_root_user(&value) {
        return Vec::new();
    }
    let finding = Finding::at(
        ins.line,
        format!(
            "`{}`{} laisse l'image finale tourner en root ; terminez par un utilisateur sans privilèges, \
             par exemple `USER app`",
            ins.display(),
            if value == written {
                String::new()
            } else {
                format!(" (c'est-à-dire `USER {value}`)")
            }
        ),
    );
    // hadolint reads the user as written.
    vec![if is_root_user(written) {
        finding.hadolint("DL3002")
    } else {
        finding
    }]
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn rule_non_root_user() {
        passes(
            "non_root_user",
            "FROM node:20 AS base\nUSER node\nFROM base\nCMD [\"node\", \"server.js\"]\n",
        );
        passes(
            "non_root_user",
            "FROM python:3.12-slim\nUSER root\nRUN useradd app\nUSER app:app\n",
        );
        passes(
            "non_root_user",
            "FROM python:3.12-slim\nARG UID\nUSER ${UID}\n",
        );
        assert_eq!(
            flagged(
                "non_root_user",
                "FROM python:3.12-slim\nUSER app\nUSER 0:0\n"
            ),
            vec![Some(3)]
        );
        assert_eq!(
            flagged(
                "non_root_user",
                "FROM node:20 AS build\nUSER node\nFROM nginx:1.27\nCMD [\"nginx\"]\n"
            ),
            vec![Some(3)]
        );
        // A root USER in a build stage the final image does not inherit is not judged.
        passes(
            "non_root_user",
            "FROM node:20 AS build\nUSER root\nFROM nginx:1.27\nUSER nginx\n",
        );
    }
}
