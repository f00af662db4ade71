//! The serverless product API example: a product catalog service (API Gateway → Lambda →
//! DynamoDB) that a CodeBuild project of a **tools** account deploys into a **target** account
//! with `rcdk deploy`, after assuming a cross-account role there.
//!
//! Stacks (see the README for the architecture and the commands):
//! - `TargetAccountStack` (target): the cross-account role the tools account assumes (trusting
//!   the account given as the `ToolsAccountID` parameter) and the role CloudFormation runs as
//!   when it deploys the service.
//! - `ToolsPipelineStack` (tools): CodeCommit repository, artifact bucket, the CodeBuild project
//!   that tests the handlers and deploys the service, the pipeline Source → BuildAndDeploy, and
//!   an EventBridge rule starting the pipeline on commits to `master`.
//! - `ProductCatalogServiceStack` (target): the DynamoDB table, the two Python handlers of
//!   `lambda/` and the REST API `POST /product/create`, `GET /product/find/{id}`; output
//!   `ServiceEndpoint`. Its deploy role is the cross-account role and its CloudFormation
//!   execution role the one of `TargetAccountStack` (its stack synthesizer names both roles).

#![warn(missing_docs)]

use cdk_core::validation::Suppression;
use cdk_nag::NagSuppressions;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use cdk_constructs::apigateway::{
    LambdaIntegration, MethodOptions, RestApi, RestApiProps, StageOptions,
};
use cdk_constructs::codebuild::{
    BuildEnvironment, BuildEnvironmentVariable, BuildSpec, LinuxBuildImage, PipelineProject,
    PipelineProjectProps,
};
use cdk_constructs::codecommit::{OnCommitOptions, Repository, RepositoryProps};
use cdk_constructs::codepipeline::{Artifact, Pipeline, PipelineProps, StageProps};
use cdk_constructs::codepipeline_actions::{
    CodeBuildAction, CodeBuildActionProps, CodeCommitSourceAction, CodeCommitSourceActionProps,
    CodeCommitTrigger,
};
use cdk_constructs::dynamodb::{Attribute, AttributeType, BillingMode, Table, TableProps};
use cdk_constructs::events::{CodePipelineTarget, Rule};
use cdk_constructs::iam::{
    AccountPrincipal, ManagedPolicy, PolicyStatement, Role, RoleProps, ServicePrincipal,
};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps};
use cdk_core::{
    App, ArnComponents, AssetProps, CfnOutput, CfnOutputProps, CfnParameter, CfnParameterProps,
    DefaultStackSynthesizer, Environment, IConstruct, Stack, StackProps, Str,
};
use serde_json::json;

/// Default tools account (pipeline, repository, CodeBuild).
pub const DEFAULT_TOOLS_ACCOUNT: &str = "111111111111";
/// Default target account (the service and its deployment roles).
pub const DEFAULT_TARGET_ACCOUNT: &str = "222222222222";
/// Default region.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Default API stage (context `stage`, CodeBuild variable `STAGE`).
pub const DEFAULT_STAGE: &str = "prod";
/// Default CodeCommit repository name (context `repositoryName`).
pub const DEFAULT_REPOSITORY_NAME: &str = "serverless-product-api";
/// The branch whose commits start the pipeline.
pub const BRANCH: &str = "master";

/// ID (and CloudFormation name) of the stack with the target account's roles.
pub const TARGET_ACCOUNT_STACK: &str = "TargetAccountStack";
/// ID of the tools account's pipeline stack.
pub const TOOLS_PIPELINE_STACK: &str = "ToolsPipelineStack";
/// ID (and CloudFormation name) of the service stack.
pub const SERVICE_STACK: &str = "ProductCatalogServiceStack";
/// Name of the role the tools account assumes in the target account (`CROSS_ACCOUNT_ROLE`).
pub const CROSS_ACCOUNT_ROLE_NAME: &str = "ProductApiCrossAccountRole";
/// Name of the role CloudFormation runs as in the target account (`CF_EXECUTION_ROLE`).
pub const CF_EXECUTION_ROLE_NAME: &str = "ProductApiCfnExecutionRole";
/// Name of the REST API.
pub const API_NAME: &str = "ProductCatalogApi";
/// Name of the pipeline.
pub const PIPELINE_NAME: &str = "ProductCatalogPipeline";

