//! Secrets Manager: secrets ([`Secret`]: generated or given values, encryption key, removal
//! policy, resource policy, grants, JSON fields as dynamic references), imports by name and
//! ARN, and rotation ([`RotationSchedule`] with a rotation Lambda), with aws-cdk-lib 2.276's
//! names, defaults and construct IDs.
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
//! use cdk_constructs::secretsmanager::*;
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Db", StackProps::default());
//! let secret = Secret::new(&stack, "Credentials", SecretProps {
//!     generate_secret_string: Some(SecretStringGenerator {
//!         secret_string_template: Some(r#"{"username":"admin"}"#.into()),
//!         generate_string_key: Some("password".into()),
//!         exclude_punctuation: Some(true),
//!         ..Default::default()
//!     }),
//!     ..Default::default()
//! });
//! let app_role = Role::new(&stack, "App", RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")));
//! secret.grant_read(&app_role, None);
//! let password = secret.secret_value_from_json("password"); // {{resolve:secretsmanager:...}}
//! assert!(password.unsafe_unwrap().is_token());
//! ```

mod rotation;
mod secret_value;

pub use rotation::{RotationSchedule, RotationScheduleOptions, RotationScheduleProps};
pub use secret_value::{SecretValue, SecretsManagerSecretOptions};

use std::cell::RefCell;
use std::rc::Rc;

use cdk_core::{
    fns, ArnComponents, ArnFormat, IConstruct, Node, PhysicalName, RemovalPolicy, Resource,
    ResourceEnvironment, ResourceProps, Stack, Str, StrList, TokenComparison, Value,
};

use crate::iam::{
    AccountPrincipal, AccountRootPrincipal, AddToResourcePolicyResult, Effect, Grant, IPrincipal,
    IResourceWithPolicy, PolicyDocument, PolicyStatement,
};
use crate::kms::{IKey, ViaServicePrincipal};

/// How Secrets Manager generates a secret's value (`GenerateSecretString`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SecretStringGenerator {
    /// Characters never used.
    pub exclude_characters: Option<String>,
    /// No lowercase letters.
    pub exclude_lowercase: Option<bool>,
    /// No digits.
    pub exclude_numbers: Option<bool>,
    /// No punctuation.
    pub exclude_punctuation: Option<bool>,
    /// No uppercase letters.
    pub exclude_uppercase: Option<bool>,
    /// The JSON key the generated value is stored under (with `secret_string_template`).
    pub generate_string_key: Option<String>,
    /// May contain a space.
    pub include_space: Option<bool>,
    /// Length (default: Secrets Manager's, 32).
    pub password_length: Option<u32>,
    /// At least one character of every included type (default: Secrets Manager's, true).
    pub require_each_included_type: Option<bool>,
    /// A JSON object the generated value is added to (with `generate_string_key`).
    pub secret_string_template: Option<String>,
}

impl SecretStringGenerator {
    fn to_cfn(&self) -> cfn_secret::GenerateSecretStringProperty {
        cfn_secret::GenerateSecretStringProperty {
            exclude_characters: self.exclude_characters.clone().map(Str::from),
            exclude_lowercase: self.exclude_lowercase.map(Into::into),
            exclude_numbers: self.exclude_numbers.map(Into::into),
            exclude_punctuation: self.exclude_punctuation.map(Into::into),
            exclude_uppercase: self.exclude_uppercase.map(Into::into),
            generate_string_key: self.generate_string_key.clone().map(Str::from),
            include_space: self.include_space.map(Into::into),
            password_length: self.password_length.map(Into::into),
            require_each_included_type: self.require_each_included_type.map(Into::into),
            secret_string_template: self.secret_string_template.clone().map(Str::from),
        }
    }
}

/// A region a secret is replicated to.
#[derive(Clone)]
pub struct ReplicaRegion {
    /// The region.
    pub region: String,
    /// The key that encrypts the replica (default: `aws/secretsmanager` there).
    pub encryption_key: Option<Rc<dyn IKey>>,
}

