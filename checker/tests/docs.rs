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

/// The terms `book/glossaire.md` marks as avoided (« … » in the first column of the table
/// under « Termes à éviter »), as case-insensitive whole-word patterns; `…` at the end of
/// a term makes it a prefix (« tagu… »). A term with a capital letter is matched as
/// written (« MB » is a unit, « mb » is not).
fn avoided_terms() -> Vec<(String, regex::Regex)> {
    let glossary = Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/glossaire.md");
    let text = std::fs::read_to_string(&glossary).expect("the glossary exists");
    let section = text
        .split("## Termes à éviter")
        .nth(1)
        .expect("the glossary has a « Termes à éviter » section");
    let quoted = regex::Regex::new(r"«\s*([^»]+?)\s*»").expect("regex");
    let mut terms = Vec::new();
    for row in section.lines().filter(|l| l.starts_with('|')).skip(2) {
        let first = row.split('|').nth(1).unwrap_or("");
        for capture in quoted.captures_iter(first) {
            let term = capture[1].to_string();
            let (stem, prefix) = match term.strip_suffix('…') {
                Some(s) => (s, true),
                None => (term.as_str(), false),
            };
            let case = if stem.chars().any(char::is_uppercase) {
                ""
            } else {
                "(?i)"
            };
            let tail = if prefix { r"\w*" } else { r"\b" };
            let pattern = format!(r"{case}\b{}{tail}", regex::escape(stem));
            terms.push((
                term.clone(),
                regex::Regex::new(&pattern).expect("term regex"),
            ));
        }
    }
    terms
}

/// The prose of a Markdown text, line by line: fenced code, inline code, link targets and
/// HTML tags blanked (a stage may be called `builder`, an option `--log-driver`).
fn prose_lines(markdown: &str) -> Vec<String> {
    let inline = regex::Regex::new(r"`[^`\n]*`|\]\([^)\n]*\)|<[^>\n]*>").expect("regex");
    let mut fence = false;
    markdown
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fence = !fence;
                return String::new();
            }
            if fence {
                return String::new();
            }
            inline.replace_all(line, " ").into_owned()
        })
        .collect()
}

fn uses_of_avoided_terms(
    name: &str,
    markdown: &str,
    terms: &[(String, regex::Regex)],
) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in prose_lines(markdown).iter().enumerate() {
        for (term, re) in terms {
            if let Some(m) = re.find(line) {
                found.push(format!(
                    "{name}:{} : « {} » (à éviter : « {term} », voir book/glossaire.md)",
                    n + 1,
                    m.as_str()
                ));
            }
        }
    }
    found
}

#[test]
fn the_avoided_terms_are_recognised() {
    let terms = avoided_terms();
    assert!(terms.len() >= 8, "the glossary lists the avoided terms");
    let hits = uses_of_avoided_terms(
        "exemple",
        "Taguez l'image.\nLes journaux du conteneur.\nUne image de 20 MB.",
        &terms,
    );
    assert_eq!(hits.len(), 3, "{hits:?}");
    let clean = uses_of_avoided_terms(
        "exemple",
        "L'étape `builder` et `--log-driver`.\n```\nFROM node AS builder\ndriver: bridge\n```\nUn tag, des logs, 20 Mo, un ambre.",
        &terms,
    );
    assert!(clean.is_empty(), "{clean:?}");
}

