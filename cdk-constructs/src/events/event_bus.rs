//! Event buses (aws-cdk-lib's `EventBus`, `EventBusPolicy`, `Archive`): custom buses, imports,
//! `PutEvents` grants (also to other accounts, through the bus's resource policy) and
//! archives.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::feature_flags::{self, EVENTBUS_POLICY_SID_REQUIRED};
use cdk_core::{
    ArnComponents, ArnFormat, IConstruct, Names, Node, Num, PhysicalName, Resource,
    ResourceEnvironment, ResourceProps, Stack, Str, Value,
};

use super::{
    cfn_event_bus, CfnArchive, CfnArchiveProps, CfnEventBus, CfnEventBusPolicy,
    CfnEventBusPolicyProps, CfnEventBusProps, EventPattern,
};
use crate::iam::{Grant, IPrincipal, PolicyStatement};

/// An event bus: created ([`EventBus`]) or imported ([`ImportedEventBus`]).
pub trait IEventBus: IConstruct {
    /// The bus's ARN.
    fn event_bus_arn(&self) -> Str;
    /// The bus's name.
    fn event_bus_name(&self) -> Str;
    /// Where the bus lives.
    fn env(&self) -> ResourceEnvironment;
    /// Adds a statement (with a `sid`) to the bus's resource policy, as an
    /// [`EventBusPolicy`]; `false` when the bus cannot take it (imported).
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> bool;

    /// Lets `grantee` put events on this bus (aws-cdk-lib's `grantPutEventsTo`): in the
    /// grantee's own policy; for a principal without one (a service or another account),
    /// under `@aws-cdk/aws-events:requireEventBusPolicySid` (recommended; absent = off) a
    /// statement `sid` in the bus's resource policy ([`EventBusPolicy`]). Without the flag
    /// or without `sid` the grant is dropped with a warning, as in aws-cdk-lib.
    fn grant_put_events_to(&self, grantee: &dyn IPrincipal, sid: Option<&str>) -> Grant {
        let arn = self.event_bus_arn();
        let grant = Grant::add_to_principal(grantee, &["events:PutEvents"], [arn.clone()]);
        if grant.success() {
            return grant;
        }
        // As aws-cdk-lib 2.276: only under the flag; without it the grant is dropped.
        let policy_allowed = feature_flags::is_enabled(self.node(), EVENTBUS_POLICY_SID_REQUIRED);
        match sid {
            Some(sid) if policy_allowed => {
                let statement = PolicyStatement::new()
                    .sid(sid)
                    .action("events:PutEvents")
                    .resource(arn)
                    .principal(grantee);
                let added = self.add_to_resource_policy(statement.clone());
                Grant {
                    principal_statement: None,
                    resource_statement: added.then_some(statement),
                    dependables: Vec::new(),
                }
            }
            _ => {
                self.node().add_warning("Unable to grant PutEvents to service principal: Statement ID is required for EventBus resource policies. Either provide a 'sid' parameter or enable the '@aws-cdk/aws-events:requireEventBusPolicySid' feature flag. [ack: @aws-cdk/aws-events:eventBusServicePrincipalGrant]");
                grant
            }
        }
    }

    /// Archives events of this bus matching `props.event_pattern` (aws-cdk-lib's
    /// `archive`; description default `Event Archive for <bus name> Event Bus`).
    fn archive(&self, id: &str, props: BaseArchiveProps) -> Archive
    where
        Self: Sized,
    {
        Archive::new(
            self.node(),
            id,
            ArchiveProps {
                source_event_bus_arn: self.event_bus_arn(),
                description: Some(props.description.unwrap_or_else(|| {
                    Str::from("Event Archive for ") + self.event_bus_name() + " Event Bus"
                })),
                event_pattern: props.event_pattern,
                retention: props.retention,
                archive_name: props.archive_name,
                ..Default::default()
            },
        )
    }
}

