//! The arguments: clap's types, French help, and usage errors.

use std::path::PathBuf;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use super::{EXIT_OK, EXIT_USAGE, error};

#[derive(Debug, Parser)]
#[command(
    name = "checker",
    version,
    about = "Vérifie les exercices du cours Docker sur votre hôte Docker.",
    long_about = "Vérifie les exercices du cours Docker sur votre hôte Docker.\n\n\
                  Codes de sortie : 0 tout est réussi, 1 une vérification échoue, \
                  2 erreur d'utilisation ou de catalogue, 3 Docker injoignable, \
                  130 interrompu.\n\n\
                  Seules `solve` et `reset` modifient vos conteneurs, images et autres \
                  ressources Docker, après vous avoir montré chaque commande et demandé \
                  confirmation (et `dev check`, l'outil des auteurs, sur leur machine de \
                  test) ; les autres commandes ne font que lire l'état de Docker.",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE"
)]
pub struct Cli {
    /// Affiche l'aide (de la commande qui précède, le cas échéant).
    #[arg(short = 'h', long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Dossier d'exercices à utiliser à la place du catalogue intégré.
    #[arg(long, global = true, value_name = "DOSSIER")]
    pub catalog: Option<PathBuf>,
    /// Format de sortie (répétable avec `exercise` et `grade` : un rapport par format).
    #[arg(long, global = true, value_enum, default_values_t = [Format::Text])]
    pub format: Vec<Format>,
    /// Fichier où écrire le rapport du --format qui précède (répétable ; un format sans
    /// fichier va sur la sortie standard).
    #[arg(long, global = true, value_name = "FICHIER")]
    pub output: Vec<PathBuf>,
    /// For each `--format` (by position), the `--output` written right after it.
    #[arg(skip)]
    pub destinations: Vec<Option<PathBuf>>,
    /// Désactive les couleurs (aussi avec la variable NO_COLOR).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Fichier de progression à utiliser (par défaut, celui du dossier d'état de
    /// l'utilisateur, par exemple ~/.local/state/checker/progress.json ; aussi avec la
    /// variable CHECKER_STATE).
    #[arg(
        long,
        global = true,
        value_name = "FICHIER",
        env = "CHECKER_STATE",
        hide_env = true
    )]
    pub state: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// Exercices à noter (par défaut : tous, ou ceux de --chapter).
    pub ids: Vec<String>,
    /// Seulement les exercices de ce chapitre (répétable).
    #[arg(long)]
    pub chapter: Vec<u32>,
    /// Tous les exercices du catalogue.
    #[arg(long)]
    pub all: bool,
    /// Pourcentage minimal pour réussir (décide du code de sortie).
    #[arg(long, value_name = "POURCENTAGE")]
    pub min_score: Option<f64>,
    /// S'arrête au premier exercice qui échoue.
    #[arg(long)]
    pub fail_fast: bool,
    /// Durée maximale d'une tentative de vérification.
    #[arg(long, value_name = "DURÉE", default_value = "15s")]
    pub timeout: String,
    /// Valeur d'une variable, pour les exercices qui la déclarent (répétable).
    #[arg(long = "var", value_name = "NOM=VALEUR")]
    pub vars: Vec<String>,
    /// Exercices vérifiés en même temps.
    #[arg(long, default_value_t = 4)]
    pub jobs: usize,
    /// Ajoute ces résultats au fichier JSON donné (un exercice noté de nouveau remplace
    /// son résultat précédent) : pour noter chaque exercice à son point de vérification.
    #[arg(long, value_name = "FICHIER")]
    pub save: Option<PathBuf>,
    /// Produit les rapports à partir d'un fichier enregistré avec --save, sans Docker
    /// (les scores sont recalculés d'après le catalogue).
    #[arg(long, value_name = "FICHIER", conflicts_with_all = ["save", "fail_fast"])]
    pub from: Option<PathBuf>,
    /// Identifiant de l'étudiant noté, repris dans chaque rapport.
    #[arg(long, value_name = "ID")]
    pub student: Option<String>,
    /// Commit du dépôt de l'étudiant qui est noté, repris dans chaque rapport.
    #[arg(long, value_name = "SHA")]
    pub commit: Option<String>,
    /// N'interroge pas Docker : enregistre ces exercices comme non vérifiés, avec cette
    /// raison (par exemple « aucun script solutions/2.1.sh »).
    #[arg(long, value_name = "RAISON", conflicts_with_all = ["from", "note"])]
    pub not_run: Option<String>,
    /// Remarque jointe aux exercices notés (par exemple « le script a échoué, code 1 »).
    #[arg(long, value_name = "TEXTE")]
    pub note: Option<String>,
    /// Affiche, sans rien vérifier, les exercices à exécuter dans l'ordre : d'abord les
    /// prérequis d'autres chapitres (« prerequis »), puis ceux à noter (« noter »).
    #[arg(long, conflicts_with_all = ["from", "save", "not_run"])]
    pub plan: bool,
}

