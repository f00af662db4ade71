//! Lambda authorizers: `TokenAuthorizer` (a bearer token in a header) and `RequestAuthorizer`
//! (headers, query strings, stage variables, context), as aws-cdk-lib's.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{ArnComponents, ArnFormat, IConstruct, Names, Node, Stack, Str};

use super::hash::HashData;
use super::method::AuthorizationType;
use super::{CfnAuthorizer, CfnAuthorizerProps, RestApi};
use crate::iam::{IRole, Policy, PolicyProps, PolicyStatement};
use crate::lambda::{Function, Permission};

/// Where an authorizer reads the caller's identity (aws-cdk-lib `IdentitySource`).
pub struct IdentitySource;

impl IdentitySource {
    fn render(source: &str, kind: &str) -> String {
        format!("{kind}.{source}")
    }
    /// `method.request.header.<name>`.
    pub fn header(name: &str) -> String {
        Self::render(name, "method.request.header")
    }
    /// `method.request.querystring.<name>`.
    pub fn query_string(name: &str) -> String {
        Self::render(name, "method.request.querystring")
    }
    /// `stageVariables.<name>`.
    pub fn stage_variable(name: &str) -> String {
        Self::render(name, "stageVariables")
    }
    /// `context.<name>`.
    pub fn context(name: &str) -> String {
        Self::render(name, "context")
    }
}

/// What a method needs of its authorizer.
pub(crate) struct AuthorizerData {
    node: Node,
    authorizer_id: Str,
    authorization_type: AuthorizationType,
    /// The API it is attached to (one only).
    rest_api_id: Rc<RefCell<Option<Str>>>,
    /// `{authorizer: props, authorizerToken}` for the deployment hash (Lambda authorizers).
    hash: Option<HashData>,
}

/// An authorizer a method can name in [`MethodOptions::authorizer`](super::MethodOptions):
/// a [`TokenAuthorizer`] or [`RequestAuthorizer`] (`.into()`), or [`Authorizer::none`].
#[derive(Clone)]
pub struct Authorizer {
    data: Option<Rc<AuthorizerData>>,
}

impl std::fmt::Debug for Authorizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.data {
            Some(d) => write!(f, "Authorizer({})", d.node.path()),
            None => write!(f, "Authorizer(none)"),
        }
    }
}

impl Authorizer {
    /// No authorizer, overriding a default one (what CORS preflight methods use).
    pub fn none() -> Self {
        Authorizer { data: None }
    }

    /// The authorizer's ID (`Ref`), `None` for [`Authorizer::none`].
    pub fn authorizer_id(&self) -> Option<Str> {
        self.data.as_ref().map(|d| d.authorizer_id.clone())
    }

    /// The authorization type it requires (`CUSTOM` for Lambda authorizers, `NONE` for none).
    pub fn authorization_type(&self) -> AuthorizationType {
        self.data
            .as_ref()
            .map_or(AuthorizationType::None, |d| d.authorization_type.clone())
    }

    pub(crate) fn is_none(&self) -> bool {
        self.data.is_none()
    }

    /// aws-cdk-lib's `_attachToApi`: binds the authorizer to `api` (one API only) and, under
    /// `@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId`, makes the deployment
    /// depend on it and hash its properties.
    pub(crate) fn attach_to_api(&self, api: &RestApi) {
        let Some(data) = &self.data else {
            return;
        };
        let id = api.rest_api_id();
        {
            let mut current = data.rest_api_id.borrow_mut();
            match current.as_ref() {
                Some(existing) if *existing != id => {
                    data.node
                        .add_error("Cannot attach authorizer to two different rest APIs");
                    return;
                }
                _ => *current = Some(id),
            }
        }
        let flag = cdk_core::feature_flags::is_enabled(
            &data.node,
            cdk_core::feature_flags::APIGATEWAY_AUTHORIZER_CHANGE_DEPLOYMENT_LOGICAL_ID,
        );
        if let (Some(deployment), Some(hash), true) = (api.latest_deployment(), &data.hash, flag) {
            deployment.node().add_dependency(&data.node);
            deployment.add_to_logical_id(hash.clone());
        }
    }
}

/// Properties shared by [`TokenAuthorizer`] and [`RequestAuthorizer`].
#[derive(Clone)]
pub struct LambdaAuthorizerProps {
    /// The function that decides.
    pub handler: Function,
    /// Name of the authorizer (default: the construct's unique ID).
    pub authorizer_name: Option<String>,
    /// How long API Gateway caches the decision (default 5 minutes, at most 1 hour; 0 turns
    /// caching off).
    pub results_cache_ttl: Option<Duration>,
    /// A role API Gateway assumes to invoke the handler (default: a Lambda permission for
    /// API Gateway instead).
    pub assume_role: Option<crate::iam::Role>,
}

impl LambdaAuthorizerProps {
    /// Props with `handler` and defaults elsewhere.
    pub fn new(handler: &Function) -> Self {
        LambdaAuthorizerProps {
            handler: handler.clone(),
            authorizer_name: None,
            results_cache_ttl: None,
            assume_role: None,
        }
    }
}

