//! Cross-stack references of each strength (strong exports, weak `Fn::GetStackOutput`, both;
//! across regions and accounts) against what aws-cdk-lib synthesizes for the same trees
//! (fixtures/cross_stack_references/expected.json, written by its generate.sh).

use std::collections::BTreeMap;

use cdk_core::references::{
    CrossStackReferences, ReferenceStrength, DEFAULT_CROSS_STACK_REFERENCES,
};
use cdk_core::{
    App, AppProps, CfnOutput, CfnOutputProps, CfnResource, CfnResourceProps, Environment, Error,
    Stack, StackProps, Str,
};
use serde_json::{json, Value as J};

fn topic(stack: &Stack, id: &str) -> CfnResource {
    CfnResource::new(
        stack,
        id,
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    )
}

fn out(stack: &Stack, id: &str, value: Str) {
    CfnOutput::new(
        stack,
        id,
        CfnOutputProps {
            value,
            ..Default::default()
        },
    );
}

fn stack(app: &App, id: &str, env: Option<(&str, &str)>) -> Stack {
    Stack::new(
        app,
        id,
        StackProps {
            env: env.map(|(a, r)| Environment::new(a, r)),
            ..Default::default()
        },
    )
}

/// A consumer stack with a resource of its own.
fn consumer(app: &App, id: &str, env: Option<(&str, &str)>) -> Stack {
    let s = stack(app, id, env);
    topic(&s, "Marker");
    s
}

/// The scenarios of generate.js.
fn build(scenario: &str, app: &App) {
    match scenario {
        "same-env" => {
            let p = stack(app, "Producer", None);
            let t = topic(&p, "Topic");
            let c = consumer(app, "Consumer", None);
            out(&c, "TopicRef", t.ref_());
            out(&c, "TopicArn", t.get_att("TopicArn"));
            let c2 = consumer(app, "Consumer2", None);
            out(&c2, "TopicRef", t.ref_());
        }
        "cross-env" => {
            let p = stack(app, "Producer", Some(("111111111111", "us-east-1")));
            let t = topic(&p, "Topic");
            let r = consumer(app, "OtherRegion", Some(("111111111111", "eu-west-1")));
            out(&r, "TopicRef", t.ref_());
            let a = consumer(app, "OtherAccount", Some(("222222222222", "us-east-1")));
            out(&a, "TopicRef", t.ref_());
            out(&a, "TopicArn", t.get_att("TopicArn"));
            let b = consumer(app, "ThirdAccount", Some(("333333333333", "eu-west-1")));
            out(&b, "TopicRef", t.ref_());
        }
        "cross-account" => {
            let p = stack(app, "Producer", Some(("111111111111", "us-east-1")));
            let t = topic(&p, "Topic");
            let a = consumer(app, "OtherAccount", Some(("222222222222", "us-east-1")));
            out(&a, "TopicRef", t.ref_());
        }
        "produce" => {
            let p = stack(app, "Producer", None);
            let t = topic(&p, "Topic");
            let u = topic(&p, "Strong");
            CrossStackReferences::of(&t).produce(ReferenceStrength::Weak);
            let c = consumer(app, "Consumer", None);
            out(&c, "TopicRef", t.ref_());
            out(&c, "StrongRef", u.ref_());
        }
        "consume" => {
            let p = stack(app, "Producer", None);
            let t = topic(&p, "Topic");
            let c = stack(app, "Consumer", None);
            CrossStackReferences::of(&c).consume(ReferenceStrength::Weak);
            topic(&c, "Marker");
            out(&c, "TopicRef", t.ref_());
            let c2 = consumer(app, "Strong", None);
            out(&c2, "TopicRef", t.ref_());
        }
        other => panic!("unknown scenario {other}"),
    }
}

fn app_with(context: &J) -> App {
    let context: BTreeMap<String, J> = context
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    App::with_props(AppProps {
        context,
        outdir: None,
    })
}

