//! French search. mdBook indexes with elasticlunr's English pipeline: no accent folding
//! (« reseau » misses « réseau »), an English stemmer (journal/journaux, publier/publié
//! never meet), and a JavaScript trimmer that cuts accented letters at word ends. After
//! the build, the index is rebuilt from the documents mdBook stored in it, through one
//! pipeline function, `frenchFold`, that `templates/book/cours.js` registers under the
//! same name and applies to the query. The two implementations must stay identical; the
//! browser test (`checker/tests/rig/browser.mjs`) searches unaccented words to hold them.
//!
//! A stock `mdbook build` keeps the English index: the script only changes its behaviour
//! when the index declares `frenchFold`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context as _, anyhow, bail};
use elasticlunr::pipeline::{FnWrapper, Pipeline};
use elasticlunr::{IndexBuilder, Language};
use regex::Regex;
use serde_json::Value;

/// The prefix and suffix mdBook wraps the index JSON in (`searchindex-HASH.js`).
const PREFIX: &str = "window.search = Object.assign(window.search, JSON.parse('";
const SUFFIX: &str = "'));";
/// Same limit as mdBook: longer "words" are base64 or hashes, not worth indexing.
const MAX_WORD_LENGTH: usize = 80;

const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle",
    "en", "est", "et", "il", "ils", "l", "la", "le", "les", "leur", "leurs", "n", "ne", "nous",
    "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sont",
    "sur", "un", "une", "vos", "votre", "vous", "y",
];

/// Sizes of the index file before and after, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub english: usize,
    pub french: usize,
}

/// Rewrites the search index of the HTML book in `html` (nothing to do when search is
/// off). Errors name the file.
pub fn french_index(html: &Path) -> anyhow::Result<Option<Sizes>> {
    let Some(file) = index_file(html)? else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("lecture de {} impossible", file.display()))?;
    let english = text.len();
    let json = unwrap_js(&text).ok_or_else(|| {
        anyhow!(
            "{} : format d'index de recherche inattendu (mdBook a changé ?)",
            file.display()
        )
    })?;
    let mut data: Value = serde_json::from_str(&json)
        .with_context(|| format!("{} : JSON de l'index illisible", file.display()))?;
    let index = rebuild(&data["index"])
        .with_context(|| format!("{} : reconstruction de l'index", file.display()))?;
    data["index"] = serde_json::to_value(&index)?;
    let out = wrap_js(&serde_json::to_string(&data)?);
    let french = out.len();
    std::fs::write(&file, out)
        .with_context(|| format!("écriture de {} impossible", file.display()))?;
    Ok(Some(Sizes { english, french }))
}

fn index_file(html: &Path) -> anyhow::Result<Option<PathBuf>> {
    let entries = std::fs::read_dir(html)
        .with_context(|| format!("lecture du dossier {} impossible", html.display()))?;
    Ok(entries.flatten().map(|e| e.path()).find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("searchindex") && n.ends_with(".js"))
    }))
}

/// The JSON inside mdBook's JavaScript string literal (`\\` and `\'` escaped).
fn unwrap_js(text: &str) -> Option<String> {
    let inner = text.trim_end().strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next()?);
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn wrap_js(json: &str) -> String {
    format!(
        "{PREFIX}{}{SUFFIX}",
        json.replace('\\', "\\\\").replace('\'', "\\'")
    )
}

/// A new index over the documents mdBook stored (same refs, same fields).
fn rebuild(index: &Value) -> anyhow::Result<elasticlunr::Index> {
    let fields: Vec<String> = index["fields"]
        .as_array()
        .ok_or_else(|| anyhow!("champ `fields` absent"))?
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect();
    let docs = index["documentStore"]["docs"]
        .as_object()
        .ok_or_else(|| anyhow!("documents absents (save = false ?)"))?;
    if fields.is_empty() {
        bail!("aucun champ indexé");
    }
    let mut builder = IndexBuilder::with_language(Box::new(French));
    for field in &fields {
        builder = builder.add_field(field);
    }
    let mut new = builder.build();
    // Refs are numbers (positions in `doc_urls`): keep mdBook's order.
    let mut refs: Vec<(&String, &Value)> = docs.iter().collect();
    refs.sort_by_key(|(r, _)| r.parse::<u64>().unwrap_or(u64::MAX));
    for (doc_ref, doc) in refs {
        let values: Vec<&str> = fields
            .iter()
            .map(|f| doc[f.as_str()].as_str().unwrap_or(""))
            .collect();
        new.add_doc(doc_ref, values);
    }
    Ok(new)
}

