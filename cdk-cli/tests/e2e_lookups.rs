//! The context-provider loop end to end against the local endpoint (moto): an app that asks for
//! an SSM parameter, the availability zones, a KMS key, a hosted zone and a VPC — written as
//! aws-cdk-lib writes them: `missing` entries in the manifest until the values are in its
//! context — is synthesized by `rcdk synth`; the values are looked up through the lookup role,
//! stored in cdk.context.json, and the app is synthesized again with them. Then `rcdk context`
//! lists and resets them, a lookup that fails and an unsupported provider are errors naming the
//! provider, and `deploy` never deploys an assembly that still has `missing` entries.

mod common;

use std::path::Path;
use std::process::Command;

use common::moto::{moto_or_skip, point_at, REGION};
use serde_json::Value;

const ACCOUNT: &str = "123456789012";

/// A Python app that behaves like an aws-cdk-lib app with lookups: every key of `LOOKUPS` not in
/// its context is reported as missing (with a dummy value in the template), as
/// `ContextProvider.getValue` does.
const APP: &str = r#"
import json, os, sys
ctx = json.loads(os.environ.get("CDK_CONTEXT_JSON", "{}"))
out = os.environ["CDK_OUTDIR"]
account, region = sys.argv[1], sys.argv[2]
role = f"arn:${{AWS::Partition}}:iam::{account}:role/cdk-hnb659fds-lookup-role-{account}-{region}"
lookups = json.loads(sys.argv[3])
missing, outputs = [], {}
for i, (provider, query, dummy) in enumerate(lookups):
    props = {"account": account, "region": region, **query}
    parts = []
    def flat(p, prefix=""):
        for k, v in p.items():
            if isinstance(v, dict): flat(v, prefix + k + ".")
            elif isinstance(v, str): parts.append(f"{prefix}{k}=" + v.replace(":", "$:"))
            else: parts.append(f"{prefix}{k}=" + json.dumps(v))
    flat(props)
    key = provider + ":" + ":".join(sorted(parts))
    if key in ctx and not (isinstance(ctx[key], dict) and "$providerError" in ctx[key]):
        value = ctx[key]
    else:
        value = dummy
        missing.append({"key": key, "provider": provider, "props": {"dummyValue": dummy, **props, "lookupRoleArn": role}})
    outputs[f"Out{i}"] = {"Value": json.dumps(value)}
template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": outputs}
json.dump(template, open(os.path.join(out, "Lookups.template.json"), "w"))
manifest = {"version": "36.0.0", "artifacts": {"Lookups": {"type": "aws:cloudformation:stack",
    "environment": f"aws://{account}/{region}", "properties": {"templateFile": "Lookups.template.json"}}}}
if missing: manifest["missing"] = missing
json.dump(manifest, open(os.path.join(out, "manifest.json"), "w"), indent=1)
with open("runs.log", "a") as f: f.write(f"{len(missing)}\n")  # in the project (the app's cwd)
"#;

/// Creates what the app looks up, with boto3 (installed with moto).
const SEED: &str = r#"
import boto3
r = "us-east-1"
boto3.client("ssm", region_name=r).put_parameter(Name="/app/version", Value="1.2.3", Type="String")
kms = boto3.client("kms", region_name=r)
key = kms.create_key()["KeyMetadata"]["KeyId"]
kms.create_alias(AliasName="alias/app", TargetKeyId=key)
zone = boto3.client("route53", region_name=r).create_hosted_zone(Name="example.com", CallerReference="rcdk-test")["HostedZone"]["Id"]
ec2 = boto3.client("ec2", region_name=r)
vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "app-vpc"}])
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ids = {}
for i, (az, kind) in enumerate([("us-east-1a", "Public"), ("us-east-1b", "Public"), ("us-east-1a", "Isolated"), ("us-east-1b", "Isolated")]):
    s = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
    ids[(az, kind)] = s
    if kind == "Public":
        ec2.associate_route_table(RouteTableId=public_rt, SubnetId=s)
print(key, zone, vpc, ids[("us-east-1a", "Public")], ids[("us-east-1a", "Isolated")], public_rt)
"#;

