//! The engine itself: what `doctor` says about it, and an engine that refuses old API
//! versions, as Engine 29 refuses clients below 1.44. The other engines (20.10, the
//! containerd image store, Podman, TCP+TLS) are proven by `tests/rig/compat.sh`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::checker;

/// The rig's Docker Engine 28.5 binaries (prepare.sh unpacks them there).
fn rig_bin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/rig/bin")
}

#[test]
fn doctor_names_the_engine_its_image_store_and_the_plugins() {
    let output = checker()
        .args(["--format", "json", "doctor"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(doc["product"], "Docker Engine", "{doc:#}");
    assert_eq!(doc["image_store"]["kind"], "graph_driver", "{doc:#}");
    assert_eq!(doc["image_store"]["driver"], "overlay2", "{doc:#}");
    // The versions the CLI itself reports for the plugins it finds.
    for plugin in ["compose", "buildx"] {
        let cli = Command::new("docker")
            .args([plugin, "version"])
            .output()
            .expect("docker runs");
        let cli = String::from_utf8_lossy(&cli.stdout);
        let found = doc[plugin]["version"].as_str().unwrap_or_default();
        assert!(
            !found.is_empty() && cli.contains(found),
            "{plugin}: doctor says {found:?}, docker {plugin} version says {cli:?}"
        );
    }

    let output = checker().arg("doctor").output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Produit       : Docker Engine"), "{text}");
    assert!(text.contains("Images        : overlay2"), "{text}");
    assert!(text.contains("Compose       : 2."), "{text}");
}

#[test]
fn doctor_says_when_compose_is_missing() {
    // A CLI configuration folder without plugins; the system folders have none here.
    let config = tempfile::tempdir().expect("tempdir");
    let output = checker()
        .env("DOCKER_CONFIG", config.path())
        .arg("doctor")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Compose       : absent : `docker compose` ne fonctionnera pas"),
        "{text}"
    );
}

/// A dockerd of its own, stopped when dropped. It runs in a network namespace of its own
/// (`unshare --net`): a dockerd without a bridge deletes the host's `docker0` when it
/// starts (moby's `removeDefaultBridgeInterface`), which would cut the shared engine's
/// containers off. A small supervisor starts it again whenever it exits, as systemd
/// does on a real host: a restart is a `kill` of its pid (see [`Engine::restart`]), and
/// it keeps its data root, its namespace and its socket across restarts.
struct Engine {
    child: Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Engine {
    fn start(env: &[(&str, &str)]) -> Engine {
        Engine::start_with(env, "{}")
    }

    /// An engine whose `daemon.json` is `config`.
    fn start_with(env: &[(&str, &str)], config: &str) -> Engine {
        let bin = rig_bin();
        assert!(
            bin.join("dockerd").exists(),
            "{} absent : lancez checker/tests/rig/prepare.sh",
            bin.display()
        );
        // Short paths: unix socket paths are limited to 108 bytes.
        let dir = tempfile::Builder::new()
            .prefix("ckeng")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let socket = dir.path().join("d.sock");
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let log = std::fs::File::create(dir.path().join("dockerd.log")).expect("log");
        // `$0` is the engine's folder; the loop ends once `stop` exists there.
        let supervisor = r#"while [ ! -e "$0/stop" ]; do "$@"; sleep 0.2; done"#;
        let child = Command::new("unshare")
            .args(["--net", "--", "bash", "-c", supervisor])
            .arg(dir.path())
            .arg(bin.join("dockerd"))
            .args(["--host", &format!("unix://{}", socket.display())])
            .arg("--data-root")
            .arg(dir.path().join("data"))
            .arg("--exec-root")
            .arg(dir.path().join("x"))
            .arg("--pidfile")
            .arg(dir.path().join("d.pid"))
            .arg("--config-file")
            .arg(write(dir.path(), "daemon.json", config))
            .args(["--bridge=none", "--iptables=false", "--ip6tables=false"])
            // Its containers (`sleep 3600`, deaf to SIGTERM) are killed after 1 s rather
            // than 10 at each restart and at the end.
            .arg("--shutdown-timeout=1")
            .env("PATH", path)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("dockerd starts");
        let mut engine = Engine {
            child,
            socket,
            _dir: dir,
        };
        engine.wait_until_it_answers();
        engine
    }

    fn wait_until_it_answers(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.answers() {
            let exited = self.child.try_wait().expect("wait").is_some();
            if exited || Instant::now() > deadline {
                panic!("dockerd ne répond pas :\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("dockerd.log")).unwrap_or_default()
    }

    /// The engine's configuration file, as `/etc/docker/daemon.json` is a host's.
    fn config(&self) -> PathBuf {
        self._dir.path().join("daemon.json")
    }

    fn pid_file(&self) -> PathBuf {
        self._dir.path().join("d.pid")
    }

    /// `systemctl restart docker`: dockerd stops (its containers with it), the
    /// supervisor starts it again, reading its configuration anew.
    fn restart(&mut self) {
        let pid = std::fs::read_to_string(self.pid_file()).expect("pid file");
        let pid = pid.trim().to_string();
        let _ = Command::new("kill").arg(&pid).status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Path::new(&format!("/proc/{pid}")).exists() {
            assert!(Instant::now() < deadline, "dockerd {pid} ne s'arrête pas");
            std::thread::sleep(Duration::from_millis(100));
        }
        self.wait_until_it_answers();
    }

    fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    fn docker(&self) -> Command {
        let mut cmd = Command::new(rig_bin().join("docker"));
        cmd.env("DOCKER_HOST", self.host());
        cmd
    }

    fn answers(&self) -> bool {
        self.socket.exists()
            && self
                .docker()
                .args(["version", "--format", "{{.Server.Version}}"])
                .output()
                .is_ok_and(|o| o.status.success())
    }

    /// Copies a stand-in image from the shared engine (no registry, no Docker Hub).
    fn load(&self, image: &str) {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "env -u DOCKER_HOST '{docker}' save '{image}' | DOCKER_HOST='{host}' '{docker}' load -q",
                docker = rig_bin().join("docker").display(),
                host = self.host(),
            ))
            .stdout(Stdio::null())
            .status()
            .expect("sh runs");
        assert!(status.success(), "{image} : copie impossible");
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // The supervisor stops once `stop` exists; SIGTERM lets dockerd stop its
        // containerd; then reap it.
        let _ = std::fs::write(self._dir.path().join("stop"), "");
        let pid = std::fs::read_to_string(self.pid_file()).unwrap_or_default();
        let pid = pid.trim();
        if !pid.is_empty() {
            let _ = Command::new("kill").arg(pid).status();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        if !pid.is_empty() && Path::new(&format!("/proc/{pid}")).exists() {
            let _ = Command::new("kill").args(["-9", pid]).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn an_engine_refusing_api_below_1_44_is_still_spoken_to() {
    // It starts a dockerd of its own from the rig's binaries: inside the rig only.
    docker_test!();
    let engine = Engine::start(&[("DOCKER_MIN_API_VERSION", "1.44")]);
    // The floor is real: a client asking for 1.41 is turned away.
    let old = engine
        .docker()
        .env("DOCKER_API_VERSION", "1.41")
        .arg("version")
        .output()
        .expect("docker runs");
    assert!(!old.status.success());
    assert!(
        String::from_utf8_lossy(&old.stderr).contains("1.44"),
        "{}",
        String::from_utf8_lossy(&old.stderr)
    );

    let output = checker()
        .env("DOCKER_HOST", engine.host())
        .args(["--format", "json", "doctor"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(doc["min_api_version"], "1.44", "{doc:#}");
    let api = doc["api_version"].as_str().unwrap_or_default().to_string();
    let minor: u32 = api
        .strip_prefix("1.")
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| panic!("API {api:?}"));
    assert!(minor >= 44, "API {api}");

    // Exercise 1.1 asks the daemon its facts (version, API, OS): all pass.
    let output = checker()
        .env("DOCKER_HOST", engine.host())
        .args(["--format", "json", "exercise", "1.1"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(output.status.code(), Some(0), "{doc:#}");
}

/// Each check's status for exercise `id` on `engine`, and the exit code.
fn statuses(engine: &Engine, id: &str) -> (BTreeMap<String, String>, Option<i32>) {
    let output = checker()
        .env("DOCKER_HOST", engine.host())
        .args(["--format", "json", "exercise", id])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stderr));
    });
    let checks = doc["exercises"][0]["checks"].as_array().expect("checks");
    let map = checks
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_string(),
                c["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (map, output.status.code())
}

fn expect(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs a shell command against `engine`; panics with its output when it fails.
fn on(engine: &Engine, script: &str) {
    let output = Command::new("sh")
        .args(["-c", script])
        .env("DOCKER_HOST", engine.host())
        .env(
            "PATH",
            format!(
                "{}:{}",
                rig_bin().display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()
        .expect("sh runs");
    assert!(
        output.status.success(),
        "{script}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The book's `daemon.json` for exercise 5.2 (its first step).
const ROTATION: &str =
    r#"{"log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"}}"#;

#[test]
fn exercise_5_2_passes_on_a_daemon_configured_and_restarted_as_the_book_says() {
    // The shared engine must keep Docker's defaults (there 5.2's `demon` fails, see
    // chapter5.rs): a dockerd of its own plays the student's machine.
    docker_test!();
    let mut engine = Engine::start(&[]);
    engine.load("alpine:latest");
    let solution = "docker run -d --name rotation-test alpine sleep 3600 >/dev/null";
    // Before any configuration: the container is there, with Docker's defaults.
    on(&engine, solution);
    let (found, code) = statuses(&engine, "5.2");
    assert_eq!(
        found,
        expect(&[
            ("conteneur", "pass"),
            ("demon", "fail"),
            ("rotation", "fail")
        ])
    );
    assert_eq!(code, Some(1));

    // A typical slip: `"max-file": 3`, a number. The book's validation step catches it.
    let wrong = write(
        engine._dir.path(),
        "faux.json",
        r#"{"log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": 3}}"#,
    );
    let validate = |file: &Path| {
        Command::new(rig_bin().join("dockerd"))
            .args(["--validate", "--config-file"])
            .arg(file)
            .output()
            .expect("dockerd runs")
    };
    assert!(!validate(&wrong).status.success());
    // The book's settings, validated, then the restart.
    std::fs::write(engine.config(), ROTATION).expect("write");
    let valid = validate(&engine.config());
    assert!(
        valid.status.success(),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    engine.restart();
    // The daemon is right now, but the container was created before the change: it
    // keeps its settings (the `rotation` hint says to recreate it).
    let (found, _) = statuses(&engine, "5.2");
    assert_eq!(found["demon"], "pass", "{found:?}");
    assert_eq!(found["rotation"], "fail", "{found:?}");
    on(
        &engine,
        &format!("docker rm -f rotation-test >/dev/null; {solution}"),
    );
    let (found, code) = statuses(&engine, "5.2");
    assert_eq!(
        found,
        expect(&[
            ("conteneur", "pass"),
            ("demon", "pass"),
            ("rotation", "pass")
        ])
    );
    assert_eq!(code, Some(0));
    // The daemon's check reads the daemon, not the container: with the container gone,
    // it still passes; the helper it created is gone too.
    on(&engine, "docker rm -f rotation-test >/dev/null");
    let (found, _) = statuses(&engine, "5.2");
    assert_eq!(found["demon"], "pass", "{found:?}");
    let left = engine
        .docker()
        .args(["ps", "-aq"])
        .output()
        .expect("docker ps");
    assert!(
        left.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&left.stdout)
    );
}

#[test]
fn noter_grades_a_5_2_script_that_configures_and_restarts_the_daemon() {
    // 5.2 in CI: on a runner where the job is administrator (GitHub Actions), the
    // student's script edits the daemon's configuration and restarts it mid-grading.
    // Here the runner's `sudo` and `systemctl restart docker` act on a dockerd of the
    // test's own; the script is the sample class's, unchanged.
    docker_test!();
    let engine = Engine::start_with(&[], r#"{"labels": ["banc=classe"]}"#);
    engine.load("alpine:latest");
    let work = tempfile::tempdir().expect("tempdir");
    let stubs = work.path().join("bin");
    let solutions = work.path().join("solutions");
    std::fs::create_dir_all(&stubs).expect("mkdir");
    std::fs::create_dir_all(&solutions).expect("mkdir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::copy(
        root.join("checker/tests/data/classe/parfait/5.2.sh"),
        solutions.join("5.2.sh"),
    )
    .expect("copy");
    write(&stubs, "sudo", "#!/bin/sh\nexec \"$@\"\n");
    write(
        &stubs,
        "systemctl",
        &format!(
            r#"#!/bin/sh
# systemctl restart docker, for the test's supervised dockerd.
[ "$1 $2" = "restart docker" ] || {{ echo "systemctl $*: non simulé" >&2; exit 1; }}
old="$(cat '{pid}')"
kill "$old"
i=0
while kill -0 "$old" 2>/dev/null || ! docker version >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -lt 300 ] || exit 1
  sleep 0.2
done
"#,
            pid = engine.pid_file().display()
        ),
    );
    for stub in ["sudo", "systemctl"] {
        let _ = Command::new("chmod")
            .arg("+x")
            .arg(stubs.join(stub))
            .status();
    }
    let reports = work.path().join("rapports");
    let checker_dir = assert_cmd::cargo::cargo_bin("checker")
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let output = Command::new("bash")
        .arg(root.join("templates/ci/noter.sh"))
        .env(
            "PATH",
            format!(
                "{}:{}:{}:{}",
                stubs.display(),
                checker_dir.display(),
                rig_bin().display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("NO_COLOR", "1")
        .env("DOCKER_HOST", engine.host())
        .env("DOCKER_CONFIG", work.path().join("docker-config"))
        .env("DAEMON_JSON", engine.config())
        .env("CHAPITRE", "5")
        .env("SOLUTIONS", &solutions)
        .env("RAPPORTS", &reports)
        .env("ETUDIANT", "parfait")
        .env("TEMPS_MAX", "120")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let saved = std::fs::read_to_string(reports.join("resultats.json"))
        .unwrap_or_else(|e| panic!("{e}\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    let doc: serde_json::Value = serde_json::from_str(&saved).expect("json");
    let ex = doc["exercises"]
        .as_array()
        .expect("exercises")
        .iter()
        .find(|e| e["id"] == "5.2")
        .expect("5.2");
    assert_eq!(ex["score"], 10.0, "{ex:#}\n{stdout}");
    assert!(doc["notes"].get("5.2").is_none(), "{doc:#}");
    // The engine is the same before and after its restart: the grade is not refused.
    assert_eq!(doc["docker"]["endpoint"], engine.host());
    // The runner's own settings are kept next to the new ones.
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(engine.config()).expect("config"))
            .expect("daemon.json");
    assert_eq!(config["labels"][0], "banc=classe", "{config}");
    assert_eq!(config["log-opts"]["max-file"], "3", "{config}");
    on(&engine, "docker rm -f rotation-test >/dev/null");
}
