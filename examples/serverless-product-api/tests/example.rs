//! Runs the example the way the CLI does (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`) and checks the
//! assembly: stacks and accounts, the target account's roles, the pipeline and its CodeBuild
//! project, the service's table, functions and API, and determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cdk_assertions::{pattern, Capture, Match, Pattern, Template};
use rcdk_tests::{read_json, validate_assembly};
use serde_json::{json, Value as J};

const TOOLS: &str = "111111111111";
const TARGET: &str = "222222222222";

fn run(outdir: &Path, context: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_serverless-product-api"));
    cmd.env("CDK_OUTDIR", outdir).env_remove("CDK_CONTEXT_JSON");
    if let Some(c) = context {
        cmd.env("CDK_CONTEXT_JSON", c);
    }
    cmd.output().expect("run example")
}

/// Synthesizes with `context` into a fresh directory and returns it.
fn synth(context: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let result = run(&out, context);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    (dir, out)
}

fn template(out: &Path, stack: &str) -> Template {
    Template::from_json(read_json(&out.join(format!("{stack}.template.json"))))
}

/// The logical ID of the one resource of type `ty` whose logical ID starts with `prefix`.
fn logical_id(t: &Template, ty: &str, prefix: &str) -> String {
    let found: Vec<String> = t
        .find_resources(ty, pattern!({}))
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| id.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "{ty} {prefix}*: {found:?}");
    found[0].clone()
}

/// Asserts that the resource `logical_id` matches `resource` (object-like).
fn has(t: &Template, logical_id: &str, resource: Pattern) {
    t.template_matches(pattern!({"Resources": {(logical_id): resource}}));
}

/// The logical ID of the default policy of role `role_prefix`.
fn default_policy(t: &Template, role_prefix: &str) -> String {
    logical_id(
        t,
        "AWS::IAM::Policy",
        &format!("{role_prefix}DefaultPolicy"),
    )
}

/// The statements of the default policy of role `role_prefix`.
fn role_statements(t: &Template, role_prefix: &str) -> Vec<J> {
    let statements = Capture::new();
    has(
        t,
        &default_policy(t, role_prefix),
        pattern!({"Properties": {"PolicyDocument": {"Statement": &statements}}}),
    );
    statements.as_array()
}

/// Asserts that the default policy of role `role_prefix` has a statement matching each of
/// `statements` (in any order; literal statements are object-like).
fn has_statements(t: &Template, role_prefix: &str, statements: impl IntoIterator<Item = Pattern>) {
    let policy = default_policy(t, role_prefix);
    for statement in statements {
        // A literal statement is object-like; a matcher (e.g. `Match::exact`) is used as is.
        let statement = match statement {
            Pattern::Matcher(m) => m,
            literal => Match::object_like(literal),
        };
        has(
            t,
            &policy,
            pattern!({"Properties": {"PolicyDocument": {
                "Statement": Match::array_with([statement]),
            }}}),
        );
    }
}

fn actions(statement: &J) -> Vec<String> {
    match &statement["Action"] {
        J::String(a) => vec![a.clone()],
        J::Array(a) => a.iter().map(|v| v.as_str().unwrap().to_string()).collect(),
        other => panic!("bad Action {other}"),
    }
}

fn partition_arn(rest: &str) -> J {
    json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, rest]]})
}

/// No statement grants every action or every resource of a service.
fn assert_least_privilege(statements: &[J]) {
    for s in statements {
        for a in actions(s) {
            assert!(
                a != "*" && !a.ends_with(":*"),
                "wildcard action {a} in {s:#}"
            );
        }
        assert_ne!(s["Resource"], "*", "{s:#}");
    }
}

