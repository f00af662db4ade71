//! Bootstrap parity against the local endpoint (moto): rcdk writes the cdk CLI's own bootstrap
//! stack, so each CLI finds the other's stack up to date (`(no changes)`), a newer deployed
//! version is not downgraded (a warning, no suggestion to rerun the failing command), and a
//! custom `--template` is deployed.
//!
//! The official CLI (npm `aws-cdk@2.1148.1`) is taken from `RCDK_CDK_CLI`, else
//! `target/npm-partners/node_modules/.bin/cdk` (what `.ci/run` installs); without it only the
//! rcdk half runs (on CI it is required).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::moto::{moto_or_skip, point_at, REGION};

const ACCOUNT: &str = "123456789012";

fn cdk_cli() -> Option<PathBuf> {
    let path = std::env::var_os("RCDK_CDK_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target/npm-partners/node_modules/.bin/cdk")
        });
    path.is_file().then_some(path)
}

fn run(cmd: &mut assert_cmd::Command, label: &str) -> (i32, String) {
    let out = cmd.timeout(Duration::from_secs(180)).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("$ {label}\n[exit {:?}]\n{text}", out.status.code());
    (out.status.code().unwrap_or(-1), text)
}

fn rcdk(cwd: &Path, args: &[&str]) -> (i32, String) {
    let mut cmd = assert_cmd::Command::cargo_bin("rcdk").unwrap();
    cmd.current_dir(cwd).args(args);
    run(&mut cmd, &format!("rcdk {}", args.join(" ")))
}

fn cdk(cli: &Path, cwd: &Path, home: &Path, args: &[&str]) -> (i32, String) {
    let mut cmd = assert_cmd::Command::new(cli);
    cmd.current_dir(cwd)
        .args(args)
        .args(["--no-notices"])
        .env("CDK_HOME", home.join("cdk-home"))
        .env("CDK_DISABLE_VERSION_CHECK", "1");
    run(&mut cmd, &format!("cdk {}", args.join(" ")))
}

#[test]
fn either_cli_finds_the_others_bootstrap_stack_up_to_date() {
    let Some(moto) = moto_or_skip("bootstrap parity against moto") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    point_at(&moto, &home);
    let cwd = work.path();
    let env = format!("aws://{ACCOUNT}/{REGION}");

    // rcdk first.
    let (code, out) = rcdk(cwd, &["bootstrap", &env]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("bootstrapped."), "{out}");
    assert!(out.contains("Using default execution policy"), "{out}");

    let cli = cdk_cli();
    if let Some(cli) = &cli {
        let (code, out) = cdk(cli, cwd, &home, &["bootstrap", &env]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("bootstrapped (no changes)"), "{out}");
        // cdk first, on another stack and qualifier; rcdk keeps the qualifier it finds.
        let (code, out) = cdk(
            cli,
            cwd,
            &home,
            &[
                "bootstrap",
                &env,
                "--toolkit-stack-name",
                "CdkFirst",
                "--qualifier",
                "cdkfirst",
            ],
        );
        assert_eq!(code, 0, "{out}");
        let (code, out) = rcdk(
            cwd,
            &["bootstrap", &env, "--toolkit-stack-name", "CdkFirst"],
        );
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("bootstrapped (no changes)"), "{out}");
    } else if std::env::var_os("CI").is_some() {
        panic!("CI is set but the official cdk CLI is not installed (target/npm-partners)");
    } else {
        eprintln!("SKIPPED: the cdk CLI half (npm aws-cdk@2.1148.1 not installed)");
    }

    // A newer version (a custom template of the same variant) is not downgraded.
    let (_, yaml) = rcdk(cwd, &["bootstrap", "--show-template"]);
    let newer = yaml.replace("Value: '33'", "Value: '99'");
    assert_ne!(newer, yaml);
    std::fs::write(cwd.join("newer.yaml"), newer).unwrap();
    let (code, out) = rcdk(cwd, &["bootstrap", &env, "--template", "newer.yaml"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = rcdk(cwd, &["bootstrap", &env]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Bootstrap stack already at version 99. Not downgrading it to version 33 (use --force if you intend to downgrade)"),
        "{out}"
    );
    assert!(!out.contains("run `rcdk bootstrap"), "{out}");
    assert!(out.contains("bootstrapped (no changes)"), "{out}");
}
