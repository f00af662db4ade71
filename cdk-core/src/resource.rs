//! The building block of L2 constructs (aws-cdk-lib's `core/lib/resource.ts`): a construct that
//! stands for one AWS resource, owned by this app or imported.
//!
//! A [`Resource`] knows
//! - its stack and its environment: the stack's account and region, or those given (an
//!   imported resource's account and region, parsed from its ARN with
//!   [`ResourceProps::environment_from_arn`]);
//! - its physical name: given, left to CloudFormation, or [`PhysicalName::GenerateIfNeeded`]:
//!   generated (aws-cdk-lib's algorithm, [`generate_physical_name`]) when the resource is
//!   referenced from another account or region, where a deploy-time reference is impossible;
//! - its default child (the `Resource` L1), which [`Resource::apply_removal_policy`] applies to;
//! - its construct info (`tree.json`'s `fqn`), recorded once when it is created.
//!
//! [`Resource::name_attribute`] and [`Resource::arn_attribute`] wrap the L1's name and ARN
//! attributes: in the resource's own account and region they are the references; from another
//! environment they are the physical name and the ARN formatted from it, generating the name
//! when the resource allows it.
//!
//! ```
//! use cdk_core::{App, CfnResource, CfnResourceProps, Environment, PhysicalName, Resource, ResourceProps, Stack, StackProps};
//! let app = App::new();
//! let env = |account: &str| Some(Environment::new(account, "us-east-1"));
//! let tools = Stack::new(&app, "Tools", StackProps { env: env("111111111111"), ..Default::default() });
//! let res = Resource::new(&tools, "Queue", "example.Queue", ResourceProps {
//!     physical_name: Some(PhysicalName::GenerateIfNeeded),
//!     ..Default::default()
//! });
//! let cfn = CfnResource::new(&res, "Resource", CfnResourceProps { resource_type: "AWS::SQS::Queue".into(), ..Default::default() });
//! let name = res.name_attribute(cfn.ref_());
//! assert!(name.is_token()); // `{"Ref": ...}` in account 111111111111, the generated name elsewhere
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::arn::{self, ArnComponents, ArnFormat};
use crate::cfn::{CfnResource, RemovalPolicy};
use crate::construct::{IConstruct, Node};
use crate::error::ValidationError;
use crate::names::Names;
use crate::resolve::ResolveContext;
use crate::stack::Stack;
use crate::token::{Aws, Str, Value};

/// The physical name of a resource.
#[derive(Clone, Debug, PartialEq)]
pub enum PhysicalName {
    /// This name (a literal, or a token known only at deploy time).
    Given(Str),
    /// Left to CloudFormation, unless the resource is used from another account or region:
    /// then a name is generated (aws-cdk-lib's `PhysicalName.GENERATE_IF_NEEDED`).
    GenerateIfNeeded,
}

impl PhysicalName {
    /// aws-cdk-lib's `PhysicalName.GENERATE_IF_NEEDED`.
    pub const GENERATE_IF_NEEDED: PhysicalName = PhysicalName::GenerateIfNeeded;
}

impl<S: Into<Str>> From<S> for PhysicalName {
    fn from(name: S) -> Self {
        PhysicalName::Given(name.into())
    }
}

/// Properties of a [`Resource`].
#[derive(Clone, Debug, Default)]
pub struct ResourceProps {
    /// The physical name (default: chosen by CloudFormation).
    pub physical_name: Option<PhysicalName>,
    /// The account the resource lives in (default: the stack's).
    pub account: Option<Str>,
    /// The region the resource lives in (default: the stack's).
    pub region: Option<Str>,
    /// An ARN whose account and region are the resource's (for imported resources).
    pub environment_from_arn: Option<Str>,
}

/// Where a resource lives.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceEnvironment {
    /// The account (a literal, or `AWS::AccountId`).
    pub account: Str,
    /// The region (a literal, or `AWS::Region`).
    pub region: Str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameMode {
    /// Generated when the resource is used across environments.
    Generate,
    /// A literal name: usable across environments as it is.
    GivenLiteral,
    /// A deploy-time name, or none: the resource cannot be used across environments.
    DeployTime,
}

