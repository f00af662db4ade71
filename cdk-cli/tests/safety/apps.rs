//! The Rust apps the cases run (this test binary, re-run with `RCDK_SAFETY_APP=NAME`).

use cdk_core::{
    App, AppProps, CfnOutput, CfnOutputProps, CfnResource, CfnResourceProps, Environment,
    IConstruct, Stack, StackProps,
};

fn bucket(scope: &impl IConstruct, id: &str) -> CfnResource {
    CfnResource::new(
        scope,
        id,
        CfnResourceProps {
            resource_type: "AWS::S3::Bucket".into(),
            ..Default::default()
        },
    )
}

fn stack(app: &App, id: &str, account: &str) -> Stack {
    Stack::new(
        app,
        id,
        StackProps {
            env: Some(Environment::new(account, "us-east-1")),
            ..Default::default()
        },
    )
}

fn output(scope: &impl IConstruct, id: &str, value: cdk_core::Str) {
    CfnOutput::new(
        scope,
        id,
        CfnOutputProps {
            value,
            ..Default::default()
        },
    );
}

/// Builds scenario `name` and synthesizes it with `synth_or_exit` (exit 1 on errors).
pub fn run(name: &str) {
    let app = match name {
        // AppProps::outdir names a folder given in RCDK_SAFETY_OUTDIR.
        "appprops-outdir" => App::with_props(AppProps {
            outdir: std::env::var_os("RCDK_SAFETY_OUTDIR").map(Into::into),
            ..Default::default()
        }),
        _ => App::new(),
    };
    match name {
        "ok" | "appprops-outdir" => {
            let storage = stack(&app, "Storage", "111111111111");
            let b = bucket(&storage, "Bucket");
            let web = stack(&app, "Web", "111111111111");
            bucket(&web, "Site");
            output(&web, "BucketArn", b.get_att("Arn"));
        }
        "limits" => {
            let big = stack(&app, "Big", "111111111111");
            for i in 0..501 {
                bucket(&big, &format!("B{i}"));
            }
            let chatty = stack(&app, "Chatty", "111111111111");
            let one = bucket(&chatty, "One");
            for i in 0..201 {
                output(&chatty, &format!("O{i}"), one.ref_());
            }
            let knobs = stack(&app, "Knobs", "111111111111");
            bucket(&knobs, "One");
            for i in 0..200 {
                cdk_core::CfnParameter::new(&knobs, &format!("P{i}"), Default::default());
            }
            let huge = stack(&app, "Huge", "111111111111");
            bucket(&huge, "Bucket").set_property("Description", "x".repeat(1_250_000));
            stack(&app, "Empty", "111111111111");
        }
        "asset" => {
            let service = stack(&app, "Service", "111111111111");
            let code = cdk_core::Asset::new(
                &service,
                "Code",
                cdk_core::AssetProps {
                    path: std::env::var_os("RCDK_SAFETY_ASSET")
                        .expect("asset dir")
                        .into(),
                    ..Default::default()
                },
            );
            let f = bucket(&service, "Holder");
            code.add_resource_metadata(&f, "Code");
        }
        "non-ascii" => {
            let store = stack(&app, "Store", "111111111111");
            bucket(&store, "桶");
            bucket(&store, "🪣");
        }
        "bad-stack-id" => {
            let bad = stack(&app, "bad/id", "111111111111");
            bucket(&bad, "Bucket");
        }
        "phases" => {
            let a = stack(&app, "A", "111111111111");
            let in_a = bucket(&a, "InA");
            a.node().add_error("a validation error");
            // Another account without a region: references need explicit regions.
            let other = Stack::new(
                &app,
                "Other",
                StackProps {
                    env: Some(Environment {
                        account: Some("222222222222".into()),
                        region: None,
                    }),
                    ..Default::default()
                },
            );
            bucket(&other, "Here");
            output(&other, "One", in_a.ref_());
            output(&other, "Two", in_a.get_att("Arn"));
            let b = stack(&app, "B", "111111111111");
            let c = stack(&app, "C", "111111111111");
            let in_b = bucket(&b, "InB");
            let in_c = bucket(&c, "InC");
            output(&b, "UsesC", in_c.ref_());
            output(&c, "UsesB", in_b.ref_());
        }
        other => panic!("unknown scenario {other}"),
    }
    app.synth_or_exit();
}
