//! Command-line definitions (clap derive). Parsing only: behaviour lives in [`crate::commands`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `rcdk`: synthesize, list, diff, deploy and destroy AWS CDK cloud assemblies.
#[derive(Debug, Parser)]
#[command(
    name = "rcdk",
    version,
    about = "Synthesize, list, diff, deploy and destroy AWS CDK cloud assemblies (a drop-in for the cdk CLI's everyday commands)",
    propagate_version = true,
    // --help and --version are global options (see GlobalOpts): one layout for every command.
    disable_help_flag = true,
    disable_version_flag = true
)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalOpts,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted by every command (they may come before or after the command name); every
/// command's `--help` lists them apart, under "Global options".
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalOpts {
    /// The app to run: a shell command (e.g. "cargo run -q --bin app"), or the path of an
    /// existing cloud assembly directory to read without running anything. Defaults to `app`
    /// in ./cdk.json.
    #[arg(short = 'a', long, global = true, value_name = "COMMAND|DIR")]
    pub app: Option<String>,

    /// Context value passed to the app as KEY=VALUE (repeatable); wins over cdk.json and
    /// cdk.context.json.
    #[arg(short = 'c', long = "context", global = true, value_name = "KEY=VALUE")]
    pub context: Vec<String>,

    /// Directory the app writes the cloud assembly to (default: `output` in cdk.json, else
    /// cdk.out).
    #[arg(short = 'o', long, global = true, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// AWS profile: its credentials and region are used for AWS calls, and its region is handed
    /// to the app.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// More diagnostic output on stderr (repeat for more).
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Print data as JSON instead of YAML (templates, `ls -l`).
    #[arg(short = 'j', long, global = true)]
    pub json: bool,

    /// Do not ask the app for `aws:cdk:path` metadata (cdk.json: "pathMetadata": false).
    #[arg(long, global = true)]
    pub no_path_metadata: bool,

    /// Do not ask the app for asset metadata (cdk.json: "assetMetadata": false).
    #[arg(long, global = true)]
    pub no_asset_metadata: bool,

    /// Do not ask the app for the AWS::CDK::Metadata resource (cdk.json:
    /// "versionReporting": false).
    #[arg(long, global = true)]
    pub no_version_reporting: bool,

    /// Print help (of the command it follows).
    #[arg(short = 'h', long, global = true, action = clap::ArgAction::HelpShort)]
    pub help: Option<bool>,

    /// Print the version.
    #[arg(short = 'V', long, global = true, action = clap::ArgAction::Version)]
    pub version: Option<bool>,
}

/// The commands of `rcdk`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the app and print the selected stack's template (or synthesize them all).
    #[command(visible_alias = "synthesize")]
    Synth(SynthArgs),
    /// List the stacks of the app in dependency order.
    #[command(visible_alias = "list")]
    Ls(LsArgs),
    /// Compare the synthesized stacks with the deployed stacks, a template file or another
    /// cloud assembly.
    Diff(DiffArgs),
    /// Deploy the selected stacks through CloudFormation change sets.
    Deploy(DeployArgs),
    /// Delete the selected stacks (and the stacks that depend on them).
    Destroy(DestroyArgs),
    /// Create or update the CDKToolkit stack (assets bucket, roles, version parameter) in
    /// environments.
    Bootstrap(BootstrapArgs),
    /// Deploy, then re-deploy on every change to the project's files (cdk.json `watch`),
    /// hotswapping what can be.
    Watch(WatchArgs),
    /// Detect drift of the deployed stacks (per resource and property).
    Drift(DriftArgs),
    /// Create a new rcdk project (a Cargo project) in the current, empty directory.
    Init(InitArgs),
    /// List the project's context values (cached lookups in cdk.context.json, cdk.json's
    /// context) or reset cached ones.
    Context(ContextArgs),
    /// Print a shell completion script to stdout.
    Completions(CompletionsArgs),
    /// Publish assets of one asset manifest (`<stack>.assets.json`) by selector, like
    /// `cdk-assets publish` (what a pipeline's asset actions run).
    PublishAssets(PublishAssetsArgs),
}

