//! rcdk's cross-account rules: what a role or a resource shared with another account may do.

use serde_json::Value as J;

use crate::template::{
    aws_principals, flatten, glob_matches, list, principal_accounts, resource_from_intrinsic,
    statements, Compliance, Resource,
};

/// Accounts other than the stack's that a policy statement's AWS principals name (any literal
/// account when the stack's account is unknown).
fn foreign_accounts(statement: &J, own: Option<&str>) -> Vec<String> {
    aws_principals(statement)
        .into_iter()
        .flat_map(principal_accounts)
        .filter(|a| Some(a.as_str()) != own)
        .collect()
}

fn trusts_another_account(role: &Resource) -> bool {
    statements(role.prop("AssumeRolePolicyDocument"))
        .into_iter()
        .any(|s| {
            s.get("Effect").and_then(J::as_str) == Some("Allow")
                && !foreign_accounts(s, role.account).is_empty()
        })
}

fn trusts_service(role: &Resource, service: &str) -> bool {
    statements(role.prop("AssumeRolePolicyDocument"))
        .into_iter()
        .any(|s| {
            list(s.pointer("/Principal/Service"))
                .iter()
                .any(|p| p.as_str() == Some(service))
        })
}

/// The allow statements of a role's inline policies and of the `AWS::IAM::Policy` resources
/// attached to it in the same stack, with where each is (`Properties/...`).
fn role_statements<'a>(role: &Resource<'a>) -> Vec<(String, &'a J)> {
    let mut out = Vec::new();
    for (i, policy) in list(role.prop("Policies")).into_iter().enumerate() {
        for statement in statements(policy.get("PolicyDocument")) {
            out.push((format!("Properties/Policies/{i}/PolicyDocument"), statement));
        }
    }
    for (id, policy) in role.siblings("AWS::IAM::Policy") {
        let attached = list(policy.pointer("/Properties/Roles"))
            .iter()
            .any(|r| resource_from_intrinsic(Some(r)).as_deref() == Some(role.logical_id));
        if attached {
            for statement in statements(policy.pointer("/Properties/PolicyDocument")) {
                out.push((format!("{id}/Properties/PolicyDocument"), statement));
            }
        }
    }
    out.retain(|(_, s)| s.get("Effect").and_then(J::as_str) == Some("Allow"));
    out
}

fn actions(statement: &J) -> Vec<String> {
    list(statement.get("Action"))
        .into_iter()
        .map(flatten)
        .collect()
}

fn resources(statement: &J) -> Vec<String> {
    list(statement.get("Resource"))
        .into_iter()
        .map(flatten)
        .collect()
}

/// XA1: a role trusted by another account allows no `*` or `service:*` action.
pub fn cross_account_role_no_wildcard_actions(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::IAM::Role" || !trusts_another_account(r) {
        return Compliance::NotApplicable;
    }
    let mut findings: Vec<String> = Vec::new();
    for (_, s) in role_statements(r) {
        for action in actions(s) {
            let finding = format!("Action::{action}");
            if (action == "*" || action.ends_with(":*")) && !findings.contains(&finding) {
                findings.push(finding);
            }
        }
    }
    if findings.is_empty() {
        Compliance::Compliant
    } else {
        Compliance::Findings(findings)
    }
}

/// True for `arn:<partition>:iam::<account>:role/...`.
fn role_arn_in(resource: &str, account: Option<&str>) -> bool {
    let Some(rest) = resource.strip_prefix("arn:") else {
        return false;
    };
    let Some(i) = rest.find(":iam::") else {
        return false;
    };
    let after = &rest[i + 6..];
    match (after.split_once(":role/"), account) {
        (Some((acct, _)), Some(own)) => acct == own || acct == "<AWS::AccountId>",
        (Some((acct, _)), None) => acct == "<AWS::AccountId>",
        (None, _) => false,
    }
}

/// XA2: a role trusted by another account uses no `*` resource; a wildcard is only allowed
/// in `sts:AssumeRole` statements on role paths of the role's own account.
pub fn cross_account_role_no_wildcard_resources(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::IAM::Role" || !trusts_another_account(r) {
        return Compliance::NotApplicable;
    }
    let mut findings: Vec<String> = Vec::new();
    for (_, s) in role_statements(r) {
        let assume_only = actions(s)
            .iter()
            .all(|a| a.eq_ignore_ascii_case("sts:AssumeRole"));
        for resource in resources(s) {
            let wildcard_role = resource.contains('*')
                && resource.contains(":iam::")
                && resource.contains(":role/");
            let bad = resource == "*"
                || (wildcard_role && !(assume_only && role_arn_in(&resource, r.account)));
            let finding = format!("Resource::{resource}");
            if bad && !findings.contains(&finding) {
                findings.push(finding);
            }
        }
    }
    if findings.is_empty() {
        Compliance::Compliant
    } else {
        Compliance::Findings(findings)
    }
}

