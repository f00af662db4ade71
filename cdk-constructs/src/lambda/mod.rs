//! Lambda: functions with code from a folder (asset), inline code or CloudFormation
//! parameters, an automatically created execution role, permissions and grants; versions
//! ([`Version`], [`Function::current_version`]) and aliases ([`Alias`]).

mod alias;
mod event_source_mapping;
mod function_url;
mod singleton;
mod version;

pub use alias::{Alias, AliasOptions, AliasProps, VersionWeight};
pub use event_source_mapping::{
    EventSourceMapping, EventSourceMappingOptions, EventSourceMappingProps, IEventSource,
    StartingPosition,
};
pub use function_url::{
    FunctionUrl, FunctionUrlAuthType, FunctionUrlCorsOptions, FunctionUrlOptions, FunctionUrlProps,
    FunctionUrlTarget, HttpMethod, InvokeMode,
};
pub use singleton::{SingletonFunction, SingletonFunctionProps};
pub use version::{Version, VersionOptions, VersionProps, VERSION_LOCKED};

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{
    ArnComponents, ArnFormat, Asset, AssetProps, CfnElement, CfnParameter, CfnParameterProps,
    IConstruct, Node, PhysicalName, Resource, ResourceEnvironment, ResourceProps, Stack, Str,
    TokenComparison, Value,
};
use cfn_function::{CodeProperty, EnvironmentProperty};

use crate::iam::{
    AddToPrincipalPolicyResult, AddToResourcePolicyResult, Grant, GrantOptions, IPrincipal,
    IResourceWithPolicy, IRole, ManagedPolicy, PolicyStatement, PrincipalFragment, Role, RoleProps,
    ServicePrincipal,
};

/// Lambda runtimes that are not deprecated (AWS Lambda's runtime lifecycle as of 2026-11, as
/// shipped in cfn-lint 1.51.0). Use [`Runtime::Other`] for any other identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// `nodejs22.x`
    Nodejs22X,
    /// `nodejs24.x`
    Nodejs24X,
    /// `python3.12`
    Python312,
    /// `python3.13`
    Python313,
    /// `python3.14`
    Python314,
    /// `java21`
    Java21,
    /// `java25`
    Java25,
    /// `dotnet10`
    Dotnet10,
    /// `ruby3.3`
    Ruby33,
    /// `ruby3.4`
    Ruby34,
    /// `provided.al2023` (custom runtime, e.g. a Rust binary named `bootstrap`)
    ProvidedAl2023,
    /// Any other runtime identifier.
    Other(String),
}

impl Runtime {
    /// The runtime identifier CloudFormation expects (`nodejs24.x`).
    pub fn name(&self) -> &str {
        match self {
            Runtime::Nodejs22X => "nodejs22.x",
            Runtime::Nodejs24X => "nodejs24.x",
            Runtime::Python312 => "python3.12",
            Runtime::Python313 => "python3.13",
            Runtime::Python314 => "python3.14",
            Runtime::Java21 => "java21",
            Runtime::Java25 => "java25",
            Runtime::Dotnet10 => "dotnet10",
            Runtime::Ruby33 => "ruby3.3",
            Runtime::Ruby34 => "ruby3.4",
            Runtime::ProvidedAl2023 => "provided.al2023",
            Runtime::Other(name) => name,
        }
    }

    /// True for runtimes that accept inline code (`ZipFile`).
    pub fn supports_inline_code(&self) -> bool {
        let name = self.name();
        name.starts_with("nodejs") || name.starts_with("python")
    }
}

/// Where a function's code comes from.
#[derive(Clone, Debug)]
pub enum Code {
    /// A local folder (zipped) or `.zip`/`.jar` file, staged as an asset.
    Asset(AssetProps),
    /// A folder whose files are held in memory (e.g. compiled into the program), staged as a
    /// directory asset with the hash of the same folder on disk (see
    /// [`Asset::from_in_memory`]); the props' `path` must be empty.
    AssetInMemory(cdk_core::InMemoryDirectory, AssetProps),
    /// Source text (`ZipFile`), for interpreted runtimes; it may contain tokens (rendered as
    /// `Fn::Join`, as aws-cdk-lib's `Code.fromInline`).
    Inline(Str),
    /// An S3 location given at deploy time through two stack parameters (as a pipeline does).
    CfnParameters(CfnParametersCode),
    /// An existing S3 object.
    S3 {
        /// Bucket name.
        bucket: Str,
        /// Object key.
        key: Str,
    },
}

impl Code {
    /// Code from a local folder or zip file.
    pub fn from_asset(path: impl Into<std::path::PathBuf>) -> Code {
        Code::Asset(AssetProps {
            path: path.into(),
            ..Default::default()
        })
    }

    /// Code from files held in memory (see [`Code::AssetInMemory`]).
    pub fn from_in_memory(files: cdk_core::InMemoryDirectory) -> Code {
        Code::AssetInMemory(files, AssetProps::default())
    }

    /// Inline source code (text with tokens allowed, e.g. an API's ID).
    pub fn from_inline(source: impl Into<Str>) -> Code {
        Code::Inline(source.into())
    }

