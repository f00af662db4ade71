//! The flagship rcdk example: a cross-account CI/CD pipeline.
//!
//! A **tools** account runs CodeCommit → CodePipeline (Source, Build, Deploy_Dev, Deploy_Prod)
//! → CodeBuild, and deploys a Lambda + API Gateway application into a **prod** account by
//! assuming a cross-account role there, while CloudFormation in the prod account runs under a
//! deployment role. The artifact bucket is KMS-encrypted and shared with the prod account.
//!
//! Construct IDs follow the public AWS CDK tutorial this example is modelled on, so logical IDs
//! can be compared with an aws-cdk-lib build of the same app.
//!
//! Stacks (see the README for the commands):
//! - `RepositoryStack` (tools): the CodeCommit repository `repo-<tools account>`.
//! - `DevApplicationStack` (tools) and `ProdApplicationStack` (prod): the application.
//! - `CrossAccountPipelineStack` (tools): key, artifact bucket, build projects, pipeline.
//! - `ProdAccountRolesStack` (prod): the two roles the pipeline uses in the prod account.

use std::path::PathBuf;

use cdk_constructs::apigateway::{LambdaRestApi, LambdaRestApiProps, StageOptions};
use cdk_constructs::codebuild::{
    BuildEnvironment, BuildSpec, LinuxBuildImage, PipelineProject, PipelineProjectProps,
};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::{Artifact, Pipeline, PipelineProps, StageProps};
use cdk_constructs::codepipeline_actions::{
    CfnCapabilities, CloudFormationCreateUpdateStackAction,
    CloudFormationCreateUpdateStackActionProps, CodeBuildAction, CodeBuildActionProps,
    CodeCommitSourceAction, CodeCommitSourceActionProps,
};
use cdk_constructs::iam::{
    AccountPrincipal, FromRoleArnOptions, PolicyStatement, Role, RoleProps, ServicePrincipal,
};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::lambda::{CfnParametersCode, Code, Function, FunctionProps, Runtime};
use cdk_constructs::s3::{Bucket, BucketEncryption, BucketProps};
use cdk_core::validation::Suppression;
use cdk_core::{
    App, CfnOutput, CfnOutputProps, CfnParameter, CfnParameterProps, Environment, IConstruct,
    RemovalPolicy, Stack, StackProps, Str,
};
use cdk_nag::NagSuppressions;
use serde_json::json;

/// Default tools (and dev) account.
pub const DEFAULT_TOOLS_ACCOUNT: &str = "111111111111";
/// Default prod (target) account.
pub const DEFAULT_PROD_ACCOUNT: &str = "222222222222";
/// Default region.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Name of the stack the pipeline deploys the dev application as.
pub const DEV_DEPLOYMENT_STACK: &str = "DevApplicationDeploymentStack";
/// Name of the stack the pipeline deploys the prod application as.
pub const PROD_DEPLOYMENT_STACK: &str = "ProdApplicationDeploymentStack";
/// The role the pipeline assumes in the prod account.
pub const PROD_CROSS_ACCOUNT_ROLE: &str = "CodePipelineCrossAccountRole";
/// The role CloudFormation runs as in the prod account.
pub const PROD_DEPLOYMENT_ROLE: &str = "CloudFormationDeploymentRole";

/// Where the application's Lambda code comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LambdaCodeSource {
    /// CloudFormation parameters the pipeline fills from the Lambda build output
    /// (`-c lambdaCode=parameters`, what the pipeline's synth step asks for).
    Parameters,
    /// The example's `lambda/` folder as an asset (default), so the application stacks can be
    /// deployed directly with `rcdk deploy`.
    Asset,
}

/// The accounts, region and code source, read from context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Account of the pipeline, the repository and the dev application.
    pub tools_account: String,
    /// Account of the prod application.
    pub prod_account: String,
    /// Region of every stack.
    pub region: String,
    /// Where the Lambda code comes from.
    pub lambda_code: LambdaCodeSource,
    /// ARN of the artifact key, for the prod roles' KMS permissions (context `artifactKeyArn`;
    /// otherwise a stack parameter).
    pub artifact_key_arn: Option<String>,
}

