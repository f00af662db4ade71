//! Synthesis: from the construct tree to a cloud assembly directory.
//!
//! Steps: aspects → validation (all errors at once, nothing written) → bootstrap elements →
//! logical IDs → resolution (cross-stack exports) → stack graph → files, written to a temporary
//! directory that then replaces the output directory in one rename.

pub mod limits;
pub(crate) mod manifest;
pub(crate) mod nested;
pub(crate) mod resolve;
mod template;
mod tree_json;
mod writer;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::Value as J;

use crate::cfn::{
    CfnParameter, CfnParameterProps, CfnRule, CfnRuleProps, ElementKind, RuleAssertion,
};
use crate::construct::{Node, NodeKind};
use crate::error::{Error, Result, ValidationError};
use crate::graph::StackGraph;
use crate::logical_id::make_unique_id;
use crate::synthesizer::MIN_BOOTSTRAP_VERSION;
use crate::validation::PolicyValidationReport;
use crate::{fns, Environment, StrList};
use resolve::SynthState;

pub use nested::NestedAssemblyArtifact;
pub use writer::{
    check_outdir, is_cloud_assembly, outdir_problem, replace_outdir, write_atomically,
    write_atomically_reusing, AssemblyFile,
};

/// Schema version of the cloud assembly written (`../schemas/version.json` + `.0.0`).
pub const CLOUD_ASSEMBLY_VERSION: &str = "55.0.0";

/// One stack of a synthesized assembly.
#[derive(Clone, Debug)]
pub struct StackArtifact {
    /// Artifact ID (`<id>.template.json`).
    pub artifact_id: String,
    /// CloudFormation stack name.
    pub stack_name: String,
    /// Construct path of the stack.
    pub display_name: String,
    /// Target environment.
    pub environment: Environment,
    /// Artifact IDs of the stacks this one depends on.
    pub dependencies: Vec<String>,
    /// The template.
    pub template: J,
    /// Template file name inside the assembly.
    pub template_file: String,
    /// The manifest's metadata of this stack: `/construct/path` → entries `{"type", "data"}`
    /// (`aws:cdk:logicalId`, `aws:cdk:warning`, `aws:cdk:error`, `aws:cdk:info`, ...), in tree order.
    pub metadata: Vec<(String, Vec<J>)>,
    /// Stack-level tags (the manifest's `tags`), sorted by key.
    pub tags: Vec<(String, String)>,
    /// The directory of the (nested) assembly holding this stack, relative to the root
    /// assembly: `""` for the app's own stacks, `assembly-<Path>` for a [`Stage`](crate::Stage)'s.
    /// `template_file` and `dependencies` are relative to that assembly.
    pub assembly_directory: String,
}

impl StackArtifact {
    /// The template's path relative to the root assembly (`assembly-Dev/DevApp1234ABCD.template.json`).
    pub fn template_path_in_root(&self) -> String {
        nested::inside(&self.assembly_directory, &self.template_file)
    }
}

/// Lookups shared by [`CloudAssembly`] and [`InMemoryAssembly`].
fn find_stack<'a>(stacks: &'a [StackArtifact], name: &str) -> Option<&'a StackArtifact> {
    stacks
        .iter()
        .find(|s| s.artifact_id == name || s.stack_name == name || s.display_name == name)
}

/// The result of [`App::synth`](crate::App::synth): where it was written and what it holds.
#[derive(Clone, Debug)]
pub struct CloudAssembly {
    /// The assembly directory.
    pub directory: PathBuf,
    /// Stacks in deployment (topological) order, those of nested assemblies included.
    pub stacks: Vec<StackArtifact>,
    /// The nested assemblies (one per stage), parents before children.
    pub nested_assemblies: Vec<NestedAssemblyArtifact>,
    /// The policy validation report, when the app has validation plugins.
    pub validation_report: Option<PolicyValidationReport>,
}

/// The result of in-memory synthesis ([`synth_in_memory`]): what `App::synth` would write,
/// without writing anything.
#[derive(Clone, Debug)]
pub struct InMemoryAssembly {
    /// Stacks in deployment (topological) order, with the templates `App::synth` writes
    /// (those of nested assemblies included).
    pub stacks: Vec<StackArtifact>,
    /// The nested assemblies (one per stage), parents before children.
    pub nested_assemblies: Vec<NestedAssemblyArtifact>,
    /// The policy validation report, when the app has validation plugins.
    pub validation_report: Option<PolicyValidationReport>,
}

impl InMemoryAssembly {
    /// The stack with this artifact ID, stack name or construct path.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        find_stack(&self.stacks, name)
    }

    /// The stacks of the assembly in `directory` (relative to the root; `""` for the root's
    /// own, [`Stage::assembly_directory`](crate::Stage::assembly_directory) for a stage's).
    pub fn stacks_in(&self, directory: &str) -> Vec<&StackArtifact> {
        self.stacks
            .iter()
            .filter(|s| s.assembly_directory == directory)
            .collect()
    }
}

