//! `checker lint` against the two reference linters, on the corpus of
//! `tests/data/dockerfiles/` (written for this project: hand-*.Dockerfile one edge case
//! each, gen-*.Dockerfile from `generate.py`).
//!
//! Where a checker rule shares its meaning with a hadolint rule or a `docker build
//! --check` rule, every finding of one must be a finding of the other, on the same
//! line. Each disagreement must be listed below with its reason (the checker is
//! deliberately different, or right where the tool is wrong); a listed reason that no
//! longer matches anything fails too, so the list stays true. The figures per rule are
//! printed (`cargo test --test lint -- --nocapture`) for the instructors' page
//! `book/formateurs/regles-dockerfile.md`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use checker::lint::output::lint_file;
use checker::lint::{Dockerfile, RULES, all_rules};
use regex::Regex;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dockerfiles")
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Who reports a finding the other does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    /// The reference tool reports it, the checker does not.
    Tool,
    /// The checker reports it, the reference tool does not.
    Checker,
}

/// A disagreement accepted, with why.
struct Explained {
    /// The tool's rule (`DL3025`, `JSONArgsRecommended`).
    rule: &'static str,
    side: Side,
    /// Only in this file (else in any file).
    file: Option<&'static str>,
    /// A pattern the line of the instruction matches.
    line: &'static str,
    why: &'static str,
}

const fn tool(rule: &'static str, line: &'static str, why: &'static str) -> Explained {
    Explained {
        rule,
        side: Side::Tool,
        file: None,
        line,
        why,
    }
}

const fn ours(rule: &'static str, line: &'static str, why: &'static str) -> Explained {
    Explained {
        rule,
        side: Side::Checker,
        file: None,
        line,
        why,
    }
}

const fn only_in(mut e: Explained, file: &'static str) -> Explained {
    e.file = Some(file);
    e
}

/// hadolint 2.15.1: where it and the checker differ on purpose.
const HADOLINT_EXPLAINED: &[Explained] = &[
    tool(
        "DL3019",
        r"apk update && apk add .*&& rm -rf /var/cache/apk",
        "l'index apk est supprimé dans le même RUN : la couche n'en garde rien (hadolint ne regarde que --no-cache)",
    ),
    tool(
        "DL4006",
        r"set (-[a-z]*o|-[a-z]+ -o) pipefail",
        "pipefail est activé dans le RUN lui-même ; là où le shell ne le connaît pas (dash), `set -o pipefail` échoue bruyamment, jamais en silence",
    ),
    tool(
        "DL3009",
        r"apt-get dist-clean",
        "`apt-get dist-clean` (APT ≥ 2.7.8) supprime les index : hadolint ne connaît que `rm -rf /var/lib/apt/lists/*` (B3)",
    ),
    tool(
        "DL3025",
        r"^HEALTHCHECK ",
        "hadolint prend `HEALTHCHECK CMD …` pour un CMD ; la forme shell d'une sonde est celle que documente Docker (elle ne reçoit pas de signal d'arrêt)",
    ),
    tool(
        "DL3020",
        r"^ADD git@",
        "`ADD` d'un dépôt Git est une fonction propre à ADD, que COPY n'a pas",
    ),
    tool(
        "DL3042",
        r"^ONBUILD RUN ",
        "un déclencheur ONBUILD s'exécute dans l'image qui en hérite : le checker ne juge que les instructions de ce fichier",
    ),
    only_in(
        tool(
            "DL3025",
            r"^CMD echo hi",
            "`# check=skip=JSONArgsRecommended` : le checker honore les directives de BuildKit, hadolint les ignore",
        ),
        "hand-check-skip.Dockerfile",
    ),
    only_in(
        tool(
            "DL3002",
            r"^USER root",
            "ce USER est remplacé plus loin dans l'image finale (USER 0:0, signalé) : seul le dernier USER compte",
        ),
        "hand-user-variants.Dockerfile",
    ),
    ours(
        "DL3006",
        r"^FROM localhost:5000/app$",
        "hadolint lit `5000/app` comme un tag : une image d'un registre avec port, sans tag, prend `latest`",
    ),
    ours(
        "DL3024",
        r"^FROM golang:1.22 as build",
        "BuildKit met les noms d'étapes en minuscules : `Build` et `build` sont le même nom, hadolint les compare tels quels",
    ),
];

