//! The course book: it builds in-process with no warnings, every exercise of the
//! catalogue has exactly one card, the cards list the checks by the titles the checker
//! prints, the preprocessor speaks mdBook's JSON protocol, and bad cards fail the build
//! with a message naming the chapter file and the id.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use checker::catalog::Catalog;
use checker::markdown::to_inline_html;
use common::checker;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The book, built once for all tests of this file, and the warnings mdBook logged.
fn built() -> &'static (PathBuf, usize) {
    static BUILT: OnceLock<(PathBuf, usize)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dest = std::env::temp_dir().join(format!("checker-book-test-{}", std::process::id()));
        let warnings = checker::book::capture_warnings();
        let out = checker::book::build(&repo_root(), Some(&dest)).expect("the book builds");
        (out, warnings.count())
    })
}

fn catalogue() -> Catalog {
    Catalog::from_dir(&repo_root().join("exercises")).expect("valid catalogue")
}

/// Every chapter page (not the print page, which repeats them all, nor the 404 page).
fn pages() -> Vec<(String, String)> {
    let (out, _) = built();
    all_pages()
        .into_iter()
        .filter(|(p, _)| p != "print.html" && p != "404.html")
        .map(|(p, html)| (out.join(p).display().to_string(), html))
        .collect()
}

#[test]
fn builds_without_warnings() {
    let (out, warnings) = built();
    assert_eq!(*warnings, 0, "mdBook logged warnings while building");
    assert!(out.join("index.html").exists());
    assert!(out.join("ch02-conteneurs.html").exists());
}

#[test]
fn every_exercise_has_exactly_one_card() {
    let pages = pages();
    for entry in catalogue().entries() {
        let id = &entry.exercise.id;
        let marker = format!("data-exercise=\"{id}\"");
        let found: Vec<&str> = pages
            .iter()
            .filter(|(_, html)| html.contains(&marker))
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(found.len(), 1, "exercise {id} appears on {found:?}");
        let page = &pages.iter().find(|(p, _)| p == found[0]).expect("page").1;
        assert_eq!(page.matches(&marker).count(), 1, "{id} twice on one page");
        let chapter = format!("ch{:02}-", entry.exercise.chapter);
        assert!(
            found[0].contains(&chapter),
            "{id} is in its chapter, not {}",
            found[0]
        );
    }
}

#[test]
fn cards_list_the_checks_by_the_checker_titles() {
    let pages = pages();
    let output = checker()
        .args(["--format", "json", "list"])
        .output()
        .expect("runs");
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    for exercise in listed.as_array().expect("array") {
        let id = exercise["id"].as_str().expect("id");
        let marker = format!("data-exercise=\"{id}\"");
        let html = &pages
            .iter()
            .find(|(_, h)| h.contains(&marker))
            .expect("card")
            .1;
        let card = &html[html.find(&marker).expect("marker")..];
        let card = &card[..card.find("</section>").expect("end of card")];
        for check in exercise["checks"].as_array().expect("checks") {
            let title = to_inline_html(check["title"].as_str().expect("title"));
            let item = format!(
                "data-check=\"{}\">{title}</li>",
                check["id"].as_str().expect("id")
            );
            assert!(card.contains(&item), "card {id} lacks {item}");
        }
        if exercise["informational"] == true {
            assert!(
                card.contains("Exercice informatif"),
                "card {id} says it has nothing to check"
            );
        } else {
            assert!(
                card.contains(&format!("$ checker exercise {id}")),
                "card {id} shows the command"
            );
        }
    }
}

#[test]
fn card_snapshot_for_2_1() {
    let catalog = catalogue();
    let exercise = catalog
        .get("2.1")
        .expect("2.1")
        .resolve(&BTreeMap::new())
        .expect("resolves");
    let card = checker::book::render_card(&exercise).expect("renders");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/card-2.1.html");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &card).expect("write snapshot");
    }
    let expected =
        std::fs::read_to_string(&path).expect("snapshot exists (UPDATE_SNAPSHOTS=1 to create)");
    assert_eq!(
        card, expected,
        "card changed: review, then UPDATE_SNAPSHOTS=1 cargo test --test book"
    );
    assert!(!card.contains("\n\n\n"), "one HTML block");
    assert!(card.contains("<details class=\"exercise-card-solution\">"));
}

