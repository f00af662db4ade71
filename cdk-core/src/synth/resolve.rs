//! Resolution of [`Value`]s into CloudFormation JSON inside one stack, including cross-stack
//! references (exports and `Fn::ImportValue`, or published outputs and `Fn::GetStackOutput`).

use std::collections::HashMap;

use serde_json::{json, Value as J};

use std::cell::RefCell;
use std::rc::Rc;

use crate::cfn::{CfnOutput, CfnOutputProps, CfnResource, CfnResourceProps};
use crate::construct::{IConstruct, Node};
use crate::error::{Error, Result};
use crate::logical_id::make_unique_id;
use crate::names::Names;
use crate::references::{strength_of, ReferenceStrength, DEFAULT_CROSS_STACK_REFERENCES};
use crate::resolve::{ResolveBackend, ResolveContext};
use crate::stack::Stack;
use crate::token::{RefKind, Reference, Str, Value};

const MAX_LAZY_DEPTH: usize = 64;
const MAX_EXPORT_NAME: usize = 255;
/// String lists cross stacks joined with this delimiter (as aws-cdk-lib does).
const LIST_DELIMITER: &str = "||";
/// The producer's scope of the outputs weak references read (and of the cross-account reader
/// role), as in aws-cdk-lib.
const PUBLISH_SCOPE: &str = "Publish";
const READER_ROLE_ID: &str = "GetStackOutputRole";
const READER_POLICY_ID: &str = "GetStackOutputPolicy";

/// Shared state of one synthesis run.
pub(crate) struct SynthState {
    pub(crate) root: Node,
    /// Element node -> logical ID.
    pub(crate) logical_ids: HashMap<usize, String>,
    /// (stack, logical ID) -> element path, to report duplicates.
    pub(crate) taken_ids: HashMap<(usize, String), String>,
    /// Element node -> its stack.
    pub(crate) stack_of: HashMap<usize, usize>,
    /// (producer stack, resolved JSON) -> export name.
    pub(crate) exports: HashMap<(usize, String), String>,
    /// Elements created during resolution (exports) that still need rendering.
    pub(crate) pending: Vec<usize>,
    /// Every element created during resolution (rendered again in a later pass).
    pub(crate) exports_created: Vec<usize>,
    /// (consumer stack, producer stack, reason).
    pub(crate) stack_deps: Vec<(usize, usize, String)>,
    /// Every lazy value produced, with the element it was produced for and what it produced
    /// (in order).
    pub(crate) lazies: Vec<(crate::token::Lazy, usize, Value)>,
}

impl SynthState {
    /// Records an element's logical ID, failing on a duplicate within its stack.
    pub(crate) fn assign_logical_id(
        &mut self,
        element: usize,
        stack: usize,
        id: String,
    ) -> Result<()> {
        let path = self.root.tree().borrow().path_of(element);
        // Recorded even when taken, so references to the element resolve (one error, not two).
        self.logical_ids.insert(element, id.clone());
        self.stack_of.insert(element, stack);
        if let Some(first) = self.taken_ids.get(&(stack, id.clone())) {
            if *first != path {
                return Err(Error::DuplicateLogicalId {
                    stack: self.root.tree().borrow().path_of(stack),
                    logical_id: id,
                    first: first.clone(),
                    second: path,
                });
            }
        }
        self.taken_ids.insert((stack, id), path);
        Ok(())
    }
}

/// Where references resolve to: synthesis (logical IDs allocated, cross-stack exports) or a
/// standalone resolution before synthesis ([`crate::resolve()`]).
pub(crate) enum Mode<'a> {
    Synth(&'a mut SynthState),
    Standalone {
        root: Node,
        /// Logical IDs computed so far (element -> ID), per resolution.
        ids: HashMap<usize, String>,
        /// Render references to another stack of the same environment as the
        /// `Fn::ImportValue` the synthesized template will hold (without creating the export).
        imports: bool,
        /// Stacks of the elements referenced from another stack (recorded in every
        /// standalone resolution; read by [`referenced_stacks`]).
        producers: Vec<usize>,
    },
}

/// Resolves values owned by one element (or scope) of one stack.
pub(crate) struct Resolver<'a> {
    pub(crate) mode: Mode<'a>,
    pub(crate) stack: Option<usize>,
    pub(crate) owner: usize,
    /// The property path being resolved (for messages of nested resolutions).
    current: Vec<String>,
    /// The first problem of a nested resolution (from a lazy value's context).
    nested_error: Option<Error>,
}

