//! The only module that talks to AWS.
//!
//! The rest of rcdk sees AWS through the small synchronous traits defined here
//! ([`CloudFormation`], [`AssetStore`], [`Ssm`], [`Lookups`] and the [`AwsProvider`] that hands them out per
//! region and role). [`sdk`] implements them with the official AWS SDK for Rust (standard
//! credential chain, profiles, `AWS_ENDPOINT_URL`, retries with backoff); tests implement them
//! with scripted fakes.

pub mod default_account;
pub mod sdk;
mod sdk_hotswap;
mod sdk_logs;
mod sdk_lookups;
pub mod signed_http;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// An error returned by an AWS API call: the service's error code (when there is one) and a
/// message that carries the full context (never just "service error").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    /// The service error code, e.g. `ValidationError`, `AccessDenied`.
    pub code: Option<String>,
    /// The message.
    pub message: String,
}

impl AwsError {
    /// rcdk's code for a request that never reached a service: the endpoint refused the
    /// connection, did not answer within the connect timeout, or its name did not resolve.
    pub const UNREACHABLE: &'static str = "EndpointUnreachable";
    /// rcdk's code for a request that could not be signed: no credentials were found (or the
    /// credential configuration is broken).
    pub const NO_CREDENTIALS: &'static str = "NoCredentials";

    /// Whether the endpoint could not be reached at all ([`AwsError::UNREACHABLE`]).
    pub fn is_unreachable(&self) -> bool {
        self.has_code(Self::UNREACHABLE)
    }

    /// Whether no usable credentials were found ([`AwsError::NO_CREDENTIALS`]).
    pub fn is_no_credentials(&self) -> bool {
        self.has_code(Self::NO_CREDENTIALS)
    }

    /// Whether nothing was asked of AWS (unreachable endpoint or no credentials): retrying with
    /// other credentials or for other stacks cannot help.
    pub fn is_local_failure(&self) -> bool {
        self.is_unreachable() || self.is_no_credentials()
    }

    /// An error with a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        AwsError {
            code: Some(code.into()),
            message: message.into(),
        }
    }

    /// Whether the code is `code`.
    pub fn has_code(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }

    /// Whether the error says that a stack does not exist (code `ValidationError`, message
    /// "Stack with id X does not exist").
    pub fn is_stack_missing(&self) -> bool {
        self.message.contains("does not exist")
            && (self.code.is_none() || self.has_code("ValidationError"))
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            // rcdk's own codes: the message says everything.
            Some(code) if code == Self::UNREACHABLE || code == Self::NO_CREDENTIALS => {
                f.write_str(&self.message)
            }
            Some(code) if !self.message.starts_with(code.as_str()) => {
                write!(f, "{code}: {}", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AwsError {}

/// Result of an AWS call.
pub type AwsResult<T> = std::result::Result<T, AwsError>;

/// The identity behind a set of credentials (STS GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    /// The account the credentials act in.
    pub account: String,
    /// The principal's ARN.
    pub arn: String,
}

/// A stack as DescribeStacks reports it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StackInfo {
    /// The stack ID (an ARN).
    pub stack_id: String,
    /// The stack name.
    pub stack_name: String,
    /// The status, e.g. `CREATE_COMPLETE`.
    pub status: String,
    /// Why the stack is in that status.
    pub status_reason: Option<String>,
    /// Outputs as (key, value), in the order CloudFormation returns them.
    pub outputs: Vec<(String, String)>,
    /// Parameter keys and values.
    pub parameters: BTreeMap<String, String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Whether termination protection is on.
    pub termination_protection: bool,
    /// When CloudFormation last updated the stack (seconds since the Unix epoch), if ever.
    pub last_updated: Option<i64>,
}

/// Where CloudFormation takes the template of a change set from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    /// The template text itself (at most 51,200 bytes).
    Body(String),
    /// An `https://` URL of the template in S3.
    Url(String),
}

/// One parameter of a change set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterValue {
    /// A new value.
    Value(String),
    /// Keep the value the stack has now.
    UsePrevious,
}

/// CREATE (new stack) or UPDATE (existing stack).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeSetType {
    /// The stack does not exist yet.
    Create,
    /// The stack exists.
    Update,
}

