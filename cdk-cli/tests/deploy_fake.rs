//! `deploy`, `destroy` and `diff` against a scripted fake CloudFormation (the `aws` module's
//! traits): realistic per-resource event sequences (including a rollback), no-change detection,
//! dependents skipped after a failure, approval without a terminal, concurrency, failed
//! creations deleted first, role fallback.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::Cursor;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cdk_cli::app_exec::Session;
use cdk_cli::aws::{
    AssetStore, AwsError, AwsProvider, AwsResult, CallerIdentity, ChangeSetInfo, ChangeSetRequest,
    ChangeSetType, Clients, CloudFormation, ParameterValue, Ssm, StackEvent, StackInfo,
};
use cdk_cli::cli::{Cli, Command};
use cdk_cli::commands::{deploy::Deploy, destroy::Destroy, diff::Diff, InFlight, Terminal};
use clap::Parser;
use serde_json::{json, Value};

/// One scripted event: (logical ID, resource type, status, reason).
type Step = (&'static str, &'static str, &'static str, &'static str);

#[derive(Default)]
struct State {
    stacks: HashMap<String, StackInfo>,
    templates: HashMap<String, String>,
    change_sets: HashMap<String, (ChangeSetRequest, ChangeSetInfo)>,
    /// Scripted events per stack, replayed after ExecuteChangeSet / DeleteStack, two per poll.
    scripts: HashMap<String, Vec<Step>>,
    pending: HashMap<String, VecDeque<Step>>,
    events: HashMap<String, Vec<StackEvent>>,
    next_event: u64,
    calls: Vec<String>,
    /// Change sets reporting "no changes".
    empty_change_sets: HashSet<String>,
    active: usize,
    max_active: usize,
    outputs: HashMap<String, Vec<(String, String)>>,
}

#[derive(Clone, Default)]
struct Fake {
    state: Arc<Mutex<State>>,
    /// Roles that cannot be assumed.
    unassumable: Arc<HashSet<String>>,
    /// Time each change set takes to create (to overlap concurrent stacks).
    delay: Duration,
}

impl Fake {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    fn calls(&self) -> Vec<String> {
        self.with(|s| s.calls.clone())
    }

    fn script(&self, stack: &str, steps: Vec<Step>) {
        self.with(|s| s.scripts.insert(stack.to_string(), steps));
    }

    fn deployed(&self, stack: &str, status: &str, template: &Value) {
        self.with(|s| {
            s.stacks.insert(
                stack.into(),
                StackInfo {
                    stack_id: format!(
                        "arn:aws:cloudformation:us-east-1:111111111111:stack/{stack}/1"
                    ),
                    stack_name: stack.into(),
                    status: status.into(),
                    ..Default::default()
                },
            );
            s.templates.insert(stack.into(), template.to_string());
        });
    }
}

impl State {
    fn push_event(&mut self, stack: &str, step: Step) {
        self.next_event += 1;
        let event = StackEvent {
            event_id: format!("e{}", self.next_event),
            logical_id: step.0.to_string(),
            physical_id: None,
            resource_type: step.1.to_string(),
            status: step.2.to_string(),
            reason: (!step.3.is_empty()).then(|| step.3.to_string()),
            timestamp: 1_700_000_000 + self.next_event as i64,
        };
        self.events
            .entry(stack.into())
            .or_default()
            .insert(0, event);
        if step.1 == "AWS::CloudFormation::Stack" {
            if let Some(info) = self.stacks.get_mut(stack) {
                info.status = step.2.to_string();
                info.status_reason = (!step.3.is_empty()).then(|| step.3.to_string());
            }
        }
    }
}

impl CloudFormation for Fake {
    fn describe_stack(&self, name: &str) -> AwsResult<Option<StackInfo>> {
        self.with(|s| {
            // Each poll releases the next two scripted events.
            if let Some(queue) = s.pending.get_mut(name) {
                let batch: Vec<Step> = (0..2).filter_map(|_| queue.pop_front()).collect();
                let done = queue.is_empty();
                for step in batch {
                    s.push_event(name, step);
                }
                if done {
                    s.pending.remove(name);
                    let status = s
                        .stacks
                        .get(name)
                        .map(|i| i.status.clone())
                        .unwrap_or_default();
                    if !status.ends_with("_IN_PROGRESS") {
                        s.active = s.active.saturating_sub(1);
                        s.calls.push(format!("Finished {name} {status}"));
                    }
                    if status == "DELETE_COMPLETE" {
                        s.stacks.remove(name);
                    }
                }
            }
            let mut info = s.stacks.get(name).cloned();
            if let Some(i) = info.as_mut() {
                i.outputs = s.outputs.get(name).cloned().unwrap_or_default();
            }
            Ok(info)
        })
    }

