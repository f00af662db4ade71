//! Stages and nested assemblies, compared with aws-cdk-lib 2.276.0's build of the same tree
//! (`tests/fixtures/stages`: `reference-app/app.js` is the twin of [`reference_tree`]).

mod common;

use std::path::{Path, PathBuf};

use cdk_core::{
    App, AppProps, Asset, AssetProps, CfnResource, CfnResourceProps, Environment, IConstruct, Node,
    Stack, StackProps, Stage, StageProps, Tags, Value,
};
use serde_json::{json, Value as J};

const TOOLS: (&str, &str) = ("111111111111", "us-east-1");
const PROD: (&str, &str) = ("222222222222", "us-east-1");

fn fixture_dir() -> PathBuf {
    rcdk_tests::stages_fixture()
}

fn topic(scope: &impl IConstruct, id: &str) -> CfnResource {
    CfnResource::new(
        scope,
        id,
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    )
}

/// `ApplicationStage` of the reference app.
fn application_stage(scope: &impl IConstruct, id: &str, props: StageProps) -> Stage {
    let stage = Stage::new(scope, id, props);
    let app = Stack::new(&stage, "Application", StackProps::default());
    let t = topic(&app, "Topic");
    let code = Asset::new(
        &app,
        "Code",
        AssetProps {
            path: fixture_dir().join("../reference-app/asset"),
            ..Default::default()
        },
    );
    let bucket = CfnResource::new(
        &app,
        "Bucket",
        CfnResourceProps {
            resource_type: "AWS::S3::Bucket".into(),
            properties: [(
                "Tags".to_string(),
                Value::list([Value::object([
                    ("Key", Value::from("code")),
                    ("Value", Value::from(code.object_key())),
                ])]),
            )]
            .into(),
        },
    );
    code.add_resource_metadata(&bucket, "Tags");
    let consumer = Stack::new(&stage, "Consumer", StackProps::default());
    CfnResource::new(
        &consumer,
        "Queue",
        CfnResourceProps {
            resource_type: "AWS::SQS::Queue".into(),
            properties: [("QueueName".to_string(), Value::from(t.ref_()))].into(),
        },
    );
    stage
}

/// The construct tree of `reference-app/app.js`.
fn reference_tree(outdir: Option<&Path>) -> App {
    let app = App::with_props(AppProps {
        context: [
            ("aws:cdk:enable-path-metadata".to_string(), json!(true)),
            ("aws:cdk:enable-asset-metadata".to_string(), json!(true)),
            (
                "@aws-cdk/core:includePrefixInUniqueNameGeneration".to_string(),
                json!(true),
            ),
        ]
        .into(),
        outdir: outdir.map(Path::to_path_buf),
    });
    let pipeline = Stack::new(
        &app,
        "PipelineStack",
        StackProps {
            env: Some(Environment::new(TOOLS.0, TOOLS.1)),
            ..Default::default()
        },
    );
    topic(&pipeline, "PipelineTopic");
    application_stage(
        &pipeline,
        "Dev",
        StageProps {
            env: Some(Environment::new(TOOLS.0, TOOLS.1)),
            stage_name: Some("dev".into()),
            ..Default::default()
        },
    );
    application_stage(
        &pipeline,
        "Prod",
        StageProps {
            env: Some(Environment::new(PROD.0, PROD.1)),
            stage_name: Some("prod".into()),
            ..Default::default()
        },
    );

    let beta = Stage::new(&app, "Beta", StageProps::default());
    let web = Stack::new(&beta, "Web", StackProps::default());
    topic(&web, "Topic");
    let group = Node::new(&beta, "Group");
    let grouped = Stack::new(&group, "Grouped", StackProps::default());
    topic(&grouped, "Topic");
    grouped.add_dependency(&web, "Grouped after Web");
    let long_scope = Node::new(
        &beta,
        "AConstructWithAnIdLongEnoughToPushTheGeneratedStackNamePastTheLimit",
    );
    let long = Stack::new(
        &long_scope,
        "AndAStackWhoseOwnIdIsLongAsWellSoTheNameIsCutInTheMiddle",
        StackProps::default(),
    );
    topic(&long, "Topic");
    let inner = Stage::new(
        &beta,
        "Inner",
        StageProps {
            stage_name: Some("in".into()),
            ..Default::default()
        },
    );
    let deep = Stack::new(
        &inner,
        "Deep",
        StackProps {
            env: Some(Environment {
                account: None,
                region: Some("eu-west-1".into()),
            }),
            ..Default::default()
        },
    );
    topic(&deep, "Topic");

    Tags::of(&app).add("owner", "app");
    Tags::of(&beta).add("stage", "beta");
    app
}