/// Properties of a [`Secret`]. At most one of `generate_secret_string`,
/// `secret_string_value` and `secret_object_value`; with none, a value is generated.
#[derive(Clone, Default)]
pub struct SecretProps {
    /// Description.
    pub description: Option<String>,
    /// A customer managed key (default: `aws/secretsmanager`).
    pub encryption_key: Option<Rc<dyn IKey>>,
    /// How the value is generated.
    pub generate_secret_string: Option<SecretStringGenerator>,
    /// The secret's name (default: chosen by CloudFormation).
    pub secret_name: Option<Str>,
    /// What happens to the secret when it leaves the stack (default: destroyed).
    pub removal_policy: Option<RemovalPolicy>,
    /// A given value.
    pub secret_string_value: Option<SecretValue>,
    /// A given JSON object value, key by key (in this order).
    pub secret_object_value: Option<Vec<(String, SecretValue)>>,
    /// Regions the secret is replicated to.
    pub replica_regions: Vec<ReplicaRegion>,
}

/// A secret: created here ([`Secret`]) or imported.
pub trait ISecret: IConstruct + IResourceWithPolicy {
    /// The secret's ARN (complete for a secret of this app; maybe partial for an import).
    fn secret_arn(&self) -> Str;
    /// The complete ARN, when known.
    fn secret_full_arn(&self) -> Option<Str>;
    /// The secret's name.
    fn secret_name(&self) -> Str;
    /// The key that encrypts it.
    fn encryption_key(&self) -> Option<Rc<dyn IKey>>;
    /// Where the secret lives.
    fn env(&self) -> ResourceEnvironment;
    /// The secret as a resource with a policy (for grants).
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy;
    /// Whether a resource policy is created for it here (secrets of this app).
    fn is_owned(&self) -> bool {
        false
    }

    /// The ARN used in policies: the complete ARN when known and used in the same
    /// environment, else `<arn>-??????` (aws-cdk-lib's `arnForPolicies`).
    fn arn_for_policies(&self) -> Str {
        let arn = self.secret_arn();
        let Some(full) = self.secret_full_arn() else {
            return arn + "-??????";
        };
        let env = self.env();
        Str::lazy_with_context(move |ctx| {
            let other = ctx.stack().is_some_and(|consumer| {
                env.account.compare(&consumer.account()) == TokenComparison::Different
                    || env.region.compare(&consumer.region()) == TokenComparison::Different
            });
            if other {
                arn.clone() + "-??????"
            } else {
                full.clone()
            }
        })
    }

    /// Read the value (`secretsmanager:GetSecretValue`, `DescribeSecret`), optionally only of
    /// `version_stages`; `kms:Decrypt` on the key through Secrets Manager.
    fn grant_read(&self, grantee: &dyn IPrincipal, version_stages: Option<Vec<String>>) -> Grant {
        let grant = Grant::add_to_principal_or_resource(
            grantee,
            &[
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
            ],
            [self.arn_for_policies()],
            self.as_policy_resource(),
        );
        if let Some(stages) = version_stages {
            if let Some(s) = grant
                .principal_statement
                .clone()
                .or_else(|| grant.resource_statement.clone())
            {
                let _ = s.condition(
                    "ForAnyValue:StringEquals",
                    "secretsmanager:VersionStage",
                    Value::List(stages.into_iter().map(Value::from).collect()),
                );
            }
        }
        if let Some(key) = self.encryption_key() {
            key.grant_decrypt(&ViaServicePrincipal::new(via_service(self.node()), grantee));
        }
        self.check_cross_account(&grant, grantee);
        grant
    }

