//! `checker doctor`: which engine was reached, how it was chosen, and what is wrong
//! when it cannot be reached (the connection module explains the usual failures).

use colored::Colorize;

use super::connect::connect_or_explain;
use super::{Cli, EXIT_OK, Format};
use crate::docker::engine::{self, Plugin};
use crate::docker::{Environment, helper};
use crate::report;

pub async fn run(cli: &Cli) -> u8 {
    let env = Environment::from_process();
    let connection = match connect_or_explain(cli.single_format()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let helpers = helper::count(&connection.docker).await;
    let about = connection.about().await;
    let config_dir = env.config_dir();
    let engine = engine::describe(&connection.docker, &about.version, config_dir.as_deref()).await;
    match cli.single_format() {
        Format::Json => {
            let doc = serde_json::json!({
                "schema_version": report::SCHEMA_VERSION,
                "endpoint": connection.endpoint.host,
                "source": connection.endpoint.source.explain(),
                "tls": connection.endpoint.tls.is_some(),
                "platform": about.platform,
                "engine_version": about.engine_version,
                "api_version": connection.api_version,
                "os": about.os,
                "arch": about.arch,
                "product": engine.product,
                "min_api_version": engine.min_api_version,
                "image_store": engine.image_store,
                "compose": engine.compose,
                "buildx": engine.buildx,
                "leftover_helpers": helpers,
            });
            say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        _ => {
            say!("{} Docker répond.", "✔".green().bold());
            say!("  Point d'accès : {}", connection.endpoint.host);
            say!("  Choisi par    : {}", connection.endpoint.source.explain());
            if connection.endpoint.tls.is_some() {
                say!("  TLS           : oui");
            }
            say!(
                "  Moteur        : {} {} (API {})",
                about.platform,
                about.engine_version,
                connection.api_version
            );
            say!("  Produit       : {}", engine.product);
            if let Some(min) = &engine.min_api_version {
                say!("  API acceptées : {min} à {}", connection.api_version);
            }
            say!("  Système       : {}/{}", about.os, about.arch);
            if let Some(store) = &engine.image_store {
                say!("  Images        : {}", store.describe());
            }
            say!(
                "  Compose       : {}",
                plugin_line(engine.compose.as_ref(), "compose")
            );
            say!(
                "  buildx        : {}",
                plugin_line(engine.buildx.as_ref(), "buildx")
            );
            if let Some(config) = env.config_dir() {
                say!("  Config client : {}", config.display());
            }
            if helpers > 0 {
                say!(
                    "{} {helpers} conteneur(s) d'aide du checker subsiste(nt) (interruption brutale ?) : \
                     `docker rm -f -v $(docker ps -aq --filter label={})`",
                    "!".yellow().bold(),
                    helper::LABEL
                );
            }
        }
    }
    EXIT_OK
}

/// A plugin's version and where it is, or what its absence means for the student.
fn plugin_line(plugin: Option<&Plugin>, name: &str) -> String {
    match plugin {
        Some(Plugin {
            version: Some(v),
            path,
            ..
        }) => format!("{v} ({})", path.display()),
        Some(Plugin { path, .. }) => {
            format!("{} ne répond pas (version inconnue)", path.display())
        }
        None => format!(
            "absent : `docker {name}` ne fonctionnera pas (installez le greffon docker-{name} \
             dans ~/.docker/cli-plugins)"
        ),
    }
}