    /// Code whose S3 location is passed as CloudFormation parameters at deploy time. The
    /// parameters are created in the function's stack when the function is defined; use
    /// [`CfnParametersCode::assign`] to fill them (e.g. in a pipeline's parameter overrides).
    pub fn from_cfn_parameters() -> CfnParametersCode {
        CfnParametersCode::default()
    }
}

/// The two parameters of [`Code::from_cfn_parameters`] (`LambdaSourceBucketNameParameter`,
/// `LambdaSourceObjectKeyParameter`, created under the function as in aws-cdk-lib).
#[derive(Clone, Debug, Default)]
pub struct CfnParametersCode {
    params: Rc<std::cell::RefCell<Option<(CfnParameter, CfnParameter)>>>,
}

impl From<CfnParametersCode> for Code {
    fn from(c: CfnParametersCode) -> Code {
        Code::CfnParameters(c)
    }
}

impl CfnParametersCode {
    fn bind(&self, scope: &Node) -> (Str, Str) {
        let mut params = self.params.borrow_mut();
        if params.is_none() {
            let string = || CfnParameterProps {
                parameter_type: Some("String".into()),
                ..Default::default()
            };
            *params = Some((
                CfnParameter::new(scope, "LambdaSourceBucketNameParameter", string()),
                CfnParameter::new(scope, "LambdaSourceObjectKeyParameter", string()),
            ));
        }
        let (bucket, key) = params.as_ref().expect("just bound");
        (bucket.value_as_string(), key.value_as_string())
    }

    /// The bucket-name parameter, once the code is used by a function.
    pub fn bucket_name_param(&self) -> Option<CfnParameter> {
        self.params.borrow().as_ref().map(|(b, _)| b.clone())
    }

    /// The object-key parameter, once the code is used by a function.
    pub fn object_key_param(&self) -> Option<CfnParameter> {
        self.params.borrow().as_ref().map(|(_, k)| k.clone())
    }

    /// Parameter overrides that point the function at `bucket_name`/`object_key`:
    /// `(parameter logical ID, value)` pairs. Empty until the code is used by a function.
    pub fn assign(&self, bucket_name: Value, object_key: Value) -> Vec<(Str, Value)> {
        match self.params.borrow().as_ref() {
            Some((b, k)) => vec![(b.logical_id(), bucket_name), (k.logical_id(), object_key)],
            None => Vec::new(),
        }
    }
}

/// Properties of a [`Function`].
#[derive(Clone)]
pub struct FunctionProps {
    /// Runtime.
    pub runtime: Runtime,
    /// Handler (`index.handler`).
    pub handler: String,
    /// Code.
    pub code: Code,
    /// Environment variables.
    pub environment: BTreeMap<String, Str>,
    /// Timeout (default 3 s; at most 15 min).
    pub timeout: Option<Duration>,
    /// Memory in MiB (128-10240).
    pub memory_size: Option<u32>,
    /// Physical name (at most 64 characters), or [`PhysicalName::GENERATE_IF_NEEDED`].
    pub function_name: Option<PhysicalName>,
    /// Description.
    pub description: Option<String>,
    /// Statements added to the execution role's default policy.
    pub initial_policy: Vec<PolicyStatement>,
    /// The execution role (default: a new `ServiceRole` with `AWSLambdaBasicExecutionRole`).
    pub role: Option<Rc<dyn IRole>>,
    /// Options of [`Function::current_version`] (aws-cdk-lib's `currentVersionOptions`).
    pub current_version_options: Option<VersionOptions>,
    /// What Lambda does when it detects a recursive loop (default: Lambda's, `Terminate`;
    /// not rendered).
    pub recursive_loop: Option<RecursiveLoop>,
}

pub use cfn_function::RecursiveLoop;

impl FunctionProps {
    /// Props with the three required parts and defaults elsewhere.
    pub fn new(runtime: Runtime, handler: &str, code: impl Into<Code>) -> Self {
        FunctionProps {
            runtime,
            handler: handler.to_string(),
            code: code.into(),
            environment: BTreeMap::new(),
            timeout: None,
            memory_size: None,
            function_name: None,
            description: None,
            initial_policy: Vec::new(),
            role: None,
            current_version_options: None,
            recursive_loop: None,
        }
    }
}

/// Options of [`IFunction::add_permission`].
#[derive(Clone, Debug)]
pub struct Permission {
    /// Who may invoke (a service, like `apigateway.amazonaws.com`, or an account/ARN).
    pub principal: Str,
    /// Action (default `lambda:InvokeFunction`).
    pub action: Option<String>,
    /// Restrict to calls from this source ARN.
    pub source_arn: Option<Str>,
    /// Restrict to calls from this account.
    pub source_account: Option<Str>,
    /// Where the `AWS::Lambda::Permission` is created (default: under the function).
    pub scope: Option<Node>,
    /// Only for calls through a function URL with this auth type (`FunctionUrlAuthType`).
    pub function_url_auth_type: Option<cfn_permission::FunctionUrlAuthType>,
    /// Only for invocations through a function URL (`InvokedViaFunctionUrl`).
    pub invoked_via_function_url: Option<bool>,
}

impl Permission {
    /// A permission for `principal` with defaults elsewhere.
    pub fn new(principal: impl Into<Str>) -> Self {
        Permission {
            principal: principal.into(),
            action: None,
            source_arn: None,
            source_account: None,
            scope: None,
            function_url_auth_type: None,
            invoked_via_function_url: None,
        }
    }
}

