//! File and directory assets: fingerprints, staging, asset manifests, tokens, zip packaging
//! and error reporting.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cdk_core::{
    fingerprint, App, AppProps, Asset, AssetProps, CfnResource, CfnResourceProps, Environment,
    Error, FingerprintOptions, Stack, StackProps, SymlinkFollow, Value,
};
use serde_json::{json, Value as J};

/// Creates `files` (relative path → content) under `root`.
fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (rel, content) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content).unwrap();
    }
}

const LAMBDA: &[(&str, &str)] = &[
    ("index.py", "def handler(event, context):\n    return 42\n"),
    ("lib/util.py", "X = 1\n"),
    ("lib/data/table.csv", "a,b\n1,2\n"),
];

fn fp(path: &Path) -> String {
    fingerprint(path, &FingerprintOptions::default()).unwrap()
}

fn fp_with(path: &Path, exclude: &[&str]) -> String {
    fingerprint(
        path,
        &FingerprintOptions {
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    )
    .unwrap()
}

fn set_mtime(path: &Path, when: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

fn read_json(path: &Path) -> J {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// An app writing to `dir/cdk.out`, with path metadata on (as the CDK CLI runs apps).
fn app_in(dir: &Path) -> App {
    App::with_props(AppProps {
        outdir: Some(dir.join("cdk.out")),
        context: [(
            "aws:cdk:enable-path-metadata".to_string(),
            serde_json::Value::Bool(true),
        )]
        .into(),
    })
}

/// The `Service` stack, with one resource (CloudFormation refuses a stack without any).
fn service_stack(app: &App) -> Stack {
    let stack = Stack::new(app, "Service", StackProps::default());
    CfnResource::new(
        &stack,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
    stack
}

fn validation_errors(result: cdk_core::Result<cdk_core::CloudAssembly>) -> Vec<(String, String)> {
    match result {
        Err(Error::Validation(errors)) => errors.into_iter().map(|e| (e.path, e.message)).collect(),
        Err(other) => panic!("expected validation errors, got {other}"),
        Ok(_) => panic!("expected validation errors, synth succeeded"),
    }
}

/// A Lambda function whose code is the asset (valid for cfn-lint).
fn function(stack: &Stack, id: &str, code: &Asset) -> CfnResource {
    let f = CfnResource::new(
        stack,
        id,
        CfnResourceProps {
            resource_type: "AWS::Lambda::Function".into(),
            properties: [
                (
                    "Code".to_string(),
                    Value::object([
                        ("S3Bucket", code.bucket_name()),
                        ("S3Key", code.object_key()),
                    ]),
                ),
                (
                    "Role".to_string(),
                    Value::from("arn:aws:iam::111111111111:role/lambda"),
                ),
                ("Handler".to_string(), Value::from("index.handler")),
                ("Runtime".to_string(), Value::from("python3.12")),
            ]
            .into(),
        },
    );
    code.add_resource_metadata(&f, "Code");
    f
}

// ---------------------------------------------------------------- fingerprint

#[test]
fn same_content_in_two_directories_has_the_same_hash() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_tree(a.path(), LAMBDA);
    // Created in another order, in a directory with another name and depth.
    let b_root = b.path().join("nested/elsewhere");
    let mut reversed = LAMBDA.to_vec();
    reversed.reverse();
    write_tree(&b_root, &reversed);
    assert_eq!(fp(a.path()), fp(&b_root));
    assert_eq!(fp(a.path()).len(), 64);
}

#[test]
fn modification_times_do_not_change_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), LAMBDA);
    let before = fp(dir.path());
    set_mtime(
        &dir.path().join("lib/util.py"),
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000),
    );
    assert_eq!(fp(dir.path()), before);
}