/// The "language" of the rebuilt index: mdBook's tokenizer, then `frenchFold`.
struct French;

impl Language for French {
    fn name(&self) -> String {
        "French".into()
    }
    fn code(&self) -> String {
        "fr".into()
    }
    fn tokenize(&self, text: &str) -> Vec<String> {
        text.split(|c: char| c.is_whitespace() || c == '-')
            .filter(|s| !s.is_empty())
            .map(|s| s.trim().to_lowercase())
            .filter(|s| s.chars().count() <= MAX_WORD_LENGTH)
            .collect()
    }
    fn make_pipeline(&self) -> Pipeline {
        Pipeline {
            queue: vec![Box::new(FnWrapper("frenchFold".into(), french_fold))],
        }
    }
}

/// Lower case without accents (`œ` → `oe`; the typographic apostrophe → `'`).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.to_lowercase().chars() {
        match c {
            'à' | 'â' | 'ä' | 'á' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            '’' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// A light French stemmer on a folded word: plurals (`journaux` → `journal`,
/// `réseaux` → `reseau`), then one of `er`, `ez`, `ee`, `e` (`publier`, `publié`,
/// `publiée` → `publi`), keeping at least three letters.
pub fn stem(word: &str) -> String {
    let len = |w: &str| w.chars().count();
    let mut w = word.to_string();
    if len(&w) <= 3 {
        return w;
    }
    if w.ends_with("eaux") {
        w.pop();
    } else if w.ends_with("aux") && len(&w) > 4 {
        w.truncate(w.len() - 3);
        w.push_str("al");
    } else if (w.ends_with('s') || w.ends_with('x')) && !w.ends_with("ss") {
        w.pop();
    }
    for ending in ["er", "ez", "ee", "e"] {
        if w.ends_with(ending) && len(&w) - ending.len() >= 3 {
            w.truncate(w.len() - ending.len());
            return w;
        }
    }
    w
}

/// The pipeline function (mirrored in `templates/book/cours.js`).
pub fn french_fold(token: String) -> Option<String> {
    static ELISION: OnceLock<Regex> = OnceLock::new();
    let elision = ELISION.get_or_init(|| {
        Regex::new(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'(.+)$").expect("static regex")
    });
    let folded = fold(&token);
    let word_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    let trimmed = folded.trim_matches(|c: char| !word_char(c));
    let word = match elision.captures(trimmed) {
        Some(c) => c.get(1).map_or(trimmed, |m| m.as_str()),
        None => trimmed,
    };
    if word.is_empty() || STOP_WORDS.contains(&word) {
        return None;
    }
    Some(stem(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(w: &str) -> Option<String> {
        french_fold(w.to_string())
    }

    #[test]
    fn accents_and_forms_meet() {
        assert_eq!(key("réseau"), key("reseau"));
        assert_eq!(key("réseaux"), key("réseau"));
        assert_eq!(key("journaux"), key("journal"));
        assert_eq!(key("publié"), key("publier"));
        assert_eq!(key("publiées"), key("publier"));
        assert_eq!(key("créer"), key("creer"));
        assert_eq!(key("étapes"), key("etape"));
        assert_eq!(key("hôte"), key("hote"));
        assert_eq!(key("sécurité"), key("securite"));
        assert_eq!(key("l’image"), key("image"));
        assert_eq!(key("« conteneurs »,"), key("conteneur"));
        assert_eq!(key("les"), None);
    }
}
