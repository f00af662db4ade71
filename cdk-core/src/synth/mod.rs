//! Synthesis: from the construct tree to a cloud assembly directory.
//!
//! Steps: aspects → validation (all errors at once, nothing written) → bootstrap elements →
//! logical IDs → resolution (cross-stack exports) → stack graph → files, written to a temporary
//! directory that then replaces the output directory in one rename.

mod manifest;
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
pub use writer::write_atomically;

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
    lazies: Vec<(crate::token::Lazy, crate::Value)>,
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

/// Synthesizes `root`'s tree into `outdir`.
pub(crate) fn synthesize(root: &Node, outdir: &Path) -> Result<CloudAssembly> {
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
    writer::write_atomically(outdir, &files)?;
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
    *root.tree.synth_cache.borrow_mut() = Some(SynthCache {
        generation: root.tree.generation(),
        record: synthesized.record,
        assembly: assembly.clone(),
    });
    Ok(assembly)
}

/// The cached assembly, when it is still what synthesis would produce.
fn cached(root: &Node) -> Option<Rc<InMemoryAssembly>> {
    let cache = root.tree.synth_cache.borrow_mut().take()?;
    let generation = root.tree.generation();
    if cache.generation != generation {
        return None;
    }
    prepare(root);
    let still = root.tree.generation() == generation
        && run_validations(root) == cache.record.validations
        && cache
            .record
            .lazies
            .iter()
            .all(|(lazy, value)| lazy.produce() == *value)
        && root.tree.generation() == generation;
    if !still {
        return None;
    }
    let assembly = cache.assembly.clone();
    *root.tree.synth_cache.borrow_mut() = Some(cache);
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
fn run(root: &Node, output: Output) -> Result<Synthesized> {
    if let Some(warning) = crate::aspects::invoke_aspects(root) {
        root.add_warning(&warning);
    }
    prepare(root);
    let validations = validate(root)?;
    add_bootstrap_elements(root);
    let mut synthesized = build(root, output)?;
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

/// Unused suppressions become `aws:cdk:warning` entries of their stack's metadata (without
/// changing the tree, so repeated synthesis does not accumulate them).
fn add_unused_suppression_warnings(
    root: &Node,
    report: &PolicyValidationReport,
    stacks: &mut [StackOutput],
) {
    for unused in &report.unused_suppressions {
        let stack_path = {
            let tree = root.tree.borrow();
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
    let order = root.tree.borrow().preorder(0);
    for idx in order {
        let steps = root.tree.borrow().nodes[idx].prepares.clone();
        for step in steps {
            step();
        }
    }
}

/// Runs every construct's validation closures, in tree order (user code: no borrow is held).
fn run_validations(root: &Node) -> Vec<(usize, Vec<String>)> {
    let order = root.tree.borrow().preorder(0);
    let mut out = Vec::new();
    for idx in order {
        let checks = root.tree.borrow().nodes[idx].validations.clone();
        for check in checks {
            out.push((idx, check()));
        }
    }
    out
}

/// Collects construction errors, `aws:cdk:error` metadata and validation results; returns
/// what the validation closures returned.
fn validate(root: &Node) -> Result<Vec<(usize, Vec<String>)>> {
    let mut record = Vec::new();
    let mut errors: Vec<ValidationError> = root.tree.borrow().errors.clone();
    let order = root.tree.borrow().preorder(0);
    for idx in order {
        let (path, metadata_errors, validations, misplaced, property_checks) = {
            let tree = root.tree.borrow();
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
                property_checks(&tree, idx),
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
    if errors.is_empty() {
        Ok(record)
    } else {
        Err(Error::Validation(errors))
    }
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
    let tree = root.tree.borrow();
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
            let tree = root.tree.borrow();
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
fn ids_below(tree: &crate::construct::Tree, stack: usize, element: usize) -> Vec<&str> {
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

/// Elements of `stack` in tree order (not descending into nested stacks or stages).
fn elements_of(root: &Node, stack: usize) -> Vec<usize> {
    let tree = root.tree.borrow();
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

fn build(root: &Node, output: Output) -> Result<Synthesized> {
    let stacks = stacks_of(root);
    let mut state = SynthState {
        root: root.clone(),
        logical_ids: HashMap::new(),
        taken_ids: HashMap::new(),
        stack_of: HashMap::new(),
        exports: HashMap::new(),
        pending: Vec::new(),
        stack_deps: Vec::new(),
        lazies: Vec::new(),
    };

    // 1. Logical IDs.
    let initial_elements: Vec<(usize, Vec<usize>)> =
        stacks.iter().map(|&s| (s, elements_of(root, s))).collect();
    for (stack, elements) in &initial_elements {
        let stack = *stack;
        for &element in elements {
            let id = {
                let tree = root.tree.borrow();
                match tree
                    .element(element)
                    .and_then(|e| e.logical_id_override.clone())
                {
                    Some(id) => id,
                    None => make_unique_id(&ids_below(&tree, stack, element)),
                }
            };
            state.assign_logical_id(element, stack, id)?;
        }
    }

    // 2. Render every element (this may create exports, rendered in turn).
    let mut rendered: Vec<Option<template::Rendered>> = Vec::new();
    let mut queue: Vec<usize> = initial_elements.into_iter().flat_map(|(_, e)| e).collect();
    while !queue.is_empty() {
        for element in std::mem::take(&mut queue) {
            let stack = state.stack_of[&element];
            let out = template::render_element(&mut state, stack, element)?;
            if rendered.len() <= element {
                rendered.resize_with(element + 1, || None);
            }
            rendered[element] = Some(out);
        }
        queue = std::mem::take(&mut state.pending);
    }

    // 3. Dependencies: explicit, references, DependsOn across stacks, construct dependencies.
    let mut depends_on: HashMap<usize, Vec<usize>> = HashMap::new();
    let extra_stack_deps = collect_resource_dependencies(root, &state, &mut depends_on);
    state.stack_deps.extend(extra_stack_deps);
    let mut graph = StackGraph::new();
    let names: HashMap<usize, String> = {
        let tree = root.tree.borrow();
        stacks
            .iter()
            .map(|&s| (s, tree.stack_data(s).artifact_id.clone()))
            .collect()
    };
    for &s in &stacks {
        graph.add_stack(&names[&s]);
    }
    {
        let tree = root.tree.borrow();
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
        let tree = root.tree.borrow();
        let explicit = stacks.iter().flat_map(|&s| {
            tree.stack_data(s)
                .dependencies
                .iter()
                .map(move |(t, reason)| (s, *t, reason.clone()))
        });
        let all: Vec<(usize, usize, String)> =
            explicit.chain(state.stack_deps.iter().cloned()).collect();
        let errors = nested::stage_boundary_errors(&tree, &all);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
    }
    let order = graph.topological_order()?;
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
            template::assemble(root, stack, &elements, &mut rendered, &state, &depends_on)?;
        let template_text = match output {
            Output::Files => template::to_text(&template),
            Output::Memory => String::new(),
        };
        let metadata = manifest::stack_metadata(root, stack, &elements, &state);
        let (artifact_id, stack_name, env, display_name, synthesizer, termination_protection, tags) = {
            let tree = root.tree.borrow();
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
                    let tree = root.tree.borrow();
                    nested::directory_of_stack(&tree, stack)
                },
            },
            template_text,
            synthesizer,
            termination_protection,
            assets: {
                let tree = root.tree.borrow();
                assets
                    .iter()
                    .filter(|a| tree.stack_of(a.node) == Some(stack))
                    .cloned()
                    .collect()
            },
        });
    }
    outputs.sort_by_key(|o| position[o.artifact.artifact_id.as_str()]);
    Ok(Synthesized {
        stacks: outputs,
        tree,
        nested: nested::nested_assemblies(root),
        missing: root.missing_context(),
        validation: None,
        record: Record {
            validations: Vec::new(),
            lazies: std::mem::take(&mut state.lazies),
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
    let tree = root.tree.borrow();
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
