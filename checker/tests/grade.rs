//! `checker grade` and `checker class`: scores with partial credit, report formats that
//! agree and that real consumers accept (xmllint against the lenient and the Ant JUnit
//! schemas, Perl's `prove` for TAP), saved results that cannot raise a grade, a report
//! for every student whatever their scripts do, and the documented grading script run
//! on four simulated students.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

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

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The file is valid against both JUnit schemas: the lenient one GitLab, GitHub and
/// Jenkins read, and the strict Ant one.
fn assert_valid_junit(file: &Path) {
    for schema in ["junit.xsd", "junit-ant.xsd"] {
        let lint = std::process::Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(data(schema))
            .arg(file)
            .output()
            .expect("xmllint (libxml2-utils) is installed by the test rig");
        assert!(
            lint.status.success(),
            "{} invalid against {schema}: {}\n{}",
            file.display(),
            stderr(&lint),
            std::fs::read_to_string(file).unwrap_or_default()
        );
    }
}

/// The HTML report is also well-formed XML (its template closes every element), so
/// xmllint proves its structure is balanced.
fn assert_well_formed(file: &Path) {
    let lint = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg(file)
        .output()
        .expect("xmllint (libxml2-utils) is installed by the test rig");
    assert!(
        lint.status.success(),
        "{} is not well-formed: {}",
        file.display(),
        stderr(&lint)
    );
}

