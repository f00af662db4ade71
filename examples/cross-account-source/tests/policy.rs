//! The policy packs (cdk-nag's AwsSolutions rules, rcdk's cross-account rules) pass on this
//! example: every finding is fixed or suppressed with a reason, and no suppression is unused.

use cdk_core::{App, AppProps, Error};

#[test]
fn the_policy_packs_pass_with_every_suppression_used() {
    let app = App::with_props(AppProps::default());
    let settings =
        cross_account_source_example::Settings::from_context(&app).expect("default settings");
    cross_account_source_example::build(&app, &settings);
    let assembly = match app.synth_in_memory() {
        Ok(a) => a,
        Err(Error::PolicyValidation(report)) => {
            panic!("policy validation failed:\n{}", report.format_text(false))
        }
        Err(e) => panic!("{e}"),
    };
    let report = assembly.validation_report.as_ref().expect("the packs ran");
    let names: Vec<&str> = report
        .plugin_reports
        .iter()
        .map(|r| r.plugin_name.as_str())
        .collect();
    assert_eq!(names, ["AwsSolutions", "RcdkCrossAccount"]);
    let open: Vec<String> = report
        .findings()
        .iter()
        .map(|f| {
            format!(
                "{:?} {} {}",
                f.severity,
                f.rule_name,
                f.construct_path.clone().unwrap_or_default()
            )
        })
        .collect();
    assert!(
        open.is_empty(),
        "unsuppressed findings:\n{}",
        open.join("\n")
    );
    assert!(
        report.unused_suppressions.is_empty(),
        "{:?}",
        report.unused_suppressions
    );
    let suppressed = report.suppressed_findings();
    assert!(!suppressed.is_empty());
    assert!(suppressed
        .iter()
        .all(|f| f.suppressed_because.as_ref().is_some_and(|r| r.len() >= 10)));
}
