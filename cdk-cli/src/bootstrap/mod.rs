//! `rcdk bootstrap`: creates or updates the `CDKToolkit` stack from rcdk's own bootstrap
//! template (embedded), whose resource names and version parameter match the AWS CDK's, so an
//! environment bootstrapped by either tool works with both.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::assembly::Environment;
use crate::aws::AwsProvider;
use crate::deploy::console::Printer;
use crate::deploy::env::ResolvedEnv;
use crate::deploy::monitor::Polling;
use crate::deploy::stack::{deploy_stack, DeploySettings, StackDeployment, StackResult};
use crate::error::{CliError, Result};

/// The bootstrap template.
pub const TEMPLATE: &str = include_str!("bootstrap-template.json");
/// The default toolkit stack name.
pub const DEFAULT_TOOLKIT_STACK_NAME: &str = "CDKToolkit";
/// The default qualifier (the same as the AWS CDK's).
pub const DEFAULT_QUALIFIER: &str = "hnb659fds";

/// The parsed bootstrap template.
pub fn template() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(TEMPLATE).unwrap_or(Value::Null))
}

/// The bootstrap version this template creates (the `CdkBootstrapVersion` parameter's value).
pub fn version() -> u32 {
    template()
        .pointer("/Resources/CdkBootstrapVersion/Properties/Value")
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(0)
}

/// What to bootstrap with.
#[derive(Debug, Clone, Default)]
pub struct BootstrapOptions {
    /// Accounts trusted to deploy (`--trust`).
    pub trust: Vec<String>,
    /// Accounts trusted to look up (`--trust-for-lookup`).
    pub trust_for_lookup: Vec<String>,
    /// Managed policy ARNs of the execution role.
    pub execution_policies: Vec<String>,
    /// The qualifier (default [`DEFAULT_QUALIFIER`]).
    pub qualifier: Option<String>,
    /// The toolkit stack name (default [`DEFAULT_TOOLKIT_STACK_NAME`]).
    pub toolkit_stack_name: Option<String>,
    /// A custom assets bucket name.
    pub bucket_name: Option<String>,
    /// The KMS key of the assets bucket (`AWS_MANAGED_KEY`, a key ID/ARN; default: create one).
    pub kms_key_id: Option<String>,
    /// Block public access to the bucket (default true).
    pub public_access_block: Option<bool>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Termination protection of the toolkit stack.
    pub termination_protection: Option<bool>,
    /// Update even when nothing changed, or when the deployed version is newer.
    pub force: bool,
    /// Leave the change set for review.
    pub no_execute: bool,
    /// Poll intervals.
    pub polling: Polling,
}

/// Parses `aws://ACCOUNT/REGION` (account and region may be `unknown-account` /
/// `unknown-region`: the current credentials' account and the configured region).
pub fn parse_environment(arg: &str) -> Result<Environment> {
    let bad = |problem: String| CliError::InvalidArg {
        what: "environment".into(),
        value: arg.to_string(),
        problem,
    };
    let env = Environment::parse(Some(arg));
    if env.account == "unknown-account"
        && env.region == "unknown-region"
        && !arg.contains("unknown")
    {
        return Err(bad("expected aws://ACCOUNT/REGION".into()));
    }
    if env.account != "unknown-account" && !cdk_core::Environment::is_valid_account_id(&env.account)
    {
        return Err(bad(format!(
            "`{}` is not an AWS account ID (12 digits, e.g. aws://123456789012/us-east-1)",
            env.account
        )));
    }
    if env.region != "unknown-region" && !cdk_core::Environment::is_valid_region(&env.region) {
        return Err(bad(format!(
            "`{}` is not an AWS region name (e.g. us-east-1)",
            env.region
        )));
    }
    Ok(env)
}

