//! Secret values (aws-cdk-lib's `SecretValue`): references to secrets that CloudFormation
//! resolves at deploy time, so the value never appears in the template.

use cdk_core::Str;

/// Which value of a Secrets Manager secret a reference reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SecretsManagerSecretOptions {
    /// A key of the secret's JSON value (default: the whole value).
    pub json_field: Option<String>,
    /// A version stage (`AWSCURRENT`, ...); not with `version_id`.
    pub version_stage: Option<String>,
    /// A version ID; not with `version_stage`.
    pub version_id: Option<String>,
}

/// A value that should not be written into templates as plain text.
///
/// ```
/// use cdk_constructs::secretsmanager::{SecretValue, SecretsManagerSecretOptions};
/// let v = SecretValue::secrets_manager("MySecret", SecretsManagerSecretOptions {
///     json_field: Some("password".into()),
///     ..Default::default()
/// }).unwrap();
/// assert_eq!(v.unsafe_unwrap().literal(), Some("{{resolve:secretsmanager:MySecret:SecretString:password::}}"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SecretValue {
    value: Str,
}

impl SecretValue {
    /// A plain value: it will be visible in the template (use only for values that are not
    /// secret, or in tests).
    pub fn unsafe_plain_text(value: impl Into<Str>) -> Self {
        SecretValue {
            value: value.into(),
        }
    }

    /// A deploy-time value (an attribute such as an access key's `SecretAccessKey`).
    pub fn resource_attribute(value: Str) -> Self {
        SecretValue { value }
    }

    /// The key of a Secrets Manager dynamic reference (aws-cdk-lib's
    /// `SecretValue.cfnDynamicReferenceKey`): `ID:SecretString:FIELD:STAGE:VERSION`.
    pub fn cfn_dynamic_reference_key(
        secret_id: impl Into<Str>,
        options: &SecretsManagerSecretOptions,
    ) -> Result<Str, String> {
        let id: Str = secret_id.into();
        if let Some(l) = id.literal() {
            if l.is_empty() {
                return Err("secretId cannot be empty".into());
            }
            if !l.starts_with("arn:") && l.contains(':') {
                return Err(format!(
                    "secret id \"{l}\" is not an ARN but contains \":\""
                ));
            }
        }
        if let (Some(stage), Some(version)) = (&options.version_stage, &options.version_id) {
            return Err(format!("versionStage: '{stage}' and versionId: '{version}' were both provided but only one is allowed"));
        }
        Ok(Str::concat([
            id,
            Str::from(format!(
                ":SecretString:{}:{}:{}",
                options.json_field.as_deref().unwrap_or(""),
                options.version_stage.as_deref().unwrap_or(""),
                options.version_id.as_deref().unwrap_or("")
            )),
        ]))
    }

    /// `{{resolve:secretsmanager:ID:SecretString:FIELD:STAGE:VERSION}}`.
    pub fn secrets_manager(
        secret_id: impl Into<Str>,
        options: SecretsManagerSecretOptions,
    ) -> Result<Self, String> {
        let key = Self::cfn_dynamic_reference_key(secret_id, &options)?;
        Ok(SecretValue {
            value: Str::concat([Str::from("{{resolve:secretsmanager:"), key, Str::from("}}")]),
        })
    }

    /// `{{resolve:ssm-secure:NAME[:VERSION]}}`.
    pub fn ssm_secure(parameter_name: &str, version: Option<&str>) -> Self {
        let reference = match version {
            Some(v) => format!("{parameter_name}:{v}"),
            None => parameter_name.to_string(),
        };
        SecretValue {
            value: format!("{{{{resolve:ssm-secure:{reference}}}}}").into(),
        }
    }

    /// The value as a string, to pass where a secret is expected.
    pub fn unsafe_unwrap(&self) -> Str {
        self.value.clone()
    }
}
