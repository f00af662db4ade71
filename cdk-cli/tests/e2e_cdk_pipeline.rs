//! The CDK pipeline example (`examples/cdk-pipeline`) with the `rcdk` binary: `rcdk ls` lists
//! the three stacks exactly as the official `cdk ls` does
//! (`tests/reference-apps/cdk-pipeline/official-cdk-ls.txt`), and, against the local endpoint
//! (`../shared/tools/moto-server`), what the pipeline's stages deploy: `rcdk deploy
//! 'PipelineStack/Dev/*'` through this account's bootstrap roles, `'PipelineStack/Prod/*'` by
//! assuming the second account's deploy role, then `rcdk destroy` of each stage's stacks;
//! before them, the asset project's own commands (`rcdk publish-assets ...`) run in the
//! assembly as the pipeline runs them.
//!
//! Without moto installed the end-to-end test prints a skip notice, unless `CI` is set (then it
//! fails).

mod common;

use std::path::Path;

use cdk_cli::aws::sdk::SdkProvider;
use cdk_cli::aws::AwsProvider;
use cdk_core::{App, AppProps};
use common::moto::{
    bootstrap_cross_account, cross_account_home, moto_or_skip, ok, rcdk, ACCOUNT, REGION,
    SECOND_ACCOUNT,
};

const MAIN_ACCOUNT: &str = ACCOUNT;
const PROD_ACCOUNT: &str = SECOND_ACCOUNT;

fn synth(out: &Path, accounts: Option<(&str, &str)>) {
    let app = App::with_props(AppProps {
        outdir: Some(out.to_path_buf()),
        ..Default::default()
    });
    match accounts {
        Some((tools, prod)) => cdk_pipeline_example::build_for(&app, tools, prod),
        None => cdk_pipeline_example::build(&app),
    };
    app.synth().unwrap();
}

#[test]
fn rcdk_ls_lists_the_stacks_the_official_cdk_ls_lists() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("cdk.out");
    synth(&out, None);
    let listed = assert_cmd::Command::cargo_bin("rcdk")
        .unwrap()
        .current_dir(work.path())
        .args(["ls", "--app", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(listed.status.success(), "{listed:?}");
    let official = std::fs::read_to_string(
        rcdk_tests::repo_root().join("tests/reference-apps/cdk-pipeline/official-cdk-ls.txt"),
    )
    .unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout), official);
}

#[test]
fn the_stages_deploy_per_account_and_destroy() {
    let Some(moto) = moto_or_skip("end-to-end test of the CDK pipeline example against moto")
    else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    // A profile acting in the prod account by assuming a role there, to bootstrap it.
    cross_account_home(&moto, work.path(), "prod", PROD_ACCOUNT);
    let cwd = work.path();
    let out = cwd.join("cdk.out");
    synth(&out, Some((MAIN_ACCOUNT, PROD_ACCOUNT)));
    let app = out.to_str().unwrap();

    // The README's bootstrap: the tools account, and the prod account trusting it.
    bootstrap_cross_account(cwd, "prod", PROD_ACCOUNT);
    let provider = SdkProvider::new(None).unwrap();
    let main = provider.clients(REGION, None).unwrap();
    let prod = provider
        .clients(
            REGION,
            Some(&format!(
                "arn:aws:iam::{PROD_ACCOUNT}:role/cdk-hnb659fds-deploy-role-{PROD_ACCOUNT}-{REGION}"
            )),
        )
        .unwrap();
    let exists = |clients: &cdk_cli::aws::Clients, name: &str| {
        clients
            .cloudformation
            .describe_stack(name)
            .unwrap()
            .is_some()
    };

    // What the pipeline's asset action runs, where it runs it (its input is the assembly):
    // the commands of the `Pipeline/Assets/FileAsset1` project publish the Lambda code to
    // both accounts' asset buckets, the prod one through its file-publishing role.
    let template = rcdk_tests::read_json(&out.join("PipelineStack.template.json"));
    let spec: serde_json::Value = serde_json::from_str(
        template["Resources"]["PipelineAssetsFileAsset185A67CB4"]["Properties"]["Source"]
            ["BuildSpec"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let commands = spec["phases"]["build"]["commands"].as_array().unwrap();
    assert_eq!(commands.len(), 2, "{commands:?}");
    for command in commands {
        let words: Vec<String> = command
            .as_str()
            .unwrap()
            .split_whitespace()
            .map(|w| w.trim_matches('"').to_string())
            .collect();
        assert_eq!(words[0], "rcdk", "{command}");
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let r = ok(rcdk(&out, &args));
        assert!(r.err.contains("1 object(s) uploaded"), "{}", r.err);
        assert!(!r.err.contains("warning: cannot assume"), "{}", r.err);
    }

    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            app,
            "PipelineStack/Dev/*",
            "--require-approval",
            "never",
        ],
    ));
    assert!(
        r.err.contains("PipelineStack/Dev/Application: deploying"),
        "{}",
        r.err
    );
    assert!(!r.err.contains("warning: cannot assume"), "{}", r.err);
    assert!(exists(&main, "dev-Application"));
    assert!(!exists(&main, "PipelineStack") && !exists(&main, "prod-Application"));

    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            app,
            "PipelineStack/Prod/*",
            "--require-approval",
            "never",
        ],
    ));
    assert!(!r.err.contains("warning: cannot assume"), "{}", r.err);
    assert!(exists(&prod, "prod-Application"));
    assert!(!exists(&main, "prod-Application"));

    ok(rcdk(
        cwd,
        &["destroy", "--app", app, "PipelineStack/Dev/*", "--force"],
    ));
    assert!(!exists(&main, "dev-Application"));
    assert!(exists(&prod, "prod-Application"));
    ok(rcdk(
        cwd,
        &["destroy", "--app", app, "PipelineStack/Prod/*", "--force"],
    ));
    assert!(!exists(&prod, "prod-Application"));
}