impl<'a> Resolver<'a> {
    /// A resolver for `owner`'s values in `stack`, during synthesis.
    pub(crate) fn synth(state: &'a mut SynthState, stack: usize, owner: usize) -> Self {
        Resolver {
            mode: Mode::Synth(state),
            stack: Some(stack),
            owner,
            current: Vec::new(),
            nested_error: None,
        }
    }

    /// The synthesis state (synth mode only).
    pub(crate) fn state(&mut self) -> &mut SynthState {
        match &mut self.mode {
            Mode::Synth(state) => state,
            Mode::Standalone { .. } => unreachable!("the standalone resolver has no synth state"),
        }
    }

    fn root(&self) -> Node {
        match &self.mode {
            Mode::Synth(state) => state.root.clone(),
            Mode::Standalone { root, .. } => root.clone(),
        }
    }

    fn error(&self, property: &[String], message: impl Into<String>) -> Error {
        Error::Resolve {
            path: self.root().tree().borrow().path_of(self.owner),
            property: if property.is_empty() {
                "<value>".into()
            } else {
                property.join(".")
            },
            message: message.into(),
        }
    }

    /// Resolves `value`; `None` means "absent" (a `Null`), which callers drop.
    pub(crate) fn resolve(
        &mut self,
        value: &Value,
        property: &mut Vec<String>,
    ) -> Result<Option<J>> {
        self.resolve_depth(value, property, 0)
    }

