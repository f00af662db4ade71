//! API Gateway: REST APIs with resources, methods and Lambda integrations, deployed to a stage
//! by a deployment whose logical ID follows the API model, as aws-cdk-lib's `aws-apigateway`.
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::apigateway::{LambdaRestApi, LambdaRestApiProps, StageOptions};
//! use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "DevApplicationStack", StackProps::default());
//! let handler = Function::new(&stack, "Lambda", FunctionProps::new(
//!     Runtime::Nodejs24X, "index.handler", Code::from_inline("exports.handler = async () => ({ statusCode: 200 });"),
//! ));
//! let api = LambdaRestApi::new(&stack, "HelloLambdaRestApi", LambdaRestApiProps {
//!     deploy_options: Some(StageOptions { stage_name: Some("Dev".into()), ..Default::default() }),
//!     endpoint_export_name: Some("CdkTsLambdaRestApiEndpoint-Dev".into()),
//!     ..LambdaRestApiProps::new(&handler)
//! });
//! assert!(api.url().is_token());
//! ```

mod access_log;
mod authorizer;
mod cors;
mod deployment;
#[cfg(feature = "certificatemanager")]
mod domain;
mod hash;
mod integration;
mod method;
mod model;
mod resource;
mod usage_plan;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;
use std::rc::Rc;

use cdk_core::{
    CfnOutput, CfnOutputProps, IConstruct, Node, RemovalPolicy, ResourceEnvironment, Stack, Str,
};

#[cfg(all(feature = "kms", feature = "logs"))]
pub use access_log::LogGroupLogDestination;
pub use access_log::{
    AccessLogDestinationConfig, AccessLogField, AccessLogFormat, IAccessLogDestination,
    JsonWithStandardFieldProps,
};
pub use authorizer::{
    Authorizer, IdentitySource, LambdaAuthorizerProps, RequestAuthorizer, RequestAuthorizerProps,
    TokenAuthorizer, TokenAuthorizerProps,
};
pub use cors::{Cors, CorsOptions};
pub use deployment::{
    stage_name_errors, Deployment, MethodLoggingLevel, Stage, StageOptions, DEFAULT_STAGE_NAME,
};
#[cfg(feature = "certificatemanager")]
pub use domain::{
    BasePathMapping, BasePathMappingOptions, BasePathMappingProps, DomainName,
    DomainNameAttributes, DomainNameOptions, DomainNameProps, IDomainName, ImportedDomainName,
    SecurityPolicy,
};
pub use hash::HashData;
pub use integration::{
    Integration, IntegrationOptions, IntegrationResponse, LambdaIntegration,
    LambdaIntegrationOptions, MockIntegration, PassthroughBehavior, LEGACY_LAMBDA_PERMISSION_IDS,
};
pub use method::{AuthorizationType, Method, MethodOptions, MethodProps, MethodResponse};
pub use model::{
    JsonSchema, JsonSchemaType, JsonSchemaVersion, Model, ModelOptions, RequestValidator,
    RequestValidatorOptions,
};
pub use resource::{
    path_part_errors, ProxyResource, ProxyResourceOptions, Resource, ResourceOptions,
};
pub use usage_plan::{
    AddApiKeyOptions, ApiKey, ApiKeyOptions, ApiKeyProps, ImportedUsagePlan, Period, QuotaSettings,
    RateLimitedApiKey, RateLimitedApiKeyProps, ThrottleSettings, ThrottlingPerMethod, UsagePlan,
    UsagePlanPerApiStage, UsagePlanProps,
};

use crate::iam::{ManagedPolicy, PolicyDocument, Role, RoleProps, ServicePrincipal};
#[cfg(doc)]
use crate::lambda::Function;
use crate::lambda::IFunction;
use crate::Bool;
use resource::ResourceData;

/// aws-cdk-lib's `RestApiBase.arnForExecuteApi`: the execute-api ARN of `method` (`ANY` is `*`)
/// on `path` (must start with `/`) in `stage` (default `*`) of API `rest_api_id`.
fn execute_api_arn(
    node: &Node,
    rest_api_id: Str,
    method: &str,
    path: &str,
    stage: Option<Str>,
) -> Str {
    if !path.starts_with('/') {
        node.add_error(&format!("execute-api path must begin with '/': '{path}'"));
    }
    let method = if method.eq_ignore_ascii_case("ANY") {
        "*".to_string()
    } else {
        method.to_string()
    };
    let name = stage.unwrap_or_else(|| Str::from("*")) + "/" + method.as_str() + path;
    let components = cdk_core::ArnComponents::new("execute-api", rest_api_id).with_name(name);
    match Stack::of(node) {
        Some(stack) => stack.format_arn(components),
        None => Str::from(""),
    }
}

