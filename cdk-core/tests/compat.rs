//! Logical IDs and construct addresses against aws-cdk-lib's own test vectors.

mod common;

use cdk_core::logical_id::{construct_addr, make_unique_id};
use cdk_core::{App, CfnResource, CfnResourceProps, IConstruct, Node, Stack, StackProps};

#[test]
fn every_logical_id_vector_matches() {
    let doc = common::read_json(&common::shared_dir().join("compat/logical-id-vectors.json"));
    let vectors = doc["vectors"].as_array().expect("vectors");
    assert!(vectors.len() >= 10, "expected the full vector set");
    for v in vectors {
        let components: Vec<String> = v["components"]
            .as_array()
            .expect("components")
            .iter()
            .map(|c| c.as_str().expect("string").to_string())
            .collect();
        assert_eq!(
            make_unique_id(&components),
            v["logicalId"].as_str().expect("logicalId"),
            "components {components:?}"
        );
    }
}

#[test]
fn every_construct_addr_vector_matches() {
    let doc = common::read_json(&common::shared_dir().join("compat/construct-addr-vectors.json"));
    let vectors = doc["vectors"].as_array().expect("vectors");
    assert!(!vectors.is_empty());
    for v in vectors {
        let path: Vec<&str> = v["path"]
            .as_array()
            .expect("path")
            .iter()
            .map(|c| c.as_str().expect("string"))
            .collect();
        assert_eq!(
            construct_addr(&path),
            v["addr"].as_str().expect("addr"),
            "path {path:?}"
        );
    }
}

#[test]
fn node_addr_and_logical_ids_come_from_the_tree() {
    let app = App::new();
    let stack = Stack::new(&app, "Stack", StackProps::default());
    let lambda = Node::new(&stack, "Lambda");
    let role = Node::new(&lambda, "ServiceRole");
    let resource = CfnResource::new(
        &role,
        "Resource",
        CfnResourceProps {
            resource_type: "AWS::IAM::Role".into(),
            ..Default::default()
        },
    );
    assert_eq!(resource.node().path(), "Stack/Lambda/ServiceRole/Resource");
    assert_eq!(
        role.addr(),
        construct_addr(&["Stack", "Lambda", "ServiceRole"])
    );
    let (_dir, assembly) = common::synth(&app);
    let template = &assembly.stack("Stack").expect("stack").template;
    assert!(template["Resources"]["LambdaServiceRoleA8ED4D3B"].is_object());
}