#[test]
fn every_content_change_changes_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), LAMBDA);
    let mut seen = vec![fp(dir.path())];
    let mut check = |what: &str| {
        let h = fp(dir.path());
        assert!(!seen.contains(&h), "{what} did not change the hash");
        seen.push(h);
    };
    // One byte.
    fs::write(dir.path().join("lib/util.py"), "X = 2\n").unwrap();
    check("changing one byte");
    // Rename.
    fs::rename(
        dir.path().join("lib/util.py"),
        dir.path().join("lib/utils.py"),
    )
    .unwrap();
    check("renaming a file");
    // Directories are not hashed (as in aws-cdk-lib): an empty one changes nothing.
    let without = fp(dir.path());
    fs::create_dir(dir.path().join("other")).unwrap();
    assert_eq!(fp(dir.path()), without, "an empty directory");
    // Move into another directory (same name, same content).
    fs::rename(
        dir.path().join("lib/utils.py"),
        dir.path().join("other/utils.py"),
    )
    .unwrap();
    check("moving a file");
    // Add and remove.
    fs::write(dir.path().join("new.txt"), "").unwrap();
    check("adding an empty file");
    fs::remove_file(dir.path().join("index.py")).unwrap();
    check("removing a file");
}

#[test]
fn excluded_files_do_not_change_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), LAMBDA);
    let exclude = ["*.pyc", "node_modules"];
    let before = fp_with(dir.path(), &exclude);
    write_tree(
        dir.path(),
        &[
            ("index.pyc", "compiled"),
            ("lib/util.pyc", "compiled"),
            ("node_modules/left-pad/index.js", "module.exports = 1"),
            ("lib/node_modules/x.js", "1"),
        ],
    );
    assert_eq!(fp_with(dir.path(), &exclude), before);
    // Without the exclusions the same files count.
    assert_ne!(fp(dir.path()), fp_with(dir.path(), &exclude));
    // A change to an included file still counts.
    fs::write(dir.path().join("index.py"), "changed").unwrap();
    assert_ne!(fp_with(dir.path(), &exclude), before);
}

#[test]
fn single_file_hash_ignores_its_name_and_location() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("a.txt", "hello"),
            ("sub/b.txt", "hello"),
            ("c.txt", "hellO"),
        ],
    );
    assert_eq!(
        fp(&dir.path().join("a.txt")),
        fp(&dir.path().join("sub/b.txt"))
    );
    assert_ne!(fp(&dir.path().join("a.txt")), fp(&dir.path().join("c.txt")));
}

#[test]
fn relative_paths_resolve_against_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), LAMBDA);
    let cwd = std::env::current_dir().unwrap();
    // `../../..` up to the root, then down to the temporary directory.
    let mut relative = PathBuf::new();
    for _ in cwd.components().skip(1) {
        relative.push("..");
    }
    relative.push(dir.path().strip_prefix("/").unwrap());
    assert!(relative.is_relative());
    assert_eq!(fp(&relative), fp(dir.path()));
}

// ---------------------------------------------------------------- synthesis

