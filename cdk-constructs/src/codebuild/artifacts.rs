//! Where a project's build output goes ([`Artifacts`]): S3, CodePipeline, or nowhere.

use std::rc::Rc;

use cdk_core::Str;

use super::cfn_project;
use crate::iam::IRole;
use crate::s3::IBucket;

/// Properties of S3 artifacts ([`Artifacts::s3`]).
#[derive(Clone)]
pub struct S3ArtifactsProps {
    /// The bucket (the role may read and write it).
    pub bucket: Rc<dyn IBucket>,
    /// A path in the bucket.
    pub path: Option<String>,
    /// The artifact's name (default: the build spec's `artifacts.name`, `OverrideArtifactName`).
    pub name: Option<String>,
    /// Put the build ID in the path (default true).
    pub include_build_id: Option<bool>,
    /// Zip the output (default true).
    pub package_zip: Option<bool>,
    /// Encrypt the output (default true).
    pub encryption: Option<bool>,
    /// Identifier, required for a secondary artifact.
    pub identifier: Option<String>,
}

#[derive(Clone)]
enum ArtifactsKind {
    None,
    CodePipeline,
    S3(S3ArtifactsProps),
}

/// The output of a project (aws-cdk-lib's `Artifacts`).
#[derive(Clone)]
pub struct Artifacts {
    kind: ArtifactsKind,
}

impl Artifacts {
    /// No artifacts (`NO_ARTIFACTS`).
    pub fn none() -> Self {
        Artifacts {
            kind: ArtifactsKind::None,
        }
    }

    /// Output artifacts of a CodePipeline action.
    pub fn code_pipeline() -> Self {
        Artifacts {
            kind: ArtifactsKind::CodePipeline,
        }
    }

    /// An S3 bucket.
    pub fn s3(props: S3ArtifactsProps) -> Self {
        Artifacts {
            kind: ArtifactsKind::S3(props),
        }
    }

    /// The CloudFormation artifacts type.
    pub fn artifacts_type(&self) -> &'static str {
        match &self.kind {
            ArtifactsKind::None => "NO_ARTIFACTS",
            ArtifactsKind::CodePipeline => "CODEPIPELINE",
            ArtifactsKind::S3(_) => "S3",
        }
    }

    /// The identifier (secondary artifacts need one).
    pub fn identifier(&self) -> Option<&str> {
        match &self.kind {
            ArtifactsKind::S3(p) => p.identifier.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn bind(&self, role: &dyn IRole) -> cfn_project::ArtifactsProperty {
        let mut prop = cfn_project::ArtifactsProperty::new(self.artifacts_type());
        prop.artifact_identifier = self.identifier().map(Str::from);
        if let ArtifactsKind::S3(p) = &self.kind {
            p.bucket.grant_read_write(role);
            prop.location = Some(p.bucket.bucket_name());
            prop.path = p.path.clone().map(Str::from);
            prop.namespace_type = Some(
                if p.include_build_id == Some(false) {
                    "NONE"
                } else {
                    "BUILD_ID"
                }
                .into(),
            );
            prop.name = p.name.clone().map(Str::from);
            prop.packaging = Some(
                if p.package_zip == Some(false) {
                    "NONE"
                } else {
                    "ZIP"
                }
                .into(),
            );
            if p.encryption == Some(false) {
                prop.encryption_disabled = Some(true.into());
            }
            if p.name.is_none() {
                prop.override_artifact_name = Some(true.into());
            }
        }
        prop
    }
}

impl Default for Artifacts {
    fn default() -> Self {
        Artifacts::none()
    }
}
