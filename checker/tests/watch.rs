//! `checker watch` in a real terminal (tmux, driven with send-keys and read with
//! capture-pane): a failing 2.1 turns green by itself after the fixing command, the
//! report is redrawn in place, the keys show the hints and the list, and Ctrl-C ends
//! it with code 130 and no helper container left.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

/// A private tmux server (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Self {
        Tmux {
            socket: format!("checker-watch-{name}-{}", std::process::id()),
        }
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs (installed by prepare.sh)");
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "watch"])
    }

    /// Waits until the screen satisfies `ok`; panics with the screen after `within`.
    fn wait_for(&self, what: &str, within: Duration, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < within,
                "{what} : pas vu en {within:?}. Écran :\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// `checker watch 2.1 EXTRA` in a fresh tmux session, from a host without 2.1 done;
/// the pane stays after the exit and shows `code=N`.
fn start_watch(name: &str, extra: &str) -> (Tmux, tempfile::TempDir) {
    clean("2.1");
    let state = tempfile::tempdir().expect("tempdir");
    let binary = assert_cmd::cargo::cargo_bin("checker");
    let command = format!(
        "env -u DOCKER_HOST -u DOCKER_CONTEXT NO_COLOR=1 CHECKER_STATE={} PATH='{}' {} watch 2.1 {extra}; echo \"code=$?\"; sleep 600",
        state.path().join("progress.json").display(),
        path_with_checker(),
        binary.display()
    );
    let tmux = Tmux::new(name);
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "watch",
        "-x",
        "120",
        "-y",
        "60",
        &command,
    ]);
    (tmux, state)
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

#[test]
fn watch_turns_green_after_the_fix_and_ctrl_c_leaves_nothing() {
    docker_test!();
    let (tmux, _state) = start_watch("events", "");
    let screen = tmux.wait_for("2.1 qui échoue", Duration::from_secs(30), |s| {
        s.contains("Exercice 2.1") && s.contains("0/5 vérifications réussies")
    });
    assert!(screen.contains("[i] indices"), "{screen}");
    assert!(screen.contains("événements de Docker"), "{screen}");

    // i: the hints, under the report.
    tmux.run(&["send-keys", "-t", "watch", "i"]);
    tmux.wait_for("les indices", Duration::from_secs(10), |s| {
        s.contains("Indices") && s.contains("docker rename ANCIEN-NOM")
    });

    // The fixing command, typed elsewhere: the event re-checks, the screen turns green.
    sh("docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest >/dev/null");
    let screen = tmux.wait_for("2.1 réussie", Duration::from_secs(30), |s| {
        s.contains("5/5 vérifications réussies")
    });
    assert!(screen.contains("Suivant : exercice 2.2"), "{screen}");
    // Redrawn in place: one report on the screen, not a scrolling pile.
    assert_eq!(screen.matches("Exercice 2.1 —").count(), 1, "{screen}");

    // l: the list, with 2.1 done (the progress file was written).
    tmux.run(&["send-keys", "-t", "watch", "l"]);
    tmux.wait_for("la liste", Duration::from_secs(10), |s| {
        s.contains("Exercices") && s.contains("✔ 2.1")
    });

    // Ctrl-C: code 130, helpers removed.
    tmux.run(&["send-keys", "-t", "watch", "C-c"]);
    let screen = tmux.wait_for("la sortie", Duration::from_secs(15), |s| {
        s.contains("code=")
    });
    assert!(screen.contains("code=130"), "{screen}");
    assert!(screen.contains("Interrompu"), "{screen}");
    assert_eq!(helpers_left(), 0);
    clean("2.1");
}

#[test]
fn watch_polls_where_events_are_not_used_and_q_quits() {
    docker_test!();
    let (tmux, _state) = start_watch("poll", "--poll");
    let screen = tmux.wait_for("2.1 qui échoue", Duration::from_secs(30), |s| {
        s.contains("0/5 vérifications réussies")
    });
    assert!(screen.contains("comparé toutes les 2 s"), "{screen}");
    sh("docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest >/dev/null");
    tmux.wait_for("2.1 réussie", Duration::from_secs(30), |s| {
        s.contains("5/5 vérifications réussies")
    });
    tmux.run(&["send-keys", "-t", "watch", "q"]);
    let screen = tmux.wait_for("la sortie", Duration::from_secs(15), |s| {
        s.contains("code=")
    });
    assert!(screen.contains("code=0"), "{screen}");
    assert!(screen.contains("Fin de la surveillance"), "{screen}");
    assert_eq!(helpers_left(), 0);
    clean("2.1");
}
