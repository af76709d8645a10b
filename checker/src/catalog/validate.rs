//! Rules a catalogue must follow beyond what the types enforce.
//!
//! serde_norway gives positions only for its own errors, so for these rules the position is
//! found by looking for the offending text in the file (`id: foo` for a check `foo`).
//! That is exact for the way exercise files are written (one key per line).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

static EXERCISE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]+\.[0-9]+$").expect("static regex"));
static CHECK_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9-]*$").expect("static regex"));
static VARIABLE_USE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}").expect("static regex"));

use super::{Diagnostic, Entry};

/// Validates parsed entries; `text` is each entry's source, used to locate problems.
pub(super) fn catalogue(parsed: &[(Entry, &str)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let known: BTreeSet<&str> = parsed.iter().map(|(e, _)| e.exercise.id.as_str()).collect();
    for (entry, text) in parsed {
        let exercise = &entry.exercise;
        let at = |needle: &str, message: String| {
            let (line, column) = locate(text, needle);
            Diagnostic {
                file: entry.file.clone(),
                line,
                column,
                message,
            }
        };
        if let Some(first) = seen.insert(&exercise.id, &entry.file) {
            out.push(at(
                "id:",
                format!("l'exercice {} est déjà défini dans {first}", exercise.id),
            ));
        }
        out.extend(exercise_rules(entry, text, &known));
    }
    out
}

fn exercise_rules(entry: &Entry, text: &str, known: &BTreeSet<&str>) -> Vec<Diagnostic> {
    let exercise = &entry.exercise;
    let mut out = Vec::new();
    let mut at = |needle: &str, message: String| {
        let (line, column) = locate(text, needle);
        out.push(Diagnostic {
            file: entry.file.clone(),
            line,
            column,
            message,
        });
    };
    if !EXERCISE_ID.is_match(&exercise.id) {
        at(
            "id:",
            format!(
                "id « {} » invalide : attendu CHAPITRE.N, par exemple \"2.1\" (entre guillemets)",
                exercise.id
            ),
        );
    } else if !exercise.id.starts_with(&format!("{}.", exercise.chapter)) {
        at(
            "chapter:",
            format!(
                "chapter {} ne correspond pas à l'id {} (attendu : chapter {})",
                exercise.chapter,
                exercise.id,
                exercise.id.split('.').next().unwrap_or_default()
            ),
        );
    }
    if exercise.title.trim().is_empty() {
        at("title:", "le titre est vide".to_string());
    }
    if exercise.checks.is_empty() && !exercise.informational {
        at(
            "checks:",
            format!(
                "l'exercice {} n'a aucune vérification : ajoutez-en sous `checks:` ou déclarez \
                 `informational: true` si l'exercice n'est pas vérifiable",
                exercise.id
            ),
        );
    }
    if exercise.informational && !exercise.checks.is_empty() {
        at(
            "informational:",
            "un exercice `informational: true` ne doit pas avoir de vérifications".to_string(),
        );
    }
    if let Some(after) = &exercise.cleanup_after {
        if !known.contains(after.as_str()) {
            at(
                "cleanup_after:",
                format!("`cleanup_after` : l'exercice {after} n'existe pas"),
            );
        } else if super::id_key(after) <= super::id_key(&exercise.id) {
            at(
                "cleanup_after:",
                format!(
                    "`cleanup_after: {after}` doit nommer un exercice qui vient après {}",
                    exercise.id
                ),
            );
        }
        if exercise.cleanup.is_none() {
            at(
                "cleanup_after:",
                "`cleanup_after` sans `cleanup` : il n'y a rien à nettoyer plus tard".to_string(),
            );
        }
    }
    for prerequisite in &exercise.prerequisites {
        if !known.contains(prerequisite.as_str()) {
            at(
                "prerequisites:",
                format!("prérequis inconnu : l'exercice {prerequisite} n'existe pas"),
            );
        }
    }
    // Parameters are judged once variables take their defaults (`http://localhost:${port}/`).
    let resolved = entry
        .resolve(&BTreeMap::new())
        .unwrap_or_else(|_| exercise.clone());
    let mut check_ids = BTreeSet::new();
    for check in &resolved.checks {
        let needle = format!("id: {}", check.id);
        if !CHECK_ID.is_match(&check.id) {
            at(
                &needle,
                format!(
                    "id de vérification « {} » invalide : minuscules, chiffres et tirets seulement",
                    check.id
                ),
            );
        }
        if !check_ids.insert(check.id.as_str()) {
            at(
                &format!("{needle}\n"),
                format!(
                    "id de vérification « {} » en double dans l'exercice {}",
                    check.id, exercise.id
                ),
            );
        }
        if check.title.trim().is_empty() {
            at(
                &needle,
                format!("la vérification « {} » n'a pas de titre", check.id),
            );
        }
        if check.weight == 0 {
            at(
                &needle,
                format!(
                    "la vérification « {} » a un poids nul (weight: 0)",
                    check.id
                ),
            );
        }
        for required in &check.requires {
            // Only earlier checks: the order of the file is the order of the causes,
            // and no cycle can be written.
            if !check_ids.contains(required.as_str()) || required == &check.id {
                at(
                    &needle,
                    format!(
                        "vérification « {} » : `requires: {required}` doit nommer une vérification \
                         écrite avant elle dans l'exercice {}",
                        check.id, exercise.id
                    ),
                );
            }
        }
        for problem in check.kind.problems() {
            at(
                &needle,
                format!("vérification « {} » : {problem}", check.id),
            );
        }
    }
    // Every `${name}` must be declared under `variables:`.
    if entry.uses_variables() {
        let mut reported = BTreeSet::new();
        let mut declared_text = entry.tree().clone();
        if let serde_norway::Value::Mapping(map) = &mut declared_text {
            map.remove("solution");
            map.remove("cleanup");
        }
        let mut used = Vec::new();
        each_string(&declared_text, &mut |text| {
            for capture in VARIABLE_USE.captures_iter(text) {
                used.push(capture[1].to_string());
            }
        });
        for name in used {
            if !exercise.variables.contains_key(&name) && reported.insert(name.clone()) {
                at(
                    &format!("${{{name}}}"),
                    format!("variable « {name} » utilisée mais non déclarée sous `variables:`"),
                );
            }
        }
    }
    out
}

/// Calls `f` on every string of a YAML tree, keys included.
fn each_string(value: &serde_norway::Value, f: &mut impl FnMut(&str)) {
    match value {
        serde_norway::Value::String(text) => f(text),
        serde_norway::Value::Sequence(items) => items.iter().for_each(|v| each_string(v, f)),
        serde_norway::Value::Mapping(map) => {
            for (key, value) in map {
                each_string(key, f);
                each_string(value, f);
            }
        }
        serde_norway::Value::Tagged(tagged) => each_string(&tagged.value, f),
        _ => {}
    }
}

/// 1-based line and column of the first occurrence of `needle` (the last one when the
/// needle ends with a newline and appears twice: used for duplicates).
fn locate(text: &str, needle: &str) -> (Option<usize>, Option<usize>) {
    let trimmed = needle.trim_end_matches('\n');
    let offset = if needle.ends_with('\n') {
        text.rmatch_indices(trimmed).next().map(|(i, _)| i)
    } else {
        text.find(trimmed)
    };
    match offset {
        Some(offset) => {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            (Some(line), Some(column))
        }
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn locates_line_and_column() {
        let text = "a: 1\n  - id: x\n  - id: x\n";
        assert_eq!(locate(text, "id: x"), (Some(2), Some(5)));
        assert_eq!(locate(text, "id: x\n"), (Some(3), Some(5)));
        assert_eq!(locate(text, "nope"), (None, None));
    }
}
