//! The concrete environment a stack deploys to, and the `${AWS::...}` placeholders of the
//! manifest (role ARNs, bucket names) substituted from it.

use crate::assembly::Environment;
use crate::aws::{partition_of, AwsProvider};
use crate::error::{CliError, Result};

/// An account, region and partition with nothing unknown.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolvedEnv {
    /// The account ID.
    pub account: String,
    /// The region.
    pub region: String,
    /// The partition (`aws`, `aws-cn`, ...).
    pub partition: String,
}

impl ResolvedEnv {
    /// An environment from an account and region.
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Self {
        let region = region.into();
        ResolvedEnv {
            account: account.into(),
            partition: partition_of(&region).to_string(),
            region,
        }
    }

    /// Resolves `env`: an unknown account is the current credentials' account, an unknown
    /// region the configured region. `what` names the stack in errors.
    pub fn resolve(env: &Environment, provider: &dyn AwsProvider, what: &str) -> Result<Self> {
        let region = if env.region == "unknown-region" {
            provider
                .default_region()
                .ok_or_else(|| CliError::NoRegion {
                    what: what.to_string(),
                })?
        } else {
            env.region.clone()
        };
        let account = if env.account == "unknown-account" {
            provider
                .caller_identity()
                .map_err(|source| CliError::Aws {
                    action: format!(
                        "cannot find the current account for {what} (sts:GetCallerIdentity)"
                    ),
                    source,
                })?
                .account
        } else {
            env.account.clone()
        };
        Ok(ResolvedEnv::new(account, region))
    }

    /// `aws://ACCOUNT/REGION`.
    pub fn name(&self) -> String {
        format!("aws://{}/{}", self.account, self.region)
    }

    /// Replaces `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` in `text`.
    pub fn substitute(&self, text: &str) -> String {
        text.replace("${AWS::AccountId}", &self.account)
            .replace("${AWS::Region}", &self.region)
            .replace("${AWS::Partition}", &self.partition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_substituted() {
        let env = ResolvedEnv::new("123456789012", "cn-north-1");
        assert_eq!(
            env.substitute("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-x-${AWS::AccountId}-${AWS::Region}"),
            "arn:aws-cn:iam::123456789012:role/cdk-x-123456789012-cn-north-1"
        );
        assert_eq!(env.name(), "aws://123456789012/cn-north-1");
    }
}
