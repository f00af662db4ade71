//! Lambda versions: [`Version`] (an `AWS::Lambda::Version` of a function) and the hash that
//! names a function's [`current_version`](super::Function::current_version).

use std::rc::Rc;

use cdk_core::feature_flags::{
    self, LAMBDA_RECOGNIZE_LAYER_VERSION, LAMBDA_RECOGNIZE_VERSION_PROPS,
};
use cdk_core::{
    fns, IConstruct, Node, RemovalPolicy, Resource, ResourceEnvironment, ResourceProps, Stack, Str,
    Value,
};

use super::{cfn_version, CfnFunction, CfnVersion, CfnVersionProps, IFunction};
use crate::iam::{
    AddToPrincipalPolicyResult, IPrincipal, IRole, PolicyStatement, PrincipalFragment,
};

/// Options of a version (the props of [`Version`] without the function); also
/// [`FunctionProps::current_version_options`](super::FunctionProps::current_version_options).
#[derive(Clone, Debug, Default)]
pub struct VersionOptions {
    /// SHA-256 of the code the version must have (deployment fails otherwise).
    pub code_sha256: Option<Str>,
    /// Description of the version.
    pub description: Option<Str>,
    /// Provisioned concurrency of the version (at least 1).
    pub provisioned_concurrent_executions: Option<u32>,
    /// What happens to the version when it leaves the stack (default: CloudFormation deletes it;
    /// aws-cdk-lib applies a policy only when one is given).
    pub removal_policy: Option<RemovalPolicy>,
}

/// Properties of a [`Version`].
#[derive(Clone)]
pub struct VersionProps {
    /// The function the version is of.
    pub lambda: Rc<dyn IFunction>,
    /// Everything else.
    pub options: VersionOptions,
}

impl VersionProps {
    /// A version of `lambda` with default options.
    pub fn new(lambda: impl Into<Rc<dyn IFunction>>) -> Self {
        VersionProps {
            lambda: lambda.into(),
            options: VersionOptions::default(),
        }
    }
}

/// An immutable version of a Lambda function (`AWS::Lambda::Version`).
///
/// CloudFormation publishes a version when the resource is created and never updates it, so a
/// new version needs a new logical ID: prefer [`Function::current_version`](super::Function::current_version),
/// whose logical ID hashes the function's configuration.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime, Version, VersionProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let function = Function::new(&stack, "Handler", FunctionProps::new(
///     Runtime::Python314, "index.handler", Code::from_inline("def handler(e, c): pass"),
/// ));
/// let version = Version::new(&stack, "V1", VersionProps::new(&function));
/// let _number = version.version(); // {"Fn::GetAtt": [V1…, "Version"]}
/// ```
#[derive(Clone)]
pub struct Version {
    base: Resource,
    resource: CfnVersion,
    lambda: Rc<dyn IFunction>,
}

impl IConstruct for Version {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Version {
    /// Defines a version `id` of `props.lambda` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: VersionProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.lambda.Version",
            ResourceProps::default(),
        );
        let o = &props.options;
        if let Some(0) = o.provisioned_concurrent_executions {
            base.node().add_error(
                "provisionedConcurrentExecutions must have value greater than or equal to 1",
            );
        }
        let resource = CfnVersion::new(
            &base,
            "Resource",
            CfnVersionProps {
                code_sha256: o.code_sha256.clone(),
                description: o.description.clone(),
                provisioned_concurrency_config: o.provisioned_concurrent_executions.map(|n| {
                    cfn_version::ProvisionedConcurrencyConfigurationProperty {
                        provisioned_concurrent_executions: n.into(),
                    }
                }),
                ..CfnVersionProps::new(props.lambda.function_name())
            },
        );
        // The logical ID changes on purpose; `cdk refactor` must not treat that as a move.
        resource
            .resource()
            .add_cfn_metadata("aws:cdk:do-not-refactor", true);
        if let Some(policy) = o.removal_policy {
            resource.resource().apply_removal_policy(policy);
        }
        Version {
            base,
            resource,
            lambda: props.lambda,
        }
    }

    /// The version number (`Fn::GetAtt Version`).
    pub fn version(&self) -> Str {
        self.resource.attr_version()
    }

    /// The function this is a version of.
    pub fn lambda(&self) -> &Rc<dyn IFunction> {
        &self.lambda
    }

    /// The version's ARN (`Ref`: the function ARN with the version as qualifier).
    pub fn function_arn(&self) -> Str {
        self.resource.ref_()
    }

    /// `<function name>:<version>`.
    pub fn function_name(&self) -> Str {
        self.lambda.function_name() + ":" + self.version()
    }

    /// The underlying `AWS::Lambda::Version`.
    pub fn cfn(&self) -> &CfnVersion {
        &self.resource
    }

    /// An alias `Alias<name>` of this version (aws-cdk-lib's `addAlias`).
    pub fn add_alias(&self, alias_name: &str, options: super::AliasOptions) -> super::Alias {
        super::Alias::new(
            self,
            &format!("Alias{alias_name}"),
            super::AliasProps {
                alias_name: alias_name.to_string(),
                version: self.clone(),
                options,
            },
        )
    }
}