/// One vocabulary: no chapter page and no exercise card uses a term the glossary marks as
/// avoided.
#[test]
fn chapters_and_cards_use_the_glossary_terms() {
    let terms = avoided_terms();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    let mut files = Vec::new();
    for dir in ["book", "book/formateurs"] {
        for entry in std::fs::read_dir(root.join(dir))
            .expect("book folder")
            .flatten()
        {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // STYLE.md is the authors' guide (English, not in the book); the glossary
            // names the avoided terms on purpose.
            if path.extension().is_some_and(|e| e == "md")
                && name != "STYLE.md"
                && name != "glossaire.md"
            {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 15, "the chapters are found");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("chapter");
        let name = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        found.extend(uses_of_avoided_terms(&name, &text, &terms));
    }
    let catalog = Catalog::from_dir(&root.join("exercises")).expect("valid catalogue");
    for entry in catalog.entries() {
        let e = &entry.exercise;
        let mut fields: Vec<(String, &str)> = vec![
            ("title".into(), e.title.as_str()),
            ("objective".into(), e.objective.as_str()),
        ];
        for (i, step) in e.steps.iter().enumerate() {
            fields.push((format!("steps[{i}]"), step.as_str()));
        }
        for check in &e.checks {
            fields.push((format!("checks.{}.title", check.id), check.title.as_str()));
            if let Some(hint) = &check.hint {
                fields.push((format!("checks.{}.hint", check.id), hint.as_str()));
            }
        }
        for (field, text) in fields {
            found.extend(uses_of_avoided_terms(
                &format!("{} ({field})", entry.file),
                text,
                &terms,
            ));
        }
    }
    assert!(found.is_empty(), "termes à éviter :\n{}", found.join("\n"));
}

/// Every chapter keeps the course's template: what the reader will know (objectives), a
/// time estimate, a « Dépannage » section (the errors met in the chapter) and « À retenir »
/// after it. The conclusion (chapter 11) has no exercise and no troubleshooting.
#[test]
fn every_chapter_follows_the_template() {
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("../book");
    let mut chapters: Vec<_> = std::fs::read_dir(&book)
        .expect("book folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("ch") && n.ends_with(".md"))
        })
        .collect();
    chapters.sort();
    assert!(chapters.len() >= 15, "the chapters are found");
    let mut missing = Vec::new();
    for path in chapters {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        // A split chapter is its main page (chNN-slug.md) and its sub-pages
        // (chNN-M-slug.md, in order): the template holds across them.
        if name[5..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let prefix = format!("{}-", &name[..4]);
        let mut pages: Vec<_> = std::fs::read_dir(&book)
            .expect("book folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.starts_with(&prefix)
                        && n[5..].starts_with(|c: char| c.is_ascii_digit())
                        && n.ends_with(".md")
                })
            })
            .collect();
        pages.sort();
        let mut text = std::fs::read_to_string(&path).expect("chapter");
        for page in pages {
            text.push_str(&std::fs::read_to_string(&page).expect("sub-page"));
        }
        let objectives = [
            "vous saurez :",
            "vous allez :",
            "Vous allez :",
            "## Objectifs",
        ]
        .iter()
        .any(|m| text.contains(m));
        if !objectives {
            missing.push(format!(
                "{name} : pas d'objectifs (« À la fin du chapitre, vous saurez : »)"
            ));
        }
        if !text.contains("**Durée estimée :**") {
            missing.push(format!("{name} : pas de « **Durée estimée :** »"));
        }
        if name.starts_with("ch11") {
            continue;
        }
        let trouble = text.find("\n## Dépannage\n");
        let summary = text.find("\n## À retenir\n");
        match (trouble, summary) {
            (Some(t), Some(s)) if t < s => {}
            (None, _) => missing.push(format!("{name} : pas de section « ## Dépannage »")),
            (_, None) => missing.push(format!("{name} : pas de section « ## À retenir »")),
            _ => missing.push(format!(
                "{name} : « Dépannage » doit précéder « À retenir »"
            )),
        }
    }
    assert!(
        missing.is_empty(),
        "gabarit de chapitre :\n{}",
        missing.join("\n")
    );
}

/// The guide's page, read once per test.
fn guide() -> String {
    let page =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/formateurs/ecrire-un-exercice.md");
    std::fs::read_to_string(&page).expect("the guide exists")
}

#[test]
fn every_key_of_the_exercise_format_is_in_the_guide() {
    // The JSON Schema is generated from the check kinds' own structs: a key added to a
    // kind without a line in the guide fails here.
    let schema: serde_json::Value =
        serde_json::from_str(&checker::catalog::json_schema()).expect("schema");
    let guide = guide();
    let mut missing = Vec::new();
    let mut seen = 0;
    let mut walk = |properties: &serde_json::Value| {
        for key in properties.as_object().into_iter().flat_map(|p| p.keys()) {
            seen += 1;
            let documented =
                guide.contains(&format!("`{key}`")) || guide.contains(&format!(".{key}`"));
            if !documented && !missing.contains(key) {
                missing.push(key.clone());
            }
        }
    };
    walk(&schema["properties"]);
    for definition in schema["$defs"].as_object().expect("$defs").values() {
        walk(&definition["properties"]);
    }
    assert!(
        missing.is_empty(),
        "keys missing from the guide: {missing:?}"
    );
}

#[test]
fn every_check_shown_in_the_guide_is_valid() {
    // Each ```yaml block that is a list of checks (`- id:`) is put into a minimal
    // exercise and validated like a catalogue file.
    let guide = guide();
    let snippets: Vec<(usize, String)> = yaml_blocks(&guide)
        .into_iter()
        .filter(|(_, y)| y.starts_with("- id:"))
        .collect();
    assert!(snippets.len() >= 20, "{} snippets", snippets.len());
    for (line, yaml) in snippets {
        let indented: String = yaml.lines().map(|l| format!("  {l}\n")).collect();
        let exercise = format!(
            "id: \"99.9\"\nchapter: 99\ntitle: Essai\nobjective: Essai.\npoints: 5\n\
             variables:\n  user: {{ default: votre-id, description: Essai }}\nchecks:\n{indented}"
        );
        let name = format!("ecrire-un-exercice.md (bloc ligne {line})");
        if let Err(e) = Catalog::from_texts(vec![(name.clone(), exercise)]) {
            panic!("{name} is invalid:\n{e}");
        }
    }
}
