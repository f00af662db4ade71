//! aws-cdk-lib's `pipelines.CodePipeline`: a self-mutating CodePipeline that synthesizes the
//! app, updates itself, publishes the assets and deploys [`Stage`]s through the bootstrap roles
//! of their accounts.
//!
//! The pipeline is laid out when the app is synthesized (after aspects, before validation), as
//! aws-cdk-lib builds it: add every stage and wave before synthesis. What it generates, with
//! aws-cdk-lib's construct IDs (so logical IDs match an aws-cdk-lib build of the same tree):
//!
//! - `Pipeline/Pipeline`: the [`codepipeline::Pipeline`](crate::codepipeline::Pipeline), with its
//!   artifact bucket (and key, with `cross_account_keys`) and role;
//! - `Source`: one action per source ([`CodePipelineSource`](super::CodePipelineSource));
//! - `Build`/`Synth`: the synth step's CodeBuild project (`Pipeline/Pipeline/Build/Synth/
//!   CdkBuildProject`), output `Synth_Output` (the cloud assembly);
//! - `UpdatePipeline`/`SelfMutate` (unless `self_mutation: false`): runs `rcdk deploy` of the
//!   pipeline's stack from that assembly (`Pipeline/UpdatePipeline/SelfMutation`);
//! - `Assets`: one CodeBuild action per file asset (`Pipeline/Assets/FileAsset<n>`, or one
//!   `FileAsset` without `publish_assets_in_parallel`) running `rcdk publish-assets` through
//!   the target's file-publishing role, with one shared `Pipeline/Assets/FileRole`;
//! - per stage: `<Stack>.Prepare` (change set `PipelineChange`, `CHANGE_SET_REPLACE`, run as the
//!   target's `cfn-exec-role` by its `deploy-role`) and `<Stack>.Deploy` (`CHANGE_SET_EXECUTE`),
//!   in the order of the stacks' dependencies, with the stage's pre and post steps around them.
//!
//! CodeBuild actions share `Pipeline/CodeBuildActionRole`; actions before the self-mutation carry
//! `_PROJECT_CONFIG_HASH` (so a changed project restarts them). The deploy roles of the target
//! accounts are imported immutably; grants to them go to the artifact bucket's and key's
//! policies (that is what lets the target accounts read the artifacts).
//!
//! Written into the cloud assembly as aws-cdk-lib writes them: `<pipeline unique ID>.dot` (the
//! pipeline graph, Graphviz), and for a stack with stack-level tags
//! `<template>.config.json` (`{"Tags": …}`), the `TemplateConfiguration` of its change set.
//! Stacks of a stage deploy in the order of their declared dependencies and of those that
//! references between them imply. A step's `env_from_cfn_outputs` makes it wait for the
//! producing stack's deploy action, which then exports the stack's outputs (variables
//! namespace = the stack's artifact ID).
//!
//! Differences from aws-cdk-lib: the CLI commands are rcdk's (`rcdk deploy`,
//! `rcdk publish-assets`, installed by [`CodePipelineProps::cli_install_commands`]); container
//! image assets do not exist in rcdk yet (`docker_enabled_for_*` is refused); not implemented:
//! step outputs (`exportedVariables`), ECR sources, `usePipelineRoleForActions`, an existing
//! `codePipeline`, cross-region stages, the
//! `buildspec-*.yaml` files of `publish_assets_in_parallel: false` (rcdk inlines the spec), and
//! of [`CodeBuildOptions`] the VPC, security groups, timeout, file systems, logging and
//! partial build specs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use cdk_core::assets::{stack_file_assets, StackFileAsset};
use cdk_core::{fns, Aws, IConstruct, Node, Stack, Stage, Str};
use serde_json::{json, Value as J};
use sha2::{Digest, Sha256};

use super::graph::{
    self, AssetType, Blueprint, BlueprintStep, PlannedWork, StackAsset, StackPlan, StagePlan,
    WavePlan,
};
use super::steps::{ShellSpec, SourceSpec, StackOutputReference, Step, StepKind};
use crate::codebuild::{
    BuildEnvironment, BuildEnvironmentVariable, BuildSpec, ComputeType, LinuxBuildImage,
    PipelineProject, PipelineProjectProps,
};
use crate::codepipeline::{Artifact, IAction, Pipeline, PipelineProps, PipelineType, StageProps};
use crate::codepipeline_actions::{
    CfnCapabilities, CloudFormationCreateReplaceChangeSetAction,
    CloudFormationCreateReplaceChangeSetActionProps, CloudFormationCreateUpdateStackAction,
    CloudFormationCreateUpdateStackActionProps, CloudFormationExecuteChangeSetAction,
    CloudFormationExecuteChangeSetActionProps, CodeBuildAction, CodeBuildActionProps,
    CodeCommitSourceAction, CodeCommitSourceActionProps, CodeStarConnectionsSourceAction,
    CodeStarConnectionsSourceActionProps, GitHubSourceAction, GitHubSourceActionProps,
    ManualApprovalAction, ManualApprovalActionProps, S3SourceAction, S3SourceActionProps,
};
use crate::iam::{
    FromRoleArnOptions, IPrincipal, IRole, PolicyStatement, Role, RoleProps, ServicePrincipal,
};
use crate::s3::IBucket;

/// Where a pipeline project's build cache lives.
#[derive(Clone)]
pub enum CacheLocation {
    /// In an S3 bucket under a key prefix (`Type: S3`, `Location: <bucket>/<prefix>`): the
    /// cache survives between builds on any host; the project's role may read and write it.
    S3 {
        /// The bucket.
        bucket: Rc<dyn IBucket>,
        /// The key prefix.
        prefix: String,
    },
    /// In the pipeline's artifact bucket under a key prefix (as `S3`).
    ArtifactBucket {
        /// The key prefix.
        prefix: String,
    },
    /// On the build host (`Type: LOCAL`) with these modes (`LOCAL_CUSTOM_CACHE`,
    /// `LOCAL_SOURCE_CACHE`, `LOCAL_DOCKER_LAYER_CACHE`): only while builds land on the same
    /// host.
    Local(Vec<String>),
}

/// A build cache of a pipeline's CodeBuild project: where, and which paths (the build spec's
/// `cache.paths`).
#[derive(Clone)]
pub struct CodeBuildCache {
    /// Where the cache is kept.
    pub location: CacheLocation,
    /// The cached paths (absolute, or relative to the primary input).
    pub paths: Vec<String>,
    /// Commands run first in the install phase (e.g. pointing a tool at a cached directory).
    pub install_commands: Vec<String>,
}

/// What [`CodeBuildCache::cargo`] caches: cargo's registry index and crates, its git
/// checkouts, the installed binaries (`rcdk` among them), the rustup toolchain, and the
/// workspace's `target/` directory ([`CodeBuildCache::cargo`] exports `CARGO_TARGET_DIR` there,
/// so `cargo install --path` builds in it too).
pub const CARGO_CACHE_PATHS: [&str; 5] = [
    "/root/.cargo/registry/**/*",
    "/root/.cargo/git/db/**/*",
    "/root/.cargo/bin/**/*",
    "/root/.rustup/**/*",
    "target/**/*",
];

impl CodeBuildCache {
    /// The Rust-aware cache of a synth step: [`CARGO_CACHE_PATHS`] kept at `location`, so a
    /// pipeline run compiles only what changed instead of the whole dependency tree (as the
    /// flagship example's `CDK_Synth` project does).
    pub fn cargo(location: CacheLocation) -> Self {
        CodeBuildCache {
            location,
            paths: CARGO_CACHE_PATHS.iter().map(|p| p.to_string()).collect(),
            install_commands: vec!["export CARGO_TARGET_DIR=\"$CODEBUILD_SRC_DIR/target\"".into()],
        }
    }
}

/// Options for the CodeBuild projects of a pipeline (aws-cdk-lib's `CodeBuildOptions`, the
/// parts rcdk supports): merged as aws-cdk-lib merges them — the build image, compute type and
/// `privileged` of the later options win, environment variables are merged by name, role
/// policy statements are concatenated, a later cache replaces an earlier one.
#[derive(Clone, Default)]
pub struct CodeBuildOptions {
    /// Build image, compute type, privileged mode, environment variables (a given
    /// `BuildEnvironment` sets `privileged`, true or false).
    pub build_environment: Option<BuildEnvironment>,
    /// Statements added to the project's role.
    pub role_policy: Vec<PolicyStatement>,
    /// The project's build cache.
    pub cache: Option<CodeBuildCache>,
}

/// The kind of a pipeline project, for the defaults that apply (aws-cdk-lib's
/// `CodeBuildProjectType`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ProjectKind {
    Synth,
    SelfMutate,
    Assets,
    Step,
}

/// A build environment being merged, with whether `privileged` was set.
#[derive(Clone)]
struct MergedEnvironment {
    environment: BuildEnvironment,
    privileged: Option<bool>,
}