impl IPrincipal for Version {
    fn policy_fragment(&self) -> PrincipalFragment {
        self.lambda.policy_fragment()
    }
    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        self.lambda.add_to_principal_policy(statement)
    }
    fn principal_account(&self) -> Option<Str> {
        self.lambda.principal_account()
    }
    fn dedupe_key(&self) -> Option<Value> {
        self.lambda.dedupe_key()
    }
    fn owned_resource_node(&self) -> Option<Node> {
        self.lambda.owned_resource_node()
    }
}

impl IFunction for Version {
    fn function_arn(&self) -> Str {
        Version::function_arn(self)
    }
    fn function_name(&self) -> Str {
        Version::function_name(self)
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn role(&self) -> Option<Rc<dyn IRole>> {
        self.lambda.role()
    }
    fn can_create_permissions(&self) -> bool {
        true
    }
    fn resource_arns_for_grant_invoke(&self) -> Vec<Str> {
        vec![Version::function_arn(self)]
    }
    fn function_url_target(&self) -> Result<super::FunctionUrlTarget, String> {
        Err("FunctionUrl cannot be used with a Version".into())
    }
    fn metric_dimensions(&self) -> Vec<(String, Str)> {
        vec![
            ("FunctionName".into(), self.lambda.function_name()),
            (
                "Resource".into(),
                self.lambda.function_arn() + ":" + self.version(),
            ),
        ]
    }
}

impl From<Version> for Rc<dyn IFunction> {
    fn from(v: Version) -> Self {
        Rc::new(v)
    }
}

impl From<&Version> for Rc<dyn IFunction> {
    fn from(v: &Version) -> Self {
        Rc::new(v.clone())
    }
}

/// The qualifier (8th `:`-separated field) of a version or alias ARN.
pub(crate) fn extract_qualifier_from_arn(arn: Str) -> Str {
    fns::select(7, fns::split(":", arn))
}

/// aws-cdk-lib's `VERSION_LOCKED` (function-hash.ts): which `AWS::Lambda::Function` properties
/// a version freezes (`true`) or does not (`false`). A property outside this table makes
/// `current_version` fail, as in aws-cdk-lib ("not recognized as version properties").
pub const VERSION_LOCKED: &[(&str, bool)] = &[
    ("Architectures", true),
    ("Code", true),
    ("DeadLetterConfig", true),
    ("Description", true),
    ("Environment", true),
    ("EphemeralStorage", true),
    ("FileSystemConfigs", true),
    ("FunctionName", true),
    ("Handler", true),
    ("ImageConfig", true),
    ("KmsKeyArn", true),
    ("Layers", true),
    ("MemorySize", true),
    ("PackageType", true),
    ("RecursiveLoop", true),
    ("Role", true),
    ("Runtime", true),
    ("RuntimeManagementConfig", true),
    ("SnapStart", true),
    ("Timeout", true),
    ("TracingConfig", true),
    ("VpcConfig", true),
    ("LoggingConfig", true),
    ("CapacityProviderConfig", true),
    ("FunctionScalingConfig", true),
    ("PublishToLatestPublished", true),
    ("DurableConfig", true),
    ("CodeSigningConfigArn", false),
    ("ReservedConcurrentExecutions", false),
    ("Tags", false),
    ("TenancyConfig", false),
];

/// The order aws-cdk-lib's `sortFunctionProperties` puts known keys in (others follow sorted).
const FUNCTION_KEY_ORDER: &[&str] = &[
    "Code",
    "Handler",
    "Role",
    "Runtime",
    "Architectures",
    "CodeSigningConfigArn",
    "DeadLetterConfig",
    "Description",
    "Environment",
    "EphemeralStorage",
    "FileSystemConfigs",
    "FunctionName",
    "ImageConfig",
    "KmsKeyArn",
    "Layers",
    "MemorySize",
    "PackageType",
    "ReservedConcurrentExecutions",
    "RuntimeManagementConfig",
    "SnapStart",
    "Tags",
    "Timeout",
    "TracingConfig",
    "VpcConfig",
];

fn sort_function_properties(
    props: Vec<(String, serde_json::Value)>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    for key in FUNCTION_KEY_ORDER {
        if let Some((_, v)) = props.iter().find(|(k, _)| k == key) {
            out.insert((*key).to_string(), v.clone());
        }
    }
    let mut rest: Vec<_> = props
        .iter()
        .filter(|(k, _)| !FUNCTION_KEY_ORDER.contains(&k.as_str()))
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, v) in rest {
        out.insert(k.clone(), v.clone());
    }
    out
}

