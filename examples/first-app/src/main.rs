//! The README's first app (the README shows this file from `use` on; a test keeps the two the
//! same). Run it with `rcdk synth` from this directory, or `cargo run -p first-app-example`.

use cdk_constructs::dynamodb::{Attribute, AttributeType, Table, TableProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::s3::{Bucket, BucketProps};
use cdk_core::{App, Environment, Stack, StackProps};

fn main() {
    let app = App::new(); // reads CDK_OUTDIR / CDK_CONTEXT_JSON set by the CLI
    let env = Some(Environment::new("111111111111", "us-east-1"));

    let storage = Stack::new(
        &app,
        "Storage",
        StackProps {
            env: env.clone(),
            ..Default::default()
        },
    );
    let table = Table::new(
        &storage,
        "Orders",
        TableProps::new(Attribute::new("id", AttributeType::String)),
    );
    let uploads = Bucket::new(&storage, "Uploads", BucketProps::default());

    let service = Stack::new(
        &app,
        "Service",
        StackProps {
            env,
            ..Default::default()
        },
    );
    let mut props = FunctionProps::new(
        Runtime::Python312,
        "index.handler",
        Code::from_inline("def handler(event, context):\n    return {'statusCode': 200}"),
    );
    props
        .environment
        .insert("TABLE_NAME".into(), table.table_name()); // cross-stack reference
    let handler = Function::new(&service, "Handler", props);
    table.grant_read_write_data(&handler); // IAM policy on the function's role
    uploads.grant_read(&handler);

    app.synth_or_exit(); // on error: every problem with its construct path, then exit status 1
}