struct State {
    given: Option<Str>,
    mode: NameMode,
    generated: RefCell<Option<String>>,
    account: Option<Str>,
    region: Option<Str>,
}

/// An L2 construct that stands for one AWS resource (see the module documentation).
#[derive(Clone)]
pub struct Resource {
    node: Node,
    state: Rc<State>,
    physical_name: Option<Str>,
}

impl std::fmt::Debug for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Resource({})", self.node.path())
    }
}

impl IConstruct for Resource {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl Resource {
    /// Creates the construct `id` under `scope`, recording `fqn` as its type in `tree.json`.
    pub fn new(scope: &impl IConstruct, id: &str, fqn: &str, props: ResourceProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info(fqn);
        let (mut account, mut region) = (props.account, props.region);
        if let Some(arn) = &props.environment_from_arn {
            if account.is_some() || region.is_some() {
                node.add_error(
                    "supply at most one of 'account'/'region' and 'environment_from_arn'",
                );
            }
            for e in arn::errors(arn) {
                node.add_error(&e);
            }
            let parts = arn::split(arn, ArnFormat::NoResourceName);
            account = parts.account;
            region = parts.region;
        }
        let (mode, given) = match props.physical_name {
            Some(PhysicalName::GenerateIfNeeded) => (NameMode::Generate, None),
            Some(PhysicalName::Given(name)) if !name.is_token() => {
                (NameMode::GivenLiteral, Some(name))
            }
            Some(PhysicalName::Given(name)) => (NameMode::DeployTime, Some(name)),
            None => (NameMode::DeployTime, None),
        };
        let state = Rc::new(State {
            given,
            mode,
            generated: RefCell::new(None),
            account,
            region,
        });
        let physical_name = match mode {
            NameMode::Generate => {
                let s = state.clone();
                Some(Str::lazy(move || match s.generated.borrow().as_ref() {
                    Some(name) => Str::from(name.as_str()),
                    None => Str::from_value(Value::Null),
                }))
            }
            NameMode::GivenLiteral | NameMode::DeployTime => state.given.clone(),
        };
        Resource {
            node,
            state,
            physical_name,
        }
    }

    /// The stack the resource is defined in.
    pub fn stack(&self) -> Option<Stack> {
        Stack::of(&self.node)
    }

    /// The account and region the resource lives in: those given (or parsed from an ARN),
    /// else its stack's.
    pub fn env(&self) -> ResourceEnvironment {
        let stack = self.stack();
        ResourceEnvironment {
            account: self.state.account.clone().unwrap_or_else(|| {
                stack
                    .as_ref()
                    .map(Stack::account)
                    .unwrap_or(Aws::ACCOUNT_ID)
            }),
            region: self
                .state
                .region
                .clone()
                .unwrap_or_else(|| stack.as_ref().map(Stack::region).unwrap_or(Aws::REGION)),
        }
    }

    /// The physical name to give the L1: the given name, a token that becomes the generated
    /// name once one is needed (absent until then), or `None` (CloudFormation chooses).
    pub fn physical_name(&self) -> Option<Str> {
        self.physical_name.clone()
    }

    /// True when the name is generated on cross-environment use.
    pub fn generates_name(&self) -> bool {
        self.state.mode == NameMode::Generate
    }

    /// The default child (`Resource`), when it is a CloudFormation resource.
    pub fn default_child(&self) -> Option<CfnResource> {
        self.node
            .default_child()
            .and_then(|n| CfnResource::from_node(&n))
    }

    /// Applies `policy` to the default child (aws-cdk-lib's `Resource.applyRemovalPolicy`); an
    /// error on this construct when it has no CloudFormation resource as default child.
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        match self.default_child() {
            Some(child) => child.apply_removal_policy(policy),
            None => self.node.add_error(
                "Cannot apply RemovalPolicy: no child or not a CfnResource. Apply the removal policy on the CfnResource directly.",
            ),
        }
    }

    /// The resource's name attribute as seen from where it is used: `name` (a reference) in
    /// the resource's own account and region, the physical name from anywhere else
    /// (aws-cdk-lib's `getResourceNameAttribute`).
    pub fn name_attribute(&self, name: Str) -> Str {
        let me = self.clone();
        Str::lazy_with_context(move |ctx| {
            if me.is_cross_environment(ctx) {
                me.enable_cross_environment(ctx);
                me.physical_name().unwrap_or_default()
            } else {
                name.clone()
            }
        })
    }

