//! `rcdk publish-assets --path MANIFEST [SELECTOR...]`: publishes assets of one asset manifest,
//! as `cdk-assets --path MANIFEST publish SELECTOR...` does — what the asset actions of a
//! pipeline run (aws-cdk-lib's pipelines call cdk-assets; rcdk's call this). Each destination is
//! uploaded under its `assumeRoleArn` (the target's file-publishing role), with `${AWS::Region}`
//! resolved to the configured region and `${AWS::AccountId}` to the current credentials'
//! account (looked up only when a destination needs it). No app is run and no assembly is read
//! beyond the manifest and the asset sources it names.

use std::io::Write;
use std::sync::OnceLock;

use crate::aws::AwsProvider;
use crate::cli::{GlobalOpts, PublishAssetsArgs};
use crate::deploy::assets::{publish_manifest, AssetSelector, FileDestination};
use crate::deploy::console::{with_console, ConsoleMode};
use crate::deploy::env::ResolvedEnv;
use crate::deploy::{Context, DeployOptions};
use crate::error::{CliError, Result};

/// The `publish-assets` command.
pub struct PublishAssets<'a> {
    /// Its arguments.
    pub args: &'a PublishAssetsArgs,
}

impl PublishAssets<'_> {
    /// Publishes with the AWS SDK.
    pub fn run(&self, global: &GlobalOpts, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
        let provider = super::sdk_provider(global)?;
        self.run_with(&provider, ConsoleMode::default(), out, err)
    }

    /// Publishes with the given provider (tests pass fakes).
    pub fn run_with(
        &self,
        provider: &dyn AwsProvider,
        console: ConsoleMode,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let selectors = self
            .args
            .selectors
            .iter()
            .map(|s| AssetSelector::parse(s))
            .collect::<Result<Vec<_>>>()?;
        let options = DeployOptions {
            force: self.args.force,
            ..Default::default()
        };
        let ctx = Context {
            provider,
            options: &options,
            in_flight: Default::default(),
        };
        let path = &self.args.path;
        let label = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let account: OnceLock<String> = OnceLock::new();
        let env_of = |dest: &FileDestination| -> Result<ResolvedEnv> {
            let default_region = || {
                provider.default_region().ok_or_else(|| CliError::NoRegion {
                    what: format!("the assets of {}", path.display()),
                })
            };
            let region = match dest.region.as_deref() {
                Some(r) if r.contains("${AWS::Region}") => {
                    r.replace("${AWS::Region}", &default_region()?)
                }
                Some(r) => r.to_string(),
                None => default_region()?,
            };
            // The account is needed only for `${AWS::AccountId}` placeholders; look it up once.
            let needs_account = [Some(&dest.bucket_name), Some(&dest.object_key)]
                .into_iter()
                .chain([dest.assume_role_arn.as_ref()])
                .flatten()
                .any(|text| text.contains("${AWS::AccountId}"));
            let account = match account.get() {
                Some(a) => a.clone(),
                None if !needs_account => String::new(),
                None => {
                    let found = provider
                        .caller_identity()
                        .map_err(|source| CliError::Aws {
                            action: format!(
                                "cannot find the current account for the assets of {} \
                                 (sts:GetCallerIdentity)",
                                path.display()
                            ),
                            source,
                        })?
                        .account;
                    account.get_or_init(|| found).clone()
                }
            };
            Ok(ResolvedEnv::new(account, region))
        };
        let selection = (!selectors.is_empty()).then_some(selectors.as_slice());
        let uploaded = with_console(out, err, console, |printer| {
            publish_manifest(&ctx, &label, path, selection, &env_of, &printer)
        })??;
        writeln!(err, "{label}: {uploaded} object(s) uploaded")?;
        Ok(0)
    }
}
