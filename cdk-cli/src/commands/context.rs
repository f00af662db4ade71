//! `rcdk context`: lists the context values of the project (cached lookups in cdk.context.json,
//! `context` of cdk.json, `-c`), and resets cached ones so they are looked up again on the next
//! synthesis — as `cdk context` does.

use std::io::Write;

use serde_json::{Map, Value};

use crate::app_exec::Session;
use crate::assembly::glob;
use crate::cli::{ContextArgs, GlobalOpts};
use crate::context::{Settings, CDK_CONTEXT_JSON, CDK_JSON};
use crate::diff::table::{write_table, Row};
use crate::error::{CliError, Result};
use crate::lookups::{read_context_file, write_context_file};

/// The `context` command.
pub struct Context<'a> {
    /// Its arguments.
    pub args: &'a ContextArgs,
}

/// The project's context keys, sorted, numbered from 1 (the numbers `--reset` accepts).
pub fn numbered_keys(context: &Map<String, Value>) -> Vec<(usize, String)> {
    let mut keys: Vec<String> = context.keys().cloned().collect();
    keys.sort();
    keys.into_iter()
        .enumerate()
        .map(|(i, k)| (i + 1, k))
        .collect()
}

impl Context<'_> {
    /// Lists (table, or JSON with `--json`), resets one key / number / glob, or clears the
    /// cached values. Only values in cdk.context.json can be reset.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let file = session.cwd.join(CDK_CONTEXT_JSON);
        let mut cached = read_context_file(&file)?;
        let settings = Settings::load(&session.cwd, global)?;
        let all = settings.user_context();
        if self.args.clear {
            cached.clear();
            write_context_file(&file, &cached)?;
            writeln!(err, "All context values cleared.")?;
            return Ok(0);
        }
        if let Some(wanted) = &self.args.reset {
            let key = match wanted.parse::<usize>() {
                Ok(n) if n.to_string() == *wanted => numbered_keys(&all)
                    .into_iter()
                    .find(|(i, _)| *i == n)
                    .map(|(_, k)| k)
                    .ok_or_else(|| CliError::InvalidArg {
                        what: "--reset".into(),
                        value: wanted.clone(),
                        problem: "no context key has this number (see `rcdk context`)".into(),
                    })?,
                _ => wanted.clone(),
            };
            let matches: Vec<String> = if all.contains_key(&key) {
                vec![key.clone()]
            } else {
                all.keys()
                    .filter(|k| glob::matches(&key, k))
                    .cloned()
                    .collect()
            };
            if matches.is_empty() {
                if self.args.force {
                    return Ok(0);
                }
                return Err(CliError::InvalidArg {
                    what: "--reset".into(),
                    value: wanted.clone(),
                    problem: "no context value matches this key".into(),
                });
            }
            let (resettable, readonly): (Vec<String>, Vec<String>) =
                matches.into_iter().partition(|k| cached.contains_key(k));
            for k in &resettable {
                cached.remove(k);
            }
            if !resettable.is_empty() {
                write_context_file(&file, &cached)?;
                for k in &resettable {
                    writeln!(
                        err,
                        "Context value {k} reset. It will be refreshed on next synthesis"
                    )?;
                }
            }
            if !readonly.is_empty() {
                writeln!(
                    err,
                    "warning: only context values stored in {CDK_CONTEXT_JSON} can be reset; these come from {CDK_JSON} or -c: {}",
                    readonly.join(", ")
                )?;
                if resettable.is_empty() && !self.args.force {
                    return Err(CliError::InvalidArg {
                        what: "--reset".into(),
                        value: wanted.clone(),
                        problem: format!(
                            "cannot reset a value that is not stored in {CDK_CONTEXT_JSON}"
                        ),
                    });
                }
            }
            return Ok(0);
        }
        if global.json {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&Value::Object(all)).unwrap_or_default()
            )?;
            return Ok(0);
        }
        if all.is_empty() {
            writeln!(
                out,
                "This CDK application does not have any saved context values yet.\n\n\
                 Context will automatically be saved when you synthesize CDK apps\n\
                 that use environment context information like AZ information, VPCs,\n\
                 SSM parameters, and so on."
            )?;
            return Ok(0);
        }
        writeln!(out, "Context found in {CDK_JSON}, {CDK_CONTEXT_JSON}:\n")?;
        let rows: Vec<Row> = numbered_keys(&all)
            .into_iter()
            .map(|(i, k)| {
                let value = serde_json::to_string_pretty(&all[&k])
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                Row {
                    cells: vec![i.to_string(), k, value],
                    style: anstyle::Style::new(),
                }
            })
            .collect();
        write_table(out, &["#", "Key", "Value"], &rows)?;
        writeln!(
            out,
            "Run `rcdk context --reset KEY_OR_NUMBER` to remove a context key. It will be refreshed on the next synthesis run."
        )?;
        Ok(0)
    }
}
