//! `checker` verifies the exercises of a French Docker course against the student's live
//! Docker host.
//!
//! Data flows one way: the YAML files of the [`catalog`] become validated
//! [`catalog::Exercise`] values; the [`runner`] runs their [`checks`] concurrently
//! against the engine reached through [`docker`]; the [`outcome`]s become a
//! [`report`]. The [`cli`] wires these together for people and CI, and [`book`]
//! renders the same exercises as cards in the course book.

pub mod book;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod docker;
pub mod dockerfile;
pub mod markdown;
pub mod outcome;
pub mod reference;
pub mod report;
pub mod runner;
pub mod units;
pub mod untrusted;
