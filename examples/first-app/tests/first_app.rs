//! The README's first app: it is this example's main.rs, it synthesizes a valid assembly with the
//! cross-stack reference and the grants it promises, and its mistakes are reported readably.

use std::process::Command;

use cdk_assertions::{pattern, Capture, Match, Template};
use rcdk_tests::{read_json, repo_root, validate_assembly};
use serde_json::json;

#[test]
fn the_readme_shows_this_example() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let main = std::fs::read_to_string(repo_root().join("examples/first-app/src/main.rs")).unwrap();
    let block = readme
        .split("## A first app")
        .nth(1)
        .and_then(|s| s.split("```rust,no_run\n").nth(1))
        .and_then(|s| s.split("```\n").next())
        .expect("the README's first app block");
    let body = &main[main.find("use ").unwrap()..];
    assert_eq!(
        block, body,
        "README.md's first app and examples/first-app/src/main.rs differ"
    );
}

#[test]
fn synthesizes_two_stacks_with_a_cross_stack_grant() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let result = Command::new(env!("CARGO_BIN_EXE_first-app"))
        .env("CDK_OUTDIR", &out)
        .env_remove("CDK_CONTEXT_JSON")
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(
        manifest["artifacts"]["Service"]["dependencies"],
        json!(["Storage", "Service.assets"])
    );
    let service = Template::from_json(read_json(&out.join("Service.template.json")));
    let first = Capture::new();
    service.template_matches(pattern!({"Resources": {
        "Handler886CB40B": {"Properties": {"Environment": {"Variables": {
            "TABLE_NAME": Match::exact(pattern!({"Fn::ImportValue": "Storage:ExportsOutputRefOrdersA9B6533847015BBC"})),
        }}}},
        "HandlerServiceRoleDefaultPolicyCBD0CC91": {"Properties": {"PolicyDocument": {"Statement": [
            {"Action": &first},
            {"Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"]},
        ]}}},
    }}));
    assert!(first.as_array().contains(&json!("dynamodb:PutItem")));
    validate_assembly(&out, true);
}
