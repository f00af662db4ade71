//! Ports of `aws-apigateway/test/integ.*.ts`.

use std::time::Duration;

use cdk_constructs::apigateway::{
    LambdaIntegrationOptions, LambdaRestApi, LambdaRestApiProps, MethodOptions, RestApi,
    RestApiProps,
};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_core::{App, Stack, StackProps};

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
