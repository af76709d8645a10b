//! The engine itself: what `doctor` says about it, and an engine that refuses old API
//! versions, as Engine 29 refuses clients below 1.44. The other engines (20.10, the
//! containerd image store, Podman, TCP+TLS) are proven by `tests/rig/compat.sh`.

mod common;

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
/// containers off.
struct Engine {
    child: Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Engine {
    fn start(env: &[(&str, &str)]) -> Engine {
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
        let child = Command::new("unshare")
            .arg("--net")
            .arg("--")
            .arg(bin.join("dockerd"))
            .args(["--host", &format!("unix://{}", socket.display())])
            .arg("--data-root")
            .arg(dir.path().join("data"))
            .arg("--exec-root")
            .arg(dir.path().join("x"))
            .arg("--pidfile")
            .arg(dir.path().join("d.pid"))
            .arg("--config-file")
            .arg(write(dir.path(), "daemon.json", "{}"))
            .args(["--bridge=none", "--iptables=false", "--ip6tables=false"])
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
        let deadline = Instant::now() + Duration::from_secs(60);
        while !engine.answers() {
            let exited = engine.child.try_wait().expect("wait").is_some();
            if exited || Instant::now() > deadline {
                let log = std::fs::read_to_string(engine._dir.path().join("dockerd.log"))
                    .unwrap_or_default();
                panic!("dockerd ne répond pas :\n{log}");
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        engine
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
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SIGTERM lets dockerd stop its containerd; then reap it.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
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
