//! CodeBuild projects: sources, artifacts, secondary sources/artifacts, caches, reports,
//! environment-variable grants and the synth errors aws-cdk-lib raises.

use std::rc::Rc;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::codebuild::*;
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::s3::{Bucket, BucketProps};
use cdk_core::{App, RemovalPolicy, Stack, StackProps};
use serde_json::json;

fn stack() -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    (app, stack)
}

fn inline_spec() -> Option<BuildSpec> {
    Some(BuildSpec::from_object(json!({"version": "0.2"})))
}

#[test]
fn code_commit_source_pulls_from_the_repository() {
    let (_app, stack) = stack();
    let repo = Repository::new(
        &stack,
        "Repo",
        RepositoryProps {
            repository_name: "app".into(),
            ..Default::default()
        },
    );
    Project::new(
        &stack,
        "P",
        ProjectProps {
            source: Some(Source::code_commit(CodeCommitSourceProps {
                repository: Rc::new(repo),
                branch_or_ref: Some("main".into()),
                clone_depth: Some(1),
                fetch_submodules: Some(true),
                identifier: None,
            })),
            badge: Some(true),
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::CodeBuild::Project",
        pattern!({
            "Source": {
                "Type": "CODECOMMIT",
                "Location": {"Fn::GetAtt": [Match::string_like_regexp("^Repo"), "CloneUrlHttp"]},
                "GitCloneDepth": 1,
                "GitSubmodulesConfig": {"FetchSubmodules": true},
            },
            "SourceVersion": "main",
            "BadgeEnabled": true,
            "Artifacts": {"Type": "NO_ARTIFACTS"},
            "Cache": {"Type": "NO_CACHE"},
        }),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": "codecommit:GitPull",
            "Resource": {"Fn::GetAtt": [Match::string_like_regexp("^Repo"), "Arn"]},
        }))])}}),
    );
}