/// Arguments of `rcdk publish-assets`.
#[derive(Debug, Args)]
pub struct PublishAssetsArgs {
    /// The asset manifest (`<stack>.assets.json` in a cloud assembly).
    #[arg(short = 'p', long, value_name = "FILE")]
    pub path: PathBuf,

    /// What to publish: `ASSET_ID:DESTINATION_ID`, `ASSET_ID` or `:DESTINATION_ID` (repeatable;
    /// default: every asset). A selector that matches nothing is an error.
    #[arg(value_name = "SELECTOR")]
    pub selectors: Vec<String>,

    /// Upload even when the object already exists.
    #[arg(short = 'f', long)]
    pub force: bool,
}

/// Arguments of `rcdk drift`.
#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Which stacks to check.
    #[command(flatten)]
    pub selection: StackSelectionArgs,

    /// Exit with status 1 when a stack has drifted.
    #[arg(long)]
    pub fail: bool,
}

/// What `rcdk init` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitTemplate {
    /// An app: cdk.json, one stack, a test.
    App,
    /// A construct library with a test.
    Lib,
}

/// Arguments of `rcdk init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The kind of project.
    #[arg(value_enum)]
    pub template: InitTemplate,

    /// The project's language (only `rust`).
    #[arg(short = 'l', long, value_name = "LANGUAGE")]
    pub language: Option<String>,

    /// Same as `--language rust`.
    #[arg(long, conflicts_with = "language")]
    pub rust: bool,

    /// The rcdk source tree whose cdk-core and cdk-constructs the project depends on
    /// (default: where this rcdk was built; or RCDK_SOURCE).
    #[arg(long, value_name = "DIR")]
    pub rcdk_source: Option<PathBuf>,
}

/// Arguments of `rcdk context`.
#[derive(Debug, Args)]
pub struct ContextArgs {
    /// Remove this cached value (a key, its number in the listing, or a glob) so it is looked
    /// up again on the next synthesis.
    #[arg(short = 'e', long, value_name = "KEY|NUMBER")]
    pub reset: Option<String>,

    /// Remove every cached value from cdk.context.json.
    #[arg(long, conflicts_with = "reset")]
    pub clear: bool,

    /// Ignore a --reset key that does not exist or cannot be reset.
    #[arg(short = 'f', long)]
    pub force: bool,
}

/// Stack selection shared by the commands that act on stacks.
#[derive(Debug, Clone, Default, Args)]
pub struct StackSelectionArgs {
    /// Stacks to act on, by path (`PipelineStack/Dev/Application`; an artifact ID works too),
    /// with the cdk CLI's globs (`*` within a segment, `**` across: `'PipelineStack/Prod/*'`,
    /// `'Beta/**'`; `{a,b}`, `[a-z]`; a leading `!` excludes).
    #[arg(value_name = "STACKS")]
    pub stacks: Vec<String>,

    /// Select every stack (deploy, destroy: every stack outside stages, as the cdk CLI).
    #[arg(long)]
    pub all: bool,

    /// Only the selected stacks, without the stacks they depend on.
    #[arg(short = 'e', long)]
    pub exclusively: bool,
}

/// Arguments of `rcdk synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Which stacks to synthesize.
    #[command(flatten)]
    pub selection: StackSelectionArgs,

    /// Print nothing on success (not even the template of a single stack).
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// Arguments of `rcdk ls`.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Which stacks to list (default: all).
    #[command(flatten)]
    pub selection: StackSelectionArgs,

    /// Show each stack's CloudFormation name and environment (YAML, or JSON with --json).
    #[arg(short = 'l', long)]
    pub long: bool,

    /// Show the stacks each stack depends on, nested (YAML, or JSON with --json).
    #[arg(short = 'd', long)]
    pub show_dependencies: bool,
}

