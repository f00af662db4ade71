//! Deployments (snapshots of the API model) and stages (named, callable deployments).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_core::{CfnElement, IConstruct, Node, RemovalPolicy, Stack, Str};

use super::access_log::{includes_request_id, AccessLogFormat, IAccessLogDestination};
use super::cfn_stage::{AccessLogSettingProperty, MethodSettingProperty};
use super::hash::{md5_hex, HashData, HashResolver};
use super::{CfnAccount, CfnDeployment, CfnDeploymentProps, CfnRestApi, CfnStage, CfnStageProps};
use crate::Bool;

/// The properties of `AWS::ApiGateway::RestApi`, in the order aws-cdk-lib renders them.
const REST_API_PROPERTIES: &[&str] = &[
    "ApiKeySourceType",
    "BinaryMediaTypes",
    "Body",
    "BodyS3Location",
    "CloneFrom",
    "Description",
    "DisableExecuteApiEndpoint",
    "EndpointAccessMode",
    "EndpointConfiguration",
    "FailOnWarnings",
    "MinimumCompressionSize",
    "Mode",
    "Name",
    "Parameters",
    "Policy",
    "SecurityPolicy",
    "Tags",
];

/// The deployment of a REST API's latest model (`AWS::ApiGateway::Deployment`).
///
/// Deployments are immutable, so its logical ID carries a hash of the API model, computed as
/// aws-cdk-lib does: every resource and method added to the API contributes its properties
/// ([`Deployment::add_to_logical_id`]), followed by the `AWS::ApiGateway::RestApi` resource as
/// rendered; the MD5 of their JSON (lower-case hex) is appended to the logical ID. A change of
/// the model therefore creates a new deployment that the stage switches to. The deployment
/// depends on every method and resource of the API, so it is created after them.
#[derive(Clone)]
pub struct Deployment {
    node: Node,
    resource: CfnDeployment,
    hash: Rc<RefCell<Vec<HashData>>>,
}

impl IConstruct for Deployment {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// The JSON aws-cdk-lib adds for the REST API itself (`_toCloudFormation()` of `CfnRestApi`):
/// `{"Resources": {id: {"Type", "Properties", "Metadata": {"aws:cdk:path"}}}}`, the path
/// metadata only when `aws:cdk:enable-path-metadata` is truthy (the CDK CLI enables it).
fn rest_api_component(api: &CfnRestApi) -> HashData {
    let properties: Vec<(String, HashData)> = REST_API_PROPERTIES
        .iter()
        .filter_map(|name| {
            let value = api.resource().property(name)?;
            (!matches!(value, cdk_core::Value::Null))
                .then(|| (name.to_string(), HashData::Token(value)))
        })
        .collect();
    // As the template writer (and aws-cdk-lib's `CfnResource`): path metadata only when the
    // context value is truthy; absent means none.
    let path_metadata = api
        .node()
        .try_get_context("aws:cdk:enable-path-metadata")
        .is_some_and(|v| cdk_core::feature_flags::is_truthy(&v));
    let mut body = vec![
        (
            "Type".to_string(),
            HashData::from(CfnRestApi::CFN_RESOURCE_TYPE_NAME),
        ),
        (
            "Properties".to_string(),
            if properties.is_empty() {
                HashData::Null
            } else {
                HashData::Object(properties)
            },
        ),
    ];
    if path_metadata {
        body.push((
            "Metadata".to_string(),
            HashData::object([("aws:cdk:path", HashData::from(api.node().path()))]),
        ));
    }
    HashData::object([(
        "Resources",
        HashData::Object(vec![(
            HashResolver::logical_id_of(api.node()),
            HashData::Object(body),
        )]),
    )])
}

impl Deployment {
    pub(crate) fn new(
        scope: &impl IConstruct,
        id: &str,
        api: &CfnRestApi,
        description: Str,
        retain_deployments: bool,
    ) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.apigateway.Deployment");
        let resource = CfnDeployment::new(
            &node,
            "Resource",
            CfnDeploymentProps {
                description: Some(description),
                ..CfnDeploymentProps::new(api.ref_())
            },
        );
        // The logical ID changes on purpose; `cdk refactor` must not treat that as a move.
        resource.add_cfn_metadata("aws:cdk:do-not-refactor", true);
        if retain_deployments {
            resource.apply_removal_policy(RemovalPolicy::Retain);
        }
        let hash: Rc<RefCell<Vec<HashData>>> = Rc::default();
        let (cfn, components, api) = (resource.clone(), hash.clone(), api.clone());
        // The ID from the construct path, taken before the first override (later prepare
        // steps, at each synth, would otherwise see the overridden ID).
        let original_id: std::cell::OnceCell<String> = std::cell::OnceCell::new();
        // Runs at synth, after the whole model was defined and before logical IDs are assigned.
        node.add_prepare(move || {
            let Some(stack) = Stack::of(&cfn) else {
                return;
            };
            let resolver = HashResolver::new(&stack);
            let mut text = String::new();
            for component in components.borrow().iter() {
                text.push_str(&resolver.stringify(component, cfn.node()));
            }
            text.push_str(&resolver.stringify(&rest_api_component(&api), cfn.node()));
            let logical_id = format!(
                "{}{}",
                original_id.get_or_init(|| HashResolver::logical_id_of(cfn.node())),
                md5_hex(text.as_bytes())
            );
            if logical_id.len() > 255 {
                cfn.node().add_error(&format!(
                    "the deployment's logical ID '{logical_id}' is longer than 255 characters (stack {}); use shorter construct IDs",
                    resolver.stack_path()
                ));
                return;
            }
            cfn.override_logical_id(&logical_id);
        });
        Deployment {
            node,
            resource,
            hash,
        }
    }

