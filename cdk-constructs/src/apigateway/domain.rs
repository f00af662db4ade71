//! Custom domain names (`AWS::ApiGateway::DomainName`) and their base path mappings, with
//! certificates from Certificate Manager, as aws-cdk-lib's `DomainName` and `BasePathMapping`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use cdk_core::{IConstruct, Names, Node, Str};

use super::deployment::Stage;
use super::{
    CfnBasePathMapping, CfnBasePathMappingProps, CfnDomainName, CfnDomainNameProps, EndpointType,
    RestApi,
};
use crate::certificatemanager::ICertificate;

/// A custom domain: created ([`DomainName`]) or imported ([`ImportedDomainName`]).
pub trait IDomainName: IConstruct {
    /// The domain name.
    fn domain_name(&self) -> Str;
    /// The host name to alias the domain to.
    fn domain_name_alias_domain_name(&self) -> Str;
    /// The Route 53 hosted zone of that alias target.
    fn domain_name_alias_hosted_zone_id(&self) -> Str;
}

/// What an imported domain is known by ([`DomainName::from_domain_name_attributes`]).
#[derive(Clone, Debug, Default)]
pub struct DomainNameAttributes {
    /// The domain name.
    pub domain_name: Str,
    /// The alias target's host name.
    pub domain_name_alias_target: Str,
    /// The alias target's hosted zone.
    pub domain_name_alias_hosted_zone_id: Str,
}

/// A custom domain defined elsewhere.
#[derive(Clone)]
pub struct ImportedDomainName {
    node: Node,
    attributes: DomainNameAttributes,
}

impl IConstruct for ImportedDomainName {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl IDomainName for ImportedDomainName {
    fn domain_name(&self) -> Str {
        self.attributes.domain_name.clone()
    }
    fn domain_name_alias_domain_name(&self) -> Str {
        self.attributes.domain_name_alias_target.clone()
    }
    fn domain_name_alias_hosted_zone_id(&self) -> Str {
        self.attributes.domain_name_alias_hosted_zone_id.clone()
    }
}

impl IDomainName for DomainName {
    fn domain_name(&self) -> Str {
        DomainName::domain_name(self)
    }
    fn domain_name_alias_domain_name(&self) -> Str {
        DomainName::domain_name_alias_domain_name(self)
    }
    fn domain_name_alias_hosted_zone_id(&self) -> Str {
        DomainName::domain_name_alias_hosted_zone_id(self)
    }
}

/// The TLS versions and ciphers a custom domain accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecurityPolicy {
    /// `TLS_1_0`
    Tls10,
    /// `TLS_1_2`
    Tls12,
    /// Another policy name (e.g. an enhanced `SecurityPolicy_…` one).
    Other(String),
}

impl SecurityPolicy {
    /// The CloudFormation value.
    pub fn name(&self) -> &str {
        match self {
            SecurityPolicy::Tls10 => "TLS_1_0",
            SecurityPolicy::Tls12 => "TLS_1_2",
            SecurityPolicy::Other(s) => s,
        }
    }
}

/// Options of a custom domain ([`RestApi::add_domain_name`], [`DomainNameProps`]).
#[derive(Clone)]
pub struct DomainNameOptions {
    /// The domain (`api.example.com`; lower case).
    pub domain_name: Str,
    /// Its certificate (in us-east-1 for edge-optimized domains).
    pub certificate: Rc<dyn ICertificate>,
    /// Regional (the default) or edge-optimized.
    pub endpoint_type: Option<EndpointType>,
    /// TLS policy.
    pub security_policy: Option<SecurityPolicy>,
    /// The base path of the mapping to the API (default: none, the domain root).
    pub base_path: Option<String>,
}