/// Arguments of `rcdk diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Which stacks to diff.
    #[command(flatten)]
    pub selection: StackSelectionArgs,

    /// Compare the (single) selected stack with this template file (JSON or YAML).
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    pub template: Option<PathBuf>,

    /// Compare with the stacks of another cloud assembly directory (e.g. an older cdk.out);
    /// stacks are matched by artifact ID.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,

    /// Exit with status 1 when there are differences.
    #[arg(long)]
    pub fail: bool,

    /// Lines of context shown around changes in long strings and JSON documents.
    #[arg(short = 'U', long, value_name = "N", default_value_t = 3)]
    pub context_lines: usize,

    /// Only show IAM and security group changes (only stacks with such changes count).
    #[arg(long)]
    pub security_only: bool,

    /// Do not hide AWS::CDK::Metadata resources and the CheckBootstrapVersion rule.
    #[arg(long)]
    pub strict: bool,
}

/// Arguments of `rcdk completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Shells `rcdk completions` can generate scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// The friendly interactive shell.
    Fish,
}

/// When `deploy` asks for approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RequireApprovalArg {
    /// Never ask.
    Never,
    /// Ask for any change.
    AnyChange,
    /// Ask when IAM permissions or security group rules are widened.
    Broadening,
}

/// Arguments of `rcdk deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Which stacks to deploy (the stacks they depend on are deployed first unless -e).
    #[command(flatten)]
    pub selection: StackSelectionArgs,

    /// Deploy (and publish assets) even when nothing changed.
    #[arg(short = 'f', long)]
    pub force: bool,

    /// Create the change set but do not execute it (left for review).
    #[arg(long)]
    pub no_execute: bool,

    /// How many independent stacks to deploy at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,

    /// A stack parameter: STACK:KEY=VALUE, or KEY=VALUE for every stack that declares KEY
    /// (repeatable).
    #[arg(long = "parameters", value_name = "STACK:KEY=VALUE")]
    pub parameters: Vec<String>,

    /// A stack tag KEY=VALUE, added to the stacks' own tags (repeatable).
    #[arg(short = 't', long = "tags", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,

    /// Which changes need a yes on the terminal (refused without a terminal).
    #[arg(long, value_enum, default_value = "broadening", value_name = "LEVEL")]
    pub require_approval: RequireApprovalArg,

    /// Write the stacks' outputs to this JSON file ({"Stack": {"Key": "value"}}).
    #[arg(short = 'O', long, value_name = "FILE")]
    pub outputs_file: Option<PathBuf>,

    /// Apply the changes that can be (Lambda code and configuration, versions and aliases,
    /// Step Functions definitions, CodeBuild projects) through the services' APIs instead of
    /// CloudFormation, and skip the others with a warning. For development only: it
    /// introduces drift.
    #[arg(long, conflicts_with = "hotswap_fallback")]
    pub hotswap: bool,

    /// As --hotswap, but deploy through a change set when some change cannot be hotswapped.
    #[arg(long)]
    pub hotswap_fallback: bool,

    /// Create a drift-aware change set that brings actual resource states in line with the
    /// template (CloudFormation `DeploymentMode: REVERT_DRIFT`), even when the template did
    /// not change: resolves the drift of a hotswap or of manual changes.
    #[arg(long, conflicts_with_all = ["hotswap", "hotswap_fallback"])]
    pub revert_drift: bool,
}

/// Arguments of `rcdk watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Which stacks to deploy (the stacks they depend on are deployed first unless -e).
    #[command(flatten)]
    pub selection: StackSelectionArgs,

    /// Deploy (and publish assets) even when nothing changed.
    #[arg(short = 'f', long)]
    pub force: bool,

    /// How many independent stacks to deploy at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,

    /// A stack parameter: STACK:KEY=VALUE, or KEY=VALUE for every stack that declares KEY
    /// (repeatable).
    #[arg(long = "parameters", value_name = "STACK:KEY=VALUE")]
    pub parameters: Vec<String>,

    /// Write the stacks' outputs to this JSON file after every deployment.
    #[arg(short = 'O', long, value_name = "FILE")]
    pub outputs_file: Option<PathBuf>,

    /// Hotswap what can be and skip the rest with a warning (the default).
    #[arg(long, conflicts_with_all = ["hotswap_fallback", "no_hotswap"])]
    pub hotswap: bool,

    /// Hotswap when every change can be, else deploy through a change set.
    #[arg(long, conflicts_with = "no_hotswap")]
    pub hotswap_fallback: bool,

    /// Always deploy through change sets.
    #[arg(long)]
    pub no_hotswap: bool,

    /// Show the CloudWatch log events of the deployed stacks' Lambda functions and log groups
    /// between deployments (`--logs=false` or `--no-logs` to switch off).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_value_t = true,
          default_missing_value = "true", action = clap::ArgAction::Set,
          overrides_with = "no_logs")]
    pub logs: bool,

    /// Do not show CloudWatch log events (same as `--logs=false`).
    #[arg(long, overrides_with = "logs")]
    pub no_logs: bool,
}

