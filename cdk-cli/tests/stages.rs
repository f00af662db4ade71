//! Stages (nested cloud assemblies) through the CLI, offline: `rcdk ls` against what the
//! official `cdk ls` prints for aws-cdk-lib's assembly (tests/fixtures/stages), `synth` and
//! `diff` of a stage's stack, the default selections with and without stacks outside stages,
//! dependencies across assemblies, and malformed nested assemblies. Deploying and destroying
//! stage stacks is tested end to end in e2e_stages.rs.

mod common;

use std::path::{Path, PathBuf};

use cdk_cli::assembly::{Assembly, DefaultSelection};
use cdk_cli::cli::StackSelectionArgs;
use common::{run_in, stage_app};
use serde_json::{json, Value};

/// The aws-cdk-lib assembly of tests/fixtures/stages.
fn fixture() -> PathBuf {
    rcdk_tests::stages_fixture()
}

/// Runs `rcdk COMMAND --app <fixture> ARGS...` in-process (`args[0]` is the command).
fn run(args: &[&str]) -> common::Run {
    let dir = fixture();
    let mut argv = vec![args[0], "--app", dir.to_str().unwrap()];
    argv.extend_from_slice(&args[1..]);
    run_in(&dir, &argv)
}

fn stack_named<'a>(assembly: &'a Assembly, display_name: &str) -> &'a cdk_cli::assembly::Stack {
    assembly
        .stacks
        .iter()
        .find(|s| s.display_name == display_name)
        .unwrap_or_else(|| panic!("no stack {display_name}"))
}

fn selection(stacks: &[&str], all: bool, exclusively: bool) -> StackSelectionArgs {
    StackSelectionArgs {
        stacks: stacks.iter().map(|s| s.to_string()).collect(),
        all,
        exclusively,
    }
}

fn names(stacks: &[&cdk_cli::assembly::Stack]) -> Vec<String> {
    stacks.iter().map(|s| s.display_name.clone()).collect()
}

#[test]
fn ls_prints_what_the_official_cdk_ls_prints() {
    // tests/fixtures/stages/official-cdk-ls.sh ran `cdk ls` (aws-cdk 2.1148.1) on the fixture.
    let cases = rcdk_tests::read_json(&fixture().join("../official-cdk-ls.json"));
    let cases = cases.as_array().expect("a list of cases");
    assert!(cases.len() >= 14, "{} cases", cases.len());
    for case in cases {
        let args: Vec<&str> = case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let mut argv = vec!["ls"];
        argv.extend(&args);
        let r = run(&argv);
        assert_eq!(r.result, Ok(0), "rcdk ls {args:?}: {}", r.err);
        assert_eq!(r.out, case["stdout"].as_str().unwrap(), "rcdk ls {args:?}");
    }
    // The first case is the issue's: every stack, those of stages with their paths.
    assert!(cases[0]["stdout"]
        .as_str()
        .unwrap()
        .starts_with("PipelineStack\nPipelineStack/Dev/Application (dev-Application)\n"));
}

#[test]
fn stacks_of_nested_assemblies_know_their_stage() {
    let assembly = Assembly::load(&fixture()).unwrap();
    assert_eq!(assembly.stacks.len(), 9);
    let nested: Vec<(&str, Option<&str>)> = assembly
        .nested
        .iter()
        .map(|n| (n.display_name.as_str(), n.parent.as_deref()))
        .collect();
    assert_eq!(
        nested,
        [
            ("PipelineStack/Dev", None),
            ("PipelineStack/Prod", None),
            ("Beta", None),
            ("Beta/Inner", Some("Beta")),
        ]
    );
    let deep = stack_named(&assembly, "Beta/Inner/Deep");
    assert_eq!(deep.nested_in.as_deref(), Some("Beta/Inner"));
    assert_eq!(deep.stack_name, "Beta-in-Deep");
    assert_eq!(
        deep.assembly_dir,
        fixture().join("assembly-Beta/assembly-Beta-Inner")
    );
    assert!(deep.template_path.starts_with(&deep.assembly_dir));
    assert!(deep.template_path.is_file());
    let top = assembly.stack("PipelineStack").unwrap();
    assert!(top.is_top_level() && !deep.is_top_level());
    // Dependencies inside a stage are kept (Consumer uses Application's export).
    let consumer = stack_named(&assembly, "PipelineStack/Dev/Consumer");
    assert_eq!(consumer.dependencies.len(), 1);
    assert_eq!(
        assembly
            .stack(&consumer.dependencies[0])
            .unwrap()
            .display_name,
        "PipelineStack/Dev/Application"
    );
}

