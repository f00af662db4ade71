//! File and directory assets: local content that is fingerprinted at construction, staged into
//! the cloud assembly at synth (`asset.<hash>/` or `asset.<hash><ext>`), listed in the stack's
//! asset manifest and published by the deploy command to the bootstrap assets bucket.
//!
//! - [`Asset`] is the construct; its tokens ([`Asset::bucket_name`], [`Asset::object_key`],
//!   [`Asset::s3_object_url`], [`Asset::http_url`]) can be used in any property.
//! - [`Asset::from_in_memory`] makes a directory asset of files held in memory
//!   ([`InMemoryDirectory`], e.g. handler code compiled into the program): hashed exactly as
//!   the same directory on disk and written straight into the assembly, no temporary files.
//! - [`fingerprint()`] computes the content hash (its documentation gives the exact format);
//!   it depends only on relative paths and contents, never on modification times or the
//!   location of the folder.
//! - The deterministic zip archive of a staged directory (`zip` packaging) is built by the CLI
//!   when it publishes the asset (`cdk-cli`'s `deploy::zip`), so apps do not compile a zip
//!   implementation they never run.
//!
//! Staging happens inside the atomic write of the assembly: an invalid asset (missing path,
//! unreadable file, forbidden symbolic link) is reported by [`App::synth`](crate::App::synth)
//! against the construct path and nothing is written. The same hash is staged once, however
//! many constructs or stacks use it, and bytes already staged in the previous assembly are
//! hard-linked instead of copied again.

mod fingerprint;
mod glob;
mod ignore;

use std::path::{Path, PathBuf};
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::cfn::CfnResource;
use crate::construct::{IConstruct, Node};
use crate::error::ValidationError;
use crate::fns;
use crate::stack::Stack;
use crate::synthesizer::{DefaultStackSynthesizer, EnvPlaceholders};
use crate::token::Str;

pub use fingerprint::{fingerprint, FingerprintOptions, IgnoreMode, SymlinkFollow};

pub(crate) use fingerprint::{Entry, EntryKind};

/// Context key that, set to `false`, turns off the `aws:asset:*` resource metadata written by
/// [`Asset::add_resource_metadata`] (the CDK CLI's `--no-asset-metadata`).
pub const ASSET_RESOURCE_METADATA_ENABLED_CONTEXT: &str = "aws:cdk:enable-asset-metadata";
/// Template metadata key: the staged path of the asset, relative to the assembly.
pub const ASSET_RESOURCE_METADATA_PATH_KEY: &str = "aws:asset:path";
/// Template metadata key: whether the asset was produced by bundling (always `false` here).
pub const ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY: &str = "aws:asset:is-bundled";
/// Template metadata key: the resource property that receives the asset.
pub const ASSET_RESOURCE_METADATA_PROPERTY_KEY: &str = "aws:asset:property";

/// How an asset is packaged for upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssetPackaging {
    /// A single file, uploaded as is (`packaging: file`).
    File,
    /// A directory, uploaded as a deterministic zip archive (`packaging: zip`).
    ZipDirectory,
}

impl AssetPackaging {
    /// The asset manifest's `packaging` value (`file` or `zip`).
    pub fn as_str(self) -> &'static str {
        match self {
            AssetPackaging::File => "file",
            AssetPackaging::ZipDirectory => "zip",
        }
    }
}

/// How the hash of an [`Asset`] is computed (aws-cdk-lib's `AssetHashType` without the
/// bundling-only `OUTPUT` / `BUNDLE`, since rcdk does not bundle assets).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssetHashType {
    /// The fingerprint of the source file or directory (the default).
    Source,
    /// The SHA-256 of [`AssetProps::asset_hash`] (the default when it is given).
    Custom,
}

/// Context key of a salt mixed into every asset fingerprint (aws-cdk-lib's
/// `@aws-cdk/core:assetHashSalt`): change it to force every asset to be uploaded again.
pub const ASSET_HASH_SALT_CONTEXT: &str = "@aws-cdk/core:assetHashSalt";

/// Added in front of every exclude list, as aws-cdk-lib does (marker file of its custom
/// resource providers).
const ALWAYS_EXCLUDED: &str = ".is_custom_resource";