/// A REST API: created ([`RestApi`], [`LambdaRestApi`]) or imported ([`ImportedRestApi`]), as
/// aws-cdk-lib's `IRestApi`.
pub trait IRestApi: IConstruct {
    /// The API's ID.
    fn rest_api_id(&self) -> Str;
    /// The API's name.
    fn rest_api_name(&self) -> Str;
    /// The ID of the root resource (`/`). For an API imported by ID alone this is a synth
    /// error (aws-cdk-lib: "restApiRootResourceId is not configured for imported RestApi").
    fn rest_api_root_resource_id(&self) -> Str;
    /// Where the API lives.
    fn env(&self) -> ResourceEnvironment;
    /// The execute-api ARN of `method` on `path` in `stage` (default `*`; `ANY` is `*`).
    fn arn_for_execute_api(&self, method: &str, path: &str, stage: Option<Str>) -> Str {
        execute_api_arn(self.node(), self.rest_api_id(), method, path, stage)
    }
}

impl IRestApi for RestApi {
    fn rest_api_id(&self) -> Str {
        RestApi::rest_api_id(self)
    }
    fn rest_api_name(&self) -> Str {
        Str::from(RestApi::rest_api_name(self))
    }
    fn rest_api_root_resource_id(&self) -> Str {
        RestApi::rest_api_root_resource_id(self)
    }
    fn env(&self) -> ResourceEnvironment {
        let (account, region) = match Stack::of(self) {
            Some(stack) => (stack.account(), stack.region()),
            None => (cdk_core::Aws::ACCOUNT_ID, cdk_core::Aws::REGION),
        };
        ResourceEnvironment { account, region }
    }
}

impl IRestApi for LambdaRestApi {
    fn rest_api_id(&self) -> Str {
        self.api().rest_api_id()
    }
    fn rest_api_name(&self) -> Str {
        Str::from(self.api().rest_api_name())
    }
    fn rest_api_root_resource_id(&self) -> Str {
        self.api().rest_api_root_resource_id()
    }
    fn env(&self) -> ResourceEnvironment {
        IRestApi::env(self.api())
    }
}

/// What an imported REST API is known by ([`RestApi::from_rest_api_attributes`]).
#[derive(Clone, Debug, Default)]
pub struct RestApiAttributes {
    /// The API's ID.
    pub rest_api_id: Str,
    /// The ID of its root resource.
    pub root_resource_id: Str,
    /// Its name (default: the construct ID, as aws-cdk-lib).
    pub rest_api_name: Option<Str>,
}

/// A REST API defined elsewhere ([`RestApi::from_rest_api_id`],
/// [`RestApi::from_rest_api_attributes`]). Its ARNs and IDs can be referenced; adding resources
/// or methods to it is not supported yet.
#[derive(Clone)]
pub struct ImportedRestApi {
    base: cdk_core::Resource,
    rest_api_id: Str,
    root_resource_id: Option<Str>,
    name: Str,
}

impl IConstruct for ImportedRestApi {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IRestApi for ImportedRestApi {
    fn rest_api_id(&self) -> Str {
        self.rest_api_id.clone()
    }
    fn rest_api_name(&self) -> Str {
        self.name.clone()
    }
    fn rest_api_root_resource_id(&self) -> Str {
        match &self.root_resource_id {
            Some(id) => id.clone(),
            None => {
                self.node().add_error(
                    "restApiRootResourceId is not configured for imported RestApi (use RestApi::from_rest_api_attributes)",
                );
                Str::from("")
            }
        }
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
}

/// Context key of aws-cdk-lib's feature flag that turns the CloudWatch role off by default.
pub const DISABLE_CLOUD_WATCH_ROLE_FLAG: &str =
    cdk_core::feature_flags::APIGATEWAY_DISABLE_CLOUDWATCH_ROLE;

/// Endpoint types of a REST API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointType {
    /// Edge-optimized (CloudFront in front; API Gateway's default).
    Edge,
    /// Regional.
    Regional,
    /// Private (VPC endpoints only).
    Private,
}

impl EndpointType {
    fn name(self) -> &'static str {
        match self {
            EndpointType::Edge => "EDGE",
            EndpointType::Regional => "REGIONAL",
            EndpointType::Private => "PRIVATE",
        }
    }
}