fn read(dir: &Path, file: &str) -> J {
    common::read_json(&dir.join(file))
}

/// The parts of a manifest the comparison looks at: per artifact its ID, type and what
/// identifies it (nested assemblies' directory and display names; stacks' environment, display
/// name, stack name, template file, tags, roles and dependencies).
fn manifest_summary(dir: &Path) -> Vec<J> {
    let manifest = read(dir, "manifest.json");
    let mut out = Vec::new();
    for (id, artifact) in manifest["artifacts"].as_object().unwrap() {
        let ty = artifact["type"].as_str().unwrap();
        let p = &artifact["properties"];
        out.push(match ty {
            "cdk:cloud-assembly" => json!({"id": id, "type": ty, "properties": p}),
            "aws:cloudformation:stack" => json!({
                "id": id,
                "type": ty,
                "environment": artifact["environment"],
                "displayName": artifact["displayName"],
                "dependencies": artifact["dependencies"],
                "stackName": p["stackName"],
                "templateFile": p["templateFile"],
                "tags": p["tags"],
                "assumeRoleArn": p["assumeRoleArn"],
                "cloudFormationExecutionRoleArn": p["cloudFormationExecutionRoleArn"],
                "lookupRole": p["lookupRole"],
                "additionalDependencies": p["additionalDependencies"],
                // Key order as written.
                "propertyKeys": p.as_object().unwrap().keys().collect::<Vec<_>>(),
            }),
            _ => json!({"id": id, "type": ty}),
        });
    }
    out
}

/// Every assembly directory below `dir` (itself first), from the cloud-assembly artifacts.
fn assembly_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let manifest = read(dir, "manifest.json");
    for artifact in manifest["artifacts"].as_object().unwrap().values() {
        if artifact["type"] == "cdk:cloud-assembly" {
            let name = artifact["properties"]["directoryName"].as_str().unwrap();
            out.extend(assembly_dirs(&dir.join(name)));
        }
    }
    out
}

/// The reference app's asset hash (aws-cdk-lib 2.276's fingerprint of reference-app/asset),
/// which rcdk computes too.
const ASSET_HASH: &str = "d51e804001c780457c7dae6f4398d7150081576a88673f26493fe9923b3068a3";

/// `value` with SHA-256 hex strings other than [`ASSET_HASH`] (template hashes: the
/// template files are equal as JSON, not byte for byte) replaced by `<hash>` and
/// asset-destination suffixes (a hash of the destination) by `<dest>`.
fn masked(value: &J) -> J {
    let text = value.to_string().replace(ASSET_HASH, "<asset>");
    let sha = regex_lite(&text, 64, "<hash>").replace("<asset>", ASSET_HASH);
    let masked = mask_dest_suffixes(&sha);
    serde_json::from_str(&masked).unwrap()
}

/// Replaces every run of exactly `len` lowercase hex digits with `with`.
fn regex_lite(text: &str, len: usize, with: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            .count();
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if run == len && boundary {
            out.push_str(with);
            i += run;
        } else if run > 0 {
            out.push_str(&text[i..i + run]);
            i += run;
        } else {
            out.push(bytes[i] as char);
            i += 1;
        }
    }
    out
}

/// `"<env>-<8 hex>":` destination keys become `"<env>-<dest>":`.
fn mask_dest_suffixes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find("\":") {
        let (head, tail) = rest.split_at(pos);
        let suffix_ok = head.len() >= 9
            && head.as_bytes()[head.len() - 9] == b'-'
            && head[head.len() - 8..]
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if suffix_ok {
            out.push_str(&head[..head.len() - 8]);
            out.push_str("<dest>");
        } else {
            out.push_str(head);
        }
        out.push_str("\":");
        rest = &tail[2..];
    }
    out.push_str(rest);
    out
}

fn logical_ids(template: &J) -> J {
    let sections = ["Resources", "Outputs", "Parameters", "Rules", "Conditions"];
    J::Object(
        sections
            .iter()
            .filter_map(|s| {
                let keys: Vec<&String> = template.get(*s)?.as_object()?.keys().collect();
                Some((s.to_string(), json!(keys)))
            })
            .collect(),
    )
}

