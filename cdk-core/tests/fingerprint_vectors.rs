//! Asset hashes equal aws-cdk-lib's: the vectors in fixtures/fingerprint/vectors.json were
//! computed by aws-cdk-lib (its version is recorded there; generate.sh regenerates them) for
//! trees described in the same file; this test rebuilds the trees and compares rcdk's
//! fingerprints, asset hashes, staged paths and staged contents with them.

use std::fs;
use std::path::{Path, PathBuf};

use cdk_core::{
    fingerprint, App, AppProps, Asset, AssetHashType, AssetProps, CfnResource, CfnResourceProps,
    FingerprintOptions, IgnoreMode, Stack, StackProps, SymlinkFollow,
};
use serde_json::Value as J;

fn vectors() -> J {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fingerprint/vectors.json");
    serde_json::from_str(&fs::read_to_string(file).unwrap()).unwrap()
}

/// Standard base64 (with padding), as Node's `Buffer.toString('base64')` writes it.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|&c| c != b'=') {
        let value = ALPHABET
            .iter()
            .position(|&a| a == c)
            .expect("base64 character") as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Writes the entries of a tree description under `root` (links as they are described).
fn build(root: &Path, spec: &J) {
    fs::create_dir_all(root).unwrap();
    for (rel, entry) in spec.as_object().unwrap() {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        match entry["type"].as_str().unwrap() {
            "file" => {
                let bytes = base64_decode(entry["base64"].as_str().unwrap());
                fs::write(&path, bytes).unwrap();
            }
            "dir" => fs::create_dir_all(&path).unwrap(),
            "link" => symlink(Path::new(entry["target"].as_str().unwrap()), &path),
            "abs-link" => symlink(&root.join(entry["target"].as_str().unwrap()), &path),
            other => panic!("unknown entry type {other}"),
        }
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) {
    panic!("the vectors need symbolic links (Unix)");
}

/// `<work>/trees/<name>`, `<work>/outside`, `<work>/files` as generate.js lays them out.
fn workspace(v: &J) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    build(&work.path().join("outside"), &v["outside"]);
    for (name, spec) in v["trees"].as_object().unwrap() {
        build(&work.path().join("trees").join(name), spec);
    }
    build(&work.path().join("files"), &v["files"]);
    work
}

fn follow(mode: Option<&str>) -> SymlinkFollow {
    match mode {
        None | Some("external") => SymlinkFollow::External,
        Some("always") => SymlinkFollow::Always,
        Some("never") => SymlinkFollow::Never,
        Some("internal-only") => SymlinkFollow::BlockExternal,
        Some(other) => panic!("unknown follow mode {other}"),
    }
}

fn ignore_mode(mode: Option<&str>) -> IgnoreMode {
    match mode {
        None | Some("glob") => IgnoreMode::Glob,
        Some("git") => IgnoreMode::Git,
        Some("docker") => IgnoreMode::Docker,
        Some(other) => panic!("unknown ignore mode {other}"),
    }
}

fn strings(v: &J) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn the_vectors_come_from_aws_cdk_lib_2_276() {
    let v = vectors();
    assert_eq!(v["aws_cdk_lib"], "2.276.0");
    let cases = v["fingerprints"].as_array().unwrap();
    assert!(cases.len() >= 100);
    for mode in ["git", "docker"] {
        assert!(
            cases
                .iter()
                .filter(|c| c["options"]["ignoreMode"] == mode)
                .count()
                >= 15,
            "{mode}"
        );
    }
}