#[test]
fn synthesizes_a_valid_assembly_with_three_stacks_in_two_accounts() {
    let (_dir, out) = synth(None);
    let manifest = read_json(&out.join("manifest.json"));
    let stacks: Vec<(&String, &J)> = manifest["artifacts"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, a)| a["type"] == "aws:cloudformation:stack")
        .collect();
    let names: Vec<&str> = stacks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "TargetAccountStack",
            "ToolsPipelineStack",
            "ProductCatalogServiceStack"
        ]
    );
    let env = |s: &str| manifest["artifacts"][s]["environment"].clone();
    assert_eq!(
        env("TargetAccountStack"),
        format!("aws://{TARGET}/us-east-1")
    );
    assert_eq!(
        env("ToolsPipelineStack"),
        format!("aws://{TOOLS}/us-east-1")
    );
    assert_eq!(
        env("ProductCatalogServiceStack"),
        format!("aws://{TARGET}/us-east-1")
    );
    // The service is deployed with the target account's roles, once they exist.
    let service = &manifest["artifacts"]["ProductCatalogServiceStack"];
    assert_eq!(
        service["dependencies"],
        json!(["TargetAccountStack", "ProductCatalogServiceStack.assets"])
    );
    assert_eq!(
        service["properties"]["assumeRoleArn"],
        format!("arn:${{AWS::Partition}}:iam::{TARGET}:role/ProductApiCrossAccountRole")
    );
    assert_eq!(
        service["properties"]["cloudFormationExecutionRoleArn"],
        format!("arn:${{AWS::Partition}}:iam::{TARGET}:role/ProductApiCfnExecutionRole")
    );
    // The other stacks keep the bootstrap roles.
    assert_eq!(
        manifest["artifacts"]["ToolsPipelineStack"]["properties"]["assumeRoleArn"],
        format!(
            "arn:${{AWS::Partition}}:iam::{TOOLS}:role/cdk-hnb659fds-deploy-role-{TOOLS}-us-east-1"
        )
    );
    validate_assembly(&out, true);
}

