//! Chapter 6 (networks) on a real engine: each exercise on a clean host, after its
//! solution, and in the wrong states students really leave behind.

mod common;

use common::*;

/// Everything chapter 6 creates, gone.
fn reset() {
    sh_quiet(
        "docker rm -f test-container nginx1 nginx2 serveur-web serveur-web-expose client >/dev/null 2>&1
         docker network rm mon-app-reseau autre-reseau >/dev/null 2>&1",
    );
}

#[test]
fn ex_6_1_default_bridge() {
    docker_test!();
    reset();
    assert_statuses(
        "6.1",
        &[
            ("en-marche", "fail"),
            ("sur-bridge", "not_checked"),
            ("adresse", "not_checked"),
        ],
    );
    solve("6.1");
    assert_all_pass("6.1");
    let found = check_result(
        &std::env::current_dir().expect("cwd"),
        "6.1",
        &[],
        "adresse",
    )["found"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(found.contains("`test-container` : `172."), "{found}");
    // The book's own clean-up, run before the check: nothing left to verify.
    clean("6.1");
    assert_statuses(
        "6.1",
        &[
            ("en-marche", "fail"),
            ("sur-bridge", "not_checked"),
            ("adresse", "not_checked"),
        ],
    );

    // Started on a network of its own: not on the default bridge.
    sh("docker network create mon-app-reseau >/dev/null
        docker run -d --name test-container --network mon-app-reseau alpine sleep infinity >/dev/null");
    assert_statuses("6.1", &[("sur-bridge", "fail"), ("adresse", "not_checked")]);
    // On both: the default bridge and another one is not "the default bridge only".
    sh("docker network connect bridge test-container");
    assert_statuses("6.1", &[("sur-bridge", "fail"), ("adresse", "not_checked")]);
    let (_, found) = failure("6.1", "sur-bridge");
    assert!(found.contains("`bridge`, `mon-app-reseau`"), "{found}");
    reset();
}

#[test]
fn ex_6_2_by_ip_not_by_name() {
    docker_test!();
    reset();
    assert_statuses(
        "6.2",
        &[
            ("nginx1", "fail"),
            ("nginx2", "fail"),
            ("par-ip", "not_checked"),
            ("pas-par-nom", "not_checked"),
        ],
    );
    solve("6.2");
    assert_all_pass("6.2");
    let here = std::env::current_dir().expect("cwd");
    let by_name = check_result(&here, "6.2", &[], "pas-par-nom");
    assert!(
        by_name["found"]
            .as_str()
            .unwrap_or_default()
            .contains("n'est pas résolu depuis `bridge`"),
        "{by_name:#}"
    );
    // The checker's helpers left nothing, and nothing in the targets' logs counts.
    assert_eq!(helpers_left(), 0);
    clean("6.2");

    // Both on a user network (the student added `--network`): names work there, which
    // is not what the exercise shows, and the probes are not even tried.
    sh("docker network create mon-app-reseau >/dev/null
        docker run -d --name nginx1 --network mon-app-reseau nginx:alpine >/dev/null
        docker run -d --name nginx2 --network mon-app-reseau nginx:alpine >/dev/null");
    assert_statuses(
        "6.2",
        &[
            ("nginx1", "fail"),
            ("nginx2", "fail"),
            ("par-ip", "not_checked"),
            ("pas-par-nom", "not_checked"),
        ],
    );
    reset();

    // nginx2 is not a web server (another image): it answers nothing by IP.
    sh("docker run -d --name nginx1 nginx:alpine >/dev/null
        docker run -d --name nginx2 alpine sleep infinity >/dev/null");
    assert_failing("6.2", &["par-ip"]);
    reset();
    // Another nginx (the `nginx:latest` of chapter 2) shows the same thing: it passes.
    sh("docker run -d --name nginx1 nginx:latest >/dev/null
        docker run -d --name nginx2 nginx:latest >/dev/null");
    assert_all_pass("6.2");
    reset();
    // The right image with a command that serves nothing: it answers nothing by IP.
    sh("docker run -d --name nginx1 nginx:alpine >/dev/null
        docker run -d --name nginx2 nginx:alpine sleep infinity >/dev/null");
    assert_failing("6.2", &["par-ip"]);
    let (_, found) = failure("6.2", "par-ip");
    assert!(found.contains("http://172."), "{found}");
    reset();
}

#[test]
fn chapter_6_as_the_book_goes() {
    docker_test!();
    reset();
    // 6.3 on a clean host, then a server started on the default bridge by mistake.
    assert_statuses(
        "6.3",
        &[
            ("reseau", "fail"),
            ("serveur", "fail"),
            ("branche", "not_checked"),
        ],
    );
    sh("docker network create mon-app-reseau >/dev/null
        docker run -d --name serveur-web httpd:alpine >/dev/null");
    assert_failing("6.3", &["branche"]);
    // 6.4 in that state: the name is not known on mon-app-reseau, and the verdict says
    // where the server is.
    assert_statuses("6.4", &[("resolution", "fail"), ("page", "not_checked")]);
    let (_, found) = failure("6.4", "resolution");
    assert!(
        found.contains("n'est pas connecté à `mon-app-reseau` (il est connecté à `bridge`)"),
        "{found}"
    );
    reset();
    // The wrong image: nginx does not say "It works!".
    sh("docker network create mon-app-reseau >/dev/null
        docker run -d --name serveur-web --network mon-app-reseau nginx:alpine >/dev/null");
    assert_statuses("6.3", &[("serveur", "fail"), ("branche", "not_checked")]);
    assert_failing("6.4", &["page"]);
    reset();

    solve("6.3");
    assert_all_pass("6.3");
    assert_statuses(
        "6.5",
        &[("autre-reseau", "fail"), ("debranche", "not_checked")],
    );
    solve("6.4");
    assert_all_pass("6.4");

    // 6.5: connected and not disconnected yet.
    sh("docker network create autre-reseau >/dev/null
        docker network connect autre-reseau serveur-web");
    assert_failing("6.5", &["seulement-mon-app-reseau", "debranche"]);
    let (_, found) = failure("6.5", "seulement-mon-app-reseau");
    assert!(
        found.contains("`autre-reseau`, `mon-app-reseau`"),
        "{found}"
    );
    let (_, found) = failure("6.5", "debranche");
    assert!(found.contains("y est toujours connecté"), "{found}");
    sh("docker network disconnect autre-reseau serveur-web");
    assert_all_pass("6.5");
    // A network made and never used: the daemon's history reaches its creation and
    // shows no disconnect, so the exercise was not done.
    sh(
        "docker network rm autre-reseau >/dev/null && docker network create autre-reseau >/dev/null",
    );
    assert_failing("6.5", &["debranche"]);
    let (_, found) = failure("6.5", "debranche");
    assert!(found.contains("depuis sa création"), "{found}");
    sh("docker network connect autre-reseau serveur-web
        docker network disconnect autre-reseau serveur-web");
    assert_all_pass("6.5");
    // Much later, the daemon has forgotten: that is not known, never a pass or a fail.
    forget_history();
    assert_statuses("6.5", &[("debranche", "cannot_check")]);

    // 6.6: published on the wrong side, then on the default bridge, then right.
    sh(
        "docker stop -t 1 serveur-web >/dev/null && docker rm serveur-web >/dev/null
        docker run -d --name serveur-web-expose --network mon-app-reseau httpd:alpine >/dev/null",
    );
    assert_failing("6.6", &["port", "page"]);
    sh("docker rm -f serveur-web-expose >/dev/null
        docker run -d --name serveur-web-expose -p 8888:80 httpd:alpine >/dev/null");
    assert_statuses("6.6", &[("reseau", "fail"), ("par-nom", "not_checked")]);
    sh("docker rm -f serveur-web-expose >/dev/null
        docker run -d --name serveur-web-expose --network mon-app-reseau -p 8888:80 httpd:alpine >/dev/null");
    assert_all_pass("6.6");

    // 6.7: before anything is removed, then the container only, then everything.
    assert_failing(
        "6.7",
        &[
            "conteneur-supprime",
            "mon-app-reseau-supprime",
            "autre-reseau-supprime",
        ],
    );
    sh("docker rm -f serveur-web-expose >/dev/null");
    assert_failing("6.7", &["mon-app-reseau-supprime", "autre-reseau-supprime"]);
    solve_rest_of_6_7();
    assert_all_pass("6.7");
    // On a host where the daemon has forgotten (or nothing was ever done), an absence
    // is no proof: cannot check, not a pass.
    forget_history();
    assert_statuses(
        "6.7",
        &[
            ("conteneur-supprime", "cannot_check"),
            ("mon-app-reseau-supprime", "cannot_check"),
            ("autre-reseau-supprime", "cannot_check"),
        ],
    );
    assert_eq!(helpers_left(), 0);
    reset();
}

/// The end of 6.7's solution, once the container is already gone.
fn solve_rest_of_6_7() {
    sh("docker network rm mon-app-reseau autre-reseau >/dev/null");
}

#[test]
fn ex_6_7_solution_from_the_state_6_6_leaves() {
    docker_test!();
    reset();
    solve("6.3");
    solve("6.5");
    solve("6.6");
    assert_all_pass("6.6");
    solve("6.7");
    assert_all_pass("6.7");
    reset();
}
