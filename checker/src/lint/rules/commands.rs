//! Instructions and their forms: JSON `CMD`, one `CMD` per stage, absolute `WORKDIR`,
//! `COPY` rather than `ADD`, `WORKDIR` rather than `cd`, `pipefail` before a pipe.

use super::syntax::base_image_knows;
use super::{final_instructions, scope, sources};
use crate::lint::parser::{Dockerfile, Instruction, Stage};
use crate::lint::shell::{commands, expand, has_pipe, references, shell_words};
use crate::lint::{Finding, Input};

/// The JSON form of a shell-form command, for the suggestion.
fn json_suggestion(keyword: &str, args: &str) -> String {
    let shell = ["&&", "||", "|", ";", ">", "<", "$", "*"];
    let words: Vec<String> = if shell.iter().any(|s| args.contains(s)) {
        vec!["sh".to_string(), "-c".to_string(), args.to_string()]
    } else {
        shell_words(args)
    };
    let quoted: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_else(|_| format!("\"{w}\"")))
        .collect();
    format!("{keyword} [{}]", quoted.join(", "))
}

/// `CMD ['python', 'app.py']` → `CMD ["python", "app.py"]`: the JSON a student meant.
fn fixed_json(keyword: &str, args: &str) -> String {
    let inner = args.trim().trim_start_matches('[').trim_end_matches(']');
    let quoted: Vec<String> = inner
        .split(',')
        .map(|w| w.trim().trim_matches(|c| c == '\'' || c == '"' || c == '`'))
        .filter(|w| !w.is_empty())
        .map(|w| serde_json::to_string(w).unwrap_or_else(|_| format!("\"{w}\"")))
        .collect();
    format!("{keyword} [{}]", quoted.join(", "))
}

pub fn json_cmd(input: &Input) -> Vec<Finding> {
    let dockerfile = input.dockerfile;
    let mut out = Vec::new();
    for stage in dockerfile.stages() {
        let mut shell_set = false;
        for ins in stage.body {
            if ins.keyword == "SHELL" {
                shell_set = true;
            }
            if (ins.keyword != "CMD" && ins.keyword != "ENTRYPOINT") || ins.json.is_some() {
                continue;
            }
            let display = ins.display();
            let finding = if ins.args.starts_with('[') {
                Finding::at(
                    ins.line,
                    format!(
                        "`{display}` n'est pas du JSON valide (guillemets doubles obligatoires) : Docker le lance \
                         alors en forme shell ; écrivez par exemple `{}`",
                        fixed_json(&ins.keyword, &ins.args)
                    ),
                )
            } else {
                Finding::at(
                    ins.line,
                    format!(
                        "`{display}` est en forme shell (lancé par `/bin/sh -c`, le processus ne reçoit pas \
                         les signaux d'arrêt) ; écrivez la forme JSON `{}`",
                        json_suggestion(&ins.keyword, &ins.args)
                    ),
                )
            }
            .hadolint("DL3025");
            out.push(if shell_set {
                finding
            } else {
                finding.buildkit("JSONArgsRecommended")
            });
        }
    }
    let stages = dockerfile.stages();
    let has_command = final_instructions(&stages)
        .iter()
        .any(|i| i.keyword == "CMD" || i.keyword == "ENTRYPOINT");
    if !stages.is_empty() && !has_command {
        out.push(Finding::global(
            "l'image finale n'a ni `CMD` ni `ENTRYPOINT` : ajoutez par exemple `CMD [\"python\", \"app.py\"]`",
        ));
    }
    out
}

pub fn multiple_instructions(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for stage in input.dockerfile.stages() {
        for (keyword, code) in [
            ("CMD", "DL4003"),
            ("ENTRYPOINT", "DL4004"),
            ("HEALTHCHECK", "DL3012"),
        ] {
            let same: Vec<&Instruction> =
                stage.body.iter().filter(|i| i.keyword == keyword).collect();
            let Some(last) = same.last() else { continue };
            for pair in same.windows(2) {
                out.push(
                    Finding::at(
                        pair[0].line,
                        format!(
                            "`{}` ne sert à rien : seul le dernier `{keyword}` d'une étape compte (ligne {}) ; \
                             supprimez celui-ci",
                            pair[0].display(),
                            last.line
                        ),
                    )
                    .hadolint_at(code, pair[1].line)
                    .buildkit("MultipleInstructionsDisallowed"),
                );
            }
        }
    }
    out
}

