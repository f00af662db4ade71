//! Tokens and intrinsic functions, resolved through synthesis.

mod common;

use cdk_core::{
    fns, App, Aws, CfnCondition, CfnMapping, CfnOutput, CfnOutputProps, CfnResource,
    CfnResourceProps, Error, Stack, StackProps, Str, StrList, Value,
};
use serde_json::json;
use std::collections::BTreeMap;

fn resource(stack: &Stack, id: &str, props: Vec<(&str, Value)>) -> CfnResource {
    CfnResource::new(
        stack,
        id,
        CfnResourceProps {
            resource_type: "AWS::SSM::Parameter".into(),
            properties: props.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        },
    )
}

#[test]
fn strings_with_tokens_render_as_minimal_join() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let arn = Str::from("arn:") + Aws::PARTITION + ":s3:::" + "bucket" + "/" + "*";
    let nested = Str::concat(["a", "b"]) + (Str::from("c") + Aws::REGION);
    let p = resource(
        &stack,
        "P",
        vec![
            ("Value", arn.into()),
            ("Name", nested.into()),
            ("Type", Str::from("x").into()),
            (
                "Description",
                Str::format("{}-{}", [Aws::ACCOUNT_ID, Aws::REGION]).into(),
            ),
        ],
    );
    let _ = p;
    let (_d, a) = common::synth(&app);
    let props = &a.stack("S").unwrap().template["Resources"]["P"]["Properties"];
    assert_eq!(
        props["Value"],
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::bucket/*"]]})
    );
    assert_eq!(
        props["Name"],
        json!({"Fn::Join": ["", ["abc", {"Ref": "AWS::Region"}]]})
    );
    assert_eq!(props["Type"], json!("x"));
    assert_eq!(
        props["Description"],
        json!({"Fn::Join": ["", [{"Ref": "AWS::AccountId"}, "-", {"Ref": "AWS::Region"}]]})
    );
}

#[test]
fn intrinsic_functions_render_as_cloudformation() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let target = resource(&stack, "Target", vec![("Type", "String".into())]);
    let is_prod = CfnCondition::new(&stack, "IsProd", fns::equals(Aws::REGION, "eu-west-1"));
    let both = CfnCondition::new(
        &stack,
        "Both",
        fns::and([
            fns::ConditionExpr::from(&is_prod),
            fns::not(fns::or([
                fns::equals("a", "b"),
                fns::equals(Aws::ACCOUNT_ID, "111111111111"),
            ])),
        ]),
    );
    let mapping = CfnMapping::new(
        &stack,
        "Sizes",
        BTreeMap::from([(
            "us-east-1".to_string(),
            BTreeMap::from([("size".to_string(), Value::from(3))]),
        )]),
    );
    let user = resource(
        &stack,
        "User",
        vec![
            (
                "Join",
                fns::join("-", StrList::from(vec![target.ref_(), "x".into()])).into(),
            ),
            (
                "LiteralJoin",
                fns::join(",", StrList::from(["a", "b"])).into(),
            ),
            (
                "Sub",
                fns::sub("${AWS::Region}-${Name}", [("Name", target.ref_())]).into(),
            ),
            (
                "SubPlain",
                fns::sub::<&str, Str>("${AWS::StackName}", []).into(),
            ),
            ("Select", fns::select(1, fns::get_azs("")).into()),
            ("Split", fns::split(",", target.get_att("Value")).into()),
            ("Import", fns::import_value("Shared:Name").into()),
            ("Base64", fns::base64(target.ref_()).into()),
            ("Find", mapping.find_in_map(Aws::REGION, "size").into()),
            ("Cidr", fns::cidr("10.0.0.0/16", 4, 8).into()),
            ("If", fns::condition_if(&is_prod, "big", Aws::NO_VALUE)),
            ("NotificationArns", Aws::NOTIFICATION_ARNS.into()),
            ("StackId", Aws::STACK_ID.into()),
            ("Suffix", Aws::URL_SUFFIX.into()),
        ],
    );
    user.set_condition(&both);
    let (_d, a) = common::synth(&app);
    let t = &a.stack("S").unwrap().template;
    let p = &t["Resources"]["User"]["Properties"];
    assert_eq!(
        p["Join"],
        json!({"Fn::Join": ["-", [{"Ref": "Target"}, "x"]]})
    );
    assert_eq!(p["LiteralJoin"], json!("a,b"));
    assert_eq!(
        p["Sub"],
        json!({"Fn::Sub": ["${AWS::Region}-${Name}", {"Name": {"Ref": "Target"}}]})
    );
    assert_eq!(p["SubPlain"], json!({"Fn::Sub": "${AWS::StackName}"}));
    assert_eq!(p["Select"], json!({"Fn::Select": [1, {"Fn::GetAZs": ""}]}));
    assert_eq!(
        p["Split"],
        json!({"Fn::Split": [",", {"Fn::GetAtt": ["Target", "Value"]}]})
    );
    assert_eq!(p["Import"], json!({"Fn::ImportValue": "Shared:Name"}));
    assert_eq!(p["Base64"], json!({"Fn::Base64": {"Ref": "Target"}}));
    assert_eq!(
        p["Find"],
        json!({"Fn::FindInMap": ["Sizes", {"Ref": "AWS::Region"}, "size"]})
    );
    assert_eq!(p["Cidr"], json!({"Fn::Cidr": ["10.0.0.0/16", 4, "8"]}));
    assert_eq!(
        p["If"],
        json!({"Fn::If": ["IsProd", "big", {"Ref": "AWS::NoValue"}]})
    );
    assert_eq!(
        p["NotificationArns"],
        json!({"Ref": "AWS::NotificationARNs"})
    );
    assert_eq!(p["StackId"], json!({"Ref": "AWS::StackId"}));
    assert_eq!(p["Suffix"], json!({"Ref": "AWS::URLSuffix"}));
    assert_eq!(t["Resources"]["User"]["Condition"], json!("Both"));
    assert_eq!(
        t["Conditions"]["Both"],
        json!({"Fn::And": [{"Condition": "IsProd"}, {"Fn::Not": [{"Fn::Or": [
            {"Fn::Equals": ["a", "b"]},
            {"Fn::Equals": [{"Ref": "AWS::AccountId"}, "111111111111"]}
        ]}]}]})
    );
    assert_eq!(t["Mappings"]["Sizes"], json!({"us-east-1": {"size": 3}}));
    common::validate_assembly(&a.directory, false);
}

#[test]
fn lazy_values_see_the_final_tree() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let names = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let seen = names.clone();
    resource(
        &stack,
        "P",
        vec![(
            "Value",
            Value::lazy(move || Value::from(seen.borrow().join(","))),
        )],
    );
    names.borrow_mut().push("added-later".into());
    let (_d, a) = common::synth(&app);
    assert_eq!(
        a.stack("S").unwrap().template["Resources"]["P"]["Properties"]["Value"],
        json!("added-later")
    );
}

#[test]
fn unresolvable_reference_names_the_property_path() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let other_app = App::new();
    let other_stack = Stack::new(&other_app, "O", StackProps::default());
    let foreign = resource(&other_stack, "Foreign", vec![]);
    resource(
        &stack,
        "User",
        vec![(
            "Tags",
            Value::list([Value::object([("Value", foreign.ref_())])]),
        )],
    );
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("out")).unwrap_err();
    assert!(matches!(err, Error::Resolve { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("S/User") && text.contains("Properties.Tags.0.Value"),
        "{text}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn outputs_and_conditions_render() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let is_us = CfnCondition::new(&stack, "IsUs", fns::equals(Aws::REGION, "us-east-1"));
    let p = resource(&stack, "P", vec![("Type", "String".into())]);
    let out = CfnOutput::new(
        &stack,
        "Name",
        CfnOutputProps {
            value: p.ref_(),
            description: Some("the name".into()),
            export_name: Some("SharedName".into()),
            condition: Some(is_us),
        },
    );
    assert_eq!(out.import_value(), Some(fns::import_value("SharedName")));
    let (_d, a) = common::synth(&app);
    assert_eq!(
        a.stack("S").unwrap().template["Outputs"]["Name"],
        json!({"Description": "the name", "Value": {"Ref": "P"}, "Export": {"Name": "SharedName"}, "Condition": "IsUs"})
    );
}
