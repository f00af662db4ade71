//! `rcdk`: the command-line tool of rcdk, a drop-in for the AWS `cdk` CLI's everyday commands
//! (`synth`, `ls`, `diff`).
//!
//! # Architecture invariants
//! - The CLI never links the user's app or `cdk-core`: it runs the app as a child process
//!   (`sh -c`, see [`app_exec`]) and reads the cloud assembly through its own typed model of
//!   `manifest.json` ([`assembly`]), so it works on any assembly, including aws-cdk-lib's.
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
pub mod yaml;

pub use error::{CliError, Result};