/// A CreateChangeSet request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetRequest {
    /// The stack name.
    pub stack_name: String,
    /// The change set name.
    pub change_set_name: String,
    /// CREATE or UPDATE.
    pub change_set_type: ChangeSetType,
    /// The template.
    pub template: TemplateSource,
    /// Parameters by key.
    pub parameters: BTreeMap<String, ParameterValue>,
    /// Capabilities to acknowledge (`CAPABILITY_IAM`, ...).
    pub capabilities: Vec<String>,
    /// The role CloudFormation acts with (the execution role), if any.
    pub role_arn: Option<String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// A description of the change set.
    pub description: Option<String>,
    /// A drift-aware change set (`DeploymentMode: REVERT_DRIFT`): it also brings resources
    /// changed outside CloudFormation back to the template.
    pub revert_drift: bool,
}

/// A change set as DescribeChangeSet reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSetInfo {
    /// `CREATE_PENDING`, `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `FAILED`, ...
    pub status: String,
    /// Why the change set has that status (e.g. "The submitted information didn't contain
    /// changes").
    pub status_reason: Option<String>,
    /// `AVAILABLE`, `UNAVAILABLE`, ...
    pub execution_status: Option<String>,
    /// The number of resource changes.
    pub change_count: usize,
}

/// One stack event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackEvent {
    /// The event ID (unique).
    pub event_id: String,
    /// The logical ID of the resource (the stack name for the stack itself).
    pub logical_id: String,
    /// The physical ID, if known.
    pub physical_id: Option<String>,
    /// The resource type (`AWS::CloudFormation::Stack` for the stack itself).
    pub resource_type: String,
    /// The resource status, e.g. `CREATE_FAILED`.
    pub status: String,
    /// Why the resource is in that status.
    pub reason: Option<String>,
    /// When it happened, in seconds since the Unix epoch.
    pub timestamp: i64,
}

/// A drift detection's state (DescribeStackDriftDetectionStatus).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriftDetection {
    /// `DETECTION_IN_PROGRESS`, `DETECTION_COMPLETE`, `DETECTION_FAILED`.
    pub status: String,
    /// `DRIFTED`, `IN_SYNC`, `UNKNOWN`, `NOT_CHECKED`.
    pub stack_drift_status: Option<String>,
    /// Why the detection has that status.
    pub reason: Option<String>,
}

/// One property of a drifted resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyDrift {
    /// The property path, e.g. `/Tags/0/Value`.
    pub path: String,
    /// The value the template sets (JSON text), if any.
    pub expected: Option<String>,
    /// The value the resource has (JSON text), if any.
    pub actual: Option<String>,
    /// `ADD`, `REMOVE` or `NOT_EQUAL`.
    pub kind: String,
}

/// The drift of one resource (DescribeStackResourceDrifts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceDrift {
    /// The logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// `IN_SYNC`, `MODIFIED`, `DELETED`, `NOT_CHECKED`, `UNKNOWN`.
    pub status: String,
    /// The differing properties (for `MODIFIED`).
    pub differences: Vec<PropertyDrift>,
}

fn no_drift_support() -> AwsError {
    AwsError::new(
        "NotSupported",
        "this CloudFormation client cannot detect drift",
    )
}

