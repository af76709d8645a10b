//! Image archives made by `docker save`: the references they name.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde_json::Value;

use super::super::common::describe_io;
use crate::reference::normalize_image;

/// Largest index file read inside an image archive.
const ARCHIVE_INDEX_LIMIT: u64 = 4 * 1024 * 1024;

/// Entries walked in an archive before giving up (a `docker save` has a few hundred).
const ARCHIVE_ENTRY_LIMIT: usize = 100_000;

/// The image references named in a `docker save` archive: `RepoTags` of
/// `manifest.json`, the legacy `repositories` file, and the annotations of an OCI
/// layout's `index.json` (`docker save` with the containerd image store). The error is
/// a French sentence where `{file}` stands for the file's name.
pub fn archive_tags(path: &Path) -> Result<Vec<String>, String> {
    let mut file =
        File::open(path).map_err(|e| format!("{{file}} est illisible : {}", describe_io(&e)))?;
    let mut magic = [0u8; 6];
    let read = file
        .read(&mut magic)
        .map_err(|e| format!("{{file}} est illisible : {}", describe_io(&e)))?;
    let compressed = match &magic[..read] {
        [0x1f, 0x8b, ..] => Some("gzip"),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Some("zstd"),
        [0xfd, b'7', b'z', b'X', b'Z', 0x00] => Some("xz"),
        [b'B', b'Z', b'h', ..] => Some("bzip2"),
        _ => None,
    };
    if let Some(algorithm) = compressed {
        return Err(format!(
            "{{file}} est compressé ({algorithm}) : le checker lit l'archive telle que \
             `docker save -o fichier.tar image` la produit, sans compression"
        ));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| format!("{{file}} est illisible : {}", describe_io(&e)))?;

    let not_tar = |why: String| {
        format!(
            "{{file}} n'est pas une archive tar lisible ({why}) : créez-la avec `docker save -o fichier.tar image`"
        )
    };
    let mut archive = tar::Archive::new(file);
    let entries = archive
        .entries_with_seek()
        .map_err(|e| not_tar(e.to_string()))?;
    let mut tags: Vec<String> = Vec::new();
    let mut indexes = 0;
    for (n, entry) in entries.enumerate() {
        if n >= ARCHIVE_ENTRY_LIMIT {
            break;
        }
        let entry = entry.map_err(|e| not_tar(e.to_string()))?;
        let name = match entry.path() {
            Ok(p) => p.to_string_lossy().trim_start_matches("./").to_string(),
            Err(_) => continue,
        };
        if !matches!(
            name.as_str(),
            "manifest.json" | "index.json" | "repositories"
        ) {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .take(ARCHIVE_INDEX_LIMIT)
            .read_to_end(&mut bytes)
            .map_err(|e| not_tar(e.to_string()))?;
        let Ok(json) = serde_json::from_slice::<Value>(&bytes) else {
            continue;
        };
        indexes += 1;
        match name.as_str() {
            "manifest.json" => tags.extend(manifest_tags(&json)),
            "index.json" => tags.extend(index_tags(&json)),
            _ => tags.extend(repositories_tags(&json)),
        }
    }
    if indexes == 0 {
        return Err(
            "{file} n'est pas une archive d'image : ni `manifest.json` ni `index.json` ; \
             créez-la avec `docker save -o fichier.tar image`"
                .to_string(),
        );
    }
    let mut unique: Vec<String> = Vec::new();
    for tag in tags {
        if !unique
            .iter()
            .any(|t| normalize_image(t) == normalize_image(&tag))
        {
            unique.push(tag);
        }
    }
    Ok(unique)
}

/// `[{"RepoTags": ["python:3.12-slim"], ...}]`.
fn manifest_tags(json: &Value) -> Vec<String> {
    json.as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("RepoTags")?.as_array())
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect()
}

/// `{"manifests": [{"annotations": {"io.containerd.image.name": "docker.io/library/python:3.12-slim"}}]}`.
/// `org.opencontainers.image.ref.name` is only used when it is a whole reference (it is
/// often just the tag).
fn index_tags(json: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for manifest in json
        .get("manifests")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let annotation = |key: &str| {
            manifest
                .get("annotations")
                .and_then(|a| a.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if let Some(name) = annotation("io.containerd.image.name") {
            out.push(name);
        } else if let Some(name) = annotation("org.opencontainers.image.ref.name")
            && (name.contains('/') || name.contains(':'))
        {
            out.push(name);
        }
    }
    out
}

/// `{"python": {"3.12-slim": "<id>"}}`.
fn repositories_tags(json: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (repository, tags) in json.as_object().into_iter().flatten() {
        for tag in tags.as_object().into_iter().flatten().map(|(t, _)| t) {
            out.push(format!("{repository}:{tag}"));
        }
    }
    out
}
