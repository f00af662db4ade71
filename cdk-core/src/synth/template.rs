//! Rendering elements and assembling a stack's template.

use std::collections::HashMap;

use serde_json::{Map, Value as J};

use super::resolve::{Resolver, SynthState};
use crate::cfn::ElementKind;
use crate::construct::Node;
use crate::error::{Error, Result};
use crate::token::Value;

/// An element rendered into template JSON; overrides are resolved but applied at assembly.
pub(crate) struct Rendered {
    pub(crate) section: &'static str,
    pub(crate) body: J,
    pub(crate) overrides: Vec<(Vec<String>, Option<J>)>,
}

impl Rendered {
    /// The resolved `Properties` of a resource (for tree.json).
    pub(crate) fn properties(&self) -> Option<&J> {
        self.body.get("Properties")
    }
}

/// Owned snapshot of what an element renders from (so user code in lazy values can use the
/// tree while we resolve).
enum Snapshot {
    Resource {
        resource_type: String,
        properties: Vec<(String, Value)>,
        deletion_policy: Option<&'static str>,
        update_replace_policy: Option<&'static str>,
        creation_policy: Option<Value>,
        update_policy: Option<Value>,
        condition: Option<usize>,
        metadata: Vec<(String, Value)>,
        overrides: Vec<(Vec<String>, Option<Value>)>,
    },
    Other {
        section: &'static str,
        body: Vec<(String, Value)>,
    },
}

fn snapshot(root: &Node, element: usize) -> Snapshot {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    let data = tree.element(element).expect("rendered nodes are elements");
    match &data.kind {
        ElementKind::Resource(r) => {
            let mut properties: Vec<(String, Value)> = r
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if let Some(tags) = &r.tags {
                let initial = r.properties.get(&tags.property);
                let rendered = tags.render(initial);
                properties.retain(|(k, _)| *k != tags.property);
                if let Some(value) = rendered {
                    properties.push((tags.property.clone(), value));
                    properties.sort_by(|a, b| a.0.cmp(&b.0));
                }
            }
            // aws-cdk-lib writes the path only when the context enables it (the CDK CLI does).
            let mut metadata = Vec::new();
            if path_metadata_enabled(&tree, element) {
                metadata.push((
                    "aws:cdk:path".to_string(),
                    Value::from(tree.path_of(element)),
                ));
            }
            metadata.extend(r.cfn_metadata.iter().map(|(k, v)| (k.clone(), v.clone())));
            Snapshot::Resource {
                resource_type: r.resource_type.clone(),
                properties,
                deletion_policy: r.deletion_policy,
                update_replace_policy: r.update_replace_policy,
                creation_policy: r.creation_policy.clone(),
                update_policy: r.update_policy.clone(),
                condition: r.condition,
                metadata,
                overrides: r.overrides.clone(),
            }
        }
        ElementKind::Other { section, body } => Snapshot::Other {
            section,
            body: body.clone(),
        },
    }
}

/// The values an element renders from (resource properties and metadata, or the body of an
/// output, parameter, condition, ...), for a resolution outside synthesis.
pub(crate) fn element_values(root: &Node, element: usize) -> Vec<Value> {
    match snapshot(root, element) {
        Snapshot::Resource {
            properties,
            metadata,
            overrides,
            ..
        } => properties
            .into_iter()
            .chain(metadata)
            .map(|(_, v)| v)
            .chain(overrides.into_iter().filter_map(|(_, v)| v))
            .collect(),
        Snapshot::Other { body, .. } => body.into_iter().map(|(_, v)| v).collect(),
    }
}

/// Context key that turns on the `aws:cdk:path` metadata of resources (the CDK CLI sets it).
pub const PATH_METADATA_ENABLE_CONTEXT: &str = "aws:cdk:enable-path-metadata";

