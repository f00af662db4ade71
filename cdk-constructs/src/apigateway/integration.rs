//! Integrations: the backend a method calls (a Lambda function, or a mock).

use std::collections::BTreeMap;
use std::time::Duration;

use cdk_core::{IConstruct, Node, Stack, Str};

use super::cfn_method::{
    IntegrationPassthroughBehavior, IntegrationProperty, IntegrationResponseProperty,
    IntegrationType,
};
use super::hash::HashData;
use super::method::MethodContext;
use crate::lambda::{CfnPermission, CfnPermissionProps, Function};

/// How many method-scoped Lambda permissions of one handler and API aws-cdk-lib creates before
/// it replaces them with one permission scoped to the API.
const LAMBDA_PERMISSION_CONSOLIDATION_THRESHOLD: usize = 10;

/// Context key of rcdk's compatibility switch for API Gateway Lambda-permission logical IDs.
///
/// When truthy, [`LambdaIntegration`] names its permissions as aws-cdk-lib 2.276.0 and older do
/// (`ApiPermission.<api>.<METHOD>.<path>`, never consolidated), so an app built with those
/// versions keeps its permissions. Absent or false: current aws-cdk-lib's scheme
/// (`ApiPermission.<handler>.<api>.<METHOD>.<path>`, replaced by one `ApiPermission.Any.…`
/// scoped to the API once a handler has 10 method-scoped permissions on an API).
pub const LEGACY_LAMBDA_PERMISSION_IDS: &str = "@rcdk/aws-apigateway:legacyLambdaPermissionIds";

fn legacy_lambda_permission_ids(node: &Node) -> bool {
    match node.try_get_context(LEGACY_LAMBDA_PERMISSION_IDS) {
        Some(serde_json::Value::Bool(b)) => b,
        Some(serde_json::Value::String(s)) => s == "true",
        _ => false,
    }
}

/// What API Gateway does with a request body that no request template matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassthroughBehavior {
    /// Pass the body through when no template matches its content type.
    WhenNoMatch,
    /// Reject bodies whose content type has no template (415).
    Never,
    /// Pass the body through when no template is defined at all.
    WhenNoTemplates,
}

impl PassthroughBehavior {
    fn name(self) -> &'static str {
        match self {
            PassthroughBehavior::WhenNoMatch => "WHEN_NO_MATCH",
            PassthroughBehavior::Never => "NEVER",
            PassthroughBehavior::WhenNoTemplates => "WHEN_NO_TEMPLATES",
        }
    }

    fn cfn(self) -> IntegrationPassthroughBehavior {
        match self {
            PassthroughBehavior::WhenNoMatch => IntegrationPassthroughBehavior::WhenNoMatch,
            PassthroughBehavior::Never => IntegrationPassthroughBehavior::Never,
            PassthroughBehavior::WhenNoTemplates => IntegrationPassthroughBehavior::WhenNoTemplates,
        }
    }
}

/// How an integration's response is mapped to a method response (non-proxy integrations).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IntegrationResponse {
    /// Regular expression matched against the backend's error (default: the default response).
    pub selection_pattern: Option<String>,
    /// The method response status code (`"200"`).
    pub status_code: String,
    /// Response parameters (`method.response.header.X` → value expression).
    pub response_parameters: BTreeMap<String, String>,
    /// Response templates by content type.
    pub response_templates: BTreeMap<String, String>,
}

/// Options shared by all integrations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IntegrationOptions {
    /// Request parameters sent to the backend (`integration.request.header.X` → expression).
    pub request_parameters: BTreeMap<String, String>,
    /// Request templates by content type.
    pub request_templates: BTreeMap<String, String>,
    /// Body passthrough when no template matches (default: API Gateway's, `WHEN_NO_MATCH`).
    pub passthrough_behavior: Option<PassthroughBehavior>,
    /// Integration responses (non-proxy integrations).
    pub integration_responses: Vec<IntegrationResponse>,
    /// Integration timeout (50 ms to 29 s; default 29 s).
    pub timeout: Option<Duration>,
}

