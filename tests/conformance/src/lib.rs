//! # rcdk-conformance
//!
//! aws-cdk's own integration tests (`packages/@aws-cdk-testing/framework-integ/test/<module>/
//! test/integ.*.ts`), ported to rcdk with the same construct IDs and stack names, each next to
//! the official snapshot template(s) it must reproduce. [`run_all`] synthesizes every port the
//! way aws-cdk's integ runner synthesized the snapshot (path metadata, asset metadata and
//! version reporting off, aws-cdk-lib's recommended feature flags) and scores it with the
//! [`compare`] module; the crate's test fails when a test falls below `baseline.json`.
//!
//! `cargo run -p rcdk-conformance -- [FILTER]` prints the score table and every difference.

pub mod compare;
pub mod fixtures;
pub mod harness;
pub mod ports;
pub mod report;

use harness::{run_port, TestRun};

/// Runs every port whose test ID contains `filter` (all when `None`), in registry order.
///
/// Refuses to run when `CDK_CONTEXT_JSON` is set: every app reads it, so it would change the
/// ports' context behind the fixtures' back.
pub fn run_all(filter: Option<&str>) -> Result<Vec<TestRun>, String> {
    if std::env::var_os(cdk_core::CONTEXT_ENV).is_some() {
        return Err(format!(
            "{} is set; unset it: it would add context to every port",
            cdk_core::CONTEXT_ENV
        ));
    }
    let flags = fixtures::recommended_flags()?;
    Ok(ports::all()
        .iter()
        .filter(|p| filter.is_none_or(|f| p.test.contains(f)))
        .map(|p| run_port(p, &flags))
        .collect())
}
