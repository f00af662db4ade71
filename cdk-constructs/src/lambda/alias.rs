//! Lambda aliases: a named pointer (`AWS::Lambda::Alias`) to a version, optionally shifting a
//! share of the traffic to other versions.

use std::rc::Rc;

use cdk_core::{
    ArnComponents, ArnFormat, IConstruct, Node, PhysicalName, Resource, ResourceEnvironment,
    ResourceProps, Str, Value,
};

use super::version::extract_qualifier_from_arn;
use super::{cfn_alias, CfnAlias, CfnAliasProps, IFunction, Version};
use crate::iam::{
    AddToPrincipalPolicyResult, IPrincipal, IRole, PolicyStatement, PrincipalFragment,
};

/// A version and the share of the alias's traffic it gets (0 to 1).
#[derive(Clone)]
pub struct VersionWeight {
    /// The version.
    pub version: Version,
    /// Its share of the traffic, from 0 to 1.
    pub weight: f64,
}

/// Options of an alias (the props of [`Alias`] without its name and version), as
/// aws-cdk-lib's `AliasOptions`.
#[derive(Clone, Default)]
pub struct AliasOptions {
    /// Description.
    pub description: Option<Str>,
    /// Other versions that get part of the traffic (weights summing to at most 1).
    pub additional_versions: Vec<VersionWeight>,
    /// Provisioned concurrency of the alias (at least 1).
    pub provisioned_concurrent_executions: Option<u32>,
}

/// Properties of an [`Alias`].
#[derive(Clone)]
pub struct AliasProps {
    /// The alias name (`live`).
    pub alias_name: String,
    /// The version the alias points to.
    pub version: Version,
    /// Everything else.
    pub options: AliasOptions,
}

impl AliasProps {
    /// An alias `alias_name` of `version` with default options.
    pub fn new(alias_name: &str, version: &Version) -> Self {
        AliasProps {
            alias_name: alias_name.to_string(),
            version: version.clone(),
            options: AliasOptions::default(),
        }
    }
}

/// A Lambda alias (`AWS::Lambda::Alias`): callers use its ARN and a deployment moves it from
/// one version to the next (see
/// [`LambdaDeploymentGroup`](crate::codedeploy::LambdaDeploymentGroup) for canary shifts).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::lambda::{Alias, AliasProps, Code, Function, FunctionProps, Runtime};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let function = Function::new(&stack, "Handler", FunctionProps::new(
///     Runtime::Python314, "index.handler", Code::from_inline("def handler(e, c): pass"),
/// ));
/// let alias = Alias::new(&stack, "LiveAlias", AliasProps::new("live", &function.current_version()));
/// let _arn = alias.function_arn(); // {"Ref": "LiveAlias…"}
/// ```
#[derive(Clone)]
pub struct Alias {
    base: Resource,
    resource: CfnAlias,
    version: Version,
    alias_name: String,
}