    /// Change the value (`secretsmanager:PutSecretValue`, `UpdateSecret`,
    /// `UpdateSecretVersionStage`); `kms:Encrypt` on the key through Secrets Manager.
    fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        let grant = Grant::add_to_principal_or_resource(
            grantee,
            &[
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecret",
                "secretsmanager:UpdateSecretVersionStage",
            ],
            [self.arn_for_policies()],
            self.as_policy_resource(),
        );
        if let Some(key) = self.encryption_key() {
            key.grant_encrypt(&ViaServicePrincipal::new(via_service(self.node()), grantee));
        }
        if self.is_owned() && grant.resource_statement.is_some() && self.encryption_key().is_none()
        {
            self.node()
                .add_error("KMS Key must be provided for cross account access to Secret");
        }
        grant
    }

    /// aws-cdk-lib 2.276: a secret of this app without a key cannot be read from another
    /// account.
    #[doc(hidden)]
    fn check_cross_account(&self, grant: &Grant, grantee: &dyn IPrincipal) {
        if !self.is_owned() || grant.resource_statement.is_none() || self.encryption_key().is_some()
        {
            return;
        }
        let Some(stack) = Stack::of(self.node()) else {
            return;
        };
        let account = grantee.principal_account().unwrap_or_default();
        if stack.account().compare(&account) == TokenComparison::Different {
            self.node()
                .add_error("KMS Key must be provided for cross account access to Secret");
        }
    }

    /// The whole value, as a dynamic reference.
    fn secret_value(&self) -> SecretValue {
        self.secret_value_from_json("")
    }

    /// One key of the JSON value, as a dynamic reference
    /// (`{{resolve:secretsmanager:ARN:SecretString:FIELD::}}`).
    fn secret_value_from_json(&self, json_field: &str) -> SecretValue {
        let options = SecretsManagerSecretOptions {
            json_field: (!json_field.is_empty()).then(|| json_field.to_string()),
            ..Default::default()
        };
        SecretValue::secrets_manager(self.secret_arn(), options).unwrap_or_else(|e| {
            self.node().add_error(&e);
            SecretValue::unsafe_plain_text("")
        })
    }

    /// Rotates the secret with a Lambda function (child `id`, `AWS::SecretsManager::RotationSchedule`).
    fn add_rotation_schedule(&self, id: &str, options: RotationScheduleOptions) -> RotationSchedule
    where
        Self: Sized,
    {
        RotationSchedule::for_secret(self.node(), id, self, options)
    }

    /// Denies `secretsmanager:DeleteSecret` to the account root in the resource policy.
    fn deny_account_root_delete(&self) {
        self.as_policy_resource().add_to_resource_policy(
            PolicyStatement::new()
                .action("secretsmanager:DeleteSecret")
                .effect(Effect::Deny)
                .resource("*")
                .principal(&AccountRootPrincipal::new()),
        );
    }
}

/// `secretsmanager.<region>.amazonaws.com` for the scope's stack.
fn via_service(node: &Node) -> Str {
    let region = Stack::of(node).map(|s| s.region()).unwrap_or_default();
    Str::concat([
        Str::from("secretsmanager."),
        region,
        Str::from(".amazonaws.com"),
    ])
}

#[derive(Default)]
struct PolicyState {
    policy: Option<ResourcePolicy>,
}

/// A Secrets Manager secret (`AWS::SecretsManager::Secret`, child `Resource`), destroyed with
/// its stack by default, as in aws-cdk-lib.
#[derive(Clone)]
pub struct Secret {
    base: Resource,
    resource: CfnSecret,
    arn: Str,
    name: Str,
    key: Option<Rc<dyn IKey>>,
    policy: Rc<RefCell<PolicyState>>,
    exclude_characters: Option<String>,
}

impl IConstruct for Secret {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Secret {
    /// Defines a secret `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: SecretProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.secretsmanager.Secret",
            ResourceProps {
                physical_name: props.secret_name.clone().map(PhysicalName::from),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        if let Some(g) = &props.generate_secret_string {
            if g.secret_string_template.is_some() != g.generate_string_key.is_some() {
                node.add_error(
                    "`secretStringTemplate` and `generateStringKey` must be specified together.",
                );
            }
        }
        let given = [
            props.generate_secret_string.is_some(),
            props.secret_string_value.is_some(),
            props.secret_object_value.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if given > 1 {
            node.add_error("Cannot specify more than one of `generateSecretString`, `secretStringValue`, `secretObjectValue`, and `secretStringBeta1`.");
        }
        let secret_string = match (&props.secret_object_value, &props.secret_string_value) {
            (Some(object), _) => Some(cdk_core::json::to_json_string(
                cdk_core::json::ordered_object(
                    object
                        .iter()
                        .map(|(k, v)| (Str::from(k.as_str()), v.unsafe_unwrap().into_value()))
                        .collect(),
                ),
                0,
            )),
            (None, Some(v)) => Some(v.unsafe_unwrap()),
            (None, None) => None,
        };
        let generate = match (&props.generate_secret_string, &secret_string) {
            (Some(g), _) => Some(g.to_cfn()),
            (None, None) => Some(cfn_secret::GenerateSecretStringProperty::default()),
            (None, Some(_)) => None,
        };
        let stack = Stack::of(&node);
        let replicas: Vec<cfn_secret::ReplicaRegionProperty> = props
            .replica_regions
            .iter()
            .map(|r| {
                if let Some(s) = &stack {
                    if s.region().literal() == Some(r.region.as_str()) {
                        node.add_error("Cannot add the region where this stack is deployed as a replica region.");
                    }
                }
                let mut p = cfn_secret::ReplicaRegionProperty::new(r.region.as_str());
                p.kms_key_id = r.encryption_key.as_ref().map(|k| k.key_arn());
                p
            })
            .collect();
        let resource = CfnSecret::new(
            &base,
            "Resource",
            CfnSecretProps {
                description: props.description.clone().map(Str::from),
                kms_key_id: props.encryption_key.as_ref().map(|k| k.key_arn()),
                generate_secret_string: generate,
                secret_string,
                name: base.physical_name(),
                replica_regions: (!replicas.is_empty()).then_some(replicas),
                ..Default::default()
            },
        );
        resource
            .resource()
            .apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Destroy));
        let arn = base.arn_attribute(
            resource.ref_(),
            ArnComponents::new("secretsmanager", "secret")
                .with_name(base.physical_name().unwrap_or_default())
                .with_format(ArnFormat::ColonResourceName),
        );
        let name = owned_secret_name(&node, &arn, props.secret_name.as_ref());
        if let (Some(key), Some(stack)) = (&props.encryption_key, &stack) {
            let principal = ViaServicePrincipal::new(
                via_service(&node),
                &AccountPrincipal::new(stack.account()),
            );
            key.grant_encrypt_decrypt(&principal);
            key.grant(&principal, &["kms:CreateGrant", "kms:DescribeKey"]);
        }
        let secret = Secret {
            base,
            resource,
            arn,
            name,
            key: props.encryption_key.clone(),
            policy: Rc::default(),
            exclude_characters: props
                .generate_secret_string
                .as_ref()
                .and_then(|g| g.exclude_characters.clone()),
        };
        let policy = secret.policy.clone();
        node.add_validation(move || {
            policy
                .borrow()
                .policy
                .as_ref()
                .map(|p| p.document.validate_for_resource_policy())
                .unwrap_or_default()
        });
        secret
    }