#[test]
fn directory_and_file_assets_are_staged_listed_and_valid() {
    let work = tempfile::tempdir().unwrap();
    let lambda = work.path().join("lambda");
    write_tree(&lambda, LAMBDA);
    fs::create_dir_all(lambda.join("empty")).unwrap();
    write_tree(work.path(), &[("config/settings.json", "{\"a\": 1}\n")]);

    let app = app_in(work.path());
    let stack = Stack::new(
        &app,
        "Service",
        StackProps {
            env: Some(Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    );
    let code = Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: lambda.clone(),
            ..Default::default()
        },
    );
    let settings = Asset::new(
        &stack,
        "Settings",
        AssetProps {
            path: work.path().join("config/settings.json"),
            ..Default::default()
        },
    );
    function(&stack, "Handler", &code);
    let assembly = app.synth().unwrap();
    let out = assembly.directory.clone();

    let hash = fp(&lambda);
    assert_eq!(code.asset_hash(), hash);
    assert_eq!(code.asset_path(), format!("asset.{hash}"));
    assert!(code.is_zip_archive() && !code.is_file());
    // The directory is staged with its content, including empty directories.
    for (rel, content) in LAMBDA {
        assert_eq!(
            fs::read_to_string(out.join(code.asset_path()).join(rel)).unwrap(),
            *content
        );
    }
    assert!(out.join(code.asset_path()).join("empty").is_dir());
    // The file is staged with its extension.
    let file_hash = settings.asset_hash().to_string();
    assert_eq!(settings.asset_path(), format!("asset.{file_hash}.json"));
    assert!(settings.is_file() && !settings.is_zip_archive());
    assert_eq!(
        fs::read_to_string(out.join(settings.asset_path())).unwrap(),
        "{\"a\": 1}\n"
    );

    let manifest = read_json(&out.join("Service.assets.json"));
    // Keyed by environment and the first 8 hex digits of the destination's SHA-256, as
    // aws-cdk-lib keys destinations.
    let destination = |key: String| {
        let dest = json!({
            "bucketName": "cdk-hnb659fds-assets-111111111111-us-east-1",
            "objectKey": key,
            "region": "us-east-1",
            "assumeRoleArn": "arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-file-publishing-role-111111111111-us-east-1"
        });
        use sha2::Digest as _;
        let hash = hex::encode(sha2::Sha256::digest(dest.to_string().as_bytes()));
        json!({ format!("111111111111-us-east-1-{}", &hash[..8]): dest })
    };
    assert_eq!(
        manifest["files"][&hash],
        json!({
            "displayName": "Code",
            "source": {"path": format!("asset.{hash}"), "packaging": "zip"},
            "destinations": destination(format!("{hash}.zip"))
        })
    );
    assert_eq!(
        manifest["files"][&file_hash],
        json!({
            "displayName": "Settings",
            "source": {"path": format!("asset.{file_hash}.json"), "packaging": "file"},
            "destinations": destination(format!("{file_hash}.json"))
        })
    );
    assert_eq!(manifest["files"].as_object().unwrap().len(), 3); // + the template

    // Tokens are literals for a stack with an environment; the HTTPS URL uses the URL suffix.
    let template = read_json(&out.join("Service.template.json"));
    let handler = &template["Resources"]["Handler"];
    assert_eq!(
        handler["Properties"]["Code"],
        json!({"S3Bucket": "cdk-hnb659fds-assets-111111111111-us-east-1", "S3Key": format!("{hash}.zip")})
    );
    assert_eq!(
        handler["Metadata"],
        json!({
            "aws:cdk:path": "Service/Handler",
            "aws:asset:path": format!("asset.{hash}"),
            "aws:asset:is-bundled": false,
            "aws:asset:property": "Code"
        })
    );
    assert_eq!(
        code.s3_object_url().literal(),
        Some(format!("s3://cdk-hnb659fds-assets-111111111111-us-east-1/{hash}.zip").as_str())
    );
    // The HTTPS URL needs AWS::URLSuffix.
    assert_eq!(
        code.http_url().value().to_literal_json(),
        Some(
            json!({"Fn::Sub": format!("https://s3.us-east-1.${{AWS::URLSuffix}}/cdk-hnb659fds-assets-111111111111-us-east-1/{hash}.zip")})
        )
    );

    rcdk_tests::validate_assembly(&out, true);
}

#[test]
fn environment_agnostic_tokens_use_fn_sub() {
    let work = tempfile::tempdir().unwrap();
    write_tree(&work.path().join("lambda"), LAMBDA);
    let app = app_in(work.path());
    let stack = Stack::new(&app, "Agnostic", StackProps::default());
    let code = Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: work.path().join("lambda"),
            ..Default::default()
        },
    );
    let f = function(&stack, "Handler", &code);
    f.set_property("Description", Value::from(code.s3_object_url()));
    f.add_cfn_metadata("Url", code.http_url());
    let out = app.synth().unwrap().directory;
    let hash = code.asset_hash();
    let template = read_json(&out.join("Agnostic.template.json"));
    let handler = &template["Resources"]["Handler"];
    assert_eq!(
        handler["Properties"]["Code"]["S3Bucket"],
        json!({"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"})
    );
    assert_eq!(
        handler["Properties"]["Code"]["S3Key"],
        json!(format!("{hash}.zip"))
    );
    assert_eq!(
        handler["Properties"]["Description"],
        json!({"Fn::Sub": format!("s3://cdk-hnb659fds-assets-${{AWS::AccountId}}-${{AWS::Region}}/{hash}.zip")})
    );
    assert_eq!(
        handler["Metadata"]["Url"],
        json!({"Fn::Sub": format!("https://s3.${{AWS::Region}}.${{AWS::URLSuffix}}/cdk-hnb659fds-assets-${{AWS::AccountId}}-${{AWS::Region}}/{hash}.zip")})
    );
    let manifest = read_json(&out.join("Agnostic.assets.json"));
    assert_eq!(
        manifest["files"][hash]["destinations"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.starts_with("current_account-current_region-"))
            .unwrap()
            .1["bucketName"],
        json!("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}")
    );
    rcdk_tests::validate_assembly(&out, true);
}

