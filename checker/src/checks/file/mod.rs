//! `file`: a file in the student's working folder (a Dockerfile written, a
//! `.dockerignore` listing the right patterns, an image saved with `docker save`).
//!
//! ```yaml
//! file:
//!   path: mon-app-docker/Dockerfile
//!   exists: true
//!   contains: "FROM "
//!   matches: "^FROM\\s"
//!   executable: true
//!   dockerignore: [node_modules, .env]
//!   image_archive: [python:3.12-slim]
//! ```
//!
//! The path is relative to the folder `checker` runs from. Reading is bounded: text is
//! read up to 2 Mio (a student who points the check at a disk image gets a message, not a
//! frozen terminal), and an archive is walked entry by entry, seeking over the layers,
//! so that only its small index files (`manifest.json`, `index.json`) are read. Nothing
//! from the file is quoted back in messages: a `.env` may hold secrets.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use regex::RegexBuilder;
use schemars::JsonSchema;
use serde::Deserialize;

mod archive;
mod dockerignore;

use archive::archive_tags;
use dockerignore::{missing_ignores, normalize_ignore};

use super::common::{
    TextFile, TextRule, code_list, describe_io, path_problem, read_text, regex_problem, resolve,
    text_or_verdict, yes,
};
use super::{Context, Verify};
use crate::reference::normalize_image;
use crate::outcome::{Mismatches, Outcome};
use crate::units::human_size;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileCheck {
    /// Relative to the working folder.
    pub path: String,
    /// `false`: the file must be absent.
    #[serde(default = "yes")]
    pub exists: bool,
    pub contains: Option<String>,
    /// A regex, in multi-line mode (`^` and `$` match at each line).
    pub matches: Option<String>,
    /// Some execute bit is set (`true`) or none is (`false`).
    pub executable: Option<bool>,
    /// The file is a `.dockerignore` that must exclude these patterns.
    #[serde(default)]
    pub dockerignore: Vec<String>,
    /// The file is a `docker save` archive that must hold these tags.
    #[serde(default)]
    pub image_archive: Vec<String>,
}

impl Verify for FileCheck {
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(path_problem(&self.path));
        out.extend(regex_problem("matches", &self.matches));
        let has_properties = self.contains.is_some()
            || self.matches.is_some()
            || self.executable.is_some()
            || !self.dockerignore.is_empty()
            || !self.image_archive.is_empty();
        if !self.exists && has_properties {
            out.push(
                "`exists: false` ne se combine pas avec `contains`, `matches`, `executable`, \
                 `dockerignore` ni `image_archive`"
                    .to_string(),
            );
        }
        if self
            .dockerignore
            .iter()
            .any(|p| normalize_ignore(p).is_empty())
        {
            out.push("`dockerignore` contient un motif vide".to_string());
        }
        if self.image_archive.iter().any(|t| t.trim().is_empty()) {
            out.push("`image_archive` contient une image vide".to_string());
        }
        out
    }

    async fn verify(&self, ctx: &Context) -> Outcome {
        let (this, workdir) = (self.clone(), ctx.workdir.clone());
        tokio::task::spawn_blocking(move || this.check(&workdir))
            .await
            .unwrap_or_else(|e| {
                Outcome::cannot(format!("la lecture du fichier a été interrompue : {e}"))
            })
    }
}

