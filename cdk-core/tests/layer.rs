//! The resource layer: ARNs, names, physical names used across environments, feature flags.

mod common;

use cdk_core::feature_flags::{
    self, IAM_MINIMIZE_POLICIES, PIPELINE_REDUCE_STAGE_ROLE_TRUST_SCOPE,
};
use cdk_core::{
    App, AppProps, ArnComponents, ArnFormat, CfnOutput, CfnOutputProps, CfnResource,
    CfnResourceProps, Environment, Error, IConstruct, Names, PhysicalName, Resource, ResourceProps,
    Stack, StackProps, Str, UniqueResourceNameOptions,
};
use serde_json::json;

fn env_stack(app: &App, id: &str, account: &str) -> Stack {
    Stack::new(
        app,
        id,
        StackProps {
            env: Some(Environment::new(account, "us-east-1")),
            ..Default::default()
        },
    )
}

#[test]
fn split_arn_matches_aws_cdk_lib() {
    let app = App::new();
    let stack = env_stack(&app, "S", "111111111111");
    // aws-cdk-lib: {"service":"iam","resource":"role","partition":"aws","region":"",
    // "account":"222222222222","resourceName":"path/Deployer"}
    let parts = stack.split_arn(
        "arn:aws:iam::222222222222:role/path/Deployer",
        ArnFormat::SlashResourceName,
    );
    assert_eq!(parts.service, Str::from("iam"));
    assert_eq!(parts.resource, Str::from("role"));
    assert_eq!(parts.partition, Some("aws".into()));
    assert_eq!(parts.region, Some("".into()));
    assert_eq!(parts.account, Some("222222222222".into()));
    assert_eq!(parts.resource_name, Some("path/Deployer".into()));
    assert_eq!(parts.arn_format, Some(ArnFormat::SlashResourceName));

    let colon = stack.split_arn(
        "arn:aws:codecommit:us-east-1:222222222222:repo",
        ArnFormat::NoResourceName,
    );
    assert_eq!(colon.resource, Str::from("repo"));
    assert_eq!(colon.resource_name, None);

    // A token ARN is split at deploy time, as aws-cdk-lib's parseTokenArn.
    let role = CfnResource::new(
        &stack,
        "Role",
        CfnResourceProps {
            resource_type: "AWS::IAM::Role".into(),
            ..Default::default()
        },
    );
    let parts = stack.split_arn(role.get_att("Arn"), ArnFormat::SlashResourceName);
    let split = json!({"Fn::Split": [":", {"Fn::GetAtt": ["Role", "Arn"]}]});
    assert_eq!(
        stack.resolve(parts.account.unwrap().value()).unwrap(),
        json!({"Fn::Select": [4, split]})
    );
    assert_eq!(
        stack.resolve(parts.resource_name.unwrap().value()).unwrap(),
        json!({"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::Select": [5, split]}]}]})
    );
}

#[test]
fn format_arn_uses_the_stack_and_the_format() {
    let app = App::new();
    let stack = env_stack(&app, "S", "111111111111");
    let arn = stack.format_arn(ArnComponents::new("codebuild", "project").with_name("Build"));
    assert_eq!(
        stack.resolve(arn.value()).unwrap(),
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":codebuild:us-east-1:111111111111:project/Build"]]})
    );
    let arn = stack.format_arn(
        ArnComponents::new("logs", "log-group")
            .with_name("/aws/x")
            .with_format(ArnFormat::ColonResourceName),
    );
    assert!(stack
        .resolve(arn.value())
        .unwrap()
        .to_string()
        .contains(":logs:us-east-1:111111111111:log-group:/aws/x"));
    let global = stack.format_arn(
        ArnComponents::new("iam", "role")
            .with_name("R")
            .with_region(""),
    );
    assert!(stack
        .resolve(global.value())
        .unwrap()
        .to_string()
        .contains(":iam::111111111111:role/R"));
}

