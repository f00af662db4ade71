//! The examples' application stacks deployed, updated and destroyed against the local endpoint
//! (moto) with the `rcdk` binary, checking what was created through the service APIs (boto3):
//! the flagship's `DevApplicationStack` (`rcdk deploy DevApplicationStack` with no extra flags:
//! the code is an asset) and the serverless example's `ProductCatalogServiceStack` (REST API,
//! stage, function, table).

mod common;

use std::path::Path;
use std::process::Command;

use cdk_core::{App, AppProps};
use common::moto::{moto_or_skip, point_at};
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";

fn rcdk(cwd: &Path, args: &[&str]) -> (i32, String) {
    let out = assert_cmd::Command::cargo_bin("rcdk")
        .unwrap()
        .current_dir(cwd)
        .args(args)
        .timeout(std::time::Duration::from_secs(180))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "$ rcdk {}\n[exit {:?}]\n{text}",
        args.join(" "),
        out.status.code()
    );
    (out.status.code().unwrap_or(-1), text)
}

fn ok(r: (i32, String)) -> String {
    assert_eq!(r.0, 0, "rcdk failed:\n{}", r.1);
    r.1
}

/// What the service APIs say: REST APIs with their stages, functions, tables (boto3).
fn inventory() -> Value {
    let script = r#"
import boto3, json
r = "us-east-1"
apigw = boto3.client("apigateway", region_name=r)
apis = {a["name"]: sorted(s["stageName"] for s in apigw.get_stages(restApiId=a["id"])["item"])
        for a in apigw.get_rest_apis()["items"]}
fns = {f["FunctionName"]: {"runtime": f.get("Runtime"), "handler": f.get("Handler")}
       for f in boto3.client("lambda", region_name=r).list_functions()["Functions"]}
tables = boto3.client("dynamodb", region_name=r).list_tables()["TableNames"]
print(json.dumps({"apis": apis, "functions": fns, "tables": tables}))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// An alias of a function (`GetAlias`), the function's versions and the principals of the
/// alias's resource policy, through the Lambda API (boto3).
fn lambda_alias(function: &str, name: &str) -> Value {
    let script = r#"
import boto3, json, sys
lam = boto3.client("lambda", region_name="us-east-1")
fn, name = sys.argv[1], sys.argv[2]
alias = lam.get_alias(FunctionName=fn, Name=name)
alias.pop("ResponseMetadata", None)
versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=fn)["Versions"]]
policy = json.loads(lam.get_policy(FunctionName=fn, Qualifier=name)["Policy"])
print(json.dumps({"alias": alias, "versions": versions,
                  "policy_principals": [s.get("Principal") for s in policy["Statement"]]}))
