//! The exercise catalogue: finding, parsing and validating the YAML files.
//!
//! The catalogue shipped with the course is embedded in the binary (an installed
//! `checker` works from any folder); `--catalog DIR` loads an instructor's own folder
//! with exactly the same rules. This module is the only place that knows the files are
//! YAML: the rest of the crate sees validated [`Exercise`] values.

mod files;
pub mod model;
mod read;
mod validate;

use files::{collect_embedded, collect_folder, collect_starter_embedded, collect_starter_folder};
pub use read::{MAX_DEPTH, MAX_FILE_BYTES, MAX_FILES};
use read::{embedded_json, parse};

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};

pub use model::{Check, Exercise, Retry, Variable};

/// The course's own exercises, compiled in.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../exercises");

/// The embedded catalogue's files, for `checker serve`, which writes them beside the
/// book's sources to build the book.
pub fn embedded_dir() -> &'static Dir<'static> {
    &EMBEDDED
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
pub fn variable_problem(value: &str) -> Option<&'static str> {
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
        // The shipped files are validated by every debug build, which is what the test
        // suite runs (`the_embedded_catalogue_is_valid_and_ordered`): a release binary
        // trusts what its tests proved, and `checker list` skips compiling every regex of
        // the course again. Folder catalogues are always validated.
        if !(shipped && cfg!(not(debug_assertions))) {
            diagnostics.extend(validate::catalogue(&parsed));
        }
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