/// A Lambda function: created ([`Function`]) or imported ([`ImportedFunction`]).
pub trait IFunction: IPrincipal + IConstruct {
    /// The function's ARN.
    fn function_arn(&self) -> Str;
    /// The function's name.
    fn function_name(&self) -> Str;
    /// Where the function lives.
    fn env(&self) -> ResourceEnvironment;
    /// The execution role, when known.
    fn role(&self) -> Option<Rc<dyn IRole>>;
    /// True when permissions (`AWS::Lambda::Permission`) can be created for the function.
    fn can_create_permissions(&self) -> bool;

    /// The ARNs [`grant_invoke`] names: the function and its versions and aliases
    /// (`<arn>`, `<arn>:*`); a version or alias names itself only.
    fn resource_arns_for_grant_invoke(&self) -> Vec<Str> {
        vec![self.function_arn(), self.function_arn() + ":*"]
    }

    /// The CloudWatch dimensions of the function's metrics (`FunctionName`; a version or alias
    /// adds `Resource`).
    fn metric_dimensions(&self) -> Vec<(String, Str)> {
        vec![("FunctionName".into(), self.function_name())]
    }

    /// The function name an API Gateway integration hashes into its deployment's logical ID
    /// (only a literal name counts, as in aws-cdk-lib).
    fn function_name_for_deployment(&self) -> Option<String> {
        self.function_name().literal().map(str::to_string)
    }

    /// Lets `permission.principal` invoke the function: an `AWS::Lambda::Permission` `id`
    /// (under `permission.scope`, default the function). No effect (a warning) for a function
    /// this app cannot change.
    fn add_permission(&self, id: &str, permission: Permission) -> Option<CfnPermission> {
        if !self.can_create_permissions() {
            self.node().add_warning(&format!(
                "addPermission() has no effect on a Lambda Function imported from another environment ({id})"
            ));
            return None;
        }
        let scope = permission
            .scope
            .clone()
            .unwrap_or_else(|| self.node().clone());
        Some(CfnPermission::new(
            &scope,
            id,
            CfnPermissionProps {
                source_arn: permission.source_arn,
                source_account: permission.source_account,
                function_url_auth_type: permission.function_url_auth_type,
                invoked_via_function_url: permission.invoked_via_function_url.map(Into::into),
                ..CfnPermissionProps::new(
                    permission
                        .action
                        .unwrap_or_else(|| "lambda:InvokeFunction".into()),
                    self.function_arn(),
                    permission.principal,
                )
            },
        ))
    }

    /// What a function URL of this function points at (aws-cdk-lib's checks in `FunctionUrl`):
    /// the function itself; an alias's function with the alias as qualifier; a version: an
    /// error ("FunctionUrl cannot be used with a Version").
    fn function_url_target(&self) -> Result<FunctionUrlTarget, String> {
        Ok(FunctionUrlTarget {
            function_arn: self.function_arn(),
            qualifier: None,
            depends_on: None,
        })
    }

    /// A function URL `FunctionUrl` under the function (aws-cdk-lib's `addFunctionUrl`).
    fn add_function_url(&self, options: FunctionUrlOptions) -> FunctionUrl
    where
        Self: Sized,
    {
        FunctionUrl::define(self.node(), "FunctionUrl", self, &options)
    }

    /// Lets Lambda read `options.event_source_arn` for the function: an event source mapping
    /// `id` under the function (aws-cdk-lib's `addEventSourceMapping`; the event sources of
    /// [`lambda_event_sources`](crate::lambda_event_sources) call it and add the grants).
    fn add_event_source_mapping(
        &self,
        id: &str,
        options: EventSourceMappingOptions,
    ) -> EventSourceMapping {
        EventSourceMapping::define(self.node(), id, self.function_name(), &options)
    }

    /// The metric `metric_name` of the function (namespace `AWS/Lambda`, dimensions
    /// [`metric_dimensions`](Self::metric_dimensions)), changed by `options`.
    #[cfg(feature = "cloudwatch")]
    fn metric(
        &self,
        metric_name: &str,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        crate::cloudwatch::Metric::new(crate::cloudwatch::MetricProps {
            namespace: "AWS/Lambda".into(),
            metric_name: metric_name.into(),
            dimensions_map: self.metric_dimensions().into_iter().collect(),
            ..Default::default()
        })
        .with(options)
    }

