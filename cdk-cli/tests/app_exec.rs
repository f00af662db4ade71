//! cdk.json handling, context passing, app execution and failure.

mod common;

use common::{fixture, rcdk, run_in};
use predicates::prelude::*;
use serde_json::Value;

/// A project directory whose app copies `fixture` into $CDK_OUTDIR and records what it got.
fn project(fixture_name: &str, cdk_json: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "set -e\ncp -R '{}'/. \"$CDK_OUTDIR\"/\nprintf '%s' \"$CDK_CONTEXT_JSON\" > context.json\n\
         printf '%s\\n' \"outdir=$CDK_OUTDIR\" \"region=${{CDK_DEFAULT_REGION-unset}}\" \"account=${{CDK_DEFAULT_ACCOUNT-unset}}\" > env.txt\n\
         echo 'app says hello'\n",
        fixture(fixture_name).display()
    );
    std::fs::write(dir.path().join("app.sh"), script).unwrap();
    std::fs::write(dir.path().join("cdk.json"), cdk_json).unwrap();
    dir
}

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn cdk_json_app_runs_and_writes_default_outdir() {
    let p = project("multi-stack", r#"{"app": "sh app.sh"}"#);
    rcdk(p.path())
        .arg("ls")
        .assert()
        .success()
        .stdout("Monitoring\nNetwork\nDatabase\nApi\n")
        .stderr(predicate::str::contains("app says hello"));
    let env = std::fs::read_to_string(p.path().join("env.txt")).unwrap();
    let outdir = p.path().join("cdk.out");
    // The app writes to a fresh directory beside cdk.out, which then replaces cdk.out.
    let given = env
        .lines()
        .find_map(|l| l.strip_prefix("outdir="))
        .expect("outdir recorded");
    assert!(
        given.starts_with(&format!("{}/.cdk.out.rcdk-", p.path().display()))
            && given.ends_with("/cdk.out"),
        "{env}"
    );
    assert!(
        !std::path::Path::new(given).exists(),
        "temporary dir removed"
    );
    assert!(
        env.contains("region=unset") && env.contains("account=unset"),
        "{env}"
    );
    assert!(outdir.join("manifest.json").is_file());
}

#[test]
fn context_precedence_reaches_the_app() {
    let p = project(
        "single",
        r#"{"app": "sh app.sh", "context": {"fromJson": "json", "both": "json", "arg": "json"}}"#,
    );
    std::fs::write(
        p.path().join("cdk.context.json"),
        r#"{"cached": "cached", "both": "cached", "lookup:vpc": {"id": "vpc-1"}}"#,
    )
    .unwrap();
    rcdk(p.path())
        .args(["synth", "-q", "-c", "arg=cli", "--context", "eq=a=b"])
        .assert()
        .success()
        .stdout("");
    let ctx = read_json(&p.path().join("context.json"));
    assert_eq!(ctx["cached"], "cached");
    assert_eq!(ctx["both"], "json", "cdk.json wins over cdk.context.json");
    assert_eq!(ctx["arg"], "cli", "-c wins over cdk.json");
    assert_eq!(ctx["fromJson"], "json");
    assert_eq!(ctx["eq"], "a=b");
    assert_eq!(ctx["lookup:vpc"]["id"], "vpc-1");
}

#[test]
fn output_flag_and_cdk_json_output() {
    let p = project("single", r#"{"app": "sh app.sh", "output": "build/asm"}"#);
    rcdk(p.path()).args(["synth", "-q"]).assert().success();
    assert!(p.path().join("build/asm/manifest.json").is_file());
    rcdk(p.path())
        .args(["synth", "-q", "-o", "other"])
        .assert()
        .success();
    assert!(p.path().join("other/manifest.json").is_file());
}

#[test]
fn region_comes_from_env_or_profile() {
    let p = project("single", r#"{"app": "sh app.sh"}"#);
    rcdk(p.path())
        .args(["synth", "-q"])
        .env("AWS_REGION", "eu-north-1")
        .env("CDK_DEFAULT_ACCOUNT", "123456789012")
        .assert()
        .success();
    let env = std::fs::read_to_string(p.path().join("env.txt")).unwrap();
    assert!(
        env.contains("region=eu-north-1") && env.contains("account=123456789012"),
        "{env}"
    );

    let config = p.path().join("aws-config");
    std::fs::write(&config, "[profile dev]\nregion = ap-southeast-2\n").unwrap();
    rcdk(p.path())
        .args(["synth", "-q", "--profile", "dev"])
        .env("AWS_CONFIG_FILE", &config)
        .assert()
        .success();
    let env = std::fs::read_to_string(p.path().join("env.txt")).unwrap();
    assert!(env.contains("region=ap-southeast-2"), "{env}");
}

#[test]
fn app_failure_shows_stderr_and_exits_nonzero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cdk.json"),
        r#"{"app": "echo 'boom: missing construct' >&2; exit 3"}"#,
    )
    .unwrap();
    rcdk(dir.path())
        .arg("synth")
        .assert()
        .failure()
        .stderr(predicate::str::contains("boom: missing construct"))
        .stderr(predicate::str::contains(
            "the app `echo 'boom: missing construct' >&2; exit 3` failed",
        ));
}

#[test]
fn app_that_writes_nothing_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    rcdk(dir.path())
        .args(["ls", "--app", "true"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "the app `true` exited successfully but wrote no cloud assembly",
        ))
        .stderr(predicate::str::contains("did the app").not());
}

#[test]
fn no_app_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    rcdk(dir.path())
        .arg("ls")
        .assert()
        .failure()
        .stderr(predicate::str::contains("no app to run"));
}

#[test]
fn invalid_cdk_json_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cdk.json"), "{not json").unwrap();
    rcdk(dir.path())
        .arg("ls")
        .assert()
        .failure()
        .stderr(predicate::str::contains("cdk.json"));
}

#[test]
fn bad_context_argument() {
    let r = run_in(&fixture("single"), &["ls", "--app", ".", "-c", "novalue"]);
    assert!(r.result.unwrap_err().contains("novalue"));
}

#[test]
fn app_directory_is_read_without_running() {
    let r = run_in(&fixture("multi-stack"), &["ls", "--app", "."]);
    assert_eq!(r.result, Ok(0));
    assert_eq!(r.out, "Monitoring\nNetwork\nDatabase\nApi\n");
}

#[test]
fn newer_schema_is_refused() {
    rcdk(&fixture("newer-schema"))
        .args(["ls", "--app", "."])
        .assert()
        .failure()
        .stderr(predicate::str::contains("schema version 56.0.0 is newer"))
        .stderr(predicate::str::contains("(55)"));
}