impl FileCheck {
    fn check(&self, workdir: &Path) -> Outcome {
        let shown = format!("`{}`", self.path);
        let full = resolve(workdir, &self.path);
        let metadata = match std::fs::metadata(&full) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return if self.exists {
                    Outcome::fail(
                        format!("un fichier {shown}"),
                        format!(
                            "{shown} est introuvable (dossier de travail : {})",
                            workdir.display()
                        ),
                    )
                } else {
                    Outcome::pass_found(format!("{shown} est absent"))
                };
            }
            Err(e) => {
                return Outcome::cannot(format!(
                    "impossible de lire {shown} : {}",
                    describe_io(&e)
                ));
            }
        };
        if !self.exists {
            let what = if metadata.is_dir() {
                "un dossier"
            } else {
                "un fichier"
            };
            return Outcome::fail(
                format!("{shown} absent"),
                format!("{shown} existe encore ({what})"),
            );
        }
        if metadata.is_dir() {
            return Outcome::fail(
                format!("un fichier {shown}"),
                format!("{shown} est un dossier, pas un fichier"),
            );
        }

        let mut m = Mismatches::new();
        let mut seen = vec![format!("{shown} existe ({})", human_size(metadata.len()))];
        if let Some(expected) = self.executable {
            match is_executable(&metadata) {
                Some(found) if found == expected => seen.push(
                    if found {
                        "exécutable"
                    } else {
                        "non exécutable"
                    }
                    .to_string(),
                ),
                Some(found) => m.push(
                    if expected {
                        format!("{shown} exécutable (`chmod +x {}`)", self.path)
                    } else {
                        format!("{shown} non exécutable")
                    },
                    if found {
                        format!("{shown} est exécutable")
                    } else {
                        format!("{shown} n'est pas exécutable")
                    },
                ),
                None => {
                    return Outcome::cannot(
                        "les droits d'exécution ne s'observent pas sur ce système",
                    );
                }
            }
        }

        let needs_text =
            self.contains.is_some() || self.matches.is_some() || !self.dockerignore.is_empty();
        if needs_text {
            let text = match read_text(&full) {
                TextFile::TooLarge(size) => {
                    m.push(
                        format!("{shown} : un fichier texte de moins de 2 Mio"),
                        format!("{shown} fait {}", human_size(size)),
                    );
                    return m.into_outcome();
                }
                // It was there a moment ago, when its metadata was read.
                file => match text_or_verdict(
                    file,
                    &shown,
                    &format!("un fichier {shown}"),
                    format!("{shown} a disparu pendant la lecture"),
                    "un fichier texte",
                ) {
                    Ok(text) => text,
                    Err(verdict) => return verdict,
                },
            };
            let regex = match self
                .matches
                .as_deref()
                .map(|p| RegexBuilder::new(p).multi_line(true).build())
                .transpose()
            {
                Ok(regex) => regex,
                Err(e) => {
                    return Outcome::cannot(format!(
                        "expression régulière `matches` invalide : {e}"
                    ));
                }
            };
            for rule in TextRule::from_fields(self.contains.as_deref(), None, regex.as_ref()) {
                if !rule.holds(&text) {
                    m.push(rule.expected(&shown), rule.broken(&shown));
                }
            }
            if !self.dockerignore.is_empty() {
                let missing = missing_ignores(&text, &self.dockerignore);
                if !missing.is_empty() {
                    m.push(
                        format!("{shown} exclut {}", code_list(&self.dockerignore)),
                        format!("{shown} n'exclut pas {}", code_list(&missing)),
                    );
                }
            }
        }

        if !self.image_archive.is_empty() {
            match archive_tags(&full) {
                Ok(tags) => {
                    let found: BTreeSet<String> = tags.iter().map(|t| normalize_image(t)).collect();
                    let missing: Vec<String> = self
                        .image_archive
                        .iter()
                        .filter(|t| !found.contains(&normalize_image(t)))
                        .cloned()
                        .collect();
                    if missing.is_empty() {
                        seen.push(format!("archive de {}", code_list(&tags)));
                    } else {
                        m.push(
                            format!("{shown} : une archive `docker save` de {}", code_list(&self.image_archive)),
                            if tags.is_empty() {
                                format!(
                                    "{shown} ne nomme aucune image (sauvegardée par identifiant ?) ; \
                                     utilisez `docker save -o {} {}`",
                                    self.path,
                                    self.image_archive.join(" ")
                                )
                            } else {
                                format!("{shown} contient {} mais pas {}", code_list(&tags), code_list(&missing))
                            },
                        );
                    }
                }
                Err(found) => m.push(
                    format!(
                        "{shown} : une archive `docker save` de {}",
                        code_list(&self.image_archive)
                    ),
                    found.replace("{file}", &shown),
                ),
            }
        }

        if m.is_empty() {
            Outcome::pass_found(seen.join(", "))
        } else {
            m.into_outcome()
        }
    }
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> Option<bool> {
    use std::os::unix::fs::PermissionsExt;
    Some(metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_metadata: &std::fs::Metadata) -> Option<bool> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::common::TEXT_LIMIT;
    use std::fs::File;

    fn check(path: &str) -> FileCheck {
        FileCheck {
            path: path.to_string(),
            exists: true,
            contains: None,
            matches: None,
            executable: None,
            dockerignore: Vec::new(),
            image_archive: Vec::new(),
        }
    }

    fn tar_with(files: &[(&str, &str)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, content) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(content.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, name, content.as_bytes())
                .expect("append");
        }
        builder.into_inner().expect("tar")
    }

    #[test]
    fn new_kinds_are_registered() {
        use serde_json::json;
        for (params, name) in [
            (json!({ "path": "Dockerfile", "contains": "FROM" }), "file"),
            (
                json!({ "rules": ["pinned_base"], "expose": [3004] }),
                "dockerfile",
            ),
            (
                json!({ "image": "localhost:5000/mon-app:1.0" }),
                "registry",
            ),
            (json!({ "registry": "docker.io" }), "client_config"),
        ] {
            let check: crate::catalog::Check =
                serde_json::from_value(json!({ "id": "c", "title": "t", name: params }))
                    .expect(name);
            assert_eq!(check.kind.name(), name);
            assert!(check.kind.problems().is_empty(), "{name}");
            assert!(super::super::Kind::NAMES.contains(&name));
        }
        let unknown = serde_json::from_value::<crate::catalog::Check>(json!({
            "id": "c", "title": "t", "file": { "path": "Dockerfile", "contain": "FROM" }
        }));
        assert!(unknown.is_err(), "unknown keys are refused");
    }

    #[test]
    fn paths_resolve_from_inside_the_exercise_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let inner = dir.path().join("mon-app-docker");
        std::fs::create_dir_all(&inner).expect("mkdir");
        std::fs::write(inner.join("Dockerfile"), "FROM x\n").expect("write");
        assert_eq!(
            resolve(dir.path(), "mon-app-docker/Dockerfile"),
            inner.join("Dockerfile")
        );
        assert_eq!(
            resolve(&inner, "mon-app-docker/Dockerfile"),
            inner.join("Dockerfile")
        );
        assert_eq!(
            resolve(&inner, "mon-app-docker/absent"),
            inner.join("mon-app-docker/absent")
        );
    }

    #[test]
    fn file_problems_are_reported() {
        assert!(check("Dockerfile").problems().is_empty());
        assert_eq!(check("").problems().len(), 1);
        assert_eq!(check("/etc/passwd").problems().len(), 1);
        let mut bad = check("Dockerfile");
        bad.matches = Some("(".to_string());
        assert_eq!(bad.problems().len(), 1);
        let mut absent_with_content = check("x");
        absent_with_content.exists = false;
        absent_with_content.contains = Some("a".to_string());
        assert_eq!(absent_with_content.problems().len(), 1);
        let mut empty_pattern = check(".dockerignore");
        empty_pattern.dockerignore = vec!["/".to_string()];
        assert_eq!(empty_pattern.problems().len(), 1);
    }

    #[test]
    fn file_presence_and_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("app")).expect("mkdir");
        std::fs::write(
            dir.path().join("app/Dockerfile"),
            "# base\nFROM python:3.12-slim\n",
        )
        .expect("write");

        let mut ok = check("app/Dockerfile");
        ok.contains = Some("FROM ".to_string());
        ok.matches = Some(r"^FROM\s".to_string());
        assert!(ok.check(dir.path()).is_pass(), "{:?}", ok.check(dir.path()));

        let mut wrong = check("app/Dockerfile");
        wrong.contains = Some("CMD".to_string());
        wrong.matches = Some(r"^RUN\s".to_string());
        let outcome = wrong.check(dir.path());
        assert!(!outcome.is_pass());
        assert!(
            outcome
                .found
                .as_deref()
                .unwrap_or_default()
                .contains("ne contient pas « CMD »")
        );

        let missing = check("app/Nope");
        let outcome = missing.check(dir.path());
        assert!(
            outcome
                .found
                .as_deref()
                .unwrap_or_default()
                .contains("introuvable")
        );

        let mut absent = check("app/Nope");
        absent.exists = false;
        assert!(absent.check(dir.path()).is_pass());
        let mut present = check("app/Dockerfile");
        present.exists = false;
        assert!(!present.check(dir.path()).is_pass());

        let directory = check("app");
        assert!(
            directory
                .check(dir.path())
                .found
                .as_deref()
                .unwrap_or_default()
                .contains("dossier")
        );
    }

    #[cfg(unix)]
    #[test]
    fn file_executable_bits() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "#!/bin/sh\n").expect("write");
        let mut exec = check("run.sh");
        exec.executable = Some(true);
        assert!(!exec.check(dir.path()).is_pass());
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        assert!(exec.check(dir.path()).is_pass());
    }

    #[test]
    fn file_too_large_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = File::create(dir.path().join("big")).expect("create");
        big.set_len(TEXT_LIMIT + 10).expect("set_len");
        let mut c = check("big");
        c.contains = Some("x".to_string());
        let outcome = c.check(dir.path());
        assert!(!outcome.is_pass());
        assert!(
            outcome
                .expected
                .as_deref()
                .unwrap_or_default()
                .contains("2 Mio")
        );
    }

    #[test]
    fn dockerignore_check_names_missing_patterns() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(".dockerignore"), "node_modules/\n").expect("write");
        let mut c = check(".dockerignore");
        c.dockerignore = vec!["node_modules".to_string(), ".env".to_string()];
        let outcome = c.check(dir.path());
        assert!(!outcome.is_pass());
        let found = outcome.found.unwrap_or_default();
        assert!(
            found.contains("`.env`") && !found.contains("`node_modules`"),
            "{found}"
        );
    }

    #[test]
    fn image_archives_name_their_tags() {
        let dir = tempfile::tempdir().expect("tempdir");
        let legacy = tar_with(&[
            ("blobs/sha256/abc", "layer"),
            (
                "manifest.json",
                r#"[{"Config":"x","RepoTags":["python:3.12-slim"],"Layers":[]}]"#,
            ),
        ]);
        std::fs::write(dir.path().join("python.tar"), legacy).expect("write");
        let oci = tar_with(&[
            ("oci-layout", r#"{"imageLayoutVersion":"1.0.0"}"#),
            (
                "index.json",
                r#"{"manifests":[{"annotations":{"io.containerd.image.name":"docker.io/library/alpine:3.20","org.opencontainers.image.ref.name":"3.20"}}]}"#,
            ),
        ]);
        std::fs::write(dir.path().join("alpine.tar"), oci).expect("write");

        let mut c = check("python.tar");
        c.image_archive = vec!["python:3.12-slim".to_string()];
        assert!(c.check(dir.path()).is_pass());
        c.image_archive = vec!["python:3.11".to_string()];
        let outcome = c.check(dir.path());
        assert!(
            outcome
                .found
                .unwrap_or_default()
                .contains("`python:3.12-slim`")
        );

        let mut c = check("alpine.tar");
        c.image_archive = vec!["alpine:3.20".to_string()];
        assert!(c.check(dir.path()).is_pass());
    }

    #[test]
    fn non_archives_fail_clearly() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("notes.tar"), "x".repeat(2000)).expect("write");
        std::fs::write(dir.path().join("image.tar.gz"), [0x1f, 0x8b, 8, 0, 0, 0]).expect("write");
        std::fs::write(
            dir.path().join("plain.tar"),
            tar_with(&[("hello.txt", "hi")]),
        )
        .expect("write");
        for (name, words) in [
            ("notes.tar", "n'est pas une archive tar"),
            ("image.tar.gz", "compressé (gzip)"),
            ("plain.tar", "n'est pas une archive d'image"),
        ] {
            let mut c = check(name);
            c.image_archive = vec!["python:3.12-slim".to_string()];
            let outcome = c.check(dir.path());
            assert_eq!(outcome.status, crate::outcome::Status::Fail, "{name}");
            let found = outcome.found.unwrap_or_default();
            assert!(
                found.contains(words) && found.contains(&format!("`{name}`")),
                "{name}: {found}"
            );
        }
    }
}