/// Properties of a [`RestApi`].
#[derive(Clone)]
pub struct RestApiProps {
    /// The API's name (default: the construct ID).
    pub rest_api_name: Option<String>,
    /// Description of the API.
    pub description: Option<String>,
    /// Create a deployment and a stage for the latest model, and the `Endpoint` output
    /// (default `true`).
    pub deploy: bool,
    /// The stage options (only with `deploy`).
    pub deploy_options: Option<StageOptions>,
    /// Keep old deployments when the model changes (default `false`).
    pub retain_deployments: bool,
    /// Export the `Endpoint` output under this name.
    pub endpoint_export_name: Option<Str>,
    /// Create the role API Gateway uses to push logs to CloudWatch and the account setting
    /// that points to it (default `true`, or `false` when the context flag
    /// [`DISABLE_CLOUD_WATCH_ROLE_FLAG`] is `true`, as aws-cdk-lib).
    pub cloud_watch_role: Option<bool>,
    /// Removal policy of the CloudWatch role and account setting (default retain).
    pub cloud_watch_role_removal_policy: Option<RemovalPolicy>,
    /// Endpoint types (default: API Gateway's, edge-optimized).
    pub endpoint_types: Vec<EndpointType>,
    /// Binary media types (`image/png`).
    pub binary_media_types: Vec<String>,
    /// Roll back when API Gateway warns while creating the API.
    pub fail_on_warnings: Option<bool>,
    /// Disable the default `execute-api` endpoint.
    pub disable_execute_api_endpoint: Option<bool>,
    /// Resource policy of the API.
    pub policy: Option<PolicyDocument>,
    /// Integration of methods added without one.
    pub default_integration: Option<Integration>,
    /// Options merged into every method's options.
    pub default_method_options: Option<MethodOptions>,
    /// Add a CORS preflight `OPTIONS` method to the root and every resource.
    pub default_cors_preflight_options: Option<CorsOptions>,
    /// A custom domain (construct ID `CustomDomain`) mapped to the API's deployment stage.
    #[cfg(feature = "certificatemanager")]
    pub domain_name: Option<DomainNameOptions>,
}

impl Default for RestApiProps {
    fn default() -> Self {
        RestApiProps {
            rest_api_name: None,
            description: None,
            deploy: true,
            deploy_options: None,
            retain_deployments: false,
            endpoint_export_name: None,
            cloud_watch_role: None,
            cloud_watch_role_removal_policy: None,
            endpoint_types: Vec::new(),
            binary_media_types: Vec::new(),
            fail_on_warnings: None,
            disable_execute_api_endpoint: None,
            policy: None,
            default_integration: None,
            default_method_options: None,
            default_cors_preflight_options: None,
            #[cfg(feature = "certificatemanager")]
            domain_name: None,
        }
    }
}

pub(crate) struct ApiShared {
    pub(crate) node: Node,
    cfn: CfnRestApi,
    name: String,
    pub(crate) resources: RefCell<Vec<ResourceData>>,
    deployment: Option<Deployment>,
    stage: Option<Stage>,
    /// The deployment stage's name token, read lazily by method ARNs.
    stage_name: Rc<RefCell<Option<Str>>>,
    endpoint: Option<CfnOutput>,
    cloud_watch_role: Option<Role>,
    cloud_watch_account: Option<CfnAccount>,
    method_count: Rc<Cell<usize>>,
    /// Set on a proxying `LambdaRestApi`: the root takes no more resources or methods.
    pub(crate) proxy_root: Cell<bool>,
    /// The first custom domain added ([`RestApi::domain_name`]).
    #[cfg(feature = "certificatemanager")]
    domain: RefCell<Option<DomainName>>,
}

/// A REST API (`AWS::ApiGateway::RestApi`) with its resources and methods, and by default a
/// deployment, a stage (`prod`), the CloudWatch role and account setting, and the
/// `Endpoint` output, with aws-cdk-lib's construct IDs (`Resource`, `CloudWatchRole`,
/// `Account`, `Deployment`, `DeploymentStage.<stage>`, `Endpoint`, root `Default`).
///
/// ```
/// # use cdk_core::{App, AppProps, Stack, StackProps};
/// use cdk_constructs::apigateway::{LambdaIntegration, MethodOptions, RestApi, RestApiProps};
/// use cdk_constructs::dynamodb::{Attribute, AttributeType, Table, TableProps};
/// use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
///
/// # let out = tempfile::tempdir().unwrap(); // doctests write only to temporary directories
/// # let app = App::with_props(AppProps { outdir: Some(out.path().join("cdk.out")), ..Default::default() });
/// # let stack = Stack::new(&app, "ProductCatalogServiceStack", StackProps::default());
/// let code = || Code::from_inline("def handler(event, context):\n    return {'statusCode': 200}");
/// let create = Function::new(&stack, "CreateProduct", FunctionProps::new(Runtime::Python314, "index.handler", code()));
/// let get = Function::new(&stack, "GetProduct", FunctionProps::new(Runtime::Python314, "index.handler", code()));
/// let table = Table::new(&stack, "Products", TableProps::new(Attribute::new("id", AttributeType::String)));
/// table.grant_read_write_data(create.role());
/// table.grant_read_data(get.role());
///
/// let api = RestApi::new(&stack, "ProductApi", RestApiProps::default());
/// let product = api.root().add_resource("product");
/// product.add_resource("create").add_method("POST", LambdaIntegration::new(&create), MethodOptions::default());
/// product.add_resource("find").add_resource("{id}").add_method("GET", LambdaIntegration::new(&get), MethodOptions::default());
/// app.synth_or_exit();
/// ```
#[derive(Clone)]
pub struct RestApi {
    pub(crate) shared: Rc<ApiShared>,
}

