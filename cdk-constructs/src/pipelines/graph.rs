//! The ordering engine of CDK Pipelines, as aws-cdk-lib's `helpers-internal` (`Graph`,
//! `PipelineGraph`, `topoSort`) and `CodePipeline.pipelineStagesAndActionsFromGraph` compute it:
//! a [`Blueprint`] (synth step, waves of stages of stacks, pre/post steps, assets) becomes a
//! graph of groups and leaves, and the graph becomes the pipeline's stages and actions with
//! aws-cdk-lib's names and run orders ([`plan`]).
//!
//! Top-level groups, in dependency order: `Source` (source steps), `Build` (the synth step),
//! `UpdatePipeline` (`SelfMutate`, when self-mutation is on), `Assets` (`FileAsset1`, … one per
//! asset ID, or one `FileAsset` when assets are not published in parallel), then one group per
//! stage (`stageName`; a wave of several stages is one group named by the wave) holding a group
//! per stack (`Prepare` → `Deploy`) and the pre/post steps. Within a pipeline stage the leaves
//! are sorted in tranches (a tranche's actions share a run order; ties sorted by ID); an action
//! is named by its path below the stage's common ancestor (`Prepare`, or `Application.Prepare`
//! beside a pre step), with aws-cdk-lib's sanitizing and 100-character limit.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

/// The index of a step in [`Blueprint::steps`].
pub type StepId = usize;

/// A step the pipeline runs: a shell script, an approval, a source (aws-cdk-lib's `Step`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlueprintStep {
    /// The step's ID (`Synth`, `PromoteToProd`); the action's name.
    pub id: String,
    /// A source step (placed in the `Source` stage).
    pub is_source: bool,
    /// Steps that must run before it (the producers of its inputs).
    pub depends_on: Vec<StepId>,
    /// Stacks whose outputs it reads, as (wave, stage, stack) indexes: it runs after their
    /// deploy actions.
    pub consumed_stack_outputs: Vec<(usize, usize, usize)>,
}

/// The kind of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssetType {
    /// A file or directory published to the bootstrap bucket.
    File,
    /// A container image published to the bootstrap repository.
    DockerImage,
}

/// One asset destination a stack needs published before it deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackAsset {
    /// The asset's ID (the source hash).
    pub asset_id: String,
    /// The selector the publishing command takes (`ASSET_ID:DESTINATION_ID`).
    pub asset_selector: String,
    /// Its display name in the asset manifest (`Lambda/Code`), if any.
    pub display_name: Option<String>,
    /// File or image.
    pub asset_type: AssetType,
    /// The asset manifest naming it (absolute).
    pub asset_manifest_path: std::path::PathBuf,
    /// The role its destination is published with (the target's file-publishing role).
    pub publishing_role_arn: Option<String>,
}

/// One stack of a stage (aws-cdk-lib's `StackDeployment`, the parts that order the pipeline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackPlan {
    /// The CloudFormation stack name (`dev-Application`).
    pub stack_name: String,
    /// The account, when the stack names one.
    pub account: Option<String>,
    /// The region, when the stack names one.
    pub region: Option<String>,
    /// Its assets.
    pub assets: Vec<StackAsset>,
    /// Indexes (in the stage's `stacks`) of the stacks it depends on.
    pub depends_on: Vec<usize>,
    /// Steps before its change set is created.
    pub pre: Vec<StepId>,
    /// Steps between creating and executing its change set.
    pub change_set: Vec<StepId>,
    /// Steps after it deployed.
    pub post: Vec<StepId>,
}

/// A stage of the pipeline (aws-cdk-lib's `StageDeployment`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePlan {
    /// The stage's name (its `stageName`, else its construct ID).
    pub stage_name: String,
    /// Its stacks.
    pub stacks: Vec<StackPlan>,
    /// Steps before its stacks.
    pub pre: Vec<StepId>,
    /// Steps after its stacks.
    pub post: Vec<StepId>,
}

/// Stages deployed in parallel (aws-cdk-lib's `Wave`; `add_stage` makes a wave of one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WavePlan {
    /// The wave's ID (the stage's ID for a wave of one).
    pub id: String,
    /// Its stages.
    pub stages: Vec<StagePlan>,
    /// Steps before its stages.
    pub pre: Vec<StepId>,
    /// Steps after its stages.
    pub post: Vec<StepId>,
}

