//! Synthesis of multi-stack apps: cross-stack references, the stack graph, manifest and asset
//! manifests, determinism, atomicity and the errors a user can run into.

mod common;

use std::rc::Rc;

use cdk_core::{
    App, AppProps, Aspect, Aspects, CfnElement, CfnOutput, CfnOutputProps, CfnResource,
    CfnResourceProps, DefaultStackSynthesizer, Environment, Error, IConstruct, Node, RemovalPolicy,
    Stack, StackProps, TagProps, TagType, Tags, Value,
};
use serde_json::json;

fn bucket(scope: &impl IConstruct, id: &str) -> CfnResource {
    let b = CfnResource::new(
        scope,
        id,
        CfnResourceProps {
            resource_type: "AWS::S3::Bucket".into(),
            ..Default::default()
        },
    );
    b.enable_tags(TagType::Standard, "Tags");
    b
}

fn table(scope: &impl IConstruct, id: &str) -> CfnResource {
    let t = CfnResource::new(
        scope,
        id,
        CfnResourceProps {
            resource_type: "AWS::DynamoDB::Table".into(),
            properties: [
                (
                    "KeySchema".to_string(),
                    Value::list([Value::object([
                        ("AttributeName", "id"),
                        ("KeyType", "HASH"),
                    ])]),
                ),
                (
                    "AttributeDefinitions".to_string(),
                    Value::list([Value::object([
                        ("AttributeName", "id"),
                        ("AttributeType", "S"),
                    ])]),
                ),
                ("BillingMode".to_string(), Value::from("PAY_PER_REQUEST")),
            ]
            .into(),
        },
    );
    t.enable_tags(TagType::Standard, "Tags");
    t
}

fn parameter(scope: &impl IConstruct, id: &str, value: Value) -> CfnResource {
    CfnResource::new(
        scope,
        id,
        CfnResourceProps {
            resource_type: "AWS::SSM::Parameter".into(),
            properties: [
                ("Type".to_string(), Value::from("String")),
                ("Value".to_string(), value),
            ]
            .into(),
        },
    )
}

fn env() -> Option<Environment> {
    Some(Environment::new("111111111111", "us-east-1"))
}

/// Producer (bucket + table) ← Consumer (imports both) ← Leaf (explicit dependency).
fn three_stack_app(app: &App) {
    let producer = Stack::new(
        app,
        "ProducingStack",
        StackProps {
            env: env(),
            ..Default::default()
        },
    );
    // Shaped like L2 constructs: the CloudFormation resource is the child "Resource".
    let b = bucket(&Node::new(&producer, "MyBucket"), "Resource");
    let t = table(&Node::new(&producer, "Table"), "Resource");
    let consumer = Stack::new(
        app,
        "ConsumingStack",
        StackProps {
            env: env(),
            ..Default::default()
        },
    );
    parameter(&consumer, "TableName", t.ref_().into());
    parameter(&consumer, "BucketArn", b.get_att("Arn").into());
    parameter(&consumer, "BucketArnAgain", b.get_att("Arn").into());
    CfnOutput::new(
        &consumer,
        "Out",
        CfnOutputProps {
            value: t.ref_(),
            ..Default::default()
        },
    );
    let leaf = Stack::new(
        app,
        "LeafStack",
        StackProps {
            env: env(),
            ..Default::default()
        },
    );
    parameter(&leaf, "Plain", "x".into());
    leaf.add_dependency(&consumer, "leaf runs after the consumer");
}