/// Options of a [`LambdaIntegration`].
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaIntegrationOptions {
    /// Lambda proxy integration (`AWS_PROXY`): the function gets the whole request and returns
    /// the whole response (default `true`).
    pub proxy: bool,
    /// Also let the console's `test-invoke-stage` invoke the function (default `true`).
    pub allow_test_invoke: bool,
    /// Request parameters sent to the function.
    pub request_parameters: BTreeMap<String, String>,
    /// Request templates by content type (non-proxy).
    pub request_templates: BTreeMap<String, String>,
    /// Body passthrough when no template matches.
    pub passthrough_behavior: Option<PassthroughBehavior>,
    /// Integration responses (non-proxy).
    pub integration_responses: Vec<IntegrationResponse>,
    /// Integration timeout (50 ms to 29 s).
    pub timeout: Option<Duration>,
}

impl Default for LambdaIntegrationOptions {
    fn default() -> Self {
        LambdaIntegrationOptions {
            proxy: true,
            allow_test_invoke: true,
            request_parameters: BTreeMap::new(),
            request_templates: BTreeMap::new(),
            passthrough_behavior: None,
            integration_responses: Vec::new(),
            timeout: None,
        }
    }
}

/// Integrates a Lambda function with a method: `AWS_PROXY` (or `AWS`) with
/// `IntegrationHttpMethod: POST` and the function's invocation URI, plus the two
/// `AWS::Lambda::Permission`s aws-cdk-lib creates under the method (`ApiPermission.<api>.<METHOD>.<path>`
/// for the deployment stage and `ApiPermission.Test.…` for the console's test-invoke stage).
///
/// ```
/// # use cdk_core::{App, Stack, StackProps};
/// # use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use cdk_constructs::apigateway::{LambdaIntegration, MethodOptions, RestApi, RestApiProps};
/// # let app = App::new();
/// # let stack = Stack::new(&app, "S", StackProps::default());
/// # let handler = Function::new(&stack, "Fn", FunctionProps::new(Runtime::Python314, "index.handler", Code::from_inline("def handler(e, c): pass")));
/// let api = RestApi::new(&stack, "Api", RestApiProps::default());
/// api.root().add_method("GET", LambdaIntegration::new(&handler), MethodOptions::default());
/// ```
#[derive(Clone)]
pub struct LambdaIntegration {
    handler: Function,
    options: LambdaIntegrationOptions,
}

impl LambdaIntegration {
    /// A proxy integration with `handler`.
    pub fn new(handler: &Function) -> Self {
        Self::with_options(handler, LambdaIntegrationOptions::default())
    }

    /// An integration with `handler` and `options`.
    pub fn with_options(handler: &Function, options: LambdaIntegrationOptions) -> Self {
        LambdaIntegration {
            handler: handler.clone(),
            options,
        }
    }

    /// The function.
    pub fn handler(&self) -> &Function {
        &self.handler
    }
}

/// An integration that answers without a backend (`MOCK`), e.g. for CORS preflight or stubs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MockIntegration {
    /// Request templates, integration responses, ...
    pub options: IntegrationOptions,
}

impl MockIntegration {
    /// A mock integration with `options`.
    pub fn new(options: IntegrationOptions) -> Self {
        MockIntegration { options }
    }
}

#[derive(Clone)]
enum Kind {
    Lambda(Box<LambdaIntegration>),
    Mock(MockIntegration),
}

/// The backend of a method: built from a [`LambdaIntegration`] or a [`MockIntegration`].
#[derive(Clone)]
pub struct Integration {
    kind: Kind,
}

impl From<LambdaIntegration> for Integration {
    fn from(i: LambdaIntegration) -> Self {
        Integration {
            kind: Kind::Lambda(Box::new(i)),
        }
    }
}

impl From<MockIntegration> for Integration {
    fn from(i: MockIntegration) -> Self {
        Integration {
            kind: Kind::Mock(i),
        }
    }
}

impl From<LambdaIntegration> for Option<Integration> {
    fn from(i: LambdaIntegration) -> Self {
        Some(i.into())
    }
}

impl From<MockIntegration> for Option<Integration> {
    fn from(i: MockIntegration) -> Self {
        Some(i.into())
    }
}

