//! DynamoDB: tables with a partition (and sort) key, on-demand or provisioned billing, a
//! removal policy (retain by default) and aws-cdk-lib's data grants.
//!
//! ```
//! use cdk_core::{App, RemovalPolicy, Stack, StackProps};
//! use cdk_constructs::dynamodb::{Attribute, AttributeType, BillingMode, Table, TableProps};
//! use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Service", StackProps::default());
//! let table = Table::new(&stack, "Products", TableProps {
//!     billing_mode: BillingMode::PayPerRequest,
//!     removal_policy: Some(RemovalPolicy::Destroy),
//!     ..TableProps::new(Attribute::new("id", AttributeType::String))
//! });
//! let role = Role::new(&stack, "Handler", RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")));
//! table.grant_read_write_data(&role);
//! assert!(table.table_arn().is_token());
//! ```

#[cfg(feature = "cloudwatch")]
mod metrics;
#[cfg(feature = "cloudwatch")]
pub use metrics::TableMetrics;

use std::cell::RefCell;
use std::rc::Rc;

use cdk_core::{
    ArnComponents, Aws, IConstruct, Node, PhysicalName, RemovalPolicy, Resource,
    ResourceEnvironment, ResourceProps, Stack, Str,
};
use cfn_table::{
    AttributeDefinitionAttributeType, AttributeDefinitionProperty, KeySchemaProperty,
    PointInTimeRecoverySpecificationProperty, ProvisionedThroughputProperty,
    ResourcePolicyProperty,
};

use crate::generated::runtime::Late;
use crate::iam::{
    AddToResourcePolicyResult, Grant, GrantOptions, IPrincipal, IResourceWithPolicy,
    PolicyDocument, PolicyStatement,
};
use crate::Bool;

/// Read actions that apply to the table (aws-cdk-lib's `RESOURCE_READ_DATA_ACTIONS`).
pub const RESOURCE_READ_DATA_ACTIONS: &[&str] = &[
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:GetItem",
    "dynamodb:Scan",
    "dynamodb:ConditionCheckItem",
];
/// Stream read actions only a principal policy can grant.
pub const PRINCIPAL_ONLY_READ_DATA_ACTIONS: &[&str] =
    &["dynamodb:GetRecords", "dynamodb:GetShardIterator"];
/// Data write actions (aws-cdk-lib's `WRITE_DATA_ACTIONS`).
pub const WRITE_DATA_ACTIONS: &[&str] = &[
    "dynamodb:BatchWriteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
];
/// `dynamodb:DescribeTable`, added to every data grant.
pub const DESCRIBE_TABLE: &str = "dynamodb:DescribeTable";

/// Actions that read a table's stream (aws-cdk-lib `READ_STREAM_DATA_ACTIONS`).
pub const READ_STREAM_DATA_ACTIONS: &[&str] = &[
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
];

/// The type of a key attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeType {
    /// `S`
    String,
    /// `N`
    Number,
    /// `B`
    Binary,
}

impl AttributeType {
    fn code(self) -> &'static str {
        match self {
            AttributeType::String => "S",
            AttributeType::Number => "N",
            AttributeType::Binary => "B",
        }
    }

    fn cfn(self) -> AttributeDefinitionAttributeType {
        match self {
            AttributeType::String => AttributeDefinitionAttributeType::S,
            AttributeType::Number => AttributeDefinitionAttributeType::N,
            AttributeType::Binary => AttributeDefinitionAttributeType::B,
        }
    }
}

/// A key attribute: name and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute name.
    pub name: String,
    /// Attribute type.
    pub r#type: AttributeType,
}

impl Attribute {
    /// An attribute `name` of type `r#type`.
    pub fn new(name: &str, r#type: AttributeType) -> Self {
        Attribute {
            name: name.to_string(),
            r#type,
        }
    }
}

/// How reads and writes are charged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BillingMode {
    /// Provisioned capacity (aws-cdk-lib's default; 5 read and 5 write units unless set).
    #[default]
    Provisioned,
    /// On demand (`PAY_PER_REQUEST`).
    PayPerRequest,
}

/// What a table's stream records of a changed item (`StreamSpecification.StreamViewType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamViewType {
    /// The item as it is after the change (`NEW_IMAGE`).
    NewImage,
    /// The item as it was before the change (`OLD_IMAGE`).
    OldImage,
    /// Both images (`NEW_AND_OLD_IMAGES`).
    NewAndOldImages,
    /// Only the key attributes (`KEYS_ONLY`).
    KeysOnly,
}

impl StreamViewType {
    /// The CloudFormation value.
    pub fn name(self) -> &'static str {
        match self {
            StreamViewType::NewImage => "NEW_IMAGE",
            StreamViewType::OldImage => "OLD_IMAGE",
            StreamViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
            StreamViewType::KeysOnly => "KEYS_ONLY",
        }
    }
}

/// Which attributes a secondary index holds besides the keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProjectionType {
    /// Only the index and table keys (`KEYS_ONLY`).
    KeysOnly,
    /// The keys and the listed `non_key_attributes` (`INCLUDE`).
    Include,
    /// Every attribute (`ALL`, aws-cdk-lib's default).
    #[default]
    All,
}

