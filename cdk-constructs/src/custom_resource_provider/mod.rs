//! Custom resources backed by a Lambda function that CloudFormation calls directly:
//! aws-cdk-lib's core `CustomResourceProvider` (a role and a function rendered as plain
//! `CfnResource`s, the handler code staged as a file asset) and `CustomResource`.
//!
//! - [`CustomResourceProvider::get_or_create_provider`] defines the provider once per stack, as
//!   the construct `<type>CustomResourceProvider` directly under the stack (aws-cdk-lib's
//!   logical IDs, e.g. `CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092`).
//! - Its code comes from a directory holding `index.js` ([`ProviderCode::Directory`]) or from
//!   files compiled into the program ([`ProviderCode::Embedded`]: how rcdk ships its own
//!   handlers, so an app binary needs no source tree at run time). Either way the code is an
//!   ordinary directory asset: staged into the cloud assembly and uploaded by `rcdk deploy` /
//!   `rcdk publish-assets`.
//! - [`CustomResource`] is the `Custom::<Name>` resource that calls a provider's
//!   [`service_token`](CustomResourceProvider::service_token).
//!
//! Services build on it (for example the S3 bucket's `auto_delete_objects`); it names no
//! service itself.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{
    Asset, AssetProps, CfnResource, CfnResourceProps, IConstruct, InMemoryDirectory, Node,
    RemovalPolicy, Stack, Str, Value,
};

/// A Node.js runtime for a provider (aws-cdk-lib's `CustomResourceProviderRuntime`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomResourceProviderRuntime {
    /// `nodejs18.x`.
    Nodejs18x,
    /// `nodejs20.x`.
    Nodejs20x,
    /// `nodejs22.x`.
    Nodejs22x,
    /// `nodejs24.x`: the latest, which aws-cdk-lib 2.276's own providers use.
    Nodejs24x,
    /// Another runtime, by name (e.g. `nodejs14.x` of an older app).
    Other(String),
}

impl CustomResourceProviderRuntime {
    /// The Lambda runtime name.
    pub fn name(&self) -> &str {
        match self {
            CustomResourceProviderRuntime::Nodejs18x => "nodejs18.x",
            CustomResourceProviderRuntime::Nodejs20x => "nodejs20.x",
            CustomResourceProviderRuntime::Nodejs22x => "nodejs22.x",
            CustomResourceProviderRuntime::Nodejs24x => "nodejs24.x",
            CustomResourceProviderRuntime::Other(name) => name,
        }
    }
}

/// Where a provider's handler code comes from. The code must hold `index.js`, which exports
/// `handler` (called through rcdk's `__entrypoint__.handler` unless `use_cfn_response_wrapper`
/// is false).
#[derive(Clone, Debug)]
pub enum ProviderCode {
    /// A directory on disk.
    Directory(PathBuf),
    /// Files held in memory, typically compiled into the program with `include_bytes!` /
    /// `include_str!` (how rcdk ships its own handlers, so an app binary needs no source tree
    /// at run time). Staged straight into the cloud assembly, with the hash of a directory
    /// holding the same files.
    InMemory(InMemoryDirectory),
}

/// Properties of a [`CustomResourceProvider`].
#[derive(Clone, Debug)]
pub struct CustomResourceProviderProps {
    /// The handler code.
    pub code: ProviderCode,
    /// The runtime.
    pub runtime: CustomResourceProviderRuntime,
    /// Timeout of the function (default: 15 minutes).
    pub timeout: Option<Duration>,
    /// Memory of the function in MiB (default: 128).
    pub memory_size: Option<u32>,
    /// IAM statements of the role's `Inline` policy, as raw JSON objects (aws-cdk-lib takes
    /// them as plain objects too).
    pub policy_statements: Vec<Value>,
    /// Environment variables (`AWS_STS_REGIONAL_ENDPOINTS=regional` is added when any is set,
    /// as aws-cdk-lib does).
    pub environment: Vec<(String, String)>,
    /// Description of the function.
    pub description: Option<Str>,
    /// Wrap the handler in rcdk's entry point (`__entrypoint__.handler`), which answers
    /// CloudFormation with what `index.handler` returns (default: true, as aws-cdk-lib). Set it
    /// to false for a handler that answers CloudFormation itself.
    pub use_cfn_response_wrapper: bool,
}