#[test]
fn preprocessor_protocol_round_trips() {
    let status = checker()
        .args(["mdbook", "supports", "html"])
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(0));
    let status = checker()
        .args(["mdbook", "supports", "latex"])
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(1));

    let root = repo_root();
    let mut config = mdbook_preprocessor::config::Config::default();
    config
        .set("preprocessor.exercise.catalog", "exercises")
        .expect("set");
    let ctx = mdbook_preprocessor::PreprocessorContext::new(root.clone(), config, "html".into());
    let mut book = mdbook_preprocessor::book::Book::new();
    let mut chapter = mdbook_preprocessor::book::Chapter::new(
        "Essai",
        "# Essai\n\n{{#exercise 2.1}}\n\nSuite. \\{{#exercise 2.2}} reste tel quel.\n".into(),
        "essai.md",
        Vec::new(),
    );
    chapter.number = None;
    book.push_item(chapter);
    let output = preprocess(&ctx, &book);
    // The catalogue has more exercises than this one-chapter book shows.
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("n'a pas de carte dans le livre"), "{err}");

    // With only the shown exercise in the catalogue, the book comes back with its card.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        root.join("exercises/ch02/2.1.yaml"),
        dir.path().join("2.1.yaml"),
    )
    .expect("copy");
    let text = std::fs::read_to_string(dir.path().join("2.1.yaml")).expect("read");
    std::fs::write(
        dir.path().join("2.1.yaml"),
        text.replace("prerequisites: [\"1.3\"]\n", "")
            .replace("cleanup_after: \"2.6\"\n", ""),
    )
    .expect("write");
    let mut config = mdbook_preprocessor::config::Config::default();
    config
        .set(
            "preprocessor.exercise.catalog",
            dir.path().display().to_string(),
        )
        .expect("set");
    let ctx = mdbook_preprocessor::PreprocessorContext::new(root.clone(), config, "html".into());
    let output = preprocess(&ctx, &book);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: mdbook_preprocessor::book::Book =
        serde_json::from_slice(&output.stdout).expect("a book");
    let content = match &out.items[0] {
        mdbook_preprocessor::book::BookItem::Chapter(c) => c.content.clone(),
        other => panic!("chapter expected, got {other:?}"),
    };
    assert!(content.contains("data-exercise=\"2.1\""), "{content}");
    assert!(
        content.contains("{{#exercise 2.2}} reste tel quel"),
        "escaped directive kept: {content}"
    );
}

/// Runs `checker mdbook` as mdBook does: `[context, book]` as JSON on stdin.
fn preprocess(
    ctx: &mdbook_preprocessor::PreprocessorContext,
    book: &mdbook_preprocessor::book::Book,
) -> std::process::Output {
    let input = serde_json::to_vec(&(ctx, book)).expect("serialise");
    let mut child = checker()
        .arg("mdbook")
        .current_dir(repo_root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write");
    child.wait_with_output().expect("wait")
}

/// A one-chapter book around the real catalogue, to break on purpose.
fn small_book(chapter: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = repo_root().join("exercises");
    std::fs::write(
        dir.path().join("book.toml"),
        format!(
            "[book]\ntitle = \"Essai\"\nlanguage = \"fr\"\nsrc = \"src\"\n\n[preprocessor.exercise]\ncommand = \"false\"\nafter = [\"links\"]\ncatalog = \"{}\"\n",
            catalog.display()
        ),
    )
    .expect("book.toml");
    std::fs::create_dir_all(dir.path().join("src")).expect("src");
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Sommaire\n\n- [Chapitre](ch02-essai.md)\n",
    )
    .expect("summary");
    std::fs::write(dir.path().join("src/ch02-essai.md"), chapter).expect("chapter");
    dir
}

