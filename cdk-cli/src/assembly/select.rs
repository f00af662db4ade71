//! Stack selection (paths, globs, exclusions, `--all`, upstream dependencies) and dependency
//! ordering, across the nested assemblies of stages, as the cdk CLI selects stacks.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};

use super::{glob, Assembly, Stack};
use crate::cli::StackSelectionArgs;
use crate::error::{CliError, Result};

/// What an empty selection (no patterns) and `--all` mean for a command, as in the cdk CLI.
/// "Top-level" stacks are those of the root assembly, outside every stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultSelection {
    /// Every stack, those of stages included, with or without `--all` (`ls`).
    AllStacks,
    /// The top-level stacks, without their dependencies; `--all`: every stack (`synth`,
    /// `diff`).
    TopLevel,
    /// The only top-level stack, an error if there are several or none; `--all`: every
    /// top-level stack (`deploy`, `destroy`). Stacks of stages are selected by pattern
    /// (`'PipelineStack/Prod/*'`).
    OnlySingle,
}

impl Assembly {
    /// Every stack in dependency order: a stable topological sort (among stacks whose
    /// dependencies are satisfied, the one earliest in the manifest comes first). A cycle is an
    /// error naming it.
    pub fn stacks_in_order(&self) -> Result<Vec<&Stack>> {
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..self.stacks.len()).map(|i| graph.add_node(i)).collect();
        let index: HashMap<&str, usize> = self
            .stacks
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        for (i, s) in self.stacks.iter().enumerate() {
            for d in &s.dependencies {
                if let Some(&j) = index.get(d.as_str()) {
                    graph.update_edge(nodes[j], nodes[i], ());
                }
            }
        }