/// The CloudFormation calls rcdk makes. Implemented by the SDK client and by test fakes.
pub trait CloudFormation: Send + Sync {
    /// DescribeStacks for one stack; `None` when it does not exist.
    fn describe_stack(&self, stack_name: &str) -> AwsResult<Option<StackInfo>>;
    /// GetTemplate (original stage); `None` when the stack does not exist.
    fn get_template(&self, stack_name: &str) -> AwsResult<Option<String>>;
    /// CreateChangeSet.
    fn create_change_set(&self, request: &ChangeSetRequest) -> AwsResult<()>;
    /// DescribeChangeSet; `None` when it does not exist.
    fn describe_change_set(
        &self,
        stack_name: &str,
        change_set_name: &str,
    ) -> AwsResult<Option<ChangeSetInfo>>;
    /// DeleteChangeSet (a missing change set is not an error).
    fn delete_change_set(&self, stack_name: &str, change_set_name: &str) -> AwsResult<()>;
    /// ExecuteChangeSet.
    fn execute_change_set(&self, stack_name: &str, change_set_name: &str) -> AwsResult<()>;
    /// DescribeStackEvents, newest first, stopping before the event `stop_at` (all events when
    /// `None`).
    fn stack_events(&self, stack_name: &str, stop_at: Option<&str>) -> AwsResult<Vec<StackEvent>>;
    /// The ID of the newest event of the stack (one DescribeStackEvents page), if any.
    fn latest_event_id(&self, stack_name: &str) -> AwsResult<Option<String>>;
    /// DeleteStack, with the execution role if given.
    fn delete_stack(&self, stack_name: &str, role_arn: Option<&str>) -> AwsResult<()>;
    /// UpdateTerminationProtection.
    fn set_termination_protection(&self, stack_name: &str, enabled: bool) -> AwsResult<()>;
    /// DetectStackDrift: starts a drift detection, returns its ID.
    fn detect_stack_drift(&self, stack_name: &str) -> AwsResult<String> {
        let _ = stack_name;
        Err(no_drift_support())
    }
    /// DescribeStackDriftDetectionStatus.
    fn drift_detection_status(&self, detection_id: &str) -> AwsResult<DriftDetection> {
        let _ = detection_id;
        Err(no_drift_support())
    }
    /// DescribeStackResourceDrifts (all pages).
    fn resource_drifts(&self, stack_name: &str) -> AwsResult<Vec<ResourceDrift>> {
        let _ = stack_name;
        Err(no_drift_support())
    }
    /// ListStackResources (all pages): the stack's resources with their physical IDs.
    fn stack_resources(&self, stack_name: &str) -> AwsResult<Vec<StackResource>> {
        let _ = stack_name;
        Err(AwsError::new(
            "NotSupported",
            "this CloudFormation client cannot list stack resources",
        ))
    }
}

/// One resource of a deployed stack (ListStackResources).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackResource {
    /// The logical ID.
    pub logical_id: String,
    /// The physical ID (name or ARN, per resource type), once created.
    pub physical_id: Option<String>,
    /// The resource type.
    pub resource_type: String,
}

/// The new code of a Lambda function (UpdateFunctionCode).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunctionCode {
    /// `S3Bucket`.
    pub s3_bucket: Option<String>,
    /// `S3Key`.
    pub s3_key: Option<String>,
    /// `S3ObjectVersion`.
    pub s3_object_version: Option<String>,
    /// `ImageUri`.
    pub image_uri: Option<String>,
    /// `ZipFile`: the zip archive itself.
    pub zip_file: Option<Vec<u8>>,
}

/// The service calls of a hotswap deployment (`rcdk deploy --hotswap`, `rcdk watch`): they
/// change resources behind CloudFormation's back. Implemented with signed requests and by
/// test fakes.
pub trait Hotswap: Send + Sync {
    /// Lambda UpdateFunctionCode, then waits until the update finished.
    fn update_function_code(&self, function: &str, code: &FunctionCode) -> AwsResult<()>;
    /// Lambda UpdateFunctionConfiguration with `Description` and/or `Environment` (the
    /// template's value, e.g. `{"Variables": {...}}`), then waits until the update finished.
    fn update_function_configuration(
        &self,
        function: &str,
        description: Option<&str>,
        environment: Option<&serde_json::Value>,
    ) -> AwsResult<()>;
    /// Lambda PublishVersion: the new version number.
    fn publish_version(&self, function: &str) -> AwsResult<String>;
    /// Lambda UpdateAlias to `version`.
    fn update_alias(&self, function: &str, alias: &str, version: &str) -> AwsResult<()>;
    /// Step Functions UpdateStateMachine with a new definition.
    fn update_state_machine(&self, arn: &str, definition: &str) -> AwsResult<()>;
    /// CodeBuild UpdateProject with the request body (`name` plus the changed fields, in the
    /// API's camelCase).
    fn update_project(&self, request: &serde_json::Value) -> AwsResult<()>;
}

/// One event of a CloudWatch log group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogEvent {
    /// When it happened, in milliseconds since the Unix epoch.
    pub timestamp: i64,
    /// The message.
    pub message: String,
}

