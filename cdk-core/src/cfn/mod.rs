//! CloudFormation elements: resources, parameters, outputs, conditions, mappings and rules.
//!
//! Each element is a construct whose logical ID is allocated from its path at synth time
//! (see [`crate::logical_id`]), unless overridden with `override_logical_id`.

mod condition;
mod mapping;
mod output;
mod parameter;
mod resource;
mod rule;

pub use condition::CfnCondition;
pub use mapping::CfnMapping;
pub use output::{CfnOutput, CfnOutputProps};
pub use parameter::{CfnParameter, CfnParameterProps};
pub use resource::{CfnResource, CfnResourceProps, RemovalPolicy};
pub use rule::{CfnRule, CfnRuleProps, RuleAssertion};

use crate::construct::{IConstruct, Node, NodeKind};
use crate::tags::TagManager;
use crate::token::{RefKind, Reference, Str, Value};

/// An ordered list of template keys and values (the body of one template entry).
pub(crate) type Body = Vec<(String, Value)>;

/// Per-element data stored in the tree.
pub(crate) struct ElementData {
    pub(crate) logical_id_override: Option<String>,
    /// How other stacks reference this element ([`crate::references::CrossStackReferences::produce`]).
    pub(crate) reference_strength: Option<crate::references::ReferenceStrength>,
    pub(crate) kind: ElementKind,
}

pub(crate) enum ElementKind {
    Resource(Box<ResourceData>),
    /// A non-resource element: its template section and rendered body.
    Other {
        section: &'static str,
        body: Body,
    },
}

/// What a resource renders from.
pub(crate) struct ResourceData {
    pub(crate) resource_type: String,
    pub(crate) properties: crate::ValueMap,
    pub(crate) depends_on: Vec<usize>,
    pub(crate) deletion_policy: Option<&'static str>,
    pub(crate) update_replace_policy: Option<&'static str>,
    pub(crate) creation_policy: Option<Value>,
    pub(crate) update_policy: Option<Value>,
    pub(crate) condition: Option<usize>,
    pub(crate) cfn_metadata: crate::ValueMap,
    /// `(path, Some(value))` sets, `(path, None)` deletes.
    pub(crate) overrides: Vec<(Vec<String>, Option<Value>)>,
    pub(crate) tags: Option<TagManager>,
    /// Checks of the final `Properties`, run at synth.
    pub(crate) property_validations: Vec<PropertyValidation>,
    /// Whether the resource is part of the template (aws-cdk-lib's `shouldSynthesize`).
    pub(crate) should_synthesize: Option<std::rc::Rc<dyn Fn() -> bool>>,
}

/// A check of a resource's final properties (an object); returns error messages.
pub type PropertyValidation = std::rc::Rc<dyn Fn(&Value) -> Vec<String>>;

/// Creates an element node.
pub(crate) fn new_element(scope: &impl IConstruct, id: &str, kind: ElementKind) -> Node {
    Node::create(
        scope.node(),
        id,
        NodeKind::Element(Box::new(ElementData {
            logical_id_override: None,
            reference_strength: None,
            kind,
        })),
    )
}

/// Behaviour shared by every CloudFormation element.
pub trait CfnElement: IConstruct {
    /// The element's logical ID as a token (resolved at synth).
    fn logical_id(&self) -> Str {
        Str::from_value(Value::Ref(Reference::new(self.node(), RefKind::LogicalId)))
    }

    /// Replaces the allocated logical ID with `logical_id` (must match `^[A-Za-z0-9]{1,255}$`).
    fn override_logical_id(&self, logical_id: &str) {
        let node = self.node();
        if !crate::logical_id::is_valid_logical_id(logical_id) {
            let path = node.path();
            node.tree()
                .borrow_mut()
                .errors
                .push(crate::ValidationError {
                    path,
                    message: format!(
                    "invalid logical ID override '{logical_id}': must match ^[A-Za-z0-9]{{1,255}}$"
                ),
                });
            return;
        }
        // Setting the same override again (a prepare step at every synth) is no change.
        let unchanged = node
            .tree()
            .borrow()
            .element(node.idx)
            .map(|e| e.logical_id_override.as_deref())
            == Some(Some(logical_id));
        if unchanged {
            return;
        }
        if let Some(e) = node.tree().borrow_mut().element_mut(node.idx) {
            e.logical_id_override = Some(logical_id.to_string());
        }
    }
}

/// `Ref` to an element.
pub(crate) fn ref_of(node: &Node) -> Value {
    Value::Ref(Reference::new(node, RefKind::Ref))
}

/// Pushes `(key, value)` to a body when the value is present.
pub(crate) fn push_opt(body: &mut Body, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        body.push((key.to_string(), v));
    }
}
