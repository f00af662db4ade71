//! The AwsSolutions rules, checked as cdk-nag 2.38 checks them (`lib/rules/...`), on the
//! synthesized template.

use serde_json::Value as J;

use crate::template::{
    contains_word, flatten, list, primitive, resource_from_intrinsic, statements, Compliance,
    Resource,
};

const ROLE_TYPES: [&str; 3] = ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"];

/// IAM4 (`IAMNoManagedPolicies`): AWS managed policies, one finding `Policy::<arn>` each.
pub fn iam_no_managed_policies(r: &Resource) -> Compliance {
    if !ROLE_TYPES.contains(&r.resource_type()) {
        return Compliance::NotApplicable;
    }
    let mut findings: Vec<String> = Vec::new();
    for policy in list(r.prop("ManagedPolicyArns")) {
        let flat = flatten(policy);
        let finding = format!("Policy::{flat}");
        if flat.contains(":iam::aws:") && !findings.contains(&finding) {
            findings.push(finding);
        }
    }
    findings_or_compliant(findings)
}

/// IAM5 (`IAMNoWildcardPermissions`): wildcards in allowed actions (`Action::<action>`) and
/// resources (`Resource::<resource>`) of inline and attached policies.
pub fn iam_no_wildcard_permissions(r: &Resource) -> Compliance {
    let documents: Vec<Option<&J>> = if ROLE_TYPES.contains(&r.resource_type()) {
        list(r.prop("Policies"))
            .into_iter()
            .map(|p| p.get("PolicyDocument"))
            .collect()
    } else if matches!(
        r.resource_type(),
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy"
    ) {
        vec![r.prop("PolicyDocument")]
    } else {
        return Compliance::NotApplicable;
    };
    let mut findings: Vec<String> = Vec::new();
    let mut add = |f: String| {
        if !findings.contains(&f) {
            findings.push(f);
        }
    };
    for document in documents {
        for statement in statements(document) {
            if statement.get("Effect").and_then(J::as_str) != Some("Allow") {
                continue;
            }
            for action in list(statement.get("Action")) {
                let action = flatten(action);
                if action.contains('*') {
                    add(format!("Action::{action}"));
                }
            }
            for resource in list(statement.get("Resource")) {
                let resource = flatten(resource);
                if resource.contains('*') {
                    add(format!("Resource::{resource}"));
                }
            }
        }
    }
    findings_or_compliant(findings)
}

fn findings_or_compliant(findings: Vec<String>) -> Compliance {
    if findings.is_empty() {
        Compliance::Compliant
    } else {
        Compliance::Findings(findings)
    }
}

/// KMS5 (`KMSBackingKeyRotationEnabled`): symmetric keys rotate.
pub fn kms_backing_key_rotation_enabled(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::KMS::Key" {
        return Compliance::NotApplicable;
    }
    let spec = r.prop("KeySpec").and_then(J::as_str);
    if spec.is_none() || spec == Some("SYMMETRIC_DEFAULT") {
        match primitive(r.prop("EnableKeyRotation")) {
            Err(e) => return Compliance::Error(e),
            Ok(Some(J::Bool(true))) => {}
            Ok(_) => return Compliance::NonCompliant,
        }
    }
    Compliance::Compliant
}

/// S1 (`S3BucketLoggingEnabled`): server access logs, unless the bucket is itself the access
/// log target of a bucket in the stack.
pub fn s3_bucket_logging_enabled(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::S3::Bucket" {
        return Compliance::NotApplicable;
    }
    let logging = r.prop("LoggingConfiguration");
    let configured = logging.is_some_and(|l| {
        l.get("DestinationBucketName").is_some() || l.get("LogFilePrefix").is_some()
    });
    if configured {
        return Compliance::Compliant;
    }
    let name = r.prop("BucketName").map(flatten);
    let is_log_target = r.siblings("AWS::S3::Bucket").any(|(_, other)| {
        let destination = other
            .pointer("/Properties/LoggingConfiguration/DestinationBucketName")
            .map(flatten)
            .unwrap_or_default();
        contains_word(&destination, r.logical_id, &[]) || name.as_deref() == Some(&destination)
    });
    if is_log_target {
        Compliance::Compliant
    } else {
        Compliance::NonCompliant
    }
}