/// `prove` (Perl's TAP harness) reads the file; gives its verdict line.
fn prove(file: &Path) -> String {
    let output = std::process::Command::new("prove")
        .args(["--exec", "cat"])
        .arg(file)
        .output()
        .expect("prove (perl) is on Debian");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn reports_agree_and_are_read_by_their_consumers() {
    docker_test!();
    clean("2.1");
    // Wrong port: 3 of the 5 checks of 2.1 pass.
    sh("docker run --name mon-serveur-nginx -p 8081:80 -d nginx:latest");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |name: &str| dir.path().join(name);
    let output = checker()
        .args(["grade", "--chapter", "1", "--chapter", "2"])
        .args(["--student", "alice", "--commit", "0123abcd"])
        .args(["--format", "text", "--output"])
        .arg(path("r.txt"))
        .args(["--format", "json", "--output"])
        .arg(path("r.json"))
        .args(["--format", "tap"])
        .args(["--format", "junit", "--output"])
        .arg(path("r.xml"))
        .args(["--format", "markdown", "--output"])
        .arg(path("r.md"))
        .args(["--format", "csv", "--output"])
        .arg(path("r.csv"))
        .args(["--format", "classroom", "--output"])
        .arg(path("r.classroom"))
        .output()
        .expect("runs");
    clean("2.1");
    // Each --output takes the --format before it; TAP, without one, goes to stdout.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = std::fs::read_to_string(path("r.txt")).expect("text report");
    assert!(text.contains("Notation"), "{text}");
    let doc = json(&path("r.json"));
    assert_eq!(doc["schema_version"], 2);
    assert_eq!(doc["student"], "alice");
    assert_eq!(doc["commit"], "0123abcd");
    assert!(doc["graded_at"].as_str().expect("timestamp").ends_with('Z'));
    assert!(
        !doc["docker"]["endpoint"]
            .as_str()
            .expect("endpoint")
            .is_empty()
    );
    let ex21 = exercise(&doc, "2.1");
    assert_eq!(
        ex21["score"], 6.0,
        "3 of 5 equal-weight checks of 10 points"
    );
    assert!(text.contains("2.1") && text.contains("6 / 10"), "{text}");
    let summary = &doc["summary"];
    let number = |key: &str| summary[key].as_u64().expect("count");
    let (checks, failed, cannot, informational, not_checked) = (
        number("checks"),
        number("failed"),
        number("cannot_check"),
        number("informational"),
        number("not_checked"),
    );
    let score = summary["score"].as_f64().expect("score");

    let junit_path = path("r.xml");
    assert_valid_junit(&junit_path);
    let junit = std::fs::read_to_string(&junit_path).expect("junit");
    assert_eq!(
        junit.matches("<testcase ").count() as u64,
        checks + informational,
        "one testcase per check, one per informational exercise"
    );
    assert_eq!(junit.matches("<failure ").count() as u64, failed);
    assert_eq!(junit.matches("<error ").count() as u64, cannot);
    assert_eq!(
        junit.matches("<skipped ").count() as u64,
        informational + not_checked
    );
    assert!(
        junit.contains("attendu : port publié 8080 → 80/tcp"),
        "{junit}"
    );
    // The grade, with decimal points, in the « Total » suite.
    assert!(
        junit.contains(&format!("<property name=\"score\" value=\"{score}\"/>"))
            || junit.contains(&format!(
                "<property name=\"score\" value=\"{}\"/>",
                checker::report::decimal(score)
            )),
        "{junit}"
    );
    assert!(junit.contains("name=\"Total : "), "{junit}");
    assert!(junit.contains("<property name=\"student\" value=\"alice\"/>"));

    let markdown = std::fs::read_to_string(path("r.md")).expect("markdown");
    let shown = checker::report::french_number(summary["percent"].as_f64().expect("%"));
    assert!(
        markdown.contains(&format!("Checker : {shown} %")),
        "{markdown}"
    );
    assert!(
        markdown.contains("| 2.1 |") && markdown.contains("| 6 / 10 |"),
        "{markdown}"
    );
    // The failures are listed (a `set` inside a loop used to lose them).
    assert!(markdown.contains("À corriger ("), "{markdown}");
    assert!(markdown.contains("trouvé : port publié 8081"), "{markdown}");

    let csv = std::fs::read_to_string(path("r.csv")).expect("csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let row: Vec<&str> = lines.next().expect("row").split(',').collect();
    assert_eq!(header[0], "etudiant");
    assert_eq!(row[0], "alice");
    let column = |name: &str| row[header.iter().position(|h| *h == name).expect(name)];
    assert_eq!(column("2.1"), "6");
    assert_eq!(column("total"), checker::report::decimal(score));

    let classroom = json(&path("r.classroom"));
    assert_eq!(classroom["version"], 1);
    assert_eq!(classroom["max_score"], summary["max_score"]);
    let points: f64 = classroom["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| t["score"].as_f64().expect("score"))
        .sum();
    assert!((points - score).abs() < 0.02, "{points} vs {score}");

    // TAP 13 to stdout (the format without a file), read by prove.
    let tap = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(tap.starts_with("TAP version 13\n"), "{tap}");
    assert_eq!(
        tap.matches("\nnot ok ").count() as u64,
        failed + cannot + not_checked
    );
    assert!(
        tap.contains(&format!("1..{}", checks + informational)),
        "{tap}"
    );
    assert!(tap.contains("# Exercice 2.1 : 6 / 10 points"), "{tap}");
    let tap_path = path("r.tap");
    std::fs::write(&tap_path, &tap).expect("write");
    let verdict = prove(&tap_path);
    assert!(
        verdict.contains(&format!("Tests={}", checks + informational))
            && verdict.contains("Result: FAIL")
            && !verdict.contains("Parse errors"),
        "{verdict}"
    );
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
    assert!(stderr(&output).contains("Arrêt au premier échec"));
}

/// Saves 2.1 (solved) and 2.2 (not done) to a results file and gives its path.
fn saved_results(dir: &Path) -> PathBuf {
    let saved = dir.join("resultats.json");
    clean("2.1");
    solve("2.1");
    let output = checker()
        .args(["grade", "2.1", "2.2", "--save"])
        .arg(&saved)
        .output()
        .expect("runs");
    clean("2.1");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    saved
}

fn grade_from(saved: &Path) -> Output {
    checker()
        .args(["grade", "2.1", "2.2", "--format", "json", "--from"])
        .arg(saved)
        .output()
        .expect("runs")
}

fn edit(saved: &Path, change: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut doc = json(saved);
    change(&mut doc);
    let forged = saved.with_file_name("forge.json");
    std::fs::write(&forged, doc.to_string()).expect("write");
    forged
}

#[test]
fn a_forged_results_file_does_not_raise_the_grade() {
    docker_test!();
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = saved_results(dir.path());
    let honest: serde_json::Value =
        serde_json::from_slice(&grade_from(&saved).stdout).expect("json");
    // 2.1 solved (10) and, of 2.2, its container running (2.5).
    assert_eq!(honest["summary"]["score"], 12.5, "{honest:#}");
    assert_eq!(honest["summary"]["max_score"], 15);

    // Scores, points and weights edited: recomputed from the catalogue.
    let forged = edit(&saved, |doc| {
        for e in doc["exercises"].as_array_mut().expect("array") {
            e["score"] = 1000.into();
            e["points"] = 1000.into();
            for c in e["checks"].as_array_mut().expect("checks") {
                c["weight"] = 0.into();
            }
        }
        doc["summary"]["score"] = 2000.into();
    });
    let output = grade_from(&forged);
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(doc["summary"]["score"], 12.5, "{doc:#}");
    assert_eq!(doc["summary"]["max_score"], 15);
    assert_eq!(output.status.code(), Some(1));

    // Checks removed (only the passing one left) or renamed: refused, naming the file.
    let forged = edit(&saved, |doc| {
        let e = &mut doc["exercises"][1];
        let first = e["checks"][0].clone();
        e["checks"] = serde_json::json!([first]);
    });
    let output = grade_from(&forged);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("forge.json")
            && message.contains("ne correspondent pas au catalogue")
            && message.contains("2.2"),
        "{message}"
    );
    // Another checker version: refused.
    let forged = edit(&saved, |doc| doc["checker_version"] = "0.0.1".into());
    let output = grade_from(&forged);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("checker 0.0.1"),
        "{}",
        stderr(&output)
    );
    // An exercise the catalogue does not have: refused.
    let forged = edit(&saved, |doc| doc["exercises"][1]["id"] = "9.9".into());
    assert_eq!(grade_from(&forged).status.code(), Some(2));
}

#[test]
fn results_from_another_engine_are_refused() {
    docker_test!();
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = saved_results(dir.path());
    let forged = edit(&saved, |doc| {
        doc["docker"]["endpoint"] = "tcp://faux-demon:2375".into();
    });
    let output = checker()
        .args(["grade", "2.6", "--save"])
        .arg(&forged)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("le moteur Docker a changé") && message.contains("faux-demon"),
        "{message}"
    );
}