/// Files hadolint 2.15.1 cannot parse (it then reports DL1000 only): nothing to compare.
const HADOLINT_UNPARSED: &[(&str, &str)] = &[
    (
        "hand-args-default-tag.Dockerfile",
        "`${TAG:-3.12}` dans un FROM",
    ),
    (
        "hand-b07-heredoc-hyphen.Dockerfile",
        "heredoc (`RUN <<END-OF-SCRIPT`)",
    ),
    (
        "hand-b08-escaped-backslash.Dockerfile",
        "`\\\\` en fin de ligne (B8)",
    ),
    (
        "hand-b09-onbuild-heredoc.Dockerfile",
        "heredoc sous ONBUILD",
    ),
    (
        "hand-expose-host-port.Dockerfile",
        "`EXPOSE 8080:80` (hôte:conteneur)",
    ),
    ("hand-heredoc-copy.Dockerfile", "heredocs de COPY"),
    ("hand-heredoc-run-apt.Dockerfile", "heredoc de RUN"),
    ("hand-heredoc-two.Dockerfile", "deux heredocs sur un RUN"),
];

/// `docker build --check` (BuildKit of Engine 28.5): where it and the checker differ.
const BUILDKIT_EXPLAINED: &[Explained] = &[
    tool(
        "UndefinedVar",
        r"\$APP_UID",
        "les images .NET définissent APP_UID ; l'image de substitution (busybox) utilisée ici, faute de registre, ne le définit pas",
    ),
    tool(
        "WorkdirRelativePath",
        r"^WORKDIR [A-Za-z]:\\",
        "chemin Windows absolu (`C:\\app`) : BuildKit le juge pour une plateforme Linux, le checker comme Windows le lira",
    ),
    only_in(
        tool(
            "JSONArgsRecommended",
            r"^CMD echo hi",
            "`# hadolint global ignore=DL3025` : le checker honore ce commentaire pour toute la règle",
        ),
        "hand-hadolint-ignores.Dockerfile",
    ),
];

/// Files BuildKit refuses to build (an error, not warnings): nothing to compare.
const BUILDKIT_REFUSED: &[(&str, &str)] = &[
    (
        "hand-args-bases.Dockerfile",
        "`ARG TAG` sans valeur dans un FROM : BuildKit exige `--build-arg TAG=…` (le checker l'accepte : la version est donnée à la construction)",
    ),
    (
        "hand-expose.Dockerfile",
        "`EXPOSE 70000` est une erreur pour BuildKit (le checker la signale aussi, comme hadolint DL3011)",
    ),
    (
        "hand-platform.Dockerfile",
        "`FROM --platform=linux/arm64` : l'image de substitution n'existe que pour amd64 et le registre est injoignable ici",
    ),
];

/// `(file, rule, line)` triples.
type Findings = BTreeSet<(String, String, usize)>;

/// What the checker says on the corpus, as the equivalents it names for `tool`.
fn checker_findings(files: &[PathBuf], hadolint: bool) -> Findings {
    let rules = all_rules();
    let mut out = Findings::new();
    for file in files {
        let report = lint_file(file, &rules).expect("corpus file readable");
        for f in report.findings {
            let equivalent = if hadolint { f.hadolint } else { f.buildkit };
            if let Some((rule, line)) = equivalent {
                out.insert((name(file), rule.to_string(), line));
            }
        }
    }
    out
}

/// The lines of a corpus file, for the explanations' patterns.
fn lines_of(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(corpus().join(file)).unwrap_or_default();
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.trim().to_string())
        .collect()
}

