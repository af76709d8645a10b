//! Chapter 2 on a real engine: each exercise fails on a clean host (on the right
//! checks, the root cause once) and passes after its reference solution, done in the
//! book's order; the slips students really make are named, with their fix.

mod common;

use common::*;

/// 2.1 when no container has the expected name: that is the one failure about it.
const NAME_MISSING: &[(&str, &str)] = &[
    ("existe", "fail"),
    ("en-marche", "not_checked"),
    ("image", "not_checked"),
    ("port", "not_checked"),
];

/// The server of 2.1, which 2.2–2.5 reuse (their clean-up is 2.6's job).
fn reset_server() {
    clean("2.1");
    sh_quiet("docker rm -f mon-nginx");
}

#[test]
fn ex_2_1_docker_run() {
    docker_test!();
    reset_server();
    let nothing = [NAME_MISSING, &[("page", "fail")]].concat();
    assert_statuses("2.1", &nothing);
    solve("2.1");
    assert_all_pass("2.1");
    reset_server();
}

#[test]
fn ex_2_2_docker_ps() {
    docker_test!();
    reset_server();
    clean("1.3");
    assert_failing("2.2", &["nginx-en-marche", "hello-world-termine"]);
    solve("1.3");
    solve("2.1");
    solve("2.2");
    assert_all_pass("2.2");
    reset_server();
    clean("1.3");
}

#[test]
fn ex_2_3_stop_start() {
    docker_test!();
    reset_server();
    assert_statuses(
        "2.3",
        &[
            ("en-marche", "fail"),
            ("page", "not_checked"),
            ("redemarre", "not_checked"),
        ],
    );
    // Running and answering, but never restarted: only the restart check fails.
    solve("2.1");
    assert_failing("2.3", &["redemarre"]);
    // Stopped only: the creation's `start` does not count as « started again ».
    sh("docker stop mon-serveur-nginx >/dev/null");
    assert_statuses(
        "2.3",
        &[
            ("en-marche", "fail"),
            ("page", "not_checked"),
            ("redemarre", "not_checked"),
        ],
    );
    sh("docker start mon-serveur-nginx >/dev/null");
    assert_all_pass("2.3");
    // From a fresh container, the book's commands.
    reset_server();
    solve("2.1");
    solve("2.3");
    assert_all_pass("2.3");
    reset_server();
}

#[test]
fn events_in_order_need_a_start_after_the_stop() {
    docker_test!();
    reset_server();
    solve("2.1");
    sh("docker stop mon-serveur-nginx >/dev/null");
    // The `events` alternative alone: stop seen, no start after it.
    let (expected, found) = {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("ch")).expect("mkdir");
        std::fs::write(
            dir.path().join("ch/9.1.yaml"),
            "id: \"9.1\"\nchapter: 9\ntitle: Ordre\nobjective: o\nchecks:\n  - id: ordre\n    title: t\n    \
             events: { container: mon-serveur-nginx, actions: [stop, start], in_order: true }\n",
        )
        .expect("write");
        let catalog = dir.path().display().to_string();
        let output = checker()
            .args(["--catalog", &catalog, "--format", "json", "exercise", "9.1"])
            .output()
            .expect("runs");
        let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        let check = &doc["exercises"][0]["checks"][0];
        assert_eq!(check["status"], "fail", "{doc:#}");
        (
            check["expected"].as_str().unwrap_or_default().to_string(),
            check["found"].as_str().unwrap_or_default().to_string(),
        )
    };
    assert!(
        expected.contains("stop puis start, dans cet ordre"),
        "{expected}"
    );
    assert!(found.contains("start"), "{found}");
    reset_server();
}

#[test]
fn ex_2_4_logs() {
    docker_test!();
    reset_server();
    assert_statuses(
        "2.4",
        &[("en-marche", "fail"), ("ligne-acces", "not_checked")],
    );
    // Running but nobody opened the page yet: no access line.
    sh("docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest");
    assert_failing("2.4", &["ligne-acces"]);
    let (expected, _) = failure("2.4", "ligne-acces");
    assert!(expected.contains("une ligne d'accès HTTP"), "{expected}");
    assert!(!expected.contains("[0-9]"), "no raw regex: {expected}");
    solve("2.4");
    assert_all_pass("2.4");
    reset_server();
}

#[test]
fn ex_2_5_exec() {
    docker_test!();
    reset_server();
    assert_statuses(
        "2.5",
        &[
            ("en-marche", "fail"),
            ("page-exec", "not_checked"),
            ("exec-vu", "not_checked"),
        ],
    );
    solve("2.1");
    solve("2.5");
    assert_all_pass("2.5");
    reset_server();
}