/// What binding an integration to a method produced.
pub(crate) struct Bound {
    pub(crate) property: IntegrationProperty,
    /// The integration as aws-cdk-lib's `renderIntegration` hashes it.
    pub(crate) hash: HashData,
    /// aws-cdk-lib's `deploymentToken` (`{"functionName":…}` for a Lambda function).
    pub(crate) deployment_token: Option<String>,
}

impl Integration {
    /// Renders the integration for `method`, creating what it needs (Lambda permissions).
    pub(crate) fn bind(&self, method: &MethodContext) -> Bound {
        match &self.kind {
            Kind::Mock(mock) => render(
                IntegrationType::Mock,
                "MOCK",
                None,
                None,
                &mock.options,
                None,
                &method.node,
            ),
            Kind::Lambda(lambda) => {
                let o = &lambda.options;
                let stack = Stack::of(&method.node);
                let region = stack
                    .as_ref()
                    .map(Stack::region)
                    .unwrap_or(cdk_core::Aws::REGION);
                let uri = Str::from("arn:")
                    + cdk_core::Aws::PARTITION
                    + ":apigateway:"
                    + region
                    + ":lambda:path/2015-03-31/functions/"
                    + lambda.handler.function_arn()
                    + "/invocations";
                let legacy = legacy_lambda_permission_ids(&method.node);
                // Current aws-cdk-lib: the prefix is unique to the handler and the API.
                let prefix = if legacy {
                    method.api_unique_id.clone()
                } else {
                    format!(
                        "{}.{}",
                        cdk_core::Names::unique_id(lambda.handler.node()),
                        method.api_unique_id
                    )
                };
                let desc = format!(
                    "{prefix}.{}.{}",
                    method.http_method,
                    method.resource_path.replace('/', ".")
                );
                let permission = |scope: &Node, id: String, source_arn: Str| {
                    CfnPermission::new(
                        scope,
                        &id,
                        CfnPermissionProps {
                            source_arn: Some(source_arn),
                            ..CfnPermissionProps::new(
                                "lambda:InvokeFunction",
                                lambda.handler.function_arn(),
                                "apigateway.amazonaws.com",
                            )
                        },
                    )
                };
                let api_node = method.api.node().clone();
                let (existing, consolidated) = if legacy {
                    (Vec::new(), false)
                } else {
                    let below = api_node.find_all();
                    let is_permission = |n: &Node| {
                        cdk_core::CfnResource::from_node(n)
                            .is_some_and(|r| r.resource_type() == "AWS::Lambda::Permission")
                    };
                    let existing: Vec<Node> = below
                        .iter()
                        .filter(|n| {
                            let id = n.id();
                            (id.starts_with(&format!("ApiPermission.{prefix}."))
                                || id.starts_with(&format!("ApiPermission.Test.{prefix}.")))
                                && is_permission(n)
                        })
                        .cloned()
                        .collect();
                    let consolidated = below.iter().any(|n| {
                        n.id().starts_with(&format!("ApiPermission.Any.{prefix}"))
                            && is_permission(n)
                    });
                    (existing, consolidated)
                };
                if existing.len() >= LAMBDA_PERMISSION_CONSOLIDATION_THRESHOLD {
                    // Past the threshold, one permission scoped to the API replaces the
                    // method-scoped ones of this handler.
                    for node in &existing {
                        if let Some(parent) = node.scope() {
                            parent.try_remove_child(&node.id());
                        }
                    }
                    permission(
                        &api_node,
                        format!("ApiPermission.Any.{prefix}"),
                        method.api.arn_for_execute_api("*", "/*", None),
                    );
                } else if !consolidated {
                    permission(
                        &method.node,
                        format!("ApiPermission.{desc}"),
                        method.method_arn.clone(),
                    );
                    if o.allow_test_invoke {
                        permission(
                            &method.node,
                            format!("ApiPermission.Test.{desc}"),
                            method.test_method_arn.clone(),
                        );
                    }
                }
                // Only a literal function name is part of the deployment hash (in aws-cdk-lib an
                // unnamed function's name is a generated-if-needed token).
                let function_name = lambda.handler.cfn().resource().property("FunctionName");
                let deployment_token = match function_name {
                    Some(cdk_core::Value::String(name)) => {
                        Some(serde_json::json!({ "functionName": name }).to_string())
                    }
                    _ => None,
                };
                let options = IntegrationOptions {
                    request_parameters: o.request_parameters.clone(),
                    request_templates: o.request_templates.clone(),
                    passthrough_behavior: o.passthrough_behavior,
                    integration_responses: o.integration_responses.clone(),
                    timeout: o.timeout,
                };
                let (ty, name) = if o.proxy {
                    (IntegrationType::AwsProxy, "AWS_PROXY")
                } else {
                    (IntegrationType::Aws, "AWS")
                };
                render(
                    ty,
                    name,
                    Some(uri),
                    Some("POST"),
                    &options,
                    deployment_token,
                    &method.node,
                )
            }
        }
    }
}