#[test]
fn directory_fingerprints_equal_aws_cdk_lib() {
    let v = vectors();
    let work = workspace(&v);
    let mut failures = Vec::new();
    for case in v["fingerprints"].as_array().unwrap() {
        let tree = case["tree"].as_str().unwrap();
        let options = &case["options"];
        let opts = FingerprintOptions {
            exclude: strings(&options["exclude"]),
            follow_symlinks: follow(options["follow"].as_str()),
            extra_hash: options["extraHash"].as_str().map(str::to_string),
            ignore_mode: ignore_mode(options["ignoreMode"].as_str()),
        };
        let got = fingerprint(work.path().join("trees").join(tree), &opts).unwrap();
        if got != case["hash"].as_str().unwrap() {
            failures.push(format!(
                "{tree} ({}): {got} != {}",
                case["note"], case["hash"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn file_fingerprints_equal_aws_cdk_lib() {
    let v = vectors();
    let work = workspace(&v);
    for case in v["file_fingerprints"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let got = fingerprint(work.path().join("files").join(file), &Default::default()).unwrap();
        assert_eq!(got, case["hash"].as_str().unwrap(), "{file}");
    }
}

/// The staged directory as generate.js lists it (names in JavaScript's sort order).
fn listing(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        for name in names {
            let path = dir.join(&name);
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target: PathBuf = fs::read_link(&path).unwrap();
                out.push(format!("link {rel} -> {}", target.display()));
            } else if meta.is_dir() {
                out.push(format!("dir {rel}"));
                walk(&path, &rel, out);
            } else {
                out.push(format!("file {rel}"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out
}

#[test]
fn assets_hash_and_stage_as_aws_cdk_lib() {
    let v = vectors();
    let work = workspace(&v);
    for (n, case) in v["assets"].as_array().unwrap().iter().enumerate() {
        let note = case["note"].as_str().unwrap();
        let props = &case["props"];
        let outdir = work.path().join(format!("out{n}"));
        let mut context = std::collections::BTreeMap::new();
        if let Some(salt) = case["salt"].as_str() {
            context.insert("@aws-cdk/core:assetHashSalt".to_string(), J::from(salt));
        }
        let app = App::with_props(AppProps {
            outdir: Some(outdir.clone()),
            context,
        });
        let stack = Stack::new(&app, "Stack", StackProps::default());
        CfnResource::new(
            &stack,
            "Topic",
            CfnResourceProps {
                resource_type: "AWS::SNS::Topic".into(),
                ..Default::default()
            },
        );
        let asset = Asset::new(
            &stack,
            &format!("A{n}"),
            AssetProps {
                path: work.path().join(case["source"].as_str().unwrap()),
                exclude: strings(&props["exclude"]),
                ignore_mode: ignore_mode(props["ignoreMode"].as_str()),
                follow_symlinks: follow(props["followSymlinks"].as_str()),
                extra_hash: props["extraHash"].as_str().map(str::to_string),
                asset_hash: props["assetHash"].as_str().map(str::to_string),
                asset_hash_type: props["assetHashType"].as_str().map(|t| match t {
                    "custom" => AssetHashType::Custom,
                    "source" => AssetHashType::Source,
                    other => panic!("unknown hash type {other}"),
                }),
                ..Default::default()
            },
        );
        assert_eq!(asset.asset_hash(), case["hash"].as_str().unwrap(), "{note}");
        assert_eq!(
            asset.asset_path(),
            case["asset_path"].as_str().unwrap(),
            "{note}"
        );
        assert_eq!(
            asset.is_file(),
            case["is_file"].as_bool().unwrap(),
            "{note}"
        );
        assert_eq!(
            asset.is_zip_archive(),
            case["is_zip_archive"].as_bool().unwrap(),
            "{note}"
        );
        app.synth().unwrap();
        let staged = outdir.join(asset.asset_path());
        if asset.is_file() || !staged.is_dir() {
            assert!(staged.is_file(), "{note}: {}", staged.display());
        } else {
            assert_eq!(listing(&staged), strings(&case["staged"]), "{note}");
        }
    }
}

#[test]
fn source_hash_type_with_a_custom_hash_and_custom_without_one_are_refused() {
    let work = tempfile::tempdir().unwrap();
    fs::write(work.path().join("a.txt"), "a").unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(work.path().join("cdk.out")),
        ..Default::default()
    });
    let stack = Stack::new(&app, "Stack", StackProps::default());
    CfnResource::new(
        &stack,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
    for (id, hash, hash_type) in [
        ("Source", Some("x".to_string()), AssetHashType::Source),
        ("Custom", None, AssetHashType::Custom),
    ] {
        Asset::new(
            &stack,
            id,
            AssetProps {
                path: work.path().join("a.txt"),
                asset_hash: hash,
                asset_hash_type: Some(hash_type),
                ..Default::default()
            },
        );
    }
    let errors = match app.synth() {
        Err(cdk_core::Error::Validation(errors)) => errors,
        other => panic!("expected validation errors, got {other:?}"),
    };
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["Stack/Source", "Stack/Custom"], "{errors:?}");
    assert!(errors[0].message.contains("AssetHashType::Source"));
    assert!(errors[1].message.contains("asset_hash must be given"));
    assert!(!work.path().join("cdk.out").exists());
}
