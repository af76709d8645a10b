//! The examples of the instructors' guide are real: every complete exercise shown in
//! `book/formateurs/ecrire-un-exercice.md` is parsed and validated by the catalogue code.

use std::path::Path;

use checker::catalog::Catalog;

/// Fenced ```yaml blocks of a Markdown file, with the line where each starts.
fn yaml_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut current {
            None if trimmed.starts_with("```yaml") => current = Some((i + 1, String::new())),
            Some(_) if trimmed.starts_with("```") => blocks.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn every_complete_exercise_in_the_guide_is_valid() {
    let page =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/formateurs/ecrire-un-exercice.md");
    let markdown = std::fs::read_to_string(&page).expect("the guide exists");
    let complete: Vec<(usize, String)> = yaml_blocks(&markdown)
        .into_iter()
        .filter(|(_, y)| {
            ["id:", "chapter:", "title:", "objective:", "checks:"]
                .iter()
                .all(|k| y.lines().any(|l| l.starts_with(k)))
        })
        .collect();
    assert!(
        complete.len() >= 2,
        "the guide shows at least two complete exercises"
    );
    for (line, yaml) in &complete {
        let name = format!("ecrire-un-exercice.md (bloc ligne {line})");
        if let Err(e) = Catalog::from_texts(vec![(name.clone(), yaml.clone())]) {
            // Prerequisites point at the course's exercises: accept only that problem.
            let other: Vec<_> = e
                .diagnostics
                .iter()
                .filter(|d| !d.message.starts_with("prérequis inconnu"))
                .collect();
            assert!(other.is_empty(), "{name} is invalid:\n{e}");
        }
    }
}
