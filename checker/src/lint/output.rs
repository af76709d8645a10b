//! What `checker lint` writes: French text for a person, JSON for a program (SARIF is
//! in [`super::sarif`]), and the reading of the files it is given.

use std::io::Read;
use std::path::Path;

use colored::Colorize;
use serde_json::json;

use super::{Dockerfile, Finding, Input, Rule, run};
use crate::untrusted::neutralise;

/// Largest Dockerfile read (the `dockerfile` check kind's limit too).
const LIMIT: u64 = 2 * 1024 * 1024;

/// The findings on one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given on the command line.
    pub path: String,
    pub findings: Vec<Finding>,
}

/// Reads a small text file; `Ok(None)` when it does not exist.
fn read_small(path: &Path) -> Result<Option<String>, String> {
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if metadata.is_dir() {
        return Err("c'est un dossier, pas un fichier".to_string());
    }
    if metadata.len() > LIMIT {
        return Err(format!(
            "{} octets : trop gros pour un Dockerfile",
            metadata.len()
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(LIMIT + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Lints one file with the given rules, honouring its ignore comments. The
/// `.dockerignore` next to it (its build context, as `docker build .` would use) feeds
/// `copy_ignored_file`. The error is French and names the file.
pub fn lint_file(path: &Path, rules: &[&Rule]) -> Result<FileReport, String> {
    let shown = path.display().to_string();
    let text = match read_small(path) {
        Ok(Some(t)) => t,
        Ok(None) => return Err(format!("`{shown}` est introuvable")),
        Err(why) => return Err(format!("impossible de lire `{shown}` : {why}")),
    };
    let ignore_path = path
        .parent()
        .map(|p| p.join(".dockerignore"))
        .unwrap_or_else(|| ".dockerignore".into());
    let dockerignore = read_small(&ignore_path).ok().flatten();
    let dockerfile = Dockerfile::parse(&text);
    let input = Input {
        dockerfile: &dockerfile,
        dockerignore: dockerignore.as_deref(),
    };
    Ok(FileReport {
        path: shown,
        findings: run(&input, rules, true),
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// « Dockerfile:3 pinned_base : `FROM python` n'épingle pas… » lines, then a summary.
pub fn text(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for f in &report.findings {
            let place = match f.line {
                Some(line) => format!("{}:{line}", neutralise(&report.path)),
                None => neutralise(&report.path),
            };
            out.push_str(&format!(
                "{} {} : {}\n",
                place.bold(),
                f.rule.yellow(),
                neutralise(&f.explained())
            ));
        }
    }
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    let files = reports.iter().filter(|r| !r.findings.is_empty()).count();
    if total == 0 {
        out.push_str(&format!(
            "{} aucun problème ({} examiné{})\n",
            "✓".green(),
            plural(reports.len(), "fichier", "fichiers"),
            if reports.len() > 1 { "s" } else { "" }
        ));
    } else {
        out.push_str(&format!(
            "{} dans {} ; pour en taire un sciemment : `# checker ignore=RÈGLE` sur la ligne qui précède l'instruction\n",
            plural(total, "problème", "problèmes").red().bold(),
            plural(files, "fichier", "fichiers")
        ));
    }
    out
}

/// The findings as JSON: `{"files": [{"path", "findings": [...]}], "total"}`.
pub fn json(reports: &[FileReport]) -> String {
    let files: Vec<_> = reports
        .iter()
        .map(|r| {
            let findings: Vec<_> = r
                .findings
                .iter()
                .map(|f| {
                    json!({
                        "rule": f.rule,
                        "line": f.line,
                        "message": f.message,
                        "hadolint": f.hadolint.map(|(rule, line)| json!({ "rule": rule, "line": line })),
                        "buildkit": f.buildkit.map(|(rule, line)| json!({ "rule": rule, "line": line })),
                    })
                })
                .collect();
            json!({ "path": r.path, "findings": findings })
        })
        .collect();
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    format!(
        "{}\n",
        serde_json::to_string_pretty(&json!({ "files": files, "total": total }))
            .unwrap_or_default()
    )
}

/// The rule table for `checker lint --list`.
pub fn rule_list() -> String {
    let mut out = String::new();
    let mut family = None;
    for rule in super::RULES {
        if family != Some(rule.family) {
            family = Some(rule.family);
            out.push_str(&format!("\n{}\n", rule.family.title().bold()));
        }
        let mut tools: Vec<String> = rule
            .hadolint
            .iter()
            .map(|c| format!("hadolint {c}"))
            .collect();
        tools.extend(rule.buildkit.iter().map(|n| format!("BuildKit {n}")));
        let tools = if tools.is_empty() {
            String::new()
        } else {
            format!(" [{}]", tools.join(", "))
        };
        out.push_str(&format!("  {:<24} {}{tools}\n", rule.name, rule.expects));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::all_rules;

    #[test]
    fn files_are_read_with_their_dockerignore() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "FROM node:20\nCOPY dist/ /srv/\n").expect("write");
        std::fs::write(dir.path().join(".dockerignore"), "dist\n").expect("write");
        let report = lint_file(&path, &all_rules()).expect("lint");
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.rule == "copy_ignored_file" && f.line == Some(2)),
            "{report:#?}"
        );
        let missing = lint_file(&dir.path().join("Nope"), &all_rules()).unwrap_err();
        assert!(missing.contains("Nope` est introuvable"), "{missing}");
        let folder = lint_file(dir.path(), &all_rules()).unwrap_err();
        assert!(folder.contains("dossier"), "{folder}");
    }

    #[test]
    fn text_is_safe_and_summarised() {
        colored::control::set_override(false);
        let report = FileReport {
            path: "app/Dockerfile".to_string(),
            findings: crate::lint::lint_text(
                "FROM python\u{1b}[31m\nCMD [\"python\"]\n",
                None,
                &[crate::lint::rule("pinned_base").expect("rule")],
            ),
        };
        let out = text(&[report]);
        assert!(out.starts_with("app/Dockerfile:1 pinned_base : "), "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(out.contains("1 problème dans 1 fichier"), "{out}");
        let clean = text(&[FileReport {
            path: "Dockerfile".to_string(),
            findings: Vec::new(),
        }]);
        assert!(
            clean.contains("aucun problème (1 fichier examiné)"),
            "{clean}"
        );
    }

    #[test]
    fn json_lists_findings() {
        let report = FileReport {
            path: "Dockerfile".to_string(),
            findings: crate::lint::lint_text("FROM python\n", None, &all_rules()),
        };
        let value: serde_json::Value = serde_json::from_str(&json(&[report])).expect("json");
        let first = &value["files"][0]["findings"][0];
        assert_eq!(first["rule"], "pinned_base");
        assert_eq!(first["line"], 1);
        assert_eq!(first["hadolint"]["rule"], "DL3006");
        assert_eq!(first["hadolint"]["line"], 1);
        assert!(value["total"].as_u64().unwrap_or_default() > 1);
    }
}
