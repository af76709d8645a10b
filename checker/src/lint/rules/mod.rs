//! The rules, one file per family, and the one table that names them.
//!
//! A rule is a plain function from the parsed file to its findings. The table says,
//! for each, which hadolint and BuildKit rules judge the same thing: the differential
//! test (`checker/tests/lint.rs`) holds the checker to agree with them there.

mod base;
mod commands;
mod layers;
mod packages;
mod runtime;
mod secrets;
mod stages;
mod syntax;
mod user;

pub use runtime::{check_expose, parse_port};

use super::parser::{Dockerfile, Instruction, Stage};
use super::shell::{Vars, assignments, expand};
use super::{Family, Rule};

/// Every rule, in the order of the documentation.
pub const RULES: &[Rule] = &[
    Rule {
        name: "pinned_base",
        family: Family::Base,
        expects: "des images de base épinglées (tag explicite autre que `latest`)",
        hadolint: &["DL3006", "DL3007"],
        buildkit: &[],
        stricter: "les `ARG` sont développés : `ARG V=latest` puis `FROM python:${V}` est signalé, \
                   ce que hadolint ne voit pas",
        check: base::pinned_base,
    },
    Rule {
        name: "from_platform_const",
        family: Family::Base,
        expects: "pas de `FROM --platform=` avec une plateforme écrite en dur",
        hadolint: &["DL3029"],
        buildkit: &["FromPlatformFlagConstDisallowed"],
        stricter: "",
        check: base::from_platform_const,
    },
    Rule {
        name: "undefined_arg_in_from",
        family: Family::Base,
        expects: "des `FROM` qui n'utilisent que des `ARG` déclarés avant le premier `FROM`",
        hadolint: &[],
        buildkit: &["UndefinedArgInFrom"],
        stricter: "",
        check: base::undefined_arg_in_from,
    },
    Rule {
        name: "json_cmd",
        family: Family::Commands,
        expects: "`CMD` et `ENTRYPOINT` en forme JSON",
        hadolint: &["DL3025"],
        buildkit: &["JSONArgsRecommended"],
        stricter: "une image sans `CMD` ni `ENTRYPOINT` est aussi signalée (le cours en exige un) ; \
                   BuildKit se tait après une instruction `SHELL`, pas le checker",
        check: commands::json_cmd,
    },
    Rule {
        name: "multiple_instructions",
        family: Family::Commands,
        expects: "un seul `CMD`, `ENTRYPOINT` et `HEALTHCHECK` par étape",
        hadolint: &["DL4003", "DL4004", "DL3012"],
        buildkit: &["MultipleInstructionsDisallowed"],
        stricter: "",
        check: commands::multiple_instructions,
    },
    Rule {
        name: "absolute_workdir",
        family: Family::Commands,
        expects: "des `WORKDIR` absolus",
        hadolint: &["DL3000"],
        buildkit: &["WorkdirRelativePath"],
        stricter: "tout `WORKDIR` relatif est signalé, comme hadolint ; BuildKit accepte un \
                   `WORKDIR` relatif après un `WORKDIR` absolu",
        check: commands::absolute_workdir,
    },
    Rule {
        name: "workdir_not_cd",
        family: Family::Commands,
        expects: "`WORKDIR` plutôt que `cd` pour changer de dossier",
        hadolint: &["DL3003"],
        buildkit: &[],
        stricter: "",
        check: commands::workdir_not_cd,
    },
    Rule {
        name: "copy_not_add",
        family: Family::Commands,
        expects: "`COPY` plutôt que `ADD` pour les fichiers locaux",
        hadolint: &["DL3020"],
        buildkit: &[],
        stricter: "",
        check: commands::copy_not_add,
    },
    Rule {
        name: "pipefail",
        family: Family::Commands,
        expects: "`set -o pipefail` (ou `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`) avant un `RUN` avec un `|`",
        hadolint: &["DL4006"],
        buildkit: &[],
        stricter: "",
        check: commands::pipefail,
    },
    Rule {
        name: "non_root_user",
        family: Family::User,
        expects: "un `USER` non root dans l'image finale",
        hadolint: &["DL3002"],
        buildkit: &[],
        stricter: "une image finale sans aucun `USER` est signalée (le cours exige un utilisateur \
                   explicite) ; seule l'image finale est jugée, étapes dont elle hérite comprises ; \
                   `USER ${UID}` est développé",
        check: user::non_root_user,
    },
    Rule {
        name: "apt_lists_cleaned",
        family: Family::Packages,
        expects: "les index de paquets supprimés dans le `RUN` qui les télécharge",
        hadolint: &["DL3009", "DL3019"],
        buildkit: &[],
        stricter: "",
        check: packages::apt_lists_cleaned,
    },
    Rule {
        name: "no_install_recommends",
        family: Family::Packages,
        expects: "`apt-get install --no-install-recommends`",
        hadolint: &["DL3015"],
        buildkit: &[],
        stricter: "",
        check: packages::no_install_recommends,
    },
    Rule {
        name: "apt_get_not_apt",
        family: Family::Packages,
        expects: "`apt-get` plutôt que `apt` dans un `RUN`",
        hadolint: &["DL3027"],
        buildkit: &[],
        stricter: "",
        check: packages::apt_get_not_apt,
    },
    Rule {
        name: "pip_no_cache",
        family: Family::Packages,
        expects: "`pip install --no-cache-dir`",
        hadolint: &["DL3042"],
        buildkit: &[],
        stricter: "",
        check: packages::pip_no_cache,
    },
    Rule {
        name: "merged_runs",
        family: Family::Layers,
        expects: "pas de `RUN` consécutifs (commandes réunies avec `&&`)",
        hadolint: &["DL3059"],
        buildkit: &[],
        stricter: "",
        check: layers::merged_runs,
    },
    Rule {
        name: "deps_before_sources",
        family: Family::Layers,
        expects: "les dépendances copiées et installées avant les sources",
        hadolint: &[],
        buildkit: &[],
        stricter: "",
        check: layers::deps_before_sources,
    },
    Rule {
        name: "multi_stage",
        family: Family::Stages,
        expects: "une construction multi-étapes (`COPY --from=`)",
        hadolint: &[],
        buildkit: &[],
        stricter: "",
        check: stages::multi_stage,
    },
    Rule {
        name: "duplicate_stage_name",
        family: Family::Stages,
        expects: "des noms d'étapes uniques",
        hadolint: &["DL3024"],
        buildkit: &["DuplicateStageName"],
        stricter: "",
        check: stages::duplicate_stage_name,
    },
    Rule {
        name: "reserved_stage_name",
        family: Family::Stages,
        expects: "aucune étape nommée `scratch` ou `context`",
        hadolint: &[],
        buildkit: &["ReservedStageName"],
        stricter: "",
        check: stages::reserved_stage_name,
    },
    Rule {
        name: "stage_name_casing",
        family: Family::Stages,
        expects: "des noms d'étapes en minuscules",
        hadolint: &[],
        buildkit: &["StageNameCasing"],
        stricter: "",
        check: stages::stage_name_casing,
    },
    Rule {
        name: "from_as_casing",
        family: Family::Stages,
        expects: "`AS` écrit dans la même casse que `FROM`",
        hadolint: &[],
        buildkit: &["FromAsCasing"],
        stricter: "",
        check: stages::from_as_casing,
    },
    Rule {
        name: "healthcheck",
        family: Family::Runtime,
        expects: "un `HEALTHCHECK` dans l'image finale",
        hadolint: &[],
        buildkit: &[],
        stricter: "hadolint a une règle voisine (DL3057), désactivée par défaut",
        check: runtime::healthcheck,
    },
    Rule {
        name: "expose_valid",
        family: Family::Runtime,
        expects: "des `EXPOSE` qui ne déclarent qu'un port du conteneur (`EXPOSE 80`, `EXPOSE 53/udp`)",
        hadolint: &["DL3011"],
        buildkit: &["ExposeInvalidFormat", "ExposeProtoCasing"],
        stricter: "",
        check: runtime::expose_valid,
    },
    Rule {
        name: "secrets_in_arg_env",
        family: Family::Secrets,
        expects: "aucun secret dans un `ARG` ou un `ENV` (`RUN --mount=type=secret` à la place)",
        hadolint: &[],
        buildkit: &["SecretsUsedInArgOrEnv"],
        stricter: "",
        check: secrets::secrets_in_arg_env,
    },
    Rule {
        name: "secret_files",
        family: Family::Secrets,
        expects: "aucun fichier secret (`.env`, clés privées) copié dans l'image",
        hadolint: &[],
        buildkit: &[],
        stricter: "",
        check: secrets::secret_files,
    },
    Rule {
        name: "copy_ignored_file",
        family: Family::Secrets,
        expects: "aucun `COPY` d'un fichier que `.dockerignore` exclut",
        hadolint: &[],
        buildkit: &["CopyIgnoredFile"],
        stricter: "",
        check: secrets::copy_ignored_file,
    },
    Rule {
        name: "maintainer_deprecated",
        family: Family::Syntax,
        expects: "`LABEL org.opencontainers.image.authors=…` plutôt que `MAINTAINER`",
        hadolint: &["DL4000"],
        buildkit: &["MaintainerDeprecated"],
        stricter: "",
        check: syntax::maintainer_deprecated,
    },
    Rule {
        name: "legacy_key_value",
        family: Family::Syntax,
        expects: "`ENV` et `LABEL` en forme `clé=valeur`",
        hadolint: &[],
        buildkit: &["LegacyKeyValueFormat"],
        stricter: "",
        check: syntax::legacy_key_value,
    },
    Rule {
        name: "no_empty_continuation",
        family: Family::Syntax,
        expects: "aucune ligne vide au milieu d'une instruction continuée par `\\`",
        hadolint: &[],
        buildkit: &["NoEmptyContinuation"],
        stricter: "",
        check: syntax::no_empty_continuation,
    },
    Rule {
        name: "instruction_casing",
        family: Family::Syntax,
        expects: "des instructions toutes dans la même casse (de préférence en majuscules)",
        hadolint: &[],
        buildkit: &["ConsistentInstructionCasing"],
        stricter: "",
        check: syntax::instruction_casing,
    },
    Rule {
        name: "undefined_var",
        family: Family::Syntax,
        expects: "des variables déclarées (`ARG`, `ENV`) avant d'être utilisées",
        hadolint: &[],
        buildkit: &["UndefinedVar"],
        stricter: "sans Docker, l'environnement de l'image de base est inconnu : seules les \
                   variables qu'elle définit presque toujours (`PATH`, `HOME`, `*_VERSION`…) sont \
                   supposées connues",
        check: syntax::undefined_var,
    },
];

