//! IAM statement and managed-policy changes between two templates.
//!
//! Statements are gathered from every place a template grants or trusts: `AWS::IAM::Policy` /
//! `ManagedPolicy` (`PolicyDocument`, principal = the attached roles/users/groups),
//! `AWS::IAM::Role` (`AssumeRolePolicyDocument`, inline `Policies`), `AWS::IAM::User`/`Group`
//! inline `Policies`, resource policies (`S3::BucketPolicy`, `SQS::QueuePolicy`,
//! `SNS::TopicPolicy`, `KMS::Key` `KeyPolicy`, `SecretsManager::ResourcePolicy`,
//! `ECR::Repository` `RepositoryPolicyText`) and `AWS::Lambda::Permission` (as the statement it
//! adds to the function's policy). Each statement is rendered to strings (intrinsics as `${X.Arn}`)
//! and the two templates' statements are compared as multisets.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::render::{as_list, render, render_sorted};

/// One IAM statement, rendered for display and comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Statement {
    /// The resources (or `NOT ` + not-resources), one per line.
    pub resource: String,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// The actions (or `NOT ` + not-actions), one per line.
    pub action: String,
    /// The principals as `Kind:value` (e.g. `Service:lambda.amazonaws.com`, `AWS:${Role}`), one
    /// per line.
    pub principal: String,
    /// The condition block as compact JSON, or empty.
    pub condition: String,
}

impl Statement {
    /// Whether the statement allows something.
    pub fn is_allow(&self) -> bool {
        self.effect != "Deny"
    }
}

/// A managed policy attached to a role, user or group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ManagedPolicyAttachment {
    /// The identity, e.g. `${MyRole}`.
    pub resource: String,
    /// The managed policy ARN (rendered).
    pub arn: String,
}

/// IAM changes between two templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IamChanges {
    /// Statements present only in the new template.
    pub statements_added: Vec<Statement>,
    /// Statements present only in the old template.
    pub statements_removed: Vec<Statement>,
    /// Managed policy attachments present only in the new template.
    pub managed_policies_added: Vec<ManagedPolicyAttachment>,
    /// Managed policy attachments present only in the old template.
    pub managed_policies_removed: Vec<ManagedPolicyAttachment>,
}

impl IamChanges {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.statements_added.is_empty()
            && self.statements_removed.is_empty()
            && self.managed_policies_added.is_empty()
            && self.managed_policies_removed.is_empty()
    }

    /// Whether the change widens permissions: an added `Allow` statement, a removed `Deny`
    /// statement or an added managed policy.
    pub fn is_broadening(&self) -> bool {
        self.statements_added.iter().any(Statement::is_allow)
            || self.statements_removed.iter().any(|s| !s.is_allow())
            || !self.managed_policies_added.is_empty()
    }
}

/// Compares the IAM statements and managed policies of two templates.
pub fn diff_iam(old: &Value, new: &Value) -> IamChanges {
    let (old_statements, old_managed) = extract(old);
    let (new_statements, new_managed) = extract(new);
    let (statements_added, statements_removed) = multiset_diff(old_statements, new_statements);
    let (managed_policies_added, managed_policies_removed) =
        multiset_diff(old_managed, new_managed);
    IamChanges {
        statements_added,
        statements_removed,
        managed_policies_added,
        managed_policies_removed,
    }
}

/// Items of `new` not in `old` and of `old` not in `new`, counting duplicates, each sorted.
pub(crate) fn multiset_diff<T: Clone + Eq + std::hash::Hash + Ord>(
    old: Vec<T>,
    new: Vec<T>,
) -> (Vec<T>, Vec<T>) {
    let mut counts: HashMap<T, i64> = HashMap::new();
    for item in &old {
        *counts.entry(item.clone()).or_default() -= 1;
    }
    for item in &new {
        *counts.entry(item.clone()).or_default() += 1;
    }
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for (item, n) in counts {
        for _ in 0..n.unsigned_abs() {
            if n > 0 {
                added.push(item.clone());
            } else {
                removed.push(item.clone());
            }
        }
    }
    added.sort();
    removed.sort();
    (added, removed)
}