/// Properties of an [`EventBus`].
#[derive(Clone, Default)]
pub struct EventBusProps {
    /// The bus's name (default: the construct's unique ID). Not `default`, no `/`, at most
    /// 256 of `/._-A-Za-z0-9`.
    pub event_bus_name: Option<String>,
    /// The partner event source to associate (`aws.partner/…`; the bus then has its name).
    pub event_source_name: Option<String>,
    /// Description (at most 512 characters).
    pub description: Option<String>,
    /// Customer managed key the bus encrypts events with (default: an AWS owned key). The
    /// key's policy lets EventBridge use it for this bus, as aws-cdk-lib.
    #[cfg(feature = "kms")]
    pub kms_key: Option<Rc<dyn crate::kms::IKey>>,
    /// Where events the bus could not deliver to a target go (`DeadLetterConfig`).
    #[cfg(feature = "sqs")]
    pub dead_letter_queue: Option<Rc<dyn crate::sqs::IQueue>>,
    /// Logging of the bus's events (`LogConfig`).
    pub log_config: Option<LogConfig>,
}

impl std::fmt::Debug for EventBusProps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBusProps")
            .field("event_bus_name", &self.event_bus_name)
            .field("event_source_name", &self.event_source_name)
            .field("description", &self.description)
            .field("log_config", &self.log_config)
            .finish_non_exhaustive()
    }
}

/// What a bus logs (aws-cdk-lib's `LogConfig`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogConfig {
    /// Whether records include the event and target details (default: EventBridge's, none).
    pub include_detail: Option<IncludeDetail>,
    /// Which records are written (default: EventBridge's, off).
    pub level: Option<Level>,
}

/// Whether log records include details (aws-cdk-lib's `IncludeDetail`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeDetail {
    /// `FULL`: the event, target input and request.
    Full,
    /// `NONE`.
    None,
}

/// Which log records a bus writes (aws-cdk-lib's `Level`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `INFO`: every record.
    Info,
    /// `ERROR`: errors only.
    Error,
    /// `TRACE`: every record, with the steps of each delivery.
    Trace,
    /// `OFF`.
    Off,
}

/// A custom event bus (`AWS::Events::EventBus`).
///
/// A bus another account may put events on (the cross-account pattern):
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::events::{EventBus, EventBusProps, IEventBus};
/// use cdk_constructs::iam::AccountPrincipal;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Central", StackProps::default());
/// let bus = EventBus::new(&stack, "Bus", EventBusProps {
///     event_bus_name: Some("central".into()),
///     ..Default::default()
/// });
/// bus.grant_put_events_to(&AccountPrincipal::new("222222222222"), Some("AllowWorkloadAccount"));
/// ```
#[derive(Clone)]
pub struct EventBus {
    base: Resource,
    resource: CfnEventBus,
    arn: Str,
    name: Str,
}

impl IConstruct for EventBus {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

fn valid_bus_name(name: &str) -> bool {
    (1..=256).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
}

fn bus_name_errors(props: &EventBusProps) -> Vec<String> {
    let mut errors = Vec::new();
    if props.event_bus_name.is_some() && props.event_source_name.is_some() {
        errors.push("'eventBusName' and 'eventSourceName' cannot both be provided".to_string());
    }
    if let Some(name) = &props.event_bus_name {
        if name == "default" {
            errors.push("'eventBusName' must not be 'default'".into());
        } else if name.contains('/') {
            errors.push("'eventBusName' must not contain '/'".into());
        } else if !valid_bus_name(name) {
            errors.push("'eventBusName' must satisfy: /^[\\/\\.\\-_A-Za-z0-9]{1,256}$/".into());
        }
    }
    if let Some(source) = &props.event_source_name {
        let parts: Vec<&str> = source.split('/').collect();
        let partner = parts.first() == Some(&"aws.partner")
            && parts.len() >= 3
            && parts[1..].iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            });
        if !partner {
            errors.push(
                "'eventSourceName' must satisfy: /^aws\\.partner(\\/[\\.\\-_A-Za-z0-9]+){2,}$/"
                    .into(),
            );
        } else if !valid_bus_name(source) {
            errors.push("'eventSourceName' must satisfy: /^[\\/\\.\\-_A-Za-z0-9]{1,256}$/".into());
        }
    }
    if props
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 512)
    {
        errors.push(format!(
            "description must be less than or equal to 512 characters, got {}",
            props.description.as_ref().map_or(0, |d| d.chars().count())
        ));
    }
    errors
}

