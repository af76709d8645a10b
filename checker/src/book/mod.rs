//! The mdBook plugin: `{{#exercise 2.3}}` in a chapter becomes the exercise's card.
//!
//! The card is rendered from the very catalogue the checker runs (same parser, same
//! validation), so the page and the verdict cannot disagree: the card lists the checks
//! by the titles `checker exercise 2.3` prints.
//!
//! It works two ways: as an external preprocessor for a stock `mdbook build` (`checker
//! mdbook`, speaking mdBook's JSON protocol on stdin/stdout), and in-process through
//! `mdbook-driver` ([`build`]), so the tests need no separately installed mdbook.
//!
//! The build fails, naming the chapter file and the id, on an unknown id, on a card
//! that appears twice, and on a catalogue exercise that has no card.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context as _, anyhow, bail};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use minijinja::Environment;
use regex::Regex;
use serde::Serialize;

use crate::catalog::{Catalog, Exercise};
use crate::markdown::{to_html, to_inline_html};

/// Name of the preprocessor in `book.toml` (`[preprocessor.exercise]`).
pub const NAME: &str = "exercise";

/// The card template, shipped in `templates/`.
const CARD_TEMPLATE: &str = include_str!("../../../templates/exercise-card.html");

/// The preprocessor. The catalogue comes from `[preprocessor.exercise] catalog = "DIR"`
/// (relative to the book root) or, without it, the catalogue embedded in the binary.
#[derive(Debug, Default)]
pub struct ExercisePreprocessor;

impl Preprocessor for ExercisePreprocessor {
    fn name(&self) -> &str {
        NAME
    }

    fn run(
        &self,
        ctx: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        let catalog = catalog_for(ctx)?;
        // `checker serve` sets the student's saved identifier: their cards show it
        // instead of the placeholder.
        let user: Option<String> = ctx
            .config
            .get(&format!("preprocessor.{NAME}.user"))
            .ok()
            .flatten();
        let mut placed: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut errors: Vec<String> = Vec::new();
        book.for_each_mut(|item| {
            if let BookItem::Chapter(chapter) = item {
                let file = chapter
                    .source_path
                    .clone()
                    .map(|p| Path::new(&ctx.config.book.src).join(p))
                    .unwrap_or_else(|| PathBuf::from(&chapter.name));
                match expand(
                    &chapter.content,
                    &file,
                    &catalog,
                    user.as_deref(),
                    &mut placed,
                ) {
                    Ok(content) => chapter.content = callouts(&content),
                    Err(e) => errors.extend(e),
                }
            }
        });
        for entry in catalog.entries() {
            if !placed.contains_key(&entry.exercise.id) {
                errors.push(format!(
                    "l'exercice {} ({}) n'a pas de carte dans le livre : ajoutez `{{{{#exercise {}}}}}` \
                     dans le chapitre {}",
                    entry.exercise.id, entry.file, entry.exercise.id, entry.exercise.chapter
                ));
            }
        }
        if !errors.is_empty() {
            bail!("cartes d'exercices :\n  - {}", errors.join("\n  - "));
        }
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        Ok(renderer == "html")
    }
}

fn catalog_for(ctx: &PreprocessorContext) -> anyhow::Result<Catalog> {
    let configured: Option<String> = ctx
        .config
        .get(&format!("preprocessor.{NAME}.catalog"))
        .ok()
        .flatten();
    let catalog = match configured {
        Some(dir) => Catalog::from_dir(&ctx.root.join(dir)),
        None => Catalog::embedded(),
    };
    catalog.map_err(|e| anyhow!("catalogue d'exercices invalide :\n{e}"))
}