/// aws-cdk-lib's `calculateFunctionHash(fn, additional)`: the MD5 (hex) of the function's
/// resolved version-locked properties (flag `@aws-cdk/aws-lambda:recognizeVersionProps`, on
/// when absent; off: of the whole resource's `Type` and sorted `Properties`), plus the hash of
/// its layers under `@aws-cdk/aws-lambda:recognizeLayerVersion` (rcdk functions have no
/// layers: the hash of `{}`). `Err` names unclassified properties.
pub(crate) fn calculate_function_hash(
    function: &CfnFunction,
    additional: &str,
) -> Result<String, String> {
    let node = function.node();
    let stack = Stack::of(node).ok_or("a function must be inside a stack")?;
    let mut resolved = Vec::new();
    for (key, value) in function.resource().properties().iter() {
        let json = stack.resolve(value).map_err(|e| e.to_string())?;
        if !json.is_null() {
            resolved.push((key.clone(), json));
        }
    }
    let text = if feature_flags::is_enabled(node, LAMBDA_RECOGNIZE_VERSION_PROPS) {
        let unclassified: Vec<&str> = resolved
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !VERSION_LOCKED.iter().any(|(name, _)| name == k))
            .collect();
        if !unclassified.is_empty() {
            return Err(format!(
                "The following properties are not recognized as version properties: [{}]. See the README of the aws-lambda module to learn more about this and to fix it.",
                unclassified.join(",")
            ));
        }
        let locked: Vec<_> = resolved
            .into_iter()
            .filter(|(k, _)| VERSION_LOCKED.iter().any(|(name, l)| name == k && *l))
            .collect();
        cdk_core::json::js_stringify(&serde_json::Value::Object(sort_function_properties(locked)))
    } else {
        let logical_id = cdk_core::resolve::logical_id_of(node).unwrap_or_default();
        let mut resource = serde_json::Map::new();
        resource.insert("Type".into(), "AWS::Lambda::Function".into());
        resource.insert(
            "Properties".into(),
            serde_json::Value::Object(sort_function_properties(resolved)),
        );
        let mut resources = serde_json::Map::new();
        resources.insert(logical_id, serde_json::Value::Object(resource));
        let mut template = serde_json::Map::new();
        template.insert("Resources".into(), serde_json::Value::Object(resources));
        cdk_core::json::js_stringify(&serde_json::Value::Object(template))
    };
    let mut text = text;
    if feature_flags::is_enabled(node, LAMBDA_RECOGNIZE_LAYER_VERSION) {
        text.push_str(&md5_hex(b"{}"));
    }
    text.push_str(additional);
    Ok(md5_hex(text.as_bytes()))
}

/// aws-cdk-lib's `trimFromStart`: the last `max` characters.
pub(crate) fn trim_from_start(s: &str, max: usize) -> &str {
    let len = s.chars().count();
    if len <= max {
        return s;
    }
    let skip = s.char_indices().nth(len - max).map_or(0, |(i, _)| i);
    &s[skip..]
}

pub(crate) fn md5_hex(data: &[u8]) -> String {
    use md5::Digest as _;
    hex::encode(md5::Md5::digest(data))
}