    fn resolve_depth(
        &mut self,
        value: &Value,
        property: &mut Vec<String>,
        depth: usize,
    ) -> Result<Option<J>> {
        Ok(Some(match value {
            Value::Null => return Ok(None),
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Number(n.clone()),
            Value::String(s) => J::String(s.clone()),
            Value::Json(j) => (**j).clone(),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    property.push(i.to_string());
                    let r = self.resolve_depth(item, property, depth);
                    property.pop();
                    if let Some(v) = r? {
                        out.push(v);
                    }
                }
                J::Array(out)
            }
            Value::Map(map) => {
                let mut out = serde_json::Map::with_capacity(map.len());
                for (k, v) in map {
                    property.push(k.clone());
                    let r = self.resolve_depth(v, property, depth);
                    property.pop();
                    if let Some(v) = r? {
                        out.insert(k.clone(), v);
                    }
                }
                J::Object(out)
            }
            Value::Pseudo(p) => json!({ "Ref": p.name() }),
            Value::Lazy(lazy) => {
                if depth >= MAX_LAZY_DEPTH {
                    return Err(self.error(property, "lazy value keeps producing lazy values"));
                }
                let saved = std::mem::replace(&mut self.current, property.clone());
                let produced = {
                    let mut ctx = ResolveContext { backend: self };
                    lazy.produce(&mut ctx)
                };
                self.current = saved;
                if let Some(e) = self.nested_error.take() {
                    return Err(e);
                }
                let r = self.resolve_depth(&produced, property, depth + 1);
                let owner = self.owner;
                if let Mode::Synth(state) = &mut self.mode {
                    state.lazies.push((lazy.clone(), owner, produced));
                }
                return r;
            }
            Value::Concat(parts) => {
                let mut resolved = Vec::with_capacity(parts.len());
                for part in parts {
                    if let Some(v) = self.resolve_depth(part, property, depth)? {
                        resolved.push(v);
                    }
                }
                minimal_join(resolved)
            }
            Value::Ref(reference) => self.resolve_reference(reference, property)?,
        }))
    }

    fn resolve_reference(&mut self, reference: &Reference, property: &[String]) -> Result<J> {
        let target = reference.idx;
        let root = self.root();
        let same_tree = std::rc::Weak::ptr_eq(&reference.tree, &root.tree);
        if !same_tree {
            return Err(self.error(property, "the referenced construct belongs to another app"));
        }
        let target_path = root.tree().borrow().path_of(target);
        let logical_id = match &mut self.mode {
            Mode::Synth(state) => state.logical_ids.get(&target).cloned(),
            Mode::Standalone { ids, .. } => match ids.get(&target) {
                Some(id) => Some(id.clone()),
                None => {
                    let id = allocated_logical_id(&root.at(target));
                    if let Some(id) = &id {
                        ids.insert(target, id.clone());
                    }
                    id
                }
            },
        };
        let Some(logical_id) = logical_id else {
            return Err(self.error(
                property,
                format!("'{target_path}' is not a CloudFormation element inside a stack, so it cannot be referenced"),
            ));
        };
        let local = match &reference.kind {
            RefKind::Ref => json!({ "Ref": logical_id }),
            RefKind::GetAtt(attr) => json!({ "Fn::GetAtt": [logical_id, attr] }),
            // A logical ID is a plain string wherever it is used (e.g. another stack's
            // parameter name in a pipeline's parameter overrides), as in aws-cdk-lib.
            RefKind::LogicalId => return Ok(J::String(logical_id)),
        };
        let consumer = self.stack;
        let producer = match &mut self.mode {
            Mode::Synth(state) => state.stack_of[&target],
            Mode::Standalone {
                root,
                imports,
                producers,
                ..
            } => {
                let producer = root.tree().borrow().stack_of(target);
                let Some(producer) = producer else {
                    return Ok(local);
                };
                if Some(producer) != consumer && !producers.contains(&producer) {
                    producers.push(producer);
                }
                if !*imports {
                    return Ok(local);
                }
                producer
            }
        };
        if Some(producer) == self.stack {
            return Ok(local);
        }
        if matches!(self.mode, Mode::Standalone { .. }) {
            return Ok(self.predicted_import(producer, reference, local));
        }
        self.import_from(producer, &target_path, reference, local)
    }

    /// What synthesis will render for a reference to `producer` (see
    /// [`resolve_with_imports`]): the `Fn::ImportValue` of a strong reference or the
    /// `Fn::GetStackOutput` of a weak one between stacks of one environment; the local
    /// reference when the stacks' environments differ.
    fn predicted_import(&self, producer: usize, reference: &Reference, local: J) -> J {
        let Some(consumer) = self.stack else {
            return local;
        };
        let root = self.root();
        let (producer_name, producer_region) = {
            let tree_rc = root.tree();
            let tree = tree_rc.borrow();
            if tree.stack_data(consumer).env != tree.stack_data(producer).env {
                return local;
            }
            let data = tree.stack_data(producer);
            (data.stack_name.clone(), data.env.region.clone())
        };
        let key_json = serde_json::to_string(&local).unwrap_or_default();
        // An invalid flag is synthesis's error to report; predict the default meanwhile.
        let strength = strength_of(&root.at(reference.idx), &root.at(consumer))
            .unwrap_or(ReferenceStrength::Strong);
        let read = match strength {
            ReferenceStrength::Strong => {
                let (export_name, _) = export_name_for(&producer_name, &key_json);
                json!({ "Fn::ImportValue": export_name })
            }
            ReferenceStrength::Weak | ReferenceStrength::Both => {
                let output_id = format!("Output{key_json}");
                let output_logical_id = make_unique_id(&[PUBLISH_SCOPE, output_id.as_str()]);
                get_stack_output(
                    &producer_name,
                    producer_region.as_deref(),
                    None,
                    &output_logical_id,
                )
            }
        };
        if reference.list {
            json!({ "Fn::Split": [LIST_DELIMITER, read] })
        } else {
            read
        }
    }

    /// Renders `local` (a Ref/GetAtt resolved in the producer) for the consumer stack as
    /// aws-cdk-lib's `resolveReferences` does: an export and its `Fn::ImportValue` (strong),
    /// an output read with `Fn::GetStackOutput` (weak; across regions and accounts too), or
    /// both (see [`crate::references`]).
    fn import_from(
        &mut self,
        producer: usize,
        target_path: &str,
        reference: &Reference,
        local: J,
    ) -> Result<J> {
        let consumer = self.stack.expect("synthesis resolves in a stack");
        let (consumer_env, producer_env, consumer_path, producer_path, producer_name) = {
            let tree_rc = self.state().root.tree();
            let tree = tree_rc.borrow();
            (
                tree.stack_data(consumer).env.clone(),
                tree.stack_data(producer).env.clone(),
                tree.path_of(consumer),
                tree.path_of(producer),
                tree.stack_data(producer).stack_name.clone(),
            )
        };
        let fail = |message: String| Error::CrossStackReference {
            consumer: consumer_path.clone(),
            producer: producer_path.clone(),
            target: target_path.to_string(),
            message,
        };
        let cross_stage = {
            let tree_rc = self.state().root.tree();
            let tree = tree_rc.borrow();
            super::nested::cross_stage_problem(&tree, consumer, producer)
        };
        if let Some(problem) = cross_stage {
            return Err(fail(format!(
                "{problem}; stages deploy independently, so pass the value explicitly (e.g. a parameter, SSM parameter or a known name) instead"
            )));
        }
        let root = self.state().root.clone();
        let consumer_node = root.at(consumer);
        let strength = strength_of(&root.at(reference.idx), &consumer_node).map_err(fail)?;
        warn_about_default_strength(&consumer_node);
        let key_json = serde_json::to_string(&local).unwrap_or_default();
        let needs_region = || {
            fail("Cross stack/region references are only supported for stacks with an explicit region defined.".into())
        };

        if consumer_env.account != producer_env.account {
            // Across accounts references are always weak: the producer publishes the value and
            // trusts the consumer's CloudFormation execution role to read it. aws-cdk-lib adds
            // no stack dependency here (the stacks deploy with different credentials).
            if strength == ReferenceStrength::Strong {
                add_warning_once(
                    &consumer_node,
                    &format!("Strong references requested, but cross-account references can only be weak. Acknowledge this warning or set \"{DEFAULT_CROSS_STACK_REFERENCES}\" to \"weak\" to remove this message. [ack: @aws-cdk/core:crossAccountRefsAreAlwaysWeak]"),
                );
            }
            let (Some(_), Some(producer_account)) = (&consumer_env.account, &producer_env.account)
            else {
                return Err(fail("Cross-account references are only supported for stacks with an explicit account defined.".into()));
            };
            if consumer_env.region.is_none() || producer_env.region.is_none() {
                return Err(needs_region());
            }
            let reader_role_arn = {
                let tree_rc = root.tree();
                let tree = tree_rc.borrow();
                let env = crate::synthesizer::EnvPlaceholders::new(
                    consumer_env.account.as_deref(),
                    consumer_env.region.as_deref(),
                );
                tree.stack_data(consumer)
                    .synthesizer
                    .cfn_exec_role_arn(&env)
            };
            let reader = CrossAccountReader {
                reader_role_arn,
                producer_account: producer_account.clone(),
            };
            return self.read_stack_output(
                producer,
                &producer_name,
                &producer_env,
                &key_json,
                reference,
                Some(reader),
            );
        }
        let consumer_owner = root.tree().borrow().path_of(self.owner);
        let dependency = (
            consumer,
            producer,
            format!("{consumer_owner} references {target_path}"),
        );
        if consumer_env.region != producer_env.region {
            if consumer_env.region.is_none() || producer_env.region.is_none() {
                return Err(needs_region());
            }
            self.state().stack_deps.push(dependency);
            if strength != ReferenceStrength::Weak {
                return Err(fail(format!(
                    "a {} cross-region reference needs aws-cdk-lib's ExportWriter/ExportReader custom resources, which rcdk does not create; make it weak: set \"{DEFAULT_CROSS_STACK_REFERENCES}\" to \"weak\" in the consumer's context (cdk.json), or use CrossStackReferences::of(resource).produce(ReferenceStrength::Weak)",
                    strength.as_str()
                )));
            }
            return self.read_stack_output(
                producer,
                &producer_name,
                &producer_env,
                &key_json,
                reference,
                None,
            );
        }
        self.state().stack_deps.push(dependency);
        match strength {
            ReferenceStrength::Strong => {
                self.import_export(producer, &producer_name, &key_json, reference)
            }
            ReferenceStrength::Both => {
                self.import_export(producer, &producer_name, &key_json, reference)?;
                self.read_stack_output(
                    producer,
                    &producer_name,
                    &producer_env,
                    &key_json,
                    reference,
                    None,
                )
            }
            ReferenceStrength::Weak => self.read_stack_output(
                producer,
                &producer_name,
                &producer_env,
                &key_json,
                reference,
                None,
            ),
        }
    }

    /// Exports the reference from `producer` (once) and returns its `Fn::ImportValue`.
    fn import_export(
        &mut self,
        producer: usize,
        producer_name: &str,
        key_json: &str,
        reference: &Reference,
    ) -> Result<J> {
        let key = (producer, key_json.to_string());
        let export_name = match self.state().exports.get(&key) {
            Some(name) => name.clone(),
            None => {
                let name = self.create_export(producer, producer_name, key_json, reference)?;
                self.state().exports.insert(key, name.clone());
                name
            }
        };
        let import = json!({ "Fn::ImportValue": export_name });
        Ok(if reference.list {
            json!({ "Fn::Split": [LIST_DELIMITER, import] })
        } else {
            import
        })
    }

    /// Publishes the reference as an output of `producer` (`Publish/Output…`, once) and
    /// returns its `Fn::GetStackOutput`; across accounts with the producer's reader role.
    fn read_stack_output(
        &mut self,
        producer: usize,
        producer_name: &str,
        producer_env: &crate::stack::Environment,
        key_json: &str,
        reference: &Reference,
        reader: Option<CrossAccountReader>,
    ) -> Result<J> {
        let (scope, output) = shared_output(
            &self.state().root,
            producer,
            PUBLISH_SCOPE,
            key_json,
            reference,
            None,
        );
        let output_id = format!("Output{key_json}");
        let output_logical_id = make_unique_id(&[PUBLISH_SCOPE, output_id.as_str()]);
        self.register_created(output.idx, producer, &output_logical_id)?;
        let role_arn = match reader {
            Some(reader) => {
                let arn = self.reader_role(&scope, producer, producer_env, reader)?;
                let mut property = vec!["RoleArn".to_string()];
                self.resolve_depth(&arn.0, &mut property, 0)?
            }
            None => None,
        };
        let read = get_stack_output(
            producer_name,
            producer_env.region.as_deref(),
            role_arn,
            &output_logical_id,
        );
        Ok(if reference.list {
            json!({ "Fn::Split": [LIST_DELIMITER, read] })
        } else {
            read
        })
    }

    /// The producer's `Publish/GetStackOutputRole` (and its policy), created once and trusting
    /// every consumer role that reads through it; returns the role's ARN.
    fn reader_role(
        &mut self,
        scope: &Node,
        producer: usize,
        producer_env: &crate::stack::Environment,
        reader: CrossAccountReader,
    ) -> Result<Str> {
        let root = self.state().root.clone();
        let role = match scope.try_find_child(READER_ROLE_ID) {
            Some(role) => role,
            None => {
                let readers: Rc<RefCell<Vec<String>>> = Rc::default();
                let trusted = readers.clone();
                let principal = Value::lazy(move || {
                    let arns: Vec<Value> = trusted
                        .borrow()
                        .iter()
                        .map(|arn| Value::intrinsic("Fn::Sub", arn.as_str()))
                        .collect();
                    if arns.len() == 1 {
                        arns.into_iter().next().unwrap_or(Value::Null)
                    } else {
                        Value::List(arns)
                    }
                });
                let statement = Value::object([
                    ("Effect", Value::from("Allow")),
                    ("Principal", Value::object([("AWS", principal)])),
                    ("Action", Value::List(vec!["sts:AssumeRole".into()])),
                ]);
                let role = CfnResource::new(
                    scope,
                    READER_ROLE_ID,
                    CfnResourceProps {
                        resource_type: "AWS::IAM::Role".into(),
                        properties: [(
                            "AssumeRolePolicyDocument".to_string(),
                            Value::object([
                                ("Version", Value::from("2012-10-17")),
                                ("Statement", Value::List(vec![statement])),
                            ]),
                        )]
                        .into(),
                    },
                );
                let role_name = Names::unique_resource_name(&role, &name_options(64));
                role.add_property_override("RoleName", role_name.as_str());
                root.tree()
                    .borrow_mut()
                    .stack_output_readers
                    .insert(role.node().idx, readers);
                let role_node = role.node().clone();
                let role_logical_id = make_unique_id(&[PUBLISH_SCOPE, READER_ROLE_ID]);
                self.register_created(role_node.idx, producer, &role_logical_id)?;
                role_node
            }
        };
        let stack = Stack::from_node(&root.at(producer)).expect("the producer is a stack");
        if scope.try_find_child(READER_POLICY_ID).is_none() {
            let stack_arn = stack.format_arn(
                crate::arn::ArnComponents::new("cloudformation", "stack")
                    .with_name(format!("{}/*", stack.stack_name()))
                    .with_region(producer_env.region.clone().unwrap_or_default())
                    .with_account(reader.producer_account.clone()),
            );
            let policy = CfnResource::new(
                scope,
                READER_POLICY_ID,
                CfnResourceProps {
                    resource_type: "AWS::IAM::Policy".into(),
                    properties: [
                        (
                            "Roles".to_string(),
                            Value::List(vec![crate::cfn::ref_of(&role)]),
                        ),
                        (
                            "PolicyDocument".to_string(),
                            Value::object([
                                ("Version", Value::from("2012-10-17")),
                                (
                                    "Statement",
                                    Value::List(vec![Value::object([
                                        ("Effect", Value::from("Allow")),
                                        ("Action", Value::from("cloudformation:DescribeStacks")),
                                        ("Resource", stack_arn.0),
                                    ])]),
                                ),
                            ]),
                        ),
                    ]
                    .into(),
                },
            );
            let policy_name = Names::unique_resource_name(&policy, &name_options(128));
            policy.add_property_override("PolicyName", policy_name.as_str());
            let policy_logical_id = make_unique_id(&[PUBLISH_SCOPE, READER_POLICY_ID]);
            self.register_created(policy.node().idx, producer, &policy_logical_id)?;
        }
        let readers = root
            .tree()
            .borrow()
            .stack_output_readers
            .get(&role.idx)
            .cloned();
        if let Some(readers) = readers {
            let mut readers = readers.borrow_mut();
            if !readers.contains(&reader.reader_role_arn) {
                readers.push(reader.reader_role_arn.clone());
            }
        }
        let role_name = Names::unique_resource_name(&role, &name_options(64));
        Ok(stack.format_arn(
            crate::arn::ArnComponents::new("iam", "role")
                .with_name(role_name)
                .with_format(crate::arn::ArnFormat::SlashResourceName)
                .with_region("")
                .with_account(reader.producer_account),
        ))
    }

    /// Gives an element created during resolution its logical ID (once) and queues it for
    /// rendering.
    fn register_created(&mut self, element: usize, stack: usize, logical_id: &str) -> Result<()> {
        if !self.state().logical_ids.contains_key(&element) {
            self.state()
                .assign_logical_id(element, stack, logical_id.to_string())?;
            self.state().pending.push(element);
        }
        Ok(())
    }

    fn create_export(
        &mut self,
        producer: usize,
        producer_name: &str,
        key_json: &str,
        reference: &Reference,
    ) -> Result<String> {
        let (export_name, local_part) = export_name_for(producer_name, key_json);
        let (_, output) = shared_output(
            &self.state().root,
            producer,
            "Exports",
            key_json,
            reference,
            Some(&export_name),
        );
        self.register_created(output.idx, producer, &local_part)?;
        Ok(export_name)
    }
}

