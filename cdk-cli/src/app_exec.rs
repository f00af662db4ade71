//! Running the user's app as a child process (`sh -c APP`) to produce a cloud assembly.
//!
//! rcdk never links the app: the app receives `CDK_OUTDIR`, `CDK_CONTEXT_JSON` and, when known,
//! `CDK_DEFAULT_REGION` / `CDK_DEFAULT_ACCOUNT`, and writes the assembly to `CDK_OUTDIR`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::context::{absolute, Settings};
use crate::error::{CliError, Result};

/// Where the process runs and what environment it sees (a snapshot, so tests can supply their own).
#[derive(Debug, Clone)]
pub struct Session {
    /// The working directory: where cdk.json is looked up and the app runs.
    pub cwd: PathBuf,
    /// Environment variables consulted by rcdk itself (the app inherits the real process
    /// environment plus the CDK_* variables).
    pub vars: BTreeMap<String, String>,
}

impl Session {
    /// The current process's directory and environment.
    pub fn from_process() -> std::io::Result<Self> {
        Ok(Session {
            cwd: std::env::current_dir()?,
            vars: std::env::vars().collect(),
        })
    }

    /// A session in `cwd` with an empty environment snapshot.
    pub fn in_dir(cwd: impl Into<PathBuf>) -> Self {
        Session {
            cwd: cwd.into(),
            vars: BTreeMap::new(),
        }
    }

    fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The default region handed to the app: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the
    /// `region` of the profile (`--profile`, else `AWS_PROFILE`, else `default`) in the AWS config
    /// file (`AWS_CONFIG_FILE`, else `~/.aws/config`). No AWS call is made.
    pub fn default_region(&self, profile: Option<&str>) -> Option<String> {
        if let Some(r) = self
            .var("AWS_REGION")
            .or_else(|| self.var("AWS_DEFAULT_REGION"))
        {
            return Some(r.to_string());
        }
        let profile = profile
            .or_else(|| self.var("AWS_PROFILE"))
            .unwrap_or("default");
        let config = match self.var("AWS_CONFIG_FILE") {
            Some(p) => PathBuf::from(p),
            None => PathBuf::from(self.var("HOME")?).join(".aws").join("config"),
        };
        let text = std::fs::read_to_string(config).ok()?;
        profile_region(&text, profile)
    }

    /// The default account handed to the app: only when already known without calling AWS
    /// (`CDK_DEFAULT_ACCOUNT` in the environment).
    pub fn default_account(&self) -> Option<String> {
        self.var("CDK_DEFAULT_ACCOUNT").map(str::to_string)
    }
}

/// Reads `region` of `profile` from the text of an AWS config file (`[default]` or
/// `[profile NAME]` sections).
pub fn profile_region(config: &str, profile: &str) -> Option<String> {
    let wanted = if profile == "default" {
        vec!["default".to_string(), "profile default".to_string()]
    } else {
        vec![format!("profile {profile}")]
    };
    let mut in_section = false;
    for line in config.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            in_section = wanted.contains(&name);
        } else if in_section {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == "region" && !v.trim().is_empty() {
                    return Some(v.trim().to_string());
                }
            }
        }
    }
    None
}

/// What `--app` (or cdk.json's `app`) designates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppSource {
    /// An existing cloud assembly directory: read as is, nothing is run.
    Assembly(PathBuf),
    /// A shell command that writes the assembly to `$CDK_OUTDIR`.
    Command(String),
}

impl AppSource {
    /// Classifies `app`: an existing directory (relative to `cwd`) is an assembly, anything
    /// else a command.
    pub fn classify(cwd: &Path, app: &str) -> Self {
        let dir = absolute(cwd, Path::new(app));
        if !app.trim().is_empty() && dir.is_dir() {
            AppSource::Assembly(dir)
        } else {
            AppSource::Command(app.to_string())
        }
    }
}

/// Produces the cloud assembly for `settings`: runs the app command (or takes the given assembly
/// directory) and returns the assembly directory. The app's stdout and stderr are forwarded to
/// `err` on success; on failure its stderr is part of the error.
pub fn produce_assembly(
    session: &Session,
    settings: &Settings,
    verbose: u8,
    err: &mut dyn Write,
) -> Result<PathBuf> {
    let app = settings.app.as_deref().ok_or(CliError::NoApp)?;
    let command = match AppSource::classify(&session.cwd, app) {
        AppSource::Assembly(dir) => {
            if verbose > 0 {
                writeln!(err, "Reading the cloud assembly in {}", dir.display())?;
            }
            return Ok(dir);
        }
        AppSource::Command(c) => c,
    };

    let outdir = &settings.output;
    std::fs::create_dir_all(outdir).map_err(|source| CliError::OutputDir {
        path: outdir.clone(),
        source,
    })?;
    let context_json = serde_json::Value::Object(settings.context.clone()).to_string();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(&command)
        .current_dir(&session.cwd)
        .env("CDK_OUTDIR", outdir)
        .env("CDK_CONTEXT_JSON", &context_json)
        .env(
            "CDK_CLI_ASM_VERSION",
            crate::assembly::SUPPORTED_VERSION_STRING,
        );
    let region = session.default_region(settings.profile.as_deref());
    if let Some(region) = &region {
        cmd.env("CDK_DEFAULT_REGION", region);
    }
    if let Some(account) = session.default_account() {
        cmd.env("CDK_DEFAULT_ACCOUNT", account);
    }
    if let Some(profile) = &settings.profile {
        cmd.env("AWS_PROFILE", profile);
    }
    if verbose > 0 {
        writeln!(err, "Running the app: sh -c {command:?}")?;
        writeln!(err, "  CDK_OUTDIR={}", outdir.display())?;
        writeln!(err, "  CDK_CONTEXT_JSON={context_json}")?;
        if let Some(region) = &region {
            writeln!(err, "  CDK_DEFAULT_REGION={region}")?;
        }
    }
    let output = cmd.output().map_err(|source| CliError::AppSpawn {
        command: command.clone(),
        source,
    })?;
    if !output.status.success() {
        err.write_all(&output.stdout)?;
        return Err(CliError::AppFailed {
            command,
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    err.write_all(&output.stdout)?;
    err.write_all(&output.stderr)?;
    Ok(outdir.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_region_reads_named_and_default_sections() {
        let cfg = "[default]\nregion = eu-west-1\n\n[profile dev]\noutput=json\nregion=us-east-2\n";
        assert_eq!(profile_region(cfg, "default").as_deref(), Some("eu-west-1"));
        assert_eq!(profile_region(cfg, "dev").as_deref(), Some("us-east-2"));
        assert_eq!(profile_region(cfg, "prod"), None);
    }

    #[test]
    fn region_env_wins_over_config() {
        let mut s = Session::in_dir("/");
        s.vars
            .insert("AWS_DEFAULT_REGION".into(), "ap-south-1".into());
        assert_eq!(s.default_region(None).as_deref(), Some("ap-south-1"));
        s.vars.insert("AWS_REGION".into(), "eu-north-1".into());
        assert_eq!(s.default_region(None).as_deref(), Some("eu-north-1"));
    }

    #[test]
    fn existing_directory_is_an_assembly() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        assert_eq!(
            AppSource::classify(dir.path(), "out"),
            AppSource::Assembly(dir.path().join("out"))
        );
        assert_eq!(
            AppSource::classify(dir.path(), "echo hi"),
            AppSource::Command("echo hi".into())
        );
    }
}
