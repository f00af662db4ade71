//! Stages end to end against the local endpoint (`../shared/tools/moto-server`): the stage app
//! of `common::stage_app` (a `PipelineStack` with stages `Dev` in this account and `Prod` in a
//! second one) synthesized with cdk-core and deployed with the `rcdk` binary: `rcdk deploy
//! 'PipelineStack/Dev/*'` through this account's bootstrap roles, `'PipelineStack/Prod/*'` by
//! assuming the second account's deploy role, an update of one stage stack, and `rcdk destroy`
//! of each stage's stacks.
//!
//! Without moto installed the test prints a skip notice, unless `CI` is set (then it fails).

mod common;

use std::time::{Duration, Instant};

use cdk_cli::assembly::Assembly;
use cdk_cli::aws::sdk::SdkProvider;
use cdk_cli::aws::AwsProvider;
use common::moto::{
    bootstrap_cross_account, cross_account_home, moto_or_skip, ok, rcdk, ACCOUNT, REGION,
    SECOND_ACCOUNT,
};
use common::stage_app;

const MAIN_ACCOUNT: &str = ACCOUNT;
const PROD_ACCOUNT: &str = SECOND_ACCOUNT;
fn role_arn(account: &str, kind: &str) -> String {
    format!("arn:aws:iam::{account}:role/cdk-hnb659fds-{kind}-{account}-{REGION}")
}

/// Position of `needle` in `haystack`, failing with the whole text when absent.
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in:\n{haystack}"))
}