/// Compares, prints the figures per rule, and fails on any unexplained disagreement
/// or unused explanation.
fn compare(tool_name: &str, theirs: &Findings, mine: &Findings, explained: &[Explained]) {
    let patterns: Vec<Regex> = explained
        .iter()
        .map(|e| Regex::new(e.line).expect("explanation pattern"))
        .collect();
    let mut used = vec![0usize; explained.len()];
    let mut unexplained = Vec::new();
    // Per tool rule: (agreed, explained).
    let mut figures: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in theirs.intersection(mine) {
        figures.entry(item.1.clone()).or_default().0 += 1;
    }
    let differences = theirs
        .difference(mine)
        .map(|d| (d, Side::Tool))
        .chain(mine.difference(theirs).map(|d| (d, Side::Checker)));
    for ((file, rule, line), side) in differences {
        let lines = texts.entry(file.clone()).or_insert_with(|| lines_of(file));
        let text = lines
            .get(line.saturating_sub(1))
            .cloned()
            .unwrap_or_default();
        let found = explained.iter().zip(&patterns).position(|(e, re)| {
            e.rule == rule
                && e.side == side
                && e.file.is_none_or(|f| f == file)
                && re.is_match(&text)
        });
        match found {
            Some(i) => {
                used[i] += 1;
                figures.entry(rule.clone()).or_default().1 += 1;
            }
            None => unexplained.push(format!(
                "{file}:{line} {rule} ({}) : {text}",
                match side {
                    Side::Tool => format!("{tool_name} seul"),
                    Side::Checker => "checker seul".to_string(),
                }
            )),
        }
    }
    println!("\n{tool_name} : règle, accords, différences expliquées");
    for (rule, (agreed, diff)) in &figures {
        println!("| `{rule}` | {agreed} | {diff} |");
    }
    let stale: Vec<String> = explained
        .iter()
        .zip(&used)
        .filter(|(_, n)| **n == 0)
        .map(|(e, _)| format!("{} {:?} `{}` : {}", e.rule, e.side, e.line, e.why))
        .collect();
    assert!(
        unexplained.is_empty(),
        "désaccords avec {tool_name} sans explication :\n{}",
        unexplained.join("\n")
    );
    assert!(
        stale.is_empty(),
        "explications qui ne servent plus :\n{}",
        stale.join("\n")
    );
}

fn hadolint() -> PathBuf {
    if let Some(path) = std::env::var_os("HADOLINT") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/hadolint/bin/hadolint")
}

