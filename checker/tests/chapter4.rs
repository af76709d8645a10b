//! Chapter 4 on a real engine and the local registry started by the test rig.

mod common;

use std::path::Path;

use common::*;

/// `mon-app:1.0` built from the 3.1 starter with the stand-in Python image.
fn build_mon_app(dir: &Path) {
    sh_in(
        dir,
        "checker init 3.1 >/dev/null && docker build -q -t mon-app:1.0 mon-app-docker >/dev/null",
    );
}

fn remove_mon_app() {
    sh_quiet(
        "docker rmi -f mon-app:1.0 mon-app:latest eleve/mon-app:1.0 alice/mon-app:1.0 localhost:5000/mon-app:1.0",
    );
}

#[test]
fn ex_4_1_tag() {
    docker_test!();
    remove_mon_app();
    let dir = tempfile::tempdir().expect("tempdir");
    assert_failing("4.1", &["latest", "tag-utilisateur"]);
    build_mon_app(dir.path());
    assert_failing("4.1", &["latest", "tag-utilisateur"]);
    solve("4.1");
    assert_all_pass("4.1");
    // Another student name: their own tag is expected, named in the title.
    assert_failing_in(
        dir.path(),
        "4.1",
        &["--var", "user=alice"],
        &["tag-utilisateur"],
    );
    let (_, _, doc) = verdict_in(dir.path(), "4.1", &["--var", "user=alice"]);
    let title = doc["exercises"][0]["checks"][1]["title"]
        .as_str()
        .unwrap_or_default();
    assert!(title.contains("alice/mon-app:1.0"), "{title}");
    // A tag on another image is not the same image.
    sh("docker tag nginx:latest mon-app:latest");
    let (expected, found) = failure("4.1", "latest");
    assert!(expected.contains("la même image"), "{expected}");
    assert!(found.contains("ids différents"), "{found}");
    remove_mon_app();
}

#[test]
fn ex_4_2_pull() {
    docker_test!();
    sh("docker rmi nginx:1.21-alpine redis:latest >/dev/null");
    assert_failing("4.2", &["nginx-alpine", "redis"]);
    // No Docker Hub here: the stand-ins play the pulled images.
    sh(
        "docker tag standin/nginx:latest nginx:1.21-alpine && docker tag standin/redis:latest redis:latest",
    );
    assert_all_pass("4.2");
}

#[test]
fn ex_4_3_login_never_shows_the_secret() {
    let config = tempfile::tempdir().expect("tempdir");
    let run = || {
        checker()
            .env("DOCKER_CONFIG", config.path())
            .args(["--format", "json", "exercise", "4.3"])
            .output()
            .expect("runs")
    };
    let output = run();
    assert_eq!(output.status.code(), Some(1));
    let secret = "eleve:jeton-tres-secret-42";
    let encoded = "ZWxldmU6amV0b24tdHJlcy1zZWNyZXQtNDI=";
    std::fs::write(
        config.path().join("config.json"),
        format!(r#"{{"auths":{{"https://index.docker.io/v1/":{{"auth":"{encoded}"}}}}}}"#),
    )
    .expect("write config");
    let output = run();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        !text.contains(encoded) && !text.contains("jeton-tres-secret") && !text.contains(secret),
        "{text}"
    );
}

/// Deletes `mon-app:1.0` from the local registry (its storage outlives test runs).
fn unpublish() {
    sh_quiet(
        "d=$(curl -sI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
             http://localhost:5000/v2/mon-app/manifests/1.0 | tr -d '\\r' | awk -F': ' 'tolower($1)==\"docker-content-digest\"{print $2}')
         [ -n \"$d\" ] && curl -s -X DELETE http://localhost:5000/v2/mon-app/manifests/$d",
    );
}

#[test]
fn ex_4_4_push_to_the_local_registry() {
    docker_test!();
    remove_mon_app();
    unpublish();
    let dir = tempfile::tempdir().expect("tempdir");
    build_mon_app(dir.path());
    // Not published anywhere. Without Internet access, Docker Hub cannot be asked, so the
    // verdict is "cannot check" (never a pass), naming the local registry's answer.
    let (code, statuses, doc) = verdict("4.4");
    assert_eq!(code, 1);
    assert_ne!(statuses["publiee"], "pass", "{doc:#}");
    let check = &doc["exercises"][0]["checks"][0];
    let said = format!("{} {}", check["found"], check["reason"]);
    assert!(said.contains("localhost:5000"), "{said}");
    solve("4.4");
    assert_all_pass("4.4");
    unpublish();
    remove_mon_app();
}

#[test]
fn ex_4_5_rmi_prune() {
    docker_test!();
    remove_mon_app();
    sh_quiet("docker rm -f temp-redis");
    let dir = tempfile::tempdir().expect("tempdir");
    build_mon_app(dir.path());
    solve("4.1");
    // A dangling image: the same tag built twice from different content.
    sh_in(
        dir.path(),
        "mkdir -p pendante && cd pendante
         printf 'FROM busybox:latest\\nRUN echo un > /f\\n' > Dockerfile && docker build -q -t pendante:1 . >/dev/null
         printf 'FROM busybox:latest\\nRUN echo deux > /f\\n' > Dockerfile && docker build -q -t pendante:1 . >/dev/null",
    );
    let mut left = vec![
        "mon-app-1-0",
        "mon-app-latest",
        "tag-utilisateur",
        "nginx-alpine",
        "pendantes",
    ];
    assert_failing("4.5", &left);
    sh("docker create --name temp-redis redis >/dev/null");
    left.push("temp-redis");
    assert_failing("4.5", &left);
    sh("docker rm temp-redis >/dev/null");
    // On a student's host `redis` has one tag, so `docker rmi redis` must wait for the
    // container to go. Give the stand-in that shape: keep it aside in an archive.
    let archive = dir.path().join("redis.tar");
    sh(&format!(
        "docker save -o {} redis:latest && docker rmi standin/redis:latest >/dev/null",
        archive.display()
    ));
    solve("4.5");
    assert_all_pass("4.5");
    sh(&format!(
        "docker load -q -i {} >/dev/null && docker tag redis:latest standin/redis:latest",
        archive.display()
    ));
    sh_quiet("docker rmi -f pendante:1");
}

#[test]
fn ex_4_6_is_informational() {
    let output = checker().args(["exercise", "4.6"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Exercice informatif"));
}