impl MergedEnvironment {
    /// aws-cdk-lib's `mergeBuildEnvironments(self, over)`. rcdk's `privileged` is a plain
    /// bool: `true` always counts as set; `false` only when `false_sets_privileged` (a step's
    /// own build environment, as before; defaults leave it unset, as an aws-cdk-lib
    /// environment without `privileged`).
    fn merge(&mut self, over: &BuildEnvironment, false_sets_privileged: bool) {
        if over.build_image.is_some() {
            self.environment.build_image = over.build_image.clone();
        }
        if over.compute_type.is_some() {
            self.environment.compute_type = over.compute_type.clone();
        }
        if over.privileged || false_sets_privileged {
            self.privileged = Some(over.privileged);
            self.environment.privileged = over.privileged;
        }
        for (k, v) in &over.environment_variables {
            match self
                .environment
                .environment_variables
                .iter_mut()
                .find(|(name, _)| name == k)
            {
                Some(existing) => existing.1 = v.clone(),
                None => self
                    .environment
                    .environment_variables
                    .push((k.clone(), v.clone())),
            }
        }
    }
}

/// Properties of a [`CodePipeline`] (aws-cdk-lib's `CodePipelineProps`).
pub struct CodePipelineProps {
    /// The step producing the cloud assembly (a [`ShellStep`](super::ShellStep) or
    /// [`CodeBuildStep`](super::CodeBuildStep) with a primary output directory).
    pub synth: Step,
    /// The pipeline's name (default generated).
    pub pipeline_name: Option<String>,
    /// Encrypt the artifact bucket with a customer managed KMS key, needed to deploy to
    /// other accounts (default false).
    pub cross_account_keys: Option<bool>,
    /// Rotate the artifact key yearly (needs `cross_account_keys`; aws-cdk-lib's
    /// `enableKeyRotation`).
    pub enable_key_rotation: Option<bool>,
    /// An existing artifact bucket (default: a new one, with a key under
    /// `cross_account_keys`).
    pub artifact_bucket: Option<Rc<dyn IBucket>>,
    /// The pipeline's role (default: a new one).
    pub role: Option<Rc<dyn IRole>>,
    /// The pipeline type (default V1, or V2 with
    /// `@aws-cdk/aws-codepipeline:defaultPipelineTypeToV2`).
    pub pipeline_type: Option<PipelineType>,
    /// Whether the pipeline updates itself before deploying (default true).
    pub self_mutation: Option<bool>,
    /// One CodeBuild action per asset (default true), or one action publishing them all.
    pub publish_assets_in_parallel: Option<bool>,
    /// Deploy stacks through change sets (`Prepare` + `Deploy`, the default) or directly.
    pub use_change_sets: Option<bool>,
    /// Commands that put `rcdk` on the `PATH` of the self-mutation and asset projects (their
    /// input is the cloud assembly alone). Default: install Rust with rustup when missing and
    /// `cargo install --locked cdk-cli@<this rcdk's version>`.
    pub cli_install_commands: Option<Vec<String>>,
    /// The synth project's build cache (default none; see [`CodeBuildCache`]).
    pub synth_cache: Option<CodeBuildCache>,
    /// Options of every CodeBuild project the pipeline creates (aws-cdk-lib's
    /// `codeBuildDefaults`), under the per-kind defaults below and a step's own options.
    pub code_build_defaults: Option<CodeBuildOptions>,
    /// Options of the synth project (aws-cdk-lib's `synthCodeBuildDefaults`).
    pub synth_code_build_defaults: Option<CodeBuildOptions>,
    /// Options of the self-mutation project (`selfMutationCodeBuildDefaults`).
    pub self_mutation_code_build_defaults: Option<CodeBuildOptions>,
    /// Options of the asset publishing projects (`assetPublishingCodeBuildDefaults`).
    pub asset_publishing_code_build_defaults: Option<CodeBuildOptions>,
    /// Privileged synth project, for Docker builds during synthesis: refused (rcdk has no
    /// container image assets yet).
    pub docker_enabled_for_synth: bool,
    /// Privileged self-mutation project: refused (rcdk has no container image assets yet).
    pub docker_enabled_for_self_mutation: bool,
}

impl CodePipelineProps {
    /// Props with this synth step; the rest default.
    pub fn new(synth: Step) -> Self {
        CodePipelineProps {
            synth,
            pipeline_name: None,
            cross_account_keys: None,
            enable_key_rotation: None,
            artifact_bucket: None,
            role: None,
            pipeline_type: None,
            self_mutation: None,
            publish_assets_in_parallel: None,
            use_change_sets: None,
            cli_install_commands: None,
            synth_cache: None,
            code_build_defaults: None,
            synth_code_build_defaults: None,
            self_mutation_code_build_defaults: None,
            asset_publishing_code_build_defaults: None,
            docker_enabled_for_synth: false,
            docker_enabled_for_self_mutation: false,
        }
    }
}

/// Steps around a stage, or around one of its stacks.
#[derive(Clone, Default)]
pub struct AddStageOpts {
    /// Steps before the stage's stacks deploy.
    pub pre: Vec<Step>,
    /// Steps after they deployed.
    pub post: Vec<Step>,
    /// Steps of single stacks.
    pub stack_steps: Vec<StackSteps>,
}

/// Steps of one stack of a stage (aws-cdk-lib's `StackSteps`).
#[derive(Clone)]
pub struct StackSteps {
    /// The stack (of the stage being added).
    pub stack: Stack,
    /// Before its change set is created.
    pub pre: Vec<Step>,
    /// Between creating and executing its change set.
    pub change_set: Vec<Step>,
    /// After it deployed.
    pub post: Vec<Step>,
}

/// Steps around a wave.
#[derive(Clone, Default)]
pub struct WaveOpts {
    /// Before the wave's stages.
    pub pre: Vec<Step>,
    /// After them.
    pub post: Vec<Step>,
}

struct StageEntry {
    stage: Stage,
    opts: AddStageOpts,
}

struct WaveEntry {
    id: String,
    stages: Vec<StageEntry>,
    pre: Vec<Step>,
    post: Vec<Step>,
}

struct State {
    waves: Vec<WaveEntry>,
    built: bool,
}

/// A wave of stages deployed in parallel (aws-cdk-lib's `Wave`), from [`CodePipeline::add_wave`].
#[derive(Clone)]
pub struct Wave {
    state: Rc<RefCell<State>>,
    index: usize,
    node: Node,
}

impl Wave {
    /// Adds a stage to the wave.
    pub fn add_stage(&self, stage: &Stage, opts: AddStageOpts) {
        add_stage_to(&self.state, &self.node, self.index, stage, opts);
    }

    /// Adds steps before the wave's stages.
    pub fn add_pre(&self, steps: Vec<Step>) {
        if let Some(w) = self.state.borrow_mut().waves.get_mut(self.index) {
            w.pre.extend(steps);
        }
    }

    /// Adds steps after the wave's stages.
    pub fn add_post(&self, steps: Vec<Step>) {
        if let Some(w) = self.state.borrow_mut().waves.get_mut(self.index) {
            w.post.extend(steps);
        }
    }
}

fn add_stage_to(
    state: &Rc<RefCell<State>>,
    node: &Node,
    wave: usize,
    stage: &Stage,
    opts: AddStageOpts,
) {
    let mut s = state.borrow_mut();
    if s.built {
        drop(s);
        node.add_error(&format!(
            "stage '{}' added after the pipeline was built: add every stage before synthesis",
            stage.node().path()
        ));
        return;
    }
    if let Some(w) = s.waves.get_mut(wave) {
        w.stages.push(StageEntry {
            stage: stage.clone(),
            opts,
        });
    }
}

/// aws-cdk-lib's `pipelines.CodePipeline` (see the [module docs](self)).
#[derive(Clone)]
pub struct CodePipeline {
    node: Node,
    pipeline: Pipeline,
    state: Rc<RefCell<State>>,
}

impl IConstruct for CodePipeline {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl CodePipeline {
    /// Defines pipeline `id` under `scope` (a stack, usually the tools account's).
    pub fn new(scope: &impl IConstruct, id: &str, props: CodePipelineProps) -> Self {
        let node = Node::new(scope.node(), id);
        for (flag, what) in [
            (props.docker_enabled_for_synth, "docker_enabled_for_synth"),
            (
                props.docker_enabled_for_self_mutation,
                "docker_enabled_for_self_mutation",
            ),
        ] {
            if flag {
                node.add_error(&format!(
                    "{what} is not supported: rcdk has no container image assets yet, so no \
                     pipeline project needs Docker (remove the setting)"
                ));
            }
        }
        let v2_default = cdk_core::feature_flags::is_enabled(
            &node,
            cdk_core::feature_flags::CODEPIPELINE_DEFAULT_PIPELINE_TYPE_TO_V2,
        );
        if !v2_default && props.pipeline_type.is_none() {
            node.add_warning(
                "V1 pipeline type is implicitly selected when `pipeline_type` is not set. If you \
                 want to use V2 type, set `PipelineType::V2`. \
                 [ack: @aws-cdk/aws-codepipeline:unspecifiedPipelineType]",
            );
        }
        let pipeline = Pipeline::new(
            &node,
            "Pipeline",
            PipelineProps {
                pipeline_name: props.pipeline_name.clone(),
                pipeline_type: Some(props.pipeline_type.unwrap_or(if v2_default {
                    PipelineType::V2
                } else {
                    PipelineType::V1
                })),
                cross_account_keys: Some(props.cross_account_keys.unwrap_or(false)),
                enable_key_rotation: props.enable_key_rotation,
                artifact_bucket: props.artifact_bucket.clone(),
                role: props.role.clone(),
                restart_execution_on_update: Some(true),
                ..Default::default()
            },
        );
        let state = Rc::new(RefCell::new(State {
            waves: Vec::new(),
            built: false,
        }));
        let this = CodePipeline {
            node: node.clone(),
            pipeline,
            state,
        };
        let builder = Rc::new(Builder {
            pipeline: this.clone(),
            props,
        });
        node.add_prepare(move || builder.build_once());
        this
    }

