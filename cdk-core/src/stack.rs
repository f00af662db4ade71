//! Stacks: the unit of deployment. Each stack becomes one CloudFormation template.

use std::collections::BTreeMap;

use crate::arn::{ArnComponents, ArnFormat};
use crate::construct::{IConstruct, Node, NodeKind};
use crate::synthesizer::DefaultStackSynthesizer;
use crate::tags::{TagManager, TagType};
use crate::token::{Aws, Str};

/// Where a stack is deployed. `None` leaves that part environment-agnostic: the template uses
/// `AWS::AccountId` / `AWS::Region` and works wherever it is deployed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// 12-digit AWS account ID.
    pub account: Option<String>,
    /// Region, e.g. `us-east-1`.
    pub region: Option<String>,
}

impl Environment {
    /// An environment with both account and region.
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Self {
        Environment {
            account: Some(account.into()),
            region: Some(region.into()),
        }
    }

    /// True for a 12-digit AWS account ID.
    ///
    /// ```
    /// use cdk_core::Environment;
    /// assert!(Environment::is_valid_account_id("111111111111"));
    /// assert!(!Environment::is_valid_account_id("1111"));
    /// ```
    pub fn is_valid_account_id(account: &str) -> bool {
        account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())
    }

    /// True for a region name such as `us-east-1` (lowercase letters, digits and hyphens).
    ///
    /// ```
    /// use cdk_core::Environment;
    /// assert!(Environment::is_valid_region("eu-west-1"));
    /// assert!(!Environment::is_valid_region("EU West"));
    /// ```
    pub fn is_valid_region(region: &str) -> bool {
        !region.is_empty()
            && region.starts_with(|c: char| c.is_ascii_lowercase())
            && region
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    /// Doubts about this environment's literal account (empty when it has 12 digits).
    ///
    /// aws-cdk-lib accepts any account string (aws-cdk's integ runner uses `12345678`), so an
    /// account that is not 12 digits is a warning on the stack, not a synth error.
    pub fn warnings(&self) -> Vec<String> {
        self.account
            .as_deref()
            .filter(|a| !Self::is_valid_account_id(a))
            .map(|account| {
                format!("account '{account}' is not an AWS account ID (12 digits); deploying to it will fail")
            })
            .into_iter()
            .collect()
    }

    /// Problems with this environment's literal region (empty when valid).
    pub fn errors(&self) -> Vec<String> {
        let mut errors = Vec::new();
        if let Some(region) = self.region.as_deref().filter(|r| !Self::is_valid_region(r)) {
            errors.push(format!(
                "invalid region '{region}': expected a region name such as us-east-1"
            ));
        }
        errors
    }

    /// `aws://ACCOUNT/REGION`, with `unknown-account` / `unknown-region` for agnostic parts.
    pub fn to_uri(&self) -> String {
        format!(
            "aws://{}/{}",
            self.account.as_deref().unwrap_or("unknown-account"),
            self.region.as_deref().unwrap_or("unknown-region")
        )
    }
}

/// Context key of aws-cdk-lib's feature flag that counts the stage prefix inside the 128
/// characters of a generated stack name (only names that long differ).
const INCLUDE_PREFIX_IN_UNIQUE_NAME_GENERATION: &str =
    "@aws-cdk/core:includePrefixInUniqueNameGeneration";

/// Whether the flag is on in `scope`'s context (JavaScript truthiness; absent is off).
fn include_prefix_in_unique_names(scope: &Node) -> bool {
    match scope.try_get_context(INCLUDE_PREFIX_IN_UNIQUE_NAME_GENERATION) {
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Bool(false)) => false,
        Some(serde_json::Value::String(s)) => !s.is_empty(),
        Some(serde_json::Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(_) => true,
    }
}