/// Extensions kept whole in staged file names and that make a file asset an archive
/// (aws-cdk-lib's `ARCHIVE_EXTENSIONS`, longest first where they overlap).
const ARCHIVE_EXTENSIONS: [&str; 5] = [".tar.gz", ".zip", ".jar", ".tar", ".tgz"];

/// aws-cdk-lib's `getExtension`: an archive extension (lower case) or Node's `path.extname`.
fn staged_extension(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_lowercase();
    if let Some(ext) = ARCHIVE_EXTENSIONS.iter().find(|e| lower.ends_with(*e)) {
        return ext.to_string();
    }
    // path.extname: from the last '.', unless that dot starts the name.
    match name.rfind('.') {
        Some(i) if name[..i].chars().any(|c| c != '.') => name[i..].to_string(),
        _ => String::new(),
    }
}

/// The files of a directory held in memory (relative `/`-separated paths and their bytes):
/// the content of [`Asset::from_in_memory`]. Parent directories are implied by the paths.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InMemoryDirectory {
    files: Vec<(String, std::sync::Arc<[u8]>)>,
}

impl InMemoryDirectory {
    /// An empty directory.
    pub fn new() -> Self {
        InMemoryDirectory::default()
    }

    /// Adds the file `path` (relative, `/`-separated, e.g. `lib/util.js`) with `content`.
    pub fn with_file(mut self, path: impl Into<String>, content: impl AsRef<[u8]>) -> Self {
        self.add_file(path, content);
        self
    }

    /// Adds the file `path` with `content`.
    pub fn add_file(&mut self, path: impl Into<String>, content: impl AsRef<[u8]>) {
        self.files
            .push((path.into(), std::sync::Arc::from(content.as_ref())));
    }

    /// The files, in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, c)| (p.as_str(), &c[..]))
    }

    /// True when the file `path` is present.
    pub fn contains(&self, path: &str) -> bool {
        self.files.iter().any(|(p, _)| p == path)
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &std::sync::Arc<[u8]>)> {
        self.files.iter().map(|(p, c)| (p.as_str(), c))
    }
}

/// Properties of an [`Asset`].
#[derive(Clone, Debug, Default)]
pub struct AssetProps {
    /// The file or directory. A relative path is resolved against the current working
    /// directory of the process (as aws-cdk-lib does).
    pub path: PathBuf,
    /// Glob patterns of files and directories to leave out (see
    /// [`FingerprintOptions::exclude`]); excluded content is neither hashed nor staged.
    /// `.is_custom_resource` is always excluded, as in aws-cdk-lib.
    pub exclude: Vec<String>,
    /// How `exclude` is read: glob patterns (the default), `.gitignore` or `.dockerignore`
    /// rules (see [`IgnoreMode`]).
    pub ignore_mode: IgnoreMode,
    /// What to do with symbolic links inside a directory (default: follow those pointing
    /// outside the directory, keep the others as links).
    pub follow_symlinks: SymlinkFollow,
    /// Extra text mixed into the source fingerprint (aws-cdk-lib's `extraHash`; the context
    /// salt [`ASSET_HASH_SALT_CONTEXT`] is appended to it).
    pub extra_hash: Option<String>,
    /// A custom hash: the asset hash becomes the SHA-256 (hex) of this string and the content
    /// is not read for hashing. Change it whenever the content changes.
    pub asset_hash: Option<String>,
    /// How the hash is computed (default: [`AssetHashType::Custom`] when `asset_hash` is
    /// given, else [`AssetHashType::Source`]); `Custom` needs `asset_hash`, and `Source`
    /// with an `asset_hash` is refused, as in aws-cdk-lib.
    pub asset_hash_type: Option<AssetHashType>,
    /// Name shown by the CLI while publishing (default: the construct path relative to its
    /// stack, e.g. `Handler/Code`).
    pub display_name: Option<String>,
}

/// What synthesis needs to stage and list one asset.
#[derive(Debug)]
pub(crate) struct AssetRecord {
    /// The asset construct.
    pub(crate) node: usize,
    /// The asset hash (manifest key and source hash).
    pub(crate) hash: String,
    /// File or zip.
    pub(crate) packaging: AssetPackaging,
    /// `asset.<hash>` or `asset.<hash><ext>`, relative to the assembly.
    pub(crate) staged_path: String,
    /// `<hash>.zip` or `<hash><ext>`.
    pub(crate) object_key: String,
    /// Shown by the CLI.
    pub(crate) display_name: String,
    /// The content: directory entries, or one file entry with an empty relative path.
    pub(crate) entries: Vec<Entry>,
}

