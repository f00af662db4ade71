//! Nested cloud assemblies: one per [`Stage`](crate::Stage), inside its parent's directory.
//!
//! Synthesis runs once over the whole tree; this module says which assembly each stack belongs
//! to, lists the `cdk:cloud-assembly` artifacts, refuses dependencies that cross a stage
//! boundary and computes paths from a nested assembly to the root's staged assets.

use crate::construct::{Node, Tree};
use crate::error::ValidationError;

/// A nested cloud assembly of a synthesized app (one per stage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedAssemblyArtifact {
    /// The artifact ID in the parent's manifest, also its directory name there
    /// (`assembly-PipelineStack-Dev`).
    pub artifact_id: String,
    /// The stage's construct path (the artifact's `displayName`, e.g. `PipelineStack/Dev`).
    pub display_name: String,
    /// Its directory relative to the root assembly (`assembly-Beta/assembly-Beta-Inner`).
    pub directory: String,
    /// The parent assembly's directory relative to the root (`""` for the root).
    pub parent_directory: String,
    /// The stage name (prefix of its stacks' names).
    pub stage_name: String,
}

/// Every stage of the tree as a nested assembly, in tree order (parents before children).
pub(crate) fn nested_assemblies(root: &Node) -> Vec<NestedAssemblyArtifact> {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    tree.preorder(0)
        .into_iter()
        .filter(|&i| tree.is_stage(i))
        .map(|i| {
            let data = tree.stage_data(i);
            NestedAssemblyArtifact {
                artifact_id: data.artifact_id.clone(),
                display_name: tree.path_of(i),
                directory: crate::stage::assembly_directory(&tree, Some(i)),
                parent_directory: crate::stage::assembly_directory(&tree, tree.stage_of(i)),
                stage_name: data.stage_name.clone(),
            }
        })
        .collect()
}

/// The assembly directory of a stack (relative to the root; `""` for the app's own).
pub(crate) fn directory_of_stack(tree: &Tree, stack: usize) -> String {
    crate::stage::assembly_directory(tree, tree.stage_of(stack))
}

/// aws-cdk-lib's description of the stage a stack belongs to.
fn describe_stage(tree: &Tree, stage: Option<usize>) -> String {
    match stage {
        Some(s) => format!("Stage '{}'", tree.path_of(s)),
        None => "the App".into(),
    }
}

/// aws-cdk-lib's refusal of a dependency of stack `source` on stack `target` when they belong
/// to different stages; `None` when they share one.
pub(crate) fn cross_stage_problem(tree: &Tree, source: usize, target: usize) -> Option<String> {
    let (a, b) = (tree.stage_of(source), tree.stage_of(target));
    (a != b).then(|| {
        format!(
            "You cannot have a dependency from '{}' (in {}) to '{}' (in {}): dependency cannot cross stage boundaries",
            tree.path_of(source),
            describe_stage(tree, a),
            tree.path_of(target),
            describe_stage(tree, b)
        )
    })
}

/// One error per stack dependency `(source, target, reason)` that crosses a stage boundary.
pub(crate) fn stage_boundary_errors(
    tree: &Tree,
    dependencies: &[(usize, usize, String)],
) -> Vec<ValidationError> {
    let mut errors: Vec<ValidationError> = Vec::new();
    for (source, target, reason) in dependencies {
        if let Some(problem) = cross_stage_problem(tree, *source, *target) {
            let error = ValidationError {
                path: tree.path_of(*source),
                message: format!("{problem} ({reason})"),
            };
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
    }
    errors
}

/// `path` (relative to the root assembly) as seen from the assembly in `directory`
/// (`asset.x` from `assembly-A/assembly-A-B` is `../../asset.x`).
pub(crate) fn relative_to(directory: &str, path: &str) -> String {
    if directory.is_empty() {
        return path.to_string();
    }
    let depth = directory.split('/').count();
    format!("{}{path}", "../".repeat(depth))
}

/// `path` inside the assembly `directory`, relative to the root.
pub(crate) fn inside(directory: &str, path: &str) -> String {
    if directory.is_empty() {
        path.to_string()
    } else {
        format!("{directory}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_between_assemblies() {
        assert_eq!(relative_to("", "asset.1"), "asset.1");
        assert_eq!(relative_to("assembly-A", "asset.1"), "../asset.1");
        assert_eq!(
            relative_to("assembly-A/assembly-A-B", "asset.1"),
            "../../asset.1"
        );
        assert_eq!(inside("", "S.template.json"), "S.template.json");
        assert_eq!(
            inside("assembly-A", "S.template.json"),
            "assembly-A/S.template.json"
        );
    }
}