/// True for `arn:<partition>:cloudformation:<region>:<account>:stack/<name>/*` with a name
/// without wildcards.
fn stack_arn(resource: &str) -> bool {
    let Some(i) = resource.find(":cloudformation:") else {
        return false;
    };
    let Some(j) = resource[i..].find(":stack/") else {
        return false;
    };
    let rest = &resource[i + j + 7..];
    let name = rest.split('/').next().unwrap_or("");
    resource.starts_with("arn:") && !name.is_empty() && !name.contains('*')
}

/// XA3: a role that deploys CloudFormation stacks across accounts (trusted by another
/// account, or the role CloudFormation runs as) scopes its `cloudformation:` actions to stack
/// ARNs.
pub fn cloudformation_role_scoped_to_stacks(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::IAM::Role"
        || !(trusts_another_account(r) || trusts_service(r, "cloudformation.amazonaws.com"))
    {
        return Compliance::NotApplicable;
    }
    let mut findings: Vec<String> = Vec::new();
    let mut any = false;
    for (_, s) in role_statements(r) {
        let cfn = actions(s)
            .iter()
            .any(|a| a.to_ascii_lowercase().starts_with("cloudformation:") || a == "*");
        if !cfn {
            continue;
        }
        any = true;
        for resource in resources(s) {
            let finding = format!("Resource::{resource}");
            if !stack_arn(&resource) && !findings.contains(&finding) {
                findings.push(finding);
            }
        }
    }
    match (any, findings.is_empty()) {
        (false, _) => Compliance::NotApplicable,
        (true, true) => Compliance::Compliant,
        (true, false) => Compliance::Findings(findings),
    }
}

/// What another account may do with an artifact bucket: read, and write objects back.
const BUCKET_ACTIONS_FOR_OTHER_ACCOUNTS: &[&str] = &[
    "s3:GetObject*",
    "s3:GetBucket*",
    "s3:List*",
    "s3:PutObject*",
    "s3:Abort*",
];

/// What another account may do with an artifact key: decrypt, and encrypt what it writes back.
const KEY_ACTIONS_FOR_OTHER_ACCOUNTS: &[&str] = &[
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
];

fn foreign_grants(document: Option<&J>, own: Option<&str>, allowed: &[&str]) -> Vec<String> {
    let mut findings: Vec<String> = Vec::new();
    for s in statements(document) {
        if s.get("Effect").and_then(J::as_str) != Some("Allow") {
            continue;
        }
        let everyone = aws_principals(s).iter().any(|p| p.as_str() == Some("*"));
        if foreign_accounts(s, own).is_empty() && !everyone {
            continue;
        }
        for action in actions(s) {
            let ok = allowed.iter().any(|g| glob_matches(g, &action));
            let finding = format!("Action::{action}");
            if !ok && !findings.contains(&finding) {
                findings.push(finding);
            }
        }
    }
    findings
}

/// XA4: a bucket policy grants other accounts only reads and object writes.
pub fn bucket_grants_other_accounts_read_and_put_only(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::S3::BucketPolicy" {
        return Compliance::NotApplicable;
    }
    let findings = foreign_grants(
        r.prop("PolicyDocument"),
        r.account,
        BUCKET_ACTIONS_FOR_OTHER_ACCOUNTS,
    );
    if findings.is_empty() {
        Compliance::Compliant
    } else {
        Compliance::Findings(findings)
    }
}

/// XA5: a key policy grants other accounts only decrypt (and encrypt for write-back).
pub fn key_grants_other_accounts_decrypt_only(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::KMS::Key" {
        return Compliance::NotApplicable;
    }
    let findings = foreign_grants(
        r.prop("KeyPolicy"),
        r.account,
        KEY_ACTIONS_FOR_OTHER_ACCOUNTS,
    );
    if findings.is_empty() {
        Compliance::Compliant
    } else {
        Compliance::Findings(findings)
    }
}
