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
/// Environment variable naming the previous cloud assembly, set by `rcdk` when it hands the app
/// a fresh `CDK_OUTDIR`: staged files that did not change are hard-linked from there instead of
/// copied. It is only ever read, and only when it is a cloud assembly.
pub const PREVIOUS_OUTDIR_ENV: &str = "RCDK_PREVIOUS_OUTDIR";

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
/// let assembly = app.synth_or_exit();
/// println!("wrote {}", assembly.directory.display());
/// ```
#[derive(Clone)]
pub struct App {
    node: Node,
    /// The only strong handle of the tree: dropping the last clone of the app frees it.
    #[allow(dead_code)] // held for ownership, never read
    tree: Rc<crate::construct::TreeCell>,
    outdir: PathBuf,
    previous_outdir: Option<PathBuf>,
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
        let previous_outdir = std::env::var_os(PREVIOUS_OUTDIR_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        App {
            node,
            tree,
            outdir,
            previous_outdir,
        }
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
        synthesize(&self.node, &self.outdir, self.previous_outdir.as_deref())
    }

    /// Synthesizes like [`App::synth`]; on error, prints every problem on stderr (one line
    /// each, with its construct path) and exits the process with status 1. The usual end of an
    /// app's `main`:
    ///
    /// ```no_run
    /// use cdk_core::{App, CfnResource, CfnResourceProps, Stack, StackProps};
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Storage", StackProps::default());
    /// CfnResource::new(&stack, "Bucket", CfnResourceProps {
    ///     resource_type: "AWS::S3::Bucket".into(),
    ///     ..Default::default()
    /// });
    /// app.synth_or_exit();
    /// ```
    pub fn synth_or_exit(&self) -> CloudAssembly {
        match self.synth() {
            Ok(assembly) => assembly,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    }

    /// Synthesizes in memory, writing nothing: the same templates as [`App::synth`], cached
    /// while the app does not change (see [`crate::synth::synth_in_memory`]).
    ///
    /// ```
    /// use cdk_core::{App, CfnResource, CfnResourceProps, Stack, StackProps};
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Storage", StackProps::default());
    /// CfnResource::new(&stack, "Bucket", CfnResourceProps { resource_type: "AWS::S3::Bucket".into(), ..Default::default() });
    /// let assembly = app.synth_in_memory().unwrap();
    /// assert!(assembly.stack("Storage").unwrap().template["Parameters"]["BootstrapVersion"].is_object());
    /// ```
    pub fn synth_in_memory(&self) -> Result<std::rc::Rc<crate::synth::InMemoryAssembly>> {
        crate::synth::synth_in_memory(self)
    }

    /// Synthesizes into `outdir` instead of the configured directory.
    pub fn synth_to(&self, outdir: impl AsRef<Path>) -> Result<CloudAssembly> {
        synthesize(&self.node, outdir.as_ref(), self.previous_outdir.as_deref())
    }
}