impl ProjectionType {
    /// The CloudFormation value.
    pub fn name(self) -> &'static str {
        match self {
            ProjectionType::KeysOnly => "KEYS_ONLY",
            ProjectionType::Include => "INCLUDE",
            ProjectionType::All => "ALL",
        }
    }
}

/// Properties of a global secondary index ([`Table::add_global_secondary_index`]).
#[derive(Clone, Debug)]
pub struct GlobalSecondaryIndexProps {
    /// The index name (unique among the table's indexes).
    pub index_name: String,
    /// The index's partition key.
    pub partition_key: Attribute,
    /// The index's sort key.
    pub sort_key: Option<Attribute>,
    /// Projected attributes (default `ALL`).
    pub projection_type: Option<ProjectionType>,
    /// The attributes projected with `INCLUDE` (required then, refused otherwise).
    pub non_key_attributes: Option<Vec<String>>,
    /// Read capacity units (provisioned tables only; default 5).
    pub read_capacity: Option<u32>,
    /// Write capacity units (provisioned tables only; default 5).
    pub write_capacity: Option<u32>,
    /// Maximum read request units (on-demand tables).
    pub max_read_request_units: Option<u32>,
    /// Maximum write request units (on-demand tables).
    pub max_write_request_units: Option<u32>,
    /// CloudWatch Contributor Insights for the index (deprecated in aws-cdk-lib: use
    /// `contributor_insights_specification`).
    pub contributor_insights_enabled: Option<bool>,
    /// CloudWatch Contributor Insights settings of the index.
    pub contributor_insights_specification: Option<ContributorInsightsSpecification>,
}

impl GlobalSecondaryIndexProps {
    /// An index `index_name` on `partition_key`, defaults elsewhere.
    pub fn new(index_name: &str, partition_key: Attribute) -> Self {
        GlobalSecondaryIndexProps {
            index_name: index_name.to_string(),
            partition_key,
            sort_key: None,
            projection_type: None,
            non_key_attributes: None,
            read_capacity: None,
            write_capacity: None,
            max_read_request_units: None,
            max_write_request_units: None,
            contributor_insights_enabled: None,
            contributor_insights_specification: None,
        }
    }
}

/// Properties of a local secondary index ([`Table::add_local_secondary_index`]): the table's
/// partition key with another sort key.
#[derive(Clone, Debug)]
pub struct LocalSecondaryIndexProps {
    /// The index name (unique among the table's indexes).
    pub index_name: String,
    /// The index's sort key.
    pub sort_key: Attribute,
    /// Projected attributes (default `ALL`).
    pub projection_type: Option<ProjectionType>,
    /// The attributes projected with `INCLUDE`.
    pub non_key_attributes: Option<Vec<String>>,
}

impl LocalSecondaryIndexProps {
    /// An index `index_name` sorted by `sort_key`, projecting every attribute.
    pub fn new(index_name: &str, sort_key: Attribute) -> Self {
        LocalSecondaryIndexProps {
            index_name: index_name.to_string(),
            sort_key,
            projection_type: None,
            non_key_attributes: None,
        }
    }
}

/// What Contributor Insights tracks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContributorInsightsMode {
    /// Accessed and throttled keys (`ACCESSED_AND_THROTTLED_KEYS`).
    AccessedAndThrottledKeys,
    /// Throttled keys only (`THROTTLED_KEYS`).
    ThrottledKeys,
}

/// CloudWatch Contributor Insights settings (aws-cdk-lib `ContributorInsightsSpecification`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContributorInsightsSpecification {
    /// Whether Contributor Insights is on.
    pub enabled: bool,
    /// What it tracks (default: DynamoDB's, accessed and throttled keys).
    pub mode: Option<ContributorInsightsMode>,
}

impl ContributorInsightsSpecification {
    fn cfn(self) -> cfn_table::ContributorInsightsSpecificationProperty {
        cfn_table::ContributorInsightsSpecificationProperty {
            mode: self.mode.map(|m| match m {
                ContributorInsightsMode::AccessedAndThrottledKeys => {
                    cfn_table::ContributorInsightsSpecificationMode::AccessedAndThrottledKeys
                }
                ContributorInsightsMode::ThrottledKeys => {
                    cfn_table::ContributorInsightsSpecificationMode::ThrottledKeys
                }
            }),
            ..cfn_table::ContributorInsightsSpecificationProperty::new(self.enabled)
        }
    }
}

/// aws-cdk-lib's `validateContributorInsights`: the specification, else the deprecated flag.
fn contributor_insights(
    node: &Node,
    enabled: Option<bool>,
    specification: Option<ContributorInsightsSpecification>,
) -> Option<cfn_table::ContributorInsightsSpecificationProperty> {
    if enabled.is_some() && specification.is_some() {
        node.add_error("`contributorInsightsSpecification` and `contributorInsightsEnabled` are set. Use `contributorInsightsSpecification` only.");
    }
    specification
        .or(enabled.map(|enabled| ContributorInsightsSpecification {
            enabled,
            mode: None,
        }))
        .map(ContributorInsightsSpecification::cfn)
}

/// How a table is encrypted at rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableEncryption {
    /// An AWS-owned key (`SSEEnabled: false`).
    Default,
    /// The AWS-managed key `aws/dynamodb` (`SSEEnabled: true`).
    AwsManaged,
    /// A customer-managed KMS key: `encryption_key`, or a key `Key` created with rotation.
    CustomerManaged,
}