impl EventBus {
    /// Defines a bus; invalid names are synth errors with aws-cdk-lib's messages.
    pub fn new(scope: &impl IConstruct, id: &str, props: EventBusProps) -> Self {
        let explicit = props
            .event_source_name
            .clone()
            .or_else(|| props.event_bus_name.clone());
        // Default name: the construct's unique ID (known once the construct exists).
        let unique_id: Rc<RefCell<String>> = Rc::default();
        let for_name = unique_id.clone();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.events.EventBus",
            ResourceProps {
                physical_name: Some(match &explicit {
                    Some(n) => PhysicalName::from(n.as_str()),
                    None => PhysicalName::Given(Str::lazy_with_context(move |_| {
                        Str::from(for_name.borrow().as_str())
                    })),
                }),
                ..Default::default()
            },
        );
        *unique_id.borrow_mut() = Names::unique_id(&base);
        let name = match &explicit {
            Some(n) => Str::from(n.as_str()),
            None => Str::from(unique_id.borrow().as_str()),
        };
        for e in bus_name_errors(&props) {
            base.node().add_error(&e);
        }
        let log_config = props.log_config.map(|c| cfn_event_bus::LogConfigProperty {
            include_detail: c.include_detail.map(|d| match d {
                IncludeDetail::Full => cfn_event_bus::LogConfigIncludeDetail::Full,
                IncludeDetail::None => cfn_event_bus::LogConfigIncludeDetail::None,
            }),
            level: c.level.map(|l| match l {
                Level::Info => cfn_event_bus::LogConfigLevel::Info,
                Level::Error => cfn_event_bus::LogConfigLevel::Error,
                Level::Trace => cfn_event_bus::LogConfigLevel::Trace,
                Level::Off => cfn_event_bus::LogConfigLevel::Off,
            }),
        });
        #[allow(unused_mut)]
        let mut cfn_props = CfnEventBusProps {
            description: props.description.clone().map(Str::from),
            event_source_name: props.event_source_name.clone().map(Str::from),
            log_config,
            ..CfnEventBusProps::new(name.clone())
        };
        #[cfg(feature = "sqs")]
        {
            cfn_props.dead_letter_config =
                props
                    .dead_letter_queue
                    .as_ref()
                    .map(|q| cfn_event_bus::DeadLetterConfigProperty {
                        arn: Some(q.queue_arn()),
                    });
        }
        #[cfg(feature = "kms")]
        {
            cfn_props.kms_key_identifier = props.kms_key.as_ref().map(|k| k.key_arn());
        }
        let resource = CfnEventBus::new(&base, "Resource", cfn_props);
        #[cfg(feature = "kms")]
        if let (Some(key), Some(stack)) = (&props.kms_key, Stack::of(&base)) {
            // aws-cdk-lib: EventBridge may use the key for this bus (by its name's ARN).
            let bus_arn =
                stack.format_arn(ArnComponents::new("events", "event-bus").with_name(name.clone()));
            key.add_to_resource_policy(
                PolicyStatement::new()
                    .resource("*")
                    .actions(["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"])
                    .principal(&crate::iam::ServicePrincipal::new("events.amazonaws.com"))
                    .condition("StringEquals", "aws:SourceAccount", stack.account())
                    .condition("StringEquals", "aws:SourceArn", bus_arn.clone())
                    .condition(
                        "StringEquals",
                        "kms:EncryptionContext:aws:events:event-bus:arn",
                        bus_arn,
                    ),
            );
        }
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("events", "event-bus").with_name(name.clone()),
        );
        let bus_name = base.name_attribute(resource.ref_());
        EventBus {
            base,
            resource,
            arn,
            name: bus_name,
        }
    }

    /// An existing bus by ARN (`arn:aws:events:us-east-1:111111111111:event-bus/name`).
    pub fn from_event_bus_arn(
        scope: &impl IConstruct,
        id: &str,
        event_bus_arn: impl Into<Str>,
    ) -> ImportedEventBus {
        let arn = event_bus_arn.into();
        let name = Stack::of(scope)
            .and_then(|s| {
                s.split_arn(arn.clone(), ArnFormat::SlashResourceName)
                    .resource_name
            })
            .unwrap_or_default();
        ImportedEventBus::new(scope.node(), id, arn, name)
    }

    /// An existing bus of `scope`'s account and region by name.
    pub fn from_event_bus_name(
        scope: &impl IConstruct,
        id: &str,
        event_bus_name: &str,
    ) -> ImportedEventBus {
        let arn = match Stack::of(scope) {
            Some(stack) => stack
                .format_arn(ArnComponents::new("events", "event-bus").with_name(event_bus_name)),
            None => Str::from(event_bus_name),
        };
        ImportedEventBus::new(scope.node(), id, arn, Str::from(event_bus_name))
    }

    /// Lets `grantee` put events on any bus (`events:PutEvents` on `*`, aws-cdk-lib's static
    /// `EventBus.grantPutEvents`).
    pub fn grant_put_events(grantee: &dyn IPrincipal) -> Grant {
        Grant::add_to_principal(grantee, &["events:PutEvents"], ["*"])
    }

    /// The bus's ARN.
    pub fn event_bus_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The bus's name (`Ref`).
    pub fn event_bus_name(&self) -> Str {
        self.name.clone()
    }

    /// The underlying `AWS::Events::EventBus`.
    pub fn cfn(&self) -> &CfnEventBus {
        &self.resource
    }
}

