//! `rcdk bootstrap`: creates or updates the `CDKToolkit` stack from the AWS CDK's own bootstrap
//! template, so an environment bootstrapped by either CLI is upgraded by the other.
//!
//! `bootstrap-template.yaml` is the template of the cdk CLI, vendored unchanged from npm
//! `aws-cdk@2.1148.1` (`lib/api/bootstrap/bootstrap-template.yaml`; bootstrap version 33,
//! variant `AWS CDK: Default Resources`). To refresh it, copy that file from a newer `aws-cdk`
//! package and update [`SOURCE`]. The parameters rcdk passes follow the cdk CLI
//! (`Bootstrapper.modernBootstrap`): trusted accounts and execution policies keep their deployed
//! values unless given, the assets bucket is encrypted with the AWS managed key unless
//! `--bootstrap-kms-key-id` or `--bootstrap-customer-key` says otherwise, and a deployed stack of
//! another variant or a newer version is left alone (with a warning) unless `--force`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::assembly::Environment;
use crate::aws::AwsProvider;
use crate::deploy::console::Printer;
use crate::deploy::env::ResolvedEnv;
use crate::deploy::monitor::Polling;
use crate::deploy::stack::{deploy_stack, DeploySettings, StackDeployment, StackResult};
use crate::error::{CliError, Result};

/// The bootstrap template (YAML, as the cdk CLI ships it).
pub const TEMPLATE: &str = include_str!("bootstrap-template.yaml");
/// Where [`TEMPLATE`] comes from.
pub const SOURCE: &str = "aws-cdk@2.1148.1 lib/api/bootstrap/bootstrap-template.yaml";
/// The default toolkit stack name.
pub const DEFAULT_TOOLKIT_STACK_NAME: &str = "CDKToolkit";
/// The default qualifier (the same as the AWS CDK's).
pub const DEFAULT_QUALIFIER: &str = "hnb659fds";
/// `FileAssetsBucketKmsKeyId` for the AWS managed S3 key (the cdk CLI's default).
pub const USE_AWS_MANAGED_KEY: &str = "AWS_MANAGED_KEY";
/// The variant of a stack that has no `BootstrapVariant` parameter.
pub const DEFAULT_BOOTSTRAP_VARIANT: &str = "AWS CDK: Default Resources";

/// The parsed built-in bootstrap template.
pub fn template() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| {
        crate::yaml::parse_template(TEMPLATE, Path::new("bootstrap-template.yaml"))
            .unwrap_or(Value::Null)
    })
}

/// The bootstrap version of a template: its `BootstrapVersion` output, else the value of its
/// `CdkBootstrapVersion` parameter resource; 0 when it has neither (a legacy template).
pub fn version_of(template: &Value) -> u32 {
    [
        template.pointer("/Outputs/BootstrapVersion/Value"),
        template.pointer("/Resources/CdkBootstrapVersion/Properties/Value"),
    ]
    .into_iter()
    .flatten()
    .find_map(|v| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    })
    .and_then(|v| u32::try_from(v).ok())
    .unwrap_or(0)
}

/// The variant of a template: the default of its `BootstrapVariant` parameter.
pub fn variant_of(template: &Value) -> String {
    template
        .pointer("/Parameters/BootstrapVariant/Default")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_BOOTSTRAP_VARIANT)
        .to_string()
}

/// The bootstrap version the built-in template creates.
pub fn version() -> u32 {
    version_of(template())
}

