//! Resolution of [`Value`]s into CloudFormation JSON inside one stack, including cross-stack
//! references (exports and `Fn::ImportValue`).

use std::collections::HashMap;

use serde_json::{json, Value as J};

use crate::cfn::{CfnOutput, CfnOutputProps};
use crate::construct::Node;
use crate::error::{Error, Result};
use crate::logical_id::make_unique_id;
use crate::resolve::{ResolveBackend, ResolveContext};
use crate::stack::Stack;
use crate::token::{RefKind, Reference, Str, Value};

const MAX_LAZY_DEPTH: usize = 64;
const MAX_EXPORT_NAME: usize = 255;
/// String lists cross stacks joined with this delimiter (as aws-cdk-lib does).
const LIST_DELIMITER: &str = "||";

/// Shared state of one synthesis run.
pub(crate) struct SynthState {
    pub(crate) root: Node,
    /// Element node -> logical ID.
    pub(crate) logical_ids: HashMap<usize, String>,
    /// (stack, logical ID) -> element path, to report duplicates.
    pub(crate) taken_ids: HashMap<(usize, String), String>,
    /// Element node -> its stack.
    pub(crate) stack_of: HashMap<usize, usize>,
    /// (producer stack, resolved JSON) -> export name.
    pub(crate) exports: HashMap<(usize, String), String>,
    /// Elements created during resolution (exports) that still need rendering.
    pub(crate) pending: Vec<usize>,
    /// Every element created during resolution (rendered again in a later pass).
    pub(crate) exports_created: Vec<usize>,
    /// (consumer stack, producer stack, reason).
    pub(crate) stack_deps: Vec<(usize, usize, String)>,
    /// Every lazy value produced, with the element it was produced for and what it produced
    /// (in order).
    pub(crate) lazies: Vec<(crate::token::Lazy, usize, Value)>,
}

impl SynthState {
    /// Records an element's logical ID, failing on a duplicate within its stack.
    pub(crate) fn assign_logical_id(
        &mut self,
        element: usize,
        stack: usize,
        id: String,
    ) -> Result<()> {
        let path = self.root.tree().borrow().path_of(element);
        // Recorded even when taken, so references to the element resolve (one error, not two).
        self.logical_ids.insert(element, id.clone());
        self.stack_of.insert(element, stack);
        if let Some(first) = self.taken_ids.get(&(stack, id.clone())) {
            if *first != path {
                return Err(Error::DuplicateLogicalId {
                    stack: self.root.tree().borrow().path_of(stack),
                    logical_id: id,
                    first: first.clone(),
                    second: path,
                });
            }
        }
        self.taken_ids.insert((stack, id), path);
        Ok(())
    }
}

/// Where references resolve to: synthesis (logical IDs allocated, cross-stack exports) or a
/// standalone resolution before synthesis ([`crate::resolve()`]).
pub(crate) enum Mode<'a> {
    Synth(&'a mut SynthState),
    Standalone {
        root: Node,
        /// Logical IDs computed so far (element -> ID), per resolution.
        ids: HashMap<usize, String>,
        /// Render references to another stack of the same environment as the
        /// `Fn::ImportValue` the synthesized template will hold (without creating the export).
        imports: bool,
        /// Stacks of the elements referenced from another stack (recorded in every
        /// standalone resolution; read by [`referenced_stacks`]).
        producers: Vec<usize>,
    },
}

/// Resolves values owned by one element (or scope) of one stack.
pub(crate) struct Resolver<'a> {
    pub(crate) mode: Mode<'a>,
    pub(crate) stack: Option<usize>,
    pub(crate) owner: usize,
    /// The property path being resolved (for messages of nested resolutions).
    current: Vec<String>,
    /// The first problem of a nested resolution (from a lazy value's context).
    nested_error: Option<Error>,
}

impl<'a> Resolver<'a> {
    /// A resolver for `owner`'s values in `stack`, during synthesis.
    pub(crate) fn synth(state: &'a mut SynthState, stack: usize, owner: usize) -> Self {
        Resolver {
            mode: Mode::Synth(state),
            stack: Some(stack),
            owner,
            current: Vec::new(),
            nested_error: None,
        }
    }