#[test]
fn the_same_folder_is_staged_once_for_several_constructs_and_stacks() {
    let work = tempfile::tempdir().unwrap();
    write_tree(&work.path().join("lambda"), LAMBDA);
    let app = app_in(work.path());
    let one = Stack::new(&app, "One", StackProps::default());
    let two = Stack::new(&app, "Two", StackProps::default());
    let props = || AssetProps {
        path: work.path().join("lambda"),
        ..Default::default()
    };
    let a = Asset::new(&one, "A", props());
    let b = Asset::new(&one, "B", props());
    let c = Asset::new(&two, "C", props());
    function(&one, "FnA", &a);
    function(&two, "FnC", &c);
    let out = app.synth().unwrap().directory;
    assert_eq!(a.asset_hash(), b.asset_hash());
    assert_eq!(a.asset_path(), c.asset_path());
    let staged: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("asset."))
        .collect();
    assert_eq!(staged, vec![a.asset_path().to_string()]);
    // One manifest entry per stack; the first construct's name is shown.
    let one_manifest = read_json(&out.join("One.assets.json"));
    assert_eq!(one_manifest["files"].as_object().unwrap().len(), 2);
    assert_eq!(
        one_manifest["files"][a.asset_hash()]["displayName"],
        json!("A")
    );
    let two_manifest = read_json(&out.join("Two.assets.json"));
    assert_eq!(
        two_manifest["files"][c.asset_hash()]["displayName"],
        json!("C")
    );
    rcdk_tests::validate_assembly(&out, false);
}

#[cfg(unix)]
#[test]
fn the_previous_assembly_is_reused_without_copying() {
    use std::os::unix::fs::MetadataExt;
    let work = tempfile::tempdir().unwrap();
    let lambda = work.path().join("lambda");
    write_tree(&lambda, LAMBDA);
    let synth = || {
        let app = app_in(work.path());
        let stack = service_stack(&app);
        let code = Asset::new(
            &stack,
            "Code",
            AssetProps {
                path: lambda.clone(),
                ..Default::default()
            },
        );
        let out = app.synth().unwrap().directory;
        (out, code.asset_path().to_string())
    };
    let (out, staged) = synth();
    let file = out.join(&staged).join("index.py");
    let first_inode = fs::metadata(&file).unwrap().ino();
    // A staged file damaged in the previous assembly (different size) is copied afresh.
    let damaged = out.join(&staged).join("lib/util.py");
    fs::write(&damaged, "damaged!").unwrap();
    let (out2, staged2) = synth();
    assert_eq!(
        (out2.clone(), staged2.clone()),
        (out.clone(), staged.clone())
    );
    assert_eq!(
        fs::metadata(&file).unwrap().ino(),
        first_inode,
        "not hard-linked"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), LAMBDA[0].1);
    assert_eq!(fs::read_to_string(&damaged).unwrap(), "X = 1\n");
    // Only the current assembly remains next to the work directory's files.
    let leftovers: Vec<_> = fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_custom_hash_replaces_the_content_hash() {
    let work = tempfile::tempdir().unwrap();
    write_tree(&work.path().join("lambda"), LAMBDA);
    let app = app_in(work.path());
    let stack = service_stack(&app);
    let code = Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: work.path().join("lambda"),
            asset_hash: Some("v1".into()),
            display_name: Some("handler code".into()),
            ..Default::default()
        },
    );
    // sha256("v1")
    let expected = "3bfc269594ef649228e9a74bab00f042efc91d5acc6fbee31a382e80d42388fe";
    assert_eq!(code.asset_hash(), expected);
    let out = app.synth().unwrap().directory;
    let manifest = read_json(&out.join("Service.assets.json"));
    assert_eq!(
        manifest["files"][expected]["displayName"],
        json!("handler code")
    );
    assert!(out.join(format!("asset.{expected}/index.py")).is_file());
}

#[test]
fn excluded_content_is_not_staged() {
    let work = tempfile::tempdir().unwrap();
    let lambda = work.path().join("lambda");
    write_tree(&lambda, LAMBDA);
    write_tree(
        &lambda,
        &[("index.pyc", "x"), ("node_modules/m/index.js", "y")],
    );
    let app = app_in(work.path());
    let stack = service_stack(&app);
    let code = Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: lambda.clone(),
            exclude: vec!["*.pyc".into(), "node_modules".into()],
            ..Default::default()
        },
    );
    let out = app.synth().unwrap().directory;
    let staged = out.join(code.asset_path());
    assert!(staged.join("index.py").is_file());
    assert!(!staged.join("index.pyc").exists());
    assert!(!staged.join("node_modules").exists());
}

