//! Custom resources that make AWS SDK calls (aws-cdk-lib's `custom_resources` module, its
//! `AwsCustomResource` part).
//!
//! - [`AwsCustomResource`]: a `Custom::AWS` resource that makes one SDK call on create, on
//!   update and on delete ([`AwsSdkCall`]), through the stack-wide provider function
//!   `AWS679f53fac002430cb0da5b7982bd2287` (a [`SingletonFunction`]); the call's response
//!   fields are the resource's attributes ([`AwsCustomResource::get_response_field`]).
//! - [`AwsCustomResourcePolicy`]: the provider's permissions, derived from the calls
//!   ([`AwsCustomResourcePolicy::from_sdk_calls`]: `s3:DeleteBucket` for `S3`
//!   `deleteBucket`, with aws-cdk-lib's service and action name mapping) or given.
//! - The provider's code is rcdk's own Node.js handler (AWS SDK for JavaScript v3 of the Lambda
//!   runtime, the request/response contract of aws-cdk-lib's), compiled into the program and
//!   staged as an in-memory asset.

mod sdk_names;

use std::rc::Rc;
use std::time::Duration;

use cdk_core::feature_flags;
use cdk_core::{json, IConstruct, InMemoryDirectory, Node, RemovalPolicy, Str, Value};

use crate::custom_resource_provider::{
    with_cfn_response_module, CustomResource, CustomResourceProps,
};
use crate::iam::{
    AddToPrincipalPolicyResult, IPrincipal, IRole, Policy, PolicyProps, PolicyStatement,
    PrincipalFragment,
};
use crate::lambda::{Code, FunctionProps, Runtime, SingletonFunction, SingletonFunctionProps};

/// Context key of the default of [`AwsCustomResourceProps::install_latest_aws_sdk`]
/// (aws-cdk-lib's `@aws-cdk/customresources:installLatestAwsSdkDefault`; absent: true).
pub use cdk_core::feature_flags::CUSTOM_RESOURCES_INSTALL_LATEST_AWS_SDK_DEFAULT as INSTALL_LATEST_AWS_SDK_DEFAULT;

/// The placeholder that the handler replaces by the resource's physical ID in a call's
/// parameters (aws-cdk-lib's `PhysicalResourceIdReference`; not allowed in `on_create`).
pub const PHYSICAL_RESOURCE_ID_REFERENCE: &str = "PHYSICAL:RESOURCEID:";

/// A parameter value that the handler replaces by the resource's physical ID (aws-cdk-lib's
/// `new PhysicalResourceIdReference()`).
pub fn physical_resource_id_reference() -> Value {
    Value::from(PHYSICAL_RESOURCE_ID_REFERENCE)
}

/// The physical ID of the resource: fixed, or read from the call's response.
#[derive(Clone, Debug)]
pub enum PhysicalResourceId {
    /// A fixed ID (`PhysicalResourceId.of`).
    Of(Str),
    /// The value at this path of the flattened response (`PhysicalResourceId.fromResponse`,
    /// e.g. `Parameter.ARN`).
    FromResponse(String),
}

impl PhysicalResourceId {
    /// A fixed physical ID.
    pub fn of(id: impl Into<Str>) -> Self {
        PhysicalResourceId::Of(id.into())
    }

    /// The physical ID read from the response at `response_path`.
    pub fn from_response(response_path: impl Into<String>) -> Self {
        PhysicalResourceId::FromResponse(response_path.into())
    }

    fn render(&self) -> Value {
        match self {
            PhysicalResourceId::Of(id) => {
                json::ordered_object(vec![("id".into(), id.clone().into_value())])
            }
            PhysicalResourceId::FromResponse(path) => {
                Value::object([("responsePath", path.as_str())])
            }
        }
    }
}

/// What the handler logs of an SDK call (aws-cdk-lib's `Logging`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Logging {
    /// Everything, including the API response (`Logging.all()`, the default).
    All,
    /// Everything but the API response data (`Logging.withDataHidden()`).
    WithDataHidden,
}

/// The fields of a call, in the order they were set (the order of the keys in the rendered
/// JSON, as the order of an object literal's keys in aws-cdk-lib).
#[derive(Clone, Debug, PartialEq, Eq)]
enum CallField {
    Service,
    Action,
    Parameters,
    PhysicalResourceId,
    Region,
    AssumedRoleArn,
    ExternalId,
    OutputPaths,
    OutputPath,
    IgnoreErrorCodesMatching,
    ApiVersion,
}

