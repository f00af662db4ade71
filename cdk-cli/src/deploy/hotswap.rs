//! Hotswap deployments (`rcdk deploy --hotswap` / `--hotswap-fallback`, `rcdk watch`), as the
//! cdk CLI's: the difference between the deployed template and the new one is classified
//! resource by resource; the changes that can be applied through the services' own APIs
//! (Lambda function code and configuration with their versions and aliases, Step Functions
//! definitions, CodeBuild project source and environment) are, bypassing CloudFormation.
//! Everything else is reported; with `--hotswap-fallback` any such change makes the stack
//! deploy through a change set instead.
//!
//! [`plan`] is pure (template in, operations and rejections out, with an [`Evaluator`] for the
//! template's expressions); [`apply`] runs the operations through [`Hotswap`].

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use serde_json::{Map, Value};

use super::console::{Printer, BOLD, GREEN, RED};
use crate::aws::{FunctionCode, Hotswap};

/// How `deploy` uses hotswapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HotswapMode {
    /// Always a change-set deployment.
    #[default]
    FullDeployment,
    /// `--hotswap`: hotswap what can be; skip (and report) the rest.
    HotswapOnly,
    /// `--hotswap-fallback`: hotswap when everything can be, else deploy a change set.
    FallBack,
}

/// The two warnings the cdk CLI prints before a hotswap deployment.
pub const DRIFT_WARNINGS: [&str; 2] = [
    "⚠️ The --hotswap and --hotswap-fallback flags deliberately introduce CloudFormation drift to speed up deployments",
    "⚠️ They should only be used for development - never use them for your production Stacks!",
];

/// What a change that cannot be hotswapped is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A stack output.
    Output,
    /// A resource of this type, with the properties that cannot be hotswapped.
    Resource {
        /// The resource type.
        resource_type: String,
        /// The changed properties that cannot be hotswapped.
        rejected_properties: Vec<String>,
    },
}

/// A change that cannot be hotswapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The output's or resource's logical ID.
    pub logical_id: String,
    /// What it is.
    pub subject: Subject,
    /// Why it cannot be hotswapped.
    pub reason: String,
    /// Whether `--hotswap` (without fallback) lists it: additions, removals, type changes,
    /// unsupported resource types and outputs are listed only with `--hotswap-fallback`.
    pub shown_without_fallback: bool,
}

impl Rejected {
    fn resource(logical_id: &str, resource_type: &str, props: Vec<String>, reason: String) -> Self {
        Rejected {
            logical_id: logical_id.to_string(),
            subject: Subject::Resource {
                resource_type: resource_type.to_string(),
                rejected_properties: props,
            },
            reason,
            shown_without_fallback: false,
        }
    }

    /// The line the cdk CLI prints for it (without the indentation).
    pub fn message(&self) -> String {
        match &self.subject {
            Subject::Output => format!("output: {}, reason: {}", self.logical_id, self.reason),
            Subject::Resource {
                resource_type,
                rejected_properties,
            } if !rejected_properties.is_empty() => format!(
                "resource: {}, type: {resource_type}, rejected changes: {}, reason: {}",
                self.logical_id,
                rejected_properties.join(","),
                self.reason
            ),
            Subject::Resource { resource_type, .. } => format!(
                "resource: {}, type: {resource_type}, reason: {}",
                self.logical_id, self.reason
            ),
        }
    }
}

/// One resource an operation changes, as the progress lines name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// The logical ID.
    pub logical_id: String,
    /// How it is named: `AWS::Lambda::Function 'name'`, or a description for versions and
    /// aliases.
    pub label: String,
}

/// What one hotswap operation does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Lambda: new code and/or configuration, then a new version (and aliases moved to it)
    /// when versions of the function are in the template.
    Lambda {
        /// The function name.
        function: String,
        /// New code.
        code: Option<FunctionCode>,
        /// New description.
        description: Option<String>,
        /// New environment (`{"Variables": {...}}`).
        environment: Option<Value>,
        /// Whether to publish a version.
        publish_version: bool,
        /// Aliases to point at the new version.
        aliases: Vec<String>,
    },
    /// Step Functions UpdateStateMachine.
    StateMachine {
        /// The state machine ARN.
        arn: String,
        /// The new definition.
        definition: String,
    },
    /// CodeBuild UpdateProject.
    Project {
        /// The request body (`name` and the changed fields).
        request: Value,
    },
}

/// A hotswap operation: what it changes and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The service (`lambda`, `stepfunctions`, `codebuild`).
    pub service: &'static str,
    /// The resources it changes (for the progress lines).
    pub resources: Vec<Touched>,
    /// The calls.
    pub action: Action,
}

