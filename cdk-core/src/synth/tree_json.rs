//! `tree.json`: the construct tree with each resource's type and resolved properties.

use std::collections::HashMap;

use serde_json::{json, Map, Value as J};

use super::template::Rendered;
use crate::cfn::ElementKind;
use crate::construct::{Node, Tree};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Renders the whole tree (one borrow, paths built incrementally: linear in the tree size).
pub(crate) fn render(root: &Node, rendered: &HashMap<usize, Rendered>) -> J {
    let tree = root.tree.borrow();
    json!({"version": "tree-0.1", "tree": render_node(&tree, 0, String::new(), rendered)})
}

fn render_node(tree: &Tree, idx: usize, path: String, rendered: &HashMap<usize, Rendered>) -> J {
    let data = &tree.nodes[idx];
    let mut out = Map::new();
    out.insert(
        "id".into(),
        J::String(if idx == 0 {
            "App".into()
        } else {
            data.id.clone()
        }),
    );
    if !data.children.is_empty() {
        let mut children = Map::with_capacity(data.children.len());
        for &child in &data.children {
            let id = &tree.nodes[child].id;
            let child_path = if path.is_empty() {
                id.clone()
            } else {
                format!("{path}/{id}")
            };
            children.insert(id.clone(), render_node(tree, child, child_path, rendered));
        }
        out.insert("path".into(), J::String(path));
        out.insert("children".into(), J::Object(children));
    } else {
        out.insert("path".into(), J::String(path));
    }
    if let Some(ElementKind::Resource(r)) = tree.element(idx).map(|e| &e.kind) {
        let props = rendered
            .get(&idx)
            .and_then(Rendered::properties)
            .cloned()
            .unwrap_or_else(|| J::Object(Map::new()));
        out.insert(
            "attributes".into(),
            json!({"aws:cdk:cloudformation:type": r.resource_type, "aws:cdk:cloudformation:props": props}),
        );
    }
    let fqn = data.fqn.clone().unwrap_or_else(|| {
        if idx == 0 {
            "cdk-core.App".into()
        } else {
            "cdk-core.Construct".into()
        }
    });
    out.insert(
        "constructInfo".into(),
        json!({"fqn": fqn, "version": VERSION}),
    );
    J::Object(out)
}