/// Whether resources below `idx` get `aws:cdk:path` metadata: the context value is truthy
/// (aws-cdk-lib reads it the same way; absent means off).
fn path_metadata_enabled(tree: &crate::construct::Tree, mut idx: usize) -> bool {
    loop {
        if let Some(v) = tree.nodes[idx].context.get(PATH_METADATA_ENABLE_CONTEXT) {
            return crate::feature_flags::is_truthy(v);
        }
        match tree.nodes[idx].parent {
            Some(p) => idx = p,
            None => return false,
        }
    }
}

/// Renders one element of `stack`.
pub(crate) fn render_element(
    state: &mut SynthState,
    stack: usize,
    element: usize,
) -> Result<Rendered> {
    let snap = snapshot(&state.root, element);
    let mut resolver = Resolver::synth(state, stack, element);
    let mut path = Vec::new();
    match snap {
        Snapshot::Other { section, body } => {
            let json = if body.len() == 1 && body[0].0.is_empty() {
                resolver.resolve(&body[0].1, &mut path)?.unwrap_or(J::Null)
            } else {
                resolve_pairs(&mut resolver, &body, &mut path)?
            };
            Ok(Rendered {
                section,
                body: json,
                overrides: Vec::new(),
            })
        }
        Snapshot::Resource {
            resource_type,
            properties,
            deletion_policy,
            update_replace_policy,
            creation_policy,
            update_policy,
            condition,
            metadata,
            overrides,
        } => {
            let mut body = Map::new();
            body.insert("Type".into(), J::String(resource_type));
            path.push("Properties".to_string());
            let props = resolve_pairs(&mut resolver, &properties, &mut path)?;
            path.pop();
            if props.as_object().is_some_and(|m| !m.is_empty()) {
                body.insert("Properties".into(), props);
            }
            if let Some(policy) = creation_policy {
                path.push("CreationPolicy".into());
                if let Some(v) = resolver.resolve(&policy, &mut path)? {
                    body.insert("CreationPolicy".into(), v);
                }
                path.pop();
            }
            if let Some(policy) = update_policy {
                path.push("UpdatePolicy".into());
                if let Some(v) = resolver.resolve(&policy, &mut path)? {
                    body.insert("UpdatePolicy".into(), v);
                }
                path.pop();
            }
            if let Some(p) = update_replace_policy {
                body.insert("UpdateReplacePolicy".into(), J::String(p.into()));
            }
            if let Some(p) = deletion_policy {
                body.insert("DeletionPolicy".into(), J::String(p.into()));
            }
            path.push("Metadata".into());
            let meta = resolve_pairs(&mut resolver, &metadata, &mut path)?;
            path.pop();
            if meta.as_object().is_some_and(|m| !m.is_empty()) {
                body.insert("Metadata".into(), meta);
            }
            if let Some(condition) = condition {
                let reference = Value::Ref(crate::token::Reference {
                    tree: resolver.state().root.tree.clone(),
                    idx: condition,
                    kind: crate::token::RefKind::LogicalId,
                    list: false,
                });
                path.push("Condition".into());
                if let Some(v) = resolver.resolve(&reference, &mut path)? {
                    body.insert("Condition".into(), v);
                }
                path.pop();
            }
            let mut resolved_overrides = Vec::with_capacity(overrides.len());
            for (parts, value) in overrides {
                let resolved = match value {
                    Some(v) => {
                        let mut p = parts.clone();
                        Some(resolver.resolve(&v, &mut p)?.unwrap_or(J::Null))
                    }
                    None => None,
                };
                resolved_overrides.push((parts, resolved));
            }
            Ok(Rendered {
                section: "Resources",
                body: J::Object(body),
                overrides: resolved_overrides,
            })
        }
    }
}

fn resolve_pairs(
    resolver: &mut Resolver<'_>,
    pairs: &[(String, Value)],
    path: &mut Vec<String>,
) -> Result<J> {
    let mut out = Map::with_capacity(pairs.len());
    for (k, v) in pairs {
        path.push(k.clone());
        let r = resolver.resolve(v, path);
        path.pop();
        if let Some(v) = r? {
            out.insert(k.clone(), v);
        }
    }
    Ok(J::Object(out))
}

