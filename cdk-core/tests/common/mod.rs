//! Helpers shared by the integration tests.
#![allow(dead_code)]

use cdk_core::{App, CloudAssembly};
#[allow(unused_imports)]
pub use rcdk_tests::{read_assembly_files, read_json, shared_dir, validate_assembly};

/// Synthesizes `app` into a fresh temporary directory.
pub fn synth(app: &App) -> (tempfile::TempDir, CloudAssembly) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cdk.out");
    let assembly = app
        .synth_to(&out)
        .unwrap_or_else(|e| panic!("synth failed: {e}"));
    (dir, assembly)
}