/// The stage a stage builds on when its `FROM` names an earlier stage.
pub fn parent<'s, 'a>(stages: &'s [Stage<'a>], stage: &Stage<'a>) -> Option<&'s Stage<'a>> {
    let base = stage.base.to_ascii_lowercase();
    stages[..stage.index]
        .iter()
        .rev()
        .find(|s| s.name.as_deref() == Some(base.as_str()))
}

/// A stage and the stages it builds on (`FROM build`), itself first.
pub fn chain<'a>(stages: &[Stage<'a>], stage: &Stage<'a>) -> Vec<Stage<'a>> {
    let mut out = vec![stage.clone()];
    while let Some(p) = out.last().and_then(|s| parent(stages, s)) {
        out.push(p.clone());
    }
    out
}

/// The final stage and the stages it builds on, final first: what the final image
/// inherits from this Dockerfile.
pub fn final_chain<'a>(stages: &[Stage<'a>]) -> Vec<Stage<'a>> {
    stages
        .last()
        .map(|last| chain(stages, last))
        .unwrap_or_default()
}

/// The instructions of the final image, in build order.
pub fn final_instructions<'a>(stages: &[Stage<'a>]) -> Vec<&'a Instruction> {
    final_chain(stages)
        .iter()
        .rev()
        .flat_map(|s| s.body.iter())
        .collect()
}

