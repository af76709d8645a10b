//! Chapter 15 on a real engine, as a student lives it: the three services built from
//! `checker init 15.1` with the course's Dockerfile (stand-ins `node:24-alpine`, whose
//! `apk add dumb-init`, `npm ci` and `node server.js` work offline), the build cache of
//! 15.2, the clean-up of 15.3; and the slips students make on the way.

mod common;

use std::path::Path;

use common::*;

/// The node stand-in of this checkout (`apk add dumb-init`, `npm ci`, `node server.js`).
fn node_standin() {
    build_standin("node", &["node:24-alpine", "standin/node:24-alpine"]);
}

fn reset() {
    sh_quiet(
        "docker rm -f payment-gateway tour-catalog booking-service
         for r in payment-gateway-service tour-catalog-service booking-service; do
           docker images \"$r\" --format '{{.Repository}}:{{.Tag}}' | xargs -r docker rmi -f
         done",
    );
}

fn service(dir: &Path, name: &str) -> std::path::PathBuf {
    dir.join("xp-microservices/app").join(name)
}

#[test]
fn ex_15_the_whole_chapter() {
    docker_test!();
    node_standin();
    reset();
    let dir = tempfile::tempdir().expect("tempdir");
    assert_statuses_in(
        dir.path(),
        "15.1",
        &[],
        &[
            ("dockerfile", "fail"),
            ("dockerignore", "fail"),
            ("image", "fail"),
            ("utilisateur", "not_checked"),
            ("port-sante", "not_checked"),
            ("dumb-init", "not_checked"),
            ("contenu", "not_checked"),
            ("conteneur", "fail"),
            ("sain", "fail"),
            ("catalogue", "fail"),
            ("reservations", "fail"),
            ("health", "fail"),
        ],
    );
    sh_in(dir.path(), &exercise("15.1").solution.expect("solution"));
    assert_failing_in(dir.path(), "15.1", &[], &[]);
    assert_failing_in(&dir.path().join("xp-microservices"), "15.1", &[], &[]);

    // 15.2 before its build: no 2.0 yet.
    assert_statuses_in(
        dir.path(),
        "15.2",
        &[],
        &[
            ("ordre", "pass"),
            ("image-v1", "pass"),
            ("image-v2", "fail"),
            ("couches", "not_checked"),
        ],
    );
    sh_in(dir.path(), &exercise("15.2").solution.expect("solution"));
    assert_failing_in(dir.path(), "15.2", &[], &[]);

    // 15.3 before the clean-up: everything is still there, and no script.
    assert_statuses_in(
        dir.path(),
        "15.3",
        &[],
        &[
            ("script", "fail"),
            ("script-prune", "fail"),
            ("conteneur-paiement", "fail"),
            ("conteneur-catalogue", "fail"),
            ("conteneur-reservations", "fail"),
            ("image-paiement", "fail"),
            ("image-reservations", "fail"),
            ("image-catalogue", "fail"),
            ("image-catalogue-v2", "fail"),
            ("aucun-tag", "fail"),
        ],
    );
    sh_in(dir.path(), &exercise("15.3").solution.expect("solution"));
    assert_failing_in(dir.path(), "15.3", &[], &[]);
    // The script as `checker init` writes it, before the `chmod +x`.
    sh_in(
        dir.path(),
        "chmod -x xp-microservices/scripts/docker-cleanup.sh",
    );
    assert_failing_in(dir.path(), "15.3", &[], &["script"]);
    let (expected, found) = failure_in(dir.path(), "15.3", "script");
    assert!(expected.contains("chmod +x"), "{expected}");
    assert!(found.contains("n'est pas exécutable"), "{found}");
    reset();
}

#[test]
fn ex_15_1_slips() {
    docker_test!();
    node_standin();
    reset();
    let dir = tempfile::tempdir().expect("tempdir");
    sh_in(dir.path(), &exercise("15.1").solution.expect("solution"));
    let pay = service(dir.path(), "payment-service");

    // Started without `--restart unless-stopped`: that alone fails, the service is fine.
    sh_in(
        &pay,
        "docker rm -f payment-gateway >/dev/null
         docker run -d -p 3004:3004 --name payment-gateway --env-file .env.docker payment-gateway-service:1.0 >/dev/null",
    );
    assert_statuses_in(
        dir.path(),
        "15.1",
        &[],
        &[("conteneur", "fail"), ("sain", "pass"), ("health", "pass")],
    );
    let (_, found) = failure_in(dir.path(), "15.1", "conteneur");
    assert!(found.contains("politique de redémarrage"), "{found}");

    // Root user and a health check on the wrong port: the health check never passes,
    // and the checker waits no longer than the card says.
    sh_in(
        &pay,
        "sed -i -e '/^USER /d' -e 's|127.0.0.1:3004/health|127.0.0.1:3999/health|' Dockerfile
         docker build -q -t payment-gateway-service:1.0 . >/dev/null
         docker rm -f payment-gateway >/dev/null
         docker run -d -p 3004:3004 --name payment-gateway --env-file .env.docker --restart unless-stopped payment-gateway-service:1.0 >/dev/null",
    );
    let start = std::time::Instant::now();
    assert_failing_in(dir.path(), "15.1", &[], &["utilisateur", "sain"]);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(60),
        "the health check's wait is bounded"
    );
    // The image's slips from here on: without the container, no 45 s wait each time.
    sh("docker rm -f payment-gateway >/dev/null");
    let (_, found) = failure_in(dir.path(), "15.1", "utilisateur");
    assert!(found.contains("root"), "{found}");

    // The ENTRYPOINT in shell form: `/bin/sh` would be PID 1 (and CMD ignored).
    sh_in(
        &pay,
        "sed -i -e 's|^ENTRYPOINT .*|ENTRYPOINT dumb-init --|' Dockerfile
         docker build -q -t payment-gateway-service:1.0 . >/dev/null",
    );
    let check = check_result(dir.path(), "15.1", &[], "dumb-init");
    assert_eq!(check["status"], "fail", "{check:#}");
    assert!(
        check["found"]
            .as_str()
            .unwrap_or_default()
            .contains("forme shell"),
        "{check:#}"
    );

    // A single-stage Dockerfile, and a `.dockerignore` that lets `.env` through.
    sh_in(
        &pay,
        "printf 'FROM node:24-alpine\\nWORKDIR /app\\nCOPY package*.json ./\\nRUN npm ci --omit=dev\\nCOPY . .\\nHEALTHCHECK CMD node -e \"http://127.0.0.1:3004/health\"\\nCMD [\"node\", \"server.js\"]\\n' > Dockerfile
         printf 'node_modules/\\n' > .dockerignore
         echo 'STRIPE_SECRET_KEY=sk_live_secret' > .env",
    );
    let (_, statuses, doc) = verdict_in(dir.path(), "15.1", &[]);
    assert_eq!(statuses["dockerfile"], "fail", "{doc:#}");
    assert_eq!(statuses["dockerignore"], "fail", "{doc:#}");
    // Built and run that way: `.env` lands in the image, and the uid is root's.
    sh_in(
        &pay,
        "docker build -q -t payment-gateway-service:1.0 . >/dev/null",
    );
    let check = check_result(dir.path(), "15.1", &[], "contenu");
    assert_eq!(check["status"], "fail", "{check:#}");
    assert!(
        check["found"]
            .as_str()
            .unwrap_or_default()
            .contains("/app/.env"),
        "{check:#}"
    );
    reset();
}

