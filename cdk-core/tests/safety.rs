//! Safety of synthesis: the output directory is replaced only when it is a cloud assembly (or
//! absent / empty), every error class is reported in one run, and what CloudFormation would
//! refuse at deploy is refused at synth.

use std::fs;
use std::path::Path;

use cdk_core::{
    App, AppProps, CfnResource, CfnResourceProps, Error, IConstruct, Stack, StackProps,
};
use rcdk_tests::snapshot_tree;

fn bucket(scope: &impl IConstruct, id: &str) -> CfnResource {
    CfnResource::new(
        scope,
        id,
        CfnResourceProps {
            resource_type: "AWS::S3::Bucket".into(),
            ..Default::default()
        },
    )
}

fn one_stack_app(outdir: Option<&Path>) -> App {
    let app = App::with_props(AppProps {
        outdir: outdir.map(Path::to_path_buf),
        ..Default::default()
    });
    let stack = Stack::new(&app, "Storage", StackProps::default());
    bucket(&stack, "Bucket");
    app
}

/// Names of the entries of `dir` (e.g. to find leftover temporary directories).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn assert_refused(err: Error, dir: &Path) {
    let text = err.to_string();
    assert!(matches!(err, Error::UnsafeOutdir { .. }), "{text}");
    assert!(text.contains(&dir.display().to_string()), "{text}");
}

#[test]
fn a_folder_that_is_not_an_assembly_is_never_replaced() {
    let work = tempfile::tempdir().unwrap();
    let precious = work.path().join("p");
    fs::create_dir_all(precious.join("src")).unwrap();
    fs::write(precious.join("precious.txt"), "hi\n").unwrap();
    fs::write(precious.join("src/main.rs"), "fn main() {}\n").unwrap();
    let before = snapshot_tree(work.path());
    let err = one_stack_app(None).synth_to(&precious).unwrap_err();
    assert_refused(err, &precious);
    assert!(
        err_text_of(one_stack_app(Some(&precious)).synth()).contains("not a cloud assembly"),
        "AppProps::outdir is checked the same way"
    );
    assert_eq!(snapshot_tree(work.path()), before, "nothing was touched");
    assert_eq!(entries(work.path()), ["p"], "no temporary directory left");
}

fn err_text_of<T: std::fmt::Debug>(r: cdk_core::Result<T>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn a_file_or_a_symbolic_link_is_never_replaced() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("out");
    fs::write(&file, "data").unwrap();
    assert_refused(one_stack_app(None).synth_to(&file).unwrap_err(), &file);
    #[cfg(unix)]
    {
        let real = work.path().join("real");
        fs::create_dir(&real).unwrap();
        let link = work.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let before = snapshot_tree(work.path());
        let err = one_stack_app(None).synth_to(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(snapshot_tree(work.path()), before);
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "data");
}

#[test]
fn absent_empty_and_assembly_folders_are_written() {
    let work = tempfile::tempdir().unwrap();
    let absent = work.path().join("a/b/out");
    one_stack_app(None).synth_to(&absent).unwrap();
    assert!(absent.join("manifest.json").is_file());
    let empty = work.path().join("empty");
    fs::create_dir(&empty).unwrap();
    one_stack_app(None).synth_to(&empty).unwrap();
    assert!(empty.join("Storage.template.json").is_file());
    // A previous assembly (manifest.json) is replaced, extra files included.
    fs::write(empty.join("old.txt"), "old").unwrap();
    one_stack_app(None).synth_to(&empty).unwrap();
    assert!(!empty.join("old.txt").exists());
    // So is a folder holding only the `cdk.out` marker (an interrupted aws-cdk-lib synth).
    let marked = work.path().join("marked");
    fs::create_dir(&marked).unwrap();
    fs::write(marked.join("cdk.out"), r#"{"version":"36.0.0"}"#).unwrap();
    one_stack_app(None).synth_to(&marked).unwrap();
    assert!(marked.join("manifest.json").is_file());
    let mut names = entries(work.path());
    names.retain(|n| n.starts_with('.'));
    assert!(names.is_empty(), "temporary directories left: {names:?}");
}

#[test]
fn a_failed_synth_leaves_no_temporary_directory() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("cdk.out");
    let app = App::new();
    let stack = Stack::new(&app, "Storage", StackProps::default());
    bucket(&stack, "Bucket");
    // An asset whose file disappears after construction fails while the files are written.
    let code = tempfile::tempdir().unwrap();
    fs::write(code.path().join("index.py"), "print(1)\n").unwrap();
    cdk_core::Asset::new(
        &stack,
        "Code",
        cdk_core::AssetProps {
            path: code.path().to_path_buf(),
            ..Default::default()
        },
    );
    fs::remove_file(code.path().join("index.py")).unwrap();
    let err = app.synth_to(&out).unwrap_err();
    assert!(err.to_string().contains("index.py"), "{err}");
    assert!(
        entries(work.path()).is_empty(),
        "{:?}",
        entries(work.path())
    );
}

#[cfg(unix)]
#[test]
fn staged_files_are_never_hard_linked_from_a_foreign_folder() {
    use std::os::unix::fs::MetadataExt;
    let work = tempfile::tempdir().unwrap();
    let code = work.path().join("code");
    fs::create_dir(&code).unwrap();
    fs::write(code.join("index.py"), "print(1)\n").unwrap();
    let files = vec![cdk_core::synth::AssemblyFile::CopyFile {
        path: "index.py".into(),
        source: code.join("index.py"),
    }];
    // A foreign folder with a same-size file at the same path is not a source of hard links.
    let foreign = work.path().join("foreign");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("index.py"), "EVIL(1)\n").unwrap();
    let before = snapshot_tree(&foreign);
    let out = work.path().join("out");
    cdk_core::synth::write_atomically_reusing(&out, &files, Some(&foreign)).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("index.py")).unwrap(),
        "print(1)\n"
    );
    assert_ne!(
        fs::metadata(out.join("index.py")).unwrap().ino(),
        fs::metadata(foreign.join("index.py")).unwrap().ino()
    );
    assert_eq!(snapshot_tree(&foreign), before);
    // An entry path that climbs out of the assembly is refused before anything is written.
    let escape = vec![cdk_core::synth::AssemblyFile::bytes(
        "../escaped",
        b"x".to_vec(),
    )];
    assert!(cdk_core::synth::write_atomically_reusing(&out, &escape, None).is_err());
    assert!(!work.path().join("escaped").exists());
}