    fn get_template(&self, name: &str) -> AwsResult<Option<String>> {
        self.with(|s| {
            s.calls.push(format!("GetTemplate {name}"));
            Ok(s.stacks
                .contains_key(name)
                .then(|| s.templates[name].clone()))
        })
    }

    fn create_change_set(&self, r: &ChangeSetRequest) -> AwsResult<()> {
        self.with(|s| {
            let mode = if r.revert_drift { " REVERT_DRIFT" } else { "" };
            s.calls.push(format!("CreateChangeSet {} {:?}{mode}", r.stack_name, r.change_set_type));
            s.active += 1;
            s.max_active = s.max_active.max(s.active);
            if r.change_set_type == ChangeSetType::Create {
                s.stacks.insert(
                    r.stack_name.clone(),
                    StackInfo {
                        stack_id: format!("arn:aws:cloudformation:us-east-1:111111111111:stack/{}/2", r.stack_name),
                        stack_name: r.stack_name.clone(),
                        status: "REVIEW_IN_PROGRESS".into(),
                        ..Default::default()
                    },
                );
            }
            let empty = s.empty_change_sets.contains(&r.stack_name);
            let info = ChangeSetInfo {
                status: if empty { "FAILED" } else { "CREATE_COMPLETE" }.into(),
                status_reason: empty.then(|| {
                    "The submitted information didn't contain changes. Submit different information to create a change set.".to_string()
                }),
                execution_status: Some("AVAILABLE".into()),
                change_count: s.scripts.get(&r.stack_name).map_or(1, |steps| {
                    steps
                        .iter()
                        .filter(|st| st.1 != "AWS::CloudFormation::Stack")
                        .map(|st| st.0)
                        .collect::<HashSet<_>>()
                        .len()
                }),
            };
            s.change_sets.insert(r.stack_name.clone(), (r.clone(), info));
        });
        std::thread::sleep(self.delay);
        Ok(())
    }

    fn describe_change_set(&self, stack: &str, _name: &str) -> AwsResult<Option<ChangeSetInfo>> {
        self.with(|s| Ok(s.change_sets.get(stack).map(|c| c.1.clone())))
    }

    fn delete_change_set(&self, stack: &str, _name: &str) -> AwsResult<()> {
        self.with(|s| {
            if s.change_sets.remove(stack).is_some() {
                s.calls.push(format!("DeleteChangeSet {stack}"));
                if s.empty_change_sets.contains(stack) {
                    s.active = s.active.saturating_sub(1);
                }
            }
            Ok(())
        })
    }

    fn execute_change_set(&self, stack: &str, _name: &str) -> AwsResult<()> {
        self.with(|s| {
            s.calls.push(format!("ExecuteChangeSet {stack}"));
            let (request, _) = s
                .change_sets
                .remove(stack)
                .ok_or_else(|| AwsError::new("ChangeSetNotFound", "no change set"))?;
            if let cdk_cli::aws::TemplateSource::Body(body) = &request.template {
                s.templates.insert(stack.into(), body.clone());
            }
            let steps = s.scripts.get(stack).cloned().unwrap_or_else(|| {
                let create = request.change_set_type == ChangeSetType::Create;
                let (a, b) = if create {
                    ("CREATE_IN_PROGRESS", "CREATE_COMPLETE")
                } else {
                    ("UPDATE_IN_PROGRESS", "UPDATE_COMPLETE")
                };
                vec![
                    (
                        leak(stack),
                        "AWS::CloudFormation::Stack",
                        a,
                        "User Initiated",
                    ),
                    (leak(stack), "AWS::CloudFormation::Stack", b, ""),
                ]
            });
            if let Some(info) = s.stacks.get_mut(stack) {
                info.parameters = request
                    .parameters
                    .iter()
                    .filter_map(|(k, v)| match v {
                        ParameterValue::Value(v) => Some((k.clone(), v.clone())),
                        ParameterValue::UsePrevious => None,
                    })
                    .collect();
                info.tags = request.tags.clone();
            }
            s.pending.insert(stack.into(), steps.into());
            Ok(())
        })
    }

