//! The validation engine with real packs: suppressions (scoped, by regex, by context path),
//! unused and invalid suppressions, failing synthesis, and the report files.

use cdk_assertions::{Annotations, Match};
use cdk_core::validation::{AppliesTo, Severity, Suppression, Validations};
use cdk_core::{
    App, AppProps, CfnResource, CfnResourceProps, Environment, Error, Stack, StackProps, Value,
};
use cdk_nag::NagSuppressions;
use serde_json::{json, Value as J};

fn app_with(context: J) -> (App, Stack) {
    let app = App::with_props(AppProps {
        context: context
            .as_object()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect(),
        ..Default::default()
    });
    cdk_nag::register(&app);
    let stack = Stack::new(
        &app,
        "S",
        StackProps {
            env: Some(Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    );
    (app, stack)
}

fn policy(stack: &Stack, id: &str) -> CfnResource {
    let props = json!({"PolicyName": "p", "Roles": ["r"], "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:Get*", "logs:*"], "Resource": ["arn:aws:s3:::b/*", "arn:aws:logs:us-east-1:111111111111:log-group:x:*"]}
    ]}});
    let Value::Map(properties) = Value::from(props) else {
        unreachable!()
    };
    CfnResource::new(
        stack,
        id,
        CfnResourceProps {
            resource_type: "AWS::IAM::Policy".into(),
            properties,
        },
    )
}

fn failure(app: &App) -> cdk_core::validation::PolicyValidationReport {
    match app.synth_in_memory() {
        Err(Error::PolicyValidation(r)) => *r,
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("synthesis succeeded"),
    }
}

#[test]
fn applies_to_suppresses_single_findings_and_the_rest_fails_synthesis() {
    let (app, stack) = app_with(json!({}));
    let p = policy(&stack, "Policy");
    NagSuppressions::add_resource_suppressions(
        &p,
        &[Suppression::new(
            "AwsSolutions-IAM5",
            "Reads every object of bucket b, which holds only public data",
        )
        .applies_to("Action::s3:Get*")
        .applies_to("Resource::arn:aws:s3:::b/*")],
        false,
    );
    let report = failure(&app);
    let open: Vec<String> = report
        .findings()
        .iter()
        .map(|f| f.rule_name.clone())
        .collect();
    assert_eq!(
        open,
        [
            "AwsSolutions-IAM5[Action::logs:*]",
            "AwsSolutions-IAM5[Resource::arn:aws:logs:us-east-1:111111111111:log-group:x:*]"
        ]
    );
    let suppressed: Vec<String> = report
        .suppressed_findings()
        .iter()
        .map(|f| f.rule_name.clone())
        .collect();
    assert_eq!(
        suppressed,
        [
            "AwsSolutions-IAM5[Action::s3:Get*]",
            "AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]"
        ]
    );
    let text = report.format_text(false);
    insta::assert_snapshot!(text);
    assert!(text.contains("ERROR The IAM entity contains wildcard permissions"));
    assert!(text.contains("   S/Policy (Policy) cdk-core.CfnResource"));
    assert!(text.contains("Acknowledge with 'AwsSolutions::AwsSolutions-IAM5[Action::logs:*]'"));
    // cdk-nag's template metadata.
    let written = p.cfn_metadata("cdk_nag").expect("cdk_nag metadata");
    assert_eq!(
        format!("{written:?}"),
        r#"{"rules_to_suppress": [{"applies_to": ["Action::s3:Get*", "Resource::arn:aws:s3:::b/*"], "id": "AwsSolutions-IAM5", "reason": "Reads every object of bucket b, which holds only public data"}]}"#
    );
}

#[test]
fn regex_and_stack_suppressions_let_synthesis_pass() {
    let (app, stack) = app_with(json!({}));
    policy(&stack, "Policy");
    NagSuppressions::add_stack_suppressions(
        &stack,
        &[
            Suppression::new(
                "AwsSolutions-IAM5",
                "Log groups of this stack are written by the service that names them",
            )
            .applies_to(AppliesTo::Regex("/^Resource::arn:aws:logs:.*:\\*$/".into()))
            .applies_to("Action::logs:*"),
            Suppression::new(
                "AwsSolutions-IAM5",
                "Reads objects of bucket b, which holds only public data",
            )
            .applies_to(AppliesTo::Regex(
                "/^(Action::s3:get\\*|Resource::arn:aws:s3:::b\\/\\*)$/i".into(),
            )),
        ],
        false,
    );
    let assembly = app.synth_in_memory().expect("everything suppressed");
    let report = assembly.validation_report.as_ref().unwrap();
    assert!(report.findings().is_empty());
    assert_eq!(report.suppressed_findings().len(), 4);
    assert!(report.unused_suppressions.is_empty());
    let json = report.to_json();
    let suppressed = &json["pluginReports"][0]["suppressedViolations"];
    assert_eq!(json["pluginReports"][0]["conclusion"], "success");
    assert_eq!(suppressed[0]["acknowledgedAt"], "S");
    assert_eq!(
        suppressed[0]["violatingConstructs"][0]["cloudFormationResource"]["logicalId"],
        "Policy"
    );
}

#[test]
fn unused_suppressions_are_warnings() {
    let (app, stack) = app_with(json!({}));
    let topic = CfnResource::new(
        &stack,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            properties: [("KmsMasterKeyId".to_string(), Value::from("alias/aws/sns"))].into(),
        },
    );
    NagSuppressions::add_resource_suppressions(
        &topic,
        &[Suppression::new(
            "AwsSolutions-SNS2",
            "The topic is encrypted with the AWS managed key",
        )],
        false,
    );
    let assembly = app
        .synth_in_memory()
        .expect("warnings do not fail synthesis");
    let unused = &assembly
        .validation_report
        .as_ref()
        .unwrap()
        .unused_suppressions;
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0].path, "S/Topic");
    Annotations::from_stack(&stack).has_warning(
        "/S/Topic",
        Match::string_like_regexp("unused suppression.*AwsSolutions-SNS2"),
    );
}