/// An AWS SDK call (aws-cdk-lib's `AwsSdkCall`). The JSON rendering lists the fields in the
/// order their setters were first called, as aws-cdk-lib lists the keys of the object literal
/// in the order they were written; `new(service, action)` starts with `service` and
/// `action`, [`AwsSdkCall::default`] with nothing.
///
/// `service` is the v3 package suffix or the v2 client name in any case (`S3`, `s3`,
/// `CloudWatchLogs`, `@aws-sdk/client-ssm`); `action` the v2 method or v3 command name
/// (`getParameter`, `GetParameterCommand`).
#[derive(Clone, Debug, Default)]
pub struct AwsSdkCall {
    order: Vec<CallField>,
    service: Option<String>,
    action: Option<String>,
    parameters: Option<Value>,
    physical_resource_id: Option<PhysicalResourceId>,
    region: Option<Str>,
    assumed_role_arn: Option<Str>,
    external_id: Option<Str>,
    output_paths: Option<Vec<String>>,
    output_path: Option<String>,
    ignore_error_codes_matching: Option<String>,
    api_version: Option<String>,
    logging: Option<Logging>,
}

impl AwsSdkCall {
    /// A call of `action` of `service`.
    pub fn new(service: impl Into<String>, action: impl Into<String>) -> Self {
        AwsSdkCall::default().service(service).action(action)
    }

    fn mark(mut self, field: CallField) -> Self {
        if !self.order.contains(&field) {
            self.order.push(field);
        }
        self
    }