        let mut indegree: Vec<usize> = nodes
            .iter()
            .map(|&n| {
                graph
                    .neighbors_directed(n, petgraph::Direction::Incoming)
                    .count()
            })
            .collect();
        let mut ready: BinaryHeap<Reverse<usize>> = indegree
            .iter()
            .enumerate()
            .filter(|(_, &d)| d == 0)
            .map(|(i, _)| Reverse(i))
            .collect();
        let mut order = Vec::with_capacity(self.stacks.len());
        while let Some(Reverse(i)) = ready.pop() {
            order.push(&self.stacks[i]);
            for next in graph.neighbors_directed(nodes[i], petgraph::Direction::Outgoing) {
                let j = graph[next];
                indegree[j] -= 1;
                if indegree[j] == 0 {
                    ready.push(Reverse(j));
                }
            }
        }
        if order.len() < self.stacks.len() {
            return Err(CliError::DependencyCycle {
                cycle: self.find_cycle(&graph, &nodes, &indegree),
            });
        }
        Ok(order)
    }

    /// Walks "depends on" edges among the stacks left by the topological sort until a stack
    /// repeats; every such stack has an unsatisfied dependency, so the walk always closes a cycle.
    fn find_cycle(
        &self,
        graph: &DiGraph<usize, ()>,
        nodes: &[NodeIndex],
        indegree: &[usize],
    ) -> Vec<String> {
        let Some(start) = indegree.iter().position(|&d| d > 0) else {
            return Vec::new();
        };
        let mut path = vec![start];
        let mut current = start;
        loop {
            let next = graph
                .neighbors_directed(nodes[current], petgraph::Direction::Incoming)
                .map(|n| graph[n])
                .find(|&j| indegree[j] > 0);
            let Some(next) = next else { break };
            if let Some(pos) = path.iter().position(|&p| p == next) {
                let mut cycle: Vec<String> = path[pos..]
                    .iter()
                    .map(|&i| self.stacks[i].display_name.clone())
                    .collect();
                cycle.push(self.stacks[next].display_name.clone());
                return cycle;
            }
            path.push(next);
            current = next;
        }
        path.iter()
            .map(|&i| self.stacks[i].display_name.clone())
            .collect()
    }

    /// Selects stacks per `args`, in dependency order, as the cdk CLI does:
    ///
    /// - patterns match a stack's hierarchical ID (display name, `PipelineStack/Dev/Application`)
    ///   as globs (see [`glob`]); a pattern without glob characters may also name the artifact
    ///   ID. Each pattern must match at least one stack. A
    ///   pattern starting with `!` excludes what it matches (alone, from every stack);
    /// - without patterns, and with `--all`, what `default` says;
    /// - upstream dependencies (stacks the selected ones depend on, in any assembly) are added
    ///   unless `--exclusively`, and never to the pattern-less selection of
    ///   [`DefaultSelection::TopLevel`].
    pub fn select(
        &self,
        args: &StackSelectionArgs,
        default: DefaultSelection,
    ) -> Result<Vec<&Stack>> {
        if self.stacks.is_empty() {
            return Err(CliError::NoStacks {
                dir: self.dir.clone(),
            });
        }
        if args.all && !args.stacks.is_empty() {
            return Err(CliError::AllWithPatterns);
        }
        let order = self.stacks_in_order()?;
        let mut chosen = vec![false; self.stacks.len()];
        let position = |id: &str| self.stacks.iter().position(|s| s.id == id);
        let top_level: Vec<usize> = (0..self.stacks.len())
            .filter(|&i| self.stacks[i].is_top_level())
            .collect();
        let mut expand = !args.exclusively;

        if args.all {
            match default {
                DefaultSelection::AllStacks | DefaultSelection::TopLevel => {
                    chosen.iter_mut().for_each(|c| *c = true)
                }
                DefaultSelection::OnlySingle if top_level.is_empty() => {
                    return Err(CliError::NoTopLevelStacks {
                        stacks: self.display_names(),
                        stage_patterns: self.stage_patterns(),
                    })
                }
                DefaultSelection::OnlySingle => top_level.iter().for_each(|&i| chosen[i] = true),
            }
        } else if args.stacks.is_empty() {
            match default {
                DefaultSelection::AllStacks => chosen.iter_mut().for_each(|c| *c = true),
                DefaultSelection::TopLevel => {
                    // The cdk CLI's historic default of synth and diff: exactly the top-level
                    // stacks (none for an app of stages only).
                    top_level.iter().for_each(|&i| chosen[i] = true);
                    expand = false;
                }
                DefaultSelection::OnlySingle if top_level.len() == 1 => chosen[top_level[0]] = true,
                DefaultSelection::OnlySingle => {
                    return Err(CliError::SelectionNeeded {
                        stacks: self.display_names(),
                        stage_patterns: self.stage_patterns(),
                    })
                }
            }
        } else {
            let (negative, positive): (Vec<&String>, Vec<&String>) = args
                .stacks
                .iter()
                .partition(|p| p.len() > 1 && p.starts_with('!'));
            if positive.is_empty() {
                chosen.iter_mut().for_each(|c| *c = true);
            }
            let mut unmatched = Vec::new();
            for pattern in positive {
                let mut any = false;
                for (i, s) in self.stacks.iter().enumerate() {
                    if pattern_matches(pattern, s) {
                        chosen[i] = true;
                        any = true;
                    }
                }
                if !any {
                    unmatched.push(pattern.clone());
                }
            }
            if !unmatched.is_empty() {
                return Err(CliError::NoMatch {
                    patterns: unmatched,
                    available: order.iter().map(|s| s.display_name.clone()).collect(),
                });
            }
            for pattern in negative {
                for (i, s) in self.stacks.iter().enumerate() {
                    if pattern_matches(&pattern[1..], s) {
                        chosen[i] = false;
                    }
                }
            }
        }

        if expand {
            let mut stack: Vec<usize> = (0..chosen.len()).filter(|&i| chosen[i]).collect();
            while let Some(i) = stack.pop() {
                for d in &self.stacks[i].dependencies {
                    if let Some(j) = position(d) {
                        if !chosen[j] {
                            chosen[j] = true;
                            stack.push(j);
                        }
                    }
                }
            }
        }
        Ok(order
            .into_iter()
            .filter(|s| position(&s.id).is_some_and(|i| chosen[i]))
            .collect())
    }

    /// Patterns that select the stacks of each stage, in the spirit of the cdk CLI's hint
    /// (which suggests `<first segment>/*`, a pattern that misses stacks nested deeper):
    /// `<stage path>/*`, or `<stage path>/**` when a stack sits below a construct of the stage.
    fn stage_patterns(&self) -> Vec<String> {
        let mut patterns: Vec<(String, bool)> = Vec::new();
        for s in &self.stacks {
            let Some(stage) = &s.nested_in else { continue };
            let deep = s
                .display_name
                .strip_prefix(stage.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_none_or(|rest| rest.contains('/'));
            match patterns.iter_mut().find(|(p, _)| p == stage) {
                Some((_, d)) => *d |= deep,
                None => patterns.push((stage.clone(), deep)),
            }
        }
        patterns
            .into_iter()
            .map(|(stage, deep)| format!("{stage}/{}", if deep { "**" } else { "*" }))
            .collect()
    }
}

/// Globs match the hierarchical ID only, as the cdk CLI's (so `*` selects the top-level
/// stacks); a literal pattern also matches the artifact ID (an rcdk extension).
fn pattern_matches(pattern: &str, stack: &Stack) -> bool {
    if glob::is_glob(pattern) {
        glob::matches(pattern, &stack.display_name)
    } else {
        pattern == stack.display_name || pattern == stack.id
    }
}
