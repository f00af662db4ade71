//! AWS that is not there: a closed port on 127.0.0.1 (connection refused), missing credentials.
//! Each command ends with the endpoint and the cause named, in a few seconds (the 60 s timeout
//! of `rcdk_cmd` is a hang guard, not a performance check).

use super::*;

/// `http://127.0.0.1:PORT` for a port nothing listens on.
fn closed_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn dead_endpoint_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_ACCESS_KEY_ID", "AKIAFAKE".into()),
        ("AWS_SECRET_ACCESS_KEY", "fake".into()),
        ("AWS_REGION", "us-east-1".into()),
    ]
}

fn run_against(cwd: &Path, args: &[&str], env: &[(&'static str, String)]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    rcdk_env(cwd, args, &env)
}

#[test]
fn deploy_diff_and_bootstrap_fail_fast_on_a_refused_connection() {
    let p = project();
    let endpoint = closed_endpoint();
    let env = dead_endpoint_env(&endpoint);
    let named =
        format!("cannot reach the AWS endpoint {endpoint} (AWS_ENDPOINT_URL): connection refused");
    unchanged(p.path(), || {
        let deploy = run_against(
            p.path(),
            &[
                "deploy",
                "--all",
                "--app",
                "cdk.out",
                "--require-approval",
                "never",
            ],
            &env,
        );
        deploy.fails_with(&[&named, "deployment failed for"]);
        assert!(
            !deploy.err.contains("with the current credentials"),
            "no fallback: {}",
            deploy.err
        );
        run_against(p.path(), &["diff", "--app", "cdk.out"], &env).fails_with(&[
            &named,
            "compare with a local template (--template FILE) or a previous assembly (--from DIR)",
        ]);
        run_against(
            p.path(),
            &["bootstrap", "aws://123456789012/us-east-1"],
            &env,
        )
        .fails_with(&[
            "cannot find the current account (sts:GetCallerIdentity)",
            &named,
        ]);
        run_against(
            p.path(),
            &["destroy", "--all", "--app", "cdk.out", "--force"],
            &env,
        )
        .fails_with(&[&named]);
    });
}

#[test]
fn verbose_runs_say_what_is_attempted() {
    let p = project();
    let endpoint = closed_endpoint();
    let run = run_against(
        p.path(),
        &["bootstrap", "aws://123456789012/us-east-1", "-v"],
        &dead_endpoint_env(&endpoint),
    );
    run.fails_with(&[&format!(
        "AWS sts:GetCallerIdentity -> {endpoint} (AWS_ENDPOINT_URL)"
    )]);
}

#[test]
fn missing_credentials_are_one_short_message_with_the_fix() {
    let p = project();
    let endpoint = closed_endpoint();
    let env = vec![
        ("AWS_ENDPOINT_URL", endpoint.clone()),
        ("AWS_REGION", "us-east-1".to_string()),
    ];
    unchanged(p.path(), || {
        let diff = run_against(p.path(), &["diff", "--app", "cdk.out"], &env);
        diff.fails_with(&[
            "no AWS credentials found; tried the environment",
            "pass --profile NAME",
            "--template FILE",
            "--from DIR",
        ]);
        assert_eq!(
            diff.err.matches("no AWS credentials").count(),
            1,
            "{}",
            diff.err
        );
        assert!(!diff.err.contains("dispatch failure"), "{}", diff.err);
        run_against(
            p.path(),
            &[
                "bootstrap",
                "aws://123456789012/us-east-1",
                "--profile",
                "missing",
            ],
            &env,
        )
        .fails_with(&["no AWS credentials from profile `missing`"]);
    });
}

#[test]
fn bootstrap_refuses_a_malformed_environment_before_any_aws_call() {
    let p = project();
    let endpoint = closed_endpoint();
    unchanged(p.path(), || {
        let run = run_against(
            p.path(),
            &["bootstrap", "aws://123/us-east-1"],
            &dead_endpoint_env(&endpoint),
        );
        run.fails_with(&[
            "invalid environment `aws://123/us-east-1`",
            "`123` is not an AWS account ID",
        ]);
        assert!(!run.err.contains("cannot reach"), "{}", run.err);
        run_against(
            p.path(),
            &["bootstrap", "aws://123456789012/Nowhere 1"],
            &dead_endpoint_env(&endpoint),
        )
        .fails_with(&["is not an AWS region name"]);
    });
}
