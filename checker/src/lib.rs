//! `checker` verifies the exercises of a French Docker course against the student's live
//! Docker host.
//!
//! Data flows one way: the YAML files of the [`catalog`] become validated
//! [`catalog::Exercise`] values; the [`runner`] runs their [`checks`] concurrently
//! against the engine reached through [`docker`]; the [`outcome`]s become a
//! [`report`]. The [`cli`] wires these together for people and CI, and [`book`]
//! renders the same exercises as cards in the course book.
//!
//! Where things are:
//! - [`catalog`]: finding, parsing (the only YAML code) and validating exercise files;
//! - [`checks`]: the table of check kinds (`check_kinds!`), one file per kind, and
//!   [`checks::common`] for what several kinds share;
//! - [`docker`]: reaching the engine like the CLI does, [`docker::snapshot`] (each
//!   object read once per look), [`docker::helper`] (the only containers the checker
//!   makes) and [`docker::own_traffic`] (so that no check counts the checker's own
//!   requests and execs);
//! - [`reference`](mod@reference): image references, for every module that names an image;
//! - [`lint`]: the Dockerfile parser and rules (the `dockerfile` kind and `checker lint`);
//! - [`runner`] → [`outcome`] → [`report`] (one file per format);
//! - [`untrusted`]: text from the host is shown, never obeyed;
//! - [`units`]: durations and sizes, and their serde readers;
//! - [`cli`]: one file per command.

pub mod book;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod docker;
pub mod lint;
pub mod markdown;
pub mod outcome;
pub mod progress;
pub mod reference;
pub mod report;
pub mod runner;
pub mod script;
pub mod serve;
pub mod units;
pub mod untrusted;