    /// How many invocations failed (`Errors`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    fn metric_errors(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(self.metric("Errors", Default::default()), "Sum", options)
    }

    /// How long invocations took (`Duration`, average over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    fn metric_duration(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(
            self.metric("Duration", Default::default()),
            "Average",
            options,
        )
    }

    /// How often the function was invoked (`Invocations`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    fn metric_invocations(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(
            self.metric("Invocations", Default::default()),
            "Sum",
            options,
        )
    }

    /// How many invocations were throttled (`Throttles`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    fn metric_throttles(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(self.metric("Throttles", Default::default()), "Sum", options)
    }

    /// Adds a statement to the execution role's policy; under
    /// `@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy`, in a new policy
    /// `inlinePolicyAddedToExecutionRole-N` under the function instead (aws-cdk-lib).
    fn add_to_role_policy(&self, statement: PolicyStatement) {
        let Some(role) = self.role() else {
            return;
        };
        if cdk_core::feature_flags::is_enabled(
            self.node(),
            cdk_core::feature_flags::LAMBDA_CREATE_NEW_POLICIES_WITH_ADD_TO_ROLE_POLICY,
        ) {
            const COUNTER: &str = "cdk-constructs.lambda.policyCounter";
            let counter = self
                .node()
                .attached::<std::cell::Cell<u32>>(COUNTER)
                .unwrap_or_else(|| {
                    let c = Rc::new(std::cell::Cell::new(0));
                    self.node().attach(COUNTER, c.clone());
                    c
                });
            let n = counter.get();
            counter.set(n + 1);
            let policy = crate::iam::Policy::new(
                self.node(),
                &format!("inlinePolicyAddedToExecutionRole-{n}"),
                crate::iam::PolicyProps {
                    statements: vec![statement],
                    ..Default::default()
                },
            );
            role.attach_inline_policy(&policy);
        } else {
            role.add_to_policy(statement);
        }
    }

    /// Lets `grantee` invoke the function: in its own policy, or with a permission when it has
    /// none (a service) or is in another account (aws-cdk-lib's `grantInvoke`).
    fn grant_invoke(&self, grantee: &dyn IPrincipal) -> Grant
    where
        Self: Sized,
    {
        grant_invoke(self, grantee)
    }
}

/// A canned metric (aws-cdk-lib's `LambdaMetrics.*`): `statistic` unless `options` says else.
#[cfg(feature = "cloudwatch")]
fn canned(
    metric: crate::cloudwatch::Metric,
    statistic: &str,
    options: crate::cloudwatch::MetricOptions,
) -> crate::cloudwatch::Metric {
    metric
        .with(crate::cloudwatch::MetricOptions {
            statistic: Some(statistic.into()),
            ..Default::default()
        })
        .with(options)
}

/// aws-cdk-lib's `FunctionBase.grantInvoke`.
pub fn grant_invoke(function: &dyn IFunction, grantee: &dyn IPrincipal) -> Grant {
    let principal = permission_principal(grantee);
    // The hash is base64: constructs turns its `/` into `--` in the construct ID.
    let identifier = format!(
        "Invoke{}",
        invoke_identifier_hash(&grantee.policy_fragment(), principal.as_ref())
    )
    .replace('/', "--");
    let resource = PermissionResource {
        function,
        identifier: identifier.clone(),
        principal,
    };
    Grant::with_options(GrantOptions {
        grantee,
        actions: &["lambda:InvokeFunction"],
        resource_arns: function.resource_arns_for_grant_invoke(),
        resource_self_arns: None,
        resource_policy_principal: None,
        resource: Some(&resource),
    })
}

/// The principal of a `AWS::Lambda::Permission` for `grantee` (a service name, account or
/// ARN), as aws-cdk-lib's `parsePermissionPrincipal`.
fn permission_principal(grantee: &dyn IPrincipal) -> Option<Str> {
    let fragment = grantee.policy_fragment();
    if let Some(service) = fragment.principals.get("Service").and_then(|s| s.first()) {
        return Some(Str::from_value(service.clone()));
    }
    if let Some(account) = grantee
        .principal_account()
        .filter(|_| fragment.principals.contains_key("AWS"))
    {
        let arn = fragment.principals["AWS"].first().cloned();
        // An account principal names the account; other ARN principals their ARN.
        return match arn {
            Some(a) if fragment.conditions.is_empty() => Some(
                if grantee
                    .dedupe_key()
                    .is_some_and(|k| format!("{k:?}").contains("AccountPrincipal"))
                {
                    account
                } else {
                    Str::from_value(a)
                },
            ),
            _ => Some(account),
        };
    }
    fragment
        .principals
        .get("AWS")
        .and_then(|a| a.first())
        .map(|a| Str::from_value(a.clone()))
}

/// The base64 SHA-256 aws-cdk-lib appends to `Invoke` for the permission's construct ID
/// (`{"principal": <principal as text>, "conditions": {...}}`).
fn invoke_identifier_hash(fragment: &PrincipalFragment, principal: Option<&Str>) -> String {
    use sha2::Digest as _;
    let display = match (
        fragment.principals.get("Service"),
        principal.and_then(Str::literal),
    ) {
        (Some(_), Some(service)) => format!("ServicePrincipal({service})"),
        (None, Some(literal)) => format!("ArnPrincipal({literal})"),
        _ => format!("{:?}", fragment.principals),
    };
    let conditions = if fragment.conditions.is_empty() {
        "{}".to_string()
    } else {
        format!("{:?}", fragment.conditions)
    };
    let text = format!(
        "{{\"principal\":{},\"conditions\":{conditions}}}",
        serde_json::Value::String(display)
    );
    base64_encode(&sha2::Sha256::digest(text.as_bytes()))
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A function as the "resource" of a grant: its resource policy is made of permissions.
struct PermissionResource<'a> {
    function: &'a dyn IFunction,
    identifier: String,
    principal: Option<Str>,
}

