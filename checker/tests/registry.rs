//! The `registry` check against a real local registry (Debian's `docker-registry`, which
//! the test rig starts on port 5000). This test starts nothing and pushes nothing: when
//! no registry answers on `localhost:5000` it says so and passes, so it can run anywhere.

use std::path::PathBuf;
use std::time::Duration;

use checker::checks::registry::RegistryCheck;
use checker::checks::{Context, Verify};
use checker::outcome::Status;

/// Whether a registry answers `GET /v2/` (200, or 401 when it wants credentials).
async fn local_registry_answers() -> bool {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    match client.get("http://localhost:5000/v2/").send().await {
        Ok(response) => {
            response
                .headers()
                .contains_key("docker-distribution-api-version")
                || response.status().is_success()
        }
        Err(_) => false,
    }
}

fn context() -> Context {
    // The registry check never talks to the engine: a client that is never used is enough.
    let docker =
        bollard::Docker::connect_with_http("http://127.0.0.1:9", 1, bollard::API_DEFAULT_VERSION)
            .expect("docker client");
    Context::new(docker, PathBuf::from("."))
}

#[tokio::test]
async fn missing_tag_on_local_registry_fails() {
    if !local_registry_answers().await {
        eprintln!("aucun registre sur localhost:5000 : test ignoré");
        return;
    }
    let ctx = context();
    let check = RegistryCheck {
        image: "localhost:5000/checker-test/jamais-pousse:absent".to_string(),
        same_as_local: None,
    };
    assert!(check.problems().is_empty());
    let outcome = check.verify(&ctx).await;
    assert_eq!(outcome.status, Status::Fail, "{outcome:?}");
    let found = outcome.found.unwrap_or_default();
    assert!(
        found.contains("n'existe pas") || found.contains("est absent du dépôt"),
        "{found}"
    );
    assert!(outcome.expected.unwrap_or_default().contains("`absent`"));
}
