//! CodeBuild: projects run by CodePipeline ([`PipelineProject`]) with an inline build spec,
//! a build environment, environment variables, a service role with the CloudWatch Logs and
//! report-group permissions aws-cdk-lib adds, and an encryption key.
//!
//! ```
//! use cdk_core::{App, Environment, Stack, StackProps};
//! use cdk_constructs::codebuild::*;
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Ci", StackProps {
//!     env: Some(Environment::new("111111111111", "us-east-1")),
//!     ..Default::default()
//! });
//! let project = PipelineProject::new(&stack, "LambdaBuild", PipelineProjectProps {
//!     build_spec: Some(BuildSpec::from_object(serde_json::json!({
//!         "version": "0.2",
//!         "phases": { "build": { "commands": ["npm ci", "npm run build"] } },
//!         "artifacts": { "files": ["index.js"] },
//!     }))),
//!     environment: BuildEnvironment {
//!         build_image: Some(LinuxBuildImage::STANDARD_7_0),
//!         ..Default::default()
//!     },
//!     environment_variables: vec![
//!         ("STAGE".into(), BuildEnvironmentVariable::plaintext("prod")),
//!     ],
//!     ..Default::default()
//! });
//! assert!(project.project_arn().is_token());
//! ```

mod artifacts;
mod build_spec;
mod cache;
mod events;
mod report_group;
mod source;

pub use artifacts::{Artifacts, S3ArtifactsProps};
pub use build_spec::BuildSpec;
#[cfg_attr(not(feature = "codepipeline"), allow(dead_code, unused_imports))]
pub(crate) use build_spec::{json_object_string, json_string};
pub use cache::{BucketCacheOptions, Cache, LocalCacheMode};
pub use events::{PhaseChangeEvent, ProjectEvents, StateChangeEvent};
pub use report_group::{ImportedReportGroup, ReportGroup, ReportGroupProps, ReportGroupType};
pub use source::{
    CodeCommitSourceProps, EventAction, FilterGroup, GitHubSourceProps, S3SourceProps, Source,
};

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{
    ArnComponents, ArnFormat, IConstruct, Node, Num, PhysicalName, Resource, ResourceEnvironment,
    ResourceProps, Stack, Str, Value,
};

use crate::generated::runtime::Late;
use crate::iam::{
    AddToPrincipalPolicyResult, IPrincipal, IRole, PolicyStatement, PrincipalFragment, Role,
    RoleProps, ServicePrincipal,
};
use crate::kms::IKey;
use crate::s3::IBucket;
use crate::Bool;

/// Compute capacity of a build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComputeType {
    /// `BUILD_GENERAL1_SMALL` (3 GB, 2 vCPU): the default.
    Small,
    /// `BUILD_GENERAL1_MEDIUM`.
    Medium,
    /// `BUILD_GENERAL1_LARGE`.
    Large,
    /// `BUILD_GENERAL1_XLARGE`.
    XLarge,
    /// `BUILD_GENERAL1_2XLARGE`.
    X2Large,
    /// Another CodeBuild compute type.
    Other(String),
}

impl ComputeType {
    /// The CloudFormation value.
    pub fn as_str(&self) -> &str {
        match self {
            ComputeType::Small => "BUILD_GENERAL1_SMALL",
            ComputeType::Medium => "BUILD_GENERAL1_MEDIUM",
            ComputeType::Large => "BUILD_GENERAL1_LARGE",
            ComputeType::XLarge => "BUILD_GENERAL1_XLARGE",
            ComputeType::X2Large => "BUILD_GENERAL1_2XLARGE",
            ComputeType::Other(s) => s,
        }
    }
}

/// A Linux build image (`LINUX_CONTAINER`, pulled with CodeBuild's credentials).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinuxBuildImage {
    /// Image ID (`aws/codebuild/standard:7.0`).
    pub image_id: std::borrow::Cow<'static, str>,
    /// `CODEBUILD` for CodeBuild-managed images, `SERVICE_ROLE` for others.
    pub image_pull_credentials_type: &'static str,
}

