//! Chapter 12 on a real engine: build arguments and labels, limits, a hardened
//! container and a private registry, with the stand-in `python:3.12-slim` (its
//! `HTTPServer` answers for real) and the rig's registry on `localhost:5000`.

mod common;

use std::path::Path;

use common::*;

/// The python stand-in of this checkout: its `HTTPServer`, `groupadd` and `useradd`.
fn python_standin() {
    build_standin("python", &["python:3.12-slim", "standin/python:3.12-slim"]);
}

fn remove_all() {
    sh_quiet(
        "docker rm -f limite durci gourmand calcul mon-app-essai; docker rmi -f mon-app-prod:1.2.3",
    );
}

fn build_prod(dir: &Path) {
    sh_in(dir, &exercise("12.1").solution.expect("solution"));
}

#[test]
fn ex_12_1_build_args_and_labels() {
    docker_test!();
    python_standin();
    remove_all();
    let dir = tempfile::tempdir().expect("tempdir");
    assert_statuses_in(
        dir.path(),
        "12.1",
        &[],
        &[
            ("dockerfile-prod", "fail"),
            ("dockerignore", "fail"),
            ("image", "fail"),
            ("label-version", "not_checked"),
            ("labels-oci", "not_checked"),
            ("env-version", "not_checked"),
            ("utilisateur", "not_checked"),
        ],
    );
    build_prod(dir.path());
    assert_failing_in(dir.path(), "12.1", &[], &[]);
    assert_failing_in(&dir.path().join("mon-app-build"), "12.1", &[], &[]);

    // Built without `--build-arg`: the default version, in the label and the env.
    sh_in(
        &dir.path().join("mon-app-build"),
        "docker build -q -f Dockerfile.prod -t mon-app-prod:1.2.3 . >/dev/null",
    );
    assert_failing_in(dir.path(), "12.1", &[], &["label-version", "env-version"]);
    let (expected, found) = failure_in(dir.path(), "12.1", "env-version");
    assert!(expected.contains("APP_VERSION=1.2.3"), "{expected}");
    assert!(found.contains("APP_VERSION=0.0.0-dev"), "{found}");

    // The ARG not copied into ENV, and no USER: the version is gone at run time.
    sh_in(
        &dir.path().join("mon-app-build"),
        "sed -i -e 's/^ENV APP_VERSION=.*/ENV \\\\/' -e '/^USER /d' Dockerfile.prod
         docker build -q -f Dockerfile.prod --build-arg APP_VERSION=1.2.3 --build-arg BUILD_DATE=now -t mon-app-prod:1.2.3 . >/dev/null",
    );
    assert_failing_in(dir.path(), "12.1", &[], &["env-version", "utilisateur"]);
    let (_, found) = failure_in(dir.path(), "12.1", "env-version");
    assert!(found.contains("absente"), "{found}");
    remove_all();
}