impl CustomResourceProviderProps {
    /// Props with `code` and `runtime`, defaults elsewhere.
    pub fn new(code: ProviderCode, runtime: CustomResourceProviderRuntime) -> Self {
        CustomResourceProviderProps {
            code,
            runtime,
            timeout: None,
            memory_size: None,
            policy_statements: Vec::new(),
            environment: Vec::new(),
            description: None,
            use_cfn_response_wrapper: true,
        }
    }
}

/// A Lambda function and its role that implement a custom resource type, defined once per
/// stack (aws-cdk-lib's core `CustomResourceProvider`).
///
/// ```
/// use cdk_core::{App, InMemoryDirectory, Stack, StackProps, Value};
/// use cdk_constructs::custom_resource_provider::{
///     CustomResource, CustomResourceProps, CustomResourceProvider, CustomResourceProviderProps,
///     CustomResourceProviderRuntime, ProviderCode,
/// };
///
/// let code = || {
///     ProviderCode::InMemory(
///         InMemoryDirectory::new().with_file("index.js", "exports.handler = async () => ({});\n"),
///     )
/// };
/// let app = App::new();
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let provider = CustomResourceProvider::get_or_create_provider(
///     &stack,
///     "Custom::Greeting",
///     CustomResourceProviderProps::new(
///         code(),
///         CustomResourceProviderRuntime::Nodejs24x,
///     ),
/// );
/// CustomResource::new(&stack, "Hello", CustomResourceProps {
///     resource_type: Some("Custom::Greeting".into()),
///     properties: vec![("Name".into(), Value::from("world"))],
///     ..CustomResourceProps::new(provider.service_token())
/// });
/// // The same provider, found under the stack:
/// let again = CustomResourceProvider::get_or_create_provider(
///     &stack,
///     "Custom::Greeting",
///     CustomResourceProviderProps::new(
///         code(),
///         CustomResourceProviderRuntime::Nodejs24x,
///     ),
/// );
/// assert_eq!(again.node().path(), provider.node().path());
/// # use cdk_core::IConstruct;
/// ```
#[derive(Clone)]
pub struct CustomResourceProvider {
    node: Node,
    role: CfnResource,
    handler: CfnResource,
    statements: Rc<RefCell<Vec<Value>>>,
    code_hash: String,
}

impl IConstruct for CustomResourceProvider {
    fn node(&self) -> &Node {
        &self.node
    }
}

const ATTACHED_KEY: &str = "cdk-constructs.CustomResourceProvider";
const BASIC_EXECUTION_ROLE: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/// rcdk's entry point for providers with `use_cfn_response_wrapper` (`__entrypoint__.js`).
const ENTRYPOINT: &str = include_str!("entrypoint.js");

/// rcdk's CloudFormation response module (`__cfn_response__.js`): `respond(event, result)`
/// PUTs `{Status, Reason, PhysicalResourceId, Data, NoEcho}` with the request's IDs to the
/// pre-signed `ResponseURL`. The entry point uses it; a handler that answers CloudFormation
/// itself adds it to its files with [`with_cfn_response_module`] and requires
/// `./__cfn_response__`.
pub const CFN_RESPONSE_MODULE: (&str, &str) =
    ("__cfn_response__.js", include_str!("cfn_response.js"));

/// `files` with rcdk's [`CFN_RESPONSE_MODULE`] added.
pub fn with_cfn_response_module(files: InMemoryDirectory) -> InMemoryDirectory {
    files.with_file(CFN_RESPONSE_MODULE.0, CFN_RESPONSE_MODULE.1)
}

/// The files of `dir` (relative `/`-separated paths), leaving out TypeScript sources as
/// aws-cdk-lib does.
fn read_directory(dir: &std::path::Path) -> std::io::Result<InMemoryDirectory> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_none_or(|e| e != "ts") {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((relative, std::fs::read(&path)?));
            }
        }
    }
    out.sort();
    Ok(out
        .into_iter()
        .fold(InMemoryDirectory::new(), |d, (p, c)| d.with_file(p, c)))
}

