//! `rcdk drift` against a scripted CloudFormation (moto implements no drift detection API:
//! DetectStackDrift, DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts are all
//! missing from moto 5.2.1): the detection is polled to the end and the result shown as cdk
//! shows it — modified resources with each property (expected → actual), deleted and unchecked
//! resources, construct paths — and `--fail` sets the exit status.

use std::path::Path;
use std::sync::{Arc, Mutex};

use cdk_cli::app_exec::Session;
use cdk_cli::aws::{
    AssetStore, AwsError, AwsProvider, AwsResult, CallerIdentity, ChangeSetInfo, ChangeSetRequest,
    Clients, CloudFormation, DriftDetection, PropertyDrift, ResourceDrift, Ssm, StackEvent,
    StackInfo,
};
use cdk_cli::cli::{Cli, Command};
use cdk_cli::commands::drift::Drift;
use cdk_cli::deploy::monitor::Polling;
use clap::Parser;
use serde_json::json;

#[derive(Clone, Default)]
struct Fake {
    drifts: Vec<ResourceDrift>,
    polls: Arc<Mutex<u32>>,
    calls: Arc<Mutex<Vec<String>>>,
}

fn unused<T>() -> AwsResult<T> {
    Err(AwsError::new("Unexpected", "not used by drift"))
}

impl CloudFormation for Fake {
    fn describe_stack(&self, _: &str) -> AwsResult<Option<StackInfo>> {
        unused()
    }
    fn get_template(&self, _: &str) -> AwsResult<Option<String>> {
        unused()
    }
    fn create_change_set(&self, _: &ChangeSetRequest) -> AwsResult<()> {
        unused()
    }
    fn describe_change_set(&self, _: &str, _: &str) -> AwsResult<Option<ChangeSetInfo>> {
        unused()
    }
    fn delete_change_set(&self, _: &str, _: &str) -> AwsResult<()> {
        unused()
    }
    fn execute_change_set(&self, _: &str, _: &str) -> AwsResult<()> {
        unused()
    }
    fn stack_events(&self, _: &str, _: Option<&str>) -> AwsResult<Vec<StackEvent>> {
        unused()
    }
    fn latest_event_id(&self, _: &str) -> AwsResult<Option<String>> {
        unused()
    }
    fn delete_stack(&self, _: &str, _: Option<&str>) -> AwsResult<()> {
        unused()
    }
    fn set_termination_protection(&self, _: &str, _: bool) -> AwsResult<()> {
        unused()
    }
    fn detect_stack_drift(&self, stack_name: &str) -> AwsResult<String> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("DetectStackDrift {stack_name}"));
        Ok("detection-1".into())
    }
    fn drift_detection_status(&self, id: &str) -> AwsResult<DriftDetection> {
        assert_eq!(id, "detection-1");
        let mut polls = self.polls.lock().unwrap();
        *polls += 1;
        Ok(DriftDetection {
            status: if *polls < 3 {
                "DETECTION_IN_PROGRESS"
            } else {
                "DETECTION_COMPLETE"
            }
            .into(),
            stack_drift_status: Some("DRIFTED".into()),
            reason: None,
        })
    }
    fn resource_drifts(&self, _: &str) -> AwsResult<Vec<ResourceDrift>> {
        Ok(self.drifts.clone())
    }
}

struct NoAssets;
impl AssetStore for NoAssets {
    fn object_exists(&self, _: &str, _: &str) -> AwsResult<bool> {
        unused()
    }
    fn put_object(&self, _: &str, _: &str, _: Vec<u8>) -> AwsResult<()> {
        unused()
    }
}
impl Ssm for NoAssets {
    fn get_parameter(&self, _: &str) -> AwsResult<Option<String>> {
        unused()
    }
}

impl AwsProvider for Fake {
    fn default_region(&self) -> Option<String> {
        Some("us-east-1".into())
    }
    fn caller_identity(&self) -> AwsResult<CallerIdentity> {
        Ok(CallerIdentity {
            account: "111111111111".into(),
            arn: "arn:aws:iam::111111111111:user/dev".into(),
        })
    }
    fn clients(&self, _: &str, role: Option<&str>) -> AwsResult<Clients> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("clients {}", role.unwrap_or("-")));
        Ok(Clients {
            cloudformation: Arc::new(self.clone()),
            s3: Arc::new(NoAssets),
            ssm: Arc::new(NoAssets),
        })
    }
}

