//! Ports of `aws-kms/test/integ.*.ts`.

use cdk_constructs::iam::{
    AccountRootPrincipal, ArnPrincipal, IResourceWithPolicy, PolicyStatement, Role, RoleProps,
    ServicePrincipal,
};
use cdk_constructs::kms::{Key, KeyProps, KeySpec, KeyUsage};
use cdk_core::{App, Environment, RemovalPolicy, Stack, StackProps};

use crate::harness::Port;

/// The KMS ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-kms/integ.key",
        build: integ_key,
    },
    Port {
        test: "aws-kms/integ.key-alias",
        build: integ_key_alias,
    },
    Port {
        test: "aws-kms/integ.key-rotation",
        build: integ_key_rotation,
    },
    Port {
        test: "aws-kms/integ.key-alias-retention",
        build: integ_key_alias_retention,
    },
    Port {
        test: "aws-kms/integ.key-cross-account-grant",
        build: integ_key_cross_account_grant,
    },
    Port {
        test: "aws-kms/integ.key-grants",
        build: integ_key_grants,
    },
    Port {
        test: "aws-kms/integ.key-bypass-policy-lockout",
        build: integ_key_bypass_policy_lockout,
    },
    Port {
        test: "aws-kms/integ.key-hmac",
        build: integ_key_hmac,
    },
    Port {
        test: "aws-kms/integ.key-multi-region",
        build: integ_key_multi_region,
    },
    Port {
        test: "aws-kms/integ.key-key-agreement",
        build: integ_key_key_agreement,
    },
];

/// An environment with only an account (aws-cdk's `env: { account }`).
pub(crate) fn account_env(account: &str) -> Option<Environment> {
    Some(Environment {
        account: Some(account.into()),
        region: None,
    })
}

/// `CDK_INTEG_ACCOUNT` as aws-cdk's integ runner sets it.
pub(crate) const INTEG_ACCOUNT: &str = "12345678";

/// `integ.key.ts`.
fn integ_key(app: &App) {
    let stack = Stack::new(app, "aws-cdk-kms-1", StackProps::default());
    let key = Key::new(
        &stack,
        "MyKey",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            // `key.addAlias('alias/bar')`: the first alias of a key is its child `Alias`.
            alias: Some("alias/bar".into()),
            ..Default::default()
        },
    );
    key.add_to_resource_policy(
        PolicyStatement::new()
            .resource("*")
            .action("kms:encrypt")
            .principal(&ArnPrincipal::new(stack.account())),
    );
    Key::new(
        &stack,
        "AsymmetricKey",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            key_spec: Some(KeySpec::EccNistP256),
            key_usage: Some(KeyUsage::SignVerify),
            ..Default::default()
        },
    );
}

/// `integ.key-alias.ts`: the alias `alias/MyKey${this.account}` holds a token. The snapshot's
/// key is `Delete`, so the port follows the test version that set `removalPolicy: DESTROY`
/// (see SOURCE.json notes).
fn integ_key_alias(app: &App) {
    let stack = Stack::new(app, "TestStack", StackProps::default());
    Key::new(
        &stack,
        "key",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            alias: Some(cdk_core::Str::from("alias/MyKey") + stack.account()),
            ..Default::default()
        },
    );
}

/// `integ.key-rotation.ts`.
fn integ_key_rotation(app: &App) {
    let stack = Stack::new(app, "TestStack", StackProps::default());
    Key::new(
        &stack,
        "key",
        KeyProps {
            enable_key_rotation: Some(true),
            rotation_period_days: Some(180),
            ..Default::default()
        },
    );
}

/// `integ.key-alias-retention.ts`.
fn integ_key_alias_retention(app: &App) {
    let stack = Stack::new(app, "KeyAliasRetentionStack", StackProps::default());
    Key::new(
        &stack,
        "Key",
        KeyProps {
            alias: Some("alias/cdk-integ-kms-key-retention".into()),
            ..Default::default()
        },
    );
}

/// `integ.key-cross-account-grant.ts` (`CDK_INTEG_ACCOUNT` = 12345678, the cross account the
/// test's default 234567890123).
fn integ_key_cross_account_grant(app: &App) {
    let resource_stack = Stack::new(
        app,
        "KeyResourceStack",
        StackProps {
            env: account_env(INTEG_ACCOUNT),
            ..Default::default()
        },
    );
    let key = Key::new(
        &resource_stack,
        "Key",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    let principal_stack = Stack::new(
        app,
        "KeyPrincipalStack",
        StackProps {
            env: account_env("234567890123"),
            ..Default::default()
        },
    );
    let role = Role::new(
        &principal_stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    key.grant_decrypt(&role);
}

/// `integ.key-grants.ts`; `grantSignVerify` is `grant(kms:Sign, kms:Verify)`.
fn integ_key_grants(app: &App) {
    let stack = Stack::new(app, "aws-cdk-kms-grants", StackProps::default());
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    let key = Key::new(
        &stack,
        "MyKey",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    key.grant(&role, &["kms:Sign", "kms:Verify"]);
}

/// `integ.key-bypass-policy-lockout.ts`.
fn integ_key_bypass_policy_lockout(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-kms-bypass-policy-lockout",
        StackProps::default(),
    );
    for (id, bypass) in [
        ("KeyWithBypassTrue", Some(true)),
        ("KeyWithBypassFalse", Some(false)),
        ("KeyWithBypassUndefined", None),
    ] {
        Key::new(
            &stack,
            id,
            KeyProps {
                removal_policy: Some(RemovalPolicy::Destroy),
                bypass_policy_lockout_safety_check: bypass,
                ..Default::default()
            },
        );
    }
}

/// `integ.key-hmac.ts`; `grantGenerateMac` and
/// `grantVerifyMac` are `grant(kms:GenerateMac)` and `grant(kms:VerifyMac)`.
fn integ_key_hmac(app: &App) {
    let stack = Stack::new(app, "aws-cdk-kms-hmac", StackProps::default());
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    let key = Key::new(
        &stack,
        "MyHmacKey",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            key_spec: Some(KeySpec::Hmac512),
            key_usage: Some(KeyUsage::GenerateVerifyMac),
            ..Default::default()
        },
    );
    key.grant(&role, &["kms:GenerateMac"]);
    key.grant(&role, &["kms:VerifyMac"]);
}

/// `integ.key-multi-region.ts`.
fn integ_key_multi_region(app: &App) {
    let stack = Stack::new(app, "KmsKeyMultiRegionStack", StackProps::default());
    Key::new(
        &stack,
        "key",
        KeyProps {
            multi_region: Some(true),
            ..Default::default()
        },
    );
}

/// `integ.key-key-agreement.ts`.
fn integ_key_key_agreement(app: &App) {
    let stack = Stack::new(app, "aws-cdk-kms-key-agreement", StackProps::default());
    Key::new(
        &stack,
        "MyKeyAgreementKey",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            key_spec: Some(KeySpec::EccNistP256),
            key_usage: Some(KeyUsage::KeyAgreement),
            ..Default::default()
        },
    );
}