/// All statements and managed policy attachments of a template.
pub fn extract(template: &Value) -> (Vec<Statement>, Vec<ManagedPolicyAttachment>) {
    let mut statements = Vec::new();
    let mut managed = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return (statements, managed);
    };
    for (logical_id, resource) in resources {
        let Some(rtype) = resource.get("Type").and_then(Value::as_str) else {
            continue;
        };
        let empty = Map::new();
        let props = resource
            .get("Properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let this_ref = format!("${{{logical_id}}}");
        let this_arn = format!("${{{logical_id}.Arn}}");
        match rtype {
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                let principals = identities(props);
                policy_statements(
                    props.get("PolicyDocument"),
                    None,
                    &principals,
                    &mut statements,
                );
                if rtype == "AWS::IAM::ManagedPolicy" {
                    for identity in &principals {
                        managed.push(ManagedPolicyAttachment {
                            resource: identity.trim_start_matches("AWS:").to_string(),
                            arn: this_ref.clone(),
                        });
                    }
                }
            }
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
                if rtype == "AWS::IAM::Role" {
                    policy_statements(
                        props.get("AssumeRolePolicyDocument"),
                        Some(&this_arn),
                        &[],
                        &mut statements,
                    );
                }
                let me = vec![format!("AWS:{this_ref}")];
                for policy in as_list(props.get("Policies")) {
                    policy_statements(policy.get("PolicyDocument"), None, &me, &mut statements);
                }
                for arn in as_list(props.get("ManagedPolicyArns")) {
                    managed.push(ManagedPolicyAttachment {
                        resource: this_ref.clone(),
                        arn: render(arn),
                    });
                }
            }
            "AWS::S3::BucketPolicy"
            | "AWS::SQS::QueuePolicy"
            | "AWS::SNS::TopicPolicy"
            | "AWS::SecretsManager::ResourcePolicy" => {
                let doc = props
                    .get("PolicyDocument")
                    .or_else(|| props.get("ResourcePolicy"));
                policy_statements(doc, None, &[], &mut statements);
            }
            "AWS::KMS::Key" => policy_statements(
                props.get("KeyPolicy"),
                Some(&this_arn),
                &[],
                &mut statements,
            ),
            "AWS::ECR::Repository" => policy_statements(
                props.get("RepositoryPolicyText"),
                Some(&this_arn),
                &[],
                &mut statements,
            ),
            "AWS::Lambda::Permission" => statements.push(lambda_permission(props)),
            _ => {}
        }
    }
    (statements, managed)
}

/// `AWS:<identity>` for each role, user and group an identity policy is attached to.
fn identities(props: &Map<String, Value>) -> Vec<String> {
    ["Roles", "Users", "Groups"]
        .iter()
        .flat_map(|k| as_list(props.get(*k)))
        .map(|v| format!("AWS:{}", render(v)))
        .collect()
}

/// Adds the statements of a policy document. `default_resource` stands in for a missing
/// `Resource` (trust and key policies apply to their own resource); `identity_principals` are
/// the principals of an identity policy (statements there carry none).
fn policy_statements(
    doc: Option<&Value>,
    default_resource: Option<&str>,
    identity_principals: &[String],
    out: &mut Vec<Statement>,
) {
    let doc = match doc {
        // Policies given as JSON strings (e.g. RepositoryPolicyText) are parsed.
        Some(Value::String(s)) => serde_json::from_str::<Value>(s).ok(),
        other => other.cloned(),
    };
    let Some(doc) = doc else { return };
    for st in as_list(doc.get("Statement")) {
        let Some(st) = st.as_object() else { continue };
        let resource = one_per_line(st, "Resource", "NotResource")
            .or_else(|| default_resource.map(str::to_string))
            .unwrap_or_default();
        let action = one_per_line(st, "Action", "NotAction").unwrap_or_default();
        let mut principals = principal_lines(st.get("Principal"));
        principals.extend(
            principal_lines(st.get("NotPrincipal"))
                .into_iter()
                .map(|p| format!("NOT {p}")),
        );
        if principals.is_empty() {
            principals = identity_principals.to_vec();
        }
        principals.sort();
        out.push(Statement {
            resource,
            effect: st
                .get("Effect")
                .map(render)
                .unwrap_or_else(|| "Allow".into()),
            action,
            principal: principals.join("\n"),
            condition: st
                .get("Condition")
                .map(render_condition)
                .unwrap_or_default(),
        });
    }
}

