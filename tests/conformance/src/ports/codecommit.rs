//! Ports of `aws-codecommit/test/integ.*.ts`.

use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_core::{App, Stack, StackProps};

use crate::harness::Port;

/// The CodeCommit ports.
pub const PORTS: &[Port] = &[Port {
    test: "aws-codecommit/integ.repository-encryption",
    build: repository_encryption,
}];

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