/// Properties of a [`TokenAuthorizer`].
#[derive(Clone)]
pub struct TokenAuthorizerProps {
    /// Handler, name, cache TTL, role.
    pub lambda: LambdaAuthorizerProps,
    /// Where the token is (default `method.request.header.Authorization`).
    pub identity_source: Option<String>,
    /// A regular expression the token must match before the handler is called.
    pub validation_regex: Option<String>,
}

impl TokenAuthorizerProps {
    /// Props with `handler` and defaults elsewhere.
    pub fn new(handler: &Function) -> Self {
        TokenAuthorizerProps {
            lambda: LambdaAuthorizerProps::new(handler),
            identity_source: None,
            validation_regex: None,
        }
    }
}

/// Properties of a [`RequestAuthorizer`].
#[derive(Clone)]
pub struct RequestAuthorizerProps {
    /// Handler, name, cache TTL, role.
    pub lambda: LambdaAuthorizerProps,
    /// The request parts the decision depends on ([`IdentitySource`]); at least one unless
    /// caching is off.
    pub identity_sources: Vec<String>,
}

/// A Lambda authorizer (`AWS::ApiGateway::Authorizer`, construct `Resource`) that receives a
/// bearer token, as aws-cdk-lib's `TokenAuthorizer`: by default API Gateway may invoke the
/// handler through a permission `<unique id>:Permissions` on the function, scoped to the
/// authorizer's ARN.
///
/// ```
/// # use cdk_core::{App, Stack, StackProps};
/// # use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use cdk_constructs::apigateway::{MethodOptions, MockIntegration, RestApi, RestApiProps, TokenAuthorizer, TokenAuthorizerProps};
/// # let app = App::new();
/// # let stack = Stack::new(&app, "S", StackProps::default());
/// # let auth_fn = Function::new(&stack, "Auth", FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::from_inline("exports.handler = async () => ({})")));
/// let authorizer = TokenAuthorizer::new(&stack, "MyAuthorizer", TokenAuthorizerProps::new(&auth_fn));
/// let api = RestApi::new(&stack, "Api", RestApiProps::default());
/// api.root().add_method("ANY", MockIntegration::default(), MethodOptions {
///     authorizer: Some(authorizer.into()),
///     ..Default::default()
/// });
/// ```
#[derive(Clone)]
pub struct TokenAuthorizer {
    inner: LambdaAuthorizer,
}

/// A Lambda authorizer that receives the request's identity sources, as aws-cdk-lib's
/// `RequestAuthorizer`.
#[derive(Clone)]
pub struct RequestAuthorizer {
    inner: LambdaAuthorizer,
}

#[derive(Clone)]
struct LambdaAuthorizer {
    data: Rc<AuthorizerData>,
    resource: CfnAuthorizer,
    arn: Str,
}

struct Rendered {
    kind: &'static str,
    identity_source: String,
    validation_regex: Option<String>,
}