impl CloudAssembly {
    /// The stack with this artifact ID, stack name or construct path.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        find_stack(&self.stacks, name)
    }

    /// The stacks of the assembly in `directory` (relative to [`CloudAssembly::directory`];
    /// `""` for the root's own, [`Stage::assembly_directory`](crate::Stage::assembly_directory)
    /// for a stage's).
    pub fn stacks_in(&self, directory: &str) -> Vec<&StackArtifact> {
        self.stacks
            .iter()
            .filter(|s| s.assembly_directory == directory)
            .collect()
    }
}

/// Per-stack output of the in-memory phase.
pub(crate) struct StackOutput {
    pub(crate) artifact: StackArtifact,
    /// The template as written (empty in memory).
    pub(crate) template_text: String,
    pub(crate) synthesizer: crate::synthesizer::DefaultStackSynthesizer,
    pub(crate) termination_protection: bool,
    /// File assets defined in this stack, in construction order.
    pub(crate) assets: Vec<std::rc::Rc<crate::assets::AssetRecord>>,
}

/// Everything synthesis produced, before it is written.
pub(crate) struct Synthesized {
    pub(crate) stacks: Vec<StackOutput>,
    /// `tree.json` (empty in memory).
    pub(crate) tree: String,
    /// The nested assemblies, parents first.
    pub(crate) nested: Vec<NestedAssemblyArtifact>,
    /// Context lookups without a value (the root manifest's `missing` list; it holds those
    /// of stacks in stages too, as aws-cdk-lib reports them to the parent assembly).
    pub(crate) missing: Vec<serde_json::Value>,
    /// The policy validation report, when the app has plugins.
    pub(crate) validation: Option<PolicyValidationReport>,
    /// What user code returned during this run (to check a cached result).
    record: Record,
}

/// What user code returned during one synthesis: the outputs of validation closures and
/// lazy values, in call order. Synthesis is a function of the tree and these outputs.
#[derive(Default)]
struct Record {
    validations: Vec<(usize, Vec<String>)>,
    lazies: Vec<(crate::token::Lazy, usize, crate::Value)>,
    /// The resources left out of the templates (their `should_synthesize` decisions).
    skipped: std::collections::HashSet<usize>,
}

/// The last in-memory synthesis of a tree and what it depended on.
pub(crate) struct SynthCache {
    generation: u64,
    record: Record,
    assembly: Rc<InMemoryAssembly>,
}

/// Whether a run writes files (`tree.json`, template texts) or stays in memory.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Files,
    Memory,
}

/// Synthesizes `root`'s tree into `outdir` (hard-linking unchanged staged files from `previous`
/// when it is a cloud assembly).
pub(crate) fn synthesize(
    root: &Node,
    outdir: &Path,
    previous: Option<&Path>,
) -> Result<CloudAssembly> {
    let mut synthesized = run(root, Output::Files)?;
    let mut files = manifest::assembly_files(&mut synthesized)?;
    if let Some(report) = &synthesized.validation {
        files.push(writer::AssemblyFile::bytes(
            crate::validation::VALIDATION_REPORT_FILE,
            manifest::to_json_text(&report.to_json(), b"  ").into_bytes(),
        ));
        let legacy_off = root
            .try_get_context(LEGACY_REPORT_CONTEXT)
            .is_some_and(|v| v == J::Bool(false) || v == J::String("false".into()));
        if !legacy_off {
            files.push(writer::AssemblyFile::bytes(
                crate::validation::LEGACY_VALIDATION_REPORT_FILE,
                manifest::to_json_text(&report.to_legacy_json(), b"  ").into_bytes(),
            ));
        }
    }
    for (path, bytes) in root.tree().assembly_files.borrow().iter() {
        if files.iter().any(|f| f.path() == path) {
            return Err(Error::construct(
                "<app>",
                format!(
                    "the assembly file '{path}' added by a construct is also written by synthesis"
                ),
            ));
        }
        files.push(writer::AssemblyFile::bytes(path, bytes.clone()));
    }
    writer::write_atomically_reusing(outdir, &files, previous)?;
    if let Some(report) = &synthesized.validation {
        let copy = outdir.join(crate::validation::VALIDATION_REPORT_FILE);
        print_report(report, Some(&copy));
    }
    Ok(CloudAssembly {
        directory: outdir.to_path_buf(),
        stacks: synthesized.stacks.into_iter().map(|s| s.artifact).collect(),
        nested_assemblies: synthesized.nested,
        validation_report: synthesized.validation,
    })
}