#[test]
fn manifests_and_logical_ids_equal_aws_cdk_libs() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("cdk.out");
    reference_tree(Some(&out)).synth().unwrap();
    if let Some(keep) = std::env::var_os("RCDK_KEEP_STAGES_OUT") {
        let _ = std::fs::remove_dir_all(&keep);
        std::process::Command::new("cp")
            .arg("-r")
            .arg(&out)
            .arg(&keep)
            .status()
            .unwrap();
    }
    let reference = fixture_dir();
    let ours = assembly_dirs(&out);
    let theirs = assembly_dirs(&reference);
    let rel = |dirs: &[PathBuf], root: &Path| -> Vec<String> {
        dirs.iter()
            .map(|d| d.strip_prefix(root).unwrap().display().to_string())
            .collect()
    };
    assert_eq!(rel(&ours, &out), rel(&theirs, &reference));
    assert_eq!(ours.len(), 5, "root + Dev, Prod, Beta, Beta/Inner");
    for (mine, expected) in ours.iter().zip(&theirs) {
        let (a, b) = (manifest_summary(mine), manifest_summary(expected));
        // aws-cdk-lib adds a feature-flag report (left out of the fixture), rcdk does not.
        assert_eq!(a, b, "manifest of {}", mine.display());
        for artifact in a.iter().filter(|a| a["type"] == "aws:cloudformation:stack") {
            let file = artifact["templateFile"].as_str().unwrap();
            let (t1, t2) = (read(mine, file), read(expected, file));
            assert_eq!(logical_ids(&t1), logical_ids(&t2), "{file}");
            // Equal as JSON (key order aside) once template hashes are masked; the asset
            // hash is aws-cdk-lib's.
            assert_eq!(masked(&t1), masked(&t2), "{file} (whole template)");
            let assets = format!("{}.assets.json", artifact["id"].as_str().unwrap());
            assert_eq!(
                masked(&read(mine, &assets)),
                masked(&read(expected, &assets)),
                "{assets}"
            );
        }
    }
    // The staged asset is shared: in the root only, once.
    let staged: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("asset."))
        .collect();
    assert_eq!(staged, [format!("asset.{ASSET_HASH}")]);
    assert!(out.join(&staged[0]).join("index.js").is_file());
    common::validate_assembly(&out, true);
}

/// `(path, kind, child IDs)` of every stage and stack of a `tree.json`, in pre-order.
fn stage_and_stack_nodes(tree: &J) -> Vec<(String, String, Vec<String>)> {
    fn walk(node: &J, out: &mut Vec<(String, String, Vec<String>)>) {
        let fqn = node["constructInfo"]["fqn"].as_str().unwrap_or("");
        let kind = fqn.rsplit('.').next().unwrap_or("");
        let children = node["children"].as_object();
        if kind == "Stage" || kind == "Stack" {
            let ids = match (kind, children) {
                // A stage's children are the same constructs in both; a stack's differ by the
                // implementation details of assets.
                ("Stage", Some(c)) => c.keys().cloned().collect(),
                _ => Vec::new(),
            };
            out.push((node["path"].as_str().unwrap().to_string(), kind.into(), ids));
        }
        for child in children.into_iter().flat_map(|c| c.values()) {
            walk(child, out);
        }
    }
    let mut out = Vec::new();
    walk(&tree["tree"], &mut out);
    out
}

#[test]
fn tree_json_holds_the_stages_as_aws_cdk_lib_writes_them() {
    let (_dir, assembly) = common::synth(&reference_tree(None));
    let ours = read(&assembly.directory, "tree.json");
    let theirs = read(&fixture_dir(), "tree.json");
    let nodes = stage_and_stack_nodes(&ours);
    assert_eq!(nodes, stage_and_stack_nodes(&theirs));
    assert!(nodes
        .iter()
        .any(|(p, k, c)| p == "Beta" && k == "Stage" && c.len() == 4));
    // Only the root assembly has a tree (and a Tree artifact).
    assert!(!assembly.directory.join("assembly-Beta/tree.json").exists());
    let nested = read(&assembly.directory, "assembly-Beta/manifest.json");
    assert!(nested["artifacts"].get("Tree").is_none());
}

