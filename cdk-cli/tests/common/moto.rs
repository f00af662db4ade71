//! A local AWS endpoint for deploy tests: `../shared/tools/moto-server` (moto 5.2.1 with the
//! project's CloudFormation fixes: per-resource events, rollbacks, failures on demand) on a free
//! loopback port, killed on drop. Without moto installed the caller skips, unless `CI` is set.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The account moto acts in.
pub const ACCOUNT: &str = "123456789012";
/// The region of the tests.
pub const REGION: &str = "us-east-1";

/// A running moto server.
pub struct Moto {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn script() -> PathBuf {
    std::env::var_os("RCDK_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/moto-server")
        })
}

/// Starts moto with `env` (e.g. `MOTO_CFN_FAIL_LOGICAL_IDS`), or says why it cannot.
pub fn start(env: &[(&str, &str)]) -> Result<Moto, String> {
    let script = script();
    if !script.is_file() {
        return Err(format!("{} does not exist", script.display()));
    }
    let probe = Command::new("python3")
        .args(["-c", "import moto.server, flask"])
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !probe.status.success() {
        return Err("moto[server] is not installed (pip install -r requirements-dev.txt)".into());
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let mut cmd = Command::new("python3");
    cmd.arg(&script)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env_remove("MOTO_ACCOUNT_ID")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
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

/// Starts moto, or returns `None` after a skip notice (a failure when `CI` is set).
pub fn start_or_skip(what: &str, env: &[(&str, &str)]) -> Option<Moto> {
    match start(env) {
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
    /// The environment that points rcdk at this server (dummy credentials, `localhost`, which
    /// moto needs for S3 template URLs).
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