// ---------------------------------------------------------------- symbolic links

#[cfg(unix)]
#[test]
fn symbolic_links_follow_the_policy() {
    use std::os::unix::fs::symlink;
    let work = tempfile::tempdir().unwrap();
    let lambda = work.path().join("lambda");
    write_tree(&lambda, LAMBDA);
    write_tree(work.path(), &[("shared/common.py", "SHARED = True\n")]);
    symlink("../shared", lambda.join("shared")).unwrap(); // external
    symlink("index.py", lambda.join("main.py")).unwrap(); // internal

    let app = app_in(work.path());
    let stack = service_stack(&app);
    let code = Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: lambda.clone(),
            ..Default::default()
        },
    );
    let always = Asset::new(
        &stack,
        "Always",
        AssetProps {
            path: lambda.clone(),
            follow_symlinks: SymlinkFollow::Always,
            ..Default::default()
        },
    );
    assert_ne!(code.asset_hash(), always.asset_hash());
    let out = app.synth().unwrap().directory;
    // Default (External): the external directory is copied, the internal link stays a link.
    let staged = out.join(code.asset_path());
    assert_eq!(
        fs::read_to_string(staged.join("shared/common.py")).unwrap(),
        "SHARED = True\n"
    );
    assert!(!fs::symlink_metadata(staged.join("shared"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_link(staged.join("main.py")).unwrap(),
        Path::new("index.py")
    );
    // Always: everything is materialised.
    let staged = out.join(always.asset_path());
    assert!(fs::symlink_metadata(staged.join("main.py"))
        .unwrap()
        .is_file());
    // Reading through the staged link gives the linked content.
    let main = fs::read_to_string(out.join(code.asset_path()).join("main.py")).unwrap();
    assert_eq!(main, LAMBDA[0].1);
}

#[cfg(unix)]
#[test]
fn symbolic_link_errors_name_the_construct_and_the_file() {
    use std::os::unix::fs::symlink;
    let work = tempfile::tempdir().unwrap();
    write_tree(
        work.path(),
        &[("outside.txt", "secret"), ("ok/index.py", "1")],
    );
    // A loop back to the asset directory (followed by default because `..` is outside).
    let looping = work.path().join("looping");
    write_tree(&looping, LAMBDA);
    symlink("..", looping.join("lib/up")).unwrap();
    // An escape when links are not followed.
    let escaping = work.path().join("escaping");
    write_tree(&escaping, LAMBDA);
    symlink("../outside.txt", escaping.join("leak.txt")).unwrap();
    // A broken link.
    let broken = work.path().join("broken");
    write_tree(&broken, LAMBDA);
    symlink("missing.py", broken.join("gone.py")).unwrap();
    // A pure link cycle.
    let cycle = work.path().join("cycle");
    write_tree(&cycle, LAMBDA);
    symlink("b", cycle.join("a")).unwrap();
    symlink("a", cycle.join("b")).unwrap();
    // An external link when only internal links may be followed.
    let blocked = work.path().join("blocked");
    write_tree(&blocked, LAMBDA);
    symlink("../outside.txt", blocked.join("leak.txt")).unwrap();

    let app = app_in(work.path());
    let stack = service_stack(&app);
    let asset = |id: &str, path: &Path, follow: SymlinkFollow| {
        Asset::new(
            &stack,
            id,
            AssetProps {
                path: path.to_path_buf(),
                follow_symlinks: follow,
                ..Default::default()
            },
        )
    };
    asset("Loop", &looping, SymlinkFollow::External);
    asset("LoopAlways", &looping, SymlinkFollow::Always);
    asset("Escape", &escaping, SymlinkFollow::Never);
    asset("Broken", &broken, SymlinkFollow::External);
    asset("Cycle", &cycle, SymlinkFollow::Always);
    asset("Blocked", &blocked, SymlinkFollow::BlockExternal);
    asset("Fine", &work.path().join("ok"), SymlinkFollow::Never);
    let started = std::time::Instant::now();
    let errors = validation_errors(app.synth());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "loops must not hang"
    );
    let find = |path: &str| -> String {
        errors
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("no error for {path}: {errors:?}"))
            .1
            .clone()
    };
    assert!(find("Service/Loop").contains("lib/up") && find("Service/Loop").contains("loop"));
    assert!(find("Service/LoopAlways").contains("lib/up"));
    let escape = find("Service/Escape");
    assert!(
        escape.contains("leak.txt") && escape.contains("outside the asset"),
        "{escape}"
    );
    assert!(find("Service/Broken").contains("gone.py"));
    let cycle_message = find("Service/Cycle");
    assert!(
        cycle_message.contains("cycle/a") || cycle_message.contains("cycle/b"),
        "{cycle_message}"
    );
    assert!(find("Service/Blocked").contains("leak.txt"));
    assert!(!errors.iter().any(|(p, _)| p == "Service/Fine"));
    // Nothing was written.
    assert!(!work.path().join("cdk.out").exists());
}