#[test]
fn docker_cp_is_not_docker_exec() {
    docker_test!();
    reset_server();
    solve("2.1");
    let dir = tempfile::tempdir().expect("tempdir");
    sh_in(
        dir.path(),
        "echo 'Bonjour depuis exec' > exec.html
         docker cp exec.html mon-serveur-nginx:/usr/share/nginx/html/exec.html",
    );
    // The page is served, but no `docker exec` was run.
    assert_failing("2.5", &["exec-vu"]);
    reset_server();
}

#[test]
fn ex_2_6_rm_prune() {
    docker_test!();
    reset_server();
    clean("1.3");
    // The state left by exercises 1.3 to 2.5 is what 2.6 asks to remove.
    solve("1.3");
    solve("2.1");
    assert_failing("2.6", &["nginx-supprime", "hello-world-supprime"]);
    let (expected, found) = failure("2.6", "nginx-supprime");
    assert!(expected.contains("supprimé"), "{expected}");
    assert!(found.contains("encore présent"), "{found}");
    solve("2.6");
    assert_all_pass("2.6");
}

/// A host where nothing was done: nothing to remove, and no points for that.
#[test]
fn nothing_done_earns_nothing_in_2_6() {
    docker_test!();
    reset_server();
    clean("1.3");
    forget_history();
    assert_statuses(
        "2.6",
        &[
            ("nginx-supprime", "cannot_check"),
            ("hello-world-supprime", "cannot_check"),
        ],
    );
    let (_, _, doc) = verdict("2.6");
    assert_eq!(doc["exercises"][0]["score"], 0.0, "{doc:#}");
    let reason = doc["exercises"][0]["checks"][0]["reason"]
        .as_str()
        .unwrap_or_default();
    assert!(reason.contains("jamais créé"), "{reason}");
}

#[test]
fn ex_2_7_inspect() {
    docker_test!();
    clean("2.7");
    assert_statuses(
        "2.7",
        &[
            ("en-marche", "fail"),
            ("image", "not_checked"),
            ("commande", "not_checked"),
        ],
    );
    solve("2.7");
    assert_all_pass("2.7");
    clean("2.7");
}

#[test]
fn wrong_host_port_names_both_ports() {
    docker_test!();
    reset_server();
    sh("docker run --name mon-serveur-nginx -p 8081:80 -d nginx:latest");
    assert_failing("2.1", &["port", "page"]);
    let (expected, found) = failure("2.1", "port");
    assert!(expected.contains("8080 → 80/tcp"), "{expected}");
    assert!(found.contains("port publié 8081 → 80/tcp"), "{found}");
    let (_, found) = failure("2.1", "page");
    assert!(found.contains("connexion refusée"), "{found}");
    reset_server();
}

#[test]
fn stopped_container_is_reported_exited() {
    docker_test!();
    reset_server();
    sh(
        "docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest && docker stop mon-serveur-nginx",
    );
    assert_failing("2.1", &["en-marche", "page"]);
    let (expected, found) = failure("2.1", "en-marche");
    assert!(expected.contains("`running`"), "{expected}");
    assert!(found.contains("`exited`"), "{found}");
    reset_server();
}

#[test]
fn wrong_image_names_both_images() {
    docker_test!();
    reset_server();
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
    reset_server();
}

#[test]
fn wrong_name_is_one_failure_saying_rename_it() {
    docker_test!();
    reset_server();
    sh("docker run --name mon-nginx -p 8080:80 -d nginx:latest");
    // The page answers (right port); the name is the one root cause.
    assert_statuses("2.1", NAME_MISSING);
    let (_, found) = failure("2.1", "existe");
    assert!(found.contains("n'existe pas"), "{found}");
    assert!(found.contains("`mon-nginx`"), "{found}");
    assert!(found.contains("publie 8080 → 80"), "{found}");
    assert!(
        found.contains("docker rename mon-nginx mon-serveur-nginx"),
        "{found}"
    );
    let output = checker().args(["exercise", "2.1"]).output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains("docker start"), "{text}");
    assert!(text.contains("non vérifié"), "{text}");
    reset_server();
}

#[test]
fn text_report_shows_expected_found_hint_and_ids() {
    docker_test!();
    reset_server();
    sh("docker run --name mon-serveur-nginx -p 8081:80 -d nginx:latest");
    let output = checker().args(["exercice", "2.1"]).output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text.contains("✘ Le port 8080 de l'hôte mène au port 80 du conteneur [port]"),
        "{text}"
    );
    assert!(
        text.contains("attendu : port publié 8080 → 80/tcp"),
        "{text}"
    );
    assert!(
        text.contains("trouvé  : port publié 8081 → 80/tcp"),
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
    reset_server();
}
