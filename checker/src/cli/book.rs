//! `checker book` (builds the course book in-process) and `checker mdbook` (the
//! preprocessor protocol `mdbook build` speaks to).

use std::path::Path;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, error, usage};

/// `checker mdbook [supports RENDERER]`: mdBook's preprocessor protocol.
pub fn preprocessor(args: &[String]) -> u8 {
    let supports = match args {
        [] => None,
        [word, renderer] if word == "supports" => Some(renderer.as_str()),
        _ => {
            return usage(
                "usage : checker mdbook [supports RENDU] (appelé par mdbook, voir book.toml)",
            );
        }
    };
    match crate::book::protocol(supports) {
        Ok(true) => EXIT_OK,
        Ok(false) => EXIT_FAILED,
        Err(e) => usage(format!("{e:#}")),
    }
}

/// `checker book`: builds the book in-process, showing mdBook's warnings.
pub fn build(root: &Path, dest: Option<&Path>, deny_warnings: bool) -> u8 {
    let warnings = crate::book::capture_warnings();
    match crate::book::build(root, dest) {
        Ok(out) => {
            let count = warnings.count();
            if deny_warnings && count > 0 {
                error(format!(
                    "{count} avertissement(s) de mdBook (voir ci-dessus)."
                ));
                return EXIT_USAGE;
            }
            say!("Livre construit dans {}", out.display());
            EXIT_OK
        }
        Err(e) => usage(format!("construction du livre impossible :\n{e:#}")),
    }
}
