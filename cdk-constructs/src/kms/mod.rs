//! KMS: the [`IKey`] interface, customer managed keys with a key policy, rotation, aliases
//! and grants (including to principals in other accounts), and imported keys — as
//! aws-cdk-lib's `aws-kms`.

use std::cell::RefCell;
use std::rc::Rc;

use crate::Bool;
use cdk_core::feature_flags::{self, KMS_REDUCE_CROSS_ACCOUNT_REGION_POLICY_SCOPE};
use cdk_core::{
    ArnFormat, IConstruct, Node, PhysicalName, RemovalPolicy, Resource, ResourceEnvironment,
    ResourceProps, Stack, Str,
};

use crate::iam::{
    owned_stack, AccountPrincipal, AccountRootPrincipal, AddToResourcePolicyResult, Grant,
    GrantOptions, IPrincipal, IResourceWithPolicy, PolicyDocument, PolicyStatement,
};

/// Actions of [`IKey::grant_decrypt`].
pub const DECRYPT_ACTIONS: &[&str] = &["kms:Decrypt"];
/// Actions of [`IKey::grant_encrypt`].
pub const ENCRYPT_ACTIONS: &[&str] = &["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"];
/// Actions of [`Key::grant_admin`].
pub const ADMIN_ACTIONS: &[&str] = &[
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];

/// A KMS key: created ([`Key`]) or imported ([`ImportedKey`]).
pub trait IKey: IConstruct {
    /// The key's ARN.
    fn key_arn(&self) -> Str;
    /// The key's ID.
    fn key_id(&self) -> Str;
    /// Where the key lives.
    fn env(&self) -> ResourceEnvironment;
    /// Adds a statement to the key policy (no effect for an imported key).
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult;
    /// Grants `actions` on the key to `grantee`, as aws-cdk-lib's `KeyGrants.actions`.
    fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant;
    /// `kms:Decrypt`.
    fn grant_decrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(grantee, DECRYPT_ACTIONS)
    }
    /// `kms:Encrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`.
    fn grant_encrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(grantee, ENCRYPT_ACTIONS)
    }
    /// Decrypt and encrypt.
    fn grant_encrypt_decrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = DECRYPT_ACTIONS
            .iter()
            .chain(ENCRYPT_ACTIONS)
            .copied()
            .collect();
        self.grant(grantee, &actions)
    }
    /// The stack of a key created by this app (`None` for an imported key).
    fn owned_stack(&self) -> Option<Stack> {
        None
    }
}

/// Properties of a [`Key`].
#[derive(Clone, Debug, Default)]
pub struct KeyProps {
    /// Description.
    pub description: Option<String>,
    /// Rotate the key material yearly (rendered when set, as aws-cdk-lib).
    pub enable_key_rotation: Option<bool>,
    /// Whether the key is enabled.
    pub enabled: Option<bool>,
    /// Alias (`alias/` is prepended when missing); may hold tokens
    /// (`Str::from("alias/MyKey") + stack.account()`).
    pub alias: Option<Str>,
    /// What happens on removal (default: retain, as aws-cdk-lib).
    pub removal_policy: Option<RemovalPolicy>,
    /// Statements added to the default key policy.
    pub policy_statements: Vec<PolicyStatement>,
    /// The key policy (default: the account root may administer the key).
    pub policy: Option<PolicyDocument>,
    /// Waiting period before deletion (7-30 days).
    pub pending_window_days: Option<u32>,
    /// Days between automatic rotations (90-2560); turns rotation on unless
    /// `enable_key_rotation` is `Some(false)`, which is an error (as aws-cdk-lib).
    pub rotation_period_days: Option<u32>,
    /// The key material's type (default: `SYMMETRIC_DEFAULT`, not rendered).
    pub key_spec: Option<KeySpec>,
    /// What the key is for (default: `ENCRYPT_DECRYPT`, not rendered).
    pub key_usage: Option<KeyUsage>,
    /// A multi-Region primary key.
    pub multi_region: Option<bool>,
    /// Skip KMS's check that the key policy does not lock the caller out.
    pub bypass_policy_lockout_safety_check: Option<bool>,
}

pub use crate::generated::kms::cfn_key::{KeySpec, KeyUsage};

/// Key specs that aws-cdk-lib refuses for a usage (`key spec '…' is not valid with usage '…'`).
fn key_spec_denied(usage: &str, spec: &str) -> bool {
    let hmac = spec.starts_with("HMAC_");
    let ml_dsa = spec.starts_with("ML_DSA_");
    let ecc_nist = matches!(spec, "ECC_NIST_P256" | "ECC_NIST_P384" | "ECC_NIST_P521");
    let rsa = spec.starts_with("RSA_");
    match usage {
        "ENCRYPT_DECRYPT" => ecc_nist || spec == "ECC_SECG_P256K1" || hmac || ml_dsa,
        "SIGN_VERIFY" => spec == "SYMMETRIC_DEFAULT" || hmac,
        "GENERATE_VERIFY_MAC" => {
            rsa || ecc_nist
                || ml_dsa
                || matches!(spec, "ECC_SECG_P256K1" | "SYMMETRIC_DEFAULT" | "SM2")
        }
        "KEY_AGREEMENT" => {
            rsa || hmac || ml_dsa || matches!(spec, "SYMMETRIC_DEFAULT" | "ECC_SECG_P256K1")
        }
        _ => false,
    }
}

