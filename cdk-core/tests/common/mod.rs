//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use cdk_core::{App, CloudAssembly};
use serde_json::Value as J;

/// `../shared` next to the repository (where CI puts it).
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// Synthesizes `app` into a fresh temporary directory.
pub fn synth(app: &App) -> (tempfile::TempDir, CloudAssembly) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cdk.out");
    let assembly = app.synth_to(&out).unwrap_or_else(|e| panic!("synth failed: {e}"));
    (dir, assembly)
}

/// Reads a JSON file.
pub fn read_json(path: &Path) -> J {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `shared/checks/validate-assembly DIR [--cfn-lint]` and asserts it passes.
/// When the checker's tools are missing: a failure on CI, a printed skip elsewhere.
pub fn validate_assembly(dir: &Path, cfn_lint: bool) {
    let checker = shared_dir().join("checks/validate-assembly");
    let tools_ok = checker.exists()
        && Command::new("python3")
            .args(["-c", "import jsonschema"])
            .status()
            .is_ok_and(|s| s.success())
        && (!cfn_lint || Command::new("cfn-lint").arg("--version").output().is_ok());
    if !tools_ok {
        assert!(
            std::env::var("CI").is_err(),
            "validate-assembly needs python3 + jsonschema (+ cfn-lint); .ci/run installs them"
        );
        eprintln!("skipping validate-assembly: tools not installed");
        return;
    }
    let mut cmd = Command::new(&checker);
    cmd.arg(dir);
    if cfn_lint {
        cmd.arg("--cfn-lint");
    }
    let out = cmd.output().expect("run validate-assembly");
    assert!(
        out.status.success(),
        "validate-assembly failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