    fn stack_events(&self, stack: &str, stop_at: Option<&str>) -> AwsResult<Vec<StackEvent>> {
        self.with(|s| {
            let all = s.events.get(stack).cloned().unwrap_or_default();
            Ok(all
                .into_iter()
                .take_while(|e| Some(e.event_id.as_str()) != stop_at)
                .collect())
        })
    }

    fn latest_event_id(&self, stack: &str) -> AwsResult<Option<String>> {
        self.with(|s| {
            Ok(s.events
                .get(stack)
                .and_then(|e| e.first())
                .map(|e| e.event_id.clone()))
        })
    }

    fn delete_stack(&self, stack: &str, role: Option<&str>) -> AwsResult<()> {
        self.with(|s| {
            s.calls
                .push(format!("DeleteStack {stack} role={}", role.unwrap_or("-")));
            s.active += 1;
            s.pending.insert(
                stack.into(),
                VecDeque::from(vec![
                    (
                        leak(stack),
                        "AWS::CloudFormation::Stack",
                        "DELETE_IN_PROGRESS",
                        "User Initiated",
                    ),
                    (
                        leak(stack),
                        "AWS::CloudFormation::Stack",
                        "DELETE_COMPLETE",
                        "",
                    ),
                ]),
            );
            Ok(())
        })
    }

    fn set_termination_protection(&self, stack: &str, enabled: bool) -> AwsResult<()> {
        self.with(|s| {
            s.calls
                .push(format!("TerminationProtection {stack} {enabled}"));
            if let Some(i) = s.stacks.get_mut(stack) {
                i.termination_protection = enabled;
            }
            Ok(())
        })
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

impl AssetStore for Fake {
    fn object_exists(&self, _bucket: &str, _key: &str) -> AwsResult<bool> {
        Ok(true)
    }
    fn put_object(&self, _bucket: &str, _key: &str, _body: Vec<u8>) -> AwsResult<()> {
        Ok(())
    }
}

impl Ssm for Fake {
    fn get_parameter(&self, _name: &str) -> AwsResult<Option<String>> {
        Ok(Some("30".into()))
    }
}

impl AwsProvider for Fake {
    fn default_region(&self) -> Option<String> {
        Some("us-east-1".into())
    }
    fn caller_identity(&self) -> AwsResult<CallerIdentity> {
        Ok(CallerIdentity {
            account: "111111111111".into(),
            arn: "arn:aws:iam::111111111111:user/test".into(),
        })
    }
    fn clients(&self, _region: &str, role: Option<&str>) -> AwsResult<Clients> {
        if let Some(r) = role {
            if self.unassumable.contains(r) {
                return Err(AwsError::new(
                    "AccessDenied",
                    format!("not authorized to assume {r}"),
                ));
            }
            self.with(|s| s.calls.push(format!("Assume {r}")));
        }
        let me = Arc::new(self.clone());
        Ok(Clients {
            cloudformation: me.clone(),
            s3: me.clone(),
            ssm: me,
        })
    }
}

/// A stack of the test assembly: (id, dependencies, template).
fn assembly(dir: &Path, stacks: &[(&str, &[&str], Value)]) {
    let mut artifacts = serde_json::Map::new();
    for (id, deps, template) in stacks {
        std::fs::write(
            dir.join(format!("{id}.template.json")),
            serde_json::to_string_pretty(template).unwrap(),
        )
        .unwrap();
        let mut metadata = serde_json::Map::new();
        for logical in template["Resources"]
            .as_object()
            .into_iter()
            .flat_map(|r| r.keys())
        {
            // `Handler886CB40B` → construct `Handler` (the logical ID without its 8-digit hash).
            let hashed = logical.len() > 8
                && logical[logical.len() - 8..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
            let name = if hashed {
                &logical[..logical.len() - 8]
            } else {
                logical.as_str()
            };
            metadata.insert(
                format!("/{id}/{name}/Resource"),
                json!([{"type": "aws:cdk:logicalId", "data": logical}]),
            );
        }
        artifacts.insert(
            id.to_string(),
            json!({
                "type": "aws:cloudformation:stack",
                "environment": "aws://111111111111/us-east-1",
                "dependencies": deps,
                "metadata": metadata,
                "properties": {
                    "templateFile": format!("{id}.template.json"),
                    "assumeRoleArn": "arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-us-east-1",
                    "cloudFormationExecutionRoleArn": "arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1",
                    "terminationProtection": *id == "Db"
                },
                "displayName": id
            }),
        );
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&json!({"version": "55.0.0", "artifacts": artifacts}))
            .unwrap(),
    )
    .unwrap();
}

fn bucket_template(tag: &str) -> Value {
    json!({"Resources": {"Bucket83908E77": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "v", "Value": tag}]}}}})
}

