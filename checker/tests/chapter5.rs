//! Chapter 5 on a real engine.

mod common;

use common::*;

#[test]
fn ex_5_1_logs() {
    docker_test!();
    clean("5.1");
    assert_failing("5.1", &["en-marche", "image", "lignes"]);
    sh("docker run -d --name pinger alpine sh -c 'echo \"$(date) : Pinging...\"; sleep 3600'");
    // One line only: several are expected.
    assert_failing("5.1", &["lignes"]);
    let (_, found) = failure("5.1", "lignes");
    assert!(found.contains("1 ligne(s)"), "{found}");
    clean("5.1");
    solve("5.1");
    assert_all_pass("5.1");
    clean("5.1");
}

#[test]
fn ex_5_2_log_rotation() {
    docker_test!();
    clean("5.2");
    assert_failing("5.2", &["conteneur", "rotation"]);
    // Created with the defaults: the rotation options are missing.
    sh("docker run -d --name rotation-test alpine sleep 3600 >/dev/null");
    assert_failing("5.2", &["rotation"]);
    let (expected, found) = failure("5.2", "rotation");
    assert!(expected.contains("max-size=10m"), "{expected}");
    assert!(found.contains("absente"), "{found}");
    clean("5.2");
    // The daemon of the test rig is shared: the same end state, set per container.
    sh(
        "docker run -d --name rotation-test --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 alpine sleep 3600 >/dev/null",
    );
    assert_all_pass("5.2");
    clean("5.2");
}

#[test]
fn ex_5_3_log_driver_none() {
    docker_test!();
    clean("5.3");
    assert_failing("5.3", &["conteneur", "pilote-none"]);
    solve("5.3");
    assert_all_pass("5.3");
    clean("5.3");
}