/// Adds a file to the cloud assembly synthesis writes (`path` relative to the root assembly,
/// e.g. `Pipeline.dot` or `assembly-Prod/ProdApp1234.template.json.config.json`), replacing
/// what an earlier call gave for the same path; aws-cdk-lib constructs write such files into
/// the assembly directory (CDK Pipelines' graph and template configurations). Meant for
/// prepare steps: the file is written by [`App::synth`](crate::App::synth) (in-memory
/// synthesis writes nothing; [`assembly_file`] reads it back). A path that is absolute, empty
/// or leaves the assembly (`..`) is refused with its reason.
pub fn add_assembly_file(
    scope: &impl crate::IConstruct,
    path: &str,
    contents: impl Into<Vec<u8>>,
) -> std::result::Result<(), String> {
    let p = Path::new(path);
    let plain = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain {
        return Err(format!(
            "assembly file '{path}' must be a relative path inside the assembly (no '..', not absolute)"
        ));
    }
    scope
        .node()
        .tree()
        .assembly_files
        .borrow_mut()
        .insert(path.to_string(), contents.into());
    Ok(())
}

/// The contents of an assembly file added with [`add_assembly_file`] (by path relative to
/// the root assembly), e.g. to test what a construct writes without writing an assembly.
pub fn assembly_file(scope: &impl crate::IConstruct, path: &str) -> Option<Vec<u8>> {
    scope
        .node()
        .tree()
        .assembly_files
        .borrow()
        .get(path)
        .cloned()
}

/// Context key that, set to `false`, leaves `policy-validation-report.json` out of the assembly
/// (aws-cdk-lib writes it only when the key is `true`; rcdk writes it unless it is `false`).
pub const LEGACY_REPORT_CONTEXT: &str = "@aws-cdk/core:validationReportJson";

/// Synthesizes the app that `scope` belongs to in memory: the same phases and templates as
/// [`App::synth`](crate::App::synth) (aspects, prepare steps, validation, bootstrap elements,
/// logical IDs, references, policy validation), without `tree.json`, template texts, asset
/// staging or any file.
///
/// The result is cached per app: while the construct tree is unchanged (no mutable access
/// since the last run), the prepare steps and validations return the same results and every
/// lazy value produces the same value, the same [`InMemoryAssembly`] is returned. Anything
/// else synthesizes again. Failures are not cached.
///
/// ```
/// use cdk_core::{App, CfnResource, CfnResourceProps, Stack, StackProps};
/// let app = App::new();
/// let stack = Stack::new(&app, "Storage", StackProps::default());
/// CfnResource::new(&stack, "Bucket", CfnResourceProps { resource_type: "AWS::S3::Bucket".into(), ..Default::default() });
/// let first = cdk_core::synth::synth_in_memory(&stack).unwrap();
/// let template = &first.stack("Storage").unwrap().template;
/// assert_eq!(template["Resources"]["Bucket"]["Type"], "AWS::S3::Bucket");
/// // Unchanged app: the cached result.
/// assert!(std::rc::Rc::ptr_eq(&first, &app.synth_in_memory().unwrap()));
/// // A change invalidates it.
/// CfnResource::new(&stack, "Queue", CfnResourceProps { resource_type: "AWS::SQS::Queue".into(), ..Default::default() });
/// assert_eq!(app.synth_in_memory().unwrap().stacks[0].template["Resources"].as_object().unwrap().len(), 2);
/// ```
pub fn synth_in_memory(scope: &impl crate::IConstruct) -> Result<Rc<InMemoryAssembly>> {
    let root = scope.node().root();
    if let Some(hit) = cached(&root) {
        return Ok(hit);
    }
    let synthesized = run(&root, Output::Memory)?;
    if let Some(report) = &synthesized.validation {
        print_report(report, None);
    }
    let assembly = Rc::new(InMemoryAssembly {
        stacks: synthesized.stacks.into_iter().map(|s| s.artifact).collect(),
        nested_assemblies: synthesized.nested,
        validation_report: synthesized.validation,
    });
    *root.tree().synth_cache.borrow_mut() = Some(SynthCache {
        generation: root.tree().generation(),
        record: synthesized.record,
        assembly: assembly.clone(),
    });
    Ok(assembly)
}

/// The cached assembly, when it is still what synthesis would produce.
fn cached(root: &Node) -> Option<Rc<InMemoryAssembly>> {
    let cache = root.tree().synth_cache.borrow_mut().take()?;
    let generation = root.tree().generation();
    if cache.generation != generation {
        return None;
    }
    prepare(root);
    let still = root.tree().generation() == generation
        && run_validations(root) == cache.record.validations
        && cache.record.lazies.iter().all(|(lazy, owner, value)| {
            let scope = Node {
                tree: root.tree.clone(),
                idx: *owner,
            };
            resolve::produce_standalone(&scope, lazy) == *value
        })
        && skipped_resources(root) == cache.record.skipped
        && root.tree().generation() == generation;
    if !still {
        return None;
    }
    let assembly = cache.assembly.clone();
    *root.tree().synth_cache.borrow_mut() = Some(cache);
    Some(assembly)
}