#[test]
fn escapes_and_forbidden_characters_keep_junit_valid() {
    docker_test!();
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = saved_results(dir.path());
    // What a hostile container could print, as `found` of a failing check.
    let nasty = "\u{1b}[2J\u{1b}[31m✔ Bravo\u{1b}[0m \u{0}\u{7}\u{8}\u{b}\u{c}\u{1f}\u{7f}\u{85} \
                 <![CDATA[ ]]> </failure> & \"' \u{fffe}\u{ffff} \u{d}fin";
    let forged = edit(&saved, |doc| {
        let check = &mut doc["exercises"][1]["checks"][0];
        check["found"] = nasty.into();
        check["expected"] = nasty.into();
        doc["student"] = nasty.into();
    });
    let junit = dir.path().join("r.xml");
    let markdown = dir.path().join("r.md");
    let tap = dir.path().join("r.tap");
    let output = checker()
        .args(["grade", "2.1", "2.2", "--from"])
        .arg(&forged)
        .args(["--format", "junit", "--output"])
        .arg(&junit)
        .args(["--format", "markdown", "--output"])
        .arg(&markdown)
        .args(["--format", "tap", "--output"])
        .arg(&tap)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_valid_junit(&junit);
    let xml = std::fs::read_to_string(&junit).expect("junit");
    assert!(!xml.contains('\u{1b}') && xml.contains("✔ Bravo"), "{xml}");
    let md = std::fs::read_to_string(&markdown).expect("markdown");
    assert!(!md.contains('\u{1b}') && !md.contains("</failure>"), "{md}");
    let verdict = prove(&tap);
    assert!(!verdict.contains("Parse errors"), "{verdict}");
}

