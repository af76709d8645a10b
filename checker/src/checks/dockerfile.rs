//! `dockerfile`: the student's Dockerfile follows the practices the course teaches.
//!
//! ```yaml
//! dockerfile:
//!   path: mon-app-docker/Dockerfile
//!   rules: [pinned_base, json_cmd, non_root_user]
//!   expose: [3004]
//! ```
//!
//! The file is read, not built: rules are about how it is written, and a student gets
//! every broken rule at once, each with its line (« ligne 1 : `FROM python` n'épingle
//! pas de version... »), so one edit fixes them all. The rules about the final image
//! (`non_root_user`, `healthcheck`, `expose`) follow `FROM <stage>` back to the stages
//! it builds on, the way the final image inherits them.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{path_problem, read_text, resolve, text_or_verdict};
use super::{Context, Verify};
use crate::dockerfile::{Dockerfile, Instruction, Stage, expand, shell_words};
use crate::outcome::Outcome;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DockerfileCheck {
    #[serde(default = "default_path")]
    pub path: String,
    /// Rule names: `pinned_base`, `json_cmd`, `non_root_user`, `absolute_workdir`,
    /// `copy_not_add`, `apt_lists_cleaned`, `merged_runs`, `deps_before_sources`,
    /// `multi_stage`, `healthcheck`.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Ports the final image must `EXPOSE` (`3004`, or `"53/udp"`).
    #[serde(default)]
    pub expose: Vec<Port>,
}

fn default_path() -> String {
    "Dockerfile".to_string()
}

/// A port as written in the exercise: a number or `"53/udp"`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(untagged)]
pub enum Port {
    Number(u16),
    Text(String),
}

impl Port {
    /// `(port, protocol)`, `None` when the text is not a port.
    fn parse(&self) -> Option<(u16, String)> {
        match self {
            Port::Number(n) => Some((*n, "tcp".to_string())),
            Port::Text(t) => parse_port(t),
        }
    }

    fn shown(&self) -> String {
        match self {
            Port::Number(n) => n.to_string(),
            Port::Text(t) => t.clone(),
        }
    }
}

/// `3004`, `3004/tcp`, `53/UDP` → `(port, protocol)`.
fn parse_port(text: &str) -> Option<(u16, String)> {
    let (port, proto) = match text.trim().split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (text.trim(), "tcp".to_string()),
    };
    Some((port.parse().ok()?, proto))
}

/// The rules a teacher can ask for, with the French phrase of what each expects.
pub const RULES: &[(&str, &str)] = &[
    (
        "pinned_base",
        "des images de base épinglées (tag explicite autre que `latest`)",
    ),
    ("json_cmd", "`CMD` et `ENTRYPOINT` en forme JSON"),
    ("non_root_user", "un `USER` non root dans l'image finale"),
    ("absolute_workdir", "des `WORKDIR` absolus"),
    (
        "copy_not_add",
        "`COPY` plutôt que `ADD` pour les fichiers locaux",
    ),
    (
        "apt_lists_cleaned",
        "les index de paquets supprimés dans le `RUN` qui installe",
    ),
    (
        "merged_runs",
        "pas de `RUN` consécutifs (commandes réunies avec `&&`)",
    ),
    (
        "deps_before_sources",
        "les dépendances copiées et installées avant les sources",
    ),
    (
        "multi_stage",
        "une construction multi-étapes (`COPY --from=`)",
    ),
    ("healthcheck", "un `HEALTHCHECK` dans l'image finale"),
];

/// One broken rule at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The line concerned, when there is one.
    pub line: Option<usize>,
    /// French, prefixed with « ligne N : » when `line` is set.
    pub message: String,
}

impl Finding {
    fn at(line: usize, message: impl std::fmt::Display) -> Self {
        Finding {
            line: Some(line),
            message: format!("ligne {line} : {message}"),
        }
    }

    fn global(message: impl Into<String>) -> Self {
        Finding {
            line: None,
            message: message.into(),
        }
    }
}