/// The handler's code with rcdk's entry point and response module added.
fn wrapped(files: InMemoryDirectory) -> InMemoryDirectory {
    with_cfn_response_module(files).with_file("__entrypoint__.js", ENTRYPOINT)
}

impl CustomResourceProvider {
    /// The provider for `resource_type` in `scope`'s stack: the construct
    /// `<resource_type>CustomResourceProvider` under the stack, created with `props` the first
    /// time (aws-cdk-lib's `getOrCreateProvider`; later calls ignore `props`).
    pub fn get_or_create_provider(
        scope: &impl IConstruct,
        resource_type: &str,
        props: CustomResourceProviderProps,
    ) -> CustomResourceProvider {
        let id = format!("{resource_type}CustomResourceProvider");
        let parent = match Stack::of(scope) {
            Some(stack) => stack.node().clone(),
            None => {
                scope
                    .node()
                    .add_error("a custom resource provider must be defined inside a Stack");
                scope.node().clone()
            }
        };
        if let Some(existing) = parent.try_find_child(&id) {
            if let Some(provider) = existing.attached::<CustomResourceProvider>(ATTACHED_KEY) {
                return (*provider).clone();
            }
        }
        CustomResourceProvider::new(&parent, &id, props)
    }

    /// Defines a provider `id` under `scope` (prefer [`get_or_create_provider`], which keeps one
    /// per stack).
    ///
    /// [`get_or_create_provider`]: CustomResourceProvider::get_or_create_provider
    pub fn new(scope: &impl IConstruct, id: &str, props: CustomResourceProviderProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.CustomResourceProvider");
        let wrap = props.use_cfn_response_wrapper;
        let asset_props = AssetProps {
            exclude: vec!["*.ts".into()],
            display_name: Some(format!("{} Code", node.path())),
            ..Default::default()
        };
        let in_memory = |files: InMemoryDirectory| {
            if !files.contains("index.js") {
                node.add_error("the provider's code has no index.js");
            }
            let files = if wrap { wrapped(files) } else { files };
            Asset::from_in_memory(&node, "Staging", files, asset_props.clone())
        };
        let asset = match &props.code {
            ProviderCode::Directory(dir) if !wrap => {
                if !dir.join("index.js").is_file() {
                    node.add_error(&format!("cannot find {}/index.js", dir.display()));
                }
                Asset::new(
                    &node,
                    "Staging",
                    AssetProps {
                        path: dir.clone(),
                        ..asset_props.clone()
                    },
                )
            }
            ProviderCode::Directory(dir) => in_memory(read_directory(dir).unwrap_or_else(|e| {
                node.add_error(&format!(
                    "cannot read the provider's code in {}: {e}",
                    dir.display()
                ));
                InMemoryDirectory::new()
            })),
            ProviderCode::InMemory(files) => in_memory(files.clone()),
        };

        let statements = Rc::new(RefCell::new(props.policy_statements.clone()));
        let assume_role = Value::List(vec![Value::object([
            ("Action", Value::from("sts:AssumeRole")),
            ("Effect", Value::from("Allow")),
            (
                "Principal",
                Value::object([("Service", "lambda.amazonaws.com")]),
            ),
        ])]);
        let policies = {
            let statements = statements.clone();
            Value::lazy(move || {
                let stmts = statements.borrow();
                if stmts.is_empty() {
                    return Value::Null;
                }
                Value::List(vec![Value::object([
                    ("PolicyName", Value::from("Inline")),
                    (
                        "PolicyDocument",
                        Value::object([
                            ("Version", Value::from("2012-10-17")),
                            ("Statement", Value::List(stmts.clone())),
                        ]),
                    ),
                ])])
            })
        };
        let role = CfnResource::new(
            &node,
            "Role",
            CfnResourceProps {
                resource_type: "AWS::IAM::Role".into(),
                properties: [
                    (
                        "AssumeRolePolicyDocument".to_string(),
                        Value::object([
                            ("Version", Value::from("2012-10-17")),
                            ("Statement", assume_role),
                        ]),
                    ),
                    (
                        "ManagedPolicyArns".to_string(),
                        Value::List(vec![Value::intrinsic("Fn::Sub", BASIC_EXECUTION_ROLE)]),
                    ),
                    ("Policies".to_string(), policies),
                ]
                .into(),
            },
        );

        let timeout = props.timeout.unwrap_or(Duration::from_secs(15 * 60));
        let mut properties: Vec<(String, Value)> = vec![
            (
                "Code".into(),
                Value::object([
                    ("S3Bucket", asset.bucket_name().into_value()),
                    ("S3Key", asset.object_key().into_value()),
                ]),
            ),
            ("Timeout".into(), timeout.as_secs().into()),
            ("MemorySize".into(), props.memory_size.unwrap_or(128).into()),
            (
                "Handler".into(),
                if wrap {
                    "__entrypoint__.handler"
                } else {
                    "index.handler"
                }
                .into(),
            ),
            ("Role".into(), role.get_att("Arn").into_value()),
            ("Runtime".into(), props.runtime.name().into()),
        ];
        if !props.environment.is_empty() {
            let mut env = props.environment.clone();
            env.push(("AWS_STS_REGIONAL_ENDPOINTS".into(), "regional".into()));
            env.sort_by(|a, b| a.0.cmp(&b.0));
            env.dedup_by(|a, b| a.0 == b.0);
            properties.push((
                "Environment".into(),
                Value::object([(
                    "Variables",
                    Value::object(env.into_iter().map(|(k, v)| (k, Value::from(v)))),
                )]),
            ));
        }
        if let Some(d) = &props.description {
            properties.push(("Description".into(), d.clone().into_value()));
        }
        let handler = CfnResource::new(
            &node,
            "Handler",
            CfnResourceProps {
                resource_type: "AWS::Lambda::Function".into(),
                properties: properties.into_iter().collect(),
            },
        );
        handler.node().add_dependency(&role);
        asset.add_resource_metadata(&handler, "Code");

        let provider = CustomResourceProvider {
            node,
            role,
            handler,
            statements,
            code_hash: asset.asset_hash().to_string(),
        };
        provider
            .node
            .attach(ATTACHED_KEY, Rc::new(provider.clone()));
        provider
    }