#[test]
fn a_suppression_needs_a_reason() {
    let (app, stack) = app_with(json!({}));
    let p = policy(&stack, "Policy");
    Validations::of(&p).suppress(Suppression::new("AwsSolutions-IAM5", "ok"));
    Validations::of(&p).suppress(Suppression::new(
        "AwsSolutions-IAM5[Action::logs:*]",
        "A reason long enough",
    ));
    let Err(Error::Validation(errors)) = app.synth_in_memory() else {
        panic!("expected validation errors")
    };
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(messages[0].starts_with("[S/Policy] the suppression of 'AwsSolutions-IAM5' needs a reason of at least 10 characters"), "{messages:?}");
    assert!(
        messages[1].contains("suppress the rule 'AwsSolutions-IAM5' with applies_to instead"),
        "{messages:?}"
    );
}

#[test]
fn context_suppressions_by_path() {
    let (app, stack) = app_with(json!({"@rcdk/validation:suppressions": [
        {"path": "S/Policy", "id": "AwsSolutions-IAM5", "reason": "Listed in cdk.json for the whole policy"},
        {"path": "/S/Nowhere", "id": "AwsSolutions-S1", "reason": "A construct that does not exist"}
    ]}));
    policy(&stack, "Policy");
    let assembly = app.synth_in_memory().unwrap();
    let report = assembly.validation_report.as_ref().unwrap();
    assert!(report.findings().is_empty());
    assert_eq!(report.unused_suppressions.len(), 1);
    assert_eq!(report.unused_suppressions[0].path, "S/Nowhere");
    assert!(report.unused_suppressions[0]
        .message()
        .contains("from context '@rcdk/validation:suppressions[1]'"));

    let (bad, bad_stack) = app_with(
        json!({"@rcdk/validation:suppressions": [{"path": "S", "id": "X", "reason": "short"}]}),
    );
    // A resource: CloudFormation (and so synthesis) refuses a stack without any.
    CfnResource::new(
        &bad_stack,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
    let Err(Error::Validation(errors)) = bad.synth_in_memory() else {
        panic!("expected an error")
    };
    assert!(errors[0].message.starts_with(
        "context '@rcdk/validation:suppressions'[0]: the suppression of 'X' needs a reason"
    ));
}

#[test]
fn fatal_violations_cannot_be_suppressed() {
    use cdk_core::validation::*;
    struct Fatal;
    impl PolicyValidationPlugin for Fatal {
        fn name(&self) -> &str {
            "Fatal Plugin"
        }
        fn validate(
            &self,
            ctx: &PolicyValidationContext<'_>,
        ) -> Result<PolicyValidationPluginReport, String> {
            let mut v = PolicyViolation::new("F1", "never", Severity::Fatal);
            for s in &ctx.stacks {
                for (id, _) in s.resources() {
                    v.violating_resources
                        .push(PolicyViolatingResource::in_template(
                            &s.template_path,
                            id,
                            ["Properties"],
                        ));
                }
            }
            Ok(PolicyValidationPluginReport::from_violations(vec![v]))
        }
    }
    let app = App::with_props(AppProps::default());
    Validations::of(&app).add_plugin(std::rc::Rc::new(Fatal));
    let stack = Stack::new(&app, "S", StackProps::default());
    let t = CfnResource::new(
        &stack,
        "T",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
    Validations::of(&t).suppress(Suppression::new("F1", "Trying to hide a fatal finding"));
    let report = failure(&app);
    assert_eq!(report.findings()[0].severity, Severity::Fatal);
    assert!(report.format_text(false).contains("Rule Fatal-Plugin::F1"));
    assert_eq!(report.unused_suppressions.len(), 1);
}

#[test]
fn reports_in_the_assembly_and_nothing_written_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("cdk.out");
    let (app, stack) = app_with(json!({}));
    let p = policy(&stack, "Policy");
    Validations::of(&p).suppress(Suppression::new(
        "AwsSolutions-IAM5",
        "Suppressed here to let the first synthesis pass",
    ));
    app.synth_to(&outdir).expect("passes");
    let report: J = serde_json::from_str(
        &std::fs::read_to_string(outdir.join("validation-report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["title"], "Validation Report");
    assert_eq!(report["version"], "55.0.0");
    assert_eq!(report["pluginReports"][0]["pluginName"], "AwsSolutions");
    let legacy: J = serde_json::from_str(
        &std::fs::read_to_string(outdir.join("policy-validation-report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(legacy["title"], "Validation Report");
    assert_eq!(
        legacy["pluginReports"],
        json!([]),
        "legacy lists failing or violating plugins only"
    );
    let before = std::fs::read_to_string(outdir.join("S.template.json")).unwrap();

    // A second app with the violation unsuppressed: synth fails, the assembly stays as it was.
    let (app2, stack2) = app_with(json!({}));
    policy(&stack2, "Policy");
    policy(&stack2, "Other");
    let err = app2.synth_to(&outdir).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("policy validation failed:\n\nERROR"),
        "{err}"
    );
    let Error::PolicyValidation(report) = &err else {
        panic!()
    };
    let legacy = report.to_legacy_json();
    assert_eq!(legacy["pluginReports"][0]["summary"]["status"], "failure");
    assert_eq!(
        legacy["pluginReports"][0]["violations"][0]["violatingConstructs"][0]["constructStack"]
            ["id"],
        "S"
    );
    assert_eq!(
        std::fs::read_to_string(outdir.join("S.template.json")).unwrap(),
        before
    );
    let _ = Severity::Error;
}