#[test]
fn eight_concurrent_saves_keep_every_result() {
    // `--not-run` records without Docker: the race is on the file alone.
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("resultats.json");
    let ids = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5"];
    for _round in 0..3 {
        let _ = std::fs::remove_file(&saved);
        let children: Vec<_> = ids
            .iter()
            .map(|id| {
                checker()
                    .args(["grade", id, "--not-run", "essai", "--save"])
                    .arg(&saved)
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .expect("spawns")
            })
            .collect();
        for mut child in children {
            child.wait().expect("waits");
        }
        let doc = json(&saved);
        let mut saved_ids: Vec<&str> = doc["exercises"]
            .as_array()
            .expect("array")
            .iter()
            .map(|e| e["id"].as_str().expect("id"))
            .collect();
        saved_ids.sort_unstable();
        assert_eq!(saved_ids, ids, "every concurrent grade kept its result");
    }
}

#[test]
fn docker_unreachable_still_writes_every_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junit = dir.path().join("junit.xml");
    let markdown = dir.path().join("resume.md");
    let saved = dir.path().join("resultats.json");
    let output = checker()
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(["grade", "--chapter", "2", "--save"])
        .arg(&saved)
        .args(["--format", "junit", "--output"])
        .arg(&junit)
        .args(["--format", "markdown", "--output"])
        .arg(&markdown)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_valid_junit(&junit);
    let xml = std::fs::read_to_string(&junit).expect("junit");
    assert!(xml.contains("Docker injoignable"), "{xml}");
    assert!(xml.contains("/nonexistent/docker.sock"), "{xml}");
    let md = std::fs::read_to_string(&markdown).expect("markdown");
    assert!(
        md.contains("Docker injoignable") && md.contains("⏭️ non noté"),
        "{md}"
    );
    let doc = json(&saved);
    assert_eq!(doc["exercises"].as_array().expect("array").len(), 7);
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
    // The chapter in the book's order: 2.1's container serves 2.2–2.5 and 2.6
    // removes it, with 1.3's `hello-world`.
    clean("2.1");
    clean("2.7");
    clean("1.3");
    solve("1.3");
    for id in ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"] {
        solve(id);
        grade_at_checkpoint(id);
    }
    clean("2.7");

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
fn plan_runs_prerequisites_of_a_chapter_graded_alone() {
    let output = checker()
        .args(["grade", "--chapter", "4", "--plan"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let plan = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = plan.lines().collect();
    // 4.1 needs 3.1, which needs 2.1; 4.2 needs 1.3, which needs 1.2.
    for needed in [
        "1.2 prerequis",
        "1.3 prerequis",
        "2.1 prerequis",
        "3.1 prerequis",
    ] {
        assert!(lines.contains(&needed), "{plan}");
    }
    assert!(lines.contains(&"4.1 noter"), "{plan}");
    let at = |line: &str| lines.iter().position(|l| *l == line).expect("present");
    assert!(at("3.1 prerequis") < at("4.1 noter"), "{plan}");
}

/// Runs the documented grading script for one simulated student.
fn noter(student: &str, solutions: &Path, reports: &Path, extra: &[(&str, &str)]) -> Output {
    let mut command = std::process::Command::new("bash");
    command
        .arg(root().join("templates/ci/noter.sh"))
        .env("PATH", path_with_checker())
        .env("NO_COLOR", "1")
        .env_remove("DOCKER_HOST")
        .env("CHAPITRE", "2")
        .env("SOLUTIONS", solutions)
        .env("SEUIL", "60")
        .env("RAPPORTS", reports)
        .env("ETUDIANT", student)
        .env("COMMIT", format!("commit-{student}"))
        .env("CLASSE", data("classe/classe.csv"))
        .env("TEMPS_MAX", "8");
    for (key, value) in extra {
        command.env(key, value);
    }
    let output = command.output().expect("bash runs");
    for id in ["2.1", "2.2", "2.6", "2.7"] {
        clean(id);
    }
    output
}

#[test]
fn the_documented_ci_script_grades_four_students_and_a_class() {
    docker_test!();
    for id in ["2.1", "2.2", "2.6", "2.7"] {
        clean(id);
    }
    let reports = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    let mut totals = Vec::new();
    for student in ["parfait", "partiel", "vide", "absent"] {
        let out = reports.path().join(student);
        let output = noter(student, &data("classe").join(student), &out, &[]);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        // Every student gets every report, whatever their scripts did.
        for file in [
            "junit.xml",
            "resume.md",
            "notes.csv",
            "classroom.json",
            "rapport.html",
            "resultats.json",
        ] {
            assert!(
                out.join(file).is_file(),
                "{student}: no {file}\n{stdout}\n{}",
                stderr(&output)
            );
        }
        assert_valid_junit(&out.join("junit.xml"));
        assert_well_formed(&out.join("rapport.html"));
        let doc = json(&out.join("resultats.json"));
        assert_eq!(doc["student"], student);
        assert_eq!(doc["commit"], format!("commit-{student}"));
        let rescored = checker()
            .args(["grade", "--chapter", "2", "--format", "json", "--from"])
            .arg(out.join("resultats.json"))
            .output()
            .expect("runs");
        let rescored: serde_json::Value = serde_json::from_slice(&rescored.stdout).expect("json");
        assert_eq!(rescored["exercises"].as_array().expect("all").len(), 7);
        totals.push((student, rescored, stdout, output.status.code()));
        files.push(out.join("resultats.json"));
    }
    let score = |i: usize, id: &str| exercise(&totals[i].1, id)["score"].as_f64().expect("score");
    // The perfect student.
    let (_, perfect, stdout, code) = &totals[0];
    assert_eq!(*code, Some(0), "{stdout}");
    assert_eq!(perfect["summary"]["score"], 50.0, "{stdout}");
    assert!(stdout.contains("Total : 50 / 50 points (100 %) · seuil 60 % atteint"));
    // The partial one: 2.1 done (10), 2.2's script crashed after doing the work (5,
    // with a remark), 2.3's script hung after the restart and was stopped (graded as
    // it stood, with a remark), 2.4 and 2.7 missing (0), 2.5 with the wrong text
    // (partial), 2.6 done (5).
    let (_, partial, stdout, code) = &totals[1];
    // 36,67 / 50: over the 60 % threshold.
    assert_eq!(*code, Some(0), "{stdout}");
    assert_eq!(score(1, "2.1"), 10.0, "{stdout}");
    assert_eq!(score(1, "2.2"), 5.0, "{stdout}");
    assert_eq!(score(1, "2.3"), 10.0, "{stdout}");
    assert_eq!(score(1, "2.4"), 0.0);
    assert!(score(1, "2.5") > 0.0 && score(1, "2.5") < 10.0, "{stdout}");
    assert_eq!(score(1, "2.6"), 5.0);
    assert_eq!(score(1, "2.7"), 0.0);
    let notes = &partial["notes"];
    assert!(
        notes["2.2"].as_str().expect("note").contains("code 3"),
        "{notes}"
    );
    assert!(
        notes["2.3"]
            .as_str()
            .expect("note")
            .contains("arrêté au bout de 8 s")
    );
    let summary = std::fs::read_to_string(reports.path().join("partiel/resume.md")).expect("md");
    assert!(summary.contains("À corriger"), "{summary}");
    assert!(
        summary.contains("⏭️ non noté"),
        "a missing exercise is not a failed one: {summary}"
    );
    // Empty scripts and no scripts: zero everywhere, with the reason.
    for i in [2, 3] {
        let (student, doc, stdout, code) = &totals[i];
        assert_eq!(*code, Some(1), "{student}: {stdout}");
        assert_eq!(doc["summary"]["score"], 0.0, "{student}: {stdout}");
        let reason = exercise(doc, "2.1")["checks"][0]["reason"]
            .as_str()
            .expect("reason")
            .to_string();
        let expected = if *student == "vide" {
            "vide"
        } else {
            "aucun script"
        };
        assert!(reason.contains(expected), "{student}: {reason}");
    }

    // The class table: the four students and the one of the roster who sent nothing.
    let table = reports.path().join("classe.csv");
    let markdown = reports.path().join("classe.md");
    let page = reports.path().join("classe.html");
    let output = checker()
        .arg("class")
        .args(&files)
        .arg("--roster")
        .arg(data("classe/classe.csv"))
        .args(["--chapter", "2", "--min-score", "60"])
        .args(["--format", "csv", "--output"])
        .arg(&table)
        .args(["--format", "markdown", "--output"])
        .arg(&markdown)
        .args(["--format", "html", "--output"])
        .arg(&page)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let csv = std::fs::read_to_string(&table).expect("csv");
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 6, "header + 5 students: {csv}");
    let header = &rows[0];
    let total_at = header.iter().position(|h| *h == "total").expect("total");
    let row = |name: &str| rows.iter().find(|r| r[0] == name).expect(name);
    assert_eq!(row("parfait")[total_at], "50");
    assert_eq!(row("parfait")[1], "commit-parfait");
    assert_eq!(row("vide")[total_at], "0");
    assert_eq!(row("absent")[total_at], "0");
    assert_eq!(row("fantome")[total_at], "0");
    assert!(
        row("fantome")
            .join(",")
            .contains("aucun fichier de résultats"),
        "{csv}"
    );
    let partial_total = partial["summary"]["score"].as_f64().expect("score");
    assert_eq!(
        row("partiel")[total_at],
        checker::report::decimal(partial_total)
    );
    let md = std::fs::read_to_string(&markdown).expect("markdown");
    assert!(md.contains("| parfait | commit-parfa |"), "{md}");
    // The HTML page: the same five rows and totals, then what each student has to fix.
    assert_well_formed(&page);
    let html = std::fs::read_to_string(&page).expect("html");
    assert_eq!(
        html.matches("<th scope=\"row\"><a href=").count(),
        5,
        "{html}"
    );
    let section = |name: &str| {
        let start = html
            .find(&format!("<h2>{name} — "))
            .unwrap_or_else(|| panic!("no section for {name}: {html}"));
        let end = html[start..].find("</section>").expect("section end") + start;
        html[start..end].to_string()
    };
    assert!(section("parfait").starts_with("<h2>parfait — 50 / 50 points (100 %)"));
    assert!(section("parfait").contains("Rien à corriger."));
    let partial_html = section("partiel");
    assert!(
        partial_html.contains(&format!(
            "{} / 50 points",
            checker::report::french_number(partial_total)
        )),
        "{partial_html}"
    );
    assert!(partial_html.contains("À corriger ("), "{partial_html}");
    assert!(
        partial_html.contains("2.4 · ") && partial_html.contains("non noté : aucun script"),
        "{partial_html}"
    );
    assert!(
        partial_html.contains("arrêté au bout de 8 s"),
        "{partial_html}"
    );
    assert!(
        section("vide").contains("2.1.sh vide"),
        "{}",
        section("vide")
    );
    assert!(section("fantome").contains("aucun fichier de résultats"));
    // Missing exercises are « — », not a zero; the average row covers the five.
    assert!(html.contains("<td class=\"n non-note\">—</td>"), "{html}");
    assert!(html.contains("<th scope=\"row\">Moyenne</th>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    // The same student twice: refused, naming both files.
    let output = checker()
        .arg("class")
        .args([&files[0], &files[0]])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("deux fichiers de résultats"),
        "{}",
        stderr(&output)
    );

    // The workflow files shown in the book are valid YAML and run this very script.
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(root().join("templates/ci").join(file)).expect("read");
        let _: serde_norway::Value =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains("noter.sh"), "{file}");
    }
}

