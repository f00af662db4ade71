//! Ports of `aws-lambda/test/integ.*.ts`.

use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_core::{App, Stack, StackProps};

use crate::harness::Port;

/// The Lambda ports.
pub const PORTS: &[Port] = &[Port {
    test: "aws-lambda/integ.lambda-recursive-loop",
    build: recursive_loop,
}];

/// `Runtime.PYTHON_3_9`.
fn python39() -> Runtime {
    Runtime::Other("python3.9".into())
}

/// `integ.lambda-recursive-loop.ts`. Partial: no `recursiveLoop` prop.
fn recursive_loop(app: &App) {
    let stack = Stack::new(app, "stack", StackProps::default());
    for id in [
        "LambdaWithRecursionLoopProtection", // recursiveLoop: TERMINATE
        "LambdaWithoutRecursionLoopProtection", // recursiveLoop: ALLOW
        "LambdaWithDefaultRecursionLoopProtection",
    ] {
        Function::new(
            &stack,
            id,
            FunctionProps::new(python39(), "index.handler", Code::from_inline("foo")),
        );
    }
}
