//! `rcdk`: the command-line tool of rcdk, a drop-in for the AWS `cdk` CLI's everyday commands
//! (`synth`, `ls`, `diff`, `bootstrap`, `deploy`, `destroy`).
//!
//! # Architecture invariants
//! - The CLI never links the user's app: it runs the app as a child process (`sh -c`, see
//!   [`app_exec`]) and reads the cloud assembly through its own typed model of `manifest.json`
//!   ([`assembly`]), so it works on any assembly, including aws-cdk-lib's. From `cdk-core` it
//!   uses only library functions (the deterministic zip packaging of directory assets).
//! - [`aws`] is the only module that talks to AWS (official SDK, behind small synchronous
//!   traits); [`deploy`] and the commands see only those traits, so tests script them.
//! - Each command is a struct in [`commands`] with a `run` that takes its writers, so output is
//!   testable in-process; `main.rs` only parses, wires stdout/stderr and maps errors.
//! - The diff engine ([`diff::engine`]) computes structured changes; formatting
//!   ([`diff::format`]) is separate, so `deploy` can reuse the engine.
//! - `ls` reads the manifest only; templates are read on demand.
//! - Library errors are one enum, [`error::CliError`]; `anyhow` is used only in `main.rs`.

#![warn(missing_docs)]

pub mod app_exec;
pub mod assembly;
pub mod aws;
pub mod bootstrap;
pub mod cli;
pub mod commands;
pub mod context;
pub mod deploy;
pub mod diff;
pub mod error;
pub mod lookups;
pub mod watch;
pub mod yaml;

pub use error::{CliError, Result};