#[test]
fn cross_stack_references_become_exports_imports_and_dependencies() {
    let app = App::new();
    three_stack_app(&app);
    let (_d, assembly) = common::synth(&app);
    let names: Vec<&str> = assembly
        .stacks
        .iter()
        .map(|s| s.artifact_id.as_str())
        .collect();
    assert_eq!(names, ["ProducingStack", "ConsumingStack", "LeafStack"]);

    let producer = &assembly.stack("ProducingStack").unwrap().template;
    assert_eq!(
        producer["Outputs"]["ExportsOutputRefTableCD117FA1D18A8047"],
        json!({"Value": {"Ref": "TableCD117FA1"}, "Export": {"Name": "ProducingStack:ExportsOutputRefTableCD117FA1D18A8047"}})
    );
    assert_eq!(
        producer["Outputs"]["ExportsOutputFnGetAttMyBucketF68F3FF0Arn0F7E8E58"]["Value"],
        json!({"Fn::GetAtt": ["MyBucketF68F3FF0", "Arn"]})
    );
    assert_eq!(
        producer["Outputs"].as_object().unwrap().len(),
        2,
        "one export per value"
    );

    let consumer = &assembly.stack("ConsumingStack").unwrap().template;
    assert_eq!(
        consumer["Resources"]["TableName"]["Properties"]["Value"],
        json!({"Fn::ImportValue": "ProducingStack:ExportsOutputRefTableCD117FA1D18A8047"})
    );
    assert_eq!(
        consumer["Resources"]["BucketArnAgain"]["Properties"]["Value"],
        json!({"Fn::ImportValue": "ProducingStack:ExportsOutputFnGetAttMyBucketF68F3FF0Arn0F7E8E58"})
    );

    let manifest = common::read_json(&assembly.directory.join("manifest.json"));
    let artifacts = &manifest["artifacts"];
    assert_eq!(
        artifacts["ConsumingStack"]["dependencies"],
        json!(["ProducingStack", "ConsumingStack.assets"])
    );
    assert_eq!(
        artifacts["LeafStack"]["dependencies"],
        json!(["ConsumingStack", "LeafStack.assets"])
    );
    assert_eq!(
        artifacts["ProducingStack"]["dependencies"],
        json!(["ProducingStack.assets"])
    );
    assert_eq!(
        artifacts["ProducingStack"]["metadata"]
            ["/ProducingStack/Exports/Output{\"Ref\":\"TableCD117FA1\"}"],
        json!([{"type": "aws:cdk:logicalId", "data": "ExportsOutputRefTableCD117FA1D18A8047"}])
    );
    common::validate_assembly(&assembly.directory, true);
}

#[test]
fn manifest_and_asset_manifest_follow_the_default_synthesizer() {
    let app = App::new();
    let agnostic = Stack::new(&app, "Agnostic", StackProps::default());
    bucket(&agnostic, "B");
    let pinned = Stack::new(
        &app,
        "Pinned",
        StackProps {
            env: env(),
            stack_name: Some("pinned-stack-name".into()),
            termination_protection: true,
            synthesizer: Some(DefaultStackSynthesizer::with_qualifier("custom1")),
            ..Default::default()
        },
    );
    bucket(&pinned, "B");
    let (_d, assembly) = common::synth(&app);
    let dir = &assembly.directory;
    let manifest = common::read_json(&dir.join("manifest.json"));
    assert_eq!(manifest["version"], "55.0.0");
    assert_eq!(
        common::read_json(&dir.join("cdk.out")),
        json!({"version": "55.0.0"})
    );
    let a = &manifest["artifacts"]["Agnostic"];
    assert_eq!(a["type"], "aws:cloudformation:stack");
    assert_eq!(a["environment"], "aws://unknown-account/unknown-region");
    assert_eq!(a["displayName"], "Agnostic");
    let props = &a["properties"];
    assert_eq!(props["templateFile"], "Agnostic.template.json");
    assert_eq!(
        props["assumeRoleArn"],
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-deploy-role-${AWS::AccountId}-${AWS::Region}"
    );
    assert_eq!(
        props["cloudFormationExecutionRoleArn"],
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}"
    );
    assert_eq!(props["requiresBootstrapStackVersion"], 6);
    assert_eq!(
        props["bootstrapStackVersionSsmParameter"],
        "/cdk-bootstrap/hnb659fds/version"
    );
    assert_eq!(props["lookupRole"]["requiresBootstrapStackVersion"], 8);
    assert!(props.get("stackName").is_none());

    let template_bytes = std::fs::read(dir.join("Agnostic.template.json")).unwrap();
    let hash = sha256_hex(&template_bytes);
    assert_eq!(
        props["stackTemplateAssetObjectUrl"],
        format!("s3://cdk-hnb659fds-assets-${{AWS::AccountId}}-${{AWS::Region}}/{hash}.json")
    );
    let assets = common::read_json(&dir.join("Agnostic.assets.json"));
    let entry = &assets["files"][&hash];
    assert_eq!(
        entry["source"],
        json!({"path": "Agnostic.template.json", "packaging": "file"})
    );
    // aws-cdk-lib's key: the environment and 8 hex digits of the destination's SHA-256.
    let destinations = entry["destinations"].as_object().unwrap();
    let (key, destination) = destinations.iter().next().unwrap();
    assert_eq!(destinations.len(), 1);
    assert_eq!(
        key,
        &format!(
            "current_account-current_region-{}",
            &sha256_hex(destination.to_string().as_bytes())[..8]
        )
    );
    assert_eq!(
        destination,
        &json!({
            "bucketName": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}",
            "objectKey": format!("{hash}.json"),
            "assumeRoleArn": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-file-publishing-role-${AWS::AccountId}-${AWS::Region}"
        })
    );

    let p = &manifest["artifacts"]["Pinned"];
    assert_eq!(p["environment"], "aws://111111111111/us-east-1");
    assert_eq!(p["properties"]["stackName"], "pinned-stack-name");
    assert_eq!(p["properties"]["terminationProtection"], true);
    assert_eq!(
        p["properties"]["assumeRoleArn"],
        "arn:${AWS::Partition}:iam::111111111111:role/cdk-custom1-deploy-role-111111111111-us-east-1"
    );
    let pinned_assets = common::read_json(&dir.join("Pinned.assets.json"));
    let dest = pinned_assets["files"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()["destinations"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.starts_with("111111111111-us-east-1-"))
        .expect("the pinned environment's destination")
        .1
        .clone();
    assert_eq!(
        dest["bucketName"],
        "cdk-custom1-assets-111111111111-us-east-1"
    );
    assert_eq!(dest["region"], "us-east-1");
    let template = &assembly.stack("Pinned").unwrap().template;
    assert_eq!(
        template["Parameters"]["BootstrapVersion"]["Default"],
        "/cdk-bootstrap/custom1/version"
    );
    assert!(template["Rules"]["CheckBootstrapVersion"]["Assertions"].is_array());
    common::validate_assembly(dir, true);
}

