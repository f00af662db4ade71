//! Ports of `aws-codedeploy/test/lambda/integ.*.ts`.

use std::rc::Rc;

use cdk_constructs::cloudwatch::{Alarm, AlarmProps, ComparisonOperator, CreateAlarmOptions};
use cdk_constructs::codedeploy::{
    CustomLambdaDeploymentConfig, CustomLambdaDeploymentConfigProps,
    CustomLambdaDeploymentConfigType, LambdaDeploymentConfig, LambdaDeploymentConfigProps,
    LambdaDeploymentGroup, LambdaDeploymentGroupProps, TrafficRouting,
};
use cdk_constructs::lambda::{
    Alias, AliasProps, Code, Function, FunctionProps, IFunction, Runtime,
};
use cdk_core::{App, Stack, StackProps};

use crate::harness::Port;

/// The CodeDeploy ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-codedeploy/integ.deployment-group",
        build: deployment_group,
    },
    Port {
        test: "aws-codedeploy/integ.deployment-config",
        build: deployment_config,
    },
];

/// `lambda/integ.deployment-config.ts`: a custom linear configuration, and the same through
/// the deprecated `CustomLambdaDeploymentConfig` (an `AwsCustomResource` calling
/// `codedeploy:CreateDeploymentConfig`).
fn deployment_config(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codedeploy-lambda-config",
        StackProps::default(),
    );
    LambdaDeploymentConfig::new(
        &stack,
        "LinearConfig",
        LambdaDeploymentConfigProps {
            traffic_routing: Some(TrafficRouting::TimeBasedLinear {
                interval: std::time::Duration::from_secs(60),
                percentage: 5,
            }),
            ..Default::default()
        },
    );
    CustomLambdaDeploymentConfig::new(
        &stack,
        "CustomConfig",
        CustomLambdaDeploymentConfigProps {
            r#type: CustomLambdaDeploymentConfigType::Linear,
            percentage: 5,
            interval: std::time::Duration::from_secs(60),
            deployment_config_name: Some("hello".into()),
        },
    );
}

fn asset_function(stack: &Stack, id: &str, dir: &str) -> Function {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/aws-codedeploy")
        .join(dir);
    Function::new(
        stack,
        id,
        FunctionProps::new(Runtime::Nodejs22X, "index.handler", Code::from_asset(path)),
    )
}

/// `lambda/integ.deployment-group.ts`: two aliases of the current version, a linear group
/// with an alarm and pre/post hooks, and a canary group. Partial: the handlers' code is the
/// port's own (see SOURCE.json).
fn deployment_group(app: &App) {
    let stack = Stack::new(app, "aws-cdk-codedeploy-lambda", StackProps::default());
    let handler = asset_function(&stack, "Handler", "handler");
    let version = handler.current_version();
    let blue_green_alias = Alias::new(&stack, "Alias", AliasProps::new("alias", &version));
    let pre_hook = asset_function(&stack, "PreHook", "preHook");
    let post_hook = asset_function(&stack, "PostHook", "postHook");
    let errors = Alarm::new(
        &stack,
        "BlueGreenErrors",
        AlarmProps {
            metric: blue_green_alias.metric_errors(Default::default()),
            options: CreateAlarmOptions {
                comparison_operator: Some(ComparisonOperator::GreaterThanThreshold),
                ..CreateAlarmOptions::new(1.0, 1)
            },
        },
    );
    LambdaDeploymentGroup::new(
        &stack,
        "BlueGreenDeployment",
        LambdaDeploymentGroupProps {
            deployment_config: Some(LambdaDeploymentConfig::LINEAR_10PERCENT_EVERY_1MINUTE),
            alarms: vec![Rc::new(errors)],
            pre_hook: Some(Rc::new(pre_hook)),
            post_hook: Some(Rc::new(post_hook)),
            ..LambdaDeploymentGroupProps::new(&blue_green_alias)
        },
    );
    let second_alias = Alias::new(
        &stack,
        "SecondAlias",
        AliasProps::new("secondAlias", &version),
    );
    LambdaDeploymentGroup::new(
        &stack,
        "SecondDeployment",
        LambdaDeploymentGroupProps {
            deployment_config: Some(LambdaDeploymentConfig::CANARY_10PERCENT_5MINUTES),
            ..LambdaDeploymentGroupProps::new(&second_alias)
        },
    );
}