/// Bootstraps `env` (an unknown account or region: the current credentials' account and the
/// configured region). The current credentials must act in the target account.
pub fn bootstrap(
    provider: &dyn AwsProvider,
    env: &Environment,
    options: &BootstrapOptions,
    printer: &Printer,
) -> Result<StackResult> {
    let resolved = ResolvedEnv::resolve(env, provider, "the environment to bootstrap")?;
    let identity = provider.caller_identity().map_err(|source| CliError::Aws {
        action: "cannot find the current account (sts:GetCallerIdentity)".into(),
        source,
    })?;
    if identity.account != resolved.account {
        return Err(CliError::WrongAccount {
            wanted: resolved.account,
            actual: identity.account,
        });
    }
    let clients = provider
        .clients(&resolved.region, None)
        .map_err(|source| CliError::Aws {
            action: format!("cannot create AWS clients for {}", resolved.region),
            source,
        })?;
    let stack_name = options
        .toolkit_stack_name
        .clone()
        .unwrap_or_else(|| DEFAULT_TOOLKIT_STACK_NAME.into());
    let existing = clients
        .cloudformation
        .describe_stack(&stack_name)
        .map_err(|source| CliError::Aws {
            action: format!("cannot describe {stack_name}"),
            source,
        })?;

    let ours = version();
    if let Some(info) = &existing {
        let deployed: Option<u32> = info
            .outputs
            .iter()
            .find(|(k, _)| k == "BootstrapVersion")
            .and_then(|(_, v)| v.parse().ok());
        if let Some(deployed) = deployed.filter(|&d| d > ours) {
            if !options.force {
                return Err(CliError::Bootstrap {
                    environment: resolved.name(),
                    problem: format!("{stack_name} has bootstrap version {deployed}, newer than this rcdk's {ours}; not downgrading (use --force to downgrade anyway)"),
                });
            }
        }
    }

    let mut parameters = BTreeMap::new();
    let previous_policies = existing
        .as_ref()
        .and_then(|i| i.parameters.get("CloudFormationExecutionPolicies"))
        .is_some_and(|p| !p.is_empty());
    if !options.trust.is_empty() && options.execution_policies.is_empty() && !previous_policies {
        return Err(CliError::TrustWithoutPolicies);
    }
    if !options.trust.is_empty() {
        parameters.insert("TrustedAccounts".into(), options.trust.join(","));
    }
    if !options.trust_for_lookup.is_empty() {
        parameters.insert(
            "TrustedAccountsForLookup".into(),
            options.trust_for_lookup.join(","),
        );
    }
    if !options.execution_policies.is_empty() {
        parameters.insert(
            "CloudFormationExecutionPolicies".into(),
            options.execution_policies.join(","),
        );
    }
    let qualifier = options.qualifier.clone().unwrap_or_else(|| {
        existing
            .as_ref()
            .and_then(|i| i.parameters.get("Qualifier").cloned())
            .unwrap_or_else(|| DEFAULT_QUALIFIER.into())
    });
    parameters.insert("Qualifier".into(), qualifier);
    if let Some(b) = &options.bucket_name {
        parameters.insert("FileAssetsBucketName".into(), b.clone());
    }
    if let Some(k) = &options.kms_key_id {
        parameters.insert("FileAssetsBucketKmsKeyId".into(), k.clone());
    }
    if let Some(p) = options.public_access_block {
        parameters.insert("PublicAccessBlockConfiguration".into(), p.to_string());
    }

    printer.line(format!(
        "Bootstrapping {} (stack {stack_name}, bootstrap version {ours})",
        resolved.name()
    ));
    let deployment = StackDeployment {
        label: stack_name.clone(),
        stack_name,
        template: template().clone(),
        template_source: None,
        parameters,
        tags: options.tags.clone(),
        execution_role_arn: None,
        termination_protection: options.termination_protection,
        construct_paths: Default::default(),
    };
    let result = deploy_stack(
        clients.cloudformation.as_ref(),
        &deployment,
        DeploySettings {
            force: options.force,
            execute: !options.no_execute,
            polling: options.polling,
        },
        printer,
    )
    .map_err(|f| CliError::StacksFailed {
        operation: "bootstrap".into(),
        stacks: vec![format!("{} ({})", resolved.name(), f.summary)],
    })?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_template_is_version_30_with_cdk_names() {
        assert_eq!(version(), 30);
        let t = template();
        for output in [
            "BucketName",
            "BucketDomainName",
            "FileAssetKeyArn",
            "ImageRepositoryName",
            "BootstrapVersion",
        ] {
            assert!(t["Outputs"].get(output).is_some(), "{output}");
        }
        let name = t
            .pointer("/Resources/CdkBootstrapVersion/Properties/Name")
            .unwrap()
            .to_string();
        assert!(
            name.contains("/cdk-bootstrap/${Qualifier}/version"),
            "{name}"
        );
    }

    #[test]
    fn environments_parse() {
        let e = parse_environment("aws://123456789012/eu-west-1").unwrap();
        assert_eq!(
            (e.account.as_str(), e.region.as_str()),
            ("123456789012", "eu-west-1")
        );
        assert!(parse_environment("123456789012").is_err());
        assert!(parse_environment("aws://unknown-account/unknown-region").is_ok());
        let err = parse_environment("aws://123/us-east-1")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`123` is not an AWS account ID"), "{err}");
        let err = parse_environment("aws://123456789012/US East")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an AWS region name"), "{err}");
        assert!(parse_environment("aws://123456789012/unknown-region").is_ok());
    }
}