#[test]
fn every_strength_renders_as_aws_cdk_lib() {
    let expected: J = serde_json::from_str(include_str!(
        "fixtures/cross_stack_references/expected.json"
    ))
    .unwrap();
    assert_eq!(expected["generator"], "aws-cdk-lib 2.276.0");
    let runs = expected["runs"].as_object().unwrap();
    assert_eq!(runs.len(), 8);
    for (run, want) in runs {
        let scenario = run.split('/').next().unwrap();
        let app = app_with(&want["context"]);
        build(scenario, &app);
        let assembly = app
            .synth_in_memory()
            .unwrap_or_else(|e| panic!("{run}: {e}"));
        let want_stacks = want["stacks"].as_object().unwrap();
        assert_eq!(assembly.stacks.len(), want_stacks.len(), "{run}");
        for (name, want_stack) in want_stacks {
            let got = assembly
                .stack(name)
                .unwrap_or_else(|| panic!("{run}: no {name}"));
            for section in ["Resources", "Outputs"] {
                let got_section = got.template.get(section).cloned().unwrap_or(json!({}));
                assert_eq!(got_section, want_stack[section], "{run}: {name} {section}");
            }
            let warnings: Vec<String> = got
                .metadata
                .iter()
                .flat_map(|(path, entries)| {
                    entries
                        .iter()
                        .filter(|e| e["type"] == "aws:cdk:warning")
                        .map(move |e| format!("{path}: {}", e["data"].as_str().unwrap()))
                })
                .collect();
            assert_eq!(
                json!(warnings),
                want_stack["warnings"],
                "{run}: {name} warnings"
            );
            let deps: Vec<&String> = got
                .dependencies
                .iter()
                .filter(|d| !d.ends_with(".assets"))
                .collect();
            assert_eq!(
                json!(deps),
                want_stack["dependencies"],
                "{run}: {name} dependencies"
            );
        }
    }
}

#[test]
fn weak_references_keep_the_producer_free_of_exports() {
    let app = app_with(&json!({ DEFAULT_CROSS_STACK_REFERENCES: "weak" }));
    build("same-env", &app);
    let assembly = app.synth_in_memory().unwrap();
    let producer = &assembly.stack("Producer").unwrap().template;
    let outputs = producer["Outputs"].as_object().unwrap();
    assert!(
        outputs.values().all(|o| o.get("Export").is_none()),
        "{outputs:?}"
    );
    // One published output per referenced value, shared by both consumers.
    assert_eq!(outputs.len(), 2);
    let consumer2 = &assembly.stack("Consumer2").unwrap().template;
    assert_eq!(
        consumer2["Outputs"]["TopicRef"]["Value"]["Fn::GetStackOutput"]["StackName"],
        "Producer"
    );
}

#[test]
fn invalid_strength_is_an_error_naming_the_flag() {
    let app = app_with(&json!({ DEFAULT_CROSS_STACK_REFERENCES: "sometimes" }));
    build("same-env", &app);
    let err = app.synth_in_memory().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("Invalid value for @aws-cdk/core:defaultCrossStackReferences: \"sometimes\". Must be \"strong\", \"weak\", or \"both\"."),
        "{text}"
    );
}

#[test]
fn strong_cross_region_references_are_refused_with_the_way_out() {
    let app = App::new();
    let p = stack(&app, "Producer", Some(("111111111111", "us-east-1")));
    let t = topic(&p, "Topic");
    let r = consumer(&app, "OtherRegion", Some(("111111111111", "eu-west-1")));
    out(&r, "TopicRef", t.ref_());
    let err = app.synth_in_memory().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("stack 'OtherRegion' cannot reference 'Producer/Topic' in stack 'Producer': a strong cross-region reference needs aws-cdk-lib's ExportWriter/ExportReader custom resources"),
        "{text}"
    );
    assert!(text.contains("to \"weak\""), "{text}");
    assert!(matches!(err, Error::CrossStackReference { .. }), "{err:?}");
}

#[test]
fn references_need_explicit_regions_across_environments() {
    let app = App::new();
    let p = stack(&app, "Producer", Some(("111111111111", "us-east-1")));
    let t = topic(&p, "Topic");
    let a = Stack::new(
        &app,
        "AccountOnly",
        StackProps {
            env: Some(Environment {
                account: Some("222222222222".into()),
                region: None,
            }),
            ..Default::default()
        },
    );
    topic(&a, "Marker");
    out(&a, "TopicRef", t.ref_());
    let text = app.synth_in_memory().unwrap_err().to_string();
    assert!(
        text.contains("Cross stack/region references are only supported for stacks with an explicit region defined."),
        "{text}"
    );
}

#[test]
fn produce_on_a_construct_without_a_resource_is_an_error() {
    let app = App::new();
    let s = stack(&app, "S", None);
    topic(&s, "Topic");
    let plain = cdk_core::Node::new(&s, "Plain");
    CrossStackReferences::of(&plain).produce(ReferenceStrength::Weak);
    let text = app.synth_in_memory().unwrap_err().to_string();
    assert!(
        text.contains("[S/Plain] Cannot apply cross-stack reference strength: scope has no default child CfnResource and is not a CfnResource itself."),
        "{text}"
    );
}

#[test]
fn synthesizing_twice_warns_once() {
    let app = App::new();
    build("same-env", &app);
    app.synth_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let written = app.synth_to(dir.path().join("out")).unwrap();
    let consumer = written.stack("Consumer").unwrap();
    let warnings = consumer
        .metadata
        .iter()
        .flat_map(|(_, e)| e.iter())
        .filter(|e| e["type"] == "aws:cdk:warning")
        .count();
    assert_eq!(warnings, 1);
}
