use super::{new_element, CfnCondition, CfnElement, ElementKind, ResourceData};
use crate::construct::{IConstruct, Node};
use crate::tags::{TagManager, TagType};
use crate::token::{RefKind, Reference, Str, StrList, Value, ValueMap};

/// What happens to a resource when it is removed from the stack or replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalPolicy {
    /// Delete the physical resource (`DeletionPolicy: Delete`).
    Destroy,
    /// Keep it, orphaned from the stack (`DeletionPolicy: Retain`).
    Retain,
    /// Take a snapshot before deleting (`DeletionPolicy: Snapshot`).
    Snapshot,
    /// Keep it on delete or replacement, but not when its creation is rolled back
    /// (`DeletionPolicy: RetainExceptOnCreate`).
    RetainOnUpdateOrDelete,
}

impl RemovalPolicy {
    fn deletion_policy(self) -> &'static str {
        match self {
            RemovalPolicy::Destroy => "Delete",
            RemovalPolicy::Retain => "Retain",
            RemovalPolicy::Snapshot => "Snapshot",
            RemovalPolicy::RetainOnUpdateOrDelete => "RetainExceptOnCreate",
        }
    }

    fn update_replace_policy(self) -> &'static str {
        match self {
            RemovalPolicy::Destroy => "Delete",
            RemovalPolicy::Retain | RemovalPolicy::RetainOnUpdateOrDelete => "Retain",
            RemovalPolicy::Snapshot => "Snapshot",
        }
    }
}

/// Properties of a [`CfnResource`].
#[derive(Clone, Debug, Default)]
pub struct CfnResourceProps {
    /// CloudFormation type, e.g. `AWS::S3::Bucket`.
    pub resource_type: String,
    /// The resource's `Properties`, an object (keys render sorted).
    pub properties: ValueMap,
}

/// A CloudFormation resource (the L1 building block every typed resource wraps).
///
/// ```
/// use cdk_core::{App, CfnResource, CfnResourceProps, Stack, StackProps, Value};
/// let app = App::new();
/// let stack = Stack::new(&app, "Storage", StackProps::default());
/// let bucket = CfnResource::new(&stack, "Bucket", CfnResourceProps {
///     resource_type: "AWS::S3::Bucket".into(),
///     properties: [("BucketName".to_string(), Value::from("my-bucket"))].into(),
/// });
/// bucket.add_property_override("VersioningConfiguration.Status", "Enabled");
/// let arn = bucket.get_att("Arn");
/// assert!(arn.is_token());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CfnResource {
    node: Node,
}

impl IConstruct for CfnResource {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl CfnElement for CfnResource {}

fn split_override_path(path: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            '.' => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    parts
}

impl CfnResource {
    /// Defines a resource `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: CfnResourceProps) -> Self {
        let node = new_element(
            scope,
            id,
            ElementKind::Resource(Box::new(ResourceData {
                resource_type: props.resource_type,
                properties: props.properties,
                depends_on: Vec::new(),
                deletion_policy: None,
                update_replace_policy: None,
                creation_policy: None,
                update_policy: None,
                condition: None,
                cfn_metadata: ValueMap::new(),
                overrides: Vec::new(),
                tags: None,
                property_validations: Vec::new(),
                should_synthesize: None,
            })),
        );
        node.set_construct_info("cdk-core.CfnResource");
        CfnResource { node }
    }

    /// Wraps an existing resource node (for typed resources built on this one).
    /// Returns `None` when `node` is not a resource.
    pub fn from_node(node: &Node) -> Option<Self> {
        let is_resource = matches!(
            node.tree().borrow().element(node.idx).map(|e| &e.kind),
            Some(ElementKind::Resource(_))
        );
        is_resource.then(|| CfnResource { node: node.clone() })
    }

    fn with_data<R>(&self, f: impl FnOnce(&mut ResourceData) -> R) -> R {
        let tree_rc = self.node.tree();
        let mut tree = tree_rc.borrow_mut();
        if tree.element(self.node.idx).is_none() {
            let path = tree.path_of(self.node.idx);
            panic!("{path}: this resource was removed from the tree (`try_remove_child`)");
        }
        match tree.element_mut(self.node.idx).map(|e| &mut e.kind) {
            Some(ElementKind::Resource(data)) => f(data),
            _ => unreachable!("CfnResource always wraps a resource node"),
        }
    }

    /// Reads the resource's data without counting as a change of the tree.
    fn read_data<R>(&self, f: impl FnOnce(&ResourceData) -> R) -> R {
        let tree_rc = self.node.tree();
        let tree = tree_rc.borrow();
        match tree.element(self.node.idx).map(|e| &e.kind) {
            Some(ElementKind::Resource(data)) => f(data),
            Some(_) => unreachable!("CfnResource always wraps a resource node"),
            None => panic!(
                "{}: this resource was removed from the tree (`try_remove_child`)",
                tree.path_of(self.node.idx)
            ),
        }
    }

    /// The CloudFormation type (`AWS::S3::Bucket`).
    pub fn resource_type(&self) -> String {
        self.read_data(|d| d.resource_type.clone())
    }

    /// `{"Ref": logicalId}` as a string token.
    pub fn ref_(&self) -> Str {
        Str::from_value(Value::Ref(Reference::new(&self.node, RefKind::Ref)))
    }

