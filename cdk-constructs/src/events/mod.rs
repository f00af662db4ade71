//! EventBridge: rules with event patterns or schedules and targets, including targets in
//! another account or region (forwarded through the target account's default event bus, as
//! aws-cdk-lib does).
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::events::{EventPattern, Rule, RuleProps, Schedule};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Events", StackProps::default());
//! let rule = Rule::new(&stack, "OnPush", RuleProps {
//!     event_pattern: Some(EventPattern {
//!         source: vec!["aws.codecommit".into()],
//!         detail_type: vec!["CodeCommit Repository State Change".into()],
//!         ..Default::default()
//!     }),
//!     ..Default::default()
//! });
//! rule.add_event_pattern(&EventPattern {
//!     detail: Some(serde_json::json!({"referenceName": ["main"]}).into()),
//!     ..Default::default()
//! });
//! Rule::new(&stack, "Nightly", RuleProps {
//!     schedule: Some(Schedule::expression("cron(0 2 * * ? *)")),
//!     ..Default::default()
//! });
//! ```

mod event_bus;
mod input;
mod matcher;
#[cfg(all(feature = "kms", feature = "sqs"))]
pub mod targets;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{
    ArnComponents, IConstruct, Names, Node, Num, PhysicalName, Resource, ResourceEnvironment,
    ResourceProps, Stack, StackProps, Str, TokenComparison, UniqueResourceNameOptions, Value,
};

use crate::generated::runtime::Late;
use crate::iam::{PolicyStatement, Role, RoleProps, ServicePrincipal};

pub use event_bus::{
    Archive, ArchiveProps, BaseArchiveProps, EventBus, EventBusPolicy, EventBusPolicyProps,
    EventBusProps, IEventBus, ImportedEventBus, IncludeDetail, Level, LogConfig,
};
pub use input::{
    ordered_object, EventField, InputType, RuleTargetInput, RuleTargetInputProperties,
};
pub use matcher::Match;
#[cfg(all(
    feature = "kms",
    feature = "sqs",
    feature = "s3",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline"
))]
pub use targets::{CodePipelineTarget, CodePipelineTargetOptions};

const EVENTS_ROLE_KEY: &str = "rcdk:events:EventsRole";

/// aws-cdk-lib's `singletonEventRole`: the role `EventsRole` under `scope` that EventBridge
/// assumes, created on first use with a name generated when another environment needs it.
pub(crate) fn singleton_event_role(scope: &Node) -> Role {
    if let Some(role) = scope.attached::<Role>(EVENTS_ROLE_KEY) {
        return (*role).clone();
    }
    let role = Role::new(
        scope,
        "EventsRole",
        RoleProps {
            role_name: Some(PhysicalName::GENERATE_IF_NEEDED),
            ..RoleProps::assumed_by(ServicePrincipal::new("events.amazonaws.com"))
        },
    );
    scope.attach(EVENTS_ROLE_KEY, Rc::new(role.clone()));
    role
}

/// What events a rule matches. Lists are alternatives; an empty list leaves that field out.
///
/// Rendered with EventBridge's field names (`detail-type`, ...). [`Rule::add_event_pattern`]
/// merges patterns: lists are unioned and `detail` objects merged recursively.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventPattern {
    /// `source` (e.g. `aws.codecommit`).
    pub source: Vec<String>,
    /// `detail-type`.
    pub detail_type: Vec<String>,
    /// `resources` (ARNs; tokens allowed).
    pub resources: Vec<Str>,
    /// `account`.
    pub account: Vec<Str>,
    /// `region`.
    pub region: Vec<Str>,
    /// `id`.
    pub id: Vec<String>,
    /// `version`.
    pub version: Vec<String>,
    /// `time`.
    pub time: Vec<String>,
    /// `detail`: an object whose leaves are lists of values to match.
    pub detail: Option<Value>,
}

fn push_unique<T: PartialEq + Clone>(into: &mut Vec<T>, from: &[T]) {
    for item in from {
        if !into.contains(item) {
            into.push(item.clone());
        }
    }
}

