//! CodePipeline: pipelines with stages, artifacts, an artifact bucket (with a KMS key for
//! cross-account use), a pipeline role and per-action roles, wired as aws-cdk-lib wires them.
//! The actions themselves are in [`crate::codepipeline_actions`].
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

use cdk_core::{Aws, CfnResource, IConstruct, Node, RemovalPolicy, Stack, Str, Value};

use crate::events::env::{different_env_dimension, unique_resource_name};
use crate::iam::{
    AccountPrincipal, IPrincipal, ImportedRole, PolicyStatement, PrincipalFragment, Role,
    RoleProps, ServicePrincipal,
};
use crate::kms::{Key, KeyProps};
use crate::s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps};

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

#[derive(Debug, Default)]
struct ArtifactInner {
    name: RefCell<Option<String>>,
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
        }))
    }

    /// An artifact whose name the pipeline chooses.
    pub fn unnamed() -> Artifact {
        Artifact::default()
    }

    /// The name, once known.
    pub fn artifact_name(&self) -> Option<String> {
        self.0.name.borrow().clone()
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

/// A role an action runs with: one created in this app, or an imported one.
#[derive(Clone)]
pub enum RoleRef {
    /// A role defined in this app.
    Created(Role),
    /// An existing role ([`Role::from_role_arn`]).
    Imported(ImportedRole),
}

impl From<Role> for RoleRef {
    fn from(r: Role) -> Self {
        RoleRef::Created(r)
    }
}
impl From<&Role> for RoleRef {
    fn from(r: &Role) -> Self {
        RoleRef::Created(r.clone())
    }
}
impl From<ImportedRole> for RoleRef {
    fn from(r: ImportedRole) -> Self {
        RoleRef::Imported(r)
    }
}
impl From<&ImportedRole> for RoleRef {
    fn from(r: &ImportedRole) -> Self {
        RoleRef::Imported(r.clone())
    }
}

impl IConstruct for RoleRef {
    fn node(&self) -> &Node {
        match self {
            RoleRef::Created(r) => r.node(),
            RoleRef::Imported(r) => r.node(),
        }
    }
}

impl RoleRef {
    /// The role's ARN.
    pub fn role_arn(&self) -> Str {
        match self {
            RoleRef::Created(r) => r.role_arn(),
            RoleRef::Imported(r) => r.role_arn(),
        }
    }

    /// The account the role lives in (from its stack, or from the imported ARN).
    pub fn account(&self) -> Str {
        self.principal_account()
            .or_else(|| Stack::of(self.node()).map(|s| s.account()))
            .unwrap_or(Aws::ACCOUNT_ID)
    }

    /// Adds a statement to the role's policy (dropped for an immutable import).
    pub fn add_to_policy(&self, statement: PolicyStatement) {
        self.add_to_principal_policy(&statement);
    }

    /// The created role, if this is one.
    pub fn as_created(&self) -> Option<&Role> {
        match self {
            RoleRef::Created(r) => Some(r),
            RoleRef::Imported(_) => None,
        }
    }
}

impl IPrincipal for RoleRef {
    fn policy_fragment(&self) -> PrincipalFragment {
        match self {
            RoleRef::Created(r) => r.policy_fragment(),
            RoleRef::Imported(r) => r.policy_fragment(),
        }
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> bool {
        match self {
            RoleRef::Created(r) => r.add_to_principal_policy(statement),
            RoleRef::Imported(r) => r.add_to_principal_policy(statement),
        }
    }

    fn principal_account(&self) -> Option<Str> {
        match self {
            RoleRef::Created(r) => r.principal_account(),
            RoleRef::Imported(r) => r.principal_account(),
        }
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
    /// The role the action runs with (default: a new `CodePipelineActionRole`).
    pub role: Option<RoleRef>,
    /// The account the action runs in, for actions not backed by a resource.
    pub account: Option<String>,
    /// The region the action runs in.
    pub region: Option<String>,
    /// The resource behind the action.
    pub resource: Option<ActionResource>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

/// What an action gets when it is bound to a pipeline.
#[derive(Clone)]
pub struct ActionBindOptions {
    /// The role the action runs with (the action role, or the pipeline role).
    pub role: RoleRef,
    /// The pipeline's artifact bucket.
    pub bucket: Bucket,
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PipelineType {
    /// V1.
    V1,
    /// V2 (aws-cdk-lib's default for new projects).
    #[default]
    V2,
}

/// Properties of a [`Pipeline`].
#[derive(Default)]
pub struct PipelineProps {
    /// Physical name (default generated by CloudFormation).
    pub pipeline_name: Option<String>,
    /// Artifact bucket (default: a new `ArtifactsBucket`).
    pub artifact_bucket: Option<Bucket>,
    /// Pipeline role (default: a new `Role` assumed by `codepipeline.amazonaws.com`).
    pub role: Option<Role>,
    /// Create the artifact bucket with a customer managed KMS key
    /// (`ArtifactsBucketEncryptionKey` and an alias), needed for cross-account actions.
    /// Implied when an action of `stages` runs in another account.
    pub cross_account_keys: bool,
    /// Rotate that key yearly (requires `cross_account_keys`).
    pub enable_key_rotation: bool,
    /// Restart the pipeline when it is updated.
    pub restart_execution_on_update: bool,
    /// Pipeline type (default V2).
    pub pipeline_type: PipelineType,
    /// Stages, in order (more can be added with [`Pipeline::add_stage`]).
    pub stages: Vec<StageProps>,
}

struct ActionDescriptor {
    props: ActionProperties,
    config: ActionConfig,
    role_arn: Option<Str>,
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
}

/// A CodePipeline pipeline with its role and artifact bucket.
#[derive(Clone)]
pub struct Pipeline {
    node: Node,
    resource: CfnResource,
    role: Role,
    bucket: Bucket,
    state: Rc<RefCell<PipelineState>>,
}

impl IConstruct for Pipeline {
    fn node(&self) -> &Node {
        &self.node
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

/// Whether the action certainly runs in another account than the pipeline.
fn action_account(props: &ActionProperties) -> Option<Str> {
    props
        .role
        .as_ref()
        .map(RoleRef::account)
        .or_else(|| props.resource.as_ref().map(|r| r.account.clone()))
        .or_else(|| props.account.clone().map(Str::from))
}

impl Pipeline {
    /// Defines a pipeline `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: PipelineProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.codepipeline.Pipeline");
        if let Some(name) = &props.pipeline_name {
            for e in name_errors("Pipeline", name) {
                node.add_error(&e);
            }
        }
        let stack = Stack::of(&node);
        let pipeline_account = stack
            .as_ref()
            .map(Stack::account)
            .unwrap_or(Aws::ACCOUNT_ID);
        let implied_cross_account = props.stages.iter().any(|s| {
            s.actions.iter().any(|a| {
                action_account(&a.action_properties())
                    .is_some_and(|acct| different_env_dimension(&acct, &pipeline_account))
            })
        });
        let cross_account_keys = props.cross_account_keys || implied_cross_account;
        if props.enable_key_rotation && !cross_account_keys {
            node.add_error(
                "Setting 'enable_key_rotation' to true also requires 'cross_account_keys' to be enabled",
            );
        }
        let bucket = match props.artifact_bucket {
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
                    let alias = format!(
                        "alias/codepipeline-{}",
                        unique_resource_name(&node, "-", 256 - 19, "/_-").to_lowercase()
                    );
                    let alias_res = CfnAlias::new(
                        &Node::new(&node, "ArtifactsBucketEncryptionKeyAlias"),
                        "Resource",
                        CfnAliasProps {
                            alias_name: alias.into(),
                            target_key_id: key.key_arn(),
                        },
                    );
                    alias_res
                        .resource()
                        .apply_removal_policy(RemovalPolicy::Destroy);
                    key
                });
                Bucket::new(
                    &node,
                    "ArtifactsBucket",
                    BucketProps {
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
                )
            }
        };
        let role = props.role.unwrap_or_else(|| {
            Role::new(
                &node,
                "Role",
                RoleProps::assumed_by(ServicePrincipal::new("codepipeline.amazonaws.com")),
            )
        });
        let state = Rc::new(RefCell::new(PipelineState {
            stages: Vec::new(),
            events_role: None,
        }));
        let mut properties: BTreeMap<String, Value> = BTreeMap::new();
        let mut store = BTreeMap::from([
            ("Location".to_string(), bucket.bucket_name().into_value()),
            ("Type".to_string(), Value::from("S3")),
        ]);
        if let Some(key) = bucket.encryption_key() {
            store.insert(
                "EncryptionKey".into(),
                Value::object([("Id", key.key_arn().into_value()), ("Type", "KMS".into())]),
            );
        }
        properties.insert("ArtifactStore".into(), Value::Map(store.into()));
        if let Some(name) = &props.pipeline_name {
            properties.insert("Name".into(), name.as_str().into());
        }
        properties.insert(
            "PipelineType".into(),
            match props.pipeline_type {
                PipelineType::V1 => "V1",
                PipelineType::V2 => "V2",
            }
            .into(),
        );
        if props.restart_execution_on_update {
            properties.insert("RestartExecutionOnUpdate".into(), true.into());
        }
        properties.insert("RoleArn".into(), role.role_arn().into_value());
        let for_stages = state.clone();
        properties.insert(
            "Stages".into(),
            Value::lazy(move || render_stages(&for_stages)),
        );
        let for_transitions = state.clone();
        properties.insert(
            "DisableInboundStageTransitions".into(),
            Value::lazy(move || {
                let s = for_transitions.borrow();
                let disabled: Vec<Value> = s
                    .stages
                    .iter()
                    .filter(|st| !st.transition_to_enabled)
                    .map(|st| {
                        Value::object([
                            ("Reason", st.transition_disabled_reason.as_str()),
                            ("StageName", st.name.as_str()),
                        ])
                    })
                    .collect();
                if disabled.is_empty() {
                    Value::Null
                } else {
                    Value::List(disabled)
                }
            }),
        );
        let resource = crate::generated::runtime::new_resource(
            &node,
            "Resource",
            &crate::generated::runtime::ResourceInfo {
                type_name: CfnPipeline::CFN_RESOURCE_TYPE_NAME,
                fqn: "cdk-constructs.codepipeline.CfnPipeline",
                tagging: CfnPipeline::TAGGING,
                validation: Some(&cfn_pipeline::VALIDATION),
            },
            properties.into(),
        );
        resource.node().add_dependency(&role);
        bucket.grant_read_write(&role);
        let pipeline = Pipeline {
            node,
            resource,
            role,
            bucket,
            state,
        };
        for stage in props.stages {
            pipeline.add_stage(stage);
        }
        let for_validation = pipeline.state.clone();
        pipeline
            .node
            .add_validation(move || validate_pipeline(&for_validation));
        pipeline
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
            self.node.add_error(&format!(
                "Stage with duplicate name '{name}' added to the Pipeline"
            ));
            return handle;
        }
        let errors = name_errors("Stage", &name);
        for e in &errors {
            self.node.add_error(e);
        }
        let scope_id = if errors.is_empty() || !name.is_empty() && !name.contains('/') {
            name.clone()
        } else {
            format!("InvalidStage{}", self.state.borrow().stages.len())
        };
        let scope = Node::new(&self.node, &scope_id);
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
                self.node.add_error(&format!(
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
        let name_problems = name_errors("Action", &name);
        for e in &name_problems {
            stage_scope.add_error(e);
        }
        let scope_id = if name.is_empty() || name.contains('/') {
            format!("{}{}", props.provider, self.action_count(stage_name) + 1)
        } else {
            name.clone()
        };
        let action_scope = stage_scope
            .try_find_child(&scope_id)
            .unwrap_or_else(|| Node::new(&stage_scope, &scope_id));
        let role = self.role_for_action(&props, &action_scope);
        if let Some(r) = &role {
            // The pipeline role assumes the action role.
            self.role.add_to_policy(
                PolicyStatement::new()
                    .action("sts:AssumeRole")
                    .resource(r.role_arn()),
            );
        }
        let options = ActionBindOptions {
            role: role
                .clone()
                .unwrap_or_else(|| RoleRef::Created(self.role.clone())),
            bucket: self.bucket.clone(),
        };
        let ctx = StageContext {
            stage_name: stage_name.to_string(),
            pipeline: self.clone(),
        };
        let config = action.bind(&action_scope, &ctx, &options);
        let role_arn = role.map(|r| r.role_arn());
        let mut state = self.state.borrow_mut();
        if let Some(stage) = state.stages.iter_mut().find(|s| s.name == stage_name) {
            stage.actions.push(ActionDescriptor {
                props,
                config,
                role_arn,
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

    /// The role an action runs with, as aws-cdk-lib chooses it: the given role (a created
    /// role's stack must deploy first), or a new `CodePipelineActionRole` assumable by this
    /// account for actions in this account. Cross-account actions need a role in their
    /// account (this library does not generate support stacks).
    fn role_for_action(&self, props: &ActionProperties, scope: &Node) -> Option<RoleRef> {
        let pipeline_stack = Stack::of(&self.node)?;
        let pipeline_account = pipeline_stack.account();
        let owner_is_aws = props.owner.as_deref().is_none_or(|o| o == "AWS");
        let effective = action_account(props);
        let cross_account = effective
            .as_ref()
            .is_some_and(|a| different_env_dimension(a, &pipeline_account));
        if cross_account && self.bucket.encryption_key().is_none() {
            scope.add_error(&format!(
                "Artifact Bucket must have a KMS Key to add cross-account action '{}' (pipeline account: '{}', action account: '{}'). Create Pipeline with 'cross_account_keys: true' (or pass an existing Bucket with a key)",
                props.action_name,
                pipeline_account.literal().unwrap_or("(current)"),
                effective.as_ref().and_then(Str::literal).unwrap_or("(current)"),
            ));
        }
        if let Some(region) = &props.region {
            let pipeline_region = pipeline_stack.region();
            if different_env_dimension(&Str::from(region.as_str()), &pipeline_region) {
                scope.add_error(&format!(
                    "action '{}' is in region {region} but the pipeline is in {}: cross-region actions (replication buckets) are not supported",
                    props.action_name,
                    pipeline_region.literal().unwrap_or("(current)")
                ));
            }
        }
        if let Some(role) = &props.role {
            if !owner_is_aws {
                scope.add_error(&format!(
                    "Specifying a Role is not supported for actions with an owner different than 'AWS' - got '{}' (Action: '{}')",
                    props.owner.as_deref().unwrap_or_default(),
                    props.action_name
                ));
                return None;
            }
            if let RoleRef::Created(r) = role {
                if let Some(role_stack) = Stack::of(r) {
                    if role_stack != pipeline_stack {
                        if different_env_dimension(&role_stack.account(), &pipeline_account) {
                            scope.add_error(&format!(
                                "the role of action '{}' is created in stack '{}' of another account; a pipeline cannot reference it across accounts: import it with Role::from_role_arn(.., FromRoleArnOptions {{ mutable: false }}) and give it its permissions in its own stack",
                                props.action_name,
                                role_stack.node().path()
                            ));
                        }
                        pipeline_stack.add_dependency(
                            &role_stack,
                            "the pipeline assumes an action role of this stack",
                        );
                    }
                }
            }
            return Some(role.clone());
        }
        if cross_account {
            scope.add_error(&format!(
                "action '{}' runs in account {} but has no role: pass `role`, a role in that account that trusts account {} (e.g. Role::from_role_arn(.., FromRoleArnOptions {{ mutable: false }}))",
                props.action_name,
                effective.as_ref().and_then(Str::literal).unwrap_or("?"),
                pipeline_account.literal().unwrap_or("(current)"),
            ));
            return None;
        }
        if !owner_is_aws {
            return None;
        }
        let role = Role::new(
            scope,
            "CodePipelineActionRole",
            RoleProps::assumed_by(AccountPrincipal::new(pipeline_account)),
        );
        Some(RoleRef::Created(role))
    }

    /// The pipeline role.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// The artifact bucket.
    pub fn artifact_bucket(&self) -> &Bucket {
        &self.bucket
    }

    /// The pipeline's name (`Ref`).
    pub fn pipeline_name(&self) -> Str {
        self.resource.ref_()
    }

    /// The pipeline's ARN (`arn:PARTITION:codepipeline:REGION:ACCOUNT:NAME`).
    pub fn pipeline_arn(&self) -> Str {
        let (region, account) = match Stack::of(&self.node) {
            Some(s) => (s.region(), s.account()),
            None => (Aws::REGION, Aws::ACCOUNT_ID),
        };
        Str::from("arn:")
            + Aws::PARTITION
            + ":codepipeline:"
            + region
            + ":"
            + account
            + ":"
            + self.pipeline_name()
    }

    /// The pipeline's version (`Fn::GetAtt Version`).
    pub fn pipeline_version(&self) -> Str {
        self.resource.get_att("Version")
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

    /// The role EventBridge uses to start this pipeline (`EventsRole`, created on first use).
    pub fn events_role(&self) -> Role {
        let existing = self.state.borrow().events_role.clone();
        match existing {
            Some(r) => r,
            None => {
                let r = Role::new(
                    &self.node,
                    "EventsRole",
                    RoleProps::assumed_by(ServicePrincipal::new("events.amazonaws.com")),
                );
                self.state.borrow_mut().events_role = Some(r.clone());
                r
            }
        }
    }

    /// The stack the pipeline is defined in.
    pub fn stack(&self) -> Option<Stack> {
        Stack::of(&self.node)
    }

    /// The underlying `AWS::CodePipeline::Pipeline`.
    pub fn cfn(&self) -> &CfnResource {
        &self.resource
    }
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
                artifact.set_name_if_unset(name.replace(['@', '.'], ""));
            }
        }
    }
}

fn render_artifacts(artifacts: &[Artifact]) -> Value {
    let list: Vec<Value> = artifacts
        .iter()
        .filter_map(Artifact::artifact_name)
        .map(|n| Value::object([("Name", n)]))
        .collect();
    if list.is_empty() {
        Value::Null
    } else {
        Value::List(list)
    }
}

fn render_stages(state: &Rc<RefCell<PipelineState>>) -> Value {
    let state = state.borrow();
    name_artifacts(&state);
    Value::list(state.stages.iter().map(|stage| {
        let actions = stage.actions.iter().map(|a| {
            let p = &a.props;
            let mut m: BTreeMap<String, Value> = BTreeMap::new();
            m.insert(
                "ActionTypeId".into(),
                Value::object([
                    ("Category", Value::from(p.category.as_str())),
                    (
                        "Owner",
                        p.owner.clone().unwrap_or_else(|| "AWS".into()).into(),
                    ),
                    ("Provider", p.provider.as_str().into()),
                    (
                        "Version",
                        p.version.clone().unwrap_or_else(|| "1".into()).into(),
                    ),
                ]),
            );
            if let Some(c) = &a.config.configuration {
                m.insert("Configuration".into(), c.clone());
            }
            m.insert("InputArtifacts".into(), render_artifacts(&p.inputs));
            m.insert("Name".into(), p.action_name.as_str().into());
            m.insert("OutputArtifacts".into(), render_artifacts(&p.outputs));
            if let Some(r) = &a.role_arn {
                m.insert("RoleArn".into(), r.clone().into_value());
            }
            m.insert("RunOrder".into(), Value::from(p.run_order.unwrap_or(1)));
            if let Some(ns) = &p.variables_namespace {
                m.insert("Namespace".into(), ns.as_str().into());
            }
            Value::Map(m.into())
        });
        Value::object([
            ("Actions", Value::list(actions)),
            ("Name", Value::from(stage.name.as_str())),
        ])
    }))
}

fn validate_pipeline(state: &Rc<RefCell<PipelineState>>) -> Vec<String> {
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

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::codepipeline::*;

use crate::kms::{CfnAlias, CfnAliasProps};