impl IResourceWithPolicy for PermissionResource<'_> {
    fn add_to_resource_policy(&self, _statement: PolicyStatement) -> AddToResourcePolicyResult {
        let Some(principal) = self.principal.clone() else {
            self.function.node().add_error("Invalid principal type for Lambda permission statement. Supported: AccountPrincipal, ArnPrincipal, ServicePrincipal, OrganizationPrincipal");
            return AddToResourcePolicyResult::default();
        };
        if let Some(existing) = self.function.node().try_find_child(&self.identifier) {
            return AddToResourcePolicyResult {
                statement_added: true,
                policy_dependable: Some(existing),
            };
        }
        match self
            .function
            .add_permission(&self.identifier, Permission::new(principal))
        {
            Some(p) => AddToResourcePolicyResult {
                statement_added: true,
                policy_dependable: Some(p.node().clone()),
            },
            None => AddToResourcePolicyResult::default(),
        }
    }

    fn resource_account(&self) -> Str {
        self.function.env().account
    }
}

/// A Lambda function.
///
/// ```
/// use cdk_core::{App, Stack, StackProps, Str};
/// use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let mut props = FunctionProps::new(
///     Runtime::Python314,
///     "index.handler",
///     Code::from_inline("def handler(event, context):\n    return {'statusCode': 200}"),
/// );
/// props.environment.insert("STAGE".into(), Str::from("dev"));
/// props.timeout = Some(std::time::Duration::from_secs(10));
/// let function = Function::new(&stack, "Handler", props); // + ServiceRole with AWSLambdaBasicExecutionRole
/// let arn = function.function_arn();
/// # let _ = arn;
/// ```
#[derive(Clone)]
pub struct Function {
    base: Resource,
    resource: CfnFunction,
    role: Rc<dyn IRole>,
    arn: Str,
    name: Str,
    function_name: Option<Str>,
    version_options: Option<VersionOptions>,
    hash_mixins: Rc<std::cell::RefCell<Vec<String>>>,
}

impl IConstruct for Function {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

#[cfg(feature = "cloudwatch")]
impl Function {
    /// The metric `metric_name` of all functions of the account and region (namespace
    /// `AWS/Lambda`, no dimensions; aws-cdk-lib's `Function.metricAll`), changed by `options`.
    ///
    /// ```
    /// use cdk_core::{App, Stack, StackProps};
    /// use cdk_constructs::cloudwatch::{Alarm, AlarmProps};
    /// use cdk_constructs::lambda::Function;
    ///
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Monitoring", StackProps::default());
    /// let throttles = Function::metric_all_throttles(Default::default()); // Sum, 5 minutes
    /// assert!(throttles.dimensions().is_empty());
    /// Alarm::new(&stack, "AnyThrottles", AlarmProps::new(throttles, 1.0, 1));
    /// ```
    pub fn metric_all(
        metric_name: &str,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        crate::cloudwatch::Metric::new(crate::cloudwatch::MetricProps {
            namespace: "AWS/Lambda".into(),
            metric_name: metric_name.into(),
            ..Default::default()
        })
        .with(options)
    }

    /// Failed invocations of all functions (`Errors`, Sum).
    pub fn metric_all_errors(
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(
            Self::metric_all("Errors", Default::default()),
            "Sum",
            options,
        )
    }

    /// Duration of all functions' invocations (`Duration`, Average).
    pub fn metric_all_duration(
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        Self::metric_all("Duration", options)
    }

    /// Invocations of all functions (`Invocations`, Sum).
    pub fn metric_all_invocations(
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(
            Self::metric_all("Invocations", Default::default()),
            "Sum",
            options,
        )
    }

    /// Throttled invocations of all functions (`Throttles`, Sum).
    pub fn metric_all_throttles(
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(
            Self::metric_all("Throttles", Default::default()),
            "Sum",
            options,
        )
    }

    /// Concurrent executions of all functions (`ConcurrentExecutions`, Maximum).
    pub fn metric_all_concurrent_executions(
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(
            Self::metric_all("ConcurrentExecutions", Default::default()),
            "Maximum",
            options,
        )
    }

