//! Resolution of [`Value`]s into CloudFormation JSON inside one stack, including cross-stack
//! references (exports and `Fn::ImportValue`).

use std::collections::HashMap;

use serde_json::{json, Value as J};

use crate::cfn::{CfnOutput, CfnOutputProps};
use crate::construct::Node;
use crate::error::{Error, Result};
use crate::logical_id::make_unique_id;
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
    /// (consumer stack, producer stack, reason).
    pub(crate) stack_deps: Vec<(usize, usize, String)>,
    /// Every lazy value produced, with what it produced (in order).
    pub(crate) lazies: Vec<(crate::token::Lazy, Value)>,
}

impl SynthState {
    /// Records an element's logical ID, failing on a duplicate within its stack.
    pub(crate) fn assign_logical_id(
        &mut self,
        element: usize,
        stack: usize,
        id: String,
    ) -> Result<()> {
        let path = self.root.tree.borrow().path_of(element);
        if let Some(first) = self.taken_ids.get(&(stack, id.clone())) {
            if *first != path {
                return Err(Error::DuplicateLogicalId {
                    stack: self.root.tree.borrow().path_of(stack),
                    logical_id: id,
                    first: first.clone(),
                    second: path,
                });
            }
        }
        self.taken_ids.insert((stack, id.clone()), path);
        self.logical_ids.insert(element, id);
        self.stack_of.insert(element, stack);
        Ok(())
    }
}

/// Resolves values owned by one element of one stack.
pub(crate) struct Resolver<'a> {
    pub(crate) state: &'a mut SynthState,
    pub(crate) stack: usize,
    pub(crate) owner: usize,
}

impl Resolver<'_> {
    fn error(&self, property: &[String], message: impl Into<String>) -> Error {
        Error::Resolve {
            path: self.state.root.tree.borrow().path_of(self.owner),
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
                let produced = lazy.produce();
                let r = self.resolve_depth(&produced, property, depth + 1);
                self.state.lazies.push((lazy.clone(), produced));
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
        let same_tree = reference
            .tree
            .upgrade()
            .is_some_and(|t| std::rc::Rc::ptr_eq(&t, &self.state.root.tree));
        if !same_tree {
            return Err(self.error(property, "the referenced construct belongs to another app"));
        }
        let target_path = self.state.root.tree.borrow().path_of(target);
        let Some(logical_id) = self.state.logical_ids.get(&target).cloned() else {
            return Err(self.error(
                property,
                format!("'{target_path}' is not a CloudFormation element inside a stack, so it cannot be referenced"),
            ));
        };
        let producer = self.state.stack_of[&target];
        let local = match &reference.kind {
            RefKind::Ref => json!({ "Ref": logical_id }),
            RefKind::GetAtt(attr) => json!({ "Fn::GetAtt": [logical_id, attr] }),
            // A logical ID is a plain string wherever it is used (e.g. another stack's
            // parameter name in a pipeline's parameter overrides), as in aws-cdk-lib.
            RefKind::LogicalId => return Ok(J::String(logical_id)),
        };
        if producer == self.stack {
            return Ok(local);
        }
        self.import_from(producer, &target_path, reference, local)
    }

    /// Exports `local` (a Ref/GetAtt resolved in the producer) and returns its import.
    fn import_from(
        &mut self,
        producer: usize,
        target_path: &str,
        reference: &Reference,
        local: J,
    ) -> Result<J> {
        let (consumer_env, producer_env, consumer_path, producer_path, producer_name) = {
            let tree = self.state.root.tree.borrow();
            (
                tree.stack_data(self.stack).env.clone(),
                tree.stack_data(producer).env.clone(),
                tree.path_of(self.stack),
                tree.path_of(producer),
                tree.stack_data(producer).stack_name.clone(),
            )
        };
        let cross_stage = {
            let tree = self.state.root.tree.borrow();
            super::nested::cross_stage_problem(&tree, self.stack, producer)
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
        let consumer_owner = self.state.root.tree.borrow().path_of(self.owner);
        self.state.stack_deps.push((
            self.stack,
            producer,
            format!("{consumer_owner} references {target_path}"),
        ));
        let key_json = serde_json::to_string(&local).unwrap_or_default();
        let key = (producer, key_json.clone());
        let export_name = match self.state.exports.get(&key) {
            Some(name) => name.clone(),
            None => {
                let name = self.create_export(producer, &producer_name, &key_json, reference)?;
                self.state.exports.insert(key, name.clone());
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
        let producer_node = self.state.root.at(producer);
        let scope = producer_node
            .try_find_child("Exports")
            .unwrap_or_else(|| Node::new(&producer_node, "Exports"));
        let output_id = format!("Output{key_json}");
        let local_part = make_unique_id(&["Exports", output_id.as_str()]);
        let prefix = format!("{producer_name}:");
        let skip = (local_part.len() + prefix.len()).saturating_sub(MAX_EXPORT_NAME);
        let export_name = format!("{prefix}{}", &local_part[skip..]);
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
        if !self.state.logical_ids.contains_key(&output.idx) {
            self.state
                .assign_logical_id(output.idx, producer, local_part)?;
            self.state.pending.push(output.idx);
        }
        Ok(export_name)
    }
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
