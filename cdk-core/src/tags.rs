//! Tags: `Tags::of(scope).add(key, value)` tags every taggable resource below `scope`
//! (and stacks, whose tags go to the manifest and are applied by CloudFormation).
//!
//! ```
//! use cdk_core::{App, Stack, StackProps, Tags, TagProps};
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps::default());
//! Tags::of(&app).add("team", "payments");
//! Tags::of(&stack).add_with("cost-center", "42", TagProps {
//!     include_resource_types: vec!["AWS::S3::Bucket".into()],
//!     ..Default::default()
//! });
//! ```

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::aspects::{Aspect, Aspects};
use crate::cfn::ElementKind;
use crate::construct::{IConstruct, Node, NodeKind};
use crate::token::Value;

/// How a resource type renders its tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagType {
    /// A list of `{"Key": k, "Value": v}` objects (most resources).
    Standard,
    /// A `{key: value}` object (e.g. `AWS::SSM::Parameter`, Lambda layers' maps).
    Map,
    /// `{"Key", "Value", "PropagateAtLaunch"}` objects (`AWS::AutoScaling::AutoScalingGroup`).
    AutoScalingGroup,
}

/// Priority of tags given in a resource's own properties.
const INITIAL_TAG_PRIORITY: u32 = 50;

/// The tags of one resource or stack, with the priority that set or removed each key.
#[derive(Clone, Debug)]
pub(crate) struct TagManager {
    pub(crate) tag_type: TagType,
    pub(crate) property: String,
    tags: BTreeMap<String, (String, bool)>,
    priorities: BTreeMap<String, u32>,
}

impl TagManager {
    pub(crate) fn new(tag_type: TagType, property: &str) -> Self {
        TagManager {
            tag_type,
            property: property.to_string(),
            tags: BTreeMap::new(),
            priorities: BTreeMap::new(),
        }
    }

    pub(crate) fn set(&mut self, key: &str, value: &str, priority: u32, at_launch: bool) {
        if priority < self.priorities.get(key).copied().unwrap_or(0) {
            return;
        }
        self.tags
            .insert(key.to_string(), (value.to_string(), at_launch));
        self.priorities.insert(key.to_string(), priority);
    }

    pub(crate) fn remove(&mut self, key: &str, priority: u32) {
        if priority < self.priorities.get(key).copied().unwrap_or(0) {
            return;
        }
        self.tags.remove(key);
        self.priorities.insert(key.to_string(), priority);
    }

    /// The tags as sorted `(key, value)` pairs.
    pub(crate) fn entries(&self) -> Vec<(String, String)> {
        self.tags
            .iter()
            .map(|(k, (v, _))| (k.clone(), v.clone()))
            .collect()
    }

    pub(crate) fn has_tags(&self) -> bool {
        !self.tags.is_empty()
    }

    /// Merges the tags the user wrote into the tag property (lowest priority), then renders
    /// the property. Entries whose key is a token are kept as written, after the managed ones.
    pub(crate) fn render(&self, initial: Option<&Value>) -> Option<Value> {
        let mut merged = self.clone();
        let mut unmanaged = Vec::new();
        match (self.tag_type, initial) {
            (TagType::Map, Some(Value::Map(map))) => {
                for (k, v) in map {
                    match v.as_str() {
                        Some(s) => merged.set_initial(k, s, false),
                        None => unmanaged.push((k.clone(), v.clone())),
                    }
                }
            }
            (_, Some(Value::List(items))) => {
                for item in items {
                    let entry = item.as_map().and_then(|m| {
                        let key = m.get("Key")?.as_str()?;
                        let value = m.get("Value")?.as_str()?;
                        let at_launch =
                            matches!(m.get("PropagateAtLaunch"), Some(Value::Bool(true)));
                        Some((key.to_string(), value.to_string(), at_launch))
                    });
                    match entry {
                        Some((k, v, at_launch)) => merged.set_initial(&k, &v, at_launch),
                        None => unmanaged.push((String::new(), item.clone())),
                    }
                }
            }
            (_, Some(other)) => return Some(other.clone()),
            (_, None) => {}
        }
        if !merged.has_tags() && unmanaged.is_empty() {
            return None;
        }
        Some(match self.tag_type {
            TagType::Map => Value::Map(
                merged
                    .tags
                    .iter()
                    .map(|(k, (v, _))| (k.clone(), Value::from(v)))
                    .chain(unmanaged)
                    .collect(),
            ),
            TagType::Standard | TagType::AutoScalingGroup => Value::List(
                merged
                    .tags
                    .iter()
                    .map(|(k, (v, at_launch))| {
                        let mut obj = vec![("Key", Value::from(k)), ("Value", Value::from(v))];
                        if self.tag_type == TagType::AutoScalingGroup {
                            obj.push(("PropagateAtLaunch", Value::Bool(*at_launch)));
                        }
                        Value::object(obj)
                    })
                    .chain(unmanaged.into_iter().map(|(_, v)| v))
                    .collect(),
            ),
        })
    }

