//! `rcdk ls [-l] [-d]`: lists stacks in dependency order, as `cdk ls` (with `--long` and
//! `--show-dependencies` in its format). Reads the manifest only (no templates).

use std::io::Write;

use serde::Serialize;

use crate::app_exec::Session;
use crate::assembly::{Assembly, DefaultSelection, Stack};
use crate::cli::{GlobalOpts, LsArgs};
use crate::error::Result;
use crate::yaml::to_yaml;

/// The `ls` command.
pub struct Ls<'a> {
    /// Its arguments.
    pub args: &'a LsArgs,
}

/// The environment of a stack as `ls --long` shows it.
#[derive(Debug, Serialize, PartialEq)]
pub struct EnvironmentListing {
    /// The account, or `unknown-account`.
    pub account: String,
    /// The region, or `unknown-region`.
    pub region: String,
    /// `aws://ACCOUNT/REGION`.
    pub name: String,
}

/// A stack a listed stack depends on, with the stacks it depends on in turn (as `cdk ls
/// --show-dependencies` nests them).
#[derive(Debug, Serialize, PartialEq)]
pub struct DependencyListing {
    /// The name the cdk CLI lists it by ([`Stack::listed_name`]).
    pub id: String,
    /// Its own dependencies.
    pub dependencies: Vec<DependencyListing>,
}

/// One stack as `ls --long` / `--show-dependencies` describe it (the cdk CLI's fields: `id` is
/// the display name, `name` the CloudFormation stack name).
#[derive(Debug, Serialize, PartialEq)]
pub struct StackListing {
    /// The name the cdk CLI lists it by: the hierarchical ID, with the stack name in
    /// parentheses when it is not the artifact ID (`PipelineStack/Dev/Application
    /// (dev-Application)`; [`Stack::listed_name`]).
    pub id: String,
    /// The CloudFormation stack name (with `--long`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The target environment (with `--long`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<EnvironmentListing>,
    /// The stacks it depends on (with `--show-dependencies`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<DependencyListing>>,
}

fn dependencies_of(assembly: &Assembly, stack: &Stack, depth: usize) -> Vec<DependencyListing> {
    if depth > assembly.stacks.len() {
        return Vec::new(); // a cycle; selection reports it
    }
    stack
        .dependencies
        .iter()
        .filter_map(|d| assembly.stack(d))
        .map(|d| DependencyListing {
            id: d.listed_name(),
            dependencies: dependencies_of(assembly, d, depth + 1),
        })
        .collect()
}

impl Ls<'_> {
    /// Writes the selected stacks as the cdk CLI names them, one per line (a JSON array with
    /// `--json`): the hierarchical ID, with the stack name in parentheses when it is not the
    /// artifact ID (`PipelineStack/Dev/Application (dev-Application)`). Without patterns
    /// every stack is listed, those of stages (nested assemblies) included; with `-l` / `-d` a
    /// YAML (or JSON) list of [`StackListing`]s.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let assembly = super::load_assembly(global, session, err)?;
        let stacks = assembly.select(&self.args.selection, DefaultSelection::AllStacks)?;
        let (long, deps) = (self.args.long, self.args.show_dependencies);
        let data = if long || deps {
            let listings: Vec<StackListing> = stacks
                .iter()
                .map(|s| StackListing {
                    id: s.listed_name(),
                    name: long.then(|| s.stack_name.clone()),
                    environment: long.then(|| EnvironmentListing {
                        account: s.environment.account.clone(),
                        region: s.environment.region.clone(),
                        name: s.environment.name.clone(),
                    }),
                    dependencies: deps.then(|| dependencies_of(&assembly, s, 0)),
                })
                .collect();
            serde_json::to_value(listings)
        } else if global.json {
            serde_json::to_value(stacks.iter().map(|s| s.listed_name()).collect::<Vec<_>>())
        } else {
            for s in &stacks {
                writeln!(out, "{}", s.listed_name())?;
            }
            return Ok(0);
        };
        // Serializing plain strings and vectors cannot fail.
        let data = data.unwrap_or_default();
        if global.json {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&data).unwrap_or_default()
            )?;
        } else {
            out.write_all(to_yaml(&data)?.as_bytes())?;
        }
        Ok(0)
    }
}
