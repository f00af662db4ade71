//! `rcdk init app|lib [--language rust]`: a new Cargo project in the current (empty) directory,
//! as `cdk init` makes one: an app (cdk.json running `cargo run`, one stack) or a construct
//! library, each with a test (on cdk-assertions, as `cdk init`'s use aws-cdk-lib's `assertions`),
//! README and .gitignore. It depends on this project's crates at the
//! source tree rcdk was built from (`--rcdk-source DIR` or `RCDK_SOURCE` to point elsewhere); the
//! app's cdk.json carries aws-cdk-lib's recommended feature flags
//! (`data/recommended-feature-flags.json`, from aws-cdk-lib 2.276.0), as `cdk init` writes them.

use std::io::Write;
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{json, Value};

use crate::app_exec::Session;
use crate::cli::{InitArgs, InitTemplate};
use crate::context::absolute;
use crate::error::{CliError, Result};

const RECOMMENDED_FLAGS: &str = include_str!("../../data/recommended-feature-flags.json");

/// The `init` command.
pub struct Init<'a> {
    /// Its arguments.
    pub args: &'a InitArgs,
}

/// The source tree this rcdk was built from (holding `cdk-core/` and `cdk-constructs/`).
pub fn built_from() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The files of a new project named `name`, as (relative path, contents).
pub fn project_files(template: InitTemplate, name: &str, source: &Path) -> Vec<(String, String)> {
    let crate_name = name.to_snake_case().replace('_', "-");
    let module = crate_name.replace('-', "_");
    let stack = format!("{}Stack", name.to_upper_camel_case());
    let dep = |c: &str| {
        format!(
            "{c} = {{ path = {} }}",
            toml_str(&source.join(c).display().to_string())
        )
    };
    let cargo = format!(
        r#"[package]
name = "{crate_name}"
version = "0.1.0"
edition = "2021"

[dependencies]
{core}
{constructs}

[dev-dependencies]
{assertions}

# A project of its own, even inside another workspace.
[workspace]

# Faster debug builds and smaller binaries (as in rcdk's own workspace).
[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false

[profile.dev.package.sha2]
opt-level = 3
"#,
        core = dep("cdk-core"),
        constructs = dep("cdk-constructs"),
        assertions = dep("cdk-assertions"),
    );
    let gitignore = "/target\ncdk.out/\n*.swp\n".to_string();
    let construct = r#"use cdk_constructs::s3::{cfn_bucket, CfnBucket, CfnBucketProps};
use cdk_core::{IConstruct, Node};

/// A versioned bucket (replace it with your own resources).
pub struct Storage {
    node: Node,
    /// The bucket.
    pub bucket: CfnBucket,
}

impl Storage {
    /// Defines the storage under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str) -> Self {
        let node = Node::new(scope, id);
        let bucket = CfnBucket::new(&node, "Bucket", CfnBucketProps {
            versioning_configuration: Some(cfn_bucket::VersioningConfigurationProperty {
                status: cfn_bucket::VersioningConfigurationStatus::Enabled,
            }),
            ..Default::default()
        });
        Storage { node, bucket }
    }
}

impl IConstruct for Storage {
    fn node(&self) -> &Node {
        &self.node
    }
}
"#
    .to_string();
    let mut files = vec![
        ("Cargo.toml".to_string(), cargo),
        (".gitignore".to_string(), gitignore),
    ];
    match template {
        InitTemplate::App => {
            let flags: Value = serde_json::from_str(RECOMMENDED_FLAGS).unwrap_or(json!({}));
            let cdk_json = json!({
                "app": "cargo run -q",
                "watch": {"include": ["src/**", "Cargo.toml"], "exclude": ["target", "cdk.out"]},
                "context": flags,
            });
            files.push((
                "cdk.json".into(),
                serde_json::to_string_pretty(&cdk_json).unwrap_or_default() + "\n",
            ));
            files.push((
                "src/lib.rs".into(),
                format!(
                    r#"//! The {stack} of this app.

use cdk_core::{{App, Stack, StackProps}};

mod storage;
pub use storage::Storage;

/// Defines the app's stacks.
pub fn build(app: &App) -> Stack {{
    let stack = Stack::new(app, "{stack}", StackProps::default());
    Storage::new(&stack, "Storage");
    stack
}}
"#
                ),
            ));
            files.push(("src/storage.rs".into(), construct));
            files.push((
                "src/main.rs".into(),
                format!(
                    r#"//! Synthesizes the app into $CDK_OUTDIR (run through `rcdk synth` / `rcdk deploy`).

fn main() -> std::process::ExitCode {{
    let app = cdk_core::App::new();
    {module}::build(&app);
    match app.synth() {{
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(e) => {{
            eprintln!("error: {{e}}");
            std::process::ExitCode::FAILURE
        }}
    }}
}}
"#
                ),
            ));
            files.push((
                format!("tests/{module}.rs"),
                format!(
                    r#"//! The stack's template has what the stack defines (synthesized in memory with
//! cdk-assertions, rcdk's counterpart of aws-cdk-lib's `assertions`).

use cdk_assertions::{{pattern, Template}};
use cdk_core::App;

#[test]
fn the_stack_has_a_versioned_bucket() {{
    let app = App::new();
    let stack = {module}::build(&app);
    let template = Template::from_stack(&stack);
    template.resource_count_is("AWS::S3::Bucket", 1);
    template.has_resource_properties(
        "AWS::S3::Bucket",
        pattern!({{"VersioningConfiguration": {{"Status": "Enabled"}}}}),
    );
}}
"#
                ),
            ));
            files.push((
                "README.md".into(),
                format!(
                    "# {name}\n\nAn rcdk app (AWS CDK in Rust) with one stack, `{stack}`.\n\n\
                     - `rcdk synth` — synthesize the cloud assembly into `cdk.out/`\n\
                     - `rcdk diff` — compare with the deployed stack\n\
                     - `rcdk deploy` — deploy it (`rcdk bootstrap` the environment once first)\n\
                     - `cargo test` — run the tests\n\n\
                     `cdk.json` tells rcdk how to run the app and holds the recommended feature flags.\n"
                ),
            ));
        }
        InitTemplate::Lib => {
            files.push((
                "src/lib.rs".into(),
                "//! A construct library.\n\nmod storage;\npub use storage::Storage;\n".to_string(),
            ));
            files.push(("src/storage.rs".into(), construct));
            files.push((
                format!("tests/{module}.rs"),
                format!(
                    r#"//! The construct defines a versioned bucket (asserted with cdk-assertions, rcdk's
//! counterpart of aws-cdk-lib's `assertions`).

use cdk_assertions::{{pattern, Template}};
use cdk_core::{{App, Stack, StackProps}};

#[test]
fn storage_has_a_versioned_bucket() {{
    let app = App::new();
    let stack = Stack::new(&app, "TestStack", StackProps::default());
    {module}::Storage::new(&stack, "Storage");
    let template = Template::from_stack(&stack);
    template.resource_count_is("AWS::S3::Bucket", 1);
    template.has_resource_properties(
        "AWS::S3::Bucket",
        pattern!({{"VersioningConfiguration": {{"Status": "Enabled"}}}}),
    );
}}
"#
                ),
            ));
            files.push((
                "README.md".into(),
                format!(
                    "# {name}\n\nAn rcdk construct library. `cargo test` runs its tests; apps use it as a\nCargo dependency.\n"
                ),
            ));
        }
    }
    files
}

