//! CodePipeline: the [`IPipeline`] interface, pipelines with stages, artifacts, an artifact
//! bucket (with a KMS key for cross-account use), a pipeline role and per-action roles (created
//! in the action's account for cross-account actions, in a support stack when needed), wired
//! as aws-cdk-lib wires them. The actions themselves are in [`crate::codepipeline_actions`].
//!
//! ```
//! use cdk_core::{App, Environment, Stack, StackProps};
//! use cdk_constructs::codebuild::{PipelineProject, PipelineProjectProps};
//! use cdk_constructs::codecommit::{Repository, RepositoryProps};
//! use cdk_constructs::codepipeline::{Artifact, Pipeline, PipelineProps, StageProps};
//! use cdk_constructs::codepipeline_actions::*;
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Ci", StackProps {
//!     env: Some(Environment::new("111111111111", "us-east-1")),
//!     ..Default::default()
//! });
//! let repo = Repository::new(&stack, "Repo", RepositoryProps {
//!     repository_name: "app".into(),
//!     ..Default::default()
//! });
//! let project = PipelineProject::new(&stack, "Build", PipelineProjectProps::default());
//! let source = Artifact::new("Source");
//! let pipeline = Pipeline::new(&stack, "Pipeline", PipelineProps {
//!     pipeline_name: Some("AppPipeline".into()),
//!     ..Default::default()
//! });
//! pipeline.add_stage(StageProps::new("Source", vec![Box::new(CodeCommitSourceAction::new(
//!     CodeCommitSourceActionProps {
//!         branch: Some("main".into()),
//!         ..CodeCommitSourceActionProps::new("CodeCommit_Source", &repo, &source)
//!     },
//! ))]));
//! pipeline.add_stage(StageProps::new("Build", vec![Box::new(CodeBuildAction::new(
//!     CodeBuildActionProps::new("Build", &project, &source),
//! ))]));
//! assert_eq!(pipeline.stage_names(), ["Source", "Build"]);
//! ```

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_core::feature_flags::{
    self, CODEPIPELINE_CROSS_ACCOUNT_KEYS_DEFAULT_VALUE_TO_FALSE,
    CODEPIPELINE_CROSS_ACCOUNT_KEY_ALIAS_STACK_SAFE_RESOURCE_NAME,
    CODEPIPELINE_DEFAULT_PIPELINE_TYPE_TO_V2,
    PIPELINE_REDUCE_CROSS_ACCOUNT_ACTION_ROLE_TRUST_SCOPE, PIPELINE_REDUCE_STAGE_ROLE_TRUST_SCOPE,
};
use cdk_core::{
    ArnComponents, ArnFormat, IConstruct, Names, Node, PhysicalName, RemovalPolicy, Resource,
    ResourceEnvironment, ResourceProps, Stack, StackProps, Str, TokenComparison,
    UniqueResourceNameOptions, Value,
};

use crate::generated::runtime::Late;

mod events;
use crate::iam::{
    AccountPrincipal, ArnPrincipal, IPrincipal, IRole, PolicyStatement, Role, RoleProps,
    ServicePrincipal,
};
use crate::kms::{Alias, AliasProps, IKey, Key, KeyProps};
use crate::s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps, IBucket};
pub use events::{ActionEvents, PipelineEvents};

/// The kind of work an action does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionCategory {
    /// `Source`: only in the first stage.
    Source,
    /// `Build`.
    Build,
    /// `Test`.
    Test,
    /// `Approval`.
    Approval,
    /// `Deploy`.
    Deploy,
    /// `Invoke`.
    Invoke,
    /// `Compute`.
    Compute,
}

impl ActionCategory {
    /// The CloudFormation value.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionCategory::Source => "Source",
            ActionCategory::Build => "Build",
            ActionCategory::Test => "Test",
            ActionCategory::Approval => "Approval",
            ActionCategory::Deploy => "Deploy",
            ActionCategory::Invoke => "Invoke",
            ActionCategory::Compute => "Compute",
        }
    }
}

/// How many input and output artifacts an action type takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionArtifactBounds {
    /// Minimum inputs.
    pub min_inputs: usize,
    /// Maximum inputs.
    pub max_inputs: usize,
    /// Minimum outputs.
    pub min_outputs: usize,
    /// Maximum outputs.
    pub max_outputs: usize,
}

impl ActionArtifactBounds {
    /// Bounds of `min_inputs..=max_inputs` inputs and `min_outputs..=max_outputs` outputs.
    pub const fn new(
        min_inputs: usize,
        max_inputs: usize,
        min_outputs: usize,
        max_outputs: usize,
    ) -> Self {
        ActionArtifactBounds {
            min_inputs,
            max_inputs,
            min_outputs,
            max_outputs,
        }
    }
}

#[derive(Debug, Default)]
struct ArtifactInner {
    name: RefCell<Option<String>>,
    metadata: RefCell<BTreeMap<String, Str>>,
    files: Vec<String>,
}

/// An artifact passed between actions. Clones refer to the same artifact; an unnamed artifact
/// gets `Artifact_<stage>_<action>` when its pipeline is synthesized.
#[derive(Clone, Debug, Default)]
pub struct Artifact(Rc<ArtifactInner>);

impl PartialEq for Artifact {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Problems with an artifact name (`[A-Za-z0-9_-]{1,100}`).
pub fn artifact_name_errors(name: &str) -> Vec<String> {
    if !name.is_empty()
        && name.chars().count() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Vec::new()
    } else {
        vec![format!(
            "Artifact name must match regular expression: /^[a-zA-Z0-9_-]{{1,100}}$/, got '{name}'"
        )]
    }
}

/// Problems with a pipeline, stage or action name (`[A-Za-z0-9.@_-]{1,100}`).
pub fn name_errors(thing: &str, name: &str) -> Vec<String> {
    if !name.is_empty()
        && name.chars().count() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".@_-".contains(c))
    {
        Vec::new()
    } else {
        vec![format!(
            "{thing} name must match regular expression: /^[a-zA-Z0-9.@_-]{{1,100}}$/, got '{name}'"
        )]
    }
}

impl Artifact {
    /// An artifact named `name`.
    pub fn new(name: &str) -> Artifact {
        Artifact(Rc::new(ArtifactInner {
            name: RefCell::new(Some(name.to_string())),
            metadata: RefCell::default(),
            files: Vec::new(),
        }))
    }

    /// An artifact named `name` holding only the files matching `files` (glob patterns such
    /// as `my-dir/**/*`; CodePipeline's `Files` of an output artifact, aws-cdk-lib's
    /// `new Artifact(name, files)`).
    pub fn with_files(name: &str, files: &[&str]) -> Artifact {
        Artifact(Rc::new(ArtifactInner {
            name: RefCell::new(Some(name.to_string())),
            metadata: RefCell::default(),
            files: files.iter().map(|f| f.to_string()).collect(),
        }))
    }