/// The most local secondary indexes a table may have.
pub const MAX_LOCAL_SECONDARY_INDEX_COUNT: usize = 5;

/// Properties of a [`Table`].
#[derive(Clone)]
pub struct TableProps {
    /// Partition (hash) key.
    pub partition_key: Attribute,
    /// Sort (range) key.
    pub sort_key: Option<Attribute>,
    /// Billing mode (default provisioned, as aws-cdk-lib).
    pub billing_mode: BillingMode,
    /// Read capacity units (provisioned only; default 5).
    pub read_capacity: Option<u32>,
    /// Write capacity units (provisioned only; default 5).
    pub write_capacity: Option<u32>,
    /// Physical name (3-255 characters of `[a-zA-Z0-9_.-]`; default generated), or
    /// [`PhysicalName::GENERATE_IF_NEEDED`].
    pub table_name: Option<PhysicalName>,
    /// What happens on removal (default retain, as aws-cdk-lib).
    pub removal_policy: Option<RemovalPolicy>,
    /// Point-in-time recovery (default: not set, i.e. disabled).
    pub point_in_time_recovery: Option<bool>,
    /// Days of point-in-time recovery history (1-35; needs `point_in_time_recovery`).
    pub recovery_period_in_days: Option<u32>,
    /// Attribute holding an item's expiry time (enables TTL).
    pub time_to_live_attribute: Option<String>,
    /// Deletion protection.
    pub deletion_protection: Option<bool>,
    /// Write item changes to a DynamoDB stream with this view ([`Table::table_stream_arn`]).
    pub stream: Option<StreamViewType>,
    /// CloudWatch Contributor Insights for the table (deprecated in aws-cdk-lib: use
    /// `contributor_insights_specification`).
    pub contributor_insights_enabled: Option<bool>,
    /// CloudWatch Contributor Insights settings.
    pub contributor_insights_specification: Option<ContributorInsightsSpecification>,
    /// Encryption at rest (default: not rendered, DynamoDB's AWS-owned key; with
    /// `encryption_key` set, customer-managed).
    pub encryption: Option<TableEncryption>,
    /// The KMS key of [`TableEncryption::CustomerManaged`].
    #[cfg(feature = "kms")]
    pub encryption_key: Option<crate::kms::Key>,
    /// The table's resource policy (statements added by grants and
    /// `add_to_resource_policy` join it).
    pub resource_policy: Option<PolicyDocument>,
    /// Maximum read request units (on-demand tables).
    pub max_read_request_units: Option<u32>,
    /// Maximum write request units (on-demand tables).
    pub max_write_request_units: Option<u32>,
}

impl std::fmt::Debug for TableProps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableProps")
            .field("partition_key", &self.partition_key)
            .field("sort_key", &self.sort_key)
            .field("billing_mode", &self.billing_mode)
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

impl TableProps {
    /// Props with a partition key and defaults elsewhere.
    pub fn new(partition_key: Attribute) -> Self {
        TableProps {
            partition_key,
            sort_key: None,
            billing_mode: BillingMode::default(),
            read_capacity: None,
            write_capacity: None,
            table_name: None,
            removal_policy: None,
            point_in_time_recovery: None,
            recovery_period_in_days: None,
            time_to_live_attribute: None,
            deletion_protection: None,
            stream: None,
            contributor_insights_enabled: None,
            contributor_insights_specification: None,
            encryption: None,
            #[cfg(feature = "kms")]
            encryption_key: None,
            resource_policy: None,
            max_read_request_units: None,
            max_write_request_units: None,
        }
    }
}

