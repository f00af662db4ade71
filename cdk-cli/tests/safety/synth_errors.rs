//! What CloudFormation refuses at deploy is refused at synth, through the real binary; the
//! previous assembly stays as it was.

use super::*;

fn synth_fails(scenario: &str, needles: &[&str]) -> Run {
    let p = project();
    unchanged(p.path(), || {
        let run = rcdk(p.path(), &["synth", "--app", &app_command(scenario)]);
        run.fails_with(needles);
        run
    })
}

#[test]
fn cloudformation_quotas_and_empty_stacks() {
    synth_fails(
        "limits",
        &[
            "[Big] the template has 501 resources (Resources), more than the 500",
            "[Chatty] the template has 201 outputs (Outputs), more than the 200",
            "[Knobs] the template has 201 parameters (Parameters), more than the 200",
            "[Huge] the template is ",
            "bytes, more than the 1000000 bytes (1 MB)",
            "[Empty] the stack has no resources",
        ],
    );
}

#[test]
fn construct_ids_without_ascii_letters_or_digits() {
    synth_fails(
        "non-ascii",
        &[
            "[Store/桶] Logical ID must adhere to the regular expression /^[A-Za-z0-9]{1,255}$/, got ''",
            "[Store/🪣] Logical ID must adhere",
        ],
    );
}

#[test]
fn bad_stack_ids_never_show_placeholders() {
    let run = synth_fails(
        "bad-stack-id",
        &["cannot add child 'bad/id': construct ID 'bad/id' must not contain '/'"],
    );
    assert!(!run.err.contains("<invalid"), "{}", run.err);
}

#[test]
fn validation_cross_stack_and_cycle_errors_come_together() {
    let run = synth_fails(
        "phases",
        &[
            "synthesis found 4 error(s):",
            "[A] a validation error",
            "stack 'Other' cannot reference 'A/InA' in stack 'A'",
            "dependency cycle between stacks: B -> C",
        ],
    );
    assert_eq!(
        run.err.matches("stack 'Other' cannot reference").count(),
        2,
        "{}",
        run.err
    );
}