    /// The service (`S3`, `SSM`, `@aws-sdk/client-ssm`).
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = Some(service.into());
        self.mark(CallField::Service)
    }

    /// The action (`deleteBucket`, `GetParameterCommand`).
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self.mark(CallField::Action)
    }

    /// The call's parameters (an object; tokens allowed; use [`json::ordered_object`] to keep
    /// the keys in the order written, a [`Value::Map`] sorts them).
    pub fn parameters(mut self, parameters: impl Into<Value>) -> Self {
        self.parameters = Some(parameters.into());
        self.mark(CallField::Parameters)
    }

    /// The physical ID of the resource (required for `on_create`, and for `on_update` without
    /// `on_create`).
    pub fn physical_resource_id(mut self, id: PhysicalResourceId) -> Self {
        self.physical_resource_id = Some(id);
        self.mark(CallField::PhysicalResourceId)
    }

    /// The region to call (default: the function's).
    pub fn region(mut self, region: impl Into<Str>) -> Self {
        self.region = Some(region.into());
        self.mark(CallField::Region)
    }

    /// A role to assume for the call (the provider's policy then allows `sts:AssumeRole` on it
    /// instead of the call's action).
    pub fn assumed_role_arn(mut self, arn: impl Into<Str>) -> Self {
        self.assumed_role_arn = Some(arn.into());
        self.mark(CallField::AssumedRoleArn)
    }

    /// The external ID of the assumed role (only with `assumed_role_arn`).
    pub fn external_id(mut self, id: impl Into<Str>) -> Self {
        self.external_id = Some(id.into());
        self.mark(CallField::ExternalId)
    }

    /// Keep only the response fields whose flattened path starts with one of these (limits the
    /// response to CloudFormation's 4 KiB).
    pub fn output_paths<S: Into<String>>(mut self, paths: impl IntoIterator<Item = S>) -> Self {
        self.output_paths = Some(paths.into_iter().map(Into::into).collect());
        self.mark(CallField::OutputPaths)
    }

    /// One output path (aws-cdk-lib's deprecated `outputPath`).
    pub fn output_path(mut self, path: impl Into<String>) -> Self {
        self.output_path = Some(path.into());
        self.mark(CallField::OutputPath)
    }

    /// A regular expression of error codes (the SDK error's `name`) to treat as success.
    pub fn ignore_error_codes_matching(mut self, pattern: impl Into<String>) -> Self {
        self.ignore_error_codes_matching = Some(pattern.into());
        self.mark(CallField::IgnoreErrorCodesMatching)
    }

    /// The API version to use.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self.mark(CallField::ApiVersion)
    }

    /// What the handler logs (rendered after the other fields, as aws-cdk-lib).
    pub fn logging(mut self, logging: Logging) -> Self {
        self.logging = Some(logging);
        self
    }

    /// The IAM action this call needs (`s3:DeleteBucket`), as aws-cdk-lib's
    /// `awsSdkToIamAction` derives it.
    pub fn iam_action(&self) -> String {
        aws_sdk_to_iam_action(
            self.service.as_deref().unwrap_or(""),
            self.action.as_deref().unwrap_or(""),
        )
    }

    fn render(&self, scope: &Node) -> Value {
        let mut pairs: Vec<(Str, Value)> = Vec::new();
        for field in &self.order {
            let (key, value) = match field {
                CallField::Service => ("service", self.service.clone().map(Value::from)),
                CallField::Action => ("action", self.action.clone().map(Value::from)),
                CallField::Parameters => ("parameters", self.parameters.clone()),
                CallField::PhysicalResourceId => (
                    "physicalResourceId",
                    self.physical_resource_id
                        .as_ref()
                        .map(PhysicalResourceId::render),
                ),
                CallField::Region => ("region", self.region.clone().map(Str::into_value)),
                CallField::AssumedRoleArn => (
                    "assumedRoleArn",
                    self.assumed_role_arn.clone().map(Str::into_value),
                ),
                CallField::ExternalId => {
                    ("externalId", self.external_id.clone().map(Str::into_value))
                }
                CallField::OutputPaths => (
                    "outputPaths",
                    self.output_paths
                        .as_ref()
                        .map(|p| Value::List(p.iter().map(|s| Value::from(s.as_str())).collect())),
                ),
                CallField::OutputPath => ("outputPath", self.output_path.clone().map(Value::from)),
                CallField::IgnoreErrorCodesMatching => (
                    "ignoreErrorCodesMatching",
                    self.ignore_error_codes_matching.clone().map(Value::from),
                ),
                CallField::ApiVersion => ("apiVersion", self.api_version.clone().map(Value::from)),
            };
            if let Some(v) = value {
                pairs.push((key.into(), v));
            }
        }
        // aws-cdk-lib's Logging._render: explicit, or `true` under the flag.
        let log_data = match &self.logging {
            Some(Logging::WithDataHidden) => Some(false),
            _ if feature_flags::is_enabled(
                scope,
                feature_flags::LOG_API_RESPONSE_DATA_PROPERTY_TRUE_DEFAULT,
            ) =>
            {
                Some(true)
            }
            _ => None,
        };
        if let Some(b) = log_data {
            pairs.push(("logApiResponseData".into(), Value::from(b)));
        }
        json::ordered_object(pairs)
    }

    fn includes_physical_resource_id_reference(&self) -> bool {
        fn walk(v: &Value) -> bool {
            match v {
                Value::String(s) => s == PHYSICAL_RESOURCE_ID_REFERENCE,
                Value::List(items) | Value::Concat(items) => items.iter().any(walk),
                Value::Map(map) => map.iter().any(|(_, v)| walk(v)),
                Value::Json(j) => j.to_string().contains(PHYSICAL_RESOURCE_ID_REFERENCE),
                _ => false,
            }
        }
        self.parameters.as_ref().is_some_and(walk)
    }
}

/// True when resolved JSON holds the physical-ID placeholder anywhere.
fn json_has_reference(j: &serde_json::Value) -> bool {
    match j {
        serde_json::Value::String(s) => s == PHYSICAL_RESOURCE_ID_REFERENCE,
        serde_json::Value::Array(items) => items.iter().any(json_has_reference),
        serde_json::Value::Object(map) => map.values().any(json_has_reference),
        _ => false,
    }
}