    /// `{"Fn::GetAtt": [logicalId, attribute]}` as a string token.
    pub fn get_att(&self, attribute: &str) -> Str {
        Str::from_value(self.get_att_value(attribute))
    }

    /// `Fn::GetAtt` of a list-valued attribute.
    pub fn get_att_list(&self, attribute: &str) -> StrList {
        StrList::from_value(Value::Ref(
            Reference::new(&self.node, RefKind::GetAtt(attribute.to_string())).into_list(),
        ))
    }

    /// `Fn::GetAtt` as an untyped value (numbers, objects).
    pub fn get_att_value(&self, attribute: &str) -> Value {
        Value::Ref(Reference::new(
            &self.node,
            RefKind::GetAtt(attribute.to_string()),
        ))
    }

    /// Sets (or replaces) one property.
    pub fn set_property(&self, name: &str, value: impl Into<Value>) {
        let value = value.into();
        self.with_data(|d| d.properties.insert(name.to_string(), value));
    }

    /// Removes one property.
    pub fn remove_property(&self, name: &str) {
        self.with_data(|d| d.properties.remove(name));
    }

    /// The current value of a property.
    pub fn property(&self, name: &str) -> Option<Value> {
        self.read_data(|d| d.properties.get(name).cloned())
    }

    /// Adds `DependsOn: target`. A target in another stack makes this stack depend on that one.
    pub fn add_depends_on(&self, target: &CfnResource) {
        let target = target.node.idx;
        self.with_data(|d| {
            if !d.depends_on.contains(&target) {
                d.depends_on.push(target);
            }
        });
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy` from a removal policy.
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        self.with_data(|d| {
            d.deletion_policy = Some(policy.deletion_policy());
            d.update_replace_policy = Some(policy.update_replace_policy());
        });
    }

    /// Only create this resource when `condition` holds (`Condition`).
    pub fn set_condition(&self, condition: &CfnCondition) {
        let idx = condition.node().idx;
        self.with_data(|d| d.condition = Some(idx));
    }

    /// Sets `CreationPolicy`.
    pub fn set_creation_policy(&self, policy: impl Into<Value>) {
        let policy = policy.into();
        self.with_data(|d| d.creation_policy = Some(policy));
    }

    /// Sets `UpdatePolicy`.
    pub fn set_update_policy(&self, policy: impl Into<Value>) {
        let policy = policy.into();
        self.with_data(|d| d.update_policy = Some(policy));
    }

    /// Adds an entry to the resource's template `Metadata` (next to `aws:cdk:path`).
    pub fn add_cfn_metadata(&self, key: &str, value: impl Into<Value>) {
        let value = value.into();
        self.with_data(|d| d.cfn_metadata.insert(key.to_string(), value));
    }

    /// An entry of the resource's template `Metadata` added with [`Self::add_cfn_metadata`].
    pub fn cfn_metadata(&self, key: &str) -> Option<Value> {
        self.read_data(|d| d.cfn_metadata.get(key).cloned())
    }

    /// Escape hatch: sets `path` (dot-separated, `\.` for a literal dot) in the rendered
    /// resource, e.g. `add_override("Properties.A.B", v)` or `add_override("DependsOn", v)`.
    pub fn add_override(&self, path: &str, value: impl Into<Value>) {
        let parts = split_override_path(path);
        let value = value.into();
        self.with_data(|d| d.overrides.push((parts, Some(value))));
    }

    /// Escape hatch: removes `path` from the rendered resource.
    pub fn add_deletion_override(&self, path: &str) {
        let parts = split_override_path(path);
        self.with_data(|d| d.overrides.push((parts, None)));
    }

    /// `add_override("Properties." + path, value)`.
    pub fn add_property_override(&self, path: &str, value: impl Into<Value>) {
        self.add_override(&format!("Properties.{path}"), value);
    }

    /// `add_deletion_override("Properties." + path)`.
    pub fn add_property_deletion_override(&self, path: &str) {
        self.add_deletion_override(&format!("Properties.{path}"));
    }

    /// Makes the resource taggable: tags from [`crate::Tags`] render into `property`
    /// (usually `Tags`) in the shape `tag_type` describes.
    pub fn enable_tags(&self, tag_type: TagType, property: &str) {
        self.with_data(|d| d.tags = Some(TagManager::new(tag_type, property)));
    }

    /// Registers a check of the resource's final `Properties` (an object value, as set by the
    /// constructor and any later `set_property`), run at synth; its messages are reported
    /// against this resource's path. Typed resources use it for schema validation.
    pub fn add_property_validation(&self, check: impl Fn(&Value) -> Vec<String> + 'static) {
        let check: super::PropertyValidation = std::rc::Rc::new(check);
        self.with_data(|d| d.property_validations.push(check));
    }

    /// Decides at synth whether the resource is written to the template at all (aws-cdk-lib's
    /// `shouldSynthesize`, e.g. an IAM policy that ended up empty). A resource left out is
    /// also left out of other resources' `DependsOn`; its schema checks do not run.
    pub fn set_should_synthesize(&self, decide: impl Fn() -> bool + 'static) {
        let decide: std::rc::Rc<dyn Fn() -> bool> = std::rc::Rc::new(decide);
        self.with_data(|d| d.should_synthesize = Some(decide));
    }

    /// True when [`crate::Tags`] apply to this resource.
    pub fn is_taggable(&self) -> bool {
        self.read_data(|d| d.tags.is_some())
    }
}