impl LinuxBuildImage {
    /// `aws/codebuild/standard:5.0` (Ubuntu 20.04).
    pub const STANDARD_5_0: LinuxBuildImage = Self::codebuild("aws/codebuild/standard:5.0");
    /// `aws/codebuild/standard:6.0` (Ubuntu 22.04).
    pub const STANDARD_6_0: LinuxBuildImage = Self::codebuild("aws/codebuild/standard:6.0");
    /// `aws/codebuild/standard:7.0` (Ubuntu 22.04): aws-cdk-lib's default.
    pub const STANDARD_7_0: LinuxBuildImage = Self::codebuild("aws/codebuild/standard:7.0");
    /// `aws/codebuild/amazonlinux2-x86_64-standard:4.0`.
    pub const AMAZON_LINUX_2_4: LinuxBuildImage =
        Self::codebuild("aws/codebuild/amazonlinux2-x86_64-standard:4.0");
    /// `aws/codebuild/amazonlinux2-x86_64-standard:5.0`.
    pub const AMAZON_LINUX_2_5: LinuxBuildImage =
        Self::codebuild("aws/codebuild/amazonlinux2-x86_64-standard:5.0");

    const fn codebuild(id: &'static str) -> LinuxBuildImage {
        LinuxBuildImage {
            image_id: std::borrow::Cow::Borrowed(id),
            image_pull_credentials_type: "CODEBUILD",
        }
    }

    /// A CodeBuild-provided image by ID.
    pub fn from_code_build_image_id(id: &str) -> LinuxBuildImage {
        LinuxBuildImage {
            image_id: id.to_string().into(),
            image_pull_credentials_type: "CODEBUILD",
        }
    }

    /// A public Docker Hub image (`node:20`), pulled with the service role.
    pub fn from_docker_registry(name: &str) -> LinuxBuildImage {
        LinuxBuildImage {
            image_id: name.to_string().into(),
            image_pull_credentials_type: "SERVICE_ROLE",
        }
    }
}

/// Where an environment variable's value comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BuildEnvironmentVariableType {
    /// The value itself.
    #[default]
    Plaintext,
    /// The name of an SSM parameter (the role gets `ssm:GetParameters` on it).
    ParameterStore,
    /// A Secrets Manager secret name or ARN (the role gets `secretsmanager:GetSecretValue`).
    SecretsManager,
}

impl BuildEnvironmentVariableType {
    /// The CloudFormation value.
    pub fn as_str(self) -> &'static str {
        match self {
            BuildEnvironmentVariableType::Plaintext => "PLAINTEXT",
            BuildEnvironmentVariableType::ParameterStore => "PARAMETER_STORE",
            BuildEnvironmentVariableType::SecretsManager => "SECRETS_MANAGER",
        }
    }
}

/// An environment variable of a build.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildEnvironmentVariable {
    /// The value (or parameter/secret reference).
    pub value: Str,
    /// How the value is interpreted.
    pub r#type: BuildEnvironmentVariableType,
}

impl BuildEnvironmentVariable {
    /// A plain value.
    pub fn plaintext(value: impl Into<Str>) -> Self {
        BuildEnvironmentVariable {
            value: value.into(),
            r#type: BuildEnvironmentVariableType::Plaintext,
        }
    }

    /// An SSM parameter name.
    pub fn parameter_store(name: impl Into<Str>) -> Self {
        BuildEnvironmentVariable {
            value: name.into(),
            r#type: BuildEnvironmentVariableType::ParameterStore,
        }
    }

    /// A Secrets Manager secret (name, ARN, or `name:json-key`).
    pub fn secrets_manager(secret: impl Into<Str>) -> Self {
        BuildEnvironmentVariable {
            value: secret.into(),
            r#type: BuildEnvironmentVariableType::SecretsManager,
        }
    }
}

/// Ordered environment variables (`(name, variable)`), as written.
pub type EnvironmentVariables = Vec<(String, BuildEnvironmentVariable)>;

/// Build environment of a project.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildEnvironment {
    /// Image (default [`LinuxBuildImage::STANDARD_7_0`]).
    pub build_image: Option<LinuxBuildImage>,
    /// Compute type (default [`ComputeType::Small`]).
    pub compute_type: Option<ComputeType>,
    /// Run Docker in the build (privileged mode).
    pub privileged: bool,
    /// Variables of the environment (project-level variables override them).
    pub environment_variables: EnvironmentVariables,
}

