//! The app: root of the construct tree and entry point of synthesis.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::construct::{IConstruct, Node, Tree};
use crate::error::{Result, ValidationError};
use crate::synth::{synthesize, CloudAssembly};

/// Environment variable with the output directory, set by the CLI.
pub const OUTDIR_ENV: &str = "CDK_OUTDIR";
/// Environment variable with a JSON object of context values, set by the CLI.
pub const CONTEXT_ENV: &str = "CDK_CONTEXT_JSON";

/// Properties of an [`App`].
#[derive(Clone, Debug, Default)]
pub struct AppProps {
    /// Initial context; values from `CDK_CONTEXT_JSON` override these.
    pub context: BTreeMap<String, serde_json::Value>,
    /// Output directory (default: `CDK_OUTDIR`, else `cdk.out`).
    pub outdir: Option<PathBuf>,
}

/// The root of a construct tree.
///
/// ```no_run
/// use cdk_core::{App, Stack, StackProps};
/// let app = App::new();
/// Stack::new(&app, "MyStack", StackProps::default());
/// let assembly = app.synth().expect("valid app");
/// println!("wrote {}", assembly.directory.display());
/// ```
#[derive(Clone)]
pub struct App {
    node: Node,
    /// The only strong handle of the tree: dropping the last clone of the app frees it.
    #[allow(dead_code)] // held for ownership, never read
    tree: Rc<crate::construct::TreeCell>,
    outdir: PathBuf,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("outdir", &self.outdir).finish()
    }
}

impl IConstruct for App {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl App {
    /// An app configured from the environment the CLI sets (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`).
    pub fn new() -> Self {
        App::with_props(AppProps::default())
    }

    /// An app with explicit properties (the environment still applies where they are silent).
    pub fn with_props(props: AppProps) -> Self {
        let tree = Tree::new_root();
        let node = Node {
            tree: Rc::downgrade(&tree),
            idx: 0,
        };
        node.set_construct_info("cdk-core.App");
        for (k, v) in props.context {
            node.set_context(&k, v);
        }
        if let Ok(text) = std::env::var(CONTEXT_ENV) {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(serde_json::Value::Object(map)) => {
                    for (k, v) in map {
                        node.set_context(&k, v);
                    }
                }
                Ok(_) => node.tree().borrow_mut().errors.push(ValidationError {
                    path: "<app>".into(),
                    message: format!("{CONTEXT_ENV} must be a JSON object"),
                }),
                Err(e) => node.tree().borrow_mut().errors.push(ValidationError {
                    path: "<app>".into(),
                    message: format!("{CONTEXT_ENV} is not valid JSON: {e}"),
                }),
            }
        }
        let outdir = props
            .outdir
            .or_else(|| std::env::var_os(OUTDIR_ENV).map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("cdk.out"));
        App { node, tree, outdir }
    }

    /// The number of construct trees (apps) alive in this thread: an app's tree is freed when
    /// its last `App` handle is dropped, whatever closures or handles its constructs keep.
    pub fn live_trees() -> usize {
        crate::construct::live_trees()
    }

    /// The output directory `synth` writes to.
    pub fn outdir(&self) -> &Path {
        &self.outdir
    }

    /// Synthesizes the cloud assembly into [`App::outdir`].
    ///
    /// All construction and validation errors are reported together and nothing is written;
    /// on success the previous assembly is replaced in one step.
    pub fn synth(&self) -> Result<CloudAssembly> {
        synthesize(&self.node, &self.outdir)
    }

    /// Synthesizes in memory, writing nothing: the same templates as [`App::synth`], cached
    /// while the app does not change (see [`crate::synth::synth_in_memory`]).
    ///
    /// ```
    /// use cdk_core::{App, Stack, StackProps};
    /// let app = App::new();
    /// Stack::new(&app, "Empty", StackProps::default());
    /// let assembly = app.synth_in_memory().unwrap();
    /// assert!(assembly.stack("Empty").unwrap().template["Parameters"]["BootstrapVersion"].is_object());
    /// ```
    pub fn synth_in_memory(&self) -> Result<std::rc::Rc<crate::synth::InMemoryAssembly>> {
        crate::synth::synth_in_memory(self)
    }

    /// Synthesizes into `outdir` instead of the configured directory.
    pub fn synth_to(&self, outdir: impl AsRef<Path>) -> Result<CloudAssembly> {
        synthesize(&self.node, outdir.as_ref())
    }
}
