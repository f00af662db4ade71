//! Aspects: visitors applied to every construct below a scope just before synthesis.
//!
//! An aspect may add constructs; new constructs are visited too (aspects run until the tree
//! stops changing). As in aws-cdk-lib, an aspect does not apply inside a
//! [`Stage`](crate::Stage) below its scope: add it to the stage as well.
//!
//! ```
//! use std::rc::Rc;
//! use cdk_core::{App, Aspect, Aspects, Node, Stack, StackProps};
//!
//! struct Audit;
//! impl Aspect for Audit {
//!     fn visit(&self, node: &Node) {
//!         if node.is_stack() { node.add_warning("audited"); }
//!     }
//! }
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps::default());
//! Aspects::of(&app).add(Rc::new(Audit));
//! ```

use std::rc::Rc;

use crate::construct::{IConstruct, Node};

/// A visitor applied to every construct in a scope at synth.
pub trait Aspect {
    /// Called once for every construct below (and including) the scope it was added to, up to
    /// (not into) nested stages.
    fn visit(&self, node: &Node);
}

/// The aspects of one scope.
pub struct Aspects {
    node: Node,
}

impl Aspects {
    /// The aspects of `scope`.
    pub fn of(scope: &impl IConstruct) -> Aspects {
        Aspects {
            node: scope.node().clone(),
        }
    }

    /// Adds an aspect applied to `scope` and everything below it.
    pub fn add(&self, aspect: Rc<dyn Aspect>) {
        self.node.tree().borrow_mut().nodes[self.node.idx]
            .aspects
            .push(aspect);
    }

    /// Number of aspects added directly to this scope.
    pub fn len(&self) -> usize {
        self.node.tree().borrow().nodes[self.node.idx].aspects.len()
    }

    /// True when no aspect was added directly to this scope.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const MAX_PASSES: usize = 100;

/// Applies every aspect to every construct in its scope; repeats for constructs that aspects add.
/// Returns a warning when the tree was still changing after the last pass.
pub(crate) fn invoke_aspects(root: &Node) -> Option<String> {
    for _ in 0..MAX_PASSES {
        let mut invoked = false;
        // Walk with the inherited aspect list; the tree may grow while we visit.
        let mut work: Vec<(usize, Vec<Rc<dyn Aspect>>)> = vec![(root.idx, Vec::new())];
        while let Some((idx, inherited)) = work.pop() {
            let (own, children) = {
                let tree_rc = root.tree();
                let tree = tree_rc.borrow();
                (
                    tree.nodes[idx].aspects.clone(),
                    tree.nodes[idx].children.clone(),
                )
            };
            let mut all = inherited;
            all.extend(own);
            let node = root.at(idx);
            for aspect in &all {
                let key = (idx, Rc::as_ptr(aspect) as *const ());
                let first_time = root.tree().borrow_mut().aspects_applied.insert(key);
                if first_time {
                    aspect.visit(&node);
                    invoked = true;
                }
            }
            // Re-read children: the aspect may have added some.
            let children_now = root.tree().borrow().nodes[idx].children.clone();
            let children = if children_now.len() != children.len() {
                children_now
            } else {
                children
            };
            for &child in children.iter().rev() {
                // Aspects do not cross into a stage (aws-cdk-lib invokes each stage's own).
                let inherited = if root.tree().borrow().is_stage(child) {
                    Vec::new()
                } else {
                    all.clone()
                };
                work.push((child, inherited));
            }
        }
        if !invoked {
            return None;
        }
    }
    Some(format!(
        "aspects were still adding constructs after {MAX_PASSES} passes; some constructs may not have been visited"
    ))
}