/// Problems with a literal table name, by DynamoDB's rules: 3 to 255 characters of
/// `a-z`, `A-Z`, `0-9`, `_`, `-` and `.`.
pub fn table_name_errors(name: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if !(3..=255).contains(&name.len()) {
        errors.push(format!(
            "table name '{name}' must be between 3 and 255 characters long (got {})",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        errors.push(format!(
            "table name '{name}' may only contain letters, digits, '_', '-' and '.' (found '{c}')"
        ));
    }
    errors
}

/// A DynamoDB table (`AWS::DynamoDB::Table`), created as `Resource` under the construct.
///
/// Grants name the table and (as aws-cdk-lib) a second resource, `{"Ref": "AWS::NoValue"}`,
/// standing for the table's indexes (`<arn>/index/*`) when it has any.
///
/// ```
/// # use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::dynamodb::{Attribute, AttributeType, Table, TableProps};
/// # let app = App::new();
/// # let stack = Stack::new(&app, "S", StackProps::default());
/// let table = Table::new(&stack, "Orders", TableProps {
///     sort_key: Some(Attribute::new("createdAt", AttributeType::Number)),
///     read_capacity: Some(10),
///     ..TableProps::new(Attribute::new("customerId", AttributeType::String))
/// });
/// # let _ = table;
/// ```
#[derive(Clone)]
pub struct Table {
    base: Resource,
    resource: CfnTable,
    policy: Rc<RefCell<Option<PolicyDocument>>>,
    arn: Str,
    name: Str,
    indexes: Rc<RefCell<Indexes>>,
    stream_arn: Option<Str>,
    #[cfg_attr(not(feature = "kms"), allow(dead_code))]
    encryption_key: Option<EncryptionKey>,
}

#[cfg(feature = "kms")]
type EncryptionKey = crate::kms::Key;
#[cfg(not(feature = "kms"))]
type EncryptionKey = std::convert::Infallible;

/// KMS actions a data reader needs on the table's key (aws-cdk-lib `KEY_READ_ACTIONS`).
pub const KEY_READ_ACTIONS: &[&str] = &["kms:Decrypt", "kms:DescribeKey"];
/// KMS actions a data writer needs besides the read ones (aws-cdk-lib `KEY_WRITE_ACTIONS`).
pub const KEY_WRITE_ACTIONS: &[&str] = &["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"];

/// The key attributes and secondary indexes of a table, rendered lazily (indexes are added
/// after the table is created).
#[derive(Default)]
struct Indexes {
    attributes: Vec<(String, AttributeType)>,
    global: Vec<cfn_table::GlobalSecondaryIndexProperty>,
    local: Vec<cfn_table::LocalSecondaryIndexProperty>,
    names: Vec<String>,
    non_key_attributes: std::collections::BTreeSet<String>,
    on_demand: bool,
    partition_key: String,
    has_sort_key: bool,
}

impl Indexes {
    /// aws-cdk-lib's `registerAttribute`: a new attribute definition, or an error when the name
    /// is already defined with another type.
    fn register(&mut self, node: &Node, attribute: &Attribute) {
        match self.attributes.iter().find(|(n, _)| *n == attribute.name) {
            Some((_, t)) if *t != attribute.r#type => node.add_error(&format!(
                "Unable to specify {} as {} because it was already defined as {}",
                attribute.name,
                attribute.r#type.code(),
                t.code()
            )),
            Some(_) => {}
            None => self
                .attributes
                .push((attribute.name.clone(), attribute.r#type)),
        }
    }

    fn check_name(&mut self, node: &Node, name: &str) {
        if self.names.iter().any(|n| n == name) {
            node.add_error(&format!("a duplicate index name, {name}, is not allowed"));
        } else {
            self.names.push(name.to_string());
        }
    }

    /// aws-cdk-lib's `buildIndexProjection`.
    fn projection(
        &mut self,
        node: &Node,
        projection_type: Option<ProjectionType>,
        non_key_attributes: &Option<Vec<String>>,
    ) -> cfn_table::ProjectionProperty {
        let projection_type = projection_type.unwrap_or_default();
        match (projection_type, non_key_attributes) {
            (ProjectionType::Include, None) => node.add_error(
                "non-key attributes should be specified when using INCLUDE projection type",
            ),
            (t, Some(_)) if t != ProjectionType::Include => node.add_error(
                "non-key attributes should not be specified when not using INCLUDE projection type",
            ),
            _ => {}
        }
        if let Some(attributes) = non_key_attributes {
            if self.non_key_attributes.len() + attributes.len() > 100 {
                node.add_error(
                    "a maximum number of nonKeyAttributes across all of secondary indexes is 100",
                );
            }
            self.non_key_attributes.extend(attributes.iter().cloned());
        }
        cfn_table::ProjectionProperty {
            projection_type: Some(projection_type.name().into()),
            non_key_attributes: non_key_attributes.as_ref().map(|a| {
                a.iter()
                    .map(|n| Str::from(n.as_str()))
                    .collect::<Vec<_>>()
                    .into()
            }),
        }
    }
}

impl IConstruct for Table {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Table {
    /// Defines table `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: TableProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.dynamodb.Table",
            ResourceProps {
                physical_name: props.table_name.clone(),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        if let Some(PhysicalName::Given(name)) = &props.table_name {
            if let Some(name) = name.literal() {
                for e in table_name_errors(name) {
                    node.add_error(&e);
                }
            }
        }
        let on_demand = props.billing_mode == BillingMode::PayPerRequest;
        if on_demand && (props.read_capacity.is_some() || props.write_capacity.is_some()) {
            node.add_error(
                "you cannot provision read and write capacity for a table with PAY_PER_REQUEST billing mode",
            );
        }
        for (what, units) in [
            ("read", props.read_capacity),
            ("write", props.write_capacity),
        ] {
            if units == Some(0) {
                node.add_error(&format!("{what} capacity must be at least 1"));
            }
        }
        let mut key_schema = vec![KeySchemaProperty::new(
            props.partition_key.name.as_str(),
            "HASH",
        )];
        let mut indexes = Indexes {
            on_demand,
            partition_key: props.partition_key.name.clone(),
            has_sort_key: props.sort_key.is_some(),
            ..Default::default()
        };
        indexes.register(&node, &props.partition_key);
        if let Some(sort) = &props.sort_key {
            if sort.name == props.partition_key.name {
                node.add_error(&format!(
                    "the sort key '{}' must differ from the partition key",
                    sort.name
                ));
            } else {
                indexes.register(&node, sort);
            }
            key_schema.push(KeySchemaProperty::new(sort.name.as_str(), "RANGE"));
        }
        let indexes = Rc::new(RefCell::new(indexes));
        for key in std::iter::once(&props.partition_key).chain(props.sort_key.as_ref()) {
            if key.name.is_empty() || key.name.len() > 255 {
                node.add_error(&format!(
                    "key attribute name '{}' must be 1 to 255 characters long",
                    key.name
                ));
            }
        }
        if let Some(days) = props.recovery_period_in_days {
            if props.point_in_time_recovery != Some(true) {
                node.add_error(
                    "Cannot set `recoveryPeriodInDays` while `pointInTimeRecoveryEnabled` is set to false.",
                );
            }
            if !(1..=35).contains(&days) {
                node.add_error("`recoveryPeriodInDays` must be a value between `1` and `35`.");
            }
        }
        let (sse_specification, encryption_key) = Self::encryption(&node, &props);
        let policy: Rc<RefCell<Option<PolicyDocument>>> =
            Rc::new(RefCell::new(props.resource_policy.clone()));
        let for_render = policy.clone();
        let on_demand_throughput = (props.max_read_request_units.is_some()
            || props.max_write_request_units.is_some())
        .then(|| cfn_table::OnDemandThroughputProperty {
            max_read_request_units: props.max_read_request_units.map(Into::into),
            max_write_request_units: props.max_write_request_units.map(Into::into),
        })
        .filter(|_| on_demand);
        let resource = CfnTable::new(
            &base,
            "Resource",
            CfnTableProps {
                table_name: base.physical_name(),

                billing_mode: on_demand.then(|| "PAY_PER_REQUEST".into()),
                provisioned_throughput: (!on_demand).then(|| {
                    ProvisionedThroughputProperty::new(
                        props.read_capacity.unwrap_or(5),
                        props.write_capacity.unwrap_or(5),
                    )
                }),
                point_in_time_recovery_specification: props.point_in_time_recovery.map(|enabled| {
                    PointInTimeRecoverySpecificationProperty {
                        point_in_time_recovery_enabled: Some(Bool::from(enabled)),
                        recovery_period_in_days: props.recovery_period_in_days.map(Into::into),
                    }
                }),
                time_to_live_specification: props.time_to_live_attribute.map(|attribute| {
                    cfn_table::TimeToLiveSpecificationProperty {
                        attribute_name: Some(attribute.as_str().into()),
                        enabled: Bool::from(true),
                    }
                }),
                deletion_protection_enabled: props.deletion_protection.map(Bool::from),
                stream_specification: props.stream.map(|view| {
                    cfn_table::StreamSpecificationProperty {
                        stream_view_type: view.name().into(),
                        resource_policy: None,
                    }
                }),
                contributor_insights_specification: contributor_insights(
                    &node,
                    props.contributor_insights_enabled,
                    props.contributor_insights_specification,
                ),
                sse_specification,
                on_demand_throughput,
                ..CfnTableProps::new(key_schema)
            },
        );
        let render = indexes.clone();
        resource.set_attribute_definitions(Late::lazy(move || {
            Some(
                render
                    .borrow()
                    .attributes
                    .iter()
                    .map(|(name, t)| AttributeDefinitionProperty::new(name.as_str(), t.cfn()))
                    .collect(),
            )
        }));
        let render = indexes.clone();
        resource.set_global_secondary_indexes(Late::lazy(move || {
            let i = render.borrow();
            (!i.global.is_empty()).then(|| i.global.clone())
        }));
        let render = indexes.clone();
        resource.set_local_secondary_indexes(Late::lazy(move || {
            let i = render.borrow();
            (!i.local.is_empty()).then(|| i.local.clone())
        }));
        let check = indexes.clone();
        node.add_validation(move || {
            let i = check.borrow();
            if !i.local.is_empty() && !i.has_sort_key {
                vec![
                    "a sort key of the table must be specified to add local secondary indexes"
                        .to_string(),
                ]
            } else {
                Vec::new()
            }
        });
        let stream_arn = props.stream.map(|_| resource.attr_stream_arn());
        resource.set_resource_policy(Late::lazy(move || match for_render.borrow().as_ref() {
            Some(doc) if !doc.is_empty() => Some(ResourcePolicyProperty::new(doc.to_value())),
            _ => None,
        }));
        resource
            .resource()
            .apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Retain));
        let doc_check = policy.clone();
        node.add_validation(move || {
            doc_check
                .borrow()
                .as_ref()
                .map(PolicyDocument::validate_for_resource_policy)
                .unwrap_or_default()
        });
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("dynamodb", "table")
                .with_name(base.physical_name().unwrap_or_default()),
        );
        let name = base.name_attribute(resource.ref_());
        Table {
            base,
            resource,
            policy,
            arn,
            name,
            indexes,
            stream_arn,
            encryption_key,
        }
    }

    /// aws-cdk-lib's `parseEncryption`.
    fn encryption(
        node: &Node,
        props: &TableProps,
    ) -> (
        Option<cfn_table::SSESpecificationProperty>,
        Option<EncryptionKey>,
    ) {
        #[cfg(feature = "kms")]
        let given_key = props.encryption_key.clone();
        #[cfg(not(feature = "kms"))]
        let given_key: Option<EncryptionKey> = None;
        let encryption = props
            .encryption
            .or_else(|| given_key.as_ref().map(|_| TableEncryption::CustomerManaged));
        if given_key.is_some() && encryption != Some(TableEncryption::CustomerManaged) {
            node.add_error(&format!(
                "encryptionKey cannot be specified unless encryption is set to TableEncryption.CUSTOMER_MANAGED (it was set to {})",
                match encryption {
                    Some(TableEncryption::AwsManaged) => "AWS_MANAGED",
                    _ => "AWS_OWNED",
                }
            ));
        }
        match encryption {
            None => (None, None),
            Some(TableEncryption::Default) => {
                (Some(cfn_table::SSESpecificationProperty::new(false)), None)
            }
            Some(TableEncryption::AwsManaged) => {
                (Some(cfn_table::SSESpecificationProperty::new(true)), None)
            }
            Some(TableEncryption::CustomerManaged) => {
                #[cfg(feature = "kms")]
                {
                    let key = given_key.unwrap_or_else(|| {
                        crate::kms::Key::new(
                            node,
                            "Key",
                            crate::kms::KeyProps {
                                description: Some(format!(
                                    "Customer-managed key auto-created for encrypting DynamoDB table at {}",
                                    node.path()
                                )),
                                enable_key_rotation: Some(true),
                                ..Default::default()
                            },
                        )
                    });
                    (
                        Some(cfn_table::SSESpecificationProperty {
                            kms_master_key_id: Some(key.key_arn()),
                            sse_type: Some(cfn_table::SSESpecificationSSEType::Kms),
                            ..cfn_table::SSESpecificationProperty::new(true)
                        }),
                        Some(key),
                    )
                }
                #[cfg(not(feature = "kms"))]
                {
                    node.add_error(
                        "TableEncryption::CustomerManaged needs cdk-constructs' `kms` feature",
                    );
                    (None, None)
                }
            }
        }
    }

    /// The customer-managed key the table is encrypted with, if any.
    #[cfg(feature = "kms")]
    pub fn encryption_key(&self) -> Option<&crate::kms::Key> {
        self.encryption_key.as_ref()
    }

    /// aws-cdk-lib's `grantOnKey`: `actions` on the table's customer-managed key, if any.
    fn grant_on_key(&self, grantee: &dyn IPrincipal, actions: &[&str]) {
        #[cfg(feature = "kms")]
        if let Some(key) = &self.encryption_key {
            key.grant(grantee, actions);
        }
        #[cfg(not(feature = "kms"))]
        let _ = (grantee, actions);
    }

    /// Adds a global secondary index (aws-cdk-lib `addGlobalSecondaryIndex`): its key
    /// attributes join the table's attribute definitions; on a provisioned table it gets
    /// `read_capacity`/`write_capacity` units (default 5 each).
    pub fn add_global_secondary_index(&self, props: GlobalSecondaryIndexProps) {
        let node = self.node();
        let mut i = self.indexes.borrow_mut();
        if i.on_demand && (props.read_capacity.is_some() || props.write_capacity.is_some()) {
            node.add_error(
                "you cannot provision read and write capacity for a table with PAY_PER_REQUEST billing mode",
            );
        }
        i.check_name(node, &props.index_name);
        i.register(node, &props.partition_key);
        let mut key_schema = vec![cfn_table::GlobalSecondaryIndexKeySchemaProperty::new(
            props.partition_key.name.as_str(),
            "HASH",
        )];
        if let Some(sort) = &props.sort_key {
            i.register(node, sort);
            key_schema.push(cfn_table::GlobalSecondaryIndexKeySchemaProperty::new(
                sort.name.as_str(),
                "RANGE",
            ));
        }
        let projection = i.projection(node, props.projection_type, &props.non_key_attributes);
        let on_demand = i.on_demand;
        i.global.push(cfn_table::GlobalSecondaryIndexProperty {
            contributor_insights_specification: contributor_insights(
                node,
                props.contributor_insights_enabled,
                props.contributor_insights_specification,
            ),
            provisioned_throughput: (!on_demand).then(|| {
                ProvisionedThroughputProperty::new(
                    props.read_capacity.unwrap_or(5),
                    props.write_capacity.unwrap_or(5),
                )
            }),
            on_demand_throughput: (on_demand
                && (props.max_read_request_units.is_some()
                    || props.max_write_request_units.is_some()))
            .then(|| cfn_table::OnDemandThroughputProperty {
                max_read_request_units: props.max_read_request_units.map(Into::into),
                max_write_request_units: props.max_write_request_units.map(Into::into),
            }),
            ..cfn_table::GlobalSecondaryIndexProperty::new(
                props.index_name.as_str(),
                key_schema,
                projection,
            )
        });
    }

    /// Adds a local secondary index (aws-cdk-lib `addLocalSecondaryIndex`): the table's
    /// partition key with `sort_key`. At most [`MAX_LOCAL_SECONDARY_INDEX_COUNT`]; the table
    /// needs a sort key.
    pub fn add_local_secondary_index(&self, props: LocalSecondaryIndexProps) {
        let node = self.node();
        let mut i = self.indexes.borrow_mut();
        if i.local.len() >= MAX_LOCAL_SECONDARY_INDEX_COUNT {
            node.add_error(&format!(
                "a maximum number of local secondary index per table is {MAX_LOCAL_SECONDARY_INDEX_COUNT}"
            ));
            return;
        }
        i.check_name(node, &props.index_name);
        i.register(node, &props.sort_key);
        let key_schema = vec![
            KeySchemaProperty::new(i.partition_key.as_str(), "HASH"),
            KeySchemaProperty::new(props.sort_key.name.as_str(), "RANGE"),
        ];
        let projection = i.projection(node, props.projection_type, &props.non_key_attributes);
        i.local.push(cfn_table::LocalSecondaryIndexProperty::new(
            props.index_name.as_str(),
            key_schema,
            projection,
        ));
    }

    /// True once the table has a global or local secondary index (grants then also name
    /// `<table arn>/index/*`).
    pub fn has_index(&self) -> bool {
        let i = self.indexes.borrow();
        !i.global.is_empty() || !i.local.is_empty()
    }

    /// The ARN of the table's stream (`Fn::GetAtt StreamArn`), when `stream` is set.
    pub fn table_stream_arn(&self) -> Option<Str> {
        self.stream_arn.clone()
    }

    /// Grants `actions` on the table's stream to `grantee` (aws-cdk-lib `grantStream`). A table
    /// without a stream is a synth error.
    pub fn grant_stream(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        match &self.stream_arn {
            Some(arn) => Grant::add_to_principal(grantee, actions, [arn.clone()]),
            None => {
                self.node().add_error(&format!(
                    "DynamoDB Streams must be enabled on the table {}",
                    self.node().path()
                ));
                Grant::default()
            }
        }
    }

    /// `dynamodb:ListStreams` on `*` (aws-cdk-lib `grantTableListStreams`).
    pub fn grant_table_list_streams(&self, grantee: &dyn IPrincipal) -> Grant {
        if self.stream_arn.is_none() {
            self.node().add_error(&format!(
                "DynamoDB Streams must be enabled on the table {}",
                self.node().path()
            ));
            return Grant::default();
        }
        Grant::add_to_principal(grantee, &["dynamodb:ListStreams"], ["*"])
    }

    /// Reading the stream (aws-cdk-lib `grantStreamRead`): `dynamodb:ListStreams` on `*`, then
    /// `DescribeStream`, `GetRecords`, `GetShardIterator` on the stream ARN.
    pub fn grant_stream_read(&self, grantee: &dyn IPrincipal) -> Grant {
        let list = self.grant_table_list_streams(grantee);
        if self.stream_arn.is_none() {
            return list;
        }
        self.grant_on_key(grantee, KEY_READ_ACTIONS);
        self.grant_stream(grantee, READ_STREAM_DATA_ACTIONS)
    }

    /// An existing table of the stack's account and region by name.
    pub fn from_table_name(scope: &impl IConstruct, id: &str, name: &str) -> ImportedTable {
        let arn = match Stack::of(scope) {
            Some(s) => s.format_arn(ArnComponents::new("dynamodb", "table").with_name(name)),
            None => Str::from(name),
        };
        ImportedTable::new(scope, id, arn, Str::from(name))
    }

    /// An existing table by ARN (its name is the ARN's resource name).
    pub fn from_table_arn(scope: &impl IConstruct, id: &str, arn: impl Into<Str>) -> ImportedTable {
        let arn = arn.into();
        let name = Stack::of(scope)
            .map(|s| s.split_arn(arn.clone(), cdk_core::ArnFormat::SlashResourceName))
            .and_then(|c| c.resource_name)
            .unwrap_or_default();
        ImportedTable::new(scope, id, arn, name)
    }

    /// The table's name (`Ref` here; the physical name from another account or region).
    pub fn table_name(&self) -> Str {
        self.name.clone()
    }

    /// The table's ARN (`Fn::GetAtt Arn` here).
    pub fn table_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The resource policy, once a statement was added (cross-account grants add one).
    pub fn resource_policy(&self) -> Option<PolicyDocument> {
        self.policy.borrow().clone()
    }

    /// Grants `actions` on the table (and its indexes) to `grantee`, as aws-cdk-lib's `grant`.
    pub fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        ITable::grant(self, grantee, actions)
    }

    /// All data reads: `BatchGetItem`, `Query`, `GetItem`, `Scan`, `ConditionCheckItem`,
    /// `GetRecords`, `GetShardIterator`, `DescribeTable`.
    pub fn grant_read_data(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_on_key(grantee, KEY_READ_ACTIONS);
        let actions: Vec<&str> = RESOURCE_READ_DATA_ACTIONS
            .iter()
            .chain(PRINCIPAL_ONLY_READ_DATA_ACTIONS)
            .chain([&DESCRIBE_TABLE])
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }

    /// All data writes: `BatchWriteItem`, `PutItem`, `UpdateItem`, `DeleteItem`,
    /// `DescribeTable`.
    pub fn grant_write_data(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_on_key(grantee, &[KEY_READ_ACTIONS, KEY_WRITE_ACTIONS].concat());
        let actions: Vec<&str> = WRITE_DATA_ACTIONS
            .iter()
            .chain([&DESCRIBE_TABLE])
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }

    /// Reads and writes: the read actions, the write actions and `DescribeTable`.
    pub fn grant_read_write_data(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_on_key(grantee, &[KEY_READ_ACTIONS, KEY_WRITE_ACTIONS].concat());
        let actions: Vec<&str> = RESOURCE_READ_DATA_ACTIONS
            .iter()
            .chain(PRINCIPAL_ONLY_READ_DATA_ACTIONS)
            .chain(WRITE_DATA_ACTIONS)
            .chain([&DESCRIBE_TABLE])
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }

    /// Every DynamoDB action (`dynamodb:*`).
    pub fn grant_full_access(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_on_key(grantee, &[KEY_READ_ACTIONS, KEY_WRITE_ACTIONS].concat());
        self.grant(grantee, &["dynamodb:*"])
    }

    /// The underlying `AWS::DynamoDB::Table`.
    pub fn cfn(&self) -> &CfnTable {
        &self.resource
    }
}

