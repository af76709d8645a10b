//! The exercise file format, as Rust types.
//!
//! Every struct denies unknown keys: a teacher who types `stat: running` instead of
//! `state: running` must get an error pointing at the line, not a check that silently
//! tests nothing. The semantic rules serde cannot express (exactly one kind per check,
//! unique ids, well-formed values) live in `validate.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use crate::checks::Kind;
use crate::units;

/// One exercise: what the student reads on the card and what the checker verifies.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `CHAPTER.N`, e.g. `2.1`. Quoted in YAML so that `2.10` is not read as a number.
    pub id: String,
    pub chapter: u32,
    pub title: String,
    /// Markdown: what the student must achieve.
    pub objective: String,
    /// Markdown, one item per step, shown as a numbered list on the card.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Ids of exercises to do first.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// What the exercise is worth when grading; shared among its checks by weight.
    #[serde(default = "default_points")]
    pub points: u32,
    /// Values the student or instructor may override with `--var name=value`.
    /// Used in any string of the checks as `${name}`.
    #[serde(default)]
    pub variables: BTreeMap<String, Variable>,
    /// An exercise with no checks must say so explicitly (e.g. `docker search`).
    #[serde(default)]
    pub informational: bool,
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Shell commands of the reference solution.
    #[serde(default)]
    pub solution: Option<String>,
    /// Shell commands that remove what the exercise created.
    #[serde(default)]
    pub cleanup: Option<String>,
    /// When the clean-up belongs: right after this exercise (absent), or after the
    /// exercise named here, because the ones in between reuse what this one created
    /// (2.1's container serves 2.2–2.5, 3.1's image serves chapter 4).
    #[serde(default)]
    pub cleanup_after: Option<String>,
    /// Markdown: what comes next, shown on the card and under a success (« Suite :
    /// exercice 2.2, avec ce même conteneur »).
    #[serde(default)]
    pub next: Option<String>,
    /// Ids of checks that pass on a host where the exercise was not done (absence
    /// checks: « le conteneur n'existe plus »); `checker dev check` expects every other
    /// check to fail there.
    #[serde(default)]
    pub passes_when_clean: Vec<String>,
}

impl Exercise {
    /// What the student reads once the exercise passes: when to clean up, then `next`.
    pub fn next_steps(&self) -> Option<String> {
        let cleanup = match (&self.cleanup, &self.cleanup_after) {
            (None, _) => None,
            (Some(_), None) => Some(format!(
                "Faites maintenant son nettoyage (`checker hint {}` ou la carte du cours).",
                self.id
            )),
            (Some(_), Some(after)) => Some(format!(
                "Ne nettoyez pas encore : la suite s'en sert. Le nettoyage se fait après l'exercice {after}."
            )),
        };
        match (cleanup, &self.next) {
            (None, None) => None,
            (Some(c), None) => Some(c),
            (None, Some(n)) => Some(n.trim().to_string()),
            (Some(c), Some(n)) => Some(format!("{c} {}", n.trim())),
        }
    }
}

fn default_points() -> u32 {
    10
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub default: String,
    #[serde(default)]
    pub description: String,
    /// What the book writes where the student puts their own value (`VOTRE_ID`): the
    /// card's steps, hints, solution and `--var` all show this one placeholder.
    #[serde(default)]
    pub placeholder: Option<String>,
}

/// One verification: the common keys and exactly one kind, written side by side in
/// the same map (`id`, `title`, …, `http: { url: … }`).
#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub title: String,
    pub hint: Option<String>,
    pub retry: Option<Retry>,
    pub weight: u32,
    /// Ids of earlier checks of the exercise that must pass for this one to mean
    /// anything (the image must exist before its `WORKDIR` is compared). When one does
    /// not, this check is reported *not checked*, naming it, instead of failing again.
    pub requires: Vec<String>,
    pub kind: Kind,
}

/// The keys every check may have besides its kind.
const COMMON_KEYS: &[&str] = &["id", "title", "hint", "retry", "weight", "requires"];

/// Retry a failing check until it passes or `timeout` elapses (a web server still
/// starting, logs not yet written).
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Durée, par exemple `3s`.
    #[serde(deserialize_with = "units::duration")]
    #[schemars(with = "String")]
    pub timeout: Duration,
    /// Durée entre deux essais, par exemple `250ms` (500 ms par défaut).
    #[serde(deserialize_with = "units::duration", default = "default_interval")]
    #[schemars(with = "String")]
    pub interval: Duration,
}

fn default_interval() -> Duration {
    Duration::from_millis(500)
}