#[test]
fn git_hub_source_renders_webhook_filter_groups() {
    let (_app, stack) = stack();
    let push_main = FilterGroup::in_event_of([EventAction::Push])
        .unwrap()
        .and_branch_is("main")
        .and_file_path_is_not("docs/*");
    let prs = FilterGroup::in_event_of([
        EventAction::PullRequestCreated,
        EventAction::PullRequestUpdated,
    ])
    .unwrap()
    .and_base_branch_is("main")
    .unwrap();
    Project::new(
        &stack,
        "P",
        ProjectProps {
            source: Some(Source::git_hub(GitHubSourceProps {
                owner: "o".into(),
                repo: Some("r".into()),
                webhook_filters: vec![push_main, prs],
                ..Default::default()
            })),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodeBuild::Project",
        pattern!({
            "Source": {"Type": "GITHUB", "Location": "https://github.com/o/r.git", "ReportBuildStatus": true},
            "Triggers": {"Webhook": true, "FilterGroups": [
                [
                    {"Type": "EVENT", "Pattern": "PUSH"},
                    {"Type": "HEAD_REF", "Pattern": "refs/heads/main"},
                    {"Type": "FILE_PATH", "Pattern": "docs/*", "ExcludeMatchedPattern": true},
                ],
                [
                    {"Type": "EVENT", "Pattern": "PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED"},
                    {"Type": "BASE_REF", "Pattern": "refs/heads/main"},
                ],
            ]},
        }),
    );
    assert!(FilterGroup::in_event_of([EventAction::Push])
        .unwrap()
        .and_base_ref_is("x")
        .is_err());
    assert!(FilterGroup::in_event_of([]).is_err());
}

#[test]
fn git_hub_organization_webhook_scopes_to_the_owner() {
    let (_app, stack) = stack();
    Project::new(
        &stack,
        "P",
        ProjectProps {
            source: Some(Source::git_hub(GitHubSourceProps {
                owner: "my-org".into(),
                ..Default::default()
            })),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodeBuild::Project",
        pattern!({
            "Source": {"Location": "CODEBUILD_DEFAULT_WEBHOOK_SOURCE_LOCATION"},
            "Triggers": {
                "Webhook": true,
                "FilterGroups": [[{"Type": "EVENT", "Pattern": "WORKFLOW_JOB_QUEUED"}]],
                "ScopeConfiguration": {"Name": "my-org"},
            },
        }),
    );
}

#[test]
fn s3_artifacts_local_cache_and_defaults() {
    let (_app, stack) = stack();
    let bucket = Rc::new(Bucket::new(&stack, "B", BucketProps::default()));
    Project::new(
        &stack,
        "P",
        ProjectProps {
            source: Some(Source::s3(S3SourceProps {
                bucket: bucket.clone(),
                path: "src.zip".into(),
                version: Some("v1".into()),
                identifier: None,
            })),
            artifacts: Some(Artifacts::s3(S3ArtifactsProps {
                bucket,
                path: None,
                name: None,
                include_build_id: Some(false),
                package_zip: Some(false),
                encryption: Some(false),
                identifier: None,
            })),
            cache: Some(Cache::local([
                LocalCacheMode::DockerLayer,
                LocalCacheMode::Custom,
            ])),
            concurrent_build_limit: Some(2),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodeBuild::Project",
        pattern!({
            "Source": {"Type": "S3", "Location": {"Fn::Join": ["", [{"Ref": Match::string_like_regexp("^B")}, "/src.zip"]]}},
            "SourceVersion": "v1",
            "Artifacts": {
                "Type": "S3",
                "Location": {"Ref": Match::string_like_regexp("^B")},
                "NamespaceType": "NONE",
                "Packaging": "NONE",
                "EncryptionDisabled": true,
                "OverrideArtifactName": true,
            },
            "Cache": {"Type": "LOCAL", "Modes": ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_CUSTOM_CACHE"]},
            "ConcurrentBuildLimit": 2,
        }),
    );
}

#[test]
fn environment_variables_from_parameter_store_and_secrets_manager_are_granted() {
    let (_app, stack) = stack();
    Project::new(
        &stack,
        "P",
        ProjectProps {
            build_spec: inline_spec(),
            environment_variables: vec![
                ("A".into(), BuildEnvironmentVariable::plaintext("1")),
                (
                    "B".into(),
                    BuildEnvironmentVariable::parameter_store("/app/b"),
                ),
                (
                    "C".into(),
                    BuildEnvironmentVariable::secrets_manager("app/c:password"),
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::CodeBuild::Project",
        pattern!({"Environment": {"EnvironmentVariables": [
            {"Name": "A", "Type": "PLAINTEXT", "Value": "1"},
            {"Name": "B", "Type": "PARAMETER_STORE", "Value": "/app/b"},
            {"Name": "C", "Type": "SECRETS_MANAGER", "Value": "app/c:password"},
        ]}}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([
            Match::object_like(pattern!({"Action": "ssm:GetParameters", "Resource": {"Fn::Join": ["", Match::array_with([":parameter/app/b"])]}})),
            Match::object_like(pattern!({"Action": "secretsmanager:GetSecretValue", "Resource": {"Fn::Join": ["", Match::array_with([":secret:app/c-??????"])]}})),
        ])}}),
    );
}

#[test]
fn invalid_projects_are_synth_errors() {
    let (_app, stack) = stack();
    // No source needs an inline build spec.
    Project::new(
        &stack,
        "NoSpec",
        ProjectProps {
            build_spec: Some(BuildSpec::from_source_filename("buildspec.yml")),
            ..Default::default()
        },
    );
    // Secondary sources and artifacts need identifiers; badges need a supported source.
    let bucket = Rc::new(Bucket::new(&stack, "B", BucketProps::default()));
    Project::new(
        &stack,
        "NoIds",
        ProjectProps {
            build_spec: inline_spec(),
            badge: Some(true),
            secondary_sources: vec![Source::s3(S3SourceProps {
                bucket: bucket.clone(),
                path: "p".into(),
                version: None,
                identifier: None,
            })],
            secondary_artifacts: vec![Artifacts::s3(S3ArtifactsProps {
                bucket,
                path: None,
                name: None,
                include_build_id: None,
                package_zip: None,
                encryption: None,
                identifier: None,
            })],
            ..Default::default()
        },
    );
    Project::new(
        &stack,
        "HalfPipeline",
        ProjectProps {
            build_spec: inline_spec(),
            artifacts: Some(Artifacts::code_pipeline()),
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    a.has_error("/S/NoSpec", Match::string_like_regexp("source is NoSource"));
    a.has_error(
        "/S/NoIds",
        Match::string_like_regexp("mandatory for secondary sources"),
    );
    a.has_error(
        "/S/NoIds",
        Match::string_like_regexp("mandatory for secondary artifacts"),
    );
    a.has_error(
        "/S/NoIds",
        Match::string_like_regexp("Badge is not supported for source type NO_SOURCE"),
    );
    a.has_error(
        "/S/HalfPipeline",
        Match::string_like_regexp("Both source and artifacts must be set to CodePipeline"),
    );
}

#[test]
fn report_groups_are_retained_and_grant_writes() {
    let (_app, stack) = stack();
    let group = ReportGroup::new(
        &stack,
        "Reports",
        ReportGroupProps {
            report_group_name: Some("unit".into()),
            zip_export: true,
            export_bucket: Some(Rc::new(Bucket::new(
                &stack,
                "Export",
                BucketProps::default(),
            ))),
            ..Default::default()
        },
    );
    let project = Project::new(
        &stack,
        "P",
        ProjectProps {
            build_spec: inline_spec(),
            ..Default::default()
        },
    );
    group.grant_write(&project);
    ReportGroup::new(
        &stack,
        "Bad",
        ReportGroupProps {
            delete_reports: Some(true),
            removal_policy: Some(RemovalPolicy::Retain),
            ..Default::default()
        },
    );
    let t = Template::try_from_stack(&stack);
    assert!(t.is_err(), "delete_reports without Destroy must fail");
    Annotations::from_stack(&stack).has_error(
        "/S/Bad",
        Match::string_like_regexp("without setting removal policy to 'DESTROY'"),
    );
}

#[test]
fn report_group_defaults() {
    let (_app, stack) = stack();
    let group = ReportGroup::new(&stack, "Reports", ReportGroupProps::default());
    let project = Project::new(
        &stack,
        "P",
        ProjectProps {
            build_spec: inline_spec(),
            ..Default::default()
        },
    );
    group.grant_write(&project);
    let t = Template::from_stack(&stack);
    t.has_resource(
        "AWS::CodeBuild::ReportGroup",
        pattern!({"Properties": {"Type": "TEST", "ExportConfig": {"ExportConfigType": "NO_EXPORT"}}, "DeletionPolicy": "Retain"}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": ["codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases"],
            "Resource": {"Fn::GetAtt": [Match::string_like_regexp("^Reports"), "Arn"]},
        }))])}}),
    );
}

#[test]
fn pipeline_project_is_a_project_with_code_pipeline_source_and_artifacts() {
    let (_app, stack) = stack();
    PipelineProject::new(&stack, "P", PipelineProjectProps::default());
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodeBuild::Project",
        pattern!({"Source": {"Type": "CODEPIPELINE"}, "Artifacts": {"Type": "CODEPIPELINE"}, "Cache": {"Type": "NO_CACHE"}}),
    );
}