fn one_per_line(st: &Map<String, Value>, key: &str, not_key: &str) -> Option<String> {
    if let Some(v) = st.get(key) {
        Some(render_sorted(Some(v)).join("\n"))
    } else {
        st.get(not_key).map(|v| {
            render_sorted(Some(v))
                .iter()
                .map(|s| format!("NOT {s}"))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }
}

fn principal_lines(principal: Option<&Value>) -> Vec<String> {
    match principal {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(kinds)) => kinds
            .iter()
            .flat_map(|(kind, v)| {
                render_sorted(Some(v))
                    .into_iter()
                    .map(move |p| format!("{kind}:{p}"))
            })
            .collect(),
        Some(other) => render_sorted(Some(other)),
    }
}

/// The statement an `AWS::Lambda::Permission` adds to its function's resource policy.
fn lambda_permission(props: &Map<String, Value>) -> Statement {
    let principal = props.get("Principal").map(render).unwrap_or_default();
    let principal = if principal == "*" || principal.is_empty() {
        principal
    } else if principal.ends_with(".amazonaws.com") || principal.ends_with(".amazonaws.com.cn") {
        format!("Service:{principal}")
    } else {
        format!("AWS:{principal}")
    };
    let mut condition = Map::new();
    if let Some(arn) = props.get("SourceArn") {
        condition.insert(
            "ArnLike".into(),
            Value::Object(Map::from_iter([("AWS:SourceArn".to_string(), arn.clone())])),
        );
    }
    let mut equals = Map::new();
    if let Some(acct) = props.get("SourceAccount") {
        equals.insert("AWS:SourceAccount".into(), acct.clone());
    }
    if let Some(org) = props.get("PrincipalOrgID") {
        equals.insert("aws:PrincipalOrgID".into(), org.clone());
    }
    if !equals.is_empty() {
        condition.insert("StringEquals".into(), Value::Object(equals));
    }
    Statement {
        resource: props.get("FunctionName").map(render).unwrap_or_default(),
        effect: "Allow".into(),
        action: props.get("Action").map(render).unwrap_or_default(),
        principal,
        condition: render_condition(&Value::Object(condition)),
    }
}

/// A condition block as the cdk CLI shows it: intrinsics rendered (`${X.Arn}`), pretty JSON
/// without the outermost braces and their indentation; empty for no condition.
pub fn render_condition(condition: &Value) -> String {
    fn deep(v: &Value) -> Value {
        match v {
            Value::Object(m)
                if m.len() == 1 && m.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) =>
            {
                Value::String(render(v))
            }
            Value::Object(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), deep(v))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(deep).collect()),
            other => other.clone(),
        }
    }
    match condition {
        Value::Object(m) if !m.is_empty() => {
            let text = serde_json::to_string_pretty(&deep(condition)).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            lines[1..lines.len() - 1]
                .iter()
                .map(|l| l.get(2..).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n")
        }
        Value::Null => String::new(),
        Value::Object(_) => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn role_trust_and_inline_policy() {
        let t = json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"Service": "lambda.amazonaws.com"}}]},
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*"}]}}],
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}}}});
        let (st, managed) = extract(&t);
        assert_eq!(st.len(), 2);
        assert_eq!(st[0].resource, "${R.Arn}");
        assert_eq!(st[0].principal, "Service:lambda.amazonaws.com");
        assert_eq!(st[1].action, "s3:GetObject\ns3:PutObject");
        assert_eq!(st[1].principal, "AWS:${R}");
        assert_eq!(managed[0].arn, "arn:aws:iam::aws:policy/ReadOnlyAccess");
    }

    #[test]
    fn broadening_rules() {
        let allow = Statement {
            effect: "Allow".into(),
            resource: "*".into(),
            action: "a".into(),
            principal: String::new(),
            condition: String::new(),
        };
        let deny = Statement {
            effect: "Deny".into(),
            ..allow.clone()
        };
        let mut c = IamChanges::default();
        assert!(!c.is_broadening());
        c.statements_removed.push(allow.clone());
        assert!(!c.is_broadening());
        c.statements_added.push(deny.clone());
        assert!(!c.is_broadening());
        c.statements_removed.push(deny);
        assert!(c.is_broadening());
        let c = IamChanges {
            statements_added: vec![allow],
            ..Default::default()
        };
        assert!(c.is_broadening());
    }

    #[test]
    fn lambda_permission_as_statement() {
        let t = json!({"Resources": {"P": {"Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]},
            "Principal": "s3.amazonaws.com", "SourceAccount": {"Ref": "AWS::AccountId"}}}}});
        let (st, _) = extract(&t);
        assert_eq!(st[0].principal, "Service:s3.amazonaws.com");
        assert_eq!(st[0].resource, "${Fn.Arn}");
        assert!(st[0].condition.contains("AWS:SourceAccount"));
    }
}
