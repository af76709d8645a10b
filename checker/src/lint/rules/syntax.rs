//! How the file is written: deprecated or legacy forms, casing, empty continuation
//! lines, variables used before they are declared.

use super::base::PREDEFINED_ARGS;
use super::{chain, scope};
use crate::lint::shell::{assignments, is_legacy_pair, references};
use crate::lint::{Finding, Input};

pub fn maintainer_deprecated(input: &Input) -> Vec<Finding> {
    input.dockerfile.with(&["MAINTAINER"])
        .map(|ins| {
            Finding::at(
                ins.line,
                format!(
                    "`MAINTAINER` est obsolète ; écrivez `LABEL org.opencontainers.image.authors=\"{}\"`",
                    ins.args.trim().replace('"', "'")
                ),
            )
            .hadolint("DL4000")
            .buildkit("MaintainerDeprecated")
        })
        .collect()
}

pub fn legacy_key_value(input: &Input) -> Vec<Finding> {
    input
        .dockerfile
        .instructions
        .iter()
        .filter(|i| (i.keyword == "ENV" || i.keyword == "LABEL") && is_legacy_pair(&i.args))
        .map(|ins| {
            let pairs = assignments(&ins.keyword, &ins.args);
            let fixed = pairs
                .first()
                .map(|(k, v)| {
                    let v = v.clone().unwrap_or_default();
                    if v.contains(char::is_whitespace) || v.is_empty() {
                        format!("{} {k}=\"{v}\"", ins.keyword)
                    } else {
                        format!("{} {k}={v}", ins.keyword)
                    }
                })
                .unwrap_or_default();
            Finding::at(
                ins.line,
                format!(
                    "`{}` utilise l'ancienne forme `clé valeur` ; écrivez `{fixed}`",
                    ins.display()
                ),
            )
            .buildkit("LegacyKeyValueFormat")
        })
        .collect()
}

pub fn no_empty_continuation(input: &Input) -> Vec<Finding> {
    input
        .dockerfile
        .instructions
        .iter()
        .filter(|i| i.empty_continuation)
        .map(|ins| {
            Finding::at(
                ins.line,
                format!(
                    "`{}` contient une ligne vide après un `{}` de continuation : une future version de \
                     Docker refusera le fichier ; supprimez la ligne vide (ou mettez-y un commentaire `#`)",
                    ins.display(),
                    input.dockerfile.escape
                ),
            )
            // BuildKit points at the instruction's last line.
            .buildkit_at("NoEmptyContinuation", ins.end_line)
        })
        .collect()
}

pub fn instruction_casing(input: &Input) -> Vec<Finding> {
    let instructions = &input.dockerfile.instructions;
    let upper = instructions
        .iter()
        .filter(|i| i.written == i.keyword)
        .count();
    let lower = instructions
        .iter()
        .filter(|i| i.written == i.keyword.to_ascii_lowercase())
        .count();
    let lower_wins = lower > upper;
    instructions
        .iter()
        .filter(|i| {
            if lower_wins {
                i.written != i.keyword.to_ascii_lowercase()
            } else {
                i.written != i.keyword
            }
        })
        .map(|ins| {
            let wanted = if lower_wins {
                ins.keyword.to_ascii_lowercase()
            } else {
                ins.keyword.clone()
            };
            Finding::at(
                ins.line,
                format!(
                    "`{}` n'est pas écrit comme les autres instructions du fichier ; écrivez `{wanted}`",
                    ins.written
                ),
            )
            .buildkit("ConsistentInstructionCasing")
        })
        .collect()
}

/// Variables the base images of the course define, which a Dockerfile may use without
/// declaring them (without Docker their environment cannot be read).
pub fn base_image_knows(name: &str) -> bool {
    const KNOWN: &[&str] = &[
        "LANG",
        "LANGUAGE",
        "LC_ALL",
        "JAVA_HOME",
        "GOPATH",
        "GOROOT",
        "GOTOOLCHAIN",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "GEM_HOME",
        "BUNDLE_APP_CONFIG",
        "BUNDLE_SILENCE_ROOT_WARNING",
        "PHP_INI_DIR",
        "APACHE_CONFDIR",
        "APACHE_ENVVARS",
        "HTTPD_PREFIX",
        "NGINX_VERSION",
        "GPG_KEY",
        "PIP_NO_CACHE_DIR",
        "PYTHONUNBUFFERED",
        "PYTHONDONTWRITEBYTECODE",
        "APP_UID",
        "ASPNETCORE_HTTP_PORTS",
        "DOTNET_VERSION",
        "DOTNET_RUNNING_IN_CONTAINER",
        "MAVEN_HOME",
        "MAVEN_CONFIG",
        "NODE_ENV",
        "PGDATA",
        "JENKINS_HOME",
        "CATALINA_HOME",
    ];
    KNOWN.contains(&name) || name.ends_with("_VERSION") || name.ends_with("_HOME")
}