fn rcdk(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("rcdk")
        .unwrap()
        .current_dir(cwd)
        .args(args)
        .timeout(std::time::Duration::from_secs(90))
        .output()
        .unwrap();
    let r = (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    eprintln!("$ rcdk {}\n[exit {}]\n{}{}", args.join(" "), r.0, r.1, r.2);
    r
}

fn write_app(dir: &Path, lookups: &Value) {
    std::fs::write(dir.join("app.py"), APP).unwrap();
    let app = format!(
        "python3 app.py {ACCOUNT} {REGION} '{}'",
        lookups.to_string().replace('\'', "'\\''")
    );
    std::fs::write(
        dir.join("cdk.json"),
        serde_json::json!({ "app": app }).to_string(),
    )
    .unwrap();
}

#[test]
fn lookups_are_resolved_cached_listed_and_reset() {
    let Some(moto) = moto_or_skip("context lookups against moto") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    point_at(&moto, &home);
    let seeded = Command::new("python3").args(["-c", SEED]).output().unwrap();
    assert!(
        seeded.status.success(),
        "seeding failed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let seeded = String::from_utf8_lossy(&seeded.stdout).to_string();
    let ids: Vec<&str> = seeded.split_whitespace().collect();
    let (key_id, zone_id, vpc_id, public_a, isolated_a, public_rt) =
        (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);

    let project = work.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    let lookups = serde_json::json!([
        ["ssm", {"parameterName": "/app/version"}, "dummy-value-for-/app/version"],
        ["availability-zones", {}, ["dummy1a", "dummy1b", "dummy1c"]],
        ["key", {"aliasName": "alias/app"}, {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}],
        ["hosted-zone", {"domainName": "example.com"}, {"Id": "DUMMY", "Name": "example.com."}],
        ["vpc-provider", {"filter": {"tag:Name": "app-vpc"}, "returnAsymmetricSubnets": false}, {"vpcId": "vpc-12345"}],
    ]);
    write_app(&project, &lookups);
    // A value the user set in cdk.context.json stays.
    std::fs::write(project.join("cdk.context.json"), "{\n  \"mine\": 1\n}\n").unwrap();

    let (code, out, err) = rcdk(&project, &["synth", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("looking up 5 value(s)"), "{err}");
    let runs = std::fs::read_to_string(project.join("runs.log")).unwrap();
    assert_eq!(
        runs, "5\n0\n",
        "the app runs once with lookups missing, then once with all"
    );
    let template: Value = serde_json::from_str(&out).unwrap();
    let output = |i: usize| -> Value {
        serde_json::from_str(
            template["Outputs"][format!("Out{i}")]["Value"]
                .as_str()
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(output(0), "1.2.3");
    let azs = output(1);
    assert!(
        azs.as_array().unwrap().iter().any(|z| z == "us-east-1a"),
        "{azs}"
    );
    assert_eq!(output(2), serde_json::json!({ "keyId": key_id }));
    assert_eq!(
        output(3),
        serde_json::json!({ "Id": zone_id, "Name": "example.com." })
    );
    let vpc = output(4);
    assert_eq!(vpc["vpcId"], vpc_id);
    assert_eq!(vpc["vpcCidrBlock"], "10.9.0.0/16");
    assert_eq!(
        vpc["availabilityZones"],
        serde_json::json!(["us-east-1a", "us-east-1b"])
    );
    assert_eq!(vpc["publicSubnetIds"][0], public_a);
    assert_eq!(vpc["publicSubnetRouteTableIds"][0], public_rt);
    assert_eq!(vpc["publicSubnetNames"], serde_json::json!(["Public"]));
    assert_eq!(vpc["isolatedSubnetIds"][0], isolated_a);
    assert!(vpc.get("privateSubnetIds").is_none(), "{vpc}");

    // The cache: the user's value first, then the five lookups.
    let cached: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(project.join("cdk.context.json")).unwrap())
            .unwrap();
    assert_eq!(cached.len(), 6);
    assert_eq!(cached.keys().next().unwrap(), "mine");
    assert_eq!(
        cached["ssm:account=123456789012:parameterName=/app/version:region=us-east-1"],
        "1.2.3"
    );

    // A second synth uses the cache: the app runs once, nothing is looked up.
    let (code, _, err) = rcdk(&project, &["synth", "-q"]);
    assert_eq!(code, 0);
    assert!(!err.contains("looking up"), "{err}");

    // rcdk context lists (numbered, sorted) and resets by number.
    let (code, out, _) = rcdk(&project, &["context"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("availability-zones:account=123456789012:region=us-east-1"),
        "{out}"
    );
    let (code, _, err) = rcdk(&project, &["context", "--reset", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("reset"), "{err}");
    let cached: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(project.join("cdk.context.json")).unwrap())
            .unwrap();
    assert!(!cached.contains_key("availability-zones:account=123456789012:region=us-east-1"));
    assert_eq!(cached.len(), 5);

    // A parameter that does not exist: the error names the provider; the cache is unchanged.
    let broken = work.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    write_app(
        &broken,
        &serde_json::json!([["ssm", {"parameterName": "/nope"}, "dummy"]]),
    );
    let (code, _, err) = rcdk(&broken, &["deploy", "--all", "--require-approval", "never"]);
    assert_ne!(code, 0);
    assert!(err.contains("provider `ssm`"), "{err}");
    assert!(
        err.contains("SSM parameter not available in account 123456789012"),
        "{err}"
    );
    assert!(!broken.join("cdk.context.json").exists());

    // A provider rcdk does not implement.
    write_app(
        &broken,
        &serde_json::json!([["ami", {"owners": ["amazon"], "filters": {"name": ["x"]}}, "ami-1234"]]),
    );
    let (code, _, err) = rcdk(&broken, &["synth"]);
    assert_ne!(code, 0);
    assert!(err.contains("context provider `ami`"), "{err}");
}