impl Verify for DockerfileCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(path_problem(&self.path));
        if self.rules.is_empty() && self.expose.is_empty() {
            out.push(
                "indiquez au moins une règle sous `rules` ou des ports sous `expose`".to_string(),
            );
        }
        for rule in &self.rules {
            if !RULES.iter().any(|(name, _)| name == rule) {
                let closest = RULES
                    .iter()
                    .map(|(name, _)| (strsim::levenshtein(name, rule), *name))
                    .min()
                    .filter(|(distance, _)| *distance <= 4)
                    .map(|(_, name)| format!(" ; vouliez-vous dire `{name}` ?"))
                    .unwrap_or_default();
                out.push(format!(
                    "règle inconnue `{rule}`{closest} (règles : {})",
                    RULES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        for port in &self.expose {
            if port.parse().is_none() {
                out.push(format!(
                    "port invalide `{}` sous `expose` (attendu : 3004 ou \"53/udp\")",
                    port.shown()
                ));
            }
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let full = resolve(&ctx.workdir, &self.path);
        let shown = format!("`{}`", self.path);
        let read = tokio::task::spawn_blocking(move || read_text(&full)).await;
        let file = match read {
            Ok(file) => file,
            Err(e) => {
                return Outcome::cannot(format!("la lecture de {shown} a été interrompue : {e}"));
            }
        };
        let missing = format!(
            "{shown} est introuvable (dossier de travail : {})",
            ctx.workdir.display()
        );
        let expected = format!("un Dockerfile {shown}");
        let text = match text_or_verdict(file, &shown, &expected, missing, "un Dockerfile") {
            Ok(text) => text,
            Err(verdict) => return verdict,
        };
        self.evaluate(&text)
    }
}

impl DockerfileCheck {
    /// The verdict on a Dockerfile's text.
    pub fn evaluate(&self, text: &str) -> Outcome {
        let shown = format!("`{}`", self.path);
        let dockerfile = Dockerfile::parse(text);
        if dockerfile.stages().is_empty() {
            return Outcome::fail(
                format!("un Dockerfile {shown} qui commence par `FROM`"),
                format!(
                    "{shown} n'a aucune instruction `FROM` : ce n'est pas un Dockerfile valide"
                ),
            );
        }
        let mut broken: Vec<String> = Vec::new();
        let mut findings: Vec<Finding> = Vec::new();
        for rule in &self.rules {
            let Some((_, label)) = RULES.iter().find(|(name, _)| name == rule) else {
                continue;
            };
            let found = check_rule(rule, &dockerfile);
            if !found.is_empty() {
                broken.push((*label).to_string());
                findings.extend(found);
            }
        }
        if !self.expose.is_empty() {
            let found = check_expose(&dockerfile, &self.expose);
            if !found.is_empty() {
                let ports: Vec<String> = self.expose.iter().map(Port::shown).collect();
                broken.push(format!("`EXPOSE {}` dans l'image finale", ports.join(" ")));
                findings.extend(found);
            }
        }
        // In file order, as the student will edit it; findings without a line last.
        findings.sort_by_key(|f| f.line.unwrap_or(usize::MAX));
        if findings.is_empty() {
            let mut checked: Vec<String> = self.rules.clone();
            if !self.expose.is_empty() {
                checked.push("expose".to_string());
            }
            Outcome::pass_found(format!("{shown} respecte : {}", checked.join(", ")))
        } else {
            Outcome::fail(
                format!("{shown} avec {}", broken.join(", ")),
                findings
                    .into_iter()
                    .map(|f| f.message)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        }
    }
}

/// The findings of one rule (empty: the rule holds).
pub fn check_rule(rule: &str, dockerfile: &Dockerfile) -> Vec<Finding> {
    match rule {
        "pinned_base" => pinned_base(dockerfile),
        "json_cmd" => json_cmd(dockerfile),
        "non_root_user" => non_root_user(dockerfile),
        "absolute_workdir" => absolute_workdir(dockerfile),
        "copy_not_add" => copy_not_add(dockerfile),
        "apt_lists_cleaned" => apt_lists_cleaned(dockerfile),
        "merged_runs" => merged_runs(dockerfile),
        "deps_before_sources" => deps_before_sources(dockerfile),
        "multi_stage" => multi_stage(dockerfile),
        "healthcheck" => healthcheck(dockerfile),
        _ => Vec::new(),
    }
}

/// The final stage and the stages it builds on (`FROM build`), final first: what the
/// final image inherits from this Dockerfile.
fn final_chain<'a>(stages: &[Stage<'a>]) -> Vec<Stage<'a>> {
    let mut chain = Vec::new();
    let Some(mut current) = stages.last().cloned() else {
        return chain;
    };
    loop {
        let base = current.base.to_ascii_lowercase();
        let index = current.index;
        chain.push(current);
        let parent = stages[..index]
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(base.as_str()));
        match parent {
            Some(p) => current = p.clone(),
            None => break,
        }
    }
    chain
}

