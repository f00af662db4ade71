//! `rcdk completions SHELL`: prints a shell completion script.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::{generate, shells};

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::error::Result;

/// The `completions` command.
pub struct Completions<'a> {
    /// Its arguments.
    pub args: &'a CompletionsArgs,
}

impl Completions<'_> {
    /// Writes the completion script for the chosen shell to `out`.
    pub fn run(&self, out: &mut dyn Write) -> Result<u8> {
        let mut cmd = Cli::command();
        let mut buf = Vec::new();
        match self.args.shell {
            Shell::Bash => generate(shells::Bash, &mut cmd, "rcdk", &mut buf),
            Shell::Zsh => generate(shells::Zsh, &mut cmd, "rcdk", &mut buf),
            Shell::Fish => generate(shells::Fish, &mut cmd, "rcdk", &mut buf),
        }
        out.write_all(&buf)?;
        Ok(0)
    }
}