    /// The synthesis state (synth mode only).
    pub(crate) fn state(&mut self) -> &mut SynthState {
        match &mut self.mode {
            Mode::Synth(state) => state,
            Mode::Standalone { .. } => unreachable!("the standalone resolver has no synth state"),
        }
    }

    fn root(&self) -> Node {
        match &self.mode {
            Mode::Synth(state) => state.root.clone(),
            Mode::Standalone { root, .. } => root.clone(),
        }
    }

    fn error(&self, property: &[String], message: impl Into<String>) -> Error {
        Error::Resolve {
            path: self.root().tree().borrow().path_of(self.owner),
            property: if property.is_empty() {
                "<value>".into()
            } else {
                property.join(".")
            },
            message: message.into(),
        }
    }

    /// Resolves `value`; `None` means "absent" (a `Null`), which callers drop.
    pub(crate) fn resolve(
        &mut self,
        value: &Value,
        property: &mut Vec<String>,
    ) -> Result<Option<J>> {
        self.resolve_depth(value, property, 0)
    }

    fn resolve_depth(
        &mut self,
        value: &Value,
        property: &mut Vec<String>,
        depth: usize,
    ) -> Result<Option<J>> {
        Ok(Some(match value {
            Value::Null => return Ok(None),
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Number(n.clone()),
            Value::String(s) => J::String(s.clone()),
            Value::Json(j) => (**j).clone(),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    property.push(i.to_string());
                    let r = self.resolve_depth(item, property, depth);
                    property.pop();
                    if let Some(v) = r? {
                        out.push(v);
                    }
                }
                J::Array(out)
            }
            Value::Map(map) => {
                let mut out = serde_json::Map::with_capacity(map.len());
                for (k, v) in map {
                    property.push(k.clone());
                    let r = self.resolve_depth(v, property, depth);
                    property.pop();
                    if let Some(v) = r? {
                        out.insert(k.clone(), v);
                    }
                }
                J::Object(out)
            }
            Value::Pseudo(p) => json!({ "Ref": p.name() }),
            Value::Lazy(lazy) => {
                if depth >= MAX_LAZY_DEPTH {
                    return Err(self.error(property, "lazy value keeps producing lazy values"));
                }
                let saved = std::mem::replace(&mut self.current, property.clone());
                let produced = {
                    let mut ctx = ResolveContext { backend: self };
                    lazy.produce(&mut ctx)
                };
                self.current = saved;
                if let Some(e) = self.nested_error.take() {
                    return Err(e);
                }
                let r = self.resolve_depth(&produced, property, depth + 1);
                let owner = self.owner;
                if let Mode::Synth(state) = &mut self.mode {
                    state.lazies.push((lazy.clone(), owner, produced));
                }
                return r;
            }
            Value::Concat(parts) => {
                let mut resolved = Vec::with_capacity(parts.len());
                for part in parts {
                    if let Some(v) = self.resolve_depth(part, property, depth)? {
                        resolved.push(v);
                    }
                }
                minimal_join(resolved)
            }
            Value::Ref(reference) => self.resolve_reference(reference, property)?,
        }))
    }

    fn resolve_reference(&mut self, reference: &Reference, property: &[String]) -> Result<J> {
        let target = reference.idx;
        let root = self.root();
        let same_tree = std::rc::Weak::ptr_eq(&reference.tree, &root.tree);
        if !same_tree {
            return Err(self.error(property, "the referenced construct belongs to another app"));
        }
        let target_path = root.tree().borrow().path_of(target);
        let logical_id = match &mut self.mode {
            Mode::Synth(state) => state.logical_ids.get(&target).cloned(),
            Mode::Standalone { ids, .. } => match ids.get(&target) {
                Some(id) => Some(id.clone()),
                None => {
                    let id = allocated_logical_id(&root.at(target));
                    if let Some(id) = &id {
                        ids.insert(target, id.clone());
                    }
                    id
                }
            },
        };
        let Some(logical_id) = logical_id else {
            return Err(self.error(
                property,
                format!("'{target_path}' is not a CloudFormation element inside a stack, so it cannot be referenced"),
            ));
        };
        let local = match &reference.kind {
            RefKind::Ref => json!({ "Ref": logical_id }),
            RefKind::GetAtt(attr) => json!({ "Fn::GetAtt": [logical_id, attr] }),
            // A logical ID is a plain string wherever it is used (e.g. another stack's
            // parameter name in a pipeline's parameter overrides), as in aws-cdk-lib.
            RefKind::LogicalId => return Ok(J::String(logical_id)),
        };
        let consumer = self.stack;
        let producer = match &mut self.mode {
            Mode::Synth(state) => state.stack_of[&target],
            Mode::Standalone {
                root,
                imports,
                producers,
                ..
            } => {
                let producer = root.tree().borrow().stack_of(target);
                let Some(producer) = producer else {
                    return Ok(local);
                };
                if Some(producer) != consumer && !producers.contains(&producer) {
                    producers.push(producer);
                }
                if !*imports {
                    return Ok(local);
                }
                producer
            }
        };
        if Some(producer) == self.stack {
            return Ok(local);
        }
        if matches!(self.mode, Mode::Standalone { .. }) {
            return Ok(self.predicted_import(producer, reference, local));
        }
        self.import_from(producer, &target_path, reference, local)
    }

    /// The import synthesis will render for a reference to `producer` (see
    /// [`resolve_with_imports`]); the local reference when the stacks' environments differ.
    fn predicted_import(&self, producer: usize, reference: &Reference, local: J) -> J {
        let Some(consumer) = self.stack else {
            return local;
        };
        let producer_name = {
            let tree_rc = self.root().tree();
            let tree = tree_rc.borrow();
            if tree.stack_data(consumer).env != tree.stack_data(producer).env {
                return local;
            }
            tree.stack_data(producer).stack_name.clone()
        };
        let key_json = serde_json::to_string(&local).unwrap_or_default();
        let (export_name, _) = export_name_for(&producer_name, &key_json);
        let import = json!({ "Fn::ImportValue": export_name });
        if reference.list {
            json!({ "Fn::Split": [LIST_DELIMITER, import] })
        } else {
            import
        }
    }

    /// Exports `local` (a Ref/GetAtt resolved in the producer) and returns its import.
    fn import_from(
        &mut self,
        producer: usize,
        target_path: &str,
        reference: &Reference,
        local: J,
    ) -> Result<J> {
        let consumer = self.stack.expect("synthesis resolves in a stack");
        let (consumer_env, producer_env, consumer_path, producer_path, producer_name) = {
            let tree_rc = self.state().root.tree();
            let tree = tree_rc.borrow();
            (
                tree.stack_data(consumer).env.clone(),
                tree.stack_data(producer).env.clone(),
                tree.path_of(consumer),
                tree.path_of(producer),
                tree.stack_data(producer).stack_name.clone(),
            )
        };
        let cross_stage = {
            let tree_rc = self.state().root.tree();
            let tree = tree_rc.borrow();
            super::nested::cross_stage_problem(&tree, consumer, producer)
        };
        if let Some(problem) = cross_stage {
            return Err(Error::CrossStackReference {
                consumer: consumer_path,
                producer: producer_path,
                target: target_path.to_string(),
                message: format!(
                    "{problem}; stages deploy independently, so pass the value explicitly (e.g. a parameter, SSM parameter or a known name) instead"
                ),
            });
        }
        if consumer_env != producer_env {
            return Err(Error::CrossStackReference {
                consumer: consumer_path,
                producer: producer_path,
                target: target_path.to_string(),
                message: format!(
                    "cross-stack references only work between stacks of the same account and region ({} vs {}); pass the value explicitly (e.g. a parameter, SSM parameter or a known name) instead",
                    consumer_env.to_uri(),
                    producer_env.to_uri()
                ),
            });
        }
        let consumer_owner = self.state().root.tree().borrow().path_of(self.owner);
        self.state().stack_deps.push((
            consumer,
            producer,
            format!("{consumer_owner} references {target_path}"),
        ));
        let key_json = serde_json::to_string(&local).unwrap_or_default();
        let key = (producer, key_json.clone());
        let export_name = match self.state().exports.get(&key) {
            Some(name) => name.clone(),
            None => {
                let name = self.create_export(producer, &producer_name, &key_json, reference)?;
                self.state().exports.insert(key, name.clone());
                name
            }
        };
        let import = json!({ "Fn::ImportValue": export_name });
        Ok(if reference.list {
            json!({ "Fn::Split": [LIST_DELIMITER, import] })
        } else {
            import
        })
    }

    fn create_export(
        &mut self,
        producer: usize,
        producer_name: &str,
        key_json: &str,
        reference: &Reference,
    ) -> Result<String> {
        let producer_node = self.state().root.at(producer);
        let scope = producer_node
            .try_find_child("Exports")
            .unwrap_or_else(|| Node::new(&producer_node, "Exports"));
        let output_id = format!("Output{key_json}");
        let (export_name, local_part) = export_name_for(producer_name, key_json);
        let output = match scope.try_find_child(&output_id) {
            Some(existing) => existing,
            None => {
                let local_value = Value::Ref(reference.clone());
                let value = if reference.list {
                    Value::intrinsic(
                        "Fn::Join",
                        Value::List(vec![LIST_DELIMITER.into(), local_value]),
                    )
                } else {
                    local_value
                };
                let out = CfnOutput::new(
                    &scope,
                    &output_id,
                    CfnOutputProps {
                        value: Str::from_value(value),
                        export_name: Some(export_name.as_str().into()),
                        ..Default::default()
                    },
                );
                crate::IConstruct::node(&out).clone()
            }
        };
        if !self.state().logical_ids.contains_key(&output.idx) {
            self.state()
                .assign_logical_id(output.idx, producer, local_part)?;
            self.state().pending.push(output.idx);
        }
        Ok(export_name)
    }
}

