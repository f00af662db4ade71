//! `rcdk init app|lib`: the new project builds, synthesizes with `rcdk synth` and passes its own
//! `cargo test` (offline, with the workspace's lock file, in a target directory of its own under
//! the workspace's `target/`); a directory with files is refused and left as it was.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::rcdk;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", workspace().join("target/init-projects"))
        .output()
        .unwrap()
}

fn new_project(parent: &Path, name: &str, template: &str) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".keep"), "").unwrap(); // hidden files are allowed
    rcdk(&dir)
        .args(["init", template, "--language", "rust"])
        .assert()
        .success();
    // The same dependency versions as the workspace (and no registry look-ups).
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

#[test]
fn a_new_app_synthesizes_and_passes_its_tests() {
    let work = tempfile::tempdir().unwrap();
    let dir = new_project(work.path(), "hello-rcdk", "app");
    for file in [
        "Cargo.toml",
        "cdk.json",
        "src/main.rs",
        "src/lib.rs",
        "tests/hello_rcdk.rs",
        "README.md",
        ".gitignore",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let cdk_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cdk.json")).unwrap()).unwrap();
    assert_eq!(cdk_json["app"], "cargo run -q");
    assert_eq!(cdk_json["context"]["@aws-cdk/core:checkSecretUsage"], true);
    let cargo_toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(cargo_toml.contains("cdk-core = { path = "), "{cargo_toml}");
    assert!(
        cargo_toml.contains("[dev-dependencies]\ncdk-assertions = { path = "),
        "{cargo_toml}"
    );
    let test_source = std::fs::read_to_string(dir.join("tests/hello_rcdk.rs")).unwrap();
    assert!(
        test_source.contains("Template::from_stack(&stack)"),
        "{test_source}"
    );

    rcdk(&dir)
        .args(["synth", "-q"])
        .env("CARGO_TARGET_DIR", workspace().join("target/init-projects"))
        .env("CARGO_NET_OFFLINE", "true")
        .timeout(std::time::Duration::from_secs(900))
        .assert()
        .success();
    let template =
        std::fs::read_to_string(dir.join("cdk.out/HelloRcdkStack.template.json")).unwrap();
    assert!(template.contains("AWS::S3::Bucket"), "{template}");
    let test = cargo(&dir, &["test", "--offline", "-q"]);
    assert!(
        test.status.success(),
        "{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(String::from_utf8_lossy(&test.stdout).contains("1 passed"));
}

#[test]
fn a_new_library_passes_its_tests() {
    let work = tempfile::tempdir().unwrap();
    let dir = new_project(work.path(), "storage-lib", "lib");
    assert!(!dir.join("cdk.json").exists());
    let test = cargo(&dir, &["test", "--offline", "-q"]);
    assert!(
        test.status.success(),
        "{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(String::from_utf8_lossy(&test.stdout).contains("1 passed"));
}

#[test]
fn a_directory_with_files_is_refused_and_left_alone() {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("notes.txt"), "mine").unwrap();
    rcdk(work.path())
        .args(["init", "app"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("needs an empty directory"));
    let names: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
    rcdk(work.path())
        .args(["init", "app", "--language", "typescript"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("Rust projects"));
}
