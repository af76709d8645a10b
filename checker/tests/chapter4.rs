//! Chapter 4 on a real engine and the local registry started by the test rig.

mod common;

use std::path::Path;

use common::*;

/// `mon-app:1.0` built from the 3.1 reference solution with the stand-in Python image.
fn build_mon_app(dir: &Path) {
    sh_in(dir, &exercise("3.1").solution.expect("solution"));
}

fn remove_mon_app() {
    sh_quiet(
        "docker rmi -f mon-app:1.0 mon-app:latest votre-id/mon-app:1.0 alice/mon-app:1.0 camille/mon-app:1.0 localhost:5000/mon-app:1.0",
    );
}

#[test]
fn ex_4_1_tag() {
    docker_test!();
    remove_mon_app();
    let dir = tempfile::tempdir().expect("tempdir");
    assert_statuses(
        "4.1",
        &[
            ("source", "fail"),
            ("latest", "not_checked"),
            ("tag-utilisateur", "not_checked"),
        ],
    );
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
    let title = doc["exercises"][0]["checks"][2]["title"]
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
fn forgotten_var_user_is_named() {
    docker_test!();
    remove_mon_app();
    let dir = tempfile::tempdir().expect("tempdir");
    build_mon_app(dir.path());
    sh("docker tag mon-app:1.0 mon-app:latest && docker tag mon-app:1.0 camille/mon-app:1.0");
    // `checker exercise 4.1` without `--var user=camille`.
    let (_, found) = failure("4.1", "tag-utilisateur");
    assert!(found.contains("`camille/mon-app:1.0` existe"), "{found}");
    assert!(found.contains("--var user=camille"), "{found}");
    assert_failing_in(dir.path(), "4.1", &["--var", "user=camille"], &[]);
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

fn login_verdict(config: &Path) -> (i32, String) {
    let output = checker()
        .env("DOCKER_CONFIG", config)
        .args(["--format", "json", "exercise", "4.3"])
        .output()
        .expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn ex_4_3_login_never_shows_the_secret() {
    let config = tempfile::tempdir().expect("tempdir");
    let (code, _) = login_verdict(config.path());
    assert_eq!(code, 1);
    let secret = "eleve:jeton-tres-secret-42";
    let encoded = "ZWxldmU6amV0b24tdHJlcy1zZWNyZXQtNDI=";
    std::fs::write(
        config.path().join("config.json"),
        format!(r#"{{"auths":{{"https://index.docker.io/v1/":{{"auth":"{encoded}"}}}}}}"#),
    )
    .expect("write config");
    let (code, text) = login_verdict(config.path());
    assert_eq!(code, 0, "{text}");
    assert!(
        !text.contains(encoded) && !text.contains("jeton-tres-secret") && !text.contains(secret),
        "{text}"
    );
}

/// Without a Docker Hub account: `docker login localhost:5000`, for real.
#[test]
fn ex_4_3_login_to_the_local_registry() {
    let config = tempfile::tempdir().expect("tempdir");
    let dir = config.path().display().to_string();
    sh(&format!(
        "echo secret | DOCKER_CONFIG={dir} docker login localhost:5000 -u eleve --password-stdin >/dev/null 2>&1"
    ));
    let (code, text) = login_verdict(config.path());
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("ZWxldmU6c2VjcmV0"), "{text}");
}

/// Deletes `mon-app:1.0` from the local registry (its storage outlives test runs).
fn unpublish() {
    sh_quiet(
        "for t in 1.0 latest; do
         d=$(curl -sI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
             http://localhost:5000/v2/mon-app/manifests/$t | tr -d '\\r' | awk -F': ' 'tolower($1)==\"docker-content-digest\"{print $2}')
         [ -n \"$d\" ] && curl -s -X DELETE http://localhost:5000/v2/mon-app/manifests/$d
         done",
    );
}

#[test]
fn ex_4_4_push_to_the_local_registry() {
    docker_test!();
    remove_mon_app();
    unpublish();
    let dir = tempfile::tempdir().expect("tempdir");
    build_mon_app(dir.path());
    // Not published anywhere: the local registry says so, whatever Docker Hub answers.
    let (code, statuses, doc) = verdict("4.4");
    assert_eq!(code, 1);
    assert_eq!(statuses["publiee"], "fail", "{doc:#}");
    let found = doc["exercises"][0]["checks"][0]["found"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(found.contains("localhost:5000"), "{found}");
    // `latest` pushed instead of `1.0`: a failure with its hint, not a « ? ».
    sh("docker tag mon-app:1.0 localhost:5000/mon-app:latest && docker push -q localhost:5000/mon-app:latest >/dev/null
        docker rmi localhost:5000/mon-app:latest >/dev/null");
    let check = check_result(dir.path(), "4.4", &[], "publiee");
    assert_eq!(check["status"], "fail", "{check:#}");
    let found = check["found"].as_str().unwrap_or_default();
    assert!(found.contains("`latest`"), "{found}");
    assert!(check["hint"].as_str().unwrap_or_default().contains("1.0"));
    solve("4.4");
    assert_all_pass("4.4");
    // Rebuilt after the push: what the registry holds is not the local image any more.
    sh_in(
        &dir.path().join("mon-app-docker"),
        "echo '# reconstruite' >> app.py && docker build -q -t mon-app:1.0 . >/dev/null",
    );
    let check = check_result(dir.path(), "4.4", &[], "publiee");
    assert_eq!(check["status"], "fail", "{check:#}");
    assert!(
        check["found"]
            .as_str()
            .unwrap_or_default()
            .contains("poussez-la de nouveau"),
        "{check:#}"
    );
    unpublish();
    remove_mon_app();
}

/// Everything 4.5 removes, created as chapter 4 does.
fn chapter_4_state(dir: &Path) {
    build_mon_app(dir);
    solve("4.1");
    sh(
        "docker tag standin/nginx:latest nginx:1.21-alpine && docker tag standin/redis:latest redis:latest",
    );
}

#[test]
fn ex_4_5_rmi_prune() {
    docker_test!();
    remove_mon_app();
    sh_quiet("docker rm -f temp-redis");
    let dir = tempfile::tempdir().expect("tempdir");
    // Earlier runs' `temp-redis` must not count as this student's.
    forget_history();
    chapter_4_state(dir.path());
    // A dangling image: the same tag built twice from different content.
    sh_in(
        dir.path(),
        "mkdir -p pendante && cd pendante
         printf 'FROM busybox:latest\\nRUN echo un > /f\\n' > Dockerfile && docker build -q -t pendante:1 . >/dev/null
         printf 'FROM busybox:latest\\nRUN echo deux > /f\\n' > Dockerfile && docker build -q -t pendante:1 . >/dev/null",
    );
    let mut expected = vec![
        ("mon-app-1-0", "fail"),
        ("mon-app-latest", "fail"),
        ("tag-utilisateur", "fail"),
        ("nginx-alpine", "fail"),
        ("redis", "fail"),
        ("temp-redis", "cannot_check"),
        ("pendantes", "not_checked"),
    ];
    assert_statuses("4.5", &expected);
    sh("docker create --name temp-redis redis >/dev/null");
    expected[5] = ("temp-redis", "fail");
    assert_statuses("4.5", &expected);
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
    sh_quiet("docker rmi -f pendante:1 redis:latest");
    restore_standins();
}

/// A host where nothing of chapter 4 was done: no points for absences.
#[test]
fn nothing_done_earns_nothing_in_4_5() {
    docker_test!();
    remove_mon_app();
    sh_quiet(
        "docker rm -f temp-redis mon-serveur-nginx; docker rmi nginx:1.21-alpine redis:latest
         docker ps -aq --filter ancestor=hello-world | xargs -r docker rm -f",
    );
    forget_history();
    let output = checker()
        .args(["--format", "json", "grade", "2.6", "4.5"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(doc["summary"]["score"], 0.0, "{doc:#}");
    assert_eq!(doc["summary"]["passed"], 0, "{doc:#}");
    restore_standins();
}

#[test]
fn ex_4_6_is_informational() {
    let output = checker().args(["exercise", "4.6"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Exercice informatif"));
}
