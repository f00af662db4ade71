//! API Gateway L2 features: CORS preflight, Lambda authorizers, request validators and models.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use cdk_assertions::{pattern, Match, Template};
use cdk_constructs::apigateway::*;
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_core::Stack;

fn handler(stack: &Stack, id: &str) -> Function {
    Function::new(
        stack,
        id,
        FunctionProps::new(
            Runtime::Nodejs22X,
            "index.handler",
            Code::from_inline("exports.handler = async () => ({})"),
        ),
    )
}

#[test]
fn cors_preflight_renders_the_options_method() {
    let (_app, stack) = common::app_and_stack();
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    let r = api.root().add_resource("items");
    r.add_method("GET", MockIntegration::default(), MethodOptions::default());
    r.add_cors_preflight(CorsOptions {
        allow_credentials: true,
        max_age: Some(Duration::from_secs(600)),
        expose_headers: Some(vec!["X-Total".into()]),
        status_code: Some(200),
        allow_methods: Some(vec!["GET".into(), "POST".into()]),
        ..CorsOptions::new(Cors::ALL_ORIGINS.iter().copied())
    });
    assert!(r.has_method("OPTIONS"));
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        pattern!({
            "HttpMethod": "OPTIONS",
            "ApiKeyRequired": false,
            "AuthorizationType": "NONE",
            "Integration": {
                "Type": "MOCK",
                "RequestTemplates": {"application/json": "{ statusCode: 200 }"},
                "IntegrationResponses": [{
                    "StatusCode": "200",
                    "ResponseParameters": Match::exact(pattern!({
                        "method.response.header.Access-Control-Allow-Headers": "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent'",
                        "method.response.header.Access-Control-Allow-Origin": "'*'",
                        "method.response.header.Access-Control-Allow-Methods": "'GET,POST'",
                        "method.response.header.Access-Control-Allow-Credentials": "'true'",
                        "method.response.header.Access-Control-Max-Age": "'600'",
                        "method.response.header.Access-Control-Expose-Headers": "'X-Total'"
                    }))
                }]
            },
            "MethodResponses": [{"StatusCode": "200"}]
        }),
    );
}

#[test]
fn default_cors_options_are_inherited_by_child_resources() {
    let (_app, stack) = common::app_and_stack();
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            default_cors_preflight_options: Some(CorsOptions::new(["https://example.com"])),
            ..Default::default()
        },
    );
    let child = api.root().add_resource("a").add_resource("b");
    assert!(api.root().has_method("OPTIONS"));
    assert!(child.has_method("OPTIONS"));
    child.add_method("GET", MockIntegration::default(), MethodOptions::default());
    let t = Template::from_stack(&stack);
    t.resource_properties_count_is(
        "AWS::ApiGateway::Method",
        pattern!({"HttpMethod": "OPTIONS"}),
        3,
    );
}

#[test]
fn cors_errors_name_the_resource() {
    let (_app, stack) = common::app_and_stack();
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    api.root()
        .add_method("GET", MockIntegration::default(), MethodOptions::default());
    api.root()
        .add_resource("x")
        .add_cors_preflight(CorsOptions {
            allow_methods: Some(vec!["ANY".into(), "GET".into()]),
            max_age: Some(Duration::from_secs(5)),
            disable_cache: true,
            ..CorsOptions::new(["*", "https://a.example"])
        });
    let err = synth_error(&stack);
    let text = err.to_string();
    for expected in [
        "cannot mix \"*\" with specific origins",
        "ANY cannot be used with any other method",
        "\"maxAge\" and \"disableCache\" are mutually exclusive",
        "Stack/Api/Default/x",
    ] {
        assert!(text.contains(expected), "{expected} missing in {text}");
    }
}