    /// The resource's ARN attribute as seen from where it is used: `arn` (a reference) in the
    /// resource's own account and region, the ARN formatted from `components` (which name the
    /// resource by its physical name) from anywhere else (aws-cdk-lib's
    /// `getResourceArnAttribute`).
    pub fn arn_attribute(&self, arn: Str, components: ArnComponents) -> Str {
        let me = self.clone();
        Str::lazy_with_context(move |ctx| {
            if me.is_cross_environment(ctx) {
                me.enable_cross_environment(ctx);
                match me.stack() {
                    Some(stack) => stack.format_arn(components.clone()),
                    None => arn.clone(),
                }
            } else {
                arn.clone()
            }
        })
    }

    fn is_cross_environment(&self, ctx: &ResolveContext<'_>) -> bool {
        match (self.stack(), ctx.stack()) {
            (Some(mine), Some(consumer)) => {
                mine.account() != consumer.account() || mine.region() != consumer.region()
            }
            _ => false,
        }
    }

    /// Makes the physical name usable from another environment: generates it when the
    /// resource allows it, else fails the resolution naming the resource.
    fn enable_cross_environment(&self, ctx: &mut ResolveContext<'_>) {
        match self.state.mode {
            NameMode::DeployTime => ctx.fail(format!(
                "Cannot use resource '{}' in a cross-environment fashion, the resource's physical name must be explicit set or use `PhysicalName::GENERATE_IF_NEEDED`",
                self.node.path()
            )),
            NameMode::GivenLiteral => {}
            NameMode::Generate => {
                if self.state.generated.borrow().is_some() {
                    return;
                }
                match generate_physical_name(&self.node) {
                    Ok(name) => {
                        *self.state.generated.borrow_mut() = Some(name);
                        self.node.tree().borrow_mut().names_generated += 1;
                    }
                    Err(message) => ctx.fail(message),
                }
            }
        }
    }

    /// Generates the physical name now (e.g. for a name a resource needs in its own stack).
    /// Problems are recorded against the construct.
    pub fn generate_physical_name_now(&self) -> Option<String> {
        if let Some(name) = self.state.generated.borrow().clone() {
            return Some(name);
        }
        match generate_physical_name(&self.node) {
            Ok(name) => {
                *self.state.generated.borrow_mut() = Some(name.clone());
                Some(name)
            }
            Err(message) => {
                let path = self.node.path();
                self.node
                    .tree()
                    .borrow_mut()
                    .errors
                    .push(ValidationError { path, message });
                None
            }
        }
    }
}

/// aws-cdk-lib's `generatePhysicalName`: the first 25 characters of the stack name, the last
/// 24 of the construct's unique ID and 12 hex digits of the SHA-256 of stack name, unique ID,
/// region and account, lower-cased. The stack needs a literal account and region.
pub fn generate_physical_name(construct: &impl IConstruct) -> Result<String, String> {
    let node = construct.node();
    let stack = Stack::of(node).ok_or_else(|| format!("{} is not inside a stack", node.path()))?;
    let stack_name = stack.stack_name();
    let unique_id = Names::unique_id(node);
    let region = stack.region();
    let Some(region) = region.literal() else {
        return Err(format!(
            "Cannot generate a physical name for {}, because the region is un-resolved or missing",
            node.path()
        ));
    };
    let account = stack.account();
    let Some(account) = account.literal() else {
        return Err(format!(
            "Cannot generate a physical name for {}, because the account is un-resolved or missing",
            node.path()
        ));
    };
    let stack_part: String = stack_name.chars().take(25).collect();
    let id_chars: Vec<char> = unique_id.chars().collect();
    let id_part: String = id_chars[id_chars.len().saturating_sub(24)..]
        .iter()
        .collect();
    let mut hasher = Sha256::new();
    hasher.update(stack_name.as_bytes());
    hasher.update(unique_id.as_bytes());
    hasher.update(region.as_bytes());
    hasher.update(account.as_bytes());
    let hash = hex::encode(hasher.finalize());
    Ok(format!("{stack_part}{id_part}{}", &hash[..12]).to_lowercase())
}
