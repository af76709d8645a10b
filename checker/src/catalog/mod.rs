//! The exercise catalogue: finding, parsing and validating the YAML files.
//!
//! The catalogue shipped with the course is embedded in the binary (an installed
//! `checker` works from any folder); `--catalog DIR` loads an instructor's own folder
//! with exactly the same rules. This module is the only place that knows the files are
//! YAML: the rest of the crate sees validated [`Exercise`] values.

pub mod model;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};

pub use model::{Check, Exercise, Retry, Variable};

/// The course's own exercises, compiled in.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../exercises");

/// The same files as JSON, made by `build.rs` (path below `exercises/`, JSON text),
/// sorted by path. Parsing them is what `checker list` spends its time on, and JSON
/// parses ten times faster than YAML; the YAML stays the source of truth.
static EMBEDDED_JSON: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/catalogue-json.rs"));

/// The JSON form of embedded file `name` (`exercises/ch02/2.1.yaml`), if built.
fn embedded_json(name: &str) -> Option<&'static str> {
    let relative = name.strip_prefix("exercises/")?;
    EMBEDDED_JSON
        .binary_search_by(|(path, _)| (*path).cmp(relative))
        .ok()
        .map(|i| EMBEDDED_JSON[i].1)
}

/// Folders below the catalogue root that hold starter files, not exercises.
pub const STARTERS_DIR: &str = "starters";

/// One problem in a catalogue file, located as precisely as the parser allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, " : {}", self.message)
    }
}

/// Every problem found while loading a catalogue: all are reported at once, so a
/// teacher fixes a whole file in one pass.
#[derive(Debug, Clone)]
pub struct CatalogError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogError {}

/// An exercise with where it came from and its source (kept to substitute variables).
#[derive(Debug, Clone)]
pub struct Entry {
    pub exercise: Exercise,
    /// Path shown in messages: relative to the catalogue root, prefixed with `exercises/`
    /// for the embedded catalogue.
    pub file: String,
    source: String,
    /// The same exercise as JSON, for the embedded files (see [`EMBEDDED_JSON`]).
    json: Option<&'static str>,
    /// The YAML tree, parsed the first time variables must be substituted: most
    /// exercises declare none, and most commands look at one exercise.
    tree: OnceLock<serde_norway::Value>,
}

impl Entry {
    /// The exercise with `${name}` replaced by the given values, or the declared defaults.
    /// Fails (with a French message) on a name the exercise does not declare.
    pub fn resolve(&self, overrides: &BTreeMap<String, String>) -> Result<Exercise, String> {
        for name in overrides.keys() {
            if !self.exercise.variables.contains_key(name) {
                let declared: Vec<&str> =
                    self.exercise.variables.keys().map(String::as_str).collect();
                return Err(format!(
                    "l'exercice {} ne déclare pas la variable « {name} » (variables : {})",
                    self.exercise.id,
                    if declared.is_empty() {
                        "aucune".to_string()
                    } else {
                        declared.join(", ")
                    }
                ));
            }
        }
        for (name, value) in overrides {
            if let Some(problem) = variable_problem(value) {
                return Err(format!(
                    "--var {name}=« {value} » : {problem} (exercice {})",
                    self.exercise.id
                ));
            }
        }
        if self.exercise.variables.is_empty() {
            return Ok(self.exercise.clone());
        }
        let values: BTreeMap<&str, &str> = self
            .exercise
            .variables
            .iter()
            .map(|(name, var)| {
                let value = overrides.get(name).unwrap_or(&var.default);
                (name.as_str(), value.as_str())
            })
            .collect();
        let mut tree = self.tree().clone();
        substitute(&mut tree, &values);
        serde_norway::from_value(tree).map_err(|e| format!("{} : {e}", self.file))
    }
}

/// Why a variable's value cannot be used, if it cannot. Values end up in image and
/// container names, and so in the engine's URL paths: only what a Docker name may hold
/// is accepted (`../../containers/json?all=1#` must not reach another endpoint).
fn variable_problem(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        Some("une variable ne peut pas être vide")
    } else if value.len() > 128 {
        Some("valeur trop longue (128 caractères au plus)")
    } else if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':'))
        || value.starts_with(['.', '-'])
    {
        Some("seuls les lettres, chiffres, `.`, `_`, `-` et `:` sont permis (c'est un nom Docker)")
    } else {
        None
    }
}

impl Entry {
    /// The placeholder of each variable that has one (`user` → `VOTRE_ID`): what the
    /// book and `checker list` show where the student puts their own value.
    pub fn placeholders(&self) -> BTreeMap<String, String> {
        self.exercise
            .variables
            .iter()
            .filter_map(|(name, v)| v.placeholder.clone().map(|p| (name.clone(), p)))
            .collect()
    }

