//! CodeCommit repositories: resource, imports, commit rules, grants and bad names.

use cdk_assertions::{pattern, Match, Template};
use cdk_constructs::codecommit::*;
use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
use cdk_core::logical_id::make_unique_id;
use cdk_core::{App, Environment, Stack, StackProps};
use serde_json::json;

fn tools_stack(app: &App, id: &str) -> Stack {
    Stack::new(
        app,
        id,
        StackProps {
            env: Some(Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    )
}

#[test]
fn repository_commit_rule_and_grants() {
    let app = App::new();
    let s = tools_stack(&app, "RepositoryStack");
    let repo = Repository::new(
        &s,
        "CodeCommitRepo",
        RepositoryProps {
            repository_name: "repo-111111111111".into(),
            description: Some("app".into()),
            ..Default::default()
        },
    );
    let rule = repo.on_commit(
        "OnCommit",
        OnCommitOptions {
            branches: vec!["main".into(), "release".into()],
            ..Default::default()
        },
    );
    assert_eq!(
        rule.node().path(),
        "RepositoryStack/CodeCommitRepo/OnCommit"
    );
    let role = Role::new(
        &s,
        "Dev",
        RoleProps::assumed_by(ServicePrincipal::new("codebuild.amazonaws.com")),
    );
    repo.grant_pull_push(&role);
    repo.grant_read(&role);
    let repo_id = make_unique_id(&["CodeCommitRepo", "Resource"]);
    let arn = json!({"Fn::GetAtt": [repo_id, "Arn"]});
    Template::from_stack(&s).template_matches(pattern!({"Resources": {
        (repo_id.as_str()): Match::exact(pattern!({
            "Type": "AWS::CodeCommit::Repository",
            "Properties": {"RepositoryName": "repo-111111111111", "RepositoryDescription": "app"}
        })),
        (make_unique_id(&["CodeCommitRepo", "OnCommit", "Resource"])): {"Properties": {
            "EventPattern": Match::exact(pattern!({
                "detail": {"event": ["referenceCreated", "referenceUpdated"], "referenceName": ["main", "release"]},
                "detail-type": ["CodeCommit Repository State Change"],
                "resources": [arn.clone()],
                "source": ["aws.codecommit"]
            })),
        }},
        (make_unique_id(&["Dev", "DefaultPolicy", "Resource"])): {"Properties": {"PolicyDocument": {
            "Statement": Match::exact(pattern!([
                // aws-cdk-lib's RepositoryGrants: one statement per grant.
                {"Action": ["codecommit:GitPull", "codecommit:GitPush"], "Effect": "Allow", "Resource": arn.clone()},
                {"Action": ["codecommit:GitPull", "codecommit:EvaluatePullRequestApprovalRules", "codecommit:Get*", "codecommit:Describe*"], "Effect": "Allow", "Resource": arn}
            ])),
        }}},
    }}));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn imports_know_their_account() {
    let app = App::new();
    let s = tools_stack(&app, "S");
    let by_arn = Repository::from_repository_arn(
        &s,
        "Shared",
        "arn:aws:codecommit:us-east-1:222222222222:shared-repo",
    );
    assert_eq!(by_arn.repository_name().literal(), Some("shared-repo"));
    assert_eq!(by_arn.env().account.literal(), Some("222222222222"));
    assert_eq!(
        by_arn.repository_arn().literal(),
        Some("arn:aws:codecommit:us-east-1:222222222222:shared-repo")
    );
    let by_name = Repository::from_repository_name(&s, "Local", "local-repo");
    assert_eq!(by_name.env().account.literal(), Some("111111111111"));
    assert!(by_name.repository_arn().is_token()); // partition
    assert!(by_name.repository_clone_url_http().is_token());
}

#[test]
fn bad_names_are_reported() {
    assert!(repository_name_errors("ok-repo_1.x").is_empty());
    assert_eq!(repository_name_errors("bad name").len(), 1);
    assert_eq!(repository_name_errors("x.git").len(), 1);
    assert_eq!(repository_name_errors(&"a".repeat(101)).len(), 1);
    let app = App::new();
    let s = tools_stack(&app, "S");
    Repository::new(
        &s,
        "Repo",
        RepositoryProps {
            repository_name: "no/slashes".into(),
            ..Default::default()
        },
    );
    Repository::from_repository_arn(&s, "Bad", "arn:aws:s3:::bucket");
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("o")).unwrap_err().to_string();
    assert!(
        err.contains("[S/Repo] repository name 'no/slashes'"),
        "{err}"
    );
    assert!(
        err.contains("[S/Bad] 'arn:aws:s3:::bucket' is not a CodeCommit repository ARN"),
        "{err}"
    );
}

use cdk_core::IConstruct;