fn stack_in(app: &App, id: &str, account: &str) -> Stack {
    Stack::new(
        app,
        id,
        StackProps {
            env: Some(cdk_core::Environment::new(account, "us-east-1")),
            ..Default::default()
        },
    )
}

fn output(scope: &impl IConstruct, id: &str, value: cdk_core::Str) {
    cdk_core::CfnOutput::new(
        scope,
        id,
        cdk_core::CfnOutputProps {
            value,
            ..Default::default()
        },
    );
}

#[test]
fn every_error_class_is_reported_in_one_run() {
    let app = App::new();
    // Validation errors.
    let a = stack_in(&app, "A", "111111111111");
    let in_a = bucket(&a, "InA");
    a.node().add_error("a validation error");
    // Two cross-stack references across accounts from a stack without a region (each an
    // error: references across environments need explicit regions).
    let other = Stack::new(
        &app,
        "Other",
        StackProps {
            env: Some(cdk_core::Environment {
                account: Some("222222222222".into()),
                region: None,
            }),
            ..Default::default()
        },
    );
    bucket(&other, "Here");
    output(&other, "One", in_a.ref_());
    output(&other, "Two", in_a.get_att("Arn"));
    // A dependency cycle between B and C.
    let b = stack_in(&app, "B", "111111111111");
    let c = stack_in(&app, "C", "111111111111");
    let in_b = bucket(&b, "InB");
    let in_c = bucket(&c, "InC");
    output(&b, "UsesC", in_c.ref_());
    output(&c, "UsesB", in_b.ref_());
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("out")).unwrap_err();
    let messages = err.messages();
    assert!(matches!(err, Error::Synthesis(_)), "{err}");
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert_eq!(messages[0], "[A] a validation error");
    assert!(
        messages[1].contains("stack 'Other' cannot reference 'A/InA'"),
        "{messages:#?}"
    );
    assert!(
        messages[2].contains("stack 'Other' cannot reference 'A/InA'"),
        "{messages:#?}"
    );
    assert!(
        messages[3].starts_with("dependency cycle between stacks: B -> C"),
        "{messages:#?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("synthesis found 4 error(s):\n  [A] a validation error\n"),
        "{text}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn cloudformation_limits_are_synth_errors_naming_the_stack() {
    let app = App::new();
    let big = Stack::new(&app, "Big", StackProps::default());
    for i in 0..501 {
        bucket(&big, &format!("B{i}"));
    }
    let chatty = Stack::new(&app, "Chatty", StackProps::default());
    let one = bucket(&chatty, "One");
    for i in 0..201 {
        output(&chatty, &format!("O{i}"), one.ref_());
    }
    let knobs = Stack::new(&app, "Knobs", StackProps::default());
    bucket(&knobs, "One");
    // 200 of ours + BootstrapVersion = 201 parameters.
    for i in 0..200 {
        cdk_core::CfnParameter::new(&knobs, &format!("P{i}"), Default::default());
    }
    let huge = Stack::new(&app, "Huge", StackProps::default());
    let b = bucket(&huge, "Bucket");
    b.set_property("Description", "x".repeat(1_250_000));
    Stack::new(&app, "Empty", StackProps::default());
    let dir = tempfile::tempdir().unwrap();
    let messages = app.synth_to(dir.path().join("out")).unwrap_err().messages();
    let find = |needle: &str| {
        messages
            .iter()
            .find(|m| m.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in {messages:#?}"))
            .clone()
    };
    assert!(find("501 resources").starts_with("[Big] "));
    assert!(find("201 outputs").starts_with("[Chatty] "));
    assert!(find("201 parameters").starts_with("[Knobs] "));
    assert!(find("bytes, more than the 1000000 bytes").starts_with("[Huge] "));
    assert!(find("has no resources").starts_with("[Empty] "));
    assert_eq!(messages.len(), 5, "{messages:#?}");
}

#[test]
fn mappings_over_the_limit_are_refused() {
    let app = App::new();
    let stack = Stack::new(&app, "Maps", StackProps::default());
    bucket(&stack, "One");
    for i in 0..201 {
        cdk_core::CfnMapping::new(
            &stack,
            &format!("M{i}"),
            [(
                "k".to_string(),
                [("v".to_string(), cdk_core::Value::from("x"))].into(),
            )]
            .into(),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let messages = app.synth_to(dir.path().join("out")).unwrap_err().messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].starts_with("[Maps] the template has 201 mappings"),
        "{messages:#?}"
    );
}

#[test]
fn a_template_over_the_inline_limit_synthesizes_and_is_uploaded_as_an_asset() {
    let app = App::new();
    let stack = Stack::new(&app, "Large", StackProps::default());
    let b = bucket(&stack, "Bucket");
    b.set_property("Description", "x".repeat(60_000));
    let dir = tempfile::tempdir().unwrap();
    let assembly = app.synth_to(dir.path().join("out")).unwrap();
    let template = fs::read(assembly.directory.join("Large.template.json")).unwrap();
    assert!(template.len() > cdk_core::synth::limits::MAX_INLINE_TEMPLATE_BYTES);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(assembly.directory.join("manifest.json")).unwrap())
            .unwrap();
    let url = manifest["artifacts"]["Large"]["properties"]["stackTemplateAssetObjectUrl"]
        .as_str()
        .unwrap_or_default();
    assert!(url.starts_with("s3://"), "{manifest:#}");
}

#[test]
fn construct_ids_without_ascii_alphanumerics_are_refused_as_aws_cdk_lib_does() {
    let app = App::new();
    let stack = Stack::new(&app, "Store", StackProps::default());
    bucket(&stack, "桶");
    bucket(&stack, "🪣");
    // Below another construct the path hash keeps the ID valid, as in aws-cdk-lib.
    let group = cdk_core::Node::new(&stack, "Group");
    let nested = bucket(&group, "桶");
    let nested_id = cdk_core::logical_id::make_unique_id(&["Group", "桶"]);
    assert!(
        cdk_core::logical_id::is_valid_logical_id(&nested_id),
        "{nested_id}"
    );
    assert_eq!(cdk_core::logical_id::make_unique_id(&["桶"]), "");
    let dir = tempfile::tempdir().unwrap();
    let messages = app.synth_to(dir.path().join("out")).unwrap_err().messages();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].starts_with("[Store/桶] Logical ID must adhere to the regular expression /^[A-Za-z0-9]{1,255}$/, got ''"),
        "{messages:#?}"
    );
    assert!(messages[1].starts_with("[Store/🪣] "), "{messages:#?}");
    let _ = nested;
}

