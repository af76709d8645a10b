//! The student's progress: which exercises passed, which failed last time, and the
//! student's identifier, in one small JSON file of the user's state directory.
//!
//! rustlings keeps such a file so that `list` and `watch` know where the student is;
//! here `checker list`, `checker watch` and the page of `checker serve` read the same
//! file, and `checker exercise` writes it. It lives in `$XDG_STATE_HOME/checker/` on
//! Linux (`~/.local/state/checker/`), the local data directory elsewhere (`dirs`
//! knows each platform's), or wherever `--state FILE` says.
//!
//! The file is replaced atomically (a temporary file in the same folder, renamed over
//! it): a checker killed mid-write, or two running side by side, never leave half a
//! file. A file that cannot be read as progress is set aside, never a reason to fail a
//! check.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::outcome::ExerciseResult;

/// The version of the file's format, written in it.
pub const FORMAT: u32 = 1;

/// The variable the saved identifier fills in.
pub const USER_VARIABLE: &str = "user";

/// The file name inside the state directory.
const FILE_NAME: &str = "progress.json";

/// What the last verification of an exercise said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    Failed,
}

/// One exercise's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The last verdict.
    pub last: Verdict,
    /// Whether it ever passed (a later failure, the clean-up done, does not undo it).
    #[serde(default)]
    pub passed_once: bool,
    /// When it was last verified (RFC 3339, UTC).
    pub at: String,
}

/// The whole file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub format: u32,
    /// The student's identifier (Docker Hub or registry namespace): the default of
    /// `--var user=` and what the book shows instead of `VOTRE_ID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default)]
    pub exercises: BTreeMap<String, Record>,
}

/// What the list and the page show for an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Passed (at least once).
    Done,
    /// Verified, never passed.
    Failed,
    /// Never verified.
    Todo,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Done => "✔",
            Mark::Failed => "✘",
            Mark::Todo => "·",
        }
    }
}

impl Progress {
    /// `vars` with the saved identifier as the value of `user` when the exercise
    /// declares that variable and `vars` does not set it.
    pub fn with_user(
        &self,
        entry: &crate::catalog::Entry,
        mut vars: BTreeMap<String, String>,
    ) -> BTreeMap<String, String> {
        if let Some(user) = &self.user
            && entry.exercise.variables.contains_key(USER_VARIABLE)
        {
            vars.entry(USER_VARIABLE.to_string())
                .or_insert_with(|| user.clone());
        }
        vars
    }

    /// The exercise resolved with `vars` and the saved identifier, whose placeholder
    /// (`VOTRE_ID`) is also replaced where the texts write it literally (« donnez
    /// `--var user=VOTRE_ID` »): the student reads their own identifier everywhere.
    pub fn personalised(
        &self,
        entry: &crate::catalog::Entry,
        vars: BTreeMap<String, String>,
    ) -> Result<crate::catalog::Exercise, String> {
        let mut exercise = entry.resolve(&self.with_user(entry, vars))?;
        let placeholder = entry
            .exercise
            .variables
            .get(USER_VARIABLE)
            .and_then(|v| v.placeholder.clone());
        if let (Some(user), Some(placeholder)) = (&self.user, placeholder) {
            let swap = |text: &mut String| *text = text.replace(&placeholder, user);
            swap(&mut exercise.title);
            swap(&mut exercise.objective);
            exercise.steps.iter_mut().for_each(swap);
            for check in &mut exercise.checks {
                swap(&mut check.title);
                if let Some(hint) = &mut check.hint {
                    swap(hint);
                }
            }
            for text in [
                &mut exercise.solution,
                &mut exercise.cleanup,
                &mut exercise.next,
            ]
            .into_iter()
            .flatten()
            {
                swap(text);
            }
        }
        Ok(exercise)
    }

    pub fn mark(&self, id: &str) -> Mark {
        match self.exercises.get(id) {
            Some(r) if r.passed_once || r.last == Verdict::Passed => Mark::Done,
            Some(_) => Mark::Failed,
            None => Mark::Todo,
        }
    }

