//! `checker exercise ID`: checks one exercise on the student's host.

use super::connect::{connect_early, context, explain_early, facts, interruptible_then};
use super::output::finish;
use super::{Cli, EXIT_INTERRUPTED, find, parse_timeout, usage};
use crate::catalog::Catalog;
use crate::checks::web::Web;
use crate::report::Run;
use crate::runner::{self, RunOptions};

pub async fn run(cli: &Cli, catalog: &Catalog, id: &str, vars: &[String], timeout: &str) -> u8 {
    // The engine answers its ping while the exercise and the progress are read.
    let connecting = connect_early();
    let Some(entry) = find(catalog, id) else {
        return super::EXIT_USAGE;
    };
    let progress = super::progress::load(cli);
    let resolved = super::progress::resolve(entry, vars, &progress)
        .and_then(|exercise| parse_timeout(timeout).map(|t| (exercise, t)));
    let (exercise, attempt_timeout) = match resolved {
        Ok(pair) => pair,
        Err(message) => return usage(message),
    };
    let web = Web::default();
    if let Some(endpoint) = &connecting.endpoint {
        runner::fetch_early(&web, &exercise, &endpoint.host);
    }
    let connection = match explain_early(cli.single_format(), connecting).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    if cli.records_engine() {
        connection.ask_about_early();
    }
    let ctx = context(&connection).with_web(web);
    let options = RunOptions { attempt_timeout };
    let connected = &connection;
    let report = |result| async move {
        super::progress::record(cli, std::slice::from_ref(&result));
        let run = Run::new(
            facts(connected, cli.records_engine()).await,
            vec![result],
            None,
        );
        finish(cli, &run)
    };
    let work = runner::run_exercise(&ctx, &exercise, options);
    interruptible_then(&connection, work, report)
        .await
        .unwrap_or(EXIT_INTERRUPTED)
}