#[test]
fn target_account_roles_trust_the_tools_account_and_are_least_privilege() {
    let (_dir, out) = synth(None);
    let t = template(&out, "TargetAccountStack");
    t.has_parameter(
        "ToolsAccountID",
        Match::exact(json!({
            "Type": "String",
            "Default": TOOLS,
            "AllowedPattern": "^[0-9]{12}$",
            "ConstraintDescription": "a 12-digit AWS account ID",
            "Description": "The tools account, whose CodeBuild project deploys the service"
        })),
    );
    let cross_id = logical_id(&t, "AWS::IAM::Role", "CrossAccountRole");
    has(
        &t,
        &cross_id,
        pattern!({"Properties": {
            "RoleName": "ProductApiCrossAccountRole",
            "AssumeRolePolicyDocument": {"Statement": Match::exact(json!([{
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Join": ["", [
                    "arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "ToolsAccountID"}, ":root"
                ]]}}
            }]))},
        }}),
    );
    let exec_id = logical_id(&t, "AWS::IAM::Role", "CloudFormationExecutionRole");
    has(
        &t,
        &exec_id,
        pattern!({"Properties": {
            "RoleName": "ProductApiCfnExecutionRole",
            "AssumeRolePolicyDocument": {"Statement": [{
                "Principal": Match::exact(json!({"Service": "cloudformation.amazonaws.com"})),
            }]},
        }}),
    );

    // Cross-account role: CloudFormation on the service stack only, passing the execution
    // role to CloudFormation only, the bootstrap assets, and reading the deployed API.
    let cs = role_statements(&t, "CrossAccountRole");
    assert_least_privilege(&cs);
    // Only CloudFormation actions on the service stack, ExecuteChangeSet among them.
    let deploy = cs
        .iter()
        .find(|s| s["Sid"] == "DeployServiceStack")
        .unwrap_or_else(|| panic!("no statement DeployServiceStack in {cs:#?}"));
    assert!(actions(deploy)
        .iter()
        .all(|a| a.starts_with("cloudformation:")));
    has_statements(
        &t,
        "CrossAccountRole",
        [
            pattern!({
                "Sid": "DeployServiceStack",
                "Resource": Match::exact(partition_arn(&format!(
                    ":cloudformation:us-east-1:{TARGET}:stack/ProductCatalogServiceStack/*"
                ))),
            }),
            pattern!({
                "Sid": "DeployServiceStack",
                "Action": Match::array_with(["cloudformation:ExecuteChangeSet"]),
            }),
            pattern!(Match::exact(json!({
                "Action": "iam:PassRole",
                "Condition": {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}},
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [exec_id, "Arn"]},
                "Sid": "PassCloudFormationExecutionRole"
            }))),
            pattern!({
                "Sid": "PublishAssets",
                "Resource": Match::exact(partition_arn(&format!(
                    ":iam::{TARGET}:role/cdk-hnb659fds-file-publishing-role-{TARGET}-us-east-1"
                ))),
            }),
            pattern!({
                "Sid": "ReadTemplates",
                "Resource": Match::exact(partition_arn(&format!(
                    ":s3:::cdk-hnb659fds-assets-{TARGET}-us-east-1/*"
                ))),
            }),
            pattern!({
                "Sid": "DecryptBootstrapAssets",
                "Condition": Match::exact(
                    json!({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}),
                ),
            }),
            pattern!(Match::exact(json!({
                "Action": "apigateway:GET",
                "Effect": "Allow",
                "Resource": partition_arn(":apigateway:us-east-1::/restapis/*"),
                "Sid": "VerifyDeployedApi"
            }))),
        ],
    );
    let services: std::collections::BTreeSet<String> = cs
        .iter()
        .flat_map(actions)
        .map(|a| a.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(
        services.into_iter().collect::<Vec<_>>(),
        [
            "apigateway",
            "cloudformation",
            "iam",
            "kms",
            "s3",
            "ssm",
            "sts"
        ]
    );

    // Execution role: the service's resources, named after the stack.
    assert_least_privilege(&role_statements(&t, "CloudFormationExecutionRole"));
    has_statements(
        &t,
        "CloudFormationExecutionRole",
        [
            (
                "ManageProductTable",
                format!(":dynamodb:us-east-1:{TARGET}:table/ProductCatalogServiceStack-*"),
            ),
            (
                "ManageProductFunctions",
                format!(":lambda:us-east-1:{TARGET}:function:ProductCatalogServiceStack-*"),
            ),
            (
                "ManageFunctionRoles",
                format!(":iam::{TARGET}:role/ProductCatalogServiceStack-*"),
            ),
        ]
        .map(|(sid, resource)| {
            pattern!({"Sid": sid, "Resource": Match::exact(partition_arn(&resource))})
        }),
    );
    has_statements(
        &t,
        "CloudFormationExecutionRole",
        [
            pattern!({
                "Sid": "AttachLambdaBasicExecution",
                "Condition": Match::exact(json!({"ArnEquals": {"iam:PolicyARN": partition_arn(
                    ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                )}})),
            }),
            pattern!({
                "Sid": "PassFunctionRoles",
                "Condition": Match::exact(
                    json!({"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}),
                ),
            }),
            pattern!({
                "Sid": "ManageProductApi",
                "Resource": Match::exact(json!([
                    partition_arn(":apigateway:us-east-1::/restapis"),
                    partition_arn(":apigateway:us-east-1::/restapis/*")
                ])),
            }),
            pattern!({
                "Sid": "ManageFunctionRoles",
                "Action": Match::not(Match::array_with(["iam:PassRole"])),
            }),
            pattern!({"Sid": "ManageFunctionRoles", "Action": Match::not("iam:PassRole")}),
        ],
    );
    t.has_output(
        "CrossAccountRoleArn",
        pattern!({"Value": Match::exact(json!({"Fn::GetAtt": [cross_id, "Arn"]}))}),
    );
}

#[test]
fn tools_pipeline_builds_and_deploys_with_the_cross_account_role() {
    let (_dir, out) = synth(None);
    let t = template(&out, "ToolsPipelineStack");
    let repo_id = logical_id(&t, "AWS::CodeCommit::Repository", "Repository");
    has(
        &t,
        &repo_id,
        pattern!({"Properties": {"RepositoryName": "serverless-product-api"}}),
    );
    let bucket_id = logical_id(&t, "AWS::S3::Bucket", "ArtifactBucket");
    has(
        &t,
        &bucket_id,
        pattern!({"Properties": {"PublicAccessBlockConfiguration": {"BlockPublicPolicy": true}}}),
    );

    // CodeBuild: the four variables, and a build spec that assumes the role and deploys.
    let project_id = logical_id(&t, "AWS::CodeBuild::Project", "DeployProject");
    let spec_text = Capture::new();
    has(
        &t,
        &project_id,
        pattern!({"Properties": {
            "Environment": {
                "Image": "aws/codebuild/standard:7.0",
                "EnvironmentVariables": Match::exact(json!([
                    {"Name": "CROSS_ACCOUNT_ROLE", "Type": "PLAINTEXT", "Value": "ProductApiCrossAccountRole"},
                    {"Name": "CF_EXECUTION_ROLE", "Type": "PLAINTEXT", "Value": "ProductApiCfnExecutionRole"},
                    {"Name": "TARGET_ACCOUNT_ID", "Type": "PLAINTEXT", "Value": TARGET},
                    {"Name": "STAGE", "Type": "PLAINTEXT", "Value": "prod"}
                ])),
            },
            // An inline build spec.
            "Source": {"BuildSpec": Match::serialized_json(Match::exact(
                serverless_product_api_example::deploy_build_spec(),
            ))},
        }}),
    );
    has(
        &t,
        &project_id,
        pattern!({"Properties": {"Source": {"BuildSpec": &spec_text}}}),
    );
    let spec: J = serde_json::from_str(&spec_text.as_string()).unwrap();
    let commands: Vec<String> = ["install", "pre_build", "build"]
        .iter()
        .flat_map(|phase| spec["phases"][phase]["commands"].as_array().unwrap())
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let position = |needle: &str| {
        commands
            .iter()
            .position(|c| c.contains(needle))
            .unwrap_or_else(|| panic!("no command with {needle}: {commands:#?}"))
    };
    let assume = position(
        "aws sts assume-role --role-arn \"arn:aws:iam::${TARGET_ACCOUNT_ID}:role/${CROSS_ACCOUNT_ROLE}\"",
    );
    let export = position("export AWS_ACCESS_KEY_ID=");
    let deploy = position("rcdk deploy ProductCatalogServiceStack");
    assert!(position("cargo install --locked --path cdk-cli") < position("pytest"));
    assert!(position("pytest") < assume && assume < export && export < deploy);
    for needle in [
        "-c targetAccount=\"$TARGET_ACCOUNT_ID\"",
        "-c stage=\"$STAGE\"",
        "--require-approval never",
    ] {
        assert!(commands[deploy].contains(needle), "{needle}");
    }
    assert!(position("${ENDPOINT}product/find/") > deploy);

    // The project's own identity may only assume the cross-account role (plus logs, reports
    // and the artifacts the pipeline grants).
    let ps = role_statements(&t, "DeployProjectRole");
    let assume_statements: Vec<&J> = ps
        .iter()
        .filter(|s| actions(s).contains(&"sts:AssumeRole".to_string()))
        .collect();
    assert_eq!(
        assume_statements,
        [&json!({
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Resource": partition_arn(&format!(":iam::{TARGET}:role/ProductApiCrossAccountRole"))
        })]
    );
    assert_least_privilege(&ps);

    // Pipeline: Source → BuildAndDeploy (literal arrays: exactly these stages and actions).
    let pipeline_id = logical_id(&t, "AWS::CodePipeline::Pipeline", "Pipeline");
    has(
        &t,
        &pipeline_id,
        pattern!({"Properties": {
            "Name": "ProductCatalogPipeline",
            "ArtifactStore": Match::exact(json!({"Location": {"Ref": bucket_id}, "Type": "S3"})),
            "Stages": [
                {"Name": "Source", "Actions": [{
                    "Name": "CodeCommit_Source",
                    "Configuration": Match::exact(json!({
                        "BranchName": "master", "PollForSourceChanges": false,
                        "RepositoryName": {"Fn::GetAtt": [repo_id, "Name"]}})),
                }]},
                {"Name": "BuildAndDeploy", "Actions": [{
                    "Name": "Build_and_Deploy",
                    "Configuration": Match::exact(json!({"ProjectName": {"Ref": project_id}})),
                }]},
            ],
        }}),
    );

    // Exactly one rule: commits to master start the pipeline.
    t.resource_count_is("AWS::Events::Rule", 1);
    let rule_id = logical_id(&t, "AWS::Events::Rule", "RepositoryOnCommitToMaster");
    let pipeline_arn = partition_arn_with(&[
        json!(format!(":codepipeline:us-east-1:{TOOLS}:")),
        json!({"Ref": pipeline_id}),
    ]);
    let events_role_id = logical_id(&t, "AWS::IAM::Role", "PipelineEventsRole");
    has(
        &t,
        &rule_id,
        pattern!({"Properties": {
            "EventPattern": Match::exact(json!({
                "detail": {"event": ["referenceCreated", "referenceUpdated"], "referenceName": ["master"]},
                "detail-type": ["CodeCommit Repository State Change"],
                "resources": [{"Fn::GetAtt": [repo_id, "Arn"]}],
                "source": ["aws.codecommit"]
            })),
            "Targets": [{
                "Arn": Match::exact(&pipeline_arn),
                "RoleArn": Match::exact(json!({"Fn::GetAtt": [events_role_id, "Arn"]})),
            }],
        }}),
    );
    has(
        &t,
        &default_policy(&t, "PipelineEventsRole"),
        pattern!({"Properties": {"PolicyDocument": {"Statement": Match::exact(json!([
            {"Action": "codepipeline:StartPipelineExecution", "Effect": "Allow",
                "Resource": pipeline_arn}
        ]))}}}),
    );
}

fn partition_arn_with(rest: &[J]) -> J {
    let mut parts = vec![json!("arn:"), json!({"Ref": "AWS::Partition"})];
    parts.extend(rest.iter().cloned());
    json!({"Fn::Join": ["", parts]})
}

#[test]
fn service_stack_wires_the_api_to_the_functions_and_the_table() {
    let (_dir, out) = synth(None);
    let t = template(&out, "ProductCatalogServiceStack");
    let table_id = logical_id(&t, "AWS::DynamoDB::Table", "ProductTable");
    has(
        &t,
        &table_id,
        pattern!({
            "DeletionPolicy": "Retain",
            "Properties": {
                "KeySchema": Match::exact(json!([{"AttributeName": "id", "KeyType": "HASH"}])),
                "BillingMode": "PAY_PER_REQUEST",
            },
        }),
    );

    let function = |prefix: &str, handler: &str| -> String {
        let id = logical_id(&t, "AWS::Lambda::Function", prefix);
        let asset = Capture::new();
        has(
            &t,
            &id,
            pattern!({
                "Properties": {
                    "Runtime": "python3.14",
                    "Handler": handler,
                    "Environment": Match::exact(json!({"Variables": {"TABLE_NAME": {"Ref": table_id}}})),
                    "Timeout": 10,
                },
                "Metadata": {"aws:asset:path": &asset},
            }),
        );
        // The code is the handlers folder without its tests.
        let mut files: Vec<String> = std::fs::read_dir(out.join(asset.as_string()))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["create_product.py", "get_product.py"]);
        id
    };
    let create = function("CreateProductFunction", "create_product.handler");
    let get = function("GetProductFunction", "get_product.handler");

    // grant_read_write_data for create, grant_read_data for get: one statement each.
    let table_grant = |role_prefix: &str| -> Vec<String> {
        let actions = Capture::new();
        has(
            &t,
            &default_policy(&t, role_prefix),
            pattern!({"Properties": {"PolicyDocument": {"Statement": [{
                "Action": &actions,
                "Resource": Match::exact(json!([{"Fn::GetAtt": [table_id, "Arn"]}, {"Ref": "AWS::NoValue"}])),
            }]}}}),
        );
        actions
            .as_array()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    };
    let read = [
        "dynamodb:BatchGetItem",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:Query",
        "dynamodb:GetItem",
        "dynamodb:Scan",
        "dynamodb:ConditionCheckItem",
    ];
    let write = [
        "dynamodb:BatchWriteItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    ];
    let create_actions = table_grant("CreateProductFunctionServiceRole");
    let get_actions = table_grant("GetProductFunctionServiceRole");
    for a in read {
        assert!(create_actions.contains(&a.to_string()), "{a}");
        assert!(get_actions.contains(&a.to_string()), "{a}");
    }
    for a in write {
        assert!(create_actions.contains(&a.to_string()), "{a}");
        assert!(!get_actions.contains(&a.to_string()), "{a}");
    }

    // The API: POST /product/create and GET /product/find/{id}, and nothing else.
    let api_id = logical_id(&t, "AWS::ApiGateway::RestApi", "ProductApi");
    has(
        &t,
        &api_id,
        pattern!({"Properties": {"Name": "ProductCatalogApi"}}),
    );
    let path_part = |part: &str, parent: J| -> String {
        t.get_resource_id(
            "AWS::ApiGateway::Resource",
            pattern!({"Properties": {"PathPart": part, "ParentId": Match::exact(parent)}}),
        )
    };
    let product = path_part("product", json!({"Fn::GetAtt": [api_id, "RootResourceId"]}));
    let create_path = path_part("create", json!({"Ref": product}));
    let find = path_part("find", json!({"Ref": product}));
    let find_id = path_part("{id}", json!({"Ref": find}));
    t.resource_count_is("AWS::ApiGateway::Resource", 4);
    t.resource_count_is("AWS::ApiGateway::Method", 2);
    for (method, resource, function) in [("GET", &find_id, &get), ("POST", &create_path, &create)] {
        t.has_resource_properties(
            "AWS::ApiGateway::Method",
            pattern!({
                "HttpMethod": method,
                "ResourceId": Match::exact(json!({"Ref": resource})),
                "AuthorizationType": "NONE",
                "Integration": {
                    "Type": "AWS_PROXY",
                    "Uri": {"Fn::Join": ["", Match::array_with([json!({"Fn::GetAtt": [function, "Arn"]})])]},
                },
            }),
        );
    }
    // API Gateway may invoke each function (from the stage and from test invocations).
    t.resource_count_is("AWS::Lambda::Permission", 4);
    t.all_resources_properties(
        "AWS::Lambda::Permission",
        pattern!({"Principal": "apigateway.amazonaws.com"}),
    );
    let stage_id = logical_id(&t, "AWS::ApiGateway::Stage", "ProductApiDeploymentStage");
    has(
        &t,
        &stage_id,
        pattern!({"Properties": {"StageName": "prod"}}),
    );
    // No account-wide CloudWatch role from a service stack.
    t.resource_count_is("AWS::ApiGateway::Account", 0);

    t.has_output(
        "ServiceEndpoint",
        pattern!({"Value": Match::exact(json!({"Fn::Join": ["", [
            "https://", {"Ref": api_id}, ".execute-api.us-east-1.", {"Ref": "AWS::URLSuffix"},
            "/", {"Ref": stage_id}, "/"
        ]]}))}),
    );
    t.has_output(
        "RestApiId",
        pattern!({"Value": Match::exact(json!({"Ref": api_id}))}),
    );
}

#[test]
fn context_sets_accounts_and_stage() {
    let (_dir, out) = synth(Some(
        r#"{"toolsAccount":"333333333333","targetAccount":"444444444444","region":"eu-west-1","stage":"beta"}"#,
    ));
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(
        manifest["artifacts"]["ToolsPipelineStack"]["environment"],
        "aws://333333333333/eu-west-1"
    );
    assert_eq!(
        manifest["artifacts"]["ProductCatalogServiceStack"]["environment"],
        "aws://444444444444/eu-west-1"
    );
    assert_eq!(
        manifest["artifacts"]["ProductCatalogServiceStack"]["properties"]["assumeRoleArn"],
        "arn:${AWS::Partition}:iam::444444444444:role/ProductApiCrossAccountRole"
    );
    let target = template(&out, "TargetAccountStack");
    target.has_parameter("ToolsAccountID", pattern!({"Default": "333333333333"}));
    let tools = template(&out, "ToolsPipelineStack");
    has(
        &tools,
        &logical_id(&tools, "AWS::CodeBuild::Project", "DeployProject"),
        pattern!({"Properties": {"Environment": {"EnvironmentVariables": [
            {}, {}, {"Value": "444444444444"}, {"Value": "beta"}
        ]}}}),
    );
    let service = template(&out, "ProductCatalogServiceStack");
    has(
        &service,
        &logical_id(
            &service,
            "AWS::ApiGateway::Stage",
            "ProductApiDeploymentStage",
        ),
        pattern!({"Properties": {"StageName": "beta"}}),
    );

    // prodAccount is accepted for the target account, as in the other examples.
    let (_dir2, out2) = synth(Some(r#"{"prodAccount":"555555555555"}"#));
    let manifest = read_json(&out2.join("manifest.json"));
    assert_eq!(
        manifest["artifacts"]["TargetAccountStack"]["environment"],
        "aws://555555555555/us-east-1"
    );
}

#[test]
fn bad_context_fails_naming_the_keys_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let result = run(
        &out,
        Some(r#"{"toolsAccount":"12345","targetAccount":"abc","stage":"no spaces"}"#),
    );
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    for key in ["'toolsAccount'", "'targetAccount'", "'stage'"] {
        assert!(stderr.contains(key), "{key}: {stderr}");
    }
    assert!(!out.exists());

    let result = run(
        &out,
        Some(r#"{"toolsAccount":"111111111111","targetAccount":"111111111111"}"#),
    );
    assert!(!result.status.success());
    assert!(String::from_utf8_lossy(&result.stderr).contains("must differ"));
    assert!(!out.exists());
}

#[test]
fn synth_output_is_byte_identical_across_runs() {
    let (_a, first) = synth(None);
    let (_b, second) = synth(None);
    let (x, y) = (
        rcdk_tests::read_assembly_files(&first),
        rcdk_tests::read_assembly_files(&second),
    );
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for ((name, a), (_, b)) in x.iter().zip(&y) {
        assert!(a == b, "{name} differs between runs");
    }
    // The rewritten manifest keeps cdk-core's formatting (two spaces, no final newline).
    let manifest = std::fs::read_to_string(first.join("manifest.json")).unwrap();
    assert!(manifest.starts_with("{\n  \"version\": "));
    assert!(manifest.ends_with('}'));
}
