//! Template assertions: sections, counts, failure reports, in-memory synthesis of real stacks.

use cdk_assertions::{
    pattern, Annotations, Capture, Match, Tags, Template, TemplateParsingOptions,
};
use cdk_core::{
    App, AppProps, CfnOutput, CfnOutputProps, CfnResource, CfnResourceProps, IConstruct, Stack,
    StackProps, Value,
};
use serde_json::json;

fn sample() -> Template {
    Template::from_json(json!({
        "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
        "Mappings": {"Regions": {"us-east-1": {"Ami": "ami-1"}}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
        "Resources": {
            "RoleA": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "a", "Path": "/"},
                      "Metadata": {"aws:cdk:path": "S/RoleA/Resource"}},
            "RoleB": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "b", "Path": "/svc/", "Tags": [{"Key": "team", "Value": "x"}]},
                      "Metadata": {"aws:cdk:path": "S/RoleB/Resource"}},
            "Topic": {"Type": "AWS::SNS::Topic", "DeletionPolicy": "Retain"}
        },
        "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}, "Export": {"Name": "TopicArn"}}}
    }))
}

#[test]
fn counts_and_finds() {
    let t = sample();
    t.resource_count_is("AWS::IAM::Role", 2);
    t.resource_count_is("AWS::S3::Bucket", 0);
    t.resource_properties_count_is("AWS::IAM::Role", pattern!({"Path": "/"}), 1);
    // A resource without Properties matches an empty properties pattern.
    t.resource_properties_count_is("AWS::SNS::Topic", pattern!({}), 1);
    t.has_resource_properties("AWS::SNS::Topic", Match::absent());
    assert_eq!(
        t.find_resources(
            "AWS::IAM::Role",
            pattern!({"Properties": {"RoleName": "b"}})
        )
        .keys()
        .collect::<Vec<_>>(),
        ["RoleB"]
    );
    assert_eq!(
        t.get_resource_id(
            "AWS::IAM::Role",
            pattern!({"Properties": {"RoleName": "a"}})
        ),
        "RoleA"
    );
    let err = t
        .try_get_resource_id("AWS::IAM::Role", pattern!({}))
        .unwrap_err();
    assert!(err
        .message()
        .starts_with("Template has 2 matches, expected only one."));
    t.all_resources_properties("AWS::IAM::Role", pattern!({"RoleName": Match::any_value()}));
    let err = t
        .try_all_resources_properties("AWS::IAM::Role", pattern!({"Path": "/"}))
        .unwrap_err();
    assert!(err.message().contains("but only 1 match as expected"));
    assert!(err.message().contains("\tRoleB"));
    t.all_resources("AWS::SNS::Topic", pattern!({"DeletionPolicy": "Retain"}));
    let err = t.try_resource_count_is("AWS::IAM::Role", 3).unwrap_err();
    assert_eq!(
        err.message(),
        "Expected 3 resources of type AWS::IAM::Role but found 2: RoleA, RoleB"
    );
}

#[test]
fn other_sections() {
    let t = sample();
    t.has_parameter("Env", pattern!({"Type": "String"}));
    t.has_parameter("*", pattern!({"Default": "dev"}));
    t.has_mapping("Regions", pattern!({"us-east-1": {"Ami": "ami-1"}}));
    t.has_condition("IsProd", pattern!({"Fn::Equals": [{"Ref": "Env"}, "prod"]}));
    t.has_output("TopicArn", pattern!({"Export": {"Name": "TopicArn"}}));
    assert_eq!(t.find_outputs("*", pattern!({})).len(), 1);
    assert!(t.find_parameters("Nope", pattern!({})).is_empty());
    let err = t.try_has_output("Missing", pattern!({})).unwrap_err();
    assert_eq!(
        err.message(),
        "Template has 0 outputs named Missing.\nNo matches found"
    );
    t.template_matches(pattern!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}));
    let err = t
        .try_template_matches(pattern!({"Outputs": {"TopicArn": {"Value": "x"}}}))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "Template did not match as expected. The following mismatches were found:\n\tExpected type string but received object at /Outputs/TopicArn/Value (using objectLike matcher)"
    );
}

#[test]
fn the_report_leads_with_the_closest_candidate_and_the_failing_path() {
    let t = sample();
    let err = t
        .try_has_resource_properties(
            "AWS::IAM::Role",
            pattern!({"RoleName": "b", "Path": "/svc/", "Tags": [{"Key": "team", "Value": "y"}]}),
        )
        .unwrap_err();
    let message = err.message();
    insta::assert_snapshot!(message);
    assert!(message.starts_with(
        "Template has 2 resources with type AWS::IAM::Role, but none match as expected."
    ));
    assert!(message.contains("The closest match is RoleB (S/RoleB/Resource):"));
    assert!(message.contains(
        "at /Properties/Tags/0/Value: Expected y but received x (using objectLike matcher)"
    ));
    // RoleB (one mismatch) ranks before RoleA (three).
    let closest = message.find("RoleB ::").unwrap();
    assert!(closest < message.find("RoleA ::").unwrap());
}