/// The IAM action of an SDK call (aws-cdk-lib's `awsSdkToIamAction`): the service's IAM prefix
/// (v2 names mapped to v3 ones, `@aws-sdk/client-` dropped, lower case) and the action with
/// its first letter in upper case, or without a trailing `Command` (unless the command's own
/// name ends in it, as `ssm:SendCommand`).
///
/// ```
/// use cdk_constructs::custom_resources::aws_sdk_to_iam_action;
/// assert_eq!(aws_sdk_to_iam_action("S3", "deleteBucket"), "s3:DeleteBucket");
/// assert_eq!(aws_sdk_to_iam_action("CloudWatchLogs", "putRetentionPolicy"), "logs:PutRetentionPolicy");
/// assert_eq!(aws_sdk_to_iam_action("@aws-sdk/client-ssm", "GetParameterCommand"), "ssm:GetParameter");
/// assert_eq!(aws_sdk_to_iam_action("SSM", "SendCommand"), "ssm:SendCommand");
/// ```
pub fn aws_sdk_to_iam_action(service: &str, action: &str) -> String {
    let v3 = normalize_service_name(service);
    let prefix = sdk_names::IAM_PREFIXES
        .binary_search_by(|(name, _)| (*name).cmp(v3.as_str()))
        .map(|i| sdk_names::IAM_PREFIXES[i].1.to_string())
        .unwrap_or_else(|_| v3.clone());
    format!("{prefix}:{}", normalize_action_name(&v3, action))
}

/// aws-cdk-lib's `normalizeServiceName`.
fn normalize_service_name(service: &str) -> String {
    let lower = service.to_lowercase();
    let lower = lower
        .strip_prefix("@aws-sdk/client-")
        .unwrap_or(&lower)
        .to_string();
    sdk_names::V2_TO_V3
        .binary_search_by(|(name, _)| (*name).cmp(lower.as_str()))
        .map(|i| sdk_names::V2_TO_V3[i].1.to_string())
        .unwrap_or(lower)
}

/// aws-cdk-lib's `normalizeActionName`.
fn normalize_action_name(v3_service: &str, action: &str) -> String {
    let mut chars = action.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    // JavaScript: `charAt(0).toLowerCase() === charAt(0)`.
    if first.to_lowercase().eq(std::iter::once(first)) {
        return first.to_uppercase().chain(chars).collect();
    }
    let keeps_suffix = sdk_names::COMMANDS_ENDING_IN_COMMAND
        .iter()
        .any(|(service, commands)| *service == v3_service && commands.contains(&action));
    if keeps_suffix {
        action.to_string()
    } else {
        action.strip_suffix("Command").unwrap_or(action).to_string()
    }
}

/// The provider's permissions (aws-cdk-lib's `AwsCustomResourcePolicy`).
#[derive(Clone, Debug)]
pub struct AwsCustomResourcePolicy {
    statements: Vec<PolicyStatement>,
    resources: Vec<Str>,
}

impl AwsCustomResourcePolicy {
    /// `["*"]`: every resource (aws-cdk-lib's `AwsCustomResourcePolicy.ANY_RESOURCE`).
    pub const ANY_RESOURCE: &'static [&'static str] = &["*"];

    /// Exactly these statements.
    pub fn from_statements(statements: impl IntoIterator<Item = PolicyStatement>) -> Self {
        AwsCustomResourcePolicy {
            statements: statements.into_iter().collect(),
            resources: Vec::new(),
        }
    }

    /// One statement per call: its IAM action ([`aws_sdk_to_iam_action`]) on `resources`
    /// (`sts:AssumeRole` on the role for a call with `assumed_role_arn`).
    pub fn from_sdk_calls<S: Into<Str>>(resources: impl IntoIterator<Item = S>) -> Self {
        AwsCustomResourcePolicy {
            statements: Vec::new(),
            resources: resources.into_iter().map(Into::into).collect(),
        }
    }

    /// `from_sdk_calls` on [`ANY_RESOURCE`](Self::ANY_RESOURCE).
    pub fn from_sdk_calls_any_resource() -> Self {
        AwsCustomResourcePolicy::from_sdk_calls(Self::ANY_RESOURCE.iter().copied())
    }
}

/// Properties of an [`AwsCustomResource`].
#[derive(Clone, Default)]
pub struct AwsCustomResourceProps {
    /// `Custom::<Name>` (default: `Custom::AWS`).
    pub resource_type: Option<String>,
    /// The call on create (default: `on_update`'s).
    pub on_create: Option<AwsSdkCall>,
    /// The call on update.
    pub on_update: Option<AwsSdkCall>,
    /// The call on delete.
    pub on_delete: Option<AwsSdkCall>,
    /// The provider's permissions (required unless `role` is given).
    pub policy: Option<AwsCustomResourcePolicy>,
    /// The provider's execution role (default: a new one; the shared function keeps the role
    /// of the first `AwsCustomResource` of the stack).
    pub role: Option<Rc<dyn IRole>>,
    /// The provider's timeout (default: 2 minutes).
    pub timeout: Option<Duration>,
    /// The provider's memory in MiB (default: Lambda's, 512 with `install_latest_aws_sdk`).
    pub memory_size: Option<u32>,
    /// The provider's function name (default: generated).
    pub function_name: Option<String>,
    /// What happens to the resource on removal (default: destroy).
    pub removal_policy: Option<RemovalPolicy>,
    /// How long CloudFormation waits for the provider (1 s to 1 h; default: CloudFormation's).
    pub service_timeout: Option<Duration>,
    /// Install the latest SDK client from npm before the call (default: the context flag
    /// [`INSTALL_LATEST_AWS_SDK_DEFAULT`], true when absent, with a warning).
    pub install_latest_aws_sdk: Option<bool>,
}

