//! IAM OpenID Connect identity providers as the native `AWS::IAM::OIDCProvider` resource
//! (aws-cdk-lib's `OidcProviderNative`). aws-cdk-lib's older `OpenIdConnectProvider` (a
//! custom resource backed by a provider Lambda) is not part of rcdk.

use crate::generated::iam::{CfnOIDCProvider, CfnOIDCProviderProps};
use cdk_core::{arn, IConstruct, Node, RemovalPolicy, Resource, ResourceProps, Str, StrList};

/// An OIDC identity provider: created ([`OidcProviderNative`]) or imported
/// ([`OidcProviderNative::from_oidc_provider_arn`]).
pub trait IOidcProvider {
    /// The provider's ARN.
    fn oidc_provider_arn(&self) -> Str;
    /// The issuer: the provider's URL without `https://` (the ARN's resource name).
    fn oidc_provider_issuer(&self) -> Str;
}

/// Properties of an [`OidcProviderNative`].
#[derive(Clone, Debug, Default)]
pub struct OidcProviderNativeProps {
    /// The provider's name (a physical name for references across environments; the
    /// resource has no name property, as in aws-cdk-lib).
    pub oidc_provider_name: Option<String>,
    /// The issuer URL (`https://…`, at most 255 characters).
    pub url: Str,
    /// Client IDs (audiences), at most 100 (default: none).
    pub client_ids: Vec<Str>,
    /// Server certificate thumbprints (40 hex characters each, at most 5; default: none,
    /// IAM then trusts the provider's certificate authority).
    pub thumbprints: Vec<Str>,
    /// What happens to the provider when it leaves the stack (default: CloudFormation's,
    /// delete).
    pub removal_policy: Option<RemovalPolicy>,
}

/// An `AWS::IAM::OIDCProvider` (aws-cdk-lib's `OidcProviderNative`): who may federate into
/// this account with web identity tokens. Trust it with
/// [`super::OpenIdConnectPrincipal`] (the GitHub Actions example there).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::iam::{IOidcProvider, OidcProviderNative, OidcProviderNativeProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let eks = OidcProviderNative::new(&stack, "Provider", OidcProviderNativeProps {
///     url: "https://oidc.eks.us-east-1.amazonaws.com/id/test1".into(),
///     thumbprints: vec!["aa00aa1122aa00aa1122aa00aa1122aa00aa1122".into()],
///     ..Default::default()
/// });
/// let _issuer = eks.oidc_provider_issuer(); // oidc.eks.us-east-1.amazonaws.com/id/test1
/// ```
#[derive(Clone)]
pub struct OidcProviderNative {
    base: Resource,
    resource: CfnOIDCProvider,
}

impl IConstruct for OidcProviderNative {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

fn check(props: &OidcProviderNativeProps) -> Result<(), String> {
    if let Some(url) = props.url.literal() {
        if !url.starts_with("https://") {
            return Err("The URL of the identity provider must start with https://".into());
        }
        if url.chars().count() > 255 {
            return Err("The maximum length allowed for url is 255 characters".into());
        }
    }
    if props.client_ids.len() > 100 {
        return Err("The maximum number of clients that can be registered is 100".into());
    }
    if props
        .client_ids
        .iter()
        .any(|c| c.literal().is_some_and(|c| c.chars().count() > 255))
    {
        return Err("The maximum length of a client ID is 255 characters".into());
    }
    if props.thumbprints.len() > 5 {
        return Err("The maximum number of thumbprints is 5".into());
    }
    let literals: Vec<&str> = props.thumbprints.iter().filter_map(Str::literal).collect();
    if literals.iter().any(|t| t.chars().count() != 40) {
        return Err("The length of a thumbprint must be 40 characters".into());
    }
    if literals
        .iter()
        .any(|t| !t.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err("All thumbprints must be in hexadecimal format".into());
    }
    Ok(())
}

impl OidcProviderNative {
    /// Defines the provider. Invalid literal props (URL not `https://`, too long, too many
    /// client IDs or thumbprints, thumbprints not 40 hex characters) are synth errors on the
    /// provider, with aws-cdk-lib's messages.
    pub fn new(scope: &impl IConstruct, id: &str, props: OidcProviderNativeProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.iam.OidcProviderNative",
            ResourceProps {
                physical_name: props
                    .oidc_provider_name
                    .as_deref()
                    .map(cdk_core::PhysicalName::from),
                ..Default::default()
            },
        );
        if let Err(e) = check(&props) {
            base.node().add_error(&e);
        }
        let list = |items: &[Str]| (!items.is_empty()).then(|| StrList::from(items.to_vec()));
        let resource = CfnOIDCProvider::new(
            &base,
            "Resource",
            CfnOIDCProviderProps {
                client_id_list: list(&props.client_ids),
                tags: None,
                thumbprint_list: list(&props.thumbprints),
                url: Some(props.url.clone()),
            },
        );
        if let Some(policy) = props.removal_policy {
            resource.resource().apply_removal_policy(policy);
        }
        OidcProviderNative { base, resource }
    }

    /// An existing provider by ARN (`arn:aws:iam::123456789012:oidc-provider/<issuer>`).
    pub fn from_oidc_provider_arn(
        scope: &impl IConstruct,
        id: &str,
        oidc_provider_arn: impl Into<Str>,
    ) -> ImportedOidcProvider {
        let arn = oidc_provider_arn.into();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.iam.ImportedOidcProvider",
            ResourceProps::default(),
        );
        ImportedOidcProvider {
            node: base.node().clone(),
            issuer: arn::extract_resource_name(&arn, "oidc-provider"),
            arn,
        }
    }

    /// The underlying `AWS::IAM::OIDCProvider`.
    pub fn cfn(&self) -> &CfnOIDCProvider {
        &self.resource
    }
}

impl IOidcProvider for OidcProviderNative {
    fn oidc_provider_arn(&self) -> Str {
        self.resource.ref_()
    }

    fn oidc_provider_issuer(&self) -> Str {
        arn::extract_resource_name(&self.resource.ref_(), "oidc-provider")
    }
}

/// An OIDC provider defined outside this app.
#[derive(Clone)]
pub struct ImportedOidcProvider {
    node: Node,
    arn: Str,
    issuer: Str,
}

impl IConstruct for ImportedOidcProvider {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl IOidcProvider for ImportedOidcProvider {
    fn oidc_provider_arn(&self) -> Str {
        self.arn.clone()
    }

    fn oidc_provider_issuer(&self) -> Str {
        self.issuer.clone()
    }
}