    /// Deploys `stage`'s stacks after the stages added before (a wave of one).
    pub fn add_stage(&self, stage: &Stage, opts: AddStageOpts) {
        let wave = self.add_wave_entry(&stage.node().id());
        add_stage_to(&self.state, &self.node, wave, stage, opts);
    }

    /// Adds a wave: its stages deploy in parallel, after the stages and waves added before.
    pub fn add_wave(&self, id: &str, opts: WaveOpts) -> Wave {
        let index = self.add_wave_entry(id);
        if let Some(w) = self.state.borrow_mut().waves.get_mut(index) {
            w.pre = opts.pre;
            w.post = opts.post;
        }
        Wave {
            state: self.state.clone(),
            index,
            node: self.node.clone(),
        }
    }

    fn add_wave_entry(&self, id: &str) -> usize {
        let mut s = self.state.borrow_mut();
        s.waves.push(WaveEntry {
            id: id.to_string(),
            stages: Vec::new(),
            pre: Vec::new(),
            post: Vec::new(),
        });
        s.waves.len() - 1
    }

    /// The CodePipeline pipeline (`Pipeline/Pipeline`); its stages exist once the app was
    /// synthesized.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }
}

/// A wave as the builder reads it: ID, stages with their options, pre and post steps.
type WaveData = (String, Vec<(Stage, AddStageOpts)>, Vec<Step>, Vec<Step>);

struct Builder {
    pipeline: CodePipeline,
    props: CodePipelineProps,
}

/// One stack of a stage, as the pipeline deploys it (aws-cdk-lib's `StackDeployment`).
struct StackInfo {
    stack: Stack,
    stack_name: String,
    account: Option<String>,
    region: Option<String>,
    assume_role_arn: String,
    execution_role_arn: String,
    /// Relative to the root assembly.
    template_path: String,
    /// Stack-level tags, passed to the change set through a template configuration file.
    tags: Vec<(String, String)>,
    /// The stack's artifact ID (the variables namespace of its outputs).
    artifact_id: String,
}

/// The shared role of the asset projects (aws-cdk-lib's `AssetSingletonRole`): the three
/// statements every CodeBuild project adds are on it once, and the roles it assumes are in
/// one statement.
struct AssetRole {
    role: Role,
    /// The statement the next assumed role goes to (a new one every 10 ARNs).
    assume: RefCell<Option<(PolicyStatement, usize)>>,
    assumed: RefCell<Vec<String>>,
}

impl AssetRole {
    /// aws-cdk-lib's `AssetSingletonRole.addAssumeRole`.
    fn add_assume_role(&self, arn: &str) {
        if self.assumed.borrow().iter().any(|a| a == arn) {
            return;
        }
        self.assumed.borrow_mut().push(arn.to_string());
        let current = self.assume.borrow_mut().take();
        let (statement, count) = match current {
            Some(c) => c,
            None => {
                let statement = PolicyStatement::new().action("sts:AssumeRole");
                self.role.add_to_policy(statement.clone());
                (statement, 0)
            }
        };
        statement.add_resources([fns::sub(arn, Vec::<(String, Str)>::new())]);
        if count + 1 < 10 {
            *self.assume.borrow_mut() = Some((statement, count + 1));
        }
    }
}

const ASSET_ROLE_DEFAULT_ACTIONS: [&[&str]; 3] = [
    &[
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ],
    &[
        "codebuild:CreateReportGroup",
        "codebuild:CreateReport",
        "codebuild:UpdateReport",
        "codebuild:BatchPutTestCases",
        "codebuild:BatchPutCodeCoverages",
    ],
    &[
        "codebuild:BatchGetBuilds",
        "codebuild:StartBuild",
        "codebuild:StopBuild",
    ],
];

impl IPrincipal for AssetRole {
    fn policy_fragment(&self) -> crate::iam::PrincipalFragment {
        self.role.policy_fragment()
    }
    fn add_to_principal_policy(
        &self,
        statement: &PolicyStatement,
    ) -> crate::iam::AddToPrincipalPolicyResult {
        let actions = statement.action_list();
        const ENCRYPT_DECRYPT: &[&str] = &[
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
        ];
        if ASSET_ROLE_DEFAULT_ACTIONS
            .iter()
            .chain([&ENCRYPT_DECRYPT])
            .any(|d| actions.iter().map(String::as_str).eq(d.iter().copied()))
        {
            // Already on the role, for every project, or not needed by a publisher (the
            // artifact key's encrypt/decrypt grant): aws-cdk-lib drops them.
            return crate::iam::AddToPrincipalPolicyResult {
                statement_added: true,
                policy_dependable: None,
            };
        }
        self.role.add_to_principal_policy(statement)
    }
    fn principal_account(&self) -> Option<Str> {
        self.role.principal_account()
    }
    fn dedupe_key(&self) -> Option<cdk_core::Value> {
        self.role.dedupe_key()
    }
    fn owned_resource_node(&self) -> Option<Node> {
        self.role.owned_resource_node()
    }
}

impl IConstruct for AssetRole {
    fn node(&self) -> &Node {
        self.role.node()
    }
}

impl IRole for AssetRole {
    fn role_arn(&self) -> Str {
        self.role.role_arn()
    }
    fn role_name(&self) -> Str {
        self.role.role_name()
    }
    fn env(&self) -> cdk_core::ResourceEnvironment {
        IRole::env(&self.role)
    }
    fn add_managed_policy(&self, policy: &dyn crate::iam::IManagedPolicy) {
        self.role.add_managed_policy(policy)
    }
    fn attach_inline_policy(&self, policy: &crate::iam::Policy) {
        self.role.attach_inline_policy(policy)
    }
}

/// What building the pipeline keeps while it adds the actions.
struct Build<'a> {
    b: &'a Builder,
    steps: Vec<Step>,
    artifacts: HashMap<usize, Artifact>,
    used_artifact_names: Vec<String>,
    stacks: Vec<Vec<Vec<StackInfo>>>,
    code_build_action_role: Option<Rc<dyn IRole>>,
    asset_role: Option<Rc<AssetRole>>,
    fallback_artifact: Option<Artifact>,
    before_self_mutation: bool,
    imported_roles: HashMap<String, Rc<dyn IRole>>,
}

/// A stage's stacks in the order of its nested assembly's manifest, where aws-cdk-lib reads
/// them from (`topologicalSort` of the artifacts: tranches of stacks whose dependencies are
/// placed, each sorted by artifact ID), each with the indexes (in that order) of the stacks it
/// deploys after: declared dependencies and those implied by references between the stage's
/// stacks, transitively (as aws-cdk-lib reads them from the stage's synthesized assembly).
fn stage_layout(stacks: Vec<Stack>) -> Vec<(Stack, Vec<usize>)> {
    let n = stacks.len();
    // Direct dependencies inside the stage (each stack's references resolved once).
    let direct: Vec<Vec<usize>> = stacks
        .iter()
        .map(|s| {
            s.declared_dependencies()
                .into_iter()
                .chain(s.referenced_stacks())
                .filter_map(|d| stacks.iter().position(|x| *x == d))
                .filter(|&d| stacks[d] != *s)
                .collect()
        })
        .collect();
    let transitive: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            let mut seen = vec![false; n];
            let mut work = direct[i].clone();
            while let Some(d) = work.pop() {
                if d != i && !seen[d] {
                    seen[d] = true;
                    work.extend(direct[d].iter().copied());
                }
            }
            (0..n).filter(|&d| seen[d]).collect()
        })
        .collect();
    let mut placed = vec![false; n];
    let mut order: Vec<usize> = Vec::new();
    while order.len() < n {
        let mut tranche: Vec<usize> = (0..n)
            .filter(|&i| !placed[i] && transitive[i].iter().all(|&d| placed[d]))
            .collect();
        if tranche.is_empty() {
            // A cycle: synthesis reports it; keep the rest in tree order.
            tranche = (0..n).filter(|&i| !placed[i]).collect();
        }
        tranche.sort_by_key(|&i| stacks[i].artifact_id());
        for i in tranche {
            placed[i] = true;
            order.push(i);
        }
    }
    let position = |old: usize| order.iter().position(|&o| o == old).expect("placed");
    order
        .iter()
        .map(|&old| {
            let mut deps: Vec<usize> = transitive[old].iter().map(|&d| position(d)).collect();
            deps.sort_unstable();
            (stacks[old].clone(), deps)
        })
        .collect()
}