#[derive(Debug, clap::Args)]
pub struct ClassArgs {
    /// Fichiers de résultats (un par étudiant, enregistrés avec `grade --save`).
    #[arg(required = true, value_name = "RÉSULTATS")]
    pub files: Vec<PathBuf>,
    /// Liste de la classe (CSV, première colonne : l'étudiant) : un étudiant sans
    /// fichier de résultats a quand même sa ligne, à zéro.
    #[arg(long, value_name = "FICHIER")]
    pub roster: Option<PathBuf>,
    /// Seulement les exercices de ce chapitre (répétable ; par défaut : tous).
    #[arg(long)]
    pub chapter: Vec<u32>,
    /// Pourcentage minimal pour réussir (colonne « reussi »).
    #[arg(long, value_name = "POURCENTAGE")]
    pub min_score: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Junit,
    Markdown,
    Tap,
    /// Tableur : une ligne par étudiant (points décimaux).
    Csv,
    /// Résultat d'un « runner » GitHub Classroom (autograding-grading-reporter).
    Classroom,
    /// Page HTML autonome : le tableau des notes, puis ce que chacun doit corriger.
    Html,
}

impl Format {
    /// Whether the format's document says which engine version the checks ran on (the
    /// others need no `/version`, the slowest question an engine is asked).
    pub fn records_engine(self) -> bool {
        matches!(self, Format::Json | Format::Junit | Format::Html)
    }
}

impl Cli {
    /// Whether any of the reports asked for records the engine's version.
    pub fn records_engine(&self) -> bool {
        self.format.iter().any(|f| f.records_engine())
    }