impl IConstruct for RestApi {
    fn node(&self) -> &Node {
        &self.shared.node
    }
}

impl RestApi {
    /// An existing REST API by ID (aws-cdk-lib `fromRestApiId`); its root resource ID is
    /// unknown.
    pub fn from_rest_api_id(
        scope: &impl IConstruct,
        id: &str,
        rest_api_id: impl Into<Str>,
    ) -> ImportedRestApi {
        Self::import(scope, id, rest_api_id.into(), None, None)
    }

    /// An existing REST API by ID and root resource ID (aws-cdk-lib `fromRestApiAttributes`).
    pub fn from_rest_api_attributes(
        scope: &impl IConstruct,
        id: &str,
        attributes: RestApiAttributes,
    ) -> ImportedRestApi {
        Self::import(
            scope,
            id,
            attributes.rest_api_id,
            Some(attributes.root_resource_id),
            attributes.rest_api_name,
        )
    }

    fn import(
        scope: &impl IConstruct,
        id: &str,
        rest_api_id: Str,
        root_resource_id: Option<Str>,
        name: Option<Str>,
    ) -> ImportedRestApi {
        let base = cdk_core::Resource::new(
            scope,
            id,
            "cdk-constructs.apigateway.ImportedRestApi",
            cdk_core::ResourceProps::default(),
        );
        ImportedRestApi {
            base,
            rest_api_id,
            root_resource_id,
            name: name.unwrap_or_else(|| Str::from(id)),
        }
    }

    /// Defines REST API `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: RestApiProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.apigateway.RestApi");
        let name = props
            .rest_api_name
            .clone()
            .unwrap_or_else(|| id.to_string());
        if name.is_empty() || name.len() > 1024 {
            node.add_error(&format!(
                "API name '{name}' must be 1 to 1024 characters long"
            ));
        }
        let cfn = CfnRestApi::new(
            &node,
            "Resource",
            CfnRestApiProps {
                name: Some(name.as_str().into()),
                description: props.description.as_deref().map(Str::from),
                policy: props.policy.as_ref().map(PolicyDocument::to_value),
                fail_on_warnings: props.fail_on_warnings.map(Bool::from),
                binary_media_types: (!props.binary_media_types.is_empty()).then(|| {
                    props
                        .binary_media_types
                        .iter()
                        .map(|t| Str::from(t.as_str()))
                        .collect::<Vec<_>>()
                        .into()
                }),
                endpoint_configuration: (!props.endpoint_types.is_empty()).then(|| {
                    cfn_rest_api::EndpointConfigurationProperty {
                        types: Some(
                            props
                                .endpoint_types
                                .iter()
                                .map(|t| Str::from(t.name()))
                                .collect::<Vec<_>>()
                                .into(),
                        ),
                        ip_address_type: None,
                        vpc_endpoint_ids: None,
                    }
                }),
                disable_execute_api_endpoint: props.disable_execute_api_endpoint.map(Bool::from),
                ..Default::default()
            },
        );
        if let Some(policy) = &props.policy {
            let doc = policy.clone();
            node.add_validation(move || doc.validate_for_resource_policy());
        }