/// S2 (`S3BucketLevelPublicAccessProhibited`): a public access block, when given, blocks all.
pub fn s3_bucket_level_public_access_prohibited(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::S3::Bucket" {
        return Compliance::NotApplicable;
    }
    let Some(block) = r.prop("PublicAccessBlockConfiguration") else {
        return Compliance::Compliant;
    };
    for key in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        match primitive(block.get(key)) {
            Err(e) => return Compliance::Error(e),
            Ok(Some(J::Bool(true))) => {}
            Ok(_) => return Compliance::NonCompliant,
        }
    }
    Compliance::Compliant
}

/// S10 (`S3BucketSSLRequestsOnly`): a bucket policy denies requests without TLS for the
/// bucket and its objects.
pub fn s3_bucket_ssl_requests_only(r: &Resource) -> Compliance {
    match r.resource_type() {
        "AWS::S3::Bucket" => {
            let name = r.prop("BucketName").and_then(J::as_str);
            let found = r.siblings("AWS::S3::BucketPolicy").any(|(_, policy)| {
                let bucket = resource_from_intrinsic(policy.pointer("/Properties/Bucket"));
                let matching = bucket.as_deref() == Some(r.logical_id)
                    || (name.is_some() && bucket.as_deref() == name);
                matching && ssl_only_policy(policy, r.logical_id, name)
            });
            if found {
                Compliance::Compliant
            } else {
                Compliance::NonCompliant
            }
        }
        "AWS::S3::BucketPolicy" => {
            let bucket = resource_from_intrinsic(r.prop("Bucket")).unwrap_or_default();
            if ssl_only_policy(r.body, &bucket, None) {
                Compliance::Compliant
            } else {
                Compliance::NonCompliant
            }
        }
        _ => Compliance::NotApplicable,
    }
}

fn ssl_only_policy(policy: &J, bucket_id: &str, bucket_name: Option<&str>) -> bool {
    statements(policy.pointer("/Properties/PolicyDocument"))
        .into_iter()
        .any(|s| {
            let deny = s.get("Effect").and_then(J::as_str) == Some("Deny");
            let all_actions = list(s.get("Action")).iter().any(|a| {
                a.as_str()
                    .is_some_and(|a| a == "*" || a.eq_ignore_ascii_case("s3:*"))
            });
            let all_principals = crate::template::aws_principals(s)
                .iter()
                .any(|p| p.as_str() == Some("*"));
            let insecure = matches!(
                s.pointer("/Condition/Bool/aws:SecureTransport"),
                Some(J::Bool(false))
            ) || s
                .pointer("/Condition/Bool/aws:SecureTransport")
                .and_then(J::as_str)
                == Some("false");
            deny && all_actions
                && all_principals
                && insecure
                && covers_bucket_and_objects(s.get("Resource"), bucket_id, bucket_name)
        })
}

fn covers_bucket_and_objects(resources: Option<&J>, id: &str, name: Option<&str>) -> bool {
    let Some(J::Array(resources)) = resources else {
        return false;
    };
    let names: Vec<&str> = std::iter::once(id).chain(name).collect();
    let (mut bucket, mut objects) = (false, false);
    for resource in resources {
        let text = serde_json::to_string(resource).unwrap_or_default();
        let names_bucket = names.iter().any(|n| contains_word(&text, n, &['-']));
        if !bucket && names_bucket && !text.contains('/') {
            bucket = true;
        } else if !objects
            && names.iter().any(|n| objects_of(&text, n))
            && text.find('/') == text.rfind('/')
        {
            objects = true;
        }
        if bucket && objects {
            return true;
        }
    }
    false
}