    /// The exercise's YAML tree. The text parsed once already, into the typed exercise,
    /// so parsing it again as a tree cannot fail.
    pub(crate) fn tree(&self) -> &serde_norway::Value {
        self.tree.get_or_init(|| {
            let tree = match self.json {
                Some(json) => serde_json::from_str(json).ok(),
                None => serde_norway::from_str(&self.source).ok(),
            };
            tree.unwrap_or(serde_norway::Value::Null)
        })
    }

    /// Whether the source writes `${…}` anywhere (only then is there anything to check or
    /// substitute).
    pub(crate) fn uses_variables(&self) -> bool {
        self.source.contains("${")
    }
}

/// Replaces `${name}` in every string of a YAML tree.
fn substitute(value: &mut serde_norway::Value, values: &BTreeMap<&str, &str>) {
    match value {
        serde_norway::Value::String(s) if s.contains("${") => {
            for (name, v) in values {
                *s = s.replace(&format!("${{{name}}}"), v);
            }
        }
        serde_norway::Value::Sequence(items) => {
            items.iter_mut().for_each(|v| substitute(v, values))
        }
        serde_norway::Value::Mapping(map) => {
            // Keys too: `ports: { "${port}": 80/tcp }`.
            let entries: Vec<(serde_norway::Value, serde_norway::Value)> =
                std::mem::take(map).into_iter().collect();
            for (mut key, mut value) in entries {
                substitute(&mut key, values);
                substitute(&mut value, values);
                map.insert(key, value);
            }
        }
        serde_norway::Value::Tagged(tagged) => substitute(&mut tagged.value, values),
        _ => {}
    }
}

/// The loaded, validated catalogue, ordered by chapter then exercise number.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Entry>,
    /// Where starter files are read from.
    origin: Origin,
}

#[derive(Debug, Clone)]
enum Origin {
    Embedded,
    Folder(PathBuf),
}

impl Catalog {
    /// The course's own catalogue, compiled into the binary.
    pub fn embedded() -> Result<Self, CatalogError> {
        let mut files = Vec::new();
        collect_embedded(&EMBEDDED, &mut files);
        Self::from_sources(files, Origin::Embedded, true)
    }

    /// Only the file of exercise `id`, when the embedded catalogue has one named after it
    /// (`exercises/ch02/2.1.yaml`): `checker exercise 2.1` need not parse the other fifty.
    /// The rules across files (unique ids, known prerequisites) are those of the whole
    /// embedded catalogue, which the test suite validates; `None` when no file has that
    /// name, and the caller loads everything to suggest close ids.
    pub fn embedded_exercise(id: &str) -> Option<Result<Self, CatalogError>> {
        let wanted = format!("{id}.yaml");
        let file = EMBEDDED
            .dirs()
            .filter(|dir| dir.path().file_name().is_some_and(|n| n != STARTERS_DIR))
            .find_map(|dir| dir.get_file(dir.path().join(&wanted)))?;
        let name = format!("exercises/{}", file.path().display());
        let entry = parse(&name, file.contents_utf8()?, embedded_json(&name));
        Some(match entry {
            Ok(entry) if entry.exercise.id == id => Ok(Self {
                entries: vec![entry],
                origin: Origin::Embedded,
            }),
            // A file named after another id: let the whole catalogue sort it out.
            Ok(_) => return None,
            Err(diagnostic) => Err(CatalogError {
                diagnostics: vec![diagnostic],
            }),
        })
    }

    /// A catalogue folder on disk (an instructor's own exercises).
    pub fn from_dir(dir: &Path) -> Result<Self, CatalogError> {
        let mut files = Vec::new();
        collect_folder(dir, dir, &mut files).map_err(|message| CatalogError {
            diagnostics: vec![Diagnostic {
                file: dir.display().to_string(),
                line: None,
                column: None,
                message,
            }],
        })?;
        if files.is_empty() {
            return Err(CatalogError {
                diagnostics: vec![Diagnostic {
                    file: dir.display().to_string(),
                    line: None,
                    column: None,
                    message: "aucun fichier d'exercice (.yaml) dans ce dossier".to_string(),
                }],
            });
        }
        Self::from_sources(files, Origin::Folder(dir.to_path_buf()), false)
    }

    /// Parses and validates a set of `(file name, text)` pairs.
    pub fn from_texts(files: Vec<(String, String)>) -> Result<Self, CatalogError> {
        Self::from_sources(files, Origin::Embedded, false)
    }