#[test]
fn default_selections_follow_the_cdk_cli() {
    let assembly = Assembly::load(&fixture()).unwrap();
    let select = |s: StackSelectionArgs, d| names(&assembly.select(&s, d).unwrap());
    // deploy / destroy: the only top-level stack; --all: the top-level stacks.
    assert_eq!(
        select(selection(&[], false, false), DefaultSelection::OnlySingle),
        ["PipelineStack"]
    );
    assert_eq!(
        select(selection(&[], true, false), DefaultSelection::OnlySingle),
        ["PipelineStack"]
    );
    // synth / diff: the top-level stacks, never their dependencies; --all: every stack.
    assert_eq!(
        select(selection(&[], false, false), DefaultSelection::TopLevel),
        ["PipelineStack"]
    );
    assert_eq!(
        select(selection(&[], true, false), DefaultSelection::TopLevel).len(),
        9
    );
    // ls: every stack.
    assert_eq!(
        select(selection(&[], false, false), DefaultSelection::AllStacks).len(),
        9
    );
    // Patterns: upstream dependencies unless --exclusively, in dependency order.
    assert_eq!(
        select(
            selection(&["PipelineStack/Prod/Consumer"], false, false),
            DefaultSelection::OnlySingle
        ),
        [
            "PipelineStack/Prod/Application",
            "PipelineStack/Prod/Consumer"
        ]
    );
    assert_eq!(
        select(
            selection(&["PipelineStack/Prod/Consumer"], false, true),
            DefaultSelection::OnlySingle
        ),
        ["PipelineStack/Prod/Consumer"]
    );
    // Artifact IDs select too (an rcdk extension), and negations exclude.
    assert_eq!(
        select(
            selection(
                &["PipelineStack/**", "!PipelineStack/*/Application"],
                false,
                true
            ),
            DefaultSelection::OnlySingle
        ),
        [
            "PipelineStack",
            "PipelineStack/Dev/Consumer",
            "PipelineStack/Prod/Consumer"
        ]
    );
    let err = assembly
        .select(
            &selection(&["Beta/*"], true, false),
            DefaultSelection::OnlySingle,
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("either specify a list of stacks or the `--all`"),
        "{err}"
    );
}

#[test]
fn an_app_of_stages_only_needs_a_pattern_for_deploy() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("cdk.out");
    stage_app::synth_stages_only(work.path(), &out, "111111111111");
    rcdk_tests::validate_assembly(&out, true);
    let assembly = Assembly::load(&out).unwrap();
    let err = assembly
        .select(&selection(&[], false, false), DefaultSelection::OnlySingle)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "since this app includes more than a single stack, specify which stacks to use (wildcards are supported) or specify `--all`
Stacks: Dev/Application · Dev/Consumer · Prod/Application · Prod/Consumer
Some of these stacks are nested inside a Stage. To select the stacks in a Stage, use a pattern that matches their full path, e.g. 'Dev/*', 'Prod/*'"
    );
    let err = assembly
        .select(&selection(&[], true, false), DefaultSelection::OnlySingle)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`--all` selects the stacks outside stages, and this app has none")
            && err.contains("'Dev/*', 'Prod/*'"),
        "{err}"
    );
    // synth and diff select nothing by default there (as the cdk CLI), which synth reports
    // with every stack's name to choose from.
    assert!(assembly
        .select(&selection(&[], false, false), DefaultSelection::TopLevel)
        .unwrap()
        .is_empty());
    let r = run_in(work.path(), &["synth", "--app", out.to_str().unwrap()]);
    assert_eq!(r.result, Ok(0), "{}", r.err);
    assert!(r.out.is_empty(), "{}", r.out);
    assert!(
        r.err.contains("Supply a stack id (Dev/Application, Dev/Consumer, Prod/Application, Prod/Consumer) to display its template."),
        "{}",
        r.err
    );
    // The pattern the hint suggests works.
    let dev = assembly
        .select(
            &selection(&["Dev/*"], false, false),
            DefaultSelection::OnlySingle,
        )
        .unwrap();
    assert_eq!(names(&dev), ["Dev/Application", "Dev/Consumer"]);
}

