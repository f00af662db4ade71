//! Helpers shared by the cdk-constructs integration tests.
#![allow(dead_code)]

use std::path::Path;

use cdk_core::{App, Error, Stack, StackProps};
use serde_json::Value as J;

/// An app as the CDK CLI runs it: with `aws:cdk:enable-path-metadata` on.
pub fn cli_app() -> App {
    App::with_props(cdk_core::AppProps {
        context: [(
            "aws:cdk:enable-path-metadata".to_string(),
            serde_json::Value::Bool(true),
        )]
        .into(),
        ..Default::default()
    })
}

/// An app (with path metadata, see [`cli_app`]) and one env-agnostic stack named `Stack`.
pub fn app_and_stack() -> (App, Stack) {
    let app = cli_app();
    let stack = Stack::new(&app, "Stack", StackProps::default());
    (app, stack)
}

/// Synthesizes into `dir` and returns the template of `Stack`.
pub fn synth_template(app: &App, dir: &Path) -> J {
    app.synth_to(dir)
        .unwrap_or_else(|e| panic!("synth failed: {e}"));
    let text = std::fs::read_to_string(dir.join("Stack.template.json")).expect("template");
    serde_json::from_str(&text).expect("template JSON")
}

/// Synthesizes and returns the template (temporary directory).
pub fn template(app: &App) -> J {
    let dir = tempfile::tempdir().expect("tempdir");
    synth_template(app, dir.path())
}

/// The resource whose `aws:cdk:path` is `Stack/<id>`: (logical ID, resource).
pub fn resource(template: &J, id: &str) -> (String, J) {
    let path = format!("Stack/{id}");
    template["Resources"]
        .as_object()
        .expect("Resources")
        .iter()
        .find(|(_, r)| r["Metadata"]["aws:cdk:path"] == path.as_str())
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap_or_else(|| panic!("no resource at {path}"))
}

/// The validation errors of a synth that must fail, as `[path] message` lines.
pub fn synth_errors(app: &App) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    match app.synth_to(dir.path()) {
        Ok(_) => panic!("synth succeeded, expected validation errors"),
        Err(Error::Validation(errors)) => errors.iter().map(|e| e.to_string()).collect(),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

/// Entry `name` of `fixtures/aws-cdk-lib-2.276.0/<file>` (templates written by aws-cdk-lib
/// 2.276.0 with the script of the same name, metadata and bootstrap elements removed).
pub fn aws_cdk_lib_reference(file: &str, name: &str) -> J {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/aws-cdk-lib-2.276.0")
        .join(file);
    let all: J = serde_json::from_str(&std::fs::read_to_string(&path).expect("reference file"))
        .expect("reference JSON");
    all[name].clone()
}

/// The stack's template has aws-cdk-lib's logical IDs, and every resource (metadata left out)
/// and output equals `expected`'s.
pub fn assert_equals_aws_cdk_lib(stack: &Stack, expected: &J) {
    let mut actual = cdk_assertions::Template::from_stack(stack)
        .to_json()
        .clone();
    for r in actual["Resources"]
        .as_object_mut()
        .expect("Resources")
        .values_mut()
    {
        r.as_object_mut().expect("resource").remove("Metadata");
    }
    let ids = |t: &J| {
        let mut ids: Vec<String> = t["Resources"]
            .as_object()
            .expect("Resources")
            .keys()
            .cloned()
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&actual), ids(expected), "logical IDs");
    for (id, resource) in expected["Resources"].as_object().expect("Resources") {
        assert_eq!(&actual["Resources"][id], resource, "resource {id}");
    }
    if let Some(outputs) = expected.get("Outputs") {
        assert_eq!(&actual["Outputs"], outputs, "outputs");
    }
}
