//! Ports of `aws-events/test/integ.*.ts`.

use cdk_constructs::events::{
    Archive, ArchiveProps, EventBus, EventBusProps, EventPattern, IEventBus, Match, Rule, RuleProps,
};
use cdk_constructs::iam::{
    AccountPrincipal, Effect, PolicyDocument, PolicyStatement, ServicePrincipal,
};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_core::{App, CfnElement, Environment, RemovalPolicy, Stack, StackProps, Value};
use serde_json::json;

use crate::harness::Port;

/// The EventBridge ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-events/integ.rule",
        build: rule,
    },
    Port {
        test: "aws-events/integ.archive",
        build: archive,
    },
    Port {
        test: "aws-events/integ.archive-customer-managed-key",
        build: archive_customer_managed_key,
    },
    Port {
        test: "aws-events/integ.eventbus-customer-managed-key",
        build: eventbus_customer_managed_key,
    },
    Port {
        test: "aws-events/integ.eventbus-cross-account-grants",
        build: eventbus_cross_account_grants,
    },
];

/// `integ.archive.ts`.
fn archive(app: &App) {
    let stack = Stack::new(app, "IntegStack", StackProps::default());
    let bus = EventBus::new(&stack, "EventBridge", EventBusProps::default());
    let archive = Archive::new(
        &stack,
        "Archive",
        ArchiveProps {
            source_event_bus_arn: bus.event_bus_arn(),
            event_pattern: EventPattern {
                account: vec![stack.account()],
                ..Default::default()
            },
            ..Default::default()
        },
    );
    archive
        .cfn()
        .resource()
        .override_logical_id("MyCustomArchive");
}

/// `integ.eventbus-cross-account-grants.ts`, its `crossAccountStack` (see SOURCE.json).
fn eventbus_cross_account_grants(app: &App) {
    let cross = Stack::new(
        app,
        "crossAccountStack",
        StackProps {
            env: Some(Environment::new("540871810575", "test-region")),
            ..Default::default()
        },
    );
    let bus = EventBus::new(
        &cross,
        "bus",
        EventBusProps {
            event_bus_name: Some("testingBus".into()),
            ..Default::default()
        },
    );
    bus.grant_put_events_to(
        &AccountPrincipal::new("12345678"),
        Some("cross-account-access-sid"),
    );
}

/// `integ.rule.ts`. `MyRule`'s `detail` is the JSON its `Match` helpers render (detail is
/// JSON in rcdk); the five rules matching `account` use [`Match`].
fn rule(app: &App) {
    let stack = Stack::new(app, "RuleStack", StackProps::default());
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let detail = json!({
        "foo": [1, 2],
        "strings": ["foo", "bar"],
        "rangeMatcher": [{"numeric": [">=", -1, "<=", 1]}],
        "stringMatcher": ["I am just a string"],
        "prefixMatcher": [{"prefix": "aws."}],
        "ipAddress": [{"cidr": "192.0.2.0/24"}],
        "shouldExist": [{"exists": true}],
        "shouldNotExist": [{"exists": false}],
        "numbers": [{"numeric": [">", 0, "<", 5]}],
        "topLevel": {
            "deeper": [{"numeric": ["=", 42]}],
            "oneMoreLevel": {"deepest": [{"numeric": ["<=", -1]}, {"numeric": [">=", 1]}]}
        },
        "state": [{"anything-but": ["initializing"]}],
        "limit": [{"anything-but": [100, 200, 300]}],
        "notPrefixedBy": [{"anything-but": {"prefix": ["sensitive-"]}}],
        "suffix": [{"suffix": ".com"}],
        "equalsIgnoreCase": [{"equals-ignore-case": "ignore case"}]
    });
    Rule::new(
        &stack,
        "MyRule",
        RuleProps {
            event_pattern: Some(EventPattern {
                account: vec!["account1".into(), "account2".into()],
                detail: Some(Value::from(detail)),
                detail_type: strings(&["detailType1"]),
                id: strings(&["id1", "id2"]),
                region: vec!["region1".into(), "region2".into(), "region3".into()],
                resources: vec!["r1".into()],
                source: strings(&["src1", "src2"]),
                time: strings(&["t1"]),
                version: strings(&["0"]),
            }),
            ..Default::default()
        },
    );
    let account_rules: [(&str, cdk_core::Str); 5] = [
        ("MyWildcardRule", Match::wildcard("account*")),
        (
            "MyAnythingButPrefixRule",
            Match::anything_but_prefix(&["prefix-"]),
        ),
        (
            "MyAnythingButSuffixRule",
            Match::anything_but_suffix(&["-suffix"]),
        ),
        (
            "MyAnythingButWildcardRule",
            Match::anything_but_wildcard(&["account*"]),
        ),
        (
            "MyAnythingButEqualsIgnoreCase",
            Match::anything_but_equals_ignore_case(&["account1", "account2"]),
        ),
    ];
    for (id, matcher) in account_rules {
        Rule::new(
            &stack,
            id,
            RuleProps {
                event_pattern: Some(EventPattern {
                    account: vec![matcher],
                    ..Default::default()
                }),
                ..Default::default()
            },
        );
    }
}

/// `integ.eventbus-customer-managed-key.ts`: a bus encrypted with a customer managed key (the
/// key policy lets EventBridge use it for this bus).
fn eventbus_customer_managed_key(app: &App) {
    let stack = Stack::new(app, "eventbue-customer-managed-key", StackProps::default());
    let kms_key = Key::new(
        &stack,
        "KmsKey",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    EventBus::new(
        &stack,
        "Bus",
        EventBusProps {
            kms_key: Some(std::rc::Rc::new(kms_key)),
            ..Default::default()
        },
    );
}

/// `integ.archive-customer-managed-key.ts`: an archive of the default bus with a customer
/// managed key whose policy is given.
fn archive_customer_managed_key(app: &App) {
    let stack = Stack::new(app, "archive-customer-managed-key", StackProps::default());
    let kms_key = Key::new(
        &stack,
        "KmsKey",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            policy: Some(PolicyDocument::with_statements([
                PolicyStatement::new()
                    .resource("*")
                    .actions([
                        "kms:Decrypt",
                        "kms:GenerateDataKey",
                        "kms:DescribeKey",
                        "kms:ReEncrypt*",
                    ])
                    .principal(&ServicePrincipal::new("events.amazonaws.com"))
                    .principal(&ServicePrincipal::new("events.aws.internal"))
                    .sid("Allow EventBridge in all stages")
                    .effect(Effect::Allow),
                PolicyStatement::new()
                    .resource("*")
                    .action("kms:*")
                    .principal(&AccountPrincipal::new(stack.account()))
                    .sid("Allow IAM User to modify the key")
                    .effect(Effect::Allow),
            ])),
            ..Default::default()
        },
    );
    let default_bus = EventBus::from_event_bus_name(&stack, "DefaultEventBus", "default");
    Archive::new(
        &stack,
        "Archive",
        ArchiveProps {
            kms_key: Some(std::rc::Rc::new(kms_key)),
            source_event_bus_arn: default_bus.event_bus_arn(),
            event_pattern: EventPattern {
                source: vec!["test".into()],
                ..Default::default()
            },
            ..Default::default()
        },
    );
}
