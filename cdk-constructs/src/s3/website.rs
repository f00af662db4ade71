//! Static website hosting of a bucket (aws-cdk-lib's `websiteIndexDocument`,
//! `websiteErrorDocument`, `websiteRedirect`, `websiteRoutingRules`), rendered into
//! `WebsiteConfiguration` with aws-cdk-lib's validation errors.

use cdk_core::Value;

/// The protocol of a redirect (aws-cdk-lib's `RedirectProtocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectProtocol {
    /// `http`.
    Http,
    /// `https`.
    Https,
}

impl RedirectProtocol {
    /// The CloudFormation value.
    pub fn as_str(self) -> &'static str {
        match self {
            RedirectProtocol::Http => "http",
            RedirectProtocol::Https => "https",
        }
    }
}

/// Where every request is redirected to (aws-cdk-lib's `RedirectTarget`).
#[derive(Clone, Debug, PartialEq)]
pub struct RedirectTarget {
    /// The host name.
    pub host_name: String,
    /// The protocol (default: the original request's).
    pub protocol: Option<RedirectProtocol>,
}

/// How a routing rule rewrites the key (aws-cdk-lib's `ReplaceKey`).
#[derive(Clone, Debug, PartialEq)]
pub enum ReplaceKey {
    /// Replace the whole key (`ReplaceKeyWith`).
    With(String),
    /// Replace the matched prefix (`ReplaceKeyPrefixWith`).
    PrefixWith(String),
}

/// When a routing rule applies (aws-cdk-lib's `RoutingRuleCondition`; at least one field).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoutingRuleCondition {
    /// The HTTP error code returned (e.g. `404`).
    pub http_error_code_returned_equals: Option<String>,
    /// The key prefix requested.
    pub key_prefix_equals: Option<String>,
}

/// A redirect rule of a website bucket (aws-cdk-lib's `RoutingRule`).
///
/// ```
/// use cdk_core::{App, RemovalPolicy, Stack, StackProps};
/// use cdk_constructs::s3::{
///     Bucket, BucketProps, RedirectProtocol, ReplaceKey, RoutingRule, RoutingRuleCondition,
/// };
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Site", StackProps::default());
/// let site = Bucket::new(&stack, "Site", BucketProps {
///     website_index_document: Some("index.html".into()),
///     website_error_document: Some("404.html".into()),
///     website_routing_rules: vec![RoutingRule {
///         condition: Some(RoutingRuleCondition {
///             key_prefix_equals: Some("docs/".into()),
///             ..Default::default()
///         }),
///         replace_key: Some(ReplaceKey::PrefixWith("documents/".into())),
///         protocol: Some(RedirectProtocol::Https),
///         ..Default::default()
///     }],
///     removal_policy: Some(RemovalPolicy::Destroy),
///     ..Default::default()
/// });
/// assert!(site.is_website());
/// let _url = site.bucket_website_url(); // {"Fn::GetAtt": [..., "WebsiteURL"]}
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoutingRule {
    /// Host to redirect to.
    pub host_name: Option<String>,
    /// The HTTP redirect code (e.g. `301`).
    pub http_redirect_code: Option<String>,
    /// The protocol to redirect with.
    pub protocol: Option<RedirectProtocol>,
    /// How the key is rewritten.
    pub replace_key: Option<ReplaceKey>,
    /// When the rule applies (default: always).
    pub condition: Option<RoutingRuleCondition>,
}

/// The website settings of [`BucketProps`](super::BucketProps), rendered as aws-cdk-lib's
/// `renderWebsiteConfiguration`; `Ok(None)` when no website setting is given.
pub(crate) fn render_website_configuration(
    index_document: Option<&str>,
    error_document: Option<&str>,
    redirect: Option<&RedirectTarget>,
    routing_rules: &[RoutingRule],
) -> Result<Option<Value>, String> {
    if index_document.is_none()
        && error_document.is_none()
        && redirect.is_none()
        && routing_rules.is_empty()
    {
        return Ok(None);
    }
    if error_document.is_some() && index_document.is_none() {
        return Err(
            "\"websiteIndexDocument\" is required if \"websiteErrorDocument\" is set".into(),
        );
    }
    if redirect.is_some()
        && (error_document.is_some() || index_document.is_some() || !routing_rules.is_empty())
    {
        return Err("\"websiteIndexDocument\", \"websiteErrorDocument\" and, \"websiteRoutingRules\" cannot be set if \"websiteRedirect\" is used".into());
    }
    let mut rules = Vec::new();
    for rule in routing_rules {
        let mut redirect_rule: Vec<(&str, Value)> = Vec::new();
        if let Some(h) = &rule.host_name {
            redirect_rule.push(("HostName", h.as_str().into()));
        }
        if let Some(c) = &rule.http_redirect_code {
            redirect_rule.push(("HttpRedirectCode", c.as_str().into()));
        }
        if let Some(p) = rule.protocol {
            redirect_rule.push(("Protocol", p.as_str().into()));
        }
        match &rule.replace_key {
            Some(ReplaceKey::With(k)) => redirect_rule.push(("ReplaceKeyWith", k.as_str().into())),
            Some(ReplaceKey::PrefixWith(k)) => {
                redirect_rule.push(("ReplaceKeyPrefixWith", k.as_str().into()))
            }
            None => {}
        }
        let mut out: Vec<(&str, Value)> = vec![("RedirectRule", Value::object(redirect_rule))];
        if let Some(c) = &rule.condition {
            if c.http_error_code_returned_equals.is_none() && c.key_prefix_equals.is_none() {
                return Err("The condition property cannot be an empty object".into());
            }
            let mut cond: Vec<(&str, Value)> = Vec::new();
            if let Some(v) = &c.http_error_code_returned_equals {
                cond.push(("HttpErrorCodeReturnedEquals", v.as_str().into()));
            }
            if let Some(v) = &c.key_prefix_equals {
                cond.push(("KeyPrefixEquals", v.as_str().into()));
            }
            out.push(("RoutingRuleCondition", Value::object(cond)));
        }
        rules.push(Value::object(out));
    }
    let mut config: Vec<(&str, Value)> = Vec::new();
    if let Some(i) = index_document {
        config.push(("IndexDocument", i.into()));
    }
    if let Some(e) = error_document {
        config.push(("ErrorDocument", e.into()));
    }
    if let Some(r) = redirect {
        let mut target: Vec<(&str, Value)> = vec![("HostName", r.host_name.as_str().into())];
        if let Some(p) = r.protocol {
            target.push(("Protocol", p.as_str().into()));
        }
        config.push(("RedirectAllRequestsTo", Value::object(target)));
    }
    if !rules.is_empty() {
        config.push(("RoutingRules", Value::List(rules)));
    }
    Ok(Some(Value::object(config)))
}