fn register(node: &Node, record: AssetRecord) {
    node.tree().borrow_mut().assets.push(Rc::new(record));
}

/// The assets of the tree `root` belongs to, in construction order.
pub(crate) fn records(root: &Node) -> Vec<Rc<AssetRecord>> {
    root.tree().borrow().assets.clone()
}

/// A local file or directory, staged into the cloud assembly and published to the bootstrap
/// assets bucket on deploy.
///
/// ```
/// use cdk_core::{App, AppProps, Asset, AssetProps, CfnResource, CfnResourceProps, Stack, StackProps, Value};
///
/// let work = tempfile::tempdir().unwrap();
/// std::fs::create_dir(work.path().join("lambda")).unwrap();
/// std::fs::write(work.path().join("lambda/index.py"), "def handler(event, context):\n    return 42\n").unwrap();
///
/// let app = App::with_props(AppProps { outdir: Some(work.path().join("cdk.out")), ..Default::default() });
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let code = Asset::new(&stack, "Code", AssetProps {
///     path: work.path().join("lambda"),
///     exclude: vec!["*.pyc".into()],
///     ..Default::default()
/// });
/// let function = CfnResource::new(&stack, "Handler", CfnResourceProps {
///     resource_type: "AWS::Lambda::Function".into(),
///     properties: [(
///         "Code".to_string(),
///         Value::object([("S3Bucket", code.bucket_name()), ("S3Key", code.object_key())]),
///     )].into(),
/// });
/// code.add_resource_metadata(&function, "Code");
///
/// let assembly = app.synth().unwrap();
/// let staged = assembly.directory.join(code.asset_path());
/// assert!(staged.join("index.py").is_file());
/// assert_eq!(code.object_key().literal(), Some(format!("{}.zip", code.asset_hash()).as_str()));
/// ```
#[derive(Clone, Debug)]
pub struct Asset {
    node: Node,
    hash: String,
    packaging: AssetPackaging,
    is_zip_archive: bool,
    /// The staged path as seen from the stack's (nested) assembly.
    asset_path: String,
    source_path: PathBuf,
    bucket_name: Str,
    object_key: Str,
    s3_object_url: Str,
    http_url: Str,
}

impl IConstruct for Asset {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// `Fn::Sub` when the text holds `${...}` placeholders, else a literal (as aws-cdk-lib's
/// `cfnify`). `literal_tail` is escaped so that it is never read as a placeholder.
fn cfnify(with_placeholders: &str, literal_tail: &str) -> Str {
    if with_placeholders.contains("${") {
        let tail = literal_tail.replace("${", "${!");
        fns::sub::<String, Str>(&format!("{with_placeholders}{tail}"), [])
    } else {
        Str::from(format!("{with_placeholders}{literal_tail}"))
    }
}

impl Asset {
    /// Defines asset `id` under `scope` (which must be inside a [`Stack`]) and fingerprints
    /// its content now. Problems are recorded against the construct path and reported by
    /// [`App::synth`](crate::App::synth), which then writes nothing.
    pub fn new(scope: &impl IConstruct, id: &str, props: AssetProps) -> Asset {
        Asset::create(scope, id, props, None)
    }

    /// Defines a directory asset `id` under `scope` whose files are held in memory (for
    /// example compiled into the program with `include_bytes!`), so the program needs no
    /// source tree at run time and writes no temporary files: the files are hashed as they
    /// are and written straight into the cloud assembly at synth. The hash is the one of a
    /// directory holding the same files (the same [`fingerprint`], excludes and salt), and
    /// the asset is staged, listed and published like any directory asset.
    ///
    /// `props.path` must be empty (the content is `files`); the other props apply as for
    /// [`Asset::new`].
    ///
    /// ```
    /// use cdk_core::{App, AppProps, Asset, AssetProps, CfnResource, CfnResourceProps, InMemoryDirectory, Stack, StackProps};
    ///
    /// let work = tempfile::tempdir().unwrap();
    /// let app = App::with_props(AppProps { outdir: Some(work.path().join("cdk.out")), ..Default::default() });
    /// let stack = Stack::new(&app, "Service", StackProps::default());
    /// let files = InMemoryDirectory::new()
    ///     .with_file("index.js", b"exports.handler = async () => ({});\n")
    ///     .with_file("lib/util.js", "module.exports = {};\n");
    /// let code = Asset::from_in_memory(&stack, "Code", files, AssetProps::default());
    ///
    /// // The same hash as a directory with these files:
    /// let dir = work.path().join("handler");
    /// std::fs::create_dir_all(dir.join("lib")).unwrap();
    /// std::fs::write(dir.join("index.js"), "exports.handler = async () => ({});\n").unwrap();
    /// std::fs::write(dir.join("lib/util.js"), "module.exports = {};\n").unwrap();
    /// let on_disk = Asset::new(&stack, "OnDisk", AssetProps { path: dir, ..Default::default() });
    /// assert_eq!(code.asset_hash(), on_disk.asset_hash());
    ///
    /// CfnResource::new(&stack, "Topic", CfnResourceProps { resource_type: "AWS::SNS::Topic".into(), properties: Default::default() });
    /// let assembly = app.synth().unwrap();
    /// assert!(assembly.directory.join(code.asset_path()).join("lib/util.js").is_file());
    /// ```
    pub fn from_in_memory(
        scope: &impl IConstruct,
        id: &str,
        files: InMemoryDirectory,
        props: AssetProps,
    ) -> Asset {
        Asset::create(scope, id, props, Some(files))
    }

    fn create(
        scope: &impl IConstruct,
        id: &str,
        props: AssetProps,
        in_memory: Option<InMemoryDirectory>,
    ) -> Asset {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-core.Asset");
        let stack = Stack::of(&node);
        let mut errors = Vec::new();
        if stack.is_none() {
            errors.push("assets must be defined inside a Stack".to_string());
        }

        let salt = node
            .try_get_context(ASSET_HASH_SALT_CONTEXT)
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            });
        let extra_hash = match (&props.extra_hash, &salt) {
            (None, None) => None,
            (extra, salt) => Some(format!(
                "{}{}",
                extra.as_deref().unwrap_or(""),
                salt.as_deref().unwrap_or("")
            )),
        };
        let options = FingerprintOptions {
            exclude: std::iter::once(ALWAYS_EXCLUDED.to_string())
                .chain(props.exclude.iter().cloned())
                .collect(),
            follow_symlinks: props.follow_symlinks,
            extra_hash,
            ignore_mode: props.ignore_mode,
        };
        let hash_type = match (props.asset_hash_type, &props.asset_hash) {
            (Some(AssetHashType::Source), Some(_)) => {
                errors.push(
                    "cannot specify AssetHashType::Source when asset_hash is given; use AssetHashType::Custom or leave asset_hash_type unset".to_string(),
                );
                AssetHashType::Source
            }
            (Some(AssetHashType::Custom), None) => {
                errors.push(
                    "asset_hash must be given when asset_hash_type is AssetHashType::Custom"
                        .to_string(),
                );
                AssetHashType::Custom
            }
            (Some(t), _) => t,
            (None, Some(_)) => AssetHashType::Custom,
            (None, None) => AssetHashType::Source,
        };
        let scanned = match &in_memory {
            Some(files) => {
                if !props.path.as_os_str().is_empty() {
                    errors.push(format!(
                        "an in-memory asset takes its content from its files; path must be empty (got '{}')",
                        props.path.display()
                    ));
                }
                fingerprint::scan_in_memory(files, &options)
            }
            None => fingerprint::scan(&props.path, &options),
        };
        let scanned = scanned.and_then(|scan| {
            let hash = match (&props.asset_hash, hash_type) {
                (Some(custom), AssetHashType::Custom) => {
                    hex::encode(Sha256::digest(custom.as_bytes()))
                }
                _ => fingerprint::hash_scan(&scan, &options)?,
            };
            Ok((scan, hash))
        });
        let (scan, hash) = match scanned {
            Ok(ok) => (Some(ok.0), ok.1),
            Err(e) => {
                errors.push(format!("invalid asset: {e}"));
                (None, String::new())
            }
        };

        let is_dir = scan.as_ref().is_some_and(|s| s.is_dir);
        let packaging = if is_dir {
            AssetPackaging::ZipDirectory
        } else {
            AssetPackaging::File
        };
        let extension = staged_extension(&props.path);
        let (staged_path, object_key) = match packaging {
            AssetPackaging::ZipDirectory => (format!("asset.{hash}"), format!("{hash}.zip")),
            AssetPackaging::File => (
                format!("asset.{hash}{extension}"),
                format!("{hash}{extension}"),
            ),
        };
        let is_zip_archive = is_dir || ARCHIVE_EXTENSIONS.contains(&extension.as_str());

        // Deploy-time location, exactly as DefaultStackSynthesizer renders it.
        let (synthesizer, env) = match &stack {
            Some(stack) => {
                let e = stack.environment();
                (
                    stack.synthesizer(),
                    EnvPlaceholders::new(e.account.as_deref(), e.region.as_deref()),
                )
            }
            None => (
                DefaultStackSynthesizer::default(),
                EnvPlaceholders::new(None, None),
            ),
        };
        let bucket = synthesizer.assets_bucket_name(&env);
        let bucket_name = cfnify(&bucket, "");
        let s3_object_url = cfnify(&format!("s3://{bucket}/"), &object_key);
        let http_url = cfnify(
            &format!("https://s3.{}.${{AWS::URLSuffix}}/{bucket}/", env.region),
            &object_key,
        );

        let display_name = props.display_name.clone().unwrap_or_else(|| {
            let path = node.path();
            match &stack {
                Some(stack) => {
                    let prefix = format!("{}/", stack.node().path());
                    path.strip_prefix(&prefix).unwrap_or(&path).to_string()
                }
                None => path,
            }
        });

        if errors.is_empty() {
            if let Some(scan) = scan {
                register(
                    &node,
                    AssetRecord {
                        node: node.idx,
                        hash: hash.clone(),
                        packaging,
                        staged_path: staged_path.clone(),
                        object_key: object_key.clone(),
                        display_name,
                        entries: scan.entries,
                    },
                );
            }
        } else {
            let path = node.path();
            let tree_rc = node.tree();
            let mut tree = tree_rc.borrow_mut();
            for message in errors {
                tree.errors.push(ValidationError {
                    path: path.clone(),
                    message,
                });
            }
        }

        // Staged in the root assembly; a stage's stacks see it from their nested assembly.
        let asset_path = match &stack {
            Some(stack) => {
                crate::synth::nested::relative_to(&stack.assembly_directory(), &staged_path)
            }
            None => staged_path,
        };
        Asset {
            node,
            hash,
            packaging,
            is_zip_archive,
            asset_path,
            source_path: props.path,
            bucket_name,
            object_key: Str::from(object_key),
            s3_object_url,
            http_url,
        }
    }

    /// The asset hash: the content fingerprint, or the SHA-256 of the custom hash. Empty when
    /// the asset is invalid (synthesis then fails with the recorded error).
    pub fn asset_hash(&self) -> &str {
        &self.hash
    }

    /// The staged path relative to the cloud assembly of the asset's stack (`asset.<hash>` or
    /// `asset.<hash><ext>`; `../asset.<hash>` for a stack of a [`Stage`](crate::Stage), since
    /// assets are staged once in the root assembly, as aws-cdk-lib stages them).
    pub fn asset_path(&self) -> &str {
        &self.asset_path
    }

    /// The path the asset was created from, as given (empty for an in-memory asset).
    pub fn source_path(&self) -> &Path {
        &self.source_path
    }

    /// How the asset is packaged for upload.
    pub fn packaging(&self) -> AssetPackaging {
        self.packaging
    }

    /// True for a single-file asset.
    pub fn is_file(&self) -> bool {
        self.packaging == AssetPackaging::File
    }

    /// True when the uploaded object is an archive: a directory (zipped), or a `.zip`, `.jar`,
    /// `.tar`, `.tgz` or `.tar.gz` file (aws-cdk-lib's `isZipArchive`).
    pub fn is_zip_archive(&self) -> bool {
        self.is_zip_archive
    }

    /// The bootstrap assets bucket: `cdk-<qualifier>-assets-<account>-<region>`, a literal for
    /// stacks with an environment, `Fn::Sub` with `${AWS::AccountId}` / `${AWS::Region}`
    /// otherwise.
    pub fn bucket_name(&self) -> Str {
        self.bucket_name.clone()
    }

    /// The object key: `<hash>.zip` for directories, `<hash><ext>` for files.
    pub fn object_key(&self) -> Str {
        self.object_key.clone()
    }

    /// `s3://<bucket>/<key>`.
    pub fn s3_object_url(&self) -> Str {
        self.s3_object_url.clone()
    }

    /// `https://s3.<region>.<url suffix>/<bucket>/<key>` (always `Fn::Sub`, since the URL
    /// suffix is a pseudo parameter).
    pub fn http_url(&self) -> Str {
        self.http_url.clone()
    }

    /// Tells tools such as SAM CLI which property of `resource` holds this asset: adds
    /// `aws:asset:path`, `aws:asset:is-bundled` and `aws:asset:property` to its template
    /// metadata. Skipped when the context key [`ASSET_RESOURCE_METADATA_ENABLED_CONTEXT`] is
    /// `false`.
    pub fn add_resource_metadata(&self, resource: &CfnResource, resource_property: &str) {
        let disabled = matches!(
            self.node
                .try_get_context(ASSET_RESOURCE_METADATA_ENABLED_CONTEXT),
            Some(serde_json::Value::Bool(false))
        ) || self
            .node
            .try_get_context_str(ASSET_RESOURCE_METADATA_ENABLED_CONTEXT)
            .is_some_and(|v| v == "false");
        if disabled {
            return;
        }
        resource.add_cfn_metadata(ASSET_RESOURCE_METADATA_PATH_KEY, self.asset_path.as_str());
        resource.add_cfn_metadata(ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY, false);
        resource.add_cfn_metadata(ASSET_RESOURCE_METADATA_PROPERTY_KEY, resource_property);
    }
}

/// A file asset of a stack as the stack's asset manifest lists it: what a deployment pipeline
/// publishes before deploying the stack (the template itself is not one of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackFileAsset {
    /// The asset hash: its ID in the manifest.
    pub hash: String,
    /// Its display name (the asset's path below the stack, `Lambda/Code`).
    pub display_name: String,
    /// Its destination's ID in the manifest (`<account>-<region>-<8 hex digits>`), so
    /// `<hash>:<destination_id>` selects it for `rcdk publish-assets`.
    pub destination_id: String,
    /// The role that publishes it, as the manifest writes it (`arn:${AWS::Partition}:iam::…`).
    pub publishing_role_arn: String,
    /// The stack's asset manifest, relative to the root cloud assembly
    /// (`assembly-PipelineStack-Dev/PipelineStackDevApplicationDBB34208.assets.json`).
    pub asset_manifest: String,
}

