//! Runs the example the way the CLI does (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`) and checks the
//! assembly: stacks and accounts, the target account's roles, the pipeline and its CodeBuild
//! project, the service's table, functions and API, and determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

fn template(out: &Path, stack: &str) -> J {
    read_json(&out.join(format!("{stack}.template.json")))
}

/// `(logical ID, resource)` of every resource of type `ty`.
fn of_type<'a>(t: &'a J, ty: &str) -> Vec<(&'a String, &'a J)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

/// The one resource of type `ty` whose logical ID starts with `prefix`.
fn resource<'a>(t: &'a J, ty: &str, prefix: &str) -> (&'a String, &'a J) {
    let found: Vec<_> = of_type(t, ty)
        .into_iter()
        .filter(|(id, _)| id.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "{ty} {prefix}*: {found:?}");
    found[0]
}

/// The statements of the default policy of role `role_prefix`.
fn role_statements(t: &J, role_prefix: &str) -> Vec<J> {
    let (_, policy) = resource(
        t,
        "AWS::IAM::Policy",
        &format!("{role_prefix}DefaultPolicy"),
    );
    policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .clone()
}

fn by_sid<'a>(statements: &'a [J], sid: &str) -> &'a J {
    statements
        .iter()
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("no statement {sid} in {statements:#?}"))
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
    assert_eq!(
        t["Parameters"]["ToolsAccountID"],
        json!({
            "Type": "String",
            "Default": TOOLS,
            "AllowedPattern": "^[0-9]{12}$",
            "ConstraintDescription": "a 12-digit AWS account ID",
            "Description": "The tools account, whose CodeBuild project deploys the service"
        })
    );
    let (cross_id, cross) = resource(&t, "AWS::IAM::Role", "CrossAccountRole");
    assert_eq!(
        cross["Properties"]["RoleName"],
        "ProductApiCrossAccountRole"
    );
    assert_eq!(
        cross["Properties"]["AssumeRolePolicyDocument"]["Statement"],
        json!([{
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Join": ["", [
                "arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "ToolsAccountID"}, ":root"
            ]]}}
        }])
    );
    let (exec_id, exec) = resource(&t, "AWS::IAM::Role", "CloudFormationExecutionRole");
    assert_eq!(exec["Properties"]["RoleName"], "ProductApiCfnExecutionRole");
    assert_eq!(
        exec["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "cloudformation.amazonaws.com"})
    );

    // Cross-account role: CloudFormation on the service stack only, passing the execution
    // role to CloudFormation only, the bootstrap assets, and reading the deployed API.
    let cs = role_statements(&t, "CrossAccountRole");
    assert_least_privilege(&cs);
    let deploy = by_sid(&cs, "DeployServiceStack");
    assert!(actions(deploy)
        .iter()
        .all(|a| a.starts_with("cloudformation:")));
    assert!(actions(deploy).contains(&"cloudformation:ExecuteChangeSet".to_string()));
    assert_eq!(
        deploy["Resource"],
        partition_arn(&format!(
            ":cloudformation:us-east-1:{TARGET}:stack/ProductCatalogServiceStack/*"
        ))
    );
    assert_eq!(
        by_sid(&cs, "PassCloudFormationExecutionRole"),
        &json!({
            "Action": "iam:PassRole",
            "Condition": {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}},
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [exec_id, "Arn"]},
            "Sid": "PassCloudFormationExecutionRole"
        })
    );
    assert_eq!(
        by_sid(&cs, "PublishAssets")["Resource"],
        partition_arn(&format!(
            ":iam::{TARGET}:role/cdk-hnb659fds-file-publishing-role-{TARGET}-us-east-1"
        ))
    );
    assert_eq!(
        by_sid(&cs, "ReadTemplates")["Resource"],
        partition_arn(&format!(":s3:::cdk-hnb659fds-assets-{TARGET}-us-east-1/*"))
    );
    assert_eq!(
        by_sid(&cs, "DecryptBootstrapAssets")["Condition"],
        json!({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}})
    );
    assert_eq!(
        by_sid(&cs, "VerifyDeployedApi"),
        &json!({
            "Action": "apigateway:GET",
            "Effect": "Allow",
            "Resource": partition_arn(":apigateway:us-east-1::/restapis/*"),
            "Sid": "VerifyDeployedApi"
        })
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
    let es = role_statements(&t, "CloudFormationExecutionRole");
    assert_least_privilege(&es);
    for (sid, resource) in [
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
    ] {
        assert_eq!(
            by_sid(&es, sid)["Resource"],
            partition_arn(&resource),
            "{sid}"
        );
    }
    assert_eq!(
        by_sid(&es, "AttachLambdaBasicExecution")["Condition"],
        json!({"ArnEquals": {"iam:PolicyARN": partition_arn(
            ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        )}})
    );
    assert_eq!(
        by_sid(&es, "PassFunctionRoles")["Condition"],
        json!({"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}})
    );
    assert_eq!(
        by_sid(&es, "ManageProductApi")["Resource"],
        json!([
            partition_arn(":apigateway:us-east-1::/restapis"),
            partition_arn(":apigateway:us-east-1::/restapis/*")
        ])
    );
    assert!(!actions(by_sid(&es, "ManageFunctionRoles")).contains(&"iam:PassRole".to_string()));
    assert_eq!(
        t["Outputs"]["CrossAccountRoleArn"]["Value"],
        json!({"Fn::GetAtt": [cross_id, "Arn"]})
    );
}

#[test]
fn tools_pipeline_builds_and_deploys_with_the_cross_account_role() {
    let (_dir, out) = synth(None);
    let t = template(&out, "ToolsPipelineStack");
    let (repo_id, repo) = resource(&t, "AWS::CodeCommit::Repository", "Repository");
    assert_eq!(
        repo["Properties"]["RepositoryName"],
        "serverless-product-api"
    );
    let (bucket_id, bucket) = resource(&t, "AWS::S3::Bucket", "ArtifactBucket");
    assert_eq!(
        bucket["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"],
        true
    );

    // CodeBuild: the four variables, and a build spec that assumes the role and deploys.
    let (project_id, project) = resource(&t, "AWS::CodeBuild::Project", "DeployProject");
    let env = &project["Properties"]["Environment"];
    assert_eq!(env["Image"], "aws/codebuild/standard:7.0");
    assert_eq!(
        env["EnvironmentVariables"],
        json!([
            {"Name": "CROSS_ACCOUNT_ROLE", "Type": "PLAINTEXT", "Value": "ProductApiCrossAccountRole"},
            {"Name": "CF_EXECUTION_ROLE", "Type": "PLAINTEXT", "Value": "ProductApiCfnExecutionRole"},
            {"Name": "TARGET_ACCOUNT_ID", "Type": "PLAINTEXT", "Value": TARGET},
            {"Name": "STAGE", "Type": "PLAINTEXT", "Value": "prod"}
        ])
    );
    let spec: J = serde_json::from_str(
        project["Properties"]["Source"]["BuildSpec"]
            .as_str()
            .expect("inline build spec"),
    )
    .unwrap();
    assert_eq!(spec, serverless_product_api_example::deploy_build_spec());
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

    // Pipeline: Source → BuildAndDeploy.
    let (pipeline_id, pipeline) = resource(&t, "AWS::CodePipeline::Pipeline", "Pipeline");
    let p = &pipeline["Properties"];
    assert_eq!(p["Name"], "ProductCatalogPipeline");
    assert_eq!(
        p["ArtifactStore"],
        json!({"Location": {"Ref": bucket_id}, "Type": "S3"})
    );
    let stages: Vec<(&str, Vec<&str>)> = p["Stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["Name"].as_str().unwrap(),
                s["Actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["Name"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("Source", vec!["CodeCommit_Source"]),
            ("BuildAndDeploy", vec!["Build_and_Deploy"])
        ]
    );
    let source = &p["Stages"][0]["Actions"][0];
    assert_eq!(
        source["Configuration"],
        json!({"BranchName": "master", "PollForSourceChanges": false,
               "RepositoryName": {"Fn::GetAtt": [repo_id, "Name"]}})
    );
    assert_eq!(
        p["Stages"][1]["Actions"][0]["Configuration"],
        json!({"ProjectName": {"Ref": project_id}})
    );

    // Exactly one rule: commits to master start the pipeline.
    let rules = of_type(&t, "AWS::Events::Rule");
    assert_eq!(rules.len(), 1, "{rules:?}");
    let (rule_id, rule) = rules[0];
    assert!(rule_id.starts_with("RepositoryOnCommitToMaster"));
    assert_eq!(
        rule["Properties"]["EventPattern"],
        json!({
            "detail": {"event": ["referenceCreated", "referenceUpdated"], "referenceName": ["master"]},
            "detail-type": ["CodeCommit Repository State Change"],
            "resources": [{"Fn::GetAtt": [repo_id, "Arn"]}],
            "source": ["aws.codecommit"]
        })
    );
    let target = &rule["Properties"]["Targets"][0];
    assert_eq!(
        target["Arn"],
        partition_arn_with(&[
            json!(format!(":codepipeline:us-east-1:{TOOLS}:")),
            json!({"Ref": pipeline_id}),
        ])
    );
    let (events_role_id, _) = resource(&t, "AWS::IAM::Role", "PipelineEventsRole");
    assert_eq!(
        target["RoleArn"],
        json!({"Fn::GetAtt": [events_role_id, "Arn"]})
    );
    assert_eq!(
        role_statements(&t, "PipelineEventsRole"),
        [
            json!({"Action": "codepipeline:StartPipelineExecution", "Effect": "Allow",
                "Resource": target["Arn"]})
        ]
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
    let (table_id, table) = resource(&t, "AWS::DynamoDB::Table", "ProductTable");
    assert_eq!(
        table["Properties"]["KeySchema"],
        json!([{"AttributeName": "id", "KeyType": "HASH"}])
    );
    assert_eq!(table["Properties"]["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(table["DeletionPolicy"], "Retain");

    let function = |prefix: &str, handler: &str| -> String {
        let (id, f) = resource(&t, "AWS::Lambda::Function", prefix);
        let props = &f["Properties"];
        assert_eq!(props["Runtime"], "python3.14");
        assert_eq!(props["Handler"], handler);
        assert_eq!(
            props["Environment"],
            json!({"Variables": {"TABLE_NAME": {"Ref": table_id}}})
        );
        assert_eq!(props["Timeout"], 10);
        // The code is the handlers folder without its tests.
        let asset = f["Metadata"]["aws:asset:path"].as_str().unwrap();
        let mut files: Vec<String> = std::fs::read_dir(out.join(asset))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["create_product.py", "get_product.py"]);
        id.clone()
    };
    let create = function("CreateProductFunction", "create_product.handler");
    let get = function("GetProductFunction", "get_product.handler");

    // grant_read_write_data for create, grant_read_data for get.
    let table_grant = |role_prefix: &str| -> Vec<String> {
        let statements = role_statements(&t, role_prefix);
        assert_eq!(statements.len(), 1, "{statements:#?}");
        assert_eq!(
            statements[0]["Resource"],
            json!([{"Fn::GetAtt": [table_id, "Arn"]}, {"Ref": "AWS::NoValue"}])
        );
        actions(&statements[0])
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

    // The API: POST /product/create and GET /product/find/{id}.
    let (api_id, api) = resource(&t, "AWS::ApiGateway::RestApi", "ProductApi");
    assert_eq!(api["Properties"]["Name"], "ProductCatalogApi");
    let resources: std::collections::BTreeMap<&String, &J> =
        of_type(&t, "AWS::ApiGateway::Resource")
            .into_iter()
            .collect();
    let path_of = |resource_ref: &J| -> String {
        let mut parts = Vec::new();
        let mut current = resource_ref.clone();
        while let Some(id) = current["Ref"].as_str() {
            let r = resources[&id.to_string()];
            parts.push(r["Properties"]["PathPart"].as_str().unwrap().to_string());
            current = r["Properties"]["ParentId"].clone();
        }
        assert_eq!(current, json!({"Fn::GetAtt": [api_id, "RootResourceId"]}));
        parts.reverse();
        format!("/{}", parts.join("/"))
    };
    let mut methods: Vec<(String, String, String)> = of_type(&t, "AWS::ApiGateway::Method")
        .into_iter()
        .map(|(_, m)| {
            let p = &m["Properties"];
            let uri = &p["Integration"]["Uri"]["Fn::Join"][1];
            let function = uri
                .as_array()
                .unwrap()
                .iter()
                .find_map(|part| part["Fn::GetAtt"][0].as_str())
                .unwrap()
                .to_string();
            assert_eq!(p["Integration"]["Type"], "AWS_PROXY");
            assert_eq!(p["AuthorizationType"], "NONE");
            (
                p["HttpMethod"].as_str().unwrap().to_string(),
                path_of(&p["ResourceId"]),
                function,
            )
        })
        .collect();
    methods.sort();
    assert_eq!(
        methods,
        [
            (
                "GET".to_string(),
                "/product/find/{id}".to_string(),
                get.clone()
            ),
            (
                "POST".to_string(),
                "/product/create".to_string(),
                create.clone()
            ),
        ]
    );
    // API Gateway may invoke each function (from the stage and from test invocations).
    let permissions = of_type(&t, "AWS::Lambda::Permission");
    assert_eq!(permissions.len(), 4);
    for (_, p) in &permissions {
        assert_eq!(p["Properties"]["Principal"], "apigateway.amazonaws.com");
    }
    let (stage_id, stage) = resource(&t, "AWS::ApiGateway::Stage", "ProductApiDeploymentStage");
    assert_eq!(stage["Properties"]["StageName"], "prod");
    // No account-wide CloudWatch role from a service stack.
    assert!(of_type(&t, "AWS::ApiGateway::Account").is_empty());

    assert_eq!(
        t["Outputs"]["ServiceEndpoint"]["Value"],
        json!({"Fn::Join": ["", [
            "https://", {"Ref": api_id}, ".execute-api.us-east-1.", {"Ref": "AWS::URLSuffix"},
            "/", {"Ref": stage_id}, "/"
        ]]})
    );
    assert_eq!(t["Outputs"]["RestApiId"]["Value"], json!({"Ref": api_id}));
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
    assert_eq!(
        target["Parameters"]["ToolsAccountID"]["Default"],
        "333333333333"
    );
    let tools = template(&out, "ToolsPipelineStack");
    let (_, project) = resource(&tools, "AWS::CodeBuild::Project", "DeployProject");
    let vars = &project["Properties"]["Environment"]["EnvironmentVariables"];
    assert_eq!(vars[2]["Value"], "444444444444");
    assert_eq!(vars[3]["Value"], "beta");
    let service = template(&out, "ProductCatalogServiceStack");
    let (_, stage) = resource(
        &service,
        "AWS::ApiGateway::Stage",
        "ProductApiDeploymentStage",
    );
    assert_eq!(stage["Properties"]["StageName"], "beta");

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