/// `{{#exercise ID}}`, not preceded by a backslash (`\{{#exercise}}` shows the directive).
fn directive() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(\\?)\{\{#exercise\s+([^\s}]*)\s*\}\}").expect("static regex"))
}

/// Replaces the directives of one chapter; errors name the file and the id.
fn expand(
    content: &str,
    file: &Path,
    catalog: &Catalog,
    user: Option<&str>,
    placed: &mut BTreeMap<String, PathBuf>,
) -> Result<String, Vec<String>> {
    let mut errors = Vec::new();
    let mut out = String::with_capacity(content.len());
    let mut last = 0;
    for capture in directive().captures_iter(content) {
        let whole = capture.get(0).map(|m| m.range()).unwrap_or_default();
        out.push_str(&content[last..whole.start]);
        last = whole.end;
        let id = &capture[2];
        if !capture[1].is_empty() {
            // Escaped: show the directive itself.
            out.push_str(&capture[0][1..]);
            continue;
        }
        let line = content[..whole.start].matches('\n').count() + 1;
        let at = format!("{}:{line}", file.display());
        let Some(entry) = catalog.get(id) else {
            let hint = catalog.suggest(id);
            errors.push(format!(
                "{at} : {{{{#exercise {id}}}}} : exercice inconnu{}",
                if hint.is_empty() {
                    String::new()
                } else {
                    format!(" (vouliez-vous dire {} ?)", hint.join(", "))
                }
            ));
            continue;
        };
        if let Some(first) = placed.get(id) {
            errors.push(format!(
                "{at} : la carte de l'exercice {id} apparaît déjà dans {} ; une carte par exercice",
                first.display()
            ));
            continue;
        }
        placed.insert(id.to_string(), file.to_path_buf());
        // The card shows the placeholder the student replaces (`VOTRE_ID`), never a
        // default that could be somebody's real account.
        let mut placeholders = entry.placeholders();
        let user = user.filter(|_| entry.exercise.variables.contains_key("user"));
        if let Some(user) = user {
            placeholders.insert("user".to_string(), user.to_string());
        }
        match entry
            .resolve(&placeholders)
            .map(|mut x| {
                // The student's own value is the default: nothing left to replace.
                if let (Some(user), Some(v)) = (user, x.variables.get_mut("user")) {
                    v.placeholder = None;
                    v.default = user.to_string();
                }
                x
            })
            .map_err(|e| anyhow!(e))
            .and_then(|x| render_card(&x))
            .map(|card| match (user, entry.placeholders().get("user")) {
                // Where the texts write the placeholder itself (« --var user=VOTRE_ID »).
                (Some(user), Some(placeholder)) => card.replace(placeholder.as_str(), user),
                _ => card,
            }) {
            Ok(card) => out.push_str(&card),
            Err(e) => errors.push(format!("{at} : exercice {id} : {e}")),
        }
    }
    out.push_str(&content[last..]);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The callouts the course writes, by their bold lead word (`> **Attention.** …`, a
/// marker without brackets) or in mdBook's own syntax (`> [!WARNING]`, whose built-in
/// titles are English), and the mdBook admonition kind (plus `course-update` for the notes on
/// what changed since older material) and French title each becomes.
const CALLOUTS: &[(&str, &str, &str)] = &[
    ("Attention.", "warning", "Attention"),
    ("Astuce.", "tip", "Astuce"),
    ("À retenir.", "important", "À retenir"),
    ("Note.", "note", "Note"),
    ("Note — mise à jour.", "note course-update", "Mise à jour"),
    ("Note — correction.", "note course-update", "Correction"),
    ("Note — précision.", "note course-update", "Précision"),
    ("Note — complément.", "note course-update", "Complément"),
    ("[!NOTE]", "note", "Note"),
    ("[!TIP]", "tip", "Astuce"),
    ("[!IMPORTANT]", "important", "Important"),
    ("[!WARNING]", "warning", "Attention"),
    ("[!CAUTION]", "caution", "Danger"),
];

/// Turns each callout blockquote into mdBook's admonition markup (same classes, so the
/// theme styles it) with a French title, outside fenced code. The body stays Markdown:
/// it sits between the opening and the closing tag, separated by blank lines.
fn callouts(content: &str) -> String {
    let lines: Vec<&str> = content.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut fence: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
            }
            out.push(line.to_string());
            i += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_string());
            out.push(line.to_string());
            i += 1;
            continue;
        }
        let Some((kind, title, first)) = callout_head(trimmed) else {
            out.push(line.to_string());
            i += 1;
            continue;
        };
        let mut body = vec![first.to_string()];
        i += 1;
        while i < lines.len() {
            let next = lines[i].trim_start();
            if !lines[i].starts_with(indent) || !next.starts_with('>') {
                break;
            }
            let text = next[1..].strip_prefix(' ').unwrap_or(&next[1..]);
            body.push(text.to_string());
            i += 1;
        }
        out.push(format!(
            "{indent}<blockquote class=\"blockquote-tag blockquote-tag-{kind}\">"
        ));
        out.push(format!(
            "{indent}<p class=\"blockquote-tag-title\">{title}</p>"
        ));
        out.push(String::new());
        for text in body.iter().skip_while(|t| t.trim().is_empty()) {
            out.push(format!("{indent}{text}"));
        }
        out.push(String::new());
        out.push(format!("{indent}</blockquote>"));
    }
    out.join("\n")
}