/// A custom resource that makes AWS SDK calls on create, update and delete (aws-cdk-lib's
/// `AwsCustomResource`): the resource `Resource` (`Custom::AWS`) whose `Create`, `Update` and
/// `Delete` properties are the calls as JSON, the stack-wide provider function
/// `AWS679f53fac002430cb0da5b7982bd2287` (rcdk's own handler), and its permissions, the
/// policy `CustomResourcePolicy` attached to the provider's role (the resource depends on it).
///
/// ```
/// use cdk_core::{App, Stack, StackProps, Value};
/// use cdk_constructs::custom_resources::{
///     AwsCustomResource, AwsCustomResourcePolicy, AwsCustomResourceProps, AwsSdkCall, PhysicalResourceId,
/// };
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let get = AwsSdkCall::new("SSM", "getParameter")
///     .parameters(Value::object([("Name", "/app/setting")]))
///     .physical_resource_id(PhysicalResourceId::of("/app/setting"));
/// let parameter = AwsCustomResource::new(&stack, "GetParameter", AwsCustomResourceProps {
///     on_update: Some(get),
///     policy: Some(AwsCustomResourcePolicy::from_sdk_calls_any_resource()), // ssm:GetParameter on *
///     install_latest_aws_sdk: Some(false),
///     ..Default::default()
/// });
/// let value = parameter.get_response_field("Parameter.Value"); // Fn::GetAtt of the resource
/// # let _ = value;
/// ```
#[derive(Clone)]
pub struct AwsCustomResource {
    node: Node,
    resource: CustomResource,
    provider: SingletonFunction,
    policy: Option<Policy>,
    ignores_errors: bool,
}

impl IConstruct for AwsCustomResource {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// The UUID of the provider function (aws-cdk-lib's `AwsCustomResource.PROVIDER_FUNCTION_UUID`).
pub const PROVIDER_FUNCTION_UUID: &str = "679f53fa-c002-430c-b0da-5b7982bd2287";

/// rcdk's handler (`index.js`) of the provider.
const HANDLER: &str = include_str!("handler/index.js");

/// The parameter types of the SDK's calls (which are blobs, numbers, timestamps), the data of
/// aws-cdk-lib 2.276's handler: brotli-compressed JSON, read by the handler.
const SDK_TYPES: &[u8] = include_bytes!("handler/sdk-types.json.br");

/// The provider's code: the handler, the response module and the SDK name tables.
fn provider_code() -> InMemoryDirectory {
    let v2: serde_json::Map<String, serde_json::Value> = sdk_names::V2_TO_V3
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    let commands: serde_json::Map<String, serde_json::Value> =
        sdk_names::COMMANDS_ENDING_IN_COMMAND
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(v.to_vec())))
            .collect();
    let names = serde_json::json!({ "v2ToV3": v2, "commands": commands });
    let names = serde_json::to_string_pretty(&names).unwrap_or_default() + "\n";
    with_cfn_response_module(
        InMemoryDirectory::new()
            .with_file("index.js", HANDLER)
            .with_file("sdk-names.json", names)
            .with_file("sdk-types.json.br", SDK_TYPES),
    )
}

