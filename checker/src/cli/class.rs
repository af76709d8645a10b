//! `checker class`: one table for a class, from each student's results file (saved with
//! `grade --save`), every file rescored from the catalogue. With `--roster`, a student
//! without a file still has a row, at zero, saying so.

use std::path::Path;

use super::grade::{defaults, select};
use super::output::write_all;
use super::{ClassArgs, Cli, EXIT_FAILED, EXIT_OK, EXIT_USAGE, Format, usage};
use crate::catalog::{Catalog, Exercise};
use crate::report::class::{Class, Student};
use crate::report::{DockerFacts, Run};

pub fn run(cli: &Cli, catalog: &Catalog, args: &ClassArgs) -> u8 {
    if let Some(min) = args.min_score
        && !(0.0..=100.0).contains(&min)
    {
        return usage(format!(
            "--min-score {min} : attendu un pourcentage entre 0 et 100"
        ));
    }
    let Some(chosen) = select(catalog, &[], &args.chapter, false) else {
        return EXIT_USAGE;
    };
    let wanted = match defaults(&chosen) {
        Ok(w) => w,
        Err(message) => return usage(message),
    };
    let wanted: Vec<&Exercise> = wanted.iter().collect();
    let mut students = Vec::new();
    for path in &args.files {
        let run = match Run::load(path).and_then(|run| run.rescored(catalog, path)) {
            Ok(run) => run,
            Err(message) => return usage(message),
        };
        let run = run.restricted_to(
            &wanted,
            &format!("aucun résultat dans {}", path.display()),
            args.min_score,
        );
        let id = run.student_or(&file_stem(path));
        if let Some(i) = students.iter().position(|s: &Student| s.id == id) {
            return usage(format!(
                "deux fichiers de résultats pour l'étudiant « {id} » : {} et {} ; gardez-en un",
                args.files[i].display(),
                path.display()
            ));
        }
        students.push(Student {
            id,
            run,
            missing: None,
        });
    }
    if let Some(roster) = &args.roster {
        let names = match roster_students(roster) {
            Ok(n) => n,
            Err(message) => return usage(message),
        };
        for name in names {
            if students.iter().any(|s| s.id == name) {
                continue;
            }
            let missing = "aucun fichier de résultats".to_string();
            let run = Run::new(DockerFacts::default(), Vec::new(), args.min_score)
                .restricted_to(&wanted, &missing, args.min_score)
                .with_identity(Some(name.clone()), None);
            students.push(Student {
                id: name,
                run,
                missing: Some(missing),
            });
        }
    }
    students.sort_by(|a, b| a.id.cmp(&b.id));
    let class = Class { students };
    let all_passed = class.students.iter().all(|s| s.run.summary.success);
    let text_of = |format: Format| match format {
        Format::Csv => class.csv(),
        Format::Markdown => class.markdown(),
        Format::Json => class.json(),
        Format::Html => class.html(),
        _ => class.text(),
    };
    if let Some(format) = cli.format.iter().find(|f| {
        !matches!(
            f,
            Format::Csv | Format::Markdown | Format::Html | Format::Json | Format::Text
        )
    }) {
        let name = clap::ValueEnum::to_possible_value(format)
            .map_or_else(String::new, |v| v.get_name().to_string());
        return usage(format!(
            "`checker class` écrit les formats text, csv, markdown, html et json, pas {name} : \
             pour un rapport JUnit ou TAP par étudiant, utilisez `checker grade --from`"
        ));
    }
    if let Err(code) = write_all(cli, text_of, true) {
        return code;
    }
    if all_passed { EXIT_OK } else { EXIT_FAILED }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// The students of a roster: the first column of a CSV file, header line skipped
/// when its first cell is `etudiant`.
pub fn roster_students(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{} : lecture impossible : {e}", path.display()))?;
    Ok(text
        .lines()
        .map(|line| line.split([',', ';']).next().unwrap_or_default().trim())
        .filter(|cell| !cell.is_empty() && !cell.starts_with('#') && *cell != "etudiant")
        .map(str::to_string)
        .collect())
}
