//! The checker never counts evidence it made itself (issue "trust"): its HTTP requests
//! are not the student's visits, its execs are not the student's `docker exec`, in the
//! same run or in a later one.

mod common;

use common::*;

/// Exercise 2.1's HTTP check opens the page; 2.4 asks whether the *student* did.
#[test]
fn the_checkers_own_requests_are_not_access_lines() {
    docker_test!();
    // 2.4's own clean-up comes later in the chapter: start from no container at all.
    remove_nginx();
    sh("docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest");
    wait_for_page("http://localhost:8080/");
    // The page answers for the checker (2.1 passes), which writes an access line…
    let (code, _, _) = verdict("2.1");
    assert_eq!(code, 0, "2.1 passes once the container runs");
    let (code, _, _) = verdict("2.1");
    assert_eq!(code, 0);
    // … that 2.4 must not take for the student's visit.
    assert_failing("2.4", &["ligne-acces"]);
    // The student opens the page: now it passes.
    sh("curl -fsS -o /dev/null http://localhost:8080/");
    assert_all_pass("2.4");
    remove_nginx();
}

/// 2.5's checks may exec into the container to read the file; that exec must not pass
/// « an exec was run » on the next run.
#[test]
fn the_checkers_own_execs_are_not_the_students() {
    docker_test!();
    remove_nginx();
    sh("docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest");
    wait_for_page("http://localhost:8080/");
    for run in 1..=2 {
        let (_, checks, _) = verdict("2.5");
        assert_eq!(
            checks.get("exec-vu").map(String::as_str),
            Some("fail"),
            "run {run}: no docker exec yet, whatever the checker did"
        );
    }
    sh("docker exec mon-serveur-nginx ls /usr/share/nginx/html >/dev/null");
    let (_, checks, _) = verdict("2.5");
    assert_eq!(checks.get("exec-vu").map(String::as_str), Some("pass"));
    remove_nginx();
}

fn remove_nginx() {
    sh("docker rm -f mon-serveur-nginx >/dev/null 2>&1 || true");
}

/// Waits until the page answers, asking as the checker does (its User-Agent): this
/// wait is not a student's visit either.
fn wait_for_page(url: &str) {
    let agent = checker::docker::own_traffic::USER_AGENT;
    sh(&format!(
        "for i in $(seq 1 50); do curl -fsS -A {agent} -o /dev/null {url} 2>/dev/null && exit 0; sleep 0.1; done; exit 1"
    ));
}