/// Properties of a [`PipelineProject`].
#[derive(Clone, Default)]
pub struct PipelineProjectProps {
    /// Physical name (2-255 of `A-Za-z0-9_-`, starting alphanumeric), or
    /// [`PhysicalName::GENERATE_IF_NEEDED`].
    pub project_name: Option<PhysicalName>,
    /// Description.
    pub description: Option<String>,
    /// The build spec (default: `buildspec.yml` of the source).
    pub build_spec: Option<BuildSpec>,
    /// Build environment.
    pub environment: BuildEnvironment,
    /// Project-level environment variables.
    pub environment_variables: EnvironmentVariables,
    /// Service role (default: a new role `Role` assumed by `codebuild.amazonaws.com`, with a
    /// name generated when another account needs it).
    pub role: Option<Rc<dyn IRole>>,
    /// Key that encrypts build artifacts (default: the pipeline artifact bucket's key when
    /// added to a pipeline, else `alias/aws/s3`); the role gets encrypt/decrypt on it.
    pub encryption_key: Option<Rc<dyn IKey>>,
    /// Build timeout (5-2160 minutes).
    pub timeout: Option<Duration>,
    /// Queue timeout (5-480 minutes).
    pub queued_timeout: Option<Duration>,
    /// Grant the role the report-group permissions (default true).
    pub grant_report_group_permissions: Option<bool>,
}

/// Properties of a [`Project`] (aws-cdk-lib's `ProjectProps`).
#[derive(Clone, Default)]
pub struct ProjectProps {
    /// Where the source comes from (default [`Source::none`], which needs an inline build
    /// spec).
    pub source: Option<Source>,
    /// Where the output goes (default: [`Artifacts::none`]; CodePipeline's for a CodePipeline
    /// source).
    pub artifacts: Option<Artifacts>,
    /// More sources, each with an identifier.
    pub secondary_sources: Vec<Source>,
    /// More outputs, each with an identifier.
    pub secondary_artifacts: Vec<Artifacts>,
    /// The build cache (default [`Cache::none`]).
    pub cache: Option<Cache>,
    /// Physical name (2-255 of `A-Za-z0-9_-`, starting alphanumeric), or
    /// [`PhysicalName::GENERATE_IF_NEEDED`].
    pub project_name: Option<PhysicalName>,
    /// Description.
    pub description: Option<String>,
    /// The build spec (default: `buildspec.yml` of the source).
    pub build_spec: Option<BuildSpec>,
    /// Build environment.
    pub environment: BuildEnvironment,
    /// Project-level environment variables.
    pub environment_variables: EnvironmentVariables,
    /// Service role (default: a new role `Role` assumed by `codebuild.amazonaws.com`).
    pub role: Option<Rc<dyn IRole>>,
    /// Key that encrypts build artifacts (default `alias/aws/s3`).
    pub encryption_key: Option<Rc<dyn IKey>>,
    /// Build timeout (5-2160 minutes).
    pub timeout: Option<Duration>,
    /// Queue timeout (5-480 minutes).
    pub queued_timeout: Option<Duration>,
    /// Grant the role the report-group permissions for `<project>-*` (default true).
    pub grant_report_group_permissions: Option<bool>,
    /// Publish a build badge (CodeCommit and GitHub sources).
    pub badge: Option<bool>,
    /// At most this many concurrent builds.
    pub concurrent_build_limit: Option<u32>,
}

impl From<PipelineProjectProps> for ProjectProps {
    fn from(p: PipelineProjectProps) -> Self {
        ProjectProps {
            source: Some(Source::code_pipeline()),
            artifacts: Some(Artifacts::code_pipeline()),
            project_name: p.project_name,
            description: p.description,
            build_spec: p.build_spec,
            environment: p.environment,
            environment_variables: p.environment_variables,
            role: p.role,
            encryption_key: p.encryption_key,
            timeout: p.timeout,
            queued_timeout: p.queued_timeout,
            grant_report_group_permissions: p.grant_report_group_permissions,
            ..Default::default()
        }
    }
}

struct ProjectState {
    encryption_key: Option<Rc<dyn IKey>>,
}

/// A CodeBuild project: created ([`Project`], e.g. through [`PipelineProject`]) or imported
/// ([`ImportedProject`]).
pub trait IProject: IPrincipal + IConstruct {
    /// The project's ARN.
    fn project_arn(&self) -> Str;
    /// The project's name.
    fn project_name(&self) -> Str;
    /// Where the project lives.
    fn env(&self) -> ResourceEnvironment;
    /// The service role (`None` for an imported project).
    fn role(&self) -> Option<Rc<dyn IRole>>;
    /// Adds a statement to the service role's policy (no effect without a role).
    fn add_to_role_policy(&self, statement: PolicyStatement) {
        if let Some(role) = self.role() {
            role.add_to_policy(statement);
        }
    }
    /// Called when the project is used by a pipeline action (aws-cdk-lib's
    /// `bindToCodePipeline`): a project without a key of its own uses the artifact bucket's.
    fn bind_to_code_pipeline(&self, _artifact_bucket: &dyn IBucket) {}
    /// The stack the project is defined (or imported) in.
    fn stack(&self) -> Option<Stack> {
        Stack::of(self.node())
    }
}