#[derive(Default)]
struct KeyState {
    aliases: Vec<Alias>,
    /// The key's removal policy, which its aliases inherit.
    removal_policy: Option<RemovalPolicy>,
}

/// A KMS key. Its default policy makes the account root an administrator (so IAM policies in
/// the account can grant use of the key), like aws-cdk-lib's default key policy.
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
///     enable_key_rotation: Some(true),
///     ..Default::default()
/// });
/// // A principal of another account: the key policy gets a statement for it.
/// key.grant_decrypt(&AccountPrincipal::new("222222222222"));
/// ```
#[derive(Clone)]
pub struct Key {
    base: Resource,
    resource: CfnKey,
    policy: PolicyDocument,
    state: Rc<RefCell<KeyState>>,
}

impl IConstruct for Key {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Key {
    /// Defines a key `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: KeyProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.kms.Key",
            ResourceProps::default(),
        );
        let node = base.node().clone();
        let custom_policy = props.policy.is_some();
        let policy = props.policy.unwrap_or_default();
        if !custom_policy {
            policy.add_statements([PolicyStatement::new()
                .all_resources()
                .action("kms:*")
                .principal(&AccountRootPrincipal::new())]);
        }
        policy.add_statements(props.policy_statements);
        if let Some(days) = props.pending_window_days {
            if !(7..=30).contains(&days) {
                node.add_error(&format!(
                    "'pendingWindow' value must between 7 and 30 days. Received: {days}"
                ));
            }
        }
        let spec = props
            .key_spec
            .as_ref()
            .and_then(|s| s.as_str())
            .unwrap_or("SYMMETRIC_DEFAULT")
            .to_string();
        let usage = props
            .key_usage
            .as_ref()
            .and_then(|u| u.as_str())
            .unwrap_or("ENCRYPT_DECRYPT")
            .to_string();
        if key_spec_denied(&usage, &spec) {
            node.add_error(&format!(
                "key spec '{spec}' is not valid with usage '{usage}'"
            ));
        }
        if props.enable_key_rotation == Some(true) {
            if spec.starts_with("HMAC") {
                node.add_error("key rotation cannot be enabled on HMAC keys");
            } else if spec != "SYMMETRIC_DEFAULT" {
                node.add_error("key rotation cannot be enabled on asymmetric keys");
            }
        }
        let mut enable_key_rotation = props.enable_key_rotation;
        if let Some(days) = props.rotation_period_days {
            if props.enable_key_rotation == Some(false) {
                node.add_error(
                    "'rotationPeriod' cannot be specified when 'enableKeyRotation' is disabled",
                );
            }
            if !(90..=2560).contains(&days) {
                node.add_error(&format!(
                    "'rotationPeriod' value must between 90 and 2650 days. Received: {days}"
                ));
            }
            enable_key_rotation.get_or_insert(true);
        }
        let resource = CfnKey::new(
            &base,
            "Resource",
            CfnKeyProps {
                description: props.description.map(Str::from),
                enable_key_rotation: enable_key_rotation.map(Bool::from),
                rotation_period_in_days: props.rotation_period_days.map(Into::into),
                key_spec: props.key_spec,
                key_usage: props.key_usage,
                multi_region: props.multi_region.map(Bool::from),
                bypass_policy_lockout_safety_check: props
                    .bypass_policy_lockout_safety_check
                    .map(Bool::from),
                enabled: props.enabled.map(Bool::from),
                key_policy: Some(policy.to_value()),
                pending_window_in_days: props.pending_window_days.map(Into::into),
                ..Default::default()
            },
        );
        let removal_policy = props.removal_policy.unwrap_or(RemovalPolicy::Retain);
        resource.resource().apply_removal_policy(removal_policy);
        let doc = policy.clone();
        node.add_validation(move || doc.validate_for_resource_policy());
        let key = Key {
            base,
            resource,
            policy,
            state: Rc::new(RefCell::new(KeyState {
                aliases: Vec::new(),
                removal_policy: Some(removal_policy),
            })),
        };
        if let Some(alias) = props.alias {
            key.add_alias(alias);
        }
        key
    }

    /// An existing key by ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`); its account and region
    /// come from the ARN. Its policy cannot be changed: grants go to the grantee's policy.
    pub fn from_key_arn(scope: &impl IConstruct, id: &str, key_arn: impl Into<Str>) -> ImportedKey {
        let key_arn = key_arn.into();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.kms.ImportedKey",
            ResourceProps {
                environment_from_arn: Some(key_arn.clone()),
                ..Default::default()
            },
        );
        let key_id = Stack::of(&base)
            .map(|s| s.split_arn(key_arn.clone(), ArnFormat::SlashResourceName))
            .and_then(|c| c.resource_name);
        if key_id.as_ref().is_none_or(|k| k.literal() == Some("")) {
            base.node().add_error(&format!(
                "KMS key ARN must be in the format 'arn:<partition>:kms:<region>:<account>:key/<keyId>', got: '{:?}'",
                key_arn.value()
            ));
        }
        ImportedKey {
            base,
            key_arn,
            key_id: key_id.unwrap_or_default(),
        }
    }

    /// Adds an alias (`Alias` for the first, `Alias<name>` after), as aws-cdk-lib's `addAlias`.
    /// The alias gets the key's removal policy (current aws-cdk-lib: deleting the key's stack
    /// with a retained key keeps its alias too).
    pub fn add_alias(&self, alias_name: impl Into<Str>) -> Alias {
        let alias_name: Str = alias_name.into();
        let id = if self.state.borrow().aliases.is_empty() {
            "Alias".to_string()
        } else {
            // A token's text is not stable; aws-cdk-lib would use its placeholder here.
            format!("Alias{}", alias_name.literal().unwrap_or("Token"))
        };
        let alias = Alias::new(
            self.node(),
            &id,
            AliasProps {
                alias_name,
                target_key: Rc::new(self.clone()),
                removal_policy: self.state.borrow().removal_policy,
            },
        );
        self.state.borrow_mut().aliases.push(alias.clone());
        alias
    }

    /// The key's ARN.
    pub fn key_arn(&self) -> Str {
        self.resource.attr_arn()
    }

    /// The key's ID (`Ref`).
    pub fn key_id(&self) -> Str {
        self.resource.ref_()
    }

    /// The aliases added to the key.
    pub fn aliases(&self) -> Vec<Alias> {
        self.state.borrow().aliases.clone()
    }

    /// The first alias, when one was added.
    pub fn alias(&self) -> Option<Alias> {
        self.state.borrow().aliases.first().cloned()
    }

    /// The key policy.
    pub fn policy(&self) -> &PolicyDocument {
        &self.policy
    }

    /// Grants `actions` (see [`IKey::grant`]).
    pub fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        IKey::grant(self, grantee, actions)
    }

    /// `kms:Decrypt`.
    pub fn grant_decrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        IKey::grant_decrypt(self, grantee)
    }

    /// `kms:Encrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`.
    pub fn grant_encrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        IKey::grant_encrypt(self, grantee)
    }

    /// Decrypt and encrypt.
    pub fn grant_encrypt_decrypt(&self, grantee: &dyn IPrincipal) -> Grant {
        IKey::grant_encrypt_decrypt(self, grantee)
    }

    /// The administrative actions ([`ADMIN_ACTIONS`]).
    pub fn grant_admin(&self, grantee: &dyn IPrincipal) -> Grant {
        IKey::grant(self, grantee, ADMIN_ACTIONS)
    }

    /// Applies `policy` to the key and the aliases added with [`Key::add_alias`] (and to
    /// aliases added later).
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        self.base.apply_removal_policy(policy);
        let aliases = {
            let mut state = self.state.borrow_mut();
            state.removal_policy = Some(policy);
            state.aliases.clone()
        };
        for alias in aliases {
            alias.cfn().resource().apply_removal_policy(policy);
        }
    }

    /// The underlying `AWS::KMS::Key`.
    pub fn cfn(&self) -> &CfnKey {
        &self.resource
    }
}

