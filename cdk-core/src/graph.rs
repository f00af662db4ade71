//! The stack dependency graph: deterministic deployment order and cycle reports.

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeSet, HashMap};

use crate::error::{Error, Result};

/// Stacks (by name) and "depends on" edges with the reason each edge exists.
#[derive(Debug, Default)]
pub struct StackGraph {
    graph: DiGraph<String, Vec<String>>,
    index: HashMap<String, NodeIndex>,
}

impl StackGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a stack; stacks keep the order they were added in as the tie-breaker.
    pub fn add_stack(&mut self, name: &str) {
        if !self.index.contains_key(name) {
            let idx = self.graph.add_node(name.to_string());
            self.index.insert(name.to_string(), idx);
        }
    }

    /// Records that `from` depends on `to` because of `reason`.
    pub fn add_dependency(&mut self, from: &str, to: &str, reason: &str) {
        self.add_stack(from);
        self.add_stack(to);
        let (a, b) = (self.index[from], self.index[to]);
        match self.graph.find_edge(a, b) {
            Some(edge) => {
                let reasons = &mut self.graph[edge];
                if !reasons.iter().any(|r| r == reason) {
                    reasons.push(reason.to_string());
                }
            }
            None => {
                self.graph.add_edge(a, b, vec![reason.to_string()]);
            }
        }
    }

    /// The stacks `name` depends on directly, in the order they were added.
    pub fn dependencies_of(&self, name: &str) -> Vec<String> {
        let Some(&idx) = self.index.get(name) else {
            return Vec::new();
        };
        let mut deps: Vec<NodeIndex> = self.graph.neighbors(idx).collect();
        deps.sort();
        deps.into_iter().map(|d| self.graph[d].clone()).collect()
    }

    /// Every stack after all of its dependencies; among ready stacks, the earliest added first.
    /// A cycle is an error naming the whole cycle and why each edge exists.
    pub fn topological_order(&self) -> Result<Vec<String>> {
        if let Some(cycle) = self.find_cycle() {
            return Err(Error::DependencyCycle { cycle });
        }
        let mut remaining: HashMap<NodeIndex, usize> = self
            .graph
            .node_indices()
            .map(|n| (n, self.graph.neighbors(n).count()))
            .collect();
        let mut ready: BTreeSet<NodeIndex> = remaining
            .iter()
            .filter(|(_, &count)| count == 0)
            .map(|(&n, _)| n)
            .collect();
        let mut order = Vec::with_capacity(self.graph.node_count());
        while let Some(next) = ready.pop_first() {
            order.push(self.graph[next].clone());
            for dependent in self
                .graph
                .neighbors_directed(next, petgraph::Direction::Incoming)
            {
                if let Some(count) = remaining.get_mut(&dependent) {
                    *count -= 1;
                    if *count == 0 {
                        ready.insert(dependent);
                    }
                }
            }
        }
        Ok(order)
    }

    fn find_cycle(&self) -> Option<String> {
        self.cycles().into_iter().next()
    }

    /// One cycle per group of stacks that depend on each other (strongly connected component),
    /// each rendered as `A -> B (reason) -> A (reason)`; empty when the graph is acyclic.
    pub fn cycles(&self) -> Vec<String> {
        let mut sccs = tarjan_scc(&self.graph);
        sccs.sort_by_key(|scc| scc.iter().min().copied());
        sccs.into_iter()
            .filter_map(|scc| self.cycle_in(&scc))
            .collect()
    }

    /// A cycle inside one strongly connected component, if it has one.
    fn cycle_in(&self, scc: &[NodeIndex]) -> Option<String> {
        let self_loop = scc.len() == 1 && self.graph.find_edge(scc[0], scc[0]).is_some();
        if scc.len() < 2 && !self_loop {
            return None;
        }
        let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
        let start = *members.first()?;
        // Walk inside the component until we come back to a visited node.
        let mut path = vec![start];
        let mut cur = start;
        loop {
            let mut next: Vec<NodeIndex> = self
                .graph
                .neighbors(cur)
                .filter(|n| members.contains(n))
                .collect();
            next.sort();
            let n = *next.first()?;
            if let Some(pos) = path.iter().position(|&p| p == n) {
                let cycle = &path[pos..];
                let mut text = self.graph[cycle[0]].clone();
                for (i, &from) in cycle.iter().enumerate() {
                    let to = cycle.get(i + 1).copied().unwrap_or(n);
                    let edge = self.graph.find_edge(from, to)?;
                    text.push_str(&format!(
                        " -> {} ({})",
                        self.graph[to],
                        self.graph[edge].join("; ")
                    ));
                }
                return Some(text);
            }
            path.push(n);
            cur = n;
        }
    }
}
