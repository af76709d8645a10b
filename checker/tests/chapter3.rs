//! Chapter 3 on a real engine, with the stand-in `python:3.12-slim` and `ubuntu:22.04`.

mod common;

use common::*;

#[test]
fn ex_3_1_dockerfile() {
    docker_test!();
    let dir = tempfile::tempdir().expect("tempdir");
    sh_quiet("docker rmi -f mon-app:1.0");
    // Nothing yet: the image is the one root cause of the image's properties.
    assert_statuses_in(
        dir.path(),
        "3.1",
        &[],
        &[
            ("dockerfile", "fail"),
            ("dockerignore", "fail"),
            ("image", "fail"),
            ("workdir", "not_checked"),
            ("cmd", "not_checked"),
            ("env", "not_checked"),
            ("app-py", "not_checked"),
        ],
    );
    // The starter built as shipped: a Dockerfile still to complete, so every property
    // the student must write fails.
    sh_in(
        dir.path(),
        "checker init 3.1 >/dev/null && docker build -q -t mon-app:1.0 mon-app-docker >/dev/null",
    );
    assert_statuses_in(
        dir.path(),
        "3.1",
        &[],
        &[
            ("dockerignore", "fail"),
            ("workdir", "fail"),
            ("cmd", "fail"),
            ("env", "fail"),
            ("app-py", "fail"),
        ],
    );
    sh_in(dir.path(), "rm -rf mon-app-docker");
    sh_in(dir.path(), &exercise("3.1").solution.expect("solution"));
    assert_failing_in(dir.path(), "3.1", &[], &[]);
    // From inside the project folder too.
    assert_failing_in(&dir.path().join("mon-app-docker"), "3.1", &[], &[]);

    // The shell form of CMD, a classic slip, is named as such.
    sh_in(
        &dir.path().join("mon-app-docker"),
        "sed -i 's/^CMD .*/CMD python app.py/' Dockerfile && docker build -q -t mon-app:1.0 . >/dev/null",
    );
    assert_failing_in(dir.path(), "3.1", &[], &["cmd"]);
    let (expected, found) = failure_in(dir.path(), "3.1", "cmd");
    assert!(expected.contains("forme exec"), "{expected}");
    assert!(found.contains("forme shell"), "{found}");

    // Built under another tag: the tag the student has is named, with the fix.
    sh("docker tag mon-app:1.0 mon-app:latest && docker rmi mon-app:1.0 >/dev/null");
    let (_, found) = failure_in(dir.path(), "3.1", "image");
    assert!(found.contains("`mon-app:latest` existe"), "{found}");
    assert!(
        found.contains("docker tag mon-app:latest mon-app:1.0"),
        "{found}"
    );
    sh_quiet("docker rmi -f mon-app:1.0 mon-app:latest");
}

#[test]
fn ex_3_1_init_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("mon-app-docker")).expect("mkdir");
    std::fs::write(dir.path().join("mon-app-docker/app.py"), "print('à moi')\n").expect("write");
    let output = checker()
        .current_dir(dir.path())
        .args(["init", "3.1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("déjà présent, gardé tel quel"), "{text}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mon-app-docker/app.py")).expect("read"),
        "print('à moi')\n"
    );
    // A Dockerfile to complete, not the finished one.
    let dockerfile =
        std::fs::read_to_string(dir.path().join("mon-app-docker/Dockerfile")).expect("read");
    assert!(dockerfile.contains("FROM python:3.12-slim"), "{dockerfile}");
    assert!(!dockerfile.contains("\nCMD "), "{dockerfile}");
    assert!(!dockerfile.contains("\nWORKDIR "), "{dockerfile}");
    let output = checker().args(["init", "2.1"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "2.1 has no starter");
}

#[test]
fn ex_3_2_commit() {
    docker_test!();
    clean("3.2");
    assert_statuses(
        "3.2",
        &[
            ("image", "fail"),
            ("fichier", "not_checked"),
            ("curl", "not_checked"),
        ],
    );
    // The stand-in Ubuntu has no network for apt-get: a fixture reaches the same state.
    commit_fixture();
    assert_failing("3.2", &["curl"]);
    let (_, found) = failure("3.2", "curl");
    assert!(found.contains("`/usr/bin/curl` est introuvable"), "{found}");
    sh("docker rm -f commit-test >/dev/null
        docker run --name commit-test ubuntu:22.04 sh -c 'printf \"#!/bin/sh\\necho curl 8.5.0\\n\" > /usr/bin/curl && chmod +x /usr/bin/curl && echo \"Fichier créé via commit\" > /mon_fichier.txt'
        docker commit commit-test mon-image-commit:latest >/dev/null");
    assert_all_pass("3.2");
    assert_eq!(helpers_left(), 0, "helpers used to read the image are gone");
    clean("3.2");
}

#[test]
fn ex_3_3_save_load() {
    docker_test!();
    let dir = tempfile::tempdir().expect("tempdir");
    sh("docker rmi python:3.12-slim >/dev/null");
    assert_failing_in(dir.path(), "3.3", &[], &["archive", "image"]);
    std::fs::write(dir.path().join("python_slim.tar"), "pas une archive").expect("write");
    assert_failing_in(dir.path(), "3.3", &[], &["archive", "image"]);
    restore_standins();
    // Right after `docker save`, the `docker load` the exercise is about is not done:
    // never a pass.
    forget_history();
    sh_in(
        dir.path(),
        "docker save -o python_slim.tar python:3.12-slim",
    );
    assert_statuses_in(dir.path(), "3.3", &[], &[("image", "cannot_check")]);
    let reason = check_result(dir.path(), "3.3", &[], "image")["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(reason.contains("docker load"), "{reason}");
    sh_in(dir.path(), &exercise("3.3").solution.expect("solution"));
    assert_failing_in(dir.path(), "3.3", &[], &[]);
}

/// Helper containers go away on every path: Ctrl-C while one exists, and a check
/// abandoned on its timeout while one exists.
#[test]
fn helpers_are_removed_on_interrupt_and_timeout() {
    docker_test!();
    clean("3.2");
    commit_fixture();
    assert_eq!(helpers_left(), 0);

    let child = checker()
        .env("CHECKER_TEST_HELPER_PAUSE_MS", "20000")
        .args(["exercise", "3.2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    while helpers_left() == 0 && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        helpers_left() > 0,
        "a helper exists while the check reads the image"
    );
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(130));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("conteneurs d'aide du checker ont été supprimés")
    );
    assert_eq!(helpers_left(), 0, "Ctrl-C removed the helpers");

    let output = checker()
        .env("CHECKER_TEST_HELPER_PAUSE_MS", "5000")
        .args(["--format", "json", "exercise", "3.2", "--timeout", "1s"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let fichier = doc["exercises"][0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "fichier")
        .expect("check")
        .clone();
    assert_eq!(fichier["status"], "cannot_check", "{fichier:#}");
    assert!(
        fichier["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("pas de conclusion en 1s"),
        "{fichier:#}"
    );
    assert_eq!(
        helpers_left(),
        0,
        "a check abandoned on its timeout left no helper"
    );
    clean("3.2");
}