#[test]
fn the_ci_job_logs_in_to_a_registry_without_a_terminal() {
    // 4.3 in CI: the sample perfect student reads the CI secret on stdin
    // (`--password-stdin`), the partial one copied the book's interactive `docker login`.
    docker_test!();
    let secret = "jeton-de-la-ci-8f3a";
    let mut scores = Vec::new();
    for student in ["parfait", "partiel"] {
        let work = tempfile::tempdir().expect("tempdir");
        let reports = work.path().join("rapports");
        // A CLI configuration of this job's own: the login lands there, not in ~/.docker.
        let config = work.path().join("docker-config");
        let config_arg = config.display().to_string();
        let output = noter(
            student,
            &data("classe").join(student),
            &reports,
            &[
                ("CHAPITRE", "4"),
                ("DOCKER_CONFIG", &config_arg),
                ("REGISTRE_MOT_DE_PASSE", secret),
            ],
        );
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let doc = json(&reports.join("resultats.json"));
        let ex = exercise(&doc, "4.3");
        scores.push((ex["score"].as_f64().expect("score"), stdout.clone()));
        // The secret reaches no report and no log.
        for entry in std::fs::read_dir(&reports).expect("reports") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                !text.contains(secret),
                "{} shows the secret",
                path.display()
            );
        }
        assert!(!stdout.contains(secret) && !stderr(&output).contains(secret));
        // Only 4.3 had a script: the others are zeros « aucun script », not failures.
        assert!(
            exercise(&doc, "4.1")["checks"][0]["reason"]
                .as_str()
                .unwrap_or_default()
                .contains("aucun script"),
            "{doc:#}"
        );
        if student == "parfait" {
            let saved = std::fs::read_to_string(config.join("config.json")).expect("login");
            assert!(saved.contains("localhost:5000"), "{saved}");
        } else {
            assert!(
                !config.join("config.json").exists()
                    || !std::fs::read_to_string(config.join("config.json"))
                        .unwrap_or_default()
                        .contains("localhost:5000")
            );
            let note = doc["notes"]["4.3"].as_str().unwrap_or_default().to_string();
            assert!(note.contains("en échec"), "{note}\n{stdout}");
        }
    }
    assert_eq!(scores[0].0, 5.0, "{}", scores[0].1);
    assert_eq!(scores[1].0, 0.0, "{}", scores[1].1);
}