/// The output `Output<key_json>` sharing `reference` under `scope_id` (`Exports` or
/// `Publish`) of stack `producer`, created on first use (exported when `export_name` is
/// given); returns the scope and the output.
fn shared_output(
    root: &Node,
    producer: usize,
    scope_id: &str,
    key_json: &str,
    reference: &Reference,
    export_name: Option<&str>,
) -> (Node, Node) {
    let producer_node = root.at(producer);
    let scope = producer_node
        .try_find_child(scope_id)
        .unwrap_or_else(|| Node::new(&producer_node, scope_id));
    let output_id = format!("Output{key_json}");
    let output = scope.try_find_child(&output_id).unwrap_or_else(|| {
        CfnOutput::new(
            &scope,
            &output_id,
            CfnOutputProps {
                value: Str::from_value(shared_value(reference)),
                export_name: export_name.map(Str::from),
                ..Default::default()
            },
        )
        .node()
        .clone()
    });
    (scope, output)
}

/// The export name of a reference exported by stack `producer_name` (`key_json`: the local
/// reference's JSON), and the logical ID of its output.
fn export_name_for(producer_name: &str, key_json: &str) -> (String, String) {
    let output_id = format!("Output{key_json}");
    let local_part = make_unique_id(&["Exports", output_id.as_str()]);
    let prefix = format!("{producer_name}:");
    let skip = (local_part.len() + prefix.len()).saturating_sub(MAX_EXPORT_NAME);
    (format!("{prefix}{}", &local_part[skip..]), local_part)
}

