use cdk_constructs::kms::CfnAliasProps;
use cdk_constructs::s3::cfn_bucket::VersioningConfigurationProperty;

fn main() {
    // `TargetKeyId` is required by AWS::KMS::Alias.
    let _alias = CfnAliasProps {
        alias_name: "alias/my-key".into(),
    };
    // `Status` is required by VersioningConfiguration.
    let _versioning = VersioningConfigurationProperty {};
}