/// aws-cdk-lib's `sanitizeArtifactName`.
fn sanitize_artifact_name(name: &str) -> String {
    let sani: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if sani.chars().count() > 100 {
        let fp = hex(&Sha256::digest(sani.as_bytes()))[..8].to_string();
        let keep: String = sani.chars().take(100 - fp.len()).collect();
        keep + &fp
    } else {
        sani
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A child scope `id` of `parent`, created when missing (aws-cdk-lib's `obtainScope`).
fn obtain_scope(parent: &Node, id: &str) -> Node {
    parent
        .try_find_child(id)
        .unwrap_or_else(|| Node::new(parent, id))
}

/// A bootstrap role ARN of the manifest (`arn:${AWS::Partition}:iam::…`) as a value:
/// the placeholders become the pseudo parameters, or the given account and region.
fn placeholder_arn(arn: &str, account: Option<&str>, region: Option<&str>) -> Str {
    let mut parts: Vec<Str> = Vec::new();
    let mut rest = arn;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + end];
        let value = match name {
            "AWS::Partition" => Some(Aws::PARTITION),
            "AWS::AccountId" => Some(account.map(Str::from).unwrap_or(Aws::ACCOUNT_ID)),
            "AWS::Region" => Some(region.map(Str::from).unwrap_or(Aws::REGION)),
            _ => None,
        };
        match value {
            Some(v) => {
                parts.push(Str::from(&rest[..start]));
                parts.push(v);
            }
            None => parts.push(Str::from(&rest[..start + end + 1])),
        }
        rest = &rest[start + end + 1..];
    }
    parts.push(Str::from(rest));
    Str::concat(parts.into_iter().filter(|p| p.literal() != Some("")))
}

impl Builder {
    fn build_once(&self) {
        if self.pipeline.state.borrow().built {
            return;
        }
        self.pipeline.state.borrow_mut().built = true;
        if let Err(e) = self.build() {
            self.pipeline.node.add_error(&e);
        }
    }

    fn pipeline_stack(&self) -> Option<Stack> {
        Stack::of(&self.pipeline.node)
    }

    fn build(&self) -> Result<(), String> {
        let pipeline_stack = self
            .pipeline_stack()
            .ok_or("a CodePipeline must be defined inside a stack")?;
        let mut build = Build {
            b: self,
            steps: Vec::new(),
            artifacts: HashMap::new(),
            used_artifact_names: Vec::new(),
            stacks: Vec::new(),
            code_build_action_role: None,
            asset_role: None,
            fallback_artifact: None,
            before_self_mutation: self.props.self_mutation.unwrap_or(true),
            imported_roles: HashMap::new(),
        };
        let synth = build.register(&self.props.synth);
        match &self.props.synth.0.kind {
            StepKind::Shell(s) if s.primary_output_directory.is_some() => {}
            _ => {
                return Err(format!(
                    "the synth step '{}' must be a ShellStep or CodeBuildStep with a \
                     primary_output_directory (the cloud assembly)",
                    self.props.synth.id()
                ))
            }
        }
        let waves_data: Vec<WaveData> = self
            .pipeline
            .state
            .borrow()
            .waves
            .iter()
            .map(|w| {
                (
                    w.id.clone(),
                    w.stages
                        .iter()
                        .map(|s| (s.stage.clone(), s.opts.clone()))
                        .collect(),
                    w.pre.clone(),
                    w.post.clone(),
                )
            })
            .collect();
        let mut waves = Vec::new();
        for (id, stages, pre, post) in &waves_data {
            let mut stage_plans = Vec::new();
            let mut wave_stacks = Vec::new();
            for (stage, opts) in stages {
                let (plan, infos) = build.stage_plan(stage, opts, &pipeline_stack)?;
                stage_plans.push(plan);
                wave_stacks.push(infos);
            }
            waves.push(WavePlan {
                id: id.clone(),
                stages: stage_plans,
                pre: pre.iter().map(|s| build.register(s)).collect(),
                post: post.iter().map(|s| build.register(s)).collect(),
            });
            build.stacks.push(wave_stacks);
        }
        let blueprint = Blueprint {
            steps: build
                .steps
                .iter()
                .map(|s| BlueprintStep {
                    id: s.id().to_string(),
                    is_source: s.is_source(),
                    depends_on: Vec::new(),
                    consumed_stack_outputs: Vec::new(),
                })
                .collect(),
            synth,
            waves,
            self_mutation: self.props.self_mutation.unwrap_or(true),
            publish_assets_in_parallel: self.props.publish_assets_in_parallel.unwrap_or(true),
            use_change_sets: self.props.use_change_sets.unwrap_or(true),
        };
        let mut blueprint = blueprint;
        let steps = build.steps.clone();
        for (i, s) in steps.iter().enumerate() {
            blueprint.steps[i].depends_on = s
                .inputs()
                .iter()
                .map(|input| build.register_existing(input, &mut blueprint))
                .collect();
        }
        let steps = build.steps.clone();
        for (i, s) in steps.iter().enumerate() {
            let mut consumed = Vec::new();
            for output in s.consumed_stack_outputs() {
                let key = build.producing_stack(&output).ok_or_else(|| {
                    format!(
                        "Stack '{}' (producing output '{}') is not in the pipeline; call \
                         'addStage()' to add the stack's Stage to the pipeline",
                        output.stack.node().path(),
                        output.output_name
                    )
                })?;
                if !consumed.contains(&key) {
                    consumed.push(key);
                }
            }
            blueprint.steps[i].consumed_stack_outputs = consumed;
        }
        let dot_file = format!("{}.dot", cdk_core::Names::unique_id(&self.pipeline.node));
        let (planned, dot) = graph::plan_with_dot(&blueprint, &dot_file).map_err(|e| e.0)?;
        cdk_core::synth::add_assembly_file(&self.pipeline.node, &dot_file, dot)?;
        for stage in planned {
            let cp_stage = self
                .pipeline
                .pipeline
                .add_stage(StageProps::new(&stage.name, Vec::new()));
            let stage_scope = obtain_scope(self.pipeline.pipeline.node(), &stage.name);
            for action in stage.actions {
                let produced = build.action(&action, &stage.name, &stage_scope)?;
                for a in produced {
                    cp_stage.add_action(a);
                }
                if matches!(action.work, PlannedWork::SelfMutate) {
                    build.before_self_mutation = false;
                }
            }
        }
        Ok(())
    }
}

impl Build<'_> {
    /// The step's index, registering it (and the producers of its inputs) on first sight.
    fn register(&mut self, step: &Step) -> usize {
        if let Some(i) = self.steps.iter().position(|s| s == step) {
            return i;
        }
        self.steps.push(step.clone());
        let index = self.steps.len() - 1;
        for input in step.inputs() {
            self.register(&input);
        }
        index
    }

    /// The index of a step registered later than the blueprint was made (an input producer).
    fn register_existing(&mut self, step: &Step, blueprint: &mut Blueprint) -> usize {
        let before = self.steps.len();
        let index = self.register(step);
        for s in &self.steps[before..] {
            blueprint.steps.push(BlueprintStep {
                id: s.id().to_string(),
                is_source: s.is_source(),
                depends_on: Vec::new(),
                consumed_stack_outputs: Vec::new(),
            });
        }
        index
    }

    fn stage_plan(
        &mut self,
        stage: &Stage,
        opts: &AddStageOpts,
        pipeline_stack: &Stack,
    ) -> Result<(StagePlan, Vec<StackInfo>), String> {
        let layout = stage_layout(stage.stacks());
        let stacks: Vec<Stack> = layout.iter().map(|(s, _)| s.clone()).collect();
        if stacks.is_empty() {
            return Err(format!(
                "The given Stage construct ('{}') should contain at least one Stack",
                stage.node().path()
            ));
        }
        let mut infos = Vec::new();
        let mut plans = Vec::new();
        for (index, stack) in stacks.iter().enumerate() {
            let env = stack.environment();
            let synthesizer = stack.synthesizer();
            let placeholders = cdk_core::synthesizer::EnvPlaceholders::new(
                env.account.as_deref(),
                env.region.as_deref(),
            );
            let assets = stack_file_assets(stack)
                .into_iter()
                .map(|a: StackFileAsset| StackAsset {
                    asset_selector: format!("{}:{}", a.hash, a.destination_id),
                    asset_id: a.hash,
                    display_name: Some(a.display_name),
                    asset_type: AssetType::File,
                    asset_manifest_path: a.asset_manifest.into(),
                    publishing_role_arn: Some(a.publishing_role_arn),
                })
                .collect();
            let steps_of = opts.stack_steps.iter().find(|s| s.stack == *stack);
            let mut reg = |list: Option<&Vec<Step>>| -> Vec<usize> {
                list.map(|l| l.iter().map(|s| self.register(s)).collect())
                    .unwrap_or_default()
            };
            let pre = reg(steps_of.map(|s| &s.pre));
            let change_set = reg(steps_of.map(|s| &s.change_set));
            let post = reg(steps_of.map(|s| &s.post));
            plans.push(StackPlan {
                stack_name: stack.stack_name(),
                account: env.account.clone(),
                region: env.region.clone(),
                assets,
                depends_on: layout[index].1.clone(),
                pre,
                change_set,
                post,
            });
            let _ = pipeline_stack;
            infos.push(StackInfo {
                stack: stack.clone(),
                stack_name: stack.stack_name(),
                account: env.account.clone(),
                region: env.region.clone(),
                assume_role_arn: synthesizer.deploy_role_arn(&placeholders),
                execution_role_arn: synthesizer.cfn_exec_role_arn(&placeholders),
                template_path: format!("{}/{}", stack.assembly_directory(), stack.template_file())
                    .trim_start_matches('/')
                    .to_string(),
                tags: stack.tags(),
                artifact_id: stack.artifact_id(),
            });
        }
        for s in &opts.stack_steps {
            if !stacks.contains(&s.stack) {
                return Err(format!(
                    "stack steps for '{}', which is not a stack of stage '{}'",
                    s.stack.node().path(),
                    stage.node().path()
                ));
            }
        }
        let pre = opts.pre.iter().map(|s| self.register(s)).collect();
        let post = opts.post.iter().map(|s| self.register(s)).collect();
        Ok((
            StagePlan {
                stage_name: stage.stage_name(),
                stacks: plans,
                pre,
                post,
            },
            infos,
        ))
    }

    /// The artifact of a step's primary output (aws-cdk-lib's `ArtifactMap`).
    fn artifact_of(&mut self, step: &Step) -> Result<Artifact, String> {
        let index = self.register(step);
        if let Some(a) = self.artifacts.get(&index) {
            return Ok(a.clone());
        }
        let output = step.primary_output_id().ok_or_else(|| {
            format!(
                "step '{}' is used as an input but has no primary output (give it a \
                 primary_output_directory)",
                step.id()
            )
        })?;
        let base = sanitize_artifact_name(&format!("{}.{}", step.id(), output));
        let mut name = base.clone();
        let mut i = 1;
        while self.used_artifact_names.contains(&name) {
            i += 1;
            name = format!("{base}{i}");
        }
        self.used_artifact_names.push(name.clone());
        let artifact = Artifact::new(&name);
        self.artifacts.insert(index, artifact.clone());
        Ok(artifact)
    }

    fn synth_output(&mut self) -> Result<Artifact, String> {
        let synth = self.b.props.synth.clone();
        self.artifact_of(&synth)
    }

    fn cli_install_commands(&self) -> Vec<String> {
        self.b.props.cli_install_commands.clone().unwrap_or_else(|| {
            vec![
                "command -v cargo >/dev/null 2>&1 || curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal".into(),
                ". \"$HOME/.cargo/env\" 2>/dev/null || true".into(),
                format!("cargo install --locked cdk-cli@{}", env!("CARGO_PKG_VERSION")),
            ]
        })
    }

    fn action(
        &mut self,
        action: &graph::PlannedAction,
        stage_name: &str,
        stage_scope: &Node,
    ) -> Result<Vec<Box<dyn IAction>>, String> {
        let name = action.name.as_str();
        let run_order = Some(action.run_order);
        match &action.work {
            PlannedWork::Step(i) | PlannedWork::Synth(i) => {
                let step = self.steps[*i].clone();
                let is_synth = matches!(action.work, PlannedWork::Synth(_));
                self.step_action(&step, is_synth, name, run_order, stage_name, stage_scope)
            }
            PlannedWork::SelfMutate => {
                let stack = self.b.pipeline_stack().ok_or("no pipeline stack")?;
                let asm = match stack.assembly_directory().as_str() {
                    "" => ".".to_string(),
                    dir => dir.to_string(),
                };
                let install = self.cli_install_commands();
                let account = stack.account();
                let statements = vec![
                    PolicyStatement::new()
                        .action("sts:AssumeRole")
                        .resource(Str::concat([
                            Str::from("arn:*:iam::"),
                            account,
                            Str::from(":role/*"),
                        ]))
                        .condition(
                            "ForAnyValue:StringEquals",
                            "iam:ResourceTag/aws-cdk:bootstrap-role",
                            cdk_core::Value::list([
                                "image-publishing",
                                "file-publishing",
                                "deploy",
                            ]),
                        ),
                    PolicyStatement::new()
                        .action("cloudformation:DescribeStacks")
                        .resource("*"),
                    PolicyStatement::new().action("s3:ListBucket").resource("*"),
                ];
                let (self_env, self_statements, self_cache) =
                    self.defaults_for(ProjectKind::SelfMutate);
                let spec = ProjectSpec {
                    construct_id: "SelfMutation".into(),
                    scope: obtain_scope(&self.b.pipeline.node, "UpdatePipeline"),
                    additional_level: false,
                    project_name: self
                        .b
                        .props
                        .pipeline_name
                        .as_ref()
                        .map(|n| format!("{n}-selfupdate")),
                    input: self.synth_output()?,
                    extra_inputs: Vec::new(),
                    outputs: Vec::new(),
                    install_commands: install,
                    commands: vec![format!(
                        "rcdk -a {asm} deploy {} --require-approval=never --verbose",
                        stack.node().path()
                    )],
                    artifacts_dir: None,
                    environment: self_env.environment,
                    privileged: self_env.privileged,
                    env_vars: Vec::new(),
                    role: None,
                    action_role: None,
                    role_policy_statements: self_statements.into_iter().chain(statements).collect(),
                    cache: self_cache,
                    output_env: Vec::new(),
                };
                Ok(vec![
                    self.codebuild_action(spec, name, run_order, stage_name)?
                ])
            }
            PlannedWork::PublishAssets(assets) => {
                let install = self.cli_install_commands();
                let commands = assets
                    .iter()
                    .map(|a| {
                        format!(
                            "rcdk publish-assets --path \"{}\" --verbose \"{}\"",
                            a.asset_manifest_path.to_string_lossy(),
                            a.asset_selector
                        )
                    })
                    .collect();
                let role = self.asset_role();
                for arn in assets.iter().filter_map(|a| a.publishing_role_arn.as_ref()) {
                    role.add_assume_role(arn);
                }
                // aws-cdk-lib: the step's `privileged` is "container image assets (none in
                // rcdk) or code_build_defaults' privileged", else left to the defaults.
                let (asset_env, asset_statements, asset_cache) =
                    self.defaults_for(ProjectKind::Assets);
                let spec = ProjectSpec {
                    construct_id: action.node_id.clone(),
                    scope: obtain_scope(&self.b.pipeline.node, "Assets"),
                    additional_level: false,
                    project_name: None,
                    input: self.synth_output()?,
                    extra_inputs: Vec::new(),
                    outputs: Vec::new(),
                    install_commands: install,
                    commands,
                    artifacts_dir: None,
                    environment: asset_env.environment,
                    privileged: asset_env.privileged,
                    env_vars: Vec::new(),
                    role: Some(role as Rc<dyn IRole>),
                    action_role: None,
                    role_policy_statements: asset_statements,
                    cache: asset_cache,
                    output_env: Vec::new(),
                };
                Ok(vec![
                    self.codebuild_action(spec, name, run_order, stage_name)?
                ])
            }
            PlannedWork::Prepare { wave, stage, stack } => {
                let template = self.synth_output()?;
                let info = &self.stacks[*wave][*stage][*stack];
                let (account, region) = self.other_env(info);
                let (assume, execution) = (
                    info.assume_role_arn.clone(),
                    info.execution_role_arn.clone(),
                );
                let (stack_name, template_path) =
                    (info.stack_name.clone(), info.template_path.clone());
                let configuration = self.template_configuration(*wave, *stage, *stack)?;
                let role = self.import_role(&assume, account.as_deref(), region.as_deref());
                let exec = self.import_role(&execution, account.as_deref(), region.as_deref());
                let mut props = CloudFormationCreateReplaceChangeSetActionProps::new(
                    name,
                    template.at_path(&template_path),
                    &stack_name,
                    "PipelineChange",
                    true,
                );
                props.run_order = run_order;
                props.role = Some(role);
                props.deployment_role = Some(exec);
                props.region = region;
                props.cfn_capabilities =
                    Some(vec![CfnCapabilities::NamedIam, CfnCapabilities::AutoExpand]);
                props.template_configuration = configuration.map(|p| template.at_path(&p));
                Ok(vec![Box::new(
                    CloudFormationCreateReplaceChangeSetAction::new(props),
                )])
            }
            PlannedWork::Deploy {
                wave,
                stage,
                stack,
                without_change_set,
            } => {
                let info = &self.stacks[*wave][*stage][*stack];
                let (account, region) = self.other_env(info);
                let assume = info.assume_role_arn.clone();
                let stack_name = info.stack_name.clone();
                let template_path = info.template_path.clone();
                let execution = info.execution_role_arn.clone();
                let info_artifact = info.artifact_id.clone();
                let role = self.import_role(&assume, account.as_deref(), region.as_deref());
                if *without_change_set {
                    let template = self.synth_output()?;
                    let configuration = self.template_configuration(*wave, *stage, *stack)?;
                    let exec = self.import_role(&execution, account.as_deref(), region.as_deref());
                    let mut props = CloudFormationCreateUpdateStackActionProps::new(
                        name,
                        template.at_path(&template_path),
                        &stack_name,
                        true,
                    );
                    props.run_order = run_order;
                    props.role = Some(role);
                    props.deployment_role = Some(exec);
                    props.region = region;
                    props.cfn_capabilities =
                        Some(vec![CfnCapabilities::NamedIam, CfnCapabilities::AutoExpand]);
                    props.template_configuration = configuration.map(|p| template.at_path(&p));
                    props.variables_namespace = self
                        .outputs_referenced((*wave, *stage, *stack))
                        .then(|| graph::limit_identifier_length(&info_artifact, 100));
                    return Ok(vec![Box::new(CloudFormationCreateUpdateStackAction::new(
                        props,
                    ))]);
                }
                let namespace = self
                    .outputs_referenced((*wave, *stage, *stack))
                    .then(|| graph::limit_identifier_length(&info_artifact, 100));
                let mut props = CloudFormationExecuteChangeSetActionProps::new(
                    name,
                    &stack_name,
                    "PipelineChange",
                );
                props.run_order = run_order;
                props.role = Some(role);
                props.region = region;
                props.variables_namespace = namespace;
                Ok(vec![Box::new(CloudFormationExecuteChangeSetAction::new(
                    props,
                ))])
            }
        }
    }

    /// aws-cdk-lib's `codeBuildDefaultsFor`: the pipeline default environment (`standard:7.0`,
    /// small), then `code_build_defaults`, then the kind's defaults.
    fn defaults_for(
        &self,
        kind: ProjectKind,
    ) -> (
        MergedEnvironment,
        Vec<PolicyStatement>,
        Option<CodeBuildCache>,
    ) {
        let props = &self.b.props;
        let mut env = MergedEnvironment {
            environment: default_environment(None),
            privileged: None,
        };
        let mut statements = Vec::new();
        let mut cache = None;
        let kind_defaults = match kind {
            ProjectKind::Synth => props.synth_code_build_defaults.as_ref(),
            ProjectKind::SelfMutate => props.self_mutation_code_build_defaults.as_ref(),
            ProjectKind::Assets => props.asset_publishing_code_build_defaults.as_ref(),
            ProjectKind::Step => None,
        };
        for options in [props.code_build_defaults.as_ref(), kind_defaults]
            .into_iter()
            .flatten()
        {
            if let Some(e) = &options.build_environment {
                env.merge(e, false);
            }
            statements.extend(options.role_policy.iter().cloned());
            if options.cache.is_some() {
                cache = options.cache.clone();
            }
        }
        (env, statements, cache)
    }

    /// The (wave, stage, stack) indexes of the stack producing `output`.
    fn producing_stack(&self, output: &StackOutputReference) -> Option<(usize, usize, usize)> {
        for (w, stages) in self.stacks.iter().enumerate() {
            for (s, stacks) in stages.iter().enumerate() {
                if let Some(k) = stacks.iter().position(|i| i.stack == output.stack) {
                    return Some((w, s, k));
                }
            }
        }
        None
    }

    /// Whether a step of the pipeline reads outputs of this stack (aws-cdk-lib's
    /// `stackOutputsReferenced`): its deploy action then exports them.
    fn outputs_referenced(&self, key: (usize, usize, usize)) -> bool {
        self.steps
            .iter()
            .flat_map(|s| s.consumed_stack_outputs())
            .any(|o| self.producing_stack(&o) == Some(key))
    }

    /// `#{<namespace>.<output>}` for a CodeBuild action's environment.
    fn output_variable(&self, output: &StackOutputReference) -> Option<String> {
        let (w, s, k) = self.producing_stack(output)?;
        let info = &self.stacks[w][s][k];
        Some(format!(
            "#{{{}.{}}}",
            graph::limit_identifier_length(&info.artifact_id, 100),
            output.output_name
        ))
    }

    /// aws-cdk-lib's `writeTemplateConfiguration`: a stack with stack-level tags gets
    /// `<template>.config.json` (`{"Tags": {...}}`) next to its template in the assembly; its
    /// path relative to the root assembly is the action's template configuration.
    fn template_configuration(
        &self,
        wave: usize,
        stage: usize,
        stack: usize,
    ) -> Result<Option<String>, String> {
        let info = &self.stacks[wave][stage][stack];
        if info.tags.is_empty() {
            return Ok(None);
        }
        let tags: serde_json::Map<String, J> = info
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), J::String(v.clone())))
            .collect();
        let text = serde_json::to_string_pretty(&json!({ "Tags": J::Object(tags) }))
            .map_err(|e| e.to_string())?;
        let path = format!("{}.config.json", info.template_path);
        cdk_core::synth::add_assembly_file(&self.b.pipeline.node, &path, text)?;
        Ok(Some(path))
    }

    /// The stack's account and region when they differ from the pipeline stack's (aws-cdk-lib
    /// passes only those to the actions).
    fn other_env(&self, info: &StackInfo) -> (Option<String>, Option<String>) {
        let pipeline = self
            .b
            .pipeline_stack()
            .map(|s| s.environment())
            .unwrap_or_default();
        let account = info
            .account
            .clone()
            .filter(|a| Some(a) != pipeline.account.as_ref());
        let region = info
            .region
            .clone()
            .filter(|r| Some(r) != pipeline.region.as_ref());
        let _ = &info.stack;
        (account, region)
    }

    /// A bootstrap role imported immutably under the CodePipeline pipeline, once per ARN
    /// (aws-cdk-lib's `roleFromPlaceholderArn`; grants to it go to resource policies).
    fn import_role(
        &mut self,
        arn: &str,
        account: Option<&str>,
        region: Option<&str>,
    ) -> Rc<dyn IRole> {
        if let Some(existing) = self.imported_roles.get(arn) {
            return existing.clone();
        }
        let role: Rc<dyn IRole> = Rc::new(Role::from_role_arn(
            self.b.pipeline.pipeline.node(),
            &arn.replace('/', "--"),
            placeholder_arn(arn, account, region),
            FromRoleArnOptions {
                mutable: false,
                add_grants_to_resources: true,
                default_policy_name: None,
            },
        ));
        self.imported_roles.insert(arn.to_string(), role.clone());
        role
    }

    fn asset_role(&mut self) -> Rc<AssetRole> {
        if let Some(r) = &self.asset_role {
            return r.clone();
        }
        let scope = obtain_scope(&self.b.pipeline.node, "Assets");
        let stack = Stack::of(&scope);
        let reduce = cdk_core::feature_flags::is_enabled(
            &scope,
            cdk_core::feature_flags::PIPELINE_REDUCE_ASSET_ROLE_TRUST_SCOPE,
        );
        let assumed_by: Box<dyn crate::iam::IPrincipal> = if reduce {
            Box::new(crate::iam::CompositePrincipal::new(vec![Box::new(
                ServicePrincipal::new("codebuild.amazonaws.com"),
            )]))
        } else {
            Box::new(crate::iam::CompositePrincipal::new(vec![
                Box::new(ServicePrincipal::new("codebuild.amazonaws.com")),
                Box::new(crate::iam::AccountPrincipal::new(
                    stack
                        .as_ref()
                        .map(|s| s.account())
                        .unwrap_or(Aws::ACCOUNT_ID),
                )),
            ]))
        };
        let role = Role::new(
            &scope,
            "FileRole",
            RoleProps {
                role_name: Some(cdk_core::PhysicalName::GENERATE_IF_NEEDED),
                assumed_by,
                ..RoleProps::assumed_by(ServicePrincipal::new("codebuild.amazonaws.com"))
            },
        );
        let partition_arn = |service: &str, resource: &str, name: &str, colon: bool| {
            stack
                .as_ref()
                .map(|s| {
                    s.format_arn(
                        cdk_core::ArnComponents::new(service, resource)
                            .with_name(name)
                            .with_format(if colon {
                                cdk_core::ArnFormat::ColonResourceName
                            } else {
                                cdk_core::ArnFormat::SlashResourceName
                            }),
                    )
                })
                .unwrap_or_else(|| Str::from("*"))
        };
        role.add_to_policy(
            PolicyStatement::new()
                .actions(ASSET_ROLE_DEFAULT_ACTIONS[0])
                .resource(partition_arn("logs", "log-group", "/aws/codebuild/*", true)),
        );
        role.add_to_policy(
            PolicyStatement::new()
                .actions(ASSET_ROLE_DEFAULT_ACTIONS[1])
                .resource(partition_arn("codebuild", "report-group", "*", false)),
        );
        role.add_to_policy(
            PolicyStatement::new()
                .actions(ASSET_ROLE_DEFAULT_ACTIONS[2])
                .resource("*"),
        );
        let r = Rc::new(AssetRole {
            role,
            assume: RefCell::new(None),
            assumed: RefCell::new(Vec::new()),
        });
        self.asset_role = Some(r.clone());
        r
    }

    #[allow(clippy::too_many_arguments)]
    fn step_action(
        &mut self,
        step: &Step,
        is_synth: bool,
        name: &str,
        run_order: Option<u32>,
        stage_name: &str,
        stage_scope: &Node,
    ) -> Result<Vec<Box<dyn IAction>>, String> {
        match &step.0.kind {
            StepKind::Source(source) => {
                match source.as_ref() {
                    SourceSpec::GitHub {
                        repo_string, owner, ..
                    } if owner.is_empty() => {
                        return Err(format!(
                            "GitHub repository name should be a resolved string like \
                             '<owner>/<repo>', got '{repo_string}'"
                        ))
                    }
                    SourceSpec::Connection { owner, .. } if owner.is_empty() => {
                        return Err(format!(
                            "CodeStar repository name should be a resolved string like \
                             '<owner>/<repo>' or '<owner>/<group1>/<group2>/.../<repo>', got '{}'",
                            step.id()
                        ))
                    }
                    _ => {}
                }
                let output = self.artifact_of(step)?;
                // aws-cdk-lib's fallback input is the primary output of the first step laid
                // out that has one: the first source.
                if self.fallback_artifact.is_none() {
                    self.fallback_artifact = Some(output.clone());
                }
                Ok(vec![self.source_action(source, &output, name, run_order)])
            }
            StepKind::ManualApproval {
                comment,
                review_url,
            } => {
                let mut props = ManualApprovalActionProps::new(name);
                props.run_order = run_order;
                props.additional_information = comment.clone().map(Str::from);
                props.external_entity_link = review_url.clone().map(Str::from);
                Ok(vec![Box::new(ManualApprovalAction::new(props))])
            }
            StepKind::Shell(shell) => {
                let spec = self.shell_project(step, shell, is_synth, stage_scope)?;
                let action = self.codebuild_action(spec, name, run_order, stage_name)?;
                if step.primary_output_id().is_some() && self.fallback_artifact.is_none() {
                    self.fallback_artifact = Some(self.artifact_of(step)?);
                }
                Ok(vec![action])
            }
        }
    }

    fn shell_project(
        &mut self,
        step: &Step,
        shell: &ShellSpec,
        is_synth: bool,
        stage_scope: &Node,
    ) -> Result<ProjectSpec, String> {
        let input = match &shell.input {
            Some(producer) => self.artifact_of(producer)?,
            None => match &self.fallback_artifact {
                Some(a) => a.clone(),
                None => {
                    // The synth step without an input reads the first source.
                    let source = self.steps.iter().find(|s| s.is_source()).cloned();
                    match source {
                        Some(s) => self.artifact_of(&s)?,
                        None => {
                            return Err(format!(
                                "CodeBuild action '{}' requires an input (and the pipeline \
                                 doesn't have a Source to fall back to). Add an input or a \
                                 pipeline source.",
                                step.id()
                            ))
                        }
                    }
                }
            },
        };
        let mut extra_inputs = Vec::new();
        let mut link_commands = Vec::new();
        for (dir, producer) in &shell.additional_inputs {
            let artifact = self.artifact_of(producer)?;
            let mut fragments = vec![format!(
                "[ ! -d \"{dir}\" ] || {{ echo 'additionalInputs: \"{dir}\" must not exist yet. If you want to merge multiple artifacts, use a \"cp\" command.'; exit 1; }}"
            )];
            let parent = std::path::Path::new(dir)
                .parent()
                .map(|p| p.to_string_lossy().to_string())
                .unwrap_or_default();
            if !parent.is_empty() && parent != "." && parent != ".." {
                fragments.push(format!("mkdir -p -- \"{parent}\""));
            }
            fragments.push(format!(
                "ln -s -- \"$CODEBUILD_SRC_DIR_{}\" \"{dir}\"",
                artifact.artifact_name().unwrap_or_default()
            ));
            link_commands.push(fragments.join(" && "));
            extra_inputs.push(artifact);
        }
        let outputs = match step.primary_output_id() {
            Some(_) => vec![self.artifact_of(step)?],
            None => Vec::new(),
        };
        let options = shell.codebuild.clone().unwrap_or_default();
        let (mut merged, default_statements, default_cache) = self.defaults_for(if is_synth {
            ProjectKind::Synth
        } else {
            ProjectKind::Step
        });
        let cache = if is_synth {
            options
                .cache
                .clone()
                .or_else(|| self.b.props.synth_cache.clone())
                .or(default_cache)
        } else {
            options.cache.clone().or(default_cache)
        };
        if let Some(env) = &options.build_environment {
            merged.merge(env, true);
        }
        merged.merge(
            &BuildEnvironment {
                build_image: None,
                compute_type: None,
                privileged: false,
                environment_variables: shell
                    .env
                    .iter()
                    .map(|(k, v)| (k.clone(), BuildEnvironmentVariable::plaintext(v.as_str())))
                    .collect(),
            },
            false,
        );
        let privileged = merged.privileged;
        let environment = merged.environment;
        Ok(ProjectSpec {
            construct_id: if is_synth {
                "CdkBuildProject".into()
            } else {
                step.id().to_string()
            },
            scope: stage_scope.clone(),
            additional_level: true,
            project_name: options.project_name.clone(),
            input,
            extra_inputs,
            outputs,
            install_commands: link_commands
                .into_iter()
                .chain(shell.install_commands.iter().cloned())
                .collect(),
            commands: shell.commands.clone(),
            artifacts_dir: shell.primary_output_directory.clone(),
            environment,
            privileged,
            env_vars: Vec::new(),
            role: options.role.clone(),
            action_role: options.action_role.clone(),
            role_policy_statements: default_statements
                .into_iter()
                .chain(options.role_policy_statements.iter().cloned())
                .collect(),
            cache,
            output_env: shell
                .env_from_cfn_outputs
                .iter()
                .filter_map(|(k, o)| self.output_variable(o).map(|v| (k.clone(), v)))
                .collect(),
        })
    }

    fn source_action(
        &self,
        source: &SourceSpec,
        output: &Artifact,
        name: &str,
        run_order: Option<u32>,
    ) -> Box<dyn IAction> {
        match source {
            SourceSpec::CodeCommit {
                repository,
                branch,
                action_name,
                trigger,
                event_role,
                code_build_clone_output,
            } => {
                let props = CodeCommitSourceActionProps {
                    action_name: action_name.clone().unwrap_or_else(|| name.to_string()),
                    repository: repository.clone(),
                    output: output.clone(),
                    branch: Some(branch.clone()),
                    trigger: *trigger,
                    role: None,
                    event_role: event_role.clone(),
                    code_build_clone_output: *code_build_clone_output,
                    custom_event_rule: None,
                    run_order,
                    variables_namespace: None,
                };
                let action = CodeCommitSourceAction::new(props);
                match action_name {
                    // aws-cdk-lib names the action by the repository's name, a token for a
                    // repository of this app.
                    None => Box::new(RenderedName {
                        inner: action,
                        name: repository.repository_name(),
                    }),
                    Some(_) => Box::new(action),
                }
            }
            SourceSpec::S3 {
                bucket,
                object_key,
                action_name,
                trigger,
                role,
            } => {
                let props = S3SourceActionProps {
                    action_name: action_name.clone().unwrap_or_else(|| name.to_string()),
                    bucket: bucket.clone(),
                    bucket_key: object_key.clone(),
                    output: output.clone(),
                    trigger: *trigger,
                    role: role.clone(),
                    run_order,
                    variables_namespace: None,
                };
                let action = S3SourceAction::new(props);
                match action_name {
                    None => Box::new(RenderedName {
                        inner: action,
                        name: bucket.bucket_name(),
                    }),
                    Some(_) => Box::new(action),
                }
            }
            SourceSpec::GitHub {
                owner,
                repo,
                branch,
                authentication,
                action_name,
                trigger,
                ..
            } => {
                let mut props = GitHubSourceActionProps::new(
                    &action_name.clone().unwrap_or_else(|| name.to_string()),
                    output,
                    owner,
                    repo,
                    authentication.clone(),
                );
                props.branch = Some(branch.clone());
                props.trigger = *trigger;
                props.run_order = run_order;
                Box::new(GitHubSourceAction::new(props))
            }
            SourceSpec::Connection {
                owner,
                repo,
                branch,
                connection_arn,
                action_name,
                trigger_on_push,
                code_build_clone_output,
            } => Box::new(CodeStarConnectionsSourceAction::new(
                CodeStarConnectionsSourceActionProps {
                    action_name: action_name.clone().unwrap_or_else(|| name.to_string()),
                    connection_arn: connection_arn.clone(),
                    owner: owner.clone(),
                    repo: repo.clone(),
                    output: output.clone(),
                    branch: Some(branch.clone()),
                    trigger_on_push: *trigger_on_push,
                    code_build_clone_output: *code_build_clone_output,
                    role: None,
                    run_order,
                    variables_namespace: None,
                },
            )),
        }
    }

    /// aws-cdk-lib's `CodeBuildFactory.produceAction`: the project and its action.
    fn codebuild_action(
        &mut self,
        spec: ProjectSpec,
        action_name: &str,
        run_order: Option<u32>,
        stage_name: &str,
    ) -> Result<Box<dyn IAction>, String> {
        let mut phases = serde_json::Map::new();
        let mut spec = spec;
        if let Some(cache) = &spec.cache {
            let mut install = cache.install_commands.clone();
            install.append(&mut spec.install_commands);
            spec.install_commands = install;
        }
        if !spec.install_commands.is_empty() {
            phases.insert(
                "install".into(),
                json!({ "commands": spec.install_commands }),
            );
        }
        if !spec.commands.is_empty() {
            phases.insert("build".into(), json!({ "commands": spec.commands }));
        }
        let mut build_spec = serde_json::Map::new();
        build_spec.insert("version".into(), json!("0.2"));
        build_spec.insert("phases".into(), J::Object(phases));
        if let Some(dir) = &spec.artifacts_dir {
            build_spec.insert(
                "artifacts".into(),
                json!({ "base-directory": dir, "files": "**/*" }),
            );
        }
        if let Some(cache) = &spec.cache {
            if !cache.paths.is_empty() {
                build_spec.insert("cache".into(), json!({ "paths": cache.paths }));
            }
        }
        let build_spec = J::Object(build_spec);
        let build_spec_string =
            serde_json::to_string_pretty(&build_spec).map_err(|e| e.to_string())?;
        let config_hash =
            project_config_hash(&spec.environment, spec.privileged, &build_spec_string);
        let scope = if spec.additional_level {
            obtain_scope(&spec.scope, action_name)
        } else {
            spec.scope.clone()
        };
        let pipeline_name = self.b.pipeline.pipeline.pipeline_name();
        let safe_name = if pipeline_name.is_token() {
            let stack_name = self
                .b
                .pipeline_stack()
                .map(|s| s.stack_name())
                .unwrap_or_default();
            format!("{stack_name}/{}", self.b.pipeline.pipeline.node().id())
        } else {
            pipeline_name.literal().unwrap_or_default().to_string()
        };
        let description: String = format!("Pipeline step {safe_name}/{stage_name}/{action_name}")
            .chars()
            .take(255)
            .collect();
        let project = PipelineProject::new(
            &scope,
            &spec.construct_id,
            PipelineProjectProps {
                project_name: spec
                    .project_name
                    .as_deref()
                    .map(cdk_core::PhysicalName::from),
                description: Some(description),
                build_spec: Some(BuildSpec::from_object(build_spec)),
                environment: spec.environment.clone(),
                role: spec.role.clone(),
                ..Default::default()
            },
        );
        for statement in spec.role_policy_statements {
            project.project().add_to_role_policy(statement);
        }
        if let Some(cache) = &spec.cache {
            apply_cache(&project, cache, self.b.pipeline.pipeline.artifact_bucket());
        }
        let action_role = match spec.action_role {
            Some(r) => r,
            None => self.code_build_action_role(),
        };
        let mut props = CodeBuildActionProps::new(action_name, &project, &spec.input);
        props.extra_inputs = spec.extra_inputs;
        props.outputs = spec.outputs;
        props.run_order = run_order;
        props.role = Some(action_role);
        props.environment_variables = spec.env_vars;
        if self.before_self_mutation {
            props.environment_variables.push((
                "_PROJECT_CONFIG_HASH".into(),
                BuildEnvironmentVariable::plaintext(config_hash.as_str()),
            ));
        }
        for (k, v) in spec.output_env {
            props
                .environment_variables
                .push((k, BuildEnvironmentVariable::plaintext(v.as_str())));
        }
        Ok(Box::new(CodeBuildAction::new(props)))
    }

    fn code_build_action_role(&mut self) -> Rc<dyn IRole> {
        if let Some(r) = &self.code_build_action_role {
            return r.clone();
        }
        let role: Rc<dyn IRole> = Rc::new(Role::new(
            &self.b.pipeline.node,
            "CodeBuildActionRole",
            RoleProps::assumed_by(self.b.pipeline.pipeline.role()),
        ));
        self.code_build_action_role = Some(role.clone());
        role
    }
}

