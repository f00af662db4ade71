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