    /// Concurrent executions of functions without reserved concurrency
    /// (`UnreservedConcurrentExecutions`, Maximum).
    pub fn metric_all_unreserved_concurrent_executions(
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        canned(
            Self::metric_all("UnreservedConcurrentExecutions", Default::default()),
            "Maximum",
            options,
        )
    }
}

impl Function {
    /// Defines a function `id` under `scope`, with its execution role `ServiceRole`.
    pub fn new(scope: &impl IConstruct, id: &str, props: FunctionProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.lambda.Function",
            ResourceProps {
                physical_name: props.function_name.clone(),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        let role: Rc<dyn IRole> = match props.role.clone() {
            Some(r) => r,
            None => Rc::new(Role::new(
                &node,
                "ServiceRole",
                RoleProps {
                    managed_policies: vec![ManagedPolicy::from_aws_managed_policy_name(
                        "service-role/AWSLambdaBasicExecutionRole",
                    )],
                    ..RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com"))
                },
            )),
        };
        for statement in props.initial_policy {
            role.add_to_policy(statement);
        }
        let mut asset = None;
        // A staged asset (folder, zip file or in-memory folder) as the function's code.
        let mut use_asset = |a: Asset| {
            if a.is_file() {
                let path = a.source_path().to_string_lossy().to_lowercase();
                if !(path.ends_with(".zip") || path.ends_with(".jar")) {
                    node.add_error(&format!(
                        "asset '{}' must be a directory or a .zip/.jar file",
                        a.source_path().display()
                    ));
                }
            }
            let code = CodeProperty {
                s3_bucket: Some(a.bucket_name()),
                s3_key: Some(a.object_key()),
                ..Default::default()
            };
            asset = Some(a);
            code
        };
        let code = match &props.code {
            Code::Inline(source) => {
                if !props.runtime.supports_inline_code() {
                    node.add_error(&format!(
                        "inline code is not supported for runtime {}",
                        props.runtime.name()
                    ));
                }
                if source.literal().is_some_and(|s| s.len() > 4096) {
                    node.add_error(
                        "inline code is limited to 4096 characters; use Code::from_asset",
                    );
                }
                CodeProperty {
                    zip_file: Some(source.clone()),
                    ..Default::default()
                }
            }
            Code::Asset(asset_props) => use_asset(Asset::new(&node, "Code", asset_props.clone())),
            Code::AssetInMemory(files, asset_props) => use_asset(Asset::from_in_memory(
                &node,
                "Code",
                files.clone(),
                asset_props.clone(),
            )),
            Code::CfnParameters(params) => {
                let (bucket, key) = params.bind(&node);
                CodeProperty {
                    s3_bucket: Some(bucket),
                    s3_key: Some(key),
                    ..Default::default()
                }
            }
            Code::S3 { bucket, key } => CodeProperty {
                s3_bucket: Some(bucket.clone()),
                s3_key: Some(key.clone()),
                ..Default::default()
            },
        };
        if let Some(PhysicalName::Given(name)) = &props.function_name {
            if let Some(name) = name.literal() {
                if name.is_empty() || name.len() > 64 {
                    node.add_error(&format!(
                        "function name '{name}' must be 1 to 64 characters long (got {})",
                        name.len()
                    ));
                }
            }
        }
        if let Some(m) = props.memory_size {
            if !(128..=10240).contains(&m) {
                node.add_error(&format!("memory size must be 128 to 10240 MiB (got {m})"));
            }
        }
        if let Some(t) = props.timeout {
            if t.as_secs() > 900 || t.as_secs() == 0 {
                node.add_error(&format!(
                    "timeout must be 1 s to 15 min (got {} s)",
                    t.as_secs()
                ));
            }
        }
        let environment = (!props.environment.is_empty()).then(|| EnvironmentProperty {
            variables: Some(
                props
                    .environment
                    .into_iter()
                    .map(|(k, v)| (k, v.into_value()))
                    .collect(),
            ),
        });
        let resource = CfnFunction::new(
            &base,
            "Resource",
            CfnFunctionProps {
                handler: Some(props.handler.as_str().into()),
                runtime: Some(cfn_function::Runtime::Other(
                    props.runtime.name().to_string().into(),
                )),
                environment,
                timeout: props.timeout.map(|t| t.as_secs().into()),
                memory_size: props.memory_size.map(Into::into),
                function_name: base.physical_name(),
                description: props.description.map(Str::from),
                recursive_loop: props.recursive_loop,
                ..CfnFunctionProps::new(code, role.role_arn())
            },
        );
        resource.node().add_dependency(role.node());
        if let Some(a) = asset {
            a.add_resource_metadata(resource.resource(), "Code");
        }
        let name = base.name_attribute(resource.ref_());
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("lambda", "function")
                .with_name(base.physical_name().unwrap_or_default())
                .with_format(ArnFormat::ColonResourceName),
        );
        let function_name = match &props.function_name {
            Some(PhysicalName::Given(n)) => Some(n.clone()),
            _ => None,
        };
        #[cfg(feature = "logs")]
        if cdk_core::feature_flags::is_enabled(
            &base,
            cdk_core::feature_flags::LAMBDA_USE_CDK_MANAGED_LOG_GROUP,
        ) {
            cdk_managed_log_group(&base, name.clone());
        }
        Function {
            base,
            resource,
            role,
            arn,
            name,
            function_name,
            version_options: props.current_version_options,
            hash_mixins: Rc::default(),
        }
    }

    /// An existing function by ARN (its account and region come from the ARN).
    pub fn from_function_arn(
        scope: &impl IConstruct,
        id: &str,
        arn: impl Into<Str>,
    ) -> ImportedFunction {
        Self::from_function_attributes(
            scope,
            id,
            FunctionAttributes {
                function_arn: arn.into(),
                ..Default::default()
            },
        )
    }

    /// An existing function of the stack's account and region by name.
    pub fn from_function_name(scope: &impl IConstruct, id: &str, name: &str) -> ImportedFunction {
        let arn = match Stack::of(scope) {
            Some(s) => s.format_arn(
                ArnComponents::new("lambda", "function")
                    .with_name(name)
                    .with_format(ArnFormat::ColonResourceName),
            ),
            None => Str::from(name),
        };
        Self::from_function_arn(scope, id, arn)
    }

