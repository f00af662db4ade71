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

/// Properties of a [`Table`].
#[derive(Clone, Debug)]
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
        let mut attributes = vec![AttributeDefinitionProperty::new(
            props.partition_key.name.as_str(),
            props.partition_key.r#type.cfn(),
        )];
        if let Some(sort) = &props.sort_key {
            if sort.name == props.partition_key.name {
                node.add_error(&format!(
                    "the sort key '{}' must differ from the partition key",
                    sort.name
                ));
            } else {
                attributes.push(AttributeDefinitionProperty::new(
                    sort.name.as_str(),
                    sort.r#type.cfn(),
                ));
            }
            key_schema.push(KeySchemaProperty::new(sort.name.as_str(), "RANGE"));
        }
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
        let policy: Rc<RefCell<Option<PolicyDocument>>> = Rc::default();
        let for_render = policy.clone();
        let resource = CfnTable::new(
            &base,
            "Resource",
            CfnTableProps {
                table_name: base.physical_name(),
                attribute_definitions: Some(attributes),
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
                ..CfnTableProps::new(key_schema)
            },
        );
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
        }
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
        let actions: Vec<&str> = WRITE_DATA_ACTIONS
            .iter()
            .chain([&DESCRIBE_TABLE])
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }

    /// Reads and writes: the read actions, the write actions and `DescribeTable`.
    pub fn grant_read_write_data(&self, grantee: &dyn IPrincipal) -> Grant {
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
        let index_arns = Str::from_value(Aws::NO_VALUE);
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
