//! The exercise format: strict validation with file:line:column, variables, and the
//! embedded catalogue itself.

use std::collections::BTreeMap;

use checker::catalog::Catalog;
use checker::checks::Kind;

const GOOD: &str = r#"id: "9.1"
chapter: 9
title: Un exercice
objective: Faire une chose.
variables:
  user:
    default: eleve
    description: Identifiant Docker Hub
checks:
  - id: tag
    title: L'image `${user}/app:1.0` existe
    image:
      ref: ${user}/app:1.0
  - id: page
    title: La page répond
    http:
      url: http://localhost:8080/
      body_matches: "Welcome|Bienvenue"
    retry: { timeout: 2s, interval: 100ms }
solution: docker tag app:1.0 ${user}/app:1.0
"#;

fn load(files: &[(&str, &str)]) -> Result<Catalog, String> {
    Catalog::from_texts(
        files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
    )
    .map_err(|e| e.to_string())
}

#[test]
fn a_good_file_loads_with_its_kinds_and_retry() {
    let catalog = load(&[("9.1.yaml", GOOD)]).expect("valid");
    let entry = catalog.get("9.1").expect("present");
    assert_eq!(entry.exercise.points, 10, "default points");
    assert!(matches!(entry.exercise.checks[0].kind, Kind::Image(_)));
    let retry = entry.exercise.checks[1].retry.expect("retry");
    assert_eq!(retry.timeout.as_millis(), 2000);
    assert_eq!(retry.interval.as_millis(), 100);
}

#[test]
fn variables_take_defaults_and_overrides() {
    let catalog = load(&[("9.1.yaml", GOOD)]).expect("valid");
    let entry = catalog.get("9.1").expect("present");
    let default = entry.resolve(&BTreeMap::new()).expect("resolves");
    assert_eq!(default.checks[0].title, "L'image `eleve/app:1.0` existe");
    let Kind::Image(image) = &default.checks[0].kind else {
        panic!("image kind")
    };
    assert_eq!(image.reference, "eleve/app:1.0");
    let overrides = BTreeMap::from([("user".to_string(), "alice".to_string())]);
    let alice = entry.resolve(&overrides).expect("resolves");
    assert_eq!(
        alice.solution.as_deref(),
        Some("docker tag app:1.0 alice/app:1.0")
    );
    let unknown = BTreeMap::from([("usr".to_string(), "x".to_string())]);
    let message = entry.resolve(&unknown).expect_err("undeclared");
    assert!(
        message.contains("ne déclare pas la variable « usr »"),
        "{message}"
    );
}

#[test]
fn unknown_key_is_located() {
    let text = GOOD.replace("    image:\n      ref:", "    image:\n      reff:");
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(message.starts_with("9.1.yaml:13:7 "), "{message}");
    assert!(message.contains("clé inconnue `reff`"), "{message}");
}

#[test]
fn malformed_yaml_is_located() {
    let text = GOOD.replace("title: Un exercice", "title: [Un exercice");
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(message.starts_with("9.1.yaml:"), "{message}");
    assert!(message.contains("YAML invalide"), "{message}");
}

#[test]
fn duplicate_check_ids_point_at_the_second() {
    let text = GOOD.replace("  - id: page", "  - id: tag");
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(message.contains("9.1.yaml:14:5"), "{message}");
    assert!(
        message.contains("id de vérification « tag » en double"),
        "{message}"
    );
}

#[test]
fn a_check_needs_exactly_one_kind() {
    let two = GOOD.replace(
        "    image:\n      ref: ${user}/app:1.0\n",
        "    image:\n      ref: ${user}/app:1.0\n    volume:\n      name: data\n",
    );
    let message = load(&[("9.1.yaml", &two)]).expect_err("invalid");
    assert!(message.contains("exactement une sorte"), "{message}");
    assert!(message.contains("trouvé : image, volume"), "{message}");
    let none = GOOD.replace("    image:\n      ref: ${user}/app:1.0\n", "");
    let message = load(&[("9.1.yaml", &none)]).expect_err("invalid");
    assert!(message.contains("trouvé : aucune"), "{message}");
}

#[test]
fn bad_values_are_reported_with_the_check() {
    let text = GOOD.replace("Welcome|Bienvenue", "Welcome(");
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(
        message.contains("vérification « page » : expression régulière `body_matches` invalide"),
        "{message}"
    );
    let text = GOOD.replace("timeout: 2s", "timeout: deux");
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(message.contains("durée invalide « deux »"), "{message}");
}