impl LambdaAuthorizer {
    fn new(scope: &impl IConstruct, id: &str, props: &LambdaAuthorizerProps, r: Rendered) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info(if r.kind == "TOKEN" {
            "cdk-constructs.apigateway.TokenAuthorizer"
        } else {
            "cdk-constructs.apigateway.RequestAuthorizer"
        });
        if props.results_cache_ttl.is_some_and(|t| t.as_secs() > 3600) {
            node.add_error("Lambda authorizer property 'resultsCacheTtl' must not be greater than 3600 seconds (1 hour)");
        }
        let rest_api_id: Rc<RefCell<Option<Str>>> = Rc::default();
        let (lazy_id, path) = (rest_api_id.clone(), node.path());
        let rest_api_ref = Str::lazy_with_context(move |ctx| match lazy_id.borrow().clone() {
            Some(id) => id,
            None => {
                ctx.fail(format!("Authorizer ({path}) must be attached to a RestApi"));
                Str::from("")
            }
        });
        let name = props
            .authorizer_name
            .clone()
            .unwrap_or_else(|| Names::unique_id(&node));
        let function_arn = props.handler.function_arn();
        let parts = Stack::of(&node)
            .map(|s| s.split_arn(function_arn.clone(), ArnFormat::ColonResourceName));
        let (partition, region) = match parts {
            Some(p) => (
                p.partition.unwrap_or(cdk_core::Aws::PARTITION),
                p.region.unwrap_or(cdk_core::Aws::REGION),
            ),
            None => (cdk_core::Aws::PARTITION, cdk_core::Aws::REGION),
        };
        let uri = Str::from("arn:")
            + partition
            + ":apigateway:"
            + region
            + ":lambda:path/2015-03-31/functions/"
            + function_arn
            + "/invocations";
        let ttl = props.results_cache_ttl.map_or(300, |t| t.as_secs() as i64);
        let credentials = props.assume_role.as_ref().map(|r| r.role_arn());
        let resource = CfnAuthorizer::new(
            &node,
            "Resource",
            CfnAuthorizerProps {
                authorizer_uri: Some(uri.clone()),
                authorizer_credentials: credentials.clone(),
                authorizer_result_ttl_in_seconds: Some(ttl.into()),
                identity_source: Some(r.identity_source.as_str().into()),
                identity_validation_expression: r.validation_regex.as_deref().map(Str::from),
                ..CfnAuthorizerProps::new(name.as_str(), rest_api_ref.clone(), r.kind)
            },
        );
        let authorizer_id = resource.ref_();
        let arn = match Stack::of(&node) {
            Some(stack) => stack.format_arn(
                ArnComponents::new("execute-api", rest_api_ref.clone())
                    .with_name(Str::from("authorizers/") + authorizer_id.clone()),
            ),
            None => Str::from(""),
        };
        let function_name = match props.handler.cfn().resource().property("FunctionName") {
            Some(cdk_core::Value::Null) | None => HashData::Null,
            Some(v) => HashData::Token(v),
        };
        let hash = HashData::object([
            (
                "authorizer",
                HashData::object([
                    ("name", HashData::from(name.as_str())),
                    ("restApiId", HashData::from(rest_api_ref)),
                    ("type", HashData::from(r.kind)),
                    ("authorizerUri", HashData::from(uri)),
                    (
                        "authorizerCredentials",
                        credentials.map_or(HashData::Null, HashData::from),
                    ),
                    ("authorizerResultTtlInSeconds", HashData::Int(ttl)),
                    ("identitySource", HashData::from(r.identity_source.as_str())),
                    (
                        "identityValidationExpression",
                        HashData::opt_str(r.validation_regex.as_deref()),
                    ),
                ]),
            ),
            ("authorizerToken", function_name),
        ]);
        // aws-cdk-lib's `setupPermissions`.
        match &props.assume_role {
            Some(role) => {
                let policy = Policy::new(
                    &node,
                    "authorizerInvokePolicy",
                    PolicyProps {
                        statements: vec![PolicyStatement::new()
                            .action("lambda:InvokeFunction")
                            .resources([
                                props.handler.function_arn(),
                                props.handler.function_arn() + ":*",
                            ])],
                        ..Default::default()
                    },
                );
                role.attach_inline_policy(&policy);
            }
            None => {
                props.handler.add_permission(
                    &format!("{}:Permissions", Names::unique_id(&node)),
                    Permission {
                        source_arn: Some(arn.clone()),
                        ..Permission::new("apigateway.amazonaws.com")
                    },
                );
            }
        }
        LambdaAuthorizer {
            data: Rc::new(AuthorizerData {
                node,
                authorizer_id,
                authorization_type: AuthorizationType::Custom,
                rest_api_id,
                hash: Some(hash),
            }),
            resource,
            arn,
        }
    }
}

impl TokenAuthorizer {
    /// Defines token authorizer `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: TokenAuthorizerProps) -> Self {
        let identity_source = props
            .identity_source
            .clone()
            .unwrap_or_else(|| IdentitySource::header("Authorization"));
        TokenAuthorizer {
            inner: LambdaAuthorizer::new(
                scope,
                id,
                &props.lambda,
                Rendered {
                    kind: "TOKEN",
                    identity_source,
                    validation_regex: props.validation_regex.clone(),
                },
            ),
        }
    }
}

impl RequestAuthorizer {
    /// Defines request authorizer `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: RequestAuthorizerProps) -> Self {
        let caching = props.lambda.results_cache_ttl != Some(Duration::ZERO);
        if caching && props.identity_sources.is_empty() {
            scope.node().add_error("At least one Identity Source is required for a REQUEST-based Lambda authorizer if caching is enabled.");
        }
        RequestAuthorizer {
            inner: LambdaAuthorizer::new(
                scope,
                id,
                &props.lambda,
                Rendered {
                    kind: "REQUEST",
                    identity_source: props.identity_sources.join(","),
                    validation_regex: None,
                },
            ),
        }
    }
}

macro_rules! lambda_authorizer_api {
    ($ty:ty) => {
        impl IConstruct for $ty {
            fn node(&self) -> &Node {
                &self.inner.data.node
            }
        }

        impl $ty {
            /// The authorizer's ID (`Ref`).
            pub fn authorizer_id(&self) -> Str {
                self.inner.data.authorizer_id.clone()
            }
            /// `arn:…:execute-api:{region}:{account}:{api}/authorizers/{id}`.
            pub fn authorizer_arn(&self) -> Str {
                self.inner.arn.clone()
            }
            /// The underlying `AWS::ApiGateway::Authorizer`.
            pub fn cfn(&self) -> &CfnAuthorizer {
                &self.inner.resource
            }
        }

        impl From<$ty> for Authorizer {
            fn from(a: $ty) -> Self {
                Authorizer {
                    data: Some(a.inner.data.clone()),
                }
            }
        }

        impl From<&$ty> for Authorizer {
            fn from(a: &$ty) -> Self {
                Authorizer {
                    data: Some(a.inner.data.clone()),
                }
            }
        }
    };
}

lambda_authorizer_api!(TokenAuthorizer);
lambda_authorizer_api!(RequestAuthorizer);