/// Accounts, region, stage and names, read from context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Account of the pipeline (context `toolsAccount`).
    pub tools_account: String,
    /// Account of the service (context `targetAccount`, or `prodAccount`).
    pub target_account: String,
    /// Region of every stack (context `region`).
    pub region: String,
    /// API Gateway stage of the service (context `stage`).
    pub stage: String,
    /// CodeCommit repository name (context `repositoryName`).
    pub repository_name: String,
    /// The Lambda code folder (context `lambdaDir`; default this crate's `lambda/`).
    pub lambda_dir: PathBuf,
}

impl Settings {
    /// Reads `toolsAccount`, `targetAccount` (falling back to `prodAccount`), `region`,
    /// `stage`, `repositoryName` and `lambdaDir` from the app's context, with the documented
    /// defaults. Bad values are reported together, each naming its key.
    pub fn from_context(app: &App) -> Result<Settings, String> {
        let node = app.node();
        let get = |key: &str| node.try_get_context_str(key);
        let tools_account = get("toolsAccount").unwrap_or_else(|| DEFAULT_TOOLS_ACCOUNT.into());
        let target_account = get("targetAccount")
            .or_else(|| get("prodAccount"))
            .unwrap_or_else(|| DEFAULT_TARGET_ACCOUNT.into());
        let region = get("region").unwrap_or_else(|| DEFAULT_REGION.into());
        let stage = get("stage").unwrap_or_else(|| DEFAULT_STAGE.into());
        let repository_name =
            get("repositoryName").unwrap_or_else(|| DEFAULT_REPOSITORY_NAME.into());
        let lambda_dir = get("lambdaDir")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("lambda"));
        let mut errors = Vec::new();
        for (key, value) in [
            ("toolsAccount", &tools_account),
            ("targetAccount", &target_account),
        ] {
            if !Environment::is_valid_account_id(value) {
                errors.push(format!(
                    "context '{key}' must be a 12-digit AWS account ID (got '{value}')"
                ));
            }
        }
        if errors.is_empty() && tools_account == target_account {
            errors.push(format!(
                "context 'toolsAccount' and 'targetAccount' must differ (both are {tools_account})"
            ));
        }
        if !Environment::is_valid_region(&region) {
            errors.push(format!(
                "context 'region' must be a region name like us-east-1 (got '{region}')"
            ));
        }
        if stage.is_empty()
            || stage.len() > 128
            || !stage.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            errors.push(format!(
                "context 'stage' must be 1-128 letters, digits or underscores (got '{stage}')"
            ));
        }
        if !errors.is_empty() {
            return Err(errors.join("; "));
        }
        Ok(Settings {
            tools_account,
            target_account,
            region,
            stage,
            repository_name,
            lambda_dir,
        })
    }

    fn env(&self, account: &str) -> Option<Environment> {
        Some(Environment::new(account, self.region.as_str()))
    }

    /// ARN of a role of the target account, as the cloud assembly writes role ARNs.
    fn target_role_arn_placeholder(&self, name: &str) -> String {
        format!(
            "arn:${{AWS::Partition}}:iam::{}:role/{name}",
            self.target_account
        )
    }
}

/// The stacks of the app.
pub struct ProductApiApp {
    /// `TargetAccountStack`.
    pub target_account_stack: TargetAccountStack,
    /// `ToolsPipelineStack`.
    pub tools_pipeline_stack: ToolsPipelineStack,
    /// `ProductCatalogServiceStack`.
    pub service_stack: ProductCatalogServiceStack,
}

/// Defines the three stacks in `app`, with the policy packs (cdk-nag's AwsSolutions and
/// rcdk's cross-account rules) and the suppressions of what the example accepts.
pub fn build(app: &App, settings: &Settings) -> ProductApiApp {
    cdk_nag::register(app);
    let stacks = define(app, settings);
    suppress_accepted_findings(&stacks, settings);
    stacks
}

