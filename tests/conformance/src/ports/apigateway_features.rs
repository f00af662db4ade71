//! Ports of `aws-apigateway/test/integ.*.ts` that exercise API Gateway features beyond
//! resources and methods: CORS, authorizers, API keys and usage plans, validators and models,
//! access logging, custom domains.

use std::rc::Rc;

use cdk_constructs::apigateway::{
    AccessLogField, AccessLogFormat, ApiKey, ApiKeyProps, BasePathMapping, BasePathMappingOptions,
    BasePathMappingProps, Cors, CorsOptions, DomainName, DomainNameAttributes, IdentitySource,
    IntegrationOptions, IntegrationResponse, JsonSchema, JsonSchemaType, LambdaAuthorizerProps,
    LambdaIntegration, LogGroupLogDestination, MethodOptions, MethodResponse, MockIntegration,
    ModelOptions, PassthroughBehavior, RequestAuthorizer, RequestAuthorizerProps,
    RequestValidatorOptions, RestApi, RestApiProps, StageOptions, TokenAuthorizer,
    TokenAuthorizerProps, UsagePlan, UsagePlanProps,
};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::logs::{LogGroup, LogGroupProps};
use cdk_core::{App, RemovalPolicy, Stack, StackProps, Str};

use crate::harness::Port;

/// The API Gateway feature ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-apigateway/integ.cors-allow-multiple-origins",
        build: cors_allow_multiple_origins,
    },
    Port {
        test: "aws-apigateway/integ.cors",
        build: cors,
    },
    Port {
        test: "aws-apigateway/integ.request-authorizer.lit",
        build: request_authorizer,
    },
    Port {
        test: "aws-apigateway/integ.restapi-default-apikey",
        build: restapi_default_apikey,
    },
    Port {
        test: "aws-apigateway/integ.usage-plan.sharing",
        build: usage_plan_sharing,
    },
    Port {
        test: "aws-apigateway/integ.base-path-mapping",
        build: base_path_mapping,
    },
    Port {
        test: "aws-apigateway/integ.token-authorizer",
        build: token_authorizer,
    },
    Port {
        test: "aws-apigateway/integ.model-schema-additional-items",
        build: model_schema_additional_items,
    },
    Port {
        test: "aws-apigateway/integ.restapi.access-log",
        build: restapi_access_log,
    },
    Port {
        test: "aws-apigateway/integ.restapi.access-log-arn-without-wildcard",
        build: restapi_access_log_arn_without_wildcard,
    },
];

/// `authorizers/integ.token-authorizer.ts`: a token authorizer as the API's default, CORS
/// preflight (not authorized), and the test's invoker function whose inline code names the
/// API's host and stage (tokens). The authorizer handler is the stand-in asset of the CORS
/// ports (asset hashes are normalised).
fn token_authorizer(app: &App) {
    let stack = Stack::new(app, "TokenAuthorizerInteg", StackProps::default());
    let authorizer_fn = Function::new(
        &stack,
        "MyAuthorizerFunction",
        FunctionProps::new(
            Runtime::Other("nodejs14.x".into()),
            "index.handler",
            cors_handler(),
        ),
    );
    let authorizer = TokenAuthorizer::new(
        &stack,
        "MyAuthorizer",
        TokenAuthorizerProps::new(&authorizer_fn),
    );
    let api = RestApi::new(
        &stack,
        "MyRestApi",
        RestApiProps {
            cloud_watch_role: Some(true),
            default_method_options: Some(MethodOptions {
                authorizer: Some(authorizer.into()),
                ..Default::default()
            }),
            default_cors_preflight_options: Some(CorsOptions::new(
                Cors::ALL_ORIGINS.iter().copied(),
            )),
            ..Default::default()
        },
    );
    api.root().add_method(
        "ANY",
        mock_200(),
        MethodOptions {
            method_responses: responses_200(),
            ..Default::default()
        },
    );
    let host_name = api.rest_api_id() + ".execute-api." + stack.region() + "." + stack.url_suffix();
    let stage_name = api.deployment_stage().expect("deployed").stage_name();
    let code = Str::from("\nconst https = require('https');\nconst options = {\n  hostname: '")
        + host_name
        + "',\n  path: '/"
        + stage_name
        + INVOKE_FUNCTION_BODY;
    Function::new(
        &stack,
        "InvokeFunction",
        FunctionProps {
            memory_size: Some(250),
            timeout: Some(std::time::Duration::from_secs(10)),
            ..FunctionProps::new(
                Runtime::Other("nodejs16.x".into()),
                "index.handler",
                Code::from_inline(code),
            )
        },
    );
}