    /// An existing secret by name (aws-cdk-lib's `fromSecretNameV2`): its partial ARN
    /// `arn:…:secret:NAME` and policies on `NAME-??????`.
    pub fn from_secret_name_v2(
        scope: &impl IConstruct,
        id: &str,
        secret_name: impl Into<Str>,
    ) -> ImportedSecret {
        let name: Str = secret_name.into();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.secretsmanager.ImportedSecret",
            ResourceProps::default(),
        );
        let arn = match Stack::of(&base) {
            Some(s) => s.format_arn(
                ArnComponents::new("secretsmanager", "secret")
                    .with_name(name.clone())
                    .with_format(ArnFormat::ColonResourceName),
            ),
            None => name.clone(),
        };
        ImportedSecret {
            base,
            arn,
            full_arn: None,
            name,
            key: None,
        }
    }

    /// An existing secret by its complete ARN (ending in `-` and 6 characters).
    pub fn from_secret_complete_arn(
        scope: &impl IConstruct,
        id: &str,
        secret_complete_arn: impl Into<Str>,
    ) -> ImportedSecret {
        Self::from_secret_attributes(
            scope,
            id,
            SecretAttributes {
                secret_complete_arn: Some(secret_complete_arn.into()),
                ..Default::default()
            },
        )
    }

    /// An existing secret by a partial ARN (without the 6-character suffix).
    pub fn from_secret_partial_arn(
        scope: &impl IConstruct,
        id: &str,
        secret_partial_arn: impl Into<Str>,
    ) -> ImportedSecret {
        Self::from_secret_attributes(
            scope,
            id,
            SecretAttributes {
                secret_partial_arn: Some(secret_partial_arn.into()),
                ..Default::default()
            },
        )
    }

    /// An existing secret by ARN, complete or partial (told apart by the suffix).
    pub fn from_secret_arn(
        scope: &impl IConstruct,
        id: &str,
        arn: impl Into<Str>,
    ) -> ImportedSecret {
        let arn: Str = arn.into();
        if arn_is_complete(&arn) {
            Self::from_secret_complete_arn(scope, id, arn)
        } else {
            Self::from_secret_partial_arn(scope, id, arn)
        }
    }

    /// An existing secret from its attributes (exactly one of the complete and partial ARN).
    pub fn from_secret_attributes(
        scope: &impl IConstruct,
        id: &str,
        attrs: SecretAttributes,
    ) -> ImportedSecret {
        let (arn, partial) = match (&attrs.secret_complete_arn, &attrs.secret_partial_arn) {
            (Some(c), None) => (c.clone(), false),
            (None, Some(p)) => (p.clone(), true),
            _ => (Str::default(), true),
        };
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.secretsmanager.ImportedSecret",
            ResourceProps {
                environment_from_arn: (!arn.is_empty_literal()).then(|| arn.clone()),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        if attrs.secret_complete_arn.is_some() == attrs.secret_partial_arn.is_some() {
            node.add_error("must use only one of `secretCompleteArn` or `secretPartialArn`");
        } else if !partial && !arn_is_complete(&arn) {
            node.add_error(
                "`secretCompleteArn` does not appear to be complete; missing 6-character suffix",
            );
        }
        let name = parse_secret_name(&node, &arn);
        ImportedSecret {
            base,
            full_arn: (!partial).then(|| arn.clone()),
            arn,
            name,
            key: attrs.encryption_key,
        }
    }

    /// The secret's ARN (`Ref`).
    pub fn secret_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The secret's name (aws-cdk-lib's parsed owned name: the ARN's name without the suffix).
    pub fn secret_name(&self) -> Str {
        self.name.clone()
    }

    /// The characters excluded from generated values (for hosted rotation).
    pub fn exclude_characters(&self) -> Option<&str> {
        self.exclude_characters.as_deref()
    }

    /// The resource policy, once a statement was added.
    pub fn policy(&self) -> Option<ResourcePolicy> {
        self.policy.borrow().policy.clone()
    }

    /// See [`ISecret::grant_read`].
    pub fn grant_read(
        &self,
        grantee: &dyn IPrincipal,
        version_stages: Option<Vec<String>>,
    ) -> Grant {
        ISecret::grant_read(self, grantee, version_stages)
    }

    /// See [`ISecret::grant_write`].
    pub fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        ISecret::grant_write(self, grantee)
    }

    /// See [`ISecret::secret_value`].
    pub fn secret_value(&self) -> SecretValue {
        ISecret::secret_value(self)
    }

    /// See [`ISecret::secret_value_from_json`].
    pub fn secret_value_from_json(&self, json_field: &str) -> SecretValue {
        ISecret::secret_value_from_json(self, json_field)
    }

    /// See [`ISecret::add_rotation_schedule`].
    pub fn add_rotation_schedule(
        &self,
        id: &str,
        options: RotationScheduleOptions,
    ) -> RotationSchedule {
        ISecret::add_rotation_schedule(self, id, options)
    }

    /// Adds a statement to the secret's resource policy (child `Policy`).
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        IResourceWithPolicy::add_to_resource_policy(self, statement)
    }

    /// Changes the removal policy.
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        self.resource.resource().apply_removal_policy(policy);
    }

    /// The underlying `AWS::SecretsManager::Secret`.
    pub fn cfn(&self) -> &CfnSecret {
        &self.resource
    }
}

