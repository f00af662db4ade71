//! End to end against a local AWS endpoint (`../shared/tools/moto-server`): `rcdk
//! publish-assets`, the command a pipeline's asset actions run, publishes one asset of an asset
//! manifest by selector (`ASSET_ID:DESTINATION_ID`, as aws-cdk-lib's pipelines pass to
//! cdk-assets) into the bootstrap bucket of the destination's account through its
//! file-publishing role, skips objects already there, and refuses selectors matching nothing.
//!
//! Without moto installed the test prints a skip notice, unless `CI` is set (then it fails).

mod common;

use std::path::Path;

use common::moto::{
    bootstrap_cross_account, cross_account_home, moto_or_skip, ok, rcdk, ACCOUNT, REGION,
    SECOND_ACCOUNT,
};

use cdk_cli::aws::sdk::SdkProvider;
use cdk_cli::aws::AwsProvider;
use cdk_core::{
    App, AppProps, Asset, AssetProps, CfnResource, CfnResourceProps, Environment, Stack, StackProps,
};

const MAIN_ACCOUNT: &str = ACCOUNT;
const OTHER_ACCOUNT: &str = SECOND_ACCOUNT;

/// An app with the same directory asset in a stack of each account.
fn synth_app(work: &Path, outdir: &Path) {
    let code_dir = work.join("handler");
    std::fs::create_dir_all(&code_dir).unwrap();
    std::fs::write(
        code_dir.join("index.js"),
        "exports.handler = async () => 1;\n",
    )
    .unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(outdir.to_path_buf()),
        ..Default::default()
    });
    for (id, account) in [("Main", MAIN_ACCOUNT), ("Other", OTHER_ACCOUNT)] {
        let stack = Stack::new(
            &app,
            id,
            StackProps {
                env: Some(Environment::new(account, REGION)),
                ..Default::default()
            },
        );
        Asset::new(
            &stack,
            "Code",
            AssetProps {
                path: code_dir.clone(),
                ..Default::default()
            },
        );
        CfnResource::new(
            &stack,
            "Bucket",
            CfnResourceProps {
                resource_type: "AWS::S3::Bucket".into(),
                properties: Default::default(),
            },
        );
    }
    app.synth().expect("the test app synthesizes");
}

/// The (hash, object key, destination ID) of the directory asset of an asset manifest (beside
/// it the stack's template is a file asset too). Destination IDs are aws-cdk-lib's
/// `<account>-<region>-<hash of the destination>`.
fn code_asset(manifest: &Path) -> (String, String, String) {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    let files = m["files"].as_object().unwrap();
    assert_eq!(files.len(), 2, "{m:#}");
    let (hash, asset) = files
        .iter()
        .find(|(_, a)| a["source"]["packaging"] == "zip")
        .expect("a zip asset");
    let (destination, target) = asset["destinations"]
        .as_object()
        .unwrap()
        .iter()
        .next()
        .unwrap();
    let key = target["objectKey"].as_str().unwrap().to_string();
    (hash.clone(), key, destination.clone())
}

#[test]
fn publish_assets_by_selector_across_accounts() {
    let Some(moto) = moto_or_skip("end-to-end test of rcdk publish-assets against moto") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    cross_account_home(&moto, work.path(), "other", OTHER_ACCOUNT);
    let cwd = work.path();
    let out = cwd.join("cdk.out");
    synth_app(cwd, &out);

    bootstrap_cross_account(cwd, "other", OTHER_ACCOUNT);

    let main_manifest = out.join("Main.assets.json");
    let other_manifest = out.join("Other.assets.json");
    let (hash, key, main_destination) = code_asset(&main_manifest);
    let (other_hash, other_key, other_destination) = code_asset(&other_manifest);
    assert_eq!((&other_hash, &other_key), (&hash, &key));
    assert!(main_destination.starts_with(&format!("{MAIN_ACCOUNT}-{REGION}-")));
    assert!(other_destination.starts_with(&format!("{OTHER_ACCOUNT}-{REGION}-")));
    let main_path = main_manifest.to_str().unwrap();
    let other_path = other_manifest.to_str().unwrap();

    // One destination by the selector aws-cdk-lib's pipelines write.
    let main_selector = format!("{hash}:{main_destination}");
    let r = ok(rcdk(
        cwd,
        &["publish-assets", "--path", main_path, &main_selector],
    ));
    assert!(r.err.contains("published asset"), "{}", r.err);
    assert!(r.err.contains("1 object(s) uploaded"), "{}", r.err);
    let provider = SdkProvider::new(None).unwrap();
    let main = provider.clients(REGION, None).unwrap();
    let main_bucket = format!("cdk-hnb659fds-assets-{MAIN_ACCOUNT}-{REGION}");
    assert!(main.s3.object_exists(&main_bucket, &key).unwrap());

    // Again: the object is there, nothing is uploaded.
    let r = ok(rcdk(
        cwd,
        &["publish-assets", "--path", main_path, &main_selector],
    ));
    assert!(r.err.contains("already published"), "{}", r.err);
    assert!(r.err.contains("0 object(s) uploaded"), "{}", r.err);

    // The other account's destination, through its file-publishing role.
    let other_bucket = format!("cdk-hnb659fds-assets-{OTHER_ACCOUNT}-{REGION}");
    let role = format!(
        "arn:aws:iam::{OTHER_ACCOUNT}:role/cdk-hnb659fds-file-publishing-role-{OTHER_ACCOUNT}-{REGION}"
    );
    let other = provider.clients(REGION, Some(&role)).unwrap();
    assert!(!other.s3.object_exists(&other_bucket, &key).unwrap());
    let r = ok(rcdk(
        cwd,
        &[
            "publish-assets",
            "--path",
            other_path,
            &format!("{hash}:{other_destination}"),
        ],
    ));
    assert!(
        !r.err.contains("warning"),
        "the role was assumed:\n{}",
        r.err
    );
    assert!(other.s3.object_exists(&other_bucket, &key).unwrap());

    // A selector naming a destination the manifest does not have publishes nothing.
    let r = rcdk(
        cwd,
        &[
            "publish-assets",
            "--path",
            main_path,
            &format!("{hash}:{other_destination}"),
        ],
    );
    assert_ne!(r.code, 0);
    assert!(
        r.err.contains(&format!(
            "no asset destination matches {hash}:{other_destination}"
        )),
        "{}",
        r.err
    );
    // No selector: every asset, and --force uploads again.
    let r = ok(rcdk(
        cwd,
        &["publish-assets", "--path", main_path, "--force"],
    ));
    assert!(r.err.contains("2 object(s) uploaded"), "{}", r.err);
}
