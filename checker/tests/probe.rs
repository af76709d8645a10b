//! The `probe` kind on a real engine: a short-lived helper attached to a network
//! resolves a name and fetches a page, both ways, and is always removed.

mod common;

use std::path::Path;

use common::*;

/// The probes of this file, as one exercise of a catalogue of their own.
const PROBES: &str = r#"id: "9.9"
chapter: 9
title: Sondes
objective: O
checks:
  - id: ip-defaut
    title: nginx2 répond par IP sur bridge
    probe: { network: bridge, target: probe-nginx2, by: ip, body_contains: "Welcome to nginx!" }
  - id: nom-defaut-non
    title: nginx2 ne répond pas par son nom sur bridge
    probe: { network: bridge, target: probe-nginx2, reachable: false }
  - id: nom-defaut
    title: nginx2 par son nom sur bridge (doit échouer)
    probe: { network: bridge, target: probe-nginx2, test: resolve }
  - id: resolution
    title: serveur-web se résout sur probe-reseau
    probe: { network: probe-reseau, target: probe-web, test: resolve }
  - id: page-nom
    title: http://probe-web/ dit It works!
    probe: { network: probe-reseau, target: probe-web, body_contains: "It works!" }
  - id: tcp
    title: le port 80 de probe-web est ouvert
    probe: { network: probe-reseau, target: probe-web, test: tcp }
  - id: page-nom-non
    title: probe-web ne doit pas répondre par son nom (doit échouer)
    probe: { network: probe-reseau, target: probe-web, reachable: false }
  - id: isolation
    title: depuis bridge, probe-web ne répond pas par son adresse sur probe-reseau
    probe: { network: bridge, target: probe-web, by: ip, target_network: probe-reseau, reachable: false }
"#;

fn catalog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("9.9.yaml"), PROBES).expect("write");
    dir
}

fn run(catalog: &Path, env: &[(&str, &str)]) -> serde_json::Value {
    let mut cmd = checker();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd
        .args(["--catalog"])
        .arg(catalog)
        .args(["--format", "json", "exercise", "9.9"])
        .output()
        .expect("checker runs");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn check<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["exercises"][0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("check {id} in {doc:#}"))
}

fn status<'a>(doc: &'a serde_json::Value, id: &str) -> &'a str {
    check(doc, id)["status"].as_str().unwrap_or_default()
}

fn text(doc: &serde_json::Value, id: &str, field: &str) -> String {
    check(doc, id)[field]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn clean() {
    sh_quiet(
        "docker rm -f probe-nginx2 probe-web >/dev/null 2>&1; docker network rm probe-reseau >/dev/null 2>&1",
    );
}

#[test]
fn probes_see_a_network_from_inside() {
    docker_test!();
    clean();
    let catalog = catalog();

    // Nothing yet: every probe fails, settled, naming what is missing.
    let doc = run(catalog.path(), &[]);
    for id in ["ip-defaut", "nom-defaut-non", "page-nom"] {
        assert_eq!(status(&doc, id), "fail", "{id}: {doc:#}");
    }
    assert!(
        text(&doc, "ip-defaut", "found").contains("n'existe pas"),
        "{doc:#}"
    );
    assert!(text(&doc, "page-nom", "found").contains("le réseau `probe-reseau` n'existe pas"));

    sh("docker run -d --name probe-nginx2 nginx:latest >/dev/null
        docker network create probe-reseau >/dev/null
        docker run -d --name probe-web --network probe-reseau httpd:alpine >/dev/null");
    let doc = run(catalog.path(), &[]);
    for id in [
        "ip-defaut",
        "nom-defaut-non",
        "resolution",
        "page-nom",
        "tcp",
        "isolation",
    ] {
        assert_eq!(status(&doc, id), "pass", "{id}: {doc:#}");
    }
    // Both ways: what must not work is refused when it works, and the reverse.
    assert_eq!(status(&doc, "nom-defaut"), "fail", "{doc:#}");
    assert!(
        text(&doc, "nom-defaut", "found").contains("n'est pas résolu depuis `bridge`"),
        "{doc:#}"
    );
    assert_eq!(status(&doc, "page-nom-non"), "fail", "{doc:#}");
    assert!(
        text(&doc, "page-nom-non", "found").starts_with("cela marche"),
        "{doc:#}"
    );
    assert!(text(&doc, "resolution", "found").contains("l'adresse de `probe-web`"));
    // The helpers are gone, and nothing of theirs counts as a container of an image.
    assert_eq!(helpers_left(), 0);
    // Their requests name the checker in the target's access log.
    let output = std::process::Command::new("docker")
        .args(["logs", "probe-web"])
        .output()
        .expect("docker logs");
    let logs = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        logs.lines()
            .filter(|l| l.contains("GET /"))
            .all(|l| l.contains("checker-cours-docker")),
        "{logs}"
    );

    // The target on the default bridge, not on the probe's network.
    sh("docker network disconnect probe-reseau probe-web
        docker network connect bridge probe-web");
    let doc = run(catalog.path(), &[]);
    assert_eq!(status(&doc, "page-nom"), "fail");
    assert!(
        text(&doc, "page-nom", "found")
            .contains("n'est pas connecté à `probe-reseau` (il est connecté à `bridge`)"),
        "{doc:#}"
    );
    // On the same network, the isolation probe now sees it: it must fail.
    assert_eq!(status(&doc, "isolation"), "fail", "{doc:#}");

    // A stopped target answers nothing, and "does not answer by name" is no proof then.
    sh("docker stop -t 1 probe-nginx2 >/dev/null");
    let doc = run(catalog.path(), &[]);
    assert_eq!(status(&doc, "nom-defaut-non"), "fail", "{doc:#}");
    assert!(text(&doc, "nom-defaut-non", "found").contains("n'est pas en marche"));
    assert_eq!(helpers_left(), 0);
    clean();
}

#[test]
fn probe_helpers_come_from_the_target_image_without_busybox_and_always_go() {
    docker_test!();
    clean();
    let catalog = catalog();
    sh("docker network create probe-reseau >/dev/null
        docker run -d --name probe-web --network probe-reseau httpd:alpine >/dev/null");
    // No busybox, no alpine: the target's own image (BusyBox-based) makes the helper.
    let tags = "busybox:latest alpine:latest alpine:3.20";
    sh(&format!(
        "for t in {tags}; do docker rmi $t >/dev/null 2>&1 || true; done"
    ));
    let doc = run(catalog.path(), &[]);
    sh_quiet(&format!(
        "for t in {tags}; do docker tag standin/${{t%%:*}}:latest $t; done"
    ));
    restore_standins();
    assert_eq!(status(&doc, "page-nom"), "pass", "{doc:#}");
    assert_eq!(status(&doc, "resolution"), "pass", "{doc:#}");

    // Interrupted while its helper exists: the helper is removed all the same.
    let mut child = checker()
        .env("CHECKER_TEST_HELPER_PAUSE_MS", "4000")
        .args(["--catalog"])
        .arg(catalog.path())
        .args(["--format", "json", "exercise", "9.9"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    sh("for i in $(seq 1 100); do
          [ -n \"$(docker ps -aq --filter label=io.github.cours-docker.checker=probe)\" ] && exit 0
          sleep 0.05
        done; exit 1");
    sh_quiet(&format!("kill -INT {}", child.id()));
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(130));
    assert_eq!(helpers_left(), 0, "probe helpers left after Ctrl-C");
    clean();
}
