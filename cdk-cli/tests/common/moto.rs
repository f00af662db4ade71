//! A moto server for the end-to-end tests: `../shared/tools/moto-server` extended on the test
//! side by `tests/support/moto_ext.py` (CloudFormation models of `AWS::Lambda::Alias` and a
//! referable `AWS::Lambda::Version`, which the flagship's canary release needs); started on a
//! free loopback port, killed on drop; [`point_at`] configures this process (and so every `rcdk`
//! child) for it.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The region the tests use.
pub const REGION: &str = "us-east-1";
/// moto's default account.
pub const ACCOUNT: &str = "123456789012";

/// A moto server on a free loopback port, killed on drop.
pub struct Moto {
    child: Child,
    /// The port it listens on.
    pub port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The base server script: `RCDK_MOTO_SERVER`, else `../shared/tools/moto-server`.
pub fn moto_server_script() -> PathBuf {
    std::env::var_os("RCDK_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/moto-server")
        })
}

/// The tests' extension of the base server (loads it by path, adds the Lambda alias model).
pub fn moto_extension_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/moto_ext.py")
}

/// Starts moto, or returns why it cannot be started.
pub fn start_moto() -> Result<Moto, String> {
    start_moto_with(&[])
}

/// Starts moto with extra environment variables (e.g. `MOTO_CFN_FAIL_LOGICAL_IDS`), or returns
/// why it cannot be started.
pub fn start_moto_with(env: &[(&str, &str)]) -> Result<Moto, String> {
    let script = moto_server_script();
    if !script.is_file() {
        return Err(format!("{} does not exist", script.display()));
    }
    let probe = Command::new("python3")
        .args(["-c", "import moto.server, flask"])
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !probe.status.success() {
        return Err(format!(
            "moto[server] is not installed (pip install 'moto[server]==5.2.1'): {}",
            String::from_utf8_lossy(&probe.stderr).trim()
        ));
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let child = Command::new("python3")
        .arg(moto_extension_script())
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("MOTO_SERVER_BASE", &script)
        .env_remove("MOTO_ACCOUNT_ID") // would override the account of assumed-role credentials
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", script.display()))?;
    let mut moto = Moto { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(moto);
        }
        if let Ok(Some(status)) = moto.child.try_wait() {
            return Err(format!("moto-server exited early ({status})"));
        }
        if Instant::now() > deadline {
            return Err("moto-server did not listen within 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Configures this process (and so every `rcdk` child) for the endpoint: dummy credentials,
/// no instance metadata, the endpoint on `localhost` (moto accepts S3 template URLs only then).
pub fn point_at(moto: &Moto, home: &Path) {
    let vars = [
        (
            "AWS_ENDPOINT_URL",
            format!("http://localhost:{}", moto.port),
        ),
        ("AWS_ACCESS_KEY_ID", "testing".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
        ("AWS_REGION", REGION.to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
        ("AWS_CONFIG_FILE", home.join("config").display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("credentials").display().to_string(),
        ),
        ("HOME", home.display().to_string()),
    ];
    for (k, v) in vars {
        std::env::set_var(k, v);
    }
    for k in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
        "NO_COLOR",
    ] {
        std::env::remove_var(k);
    }
}

/// Starts moto; `None` (after a skip notice) when it cannot be started and `CI` is not set.
pub fn moto_or_skip(what: &str) -> Option<Moto> {
    moto_or_skip_with(what, &[])
}

/// [`moto_or_skip`] with extra environment variables for the server.
pub fn moto_or_skip_with(what: &str, env: &[(&str, &str)]) -> Option<Moto> {
    match start_moto_with(env) {
        Ok(m) => Some(m),
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but moto cannot be started: {why}")
        }
        Err(why) => {
            eprintln!("SKIPPED: {what} ({why})");
            None
        }
    }
}

impl Moto {
    /// The variables that point one `rcdk` run at this server (dummy credentials, the endpoint
    /// on `localhost`), for tests that set a child's environment instead of their own.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "AWS_ENDPOINT_URL",
                format!("http://localhost:{}", self.port),
            ),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_REGION", REGION.into()),
        ]
    }
}

/// A second account for cross-account tests (the first one is [`ACCOUNT`], moto's default).
pub const SECOND_ACCOUNT: &str = "222222222222";

/// A temporary home for a cross-account test, pointed at `moto` ([`point_at`]): the default
/// credentials act in [`ACCOUNT`], and the AWS profile `profile` acts in `account` by assuming
/// its `Admin` role (the standard chain's assume-role profiles). Returns the home directory,
/// inside `work`.
pub fn cross_account_home(moto: &Moto, work: &Path, profile: &str, account: &str) -> PathBuf {
    let home = work.join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("config"),
        format!(
            "[profile base]\nregion = {REGION}\n\n[profile {profile}]\nregion = {REGION}\nrole_arn = arn:aws:iam::{account}:role/Admin\nsource_profile = base\n"
        ),
    )
    .unwrap();
    std::fs::write(
        home.join("credentials"),
        "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
    )
    .unwrap();
    point_at(moto, &home);
    home
}

/// The READMEs' cross-account bootstrap, through the `rcdk` binary in `cwd`: [`ACCOUNT`], and
/// `account` (through `profile`, see [`cross_account_home`]) trusting it, with
/// `AdministratorAccess` as CloudFormation execution policy.
pub fn bootstrap_cross_account(cwd: &Path, profile: &str, account: &str) {
    ok(rcdk(
        cwd,
        &["bootstrap", &format!("aws://{ACCOUNT}/{REGION}")],
    ));
    ok(rcdk(
        cwd,
        &[
            "bootstrap",
            "--profile",
            profile,
            &format!("aws://{account}/{REGION}"),
            "--trust",
            ACCOUNT,
            "--cloudformation-execution-policies",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ],
    ));
}

/// How long one `rcdk` command of an end-to-end test may run.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);

/// Exit code and output of one run of the `rcdk` binary.
pub struct Run {
    pub code: i32,
    pub out: String,
    pub err: String,
}

/// Runs the `rcdk` binary in `cwd` with this process's environment (see [`point_at`]), logging
/// the command and its output.
pub fn rcdk(cwd: &Path, args: &[&str]) -> Run {
    let output = assert_cmd::Command::cargo_bin("rcdk")
        .expect("rcdk binary")
        .current_dir(cwd)
        .args(args)
        .timeout(COMMAND_TIMEOUT)
        .output()
        .expect("rcdk runs");
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

/// `run`, asserting that it exited 0.
#[track_caller]
pub fn ok(run: Run) -> Run {
    assert_eq!(run.code, 0, "rcdk failed:\n{}\n{}", run.out, run.err);
    run
}