        // CloudWatch role (aws-cdk-lib's `_configureCloudWatchRole`).
        // The flag as aws-cdk-lib reads it (JavaScript truthiness of the context value).
        let flag_disables = cdk_core::feature_flags::is_enabled(
            &node,
            cdk_core::feature_flags::APIGATEWAY_DISABLE_CLOUDWATCH_ROLE,
        );
        let cloud_watch = props.cloud_watch_role.unwrap_or(!flag_disables);
        let (cloud_watch_role, cloud_watch_account) = if cloud_watch {
            let removal = props
                .cloud_watch_role_removal_policy
                .unwrap_or(RemovalPolicy::Retain);
            let role = Role::new(
                &node,
                "CloudWatchRole",
                RoleProps {
                    managed_policies: vec![ManagedPolicy::from_aws_managed_policy_name(
                        "service-role/AmazonAPIGatewayPushToCloudWatchLogs",
                    )],
                    ..RoleProps::assumed_by(ServicePrincipal::new("apigateway.amazonaws.com"))
                },
            );
            role.cfn().resource().apply_removal_policy(removal);
            let account = CfnAccount::new(
                &node,
                "Account",
                CfnAccountProps {
                    cloud_watch_role_arn: Some(role.role_arn()),
                },
            );
            account.apply_removal_policy(removal);
            account.node().add_dependency(&cfn);
            (Some(role), Some(account))
        } else {
            if props.cloud_watch_role_removal_policy.is_some() {
                node.add_error(
                    "cloud_watch_role must be enabled for cloud_watch_role_removal_policy to apply",
                );
            }
            (None, None)
        };

        // Deployment, stage and endpoint (aws-cdk-lib's `_configureDeployment`).
        let stage_name: Rc<RefCell<Option<Str>>> = Rc::default();
        let (deployment, stage, endpoint) = if props.deploy {
            let description = props
                .deploy_options
                .as_ref()
                .and_then(|o| o.description.clone())
                .or_else(|| props.description.clone())
                .unwrap_or_else(|| "Automatically created by the RestApi construct".into());
            let deployment = Deployment::new(
                &node,
                "Deployment",
                &cfn,
                description.into(),
                props.retain_deployments,
            );
            let options = props.deploy_options.clone().unwrap_or_default();
            let stage = Stage::new(
                &node,
                &deployment,
                cfn.ref_(),
                &options,
                cloud_watch_account.as_ref(),
            );
            *stage_name.borrow_mut() = Some(stage.stage_name());
            let endpoint = CfnOutput::new(
                &node,
                "Endpoint",
                CfnOutputProps {
                    value: stage.url_for_path("/"),
                    export_name: props.endpoint_export_name.clone(),
                    ..Default::default()
                },
            );
            (Some(deployment), Some(stage), Some(endpoint))
        } else {
            if props.deploy_options.is_some() {
                node.add_error("deploy_options cannot be set when deploy is false");
            }
            if props.endpoint_export_name.is_some() {
                node.add_error("endpoint_export_name needs deploy (there is no endpoint output)");
            }
            (None, None, None)
        };