/// `name(?![\w\-]).*\/\*`.
fn objects_of(text: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = text[from..].find(name) {
        let end = from + pos + name.len();
        let next = text[end..].chars().next();
        if !next.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
            && text[end..].contains("/*")
        {
            return true;
        }
        from = from + pos + 1;
    }
    false
}

/// CB3 (`CodeBuildProjectPrivilegedModeDisabled`, cdk-nag 2.21): no privileged mode.
pub fn codebuild_project_privileged_mode_disabled(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::CodeBuild::Project" {
        return Compliance::NotApplicable;
    }
    match primitive(r.prop("Environment").and_then(|e| e.get("PrivilegedMode"))) {
        Err(e) => Compliance::Error(e),
        Ok(Some(J::Bool(true))) => Compliance::NonCompliant,
        Ok(_) => Compliance::Compliant,
    }
}

/// CB4 (`CodeBuildProjectKMSEncryptedArtifacts`): a KMS key other than `alias/aws/s3`.
pub fn codebuild_project_kms_encrypted_artifacts(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::CodeBuild::Project" {
        return Compliance::NotApplicable;
    }
    match r.prop("EncryptionKey") {
        None => Compliance::NonCompliant,
        Some(J::String(s)) if s == "alias/aws/s3" => Compliance::NonCompliant,
        Some(_) => Compliance::Compliant,
    }
}

/// CB5 (`CodeBuildProjectManagedImages`): images provided by CodeBuild (`aws/codebuild/...`).
pub fn codebuild_project_managed_images(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::CodeBuild::Project" {
        return Compliance::NotApplicable;
    }
    match primitive(r.prop("Environment").and_then(|e| e.get("Image"))) {
        Err(e) => Compliance::Error(e),
        Ok(Some(J::String(image))) if image.starts_with("aws/codebuild/") => Compliance::Compliant,
        Ok(_) => Compliance::NonCompliant,
    }
}

/// APIG1 (`APIGWAccessLogging`): stages log access with a destination and a format.
pub fn apigw_access_logging(r: &Resource) -> Compliance {
    let key = match r.resource_type() {
        "AWS::ApiGateway::Stage" => "AccessLogSetting",
        "AWS::ApiGatewayV2::Stage" => "AccessLogSettings",
        _ => return Compliance::NotApplicable,
    };
    match r.prop(key) {
        Some(s) if s.get("DestinationArn").is_some() && s.get("Format").is_some() => {
            Compliance::Compliant
        }
        _ => Compliance::NonCompliant,
    }
}

/// APIG2 (`APIGWRequestValidation`): a request validator of the API validates bodies and
/// parameters.
pub fn apigw_request_validation(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::ApiGateway::RestApi" {
        return Compliance::NotApplicable;
    }
    let found = r
        .siblings("AWS::ApiGateway::RequestValidator")
        .any(|(_, v)| {
            resource_from_intrinsic(v.pointer("/Properties/RestApiId")).as_deref()
                == Some(r.logical_id)
                && v.pointer("/Properties/ValidateRequestBody") == Some(&J::Bool(true))
                && v.pointer("/Properties/ValidateRequestParameters") == Some(&J::Bool(true))
        });
    if found {
        Compliance::Compliant
    } else {
        Compliance::NonCompliant
    }
}

/// APIG4 (`APIGWAuthorization`): methods and routes authorize (CORS preflight `OPTIONS`
/// methods are exempt).
pub fn apigw_authorization(r: &Resource) -> Compliance {
    let ty = r.resource_type();
    if ty != "AWS::ApiGateway::Method" && ty != "AWS::ApiGatewayV2::Route" {
        return Compliance::NotApplicable;
    }
    if ty == "AWS::ApiGateway::Method" {
        let method = match primitive(r.prop("HttpMethod")) {
            Ok(m) => m.and_then(J::as_str),
            Err(e) => return Compliance::Error(e),
        };
        if method == Some("OPTIONS") && cors_method_responses(r.prop("MethodResponses")) {
            return Compliance::NotApplicable;
        }
    }
    match primitive(r.prop("AuthorizationType")) {
        Err(e) => Compliance::Error(e),
        Ok(None) => Compliance::NonCompliant,
        Ok(Some(J::String(t))) if t == "NONE" => Compliance::NonCompliant,
        Ok(Some(_)) => Compliance::Compliant,
    }
}