/// What the pipeline is made of, engine-independent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blueprint {
    /// Every step, referred to by index.
    pub steps: Vec<BlueprintStep>,
    /// The step producing the cloud assembly.
    pub synth: StepId,
    /// The waves, in order.
    pub waves: Vec<WavePlan>,
    /// Whether the pipeline updates itself (`UpdatePipeline` stage).
    pub self_mutation: bool,
    /// Whether each asset gets its own action (else one action per asset type).
    pub publish_assets_in_parallel: bool,
    /// Whether stacks deploy through a change set (`Prepare` + `Deploy`, else `Deploy` alone).
    pub use_change_sets: bool,
}

/// What an action of the plan does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlannedWork {
    /// Runs this step.
    Step(StepId),
    /// The synth step (the build action).
    Synth(StepId),
    /// Deploys the pipeline stack from the synthesized assembly.
    SelfMutate,
    /// Publishes these assets (of one type).
    PublishAssets(Vec<StackAsset>),
    /// Creates the change set of stack `stack` of stage `stage` of wave `wave`.
    Prepare {
        /// The wave's index.
        wave: usize,
        /// The stage's index in the wave.
        stage: usize,
        /// The stack's index in the stage.
        stack: usize,
    },
    /// Executes that stack's change set (or deploys it directly without change sets).
    Deploy {
        /// The wave's index.
        wave: usize,
        /// The stage's index in the wave.
        stage: usize,
        /// The stack's index in the stage.
        stack: usize,
        /// Deploys without a change set.
        without_change_set: bool,
    },
}

/// One action of a planned pipeline stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedAction {
    /// The action's name.
    pub name: String,
    /// Its run order (actions of one run order run at once).
    pub run_order: u32,
    /// The graph node's ID (`FileAsset1` where the action is named `Lambda_Code`): the
    /// construct ID of an asset action's project.
    pub node_id: String,
    /// What it does.
    pub work: PlannedWork,
}

/// One stage of the planned pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStage {
    /// The stage's name (`Build`, `dev`, `Assets.2` when a stage overflows 50 actions).
    pub name: String,
    /// Its actions, in run order.
    pub actions: Vec<PlannedAction>,
}

/// Why a blueprint cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError(pub String);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlanError {}

type NodeId = usize;

#[derive(Debug, Clone)]
enum Kind {
    Group,
    Leaf(PlannedWork),
}

#[derive(Debug, Clone)]
struct Node {
    id: String,
    display_name: Option<String>,
    parent: Option<NodeId>,
    children: Vec<NodeId>,
    deps: Vec<NodeId>,
    kind: Kind,
}

/// The graph of groups and leaves (aws-cdk-lib's `Graph` / `GraphNode`), in an arena whose
/// node 0 is the root group.
#[derive(Debug, Clone)]
struct Graph {
    nodes: Vec<Node>,
}

impl Graph {
    fn new() -> Self {
        Graph {
            nodes: vec![Node {
                id: String::new(),
                display_name: None,
                parent: None,
                children: Vec::new(),
                deps: Vec::new(),
                kind: Kind::Group,
            }],
        }
    }

    fn is_group(&self, n: NodeId) -> bool {
        matches!(self.nodes[n].kind, Kind::Group)
    }

    fn child(&self, parent: NodeId, id: &str) -> Option<NodeId> {
        self.nodes[parent]
            .children
            .iter()
            .copied()
            .find(|&c| self.nodes[c].id == id)
    }

    fn add(
        &mut self,
        parent: NodeId,
        id: &str,
        display_name: Option<String>,
        kind: Kind,
    ) -> Result<NodeId, PlanError> {
        if self.child(parent, id).is_some() {
            return Err(PlanError(format!("node with duplicate id: {id}")));
        }
        let n = self.nodes.len();
        self.nodes.push(Node {
            id: id.to_string(),
            display_name,
            parent: Some(parent),
            children: Vec::new(),
            deps: Vec::new(),
            kind,
        });
        self.nodes[parent].children.push(n);
        Ok(n)
    }

    fn depend_on(&mut self, node: NodeId, dep: NodeId) {
        if node != dep {
            self.nodes[node].deps.push(dep);
        }
    }

    /// The group's descendants in depth-first pre-order (itself excluded).
    fn descendants(&self, group: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        fn walk(g: &Graph, n: NodeId, out: &mut Vec<NodeId>) {
            for &c in &g.nodes[n].children {
                out.push(c);
                walk(g, c, out);
            }
        }
        walk(self, group, &mut out);
        out
    }