fn api_template() -> Value {
    json!({
        "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
        "Resources": {
            "Role1ABCC5F0": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
            "Handler886CB40B": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12"}}
        },
        "Outputs": {"Url": {"Value": "https://example.invalid"}}
    })
}

fn broadening_template() -> Value {
    json!({"Resources": {"Policy": {"Type": "AWS::IAM::Policy", "Properties": {
        "PolicyName": "p", "Roles": ["r"],
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    }}}})
}

struct Outcome {
    result: Result<u8, String>,
    out: String,
    err: String,
}

fn run(fake: &Fake, dir: &Path, args: &[&str], interactive: bool, answer: &str) -> Outcome {
    let mut argv = vec!["rcdk"];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--app", dir.to_str().unwrap()]);
    let cli = Cli::try_parse_from(argv).expect("arguments parse");
    let session = Session::in_dir(dir);
    let mut input = Cursor::new(answer.as_bytes().to_vec());
    let mut terminal = Terminal::scripted(&mut input, interactive);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = match &cli.command {
        Command::Deploy(a) => Deploy { args: a }.run_with(
            &cli.global,
            &session,
            fake,
            &mut terminal,
            &InFlight::default(),
            &mut out,
            &mut err,
        ),
        Command::Destroy(a) => Destroy { args: a }.run_with(
            &cli.global,
            &session,
            fake,
            &mut terminal,
            &mut out,
            &mut err,
        ),
        Command::Diff(a) => Diff { args: a }.run_with(
            &cli.global,
            &session,
            Some(fake as &dyn AwsProvider),
            &mut out,
            &mut err,
        ),
        other => panic!("unexpected command {other:?}"),
    }
    .map_err(|e| e.to_string());
    let o = Outcome {
        result,
        out: anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string(),
        err: String::from_utf8(err).unwrap(),
    };
    eprintln!(
        "--- rcdk {}\n{}{}{:?}",
        args.join(" "),
        o.out,
        o.err,
        o.result
    );
    o
}