/// The value a reference shares with other stacks: itself, or a string list joined with
/// [`LIST_DELIMITER`].
fn shared_value(reference: &Reference) -> Value {
    let local_value = Value::Ref(reference.clone());
    if reference.list {
        Value::intrinsic(
            "Fn::Join",
            Value::List(vec![LIST_DELIMITER.into(), local_value]),
        )
    } else {
        local_value
    }
}

/// `Fn::GetStackOutput` of output `output_name` of stack `stack_name` (its region: the
/// consumer's `AWS::Region` when the producer has none), keys in aws-cdk-lib's order.
fn get_stack_output(
    stack_name: &str,
    region: Option<&str>,
    role_arn: Option<J>,
    output_name: &str,
) -> J {
    let mut body = serde_json::Map::new();
    body.insert("StackName".into(), J::String(stack_name.to_string()));
    body.insert(
        "Region".into(),
        match region {
            Some(region) => J::String(region.to_string()),
            None => json!({ "Ref": "AWS::Region" }),
        },
    );
    if let Some(arn) = role_arn {
        body.insert("RoleArn".into(), arn);
    }
    body.insert("OutputName".into(), J::String(output_name.to_string()));
    json!({ "Fn::GetStackOutput": body })
}

/// The consumer side of a cross-account reference.
struct CrossAccountReader {
    /// The consumer's CloudFormation execution role (with `${AWS::Partition}`).
    reader_role_arn: String,
    /// The producer's account.
    producer_account: String,
}

