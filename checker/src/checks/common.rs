//! Pieces several check kinds share, written once: reading containers, comparing
//! `key=value` pairs, matching text, reading the student's files, and the small serde
//! defaults. A kind file holds what only that kind does.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use bollard::models::ContainerInspectResponse;
use bollard::query_parameters::ListContainersOptionsBuilder;
use regex::Regex;

use super::Context;
use crate::docker::{describe_error, is_not_found};
use crate::outcome::{Mismatches, Outcome};
use crate::units::human_size;

/// serde default for the `exists: true`-style flags.
pub fn yes() -> bool {
    true
}

// ---------------------------------------------------------------------------------
// Containers

/// Inspects a container by name, through the run's snapshot. `Ok(None)` when it does
/// not exist.
pub async fn inspect_container(
    ctx: &Context,
    name: &str,
) -> Result<Option<ContainerInspectResponse>, String> {
    ctx.snapshot.container(&ctx.docker, name).await
}

/// Every container (running or not) created from `image`, newest first, inspected.
pub async fn containers_from(
    ctx: &Context,
    image: &str,
) -> Result<Vec<ContainerInspectResponse>, String> {
    let filters = [("ancestor".to_string(), vec![image.to_string()])].into();
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let summaries = match ctx.docker.list_containers(Some(options)).await {
        Ok(s) => s,
        // An ancestor image that does not exist: no container can come from it.
        Err(e) if is_not_found(&e) => return Ok(Vec::new()),
        Err(e) => return Err(describe_error(&e)),
    };
    let mut out = Vec::new();
    // The checker's helpers are never the student's containers.
    let summaries = summaries.into_iter().filter(|s| {
        !s.labels
            .as_ref()
            .is_some_and(|l| l.contains_key(crate::docker::helper::LABEL))
    });
    for summary in summaries {
        if let Some(id) = summary.id {
            // A container removed between list and inspect is simply skipped.
            if let Some(c) = inspect_container(ctx, &id).await? {
                out.push(c);
            }
        }
    }
    out.sort_by(|a, b| b.created.cmp(&a.created));
    Ok(out)
}

/// The container's name without the leading `/`.
pub fn container_name(c: &ContainerInspectResponse) -> String {
    c.name
        .as_deref()
        .unwrap_or_default()
        .trim_start_matches('/')
        .to_string()
}

/// The container a check is about, or the verdict when it does not exist: waiting
/// will not create it, so the failure is settled. `expected` is what the check wanted
/// of it (« le conteneur `web` en marche »).
pub async fn existing_container(
    ctx: &Context,
    name: &str,
    expected: String,
) -> Result<ContainerInspectResponse, Outcome> {
    match inspect_container(ctx, name).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => {
            Err(Outcome::fail(expected, format!("le conteneur `{name}` n'existe pas")).settled())
        }
        Err(e) => Err(Outcome::cannot(e)),
    }
}

// ---------------------------------------------------------------------------------
// Users and `key=value` pairs (env, labels, options)

/// `root`, `0`, `0:0` or unset.
pub fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or_default();
    name.is_empty() || name == "root" || name == "0"
}

/// Compares `key=value` pairs (env, labels, options); `expected: None` means "present".
pub fn compare_pair(
    m: &mut Mismatches,
    label: &str,
    key: &str,
    expected: Option<&str>,
    found: Option<&str>,
) {
    match (expected, found) {
        (_, None) => m.push(
            match expected {
                Some(v) => format!("{label} `{key}={v}`"),
                None => format!("{label} `{key}` définie"),
            },
            format!("{label} `{key}` absente"),
        ),
        (Some(v), Some(f)) if v != f => m.push(
            format!("{label} `{key}={v}`"),
            format!("{label} `{key}={f}`"),
        ),
        _ => {}
    }
}