fn sha256_hex(bytes: &[u8]) -> String {
    // The test computes the hash with the system tool to stay independent of the library.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("sha256sum")
        .arg(&file)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn dependency_cycles_name_every_edge() {
    let app = App::new();
    let a = Stack::new(
        &app,
        "A",
        StackProps {
            env: env(),
            ..Default::default()
        },
    );
    let b = Stack::new(
        &app,
        "B",
        StackProps {
            env: env(),
            ..Default::default()
        },
    );
    let c = Stack::new(
        &app,
        "C",
        StackProps {
            env: env(),
            ..Default::default()
        },
    );
    let in_a = bucket(&a, "InA");
    let in_b = bucket(&b, "InB");
    parameter(&b, "UsesA", in_a.ref_().into());
    c.add_dependency(&b, "c after b");
    parameter(&a, "UsesB", in_b.ref_().into());
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("out")).unwrap_err();
    let Error::DependencyCycle { cycle } = &err else {
        panic!("expected a cycle, got {err}")
    };
    assert_eq!(
        cycle,
        "A -> B (A/UsesB references B/InB) -> A (B/UsesA references A/InA)"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn duplicate_logical_ids_name_both_paths() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    let group = Node::new(&s, "Group");
    bucket(&group, "Resource"); // logical ID "Group" + hash
    let plain = bucket(&s, "Other");
    let first = bucket(&s, "First");
    first.override_logical_id("Taken");
    plain.override_logical_id("Taken");
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("out")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "duplicate logical ID 'Taken' in stack 'S': 'S/Other' and 'S/First'"
    );
}