    fn leaves_of(&self, n: NodeId) -> Vec<NodeId> {
        if self.is_group(n) {
            self.descendants(n)
                .into_iter()
                .filter(|&d| !self.is_group(d))
                .collect()
        } else {
            vec![n]
        }
    }

    /// aws-cdk-lib's `projectDependencies` over the group's deep dependencies: every node's
    /// dependencies moved to what `project` maps it to.
    fn projected(
        &self,
        group: NodeId,
        project: &dyn Fn(NodeId) -> Vec<NodeId>,
    ) -> (Vec<NodeId>, HashMap<NodeId, Vec<NodeId>>) {
        let mut order: Vec<NodeId> = self.descendants(group);
        let mut deps: HashMap<NodeId, Vec<NodeId>> = order
            .iter()
            .map(|&n| (n, self.nodes[n].deps.clone()))
            .collect();
        for n in order.clone() {
            let to = project(n);
            if to.len() == 1 && to[0] == n {
                continue;
            }
            let moved = deps.remove(&n).unwrap_or_default();
            order.retain(|&o| o != n);
            for t in to {
                let entry = deps.entry(t).or_default();
                for &d in &moved {
                    if !entry.contains(&d) {
                        entry.push(d);
                    }
                }
            }
        }
        for (n, ds) in deps.iter_mut() {
            let mut projected = Vec::new();
            for &d in ds.iter() {
                for p in project(d) {
                    if p != *n && !projected.contains(&p) {
                        projected.push(p);
                    }
                }
            }
            *ds = projected;
        }
        (order, deps)
    }

    /// aws-cdk-lib's `topoSort`: tranches of nodes whose dependencies are satisfied, each
    /// sorted by ID (stably).
    fn topo_sort(
        &self,
        nodes: Vec<NodeId>,
        mut deps: HashMap<NodeId, Vec<NodeId>>,
    ) -> Result<Vec<Vec<NodeId>>, PlanError> {
        let mut remaining = nodes;
        let mut out = Vec::new();
        while !remaining.is_empty() {
            let mut selectable: Vec<NodeId> = remaining
                .iter()
                .copied()
                .filter(|n| deps.get(n).is_none_or(|d| d.is_empty()))
                .collect();
            if selectable.is_empty() {
                let names: Vec<&str> = remaining
                    .iter()
                    .map(|&n| self.nodes[n].id.as_str())
                    .collect();
                return Err(PlanError(format!(
                    "dependency cycle in the pipeline graph among: {}",
                    names.join(", ")
                )));
            }
            selectable.sort_by(|&a, &b| self.nodes[a].id.cmp(&self.nodes[b].id));
            remaining.retain(|n| !selectable.contains(n));
            for ds in deps.values_mut() {
                ds.retain(|d| !selectable.contains(d));
            }
            out.push(selectable);
        }
        Ok(out)
    }

    /// The group's children in dependency tranches.
    fn sorted_children(&self, group: NodeId) -> Result<Vec<Vec<NodeId>>, PlanError> {
        let children = self.nodes[group].children.clone();
        let project = |mut n: NodeId| -> Vec<NodeId> {
            while !children.contains(&n) {
                match self.nodes[n].parent {
                    Some(p) => n = p,
                    None => return Vec::new(),
                }
            }
            vec![n]
        };
        let (_, deps) = self.projected(group, &project);
        self.topo_sort(children.clone(), deps)
    }

    /// The group's leaves in dependency tranches (dependencies outside the group dropped).
    fn sorted_leaves(&self, group: NodeId) -> Result<Vec<Vec<NodeId>>, PlanError> {
        let inside: Vec<NodeId> = self.descendants(group);
        let project = |n: NodeId| -> Vec<NodeId> {
            if inside.contains(&n) {
                self.leaves_of(n)
            } else {
                Vec::new()
            }
        };
        let (order, deps) = self.projected(group, &project);
        self.topo_sort(order, deps)
    }

    /// aws-cdk-lib's `Graph.renderDot`: every node in insertion order, groups as BEGIN/END
    /// pairs, arrows from a dependency to what it unlocks.
    fn render_dot(&self, file_name: &str) -> Result<String, PlanError> {
        let mut lines = vec![
            "digraph G {".to_string(),
            "  # Arrows represent an \"unlocks\" relationship (opposite of dependency). So chosen"
                .to_string(),
            "  # because the layout looks more natural that way.".to_string(),
            "  # To represent subgraph dependencies, subgraphs are represented by BEGIN/END nodes."
                .to_string(),
            format!("  # To render: `dot -Tsvg {file_name} > graph.svg`, open in a browser."),
            "  node [shape=\"box\"];".to_string(),
        ];
        for &child in &self.nodes[0].children {
            self.render_node(child, &mut lines)?;
        }
        lines.push("}".to_string());
        Ok(lines.join("\n"))
    }