#[test]
fn the_cloud_assembly_lists_nested_assemblies_and_their_stacks() {
    let (_dir, assembly) = common::synth(&reference_tree(None));
    let dirs: Vec<(&str, &str, &str)> = assembly
        .nested_assemblies
        .iter()
        .map(|n| {
            (
                n.directory.as_str(),
                n.display_name.as_str(),
                n.stage_name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        dirs,
        [
            ("assembly-PipelineStack-Dev", "PipelineStack/Dev", "dev"),
            ("assembly-PipelineStack-Prod", "PipelineStack/Prod", "prod"),
            ("assembly-Beta", "Beta", "Beta"),
            ("assembly-Beta/assembly-Beta-Inner", "Beta/Inner", "Beta-in"),
        ]
    );
    let deep = assembly.stack("Beta-in-Deep").unwrap();
    assert_eq!(deep.assembly_directory, "assembly-Beta/assembly-Beta-Inner");
    assert_eq!(
        deep.template_path_in_root(),
        "assembly-Beta/assembly-Beta-Inner/BetaInnerDeepEB57DF2D.template.json"
    );
    assert_eq!(
        deep.environment,
        Environment {
            account: None,
            region: Some("eu-west-1".into())
        }
    );
    let names: Vec<&str> = assembly
        .stacks_in("assembly-PipelineStack-Dev")
        .iter()
        .map(|s| s.stack_name.as_str())
        .collect();
    assert_eq!(names, ["dev-Application", "dev-Consumer"]);
    assert_eq!(assembly.stacks_in("").len(), 1);
    assert!(assembly
        .directory
        .join(deep.template_path_in_root())
        .is_file());
}

fn errors_of(app: &App) -> Vec<String> {
    match app.synth_in_memory() {
        Ok(_) => Vec::new(),
        Err(e) => e.to_string().lines().map(str::to_string).collect(),
    }
}

#[test]
fn stages_give_their_stacks_environment_and_name() {
    let app = App::new();
    let outer = Stage::new(
        &app,
        "Outer",
        StageProps {
            env: Some(Environment {
                account: Some("111111111111".into()),
                region: None,
            }),
            ..Default::default()
        },
    );
    let inner = Stage::new(
        &outer,
        "Inner",
        StageProps {
            env: Some(Environment {
                account: None,
                region: Some("eu-west-1".into()),
            }),
            stage_name: Some("in".into()),
            ..Default::default()
        },
    );
    assert_eq!(inner.stage_name(), "Outer-in");
    assert_eq!(
        inner.environment(),
        Environment::new("111111111111", "eu-west-1")
    );
    assert_eq!(inner.parent_stage(), Some(outer.clone()));
    assert_eq!(inner.artifact_id(), "assembly-Outer-Inner");
    assert_eq!(
        inner.assembly_directory(),
        "assembly-Outer/assembly-Outer-Inner"
    );
    let own = Stack::new(
        &inner,
        "Own",
        StackProps {
            env: Some(Environment {
                account: Some("222222222222".into()),
                region: None,
            }),
            ..Default::default()
        },
    );
    assert_eq!(
        own.environment(),
        Environment::new("222222222222", "eu-west-1")
    );
    assert_eq!(own.stack_name(), "Outer-in-Own");
    assert_eq!(own.stage(), Some(inner.clone()));
    assert_eq!(
        own.assembly_directory(),
        "assembly-Outer/assembly-Outer-Inner"
    );
    let named = Stack::new(
        &inner,
        "Named",
        StackProps {
            stack_name: Some("explicit".into()),
            ..Default::default()
        },
    );
    assert_eq!(named.stack_name(), "explicit");
    assert_eq!(inner.stacks(), vec![own.clone(), named]);
    assert_eq!(outer.nested_stages(), vec![inner.clone()]);
    assert!(outer.stacks().is_empty());
    let top = Stack::new(&app, "Top", StackProps::default());
    assert_eq!(Stage::of(&top), None);
    assert_eq!(top.assembly_directory(), "");
    assert!(Stage::is_stage(&inner) && !Stage::is_stage(&top));
    // A construct of a stage outside its stacks has no stack.
    let loose = Node::new(&outer, "Loose");
    assert_eq!(Stack::of(&loose), None);
}

#[test]
fn a_resource_outside_the_stages_stacks_is_refused() {
    let app = App::new();
    let pipeline = Stack::new(&app, "PipelineStack", StackProps::default());
    topic(&pipeline, "Topic");
    let stage = Stage::new(&pipeline, "Dev", StageProps::default());
    topic(&stage, "Stray");
    let errors = errors_of(&app);
    assert!(
        errors.iter().any(|e| e.contains(
            "[PipelineStack/Dev/Stray] CloudFormation elements must be defined inside a Stack"
        )),
        "{errors:?}"
    );
}

#[test]
fn references_across_stages_are_refused_naming_both_stacks() {
    // The three cases of aws-cdk-lib's message: stage → app, app → stage, stage → stage.
    let app = App::new();
    let shared = Stack::new(&app, "Shared", StackProps::default());
    let t = topic(&shared, "Topic");
    let dev = Stage::new(&app, "Dev", StageProps::default());
    let consumer = Stack::new(&dev, "App", StackProps::default());
    CfnResource::new(
        &consumer,
        "Queue",
        CfnResourceProps {
            resource_type: "AWS::SQS::Queue".into(),
            properties: [("QueueName".to_string(), Value::from(t.ref_()))].into(),
        },
    );
    let message = app.synth_in_memory().unwrap_err().to_string();
    assert!(
        message.contains("You cannot have a dependency from 'Dev/App' (in Stage 'Dev') to 'Shared' (in the App): dependency cannot cross stage boundaries"),
        "{message}"
    );
    assert!(message.contains("'Shared/Topic'"), "{message}");
    // Nothing was added to the producer.
    assert!(shared.node().try_find_child("Exports").is_none());

    let app = App::new();
    let a = Stage::new(&app, "A", StageProps::default());
    let b = Stage::new(&app, "B", StageProps::default());
    let producer = Stack::new(&a, "P", StackProps::default());
    let t = topic(&producer, "Topic");
    let consumer = Stack::new(&b, "C", StackProps::default());
    CfnResource::new(
        &consumer,
        "Queue",
        CfnResourceProps {
            resource_type: "AWS::SQS::Queue".into(),
            properties: [("QueueName".to_string(), Value::from(t.ref_()))].into(),
        },
    );
    let message = app.synth_in_memory().unwrap_err().to_string();
    assert!(
        message.contains(
            "You cannot have a dependency from 'B/C' (in Stage 'B') to 'A/P' (in Stage 'A')"
        ),
        "{message}"
    );
}

#[test]
fn dependencies_across_stages_are_refused() {
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    topic(&s, "Topic");
    let a = Stage::new(&app, "A", StageProps::default());
    let t = Stack::new(&a, "T", StackProps::default());
    topic(&t, "Topic");
    t.add_dependency(&s, "T after S");
    let errors = errors_of(&app);
    assert!(
        errors.iter().any(|e| e.contains("[A/T] You cannot have a dependency from 'A/T' (in Stage 'A') to 'S' (in the App): dependency cannot cross stage boundaries (T after S)")),
        "{errors:?}"
    );
    // Construct-level dependencies too.
    let app = App::new();
    let s = Stack::new(&app, "S", StackProps::default());
    let first = topic(&s, "Topic");
    let a = Stage::new(&app, "A", StageProps::default());
    let t = Stack::new(&a, "T", StackProps::default());
    let second = topic(&t, "Topic");
    second.node().add_dependency(&first);
    let errors = errors_of(&app);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("from 'A/T' (in Stage 'A') to 'S' (in the App)")),
        "{errors:?}"
    );
}

