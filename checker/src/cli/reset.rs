//! `checker reset ID`: runs an exercise's clean-up, shown and confirmed the same way
//! as `checker solve` (see [`super::solve`]), so the exercise can be done again.

use super::Cli;
use super::solve::{Script, ScriptArgs, run_script};
use crate::catalog::Catalog;

pub fn run(cli: &Cli, catalog: &Catalog, args: &ScriptArgs) -> u8 {
    run_script(cli, catalog, args, Script::Cleanup)
}