    fn set_initial(&mut self, key: &str, value: &str, at_launch: bool) {
        if !self.priorities.contains_key(key) {
            self.set(key, value, INITIAL_TAG_PRIORITY, at_launch);
        }
    }
}

/// Options for a tag.
#[derive(Clone, Debug)]
pub struct TagProps {
    /// Higher priority wins over lower for the same key (default 100 to add, 200 to remove).
    pub priority: Option<u32>,
    /// Only resources of these CloudFormation types (all when empty).
    pub include_resource_types: Vec<String>,
    /// Never resources of these types.
    pub exclude_resource_types: Vec<String>,
    /// For Auto Scaling groups: also tag the instances they launch (default true).
    pub apply_to_launched_instances: bool,
}

impl Default for TagProps {
    fn default() -> Self {
        TagProps {
            priority: None,
            include_resource_types: Vec::new(),
            exclude_resource_types: Vec::new(),
            apply_to_launched_instances: true,
        }
    }
}

/// Adds or removes tags on every taggable construct below a scope.
pub struct Tags {
    scope: Node,
}

impl Tags {
    /// The tags of `scope`.
    pub fn of(scope: &impl IConstruct) -> Tags {
        Tags {
            scope: scope.node().clone(),
        }
    }

    /// Adds tag `key = value` with default options.
    pub fn add(&self, key: &str, value: &str) {
        self.add_with(key, value, TagProps::default());
    }

    /// Adds tag `key = value`.
    pub fn add_with(&self, key: &str, value: &str, props: TagProps) {
        self.aspect(key, Some(value), props, 100);
    }

    /// Removes tag `key` from everything below the scope (beats additions of lower priority).
    pub fn remove(&self, key: &str) {
        self.remove_with(key, TagProps::default());
    }

    /// Removes tag `key` with options.
    pub fn remove_with(&self, key: &str, props: TagProps) {
        self.aspect(key, None, props, 200);
    }

    fn aspect(&self, key: &str, value: Option<&str>, props: TagProps, default_priority: u32) {
        let invalid = key.is_empty() || key.len() > 128 || value.is_some_and(|v| v.len() > 256);
        if invalid {
            self.scope.add_error(&format!(
                "invalid tag '{key}': keys must be 1-128 characters and values at most 256"
            ));
            return;
        }
        Aspects::of(&self.scope).add(Rc::new(TagAspect {
            key: key.to_string(),
            value: value.map(str::to_string),
            priority: props.priority.unwrap_or(default_priority),
            props,
        }));
    }
}

struct TagAspect {
    key: String,
    value: Option<String>,
    priority: u32,
    props: TagProps,
}

impl TagAspect {
    fn applies_to(&self, resource_type: &str) -> bool {
        let included = self.props.include_resource_types.is_empty()
            || self
                .props
                .include_resource_types
                .iter()
                .any(|t| t == resource_type);
        included
            && !self
                .props
                .exclude_resource_types
                .iter()
                .any(|t| t == resource_type)
    }

    fn apply(&self, manager: &mut TagManager) {
        match &self.value {
            Some(v) => manager.set(
                &self.key,
                v,
                self.priority,
                self.props.apply_to_launched_instances,
            ),
            None => manager.remove(&self.key, self.priority),
        }
    }
}

impl Aspect for TagAspect {
    fn visit(&self, node: &Node) {
        let tree_rc = node.tree();
        let mut tree = tree_rc.borrow_mut();
        match &mut tree.nodes[node.idx].kind {
            NodeKind::Stack(stack) if self.applies_to("aws:cdk:stack") => {
                self.apply(&mut stack.tags);
            }
            NodeKind::Element(element) => {
                if let ElementKind::Resource(resource) = &mut element.kind {
                    if !self.applies_to(&resource.resource_type) {
                        return;
                    }
                    if let Some(manager) = resource.tags.as_mut() {
                        self.apply(manager);
                    }
                }
            }
            _ => {}
        }
    }
}