/// A CodeBuild project created by this app (see [`PipelineProject`]).
#[derive(Clone)]
pub struct Project {
    base: Resource,
    resource: CfnProject,
    role: Rc<dyn IRole>,
    state: Rc<RefCell<ProjectState>>,
    arn: Str,
    name: Str,
}

impl IConstruct for Project {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

/// A project whose source and artifacts are CodePipeline's (`Type: CODEPIPELINE`).
///
/// It dereferences to [`Project`].
#[derive(Clone)]
pub struct PipelineProject(Project);

impl std::ops::Deref for PipelineProject {
    type Target = Project;
    fn deref(&self) -> &Project {
        &self.0
    }
}

impl From<PipelineProject> for Project {
    fn from(p: PipelineProject) -> Project {
        p.0
    }
}

impl From<&PipelineProject> for Project {
    fn from(p: &PipelineProject) -> Project {
        p.0.clone()
    }
}

impl IConstruct for PipelineProject {
    fn node(&self) -> &Node {
        self.0.node()
    }
}

impl From<PipelineProject> for Rc<dyn IProject> {
    fn from(p: PipelineProject) -> Self {
        Rc::new(p.0)
    }
}

impl From<&PipelineProject> for Rc<dyn IProject> {
    fn from(p: &PipelineProject) -> Self {
        Rc::new(p.0.clone())
    }
}

impl From<Project> for Rc<dyn IProject> {
    fn from(p: Project) -> Self {
        Rc::new(p)
    }
}

impl From<&Project> for Rc<dyn IProject> {
    fn from(p: &Project) -> Self {
        Rc::new(p.clone())
    }
}

impl From<ImportedProject> for Rc<dyn IProject> {
    fn from(p: ImportedProject) -> Self {
        Rc::new(p)
    }
}

impl From<&ImportedProject> for Rc<dyn IProject> {
    fn from(p: &ImportedProject) -> Self {
        Rc::new(p.clone())
    }
}

/// Problems with a literal project name, by CodeBuild's rules.
pub fn project_name_errors(name: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let len = name.chars().count();
    if !(2..=255).contains(&len) {
        errors.push(format!(
            "project name '{name}' must be between 2 and 255 characters long"
        ));
    }
    if !name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.push(format!(
            "project name '{name}' must start with a letter or digit and contain only letters, digits, '-' and '_'"
        ));
    }
    errors
}

fn minutes(d: Duration, what: &str, range: std::ops::RangeInclusive<u64>, node: &Node) -> Num {
    let m = d.as_secs() / 60;
    if !d.as_secs().is_multiple_of(60) || !range.contains(&m) {
        node.add_error(&format!(
            "{what} must be a whole number of minutes between {} and {} (got {} seconds)",
            range.start(),
            range.end(),
            d.as_secs()
        ));
    }
    Num::from(m)
}

impl PipelineProject {
    /// Defines a project `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: PipelineProjectProps) -> Self {
        PipelineProject(Project::create(
            scope,
            id,
            props.into(),
            "cdk-constructs.codebuild.PipelineProject",
        ))
    }

    /// The project.
    pub fn project(&self) -> &Project {
        &self.0
    }
}

impl Project {
    /// Defines a project `id` under `scope` (`AWS::CodeBuild::Project`, child `Resource`, with
    /// its service role `Role`).
    ///
    /// ```
    /// use std::rc::Rc;
    /// use cdk_core::{App, Stack, StackProps};
    /// use cdk_constructs::codebuild::*;
    /// use cdk_constructs::s3::{Bucket, BucketProps};
    ///
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Ci", StackProps::default());
    /// let cache_bucket = Bucket::new(&stack, "CacheBucket", BucketProps::default());
    /// Project::new(&stack, "Build", ProjectProps {
    ///     source: Some(Source::git_hub(GitHubSourceProps {
    ///         owner: "my-org".into(),
    ///         repo: Some("my-repo".into()),
    ///         webhook_filters: vec![FilterGroup::in_event_of([EventAction::Push]).unwrap().and_branch_is("main")],
    ///         ..Default::default()
    ///     })),
    ///     build_spec: Some(BuildSpec::from_source_filename("ci/buildspec.yml")),
    ///     cache: Some(Cache::bucket(Rc::new(cache_bucket), BucketCacheOptions::default())),
    ///     environment_variables: vec![
    ///         ("TOKEN".into(), BuildEnvironmentVariable::secrets_manager("ci/token")),
    ///         ("STAGE".into(), BuildEnvironmentVariable::parameter_store("/ci/stage")),
    ///     ],
    ///     ..Default::default()
    /// });
    /// ```
    pub fn new(scope: &impl IConstruct, id: &str, props: ProjectProps) -> Self {
        Self::create(scope, id, props, "cdk-constructs.codebuild.Project")
    }

