//! `checker dev check`: both sides of shipped exercises hold (table, JUnit, exit 0),
//! and a broken solution, a check passing on a clean host or a missing hint is caught
//! (exit 1, naming the check).

mod common;

use std::path::Path;

use common::*;

/// A copy of the shipped catalogue in a temporary folder, for an author's edits.
fn catalogue_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercises");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(format!("{}/.", source.display()))
        .arg(dir.path())
        .status()
        .expect("cp");
    assert!(status.success());
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} contains {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// `checker --catalog CATALOGUE dev check ARGS…` from `dir`: exit code and stdout.
fn dev_check(dir: &Path, catalogue: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = checker()
        .current_dir(dir)
        .arg("--catalog")
        .arg(catalogue)
        .args(["dev", "check"])
        .args(args)
        .output()
        .expect("runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

#[test]
fn dev_check_proves_both_sides_and_catches_a_broken_exercise() {
    docker_test!();
    let work = tempfile::tempdir().expect("tempdir");
    let junit = work.path().join("dev.xml");
    let output = checker()
        .current_dir(work.path())
        .args(["dev", "check", "2.1"])
        .arg("--junit")
        .arg(&junit)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("2.1    5/5 échouent"), "{text}");
    assert!(text.contains("5/5 réussissent"), "{text}");
    assert!(text.contains("1 exercice tient des deux côtés"), "{text}");
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(xml.contains("tests=\"1\" failures=\"0\""), "{xml}");
    let lint = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg(&junit)
        .status()
        .expect("xmllint");
    assert!(lint.success());
    // Cleaned up after itself.
    let (_, statuses, _) = verdict("2.1");
    assert_eq!(statuses["existe"], "fail");

    // An author's mistake: a solution publishing the wrong port.
    let catalogue = catalogue_copy();
    edit(
        catalogue.path(),
        "ch02/2.1.yaml",
        "solution: |\n  docker run --name mon-serveur-nginx -p 8080:80",
        "solution: |\n  docker run --name mon-serveur-nginx -p 8081:80",
    );
    let junit = work.path().join("broken.xml");
    let junit_arg = junit.display().to_string();
    let (code, text) = dev_check(
        work.path(),
        catalogue.path(),
        &["2.1", "--junit", &junit_arg],
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("après la solution, ces vérifications ne passent pas : port"),
        "{text}"
    );
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(xml.contains("failures=\"1\""), "{xml}");

    // A check that passes on a clean host, undeclared, and one failing without a
    // hint: both caught. Declared in `passes_when_clean`: accepted.
    let catalogue = catalogue_copy();
    edit(
        catalogue.path(),
        "ch01/1.3.yaml",
        "checks:\n",
        "checks:\n  - id: toujours\n    title: Le démon répond\n    daemon: {}\n    hint: Démarrez Docker.\n  - id: sans-indice\n    title: Un conteneur fantome existe\n    container:\n      name: fantome-dev-check\n",
    );
    let (code, text) = dev_check(work.path(), catalogue.path(), &["1.3"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("passent déjà : toujours"), "{text}");
    assert!(
        text.contains("« sans-indice » échoue sur un hôte propre sans indice"),
        "{text}"
    );
    edit(
        catalogue.path(),
        "ch01/1.3.yaml",
        "  - id: sans-indice\n    title: Un conteneur fantome existe\n    container:\n      name: fantome-dev-check\n",
        "",
    );
    edit(
        catalogue.path(),
        "ch01/1.3.yaml",
        "passes_when_clean: [image]",
        "passes_when_clean: [image, toujours]",
    );
    let (code, text) = dev_check(work.path(), catalogue.path(), &["1.3"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(helpers_left(), 0);
}