impl IResourceWithPolicy for Table {
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        let mut policy = self.policy.borrow_mut();
        policy
            .get_or_insert_with(PolicyDocument::new)
            .add_statements([statement]);
        AddToResourcePolicyResult {
            statement_added: true,
            policy_dependable: Some(self.node().clone()),
        }
    }

    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

/// Service principals that DynamoDB resource policies accept (aws-cdk-lib's
/// `KNOWN_DYNAMODB_SERVICE_PRINCIPALS`).
const KNOWN_DYNAMODB_SERVICE_PRINCIPALS: &[&str] = &[
    "redshift.amazonaws.com",
    "replication.dynamodb.amazonaws.com",
    "glue.amazonaws.com",
];

/// A service principal whose service is not one DynamoDB grants can name.
fn is_unsupported_service_principal(principal: &dyn IPrincipal) -> bool {
    let fragment = principal.policy_fragment();
    let Some(services) = fragment.principals.get("Service") else {
        return false;
    };
    !services.iter().all(|s| match s {
        cdk_core::Value::String(name) => KNOWN_DYNAMODB_SERVICE_PRINCIPALS.contains(&name.as_str()),
        _ => false,
    })
}

/// A DynamoDB table: created ([`Table`]) or imported ([`ImportedTable`]).
pub trait ITable: IConstruct + IResourceWithPolicy {
    /// The table's ARN.
    fn table_arn(&self) -> Str;
    /// The table's name.
    fn table_name(&self) -> Str;
    /// Where the table lives.
    fn env(&self) -> ResourceEnvironment;
    /// The table as a resource with a policy (for grants).
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy;
    /// The resource grants name for the table's indexes: `<arn>/index/*` once the table has
    /// one, else `{"Ref": "AWS::NoValue"}` (aws-cdk-lib).
    fn index_arns(&self) -> Str {
        Str::from_value(Aws::NO_VALUE)
    }