/// Whether a line opens a callout: its kind, French title and the text after the lead.
fn callout_head(line: &str) -> Option<(&'static str, &'static str, &str)> {
    let rest = line.strip_prefix('>')?.trim_start();
    CALLOUTS.iter().find_map(|(marker, kind, title)| {
        if marker.starts_with("[!") {
            (rest.trim_end() == *marker).then_some((*kind, *title, ""))
        } else {
            let after = rest
                .strip_prefix("**")?
                .strip_prefix(marker)?
                .strip_prefix("**")?;
            Some((*kind, *title, after.trim_start()))
        }
    })
}

#[derive(Serialize)]
struct CardView {
    id: String,
    anchor: String,
    chapter: u32,
    title: String,
    objective: String,
    steps: Vec<String>,
    prerequisites: Vec<String>,
    points: u32,
    informational: bool,
    checks: Vec<CheckView>,
    variables: Vec<VariableView>,
    solution: Option<String>,
    cleanup: Option<String>,
    /// The exercise after which the clean-up belongs (none: right away).
    cleanup_after: Option<String>,
    /// What comes next, as HTML.
    next: Option<String>,
    /// `checker exercise ID`, with `--var name=PLACEHOLDER` for each variable that has one.
    verify_command: String,
}

#[derive(Serialize)]
struct CheckView {
    id: String,
    title: String,
    hint: Option<String>,
}

#[derive(Serialize)]
struct VariableView {
    name: String,
    default: String,
    description: String,
}

/// The HTML card of one exercise (Markdown fields rendered with pulldown-cmark).
pub fn render_card(exercise: &Exercise) -> anyhow::Result<String> {
    let view = CardView {
        id: exercise.id.clone(),
        anchor: format!("exercice-{}", exercise.id.replace('.', "-")),
        chapter: exercise.chapter,
        title: to_inline_html(&exercise.title),
        objective: to_html(&exercise.objective),
        steps: exercise.steps.iter().map(|s| to_inline_html(s)).collect(),
        prerequisites: exercise.prerequisites.clone(),
        points: exercise.points,
        informational: exercise.informational,
        checks: exercise
            .checks
            .iter()
            .map(|c| CheckView {
                id: c.id.clone(),
                title: to_inline_html(&c.title),
                hint: c.hint.as_deref().map(to_html),
            })
            .collect(),
        variables: exercise
            .variables
            .iter()
            .map(|(name, v)| VariableView {
                name: name.clone(),
                default: v.default.clone(),
                description: to_inline_html(&v.description),
            })
            .collect(),
        solution: exercise
            .solution
            .as_deref()
            .map(|s| s.trim_end().to_string()),
        cleanup: exercise
            .cleanup
            .as_deref()
            .map(|s| s.trim_end().to_string()),
        cleanup_after: exercise.cleanup_after.clone(),
        next: exercise.next.as_deref().map(to_inline_html),
        verify_command: std::iter::once(format!("checker exercise {}", exercise.id))
            .chain(exercise.variables.iter().filter_map(|(name, v)| {
                v.placeholder.as_ref().map(|p| format!("--var {name}={p}"))
            }))
            .collect::<Vec<_>>()
            .join(" "),
    };
    let html = card_template()
        .map_err(|e| anyhow!("gabarit templates/exercise-card.html invalide : {e}"))?
        .get_template("exercise-card.html")
        .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(&view))))
        .context("rendu de la carte impossible")?;
    Ok(as_markdown_block(&html))
}

/// The card template, compiled once for the whole book (every card uses it).
fn card_template() -> Result<&'static Environment<'static>, &'static minijinja::Error> {
    static ENV: OnceLock<Result<Environment<'static>, minijinja::Error>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.add_template("exercise-card.html", CARD_TEMPLATE)?;
        Ok(env)
    })
    .as_ref()
}