const ROLLBACK: [Step; 9] = [
    ("Api", "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated"),
    ("Role1ABCC5F0", "AWS::IAM::Role", "CREATE_IN_PROGRESS", ""),
    ("Role1ABCC5F0", "AWS::IAM::Role", "CREATE_COMPLETE", ""),
    ("Handler886CB40B", "AWS::Lambda::Function", "CREATE_IN_PROGRESS", ""),
    ("Handler886CB40B", "AWS::Lambda::Function", "CREATE_FAILED", "Resource handler returned message: \"Runtime python3.12 is not enabled in this account\""),
    ("Api", "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Handler886CB40B]. Rollback requested by user."),
    ("Handler886CB40B", "AWS::Lambda::Function", "DELETE_COMPLETE", ""),
    ("Role1ABCC5F0", "AWS::IAM::Role", "DELETE_COMPLETE", ""),
    ("Api", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", ""),
];

#[test]
fn progress_lines_and_a_rollback_are_reported_with_construct_paths() {
    let dir = tempfile::tempdir().unwrap();
    assembly(dir.path(), &[("Api", &[], api_template())]);
    let fake = Fake::default();
    fake.script("Api", ROLLBACK.to_vec());
    let r = run(
        &fake,
        dir.path(),
        &["deploy", "--require-approval", "never"],
        false,
        "",
    );
    let err = r.result.unwrap_err();
    assert!(
        err.contains(
            "deployment failed for Api (Api/Handler/Resource: Resource handler returned message"
        ),
        "{err}"
    );
    // Progress: done/total (the changes plus the stack, as cdk counts), status, type and
    // construct path per event.
    assert!(r.err.contains("Api | 1/3 | "), "{}", r.err);
    assert!(r.err.contains("| CREATE_COMPLETE              | AWS::IAM::Role                 | Api/Role/Resource (Role1ABCC5F0)"), "{}", r.err);
    assert!(r.err.contains("CREATE_FAILED"), "{}", r.err);
    // The failure report: the resource, its reason, and the rollback.
    assert!(
        r.err.contains("❌ Api failed (ROLLBACK_COMPLETE)"),
        "{}",
        r.err
    );
    assert!(r.err.contains("  Api/Handler/Resource (Handler886CB40B) AWS::Lambda::Function CREATE_FAILED: Resource handler returned message: \"Runtime python3.12 is not enabled in this account\""), "{}", r.err);
    assert!(
        r.err.contains("Api was rolled back (ROLLBACK_COMPLETE)"),
        "{}",
        r.err
    );
    // Plain output: no ANSI sequences when not on a terminal.
    assert!(!r.err.contains('\x1b'), "{:?}", r.err);
    // The execution role and capabilities went into the change set.
    let calls = fake.calls();
    assert!(calls.contains(&"Assume arn:aws:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-us-east-1".to_string()), "{calls:?}");
}

#[test]
fn a_failed_creation_is_deleted_before_the_stack_is_created_again() {
    let dir = tempfile::tempdir().unwrap();
    assembly(dir.path(), &[("Api", &[], api_template())]);
    let fake = Fake::default();
    fake.deployed("Api", "ROLLBACK_COMPLETE", &api_template());
    fake.with(|s| {
        s.outputs.insert(
            "Api".into(),
            vec![("Url".into(), "https://example.invalid".into())],
        )
    });
    let r = run(
        &fake,
        dir.path(),
        &[
            "deploy",
            "--require-approval",
            "never",
            "--parameters",
            "Api:Stage=prod",
        ],
        false,
        "",
    );
    assert_eq!(r.result, Ok(0));
    assert!(r.err.contains("stack is ROLLBACK_COMPLETE (its creation failed); deleting it before creating it again"), "{}", r.err);
    let calls = fake.calls();
    let delete = calls
        .iter()
        .position(|c| {
            c.starts_with(
                "DeleteStack Api role=arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role",
            )
        })
        .expect("deleted");
    let create = calls
        .iter()
        .position(|c| c == "CreateChangeSet Api Create")
        .expect("created");
    assert!(delete < create, "{calls:?}");
    assert!(r.out.contains("Api.Url = "), "{}", r.out);
    let params = fake.with(|s| s.stacks["Api"].parameters.clone());
    assert_eq!(params.get("Stage").map(String::as_str), Some("prod"));
}

#[test]
fn unchanged_stacks_are_detected_with_and_without_a_change_set() {
    let dir = tempfile::tempdir().unwrap();
    assembly(dir.path(), &[("Db", &[], bucket_template("a"))]);
    let fake = Fake::default();
    fake.deployed("Db", "UPDATE_COMPLETE", &bucket_template("a"));
    fake.with(|s| s.stacks.get_mut("Db").unwrap().termination_protection = true);
    // Same template: no change set at all.
    let r = run(&fake, dir.path(), &["deploy"], false, "");
    assert_eq!(r.result, Ok(0));
    assert!(r.err.contains("✅ Db: no changes"), "{}", r.err);
    assert!(
        !fake
            .calls()
            .iter()
            .any(|c| c.starts_with("CreateChangeSet")),
        "{:?}",
        fake.calls()
    );
    // --force: the change set is created, reports no changes, and is deleted, not executed.
    fake.with(|s| s.empty_change_sets.insert("Db".into()));
    let r = run(&fake, dir.path(), &["deploy", "--force"], false, "");
    assert_eq!(r.result, Ok(0));
    assert!(
        r.err
            .contains("no changes (the change set was empty and has been deleted)"),
        "{}",
        r.err
    );
    let calls = fake.calls();
    assert!(
        calls.contains(&"CreateChangeSet Db Update".to_string()),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"DeleteChangeSet Db".to_string()),
        "{calls:?}"
    );
    assert!(
        !calls.iter().any(|c| c.starts_with("ExecuteChangeSet")),
        "{calls:?}"
    );
}