fn name_options(max_length: usize) -> crate::names::UniqueResourceNameOptions {
    crate::names::UniqueResourceNameOptions {
        max_length,
        ..Default::default()
    }
}

/// aws-cdk-lib's once-per-app warning when the consumer's context configures no strength
/// (or the transitional `both`).
fn warn_about_default_strength(consumer: &Node) {
    if consumer.tree().borrow().reference_strength_warned {
        return;
    }
    let message = match ReferenceStrength::from_context(consumer) {
        Ok(None) => format!("No cross-stack-reference strength configured, defaulting to \"strong\". We recommend you set feature flag \"{DEFAULT_CROSS_STACK_REFERENCES}\" to \"both\", then deploy everywhere, then set it to \"weak\". Alternatively, set it to \"strong\" explicitly to lock in the current producer-protecting behavior. (See: https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/README.md#reference-strength) [ack: @aws-cdk/core:crossStackReferencesDefaultStrong]"),
        Ok(Some(ReferenceStrength::Both)) => format!("Feature flag \"{DEFAULT_CROSS_STACK_REFERENCES}\" currently set to \"both\". This is a transitory state. After you have finished deploying this application everywhere, set it to \"weak\". (See: https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/README.md#reference-strength) [ack: @aws-cdk/core:crossStackReferencesBothTransitional]"),
        _ => return,
    };
    consumer.tree().borrow_mut().reference_strength_warned = true;
    add_warning_once(consumer, &message);
}