    /// The file patterns given to [`Artifact::with_files`].
    pub fn artifact_files(&self) -> &[String] {
        &self.0.files
    }

    /// An artifact whose name the pipeline chooses.
    pub fn unnamed() -> Artifact {
        Artifact::default()
    }

    /// The name, once known.
    pub fn artifact_name(&self) -> Option<String> {
        self.0.name.borrow().clone()
    }

    /// Records a value about the artifact for the actions that consume it (e.g. the
    /// repository ARN behind a CodeBuild clone reference).
    pub fn set_metadata(&self, key: &str, value: Str) {
        self.0.metadata.borrow_mut().insert(key.to_string(), value);
    }

    /// A value recorded with [`Artifact::set_metadata`].
    pub fn metadata(&self, key: &str) -> Option<Str> {
        self.0.metadata.borrow().get(key).cloned()
    }

    fn set_name_if_unset(&self, name: String) {
        let mut n = self.0.name.borrow_mut();
        if n.is_none() {
            *n = Some(name);
        }
    }

    /// The name as a string resolved at synth (for unnamed artifacts).
    pub fn name_token(&self) -> Str {
        match self.artifact_name() {
            Some(n) => Str::from(n),
            None => {
                let me = self.clone();
                Str::lazy(move || Str::from(me.artifact_name().unwrap_or_default()))
            }
        }
    }

    /// A file inside this artifact (`<artifact>::<file>`), e.g. a template to deploy.
    pub fn at_path(&self, file_name: &str) -> ArtifactPath {
        ArtifactPath {
            artifact: self.clone(),
            file_name: file_name.to_string(),
        }
    }

    fn attribute(&self, name: &str) -> Str {
        Str::from_value(Value::intrinsic(
            "Fn::GetArtifactAtt",
            Value::List(vec![self.name_token().into_value(), name.into()]),
        ))
    }

    /// The S3 bucket holding the artifact (`Fn::GetArtifactAtt`, for parameter overrides).
    pub fn bucket_name(&self) -> Str {
        self.attribute("BucketName")
    }

    /// The artifact's object key (`Fn::GetArtifactAtt`, for parameter overrides).
    pub fn object_key(&self) -> Str {
        self.attribute("ObjectKey")
    }

    /// The artifact's S3 URL (`Fn::GetArtifactAtt`).
    pub fn url(&self) -> Str {
        self.attribute("URL")
    }

    /// A value from a JSON file in the artifact (`Fn::GetParam`).
    pub fn get_param(&self, json_file: &str, key: &str) -> Str {
        Str::from_value(Value::intrinsic(
            "Fn::GetParam",
            Value::List(vec![
                self.name_token().into_value(),
                json_file.into(),
                key.into(),
            ]),
        ))
    }
}

/// A file in an artifact ([`Artifact::at_path`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ArtifactPath {
    /// The artifact.
    pub artifact: Artifact,
    /// The file's path inside it.
    pub file_name: String,
}

impl ArtifactPath {
    /// `<artifact name>::<file>`.
    pub fn location(&self) -> Str {
        self.artifact.name_token() + "::" + self.file_name.as_str()
    }
}

/// The environment of the resource behind an action (a repository, a project).
#[derive(Clone, Debug)]
pub struct ActionResource {
    /// The stack the resource is defined (or imported) in.
    pub stack: Stack,
    /// Its account.
    pub account: Str,
    /// Its region.
    pub region: Str,
}

impl ActionResource {
    /// The resource behind `construct`, living in `env`.
    pub fn of(construct: &impl IConstruct, env: ResourceEnvironment) -> Option<Self> {
        Stack::of(construct).map(|stack| ActionResource {
            stack,
            account: env.account,
            region: env.region,
        })
    }
}

/// What a pipeline needs to know about an action before binding it.
#[derive(Clone)]
pub struct ActionProperties {
    /// Action name, unique in its stage (`[A-Za-z0-9.@_-]{1,100}`).
    pub action_name: String,
    /// Category.
    pub category: ActionCategory,
    /// Provider (`CodeBuild`, `CloudFormation`, ...).
    pub provider: String,
    /// Owner (default `AWS`).
    pub owner: Option<String>,
    /// Version (default `1`).
    pub version: Option<String>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Artifact bounds of the action type.
    pub artifact_bounds: ActionArtifactBounds,
    /// Input artifacts.
    pub inputs: Vec<Artifact>,
    /// Output artifacts.
    pub outputs: Vec<Artifact>,
    /// The role the action runs with (default: a new `CodePipelineActionRole`, or a role in
    /// the action's account for a cross-account action).
    pub role: Option<Rc<dyn IRole>>,
    /// The account the action runs in, for actions not backed by a resource.
    pub account: Option<String>,
    /// The region the action runs in.
    pub region: Option<String>,
    /// The resource behind the action.
    pub resource: Option<ActionResource>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
    /// How long the action may run, in minutes (`TimeoutInMinutes`; default CodePipeline's).
    pub timeout_minutes: Option<u32>,
}

impl ActionProperties {
    /// An action named `action_name` of `category` by `provider` that takes no artifacts,
    /// with every other property unset (owner `AWS`, version `1`, a new action role, the
    /// pipeline's account and region); set the rest with struct update syntax:
    /// `ActionProperties { inputs, ..ActionProperties::new(name, category, provider) }`.
    pub fn new(
        action_name: impl Into<String>,
        category: ActionCategory,
        provider: impl Into<String>,
    ) -> Self {
        ActionProperties {
            action_name: action_name.into(),
            category,
            provider: provider.into(),
            owner: None,
            version: None,
            run_order: None,
            artifact_bounds: ActionArtifactBounds::new(0, 0, 0, 0),
            inputs: Vec::new(),
            outputs: Vec::new(),
            role: None,
            account: None,
            region: None,
            resource: None,
            variables_namespace: None,
            timeout_minutes: None,
        }
    }

    /// aws-cdk-lib's `RichAction.effectiveAccount`: the role's, the resource's, or the given
    /// account.
    pub fn effective_account(&self) -> Option<Str> {
        self.role
            .as_ref()
            .map(|r| r.env().account)
            .or_else(|| self.resource.as_ref().map(|r| r.account.clone()))
            .or_else(|| self.account.clone().map(Str::from))
    }

    /// The resource's region, or the given one.
    pub fn effective_region(&self) -> Option<Str> {
        self.resource
            .as_ref()
            .map(|r| r.region.clone())
            .or_else(|| self.region.clone().map(Str::from))
    }
}

/// What an action gets when it is bound to a pipeline.
#[derive(Clone)]
pub struct ActionBindOptions {
    /// The role the action runs with (the action role, or the pipeline role).
    pub role: Rc<dyn IRole>,
    /// The pipeline's artifact bucket.
    pub bucket: Rc<dyn IBucket>,
}

/// The stage an action is being added to.
#[derive(Clone)]
pub struct StageContext {
    /// Stage name.
    pub stage_name: String,
    /// The pipeline.
    pub pipeline: Pipeline,
}

