//! `rcdk ls [-l]`: lists stacks in dependency order. Reads the manifest only (no templates).

use std::io::Write;

use serde::Serialize;

use crate::app_exec::Session;
use crate::assembly::{DefaultSelection, Stack};
use crate::cli::{GlobalOpts, LsArgs};
use crate::error::Result;
use crate::yaml::to_yaml;

/// The `ls` command.
pub struct Ls<'a> {
    /// Its arguments.
    pub args: &'a LsArgs,
}

/// One stack as `ls -l` describes it.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StackListing {
    /// The artifact ID.
    pub id: String,
    /// The CloudFormation stack name.
    pub name: String,
    /// The display name (hierarchical path).
    pub display_name: String,
    /// The target environment.
    pub environment: EnvironmentListing,
    /// Artifact IDs of the stacks it depends on.
    pub dependencies: Vec<String>,
}

/// The environment part of a [`StackListing`].
#[derive(Debug, Serialize, PartialEq)]
pub struct EnvironmentListing {
    /// The account, or `unknown-account`.
    pub account: String,
    /// The region, or `unknown-region`.
    pub region: String,
    /// `aws://ACCOUNT/REGION`.
    pub name: String,
}

impl From<&Stack> for StackListing {
    fn from(s: &Stack) -> Self {
        StackListing {
            id: s.id.clone(),
            name: s.stack_name.clone(),
            display_name: s.display_name.clone(),
            environment: EnvironmentListing {
                account: s.environment.account.clone(),
                region: s.environment.region.clone(),
                name: s.environment.name.clone(),
            },
            dependencies: s.dependencies.clone(),
        }
    }
}

impl Ls<'_> {
    /// Writes the selected stacks as the cdk CLI names them, one per line (a JSON array with
    /// `--json`): the hierarchical ID, with the stack name in parentheses when it is not the
    /// artifact ID (`PipelineStack/Dev/Application (dev-Application)`). Stacks of stages
    /// (nested assemblies) are included;
    /// with `-l` a YAML (or JSON) list of [`StackListing`]s.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let assembly = super::load_assembly(global, session, err)?;
        let stacks = assembly.select(&self.args.selection, DefaultSelection::AllStacks)?;
        let data = if self.args.long {
            let listings: Vec<StackListing> =
                stacks.iter().map(|s| StackListing::from(*s)).collect();
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