impl Settings {
    /// Reads `toolsAccount`, `prodAccount`, `region`, `lambdaCode` and `artifactKeyArn` from
    /// the app's context, with the documented defaults; bad values are errors naming the key.
    pub fn from_context(app: &App) -> Result<Settings, String> {
        let node = app.node();
        let get = |key: &str, default: &str| {
            node.try_get_context_str(key)
                .unwrap_or_else(|| default.to_string())
        };
        let tools_account = get("toolsAccount", DEFAULT_TOOLS_ACCOUNT);
        let prod_account = get("prodAccount", DEFAULT_PROD_ACCOUNT);
        let region = get("region", DEFAULT_REGION);
        let mut errors = Vec::new();
        for (key, value) in [
            ("toolsAccount", &tools_account),
            ("prodAccount", &prod_account),
        ] {
            if !Environment::is_valid_account_id(value) {
                errors.push(format!(
                    "context '{key}' must be a 12-digit AWS account ID (got '{value}')"
                ));
            }
        }
        if tools_account == prod_account && errors.is_empty() {
            errors.push(format!(
                "context 'toolsAccount' and 'prodAccount' must differ (both are {tools_account})"
            ));
        }
        if !Environment::is_valid_region(&region) {
            errors.push(format!(
                "context 'region' must be a region name like us-east-1 (got '{region}')"
            ));
        }
        let lambda_code = match get("lambdaCode", "asset").as_str() {
            "parameters" => LambdaCodeSource::Parameters,
            "asset" => LambdaCodeSource::Asset,
            other => {
                errors.push(format!(
                    "context 'lambdaCode' must be 'parameters' or 'asset' (got '{other}')"
                ));
                LambdaCodeSource::Parameters
            }
        };
        if !errors.is_empty() {
            return Err(errors.join("; "));
        }
        Ok(Settings {
            tools_account,
            prod_account,
            region,
            lambda_code,
            artifact_key_arn: node.try_get_context_str("artifactKeyArn"),
        })
    }

    fn tools_env(&self) -> Option<Environment> {
        Some(Environment::new(
            self.tools_account.as_str(),
            self.region.as_str(),
        ))
    }

    fn prod_env(&self) -> Option<Environment> {
        Some(Environment::new(
            self.prod_account.as_str(),
            self.region.as_str(),
        ))
    }

    /// The artifact bucket's name (`artifact-bucket-<tools account>`).
    pub fn artifact_bucket_name(&self) -> String {
        format!("artifact-bucket-{}", self.tools_account)
    }
}

/// The stack holding the CodeCommit repository.
pub struct RepositoryStack {
    /// The stack.
    pub stack: Stack,
    /// The repository `repo-<tools account>`.
    pub repository: Repository,
}

impl RepositoryStack {
    /// Defines `RepositoryStack` in the tools account.
    pub fn new(app: &App, settings: &Settings) -> Self {
        let stack = Stack::new(
            app,
            "RepositoryStack",
            StackProps {
                env: settings.tools_env(),
                description: Some(
                    "CodeCommit repository of the rcdk cross-account pipeline example".into(),
                ),
                ..Default::default()
            },
        );
        let repository = Repository::new(
            &stack,
            "CodeCommitRepo",
            RepositoryProps {
                repository_name: format!("repo-{}", settings.tools_account),
                description: Some("Source of the cross-account pipeline's application".into()),
                ..Default::default()
            },
        );
        RepositoryStack { stack, repository }
    }
}

/// The application: a Lambda function behind an API Gateway REST API.
pub struct ApplicationStack {
    /// The stack.
    pub stack: Stack,
    /// The stage name (`dev`, `prod`).
    pub stage_name: String,
    /// The function.
    pub function: Function,
    /// The API.
    pub api: LambdaRestApi,
    /// The code parameters the pipeline fills (with [`LambdaCodeSource::Parameters`]).
    pub lambda_code: Option<CfnParametersCode>,
}

/// The example's Lambda code folder.
pub fn lambda_code_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lambda")
}