/// One page of FilterLogEvents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogEventsPage {
    /// The events, oldest first.
    pub events: Vec<LogEvent>,
    /// Set when more events match than the page holds.
    pub next_token: Option<String>,
}

/// The CloudWatch Logs calls of `rcdk watch --logs`. Implemented with signed requests and by
/// test fakes.
pub trait CloudWatchLogs: Send + Sync {
    /// FilterLogEvents: at most `limit` events of `group` from `start_time` (milliseconds
    /// since the epoch) on. A group that does not exist (yet) is `ResourceNotFoundException`.
    fn filter_log_events(
        &self,
        group: &str,
        start_time: i64,
        limit: u32,
    ) -> AwsResult<LogEventsPage>;
}

/// The S3 calls of asset publishing.
pub trait AssetStore: Send + Sync {
    /// HeadObject: whether the object exists.
    fn object_exists(&self, bucket: &str, key: &str) -> AwsResult<bool>;
    /// PutObject.
    fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>) -> AwsResult<()>;
}

/// The SSM calls (the bootstrap version parameter).
pub trait Ssm: Send + Sync {
    /// GetParameter; `None` when the parameter does not exist.
    fn get_parameter(&self, name: &str) -> AwsResult<Option<String>>;
}

/// An availability zone as DescribeAvailabilityZones reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AvailabilityZone {
    /// The zone name, e.g. `us-east-1a`.
    pub name: String,
    /// `available`, `impaired`, ...
    pub state: String,
}

/// A Route 53 hosted zone (ListHostedZonesByName).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostedZone {
    /// The zone ID, e.g. `/hostedzone/Z123`.
    pub id: String,
    /// The zone name with its trailing dot, e.g. `example.com.`.
    pub name: String,
    /// Whether it is a private zone.
    pub private: bool,
}

/// A VPC (DescribeVpcs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vpc {
    /// The VPC ID.
    pub vpc_id: String,
    /// Its primary IPv4 CIDR block.
    pub cidr_block: Option<String>,
    /// The owning account.
    pub owner_id: Option<String>,
}

/// A subnet (DescribeSubnets).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subnet {
    /// The subnet ID.
    pub subnet_id: String,
    /// The subnet ARN.
    pub subnet_arn: Option<String>,
    /// Its availability zone.
    pub availability_zone: String,
    /// Its IPv4 CIDR block.
    pub cidr_block: Option<String>,
    /// Whether instances get a public IP by default.
    pub map_public_ip_on_launch: bool,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// One route of a route table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    /// The destination CIDR block.
    pub destination_cidr_block: Option<String>,
    /// An internet (`igw-…`) or virtual private gateway ID.
    pub gateway_id: Option<String>,
    /// A NAT gateway ID.
    pub nat_gateway_id: Option<String>,
    /// A transit gateway ID.
    pub transit_gateway_id: Option<String>,
}

/// A route table (DescribeRouteTables).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteTable {
    /// The route table ID.
    pub route_table_id: String,
    /// The subnets associated with it.
    pub subnet_ids: Vec<String>,
    /// Whether it is the VPC's main route table.
    pub main: bool,
    /// Its routes.
    pub routes: Vec<Route>,
}

/// The read-only calls of the context providers (`rcdk` looks values up for apps that ask for
/// them in the manifest's `missing` list). Implemented by the SDK and by test fakes.
pub trait Lookups: Send + Sync {
    /// SSM GetParameter; `None` when the parameter does not exist.
    fn ssm_parameter(&self, name: &str) -> AwsResult<Option<String>>;
    /// EC2 DescribeAvailabilityZones.
    fn availability_zones(&self) -> AwsResult<Vec<AvailabilityZone>>;
    /// KMS ListAliases (all pages): (alias name, target key ID).
    fn kms_aliases(&self) -> AwsResult<Vec<(String, Option<String>)>>;
    /// Route 53 ListHostedZonesByName starting at `dns_name`.
    fn hosted_zones_by_name(&self, dns_name: &str) -> AwsResult<Vec<HostedZone>>;
    /// Route 53 GetHostedZone: the IDs of the VPCs associated with a private zone.
    fn hosted_zone_vpcs(&self, zone_id: &str) -> AwsResult<Vec<String>>;
    /// EC2 DescribeVpcs with filters (name → values).
    fn vpcs(&self, filters: &[(String, Vec<String>)]) -> AwsResult<Vec<Vpc>>;
    /// EC2 DescribeSubnets of one VPC.
    fn subnets(&self, vpc_id: &str) -> AwsResult<Vec<Subnet>>;
    /// EC2 DescribeRouteTables of one VPC.
    fn route_tables(&self, vpc_id: &str) -> AwsResult<Vec<RouteTable>>;
    /// EC2 DescribeVpnGateways attached to the VPC and available: their IDs.
    fn vpn_gateways(&self, vpc_id: &str) -> AwsResult<Vec<String>>;
}

