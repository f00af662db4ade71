//! Names derived from construct paths, exactly as aws-cdk-lib's `Names` computes them.
//!
//! ```
//! use cdk_core::{App, Names, Node, Stack, StackProps, UniqueResourceNameOptions};
//! let app = App::new();
//! let stack = Stack::new(&app, "PipelineStack", StackProps::default());
//! let pipeline = Node::new(&stack, "Pipeline");
//! assert_eq!(Names::unique_id(&pipeline), "PipelineStackPipeline9DB740AF");
//! let alias = Names::unique_resource_name(&pipeline, &UniqueResourceNameOptions {
//!     separator: "-".into(),
//!     max_length: 237,
//!     allowed_special_characters: "/_-".into(),
//! });
//! assert_eq!(alias.to_lowercase(), "pipelinestack-pipeline-9db740af");
//! ```

use crate::construct::IConstruct;
use crate::logical_id::{make_unique_id, path_hash};
use crate::stack::Stack;

/// Options of [`Names::unique_resource_name`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UniqueResourceNameOptions {
    /// Joins the path components (default none).
    pub separator: String,
    /// Maximum length of the name (default 256); the human part is cut in the middle.
    pub max_length: usize,
    /// Characters kept besides letters and digits (default none).
    pub allowed_special_characters: String,
}

impl Default for UniqueResourceNameOptions {
    fn default() -> Self {
        UniqueResourceNameOptions {
            separator: String::new(),
            max_length: 256,
            allowed_special_characters: String::new(),
        }
    }
}

/// Unique names of constructs.
pub struct Names;

impl Names {
    /// aws-cdk-lib's `Names.uniqueId` / `Names.nodeUniqueId`: the logical-ID algorithm applied
    /// to every construct ID from the app's child down (stack ID included); `""` for the app.
    pub fn unique_id(construct: &impl IConstruct) -> String {
        let node = construct.node();
        let ids = node.tree().borrow().ids_of(node.idx);
        if ids.is_empty() {
            String::new()
        } else {
            make_unique_id(&ids)
        }
    }

    /// aws-cdk-lib's `Names.uniqueResourceName`: the name of the innermost stack, then the IDs
    /// below it (without `Default`, repeated suffixes and `Resource`), stripped of characters
    /// other than letters, digits and `allowed_special_characters`, joined with `separator`,
    /// followed by the separator and an 8-character hash of the path; the human part is cut in
    /// the middle to fit `max_length`.
    pub fn unique_resource_name(
        construct: &impl IConstruct,
        options: &UniqueResourceNameOptions,
    ) -> String {
        let node = construct.node();
        let scopes = node.scopes();
        let last_stack = scopes.iter().rposition(|s| s.is_stack()).unwrap_or(0);
        let components: Vec<String> = scopes[last_stack..]
            .iter()
            .map(|s| match Stack::from_node(s) {
                Some(stack) => stack.stack_name(),
                None => s.id(),
            })
            .filter(|c| c != "Default")
            .collect();
        let clean = |s: &str| -> String {
            s.chars()
                .filter(|c| {
                    c.is_ascii_alphanumeric() || options.allowed_special_characters.contains(*c)
                })
                .collect()
        };
        if components.len() == 1 {
            let single = clean(&components[0]);
            if single.chars().count() <= options.max_length {
                return single;
            }
        }
        let hash = path_hash(&components.iter().map(String::as_str).collect::<Vec<_>>());
        let mut kept: Vec<&str> = Vec::new();
        for c in &components {
            if kept.last().is_some_and(|prev| prev.ends_with(c.as_str())) {
                continue;
            }
            kept.push(c);
        }
        let mut human = kept
            .iter()
            .filter(|c| **c != "Resource")
            .map(|c| clean(c))
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(&options.separator);
        human.push_str(&options.separator);
        let max_human = options.max_length.saturating_sub(8);
        let chars: Vec<char> = human.chars().collect();
        if chars.len() > max_human {
            // JavaScript's slice(0, n/2) + slice(-n/2): a fractional half truncates toward 0.
            let half = max_human / 2;
            let head: String = chars[..half].iter().collect();
            let tail: String = chars[chars.len() - half..].iter().collect();
            human = head + &tail;
        }
        human + &hash
    }
}