/// Whether a stage is part of the final image (it or a stage the final one builds on).
pub fn in_final_image(stages: &[Stage<'_>], index: usize) -> bool {
    final_chain(stages).iter().any(|s| s.index == index)
}

/// `ARG`s declared before the first `FROM`, their defaults expanded in order (`ARG
/// IMG=python:${V}` after `ARG V=3.12`): the only variables a `FROM` line can use.
pub fn global_args(dockerfile: &Dockerfile) -> Vars {
    let mut out = Vars::new();
    for ins in dockerfile.preamble().iter().filter(|i| i.keyword == "ARG") {
        for (name, value) in assignments("ARG", &ins.args) {
            let value = value.and_then(|v| expand(&v, &out));
            out.insert(name, value);
        }
    }
    out
}

/// The variables in scope just before `target` (an instruction of `stage`): global
/// `ARG`s redeclared in the stage, the stage's `ARG`s and the `ENV`s of the stages it
/// builds on and of itself.
pub fn scope(dockerfile: &Dockerfile, stage: &Stage<'_>, target: &Instruction) -> Vars {
    let globals = global_args(dockerfile);
    let stages = dockerfile.stages();
    let mut lineage = chain(&stages, stage);
    lineage.reverse();
    let mut env = Vars::new();
    let mut args = Vars::new();
    let merged = |args: &Vars, env: &Vars| {
        let mut all = args.clone();
        all.extend(env.iter().map(|(k, v)| (k.clone(), v.clone())));
        all
    };
    for s in &lineage {
        // ARGs do not cross stages; ENVs do.
        args.clear();
        for ins in s.body {
            if std::ptr::eq(ins, target) {
                return merged(&args, &env);
            }
            if ins.keyword != "ARG" && ins.keyword != "ENV" {
                continue;
            }
            for (name, value) in assignments(&ins.keyword, &ins.args) {
                let known = merged(&args, &env);
                let value = match value {
                    Some(v) => expand(&v, &known),
                    None => globals.get(&name).cloned().flatten(),
                };
                if ins.keyword == "ENV" {
                    env.insert(name, value);
                } else {
                    args.insert(name, value);
                }
            }
        }
    }
    merged(&args, &env)
}

/// The sources of a `COPY`/`ADD` (every word but the destination).
pub fn sources(ins: &Instruction) -> Vec<String> {
    let mut words = ins.words();
    words.pop();
    words
}

/// `*` and `?` glob matching, for `COPY package*.json ./` and `.dockerignore`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
pub mod testing {
    //! Helpers for the rules' tests: the lines a rule flags.
    use crate::lint::{Finding, Input, parser::Dockerfile, rule, run};

    pub fn findings(name: &str, text: &str) -> Vec<Finding> {
        let df = Dockerfile::parse(text);
        let input = Input {
            dockerfile: &df,
            dockerignore: None,
        };
        run(&input, &[rule(name).expect("known rule")], false)
    }

    pub fn flagged(name: &str, text: &str) -> Vec<Option<usize>> {
        findings(name, text).iter().map(|f| f.line).collect()
    }

    pub fn passes(name: &str, text: &str) {
        let found = findings(name, text);
        assert!(found.is_empty(), "{name} should pass:\n{text}\n{found:#?}");
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
    }

    #[test]
    fn every_rule_finds_something_in_a_bad_file() {
        // A Dockerfile breaking every rule: each rule must say something about it.
        let bad = "FROM --platform=linux/amd64 python AS Build\nMAINTAINER moi\nARG API_TOKEN=x\nENV MODE prod\nRUN apt update && apt-get update && apt-get install -y curl \\\n\n    && cd /tmp && pip install flask | tee log\nWORKDIR app\nCOPY ${NOPE} /x\nADD . .\nCOPY .env /app/\nEXPOSE 8080:80\nCMD python app.py\nCMD python app.py\nfrom build AS scratch\nFROM ${UNDECLARED} AS build\nFROM build\nRUN apt-get update\nRUN true\n";
        let mut dockerfile_copy_ignored = None;
        for rule in RULES {
            let df = Dockerfile::parse(bad);
            let ignore = (rule.name == "copy_ignored_file").then_some(".env\n");
            dockerfile_copy_ignored = dockerfile_copy_ignored.or(ignore);
            let input = crate::lint::Input {
                dockerfile: &df,
                dockerignore: ignore,
            };
            assert!(!(rule.check)(&input).is_empty(), "{}", rule.name);
        }
        assert!(dockerfile_copy_ignored.is_some());
    }

    /// B12: nested `ARG` defaults are expanded.
    #[test]
    fn b12_nested_arg_defaults() {
        let df = Dockerfile::parse("ARG V=latest\nARG IMG=python:${V}\nFROM ${IMG}\n");
        assert_eq!(
            global_args(&df).get("IMG").cloned().flatten().as_deref(),
            Some("python:latest")
        );
        assert_eq!(
            flagged(
                "pinned_base",
                "ARG V=latest\nARG IMG=python:${V}\nFROM ${IMG}\n"
            ),
            vec![Some(3)]
        );
        let text = "FROM python:3.12-slim\nARG UID=0\nUSER ${UID}\n";
        assert_eq!(flagged("non_root_user", text), vec![Some(3)]);
    }

    #[test]
    fn scope_follows_stages() {
        let text =
            "ARG G=1\nFROM alpine:3.20 AS a\nARG G\nENV E=$G\nARG L=2\nFROM a\nARG L\nLABEL x=y\n";
        let df = Dockerfile::parse(text);
        let stages = df.stages();
        let label = &stages[1].body[1];
        let vars = scope(&df, &stages[1], label);
        assert_eq!(vars.get("E").cloned().flatten().as_deref(), Some("1"));
        assert_eq!(vars.get("L"), Some(&None));
        assert!(!vars.contains_key("G"));
    }
}
