//! Two jobs before the crate compiles:
//!
//! - The exercise catalogue is embedded with `include_dir!`, which stable Cargo does not
//!   track: ask for a rebuild whenever a file under `exercises/` changes.
//! - Each embedded exercise file is also turned into JSON (`$OUT_DIR/catalogue-json.rs`):
//!   `checker list` parses every file at each run, and JSON parses ten times faster than
//!   YAML. The YAML stays the source of truth: a file the conversion cannot handle gets
//!   no JSON and is read as YAML at run time, and a test proves both readings give the
//!   same exercise for every shipped file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=../exercises");
    println!("cargo:rerun-if-changed=../templates");
    // `checker serve` embeds the book's sources too.
    println!("cargo:rerun-if-changed=../book");
    println!("cargo:rerun-if-changed=../book.toml");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercises");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut table = String::from("&[\n");
    for (index, (relative, path)) in files.iter().enumerate() {
        let Some(json) = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_norway::from_str::<serde_json::Value>(&text).ok())
            .and_then(|value| serde_json::to_string(&value).ok())
        else {
            continue;
        };
        let target = out.join(format!("exercise-{index}.json"));
        std::fs::write(&target, json).expect("OUT_DIR is writable");
        let _ = writeln!(
            table,
            "    ({relative:?}, include_str!({:?})),",
            target.display().to_string()
        );
    }
    table.push(']');
    std::fs::write(out.join("catalogue-json.rs"), table).expect("OUT_DIR is writable");
}

/// Exercise files below `dir`, as (path relative to the catalogue root, path on disk);
/// starter folders hold an exercise's files, not exercises.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "starters") {
                collect(root, &path, out);
            }
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            && let Ok(relative) = path.strip_prefix(root)
        {
            out.push((relative.display().to_string(), path.clone()));
        }
    }
}