    /// Grants `actions` on the table (and its indexes) to `grantee`: the grantee's policy,
    /// or the table's resource policy (where `*` stands for the table, which its own policy
    /// cannot reference) across accounts.
    ///
    /// A service principal other than those DynamoDB documents for resource policies
    /// (`redshift`, `replication.dynamodb`, `glue`) is an error, as in aws-cdk-lib 2.276: use
    /// `add_to_resource_policy` with the conditions the service needs.
    fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        if is_unsupported_service_principal(grantee) {
            self.node().add_error("DynamoDB grant* methods do not support ServicePrincipal grantees. Use table.addToResourcePolicy() for an explicit service-specific table policy with required service principal, actions, and conditions");
            return Grant::default();
        }
        let index_arns = self.index_arns();
        Grant::with_options(GrantOptions {
            grantee,
            actions,
            resource_arns: vec![self.table_arn(), index_arns],
            resource_self_arns: Some(vec![Str::from("*")]),
            resource_policy_principal: None,
            resource: Some(self.as_policy_resource()),
        })
    }

    /// All data reads.
    fn grant_read_data(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = RESOURCE_READ_DATA_ACTIONS
            .iter()
            .chain(PRINCIPAL_ONLY_READ_DATA_ACTIONS)
            .chain([&DESCRIBE_TABLE])
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }

    /// All data writes.
    fn grant_write_data(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = WRITE_DATA_ACTIONS
            .iter()
            .chain([&DESCRIBE_TABLE])
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }

    /// Reads and writes.
    fn grant_read_write_data(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = RESOURCE_READ_DATA_ACTIONS
            .iter()
            .chain(PRINCIPAL_ONLY_READ_DATA_ACTIONS)
            .chain(WRITE_DATA_ACTIONS)
            .chain([&DESCRIBE_TABLE])
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }
}