/// Prints a report with something to show to stderr (in colour on a terminal, unless
/// `NO_COLOR` is set), as aws-cdk-lib prints its validation report.
fn print_report(report: &PolicyValidationReport, copy: Option<&Path>) {
    use std::io::IsTerminal;
    if !report.has_output() {
        return;
    }
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut text = report.format_text(colour);
    if let Some(path) = copy {
        text.push_str(&format!(
            "\n\nA copy of this report can be found in: {}",
            path.display()
        ));
    }
    eprintln!("{text}\n");
}

/// The phases shared by [`synthesize`] and [`synth_in_memory`].
///
/// Every error class is looked for in one run: construction and validation errors, logical
/// IDs, references (cross-stack ones included), dependency cycles and CloudFormation's limits
/// are reported together ([`Error::combine`]); policy validation runs once those pass.
fn run(root: &Node, output: Output) -> Result<Synthesized> {
    if let Some(warning) = crate::aspects::invoke_aspects(root) {
        root.add_warning(&warning);
    }
    prepare(root);
    mark_skipped_resources(root);
    let (mut validation, validations) = validate(root);
    add_bootstrap_elements(root);
    let mut others = Vec::new();
    let synthesized = build(root, output, &mut validation, &mut others);
    if let Some(error) = without_placeholders(root, validation, others) {
        return Err(error);
    }
    let Some(mut synthesized) = synthesized else {
        return Err(Error::construct(
            "<app>",
            "synthesis produced no assembly and reported no error",
        ));
    };
    synthesized.record.validations = validations;
    let report = {
        let artifacts: Vec<StackArtifact> = synthesized
            .stacks
            .iter()
            .map(|s| s.artifact.clone())
            .collect();
        crate::validation::run(root, &artifacts, CLOUD_ASSEMBLY_VERSION)?
    };
    if let Some(report) = &report {
        if !report.success() {
            return Err(Error::PolicyValidation(Box::new(report.clone())));
        }
        add_unused_suppression_warnings(root, report, &mut synthesized.stacks);
    }
    synthesized.validation = report;
    Ok(synthesized)
}

/// The combined error of one run ([`Error::combine`]), with the placeholder IDs of constructs
/// added with an invalid ID replaced by the IDs asked for. Other errors about such constructs
/// (their derived names, logical IDs or references) are left out: they are consequences of the
/// ID error, which is reported.
fn without_placeholders(
    root: &Node,
    validation: Vec<ValidationError>,
    others: Vec<Error>,
) -> Option<Error> {
    use crate::construct::INVALID_ID_PREFIX;
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    let validation = validation
        .into_iter()
        .map(|e| ValidationError {
            path: tree.without_placeholders(&e.path),
            message: tree.without_placeholders(&e.message),
        })
        .collect();
    let others = others
        .into_iter()
        .filter(|e| !e.to_string().contains(INVALID_ID_PREFIX))
        .collect();
    Error::combine(validation, others)
}

/// Unused suppressions become `aws:cdk:warning` entries of their stack's metadata (without
/// changing the tree, so repeated synthesis does not accumulate them).
fn add_unused_suppression_warnings(
    root: &Node,
    report: &PolicyValidationReport,
    stacks: &mut [StackOutput],
) {
    for unused in &report.unused_suppressions {
        let stack_path = {
            let tree_rc = root.tree();
            let tree = tree_rc.borrow();
            find_path(&tree, &unused.path)
                .and_then(|idx| tree.stack_of(idx))
                .map(|s| tree.path_of(s))
        };
        let Some(stack_path) = stack_path else {
            continue;
        };
        let Some(stack) = stacks
            .iter_mut()
            .find(|s| s.artifact.display_name == stack_path)
        else {
            continue;
        };
        let key = format!("/{}", unused.path);
        let entry = serde_json::json!({"type": "aws:cdk:warning", "data": unused.message()});
        match stack.artifact.metadata.iter_mut().find(|(p, _)| *p == key) {
            Some((_, entries)) => entries.push(entry),
            None => stack.artifact.metadata.push((key, vec![entry])),
        }
    }
}

/// The node at a construct path.
fn find_path(tree: &crate::construct::Tree, path: &str) -> Option<usize> {
    let mut idx = 0;
    for id in path.split('/').filter(|s| !s.is_empty()) {
        idx = *tree.nodes[idx].child_index.get(id)?;
    }
    Some(idx)
}

