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
fn ex_1_3_hello_world() {
    docker_test!();
    clean("1.3");
    sh("docker rmi hello-world:latest");
    assert_failing("1.3", &["image", "conteneur-termine", "message"]);
    // The image alone (`docker pull`) is not enough: a container must have run.
    sh("docker tag standin/hello-world:latest hello-world:latest");
    assert_failing("1.3", &["conteneur-termine", "message"]);
    solve("1.3");
    assert_all_pass("1.3");
    clean("1.3");
}