#[test]
fn references_across_accounts_are_weak_reads_through_a_producer_role() {
    let app = App::new();
    let tools = Stack::new(
        &app,
        "Tools",
        StackProps {
            env: env(),
            ..Default::default()
        },
    );
    let prod = Stack::new(
        &app,
        "Prod",
        StackProps {
            env: Some(Environment::new("222222222222", "us-east-1")),
            ..Default::default()
        },
    );
    let b = bucket(&tools, "Artifacts");
    bucket(&prod, "Own");
    parameter(&prod, "Uses", b.get_att("Arn").into());
    let dir = tempfile::tempdir().unwrap();
    let assembly = app.synth_to(dir.path().join("out")).unwrap();
    let read = &assembly.stack("Prod").unwrap().template["Resources"]["Uses"]["Properties"]
        ["Value"]["Fn::GetStackOutput"];
    assert_eq!(read["StackName"], "Tools");
    assert_eq!(read["Region"], "us-east-1");
    let output = read["OutputName"].as_str().unwrap();
    assert!(
        output.starts_with("PublishOutputFnGetAttArtifactsArn"),
        "{output}"
    );
    let tools = &assembly.stack("Tools").unwrap().template;
    let role_name = tools["Resources"]["PublishGetStackOutputRoleF953C5C7"]["Properties"]
        ["RoleName"]
        .as_str()
        .unwrap();
    assert!(
        role_name.starts_with("ToolsPublishGetStackOutputRole"),
        "{role_name}"
    );
    assert_eq!(
        read["RoleArn"]["Fn::Join"][1][2],
        format!(":iam::111111111111:role/{role_name}")
    );
    assert_eq!(
        tools["Resources"]["PublishGetStackOutputRoleF953C5C7"]["Properties"]
            ["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"]["Fn::Sub"],
        "arn:${AWS::Partition}:iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-us-east-1"
    );
    assert!(tools["Outputs"][output].get("Export").is_none());
    // Stacks of different accounts deploy with different credentials: no dependency.
    assert!(assembly
        .stack("Prod")
        .unwrap()
        .dependencies
        .iter()
        .all(|d| d.ends_with(".assets")));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for i in 0..2 {
        let app = App::new();
        three_stack_app(&app);
        Tags::of(&app).add("team", "core");
        let out = dir.path().join(format!("run{i}"));
        app.synth_to(&out).unwrap();
        runs.push(common::read_assembly_files(&out));
    }
    assert_eq!(
        runs[0].keys().collect::<Vec<_>>(),
        runs[1].keys().collect::<Vec<_>>()
    );
    assert!(runs[0].len() >= 9);
    assert_eq!(runs[0], runs[1]);
    // Synthesizing the same app twice gives the same bytes too.
    let app = App::new();
    three_stack_app(&app);
    let a = dir.path().join("again-a");
    let b = dir.path().join("again-b");
    app.synth_to(&a).unwrap();
    app.synth_to(&b).unwrap();
    assert_eq!(
        common::read_assembly_files(&a),
        common::read_assembly_files(&b)
    );
}

#[test]
fn a_failed_synth_leaves_the_previous_assembly_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let good = App::new();
    three_stack_app(&good);
    good.synth_to(&out).unwrap();
    let before = common::read_assembly_files(&out);

    let bad = App::new();
    three_stack_app(&bad);
    Node::new(&bad, "ProducingStack"); // duplicate ID
    assert!(bad.synth_to(&out).is_err());
    assert_eq!(common::read_assembly_files(&out), before);
    // No temporary directories are left behind either.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("cdk.out")]);

    // A successful synth replaces it completely.
    let smaller = App::new();
    bucket(
        &Stack::new(&smaller, "Only", StackProps::default()),
        "Bucket",
    );
    smaller.synth_to(&out).unwrap();
    assert!(!out.join("ProducingStack.template.json").exists());
    assert!(out.join("Only.template.json").exists());
}

#[test]
fn tags_respect_priority_and_resource_type_filters() {
    let app = App::new();
    let stack = Stack::new(
        &app,
        "Tagged",
        StackProps {
            tags: [("owner".to_string(), "me".to_string())].into(),
            ..Default::default()
        },
    );
    let b = bucket(&stack, "B");
    b.set_property(
        "Tags",
        Value::list([Value::object([("Key", "initial"), ("Value", "kept")])]),
    );
    let t = table(&stack, "T");
    let untaggable = CfnResource::new(
        &stack,
        "NoTags",
        CfnResourceProps {
            resource_type: "AWS::S3::BucketPolicy".into(),
            ..Default::default()
        },
    );
    let _ = (t, untaggable);
    Tags::of(&app).add("team", "core");
    Tags::of(&stack).add_with(
        "team",
        "low-priority-loses",
        TagProps {
            priority: Some(10),
            ..Default::default()
        },
    );
    Tags::of(&stack).add_with(
        "bucket-only",
        "yes",
        TagProps {
            include_resource_types: vec!["AWS::S3::Bucket".into()],
            ..Default::default()
        },
    );
    Tags::of(&stack).add_with(
        "no-tables",
        "yes",
        TagProps {
            exclude_resource_types: vec!["AWS::DynamoDB::Table".into()],
            ..Default::default()
        },
    );
    Tags::of(&app).add("removed", "x");
    Tags::of(&stack).remove("removed");
    let (_d, assembly) = common::synth(&app);
    let t = &assembly.stack("Tagged").unwrap().template["Resources"];
    assert_eq!(
        t["B"]["Properties"]["Tags"],
        json!([
            {"Key": "bucket-only", "Value": "yes"},
            {"Key": "initial", "Value": "kept"},
            {"Key": "no-tables", "Value": "yes"},
            {"Key": "team", "Value": "core"}
        ])
    );
    assert_eq!(
        t["T"]["Properties"]["Tags"],
        json!([{"Key": "team", "Value": "core"}])
    );
    assert!(t["NoTags"].get("Properties").is_none());
    let manifest = common::read_json(&assembly.directory.join("manifest.json"));
    let artifact = &manifest["artifacts"]["Tagged"];
    assert_eq!(
        artifact["properties"]["tags"],
        json!({"no-tables": "yes", "owner": "me", "team": "core"})
    );
    assert_eq!(
        artifact["metadata"]["/Tagged"],
        json!([{"type": "aws:cdk:stack-tags", "data": [
            {"Key": "no-tables", "Value": "yes"}, {"Key": "owner", "Value": "me"}, {"Key": "team", "Value": "core"}
        ]}])
    );
}