/// Adds `message` as a warning of `node` unless it already has it (aws-cdk-lib's annotations
/// add a message once).
fn add_warning_once(node: &Node, message: &str) {
    let present = node
        .metadata()
        .iter()
        .any(|m| m.kind == "aws:cdk:warning" && m.data == J::String(message.to_string()));
    if !present {
        node.add_warning(message);
    }
}

/// Joins resolved string parts with the fewest `Fn::Join` elements: adjacent literals merged,
/// nested `Fn::Join ["", ...]` flattened, a single part returned as is.
fn minimal_join(parts: Vec<J>) -> J {
    let mut out: Vec<J> = Vec::new();
    let push = |out: &mut Vec<J>, part: J| match part {
        J::String(s) => {
            if s.is_empty() {
                return;
            }
            if let Some(J::String(last)) = out.last_mut() {
                last.push_str(&s);
            } else {
                out.push(J::String(s));
            }
        }
        other => out.push(other),
    };
    for part in parts {
        match part {
            J::Object(ref obj) if is_empty_join(obj) => {
                if let Some(J::Array(args)) = obj.get("Fn::Join") {
                    if let Some(J::Array(items)) = args.get(1) {
                        for item in items.clone() {
                            push(&mut out, item);
                        }
                    }
                }
            }
            J::Number(n) => push(&mut out, J::String(n.to_string())),
            J::Bool(b) => push(&mut out, J::String(b.to_string())),
            other => push(&mut out, other),
        }
    }
    match out.len() {
        0 => J::String(String::new()),
        1 => out.pop().unwrap_or_default(),
        _ => json!({ "Fn::Join": ["", out] }),
    }
}

fn is_empty_join(obj: &serde_json::Map<String, J>) -> bool {
    obj.len() == 1
        && matches!(obj.get("Fn::Join"), Some(J::Array(args)) if args.len() == 2 && args[0] == J::String(String::new()) && args[1].is_array())
}

