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
    /// Each stored text file (e.g. a pipeline's `.dot` graph) against the file of that name in
    /// rcdk's assembly: `None` when equal, else what differs.
    pub text_files: Vec<(String, Option<String>)>,
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
        text_files: Vec::new(),
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
            // Stacks of stages are in nested assemblies: their fixture file names are the
            // template paths inside the root assembly (`assembly-<stage>/<file>`).
            .map(|s| (s.template_path_in_root(), s.template))
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
    for file in &fixture.text_files {
        let expected = std::fs::read_to_string(fixture.dir.join(&file.name))
            .map_err(|e| format!("{}: {e}", file.name));
        let actual = std::fs::read_to_string(outdir.path().join(&file.name));
        let problem = match (expected, actual) {
            (Err(e), _) => Some(format!("fixture unreadable: {e}")),
            (Ok(_), Err(_)) if run.synth_error.is_some() => Some("not synthesized".into()),
            (Ok(_), Err(e)) => Some(format!("not in rcdk's assembly: {e}")),
            (Ok(x), Ok(a)) if x == a => None,
            (Ok(x), Ok(a)) => {
                let line = x
                    .lines()
                    .zip(a.lines())
                    .position(|(l, r)| l != r)
                    .unwrap_or(x.lines().count().min(a.lines().count()));
                Some(format!(
                    "differs from line {}: expected {:?}, actual {:?}",
                    line + 1,
                    x.lines().nth(line).unwrap_or("<end>"),
                    a.lines().nth(line).unwrap_or("<end>")
                ))
            }
        };
        run.text_files.push((file.name.clone(), problem));
    }
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
