//! Stages: a group of stacks deployed together to one environment, synthesized into a nested
//! cloud assembly of its own (aws-cdk-lib's `Stage`).
//!
//! A stage is a construct under the app, a stack or another stage. Its stacks
//!
//! - default to the stage's environment (account and region each inherited from the enclosing
//!   stage when the stage sets none);
//! - are named `<stageName>-<stackId>` (the stage name defaults to the construct ID; nested
//!   stages join their names with `-`), with artifact IDs and logical IDs exactly as
//!   aws-cdk-lib computes them;
//! - are written to the nested assembly `assembly-<Path-With-Dashes>/` of the output directory,
//!   with its own `manifest.json`; the parent assembly lists it as a `cdk:cloud-assembly`
//!   artifact. Staged assets stay in the root assembly, shared by every nested one (their asset
//!   manifests point at `../asset.<hash>`), as aws-cdk-lib stages them.
//!
//! Stacks of different stages are deployed independently, so references and dependencies
//! between them are refused at synthesis, naming both stacks (as aws-cdk-lib does). Aspects
//! (and so [`Tags`](crate::Tags)) added above a stage do not apply inside it, as in
//! aws-cdk-lib: add them to the stage.
//!
//! ```
//! use cdk_core::{App, CfnResource, CfnResourceProps, Environment, Stack, StackProps, Stage, StageProps};
//!
//! let app = App::new();
//! let pipeline = Stack::new(&app, "PipelineStack", StackProps {
//!     env: Some(Environment::new("111111111111", "us-east-1")),
//!     ..Default::default()
//! });
//! CfnResource::new(&pipeline, "Marker", CfnResourceProps { resource_type: "AWS::SNS::Topic".into(), ..Default::default() });
//! let prod = Stage::new(&pipeline, "Prod", StageProps {
//!     env: Some(Environment::new("222222222222", "us-east-1")),
//!     stage_name: Some("prod".into()),
//!     ..Default::default()
//! });
//! let application = Stack::new(&prod, "Application", StackProps::default());
//! CfnResource::new(&application, "Topic", CfnResourceProps { resource_type: "AWS::SNS::Topic".into(), ..Default::default() });
//!
//! assert_eq!(application.stack_name(), "prod-Application");
//! assert_eq!(application.artifact_id(), "PipelineStackProdApplication14C70714");
//! assert_eq!(application.environment(), Environment::new("222222222222", "us-east-1"));
//! assert_eq!(prod.artifact_id(), "assembly-PipelineStack-Prod");
//! assert_eq!(Stage::of(&application), Some(prod.clone()));
//!
//! let assembly = app.synth_in_memory().unwrap();
//! let artifact = assembly.stack("prod-Application").unwrap();
//! assert_eq!(artifact.assembly_directory, "assembly-PipelineStack-Prod");
//! assert_eq!(assembly.nested_assemblies[0].display_name, "PipelineStack/Prod");
//! ```

use std::path::PathBuf;

use crate::construct::{IConstruct, Node, NodeKind};
use crate::error::ValidationError;
use crate::stack::{Environment, Stack};

/// Properties of a [`Stage`].
#[derive(Clone, Debug, Default)]
pub struct StageProps {
    /// Default environment of the stage's stacks. An account or region left unset is
    /// inherited from the enclosing stage; stacks may still set their own.
    pub env: Option<Environment>,
    /// The stage name, prefix of its stacks' names (default: the construct ID). A nested
    /// stage's name is its parent's name, `-` and this.
    pub stage_name: Option<String>,
    /// aws-cdk-lib's `outdir`: only a stage at the root of a construct tree may have its own
    /// output directory. In rcdk the root is always the [`App`](crate::App) (set
    /// [`AppProps::outdir`](crate::AppProps::outdir)); a stage writes into its parent's
    /// assembly, so setting this is refused at synthesis, as aws-cdk-lib refuses it for
    /// nested stages.
    pub outdir: Option<PathBuf>,
}

/// What the tree keeps of a stage.
pub(crate) struct StageData {
    /// The full stage name (parent stage names joined with `-`); may be empty for none.
    pub(crate) stage_name: String,
    /// The default environment of the stage's stacks (already merged with the parent's).
    pub(crate) env: Environment,
    /// `assembly-<Path-With-Dashes>`: the nested assembly's artifact ID and directory name.
    pub(crate) artifact_id: String,
}

/// A group of stacks synthesized into a nested cloud assembly (see the [module
/// docs](crate::stage)).
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    node: Node,
}

