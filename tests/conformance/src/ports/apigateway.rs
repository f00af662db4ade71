//! Ports of `aws-apigateway/test/integ.*.ts`.

use std::time::Duration;

use cdk_constructs::apigateway::{
    AuthorizationType, IntegrationResponse, LambdaIntegration, LambdaIntegrationOptions,
    LambdaRestApi, LambdaRestApiProps, MethodOptions, PassthroughBehavior, ResourceOptions,
    RestApi, RestApiProps,
};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_core::{App, RemovalPolicy, Stack, StackProps};

use crate::harness::Port;

/// The API Gateway ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-apigateway/integ.lambda-api",
        build: lambda_api,
    },
    Port {
        test: "aws-apigateway/integ.restapi.defaults",
        build: restapi_defaults,
    },
    Port {
        test: "aws-apigateway/integ.cloudwatch-disabled",
        build: cloudwatch_disabled,
    },
    Port {
        test: "aws-apigateway/integ.restapi.multistack",
        build: restapi_multistack,
    },
    Port {
        test: "aws-apigateway/integ.restapi-cloudwatch-removal-policy",
        build: restapi_cloudwatch_removal_policy,
    },
    Port {
        test: "aws-apigateway/integ.lambda-api-nonproxy",
        build: lambda_api_nonproxy,
    },
    Port {
        test: "aws-apigateway/integ.lambda-permission-consolidation",
        build: lambda_permission_consolidation,
    },
    Port {
        test: "aws-apigateway/integ.restapi.books",
        build: restapi_books,
    },
    Port {
        test: "aws-apigateway/integ.restapi.multiuse",
        build: restapi_multiuse,
    },
];

/// `integ.lambda-api.ts` (runtime as in the snapshot: nodejs20.x).
fn lambda_api(app: &App) {
    let stack = Stack::new(
        app,
        "LambdaApiIntegrationOptionsStack",
        StackProps::default(),
    );
    let code = "exports.handler = async function(event) {
        return {
          body: JSON.stringify({
            message: 'Hello',
          }),
          statusCode: 200,
          headers: { 'Content-Type': '*/*' }
        };
      }";
    let function = Function::new(
        &stack,
        "myfn",
        FunctionProps::new(
            Runtime::Other("nodejs20.x".into()),
            "index.handler",
            Code::from_inline(code),
        ),
    );
    LambdaRestApi::new(
        &stack,
        "lambdarestapi",
        LambdaRestApiProps {
            cloud_watch_role: Some(true),
            integration_options: Some(LambdaIntegrationOptions {
                timeout: Some(Duration::from_secs(1)),
                ..Default::default()
            }),
            ..LambdaRestApiProps::new(&function)
        },
    );
}

