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

/// The sections of a help text, in order: `(heading, flags listed under it)`.
fn sections(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            out.push((line.trim_end_matches(':').to_string(), Vec::new()));
        } else if line.starts_with("  ") && !line.starts_with("          ") {
            // An option's first line: `  -a, --app <DIR>  help` or `      --profile <NAME>`.
            let flag = line
                .split_whitespace()
                .map(|w| w.trim_end_matches(','))
                .take_while(|w| w.starts_with('-'))
                .find(|w| w.starts_with("--"));
            if let (Some((_, flags)), Some(flag)) = (out.last_mut(), flag) {
                flags.push(flag.split(['<', '[', '.', '=']).next().unwrap().to_string());
            }
        }
    }
    out
}

/// One layout for `rcdk --help` and every command's `--help` and `-h`: the command's own
/// options first (one line each, no long form), then "Global options" with exactly the options
/// every command accepts (including --help and --version), nothing global among the others.
#[test]
fn every_commands_help_has_one_layout_with_global_options_apart() {
    let dir = tempfile::tempdir().unwrap();
    let global: Vec<String> = Cli::command()
        .get_arguments()
        .filter(|a| a.is_global_set())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    assert!(global.contains(&"--help".to_string()) && global.contains(&"--version".to_string()));
    let mut commands: Vec<Vec<String>> = vec![Vec::new()];
    commands.extend(
        Cli::command()
            .get_subcommands()
            .map(|c| vec![c.get_name().to_string()]),
    );
    assert!(commands.len() >= 12, "{commands:?}");
    for command in commands {
        for flag in ["--help", "-h"] {
            let mut args = command.clone();
            args.push(flag.into());
            let out = rcdk(dir.path()).args(&args).assert().success();
            let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
            let name = format!("rcdk {} {flag}", command.join(" "));
            assert!(
                !text.contains("see a summary with"),
                "{name}: the long layout:\n{text}"
            );
            let sections = sections(&text);
            let headings: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
            assert_eq!(
                headings.last(),
                Some(&"Global options"),
                "{name}: global options come last:\n{text}"
            );
            for (heading, flags) in &sections {
                if heading == "Global options" {
                    assert_eq!(flags, &global, "{name}: the global options:\n{text}");
                } else {
                    let misplaced: Vec<&String> =
                        flags.iter().filter(|f| global.contains(f)).collect();
                    assert!(
                        misplaced.is_empty(),
                        "{name}: {misplaced:?} under {heading}:\n{text}"
                    );
                }
            }
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
