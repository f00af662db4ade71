//! Safety of the real `rcdk` binary, case by case (issue 17): it never deletes or changes what
//! it did not create, never takes a stale assembly for this run's output, fails fast with the
//! endpoint and cause named when AWS is not there, and refuses at synth what CloudFormation
//! would refuse. Every case asserts the exit code, the message, and that the project folder's
//! bytes are unchanged (`rcdk_tests::snapshot_tree` before and after).
//!
//! Cases that need a Rust app run this test binary itself as the app: the ignored test `app`
//! builds the scenario named by `RCDK_SAFETY_APP` (see [`apps`]).

mod apps;
mod assembly;
mod deploy_failures;
mod messages;
#[path = "../common/moto.rs"]
mod moto;
mod network;
mod outdir;
mod synth_errors;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rcdk_tests::snapshot_tree;

/// Run as `--app` by the cases (never on its own: it does nothing without `RCDK_SAFETY_APP`).
#[test]
#[ignore = "the app the other cases run (RCDK_SAFETY_APP=scenario)"]
fn app() {
    if let Ok(scenario) = std::env::var("RCDK_SAFETY_APP") {
        apps::run(&scenario);
    }
}

/// The `--app` command that runs scenario `name` of [`apps`].
pub fn app_command(name: &str) -> String {
    let exe = std::env::current_exe().expect("test binary path");
    format!(
        "RCDK_SAFETY_APP={name} '{}' app --exact --ignored --quiet --nocapture --test-threads=1",
        exe.display()
    )
}

/// What a run of rcdk did.
pub struct Run {
    /// Exit code (-1 when killed).
    pub code: i32,
    /// Standard output.
    pub out: String,
    /// Standard error.
    pub err: String,
}

impl Run {
    /// Asserts a non-zero exit and that stderr contains every one of `needles`.
    pub fn fails_with(&self, needles: &[&str]) -> &Self {
        assert_ne!(
            self.code, 0,
            "expected a failure:\n{}\n{}",
            self.out, self.err
        );
        for needle in needles {
            assert!(
                self.err.contains(needle),
                "stderr lacks `{needle}`:\n{}",
                self.err
            );
        }
        self
    }

    /// Asserts a zero exit.
    pub fn succeeds(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success:\n{}\n{}",
            self.out, self.err
        );
        self
    }
}

/// The rcdk binary in `cwd` with a clean environment: no AWS settings of the developer, no
/// instance metadata (nothing leaves the machine), an empty HOME.
pub fn rcdk_cmd(cwd: &Path, home: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("rcdk").expect("rcdk binary");
    cmd.current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("NO_COLOR", "1")
        // A hang guard only (the cases finish in seconds): nothing may wait this long.
        .timeout(Duration::from_secs(60));
    cmd
}

/// Runs rcdk with `args` in `cwd` (environment from [`rcdk_cmd`] plus `env`).
pub fn rcdk_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = tempfile::tempdir().expect("home");
    let mut cmd = rcdk_cmd(cwd, home.path());
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd.output().expect("rcdk runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    eprintln!(
        "$ rcdk {}\n[exit {}]\n{}{}",
        args.join(" "),
        run.code,
        run.out,
        run.err
    );
    run
}

/// Runs rcdk with `args` in `cwd`.
pub fn rcdk(cwd: &Path, args: &[&str]) -> Run {
    rcdk_env(cwd, args, &[])
}

/// A fixture of `cdk-cli/tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies the directory `from` to `to` (created).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A project folder: `src/main.rs`, a `precious.txt`, and a previous assembly `cdk.out` (the
/// multi-stack fixture).
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(dir.path().join("precious.txt"), "hi\n").unwrap();
    copy_dir(&fixture("multi-stack"), &dir.path().join("cdk.out"));
    dir
}

/// Runs `f` and asserts that nothing below `dir` changed: no entry added or removed, no byte
/// or modification time changed. Only `dir`'s own modification time may change (rcdk's
/// temporary directory lives beside the output directory and is gone again).
pub fn unchanged<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    let snapshot = || {
        let mut s = snapshot_tree(dir);
        s.remove("");
        s
    };
    let before = snapshot();
    let result = f();
    let after = snapshot();
    if before != after {
        let changed: Vec<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        panic!("{} changed: {changed:?}", dir.display());
    }
    result
}