/// `integ.restapi.defaults.ts`.
fn restapi_defaults(app: &App) {
    let stack = Stack::new(
        app,
        "test-apigateway-restapi-defaults",
        StackProps::default(),
    );
    let api = RestApi::new(
        &stack,
        "my-api",
        RestApiProps {
            cloud_watch_role: Some(true),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
}

/// `integ.cloudwatch-disabled.ts`.
fn cloudwatch_disabled(app: &App) {
    let stack = Stack::new(app, "default-api", StackProps::default());
    let api = RestApi::new(
        &stack,
        "my-api",
        RestApiProps {
            retain_deployments: true,
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
}

/// `integ.restapi.multistack.ts` (STANDARD_NODEJS_RUNTIME = nodejs18.x, as in the snapshot).
fn restapi_multistack(app: &App) {
    let first = Stack::new(app, "FirstStack", StackProps::default());
    let code = "exports.handler = async function(event) {
          return  {
            'headers': { 'Content-Type': 'text/plain' },
            'statusCode': 200
          }
        }";
    let first_lambda = Function::new(
        &first,
        "firstLambda",
        FunctionProps {
            function_name: Some("FirstLambda".into()),
            ..FunctionProps::new(
                Runtime::Other("nodejs18.x".into()),
                "index.handler",
                Code::from_inline(code),
            )
        },
    );
    let second = Stack::new(app, "SecondStack", StackProps::default());
    let api = RestApi::new(
        &second,
        "BooksApi",
        RestApiProps {
            cloud_watch_role: Some(true),
            rest_api_name: Some("SecondRestAPI".into()),
            ..Default::default()
        },
    );
    api.root().add_method("ANY", None, MethodOptions::default());
    let books = api.root().add_resource("books");
    books.add_method(
        "GET",
        LambdaIntegration::new(&first_lambda),
        MethodOptions::default(),
    );
}

/// `integ.restapi-cloudwatch-removal-policy.ts`.
fn restapi_cloudwatch_removal_policy(app: &App) {
    let stack = Stack::new(
        app,
        "test-apigateway-restapi-cloudwatch-removal-policy",
        StackProps::default(),
    );
    let api = RestApi::new(
        &stack,
        "my-api",
        RestApiProps {
            cloud_watch_role: Some(true),
            cloud_watch_role_removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
}

/// `integ.lambda-api-nonproxy.ts` (runtime as in the snapshot: nodejs18.x).
fn lambda_api_nonproxy(app: &App) {
    let stack = Stack::new(
        app,
        "LambdaApiIntegrationOptionsNonProxyIntegrationStack",
        StackProps::default(),
    );
    let function = Function::new(
        &stack,
        "myfn",
        FunctionProps::new(
            Runtime::Other("nodejs18.x".into()),
            "index.handler",
            Code::from_inline("foo"),
        ),
    );
    LambdaRestApi::new(
        &stack,
        "lambdarestapi",
        LambdaRestApiProps {
            cloud_watch_role: Some(true),
            integration_options: Some(LambdaIntegrationOptions {
                proxy: false,
                passthrough_behavior: Some(PassthroughBehavior::WhenNoMatch),
                integration_responses: vec![IntegrationResponse {
                    status_code: "200".into(),
                    response_templates: [(
                        "application/json".to_string(),
                        r#"{"message":"Hello, word"}"#.to_string(),
                    )]
                    .into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..LambdaRestApiProps::new(&function)
        },
    );
}

/// `integ.lambda-permission-consolidation.ts`.
fn lambda_permission_consolidation(app: &App) {
    let stack = Stack::new(
        app,
        "LambdaPermissionConsolidationStack",
        StackProps::default(),
    );
    let code = "exports.handler = async function(event) {
        return {
          body: JSON.stringify({
            message: 'Hello from ' + event.httpMethod,
          }),
          statusCode: 200,
          headers: { 'Content-Type': 'application/json' }
        };
      }";
    let function = Function::new(
        &stack,
        "Handler",
        FunctionProps::new(
            Runtime::Other("nodejs18.x".into()),
            "index.handler",
            Code::from_inline(code),
        ),
    );
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            cloud_watch_role: Some(true),
            ..Default::default()
        },
    );
    for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] {
        api.root().add_method(
            method,
            LambdaIntegration::new(&function),
            MethodOptions::default(),
        );
    }
}

/// `integ.restapi.books.ts` (runtime and inline code as in the snapshot).
fn restapi_books(app: &App) {
    let stack = Stack::new(app, "restapi-books-example", StackProps::default());
    let echo = "exports.handler = function echoHandlerCode(event, _, callback) {
    return callback(undefined, {
        isBase64Encoded: false,
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
    });
}";
    let hello = "exports.handler = function helloCode(_event, _context, callback) {
    return callback(undefined, {
        statusCode: 200,
        body: 'hello, world!',
    });
}";
    let function = |id: &str, code: &str| {
        Function::new(
            &stack,
            id,
            FunctionProps::new(
                Runtime::Other("nodejs22.x".into()),
                "index.handler",
                Code::from_inline(code),
            ),
        )
    };
    let books_handler = LambdaIntegration::new(function("BooksHandler", echo));
    let book_handler = LambdaIntegration::new(function("BookHandler", echo));
    let hello = LambdaIntegration::new(function("Hello", hello));
    let api = RestApi::new(
        &stack,
        "books-api",
        RestApiProps {
            cloud_watch_role: Some(true),
            ..Default::default()
        },
    );
    api.root()
        .add_method("ANY", hello, MethodOptions::default());
    let books = api.root().add_resource_with_options(
        "books",
        ResourceOptions {
            default_integration: Some(books_handler.into()),
            default_method_options: Some(MethodOptions {
                authorization_type: Some(AuthorizationType::Iam),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    books.add_method("GET", None, MethodOptions::default());
    books.add_method("POST", None, MethodOptions::default());
    let book = books.add_resource_with_options(
        "{book_id}",
        ResourceOptions {
            default_integration: Some(book_handler.into()),
            ..Default::default()
        },
    );
    book.add_method("GET", None, MethodOptions::default());
    book.add_method("DELETE", None, MethodOptions::default());
}

/// `integ.restapi.multiuse.ts` (runtime as in the snapshot: nodejs22.x).
fn restapi_multiuse(app: &App) {
    let stack = Stack::new(app, "restapi-multiuse-example", StackProps::default());
    let code = "exports.handler = function helloCode(_event, _context, callback) {
    return callback(undefined, {
        statusCode: 200,
        body: 'hello, world!',
    });
}";
    let hello = Function::new(
        &stack,
        "Hello",
        FunctionProps::new(
            Runtime::Other("nodejs22.x".into()),
            "index.handler",
            Code::from_inline(code),
        ),
    );
    for id in ["hello-api", "second-api"] {
        let api = RestApi::new(
            &stack,
            id,
            RestApiProps {
                cloud_watch_role: Some(true),
                ..Default::default()
            },
        );
        api.root().resource_for_path("/hello").add_method(
            "GET",
            LambdaIntegration::new(&hello),
            MethodOptions::default(),
        );
    }
}