/// Runs every construct's prepare steps, in tree order (user code: no borrow is held).
fn prepare(root: &Node) {
    let order = root.tree().borrow().preorder(0);
    for idx in order {
        let steps = root.tree().borrow().nodes[idx].prepares.clone();
        for step in steps {
            step();
        }
    }
}

/// Asks every resource with a `should_synthesize` decision (user code: no borrow held) and
/// records the ones left out of the templates.
fn mark_skipped_resources(root: &Node) {
    let skipped = skipped_resources(root);
    if root.tree().borrow().skipped != skipped {
        root.tree().borrow_mut().skipped = skipped;
    }
}

/// The resources whose `should_synthesize` decision says no (user code: no borrow held).
fn skipped_resources(root: &Node) -> std::collections::HashSet<usize> {
    let deciders: Vec<(usize, std::rc::Rc<dyn Fn() -> bool>)> = {
        let tree_rc = root.tree();
        let tree = tree_rc.borrow();
        (0..tree.nodes.len())
            .filter_map(|i| match tree.element(i).map(|e| &e.kind) {
                Some(ElementKind::Resource(r)) => r.should_synthesize.clone().map(|d| (i, d)),
                _ => None,
            })
            .collect()
    };
    deciders
        .into_iter()
        .filter(|(_, decide)| !decide())
        .map(|(i, _)| i)
        .collect()
}

/// Runs every construct's validation closures, in tree order (user code: no borrow is held).
fn run_validations(root: &Node) -> Vec<(usize, Vec<String>)> {
    let order = root.tree().borrow().preorder(0);
    let mut out = Vec::new();
    for idx in order {
        let checks = root.tree().borrow().nodes[idx].validations.clone();
        for check in checks {
            out.push((idx, check()));
        }
    }
    out
}

/// Collects construction errors, `aws:cdk:error` metadata and validation results, with what
/// the validation closures returned.
fn validate(root: &Node) -> (Vec<ValidationError>, Vec<(usize, Vec<String>)>) {
    let mut record = Vec::new();
    let mut errors: Vec<ValidationError> = root.tree().borrow().errors.clone();
    let order = root.tree().borrow().preorder(0);
    for idx in order {
        let (path, metadata_errors, validations, misplaced, property_checks) = {
            let tree_rc = root.tree();
            let tree = tree_rc.borrow();
            let node = &tree.nodes[idx];
            let misplaced =
                matches!(node.kind, NodeKind::Element(_)) && tree.stack_of(idx).is_none();
            (
                tree.path_of(idx),
                node.metadata
                    .iter()
                    .filter(|m| m.kind == "aws:cdk:error")
                    .map(|m| {
                        m.data
                            .as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| m.data.to_string())
                    })
                    .collect::<Vec<_>>(),
                node.validations.clone(),
                misplaced,
                if tree.skipped.contains(&idx) {
                    None
                } else {
                    property_checks(&tree, idx)
                },
            )
        };
        let display = if path.is_empty() {
            "<app>".to_string()
        } else {
            path
        };
        if misplaced {
            errors.push(ValidationError {
                path: display.clone(),
                message: "CloudFormation elements must be defined inside a Stack".into(),
            });
        }
        for message in metadata_errors {
            errors.push(ValidationError {
                path: display.clone(),
                message,
            });
        }
        // User code: run without holding a borrow of the tree.
        if let Some((properties, checks)) = property_checks {
            for check in checks {
                for message in check(&properties) {
                    errors.push(ValidationError {
                        path: display.clone(),
                        message,
                    });
                }
            }
        }
        for check in validations {
            let messages = check();
            for message in &messages {
                errors.push(ValidationError {
                    path: display.clone(),
                    message: message.clone(),
                });
            }
            record.push((idx, messages));
        }
    }
    (errors, record)
}

/// A resource's current properties and its property checks (when it has any).
fn property_checks(
    tree: &crate::construct::Tree,
    idx: usize,
) -> Option<(crate::Value, Vec<crate::cfn::PropertyValidation>)> {
    match tree.element(idx).map(|e| &e.kind) {
        Some(ElementKind::Resource(r)) if !r.property_validations.is_empty() => Some((
            crate::Value::Map(r.properties.clone()),
            r.property_validations.clone(),
        )),
        _ => None,
    }
}

/// Stacks in tree order.
fn stacks_of(root: &Node) -> Vec<usize> {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    tree.preorder(0)
        .into_iter()
        .filter(|&i| matches!(tree.nodes[i].kind, NodeKind::Stack(_)))
        .collect()
}