/// The export name of a reference exported by stack `producer_name` (`key_json`: the local
/// reference's JSON), and the logical ID of its output.
fn export_name_for(producer_name: &str, key_json: &str) -> (String, String) {
    let output_id = format!("Output{key_json}");
    let local_part = make_unique_id(&["Exports", output_id.as_str()]);
    let prefix = format!("{producer_name}:");
    let skip = (local_part.len() + prefix.len()).saturating_sub(MAX_EXPORT_NAME);
    (format!("{prefix}{}", &local_part[skip..]), local_part)
}

/// Joins resolved string parts with the fewest `Fn::Join` elements: adjacent literals merged,
/// nested `Fn::Join ["", ...]` flattened, a single part returned as is.
fn minimal_join(parts: Vec<J>) -> J {
    let mut out: Vec<J> = Vec::new();
    let push = |out: &mut Vec<J>, part: J| match part {
        J::String(s) => {
            if s.is_empty() {
                return;
            }
            if let Some(J::String(last)) = out.last_mut() {
                last.push_str(&s);
            } else {
                out.push(J::String(s));
            }
        }
        other => out.push(other),
    };
    for part in parts {
        match part {
            J::Object(ref obj) if is_empty_join(obj) => {
                if let Some(J::Array(args)) = obj.get("Fn::Join") {
                    if let Some(J::Array(items)) = args.get(1) {
                        for item in items.clone() {
                            push(&mut out, item);
                        }
                    }
                }
            }
            J::Number(n) => push(&mut out, J::String(n.to_string())),
            J::Bool(b) => push(&mut out, J::String(b.to_string())),
            other => push(&mut out, other),
        }
    }
    match out.len() {
        0 => J::String(String::new()),
        1 => out.pop().unwrap_or_default(),
        _ => json!({ "Fn::Join": ["", out] }),
    }
}