impl AwsCustomResource {
    /// Defines the resource `id` under `scope` (with the provider, once per stack).
    pub fn new(scope: &impl IConstruct, id: &str, props: AwsCustomResourceProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.AwsCustomResource");
        let calls = [&props.on_create, &props.on_update, &props.on_delete];
        if calls.iter().all(|c| c.is_none()) {
            node.add_error("At least `onCreate`, `onUpdate` or `onDelete` must be specified.");
        }
        if props.role.is_none() && props.policy.is_none() {
            node.add_error("At least one of `policy` or `role` (or both) must be specified.");
        }
        if props
            .on_create
            .as_ref()
            .is_some_and(|c| c.physical_resource_id.is_none())
        {
            node.add_error("'physicalResourceId' must be specified for 'onCreate' call.");
        }
        if props.on_create.is_none()
            && props
                .on_update
                .as_ref()
                .is_some_and(|c| c.physical_resource_id.is_none())
        {
            node.add_error(
                "'physicalResourceId' must be specified for 'onUpdate' call when 'onCreate' is omitted.",
            );
        }
        for call in calls.iter().copied().flatten() {
            if matches!(
                call.physical_resource_id,
                Some(PhysicalResourceId::FromResponse(_))
            ) && call.ignore_error_codes_matching.is_some()
            {
                node.add_error(
                    "`PhysicalResourceId.fromResponse` cannot be called along with `ignoreErrorCodesMatching`.",
                );
            }
            if call.external_id.is_some() && call.assumed_role_arn.is_none() {
                node.add_error("ExternalId can only be provided when assumedRoleArn is specified.");
            }
            if call.service.is_none() || call.action.is_none() {
                node.add_error("an AwsSdkCall needs `service` and `action`");
            }
        }
        if props
            .on_create
            .as_ref()
            .is_some_and(AwsSdkCall::includes_physical_resource_id_reference)
        {
            node.add_error(
                "`PhysicalResourceIdReference` must not be specified in `onCreate` parameters.",
            );
        } else if let Some(parameters) = props.on_create.as_ref().and_then(|c| c.parameters.clone())
        {
            // Parameters computed at synth (e.g. `json::ordered_object`) are checked once resolved.
            let scope = node.clone();
            node.add_validation(move || {
                let resolved = cdk_core::Stack::of(&scope).and_then(|s| s.resolve(&parameters).ok());
                if resolved.is_some_and(|j| json_has_reference(&j)) {
                    vec!["`PhysicalResourceIdReference` must not be specified in `onCreate` parameters.".into()]
                } else {
                    Vec::new()
                }
            });
        }

        let install_latest = props.install_latest_aws_sdk;
        let memory_size = props.memory_size.or(if install_latest == Some(true) {
            Some(512)
        } else {
            None
        });
        let mut function = FunctionProps::new(
            Runtime::Nodejs24X,
            "index.handler",
            Code::from_in_memory(provider_code()),
        );
        function.memory_size = memory_size;
        function.timeout = Some(props.timeout.unwrap_or(Duration::from_secs(120)));
        function.role = props.role.clone();
        function.function_name = props
            .function_name
            .as_deref()
            .map(|n| cdk_core::PhysicalName::Given(n.into()));
        let provider = SingletonFunction::new(
            &node,
            "Provider",
            SingletonFunctionProps {
                lambda_purpose: Some("AWS".into()),
                ..SingletonFunctionProps::new(PROVIDER_FUNCTION_UUID, function)
            },
        );
        provider.add_metadata("aws:cdk:is-custom-resource-handler-singleton", true);
        provider.add_metadata("aws:cdk:is-custom-resource-handler-runtime-family", 0);

        let install_latest = install_latest.unwrap_or_else(|| {
            let default = feature_flags::is_enabled(&node, INSTALL_LATEST_AWS_SDK_DEFAULT);
            if default {
                node.add_warning(&format!(
                    "installLatestAwsSdk was not specified, and defaults to true. You probably do not want this. Set the global context flag '{INSTALL_LATEST_AWS_SDK_DEFAULT}' to false to switch this behavior off project-wide, or set the property explicitly to true if you know you need to call APIs that are not in Lambda's built-in SDK version. [ack: @aws-cdk/custom-resources:installLatestAwsSdkNotSpecified]"
                ));
            }
            default
        });

        let create = props.on_create.as_ref().or(props.on_update.as_ref());
        let mut properties: Vec<(String, Value)> = Vec::new();
        for (key, call) in [
            ("Create", create),
            ("Update", props.on_update.as_ref()),
            ("Delete", props.on_delete.as_ref()),
        ] {
            if let Some(call) = call {
                properties.push((
                    key.into(),
                    json::to_json_string(call.render(&node), 0).into_value(),
                ));
            }
        }
        properties.push(("InstallLatestAwsSdk".into(), Value::from(install_latest)));
        let resource = CustomResource::new(
            &node,
            "Resource",
            CustomResourceProps {
                resource_type: Some(
                    props
                        .resource_type
                        .clone()
                        .unwrap_or_else(|| "Custom::AWS".into()),
                ),
                properties,
                removal_policy: props.removal_policy,
                service_timeout: props.service_timeout,
                ..CustomResourceProps::new(provider.function_arn())
            },
        );

        let mut policy = None;
        if let Some(p) = &props.policy {
            let statements: Vec<PolicyStatement> = if !p.statements.is_empty() {
                p.statements.clone()
            } else {
                calls
                    .iter()
                    .copied()
                    .flatten()
                    .map(|call| match &call.assumed_role_arn {
                        None => PolicyStatement::new()
                            .action(&call.iam_action())
                            .resources(p.resources.clone()),
                        Some(arn) => PolicyStatement::new()
                            .action("sts:AssumeRole")
                            .resource(arn.clone()),
                    })
                    .collect()
            };
            let created = Policy::new(
                &node,
                "CustomResourcePolicy",
                PolicyProps {
                    statements,
                    ..Default::default()
                },
            );
            created.attach_to_role(provider.role().as_ref());
            resource.node().add_dependency(&created);
            policy = Some(created);
        }
        let ignores_errors = [&props.on_create, &props.on_update].iter().any(|c| {
            c.as_ref()
                .is_some_and(|c| c.ignore_error_codes_matching.is_some())
        });
        AwsCustomResource {
            node,
            resource,
            provider,
            policy,
            ignores_errors,
        }
    }

