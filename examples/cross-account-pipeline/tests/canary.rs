//! Safe traffic shifting in both accounts: the API's handler is the alias `live` of the
//! function's current version, CodeDeploy shifts it 10 % first and rolls back on the API's
//! 5xx alarm; the prod deployment role may do exactly that; and the application stacks and
//! prod roles are what aws-cdk-lib 2.276.0 builds from the same construct tree (the reference
//! app in tests/reference-apps/cross-account-pipeline).

use std::path::PathBuf;

use cdk_assertions::{pattern, Capture, Match, Template};
use cdk_core::{App, AppProps};
use cross_account_pipeline_example::{build, CrossAccountPipelineApp, Settings};
use serde_json::{json, Value};

fn app_with(context: &[(&str, Value)]) -> (App, CrossAccountPipelineApp) {
    let app = App::with_props(AppProps {
        context: std::iter::once(("lambdaCode".to_string(), json!("parameters")))
            .chain(context.iter().map(|(k, v)| (k.to_string(), v.clone())))
            .collect(),
        ..Default::default()
    });
    let settings = Settings::from_context(&app).expect("valid settings");
    let stacks = build(&app, &settings);
    (app, stacks)
}

#[test]
fn the_api_calls_the_live_alias_of_the_current_version() {
    let (_app, stacks) = app_with(&[]);
    for application in [&stacks.dev, &stacks.prod] {
        let t = Template::from_stack(&application.stack);
        t.resource_count_is("AWS::Lambda::Version", 1);
        let version = Capture::new();
        t.has_resource_properties(
            "AWS::Lambda::Alias",
            pattern!({
                "Name": "live",
                "FunctionName": {"Ref": Match::string_like_regexp("^Lambda")},
                "FunctionVersion": {"Fn::GetAtt": [&version, "Version"]},
            }),
        );
        // The version's logical ID ends with the hash of the function's configuration.
        assert!(
            regex_like_version_id(&version.as_string()),
            "{}",
            version.as_string()
        );
        // Every API Gateway permission and the integration name the alias, not the function.
        let alias_ref = json!({"Ref": t.find_resources("AWS::Lambda::Alias", json!({})).keys().next().unwrap()});
        for (_, permission) in t.find_resources("AWS::Lambda::Permission", json!({})) {
            assert_eq!(permission["Properties"]["FunctionName"], alias_ref);
        }
        t.has_resource_properties(
            "AWS::ApiGateway::Method",
            pattern!({"Integration": {"Uri": {"Fn::Join": ["", Match::array_with([alias_ref.clone()])]}}}),
        );
    }
}

fn regex_like_version_id(id: &str) -> bool {
    id.starts_with("LambdaCurrentVersion")
        && id.len() == "LambdaCurrentVersion".len() + 8 + 32
        && id["LambdaCurrentVersion".len()..]
            .chars()
            .all(|c| c.is_ascii_hexdigit())
}

