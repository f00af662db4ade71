//! ARNs: formatting from components and splitting into components, literal or token, exactly as
//! aws-cdk-lib's `Arn.format` / `Arn.split` (see [`Stack::format_arn`](crate::Stack::format_arn)
//! and [`Stack::split_arn`](crate::Stack::split_arn)).
//!
//! ```
//! use cdk_core::{App, ArnComponents, ArnFormat, Environment, Stack, StackProps};
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps {
//!     env: Some(Environment::new("111111111111", "us-east-1")),
//!     ..Default::default()
//! });
//! let parts = stack.split_arn("arn:aws:iam::222222222222:role/path/Deployer", ArnFormat::SlashResourceName);
//! assert_eq!(parts.account.unwrap().literal(), Some("222222222222"));
//! assert_eq!(parts.resource_name.unwrap().literal(), Some("path/Deployer"));
//! let arn = stack.format_arn(ArnComponents::new("codebuild", "project").with_name("Build"));
//! assert!(arn.is_token()); // arn:${AWS::Partition}:codebuild:us-east-1:111111111111:project/Build
//! ```

use crate::fns;
use crate::token::{Str, Value};

/// How the resource part of an ARN is laid out (aws-cdk-lib's `ArnFormat`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ArnFormat {
    /// `arn:aws:service:region:account:resource`
    NoResourceName,
    /// `arn:aws:service:region:account:resource:resourceName`
    ColonResourceName,
    /// `arn:aws:service:region:account:resource/resourceName` (the default)
    #[default]
    SlashResourceName,
    /// `arn:aws:service:region:account:/resource/resourceName`
    SlashResourceSlashResourceName,
}

/// The parts of an ARN. For [`Stack::format_arn`](crate::Stack::format_arn), absent partition,
/// region and account are the stack's (`Some("".into())` leaves them empty, as for S3 or IAM);
/// [`Stack::split_arn`](crate::Stack::split_arn) fills every part it finds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArnComponents {
    /// Service namespace (`s3`, `iam`, ...).
    pub service: Str,
    /// Resource type, or the resource itself when there is no name (`role`, `my-bucket`).
    pub resource: Str,
    /// Resource name after the separator.
    pub resource_name: Option<Str>,
    /// Layout of the resource part (default [`ArnFormat::SlashResourceName`]).
    pub arn_format: Option<ArnFormat>,
    /// Partition (default: the stack's).
    pub partition: Option<Str>,
    /// Region (default: the stack's).
    pub region: Option<Str>,
    /// Account (default: the stack's).
    pub account: Option<Str>,
}

impl ArnComponents {
    /// `service` and `resource`, everything else defaulted.
    pub fn new(service: impl Into<Str>, resource: impl Into<Str>) -> Self {
        ArnComponents {
            service: service.into(),
            resource: resource.into(),
            ..Default::default()
        }
    }

    /// With a resource name.
    pub fn with_name(mut self, name: impl Into<Str>) -> Self {
        self.resource_name = Some(name.into());
        self
    }

    /// With a layout.
    pub fn with_format(mut self, format: ArnFormat) -> Self {
        self.arn_format = Some(format);
        self
    }

    /// With a region (`""` for global resources).
    pub fn with_region(mut self, region: impl Into<Str>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// With an account (`""` for S3 buckets).
    pub fn with_account(mut self, account: impl Into<Str>) -> Self {
        self.account = Some(account.into());
        self
    }
}

/// `arn:{partition}:{service}:{region}:{account}:{resource}{sep}{name}` (aws-cdk-lib's
/// `Arn.format`), with the given defaults for absent parts.
pub(crate) fn format(c: ArnComponents, partition: Str, region: Str, account: Str) -> Str {
    let partition = c.partition.unwrap_or(partition);
    let region = c.region.unwrap_or(region);
    let account = c.account.unwrap_or(account);
    let format = c.arn_format.unwrap_or_default();
    let sep = if format == ArnFormat::ColonResourceName {
        ":"
    } else {
        "/"
    };
    let mut arn =
        Str::from("arn:") + partition + ":" + c.service + ":" + region + ":" + account + ":";
    if format == ArnFormat::SlashResourceSlashResourceName {
        arn = arn + "/";
    }
    arn = arn + c.resource;
    if let Some(name) = c.resource_name {
        arn = arn + sep + name;
    }
    arn
}

/// A string as pieces: literal text and tokens (which never contain separators).
fn pieces(s: &Str) -> Option<Vec<Value>> {
    match s.value() {
        Value::String(text) => Some(vec![Value::String(text.clone())]),
        Value::Concat(parts) => Some(parts.clone()),
        _ => None,
    }
}

/// Splits `parts` at `sep` found in their literal text.
fn split_pieces(parts: &[Value], sep: char) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for part in parts {
        match part {
            Value::String(text) => {
                let mut first = true;
                for chunk in text.split(sep) {
                    if !first {
                        out.push(Vec::new());
                    }
                    first = false;
                    if !chunk.is_empty() {
                        out.last_mut()
                            .expect("never empty")
                            .push(Value::String(chunk.to_string()));
                    }
                }
            }
            token => out.last_mut().expect("never empty").push(token.clone()),
        }
    }
    out
}

fn join_pieces(parts: &[Value]) -> Str {
    Str::concat(parts.iter().cloned().map(Str::from_value))
}

