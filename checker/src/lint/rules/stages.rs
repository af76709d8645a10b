//! Build stages: a multi-stage build, names unique, lower-case, not reserved, `AS`
//! written like `FROM`.

use crate::lint::{Finding, Input};

pub fn multi_stage(input: &Input) -> Vec<Finding> {
    let stages = input.dockerfile.stages();
    let Some(last) = stages.last() else {
        return Vec::new();
    };
    if stages.len() < 2 {
        return vec![Finding::at(
            last.from.line,
            format!(
                "une seule étape (`{}`) : construisez dans une étape `FROM ... AS build`, puis copiez \
                 seulement le résultat dans une image finale légère avec `COPY --from=build`",
                last.from.display()
            ),
        )];
    }
    let copies_from = last.body.iter().any(|i| {
        (i.keyword == "COPY" || i.keyword == "ADD") && i.flag("from").is_some_and(|f| !f.is_empty())
    });
    if copies_from {
        Vec::new()
    } else {
        vec![Finding::at(
            last.from.line,
            format!(
                "la dernière étape (`{}`) ne copie rien d'une autre étape ; ajoutez par exemple \
                 `COPY --from=build /app /app`",
                last.from.display()
            ),
        )]
    }
}

pub fn duplicate_stage_name(input: &Input) -> Vec<Finding> {
    let stages = input.dockerfile.stages();
    let mut out = Vec::new();
    for stage in &stages {
        let Some(name) = &stage.name else { continue };
        let first = stages[..stage.index]
            .iter()
            .find(|s| s.name.as_ref() == Some(name));
        if let Some(first) = first {
            out.push(
                Finding::at(
                    stage.from.line,
                    format!(
                        "l'étape `{name}` est déjà définie ligne {} : `COPY --from={name}` ne pourra désigner \
                         qu'une des deux ; donnez-lui un autre nom",
                        first.from.line
                    ),
                )
                .hadolint("DL3024")
                .buildkit("DuplicateStageName"),
            );
        }
    }
    out
}

pub fn reserved_stage_name(input: &Input) -> Vec<Finding> {
    input
        .dockerfile
        .stages()
        .iter()
        .filter_map(|stage| {
            let name = stage.name.as_deref()?;
            matches!(name, "scratch" | "context").then(|| {
                Finding::at(
                    stage.from.line,
                    format!(
                        "`{name}` est un nom réservé par Docker (`FROM {name}` et `COPY --from={name}` \
                         désignent autre chose) ; nommez l'étape autrement, par exemple `AS build`"
                    ),
                )
                .buildkit("ReservedStageName")
            })
        })
        .collect()
}

pub fn stage_name_casing(input: &Input) -> Vec<Finding> {
    input
        .dockerfile
        .stages()
        .iter()
        .filter_map(|stage| {
            let written = stage.name_written?;
            (written != written.to_ascii_lowercase()).then(|| {
                Finding::at(
                    stage.from.line,
                    format!(
                        "le nom d'étape `{written}` contient des majuscules : Docker le lit `{}` ; \
                         écrivez-le en minuscules",
                        written.to_ascii_lowercase()
                    ),
                )
                .buildkit("StageNameCasing")
            })
        })
        .collect()
}

pub fn from_as_casing(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for stage in input.dockerfile.stages() {
        let Some(as_kw) = stage.from.args.split_whitespace().nth(1) else {
            continue;
        };
        if !as_kw.eq_ignore_ascii_case("as") {
            continue;
        }
        let from = stage.from.written.as_str();
        let upper = from == from.to_ascii_uppercase();
        let lower = from == from.to_ascii_lowercase();
        let mismatch = (upper && as_kw != "AS") || (lower && as_kw != "as");
        if mismatch {
            let wanted = if upper { "AS" } else { "as" };
            out.push(
                Finding::at(
                    stage.from.line,
                    format!("`{from} … {as_kw}` mélange les casses ; écrivez `{from} … {wanted}`"),
                )
                .buildkit("FromAsCasing"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn rule_multi_stage() {
        passes(
            "multi_stage",
            "FROM node:20 AS build\nRUN npm run build\nFROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
        );
        assert_eq!(
            flagged("multi_stage", "FROM node:20\nRUN npm run build\n"),
            vec![Some(1)]
        );
        assert_eq!(
            flagged(
                "multi_stage",
                "FROM node:20 AS build\nRUN npm run build\nFROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\n"
            ),
            vec![Some(3)]
        );
    }

    #[test]
    fn rule_duplicate_stage_name() {
        passes(
            "duplicate_stage_name",
            "FROM golang:1.22 AS build\nFROM alpine:3.20 AS run\n",
        );
        assert_eq!(
            flagged(
                "duplicate_stage_name",
                "FROM golang:1.22 AS build\nFROM node:20 AS web\nFROM alpine:3.20 AS Build\n"
            ),
            vec![Some(3)]
        );
    }

    #[test]
    fn rule_reserved_stage_name() {
        passes("reserved_stage_name", "FROM alpine:3.20 AS base\n");
        assert_eq!(
            flagged(
                "reserved_stage_name",
                "FROM alpine:3.20 AS base\nFROM alpine:3.20 AS scratch\nFROM alpine:3.20 AS Context\n"
            ),
            vec![Some(2), Some(3)]
        );
    }

    #[test]
    fn rule_stage_name_casing() {
        passes("stage_name_casing", "FROM alpine:3.20 AS build-env\n");
        assert_eq!(
            flagged(
                "stage_name_casing",
                "FROM alpine:3.20\nFROM alpine:3.20 AS Build\n"
            ),
            vec![Some(2)]
        );
    }

    #[test]
    fn rule_from_as_casing() {
        passes(
            "from_as_casing",
            "FROM alpine:3.20 AS a\nfrom alpine:3.20 as b\nFrom alpine:3.20 As c\n",
        );
        assert_eq!(
            flagged(
                "from_as_casing",
                "FROM alpine:3.20 as a\nfrom alpine:3.20 AS b\n"
            ),
            vec![Some(1), Some(2)]
        );
    }
}