impl IEventBus for EventBus {
    fn event_bus_arn(&self) -> Str {
        self.arn.clone()
    }

    fn event_bus_name(&self) -> Str {
        self.name.clone()
    }

    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }

    fn add_to_resource_policy(&self, statement: PolicyStatement) -> bool {
        let Some(sid) = statement.get_sid() else {
            self.node()
                .add_error("Event Bus policy statements must have a sid");
            return false;
        };
        let statement_id: String = format!("cdk-{sid}").chars().take(64).collect();
        let statement = statement.sid(&statement_id);
        EventBusPolicy::new(
            self.node(),
            &statement_id,
            EventBusPolicyProps {
                event_bus: Rc::new(self.clone()),
                statement,
                statement_id: statement_id.clone(),
            },
        );
        true
    }
}

/// A bus defined outside this app.
#[derive(Clone)]
pub struct ImportedEventBus {
    base: Resource,
    arn: Str,
    name: Str,
}

impl IConstruct for ImportedEventBus {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl ImportedEventBus {
    fn new(scope: &Node, id: &str, arn: Str, name: Str) -> Self {
        let parts = Stack::of(scope)
            .map(|s| s.split_arn(arn.clone(), ArnFormat::SlashResourceName))
            .unwrap_or_default();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.events.ImportedEventBus",
            ResourceProps {
                account: parts.account,
                region: parts.region,
                ..Default::default()
            },
        );
        ImportedEventBus { base, arn, name }
    }
}

impl IEventBus for ImportedEventBus {
    fn event_bus_arn(&self) -> Str {
        self.arn.clone()
    }

    fn event_bus_name(&self) -> Str {
        self.name.clone()
    }

    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }

    fn add_to_resource_policy(&self, _statement: PolicyStatement) -> bool {
        self.node().add_warning(&format!(
            "Unable to add necessary permissions to imported target event bus: {} [ack: @aws-cdk/aws-events:eventBusAddToResourcePolicy]",
            self.arn.literal().unwrap_or("${Token}")
        ));
        false
    }
}