#[test]
fn array_with_failure_report_names_the_closest_element() {
    let t = Template::from_json(
        json!({"Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {
        "PolicyDocument": {"Statement": [
            {"Action": "s3:GetObject", "Effect": "Allow", "Resource": "*"},
            {"Action": "kms:Decrypt", "Effect": "Allow", "Resource": "arn:key"}
        ]}}}}}),
    );
    t.has_resource_properties("AWS::IAM::Policy", pattern!({"PolicyDocument": {
        "Statement": Match::array_with([Match::object_like(pattern!({"Action": "kms:Decrypt"}))])
    }}));
    let err = t
        .try_has_resource_properties("AWS::IAM::Policy", pattern!({"PolicyDocument": {
            "Statement": Match::array_with([Match::object_like(pattern!({"Action": "kms:Encrypt"}))])
        }}))
        .unwrap_err();
    let message = err.message();
    insta::assert_snapshot!(message);
    assert!(message.contains("Could not match arrayWith pattern 0. This is the closest match"));
    // Both statements fail once; the first is the closest.
    assert!(message.contains("at /Properties/PolicyDocument/Statement/0/Action: Expected kms:Encrypt but received s3:GetObject"));
}

#[test]
fn captures_across_resources_in_template_order() {
    let t = sample();
    let name = Capture::new();
    t.has_resource_properties("AWS::IAM::Role", pattern!({"RoleName": &name}));
    assert_eq!(name.as_string(), "a");
    assert!(name.next());
    assert_eq!(name.as_string(), "b");
    assert!(!name.next());
    let tags = Capture::new();
    t.has_resource_properties("AWS::IAM::Role", pattern!({"Tags": &tags}));
    assert_eq!(tags.as_array()[0]["Key"], "team");
    assert_eq!(tags.as_array().len(), 1);
}

#[test]
fn template_matches_fills_captures_only_when_it_matches() {
    let t = sample();
    let path = Capture::new();
    let arn = Capture::new();
    t.template_matches(pattern!({
        "Resources": {"RoleB": {"Properties": {"Path": &path}}},
        "Outputs": {"TopicArn": {"Value": &arn}},
    }));
    assert_eq!(path.as_string(), "/svc/");
    assert_eq!(arn.as_object()["Ref"], "Topic");
    let missed = Capture::new();
    assert!(t
        .try_template_matches(
            pattern!({"Resources": {"RoleA": {"Properties": {"Path": &missed, "RoleName": "x"}}}})
        )
        .is_err());
    assert!(missed.values().is_empty());
}

#[test]
fn cycles_are_reported_unless_skipped() {
    let cyclic = json!({"Resources": {
        "A": {"Type": "T", "Properties": {"X": {"Ref": "B"}}},
        "B": {"Type": "T", "DependsOn": ["A"]}
    }});
    let err = std::panic::catch_unwind(|| Template::from_json(cyclic.clone())).unwrap_err();
    let text = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        text.starts_with(
            "Template is undeployable, these resources have a dependency cycle: A -> B -> A"
        ),
        "{text}"
    );
    let t = Template::from_json_with(
        cyclic,
        TemplateParsingOptions {
            skip_cyclical_dependencies_check: true,
        },
    );
    t.resource_count_is("T", 2);
    let sub = Template::from_str(
        r#"{"Resources": {"A": {"Type": "T", "Properties": {"X": {"Fn::Sub": "${B.Arn}-${!Literal}"}}}, "B": {"Type": "T"}}}"#,
    );
    sub.resource_count_is("T", 2);
}