/// The classified difference of one stack.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// What can be hotswapped.
    pub operations: Vec<Operation>,
    /// What cannot.
    pub rejected: Vec<Rejected>,
}

/// A template expression that cannot be evaluated without CloudFormation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EvaluationError(pub String);

/// Evaluates template expressions the way CloudFormation would for the deployed stack: its
/// parameters, pseudo parameters and the physical IDs of its resources.
#[derive(Debug, Clone, Default)]
pub struct Evaluator {
    /// The new template.
    pub template: Value,
    /// Parameter values (given, previous or default).
    pub parameters: BTreeMap<String, String>,
    /// Physical IDs by logical ID (ListStackResources).
    pub physical_ids: BTreeMap<String, String>,
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// The partition.
    pub partition: String,
    /// The stack name.
    pub stack_name: String,
    /// The stack ID.
    pub stack_id: String,
}

fn fail<T>(message: impl Into<String>) -> Result<T, EvaluationError> {
    Err(EvaluationError(message.into()))
}

impl Evaluator {
    fn url_suffix(&self) -> &'static str {
        crate::aws::url_suffix(&self.partition)
    }

    fn resource_type(&self, logical_id: &str) -> Option<&str> {
        self.template["Resources"][logical_id]["Type"].as_str()
    }

    /// The value of `Ref` to `name`.
    fn reference(&self, name: &str) -> Result<Value, EvaluationError> {
        let text = match name {
            "AWS::AccountId" => self.account.clone(),
            "AWS::Region" => self.region.clone(),
            "AWS::Partition" => self.partition.clone(),
            "AWS::URLSuffix" => self.url_suffix().to_string(),
            "AWS::StackName" => self.stack_name.clone(),
            "AWS::StackId" => self.stack_id.clone(),
            "AWS::NoValue" => return Ok(Value::Null),
            _ => {
                if let Some(v) = self.parameters.get(name) {
                    v.clone()
                } else if let Some(p) = self.physical_ids.get(name) {
                    p.clone()
                } else {
                    return fail(format!(
                        "Parameter or resource '{name}' could not be found for evaluation"
                    ));
                }
            }
        };
        Ok(Value::String(text))
    }

    /// The value of `Fn::GetAtt` of `attribute` of `logical_id` (ARNs formatted from the
    /// physical ID, for the types the cdk CLI knows).
    fn attribute(&self, logical_id: &str, attribute: &str) -> Result<Value, EvaluationError> {
        let Some(name) = self.physical_ids.get(logical_id) else {
            return fail(format!(
                "Resource '{logical_id}' could not be found for evaluation"
            ));
        };
        let resource_type = self.resource_type(logical_id).unwrap_or_default();
        let (p, r, a) = (&self.partition, &self.region, &self.account);
        let arn = match (resource_type, attribute) {
            ("AWS::IAM::Role", "Arn") => format!("arn:{p}:iam::{a}:role/{name}"),
            ("AWS::IAM::User", "Arn") => format!("arn:{p}:iam::{a}:user/{name}"),
            ("AWS::IAM::Group", "Arn") => format!("arn:{p}:iam::{a}:group/{name}"),
            ("AWS::S3::Bucket", "Arn") => format!("arn:{p}:s3:::{name}"),
            ("AWS::Lambda::Function", "Arn") => format!("arn:{p}:lambda:{r}:{a}:function:{name}"),
            ("AWS::DynamoDB::Table", "Arn") => format!("arn:{p}:dynamodb:{r}:{a}:table/{name}"),
            ("AWS::KMS::Key", "Arn") => format!("arn:{p}:kms:{r}:{a}:key/{name}"),
            ("AWS::Events::EventBus", "Arn") => format!("arn:{p}:events:{r}:{a}:event-bus/{name}"),
            ("AWS::Events::EventBus", "Name") => name.clone(),
            ("AWS::SQS::Queue", "Arn") => {
                let queue = name.rsplit('/').next().unwrap_or(name);
                format!("arn:{p}:sqs:{r}:{a}:{queue}")
            }
            ("AWS::SQS::Queue", "QueueName") => name.rsplit('/').next().unwrap_or(name).to_string(),
            ("AWS::SNS::Topic", "TopicArn") | ("AWS::StepFunctions::StateMachine", "Arn") => {
                name.clone()
            }
            _ => {
                return fail(format!(
                    "We don't support the '{attribute}' attribute of the '{resource_type}' resource. This is a CDK limitation. Please report it at https://github.com/aws/aws-cdk/issues/new/choose"
                ))
            }
        };
        Ok(Value::String(arn))
    }

    /// Evaluates an expression to a plain JSON value (`AWS::NoValue` drops the entry).
    pub fn evaluate(&self, value: &Value) -> Result<Value, EvaluationError> {
        match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let v = self.evaluate(item)?;
                    if !v.is_null() || item.is_null() {
                        out.push(v);
                    }
                }
                Ok(Value::Array(out))
            }
            Value::Object(map) if map.len() == 1 => {
                let (key, arg) = map.iter().next().expect("one entry");
                if key == "Ref" || key.starts_with("Fn::") {
                    return self.intrinsic(key, arg);
                }
                self.evaluate_object(map)
            }
            Value::Object(map) => self.evaluate_object(map),
            other => Ok(other.clone()),
        }
    }

    fn evaluate_object(&self, map: &Map<String, Value>) -> Result<Value, EvaluationError> {
        let mut out = Map::new();
        for (k, v) in map {
            let v2 = self.evaluate(v)?;
            if !v2.is_null() || v.is_null() {
                out.insert(k.clone(), v2);
            }
        }
        Ok(Value::Object(out))
    }

    fn string(&self, value: &Value, what: &str) -> Result<String, EvaluationError> {
        match self.evaluate(value)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => fail(format!("{what}: expected a string, got {other}")),
        }
    }

    fn intrinsic(&self, name: &str, arg: &Value) -> Result<Value, EvaluationError> {
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target),
                None => fail(format!("Ref takes a name, got {arg}")),
            },
            "Fn::GetAtt" => {
                let (id, attr) = match arg {
                    Value::Array(a) if a.len() == 2 => (
                        self.string(&a[0], "Fn::GetAtt")?,
                        self.string(&a[1], "Fn::GetAtt")?,
                    ),
                    Value::String(s) => match s.split_once('.') {
                        Some((i, a)) => (i.to_string(), a.to_string()),
                        None => return fail(format!("Fn::GetAtt: bad argument {s}")),
                    },
                    _ => return fail(format!("Fn::GetAtt: bad argument {arg}")),
                };
                self.attribute(&id, &attr)
            }
            "Fn::Join" => {
                let Some([sep, list]) = arg
                    .as_array()
                    .map(Vec::as_slice)
                    .and_then(|a| <&[Value; 2]>::try_from(a).ok())
                else {
                    return fail(format!("Fn::Join takes [separator, list], got {arg}"));
                };
                let sep = self.string(sep, "Fn::Join")?;
                let Value::Array(items) = self.evaluate(list)? else {
                    return fail("Fn::Join: the second argument is not a list");
                };
                let parts: Result<Vec<String>, _> =
                    items.iter().map(|i| self.string(i, "Fn::Join")).collect();
                Ok(Value::String(parts?.join(&sep)))
            }
            "Fn::Select" => {
                let Some([index, list]) = arg
                    .as_array()
                    .map(Vec::as_slice)
                    .and_then(|a| <&[Value; 2]>::try_from(a).ok())
                else {
                    return fail(format!("Fn::Select takes [index, list], got {arg}"));
                };
                let index: usize = self
                    .string(index, "Fn::Select")?
                    .parse()
                    .map_err(|_| EvaluationError("Fn::Select: the index is not a number".into()))?;
                match self.evaluate(list)? {
                    Value::Array(items) => items
                        .get(index)
                        .cloned()
                        .ok_or_else(|| EvaluationError(format!("Fn::Select: no element {index}"))),
                    _ => fail("Fn::Select: the second argument is not a list"),
                }
            }
            "Fn::Split" => {
                let Some([sep, text]) = arg
                    .as_array()
                    .map(Vec::as_slice)
                    .and_then(|a| <&[Value; 2]>::try_from(a).ok())
                else {
                    return fail(format!("Fn::Split takes [separator, string], got {arg}"));
                };
                let sep = self.string(sep, "Fn::Split")?;
                let text = self.string(text, "Fn::Split")?;
                Ok(Value::Array(
                    text.split(sep.as_str())
                        .map(|s| Value::String(s.to_string()))
                        .collect(),
                ))
            }
            "Fn::Sub" => {
                let (template, vars) = match arg {
                    Value::String(s) => (s.clone(), Map::new()),
                    Value::Array(a) if a.len() == 2 => (
                        self.string(&a[0], "Fn::Sub")?,
                        match self.evaluate(&a[1])? {
                            Value::Object(m) => m,
                            _ => return fail("Fn::Sub: the variables are not an object"),
                        },
                    ),
                    _ => return fail(format!("Fn::Sub: bad argument {arg}")),
                };
                self.substitute(&template, &vars).map(Value::String)
            }
            other => fail(format!("CloudFormation function {other} is not supported")),
        }
    }

    fn substitute(
        &self,
        template: &str,
        vars: &Map<String, Value>,
    ) -> Result<String, EvaluationError> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return Ok(out);
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else if let Some(v) = vars.get(name) {
                out.push_str(&self.string(v, "Fn::Sub")?);
            } else if let Some((id, attr)) = name.split_once('.') {
                out.push_str(&self.string(&self.attribute(id, attr)?, "Fn::Sub")?);
            } else {
                out.push_str(&self.string(&self.reference(name)?, "Fn::Sub")?);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The physical name of a resource: its name property when the template sets one that can
    /// be evaluated, else its physical ID in the deployed stack.
    fn physical_name(&self, logical_id: &str, name_property: Option<&Value>) -> Option<String> {
        if let Some(p) = name_property {
            if let Ok(Value::String(s)) = self.evaluate(p) {
                return Some(s);
            }
        }
        self.physical_ids.get(logical_id).cloned()
    }
}

