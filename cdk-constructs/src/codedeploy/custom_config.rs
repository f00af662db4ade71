//! [`CustomLambdaDeploymentConfig`]: a Lambda deployment configuration created through the
//! CodeDeploy API by an [`AwsCustomResource`] (aws-cdk-lib's deprecated
//! `CustomLambdaDeploymentConfig`, from before CloudFormation supported Lambda deployment
//! configurations; prefer [`LambdaDeploymentConfig::new`](super::LambdaDeploymentConfig::new)).
//! Kept so that apps that have one keep their resources.

use std::time::Duration;

use cdk_core::{json, Aws, IConstruct, Names, Node, Str, Value};

use super::{validate_name, ConfigKind, LambdaDeploymentConfig};
use crate::custom_resources::{
    AwsCustomResource, AwsCustomResourcePolicy, AwsCustomResourceProps, AwsSdkCall,
    PhysicalResourceId,
};

/// How a [`CustomLambdaDeploymentConfig`] shifts traffic (aws-cdk-lib's
/// `CustomLambdaDeploymentConfigType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomLambdaDeploymentConfigType {
    /// `percentage` first, the rest after `interval`.
    Canary,
    /// `percentage` more every `interval`.
    Linear,
}

impl CustomLambdaDeploymentConfigType {
    fn name(self) -> &'static str {
        match self {
            CustomLambdaDeploymentConfigType::Canary => "Canary",
            CustomLambdaDeploymentConfigType::Linear => "Linear",
        }
    }
}

/// Properties of a [`CustomLambdaDeploymentConfig`].
#[derive(Clone, Debug)]
pub struct CustomLambdaDeploymentConfigProps {
    /// Canary or linear.
    pub r#type: CustomLambdaDeploymentConfigType,
    /// The percentage of traffic per step (1 to 99).
    pub percentage: u32,
    /// The time between steps (whole minutes, at most 2880).
    pub interval: Duration,
    /// The configuration's name (default: `<unique ID>.Lambda<Type><percentage>Percent[Every]<minutes>Minutes`,
    /// the unique ID of the construct path as aws-cdk-lib's `Names.uniqueId`).
    pub deployment_config_name: Option<String>,
}

