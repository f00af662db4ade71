//! The scale generator's smallest size runs in the test suite so it cannot rot (the large
//! sizes are benchmarks: see docs/performance.md).

use cdk_core::App;
use scale_example::{build, Kind};

#[test]
fn one_stack_of_ten_l1_resources_and_a_neighbour_import() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new();
    build(&app, Kind::L1, 2, 10);
    let assembly = app.synth_to(dir.path().join("cdk.out")).expect("synth");
    assert_eq!(assembly.stacks.len(), 2);
    let second = assembly.stack("Stack1").unwrap();
    let buckets = second.template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::S3::Bucket")
        .count();
    assert_eq!(buckets, 10);
    assert_eq!(second.dependencies, vec!["Stack0".to_string()]);
    let export = cdk_core::logical_id::make_unique_id(&["Exports", "Output{\"Ref\":\"Bucket0\"}"]);
    assert_eq!(
        second.template["Resources"]["Bucket0"]["Properties"]["Tags"][0]["Value"],
        serde_json::json!({"Fn::ImportValue": format!("Stack0:{export}")})
    );
    rcdk_tests::validate_assembly(&assembly.directory, true);
}

#[test]
fn one_stack_of_l2_functions_behind_an_api() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new();
    build(&app, Kind::L2, 1, 12);
    let assembly = app.synth_to(dir.path().join("cdk.out")).expect("synth");
    let template = &assembly.stack("Stack0").unwrap().template;
    let count = |ty: &str| {
        template["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == ty)
            .count()
    };
    assert_eq!(count("AWS::Lambda::Function"), 2);
    assert_eq!(count("AWS::ApiGateway::Method"), 2);
    assert_eq!(count("AWS::Lambda::Permission"), 4);
    assert_eq!(count("AWS::ApiGateway::RestApi"), 1);
    rcdk_tests::validate_assembly(&assembly.directory, true);
}
