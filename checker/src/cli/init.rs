//! `checker init ID [DIR]`: copies an exercise's starter files; existing files are kept.

use std::path::Path;

use colored::Colorize;

use super::{EXIT_OK, EXIT_USAGE, find, usage};
use crate::catalog::Catalog;

pub fn run(catalog: &Catalog, id: &str, dir: Option<&Path>) -> u8 {
    let Some(entry) = find(catalog, id) else {
        return EXIT_USAGE;
    };
    let files = catalog.starter(&entry.exercise.id);
    if files.is_empty() {
        return usage(format!(
            "l'exercice {id} n'a pas de fichiers de départ : suivez son énoncé dans le cours."
        ));
    }
    let root = dir.unwrap_or_else(|| Path::new("."));
    let (mut written, mut kept) = (0, 0);
    for (relative, content) in files {
        let target = root.join(&relative);
        if let Some(link) = symlink_on_the_way(root, &relative) {
            return usage(format!(
                "{} est un lien symbolique : `checker init` n'écrit qu'à l'intérieur de {} \
                 (retirez le lien ou choisissez un autre dossier)",
                link.display(),
                root.display()
            ));
        }
        if target.exists() {
            say!(
                "  {} {} (déjà présent, gardé tel quel)",
                "=".yellow(),
                target.display()
            );
            kept += 1;
            continue;
        }
        let created = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, &content));
        if let Err(e) = created {
            return usage(format!("écriture de {} impossible : {e}", target.display()));
        }
        say!("  {} {}", "+".green(), target.display());
        written += 1;
    }
    say!(
        "Exercice {} : {written} fichier(s) créé(s){}.",
        entry.exercise.id,
        if kept > 0 {
            format!(", {kept} déjà présent(s) gardé(s)")
        } else {
            String::new()
        }
    );
    EXIT_OK
}

/// The first symbolic link among the folders and the file `relative` names below
/// `root`: writing through it could land anywhere on the student's disk.
fn symlink_on_the_way(root: &Path, relative: &Path) -> Option<std::path::PathBuf> {
    let mut path = root.to_path_buf();
    for component in relative.components() {
        path.push(component);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(path);
        }
    }
    None
}