/// The instructions of the final image, in build order.
fn final_instructions<'a>(stages: &[Stage<'a>]) -> Vec<&'a Instruction> {
    final_chain(stages)
        .iter()
        .rev()
        .flat_map(|s| s.body.iter())
        .collect()
}

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
fn split_reference(reference: &str) -> (&str, Option<&str>, Option<&str>) {
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

fn pinned_base(dockerfile: &Dockerfile) -> Vec<Finding> {
    let args = dockerfile.global_args();
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
        let (name, tag, digest) = split_reference(&image);
        if digest.is_some() {
            continue;
        }
        let ins = stage.from.display();
        match tag {
            None => out.push(Finding::at(
                stage.from.line,
                format!(
                    "`{ins}` n'épingle pas de version (latest implicite) ; écrivez par exemple `FROM {}`",
                    pinned_example(name)
                ),
            )),
            Some(t) if t.eq_ignore_ascii_case("latest") => out.push(Finding::at(
                stage.from.line,
                format!(
                    "`{ins}` utilise `latest`, qui change sans prévenir ; épinglez une version, par exemple `FROM {}`",
                    pinned_example(name)
                ),
            )),
            Some(_) => {}
        }
    }
    out
}

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

fn json_cmd(dockerfile: &Dockerfile) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = false;
    for ins in dockerfile
        .instructions
        .iter()
        .filter(|i| i.keyword == "CMD" || i.keyword == "ENTRYPOINT")
    {
        seen = true;
        if ins.json.is_some() {
            continue;
        }
        let display = ins.display();
        if ins.args.starts_with('[') {
            out.push(Finding::at(
                ins.line,
                format!(
                    "`{display}` n'est pas du JSON valide (guillemets doubles obligatoires) : Docker le lance \
                     alors en forme shell ; écrivez par exemple `{}`",
                    fixed_json(&ins.keyword, &ins.args)
                ),
            ));
        } else {
            out.push(Finding::at(
                ins.line,
                format!(
                    "`{display}` est en forme shell (lancé par `/bin/sh -c`, le processus ne reçoit pas \
                     les signaux d'arrêt) ; écrivez la forme JSON `{}`",
                    json_suggestion(&ins.keyword, &ins.args)
                ),
            ));
        }
    }
    if !seen {
        out.push(Finding::global(
            "aucune instruction `CMD` ni `ENTRYPOINT` : ajoutez par exemple `CMD [\"python\", \"app.py\"]`",
        ));
    }
    out
}

fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or_default().trim();
    name.is_empty() || name == "root" || name == "0"
}

fn non_root_user(dockerfile: &Dockerfile) -> Vec<Finding> {
    let stages = dockerfile.stages();
    let Some(last) = stages.last() else {
        return Vec::new();
    };
    let user = final_instructions(&stages)
        .into_iter()
        .rev()
        .find(|i| i.keyword == "USER");
    match user {
        None => vec![Finding::at(
            last.from.line,
            format!(
                "l'image finale (`{}`) n'a pas d'instruction `USER` : le conteneur tournera en root ; \
                 créez un utilisateur et ajoutez par exemple `USER app` avant `CMD`",
                last.from.display()
            ),
        )],
        Some(ins) if is_root_user(&ins.args) => vec![Finding::at(
            ins.line,
            format!(
                "`{}` laisse l'image finale tourner en root ; terminez par un utilisateur sans privilèges, \
                 par exemple `USER app`",
                ins.display()
            ),
        )],
        Some(_) => Vec::new(),
    }
}

fn absolute_workdir(dockerfile: &Dockerfile) -> Vec<Finding> {
    dockerfile
        .instructions
        .iter()
        .filter(|i| i.keyword == "WORKDIR")
        .filter_map(|ins| {
            let path = ins.args.trim().trim_matches(|c| c == '"' || c == '\'');
            let absolute = path.starts_with('/')
                || path.starts_with('$')
                || path.get(1..3).is_some_and(|s| s == ":\\" || s == ":/");
            (!absolute).then(|| {
                Finding::at(
                    ins.line,
                    format!(
                        "`{}` est un chemin relatif (il dépend du `WORKDIR` précédent) ; écrivez un chemin \
                         absolu, par exemple `WORKDIR /{}`",
                        ins.display(),
                        path.trim_start_matches("./")
                    ),
                )
            })
        })
        .collect()
}

fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("git@")
}

