//! `tree.json`: the construct tree with each resource's type and resolved properties.
//!
//! Serialized straight to text (no intermediate JSON tree): linear in the tree size, and the
//! resolved properties are written by reference.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::json;

use super::template::Rendered;
use crate::cfn::ElementKind;
use crate::construct::{Node, Tree};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Renders the whole tree as JSON text (1-space indentation).
pub(crate) fn render_text(root: &Node, rendered: &[Option<Rendered>]) -> String {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    let doc = TreeDoc {
        root: TreeNode {
            tree: &tree,
            idx: 0,
            path: String::new(),
            rendered,
        },
    };
    super::manifest::to_json_text(&doc, b" ")
}

struct TreeDoc<'a> {
    root: TreeNode<'a>,
}

impl Serialize for TreeDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("version", "tree-0.1")?;
        map.serialize_entry("tree", &self.root)?;
        map.end()
    }
}

struct TreeNode<'a> {
    tree: &'a Tree,
    idx: usize,
    path: String,
    rendered: &'a [Option<Rendered>],
}

struct Children<'a> {
    parent: &'a TreeNode<'a>,
}

impl Serialize for Children<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.parent;
        let children = &p.tree.nodes[p.idx].children;
        let mut map = s.serialize_map(Some(children.len()))?;
        for &child in children {
            let id = &p.tree.nodes[child].id;
            let path = if p.path.is_empty() {
                id.clone()
            } else {
                format!("{}/{id}", p.path)
            };
            let node = TreeNode {
                tree: p.tree,
                idx: child,
                path,
                rendered: p.rendered,
            };
            map.serialize_entry(id, &node)?;
        }
        map.end()
    }
}

impl Serialize for TreeNode<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let data = &self.tree.nodes[self.idx];
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", if self.idx == 0 { "App" } else { &data.id })?;
        map.serialize_entry("path", &self.path)?;
        if !data.children.is_empty() {
            map.serialize_entry("children", &Children { parent: self })?;
        }
        if let Some(ElementKind::Resource(r)) = self.tree.element(self.idx).map(|e| &e.kind) {
            let empty = serde_json::Value::Object(serde_json::Map::new());
            let props = self
                .rendered
                .get(self.idx)
                .and_then(Option::as_ref)
                .and_then(Rendered::properties)
                .unwrap_or(&empty);
            map.serialize_entry(
                "attributes",
                &Attributes {
                    resource_type: &r.resource_type,
                    props,
                },
            )?;
        }
        let fqn = data.fqn.as_deref().unwrap_or(if self.idx == 0 {
            "cdk-core.App"
        } else {
            "cdk-core.Construct"
        });
        map.serialize_entry("constructInfo", &json!({"fqn": fqn, "version": VERSION}))?;
        map.end()
    }
}

struct Attributes<'a> {
    resource_type: &'a str,
    props: &'a serde_json::Value,
}

impl Serialize for Attributes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("aws:cdk:cloudformation:type", self.resource_type)?;
        map.serialize_entry("aws:cdk:cloudformation:props", self.props)?;
        map.end()
    }
}