fn cors_method_responses(responses: Option<&J>) -> bool {
    // `methodResponses?.every(...)`: undefined is not "every".
    let Some(J::Array(responses)) = responses else {
        return false;
    };
    responses.iter().all(|response| {
        let cors = response
            .get("ResponseParameters")
            .and_then(J::as_object)
            .is_some_and(|p| {
                p.iter().any(|(k, v)| {
                    k.starts_with("method.response.header.Access-Control-Allow-")
                        && *v == J::Bool(true)
                })
            });
        response.get("StatusCode").and_then(J::as_str) == Some("204") && cors
    })
}

/// APIG6 (`APIGWExecutionLoggingEnabled`): stages log every method at `ERROR` or `INFO`.
pub fn apigw_execution_logging_enabled(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::ApiGateway::Stage" {
        return Compliance::NotApplicable;
    }
    let found = list(r.prop("MethodSettings")).iter().any(|s| {
        s.get("HttpMethod").and_then(J::as_str) == Some("*")
            && s.get("ResourcePath").and_then(J::as_str) == Some("/*")
            && matches!(
                s.get("LoggingLevel").and_then(J::as_str),
                Some("ERROR" | "INFO")
            )
    });
    if found {
        Compliance::Compliant
    } else {
        Compliance::NonCompliant
    }
}

/// The runtimes aws-cdk-lib 2.276.0 knows (`Runtime.ALL`, in definition order): cdk-nag
/// compares a function's runtime with the latest of its family among these.
const KNOWN_RUNTIMES: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "nodejs20.x",
    "nodejs24.x",
    "nodejs22.x",
    "nodejs24.x",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
    "python3.15",
    "java8",
    "java8.al2",
    "java11",
    "java17",
    "java21",
    "java25",
    "java8.al2023",
    "java11.al2023",
    "java17.al2023",
    "dotnet6",
    "dotnet8",
    "dotnet9",
    "dotnet10",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "go1.x",
    "ruby2.5",
    "ruby2.7",
    "ruby3.2",
    "ruby3.3",
    "ruby3.4",
    "ruby4.0",
    "provided",
    "provided.al2",
    "provided.al2023",
    "FROM_IMAGE",
];

/// `^([a-z]+)(\d+(\.?\d+|\.x)?)?.*$` → (family, version).
fn parse_runtime(runtime: &str) -> Option<(&str, &str)> {
    let family_len = runtime
        .chars()
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    if family_len == 0 {
        return None;
    }
    let (family, rest) = runtime.split_at(family_len);
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return Some((family, ""));
    }
    let after = &rest[digits..];
    let extra = if after.starts_with(".x") {
        2
    } else {
        let dot = usize::from(after.starts_with('.'));
        let more = after[dot..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count();
        if more > 0 {
            dot + more
        } else {
            0
        }
    };
    Some((family, &rest[..digits + extra]))
}