    fn create(scope: &impl IConstruct, id: &str, props: ProjectProps, fqn: &str) -> Self {
        let base = Resource::new(
            scope,
            id,
            fqn,
            ResourceProps {
                physical_name: props.project_name.clone(),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        if let Some(PhysicalName::Given(name)) = &props.project_name {
            if let Some(name) = name.literal() {
                for e in project_name_errors(name) {
                    node.add_error(&e);
                }
            }
        }
        if let Some(spec) = &props.build_spec {
            for e in spec.errors() {
                node.add_error(&e);
            }
            for w in spec.warnings() {
                node.add_warning(&w);
            }
        }
        let role: Rc<dyn IRole> = props.role.clone().unwrap_or_else(|| {
            Rc::new(Role::new(
                &node,
                "Role",
                RoleProps {
                    role_name: Some(PhysicalName::GENERATE_IF_NEEDED),
                    ..RoleProps::assumed_by(ServicePrincipal::new("codebuild.amazonaws.com"))
                },
            ))
        });
        let state = Rc::new(RefCell::new(ProjectState {
            encryption_key: None,
        }));
        // Sources, artifacts and cache, bound in aws-cdk-lib's order (their grants come first
        // in the role's policy).
        let source = props.source.clone().unwrap_or_else(Source::none);
        if props.badge == Some(true) && !source.badge_supported() {
            node.add_error(&format!(
                "Badge is not supported for source type {}",
                source.source_type()
            ));
        }
        let source_config = match source.bind(role.as_ref()) {
            Ok(c) => Some(c),
            Err(e) => {
                node.add_error(&e);
                None
            }
        };
        let artifacts = props.artifacts.clone().unwrap_or_else(|| {
            if source.source_type() == "CODEPIPELINE" {
                Artifacts::code_pipeline()
            } else {
                Artifacts::none()
            }
        });
        let artifacts_property = artifacts.bind(role.as_ref());
        let cache = props.cache.clone().unwrap_or_default();
        cache.bind(role.as_ref());
        if source.source_type() == "NO_SOURCE"
            && !props
                .build_spec
                .as_ref()
                .is_some_and(BuildSpec::is_immediate)
        {
            node.add_error(
                "If the Project's source is NoSource, you need to provide a concrete buildSpec",
            );
        }
        let mut secondary_sources = Vec::new();
        let mut secondary_versions = Vec::new();
        for s in &props.secondary_sources {
            let Some(identifier) = s.identifier() else {
                node.add_error("The identifier attribute is mandatory for secondary sources");
                continue;
            };
            match s.bind(role.as_ref()) {
                Ok(c) => {
                    if let Some(v) = c.source_version {
                        let mut version =
                            cfn_project::ProjectSourceVersionProperty::new(identifier);
                        version.source_version = Some(v);
                        secondary_versions.push(version);
                    }
                    secondary_sources.push(c.source);
                }
                Err(e) => node.add_error(&e),
            }
        }
        let mut secondary_artifacts = Vec::new();
        for a in &props.secondary_artifacts {
            if a.identifier().is_none() {
                node.add_error("The identifier attribute is mandatory for secondary artifacts");
                continue;
            }
            secondary_artifacts.push(a.bind(role.as_ref()));
        }
        let pipeline_source = source.source_type() == "CODEPIPELINE";
        if (pipeline_source || artifacts.artifacts_type() == "CODEPIPELINE")
            && source.source_type() != artifacts.artifacts_type()
        {
            node.add_error("Both source and artifacts must be set to CodePipeline");
        }
        if pipeline_source && !secondary_sources.is_empty() {
            node.add_error("A Project with a CodePipeline Source cannot have secondary sources. Use the CodeBuild Pipeline Actions' `extraInputs` property instead");
        }
        if pipeline_source && !secondary_artifacts.is_empty() {
            node.add_error("A Project with a CodePipeline Source cannot have secondary artifacts. Use the CodeBuild Pipeline Actions' `outputs` property instead");
        }
        let image = props
            .environment
            .build_image
            .clone()
            .unwrap_or(LinuxBuildImage::STANDARD_7_0);
        // Container variables first, project-level ones override (aws-cdk-lib's order).
        let mut vars: EnvironmentVariables = Vec::new();
        for (what, list) in [
            (
                "build environment",
                &props.environment.environment_variables,
            ),
            ("project", &props.environment_variables),
        ] {
            let mut seen = std::collections::HashSet::new();
            for (name, _) in list {
                if !seen.insert(name.as_str()) {
                    node.add_error(&format!(
                        "environment variable '{name}' is defined twice in the {what}"
                    ));
                }
            }
        }
        for (name, v) in props
            .environment
            .environment_variables
            .iter()
            .chain(&props.environment_variables)
        {
            match vars.iter_mut().find(|(n, _)| n == name) {
                Some(existing) => existing.1 = v.clone(),
                None => vars.push((name.clone(), v.clone())),
            }
        }
        let stack = Stack::of(&node);
        let env_vars = if vars.is_empty() {
            None
        } else {
            Some(serialize_env_variables(
                &vars,
                stack.as_ref(),
                Some(role.as_ref()),
            ))
        };
        let mut environment = cfn_project::EnvironmentProperty::new(
            props
                .environment
                .compute_type
                .clone()
                .unwrap_or(ComputeType::Small)
                .as_str(),
            image.image_id.as_ref(),
            "LINUX_CONTAINER",
        );
        environment.image_pull_credentials_type = Some(image.image_pull_credentials_type.into());
        environment.privileged_mode = Some(Bool::from(props.environment.privileged));
        environment.environment_variables = env_vars;
        let (mut source_property, source_version, triggers) = match source_config {
            Some(c) => (c.source, c.source_version, c.triggers),
            None => (
                cfn_project::SourceProperty::new(source.source_type()),
                None,
                None,
            ),
        };
        source_property.build_spec = props.build_spec.as_ref().map(BuildSpec::to_build_spec);
        let mut cfn_props = CfnProjectProps::new(
            artifacts_property,
            environment,
            role.role_arn(),
            source_property,
        );
        cfn_props.cache = Some(cache.to_cfn());
        cfn_props.source_version = source_version;
        cfn_props.triggers = triggers;
        cfn_props.badge_enabled = props.badge.map(Into::into);
        cfn_props.concurrent_build_limit = props.concurrent_build_limit.map(Into::into);
        cfn_props.secondary_sources = (!secondary_sources.is_empty()).then_some(secondary_sources);
        cfn_props.secondary_source_versions =
            (!secondary_versions.is_empty()).then_some(secondary_versions);
        cfn_props.secondary_artifacts =
            (!secondary_artifacts.is_empty()).then_some(secondary_artifacts);
        cfn_props.description = props.description.clone().map(Str::from);
        cfn_props.name = base.physical_name();
        cfn_props.timeout_in_minutes = props
            .timeout
            .map(|d| minutes(d, "timeout", 5..=2160, &node));
        cfn_props.queued_timeout_in_minutes = props
            .queued_timeout
            .map(|d| minutes(d, "queued_timeout", 5..=480, &node));
        let resource = CfnProject::new(&base, "Resource", cfn_props);
        let key_state = state.clone();
        resource.set_encryption_key(Late::lazy(move || {
            Some(
                key_state
                    .borrow()
                    .encryption_key
                    .as_ref()
                    .map(|k| k.key_arn())
                    .unwrap_or_else(|| "alias/aws/s3".into()),
            )
        }));
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("codebuild", "project")
                .with_name(base.physical_name().unwrap_or_default()),
        );
        let name = base.name_attribute(resource.ref_());
        let project = Project {
            base,
            resource,
            role: role.clone(),
            state,
            arn,
            name,
        };
        // Logs and report groups, as aws-cdk-lib adds them.
        let name = project.project_name();
        if let Some(stack) = &stack {
            let log_group_arn = stack.format_arn(
                ArnComponents::new("logs", "log-group")
                    .with_name(Str::from("/aws/codebuild/") + name.clone())
                    .with_format(ArnFormat::ColonResourceName),
            );
            role.add_to_policy(
                PolicyStatement::new()
                    .resources([log_group_arn.clone(), log_group_arn + ":*"])
                    .actions([
                        "logs:CreateLogGroup",
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                    ]),
            );
            if props.grant_report_group_permissions != Some(false) {
                role.add_to_policy(
                    PolicyStatement::new()
                        .actions([
                            "codebuild:CreateReportGroup",
                            "codebuild:CreateReport",
                            "codebuild:UpdateReport",
                            "codebuild:BatchPutTestCases",
                            "codebuild:BatchPutCodeCoverages",
                        ])
                        .resource(stack.format_arn(
                            ArnComponents::new("codebuild", "report-group").with_name(name + "-*"),
                        )),
                );
            }
        }
        if let Some(key) = props.encryption_key {
            project.set_encryption_key(key);
        }
        project
    }

    /// An existing project of this stack's account and region, by name. It has no role, so
    /// pipelines cannot grant it access to their artifacts (give its role access yourself).
    pub fn from_project_name(scope: &impl IConstruct, id: &str, name: &str) -> ImportedProject {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.codebuild.ImportedProject",
            ResourceProps::default(),
        );
        let arn = match Stack::of(&base) {
            Some(s) => s.format_arn(ArnComponents::new("codebuild", "project").with_name(name)),
            None => Str::from(name),
        };
        ImportedProject {
            base,
            name: name.into(),
            arn,
        }
    }