fn build_error(chapter: &str) -> String {
    let dir = small_book(chapter);
    let output = checker()
        .args(["book", "--root"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn unknown_duplicate_and_missing_cards_fail_the_build() {
    let err = build_error("# Essai\n\nTexte.\n\n{{#exercise 2.9}}\n");
    assert!(
        err.contains("ch02-essai.md:5 : {{#exercise 2.9}} : exercice inconnu"),
        "{err}"
    );
    assert!(err.contains("vouliez-vous dire"), "{err}");

    let err = build_error("# Essai\n\n{{#exercise 2.1}}\n\n{{#exercise 2.1}}\n");
    assert!(
        err.contains("ch02-essai.md:5 : la carte de l'exercice 2.1 apparaît déjà dans"),
        "{err}"
    );

    let err = build_error("# Essai\n\n{{#exercise 2.1}}\n");
    assert!(
        err.contains("l'exercice 2.2 (") && err.contains("n'a pas de carte dans le livre"),
        "{err}"
    );
}

/// Every page of the built book, print and 404 pages included, by path relative to the
/// book's root.
fn all_pages() -> BTreeMap<String, String> {
    let (out, _) = built();
    let mut pages = BTreeMap::new();
    let mut stack = vec![out.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let rel = path
                    .strip_prefix(out)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                pages.insert(rel, std::fs::read_to_string(&path).expect("html"));
            }
        }
    }
    pages
}

/// `%C3%A9` → `é` in a link's fragment or path (mdBook writes ids with accents).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len() + 1
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// No internal link of the built book leads nowhere: every `href` and `src` to a file of
/// the book names a file that exists, and every `#fragment` an id of that page.
#[test]
fn no_broken_internal_link() {
    let (out, _) = built();
    let pages = all_pages();
    let attr = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).expect("regex");
    let id = regex::Regex::new(r#"\sid="([^"]*)""#).expect("regex");
    let ids: BTreeMap<&str, std::collections::BTreeSet<String>> = pages
        .iter()
        .map(|(p, html)| {
            (
                p.as_str(),
                id.captures_iter(html).map(|c| c[1].to_string()).collect(),
            )
        })
        .collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, html) in &pages {
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        for capture in attr.captures_iter(html) {
            let link = capture[1].replace("&amp;", "&");
            if link.is_empty()
                || link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("data:")
                || link.starts_with("javascript:")
                || link.starts_with("//")
            {
                continue;
            }
            checked += 1;
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(percent_decode(f))),
                None => (link.as_str(), None),
            };
            let path = path.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                page.clone()
            } else {
                let joined = dir.join(percent_decode(path));
                let mut parts: Vec<String> = Vec::new();
                for c in joined.components() {
                    match c {
                        std::path::Component::ParentDir => {
                            parts.pop();
                        }
                        std::path::Component::Normal(n) => parts.push(n.to_string_lossy().into()),
                        _ => {}
                    }
                }
                let mut t = parts.join("/");
                if t.is_empty() || path.ends_with('/') {
                    t = format!("{t}/index.html")
                        .trim_start_matches('/')
                        .to_string();
                }
                t
            };
            if !out.join(&target).is_file() {
                broken.push(format!("{page} → {link} (fichier {target} absent)"));
                continue;
            }
            if let Some(fragment) = fragment
                && !fragment.is_empty()
                && let Some(known) = ids.get(target.as_str())
                && !known.contains(&fragment)
            {
                broken.push(format!(
                    "{page} → {link} (ancre #{fragment} absente de {target})"
                ));
            }
        }
    }
    assert!(checked > 1000, "only {checked} internal links checked");
    assert!(
        broken.is_empty(),
        "{} lien(s) cassé(s) sur {checked} :\n{}",
        broken.len(),
        broken.join("\n")
    );
}

