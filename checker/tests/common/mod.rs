//! Shared helpers for tests that talk to the real Docker engine prepared by
//! `tests/rig/prepare.sh`.
//!
//! Exercises use fixed names (`mon-serveur-nginx`, port 8080), so tests that touch
//! Docker take a machine-wide lock: they never see each other's containers. Each test
//! starts from the exercise's own `cleanup` script, so what it proves is what a student
//! sees on a host where the exercise was not done yet.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use checker::catalog::{Catalog, Exercise};

/// Held for the duration of a Docker test.
pub struct DockerLock(File);

/// Set by the test rig (`checker/tests/rig/test.sh`). Tests that change the engine's
/// state (containers, images, volumes) run only then: never by accident against a
/// developer's own Docker.
pub const RIG_VARIABLE: &str = "CHECKER_TEST_RIG";

/// Starts a test that changes Docker's state: takes the machine-wide lock, or returns
/// from the test, saying why, outside the rig.
#[macro_export]
macro_rules! docker_test {
    () => {
        let Some(_lock) = common::docker_lock() else {
            return;
        };
    };
}

/// The lock, inside the rig; `None` (and a line saying the test was skipped) outside.
pub fn docker_lock() -> Option<DockerLock> {
    if std::env::var_os(RIG_VARIABLE).is_none() {
        // Straight to stderr: the test harness captures eprintln!, and a skip must show.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "ignoré : ce test modifie l'état de Docker ; il ne tourne que dans le banc de \
             test (bash checker/tests/rig/test.sh, qui pose {RIG_VARIABLE}=1)"
        );
        return None;
    }
    Some(rig_lock())
}

fn rig_lock() -> DockerLock {
    let path = std::env::temp_dir().join("checker-docker-tests.lock");
    let file = File::create(&path).expect("lock file");
    file.lock().expect("lock");
    restore_standins();
    DockerLock(file)
}

/// Tests remove public tags (`docker rmi hello-world`) to build a clean host; the rig
/// keeps a `standin/...` tag of each stand-in so the next test finds them again, even
/// after a test that failed half-way.
pub fn restore_standins() {
    sh_quiet(
        "for t in busybox:latest alpine:latest nginx:latest nginx:1.21-alpine nginx:alpine hello-world:latest \
                  httpd:alpine redis:latest python:3.12-slim ubuntu:22.04 node:24-alpine node:24; do
           docker image inspect \"$t\" >/dev/null 2>&1 && continue
           docker image inspect \"standin/$t\" >/dev/null 2>&1 && { docker tag \"standin/$t\" \"$t\"; continue; }
           name=${t%%:*}; src=$(docker images --format '{{.Repository}}:{{.Tag}}' \"standin/$name\" | head -n 1)
           [ -n \"$src\" ] && docker tag \"$src\" \"$t\"
         done",
    );
}

/// The `checker` binary, without colour, run from a scratch folder.
pub fn checker() -> Command {
    let mut cmd = Command::cargo_bin("checker").expect("binary");
    cmd.env("NO_COLOR", "1")
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        // Progress of this test process only: a developer's own (and its saved
        // identifier, the default of `--var user`) must not change a verdict.
        .env("CHECKER_STATE", state_file())
        // Every run reads the images it checks: what the tests prove of helpers
        // (removed on a signal, a vanishing image) needs them made. The cache of image
        // files has its own test (trust.rs).
        .env("CHECKER_NO_CACHE", "1");
    cmd
}

/// The progress file of this test process, in the system's temporary folder.
pub fn state_file() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("checker-test-progress-{}.json", std::process::id()))
}

pub fn exercise(id: &str) -> Exercise {
    let catalog = Catalog::embedded().expect("embedded catalogue is valid");
    let entry = catalog
        .get(id)
        .unwrap_or_else(|| panic!("exercise {id} exists"));
    entry.resolve(&BTreeMap::new()).expect("resolves")
}

/// Runs a shell script with `sh -e`, failing the test if it fails.
pub fn sh(script: &str) {
    sh_in(&std::env::current_dir().expect("cwd"), script);
}

