//! `checker list`: the chapters and their exercises, for people or (`--format json`)
//! for programs such as the book's tests.

use colored::Colorize;
use serde::Serialize;

use super::{Cli, EXIT_OK, Format, usage};
use crate::catalog::{Catalog, Entry, Exercise};
use crate::markdown::to_terminal;

#[derive(Serialize)]
struct ListedExercise<'a> {
    id: &'a str,
    chapter: u32,
    title: &'a str,
    points: u32,
    informational: bool,
    prerequisites: &'a [String],
    checks: Vec<ListedCheck<'a>>,
}

#[derive(Serialize)]
struct ListedCheck<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
}

pub fn run(cli: &Cli, catalog: &Catalog, chapter: Option<u32>) -> u8 {
    let entries: Vec<&Entry> = catalog
        .entries()
        .iter()
        .filter(|e| chapter.is_none_or(|c| e.exercise.chapter == c))
        .collect();
    if entries.is_empty() {
        return usage("aucun exercice pour ce chapitre.");
    }
    // Titles as the book shows them: a variable's placeholder (`VOTRE_ID`) where it
    // has one, else its default value.
    let resolved: Vec<Exercise> = entries
        .iter()
        .map(|e| {
            e.resolve(&e.placeholders())
                .unwrap_or_else(|_| e.exercise.clone())
        })
        .collect();
    match cli.single_format() {
        Format::Json => print_json(&resolved),
        _ => print_text(&resolved),
    }
    EXIT_OK
}

fn print_json(exercises: &[Exercise]) {
    let listed: Vec<ListedExercise> = exercises
        .iter()
        .map(|x| ListedExercise {
            id: &x.id,
            chapter: x.chapter,
            title: &x.title,
            points: x.points,
            informational: x.informational,
            prerequisites: &x.prerequisites,
            checks: x
                .checks
                .iter()
                .map(|c| ListedCheck {
                    id: &c.id,
                    title: &c.title,
                    kind: c.kind.name(),
                })
                .collect(),
        })
        .collect();
    say!(
        "{}",
        serde_json::to_string_pretty(&listed).unwrap_or_default()
    );
}

fn print_text(exercises: &[Exercise]) {
    let mut current = None;
    for x in exercises {
        if current != Some(x.chapter) {
            if current.is_some() {
                say!();
            }
            say!("{}", format!("Chapitre {}", x.chapter).bold());
            current = Some(x.chapter);
        }
        let detail = if x.informational {
            "informatif".to_string()
        } else {
            format!(
                "{} vérification{}",
                x.checks.len(),
                if x.checks.len() > 1 { "s" } else { "" }
            )
        };
        say!(
            "  {:<5} {}  {}",
            x.id.cyan(),
            to_terminal(&x.title),
            format!("({detail})").dimmed()
        );
    }
}
