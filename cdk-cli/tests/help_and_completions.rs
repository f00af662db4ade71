//! Every command and flag has help text; completions are generated for bash, zsh and fish.

mod common;

use cdk_cli::cli::Cli;
use clap::CommandFactory;
use common::rcdk;
use predicates::prelude::*;

#[test]
fn every_command_and_flag_has_help() {
    fn check(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        if cmd.get_about().is_none() && path != "rcdk" {
            missing.push(path.to_string());
        }
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id != "help" && id != "version" && arg.get_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            check(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    check(&Cli::command(), "rcdk", &mut missing);
    assert!(missing.is_empty(), "no help text: {missing:?}");
    Cli::command().debug_assert();
}

#[test]
fn help_lists_commands() {
    let dir = tempfile::tempdir().unwrap();
    rcdk(dir.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("synth").and(predicate::str::contains("completions")));
    rcdk(dir.path())
        .args(["diff", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--template").and(predicate::str::contains("--from")));
}

#[test]
fn every_commands_help_lists_global_options_apart() {
    let dir = tempfile::tempdir().unwrap();
    for command in [
        "synth",
        "ls",
        "diff",
        "deploy",
        "destroy",
        "bootstrap",
        "context",
    ] {
        let out = rcdk(dir.path())
            .args([command, "--help"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        let global = text
            .find("Global options:")
            .unwrap_or_else(|| panic!("{command}: no global options section:\n{text}"));
        let profile = text.find("--profile").unwrap();
        assert!(
            profile > global,
            "{command}: --profile is not under Global options"
        );
        if let Some(options) = text.find("\nOptions:") {
            assert!(options < global, "{command}: command options come first");
        }
    }
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_rcdk()"),
        ("zsh", "#compdef rcdk"),
        ("fish", "complete -c rcdk"),
    ] {
        rcdk(dir.path())
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("synth")));
    }
    rcdk(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .failure();
}