#[test]
fn partition_literals_follow_their_flag() {
    let app = App::with_props(AppProps {
        context: [(
            "@aws-cdk/core:enablePartitionLiterals".to_string(),
            json!(true),
        )]
        .into(),
        ..Default::default()
    });
    let stack = env_stack(&app, "S", "111111111111");
    assert_eq!(stack.partition(), Str::from("aws"));
    let agnostic = Stack::new(&app, "A", StackProps::default());
    assert!(agnostic.partition().is_token());
    let app = App::new();
    assert!(env_stack(&app, "S", "111111111111").partition().is_token());
}

#[test]
fn names_match_aws_cdk_lib() {
    let app = App::new();
    let stack = env_stack(&app, "ProdAccountRolesStack", "222222222222");
    let role = Resource::new(
        &stack,
        "CrossAccountRole",
        "test.Role",
        ResourceProps::default(),
    );
    assert_eq!(
        Names::unique_id(&role),
        "ProdAccountRolesStackCrossAccountRoleA059778E"
    );
    // aws-cdk-lib: Names.uniqueResourceName(role, {separator: '-', maxLength: 20})
    assert_eq!(
        Names::unique_resource_name(
            &role,
            &UniqueResourceNameOptions {
                separator: "-".into(),
                max_length: 20,
                ..Default::default()
            }
        ),
        "ProdActRole-A059778E"
    );
}

fn role(stack: &Stack, id: &str, name: Option<PhysicalName>) -> (Resource, CfnResource) {
    let res = Resource::new(
        stack,
        id,
        "test.Role",
        ResourceProps {
            physical_name: name,
            ..Default::default()
        },
    );
    let mut properties = cdk_core::ValueMap::new();
    if let Some(n) = res.physical_name() {
        properties.insert("RoleName", n.into_value());
    }
    let cfn = CfnResource::new(
        &res,
        "Resource",
        CfnResourceProps {
            resource_type: "AWS::IAM::Role".into(),
            properties,
        },
    );
    (res, cfn)
}

#[test]
fn generated_names_appear_when_a_resource_is_used_from_another_account() {
    let app = App::new();
    let prod = env_stack(&app, "ProdAccountRolesStack", "222222222222");
    let tools = env_stack(&app, "Tools", "111111111111");
    let (res, cfn) = role(
        &prod,
        "CrossAccountRole",
        Some(PhysicalName::GenerateIfNeeded),
    );
    let arn = res.arn_attribute(
        cfn.get_att("Arn"),
        ArnComponents::new("iam", "role")
            .with_region("")
            .with_name(res.physical_name().unwrap()),
    );
    let name = res.name_attribute(cfn.ref_());
    CfnOutput::new(
        &tools,
        "Arn",
        CfnOutputProps {
            value: arn.clone(),
            ..Default::default()
        },
    );
    CfnOutput::new(
        &tools,
        "Name",
        CfnOutputProps {
            value: name.clone(),
            ..Default::default()
        },
    );
    // CloudFormation refuses a stack without resources: the consumer holds one.
    CfnResource::new(
        &tools,
        "Handle",
        CfnResourceProps {
            resource_type: "AWS::CloudFormation::WaitConditionHandle".into(),
            properties: cdk_core::ValueMap::new(),
        },
    );
    // In its own stack the attributes stay references.
    CfnOutput::new(
        &prod,
        "LocalName",
        CfnOutputProps {
            value: name,
            ..Default::default()
        },
    );
    let (_dir, assembly) = common::synth(&app);
    // Values from aws-cdk-lib 2.276 for the same construct tree.
    let generated = "prodaccountrolesstackcrossaccountrolea059778e781c96e44995";
    let tools = &assembly.stack("Tools").unwrap().template;
    assert_eq!(tools["Outputs"]["Name"]["Value"], json!(generated));
    assert_eq!(
        tools["Outputs"]["Arn"]["Value"],
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":iam::222222222222:role/{generated}")]]})
    );
    let prod = &assembly.stack("ProdAccountRolesStack").unwrap().template;
    assert_eq!(
        prod["Resources"]["CrossAccountRoleFACE29D1"]["Properties"]["RoleName"],
        json!(generated)
    );
    assert_eq!(
        prod["Outputs"]["LocalName"]["Value"],
        json!({"Ref": "CrossAccountRoleFACE29D1"})
    );
}

