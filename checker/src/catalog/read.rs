//! Reading one exercise file: the limits, the YAML with its positions, and the JSON
//! forms of the shipped files.

use std::sync::OnceLock;

use super::{Diagnostic, Entry, Exercise};

/// The same files as JSON, made by `build.rs` (path below `exercises/`, JSON text),
/// sorted by path. Parsing them is what `checker list` spends its time on, and JSON
/// parses ten times faster than YAML; the YAML stays the source of truth.
static EMBEDDED_JSON: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/catalogue-json.rs"));

/// The JSON form of embedded file `name` (`exercises/ch02/2.1.yaml`), if built.
pub(super) fn embedded_json(name: &str) -> Option<&'static str> {
    let relative = name.strip_prefix("exercises/")?;
    EMBEDDED_JSON
        .binary_search_by(|(path, _)| (*path).cmp(relative))
        .ok()
        .map(|i| EMBEDDED_JSON[i].1)
}

/// Largest exercise file read: the longest of the course is about 6 KiB.
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// Deepest nesting accepted in an exercise file (the format needs about ten levels).
/// YAML parsers spend super-linear time on deeply nested input.
pub const MAX_DEPTH: usize = 40;

/// Most exercise files in a catalogue folder.
pub const MAX_FILES: usize = 2000;

/// Reads one exercise file: from its JSON form when it has one and that reads, else
/// from the YAML (which locates every problem at its line).
pub(super) fn parse(
    file: &str,
    text: &str,
    json: Option<&'static str>,
) -> Result<Entry, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(json) = json
        && let Ok(exercise) = serde_json::from_str::<Exercise>(json)
    {
        return Ok(Entry {
            exercise,
            file: file.to_string(),
            source: text.to_string(),
            json: Some(json),
            tree: OnceLock::new(),
        });
    }
    parse_yaml(file, text)
}

pub(super) fn parse_yaml(file: &str, text: &str) -> Result<Entry, Diagnostic> {
    let refuse = |message: String| Diagnostic {
        file: file.to_string(),
        line: None,
        column: None,
        message,
    };
    if text.len() > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "fichier trop gros ({} Kio) : un fichier d'exercice fait au plus {} Kio",
            text.len() / 1024,
            MAX_FILE_BYTES / 1024
        )));
    }
    if let Some((line, depth)) = too_deep(text) {
        return Err(Diagnostic {
            line: Some(line),
            ..refuse(format!(
                "imbrication trop profonde ({depth} niveaux, au plus {MAX_DEPTH}) : \
                 un exercice n'a pas besoin de plus"
            ))
        });
    }
    let located = |e: serde_norway::Error| {
        let location = e.location();
        // serde_norway prefixes messages with the path of the failing key, in English;
        // keep its message (it names the key) but lead with the French context.
        Diagnostic {
            file: file.to_string(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: translate_yaml_error(&e.to_string()),
        }
    };
    let exercise: Exercise = serde_norway::from_str(text).map_err(located)?;
    Ok(Entry {
        exercise,
        file: file.to_string(),
        source: text.to_string(),
        json: None,
        tree: OnceLock::new(),
    })
}

/// serde_norway speaks English; the people reading these messages are French-speaking
/// teachers. Translate the common shapes and keep the rest (key names, positions).
pub(super) fn translate_yaml_error(message: &str) -> String {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_string();
    let replacements = [
        ("unknown field", "clé inconnue"),
        ("expected one of", "clés possibles :"),
        ("missing field", "clé obligatoire absente :"),
        ("duplicate entry with key", "clé en double :"),
        ("invalid type:", "type invalide :"),
        ("expected", "attendu"),
        ("a string", "une chaîne"),
        ("a sequence", "une liste"),
        ("a map", "un dictionnaire"),
        ("integer", "entier"),
        (
            "did not find expected key",
            "clé attendue introuvable (indentation ?)",
        ),
        (
            "mapping values are not allowed in this context",
            "« : » inattendu (indentation ou guillemets manquants ?)",
        ),
        (
            "found character that cannot start any token",
            "caractère inattendu (mettez la valeur entre guillemets)",
        ),
        ("unknown variant", "sorte inconnue"),
    ];
    let mut out = message;
    for (en, fr) in replacements {
        out = out.replace(en, fr);
    }
    format!("YAML invalide : {out}")
}

/// The first line nested deeper than [`MAX_DEPTH`], with its depth: block nesting by
/// indentation (a `- ` counts as a level), plus flow brackets outside quotes.
pub(super) fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    for (number, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if flow == 0 {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let dashes = content
            .split_inclusive("- ")
            .take_while(|part| part.trim() == "-")
            .count();
        let mut quote: Option<char> = None;
        let mut deepest_flow = flow;
        for c in content.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    deepest_flow = deepest_flow.max(flow);
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        let depth = indents.len() + dashes + deepest_flow;
        if depth > MAX_DEPTH {
            return Some((number + 1, depth));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::EMBEDDED;
    use super::super::files::collect_embedded;
    use super::*;

    /// The JSON forms `build.rs` makes are read instead of the YAML: for every shipped
    /// file, both readings must give the same exercise (a YAML subtlety such as an
    /// unquoted `2.10` would differ), and no file may have been left without one.
    #[test]
    fn the_json_forms_read_as_the_yaml() {
        let mut files = Vec::new();
        collect_embedded(&EMBEDDED, &mut files);
        assert_eq!(
            files.len(),
            EMBEDDED_JSON.len(),
            "every file has its JSON form"
        );
        for (name, text) in &files {
            let json = embedded_json(name).unwrap_or_else(|| panic!("{name}: no JSON form"));
            let from_json: Exercise = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("{name}: the JSON form does not read: {e}"));
            let from_yaml = parse_yaml(name, text).expect("valid YAML");
            assert_eq!(
                format!("{from_json:?}"),
                format!("{:?}", from_yaml.exercise),
                "{name}"
            );
            // Variables are substituted in the tree, which comes from the JSON too.
            let shipped = parse(name, text, Some(json)).expect("valid");
            let none = BTreeMap::new();
            assert_eq!(
                format!("{:?}", shipped.resolve(&none)),
                format!("{:?}", from_yaml.resolve(&none)),
                "{name} with its variables' defaults"
            );
        }
    }
}