fn is_empty_join(obj: &serde_json::Map<String, J>) -> bool {
    obj.len() == 1
        && matches!(obj.get("Fn::Join"), Some(J::Array(args)) if args.len() == 2 && args[0] == J::String(String::new()) && args[1].is_array())
}

impl ResolveBackend for Resolver<'_> {
    fn scope(&self) -> Node {
        self.root().at(self.owner)
    }

    fn stack(&self) -> Option<Stack> {
        let root = self.root();
        self.stack.and_then(|s| Stack::from_node(&root.at(s)))
    }

    fn resolve_nested(&mut self, value: &Value) -> Option<J> {
        if self.nested_error.is_some() {
            return None;
        }
        let mut property = self.current.clone();
        match self.resolve_depth(value, &mut property, 1) {
            Ok(v) => v,
            Err(e) => {
                self.nested_error = Some(e);
                None
            }
        }
    }

    fn fail(&mut self, message: String) {
        if self.nested_error.is_none() {
            let property = self.current.clone();
            self.nested_error = Some(self.error(&property, message));
        }
    }
}

/// The logical ID an element gets when logical IDs are allocated: its override, or the unique
/// ID of the construct IDs below its stack. `None` for non-elements or elements outside stacks.
pub(crate) fn allocated_logical_id(node: &Node) -> Option<String> {
    let tree_rc = node.tree();
    let tree = tree_rc.borrow();
    let element = tree.element(node.idx)?;
    if let Some(id) = &element.logical_id_override {
        return Some(id.clone());
    }
    let stack = tree.stack_of(node.idx)?;
    Some(make_unique_id(&super::ids_below(&tree, stack, node.idx)))
}

