//! `tree.json`: the construct tree with each resource's type and resolved properties.

use std::collections::HashMap;

use serde_json::{json, Map, Value as J};

use super::template::Rendered;
use crate::cfn::ElementKind;
use crate::construct::Node;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Renders the whole tree.
pub(crate) fn render(root: &Node, rendered: &HashMap<usize, Rendered>) -> J {
    json!({"version": "tree-0.1", "tree": render_node(root, 0, rendered)})
}

fn render_node(root: &Node, idx: usize, rendered: &HashMap<usize, Rendered>) -> J {
    let tree = root.tree.borrow();
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
    out.insert("path".into(), J::String(tree.path_of(idx)));
    if !data.children.is_empty() {
        let children: Vec<usize> = data.children.clone();
        drop(tree);
        let mut map = Map::new();
        for child in children {
            let id = root.tree.borrow().nodes[child].id.clone();
            map.insert(id, render_node(root, child, rendered));
        }
        out.insert("children".into(), J::Object(map));
    } else {
        drop(tree);
    }
    let tree = root.tree.borrow();
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
    let fqn = tree.nodes[idx].fqn.clone().unwrap_or_else(|| {
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
