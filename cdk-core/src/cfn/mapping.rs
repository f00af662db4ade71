use std::collections::BTreeMap;

use super::{new_element, CfnElement, ElementKind};
use crate::construct::{IConstruct, Node};
use crate::token::{RefKind, Reference, Str, Value};

/// A two-level lookup table (`Mappings` section), read with `Fn::FindInMap`.
///
/// ```
/// use std::collections::BTreeMap;
/// use cdk_core::{App, CfnMapping, Stack, StackProps, Value, Aws};
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let amis = CfnMapping::new(&stack, "Ami", BTreeMap::from([
///     ("us-east-1".to_string(), BTreeMap::from([("ami".to_string(), Value::from("ami-1"))])),
/// ]));
/// let ami = amis.find_in_map(Aws::REGION, "ami");
/// assert!(ami.is_token());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CfnMapping {
    node: Node,
}

impl IConstruct for CfnMapping {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl CfnElement for CfnMapping {}

impl CfnMapping {
    /// Defines mapping `id` under `scope`.
    pub fn new(
        scope: &impl IConstruct,
        id: &str,
        mapping: BTreeMap<String, BTreeMap<String, Value>>,
    ) -> Self {
        let body = vec![(String::new(), Value::from(mapping))];
        let node = new_element(
            scope,
            id,
            ElementKind::Other {
                section: "Mappings",
                body,
            },
        );
        node.set_construct_info("cdk-core.CfnMapping");
        CfnMapping { node }
    }

    /// `Fn::FindInMap` with this mapping.
    pub fn find_in_map(
        &self,
        top_level_key: impl Into<Str>,
        second_level_key: impl Into<Str>,
    ) -> Str {
        Str::from_value(Value::intrinsic(
            "Fn::FindInMap",
            Value::List(vec![
                Value::Ref(Reference::new(&self.node, RefKind::LogicalId)),
                top_level_key.into().into(),
                second_level_key.into().into(),
            ]),
        ))
    }
}
