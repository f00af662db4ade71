//! The DefaultStackSynthesizer conventions: bootstrap roles, assets bucket and version checks,
//! with names compatible with AWS CDK's bootstrap stack.

/// The default bootstrap qualifier.
pub const DEFAULT_QUALIFIER: &str = "hnb659fds";
/// Context key that overrides the qualifier for the whole app.
pub const QUALIFIER_CONTEXT_KEY: &str = "@aws-cdk/core:bootstrapQualifier";
/// Bootstrap version required to deploy a stack.
pub const MIN_BOOTSTRAP_VERSION: u32 = 6;
/// Bootstrap version required for the lookup role.
pub const LOOKUP_ROLE_BOOTSTRAP_VERSION: u32 = 8;

/// Deployment conventions of a stack: which bootstrap resources deploy it.
///
/// Role ARNs may use the placeholders `${Qualifier}`, `${AWS::AccountId}`, `${AWS::Region}`
/// (replaced by the stack's account/region when they are known) and `${AWS::Partition}`, as
/// in aws-cdk-lib.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultStackSynthesizer {
    /// Bootstrap qualifier (`hnb659fds` unless the account was bootstrapped with another).
    pub qualifier: String,
    /// The role the CLI assumes to deploy (default: the bootstrap `deploy-role`).
    pub deploy_role_arn: Option<String>,
    /// The role CloudFormation runs as (default: the bootstrap `cfn-exec-role`).
    pub cloud_formation_execution_role: Option<String>,
}

impl Default for DefaultStackSynthesizer {
    fn default() -> Self {
        DefaultStackSynthesizer {
            qualifier: DEFAULT_QUALIFIER.to_string(),
            deploy_role_arn: None,
            cloud_formation_execution_role: None,
        }
    }
}

/// Account and region placeholders for an environment: literals, or `${AWS::AccountId}` /
/// `${AWS::Region}` for environment-agnostic stacks.
#[derive(Clone, Debug)]
pub struct EnvPlaceholders {
    /// Account literal or `${AWS::AccountId}`.
    pub account: String,
    /// Region literal or `${AWS::Region}`.
    pub region: String,
}

impl EnvPlaceholders {
    /// Placeholders for an optional account/region.
    pub fn new(account: Option<&str>, region: Option<&str>) -> Self {
        EnvPlaceholders {
            account: account.unwrap_or("${AWS::AccountId}").to_string(),
            region: region.unwrap_or("${AWS::Region}").to_string(),
        }
    }
}

impl DefaultStackSynthesizer {
    /// A synthesizer with a custom qualifier.
    pub fn with_qualifier(qualifier: &str) -> Self {
        DefaultStackSynthesizer {
            qualifier: qualifier.to_string(),
            ..Default::default()
        }
    }

    /// Replaces `${Qualifier}` and, when known, `${AWS::AccountId}` / `${AWS::Region}`.
    fn expand(&self, template: &str, env: &EnvPlaceholders) -> String {
        template
            .replace("${Qualifier}", &self.qualifier)
            .replace("${AWS::AccountId}", &env.account)
            .replace("${AWS::Region}", &env.region)
    }

    fn role(&self, kind: &str, env: &EnvPlaceholders) -> String {
        format!(
            "arn:${{AWS::Partition}}:iam::{account}:role/cdk-{q}-{kind}-{account}-{region}",
            account = env.account,
            region = env.region,
            q = self.qualifier
        )
    }

    /// The deploy role the CLI assumes.
    pub fn deploy_role_arn(&self, env: &EnvPlaceholders) -> String {
        match &self.deploy_role_arn {
            Some(arn) => self.expand(arn, env),
            None => self.role("deploy-role", env),
        }
    }

    /// The role CloudFormation runs as.
    pub fn cfn_exec_role_arn(&self, env: &EnvPlaceholders) -> String {
        match &self.cloud_formation_execution_role {
            Some(arn) => self.expand(arn, env),
            None => self.role("cfn-exec-role", env),
        }
    }

    /// The role that uploads file assets.
    pub fn file_publishing_role_arn(&self, env: &EnvPlaceholders) -> String {
        self.role("file-publishing-role", env)
    }

    /// The role that reads deployed state (diff, lookups).
    pub fn lookup_role_arn(&self, env: &EnvPlaceholders) -> String {
        self.role("lookup-role", env)
    }

    /// The bootstrap assets bucket.
    pub fn assets_bucket_name(&self, env: &EnvPlaceholders) -> String {
        format!(
            "cdk-{}-assets-{}-{}",
            self.qualifier, env.account, env.region
        )
    }

    /// The SSM parameter holding the bootstrap version.
    pub fn bootstrap_version_parameter(&self) -> String {
        format!("/cdk-bootstrap/{}/version", self.qualifier)
    }
}