/// The rest of the token-authorizer test's invoker source (after the stage name).
const INVOKE_FUNCTION_BODY: &str = "',\n};\nexports.handler = async function(event) {\n  console.log(event);\n  options.method = event.method;\n  if ('authorization' in event) {\n    options.headers = {\n      Authorization: event.authorization,\n    };\n  }\n  let dataString = '';\n  const response = await new Promise((resolve, reject) => {\n    const req = https.request(options, (res) => {\n      res.on('data', data => {\n        dataString += data;\n      })\n      res.on('end', () => {\n        resolve({\n          statusCode: res.statusCode,\n          body: dataString,\n        });\n      })\n    });\n    req.on('error', err => {\n      reject({\n        statusCode: 500,\n        body: JSON.stringify({\n          cause: 'Something went wrong',\n          error: err,\n        })\n      });\n    });\n    req.end();\n  });\n  return response;\n}\n";

/// `integ.model-schema-additional-items.ts`: a model with a tuple `items` schema and
/// `additionalItems`, a body validator, and a `POST` using both.
fn model_schema_additional_items(app: &App) {
    let stack = Stack::new(
        app,
        "model-schema-additional-items-test",
        StackProps::default(),
    );
    let api = RestApi::new(
        &stack,
        "model-schema-api",
        RestApiProps {
            rest_api_name: Some("Model Schema Test API".into()),
            ..Default::default()
        },
    );
    let schema = JsonSchema::new(serde_json::json!({
        "type": JsonSchemaType::Object.as_str(),
        "required": ["tags"],
        "properties": {
            "tags": {
                "type": JsonSchemaType::Array.as_str(),
                "items": [
                    {"type": JsonSchemaType::String.as_str(), "enum": ["primary"]},
                    {"type": JsonSchemaType::String.as_str(), "enum": ["secondary"]},
                ],
                "additionalItems": {
                    "type": JsonSchemaType::String.as_str(),
                    "pattern": "^[a-z0-9-]+$",
                },
                "minItems": 1,
                "maxItems": 5,
            },
        },
    }));
    let model = api.add_model(
        "TagsModel",
        ModelOptions {
            content_type: Some("application/json".into()),
            model_name: Some("Tags".into()),
            ..ModelOptions::new(schema)
        },
    );
    let validator = api.add_request_validator(
        "TagsValidator",
        RequestValidatorOptions {
            request_validator_name: Some("TagsValidator".into()),
            validate_request_body: Some(true),
            validate_request_parameters: None,
        },
    );
    let integration = MockIntegration::new(IntegrationOptions {
        integration_responses: vec![IntegrationResponse {
            status_code: "200".into(),
            ..Default::default()
        }],
        request_templates: [(
            "application/json".to_string(),
            "{ \"statusCode\": 200 }".to_string(),
        )]
        .into(),
        ..Default::default()
    });
    api.root().add_method(
        "POST",
        integration,
        MethodOptions {
            request_validator: Some(validator),
            request_models: Some([("application/json".to_string(), model)].into()),
            method_responses: responses_200(),
            ..Default::default()
        },
    );
}