    fn dot_id(&self, n: NodeId) -> String {
        self.root_path(n)
            .into_iter()
            .skip(1)
            .map(|x| self.nodes[x].id.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }

    fn render_node(&self, n: NodeId, lines: &mut Vec<String>) -> Result<(), PlanError> {
        let begin = |x: NodeId| format!("\"BEGIN {}\"", self.dot_id(x));
        let end = |x: NodeId| format!("\"END {}\"", self.dot_id(x));
        let label = |x: NodeId| format!("\"{}\"", self.dot_id(x));
        let group = self.is_group(n);
        let source = if group {
            lines.push(format!(
                "{} [shape=\"cds\", style=\"filled\", fillcolor=\"#b7deff\"];",
                begin(n)
            ));
            lines.push(format!(
                "{} [shape=\"cds\", style=\"filled\", fillcolor=\"#b7deff\"];",
                end(n)
            ));
            begin(n)
        } else {
            lines.push(format!("{};", label(n)));
            label(n)
        };
        for &dep in &self.nodes[n].deps {
            let dst = if self.is_group(dep) {
                end(dep)
            } else {
                label(dep)
            };
            lines.push(format!("{dst} -> {source};"));
        }
        if group && !self.nodes[n].children.is_empty() {
            for &child in &self.nodes[n].children {
                self.render_node(child, lines)?;
            }
            let sorted = self.sorted_children(n)?;
            if let Some(first) = sorted.first() {
                for &f in first {
                    let src = if self.is_group(f) { begin(f) } else { label(f) };
                    lines.push(format!("{} -> {src};", begin(n)));
                }
            }
            if let Some(last) = sorted.last() {
                for &l in last {
                    let dst = if self.is_group(l) { end(l) } else { label(l) };
                    lines.push(format!("{dst} -> {};", end(n)));
                }
            }
        }
        Ok(())
    }

    fn root_path(&self, n: NodeId) -> Vec<NodeId> {
        let mut path = vec![n];
        let mut x = n;
        while let Some(p) = self.nodes[x].parent {
            path.insert(0, p);
            x = p;
        }
        path
    }

    /// aws-cdk-lib's `GraphNodeCollection.commonAncestor`.
    fn common_ancestor(&self, nodes: &[NodeId]) -> Result<NodeId, PlanError> {
        let mut paths: Vec<Vec<NodeId>> = nodes.iter().map(|&n| self.root_path(n)).collect();
        match paths.as_slice() {
            [] => return Err(PlanError("no nodes to find a common ancestor of".into())),
            [one] => {
                return one
                    .len()
                    .checked_sub(2)
                    .map(|i| one[i])
                    .ok_or_else(|| PlanError("a node without ancestor".into()))
            }
            _ => {}
        }
        while paths
            .iter()
            .all(|p| paths[0].len() >= 2 && p.len() >= 2 && p[1] == paths[0][1])
        {
            for p in paths.iter_mut() {
                p.remove(0);
            }
        }
        if paths.iter().any(|p| p.len() < 2) {
            return Err(PlanError(
                "could not determine a shared parent of the stage's actions".into(),
            ));
        }
        Ok(paths[0][0])
    }

    /// aws-cdk-lib's `actionName`: the path below `parent`, sanitized, at most 100 characters.
    fn action_name(&self, node: NodeId, parent: NodeId) -> String {
        let mut names = Vec::new();
        let mut x = node;
        loop {
            let n = &self.nodes[x];
            names.insert(0, sanitize(n.display_name.as_deref().unwrap_or(&n.id)));
            match n.parent {
                Some(p) if p != parent => x = p,
                _ => break,
            }
        }
        let joined = names.join(".");
        if joined.len() <= 100 {
            return joined;
        }
        let dots = names.len() - 1;
        let max = 15.max((100 - dots) / names.len());
        let trimmed: Vec<String> = names.iter().map(|n| limit_length(n, max)).collect();
        limit_length(&trimmed.join("."), 98)
    }
}

fn sanitize(name: &str) -> String {
    let mut out = String::new();
    let mut in_run = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_') {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out
}

/// aws-cdk-lib's `limitIdentifierLength`: the middle replaced by 8 hex digits of the SHA-256 of
/// the JSON string (e.g. a stack's variables namespace, its artifact ID within 100 characters).
pub fn limit_identifier_length(s: &str, n: usize) -> String {
    limit_length(s, n)
}

fn limit_length(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let json = serde_json::to_string(s).unwrap_or_default();
    let hash: String = Sha256::digest(json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mid = (n - 8) / 2;
    format!("{}{}{}", &s[..mid], &hash[..8], &s[s.len() - mid..])
}

/// A stack of the blueprint: (wave, stage, stack) indexes.
type StackKey = (usize, usize, usize);

/// aws-cdk-lib's `PipelineGraph` construction.
struct Builder<'b> {
    bp: &'b Blueprint,
    g: Graph,
    added: HashMap<StepId, NodeId>,
    /// Per step: (producer node, consumer nodes) — the `nodeDependencies` builders.
    step_deps: Vec<(Option<NodeId>, Vec<NodeId>)>,
    asset_nodes: HashMap<String, NodeId>,
    asset_nodes_by_type: HashMap<AssetType, NodeId>,
    file_ctr: u32,
    docker_ctr: u32,
    last_preparation: Option<NodeId>,
    /// Per stack (wave, stage, stack): (its deploy node, the consumers of its outputs) — the
    /// `stackOutputDependencies` builders.
    stack_output_deps: HashMap<StackKey, (Option<NodeId>, Vec<NodeId>)>,
}

impl<'b> Builder<'b> {
    fn top_level(&mut self, name: &str) -> NodeId {
        match self.g.child(0, name) {
            Some(n) => n,
            None => self
                .g
                .add(0, name, None, Kind::Group)
                .expect("a new top-level group"),
        }
    }