#[test]
fn the_grading_script_stops_when_a_student_script_tampers() {
    docker_test!();
    let work = tempfile::tempdir().expect("tempdir");
    let solutions = work.path().join("solutions");
    std::fs::create_dir_all(&solutions).expect("mkdir");
    // A copy of the checker, with its checksum, as the CI template installs it.
    let bin = work.path().join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let installed = bin.join("checker");
    std::fs::copy(assert_cmd::cargo::cargo_bin("checker"), &installed).expect("copy");
    let sum = std::process::Command::new("sha256sum")
        .arg(&installed)
        .output()
        .expect("sha256sum");
    let sum = String::from_utf8_lossy(&sum.stdout)
        .split_whitespace()
        .next()
        .expect("sum")
        .to_string();
    let tmp = work.path().join("tmp");
    std::fs::create_dir_all(&tmp).expect("mkdir");
    let run = |script: &str| {
        std::fs::write(solutions.join("2.1.sh"), "true\n").expect("write");
        std::fs::write(solutions.join("2.2.sh"), script).expect("write");
        let output = std::process::Command::new("bash")
            .arg(root().join("templates/ci/noter.sh"))
            .env("PATH", format!("{}:{}", bin.display(), path_with_checker()))
            .env("NO_COLOR", "1")
            .env("TMPDIR", &tmp)
            .env("DOCKER_CONFIG", work.path().join("docker-config"))
            .env("CHAPITRE", "2")
            .env("SOLUTIONS", &solutions)
            .env("RAPPORTS", work.path().join("rapports"))
            .env("CHECKER_SHA256", &sum)
            .output()
            .expect("bash runs");
        (output.status.code(), stderr(&output))
    };
    // Rewriting the results file.
    let (code, message) =
        run("for f in \"$TMPDIR\"/tmp.*/resultats.json; do echo '{}' > \"$f\"; done\n");
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("fichier de résultats a été modifié"),
        "{message}"
    );
    // Replacing the checker binary.
    let (code, message) = run(&format!(
        "printf '#!/bin/sh\\nexit 0\\n' > '{}'\n",
        installed.display()
    ));
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("n'a plus l'empreinte attendue"),
        "{message}"
    );
    // Switching to a fake engine's context: the grade still talks to the real one.
    std::fs::copy(assert_cmd::cargo::cargo_bin("checker"), &installed).expect("copy");
    let (code, message) = run(
        "docker context create grading-faux --docker host=tcp://127.0.0.1:9 >/dev/null\n\
         docker context use grading-faux >/dev/null\n",
    );
    let doc = json(&work.path().join("rapports/resultats.json"));
    assert_eq!(code, Some(1), "{message}");
    assert!(
        !doc["docker"]["endpoint"]
            .as_str()
            .expect("endpoint")
            .contains("127.0.0.1:9"),
        "{doc:#}"
    );
}