/// Instructions whose arguments BuildKit expands itself (`RUN`, `CMD` and
/// `ENTRYPOINT` are expanded by the shell at run time).
const EXPANDED: &[&str] = &[
    "ADD",
    "COPY",
    "ENV",
    "EXPOSE",
    "LABEL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
    "ARG",
];

pub fn undefined_var(input: &Input) -> Vec<Finding> {
    let dockerfile = input.dockerfile;
    let stages = dockerfile.stages();
    let mut out = Vec::new();
    for stage in &stages {
        let lineage = chain(&stages, stage);
        let from_scratch = lineage
            .last()
            .is_some_and(|root| root.base.eq_ignore_ascii_case("scratch"));
        for ins in stage
            .body
            .iter()
            .filter(|i| EXPANDED.contains(&i.keyword.as_str()))
        {
            let vars = scope(dockerfile, stage, ins);
            let text = if ins.keyword == "ARG" || ins.keyword == "ENV" || ins.keyword == "LABEL" {
                assignments(&ins.keyword, &ins.args)
                    .into_iter()
                    .filter_map(|(_, v)| v)
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                ins.args.clone()
            };
            let mut seen: Vec<String> = Vec::new();
            for name in references(&text) {
                // BuildKit gives every image a default PATH, `scratch` included.
                let known = vars.contains_key(&name)
                    || name == "PATH"
                    || PREDEFINED_ARGS.contains(&name.as_str())
                    || (!from_scratch && base_image_knows(&name));
                if known || seen.contains(&name) {
                    continue;
                }
                let global = super::global_args(dockerfile).contains_key(&name);
                let hint = if global {
                    format!(
                        "`ARG {name}` est déclaré avant le premier `FROM` : redéclarez-le dans l'étape \
                         (`ARG {name}` sans valeur) pour l'utiliser ici"
                    )
                } else {
                    format!("déclarez-le avant avec `ARG {name}=<valeur>` ou `ENV {name}=<valeur>`")
                };
                out.push(
                    Finding::at(
                        ins.line,
                        format!(
                            "`{}` utilise `${name}`, qui n'est pas défini ici ; {hint}",
                            ins.display()
                        ),
                    )
                    .buildkit("UndefinedVar"),
                );
                seen.push(name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn rule_maintainer_deprecated() {
        passes(
            "maintainer_deprecated",
            "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"moi@example.com\"\n",
        );
        assert_eq!(
            flagged(
                "maintainer_deprecated",
                "FROM alpine:3.20\nMAINTAINER moi <moi@example.com>\n"
            ),
            vec![Some(2)]
        );
    }

    #[test]
    fn rule_legacy_key_value() {
        passes(
            "legacy_key_value",
            "FROM alpine:3.20\nENV A=1 B=\"deux mots\"\nLABEL version=1.0\n",
        );
        let found = findings(
            "legacy_key_value",
            "FROM alpine:3.20\nENV MODE production\nLABEL description Mon app\n",
        );
        assert_eq!(
            found.iter().map(|f| f.line).collect::<Vec<_>>(),
            vec![Some(2), Some(3)]
        );
        assert!(
            found[1].message.contains("`LABEL description=\"Mon app\"`"),
            "{found:?}"
        );
    }

    #[test]
    fn rule_no_empty_continuation() {
        passes(
            "no_empty_continuation",
            "FROM alpine:3.20\nRUN apk add \\\n    # un commentaire\n    curl\n",
        );
        assert_eq!(
            flagged(
                "no_empty_continuation",
                "FROM alpine:3.20\nRUN apk add \\\n\n    curl\n"
            ),
            vec![Some(2)]
        );
    }

    #[test]
    fn rule_instruction_casing() {
        passes(
            "instruction_casing",
            "from alpine:3.20\nrun echo\ncmd [\"sh\"]\n",
        );
        assert_eq!(
            flagged(
                "instruction_casing",
                "FROM alpine:3.20\nrun echo\nCMD [\"sh\"]\nWorkdir /app\n"
            ),
            vec![Some(2), Some(4)]
        );
    }

    #[test]
    fn rule_undefined_var() {
        passes(
            "undefined_var",
            "ARG VERSION=1\nFROM alpine:3.20\nARG VERSION\nARG DIR=/srv\nENV APP=$DIR/app\nWORKDIR ${APP}\nCOPY app-${VERSION}.tar /tmp/\nENV PATH=/opt/bin:$PATH\nRUN echo $UNDECLARED_AT_RUNTIME\n",
        );
        assert_eq!(
            flagged(
                "undefined_var",
                "ARG DIR=/srv\nFROM alpine:3.20\nWORKDIR $DIR\nFROM scratch\nENV PATH=/bin:$PATH:$LANG\nCOPY $SRC /x\nWORKDIR $HOME/x\n"
            ),
            vec![Some(3), Some(5), Some(6), Some(7)]
        );
    }
}