impl ApplicationStack {
    /// Defines an application stack `id` for `stage_name` in `env`.
    pub fn new(
        app: &App,
        id: &str,
        stage_name: &str,
        env: Option<Environment>,
        code_source: LambdaCodeSource,
    ) -> Self {
        let stack = Stack::new(
            app,
            id,
            StackProps {
                env,
                description: Some(format!(
                    "The {stage_name} stage of the cross-account pipeline's application"
                )),
                ..Default::default()
            },
        );
        let (code, lambda_code) = match code_source {
            LambdaCodeSource::Parameters => {
                let parameters = Code::from_cfn_parameters();
                (Code::from(parameters.clone()), Some(parameters))
            }
            LambdaCodeSource::Asset => (Code::from_asset(lambda_code_dir()), None),
        };
        let mut props = FunctionProps::new(Runtime::Nodejs24X, "index.handler", code);
        props
            .environment
            .insert("STAGE_NAME".into(), Str::from(stage_name));
        let function = Function::new(&stack, "Lambda", props);
        let api = LambdaRestApi::new(
            &stack,
            "HelloLambdaRestApi",
            LambdaRestApiProps {
                description: Some(format!("Hello API of the {stage_name} stage")),
                deploy_options: Some(StageOptions {
                    stage_name: Some(stage_name.to_string()),
                    ..Default::default()
                }),
                endpoint_export_name: Some(
                    format!("CdkTsLambdaRestApiEndpoint-{stage_name}").into(),
                ),
                ..LambdaRestApiProps::new(&function)
            },
        );
        ApplicationStack {
            stack,
            stage_name: stage_name.to_string(),
            function,
            api,
            lambda_code,
        }
    }
}

/// The pipeline in the tools account.
pub struct CrossAccountPipelineStack {
    /// The stack.
    pub stack: Stack,
    /// The artifact key.
    pub key: Key,
    /// The artifact bucket.
    pub bucket: Bucket,
    /// The pipeline.
    pub pipeline: Pipeline,
}

/// Where the `CDK_Synth` project caches between builds (in the artifact bucket): cargo's
/// registry and git checkouts, the installed toolchain and binaries, and the target directory,
/// so a pipeline run rebuilds only what changed instead of compiling rcdk from scratch.
pub const CDK_SYNTH_CACHE_PREFIX: &str = "codebuild-cache/cdk-synth";

/// The build spec of the `CDK_Synth` project: installs Rust and rcdk (incrementally, with the
/// cached registry and target directory), then synthesizes the application stacks. The
/// repository holds this rcdk workspace (or a fork of it).
pub fn cdk_synth_build_spec() -> serde_json::Value {
    json!({
        "version": "0.2",
        "phases": {
            "install": {
                "commands": [
                    "export CARGO_TARGET_DIR=\"$CODEBUILD_SRC_DIR/target\"",
                    "command -v rustup >/dev/null 2>&1 || [ -x \"$HOME/.cargo/bin/rustup\" ] || curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal",
                    ". \"$HOME/.cargo/env\"",
                    "cargo install --locked --path cdk-cli"
                ]
            },
            "build": {
                "commands": [
                    "cd examples/cross-account-pipeline",
                    "rcdk synth -q -c lambdaCode=parameters -o \"$CODEBUILD_SRC_DIR/dist\""
                ]
            }
        },
        "cache": {
            "paths": [
                "/root/.cargo/registry/**/*",
                "/root/.cargo/git/db/**/*",
                "/root/.cargo/bin/**/*",
                "/root/.rustup/**/*",
                "target/**/*"
            ]
        },
        "artifacts": {
            "base-directory": "dist",
            "files": ["*ApplicationStack.template.json"]
        }
    })
}

/// The build spec of the `Application_Build` project: packages the Lambda code.
pub fn lambda_build_spec() -> serde_json::Value {
    json!({
        "version": "0.2",
        "phases": {
            "build": {
                "commands": ["node --check examples/cross-account-pipeline/lambda/index.js"]
            }
        },
        "artifacts": {
            "base-directory": "examples/cross-account-pipeline/lambda",
            "files": ["index.js"]
        }
    })
}

fn build_project(stack: &Stack, id: &str, spec: serde_json::Value, key: &Key) -> PipelineProject {
    PipelineProject::new(
        stack,
        id,
        PipelineProjectProps {
            build_spec: Some(BuildSpec::from_object(spec)),
            environment: BuildEnvironment {
                build_image: Some(LinuxBuildImage::STANDARD_7_0),
                ..Default::default()
            },
            encryption_key: Some(key.clone().into()),
            ..Default::default()
        },
    )
}

