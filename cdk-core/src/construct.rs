//! The construct tree: every construct is a [`Node`] in an arena owned by its app.
//!
//! A [`Node`] is a cheap handle (an `Rc` and an index); cloning it does not copy the construct.
//! Constructors never fail: user mistakes such as a duplicate ID are recorded against the
//! construct path and reported, all together, by [`App::synth`](crate::App::synth).

use std::cell::{Cell, Ref, RefCell, RefMut};
use std::collections::{BTreeMap, HashMap};
use std::rc::{Rc, Weak};

use crate::aspects::Aspect;
use crate::cfn::ElementData;
use crate::error::{Error, Result, ValidationError};
use crate::stack::StackData;
use crate::stage::StageData;

/// Anything that is a construct: it has a [`Node`] in the construct tree.
///
/// Implement it for your own constructs by returning the node you created in `new`:
///
/// ```
/// use cdk_core::{App, IConstruct, Node, Stack, StackProps};
///
/// /// A construct that groups others.
/// pub struct Website { node: Node }
///
/// impl Website {
///     pub fn new(scope: &impl IConstruct, id: &str) -> Self {
///         Website { node: Node::new(scope, id) }
///     }
/// }
///
/// impl IConstruct for Website {
///     fn node(&self) -> &Node { &self.node }
/// }
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Site", StackProps::default());
/// let site = Website::new(&stack, "Www");
/// assert_eq!(site.node().path(), "Site/Www");
/// ```
pub trait IConstruct {
    /// The construct's node in the tree.
    fn node(&self) -> &Node;
}

/// A metadata entry attached to a construct (`aws:cdk:logicalId`, `aws:cdk:warning`, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct MetadataEntry {
    /// Entry type, e.g. `aws:cdk:warning`.
    pub kind: String,
    /// Entry data.
    pub data: serde_json::Value,
}

/// A check run at synth; returns error messages (empty when valid).
pub type Validation = Rc<dyn Fn() -> Vec<String>>;

pub(crate) enum NodeKind {
    Root,
    Stack(Box<StackData>),
    Stage(Box<StageData>),
    Element(Box<ElementData>),
    Plain,
}

pub(crate) struct NodeData {
    pub(crate) id: String,
    pub(crate) parent: Option<usize>,
    pub(crate) children: Vec<usize>,
    pub(crate) child_index: HashMap<String, usize>,
    pub(crate) kind: NodeKind,
    pub(crate) metadata: Vec<MetadataEntry>,
    pub(crate) dependencies: Vec<usize>,
    pub(crate) context: BTreeMap<String, serde_json::Value>,
    pub(crate) validations: Vec<Validation>,
    pub(crate) prepares: Vec<Rc<dyn Fn()>>,
    pub(crate) aspects: Vec<Rc<dyn Aspect>>,
    pub(crate) fqn: Option<String>,
    pub(crate) default_child: Option<usize>,
    /// Values L2 constructs keep with the construct (found again from the node).
    pub(crate) attached: Vec<(&'static str, Rc<dyn std::any::Any>)>,
}

impl NodeData {
    fn new(id: String, parent: Option<usize>, kind: NodeKind) -> Self {
        NodeData {
            id,
            parent,
            children: Vec::new(),
            child_index: HashMap::new(),
            kind,
            metadata: Vec::new(),
            dependencies: Vec::new(),
            context: BTreeMap::new(),
            validations: Vec::new(),
            prepares: Vec::new(),
            aspects: Vec::new(),
            fqn: None,
            default_child: None,
            attached: Vec::new(),
        }
    }
}

/// The arena behind one app's construct tree.
pub(crate) struct Tree {
    pub(crate) nodes: Vec<NodeData>,
    /// Mistakes made while building the tree, reported at synth.
    pub(crate) errors: Vec<ValidationError>,
    /// File assets, in construction order (staged and listed at synth).
    pub(crate) assets: Vec<Rc<crate::assets::AssetRecord>>,
    /// Resources left out of the templates (their `should_synthesize` said no), per synth.
    pub(crate) skipped: std::collections::HashSet<usize>,
    /// Physical names generated so far (synthesis renders again when resolution generated one).
    pub(crate) names_generated: u64,
    /// `(construct, aspect)` pairs already applied, across synth runs.
    pub(crate) aspects_applied: std::collections::HashSet<(usize, *const ())>,
    /// Policy validation plugins run at synth (see [`crate::validation`]).
    pub(crate) validation_plugins: Vec<Rc<dyn crate::validation::PolicyValidationPlugin>>,
    /// Suppressions of policy findings: `(construct, suppression)`.
    pub(crate) suppressions: Vec<(usize, crate::validation::Suppression)>,
    /// Constructs added with an invalid ID: node → the ID asked for. Such a node is stored
    /// under a placeholder ID (see [`INVALID_ID_PREFIX`]) that messages never show.
    pub(crate) invalid_ids: HashMap<usize, String>,
    /// Context lookups without a value yet (the manifest's `missing` entries), by first use.
    pub(crate) missing_context: Vec<serde_json::Value>,
    /// Whether synthesis already warned that no cross-stack reference strength is configured
    /// (once per app, as aws-cdk-lib).
    pub(crate) reference_strength_warned: bool,
    /// The consumer roles each producer's `GetStackOutputRole` trusts (role node -> ARNs, in
    /// order), read by the role's lazy trust policy.
    pub(crate) stack_output_readers: HashMap<usize, Rc<RefCell<Vec<String>>>>,
}

/// The tree behind its cell, with a generation counter: every mutable borrow counts as a
/// change, so a synthesis result computed at generation `g` is still valid while the
/// generation is `g` (see [`crate::synth::synth_in_memory`]).
pub(crate) struct TreeCell {
    tree: RefCell<Tree>,
    generation: Cell<u64>,
    /// The last in-memory synthesis of this tree (not part of the tree: reading or replacing
    /// it does not change the generation).
    pub(crate) synth_cache: RefCell<Option<crate::synth::SynthCache>>,
    /// Extra files of the cloud assembly written by constructs during synthesis (path
    /// relative to the root assembly → contents; see [`crate::synth::add_assembly_file`]).
    pub(crate) assembly_files: RefCell<std::collections::BTreeMap<String, Vec<u8>>>,
}

impl TreeCell {
    /// Shared access to the tree.
    pub(crate) fn borrow(&self) -> Ref<'_, Tree> {
        self.tree.borrow()
    }