    /// An existing project by ARN (its account and region come from the ARN).
    pub fn from_project_arn(
        scope: &impl IConstruct,
        id: &str,
        arn: impl Into<Str>,
    ) -> ImportedProject {
        let arn = arn.into();
        let parts = Stack::of(scope)
            .map(|s| s.split_arn(arn.clone(), ArnFormat::SlashResourceName))
            .unwrap_or_default();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.codebuild.ImportedProject",
            ResourceProps {
                account: parts.account,
                region: parts.region,
                ..Default::default()
            },
        );
        ImportedProject {
            base,
            name: parts.resource_name.unwrap_or_default(),
            arn,
        }
    }

    /// The project's name (`Ref` here; the physical name from another account or region).
    pub fn project_name(&self) -> Str {
        self.name.clone()
    }

    /// The project's ARN.
    pub fn project_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The service role.
    pub fn role(&self) -> &Rc<dyn IRole> {
        &self.role
    }

    /// Adds a statement to the service role's policy.
    pub fn add_to_role_policy(&self, statement: PolicyStatement) {
        self.role.add_to_policy(statement);
    }

    /// The encryption key, once set.
    pub fn encryption_key(&self) -> Option<Rc<dyn IKey>> {
        self.state.borrow().encryption_key.clone()
    }

    /// Sets the key that encrypts build artifacts; the role gets encrypt/decrypt on it.
    pub fn set_encryption_key(&self, key: Rc<dyn IKey>) {
        key.grant_encrypt_decrypt(self);
        self.state.borrow_mut().encryption_key = Some(key);
    }

    /// The stack the project is defined in.
    pub fn stack(&self) -> Option<Stack> {
        self.base.stack()
    }

    /// The underlying `AWS::CodeBuild::Project`.
    pub fn cfn(&self) -> &CfnProject {
        &self.resource
    }
}