#[test]
fn the_ci_installer_verifies_the_published_checksum() {
    // A release folder laid out as `.github/release/package.sh` makes it, served
    // through file:// as GitHub would serve it over HTTPS.
    let work = tempfile::tempdir().expect("tempdir");
    let release = work.path().join("release");
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("checker-{version}-essai");
    std::fs::create_dir_all(release.join(&name)).expect("mkdir");
    std::fs::copy(
        assert_cmd::cargo::cargo_bin("checker"),
        release.join(&name).join("checker"),
    )
    .expect("copy");
    let sh = |script: &str| {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .current_dir(&release)
            .output()
            .expect("bash")
    };
    let packed = sh(&format!(
        "tar -czf {name}.tar.gz {name} && sha256sum {name}.tar.gz > SHA256SUMS && rm -r {name}"
    ));
    assert!(packed.status.success(), "{}", stderr(&packed));
    let install = |destination: &Path| {
        std::process::Command::new("bash")
            .arg(root().join("templates/ci/installer-checker.sh"))
            .env("CHECKER_VERSION", version)
            .env("CHECKER_CIBLE", "essai")
            .env("COURS_RELEASES", format!("file://{}", release.display()))
            .env("DESTINATION", destination)
            .env_remove("GITHUB_ENV")
            .env_remove("GITHUB_PATH")
            .output()
            .expect("bash")
    };
    let good = work.path().join("bon");
    let output = install(&good);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!("checker {version}")),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(good.join("checker").is_file());
    // An archive that is not the one of SHA256SUMS is refused, nothing installed.
    let tampered = sh(&format!("echo altéré >> {name}.tar.gz"));
    assert!(tampered.status.success());
    let bad = work.path().join("mauvais");
    let output = install(&bad);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("ne correspond pas"),
        "{}",
        stderr(&output)
    );
    assert!(!bad.join("checker").exists());
}

