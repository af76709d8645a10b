//! Finding exercise files and starter files, in the binary or in a folder.

use std::path::{Path, PathBuf};

use include_dir::Dir;

use super::{MAX_FILE_BYTES, MAX_FILES, STARTERS_DIR};

pub(super) fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<(String, String)>) {
    for file in dir.files() {
        if is_exercise_file(file.path()) {
            let name = format!("exercises/{}", file.path().display());
            let text = file.contents_utf8().unwrap_or_default().to_string();
            out.push((name, text));
        }
    }
    for sub in dir.dirs() {
        if sub.path().file_name().is_some_and(|n| n != STARTERS_DIR) {
            collect_embedded(sub, out);
        }
    }
}

pub(super) fn collect_folder(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let mut visited = std::collections::BTreeSet::new();
    collect_folder_once(root, dir, out, &mut visited)
}

/// Walks `dir`, each real folder once: a symbolic link back up the tree must not list
/// the same exercises again and again.
pub(super) fn collect_folder_once(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, String)>,
    visited: &mut std::collections::BTreeSet<PathBuf>,
) -> Result<(), String> {
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !visited.insert(real) {
        return Ok(());
    }
    let read =
        std::fs::read_dir(dir).map_err(|e| format!("lecture du dossier impossible : {e}"))?;
    let mut paths: Vec<PathBuf> = read.flatten().map(|d| d.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != STARTERS_DIR) {
                collect_folder_once(root, &path, out, visited)?;
            }
        } else if is_exercise_file(&path) {
            if out.len() >= MAX_FILES {
                return Err(format!(
                    "plus de {MAX_FILES} fichiers d'exercice : est-ce bien un dossier d'exercices ?"
                ));
            }
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            if size > MAX_FILE_BYTES as u64 * 4 {
                return Err(format!(
                    "{} : fichier trop gros ({} Kio) pour un fichier d'exercice (au plus {} Kio)",
                    path.display(),
                    size / 1024,
                    MAX_FILE_BYTES / 1024
                ));
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{} : lecture impossible : {e}", path.display()))?;
            let shown = path.strip_prefix(root).unwrap_or(&path);
            out.push((root.join(shown).display().to_string(), text));
        }
    }
    Ok(())
}

pub(super) fn is_exercise_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

pub(super) fn collect_starter_embedded(
    dir: &Dir<'static>,
    root: &Path,
    out: &mut Vec<(PathBuf, Vec<u8>)>,
) {
    for file in dir.files() {
        if let Ok(rel) = file.path().strip_prefix(root) {
            out.push((rel.to_path_buf(), file.contents().to_vec()));
        }
    }
    for sub in dir.dirs() {
        collect_starter_embedded(sub, root, out);
    }
}

pub(super) fn collect_starter_folder(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_starter_folder(&path, root, out);
        } else if let (Ok(rel), Ok(bytes)) = (path.strip_prefix(root), std::fs::read(&path)) {
            out.push((rel.to_path_buf(), bytes));
        }
    }
}