#[test]
fn token_authorizer_defaults_and_permission() {
    let (_app, stack) = common::app_and_stack();
    let auth_fn = handler(&stack, "AuthFn");
    let authorizer = TokenAuthorizer::new(&stack, "Auth", TokenAuthorizerProps::new(&auth_fn));
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            default_method_options: Some(MethodOptions {
                authorizer: Some((&authorizer).into()),
                ..Default::default()
            }),
            default_cors_preflight_options: Some(CorsOptions::new(
                Cors::ALL_ORIGINS.iter().copied(),
            )),
            ..Default::default()
        },
    );
    api.root()
        .add_method("GET", MockIntegration::default(), MethodOptions::default());
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        pattern!({
            "Type": "TOKEN",
            "IdentitySource": "method.request.header.Authorization",
            "AuthorizerResultTtlInSeconds": 300,
            "Name": "StackAuth0CADE007",
            "RestApiId": {"Ref": Match::string_like_regexp("^Api")}
        }),
    );
    // The authorizer applies to GET; the CORS preflight overrides it with no authorization.
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        pattern!({"HttpMethod": "GET", "AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": Match::string_like_regexp("^Auth")}}),
    );
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        pattern!({"HttpMethod": "OPTIONS", "AuthorizationType": "NONE", "AuthorizerId": Match::absent()}),
    );
    t.has_resource_properties(
        "AWS::Lambda::Permission",
        pattern!({"Principal": "apigateway.amazonaws.com", "SourceArn": {"Fn::Join": ["", Match::array_with([pattern!("/authorizers/")])]}}),
    );
}

#[test]
fn authorizer_errors() {
    let (_app, stack) = common::app_and_stack();
    let f = handler(&stack, "AuthFn");
    let _unused = RequestAuthorizer::new(
        &stack,
        "NoSources",
        RequestAuthorizerProps {
            lambda: LambdaAuthorizerProps {
                results_cache_ttl: Some(Duration::from_secs(7200)),
                ..LambdaAuthorizerProps::new(&f)
            },
            identity_sources: vec![],
        },
    );
    let auth = TokenAuthorizer::new(&stack, "Tok", TokenAuthorizerProps::new(&f));
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    api.root().add_method(
        "GET",
        MockIntegration::default(),
        MethodOptions {
            authorizer: Some(auth.into()),
            authorization_type: Some(AuthorizationType::Iam),
            ..Default::default()
        },
    );
    let err = synth_error(&stack);
    let text = err.to_string();
    for expected in [
        "At least one Identity Source is required",
        "must not be greater than 3600 seconds",
        "Authorization type is set to AWS_IAM which is different from what is required by the authorizer [CUSTOM]",
        "Authorizer (Stack/NoSources) must be attached to a RestApi",
    ] {
        assert!(text.contains(expected), "{expected} missing in {text}");
    }
}

