//! Deploy failures against a real CloudFormation endpoint (moto, see [`super::moto`]) that
//! fails the logical ID `Doomed` whenever it would be created or updated: a failed create and a
//! failed update name the resource, its construct path and the reason, exit non-zero, skip the
//! dependent stack; the next deploy after ROLLBACK_COMPLETE works; the progress counter moves.

use super::moto::{self, ACCOUNT, REGION};
use super::*;
use cdk_core::{
    App, AppProps, CfnResource, CfnResourceProps, Environment, Stack, StackProps, Value,
};

/// Synthesizes `Data` (a bucket, plus the failing `Doomed` bucket when `doomed`) and `App` (an
/// SSM parameter holding Data's bucket name: a cross-stack reference, so App depends on Data).
fn synth(outdir: &Path, doomed: bool) {
    let app = App::with_props(AppProps {
        outdir: Some(outdir.to_path_buf()),
        ..Default::default()
    });
    let env = Some(Environment::new(ACCOUNT, REGION));
    let data = Stack::new(
        &app,
        "Data",
        StackProps {
            env: env.clone(),
            ..Default::default()
        },
    );
    let bucket = CfnResource::new(
        &data,
        "Bucket",
        CfnResourceProps {
            resource_type: "AWS::S3::Bucket".into(),
            ..Default::default()
        },
    );
    if doomed {
        CfnResource::new(
            &data,
            "Doomed",
            CfnResourceProps {
                resource_type: "AWS::S3::Bucket".into(),
                ..Default::default()
            },
        );
    }
    let consumer = Stack::new(
        &app,
        "App",
        StackProps {
            env,
            ..Default::default()
        },
    );
    CfnResource::new(
        &consumer,
        "Setting",
        CfnResourceProps {
            resource_type: "AWS::SSM::Parameter".into(),
            properties: [
                ("Name".to_string(), Value::from("/rcdk-safety/data-bucket")),
                ("Type".to_string(), Value::from("String")),
                ("Value".to_string(), Value::from(bucket.ref_())),
            ]
            .into(),
        },
    );
    app.synth().expect("the test app synthesizes");
}

/// The largest `done` of the `Stack | done/total |` progress lines of `stack`, with its total.
fn progress(err: &str, stack: &str) -> (usize, usize) {
    err.lines()
        .filter_map(|l| l.strip_prefix(&format!("{stack} | ")))
        .filter_map(|rest| {
            let (done, total) = rest.split(" | ").next()?.trim().split_once('/')?;
            Some((done.trim().parse().ok()?, total.parse().ok()?))
        })
        .max()
        .unwrap_or((0, 0))
}

#[test]
fn failed_creates_and_updates_are_reported_and_recovered_from() {
    let Some(server) = moto::moto_or_skip_with(
        "deploy failures against moto",
        &[("MOTO_CFN_FAIL_LOGICAL_IDS", "Doomed")],
    ) else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let (failing, fine) = (
        work.path().join("failing.out"),
        work.path().join("fine.out"),
    );
    synth(&failing, true);
    synth(&fine, false);
    let env = server.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let deploy = |asm: &Path| {
        rcdk_env(
            work.path(),
            &[
                "deploy",
                "--all",
                "--app",
                asm.to_str().unwrap(),
                "--require-approval",
                "never",
            ],
            &env,
        )
    };
    rcdk_env(
        work.path(),
        &["bootstrap", &format!("aws://{ACCOUNT}/{REGION}")],
        &env,
    )
    .succeeds();

    // A failed create: the resource, its construct path, the reason; App is skipped.
    let run = deploy(&failing);
    run.fails_with(&[
        "❌ Data failed (ROLLBACK_COMPLETE)",
        "  Data/Doomed (Doomed) AWS::S3::Bucket CREATE_FAILED: Injected failure",
        "✋ App: skipped: it depends on Data, which did not deploy",
        "deployment failed for Data (Data/Doomed: Injected failure",
    ]);
    assert!(!run.err.contains("App: creating change set"), "{}", run.err);
    let (done, total) = progress(&run.err, "Data");
    assert!(
        done > 0 && total > 0,
        "the progress counter advances: {done}/{total}\n{}",
        run.err
    );

    // The next deploy replaces the ROLLBACK_COMPLETE stack and deploys both.
    let run = deploy(&fine);
    run.succeeds();
    for needle in [
        "Data: stack is ROLLBACK_COMPLETE (its creation failed); deleting it before creating it again",
        "✅ Data CREATE_COMPLETE",
        "✅ App CREATE_COMPLETE",
    ] {
        assert!(run.err.contains(needle), "lacks `{needle}`:\n{}", run.err);
    }
    let (done, total) = progress(&run.err, "App");
    assert_eq!(done, total, "App's counter reaches its total:\n{}", run.err);
    assert!(total > 0);

    // A failed update rolls back; App is skipped again.
    let run = deploy(&failing);
    run.fails_with(&[
        "❌ Data failed (UPDATE_ROLLBACK_COMPLETE)",
        "Data/Doomed (Doomed) AWS::S3::Bucket CREATE_FAILED: Injected failure",
        "Data was rolled back (UPDATE_ROLLBACK_COMPLETE)",
        "✋ App: skipped: it depends on Data",
    ]);
    // After the rollback the stacks are as deployed before: nothing to change.
    let run = deploy(&fine);
    run.succeeds();
    assert_eq!(run.err.matches("no changes").count(), 2, "{}", run.err);
}