impl Init<'_> {
    /// Writes the project into the current directory, which must be empty (hidden files
    /// excepted); nothing is overwritten.
    pub fn run(&self, session: &Session, err: &mut dyn Write) -> Result<u8> {
        if let Some(language) = self.args.language.as_deref().filter(|l| *l != "rust") {
            return Err(CliError::InvalidArg {
                what: "--language".into(),
                value: language.into(),
                problem: "rcdk init creates Rust projects (--language rust)".into(),
            });
        }
        let dir = &session.cwd;
        let occupied: Vec<String> = std::fs::read_dir(dir)
            .map_err(|source| CliError::Read {
                path: dir.clone(),
                source,
            })?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        if !occupied.is_empty() {
            return Err(CliError::InvalidArg {
                what: "directory".into(),
                value: dir.display().to_string(),
                problem: format!(
                    "`rcdk init` needs an empty directory, and this one has {}",
                    occupied.join(", ")
                ),
            });
        }
        let source = self
            .args
            .rcdk_source
            .as_ref()
            .map(|p| absolute(dir, p))
            .or_else(|| {
                session
                    .vars
                    .get("RCDK_SOURCE")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(built_from);
        // The crates the project depends on (cdk-assertions as a dev-dependency).
        for krate in ["cdk-core", "cdk-constructs", "cdk-assertions"] {
            if !source.join(krate).join("Cargo.toml").is_file() {
                return Err(CliError::InvalidArg {
                    what: "--rcdk-source".into(),
                    value: source.display().to_string(),
                    problem: format!("no {krate}/Cargo.toml there; point --rcdk-source (or RCDK_SOURCE) at an rcdk source tree"),
                });
            }
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n.chars().any(|c| c.is_ascii_alphabetic()))
            .unwrap_or_else(|| "app".into());
        for (path, text) in project_files(self.args.template, &name, &source) {
            let file = dir.join(&path);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent).map_err(|source| CliError::WriteFile {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&file, text).map_err(|source| CliError::WriteFile {
                path: file.clone(),
                source,
            })?;
            writeln!(err, "created {path}")?;
        }
        writeln!(
            err,
            "✅ {} `{name}` created (rcdk crates from {}). Next: {}",
            match self.args.template {
                InitTemplate::App => "App",
                InitTemplate::Lib => "Library",
            },
            source.display(),
            match self.args.template {
                InitTemplate::App => "`rcdk synth`, `cargo test`",
                InitTemplate::Lib => "`cargo test`",
            }
        )?;
        Ok(0)
    }
}
