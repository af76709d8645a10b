//! Writing reports: each `--format` to its `--output`, or to stdout.

use super::{Cli, EXIT_FAILED, EXIT_OK, EXIT_WRITE, Format, error};
use crate::report::{self, Run};

/// Renders a run in one format.
pub fn render(run: &Run, format: Format) -> String {
    match format {
        Format::Text => report::text::render(run),
        Format::Json => format!("{}\n", report::json::render(run)),
        Format::Junit => report::junit::render(run),
        Format::Markdown => report::markdown::render(run),
        Format::Tap => report::tap::render(run),
    }
}

/// Writes every requested report (the n-th `--output` takes the n-th `--format`, the
/// others go to stdout) and turns the verdict into the exit code.
pub fn finish(cli: &Cli, run: &Run) -> u8 {
    for (i, format) in cli.format.iter().enumerate() {
        let text = render(run, *format);
        match cli.destinations.get(i).and_then(Option::as_ref) {
            Some(path) => {
                if let Err(e) = std::fs::write(path, text) {
                    error(format!("écriture de {} impossible : {e}", path.display()));
                    return EXIT_WRITE;
                }
            }
            None => say_raw!("{text}"),
        }
    }
    if run.summary.success {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}