/// `integ.restapi.access-log.ts`: a custom JSON format built from `AccessLogField`s (the
/// test's `JSON.stringify` of the same object, keys in its order) into a log group.
fn restapi_access_log(app: &App) {
    let stack = Stack::new(app, "test-apigateway-access-logs", StackProps::default());
    let field = |key: &str, value: String| format!("{}:{}", json_text(key), json_text(&value));
    let user_context = format!(
        "{{{},{}}}",
        field("sub", AccessLogField::context_authorizer_claims("sub")),
        field("email", AccessLogField::context_authorizer_claims("email")),
    );
    let entries = [
        field("requestId", AccessLogField::context_request_id()),
        field("sourceIp", AccessLogField::context_identity_source_ip()),
        field("method", AccessLogField::context_http_method()),
        field(
            "callerAccountId",
            AccessLogField::context_caller_account_id(),
        ),
        field("ownerAccountId", AccessLogField::context_owner_account_id()),
        format!("{}:{user_context}", json_text("userContext")),
        field(
            "clientCertPem",
            AccessLogField::context_identity_client_cert_pem(),
        ),
        field(
            "subjectDN",
            AccessLogField::context_identity_client_cert_subject_dn(),
        ),
        field(
            "issunerDN",
            AccessLogField::context_identity_client_cert_issuner_dn(),
        ),
        field(
            "serialNumber",
            AccessLogField::context_identity_client_cert_serial_number(),
        ),
        field(
            "validityNotBefore",
            AccessLogField::context_identity_client_cert_validity_not_before(),
        ),
        field(
            "validityNotAfter",
            AccessLogField::context_identity_client_cert_validity_not_after(),
        ),
    ];
    let test_format = AccessLogFormat::custom(format!("{{{}}}", entries.join(",")));
    let log_group = LogGroup::new(&stack, "MyLogGroup", LogGroupProps::default());
    let api = RestApi::new(
        &stack,
        "MyApi",
        RestApiProps {
            cloud_watch_role: Some(true),
            deploy_options: Some(StageOptions {
                access_log_destination: Some(LogGroupLogDestination::new(&log_group).into()),
                access_log_format: Some(test_format),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
}

/// A JSON string literal (what `JSON.stringify` writes for a string).
fn json_text(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// `integ.restapi.access-log-arn-without-wildcard.ts` (context
/// `@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard`: true in SOURCE.json).
fn restapi_access_log_arn_without_wildcard(app: &App) {
    let stack = Stack::new(
        app,
        "ApiGatewayAccessLogArnWithoutWildcard",
        StackProps::default(),
    );
    let log_group = LogGroup::new(
        &stack,
        "AccessLogs",
        LogGroupProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            cloud_watch_role: Some(true),
            deploy_options: Some(StageOptions {
                access_log_destination: Some(LogGroupLogDestination::new(&log_group).into()),
                access_log_format: Some(AccessLogFormat::json_with_standard_fields(
                    Default::default(),
                )),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
}

/// The mock integration of the authorizer tests: `200` for `{ "statusCode": 200 }`.
fn mock_200() -> MockIntegration {
    MockIntegration::new(IntegrationOptions {
        integration_responses: vec![IntegrationResponse {
            status_code: "200".into(),
            ..Default::default()
        }],
        passthrough_behavior: Some(PassthroughBehavior::Never),
        request_templates: [(
            "application/json".to_string(),
            "{ \"statusCode\": 200 }".to_string(),
        )]
        .into(),
        ..Default::default()
    })
}

/// Method responses `[{ statusCode: '200' }]`.
fn responses_200() -> Option<Vec<MethodResponse>> {
    Some(vec![MethodResponse {
        status_code: "200".into(),
        ..Default::default()
    }])
}

/// The stand-in handler directory of the CORS tests.
fn cors_handler() -> Code {
    Code::from_asset(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/aws-apigateway/cors-handler"),
    )
}

/// `integ.cors-allow-multiple-origins.ts`.
fn cors_allow_multiple_origins(app: &App) {
    let stack = Stack::new(
        app,
        "stack-cors-allow-multiple-origins",
        StackProps::default(),
    );
    let api = RestApi::new(
        &stack,
        "cors-api-test",
        RestApiProps {
            default_cors_preflight_options: Some(CorsOptions::new([
                "https://amazon.com",
                "https://twitch.tv",
                "https://aws.amazon.com",
            ])),
            ..Default::default()
        },
    );
    let handler = Function::new(
        &stack,
        "handler",
        FunctionProps::new(Runtime::Nodejs22X, "index.handler", cors_handler()),
    );
    api.root().add_resource("my-resource").add_method(
        "GET",
        LambdaIntegration::new(&handler),
        MethodOptions::default(),
    );
}

/// `integ.cors.ts` (`STANDARD_NODEJS_RUNTIME` was Node.js 18 then).
fn cors(app: &App) {
    let stack = Stack::new(app, "cors-twitch-test", StackProps::default());
    let api = RestApi::new(
        &stack,
        "cors-api-test",
        RestApiProps {
            cloud_watch_role: Some(true),
            ..Default::default()
        },
    );
    let handler = Function::new(
        &stack,
        "handler",
        FunctionProps::new(
            Runtime::Other("nodejs18.x".into()),
            "index.handler",
            cors_handler(),
        ),
    );
    let twitch = api.root().add_resource("twitch");
    let backend = LambdaIntegration::new(&handler);
    for verb in ["GET", "POST", "DELETE"] {
        twitch.add_method(verb, backend.clone(), MethodOptions::default());
    }
    twitch.add_cors_preflight(CorsOptions::new([
        "https://google.com",
        "https://www.test-cors.org",
    ]));
}

/// `authorizers/integ.request-authorizer.lit.ts`, with the snapshot's runtime (Node.js 22).
fn request_authorizer(app: &App) {
    let stack = Stack::new(app, "RequestAuthorizerInteg", StackProps::default());
    let authorizer_fn = Function::new(
        &stack,
        "MyAuthorizerFunction",
        FunctionProps::new(Runtime::Nodejs22X, "index.handler", cors_handler()),
    );
    let api = RestApi::new(
        &stack,
        "MyRestApi",
        RestApiProps {
            cloud_watch_role: Some(true),
            ..Default::default()
        },
    );
    let sources = || {
        vec![
            IdentitySource::header("Authorization"),
            IdentitySource::query_string("allow"),
        ]
    };
    let authorizer = RequestAuthorizer::new(
        &stack,
        "MyAuthorizer",
        RequestAuthorizerProps {
            lambda: LambdaAuthorizerProps::new(&authorizer_fn),
            identity_sources: sources(),
        },
    );
    let second = RequestAuthorizer::new(
        &stack,
        "MySecondAuthorizer",
        RequestAuthorizerProps {
            lambda: LambdaAuthorizerProps::new(&authorizer_fn),
            identity_sources: sources(),
        },
    );
    api.root().add_method(
        "ANY",
        mock_200(),
        MethodOptions {
            method_responses: responses_200(),
            authorizer: Some(authorizer.into()),
            ..Default::default()
        },
    );
    api.root().resource_for_path("auth").add_method(
        "ANY",
        mock_200(),
        MethodOptions {
            method_responses: responses_200(),
            authorizer: Some(second.into()),
            ..Default::default()
        },
    );
}

/// `integ.restapi-default-apikey.ts`: API keys required by default, not on `POST`.
fn restapi_default_apikey(app: &App) {
    let stack = Stack::new(app, "aws-cdk-lambda-1", StackProps::default());
    let handler = Function::new(
        &stack,
        "MyLambda",
        FunctionProps::new(
            Runtime::Nodejs22X,
            "index.handler",
            Code::from_inline("foo"),
        ),
    );
    let api = RestApi::new(
        &stack,
        "MyRestApi",
        RestApiProps {
            default_method_options: Some(MethodOptions {
                api_key_required: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    api.root().add_method(
        "GET",
        LambdaIntegration::new(&handler),
        MethodOptions::default(),
    );
    api.root().add_method(
        "POST",
        LambdaIntegration::new(&handler),
        MethodOptions {
            api_key_required: Some(false),
            ..Default::default()
        },
    );
}

/// `integ.usage-plan.sharing.ts`: a usage plan shared with another stack by ID.
fn usage_plan_sharing(app: &App) {
    let create = Stack::new(
        app,
        "test-apigateway-usageplan-create",
        StackProps::default(),
    );
    let plan = UsagePlan::new(&create, "myusageplan", UsagePlanProps::default());
    let import = Stack::new(
        app,
        "test-apigateway-usageplan-import",
        StackProps::default(),
    );
    let imported = UsagePlan::from_usage_plan_id(&import, "myusageplan", plan.usage_plan_id());
    let key = ApiKey::new(&import, "myapikey", ApiKeyProps::default());
    imported.add_api_key(&key);
}

/// `integ.base-path-mapping.ts`: mappings of an imported domain, with and without the stage.
fn base_path_mapping(app: &App) {
    let stack = Stack::new(app, "test-stack", StackProps::default());
    let api = RestApi::new(&stack, "Api", RestApiProps::default());
    api.root().add_method("GET", None, MethodOptions::default());
    let domain = Rc::new(DomainName::from_domain_name_attributes(
        &stack,
        "Domain",
        DomainNameAttributes {
            domain_name: "domainName".into(),
            domain_name_alias_hosted_zone_id: "domainNameAliasHostedZoneId".into(),
            domain_name_alias_target: "domainNameAliasTarget".into(),
        },
    ));
    for (id, base_path, attach_to_stage) in [
        ("MappingOne", None, None),
        ("MappingTwo", Some("path"), Some(false)),
        ("MappingThree", Some("api/v1/multi-level-path"), Some(false)),
    ] {
        BasePathMapping::new(
            &stack,
            id,
            BasePathMappingProps {
                domain_name: domain.clone(),
                rest_api: api.clone(),
                options: BasePathMappingOptions {
                    base_path: base_path.map(String::from),
                    attach_to_stage,
                    ..Default::default()
                },
            },
        );
    }
}
