//! `checker grade`: scores with partial credit, the report formats (JSON, JUnit valid
//! against a JUnit schema, Markdown, TAP) agreeing with each other, the exit code
//! following --min-score, --fail-fast, and grading each exercise at its own
//! verification point with --save / --from.

mod common;

use std::path::Path;

use common::*;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn exercise<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["exercises"]
        .as_array()
        .expect("exercises")
        .iter()
        .find(|e| e["id"] == id)
        .expect("exercise")
}

#[test]
fn reports_agree_and_junit_is_valid() {
    docker_test!();
    clean("2.1");
    // Wrong port: 3 of the 5 checks of 2.1 pass.
    sh("docker run --name mon-serveur-nginx -p 8081:80 -d nginx:latest");
    let dir = tempfile::tempdir().expect("tempdir");
    let (text_path, json_path, junit_path, markdown_path) = (
        dir.path().join("r.txt"),
        dir.path().join("r.json"),
        dir.path().join("r.xml"),
        dir.path().join("r.md"),
    );
    let output = checker()
        .args(["grade", "--chapter", "1", "--chapter", "2"])
        .args(["--format", "text", "--output"])
        .arg(&text_path)
        .args(["--format", "json", "--output"])
        .arg(&json_path)
        .args(["--format", "tap"])
        .args(["--format", "junit", "--output"])
        .arg(&junit_path)
        .args(["--format", "markdown", "--output"])
        .arg(&markdown_path)
        .output()
        .expect("runs");
    clean("2.1");
    // Each --output takes the --format before it; TAP, without one, goes to stdout.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&text_path).expect("text report");
    assert!(text.contains("Notation"), "{text}");
    let doc = json(&json_path);
    assert_eq!(doc["schema_version"], 1);
    let ex21 = exercise(&doc, "2.1");
    assert_eq!(
        ex21["score"], 6.0,
        "3 of 5 equal-weight checks of a 10-point exercise"
    );
    assert_eq!(ex21["points"], 10);
    assert!(text.contains("2.1") && text.contains("6 / 10"), "{text}");
    let summary = &doc["summary"];
    let (checks, failed, cannot) = (
        summary["checks"].as_u64().expect("n"),
        summary["failed"].as_u64().expect("n"),
        summary["cannot_check"].as_u64().expect("n"),
    );

    let junit = std::fs::read_to_string(&junit_path).expect("junit");
    assert!(
        junit.contains(&format!(
            "tests=\"{checks}\" failures=\"{failed}\" errors=\"{cannot}\""
        )),
        "{junit}"
    );
    assert_eq!(
        junit.matches("<testcase ").count() as u64,
        checks,
        "one testcase per check"
    );
    assert_eq!(junit.matches("<failure ").count() as u64, failed);
    assert!(
        junit.contains("attendu : port publié 8080 → 80/tcp"),
        "{junit}"
    );
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/junit.xsd");
    let lint = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&junit_path)
        .output()
        .expect("xmllint (libxml2-utils) is installed by the test rig");
    assert!(
        lint.status.success(),
        "JUnit invalid: {}",
        String::from_utf8_lossy(&lint.stderr)
    );

    let markdown = std::fs::read_to_string(&markdown_path).expect("markdown");
    let percent = summary["percent"].as_f64().expect("percent");
    let shown = checker::report::french_number(percent);
    assert!(
        markdown.contains(&format!("Checker : {shown} %")),
        "{markdown}"
    );
    assert!(
        markdown.contains("| 2.1 |") && markdown.contains("| 6 / 10 |"),
        "{markdown}"
    );

    // TAP to stdout (the fifth format has no file).
    let tap = String::from_utf8_lossy(&output.stdout);
    assert!(tap.starts_with("TAP version 14\n"), "{tap}");
    assert_eq!(
        tap.matches("\nnot ok ").count() as u64,
        failed + cannot,
        "{tap}"
    );
    assert!(tap.contains(&format!("1..{checks}")), "{tap}");
}

#[test]
fn min_score_decides_the_exit_code_and_fail_fast_stops() {
    docker_test!();
    clean("2.1");
    let code = |args: &[&str]| checker().args(args).output().expect("runs").status.code();
    assert_eq!(code(&["grade", "2.1", "--min-score", "0"]), Some(0));
    assert_eq!(code(&["grade", "2.1", "--min-score", "50"]), Some(1));
    assert_eq!(code(&["grade", "2.1", "--min-score", "150"]), Some(2));
    let output = checker()
        .args(["grade", "--chapter", "2", "--fail-fast", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(
        doc["exercises"].as_array().expect("array").len(),
        1,
        "stopped after the first failure"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("Arrêt au premier échec"));
}

#[test]
fn each_exercise_graded_at_its_checkpoint_gives_100_for_chapter_2() {
    docker_test!();
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("resultats.json");
    let grade_at_checkpoint = |id: &str| {
        let output = checker()
            .args(["grade", id, "--save"])
            .arg(&saved)
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{id}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    };
    for id in ["2.1", "2.2", "2.3", "2.4", "2.5", "2.7"] {
        clean(id);
        solve(id);
        grade_at_checkpoint(id);
        clean(id);
    }
    clean("2.6");
    solve("2.2");
    solve("2.6");
    grade_at_checkpoint("2.6");
    clean("2.6");

    let output = checker()
        .args(["grade", "--chapter", "2", "--format", "json", "--from"])
        .arg(&saved)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(doc["summary"]["percent"], 100.0, "{doc:#}");
    assert_eq!(doc["exercises"].as_array().expect("array").len(), 7);

    // Exercises never graded count as not verified, never as passed.
    let output = checker()
        .args(["grade", "--all", "--format", "json", "--from"])
        .arg(&saved)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert!(doc["summary"]["percent"].as_f64().expect("percent") < 100.0);
    let ex11 = exercise(&doc, "1.1");
    assert_eq!(ex11["score"], 0.0);
    assert_eq!(ex11["checks"][0]["status"], "cannot_check");
}

#[test]
fn the_documented_ci_script_grades_a_class() {
    docker_test!();
    for id in ["2.1", "2.2", "2.6", "2.7"] {
        clean(id);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let reports = tempfile::tempdir().expect("tempdir");
    let binary = assert_cmd::cargo::cargo_bin("checker");
    let path = format!(
        "{}:{}",
        binary.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = std::process::Command::new("bash")
        .arg(root.join("templates/ci/noter.sh"))
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("CHAPITRE", "2")
        .env("SOLUTIONS", root.join("checker/tests/data/classe"))
        .env("SEUIL", "60")
        .env("RAPPORTS", reports.path())
        .output()
        .expect("bash runs");
    for id in ["2.1", "2.2", "2.6", "2.7"] {
        clean(id);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Total : 50 / 50 points (100 %) · seuil 60 % atteint"),
        "{stdout}"
    );
    let junit = reports.path().join("junit.xml");
    let schema = root.join("checker/tests/data/junit.xsd");
    let lint = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&junit)
        .output()
        .expect("xmllint");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let summary = std::fs::read_to_string(reports.path().join("resume.md")).expect("summary");
    assert!(summary.starts_with("## ✅ Checker : 100 %"), "{summary}");

    // The workflow files shown in the book are valid YAML and run this very script.
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(root.join("templates/ci").join(file)).expect("read");
        let _: serde_norway::Value =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains("bash noter.sh"), "{file}");
    }
}