    /// Mutable access to the tree; counts as a change.
    pub(crate) fn borrow_mut(&self) -> RefMut<'_, Tree> {
        self.generation.set(self.generation.get() + 1);
        self.tree.borrow_mut()
    }

    /// How many mutable borrows the tree has seen.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.get()
    }
}

/// Prefix of the placeholder ID of a construct added with an invalid ID (`<invalid:N>`).
pub(crate) const INVALID_ID_PREFIX: &str = "<invalid:";

thread_local! {
    static LIVE_TREES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The number of trees alive in this thread (see [`App::live_trees`](crate::App::live_trees)).
pub(crate) fn live_trees() -> usize {
    LIVE_TREES.with(std::cell::Cell::get)
}

impl Drop for Tree {
    fn drop(&mut self) {
        LIVE_TREES.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

impl Tree {
    pub(crate) fn new_root() -> Rc<TreeCell> {
        LIVE_TREES.with(|n| n.set(n.get() + 1));
        Rc::new(TreeCell {
            tree: RefCell::new(Tree {
                nodes: vec![NodeData::new(String::new(), None, NodeKind::Root)],
                errors: Vec::new(),
                assets: Vec::new(),
                names_generated: 0,
                skipped: std::collections::HashSet::new(),
                aspects_applied: std::collections::HashSet::new(),
                validation_plugins: Vec::new(),
                suppressions: Vec::new(),
                invalid_ids: HashMap::new(),
                missing_context: Vec::new(),
                reference_strength_warned: false,
                stack_output_readers: HashMap::new(),
            }),
            generation: Cell::new(0),
            synth_cache: RefCell::new(None),
            assembly_files: RefCell::new(std::collections::BTreeMap::new()),
        })
    }

    /// Whether `idx` or one of its ancestors was added with an invalid ID.
    pub(crate) fn under_invalid_id(&self, mut idx: usize) -> bool {
        loop {
            if self.invalid_ids.contains_key(&idx) {
                return true;
            }
            match self.nodes[idx].parent {
                Some(parent) => idx = parent,
                None => return false,
            }
        }
    }

    /// `text` with every invalid-ID placeholder replaced by the ID that was asked for, quoted.
    pub(crate) fn without_placeholders(&self, text: &str) -> String {
        if !text.contains(INVALID_ID_PREFIX) {
            return text.to_string();
        }
        let mut out = text.to_string();
        for (idx, id) in &self.invalid_ids {
            out = out.replace(&format!("{INVALID_ID_PREFIX}{idx}>"), &format!("'{id}'"));
        }
        out
    }

    pub(crate) fn path_of(&self, mut idx: usize) -> String {
        let mut ids = Vec::new();
        while let Some(parent) = self.nodes[idx].parent {
            ids.push(self.nodes[idx].id.as_str());
            idx = parent;
        }
        ids.reverse();
        ids.join("/")
    }

    /// IDs from the root's child down to `idx`.
    pub(crate) fn ids_of(&self, mut idx: usize) -> Vec<String> {
        let mut ids = Vec::new();
        while let Some(parent) = self.nodes[idx].parent {
            ids.push(self.nodes[idx].id.clone());
            idx = parent;
        }
        ids.reverse();
        ids
    }

    /// The nearest stack at or above `idx`, without crossing a stage boundary: a construct of
    /// a stage that is not inside one of the stage's stacks has none (as aws-cdk-lib's
    /// `Stack.of`).
    pub(crate) fn stack_of(&self, mut idx: usize) -> Option<usize> {
        loop {
            match self.nodes[idx].kind {
                NodeKind::Stack(_) => return Some(idx),
                NodeKind::Stage(_) => return None,
                _ => idx = self.nodes[idx].parent?,
            }
        }
    }

    /// The nearest stage above `idx` (not `idx` itself), as aws-cdk-lib's `Stage.of`; `None`
    /// when the construct belongs to the app's own assembly.
    pub(crate) fn stage_of(&self, idx: usize) -> Option<usize> {
        let mut cur = self.nodes[idx].parent?;
        loop {
            if matches!(self.nodes[cur].kind, NodeKind::Stage(_)) {
                return Some(cur);
            }
            cur = self.nodes[cur].parent?;
        }
    }

    /// True when `idx` is a stage.
    pub(crate) fn is_stage(&self, idx: usize) -> bool {
        matches!(self.nodes[idx].kind, NodeKind::Stage(_))
    }

    pub(crate) fn stage_data(&self, idx: usize) -> &StageData {
        match &self.nodes[idx].kind {
            NodeKind::Stage(s) => s,
            _ => unreachable!("node {idx} is not a stage"),
        }
    }

    /// Pre-order walk from `idx` that does not enter nested stages (`idx` itself may be one),
    /// as aws-cdk-lib's `iterateDfsPreorderStopAtStage`.
    pub(crate) fn preorder_in_stage(&self, idx: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![idx];
        while let Some(i) = stack.pop() {
            if i != idx && self.is_stage(i) {
                continue;
            }
            out.push(i);
            stack.extend(self.nodes[i].children.iter().rev());
        }
        out
    }

    pub(crate) fn stack_data(&self, idx: usize) -> &StackData {
        match &self.nodes[idx].kind {
            NodeKind::Stack(s) => s,
            _ => unreachable!("node {idx} is not a stack"),
        }
    }

    pub(crate) fn stack_data_mut(&mut self, idx: usize) -> &mut StackData {
        match &mut self.nodes[idx].kind {
            NodeKind::Stack(s) => s,
            _ => unreachable!("node {idx} is not a stack"),
        }
    }

    pub(crate) fn element(&self, idx: usize) -> Option<&ElementData> {
        match &self.nodes[idx].kind {
            NodeKind::Element(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn element_mut(&mut self, idx: usize) -> Option<&mut ElementData> {
        match &mut self.nodes[idx].kind {
            NodeKind::Element(e) => Some(e),
            _ => None,
        }
    }

    /// Pre-order walk from `idx` (the node itself first), children in creation order.
    pub(crate) fn preorder(&self, idx: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![idx];
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.nodes[i].children.iter().rev());
        }
        out
    }

    pub(crate) fn add_child(&mut self, parent: usize, id: &str, kind: NodeKind) -> usize {
        let idx = self.nodes.len();
        let problem = if id.is_empty() {
            Some("construct ID must not be empty".to_string())
        } else if id.contains('/') {
            Some(format!(
                "construct ID '{id}' must not contain '/' (it separates path components)"
            ))
        } else if self.nodes[parent].child_index.contains_key(id) {
            Some(format!(
                "there is already a construct with ID '{id}' in this scope"
            ))
        } else {
            None
        };
        let stored_id = match &problem {
            // Keep the tree consistent: the bad child gets a unique, visibly wrong ID.
            Some(_) => format!("{INVALID_ID_PREFIX}{idx}>"),
            None => id.to_string(),
        };
        if let Some(message) = problem {
            self.invalid_ids.insert(idx, id.to_string());
            let parent_path = self.path_of(parent);
            self.errors.push(ValidationError {
                path: if parent_path.is_empty() {
                    "<app>".into()
                } else {
                    parent_path
                },
                message: format!("cannot add child '{id}': {message}"),
            });
        }
        self.nodes
            .push(NodeData::new(stored_id.clone(), Some(parent), kind));
        self.nodes[parent].children.push(idx);
        self.nodes[parent].child_index.insert(stored_id, idx);
        idx
    }
}

/// A handle to a construct in the tree. Cheap to clone; all clones refer to the same construct.
///
/// A node does not keep its tree alive: only the [`App`](crate::App) owns it. Closures stored
/// in the tree (lazy values, validations, prepare steps) therefore never keep an app alive, and
/// dropping the app frees the whole tree. Using a construct after its app was dropped panics
/// with a message saying so.
#[derive(Clone)]
pub struct Node {
    pub(crate) tree: Weak<TreeCell>,
    pub(crate) idx: usize,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.idx == other.idx && Weak::ptr_eq(&self.tree, &other.tree)
    }
}
impl Eq for Node {}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node({})", self.path())
    }
}

impl IConstruct for Node {
    fn node(&self) -> &Node {
        self
    }
}

impl Node {
    /// Creates a plain construct `id` under `scope`: the building block of your own constructs.
    pub fn new(scope: &impl IConstruct, id: &str) -> Node {
        Node::create(scope.node(), id, NodeKind::Plain)
    }

    /// The tree this node belongs to.
    ///
    /// # Panics
    /// When the app that owned the tree was dropped (the construct no longer exists).
    pub(crate) fn tree(&self) -> Rc<TreeCell> {
        match self.tree.upgrade() {
            Some(tree) => tree,
            None => panic!(
                "construct #{} is used after its App was dropped; keep the App alive while you use its constructs",
                self.idx
            ),
        }
    }

    /// True while the app owning this construct is alive.
    pub fn is_alive(&self) -> bool {
        self.tree.strong_count() > 0
    }

    pub(crate) fn create(scope: &Node, id: &str, kind: NodeKind) -> Node {
        let idx = scope.tree().borrow_mut().add_child(scope.idx, id, kind);
        Node {
            tree: scope.tree.clone(),
            idx,
        }
    }

    pub(crate) fn at(&self, idx: usize) -> Node {
        Node {
            tree: self.tree.clone(),
            idx,
        }
    }

    /// The construct's ID (unique among its siblings; `""` for the app).
    pub fn id(&self) -> String {
        self.tree().borrow().nodes[self.idx].id.clone()
    }

    /// The path from the app, IDs joined with `/` (`Stack/Api/Handler`; `""` for the app).
    pub fn path(&self) -> String {
        self.tree().borrow().path_of(self.idx)
    }

    /// The construct address: `c8` + SHA-1 of the path, as aws-cdk-lib computes `node.addr`.
    pub fn addr(&self) -> String {
        crate::logical_id::construct_addr(&self.tree().borrow().ids_of(self.idx))
    }

    /// The parent construct (`None` for the app).
    pub fn scope(&self) -> Option<Node> {
        let parent = self.tree().borrow().nodes[self.idx].parent?;
        Some(self.at(parent))
    }

    /// Every ancestor from the app down to this construct (inclusive).
    pub fn scopes(&self) -> Vec<Node> {
        let mut out = vec![self.clone()];
        let mut cur = self.clone();
        while let Some(parent) = cur.scope() {
            out.push(parent.clone());
            cur = parent;
        }
        out.reverse();
        out
    }

    /// The app at the root of the tree.
    pub fn root(&self) -> Node {
        self.at(0)
    }

    /// Direct children in creation order.
    pub fn children(&self) -> Vec<Node> {
        let tree_rc = self.tree();
        let tree = tree_rc.borrow();
        tree.nodes[self.idx]
            .children
            .iter()
            .map(|&i| self.at(i))
            .collect()
    }

    /// This construct and all its descendants, in pre-order (creation order among siblings).
    pub fn find_all(&self) -> Vec<Node> {
        let order = self.tree().borrow().preorder(self.idx);
        order.into_iter().map(|i| self.at(i)).collect()
    }

    /// Removes the direct child with ID `id` and everything below it, as constructs'
    /// `node.tryRemoveChild`; true when there was such a child. The removed constructs leave
    /// the tree: they are not synthesized, not found, and what depended on them no longer does.
    /// Handles to them keep their ID and former path; using a removed resource panics.
    pub fn try_remove_child(&self, id: &str) -> bool {
        let tree_rc = self.tree();
        let mut tree = tree_rc.borrow_mut();
        let Some(child) = tree.nodes[self.idx].child_index.remove(id) else {
            return false;
        };
        tree.nodes[self.idx].children.retain(|&c| c != child);
        for idx in tree.preorder(child) {
            let node = &mut tree.nodes[idx];
            node.kind = NodeKind::Plain;
            node.dependencies.clear();
            node.validations.clear();
            node.prepares.clear();
            node.aspects.clear();
            node.metadata.clear();
            node.attached.clear();
        }
        if tree.nodes[self.idx].default_child == Some(child) {
            tree.nodes[self.idx].default_child = None;
        }
        true
    }

    /// The direct child with ID `id`, if any.
    pub fn try_find_child(&self, id: &str) -> Option<Node> {
        let idx = *self.tree().borrow().nodes[self.idx].child_index.get(id)?;
        Some(self.at(idx))
    }

    /// The default child: the child with ID `Resource` (or `Default`), as aws-cdk-lib's
    /// `node.defaultChild`, unless one was set with [`Node::set_default_child`].
    pub fn default_child(&self) -> Option<Node> {
        let explicit = self.tree().borrow().nodes[self.idx].default_child;
        if let Some(idx) = explicit {
            return Some(self.at(idx));
        }
        self.try_find_child("Resource")
            .or_else(|| self.try_find_child("Default"))
    }

    /// Makes `child` this construct's default child (e.g. an imported role wrapped by another
    /// construct shares its default child).
    pub fn set_default_child(&self, child: &impl IConstruct) {
        let idx = child.node().idx;
        self.tree().borrow_mut().nodes[self.idx].default_child = Some(idx);
    }

    /// The direct child with ID `id`; an error naming this path when there is none.
    pub fn find_child(&self, id: &str) -> Result<Node> {
        self.try_find_child(id).ok_or_else(|| {
            Error::construct(self.display_path(), format!("no child with ID '{id}'"))
        })
    }

    /// The path, or `<app>` for the root (for messages).
    pub(crate) fn display_path(&self) -> String {
        let p = self.path();
        if p.is_empty() {
            "<app>".into()
        } else {
            p
        }
    }

    /// Attaches a metadata entry (written to the manifest for constructs inside stacks).
    pub fn add_metadata(&self, kind: &str, data: impl Into<serde_json::Value>) {
        self.tree().borrow_mut().nodes[self.idx]
            .metadata
            .push(MetadataEntry {
                kind: kind.to_string(),
                data: data.into(),
            });
    }

    /// The metadata entries attached to this construct.
    pub fn metadata(&self) -> Vec<MetadataEntry> {
        self.tree().borrow().nodes[self.idx].metadata.clone()
    }

    /// Adds a warning (`aws:cdk:warning` metadata), shown by the CLI.
    pub fn add_warning(&self, message: &str) {
        self.add_metadata("aws:cdk:warning", message);
    }

    /// Adds an error: synthesis fails and reports it against this path.
    pub fn add_error(&self, message: &str) {
        self.add_metadata("aws:cdk:error", message);
    }

    /// Declares that this construct depends on `other`: every resource below this construct gets
    /// `DependsOn` the resources below `other`, or its stack depends on `other`'s stack.
    pub fn add_dependency(&self, other: &impl IConstruct) {
        let other = other.node().idx;
        let tree_rc = self.tree();
        let mut tree = tree_rc.borrow_mut();
        let deps = &mut tree.nodes[self.idx].dependencies;
        if !deps.contains(&other) {
            deps.push(other);
        }
    }

    /// The constructs this one was declared to depend on.
    pub fn dependencies(&self) -> Vec<Node> {
        let deps = self.tree().borrow().nodes[self.idx].dependencies.clone();
        deps.into_iter().map(|i| self.at(i)).collect()
    }

    /// Sets a context value visible to this construct and everything below it.
    pub fn set_context(&self, key: &str, value: impl Into<serde_json::Value>) {
        self.tree().borrow_mut().nodes[self.idx]
            .context
            .insert(key.to_string(), value.into());
    }

    /// Looks a context key up here and then in every ancestor up to the app (whose context
    /// includes what the CLI passes through `CDK_CONTEXT_JSON`).
    pub fn try_get_context(&self, key: &str) -> Option<serde_json::Value> {
        let tree_rc = self.tree();
        let tree = tree_rc.borrow();
        let mut idx = Some(self.idx);
        while let Some(i) = idx {
            if let Some(v) = tree.nodes[i].context.get(key) {
                return Some(v.clone());
            }
            idx = tree.nodes[i].parent;
        }
        None
    }

    /// A context value as a string (JSON strings unquoted, other values as JSON text).
    pub fn try_get_context_str(&self, key: &str) -> Option<String> {
        self.try_get_context(key).map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
    }

    /// Records a context lookup that has no value yet (see [`crate::context_provider`]); an
    /// entry whose `key` is already recorded is ignored.
    pub fn record_missing_context(&self, entry: serde_json::Value) {
        let tree_rc = self.tree();
        let mut tree = tree_rc.borrow_mut();
        if !tree
            .missing_context
            .iter()
            .any(|m| m.get("key") == entry.get("key"))
        {
            tree.missing_context.push(entry);
        }
    }

    /// The context lookups of this construct's app that have no value yet.
    pub fn missing_context(&self) -> Vec<serde_json::Value> {
        self.tree().borrow().missing_context.clone()
    }

    /// Registers a check run at synth; its messages are reported against this path.
    pub fn add_validation(&self, check: impl Fn() -> Vec<String> + 'static) {
        self.tree().borrow_mut().nodes[self.idx]
            .validations
            .push(Rc::new(check));
    }

    /// Registers a step run at synth after aspects and before validation and logical-ID
    /// allocation, for constructs whose final shape depends on the whole tree (e.g. a
    /// deployment whose logical ID hashes the API it deploys). Report problems with
    /// [`Node::add_error`].
    pub fn add_prepare(&self, step: impl Fn() + 'static) {
        self.tree().borrow_mut().nodes[self.idx]
            .prepares
            .push(Rc::new(step));
    }

    /// Keeps `value` with this construct under `key` (replacing an earlier one): state an L2
    /// construct finds again from the node, freed with the tree.
    pub fn attach(&self, key: &'static str, value: Rc<dyn std::any::Any>) {
        let tree_rc = self.tree();
        let mut tree = tree_rc.borrow_mut();
        let attached = &mut tree.nodes[self.idx].attached;
        attached.retain(|(k, _)| *k != key);
        attached.push((key, value));
    }

    /// The value kept under `key` with [`Node::attach`], if it has type `T`.
    pub fn attached<T: 'static>(&self, key: &str) -> Option<Rc<T>> {
        let value = {
            let tree_rc = self.tree();
            let tree = tree_rc.borrow();
            tree.nodes[self.idx]
                .attached
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
        }?;
        value.downcast::<T>().ok()
    }

    /// Records the fully qualified type name shown in `tree.json` (`constructInfo.fqn`).
    pub fn set_construct_info(&self, fqn: &str) {
        self.tree().borrow_mut().nodes[self.idx].fqn = Some(fqn.to_string());
    }

    /// True for the app (root) construct.
    pub fn is_root(&self) -> bool {
        self.idx == 0
    }

    /// True when this construct is a stack.
    pub fn is_stack(&self) -> bool {
        matches!(
            self.tree().borrow().nodes[self.idx].kind,
            NodeKind::Stack(_)
        )
    }

    /// True when this construct is a [`Stage`](crate::Stage).
    pub fn is_stage(&self) -> bool {
        self.tree().borrow().is_stage(self.idx)
    }

    /// True when this construct is a CloudFormation element (resource, parameter, output, ...).
    pub fn is_cfn_element(&self) -> bool {
        matches!(
            self.tree().borrow().nodes[self.idx].kind,
            NodeKind::Element(_)
        )
    }
}