#[test]
fn ex_15_2_sources_before_manifests() {
    docker_test!();
    node_standin();
    reset();
    let dir = tempfile::tempdir().expect("tempdir");
    sh_in(dir.path(), "checker init 15.1 >/dev/null");
    let tour = service(dir.path(), "tour-catalog-service");
    // The wrong order of the course (`Dockerfile.mauvais-ordre`): the whole context,
    // then the install, in one stage. A change of code re-runs `npm ci`.
    sh_in(
        &tour,
        "printf 'FROM node:24-alpine\\nWORKDIR /app\\nCOPY . .\\nRUN npm ci --omit=dev\\nCMD [\"node\", \"server.js\"]\\n' > Dockerfile
         docker build -q -t tour-catalog-service:1.0 . >/dev/null
         echo \"console.log('Controller loaded - version 2.0');\" >> src/controllers/tourController.js
         docker build -q -t tour-catalog-service:2.0 . >/dev/null",
    );
    assert_failing_in(dir.path(), "15.2", &[], &["ordre", "couches"]);
    let (expected, found) = failure_in(dir.path(), "15.2", "couches");
    assert!(expected.contains("npm ci"), "{expected}");
    assert!(found.contains("diffère déjà"), "{found}");

    // The same order in the builder stage of a multi-stage build: `npm ci` runs again,
    // but it installs the same files, and BuildKit compares what `COPY --from` copies,
    // so the final image's dependency layer is shared. The Dockerfile rule still names
    // the slip; the layers check does not claim more than the layers show.
    sh_in(
        &tour,
        "printf 'FROM node:24-alpine AS builder\\nWORKDIR /app\\nCOPY . .\\nRUN npm ci --omit=dev\\n\\nFROM node:24-alpine\\nWORKDIR /app\\nCOPY --from=builder /app/node_modules ./node_modules\\nCOPY --from=builder /app/src ./src\\nCOPY --from=builder /app/server.js ./\\nCMD [\"node\", \"server.js\"]\\n' > Dockerfile
         docker build -q -t tour-catalog-service:1.0 . >/dev/null
         echo '// 2.0 bis' >> src/controllers/tourController.js
         docker build -q -t tour-catalog-service:2.0 . >/dev/null",
    );
    assert_failing_in(dir.path(), "15.2", &[], &["ordre"]);

    // The right order, but 2.0 tagged without a rebuild: one image, nothing compared.
    sh_in(
        &tour,
        "printf 'FROM node:24-alpine AS builder\\nWORKDIR /app\\nCOPY package*.json ./\\nRUN npm ci --omit=dev\\nCOPY . .\\n\\nFROM node:24-alpine\\nWORKDIR /app\\nCOPY --from=builder /app/node_modules ./node_modules\\nCOPY --from=builder /app/src ./src\\nCOPY --from=builder /app/server.js ./\\nCMD [\"node\", \"server.js\"]\\n' > Dockerfile
         docker build -q -t tour-catalog-service:1.0 . >/dev/null
         docker tag tour-catalog-service:1.0 tour-catalog-service:2.0",
    );
    assert_failing_in(dir.path(), "15.2", &[], &["couches"]);
    let (_, found) = failure_in(dir.path(), "15.2", "couches");
    assert!(found.contains("la même image"), "{found}");
    // Then the code changed and rebuilt: the layers up to node_modules are shared.
    sh_in(
        &tour,
        "echo '// 2.0' >> src/app.js && docker build -q -t tour-catalog-service:2.0 . >/dev/null",
    );
    assert_all_pass_in(dir.path(), "15.2");
    reset();
}

fn assert_all_pass_in(dir: &Path, id: &str) {
    assert_failing_in(dir, id, &[], &[]);
}