"#;
    let out = Command::new("python3")
        .args(["-c", script, function, name])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The endpoint extension itself (tests/support/test_moto_ext.py against the harness's server):
/// a version and an alias created, released (new version, routing weight, description) and
/// deleted through CloudFormation, each step checked through the Lambda API.
#[test]
fn endpoint_extension_models_lambda_versions_and_aliases() {
    let Some(moto) = moto_or_skip("the endpoint extension's own checks") else {
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/test_moto_ext.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(["--endpoint", &format!("http://127.0.0.1:{}", moto.port)])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains(" passed, 0 failed"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn synth(dir: &Path, context: Value, build: impl FnOnce(&App)) {
    let app = App::with_props(AppProps {
        outdir: Some(dir.to_path_buf()),
        context: context
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    });
    build(&app);
    app.synth().unwrap();
}

#[test]
fn application_stacks_deploy_update_and_destroy() {
    let Some(moto) = moto_or_skip("example deployments against moto") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    point_at(&moto, &home);
    let cwd = work.path();
    ok(rcdk(
        cwd,
        &["bootstrap", &format!("aws://{ACCOUNT}/us-east-1")],
    ));

    // The flagship's dev application: no flags needed, the code is the asset.
    let flagship = cwd.join("flagship.out");
    synth(
        &flagship,
        json!({"toolsAccount": ACCOUNT, "prodAccount": "222222222222", "region": "us-east-1"}),
        |app| {
            let settings = cross_account_pipeline_example::Settings::from_context(app).unwrap();
            cross_account_pipeline_example::build(app, &settings);
        },
    );
    let app = flagship.to_str().unwrap();
    let before = inventory();
    ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            app,
            "DevApplicationStack",
            "--require-approval",
            "never",
        ],
    ));
    let after = inventory();
    let new_apis: Vec<&String> = after["apis"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| before["apis"].get(*k).is_none())
        .collect();
    assert_eq!(new_apis.len(), 1, "one REST API: {after}");
    assert!(
        !after["apis"][new_apis[0]].as_array().unwrap().is_empty(),
        "the API has a stage: {after}"
    );
    let new_functions: Vec<&String> = after["functions"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| before["functions"].get(*k).is_none())
        .collect();
    assert_eq!(new_functions.len(), 1, "{after}");
    // The canary release's alias, through the Lambda API (the test-side endpoint extension
    // tests/support/moto_ext.py models AWS::Lambda::Alias): `live` points at the published
    // version, and the API's invoke permissions are on the alias.
    let alias = lambda_alias(new_functions[0], "live");
    assert_eq!(alias["alias"]["FunctionVersion"], "1", "{alias}");
    assert_eq!(alias["versions"], json!(["$LATEST", "1"]), "{alias}");
    assert!(
        alias["alias"]["AliasArn"]
            .as_str()
            .is_some_and(|arn| arn.ends_with(&format!(":function:{}:live", new_functions[0]))),
        "{alias}"
    );
    let principals = alias["policy_principals"].as_array().unwrap();
    assert!(
        principals.len() >= 2
            && principals
                .iter()
                .all(|p| p == &json!({"Service": "apigateway.amazonaws.com"})
                    || p == "apigateway.amazonaws.com"),
        "the REST API's invoke permissions on the alias: {alias}"
    );
    // Unchanged (the changing update is the service's below: nothing in the flagship's context
    // changes DevApplicationStack, and moto ignores tag-only change sets).
    let out = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            app,
            "DevApplicationStack",
            "--require-approval",
            "never",
        ],
    ));
    assert!(out.contains("no changes"), "{out}");
    ok(rcdk(
        cwd,
        &["destroy", "--app", app, "DevApplicationStack", "-f"],
    ));
    let gone = inventory();
    assert!(gone["functions"].get(new_functions[0]).is_none(), "{gone}");
    assert!(gone["apis"].get(new_apis[0]).is_none(), "{gone}");

    // The serverless example's product catalog service (with its target-account roles).
    let lambda_dir = cwd.join("lambda");
    std::fs::create_dir_all(&lambda_dir).unwrap();
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/serverless-product-api/lambda");
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), lambda_dir.join(entry.file_name())).unwrap();
        }
    }
    let service = |stage: &str| {
        let out = cwd.join(format!("service-{stage}.out"));
        synth(
            &out,
            json!({"toolsAccount": "333333333333", "targetAccount": ACCOUNT, "region": "us-east-1",
                   "stage": stage, "lambdaDir": lambda_dir.display().to_string()}),
            |app| {
                let settings = serverless_product_api_example::Settings::from_context(app).unwrap();
                serverless_product_api_example::build(app, &settings);
            },
        );
        out
    };
    let v1 = service("prod");
    let before = inventory();
    ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v1.to_str().unwrap(),
            "ProductCatalogServiceStack",
            "--require-approval",
            "never",
        ],
    ));
    let after = inventory();
    let tables: Vec<&Value> = after["tables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !before["tables"].as_array().unwrap().contains(t))
        .collect();
    assert_eq!(tables.len(), 1, "one table: {after}");
    let api = after["apis"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| before["apis"].get(*k).is_none())
        .map(|(k, v)| (k.clone(), v.clone()))
        .expect("a new REST API");
    assert_eq!(api.1, json!(["prod"]), "{after}");
    let functions = after["functions"].as_object().unwrap().len()
        - before["functions"].as_object().unwrap().len();
    assert!(functions >= 2, "create and find functions: {after}");
    // Unchanged, then another stage.
    let out = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v1.to_str().unwrap(),
            "ProductCatalogServiceStack",
            "-e",
            "--require-approval",
            "never",
        ],
    ));
    assert!(out.contains("no changes"), "{out}");
    let v2 = service("beta");
    ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v2.to_str().unwrap(),
            "ProductCatalogServiceStack",
            "-e",
            "--require-approval",
            "never",
        ],
    ));
    let updated = inventory();
    assert_eq!(updated["apis"][&api.0], json!(["beta"]), "{updated}");
    ok(rcdk(
        cwd,
        &[
            "destroy",
            "--app",
            v2.to_str().unwrap(),
            "ProductCatalogServiceStack",
            "-f",
        ],
    ));
    let gone = inventory();
    assert!(gone["apis"].get(&api.0).is_none(), "{gone}");
    // The table is kept: its DeletionPolicy is Retain (aws-cdk-lib's default for tables).
    let template = cdk_assertions::Template::from_str(
        &std::fs::read_to_string(v2.join("ProductCatalogServiceStack.template.json")).unwrap(),
    );
    template.has_resource(
        "AWS::DynamoDB::Table",
        cdk_assertions::pattern!({"DeletionPolicy": "Retain"}),
    );
    assert!(
        gone["tables"].as_array().unwrap().contains(tables[0]),
        "{gone}"
    );
}