#[test]
fn corpus_is_large_and_varied() {
    let files = corpus_files();
    assert!(files.len() >= 150, "{} fichiers", files.len());
    let texts: Vec<String> = files
        .iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("read")).into_owned())
        .collect();
    let count = |pattern: &str| texts.iter().filter(|t| t.contains(pattern)).count();
    for (pattern, at_least) in [
        ("\u{feff}", 2),
        ("\r\n", 2),
        ("# escape=`", 3),
        ("<<EOF", 3),
        ("--mount=type=cache", 10),
        ("--mount=type=bind", 5),
        ("--mount=type=secret", 3),
        ("apt-get install", 20),
        ("apk add", 15),
        ("COPY --from=", 40),
        ("FROM ${", 5),
    ] {
        assert!(
            count(pattern) >= at_least,
            "{pattern:?} : {}",
            count(pattern)
        );
    }
    // Every file parses into at least one stage (the corpus is of real Dockerfiles).
    for (file, text) in files.iter().zip(&texts) {
        assert!(
            !Dockerfile::parse(text).stages().is_empty(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn agrees_with_hadolint() {
    let files = corpus_files();
    let binary = hadolint();
    let output = Command::new(&binary)
        .args(["--no-fail", "--no-color", "-f", "json"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "hadolint introuvable ({}) : {e} ; lancez checker/tests/rig/prepare.sh, qui l'installe",
                binary.display()
            )
        });
    assert!(output.status.success(), "hadolint : {output:?}");
    let reports: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("hadolint JSON");
    let mapped: BTreeSet<&str> = RULES
        .iter()
        .flat_map(|r| r.hadolint.iter().copied())
        .collect();
    let mut unparsed = BTreeSet::new();
    let mut theirs = Findings::new();
    for r in &reports {
        let file = name(Path::new(r["file"].as_str().unwrap_or_default()));
        let code = r["code"].as_str().unwrap_or_default();
        if code == "DL1000" {
            unparsed.insert(file);
            continue;
        }
        if mapped.contains(code) {
            let line = r["line"].as_u64().unwrap_or_default() as usize;
            theirs.insert((file, code.to_string(), line));
        }
    }
    let expected: BTreeSet<String> = HADOLINT_UNPARSED
        .iter()
        .map(|(f, _)| f.to_string())
        .collect();
    assert_eq!(unparsed, expected, "fichiers que hadolint ne sait pas lire");
    let compared: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| !unparsed.contains(&name(f)))
        .collect();
    let mine = checker_findings(&compared, true);
    compare("hadolint", &theirs, &mine, HADOLINT_EXPLAINED);
}

/// The Docker CLI the rig puts first on PATH (28.5, with buildx).
fn docker_cli() -> String {
    std::env::var("DOCKER_CLI").unwrap_or_else(|_| "docker".to_string())
}

/// The base images a file pulls (stages and `scratch` excepted), `ARG` defaults
/// expanded: each is replaced by the stand-in busybox with `--build-context`, since
/// there is no registry to resolve them from here.
fn external_bases(text: &str) -> Vec<String> {
    let df = Dockerfile::parse(text);
    let args = checker::lint::rules::global_args(&df);
    let stages = df.stages();
    let mut out = Vec::new();
    for stage in &stages {
        let lower = stage.base.to_ascii_lowercase();
        let earlier = stages[..stage.index]
            .iter()
            .any(|s| s.name.as_deref() == Some(lower.as_str()));
        if earlier || lower == "scratch" {
            continue;
        }
        if let Some(base) = checker::lint::shell::expand(stage.base, &args)
            && !base.is_empty()
            && !out.contains(&base)
        {
            out.push(base);
        }
    }
    out
}

/// The file BuildKit checks: a `# syntax=docker/dockerfile:1` directive would fetch that
/// frontend from Docker Hub, unreachable here; it becomes `# escape=\\` (the default,
/// still a directive, so a `# check=` after it keeps its meaning and every line its
/// number), and the engine's built-in frontend does the check.
fn offline(text: &str) -> String {
    let df = Dockerfile::parse(text);
    let Some((_, _, line)) = df.directives.iter().find(|(k, _, _)| k == "syntax") else {
        return text.to_string();
    };
    assert!(
        df.directive("escape").is_none(),
        "syntax et escape dans le même fichier : à adapter"
    );
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == *line {
                let end = if l.ends_with("\r\n") { "\r\n" } else { "\n" };
                format!("# escape=\\{end}")
            } else {
                l.to_string()
            }
        })
        .collect()
}

#[test]
fn agrees_with_docker_build_check() {
    // BuildKit writes its cache on the shared engine: inside the rig, under its lock.
    docker_test!();
    let cli = docker_cli();
    let version = Command::new(&cli).args(["buildx", "version"]).output();
    assert!(
        version.as_ref().is_ok_and(|o| o.status.success()),
        "`{cli} buildx version` ne répond pas ({version:?}) : le rig (checker/tests/rig/prepare.sh) \
         installe Docker 28.5 et buildx, et test.sh met son CLI en tête du PATH"
    );
    let context = tempfile::tempdir().expect("tempdir");
    let files = corpus_files();
    let mapped: BTreeSet<&str> = RULES
        .iter()
        .flat_map(|r| r.buildkit.iter().copied())
        .collect();
    let mut theirs = Findings::new();
    let mut refused = BTreeMap::new();
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).expect("read")).into_owned();
        let copy = context.path().join(name(file));
        std::fs::write(&copy, offline(&text)).expect("write the offline copy");
        let mut command = Command::new(&cli);
        command.args([
            "buildx",
            "build",
            "--call=check,format=json",
            "--progress=quiet",
        ]);
        for base in external_bases(&text) {
            command.arg(format!(
                "--build-context={base}=docker-image://standin/busybox:latest"
            ));
        }
        command.arg("-f").arg(&copy).arg(context.path());
        let output = command.output().expect("docker buildx build");
        // Warnings alone exit 1 too; an error (the build would fail) says `ERROR:`.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let report: Option<serde_json::Value> = serde_json::from_slice(&output.stdout).ok();
        let error = stderr.lines().find(|l| l.contains("ERROR:"));
        let Some(report) = report.filter(|_| error.is_none()) else {
            let why = error.unwrap_or_else(|| stderr.lines().next().unwrap_or_default());
            refused.insert(name(file), why.to_string());
            continue;
        };
        for w in report["warnings"].as_array().into_iter().flatten() {
            let rule = w["ruleName"].as_str().unwrap_or_default();
            let line = w["location"]["ranges"][0]["start"]["line"]
                .as_u64()
                .unwrap_or_default() as usize;
            if mapped.contains(rule) {
                theirs.insert((name(file), rule.to_string(), line));
            }
        }
    }
    let expected: BTreeSet<String> = BUILDKIT_REFUSED
        .iter()
        .map(|(f, _)| f.to_string())
        .collect();
    assert_eq!(
        refused.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "fichiers que BuildKit refuse : {refused:#?}"
    );
    let compared: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| !refused.contains_key(&name(f)))
        .collect();
    let mine = checker_findings(&compared, false);
    compare("docker build --check", &theirs, &mine, BUILDKIT_EXPLAINED);
}

