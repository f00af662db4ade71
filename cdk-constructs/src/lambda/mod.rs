//! Lambda: functions with code from a folder (asset), inline code or CloudFormation
//! parameters, an automatically created execution role, permissions and grants.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{
    Asset, AssetProps, CfnElement, CfnParameter, CfnParameterProps, IConstruct, Node, Stack, Str,
    Value,
};
use cfn_function::{CodeProperty, EnvironmentProperty};

use crate::iam::{
    Grant, IPrincipal, ManagedPolicy, PolicyStatement, PrincipalFragment, Role, RoleProps,
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
    /// Source text (`ZipFile`), for interpreted runtimes.
    Inline(String),
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

    /// Inline source code.
    pub fn from_inline(source: &str) -> Code {
        Code::Inline(source.to_string())
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
#[derive(Clone, Debug)]
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
    /// Physical name (at most 64 characters).
    pub function_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Statements added to the execution role's default policy.
    pub initial_policy: Vec<PolicyStatement>,
}

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
        }
    }
}

/// Options of [`Function::add_permission`].
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
    node: Node,
    resource: CfnFunction,
    role: Role,
}

impl IConstruct for Function {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl Function {
    /// Defines a function `id` under `scope`, with its execution role `ServiceRole`.
    pub fn new(scope: &impl IConstruct, id: &str, props: FunctionProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.lambda.Function");
        let role = Role::new(
            &node,
            "ServiceRole",
            RoleProps {
                managed_policies: vec![ManagedPolicy::from_aws_managed_policy_name(
                    "service-role/AWSLambdaBasicExecutionRole",
                )],
                ..RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com"))
            },
        );
        for statement in props.initial_policy {
            role.add_to_policy(statement);
        }
        let mut asset = None;
        let code = match &props.code {
            Code::Inline(source) => {
                if !props.runtime.supports_inline_code() {
                    node.add_error(&format!(
                        "inline code is not supported for runtime {}",
                        props.runtime.name()
                    ));
                }
                if source.len() > 4096 {
                    node.add_error(
                        "inline code is limited to 4096 characters; use Code::from_asset",
                    );
                }
                CodeProperty {
                    zip_file: Some(source.as_str().into()),
                    ..Default::default()
                }
            }
            Code::Asset(asset_props) => {
                let a = Asset::new(&node, "Code", asset_props.clone());
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
            }
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
        if let Some(name) = &props.function_name {
            if name.is_empty() || name.len() > 64 {
                node.add_error(&format!(
                    "function name '{name}' must be 1 to 64 characters long (got {})",
                    name.len()
                ));
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
            &node,
            "Resource",
            CfnFunctionProps {
                handler: Some(props.handler.as_str().into()),
                runtime: Some(cfn_function::Runtime::Other(
                    props.runtime.name().to_string().into(),
                )),
                environment,
                timeout: props.timeout.map(|t| t.as_secs().into()),
                memory_size: props.memory_size.map(Into::into),
                function_name: props.function_name.map(Str::from),
                description: props.description.map(Str::from),
                ..CfnFunctionProps::new(code, role.role_arn())
            },
        );
        resource.node().add_dependency(&role);
        if let Some(a) = asset {
            a.add_resource_metadata(resource.resource(), "Code");
        }
        Function {
            node,
            resource,
            role,
        }
    }

    /// The function's ARN.
    pub fn function_arn(&self) -> Str {
        self.resource.attr_arn()
    }

    /// The function's name (`Ref`).
    pub fn function_name(&self) -> Str {
        self.resource.ref_()
    }

    /// The execution role.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// Adds a statement to the execution role's policy.
    pub fn add_to_role_policy(&self, statement: PolicyStatement) {
        self.role.add_to_policy(statement);
    }

    /// Lets `permission.principal` invoke the function (`AWS::Lambda::Permission` `id`).
    pub fn add_permission(&self, id: &str, permission: Permission) -> CfnPermission {
        CfnPermission::new(
            &self.node,
            id,
            CfnPermissionProps {
                source_arn: permission.source_arn,
                source_account: permission.source_account,
                ..CfnPermissionProps::new(
                    permission
                        .action
                        .unwrap_or_else(|| "lambda:InvokeFunction".into()),
                    self.function_arn(),
                    permission.principal,
                )
            },
        )
    }

    /// Lets `grantee` invoke the function (in the grantee's own policy).
    pub fn grant_invoke(&self, grantee: &dyn IPrincipal) -> Grant {
        Grant::add_to_principal(
            grantee,
            &["lambda:InvokeFunction"],
            [self.function_arn(), self.function_arn() + ":*"],
        )
    }

    /// The underlying `AWS::Lambda::Function`.
    pub fn cfn(&self) -> &CfnFunction {
        &self.resource
    }

    /// The stack the function is in.
    pub fn stack(&self) -> Option<Stack> {
        Stack::of(&self.node)
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::lambda::*;

/// A function acts as its execution role: grants to a function go to its role's policy.
impl IPrincipal for Function {
    fn policy_fragment(&self) -> PrincipalFragment {
        self.role.policy_fragment()
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> bool {
        self.role.add_to_principal_policy(statement)
    }

    fn principal_account(&self) -> Option<Str> {
        self.role.principal_account()
    }
}
