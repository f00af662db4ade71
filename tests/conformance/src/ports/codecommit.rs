//! Ports of `aws-codecommit/test/integ.*.ts`.

use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::events::{IRuleTarget, OnEventOptions, Rule, RuleTargetConfig};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_core::{App, Stack, StackProps, Str};

use crate::harness::Port;

/// The CodeCommit ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-codecommit/integ.repository-encryption",
        build: repository_encryption,
    },
    Port {
        test: "aws-codecommit/integ.codecommit-events",
        build: codecommit_events,
    },
];

/// `integ.codecommit-events.ts`: a reference-created rule whose target is written by hand (the
/// topic's ARN, an empty ID).
fn codecommit_events(app: &App) {
    struct FakeTopicTarget(Str);
    impl IRuleTarget for FakeTopicTarget {
        fn bind(&self, _rule: &Rule, _id: &str) -> RuleTargetConfig {
            RuleTargetConfig {
                arn: self.0.clone(),
                id: Some(String::new()),
                ..Default::default()
            }
        }
    }
    let stack = Stack::new(app, "aws-cdk-codecommit-events", StackProps::default());
    let repo = Repository::new(
        &stack,
        "Repo",
        RepositoryProps {
            repository_name: "aws-cdk-codecommit-events".into(),
            ..Default::default()
        },
    );
    let topic = Topic::new(&stack, "MyTopic", TopicProps::default());
    repo.on_reference_created(
        "OnReferenceCreated",
        OnEventOptions::with_target(FakeTopicTarget(topic.topic_arn())),
    );
}

/// `integ.repository-encryption.ts`.
fn repository_encryption(app: &App) {
    let stack = Stack::new(app, "RepositoryEncryption", StackProps::default());
    let key = Key::new(&stack, "MyKey", KeyProps::default());
    Repository::new(
        &stack,
        "MyCodecommitRepository",
        RepositoryProps {
            repository_name: "my-test-repository".into(),
            kms_key: Some(std::rc::Rc::new(key)),
            ..Default::default()
        },
    );
}
