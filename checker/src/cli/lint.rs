//! `checker lint [FICHIER…]`: the Dockerfile rules on files, with no Docker daemon.
//! Everything but the arguments lives in [`crate::lint`].

use std::path::PathBuf;

use super::{EXIT_FAILED, EXIT_OK, Format, error, usage};
use crate::lint::{self, Rule, output, sarif};

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Dockerfiles à examiner (par défaut : ./Dockerfile).
    pub files: Vec<PathBuf>,
    /// Seulement ces règles (noms du checker, codes hadolint ou noms BuildKit, séparés par des virgules).
    #[arg(long, value_delimiter = ',', value_name = "RÈGLES")]
    pub rules: Vec<String>,
    /// Toutes les règles sauf celles-ci.
    #[arg(long, value_delimiter = ',', value_name = "RÈGLES")]
    pub skip: Vec<String>,
    /// Écrit aussi un rapport SARIF 2.1.0 dans ce fichier (`-` : la sortie standard).
    #[arg(long, value_name = "FICHIER")]
    pub sarif: Option<PathBuf>,
    /// Affiche les règles, avec leurs équivalents hadolint et BuildKit.
    #[arg(long)]
    pub list: bool,
}

/// The rules a name designates: a rule of the checker, or those sharing a hadolint id
/// or a BuildKit check name.
fn designated(name: &str) -> Vec<&'static Rule> {
    lint::RULES
        .iter()
        .filter(|r| {
            r.name.eq_ignore_ascii_case(name)
                || r.hadolint.iter().any(|c| c.eq_ignore_ascii_case(name))
                || r.buildkit.iter().any(|n| n.eq_ignore_ascii_case(name))
        })
        .collect()
}

fn resolve(names: &[String]) -> Result<Vec<&'static Rule>, String> {
    let mut out = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let found = designated(name);
        if found.is_empty() {
            let hint = lint::closest_rule(name)
                .map(|n| format!(" ; vouliez-vous dire `{n}` ?"))
                .unwrap_or_default();
            return Err(format!(
                "règle inconnue `{name}`{hint} (la liste : `checker lint --list`)"
            ));
        }
        out.extend(found);
    }
    Ok(out)
}

pub fn run(cli: &super::Cli, args: &LintArgs) -> u8 {
    if args.list {
        say_raw!("{}", output::rule_list());
        return EXIT_OK;
    }
    let chosen = match (resolve(&args.rules), resolve(&args.skip)) {
        (Ok(only), Ok(skip)) => {
            let base = if only.is_empty() {
                lint::all_rules()
            } else {
                only
            };
            base.into_iter()
                .filter(|r| !skip.iter().any(|s| s.name == r.name))
                .collect::<Vec<_>>()
        }
        (Err(e), _) | (_, Err(e)) => return usage(e),
    };
    if !matches!(cli.format.as_slice(), [Format::Text] | [Format::Json]) {
        return usage(
            "`checker lint` écrit un seul format, `--format text` ou `--format json` \
             (et SARIF avec `--sarif FICHIER`)",
        );
    }
    let files = if args.files.is_empty() {
        vec![PathBuf::from("Dockerfile")]
    } else {
        args.files.clone()
    };
    let mut reports = Vec::new();
    for file in &files {
        match output::lint_file(file, &chosen) {
            Ok(report) => reports.push(report),
            Err(e) => return usage(e),
        }
    }
    let body = match cli.format.as_slice() {
        [Format::Text] => output::text(&reports),
        _ => output::json(&reports),
    };
    match cli.destinations.first().cloned().flatten() {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, body) {
                error(format!("impossible d'écrire `{}` : {e}", path.display()));
                return super::EXIT_USAGE;
            }
        }
        None => say_raw!("{body}"),
    }
    if let Some(path) = &args.sarif {
        let log = sarif::render(&reports);
        if path.as_os_str() == "-" {
            say_raw!("{log}");
        } else if let Err(e) = std::fs::write(path, log) {
            error(format!("impossible d'écrire `{}` : {e}", path.display()));
            return super::EXIT_USAGE;
        }
    }
    if reports.iter().any(|r| !r.findings.is_empty()) {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
