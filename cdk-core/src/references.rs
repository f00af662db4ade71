//! How a value of one stack is read by another: cross-stack reference strength (aws-cdk-lib's
//! `ReferenceStrength` and `CrossStackReferences`).
//!
//! A `Ref` or `Fn::GetAtt` of an element used in another stack is rendered by synthesis as:
//! - **strong** (the default when the flag `@aws-cdk/core:defaultCrossStackReferences` is not
//!   set): an export in the producing stack and `Fn::ImportValue` in the consumer; the
//!   producer cannot be deleted (or the value changed) while a consumer imports it. Only
//!   within one account and region.
//! - **weak**: an output under `Publish` in the producing stack and `Fn::GetStackOutput` in
//!   the consumer; the producer stays free to change. Also across regions, and across
//!   accounts (where references are always weak: the producer gets a role the consumer's
//!   CloudFormation execution role assumes to read the output).
//! - **both**: the transition from strong to weak (export kept, consumer reads the output).
//!
//! The strength is the producing resource's ([`CrossStackReferences::produce`]), else the
//! flag in the consumer's context ([`CrossStackReferences::consume`] or `cdk.json`), else
//! strong, as in aws-cdk-lib 2.276. Without the flag, the first cross-stack reference adds
//! aws-cdk-lib's warning `@aws-cdk/core:crossStackReferencesDefaultStrong` to its stack.
//!
//! ```
//! use cdk_core::references::{CrossStackReferences, ReferenceStrength};
//! use cdk_core::{App, CfnOutput, CfnOutputProps, CfnResource, CfnResourceProps, Stack, StackProps};
//!
//! let app = App::new();
//! let storage = Stack::new(&app, "Storage", StackProps::default());
//! let bucket = CfnResource::new(&storage, "Bucket", CfnResourceProps {
//!     resource_type: "AWS::S3::Bucket".into(),
//!     ..Default::default()
//! });
//! let web = Stack::new(&app, "Web", StackProps::default());
//! CrossStackReferences::of(&web).consume(ReferenceStrength::Weak);
//! CfnResource::new(&web, "Site", CfnResourceProps {
//!     resource_type: "AWS::S3::Bucket".into(),
//!     ..Default::default()
//! });
//! CfnOutput::new(&web, "BucketArn", CfnOutputProps { value: bucket.get_att("Arn"), ..Default::default() });
//! let assembly = app.synth_in_memory().unwrap();
//! let web = &assembly.stack("Web").unwrap().template;
//! assert_eq!(
//!     web["Outputs"]["BucketArn"]["Value"]["Fn::GetStackOutput"]["OutputName"],
//!     "PublishOutputFnGetAttBucketArnBE59F5E7"
//! );
//! ```

use crate::cfn::CfnResource;
use crate::construct::{IConstruct, Node};

/// The context key (feature flag) holding the default strength of the references a stack
/// consumes: `"strong"`, `"weak"` or `"both"`.
pub const DEFAULT_CROSS_STACK_REFERENCES: &str = "@aws-cdk/core:defaultCrossStackReferences";

/// How a cross-stack reference is rendered (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferenceStrength {
    /// Export + `Fn::ImportValue` (same account and region only).
    Strong,
    /// Output + `Fn::GetStackOutput`.
    Weak,
    /// Export kept, and the consumer reads the output (the transition from strong to weak).
    Both,
}

impl ReferenceStrength {
    /// The flag value: `"strong"`, `"weak"` or `"both"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ReferenceStrength::Strong => "strong",
            ReferenceStrength::Weak => "weak",
            ReferenceStrength::Both => "both",
        }
    }

    /// Parses a flag value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "strong" => Some(ReferenceStrength::Strong),
            "weak" => Some(ReferenceStrength::Weak),
            "both" => Some(ReferenceStrength::Both),
            _ => None,
        }
    }

    /// The strength the context of `scope` configures: `Ok(None)` when the flag is not set,
    /// an error message (aws-cdk-lib's) for an invalid value.
    pub fn from_context(scope: &Node) -> Result<Option<Self>, String> {
        match scope.try_get_context(DEFAULT_CROSS_STACK_REFERENCES) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) if Self::parse(&s).is_some() => Ok(Self::parse(&s)),
            Some(other) => {
                let shown = match other {
                    serde_json::Value::String(s) => s,
                    v => v.to_string(),
                };
                Err(format!(
                    "Invalid value for {DEFAULT_CROSS_STACK_REFERENCES}: \"{shown}\". Must be \"strong\", \"weak\", or \"both\"."
                ))
            }
        }
    }
}

/// Configures cross-stack reference strength on a construct (aws-cdk-lib's
/// `CrossStackReferences.of(scope)`).
pub struct CrossStackReferences {
    scope: Node,
}

impl CrossStackReferences {
    /// The configurator of `scope`.
    pub fn of(scope: &impl IConstruct) -> Self {
        CrossStackReferences {
            scope: scope.node().clone(),
        }
    }

    /// How references *to* this resource are rendered in other stacks, whatever the
    /// consumers' flag says. `scope` is a `CfnResource` or a construct whose default child is
    /// one; otherwise a synthesis error (aws-cdk-lib's message) is recorded.
    pub fn produce(&self, strength: ReferenceStrength) {
        let target = match self.scope.default_child() {
            Some(child) if CfnResource::from_node(&child).is_some() => Some(child),
            _ => CfnResource::from_node(&self.scope).map(|r| r.node().clone()),
        };
        let Some(target) = target else {
            self.scope.add_error(
                "Cannot apply cross-stack reference strength: scope has no default child CfnResource and is not a CfnResource itself.",
            );
            return;
        };
        if let Some(e) = target.tree().borrow_mut().element_mut(target.idx) {
            e.reference_strength = Some(strength);
        }
    }

    /// The default strength of the references this scope (and everything below it) consumes
    /// from other stacks: sets the flag in its context.
    pub fn consume(&self, strength: ReferenceStrength) {
        self.scope
            .set_context(DEFAULT_CROSS_STACK_REFERENCES, strength.as_str());
    }
}

/// The strength of a reference to `target` consumed by `consumer`: the target's
/// [`CrossStackReferences::produce`], else the consumer's flag, else strong. An invalid flag
/// value is an error (aws-cdk-lib's message), read only when the target sets none.
pub(crate) fn strength_of(target: &Node, consumer: &Node) -> Result<ReferenceStrength, String> {
    let produced = target
        .tree()
        .borrow()
        .element(target.idx)
        .and_then(|e| e.reference_strength);
    match produced {
        Some(strength) => Ok(strength),
        None => Ok(ReferenceStrength::from_context(consumer)?.unwrap_or(ReferenceStrength::Strong)),
    }
}
