//! Files constructs add to the cloud assembly (`synth::add_assembly_file`), and the stack
//! dependencies known before synthesis (`Stack::referenced_stacks`, `declared_dependencies`).

use cdk_core::{App, AppProps, CfnResource, CfnResourceProps, Stack, StackProps, Str, Value};

fn resource(stack: &Stack, id: &str) -> CfnResource {
    CfnResource::new(
        stack,
        id,
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    )
}

#[test]
fn an_added_file_is_written_into_the_assembly() {
    let out = tempfile::tempdir().unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(out.path().to_path_buf()),
        ..Default::default()
    });
    let stack = Stack::new(&app, "Stack", StackProps::default());
    resource(&stack, "Topic");
    cdk_core::synth::add_assembly_file(&stack, "graph.dot", "digraph G {}").unwrap();
    cdk_core::synth::add_assembly_file(&stack, "sub/dir/x.json", "{}").unwrap();
    // The latest contents of a path win.
    cdk_core::synth::add_assembly_file(&stack, "graph.dot", "digraph G {\n}").unwrap();
    assert_eq!(
        cdk_core::synth::assembly_file(&stack, "graph.dot").as_deref(),
        Some(b"digraph G {\n}".as_slice())
    );
    app.synth().unwrap();
    assert_eq!(
        std::fs::read_to_string(out.path().join("graph.dot")).unwrap(),
        "digraph G {\n}"
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("sub/dir/x.json")).unwrap(),
        "{}"
    );
}

#[test]
fn a_path_outside_the_assembly_or_over_a_synthesized_file_is_refused() {
    let app = App::new();
    let stack = Stack::new(&app, "Stack", StackProps::default());
    resource(&stack, "Topic");
    for bad in ["", "/etc/passwd", "../x", "a/../../x", "./x"] {
        let err = cdk_core::synth::add_assembly_file(&stack, bad, "x").unwrap_err();
        assert!(
            err.contains("relative path inside the assembly"),
            "{bad}: {err}"
        );
    }
    let out = tempfile::tempdir().unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(out.path().to_path_buf()),
        ..Default::default()
    });
    let stack = Stack::new(&app, "Stack", StackProps::default());
    resource(&stack, "Topic");
    cdk_core::synth::add_assembly_file(&stack, "manifest.json", "{}").unwrap();
    let err = app.synth().unwrap_err().to_string();
    assert!(
        err.contains("'manifest.json'") && err.contains("also written by synthesis"),
        "{err}"
    );
}

#[test]
fn references_to_other_stacks_are_known_before_synthesis() {
    let app = App::new();
    let producer = Stack::new(&app, "Producer", StackProps::default());
    let topic = resource(&producer, "Topic");
    let other = Stack::new(&app, "Other", StackProps::default());
    let other_topic = resource(&other, "Topic");
    let consumer = Stack::new(&app, "Consumer", StackProps::default());
    let direct = resource(&consumer, "Direct");
    direct.set_property("TopicArn", topic.ref_());
    // A reference inside a lazy value counts too.
    let lazy = resource(&consumer, "Lazy");
    let att = other_topic.get_att("TopicName");
    lazy.set_property("Name", Str::lazy(move || att.clone()));
    // References inside the stack do not.
    let own = resource(&consumer, "Own");
    own.set_property("Sibling", Value::from(direct.ref_()));
    assert_eq!(
        consumer.referenced_stacks(),
        vec![producer.clone(), other.clone()]
    );
    assert!(producer.referenced_stacks().is_empty());
    assert!(consumer.declared_dependencies().is_empty());
    consumer.add_dependency(&producer, "test");
    assert_eq!(consumer.declared_dependencies(), vec![producer]);
}