    fn check_readable(&self, caller: &str) {
        if self.ignores_errors {
            self.node.add_error(&format!(
                "`{caller}` cannot be called along with `ignoreErrorCodesMatching`."
            ));
        }
    }

    /// The response field at `data_path` of the flattened response (`Parameter.Value`) as a
    /// string token (`Fn::GetAtt`; aws-cdk-lib's `getResponseField`). Not allowed when the
    /// create or update call ignores errors.
    pub fn get_response_field(&self, data_path: &str) -> Str {
        self.check_readable("getDataString");
        self.resource.get_att_string(data_path)
    }

    /// The response field at `data_path` as a reference value (aws-cdk-lib's
    /// `getResponseFieldReference`).
    pub fn get_response_field_reference(&self, data_path: &str) -> Value {
        self.check_readable("getData");
        self.resource.cfn().get_att_value(data_path)
    }

    /// The custom resource.
    pub fn custom_resource(&self) -> &CustomResource {
        &self.resource
    }

    /// The provider function (shared by the stack's `AwsCustomResource`s).
    pub fn provider(&self) -> &SingletonFunction {
        &self.provider
    }

    /// The policy `CustomResourcePolicy`, when `policy` was given.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }
}

/// Grants to an `AwsCustomResource` go to its provider's role (aws-cdk-lib's `grantPrincipal`).
impl IPrincipal for AwsCustomResource {
    fn policy_fragment(&self) -> PrincipalFragment {
        self.provider.policy_fragment()
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        self.provider.add_to_principal_policy(statement)
    }

    fn principal_account(&self) -> Option<Str> {
        self.provider.principal_account()
    }

    fn dedupe_key(&self) -> Option<Value> {
        self.provider.dedupe_key()
    }

    fn owned_resource_node(&self) -> Option<Node> {
        self.provider.owned_resource_node()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_actions_follow_aws_cdk_lib() {
        assert_eq!(
            aws_sdk_to_iam_action("CodeDeploy", "createDeploymentConfig"),
            "codedeploy:CreateDeploymentConfig"
        );
        assert_eq!(
            aws_sdk_to_iam_action("ApiGateway", "getRestApis"),
            "apigateway:GetRestApis"
        );
        assert_eq!(
            aws_sdk_to_iam_action("@aws-sdk/client-iot", "CreateCommand"),
            "iot:CreateCommand"
        );
        assert_eq!(
            aws_sdk_to_iam_action("STS", "GetCallerIdentityCommand"),
            "sts:GetCallerIdentity"
        );
        assert_eq!(aws_sdk_to_iam_action("Lambda", "invoke"), "lambda:Invoke");
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(sdk_names::V2_TO_V3.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(sdk_names::IAM_PREFIXES.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
