//! Chapter 8 (volumes and bind mounts) on a real engine: 8.1 and 8.2 on a clean host,
//! after their solutions, and in the wrong states students really leave behind.

mod common;

use std::path::Path;

use common::*;

fn reset_8_1() {
    sh_quiet(
        "docker rm -f vol-occupant vol-sans-volume >/dev/null 2>&1
         docker volume rm mes-donnees-app >/dev/null 2>&1",
    );
}

#[test]
fn ex_8_1_named_volume() {
    docker_test!();
    reset_8_1();
    assert_statuses("8.1", &[("volume", "fail"), ("fichier", "not_checked")]);
    solve("8.1");
    assert_all_pass("8.1");
    assert_eq!(helpers_left(), 0);

    // A running container has the volume mounted: it is read all the same, and that
    // container is left as it was (running, never restarted, no exec in it).
    sh(
        "docker run -d --name vol-occupant -v mes-donnees-app:/data alpine sleep infinity >/dev/null",
    );
    let started = inspect("vol-occupant", "{{.State.StartedAt}}");
    assert_all_pass("8.1");
    assert_eq!(inspect("vol-occupant", "{{.State.StartedAt}}"), started);
    assert_eq!(
        inspect("vol-occupant", "{{.State.Running}} {{len .ExecIDs}}"),
        "true 0"
    );
    assert_eq!(helpers_left(), 0);
    reset_8_1();

    // The book's clean-up done before the check: nothing is left to verify.
    solve("8.1");
    clean("8.1");
    assert_statuses("8.1", &[("volume", "fail"), ("fichier", "not_checked")]);

    // The volume made, the file written in a container without `-v`: it went with it.
    sh("docker volume create mes-donnees-app >/dev/null
        docker run --name vol-sans-volume alpine sh -c 'mkdir -p /data && echo \"Données persistantes !\" > /data/mon_fichier.txt'");
    assert_failing("8.1", &["fichier"]);
    let (_, found) = failure("8.1", "fichier");
    assert!(found.contains("mon_fichier.txt"), "{found}");
    reset_8_1();

    // The text without its accent.
    sh("docker volume create mes-donnees-app >/dev/null
        docker run --rm -v mes-donnees-app:/data alpine sh -c 'echo \"Donnees persistantes !\" > /data/mon_fichier.txt'");
    assert_failing("8.1", &["fichier"]);
    reset_8_1();

    // A folder of the host mounted instead of a volume: no volume at all.
    let dir = tempfile::tempdir().expect("tempdir");
    sh_in(
        dir.path(),
        "mkdir mes-donnees-app
         docker run --rm -v \"$(pwd)/mes-donnees-app\":/data alpine sh -c 'echo \"Données persistantes !\" > /data/mon_fichier.txt'",
    );
    assert_statuses_in(
        dir.path(),
        "8.1",
        &[],
        &[("volume", "fail"), ("fichier", "not_checked")],
    );
    // The files the container wrote as root in the temporary folder.
    sh_quiet(&format!(
        "docker run --rm -v {}:/d alpine rm -rf /d/mes-donnees-app",
        dir.path().display()
    ));
    reset_8_1();
}

fn inspect(container: &str, format: &str) -> String {
    let output = std::process::Command::new("docker")
        .args(["inspect", "-f", format, container])
        .output()
        .expect("docker inspect");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A student's working folder with `projet-code/index.html` in it.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("projet-code")).expect("mkdir");
    std::fs::write(
        dir.path().join("projet-code/index.html"),
        "<h1>Version 1 du Code</h1>\n",
    )
    .expect("write");
    dir
}

fn reset_8_2() {
    sh_quiet("docker rm -f dev-web >/dev/null 2>&1; docker volume rm projet-code >/dev/null 2>&1");
}

fn edit(dir: &Path, text: &str) {
    std::fs::write(dir.join("projet-code/index.html"), text).expect("write");
}

#[test]
fn ex_8_2_bind_mount() {
    docker_test!();
    reset_8_2();
    let empty = tempfile::tempdir().expect("tempdir");
    assert_statuses_in(
        empty.path(),
        "8.2",
        &[],
        &[
            ("conteneur", "fail"),
            ("port", "not_checked"),
            ("bind-mount", "not_checked"),
            ("contenu-actuel", "fail"),
        ],
    );
    // The book's solution, in a working folder.
    let solution = exercise("8.2").solution.expect("solution");
    sh_in(empty.path(), &solution);
    assert_statuses_in(empty.path(), "8.2", &[], &[]);
    // From inside the folder, as the book's student is after `cd projet-code`.
    assert_statuses_in(&empty.path().join("projet-code"), "8.2", &[], &[]);
    // Edited again: the page follows, and so does the check.
    edit(empty.path(), "<h2>Version 3</h2>\n");
    assert_statuses_in(empty.path(), "8.2", &[], &[]);
    // Run from elsewhere, the folder is not found, and the verdict says where it looked.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let result = check_result(elsewhere.path(), "8.2", &[], "bind-mount");
    assert_eq!(result["status"], "fail", "{result:#}");
    assert!(
        result["found"]
            .as_str()
            .unwrap_or_default()
            .contains("introuvable dans le dossier de travail"),
        "{result:#}"
    );
    reset_8_2();
    sh_quiet(&format!("rm -rf {}/projet-code", empty.path().display()));

    // A copy (`docker cp`) instead of a mount: right at first, stale after an edit.
    let dir = workdir();
    sh_in(
        dir.path(),
        "docker run -d --name dev-web -p 8084:80 nginx:alpine >/dev/null
         docker cp projet-code/index.html dev-web:/usr/share/nginx/html/index.html",
    );
    assert_failing_in(dir.path(), "8.2", &[], &["bind-mount"]);
    edit(dir.path(), "<h2>Version 2 - Mise à jour en direct !</h2>\n");
    assert_failing_in(dir.path(), "8.2", &[], &["bind-mount", "contenu-actuel"]);
    let (expected, found) = failure_in(dir.path(), "8.2", "contenu-actuel");
    assert!(expected.contains("Version 2"), "{expected}");
    assert!(found.contains("Version 1"), "{found}");
    reset_8_2();

    // A named volume called like the folder: not the folder.
    sh_in(
        dir.path(),
        "docker run -d --name dev-web -p 8084:80 -v projet-code:/usr/share/nginx/html nginx:alpine >/dev/null",
    );
    assert_failing_in(dir.path(), "8.2", &[], &["bind-mount", "contenu-actuel"]);
    let (_, found) = failure_in(dir.path(), "8.2", "bind-mount");
    assert!(found.contains("le volume `projet-code`"), "{found}");
    reset_8_2();

    // The parent folder mounted (the command run from the wrong place).
    sh_in(
        dir.path(),
        "docker run -d --name dev-web -p 8084:80 --mount type=bind,source=\"$(pwd)\",target=/usr/share/nginx/html nginx:alpine >/dev/null",
    );
    assert_failing_in(dir.path(), "8.2", &[], &["bind-mount", "contenu-actuel"]);
    reset_8_2();

    // The file alone mounted: no mount of the folder on the site's directory.
    sh_in(
        dir.path(),
        "docker run -d --name dev-web -p 8084:80 -v \"$(pwd)/projet-code/index.html\":/usr/share/nginx/html/index.html nginx:alpine >/dev/null",
    );
    assert_failing_in(dir.path(), "8.2", &[], &["bind-mount"]);
    reset_8_2();

    // Through a symbolic link (`$(pwd)` gives the path as the student typed it): the
    // same folder all the same.
    let real = workdir();
    let link = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(real.path(), link.path().join("lien")).expect("symlink");
    sh_in(
        link.path(),
        "cd lien/projet-code
         docker run -d --name dev-web -p 8084:80 --mount type=bind,source=\"$(pwd)\",target=/usr/share/nginx/html nginx:alpine >/dev/null",
    );
    assert_statuses_in(&link.path().join("lien"), "8.2", &[], &[]);
    reset_8_2();

    // Right mount, wrong port.
    sh_in(
        dir.path(),
        "docker run -d --name dev-web -p 8085:80 --mount type=bind,source=\"$(pwd)/projet-code\",target=/usr/share/nginx/html nginx:alpine >/dev/null",
    );
    assert_failing_in(dir.path(), "8.2", &[], &["port", "contenu-actuel"]);
    reset_8_2();
}