/// An SNS topic in `stack`.
fn topic(stack: &Stack) {
    CfnResource::new(
        stack,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
}

fn app() -> App {
    App::with_props(AppProps::default())
}

#[test]
fn from_stack_synthesizes_in_memory_with_the_written_templates() {
    let app = app();
    let producer = Stack::new(&app, "Producer", StackProps::default());
    let bucket = CfnResource::new(
        &producer,
        "Bucket",
        CfnResourceProps {
            resource_type: "AWS::S3::Bucket".into(),
            properties: [("BucketName".to_string(), Value::from("logs"))].into(),
        },
    );
    let consumer = Stack::new(&app, "Consumer", StackProps::default());
    topic(&consumer); // CloudFormation refuses a stack without resources
    CfnOutput::new(
        &consumer,
        "Arn",
        CfnOutputProps {
            value: bucket.get_att("Arn"),
            ..Default::default()
        },
    );

    let t = Template::from_stack(&consumer);
    t.has_output("Arn", pattern!({"Value": {"Fn::ImportValue": Match::string_like_regexp("^Producer:ExportsOutputFnGetAttBucket")}}));
    let p = Template::from_stack(&producer);
    p.has_output("*", pattern!({"Export": {"Name": Match::any_value()}}));
    p.has_parameter(
        "BootstrapVersion",
        pattern!({"Type": "AWS::SSM::Parameter::Value<String>"}),
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cdk.out");
    let written = app.synth_to(&dir).unwrap();
    assert_eq!(&written.stack("Producer").unwrap().template, p.to_json());
    assert_eq!(&written.stack("Consumer").unwrap().template, t.to_json());
    // Still the same after writing (idempotent synthesis).
    assert_eq!(Template::from_stack(&producer).to_json(), p.to_json());
}

#[test]
fn repeated_from_stack_sees_changes_to_the_app() {
    let app = app();
    let stack = Stack::new(&app, "S", StackProps::default());
    let topic = CfnResource::new(
        &stack,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).resource_count_is("AWS::SNS::Topic", 1);
    let first = app.synth_in_memory().unwrap();
    assert!(
        std::rc::Rc::ptr_eq(&first, &app.synth_in_memory().unwrap()),
        "unchanged app: cached"
    );
    topic.set_property("TopicName", "alerts");
    Template::from_stack(&stack)
        .has_resource_properties("AWS::SNS::Topic", pattern!({"TopicName": "alerts"}));
    // Changes behind a lazy value are seen too.
    let name = std::rc::Rc::new(std::cell::RefCell::new("one".to_string()));
    let n = name.clone();
    topic.set_property(
        "DisplayName",
        Value::lazy(move || Value::from(n.borrow().clone())),
    );
    Template::from_stack(&stack)
        .has_resource_properties("AWS::SNS::Topic", pattern!({"DisplayName": "one"}));
    *name.borrow_mut() = "two".into();
    Template::from_stack(&stack)
        .has_resource_properties("AWS::SNS::Topic", pattern!({"DisplayName": "two"}));
    // And validations.
    let ok = std::rc::Rc::new(std::cell::Cell::new(true));
    let o = ok.clone();
    stack.node().add_validation(move || {
        if o.get() {
            vec![]
        } else {
            vec!["broken".into()]
        }
    });
    Template::from_stack(&stack);
    ok.set(false);
    let err = Template::try_from_stack(&stack).unwrap_err();
    assert!(err.message().contains("[S] broken"), "{}", err.message());
}

#[test]
fn annotations_and_tags_from_a_stack() {
    let app = app();
    let stack = Stack::new(
        &app,
        "S",
        StackProps {
            tags: [("team".to_string(), "core".to_string())].into(),
            ..Default::default()
        },
    );
    topic(&stack); // CloudFormation refuses a stack without resources
    let other = Stack::new(&app, "Other", StackProps::default());
    topic(&other);
    other.node().add_warning("elsewhere");
    stack.node().add_warning("careful");
    stack.node().add_metadata("aws:cdk:info", "fyi");
    let a = Annotations::from_stack(&stack);
    a.has_warning("/S", "careful");
    a.has_info("/S", Match::string_like_regexp("^f"));
    a.has_no_warning("*", "elsewhere");
    a.has_no_error("*", Match::any_value());
    assert_eq!(a.find_warning("*", Match::any_value()).len(), 1);
    let err = std::panic::catch_unwind(|| a.has_warning("/S", "other")).unwrap_err();
    let text = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        text.starts_with("Stack has 2 messages at path /S, but none match as expected."),
        "{text}"
    );
    Tags::from_stack(&stack).has_values(pattern!({"team": "core"}));
    Tags::from_stack(&other).has_none();
    assert!(Tags::from_stack(&stack)
        .try_has_values(Match::absent())
        .is_err());
}

#[test]
fn flagship_synthesis_is_idempotent_in_memory_and_on_disk() {
    use cross_account_pipeline_example::{build, Settings};
    let app = app();
    let settings = Settings::from_context(&app).unwrap();
    let flagship = build(&app, &settings);
    let first = Template::from_stack(&flagship.pipeline.stack)
        .to_json()
        .clone();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("flagship.out");
    let written = app.synth_to(&dir).unwrap();
    let again = app.synth_to(&dir).unwrap();
    for (a, b) in written.stacks.iter().zip(&again.stacks) {
        assert_eq!(a.template, b.template, "{}", a.artifact_id);
        assert_eq!(a.metadata, b.metadata, "{}", a.artifact_id);
    }
    assert_eq!(
        &written.stack("CrossAccountPipelineStack").unwrap().template,
        &first
    );
    let t = Template::from_stack(&flagship.pipeline.stack);
    assert_eq!(t.to_json(), &first);
    t.resource_count_is("AWS::CodePipeline::Pipeline", 1);
    t.has_resource_properties(
        "AWS::S3::Bucket",
        pattern!({"BucketName": format!("artifact-bucket-{}", settings.tools_account)}),
    );
}