/// The names of the properties that differ between two resource definitions.
fn property_updates(old: &Value, new: &Value) -> Vec<String> {
    let empty = Map::new();
    let old = old["Properties"].as_object().unwrap_or(&empty);
    let new = new["Properties"].as_object().unwrap_or(&empty);
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    names
        .into_iter()
        .filter(|n| old.get(*n) != new.get(*n))
        .cloned()
        .collect()
}

/// Whether `value` contains a `Ref`/`Fn::GetAtt` (or `Fn::Sub` placeholder) naming `logical_id`.
fn references(value: &Value, logical_id: &str) -> bool {
    match value {
        Value::Object(m) => {
            if m.get("Ref").and_then(Value::as_str) == Some(logical_id) {
                return true;
            }
            if let Some(att) = m.get("Fn::GetAtt") {
                let target = match att {
                    Value::Array(a) => a.first().and_then(Value::as_str),
                    Value::String(s) => s.split('.').next(),
                    _ => None,
                };
                if target == Some(logical_id) {
                    return true;
                }
            }
            if let Some(Value::String(s)) = m.get("Fn::Sub").map(|s| match s {
                Value::Array(a) => a.first().cloned().unwrap_or_default(),
                other => other.clone(),
            }) {
                if s.contains(&format!("${{{logical_id}}}"))
                    || s.contains(&format!("${{{logical_id}."))
                {
                    return true;
                }
            }
            m.values().any(|v| references(v, logical_id))
        }
        Value::Array(a) => a.iter().any(|v| references(v, logical_id)),
        _ => false,
    }
}