/// Merges `from` into `into` as aws-cdk-lib's `mergeEventPattern` does.
fn merge_detail(into: &mut Value, from: &Value) -> Result<(), String> {
    match (into, from) {
        (Value::Map(a), Value::Map(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) => {
                        merge_detail(existing, v).map_err(|e| format!("'{k}': {e}"))?
                    }
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(())
        }
        (Value::List(a), Value::List(b)) => {
            push_unique(a, b);
            Ok(())
        }
        _ => Err("both values must be arrays or both objects to be merged".into()),
    }
}

impl EventPattern {
    /// True when the pattern matches on nothing.
    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
            && self.detail_type.is_empty()
            && self.resources.is_empty()
            && self.account.is_empty()
            && self.region.is_empty()
            && self.id.is_empty()
            && self.version.is_empty()
            && self.time.is_empty()
            && self.detail.is_none()
    }

    /// Merges `other` into this pattern.
    pub fn merge(&mut self, other: &EventPattern) -> Result<(), String> {
        push_unique(&mut self.source, &other.source);
        push_unique(&mut self.detail_type, &other.detail_type);
        push_unique(&mut self.resources, &other.resources);
        push_unique(&mut self.account, &other.account);
        push_unique(&mut self.region, &other.region);
        push_unique(&mut self.id, &other.id);
        push_unique(&mut self.version, &other.version);
        push_unique(&mut self.time, &other.time);
        match (&mut self.detail, &other.detail) {
            (_, None) => {}
            (None, Some(d)) => self.detail = Some(d.clone()),
            (Some(a), Some(b)) => merge_detail(a, b).map_err(|e| format!("detail {e}"))?,
        }
        Ok(())
    }

    /// The pattern as CloudFormation JSON (`Value::Null` when empty).
    pub fn to_value(&self) -> Value {
        if self.is_empty() {
            return Value::Null;
        }
        let mut out: BTreeMap<String, Value> = BTreeMap::new();
        let strings = |v: &[String]| Value::list(v.iter().map(String::as_str));
        let tokens = |v: &[Str]| Value::list(v.iter().cloned());
        if !self.account.is_empty() {
            out.insert("account".into(), tokens(&self.account));
        }
        if let Some(d) = &self.detail {
            out.insert("detail".into(), d.clone());
        }
        if !self.detail_type.is_empty() {
            out.insert("detail-type".into(), strings(&self.detail_type));
        }
        if !self.id.is_empty() {
            out.insert("id".into(), strings(&self.id));
        }
        if !self.region.is_empty() {
            out.insert("region".into(), tokens(&self.region));
        }
        if !self.resources.is_empty() {
            out.insert("resources".into(), tokens(&self.resources));
        }
        if !self.source.is_empty() {
            out.insert("source".into(), strings(&self.source));
        }
        if !self.time.is_empty() {
            out.insert("time".into(), strings(&self.time));
        }
        if !self.version.is_empty() {
            out.insert("version".into(), strings(&self.version));
        }
        Value::Map(out.into())
    }
}

/// When a scheduled rule runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    expression: String,
}

/// Fields of a cron schedule ([`Schedule::cron`]); unset fields are `*` (day `?` when a week
/// day is given, week day `?` otherwise), as in aws-cdk-lib.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CronOptions {
    /// Minute.
    pub minute: Option<String>,
    /// Hour.
    pub hour: Option<String>,
    /// Day of the month.
    pub day: Option<String>,
    /// Month.
    pub month: Option<String>,
    /// Year.
    pub year: Option<String>,
    /// Day of the week.
    pub week_day: Option<String>,
}

impl Schedule {
    /// A schedule expression as EventBridge accepts it (`rate(5 minutes)`, `cron(...)`).
    pub fn expression(expression: &str) -> Schedule {
        Schedule {
            expression: expression.to_string(),
        }
    }