    fn add_step(
        &mut self,
        step: StepId,
        parent: NodeId,
        work: PlannedWork,
    ) -> Result<NodeId, PlanError> {
        if let Some(&n) = self.added.get(&step) {
            return Ok(n);
        }
        let s =
            self.bp.steps.get(step).ok_or_else(|| {
                PlanError(format!("step #{step} is not in the blueprint's steps"))
            })?;
        let parent = if s.is_source {
            self.top_level("Source")
        } else {
            parent
        };
        let node = self.g.add(parent, &s.id, None, Kind::Leaf(work))?;
        self.added.insert(step, node);
        for &dep in &s.depends_on {
            if let Some(producer) = self.step_deps.get(dep).and_then(|(p, _)| *p) {
                self.g.depend_on(node, producer);
            }
            if let Some(entry) = self.step_deps.get_mut(dep) {
                entry.1.push(node);
            }
        }
        for &key in &s.consumed_stack_outputs {
            let entry = self.stack_output_deps.entry(key).or_default();
            match entry.0 {
                Some(deploy) => self.g.depend_on(node, deploy),
                None => entry.1.push(node),
            }
        }
        let consumers = self.step_deps[step].1.clone();
        self.step_deps[step].0 = Some(node);
        for c in consumers {
            self.g.depend_on(c, node);
        }
        Ok(node)
    }

    /// `addPrePost`: the parent's current nodes wait for the pre steps, the post steps for
    /// them. Returns the pre nodes.
    fn add_pre_post(
        &mut self,
        pre: &[StepId],
        post: &[StepId],
        parent: NodeId,
    ) -> Result<Vec<NodeId>, PlanError> {
        let current = self.g.nodes[parent].children.clone();
        let mut pre_nodes = Vec::new();
        for &p in pre {
            let n = self.add_step(p, parent, PlannedWork::Step(p))?;
            for &c in &current {
                self.g.depend_on(c, n);
            }
            pre_nodes.push(n);
        }
        for &p in post {
            let n = self.add_step(p, parent, PlannedWork::Step(p))?;
            for &c in &current {
                self.g.depend_on(n, c);
            }
        }
        Ok(pre_nodes)
    }