/// What an action renders into the pipeline.
#[derive(Clone, Debug, Default)]
pub struct ActionConfig {
    /// The action's `Configuration` (absent keys are `Value::Null`).
    pub configuration: Option<Value>,
}

/// A pipeline action (see [`crate::codepipeline_actions`] for the provided ones).
pub trait IAction {
    /// The action's static properties.
    fn action_properties(&self) -> ActionProperties;
    /// Called once when the action is added to a pipeline: grants permissions, creates
    /// helper resources under `scope` and returns the configuration.
    fn bind(&self, scope: &Node, stage: &StageContext, options: &ActionBindOptions)
        -> ActionConfig;
    /// The `Name` rendered into the pipeline when it is not `action_name` (aws-cdk-lib names a
    /// CDK Pipelines source action by its repository's name, a token); `action_name` still
    /// keeps the action unique in its stage. Default: none.
    fn rendered_name(&self) -> Option<Str> {
        None
    }
    /// The action's variables namespace, shared with the expressions its `variables()` /
    /// `variable(name)` accessors return (see [`ActionNamespace`]). Default: none — the
    /// pipeline then renders the `variables_namespace` of [`IAction::action_properties`] as
    /// given.
    fn namespace(&self) -> Option<ActionNamespace> {
        None
    }
    /// The shell commands a `Commands` action runs (rendered as the action's `Commands`).
    /// Default: none.
    fn commands(&self) -> Vec<String> {
        Vec::new()
    }
    /// The environment variables a `Commands` action exports as output variables (its
    /// `OutputVariables`). Default: none.
    fn output_variables(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Properties of a stage.
pub struct StageProps {
    /// Stage name, unique in the pipeline (`[A-Za-z0-9.@_-]{1,100}`).
    pub stage_name: String,
    /// Actions, in order.
    pub actions: Vec<Box<dyn IAction>>,
    /// Allow transitions into this stage (default true).
    pub transition_to_enabled: Option<bool>,
    /// Why transitions are disabled (default `Transition disabled`).
    pub transition_disabled_reason: Option<String>,
}

impl StageProps {
    /// A stage with these actions.
    pub fn new(stage_name: &str, actions: Vec<Box<dyn IAction>>) -> Self {
        StageProps {
            stage_name: stage_name.to_string(),
            actions,
            transition_to_enabled: None,
            transition_disabled_reason: None,
        }
    }
}

/// The pipeline type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipelineType {
    /// V1.
    V1,
    /// V2.
    V2,
}

/// How a pipeline runs executions that overlap (aws-cdk-lib's `ExecutionMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecutionMode {
    /// `QUEUED`: executions wait, in order, for the running one (V2 only).
    Queued,
    /// `SUPERSEDED`: a newer execution replaces a waiting older one (CodePipeline's default).
    Superseded,
    /// `PARALLEL`: executions run side by side (V2 only).
    Parallel,
}

impl ExecutionMode {
    /// The CloudFormation value.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionMode::Queued => "QUEUED",
            ExecutionMode::Superseded => "SUPERSEDED",
            ExecutionMode::Parallel => "PARALLEL",
        }
    }
}

/// Properties of a [`Pipeline`].
#[derive(Default)]
pub struct PipelineProps {
    /// Physical name (default generated by CloudFormation).
    pub pipeline_name: Option<String>,
    /// Artifact bucket (default: a new `ArtifactsBucket`).
    pub artifact_bucket: Option<Rc<dyn IBucket>>,
    /// Pipeline role (default: a new `Role` assumed by `codepipeline.amazonaws.com`).
    pub role: Option<Rc<dyn IRole>>,
    /// Create the artifact bucket with a customer managed KMS key
    /// (`ArtifactsBucketEncryptionKey` and an alias), needed for cross-account actions
    /// (default: true, or false with `@aws-cdk/aws-codepipeline:crossAccountKeysDefaultValueToFalse`).
    pub cross_account_keys: Option<bool>,
    /// Rotate that key yearly (requires `cross_account_keys`).
    pub enable_key_rotation: Option<bool>,
    /// Restart the pipeline when it is updated.
    pub restart_execution_on_update: Option<bool>,
    /// Pipeline type (default: V1 without a `PipelineType` property, or V2 with
    /// `@aws-cdk/aws-codepipeline:defaultPipelineTypeToV2`).
    pub pipeline_type: Option<PipelineType>,
    /// Run every action with the pipeline role instead of per-action roles.
    pub use_pipeline_role_for_actions: bool,
    /// How overlapping executions run (default: CodePipeline's, `SUPERSEDED`; `QUEUED` and
    /// `PARALLEL` need a V2 pipeline).
    pub execution_mode: Option<ExecutionMode>,
    /// Stages, in order (more can be added with [`Pipeline::add_stage`]).
    pub stages: Vec<StageProps>,
    /// Pipeline-level variables (V2 only; more with [`Pipeline::add_variable`]).
    pub variables: Vec<Variable>,
    /// Triggers on a CodeStar connection source action (V2 only; more with
    /// [`Pipeline::add_trigger`]).
    pub triggers: Vec<TriggerProps>,
}

struct ActionDescriptor {
    props: ActionProperties,
    config: ActionConfig,
    role: Option<Rc<dyn IRole>>,
    rendered_name: Option<Str>,
    namespace: ActionNamespace,
    commands: Vec<String>,
    output_variables: Vec<String>,
}

struct StageData {
    name: String,
    scope: Node,
    actions: Vec<ActionDescriptor>,
    transition_to_enabled: bool,
    transition_disabled_reason: String,
}

struct PipelineState {
    stages: Vec<StageData>,
    events_role: Option<Role>,
    /// Stacks of other accounts that hold cross-account action roles.
    cross_account_support: Vec<(String, Stack)>,
    variables: Vec<Variable>,
    triggers: Vec<TriggerProps>,
    /// The pipeline renders `PipelineType: V2`.
    is_v2: bool,
}

/// A pipeline: created ([`Pipeline`]) or imported ([`ImportedPipeline`]).
pub trait IPipeline: IConstruct {
    /// The pipeline's ARN.
    fn pipeline_arn(&self) -> Str;
    /// The pipeline's name.
    fn pipeline_name(&self) -> Str;
    /// Where the pipeline lives.
    fn env(&self) -> ResourceEnvironment;
    /// The role EventBridge uses to start this pipeline (`EventsRole`, created on first use,
    /// with a name generated when needed — aws-cdk-lib's `singletonEventRole`).
    fn events_role(&self) -> Role;
}

/// A CodePipeline pipeline with its role and artifact bucket.
#[derive(Clone)]
pub struct Pipeline {
    base: Resource,
    resource: CfnPipeline,
    role: Rc<dyn IRole>,
    bucket: Rc<dyn IBucket>,
    state: Rc<RefCell<PipelineState>>,
    use_pipeline_role_for_actions: bool,
    name: Str,
}