// ---------------------------------------------------------------- other errors

#[test]
fn a_missing_path_is_reported_and_nothing_is_written() {
    let work = tempfile::tempdir().unwrap();
    let app = app_in(work.path());
    let stack = service_stack(&app);
    let missing = work.path().join("no-such-dir");
    let code = Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: missing.clone(),
            ..Default::default()
        },
    );
    assert_eq!(code.asset_hash(), "");
    let errors = validation_errors(app.synth());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "Service/Code");
    assert!(errors[0].1.contains("no-such-dir"), "{}", errors[0].1);
    assert!(errors[0].1.contains("does not exist"), "{}", errors[0].1);
    assert!(!work.path().join("cdk.out").exists());
}

#[test]
fn an_asset_outside_a_stack_is_an_error() {
    let work = tempfile::tempdir().unwrap();
    write_tree(&work.path().join("lambda"), LAMBDA);
    let app = app_in(work.path());
    Asset::new(
        &app,
        "Code",
        AssetProps {
            path: work.path().join("lambda"),
            ..Default::default()
        },
    );
    let errors = validation_errors(app.synth());
    assert_eq!(errors[0].0, "Code");
    assert!(errors[0].1.contains("inside a Stack"));
}

#[cfg(unix)]
#[test]
fn special_files_are_reported() {
    let work = tempfile::tempdir().unwrap();
    let lambda = work.path().join("lambda");
    write_tree(&lambda, LAMBDA);
    let made = std::process::Command::new("mkfifo")
        .arg(lambda.join("pipe"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("mkfifo not available; skipping");
        return;
    }
    let err = fingerprint(&lambda, &FingerprintOptions::default()).unwrap_err();
    assert!(err.to_string().contains("pipe"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_with_the_construct_path() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    let lambda = work.path().join("lambda");
    write_tree(&lambda, LAMBDA);
    let secret = lambda.join("lib/util.py");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&secret).is_ok() {
        eprintln!("running with privileges that ignore file permissions; skipping");
        return;
    }
    let app = app_in(work.path());
    let stack = service_stack(&app);
    Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: lambda.clone(),
            ..Default::default()
        },
    );
    let errors = validation_errors(app.synth());
    assert_eq!(errors[0].0, "Service/Code");
    assert!(errors[0].1.contains("lib/util.py"), "{}", errors[0].1);
    assert!(!work.path().join("cdk.out").exists());
}

#[test]
fn resource_metadata_can_be_turned_off_by_context() {
    let work = tempfile::tempdir().unwrap();
    write_tree(&work.path().join("lambda"), LAMBDA);
    let app = App::with_props(AppProps {
        outdir: Some(work.path().join("cdk.out")),
        context: [
            (
                "aws:cdk:enable-asset-metadata".to_string(),
                serde_json::Value::Bool(false),
            ),
            (
                "aws:cdk:enable-path-metadata".to_string(),
                serde_json::Value::Bool(true),
            ),
        ]
        .into(),
    });
    let stack = service_stack(&app);
    let code = Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: work.path().join("lambda"),
            ..Default::default()
        },
    );
    function(&stack, "Handler", &code);
    let out = app.synth().unwrap().directory;
    let template = read_json(&out.join("Service.template.json"));
    assert_eq!(
        template["Resources"]["Handler"]["Metadata"],
        json!({"aws:cdk:path": "Service/Handler"})
    );
}