#[test]
fn the_html_report_shows_what_a_student_wrote_as_text() {
    // No Docker needed: an exercise recorded as not run, by a student whose name and
    // reason are markup and terminal escapes.
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("resultats.json");
    let name = "<img src=x onerror=alert(1)>\u{1b}[2J";
    let output = checker()
        .args([
            "grade",
            "2.1",
            "--not-run",
            "<script>alert(1)</script>",
            "--save",
        ])
        .arg(&saved)
        .args(["--student", name, "--commit", "\"><b>c</b>"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let page = dir.path().join("classe.html");
    let output = checker()
        .args(["class", "--chapter", "2", "--format", "html", "--output"])
        .arg(&page)
        .arg(&saved)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_well_formed(&page);
    let html = std::fs::read_to_string(&page).expect("html");
    assert!(!html.contains("<img") && !html.contains("<script") && !html.contains("<b>"));
    assert!(!html.contains('\u{1b}'), "{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;\\x1b[2J"),
        "{html}"
    );
    assert!(html.contains("non noté : &lt;script&gt;"), "{html}");
    // The catalogue's code spans are kept as code.
    assert!(html.contains("<code>docker run</code>"), "{html}");

    // `grade --format html` gives the same page for one student.
    let output = checker()
        .args(["grade", "--chapter", "2", "--format", "html", "--from"])
        .arg(&saved)
        .output()
        .expect("runs");
    let single = String::from_utf8_lossy(&output.stdout);
    assert!(single.starts_with("<!DOCTYPE html>"), "{single}");
    assert!(single.contains("<title>Notes de &lt;img"), "{single}");

    // An informational exercise (4.6, no points) is neither a zero nor a thing to fix.
    let output = checker()
        .args(["class", "--chapter", "4", "--format", "html"])
        .arg(&saved)
        .output()
        .expect("runs");
    let page = String::from_utf8_lossy(&output.stdout);
    assert!(page.contains("<td class=\"n info\"><abbr"), "{page}");
    assert!(!page.contains("<strong>4.6 · "), "{page}");
    assert!(page.contains("<strong>4.5 · "), "{page}");
}