fn deploy_action(
    application: &ApplicationStack,
    cdk_build_output: &Artifact,
    lambda_build_output: &Artifact,
    stack_name: &str,
) -> CloudFormationCreateUpdateStackActionProps {
    let template = format!("{}.template.json", application.stack.artifact_id());
    let overrides = application
        .lambda_code
        .as_ref()
        .map(|code| {
            code.assign(
                lambda_build_output.bucket_name().into(),
                lambda_build_output.object_key().into(),
            )
        })
        .unwrap_or_default();
    CloudFormationCreateUpdateStackActionProps {
        parameter_overrides: overrides,
        extra_inputs: vec![lambda_build_output.clone()],
        ..CloudFormationCreateUpdateStackActionProps::new(
            "Deploy",
            cdk_build_output.at_path(&template),
            stack_name,
            true,
        )
    }
}

impl CrossAccountPipelineStack {
    /// Defines `CrossAccountPipelineStack` in the tools account.
    pub fn new(
        app: &App,
        settings: &Settings,
        repository: &Repository,
        dev: &ApplicationStack,
        prod: &ApplicationStack,
    ) -> Self {
        let stack = Stack::new(
            app,
            "CrossAccountPipelineStack",
            StackProps {
                env: settings.tools_env(),
                description: Some("Cross-account CI/CD pipeline: CodeCommit -> CodeBuild -> CloudFormation in dev and prod".into()),
                ..Default::default()
            },
        );
        let prod_account = AccountPrincipal::new(settings.prod_account.as_str());

        let key = Key::new(
            &stack,
            "ArtifactKey",
            KeyProps {
                alias: Some("key/artifact-key".into()),
                ..Default::default()
            },
        );
        key.grant_decrypt(&prod_account);
        key.grant_encrypt(&prod_account);

        let bucket = Bucket::new(
            &stack,
            "ArtifactBucket",
            BucketProps {
                bucket_name: Some(settings.artifact_bucket_name().into()),
                removal_policy: Some(RemovalPolicy::Destroy),
                encryption: BucketEncryption::Kms,
                encryption_key: Some(key.clone().into()),
                ..Default::default()
            },
        );
        bucket.grant_put(&prod_account);
        bucket.grant_read(&prod_account);

        let cdk_build = build_project(&stack, "CdkBuild", cdk_synth_build_spec(), &key);
        // The build spec's cache paths persist in the artifact bucket (as aws-cdk-lib's
        // `codebuild.Cache.bucket(bucket, { prefix })`).
        {
            let project = cdk_build.cfn();
            project.add_property_override(
                "Cache",
                cdk_core::Value::object([
                    ("Type", cdk_core::Value::from("S3")),
                    (
                        "Location",
                        cdk_core::Value::from(cdk_core::fns::join(
                            "/",
                            vec![bucket.bucket_name(), Str::from(CDK_SYNTH_CACHE_PREFIX)],
                        )),
                    ),
                ]),
            );
        }
        bucket.grant_read_write(&*cdk_build);
        let lambda_build = build_project(&stack, "LambdaBuild", lambda_build_spec(), &key);

        let source_output = Artifact::unnamed();
        let cdk_build_output = Artifact::new("CdkBuildOutput");
        let lambda_build_output = Artifact::new("LambdaBuildOutput");

        let prod_deployment_role = Role::from_role_arn(
            &stack,
            "ProdDeploymentRole",
            format!(
                "arn:aws:iam::{}:role/{PROD_DEPLOYMENT_ROLE}",
                settings.prod_account
            ),
            FromRoleArnOptions::immutable(),
        );
        let prod_cross_account_role = Role::from_role_arn(
            &stack,
            "ProdCrossAccountRole",
            format!(
                "arn:aws:iam::{}:role/{PROD_CROSS_ACCOUNT_ROLE}",
                settings.prod_account
            ),
            FromRoleArnOptions::immutable(),
        );

        let source = CodeCommitSourceAction::new(CodeCommitSourceActionProps {
            branch: Some("main".into()),
            ..CodeCommitSourceActionProps::new("CodeCommit_Source", repository, &source_output)
        });
        let application_build = CodeBuildAction::new(CodeBuildActionProps {
            outputs: vec![lambda_build_output.clone()],
            ..CodeBuildActionProps::new("Application_Build", &lambda_build, &source_output)
        });
        let cdk_synth = CodeBuildAction::new(CodeBuildActionProps {
            outputs: vec![cdk_build_output.clone()],
            ..CodeBuildActionProps::new("CDK_Synth", &cdk_build, &source_output)
        });
        let deploy_dev = CloudFormationCreateUpdateStackAction::new(deploy_action(
            dev,
            &cdk_build_output,
            &lambda_build_output,
            DEV_DEPLOYMENT_STACK,
        ));
        let deploy_prod = CloudFormationCreateUpdateStackAction::new(
            CloudFormationCreateUpdateStackActionProps {
                deployment_role: Some(prod_deployment_role.into()),
                role: Some(prod_cross_account_role.into()),
                cfn_capabilities: Some(vec![CfnCapabilities::AnonymousIam]),
                ..deploy_action(
                    prod,
                    &cdk_build_output,
                    &lambda_build_output,
                    PROD_DEPLOYMENT_STACK,
                )
            },
        );

        let pipeline = Pipeline::new(
            &stack,
            "CrossAccountPipeline",
            PipelineProps {
                pipeline_name: Some("CrossAccountPipeline".into()),
                artifact_bucket: Some(bucket.clone().into()),
                stages: vec![
                    StageProps::new("Source", vec![Box::new(source)]),
                    StageProps::new(
                        "Build",
                        vec![Box::new(application_build), Box::new(cdk_synth)],
                    ),
                    StageProps::new("Deploy_Dev", vec![Box::new(deploy_dev)]),
                    StageProps::new("Deploy_Prod", vec![Box::new(deploy_prod)]),
                ],
                ..Default::default()
            },
        );
        pipeline.add_to_role_policy(
            PolicyStatement::new()
                .action("sts:AssumeRole")
                .resource(format!("arn:aws:iam::{}:role/*", settings.prod_account)),
        );

        CfnOutput::new(
            &stack,
            "ArtifactBucketEncryptionKeyArn",
            CfnOutputProps {
                value: key.key_arn(),
                export_name: Some("ArtifactBucketEncryptionKey".into()),
                description: Some(
                    "ARN of the artifact key (pass it to ProdAccountRolesStack as artifactKeyArn)"
                        .into(),
                ),
                ..Default::default()
            },
        );
        CrossAccountPipelineStack {
            stack,
            key,
            bucket,
            pipeline,
        }
    }
}