/// A Lambda deployment configuration made by the CodeDeploy API calls
/// `createDeploymentConfig` (create and update) and `deleteDeploymentConfig` of the
/// `AwsCustomResource` `DeploymentConfig` (aws-cdk-lib's deprecated
/// `CustomLambdaDeploymentConfig`). A deployment group using it depends on it.
///
/// ```
/// use std::time::Duration;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codedeploy::{
///     CustomLambdaDeploymentConfig, CustomLambdaDeploymentConfigProps, CustomLambdaDeploymentConfigType,
/// };
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let config = CustomLambdaDeploymentConfig::new(&stack, "Linear5", CustomLambdaDeploymentConfigProps {
///     r#type: CustomLambdaDeploymentConfigType::Linear,
///     percentage: 5,
///     interval: Duration::from_secs(60),
///     deployment_config_name: None,
/// });
/// assert_eq!(config.deployment_config_name().literal(), Some("ServiceLinear5A33174F4.LambdaLinear5PercentEvery1Minutes"));
/// ```
#[derive(Clone)]
pub struct CustomLambdaDeploymentConfig {
    node: Node,
    name: String,
    resource: AwsCustomResource,
}

impl IConstruct for CustomLambdaDeploymentConfig {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl CustomLambdaDeploymentConfig {
    /// Defines the configuration `id` under `scope`.
    pub fn new(
        scope: &impl IConstruct,
        id: &str,
        props: CustomLambdaDeploymentConfigProps,
    ) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.codedeploy.CustomLambdaDeploymentConfig");
        if !(1..=99).contains(&props.percentage) {
            node.add_error(&format!(
                "Invalid deployment config percentage \"{}\".         Step percentage must be an integer between 1 and 99.",
                props.percentage
            ));
        }
        let seconds = props.interval.as_secs();
        if !seconds.is_multiple_of(60) {
            node.add_error(&format!(
                "the deployment config interval must be a whole number of minutes (got {seconds} s)"
            ));
        }
        let minutes = seconds / 60;
        if minutes > 2880 {
            node.add_error(&format!(
                "Invalid deployment config interval \"{}\".         Traffic shifting intervals must be positive integers up to 2880 (2 days).",
                js_duration(props.interval)
            ));
        }
        let kind = props.r#type;
        let name = props.deployment_config_name.clone().unwrap_or_else(|| {
            format!(
                "{}.Lambda{}{}Percent{}{}Minutes",
                Names::unique_id(&node),
                kind.name(),
                props.percentage,
                if kind == CustomLambdaDeploymentConfigType::Linear {
                    "Every"
                } else {
                    ""
                },
                minutes
            )
        });
        let routing = match kind {
            CustomLambdaDeploymentConfigType::Canary => json::ordered_object(vec![
                ("type".into(), Value::from("TimeBasedCanary")),
                (
                    "timeBasedCanary".into(),
                    json::ordered_object(vec![
                        ("canaryInterval".into(), Value::from(minutes)),
                        ("canaryPercentage".into(), Value::from(props.percentage)),
                    ]),
                ),
            ]),
            CustomLambdaDeploymentConfigType::Linear => json::ordered_object(vec![
                ("type".into(), Value::from("TimeBasedLinear")),
                (
                    "timeBasedLinear".into(),
                    json::ordered_object(vec![
                        ("linearInterval".into(), Value::from(minutes)),
                        ("linearPercentage".into(), Value::from(props.percentage)),
                    ]),
                ),
            ]),
        };
        let create = || {
            AwsSdkCall::new("CodeDeploy", "createDeploymentConfig")
                .parameters(json::ordered_object(vec![
                    ("deploymentConfigName".into(), Value::from(name.as_str())),
                    ("computePlatform".into(), Value::from("Lambda")),
                    ("trafficRoutingConfig".into(), routing.clone()),
                ]))
                .physical_resource_id(PhysicalResourceId::of(name.as_str()))
        };
        let resource = AwsCustomResource::new(
            &node,
            "DeploymentConfig",
            AwsCustomResourceProps {
                on_create: Some(create()),
                on_update: Some(create()),
                on_delete: Some(
                    AwsSdkCall::new("CodeDeploy", "deleteDeploymentConfig").parameters(
                        json::ordered_object(vec![(
                            "deploymentConfigName".into(),
                            Value::from(name.as_str()),
                        )]),
                    ),
                ),
                policy: Some(AwsCustomResourcePolicy::from_sdk_calls_any_resource()),
                install_latest_aws_sdk: Some(false),
                ..Default::default()
            },
        );
        let checked = Str::from(name.as_str());
        node.add_validation(move || validate_name("Deployment config", Some(&checked)));
        CustomLambdaDeploymentConfig {
            node,
            name,
            resource,
        }
    }

    /// The configuration's name.
    pub fn deployment_config_name(&self) -> Str {
        Str::from(self.name.as_str())
    }

    /// `arn:${Partition}:codedeploy:${Region}:${AccountId}:deploymentconfig:<name>`.
    pub fn deployment_config_arn(&self) -> Str {
        Str::from("arn:")
            + Aws::PARTITION
            + ":codedeploy:"
            + Aws::REGION
            + ":"
            + Aws::ACCOUNT_ID
            + ":deploymentconfig:"
            + self.name.as_str()
    }

    /// The `AwsCustomResource` that makes the calls.
    pub fn custom_resource(&self) -> &AwsCustomResource {
        &self.resource
    }
}

/// A deployment group can use it like any configuration (and then depends on it).
impl From<CustomLambdaDeploymentConfig> for LambdaDeploymentConfig {
    fn from(config: CustomLambdaDeploymentConfig) -> Self {
        LambdaDeploymentConfig {
            kind: ConfigKind::CustomResource(config.node.clone(), config.deployment_config_name()),
        }
    }
}

/// aws-cdk-lib's `Duration.toString()` (`Duration.minutes(3000)`).
fn js_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s.is_multiple_of(60) {
        format!("Duration.minutes({})", s / 60)
    } else {
        format!("Duration.seconds({s})")
    }
}