struct AddAuditParameter;
impl Aspect for AddAuditParameter {
    fn visit(&self, node: &Node) {
        if let Some(stack) = Stack::from_node(node) {
            if stack.node().try_find_child("Audit").is_none() {
                parameter(&stack, "Audit", "audited".into());
            }
        }
    }
}

struct CountVisits(std::cell::Cell<usize>);
impl Aspect for CountVisits {
    fn visit(&self, _node: &Node) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn aspects_visit_everything_including_what_they_add() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    bucket(&s, "B");
    let counter = Rc::new(CountVisits(std::cell::Cell::new(0)));
    Aspects::of(&app).add(Rc::new(AddAuditParameter));
    Aspects::of(&app).add(counter.clone());
    let (_d, assembly) = common::synth(&app);
    assert_eq!(
        assembly.stack("S").unwrap().template["Resources"]["Audit"]["Properties"]["Value"],
        "audited"
    );
    // App, S, S/B and the added S/Audit: each visited exactly once.
    assert_eq!(counter.0.get(), 4);
}

#[test]
fn path_metadata_only_when_the_context_enables_it() {
    for (context, expected) in [
        (None, None),
        (Some(json!(true)), Some("S/B")),
        (Some(json!(false)), None),
    ] {
        let app = App::with_props(AppProps {
            context: context
                .map(|v| [("aws:cdk:enable-path-metadata".to_string(), v)].into())
                .unwrap_or_default(),
            ..Default::default()
        });
        let s = Stack::new(&app, "S", StackProps::default());
        bucket(&s, "B");
        let (_d, assembly) = common::synth(&app);
        let r = &assembly.stack("S").unwrap().template["Resources"]["B"];
        assert_eq!(r["Metadata"]["aws:cdk:path"].as_str(), expected);
        if expected.is_none() {
            assert!(r.get("Metadata").is_none(), "{r}");
        }
    }
}

#[test]
fn depends_on_is_sorted_by_path_like_javascripts_locale_compare() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    let source = bucket(&s, "Source");
    let names = ["role_2", "Role-3", "Role4", "Role", "ab", "aB"];
    for name in names {
        source.add_depends_on(&bucket(&s, name));
    }
    let (_d, assembly) = common::synth(&app);
    let r = &assembly.stack("S").unwrap().template["Resources"]["Source"];
    // JavaScript: ["S/ab", "S/aB", "S/Role", "S/role_2", "S/Role-3", "S/Role4"] by localeCompare.
    assert_eq!(
        r["DependsOn"],
        json!(["ab", "aB", "Role", "role2", "Role3", "Role4"])
    );
}

#[test]
fn resources_that_decide_not_to_synthesize_are_left_out() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    let kept = bucket(&s, "Kept");
    let dropped = bucket(&s, "Dropped");
    dropped.set_should_synthesize(|| false);
    kept.add_depends_on(&dropped);
    let (_d, assembly) = common::synth(&app);
    let resources = &assembly.stack("S").unwrap().template["Resources"];
    assert!(resources.get("Dropped").is_none());
    assert!(resources["Kept"].get("DependsOn").is_none());
}