#[test]
fn a_5xx_alarm_rolls_a_canary_release_back() {
    let (_app, stacks) = app_with(&[]);
    for application in [&stacks.dev, &stacks.prod] {
        let t = Template::from_stack(&application.stack);
        t.has_resource_properties(
            "AWS::CloudWatch::Alarm",
            pattern!({
                "Namespace": "AWS/ApiGateway",
                "MetricName": "5XXError",
                "Dimensions": [{"Name": "ApiName", "Value": "HelloLambdaRestApi"}],
                "Statistic": "Sum",
                "Period": 300,
                "Threshold": 1,
                "EvaluationPeriods": 1,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            }),
        );
        let alarms = t.find_resources("AWS::CloudWatch::Alarm", json!({}));
        let alarm = alarms.keys().next().unwrap();
        let group = Capture::new();
        t.has_resource_properties(
            "AWS::CodeDeploy::DeploymentGroup",
            pattern!({
                "DeploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                "AlarmConfiguration": {"Alarms": [{"Name": {"Ref": alarm}}], "Enabled": true},
                "AutoRollbackConfiguration": {"Enabled": true, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
                "DeploymentStyle": {"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"},
                "ApplicationName": {"Ref": &group},
            }),
        );
        t.has_resource_properties(
            "AWS::CodeDeploy::Application",
            pattern!({"ComputePlatform": "Lambda"}),
        );
        // CloudFormation hands alias updates to CodeDeploy.
        t.has_resource(
            "AWS::Lambda::Alias",
            pattern!({"UpdatePolicy": {"CodeDeployLambdaAliasUpdate": {
                "ApplicationName": {"Ref": group.as_string()},
                "DeploymentGroupName": {"Ref": Match::string_like_regexp("^DeploymentGroup")},
            }}}),
        );
    }
}

#[test]
fn the_prod_deployment_role_may_run_codedeploy_but_not_everything() {
    let (_app, stacks) = app_with(&[]);
    let t = Template::from_stack(&stacks.prod_roles.stack);
    let policies = t.find_resources(
        "AWS::IAM::Policy",
        pattern!({"Properties": {"Roles": [{"Ref": Match::string_like_regexp("^CloudFormationDeploymentRole")}]}}),
    );
    let (_, policy) = policies
        .iter()
        .next()
        .expect("the deployment role's policy");
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let actions: Vec<&str> = statements
        .iter()
        .flat_map(|s| match &s["Action"] {
            Value::String(a) => vec![a.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        })
        .collect();
    for needed in [
        "codedeploy:CreateApplication",
        "codedeploy:CreateDeploymentGroup",
        "codedeploy:CreateDeployment",
        "codedeploy:GetDeployment",
        "codedeploy:GetDeploymentConfig",
        "cloudwatch:PutMetricAlarm",
        "lambda:CreateAlias",
        "lambda:UpdateAlias",
        "lambda:PublishVersion",
    ] {
        assert!(actions.contains(&needed), "{needed} missing in {actions:?}");
    }
    assert!(
        actions.iter().all(|a| !a.ends_with(":*")),
        "no service-wide wildcard: {actions:?}"
    );
    // CodeDeploy resources are those of the deployment stack, not the whole account.
    for s in statements {
        let resources = match &s["Resource"] {
            Value::Array(r) => r.clone(),
            other => vec![other.clone()],
        };
        for r in resources.iter().filter_map(Value::as_str) {
            if r.contains(":codedeploy:") || r.contains(":cloudwatch:") {
                assert!(
                    r.contains(":application:ProdApplicationDeploymentStack-")
                        || r.contains(":deploymentgroup:ProdApplicationDeploymentStack-")
                        || r.contains(":alarm:ProdApplicationDeploymentStack-")
                        || r.ends_with(
                            ":deploymentconfig:CodeDeployDefault.LambdaCanary10Percent5Minutes"
                        ),
                    "{r}"
                );
            }
        }
    }
}

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/reference-apps/cross-account-pipeline/fixtures")
}

/// The application stacks and the prod roles equal aws-cdk-lib's templates of the same tree,
/// resource for resource (logical IDs, properties, path metadata); every stack of the app has
/// aws-cdk-lib's logical IDs.
#[test]
fn the_canary_release_equals_aws_cdk_lib() {
    // The example's cdk.json names the API's Lambda permissions as aws-cdk-lib 2.276.0 does,
    // which built the reference templates.
    let (app, _stacks) = app_with(&[
        ("aws:cdk:enable-path-metadata", json!(true)),
        (
            "@rcdk/aws-apigateway:legacyLambdaPermissionIds",
            json!(true),
        ),
    ]);
    let assembly = app.synth_in_memory().expect("synth");
    for name in [
        "DevApplicationStack",
        "ProdApplicationStack",
        "ProdAccountRolesStack",
        "CrossAccountPipelineStack",
        "RepositoryStack",
    ] {
        let path = reference_dir().join(format!("{name}.template.json"));
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let actual = &assembly.stack(name).expect(name).template;
        let ids = |t: &Value| {
            t["Resources"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<std::collections::BTreeSet<_>>()
        };
        assert_eq!(ids(actual), ids(&expected), "logical IDs of {name}");
        if name != "CrossAccountPipelineStack" && name != "RepositoryStack" {
            for (id, resource) in expected["Resources"].as_object().unwrap() {
                assert_eq!(&actual["Resources"][id], resource, "{name}/{id}");
            }
        }
    }
}
