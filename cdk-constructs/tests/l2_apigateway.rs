//! API Gateway L2: resources, methods, Lambda integrations and permissions, the deployment
//! whose logical ID follows the model, the stage, the CloudWatch role and the endpoint output.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use cdk_assertions::{pattern, Capture, Match, Template};
use cdk_constructs::apigateway::*;
use cdk_constructs::dynamodb::{Attribute, AttributeType, Table, TableProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_core::logical_id::make_unique_id;
use cdk_core::{App, IConstruct, Stack, StackProps};

/// Synthesizes the app into a temporary directory and checks the assembly (cfn-lint too).
fn validate(app: &App) {
    let dir = tempfile::tempdir().unwrap();
    app.synth_to(dir.path().join("out")).unwrap();
    rcdk_tests::validate_assembly(&dir.path().join("out"), true);
}
use serde_json::{json, Value as J};

fn node_fn(stack: &Stack, id: &str) -> Function {
    Function::new(
        stack,
        id,
        FunctionProps::new(
            Runtime::Nodejs24X,
            "index.handler",
            Code::from_inline("exports.handler = async () => ({ statusCode: 200, body: 'hi' });"),
        ),
    )
}

fn python_fn(stack: &Stack, id: &str) -> Function {
    Function::new(
        stack,
        id,
        FunctionProps::new(
            Runtime::Python314,
            "index.handler",
            Code::from_inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
        ),
    )
}

fn source_arn(api: &str, stage: J, tail: &str) -> J {
    let mut parts = vec![
        json!("arn:"),
        json!({"Ref": "AWS::Partition"}),
        json!(":execute-api:"),
        json!({"Ref": "AWS::Region"}),
        json!(":"),
        json!({"Ref": "AWS::AccountId"}),
        json!(":"),
        json!({"Ref": api}),
    ];
    match stage {
        J::Null => parts.push(json!(format!("/test-invoke-stage{tail}"))),
        stage => {
            parts.push(json!("/"));
            parts.push(stage);
            parts.push(json!(tail));
        }
    }
    json!({"Fn::Join": ["", parts]})
}

/// aws-cdk-lib's integ test `integ.lambda-api` (LambdaApiIntegrationOptionsStack), whose
/// snapshot was synthesized without path metadata: every logical ID, including the deployment's
/// hash, must come out the same. The snapshot's aws-cdk-lib (<= 2.276) names Lambda permissions
/// without the handler: rcdk's compatibility switch selects that scheme.
#[test]
fn lambda_rest_api_matches_the_aws_cdk_lib_snapshot() {
    let app = App::new();
    app.node()
        .set_context("aws:cdk:enable-path-metadata", false);
    app.node().set_context(
        cdk_constructs::apigateway::LEGACY_LAMBDA_PERMISSION_IDS,
        true,
    );
    let stack = Stack::new(
        &app,
        "LambdaApiIntegrationOptionsStack",
        StackProps::default(),
    );
    let f = Function::new(
        &stack,
        "myfn",
        FunctionProps::new(
            Runtime::Other("nodejs18.x".into()),
            "index.handler",
            Code::from_inline("exports.handler = async () => ({})"),
        ),
    );
    let api = LambdaRestApi::new(
        &stack,
        "lambdarestapi",
        LambdaRestApiProps {
            cloud_watch_role: Some(true),
            integration_options: Some(LambdaIntegrationOptions {
                timeout: Some(Duration::from_secs(1)),
                ..Default::default()
            }),
            ..LambdaRestApiProps::new(&f)
        },
    );
    assert_eq!(api.rest_api_name(), "lambdarestapi");
    let t = Template::from_stack(&stack);
    let deployment = "lambdarestapiDeployment2E401BD85ca559db3bb9b4a52bf7250ba64df032";
    let stage = "lambdarestapiDeploymentStageprodA05F84EA";
    let depends = Capture::new();
    let uri = json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["myfn8C66D016", "Arn"]}, "/invocations"]]});
    let managed_policy = Capture::new();
    t.template_matches(pattern!({"Resources": {
        (deployment): {
            "Type": "AWS::ApiGateway::Deployment",
            "Properties": Match::exact(pattern!({"Description": "Automatically created by the RestApi construct", "RestApiId": {"Ref": "lambdarestapiF559E4F2"}})),
            "DependsOn": &depends,
            "Metadata": {"aws:cdk:do-not-refactor": true},
        },
        "lambdarestapiF559E4F2": {"Properties": Match::exact(pattern!({"Name": "lambdarestapi"}))},
        (stage): {
            "Properties": Match::exact(pattern!({"DeploymentId": {"Ref": deployment}, "RestApiId": {"Ref": "lambdarestapiF559E4F2"}, "StageName": "prod"})),
            "DependsOn": ["lambdarestapiAccount856938D8"],
        },
        "lambdarestapiAccount856938D8": {
            "Properties": {"CloudWatchRoleArn": Match::exact(pattern!({"Fn::GetAtt": ["lambdarestapiCloudWatchRoleA142878F", "Arn"]}))},
            "DependsOn": ["lambdarestapiF559E4F2"],
            "DeletionPolicy": "Retain",
        },
        "lambdarestapiCloudWatchRoleA142878F": {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "AssumeRolePolicyDocument": {"Statement": [{
                    "Principal": Match::exact(pattern!({"Service": "apigateway.amazonaws.com"})),
                }]},
                "ManagedPolicyArns": [{"Fn::Join": ["", &managed_policy]}],
            },
        },
        "lambdarestapiANYB9BB3FB2": {"Properties": Match::exact(pattern!({
            "AuthorizationType": "NONE",
            "HttpMethod": "ANY",
            "Integration": {"IntegrationHttpMethod": "POST", "TimeoutInMillis": 1000, "Type": "AWS_PROXY", "Uri": uri},
            "ResourceId": {"Fn::GetAtt": ["lambdarestapiF559E4F2", "RootResourceId"]},
            "RestApiId": {"Ref": "lambdarestapiF559E4F2"}
        }))},
        "lambdarestapiproxyANYC900233F": {"Properties": {
            "ResourceId": Match::exact(pattern!({"Ref": "lambdarestapiproxyB0E963B7"})),
        }},
        "lambdarestapiproxyB0E963B7": {"Properties": Match::exact(pattern!({
            "ParentId": {"Fn::GetAtt": ["lambdarestapiF559E4F2", "RootResourceId"]}, "PathPart": "{proxy+}", "RestApiId": {"Ref": "lambdarestapiF559E4F2"}
        }))},
    }}));
    let mut depends: Vec<String> = depends
        .as_array()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    depends.sort();
    assert_eq!(
        depends,
        [
            "lambdarestapiANYB9BB3FB2",
            "lambdarestapiproxyANYC900233F",
            "lambdarestapiproxyB0E963B7"
        ]
    );
    assert_eq!(
        managed_policy.as_array()[2],
        ":iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    );
    let permissions = [
        (
            "lambdarestapiproxyANYApiPermissionLambdaApiIntegrationOptionsStacklambdarestapi1C6EE2BDANYproxy19093776",
            source_arn("lambdarestapiF559E4F2", json!({"Ref": stage}), "/*/*"),
        ),
        (
            "lambdarestapiproxyANYApiPermissionTestLambdaApiIntegrationOptionsStacklambdarestapi1C6EE2BDANYproxyE203BD4E",
            source_arn("lambdarestapiF559E4F2", J::Null, "/*/*"),
        ),
        (
            "lambdarestapiANYApiPermissionLambdaApiIntegrationOptionsStacklambdarestapi1C6EE2BDANY509EE687",
            source_arn("lambdarestapiF559E4F2", json!({"Ref": stage}), "/*/"),
        ),
        (
            "lambdarestapiANYApiPermissionTestLambdaApiIntegrationOptionsStacklambdarestapi1C6EE2BDANYA5EF21A0",
            source_arn("lambdarestapiF559E4F2", J::Null, "/*/"),
        ),
    ];
    for (id, arn) in permissions {
        t.template_matches(
            pattern!({"Resources": {(id): {"Properties": Match::exact(pattern!({
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Fn::GetAtt": ["myfn8C66D016", "Arn"]},
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": arn
            }))}}}),
        );
    }
    t.resource_count_is("AWS::Lambda::Permission", 4);
    t.has_output("lambdarestapiEndpoint4A61B166", pattern!({
        "Value": Match::exact(pattern!({"Fn::Join": ["", ["https://", {"Ref": "lambdarestapiF559E4F2"}, ".execute-api.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/", {"Ref": stage}, "/"]]})),
    }));
}