fn is_absolute(path: &str) -> bool {
    path.starts_with('/')
        || path.starts_with('$')
        || path.get(1..3).is_some_and(|s| s == ":\\" || s == ":/")
}

/// A `WORKDIR` path as BuildKit reads it: variables expanded, an undeclared one empty
/// (`WORKDIR $NOPE/app` is `/app`, `WORKDIR $NOPE` is relative); `None` when it depends
/// on a `--build-arg`.
fn expanded_workdir(
    dockerfile: &Dockerfile,
    stage: &Stage<'_>,
    ins: &Instruction,
) -> Option<String> {
    let path = unquoted(&ins.args);
    if !path.contains('$') {
        return Some(path.to_string());
    }
    let mut vars = scope(dockerfile, stage, ins);
    for name in references(path) {
        if !vars.contains_key(&name) && name != "PATH" && !base_image_knows(&name) {
            vars.insert(name, Some(String::new()));
        }
    }
    expand(path, &vars)
}

pub fn absolute_workdir(input: &Input) -> Vec<Finding> {
    let dockerfile: &Dockerfile = input.dockerfile;
    let stages = dockerfile.stages();
    let mut out = Vec::new();
    for stage in &stages {
        // BuildKit is satisfied once an absolute WORKDIR was set in the stage's lineage.
        let mut absolute_seen = super::chain(&stages, stage)
            .iter()
            .skip(1)
            .flat_map(|s| s.body.iter())
            .any(|i| i.keyword == "WORKDIR" && is_absolute(unquoted(&i.args)));
        for ins in stage.body.iter().filter(|i| i.keyword == "WORKDIR") {
            let path = unquoted(&ins.args);
            // hadolint accepts any path starting with a variable; BuildKit expands it.
            let literal_ok = is_absolute(path);
            let expanded_ok = expanded_workdir(dockerfile, stage, ins)
                .is_none_or(|p| is_absolute(&p) && !p.starts_with('$'));
            if literal_ok && expanded_ok {
                absolute_seen = true;
                continue;
            }
            let mut finding = Finding::at(
                ins.line,
                if literal_ok {
                    format!(
                        "`{}` devient un chemin relatif une fois ses variables remplacées (une variable non \
                         déclarée est vide) ; déclarez-la avec `ARG` ou `ENV`, ou écrivez un chemin absolu",
                        ins.display()
                    )
                } else {
                    format!(
                        "`{}` est un chemin relatif (il dépend du `WORKDIR` précédent) ; écrivez un chemin \
                         absolu, par exemple `WORKDIR /{}`",
                        ins.display(),
                        path.trim_start_matches("./")
                    )
                },
            );
            if !literal_ok {
                finding = finding.hadolint("DL3000");
            }
            out.push(if absolute_seen {
                finding
            } else {
                finding.buildkit("WorkdirRelativePath")
            });
        }
    }
    out
}

fn unquoted(args: &str) -> &str {
    args.trim().trim_matches(|c| c == '"' || c == '\'')
}

pub fn workdir_not_cd(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in input.dockerfile.with(&["RUN"]) {
        let cds: Vec<String> = commands(&ins.command())
            .into_iter()
            .filter(|c| c.program() == "cd")
            .map(|c| c.words.get(1).cloned().unwrap_or_default())
            .collect();
        if let Some(dir) = cds.first() {
            let example = if dir.starts_with('/') {
                dir.clone()
            } else {
                "/app".to_string()
            };
            out.push(
                Finding::at(
                    ins.line,
                    format!(
                        "ce `RUN` change de dossier avec `cd {dir}`, ce qui ne vaut que pour lui ; \
                         écrivez plutôt `WORKDIR {example}` avant le `RUN`"
                    ),
                )
                .hadolint("DL3003"),
            );
        }
    }
    out
}

fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("git@")
}

fn is_tar_archive(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    [
        ".tar",
        ".tar.gz",
        ".tgz",
        ".tar.xz",
        ".txz",
        ".tar.bz2",
        ".tbz2",
        ".tbz",
        ".tb2",
        ".tar.zst",
        ".tar.lz",
        ".tar.lzma",
        ".tlz",
        ".gz",
        ".bz2",
        ".xz",
        ".zst",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

pub fn copy_not_add(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in input.dockerfile.with(&["ADD"]) {
        let local: Vec<String> = sources(ins)
            .into_iter()
            .filter(|s| !is_remote(s) && !is_tar_archive(s) && !s.starts_with("<<"))
            .collect();
        if !local.is_empty() {
            let display = ins.display();
            let rest = display.get(3..).unwrap_or_default().trim_start();
            out.push(
                Finding::at(
                    ins.line,
                    format!(
                        "`{display}` copie des fichiers locaux avec `ADD` ; utilisez `COPY {rest}` \
                         (`ADD` est réservé aux URL et aux archives tar à extraire)"
                    ),
                )
                .hadolint("DL3020"),
            );
        }
    }
    out
}

/// Whether a `SHELL` instruction turns `pipefail` on, or uses a shell where it does
/// not apply (PowerShell, cmd).
fn shell_handles_pipes(shell: &Instruction) -> bool {
    let words = shell.words();
    let program = words
        .first()
        .map(|w| {
            w.rsplit(['/', '\\'])
                .next()
                .unwrap_or(w)
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let posix = ["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]
        .contains(&program.trim_end_matches(".exe"));
    !posix
        || words
            .windows(2)
            .any(|w| w[0].starts_with('-') && w[0].ends_with('o') && w[1] == "pipefail")
}

pub fn pipefail(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for stage in input.dockerfile.stages() {
        let mut safe = false;
        for ins in stage.body {
            if ins.keyword == "SHELL" {
                safe = shell_handles_pipes(ins);
            }
            if ins.keyword != "RUN" || ins.json.is_some() || safe {
                continue;
            }
            let script = ins.command();
            if !has_pipe(&script) {
                continue;
            }
            let cmds = commands(&script);
            let pipe = cmds.iter().position(|c| c.piped);
            let inline = cmds[..pipe.unwrap_or(cmds.len())].iter().any(|c| {
                c.program() == "set"
                    && c.words
                        .windows(2)
                        .any(|w| w[0].starts_with('-') && w[0].ends_with('o') && w[1] == "pipefail")
            });
            if inline {
                continue;
            }
            let piped = pipe
                .map(|p| format!("`{}`", cmds[p].program()))
                .unwrap_or_else(|| "une commande".to_string());
            out.push(
                Finding::at(
                    ins.line,
                    format!(
                        "`{}` envoie {piped} dans un tube (`|`) : si cette commande échoue, le `RUN` réussit \
                         quand même ; ajoutez avant lui `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` \
                         (ou commencez par `set -o pipefail &&` si le shell le connaît)",
                        ins.display()
                    ),
                )
                .hadolint("DL4006"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn rule_json_cmd() {
        passes(
            "json_cmd",
            "FROM alpine:3.20\nENTRYPOINT [\"python\"]\nCMD [\"app.py\"]\n",
        );
        assert_eq!(
            flagged(
                "json_cmd",
                "FROM alpine:3.20\nENTRYPOINT [\"python\"]\nCMD app.py\n"
            ),
            vec![Some(3)]
        );
        assert_eq!(
            flagged("json_cmd", "FROM alpine:3.20\nCMD ['python', 'app.py']\n"),
            vec![Some(2)]
        );
        assert_eq!(flagged("json_cmd", "FROM alpine:3.20\n"), vec![None]);
        let message = &findings("json_cmd", "FROM alpine:3.20\nCMD python app.py\n")[0].message;
        assert!(
            message.contains(r#"`CMD ["python", "app.py"]`"#),
            "{message}"
        );
        let message =
            &findings("json_cmd", "FROM alpine:3.20\nCMD ['python', 'app.py']\n")[0].message;
        assert!(
            message.contains(r#"`CMD ["python", "app.py"]`"#),
            "{message}"
        );
        // BuildKit says nothing once SHELL changed the shell; hadolint still does.
        let found = findings(
            "json_cmd",
            "FROM alpine:3.20\nSHELL [\"/bin/ash\", \"-c\"]\nCMD echo hi\n",
        );
        assert_eq!(found[0].buildkit, None);
        assert_eq!(found[0].hadolint, Some(("DL3025", 3)));
    }

    #[test]
    fn rule_multiple_instructions() {
        passes(
            "multiple_instructions",
            "FROM alpine:3.20 AS a\nCMD [\"a\"]\nFROM alpine:3.20\nCMD [\"b\"]\n",
        );
        let found = findings(
            "multiple_instructions",
            "FROM alpine:3.20\nCMD [\"a\"]\nENTRYPOINT [\"x\"]\nCMD [\"b\"]\nCMD [\"c\"]\n",
        );
        let lines: Vec<_> = found.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![Some(2), Some(4)]);
        assert_eq!(found[0].hadolint, Some(("DL4003", 4)));
        assert_eq!(
            found[0].buildkit,
            Some(("MultipleInstructionsDisallowed", 2))
        );
    }

    #[test]
    fn rule_absolute_workdir() {
        passes(
            "absolute_workdir",
            "FROM alpine:3.20\nWORKDIR /app\nWORKDIR $HOME/src\nWORKDIR \"/srv\"\nWORKDIR C:\\app\n",
        );
        let found = findings(
            "absolute_workdir",
            "FROM alpine:3.20\nWORKDIR src\nWORKDIR /app\nworkdir src\nWORKDIR $NOPE\nARG D=/srv\nWORKDIR $D\n",
        );
        assert_eq!(
            found.iter().map(|f| f.line).collect::<Vec<_>>(),
            vec![Some(2), Some(4), Some(5)]
        );
        // `$NOPE` is empty: BuildKit's finding only, after an absolute WORKDIR none.
        assert_eq!(found[2].hadolint, None);
        assert!(found[0].buildkit.is_some());
        assert!(found[1].buildkit.is_none());
    }

    #[test]
    fn rule_workdir_not_cd() {
        passes(
            "workdir_not_cd",
            "FROM alpine:3.20\nWORKDIR /app\nRUN make && echo 'cd x'\n",
        );
        assert_eq!(
            flagged(
                "workdir_not_cd",
                "FROM alpine:3.20\nRUN git clone x /src\nRUN cd /src && make\n"
            ),
            vec![Some(3)]
        );
    }

    #[test]
    fn rule_copy_not_add() {
        passes(
            "copy_not_add",
            "FROM alpine:3.20\nADD https://example.com/x.txt /x\nADD rootfs.tar.gz /\nADD [\"site.tgz\", \"/srv\"]\nCOPY . /app\n",
        );
        assert_eq!(
            flagged(
                "copy_not_add",
                "FROM alpine:3.20\nADD rootfs.tar.gz /\nADD . /app\n"
            ),
            vec![Some(3)]
        );
        let message = &findings("copy_not_add", "FROM alpine:3.20\nADD . /app\n")[0].message;
        assert!(message.contains("`COPY . /app`"), "{message}");
    }

    #[test]
    fn rule_pipefail() {
        passes(
            "pipefail",
            "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsS x | tar xz\nRUN a || b\nRUN echo 'a | b'\n",
        );
        passes(
            "pipefail",
            "FROM alpine:3.20\nRUN set -eux -o pipefail; wget -qO- x | tar xz\n",
        );
        passes(
            "pipefail",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n",
        );
        assert_eq!(
            flagged(
                "pipefail",
                "FROM debian:12\nRUN curl -fsS https://x | sh\nRUN v=\"$(a | b)\"\nFROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n"
            ),
            vec![Some(2), Some(3)]
        );
    }
}
