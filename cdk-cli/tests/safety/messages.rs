//! The message layer: every cause once, the right verb, hints only where they apply.

use super::*;

#[test]
fn a_wrapped_cause_is_printed_once() {
    let p = project();
    unchanged(p.path(), || {
        let run = rcdk(
            p.path(),
            &[
                "diff",
                "--app",
                "cdk.out",
                "Api",
                "-e",
                "--template",
                "missing.json",
            ],
        );
        run.fails_with(&[
            "cannot read",
            "missing.json",
            "No such file or directory (os error 2)",
        ]);
        assert_eq!(
            run.err.matches("No such file or directory").count(),
            1,
            "{}",
            run.err
        );
    });
}

#[test]
fn errors_are_one_line_each_and_never_a_panic() {
    let p = project();
    unchanged(p.path(), || {
        let run = rcdk(p.path(), &["synth", "--app", &app_command("phases")]);
        run.fails_with(&["synthesis found 4 error(s)"]);
        assert!(!run.err.contains("panicked"), "{}", run.err);
    });
}