fn default_weight() -> u32 {
    1
}

/// A key of a check's map, refused while it is read when it is neither a common key
/// nor a kind: the error then points at the key's own line.
struct CheckKey;

impl<'de> de::DeserializeSeed<'de> for CheckKey {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        // Refused inside the visitor, so that the parser locates the key itself.
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for CheckKey {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "une clé de vérification")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<String, E> {
        if COMMON_KEYS.contains(&key) || Kind::NAMES.contains(&key) {
            Ok(key.to_string())
        } else {
            Err(E::custom(format!(
                "clé inconnue `{key}` ; clés possibles : {}, ou une sorte parmi {}",
                COMMON_KEYS.join(", "),
                Kind::NAMES.join(", ")
            )))
        }
    }
}

/// Reads a check's map: common keys by name, any other key must be a kind (the table
/// in `checks/` knows them), and exactly one kind must be there.
impl<'de> Deserialize<'de> for Check {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CheckMap;
        impl<'de> Visitor<'de> for CheckMap {
            type Value = Check;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "une vérification (id, title, et une sorte)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Check, A::Error> {
                let (mut id, mut title, mut hint, mut retry, mut weight, mut requires) =
                    (None, None, None, None, None, None);
                let mut kinds: Vec<Kind> = Vec::new();
                while let Some(key) = map.next_key_seed(CheckKey)? {
                    let duplicate = || de::Error::custom(format!("clé en double : {key}"));
                    match key.as_str() {
                        "id" if id.is_some() => return Err(duplicate()),
                        "id" => id = Some(map.next_value::<String>()?),
                        "title" if title.is_some() => return Err(duplicate()),
                        "title" => title = Some(map.next_value::<String>()?),
                        "hint" if hint.is_some() => return Err(duplicate()),
                        "hint" => hint = Some(map.next_value::<Option<String>>()?),
                        "retry" if retry.is_some() => return Err(duplicate()),
                        "retry" => retry = Some(map.next_value::<Option<Retry>>()?),
                        "weight" if weight.is_some() => return Err(duplicate()),
                        "weight" => weight = Some(map.next_value::<u32>()?),
                        "requires" if requires.is_some() => return Err(duplicate()),
                        "requires" => requires = Some(map.next_value::<Vec<String>>()?),
                        other => kinds.extend(Kind::from_map_entry(other, &mut map)?),
                    }
                }
                let id: String = id.ok_or_else(|| de::Error::missing_field("id"))?;
                let title = title.ok_or_else(|| de::Error::missing_field("title"))?;
                if kinds.len() != 1 {
                    let found: Vec<&str> = kinds.iter().map(Kind::name).collect();
                    return Err(de::Error::custom(format!(
                        "la vérification « {id} » doit avoir exactement une sorte parmi {} ; trouvé : {}",
                        Kind::NAMES.join(", "),
                        if found.is_empty() {
                            "aucune".to_string()
                        } else {
                            found.join(", ")
                        }
                    )));
                }
                Ok(Check {
                    id,
                    title,
                    hint: hint.flatten(),
                    retry: retry.flatten(),
                    weight: weight.unwrap_or_else(default_weight),
                    requires: requires.unwrap_or_default(),
                    kind: kinds.remove(0),
                })
            }
        }
        deserializer.deserialize_map(CheckMap)
    }
}

/// The common keys, plus one optional key per kind, of which exactly one is present.
impl JsonSchema for Check {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Check".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut properties = serde_json::Map::new();
        properties.insert("id".into(), serde_json::json!({ "type": "string" }));
        properties.insert("title".into(), serde_json::json!({ "type": "string" }));
        properties.insert(
            "hint".into(),
            serde_json::json!({ "type": ["string", "null"] }),
        );
        properties.insert(
            "retry".into(),
            generator.subschema_for::<Option<Retry>>().to_value(),
        );
        properties.insert(
            "weight".into(),
            serde_json::json!({ "type": "integer", "minimum": 0, "default": 1 }),
        );
        properties.insert(
            "requires".into(),
            serde_json::json!({ "type": "array", "items": { "type": "string" } }),
        );
        let mut one_kind = Vec::new();
        for (key, schema) in Kind::schemas(generator) {
            properties.insert(key.into(), schema.to_value());
            one_kind.push(serde_json::json!({ "required": [key] }));
        }
        schemars::json_schema!({
            "type": "object",
            "properties": properties,
            "required": ["id", "title"],
            "additionalProperties": false,
            "oneOf": one_kind,
        })
    }
}