/// Clients acting with one set of credentials in one region.
#[derive(Clone)]
pub struct Clients {
    /// CloudFormation.
    pub cloudformation: Arc<dyn CloudFormation>,
    /// S3.
    pub s3: Arc<dyn AssetStore>,
    /// SSM.
    pub ssm: Arc<dyn Ssm>,
}

impl fmt::Debug for Clients {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clients")
    }
}

/// Hands out clients per region and role.
pub trait AwsProvider: Send + Sync {
    /// The configured region (`AWS_REGION`, profile, ...), if any.
    fn default_region(&self) -> Option<String>;
    /// The identity of the current (not assumed) credentials.
    fn caller_identity(&self) -> AwsResult<CallerIdentity>;
    /// Clients for `region`, acting as `role_arn` (assumed with the current credentials) or
    /// with the current credentials when `None`. An error when the role cannot be assumed.
    fn clients(&self, region: &str, role_arn: Option<&str>) -> AwsResult<Clients>;
    /// Clients for context lookups in `region`, acting as `role_arn` (the lookup role) or
    /// with the current credentials. Providers that cannot look anything up keep the default.
    fn lookup_clients(&self, region: &str, role_arn: Option<&str>) -> AwsResult<Arc<dyn Lookups>> {
        let _ = (region, role_arn);
        Err(AwsError::new(
            "NotSupported",
            "this AWS provider cannot look up context values",
        ))
    }
    /// CloudWatch Logs in `region`, acting as `role_arn` or with the current credentials.
    /// Providers that cannot read logs keep the default.
    fn log_clients(
        &self,
        region: &str,
        role_arn: Option<&str>,
    ) -> AwsResult<Arc<dyn CloudWatchLogs>> {
        let _ = (region, role_arn);
        Err(AwsError::new(
            "NotSupported",
            "this AWS provider cannot read CloudWatch logs",
        ))
    }
    /// Clients for hotswap deployments in `region`, acting as `role_arn` (the deploy role) or
    /// with the current credentials. Providers that cannot hotswap keep the default.
    fn hotswap_clients(&self, region: &str, role_arn: Option<&str>) -> AwsResult<Arc<dyn Hotswap>> {
        let _ = (region, role_arn);
        Err(AwsError::new(
            "NotSupported",
            "this AWS provider cannot hotswap resources",
        ))
    }
}

/// The partition of a region (`aws`, `aws-cn`, `aws-us-gov`, ...).
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

/// The DNS suffix of a partition's service endpoints.
pub fn url_suffix(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "amazonaws.com.cn",
        "aws-iso" => "c2s.ic.gov",
        "aws-iso-b" => "sc2s.sgov.gov",
        _ => "amazonaws.com",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions() {
        assert_eq!(partition_of("eu-west-1"), "aws");
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        assert_eq!(partition_of("us-gov-west-1"), "aws-us-gov");
        assert_eq!(url_suffix("aws-cn"), "amazonaws.com.cn");
    }

    #[test]
    fn missing_stack_errors_are_recognised() {
        let e = AwsError::new("ValidationError", "Stack with id Foo does not exist");
        assert!(e.is_stack_missing());
        assert_eq!(
            e.to_string(),
            "ValidationError: Stack with id Foo does not exist"
        );
        assert!(!AwsError::new("AccessDenied", "denied").is_stack_missing());
    }
}