#[test]
fn invalid_stage_ids_outdir_and_environments_are_reported() {
    let app = App::new();
    Stage::new(&app, "bad name", StageProps::default());
    Stage::new(&app, "9lives", StageProps::default());
    Stage::new(
        &app,
        "WithOutdir",
        StageProps {
            outdir: Some("elsewhere".into()),
            ..Default::default()
        },
    );
    Stage::new(
        &app,
        "BadRegion",
        StageProps {
            env: Some(Environment {
                account: None,
                region: Some("Mars 1".into()),
            }),
            ..Default::default()
        },
    );
    let ok = Stage::new(&app, "ok_stage.v2-x", StageProps::default());
    topic(&Stack::new(&ok, "S", StackProps::default()), "Topic");
    let errors = errors_of(&app);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("[bad name] invalid stage name \"bad name\"")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("[9lives] invalid stage name")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("[WithOutdir] \"outdir\" cannot be specified for nested stages")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("[BadRegion] invalid region 'Mars 1'")),
        "{errors:?}"
    );
    // A valid stage ID, but its stacks' default names are not valid stack names (as in
    // aws-cdk-lib, whose stack-name rule allows only letters, digits and hyphens).
    assert!(
        !errors
            .iter()
            .any(|e| e.contains("invalid stage name \"ok_stage")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("[ok_stage.v2-x/S] invalid stack name 'ok_stage.v2-x-S'")),
        "{errors:?}"
    );
}