/// `sh` in a folder, with the `checker` binary first on the PATH (solutions may call it).
pub fn sh_in(dir: &Path, script: &str) {
    let output = Command::new("sh")
        .arg("-ec")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path_with_checker())
        .output()
        .expect("sh runs");
    assert!(
        output.status.success(),
        "script failed:\n{script}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs a shell script, ignoring its result (clean-ups of things that may not exist).
pub fn sh_quiet(script: &str) {
    let _ = Command::new("sh").arg("-c").arg(script).output();
}

/// `PATH` with the directory of the `checker` binary under test in front.
pub fn path_with_checker() -> String {
    let binary = assert_cmd::cargo::cargo_bin("checker");
    format!(
        "{}:{}",
        binary.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

pub fn clean(id: &str) {
    if let Some(cleanup) = exercise(id).cleanup {
        sh_quiet(&cleanup);
    }
}

pub fn solve(id: &str) {
    let solution = exercise(id).solution.expect("exercise has a solution");
    sh(&solution);
}

/// Runs `checker --format json exercise ID` and returns (exit code, check id → status,
/// the whole document).
pub fn verdict(id: &str) -> (i32, BTreeMap<String, String>, serde_json::Value) {
    verdict_with(id, &[])
}

pub fn verdict_with(
    id: &str,
    extra: &[&str],
) -> (i32, BTreeMap<String, String>, serde_json::Value) {
    verdict_in(&std::env::current_dir().expect("cwd"), id, extra)
}

/// The verdict of `checker exercise ID` run from `dir` (the student's working folder).
pub fn verdict_in(
    dir: &Path,
    id: &str,
    extra: &[&str],
) -> (i32, BTreeMap<String, String>, serde_json::Value) {
    let output = checker()
        .current_dir(dir)
        .args(["--format", "json", "exercise", id])
        .args(extra)
        .output()
        .expect("checker runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "JSON output ({e}):\n{text}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let statuses = statuses_of(&doc["exercises"][0]);
    (output.status.code().unwrap_or(-1), statuses, doc)
}

/// Check id → status of one exercise's result (as `--format json` and `checker serve`
/// write it).
pub fn statuses_of(exercise: &serde_json::Value) -> BTreeMap<String, String> {
    exercise["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_string(),
                c["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Asserts exactly these checks fail and the others pass.
pub fn assert_failing(id: &str, failing: &[&str]) {
    assert_failing_in(&std::env::current_dir().expect("cwd"), id, &[], failing);
}

/// `assert_failing` from a working folder, with extra arguments (`--var user=alice`).
pub fn assert_failing_in(dir: &Path, id: &str, extra: &[&str], failing: &[&str]) {
    let (code, statuses, doc) = verdict_in(dir, id, extra);
    let found: Vec<&str> = statuses
        .iter()
        .filter(|(_, s)| s.as_str() != "pass")
        .map(|(c, _)| c.as_str())
        .collect();
    let mut expected = failing.to_vec();
    expected.sort_unstable();
    let mut found_sorted = found.clone();
    found_sorted.sort_unstable();
    assert_eq!(
        found_sorted, expected,
        "exercise {id}: failing checks\n{doc:#}"
    );
    for check in failing {
        assert_eq!(
            statuses[*check], "fail",
            "exercise {id}: {check} must fail, not be uncheckable\n{doc:#}"
        );
    }
    assert_eq!(
        code,
        if failing.is_empty() { 0 } else { 1 },
        "exit code\n{doc:#}"
    );
}

pub fn assert_all_pass(id: &str) {
    assert_failing(id, &[]);
}

/// The failure of one check: (expected, found).
pub fn failure(id: &str, check: &str) -> (String, String) {
    failure_in(&std::env::current_dir().expect("cwd"), id, check)
}

pub fn failure_in(dir: &Path, id: &str, check: &str) -> (String, String) {
    let (_, _, doc) = verdict_in(dir, id, &[]);
    let entry = doc["exercises"][0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == check)
        .unwrap_or_else(|| panic!("check {check} in {doc:#}"))
        .clone();
    assert_eq!(entry["status"], "fail", "{check} should fail: {entry:#}");
    (
        entry["expected"].as_str().unwrap_or_default().to_string(),
        entry["found"].as_str().unwrap_or_default().to_string(),
    )
}

/// Exercise 3.2's image with its file but without curl (the stand-in Ubuntu cannot
/// `apt-get`): the state after the student's commit, minus the install.
pub fn commit_fixture() {
    sh("docker run --name commit-test ubuntu:22.04 sh -c 'echo \"Fichier créé via commit\" > /mon_fichier.txt'
        docker commit commit-test mon-image-commit:latest >/dev/null");
}

/// Seconds since the epoch, with the fraction `docker events --since` accepts.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs_f64()
}

/// How many helper containers the engine saw created since `since` (from [`now`]).
pub fn helpers_created_since(since: f64) -> usize {
    // `--until` in the future would make `docker events` wait for it.
    let until = now() + 0.2;
    std::thread::sleep(std::time::Duration::from_millis(300));
    let output = std::process::Command::new("docker")
        .args(["events", "--since", &format!("{since:.6}")])
        .args(["--until", &format!("{until:.6}")])
        .args(["--filter", "type=container", "--filter", "event=create"])
        .arg("--filter")
        .arg(format!("label={}", checker::docker::helper::LABEL))
        .args(["--format", "{{.ID}}"])
        .output()
        .expect("docker events");
    String::from_utf8_lossy(&output.stdout).lines().count()
}

/// Helper containers of the checker present on the engine (running or not).
pub fn helpers_left() -> usize {
    let output = std::process::Command::new("docker")
        .args(["ps", "-aq", "--filter"])
        .arg(format!("label={}", checker::docker::helper::LABEL))
        .output()
        .expect("docker ps");
    String::from_utf8_lossy(&output.stdout).lines().count()
}

/// Asserts the status of each check of an exercise run from `dir`: the ones listed
/// have the given status (`fail`, `cannot_check`, `not_checked`), all others pass.
pub fn assert_statuses_in(dir: &Path, id: &str, extra: &[&str], expected: &[(&str, &str)]) {
    let (code, statuses, doc) = verdict_in(dir, id, extra);
    let wanted: BTreeMap<String, String> = statuses
        .keys()
        .map(|check| {
            let status = expected
                .iter()
                .find(|(c, _)| c == check)
                .map_or("pass", |(_, s)| s);
            (check.clone(), status.to_string())
        })
        .collect();
    for (check, _) in expected {
        assert!(
            statuses.contains_key(*check),
            "exercise {id} has no check {check}"
        );
    }
    assert_eq!(statuses, wanted, "exercise {id}: statuses\n{doc:#}");
    assert_eq!(
        code,
        if expected.is_empty() { 0 } else { 1 },
        "exit code\n{doc:#}"
    );
}

pub fn assert_statuses(id: &str, expected: &[(&str, &str)]) {
    assert_statuses_in(&std::env::current_dir().expect("cwd"), id, &[], expected);
}

/// One check's JSON result.
pub fn check_result(dir: &Path, id: &str, extra: &[&str], check: &str) -> serde_json::Value {
    let (_, _, doc) = verdict_in(dir, id, extra);
    doc["exercises"][0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == check)
        .unwrap_or_else(|| panic!("check {check} in {doc:#}"))
        .clone()
}

/// Pushes the daemon's past events out of its 256-event memory, as on a host where
/// nothing was done (or long ago): tag and untag a stand-in through the API, which
/// leaves no container, image or name behind.
pub fn forget_history() {
    sh("for i in $(seq 1 140); do
          curl -sf --unix-socket /var/run/docker.sock -X POST \
            \"http://docker/images/busybox:latest/tag?repo=checker-oubli&tag=$i\" >/dev/null
          curl -sf --unix-socket /var/run/docker.sock -X DELETE \
            \"http://docker/images/checker-oubli:$i\" >/dev/null
        done");
}

/// Builds a stand-in image from `checker/tests/rig/standins/DIR` of this checkout, as
/// `rig_standins` does (from the cache when nothing changed): the rig's engine is shared,
/// and a `prepare.sh` run from another checkout rebuilds the stand-ins as *it* defines
/// them. A test that relies on what this checkout's stand-in can do builds it first.
pub fn build_standin(dir: &str, tags: &[&str]) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/rig/standins")
        .join(dir);
    let context = tempfile::tempdir().expect("tempdir");
    let tags: Vec<String> = tags.iter().map(|t| format!("-t {t}")).collect();
    sh(&format!(
        "cp -r '{}/.' '{}/' && cp /bin/busybox '{}/busybox'
         docker build -q {} '{}' >/dev/null",
        source.display(),
        context.path().display(),
        context.path().display(),
        tags.join(" "),
        context.path().display()
    ));
}