impl ITable for Table {
    fn table_arn(&self) -> Str {
        self.arn.clone()
    }
    fn table_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
    fn index_arns(&self) -> Str {
        let (indexes, arn) = (self.indexes.clone(), self.arn.clone());
        Str::lazy(move || {
            let i = indexes.borrow();
            if i.global.is_empty() && i.local.is_empty() {
                Str::from_value(Aws::NO_VALUE)
            } else {
                arn.clone() + "/index/*"
            }
        })
    }
}

/// A table defined outside this app: grants go to the grantee's policy.
#[derive(Clone)]
pub struct ImportedTable {
    base: Resource,
    arn: Str,
    name: Str,
}

impl ImportedTable {
    fn new(scope: &impl IConstruct, id: &str, arn: Str, name: Str) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.dynamodb.ImportedTable",
            ResourceProps {
                environment_from_arn: arn.literal().is_some().then(|| arn.clone()),
                ..Default::default()
            },
        );
        ImportedTable { base, arn, name }
    }
}

impl IConstruct for ImportedTable {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IResourceWithPolicy for ImportedTable {
    fn add_to_resource_policy(&self, _statement: PolicyStatement) -> AddToResourcePolicyResult {
        AddToResourcePolicyResult::default()
    }
    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl ITable for ImportedTable {
    fn table_arn(&self) -> Str {
        self.arn.clone()
    }
    fn table_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::dynamodb::*;