impl DomainNameOptions {
    /// Options for `domain_name` with `certificate`, defaults elsewhere.
    pub fn new(
        domain_name: impl Into<Str>,
        certificate: &(impl ICertificate + Clone + 'static),
    ) -> Self {
        DomainNameOptions {
            domain_name: domain_name.into(),
            certificate: Rc::new(certificate.clone()),
            endpoint_type: None,
            security_policy: None,
            base_path: None,
        }
    }
}

/// Properties of a [`DomainName`]: its options and, optionally, the API the domain maps to.
#[derive(Clone)]
pub struct DomainNameProps {
    /// Domain, certificate, endpoint type, ...
    pub options: DomainNameOptions,
    /// Map the domain (at `base_path`) to this API's deployment stage.
    pub mapping: Option<RestApi>,
}

/// A custom domain name for REST APIs.
///
/// ```
/// # use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::apigateway::{DomainNameOptions, MockIntegration, MethodOptions, RestApi, RestApiProps};
/// use cdk_constructs::certificatemanager::Certificate;
/// # let app = App::new();
/// # let stack = Stack::new(&app, "S", StackProps::default());
/// let cert = Certificate::from_certificate_arn(&stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc");
/// let api = RestApi::new(&stack, "Api", RestApiProps::default());
/// api.root().add_method("GET", MockIntegration::default(), MethodOptions::default());
/// let domain = api.add_domain_name("Domain", DomainNameOptions::new("api.example.com", &cert));
/// assert!(domain.domain_name_alias_domain_name().is_token());
/// ```
#[derive(Clone)]
pub struct DomainName {
    node: Node,
    resource: CfnDomainName,
    endpoint_type: EndpointType,
    base_paths: Rc<RefCell<BTreeSet<Option<String>>>>,
}

impl IConstruct for DomainName {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl DomainName {
    /// Defines custom domain `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: DomainNameProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.apigateway.DomainName");
        let o = &props.options;
        let endpoint_type = o.endpoint_type.unwrap_or(EndpointType::Regional);
        if endpoint_type == EndpointType::Private {
            node.add_error("a custom domain name's endpoint type must be REGIONAL or EDGE");
        }
        let edge = endpoint_type == EndpointType::Edge;
        if let Some(name) = o.domain_name.literal() {
            if name.chars().any(|c| c.is_ascii_uppercase()) {
                scope.node().add_error(&format!(
                    "Domain name does not support uppercase letters. Got: {name}"
                ));
            }
        }
        if let Some(SecurityPolicy::Other(p)) = &o.security_policy {
            if p.starts_with("SecurityPolicy_") {
                node.add_error("Enhanced security policies require endpointAccessMode, which rcdk's DomainName does not support yet; use TLS_1_0 or TLS_1_2");
            }
        }
        let cert = o.certificate.certificate_arn();
        let resource = CfnDomainName::new(
            &node,
            "Resource",
            CfnDomainNameProps {
                domain_name: Some(o.domain_name.clone()),
                certificate_arn: edge.then(|| cert.clone()),
                regional_certificate_arn: (!edge).then(|| cert.clone()),
                endpoint_configuration: Some(
                    super::cfn_domain_name::EndpointConfigurationProperty {
                        types: Some(vec![Str::from(endpoint_type.name())].into()),
                        ..Default::default()
                    },
                ),
                security_policy: o.security_policy.as_ref().map(|p| Str::from(p.name())),
                ..Default::default()
            },
        );
        let domain = DomainName {
            node,
            resource,
            endpoint_type,
            base_paths: Rc::default(),
        };
        if let Some(api) = &props.mapping {
            domain.add_base_path_mapping(
                api,
                BasePathMappingOptions {
                    base_path: o.base_path.clone(),
                    ..Default::default()
                },
            );
        }
        domain
    }

    /// A domain defined elsewhere (aws-cdk-lib `fromDomainNameAttributes`).
    pub fn from_domain_name_attributes(
        scope: &impl IConstruct,
        id: &str,
        attributes: DomainNameAttributes,
    ) -> ImportedDomainName {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.apigateway.ImportedDomainName");
        ImportedDomainName { node, attributes }
    }

    /// The domain name (`Ref`).
    pub fn domain_name(&self) -> Str {
        self.resource.ref_()
    }

    /// The host name to alias the domain to (the CloudFront distribution for edge-optimized
    /// domains, else the regional domain name).
    pub fn domain_name_alias_domain_name(&self) -> Str {
        if self.endpoint_type == EndpointType::Edge {
            self.resource.attr_distribution_domain_name()
        } else {
            self.resource.attr_regional_domain_name()
        }
    }

    /// The Route 53 hosted zone of that alias target.
    pub fn domain_name_alias_hosted_zone_id(&self) -> Str {
        if self.endpoint_type == EndpointType::Edge {
            self.resource.attr_distribution_hosted_zone_id()
        } else {
            self.resource.attr_regional_hosted_zone_id()
        }
    }