/// `--revert-drift` (cdk's): a drift-aware change set even when the template is unchanged, and
/// only for a stack that exists.
#[test]
fn revert_drift_always_creates_a_drift_aware_change_set() {
    let dir = tempfile::tempdir().unwrap();
    assembly(
        dir.path(),
        &[
            ("Db", &[], bucket_template("a")),
            ("New", &[], bucket_template("n")),
        ],
    );
    let fake = Fake::default();
    fake.deployed("Db", "UPDATE_COMPLETE", &bucket_template("a"));
    let r = run(
        &fake,
        dir.path(),
        &["deploy", "--all", "--revert-drift"],
        false,
        "",
    );
    assert_eq!(r.result, Ok(0), "{}", r.err);
    let calls = fake.calls();
    assert!(
        calls.contains(&"CreateChangeSet Db Update REVERT_DRIFT".to_string()),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"CreateChangeSet New Create".to_string()),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"ExecuteChangeSet Db".to_string()),
        "{calls:?}"
    );
    // Not with a hotswap (which introduces drift).
    let cli = cdk_cli::cli::Cli::try_parse_from(["rcdk", "deploy", "--hotswap", "--revert-drift"]);
    assert!(cli.is_err());
}

#[test]
fn dependents_of_a_failed_stack_are_skipped_and_independent_ones_deploy() {
    let dir = tempfile::tempdir().unwrap();
    assembly(
        dir.path(),
        &[
            ("Db", &[], bucket_template("a")),
            ("Api", &["Db"], api_template()),
            ("Web", &[], bucket_template("w")),
        ],
    );
    let fake = Fake::default();
    fake.script(
        "Db",
        vec![
            (
                "Db",
                "AWS::CloudFormation::Stack",
                "CREATE_IN_PROGRESS",
                "User Initiated",
            ),
            (
                "Bucket83908E77",
                "AWS::S3::Bucket",
                "CREATE_FAILED",
                "Bucket name already exists",
            ),
            (
                "Db",
                "AWS::CloudFormation::Stack",
                "ROLLBACK_IN_PROGRESS",
                "",
            ),
            ("Db", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", ""),
        ],
    );
    let out_file = dir.path().join("out/outputs.json");
    let r = run(
        &fake,
        dir.path(),
        &[
            "deploy",
            "--all",
            "--require-approval",
            "never",
            "-O",
            out_file.to_str().unwrap(),
        ],
        false,
        "",
    );
    let err = r.result.unwrap_err();
    assert!(
        err.contains("Db (Db/Bucket/Resource: Bucket name already exists)"),
        "{err}"
    );
    assert!(
        err.contains("Api (skipped: it depends on Db, which did not deploy)"),
        "{err}"
    );
    assert!(r.err.contains("✋ Api: skipped"), "{}", r.err);
    let calls = fake.calls();
    assert!(
        !calls.iter().any(|c| c.contains("ChangeSet Api")),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"ExecuteChangeSet Web".to_string()),
        "{calls:?}"
    );
    let outputs: Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert!(
        outputs.get("Web").is_some() && outputs.get("Db").is_none(),
        "{outputs}"
    );
}

#[test]
fn broadening_changes_need_a_yes_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    assembly(dir.path(), &[("Iam", &[], broadening_template())]);
    let fake = Fake::default();
    // No terminal: refused before anything is created.
    let r = run(&fake, dir.path(), &["deploy"], false, "");
    let err = r.result.unwrap_err();
    assert!(err.contains("Iam has IAM-broadening changes"), "{err}");
    assert!(err.contains("there is no terminal to ask on"), "{err}");
    assert!(r.err.contains("IAM Statement Changes"), "{}", r.err);
    assert!(!fake
        .calls()
        .iter()
        .any(|c| c.starts_with("CreateChangeSet")));
    // On a terminal, "n" aborts and "y" deploys.
    let r = run(&fake, dir.path(), &["deploy"], true, "n\n");
    assert!(r.result.unwrap_err().contains("not approved"));
    assert!(!fake
        .calls()
        .iter()
        .any(|c| c.starts_with("CreateChangeSet")));
    let r = run(&fake, dir.path(), &["deploy"], true, "y\n");
    assert_eq!(r.result, Ok(0));
    assert!(
        r.err.contains("Do you wish to deploy them (y/n)?"),
        "{}",
        r.err
    );
    // --require-approval never: no question.
    let r = run(
        &fake,
        dir.path(),
        &["deploy", "--require-approval", "never", "--force"],
        false,
        "",
    );
    assert_eq!(r.result, Ok(0));
    // any-change asks for a non-IAM change too.
    let dir2 = tempfile::tempdir().unwrap();
    assembly(dir2.path(), &[("Db", &[], bucket_template("b"))]);
    let r = run(
        &fake,
        dir2.path(),
        &["deploy", "--require-approval", "any-change"],
        false,
        "",
    );
    assert!(r
        .result
        .unwrap_err()
        .contains("Db has changes that need approval (--require-approval any-change)"));
}