/// The resources of `template` (other than `logical_id`) of `resource_type` that reference
/// `logical_id`, in template order.
fn referencing<'a>(
    template: &'a Value,
    logical_id: &str,
    resource_type: &str,
) -> Vec<(&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(id, r)| {
            id.as_str() != logical_id
                && r["Type"].as_str() == Some(resource_type)
                && references(r, logical_id)
        })
        .collect()
}

/// Splits the changed property names into (hotswappable, not) and records the rejection.
fn classify(
    logical_id: &str,
    resource_type: &str,
    changed: &[String],
    hotswappable: &[&str],
    rejected: &mut Vec<Rejected>,
) -> Vec<String> {
    let (yes, no): (Vec<String>, Vec<String>) = changed
        .iter()
        .cloned()
        .partition(|p| hotswappable.contains(&p.as_str()));
    if !no.is_empty() {
        let reason = if no.len() == 1 && no[0] == "Tags" {
            "Tags are not hotswappable".to_string()
        } else {
            format!(
                "resource properties '{}' are not hotswappable on this resource type",
                no.join(",")
            )
        };
        rejected.push(Rejected {
            shown_without_fallback: true,
            ..Rejected::resource(logical_id, resource_type, no, reason)
        });
    }
    yes
}

/// Classifies the difference between the deployed template `old` and `eval.template`.
pub fn plan(old: &Value, eval: &Evaluator) -> Result<Plan, EvaluationError> {
    let new = &eval.template;
    let mut plan = Plan::default();
    let empty = Map::new();
    let old_outputs = old["Outputs"].as_object().unwrap_or(&empty);
    let new_outputs = new["Outputs"].as_object().unwrap_or(&empty);
    let outputs: BTreeSet<&String> = old_outputs.keys().chain(new_outputs.keys()).collect();
    for id in outputs {
        if old_outputs.get(id) != new_outputs.get(id) {
            plan.rejected.push(Rejected {
                logical_id: id.clone(),
                subject: Subject::Output,
                reason: "output was changed".into(),
                shown_without_fallback: false,
            });
        }
    }
    let old_resources = old["Resources"].as_object().unwrap_or(&empty);
    let new_resources = new["Resources"].as_object().unwrap_or(&empty);
    // Removals first, then the others in template order (as the cdk CLI lists them).
    let mut ids: Vec<&String> = old_resources
        .keys()
        .filter(|k| !new_resources.contains_key(*k))
        .collect();
    ids.extend(new_resources.keys());
    let mut detected = Vec::new();
    for id in ids {
        let (o, n) = (old_resources.get(id), new_resources.get(id));
        if o == n {
            continue;
        }
        let (o, n) = match (o, n) {
            (None, Some(n)) => {
                plan.rejected.push(Rejected::resource(
                    id,
                    n["Type"].as_str().unwrap_or_default(),
                    Vec::new(),
                    format!("resource '{id}' was created by this deployment"),
                ));
                continue;
            }
            (Some(o), None) => {
                plan.rejected.push(Rejected::resource(
                    id,
                    o["Type"].as_str().unwrap_or_default(),
                    Vec::new(),
                    format!("resource '{id}' was destroyed by this deployment"),
                ));
                continue;
            }
            (Some(o), Some(n)) => (o, n),
            (None, None) => continue,
        };
        let (old_type, new_type) = (
            o["Type"].as_str().unwrap_or_default(),
            n["Type"].as_str().unwrap_or_default(),
        );
        if old_type != new_type {
            plan.rejected.push(Rejected::resource(
                id,
                new_type,
                Vec::new(),
                format!("resource '{id}' had its type changed from '{old_type}' to '{new_type}'"),
            ));
            continue;
        }
        let changed = property_updates(o, n);
        match new_type {
            "AWS::Lambda::Function" => detected.push((id, n, changed)),
            "AWS::Lambda::Version" | "AWS::CDK::Metadata" => {}
            "AWS::Lambda::Alias"
            | "AWS::StepFunctions::StateMachine"
            | "AWS::CodeBuild::Project" => detected.push((id, n, changed)),
            _ => plan.rejected.push(Rejected::resource(
                id,
                new_type,
                changed,
                "This resource type is not supported for hotswap deployments".into(),
            )),
        }
    }
    for (id, resource, changed) in detected {
        let resource_type = resource["Type"].as_str().unwrap_or_default();
        match resource_type {
            "AWS::Lambda::Function" => lambda_function(id, resource, &changed, eval, &mut plan)?,
            "AWS::Lambda::Alias" => {
                // A new FunctionVersion follows from the function's hotswap.
                classify(
                    id,
                    resource_type,
                    &changed,
                    &["FunctionVersion"],
                    &mut plan.rejected,
                );
            }
            "AWS::StepFunctions::StateMachine" => {
                let yes = classify(
                    id,
                    resource_type,
                    &changed,
                    &["DefinitionString"],
                    &mut plan.rejected,
                );
                if yes.is_empty() {
                    continue;
                }
                let props = &resource["Properties"];
                let arn = match props.get("StateMachineName") {
                    Some(name) => match eval.evaluate(name) {
                        Ok(Value::String(name)) => Some(format!(
                            "arn:{}:states:{}:{}:stateMachine:{name}",
                            eval.partition, eval.region, eval.account
                        )),
                        _ => eval.physical_ids.get(id.as_str()).cloned(),
                    },
                    None => eval.physical_ids.get(id.as_str()).cloned(),
                };
                let Some(arn) = arn else { continue };
                let definition = eval.string(&props["DefinitionString"], "DefinitionString")?;
                plan.operations.push(Operation {
                    service: "stepfunctions",
                    resources: vec![Touched {
                        logical_id: id.clone(),
                        label: format!(
                            "{resource_type} '{}'",
                            arn.rsplit(':').next().unwrap_or(&arn)
                        ),
                    }],
                    action: Action::StateMachine { arn, definition },
                });
            }
            "AWS::CodeBuild::Project" => {
                let yes = classify(
                    id,
                    resource_type,
                    &changed,
                    &["Source", "Environment", "SourceVersion"],
                    &mut plan.rejected,
                );
                if yes.is_empty() {
                    continue;
                }
                let props = &resource["Properties"];
                let Some(name) = eval.physical_name(id, props.get("Name")) else {
                    continue;
                };
                let mut request = Map::new();
                request.insert("name".into(), Value::String(name.clone()));
                for prop in &yes {
                    let value = eval.evaluate(&props[prop.as_str()])?;
                    match prop.as_str() {
                        "Source" => {
                            request.insert("source".into(), camel_keys(&value, true));
                        }
                        "Environment" => {
                            request.insert("environment".into(), camel_keys(&value, false));
                        }
                        _ => {
                            request.insert("sourceVersion".into(), value);
                        }
                    }
                }
                plan.operations.push(Operation {
                    service: "codebuild",
                    resources: vec![Touched {
                        logical_id: id.clone(),
                        label: format!("{resource_type} '{name}'"),
                    }],
                    action: Action::Project {
                        request: Value::Object(request),
                    },
                });
            }
            _ => {}
        }
    }
    Ok(plan)
}

