//! The book's sources, compiled into the binary: `checker serve` writes them to a
//! temporary folder and builds the book there with mdbook-driver, so an installed
//! `checker` shows the course without a checkout (nor mdbook) on the machine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

static BOOK: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../book");
static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../templates");
const BOOK_TOML: &str = include_str!("../../../book.toml");

/// A built book in a temporary folder, removed when dropped.
pub struct BuiltBook {
    _folder: tempfile::TempDir,
    pub html: PathBuf,
}

/// Builds the course book: the embedded sources and catalogue, or the exercises of
/// `catalog` (an instructor's `--catalog DIR`), with the student's identifier in the
/// cards when they saved one.
pub fn build(catalog: Option<&Path>, user: Option<&str>) -> anyhow::Result<BuiltBook> {
    use anyhow::Context as _;
    let folder = tempfile::Builder::new()
        .prefix("checker-serve-")
        .tempdir()
        .context("dossier temporaire impossible à créer")?;
    let root = folder.path();
    let write = |dir: &Dir, into: &Path| -> anyhow::Result<()> {
        std::fs::create_dir_all(into)?;
        dir.extract(into)
            .with_context(|| format!("écriture de {} impossible", into.display()))
    };
    write(&BOOK, &root.join("book"))?;
    write(&TEMPLATES, &root.join("templates"))?;
    write(crate::catalog::embedded_dir(), &root.join("exercises"))?;
    std::fs::write(root.join("book.toml"), BOOK_TOML)
        .context("écriture de book.toml impossible")?;
    let mut settings: Vec<(&str, String)> = Vec::new();
    if let Some(dir) = catalog {
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        settings.push((
            "preprocessor.exercise.catalog",
            absolute.display().to_string(),
        ));
    }
    if let Some(user) = user {
        settings.push(("preprocessor.exercise.user", user.to_string()));
    }
    let html = crate::book::build_with(root, Some(&root.join("out")), &settings)?;
    Ok(BuiltBook {
        _folder: folder,
        html,
    })
}

/// Which page each card is on: `data-exercise="ID"` in each built page (the print page,
/// which repeats them all, aside).
pub fn card_pages(html: &Path) -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(html) else {
        return pages;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for file in files {
        let Some(name) = file
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if !name.ends_with(".html") || name == "print.html" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for piece in text
            .split("<section class=\"exercise-card\" data-exercise=\"")
            .skip(1)
        {
            if let Some(id) = piece.split('"').next() {
                pages.entry(id.to_string()).or_insert_with(|| name.clone());
            }
        }
    }
    pages
}
