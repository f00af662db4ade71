//! The one error type of the `cdk-cli` library.

use std::path::PathBuf;

/// Everything that can go wrong in `rcdk`'s library code. Each message names the file, stack or
/// field at fault.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A JSON file is not valid JSON or does not have the expected shape.
    #[error("invalid JSON in {}: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error (with line and column).
        source: serde_json::Error,
    },
    /// A YAML file could not be parsed.
    #[error("invalid YAML in {}: {message}", path.display())]
    Yaml {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A template document is not an object.
    #[error("{} is not a CloudFormation template: the document is {found}, not an object", path.display())]
    NotATemplate {
        /// The file (or the origin of the text).
        path: PathBuf,
        /// What the document is (`an array`, `a string`, ...).
        found: String,
    },
    /// A configuration file has a field of the wrong type.
    #[error("{}: field `{field}` {problem}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// The field at fault.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A `-c/--context` argument is not `KEY=VALUE`.
    #[error("invalid context argument `{0}`: expected KEY=VALUE")]
    ContextArg(String),
    /// No app was given on the command line or in cdk.json.
    #[error(
        "no app to run: pass --app COMMAND (or an assembly directory), or set \"app\" in cdk.json"
    )]
    NoApp,
    /// The app command could not be started.
    #[error("cannot run the app `{command}`: {source}")]
    AppSpawn {
        /// The command line.
        command: String,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// The app exited unsuccessfully.
    #[error("the app `{command}` failed ({status}){}", stderr_tail(stderr))]
    AppFailed {
        /// The command line.
        command: String,
        /// How it exited (e.g. `exit status: 1`).
        status: String,
        /// What it wrote to stderr.
        stderr: String,
    },
    /// The output directory could not be created.
    #[error("cannot create the output directory {}: {source}", path.display())]
    OutputDir {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The output directory exists and is not a cloud assembly, so it is not replaced.
    #[error("refusing to use {} as the output directory: {reason}; nothing was written (choose another directory with -o/--output or `output` in cdk.json)", path.display())]
    UnsafeOutput {
        /// The output directory.
        path: PathBuf,
        /// Why it may not be replaced.
        reason: String,
    },
    /// The app exited successfully without writing a cloud assembly to `$CDK_OUTDIR`.
    #[error("the app `{command}` exited successfully but wrote no cloud assembly (no manifest.json) to the directory rcdk gave it in $CDK_OUTDIR; it must synthesize there (cdk-core's App::new() does, an AppProps::outdir overrides it; end main with app.synth_or_exit()). {} was left as it was", outdir.display())]
    AppWroteNoAssembly {
        /// The command line.
        command: String,
        /// The output directory that was not replaced.
        outdir: PathBuf,
    },
    /// The assembly directory has no manifest.json.
    #[error("{} is not a cloud assembly: {} is missing", dir.display(), dir.join("manifest.json").display())]
    NotAnAssembly {
        /// The directory.
        dir: PathBuf,
    },
    /// The manifest's `version` cannot be understood.
    #[error("{}: invalid schema version `{version}`", path.display())]
    BadVersion {
        /// The manifest file.
        path: PathBuf,
        /// The version string found.
        version: String,
    },
    /// The manifest was written by a newer cloud assembly schema than this rcdk understands.
    #[error("{}: the cloud assembly schema version {found} is newer than the newest this rcdk supports ({supported}); upgrade rcdk", path.display())]
    UnsupportedVersion {
        /// The manifest file.
        path: PathBuf,
        /// The version found in the manifest.
        found: String,
        /// The newest supported major version.
        supported: u32,
    },
    /// A stack artifact is missing a required property.
    #[error("{}: stack artifact `{stack}`: {problem}", path.display())]
    BadArtifact {
        /// The manifest file.
        path: PathBuf,
        /// The artifact ID.
        stack: String,
        /// What is wrong.
        problem: String,
    },
    /// The app produced no stacks.
    #[error("the assembly in {} contains no stacks", dir.display())]
    NoStacks {
        /// The assembly directory.
        dir: PathBuf,
    },
    /// No stack matched the given patterns.
    #[error("no stack matches {}; the stacks are: {}", quote_list(patterns), available.join(", "))]
    NoMatch {
        /// The patterns given.
        patterns: Vec<String>,
        /// Display names of every stack in the assembly.
        available: Vec<String>,
    },
    /// The command needs exactly one stack, but several were selected.
    #[error("{what} needs exactly one stack, but {} are selected ({}); name one (with -e to leave out its dependencies)", selected.len(), selected.join(", "))]
    NotSingle {
        /// What needs a single stack (e.g. `diff --template`).
        what: String,
        /// The selected stacks.
        selected: Vec<String>,
    },
    /// The stack dependencies form a cycle.
    #[error("stack dependency cycle: {}", cycle.join(" -> "))]
    DependencyCycle {
        /// The stacks in the cycle, first one repeated at the end.
        cycle: Vec<String>,
    },
    /// A stack carries `aws:cdk:error` metadata.
    #[error("stack {stack} has errors:\n{}", messages.join("\n"))]
    StackErrors {
        /// The stack's display name.
        stack: String,
        /// The error messages with their construct paths.
        messages: Vec<String>,
    },
    /// An AWS call failed.
    #[error("{action}: {source}")]
    Aws {
        /// What rcdk was doing (names the stack, bucket or parameter).
        action: String,
        /// The service's error.
        source: crate::aws::AwsError,
    },
    /// No region is configured for something that needs one.
    #[error("no AWS region for {what}: set AWS_REGION (or AWS_DEFAULT_REGION), use a --profile with a region, or give the stack an explicit environment")]
    NoRegion {
        /// What needs the region (e.g. `stack Api`).
        what: String,
    },
    /// A command-line argument is malformed.
    #[error("invalid {what} `{value}`: {problem}")]
    InvalidArg {
        /// Which argument (e.g. `--parameters`).
        what: String,
        /// The value given.
        value: String,
        /// What is wrong.
        problem: String,
    },
    /// An asset cannot be read, packaged or published.
    #[error("asset {asset}: {problem}")]
    Asset {
        /// The asset's display name or hash.
        asset: String,
        /// What went wrong.
        problem: String,
    },
    /// The target environment is not bootstrapped, or with too old a version.
    #[error("{problem} (in {environment}); run `rcdk bootstrap {environment}`")]
    Bootstrap {
        /// `aws://ACCOUNT/REGION`.
        environment: String,
        /// What is missing or too old.
        problem: String,
    },
    /// The current credentials act in another account than the one asked for.
    #[error("the current credentials are for account {actual}, but {wanted} was asked for; use credentials for {wanted} (e.g. --profile)")]
    WrongAccount {
        /// The account the command targets.
        wanted: String,
        /// The account of the credentials.
        actual: String,
    },
    /// `--trust` without `--cloudformation-execution-policies`.
    #[error("--trust needs explicit --cloudformation-execution-policies: the trusted accounts can deploy with the execution role's permissions, so name the managed policies it gets (e.g. --cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess)")]
    TrustWithoutPolicies,
    /// Changes need approval that was not (or could not be) given.
    #[error("{0}")]
    NotApproved(String),
    /// One or more stacks failed (each was reported as it failed).
    #[error("{operation} failed for {}", stacks.join(", "))]
    StacksFailed {
        /// `deployment` or `destruction`.
        operation: String,
        /// The stacks that failed, with a short reason each.
        stacks: Vec<String>,
    },
    /// A context lookup failed.
    #[error("context lookup failed (provider `{provider}`, key `{key}`): {message}")]
    Lookup {
        /// The context provider (`ssm`, `vpc-provider`, ...).
        provider: String,
        /// The context key.
        key: String,
        /// Why it failed.
        message: String,
    },
    /// The app asks for a context provider rcdk does not implement.
    #[error("the app needs a value from the context provider `{provider}` (key `{key}`), which rcdk cannot look up (it looks up {}); store the value under that key in cdk.context.json (e.g. by running `cdk synth` once) or pass it with -c", crate::lookups::providers::SUPPORTED.join(", "))]
    UnsupportedProvider {
        /// The provider.
        provider: String,
        /// The context key.
        key: String,
    },
    /// Context values are still missing: the assembly holds dummy values and is not used.
    #[error("the app has unresolved context lookups ({}): {why}; an assembly with missing context is never deployed", keys.join(", "))]
    UnresolvedContext {
        /// The missing keys.
        keys: Vec<String>,
        /// Why they could not be resolved.
        why: String,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    WriteFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Writing the command's output failed.
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
    /// Serializing a document to YAML failed.
    #[error("cannot render YAML: {0}")]
    YamlOut(String),
    /// A command that acts on one stack unless told otherwise (`deploy`, `destroy`) was given
    /// no stacks, and the app has not exactly one stack outside stages (the cdk CLI's message;
    /// with stacks in stages, patterns that select them).
    #[error("since this app includes more than a single stack, specify which stacks to use (wildcards are supported) or specify `--all`\nStacks: {}{}", stacks.join(" · "), stage_hint(stage_patterns))]
    SelectionNeeded {
        /// Display names of every stack.
        stacks: Vec<String>,
        /// Patterns selecting the stacks of each top-level stage (`PipelineStack/*`); empty
        /// when no stack is in a stage.
        stage_patterns: Vec<String>,
    },
    /// `--all` and stack patterns were both given.
    #[error("you must either specify a list of stacks or the `--all` argument, not both")]
    AllWithPatterns,
    /// `--all` of `deploy` / `destroy` selects the stacks outside stages, and there are none.
    #[error("`--all` selects the stacks outside stages, and this app has none (stacks: {}); select the stacks of a stage by their path, e.g. {}", stacks.join(" · "), quoted(stage_patterns))]
    NoTopLevelStacks {
        /// Display names of every stack.
        stacks: Vec<String>,
        /// Patterns selecting the stacks of each top-level stage.
        stage_patterns: Vec<String>,
    },
    /// A stack artifact depends on an artifact that is in none of the manifests.
    #[error("{}: stack {stack} depends on {dependency}, which is no artifact of the assembly", manifest.display())]
    UnknownDependency {
        /// The manifest listing the stack.
        manifest: PathBuf,
        /// The stack's artifact ID.
        stack: String,
        /// The missing artifact ID.
        dependency: String,
    },
}

fn quoted(patterns: &[String]) -> String {
    patterns
        .iter()
        .map(|p| format!("'{p}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn stage_hint(patterns: &[String]) -> String {
    if patterns.is_empty() {
        String::new()
    } else {
        format!("\nSome of these stacks are nested inside a Stage. To select the stacks in a Stage, use a pattern that matches their full path, e.g. {}", quoted(patterns))
    }
}

/// An error and its sources as one line: each message once, joined with `: `. A source whose
/// message is already part of what was said (errors that print their cause themselves, like
/// most of [`CliError`]) is left out, so no cause is printed twice.
pub fn render_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut messages = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        messages.push(e.to_string());
        current = e.source();
    }
    join_messages(messages)
}

/// Joins messages with `: `, leaving out empty ones and ones already contained in the text so
/// far.
pub fn join_messages(messages: impl IntoIterator<Item = String>) -> String {
    let mut text = String::new();
    for message in messages {
        let message = message.trim();
        if message.is_empty() || text.contains(message) {
            continue;
        }
        if text.is_empty() {
            text = message.to_string();
        } else {
            text = format!("{text}: {message}");
        }
    }
    text
}

/// Convenience alias for results of this crate.
pub type Result<T, E = CliError> = std::result::Result<T, E>;

fn stderr_tail(stderr: &str) -> String {
    let s = stderr.trim_end();
    if s.is_empty() {
        String::new()
    } else {
        format!("; its stderr:\n{s}")
    }
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_printed_once() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let err = CliError::Read {
            path: PathBuf::from("x.json"),
            source: io,
        };
        let text = render_chain(&err);
        assert_eq!(text.matches("not found").count(), 1, "{text}");
        assert!(text.starts_with("cannot read x.json: "), "{text}");
        assert_eq!(
            join_messages([
                "dispatch failure".into(),
                "io error".into(),
                "dispatch failure: io error".into(),
                "".into(),
                "refused".into()
            ]),
            "dispatch failure: io error: refused"
        );
    }
}