    fn publish_asset(&mut self, asset: &StackAsset) -> Result<NodeId, PlanError> {
        let assets = self.top_level("Assets");
        let single = !self.bp.publish_assets_in_parallel;
        let node = match self.asset_nodes.get(&asset.asset_id) {
            Some(&n) => n,
            None => match self.asset_nodes_by_type.get(&asset.asset_type) {
                Some(&n) if single => n,
                _ => {
                    let (id, display) = match (asset.asset_type, single) {
                        (AssetType::File, true) => ("FileAsset".to_string(), Some("FileAssets")),
                        (AssetType::DockerImage, true) => {
                            ("DockerAsset".to_string(), Some("DockerAssets"))
                        }
                        (AssetType::File, false) => {
                            self.file_ctr += 1;
                            (format!("FileAsset{}", self.file_ctr), None)
                        }
                        (AssetType::DockerImage, false) => {
                            self.docker_ctr += 1;
                            (format!("DockerAsset{}", self.docker_ctr), None)
                        }
                    };
                    let display = display
                        .map(str::to_string)
                        .or_else(|| asset.display_name.clone());
                    let n = self.g.add(
                        assets,
                        &id,
                        display,
                        Kind::Leaf(PlannedWork::PublishAssets(Vec::new())),
                    )?;
                    if let Some(last) = self.last_preparation {
                        self.g.depend_on(n, last);
                    }
                    self.asset_nodes_by_type.insert(asset.asset_type, n);
                    n
                }
            },
        };
        self.asset_nodes.insert(asset.asset_id.clone(), node);
        if let Kind::Leaf(PlannedWork::PublishAssets(list)) = &mut self.g.nodes[node].kind {
            if !list
                .iter()
                .any(|a| a.asset_selector == asset.asset_selector)
            {
                list.push(asset.clone());
            }
        }
        Ok(node)
    }

    fn add_stage(&mut self, wave: usize, index: usize) -> Result<NodeId, PlanError> {
        let stage = &self.bp.waves[wave].stages[index];
        // Detached until the wave places it: built under a temporary holder.
        let holder = self
            .g
            .add(0, &format!("\u{0}stage-{wave}-{index}"), None, Kind::Group)?;
        let ret = self.g.add(holder, &stage.stage_name, None, Kind::Group)?;
        let mut stack_graphs = Vec::new();
        for (s, stack) in stage.stacks.iter().enumerate() {
            let simple = stack
                .stack_name
                .strip_prefix(&format!("{}-", stage.stage_name))
                .unwrap_or(&stack.stack_name)
                .to_string();
            let parts: Vec<String> = std::iter::once(simple)
                .chain(stack.account.clone())
                .chain(stack.region.clone())
                .collect();
            let name = (1..=parts.len())
                .map(|i| parts[..i].join("."))
                .find(|c| self.g.child(ret, c).is_none())
                .unwrap_or_else(|| parts.join("."));
            let stack_graph = self.g.add(ret, &name, None, Kind::Group)?;
            let prepare = if self.bp.use_change_sets {
                Some(self.g.add(
                    stack_graph,
                    "Prepare",
                    None,
                    Kind::Leaf(PlannedWork::Prepare {
                        wave,
                        stage: index,
                        stack: s,
                    }),
                )?)
            } else {
                None
            };
            let deploy = self.g.add(
                stack_graph,
                "Deploy",
                None,
                Kind::Leaf(PlannedWork::Deploy {
                    wave,
                    stage: index,
                    stack: s,
                    without_change_set: prepare.is_none(),
                }),
            )?;
            let entry = self.stack_output_deps.entry((wave, index, s)).or_default();
            entry.0 = Some(deploy);
            for c in std::mem::take(&mut entry.1) {
                self.g.depend_on(c, deploy);
            }
            // aws-cdk-lib adds Deploy before Prepare; keep its child order.
            if let Some(p) = prepare {
                let children = &mut self.g.nodes[stack_graph].children;
                children.retain(|&c| c != p);
                children.push(p);
            }
            let mut first: Vec<NodeId> = match prepare {
                Some(p) => {
                    self.g.depend_on(deploy, p);
                    vec![p]
                }
                None => vec![deploy],
            };
            if !stack.change_set.is_empty() {
                let Some(p) = prepare else {
                    return Err(PlanError(format!(
                        "cannot use change-set steps for stack {}: the pipeline does not use change sets",
                        stack.stack_name
                    )));
                };
                for &c in &stack.change_set {
                    let n = self.add_step(c, stack_graph, PlannedWork::Step(c))?;
                    self.g.depend_on(n, p);
                    self.g.depend_on(deploy, n);
                }
            }
            let pre_nodes = self.add_pre_post(&stack.pre, &stack.post, stack_graph)?;
            if !pre_nodes.is_empty() {
                first = pre_nodes;
            }
            stack_graphs.push(stack_graph);
            let synth = self.added.get(&self.bp.synth).copied();
            for &f in &first {
                if let Some(synth) = synth {
                    self.g.depend_on(f, synth);
                }
            }
            for asset in &stack.assets {
                let a = self.publish_asset(asset)?;
                for &f in &first {
                    self.g.depend_on(f, a);
                }
            }
        }
        for (s, stack) in stage.stacks.iter().enumerate() {
            for &d in &stack.depends_on {
                let dep = *stack_graphs.get(d).ok_or_else(|| {
                    PlanError(format!(
                        "stack {} depends on stack #{d}, which is not in stage {}",
                        stack.stack_name, stage.stage_name
                    ))
                })?;
                self.g.depend_on(stack_graphs[s], dep);
            }
        }
        self.add_pre_post(&stage.pre, &stage.post, ret)?;
        Ok(ret)
    }