        let root_node = Node::new(&node, "Default");
        let root = ResourceData {
            node: root_node,
            path: "/".into(),
            resource_id: cfn.attr_root_resource_id(),
            parent: None,
            children: BTreeMap::new(),
            methods: BTreeSet::new(),
            default_integration: props.default_integration,
            default_method_options: props.default_method_options.unwrap_or_default(),
            is_proxy: false,
            default_cors_preflight_options: props.default_cors_preflight_options.clone(),
        };
        let method_count: Rc<Cell<usize>> = Rc::default();
        let count = method_count.clone();
        node.add_validation(move || {
            if count.get() == 0 {
                vec!["The REST API doesn't contain any methods".to_string()]
            } else {
                Vec::new()
            }
        });
        let api = RestApi {
            shared: Rc::new(ApiShared {
                node,
                cfn,
                name,
                resources: RefCell::new(vec![root]),
                deployment,
                stage,
                stage_name,
                endpoint,
                cloud_watch_role,
                cloud_watch_account,
                method_count,
                proxy_root: Cell::new(false),
                #[cfg(feature = "certificatemanager")]
                domain: RefCell::new(None),
            }),
        };
        // As aws-cdk-lib: the custom domain before the root resource's CORS method.
        #[cfg(feature = "certificatemanager")]
        if let Some(domain) = props.domain_name {
            api.add_domain_name("CustomDomain", domain);
        }
        if let Some(cors) = props.default_cors_preflight_options {
            api.root().add_cors_preflight(cors);
        }
        api
    }

    /// Adds custom domain `id` mapped (at `options.base_path`) to this API's deployment stage
    /// (aws-cdk-lib `addDomainName`); the first one is [`RestApi::domain_name`].
    #[cfg(feature = "certificatemanager")]
    pub fn add_domain_name(&self, id: &str, options: DomainNameOptions) -> DomainName {
        let domain = DomainName::new(
            self,
            id,
            DomainNameProps {
                options,
                mapping: Some(self.clone()),
            },
        );
        self.shared
            .domain
            .borrow_mut()
            .get_or_insert_with(|| domain.clone());
        domain
    }

    /// The API's first custom domain, if any.
    #[cfg(feature = "certificatemanager")]
    pub fn domain_name(&self) -> Option<DomainName> {
        self.shared.domain.borrow().clone()
    }

    /// Adds API key `id` for the deployment stage (aws-cdk-lib `addApiKey`).
    pub fn add_api_key(&self, id: &str, options: ApiKeyOptions) -> ApiKey {
        ApiKey::new(
            self,
            id,
            ApiKeyProps {
                options,
                stages: self.deployment_stage().into_iter().cloned().collect(),
                resources: Vec::new(),
            },
        )
    }

    /// Adds usage plan `id` (aws-cdk-lib `addUsagePlan`).
    pub fn add_usage_plan(&self, id: &str, props: UsagePlanProps) -> UsagePlan {
        UsagePlan::new(self, id, props)
    }

    /// Adds model `id` (aws-cdk-lib `addModel`).
    pub fn add_model(&self, id: &str, options: ModelOptions) -> Model {
        Model::new(self, id, self, options)
    }

    /// Adds request validator `id` (aws-cdk-lib `addRequestValidator`).
    pub fn add_request_validator(
        &self,
        id: &str,
        options: RequestValidatorOptions,
    ) -> RequestValidator {
        RequestValidator::new(self, id, self, options)
    }

    /// The root resource (`/`).
    pub fn root(&self) -> Resource {
        Resource::at(&self.shared, 0)
    }

    /// The API's ID (`Ref`).
    pub fn rest_api_id(&self) -> Str {
        self.shared.cfn.ref_()
    }

    /// The ID of the root resource (`Fn::GetAtt RootResourceId`).
    pub fn rest_api_root_resource_id(&self) -> Str {
        self.shared.cfn.attr_root_resource_id()
    }

    /// The API's name.
    pub fn rest_api_name(&self) -> &str {
        &self.shared.name
    }

    /// The deployment of the latest model (`None` without `deploy`).
    pub fn latest_deployment(&self) -> Option<&Deployment> {
        self.shared.deployment.as_ref()
    }

    /// The stage the latest deployment is deployed to (`None` without `deploy`).
    pub fn deployment_stage(&self) -> Option<&Stage> {
        self.shared.stage.as_ref()
    }

    /// The `Endpoint` output (`None` without `deploy`).
    pub fn endpoint_output(&self) -> Option<&CfnOutput> {
        self.shared.endpoint.as_ref()
    }

    /// The role API Gateway pushes logs with (`CloudWatchRole`), when created.
    pub fn cloud_watch_role(&self) -> Option<&Role> {
        self.shared.cloud_watch_role.as_ref()
    }

    /// The account setting (`AWS::ApiGateway::Account`) that uses the CloudWatch role.
    pub fn cloud_watch_account(&self) -> Option<&CfnAccount> {
        self.shared.cloud_watch_account.as_ref()
    }

    /// The root URL of the deployment stage (`https://{api}.execute-api.{region}.{suffix}/{stage}/`).
    pub fn url(&self) -> Str {
        self.url_for_path("/")
    }

    /// The URL of `path` in the deployment stage. Without a stage (`deploy: false`) this is a
    /// synth error.
    pub fn url_for_path(&self, path: &str) -> Str {
        match &self.shared.stage {
            Some(stage) => stage.url_for_path(path),
            None => {
                self.shared.node.add_error(
                    "cannot determine the URL: the API has no deployment stage (deploy is false)",
                );
                Str::from("")
            }
        }
    }

    /// `arn:{partition}:execute-api:{region}:{account}:{api}/{stage}/{method}{path}`
    /// (`ANY` → `*`; `stage` default `*`; `path` must start with `/`).
    pub fn arn_for_execute_api(&self, method: &str, path: &str, stage: Option<Str>) -> Str {
        execute_api_arn(&self.shared.node, self.rest_api_id(), method, path, stage)
    }

    /// [`RestApi::arn_for_execute_api`] in the deployment stage, read at synth (`*` without one).
    pub(crate) fn arn_for_execute_api_in_deployment_stage(&self, method: &str, path: &str) -> Str {
        let stage_name = self.shared.stage_name.clone();
        let stage = Str::lazy(move || stage_name.borrow().clone().unwrap_or_else(|| "*".into()));
        self.arn_for_execute_api(method, path, Some(stage))
    }

    pub(crate) fn attach_method(&self, method: &CfnMethod, hash: HashData) {
        self.shared
            .method_count
            .set(self.shared.method_count.get() + 1);
        self.attach_resource(method, hash);
    }

    pub(crate) fn attach_resource(&self, resource: &impl IConstruct, hash: HashData) {
        if let Some(deployment) = &self.shared.deployment {
            deployment.node().add_dependency(resource);
            deployment.add_to_logical_id(hash);
        }
    }

    /// The metric `metric_name` of this API (namespace `AWS/ApiGateway`, dimension
    /// `ApiName`), changed by `options`.
    #[cfg(feature = "cloudwatch")]
    pub fn metric(
        &self,
        metric_name: &str,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        crate::cloudwatch::Metric::new(crate::cloudwatch::MetricProps {
            namespace: "AWS/ApiGateway".into(),
            metric_name: metric_name.into(),
            dimensions_map: [("ApiName".to_string(), Str::from(self.rest_api_name()))].into(),
            ..Default::default()
        })
        .with(options)
    }

    #[cfg(feature = "cloudwatch")]
    fn canned_metric(
        &self,
        metric_name: &str,
        statistic: &str,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.metric(
            metric_name,
            crate::cloudwatch::MetricOptions {
                statistic: Some(statistic.into()),
                ..Default::default()
            },
        )
        .with(options)
    }

    /// Server-side errors (`5XXError`, sum over 5 minutes).
    ///
    /// ```
    /// # use cdk_core::{App, Stack, StackProps};
    /// # use cdk_constructs::apigateway::{MockIntegration, IntegrationOptions, MethodOptions, RestApi, RestApiProps};
    /// use cdk_constructs::cloudwatch::{Alarm, AlarmProps};
    /// # let app = App::new();
    /// # let stack = Stack::new(&app, "S", StackProps::default());
    /// let api = RestApi::new(&stack, "Api", RestApiProps::default());
    /// # api.root().add_method("GET", MockIntegration::new(IntegrationOptions::default()), MethodOptions::default());
    /// let alarm = Alarm::new(&stack, "ServerErrors", AlarmProps::new(api.metric_server_error(Default::default()), 1.0, 1));
    /// # let _ = alarm;
    /// ```
    #[cfg(feature = "cloudwatch")]
    pub fn metric_server_error(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.canned_metric("5XXError", "Sum", options)
    }

    /// Client-side errors (`4XXError`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    pub fn metric_client_error(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.canned_metric("4XXError", "Sum", options)
    }

    /// Requests (`Count`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    pub fn metric_count(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.canned_metric("Count", "Sum", options)
    }

    /// Cache hits (`CacheHitCount`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    pub fn metric_cache_hit_count(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.canned_metric("CacheHitCount", "Sum", options)
    }

    /// Cache misses (`CacheMissCount`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    pub fn metric_cache_miss_count(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.canned_metric("CacheMissCount", "Sum", options)
    }

    /// Time from request to response (`Latency`, average over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    pub fn metric_latency(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.canned_metric("Latency", "Average", options)
    }

    /// Time spent in the backend (`IntegrationLatency`, average over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    pub fn metric_integration_latency(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.canned_metric("IntegrationLatency", "Average", options)
    }

    /// The underlying `AWS::ApiGateway::RestApi`.
    pub fn cfn(&self) -> &CfnRestApi {
        &self.shared.cfn
    }
}

