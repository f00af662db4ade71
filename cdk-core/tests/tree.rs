//! The construct tree: paths, children, lookup, context, IDs and the errors for bad IDs.

mod common;

use cdk_core::{App, AppProps, Error, IConstruct, Node, Stack, StackProps};

/// A resource in `stack` (CloudFormation refuses a stack without any).
fn some_resource(stack: &Stack) {
    cdk_core::CfnResource::new(
        stack,
        "Topic",
        cdk_core::CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
}

fn validation_messages(err: Error) -> Vec<String> {
    match err {
        Error::Validation(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        other => panic!("expected validation errors, got {other}"),
    }
}

#[test]
fn paths_children_and_lookup() {
    let app = App::new();
    let stack = Stack::new(&app, "Stack", StackProps::default());
    let api = Node::new(&stack, "Api");
    let handler = Node::new(&api, "Handler");
    let other = Node::new(&api, "Other");
    assert_eq!(handler.path(), "Stack/Api/Handler");
    assert_eq!(handler.id(), "Handler");
    assert_eq!(handler.scope(), Some(api.clone()));
    assert_eq!(api.children(), vec![handler.clone(), other]);
    assert_eq!(api.try_find_child("Handler"), Some(handler.clone()));
    assert!(api.try_find_child("Nope").is_none());
    let err = api.find_child("Nope").unwrap_err().to_string();
    assert!(err.contains("Stack/Api") && err.contains("Nope"), "{err}");
    assert_eq!(handler.root(), *app.node());
    assert_eq!(
        handler.scopes().iter().map(Node::path).collect::<Vec<_>>(),
        vec!["", "Stack", "Stack/Api", "Stack/Api/Handler"]
    );
    assert_eq!(Stack::of(&handler), Some(stack.clone()));
    assert_eq!(app.node().find_all().len(), 5);
}

#[test]
fn bad_ids_are_reported_with_parent_path_and_id() {
    let app = App::new();
    let stack = Stack::new(&app, "Stack", StackProps::default());
    some_resource(&stack);
    Node::new(&stack, "Dup");
    Node::new(&stack, "Dup");
    Node::new(&stack, "");
    Node::new(&stack, "a/b");
    let dir = tempfile::tempdir().unwrap();
    let messages = validation_messages(app.synth_to(dir.path().join("out")).unwrap_err());
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].contains("[Stack]") && messages[0].contains("'Dup'"),
        "{messages:?}"
    );
    assert!(messages[1].contains("must not be empty"), "{messages:?}");
    assert!(messages[2].contains("'a/b'") && messages[2].contains("must not contain '/'"));
    assert!(!dir.path().join("out").exists(), "nothing may be written");
}

#[test]
fn context_is_inherited_and_overridable() {
    let app = App::with_props(AppProps {
        context: [("stage".to_string(), serde_json::json!("dev"))].into(),
        ..Default::default()
    });
    let stack = Stack::new(&app, "Stack", StackProps::default());
    let child = Node::new(&stack, "Child");
    assert_eq!(child.try_get_context_str("stage").as_deref(), Some("dev"));
    stack.node().set_context("stage", "prod");
    assert_eq!(child.try_get_context_str("stage").as_deref(), Some("prod"));
    assert_eq!(
        app.node().try_get_context_str("stage").as_deref(),
        Some("dev")
    );
    assert!(child.try_get_context("missing").is_none());
}

#[test]
fn metadata_dependencies_and_validations() {
    let app = App::new();
    let stack = Stack::new(&app, "Stack", StackProps::default());
    some_resource(&stack);
    let a = Node::new(&stack, "A");
    let b = Node::new(&stack, "B");
    a.add_dependency(&b);
    a.add_dependency(&b);
    assert_eq!(a.dependencies(), vec![b.clone()]);
    a.add_metadata("custom", "value");
    assert_eq!(a.metadata()[0].kind, "custom");
    a.add_validation(|| vec!["first problem".into(), "second problem".into()]);
    b.add_error("bad thing");
    let dir = tempfile::tempdir().unwrap();
    let messages = validation_messages(app.synth_to(dir.path().join("out")).unwrap_err());
    assert_eq!(
        messages,
        vec![
            "[Stack/A] first problem",
            "[Stack/A] second problem",
            "[Stack/B] bad thing"
        ]
    );
}

#[test]
fn a_large_tree_builds_and_synthesizes() {
    // 100,000 constructs: every operation must stay linear (no timing here; see benches).
    let app = App::new();
    let stack = Stack::new(&app, "Big", StackProps::default());
    some_resource(&stack);
    for i in 0..1000 {
        let group = Node::new(&stack, &format!("Group{i}"));
        for j in 0..99 {
            Node::new(&group, &format!("Item{j}"));
        }
    }
    assert_eq!(app.node().find_all().len(), 100_003);
    let (_dir, assembly) = common::synth(&app);
    assert_eq!(assembly.stacks.len(), 1);
}

#[test]
fn prepare_steps_run_before_logical_ids_are_allocated() {
    use cdk_core::{CfnElement, CfnResource, CfnResourceProps};
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let r = CfnResource::new(
        &stack,
        "R",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
    let handle = r.clone();
    r.node()
        .add_prepare(move || handle.override_logical_id("Prepared"));
    let (_d, assembly) = common::synth(&app);
    assert!(assembly.stack("S").unwrap().template["Resources"]["Prepared"].is_object());
}

#[test]
fn dropping_the_app_frees_its_tree_even_when_closures_hold_constructs() {
    let before = App::live_trees();
    {
        let app = App::new();
        let stack = Stack::new(&app, "S", StackProps::default());
        let node = Node::new(&stack, "Thing");
        // Closures stored in the tree capture construct handles: they do not keep it alive.
        let held = node.clone();
        node.add_validation(move || vec![held.path()].into_iter().filter(|_| false).collect());
        let held = stack.clone();
        node.add_prepare(move || {
            let _ = held.stack_name();
        });
        assert_eq!(App::live_trees(), before + 1);
        assert!(node.is_alive());
        drop(app);
        assert!(!node.is_alive());
    }
    assert_eq!(App::live_trees(), before);
}
