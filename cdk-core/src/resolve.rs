//! Resolving values into CloudFormation JSON outside synthesis, and the context lazy values get
//! when they are resolved.
//!
//! [`resolve`] (and [`Stack::resolve`](crate::Stack::resolve)) turn a [`Value`] into the JSON it
//! renders as in the template of the construct's stack, at any time: references become
//! `{"Ref": ...}`/`{"Fn::GetAtt": ...}` with the logical ID the element gets (its override, or
//! the ID computed from its path), strings with tokens become a minimal `Fn::Join`, lazy values
//! are produced. References to another stack render as local references here (cross-stack
//! exports only exist in the synthesized templates), like aws-cdk-lib's `stack.resolve` before
//! `prepare`.
//!
//! ```
//! use cdk_core::{App, CfnResource, CfnResourceProps, CfnElement, Stack, StackProps, Str};
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps::default());
//! let bucket = CfnResource::new(&stack, "Bucket", CfnResourceProps {
//!     resource_type: "AWS::S3::Bucket".into(),
//!     ..Default::default()
//! });
//! let arn = bucket.get_att("Arn") + "/*";
//! let json = stack.resolve(arn.value()).unwrap();
//! assert_eq!(json, serde_json::json!({"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]}));
//! bucket.override_logical_id("Data");
//! assert_eq!(stack.resolve(bucket.ref_().value()).unwrap(), serde_json::json!({"Ref": "Data"}));
//! ```

use serde_json::Value as J;

use crate::construct::{IConstruct, Node};
use crate::error::Result;
use crate::stack::Stack;
use crate::token::Value;

/// What a lazy value knows while it is resolved: where it is used, and how to resolve other
/// values there.
pub struct ResolveContext<'a> {
    pub(crate) backend: &'a mut dyn ResolveBackend,
}

/// The resolver behind a [`ResolveContext`] (synthesis, or [`resolve`]).
pub(crate) trait ResolveBackend {
    /// The construct whose value is being resolved (the element, or the scope given).
    fn scope(&self) -> Node;
    /// The stack the value is resolved for.
    fn stack(&self) -> Option<Stack>;
    /// Resolves `value` here; problems are recorded and reported by the outer resolution.
    fn resolve_nested(&mut self, value: &Value) -> Option<J>;
    /// Records a problem of the value being resolved.
    fn fail(&mut self, message: String);
}

impl ResolveContext<'_> {
    /// The construct that uses the value: the CloudFormation element being rendered, or the
    /// scope given to [`resolve`].
    pub fn scope(&self) -> Node {
        self.backend.scope()
    }

    /// The stack the value is resolved for (the consuming stack).
    pub fn stack(&self) -> Option<Stack> {
        self.backend.stack()
    }

    /// Resolves another value in this context (`None`: absent). Problems fail the enclosing
    /// resolution.
    pub fn resolve(&mut self, value: &Value) -> Option<J> {
        self.backend.resolve_nested(value)
    }

    /// Fails the resolution with `message` (reported against the element and property).
    pub fn fail(&mut self, message: impl Into<String>) {
        self.backend.fail(message.into());
    }
}

/// Resolves `value` as it renders in the template of `scope`'s stack (see the module docs).
/// `Null` (an absent value) resolves to JSON `null`.
pub fn resolve(scope: &impl IConstruct, value: &Value) -> Result<J> {
    crate::synth::resolve::resolve_standalone(scope.node(), value)
}

/// Like [`resolve`], but a reference to another stack of the same environment renders as the
/// `Fn::ImportValue` the synthesized template holds (as aws-cdk-lib's `stack.resolve` during
/// synthesis, after references were resolved; e.g. for hashes of rendered properties). The
/// export itself is created by synthesis, not here.
pub fn resolve_with_imports(scope: &impl IConstruct, value: &Value) -> Result<J> {
    crate::synth::resolve::resolve_with_imports(scope.node(), value)
}

/// The logical ID `element` gets in its stack's template: its override, or the ID computed
/// from the construct IDs below the stack (aws-cdk-lib's `stack.getLogicalId`). `None` for a
/// construct that is not a CloudFormation element inside a stack.
pub fn logical_id_of(element: &impl IConstruct) -> Option<String> {
    crate::synth::resolve::allocated_logical_id(element.node())
}