/// What one CodeBuild action of the pipeline is made of.
struct ProjectSpec {
    construct_id: String,
    scope: Node,
    additional_level: bool,
    project_name: Option<String>,
    input: Artifact,
    extra_inputs: Vec<Artifact>,
    outputs: Vec<Artifact>,
    install_commands: Vec<String>,
    commands: Vec<String>,
    artifacts_dir: Option<String>,
    environment: BuildEnvironment,
    /// `privileged` as aws-cdk-lib's merged options have it (unset unless a default or the
    /// step sets it), for the project hash.
    privileged: Option<bool>,
    env_vars: crate::codebuild::EnvironmentVariables,
    role: Option<Rc<dyn IRole>>,
    action_role: Option<Rc<dyn IRole>>,
    role_policy_statements: Vec<PolicyStatement>,
    cache: Option<CodeBuildCache>,
    /// Action environment variables read from stack outputs (`#{namespace.output}`), after
    /// the project hash, as aws-cdk-lib orders them.
    output_env: Vec<(String, String)>,
}

/// aws-cdk-lib's default pipeline build environment (`standard:7.0`, small); `privileged` as
/// given (the asset projects set it, the others leave it unset).
fn default_environment(privileged: Option<bool>) -> BuildEnvironment {
    BuildEnvironment {
        build_image: Some(LinuxBuildImage::STANDARD_7_0),
        compute_type: Some(ComputeType::Small),
        privileged: privileged.unwrap_or(false),
        environment_variables: Vec::new(),
    }
}

