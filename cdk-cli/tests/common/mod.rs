//! Shared helpers for the rcdk integration tests.
#![allow(dead_code)]

pub mod lambda_app;
pub mod moto;
pub mod stage_app;

use std::path::{Path, PathBuf};

use cdk_cli::app_exec::Session;
use cdk_cli::cli::Cli;
use clap::Parser;

/// Path of a fixture under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The rcdk binary with an environment that does not leak the developer's settings.
pub fn rcdk(cwd: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("rcdk").expect("rcdk binary");
    cmd.current_dir(cwd);
    for var in [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "CDK_DEFAULT_ACCOUNT",
        "CDK_DEFAULT_REGION",
        "CLICOLOR_FORCE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/aws-config");
    cmd
}

/// Output of an in-process run, with ANSI styles stripped.
pub struct Run {
    /// The exit code (`Ok`) or the error message.
    pub result: Result<u8, String>,
    /// What was written to the data writer.
    pub out: String,
    /// What was written to the diagnostics writer.
    pub err: String,
}

/// Runs rcdk in-process in `cwd` (an empty environment snapshot).
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let cli = Cli::try_parse_from(std::iter::once("rcdk").chain(args.iter().copied()))
        .expect("arguments parse");
    let session = Session::in_dir(cwd);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result =
        cdk_cli::commands::run(&cli, &session, &mut out, &mut err).map_err(|e| e.to_string());
    let strip = |b: Vec<u8>| anstream::adapter::strip_str(&String::from_utf8_lossy(&b)).to_string();
    Run {
        result,
        out: strip(out),
        err: strip(err),
    }
}

/// A temporary single-stack assembly (`CaseStack`) whose template is `template`.
pub fn single_stack_assembly(template: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(template, dir.path().join("CaseStack.template.json")).expect("copy template");
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{
  "version": "55.0.0",
  "artifacts": {
    "CaseStack": {
      "type": "aws:cloudformation:stack",
      "environment": "aws://unknown-account/unknown-region",
      "properties": { "templateFile": "CaseStack.template.json" },
      "displayName": "CaseStack"
    }
  }
}
"#,
    )
    .expect("write manifest");
    dir
}
