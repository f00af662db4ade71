//! Running the user's app as a child process (`sh -c APP`) to produce a cloud assembly.
//!
//! rcdk never links the app: the app receives `CDK_OUTDIR`, `CDK_CONTEXT_JSON` and, when known,
//! `CDK_DEFAULT_REGION` / `CDK_DEFAULT_ACCOUNT`, and writes the assembly to `CDK_OUTDIR`.
//!
//! `CDK_OUTDIR` is always a fresh, empty directory in a temporary directory beside the output
//! directory: only what *this* run of the app wrote can become the assembly (a stale `cdk.out`
//! is never mistaken for it), and the output directory is replaced, in one rename, only once the
//! app succeeded and only when it is a cloud assembly (or absent, or empty). Every other folder
//! is refused before the app runs and never touched. While the app runs (building it can take
//! minutes) a spinner shows on a terminal; elsewhere a line says so after two seconds.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
    /// Whether stderr is a terminal (then a spinner shows while the app runs).
    pub stderr_is_terminal: bool,
}

impl Session {
    /// The current process's directory and environment.
    pub fn from_process() -> std::io::Result<Self> {
        use std::io::IsTerminal;
        Ok(Session {
            cwd: std::env::current_dir()?,
            vars: std::env::vars().collect(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
        })
    }

    /// A session in `cwd` with an empty environment snapshot.
    pub fn in_dir(cwd: impl Into<PathBuf>) -> Self {
        Session {
            cwd: cwd.into(),
            vars: BTreeMap::new(),
            stderr_is_terminal: false,
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
///
/// The app writes to a fresh `CDK_OUTDIR`; its assembly then replaces `settings.output`. An
/// output directory that is not a cloud assembly (nor absent, nor empty) is refused before
/// the app runs; an app that succeeds without writing an assembly is an error, and the previous
/// assembly stays as it was.
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
    if let Some(reason) = cdk_core::synth::outdir_problem(outdir) {
        return Err(CliError::UnsafeOutput {
            path: outdir.clone(),
            reason,
        });
    }
    let parent = outdir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| session.cwd.clone());
    let name = outdir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| crate::context::DEFAULT_OUTPUT.into());
    let output_dir_error = |path: &Path, source: std::io::Error| CliError::OutputDir {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(&parent).map_err(|e| output_dir_error(&parent, e))?;
    // Removed with everything the app left in it on every path out of this function.
    let fresh = tempfile::Builder::new()
        .prefix(&format!(".{name}.rcdk-"))
        .tempdir_in(&parent)
        .map_err(|e| output_dir_error(&parent, e))?;
    // Created empty, as the cdk CLI does (apps may expect it to exist).
    let app_outdir = fresh.path().join(&name);
    std::fs::create_dir(&app_outdir).map_err(|e| output_dir_error(&app_outdir, e))?;

    let context_json = serde_json::Value::Object(settings.context.clone()).to_string();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(&command)
        .current_dir(&session.cwd)
        .env("CDK_OUTDIR", &app_outdir)
        .env("CDK_CONTEXT_JSON", &context_json)
        .env(
            "CDK_CLI_ASM_VERSION",
            crate::assembly::SUPPORTED_VERSION_STRING,
        )
        .env_remove(cdk_core::PREVIOUS_OUTDIR_ENV);
    if cdk_core::synth::is_cloud_assembly(outdir) {
        cmd.env(cdk_core::PREVIOUS_OUTDIR_ENV, outdir);
    }
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
        writeln!(err, "  CDK_OUTDIR={}", app_outdir.display())?;
        writeln!(err, "  CDK_CONTEXT_JSON={context_json}")?;
        if let Some(region) = &region {
            writeln!(err, "  CDK_DEFAULT_REGION={region}")?;
        }
    }
    let output = run_with_progress(&mut cmd, &command, session.stderr_is_terminal, err)?;
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
    if !app_outdir.join("manifest.json").is_file() {
        return Err(CliError::AppWroteNoAssembly {
            command,
            outdir: outdir.clone(),
        });
    }
    cdk_core::synth::replace_outdir(&app_outdir, outdir).map_err(|e| match e {
        cdk_core::Error::UnsafeOutdir { path, reason } => CliError::UnsafeOutput { path, reason },
        cdk_core::Error::Io { path, source } => CliError::OutputDir { path, source },
        other => CliError::OutputDir {
            path: outdir.clone(),
            source: std::io::Error::other(other.to_string()),
        },
    })?;
    drop(fresh);
    Ok(outdir.clone())
}

/// How long an app may run before a non-terminal gets a line saying that it is running.
pub const PROGRESS_NOTICE_AFTER: Duration = Duration::from_secs(2);

/// What a finished app printed and how it exited.
struct AppOutput {
    status: std::process::ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs `cmd` to completion, capturing its output. On a terminal a spinner with the command and
/// the elapsed time shows meanwhile; elsewhere a line goes to `err` once the app has run for
/// [`PROGRESS_NOTICE_AFTER`], and again every minute.
fn run_with_progress(
    cmd: &mut Command,
    command: &str,
    terminal: bool,
    err: &mut dyn Write,
) -> Result<AppOutput> {
    let spawn_error = |source| CliError::AppSpawn {
        command: command.to_string(),
        source,
    };
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(spawn_error)?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let spinner = terminal.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed:>3} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("Running the app: {command}"));
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let mut next_notice = PROGRESS_NOTICE_AFTER;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(spawn_error)? {
            break status;
        }
        if spinner.is_none() && started.elapsed() >= next_notice {
            if next_notice == PROGRESS_NOTICE_AFTER {
                writeln!(
                    err,
                    "Running the app: {command} (the first run may build it; this can take minutes)"
                )?;
            } else {
                writeln!(
                    err,
                    "Still running the app ({} s): {command}",
                    started.elapsed().as_secs()
                )?;
            }
            err.flush()?;
            next_notice = started.elapsed() + Duration::from_secs(60);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    Ok(AppOutput {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
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