    /// The one format of commands that print a single document (`list`, `doctor`).
    pub fn single_format(&self) -> Format {
        if self.format.contains(&Format::Json) {
            Format::Json
        } else {
            Format::Text
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Vérifie un exercice (par exemple : checker exercise 2.1, ou checker exercice 2.1).
    #[command(visible_alias = "exercice")]
    Exercise {
        /// Identifiant de l'exercice, CHAPITRE.N.
        id: String,
        /// Valeur d'une variable de l'exercice (répétable), par exemple --var user=alice.
        #[arg(long = "var", value_name = "NOM=VALEUR")]
        vars: Vec<String>,
        /// Durée maximale d'une tentative de vérification (par exemple 10s).
        #[arg(long, value_name = "DURÉE", default_value = "15s")]
        timeout: String,
    },
    /// Liste les chapitres et les exercices.
    #[command(visible_alias = "liste")]
    List {
        /// Seulement ce chapitre.
        #[arg(long)]
        chapter: Option<u32>,
    },
    /// Affiche les indices d'un exercice.
    #[command(visible_alias = "indice", alias = "indices")]
    Hint {
        id: String,
        /// Seulement cette vérification (son id, affiché entre crochets dans le rapport).
        check: Option<String>,
        /// Valeur d'une variable de l'exercice (répétable), par exemple --var user=alice.
        #[arg(long = "var", value_name = "NOM=VALEUR")]
        vars: Vec<String>,
    },
    /// Diagnostique la connexion à Docker.
    #[command(visible_alias = "diagnostic")]
    Doctor,
    /// Copie les fichiers de départ d'un exercice, sans écraser les vôtres.
    Init {
        id: String,
        /// Dossier où les copier (par défaut, le dossier courant).
        dir: Option<PathBuf>,
    },
    /// Note des exercices (toute une classe en CI) : score par exercice et total.
    #[command(visible_alias = "noter")]
    Grade(GradeArgs),
    /// Tableau d'une classe (étudiants × exercices) à partir des fichiers de `grade --save`.
    Class(ClassArgs),
    /// Vérifie un catalogue d'exercices (schéma, ids, prérequis, variables).
    #[command(visible_alias = "valider")]
    Validate {
        /// Dossier du catalogue (par défaut, le catalogue intégré).
        dir: Option<PathBuf>,
    },
    /// Affiche le schéma JSON du format des exercices (pour les éditeurs).
    Schema,
    /// Examine des Dockerfiles (règles du cours, hadolint, BuildKit), sans Docker.
    Lint(super::lint::LintArgs),
    /// Construit le livre du cours (HTML), sans mdbook installé.
    #[command(visible_alias = "livre")]
    Book {
        /// Racine du livre (le dossier de book.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Dossier de sortie (par défaut celui de book.toml).
        #[arg(long)]
        dest: Option<PathBuf>,
        /// Échoue si mdBook émet un avertissement.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Ouvre le cours dans le navigateur, avec un bouton « Vérifier » sur chaque exercice.
    #[command(visible_alias = "servir")]
    Serve(super::serve::ServeArgs),
    /// Revérifie un exercice à chaque changement de l'état de Docker.
    #[command(visible_alias = "surveiller")]
    Watch(super::watch::WatchArgs),
    /// Affiche votre progression ; --user enregistre votre identifiant, --reset oublie les exercices réussis.
    #[command(visible_alias = "progression")]
    Progress(super::progress::ProgressArgs),
    /// Affiche la solution de référence d'un exercice, sans rien exécuter.
    Solution {
        id: String,
        /// Valeur d'une variable de l'exercice (répétable), par exemple --var user=alice.
        #[arg(long = "var", value_name = "NOM=VALEUR")]
        vars: Vec<String>,
    },
    /// Exécute la solution d'un exercice (modifie vos ressources Docker, après confirmation).
    ///
    /// Avec `reset`, la seule commande qui modifie vos conteneurs, images et autres
    /// ressources Docker : elle montre les commandes, demande confirmation (--yes pour
    /// un script), puis affiche chacune juste avant de l'exécuter.
    #[command(visible_alias = "resoudre")]
    Solve(super::solve::ScriptArgs),
    /// Exécute le nettoyage d'un exercice (supprime ses ressources, après confirmation).
    ///
    /// Avec `solve`, la seule commande qui modifie vos conteneurs, images et autres
    /// ressources Docker : elle montre les commandes, demande confirmation (--yes pour
    /// un script), puis affiche chacune juste avant de l'exécuter.
    #[command(visible_alias = "reinitialiser")]
    Reset(super::solve::ScriptArgs),
    /// Outils des auteurs du cours.
    Dev {
        #[command(subcommand)]
        command: super::dev::DevCommand,
    },
    /// Préprocesseur mdBook des cartes d'exercices (appelé par `mdbook build`).
    #[command(hide = true)]
    Mdbook {
        #[arg(trailing_var_arg = true)]
        args: Vec<String>,
    },
}

/// Help in French: clap's own headings are English, so every (sub)command gets a
/// French template.
const HELP_TEMPLATE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// The command line of this process, or the exit code of a usage error (already printed).
pub fn parse() -> Result<Cli, u8> {
    parse_from(std::env::args_os())
}

fn command() -> clap::Command {
    Cli::command()
        .help_template(HELP_TEMPLATE)
        .mut_subcommands(|sub| sub.help_template(HELP_TEMPLATE))
}

fn parse_from<I, T>(args: I) -> Result<Cli, u8>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = command().try_get_matches_from(args).map_err(usage_error)?;
    let mut cli = Cli::from_arg_matches(&matches).map_err(usage_error)?;
    match pair_outputs(&matches, cli.format.len()) {
        Ok(destinations) => cli.destinations = destinations,
        Err(message) => {
            error(message);
            return Err(EXIT_USAGE);
        }
    }
    Ok(cli)
}

/// Prints clap's error (help and version are not errors) and gives the exit code.
fn usage_error(e: clap::Error) -> u8 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            EXIT_OK
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            EXIT_USAGE
        }
        ErrorKind::InvalidSubcommand => {
            use clap::error::{ContextKind, ContextValue};
            let typed = match e.get(ContextKind::InvalidSubcommand) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => String::new(),
            };
            let suggestion = match e.get(ContextKind::SuggestedSubcommand) {
                Some(ContextValue::Strings(s)) if !s.is_empty() => {
                    format!(" Vouliez-vous dire `checker {}` ?", s[0])
                }
                Some(ContextValue::String(s)) => format!(" Vouliez-vous dire `checker {s}` ?"),
                _ => String::new(),
            };
            error(format!(
                "commande inconnue « {typed} ».{suggestion} Commandes : exercise (exercice), \
                 list (liste), hint (indice), doctor (diagnostic), init, grade (noter), \
                 validate (valider), schema, book (livre), serve (servir), watch (surveiller), \
                 progress (progression), solution, solve (resoudre), reset (reinitialiser), dev. \
                 Voyez `checker --help`."
            ));
            EXIT_USAGE
        }
        kind => {
            error(french_usage_error(&e, kind));
            EXIT_USAGE
        }
    }
}