/// The `BootstrapVersion` parameter and `CheckBootstrapVersion` rule of every stack.
fn add_bootstrap_elements(root: &Node) {
    for idx in stacks_of(root) {
        let stack = root.at(idx);
        if stack.try_find_child("BootstrapVersion").is_some() {
            continue;
        }
        let parameter_name = {
            let tree_rc = root.tree();
            let tree = tree_rc.borrow();
            tree.stack_data(idx)
                .synthesizer
                .bootstrap_version_parameter()
        };
        let version = CfnParameter::new(
            &stack,
            "BootstrapVersion",
            CfnParameterProps {
                parameter_type: Some("AWS::SSM::Parameter::Value<String>".into()),
                default: Some(parameter_name.into()),
                description: Some("Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]".into()),
                ..Default::default()
            },
        );
        let old_versions: Vec<String> = (1..MIN_BOOTSTRAP_VERSION).map(|v| v.to_string()).collect();
        CfnRule::new(
            &stack,
            "CheckBootstrapVersion",
            CfnRuleProps {
                rule_condition: None,
                assertions: vec![RuleAssertion {
                    assert: fns::not(fns::contains(
                        StrList::from(old_versions),
                        version.value_as_string(),
                    )),
                    description: format!("CDK bootstrap stack version {MIN_BOOTSTRAP_VERSION} required. Please run 'cdk bootstrap' with a recent version of the CDK CLI."),
                }],
            },
        );
    }
}

/// The construct IDs from `stack`'s child down to `element` (the logical ID's components).
pub(crate) fn ids_below(tree: &crate::construct::Tree, stack: usize, element: usize) -> Vec<&str> {
    let mut ids = Vec::new();
    let mut idx = element;
    while idx != stack {
        ids.push(tree.nodes[idx].id.as_str());
        match tree.nodes[idx].parent {
            Some(parent) => idx = parent,
            None => break,
        }
    }
    ids.reverse();
    ids
}

/// The error for an allocated logical ID that CloudFormation would refuse (aws-cdk-lib refuses
/// it the same way, in `LogicalIDs.applyRename`).
fn invalid_logical_id(
    tree: &crate::construct::Tree,
    element: usize,
    id: &str,
    ids: &[&str],
) -> ValidationError {
    let ids: Vec<String> = ids.iter().map(|i| format!("'{i}'")).collect();
    ValidationError {
        path: tree.path_of(element),
        message: format!(
            "Logical ID must adhere to the regular expression /^[A-Za-z0-9]{{1,255}}$/, got '{id}': the construct IDs below the stack ({}) have no ASCII letters or digits; use an ID with some, or override the logical ID",
            ids.join(", ")
        ),
    }
}

/// Elements of `stack` in tree order (not descending into nested stacks or stages).
fn elements_of(root: &Node, stack: usize) -> Vec<usize> {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    let mut out = Vec::new();
    let mut work = vec![stack];
    while let Some(i) = work.pop() {
        if i != stack && matches!(tree.nodes[i].kind, NodeKind::Stack(_) | NodeKind::Stage(_)) {
            continue;
        }
        if matches!(tree.nodes[i].kind, NodeKind::Element(_)) {
            out.push(i);
        }
        work.extend(tree.nodes[i].children.iter().rev());
    }
    out
}

