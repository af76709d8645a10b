//! The command line on bad input: clear French messages, documented exit codes, no
//! panic. Also `list`, `hint`, `doctor`, and hanging ports.

mod common;

use std::io::{ErrorKind, Read};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn assert_no_panic(output: &std::process::Output) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr_of(output)
    );
    assert!(
        !text.contains("panicked") && !text.contains("RUST_BACKTRACE"),
        "{text}"
    );
}

#[test]
fn unknown_exercise_suggests_neighbours() {
    let output = checker().args(["exercise", "2.8"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr_of(&output);
    assert!(err.contains("l'exercice « 2.8 » n'existe pas"), "{err}");
    assert!(err.contains("Vouliez-vous dire : 2."), "{err}");
    assert!(err.contains("checker list"), "{err}");
    assert_no_panic(&output);
}

#[test]
fn usage_errors_exit_2_in_french() {
    // `exercice` is the French alias of `exercise`; a typo is unknown.
    let output = checker().arg("exercices").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("commande inconnue"),
        "{}",
        stderr_of(&output)
    );
    let output = checker()
        .args(["exercise", "2.1", "--var", "sans-egal"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("attendu NOM=VALEUR"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn malformed_catalogue_names_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("9.1.yaml"),
        "id: \"9.1\"\nchapter: 9\ntitle: X\nobjective: Y\nchecks:\n  - id: a\n    title: T\n    container:\n      name: x\n      stat: running\n",
    )
    .expect("write");
    let output = checker()
        .args(["--catalog"])
        .arg(dir.path())
        .arg("list")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr_of(&output);
    assert!(err.contains("9.1.yaml:10:7"), "{err}");
    assert!(err.contains("clé inconnue `stat`"), "{err}");
    assert_no_panic(&output);

    let empty = tempfile::tempdir().expect("tempdir");
    let output = checker()
        .arg("--catalog")
        .arg(empty.path())
        .arg("list")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("aucun fichier d'exercice"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn docker_socket_missing_exits_3_with_the_fix() {
    let output = checker()
        .env("DOCKER_HOST", "unix:///tmp/pas-de-docker-ici.sock")
        .args(["exercise", "2.1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let err = stderr_of(&output);
    assert!(err.contains("Docker est injoignable"), "{err}");
    assert!(
        err.contains("n'existe pas : le démon Docker ne tourne pas"),
        "{err}"
    );
    assert!(err.contains("systemctl start docker"), "{err}");
    assert!(
        err.contains("variable d'environnement DOCKER_HOST"),
        "{err}"
    );
    assert_no_panic(&output);
}

#[test]
fn docker_refusing_connections_exits_3() {
    // A port nothing listens on (bound then released).
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let output = checker()
        .env("DOCKER_HOST", format!("tcp://127.0.0.1:{port}"))
        .arg("doctor")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let err = stderr_of(&output);
    assert!(err.contains("connexion refusée"), "{err}");
    assert_no_panic(&output);
}

#[test]
fn stale_socket_file_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("docker.sock");
    drop(std::os::unix::net::UnixListener::bind(&path).expect("bind"));
    let output = checker()
        .env("DOCKER_HOST", format!("unix://{}", path.display()))
        .args(["--format", "json", "exercise", "2.1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(doc["error"], "docker_unreachable");
    assert!(
        doc["message"]
            .as_str()
            .unwrap_or_default()
            .contains("connexion refusée"),
        "{doc}"
    );
}

#[test]
fn permission_denied_on_the_socket_suggests_the_docker_group() {
    // Root ignores socket permissions: run the binary as `nobody`.
    if !nix_is_root() {
        eprintln!("not root: the permission case is exercised by the rig as root");
        return;
    }
    docker_test!();
    let binary = assert_cmd::cargo::cargo_bin("checker");
    let copy = std::env::temp_dir().join("checker-as-nobody");
    std::fs::copy(&binary, &copy).expect("copy binary");
    let output = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&copy)
        .arg("doctor")
        .env("NO_COLOR", "1")
        .env("HOME", "/nonexistent")
        .env_remove("DOCKER_HOST")
        .output()
        .expect("setpriv runs");
    assert_eq!(output.status.code(), Some(3), "{}", stderr_of(&output));
    let err = stderr_of(&output);
    assert!(
        err.contains("Permission refusée sur le socket Docker"),
        "{err}"
    );
    assert!(err.contains("sudo usermod -aG docker $USER"), "{err}");
    assert_no_panic(&output);
}

fn nix_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn list_text_and_json() {
    let output = checker().arg("list").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Chapitre 2"), "{text}");
    assert!(
        text.contains("2.1   Créer et démarrer un conteneur avec docker run"),
        "{text}"
    );

    let output = checker()
        .args(["--format", "json", "list", "--chapter", "2"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let first = &doc[0];
    assert_eq!(first["id"], "2.1");
    assert_eq!(first["chapter"], 2);
    assert_eq!(
        first["checks"][0]["title"],
        "Le conteneur `mon-serveur-nginx` existe"
    );
    assert!(
        doc.as_array()
            .expect("array")
            .iter()
            .all(|e| e["chapter"] == 2)
    );
}

#[test]
fn hint_shows_hints_and_rejects_unknown_checks() {
    let output = checker()
        .args(["hint", "2.1", "port"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest"),
        "{text}"
    );
    assert!(
        !text.contains("Renommez-le"),
        "only the asked check: {text}"
    );
    let output = checker()
        .args(["hint", "2.1", "nope"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("vérifications : existe, en-marche"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn doctor_reports_the_endpoint_and_engine() {
    let output = checker()
        .args(["--format", "json", "doctor"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert!(
        doc["endpoint"]
            .as_str()
            .unwrap_or_default()
            .starts_with("unix://"),
        "{doc}"
    );
    assert!(
        !doc["engine_version"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{doc}"
    );
    assert!(
        !doc["api_version"].as_str().unwrap_or_default().is_empty(),
        "{doc}"
    );
    let output = checker().arg("doctor").output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("✔ Docker répond."), "{text}");
    assert!(text.contains("Choisi par"), "{text}");
}

/// A catalogue of one exercise whose HTTP checks hit a port that accepts connections
/// but never answers.
fn hanging_catalogue(port: u16, checks: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text =
        String::from("id: \"9.1\"\nchapter: 9\ntitle: Port muet\nobjective: Rien.\nchecks:\n");
    for i in 0..checks {
        text.push_str(&format!(
            "  - id: muet-{i}\n    title: Le port muet répond\n    http:\n      url: http://127.0.0.1:{port}/{i}\n      timeout: 1s\n"
        ));
    }
    std::fs::write(dir.path().join("9.1.yaml"), text).expect("write");
    dir
}

/// Whether the peer of `stream` still holds the connection open: nothing left to read
/// and no end of stream (a closed connection reads 0 bytes or is reset).
fn still_open(stream: &TcpStream) -> bool {
    let _ = stream.set_nonblocking(true);
    let mut byte = [0u8; 1];
    match stream.peek(&mut byte) {
        Ok(0) => false,
        Ok(_) => true,
        Err(e) => e.kind() == ErrorKind::WouldBlock,
    }
}

/// Three checks of a port that never answers: each fails on its own one-second timeout,
/// and they wait side by side. The proof of the latter is the server's: when the third
/// request arrives, the first two are still waiting for their answer (one after the
/// other, each would have given up and closed before the next one opened). No wall-clock
/// bound: how fast the engine answers its ping must not decide this test.
#[test]
fn a_port_that_hangs_fails_fast_and_checks_run_concurrently() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let most_open = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&most_open);
    // Accept and hold connections without ever answering.
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for mut stream in listener.incoming().flatten() {
            // Read the request, so that what is left to read later is only its end.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            held.push(stream);
            let open = held.iter().filter(|s| still_open(s)).count();
            seen.fetch_max(open, Ordering::SeqCst);
        }
    });
    let dir = hanging_catalogue(port, 3);
    let output = checker()
        .arg("--catalog")
        .arg(dir.path())
        .args(["exercise", "9.1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("aucune réponse en 1 s"), "{text}");
    assert_eq!(text.matches("✘ Le port muet répond").count(), 3, "{text}");
    assert_eq!(
        most_open.load(Ordering::SeqCst),
        3,
        "the three requests did not wait side by side"
    );
}

#[test]
fn validate_lints_a_catalogue_and_schema_describes_the_format() {
    let output = checker().arg("validate").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("catalogue valide : "));

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("9.1.yaml"),
        "id: \"9.1\"\nchapter: 9\ntitle: X\nobjective: Y\nprerequisites: [\"8.8\"]\nchecks:\n  - id: a\n    title: T\n    kind_inconnu: {}\n",
    )
    .expect("write");
    let output = checker()
        .arg("validate")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr_of(&output);
    assert!(err.contains("9.1.yaml:9:5"), "{err}");
    assert!(err.contains("kind_inconnu"), "{err}");

    let output = checker().arg("schema").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON schema");
    let text = schema.to_string();
    for key in [
        "\"checks\"",
        "\"container\"",
        "\"dockerfile\"",
        "\"registry\"",
        "\"retry\"",
        "\"additionalProperties\":false",
    ] {
        assert!(text.contains(key), "schema mentions {key}");
    }
}

#[test]
fn retry_waits_only_when_waiting_can_change_the_verdict() {
    // A server that answers, but not the expected page (yet): worth retrying.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let answering = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        use std::io::Write;
        for stream in listener.incoming().flatten() {
            let mut s = stream;
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nbientot",
            );
        }
    });
    // A port nothing listens on: refused, no container to wait for.
    let refused = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("9.1.yaml"),
        format!(
            "id: \"9.1\"\nchapter: 9\ntitle: Attendre\nobjective: Rien.\nchecks:\n\
             \x20 - id: pas-encore\n    title: La page finale\n    http:\n      url: http://127.0.0.1:{answering}/\n      body_contains: Bienvenue\n    retry: {{ timeout: 800ms, interval: 100ms }}\n\
             \x20 - id: refuse\n    title: Le port fermé\n    http:\n      url: http://127.0.0.1:{refused}/\n    retry: {{ timeout: 800ms, interval: 100ms }}\n"
        ),
    )
    .expect("write");
    let output = checker()
        .arg("--catalog")
        .arg(dir.path())
        .args(["--format", "json", "exercise", "9.1"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let checks = doc["exercises"][0]["checks"].as_array().expect("checks");
    let attempts = |id: &str| {
        checks.iter().find(|c| c["id"] == id).expect("check")["attempts"]
            .as_u64()
            .expect("attempts")
    };
    assert!(attempts("pas-encore") > 1, "{doc:#}");
    assert_eq!(attempts("refuse"), 1, "{doc:#}");
}