/// aws-cdk-lib's `parseSecretNameForOwnedSecret`: the name's `-`-separated segments of the
/// ARN's resource name (2 when the name is generated), joined again.
fn owned_secret_name(node: &Node, arn: &Str, given: Option<&Str>) -> Str {
    let Some(stack) = Stack::of(node) else {
        return arn.clone();
    };
    let resource_name = stack
        .split_arn(arn.clone(), ArnFormat::ColonResourceName)
        .resource_name
        .unwrap_or_default();
    if let Some(g) = given {
        if g.literal().is_none() {
            return g.clone();
        }
    }
    let segments = given
        .and_then(|g| g.literal())
        .map(|g| g.split('-').count())
        .unwrap_or(2);
    let parts: Vec<Str> = (0..segments)
        .map(|i| fns::select(i, fns::split("-", resource_name.clone())))
        .collect();
    fns::join("-", StrList::from(parts))
}

/// aws-cdk-lib's `parseSecretName`: the ARN's resource name without a 6-character suffix.
fn parse_secret_name(node: &Node, arn: &Str) -> Str {
    let Some(stack) = Stack::of(node) else {
        return arn.clone();
    };
    let Some(name) = stack
        .split_arn(arn.clone(), ArnFormat::ColonResourceName)
        .resource_name
    else {
        node.add_error("invalid ARN format; no secret name provided");
        return Str::default();
    };
    match name.literal() {
        None => name,
        Some(l) => match l.rfind('-') {
            Some(i) if l.len() - i - 1 == 6 => Str::from(&l[..i]),
            _ => name.clone(),
        },
    }
}