#[test]
fn an_rcdk_app_with_stages_is_valid_and_listed_as_cdk_lists_it() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("cdk.out");
    stage_app::synth(work.path(), &out, "111111111111", "222222222222", "v1");
    // validate-assembly descends into the nested assemblies (schema, files, cfn-lint).
    rcdk_tests::validate_assembly(&out, true);
    for nested in ["assembly-PipelineStack-Dev", "assembly-PipelineStack-Prod"] {
        assert!(out.join(nested).join("manifest.json").is_file(), "{nested}");
    }
    let r = run_in(work.path(), &["ls", "--app", out.to_str().unwrap()]);
    assert_eq!(r.out, stage_app::LISTED);
    // The asset is staged once in the root; the nested asset manifests point up to it.
    let assembly = Assembly::load(&out).unwrap();
    let prod = stack_named(&assembly, "PipelineStack/Prod/Application");
    assert_eq!(prod.asset_manifests.len(), 1);
    let manifest_path = &prod.asset_manifests[0];
    assert_eq!(
        manifest_path.parent(),
        Some(out.join("assembly-PipelineStack-Prod").as_path())
    );
    let manifest = rcdk_tests::read_json(manifest_path);
    let zip = manifest["files"]
        .as_object()
        .unwrap()
        .values()
        .find(|f| f["source"]["packaging"] == "zip")
        .expect("the zip asset");
    let path = zip["source"]["path"].as_str().unwrap();
    assert!(path.starts_with("../asset."), "{path}");
    assert!(manifest_path.parent().unwrap().join(path).is_dir());
    assert_eq!(
        zip["destinations"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()["assumeRoleArn"],
        "arn:${AWS::Partition}:iam::222222222222:role/cdk-hnb659fds-file-publishing-role-222222222222-us-east-1"
    );
}

#[test]
fn synth_prints_a_stage_stacks_template_by_path() {
    // No pattern: the only top-level stack.
    let r = run(&["synth"]);
    assert_eq!(r.result, Ok(0), "{}", r.err);
    assert!(r.out.contains("PipelineTopic:"), "{}", r.out);
    assert!(!r.out.contains("ExportsOutputRefTopic"), "{}", r.out);
    // A stage's stack by its path.
    let r = run(&["synth", "PipelineStack/Dev/Application"]);
    assert_eq!(r.result, Ok(0), "{}", r.err);
    assert!(
        r.out
            .contains("Name: dev-Application:ExportsOutputRefTopicA7DE468A"),
        "{}",
        r.out
    );
    // --json prints the template as JSON.
    let r = run(&["synth", "--json", "-e", "PipelineStack/Prod/Consumer"]);
    let template: Value = serde_json::from_str(&r.out).expect("JSON");
    assert!(template["Resources"]["Queue"].is_object(), "{template}");
    // Its dependency comes along without -e: two stacks, so no template.
    let r = run(&["synth", "PipelineStack/Prod/Consumer"]);
    assert!(r.out.is_empty(), "{}", r.out);
    assert!(
        r.err.contains("Supply a stack id (PipelineStack/Prod/Application, PipelineStack/Prod/Consumer) to display its template."),
        "{}",
        r.err
    );
}

