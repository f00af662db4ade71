//! KMS: customer managed keys with a key policy, rotation, an alias and grants (including to
//! principals in other accounts).

use std::rc::Rc;

use crate::Bool;
use cdk_core::{IConstruct, Node, RemovalPolicy, Stack, Str};

use crate::iam::{
    AccountPrincipal, Grant, IPrincipal, IResourceWithPolicy, PolicyDocument, PolicyStatement,
};

/// Properties of a [`Key`].
#[derive(Clone, Debug, Default)]
pub struct KeyProps {
    /// Description.
    pub description: Option<String>,
    /// Rotate the key material yearly.
    pub enable_key_rotation: bool,
    /// Alias (`alias/` is prepended when missing).
    pub alias: Option<String>,
    /// What happens on removal (default: retain, as aws-cdk-lib).
    pub removal_policy: Option<RemovalPolicy>,
    /// Statements added to the default key policy.
    pub policy_statements: Vec<PolicyStatement>,
}

/// A KMS key. Its policy makes the account root an administrator (so IAM policies in the
/// account can grant use of the key), like aws-cdk-lib's default key policy.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::iam::AccountPrincipal;
/// use cdk_constructs::kms::{Key, KeyProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Tools", StackProps::default());
/// let key = Key::new(&stack, "ArtifactKey", KeyProps {
///     alias: Some("key/artifact-key".into()),
///     enable_key_rotation: true,
///     ..Default::default()
/// });
/// // A principal of another account: the key policy gets a statement for it.
/// key.grant_decrypt(&AccountPrincipal::new("222222222222"));
/// ```
#[derive(Clone)]
pub struct Key {
    node: Node,
    resource: CfnKey,
    policy: PolicyDocument,
    alias: Option<Rc<CfnAlias>>,
}

impl IConstruct for Key {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl Key {
    /// Defines a key `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: KeyProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.kms.Key");
        let account = Stack::of(&node)
            .map(|s| s.account())
            .unwrap_or(cdk_core::Aws::ACCOUNT_ID);
        let policy = PolicyDocument::with_statements([PolicyStatement::new()
            .action("kms:*")
            .principal(&AccountPrincipal::new(account))
            .all_resources()]);
        policy.add_statements(props.policy_statements);
        let resource = CfnKey::new(
            &node,
            "Resource",
            CfnKeyProps {
                description: props.description.map(Str::from),
                enable_key_rotation: props.enable_key_rotation.then(|| Bool::from(true)),
                key_policy: Some(policy.to_value()),
                ..Default::default()
            },
        );
        resource
            .resource()
            .apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Retain));
        let doc = policy.clone();
        node.add_validation(move || doc.validate_for_resource_policy());
        let alias = props.alias.map(|name| {
            let name = if name.starts_with("alias/") {
                name
            } else {
                format!("alias/{name}")
            };
            Rc::new(CfnAlias::new(
                &Node::new(&node, "Alias"),
                "Resource",
                CfnAliasProps {
                    alias_name: name.into(),
                    target_key_id: resource.attr_arn(),
                },
            ))
        });
        Key {
            node,
            resource,
            policy,
            alias,
        }
    }

    /// The key's ARN.
    pub fn key_arn(&self) -> Str {
        self.resource.attr_arn()
    }

    /// The key's ID (`Ref`).
    pub fn key_id(&self) -> Str {
        self.resource.ref_()
    }

    /// The alias resource, when one was requested.
    pub fn alias(&self) -> Option<&CfnAlias> {
        self.alias.as_deref()
    }

    /// The key policy.
    pub fn policy(&self) -> &PolicyDocument {
        &self.policy
    }

    /// Grants `actions` on the key to `grantee`: in the grantee's own policy when it is in
    /// this account, and in the key policy (with `Resource: "*"`) when it is not or has no
    /// policy of its own (an account principal).
    pub fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        Grant::add_to_principal_or_resource_with_self(
            grantee,
            actions,
            vec![self.key_arn()],
            vec![Str::from("*")],
            self,
        )
    }

    /// `kms:Decrypt`.
    pub fn grant_decrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(grantee, DECRYPT_ACTIONS)
    }

    /// `kms:Encrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`.
    pub fn grant_encrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(grantee, ENCRYPT_ACTIONS)
    }

    /// Decrypt and encrypt.
    pub fn grant_encrypt_decrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = DECRYPT_ACTIONS
            .iter()
            .chain(ENCRYPT_ACTIONS)
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }

    /// The underlying `AWS::KMS::Key`.
    pub fn cfn(&self) -> &CfnKey {
        &self.resource
    }
}

/// Actions of [`Key::grant_decrypt`].
pub const DECRYPT_ACTIONS: &[&str] = &["kms:Decrypt"];
/// Actions of [`Key::grant_encrypt`].
pub const ENCRYPT_ACTIONS: &[&str] = &["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"];

impl IResourceWithPolicy for Key {
    fn add_to_resource_policy(&self, statement: PolicyStatement) {
        self.policy.add_statements([statement]);
    }

    fn resource_account(&self) -> Str {
        Stack::of(&self.node)
            .map(|s| s.account())
            .unwrap_or(cdk_core::Aws::ACCOUNT_ID)
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::kms::*;