/// `KEY=VALUE` items (a container's or an image's `Env`) as a map.
pub fn env_map(items: &[String]) -> BTreeMap<String, String> {
    items
        .iter()
        .filter_map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// [`compare_pair`] for every expected pair of a map.
pub fn compare_pairs<'a>(
    m: &mut Mismatches,
    label: &str,
    expected: &BTreeMap<String, Option<String>>,
    found: impl Fn(&str) -> Option<&'a str>,
) {
    for (key, value) in expected {
        compare_pair(m, label, key, value.as_deref(), found(key));
    }
}

// ---------------------------------------------------------------------------------
// Text: what a check expects of an output, a page, a log line or a file

/// One expectation on a text.
#[derive(Debug, Clone, Copy)]
pub enum TextRule<'a> {
    Contains(&'a str),
    Excludes(&'a str),
    Matches(&'a Regex),
}

impl<'a> TextRule<'a> {
    /// The rules a check declares, in a fixed order; an absent field is no rule.
    pub fn from_fields(
        contains: Option<&'a str>,
        excludes: Option<&'a str>,
        matches: Option<&'a Regex>,
    ) -> Vec<TextRule<'a>> {
        let mut rules = Vec::new();
        rules.extend(contains.map(TextRule::Contains));
        rules.extend(excludes.map(TextRule::Excludes));
        rules.extend(matches.map(TextRule::Matches));
        rules
    }

    pub fn holds(&self, text: &str) -> bool {
        match self {
            TextRule::Contains(needle) => text.contains(needle),
            TextRule::Excludes(needle) => !text.contains(needle),
            TextRule::Matches(re) => re.is_match(text),
        }
    }

    /// The rule as an expectation about `subject` (« la sortie contient « x » »).
    pub fn expected(&self, subject: &str) -> String {
        match self {
            TextRule::Contains(needle) => format!("{subject} contient « {needle} »"),
            TextRule::Excludes(needle) => format!("{subject} ne contient pas « {needle} »"),
            TextRule::Matches(re) => format!("{subject} correspond à `{}`", re.as_str()),
        }
    }

    /// What `subject` is when the rule does not hold (« `Dockerfile` ne contient pas… »).
    pub fn broken(&self, subject: &str) -> String {
        match self {
            TextRule::Contains(needle) => format!("{subject} ne contient pas « {needle} »"),
            TextRule::Excludes(needle) => format!("{subject} contient « {needle} »"),
            TextRule::Matches(re) => {
                format!(
                    "aucune ligne de {subject} ne correspond à `{}`",
                    re.as_str()
                )
            }
        }
    }
}

/// Every broken rule as a mismatch, the text itself shown as what was found
/// (`found_label : « premiers caractères »`).
pub fn compare_text(
    m: &mut Mismatches,
    rules: &[TextRule<'_>],
    subject: &str,
    found_label: &str,
    text: &str,
) {
    for rule in rules.iter().filter(|r| !r.holds(text)) {
        m.push(
            rule.expected(subject),
            format!("{found_label} : « {} »", excerpt(text, 100)),
        );
    }
}

/// Compiles a regex from an exercise file, for `problems`.
pub fn regex_problem(field: &str, pattern: &Option<String>) -> Option<String> {
    pattern.as_ref().and_then(|p| {
        Regex::new(p)
            .err()
            .map(|e| format!("expression régulière `{field}` invalide : {e}"))
    })
}

/// `` `a`, `b` ``: names as code, for a verdict.
pub fn code_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// First characters of a text for a "found" message, on one line.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max).collect::<String>())
    }
}

// ---------------------------------------------------------------------------------
// Files in the student's working folder

/// The largest text file read (a Dockerfile, a `.dockerignore`, `config.json`).
pub const TEXT_LIMIT: u64 = 2 * 1024 * 1024;

/// Problems with a path written in an exercise file (shared with the `dockerfile` kind).
pub fn path_problem(path: &str) -> Option<String> {
    if path.trim().is_empty() {
        Some("`path` est vide".to_string())
    } else if Path::new(path).is_absolute() {
        Some(format!(
            "`path: {path}` doit être relatif au dossier de travail de l'élève (par exemple `mon-app/Dockerfile`)"
        ))
    } else {
        None
    }
}