#[test]
fn concurrency_deploys_independent_stacks_together_and_respects_dependencies() {
    for (concurrency, expected) in [("1", 1), ("2", 2)] {
        let dir = tempfile::tempdir().unwrap();
        assembly(
            dir.path(),
            &[
                ("A", &[], bucket_template("a")),
                ("B", &[], bucket_template("b")),
                ("C", &[], bucket_template("c")),
                ("D", &["A"], bucket_template("d")),
            ],
        );
        let fake = Fake {
            delay: Duration::from_millis(60),
            ..Default::default()
        };
        let r = run(
            &fake,
            dir.path(),
            &[
                "deploy",
                "--all",
                "--require-approval",
                "never",
                "--concurrency",
                concurrency,
            ],
            false,
            "",
        );
        assert_eq!(r.result, Ok(0));
        assert_eq!(
            fake.with(|s| s.max_active),
            expected,
            "concurrency {concurrency}"
        );
        let calls = fake.calls();
        let a_done = calls
            .iter()
            .position(|c| c == "Finished A CREATE_COMPLETE")
            .expect("A done");
        let d_start = calls
            .iter()
            .position(|c| c == "CreateChangeSet D Create")
            .expect("D started");
        assert!(a_done < d_start, "{calls:?}");
    }
}

#[test]
fn a_role_that_cannot_be_assumed_falls_back_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    assembly(dir.path(), &[("Db", &[], bucket_template("a"))]);
    let role = "arn:aws:iam::111111111111:role/cdk-hnb659fds-deploy-role-111111111111-us-east-1";
    let fake = Fake {
        unassumable: Arc::new([role.to_string()].into()),
        ..Default::default()
    };
    let r = run(
        &fake,
        dir.path(),
        &[
            "deploy",
            "--require-approval",
            "never",
            "--tags",
            "team=core",
        ],
        false,
        "",
    );
    assert_eq!(r.result, Ok(0));
    assert!(
        r.err.contains(&format!(
            "warning: cannot assume {role} (AccessDenied: not authorized"
        )),
        "{}",
        r.err
    );
    assert!(
        r.err.contains("deploying Db with the current credentials"),
        "{}",
        r.err
    );
    // Termination protection from the manifest, tags from the command line.
    assert!(fake
        .calls()
        .contains(&"TerminationProtection Db true".to_string()));
    assert_eq!(
        fake.with(|s| s.stacks["Db"].tags.clone()),
        BTreeMap::from([("team".to_string(), "core".to_string())])
    );
    // Destroying says what it does with the current credentials (it said "deploying").
    let r = run(&fake, dir.path(), &["destroy", "--force"], false, "");
    assert_eq!(r.result, Ok(0));
    assert!(
        r.err.contains("destroying Db with the current credentials"),
        "{}",
        r.err
    );
    assert!(!r.err.contains("deploying"), "{}", r.err);
}