impl IConstruct for Stage {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// aws-cdk-lib's rule for stage IDs: `^[a-z][a-z0-9\-\_\.]*$`, case-insensitive.
fn valid_stage_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl Stage {
    /// Defines stage `id` under `scope` (the app, a stack or another stage). Mistakes (an ID
    /// that is not a valid stage name, an invalid environment, `outdir`) are reported by
    /// synthesis against the stage's path.
    pub fn new(scope: &impl IConstruct, id: &str, props: StageProps) -> Self {
        let scope = scope.node();
        let parent = {
            let tree_rc = scope.tree();
            let tree = tree_rc.borrow();
            if tree.is_stage(scope.idx) {
                Some(scope.idx)
            } else {
                tree.stage_of(scope.idx)
            }
        };
        let (parent_name, parent_env) = match parent {
            Some(p) => {
                let tree_rc = scope.tree();
                let tree = tree_rc.borrow();
                let data = tree.stage_data(p);
                (data.stage_name.clone(), data.env.clone())
            }
            None => (String::new(), Environment::default()),
        };
        let own = props.env.clone().unwrap_or_default();
        let env = Environment {
            account: own.account.or(parent_env.account),
            region: own.region.or(parent_env.region),
        };
        let own_name = props.stage_name.clone().unwrap_or_else(|| id.to_string());
        let stage_name = [parent_name.as_str(), own_name.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("-");
        let node = Node::create(
            scope,
            id,
            NodeKind::Stage(Box::new(StageData {
                stage_name,
                env,
                artifact_id: String::new(),
            })),
        );
        node.set_construct_info("cdk-core.Stage");
        let path = node.path();
        let artifact_id = format!("assembly-{}", path.replace('/', "-").trim_matches('-'));
        let mut problems = Vec::new();
        if !valid_stage_id(id) {
            problems.push(format!(
                "invalid stage name \"{id}\": a stage name must start with a letter and contain only letters, digits, hyphens ('-'), underscores ('_') and periods ('.')"
            ));
        }
        if props.outdir.is_some() {
            problems.push(
                "\"outdir\" cannot be specified for nested stages: a stage writes into the assembly of its app (set AppProps::outdir)"
                    .into(),
            );
        }
        problems.extend(
            props
                .env
                .as_ref()
                .map(Environment::errors)
                .unwrap_or_default(),
        );
        let tree_rc = node.tree();
        let mut tree = tree_rc.borrow_mut();
        if let NodeKind::Stage(data) = &mut tree.nodes[node.idx].kind {
            data.artifact_id = artifact_id;
        }
        for message in problems {
            tree.errors.push(ValidationError {
                path: path.clone(),
                message,
            });
        }
        drop(tree);
        Stage { node }
    }

    /// The stage that contains `construct` (the nearest stage above it, not the construct
    /// itself), as aws-cdk-lib's `Stage.of`. `None` when the construct belongs to the app's own
    /// assembly (aws-cdk-lib returns the `App` there, which in rcdk is not a stage).
    pub fn of(construct: &impl IConstruct) -> Option<Stage> {
        let node = construct.node();
        let idx = node.tree().borrow().stage_of(node.idx)?;
        Some(Stage { node: node.at(idx) })
    }

    /// Wraps a node that is a stage.
    pub fn from_node(node: &Node) -> Option<Stage> {
        node.is_stage().then(|| Stage { node: node.clone() })
    }

    /// True when `construct` is a stage.
    pub fn is_stage(construct: &impl IConstruct) -> bool {
        construct.node().is_stage()
    }

    fn with<R>(&self, f: impl FnOnce(&StageData) -> R) -> R {
        f(self.node.tree().borrow().stage_data(self.node.idx))
    }

    /// The stage name: the parent stage's name, `-` and this stage's (`dev`, `prod-eu`).
    pub fn stage_name(&self) -> String {
        self.with(|s| s.stage_name.clone())
    }

    /// The default environment of the stage's stacks (inherited parts included).
    pub fn environment(&self) -> Environment {
        self.with(|s| s.env.clone())
    }

    /// The nested assembly's artifact ID and directory name: `assembly-` and the construct path
    /// with `/` replaced by `-` (`assembly-PipelineStack-Prod`).
    pub fn artifact_id(&self) -> String {
        self.with(|s| s.artifact_id.clone())
    }

    /// The nested assembly's directory relative to the app's output directory: the artifact
    /// IDs of the enclosing stages and this one, joined with `/`
    /// (`assembly-Beta/assembly-Beta-Inner`).
    pub fn assembly_directory(&self) -> String {
        let tree_rc = self.node.tree();
        let tree = tree_rc.borrow();
        assembly_directory(&tree, Some(self.node.idx))
    }

    /// The enclosing stage, `None` directly in the app's assembly.
    pub fn parent_stage(&self) -> Option<Stage> {
        Stage::of(&self.node)
    }

    /// The stacks of this stage's own assembly (not those of nested stages), in tree order.
    pub fn stacks(&self) -> Vec<Stack> {
        let order = self.node.tree().borrow().preorder_in_stage(self.node.idx);
        order
            .into_iter()
            .map(|i| self.node.at(i))
            .filter_map(|n| Stack::from_node(&n))
            .collect()
    }

    /// The stages directly nested in this one's assembly, in tree order.
    pub fn nested_stages(&self) -> Vec<Stage> {
        nested_stages_of(&self.node)
    }
}

/// The stages whose parent assembly is `scope`'s (the app's for the root), in tree order.
pub(crate) fn nested_stages_of(scope: &Node) -> Vec<Stage> {
    let order = {
        let tree_rc = scope.tree();
        let tree = tree_rc.borrow();
        let mut out = Vec::new();
        let mut work: Vec<usize> = tree.nodes[scope.idx]
            .children
            .iter()
            .rev()
            .copied()
            .collect();
        while let Some(i) = work.pop() {
            if tree.is_stage(i) {
                out.push(i);
            } else {
                work.extend(tree.nodes[i].children.iter().rev());
            }
        }
        out
    };
    order
        .into_iter()
        .map(|i| Stage { node: scope.at(i) })
        .collect()
}

/// The assembly directory (relative to the root assembly) of the stage `stage`, `""` for the
/// app's own (`None`).
pub(crate) fn assembly_directory(tree: &crate::construct::Tree, stage: Option<usize>) -> String {
    let mut parts = Vec::new();
    let mut cur = stage;
    while let Some(s) = cur {
        parts.push(tree.stage_data(s).artifact_id.clone());
        cur = tree.stage_of(s);
    }
    parts.reverse();
    parts.join("/")
}