impl From<EventBus> for Rc<dyn IEventBus> {
    fn from(bus: EventBus) -> Self {
        Rc::new(bus)
    }
}

impl From<&EventBus> for Rc<dyn IEventBus> {
    fn from(bus: &EventBus) -> Self {
        Rc::new(bus.clone())
    }
}

impl From<ImportedEventBus> for Rc<dyn IEventBus> {
    fn from(bus: ImportedEventBus) -> Self {
        Rc::new(bus)
    }
}

impl From<&ImportedEventBus> for Rc<dyn IEventBus> {
    fn from(bus: &ImportedEventBus) -> Self {
        Rc::new(bus.clone())
    }
}

/// Properties of an [`EventBusPolicy`].
pub struct EventBusPolicyProps {
    /// The bus the statement applies to.
    pub event_bus: Rc<dyn IEventBus>,
    /// The statement (one per policy resource, as CloudFormation wants).
    pub statement: PolicyStatement,
    /// The statement's ID.
    pub statement_id: String,
}

/// One statement of an event bus's resource policy (`AWS::Events::EventBusPolicy`), e.g.
/// letting another account put events on the bus.
///
/// ```
/// use std::rc::Rc;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::events::{EventBus, EventBusPolicy, EventBusPolicyProps, EventBusProps, IEventBus};
/// use cdk_constructs::iam::{AccountPrincipal, PolicyStatement};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let bus = EventBus::new(&stack, "Bus", EventBusProps::default());
/// EventBusPolicy::new(&stack, "AllowOther", EventBusPolicyProps {
///     event_bus: Rc::new(bus.clone()),
///     statement: PolicyStatement::new()
///         .sid("AllowOther")
///         .action("events:PutEvents")
///         .resource(bus.event_bus_arn())
///         .principal(&AccountPrincipal::new("333333333333")),
///     statement_id: "AllowOther".into(),
/// });
/// ```
#[derive(Clone)]
pub struct EventBusPolicy {
    base: Resource,
    resource: CfnEventBusPolicy,
}

impl IConstruct for EventBusPolicy {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl EventBusPolicy {
    /// Defines the policy statement.
    pub fn new(scope: &impl IConstruct, id: &str, props: EventBusPolicyProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.events.EventBusPolicy",
            ResourceProps::default(),
        );
        let resource = CfnEventBusPolicy::new(
            &base,
            "Resource",
            CfnEventBusPolicyProps {
                statement: Some(props.statement.to_value()),
                event_bus_name: Some(props.event_bus.event_bus_name()),
                ..CfnEventBusPolicyProps::new(props.statement_id.as_str())
            },
        );
        EventBusPolicy { base, resource }
    }

    /// The underlying `AWS::Events::EventBusPolicy`.
    pub fn cfn(&self) -> &CfnEventBusPolicy {
        &self.resource
    }
}

/// Properties of [`IEventBus::archive`].
#[derive(Clone, Default)]
pub struct BaseArchiveProps {
    /// Archive name (default: generated by CloudFormation).
    pub archive_name: Option<String>,
    /// Description (default `Event Archive for <bus name> Event Bus`).
    pub description: Option<Str>,
    /// Which events to archive (`EventPattern`; aws-cdk-lib requires one).
    pub event_pattern: EventPattern,
    /// How long to keep events (whole days; default: indefinitely).
    ///
    /// There is no `kms_key` here: aws-cdk-lib 2.276's `archive()` ignores the key it is given
    /// (the archive stays encrypted with an AWS owned key); for an archive with a customer
    /// managed key, use [`Archive::new`] with [`ArchiveProps::kms_key`].
    pub retention: Option<Duration>,
}