/// Object keys with their first letter lower-cased, recursively (`BuildSpec` → `buildspec`
/// when `source`), as CodeBuild's API spells the template's properties.
fn camel_keys(value: &Value, source: bool) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = if source && k.eq_ignore_ascii_case("buildspec") {
                        k.to_lowercase()
                    } else {
                        let mut c = k.chars();
                        match c.next() {
                            Some(f) => f.to_lowercase().chain(c).collect(),
                            None => String::new(),
                        }
                    };
                    (key, camel_keys(v, source))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| camel_keys(v, source)).collect()),
        other => other.clone(),
    }
}

fn lambda_function(
    id: &str,
    resource: &Value,
    changed: &[String],
    eval: &Evaluator,
    plan: &mut Plan,
) -> Result<(), EvaluationError> {
    let resource_type = "AWS::Lambda::Function";
    let yes = classify(
        id,
        resource_type,
        changed,
        &["Code", "Environment", "Description"],
        &mut plan.rejected,
    );
    let props = &resource["Properties"];
    let Some(function) = eval.physical_name(id, props.get("FunctionName")) else {
        return Ok(());
    };
    if yes.is_empty() {
        return Ok(());
    }
    let mut code = None;
    let mut description = None;
    let mut environment = None;
    for prop in &yes {
        match prop.as_str() {
            "Code" => {
                let new = &props["Code"];
                let get = |k: &str| -> Result<Option<String>, EvaluationError> {
                    new.get(k).map(|v| eval.string(v, k)).transpose()
                };
                let zip_file = match new.get("ZipFile") {
                    Some(v) => {
                        let source = eval.string(v, "ZipFile")?;
                        let runtime = eval.string(&props["Runtime"], "Runtime")?;
                        let ext = if runtime.starts_with("node") {
                            "js"
                        } else if runtime.starts_with("python") {
                            "py"
                        } else {
                            return fail(format!("runtime {runtime} is unsupported, only node.js and python runtimes are currently supported."));
                        };
                        Some(zip_one(&format!("index.{ext}"), source.as_bytes()))
                    }
                    None => None,
                };
                code = Some(FunctionCode {
                    s3_bucket: get("S3Bucket")?,
                    s3_key: get("S3Key")?,
                    s3_object_version: get("S3ObjectVersion")?,
                    image_uri: get("ImageUri")?,
                    zip_file,
                });
            }
            "Description" => description = Some(eval.string(&props["Description"], "Description")?),
            _ => environment = Some(eval.evaluate(&props["Environment"])?),
        }
    }
    let mut resources = vec![Touched {
        logical_id: id.to_string(),
        label: format!("{resource_type} '{function}'"),
    }];
    let versions = referencing(&eval.template, id, "AWS::Lambda::Version");
    let mut aliases = Vec::new();
    for (version_id, _) in &versions {
        resources.push(Touched {
            logical_id: (*version_id).clone(),
            label: format!("AWS::Lambda::Version for AWS::Lambda::Function '{function}'"),
        });
    }
    for (version_id, _) in &versions {
        for (alias_id, alias) in referencing(&eval.template, version_id, "AWS::Lambda::Alias") {
            let name = eval.string(&alias["Properties"]["Name"], "Name")?;
            resources.push(Touched {
                logical_id: alias_id.clone(),
                label: format!(
                    "AWS::Lambda::Alias '{name}' for AWS::Lambda::Function '{function}'"
                ),
            });
            aliases.push(name);
        }
    }
    plan.operations.push(Operation {
        service: "lambda",
        resources,
        action: Action::Lambda {
            function,
            code,
            description,
            environment,
            publish_version: !versions.is_empty(),
            aliases,
        },
    });
    Ok(())
}

