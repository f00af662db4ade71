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

mod build_spec;

pub use build_spec::BuildSpec;
#[cfg_attr(not(feature = "codepipeline"), allow(dead_code, unused_imports))]
pub(crate) use build_spec::{json_object_string, json_string};

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{ArnComponents, Aws, IConstruct, Node, Num, Stack, Str, Value};

use crate::iam::{IPrincipal, PolicyStatement, Role, RoleProps, ServicePrincipal};
use crate::kms::Key;
use crate::s3::Bucket;
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
    /// Physical name (2-255 of `A-Za-z0-9_-`, starting alphanumeric).
    pub project_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// The build spec (default: `buildspec.yml` of the source).
    pub build_spec: Option<BuildSpec>,
    /// Build environment.
    pub environment: BuildEnvironment,
    /// Project-level environment variables.
    pub environment_variables: EnvironmentVariables,
    /// Service role (default: a new role `Role` assumed by `codebuild.amazonaws.com`).
    pub role: Option<Role>,
    /// Key that encrypts build artifacts (default: the pipeline artifact bucket's key when
    /// added to a pipeline, else `alias/aws/s3`); the role gets encrypt/decrypt on it.
    pub encryption_key: Option<Key>,
    /// Build timeout (5-2160 minutes).
    pub timeout: Option<Duration>,
    /// Queue timeout (5-480 minutes).
    pub queued_timeout: Option<Duration>,
    /// Grant the role the report-group permissions (default true).
    pub grant_report_group_permissions: Option<bool>,
}

struct ProjectState {
    encryption_key: Option<Key>,
}

#[derive(Clone)]
enum ProjectKind {
    Created {
        resource: CfnProject,
        role: Role,
        state: Rc<RefCell<ProjectState>>,
    },
    Imported {
        name: Str,
        arn: Str,
    },
}

/// A CodeBuild project (created by [`PipelineProject::new`] or imported by name).
#[derive(Clone)]
pub struct Project {
    node: Node,
    kind: ProjectKind,
}