/// clap's usage errors, said in French with what clap knows: the argument, the value,
/// the values allowed, its suggestion. clap's own text is English.
fn french_usage_error(e: &clap::Error, kind: clap::error::ErrorKind) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |wanted: ContextKind| {
        e.context()
            .find(|(k, _)| *k == wanted)
            .map(|(_, v)| match v {
                ContextValue::String(s) => s.clone(),
                ContextValue::Strings(list) => list.join(", "),
                other => other.to_string(),
            })
    };
    let argument = context(ContextKind::InvalidArg).unwrap_or_default();
    let mut message = match kind {
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} »",
            context(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("option ou argument inattendu « {argument} »"),
        ErrorKind::MissingRequiredArgument => {
            format!("argument obligatoire manquant : {argument}")
        }
        ErrorKind::MissingSubcommand => "commande manquante".to_string(),
        ErrorKind::InvalidValue => format!(
            "valeur invalide « {} » pour {argument}",
            context(ContextKind::InvalidValue).unwrap_or_default()
        ),
        ErrorKind::ValueValidation => format!(
            "valeur invalide « {} » pour {argument}",
            context(ContextKind::InvalidValue).unwrap_or_default()
        ),
        ErrorKind::ArgumentConflict => format!(
            "{argument} ne se combine pas avec {}",
            context(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::InvalidUtf8 => {
            "un argument n'est pas du texte UTF-8 valide : réécrivez-le".to_string()
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs incorrect pour {argument}")
        }
        _ => "ligne de commande invalide".to_string(),
    };
    if let Some(valid) = context(ContextKind::ValidValue) {
        message.push_str(&format!(" (valeurs possibles : {valid})"));
    }
    if let Some(suggestion) =
        context(ContextKind::SuggestedSubcommand).or_else(|| context(ContextKind::SuggestedArg))
    {
        message.push_str(&format!(
            " ; vouliez-vous dire « {suggestion} » ? Voyez `checker --help`."
        ));
    } else {
        message.push_str(". Voyez `checker --help`.");
    }
    message
}

/// Pairs each `--output` with the `--format` written before it, from the positions clap
/// recorded for both options (each option keeps its values, not how they interleave).
/// `formats` is how many formats clap parsed (1 for the default `text`).
fn pair_outputs(matches: &ArgMatches, formats: usize) -> Result<Vec<Option<PathBuf>>, String> {
    let (format_at, outputs) = positions(matches);
    let mut destinations: Vec<Option<PathBuf>> = vec![None; formats];
    for (at, path) in outputs {
        // The last --format written before this --output (the first one if none was).
        let index = format_at
            .iter()
            .filter(|&&f| f < at)
            .count()
            .saturating_sub(1);
        match destinations.get_mut(index) {
            Some(slot @ None) => *slot = Some(path),
            Some(Some(_)) => {
                return Err(format!(
                    "deux --output pour le même --format (le n° {}) : un fichier par format",
                    index + 1
                ));
            }
            None => return Err("--output sans --format correspondant".to_string()),
        }
    }
    if destinations.iter().filter(|d| d.is_none()).count() > 1 {
        return Err(
            "un seul rapport peut aller sur la sortie standard : donnez un --output aux autres --format"
                .to_string(),
        );
    }
    Ok(destinations)
}

/// Where each `--format` was written, and each `--output` with its path. clap copies a
/// global option's values up from the subcommand that received them (the subcommand's
/// win when both levels have some), positions included, so the top level has them all.
fn positions(matches: &ArgMatches) -> (Vec<usize>, Vec<(usize, PathBuf)>) {
    let from_line =
        |id: &str| matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
    let format_at = match matches.indices_of("format") {
        Some(indices) if from_line("format") => indices.collect(),
        _ => Vec::new(),
    };
    let outputs = match (
        matches.indices_of("output"),
        matches.get_many::<PathBuf>("output"),
    ) {
        (Some(indices), Some(values)) if from_line("output") => {
            indices.zip(values.cloned()).collect()
        }
        _ => Vec::new(),
    };
    (format_at, outputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn destinations(line: &str) -> Result<Vec<Option<PathBuf>>, String> {
        let matches = command()
            .try_get_matches_from(std::iter::once("checker").chain(line.split_whitespace()))
            .map_err(|e| e.to_string())?;
        let cli = Cli::from_arg_matches(&matches).map_err(|e| e.to_string())?;
        pair_outputs(&matches, cli.format.len())
    }

    #[test]
    fn outputs_follow_their_format() {
        let d = destinations("grade --format text --format junit --output r.xml").expect("ok");
        assert_eq!(d, vec![None, Some(PathBuf::from("r.xml"))]);
        let d = destinations("grade --format=junit --output=r.xml --format markdown").expect("ok");
        assert_eq!(d, vec![Some(PathBuf::from("r.xml")), None]);
        let d = destinations("exercise 2.1 --output r.txt").expect("ok");
        assert_eq!(d, vec![Some(PathBuf::from("r.txt"))]);
        // Formats given on both sides of the subcommand: clap keeps the subcommand's.
        let d = destinations("--format junit --output r.xml grade --format tap").expect("ok");
        assert_eq!(d, vec![Some(PathBuf::from("r.xml"))]);
        assert!(destinations("grade --format json --format tap").is_err());
        assert!(destinations("grade --format json --output a --output b").is_err());
    }
}