/// In-memory directories hash like the same directory on disk (order of insertion, nesting,
/// CRLF normalisation, binary content, excludes and salt included) and stage the same files.
#[test]
fn in_memory_directories_hash_and_stage_like_the_same_directory() {
    let work = tempfile::tempdir().unwrap();
    let binary: Vec<u8> = (0u8..=255).cycle().take(20_000).collect();
    let text_crlf = "line one\r\nline two\r\n".repeat(700);
    let dir = work.path().join("src");
    write_tree(&dir, LAMBDA);
    write_tree(
        &dir,
        &[("B.txt", "upper"), ("a-b/x.js", "1"), ("a.pyc", "compiled")],
    );
    fs::write(dir.join("lib/big.txt"), &text_crlf).unwrap();
    fs::write(dir.join("lib/data/blob.bin"), &binary).unwrap();

    let files = cdk_core::InMemoryDirectory::new()
        .with_file("lib/data/blob.bin", &binary)
        .with_file("a.pyc", "compiled")
        .with_file("lib/big.txt", &text_crlf)
        .with_file("a-b/x.js", "1")
        .with_file("B.txt", "upper");
    let files = LAMBDA
        .iter()
        .fold(files, |d, (p, c)| d.with_file(*p, c.as_bytes()));

    let app = App::with_props(AppProps {
        outdir: Some(work.path().join("cdk.out")),
        context: [("@aws-cdk/core:assetHashSalt".to_string(), json!("salt"))].into(),
    });
    let stack = Stack::new(&app, "S", StackProps::default());
    let props = |path: PathBuf| AssetProps {
        path,
        exclude: vec!["*.pyc".into()],
        ..Default::default()
    };
    let memory = Asset::from_in_memory(&stack, "Memory", files.clone(), props(PathBuf::new()));
    let disk = Asset::new(&stack, "Disk", props(dir.clone()));
    assert_eq!(memory.asset_hash(), disk.asset_hash());
    assert!(!memory.is_file());
    assert_eq!(memory.object_key().literal(), disk.object_key().literal());

    // Without the exclude the hash changes (a.pyc counts), as on disk.
    let all = Asset::from_in_memory(&stack, "All", files.clone(), AssetProps::default());
    let all_disk = Asset::new(
        &stack,
        "AllDisk",
        AssetProps {
            path: dir.clone(),
            ..Default::default()
        },
    );
    assert_ne!(all.asset_hash(), memory.asset_hash());
    assert_eq!(all.asset_hash(), all_disk.asset_hash());

    CfnResource::new(
        &stack,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            properties: Default::default(),
        },
    );
    let assembly = app.synth().unwrap();
    let staged = assembly.directory.join(memory.asset_path());
    assert_eq!(fs::read(staged.join("lib/data/blob.bin")).unwrap(), binary);
    assert_eq!(
        fs::read_to_string(staged.join("lib/big.txt")).unwrap(),
        text_crlf
    );
    assert!(!staged.join("a.pyc").exists());
    let manifest = read_json(&assembly.directory.join("S.assets.json"));
    assert_eq!(
        manifest["files"][memory.asset_hash()]["source"]["packaging"],
        "zip"
    );
}

#[test]
fn in_memory_paths_are_checked() {
    for bad in ["", "/abs.js", "a/../b.js", "a//b.js", "./a.js", "a\\b.js"] {
        let app = App::new();
        let stack = Stack::new(&app, "S", StackProps::default());
        let files = cdk_core::InMemoryDirectory::new().with_file(bad, "x");
        Asset::from_in_memory(&stack, "Code", files, AssetProps::default());
        let err = app.synth().unwrap_err().to_string();
        assert!(err.contains("in-memory asset file paths"), "{bad}: {err}");
    }
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let twice = cdk_core::InMemoryDirectory::new()
        .with_file("a.js", "1")
        .with_file("a.js", "2");
    Asset::from_in_memory(&stack, "Twice", twice, AssetProps::default());
    let with_path = cdk_core::InMemoryDirectory::new().with_file("a.js", "1");
    Asset::from_in_memory(
        &stack,
        "WithPath",
        with_path,
        AssetProps {
            path: "somewhere".into(),
            ..Default::default()
        },
    );
    let err = app.synth().unwrap_err().to_string();
    assert!(err.contains("given twice"), "{err}");
    assert!(err.contains("path must be empty"), "{err}");
}
