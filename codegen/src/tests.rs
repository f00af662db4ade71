use std::collections::HashMap;

use serde_json::json;

use crate::model::{build_resource, field_name, Ty};

#[test]
fn names() {
    assert_eq!(field_name("NotificationARNs"), "notification_arns");
    assert_eq!(field_name("SubnetIDs"), "subnet_ids");
    assert_eq!(field_name("Type"), "r#type");
    assert_eq!(field_name("BucketName"), "bucket_name");
    assert_eq!(
        crate::service_of("AWS::S3::Bucket"),
        Some(("s3".into(), "AWS::S3".into()))
    );
    assert_eq!(
        crate::service_of("Alexa::ASK::Skill"),
        Some(("alexa_ask".into(), "Alexa::ASK".into()))
    );
}

#[test]
fn model_of_a_small_schema() {
    let schema = json!({
        "typeName": "AWS::Demo::Thing",
        "properties": {
            "Name": {"type": "string", "maxLength": 10, "pattern": "^[a-z]+$"},
            "Mode": {"type": "string", "enum": ["ON", "OFF"]},
            "Config": {"$ref": "#/definitions/Config"},
            "Items": {"type": "array", "items": {"type": "string"}},
            "Doc": {"type": ["object", "string"]},
            "Arn": {"type": "string"},
            "Tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
            "Lookbehind": {"type": "string", "pattern": "^a(?<!b)$"}
        },
        "definitions": {
            "Config": {
                "type": "object",
                "properties": {"Size": {"type": "integer", "minimum": 1}, "Next": {"$ref": "#/definitions/Config"}},
                "required": ["Size"]
            },
            "Tag": {"type": "object", "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}}, "required": ["Key", "Value"]}
        },
        "required": ["Name"],
        "readOnlyProperties": ["/properties/Arn"],
        "createOnlyProperties": ["/properties/Name"],
        "tagging": {"taggable": true, "tagProperty": "/properties/Tags"}
    });
    let r = build_resource("AWS::Demo::Thing", &schema, &mut HashMap::new());
    assert_eq!(r.class, "CfnThing");
    let ty = |name: &str| r.props.iter().find(|f| f.cfn == name).map(|f| f.ty.clone());
    assert_eq!(ty("Name"), Some(Ty::Str));
    assert_eq!(ty("Mode"), Some(Ty::Enum("Mode".into())));
    assert_eq!(ty("Config"), Some(Ty::Struct("ConfigProperty".into())));
    assert_eq!(ty("Items"), Some(Ty::StrList));
    assert_eq!(ty("Doc"), Some(Ty::Value));
    assert_eq!(ty("Tags"), Some(Ty::Vec(Box::new(Ty::Tag))));
    assert_eq!(ty("Arn"), None, "read-only properties are attributes");
    assert!(r
        .props
        .iter()
        .find(|f| f.cfn == "Name")
        .is_some_and(|f| f.required));
    assert_eq!(r.attrs[0].method, "attr_arn");
    assert_eq!(r.create_only, ["Name"]);
    assert_eq!(r.tagging, Some(("Tags".into(), "Standard")));
    // The recursive definition is boxed.
    let config = &r.structs[0];
    let next = config
        .fields
        .iter()
        .find(|f| f.cfn == "Next")
        .map(|f| &f.ty);
    assert_eq!(
        next,
        Some(&Ty::Boxed(Box::new(Ty::Struct("ConfigProperty".into()))))
    );
    // The lookbehind pattern is left out of validation.
    assert_eq!(r.skipped_patterns, 1);
    assert!(r.root_check.is_some());
}