impl IPrincipal for Project {
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

impl IProject for Project {
    fn project_arn(&self) -> Str {
        self.arn.clone()
    }
    fn project_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn role(&self) -> Option<Rc<dyn IRole>> {
        Some(self.role.clone())
    }
    fn bind_to_code_pipeline(&self, artifact_bucket: &dyn IBucket) {
        let Some(key) = artifact_bucket.encryption_key() else {
            return;
        };
        if self.encryption_key().is_some() {
            return;
        }
        // A key of this app in another environment cannot encrypt this project's artifacts.
        let other_env = match (key.owned_stack(), self.stack()) {
            (Some(k), Some(p)) => k.account() != p.account() || k.region() != p.region(),
            _ => false,
        };
        if !other_env {
            self.set_encryption_key(key);
        }
    }
}

/// A project defined outside this app: it has no role, so pipelines cannot grant it access to
/// their artifacts (give its role access yourself).
#[derive(Clone)]
pub struct ImportedProject {
    base: Resource,
    name: Str,
    arn: Str,
}

impl IConstruct for ImportedProject {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IPrincipal for ImportedProject {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::default()
    }
}

impl IProject for ImportedProject {
    fn project_arn(&self) -> Str {
        self.arn.clone()
    }
    fn project_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn role(&self) -> Option<Rc<dyn IRole>> {
        None
    }
}

/// Renders environment variables as CloudFormation expects them and grants `role` access to
/// the SSM parameters and secrets they name (aws-cdk-lib's `Project.serializeEnvVariables`).
pub(crate) fn serialize_env_variables(
    vars: &EnvironmentVariables,
    stack: Option<&Stack>,
    role: Option<&dyn IRole>,
) -> Vec<cfn_project::EnvironmentVariableProperty> {
    let mut out = Vec::new();
    let mut ssm: Vec<Str> = Vec::new();
    let mut secrets: Vec<Str> = Vec::new();
    let mut kms: Vec<Str> = Vec::new();
    let push = |list: &mut Vec<Str>, s: Str| {
        if !list.contains(&s) {
            list.push(s);
        }
    };
    for (name, var) in vars {
        let mut prop =
            cfn_project::EnvironmentVariableProperty::new(name.as_str(), var.value.clone());
        prop.r#type = Some(var.r#type.as_str().into());
        out.push(prop);
        let Some(stack) = stack else { continue };
        match var.r#type {
            BuildEnvironmentVariableType::Plaintext => {}
            BuildEnvironmentVariableType::ParameterStore => {
                let param = match var.value.literal() {
                    Some(v) => Str::from(v.strip_prefix('/').unwrap_or(v)),
                    None => var.value.clone(),
                };
                push(
                    &mut ssm,
                    stack.format_arn(ArnComponents::new("ssm", "parameter").with_name(param)),
                );
            }
            BuildEnvironmentVariableType::SecretsManager => match var.value.literal() {
                Some(v) if v.starts_with("arn:") => {
                    let parsed = stack.split_arn(v, ArnFormat::ColonResourceName);
                    let secret_name = parsed
                        .resource_name
                        .as_ref()
                        .and_then(|n| {
                            n.literal()
                                .map(|n| n.split(':').next().unwrap_or(n).to_string())
                        })
                        .unwrap_or_default();
                    let other = |service: &str, resource: &str, name: String, format: ArnFormat| {
                        let mut c = ArnComponents::new(service, resource)
                            .with_name(name)
                            .with_format(format);
                        c.partition = parsed.partition.clone();
                        c.account = parsed.account.clone();
                        c.region = parsed.region.clone();
                        stack.format_arn(c)
                    };
                    push(
                        &mut secrets,
                        other(
                            "secretsmanager",
                            "secret",
                            format!("{secret_name}*"),
                            ArnFormat::ColonResourceName,
                        ),
                    );
                    if parsed.account.as_ref().is_some_and(|a| {
                        a.compare(&stack.account()) == cdk_core::TokenComparison::Different
                    }) {
                        push(
                            &mut kms,
                            other("kms", "key", "*".into(), ArnFormat::SlashResourceName),
                        );
                    }
                }
                Some(v) => {
                    let secret = v.split(':').next().unwrap_or(v);
                    push(
                        &mut secrets,
                        stack.format_arn(
                            ArnComponents::new("secretsmanager", "secret")
                                .with_name(format!("{secret}-??????"))
                                .with_format(ArnFormat::ColonResourceName),
                        ),
                    );
                }
                None => push(&mut secrets, var.value.clone()),
            },
        }
    }
    if let Some(role) = role {
        if !ssm.is_empty() {
            role.add_to_policy(
                PolicyStatement::new()
                    .action("ssm:GetParameters")
                    .resources(ssm),
            );
        }
        if !secrets.is_empty() {
            role.add_to_policy(
                PolicyStatement::new()
                    .action("secretsmanager:GetSecretValue")
                    .resources(secrets),
            );
        }
        if !kms.is_empty() {
            role.add_to_policy(PolicyStatement::new().action("kms:Decrypt").resources(kms));
        }
    }
    out
}