/// What the policy packs report and this example accepts, each with why.
fn suppress_accepted_findings(stacks: &ProductApiApp, settings: &Settings) {
    let (tools, target, region) = (
        &settings.tools_account,
        &settings.target_account,
        &settings.region,
    );
    let iam5 = |reason: &str, findings: &[String]| {
        findings
            .iter()
            .fold(Suppression::new("AwsSolutions-IAM5", reason), |s, f| {
                s.applies_to(f.as_str())
            })
    };
    let assets =
        format!("Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-{target}-{region}/*");
    NagSuppressions::add_stack_suppressions(
        &stacks.target_account_stack.stack,
        &[iam5(
            "The deploy roles act on what one `rcdk deploy` of ProductCatalogServiceStack creates: objects of the bootstrap assets bucket, that stack, the keys the bootstrap stack encrypts assets with, and the table, functions, roles and REST APIs whose names CloudFormation derives from the stack name",
            &[
                assets,
                format!("Resource::arn:<AWS::Partition>:apigateway:{region}::/restapis/*"),
                format!("Resource::arn:<AWS::Partition>:cloudformation:{region}:{target}:stack/ProductCatalogServiceStack/*"),
                format!("Resource::arn:<AWS::Partition>:kms:{region}:{target}:key/*"),
                format!("Resource::arn:<AWS::Partition>:dynamodb:{region}:{target}:table/ProductCatalogServiceStack-*"),
                format!("Resource::arn:<AWS::Partition>:iam::{target}:role/ProductCatalogServiceStack-*"),
                format!("Resource::arn:<AWS::Partition>:lambda:{region}:{target}:function:ProductCatalogServiceStack-*"),
            ],
        )],
        false,
    );
    NagSuppressions::add_stack_suppressions(
        &stacks.tools_pipeline_stack.stack,
        &[
            iam5(
                "The pipeline, its source action and the deploy project read and write artifacts through aws-cdk-lib's grants, whose wildcards cover the pipeline's own artifact bucket only",
                &[
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
                    format!("Resource::arn:<AWS::Partition>:logs:{region}:{tools}:log-group:/aws/codebuild/<DeployProject1CF7CB79>:*"),
                    format!("Resource::arn:<AWS::Partition>:codebuild:{region}:{tools}:report-group/<DeployProject1CF7CB79>-*"),
                ],
            ),
            Suppression::new(
                "AwsSolutions-S1",
                "The artifact bucket only holds the pipeline's source archives, which CodePipeline writes and the deploy project reads; it has no other readers to audit",
            ),
            Suppression::new(
                "AwsSolutions-CB4",
                "The deploy project produces no artifacts: it runs `rcdk deploy` against the target account, so there is nothing for a customer managed key to encrypt",
            ),
        ],
        false,
    );
    let service = &stacks.service_stack;
    NagSuppressions::add_stack_suppressions(
        &service.stack,
        &[
            Suppression::new("AwsSolutions-APIG1", "A sample service: the REST API's stage keeps aws-cdk-lib's defaults, without access logs"),
            Suppression::new("AwsSolutions-APIG6", "A sample service: the REST API's stage keeps aws-cdk-lib's defaults, without execution logs"),
            Suppression::new("AwsSolutions-APIG2", "The handlers validate the product body and the id themselves (400 on bad input); the API has no request models"),
            Suppression::new("AwsSolutions-APIG4", "The sample product catalog is public: anyone may create and read products"),
            Suppression::new("AwsSolutions-IAM4", "Lambda's basic execution role only lets the functions write their CloudWatch logs")
                .applies_to("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
            Suppression::new("AwsSolutions-L1", "python3.14 is the newest Python runtime cdk-constructs' lambda::Runtime offers (aws-cdk-lib 2.276 also lists python3.15)"),
            Suppression::new("AwsSolutions-DDB3", "The sample catalog's table holds demo data that a redeploy recreates; point-in-time recovery would only add cost"),
        ],
        false,
    );
}

fn define(app: &App, settings: &Settings) -> ProductApiApp {
    let target_account_stack = TargetAccountStack::new(app, settings);
    let tools_pipeline_stack = ToolsPipelineStack::new(app, settings);
    let service_stack = ProductCatalogServiceStack::new(app, settings);
    service_stack.stack.add_dependency(
        &target_account_stack.stack,
        "the service is deployed with the roles of TargetAccountStack",
    );
    ProductApiApp {
        target_account_stack,
        tools_pipeline_stack,
        service_stack,
    }
}

/// Synthesizes `app` into its output directory.
pub fn synth(app: &App) -> Result<cdk_core::CloudAssembly, String> {
    app.synth().map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------
// TargetAccountStack

/// The target account's deployment roles.
pub struct TargetAccountStack {
    /// The stack.
    pub stack: Stack,
    /// The `ToolsAccountID` parameter: the account trusted to assume the cross-account role.
    pub tools_account_parameter: CfnParameter,
    /// `CROSS_ACCOUNT_ROLE`: assumed by the tools account's CodeBuild project to run
    /// `rcdk deploy` (CloudFormation, template and asset access, passing the execution role).
    pub cross_account_role: Role,
    /// `CF_EXECUTION_ROLE`: the role CloudFormation runs as; it can create the service's
    /// table, functions, function roles and REST API, and nothing else.
    pub cfn_execution_role: Role,
}

impl TargetAccountStack {
    /// Defines `TargetAccountStack` in the target account.
    pub fn new(app: &App, settings: &Settings) -> Self {
        let stack = Stack::new(
            app,
            TARGET_ACCOUNT_STACK,
            StackProps {
                env: settings.env(&settings.target_account),
                description: Some(
                    "Roles the tools account uses to deploy the product catalog service".into(),
                ),
                ..Default::default()
            },
        );
        let tools_account_parameter = CfnParameter::new(
            &stack,
            "ToolsAccountID",
            CfnParameterProps {
                parameter_type: Some("String".into()),
                default: Some(settings.tools_account.as_str().into()),
                allowed_pattern: Some("^[0-9]{12}$".into()),
                constraint_description: Some("a 12-digit AWS account ID".into()),
                description: Some(
                    "The tools account, whose CodeBuild project deploys the service".into(),
                ),
                ..Default::default()
            },
        );
        let arn = |service: &str, region: Option<&str>, account: Option<&str>, resource: &str| {
            stack.format_arn(ArnComponents {
                service: service.into(),
                resource: resource.into(),
                region: region.map(Str::from),
                account: account.map(Str::from),
                ..Default::default()
            })
        };
        let account = settings.target_account.as_str();
        let region = settings.region.as_str();
        let synthesizer = stack.synthesizer();
        let qualifier = synthesizer.qualifier.as_str();
        let assets_objects = arn(
            "s3",
            Some(""),
            Some(""),
            &format!("cdk-{qualifier}-assets-{account}-{region}/*"),
        );
        let bootstrap_version = arn(
            "ssm",
            None,
            None,
            &format!("parameter{}", synthesizer.bootstrap_version_parameter()),
        );
        // The bootstrap bucket's key ID is not known here: any key of this account, used
        // only through S3 in this region.
        let keys_via_s3 = PolicyStatement::new()
            .sid("DecryptBootstrapAssets")
            .action("kms:Decrypt")
            .resource(arn("kms", None, None, "key/*"))
            .condition(
                "StringEquals",
                "kms:ViaService",
                format!("s3.{region}.amazonaws.com"),
            );
        let read_bootstrap_version = PolicyStatement::new()
            .sid("ReadBootstrapVersion")
            .actions(["ssm:GetParameter", "ssm:GetParameters"])
            .resource(bootstrap_version);

        // CloudFormation execution role: exactly the resources of ProductCatalogServiceStack.
        // Physical names CloudFormation generates start with the stack name; REST API IDs are
        // random, so the API statement covers this region's REST APIs.
        let cfn_execution_role = Role::new(
            &stack,
            "CloudFormationExecutionRole",
            RoleProps {
                role_name: Some(CF_EXECUTION_ROLE_NAME.into()),
                description: Some(format!(
                    "Role CloudFormation runs as when deploying {SERVICE_STACK}"
                )),
                ..RoleProps::assumed_by(ServicePrincipal::new("cloudformation.amazonaws.com"))
            },
        );
        let named = |service: &str, resource: &str| arn(service, None, None, resource);
        let service_roles = arn("iam", Some(""), None, &format!("role/{SERVICE_STACK}-*"));
        for statement in [
            PolicyStatement::new()
                .sid("ManageProductTable")
                .actions([
                    "dynamodb:CreateTable",
                    "dynamodb:DeleteTable",
                    "dynamodb:DescribeTable",
                    "dynamodb:UpdateTable",
                    "dynamodb:DescribeContinuousBackups",
                    "dynamodb:UpdateContinuousBackups",
                    "dynamodb:DescribeTimeToLive",
                    "dynamodb:UpdateTimeToLive",
                    "dynamodb:DescribeContributorInsights",
                    "dynamodb:UpdateContributorInsights",
                    "dynamodb:DescribeKinesisStreamingDestination",
                    "dynamodb:GetResourcePolicy",
                    "dynamodb:ListTagsOfResource",
                    "dynamodb:TagResource",
                    "dynamodb:UntagResource",
                ])
                .resource(named("dynamodb", &format!("table/{SERVICE_STACK}-*"))),
            PolicyStatement::new()
                .sid("ManageProductFunctions")
                .actions([
                    "lambda:CreateFunction",
                    "lambda:DeleteFunction",
                    "lambda:GetFunction",
                    "lambda:GetFunctionConfiguration",
                    "lambda:GetRuntimeManagementConfig",
                    "lambda:GetFunctionCodeSigningConfig",
                    "lambda:GetPolicy",
                    "lambda:UpdateFunctionCode",
                    "lambda:UpdateFunctionConfiguration",
                    "lambda:ListTags",
                    "lambda:TagResource",
                    "lambda:UntagResource",
                    "lambda:AddPermission",
                    "lambda:RemovePermission",
                ])
                .resource(named("lambda", &format!("function:{SERVICE_STACK}-*"))),
            PolicyStatement::new()
                .sid("ManageFunctionRoles")
                .actions([
                    "iam:CreateRole",
                    "iam:DeleteRole",
                    "iam:GetRole",
                    "iam:TagRole",
                    "iam:UntagRole",
                    "iam:PutRolePolicy",
                    "iam:GetRolePolicy",
                    "iam:DeleteRolePolicy",
                ])
                .resource(service_roles.clone()),
            PolicyStatement::new()
                .sid("AttachLambdaBasicExecution")
                .actions(["iam:AttachRolePolicy", "iam:DetachRolePolicy"])
                .resource(service_roles.clone())
                .condition(
                    "ArnEquals",
                    "iam:PolicyARN",
                    ManagedPolicy::from_aws_managed_policy_name(
                        "service-role/AWSLambdaBasicExecutionRole",
                    )
                    .arn()
                    .into_value(),
                ),
            PolicyStatement::new()
                .sid("PassFunctionRoles")
                .action("iam:PassRole")
                .resource(service_roles)
                .condition(
                    "StringEquals",
                    "iam:PassedToService",
                    "lambda.amazonaws.com",
                ),
            PolicyStatement::new()
                .sid("ManageProductApi")
                .actions([
                    "apigateway:GET",
                    "apigateway:POST",
                    "apigateway:PUT",
                    "apigateway:PATCH",
                    "apigateway:DELETE",
                ])
                .resources([
                    arn("apigateway", None, Some(""), "/restapis"),
                    arn("apigateway", None, Some(""), "/restapis/*"),
                ]),
            // Lambda reads the function code from the bootstrap bucket as the caller.
            PolicyStatement::new()
                .sid("ReadFunctionCode")
                .actions(["s3:GetObject", "s3:GetObjectVersion"])
                .resource(assets_objects.clone()),
            keys_via_s3.clone(),
            read_bootstrap_version.clone(),
        ] {
            cfn_execution_role.add_to_policy(statement);
        }

        // Cross-account role: what `rcdk deploy ProductCatalogServiceStack` does with it.
        let cross_account_role = Role::new(
            &stack,
            "CrossAccountRole",
            RoleProps {
                role_name: Some(CROSS_ACCOUNT_ROLE_NAME.into()),
                description: Some(format!(
                    "Assumed by the tools account's CodeBuild project to deploy {SERVICE_STACK}"
                )),
                max_session_duration: Some(3600),
                ..RoleProps::assumed_by(AccountPrincipal::new(
                    tools_account_parameter.value_as_string(),
                ))
            },
        );
        for statement in [
            PolicyStatement::new()
                .sid("DeployServiceStack")
                .actions([
                    "cloudformation:CreateChangeSet",
                    "cloudformation:DeleteChangeSet",
                    "cloudformation:DescribeChangeSet",
                    "cloudformation:ExecuteChangeSet",
                    "cloudformation:DescribeStacks",
                    "cloudformation:DescribeStackEvents",
                    "cloudformation:GetTemplate",
                    "cloudformation:GetTemplateSummary",
                    "cloudformation:DeleteStack",
                    "cloudformation:UpdateTerminationProtection",
                ])
                .resource(named("cloudformation", &format!("stack/{SERVICE_STACK}/*"))),
            PolicyStatement::new()
                .sid("PassCloudFormationExecutionRole")
                .action("iam:PassRole")
                .resource(cfn_execution_role.role_arn())
                .condition(
                    "StringEquals",
                    "iam:PassedToService",
                    "cloudformation.amazonaws.com",
                ),
            // Assets (the Lambda code and the template) are uploaded by the bootstrap
            // file-publishing role; CloudFormation reads the template as the caller.
            PolicyStatement::new()
                .sid("PublishAssets")
                .action("sts:AssumeRole")
                .resource(arn(
                    "iam",
                    Some(""),
                    None,
                    &format!("role/cdk-{qualifier}-file-publishing-role-{account}-{region}"),
                )),
            PolicyStatement::new()
                .sid("ReadTemplates")
                .action("s3:GetObject")
                .resource(assets_objects),
            keys_via_s3,
            read_bootstrap_version,
            // The build checks the deployed stage after the deployment.
            PolicyStatement::new()
                .sid("VerifyDeployedApi")
                .action("apigateway:GET")
                .resource(arn("apigateway", None, Some(""), "/restapis/*")),
        ] {
            cross_account_role.add_to_policy(statement);
        }
        let output = |id: &str, value: Str, description: &str| {
            CfnOutput::new(
                &stack,
                id,
                CfnOutputProps {
                    value,
                    description: Some(description.into()),
                    ..Default::default()
                },
            );
        };
        output(
            "CrossAccountRoleArn",
            cross_account_role.role_arn(),
            "Role the tools account assumes (CROSS_ACCOUNT_ROLE)",
        );
        output(
            "CloudFormationExecutionRoleArn",
            cfn_execution_role.role_arn(),
            "Role CloudFormation runs as (CF_EXECUTION_ROLE)",
        );
        TargetAccountStack {
            stack,
            tools_account_parameter,
            cross_account_role,
            cfn_execution_role,
        }
    }
}

// ---------------------------------------------------------------------------------------
// ToolsPipelineStack

/// The tools account's pipeline.
pub struct ToolsPipelineStack {
    /// The stack.
    pub stack: Stack,
    /// The CodeCommit repository.
    pub repository: Repository,
    /// The pipeline's artifact bucket.
    pub artifact_bucket: Bucket,
    /// The CodeBuild project that tests and deploys the service.
    pub deploy_project: PipelineProject,
    /// The pipeline.
    pub pipeline: Pipeline,
    /// The rule starting the pipeline on commits to `master`.
    pub on_commit_rule: Rule,
}

/// The build spec of the deploy project: installs Rust, rcdk and the handlers' test tools,
/// runs the handler tests, assumes `CROSS_ACCOUNT_ROLE` in `TARGET_ACCOUNT_ID`, deploys
/// `ProductCatalogServiceStack` with `rcdk deploy` and checks the deployed API. The repository
/// holds this rcdk workspace (or a fork of it).
pub fn deploy_build_spec() -> serde_json::Value {
    json!({
        "version": "0.2",
        "env": {"shell": "bash"},
        "phases": {
            "install": {
                "commands": [
                    "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal",
                    ". \"$HOME/.cargo/env\"",
                    "cargo install --locked --path cdk-cli",
                    "python3 -m pip install -q pytest boto3 'moto[dynamodb]'"
                ]
            },
            "pre_build": {
                "commands": [
                    "python3 -m pytest -q examples/serverless-product-api/lambda",
                    "TOOLS_ACCOUNT_ID=$(echo \"$CODEBUILD_BUILD_ARN\" | cut -d: -f5)",
                    "CREDENTIALS=$(aws sts assume-role --role-arn \"arn:aws:iam::${TARGET_ACCOUNT_ID}:role/${CROSS_ACCOUNT_ROLE}\" --role-session-name \"product-api-${STAGE}\" --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)",
                    "export AWS_ACCESS_KEY_ID=$(echo \"$CREDENTIALS\" | cut -f1) AWS_SECRET_ACCESS_KEY=$(echo \"$CREDENTIALS\" | cut -f2) AWS_SESSION_TOKEN=$(echo \"$CREDENTIALS\" | cut -f3)",
                    "aws sts get-caller-identity"
                ]
            },
            "build": {
                "commands": [
                    "cd examples/serverless-product-api",
                    "rcdk deploy ProductCatalogServiceStack --exclusively --require-approval never -c toolsAccount=\"$TOOLS_ACCOUNT_ID\" -c targetAccount=\"$TARGET_ACCOUNT_ID\" -c region=\"$AWS_REGION\" -c stage=\"$STAGE\" -O outputs.json",
                    "API_ID=$(python3 -c 'import json; print(json.load(open(\"outputs.json\"))[\"ProductCatalogServiceStack\"][\"RestApiId\"])')",
                    "ENDPOINT=$(python3 -c 'import json; print(json.load(open(\"outputs.json\"))[\"ProductCatalogServiceStack\"][\"ServiceEndpoint\"])')",
                    "aws apigateway get-stage --rest-api-id \"$API_ID\" --stage-name \"$STAGE\" --query deploymentId --output text",
                    "test \"$(curl -s -o /dev/null -w '%{http_code}' \"${ENDPOINT}product/find/smoke-test-missing-product\")\" = 404"
                ]
            }
        }
    })
}

impl ToolsPipelineStack {
    /// Defines `ToolsPipelineStack` in the tools account.
    pub fn new(app: &App, settings: &Settings) -> Self {
        let stack = Stack::new(
            app,
            TOOLS_PIPELINE_STACK,
            StackProps {
                env: settings.env(&settings.tools_account),
                description: Some(
                    "Pipeline that deploys the product catalog service into the target account"
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
                description: Some("The serverless product API (an rcdk workspace)".into()),
                ..Default::default()
            },
        );
        let artifact_bucket = Bucket::new(
            &stack,
            "ArtifactBucket",
            BucketProps {
                encryption: BucketEncryption::S3Managed,
                block_public_access: Some(BlockPublicAccess::BLOCK_ALL),
                enforce_ssl: true,
                ..Default::default()
            },
        );
        let plaintext = BuildEnvironmentVariable::plaintext;
        let deploy_project = PipelineProject::new(
            &stack,
            "DeployProject",
            PipelineProjectProps {
                description: Some(format!(
                    "Tests the handlers and deploys {SERVICE_STACK} into the target account"
                )),
                build_spec: Some(BuildSpec::from_object(deploy_build_spec())),
                environment: BuildEnvironment {
                    build_image: Some(LinuxBuildImage::STANDARD_7_0),
                    ..Default::default()
                },
                environment_variables: vec![
                    (
                        "CROSS_ACCOUNT_ROLE".into(),
                        plaintext(CROSS_ACCOUNT_ROLE_NAME),
                    ),
                    (
                        "CF_EXECUTION_ROLE".into(),
                        plaintext(CF_EXECUTION_ROLE_NAME),
                    ),
                    (
                        "TARGET_ACCOUNT_ID".into(),
                        plaintext(settings.target_account.as_str()),
                    ),
                    ("STAGE".into(), plaintext(settings.stage.as_str())),
                ],
                timeout: Some(Duration::from_secs(60 * 60)),
                ..Default::default()
            },
        );
        // The only thing the build does with its own identity: assume the cross-account role.
        deploy_project.add_to_role_policy(
            PolicyStatement::new()
                .action("sts:AssumeRole")
                .resource(stack.format_arn(ArnComponents {
                    service: "iam".into(),
                    resource: "role".into(),
                    resource_name: Some(CROSS_ACCOUNT_ROLE_NAME.into()),
                    region: Some("".into()),
                    account: Some(settings.target_account.as_str().into()),
                    ..Default::default()
                })),
        );
        let source = Artifact::new("SourceOutput");
        let pipeline = Pipeline::new(
            &stack,
            "Pipeline",
            PipelineProps {
                pipeline_name: Some(PIPELINE_NAME.into()),
                artifact_bucket: Some(artifact_bucket.clone().into()),
                ..Default::default()
            },
        );
        pipeline.add_stage(StageProps::new(
            "Source",
            vec![Box::new(CodeCommitSourceAction::new(
                CodeCommitSourceActionProps {
                    branch: Some(BRANCH.into()),
                    // The rule below starts the pipeline; no second rule, no polling.
                    trigger: CodeCommitTrigger::None,
                    ..CodeCommitSourceActionProps::new("CodeCommit_Source", &repository, &source)
                },
            ))],
        ));
        pipeline.add_stage(StageProps::new(
            "BuildAndDeploy",
            vec![Box::new(CodeBuildAction::new(CodeBuildActionProps::new(
                "Build_and_Deploy",
                &deploy_project,
                &source,
            )))],
        ));
        let on_commit_rule = repository.on_commit(
            "OnCommitToMaster",
            OnCommitOptions {
                branches: vec![BRANCH.into()],
                target: Some(Rc::new(CodePipelineTarget::new(&pipeline))),
                description: Some(format!("Starts {PIPELINE_NAME} on commits to {BRANCH}")),
                ..Default::default()
            },
        );
        CfnOutput::new(
            &stack,
            "RepositoryCloneUrlHttp",
            CfnOutputProps {
                value: repository.repository_clone_url_http(),
                description: Some("Push this workspace here to run the pipeline".into()),
                ..Default::default()
            },
        );
        ToolsPipelineStack {
            stack,
            repository,
            artifact_bucket,
            deploy_project,
            pipeline,
            on_commit_rule,
        }
    }
}

// ---------------------------------------------------------------------------------------
// ProductCatalogServiceStack

/// The product catalog service.
pub struct ProductCatalogServiceStack {
    /// The stack.
    pub stack: Stack,
    /// The products table (partition key `id`).
    pub table: Table,
    /// `POST /product/create`.
    pub create_function: Function,
    /// `GET /product/find/{id}`.
    pub get_function: Function,
    /// The REST API.
    pub api: RestApi,
}

impl ProductCatalogServiceStack {
    /// Defines `ProductCatalogServiceStack` in the target account.
    pub fn new(app: &App, settings: &Settings) -> Self {
        let stack = Stack::new(
            app,
            SERVICE_STACK,
            StackProps {
                env: settings.env(&settings.target_account),
                description: Some("Product catalog service: API Gateway, Lambda, DynamoDB".into()),
                // `rcdk deploy` assumes the cross-account role and CloudFormation runs as the
                // execution role of TargetAccountStack, instead of the bootstrap roles (assets
                // are still published with the bootstrap file-publishing role, which the
                // cross-account role may assume).
                synthesizer: Some(DefaultStackSynthesizer {
                    deploy_role_arn: Some(
                        settings.target_role_arn_placeholder(CROSS_ACCOUNT_ROLE_NAME),
                    ),
                    cloud_formation_execution_role: Some(
                        settings.target_role_arn_placeholder(CF_EXECUTION_ROLE_NAME),
                    ),
                    ..Default::default()
                }),
                ..Default::default()
            },
        );
        let table = Table::new(
            &stack,
            "ProductTable",
            TableProps {
                billing_mode: BillingMode::PayPerRequest,
                ..TableProps::new(Attribute::new("id", AttributeType::String))
            },
        );
        let code = || {
            Code::Asset(AssetProps {
                path: settings.lambda_dir.clone(),
                exclude: vec![
                    // aws-cdk-lib (minimatch) semantics: a name without `/` matches at any
                    // depth; a leading `/` would match nothing.
                    "tests".into(),
                    "__pycache__".into(),
                    "*.pyc".into(),
                    ".pytest_cache".into(),
                ],
                ..Default::default()
            })
        };
        let function = |id: &str, handler: &str, description: &str| {
            let mut props = FunctionProps::new(Runtime::Python314, handler, code());
            props
                .environment
                .insert("TABLE_NAME".into(), table.table_name());
            props.timeout = Some(Duration::from_secs(10));
            props.memory_size = Some(256);
            props.description = Some(description.into());
            Function::new(&stack, id, props)
        };
        let create_function = function(
            "CreateProductFunction",
            "create_product.handler",
            "POST /product/create: validates and stores a product",
        );
        let get_function = function(
            "GetProductFunction",
            "get_product.handler",
            "GET /product/find/{id}: returns a product",
        );
        table.grant_read_write_data(&create_function);
        table.grant_read_data(&get_function);

        let api = RestApi::new(
            &stack,
            "ProductApi",
            RestApiProps {
                rest_api_name: Some(API_NAME.into()),
                description: Some("Product catalog service".into()),
                deploy_options: Some(StageOptions {
                    stage_name: Some(settings.stage.clone()),
                    ..Default::default()
                }),
                // No account-wide API Gateway logging settings from a service stack.
                cloud_watch_role: Some(false),
                ..Default::default()
            },
        );
        let product = api.root().add_resource("product");
        product.add_resource("create").add_method(
            "POST",
            LambdaIntegration::new(&create_function),
            MethodOptions::default(),
        );
        product
            .add_resource("find")
            .add_resource("{id}")
            .add_method(
                "GET",
                LambdaIntegration::new(&get_function),
                MethodOptions::default(),
            );
        CfnOutput::new(
            &stack,
            "ServiceEndpoint",
            CfnOutputProps {
                value: api.url(),
                description: Some("Base URL of the product API".into()),
                ..Default::default()
            },
        );
        CfnOutput::new(
            &stack,
            "RestApiId",
            CfnOutputProps {
                value: api.rest_api_id(),
                description: Some("ID of the REST API".into()),
                ..Default::default()
            },
        );
        CfnOutput::new(
            &stack,
            "ProductTableName",
            CfnOutputProps {
                value: table.table_name(),
                description: Some("Name of the products table".into()),
                ..Default::default()
            },
        );
        ProductCatalogServiceStack {
            stack,
            table,
            create_function,
            get_function,
            api,
        }
    }
}
