//! The scale generator's smallest size runs in the test suite so it cannot rot (the large
//! sizes are benchmarks: see docs/performance.md).

use cdk_assertions::{pattern, Capture, Template};
use cdk_core::{App, IConstruct, Stack};
use scale_example::{build, Kind};

#[test]
fn one_stack_of_ten_l1_resources_and_a_neighbour_import() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new();
    build(&app, Kind::L1, 2, 10);
    let assembly = app.synth_to(dir.path().join("cdk.out")).expect("synth");
    assert_eq!(assembly.stacks.len(), 2);
    let second = assembly.stack("Stack1").unwrap();
    assert_eq!(second.dependencies, vec!["Stack0".to_string()]);
    let stack1 = Stack::from_node(&app.node().try_find_child("Stack1").unwrap()).unwrap();
    let t = Template::from_stack(&stack1);
    t.resource_count_is("AWS::S3::Bucket", 10);
    let export = cdk_core::logical_id::make_unique_id(&["Exports", "Output{\"Ref\":\"Bucket0\"}"]);
    let import = serde_json::json!({"Fn::ImportValue": format!("Stack0:{export}")});
    let tags = Capture::new();
    t.template_matches(pattern!({"Resources": {"Bucket0": {"Properties": {"Tags": &tags}}}}));
    assert_eq!(tags.as_array()[0]["Value"], import);
    rcdk_tests::validate_assembly(&assembly.directory, true);
}

#[test]
fn one_stack_of_l2_functions_behind_an_api() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new();
    build(&app, Kind::L2, 1, 12);
    let assembly = app.synth_to(dir.path().join("cdk.out")).expect("synth");
    let stack0 = Stack::from_node(&app.node().try_find_child("Stack0").unwrap()).unwrap();
    let t = Template::from_stack(&stack0);
    t.resource_count_is("AWS::Lambda::Function", 2);
    t.resource_count_is("AWS::ApiGateway::Method", 2);
    t.resource_count_is("AWS::Lambda::Permission", 4);
    t.resource_count_is("AWS::ApiGateway::RestApi", 1);
    rcdk_tests::validate_assembly(&assembly.directory, true);
}
