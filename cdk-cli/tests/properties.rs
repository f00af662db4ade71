//! Property tests (proptest) of the readers and the diff engine: arbitrary JSON or YAML never
//! makes them panic, a template compared with itself has no differences, and any two templates
//! can be compared and printed. Short by default; `PROPTEST_CASES=5000 cargo test -p cdk-cli
//! --test properties` runs longer. Failures are not persisted into the source tree.

use cdk_cli::assembly::Assembly;
use cdk_cli::diff::{diff_templates, write_template_diff, FormatOptions};
use cdk_cli::yaml::parse_template;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: rcdk_tests::property_cases(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any JSON value (nested up to a few levels).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Something shaped like a CloudFormation template (sometimes wrongly: any section may hold
/// any value), so the diff engine's per-section logic is exercised.
fn template() -> impl Strategy<Value = Value> {
    let resource = (
        prop_oneof![
            Just("AWS::S3::Bucket".to_string()),
            Just("AWS::IAM::Role".to_string()),
            Just("AWS::IAM::Policy".to_string()),
            Just("AWS::EC2::SecurityGroup".to_string()),
            Just("AWS::Lambda::Function".to_string()),
            "[A-Za-z:]{0,20}",
        ],
        prop::option::of(json_value()),
        prop::option::of(json_value()),
    )
        .prop_map(|(t, props, other)| {
            let mut r = Map::new();
            r.insert("Type".into(), Value::String(t));
            if let Some(p) = props {
                r.insert("Properties".into(), p);
            }
            if let Some(o) = other {
                r.insert("DependsOn".into(), o);
            }
            Value::Object(r)
        });
    let section = |values: BoxedStrategy<Value>| {
        prop::collection::btree_map("[A-Za-z0-9]{1,8}", values, 0..5)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
    };
    (
        section(prop_oneof![3 => resource, 1 => json_value()].boxed()),
        section(json_value().boxed()),
        section(json_value().boxed()),
        prop::option::of(json_value()),
    )
        .prop_map(|(resources, outputs, parameters, junk)| {
            let mut t = Map::new();
            t.insert("Resources".into(), resources);
            t.insert("Outputs".into(), outputs);
            t.insert("Parameters".into(), parameters);
            if let Some(j) = junk {
                t.insert("Conditions".into(), j);
            }
            Value::Object(t)
        })
}

fn print(diff: &cdk_cli::diff::TemplateDiff) -> String {
    let mut out = Vec::new();
    write_template_diff(
        &mut out,
        diff,
        &FormatOptions {
            context_lines: 3,
            security_only: false,
        },
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn template_readers_never_panic(text in prop_oneof!["\\PC{0,200}", json_value().prop_map(|v| v.to_string())]) {
        let _ = parse_template(&text, std::path::Path::new("x.yaml"));
    }

    #[test]
    fn yaml_of_any_object_is_read_back_and_anything_else_refused(value in json_value()) {
        let yaml = cdk_cli::yaml::to_yaml(&value).unwrap();
        let read = parse_template(&yaml, std::path::Path::new("x.yaml"));
        if value.is_object() {
            let read = read.map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
            prop_assert!(read.is_object());
        } else {
            prop_assert!(read.is_err(), "{yaml}");
        }
    }

    #[test]
    fn manifest_reader_never_panics(manifest in prop_oneof![
        json_value(),
        (json_value(), json_value()).prop_map(|(a, b)| json!({"version": "55.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": a, "dependencies": b}}})),
        "\\PC{0,120}".prop_map(Value::String),
    ]) {
        let dir = tempfile::tempdir().unwrap();
        let text = match &manifest { Value::String(s) => s.clone(), v => v.to_string() };
        std::fs::write(dir.path().join("manifest.json"), text).unwrap();
        if let Ok(assembly) = Assembly::load(dir.path()) {
            for stack in &assembly.stacks {
                let _ = stack.template();
                let _ = stack.construct_paths();
                let _ = assembly.stacks_in_order();
            }
        }
    }

    #[test]
    fn a_template_has_no_differences_with_itself(t in template()) {
        let diff = diff_templates(&t, &t);
        prop_assert!(diff.is_empty(), "{}", print(&diff));
    }

    #[test]
    fn any_two_templates_can_be_diffed_and_printed(a in template(), b in template()) {
        let diff = diff_templates(&a, &b);
        let _ = print(&diff);
        let _ = diff.permission_change();
        let _ = print(&diff.without_cdk_noise());
        // Anything against nothing (a new stack) and back.
        let empty = json!({});
        let _ = print(&diff_templates(&empty, &a));
        let _ = print(&diff_templates(&a, &empty));
    }
}