    /// Maps `base_path` (default: the root) of the domain to `api`'s deployment stage (or
    /// `options.stage`), as aws-cdk-lib's `addBasePathMapping` (construct ID
    /// `Map:<path or />=><api unique ID>`).
    pub fn add_base_path_mapping(
        &self,
        api: &RestApi,
        options: BasePathMappingOptions,
    ) -> BasePathMapping {
        if !self
            .base_paths
            .borrow_mut()
            .insert(options.base_path.clone())
        {
            self.node.add_error(&format!(
                "DomainName {} already has a mapping for path {}",
                self.node.id(),
                options.base_path.as_deref().unwrap_or("undefined")
            ));
        }
        if options
            .base_path
            .as_deref()
            .is_some_and(|p| p.split('/').filter(|x| !x.is_empty()).count() >= 2)
        {
            self.node.add_error(
                "BasePathMapping does not support multi-level paths. Use \"addApiMapping instead.",
            );
        }
        let id = format!(
            "Map:{}=>{}",
            options
                .base_path
                .as_deref()
                .filter(|p| !p.is_empty())
                .unwrap_or("/"),
            Names::unique_id(api)
        )
        // The constructs library turns the path separator of an ID into `--`.
        .replace('/', "--");
        BasePathMapping::new(
            &self.node,
            &id,
            BasePathMappingProps {
                domain_name: Rc::new(self.clone()),
                rest_api: api.clone(),
                options,
            },
        )
    }

    /// The underlying `AWS::ApiGateway::DomainName`.
    pub fn cfn(&self) -> &CfnDomainName {
        &self.resource
    }
}

/// Options of a base path mapping.
#[derive(Clone, Default)]
pub struct BasePathMappingOptions {
    /// The base path (no leading or trailing `/`; default: the domain root).
    pub base_path: Option<String>,
    /// The stage (default: the API's deployment stage).
    pub stage: Option<Stage>,
    /// Map to the API's deployment stage when `stage` is not given (default `true`).
    pub attach_to_stage: Option<bool>,
}

/// Properties of a [`BasePathMapping`].
#[derive(Clone)]
pub struct BasePathMappingProps {
    /// The domain.
    pub domain_name: Rc<dyn IDomainName>,
    /// The API.
    pub rest_api: RestApi,
    /// Path and stage.
    pub options: BasePathMappingOptions,
}

/// A base path mapping (`AWS::ApiGateway::BasePathMapping`) of a custom domain to an API stage.
#[derive(Clone)]
pub struct BasePathMapping {
    node: Node,
    resource: CfnBasePathMapping,
}

impl IConstruct for BasePathMapping {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl BasePathMapping {
    /// Defines mapping `id` under `scope` (prefer [`DomainName::add_base_path_mapping`]).
    pub fn new(scope: &impl IConstruct, id: &str, props: BasePathMappingProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.apigateway.BasePathMapping");
        if let Some(path) = props.options.base_path.as_deref() {
            if path.starts_with('/') || path.ends_with('/') {
                scope.node().add_error(&format!(
                    "A base path cannot start or end with /\", received: {path}"
                ));
            }
            if path.contains("//") {
                scope.node().add_error(&format!(
                    "A base path cannot have more than one consecutive /\", received: {path}"
                ));
            }
            if !path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "$_.+!*'()-/".contains(c))
            {
                scope.node().add_error(&format!("A base path may only contain letters, numbers, and one of \"$-_.+!*'()/\", received: {path}"));
            }
        }
        let stage = props.options.stage.clone().or_else(|| {
            props
                .options
                .attach_to_stage
                .unwrap_or(true)
                .then(|| props.rest_api.deployment_stage().cloned())
                .flatten()
        });
        let resource = CfnBasePathMapping::new(
            &node,
            "Resource",
            CfnBasePathMappingProps {
                base_path: props.options.base_path.as_deref().map(Str::from),
                rest_api_id: Some(props.rest_api.rest_api_id()),
                stage: stage.as_ref().map(Stage::stage_name),
                ..CfnBasePathMappingProps::new(props.domain_name.domain_name())
            },
        );
        BasePathMapping { node, resource }
    }

    /// The underlying `AWS::ApiGateway::BasePathMapping`.
    pub fn cfn(&self) -> &CfnBasePathMapping {
        &self.resource
    }
}