    /// `rate(N unit)` in the largest whole unit (days, hours, minutes); at least one minute.
    pub fn rate(every: Duration) -> Schedule {
        let minutes = every.as_secs() / 60;
        let (n, unit) = if minutes > 0 && minutes.is_multiple_of(60 * 24) {
            (minutes / (60 * 24), "day")
        } else if minutes > 0 && minutes.is_multiple_of(60) {
            (minutes / 60, "hour")
        } else {
            (minutes, "minute")
        };
        let plural = if n == 1 { "" } else { "s" };
        Schedule {
            expression: format!("rate({n} {unit}{plural})"),
        }
    }

    /// `cron(minute hour day month week-day year)`.
    pub fn cron(options: CronOptions) -> Schedule {
        let or = |v: &Option<String>, d: &str| v.clone().unwrap_or_else(|| d.to_string());
        let day_default = if options.week_day.is_some() { "?" } else { "*" };
        Schedule {
            expression: format!(
                "cron({} {} {} {} {} {})",
                or(&options.minute, "*"),
                or(&options.hour, "*"),
                or(&options.day, day_default),
                or(&options.month, "*"),
                or(&options.week_day, "?"),
                or(&options.year, "*"),
            ),
        }
    }

    /// The expression string.
    pub fn expression_string(&self) -> &str {
        &self.expression
    }
}

/// Where a rule target lives, for targets backed by a resource of this app.
#[derive(Clone, Debug)]
pub struct TargetResource {
    /// The stack the resource is defined in.
    pub stack: Stack,
    /// The resource's account.
    pub account: Str,
    /// The resource's region.
    pub region: Str,
}

/// What a target contributes to a rule (see [`IRuleTarget::bind`]).
#[derive(Clone, Debug, Default)]
pub struct RuleTargetConfig {
    /// Target ID (default `Target<n>`).
    pub id: Option<String>,
    /// Target ARN.
    pub arn: Str,
    /// Role EventBridge assumes to invoke the target.
    pub role_arn: Option<Str>,
    /// What the target receives instead of the matched event (default: the event).
    pub input: Option<RuleTargetInput>,
    /// The resource behind the target, for cross-account/region handling.
    pub target_resource: Option<TargetResource>,
    /// Where undeliverable events go (`DeadLetterConfig.Arn`, an SQS queue ARN).
    pub dead_letter_arn: Option<Str>,
    /// Retries (`RetryPolicy`).
    pub retry_policy: Option<TargetRetryPolicy>,
    /// The message group of a FIFO queue target (`SqsParameters.MessageGroupId`).
    pub message_group_id: Option<Str>,
    /// HTTP parameters of an API target (`HttpParameters`).
    pub http_parameters: Option<cfn_rule::HttpParametersProperty>,
}

/// How EventBridge retries a target (`RetryPolicy`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetRetryPolicy {
    /// `MaximumRetryAttempts`.
    pub maximum_retry_attempts: Option<u32>,
    /// `MaximumEventAgeInSeconds`.
    pub maximum_event_age_in_seconds: Option<u64>,
}

/// Something a rule can send events to.
///
/// ```
/// use cdk_constructs::events::{IRuleTarget, Rule, RuleTargetConfig};
///
/// /// Sends events to a fixed SNS topic ARN.
/// struct TopicArn(&'static str);
///
/// impl IRuleTarget for TopicArn {
///     fn bind(&self, _rule: &Rule, _id: &str) -> RuleTargetConfig {
///         RuleTargetConfig { arn: self.0.into(), ..Default::default() }
///     }
/// }
/// ```
pub trait IRuleTarget {
    /// Called when the target is added to `rule` under the generated ID `id`; may grant
    /// permissions (e.g. to an events role) and returns the target's configuration.
    fn bind(&self, rule: &Rule, id: &str) -> RuleTargetConfig;
}