/// A token, or ends in `-` and 6 letters/digits.
fn arn_is_complete(arn: &Str) -> bool {
    match arn.literal() {
        None => true,
        Some(l) => l.rfind('-').is_some_and(|i| {
            let suffix = &l[i + 1..];
            suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        }),
    }
}

trait EmptyLiteral {
    fn is_empty_literal(&self) -> bool;
}

impl EmptyLiteral for Str {
    fn is_empty_literal(&self) -> bool {
        self.literal().is_some_and(str::is_empty)
    }
}

impl IResourceWithPolicy for Secret {
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        let existing = self.policy.borrow().policy.clone();
        let policy = match existing {
            Some(p) => p,
            None => {
                let p = ResourcePolicy::new(self.node(), "Policy", self.arn.clone());
                self.policy.borrow_mut().policy = Some(p.clone());
                p
            }
        };
        policy.document.add_statements([statement]);
        AddToResourcePolicyResult {
            statement_added: true,
            policy_dependable: Some(policy.node.clone()),
        }
    }

    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl ISecret for Secret {
    fn secret_arn(&self) -> Str {
        self.arn.clone()
    }
    fn secret_full_arn(&self) -> Option<Str> {
        Some(self.arn.clone())
    }
    fn secret_name(&self) -> Str {
        self.name.clone()
    }
    fn encryption_key(&self) -> Option<Rc<dyn IKey>> {
        self.key.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
    fn is_owned(&self) -> bool {
        true
    }
}

/// Attributes of an existing secret ([`Secret::from_secret_attributes`]).
#[derive(Clone, Default)]
pub struct SecretAttributes {
    /// The complete ARN (with the 6-character suffix).
    pub secret_complete_arn: Option<Str>,
    /// A partial ARN (without the suffix).
    pub secret_partial_arn: Option<Str>,
    /// The key that encrypts it.
    pub encryption_key: Option<Rc<dyn IKey>>,
}

/// A secret defined outside this app. Its resource policy is not managed here: grants go to
/// the grantee's policy.
#[derive(Clone)]
pub struct ImportedSecret {
    base: Resource,
    arn: Str,
    full_arn: Option<Str>,
    name: Str,
    key: Option<Rc<dyn IKey>>,
}

impl IConstruct for ImportedSecret {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IResourceWithPolicy for ImportedSecret {
    fn add_to_resource_policy(&self, _statement: PolicyStatement) -> AddToResourcePolicyResult {
        AddToResourcePolicyResult::default()
    }
    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl ISecret for ImportedSecret {
    fn secret_arn(&self) -> Str {
        self.arn.clone()
    }
    fn secret_full_arn(&self) -> Option<Str> {
        self.full_arn.clone()
    }
    fn secret_name(&self) -> Str {
        self.name.clone()
    }
    fn encryption_key(&self) -> Option<Rc<dyn IKey>> {
        self.key.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
}

impl From<Secret> for Rc<dyn ISecret> {
    fn from(s: Secret) -> Self {
        Rc::new(s)
    }
}

impl From<&Secret> for Rc<dyn ISecret> {
    fn from(s: &Secret) -> Self {
        Rc::new(s.clone())
    }
}

impl From<ImportedSecret> for Rc<dyn ISecret> {
    fn from(s: ImportedSecret) -> Self {
        Rc::new(s)
    }
}

/// A secret's resource policy (`AWS::SecretsManager::ResourcePolicy`, child `Resource`).
#[derive(Clone)]
pub struct ResourcePolicy {
    node: Node,
    document: PolicyDocument,
    resource: CfnResourcePolicy,
}

impl IConstruct for ResourcePolicy {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl ResourcePolicy {
    /// The resource policy `id` of the secret with ARN `secret_arn`.
    pub fn new(scope: &impl IConstruct, id: &str, secret_arn: Str) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.secretsmanager.ResourcePolicy");
        let document = PolicyDocument::new();
        let resource = CfnResourcePolicy::new(
            &node,
            "Resource",
            CfnResourcePolicyProps {
                block_public_policy: None,
                resource_policy: document.to_value(),
                secret_id: secret_arn,
            },
        );
        ResourcePolicy {
            node,
            document,
            resource,
        }
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The underlying `AWS::SecretsManager::ResourcePolicy`.
    pub fn cfn(&self) -> &CfnResourcePolicy {
        &self.resource
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::secretsmanager::*;