    /// Moves `node` from its holder to `parent` (the holder is removed).
    fn place(&mut self, node: NodeId, parent: NodeId) -> Result<(), PlanError> {
        let holder = self.g.nodes[node].parent.expect("held");
        let id = self.g.nodes[node].id.clone();
        if self.g.child(parent, &id).is_some() {
            return Err(PlanError(format!("node with duplicate id: {id}")));
        }
        self.g.nodes[0].children.retain(|&c| c != holder);
        self.g.nodes[holder].children.clear();
        self.g.nodes[node].parent = Some(parent);
        self.g.nodes[parent].children.push(node);
        Ok(())
    }

    fn add_wave(&mut self, wave: usize) -> Result<NodeId, PlanError> {
        let w = &self.bp.waves[wave];
        let stages: Vec<NodeId> = (0..w.stages.len())
            .map(|i| self.add_stage(wave, i))
            .collect::<Result<_, _>>()?;
        let ret = if stages.len() == 1 {
            stages[0]
        } else {
            let holder = self
                .g
                .add(0, &format!("\u{0}wave-{wave}"), None, Kind::Group)?;
            let group = self.g.add(holder, &w.id, None, Kind::Group)?;
            for s in stages {
                self.place(s, group)?;
            }
            group
        };
        self.add_pre_post(&w.pre, &w.post, ret)?;
        if let Some(last) = self.last_preparation {
            self.g.depend_on(ret, last);
        }
        self.place(ret, 0)?;
        Ok(ret)
    }