impl IResourceWithPolicy for Key {
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        self.policy.add_statements([statement]);
        AddToResourcePolicyResult {
            statement_added: true,
            policy_dependable: Some(self.node().clone()),
        }
    }

    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl IKey for Key {
    fn key_arn(&self) -> Str {
        self.resource.attr_arn()
    }

    fn key_id(&self) -> Str {
        self.resource.ref_()
    }

    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }

    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        IResourceWithPolicy::add_to_resource_policy(self, statement)
    }

    fn owned_stack(&self) -> Option<Stack> {
        Stack::of(self)
    }

    fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        let key_stack = Stack::of(self);
        let grantee_stack = owned_stack(grantee);
        // A grantee in a stack that depends on the key's stack is named by its account
        // (a reference to it would be a cycle).
        let depends_account = match (&key_stack, &grantee_stack) {
            (Some(k), Some(g)) if k != g && g.depends_on(k) => Some(g.account()),
            _ => None,
        };
        let reduce = feature_flags::is_enabled(self, KMS_REDUCE_CROSS_ACCOUNT_REGION_POLICY_SCOPE);
        let env = self.base.env();
        let (cross_account, cross_region) = match (&key_stack, &grantee_stack) {
            (Some(k), Some(g)) => {
                let account = k.account() != g.account() && (!reduce || env.account != g.account());
                let region = k.region() != g.region() && (!reduce || env.region != g.region());
                (account, region)
            }
            _ => (false, false),
        };
        let cross_environment = cross_account || cross_region;
        let account_principal = depends_account.map(AccountPrincipal::new);
        let principal: &dyn IPrincipal = match &account_principal {
            Some(p) => p,
            None => grantee,
        };
        if !cross_environment {
            Grant::with_options(GrantOptions {
                grantee,
                actions,
                resource_arns: vec![self.key_arn()],
                resource_self_arns: Some(vec![Str::from("*")]),
                resource_policy_principal: None,
                resource: Some(self),
            })
        } else {
            Grant::add_to_principal_and_resource(GrantOptions {
                grantee,
                actions,
                resource_arns: vec![Str::from("*")],
                resource_self_arns: None,
                resource_policy_principal: Some(principal),
                resource: Some(self),
            })
        }
    }
}

