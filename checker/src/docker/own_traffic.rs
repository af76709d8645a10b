//! What the checker itself does to the host, so that no check counts it as the
//! student's work.
//!
//! A check must never be passed by evidence the checker made: its HTTP requests write
//! access lines into the logs exercise 2.4 reads, and its `exec`s write the
//! `exec_start` events exercise 2.5 reads — in this run and in every later one. So:
//! - its HTTP requests carry [`USER_AGENT`], and the `logs` kind ignores lines that
//!   name it;
//! - every exec it starts is written down ([`record_exec`]) in a small journal in the
//!   user's state folder, and the `events` kind ignores the events of those execs;
//! - its helper containers carry labels of their own (see [`super::helper`]).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// The `User-Agent` of every HTTP request the checker makes.
pub const USER_AGENT: &str = concat!("checker-cours-docker/", env!("CARGO_PKG_VERSION"));

/// The execs of this process, known even when the journal cannot be written.
static EXECS: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// How many exec ids the journal keeps: far more than the daemon's 256-event history.
const JOURNAL_KEEP: usize = 2000;

/// Writes down an exec the checker started.
pub fn record_exec(id: &str) {
    if let Ok(mut execs) = EXECS.lock() {
        execs.insert(id.to_string());
    }
    let Some(path) = journal_path() else {
        return;
    };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    // Append-only and one id a line: concurrent runs interleave whole lines.
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let _ = writeln!(file, "{id}");
    }
    trim_journal(&path);
}

/// The execs the checker started, in this process and in earlier runs on this machine.
pub fn own_execs() -> BTreeSet<String> {
    let mut ids = EXECS.lock().map(|e| e.clone()).unwrap_or_default();
    if let Some(text) = journal_path().and_then(|p| std::fs::read_to_string(p).ok()) {
        ids.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    ids
}

/// `$XDG_STATE_HOME/checker/own-execs`, else `~/.local/state/checker/own-execs`.
fn journal_path() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let state = var("XDG_STATE_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".local").join("state")))
        .or_else(|| var("LOCALAPPDATA"))?;
    Some(state.join("checker").join("own-execs"))
}

/// Keeps the journal to its last [`JOURNAL_KEEP`] ids (rewritten atomically).
fn trim_journal(path: &std::path::Path) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= JOURNAL_KEEP * 2 {
        return;
    }
    let kept = lines[lines.len() - JOURNAL_KEEP..].join("\n") + "\n";
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&temporary, kept).is_ok() {
        let _ = std::fs::rename(&temporary, path);
    }
}
