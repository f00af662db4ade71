//! The cross-account source example: a pipeline in a **pipeline** account whose source is a
//! CodeCommit repository in a **CodeCommit** account.
//!
//! Stacks (see the README for the architecture and the commands):
//! - `CodeCommitAccountStack` (CodeCommit account): the repository and
//!   `CodePipelineCrossAccountSourceRole`, which only the pipeline's role may assume, with
//!   CodeCommit read/upload permissions on the repository and access to the artifact bucket
//!   and key of the pipeline account. The commit rule on the repository forwards `main` pushes
//!   to the pipeline account's default event bus.
//! - `PipelineAccountStack` (pipeline account): the KMS key and the artifact bucket, whose
//!   policies let that role in, and the pipeline Source (run as that role) → Build.
//! - `EventBusPolicy-<codecommit>-<region>-<pipeline>` (pipeline account, created by the
//!   commit rule as aws-cdk-lib does): lets the CodeCommit account put events on the pipeline
//!   account's default bus.

#![warn(missing_docs)]

use std::collections::BTreeMap;

use cdk_constructs::codebuild::{
    BuildEnvironment, BuildSpec, LinuxBuildImage, PipelineProject, PipelineProjectProps,
};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::{Artifact, Pipeline, PipelineProps, StageProps};
use cdk_constructs::codepipeline_actions::{
    CodeBuildAction, CodeBuildActionProps, CodeCommitSourceAction, CodeCommitSourceActionProps,
};
use cdk_constructs::iam::{
    AccountPrincipal, FromRoleArnOptions, IPrincipal, PolicyStatement, PrincipalFragment, Role,
    RoleProps, ServicePrincipal,
};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps};
use cdk_core::validation::Suppression;
use cdk_core::{
    App, ArnComponents, CfnOutput, CfnOutputProps, Environment, IConstruct, Stack, StackProps, Str,
};
use cdk_nag::NagSuppressions;
use serde_json::json;

/// Default pipeline account.
pub const DEFAULT_PIPELINE_ACCOUNT: &str = "111111111111";
/// Default CodeCommit account.
pub const DEFAULT_CODECOMMIT_ACCOUNT: &str = "222222222222";
/// Default region.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Default repository name (context `repositoryName`).
pub const DEFAULT_REPOSITORY_NAME: &str = "cross-account-source";
/// Default branch (context `branch`).
pub const DEFAULT_BRANCH: &str = "main";

/// ID (and CloudFormation name) of the CodeCommit account's stack.
pub const CODECOMMIT_ACCOUNT_STACK: &str = "CodeCommitAccountStack";
/// ID (and CloudFormation name) of the pipeline account's stack.
pub const PIPELINE_ACCOUNT_STACK: &str = "PipelineAccountStack";
/// Name of the role the source action runs as, in the CodeCommit account.
pub const SOURCE_ROLE_NAME: &str = "CodePipelineCrossAccountSourceRole";
/// Name of the pipeline's service role, the only identity that may assume the source role.
pub const PIPELINE_ROLE_NAME: &str = "CrossAccountSourcePipelineRole";
/// Name of the pipeline.
pub const PIPELINE_NAME: &str = "CrossAccountSourcePipeline";
/// Alias of the artifact key.
pub const KEY_ALIAS: &str = "alias/cross-account-source-artifacts";

/// Accounts, region and names, read from context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Account of the pipeline, bucket and key (context `pipelineAccount`, or `toolsAccount`).
    pub pipeline_account: String,
    /// Account of the repository (context `codecommitAccount`).
    pub codecommit_account: String,
    /// Region of every stack (context `region`).
    pub region: String,
    /// Repository name (context `repositoryName`).
    pub repository_name: String,
    /// Branch the pipeline builds (context `branch`).
    pub branch: String,
    /// ARN of the artifact key once deployed (context `artifactKeyArn`): scopes the source
    /// role's KMS permissions to that key instead of "the key with the artifact alias".
    pub artifact_key_arn: Option<String>,
}

