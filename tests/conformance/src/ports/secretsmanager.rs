//! Ports of `aws-secretsmanager/test/integ.*.ts`.

use std::rc::Rc;
use std::time::Duration;

use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::secretsmanager::{RotationScheduleOptions, Secret, SecretProps};
use cdk_core::{App, RemovalPolicy, Stack, StackProps};

use crate::harness::Port;

/// The Secrets Manager ports.
pub const PORTS: &[Port] = &[Port {
    test: "aws-secretsmanager/integ.lambda-rotation",
    build: integ_lambda_rotation,
}];

/// `integ.lambda-rotation.ts` (`STANDARD_NODEJS_RUNTIME` is `nodejs18.x` in its snapshot).
fn integ_lambda_rotation(app: &App) {
    let stack = Stack::new(
        app,
        "cdk-integ-secret-lambda-rotation",
        StackProps::default(),
    );
    let key = Key::new(
        &stack,
        "Key",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    let secret = Secret::new(
        &stack,
        "Secret",
        SecretProps {
            encryption_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    let lambda = Function::new(
        &stack,
        "Lambda",
        FunctionProps::new(
            Runtime::Other("nodejs18.x".into()),
            "index.handler",
            Code::from_inline("NOOP"),
        ),
    );
    secret.add_rotation_schedule(
        "Schedule",
        RotationScheduleOptions {
            automatically_after: Some(Duration::from_secs(4 * 3600)),
            ..RotationScheduleOptions::new(Rc::new(lambda))
        },
    );
}
