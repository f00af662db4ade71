//! The event bus target (aws-cdk-lib's `targets.EventBus`): forwards events to another bus,
//! e.g. in another account.

use std::rc::Rc;

use cdk_core::IConstruct;

use super::singleton_event_role;
use crate::events::{IEventBus, IRuleTarget, Rule, RuleTargetConfig};
use crate::iam::{IRole, PolicyStatement};
use crate::sqs::IQueue;

/// Properties of an [`EventBus`] target.
#[derive(Clone, Default)]
pub struct EventBusProps {
    /// The role EventBridge assumes to put events on the bus (default: the rule's
    /// `EventsRole`).
    pub role: Option<Rc<dyn IRole>>,
    /// Where undeliverable events go (aws-cdk-lib's event bus target has no retry options).
    pub dead_letter_queue: Option<Rc<dyn IQueue>>,
}

/// Puts matched events on another event bus: the role gets `events:PutEvents` on it.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::events::targets::EventBus as EventBusTarget;
/// use cdk_constructs::events::{EventBus, EventPattern, Rule, RuleProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let central = EventBus::from_event_bus_arn(&stack, "Central",
///     "arn:aws:events:us-east-1:999999999999:event-bus/central");
/// let rule = Rule::new(&stack, "Forward", RuleProps {
///     event_pattern: Some(EventPattern { source: vec!["my.app".into()], ..Default::default() }),
///     ..Default::default()
/// });
/// rule.add_target(EventBusTarget::new(central));
/// ```
#[derive(Clone)]
pub struct EventBus {
    bus: Rc<dyn IEventBus>,
    props: EventBusProps,
}

impl EventBus {
    /// A target putting events on `bus`.
    pub fn new(bus: impl Into<Rc<dyn IEventBus>>) -> Self {
        Self::with_props(bus, EventBusProps::default())
    }

    /// A target with properties.
    pub fn with_props(bus: impl Into<Rc<dyn IEventBus>>, props: EventBusProps) -> Self {
        EventBus {
            bus: bus.into(),
            props,
        }
    }
}

impl IRuleTarget for EventBus {
    fn bind(&self, rule: &Rule, _id: &str) -> RuleTargetConfig {
        let role: Rc<dyn IRole> = self
            .props
            .role
            .clone()
            .unwrap_or_else(|| Rc::new(singleton_event_role(rule.node())));
        role.add_to_policy(
            PolicyStatement::new()
                .action("events:PutEvents")
                .resource(self.bus.event_bus_arn()),
        );
        if let Some(queue) = &self.props.dead_letter_queue {
            super::add_to_dead_letter_queue_resource_policy(rule, queue.as_ref());
        }
        RuleTargetConfig {
            arn: self.bus.event_bus_arn(),
            role_arn: Some(role.role_arn()),
            dead_letter_arn: self.props.dead_letter_queue.as_ref().map(|q| q.queue_arn()),
            ..Default::default()
        }
    }
}
