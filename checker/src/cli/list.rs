//! `checker list`: the chapters and their exercises, for people or (`--format json`)
//! for programs such as the book's tests.

use std::borrow::Cow;

use colored::Colorize;
use serde::Serialize;

use super::{Cli, EXIT_OK, Format, usage};
use crate::catalog::{Catalog, Entry, Exercise};
use crate::markdown::to_terminal;
use crate::progress::{Mark, Progress};

#[derive(Serialize)]
struct ListedExercise<'a> {
    id: &'a str,
    chapter: u32,
    title: &'a str,
    points: u32,
    informational: bool,
    prerequisites: &'a [String],
    /// `done`, `failed` or `todo`, from the progress file.
    progress: Mark,
    checks: Vec<ListedCheck<'a>>,
}

#[derive(Serialize)]
struct ListedCheck<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
}

pub fn run(cli: &Cli, catalog: &Catalog, chapter: Option<u32>) -> u8 {
    let progress = super::progress::load(cli);
    let entries: Vec<&Entry> = catalog
        .entries()
        .iter()
        .filter(|e| chapter.is_none_or(|c| e.exercise.chapter == c))
        .collect();
    if entries.is_empty() {
        return usage("aucun exercice pour ce chapitre.");
    }
    // Titles as the book shows them: the student's saved identifier, else a
    // variable's placeholder (`VOTRE_ID`) where it has one, else its default value.
    let resolved: Vec<Cow<Exercise>> = entries
        .iter()
        .map(|e| super::progress::shown(e, &progress))
        .collect();
    match cli.single_format() {
        Format::Json => print_json(&resolved, &progress),
        _ => print_text(&resolved, &progress),
    }
    EXIT_OK
}

fn print_json(exercises: &[Cow<Exercise>], progress: &Progress) {
    let listed: Vec<ListedExercise> = exercises
        .iter()
        .map(|x| ListedExercise {
            id: &x.id,
            chapter: x.chapter,
            title: &x.title,
            points: x.points,
            informational: x.informational,
            prerequisites: &x.prerequisites,
            progress: progress.mark(&x.id),
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

fn print_text(exercises: &[Cow<Exercise>], progress: &Progress) {
    let mut current = None;
    let mut totals: Vec<(u32, usize, usize)> = Vec::new();
    for x in exercises {
        if current != Some(x.chapter) {
            if current.is_some() {
                say!();
            }
            say!("{}", format!("Chapitre {}", x.chapter).bold());
            current = Some(x.chapter);
            totals.push((x.chapter, 0, 0));
        }
        let mark = progress.mark(&x.id);
        if !x.informational
            && let Some(last) = totals.last_mut()
        {
            last.2 += 1;
            if mark == Mark::Done {
                last.1 += 1;
            }
        }
        let symbol = match (x.informational, mark) {
            (true, _) => " ".to_string(),
            (false, Mark::Done) => mark.symbol().green().to_string(),
            (false, Mark::Failed) => mark.symbol().red().to_string(),
            (false, Mark::Todo) => mark.symbol().dimmed().to_string(),
        };
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
            "{symbol} {:<5} {}  {}",
            x.id.cyan(),
            to_terminal(&x.title),
            format!("({detail})").dimmed()
        );
    }
    say!();
    say!("{}", "Progression".bold());
    for (chapter, done, total) in totals {
        say!("{}", super::progress::chapter_line(chapter, done, total));
    }
    say!(
        "{}",
        "✔ réussi, ✘ échoué à la dernière vérification, · pas encore vérifié".dimmed()
    );
}
