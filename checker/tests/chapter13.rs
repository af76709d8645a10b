//! Chapter 13 on a real engine: the multi-stage build of 13.1, with the stand-ins
//! `node:24` (heavy, with gcc and make) and `node:24-alpine`, whose `npm ci` fills
//! `node_modules` and the npm cache and whose `tsc` writes `dist/`; the application and
//! its database of 13.2, with busybox images standing for `postgres:17-alpine` and
//! `adminer:5` when the engine has none (no Docker Hub here).

mod common;

use common::*;

/// The node stand-ins of this checkout (`npm ci`, `tsc`, gcc and make in `node:24`).
fn node_standins() {
    build_standin("node", &["node:24-alpine", "standin/node:24-alpine"]);
    build_standin("node-full", &["node:24", "standin/node:24"]);
}

#[test]
fn ex_13_1_multi_stage() {
    docker_test!();
    node_standins();
    clean("13.1");
    let dir = tempfile::tempdir().expect("tempdir");
    assert_statuses_in(
        dir.path(),
        "13.1",
        &[],
        &[
            ("simple", "fail"),
            ("multi", "fail"),
            ("plus-petite", "not_checked"),
            ("sans-compilateur", "not_checked"),
            ("sans-cache-ni-sources", "not_checked"),
            ("compilee", "not_checked"),
        ],
    );
    sh_in(dir.path(), &exercise("13.1").solution.expect("solution"));
    assert_failing_in(dir.path(), "13.1", &[], &[]);
    assert_eq!(
        helpers_left(),
        0,
        "the helpers that read the image are gone"
    );

    // A single-stage image under the multi-stage tag: as big, with the tools.
    let project = dir.path().join("api-node");
    sh_in(
        &project,
        "docker build -q -f Dockerfile.simple -t api-node:multi . >/dev/null",
    );
    assert_failing_in(
        dir.path(),
        "13.1",
        &[],
        &["plus-petite", "sans-compilateur", "sans-cache-ni-sources"],
    );
    let (expected, found) = failure_in(dir.path(), "13.1", "plus-petite");
    assert!(expected.contains("50 %"), "{expected}");
    assert!(found.contains("pas plus petite"), "{found}");
    let (_, found) = failure_in(dir.path(), "13.1", "sans-compilateur");
    assert!(found.contains("`/usr/bin/gcc` est présent"), "{found}");

    // Two stages, but the final one copies the whole build stage.
    sh_in(
        &project,
        "sed -i 's|^COPY --from=builder /app/dist ./dist|COPY --from=builder /app ./|' Dockerfile
         docker build -q -t api-node:multi . >/dev/null",
    );
    assert_failing_in(
        dir.path(),
        "13.1",
        &[],
        &["sans-compilateur", "sans-cache-ni-sources"],
    );
    let (_, found) = failure_in(dir.path(), "13.1", "sans-cache-ni-sources");
    assert!(found.contains("`/app/src`"), "{found}");
    sh_in(dir.path(), &exercise("13.1").cleanup.expect("cleanup"));
}

/// Images that stand for `postgres:17-alpine` (a server on 5432) and `adminer:5` (a
/// page on 8080), built from the busybox stand-in unless the engine has them already (the rig's
/// stand-ins, or the real images).
/// Returns the tags it built, for removal.
fn database_standins() -> Vec<&'static str> {
    let mut built = Vec::new();
    for (tag, command) in [
        (
            "postgres:17-alpine",
            "[\"nc\", \"-ll\", \"-p\", \"5432\", \"-e\", \"cat\"]",
        ),
        (
            "adminer:5",
            "[\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]",
        ),
    ] {
        if std::process::Command::new("docker")
            .args(["image", "inspect", tag])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            continue;
        }
        sh(&format!(
            "printf 'FROM busybox:latest\\nRUN mkdir -p /www && echo \"<title>Adminer</title>\" > /www/index.html\\nLABEL io.github.cours-docker.standin=true\\nCMD {command}\\n' \\
               | docker build -q -t {tag} - >/dev/null"
        ));
        built.push(tag);
    }
    built
}

#[test]
fn ex_13_2_app_and_database_by_name() {
    docker_test!();
    clean("13.2");
    let built = database_standins();
    assert_statuses(
        "13.2",
        &[
            ("reseau", "fail"),
            ("base", "fail"),
            ("application", "fail"),
            ("par-nom", "not_checked"),
            ("page", "not_checked"),
        ],
    );
    solve("13.2");
    assert_all_pass("13.2");
    assert_eq!(helpers_left(), 0, "the probe's helper is gone");

    // The database on the default bridge: no name resolution there.
    sh("docker rm -f db >/dev/null
        docker run -d --name db -e POSTGRES_PASSWORD=exercice-13 postgres:17-alpine >/dev/null");
    assert_statuses(
        "13.2",
        &[
            ("base", "fail"),
            ("par-nom", "not_checked"),
            ("application", "pass"),
        ],
    );
    // Connected afterwards to the network, as the hint says: reached by name.
    sh("docker network connect reseau-app-db db");
    assert_all_pass("13.2");

    // A `db` on the network that serves nothing on 5432 (another image): the name
    // resolves, the connection does not open.
    sh("docker rm -f db >/dev/null
        docker run -d --name db --network reseau-app-db busybox:latest sleep 600 >/dev/null");
    assert_failing("13.2", &["par-nom"]);

    // Both on the default bridge, the slip the chapter warns about.
    sh("docker rm -f db adminer >/dev/null
        docker run -d --name db -e POSTGRES_PASSWORD=exercice-13 postgres:17-alpine >/dev/null
        docker run -d --name adminer -p 8087:8080 adminer:5 >/dev/null");
    assert_statuses(
        "13.2",
        &[
            ("reseau", "pass"),
            ("base", "fail"),
            ("application", "fail"),
            ("par-nom", "not_checked"),
            ("page", "not_checked"),
        ],
    );
    clean("13.2");
    for tag in built {
        sh_quiet(&format!("docker rmi -f {tag}"));
    }
}
