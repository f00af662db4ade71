//! The steps of a CDK pipeline (aws-cdk-lib's `Step`, `ShellStep`, `CodeBuildStep`,
//! `ManualApprovalStep` and `CodePipelineSource`): what a [`CodePipeline`](super::CodePipeline)
//! runs besides deploying stacks.
//!
//! A [`Step`] is a cheap handle; the same step given twice (as the synth step's input and as a
//! stage's pre step, say) is the same node of the pipeline graph. A step's *primary output*
//! (the directory a shell step leaves, or a source's checkout) is what another step takes as
//! `input`.

use std::rc::Rc;

use cdk_core::Str;

use crate::codebuild::BuildEnvironment;
use crate::codecommit::IRepository;
use crate::codepipeline_actions::{CodeCommitTrigger, S3Trigger};
use crate::iam::{IRole, PolicyStatement};
use crate::s3::IBucket;

/// A step of a pipeline (see the [module docs](self)).
#[derive(Clone)]
pub struct Step(pub(crate) Rc<StepData>);

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Step({})", self.0.id)
    }
}

impl PartialEq for Step {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

pub(crate) struct StepData {
    /// The step's ID: the action's name, and the base of its output artifact's name.
    pub(crate) id: String,
    pub(crate) kind: StepKind,
}

pub(crate) enum StepKind {
    Shell(Box<ShellSpec>),
    ManualApproval {
        comment: Option<String>,
        review_url: Option<String>,
    },
    Source(Box<SourceSpec>),
}

/// A shell script run by CodeBuild: a `ShellStep`, or a `CodeBuildStep` with project options.
pub(crate) struct ShellSpec {
    pub(crate) input: Option<Step>,
    pub(crate) additional_inputs: Vec<(String, Step)>,
    pub(crate) install_commands: Vec<String>,
    pub(crate) commands: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) primary_output_directory: Option<String>,
    pub(crate) codebuild: Option<CodeBuildOptions>,
    pub(crate) env_from_cfn_outputs: Vec<(String, StackOutputReference)>,
}

/// A stack output a step reads (aws-cdk-lib's `StackOutputReference`): the output's stack
/// and its logical ID (the output's name in the deployed stack).
#[derive(Clone, Debug, PartialEq)]
pub struct StackOutputReference {
    pub(crate) stack: cdk_core::Stack,
    pub(crate) output_name: String,
}

impl StackOutputReference {
    /// The reference to `output` (aws-cdk-lib's `StackOutputReference.fromCfnOutput`).
    pub fn from_cfn_output(output: &cdk_core::CfnOutput) -> Self {
        StackOutputReference {
            stack: cdk_core::Stack::of(output).expect("a CfnOutput is inside a stack"),
            output_name: cdk_core::resolve::logical_id_of(output)
                .expect("a CfnOutput has a logical ID"),
        }
    }

    /// The output's name (its logical ID).
    pub fn output_name(&self) -> &str {
        &self.output_name
    }
}

/// What a `CodeBuildStep` adds to a shell step.
#[derive(Clone, Default)]
pub(crate) struct CodeBuildOptions {
    pub(crate) project_name: Option<String>,
    pub(crate) role_policy_statements: Vec<PolicyStatement>,
    pub(crate) build_environment: Option<BuildEnvironment>,
    pub(crate) role: Option<Rc<dyn IRole>>,
    pub(crate) action_role: Option<Rc<dyn IRole>>,
    pub(crate) cache: Option<super::CodeBuildCache>,
}

pub(crate) enum SourceSpec {
    CodeCommit {
        repository: Rc<dyn IRepository>,
        branch: String,
        action_name: Option<String>,
        trigger: CodeCommitTrigger,
        event_role: Option<Rc<dyn IRole>>,
        code_build_clone_output: bool,
    },
    S3 {
        bucket: Rc<dyn IBucket>,
        object_key: String,
        action_name: Option<String>,
        trigger: Option<S3Trigger>,
        role: Option<Rc<dyn IRole>>,
    },
    GitHub {
        repo_string: String,
        owner: String,
        repo: String,
        branch: String,
        authentication: crate::secretsmanager::SecretValue,
        action_name: Option<String>,
        trigger: crate::codepipeline_actions::GitHubTrigger,
    },
    Connection {
        owner: String,
        repo: String,
        branch: String,
        connection_arn: Str,
        action_name: Option<String>,
        trigger_on_push: Option<bool>,
        code_build_clone_output: bool,
    },
}