#[test]
fn a_generated_name_is_absent_while_nothing_needs_it() {
    let app = App::new();
    let prod = env_stack(&app, "P", "222222222222");
    let (_res, _cfn) = role(&prod, "R", Some(PhysicalName::GenerateIfNeeded));
    let (_d, assembly) = common::synth(&app);
    let r = &assembly.stack("P").unwrap().template["Resources"]["R"];
    assert!(r.get("Properties").is_none(), "{r}");
}

#[test]
fn a_resource_without_a_usable_name_cannot_cross_accounts() {
    let app = App::new();
    let prod = env_stack(&app, "P", "222222222222");
    let tools = env_stack(&app, "T", "111111111111");
    let (res, cfn) = role(&prod, "R", None);
    CfnOutput::new(
        &tools,
        "Name",
        CfnOutputProps {
            value: res.name_attribute(cfn.ref_()),
            ..Default::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path()).unwrap_err();
    assert!(matches!(err, Error::Resolve { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("Cannot use resource 'P/R' in a cross-environment fashion"),
        "{err}"
    );
}

#[test]
fn imported_resources_take_their_environment_from_the_arn() {
    let app = App::new();
    let tools = env_stack(&app, "T", "111111111111");
    let imported = Resource::new(
        &tools,
        "Imported",
        "test.ImportedRole",
        ResourceProps {
            environment_from_arn: Some("arn:aws:iam::222222222222:role/Deployer".into()),
            ..Default::default()
        },
    );
    assert_eq!(imported.env().account, Str::from("222222222222"));
    assert_eq!(imported.env().region, Str::from(""));
    let local = Resource::new(&tools, "Local", "test.Thing", ResourceProps::default());
    assert_eq!(local.env().account, Str::from("111111111111"));
    assert!(local.default_child().is_none());
    local.apply_removal_policy(cdk_core::RemovalPolicy::Destroy);
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("[T/Local] Cannot apply RemovalPolicy"),
        "{err}"
    );
}

#[test]
fn feature_flags_read_context_with_aws_cdk_lib_defaults() {
    let app = App::new();
    assert!(!feature_flags::is_enabled(&app, IAM_MINIMIZE_POLICIES));
    // aws-cdk-lib 2.276 behaves as if this one were on when it is absent.
    assert!(feature_flags::is_enabled(
        &app,
        PIPELINE_REDUCE_STAGE_ROLE_TRUST_SCOPE
    ));
    let app = App::with_props(AppProps {
        context: [
            (IAM_MINIMIZE_POLICIES.to_string(), json!(true)),
            (
                PIPELINE_REDUCE_STAGE_ROLE_TRUST_SCOPE.to_string(),
                json!(false),
            ),
        ]
        .into(),
        ..Default::default()
    });
    assert!(feature_flags::is_enabled(&app, IAM_MINIMIZE_POLICIES));
    assert!(!feature_flags::is_enabled(
        &app,
        PIPELINE_REDUCE_STAGE_ROLE_TRUST_SCOPE
    ));
    // A flag set below the app applies below it only.
    let stack = Stack::new(&app, "S", StackProps::default());
    stack.node().set_context(IAM_MINIMIZE_POLICIES, false);
    assert!(!feature_flags::is_enabled(&stack, IAM_MINIMIZE_POLICIES));
}

#[test]
fn expired_flags_are_always_on_and_an_error_when_set() {
    let app = App::with_props(AppProps {
        context: [(
            "@aws-cdk/aws-kms:defaultKeyPolicies".to_string(),
            json!(true),
        )]
        .into(),
        ..Default::default()
    });
    assert!(feature_flags::is_enabled(
        &app,
        "@aws-cdk/aws-kms:defaultKeyPolicies"
    ));
    Stack::new(&app, "S", StackProps::default());
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("Unsupported feature flag '@aws-cdk/aws-kms:defaultKeyPolicies'"),
        "{err}"
    );
}