/// Produces `lazy` for `scope` as [`crate::resolve()`] would (nested resolutions are standalone).
pub(crate) fn produce_standalone(scope: &Node, lazy: &crate::token::Lazy) -> Value {
    let root = scope.root();
    let stack = scope.tree().borrow().stack_of(scope.idx);
    let mut resolver = Resolver {
        mode: Mode::Standalone {
            root,
            ids: HashMap::new(),
            imports: false,
            producers: Vec::new(),
        },
        stack,
        owner: scope.idx,
        current: Vec::new(),
        nested_error: None,
    };
    let mut ctx = ResolveContext {
        backend: &mut resolver,
    };
    lazy.produce(&mut ctx)
}

/// [`crate::resolve()`]: resolution in `scope`'s stack before (or outside) synthesis.
pub(crate) fn resolve_standalone(scope: &Node, value: &Value) -> Result<J> {
    resolve_standalone_with(scope, value, false)
}

/// [`crate::resolve::resolve_with_imports`].
pub(crate) fn resolve_with_imports(scope: &Node, value: &Value) -> Result<J> {
    resolve_standalone_with(scope, value, true)
}

fn resolve_standalone_with(scope: &Node, value: &Value, imports: bool) -> Result<J> {
    let root = scope.root();
    let stack = scope.tree().borrow().stack_of(scope.idx);
    let mut resolver = Resolver {
        mode: Mode::Standalone {
            root,
            ids: HashMap::new(),
            imports,
            producers: Vec::new(),
        },
        stack,
        owner: scope.idx,
        current: Vec::new(),
        nested_error: None,
    };
    Ok(resolver.resolve(value, &mut Vec::new())?.unwrap_or(J::Null))
}

/// The stacks whose elements the elements of `stack` reference (a `Ref`, `Fn::GetAtt` or
/// attribute of an element of another stack, in any property or lazy value), in the order
/// first met: the dependencies synthesis will add from references (aws-cdk-lib's
/// `resolveReferences`), known before synthesis. Values that fail to resolve are skipped (the
/// synthesis reports them).
pub(crate) fn referenced_stacks(stack: &Node) -> Vec<usize> {
    let root = stack.root();
    let mut found: Vec<usize> = Vec::new();
    for element in super::elements_of(&root, stack.idx) {
        for value in super::template::element_values(&root, element) {
            let mut resolver = Resolver {
                mode: Mode::Standalone {
                    root: root.clone(),
                    ids: HashMap::new(),
                    imports: false,
                    producers: Vec::new(),
                },
                stack: Some(stack.idx),
                owner: element,
                current: Vec::new(),
                nested_error: None,
            };
            let _ = resolver.resolve(&value, &mut Vec::new());
            if let Mode::Standalone { producers, .. } = resolver.mode {
                for p in producers {
                    if !found.contains(&p) {
                        found.push(p);
                    }
                }
            }
        }
    }
    found
}