    /// An existing function from its attributes (aws-cdk-lib's `fromFunctionAttributes`).
    pub fn from_function_attributes(
        scope: &impl IConstruct,
        id: &str,
        attrs: FunctionAttributes,
    ) -> ImportedFunction {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.lambda.ImportedFunction",
            ResourceProps {
                environment_from_arn: Some(attrs.function_arn.clone()),
                ..Default::default()
            },
        );
        let stack = Stack::of(&base);
        let parts = stack
            .as_ref()
            .map(|s| s.split_arn(attrs.function_arn.clone(), ArnFormat::ColonResourceName));
        let name = parts
            .as_ref()
            .and_then(|p| p.resource_name.clone())
            .unwrap_or_default();
        let name = match name.literal() {
            Some(n) => Str::from(n.split(':').next().unwrap_or(n)),
            None => name,
        };
        // Permissions can be added to functions of this account (aws-cdk-lib's _isStackAccount).
        let same_account = match (&stack, parts.as_ref().and_then(|p| p.account.clone())) {
            (Some(s), Some(a)) => {
                attrs.same_environment
                    || (!s.account().is_token() && a.compare(&s.account()) == TokenComparison::Same)
            }
            _ => attrs.same_environment,
        };
        ImportedFunction {
            base,
            arn: attrs.function_arn,
            name,
            role: attrs.role,
            can_create_permissions: same_account && !attrs.skip_permissions,
        }
    }

    /// The function's ARN.
    pub fn function_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The function's name (`Ref`).
    pub fn function_name(&self) -> Str {
        self.name.clone()
    }

    /// The name given to the function, when one was.
    pub fn given_function_name(&self) -> Option<Str> {
        self.function_name.clone()
    }

    /// The execution role.
    pub fn role(&self) -> &Rc<dyn IRole> {
        &self.role
    }

    /// Adds a statement to the execution role's policy (see [`IFunction::add_to_role_policy`]).
    pub fn add_to_role_policy(&self, statement: PolicyStatement) {
        IFunction::add_to_role_policy(self, statement);
    }

    /// Lets `permission.principal` invoke the function (`AWS::Lambda::Permission` `id`).
    pub fn add_permission(&self, id: &str, permission: Permission) -> Option<CfnPermission> {
        IFunction::add_permission(self, id, permission)
    }

    /// Lets `grantee` invoke the function (see [`IFunction::grant_invoke`]).
    pub fn grant_invoke(&self, grantee: &dyn IPrincipal) -> Grant {
        grant_invoke(self, grantee)
    }

    /// The underlying `AWS::Lambda::Function`.
    pub fn cfn(&self) -> &CfnFunction {
        &self.resource
    }

    /// The version of the function as it is defined now: a [`Version`] `CurrentVersion`
    /// (created on the first call) whose logical ID ends with aws-cdk-lib's hash of the
    /// function's version-locked properties (`calculateFunctionHash`), so changing the code or
    /// configuration publishes a new version and leaving it alone keeps the old one.
    ///
    /// ```
    /// use cdk_core::{App, Stack, StackProps};
    /// use cdk_constructs::lambda::{AliasOptions, Code, Function, FunctionProps, Runtime};
    ///
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Service", StackProps::default());
    /// let function = Function::new(&stack, "Handler", FunctionProps::new(
    ///     Runtime::Python314, "index.handler", Code::from_inline("def handler(e, c): pass"),
    /// ));
    /// let version = function.current_version(); // HandlerCurrentVersion<id hash><md5 hash>
    /// let live = version.add_alias("live", AliasOptions::default());
    /// # let _ = live;
    /// ```
    pub fn current_version(&self) -> Version {
        const KEY: &str = "cdk-constructs.lambda.currentVersion";
        if let Some(v) = self.node().attached::<Version>(KEY) {
            return (*v).clone();
        }
        let version = Version::new(
            self,
            "CurrentVersion",
            VersionProps {
                lambda: Rc::new(self.clone()),
                options: self.version_options.clone().unwrap_or_default(),
            },
        );
        let (cfn, function, mixins) = (
            version.cfn().clone(),
            self.resource.clone(),
            self.hash_mixins.clone(),
        );
        // The ID from the construct path, taken before the first override.
        let original_id: std::cell::OnceCell<String> = std::cell::OnceCell::new();
        // At synth, after the whole function was configured, before logical IDs are assigned.
        version.node().add_prepare(move || {
            let original = original_id
                .get_or_init(|| cdk_core::resolve::logical_id_of(cfn.node()).unwrap_or_default());
            match version::calculate_function_hash(&function, &mixins.borrow().join("")) {
                Ok(hash) => cfn.override_logical_id(&format!(
                    "{}{hash}",
                    version::trim_from_start(original, 223)
                )),
                Err(e) => function.node().add_error(&e),
            }
        });
        self.node().attach(KEY, Rc::new(version.clone()));
        version
    }

    /// Adds `x` to the hash of [`current_version`](Self::current_version) (aws-cdk-lib's
    /// `invalidateVersionBasedOn`): a new version is published whenever `x` changes. `x` must
    /// be a literal.
    pub fn invalidate_version_based_on(&self, x: impl Into<Str>) {
        let x: Str = x.into();
        match x.literal() {
            Some(text) => self.hash_mixins.borrow_mut().push(text.to_string()),
            None => self
                .node()
                .add_error("invalidateVersionOn: input may not contain unresolved tokens"),
        }
    }

    /// Connects an event source (an SQS queue, an SNS topic, a DynamoDB stream...; see
    /// [`lambda_event_sources`](crate::lambda_event_sources)) to the function (aws-cdk-lib's
    /// `addEventSource`).
    pub fn add_event_source(&self, source: &dyn IEventSource) {
        let target: Rc<dyn IFunction> = Rc::new(self.clone());
        source.bind(&target);
    }