#[test]
fn diff_compares_a_stage_stack_with_a_template_file() {
    let work = tempfile::tempdir().unwrap();
    let old = work.path().join("old.json");
    std::fs::write(
        &old,
        json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}).to_string(),
    )
    .unwrap();
    let r = run(&[
        "diff",
        "--template",
        old.to_str().unwrap(),
        "PipelineStack/Dev/Application",
    ]);
    assert!(
        r.out.contains("Stack PipelineStack/Dev/Application"),
        "{}",
        r.out
    );
    // Resources are named by their construct path below the top-level stack, as cdk does.
    assert!(
        r.out
            .contains("[+] AWS::S3::Bucket Dev/Application/Bucket Bucket"),
        "{}",
        r.out
    );
    assert!(
        r.out
            .contains("[~] AWS::SNS::Topic Dev/Application/Topic Topic"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("Number of stacks with differences: 1"),
        "{}",
        r.out
    );
}

/// Writes a root assembly with stack `Shared` and a nested assembly `Stage` whose stack
/// `Stage/App` depends on `dependency` (aws-cdk-lib never writes a dependency across
/// assemblies, other tools may).
fn cross_assembly(dir: &Path, dependency: &str, directory_name: &str) {
    let stack = |id: &str, display: &str, deps: &[&str]| {
        json!({
            "type": "aws:cloudformation:stack",
            "environment": "aws://111111111111/us-east-1",
            "properties": {"templateFile": format!("{id}.template.json")},
            "dependencies": deps,
            "displayName": display
        })
    };
    let template = json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}).to_string();
    std::fs::create_dir_all(dir.join("assembly-Stage")).unwrap();
    std::fs::write(dir.join("Shared.template.json"), &template).unwrap();
    std::fs::write(
        dir.join("assembly-Stage/StageApp1234ABCD.template.json"),
        &template,
    )
    .unwrap();
    std::fs::write(
        dir.join("manifest.json"),
        json!({"version": "55.0.0", "artifacts": {
            "assembly-Stage": {"type": "cdk:cloud-assembly", "properties": {
                "directoryName": directory_name, "displayName": "Stage"}},
            "Shared": stack("Shared", "Shared", &[])
        }})
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("assembly-Stage/manifest.json"),
        json!({"version": "55.0.0", "artifacts": {
            "StageApp1234ABCD": stack("StageApp1234ABCD", "Stage/App", &[dependency])
        }})
        .to_string(),
    )
    .unwrap();
}

#[test]
fn dependencies_across_assemblies_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    cross_assembly(dir.path(), "Shared", "assembly-Stage");
    let assembly = Assembly::load(dir.path()).unwrap();
    let order: Vec<String> = assembly
        .stacks_in_order()
        .unwrap()
        .iter()
        .map(|s| s.display_name.clone())
        .collect();
    assert_eq!(order, ["Shared", "Stage/App"]);
    let chosen = assembly
        .select(
            &selection(&["Stage/*"], false, false),
            DefaultSelection::OnlySingle,
        )
        .unwrap();
    assert_eq!(names(&chosen), ["Shared", "Stage/App"]);
    let chosen = assembly
        .select(
            &selection(&["Stage/*"], false, true),
            DefaultSelection::OnlySingle,
        )
        .unwrap();
    assert_eq!(names(&chosen), ["Stage/App"]);
    let r = run_in(dir.path(), &["ls", "--app", ".", "Stage/App"]);
    // No `stackName` property: the artifact ID is the stack name, so no parentheses.
    assert_eq!(r.out, "Shared\nStage/App\n");
}

#[test]
fn malformed_nested_assemblies_are_named() {
    let dir = tempfile::tempdir().unwrap();
    cross_assembly(dir.path(), "NoSuchArtifact", "assembly-Stage");
    let err = Assembly::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("stack StageApp1234ABCD depends on NoSuchArtifact, which is no artifact of the assembly")
            && err.contains("assembly-Stage/manifest.json"),
        "{err}"
    );

    for escaping in ["../elsewhere", "/tmp", "a/b", "."] {
        let dir = tempfile::tempdir().unwrap();
        cross_assembly(dir.path(), "Shared", escaping);
        let err = Assembly::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "`directoryName` {escaping:?} is not a directory name inside the assembly"
            )),
            "{escaping}: {err}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    cross_assembly(dir.path(), "Shared", "assembly-Missing");
    let err = Assembly::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("assembly-Missing"), "{err}");
}