/// A zip archive of one file (the inline code of a function).
fn zip_one(name: &str, content: &[u8]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    // Writing to memory cannot fail.
    let _ = writer.start_file(name, options);
    let _ = writer.write_all(content);
    writer.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Prints the rejected changes as the cdk CLI does (only those `--hotswap` shows, unless
/// falling back).
pub fn report_rejected(plan: &Plan, mode: HotswapMode, printer: &Printer) {
    let shown: Vec<&Rejected> = plan
        .rejected
        .iter()
        .filter(|r| mode == HotswapMode::FallBack || r.shown_without_fallback)
        .collect();
    if shown.is_empty() {
        return;
    }
    let heading = if mode == HotswapMode::HotswapOnly {
        "The following non-hotswappable changes were found. To reconcile these using CloudFormation, specify --hotswap-fallback"
    } else {
        "The following non-hotswappable changes were found:"
    };
    printer.line("");
    printer.line(format!(
        "{} {}",
        printer.paint(RED, "⚠️"),
        printer.paint(RED, heading)
    ));
    for r in shown {
        printer.line(format!("    {}", r.message()));
    }
    printer.line("");
}

/// Applies the operations in order, with the cdk CLI's progress lines; the first failure stops
/// and is returned as `[service] message`.
pub fn apply(plan: &Plan, hotswap: &dyn Hotswap, printer: &Printer) -> Result<(), String> {
    if plan.operations.is_empty() {
        return Ok(());
    }
    printer.line("");
    printer.line("✨ hotswapping resources:");
    for op in &plan.operations {
        for r in &op.resources {
            printer.line(format!("   ✨ {}", printer.paint(BOLD, &r.label)));
        }
        run(&op.action, hotswap).map_err(|e| format!("[{}] {e}", op.service))?;
        for r in &op.resources {
            printer.line(format!(
                "   ✨ {} {}",
                printer.paint(BOLD, &r.label),
                printer.paint(GREEN, "hotswapped!")
            ));
        }
    }
    Ok(())
}

fn run(action: &Action, hotswap: &dyn Hotswap) -> crate::aws::AwsResult<()> {
    match action {
        Action::Lambda {
            function,
            code,
            description,
            environment,
            publish_version,
            aliases,
        } => {
            if let Some(code) = code {
                hotswap.update_function_code(function, code)?;
            }
            if description.is_some() || environment.is_some() {
                hotswap.update_function_configuration(
                    function,
                    description.as_deref(),
                    environment.as_ref(),
                )?;
            }
            if *publish_version {
                let version = hotswap.publish_version(function)?;
                for alias in aliases {
                    hotswap.update_alias(function, alias, &version)?;
                }
            }
            Ok(())
        }
        Action::StateMachine { arn, definition } => hotswap.update_state_machine(arn, definition),
        Action::Project { request } => hotswap.update_project(request),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(template: Value) -> Evaluator {
        Evaluator {
            template,
            physical_ids: [
                ("Fn".to_string(), "my-fn".to_string()),
                ("Table".to_string(), "tbl".to_string()),
                (
                    "Machine".to_string(),
                    "arn:aws:states:us-east-1:111111111111:stateMachine:m".to_string(),
                ),
                ("Project".to_string(), "proj".to_string()),
            ]
            .into(),
            account: "111111111111".into(),
            region: "us-east-1".into(),
            partition: "aws".into(),
            stack_name: "S".into(),
            stack_id: "arn:aws:cloudformation:us-east-1:111111111111:stack/S/1".into(),
            ..Default::default()
        }
    }

    fn function(key: &str, env: &str) -> Value {
        json!({"Type": "AWS::Lambda::Function", "Properties": {
            "Code": {"S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}, "S3Key": key},
            "Runtime": "python3.12",
            "Environment": {"Variables": {"TABLE": {"Ref": "Table"}, "V": env}}
        }})
    }

    #[test]
    fn code_and_environment_changes_are_one_lambda_operation() {
        let old = json!({"Resources": {"Fn": function("a.zip", "1"), "Table": {"Type": "AWS::DynamoDB::Table"}}});
        let new = json!({"Resources": {"Fn": function("b.zip", "2"), "Table": {"Type": "AWS::DynamoDB::Table"}}});
        let plan = plan(&old, &eval(new)).unwrap();
        assert!(plan.rejected.is_empty(), "{:?}", plan.rejected);
        assert_eq!(plan.operations.len(), 1);
        let Action::Lambda {
            function,
            code,
            environment,
            publish_version,
            ..
        } = &plan.operations[0].action
        else {
            panic!("not a Lambda operation")
        };
        assert_eq!(function, "my-fn");
        let code = code.as_ref().unwrap();
        assert_eq!(
            code.s3_bucket.as_deref(),
            Some("cdk-hnb659fds-assets-111111111111-us-east-1")
        );
        assert_eq!(code.s3_key.as_deref(), Some("b.zip"));
        assert_eq!(
            environment.as_ref().unwrap(),
            &json!({"Variables": {"TABLE": "tbl", "V": "2"}})
        );
        assert!(!publish_version);
    }

    #[test]
    fn versions_and_aliases_follow_the_function() {
        let res = |key: &str| {
            json!({
                "Fn": function(key, "1"),
                "Table": {"Type": "AWS::DynamoDB::Table"},
                "Version": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}, "CodeSha256": key}},
                "Alias": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Fn"}, "FunctionVersion": {"Fn::GetAtt": ["Version", "Version"]}, "Name": "live"}}
            })
        };
        let plan = plan(
            &json!({"Resources": res("a.zip")}),
            &eval(json!({"Resources": res("b.zip")})),
        )
        .unwrap();
        assert!(plan.rejected.is_empty(), "{:?}", plan.rejected);
        let Action::Lambda {
            publish_version,
            aliases,
            ..
        } = &plan.operations[0].action
        else {
            panic!()
        };
        assert!(publish_version);
        assert_eq!(aliases, &["live"]);
        let labels: Vec<&str> = plan.operations[0]
            .resources
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "AWS::Lambda::Function 'my-fn'",
                "AWS::Lambda::Version for AWS::Lambda::Function 'my-fn'",
                "AWS::Lambda::Alias 'live' for AWS::Lambda::Function 'my-fn'",
            ]
        );
    }

    #[test]
    fn other_changes_are_rejected_with_the_cdk_reasons() {
        let mut new_fn = function("a.zip", "1");
        new_fn["Properties"]["MemorySize"] = json!(256);
        let old = json!({"Resources": {"Fn": function("a.zip", "1"), "Table": {"Type": "AWS::DynamoDB::Table"}}, "Outputs": {"O": {"Value": "1"}}});
        let new = json!({"Resources": {
            "Fn": new_fn,
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"Tags": []}},
            "Queue": {"Type": "AWS::SQS::Queue"}
        }, "Outputs": {"O": {"Value": "2"}}});
        let plan = plan(&old, &eval(new)).unwrap();
        assert!(plan.operations.is_empty());
        let messages: Vec<String> = plan.rejected.iter().map(Rejected::message).collect();
        assert_eq!(messages, [
            "output: O, reason: output was changed",
            "resource: Table, type: AWS::DynamoDB::Table, rejected changes: Tags, reason: This resource type is not supported for hotswap deployments",
            "resource: Queue, type: AWS::SQS::Queue, reason: resource 'Queue' was created by this deployment",
            "resource: Fn, type: AWS::Lambda::Function, rejected changes: MemorySize, reason: resource properties 'MemorySize' are not hotswappable on this resource type",
        ]);
        let shown: Vec<bool> = plan
            .rejected
            .iter()
            .map(|r| r.shown_without_fallback)
            .collect();
        assert_eq!(shown, [false, false, false, true]);
    }

    #[test]
    fn state_machines_and_projects_are_hotswapped() {
        let sm = |d: &str| json!({"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Join": ["", ["{\"StartAt\":\"", d, "\"}"]]}}});
        let project = |image: &str| {
            json!({"Type": "AWS::CodeBuild::Project", "Properties": {
                "Source": {"Type": "NO_SOURCE", "BuildSpec": "{}"},
                "Environment": {"Image": image, "ComputeType": "BUILD_GENERAL1_SMALL", "EnvironmentVariables": [{"Name": "A", "Value": "b"}]}
            }})
        };
        let old = json!({"Resources": {"Machine": sm("A"), "Project": project("x")}});
        let new = json!({"Resources": {"Machine": sm("B"), "Project": project("y")}});
        let plan = plan(&old, &eval(new)).unwrap();
        assert!(plan.rejected.is_empty(), "{:?}", plan.rejected);
        assert_eq!(
            plan.operations[0].action,
            Action::StateMachine {
                arn: "arn:aws:states:us-east-1:111111111111:stateMachine:m".into(),
                definition: "{\"StartAt\":\"B\"}".into(),
            }
        );
        assert_eq!(
            plan.operations[1].action,
            Action::Project {
                request: json!({
                    "name": "proj",
                    "environment": {"image": "y", "computeType": "BUILD_GENERAL1_SMALL", "environmentVariables": [{"name": "A", "value": "b"}]}
                })
            }
        );
    }

    #[test]
    fn expressions_evaluate_as_cloudformation_would() {
        let e = eval(json!({"Resources": {"Fn": {"Type": "AWS::Lambda::Function"}}}));
        assert_eq!(
            e.evaluate(&json!({"Fn::Sub": ["${Fn.Arn}/${X}/${!Lit}/${AWS::Partition}", {"X": {"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]}}]})).unwrap(),
            json!("arn:aws:lambda:us-east-1:111111111111:function:my-fn/b/${Lit}/aws")
        );
        assert_eq!(
            e.evaluate(&json!({"A": {"Ref": "AWS::NoValue"}, "B": [1, {"Ref": "AWS::NoValue"}]}))
                .unwrap(),
            json!({"B": [1]})
        );
        assert!(e.evaluate(&json!({"Ref": "Nope"})).is_err());
        assert!(e.evaluate(&json!({"Fn::ImportValue": "x"})).is_err());
    }
}