/// The callouts (`> **Attention.** …`) become mdBook's admonition boxes, one kind per lead
/// word, with French titles; none is left as a plain quote with its bold lead.
#[test]
fn callouts_have_french_titles_and_their_own_kind() {
    let pages = pages();
    let all: String = pages.iter().map(|(_, h)| h.as_str()).collect();
    for (kind, title) in [
        ("warning", "Attention"),
        ("tip", "Astuce"),
        ("important", "À retenir"),
        ("note", "Note"),
        ("note course-update", "Mise à jour"),
        ("note course-update", "Correction"),
    ] {
        let marker = format!(
            "<blockquote class=\"blockquote-tag blockquote-tag-{kind}\">\n<p class=\"blockquote-tag-title\">{title}</p>"
        );
        assert!(
            all.contains(&marker),
            "no « {title} » callout of kind {kind}"
        );
    }
    let plain =
        regex::Regex::new(r"<blockquote>\s*<p><strong>(Attention|Astuce|Note|À retenir)[.—]")
            .expect("regex");
    // What mdBook makes of a blockquote left alone (pulldown-cmark's rendering).
    let untouched = pulldown_cmark_like("> **Attention.** Texte");
    assert!(plain.is_match(&untouched), "{untouched}");
    for (page, html) in &pages {
        assert!(
            !plain.is_match(html),
            "{page}: a callout left as a plain quote with its bold lead"
        );
        assert!(
            !html.contains("class=\"blockquote-tag-title\">Warning<"),
            "{page}: English admonition title"
        );
    }
}

/// A blockquote rendered by pulldown-cmark, as mdBook renders Markdown.
fn pulldown_cmark_like(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
    html
}

/// The search index is folded in Rust (checker/src/book.rs) and the query in the reader's
/// browser (templates/book/cours.js): both must give every word the same key, or a search
/// misses. Every distinct word of the book goes through both; Node.js runs the script
/// (the browser tests need it too).
#[test]
fn search_folding_is_the_same_in_rust_and_javascript() {
    let mut words = std::collections::BTreeSet::new();
    let tag = regex::Regex::new(r"<[^>]*>").expect("regex");
    for (_, html) in all_pages() {
        let text = tag.replace_all(&html, " ").into_owned();
        for w in text.split(|c: char| c.is_whitespace() || c == '-') {
            if !w.is_empty() && w.chars().count() <= 80 {
                words.insert(w.to_lowercase());
            }
        }
    }
    assert!(words.len() > 5000, "only {} words", words.len());
    let words: Vec<String> = words.into_iter().collect();
    let script = repo_root().join("templates/book/cours.js");
    // Just enough of a page for the script to load outside a browser.
    let harness = format!(
        r#"
const fs = require("fs");
globalThis.window = globalThis;
globalThis.document = {{ querySelector: () => null, querySelectorAll: () => [], addEventListener: () => {{}} }};
globalThis.addEventListener = () => {{}};
globalThis.location = {{ pathname: "/index.html" }};
globalThis.elasticlunr = {{ Pipeline: {{ registerFunction: () => {{}} }}, Index: {{ load: () => null }} }};
eval(fs.readFileSync({script:?}, "utf8"));
const words = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(words.map((w) => window.coursFrenchFold(w) ?? null)));
"#,
        script = script.display().to_string()
    );
    let mut child = std::process::Command::new("node")
        .arg("-e")
        .arg(&harness)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (Node.js) is installed: the book's browser tests need it too");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(serde_json::to_string(&words).expect("json").as_bytes())
        .expect("write words");
    let output = child.wait_with_output().expect("node runs");
    assert!(output.status.success(), "node failed");
    let js: Vec<Option<String>> = serde_json::from_slice(&output.stdout).expect("json keys");
    let mismatches: Vec<String> = words
        .iter()
        .zip(&js)
        .filter_map(|(w, j)| {
            let rust = checker::book::search::french_fold(w.clone());
            (&rust != j).then(|| format!("{w:?} : Rust {rust:?}, JavaScript {j:?}"))
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} mot(s) sur {} pliés différemment (les 20 premiers) :\n{}",
        mismatches.len(),
        words.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
}