#[test]
fn overrides_policies_and_dependencies_render_like_aws_cdk() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    let b = bucket(&Node::new(&s, "Bucket"), "Resource");
    b.set_property("BucketName", "name");
    b.add_property_override("VersioningConfiguration.Status", "Enabled");
    b.add_override(
        "Properties.Tags",
        Value::list([Value::object([("Key", "a"), ("Value", "b")])]),
    );
    b.add_override("Properties.Dotted\\.Key", "x");
    b.add_property_deletion_override("BucketName");
    b.add_deletion_override("Properties.Missing.Deep");
    b.apply_removal_policy(RemovalPolicy::Retain);
    b.add_cfn_metadata("extra", "meta");
    let z = bucket(&s, "Zed");
    let a = bucket(&s, "alpha");
    let group = Node::new(&s, "Group");
    let in_group = bucket(&group, "Inner");
    b.add_depends_on(&z);
    b.add_depends_on(&a);
    b.node().add_dependency(&group);
    let _ = in_group;
    let (_d, assembly) = common::synth(&app);
    let r = &assembly.stack("S").unwrap().template["Resources"]["Bucket83908E77"];
    assert_eq!(
        r,
        &json!({
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "VersioningConfiguration": {"Status": "Enabled"},
                "Tags": [{"Key": "a", "Value": "b"}],
                "Dotted.Key": "x"
            },
            "DependsOn": ["alpha9B3B3FA1", "GroupInner1A5F8C8B", "ZedB8FE7E5C"],
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "Retain",
            // No `aws:cdk:path`: the context does not enable path metadata.
            "Metadata": {"extra": "meta"}
        })
        .as_object()
        .map(|o| {
            // Only compare what this test controls; logical IDs are computed by the library.
            let mut o = o.clone();
            o.insert("DependsOn".into(), r["DependsOn"].clone());
            serde_json::Value::Object(o)
        })
        .unwrap()
    );
    let order: Vec<&str> = r["DependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(order.len(), 3);
    assert!(
        order[0].starts_with("alpha")
            && order[1].starts_with("GroupInner")
            && order[2].starts_with("Zed"),
        "{order:?}"
    );
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "Type",
            "Properties",
            "DependsOn",
            "UpdateReplacePolicy",
            "DeletionPolicy",
            "Metadata"
        ]
    );
}

#[test]
fn dependencies_across_stacks_become_stack_dependencies() {
    let app = App::new();
    let a = Stack::new(&app, "A", StackProps::default());
    let b = Stack::new(&app, "B", StackProps::default());
    let in_a = bucket(&a, "InA");
    let in_b = bucket(&b, "InB");
    in_a.add_depends_on(&in_b);
    let (_d, assembly) = common::synth(&app);
    assert_eq!(assembly.stacks[0].artifact_id, "B");
    assert_eq!(
        assembly.stack("A").unwrap().dependencies,
        vec!["B".to_string()]
    );
    assert!(assembly.stack("A").unwrap().template["Resources"]["InA"]
        .get("DependsOn")
        .is_none());
}

#[test]
fn invalid_stack_names_and_misplaced_elements_are_reported_together() {
    let app = App::with_props(AppProps::default());
    bucket(&Stack::new(&app, "1bad", StackProps::default()), "Bucket");
    let good = Stack::new(
        &app,
        "Good",
        StackProps {
            stack_name: Some("has space".into()),
            ..Default::default()
        },
    );
    bucket(&good, "Bucket");
    bucket(&app, "Orphan");
    let dir = tempfile::tempdir().unwrap();
    let Error::Validation(errors) = app.synth_to(dir.path().join("o")).unwrap_err() else {
        panic!("expected validation errors")
    };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(
        text[0].starts_with("[1bad] invalid stack name '1bad'"),
        "{text:?}"
    );
    assert!(
        text[1].starts_with("[Good] invalid stack name 'has space'"),
        "{text:?}"
    );
    assert_eq!(
        text[2],
        "[Orphan] CloudFormation elements must be defined inside a Stack"
    );
}