#[test]
fn catalogue_rules() {
    let text = GOOD.replace("id: \"9.1\"", "id: \"8.1\"");
    let message = load(&[("8.1.yaml", &text)]).expect_err("invalid");
    assert!(
        message.contains("chapter 9 ne correspond pas à l'id 8.1"),
        "{message}"
    );

    let text = GOOD.replace("objective:", "prerequisites: [\"1.9\"]\nobjective:");
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(
        message.contains("prérequis inconnu : l'exercice 1.9 n'existe pas"),
        "{message}"
    );

    let text = GOOD.replace("ref: ${user}/app:1.0", "ref: ${utilisateur}/app:1.0");
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(
        message.contains("variable « utilisateur » utilisée mais non déclarée"),
        "{message}"
    );

    let message = load(&[("a.yaml", GOOD), ("b.yaml", GOOD)]).expect_err("invalid");
    assert!(
        message.contains("l'exercice 9.1 est déjà défini dans a.yaml"),
        "{message}"
    );

    let text = GOOD.replace(
        &GOOD[GOOD.find("checks:").expect("checks")..GOOD.find("solution:").expect("solution")],
        "checks: []\n",
    );
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(message.contains("n'a aucune vérification"), "{message}");
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let text = GOOD
        .replace("Welcome|Bienvenue", "Welcome(")
        .replace("  - id: page", "  - id: Page");
    let message = load(&[("9.1.yaml", &text)]).expect_err("invalid");
    assert!(message.lines().count() >= 2, "{message}");
}

#[test]
fn the_embedded_catalogue_is_valid_and_ordered() {
    let catalog = Catalog::embedded().expect("the shipped catalogue is valid");
    let ids: Vec<&str> = catalog
        .entries()
        .iter()
        .map(|e| e.exercise.id.as_str())
        .collect();
    for id in [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let mut sorted = ids.clone();
    sorted.sort_by_key(|id| checker::catalog::id_key(id));
    assert_eq!(ids, sorted);
    for entry in catalog.entries() {
        let x = &entry.exercise;
        assert!(x.solution.is_some(), "{} has a solution", x.id);
        // Nothing to clean is said by leaving `cleanup` out (never a no-op `true`), and
        // then the card still says what comes next.
        match &x.cleanup {
            Some(cleanup) => assert_ne!(cleanup.trim(), "true", "{}: an empty clean-up", x.id),
            None => assert!(x.next.is_some(), "{} says what comes next", x.id),
        }
        for check in &x.checks {
            assert!(check.hint.is_some(), "{}/{} has a hint", x.id, check.id);
        }
    }
}

/// `checker exercise ID` reads the one file named after the exercise: every shipped
/// exercise must be found that way, and be the same exercise the whole catalogue holds.
#[test]
fn every_embedded_exercise_is_found_by_its_file_name() {
    let catalog = Catalog::embedded().expect("valid");
    for entry in catalog.entries() {
        let id = &entry.exercise.id;
        let only = Catalog::embedded_exercise(id)
            .unwrap_or_else(|| panic!("{}: the file is not named {id}.yaml", entry.file))
            .expect("valid");
        assert_eq!(only.entries().len(), 1);
        assert_eq!(only.entries()[0].file, entry.file);
        assert_eq!(&only.entries()[0].exercise.id, id);
    }
    assert!(Catalog::embedded_exercise("9.99").is_none());
}

#[test]
fn unknown_ids_get_suggestions() {
    let catalog = Catalog::embedded().expect("valid");
    let suggestions = catalog.suggest("2.8");
    assert!(
        suggestions.iter().any(|s| s.starts_with("2.")),
        "{suggestions:?}"
    );
    assert!(catalog.suggest("21").contains(&"2.1".to_string()));
}

#[test]
fn variables_reach_keys_and_urls_and_leave_shell_variables_alone() {
    let text = r#"id: "9.2"
chapter: 9
title: Variables partout
objective: Tester.
variables:
  port:
    default: "8080"
checks:
  - id: port
    title: Le port ${port} est publié
    container:
      name: web
      ports: { "${port}": 80/tcp }
  - id: page
    title: La page répond
    http:
      url: http://localhost:${port}/
solution: docker run -d --name web -p ${port}:80 -v ${HOME}/site:/usr/share/nginx/html nginx
"#;
    let catalog = load(&[("9.2.yaml", text)]).expect("valid: ${HOME} belongs to the shell");
    let entry = catalog.get("9.2").expect("present");
    let overrides = BTreeMap::from([("port".to_string(), "9090".to_string())]);
    let exercise = entry.resolve(&overrides).expect("resolves");
    let Kind::Container(container) = &exercise.checks[0].kind else {
        panic!("container")
    };
    assert_eq!(
        container.ports.get("9090").map(String::as_str),
        Some("80/tcp")
    );
    let Kind::Http(http) = &exercise.checks[1].kind else {
        panic!("http")
    };
    assert_eq!(http.url, "http://localhost:9090/");
    assert!(
        exercise
            .solution
            .as_deref()
            .unwrap_or_default()
            .contains("${HOME}/site")
    );
}