/// Builds the template of `stack` from its rendered elements (in tree order).
pub(crate) fn assemble(
    root: &Node,
    stack: usize,
    elements: &[usize],
    rendered: &mut [Option<Rendered>],
    state: &SynthState,
    depends_on: &HashMap<usize, Vec<usize>>,
) -> Result<J> {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    let data = tree.stack_data(stack);
    let mut template = Map::new();
    if let Some(d) = &data.description {
        template.insert("Description".into(), J::String(d.clone()));
    }
    match data.transforms.len() {
        0 => {}
        1 => {
            template.insert("Transform".into(), J::String(data.transforms[0].clone()));
        }
        _ => {
            template.insert("Transform".into(), J::from(data.transforms.clone()));
        }
    }
    for &element in elements {
        let Some(r) = rendered.get_mut(element).and_then(Option::take) else {
            continue;
        };
        let logical_id = state.logical_ids[&element].clone();
        let mut body = r.body;
        if let Some(targets) = depends_on.get(&element) {
            let mut targets: Vec<(String, String)> = targets
                .iter()
                .filter(|t| !tree.skipped.contains(t))
                .map(|t| (tree.path_of(*t), state.logical_ids[t].clone()))
                .collect();
            targets.sort_by(|(a, _), (b, _)| crate::collate::locale_compare(a, b));
            targets.dedup_by(|a, b| a.1 == b.1);
            let ids: Vec<J> = targets.into_iter().map(|(_, id)| J::String(id)).collect();
            if !ids.is_empty() {
                insert_depends_on(&mut body, J::Array(ids));
            }
        }
        for (parts, value) in r.overrides {
            apply_override(&mut body, &parts, value).map_err(|message| Error::Resolve {
                path: tree.path_of(element),
                property: parts.join("."),
                message,
            })?;
        }
        let section = template
            .entry(r.section)
            .or_insert_with(|| J::Object(Map::new()));
        if let J::Object(section) = section {
            section.insert(logical_id, body);
        }
    }
    Ok(J::Object(template))
}

fn insert_depends_on(body: &mut J, ids: J) {
    let J::Object(map) = body else { return };
    let anchor = if map.contains_key("Properties") {
        "Properties"
    } else {
        "Type"
    };
    for (k, v) in std::mem::take(map) {
        let is_anchor = k == anchor;
        map.insert(k, v);
        if is_anchor {
            map.insert("DependsOn".into(), ids.clone());
        }
    }
}

/// Deep-merges an override into a rendered element (`None` deletes the path).
fn apply_override(
    body: &mut J,
    parts: &[String],
    value: Option<J>,
) -> std::result::Result<(), String> {
    let (last, parents) = parts.split_last().ok_or("empty override path")?;
    let mut cur = body;
    for part in parents {
        let J::Object(map) = cur else {
            return Err(format!(
                "cannot override inside '{part}': the value there is not an object"
            ));
        };
        if value.is_none() && !map.contains_key(part) {
            return Ok(());
        }
        cur = map
            .entry(part.clone())
            .or_insert_with(|| J::Object(Map::new()));
        if !cur.is_object() {
            *cur = J::Object(Map::new());
        }
    }
    let J::Object(map) = cur else {
        return Err("override target is not an object".into());
    };
    match value {
        None => {
            map.shift_remove(last);
        }
        Some(v) => match (map.get_mut(last), v) {
            (Some(existing @ J::Object(_)), J::Object(new)) => deep_merge(existing, new),
            (_, v) => {
                map.insert(last.clone(), v);
            }
        },
    }
    Ok(())
}

fn deep_merge(target: &mut J, source: Map<String, J>) {
    let J::Object(t) = target else { return };
    for (k, v) in source {
        match (t.get_mut(&k), v) {
            (Some(existing @ J::Object(_)), J::Object(inner)) => deep_merge(existing, inner),
            (_, v) => {
                t.insert(k, v);
            }
        }
    }
}

/// Template text: JSON with 1-space indentation, as aws-cdk-lib writes it.
pub(crate) fn to_text(template: &J) -> String {
    super::manifest::to_json_text(template, b" ")
}