fn is_empty(parts: &[Value]) -> bool {
    parts.is_empty()
}

/// Problems that make `arn` unusable as an ARN (literal ARNs only).
pub(crate) fn errors(arn: &Str) -> Vec<String> {
    let Some(text) = arn.literal() else {
        return Vec::new();
    };
    let components: Vec<&str> = text.split(':').collect();
    if !text.starts_with("arn:") || components.len() < 6 {
        return vec![format!(
            "ARNs must start with \"arn:\" and have at least 6 components: {text}"
        )];
    }
    let mut errors = Vec::new();
    for (i, what) in [(1, "partition"), (2, "service"), (5, "resource")] {
        if components[i].is_empty() {
            errors.push(format!(
                "the `{what}` component of an ARN is required: {text}"
            ));
        }
    }
    errors
}

/// aws-cdk-lib's `Arn.split`: literal ARNs (also with tokens inside, like
/// `arn:aws:iam::${Token}:role/x`) are split as text; an ARN that is a token altogether is
/// split at deploy time with `Fn::Split`/`Fn::Select`.
pub(crate) fn split(arn: &Str, format: ArnFormat) -> ArnComponents {
    let starts_with_arn = match arn.value() {
        Value::String(s) => s.starts_with("arn:"),
        Value::Concat(parts) => {
            matches!(parts.first(), Some(Value::String(s)) if s.starts_with("arn:"))
        }
        _ => false,
    };
    let parts = if starts_with_arn { pieces(arn) } else { None };
    let Some(parts) = parts else {
        return split_token(arn, format);
    };
    let components = split_pieces(&parts, ':');
    if components.len() < 6 {
        return split_token(arn, format);
    }
    let partition = join_pieces(&components[1]);
    let service = join_pieces(&components[2]);
    let region = join_pieces(&components[3]);
    let account = join_pieces(&components[4]);
    let resource_part = &components[5];
    let rest = &components[6..];
    // The resource part: `type/name`, `/type/name`, or `type` (`:name` in the rest).
    let slashes = split_pieces(resource_part, '/');
    let (mut resource, mut resource_name, detected): (Str, Option<Str>, ArnFormat) =
        if slashes.len() > 1 && format != ArnFormat::NoResourceName {
            if is_empty(&slashes[0]) && slashes.len() > 2 {
                // `/type/name...`
                let name: Vec<Value> = join_with(&slashes[2..], '/');
                (
                    join_pieces(&slashes[1]),
                    Some(join_pieces(&name)),
                    ArnFormat::SlashResourceSlashResourceName,
                )
            } else {
                let name: Vec<Value> = join_with(&slashes[1..], '/');
                (
                    join_pieces(&slashes[0]),
                    Some(join_pieces(&name)),
                    ArnFormat::SlashResourceName,
                )
            }
        } else if !rest.is_empty() {
            (
                join_pieces(resource_part),
                None,
                ArnFormat::ColonResourceName,
            )
        } else {
            (join_pieces(resource_part), None, ArnFormat::NoResourceName)
        };
    if !rest.is_empty() {
        let tail = join_pieces(&join_with(rest, ':'));
        resource_name = Some(match resource_name {
            Some(name) => name + ":" + tail,
            None => tail,
        });
    }
    if resource.literal() == Some("") {
        resource = Str::from("");
    }
    ArnComponents {
        service,
        resource,
        resource_name,
        arn_format: Some(detected),
        partition: Some(partition),
        region: Some(region),
        account: Some(account),
    }
}

fn join_with(groups: &[Vec<Value>], sep: char) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push(Value::String(sep.to_string()));
        }
        out.extend(g.iter().cloned());
    }
    out
}

/// aws-cdk-lib's `parseTokenArn`.
fn split_token(arn: &Str, format: ArnFormat) -> ArnComponents {
    let components = fns::split(":", arn.clone());
    let select = |i: usize| fns::select(i, components.clone());
    let (resource, resource_name) = match format {
        ArnFormat::NoResourceName => (select(5), None),
        ArnFormat::ColonResourceName => (select(5), Some(select(6))),
        ArnFormat::SlashResourceName => {
            let last = fns::split("/", select(5));
            (fns::select(0, last.clone()), Some(fns::select(1, last)))
        }
        ArnFormat::SlashResourceSlashResourceName => {
            let last = fns::split("/", select(5));
            (fns::select(1, last.clone()), Some(fns::select(2, last)))
        }
    };
    ArnComponents {
        service: select(2),
        resource,
        resource_name,
        arn_format: Some(format),
        partition: Some(select(1)),
        region: Some(select(3)),
        account: Some(select(4)),
    }
}

/// aws-cdk-lib's `Arn.extractResourceName`: the name after `resource_type/` (a token ARN is
/// split at deploy time).
pub fn extract_resource_name(arn: &Str, resource_type: &str) -> Str {
    if split_token_needed(arn) {
        return fns::select(1, fns::split(&format!(":{resource_type}/"), arn.clone()));
    }
    split(arn, ArnFormat::SlashResourceName)
        .resource_name
        .unwrap_or_default()
}

fn split_token_needed(arn: &Str) -> bool {
    match arn.value() {
        Value::String(s) => !s.starts_with("arn:"),
        Value::Concat(parts) => {
            !matches!(parts.first(), Some(Value::String(s)) if s.starts_with("arn:"))
        }
        _ => true,
    }
}
