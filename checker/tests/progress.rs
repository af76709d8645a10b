//! The progress file and the commands that change the student's resources: `list`
//! marks, `progress --user/--reset`, `solution`, `solve` and `reset` (shown, confirmed,
//! refused without a terminal or `--yes`).

mod common;

use std::path::Path;

use common::*;

fn run(state: &Path, args: &[&str]) -> (i32, String, String) {
    let output = checker()
        .env("CHECKER_STATE", state)
        .args(args)
        .output()
        .expect("checker runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn the_saved_identifier_replaces_the_placeholder_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("etat/progress.json");
    let (code, out, _) = run(&state, &["hint", "4.1"]);
    assert_eq!(code, 0);
    assert!(out.contains("VOTRE_ID"), "{out}");
    let (code, out, _) = run(&state, &["progress", "--user", "alice"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Identifiant enregistré : alice"), "{out}");
    let (_, out, _) = run(&state, &["hint", "4.1"]);
    assert!(out.contains("alice/mon-app:1.0"), "{out}");
    assert!(out.contains("--var user=alice"), "{out}");
    assert!(!out.contains("VOTRE_ID"), "{out}");
    let (_, out, _) = run(&state, &["solution", "4.1"]);
    assert!(
        out.contains("$ docker tag mon-app:1.0 alice/mon-app:1.0"),
        "{out}"
    );
    assert!(out.contains("Rien n'a été exécuté"), "{out}");
    let (_, out, _) = run(&state, &["list", "--chapter", "4"]);
    assert!(
        out.contains("alice/mon-app:1.0") || !out.contains("VOTRE_ID"),
        "{out}"
    );
    let (code, _, err) = run(&state, &["progress", "--user", "../evil"]);
    assert_eq!(code, 2);
    assert!(err.contains("--user « ../evil »"), "{err}");
    // A file that is not progress: said, and never a reason to fail a command.
    std::fs::write(&state, "pas du json").expect("write");
    let (code, out, err) = run(&state, &["list", "--chapter", "1"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("checker progress --reset"), "{err}");
}

#[test]
fn solve_and_reset_show_confirm_and_record() {
    docker_test!();
    clean("2.1");
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("progress.json");
    let (_, out, _) = run(&state, &["list", "--chapter", "2"]);
    assert!(out.contains("· 2.1"), "{out}");
    let (code, _, _) = run(&state, &["exercise", "2.1"]);
    assert_eq!(code, 1);
    let (_, out, _) = run(&state, &["list", "--chapter", "2"]);
    assert!(out.contains("✘ 2.1"), "{out}");
    assert!(
        out.contains("Chapitre 2 : 0 exercice réussi sur 7"),
        "{out}"
    );

    // No terminal, no --yes: nothing runs.
    let (code, out, err) = run(&state, &["solve", "2.1"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("$ docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest"),
        "{out}"
    );
    assert!(err.contains("--yes"), "{err}");
    assert!(out.contains("Rien n'a été exécuté"), "{out}");
    let (_, statuses, _) = verdict("2.1");
    assert_eq!(
        statuses["existe"], "fail",
        "solve without confirmation ran something"
    );

    // --yes: each command shown, then run.
    let (code, out, err) = run(&state, &["solve", "2.1", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    let shown = out
        .find("\n$ docker run --name mon-serveur-nginx")
        .expect("the command is shown before it runs");
    let ran = out.find("Welcome").expect("the solution's curl output");
    assert!(shown < ran, "{out}");
    let (code, _, _) = run(&state, &["exercise", "2.1"]);
    assert_eq!(code, 0);
    let (_, out, _) = run(&state, &["list", "--chapter", "2"]);
    assert!(out.contains("✔ 2.1"), "{out}");
    assert!(
        out.contains("Chapitre 2 : 1 exercice réussi sur 7"),
        "{out}"
    );

    // reset: the clean-up, said to belong later, run the same way.
    let (code, out, err) = run(&state, &["reset", "2.1", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("après l'exercice 2.6"), "{out}");
    assert!(out.contains("$ docker rm -f mon-serveur-nginx"), "{out}");
    let (_, statuses, _) = verdict("2.1");
    assert_eq!(statuses["existe"], "fail");
    // Done stays done; progress --reset forgets.
    let (_, out, _) = run(&state, &["list", "--chapter", "2"]);
    assert!(out.contains("✔ 2.1"), "{out}");
    let (code, out, _) = run(&state, &["progress", "--reset"]);
    assert_eq!(code, 0);
    assert!(out.contains("Progression oubliée"), "{out}");
    let (_, out, _) = run(&state, &["list", "--chapter", "2"]);
    assert!(out.contains("· 2.1"), "{out}");
}