impl ResolveBackend for Resolver<'_> {
    fn scope(&self) -> Node {
        self.root().at(self.owner)
    }

    fn stack(&self) -> Option<Stack> {
        let root = self.root();
        self.stack.and_then(|s| Stack::from_node(&root.at(s)))
    }

    fn resolve_nested(&mut self, value: &Value) -> Option<J> {
        if self.nested_error.is_some() {
            return None;
        }
        let mut property = self.current.clone();
        match self.resolve_depth(value, &mut property, 1) {
            Ok(v) => v,
            Err(e) => {
                self.nested_error = Some(e);
                None
            }
        }
    }

    fn fail(&mut self, message: String) {
        if self.nested_error.is_none() {
            let property = self.current.clone();
            self.nested_error = Some(self.error(&property, message));
        }
    }
}

/// The logical ID an element gets when logical IDs are allocated: its override, or the unique
/// ID of the construct IDs below its stack. `None` for non-elements or elements outside stacks.
pub(crate) fn allocated_logical_id(node: &Node) -> Option<String> {
    let tree_rc = node.tree();
    let tree = tree_rc.borrow();
    let element = tree.element(node.idx)?;
    if let Some(id) = &element.logical_id_override {
        return Some(id.clone());
    }
    let stack = tree.stack_of(node.idx)?;
    Some(make_unique_id(&super::ids_below(&tree, stack, node.idx)))
}

/// Produces `lazy` for `scope` as [`crate::resolve()`] would (nested resolutions are standalone).
pub(crate) fn produce_standalone(scope: &Node, lazy: &crate::token::Lazy) -> Value {
    let root = scope.root();
    let stack = scope.tree().borrow().stack_of(scope.idx);
    let mut resolver = Resolver {
        mode: Mode::Standalone {
            root,
            ids: HashMap::new(),
            imports: false,
            producers: Vec::new(),
        },
        stack,
        owner: scope.idx,
        current: Vec::new(),
        nested_error: None,
    };
    let mut ctx = ResolveContext {
        backend: &mut resolver,
    };
    lazy.produce(&mut ctx)
}

/// [`crate::resolve()`]: resolution in `scope`'s stack before (or outside) synthesis.
pub(crate) fn resolve_standalone(scope: &Node, value: &Value) -> Result<J> {
    resolve_standalone_with(scope, value, false)
}

/// [`crate::resolve::resolve_with_imports`].
pub(crate) fn resolve_with_imports(scope: &Node, value: &Value) -> Result<J> {
    resolve_standalone_with(scope, value, true)
}

fn resolve_standalone_with(scope: &Node, value: &Value, imports: bool) -> Result<J> {
    let root = scope.root();
    let stack = scope.tree().borrow().stack_of(scope.idx);
    let mut resolver = Resolver {
        mode: Mode::Standalone {
            root,
            ids: HashMap::new(),
            imports,
            producers: Vec::new(),
        },
        stack,
        owner: scope.idx,
        current: Vec::new(),
        nested_error: None,
    };
    Ok(resolver.resolve(value, &mut Vec::new())?.unwrap_or(J::Null))
}

/// The stacks whose elements the elements of `stack` reference (a `Ref`, `Fn::GetAtt` or
/// attribute of an element of another stack, in any property or lazy value), in the order
/// first met: the dependencies synthesis will add from references (aws-cdk-lib's
/// `resolveReferences`), known before synthesis. Values that fail to resolve are skipped (the
/// synthesis reports them).
pub(crate) fn referenced_stacks(stack: &Node) -> Vec<usize> {
    let root = stack.root();
    let mut found: Vec<usize> = Vec::new();
    for element in super::elements_of(&root, stack.idx) {
        for value in super::template::element_values(&root, element) {
            let mut resolver = Resolver {
                mode: Mode::Standalone {
                    root: root.clone(),
                    ids: HashMap::new(),
                    imports: false,
                    producers: Vec::new(),
                },
                stack: Some(stack.idx),
                owner: element,
                current: Vec::new(),
                nested_error: None,
            };
            let _ = resolver.resolve(&value, &mut Vec::new());
            if let Mode::Standalone { producers, .. } = resolver.mode {
                for p in producers {
                    if !found.contains(&p) {
                        found.push(p);
                    }
                }
            }
        }
    }
    found
}