impl IConstruct for Pipeline {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

/// A handle to a stage of a pipeline, to add actions to it.
#[derive(Clone)]
pub struct Stage {
    pipeline: Pipeline,
    name: String,
}

impl Stage {
    /// The stage name.
    pub fn stage_name(&self) -> &str {
        &self.name
    }

    /// Adds an action at the end of the stage.
    pub fn add_action(&self, action: Box<dyn IAction>) {
        self.pipeline.add_action_to(&self.name, action);
    }
}

/// `!dim || unresolved ? same : dim == pipeline` (aws-cdk-lib's
/// `actionDimensionSameAsPipelineDimension`).
fn same_as_pipeline(action: Option<&Str>, pipeline: &Str) -> bool {
    match action {
        None => true,
        Some(a) if a.is_token() => true,
        Some(a) if a.literal() == Some("") => true,
        Some(a) => a.compare(pipeline) == TokenComparison::Same,
    }
}

impl Pipeline {
    /// Defines a pipeline `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: PipelineProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.codepipeline.Pipeline",
            ResourceProps {
                physical_name: props.pipeline_name.as_deref().map(PhysicalName::from),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        if let Some(name) = &props.pipeline_name {
            for e in name_errors("Pipeline", name) {
                node.add_error(&e);
            }
        }
        let cross_account_keys = props.cross_account_keys.unwrap_or_else(|| {
            !feature_flags::is_enabled(
                &node,
                CODEPIPELINE_CROSS_ACCOUNT_KEYS_DEFAULT_VALUE_TO_FALSE,
            )
        });
        if props.enable_key_rotation == Some(true) && !cross_account_keys {
            node.add_error(
                "Setting 'enableKeyRotation' to true also requires 'crossAccountKeys' to be enabled",
            );
        }
        let bucket: Rc<dyn IBucket> = match props.artifact_bucket {
            Some(b) => b,
            None => {
                let key = cross_account_keys.then(|| {
                    let key = Key::new(
                        &node,
                        "ArtifactsBucketEncryptionKey",
                        KeyProps {
                            removal_policy: Some(RemovalPolicy::Destroy),
                            enable_key_rotation: props.enable_key_rotation,
                            ..Default::default()
                        },
                    );
                    let key: Rc<dyn IKey> = Rc::new(key);
                    Alias::new(
                        &node,
                        "ArtifactsBucketEncryptionKeyAlias",
                        AliasProps {
                            alias_name: default_key_alias(&node).into(),
                            target_key: key.clone(),
                            removal_policy: Some(RemovalPolicy::Destroy),
                        },
                    );
                    key
                });
                Rc::new(Bucket::new(
                    &node,
                    "ArtifactsBucket",
                    BucketProps {
                        bucket_name: Some(PhysicalName::GENERATE_IF_NEEDED),
                        encryption: if key.is_some() {
                            BucketEncryption::Kms
                        } else {
                            BucketEncryption::KmsManaged
                        },
                        encryption_key: key,
                        enforce_ssl: true,
                        block_public_access: Some(BlockPublicAccess::BLOCK_ALL),
                        removal_policy: Some(RemovalPolicy::Retain),
                        ..Default::default()
                    },
                ))
            }
        };
        let remove_root =
            feature_flags::is_enabled(&node, PIPELINE_REDUCE_CROSS_ACCOUNT_ACTION_ROLE_TRUST_SCOPE);
        let role: Rc<dyn IRole> = props.role.unwrap_or_else(|| {
            Rc::new(Role::new(
                &node,
                "Role",
                RoleProps {
                    role_name: remove_root.then_some(PhysicalName::GENERATE_IF_NEEDED),
                    ..RoleProps::assumed_by(ServicePrincipal::new("codepipeline.amazonaws.com"))
                },
            ))
        });
        let default_v2 = feature_flags::is_enabled(&node, CODEPIPELINE_DEFAULT_PIPELINE_TYPE_TO_V2);
        if !default_v2 && props.pipeline_type.is_none() {
            node.add_warning("V1 pipeline type is implicitly selected when `pipelineType` is not set. If you want to use V2 type, set `PipelineType.V2`. [ack: @aws-cdk/aws-codepipeline:unspecifiedPipelineType]");
        }
        let pipeline_type = props
            .pipeline_type
            .or(default_v2.then_some(PipelineType::V2))
            .map(|t| match t {
                PipelineType::V1 => cfn_pipeline::PipelineType::V1,
                PipelineType::V2 => cfn_pipeline::PipelineType::V2,
            });
        let is_v2 = pipeline_type == Some(cfn_pipeline::PipelineType::V2);
        if let Some(mode) = props.execution_mode {
            if mode != ExecutionMode::Superseded && !is_v2 {
                node.add_error(&format!(
                    "{} execution mode can only be used with V2 pipelines, `PipelineType.V2` must be specified for `pipelineType`",
                    mode.as_str()
                ));
            }
        }
        let state = Rc::new(RefCell::new(PipelineState {
            stages: Vec::new(),
            events_role: None,
            cross_account_support: Vec::new(),
            variables: Vec::new(),
            triggers: Vec::new(),
            is_v2,
        }));
        let mut store = cfn_pipeline::ArtifactStoreProperty::new(bucket.bucket_name(), "S3");
        store.encryption_key = bucket
            .encryption_key()
            .map(|k| cfn_pipeline::EncryptionKeyProperty::new(k.key_arn(), "KMS"));
        let resource = CfnPipeline::new(
            &base,
            "Resource",
            CfnPipelineProps {
                artifact_store: Some(store),
                name: base.physical_name(),
                pipeline_type,
                restart_execution_on_update: props.restart_execution_on_update.map(Into::into),
                execution_mode: props.execution_mode.map(|m| match m {
                    ExecutionMode::Queued => cfn_pipeline::ExecutionMode::Queued,
                    ExecutionMode::Superseded => cfn_pipeline::ExecutionMode::Superseded,
                    ExecutionMode::Parallel => cfn_pipeline::ExecutionMode::Parallel,
                }),
                ..CfnPipelineProps::new(role.role_arn(), Vec::new())
            },
        );
        let for_stages = state.clone();
        resource.set_stages(Late::lazy(move || render_stages(&for_stages)));
        let for_transitions = state.clone();
        resource.set_disable_inbound_stage_transitions(Late::lazy(move || {
            let s = for_transitions.borrow();
            let disabled: Vec<cfn_pipeline::StageTransitionProperty> = s
                .stages
                .iter()
                .filter(|st| !st.transition_to_enabled)
                .map(|st| {
                    cfn_pipeline::StageTransitionProperty::new(
                        st.transition_disabled_reason.as_str(),
                        st.name.as_str(),
                    )
                })
                .collect();
            (!disabled.is_empty()).then_some(disabled)
        }));
        let for_variables = state.clone();
        resource.set_variables(Late::lazy(move || {
            let s = for_variables.borrow();
            (!s.variables.is_empty()).then(|| s.variables.iter().map(Variable::render).collect())
        }));
        let for_triggers = state.clone();
        resource.set_triggers(Late::lazy(move || {
            let s = for_triggers.borrow();
            (!s.triggers.is_empty()).then(|| s.triggers.iter().map(TriggerProps::render).collect())
        }));
        resource.node().add_dependency(role.node());
        bucket.grant_read_write(role.as_ref());
        let name = base.name_attribute(resource.ref_());
        let pipeline = Pipeline {
            base,
            resource,
            role,
            bucket,
            state,
            use_pipeline_role_for_actions: props.use_pipeline_role_for_actions,
            name,
        };
        for stage in props.stages {
            pipeline.add_stage(stage);
        }
        for variable in props.variables {
            pipeline.add_variable(variable);
        }
        for trigger in props.triggers {
            pipeline.add_trigger(trigger);
        }
        let for_validation = pipeline.state.clone();
        pipeline
            .node()
            .add_validation(move || validate_pipeline(&for_validation));
        pipeline
    }

