//! Ports of `aws-lambda/test/integ.*.ts`.

use cdk_constructs::lambda::{
    Code, Function, FunctionProps, FunctionUrlAuthType, FunctionUrlCorsOptions, FunctionUrlOptions,
    InvokeMode, RecursiveLoop, Runtime,
};
use cdk_core::{App, CfnOutput, CfnOutputProps, Stack, StackProps};

use crate::harness::Port;

/// The Lambda ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-lambda/integ.lambda-recursive-loop",
        build: recursive_loop,
    },
    Port {
        test: "aws-lambda/integ.assets.lit",
        build: assets_lit,
    },
    Port {
        test: "aws-lambda/integ.runtime.inlinecode",
        build: runtime_inlinecode,
    },
    Port {
        test: "aws-lambda/integ.function-url",
        build: function_url,
    },
];

/// `Runtime.PYTHON_3_9`.
fn python39() -> Runtime {
    Runtime::Other("python3.9".into())
}

/// `integ.lambda-recursive-loop.ts`.
fn recursive_loop(app: &App) {
    let stack = Stack::new(app, "stack", StackProps::default());
    for (id, recursive_loop) in [
        (
            "LambdaWithRecursionLoopProtection",
            Some(RecursiveLoop::Terminate),
        ),
        (
            "LambdaWithoutRecursionLoopProtection",
            Some(RecursiveLoop::Allow),
        ),
        ("LambdaWithDefaultRecursionLoopProtection", None),
    ] {
        Function::new(
            &stack,
            id,
            FunctionProps {
                recursive_loop,
                ..FunctionProps::new(python39(), "index.handler", Code::from_inline("foo"))
            },
        );
    }
}

/// `integ.assets.lit.ts`. The snapshot's `MyLambdaInclude` (added by a test version newer
/// than the stored source) has the same asset hash as `MyLambda`, i.e. the same files: it is
/// ported as a function from the same directory.
fn assets_lit(app: &App) {
    let stack = Stack::new(app, "lambda-test-assets", StackProps::default());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/aws-lambda/my-lambda-handler");
    for id in ["MyLambda", "MyLambdaInclude"] {
        Function::new(
            &stack,
            id,
            FunctionProps::new(python39(), "index.main", Code::from_asset(&dir)),
        );
    }
}

/// `integ.runtime.inlinecode.ts`, in the version of the stored snapshot (its runtimes).
fn runtime_inlinecode(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-lambda-runtime-inlinecode",
        StackProps::default(),
    );
    let python = "def handler(event, context):\n  return \"success\"";
    let node = "exports.handler = async function(event) { return \"success\" }";
    let runtimes = [
        ("PYTHON_3_7", "python3.7", python),
        ("PYTHON_3_8", "python3.8", python),
        ("PYTHON_3_9", "python3.9", python),
        ("PYTHON_3_10", "python3.10", python),
        ("PYTHON_3_12", "python3.12", python),
        ("NODEJS_14_X", "nodejs14.x", node),
        ("NODEJS_16_X", "nodejs16.x", node),
        ("NODEJS_18_X", "nodejs18.x", node),
    ];
    for (id, runtime, code) in runtimes {
        let function = Function::new(
            &stack,
            id,
            FunctionProps::new(
                Runtime::Other(runtime.into()),
                "index.handler",
                Code::from_inline(code),
            ),
        );
        CfnOutput::new(
            &stack,
            &format!("{id}-functionName"),
            CfnOutputProps {
                value: function.function_name(),
                ..Default::default()
            },
        );
    }
}

/// `integ.function-url.ts`: IAM and public URLs, CORS and response streaming.
fn function_url(app: &App) {
    let stack = Stack::new(app, "Stack1", StackProps::default());
    let function = |id: &str| {
        Function::new(
            &stack,
            id,
            FunctionProps::new(
                Runtime::Other("python3.10".into()),
                "index.handler",
                Code::from_inline("def handler(event, context):\n  return \"success\""),
            ),
        )
    };
    let cases = [
        ("IamAuthFunctionUrls", FunctionUrlOptions::default()),
        (
            "NoAuthFunctionUrls",
            FunctionUrlOptions {
                auth_type: Some(FunctionUrlAuthType::None),
                ..Default::default()
            },
        ),
        (
            "CorsFunctionUrls",
            FunctionUrlOptions {
                auth_type: Some(FunctionUrlAuthType::None),
                cors: Some(FunctionUrlCorsOptions {
                    allowed_origins: Some(vec!["https://example.com".into()]),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ),
        (
            "StreamFunctionUrls",
            FunctionUrlOptions {
                auth_type: Some(FunctionUrlAuthType::None),
                invoke_mode: Some(InvokeMode::ResponseStream),
                ..Default::default()
            },
        ),
    ];
    for (id, options) in cases {
        let url = function(id).add_function_url(options);
        CfnOutput::new(
            &stack,
            &format!("The{id}"),
            CfnOutputProps {
                value: url.url(),
                ..Default::default()
            },
        );
    }
}