impl WatchArgs {
    /// Whether log events are shown.
    pub fn show_logs(&self) -> bool {
        self.logs && !self.no_logs
    }
}

/// Arguments of `rcdk destroy`.
#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// Which stacks to destroy (the stacks that depend on them are destroyed first unless -e).
    #[command(flatten)]
    pub selection: StackSelectionArgs,

    /// Do not ask for confirmation.
    #[arg(short = 'f', long)]
    pub force: bool,
}

/// Arguments of `rcdk bootstrap`.
#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// Environments to bootstrap, as aws://ACCOUNT/REGION (default: the current credentials'
    /// account and the configured region).
    #[arg(value_name = "aws://ACCOUNT/REGION")]
    pub environments: Vec<String>,

    /// An account trusted to publish assets and deploy into the environment (repeatable).
    #[arg(long, value_name = "ACCOUNT")]
    pub trust: Vec<String>,

    /// An account trusted to look up values in the environment (repeatable).
    #[arg(long, value_name = "ACCOUNT")]
    pub trust_for_lookup: Vec<String>,

    /// Managed policy ARN for the CloudFormation execution role (repeatable or
    /// comma-separated; default AdministratorAccess; required with --trust).
    #[arg(long, value_name = "ARN", value_delimiter = ',')]
    pub cloudformation_execution_policies: Vec<String>,

    /// Qualifier of the bootstrap resources' names (default hnb659fds).
    #[arg(long, value_name = "QUALIFIER")]
    pub qualifier: Option<String>,

    /// Name of the bootstrap stack.
    #[arg(long, value_name = "NAME", default_value = "CDKToolkit")]
    pub toolkit_stack_name: String,

    /// Name of the assets bucket (default `cdk-<qualifier>-assets-<account>-<region>`).
    #[arg(long, value_name = "NAME")]
    pub bootstrap_bucket_name: Option<String>,

    /// KMS key for the assets bucket: AWS_MANAGED_KEY (the default for a new stack), or the
    /// ID/ARN of an existing key.
    #[arg(long, value_name = "KEY")]
    pub bootstrap_kms_key_id: Option<String>,

    /// Create a customer managed KMS key for the assets bucket (true), or use the AWS managed
    /// key (false).
    #[arg(long, value_name = "BOOL", conflicts_with = "bootstrap_kms_key_id")]
    pub bootstrap_customer_key: Option<bool>,

    /// Block public access to the assets bucket.
    #[arg(long, value_name = "BOOL")]
    pub public_access_block_configuration: Option<bool>,

    /// A stack tag KEY=VALUE (repeatable).
    #[arg(short = 't', long = "tags", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,

    /// Turn termination protection of the bootstrap stack on or off.
    #[arg(long, value_name = "BOOL")]
    pub termination_protection: Option<bool>,

    /// Update even when nothing changed or when the deployed bootstrap version is newer.
    #[arg(short = 'f', long)]
    pub force: bool,

    /// Create the change set but do not execute it.
    #[arg(long)]
    pub no_execute: bool,

    /// Print the bootstrap template (YAML, or JSON with --json) instead of deploying it.
    #[arg(long)]
    pub show_template: bool,

    /// Use this template (YAML or JSON; start from `--show-template`) instead of the built-in
    /// one.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}