    /// Adds data to the hash that determines the deployment's logical ID (tokens are resolved
    /// at synth). Resources and methods of the API add themselves.
    pub fn add_to_logical_id(&self, data: HashData) {
        self.hash.borrow_mut().push(data);
    }

    /// The deployment ID (`Ref`).
    pub fn deployment_id(&self) -> Str {
        self.resource.ref_()
    }

    /// The underlying `AWS::ApiGateway::Deployment`.
    pub fn cfn(&self) -> &CfnDeployment {
        &self.resource
    }
}

/// Logging level of a stage's methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodLoggingLevel {
    /// No logging.
    Off,
    /// Errors only.
    Error,
    /// Errors and informational entries.
    Info,
}

impl MethodLoggingLevel {
    fn name(self) -> &'static str {
        match self {
            MethodLoggingLevel::Off => "OFF",
            MethodLoggingLevel::Error => "ERROR",
            MethodLoggingLevel::Info => "INFO",
        }
    }
}

/// Options of the stage a [`RestApi`](super::RestApi) deploys to (`deploy_options`).
#[derive(Clone, Default)]
pub struct StageOptions {
    /// Stage name, the first path segment of the URL (default `prod`): letters, numbers,
    /// hyphens and underscores.
    pub stage_name: Option<String>,
    /// Description of the stage.
    pub description: Option<String>,
    /// Stage variables (names alphanumeric or `_`, values `[A-Za-z0-9-._~:/?#&=,]+`).
    pub variables: BTreeMap<String, String>,
    /// X-Ray tracing.
    pub tracing_enabled: Option<bool>,
    /// CloudWatch metrics for all methods.
    pub metrics_enabled: Option<bool>,
    /// CloudWatch Logs execution logging for all methods.
    pub logging_level: Option<MethodLoggingLevel>,
    /// Log full requests and responses.
    pub data_trace_enabled: Option<bool>,
    /// Throttling burst limit for all methods.
    pub throttling_burst_limit: Option<u32>,
    /// Throttling rate limit (requests per second) for all methods.
    pub throttling_rate_limit: Option<f64>,
    /// Where the stage writes its access log (default: no access log), e.g. a
    /// [`LogGroupLogDestination`](super::LogGroupLogDestination).
    pub access_log_destination: Option<Rc<dyn IAccessLogDestination>>,
    /// The access-log format (default with a destination: [`AccessLogFormat::clf`]); it needs
    /// `access_log_destination`.
    pub access_log_format: Option<AccessLogFormat>,
}

impl std::fmt::Debug for StageOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StageOptions")
            .field("stage_name", &self.stage_name)
            .field("description", &self.description)
            .field("variables", &self.variables)
            .field("tracing_enabled", &self.tracing_enabled)
            .field("metrics_enabled", &self.metrics_enabled)
            .field("logging_level", &self.logging_level)
            .field("data_trace_enabled", &self.data_trace_enabled)
            .field("throttling_burst_limit", &self.throttling_burst_limit)
            .field("throttling_rate_limit", &self.throttling_rate_limit)
            .field(
                "access_log_destination",
                &self
                    .access_log_destination
                    .as_ref()
                    .map(|_| "<destination>"),
            )
            .field("access_log_format", &self.access_log_format)
            .finish()
    }
}

/// The default stage name.
pub const DEFAULT_STAGE_NAME: &str = "prod";

/// Problems with a literal stage name: API Gateway accepts letters, numbers, hyphens and
/// underscores, at most 128 characters.
pub fn stage_name_errors(name: &str) -> Vec<String> {
    let valid = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Vec::new()
    } else {
        vec![format!(
            "invalid stage name '{name}': use 1 to 128 letters, numbers, hyphens or underscores"
        )]
    }
}

/// The stage's `AccessLogSetting` (aws-cdk-lib's checks: a literal format must contain
/// `$context.requestId` or `$context.extendedRequestId`; a format needs a destination).
fn access_log_setting(stage: &Node, options: &StageOptions) -> Option<AccessLogSettingProperty> {
    let destination = options.access_log_destination.as_ref();
    let format = options.access_log_format.as_ref();
    if destination.is_none() && format.is_none() {
        return None;
    }
    if let Some(literal) = format.and_then(|f| f.format().literal().map(str::to_string)) {
        if !includes_request_id(&literal) {
            stage.add_error(
                "Access log must include either `AccessLogField::context_request_id()` or `AccessLogField::context_extended_request_id()`",
            );
        }
    }
    let Some(destination) = destination else {
        stage.add_error("Access log format is specified without a destination");
        return None;
    };
    let format = match format {
        Some(f) if f.format().literal() != Some("") => f.format(),
        _ => AccessLogFormat::clf().format(),
    };
    Some(AccessLogSettingProperty {
        destination_arn: Some(destination.bind(stage).destination_arn),
        format: Some(format),
    })
}