fn is_tar_archive(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    [
        ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

/// The sources of a `COPY`/`ADD` (every word but the destination).
fn sources(ins: &Instruction) -> Vec<String> {
    let mut words = ins.words();
    words.pop();
    words
}

fn copy_not_add(dockerfile: &Dockerfile) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in dockerfile
        .instructions
        .iter()
        .filter(|i| i.keyword == "ADD")
    {
        let local: Vec<String> = sources(ins)
            .into_iter()
            .filter(|s| !is_remote(s) && !is_tar_archive(s))
            .collect();
        if !local.is_empty() {
            let display = ins.display();
            let rest = display.get(3..).unwrap_or_default().trim_start();
            out.push(Finding::at(
                ins.line,
                format!(
                    "`{display}` copie des fichiers locaux avec `ADD` ; utilisez `COPY {rest}` \
                     (`ADD` est réservé aux URL et aux archives tar à extraire)"
                ),
            ));
        }
    }
    out
}

static APT_INSTALL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b").ok());
static APT_CLEAN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\brm\s+(?:-\S+\s+)*[^\n;&|]*/var/lib/apt/lists").ok());
static APK_ADD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\bapk\s+(?:-\S+\s+)*add\b").ok());
static APK_CLEAN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\brm\s+(?:-\S+\s+)*[^\n;&|]*/var/cache/apk").ok());

fn found(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

/// A cache mount keeps these files out of the image: as good as removing them.
fn mounts_cache_on(ins: &Instruction, target: &str) -> bool {
    ins.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .any(|v| v.contains("type=cache") && v.contains(target))
}

fn apt_lists_cleaned(dockerfile: &Dockerfile) -> Vec<Finding> {
    let mut out = Vec::new();
    for ins in dockerfile
        .instructions
        .iter()
        .filter(|i| i.keyword == "RUN")
    {
        let command = ins.command();
        if found(&APT_INSTALL, &command)
            && !found(&APT_CLEAN, &command)
            && !mounts_cache_on(ins, "/var/lib/apt/lists")
        {
            out.push(Finding::at(
                ins.line,
                "ce `RUN` installe avec `apt-get install` sans supprimer `/var/lib/apt/lists` : les index \
                 restent dans la couche ; terminez ce même `RUN` par `&& rm -rf /var/lib/apt/lists/*`",
            ));
        }
        if found(&APK_ADD, &command)
            && !command.contains("--no-cache")
            && !found(&APK_CLEAN, &command)
            && !mounts_cache_on(ins, "/var/cache/apk")
        {
            out.push(Finding::at(
                ins.line,
                "`apk add` sans `--no-cache` garde l'index des paquets dans la couche ; écrivez \
                 `apk add --no-cache ...`",
            ));
        }
    }
    out
}

fn merged_runs(dockerfile: &Dockerfile) -> Vec<Finding> {
    let mut out = Vec::new();
    for stage in dockerfile.stages() {
        let mut i = 0;
        while i < stage.body.len() {
            if stage.body[i].keyword != "RUN" {
                i += 1;
                continue;
            }
            let start = i;
            while i < stage.body.len() && stage.body[i].keyword == "RUN" {
                i += 1;
            }
            let group = &stage.body[start..i];
            if group.len() > 1 {
                let lines: Vec<String> = group.iter().map(|r| r.line.to_string()).collect();
                out.push(Finding::at(
                    group[1].line,
                    format!(
                        "ce `RUN` suit directement celui de la ligne {} ({} `RUN` consécutifs, lignes {}) : \
                         chacun crée une couche ; réunissez les commandes en un seul `RUN` avec `&&`",
                        group[0].line,
                        group.len(),
                        lines.join(", ")
                    ),
                ));
            }
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
        r"|mvn\b|gradle\b|bundle\s+install\b|composer\s+install\b)"
    ))
    .ok()
});

/// `*` and `?` glob matching, for `COPY package*.json ./`.
fn glob(pattern: &str, text: &str) -> bool {
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
    MANIFESTS.iter().any(|m| glob(name, m))
}

fn deps_before_sources(dockerfile: &Dockerfile) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut relevant = false;
    for stage in dockerfile.stages() {
        let copies = |pred: fn(&str) -> bool| {
            stage.body.iter().find(|i| {
                (i.keyword == "COPY" || i.keyword == "ADD")
                    && i.flag("from").is_none()
                    && sources(i).iter().any(|s| pred(s))
            })
        };
        let whole = copies(is_whole_context);
        let manifest = copies(is_manifest);
        if whole.is_none() && manifest.is_none() {
            continue;
        }
        relevant = true;
        let Some(whole) = whole else {
            continue;
        };
        let install_after = |line: usize| {
            stage
                .body
                .iter()
                .find(|i| i.keyword == "RUN" && i.line > line && found(&INSTALL, &i.command()))
        };
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

fn multi_stage(dockerfile: &Dockerfile) -> Vec<Finding> {
    let stages = dockerfile.stages();
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

fn healthcheck(dockerfile: &Dockerfile) -> Vec<Finding> {
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

fn check_expose(dockerfile: &Dockerfile, expected: &[Port]) -> Vec<Finding> {
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
    for port in expected {
        let Some(wanted) = port.parse() else {
            continue;
        };
        if declared.contains_key(&wanted) {
            continue;
        }
        let shown = port.shown();
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
    use super::*;

    /// The lines a rule flags in a Dockerfile.
    fn flagged(rule: &str, text: &str) -> Vec<Option<usize>> {
        check_rule(rule, &Dockerfile::parse(text))
            .iter()
            .map(|f| f.line)
            .collect()
    }

    fn passes(rule: &str, text: &str) {
        let findings = check_rule(rule, &Dockerfile::parse(text));
        assert!(
            findings.is_empty(),
            "{rule} should pass:\n{text}\n{findings:#?}"
        );
    }

    #[test]
    fn every_rule_is_dispatched() {
        // A Dockerfile breaking every rule: each rule must say something about it.
        let bad = "FROM python\nWORKDIR app\nADD . .\nRUN apt-get install -y curl\nRUN pip install -r requirements.txt\nCMD python app.py\n";
        for (rule, _) in RULES {
            assert!(
                !check_rule(rule, &Dockerfile::parse(bad)).is_empty(),
                "{rule}"
            );
        }
    }

    #[test]
    fn rule_pinned_base() {
        passes(
            "pinned_base",
            "ARG PY=3.12\nFROM python:${PY}-slim AS build\nFROM build\nFROM scratch\nFROM localhost:5000/base:1.0\nFROM alpine@sha256:0123\n",
        );
        assert_eq!(flagged("pinned_base", "FROM python\n"), vec![Some(1)]);
        assert_eq!(
            flagged(
                "pinned_base",
                "# commentaire\nFROM node:20 AS build\nFROM nginx:latest\nFROM localhost:5000/app\n"
            ),
            vec![Some(3), Some(4)]
        );
        let message = &check_rule("pinned_base", &Dockerfile::parse("FROM python\n"))[0].message;
        assert_eq!(
            message,
            "ligne 1 : `FROM python` n'épingle pas de version (latest implicite) ; écrivez par exemple `FROM python:3.12-slim`"
        );
    }

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
        let message = &check_rule(
            "json_cmd",
            &Dockerfile::parse("FROM alpine:3.20\nCMD python app.py\n"),
        )[0]
        .message;
        assert!(
            message.contains(r#"`CMD ["python", "app.py"]`"#),
            "{message}"
        );
        let message = &check_rule(
            "json_cmd",
            &Dockerfile::parse("FROM alpine:3.20\nCMD ['python', 'app.py']\n"),
        )[0]
        .message;
        assert!(
            message.contains(r#"`CMD ["python", "app.py"]`"#),
            "{message}"
        );
    }

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
    }

    #[test]
    fn rule_absolute_workdir() {
        passes(
            "absolute_workdir",
            "FROM alpine:3.20\nWORKDIR /app\nWORKDIR $HOME/src\nWORKDIR \"/srv\"\n",
        );
        assert_eq!(
            flagged(
                "absolute_workdir",
                "FROM alpine:3.20\nWORKDIR /app\nworkdir src\n"
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
        let message = &check_rule(
            "copy_not_add",
            &Dockerfile::parse("FROM alpine:3.20\nADD . /app\n"),
        )[0]
        .message;
        assert!(message.contains("`COPY . /app`"), "{message}");
    }

    #[test]
    fn rule_apt_lists_cleaned() {
        passes(
            "apt_lists_cleaned",
            "FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl && \\\n    rm -rf /var/lib/apt/lists/*\nFROM alpine:3.20\nRUN apk add --no-cache curl\n",
        );
        assert_eq!(
            flagged(
                "apt_lists_cleaned",
                "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get -y install curl\nRUN rm -rf /var/lib/apt/lists/*\n"
            ),
            vec![Some(3)]
        );
        assert_eq!(
            flagged(
                "apt_lists_cleaned",
                "FROM alpine:3.20\n\nRUN apk add curl\n"
            ),
            vec![Some(3)]
        );
    }

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
            vec![Some(4)]
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
        // Sources before the install.
        assert_eq!(
            flagged(
                "deps_before_sources",
                "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN npm install\n"
            ),
            vec![Some(4)]
        );
        // No manifest copied on its own.
        assert_eq!(
            flagged(
                "deps_before_sources",
                "FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n"
            ),
            vec![Some(2)]
        );
        // Nothing to judge.
        assert_eq!(
            flagged("deps_before_sources", "FROM nginx:1.27\n"),
            vec![None]
        );
    }

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
    fn expose_ports() {
        let df = Dockerfile::parse("FROM node:20-alpine\nEXPOSE 3000 53/udp\n");
        assert!(
            check_expose(&df, &[Port::Number(3000), Port::Text("53/udp".to_string())]).is_empty()
        );
        let findings = check_expose(&df, &[Port::Number(3004)]);
        assert_eq!(
            findings.iter().map(|f| f.line).collect::<Vec<_>>(),
            vec![Some(2)]
        );
        let none = Dockerfile::parse("FROM node:20-alpine\n");
        assert_eq!(check_expose(&none, &[Port::Number(3004)])[0].line, Some(1));
    }

    fn check(rules: &[&str]) -> DockerfileCheck {
        DockerfileCheck {
            path: "Dockerfile".to_string(),
            rules: rules.iter().map(|r| r.to_string()).collect(),
            expose: Vec::new(),
        }
    }

    #[test]
    fn dockerfile_problems_are_reported() {
        assert!(check(&["pinned_base"]).problems().is_empty());
        let problems = check(&["pined_base"]).problems();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("vouliez-vous dire `pinned_base`"),
            "{problems:?}"
        );
        assert_eq!(check(&[]).problems().len(), 1);
        let mut bad_port = check(&["healthcheck"]);
        bad_port.expose = vec![Port::Text("http".to_string())];
        assert_eq!(bad_port.problems().len(), 1);
        let mut empty = check(&["healthcheck"]);
        empty.path = String::new();
        assert_eq!(empty.problems().len(), 1);
    }

    #[test]
    fn failures_list_every_broken_rule() {
        let c = check(&["pinned_base", "json_cmd", "healthcheck"]);
        let outcome = c.evaluate("FROM python\nCMD python app.py\nHEALTHCHECK CMD true\n");
        assert!(!outcome.is_pass());
        let found = outcome.found.unwrap_or_default();
        assert!(
            found
                .lines()
                .next()
                .unwrap_or_default()
                .starts_with("ligne 1 : "),
            "{found}"
        );
        assert!(
            found
                .lines()
                .nth(1)
                .unwrap_or_default()
                .starts_with("ligne 2 : "),
            "{found}"
        );
        assert_eq!(found.lines().count(), 2);
        assert!(
            c.evaluate("FROM python:3.12-slim\nCMD [\"python\"]\nHEALTHCHECK CMD true\n")
                .is_pass()
        );
        assert!(!c.evaluate("# vide\n").is_pass());
    }

    #[test]
    fn ports_accept_numbers_and_text() {
        let c: DockerfileCheck = serde_json::from_str(
            r#"{"path": "app/Dockerfile", "rules": ["healthcheck"], "expose": [3004, "53/udp"]}"#,
        )
        .expect("parameters");
        assert_eq!(
            c.expose,
            vec![Port::Number(3004), Port::Text("53/udp".to_string())]
        );
        let d: DockerfileCheck =
            serde_json::from_str(r#"{"rules": ["json_cmd"]}"#).expect("parameters");
        assert_eq!(d.path, "Dockerfile");
    }

    #[tokio::test]
    async fn missing_dockerfile_names_the_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let docker = bollard::Docker::connect_with_http(
            "http://127.0.0.1:9",
            1,
            bollard::API_DEFAULT_VERSION,
        )
        .expect("client");
        let ctx = Context::new(docker, dir.path().to_path_buf());
        let mut c = check(&["pinned_base"]);
        c.path = "mon-app-docker/Dockerfile".to_string();
        let outcome = c.verify(&ctx).await;
        assert!(!outcome.is_pass());
        assert!(
            outcome
                .found
                .unwrap_or_default()
                .contains("`mon-app-docker/Dockerfile` est introuvable")
        );
        std::fs::create_dir(dir.path().join("mon-app-docker")).expect("mkdir");
        std::fs::write(
            dir.path().join("mon-app-docker/Dockerfile"),
            "FROM python:3.12-slim\n",
        )
        .expect("write");
        assert!(c.verify(&ctx).await.is_pass());
    }
}