/// Makes the card one raw-HTML block for the Markdown parser: no blank line may end it
/// early, and no indentation may turn a line into a code block. Newlines inside `<pre>`
/// are kept as `&#10;` so code keeps its lines.
fn as_markdown_block(html: &str) -> String {
    static PRE: OnceLock<Regex> = OnceLock::new();
    let pre = PRE.get_or_init(|| Regex::new(r"(?s)<pre([^>]*)>(.*?)</pre>").expect("static regex"));
    let joined = pre.replace_all(html, |c: &regex::Captures| {
        format!("<pre{}>{}</pre>", &c[1], c[2].replace('\n', "&#10;"))
    });
    let lines: Vec<&str> = joined
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    format!("\n\n{}\n\n", lines.join("\n"))
}

/// Runs the preprocessor protocol for a stock `mdbook build`: `checker mdbook supports
/// RENDERER` answers by exit code; `checker mdbook` reads `[context, book]` on stdin and
/// writes the book on stdout.
pub fn protocol(supports: Option<&str>) -> anyhow::Result<bool> {
    let preprocessor = ExercisePreprocessor;
    if let Some(renderer) = supports {
        return preprocessor.supports_renderer(renderer);
    }
    let (ctx, book) = mdbook_preprocessor::parse_input(std::io::stdin())?;
    let book = preprocessor.run(&ctx, book)?;
    serde_json::to_writer(std::io::stdout(), &book)?;
    Ok(true)
}

/// Builds the book in-process (no mdbook binary needed) and returns the HTML folder.
pub fn build(root: &Path, dest: Option<&Path>) -> anyhow::Result<PathBuf> {
    build_with(root, dest, &[])
}

/// [`build`] with configuration keys set on top of `book.toml` (`checker serve` sets
/// the catalogue and the student's identifier).
pub fn build_with(
    root: &Path,
    dest: Option<&Path>,
    settings: &[(&str, String)],
) -> anyhow::Result<PathBuf> {
    let mut book = mdbook_driver::MDBook::load(root).map_err(|e| {
        anyhow!(
            "chargement du livre ({}) impossible : {e:#}",
            root.display()
        )
    })?;
    if let Some(dest) = dest {
        book.config.build.build_dir = dest.to_path_buf();
    }
    for (key, value) in settings {
        book.config
            .set(key, value)
            .map_err(|e| anyhow!("réglage {key} du livre impossible : {e:#}"))?;
    }
    // Same name as in book.toml: replaces the external command by this very code.
    book.with_preprocessor(ExercisePreprocessor);
    book.build().map_err(|e| anyhow!("{e:#}"))?;
    let html = book.build_dir_for("html");
    search::french_index(&html)?;
    Ok(html)
}

/// Counts the warnings (and errors) mdBook logs while it builds, and shows them on
/// stderr, so `checker book --deny-warnings` and the tests can insist on a clean build.
pub struct Warnings(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Warnings {
    pub fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Installs the process-wide log subscriber (once) and returns its warning counter.
pub fn capture_warnings() -> Warnings {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static COUNTER: OnceLock<Arc<AtomicUsize>> = OnceLock::new();
    let counter = COUNTER.get_or_init(|| {
        let counter = Arc::new(AtomicUsize::new(0));
        let seen = counter.clone();
        let writer = move || {
            seen.fetch_add(1, Ordering::SeqCst);
            std::io::stderr()
        };
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_target(false)
            .without_time()
            .with_writer(writer)
            .try_init();
        counter
    });
    counter.store(0, Ordering::SeqCst);
    Warnings(counter.clone())
}

pub mod search;

#[cfg(test)]
mod tests {
    use super::callouts;

    #[test]
    fn callouts_become_admonitions_outside_code_only() {
        let text = "> **Attention.** Un piège\n> sur deux lignes.\n\n```console\n> **Note.** du code\n```\n\n   > [!TIP]\n   > Dans une liste.\n";
        let out = callouts(text);
        assert!(out.starts_with(
            "<blockquote class=\"blockquote-tag blockquote-tag-warning\">\n<p class=\"blockquote-tag-title\">Attention</p>\n\nUn piège\nsur deux lignes.\n\n</blockquote>"
        ), "{out}");
        assert!(
            out.contains("```console\n> **Note.** du code\n```"),
            "{out}"
        );
        assert!(out.contains("   <blockquote class=\"blockquote-tag blockquote-tag-tip\">\n   <p class=\"blockquote-tag-title\">Astuce</p>\n\n   Dans une liste.\n"), "{out}");
        assert_eq!(callouts("> Une citation.\n"), "> Une citation.\n");
    }
}