/// Properties of a [`LambdaRestApi`]: the handler, proxy switch and integration options, and
/// every [`RestApiProps`] option except `default_integration`.
#[derive(Clone)]
pub struct LambdaRestApiProps {
    /// The function that handles every request (the default integration): a [`Function`], a
    /// version or an alias.
    pub handler: Rc<dyn IFunction>,
    /// Route every request to the handler: `ANY` on `/` and a `{proxy+}` resource with `ANY`
    /// (default `true`). With `false`, define resources and methods yourself.
    pub proxy: bool,
    /// Options of the Lambda integration.
    pub integration_options: Option<LambdaIntegrationOptions>,
    /// See [`RestApiProps::rest_api_name`].
    pub rest_api_name: Option<String>,
    /// See [`RestApiProps::description`].
    pub description: Option<String>,
    /// See [`RestApiProps::deploy`].
    pub deploy: bool,
    /// See [`RestApiProps::deploy_options`].
    pub deploy_options: Option<StageOptions>,
    /// See [`RestApiProps::retain_deployments`].
    pub retain_deployments: bool,
    /// See [`RestApiProps::endpoint_export_name`].
    pub endpoint_export_name: Option<Str>,
    /// See [`RestApiProps::cloud_watch_role`].
    pub cloud_watch_role: Option<bool>,
    /// See [`RestApiProps::cloud_watch_role_removal_policy`].
    pub cloud_watch_role_removal_policy: Option<RemovalPolicy>,
    /// See [`RestApiProps::endpoint_types`].
    pub endpoint_types: Vec<EndpointType>,
    /// See [`RestApiProps::binary_media_types`].
    pub binary_media_types: Vec<String>,
    /// See [`RestApiProps::fail_on_warnings`].
    pub fail_on_warnings: Option<bool>,
    /// See [`RestApiProps::disable_execute_api_endpoint`].
    pub disable_execute_api_endpoint: Option<bool>,
    /// See [`RestApiProps::policy`].
    pub policy: Option<PolicyDocument>,
    /// See [`RestApiProps::default_method_options`].
    pub default_method_options: Option<MethodOptions>,
    /// See [`RestApiProps::default_cors_preflight_options`].
    pub default_cors_preflight_options: Option<CorsOptions>,
    /// See [`RestApiProps::domain_name`].
    #[cfg(feature = "certificatemanager")]
    pub domain_name: Option<DomainNameOptions>,
}