impl IConstruct for Project {
    fn node(&self) -> &Node {
        &self.node
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

impl From<&Project> for Project {
    fn from(p: &Project) -> Project {
        p.clone()
    }
}

impl IConstruct for PipelineProject {
    fn node(&self) -> &Node {
        &self.0.node
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
        PipelineProject(Project::create(scope, id, props))
    }

    /// The project.
    pub fn project(&self) -> &Project {
        &self.0
    }
}

impl Project {
    fn create(scope: &impl IConstruct, id: &str, props: PipelineProjectProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.codebuild.PipelineProject");
        if let Some(name) = &props.project_name {
            for e in project_name_errors(name) {
                node.add_error(&e);
            }
        }
        if let Some(spec) = &props.build_spec {
            for e in spec.errors() {
                node.add_error(&e);
            }
        }
        let role = props.role.clone().unwrap_or_else(|| {
            Role::new(
                &node,
                "Role",
                RoleProps::assumed_by(ServicePrincipal::new("codebuild.amazonaws.com")),
            )
        });
        let state = Rc::new(RefCell::new(ProjectState {
            encryption_key: None,
        }));
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
            Some(serialize_env_variables(&vars, stack.as_ref(), Some(&role)))
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
        let mut source = cfn_project::SourceProperty::new("CODEPIPELINE");
        source.build_spec = props.build_spec.as_ref().map(BuildSpec::to_build_spec);
        let key_state = state.clone();
        let mut cfn_props = CfnProjectProps::new(
            cfn_project::ArtifactsProperty::new("CODEPIPELINE"),
            environment,
            role.role_arn(),
            source,
        );
        cfn_props.cache = Some(cfn_project::ProjectCacheProperty::new("NO_CACHE"));
        cfn_props.description = props.description.clone().map(Str::from);
        cfn_props.encryption_key = Some(Str::lazy(move || {
            key_state
                .borrow()
                .encryption_key
                .as_ref()
                .map(Key::key_arn)
                .unwrap_or_else(|| "alias/aws/s3".into())
        }));
        cfn_props.name = props.project_name.clone().map(Str::from);
        cfn_props.timeout_in_minutes = props
            .timeout
            .map(|d| minutes(d, "timeout", 5..=2160, &node));
        cfn_props.queued_timeout_in_minutes = props
            .queued_timeout
            .map(|d| minutes(d, "queued_timeout", 5..=480, &node));
        let resource = CfnProject::new(&node, "Resource", cfn_props);
        let project = Project {
            node,
            kind: ProjectKind::Created {
                resource,
                role: role.clone(),
                state,
            },
        };
        // Logs and report groups, as aws-cdk-lib adds them.
        let name = project.project_name();
        let (region, account) = match &stack {
            Some(s) => (s.region(), s.account()),
            None => (Aws::REGION, Aws::ACCOUNT_ID),
        };
        let log_group_arn = Str::from("arn:")
            + Aws::PARTITION
            + ":logs:"
            + region.clone()
            + ":"
            + account.clone()
            + ":log-group:/aws/codebuild/"
            + name.clone();
        role.add_to_policy(
            PolicyStatement::new()
                .actions([
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                ])
                .resources([log_group_arn.clone(), log_group_arn + ":*"]),
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
                    .resource(
                        Str::from("arn:")
                            + Aws::PARTITION
                            + ":codebuild:"
                            + region
                            + ":"
                            + account
                            + ":report-group/"
                            + name
                            + "-*",
                    ),
            );
        }
        if let Some(key) = props.encryption_key {
            project.set_encryption_key(key);
        }
        project
    }

    /// An existing project of this stack's account and region, by name. It has no role, so
    /// pipelines cannot grant it access to their artifacts (give its role access yourself).
    pub fn from_project_name(scope: &impl IConstruct, id: &str, name: &str) -> Project {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.codebuild.ImportedProject");
        let arn = match Stack::of(&node) {
            Some(s) => s.format_arn(ArnComponents {
                service: "codebuild".into(),
                resource: "project".into(),
                resource_name: Some(name.into()),
                ..Default::default()
            }),
            None => Str::from(name),
        };
        Project {
            node,
            kind: ProjectKind::Imported {
                name: name.into(),
                arn,
            },
        }
    }

    /// The project's name (`Ref`).
    pub fn project_name(&self) -> Str {
        match &self.kind {
            ProjectKind::Created { resource, .. } => resource.ref_(),
            ProjectKind::Imported { name, .. } => name.clone(),
        }
    }

    /// The project's ARN (`Fn::GetAtt Arn`).
    pub fn project_arn(&self) -> Str {
        match &self.kind {
            ProjectKind::Created { resource, .. } => resource.attr_arn(),
            ProjectKind::Imported { arn, .. } => arn.clone(),
        }
    }

    /// The service role (`None` for an imported project).
    pub fn role(&self) -> Option<&Role> {
        match &self.kind {
            ProjectKind::Created { role, .. } => Some(role),
            ProjectKind::Imported { .. } => None,
        }
    }

    /// Adds a statement to the service role's policy (no-op for an imported project).
    pub fn add_to_role_policy(&self, statement: PolicyStatement) {
        if let Some(role) = self.role() {
            role.add_to_policy(statement);
        }
    }

    /// The encryption key, once set.
    pub fn encryption_key(&self) -> Option<Key> {
        match &self.kind {
            ProjectKind::Created { state, .. } => state.borrow().encryption_key.clone(),
            ProjectKind::Imported { .. } => None,
        }
    }

    fn set_encryption_key(&self, key: Key) {
        if let ProjectKind::Created { state, role, .. } = &self.kind {
            key.grant_encrypt_decrypt(role);
            state.borrow_mut().encryption_key = Some(key);
        }
    }

    /// Called when the project is used by a pipeline action: CodeBuild ignores the pipeline's
    /// key, so a project without a key of its own uses the artifact bucket's (when that key
    /// is in the project's account and region), as aws-cdk-lib does.
    pub fn bind_to_code_pipeline(&self, artifact_bucket: &Bucket) {
        let Some(key) = artifact_bucket.encryption_key() else {
            return;
        };
        if self.encryption_key().is_some() {
            return;
        }
        let same_env = match (Stack::of(key), Stack::of(&self.node)) {
            (Some(a), Some(b)) => a.account() == b.account() && a.region() == b.region(),
            _ => true,
        };
        if same_env {
            self.set_encryption_key(key.clone());
        }
    }

    /// The stack the project is defined in.
    pub fn stack(&self) -> Option<Stack> {
        Stack::of(&self.node)
    }

    /// The underlying `AWS::CodeBuild::Project` (created projects).
    pub fn cfn(&self) -> Option<&CfnProject> {
        match &self.kind {
            ProjectKind::Created { resource, .. } => Some(resource),
            ProjectKind::Imported { .. } => None,
        }
    }
}

impl IPrincipal for Project {
    fn policy_fragment(&self) -> crate::iam::PrincipalFragment {
        match self.role() {
            Some(r) => r.policy_fragment(),
            None => crate::iam::PrincipalFragment::default(),
        }
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> bool {
        match self.role() {
            Some(r) => r.add_to_principal_policy(statement),
            None => false,
        }
    }

    fn principal_account(&self) -> Option<Str> {
        self.role().and_then(|r| r.principal_account())
    }
}

/// Renders environment variables as CloudFormation expects them and grants `role` access to
/// the SSM parameters and secrets they name (aws-cdk-lib's `Project.serializeEnvVariables`).
pub(crate) fn serialize_env_variables(
    vars: &EnvironmentVariables,
    stack: Option<&Stack>,
    role: Option<&Role>,
) -> Vec<cfn_project::EnvironmentVariableProperty> {
    let mut out = Vec::new();
    let mut ssm: Vec<Str> = Vec::new();
    let mut secrets: Vec<Str> = Vec::new();
    let mut kms: Vec<Str> = Vec::new();
    let (partition, region, account) = match stack {
        Some(s) => (s.partition(), s.region(), s.account()),
        None => (Aws::PARTITION, Aws::REGION, Aws::ACCOUNT_ID),
    };
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
        match var.r#type {
            BuildEnvironmentVariableType::Plaintext => {}
            BuildEnvironmentVariableType::ParameterStore => {
                let param = match var.value.literal() {
                    Some(v) => Str::from(v.strip_prefix('/').unwrap_or(v)),
                    None => var.value.clone(),
                };
                push(
                    &mut ssm,
                    Str::from("arn:")
                        + partition.clone()
                        + ":ssm:"
                        + region.clone()
                        + ":"
                        + account.clone()
                        + ":parameter/"
                        + param,
                );
            }
            BuildEnvironmentVariableType::SecretsManager => match var.value.literal() {
                Some(v) if v.starts_with("arn:") => {
                    let parts: Vec<&str> = v.split(':').collect();
                    if parts.len() >= 7 {
                        let (p, r, a, name) = (parts[1], parts[3], parts[4], parts[6]);
                        push(
                            &mut secrets,
                            Str::from(format!("arn:{p}:secretsmanager:{r}:{a}:secret:{name}*")),
                        );
                        if account.literal().is_some_and(|mine| mine != a) {
                            push(&mut kms, Str::from(format!("arn:{p}:kms:{r}:{a}:key/*")));
                        }
                    }
                }
                Some(v) => {
                    let secret = v.split(':').next().unwrap_or(v);
                    push(
                        &mut secrets,
                        Str::from("arn:")
                            + partition.clone()
                            + ":secretsmanager:"
                            + region.clone()
                            + ":"
                            + account.clone()
                            + ":secret:"
                            + secret
                            + "-??????",
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
