//! The flagship against its aws-cdk-lib build: tests/reference-apps/cross-account-pipeline holds
//! the same construct tree written with aws-cdk-lib 2.276.0 (`app.js`) and the templates it
//! synthesizes. rcdk must give every resource and output the same logical ID and type, so a
//! stack deployed with the aws-cdk-lib version updates in place when it moves to rcdk.

use std::collections::BTreeMap;
use std::path::Path;

use cdk_core::{App, AppProps};
use cross_account_pipeline_example::{build, Settings};
use rcdk_tests::{read_json, repo_root};
use serde_json::{json, Value};

/// `(section, logical ID) -> type` of a template's resources (`Resources`) and outputs.
fn elements(template: &Value) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for (id, resource) in template["Resources"].as_object().into_iter().flatten() {
        let ty = resource["Type"].as_str().unwrap_or_default();
        // The version-reporting resource is written by aws-cdk-lib only.
        if ty != "AWS::CDK::Metadata" {
            out.insert(("Resources".into(), id.clone()), ty.to_string());
        }
    }
    for id in template["Outputs"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        out.insert(("Outputs".into(), id.clone()), String::new());
    }
    out
}

#[test]
fn logical_ids_equal_the_aws_cdk_lib_build() {
    let fixtures = repo_root().join("tests/reference-apps/cross-account-pipeline/fixtures");
    let dir = tempfile::tempdir().unwrap();
    // app.js's context: the example's cdk.json plus what the CDK CLI passes.
    let cdk_json = read_json(&repo_root().join("examples/cross-account-pipeline/cdk.json"));
    let mut context: BTreeMap<String, Value> = cdk_json["context"]
        .as_object()
        .expect("cdk.json context")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    context.insert("lambdaCode".into(), json!("parameters"));
    context.insert("aws:cdk:enable-path-metadata".into(), json!(true));
    let app = App::with_props(AppProps {
        context,
        outdir: Some(dir.path().join("cdk.out")),
    });
    let settings = Settings::from_context(&app).expect("valid settings");
    build(&app, &settings);
    app.synth().expect("synth");

    let mut compared = 0;
    let mut differences = Vec::new();
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".template.json") {
            continue;
        }
        let expected = elements(&read_json(&path));
        let actual_path = dir.path().join("cdk.out").join(&name);
        assert!(Path::new(&actual_path).exists(), "rcdk wrote no {name}");
        let actual = elements(&read_json(&actual_path));
        compared += expected.len();
        for (key, ty) in &expected {
            match actual.get(key) {
                None => differences.push(format!("{name}: {} {} ({ty}) missing", key.0, key.1)),
                Some(t) if t != ty => differences.push(format!(
                    "{name}: {} {} is {t}, aws-cdk-lib has {ty}",
                    key.0, key.1
                )),
                Some(_) => {}
            }
        }
        for key in actual.keys().filter(|k| !expected.contains_key(*k)) {
            differences.push(format!("{name}: {} {} only in rcdk", key.0, key.1));
        }
    }
    assert!(compared > 50, "only {compared} elements compared");
    assert!(
        differences.is_empty(),
        "{} difference(s) from the aws-cdk-lib build:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