/// The file assets of `stack` (each hash once, in construction order), with the destinations
/// its asset manifest will name; known before synthesis.
pub fn stack_file_assets(stack: &crate::Stack) -> Vec<StackFileAsset> {
    let root = stack.node().root();
    let records: Vec<Rc<AssetRecord>> = {
        let tree_rc = root.tree();
        let tree = tree_rc.borrow();
        records(&root)
            .into_iter()
            .filter(|a| tree.stack_of(a.node) == Some(stack.node().idx))
            .collect()
    };
    let environment = stack.environment();
    let synthesizer = stack.synthesizer();
    let env = crate::synthesizer::EnvPlaceholders::new(
        environment.account.as_deref(),
        environment.region.as_deref(),
    );
    let bucket = synthesizer.assets_bucket_name(&env);
    let asset_manifest = crate::synth::nested::inside(
        &stack.assembly_directory(),
        &format!("{}.assets.json", stack.artifact_id()),
    );
    let mut out: Vec<StackFileAsset> = Vec::new();
    for record in records {
        if out.iter().any(|a| a.hash == record.hash) {
            continue;
        }
        let (destination_id, _) = crate::synth::manifest::file_destination(
            &synthesizer,
            &environment,
            &env,
            &bucket,
            record.object_key.clone(),
        );
        out.push(StackFileAsset {
            hash: record.hash.clone(),
            display_name: record.display_name.clone(),
            destination_id,
            publishing_role_arn: synthesizer.file_publishing_role_arn(&env),
            asset_manifest: asset_manifest.clone(),
        });
    }
    out
}