/// JavaScript's `localeCompare(b, undefined, {numeric: true})` on version strings.
fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<Result<u64, String>> {
        let mut out = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(&c) = chars.peek() {
            let mut part = String::new();
            let digit = c.is_ascii_digit();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() != digit {
                    break;
                }
                part.push(d);
                chars.next();
            }
            out.push(if digit {
                Ok(part.parse().unwrap_or(0))
            } else {
                Err(part)
            });
        }
        out
    }
    let (x, y) = (chunks(a), chunks(b));
    for (p, q) in x.iter().zip(y.iter()) {
        let o = match (p, q) {
            (Ok(m), Ok(n)) => m.cmp(n),
            (Err(m), Err(n)) => m.to_lowercase().cmp(&n.to_lowercase()),
            (Ok(_), Err(_)) => std::cmp::Ordering::Less,
            (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len())
}

/// L1 (`LambdaLatestVersion`): the latest runtime of the function's family.
pub fn lambda_latest_version(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::Lambda::Function" {
        return Compliance::NotApplicable;
    }
    let runtime = match primitive(r.prop("Runtime")) {
        Err(e) => return Compliance::Error(e),
        Ok(None) => return Compliance::NotApplicable,
        Ok(Some(J::String(s))) if s.is_empty() => return Compliance::NotApplicable,
        Ok(Some(v)) => v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string()),
    };
    let Some((family, _)) = parse_runtime(&runtime) else {
        return Compliance::Error(format!(
            "The Lambda runtime \"{runtime}\" does not match the expected regular expression, therefore the rule could not be validated."
        ));
    };
    if family == "provided" {
        return Compliance::NotApplicable;
    }
    let mut versions: Vec<(&str, &str)> = KNOWN_RUNTIMES
        .iter()
        .filter(|rt| rt.starts_with(family))
        .filter_map(|rt| parse_runtime(rt).map(|(_, v)| (*rt, if v.is_empty() { "0" } else { v })))
        .collect();
    if versions.is_empty() {
        return Compliance::Error(format!(
            "Unable to find families for Lambda runtime \"{runtime}\", therefore the rule could not be validated."
        ));
    }
    versions.sort_by(|a, b| compare_versions(a.1, b.1));
    let latest = versions.last().map(|(rt, _)| *rt).unwrap_or_default();
    if runtime == latest {
        Compliance::Compliant
    } else {
        Compliance::NonCompliant
    }
}

/// DDB3 (`DynamoDBPITREnabled`): point-in-time recovery.
pub fn dynamodb_pitr_enabled(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::DynamoDB::Table" {
        return Compliance::NotApplicable;
    }
    let Some(spec) = r.prop("PointInTimeRecoverySpecification") else {
        return Compliance::NonCompliant;
    };
    match primitive(spec.get("PointInTimeRecoveryEnabled")) {
        Err(e) => Compliance::Error(e),
        Ok(Some(J::Bool(true))) => Compliance::Compliant,
        Ok(_) => Compliance::NonCompliant,
    }
}

/// SQS3 (`SQSQueueDLQ`): a dead-letter queue, unless the queue is one (of a queue or a
/// function in the stack).
pub fn sqs_queue_dlq(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::SQS::Queue" {
        return Compliance::NotApplicable;
    }
    if r.prop("RedrivePolicy").is_some() {
        return Compliance::Compliant;
    }
    let name = r.prop("QueueName").map(flatten);
    let targets = |arn: String| {
        contains_word(&arn, r.logical_id, &[])
            || name
                .as_deref()
                .is_some_and(|n| contains_word(&arn, &format!(":{n}"), &['-', '_', '.']))
    };
    let is_dlq = r.siblings("AWS::SQS::Queue").any(|(_, q)| {
        targets(
            q.pointer("/Properties/RedrivePolicy/deadLetterTargetArn")
                .map(flatten)
                .unwrap_or_default(),
        )
    }) || r.siblings("AWS::Lambda::Function").any(|(_, f)| {
        targets(
            f.pointer("/Properties/DeadLetterConfig/TargetArn")
                .map(flatten)
                .unwrap_or_default(),
        )
    });
    if is_dlq {
        Compliance::Compliant
    } else {
        Compliance::NonCompliant
    }
}

/// SNS2 (`SNSEncryptedKMS`, cdk-nag 2.21): server-side encryption with a KMS key.
pub fn sns_encrypted_kms(r: &Resource) -> Compliance {
    if r.resource_type() != "AWS::SNS::Topic" {
        return Compliance::NotApplicable;
    }
    if r.prop("KmsMasterKeyId").is_some() {
        Compliance::Compliant
    } else {
        Compliance::NonCompliant
    }
}