/// The flagship example's application API: stage named after the stage, exported endpoint.
#[test]
fn flagship_lambda_rest_api_stage_and_export() {
    let app = App::new();
    let stack = Stack::new(&app, "DevApplicationStack", StackProps::default());
    let f = node_fn(&stack, "Lambda");
    let api = LambdaRestApi::new(
        &stack,
        "HelloLambdaRestApi",
        LambdaRestApiProps {
            deploy_options: Some(StageOptions {
                stage_name: Some("Dev".into()),
                ..Default::default()
            }),
            endpoint_export_name: Some("CdkTsLambdaRestApiEndpoint-Dev".into()),
            ..LambdaRestApiProps::new(&f)
        },
    );
    assert_eq!(api.deployment_stage().unwrap().stage_name_literal(), "Dev");
    let t = Template::from_stack(&stack);
    let stage_id = make_unique_id(&["HelloLambdaRestApi", "DeploymentStage.Dev", "Resource"]);
    assert!(stage_id.starts_with("HelloLambdaRestApiDeploymentStageDev"));
    let endpoint = Capture::new();
    t.template_matches(pattern!({
        "Resources": {(stage_id.as_str()): {"Properties": {"StageName": "Dev"}}},
        "Outputs": {(make_unique_id(&["HelloLambdaRestApi", "Endpoint"])): {
            "Export": {"Name": "CdkTsLambdaRestApiEndpoint-Dev"},
            "Value": {"Fn::Join": ["", &endpoint]},
        }},
    }));
    assert_eq!(endpoint.as_array()[7], json!({"Ref": stage_id}));
    // Path metadata is on (as with the CDK CLI), so the hash differs from the snapshot's but
    // keeps its shape: the original logical ID and 32 lower-case hex digits.
    t.resource_count_is("AWS::ApiGateway::Deployment", 1);
    let id = t.get_resource_id("AWS::ApiGateway::Deployment", Match::any_value());
    let original = make_unique_id(&["HelloLambdaRestApi", "Deployment", "Resource"]);
    let suffix = id.strip_prefix(&original).unwrap();
    assert_eq!(suffix.len(), 32);
    assert!(suffix
        .chars()
        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    t.resource_count_is("AWS::ApiGateway::Method", 2);
    t.resource_count_is("AWS::Lambda::Permission", 4);
    t.resource_count_is("AWS::ApiGateway::Account", 1);
    validate(&app);
}

/// The serverless example's API: `POST /product/create` and `GET /product/find/{id}` on two
/// functions that share a table.
#[test]
fn rest_api_with_resources_path_parameters_and_table() {
    let app = App::new();
    let stack = Stack::new(&app, "ProductCatalogServiceStack", StackProps::default());
    let create = python_fn(&stack, "CreateProductFunction");
    let get = python_fn(&stack, "GetProductFunction");
    let table = Table::new(
        &stack,
        "ProductTable",
        TableProps::new(Attribute::new("id", AttributeType::String)),
    );
    table.grant_read_write_data(create.role());
    table.grant_read_data(get.role());
    let api = RestApi::new(
        &stack,
        "ProductApi",
        RestApiProps {
            rest_api_name: Some("Product Service".into()),
            description: Some("Product catalog".into()),
            deploy_options: Some(StageOptions {
                stage_name: Some("dev".into()),
                metrics_enabled: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    let product = api.root().add_resource("product");
    let create_method = product.add_resource("create").add_method(
        "post",
        LambdaIntegration::new(&create),
        MethodOptions::default(),
    );
    let find = product.add_resource("find").add_resource("{id}");
    find.add_method(
        "GET",
        LambdaIntegration::new(&get),
        MethodOptions {
            request_parameters: Some(BTreeMap::from([(
                "method.request.path.id".to_string(),
                true,
            )])),
            ..Default::default()
        },
    );
    assert_eq!(create_method.http_method(), "POST");
    assert_eq!(find.path(), "/product/find/{id}");
    assert!(api.root().get_resource("product").is_some());
    assert_eq!(
        api.root().resource_for_path("/product/find/{id}").path(),
        "/product/find/{id}"
    );
    cdk_core::CfnOutput::new(
        &stack,
        "ServiceEndpoint",
        cdk_core::CfnOutputProps {
            value: api.url(),
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    let api_id = make_unique_id(&["ProductApi", "Resource"]);
    let stage_id = make_unique_id(&["ProductApi", "DeploymentStage.dev", "Resource"]);
    let find_id = make_unique_id(&[
        "ProductApi",
        "Default",
        "product",
        "find",
        "{id}",
        "Resource",
    ]);
    let get_id = make_unique_id(&[
        "ProductApi",
        "Default",
        "product",
        "find",
        "{id}",
        "GET",
        "Resource",
    ]);
    let uri = Capture::new();
    t.template_matches(pattern!({"Resources": {
        (api_id.as_str()): {"Properties": Match::exact(pattern!({"Description": "Product catalog", "Name": "Product Service"}))},
        (stage_id.as_str()): {"Properties": {
            "MethodSettings": Match::exact(pattern!([{"DataTraceEnabled": false, "HttpMethod": "*", "MetricsEnabled": true, "ResourcePath": "/*"}])),
        }},
        (find_id.as_str()): {"Properties": {
            "PathPart": "{id}",
            "ParentId": Match::exact(pattern!({"Ref": make_unique_id(&["ProductApi", "Default", "product", "find", "Resource"])})),
        }},
        (get_id.as_str()): {"Properties": {
            "HttpMethod": "GET",
            "RequestParameters": Match::exact(pattern!({"method.request.path.id": true})),
            "Integration": {"Uri": {"Fn::Join": ["", &uri]}},
        }},
    }}));
    assert_eq!(
        uri.as_array()[5],
        json!({"Fn::GetAtt": [make_unique_id(&["GetProductFunction", "Resource"]), "Arn"]})
    );
    let unique = make_unique_id(&["ProductCatalogServiceStack", "ProductApi"]);
    // Current aws-cdk-lib: `ApiPermission.<handler>.<api>.<METHOD>.<path>`.
    let has_permission = |test: &str, method: &str, path: &[&str], desc: &str, arn: J| {
        let handler = if method == "POST" {
            "CreateProductFunction"
        } else {
            "GetProductFunction"
        };
        let handler = make_unique_id(&["ProductCatalogServiceStack", handler]);
        let mut ids = vec!["ProductApi", "Default"];
        ids.extend_from_slice(path);
        ids.push(method);
        let name = format!("ApiPermission.{test}{handler}.{unique}.{method}.{desc}");
        ids.push(&name);
        t.template_matches(
            pattern!({"Resources": {(make_unique_id(&ids)): {"Properties": {
                "SourceArn": Match::exact(arn),
            }}}}),
        );
    };
    has_permission(
        "",
        "POST",
        &["product", "create"],
        ".product.create",
        source_arn(&api_id, json!({"Ref": stage_id}), "/POST/product/create"),
    );
    has_permission(
        "Test.",
        "GET",
        &["product", "find", "{id}"],
        ".product.find.{id}",
        source_arn(&api_id, J::Null, "/GET/product/find/*"),
    );
    // The deployment waits for every resource and method; the API description is the
    // deployment's default.
    let depends = Capture::new();
    t.resource_count_is("AWS::ApiGateway::Deployment", 1);
    t.has_resource(
        "AWS::ApiGateway::Deployment",
        pattern!({
            "DependsOn": &depends,
            "Properties": {"Description": "Product catalog"},
        }),
    );
    assert_eq!(depends.as_array().len(), 6);
    // The table grants: read/write for create, read for get.
    let table_id = make_unique_id(&["ProductTable", "Resource"]);
    t.has_resource_properties("AWS::IAM::Policy", pattern!({"PolicyDocument": {"Statement": [{
        "Action": Match::array_with(["dynamodb:PutItem"]),
        "Resource": Match::exact(pattern!([{"Fn::GetAtt": [table_id.as_str(), "Arn"]}, {"Ref": "AWS::NoValue"}])),
    }]}}));
    let endpoint = Capture::new();
    t.has_output(
        "ServiceEndpoint",
        pattern!({"Value": {"Fn::Join": ["", &endpoint]}}),
    );
    assert_eq!(endpoint.as_array()[1], json!({"Ref": api_id}));
    validate(&app);
}

/// The logical ID of the stack's one deployment, which its stage deploys.
fn deployment_id(stack: &Stack) -> String {
    let t = Template::from_stack(stack);
    t.resource_count_is("AWS::ApiGateway::Deployment", 1);
    let id = t.get_resource_id("AWS::ApiGateway::Deployment", Match::any_value());
    t.has_resource_properties(
        "AWS::ApiGateway::Stage",
        pattern!({
            "DeploymentId": Match::exact(pattern!({"Ref": id.as_str()})),
        }),
    );
    id
}

fn api_app(extra_method: bool, description: Option<&str>) -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let f = node_fn(&stack, "Fn");
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            description: description.map(String::from),
            ..Default::default()
        },
    );
    let items = api.root().add_resource("items");
    items.add_method("GET", LambdaIntegration::new(&f), MethodOptions::default());
    if extra_method {
        items.add_method("POST", LambdaIntegration::new(&f), MethodOptions::default());
    }
    (app, stack)
}

#[test]
fn deployment_logical_id_follows_the_model() {
    let base = deployment_id(&api_app(false, None).1);
    assert_eq!(
        base,
        deployment_id(&api_app(false, None).1),
        "deterministic"
    );
    let with_post = deployment_id(&api_app(true, None).1);
    assert_ne!(base, with_post, "adding a method creates a new deployment");
    let described = deployment_id(&api_app(false, Some("v2")).1);
    assert_ne!(
        base, described,
        "a RestApi property change creates a new deployment"
    );
    let original = make_unique_id(&["Api", "Deployment", "Resource"]);
    for id in [&base, &with_post, &described] {
        assert_eq!(id.len(), original.len() + 32);
        assert!(id.starts_with(&original));
    }

    // Data added by hand counts too.
    let app2 = App::new();
    let s2 = Stack::new(&app2, "S", StackProps::default());
    let f = node_fn(&s2, "Fn");
    let api = RestApi::new(&s2, "Api", RestApiProps::default());
    api.root().add_resource("items").add_method(
        "GET",
        LambdaIntegration::new(&f),
        MethodOptions::default(),
    );
    api.latest_deployment()
        .unwrap()
        .add_to_logical_id(HashData::from("schema-v2"));
    assert_ne!(deployment_id(&s2), base);
}

#[test]
fn defaults_without_cloud_watch_role_or_deployment() {
    // The aws-cdk-lib feature flag turns the CloudWatch role off by default.
    let app = App::new();
    app.node().set_context(DISABLE_CLOUD_WATCH_ROLE_FLAG, true);
    let stack = Stack::new(&app, "S", StackProps::default());
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    api.root().add_method("GET", None, MethodOptions::default());
    assert!(api.cloud_watch_role().is_none());
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::ApiGateway::Account", 0);
    t.resource_count_is("AWS::IAM::Role", 0);
    // Without an integration, a method gets a mock one.
    t.resource_count_is("AWS::ApiGateway::Method", 1);
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        pattern!({
            "Integration": Match::exact(pattern!({"Type": "MOCK"})),
        }),
    );
    t.resource_count_is("AWS::ApiGateway::Stage", 1);
    t.has_resource(
        "AWS::ApiGateway::Stage",
        pattern!({
            "Properties": {"StageName": "prod"},
            "DependsOn": Match::absent(),
        }),
    );

    // deploy: false: no deployment, stage or output; retained deployments otherwise.
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let f = node_fn(&stack, "Fn");
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            deploy: false,
            cloud_watch_role: Some(false),
            ..Default::default()
        },
    );
    api.root().add_method(
        "ANY",
        LambdaIntegration::with_options(
            &f,
            LambdaIntegrationOptions {
                allow_test_invoke: false,
                proxy: false,
                ..Default::default()
            },
        ),
        MethodOptions {
            authorization_type: Some(AuthorizationType::Iam),
            ..Default::default()
        },
    );
    assert!(api.latest_deployment().is_none());
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::ApiGateway::Deployment", 0);
    assert!(t.find_outputs("*", Match::any_value()).is_empty());
    t.resource_count_is("AWS::Lambda::Permission", 1); // no test-invoke permission
    let source_arn = Capture::new();
    t.has_resource_properties(
        "AWS::Lambda::Permission",
        pattern!({
            "SourceArn": {"Fn::Join": ["", &source_arn]},
        }),
    );
    assert_eq!(
        source_arn.as_array()[8],
        json!("/*/*/"),
        "without a stage the source ARN names every stage"
    );
    t.resource_count_is("AWS::ApiGateway::Method", 1);
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        pattern!({
            "AuthorizationType": "AWS_IAM",
            "Integration": {"Type": "AWS"},
        }),
    );
    validate(&app);

    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            retain_deployments: true,
            endpoint_types: vec![EndpointType::Regional],
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::ApiGateway::Deployment", 1);
    t.has_resource(
        "AWS::ApiGateway::Deployment",
        pattern!({"DeletionPolicy": "Retain"}),
    );
    t.resource_count_is("AWS::ApiGateway::RestApi", 1);
    t.has_resource_properties(
        "AWS::ApiGateway::RestApi",
        pattern!({
            "EndpointConfiguration": Match::exact(pattern!({"Types": ["REGIONAL"]})),
        }),
    );
}