#[test]
fn long_generated_names_need_the_prefix_flag_as_in_aws_cdk_lib() {
    // Without @aws-cdk/core:includePrefixInUniqueNameGeneration the stage prefix comes on top of
    // a 128-character unique name, which aws-cdk-lib (and rcdk) refuse.
    let app = App::new();
    let beta = Stage::new(&app, "Beta", StageProps::default());
    let scope = Node::new(
        &beta,
        "AConstructWithAnIdLongEnoughToPushTheGeneratedStackNamePastTheLimit",
    );
    let long = Stack::new(
        &scope,
        "AndAStackWhoseOwnIdIsLongAsWellSoTheNameIsCutInTheMiddle",
        StackProps::default(),
    );
    assert_eq!(long.stack_name().len(), 128 + "Beta-".len());
    let errors = errors_of(&app);
    assert!(
        errors.iter().any(|e| e.contains("invalid stack name")),
        "{errors:?}"
    );
}

#[test]
fn aspects_and_tags_stop_at_stage_boundaries() {
    use std::cell::RefCell;
    use std::rc::Rc;
    struct Record(RefCell<Vec<String>>);
    impl cdk_core::Aspect for Record {
        fn visit(&self, node: &Node) {
            self.0.borrow_mut().push(node.path());
        }
    }
    let app = App::new();
    let top = Stack::new(&app, "Top", StackProps::default());
    topic(&top, "Topic");
    let stage = Stage::new(&top, "Dev", StageProps::default());
    let inside = Stack::new(&stage, "Inside", StackProps::default());
    topic(&inside, "Topic");
    let from_app = Rc::new(Record(RefCell::new(Vec::new())));
    let from_stage = Rc::new(Record(RefCell::new(Vec::new())));
    cdk_core::Aspects::of(&app).add(from_app.clone());
    cdk_core::Aspects::of(&stage).add(from_stage.clone());
    app.synth_in_memory().unwrap();
    let app_saw = from_app.0.borrow().clone();
    assert!(app_saw.contains(&"Top/Topic".to_string()), "{app_saw:?}");
    assert!(
        !app_saw.iter().any(|p| p.starts_with("Top/Dev")),
        "{app_saw:?}"
    );
    let stage_saw = from_stage.0.borrow().clone();
    assert_eq!(
        stage_saw[..3],
        ["Top/Dev", "Top/Dev/Inside", "Top/Dev/Inside/Topic"]
    );
}

#[test]
fn policy_validation_sees_the_stacks_of_nested_assemblies() {
    use cdk_core::validation::{
        PolicyValidationContext, PolicyValidationPlugin, PolicyValidationPluginReport,
        PolicyViolatingResource, PolicyViolation, Severity, Validations,
    };
    use std::rc::Rc;
    struct NoTopics;
    impl PolicyValidationPlugin for NoTopics {
        fn name(&self) -> &str {
            "NoTopics"
        }
        fn validate(
            &self,
            ctx: &PolicyValidationContext<'_>,
        ) -> Result<PolicyValidationPluginReport, String> {
            let mut v = PolicyViolation::new("T1", "no topics", Severity::Error);
            for stack in &ctx.stacks {
                for (id, r) in stack.resources() {
                    if r["Type"] == "AWS::SNS::Topic" {
                        v.violating_resources
                            .push(PolicyViolatingResource::in_template(
                                &stack.template_path,
                                id,
                                ["Type"],
                            ));
                    }
                }
            }
            Ok(PolicyValidationPluginReport::from_violations(vec![v]))
        }
    }
    let app = reference_tree(None);
    Validations::of(&app).add_plugin(Rc::new(NoTopics));
    let Err(cdk_core::Error::PolicyValidation(report)) = app.synth_in_memory() else {
        panic!("validation must fail");
    };
    let mut paths: Vec<String> = report
        .findings()
        .iter()
        .filter_map(|f| f.construct_path.clone())
        .collect();
    paths.sort();
    assert!(
        paths.contains(&"Beta/Inner/Deep/Topic".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"PipelineStack/Prod/Application/Topic".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"PipelineStack/PipelineTopic".to_string()),
        "{paths:?}"
    );
    assert_eq!(paths.len(), 7, "{paths:?}");
}
