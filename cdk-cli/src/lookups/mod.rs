//! The context-provider loop, as the cdk CLI runs it: synthesize; when the manifest lists
//! `missing` context values, look each one up in its environment (through the environment's
//! lookup role), store the values in `cdk.context.json` and synthesize again — until nothing is
//! missing, or the same keys stay missing (then the command fails: an assembly that still has
//! `missing` entries holds dummy values and is never deployed).
//!
//! Providers: see [`providers`]. AWS is reached through [`crate::aws::Lookups`].

pub mod providers;

use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value};

use crate::app_exec::{produce_assembly, AppSource, Session};
use crate::assembly::{Assembly, MissingContext};
use crate::aws::{AwsProvider, Lookups};
use crate::cli::GlobalOpts;
use crate::context::{Settings, CDK_CONTEXT_JSON};
use crate::deploy::env::ResolvedEnv;
use crate::error::{CliError, Result};

/// Synthesis rounds at most (the cdk CLI stops when a round makes no progress; this is a hard
/// bound on top of that).
pub const MAX_ROUNDS: usize = 10;

/// Where the AWS provider for lookups comes from: the command's own (tests pass fakes), or one
/// created on first need from `--profile` and the environment.
pub enum LookupAccess<'a> {
    /// A provider the command already has.
    Given(&'a dyn AwsProvider),
    /// Created only when a lookup is needed.
    Lazy(&'a GlobalOpts),
}

/// Runs the app (re-running it after lookups) and loads the assembly; fails when context stays
/// missing. `session` is the process's directory and environment.
pub fn synthesize(
    global: &GlobalOpts,
    session: &Session,
    access: LookupAccess<'_>,
    err: &mut dyn Write,
) -> Result<Assembly> {
    let mut lazy = None;
    let mut previously_missing = None;
    let session = &with_default_account(session, global, &access, &mut lazy)?;
    for _ in 0..MAX_ROUNDS {
        let settings = Settings::load(&session.cwd, global)?;
        let dir = produce_assembly(session, &settings, global.verbose, err)?;
        let assembly = Assembly::load(&dir)?;
        if assembly.missing.is_empty() {
            return Ok(assembly);
        }
        let keys = providers::keys_of(&assembly.missing);
        let is_assembly_dir = matches!(
            settings
                .app
                .as_deref()
                .map(|a| AppSource::classify(&session.cwd, a)),
            Some(AppSource::Assembly(_))
        );
        if is_assembly_dir || previously_missing.as_ref() == Some(&keys) {
            return Err(CliError::UnresolvedContext {
                keys: keys.into_iter().collect(),
                why: if is_assembly_dir {
                    "the app is an existing cloud assembly, so it cannot be synthesized again with the looked-up values".into()
                } else {
                    "the app still asks for them after they were looked up and stored".into()
                },
            });
        }
        previously_missing = Some(keys);
        let provider: &dyn AwsProvider = match &access {
            LookupAccess::Given(p) => *p,
            LookupAccess::Lazy(global) => {
                if lazy.is_none() {
                    lazy = Some(crate::commands::sdk_provider(global)?);
                }
                lazy.as_ref()
                    .map(|p| p as &dyn AwsProvider)
                    .ok_or(CliError::NoApp)?
            }
        };
        writeln!(
            err,
            "Some context information is missing; looking up {} value(s)...",
            assembly.missing.len()
        )?;
        let updates = look_up_all(&assembly.missing, provider, global.verbose, err)?;
        update_context_file(&session.cwd.join(CDK_CONTEXT_JSON), &updates)?;
        writeln!(
            err,
            "Stored {} context value(s) in {CDK_CONTEXT_JSON}; synthesizing again",
            updates.len()
        )?;
    }
    Err(CliError::UnresolvedContext {
        keys: previously_missing
            .map(|k| k.into_iter().collect())
            .unwrap_or_default(),
        why: format!("they were still missing after {MAX_ROUNDS} synthesis rounds"),
    })
}

/// `session` with `CDK_DEFAULT_ACCOUNT` set to the current credentials' account, when the app
/// is a command, the variable is not set already and credentials are configured (see
/// [`crate::aws::default_account`]); unchanged when the account cannot be found.
fn with_default_account(
    session: &Session,
    global: &GlobalOpts,
    access: &LookupAccess<'_>,
    lazy: &mut Option<crate::aws::sdk::SdkProvider>,
) -> Result<Session> {
    let mut session = session.clone();
    if session.default_account().is_some() {
        return Ok(session);
    }
    let settings = Settings::load(&session.cwd, global)?;
    let is_command = matches!(
        settings
            .app
            .as_deref()
            .map(|a| AppSource::classify(&session.cwd, a)),
        Some(AppSource::Command(_))
    );
    if !is_command
        || !crate::aws::default_account::credentials_configured(&session, global.profile.as_deref())
    {
        return Ok(session);
    }
    let identity = match access {
        LookupAccess::Given(p) => p.caller_identity().ok(),
        LookupAccess::Lazy(global) => {
            if lazy.is_none() {
                *lazy = crate::commands::sdk_provider(global).ok();
            }
            lazy.as_ref().and_then(|p| p.caller_identity().ok())
        }
    };
    if let Some(id) = identity.filter(|i| !i.account.is_empty()) {
        session
            .vars
            .insert("CDK_DEFAULT_ACCOUNT".into(), id.account);
    }
    Ok(session)
}

/// Looks every missing entry up; the first failure fails (naming the provider and key).
pub fn look_up_all(
    missing: &[MissingContext],
    provider: &dyn AwsProvider,
    verbose: u8,
    err: &mut dyn Write,
) -> Result<Map<String, Value>> {
    let mut updates = Map::new();
    for entry in missing {
        if updates.contains_key(&entry.key) {
            continue;
        }
        if !providers::SUPPORTED.contains(&entry.provider.as_str()) {
            return Err(CliError::UnsupportedProvider {
                provider: entry.provider.clone(),
                key: entry.key.clone(),
            });
        }
        let clients = lookup_clients(entry, provider, err)?;
        let value =
            providers::provide(&entry.provider, &entry.props, clients.as_ref()).map_err(|e| {
                CliError::Lookup {
                    provider: entry.provider.clone(),
                    key: entry.key.clone(),
                    message: format!("{} ({})", e.message, e.code),
                }
            })?;
        if verbose > 0 {
            writeln!(err, "  {} = {value}", entry.key)?;
        }
        updates.insert(entry.key.clone(), value);
    }
    Ok(updates)
}

/// Clients for the entry's environment: its lookup role, or — when the role cannot be assumed
/// and the current credentials are for the right account — the current credentials (with a
/// warning, as the cdk CLI does).
fn lookup_clients(
    entry: &MissingContext,
    provider: &dyn AwsProvider,
    err: &mut dyn Write,
) -> Result<std::sync::Arc<dyn Lookups>> {
    let prop = |k: &str| entry.props.get(k).and_then(Value::as_str);
    let fail = |message: String| CliError::Lookup {
        provider: entry.provider.clone(),
        key: entry.key.clone(),
        message,
    };
    let (Some(account), Some(region)) = (prop("account"), prop("region")) else {
        return Err(fail(
            "the lookup has no account and region (give the stack an explicit environment)".into(),
        ));
    };
    let env = ResolvedEnv::new(account, region);
    let role = prop("lookupRoleArn").map(|r| env.substitute(r));
    match provider.lookup_clients(region, role.as_deref()) {
        Ok(c) => Ok(c),
        Err(e) if role.is_some() => {
            let current = provider.caller_identity().map_err(|id_err| {
                fail(format!(
                    "cannot assume the lookup role {} ({e}), and the current credentials cannot be identified ({id_err})",
                    role.as_deref().unwrap_or_default()
                ))
            })?;
            if current.account != account {
                return Err(fail(format!(
                    "cannot assume the lookup role {} ({e}); the current credentials are for account {}, not {account}",
                    role.as_deref().unwrap_or_default(),
                    current.account
                )));
            }
            writeln!(
                err,
                "warning: cannot assume the lookup role {} ({e}); the current credentials are for account {account}, looking up with them",
                role.as_deref().unwrap_or_default()
            )?;
            provider
                .lookup_clients(region, None)
                .map_err(|e| fail(format!("cannot create AWS clients for {region}: {e}")))
        }
        Err(e) => Err(fail(format!("cannot create AWS clients for {region}: {e}"))),
    }
}

/// Adds `updates` to the context file (created when absent; other keys are kept in their
/// order). An unreadable or invalid file is an error and is left as it is.
pub fn update_context_file(path: &Path, updates: &Map<String, Value>) -> Result<()> {
    let mut current = read_context_file(path)?;
    for (k, v) in updates {
        current.insert(k.clone(), v.clone());
    }
    write_context_file(path, &current)
}

/// Reads the context file (`{}` when it does not exist).
pub fn read_context_file(path: &Path) -> Result<Map<String, Value>> {
    if !path.exists() {
        return Ok(Map::new());
    }
    match crate::assembly::read_json(path)? {
        Value::Object(m) => Ok(m),
        _ => Err(CliError::Config {
            path: path.to_path_buf(),
            field: "(root)".into(),
            problem: "must be a JSON object".into(),
        }),
    }
}

/// Writes the context file as the cdk CLI does (2-space indented JSON, final newline).
pub fn write_context_file(path: &Path, values: &Map<String, Value>) -> Result<()> {
    let text = serde_json::to_string_pretty(&Value::Object(values.clone())).unwrap_or_default();
    std::fs::write(path, text + "\n").map_err(|source| CliError::WriteFile {
        path: path.to_path_buf(),
        source,
    })
}
