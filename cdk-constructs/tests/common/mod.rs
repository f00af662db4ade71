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