/// Properties of a [`Stack`].
#[derive(Clone, Debug, Default)]
pub struct StackProps {
    /// Target account/region (environment-agnostic when unset). What is unset here is taken
    /// from the enclosing [`Stage`](crate::Stage), if any.
    pub env: Option<Environment>,
    /// CloudFormation stack name (default: the construct ID for stacks directly under the app,
    /// `<stageName>-<id>` in a stage, a unique name from the path below the app or stage for
    /// stacks nested in other constructs, as aws-cdk-lib names them).
    pub stack_name: Option<String>,
    /// Template description.
    pub description: Option<String>,
    /// Stack-level tags (the manifest's `tags`; CloudFormation applies them to resources).
    pub tags: BTreeMap<String, String>,
    /// Refuse deletion of the deployed stack.
    pub termination_protection: bool,
    /// How the stack is deployed (bootstrap qualifier, role names).
    pub synthesizer: Option<DefaultStackSynthesizer>,
}

pub(crate) struct StackData {
    pub(crate) stack_name: String,
    pub(crate) artifact_id: String,
    pub(crate) env: Environment,
    pub(crate) description: Option<String>,
    pub(crate) termination_protection: bool,
    pub(crate) tags: TagManager,
    pub(crate) synthesizer: DefaultStackSynthesizer,
    /// Explicit dependencies: `(stack node, reason)`.
    pub(crate) dependencies: Vec<(usize, String)>,
    pub(crate) transforms: Vec<String>,
}

/// A CloudFormation stack.
///
/// ```
/// use cdk_core::{App, Environment, Stack, StackProps};
/// let app = App::new();
/// let prod = Stack::new(&app, "Prod", StackProps {
///     env: Some(Environment::new("222222222222", "us-east-1")),
///     ..Default::default()
/// });
/// assert_eq!(prod.stack_name(), "Prod");
/// assert_eq!(prod.account().literal(), Some("222222222222"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    node: Node,
}

impl IConstruct for Stack {
    fn node(&self) -> &Node {
        &self.node
    }
}

