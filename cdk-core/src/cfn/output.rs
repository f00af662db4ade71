use super::{new_element, push_opt, Body, CfnCondition, CfnElement, ElementKind};
use crate::construct::{IConstruct, Node};
use crate::token::{RefKind, Reference, Str, Value};

/// Properties of a [`CfnOutput`].
#[derive(Clone, Debug, Default)]
pub struct CfnOutputProps {
    /// The output's value.
    pub value: Str,
    /// Description.
    pub description: Option<String>,
    /// Export the value under this name for `Fn::ImportValue` in other stacks.
    pub export_name: Option<Str>,
    /// Only create the output when this condition holds.
    pub condition: Option<CfnCondition>,
}

/// A stack output, optionally exported.
///
/// ```
/// use cdk_core::{App, CfnOutput, CfnOutputProps, Stack, StackProps};
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// CfnOutput::new(&stack, "Url", CfnOutputProps {
///     value: "https://example.com".into(),
///     export_name: Some("SiteUrl".into()),
///     ..Default::default()
/// });
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CfnOutput {
    node: Node,
    export_name: Option<Str>,
}

impl IConstruct for CfnOutput {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl CfnElement for CfnOutput {}

impl CfnOutput {
    /// Defines output `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: CfnOutputProps) -> Self {
        let mut body: Body = Vec::new();
        push_opt(&mut body, "Description", props.description.map(Value::from));
        body.push(("Value".into(), props.value.into()));
        push_opt(
            &mut body,
            "Export",
            props
                .export_name
                .clone()
                .map(|name| Value::object([("Name", name)])),
        );
        push_opt(
            &mut body,
            "Condition",
            props
                .condition
                .map(|c| Value::Ref(Reference::new(c.node(), RefKind::LogicalId))),
        );
        let node = new_element(
            scope,
            id,
            ElementKind::Other {
                section: "Outputs",
                body,
            },
        );
        node.set_construct_info("cdk-core.CfnOutput");
        CfnOutput {
            node,
            export_name: props.export_name,
        }
    }

    /// `Fn::ImportValue` of this output's export (`None` when it is not exported).
    pub fn import_value(&self) -> Option<Str> {
        self.export_name.clone().map(crate::fns::import_value)
    }
}