impl Settings {
    /// Reads `pipelineAccount` (falling back to `toolsAccount`), `codecommitAccount`,
    /// `region`, `repositoryName`, `branch` and `artifactKeyArn` from the app's context, with
    /// the documented defaults. Bad values are reported together, each naming its key.
    pub fn from_context(app: &App) -> Result<Settings, String> {
        let node = app.node();
        let get = |key: &str| node.try_get_context_str(key);
        let pipeline_account = get("pipelineAccount")
            .or_else(|| get("toolsAccount"))
            .unwrap_or_else(|| DEFAULT_PIPELINE_ACCOUNT.into());
        let codecommit_account =
            get("codecommitAccount").unwrap_or_else(|| DEFAULT_CODECOMMIT_ACCOUNT.into());
        let region = get("region").unwrap_or_else(|| DEFAULT_REGION.into());
        let repository_name =
            get("repositoryName").unwrap_or_else(|| DEFAULT_REPOSITORY_NAME.into());
        let branch = get("branch").unwrap_or_else(|| DEFAULT_BRANCH.into());
        let artifact_key_arn = get("artifactKeyArn");
        let mut errors = Vec::new();
        for (key, value) in [
            ("pipelineAccount", &pipeline_account),
            ("codecommitAccount", &codecommit_account),
        ] {
            if !Environment::is_valid_account_id(value) {
                errors.push(format!(
                    "context '{key}' must be a 12-digit AWS account ID (got '{value}')"
                ));
            }
        }
        if errors.is_empty() && pipeline_account == codecommit_account {
            errors.push(format!(
                "context 'pipelineAccount' and 'codecommitAccount' must differ (both are {pipeline_account})"
            ));
        }
        if !Environment::is_valid_region(&region) {
            errors.push(format!(
                "context 'region' must be a region name like us-east-1 (got '{region}')"
            ));
        }
        if branch.is_empty() {
            errors.push("context 'branch' must not be empty".into());
        }
        if let Some(arn) = &artifact_key_arn {
            let expected = format!("arn:aws:kms:{region}:{pipeline_account}:key/");
            if !arn.starts_with(&expected) || arn.len() == expected.len() {
                errors.push(format!(
                    "context 'artifactKeyArn' must be a key of the pipeline account ({expected}<key id>; got '{arn}')"
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors.join("; "));
        }
        Ok(Settings {
            pipeline_account,
            codecommit_account,
            region,
            repository_name,
            branch,
            artifact_key_arn,
        })
    }

    /// The artifact bucket's name (known to both accounts).
    pub fn artifact_bucket_name(&self) -> String {
        format!(
            "cross-account-source-artifacts-{}-{}",
            self.pipeline_account, self.region
        )
    }

    fn env(&self, account: &str) -> Option<Environment> {
        Some(Environment::new(account, self.region.as_str()))
    }
}

/// An account, restricted to one role of it by an `aws:PrincipalArn` condition: the trust
/// policy does not name the role itself, which does not exist yet when the CodeCommit account's
/// stack is deployed (IAM rejects trust policies naming unknown roles).
struct RoleOfAccount {
    account: String,
    role_arn: Str,
}

impl IPrincipal for RoleOfAccount {
    fn policy_fragment(&self) -> PrincipalFragment {
        let mut fragment = AccountPrincipal::new(self.account.as_str()).policy_fragment();
        fragment.conditions.insert(
            "ArnEquals".into(),
            BTreeMap::from([(
                "aws:PrincipalArn".to_string(),
                self.role_arn.clone().into_value(),
            )]),
        );
        fragment
    }

    fn principal_account(&self) -> Option<Str> {
        Some(self.account.as_str().into())
    }
}

/// The stacks of the app.
pub struct CrossAccountSourceApp {
    /// `CodeCommitAccountStack`.
    pub codecommit_stack: CodeCommitAccountStack,
    /// `PipelineAccountStack`.
    pub pipeline_stack: PipelineAccountStack,
}

/// Defines the stacks in `app`, with the policy packs (cdk-nag's AwsSolutions and rcdk's
/// cross-account rules) and the suppressions of what the example accepts.
pub fn build(app: &App, settings: &Settings) -> CrossAccountSourceApp {
    cdk_nag::register(app);
    let stacks = define(app, settings);
    suppress_accepted_findings(&stacks, settings);
    stacks
}

/// What the policy packs report and this example accepts, each with why.
fn suppress_accepted_findings(stacks: &CrossAccountSourceApp, settings: &Settings) {
    let (pipeline_account, region) = (&settings.pipeline_account, &settings.region);
    let iam5 = |reason: &str, findings: &[String]| {
        findings
            .iter()
            .fold(Suppression::new("AwsSolutions-IAM5", reason), |s, f| {
                s.applies_to(f.as_str())
            })
    };
    let mut source_role_findings = vec![
        "Action::kms:GenerateDataKey*".to_string(),
        "Action::kms:ReEncrypt*".to_string(),
        "Action::s3:GetObject*".to_string(),
        format!(
            "Resource::arn:<AWS::Partition>:s3:::{}/*",
            settings.artifact_bucket_name()
        ),
    ];
    if settings.artifact_key_arn.is_none() {
        source_role_findings.push(format!(
            "Resource::arn:<AWS::Partition>:kms:{region}:{pipeline_account}:key/*"
        ));
    }
    NagSuppressions::add_resource_suppressions(
        &stacks.codecommit_stack.source_role,
        &[iam5(
            "The source role writes the source archive into the pipeline account's artifact bucket (its objects only) and encrypts it with the artifact key; before that key exists, any key of the pipeline account that carries the artifact alias (kms:ResourceAliases condition)",
            &source_role_findings,
        )],
        true,
    );
    let build_project = "<Build45A36621>";
    NagSuppressions::add_stack_suppressions(
        &stacks.pipeline_stack.stack,
        &[
            iam5(
                "The pipeline and the build project read and write artifacts through aws-cdk-lib's grants, whose wildcards cover the pipeline's own artifact bucket and key only",
                &[
                    "Action::kms:GenerateDataKey*".into(),
                    "Action::kms:ReEncrypt*".into(),
                    "Action::s3:Abort*".into(),
                    "Action::s3:DeleteObject*".into(),
                    "Action::s3:GetBucket*".into(),
                    "Action::s3:GetObject*".into(),
                    "Action::s3:List*".into(),
                    "Resource::<ArtifactBucket7410C9EF.Arn>/*".into(),
                ],
            ),
            iam5(
                "CodeBuild writes the log streams and report groups it names after the project; the wildcard covers those names only",
                &[
                    format!("Resource::arn:<AWS::Partition>:logs:{region}:{pipeline_account}:log-group:/aws/codebuild/{build_project}:*"),
                    format!("Resource::arn:<AWS::Partition>:codebuild:{region}:{pipeline_account}:report-group/{build_project}-*"),
                ],
            ),
            Suppression::new(
                "AwsSolutions-S1",
                "The artifact bucket only holds the pipeline's source archives and build outputs; its readers and writers are the roles its policy names",
            ),
        ],
        false,
    );
    NagSuppressions::add_resource_suppressions(
        &stacks.pipeline_stack.bucket,
        &[Suppression::new(
            "RcdkCrossAccount-XA4",
            "aws-cdk-lib's CodeCommitSourceAction grants its cross-account source role read/write on the artifact bucket (grant_read_write), which includes s3:DeleteObject*; that role is this app's own source role, which only the pipeline assumes",
        )
        .applies_to("Action::s3:DeleteObject*")],
        true,
    );
}

fn define(app: &App, settings: &Settings) -> CrossAccountSourceApp {
    let codecommit_stack = CodeCommitAccountStack::new(app, settings);
    let pipeline_stack = PipelineAccountStack::new(app, settings, &codecommit_stack.repository);
    pipeline_stack.stack.add_dependency(
        &codecommit_stack.stack,
        "the key and bucket policies name the source role, which must exist",
    );
    CrossAccountSourceApp {
        codecommit_stack,
        pipeline_stack,
    }
}

// ---------------------------------------------------------------------------------------
// CodeCommitAccountStack

/// The CodeCommit account: repository and source role.
pub struct CodeCommitAccountStack {
    /// The stack.
    pub stack: Stack,
    /// The repository.
    pub repository: Repository,
    /// The role the pipeline's source action runs as.
    pub source_role: Role,
}

impl CodeCommitAccountStack {
    /// Defines `CodeCommitAccountStack` in the CodeCommit account.
    pub fn new(app: &App, settings: &Settings) -> Self {
        let stack = Stack::new(
            app,
            CODECOMMIT_ACCOUNT_STACK,
            StackProps {
                env: settings.env(&settings.codecommit_account),
                description: Some(
                    "CodeCommit repository and the role a pipeline of another account reads it with"
                        .into(),
                ),
                ..Default::default()
            },
        );
        let repository = Repository::new(
            &stack,
            "Repository",
            RepositoryProps {
                repository_name: settings.repository_name.clone(),
                description: Some(format!(
                    "Source of {PIPELINE_NAME} (account {})",
                    settings.pipeline_account
                )),
                ..Default::default()
            },
        );
        let pipeline_role_arn = stack.format_arn(ArnComponents {
            service: "iam".into(),
            resource: "role".into(),
            resource_name: Some(PIPELINE_ROLE_NAME.into()),
            region: Some("".into()),
            account: Some(settings.pipeline_account.as_str().into()),
            ..Default::default()
        });
        let source_role = Role::new(
            &stack,
            "CrossAccountSourceRole",
            RoleProps {
                role_name: Some(SOURCE_ROLE_NAME.into()),
                description: Some(format!(
                    "Assumed by {PIPELINE_NAME} (account {}) to read {}",
                    settings.pipeline_account, settings.repository_name
                )),
                ..RoleProps::assumed_by(RoleOfAccount {
                    account: settings.pipeline_account.clone(),
                    role_arn: pipeline_role_arn,
                })
            },
        );
        // What the CodeCommit source action does with this role: read the branch, archive the
        // commit into the pipeline account's bucket, encrypted with its key.
        source_role.add_to_policy(
            PolicyStatement::new()
                .sid("ReadAndUploadSource")
                .actions([
                    "codecommit:GetBranch",
                    "codecommit:GetCommit",
                    "codecommit:UploadArchive",
                    "codecommit:GetUploadArchiveStatus",
                    "codecommit:CancelUploadArchive",
                ])
                .resource(repository.repository_arn()),
        );
        let bucket_arn = stack.format_arn(ArnComponents {
            service: "s3".into(),
            resource: settings.artifact_bucket_name().into(),
            region: Some("".into()),
            account: Some("".into()),
            ..Default::default()
        });
        source_role.add_to_policy(
            PolicyStatement::new()
                .sid("WriteSourceArtifacts")
                .actions([
                    "s3:GetObject*",
                    "s3:PutObject",
                    "s3:PutObjectAcl",
                    "s3:PutObjectVersionAcl",
                ])
                .resource(bucket_arn + "/*"),
        );
        let key_actions = [
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
        ];
        let key_statement = PolicyStatement::new()
            .sid("UseArtifactKey")
            .actions(key_actions);
        let key_statement = match &settings.artifact_key_arn {
            Some(arn) => key_statement.resource(arn.as_str()),
            // The key's ID is only known once the pipeline account's stack is deployed (which
            // needs this role first): any key of that account, as long as it carries the
            // artifact alias. The key policy, which names this role, is the other half.
            None => key_statement
                .resource(stack.format_arn(ArnComponents {
                    service: "kms".into(),
                    resource: "key/*".into(),
                    account: Some(settings.pipeline_account.as_str().into()),
                    ..Default::default()
                }))
                .condition("ForAnyValue:StringEquals", "kms:ResourceAliases", KEY_ALIAS),
        };
        source_role.add_to_policy(key_statement);
        CfnOutput::new(
            &stack,
            "RepositoryCloneUrlHttp",
            CfnOutputProps {
                value: repository.repository_clone_url_http(),
                description: Some("Push here to run the pipeline".into()),
                ..Default::default()
            },
        );
        CfnOutput::new(
            &stack,
            "SourceRoleArn",
            CfnOutputProps {
                value: source_role.role_arn(),
                description: Some("Role the pipeline's source action runs as".into()),
                ..Default::default()
            },
        );
        CodeCommitAccountStack {
            stack,
            repository,
            source_role,
        }
    }
}

// ---------------------------------------------------------------------------------------
// PipelineAccountStack

/// The pipeline account: key, bucket, pipeline.
pub struct PipelineAccountStack {
    /// The stack.
    pub stack: Stack,
    /// The artifact key (policy grants the source role).
    pub key: Key,
    /// The artifact bucket (policy grants the source role).
    pub bucket: Bucket,
    /// The build project.
    pub project: PipelineProject,
    /// The pipeline.
    pub pipeline: Pipeline,
}

/// The build spec of the `Build` project: shows what the source action delivered.
pub fn build_spec() -> serde_json::Value {
    json!({
        "version": "0.2",
        "phases": {
            "build": {
                "commands": [
                    "echo \"Commit $CODEBUILD_RESOLVED_SOURCE_VERSION from the CodeCommit account\"",
                    "ls -la"
                ]
            }
        }
    })
}

impl PipelineAccountStack {
    /// Defines `PipelineAccountStack` in the pipeline account, reading `repository` (of the
    /// CodeCommit account's stack).
    pub fn new(app: &App, settings: &Settings, repository: &Repository) -> Self {
        let stack = Stack::new(
            app,
            PIPELINE_ACCOUNT_STACK,
            StackProps {
                env: settings.env(&settings.pipeline_account),
                description: Some("Pipeline whose CodeCommit source is in another account".into()),
                ..Default::default()
            },
        );
        let key = Key::new(
            &stack,
            "ArtifactKey",
            KeyProps {
                description: Some(format!("Artifacts of {PIPELINE_NAME}")),
                enable_key_rotation: Some(true),
                alias: Some(KEY_ALIAS.into()),
                ..Default::default()
            },
        );
        let bucket = Bucket::new(
            &stack,
            "ArtifactBucket",
            BucketProps {
                bucket_name: Some(settings.artifact_bucket_name().into()),
                encryption: BucketEncryption::Kms,
                encryption_key: Some(key.clone().into()),
                block_public_access: Some(BlockPublicAccess::BLOCK_ALL),
                enforce_ssl: true,
                ..Default::default()
            },
        );
        let source_role = Role::from_role_arn(
            &stack,
            "CrossAccountSourceRole",
            format!(
                "arn:aws:iam::{}:role/{SOURCE_ROLE_NAME}",
                settings.codecommit_account
            ),
            // Defined (with its permissions) by CodeCommitAccountStack.
            FromRoleArnOptions::immutable(),
        );
        let pipeline_role = Role::new(
            &stack,
            "PipelineRole",
            RoleProps {
                role_name: Some(PIPELINE_ROLE_NAME.into()),
                ..RoleProps::assumed_by(ServicePrincipal::new("codepipeline.amazonaws.com"))
            },
        );
        let project = PipelineProject::new(
            &stack,
            "Build",
            PipelineProjectProps {
                description: Some("Builds the source of the CodeCommit account".into()),
                build_spec: Some(BuildSpec::from_object(build_spec())),
                environment: BuildEnvironment {
                    build_image: Some(LinuxBuildImage::STANDARD_7_0),
                    ..Default::default()
                },
                encryption_key: Some(key.clone().into()),
                ..Default::default()
            },
        );
        let source = Artifact::new("SourceOutput");
        let pipeline = Pipeline::new(
            &stack,
            "Pipeline",
            PipelineProps {
                pipeline_name: Some(PIPELINE_NAME.into()),
                artifact_bucket: Some(bucket.clone().into()),
                role: Some(pipeline_role.into()),
                ..Default::default()
            },
        );
        pipeline.add_stage(StageProps::new(
            "Source",
            vec![Box::new(CodeCommitSourceAction::new(
                CodeCommitSourceActionProps {
                    branch: Some(settings.branch.clone()),
                    role: Some(source_role.clone().into()),
                    ..CodeCommitSourceActionProps::new("CodeCommit_Source", repository, &source)
                },
            ))],
        ));
        pipeline.add_stage(StageProps::new(
            "Build",
            vec![Box::new(CodeBuildAction::new(CodeBuildActionProps::new(
                "Build", &project, &source,
            )))],
        ));
        for (id, value, description) in [
            (
                "ArtifactBucketName",
                bucket.bucket_name(),
                "Artifact bucket (shared with the CodeCommit account's source role)",
            ),
            (
                "ArtifactKeyArn",
                key.key_arn(),
                "Artifact key; pass as -c artifactKeyArn=... to scope the source role to it",
            ),
            ("PipelineName", pipeline.pipeline_name(), "The pipeline"),
        ] {
            CfnOutput::new(
                &stack,
                id,
                CfnOutputProps {
                    value: value.clone(),
                    description: Some(description.into()),
                    ..Default::default()
                },
            );
        }
        PipelineAccountStack {
            stack,
            key,
            bucket,
            project,
            pipeline,
        }
    }
}