/// A key defined outside this app ([`Key::from_key_arn`]).
#[derive(Clone)]
pub struct ImportedKey {
    base: Resource,
    key_arn: Str,
    key_id: Str,
}

impl IConstruct for ImportedKey {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IKey for ImportedKey {
    fn key_arn(&self) -> Str {
        self.key_arn.clone()
    }

    fn key_id(&self) -> Str {
        self.key_id.clone()
    }

    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }

    fn add_to_resource_policy(&self, _statement: PolicyStatement) -> AddToResourcePolicyResult {
        AddToResourcePolicyResult::default()
    }

    fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        Grant::add_to_principal(grantee, actions, [self.key_arn.clone()])
    }
}

/// Properties of an [`Alias`].
#[derive(Clone)]
pub struct AliasProps {
    /// The alias (`alias/` is prepended when missing; a name with tokens is used as is).
    pub alias_name: Str,
    /// The key it points to.
    pub target_key: Rc<dyn IKey>,
    /// Removal policy of the alias (default: none set, as aws-cdk-lib).
    pub removal_policy: Option<RemovalPolicy>,
}

/// A key alias (`AWS::KMS::Alias`).
#[derive(Clone)]
pub struct Alias {
    base: Resource,
    resource: CfnAlias,
    name: Str,
}

impl IConstruct for Alias {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Alias {
    /// Defines an alias `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: AliasProps) -> Self {
        // A literal name is completed and checked; one with tokens is used as is (aws-cdk-lib).
        let name: Str = match props.alias_name.literal() {
            Some(literal) if !literal.starts_with("alias/") => format!("alias/{literal}").into(),
            _ => props.alias_name.clone(),
        };
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.kms.Alias",
            ResourceProps {
                physical_name: Some(PhysicalName::Given(name.clone())),
                ..Default::default()
            },
        );
        if let Some(name) = name.literal() {
            if name == "alias/" {
                base.node().add_error(&format!(
                    "Alias must include a value after \"alias/\": {name}"
                ));
            }
            if name.to_lowercase().starts_with("alias/aws") {
                base.node()
                    .add_error(&format!("Alias cannot start with alias/aws: {name}"));
            }
            let rest = &name["alias/".len()..];
            if !rest.is_empty()
                && (name.len() > 256
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || ":/_-".contains(c)))
            {
                base.node()
                    .add_error("Alias name must be between 1 and 256 characters in a-zA-Z0-9:/_-");
            }
        }
        let resource = CfnAlias::new(
            &base,
            "Resource",
            CfnAliasProps {
                alias_name: name.clone(),
                target_key_id: props.target_key.key_arn(),
            },
        );
        if let Some(p) = props.removal_policy {
            resource.resource().apply_removal_policy(p);
        }
        Alias {
            base,
            resource,
            name,
        }
    }

    /// The alias name (`alias/...`; with tokens when it was given with tokens).
    pub fn alias_name(&self) -> Str {
        self.name.clone()
    }

    /// The underlying `AWS::KMS::Alias`.
    pub fn cfn(&self) -> &CfnAlias {
        &self.resource
    }
}

impl From<Key> for Rc<dyn IKey> {
    fn from(k: Key) -> Self {
        Rc::new(k)
    }
}

impl From<&Key> for Rc<dyn IKey> {
    fn from(k: &Key) -> Self {
        Rc::new(k.clone())
    }
}

impl From<ImportedKey> for Rc<dyn IKey> {
    fn from(k: ImportedKey) -> Self {
        Rc::new(k)
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::kms::*;