/// What to bootstrap with.
#[derive(Debug, Clone, Default)]
pub struct BootstrapOptions {
    /// Accounts trusted to deploy (`--trust`; `None`: keep the deployed ones).
    pub trust: Option<Vec<String>>,
    /// Accounts trusted to look up (`--trust-for-lookup`; `None`: keep the deployed ones).
    pub trust_for_lookup: Option<Vec<String>>,
    /// Managed policy ARNs of the execution role (`None`: keep the deployed ones).
    pub execution_policies: Option<Vec<String>>,
    /// The qualifier (default: the deployed one, else [`DEFAULT_QUALIFIER`]).
    pub qualifier: Option<String>,
    /// The toolkit stack name (default [`DEFAULT_TOOLKIT_STACK_NAME`]).
    pub toolkit_stack_name: Option<String>,
    /// A custom assets bucket name.
    pub bucket_name: Option<String>,
    /// The KMS key of the assets bucket: `AWS_MANAGED_KEY` or a key ID/ARN.
    pub kms_key_id: Option<String>,
    /// `--bootstrap-customer-key`: create a customer managed key (true) or use the AWS managed
    /// one (false).
    pub customer_key: Option<bool>,
    /// Block public access to the bucket (default true).
    pub public_access_block: Option<bool>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Termination protection of the toolkit stack (`None`: leave as deployed).
    pub termination_protection: Option<bool>,
    /// Update even when nothing changed, or over another variant or a newer version.
    pub force: bool,
    /// Leave the change set for review.
    pub no_execute: bool,
    /// Poll intervals.
    pub polling: Polling,
    /// A custom template (`--template`) instead of the built-in one.
    pub template: Option<Value>,
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

fn split_cfn_list(value: Option<&String>) -> Vec<String> {
    match value.map(String::as_str) {
        None | Some("") => Vec::new(),
        Some(v) => v.split(',').map(str::to_string).collect(),
    }
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
    if options.customer_key.is_some() && options.kms_key_id.is_some() {
        return Err(CliError::InvalidArg {
            what: "--bootstrap-kms-key-id".into(),
            value: options.kms_key_id.clone().unwrap_or_default(),
            problem:
                "cannot be used together with --bootstrap-customer-key; specify one or the other"
                    .into(),
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
    let template = options.template.as_ref().unwrap_or_else(|| template());
    let ours = version_of(template);
    let our_variant = variant_of(template);

    if let Some(info) = existing.as_ref().filter(|_| !options.force) {
        let deployed_variant = info
            .parameters
            .get("BootstrapVariant")
            .cloned()
            .unwrap_or_else(|| DEFAULT_BOOTSTRAP_VARIANT.into());
        let unchanged = StackResult::Unchanged {
            outputs: info.outputs.clone(),
            stack_id: info.stack_id.clone(),
        };
        if deployed_variant != our_variant {
            printer.warn(format!(
                "Bootstrap stack already exists, containing '{deployed_variant}'. Not overwriting it with a template containing '{our_variant}' (use --force if you intend to overwrite)"
            ));
            return Ok(unchanged);
        }
        let deployed: u32 = info
            .outputs
            .iter()
            .find(|(k, _)| k == "BootstrapVersion")
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        if ours < deployed {
            printer.warn(format!(
                "Bootstrap stack already at version {deployed}. Not downgrading it to version {ours} (use --force if you intend to downgrade)"
            ));
            return Ok(unchanged);
        }
    }

    let previous = |key: &str| existing.as_ref().and_then(|i| i.parameters.get(key));
    let trusted = options
        .trust
        .clone()
        .unwrap_or_else(|| split_cfn_list(previous("TrustedAccounts")));
    let trusted_for_lookup = options
        .trust_for_lookup
        .clone()
        .unwrap_or_else(|| split_cfn_list(previous("TrustedAccountsForLookup")));
    let policies = options
        .execution_policies
        .clone()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| split_cfn_list(previous("CloudFormationExecutionPolicies")));
    let list = |l: &[String]| {
        if l.is_empty() {
            "(none)".to_string()
        } else {
            l.join(", ")
        }
    };
    printer.line(format!(
        "Trusted accounts for deployment: {}",
        list(&trusted)
    ));
    printer.line(format!(
        "Trusted accounts for lookup: {}",
        list(&trusted_for_lookup)
    ));
    if trusted.is_empty() && policies.is_empty() {
        printer.warn(format!(
            "Using default execution policy of 'arn:{}:iam::aws:policy/AdministratorAccess'. Pass '--cloudformation-execution-policies' to customize.",
            resolved.partition
        ));
    } else if policies.is_empty() {
        return Err(CliError::TrustWithoutPolicies);
    } else {
        printer.line(format!("Execution policies: {}", policies.join(", ")));
    }

    // Parameters left out keep their deployed values (UsePreviousValue).
    let mut parameters = BTreeMap::new();
    parameters.insert("TrustedAccounts".into(), trusted.join(","));
    parameters.insert(
        "TrustedAccountsForLookup".into(),
        trusted_for_lookup.join(","),
    );
    parameters.insert("CloudFormationExecutionPolicies".into(), policies.join(","));
    if let Some(q) = &options.qualifier {
        parameters.insert("Qualifier".into(), q.clone());
    }
    if let Some(b) = &options.bucket_name {
        parameters.insert("FileAssetsBucketName".into(), b.clone());
    }
    let kms_key = match (&options.kms_key_id, options.customer_key) {
        (Some(k), _) => Some(k.clone()),
        (None, Some(true)) => Some(String::new()),
        (None, Some(false)) => Some(USE_AWS_MANAGED_KEY.into()),
        (None, None) if previous("FileAssetsBucketKmsKeyId").is_none() => {
            Some(USE_AWS_MANAGED_KEY.into())
        }
        (None, None) => None,
    };
    if let Some(k) = kms_key {
        parameters.insert("FileAssetsBucketKmsKeyId".into(), k);
    }
    parameters.insert(
        "PublicAccessBlockConfiguration".into(),
        options.public_access_block.unwrap_or(true).to_string(),
    );
    let declared = template.get("Parameters").and_then(Value::as_object);
    parameters.retain(|k, _| declared.is_some_and(|d| d.contains_key(k)));

    printer.line(format!(
        " ⏳  Bootstrapping environment {} (stack {stack_name}, bootstrap version {ours})...",
        resolved.name()
    ));
    let deployment = StackDeployment {
        label: stack_name.clone(),
        stack_name,
        template: template.clone(),
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
            revert_drift: false,
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
    fn built_in_template_is_the_cdk_clis_version_33() {
        let t = template();
        assert_eq!(version(), 33);
        assert_eq!(variant_of(t), "AWS CDK: Default Resources");
        for output in [
            "BucketName",
            "BucketDomainName",
            "FileAssetKeyArn",
            "ImageRepositoryName",
            "BootstrapVersion",
        ] {
            assert!(t["Outputs"].get(output).is_some(), "{output}");
        }
        for parameter in [
            "TrustedAccounts",
            "TrustedAccountsForLookup",
            "CloudFormationExecutionPolicies",
            "FileAssetsBucketName",
            "FileAssetsBucketKmsKeyId",
            "ContainerAssetsRepositoryName",
            "Qualifier",
            "PublicAccessBlockConfiguration",
            "InputPermissionsBoundary",
            "UseExamplePermissionsBoundary",
            "ApplyPermissionsBoundaryToAllRoles",
            "BootstrapVariant",
            "DenyExternalId",
        ] {
            assert!(t["Parameters"].get(parameter).is_some(), "{parameter}");
        }
        assert_eq!(
            t.pointer("/Resources/CdkBootstrapVersion/Properties/Value"),
            Some(&Value::String("33".into()))
        );
        // YAML booleans and quoted strings keep their types.
        assert_eq!(
            t.pointer("/Parameters/PublicAccessBlockConfiguration/Default"),
            Some(&Value::String("true".into()))
        );
        let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "Description",
                "Parameters",
                "Conditions",
                "Resources",
                "Outputs"
            ]
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