#[test]
fn validators_and_models() {
    let (_app, stack) = common::app_and_stack();
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    let model = api.add_model(
        "PetModel",
        ModelOptions {
            model_name: Some("Pet".into()),
            ..ModelOptions::new(JsonSchema::new(serde_json::json!({
                "type": JsonSchemaType::Object.as_str(),
                "properties": {"ref": {"type": "string"}},
                "required": ["ref"],
            })))
        },
    );
    let validator = api.add_request_validator(
        "BodyValidator",
        RequestValidatorOptions {
            validate_request_body: Some(true),
            ..Default::default()
        },
    );
    api.root().add_method(
        "POST",
        MockIntegration::default(),
        MethodOptions {
            request_models: Some(BTreeMap::from([(
                "application/json".to_string(),
                model.clone(),
            )])),
            request_validator: Some(validator),
            method_responses: Some(vec![MethodResponse {
                status_code: "400".into(),
                response_models: BTreeMap::from([("application/json".to_string(), Model::error())]),
                ..Default::default()
            }]),
            ..Default::default()
        },
    );
    api.root().add_method(
        "PUT",
        MockIntegration::default(),
        MethodOptions {
            request_validator_options: Some(RequestValidatorOptions {
                validate_request_parameters: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::ApiGateway::Model",
        pattern!({
            "Name": "Pet",
            "ContentType": "application/json",
            "Schema": Match::exact(pattern!({
                "type": "object",
                "properties": {"ref": {"type": "string"}},
                "required": ["ref"],
                "$schema": "http://json-schema.org/draft-04/schema#"
            }))
        }),
    );
    t.resource_count_is("AWS::ApiGateway::RequestValidator", 2);
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        pattern!({
            "HttpMethod": "POST",
            "RequestModels": {"application/json": {"Ref": Match::string_like_regexp("^ApiPetModel")}},
            "RequestValidatorId": {"Ref": Match::string_like_regexp("^ApiBodyValidator")},
            "MethodResponses": [{"StatusCode": "400", "ResponseModels": {"application/json": "Error"}}]
        }),
    );
    // The deployment depends on the model and validators.
    t.has_resource(
        "AWS::ApiGateway::Deployment",
        pattern!({"DependsOn": Match::array_with([Match::string_like_regexp("^ApiPetModel")])}),
    );
}

#[test]
fn api_keys_and_usage_plans() {
    let (_app, stack) = common::app_and_stack();
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    let get = api
        .root()
        .add_method("GET", MockIntegration::default(), MethodOptions::default());
    let key = api.add_api_key(
        "Key",
        ApiKeyOptions {
            api_key_name: Some("my-key".into()),
            ..Default::default()
        },
    );
    let plan = api.add_usage_plan(
        "Plan",
        UsagePlanProps {
            name: Some("Basic".into()),
            throttle: Some(ThrottleSettings {
                rate_limit: Some(10.0),
                burst_limit: Some(2),
            }),
            quota: Some(QuotaSettings {
                limit: Some(10_000),
                period: Some(Period::Month),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    plan.add_api_stage(UsagePlanPerApiStage {
        stage: api.deployment_stage().cloned(),
        throttle: vec![ThrottlingPerMethod {
            method: get,
            throttle: ThrottleSettings {
                rate_limit: Some(1.0),
                burst_limit: Some(1),
            },
        }],
    });
    plan.add_api_key(&key);
    assert!(key.key_arn().is_token());
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::ApiGateway::ApiKey",
        pattern!({
            "Enabled": true,
            "Name": "my-key",
            "StageKeys": [{"RestApiId": {"Ref": Match::string_like_regexp("^Api")}, "StageName": {"Ref": Match::string_like_regexp("^ApiDeploymentStageprod")}}]
        }),
    );
    t.has_resource_properties(
        "AWS::ApiGateway::UsagePlan",
        pattern!({
            "UsagePlanName": "Basic",
            "Throttle": {"RateLimit": 10, "BurstLimit": 2},
            "Quota": {"Limit": 10000, "Period": "MONTH"},
            "ApiStages": [{
                "ApiId": {"Ref": Match::string_like_regexp("^Api")},
                "Stage": {"Ref": Match::string_like_regexp("^ApiDeploymentStageprod")},
                "Throttle": {"//GET": {"RateLimit": 1, "BurstLimit": 1}}
            }]
        }),
    );
    // Under the (recommended, and absent-default) order-insensitive flag the key's ID is in
    // the construct ID.
    t.has_resource_properties(
        "AWS::ApiGateway::UsagePlanKey",
        pattern!({"KeyType": "API_KEY", "KeyId": {"Ref": Match::string_like_regexp("^ApiKey")}}),
    );
    let keys = t.find_resources("AWS::ApiGateway::UsagePlanKey", Match::any_value());
    assert!(
        keys.keys()
            .all(|id| id.starts_with("ApiPlanUsagePlanKeyResourceStackApiKey")),
        "{keys:?}"
    );
}

#[test]
fn custom_domain_maps_to_the_deployment_stage() {
    let (_app, stack) = common::app_and_stack();
    let cert = cdk_constructs::certificatemanager::Certificate::from_certificate_arn(
        &stack,
        "Cert",
        "arn:aws:acm:us-east-1:123456789012:certificate/abc",
    );
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            domain_name: Some(DomainNameOptions {
                base_path: Some("v1".into()),
                ..DomainNameOptions::new("api.example.com", &cert)
            }),
            ..Default::default()
        },
    );
    api.root()
        .add_method("GET", MockIntegration::default(), MethodOptions::default());
    let edge = api.add_domain_name(
        "Edge",
        DomainNameOptions {
            endpoint_type: Some(EndpointType::Edge),
            security_policy: Some(SecurityPolicy::Tls12),
            ..DomainNameOptions::new("edge.example.com", &cert)
        },
    );
    assert!(api.domain_name().is_some());
    assert!(edge.domain_name_alias_domain_name().is_token());
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::ApiGateway::DomainName",
        pattern!({
            "DomainName": "api.example.com",
            "RegionalCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            "EndpointConfiguration": {"Types": ["REGIONAL"]}
        }),
    );
    t.has_resource_properties(
        "AWS::ApiGateway::DomainName",
        pattern!({
            "DomainName": "edge.example.com",
            "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            "SecurityPolicy": "TLS_1_2",
            "EndpointConfiguration": {"Types": ["EDGE"]}
        }),
    );
    t.has_resource_properties(
        "AWS::ApiGateway::BasePathMapping",
        pattern!({
            "BasePath": "v1",
            "DomainName": {"Ref": Match::string_like_regexp("^ApiCustomDomain")},
            "Stage": {"Ref": Match::string_like_regexp("^ApiDeploymentStageprod")}
        }),
    );
    t.resource_count_is("AWS::ApiGateway::BasePathMapping", 2);
}

#[test]
fn domain_and_certificate_errors() {
    let (_app, stack) = common::app_and_stack();
    let cert = cdk_constructs::certificatemanager::Certificate::from_certificate_arn(
        &stack,
        "Cert",
        "arn:aws:s3:::not-a-certificate",
    );
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    api.root()
        .add_method("GET", MockIntegration::default(), MethodOptions::default());
    let domain = api.add_domain_name(
        "Domain",
        DomainNameOptions {
            base_path: Some("/bad/".into()),
            ..DomainNameOptions::new("API.example.com", &cert)
        },
    );
    domain.add_base_path_mapping(
        &api,
        BasePathMappingOptions {
            base_path: Some("/bad/".into()),
            ..Default::default()
        },
    );
    let err = synth_error(&stack);
    let text = err.to_string();
    for expected in [
        "is not an ACM certificate ARN",
        "Domain name does not support uppercase letters",
        "A base path cannot start or end with /",
        "already has a mapping for path /bad/",
    ] {
        assert!(text.contains(expected), "{expected} missing in {text}");
    }
}

/// The error of a synthesis that must fail.
#[track_caller]
fn synth_error(stack: &cdk_core::Stack) -> cdk_assertions::AssertionError {
    match Template::try_from_stack(stack) {
        Ok(_) => panic!("synthesis must fail"),
        Err(e) => e,
    }
}

fn access_log_reference(name: &str) -> serde_json::Value {
    common::aws_cdk_lib_reference("access-logs-metrics.templates.json", name)
}

/// A destination without a format logs in Common Log Format into the group's `Arn`; method
/// settings render `DataTraceEnabled: false` as aws-cdk-lib does.
#[test]
fn access_log_destination_defaults_to_clf_and_equals_aws_cdk_lib() {
    let app = cdk_core::App::new();
    let stack = Stack::new(&app, "Clf", Default::default());
    let group = cdk_constructs::logs::LogGroup::new(&stack, "AccessLogs", Default::default());
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            deploy_options: Some(StageOptions {
                access_log_destination: Some(LogGroupLogDestination::new(&group).into()),
                metrics_enabled: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::ApiGateway::Stage",
        pattern!({"AccessLogSetting": {
            "DestinationArn": {"Fn::GetAtt": [Match::string_like_regexp("^AccessLogs"), "Arn"]},
            "Format": AccessLogFormat::clf().to_string(),
        }}),
    );
    common::assert_equals_aws_cdk_lib(&stack, &access_log_reference("clf"));
}

/// Selected standard JSON fields, an imported group and the ARN without `:*` under
/// `@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard`.
#[test]
fn standard_fields_and_arn_without_wildcard_equal_aws_cdk_lib() {
    let app = cdk_core::App::with_props(cdk_core::AppProps {
        context: [(
            "@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard".to_string(),
            serde_json::Value::Bool(true),
        )]
        .into(),
        ..Default::default()
    });
    let stack = Stack::new(&app, "Fields", Default::default());
    let group =
        cdk_constructs::logs::LogGroup::from_log_group_name(&stack, "Imported", "my-access-logs");
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            cloud_watch_role: Some(false),
            deploy_options: Some(StageOptions {
                access_log_destination: Some(LogGroupLogDestination::new(group).into()),
                access_log_format: Some(AccessLogFormat::json_with_standard_fields(
                    JsonWithStandardFieldProps {
                        ip: false,
                        user: false,
                        resource_path: false,
                        protocol: false,
                        ..Default::default()
                    },
                )),
                logging_level: Some(MethodLoggingLevel::Info),
                data_trace_enabled: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::ApiGateway::Account", 0);
    t.has_resource_properties(
        "AWS::ApiGateway::Stage",
        pattern!({"AccessLogSetting": {"DestinationArn": {"Fn::Join": ["", Match::array_with([":log-group:my-access-logs"])]}}}),
    );
    common::assert_equals_aws_cdk_lib(&stack, &access_log_reference("fields"));
}

/// aws-cdk-lib's two checks, as synth errors on the stage: a format without a destination,
/// and a literal format without `$context.requestId` / `$context.extendedRequestId`.
#[test]
fn access_log_format_errors() {
    let expected_js = access_log_reference("formatWithoutDestination");
    assert_eq!(
        expected_js,
        "Access log format is specified without a destination"
    );
    let (app, stack) = common::app_and_stack();
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            deploy_options: Some(StageOptions {
                access_log_format: Some(AccessLogFormat::custom("$context.requestId")),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
    let errors = common::synth_errors(&app);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("Api/DeploymentStage.prod"), "{errors:?}");
    assert!(errors[0].ends_with("Access log format is specified without a destination"));

    let (app, stack) = common::app_and_stack();
    let group = cdk_constructs::logs::LogGroup::new(&stack, "G", Default::default());
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            deploy_options: Some(StageOptions {
                access_log_destination: Some(LogGroupLogDestination::new(&group).into()),
                access_log_format: Some(AccessLogFormat::custom(AccessLogField::context_status())),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
    let errors = common::synth_errors(&app);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("Access log must include either `AccessLogField::context_request_id()`"),
        "{errors:?}"
    );
    assert!(access_log_reference("noRequestId")
        .as_str()
        .unwrap()
        .starts_with("Access log must include either"));
}

/// The CloudWatch role follows `@aws-cdk/aws-apigateway:disableCloudWatchRole` with
/// JavaScript truthiness (a string `"false"` is truthy, as in aws-cdk-lib).
#[test]
fn cloud_watch_role_flag_uses_javascript_truthiness() {
    for (value, accounts) in [
        (serde_json::json!(true), 0),
        (serde_json::json!("true"), 0),
        (serde_json::json!(1), 0),
        (serde_json::json!(false), 1),
        (serde_json::json!(0), 1),
        (serde_json::json!(""), 1),
    ] {
        let app = cdk_core::App::with_props(cdk_core::AppProps {
            context: [(DISABLE_CLOUD_WATCH_ROLE_FLAG.to_string(), value.clone())].into(),
            ..Default::default()
        });
        let stack = Stack::new(&app, "S", Default::default());
        let api = RestApi::new(&stack, "Api", RestApiProps::default());
        api.root().add_method("GET", None, MethodOptions::default());
        Template::from_stack(&stack).resource_count_is("AWS::ApiGateway::Account", accounts);
    }
}