impl LambdaRestApiProps {
    /// Props for a proxy API in front of `handler`, with defaults elsewhere.
    pub fn new(handler: impl Into<Rc<dyn IFunction>>) -> Self {
        let d = RestApiProps::default();
        LambdaRestApiProps {
            handler: handler.into(),
            proxy: true,
            integration_options: None,
            rest_api_name: d.rest_api_name,
            description: d.description,
            deploy: d.deploy,
            deploy_options: d.deploy_options,
            retain_deployments: d.retain_deployments,
            endpoint_export_name: d.endpoint_export_name,
            cloud_watch_role: d.cloud_watch_role,
            cloud_watch_role_removal_policy: d.cloud_watch_role_removal_policy,
            endpoint_types: d.endpoint_types,
            binary_media_types: d.binary_media_types,
            fail_on_warnings: d.fail_on_warnings,
            disable_execute_api_endpoint: d.disable_execute_api_endpoint,
            policy: d.policy,
            default_method_options: d.default_method_options,
            default_cors_preflight_options: d.default_cors_preflight_options,
            #[cfg(feature = "certificatemanager")]
            domain_name: d.domain_name,
        }
    }
}

/// A REST API whose default integration is a Lambda function; with `proxy` (the default) every
/// request goes to it (`ANY /` and `ANY /{proxy+}`), as aws-cdk-lib's `LambdaRestApi`. It
/// dereferences to its [`RestApi`].
///
/// ```
/// # use cdk_core::{App, Stack, StackProps};
/// # use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use cdk_constructs::apigateway::{LambdaRestApi, LambdaRestApiProps};
/// # let app = App::new();
/// # let stack = Stack::new(&app, "S", StackProps::default());
/// # let handler = Function::new(&stack, "Fn", FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::from_inline("exports.handler = async () => ({})")));
/// let api = LambdaRestApi::new(&stack, "Api", LambdaRestApiProps::new(&handler));
/// assert!(api.root().has_method("ANY"));
/// assert!(api.root().get_resource("{proxy+}").unwrap().has_method("ANY"));
/// ```
#[derive(Clone)]
pub struct LambdaRestApi {
    api: RestApi,
}

impl IConstruct for LambdaRestApi {
    fn node(&self) -> &Node {
        self.api.node()
    }
}

impl Deref for LambdaRestApi {
    type Target = RestApi;
    fn deref(&self) -> &RestApi {
        &self.api
    }
}

impl LambdaRestApi {
    /// Defines the API `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: LambdaRestApiProps) -> Self {
        let integration = LambdaIntegration::with_options(
            props.handler.clone(),
            props.integration_options.unwrap_or_default(),
        );
        let api = RestApi::new(
            scope,
            id,
            RestApiProps {
                rest_api_name: props.rest_api_name,
                description: props.description,
                deploy: props.deploy,
                deploy_options: props.deploy_options,
                retain_deployments: props.retain_deployments,
                endpoint_export_name: props.endpoint_export_name,
                cloud_watch_role: props.cloud_watch_role,
                cloud_watch_role_removal_policy: props.cloud_watch_role_removal_policy,
                endpoint_types: props.endpoint_types,
                binary_media_types: props.binary_media_types,
                fail_on_warnings: props.fail_on_warnings,
                disable_execute_api_endpoint: props.disable_execute_api_endpoint,
                policy: props.policy,
                default_integration: Some(integration.into()),
                default_method_options: props.default_method_options,
                default_cors_preflight_options: props.default_cors_preflight_options,
                #[cfg(feature = "certificatemanager")]
                domain_name: props.domain_name,
            },
        );
        api.node()
            .set_construct_info("cdk-constructs.apigateway.LambdaRestApi");
        if props.proxy {
            api.root().add_proxy(ProxyResourceOptions::default());
            api.shared.proxy_root.set(true);
        }
        LambdaRestApi { api }
    }

    /// The API.
    pub fn api(&self) -> &RestApi {
        &self.api
    }

    /// The API's name ([`RestApi::rest_api_name`]).
    pub fn rest_api_name(&self) -> &str {
        self.api.rest_api_name()
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::apigateway::*;