/// A closed pipe ends quietly, a full disk is a French message and exit code 4, a
/// non-UTF-8 argument a usage error: never a panic (exit 101) or a backtrace.
#[test]
fn output_errors_never_panic() {
    let bin = assert_cmd::cargo::cargo_bin("checker");
    let run = |script: &str| {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .env("CHECKER", &bin)
            .env("NO_COLOR", "1")
            .output()
            .expect("bash runs")
    };
    let piped = run(r#""$CHECKER" schema | head -c1 >/dev/null; echo "${PIPESTATUS[0]}""#);
    assert_eq!(String::from_utf8_lossy(&piped.stdout).trim(), "0");
    assert!(
        piped.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );

    let full = run(r#""$CHECKER" list > /dev/full; echo "$?""#);
    assert_eq!(String::from_utf8_lossy(&full.stdout).trim(), "4");
    let err = String::from_utf8_lossy(&full.stderr);
    assert!(err.contains("disque plein"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let bad = run(r#""$CHECKER" exercise $'\xff'; echo "$?""#);
    assert_eq!(String::from_utf8_lossy(&bad.stdout).trim(), "2");
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("UTF-8"), "{err}");
    assert!(!err.contains("error:"), "no English from clap: {err}");
}

/// Catalogue files that would hang or blow up the parser are refused at once, with the
/// file named; a BOM (Notepad's default) is simply read past; a symbolic link back up
/// the folder does not list the same exercises again.
#[test]
fn hostile_catalogue_files_are_refused_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nested = format!(
        "id: \"9.1\"\nobjective: {}x{}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    std::fs::write(dir.path().join("9.1.yaml"), nested).expect("write");
    let start = std::time::Instant::now();
    let output = checker()
        .args(["validate"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("9.1.yaml:2") && err.contains("imbrication trop profonde"),
        "{err}"
    );

    let bom = tempfile::tempdir().expect("tempdir");
    let exercise = "\u{feff}id: \"9.1\"\nchapter: 9\ntitle: T\nobjective: O\ninformational: true\n";
    std::fs::write(bom.path().join("9.1.yaml"), exercise).expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(bom.path(), bom.path().join("boucle")).expect("symlink");
    let output = checker()
        .args(["validate"])
        .arg(bom.path())
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 exercices"));

    let big = tempfile::tempdir().expect("tempdir");
    let file = std::fs::File::create(big.path().join("9.1.yaml")).expect("create");
    file.set_len(40 * 1024 * 1024).expect("set_len");
    let output = checker()
        .args(["validate"])
        .arg(big.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("trop gros"));
}

/// What is wrong with the connection is said in French and names its cause: a
/// malformed `DOCKER_HOST`, an engine that never answers; a broken `config.json` is
/// ignored as the docker CLI ignores it.
#[test]
fn connection_problems_are_named() {
    for host in ["foo://", "tcp://", "localhost:2375"] {
        let output = checker()
            .env("DOCKER_HOST", host)
            .arg("doctor")
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(3), "{host}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("DOCKER_HOST") && err.contains("unset DOCKER_HOST"),
            "{host}: {err}"
        );
    }

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let _silent = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(4) {
            held.push(stream);
        }
        std::thread::sleep(std::time::Duration::from_secs(30));
    });
    let start = std::time::Instant::now();
    let output = checker()
        .env("DOCKER_HOST", format!("tcp://{address}"))
        .arg("doctor")
        .output()
        .expect("runs");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(8),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(output.status.code(), Some(3));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("ne répond pas en 5 s"), "{err}");
    assert!(!err.contains("Timeout error"), "{err}");

    let config = tempfile::tempdir().expect("tempdir");
    for broken in ["", "{pas du json", "\u{feff}{}"] {
        std::fs::write(config.path().join("config.json"), broken).expect("write");
        let output = checker()
            .env("DOCKER_CONFIG", config.path())
            .arg("doctor")
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "config.json « {broken} »: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Values that would reach the engine's URL paths, an empty identifier, a zero timeout,
/// a starter folder that is a link elsewhere: refused before anything runs.
#[test]
fn bad_arguments_are_refused() {
    for value in ["user=", "user=../../containers/json?all=1#", "user=a/b"] {
        let output = checker()
            .args(["exercise", "4.1", "--var", value])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{value}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("--var user="));
    }
    let output = checker()
        .args(["exercise", "2.1", "--timeout", "0s"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--timeout"));

    let dir = tempfile::tempdir().expect("tempdir");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("mon-app-docker"))
            .expect("symlink");
        let output = checker()
            .args(["init", "3.1"])
            .arg(dir.path())
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("lien symbolique"));
        assert_eq!(
            std::fs::read_dir(elsewhere.path()).expect("read").count(),
            0
        );
    }
}

/// A resource removed while the checker reads it gives *cannot check*, never a false
/// verdict, and never a resource the student did not make.
#[test]
fn vanishing_resources_are_not_verdicts() {
    docker_test!();
    // A helper removed while it is read (3.2 reads the committed image).
    clean("3.2");
    commit_fixture();
    let child = checker()
        .env("CHECKER_TEST_HELPER_PAUSE_MS", "3000")
        .args(["--format", "json", "exercise", "3.2"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    sh("for i in $(seq 1 100); do
          ids=$(docker ps -aq --filter label=io.github.cours-docker.checker)
          [ -n \"$ids\" ] && docker rm -f $ids >/dev/null && exit 0
          sleep 0.05
        done; exit 1");
    let output = child.wait_with_output().expect("wait");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let statuses: Vec<&str> = report["exercises"][0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        // The file is in the image: only a vanished helper could make it "missing".
        .filter(|c| c["id"] == "fichier")
        .map(|c| c["status"].as_str().unwrap_or_default())
        .collect();
    assert!(!statuses.is_empty());
    assert!(
        statuses.iter().all(|s| *s != "fail"),
        "a vanished helper is no proof the file is missing: {report}"
    );
    clean("3.2");

    // A volume removed between its inspection and the helper's creation, in the same
    // second as it was made (its creation time is the same to the second): the volume
    // the engine makes for the helper carries the checker's label, and goes.
    let catalog = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        catalog.path().join("9.9.yaml"),
        "id: \"9.9\"\nchapter: 9\ntitle: Volume\nobjective: O\nchecks:\n  - id: fichier\n    title: T\n    volume:\n      name: trust-volume\n      path: { path: /message.txt, contains: bonjour }\n",
    )
    .expect("write");
    let volume_exists = || {
        std::process::Command::new("docker")
            .args(["volume", "inspect", "trust-volume"])
            .output()
            .expect("docker")
            .status
            .success()
    };
    let make_volume = "docker volume rm -f trust-volume >/dev/null 2>&1 || true
        docker volume create trust-volume >/dev/null
        docker run --rm -v trust-volume:/data busybox sh -c 'echo bonjour > /data/message.txt'";
    sh(make_volume);
    let report = volume_check_while(catalog.path(), || {
        sh("docker volume rm trust-volume >/dev/null");
    });
    assert_eq!(
        report["exercises"][0]["checks"][0]["status"], "cannot_check",
        "{report}"
    );
    assert!(
        !volume_exists(),
        "no volume made up under the student's name"
    );

    // Removed and made again by the student in that window, a second later: not the
    // volume inspected, but theirs. No verdict, and the checker leaves it alone.
    sh(make_volume);
    let report = volume_check_while(catalog.path(), || {
        std::thread::sleep(std::time::Duration::from_millis(1100));
        sh(
            "docker volume rm trust-volume >/dev/null && docker volume create trust-volume >/dev/null",
        );
    });
    assert_eq!(
        report["exercises"][0]["checks"][0]["status"], "cannot_check",
        "{report}"
    );
    assert!(volume_exists(), "the student's new volume is kept");
    sh("docker volume rm trust-volume >/dev/null");
}

/// Runs the volume check of `catalog` and, once it has inspected the volume and before
/// its helper is created, runs `meanwhile`; gives the JSON report.
fn volume_check_while(catalog: &std::path::Path, meanwhile: impl FnOnce()) -> serde_json::Value {
    let gate = catalog.join("gate");
    let child = checker()
        .env("CHECKER_TEST_HELPER_GATE", &gate)
        .arg("--catalog")
        .arg(catalog)
        .args(["--format", "json", "exercise", "9.9"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    while !gate.exists() && start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(gate.exists(), "the checker never came to create its helper");
    meanwhile();
    std::fs::remove_file(&gate).expect("open the gate");
    let output = child.wait_with_output().expect("wait");
    serde_json::from_slice(&output.stdout).expect("json")
}

/// Killed at any moment, by any signal, the checker leaves no helper behind once the
/// next run is over: SIGINT and SIGTERM remove them at once, SIGKILL's leftovers are
/// swept by the next run (their owner process is gone).
#[test]
fn no_helper_survives_signals_at_random_moments() {
    docker_test!();
    clean("3.2");
    commit_fixture();
    let signals = ["INT", "TERM", "KILL"];
    // A fixed pseudo-random sequence: the same moments on every run of the test.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..51 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = std::time::Duration::from_millis(seed % 400);
        let signal = signals[round % signals.len()];
        let mut child = checker()
            .args(["exercise", "3.2"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let pid = child.id();
        let _ = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status();
        let _ = child.wait();
        // SIGINT and SIGTERM: the run removed its own helpers before it ended (those of
        // an earlier SIGKILL wait for the sweep of a run that gets that far).
        if signal != "KILL" {
            assert_eq!(
                helpers_owned_by(pid),
                0,
                "round {round}: SIGINT/SIGTERM after {delay:?} left a helper"
            );
        }
    }
    // One normal run sweeps what the killed ones left.
    let (_, _, _) = verdict("3.2");
    assert_eq!(helpers_left(), 0, "helpers left after the sweep");
    clean("3.2");
}

fn helpers_owned_by(pid: u32) -> usize {
    let output = std::process::Command::new("docker")
        .args([
            "ps",
            "-a",
            "--format",
            "{{.Label \"io.github.cours-docker.checker.owner\"}}",
        ])
        .arg("--filter")
        .arg(format!("label={}", checker::docker::helper::LABEL))
        .output()
        .expect("docker ps");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|owner| owner.ends_with(&format!(":{pid}")))
        .count()
}

/// The checks of a run that read files in the same image share one helper: every
/// helper is events in the daemon's 256-event history, where the student's must stay.
#[test]
fn one_helper_per_image_per_run() {
    docker_test!();
    clean("3.2");
    commit_fixture();
    let since = now();
    let (_, checks, _) = verdict("3.2");
    assert_eq!(checks.get("fichier").map(String::as_str), Some("pass"));
    let created = helpers_created_since(since);
    assert_eq!(created, 1, "two path checks on one image, one helper");
    assert_eq!(helpers_left(), 0);
    clean("3.2");
}

/// A helper made from an image that declares a `VOLUME` gets an anonymous volume from
/// the engine at its creation: removing the helper removes that volume too, or every
/// run would leave one more dangling volume on the student's host (postgres, redis...).
#[test]
fn helpers_leave_no_volume_behind() {
    docker_test!();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nVOLUME /data\nRUN echo bonjour > /etc/marque\n",
    )
    .expect("write");
    sh_in(
        dir.path(),
        "docker build -q -t trust-volume-image:1 . >/dev/null",
    );
    std::fs::write(
        dir.path().join("9.8.yaml"),
        "id: \"9.8\"\nchapter: 9\ntitle: Image\nobjective: O\nchecks:\n  - id: marque\n    title: T\n    image:\n      ref: trust-volume-image:1\n      path: { path: /etc/marque, contains: bonjour }\n",
    )
    .expect("write");
    let volumes = || {
        let out = std::process::Command::new("docker")
            .args(["volume", "ls", "-q"])
            .output()
            .expect("docker");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect::<std::collections::BTreeSet<_>>()
    };
    let before = volumes();
    let since = now();
    let output = checker()
        .arg("--catalog")
        .arg(dir.path())
        .args(["exercise", "9.8"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(helpers_created_since(since), 1, "the image was read");
    let after = volumes();
    assert_eq!(
        after.difference(&before).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "volumes left by the helper"
    );
    assert_eq!(helpers_left(), 0);
    sh_quiet("docker rmi -f trust-volume-image:1");
}

/// An image not rebuilt since the last run is not read again: what a helper read in it
/// is kept by image id (its content's digest). A rebuild has another id and is read
/// afresh, so a student who breaks the image gets the failure, not a remembered pass.
#[test]
fn what_was_read_in_an_image_is_kept_by_its_id() {
    docker_test!();
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache folder");
    sh_quiet("docker rmi -f mon-app:1.0");
    sh_in(dir.path(), &exercise("3.1").solution.expect("solution"));
    let run = |keep: bool| {
        let since = now();
        let mut command = checker();
        if keep {
            command
                .env_remove("CHECKER_NO_CACHE")
                .env("CHECKER_CACHE", cache.path());
        }
        let output = command
            .current_dir(dir.path())
            .args(["--format", "json", "exercise", "3.1"])
            .output()
            .expect("checker runs");
        let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        (
            statuses_of(&doc["exercises"][0]),
            helpers_created_since(since),
        )
    };
    let all_pass = |statuses: &std::collections::BTreeMap<String, String>| {
        statuses.values().all(|s| s == "pass")
    };

    let (first, made) = run(true);
    assert!(all_pass(&first), "{first:?}");
    assert_eq!(made, 1, "the first run reads the image");
    let (again, made) = run(true);
    assert!(all_pass(&again), "{again:?}");
    assert_eq!(made, 0, "the same image is not read twice");

    // The script loses what the check looks for: a new image, read again, and failing.
    sh_in(
        &dir.path().join("mon-app-docker"),
        "sed -i 's/MESSAGE_PERSO/MESSAGE/g' app.py && docker build -q -t mon-app:1.0 . >/dev/null",
    );
    let (broken, made) = run(true);
    assert_eq!(
        broken.get("app-py").map(String::as_str),
        Some("fail"),
        "{broken:?}"
    );
    assert_eq!(made, 1);
    let (broken_again, made) = run(true);
    assert_eq!(broken_again, broken);
    assert_eq!(made, 0);

    // Without the cache, every run reads the image.
    let (uncached, made) = run(false);
    assert_eq!(uncached, broken);
    assert_eq!(made, 1);
    sh_quiet("docker rmi -f mon-app:1.0");
    assert_eq!(helpers_left(), 0);
}