/// The same as [`serialize_env_variables`] as JSON text for a pipeline action's
/// `EnvironmentVariables` configuration (`[{"name":..,"type":..,"value":..}]`).
#[cfg_attr(not(feature = "codepipeline"), allow(dead_code))]
pub(crate) fn env_variables_json(vars: &[cfn_project::EnvironmentVariableProperty]) -> Str {
    let items: Vec<Value> = vars
        .iter()
        .map(|v| {
            Value::List(vec![
                v.name.clone().into_value(),
                v.r#type.clone().map(Str::into_value).unwrap_or_default(),
                v.value.clone().into_value(),
            ])
        })
        .collect();
    let items = Rc::new(items);
    Str::lazy(move || {
        let mut parts: Vec<Str> = vec![Str::from("[")];
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                parts.push(",".into());
            }
            let fields = item.as_list().unwrap_or(&[]);
            let keys = ["name", "type", "value"];
            parts.push("{".into());
            for (j, (k, v)) in keys.iter().zip(fields).enumerate() {
                if j > 0 {
                    parts.push(",".into());
                }
                parts.push(format!("\"{k}\":").into());
                parts.push(json_string(v.clone(), false));
            }
            parts.push("}".into());
        }
        parts.push("]".into());
        Str::concat(parts)
    })
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::codebuild::*;