impl Step {
    /// The step's ID.
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// Whether this is a source (placed in the pipeline's `Source` stage).
    pub fn is_source(&self) -> bool {
        matches!(self.0.kind, StepKind::Source(_))
    }

    /// The ID of the step's primary output (`Source` for a source, `Output` for a shell step
    /// with a primary output directory), if it has one.
    pub(crate) fn primary_output_id(&self) -> Option<&'static str> {
        match &self.0.kind {
            StepKind::Source(_) => Some("Source"),
            StepKind::Shell(s) if s.primary_output_directory.is_some() => Some("Output"),
            _ => None,
        }
    }

    /// The steps whose outputs this step reads.
    /// The stack outputs the step reads.
    pub(crate) fn consumed_stack_outputs(&self) -> Vec<StackOutputReference> {
        match &self.0.kind {
            StepKind::Shell(s) => s
                .env_from_cfn_outputs
                .iter()
                .map(|(_, r)| r.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn inputs(&self) -> Vec<Step> {
        match &self.0.kind {
            StepKind::Shell(s) => s
                .input
                .iter()
                .cloned()
                .chain(s.additional_inputs.iter().map(|(_, step)| step.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Properties of a [`ShellStep`].
#[derive(Clone, Default)]
pub struct ShellStepProps {
    /// The step whose primary output the commands run in (a source, or another shell step).
    /// Default: none (the pipeline's first source, for the synth step).
    pub input: Option<Step>,
    /// More inputs, each linked at a directory (relative to the primary input) before the
    /// install commands run.
    pub additional_inputs: Vec<(String, Step)>,
    /// Commands of the install phase.
    pub install_commands: Vec<String>,
    /// Commands of the build phase.
    pub commands: Vec<String>,
    /// Environment variables of the project (name, value).
    pub env: Vec<(String, String)>,
    /// The directory (relative to the input) whose contents are the step's primary output. The
    /// synth step's is the cloud assembly (`cdk.out`).
    pub primary_output_directory: Option<String>,
    /// Environment variables set from outputs of stacks this pipeline deploys (aws-cdk-lib's
    /// `envFromCfnOutputs`): the step runs after the producing stack deployed, whose deploy
    /// action then exports its outputs in a variables namespace (the stack's artifact ID), and
    /// the CodeBuild action passes `#{<namespace>.<output>}`.
    pub env_from_cfn_outputs: Vec<(String, cdk_core::CfnOutput)>,
}

/// aws-cdk-lib's `ShellStep`: shell commands run in CodeBuild.
pub struct ShellStep;

// aws-cdk-lib's `new ShellStep(...)` is a `Step`: the constructor returns the shared handle.
#[allow(clippy::new_ret_no_self)]
impl ShellStep {
    /// A shell step `id`.
    pub fn new(id: &str, props: ShellStepProps) -> Step {
        shell(id, props, None)
    }
}

fn shell(id: &str, props: ShellStepProps, codebuild: Option<CodeBuildOptions>) -> Step {
    Step(Rc::new(StepData {
        id: id.to_string(),
        kind: StepKind::Shell(Box::new(ShellSpec {
            input: props.input,
            additional_inputs: props.additional_inputs,
            install_commands: props.install_commands,
            commands: props.commands,
            env: props.env,
            primary_output_directory: props.primary_output_directory,
            codebuild,
            env_from_cfn_outputs: props
                .env_from_cfn_outputs
                .iter()
                .map(|(k, o)| (k.clone(), StackOutputReference::from_cfn_output(o)))
                .collect(),
        })),
    }))
}

/// Properties of a [`CodeBuildStep`]: a shell step's and the project's.
#[derive(Clone, Default)]
pub struct CodeBuildStepProps {
    /// The shell step's properties.
    pub shell: ShellStepProps,
    /// The project's name (default generated).
    pub project_name: Option<String>,
    /// Statements added to the project's role.
    pub role_policy_statements: Vec<PolicyStatement>,
    /// The build environment (default: the pipeline's, `aws/codebuild/standard:7.0`, small).
    pub build_environment: Option<BuildEnvironment>,
    /// The project's role (default: a new role).
    pub role: Option<Rc<dyn IRole>>,
    /// The role the CodeBuild action runs with (default: the pipeline's shared
    /// `CodeBuildActionRole`).
    pub action_role: Option<Rc<dyn IRole>>,
    /// The project's build cache (default none).
    pub cache: Option<super::CodeBuildCache>,
}

/// aws-cdk-lib's `CodeBuildStep`: a shell step with control over its CodeBuild project.
pub struct CodeBuildStep;

// aws-cdk-lib's `new CodeBuildStep(...)` is a `Step`: the constructor returns the shared handle.
#[allow(clippy::new_ret_no_self)]
impl CodeBuildStep {
    /// A CodeBuild step `id`.
    pub fn new(id: &str, props: CodeBuildStepProps) -> Step {
        shell(
            id,
            props.shell,
            Some(CodeBuildOptions {
                project_name: props.project_name,
                role_policy_statements: props.role_policy_statements,
                build_environment: props.build_environment,
                role: props.role,
                action_role: props.action_role,
                cache: props.cache,
            }),
        )
    }
}

/// Properties of a [`ManualApprovalStep`].
#[derive(Clone, Debug, Default)]
pub struct ManualApprovalStepProps {
    /// Shown to the approver.
    pub comment: Option<String>,
    /// A link for the approver to review.
    pub review_url: Option<String>,
}

/// aws-cdk-lib's `ManualApprovalStep`: the pipeline waits for someone to approve.
pub struct ManualApprovalStep;

// aws-cdk-lib's `new ManualApprovalStep(...)` is a `Step`: the constructor returns the shared handle.
#[allow(clippy::new_ret_no_self)]
impl ManualApprovalStep {
    /// An approval step `id` (the action's name).
    pub fn new(id: &str, props: ManualApprovalStepProps) -> Step {
        Step(Rc::new(StepData {
            id: id.to_string(),
            kind: StepKind::ManualApproval {
                comment: props.comment,
                review_url: props.review_url,
            },
        }))
    }
}

/// Options of [`CodePipelineSource::code_commit`].
#[derive(Clone, Default)]
pub struct CodeCommitSourceOptions {
    /// The action's name (default: the repository's name).
    pub action_name: Option<String>,
    /// How changes start the pipeline (default: an EventBridge rule).
    pub trigger: CodeCommitTrigger,
    /// The role of that rule (default: the pipeline's events role).
    pub event_role: Option<Rc<dyn IRole>>,
    /// Output a clone reference instead of the contents.
    pub code_build_clone_output: bool,
}

/// Options of [`CodePipelineSource::s3`].
#[derive(Clone, Default)]
pub struct S3SourceOptions {
    /// The action's name (default: the bucket's name).
    pub action_name: Option<String>,
    /// How changes start the pipeline (default: polling, as the action's).
    pub trigger: Option<S3Trigger>,
    /// The action's role.
    pub role: Option<Rc<dyn IRole>>,
}

/// Options of a [`CodePipelineSource::git_hub`] source (aws-cdk-lib's `GitHubSourceOptions`).
#[derive(Clone, Default)]
pub struct GitHubSourceOptions {
    /// The OAuth token (default: the Secrets Manager secret `github-token`, as aws-cdk-lib).
    pub authentication: Option<crate::secretsmanager::SecretValue>,
    /// How new commits start the pipeline (default a webhook).
    pub trigger: crate::codepipeline_actions::GitHubTrigger,
    /// The action's name (default: the repository string, sanitized).
    pub action_name: Option<String>,
}

/// Options of [`CodePipelineSource::connection`].
#[derive(Clone)]
pub struct ConnectionSourceOptions {
    /// The CodeStar (CodeConnections) connection's ARN.
    pub connection_arn: Str,
    /// The action's name (default: `<owner>_<repo>`).
    pub action_name: Option<String>,
    /// Start the pipeline on pushes (default true).
    pub trigger_on_push: Option<bool>,
    /// Output a clone reference instead of the contents.
    pub code_build_clone_output: bool,
}

/// aws-cdk-lib's `CodePipelineSource`: where the pipeline's code comes from.
pub struct CodePipelineSource;

impl CodePipelineSource {
    /// A branch of a CodeCommit repository. The step's ID is the repository's name, or its
    /// construct address when the name is not known before deployment, as in aws-cdk-lib.
    pub fn code_commit(
        repository: &(impl IRepository + Clone + 'static),
        branch: &str,
        options: CodeCommitSourceOptions,
    ) -> Step {
        let name = repository.repository_name();
        let id = match name.literal() {
            Some(n) => n.to_string(),
            None => repository.node().addr(),
        };
        Step(Rc::new(StepData {
            id,
            kind: StepKind::Source(Box::new(SourceSpec::CodeCommit {
                repository: Rc::new(repository.clone()),
                branch: branch.to_string(),
                action_name: options.action_name,
                trigger: options.trigger,
                event_role: options.event_role,
                code_build_clone_output: options.code_build_clone_output,
            })),
        }))
    }

    /// An object of an S3 bucket (a zip of the sources). The step's ID is the bucket's
    /// construct address.
    pub fn s3(
        bucket: &(impl IBucket + Clone + 'static),
        object_key: &str,
        options: S3SourceOptions,
    ) -> Step {
        Step(Rc::new(StepData {
            id: bucket.node().addr(),
            kind: StepKind::Source(Box::new(SourceSpec::S3 {
                bucket: Rc::new(bucket.clone()),
                object_key: object_key.to_string(),
                action_name: options.action_name,
                trigger: options.trigger,
                role: options.role,
            })),
        }))
    }

    /// A branch of a GitHub repository (`owner/repo`) read with an OAuth token (aws-cdk-lib's
    /// `CodePipelineSource.gitHub`; the token defaults to the Secrets Manager secret
    /// `github-token`). A repository string that is not `owner/repo` is reported when the
    /// pipeline is built.
    pub fn git_hub(repo_string: &str, branch: &str, options: GitHubSourceOptions) -> Step {
        let parts: Vec<&str> = repo_string.split('/').collect();
        let (owner, repo) = match parts.as_slice() {
            [o, r] if !o.is_empty() && !r.is_empty() => (o.to_string(), r.to_string()),
            _ => (String::new(), String::new()),
        };
        let authentication = options.authentication.unwrap_or_else(|| {
            crate::secretsmanager::SecretValue::secrets_manager("github-token", Default::default())
                .expect("a valid secret name")
        });
        Step(Rc::new(StepData {
            id: repo_string.to_string(),
            kind: StepKind::Source(Box::new(SourceSpec::GitHub {
                repo_string: repo_string.to_string(),
                owner,
                repo,
                branch: branch.to_string(),
                authentication,
                action_name: options.action_name,
                trigger: options.trigger,
            })),
        }))
    }

    /// A branch of a repository (`owner/repo`) reached through a CodeStar connection (GitHub,
    /// Bitbucket, GitLab). A repository string that is not `owner/repo[/...]` is reported when
    /// the pipeline is built.
    pub fn connection(repo_string: &str, branch: &str, options: ConnectionSourceOptions) -> Step {
        let parts: Vec<&str> = repo_string.split('/').collect();
        let (owner, repo) =
            if (2..=23).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty()) {
                (parts[0].to_string(), parts[1..].join("/"))
            } else {
                (String::new(), String::new())
            };
        Step(Rc::new(StepData {
            id: repo_string.to_string(),
            kind: StepKind::Source(Box::new(SourceSpec::Connection {
                owner,
                repo,
                branch: branch.to_string(),
                connection_arn: options.connection_arn,
                action_name: options.action_name,
                trigger_on_push: options.trigger_on_push,
                code_build_clone_output: options.code_build_clone_output,
            })),
        }))
    }
}
