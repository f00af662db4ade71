//! The output directory: only a cloud assembly (or nothing, or an empty folder) is replaced,
//! and only by what this run of the app wrote.

use super::*;

/// Entries of `dir` whose name starts with `.` (rcdk's temporary directories would).
fn hidden_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn synth_into_a_foreign_folder_is_refused_and_touches_nothing() {
    let p = project();
    let precious = p.path().join("p");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("precious.txt"), "hi\n").unwrap();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth", "--app", &app_command("ok"), "-o", "p"]).fails_with(&[
            &format!(
                "refusing to use {} as the output directory",
                precious.display()
            ),
            "not a cloud assembly",
            "nothing was written",
        ]);
    });
}

#[test]
fn synth_into_the_project_folder_itself_is_refused() {
    let p = project();
    let here = p.path().display().to_string();
    unchanged(p.path(), || {
        rcdk(
            p.path(),
            &["synth", "--app", &app_command("ok"), "-o", &here],
        )
        .fails_with(&[&format!("refusing to use {here}"), "not a cloud assembly"]);
    });
    assert!(p.path().join("src/main.rs").is_file());
}

#[test]
fn cdk_json_output_naming_a_foreign_folder_is_refused() {
    let p = project();
    std::fs::write(
        p.path().join("cdk.json"),
        format!(r#"{{"app": "{}", "output": "src"}}"#, app_command("ok")),
    )
    .unwrap();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth"]).fails_with(&["refusing to use", "/src as the output directory"]);
    });
}

#[test]
fn a_file_as_output_directory_is_refused() {
    let p = project();
    unchanged(p.path(), || {
        rcdk(
            p.path(),
            &["synth", "--app", &app_command("ok"), "-o", "precious.txt"],
        )
        .fails_with(&["precious.txt", "exists and is not a directory"]);
    });
}

#[test]
fn cdk_outdir_naming_a_foreign_folder_is_refused_by_the_app() {
    // The app run directly (as `cargo run` would), with CDK_OUTDIR set by hand.
    let p = project();
    unchanged(p.path(), || {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "app",
                "--exact",
                "--ignored",
                "--quiet",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("RCDK_SAFETY_APP", "ok")
            .env("CDK_OUTDIR", p.path().join("src"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{err}");
        assert!(
            err.contains(&format!(
                "error: refusing to write the cloud assembly to {}",
                p.path().join("src").display()
            )),
            "{err}"
        );
    });
}

#[test]
fn app_props_outdir_naming_a_foreign_folder_is_refused() {
    let p = project();
    let src = p.path().join("src").display().to_string();
    unchanged(p.path(), || {
        rcdk_env(
            p.path(),
            &["synth", "--app", &app_command("appprops-outdir")],
            &[("RCDK_SAFETY_OUTDIR", &src)],
        )
        .fails_with(&[&format!("refusing to write the cloud assembly to {src}")]);
    });
}

#[test]
fn a_stale_assembly_is_never_taken_for_this_runs_output() {
    let p = project();
    unchanged(p.path(), || {
        rcdk(p.path(), &["synth", "--app", "echo garbage"]).fails_with(&[
            "the app `echo garbage` exited successfully but wrote no cloud assembly",
            &format!("{} was left as it was", p.path().join("cdk.out").display()),
        ]);
        rcdk(p.path(), &["ls", "--app", "true"]).fails_with(&["wrote no cloud assembly"]);
    });
    assert!(hidden_entries(p.path()).is_empty());
}

#[test]
fn a_failing_app_leaves_the_previous_assembly_and_no_temporary_directory() {
    let p = project();
    unchanged(p.path(), || {
        rcdk(
            p.path(),
            &["synth", "--app", "echo partial > \"$CDK_OUTDIR.x\"; mkdir -p \"$CDK_OUTDIR\"; echo x > \"$CDK_OUTDIR/manifest.json\"; exit 3"],
        )
        .fails_with(&["failed (exit status: 3)"]);
    });
    assert!(hidden_entries(p.path()).is_empty());
}

#[test]
fn a_successful_synth_replaces_the_previous_assembly_and_cleans_up() {
    let p = project();
    let before = snapshot_tree(&p.path().join("src"));
    rcdk(p.path(), &["synth", "--app", &app_command("ok"), "-q"]).succeeds();
    let out = p.path().join("cdk.out");
    assert!(out.join("Storage.template.json").is_file());
    assert!(
        !out.join("Api.template.json").exists(),
        "the old assembly was replaced whole"
    );
    assert!(
        hidden_entries(p.path()).is_empty(),
        "{:?}",
        hidden_entries(p.path())
    );
    assert_eq!(snapshot_tree(&p.path().join("src")), before);
    assert_eq!(
        std::fs::read_to_string(p.path().join("precious.txt")).unwrap(),
        "hi\n"
    );
    // A new, empty folder is fine too.
    std::fs::create_dir(p.path().join("fresh")).unwrap();
    rcdk(
        p.path(),
        &["synth", "--app", &app_command("ok"), "-q", "-o", "fresh"],
    )
    .succeeds();
    assert!(p.path().join("fresh/manifest.json").is_file());
}

#[test]
fn the_app_is_shown_while_it_runs() {
    let p = project();
    let copy = format!(
        "sleep 2.5; cp -R '{}'/. \"$CDK_OUTDIR\"/",
        fixture("single").display()
    );
    let run = rcdk(p.path(), &["synth", "--app", &copy, "-q"]);
    run.succeeds();
    assert!(
        run.err.contains(&format!(
            "Running the app: {copy} (the first run may build it"
        )),
        "{}",
        run.err
    );
}

#[cfg(unix)]
#[test]
fn unchanged_staged_files_are_hard_linked_from_the_previous_assembly() {
    use std::os::unix::fs::MetadataExt;
    let p = project();
    let code = p.path().join("code");
    std::fs::create_dir(&code).unwrap();
    std::fs::write(code.join("index.py"), "print(1)\n").unwrap();
    let code_dir = code.display().to_string();
    let synth = || {
        rcdk_env(
            p.path(),
            &["synth", "--app", &app_command("asset"), "-q", "-o", "asm"],
            &[("RCDK_SAFETY_ASSET", &code_dir)],
        )
        .succeeds();
        let staged = std::fs::read_dir(p.path().join("asm"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("asset.")
            })
            .expect("a staged asset");
        std::fs::metadata(staged.join("index.py")).unwrap().ino()
    };
    let first = synth();
    assert_eq!(synth(), first, "the second run reuses the staged file");
    assert!(hidden_entries(p.path()).is_empty());
}