/// Builds every stack's template and manifest data (and `tree.json` for files). Errors are
/// collected, not returned early: limit and validation-like errors (naming a construct) go to
/// `validation`, the others (references, logical IDs, cycles) to `errors`. `None` when the
/// templates could not be assembled.
fn build(
    root: &Node,
    output: Output,
    validation: &mut Vec<ValidationError>,
    errors: &mut Vec<Error>,
) -> Option<Synthesized> {
    let stacks = stacks_of(root);
    let mut state = SynthState {
        root: root.clone(),
        logical_ids: HashMap::new(),
        taken_ids: HashMap::new(),
        stack_of: HashMap::new(),
        exports: HashMap::new(),
        pending: Vec::new(),
        exports_created: Vec::new(),
        stack_deps: Vec::new(),
        lazies: Vec::new(),
    };

    // 1. Logical IDs.
    let initial_elements: Vec<(usize, Vec<usize>)> =
        stacks.iter().map(|&s| (s, elements_of(root, s))).collect();
    for (stack, elements) in &initial_elements {
        let stack = *stack;
        for &element in elements {
            let (id, invalid) = {
                let tree_rc = root.tree();
                let tree = tree_rc.borrow();
                match tree
                    .element(element)
                    .and_then(|e| e.logical_id_override.clone())
                {
                    Some(id) => (id, None),
                    None => {
                        let ids = ids_below(&tree, stack, element);
                        let id = make_unique_id(&ids);
                        let invalid = if ids.iter().all(|i| *i == "Default") {
                            // aws-cdk-lib: makeUniqueId throws on an empty set of components.
                            Some(ValidationError {
                                path: tree.path_of(element),
                                message: "Unable to calculate a unique id for an empty set of components: every construct ID below the stack is 'Default' (hidden from logical IDs); give one of them another ID, or override the logical ID".into(),
                            })
                        } else if !crate::logical_id::is_valid_logical_id(&id) {
                            Some(invalid_logical_id(&tree, element, &id, &ids))
                        } else {
                            None
                        };
                        (id, invalid)
                    }
                }
            };
            match invalid {
                // Recorded for references, but not checked for duplicates: the ID is refused.
                Some(error) => {
                    validation.push(error);
                    state.logical_ids.insert(element, id);
                    state.stack_of.insert(element, stack);
                }
                None => {
                    if let Err(e) = state.assign_logical_id(element, stack, id) {
                        errors.push(e);
                    }
                }
            }
        }
    }

    // 2. Render every element (this may create exports, rendered in turn). Resolving a
    // reference from another environment may generate a physical name that elements rendered
    // before already needed: then everything is rendered once more (exports are reused).
    let skipped = root.tree().borrow().skipped.clone();
    let all_elements: Vec<usize> = initial_elements
        .into_iter()
        .flat_map(|(_, e)| e)
        .filter(|e| !skipped.contains(e))
        .collect();
    let mut rendered: Vec<Option<template::Rendered>> = Vec::new();
    // A further pass renders everything again: errors of the pass before are dropped, so each
    // is reported once.
    let errors_before_render = errors.len();
    for _pass in 0..3 {
        errors.truncate(errors_before_render);
        let generated_before = root.tree().borrow().names_generated;
        let mut queue = all_elements.clone();
        queue.extend(state.exports_created.iter().copied());
        while !queue.is_empty() {
            for element in std::mem::take(&mut queue) {
                let Some(&stack) = state.stack_of.get(&element) else {
                    continue;
                };
                let out = match template::render_element(&mut state, stack, element) {
                    Ok(out) => out,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                };
                if rendered.len() <= element {
                    rendered.resize_with(element + 1, || None);
                }
                rendered[element] = Some(out);
            }
            queue = std::mem::take(&mut state.pending);
            state.exports_created.extend(queue.iter().copied());
        }
        if root.tree().borrow().names_generated == generated_before {
            break;
        }
    }

    // 3. Dependencies: explicit, references, DependsOn across stacks, construct dependencies.
    let mut depends_on: HashMap<usize, Vec<usize>> = HashMap::new();
    let extra_stack_deps = collect_resource_dependencies(root, &state, &mut depends_on);
    state.stack_deps.extend(extra_stack_deps);
    let mut graph = StackGraph::new();
    let names: HashMap<usize, String> = {
        let tree_rc = root.tree();
        let tree = tree_rc.borrow();
        stacks
            .iter()
            .map(|&s| (s, tree.stack_data(s).artifact_id.clone()))
            .collect()
    };
    for &s in &stacks {
        graph.add_stack(&names[&s]);
    }
    {
        let tree_rc = root.tree();
        let tree = tree_rc.borrow();
        for &s in &stacks {
            for (target, reason) in &tree.stack_data(s).dependencies {
                graph.add_dependency(&names[&s], &names[target], reason);
            }
        }
    }
    for (consumer, producer, reason) in &state.stack_deps {
        graph.add_dependency(&names[consumer], &names[producer], reason);
    }
    {
        // Stacks of different stages deploy independently: no dependency may cross.
        let tree_rc = root.tree();
        let tree = tree_rc.borrow();
        let explicit = stacks.iter().flat_map(|&s| {
            tree.stack_data(s)
                .dependencies
                .iter()
                .map(move |(t, reason)| (s, *t, reason.clone()))
        });
        let all: Vec<(usize, usize, String)> =
            explicit.chain(state.stack_deps.iter().cloned()).collect();
        let crossing = nested::stage_boundary_errors(&tree, &all);
        if !crossing.is_empty() {
            validation.extend(crossing);
            return None;
        }
    }
    errors.extend(
        graph
            .cycles()
            .into_iter()
            .map(|cycle| Error::DependencyCycle { cycle }),
    );
    if !errors.is_empty() {
        return None;
    }
    let order = match graph.topological_order() {
        Ok(order) => order,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let position: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();

    // 4. tree.json (reads the rendered properties), then the templates, which consume them.
    let tree = match output {
        Output::Files => tree_json::render_text(root, &rendered),
        Output::Memory => String::new(),
    };
    let assets = crate::assets::records(root);
    let mut outputs = Vec::with_capacity(stacks.len());
    for &stack in &stacks {
        let elements = elements_of(root, stack);
        let template =
            match template::assemble(root, stack, &elements, &mut rendered, &state, &depends_on) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
        let template_text = match output {
            Output::Files => template::to_text(&template),
            Output::Memory => String::new(),
        };
        // The size limit is of the file written (in memory too, so both agree).
        let template_bytes = match output {
            Output::Files => template_text.len(),
            Output::Memory => template::to_text(&template).len(),
        };
        validation.extend(limits::check(
            &root.tree().borrow().path_of(stack),
            &template,
            template_bytes,
        ));
        let metadata = manifest::stack_metadata(root, stack, &elements, &state);
        let (artifact_id, stack_name, env, display_name, synthesizer, termination_protection, tags) = {
            let tree_rc = root.tree();
            let tree = tree_rc.borrow();
            let data = tree.stack_data(stack);
            (
                data.artifact_id.clone(),
                data.stack_name.clone(),
                data.env.clone(),
                tree.path_of(stack),
                data.synthesizer.clone(),
                data.termination_protection,
                data.tags.entries(),
            )
        };
        outputs.push(StackOutput {
            artifact: StackArtifact {
                dependencies: graph.dependencies_of(&artifact_id),
                template_file: format!("{artifact_id}.template.json"),
                artifact_id,
                stack_name,
                display_name,
                environment: env,
                template,
                metadata,
                tags,
                assembly_directory: {
                    let tree_rc = root.tree();
                    let tree = tree_rc.borrow();
                    nested::directory_of_stack(&tree, stack)
                },
            },
            template_text,
            synthesizer,
            termination_protection,
            assets: {
                let tree_rc = root.tree();
                let tree = tree_rc.borrow();
                assets
                    .iter()
                    .filter(|a| tree.stack_of(a.node) == Some(stack))
                    .cloned()
                    .collect()
            },
        });
    }
    if !errors.is_empty() {
        return None;
    }
    outputs.sort_by_key(|o| position[o.artifact.artifact_id.as_str()]);
    Some(Synthesized {
        stacks: outputs,
        tree,
        nested: nested::nested_assemblies(root),
        missing: root.missing_context(),
        validation: None,
        record: Record {
            validations: Vec::new(),
            lazies: std::mem::take(&mut state.lazies),
            skipped: root.tree().borrow().skipped.clone(),
        },
    })
}

/// Resource → resources it depends on in the same stack (from `DependsOn` and construct
/// dependencies); dependencies that cross stacks become stack dependencies instead.
fn collect_resource_dependencies(
    root: &Node,
    state: &SynthState,
    depends_on: &mut HashMap<usize, Vec<usize>>,
) -> Vec<(usize, usize, String)> {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    let mut stack_deps: Vec<(usize, usize, String)> = Vec::new();
    let mut add = |from: usize, to: usize, depends_on: &mut HashMap<usize, Vec<usize>>| {
        let (Some(&s1), Some(&s2)) = (state.stack_of.get(&from), state.stack_of.get(&to)) else {
            return;
        };
        if from == to {
            return;
        }
        if s1 == s2 {
            let list = depends_on.entry(from).or_default();
            if !list.contains(&to) {
                list.push(to);
            }
        } else {
            stack_deps.push((
                s1,
                s2,
                format!("{} depends on {}", tree.path_of(from), tree.path_of(to)),
            ));
        }
    };
    let resources_below = |idx: usize| -> Vec<usize> {
        tree.preorder(idx)
            .into_iter()
            .filter(|&i| {
                matches!(
                    tree.element(i).map(|e| &e.kind),
                    Some(ElementKind::Resource(_))
                )
            })
            .collect()
    };
    for idx in 0..tree.nodes.len() {
        if let Some(ElementKind::Resource(r)) = tree.element(idx).map(|e| &e.kind) {
            for &target in &r.depends_on {
                add(idx, target, depends_on);
            }
        }
        let deps = &tree.nodes[idx].dependencies;
        if deps.is_empty() {
            continue;
        }
        let sources = resources_below(idx);
        for &dep in deps {
            if matches!(tree.nodes[dep].kind, NodeKind::Stack(_)) && sources.is_empty() {
                continue;
            }
            for &target in &resources_below(dep) {
                for &source in &sources {
                    add(source, target, depends_on);
                }
            }
        }
    }
    // Stack-level construct dependencies (`stack.node().add_dependency(&other_stack)`).
    for idx in 0..tree.nodes.len() {
        if !matches!(tree.nodes[idx].kind, NodeKind::Stack(_)) {
            continue;
        }
        for &dep in &tree.nodes[idx].dependencies {
            if let Some(target) = tree.stack_of(dep) {
                if target != idx {
                    stack_deps.push((
                        idx,
                        target,
                        format!("{} depends on {}", tree.path_of(idx), tree.path_of(dep)),
                    ));
                }
            }
        }
    }
    stack_deps
}
