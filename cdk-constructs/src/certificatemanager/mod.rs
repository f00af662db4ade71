//! Certificate Manager: certificates issued elsewhere, imported by ARN for the constructs that
//! need one (API Gateway custom domains), as aws-cdk-lib's `Certificate.fromCertificateArn`.
//! Requesting certificates (`Certificate`, DNS validation) is not supported yet.
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::certificatemanager::{Certificate, ICertificate};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps::default());
//! let cert = Certificate::from_certificate_arn(
//!     &stack,
//!     "Cert",
//!     "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
//! );
//! assert_eq!(cert.certificate_arn().literal(), Some("arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"));
//! ```

use cdk_core::{IConstruct, Node, Resource, ResourceEnvironment, ResourceProps, Str};

/// A certificate: its ARN (aws-cdk-lib `ICertificate`).
pub trait ICertificate: IConstruct {
    /// The certificate's ARN.
    fn certificate_arn(&self) -> Str;
    /// Where the certificate lives (from its ARN when literal).
    fn env(&self) -> ResourceEnvironment;
}

/// aws-cdk-lib's `Certificate`; only imports are supported.
pub struct Certificate;

impl Certificate {
    /// An existing certificate by ARN (aws-cdk-lib `fromCertificateArn`); a literal ARN must
    /// be an ACM certificate ARN.
    pub fn from_certificate_arn(
        scope: &impl IConstruct,
        id: &str,
        certificate_arn: impl Into<Str>,
    ) -> ImportedCertificate {
        let arn = certificate_arn.into();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.certificatemanager.ImportedCertificate",
            ResourceProps {
                environment_from_arn: Some(arn.clone()),
                ..Default::default()
            },
        );
        if let Some(text) = arn.literal() {
            let parts: Vec<&str> = text.splitn(6, ':').collect();
            if parts.len() != 6
                || parts[0] != "arn"
                || parts[2] != "acm"
                || !parts[5].starts_with("certificate/")
            {
                base.node().add_error(&format!(
                    "'{text}' is not an ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>)"
                ));
            }
        }
        ImportedCertificate { base, arn }
    }
}

/// A certificate defined outside this app ([`Certificate::from_certificate_arn`]).
#[derive(Clone)]
pub struct ImportedCertificate {
    base: Resource,
    arn: Str,
}

impl IConstruct for ImportedCertificate {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl ICertificate for ImportedCertificate {
    fn certificate_arn(&self) -> Str {
        self.arn.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::certificatemanager::*;