    /// Records the verdict of a run. Informational exercises have nothing to record.
    pub fn record(&mut self, result: &ExerciseResult) {
        if result.informational || result.checks.is_empty() {
            return;
        }
        let passed = result.all_passed();
        let passed_once = passed
            || self
                .exercises
                .get(&result.id)
                .is_some_and(|r| r.passed_once || r.last == Verdict::Passed);
        self.exercises.insert(
            result.id.clone(),
            Record {
                last: if passed {
                    Verdict::Passed
                } else {
                    Verdict::Failed
                },
                passed_once,
                at: crate::report::now_utc(),
            },
        );
    }
}

/// Where the progress is kept, and the way to read and replace it.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// `--state FILE`, else the platform's state directory. `None` when the platform
    /// has no home at all (a bare container without `HOME`): progress is then not kept.
    pub fn locate(explicit: Option<&Path>) -> Option<Self> {
        if let Some(path) = explicit {
            return Some(Self {
                path: path.to_path_buf(),
            });
        }
        let dir = dirs::state_dir().or_else(dirs::data_local_dir)?;
        Some(Self {
            path: dir.join("checker").join(FILE_NAME),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved progress; empty when there is none yet. A file that is not progress
    /// (edited by hand, another program's) is reported, not overwritten silently:
    /// the caller decides.
    pub fn load(&self) -> Result<Progress, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Progress::default()),
            Err(e) => {
                return Err(format!(
                    "lecture de la progression {} impossible : {e}",
                    self.path.display()
                ));
            }
        };
        let progress: Progress = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} n'est pas un fichier de progression du checker ({e}) : supprimez-le ou \
                 lancez `checker progress --reset`",
                self.path.display()
            )
        })?;
        if progress.format > FORMAT {
            return Err(format!(
                "{} vient d'un checker plus récent (format {}) : mettez le checker à jour",
                self.path.display(),
                progress.format
            ));
        }
        Ok(progress)
    }

    /// The saved progress, or an empty one when it cannot be read (said on stderr by
    /// the caller's `warn`): reading progress never stops a verification.
    pub fn load_or_empty(&self, warn: impl Fn(&str)) -> Progress {
        self.load().unwrap_or_else(|e| {
            warn(&e);
            Progress::default()
        })
    }

    /// Replaces the file atomically: written beside it, flushed, renamed over it.
    pub fn save(&self, progress: &Progress) -> Result<(), String> {
        let fail = |e: &dyn std::fmt::Display| {
            format!(
                "enregistrement de la progression dans {} impossible : {e}",
                self.path.display()
            )
        };
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| fail(&e))?;
        let mut saved = progress.clone();
        saved.format = FORMAT;
        let text = serde_json::to_string_pretty(&saved).map_err(|e| fail(&e))?;
        let mut file = tempfile::NamedTempFile::new_in(&dir).map_err(|e| fail(&e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.write_all(b"\n"))
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| fail(&e))?;
        file.persist(&self.path).map_err(|e| fail(&e.error))?;
        Ok(())
    }

    /// Loads, changes and saves (the read-modify-write of one command).
    pub fn update(&self, change: impl FnOnce(&mut Progress)) -> Result<Progress, String> {
        let mut progress = self.load()?;
        change(&mut progress);
        self.save(&progress)?;
        Ok(progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_atomically_and_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::locate(Some(&dir.path().join("a/b/progress.json"))).expect("store");
        assert!(store.load().expect("empty").exercises.is_empty());
        let progress = store
            .update(|p| p.user = Some("alice".to_string()))
            .expect("saved");
        assert_eq!(progress.user.as_deref(), Some("alice"));
        assert_eq!(store.load().expect("read").user.as_deref(), Some("alice"));
        // Nothing but the file itself is left in the folder (no temporary files).
        let names: Vec<_> = std::fs::read_dir(dir.path().join("a/b"))
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("progress.json")]);
        std::fs::write(store.path(), "{ pas du json").expect("write");
        let error = store.load().expect_err("not progress");
        assert!(error.contains("checker progress --reset"), "{error}");
    }
}
