//! Test support shared by rcdk's crates: where `shared/` is, reading JSON, and validating a
//! cloud assembly with `shared/checks/validate-assembly` (schemas, structure, cfn-lint).
//!
//! Workspace-level tests live in `tests/tests/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `../shared` next to the repository (where CI puts it).
pub fn shared_dir() -> PathBuf {
    repo_root().join("../shared")
}

/// Reads and parses a JSON file, panicking with the path on failure.
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// True when `validate-assembly` and its tools are available.
fn checker_available(cfn_lint: bool) -> bool {
    shared_dir().join("checks/validate-assembly").exists()
        && Command::new("python3")
            .args(["-c", "import jsonschema"])
            .status()
            .is_ok_and(|s| s.success())
        && (!cfn_lint || Command::new("cfn-lint").arg("--version").output().is_ok())
}

/// Runs `shared/checks/validate-assembly DIR [--cfn-lint]` and panics with its output unless it
/// passes. Missing tools fail on CI (`CI` set) and print a skip notice elsewhere.
pub fn validate_assembly(dir: &Path, cfn_lint: bool) {
    if !checker_available(cfn_lint) {
        assert!(
            std::env::var_os("CI").is_none(),
            "validate-assembly needs python3 + jsonschema (+ cfn-lint); .ci/run installs them"
        );
        eprintln!(
            "skipping validate-assembly for {}: tools not installed",
            dir.display()
        );
        return;
    }
    let mut cmd = Command::new(shared_dir().join("checks/validate-assembly"));
    cmd.arg(dir);
    if cfn_lint {
        cmd.arg("--cfn-lint");
    }
    let out = cmd.output().expect("run validate-assembly");
    assert!(
        out.status.success(),
        "validate-assembly {} failed:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file below `dir` (staged asset folders included), keyed by its path relative to
/// `dir` with `/` separators, for comparing whole assemblies byte for byte.
pub fn read_assembly_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries =
            std::fs::read_dir(&current).unwrap_or_else(|e| panic!("{}: {e}", current.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = relative_key(dir, &path);
                let bytes =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                out.insert(relative, bytes);
            }
        }
    }
    out
}

/// `path` relative to `dir`, with `/` separators (`""` for `dir` itself).
fn relative_key(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .expect("below dir")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A snapshot of everything below `dir` (itself included): per relative path (`""` for `dir`)
/// its kind, and for files the length and SHA-256 of the bytes, for links the target, plus the
/// modification time of every entry. Two equal snapshots mean nothing was created, removed,
/// rewritten or touched; `dir` not existing gives an empty snapshot.
pub fn snapshot_tree(dir: &Path) -> std::collections::BTreeMap<String, String> {
    use sha2::{Digest, Sha256};
    let mut out = std::collections::BTreeMap::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return out;
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let meta =
            std::fs::symlink_metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let relative = relative_key(dir, &path);
        let entry = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap_or_default();
            format!("link -> {} @{mtime}", target.display())
        } else if meta.is_dir() {
            for child in
                std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            {
                pending.push(child.expect("directory entry").path());
            }
            format!("dir @{mtime}")
        } else {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            format!(
                "file {} {} @{mtime}",
                bytes.len(),
                hex_digest(&Sha256::digest(&bytes))
            )
        };
        out.insert(relative, entry);
    }
    out
}

fn hex_digest(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How many cases each property test runs: `PROPTEST_CASES` when set (e.g. `PROPTEST_CASES=5000`
/// for a long run on demand), else `default` (kept small so CI stays fast).
pub fn property_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `tests/fixtures/stages/assembly`: the cloud assembly aws-cdk-lib 2.276.0 synthesizes from
/// `tests/fixtures/stages/reference-app` (stages in a stack and in the app, a nested stage,
/// cross-stack references within a stage, an asset; `regenerate.sh` rewrites it).
pub fn stages_fixture() -> PathBuf {
    repo_root().join("tests/fixtures/stages/assembly")
}