#[test]
fn tree_json_describes_constructs_and_resource_properties() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    let b = bucket(&s, "B");
    b.set_property("BucketName", "n");
    let (_d, assembly) = common::synth(&app);
    let tree = common::read_json(&assembly.directory.join("tree.json"));
    assert_eq!(tree["version"], "tree-0.1");
    assert_eq!(tree["tree"]["id"], "App");
    let node = &tree["tree"]["children"]["S"]["children"]["B"];
    assert_eq!(node["path"], "S/B");
    assert_eq!(
        node["attributes"]["aws:cdk:cloudformation:type"],
        "AWS::S3::Bucket"
    );
    assert_eq!(
        node["attributes"]["aws:cdk:cloudformation:props"],
        json!({"BucketName": "n"})
    );
    assert_eq!(node["constructInfo"]["fqn"], "cdk-core.CfnResource");
}

#[test]
fn string_lists_cross_stacks_joined_and_split() {
    let app = App::new();
    let producer = Stack::new(&app, "Producer", StackProps::default());
    let consumer = Stack::new(&app, "Consumer", StackProps::default());
    let api = CfnResource::new(
        &Node::new(&producer, "Domain"),
        "Resource",
        CfnResourceProps {
            resource_type: "AWS::ApiGateway::DomainName".into(),
            properties: [("DomainName".to_string(), Value::from("api.example.com"))].into(),
        },
    );
    let list_param = cdk_core::CfnParameter::new(
        &producer,
        "Subnets",
        cdk_core::CfnParameterProps {
            parameter_type: Some("CommaDelimitedList".into()),
            ..Default::default()
        },
    );
    let user = parameter(&consumer, "User", "x".into());
    user.set_property(
        "AllowedPattern",
        cdk_core::fns::select(0, api.get_att_list("Endpoints")),
    );
    user.set_property(
        "Description",
        cdk_core::fns::join(",", list_param.value_as_list()),
    );
    let (_d, assembly) = common::synth(&app);
    let domain_id = cdk_core::logical_id::make_unique_id(&["Domain", "Resource"]);
    let local = json!({"Fn::GetAtt": [domain_id, "Endpoints"]});
    let output_id =
        cdk_core::logical_id::make_unique_id(&["Exports".to_string(), format!("Output{local}")]);
    let outputs = &assembly.stack("Producer").unwrap().template["Outputs"];
    assert_eq!(
        outputs[&output_id]["Value"],
        json!({"Fn::Join": ["||", local]}),
        "{outputs:#}"
    );
    let props = &assembly.stack("Consumer").unwrap().template["Resources"]["User"]["Properties"];
    assert_eq!(
        props["AllowedPattern"],
        json!({"Fn::Select": [0, {"Fn::Split": ["||", {"Fn::ImportValue": format!("Producer:{output_id}")}]}]})
    );
    let subnets_export = outputs
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.starts_with("ExportsOutputRefSubnets"))
        .expect("list parameter exported");
    assert_eq!(
        subnets_export.1["Value"],
        json!({"Fn::Join": ["||", {"Ref": "Subnets"}]})
    );
    assert_eq!(
        props["Description"],
        json!({"Fn::Join": [",", {"Fn::Split": ["||", {"Fn::ImportValue": format!("Producer:{}", subnets_export.0)}]}]})
    );
}

#[test]
fn logical_ids_are_plain_strings_in_any_stack() {
    let app = App::new();
    let application = Stack::new(&app, "Application", StackProps::default());
    let pipeline = Stack::new(&app, "Pipeline", StackProps::default());
    let code_bucket = cdk_core::CfnParameter::new(
        &Node::new(&application, "Lambda"),
        "LambdaSourceBucketNameParameter",
        cdk_core::CfnParameterProps::default(),
    );
    let overrides = cdk_core::Str::from("{\"") + code_bucket.logical_id() + "\":\"x\"}";
    parameter(&pipeline, "Overrides", overrides.into());
    bucket(&application, "Bucket");
    let (_d, assembly) = common::synth(&app);
    let expected =
        cdk_core::logical_id::make_unique_id(&["Lambda", "LambdaSourceBucketNameParameter"]);
    assert_eq!(
        assembly.stack("Pipeline").unwrap().template["Resources"]["Overrides"]["Properties"]
            ["Value"],
        json!(format!("{{\"{expected}\":\"x\"}}"))
    );
    // A logical ID carries no deployment-order dependency.
    assert!(assembly.stack("Pipeline").unwrap().dependencies.is_empty());
}