/// `_PROJECT_CONFIG_HASH`: the SHA-256 of the project's environment and build spec, as
/// aws-cdk-lib's `CodeBuildFactory` serializes them.
fn project_config_hash(
    env: &BuildEnvironment,
    privileged: Option<bool>,
    build_spec: &str,
) -> String {
    let image = env
        .build_image
        .clone()
        .unwrap_or(LinuxBuildImage::STANDARD_7_0);
    let mut e = serde_json::Map::new();
    if let Some(p) = privileged {
        e.insert("privileged".into(), J::Bool(p));
    }
    // Always an object: aws-cdk-lib merges the step's variables into the defaults' (`{}`).
    let mut vars = serde_json::Map::new();
    for (k, v) in &env.environment_variables {
        vars.insert(
            k.clone(),
            json!({ "value": v.value.literal().unwrap_or_default() }),
        );
    }
    e.insert("environmentVariables".into(), J::Object(vars));
    e.insert("type".into(), json!("LINUX_CONTAINER"));
    e.insert("imageId".into(), json!(image.image_id));
    e.insert(
        "computeType".into(),
        json!(env
            .compute_type
            .clone()
            .unwrap_or(ComputeType::Small)
            .as_str()),
    );
    e.insert(
        "imagePullPrincipalType".into(),
        json!(image.image_pull_credentials_type),
    );
    let text = json!({ "environment": J::Object(e), "buildSpecString": build_spec }).to_string();
    hex(&Sha256::digest(text.as_bytes()))
}