#[test]
fn ex_12_2_limits() {
    docker_test!();
    remove_all();
    assert_statuses(
        "12.2",
        &[
            ("existe", "fail"),
            ("en-marche", "not_checked"),
            ("memoire", "not_checked"),
            ("processeur", "not_checked"),
        ],
    );
    solve("12.2");
    assert_all_pass("12.2");

    // Half the memory, and `--cpus` forgotten.
    sh(
        "docker rm -f limite >/dev/null && docker run -d --name limite --memory 256m nginx:latest >/dev/null",
    );
    assert_failing("12.2", &["memoire", "processeur"]);
    let (expected, found) = failure("12.2", "memoire");
    assert!(expected.contains("536870912"), "{expected}");
    assert!(found.contains("268435456"), "{found}");
    let (_, found) = failure("12.2", "processeur");
    assert!(found.contains("aucune limite CPU"), "{found}");

    // The same 1.5 CPUs as a quota over a period: the engine's other way of saying it.
    sh("docker rm -f limite >/dev/null
        docker run -d --name limite --memory 512m --cpu-period 100000 --cpu-quota 150000 nginx:latest >/dev/null");
    assert_all_pass("12.2");
    // Fixed in place with `docker update`, as the hint says.
    sh("docker rm -f limite >/dev/null
        docker run -d --name limite --memory 256m nginx:latest >/dev/null
        docker update --memory 512m --memory-swap 1g --cpus 1.5 limite >/dev/null");
    assert_all_pass("12.2");
    clean("12.2");
}

#[test]
fn ex_12_3_hardened() {
    docker_test!();
    python_standin();
    remove_all();
    let dir = tempfile::tempdir().expect("tempdir");
    build_prod(dir.path());
    assert_statuses(
        "12.3",
        &[
            ("existe", "fail"),
            ("en-marche", "not_checked"),
            ("lecture-seule", "not_checked"),
            ("capabilities", "not_checked"),
            ("privileges", "not_checked"),
            ("utilisateur", "not_checked"),
            ("repond", "not_checked"),
        ],
    );
    solve("12.3");
    assert_all_pass("12.3");

    // `--cap-drop ALL` without the add, as root, writable, without no-new-privileges.
    sh("docker rm -f durci >/dev/null
        docker run -d --name durci --cap-drop ALL --user 0 -p 8090:8000 mon-app-prod:1.2.3 >/dev/null");
    assert_failing(
        "12.3",
        &["lecture-seule", "capabilities", "privileges", "utilisateur"],
    );
    let (expected, found) = failure("12.3", "capabilities");
    assert!(expected.contains("`NET_BIND_SERVICE`"), "{expected}");
    assert!(found.contains("aucune capability ajoutée"), "{found}");
    let (_, found) = failure("12.3", "utilisateur");
    assert!(found.contains("`0`"), "{found}");

    // Everything added back, but one capability too many and the tmpfs forgotten.
    sh("docker rm -f durci >/dev/null
        docker run -d --name durci --read-only --cap-drop ALL --cap-add NET_BIND_SERVICE --cap-add CAP_CHOWN \
          --security-opt no-new-privileges:true --user 1001:1001 -p 8090:8000 mon-app-prod:1.2.3 >/dev/null");
    assert_failing("12.3", &["lecture-seule", "capabilities"]);
    let (_, found) = failure("12.3", "lecture-seule");
    assert!(found.contains("aucun tmpfs"), "{found}");

    // Hardened but the port not published: the app is not reachable.
    sh("docker rm -f durci >/dev/null
        docker run -d --name durci --read-only --mount type=tmpfs,destination=/tmp --cap-drop all --cap-add net_bind_service \
          --security-opt no-new-privileges --user 1001:1001 mon-app-prod:1.2.3 >/dev/null");
    assert_failing("12.3", &["repond"]);
    clean("12.3");
    clean("12.1");
}

fn unpublish_mon_app() {
    sh_quiet(
        "d=$(curl -sI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
             http://localhost:5000/v2/mon-app/manifests/1.0 | tr -d '\\r' | awk -F': ' 'tolower($1)==\"docker-content-digest\"{print $2}')
         [ -n \"$d\" ] && curl -s -X DELETE http://localhost:5000/v2/mon-app/manifests/$d
         docker rmi -f mon-app:1.0 localhost:5000/mon-app:1.0",
    );
}

#[test]
fn ex_12_4_private_registry() {
    docker_test!();
    unpublish_mon_app();
    let dir = tempfile::tempdir().expect("tempdir");
    sh_in(dir.path(), &exercise("3.1").solution.expect("solution"));
    assert_failing("12.4", &["publiee"]);
    // The rig's registry already listens on localhost:5000 (no `registry:3` image
    // here): the exercise's push, without its `docker run registry:3`.
    sh(
        "docker tag mon-app:1.0 localhost:5000/mon-app:1.0 && docker push -q localhost:5000/mon-app:1.0 >/dev/null",
    );
    assert_all_pass("12.4");
    // Rebuilt and not pushed again: the registry holds another image.
    sh_in(
        &dir.path().join("mon-app-docker"),
        "echo '# reconstruite' >> app.py && docker build -q -t mon-app:1.0 . >/dev/null",
    );
    assert_failing("12.4", &["publiee"]);
    unpublish_mon_app();
}
