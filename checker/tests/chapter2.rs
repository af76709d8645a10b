//! Chapter 2 on a real engine: each exercise fails on a clean host (on the right
//! checks) and passes after its reference solution; the wrong states students really
//! produce fail with messages naming what was expected and what was found.

mod common;

use common::*;

const ALL_2_1: &[&str] = &["existe", "en-marche", "image", "port", "page"];

#[test]
fn ex_2_1_docker_run() {
    docker_test!();
    clean("2.1");
    assert_failing("2.1", ALL_2_1);
    solve("2.1");
    assert_all_pass("2.1");
    clean("2.1");
}

#[test]
fn ex_2_2_docker_ps() {
    docker_test!();
    clean("2.2");
    assert_failing("2.2", &["nginx-en-marche", "hello-world-termine"]);
    solve("2.2");
    assert_all_pass("2.2");
    clean("2.2");
}

#[test]
fn ex_2_3_stop_start() {
    docker_test!();
    clean("2.3");
    assert_failing("2.3", &["en-marche", "page", "redemarre"]);
    // Running and answering, but never restarted: only the restart check fails.
    solve("2.1");
    assert_failing("2.3", &["redemarre"]);
    clean("2.3");
    solve("2.3");
    assert_all_pass("2.3");
    clean("2.3");
}

#[test]
fn ex_2_4_logs() {
    docker_test!();
    clean("2.4");
    assert_failing("2.4", &["en-marche", "ligne-acces"]);
    // Running but nobody opened the page yet: no access line.
    sh("docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest");
    assert_failing("2.4", &["ligne-acces"]);
    clean("2.4");
    solve("2.4");
    assert_all_pass("2.4");
    clean("2.4");
}

#[test]
fn ex_2_5_exec() {
    docker_test!();
    clean("2.5");
    assert_failing("2.5", &["en-marche", "page-exec", "exec-vu"]);
    solve("2.5");
    assert_all_pass("2.5");
    clean("2.5");
}

#[test]
fn ex_2_6_rm_prune() {
    docker_test!();
    clean("2.6");
    // The state left by exercise 2.2 is what 2.6 asks to remove.
    solve("2.2");
    assert_failing("2.6", &["nginx-supprime", "hello-world-supprime"]);
    solve("2.6");
    assert_all_pass("2.6");
    clean("2.6");
}

#[test]
fn ex_2_7_inspect() {
    docker_test!();
    clean("2.7");
    assert_failing("2.7", &["en-marche", "image", "commande"]);
    solve("2.7");
    assert_all_pass("2.7");
    clean("2.7");
}

#[test]
fn wrong_host_port_names_both_ports() {
    docker_test!();
    clean("2.1");
    sh("docker run --name mon-serveur-nginx -p 8081:80 -d nginx:latest");
    assert_failing("2.1", &["port", "page"]);
    let (expected, found) = failure("2.1", "port");
    assert!(expected.contains("8080 → 80/tcp"), "{expected}");
    assert!(found.contains("8081 → 80/tcp"), "{found}");
    let (_, found) = failure("2.1", "page");
    assert!(found.contains("connexion refusée"), "{found}");
    clean("2.1");
}

#[test]
fn stopped_container_is_reported_exited() {
    docker_test!();
    clean("2.1");
    sh(
        "docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest && docker stop mon-serveur-nginx",
    );
    assert_failing("2.1", &["en-marche", "page"]);
    let (expected, found) = failure("2.1", "en-marche");
    assert!(expected.contains("`running`"), "{expected}");
    assert!(found.contains("`exited`"), "{found}");
    clean("2.1");
}

#[test]
fn wrong_image_names_both_images() {
    docker_test!();
    clean("2.1");
    sh("docker run --name mon-serveur-nginx -p 8080:80 -d httpd:alpine");
    assert_failing("2.1", &["image", "page"]);
    let (expected, found) = failure("2.1", "image");
    assert!(expected.contains("nginx:latest"), "{expected}");
    assert!(found.contains("httpd:alpine"), "{found}");
    let (_, found) = failure("2.1", "page");
    assert!(
        found.contains("It works!"),
        "the page found is shown: {found}"
    );
    clean("2.1");
}

#[test]
fn wrong_name_is_reported_missing() {
    docker_test!();
    clean("2.1");
    sh_quiet("docker rm -f mon-nginx");
    sh("docker run --name mon-nginx -p 8080:80 -d nginx:latest");
    // The page answers (right port), but no container has the expected name.
    assert_failing("2.1", &["existe", "en-marche", "image", "port"]);
    let (_, found) = failure("2.1", "existe");
    assert!(found.contains("n'existe pas"), "{found}");
    sh_quiet("docker rm -f mon-nginx");
}

#[test]
fn text_report_shows_expected_found_and_hint() {
    docker_test!();
    clean("2.1");
    sh("docker run --name mon-serveur-nginx -p 8081:80 -d nginx:latest");
    let output = checker().args(["exercise", "2.1"]).output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text.contains("✘ Le port 8080 de l'hôte mène au port 80 du conteneur"),
        "{text}"
    );
    assert!(
        text.contains("attendu : port publié 8080 → 80/tcp"),
        "{text}"
    );
    assert!(
        text.contains("trouvé  : ports publiés 8081 → 80/tcp"),
        "{text}"
    );
    assert!(
        text.contains("indice  : Les ports se publient à la création"),
        "{text}"
    );
    assert!(
        text.contains("3/5 vérifications réussies · 2 échecs"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes with NO_COLOR: {text}"
    );
    clean("2.1");
}