fn apply_cache(project: &PipelineProject, cache: &CodeBuildCache, artifacts: Rc<dyn IBucket>) {
    use crate::generated::codebuild::cfn_project::ProjectCacheProperty;
    let s3 = |bucket: Rc<dyn IBucket>, prefix: &str| {
        let location = if prefix.is_empty() {
            bucket.bucket_name()
        } else {
            Str::concat([bucket.bucket_name(), Str::from("/"), Str::from(prefix)])
        };
        project
            .project()
            .cfn()
            .set_cache(Some(ProjectCacheProperty {
                location: Some(location),
                ..ProjectCacheProperty::new("S3")
            }));
        bucket.grant_read_write(project.project().role().as_ref());
    };
    match &cache.location {
        CacheLocation::S3 { bucket, prefix } => s3(bucket.clone(), prefix),
        CacheLocation::ArtifactBucket { prefix } => s3(artifacts, prefix),
        CacheLocation::Local(modes) => {
            project
                .project()
                .cfn()
                .set_cache(Some(ProjectCacheProperty {
                    modes: Some(cdk_core::StrList::from(modes.clone())),
                    ..ProjectCacheProperty::new("LOCAL")
                }));
        }
    }
}

/// An action whose rendered `Name` is a value (a repository's or bucket's name token), as
/// aws-cdk-lib names source actions.
struct RenderedName<A: IAction> {
    inner: A,
    name: Str,
}

impl<A: IAction> IAction for RenderedName<A> {
    fn action_properties(&self) -> crate::codepipeline::ActionProperties {
        self.inner.action_properties()
    }
    fn bind(
        &self,
        scope: &Node,
        stage: &crate::codepipeline::StageContext,
        options: &crate::codepipeline::ActionBindOptions,
    ) -> crate::codepipeline::ActionConfig {
        self.inner.bind(scope, stage, options)
    }
    fn rendered_name(&self) -> Option<Str> {
        Some(self.name.clone())
    }
    fn namespace(&self) -> Option<crate::codepipeline::ActionNamespace> {
        self.inner.namespace()
    }
}