    /// `shipped`: the files are the embedded ones, whose JSON forms `build.rs` made.
    fn from_sources(
        files: Vec<(String, String)>,
        origin: Origin,
        shipped: bool,
    ) -> Result<Self, CatalogError> {
        let mut diagnostics = Vec::new();
        let mut parsed = Vec::new();
        for (file, text) in &files {
            let json = if shipped { embedded_json(file) } else { None };
            match parse(file, text, json) {
                Ok(entry) => parsed.push((entry, text.as_str())),
                Err(d) => diagnostics.push(d),
            }
        }
        diagnostics.extend(validate::catalogue(&parsed));
        if !diagnostics.is_empty() {
            return Err(CatalogError { diagnostics });
        }
        let mut entries: Vec<Entry> = parsed.into_iter().map(|(e, _)| e).collect();
        entries.sort_by_key(|e| id_key(&e.exercise.id));
        Ok(Self { entries, origin })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.exercise.id == id)
    }

    /// Ids close to an unknown one, best first: `2.8` suggests the exercises of
    /// chapter 2, `21` suggests `2.1`.
    pub fn suggest(&self, unknown: &str) -> Vec<String> {
        let mut scored: Vec<(f64, &str)> = self
            .entries
            .iter()
            .map(|e| {
                let id = e.exercise.id.as_str();
                // `21` and `2,1` are typos of `2.1`: compare digits too.
                let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                let score = strsim::jaro_winkler(unknown, id)
                    .max(strsim::jaro_winkler(&digits(unknown), &digits(id)));
                (score, id)
            })
            .filter(|(score, _)| *score >= 0.7)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .take(5)
            .map(|(_, id)| id.to_string())
            .collect()
    }

    /// The starter files of an exercise (`starters/<id>/` in the catalogue), as relative
    /// paths and contents.
    pub fn starter(&self, id: &str) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        match &self.origin {
            Origin::Embedded => {
                for dir in EMBEDDED.dirs() {
                    let starter = dir.path().join(STARTERS_DIR).join(id);
                    if let Some(found) = EMBEDDED.get_dir(&starter) {
                        collect_starter_embedded(found, &starter, &mut files);
                    }
                }
                if let Some(found) = EMBEDDED.get_dir(Path::new(STARTERS_DIR).join(id)) {
                    let root = Path::new(STARTERS_DIR).join(id);
                    collect_starter_embedded(found, &root, &mut files);
                }
            }
            Origin::Folder(root) => {
                let candidates = std::fs::read_dir(root)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|d| d.path().join(STARTERS_DIR).join(id))
                    .chain(std::iter::once(root.join(STARTERS_DIR).join(id)));
                for dir in candidates.filter(|d| d.is_dir()) {
                    collect_starter_folder(&dir, &dir, &mut files);
                }
            }
        }
        files.sort();
        files
    }
}

/// The JSON Schema of the exercise format, for editors (YAML language servers read it).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Exercise);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// Sort key for `CHAPTER.N` ids: numeric, so that 2.10 comes after 2.9.
pub fn id_key(id: &str) -> (u32, u32, String) {
    let mut parts = id.splitn(2, '.');
    let chapter = parts
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(u32::MAX);
    let number = parts
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(u32::MAX);
    (chapter, number, id.to_string())
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
fn parse(file: &str, text: &str, json: Option<&'static str>) -> Result<Entry, Diagnostic> {
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

fn parse_yaml(file: &str, text: &str) -> Result<Entry, Diagnostic> {
    let refuse = |message: String| Diagnostic {
        file: file.to_string(),
        line: None,
        column: None,
        message,
    };
    // Notepad and other Windows editors start UTF-8 files with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
fn translate_yaml_error(message: &str) -> String {
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

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<(String, String)>) {
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

/// The first line nested deeper than [`MAX_DEPTH`], with its depth: block nesting by
/// indentation (a `- ` counts as a level), plus flow brackets outside quotes.
fn too_deep(text: &str) -> Option<(usize, usize)> {
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

fn collect_folder(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let mut visited = std::collections::BTreeSet::new();
    collect_folder_once(root, dir, out, &mut visited)
}

/// Walks `dir`, each real folder once: a symbolic link back up the tree must not list
/// the same exercises again and again.
fn collect_folder_once(
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

fn is_exercise_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

fn collect_starter_embedded(dir: &Dir<'static>, root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for file in dir.files() {
        if let Ok(rel) = file.path().strip_prefix(root) {
            out.push((rel.to_path_buf(), file.contents().to_vec()));
        }
    }
    for sub in dir.dirs() {
        collect_starter_embedded(sub, root, out);
    }
}

fn collect_starter_folder(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_starter_folder(&path, root, out);
        } else if let (Ok(rel), Ok(bytes)) = (path.strip_prefix(root), std::fs::read(&path)) {
            out.push((rel.to_path_buf(), bytes));
        }
    }
}

#[cfg(test)]
mod tests {
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