#[test]
fn invalid_construct_ids_never_show_a_placeholder() {
    let app = App::new();
    let bad = Stack::new(&app, "bad/id", StackProps::default());
    bucket(&bad, "Bucket");
    let good = Stack::new(&app, "Good", StackProps::default());
    bucket(&good, "Dup");
    bucket(&good, "Dup").set_property("BucketName", "UPPER");
    Stack::new(&app, "", StackProps::default());
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("out")).unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("<invalid"), "{text}");
    let messages = err.messages();
    assert!(
        messages.contains(&"[app] cannot add child 'bad/id': construct ID 'bad/id' must not contain '/' (it separates path components)".to_string())
            || messages.iter().any(|m| m.contains("cannot add child 'bad/id'")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("cannot add child 'Dup'")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("must not be empty")),
        "{messages:#?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("invalid stack name")),
        "no consequence of the bad ID is reported: {messages:#?}"
    );
}

#[test]
fn an_element_whose_ids_are_all_default_is_refused_as_aws_cdk_lib_does() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let default = cdk_core::Node::new(&stack, "Default");
    bucket(&default, "Default");
    let dir = tempfile::tempdir().unwrap();
    let messages = app.synth_to(dir.path().join("out")).unwrap_err().messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].starts_with(
            "[S/Default/Default] Unable to calculate a unique id for an empty set of components"
        ),
        "{messages:#?}"
    );
}