/// `checker lint` as a person uses it, with no Docker daemon to answer.
#[test]
fn lint_command_needs_no_daemon() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("Dockerfile");
    std::fs::write(
        &bad,
        "FROM python\n# checker ignore=merged_runs\nRUN pip install flask\nCMD python app.py\n",
    )
    .expect("write");
    let good = dir.path().join("Dockerfile.bon");
    std::fs::write(
        &good,
        "FROM python:3.12-slim AS build\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nFROM python:3.12-slim\nCOPY --from=build /app /app\nUSER nobody\nHEALTHCHECK CMD python -c 'print(1)'\nCMD [\"python\", \"/app/app.py\"]\n",
    )
    .expect("write");
    let run = |args: &[&str]| {
        common::checker()
            .current_dir(dir.path())
            .env("DOCKER_HOST", "tcp://127.0.0.1:9")
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("checker runs")
    };
    let out = run(&["lint"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Dockerfile:1 pinned_base : `FROM python` n'épingle pas"),
        "{text}"
    );
    assert!(text.contains("Dockerfile:4 json_cmd : "), "{text}");
    assert!(
        text.contains("(hadolint DL3025 ; docker build --check : JSONArgsRecommended)"),
        "{text}"
    );
    assert!(
        !text.contains("merged_runs"),
        "ignored by its comment: {text}"
    );

    let out = run(&["lint", "Dockerfile.bon"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let sarif = dir.path().join("lint.sarif");
    let out = run(&[
        "lint",
        "--format",
        "json",
        "--rules",
        "DL3006,json_cmd",
        "--sarif",
        sarif.to_str().expect("utf-8 path"),
        "Dockerfile",
        "Dockerfile.bon",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["total"], 2, "{json}");
    assert_eq!(
        json["files"][1]["findings"].as_array().map(Vec::len),
        Some(0)
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written"))
            .expect("sarif json");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(2));

    let out = run(&["lint", "--rules", "pined_base"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("règle inconnue `pined_base`"));
    let report = dir.path().join("lint.json");
    let out = run(&[
        "lint",
        "--format",
        "json",
        "--output",
        report.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report written"))
            .expect("json");
    assert!(written["total"].as_u64().unwrap_or_default() > 0);
    let out = run(&["lint", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format json"));
    let out = run(&["lint", "absent/Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`absent/Dockerfile` est introuvable"));
}

/// The instructors' page documents every rule, with the hadolint and BuildKit rules
/// the table gives it, on the rule's own row.
#[test]
fn every_rule_is_documented() {
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/formateurs/regles-dockerfile.md"),
    )
    .expect("book/formateurs/regles-dockerfile.md");
    for rule in RULES {
        let row = page
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", rule.name)))
            .unwrap_or_else(|| panic!("`{}` n'a pas de ligne dans la page", rule.name));
        for id in rule.hadolint.iter().chain(rule.buildkit) {
            assert!(
                row.contains(id),
                "`{}` : {id} absent de sa ligne",
                rule.name
            );
        }
    }
}