fn assembly(dir: &Path) {
    let template = json!({"Resources": {
        "Bucket83908E77": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "team", "Value": "a"}]}},
        "Queue4A7E3555": {"Type": "AWS::SQS::Queue"},
        "Topic69831491": {"Type": "AWS::SNS::Topic"},
        "CDKMetadata": {"Type": "AWS::CDK::Metadata"}
    }});
    std::fs::write(dir.join("App.template.json"), template.to_string()).unwrap();
    let meta = |id: &str| json!([{"type": "aws:cdk:logicalId", "data": id}]);
    let manifest = json!({"version": "36.0.0", "artifacts": {"App": {
        "type": "aws:cloudformation:stack",
        "environment": "aws://111111111111/us-east-1",
        "properties": {"templateFile": "App.template.json",
            "lookupRole": {"arn": "arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-us-east-1"}},
        "metadata": {
            "/App/Bucket/Resource": meta("Bucket83908E77"),
            "/App/Queue/Resource": meta("Queue4A7E3555")
        }
    }}});
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
}

fn drift(fake: &Fake, dir: &Path, args: &[&str]) -> (Result<u8, String>, String) {
    let cli = Cli::try_parse_from(
        ["rcdk", "drift", "--app", "."]
            .into_iter()
            .chain(args.iter().copied()),
    )
    .unwrap();
    let Command::Drift(drift_args) = &cli.command else {
        unreachable!()
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let r = Drift { args: drift_args }
        .run_with(
            &cli.global,
            &Session::in_dir(dir),
            fake,
            Polling::IMMEDIATE,
            &mut out,
            &mut err,
        )
        .map_err(|e| e.to_string());
    let out = anstream::adapter::strip_str(&String::from_utf8_lossy(&out)).to_string();
    (r, out)
}

#[test]
fn drift_is_detected_and_shown_per_resource_and_property() {
    let dir = tempfile::tempdir().unwrap();
    assembly(dir.path());
    let fake = Fake {
        drifts: vec![
            ResourceDrift {
                logical_id: "Bucket83908E77".into(),
                resource_type: "AWS::S3::Bucket".into(),
                status: "MODIFIED".into(),
                differences: vec![
                    PropertyDrift {
                        path: "/Tags/0/Value".into(),
                        expected: Some("\"a\"".into()),
                        actual: Some("\"b\"".into()),
                        kind: "NOT_EQUAL".into(),
                    },
                    PropertyDrift {
                        path: "/VersioningConfiguration".into(),
                        expected: None,
                        actual: Some("{\"Status\":\"Enabled\"}".into()),
                        kind: "ADD".into(),
                    },
                ],
            },
            ResourceDrift {
                logical_id: "Queue4A7E3555".into(),
                resource_type: "AWS::SQS::Queue".into(),
                status: "DELETED".into(),
                differences: vec![],
            },
            ResourceDrift {
                logical_id: "Topic69831491".into(),
                resource_type: "AWS::SNS::Topic".into(),
                status: "NOT_CHECKED".into(),
                differences: vec![],
            },
        ],
        ..Default::default()
    };
    let (r, out) = drift(&fake, dir.path(), &[]);
    assert_eq!(r, Ok(0), "{out}");
    let expected = "\
Stack App
Modified Resources
[~] AWS::S3::Bucket Bucket Bucket83908E77
 ├─ [~] /Tags/0/Value
 │    ├─ [-] \"a\"
 │    └─ [+] \"b\"
 └─ [+] /VersioningConfiguration

Deleted Resources
[-] AWS::SQS::Queue Queue Queue4A7E3555

Unchecked Resources
[ ] AWS::SNS::Topic Topic69831491

2 resources have drifted from their expected configuration

Number of stacks with drift: 1
";
    // cdk draws the value lines of a non-last property under "     ├─"; so does rcdk.
    let expected = expected
        .replace(" │    ├─", "     ├─")
        .replace(" │    └─", "     └─");
    assert_eq!(out, expected);
    // The detection was polled to the end, under the lookup role.
    assert_eq!(*fake.polls.lock().unwrap(), 3);
    assert!(fake
        .calls
        .lock()
        .unwrap()
        .iter()
        .any(|c| c.contains("cdk-hnb659fds-lookup-role-111111111111-us-east-1")));
    // --fail: exit status 1.
    let (r, _) = drift(&fake, dir.path(), &["--fail"]);
    assert_eq!(r, Ok(1));
    // In sync.
    let in_sync = Fake {
        drifts: vec![],
        ..Default::default()
    };
    let (r, out) = drift(&in_sync, dir.path(), &["--fail"]);
    assert_eq!(r, Ok(0));
    assert!(out.contains("No drift detected"), "{out}");
}