/// Properties of a [`Rule`].
#[derive(Default)]
pub struct RuleProps {
    /// Physical name (1-64 of `A-Za-z0-9._-`; default generated by CloudFormation).
    pub rule_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Whether the rule is enabled (default true).
    pub enabled: Option<bool>,
    /// Events to match (a pattern, a schedule or both are needed).
    pub event_pattern: Option<EventPattern>,
    /// When to run.
    pub schedule: Option<Schedule>,
    /// Targets.
    pub targets: Vec<Rc<dyn IRuleTarget>>,
    /// The event bus (default: the account's default bus).
    pub event_bus_name: Option<Str>,
    /// Put the rule under this construct instead when it is in another stack of the same
    /// account and region (aws-cdk-lib's `crossStackScope`, used by pipeline source actions).
    pub cross_stack_scope: Option<Node>,
}

/// Options of the `on_*` event-rule helpers of other constructs (aws-cdk-lib's
/// `OnEventOptions`), e.g. [`ProjectEvents::on_state_change`](crate::codebuild::ProjectEvents::on_state_change).
#[derive(Clone, Default)]
pub struct OnEventOptions {
    /// Target of the rule (default: none; add targets to the returned rule).
    pub target: Option<Rc<dyn IRuleTarget>>,
    /// Rule description.
    pub description: Option<String>,
    /// Rule name (default: generated by CloudFormation).
    pub rule_name: Option<String>,
    /// More to match, merged into the helper's pattern.
    pub event_pattern: Option<EventPattern>,
    /// Put the rule under this construct when it is in another stack of the same environment.
    pub cross_stack_scope: Option<Node>,
}

impl OnEventOptions {
    /// Options with just a target.
    pub fn with_target(target: impl IRuleTarget + 'static) -> Self {
        OnEventOptions {
            target: Some(Rc::new(target)),
            ..Default::default()
        }
    }

    /// The rule properties these options stand for (without the target).
    pub(crate) fn rule_props(&self) -> RuleProps {
        RuleProps {
            rule_name: self.rule_name.clone(),
            description: self.description.clone(),
            event_pattern: self.event_pattern.clone(),
            cross_stack_scope: self.cross_stack_scope.clone(),
            ..Default::default()
        }
    }
}

struct RuleState {
    targets: Vec<cfn_rule::TargetProperty>,
    xenv_targets: Vec<String>,
    target_count: usize,
}

/// An EventBridge rule: created ([`Rule`]) or imported ([`ImportedRule`]).
pub trait IRule: IConstruct {
    /// The rule's ARN.
    fn rule_arn(&self) -> Str;
    /// The rule's name.
    fn rule_name(&self) -> Str;
    /// Where the rule lives.
    fn env(&self) -> ResourceEnvironment;
}

/// An EventBridge rule (`AWS::Events::Rule`).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::events::{EventPattern, Rule, RuleProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// Rule::new(&stack, "BuildFailed", RuleProps {
///     event_pattern: Some(EventPattern {
///         source: vec!["aws.codebuild".into()],
///         ..Default::default()
///     }),
///     ..Default::default()
/// });
/// ```
#[derive(Clone)]
pub struct Rule {
    base: Resource,
    resource: CfnRule,
    pattern: Rc<RefCell<EventPattern>>,
    schedule: Option<Schedule>,
    description: Option<String>,
    state: Rc<RefCell<RuleState>>,
    arn: Str,
    name: Str,
}

impl IConstruct for Rule {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

/// aws-cdk-lib's `determineRuleScope`: the cross-stack scope when both stacks are of the same
/// account and region (equal, or both deploy-time).
fn rule_scope(scope: &Node, cross_stack_scope: Option<&Node>) -> Node {
    let Some(other) = cross_stack_scope else {
        return scope.clone();
    };
    match (Stack::of(scope), Stack::of(other)) {
        (Some(a), Some(b)) if a != b => {
            let same = a.region().compare(&b.region()).same_or_both_unresolved()
                && a.account().compare(&b.account()).same_or_both_unresolved();
            if same {
                other.clone()
            } else {
                scope.clone()
            }
        }
        _ => scope.clone(),
    }
}

/// aws-cdk-lib's `sameEnvDimension`: equal, or one/both left to deploy time (with a warning
/// when only one is).
fn same_env_dimension(node: &Node, a: &Str, b: &Str) -> bool {
    match a.compare(b) {
        TokenComparison::OneUnresolved => {
            node.add_warning("Either the Event Rule or target has an unresolved environment. If they are being used in a cross-environment setup you need to specify the environment for both.");
            true
        }
        TokenComparison::Same | TokenComparison::BothUnresolved => true,
        TokenComparison::Different => false,
    }
}

impl Rule {
    /// Defines a rule `id` under `scope` (or under `props.cross_stack_scope`, see there).
    pub fn new(scope: &impl IConstruct, id: &str, props: RuleProps) -> Self {
        let scope = rule_scope(scope.node(), props.cross_stack_scope.as_ref());
        let pattern = Rc::new(RefCell::new(EventPattern::default()));
        let rule = Self::create(&scope, id, &props, pattern, true);
        if let Some(p) = &props.event_pattern {
            rule.add_event_pattern(p);
        }
        for target in props.targets {
            rule.add_target_rc(target);
        }
        rule
    }