fn valid_stack_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 128
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl Stack {
    /// Defines stack `id` under `scope` (usually the app).
    pub fn new(scope: &impl IConstruct, id: &str, props: StackProps) -> Self {
        let scope = scope.node();
        let qualifier_ctx = scope.try_get_context_str(crate::synthesizer::QUALIFIER_CONTEXT_KEY);
        let synthesizer = props
            .synthesizer
            .unwrap_or_else(|| DefaultStackSynthesizer {
                qualifier: qualifier_ctx
                    .unwrap_or_else(|| crate::synthesizer::DEFAULT_QUALIFIER.into()),
                ..Default::default()
            });
        let env_errors = props
            .env
            .as_ref()
            .map(Environment::errors)
            .unwrap_or_default();
        let env_warnings = props
            .env
            .as_ref()
            .map(Environment::warnings)
            .unwrap_or_default();
        // The enclosing stage: its environment is the default, its name the stack name's prefix.
        let (stage_env, stage_name) = {
            let tree_rc = scope.tree();
            let tree = tree_rc.borrow();
            let stage = if tree.is_stage(scope.idx) {
                Some(scope.idx)
            } else {
                tree.stage_of(scope.idx)
            };
            match stage {
                Some(s) => {
                    let data = tree.stage_data(s);
                    (data.env.clone(), data.stage_name.clone())
                }
                None => (Environment::default(), String::new()),
            }
        };
        let own_env = props.env.unwrap_or_default();
        let env = Environment {
            account: own_env.account.or(stage_env.account),
            region: own_env.region.or(stage_env.region),
        };
        let mut tags = TagManager::new(TagType::Map, "tags");
        for (k, v) in &props.tags {
            tags.set(k, v, 50, true);
        }
        let node = Node::create(
            scope,
            id,
            NodeKind::Stack(Box::new(StackData {
                stack_name: String::new(),
                artifact_id: String::new(),
                env,
                description: props.description,
                termination_protection: props.termination_protection,
                tags,
                synthesizer,
                dependencies: Vec::new(),
                transforms: Vec::new(),
            })),
        );
        node.set_construct_info("cdk-core.Stack");
        // As aws-cdk-lib: the artifact ID from the IDs below the app, the default stack name from
        // the IDs below the enclosing stage (or app), after the stage name and `-`.
        let (artifact_id, default_name) = {
            let tree_rc = node.tree();
            let tree = tree_rc.borrow();
            let ids = tree.ids_of(node.idx);
            let below_stage = match tree.stage_of(node.idx) {
                Some(stage) => tree.ids_of(stage).len(),
                None => 0,
            };
            let artifact: String = crate::logical_id::make_stack_name(&ids, "")
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let prefix = if stage_name.is_empty() {
                String::new()
            } else {
                format!("{stage_name}-")
            };
            let relative = &ids[below_stage..];
            let name = if include_prefix_in_unique_names(scope) {
                crate::logical_id::make_stack_name(relative, &prefix)
            } else {
                prefix + &crate::logical_id::make_stack_name(relative, "")
            };
            (artifact, name)
        };
        // A name derived from an invalid construct ID is a consequence of that ID's error.
        let derived_from_invalid_id =
            props.stack_name.is_none() && node.tree().borrow().under_invalid_id(node.idx);
        let stack_name = props.stack_name.unwrap_or(default_name);
        if !valid_stack_name(&stack_name) && !derived_from_invalid_id {
            let path = node.path();
            node.tree().borrow_mut().errors.push(crate::ValidationError {
                path,
                message: format!(
                    "invalid stack name '{stack_name}': must match ^[A-Za-z][A-Za-z0-9-]*$ and be at most 128 characters"
                ),
            });
        }
        if !env_errors.is_empty() {
            let path = node.path();
            let tree_rc = node.tree();
            let mut tree = tree_rc.borrow_mut();
            for message in env_errors {
                tree.errors.push(crate::ValidationError {
                    path: path.clone(),
                    message,
                });
            }
        }
        for message in env_warnings {
            node.add_warning(&message);
        }
        {
            let tree_rc = node.tree();
            let mut tree = tree_rc.borrow_mut();
            let data = tree.stack_data_mut(node.idx);
            data.stack_name = stack_name;
            data.artifact_id = artifact_id;
        }
        Stack { node }
    }

    /// The stage whose assembly holds this stack (`None` for the app's own stacks).
    pub fn stage(&self) -> Option<crate::Stage> {
        crate::Stage::of(&self.node)
    }

    /// The directory of the (nested) assembly holding this stack's template, relative to the
    /// app's output directory: `""` for the app's own stacks, `assembly-<Path>` for a stage's.
    pub fn assembly_directory(&self) -> String {
        let tree_rc = self.node.tree();
        let tree = tree_rc.borrow();
        crate::stage::assembly_directory(&tree, tree.stage_of(self.node.idx))
    }

    /// The stack that contains `construct` (the construct itself when it is a stack).
    pub fn of(construct: &impl IConstruct) -> Option<Stack> {
        let node = construct.node();
        let idx = node.tree().borrow().stack_of(node.idx)?;
        Some(Stack { node: node.at(idx) })
    }

    /// Wraps a node that is a stack.
    pub fn from_node(node: &Node) -> Option<Stack> {
        node.is_stack().then(|| Stack { node: node.clone() })
    }

    fn with<R>(&self, f: impl FnOnce(&StackData) -> R) -> R {
        f(self.node.tree().borrow().stack_data(self.node.idx))
    }

    /// The CloudFormation stack name.
    pub fn stack_name(&self) -> String {
        self.with(|s| s.stack_name.clone())
    }

    /// The artifact ID in the cloud assembly (`<id>.template.json`).
    pub fn artifact_id(&self) -> String {
        self.with(|s| s.artifact_id.clone())
    }

    /// The configured environment.
    pub fn environment(&self) -> Environment {
        self.with(|s| s.env.clone())
    }

    /// The account: the literal when configured, else `AWS::AccountId`.
    pub fn account(&self) -> Str {
        self.with(|s| s.env.account.clone())
            .map(Str::from)
            .unwrap_or(Aws::ACCOUNT_ID)
    }

    /// The region: the literal when configured, else `AWS::Region`.
    pub fn region(&self) -> Str {
        self.with(|s| s.env.region.clone())
            .map(Str::from)
            .unwrap_or(Aws::REGION)
    }

    /// Runs `f` with the stack's synthesizer (bootstrap qualifier and role names).
    pub fn with_synthesizer<R>(&self, f: impl FnOnce(&DefaultStackSynthesizer) -> R) -> R {
        self.with(|s| f(&s.synthesizer))
    }

    /// The availability zones of the stack's region, as aws-cdk-lib's `Stack.availabilityZones`:
    /// with a literal account and region, the zones looked up by the CLI (provider
    /// `availability-zones`; `dummy1a`, `dummy1b`, `dummy1c` until then); for an
    /// environment-agnostic stack, the context value `aws:cdk:availability-zones:fallback`, else
    /// the first two of `Fn::GetAZs`.
    pub fn availability_zones(&self) -> Vec<Str> {
        use crate::context_provider::{
            ContextProvider, GetContextValueOptions, AVAILABILITY_ZONE_FALLBACK_CONTEXT_KEY,
            AVAILABILITY_ZONE_PROVIDER,
        };
        let env = self.environment();
        if env.account.is_none() || env.region.is_none() {
            if let Some(serde_json::Value::Array(zones)) = self
                .node
                .try_get_context(AVAILABILITY_ZONE_FALLBACK_CONTEXT_KEY)
            {
                return zones
                    .iter()
                    .filter_map(|z| z.as_str().map(Str::from))
                    .collect();
            }
            return (0..2)
                .map(|i| crate::fns::select(i, crate::fns::get_azs("")))
                .collect();
        }
        let value = ContextProvider::get_value(
            self,
            GetContextValueOptions {
                provider: AVAILABILITY_ZONE_PROVIDER.into(),
                dummy_value: serde_json::json!(["dummy1a", "dummy1b", "dummy1c"]),
                ..Default::default()
            },
        );
        match value {
            serde_json::Value::Array(zones) => zones
                .iter()
                .filter_map(|z| z.as_str().map(Str::from))
                .collect(),
            _ => {
                self.node.add_error(&format!(
                    "Provider {AVAILABILITY_ZONE_PROVIDER} expects a list"
                ));
                Vec::new()
            }
        }
    }

    /// The partition: `AWS::Partition`, or the literal partition of a literal region when
    /// `@aws-cdk/core:enablePartitionLiterals` is on (as aws-cdk-lib).
    pub fn partition(&self) -> Str {
        let region = self.region();
        match region.literal() {
            Some(r)
                if crate::feature_flags::is_enabled(
                    self,
                    crate::feature_flags::ENABLE_PARTITION_LITERALS,
                ) =>
            {
                partition_of_region(r).map_or(Aws::PARTITION, Str::from)
            }
            _ => Aws::PARTITION,
        }
    }

    /// The URL suffix (`AWS::URLSuffix`).
    pub fn url_suffix(&self) -> Str {
        Aws::URL_SUFFIX
    }

    /// True when account or region is left to deploy time.
    pub fn is_env_agnostic(&self) -> bool {
        self.with(|s| s.env.account.is_none() || s.env.region.is_none())
    }

    /// The deployment conventions of this stack.
    pub fn synthesizer(&self) -> DefaultStackSynthesizer {
        self.with(|s| s.synthesizer.clone())
    }

    /// Deploy this stack after `other`; `reason` appears in cycle reports.
    pub fn add_dependency(&self, other: &Stack, reason: &str) {
        let target = other.node.idx;
        let tree_rc = self.node.tree();
        let mut tree = tree_rc.borrow_mut();
        let deps = &mut tree.stack_data_mut(self.node.idx).dependencies;
        if !deps.iter().any(|(t, _)| *t == target) {
            deps.push((target, reason.to_string()));
        }
    }

    /// The stack-level tags (those [`Tags`](crate::Tags) applied to the stack itself, the
    /// manifest's `tags`), sorted by key; complete once aspects ran (at synthesis).
    pub fn tags(&self) -> Vec<(String, String)> {
        self.with(|s| s.tags.entries())
    }

    /// The stacks this stack was declared to deploy after ([`Stack::add_dependency`], direct
    /// ones only), in declaration order.
    pub fn declared_dependencies(&self) -> Vec<Stack> {
        let targets: Vec<usize> = self.with(|s| s.dependencies.iter().map(|(t, _)| *t).collect());
        targets
            .into_iter()
            .map(|t| Stack {
                node: self.node.at(t),
            })
            .collect()
    }

    /// The other stacks whose elements this stack's elements reference (`Ref`, `Fn::GetAtt`,
    /// attributes, in properties or lazy values): the dependencies synthesis adds from
    /// references, as aws-cdk-lib's reference resolution does, known before synthesis (e.g.
    /// for a pipeline ordering a stage's stacks).
    pub fn referenced_stacks(&self) -> Vec<Stack> {
        crate::synth::resolve::referenced_stacks(&self.node)
            .into_iter()
            .map(|t| Stack {
                node: self.node.at(t),
            })
            .collect()
    }

    /// True when this stack was declared to deploy after `other` ([`Stack::add_dependency`],
    /// directly or through other stacks).
    pub fn depends_on(&self, other: &Stack) -> bool {
        let tree_rc = self.node.tree();
        let tree = tree_rc.borrow();
        let mut seen = vec![self.node.idx];
        let mut work = vec![self.node.idx];
        while let Some(s) = work.pop() {
            for (target, _) in &tree.stack_data(s).dependencies {
                if *target == other.node.idx {
                    return true;
                }
                if !seen.contains(target) {
                    seen.push(*target);
                    work.push(*target);
                }
            }
        }
        false
    }

    /// Adds a template `Transform` (e.g. `AWS::Serverless-2016-10-31`).
    pub fn add_transform(&self, transform: &str) {
        let tree_rc = self.node.tree();
        let mut tree = tree_rc.borrow_mut();
        let data = tree.stack_data_mut(self.node.idx);
        if !data.transforms.iter().any(|t| t == transform) {
            data.transforms.push(transform.to_string());
        }
    }

    /// Resolves `value` as it renders in this stack's template (see [`crate::resolve()`]):
    /// usable at any time, before logical IDs are allocated (overrides are honoured).
    pub fn resolve(&self, value: &crate::Value) -> crate::Result<serde_json::Value> {
        crate::resolve::resolve(self, value)
    }

    /// The template file name in the assembly.
    pub fn template_file(&self) -> String {
        format!("{}.template.json", self.artifact_id())
    }

    /// An ARN in this stack's partition, region and account unless `components` says
    /// otherwise: `arn:{partition}:{service}:{region}:{account}:{resource}{sep}{name}`
    /// (aws-cdk-lib's `Stack.formatArn`; see [`crate::arn`]).
    pub fn format_arn(&self, components: ArnComponents) -> Str {
        crate::arn::format(components, self.partition(), self.region(), self.account())
    }

    /// Splits `arn` into its components (aws-cdk-lib's `Stack.splitArn`): a literal ARN as
    /// text, a token ARN with `Fn::Split`/`Fn::Select` at deploy time.
    pub fn split_arn(&self, arn: impl Into<Str>, format: ArnFormat) -> ArnComponents {
        crate::arn::split(&arn.into(), format)
    }

    /// True when `other` is certainly in another account or region than this stack (both
    /// literal and different, as far as tokens allow knowing).
    pub fn is_other_environment(&self, other: &Stack) -> bool {
        self.account().compare(&other.account()) == crate::TokenComparison::Different
            || self.region().compare(&other.region()) == crate::TokenComparison::Different
    }
}

/// The partition a region belongs to (aws-cdk-lib's region facts).
/// The regions aws-cdk-lib 2.276's region-info knows (`AWS_REGIONS`): only their partition is
/// a fact; any other region keeps the `AWS::Partition` reference.
const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-isoe-west-1",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "me-west-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-1",
    "us-west-2",
];

/// The partition of a region aws-cdk-lib knows (`None` for any other).
fn partition_of_region(region: &str) -> Option<&'static str> {
    if !KNOWN_REGIONS.contains(&region) {
        return None;
    }
    Some(if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else if region.starts_with("us-isof-") {
        "aws-iso-f"
    } else if region.starts_with("eusc-") {
        "aws-eusc"
    } else {
        "aws"
    })
}
