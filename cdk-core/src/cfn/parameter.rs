use super::{new_element, push_opt, ref_of, Body, CfnElement, ElementKind};
use crate::construct::{IConstruct, Node};
use crate::token::{Num, RefKind, Reference, Str, StrList, Value};

/// Properties of a [`CfnParameter`].
#[derive(Clone, Debug, Default)]
pub struct CfnParameterProps {
    /// Parameter type (`String`, `Number`, `List<Number>`, `CommaDelimitedList`,
    /// `AWS::SSM::Parameter::Value<String>`, ...). Default `String`.
    pub parameter_type: Option<String>,
    /// Value used when none is given at deploy time.
    pub default: Option<Value>,
    /// The only values allowed.
    pub allowed_values: Vec<String>,
    /// Regular expression the value must match.
    pub allowed_pattern: Option<String>,
    /// Message shown when a constraint is violated.
    pub constraint_description: Option<String>,
    /// Description shown in the console.
    pub description: Option<String>,
    /// Maximum string length.
    pub max_length: Option<u32>,
    /// Minimum string length.
    pub min_length: Option<u32>,
    /// Maximum numeric value.
    pub max_value: Option<f64>,
    /// Minimum numeric value.
    pub min_value: Option<f64>,
    /// Mask the value in the console and API output.
    pub no_echo: bool,
}

/// A template parameter, filled at deploy time.
///
/// ```
/// use cdk_core::{App, CfnParameter, CfnParameterProps, Stack, StackProps};
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let stage = CfnParameter::new(&stack, "Stage", CfnParameterProps {
///     default: Some("dev".into()),
///     allowed_values: vec!["dev".into(), "prod".into()],
///     ..Default::default()
/// });
/// assert!(stage.value_as_string().is_token());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CfnParameter {
    node: Node,
}

impl IConstruct for CfnParameter {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl CfnElement for CfnParameter {}

impl CfnParameter {
    /// Defines parameter `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: CfnParameterProps) -> Self {
        let mut body: Body = vec![(
            "Type".into(),
            props
                .parameter_type
                .unwrap_or_else(|| "String".into())
                .into(),
        )];
        push_opt(&mut body, "Default", props.default);
        push_opt(
            &mut body,
            "AllowedPattern",
            props.allowed_pattern.map(Value::from),
        );
        if !props.allowed_values.is_empty() {
            body.push(("AllowedValues".into(), Value::from(props.allowed_values)));
        }
        push_opt(
            &mut body,
            "ConstraintDescription",
            props.constraint_description.map(Value::from),
        );
        push_opt(&mut body, "Description", props.description.map(Value::from));
        push_opt(&mut body, "MaxLength", props.max_length.map(Value::from));
        push_opt(&mut body, "MaxValue", props.max_value.map(Value::from));
        push_opt(&mut body, "MinLength", props.min_length.map(Value::from));
        push_opt(&mut body, "MinValue", props.min_value.map(Value::from));
        if props.no_echo {
            body.push(("NoEcho".into(), true.into()));
        }
        let node = new_element(
            scope,
            id,
            ElementKind::Other {
                section: "Parameters",
                body,
            },
        );
        node.set_construct_info("cdk-core.CfnParameter");
        CfnParameter { node }
    }

    /// The parameter's value as a string (`Ref`).
    pub fn value_as_string(&self) -> Str {
        Str::from_value(ref_of(&self.node))
    }

    /// The parameter's value as a number (`Ref`).
    pub fn value_as_number(&self) -> Num {
        Num::from_value(ref_of(&self.node))
    }

    /// The parameter's value as a list (`Ref` of a list-typed parameter).
    pub fn value_as_list(&self) -> StrList {
        StrList::from_value(Value::Ref(
            Reference::new(&self.node, RefKind::Ref).into_list(),
        ))
    }
}