#[test]
fn bad_input_is_reported_against_the_construct_path() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let f = node_fn(&stack, "Fn");
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            deploy_options: Some(StageOptions {
                stage_name: Some("my stage".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    let items = api.root().add_resource("items");
    items.add_method("GET", LambdaIntegration::new(&f), MethodOptions::default());
    items.add_method("get", None, MethodOptions::default());
    api.root().add_resource("items");
    api.root().add_resource("bad path");
    api.root()
        .add_method("FETCH", None, MethodOptions::default());
    // A method defined outside the API its resource belongs to.
    let other = RestApi::new(&stack, "Other", RestApiProps::default());
    Method::new(
        &other,
        "GET",
        MethodProps {
            resource: items.clone(),
            http_method: "GET".into(),
            integration: None,
            options: MethodOptions::default(),
        },
    );
    // A proxying LambdaRestApi's root takes no more methods.
    let proxy = LambdaRestApi::new(&stack, "Proxy", LambdaRestApiProps::new(&f));
    proxy
        .root()
        .add_method("POST", None, MethodOptions::default());
    let errors = common::synth_errors(&app).join("\n");
    for expected in [
        "[S/Api] invalid stage name 'my stage': use 1 to 128 letters, numbers, hyphens or underscores",
        "[S/Api/Default/items] resource '/items' already has a GET method",
        "[S/Api/Default] resource '/' already has a child resource with path part 'items'",
        "[S/Api/Default/bad path] invalid path part 'bad path'",
        "[S/Api/Default/FETCH] invalid HTTP method 'FETCH'",
        "[S/Other/GET] method GET is on resource '/items' of API 'S/Api' but is defined outside that API",
        "[S/Other] The REST API doesn't contain any methods",
        "[S/Proxy] cannot add methods to the root of a proxying LambdaRestApi; set proxy: false",
    ] {
        assert!(errors.contains(expected), "missing {expected:?} in\n{errors}");
    }

    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            deploy: false,
            deploy_options: Some(StageOptions::default()),
            cloud_watch_role: Some(false),
            cloud_watch_role_removal_policy: Some(cdk_core::RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    api.root().add_method(
        "GET",
        MockIntegration::new(IntegrationOptions {
            timeout: Some(Duration::from_secs(60)),
            ..Default::default()
        }),
        MethodOptions::default(),
    );
    let _ = api.url();
    let errors = common::synth_errors(&app).join("\n");
    for expected in [
        "[S/Api] deploy_options cannot be set when deploy is false",
        "[S/Api] cloud_watch_role must be enabled for cloud_watch_role_removal_policy to apply",
        "[S/Api] cannot determine the URL: the API has no deployment stage",
        "[S/Api/Default/GET] integration timeout must be between 50 ms and 29 s (got 60000 ms)",
    ] {
        assert!(
            errors.contains(expected),
            "missing {expected:?} in\n{errors}"
        );
    }
    assert!(stage_name_errors("Dev_1-x").is_empty());
    assert!(path_part_errors("{proxy+}").is_empty());
    assert!(!path_part_errors("{}").is_empty());
}

#[test]
fn default_integration_and_method_options_are_inherited() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let f = node_fn(&stack, "Fn");
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            cloud_watch_role: Some(false),
            default_integration: Some(LambdaIntegration::new(&f).into()),
            default_method_options: Some(MethodOptions {
                api_key_required: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    let items = api.root().add_resource_with_options(
        "items",
        ResourceOptions {
            default_method_options: Some(MethodOptions {
                operation_name: Some("ListItems".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    let m = items.add_method(
        "GET",
        None,
        MethodOptions {
            method_responses: Some(vec![MethodResponse {
                status_code: "200".into(),
                ..Default::default()
            }]),
            ..Default::default()
        },
    );
    assert!(m.method_arn().is_token());
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::ApiGateway::Method", 1);
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        pattern!({
            "ApiKeyRequired": true,
            "OperationName": "ListItems",
            "Integration": {"Type": "AWS_PROXY"},
            "MethodResponses": Match::exact(pattern!([{"StatusCode": "200"}])),
        }),
    );
    validate(&app);
}

/// Current aws-cdk-lib names a method's Lambda permissions after the handler and the API, and
/// once a handler has 10 method-scoped permissions on an API it replaces them with one
/// `ApiPermission.Any.<handler>.<api>` scoped to the API (`…/*/*/*`).
#[test]
fn lambda_permissions_are_consolidated_past_ten() {
    use cdk_assertions::{pattern, Match, Template};
    let build = |methods: &[&str]| {
        let app = App::new();
        let stack = Stack::new(&app, "S", StackProps::default());
        let handler = node_fn(&stack, "Handler");
        let api = RestApi::new(&stack, "Api", RestApiProps::default());
        for m in methods {
            api.root().add_method(
                m,
                LambdaIntegration::new(&handler),
                MethodOptions::default(),
            );
        }
        (app, stack)
    };
    let (_app, five) = build(&["GET", "POST", "PUT", "DELETE", "PATCH"]);
    let t = Template::from_stack(&five);
    t.resource_count_is("AWS::Lambda::Permission", 10);
    let handler = make_unique_id(&["S", "Handler"]);
    let api = make_unique_id(&["S", "Api"]);
    let get = make_unique_id(&[
        "Api",
        "Default",
        "GET",
        &format!("ApiPermission.{handler}.{api}.GET.."),
    ]);
    t.template_matches(pattern!({"Resources": {(&get): {"Type": "AWS::Lambda::Permission"}}}));

    let (_app, seven) = build(&["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
    let t = Template::from_stack(&seven);
    t.resource_count_is("AWS::Lambda::Permission", 1);
    let any = make_unique_id(&["Api", &format!("ApiPermission.Any.{handler}.{api}")]);
    let parts = Capture::new();
    t.template_matches(pattern!({"Resources": {(&any): {"Properties": {
        "SourceArn": {"Fn::Join": ["", &parts]},
    }}}}));
    assert_eq!(parts.as_array().last(), Some(&json!("/*/*/*")));
    t.has_resource_properties(
        "AWS::Lambda::Permission",
        pattern!({"Principal": "apigateway.amazonaws.com", "FunctionName": Match::any_value()}),
    );
}

/// With rcdk's compatibility switch, permissions keep aws-cdk-lib 2.276.0's names and are never
/// consolidated (an app built with that version keeps its permissions).
#[test]
fn legacy_lambda_permission_ids_keep_the_2_276_scheme() {
    use cdk_assertions::Template;
    let app = App::new();
    app.node().set_context(LEGACY_LAMBDA_PERMISSION_IDS, true);
    let stack = Stack::new(&app, "S", StackProps::default());
    let handler = node_fn(&stack, "Handler");
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    for m in ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"] {
        api.root().add_method(
            m,
            LambdaIntegration::new(&handler),
            MethodOptions::default(),
        );
    }
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::Lambda::Permission", 12);
    let unique = make_unique_id(&["S", "Api"]);
    let get = make_unique_id(&[
        "Api",
        "Default",
        "GET",
        &format!("ApiPermission.{unique}.GET.."),
    ]);
    t.template_matches(pattern!({"Resources": {(&get): {"Type": "AWS::Lambda::Permission"}}}));
}

/// `IRestApi`: an owned and an imported API answer the same questions; an API imported by ID
/// alone has no root resource ID (a synth error on use, as aws-cdk-lib).
#[test]
fn imported_rest_apis_implement_irestapi() {
    use cdk_assertions::{Annotations, Match};
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let owned = RestApi::new(&stack, "Api", RestApiProps::default());
    owned
        .root()
        .add_method("GET", MockIntegration::default(), MethodOptions::default());
    let by_attributes = RestApi::from_rest_api_attributes(
        &stack,
        "Imported",
        RestApiAttributes {
            rest_api_id: "abc123".into(),
            root_resource_id: "root42".into(),
            rest_api_name: None,
        },
    );
    let apis: [&dyn IRestApi; 2] = [&owned, &by_attributes];
    let arns: Vec<J> = apis
        .iter()
        .map(|api| {
            stack
                .resolve(api.arn_for_execute_api("ANY", "/items", None).value())
                .unwrap()
        })
        .collect();
    assert_eq!(
        arns[1],
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":execute-api:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":abc123/*/*/items"]]})
    );
    assert_eq!(
        arns[0]["Fn::Join"][1][7],
        json!({"Ref": make_unique_id(&["Api", "Resource"])})
    );
    assert_eq!(
        by_attributes.rest_api_root_resource_id().literal(),
        Some("root42")
    );
    assert_eq!(by_attributes.rest_api_name().literal(), Some("Imported"));

    let by_id = RestApi::from_rest_api_id(&stack, "ById", "xyz");
    assert_eq!(by_id.rest_api_id().literal(), Some("xyz"));
    by_id.rest_api_root_resource_id();
    Annotations::from_stack(&stack).has_error(
        "/S/ById",
        Match::string_like_regexp("restApiRootResourceId is not configured"),
    );
}