    /// An existing rule by ARN.
    pub fn from_event_rule_arn(
        scope: &impl IConstruct,
        id: &str,
        arn: impl Into<Str>,
    ) -> ImportedRule {
        let arn = arn.into();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.events.ImportedRule",
            ResourceProps {
                environment_from_arn: arn.literal().is_some().then(|| arn.clone()),
                ..Default::default()
            },
        );
        let name = Stack::of(&base)
            .map(|s| s.split_arn(arn.clone(), cdk_core::ArnFormat::SlashResourceName))
            .and_then(|c| c.resource_name)
            .unwrap_or_default();
        ImportedRule { base, arn, name }
    }

    fn create(
        scope: &Node,
        id: &str,
        props: &RuleProps,
        pattern: Rc<RefCell<EventPattern>>,
        validate: bool,
    ) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.events.Rule",
            ResourceProps {
                physical_name: props.rule_name.as_deref().map(PhysicalName::from),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        let state = Rc::new(RefCell::new(RuleState {
            targets: Vec::new(),
            xenv_targets: Vec::new(),
            target_count: 0,
        }));
        let enabled = props.enabled.unwrap_or(true);
        let resource = CfnRule::new(
            &base,
            "Resource",
            CfnRuleProps {
                description: props.description.clone().map(Str::from),
                event_bus_name: props.event_bus_name.clone(),
                name: base.physical_name(),
                schedule_expression: props
                    .schedule
                    .as_ref()
                    .map(|s| Str::from(s.expression_string())),
                state: Some(if enabled {
                    cfn_rule::State::Enabled
                } else {
                    cfn_rule::State::Disabled
                }),
                ..Default::default()
            },
        );
        let for_pattern = pattern.clone();
        resource.set_event_pattern(Late::lazy(move || {
            Some(for_pattern.borrow().to_value()).filter(|v| !matches!(v, Value::Null))
        }));
        let for_targets = state.clone();
        resource.set_targets(Late::lazy(move || {
            let s = for_targets.borrow();
            (!s.targets.is_empty()).then(|| s.targets.clone())
        }));
        if validate {
            let name = props.rule_name.clone();
            let has_schedule = props.schedule.is_some();
            let p = pattern.clone();
            let s = state.clone();
            node.add_validation(move || {
                let mut errors = Vec::new();
                if let Some(name) = &name {
                    if name.is_empty() || name.len() > 64 {
                        errors.push(format!(
                            "Event rule name must be between 1 and 64 characters. Received: {name}"
                        ));
                    }
                    if !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
                    {
                        errors.push(format!("Event rule name {name} can contain only letters, numbers, periods, hyphens, or underscores with no spaces."));
                    }
                }
                if p.borrow().is_empty() && !has_schedule {
                    errors.push("Either 'event_pattern' or 'schedule' must be defined".into());
                }
                if s.borrow().targets.len() > 5 {
                    errors.push("Event rule cannot have more than 5 targets.".into());
                }
                errors
            });
        }
        if props.event_bus_name.is_some() && props.schedule.is_some() {
            node.add_error("Cannot associate rule with 'event_bus_name' when using 'schedule'");
        }
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("events", "rule")
                .with_name(base.physical_name().unwrap_or_default()),
        );
        let name = base.name_attribute(resource.ref_());
        Rule {
            base,
            resource,
            pattern,
            schedule: props.schedule.clone(),
            description: props.description.clone(),
            state,
            arn,
            name,
        }
    }

    /// The rule's ARN.
    pub fn rule_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The rule's name (`Ref`).
    pub fn rule_name(&self) -> Str {
        self.name.clone()
    }

    /// A copy of the current event pattern.
    pub fn event_pattern(&self) -> EventPattern {
        self.pattern.borrow().clone()
    }

    /// Merges `pattern` into the rule's pattern (lists unioned, `detail` merged).
    pub fn add_event_pattern(&self, pattern: &EventPattern) {
        let result = self.pattern.borrow_mut().merge(pattern);
        if let Err(e) = result {
            self.node()
                .add_error(&format!("invalid event pattern: {e}"));
        }
    }

    /// Adds a target. A target backed by a resource in another account or region is reached
    /// through that environment's default event bus: this rule targets the bus, a rule in the
    /// target's stack (`<unique id of this rule>-<target id>`) targets the resource, and for
    /// another account a support stack (`EventBusPolicy-<source>-<region>-<target>`) lets this
    /// account put events on the bus.
    pub fn add_target(&self, target: impl IRuleTarget + 'static) {
        self.add_target_rc(Rc::new(target));
    }

    /// [`Rule::add_target`] for a shared target.
    pub fn add_target_rc(&self, target: Rc<dyn IRuleTarget>) {
        let auto_id = {
            let mut s = self.state.borrow_mut();
            let id = format!("Target{}", s.target_count);
            s.target_count += 1;
            id
        };
        let config = target.bind(self, &auto_id);
        let id = config
            .id
            .clone()
            .filter(|i| !i.is_empty())
            .unwrap_or(auto_id);
        if let Some(res) = &config.target_resource {
            if let Some(source) = Stack::of(self) {
                let cross = !same_env_dimension(self.node(), &source.account(), &res.account)
                    || !same_env_dimension(self.node(), &source.region(), &res.region);
                if cross {
                    self.add_cross_env_target(&source, res, &id, target);
                    return;
                }
            }
        }
        let mut t = cfn_rule::TargetProperty::new(config.arn, id.as_str());
        t.role_arn = config.role_arn;
        if let Some(input) = &config.input {
            let props = input.bind(self);
            t.input = props.input;
            t.input_path = props.input_path;
            t.input_transformer = props.input_template.map(|template| {
                let mut transformer = cfn_rule::InputTransformerProperty::new(template);
                transformer.input_paths_map = props
                    .input_paths_map
                    .map(|m| m.into_iter().map(|(k, v)| (k, Str::from(v))).collect());
                transformer
            });
        }
        t.dead_letter_config = config
            .dead_letter_arn
            .map(|arn| cfn_rule::DeadLetterConfigProperty { arn: Some(arn) });
        t.retry_policy = config.retry_policy.map(|r| cfn_rule::RetryPolicyProperty {
            maximum_event_age_in_seconds: r.maximum_event_age_in_seconds.map(Num::from),
            maximum_retry_attempts: r.maximum_retry_attempts.map(Num::from),
        });
        t.sqs_parameters = config
            .message_group_id
            .map(cfn_rule::SqsParametersProperty::new);
        t.http_parameters = config.http_parameters;
        self.state.borrow_mut().targets.push(t);
    }

    fn add_cross_env_target(
        &self,
        source: &Stack,
        res: &TargetResource,
        id: &str,
        target: Rc<dyn IRuleTarget>,
    ) {
        let (Some(target_account), Some(target_region), Some(source_account)) = (
            res.account.literal().map(str::to_string),
            res.region.literal().map(str::to_string),
            source.account().literal().map(str::to_string),
        ) else {
            self.node().add_error("cross-account or cross-region event targets need concrete accounts and regions for both the rule's and the target's stack");
            return;
        };
        let key = format!("{target_account}:{target_region}");
        let first = {
            let mut s = self.state.borrow_mut();
            let first = !s.xenv_targets.contains(&key);
            if first {
                s.xenv_targets.push(key);
            }
            first
        };
        if first {
            let bus_arn = res.stack.format_arn(
                ArnComponents::new("events", "event-bus")
                    .with_name("default")
                    .with_region(target_region.as_str())
                    .with_account(target_account.as_str()),
            );
            let role_arn = if !same_env_dimension(
                self.node(),
                &Str::from(target_region.as_str()),
                &source.region(),
            ) {
                Some(self.put_events_role(&bus_arn))
            } else {
                None
            };
            let mut t = cfn_rule::TargetProperty::new(bus_arn, id);
            t.role_arn = role_arn;
            self.state.borrow_mut().targets.push(t);
            if !same_env_dimension(
                self.node(),
                &source.account(),
                &Str::from(target_account.as_str()),
            ) {
                let app = self.node().root();
                let stack_id =
                    format!("EventBusPolicy-{source_account}-{target_region}-{target_account}");
                let policy_stack = match app
                    .try_find_child(&stack_id)
                    .and_then(|n| Stack::from_node(&n))
                {
                    Some(s) => s,
                    None => {
                        let s = Stack::new(
                            &app,
                            &stack_id,
                            StackProps {
                                env: Some(cdk_core::Environment::new(
                                    target_account.as_str(),
                                    target_region.as_str(),
                                )),
                                stack_name: Some(format!(
                                    "{}-EventBusPolicy-support-{target_region}-{source_account}",
                                    res.stack.stack_name()
                                )),
                                ..Default::default()
                            },
                        );
                        let prefix = format!("Allow-account-{source_account}-");
                        let mut policy = CfnEventBusPolicyProps::new(
                            prefix.clone()
                                + &Names::unique_resource_name(
                                    self,
                                    &UniqueResourceNameOptions {
                                        max_length: 64usize.saturating_sub(prefix.len()),
                                        ..Default::default()
                                    },
                                ),
                        );
                        policy.action = Some("events:PutEvents".into());
                        policy.principal = Some(source_account.as_str().into());
                        CfnEventBusPolicy::new(&s, "GivePermToOtherAccount", policy);
                        s
                    }
                };
                source.add_dependency(
                    &policy_stack,
                    "the target event bus must accept events before the rule is created",
                );
            }
        }
        // The rule that actually invokes the target lives in the target's stack.
        if !(same_env_dimension(self.node(), &res.stack.account(), &res.account)
            && same_env_dimension(self.node(), &res.stack.region(), &res.region))
        {
            self.node().add_error("Cannot create a cross-account or cross-region rule for an imported resource (create a stack with the right environment for the imported resource)");
            return;
        }
        let mirror_props = RuleProps {
            description: self.description.clone(),
            schedule: self.schedule.clone(),
            ..Default::default()
        };
        let mirror = Rule::create(
            res.stack.node(),
            &format!("{}-{}", Names::unique_id(self), id),
            &mirror_props,
            self.pattern.clone(),
            false,
        );
        mirror.add_target_rc(target);
    }

    fn put_events_role(&self, bus_arn: &Str) -> Str {
        let role = singleton_event_role(self.node());
        role.add_to_policy(
            PolicyStatement::new()
                .action("events:PutEvents")
                .resource(bus_arn.clone()),
        );
        role.role_arn()
    }

    /// The underlying `AWS::Events::Rule`.
    pub fn cfn(&self) -> &CfnRule {
        &self.resource
    }
}

impl IRule for Rule {
    fn rule_arn(&self) -> Str {
        self.arn.clone()
    }
    fn rule_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
}

/// A rule defined outside this app ([`Rule::from_event_rule_arn`]).
#[derive(Clone)]
pub struct ImportedRule {
    base: Resource,
    arn: Str,
    name: Str,
}

impl IConstruct for ImportedRule {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IRule for ImportedRule {
    fn rule_arn(&self) -> Str {
        self.arn.clone()
    }
    fn rule_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::events::*;