#[test]
fn destroy_goes_in_reverse_dependency_order_and_diff_reads_the_deployed_template() {
    let dir = tempfile::tempdir().unwrap();
    assembly(
        dir.path(),
        &[
            ("Db", &[], bucket_template("new")),
            ("Api", &["Db"], api_template()),
        ],
    );
    let fake = Fake::default();
    fake.deployed("Db", "CREATE_COMPLETE", &bucket_template("old"));
    fake.deployed("Api", "CREATE_COMPLETE", &api_template());

    let r = run(&fake, dir.path(), &["diff", "--all"], false, "");
    assert_eq!(r.result, Ok(0));
    assert!(
        r.out.contains("[~] AWS::S3::Bucket Bucket83908E77"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("Stack Db (aws://"),
        "the header names the environment, as cdk's does: {}",
        r.out
    );
    assert!(
        r.out.contains("Number of stacks with differences: 1"),
        "{}",
        r.out
    );
    assert!(fake.calls().iter().any(|c| c == "GetTemplate Db"));

    // Without a terminal and --force, destroy refuses.
    let r = run(&fake, dir.path(), &["destroy", "Db"], false, "");
    assert!(r.result.unwrap_err().contains("rerun with --force"));
    // Selecting Db takes its dependent Api along, destroyed first.
    let r = run(&fake, dir.path(), &["destroy", "Db", "--force"], false, "");
    assert_eq!(r.result, Ok(0));
    let calls = fake.calls();
    let api = calls
        .iter()
        .position(|c| c.starts_with("DeleteStack Api"))
        .expect("Api deleted");
    let db = calls
        .iter()
        .position(|c| c.starts_with("DeleteStack Db"))
        .expect("Db deleted");
    assert!(api < db, "{calls:?}");
    assert!(
        r.err.contains("✅ Api: destroyed") && r.err.contains("✅ Db: destroyed"),
        "{}",
        r.err
    );
    // Nothing left: a second destroy says so.
    let r = run(
        &fake,
        dir.path(),
        &["destroy", "--all", "--force"],
        false,
        "",
    );
    assert_eq!(r.result, Ok(0));
    assert!(
        r.err
            .contains("stack Api does not exist; nothing to destroy"),
        "{}",
        r.err
    );
    // A deleted stack diffs as all new.
    let r = run(&fake, dir.path(), &["diff", "Db"], false, "");
    assert!(
        r.out.contains("[+] AWS::S3::Bucket Bucket83908E77"),
        "{}",
        r.out
    );
}

/// `assembly()` plus a nested assembly `assembly-Stage` (stage `Stage`) holding stack `Stage/B`
/// (stack name `Stage-B`) that depends on the root's `A`: a dependency across assemblies, as
/// other tools than aws-cdk-lib may write.
fn assembly_with_stage(dir: &Path) {
    assembly(dir, &[("A", &[], bucket_template("a"))]);
    let nested = dir.join("assembly-Stage");
    std::fs::create_dir_all(&nested).unwrap();
    assembly(&nested, &[("StageB1234ABCD", &["A"], bucket_template("b"))]);
    let edit = |path: &Path, f: &dyn Fn(&mut Value)| {
        let mut manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        f(&mut manifest);
        std::fs::write(path, manifest.to_string()).unwrap();
    };
    edit(&nested.join("manifest.json"), &|m| {
        let b = &mut m["artifacts"]["StageB1234ABCD"];
        b["displayName"] = json!("Stage/B");
        b["properties"]["stackName"] = json!("Stage-B");
    });
    edit(&dir.join("manifest.json"), &|m| {
        m["artifacts"]["assembly-Stage"] = json!({"type": "cdk:cloud-assembly",
            "properties": {"directoryName": "assembly-Stage", "displayName": "Stage"}});
    });
}

#[test]
fn stage_stacks_deploy_after_and_destroy_before_their_dependencies_in_other_assemblies() {
    let dir = tempfile::tempdir().unwrap();
    assembly_with_stage(dir.path());
    let fake = Fake {
        delay: Duration::from_millis(30),
        ..Default::default()
    };
    let args = ["deploy", "Stage/*", "--require-approval", "never"];
    let r = run(
        &fake,
        dir.path(),
        &[&args[..], &["--concurrency", "2"]].concat(),
        false,
        "",
    );
    assert_eq!(r.result, Ok(0), "{}", r.err);
    let calls = fake.calls();
    let a_done = calls
        .iter()
        .position(|c| c == "Finished A CREATE_COMPLETE")
        .expect("A deployed along");
    let b_start = calls
        .iter()
        .position(|c| c == "CreateChangeSet Stage-B Create")
        .expect("Stage/B deployed");
    assert!(a_done < b_start, "{calls:?}");

    // --exclusively: the stage's stack alone.
    let fake = Fake::default();
    let r = run(&fake, dir.path(), &[&args[..], &["-e"]].concat(), false, "");
    assert_eq!(r.result, Ok(0), "{}", r.err);
    let creates: Vec<String> = fake
        .calls()
        .into_iter()
        .filter(|c| c.starts_with("CreateChangeSet"))
        .collect();
    assert_eq!(creates, ["CreateChangeSet Stage-B Create"]);

    // Destroying A takes its dependent in the stage along, destroyed first.
    let fake = Fake::default();
    fake.deployed("A", "CREATE_COMPLETE", &bucket_template("a"));
    fake.deployed("Stage-B", "CREATE_COMPLETE", &bucket_template("b"));
    let r = run(&fake, dir.path(), &["destroy", "A", "--force"], false, "");
    assert_eq!(r.result, Ok(0), "{}", r.err);
    let calls = fake.calls();
    let b = calls
        .iter()
        .position(|c| c.starts_with("DeleteStack Stage-B"))
        .expect("Stage/B deleted");
    let a = calls
        .iter()
        .position(|c| c.starts_with("DeleteStack A"))
        .expect("A deleted");
    assert!(b < a, "{calls:?}");
}
