//! Chapter 1 on a real engine. Installing Docker cannot be undone in a test, so the
//! "not done" side of 1.1 and 1.2 is a host whose engine does not answer; 1.3 starts
//! from a host without the `hello-world` image and container.

mod common;

use common::*;

#[test]
fn ex_1_1_and_1_2_need_a_reachable_recent_engine() {
    for id in ["1.1", "1.2"] {
        let output = checker()
            .env("DOCKER_HOST", "unix:///tmp/aucun-docker.sock")
            .args(["exercise", id])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(3), "{id} without Docker");
        assert_all_pass(id);
    }
    let (_, _, doc) = verdict("1.2");
    let found = doc["exercises"][0]["checks"][1]["found"]
        .as_str()
        .unwrap_or_default();
    assert!(
        found.contains("moteur "),
        "the engine version is shown: {found}"
    );
}

#[test]
fn a_stale_docker_host_is_named_with_its_fix() {
    // DOCKER_HOST points at a socket that is gone while the default one answers.
    let output = checker()
        .env("DOCKER_HOST", "unix:///tmp/aucun-docker.sock")
        .args(["exercise", "1.1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("unset DOCKER_HOST"), "{text}");
    assert!(text.contains("Docker répond sur"), "{text}");
}

#[test]
fn ex_1_3_hello_world() {
    docker_test!();
    clean("1.3");
    sh("docker rmi hello-world:latest");
    // The image is the root cause: the container and its logs are not checked.
    assert_statuses(
        "1.3",
        &[
            ("image", "fail"),
            ("conteneur-termine", "not_checked"),
            ("message", "not_checked"),
        ],
    );
    // The image alone (`docker pull`) is not enough: a container must have run.
    sh("docker tag standin/hello-world:latest hello-world:latest");
    assert_statuses(
        "1.3",
        &[("conteneur-termine", "fail"), ("message", "not_checked")],
    );
    solve("1.3");
    assert_all_pass("1.3");
    clean("1.3");
}

#[test]
fn hello_world_run_with_rm_is_named() {
    docker_test!();
    clean("1.3");
    sh("docker run --rm hello-world >/dev/null");
    let (expected, found) = failure("1.3", "conteneur-termine");
    assert!(
        expected.contains("un conteneur arrêté de l'image"),
        "{expected}"
    );
    assert!(found.contains("`--rm`"), "{found}");
    assert!(!found.contains("exited"), "French states only: {found}");
    clean("1.3");
}

/// The book's heading of each exercise of chapters 1–5 is the start of its card's
/// title: the student recognises the card under the heading.
#[test]
fn book_headings_match_card_titles() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../book");
    for entry in std::fs::read_dir(&root).expect("book folder") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if !(name.starts_with("ch0") && name.ends_with(".md")) || name.as_str() > "ch06" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("chapter");
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("### Exercice ") else {
                continue;
            };
            let Some((id, heading)) = rest.split_once(" : ") else {
                continue;
            };
            let title = exercise(id).title;
            assert!(
                title.starts_with(heading.trim()),
                "{name}: heading « {heading} » vs card title « {title} »"
            );
        }
    }
}

/// French students type French commands; an unknown one is answered in French.
#[test]
fn french_commands_and_hints_with_variables() {
    let output = checker()
        .args(["liste", "--chapter", "1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("1.3"));

    let output = checker()
        .args(["indice", "4.1", "--var", "user=camille"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("docker tag mon-app:1.0 camille/mon-app:1.0"),
        "{text}"
    );
    assert!(
        text.contains("[tag-utilisateur]"),
        "check ids shown: {text}"
    );
    assert!(!text.contains('`'), "no raw backticks: {text}");
    assert!(
        text.contains("Nettoyage (après l'exercice 4.5, pas avant"),
        "{text}"
    );

    let output = checker().args(["exercices", "2.1"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("commande inconnue « exercices »"), "{text}");
    assert!(text.contains("exercise (exercice)"), "{text}");
    for english in ["error:", "Usage:", "For more information"] {
        assert!(!text.contains(english), "French only: {text}");
    }
}