    /// An existing pipeline by ARN.
    pub fn from_pipeline_arn(
        scope: &impl IConstruct,
        id: &str,
        arn: impl Into<Str>,
    ) -> ImportedPipeline {
        let arn = arn.into();
        let name = Stack::of(scope)
            .map(|s| {
                s.split_arn(arn.clone(), ArnFormat::SlashResourceName)
                    .resource
            })
            .unwrap_or_default();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.codepipeline.ImportedPipeline",
            ResourceProps {
                environment_from_arn: Some(arn.clone()),
                ..Default::default()
            },
        );
        ImportedPipeline {
            base,
            arn,
            name,
            events_role: Rc::default(),
        }
    }

    /// Adds a pipeline-level variable (V2 pipelines only; a duplicate name is a synth error).
    pub fn add_variable(&self, variable: Variable) {
        let name = variable.variable_name().to_string();
        if self
            .state
            .borrow()
            .variables
            .iter()
            .any(|v| v.variable_name() == name)
        {
            self.node().add_error(&format!(
                "Variable with duplicate name '{name}' added to the Pipeline"
            ));
            return;
        }
        self.state.borrow_mut().variables.push(variable);
    }

    /// Adds a trigger (V2 pipelines only; one per source action, else a synth error).
    pub fn add_trigger(&self, trigger: TriggerProps) {
        if let Some(name) = trigger.source_action_name() {
            if self
                .state
                .borrow()
                .triggers
                .iter()
                .any(|t| t.source_action_name().as_deref() == Some(name.as_str()))
            {
                self.node().add_error(&format!(
                    "Trigger with duplicate source action '{name}' added to the Pipeline"
                ));
                return;
            }
        }
        self.state.borrow_mut().triggers.push(trigger);
    }

    /// Adds a stage after the existing ones and returns a handle to it. A duplicate or
    /// invalid name is a synth error on the pipeline.
    pub fn add_stage(&self, props: StageProps) -> Stage {
        let name = props.stage_name.clone();
        let handle = Stage {
            pipeline: self.clone(),
            name: name.clone(),
        };
        if self.state.borrow().stages.iter().any(|s| s.name == name) {
            self.node().add_error(&format!(
                "Stage with duplicate name '{name}' added to the Pipeline"
            ));
            return handle;
        }
        let errors = name_errors("Stage", &name);
        for e in &errors {
            self.node().add_error(e);
        }
        let scope_id = if errors.is_empty() || !name.is_empty() && !name.contains('/') {
            name.clone()
        } else {
            format!("InvalidStage{}", self.state.borrow().stages.len())
        };
        let scope = Node::new(self.node(), &scope_id);
        self.state.borrow_mut().stages.push(StageData {
            name: name.clone(),
            scope,
            actions: Vec::new(),
            transition_to_enabled: props.transition_to_enabled.unwrap_or(true),
            transition_disabled_reason: props
                .transition_disabled_reason
                .unwrap_or_else(|| "Transition disabled".into()),
        });
        for action in props.actions {
            self.add_action_to(&name, action);
        }
        handle
    }

