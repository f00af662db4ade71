//! The README's first lines give the main and test commands, and CI runs exactly those.

use rcdk_tests::repo_root;

fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README starts with a ```sh block");
    block
        .lines()
        .map(|l| l.split(" # ").next().unwrap_or(l).trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn readme_opens_with_the_main_and_test_commands() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let first_lines: Vec<&str> = readme.lines().take(5).collect();
    assert_eq!(
        first_lines[2], "```sh",
        "the command block comes first: {first_lines:?}"
    );
    let commands = readme_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(
        commands[0].contains("cargo run"),
        "main job: {}",
        commands[0]
    );
    assert!(
        commands[1].contains("cargo test --workspace"),
        "tests: {}",
        commands[1]
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = std::fs::read_to_string(repo_root().join(".ci/run")).expect(".ci/run");
    let commands = readme_commands();
    assert!(
        ci.lines().any(|l| l.trim() == commands[1]),
        ".ci/run must run `{}`",
        commands[1]
    );
    let main_program = commands[0].trim_start_matches("cargo run ");
    assert!(
        ci.contains(main_program),
        ".ci/run must run the main job `{}`",
        commands[0]
    );
}