fn string_map(map: &BTreeMap<String, String>) -> Option<BTreeMap<String, Str>> {
    (!map.is_empty()).then(|| {
        map.iter()
            .map(|(k, v)| (k.clone(), Str::from(v.as_str())))
            .collect()
    })
}

fn hash_map(map: &BTreeMap<String, String>) -> HashData {
    if map.is_empty() {
        HashData::Null
    } else {
        HashData::object(
            map.iter()
                .map(|(k, v)| (k.clone(), HashData::from(v.as_str()))),
        )
    }
}

fn render(
    ty: IntegrationType,
    type_name: &str,
    uri: Option<Str>,
    http_method: Option<&str>,
    options: &IntegrationOptions,
    deployment_token: Option<String>,
    method: &Node,
) -> Bound {
    let timeout_ms = options.timeout.map(|t| t.as_millis() as u64);
    if let Some(ms) = timeout_ms {
        if !(50..=29_000).contains(&ms) {
            method.add_error(&format!(
                "integration timeout must be between 50 ms and 29 s (got {ms} ms)"
            ));
        }
    }
    let responses: Vec<IntegrationResponseProperty> = options
        .integration_responses
        .iter()
        .map(|r| IntegrationResponseProperty {
            selection_pattern: r.selection_pattern.as_deref().map(Str::from),
            response_parameters: string_map(&r.response_parameters),
            response_templates: string_map(&r.response_templates),
            ..IntegrationResponseProperty::new(r.status_code.as_str())
        })
        .collect();
    let property = IntegrationProperty {
        uri: uri.clone(),
        integration_http_method: http_method.map(Str::from),
        request_parameters: string_map(&options.request_parameters),
        request_templates: string_map(&options.request_templates),
        passthrough_behavior: options.passthrough_behavior.map(PassthroughBehavior::cfn),
        integration_responses: (!responses.is_empty()).then_some(responses),
        timeout_in_millis: timeout_ms.map(Into::into),
        ..IntegrationProperty::new(ty)
    };
    let hash_responses = if options.integration_responses.is_empty() {
        HashData::Null
    } else {
        HashData::List(
            options
                .integration_responses
                .iter()
                .map(|r| {
                    HashData::object([
                        (
                            "selectionPattern",
                            HashData::opt_str(r.selection_pattern.as_deref()),
                        ),
                        ("statusCode", HashData::from(r.status_code.as_str())),
                        ("responseParameters", hash_map(&r.response_parameters)),
                        ("responseTemplates", hash_map(&r.response_templates)),
                    ])
                })
                .collect(),
        )
    };
    let hash = HashData::object([
        ("type", HashData::from(type_name)),
        ("uri", uri.map_or(HashData::Null, HashData::from)),
        ("integrationHttpMethod", HashData::opt_str(http_method)),
        ("requestParameters", hash_map(&options.request_parameters)),
        ("requestTemplates", hash_map(&options.request_templates)),
        (
            "passthroughBehavior",
            HashData::opt_str(options.passthrough_behavior.map(PassthroughBehavior::name)),
        ),
        ("integrationResponses", hash_responses),
        (
            "timeoutInMillis",
            timeout_ms.map_or(HashData::Null, |ms| HashData::Int(ms as i64)),
        ),
    ]);
    Bound {
        property,
        hash,
        deployment_token,
    }
}
