//! The Compose exercises (chapters 7, 8.3, 9, 10.2, 13.3, 14) with the real `docker
//! compose` on the rig's engine.
//!
//! Each test runs the student's own `compose.yaml` (the exercise's solution). Where an
//! official image cannot be pulled here, an override file (`COMPOSE_FILE=compose.yaml:
//! override.yaml`, as a student would layer one) swaps in a stand-in: Compose still puts
//! its real labels, networks, volumes, health checks and `depends_on` on what it creates.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Runs `script` with `sh -e` in `dir`, with `COMPOSE_FILE` set when `compose_file` is
/// given (relative to the project folder the script `cd`s into).
fn run(dir: &Path, compose_file: Option<&str>, script: &str) {
    let mut command = Command::new("sh");
    command
        .arg("-ec")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path_with_checker());
    if let Some(files) = compose_file {
        command.env("COMPOSE_FILE", files);
    }
    let output = command.output().expect("sh runs");
    assert!(
        output.status.success(),
        "script failed:\n{script}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The solution of `id`, run in `dir` (with an override layered on when given).
fn solve_in(dir: &Path, id: &str, compose_file: Option<&str>) {
    let solution = exercise(id).solution.expect("solution");
    run(dir, compose_file, &solution);
}

/// Builds the stand-ins these tests lean on (nginx's proxy and curl, redis-cli,
/// postgres) from this checkout, as the rig does: the shared engine may hold the versions
/// of another branch. Cached, so about a second when nothing changed.
fn standins() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rig/standins");
    for (name, tags) in [
        (
            "nginx",
            "nginx:latest nginx:1.21-alpine standin/nginx:latest",
        ),
        ("redis", "redis:latest standin/redis:latest"),
        (
            "postgres",
            "postgres:17-alpine postgres:16-alpine standin/postgres:17-alpine",
        ),
    ] {
        let context = tempfile::tempdir().expect("tempdir");
        let tags: String = tags.split(' ').map(|t| format!(" -t {t}")).collect();
        sh(&format!(
            "cp -r {source}/. {context}/ && cp /bin/busybox {context}/busybox
             docker build -q{tags} {context} >/dev/null",
            source = dir.join(name).display(),
            context = context.path().display(),
        ));
    }
}

/// `nginx:alpine` is what chapter 7 pulls: here, the nginx stand-in under that tag.
fn nginx_alpine() {
    // Whatever an interrupted run left under chapter 7's names.
    sh_quiet(
        "docker rm -f compose-nginx compose-frontend compose-backend compose-api compose-proxy",
    );
    sh("docker tag standin/nginx:latest nginx:alpine");
}

/// The stand-in for the Flask API of 7.3: answers `Hello $TARGET from the API!` on 5000.
const API_OVERRIDE: &str = r#"services:
  api:
    build:
      dockerfile_inline: |
        FROM nginx:latest
        WORKDIR /app
        COPY app.py requirements.txt ./
        ENV TARGET="Docker Compose"
        EXPOSE 5000
        CMD ["sh", "-c", "printf 'Hello %s from the API!\\n' \"$$TARGET\" > /usr/share/nginx/html/index.html && exec nc -ll -p 5000 -e /usr/sbin/nginx-serve"]