/// Properties of an [`Archive`].
#[derive(Clone, Default)]
pub struct ArchiveProps {
    /// The bus whose events are archived.
    pub source_event_bus_arn: Str,
    /// Archive name (default: generated by CloudFormation).
    pub archive_name: Option<String>,
    /// Description.
    pub description: Option<Str>,
    /// Which events to archive.
    pub event_pattern: EventPattern,
    /// How long to keep events (whole days; default: indefinitely).
    pub retention: Option<Duration>,
    /// Customer managed key the archive is encrypted with (default: an AWS owned key); the
    /// key's policy lets EventBridge use it for the source bus's events, as aws-cdk-lib.
    #[cfg(feature = "kms")]
    pub kms_key: Option<Rc<dyn crate::kms::IKey>>,
}

macro_rules! archive_props_debug {
    ($($t:ty),*) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($t))
                    .field("archive_name", &self.archive_name)
                    .field("description", &self.description)
                    .field("event_pattern", &self.event_pattern)
                    .field("retention", &self.retention)
                    .finish_non_exhaustive()
            }
        }
    )*};
}
archive_props_debug!(BaseArchiveProps, ArchiveProps);

/// An archive of a bus's events (`AWS::Events::Archive`), for replay.
#[derive(Clone)]
pub struct Archive {
    base: Resource,
    resource: CfnArchive,
}

impl IConstruct for Archive {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

/// The archive's `KmsKeyIdentifier`: the key's ARN, or `""` (an AWS owned key), as aws-cdk-lib
/// 2.276 renders it.
fn archive_key_arn(props: &ArchiveProps) -> Str {
    #[cfg(feature = "kms")]
    if let Some(key) = &props.kms_key {
        return key.key_arn();
    }
    let _ = props;
    Str::from("")
}

impl Archive {
    /// Defines the archive.
    pub fn new(scope: &impl IConstruct, id: &str, props: ArchiveProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.events.Archive",
            ResourceProps {
                physical_name: props.archive_name.as_deref().map(PhysicalName::from),
                ..Default::default()
            },
        );
        let pattern = props.event_pattern.to_value();
        let resource = CfnArchive::new(
            &base,
            "Archive",
            CfnArchiveProps {
                archive_name: base.physical_name(),
                description: props.description.clone(),
                event_pattern: (!matches!(pattern, Value::Null)).then_some(pattern),
                // aws-cdk-lib 2.276 renders 0 (indefinitely) and an empty key (AWS owned).
                retention_days: Some(Num::from(
                    props.retention.map_or(0, |d| d.as_secs() / 86_400),
                )),
                kms_key_identifier: Some(archive_key_arn(&props)),
                ..CfnArchiveProps::new(props.source_event_bus_arn.clone())
            },
        );
        #[cfg(feature = "kms")]
        if let Some(key) = &props.kms_key {
            // aws-cdk-lib: EventBridge may use the key for events of the source bus.
            let events = crate::iam::ServicePrincipal::new("events.amazonaws.com");
            key.add_to_resource_policy(
                PolicyStatement::new()
                    .sid("Allow EventBridge to use kms operations")
                    .resource("*")
                    .actions(["kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncrypt*"])
                    .principal(&events)
                    .condition(
                        "StringEquals",
                        "kms:EncryptionContext:aws:events:event-bus:arn",
                        props.source_event_bus_arn.clone(),
                    ),
            );
            key.add_to_resource_policy(
                PolicyStatement::new()
                    .sid("Allow EventBridge to call kms:DescribeKey")
                    .resource("*")
                    .action("kms:DescribeKey")
                    .principal(&events),
            );
        }
        base.node().set_default_child(resource.resource());
        Archive { base, resource }
    }

    /// The underlying `AWS::Events::Archive` (construct ID `Archive`).
    pub fn cfn(&self) -> &CfnArchive {
        &self.resource
    }

    /// The archive's name (`Ref`).
    pub fn archive_name(&self) -> Str {
        self.resource.ref_()
    }

    /// The archive's ARN.
    pub fn archive_arn(&self) -> Str {
        self.resource.attr_arn()
    }
}
