use super::{new_element, push_opt, Body, CfnElement, ElementKind};
use crate::construct::{IConstruct, Node};
use crate::fns::ConditionExpr;
use crate::token::Value;

/// One assertion of a [`CfnRule`].
#[derive(Clone, Debug)]
pub struct RuleAssertion {
    /// Must hold for the deployment to proceed.
    pub assert: ConditionExpr,
    /// Shown when it does not.
    pub description: String,
}

/// Properties of a [`CfnRule`].
#[derive(Clone, Debug, Default)]
pub struct CfnRuleProps {
    /// The assertions apply only when this holds.
    pub rule_condition: Option<ConditionExpr>,
    /// The assertions.
    pub assertions: Vec<RuleAssertion>,
}

/// A template rule (`Rules` section) that validates parameters before deployment.
#[derive(Clone, Debug, PartialEq)]
pub struct CfnRule {
    node: Node,
}

impl IConstruct for CfnRule {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl CfnElement for CfnRule {}

impl CfnRule {
    /// Defines rule `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: CfnRuleProps) -> Self {
        let mut body: Body = Vec::new();
        push_opt(
            &mut body,
            "RuleCondition",
            props.rule_condition.map(Value::from),
        );
        if !props.assertions.is_empty() {
            body.push((
                "Assertions".into(),
                Value::list(props.assertions.into_iter().map(|a| {
                    Value::object([
                        ("Assert", a.assert.0),
                        ("AssertDescription", Value::from(a.description)),
                    ])
                })),
            ));
        }
        let node = new_element(
            scope,
            id,
            ElementKind::Other {
                section: "Rules",
                body,
            },
        );
        node.set_construct_info("cdk-core.CfnRule");
        CfnRule { node }
    }
}