/// A stage (`AWS::ApiGateway::Stage`): a named reference to a deployment, callable at
/// `https://{api}.execute-api.{region}.{suffix}/{stage}/`.
#[derive(Clone)]
pub struct Stage {
    node: Node,
    resource: CfnStage,
    rest_api_id: Str,
    name: String,
}

impl IConstruct for Stage {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl Stage {
    pub(crate) fn new(
        scope: &impl IConstruct,
        deployment: &Deployment,
        rest_api_id: Str,
        options: &StageOptions,
        cloud_watch_account: Option<&CfnAccount>,
    ) -> Self {
        let name = options
            .stage_name
            .clone()
            .unwrap_or_else(|| DEFAULT_STAGE_NAME.to_string());
        for e in stage_name_errors(&name) {
            scope.node().add_error(&e);
        }
        // The stage name is part of the construct ID, so renaming the stage replaces it.
        let node = Node::new(scope, &format!("DeploymentStage.{name}"));
        node.set_construct_info("cdk-constructs.apigateway.Stage");
        for (key, value) in &options.variables {
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                node.add_error(&format!(
                    "stage variable name '{key}' must be alphanumeric (or '_')"
                ));
            }
            if value.is_empty()
                || !value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#&=,".contains(c))
            {
                node.add_error(&format!(
                    "stage variable value '{value}' does not match [A-Za-z0-9-._~:/?#&=,]+"
                ));
            }
        }
        let has_common = options.metrics_enabled.is_some()
            || options.logging_level.is_some()
            || options.data_trace_enabled.is_some()
            || options.throttling_burst_limit.is_some()
            || options.throttling_rate_limit.is_some();
        let method_settings = has_common.then(|| {
            vec![MethodSettingProperty {
                http_method: Some("*".into()),
                resource_path: Some("/*".into()),
                // aws-cdk-lib renders `dataTraceEnabled ?? false` in every method setting.
                data_trace_enabled: Some(Bool::from(options.data_trace_enabled.unwrap_or(false))),
                logging_level: options.logging_level.map(|l| l.name().into()),
                metrics_enabled: options.metrics_enabled.map(Bool::from),
                throttling_burst_limit: options.throttling_burst_limit.map(Into::into),
                throttling_rate_limit: options.throttling_rate_limit.map(Into::into),
                cache_data_encrypted: None,
                cache_ttl_in_seconds: None,
                caching_enabled: None,
            }]
        });
        let access_log_setting = access_log_setting(&node, options);
        let resource = CfnStage::new(
            &node,
            "Resource",
            CfnStageProps {
                stage_name: Some(name.as_str().into()),
                access_log_setting,
                deployment_id: Some(deployment.deployment_id()),
                description: options.description.as_deref().map(Str::from),
                variables: (!options.variables.is_empty()).then(|| {
                    options
                        .variables
                        .iter()
                        .map(|(k, v)| (k.clone(), Str::from(v.as_str())))
                        .collect()
                }),
                tracing_enabled: options.tracing_enabled.map(Bool::from),
                method_settings,
                ..CfnStageProps::new(rest_api_id.clone())
            },
        );
        if let Some(account) = cloud_watch_account {
            node.add_dependency(account);
        }
        Stage {
            node,
            resource,
            rest_api_id,
            name,
        }
    }

    /// The stage name as a token (`Ref` of the stage, as aws-cdk-lib's `stageName`), which
    /// makes users of it depend on the stage.
    pub fn stage_name(&self) -> Str {
        self.resource.ref_()
    }

    /// The ID of the stage's API.
    pub fn rest_api_id(&self) -> Str {
        self.rest_api_id.clone()
    }

    /// The stage name as configured (`prod`).
    pub fn stage_name_literal(&self) -> &str {
        &self.name
    }

    /// `https://{api}.execute-api.{region}.{url suffix}/{stage}{path}`; `path` must start with `/`.
    pub fn url_for_path(&self, path: &str) -> Str {
        if !path.starts_with('/') {
            self.node
                .add_error(&format!("path must begin with '/': '{path}'"));
        }
        let stack = Stack::of(&self.node);
        let region = stack
            .as_ref()
            .map(Stack::region)
            .unwrap_or(cdk_core::Aws::REGION);
        Str::from("https://")
            + self.rest_api_id.clone()
            + ".execute-api."
            + region
            + "."
            + cdk_core::Aws::URL_SUFFIX
            + "/"
            + self.stage_name()
            + path
    }

    /// The underlying `AWS::ApiGateway::Stage`.
    pub fn cfn(&self) -> &CfnStage {
        &self.resource
    }
}
