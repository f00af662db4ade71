//! Ports of `aws-codebuild/test/integ.*.ts`.

use std::rc::Rc;

use cdk_constructs::codebuild::{
    Artifacts, BucketCacheOptions, BuildSpec, Cache, GitHubSourceProps, Project, ProjectProps,
    ReportGroup, ReportGroupProps, ReportGroupType, S3ArtifactsProps, S3SourceProps, Source,
};
use cdk_constructs::s3::{Bucket, BucketProps};
use cdk_core::{json, App, RemovalPolicy, Stack, StackProps, Str, Value};
use serde_json::json;

use crate::harness::Port;

/// The CodeBuild ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-codebuild/integ.caching",
        build: integ_caching,
    },
    Port {
        test: "aws-codebuild/integ.defaults.lit",
        build: integ_defaults_lit,
    },
    Port {
        test: "aws-codebuild/integ.project-secondary-sources-artifacts",
        build: integ_project_secondary_sources_artifacts,
    },
    Port {
        test: "aws-codebuild/integ.report-group",
        build: integ_report_group,
    },
    Port {
        test: "aws-codebuild/integ.github",
        build: integ_github,
    },
];

/// `integ.project-secondary-sources-artifacts.ts`.
fn integ_project_secondary_sources_artifacts(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codebuild-secondary-sources-artifacts",
        StackProps::default(),
    );
    let bucket = Rc::new(Bucket::new(
        &stack,
        "MyBucket",
        BucketProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    ));
    Project::new(
        &stack,
        "MyProject",
        ProjectProps {
            build_spec: Some(BuildSpec::from_object(json!({"version": "0.2"}))),
            secondary_sources: vec![Source::s3(S3SourceProps {
                bucket: bucket.clone(),
                path: "some/path".into(),
                version: None,
                identifier: Some("AddSource1".into()),
            })],
            secondary_artifacts: vec![Artifacts::s3(S3ArtifactsProps {
                bucket,
                path: Some("another/path".into()),
                name: Some("name".into()),
                include_build_id: None,
                package_zip: None,
                encryption: None,
                identifier: Some("AddArtifact1".into()),
            })],
            grant_report_group_permissions: Some(false),
            ..Default::default()
        },
    );
}

/// `integ.report-group.ts`: the build spec's `reports` are keyed by the groups' ARNs.
fn integ_report_group(app: &App) {
    let stack = Stack::new(app, "aws-cdk-report-group", StackProps::default());
    let coverage = ReportGroup::new(
        &stack,
        "CoverageReportGroup",
        ReportGroupProps {
            r#type: Some(ReportGroupType::CodeCoverage),
            ..Default::default()
        },
    );
    let test = ReportGroup::new(
        &stack,
        "TestReportGroup",
        ReportGroupProps {
            r#type: Some(ReportGroupType::Test),
            ..Default::default()
        },
    );
    let raw = |v: serde_json::Value| Value::raw_json(v);
    let spec = json::ordered_object(vec![
        (Str::from("version"), Value::from("0.2")),
        (
            Str::from("phases"),
            raw(json!({"build": {"commands": ["echo \"Nothing to do!\""]}})),
        ),
        (
            Str::from("reports"),
            json::ordered_object(vec![
                (
                    test.report_group_arn(),
                    raw(
                        json!({"base-directory": "test-reports", "file-format": "JUNITXML", "files": ["**/*"]}),
                    ),
                ),
                (
                    coverage.report_group_arn(),
                    raw(
                        json!({"base-directory": "coverage", "file-format": "CLOVERXML", "files": ["clover.xml"]}),
                    ),
                ),
            ]),
        ),
    ]);
    let project = Project::new(
        &stack,
        "MyProject",
        ProjectProps {
            build_spec: Some(BuildSpec::from_object_with_tokens(spec)),
            grant_report_group_permissions: Some(false),
            ..Default::default()
        },
    );
    coverage.grant_write(&project);
    test.grant_write(&project);
}

/// `integ.github.ts`.
fn integ_github(app: &App) {
    let stack = Stack::new(app, "test-codebuild-github", StackProps::default());
    Project::new(
        &stack,
        "MyProject",
        ProjectProps {
            source: Some(Source::git_hub(GitHubSourceProps {
                owner: "aws".into(),
                repo: Some("aws-cdk".into()),
                report_build_status: Some(false),
                ..Default::default()
            })),
            grant_report_group_permissions: Some(false),
            ..Default::default()
        },
    );
}

/// `integ.caching.ts`.
fn integ_caching(app: &App) {
    let stack = Stack::new(app, "aws-cdk-codebuild", StackProps::default());
    let bucket = Bucket::new(
        &stack,
        "CacheBucket",
        BucketProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    Project::new(
        &stack,
        "MyProject",
        ProjectProps {
            cache: Some(Cache::bucket(
                Rc::new(bucket),
                BucketCacheOptions::default(),
            )),
            build_spec: Some(BuildSpec::from_object(json!({
                "build": {"commands": ["echo Hello"]},
                "cache": {"paths": ["/root/.cache/pip/**/*"]},
            }))),
            grant_report_group_permissions: Some(false),
            ..Default::default()
        },
    );
}

/// `integ.defaults.lit.ts`.
fn integ_defaults_lit(app: &App) {
    let stack = Stack::new(app, "codebuild-default-project", StackProps::default());
    Project::new(
        &stack,
        "MyProject",
        ProjectProps {
            build_spec: Some(BuildSpec::from_object(json!({
                "version": "0.2",
                "phases": {"build": {"commands": ["echo \"Hello, CodeBuild!\""]}},
            }))),
            ..Default::default()
        },
    );
}
