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
        Format::Csv => report::csv::render(run),
        Format::Classroom => report::classroom::render(run),
        // One student's page: the class report of a class of one.
        Format::Html => report::class::Class::of_one(run).html(),
    }
}

/// Writes every requested report (the n-th `--output` takes the n-th `--format`, the
/// others go to stdout) and turns the verdict into the exit code.
pub fn finish(cli: &Cli, run: &Run) -> u8 {
    if let Err(code) = write_all(cli, |format| render(run, format), true) {
        return code;
    }
    if run.summary.success {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

/// Writes only the reports that go to files: when the run could not happen (Docker
/// unreachable), CI still finds every file it expects, saying why.
pub fn write_files(cli: &Cli, run: &Run) {
    let _ = write_all(cli, |format| render(run, format), false);
}

/// Writes each format's text to its destination; `stdout` says whether those without
/// a file are printed. A file is written whole or not at all (temporary file, then
/// rename).
pub fn write_all(cli: &Cli, text_of: impl Fn(Format) -> String, stdout: bool) -> Result<(), u8> {
    for (i, format) in cli.format.iter().enumerate() {
        match cli.destinations.get(i).and_then(Option::as_ref) {
            Some(path) => {
                if let Err(e) = write_file(path, &text_of(*format)) {
                    error(format!("écriture de {} impossible : {e}", path.display()));
                    return Err(EXIT_WRITE);
                }
            }
            // Errors on stdout are settled once, at exit (see `cli::write_out`).
            None if stdout => say_raw!("{}", text_of(*format)),
            None => {}
        }
    }
    Ok(())
}

fn write_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
}