/// The roles the pipeline uses in the prod account.
pub struct ProdAccountRolesStack {
    /// The stack.
    pub stack: Stack,
    /// `CodePipelineCrossAccountRole`: assumed by the pipeline from the tools account.
    pub cross_account_role: Role,
    /// `CloudFormationDeploymentRole`: the role CloudFormation runs as.
    pub deployment_role: Role,
}

impl ProdAccountRolesStack {
    /// Defines `ProdAccountRolesStack` in the prod account.
    pub fn new(app: &App, settings: &Settings) -> Self {
        let stack = Stack::new(
            app,
            "ProdAccountRolesStack",
            StackProps {
                env: settings.prod_env(),
                description: Some(
                    "Roles the tools account's pipeline uses to deploy into this account".into(),
                ),
                ..Default::default()
            },
        );
        let key_arn = CfnParameter::new(
            &stack,
            "ArtifactKeyArn",
            CfnParameterProps {
                description: Some("ARN of the pipeline's artifact key (output ArtifactBucketEncryptionKeyArn of CrossAccountPipelineStack)".into()),
                default: settings.artifact_key_arn.clone().map(Into::into),
                allowed_pattern: Some("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$".into()),
                ..Default::default()
            },
        )
        .value_as_string();
        let (prod, region) = (&settings.prod_account, &settings.region);
        let bucket_arn = format!("arn:aws:s3:::{}", settings.artifact_bucket_name());
        let objects_arn = format!("{bucket_arn}/*");
        let deployment_stack_arn =
            format!("arn:aws:cloudformation:{region}:{prod}:stack/{PROD_DEPLOYMENT_STACK}/*");
        let deployment_role_arn = format!("arn:aws:iam::{prod}:role/{PROD_DEPLOYMENT_ROLE}");

        let cross_account_role = Role::new(
            &stack,
            PROD_CROSS_ACCOUNT_ROLE,
            RoleProps {
                role_name: Some(PROD_CROSS_ACCOUNT_ROLE.into()),
                description: Some(
                    "Assumed by the tools account's pipeline to deploy the application".into(),
                ),
                ..RoleProps::assumed_by(AccountPrincipal::new(settings.tools_account.as_str()))
            },
        );
        for statement in [
            PolicyStatement::new()
                .actions([
                    "cloudformation:CreateStack",
                    "cloudformation:UpdateStack",
                    "cloudformation:DeleteStack",
                    "cloudformation:DescribeStack*",
                    "cloudformation:GetTemplate*",
                    "cloudformation:ValidateTemplate",
                    "cloudformation:GetStackPolicy",
                    "cloudformation:SetStackPolicy",
                    "cloudformation:CreateChangeSet",
                    "cloudformation:DescribeChangeSet",
                    "cloudformation:ExecuteChangeSet",
                    "cloudformation:DeleteChangeSet",
                ])
                .resource(deployment_stack_arn.as_str()),
            PolicyStatement::new()
                .action("iam:PassRole")
                .resource(deployment_role_arn.as_str()),
            PolicyStatement::new()
                .actions([
                    "s3:GetObject*",
                    "s3:GetBucket*",
                    "s3:List*",
                    "s3:PutObject",
                    "s3:Abort*",
                ])
                .resources([bucket_arn.as_str(), objects_arn.as_str()]),
            PolicyStatement::new()
                .actions([
                    "kms:Decrypt",
                    "kms:DescribeKey",
                    "kms:Encrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                ])
                .resource(key_arn.clone()),
        ] {
            cross_account_role.add_to_policy(statement);
        }

        let deployment_role = Role::new(
            &stack,
            PROD_DEPLOYMENT_ROLE,
            RoleProps {
                role_name: Some(PROD_DEPLOYMENT_ROLE.into()),
                description: Some(
                    "CloudFormation runs the application's deployment as this role".into(),
                ),
                ..RoleProps::assumed_by(ServicePrincipal::new("cloudformation.amazonaws.com"))
            },
        );
        let roles_in_account = format!("arn:aws:iam::{prod}:role/*");
        for statement in [
            PolicyStatement::new()
                .actions([
                    "iam:PassRole",
                    "iam:GetRole",
                    "iam:CreateRole",
                    "iam:DeleteRole",
                    "iam:UpdateRole",
                    "iam:TagRole",
                    "iam:UntagRole",
                    "iam:AttachRolePolicy",
                    "iam:DetachRolePolicy",
                    "iam:PutRolePolicy",
                    "iam:GetRolePolicy",
                    "iam:DeleteRolePolicy",
                ])
                .resource(roles_in_account.as_str()),
            PolicyStatement::new()
                .actions([
                    "lambda:CreateFunction",
                    "lambda:DeleteFunction",
                    "lambda:GetFunction",
                    "lambda:GetFunctionConfiguration",
                    "lambda:UpdateFunctionCode",
                    "lambda:UpdateFunctionConfiguration",
                    "lambda:AddPermission",
                    "lambda:RemovePermission",
                    "lambda:TagResource",
                    "lambda:UntagResource",
                    "lambda:ListTags",
                    "lambda:PublishVersion",
                ])
                .resource(format!("arn:aws:lambda:{region}:{prod}:function:*")),
            PolicyStatement::new()
                .actions([
                    "apigateway:GET",
                    "apigateway:POST",
                    "apigateway:PUT",
                    "apigateway:PATCH",
                    "apigateway:DELETE",
                ])
                .resources([
                    format!("arn:aws:apigateway:{region}::/restapis"),
                    format!("arn:aws:apigateway:{region}::/restapis/*"),
                    format!("arn:aws:apigateway:{region}::/account"),
                    format!("arn:aws:apigateway:{region}::/tags/*"),
                ]),
            PolicyStatement::new()
                .actions([
                    "codedeploy:CreateApplication",
                    "codedeploy:DeleteApplication",
                    "codedeploy:CreateDeploymentGroup",
                    "codedeploy:DeleteDeploymentGroup",
                    "codedeploy:CreateDeployment",
                    "codedeploy:GetDeployment",
                    "codedeploy:GetDeploymentConfig",
                    "codedeploy:RegisterApplicationRevision",
                ])
                .resource(format!("arn:aws:codedeploy:{region}:{prod}:*")),
            PolicyStatement::new()
                .actions(["s3:GetObject*", "s3:GetBucket*", "s3:List*"])
                .resources([bucket_arn.as_str(), objects_arn.as_str()]),
            PolicyStatement::new()
                .actions(["kms:Decrypt", "kms:DescribeKey"])
                .resource(key_arn),
            PolicyStatement::new()
                .actions([
                    "cloudformation:CreateChangeSet",
                    "cloudformation:DescribeChangeSet",
                    "cloudformation:ExecuteChangeSet",
                    "cloudformation:DescribeStacks",
                    "cloudformation:DescribeStackEvents",
                    "cloudformation:GetTemplate",
                ])
                .resource(deployment_stack_arn.as_str()),
        ] {
            deployment_role.add_to_policy(statement);
        }
        ProdAccountRolesStack {
            stack,
            cross_account_role,
            deployment_role,
        }
    }
}

/// Every stack of the example.
pub struct CrossAccountPipelineApp {
    /// `RepositoryStack`.
    pub repository: RepositoryStack,
    /// `DevApplicationStack`.
    pub dev: ApplicationStack,
    /// `ProdApplicationStack`.
    pub prod: ApplicationStack,
    /// `CrossAccountPipelineStack`.
    pub pipeline: CrossAccountPipelineStack,
    /// `ProdAccountRolesStack`.
    pub prod_roles: ProdAccountRolesStack,
}

/// Defines the whole example in `app`, with the policy packs (cdk-nag's AwsSolutions and
/// rcdk's cross-account rules) and the suppressions of what the example accepts.
pub fn build(app: &App, settings: &Settings) -> CrossAccountPipelineApp {
    cdk_nag::register(app);
    let stacks = define(app, settings);
    suppress_accepted_findings(&stacks, settings);
    stacks
}

/// What the policy packs report and this example accepts, each with why.
fn suppress_accepted_findings(stacks: &CrossAccountPipelineApp, settings: &Settings) {
    let (tools, prod, region) = (
        &settings.tools_account,
        &settings.prod_account,
        &settings.region,
    );
    let iam5 = |reason: &str, findings: &[String]| {
        findings
            .iter()
            .fold(Suppression::new("AwsSolutions-IAM5", reason), |s, f| {
                s.applies_to(f.as_str())
            })
    };
    let grants = [
        "Action::kms:GenerateDataKey*",
        "Action::kms:ReEncrypt*",
        "Action::s3:Abort*",
        "Action::s3:DeleteObject*",
        "Action::s3:GetBucket*",
        "Action::s3:GetObject*",
        "Action::s3:List*",
        "Resource::<ArtifactBucket7410C9EF.Arn>/*",
    ]
    .map(String::from);
    let pipeline = &stacks.pipeline.stack;
    NagSuppressions::add_stack_suppressions(
        pipeline,
        &[
            iam5(
                "The pipeline, its source action and the build projects read and write artifacts through aws-cdk-lib's grants (grant_read_write, grant_encrypt_decrypt), whose wildcards cover the pipeline's own artifact bucket and key only",
                &grants,
            ),
            iam5(
                "CodeBuild writes the log streams and report groups it names after the project; the wildcard covers those names only",
                &[
                    format!("Resource::arn:<AWS::Partition>:logs:{region}:{tools}:log-group:/aws/codebuild/<CdkBuild455F642E>:*"),
                    format!("Resource::arn:<AWS::Partition>:logs:{region}:{tools}:log-group:/aws/codebuild/<LambdaBuildCF1FE7ED>:*"),
                    format!("Resource::arn:<AWS::Partition>:codebuild:{region}:{tools}:report-group/<CdkBuild455F642E>-*"),
                    format!("Resource::arn:<AWS::Partition>:codebuild:{region}:{tools}:report-group/<LambdaBuildCF1FE7ED>-*"),
                ],
            ),
            iam5(
                "The dev deploy action reads the one stack it deploys (DevApplicationDeploymentStack), whose ARN ends in a stack ID that exists only after the first deployment",
                &[
                    "Action::cloudformation:DescribeStack*".into(),
                    "Action::cloudformation:GetTemplate*".into(),
                    format!("Resource::arn:<AWS::Partition>:cloudformation:{region}:{tools}:stack/{DEV_DEPLOYMENT_STACK}/*"),
                ],
            ),
            iam5(
                "sts:AssumeRole only, on the prod account's roles: the pipeline assumes CodePipelineCrossAccountRole there, and the prod account's trust policies decide which roles accept the pipeline",
                &[format!("Resource::arn:aws:iam::{prod}:role/*")],
            ),
            Suppression::new(
                "AwsSolutions-KMS5",
                "The artifact key is defined as in the AWS CDK tutorial this example is modelled on (no rotation), so the templates compare one to one with an aws-cdk-lib build of the same app",
            ),
            Suppression::new(
                "AwsSolutions-S1",
                "The artifact bucket only holds pipeline artifacts; the AWS CDK tutorial this example follows has no access-log bucket for it",
            ),
            Suppression::new(
                "AwsSolutions-S10",
                "Only the pipeline, its CodeBuild projects and the prod account's deploy roles reach the artifact bucket, through AWS SDK clients that use TLS; the tutorial's bucket has no TLS-only policy",
            ),
        ],
        false,
    );
    NagSuppressions::add_resource_suppressions_by_path(
        pipeline,
        "CrossAccountPipelineStack/CrossAccountPipeline/Deploy_Dev/Deploy/Role",
        &[
            iam5(
                "CloudFormation deploys the dev application into the tools account with this role; aws-cdk-lib's CloudFormationCreateUpdateStackAction gives it administrator rights when the action names no deployment role (the prod stage uses the scoped CloudFormationDeploymentRole)",
                &["Action::*".into(), "Resource::*".into()],
            ),
            Suppression::new(
                "RcdkCrossAccount-XA3",
                "The dev deployment role acts in its own (tools) account only and is trusted by CloudFormation alone; cross-account deployment goes through the prod account's scoped CloudFormationDeploymentRole",
            ),
        ],
        true,
    );
    for app_stack in [&stacks.dev.stack, &stacks.prod.stack] {
        NagSuppressions::add_stack_suppressions(
            app_stack,
            &[
                Suppression::new("AwsSolutions-APIG1", "The example's hello-world API keeps the AWS CDK tutorial's stage, which has no access logs"),
                Suppression::new("AwsSolutions-APIG6", "The example's hello-world API keeps the AWS CDK tutorial's stage, which has no execution logs"),
                Suppression::new("AwsSolutions-APIG2", "Every request reaches the same greeting handler through the Lambda proxy integration; there is no input to validate"),
                Suppression::new("AwsSolutions-APIG4", "A public hello-world endpoint: anyone may call it"),
                Suppression::new("AwsSolutions-IAM4", "Lambda's basic execution role only lets the function write its CloudWatch logs")
                    .applies_to("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                Suppression::new("AwsSolutions-IAM4", "API Gateway's CloudWatch role only pushes the API's logs to CloudWatch")
                    .applies_to("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"),
            ],
            false,
        );
    }
    NagSuppressions::add_stack_suppressions(
        &stacks.prod_roles.stack,
        &[iam5(
            "The prod account's deploy roles name their actions by family on the resources of one deployment: the artifact bucket's objects, the ProdApplicationDeploymentStack stack, and the functions, roles and APIs that stack creates with names CloudFormation generates",
            &[
                "Action::cloudformation:DescribeStack*".into(),
                "Action::cloudformation:GetTemplate*".into(),
                "Action::kms:GenerateDataKey*".into(),
                "Action::kms:ReEncrypt*".into(),
                "Action::s3:Abort*".into(),
                "Action::s3:GetBucket*".into(),
                "Action::s3:GetObject*".into(),
                "Action::s3:List*".into(),
                format!("Resource::arn:aws:s3:::{}/*", settings.artifact_bucket_name()),
                format!("Resource::arn:aws:cloudformation:{region}:{prod}:stack/{PROD_DEPLOYMENT_STACK}/*"),
                format!("Resource::arn:aws:apigateway:{region}::/restapis/*"),
                format!("Resource::arn:aws:apigateway:{region}::/tags/*"),
                format!("Resource::arn:aws:codedeploy:{region}:{prod}:*"),
                format!("Resource::arn:aws:iam::{prod}:role/*"),
                format!("Resource::arn:aws:lambda:{region}:{prod}:function:*"),
            ],
        )],
        false,
    );
}

fn define(app: &App, settings: &Settings) -> CrossAccountPipelineApp {
    let repository = RepositoryStack::new(app, settings);
    let dev = ApplicationStack::new(
        app,
        "DevApplicationStack",
        "dev",
        settings.tools_env(),
        settings.lambda_code,
    );
    let prod = ApplicationStack::new(
        app,
        "ProdApplicationStack",
        "prod",
        settings.prod_env(),
        settings.lambda_code,
    );
    let pipeline =
        CrossAccountPipelineStack::new(app, settings, &repository.repository, &dev, &prod);
    let prod_roles = ProdAccountRolesStack::new(app, settings);
    CrossAccountPipelineApp {
        repository,
        dev,
        prod,
        pipeline,
        prod_roles,
    }
}