impl IConstruct for Alias {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Alias {
    /// Defines an alias `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: AliasProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.lambda.Alias",
            ResourceProps {
                physical_name: Some(PhysicalName::Given(props.alias_name.as_str().into())),
                ..Default::default()
            },
        );
        let o = &props.options;
        let node = base.node().clone();
        if let Some(0) = o.provisioned_concurrent_executions {
            node.add_error(
                "provisionedConcurrentExecutions must have value greater than or equal to 1",
            );
        }
        let routing_config = (!o.additional_versions.is_empty()).then(|| {
            let mut total = 0.0;
            for w in &o.additional_versions {
                if !(0.0..=1.0).contains(&w.weight) {
                    node.add_error(&format!(
                        "Additional version weight must be between 0 and 1, got: {}",
                        w.weight
                    ));
                }
                total += w.weight;
            }
            if total > 1.0 {
                node.add_error(&format!(
                    "Sum of additional version weights must not exceed 1, got: {total}"
                ));
            }
            cfn_alias::AliasRoutingConfigurationProperty {
                additional_version_weights: Some(
                    o.additional_versions
                        .iter()
                        .map(|w| cfn_alias::VersionWeightProperty {
                            function_version: w.version.version(),
                            function_weight: w.weight.into(),
                        })
                        .collect(),
                ),
            }
        });
        let resource = CfnAlias::new(
            &base,
            "Resource",
            CfnAliasProps {
                description: o.description.clone(),
                routing_config,
                provisioned_concurrency_config: o.provisioned_concurrent_executions.map(|n| {
                    cfn_alias::ProvisionedConcurrencyConfigurationProperty {
                        provisioned_concurrent_executions: n.into(),
                    }
                }),
                ..CfnAliasProps::new(
                    props.version.lambda().function_name(),
                    props.version.version(),
                    props.alias_name.as_str(),
                )
            },
        );
        Alias {
            base,
            resource,
            version: props.version,
            alias_name: props.alias_name,
        }
    }

    /// The alias name.
    pub fn alias_name(&self) -> &str {
        &self.alias_name
    }

    /// The version the alias points to.
    pub fn version(&self) -> &Version {
        &self.version
    }

    /// The function the alias belongs to.
    pub fn lambda(&self) -> &Rc<dyn IFunction> {
        self.version.lambda()
    }

    /// The alias ARN (`Ref` in its own environment).
    pub fn function_arn(&self) -> Str {
        self.base.arn_attribute(
            self.resource.ref_(),
            ArnComponents::new("lambda", "function")
                .with_name(self.lambda().function_name() + ":" + self.alias_name.as_str())
                .with_format(ArnFormat::ColonResourceName),
        )
    }

    /// `<function name>:<alias>` (aws-cdk-lib's `functionName` of an alias).
    pub fn function_name(&self) -> Str {
        let stack = self.base.stack();
        let name = stack
            .and_then(|s| {
                s.split_arn(self.function_arn(), ArnFormat::ColonResourceName)
                    .resource_name
            })
            .unwrap_or_default();
        name + ":" + self.alias_name.as_str()
    }

    /// The qualifier of the alias ARN (its name, read from the ARN).
    pub fn qualifier(&self) -> Str {
        extract_qualifier_from_arn(self.resource.ref_())
    }

    /// The underlying `AWS::Lambda::Alias` (e.g. for its update policy).
    pub fn cfn(&self) -> &CfnAlias {
        &self.resource
    }
}

impl IPrincipal for Alias {
    fn policy_fragment(&self) -> PrincipalFragment {
        self.version.policy_fragment()
    }
    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        self.version.add_to_principal_policy(statement)
    }
    fn principal_account(&self) -> Option<Str> {
        self.version.principal_account()
    }
    fn dedupe_key(&self) -> Option<Value> {
        self.version.dedupe_key()
    }
    fn owned_resource_node(&self) -> Option<Node> {
        self.version.owned_resource_node()
    }
}

impl IFunction for Alias {
    fn function_arn(&self) -> Str {
        Alias::function_arn(self)
    }
    fn function_name(&self) -> Str {
        Alias::function_name(self)
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn role(&self) -> Option<Rc<dyn IRole>> {
        self.version.lambda().role()
    }
    fn can_create_permissions(&self) -> bool {
        true
    }
    fn resource_arns_for_grant_invoke(&self) -> Vec<Str> {
        vec![Alias::function_arn(self)]
    }
    fn function_url_target(&self) -> Result<super::FunctionUrlTarget, String> {
        Ok(super::FunctionUrlTarget {
            function_arn: self.lambda().function_arn(),
            qualifier: Some(self.alias_name.clone()),
            depends_on: Some(self.resource.node().clone()),
        })
    }
    fn metric_dimensions(&self) -> Vec<(String, Str)> {
        vec![
            ("FunctionName".into(), self.lambda().function_name()),
            (
                "Resource".into(),
                self.lambda().function_name() + ":" + self.alias_name.as_str(),
            ),
        ]
    }
}

impl From<Alias> for Rc<dyn IFunction> {
    fn from(a: Alias) -> Self {
        Rc::new(a)
    }
}

impl From<&Alias> for Rc<dyn IFunction> {
    fn from(a: &Alias) -> Self {
        Rc::new(a.clone())
    }
}
