//! Chapter 10 (best practices) on a real engine: exercise 10.1 on a clean host, with the
//! book's files, and in the wrong states students really leave behind.
//!
//! The stand-in `python:3.12-slim` has no `apt-get` nor `pip`: the book's `Dockerfile`
//! is written as the book says (its rules are checked on it), and the image under
//! `app-optimisee:1.0` is built from a fixture with the same end state — a small image,
//! a non-root user, a JSON `CMD`, a page on port 8000 that says the same thing.

mod common;

use std::path::Path;

use common::*;

/// The image's end state, as a stand-in can build it. `{extra}` adds instructions.
fn fixture(extra: &str, user: &str, cmd: &str) -> String {
    format!(
        "FROM python:3.12-slim\n\
         RUN printf '%s\\n' '#!/bin/sh' 'mkdir -p /tmp/www' \
         'echo \"Bonjour depuis une image optimisée ! (uid du processus : $(id -u))\" > /tmp/www/index.html' \
         'exec httpd -f -p 8000 -h /tmp/www' > /usr/local/bin/serve && chmod +x /usr/local/bin/serve\n\
         {extra}\n\
         {user}\n\
         EXPOSE 8000\n\
         {cmd}\n"
    )
}

/// A JSON `CMD` whose page says the uid of the process that serves it, as the book's
/// `app.py` does (`serve` is written by [`fixture`]).
const JSON_CMD: &str = r#"CMD ["serve"]"#;

/// Builds `app-optimisee:1.0` from `dockerfile`, with the student's folder as context.
fn build(dir: &Path, dockerfile: &str) {
    let fixtures = tempfile::tempdir().expect("tempdir");
    let path = fixtures.path().join("Dockerfile");
    std::fs::write(&path, dockerfile).expect("write");
    sh_in(
        &dir.join("app-optimisee"),
        &format!(
            "docker build -q -t app-optimisee:1.0 -f {} . >/dev/null",
            path.display()
        ),
    );
}

/// The book's solution in `dir`, its `docker build` on the fixture.
fn solve_here(dir: &Path, dockerfile: &str) {
    let solution = exercise("10.1").solution.expect("solution");
    let (files, rest) = solution
        .split_once("docker build -t app-optimisee:1.0 .")
        .expect("the solution builds the image");
    sh_in(dir, files);
    build(dir, dockerfile);
    sh_in(&dir.join("app-optimisee"), rest);
}

fn reset() {
    sh_quiet(
        "docker rm -f app-optimisee >/dev/null 2>&1; docker rmi -f app-optimisee:1.0 app-optimisee:naif >/dev/null 2>&1",
    );
}

fn found(dir: &Path, check: &str) -> String {
    check_result(dir, "10.1", &[], check)["found"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn ex_10_1_optimised_image() {
    docker_test!();
    reset();
    let dir = tempfile::tempdir().expect("tempdir");
    let here = dir.path();
    assert_statuses_in(
        here,
        "10.1",
        &[],
        &[
            ("dockerfile", "fail"),
            ("base-epinglee", "not_checked"),
            ("couches", "not_checked"),
            ("dependances-avant-code", "not_checked"),
            ("user-dockerfile", "not_checked"),
            ("dockerignore", "fail"),
            ("image", "fail"),
            ("taille", "not_checked"),
            ("utilisateur-image", "not_checked"),
            ("cmd-image", "not_checked"),
            ("conteneur", "fail"),
            ("page", "not_checked"),
        ],
    );

    // The book's files and an image with the same end state: everything passes, from
    // the parent folder and from inside `app-optimisee`, and the size verdict says what
    // it measured and the margin.
    solve_here(here, &fixture("", "USER 10001", JSON_CMD));
    assert_statuses_in(here, "10.1", &[], &[]);
    assert_statuses_in(&here.join("app-optimisee"), "10.1", &[], &[]);
    let size = found(here, "taille");
    assert!(
        size.contains("Mo mesurés (stockage d'images overlay2"),
        "{size}"
    );
    assert!(size.contains("sous le budget de 250,0 Mo"), "{size}");
    // The right image run as root: the page says so.
    sh("docker rm -f app-optimisee >/dev/null
        docker run -d --name app-optimisee --user 0 -p 8086:8000 app-optimisee:1.0 >/dev/null");
    assert_failing_in(here, "10.1", &[], &["page"]);
    let (_, page) = failure_in(here, "10.1", "page");
    assert!(page.contains("uid du processus : 0"), "{page}");
    // The book's clean-up done before the check: the container is gone.
    sh("docker rm -f app-optimisee >/dev/null");
    assert_statuses_in(
        here,
        "10.1",
        &[],
        &[("conteneur", "fail"), ("page", "not_checked")],
    );

    // 10 MB over the budget: the verdict says how much, and which size it measured.
    build(
        here,
        &fixture(
            "RUN head -c 258000000 /dev/zero > /lest",
            "USER 10001",
            JSON_CMD,
        ),
    );
    let result = check_result(here, "10.1", &[], "taille");
    assert_eq!(result["status"], "fail", "{result:#}");
    let over = result["found"].as_str().unwrap_or_default();
    assert!(
        over.contains("Mo mesurés (stockage d'images overlay2"),
        "{over}"
    );
    assert!(over.contains("10,0 Mo au-dessus du budget"), "{over}");
    assert!(
        result["expected"]
            .as_str()
            .unwrap_or_default()
            .contains("250,0 Mo"),
        "{result:#}"
    );

    // Root (no USER) and a shell-form CMD in the image.
    build(here, &fixture("", "", "CMD httpd -f -p 8000 -h /app/www"));
    let (code, statuses, doc) = verdict_in(here, "10.1", &[]);
    assert_eq!(code, 1);
    assert_eq!(statuses["utilisateur-image"], "fail", "{doc:#}");
    assert_eq!(statuses["cmd-image"], "fail", "{doc:#}");
    assert!(found(here, "utilisateur-image").contains("root"));
    // `USER root` written out is root too.
    build(here, &fixture("", "USER root", JSON_CMD));
    assert_eq!(
        check_result(here, "10.1", &[], "utilisateur-image")["status"],
        "fail"
    );
    reset();

    // The naive Dockerfile of the chapter: every rule it breaks is named, the ones it
    // keeps are not; and no `.dockerignore`.
    std::fs::write(
        here.join("app-optimisee/Dockerfile"),
        "FROM python:latest\nRUN apt-get update\nRUN apt-get install -y curl\nCOPY . /app\n\
         WORKDIR /app\nRUN pip install -r requirements.txt\nEXPOSE 8000\n\
         CMD gunicorn --bind 0.0.0.0:8000 app:app\n",
    )
    .expect("write");
    std::fs::remove_file(here.join("app-optimisee/.dockerignore")).expect("rm");
    let (_, statuses, doc) = verdict_in(here, "10.1", &[]);
    for check in [
        "base-epinglee",
        "couches",
        "dependances-avant-code",
        "user-dockerfile",
        "dockerignore",
    ] {
        assert_eq!(statuses[check], "fail", "{check}: {doc:#}");
    }
    assert_eq!(statuses["dockerfile"], "pass", "{doc:#}");
    let layers = found(here, "couches");
    assert!(layers.contains("ligne 2"), "{layers}");
    // `FROM python` without any tag is not pinned either.
    std::fs::write(
        here.join("app-optimisee/Dockerfile"),
        "FROM python\nUSER 10001\nCMD [\"python\"]\n",
    )
    .expect("write");
    assert_eq!(
        check_result(here, "10.1", &[], "base-epinglee")["status"],
        "fail"
    );
    reset();
}
