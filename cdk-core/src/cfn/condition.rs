use super::{new_element, CfnElement, ElementKind};
use crate::construct::{IConstruct, Node};
use crate::fns::ConditionExpr;

/// A named template condition (`Conditions` section), used by `Fn::If` and resource conditions.
///
/// ```
/// use cdk_core::{fns, App, Aws, CfnCondition, Stack, StackProps};
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let is_us = CfnCondition::new(&stack, "IsUsEast1", fns::equals(Aws::REGION, "us-east-1"));
/// let v = fns::condition_if(&is_us, "yes", "no");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CfnCondition {
    node: Node,
}

impl IConstruct for CfnCondition {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl CfnElement for CfnCondition {}

impl CfnCondition {
    /// Defines condition `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, expression: ConditionExpr) -> Self {
        let node = new_element(
            scope,
            id,
            ElementKind::Other {
                section: "Conditions",
                body: vec![(String::new(), expression.0)],
            },
        );
        node.set_construct_info("cdk-core.CfnCondition");
        CfnCondition { node }
    }

    pub(crate) fn node_ref(&self) -> &Node {
        &self.node
    }
}
