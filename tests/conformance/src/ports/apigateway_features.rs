//! Ports of `aws-apigateway/test/integ.*.ts` that exercise API Gateway features beyond
//! resources and methods: CORS, authorizers, API keys and usage plans, validators and models,
//! access logging, custom domains.

use cdk_constructs::apigateway::{
    CorsOptions, IdentitySource, IntegrationOptions, IntegrationResponse, LambdaAuthorizerProps,
    LambdaIntegration, MethodOptions, MethodResponse, MockIntegration, PassthroughBehavior,
    RequestAuthorizer, RequestAuthorizerProps, RestApi, RestApiProps,
};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_core::{App, Stack, StackProps};

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
];

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