    fn add_action_to(&self, stage_name: &str, action: Box<dyn IAction>) {
        let props = action.action_properties();
        let name = props.action_name.clone();
        let stage_scope = {
            let state = self.state.borrow();
            let Some(stage) = state.stages.iter().find(|s| s.name == stage_name) else {
                drop(state);
                self.node().add_error(&format!(
                    "Pipeline does not contain a stage named '{stage_name}'"
                ));
                return;
            };
            if stage.actions.iter().any(|a| a.props.action_name == name) {
                let scope = stage.scope.clone();
                drop(state);
                scope.add_error(&format!(
                    "Stage {stage_name} already contains an action with name '{name}'"
                ));
                return;
            }
            stage.scope.clone()
        };
        for e in &name_errors("Action", &name) {
            stage_scope.add_error(e);
        }
        let rendered_name = action.rendered_name();
        let scope_id = if rendered_name.as_ref().is_some_and(|n| n.is_token()) {
            // aws-cdk-lib's `findUniqueConstructId(stage, provider)` for a token name.
            let mut id = props.provider.clone();
            let mut ctr = 1;
            while stage_scope.try_find_child(&id).is_some() {
                ctr += 1;
                id = format!("{}{ctr}", props.provider);
            }
            id
        } else if name.is_empty() || name.contains('/') {
            format!("{}{}", props.provider, self.action_count(stage_name) + 1)
        } else {
            name.clone()
        };
        let action_scope = stage_scope
            .try_find_child(&scope_id)
            .unwrap_or_else(|| Node::new(&stage_scope, &scope_id));
        if let Some(region) = props.effective_region() {
            let pipeline_region = self.base.env().region;
            if !same_as_pipeline(Some(&region), &pipeline_region) {
                action_scope.add_error(&format!(
                    "action '{}' is in region {:?} but the pipeline is in {:?}: cross-region actions (replication buckets) are not supported",
                    props.action_name,
                    region.literal().unwrap_or("?"),
                    pipeline_region.literal().unwrap_or("?")
                ));
            }
        }
        let role = self.role_for_action(stage_name, &props, &action_scope);
        let namespace = action.namespace().unwrap_or_else(|| {
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref())
        });
        if let Some(given) = namespace.customer_provided() {
            for e in namespace_name_errors(given) {
                self.node().add_error(&e);
            }
        }
        namespace.bind(stage_name);
        let options = ActionBindOptions {
            role: role.clone().unwrap_or_else(|| self.role.clone()),
            bucket: self.bucket.clone(),
        };
        let ctx = StageContext {
            stage_name: stage_name.to_string(),
            pipeline: self.clone(),
        };
        let config = action.bind(&action_scope, &ctx, &options);
        let commands = action.commands();
        let output_variables = action.output_variables();
        let mut state = self.state.borrow_mut();
        if let Some(stage) = state.stages.iter_mut().find(|s| s.name == stage_name) {
            let role = props.role.clone().or(role);
            stage.actions.push(ActionDescriptor {
                props,
                config,
                role,
                rendered_name,
                namespace,
                commands,
                output_variables,
            });
        }
    }

    fn action_count(&self, stage_name: &str) -> usize {
        self.state
            .borrow()
            .stages
            .iter()
            .find(|s| s.name == stage_name)
            .map_or(0, |s| s.actions.len())
    }

    /// aws-cdk-lib's `getRoleForAction`: the action's role; for a cross-account action
    /// without one, a role in the action's account; for the pipeline's account a new
    /// `CodePipelineActionRole` (unless the pipeline role runs every action). The pipeline
    /// role may assume it.
    fn role_for_action(
        &self,
        stage_name: &str,
        props: &ActionProperties,
        scope: &Node,
    ) -> Option<Rc<dyn IRole>> {
        let pipeline_stack = Stack::of(self)?;
        let mut role = self.role_from_props_or_cross_account(stage_name, props, scope);
        let aws_owned = props.owner.as_deref().is_none_or(|o| o == "AWS");
        if role.is_none() && aws_owned {
            if self.use_pipeline_role_for_actions {
                return None;
            }
            let reduce = feature_flags::is_enabled(self, PIPELINE_REDUCE_STAGE_ROLE_TRUST_SCOPE);
            let assumed_by: Box<dyn IPrincipal> = if reduce {
                Box::new(ArnPrincipal::new(self.role.role_arn()))
            } else {
                Box::new(AccountPrincipal::new(pipeline_stack.account()))
            };
            role = Some(Rc::new(Role::new(
                scope,
                "CodePipelineActionRole",
                RoleProps {
                    assumed_by,
                    ..RoleProps::assumed_by(ServicePrincipal::new("unused"))
                },
            )));
        }
        if let Some(r) = &role {
            let grant = r.grant_assume_role(self.role.as_ref());
            grant.apply_before(&[&self.resource]);
        }
        role
    }

    fn role_from_props_or_cross_account(
        &self,
        stage_name: &str,
        props: &ActionProperties,
        scope: &Node,
    ) -> Option<Rc<dyn IRole>> {
        let pipeline_stack = Stack::of(self)?;
        let env = self.base.env();
        let cross_account = !same_as_pipeline(props.effective_account().as_ref(), &env.account);
        if cross_account && self.bucket.encryption_key().is_none() {
            scope.add_error(&format!(
                "Artifact Bucket must have a KMS Key to add cross-account action '{}' (pipeline account: '{}', action account: '{}'). Create Pipeline with 'crossAccountKeys: true' (or pass an existing Bucket with a key)",
                props.action_name,
                env.account.literal().unwrap_or("(current)"),
                props
                    .effective_account()
                    .as_ref()
                    .and_then(Str::literal)
                    .unwrap_or("(current)"),
            ));
        }
        if let Some(role) = &props.role {
            if props.owner.as_deref().is_some_and(|o| o != "AWS") {
                scope.add_error(&format!(
                    "Specifying a Role is not supported for actions with an owner different than 'AWS' - got '{}' (Action: '{}' in Stage: '{stage_name}')",
                    props.owner.as_deref().unwrap_or_default(),
                    props.action_name
                ));
                return None;
            }
            if let Some(created) = role.as_role() {
                if let Some(role_stack) = Stack::of(&created) {
                    if role_stack != pipeline_stack {
                        pipeline_stack.add_dependency(
                            &role_stack,
                            "the pipeline assumes an action role of this stack",
                        );
                    }
                }
            }
            return Some(role.clone());
        }
        let other = self.other_stack_if_cross_account(props, scope)?;
        let remove_root =
            feature_flags::is_enabled(self, PIPELINE_REDUCE_CROSS_ACCOUNT_ACTION_ROLE_TRUST_SCOPE);
        let base_principal = AccountPrincipal::new(pipeline_stack.account());
        let assumed_by: Box<dyn IPrincipal> = if remove_root {
            Box::new(base_principal.with_conditions(BTreeMap::from([(
                "ArnEquals".to_string(),
                BTreeMap::from([(
                    "aws:PrincipalArn".to_string(),
                    self.role.role_arn().into_value(),
                )]),
            )])))
        } else {
            Box::new(base_principal)
        };
        let role = Role::new(
            &other,
            &format!(
                "{}-{stage_name}-{}-ActionRole",
                Names::unique_id(self),
                props.action_name
            ),
            RoleProps {
                role_name: Some(PhysicalName::GENERATE_IF_NEEDED),
                assumed_by,
                ..RoleProps::assumed_by(ServicePrincipal::new("unused"))
            },
        );
        pipeline_stack.add_dependency(&other, "the pipeline assumes a role of this account");
        Some(Rc::new(role))
    }

    /// aws-cdk-lib's `getOtherStackIfActionIsCrossAccount`: the stack of the action's
    /// resource when it is of the target account, else `cross-account-support-stack-<account>`.
    fn other_stack_if_cross_account(
        &self,
        props: &ActionProperties,
        scope: &Node,
    ) -> Option<Stack> {
        let target = match &props.resource {
            Some(r) => r.account.clone(),
            None => Str::from(props.account.clone()?),
        };
        let pipeline_account = self.base.env().account;
        if target.is_token() {
            if pipeline_account.is_token() {
                return None;
            }
            scope.add_error(&format!(
                "The 'account' property must be a concrete value (action: '{}')",
                props.action_name
            ));
            return None;
        }
        if pipeline_account.is_token() {
            scope.add_error("Pipeline stack which uses cross-environment actions must have an explicitly set account");
            return None;
        }
        let target = target.literal().unwrap_or_default().to_string();
        if pipeline_account.literal() == Some(target.as_str()) {
            return None;
        }
        if let Some(r) = &props.resource {
            if r.stack.account().literal() == Some(target.as_str()) {
                self.state
                    .borrow_mut()
                    .cross_account_support
                    .push((target, r.stack.clone()));
                return Some(r.stack.clone());
            }
        }
        if let Some((_, s)) = self
            .state
            .borrow()
            .cross_account_support
            .iter()
            .find(|(a, _)| *a == target)
        {
            return Some(s.clone());
        }
        let app = self.node().root();
        let stack_id = format!("cross-account-support-stack-{target}");
        let stack = match app
            .try_find_child(&stack_id)
            .and_then(|n| Stack::from_node(&n))
        {
            Some(s) => s,
            None => {
                let pipeline_stack = Stack::of(self)?;
                let region = props
                    .effective_region()
                    .unwrap_or_else(|| pipeline_stack.region());
                Stack::new(
                    &app,
                    &stack_id,
                    StackProps {
                        stack_name: Some(format!(
                            "{}-support-{target}",
                            pipeline_stack.stack_name()
                        )),
                        env: Some(cdk_core::Environment {
                            account: Some(target.clone()),
                            region: region.literal().map(str::to_string),
                        }),
                        ..Default::default()
                    },
                )
            }
        };
        self.state
            .borrow_mut()
            .cross_account_support
            .push((target, stack.clone()));
        Some(stack)
    }

    /// The pipeline role.
    pub fn role(&self) -> Rc<dyn IRole> {
        self.role.clone()
    }

    /// The artifact bucket.
    pub fn artifact_bucket(&self) -> Rc<dyn IBucket> {
        self.bucket.clone()
    }

    /// The pipeline's name (`Ref` here; the physical name from another account or region).
    pub fn pipeline_name(&self) -> Str {
        self.name.clone()
    }

    /// The pipeline's ARN (`arn:PARTITION:codepipeline:REGION:ACCOUNT:NAME`).
    pub fn pipeline_arn(&self) -> Str {
        IPipeline::pipeline_arn(self)
    }

    /// The pipeline's version (`Fn::GetAtt Version`).
    pub fn pipeline_version(&self) -> Str {
        self.resource.attr_version()
    }

    /// Adds a statement to the pipeline role's policy.
    pub fn add_to_role_policy(&self, statement: PolicyStatement) {
        self.role.add_to_policy(statement);
    }

    /// The stage names, in order.
    pub fn stage_names(&self) -> Vec<String> {
        self.state
            .borrow()
            .stages
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// The action names of a stage, in order.
    pub fn action_names(&self, stage_name: &str) -> Vec<String> {
        self.state
            .borrow()
            .stages
            .iter()
            .find(|s| s.name == stage_name)
            .map(|s| {
                s.actions
                    .iter()
                    .map(|a| a.props.action_name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The role EventBridge uses to start this pipeline (see [`IPipeline::events_role`]).
    pub fn events_role(&self) -> Role {
        IPipeline::events_role(self)
    }

    /// The stacks holding cross-account action roles, by account.
    pub fn cross_account_support(&self) -> Vec<(String, Stack)> {
        self.state.borrow().cross_account_support.clone()
    }

    /// The stack the pipeline is defined in.
    pub fn stack(&self) -> Option<Stack> {
        self.base.stack()
    }

    /// The underlying `AWS::CodePipeline::Pipeline`.
    pub fn cfn(&self) -> &CfnPipeline {
        &self.resource
    }
}

fn events_role_in(scope: &Node, slot: &RefCell<Option<Role>>) -> Role {
    if let Some(r) = slot.borrow().clone() {
        return r;
    }
    let r = Role::new(
        scope,
        "EventsRole",
        RoleProps {
            role_name: Some(PhysicalName::GENERATE_IF_NEEDED),
            ..RoleProps::assumed_by(ServicePrincipal::new("events.amazonaws.com"))
        },
    );
    *slot.borrow_mut() = Some(r.clone());
    r
}

impl IPipeline for Pipeline {
    fn pipeline_arn(&self) -> Str {
        match self.stack() {
            Some(s) => s.format_arn(ArnComponents::new("codepipeline", self.pipeline_name())),
            None => self.pipeline_name(),
        }
    }
    fn pipeline_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn events_role(&self) -> Role {
        let slot = RefCell::new(self.state.borrow().events_role.clone());
        let role = events_role_in(self.node(), &slot);
        self.state.borrow_mut().events_role = Some(role.clone());
        role
    }
}

/// A pipeline defined outside this app ([`Pipeline::from_pipeline_arn`]).
#[derive(Clone)]
pub struct ImportedPipeline {
    base: Resource,
    arn: Str,
    name: Str,
    events_role: Rc<RefCell<Option<Role>>>,
}

impl IConstruct for ImportedPipeline {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IPipeline for ImportedPipeline {
    fn pipeline_arn(&self) -> Str {
        self.arn.clone()
    }
    fn pipeline_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn events_role(&self) -> Role {
        events_role_in(self.node(), &self.events_role)
    }
}

/// The alias of the default artifact key (aws-cdk-lib's
/// `generateNameForDefaultBucketKeyAlias`).
fn default_key_alias(pipeline: &Node) -> String {
    let prefix = "alias/codepipeline-";
    let max = 256 - prefix.len();
    let unique = if feature_flags::is_enabled(
        pipeline,
        CODEPIPELINE_CROSS_ACCOUNT_KEY_ALIAS_STACK_SAFE_RESOURCE_NAME,
    ) {
        Names::unique_resource_name(
            pipeline,
            &UniqueResourceNameOptions {
                separator: "-".into(),
                max_length: max,
                allowed_special_characters: "/_-".into(),
            },
        )
    } else {
        let id = Names::unique_id(pipeline);
        let chars: Vec<char> = id.chars().collect();
        chars[chars.len().saturating_sub(max)..].iter().collect()
    };
    format!("{prefix}{}", unique.to_lowercase())
}

/// Names unnamed output artifacts `Artifact_<stage>_<action>[_<n>]` (without `@` and `.`).
fn name_artifacts(state: &PipelineState) {
    for stage in &state.stages {
        for action in &stage.actions {
            let unnamed: Vec<&Artifact> = action
                .props
                .outputs
                .iter()
                .filter(|a| a.artifact_name().is_none())
                .collect();
            let count = unnamed.len();
            for (i, artifact) in unnamed.into_iter().enumerate() {
                let mut name = format!("Artifact_{}_{}", stage.name, action.props.action_name);
                if count > 1 {
                    name.push_str(&format!("_{}", i + 1));
                }
                artifact.set_name_if_unset(sanitize_artifact_name(&name));
            }
        }
    }
}

/// aws-cdk-lib's `sanitizeArtifactName`: characters other than `A-Za-z0-9_-` removed.
fn sanitize_artifact_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// Each artifact once (by name; unnamed ones by identity), as aws-cdk-lib's
/// `deduplicateArtifacts`.
fn dedupe(artifacts: &[Artifact]) -> Vec<Artifact> {
    let mut out: Vec<Artifact> = Vec::new();
    for a in artifacts {
        let seen = match a.artifact_name() {
            Some(n) => out
                .iter()
                .any(|o| o.artifact_name().as_deref() == Some(n.as_str())),
            None => out.contains(a),
        };
        if !seen {
            out.push(a.clone());
        }
    }
    out
}

fn render_stages(
    state: &Rc<RefCell<PipelineState>>,
) -> Vec<cfn_pipeline::StageDeclarationProperty> {
    let state = state.borrow();
    name_artifacts(&state);
    state
        .stages
        .iter()
        .map(|stage| {
            let actions = stage
                .actions
                .iter()
                .map(|a| {
                    let p = &a.props;
                    let inputs: Vec<cfn_pipeline::InputArtifactProperty> = dedupe(&p.inputs)
                        .iter()
                        .filter_map(Artifact::artifact_name)
                        .map(cfn_pipeline::InputArtifactProperty::new)
                        .collect();
                    let outputs: Vec<cfn_pipeline::OutputArtifactProperty> = dedupe(&p.outputs)
                        .iter()
                        .filter_map(|a| {
                            let files = a.artifact_files();
                            a.artifact_name()
                                .map(|n| cfn_pipeline::OutputArtifactProperty {
                                    files: (!files.is_empty()).then(|| {
                                        files.iter().map(String::as_str).collect::<Vec<_>>().into()
                                    }),
                                    ..cfn_pipeline::OutputArtifactProperty::new(n)
                                })
                        })
                        .collect();
                    cfn_pipeline::ActionDeclarationProperty {
                        commands: (!a.commands.is_empty()).then(|| {
                            a.commands
                                .iter()
                                .map(String::as_str)
                                .collect::<Vec<_>>()
                                .into()
                        }),
                        output_variables: (!a.output_variables.is_empty()).then(|| {
                            a.output_variables
                                .iter()
                                .map(String::as_str)
                                .collect::<Vec<_>>()
                                .into()
                        }),
                        configuration: a.config.configuration.clone(),
                        input_artifacts: (!inputs.is_empty()).then_some(inputs),
                        output_artifacts: (!outputs.is_empty()).then_some(outputs),
                        role_arn: a.role.as_ref().map(|r| r.role_arn()),
                        run_order: Some(p.run_order.unwrap_or(1).into()),
                        namespace: a.namespace.rendered(),
                        timeout_in_minutes: p.timeout_minutes.map(Into::into),
                        ..cfn_pipeline::ActionDeclarationProperty::new(
                            cfn_pipeline::ActionTypeIdProperty::new(
                                p.category.as_str(),
                                p.owner.clone().unwrap_or_else(|| "AWS".into()),
                                p.provider.as_str(),
                                p.version.clone().unwrap_or_else(|| "1".into()),
                            ),
                            a.rendered_name
                                .clone()
                                .unwrap_or_else(|| Str::from(p.action_name.as_str())),
                        )
                    }
                })
                .collect::<Vec<_>>();
            cfn_pipeline::StageDeclarationProperty::new(actions, stage.name.as_str())
        })
        .collect()
}

fn validate_pipeline(state: &Rc<RefCell<PipelineState>>) -> Vec<String> {
    let mut errors = validate_variables_and_triggers(&state.borrow());
    errors.extend(validate_stages(state));
    errors
}

/// aws-cdk-lib's `validateVariables`/`validateTriggers` and the checks of each.
fn validate_variables_and_triggers(state: &PipelineState) -> Vec<String> {
    let mut errors: Vec<String> = Vec::new();
    for v in &state.variables {
        errors.extend(v.errors());
    }
    for t in &state.triggers {
        errors.extend(t.errors());
    }
    if !state.variables.is_empty() && !state.is_v2 {
        errors.push("Pipeline variables can only be used with V2 pipelines, `PipelineType.V2` must be specified for `pipelineType`".into());
    }
    if !state.triggers.is_empty() && !state.is_v2 {
        errors.push("Triggers can only be used with V2 pipelines, `PipelineType.V2` must be specified for `pipelineType`".into());
    }
    errors
}

fn validate_stages(state: &Rc<RefCell<PipelineState>>) -> Vec<String> {
    let state = state.borrow();
    name_artifacts(&state);
    let mut errors = Vec::new();
    // Source actions only (and always) in the first stage.
    for (i, stage) in state.stages.iter().enumerate() {
        for a in &stage.actions {
            let is_source = a.props.category == ActionCategory::Source;
            if i == 0 && !is_source {
                errors.push(format!(
                    "Action {} in stage {}: first stage may only contain Source actions",
                    a.props.action_name, stage.name
                ));
            } else if i > 0 && is_source {
                errors.push(format!(
                    "Action {} in stage {}: Source actions may only occur in first stage",
                    a.props.action_name, stage.name
                ));
            }
        }
    }
    if state.stages.len() < 2 {
        errors.push("Pipeline must have at least two stages".into());
    }
    for stage in &state.stages {
        if stage.actions.is_empty() {
            errors.push(format!(
                "Stage '{}' must have at least one action",
                stage.name
            ));
        }
        for a in &stage.actions {
            let b = a.props.artifact_bounds;
            let what = format!("{}/{}", a.props.category.as_str(), a.props.provider);
            for (kind, n, min, max) in [
                ("input", a.props.inputs.len(), b.min_inputs, b.max_inputs),
                (
                    "output",
                    a.props.outputs.len(),
                    b.min_outputs,
                    b.max_outputs,
                ),
            ] {
                if n < min {
                    errors.push(format!(
                        "{what} must have at least {min} {kind} artifacts (action '{}')",
                        a.props.action_name
                    ));
                }
                if n > max {
                    errors.push(format!(
                        "{what} cannot have more than {max} {kind} artifacts (action '{}')",
                        a.props.action_name
                    ));
                }
            }
        }
    }
    // Every artifact is produced once, before it is consumed.
    let mut producers: BTreeMap<String, (usize, u32, String, String)> = BTreeMap::new();
    for (si, stage) in state.stages.iter().enumerate() {
        for a in &stage.actions {
            for out in &a.props.outputs {
                let Some(name) = out.artifact_name() else {
                    continue;
                };
                errors.extend(artifact_name_errors(&name));
                if let Some(p) = producers.get(&name) {
                    errors.push(format!(
                        "Both Actions '{}' and '{}' are producting Artifact '{name}'. Every artifact can only be produced once.",
                        p.3, a.props.action_name
                    ));
                    continue;
                }
                producers.insert(
                    name,
                    (
                        si,
                        a.props.run_order.unwrap_or(1),
                        stage.name.clone(),
                        a.props.action_name.clone(),
                    ),
                );
            }
        }
    }
    for (si, stage) in state.stages.iter().enumerate() {
        for a in &stage.actions {
            let run_order = a.props.run_order.unwrap_or(1);
            for input in &a.props.inputs {
                let Some(name) = input.artifact_name() else {
                    errors.push(format!(
                        "Action '{}' is using an unnamed input Artifact, which is not being produced in this pipeline",
                        a.props.action_name
                    ));
                    continue;
                };
                match producers.get(&name) {
                    None => errors.push(format!(
                        "Action '{}' is using input Artifact '{name}', which is not being produced in this pipeline",
                        a.props.action_name
                    )),
                    Some((psi, pro, pstage, paction)) => {
                        let produced_before = *psi < si || (*psi == si && *pro < run_order);
                        if !produced_before {
                            errors.push(format!(
                                "Stage {} Action {run_order} ('{}'/'{}') is consuming input Artifact '{name}' before it is being produced at Stage {} Action {pro} ('{pstage}'/'{paction}')",
                                si + 1,
                                stage.name,
                                a.props.action_name,
                                psi + 1
                            ));
                        }
                    }
                }
            }
        }
    }
    errors
}

mod action_variables;
mod variables_triggers;
pub use action_variables::*;
pub use variables_triggers::*;

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::codepipeline::*;