"#;

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn check_reason(dir: &Path, id: &str, check: &str) -> String {
    check_result(dir, id, &[], check)["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn ex_7_1_one_service() {
    docker_test!();
    let work = fresh(&["7.1"]);
    nginx_alpine();
    let dir = work.path();
    statuses(
        dir,
        "7.1",
        &[
            ("fichier", "fail"),
            ("projet", "fail"),
            ("page", "not_checked"),
        ],
    );
    // The same container made by hand, with the Compose name and port: not the project's.
    sh("docker run -d --name compose-nginx -p 8081:80 nginx:alpine >/dev/null");
    let (_, found) = failure_in(dir, "7.1", "projet");
    assert!(found.contains("n'a pas été créé par Compose"), "{found}");
    sh("docker rm -f compose-nginx >/dev/null");
    solve_in(dir, "7.1", None);
    assert_all_pass_in(dir, "7.1");
    // From inside the project's folder too.
    assert_all_pass_in(&dir.join("compose-app"), "7.1");
    // A stopped service.
    run(
        &dir.join("compose-app"),
        None,
        "docker compose stop webserver",
    );
    statuses(dir, "7.1", &[("projet", "fail"), ("page", "not_checked")]);
    let (expected, found) = failure_in(dir, "7.1", "projet");
    assert!(expected.contains("état `running`"), "{expected}");
    assert!(found.contains("exited"), "{found}");
    run(
        &dir.join("compose-app"),
        None,
        "docker compose start webserver",
    );
    // An obsolete `version:` is a warning under a pass, not a failure.
    let file = dir.join("compose-app/compose.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    write(&file, &format!("version: \"3.8\"\n{text}"));
    assert_all_pass_in(dir, "7.1");
    let reason = check_reason(dir, "7.1", "fichier");
    assert!(reason.contains("`version: 3.8` est obsolète"), "{reason}");
    let output = checker()
        .current_dir(dir)
        .args(["exercise", "7.1"])
        .output()
        .expect("checker runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("attention :"), "{text}");
    // The project under another name (no `name:`, a folder called otherwise).
    clean("7.1");
    let other = dir.join("mon-projet");
    write(
        &other.join("compose.yaml"),
        &text_without_name(&std::fs::read_to_string(&file).expect("read")),
    );
    run(&other, None, "docker compose up -d");
    let (_, found) = failure_in(dir, "7.1", "projet");
    assert!(found.contains("dans le projet `mon-projet`"), "{found}");
    run(&other, None, "docker compose down");
    clean("7.1");
    assert_eq!(helpers_left(), 0);
}

fn text_without_name(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("name:") && !l.starts_with("version:"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_all_pass_in(dir: &Path, id: &str) {
    assert_failing_in(dir, id, &[], &[]);
}

/// The start of an exercise's test: the stand-in images, a host clean of exercises
/// `ids`, and an empty working folder.
fn fresh(ids: &[&str]) -> tempfile::TempDir {
    standins();
    for id in ids {
        clean(id);
    }
    tempfile::tempdir().expect("tempdir")
}

/// The checks of `id` run from `dir` that do not pass, with their status; the rest pass.
fn statuses(dir: &Path, id: &str, expected: &[(&str, &str)]) {
    assert_statuses_in(dir, id, &[], expected);
}

#[test]
fn ex_7_2_two_services_one_network() {
    docker_test!();
    let work = fresh(&["7.2"]);
    nginx_alpine();
    let dir = work.path();
    statuses(
        dir,
        "7.2",
        &[
            ("projet", "fail"),
            ("reseau", "not_checked"),
            ("par-son-nom", "not_checked"),
            ("page", "not_checked"),
        ],
    );
    solve_in(dir, "7.2", None);
    assert_all_pass_in(dir, "7.2");
    // The backend stopped: the project check names it, the rest waits on it.
    run(
        &dir.join("compose-app"),
        None,
        "docker compose stop backend",
    );
    statuses(
        dir,
        "7.2",
        &[
            ("projet", "fail"),
            ("reseau", "not_checked"),
            ("par-son-nom", "not_checked"),
            ("page", "not_checked"),
        ],
    );
    clean("7.2");
}

#[test]
fn ex_7_3_and_7_4_build_and_daily_commands() {
    docker_test!();
    let work = fresh(&["7.3"]);
    nginx_alpine();
    let dir = work.path();
    let project = dir.join("compose-app");
    write(&project.join("standin.yaml"), API_OVERRIDE);
    let files = Some("compose.yaml:standin.yaml");
    statuses(
        dir,
        "7.3",
        &[
            ("fichier", "fail"),
            ("projet", "fail"),
            ("construite", "not_checked"),
            ("lecture-seule", "not_checked"),
            ("reponse", "not_checked"),
        ],
    );
    solve_in(dir, "7.3", files);
    assert_all_pass_in(dir, "7.3");
    // `nginx.conf` mounted read-write: the file and the container both say so.
    let compose = project.join("compose.yaml");
    let text = std::fs::read_to_string(&compose).expect("read");
    write(&compose, &text.replace("default.conf:ro", "default.conf"));
    run(&project, files, "docker compose up -d");
    statuses(
        dir,
        "7.3",
        &[("fichier", "fail"), ("lecture-seule", "fail")],
    );
    let (_, found) = failure_in(dir, "7.3", "fichier");
    assert!(found.contains("lecture-écriture"), "{found}");
    assert!(found.contains("`docker compose config`"), "{found}");
    write(&compose, &text);
    // Recreated by `up` (the mount changed back): never restarted yet, so 7.4 fails
    // on exactly the restarts.
    run(&project, files, "docker compose up -d");
    statuses(
        dir,
        "7.4",
        &[("api-relancee", "fail"), ("proxy-relance", "fail")],
    );
    solve_in(dir, "7.4", files);
    assert_all_pass_in(dir, "7.4");
    // `down` then `up`: new containers, never restarted.
    run(
        &project,
        files,
        "docker compose down && docker compose up -d",
    );
    statuses(
        dir,
        "7.4",
        &[("api-relancee", "fail"), ("proxy-relance", "fail")],
    );
    // The API from a pulled image instead of `build:` (`!reset` drops the key).
    write(
        &project.join("pulled.yaml"),
        "services:\n  api:\n    build: !reset null\n    image: nginx:latest\n    command: [\"sh\", \"-c\", \"echo 'Hello Docker Compose from the API!' > /usr/share/nginx/html/index.html && exec nc -ll -p 5000 -e /usr/sbin/nginx-serve\"]\n",
    );
    run(
        &project,
        Some("compose.yaml:pulled.yaml"),
        "docker compose up -d",
    );
    statuses(dir, "7.3", &[("construite", "fail")]);
    let (_, found) = failure_in(dir, "7.3", "construite");
    assert!(found.contains("pas été construite par Compose"), "{found}");
    clean("7.4");
    clean("7.3");
}

/// The voting app's three built services as stand-ins: the real pages' templates
/// served as they are (`Votez`, `Résultats`), a worker that waits.
const VOTING_OVERRIDE: &str = r#"services:
  vote:
    # The rig's registry holds 5000 (as AirPlay does on a Mac): the card's variable.
    ports: !override ["5002:5000"]
    stop_signal: SIGKILL
    build:
      dockerfile_inline: |
        FROM nginx:latest
        COPY templates/index.html /usr/share/nginx/html/index.html
        EXPOSE 5000
        CMD ["nc", "-ll", "-p", "5000", "-e", "/usr/sbin/nginx-serve"]
  worker:
    stop_signal: SIGKILL
    build:
      dockerfile_inline: |
        FROM busybox:latest
        COPY worker.py /app/worker.py
        CMD ["sleep", "86400"]
  result:
    stop_signal: SIGKILL
    build:
      dockerfile_inline: |
        FROM nginx:latest
        COPY views/index.ejs /usr/share/nginx/html/index.html
        EXPOSE 5001
        CMD ["nc", "-ll", "-p", "5001", "-e", "/usr/sbin/nginx-serve"]
"#;

const VOTE_PORT: &[&str] = &["--var", "port_vote=5002"];

#[test]
fn ex_9_1_and_9_2_voting_app_and_its_data() {
    docker_test!();
    let work = fresh(&["9.1"]);
    sh("docker tag standin/redis:latest redis:7.4-alpine");
    let dir = work.path();
    let project = dir.join("voting-app");
    assert_statuses_in(
        dir,
        "9.1",
        VOTE_PORT,
        &[
            ("fichier", "fail"),
            ("services", "fail"),
            ("construits", "not_checked"),
            ("reseau", "not_checked"),
            ("volume", "not_checked"),
            ("page-vote", "not_checked"),
            ("page-resultats", "not_checked"),
        ],
    );
    // `checker init 9.1` keeps a file already there: the override is layered on.
    write(&project.join("standin.yaml"), VOTING_OVERRIDE);
    let files = Some("compose.yaml:standin.yaml");
    solve_in(dir, "9.1", files);
    for file in [
        "vote/app.py",
        "worker/worker.py",
        "result/server.js",
        "compose.yaml",
    ] {
        assert!(
            project.join(file).is_file(),
            "checker init 9.1 gives {file}"
        );
    }
    assert_failing_in(dir, "9.1", VOTE_PORT, &[]);
    // The worker stopped (step 8): the project is not whole.
    run(&project, files, "docker compose stop worker");
    let found = check_result(dir, "9.1", VOTE_PORT, "services")["found"].to_string();
    assert!(found.contains("voting-app-worker"), "{found}");
    run(&project, files, "docker compose start worker");
    // 9.2 before any `down`: the volume was made by the same `up` as the database.
    statuses(dir, "9.2", &[("volume-plus-ancien", "fail")]);
    // Volumes know their creation time to the second only.
    std::thread::sleep(std::time::Duration::from_secs(3));
    solve_in(dir, "9.2", files);
    assert_all_pass_in(dir, "9.2");
    // `down -v` lost the data: the new volume is as young as the new database.
    std::thread::sleep(std::time::Duration::from_secs(1));
    run(
        &project,
        files,
        "docker compose down -v && docker compose up -d",
    );
    statuses(dir, "9.2", &[("volume-plus-ancien", "fail")]);
    let (_, found) = failure_in(dir, "9.2", "volume-plus-ancien");
    assert!(found.contains("down -v"), "{found}");
    clean("9.2");
    sh_quiet("docker rmi redis:7.4-alpine");
    assert!(!project.exists() || std::fs::read_dir(&project).is_ok());
}

#[test]
fn ex_8_3_volumes_and_bind_mounts_in_compose() {
    docker_test!();
    let work = fresh(&["8.3"]);
    nginx_alpine();
    sh_quiet("docker rm -f data-nginx data-writer");
    let dir = work.path();
    statuses(
        dir,
        "8.3",
        &[
            ("fichier", "fail"),
            ("projet", "fail"),
            ("page", "not_checked"),
            ("fichiers", "not_checked"),
        ],
    );
    solve_in(dir, "8.3", None);
    assert_all_pass_in(dir, "8.3");
    // The page's folder mounted read-write, and the volume writable by Nginx.
    let project = dir.join("compose-data-app");
    let compose = project.join("compose.yaml");
    let text = std::fs::read_to_string(&compose).expect("read");
    write(
        &compose,
        &text
            .replace(
                "./html:/usr/share/nginx/html:ro",
                "./html:/usr/share/nginx/html",
            )
            .replace("appdata:/app-data:ro", "appdata:/app-data"),
    );
    run(&project, None, "docker compose up -d");
    statuses(
        dir,
        "8.3",
        &[
            ("fichier", "fail"),
            ("projet", "fail"),
            ("page", "not_checked"),
            ("fichiers", "not_checked"),
        ],
    );
    let (_, found) = failure_in(dir, "8.3", "fichier");
    assert!(
        found.contains("/usr/share/nginx/html` est monté en lecture-écriture"),
        "{found}"
    );
    clean("8.3");
}

/// 10.2's health checks where the stand-ins differ: no Python in `vote`, and busybox's
/// `wget` crashes here, so both pages are probed with `nc`; every interval shortened.
const HEALTH_OVERRIDE: &str = r#"services:
  vote:
    healthcheck:
      test: !override ["CMD", "nc", "-w", "1", "127.0.0.1", "5000"]
      interval: 1s
      start_period: 0s
  redis:
    healthcheck: { interval: 1s }
  db:
    healthcheck: { interval: 1s, start_period: 0s }
  result:
    healthcheck:
      test: !override ["CMD", "nc", "-w", "1", "127.0.0.1", "5001"]
      interval: 1s
      start_period: 0s
"#;

/// A database whose health check never passes.
const SICK_DB: &str = r#"services:
  db:
    healthcheck:
      test: !override ["CMD", "false"]
      interval: 1s
      retries: 2
      start_period: 0s
"#;

#[test]
fn ex_10_2_healthy_voting_app() {
    docker_test!();
    let work = fresh(&["9.1", "10.2"]);
    sh("docker tag standin/redis:latest redis:7.4-alpine");
    let dir = work.path();
    let project = dir.join("voting-app");
    write(&project.join("standin.yaml"), VOTING_OVERRIDE);
    write(&project.join("health.yaml"), HEALTH_OVERRIDE);
    write(&project.join("sick.yaml"), SICK_DB);
    // Chapter 9's application, as the student left it.
    solve_in(dir, "9.1", Some("compose.yaml:standin.yaml"));
    statuses(
        dir,
        "10.2",
        &[
            ("env", "fail"),
            ("gitignore", "fail"),
            ("variables", "fail"),
            ("fichier", "fail"),
            ("sante", "fail"),
        ],
    );
    // Chapter 9's short `depends_on` lists: named as waiting for no health.
    let (_, found) = failure_in(dir, "10.2", "fichier");
    assert!(found.contains("sans condition"), "{found}");
    let files = Some("compose.yaml:standin.yaml:health.yaml");
    solve_in(dir, "10.2", files);
    assert_all_pass_in(dir, "10.2");
    // A database never healthy: Compose does not start its dependants.
    run(
        &project,
        Some("compose.yaml:standin.yaml:health.yaml:sick.yaml"),
        "docker compose down && { docker compose up -d || true; }",
    );
    statuses(dir, "10.2", &[("sante", "fail")]);
    let (_, found) = failure_in(dir, "10.2", "sante");
    assert!(
        found.contains("`voting-app-db` : santé `unhealthy`"),
        "{found}"
    );
    clean("10.2");
    sh_quiet("docker rmi redis:7.4-alpine");
}

/// Chapter 14's three services as one busybox stand-in (node and the Python app cannot be
/// pulled here): it serves `/health` on `$PORT`, creates its base at `$DB_PATH`, and the
/// frontend's `/api/status` really asks `$AUTH_URL` and `$ORDER_URL` every second, so
/// the values of the student's `env_file` and the network's names are what it proves.
const MICRO_DOCKERFILE: &str = r#"FROM nginx:latest
RUN mkdir -p /app/db /usr/local/bin && ln -s /usr/bin/curl /usr/local/bin/wget
COPY serve python /usr/local/bin/
CMD ["serve"]
"#;

const MICRO_SERVE: &str = r#"#!/bin/sh
html=/usr/share/nginx/html
mkdir -p "$html/api"
[ -n "$DB_PATH" ] && mkdir -p "$(dirname "$DB_PATH")" && touch "$DB_PATH"
printf '{"status": "ok", "service": "%s"}' "$SERVICE" > "$html/health"
if [ -n "$ORDER_URL" ]; then
  while :; do
    a=injoignable; o=injoignable
    curl -sf "$AUTH_URL/health" >/dev/null 2>&1 && a=ok
    curl -sf "$ORDER_URL/health" >/dev/null 2>&1 && o=ok
    printf '{"auth-service":"%s","order-service":"%s"}' "$a" "$o" > "$html/api/status.new"
    mv "$html/api/status.new" "$html/api/status"
    sleep 1
  done &
fi
exec nc -ll -p "$PORT" -e /usr/sbin/nginx-serve
"#;

/// `python -c "…urlopen('URL'…)…"`, as the course's health check and exec run it.
const MICRO_PYTHON: &str = r#"#!/bin/sh
url=$(printf '%s' "$2" | sed -n "s/.*urlopen('\([^']*\)'.*/\1/p")
[ -n "$url" ] && curl -sf "$url"
"#;

const MICRO_OVERRIDE: &str = r#"services:
  auth-service:
    build: !override { context: ../standin }
    environment: { SERVICE: auth-service }
    stop_signal: SIGKILL
  order-service:
    build: !override { context: ../standin }
    environment: { SERVICE: order-service }
    stop_signal: SIGKILL
  frontend:
    build: !override { context: ../standin }
    environment: { SERVICE: frontend }
    stop_signal: SIGKILL
"#;

fn micro_standin(dir: &Path) {
    let standin = dir.join("standin");
    write(&standin.join("Dockerfile"), MICRO_DOCKERFILE);
    write(&standin.join("serve"), MICRO_SERVE);
    write(&standin.join("python"), MICRO_PYTHON);
    sh(&format!("chmod +x {0}/serve {0}/python", standin.display()));
    write(&dir.join("microservices/standin.yaml"), MICRO_OVERRIDE);
}

#[test]
fn ex_14_1_and_14_2_microservices_and_their_volumes() {
    docker_test!();
    let work = fresh(&["14.1"]);
    let dir = work.path();
    let project = dir.join("microservices");
    statuses(
        dir,
        "14.1",
        &[
            ("fichier", "fail"),
            ("services", "fail"),
            ("construits", "not_checked"),
            ("frontend-joint", "not_checked"),
            ("order-joint-auth", "not_checked"),
            ("auth-joint-order", "not_checked"),
        ],
    );
    micro_standin(dir);
    let files = Some("compose.yaml:standin.yaml");
    solve_in(dir, "14.1", files);
    for file in [
        "auth-service/main.py",
        "order-service/server.js",
        "frontend/public/index.html",
        ".env",
        "auth-service/.env",
    ] {
        assert!(
            project.join(file).is_file(),
            "checker init 14.1 gives {file}"
        );
    }
    assert_all_pass_in(dir, "14.1");
    // 14.2 before its volumes: the file has none, nothing is mounted.
    statuses(
        dir,
        "14.2",
        &[
            ("fichier", "fail"),
            ("volumes", "fail"),
            ("survivent", "not_checked"),
            ("base-auth", "not_checked"),
            ("base-commandes", "not_checked"),
        ],
    );
    solve_in(dir, "14.2", files);
    assert_all_pass_in(dir, "14.2");
    // `down -v`: the bases are new, as young as their containers.
    std::thread::sleep(std::time::Duration::from_secs(1));
    run(
        &project,
        files,
        "docker compose down -v && docker compose up -d --wait",
    );
    statuses(dir, "14.2", &[("survivent", "fail")]);
    clean("14.2");
}

/// Adminer (`adminer:5`) as the nginx stand-in on 8080, probed with `nc`: the stand-in
/// has no PHP.
const ADMINER_OVERRIDE: &str = r#"services:
  adminer:
    command: ["nc", "-ll", "-p", "8080", "-e", "/usr/sbin/nginx-serve"]
    stop_signal: SIGKILL
    healthcheck:
      test: !override ["CMD", "nc", "-w", "1", "127.0.0.1", "8080"]
      interval: 1s
      start_period: 0s
  db:
    healthcheck: { interval: 1s, start_period: 0s }
"#;

#[test]
fn ex_13_3_services_wait_for_healthy_dependencies() {
    docker_test!();
    let work = fresh(&["13.3"]);
    sh("docker tag standin/nginx:latest adminer:5");
    let dir = work.path();
    let project = dir.join("compose-sante");
    statuses(
        dir,
        "13.3",
        &[("env", "fail"), ("fichier", "fail"), ("sante", "fail")],
    );
    write(&project.join("standin.yaml"), ADMINER_OVERRIDE);
    let files = Some("compose.yaml:standin.yaml");
    solve_in(dir, "13.3", files);
    assert_all_pass_in(dir, "13.3");
    // `depends_on` as a list: Adminer no longer waits for the database's health.
    let compose = project.join("compose.yaml");
    let text = std::fs::read_to_string(&compose).expect("read");
    let short = text.replace(
        "      db:\n        condition: service_healthy\n        restart: true\n",
        "      - db\n",
    );
    assert_ne!(short, text, "the card's depends_on is the long form");
    write(&compose, &short);
    let (_, found) = failure_in(dir, "13.3", "fichier");
    assert!(found.contains("sans condition"), "{found}");
    // The database's health check never passes (step 9's wrong port).
    write(
        &compose,
        &text.replace("-h 127.0.0.1 -U", "-h 127.0.0.1 -p 5433 -U"),
    );
    sh_quiet(&format!(
        "cd {} && COMPOSE_FILE=compose.yaml:standin.yaml docker compose down && \
         COMPOSE_FILE=compose.yaml:standin.yaml docker compose up -d",
        project.display()
    ));
    statuses(dir, "13.3", &[("sante", "fail")]);
    let (_, found) = failure_in(dir, "13.3", "sante");
    assert!(found.contains("santé `unhealthy`"), "{found}");
    clean("13.3");
    sh_quiet("docker rmi adminer:5");
}

/// Without the `docker` CLI the checker reads the Compose file itself and says so; a
/// file it cannot make sense of alone is *cannot check*, not a guess.
#[test]
fn the_compose_file_without_the_docker_cli() {
    docker_test!();
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path();
    let empty = work.path().join("sans-docker");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let compose = dir.join("compose-app/compose.yaml");
    write(
        &compose,
        "version: '3.8'\nname: compose-app\nservices:\n  webserver:\n    image: nginx:alpine\n    container_name: compose-nginx\n    ports: [\"8081:80\"]\n",
    );
    let fichier = |dir: &Path| -> serde_json::Value {
        let output = checker()
            .current_dir(dir)
            .env("PATH", &empty)
            .args(["--format", "json", "exercise", "7.1"])
            .output()
            .expect("checker runs");
        let doc: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
        doc["exercises"][0]["checks"]
            .as_array()
            .and_then(|checks| checks.iter().find(|c| c["id"] == "fichier").cloned())
            .unwrap_or_else(|| panic!("no fichier check: {doc:#}"))
    };
    let result = fichier(dir);
    assert_eq!(result["status"], "pass", "{result:#}");
    let found = result["found"].as_str().unwrap_or_default();
    assert!(found.contains("lu par le checker"), "{found}");
    assert!(
        result["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("obsolète"),
        "{result:#}"
    );
    // A read-write mount in the short syntax, read without Compose.
    write(
        &compose,
        "name: compose-app\nservices:\n  webserver:\n    image: nginx:alpine\n    ports: [\"8081:80\"]\n",
    );
    let result = fichier(dir);
    assert_eq!(result["status"], "fail", "{result:#}");
    assert!(
        result["expected"]
            .as_str()
            .unwrap_or_default()
            .contains("container_name"),
        "{result:#}"
    );
    // No `services:` at all: nothing the checker can read alone.
    write(&compose, "name: compose-app\n");
    let result = fichier(dir);
    assert_eq!(result["status"], "cannot_check", "{result:#}");
    let reason = result["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("`docker` est introuvable"), "{reason}");
}