#[test]
fn stage_stacks_deploy_per_account_update_and_destroy() {
    let started = Instant::now();
    let Some(moto) = moto_or_skip("end-to-end test of stages against moto") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    // A profile acting in the prod account by assuming a role there, to bootstrap it.
    cross_account_home(&moto, work.path(), "prod", PROD_ACCOUNT);
    let cwd = work.path();
    let (v1, v2) = (cwd.join("v1.out"), cwd.join("v2.out"));
    stage_app::synth(cwd, &v1, MAIN_ACCOUNT, PROD_ACCOUNT, "v1");
    stage_app::synth(cwd, &v2, MAIN_ACCOUNT, PROD_ACCOUNT, "v2");
    let (v1s, v2s) = (v1.to_str().unwrap(), v2.to_str().unwrap());

    // Bootstrap both accounts; prod trusts this one.
    bootstrap_cross_account(cwd, "prod", PROD_ACCOUNT);

    let provider = SdkProvider::new(None).unwrap();
    let main = provider.clients(REGION, None).unwrap();
    let prod = provider
        .clients(REGION, Some(&role_arn(PROD_ACCOUNT, "deploy-role")))
        .unwrap();
    let exists = |clients: &cdk_cli::aws::Clients, name: &str| {
        clients
            .cloudformation
            .describe_stack(name)
            .unwrap()
            .is_some()
    };

    // The dev stage: its two stacks, Application first (Consumer imports its topic), through
    // this account's bootstrap roles; nothing outside the stage.
    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v1s,
            "PipelineStack/Dev/*",
            "--require-approval",
            "never",
        ],
    ));
    let application = at(&r.err, "PipelineStack/Dev/Application: deploying");
    let consumer = at(&r.err, "PipelineStack/Dev/Consumer: deploying");
    assert!(application < consumer, "dependency order:\n{}", r.err);
    at(&r.err, "PipelineStack/Dev/Application: published asset");
    assert!(!r.err.contains("warning: cannot assume"), "{}", r.err);
    at(&r.out, "dev-Consumer.TopicParameter = /rcdk-e2e/dev/topic");
    assert!(exists(&main, "dev-Application") && exists(&main, "dev-Consumer"));
    assert!(!exists(&main, "PipelineStack") && !exists(&main, "prod-Application"));
    // The asset went to this account's asset bucket, under the key the stage's manifest names.
    let assembly = Assembly::load(&v1).unwrap();
    let code_key = |stage: &str| {
        let stack = assembly
            .stacks
            .iter()
            .find(|s| s.display_name == format!("PipelineStack/{stage}/Application"))
            .unwrap();
        let manifest = rcdk_tests::read_json(&stack.asset_manifests[0]);
        manifest["files"]
            .as_object()
            .unwrap()
            .values()
            .find(|f| f["source"]["packaging"] == "zip")
            .and_then(|f| f["destinations"].as_object()?.values().next()?["objectKey"].as_str())
            .unwrap()
            .to_string()
    };
    let dev_key = code_key("Dev");
    assert!(main
        .s3
        .object_exists(
            &format!("cdk-hnb659fds-assets-{MAIN_ACCOUNT}-{REGION}"),
            &dev_key
        )
        .unwrap());
    assert_eq!(
        main.ssm.get_parameter("/rcdk-e2e/dev/code").unwrap(),
        Some(dev_key)
    );

    // The prod stage, in the second account: by assuming its deploy role (and its
    // file-publishing role for the asset).
    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v1s,
            "PipelineStack/Prod/*",
            "--require-approval",
            "never",
        ],
    ));
    assert!(!r.err.contains("warning: cannot assume"), "{}", r.err);
    at(
        &r.out,
        "prod-Consumer.TopicParameter = /rcdk-e2e/prod/topic",
    );
    assert!(exists(&prod, "prod-Application") && exists(&prod, "prod-Consumer"));
    assert!(!exists(&main, "prod-Application") && !exists(&main, "prod-Consumer"));
    assert!(prod
        .s3
        .object_exists(
            &format!("cdk-hnb659fds-assets-{PROD_ACCOUNT}-{REGION}"),
            &code_key("Prod")
        )
        .unwrap());

    // An update of one stage stack, alone (-e): the diff shows the tag, the deploy applies it.
    let r = ok(rcdk(
        cwd,
        &["diff", "--app", v2s, "-e", "PipelineStack/Prod/Application"],
    ));
    at(&r.out, "[~] AWS::SNS::Topic Prod/Application/Topic Topic");
    at(&r.out, "Number of stacks with differences: 1");
    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v2s,
            "-e",
            "PipelineStack/Prod/Application",
            "--require-approval",
            "never",
        ],
    ));
    at(&r.err, "UPDATE_COMPLETE");
    assert!(!r.err.contains("PipelineStack/Prod/Consumer"), "{}", r.err);
    let r = ok(rcdk(cwd, &["diff", "--app", v2s, "PipelineStack/Prod/*"]));
    at(&r.out, "Number of stacks with differences: 0");

    // Without a pattern, deploy takes the only stack outside the stages.
    let r = ok(rcdk(
        cwd,
        &["deploy", "--app", v2s, "--require-approval", "never"],
    ));
    at(&r.err, "PipelineStack: deploying");
    assert!(!r.err.contains("PipelineStack/Dev"), "{}", r.err);
    assert!(exists(&main, "PipelineStack"));

    // Destroy each stage's stacks, dependents first; the stack outside stays.
    let r = ok(rcdk(
        cwd,
        &["destroy", "--app", v2s, "PipelineStack/Prod/*", "--force"],
    ));
    let consumer = at(&r.err, "PipelineStack/Prod/Consumer: destroyed");
    let application = at(&r.err, "PipelineStack/Prod/Application: destroyed");
    assert!(consumer < application, "reverse order:\n{}", r.err);
    assert!(!exists(&prod, "prod-Application") && !exists(&prod, "prod-Consumer"));
    // Selecting the dev Application takes its dependent Consumer along.
    let r = ok(rcdk(
        cwd,
        &[
            "destroy",
            "--app",
            v2s,
            "PipelineStack/Dev/Application",
            "--force",
        ],
    ));
    at(&r.err, "PipelineStack/Dev/Consumer: destroyed");
    assert!(!exists(&main, "dev-Application") && !exists(&main, "dev-Consumer"));
    assert!(exists(&main, "PipelineStack"));
    let r = ok(rcdk(cwd, &["destroy", "--app", v2s, "--all", "--force"]));
    at(&r.err, "PipelineStack: destroyed");
    assert!(!exists(&main, "PipelineStack"));

    let elapsed = started.elapsed();
    eprintln!("stages end-to-end run took {elapsed:.1?}");
    assert!(elapsed < Duration::from_secs(180), "took {elapsed:?}");
    drop(moto);
}