    /// The ARN of the function: a custom resource's `ServiceToken`.
    pub fn service_token(&self) -> Str {
        self.handler.get_att("Arn")
    }

    /// The ARN of the function's role.
    pub fn role_arn(&self) -> Str {
        self.role.get_att("Arn")
    }

    /// Adds a statement (a raw IAM statement object) to the role's `Inline` policy.
    pub fn add_to_role_policy(&self, statement: Value) {
        self.statements.borrow_mut().push(statement);
    }

    /// The hash of the handler code (its asset hash).
    pub fn code_hash(&self) -> &str {
        &self.code_hash
    }

    /// The `AWS::IAM::Role`.
    pub fn role(&self) -> &CfnResource {
        &self.role
    }

    /// The `AWS::Lambda::Function`.
    pub fn handler(&self) -> &CfnResource {
        &self.handler
    }
}

/// Properties of a [`CustomResource`].
#[derive(Clone, Debug)]
pub struct CustomResourceProps {
    /// The ARN of the provider's function (or an SNS topic).
    pub service_token: Str,
    /// `Custom::<Name>` (default: `AWS::CloudFormation::CustomResource`).
    pub resource_type: Option<String>,
    /// Properties passed to the handler, in this order (after `ServiceToken`).
    pub properties: Vec<(String, Value)>,
    /// Upper-case the first letter of each property name (`bucketName` → `BucketName`), for
    /// props written in JavaScript style (aws-cdk-lib's `pascalCaseProperties`; default false).
    pub pascal_case_properties: bool,
    /// What happens on removal (default: destroy, as aws-cdk-lib).
    pub removal_policy: Option<RemovalPolicy>,
    /// How long CloudFormation waits for the provider's answer (1 s to 1 h; default:
    /// CloudFormation's, 1 h). Rendered as `ServiceTimeout` (seconds, as text).
    pub service_timeout: Option<Duration>,
}