#[test]
fn property_validations_check_the_final_properties() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    let b = bucket(&s, "B");
    b.set_property("BucketName", "ok-name");
    b.add_property_validation(
        |props| match props.as_map().and_then(|m| m.get("BucketName")) {
            Some(v) if v.as_str().is_some_and(|n| n.contains('_')) => {
                vec![format!(
                    "BucketName: '{}' has an underscore",
                    v.as_str().unwrap_or_default()
                )]
            }
            _ => Vec::new(),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    assert!(app.synth_to(dir.path().join("ok")).is_ok());
    b.set_property("BucketName", "bad_name");
    let Error::Validation(errors) = app.synth_to(dir.path().join("bad")).unwrap_err() else {
        panic!("expected validation errors")
    };
    assert_eq!(
        errors[0].to_string(),
        "[S/B] BucketName: 'bad_name' has an underscore"
    );
}

#[test]
fn custom_deploy_and_execution_roles_go_to_the_manifest() {
    let app = App::new();
    let stack = Stack::new(
        &app,
        "Service",
        StackProps {
            env: Some(Environment::new("222222222222", "eu-west-1")),
            synthesizer: Some(DefaultStackSynthesizer {
                deploy_role_arn: Some(
                    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/DeployFromTools".into(),
                ),
                cloud_formation_execution_role: Some(
                    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Qualifier}-exec".into(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    bucket(&stack, "Bucket");
    let (_d, assembly) = common::synth(&app);
    let manifest = common::read_json(&assembly.directory.join("manifest.json"));
    let props = &manifest["artifacts"]["Service"]["properties"];
    assert_eq!(
        props["assumeRoleArn"],
        "arn:${AWS::Partition}:iam::222222222222:role/DeployFromTools"
    );
    assert_eq!(
        props["cloudFormationExecutionRoleArn"],
        "arn:${AWS::Partition}:iam::222222222222:role/hnb659fds-exec"
    );
    // The asset publishing role is still the bootstrap one.
    assert!(props["lookupRole"]["arn"]
        .as_str()
        .unwrap()
        .contains("cdk-hnb659fds-lookup-role"));
}

#[test]
fn aspects_apply_once_even_when_the_app_is_synthesized_twice() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    bucket(&s, "B");
    let counter = Rc::new(CountVisits(std::cell::Cell::new(0)));
    Aspects::of(&app).add(Rc::new(AddAuditParameter));
    Aspects::of(&app).add(counter.clone());
    let dir = tempfile::tempdir().unwrap();
    app.synth_to(dir.path().join("one")).expect("first synth");
    let after_first = counter.0.get();
    let second = app
        .synth_to(dir.path().join("two"))
        .expect("second synth adds nothing twice");
    // Only the two constructs the first synth added (BootstrapVersion, CheckBootstrapVersion)
    // are new to the aspects; nothing is visited twice.
    assert_eq!(counter.0.get(), after_first + 2);
    assert!(second.stack("S").unwrap().template["Resources"]["Audit"].is_object());
}

#[test]
fn invalid_environments_are_reported_with_the_stack_path() {
    let app = App::new();
    let bad = Stack::new(
        &app,
        "Bad",
        StackProps {
            env: Some(Environment::new("12345", "US East")),
            ..Default::default()
        },
    );
    bucket(&bad, "Bucket");
    let dir = tempfile::tempdir().unwrap();
    let Error::Validation(errors) = app.synth_to(dir.path().join("o")).unwrap_err() else {
        panic!("expected validation errors")
    };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        ["[Bad] invalid region 'US East': expected a region name such as us-east-1"]
    );
}

/// aws-cdk-lib accepts any account string (aws-cdk's integ runner uses `12345678`): an account
/// that is not 12 digits is a warning on the stack, and synthesis succeeds.
#[test]
fn short_account_ids_are_a_warning_not_an_error() {
    let app = App::new();
    let stack = Stack::new(
        &app,
        "Short",
        StackProps {
            env: Some(Environment::new("12345678", "us-east-1")),
            ..Default::default()
        },
    );
    bucket(&stack, "Bucket");
    let warnings: Vec<_> = stack
        .node()
        .metadata()
        .into_iter()
        .filter(|m| m.kind == "aws:cdk:warning")
        .map(|m| m.data.to_string())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("'12345678' is not an AWS account ID"),
        "{warnings:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    app.synth_to(dir.path().join("o")).unwrap();
}
