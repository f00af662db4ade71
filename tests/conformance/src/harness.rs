//! Running a port: synthesize it the way aws-cdk's integ runner synthesized the snapshot, then
//! compare every stored template with rcdk's template of the same file name.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use cdk_core::{App, AppProps};
use serde_json::Value;

use crate::compare::{compare_templates, TemplateComparison};
use crate::fixtures::Fixture;

/// A ported aws-cdk integ test: its ID (`<module>/<test>`, the fixture directory) and the
/// function that builds its construct tree in an app.
#[derive(Clone, Copy)]
pub struct Port {
    /// `<module>/<test>`, e.g. `aws-kms/integ.key`.
    pub test: &'static str,
    /// Builds the test's stacks (same construct IDs and stack names as the TypeScript test).
    pub build: fn(&App),
}

/// Context aws-cdk's integ runner sets on every synthesis (`pathMetadata`, `assetMetadata` and
/// `versionReporting` all off).
pub fn integ_runner_context() -> BTreeMap<String, Value> {
    [
        ("aws:cdk:enable-path-metadata", Value::Bool(false)),
        ("aws:cdk:enable-asset-metadata", Value::Bool(false)),
        ("aws:cdk:version-reporting", Value::Bool(false)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The outcome of running one port.
#[derive(Debug)]
pub struct TestRun {
    /// Test ID.
    pub test: String,
    /// The fixture, or why it could not be loaded.
    pub fixture: Result<Fixture, String>,
    /// Why synthesis failed (the port panicked or `synth` reported errors), if it did.
    pub synth_error: Option<String>,
    /// One comparison per stored template (all unmatched when synthesis failed).
    pub templates: Vec<TemplateComparison>,
}

/// The full context of a port's app: `flags`, then the integ runner's settings, then the
/// fixture's own `context`.
pub fn app_context(fixture: &Fixture, flags: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    let mut context = flags.clone();
    context.extend(integ_runner_context());
    context.extend(fixture.context.clone());
    context
}

/// Synthesizes `port` with `flags` and compares it with its fixture.
pub fn run_port(port: &Port, flags: &BTreeMap<String, Value>) -> TestRun {
    let fixture = Fixture::load(port.test);
    let mut run = TestRun {
        test: port.test.to_string(),
        fixture,
        synth_error: None,
        templates: Vec::new(),
    };
    let fixture = match &run.fixture {
        Ok(f) => f.clone(),
        Err(_) => return run,
    };
    let outdir = tempfile::tempdir().expect("temporary directory");
    let synthesized = catch_unwind(AssertUnwindSafe(|| {
        let app = App::with_props(AppProps {
            context: app_context(&fixture, flags),
            outdir: Some(outdir.path().to_path_buf()),
        });
        (port.build)(&app);
        app.synth()
    }));
    let stacks: Vec<(String, Value)> = match synthesized {
        Ok(Ok(assembly)) => assembly
            .stacks
            .into_iter()
            .map(|s| (s.template_file, s.template))
            .collect(),
        Ok(Err(e)) => {
            run.synth_error = Some(format!("synth failed: {e}"));
            Vec::new()
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(no message)".into());
            run.synth_error = Some(format!("port panicked: {message}"));
            Vec::new()
        }
    };
    for file in &fixture.templates {
        let expected = match fixture.template(&file.name) {
            Ok(t) => t,
            Err(e) => {
                run.fixture = Err(e);
                return run;
            }
        };
        let actual = stacks
            .iter()
            .find(|(name, _)| *name == file.name)
            .map(|(_, t)| t);
        run.templates
            .push(compare_templates(&file.name, &expected, actual));
    }
    run
}