    /// See [`IFunction::add_function_url`].
    pub fn add_function_url(&self, options: FunctionUrlOptions) -> FunctionUrl {
        IFunction::add_function_url(self, options)
    }

    /// See [`IFunction::add_event_source_mapping`].
    pub fn add_event_source_mapping(
        &self,
        id: &str,
        options: EventSourceMappingOptions,
    ) -> EventSourceMapping {
        IFunction::add_event_source_mapping(self, id, options)
    }

    /// An alias `Alias<name>` of [`current_version`](Self::current_version) (aws-cdk-lib's
    /// `addAlias`).
    pub fn add_alias(&self, alias_name: &str, options: AliasOptions) -> Alias {
        Alias::new(
            self,
            &format!("Alias{alias_name}"),
            AliasProps {
                alias_name: alias_name.to_string(),
                version: self.current_version(),
                options,
            },
        )
    }

    /// The stack the function is in.
    pub fn stack(&self) -> Option<Stack> {
        self.base.stack()
    }
}

/// aws-cdk-lib's log group for a function under `@aws-cdk/aws-lambda:useCdkManagedLogGroup`:
/// construct `LogGroup` with `/aws/lambda/<function name>`, the `logs.LogGroup` defaults
/// (retention 731 days, retained on removal).
#[cfg(feature = "logs")]
fn cdk_managed_log_group(function: &impl IConstruct, function_name: Str) {
    use crate::generated::logs::{CfnLogGroup, CfnLogGroupProps};
    let node = cdk_core::Node::new(function, "LogGroup");
    node.set_construct_info("cdk-constructs.logs.LogGroup");
    let group = CfnLogGroup::new(
        &node,
        "Resource",
        CfnLogGroupProps {
            log_group_name: Some(Str::from("/aws/lambda/") + function_name),
            retention_in_days: Some(731.into()),
            ..Default::default()
        },
    );
    group
        .resource()
        .apply_removal_policy(cdk_core::RemovalPolicy::Retain);
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::lambda::*;

/// A function acts as its execution role: grants to a function go to its role's policy.
impl IPrincipal for Function {
    fn policy_fragment(&self) -> PrincipalFragment {
        self.role.policy_fragment()
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        self.role.add_to_principal_policy(statement)
    }

    fn principal_account(&self) -> Option<Str> {
        self.role.principal_account()
    }

    fn dedupe_key(&self) -> Option<Value> {
        self.role.dedupe_key()
    }

    fn owned_resource_node(&self) -> Option<Node> {
        self.role.owned_resource_node()
    }
}

impl IFunction for Function {
    fn function_arn(&self) -> Str {
        self.arn.clone()
    }
    fn function_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn role(&self) -> Option<Rc<dyn IRole>> {
        Some(self.role.clone())
    }
    fn can_create_permissions(&self) -> bool {
        true
    }
    fn function_name_for_deployment(&self) -> Option<String> {
        match self.resource.resource().property("FunctionName") {
            Some(Value::String(name)) => Some(name),
            _ => None,
        }
    }
}

/// Attributes of an existing function ([`Function::from_function_attributes`]).
#[derive(Clone, Default)]
pub struct FunctionAttributes {
    /// The function's ARN.
    pub function_arn: Str,
    /// Its execution role (grants to the function then go to it).
    pub role: Option<Rc<dyn IRole>>,
    /// Treat the function as being of this stack's account and region (permissions can be
    /// added) even when its ARN does not tell.
    pub same_environment: bool,
    /// Never add permissions to it (they exist already).
    pub skip_permissions: bool,
}

/// A function defined outside this app.
#[derive(Clone)]
pub struct ImportedFunction {
    base: Resource,
    arn: Str,
    name: Str,
    role: Option<Rc<dyn IRole>>,
    can_create_permissions: bool,
}

impl IConstruct for ImportedFunction {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IPrincipal for ImportedFunction {
    fn policy_fragment(&self) -> PrincipalFragment {
        match &self.role {
            Some(r) => r.policy_fragment(),
            None => PrincipalFragment::default(),
        }
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        match &self.role {
            Some(r) => r.add_to_principal_policy(statement),
            None => AddToPrincipalPolicyResult::not_added(),
        }
    }

    fn principal_account(&self) -> Option<Str> {
        self.role.as_ref().and_then(|r| r.principal_account())
    }
}

impl IFunction for ImportedFunction {
    fn function_arn(&self) -> Str {
        self.arn.clone()
    }
    fn function_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn role(&self) -> Option<Rc<dyn IRole>> {
        self.role.clone()
    }
    fn can_create_permissions(&self) -> bool {
        self.can_create_permissions
    }
}

impl From<Function> for Rc<dyn IFunction> {
    fn from(f: Function) -> Self {
        Rc::new(f)
    }
}

impl From<&Function> for Rc<dyn IFunction> {
    fn from(f: &Function) -> Self {
        Rc::new(f.clone())
    }
}

impl From<ImportedFunction> for Rc<dyn IFunction> {
    fn from(f: ImportedFunction) -> Self {
        Rc::new(f)
    }
}
