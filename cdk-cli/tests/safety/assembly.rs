//! Reading assemblies and templates: broken ones are refused, naming the artifact or file.

use super::*;

/// A one-stack assembly in `dir` whose stack's `templateFile` is `template_file`.
fn manifest_with_template(dir: &Path, template_file: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("manifest.json"),
        format!(
            r#"{{"version":"55.0.0","artifacts":{{"Evil":{{"type":"aws:cloudformation:stack","environment":"aws://unknown-account/unknown-region","properties":{{"templateFile":"{template_file}"}}}}}}}}"#
        ),
    )
    .unwrap();
}

#[test]
fn a_manifest_naming_a_missing_template_is_refused() {
    let p = project();
    std::fs::remove_file(p.path().join("cdk.out/Database.template.json")).unwrap();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth", "--app", "cdk.out"]).fails_with(&[
            "stack artifact `Database`",
            "Database.template.json does not exist",
        ]);
    });
}

#[test]
fn template_files_outside_the_assembly_are_refused() {
    let p = project();
    std::fs::write(p.path().join("outside.json"), r#"{"Resources":{}}"#).unwrap();
    for (name, file) in [
        ("climbs", "../../outside.json"),
        (
            "absolute",
            &p.path().join("outside.json").display().to_string()[..],
        ),
    ] {
        let asm = p.path().join(name);
        manifest_with_template(&asm, file);
        unchanged(p.path(), || {
            rcdk(p.path(), &["synth", "--app", name]).fails_with(&[
                "stack artifact `Evil`",
                "`templateFile`",
                "is outside the assembly directory",
            ]);
        });
    }
}

#[test]
fn an_app_directory_without_a_manifest_says_so_without_blaming_an_app() {
    let p = project();
    unchanged(p.path(), || {
        let run = rcdk(p.path(), &["ls", "--app", "src"]);
        run.fails_with(&["src is not a cloud assembly", "manifest.json is missing"]);
        assert!(!run.err.contains("CDK_OUTDIR"), "{}", run.err);
    });
}

#[test]
fn diff_template_must_be_an_object() {
    let p = project();
    std::fs::write(p.path().join("array.json"), "[1, 2]").unwrap();
    std::fs::write(p.path().join("scalar.yaml"), "just text\n").unwrap();
    std::fs::write(p.path().join("empty.yaml"), "").unwrap();
    unchanged(p.path(), || {
        for (file, what) in [
            ("array.json", "an array"),
            ("scalar.yaml", "a string"),
            ("empty.yaml", "empty (null)"),
        ] {
            rcdk(
                p.path(),
                &["diff", "--app", "cdk.out", "Api", "-e", "--template", file],
            )
            .fails_with(&[&format!(
                "{file} is not a CloudFormation template: the document is {what}"
            )]);
        }
    });
}

// The cases of the issue that already behaved well stay that way.

#[test]
fn missing_and_invalid_cdk_json() {
    let p = project();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth"]).fails_with(&["no app to run: pass --app COMMAND"]);
    });
    std::fs::write(p.path().join("cdk.json"), "{not json").unwrap();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth"]).fails_with(&["invalid JSON in", "cdk.json"]);
    });
    std::fs::write(p.path().join("cdk.json"), r#"{"app": 3}"#).unwrap();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth"]).fails_with(&["cdk.json: field `app` must be a string"]);
    });
}

#[test]
fn app_exit_codes_fail_with_its_stderr() {
    let p = project();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth", "--app", "echo 'boom' >&2; exit 7"])
            .fails_with(&["failed (exit status: 7)", "its stderr:\nboom"]);
        rcdk(p.path(), &["synth", "--app", "no-such-command-rcdk"])
            .fails_with(&["failed (exit status: 127)", "not found"]);
    });
}

#[test]
fn newer_schema_and_malformed_manifests() {
    let p = project();
    copy_dir(&fixture("newer-schema"), &p.path().join("future"));
    let broken = p.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(
        broken.join("manifest.json"),
        r#"{"version": "55.0.0", "artifacts": ["#,
    )
    .unwrap();
    let no_props = p.path().join("noprops");
    std::fs::create_dir(&no_props).unwrap();
    std::fs::write(
        no_props.join("manifest.json"),
        r#"{"version":"55.0.0","artifacts":{"S":{"type":"aws:cloudformation:stack"}}}"#,
    )
    .unwrap();
    unchanged(p.path(), || {
        rcdk(p.path(), &["ls", "--app", "future"]).fails_with(&[
            "schema version 56.0.0 is newer than the newest this rcdk supports (55)",
        ]);
        rcdk(p.path(), &["ls", "--app", "broken"])
            .fails_with(&["invalid JSON in", "manifest.json"]);
        rcdk(p.path(), &["ls", "--app", "noprops"])
            .fails_with(&["stack artifact `S`: missing `properties`"]);
    });
}

#[test]
fn unknown_stacks_and_bad_context_arguments() {
    let p = project();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth", "--app", "cdk.out", "Nope"]).fails_with(&[
            "no stack matches `Nope`; the stacks are: Monitoring, Network, Database, Api",
        ]);
        rcdk(p.path(), &["synth", "--app", "cdk.out", "-c", "novalue"])
            .fails_with(&["invalid context argument `novalue`: expected KEY=VALUE"]);
    });
}
