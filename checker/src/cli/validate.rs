//! `checker validate [DIR]`: checks a catalogue (schema, ids, prerequisites, variables)
//! and reports every problem at once.

use std::path::Path;

use colored::Colorize;

use super::{EXIT_OK, EXIT_USAGE};
use crate::catalog::Catalog;

pub fn run(dir: Option<&Path>) -> u8 {
    let loaded = match dir {
        Some(dir) => Catalog::from_dir(dir),
        None => Catalog::embedded(),
    };
    match loaded {
        Ok(catalog) => {
            let checks: usize = catalog
                .entries()
                .iter()
                .map(|e| e.exercise.checks.len())
                .sum();
            say!(
                "{} catalogue valide : {} exercices, {checks} vérifications.",
                "✔".green().bold(),
                catalog.entries().len()
            );
            EXIT_OK
        }
        Err(e) => {
            tell!(
                "{} catalogue invalide ({} problème(s)) :\n{e}",
                "✘".red().bold(),
                e.diagnostics.len()
            );
            EXIT_USAGE
        }
    }
}