/// The file a check is about, in the working folder. A student may run the checker
/// from inside the exercise's folder: `mon-app-docker/Dockerfile` checked from
/// `…/mon-app-docker` is then `./Dockerfile`.
pub fn resolve(workdir: &Path, path: &str) -> PathBuf {
    let direct = workdir.join(path);
    if direct.exists() {
        return direct;
    }
    let relative = Path::new(path);
    let mut components = relative.components();
    if let (Some(first), Some(name)) = (components.next(), workdir.file_name()) {
        let rest = components.as_path();
        if first.as_os_str() == name && !rest.as_os_str().is_empty() && workdir.join(rest).exists()
        {
            return workdir.join(rest);
        }
    }
    direct
}

/// What reading a small text file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFile {
    Text(String),
    Missing,
    Directory,
    /// Larger than [`TEXT_LIMIT`]; the size in bytes.
    TooLarge(u64),
    /// Why it could not be read, in French.
    Unreadable(String),
}

/// Reads a text file of at most [`TEXT_LIMIT`] bytes (invalid UTF-8 is replaced, not
/// refused: a Dockerfile saved in Latin-1 still gets its rules checked).
pub fn read_text(path: &Path) -> TextFile {
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return TextFile::Missing,
        Err(e) => return TextFile::Unreadable(describe_io(&e)),
    };
    if metadata.is_dir() {
        return TextFile::Directory;
    }
    if metadata.len() > TEXT_LIMIT {
        return TextFile::TooLarge(metadata.len());
    }
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return TextFile::Missing,
        Err(e) => return TextFile::Unreadable(describe_io(&e)),
    };
    let mut bytes = Vec::new();
    // One byte more than the limit tells a file that grew since `metadata`.
    if let Err(e) = file.take(TEXT_LIMIT + 1).read_to_end(&mut bytes) {
        return TextFile::Unreadable(describe_io(&e));
    }
    if bytes.len() as u64 > TEXT_LIMIT {
        return TextFile::TooLarge(bytes.len() as u64);
    }
    TextFile::Text(String::from_utf8_lossy(&bytes).into_owned())
}

/// An I/O error for a French message.
pub fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "fichier introuvable".to_string(),
        io::ErrorKind::PermissionDenied => "permission refusée".to_string(),
        _ => format!("erreur d'entrée-sortie ({error})"),
    }
}

/// A text file's content, or the verdict when there is none: `expected` is the
/// check's expectation, `missing` what a missing file means for this check, `what` the
/// kind of file in a sentence (« un Dockerfile »).
pub fn text_or_verdict(
    file: TextFile,
    shown: &str,
    expected: &str,
    missing: String,
    what: &str,
) -> Result<String, Outcome> {
    match file {
        TextFile::Text(t) => Ok(t),
        TextFile::Missing => Err(Outcome::fail(expected, missing)),
        TextFile::Directory => Err(Outcome::fail(
            expected,
            format!("{shown} est un dossier, pas un fichier"),
        )),
        TextFile::TooLarge(size) => Err(Outcome::fail(
            expected,
            format!("{shown} fait {} : trop gros pour {what}", human_size(size)),
        )),
        TextFile::Unreadable(why) => Err(Outcome::cannot(format!(
            "impossible de lire {shown} : {why}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_flat() {
        assert_eq!(excerpt("a\n  b", 10), "a b");
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }

    #[test]
    fn text_rules_read_both_ways() {
        let re = Regex::new(r"^GET /").expect("regex");
        let rules = TextRule::from_fields(Some("nginx"), Some("erreur"), Some(&re));
        assert!(rules.iter().all(|r| r.holds("GET / nginx")));
        let mut m = Mismatches::new();
        compare_text(&mut m, &rules, "la sortie", "sortie", "POST erreur");
        let outcome = m.into_outcome();
        let expected = outcome.expected.unwrap_or_default();
        assert!(
            expected.contains("la sortie contient « nginx »"),
            "{expected}"
        );
        assert!(
            expected.contains("la sortie ne contient pas « erreur »"),
            "{expected}"
        );
        assert!(
            expected.contains("la sortie correspond à `^GET /`"),
            "{expected}"
        );
    }
}