impl CustomResourceProps {
    /// Props calling `service_token`, defaults elsewhere.
    pub fn new(service_token: impl Into<Str>) -> Self {
        CustomResourceProps {
            service_token: service_token.into(),
            resource_type: None,
            properties: Vec::new(),
            pascal_case_properties: false,
            removal_policy: None,
            service_timeout: None,
        }
    }
}

/// A custom resource (aws-cdk-lib's core `CustomResource`): CloudFormation calls the service
/// token's function on create, update and delete; the handler's `Data` is read with
/// [`CustomResource::get_att_string`].
///
/// ```
/// use cdk_core::{App, Stack, StackProps, Str, Value};
/// use cdk_constructs::custom_resource_provider::{CustomResource, CustomResourceProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let token = Str::from("arn:aws:lambda:eu-west-1:123456789012:function:provider");
/// let seed = CustomResource::new(&stack, "Seed", CustomResourceProps {
///     resource_type: Some("Custom::Seed".into()),
///     properties: vec![("Rows".into(), Value::from(10u32))],
///     ..CustomResourceProps::new(token)
/// });
/// let _first_id = seed.get_att_string("FirstId"); // {"Fn::GetAtt": ["Seed", "FirstId"]}
/// ```
#[derive(Clone)]
pub struct CustomResource {
    resource: CfnResource,
}

impl IConstruct for CustomResource {
    fn node(&self) -> &Node {
        self.resource.node()
    }
}

impl CustomResource {
    /// Defines the custom resource `id` under `scope` (its `Resource` child is the
    /// CloudFormation resource, so the logical ID is that of `id`, as aws-cdk-lib's).
    pub fn new(scope: &impl IConstruct, id: &str, props: CustomResourceProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.CustomResource");
        let resource_type = props
            .resource_type
            .clone()
            .unwrap_or_else(|| "AWS::CloudFormation::CustomResource".into());
        if !resource_type.starts_with("Custom::")
            && resource_type != "AWS::CloudFormation::CustomResource"
        {
            node.add_error(&format!(
                "Custom resource type must begin with \"Custom::\" ({resource_type})"
            ));
        }
        let mut properties: Vec<(String, Value)> =
            vec![("ServiceToken".into(), props.service_token.into_value())];
        if let Some(timeout) = props.service_timeout {
            let seconds = timeout.as_secs();
            if !(1..=3600).contains(&seconds) || timeout.subsec_nanos() != 0 {
                node.add_error(&format!(
                    "serviceTimeout must either be between 1 and 3600 seconds, got {}",
                    timeout.as_secs_f64()
                ));
            }
            properties.push(("ServiceTimeout".into(), Value::from(seconds.to_string())));
        }
        let given: Vec<(String, Value)> = if props.pascal_case_properties {
            props
                .properties
                .into_iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let upper = match chars.next() {
                        Some(first) => first.to_uppercase().chain(chars).collect(),
                        None => k,
                    };
                    (upper, v)
                })
                .collect()
        } else {
            props.properties
        };
        let overwritten: Vec<&str> = given
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| properties.iter().any(|(p, _)| p == k))
            .collect();
        if !overwritten.is_empty() {
            node.add_warning(&format!(
                "The following keys will be overwritten as they exist in the 'properties' prop. Keys found: {} [ack: @aws-cdk/core:customResourcePropConflict]",
                overwritten.join(",")
            ));
        }
        for (key, value) in given {
            match properties.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => properties.push((key, value)),
            }
        }
        let resource = CfnResource::new(
            &node,
            "Default",
            CfnResourceProps {
                resource_type,
                properties: properties.into_iter().collect(),
            },
        );
        resource.apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Destroy));
        CustomResource { resource }
    }

    /// The CloudFormation resource.
    pub fn cfn(&self) -> &CfnResource {
        &self.resource
    }

    /// `Ref`: the physical ID the handler returned.
    pub fn reference(&self) -> Str {
        self.resource.ref_()
    }

    /// `Fn::GetAtt` of an attribute the handler returned in `Data`.
    pub fn get_att_string(&self, attribute: &str) -> Str {
        self.resource.get_att(attribute)
    }
}