    /// `addMissingDependencyNodes`: steps consumed but never added go beside their first
    /// consumer.
    fn add_missing(&mut self) -> Result<(), PlanError> {
        for _ in 0..20 {
            let missing: Vec<(StepId, Vec<NodeId>)> = self
                .step_deps
                .iter()
                .enumerate()
                .filter(|(_, (p, c))| p.is_none() && !c.is_empty())
                .map(|(s, (_, c))| (s, c.clone()))
                .collect();
            if missing.is_empty() {
                return Ok(());
            }
            let order: Vec<NodeId> = self.g.sorted_leaves(0)?.into_iter().flatten().collect();
            for (step, consumers) in missing {
                let first = order
                    .iter()
                    .copied()
                    .find(|n| consumers.contains(n))
                    .unwrap_or(consumers[0]);
                let parent = self.g.nodes[first].parent.unwrap_or(0);
                self.add_step(step, parent, PlannedWork::Step(step))?;
            }
        }
        Err(PlanError(
            "recursion depth too large while adding the steps other steps depend on".into(),
        ))
    }
}

/// Plans the pipeline's stages and actions from `blueprint`, as aws-cdk-lib's `CodePipeline`
/// lays them out.
pub fn plan(blueprint: &Blueprint) -> Result<Vec<PlannedStage>, PlanError> {
    plan_inner(blueprint, "input.dot").map(|(stages, _)| stages)
}

/// [`plan`], with the graph in Graphviz `dot` syntax as aws-cdk-lib's `Graph.renderDot`
/// writes it into the assembly (`<pipeline unique ID>.dot`, named `dot_file_name` in its
/// rendering hint).
pub fn plan_with_dot(
    blueprint: &Blueprint,
    dot_file_name: &str,
) -> Result<(Vec<PlannedStage>, String), PlanError> {
    plan_inner(blueprint, dot_file_name)
}

fn plan_inner(
    blueprint: &Blueprint,
    dot_file_name: &str,
) -> Result<(Vec<PlannedStage>, String), PlanError> {
    let mut b = Builder {
        bp: blueprint,
        g: Graph::new(),
        added: HashMap::new(),
        step_deps: vec![(None, Vec::new()); blueprint.steps.len()],
        asset_nodes: HashMap::new(),
        asset_nodes_by_type: HashMap::new(),
        file_ctr: 0,
        docker_ctr: 0,
        last_preparation: None,
        stack_output_deps: HashMap::new(),
    };
    let build = b.top_level("Build");
    let synth = b.add_step(blueprint.synth, build, PlannedWork::Synth(blueprint.synth))?;
    b.last_preparation = Some(synth);
    if blueprint.self_mutation {
        let update = b.top_level("UpdatePipeline");
        let node = b.g.add(
            update,
            "SelfMutate",
            None,
            Kind::Leaf(PlannedWork::SelfMutate),
        )?;
        b.g.depend_on(node, synth);
        b.last_preparation = Some(node);
    }
    let mut waves = Vec::new();
    for w in 0..blueprint.waves.len() {
        waves.push(b.add_wave(w)?);
    }
    for pair in waves.windows(2) {
        b.g.depend_on(pair[1], pair[0]);
    }
    b.add_missing()?;
    let g = &b.g;
    let mut stages = Vec::new();
    for top in g.sorted_children(0)?.into_iter().flatten() {
        if !g.is_group(top) {
            return Err(PlanError(format!(
                "top-level children must be groups, got {}",
                g.nodes[top].id
            )));
        }
        let chunks = chunk_tranches(50, g.sorted_leaves(top)?);
        let overflow = chunks.len() > 1;
        for (i, tranches) in chunks.into_iter().enumerate() {
            let name = if overflow {
                format!("{}.{}", g.nodes[top].id, i + 1)
            } else {
                g.nodes[top].id.clone()
            };
            let all: Vec<NodeId> = tranches.iter().flatten().copied().collect();
            let shared = g.common_ancestor(&all)?;
            let mut used: Vec<String> = Vec::new();
            let mut actions = Vec::new();
            for (run_order, tranche) in (1u32..).zip(&tranches) {
                for &node in tranche {
                    let base = g.action_name(node, shared);
                    let name = (1..)
                        .map(|c| {
                            if c > 1 {
                                format!("{base}{c}")
                            } else {
                                base.clone()
                            }
                        })
                        .find(|c| !used.contains(c))
                        .expect("an unused name");
                    used.push(name.clone());
                    let Kind::Leaf(work) = &g.nodes[node].kind else {
                        unreachable!("leaves only")
                    };
                    actions.push(PlannedAction {
                        name,
                        run_order,
                        node_id: g.nodes[node].id.clone(),
                        work: work.clone(),
                    });
                }
            }
            stages.push(PlannedStage { name, actions });
        }
    }
    let dot = g.render_dot(dot_file_name)?;
    Ok((stages, dot))
}

/// aws-cdk-lib's `chunkTranches`: at most `n` actions per pipeline stage, splitting a tranche
/// across stages when it does not fit.
fn chunk_tranches(n: usize, mut xss: Vec<Vec<NodeId>>) -> Vec<Vec<Vec<NodeId>>> {
    let mut out = Vec::new();
    xss.reverse();
    while !xss.is_empty() {
        let mut tranches = Vec::new();
        let mut count = 0;
        while let Some(mut xs) = xss.pop() {
            let space = n - count;
            if xs.len() <= space {
                count += xs.len();
                tranches.push(xs);
            } else {
                let rest = xs.split_off(space);
                tranches.push(xs);
                xss.push(rest);
                break;
            }
        }
        out.push(tranches);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitized_and_limited_as_aws_cdk_lib() {
        assert_eq!(sanitize("Lambda/Code"), "Lambda_Code");
        assert_eq!(sanitize("a b//c"), "a_b_c");
        let long = "x".repeat(120);
        let limited = limit_length(&long, 98);
        assert_eq!(limited.len(), 98);
        assert!(limited.starts_with(&"x".repeat(45)) && limited.ends_with(&"x".repeat(45)));
    }

    #[test]
    fn tranches_overflow_into_numbered_stages() {
        let chunks = chunk_tranches(3, vec![vec![1, 2], vec![3, 4, 5], vec![6]]);
        assert_eq!(
            chunks,
            vec![vec![vec![1, 2], vec![3]], vec![vec![4, 5], vec![6]]]
        );
    }
}
