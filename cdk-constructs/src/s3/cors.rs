//! CORS rules of a bucket (aws-cdk-lib's `CorsRule` and `HttpMethods`), rendered into
//! `CorsConfiguration.CorsRules`.

use cdk_core::Value;

/// An HTTP method a CORS rule allows (aws-cdk-lib's `HttpMethods`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethods {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `HEAD`.
    Head,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
}

impl HttpMethods {
    /// The CloudFormation value (`GET`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethods::Get => "GET",
            HttpMethods::Put => "PUT",
            HttpMethods::Head => "HEAD",
            HttpMethods::Post => "POST",
            HttpMethods::Delete => "DELETE",
        }
    }
}

/// One cross-origin rule (aws-cdk-lib's `CorsRule`).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::s3::{Bucket, BucketProps, CorsRule, HttpMethods};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Site", StackProps::default());
/// let bucket = Bucket::new(&stack, "Assets", BucketProps {
///     cors: vec![CorsRule::new([HttpMethods::Get, HttpMethods::Head], ["https://example.com"])],
///     ..Default::default()
/// });
/// bucket.add_cors_rule(CorsRule {
///     max_age: Some(3000),
///     ..CorsRule::new([HttpMethods::Put], ["*"])
/// });
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorsRule {
    /// The rule's ID.
    pub id: Option<String>,
    /// How long (seconds) a browser may cache the preflight response.
    pub max_age: Option<u64>,
    /// Headers allowed in a preflight request.
    pub allowed_headers: Vec<String>,
    /// The methods allowed.
    pub allowed_methods: Vec<HttpMethods>,
    /// The origins allowed (`*` for any).
    pub allowed_origins: Vec<String>,
    /// Response headers a browser may read.
    pub exposed_headers: Vec<String>,
}

impl CorsRule {
    /// A rule allowing `methods` from `origins`.
    pub fn new<S: Into<String>>(
        methods: impl IntoIterator<Item = HttpMethods>,
        origins: impl IntoIterator<Item = S>,
    ) -> Self {
        CorsRule {
            allowed_methods: methods.into_iter().collect(),
            allowed_origins: origins.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }

    /// The rule as aws-cdk-lib renders it.
    pub fn render(&self) -> Value {
        let strings = |v: &[String]| Value::List(v.iter().map(|s| s.as_str().into()).collect());
        let mut out: Vec<(&str, Value)> = Vec::new();
        if let Some(id) = &self.id {
            out.push(("Id", id.as_str().into()));
        }
        if let Some(m) = self.max_age {
            out.push(("MaxAge", m.into()));
        }
        if !self.allowed_headers.is_empty() {
            out.push(("AllowedHeaders", strings(&self.allowed_headers)));
        }
        out.push((
            "AllowedMethods",
            Value::List(
                self.allowed_methods
                    .iter()
                    .map(|m| m.as_str().into())
                    .collect(),
            ),
        ));
        out.push(("AllowedOrigins", strings(&self.allowed_origins)));
        if !self.exposed_headers.is_empty() {
            out.push(("ExposedHeaders", strings(&self.exposed_headers)));
        }
        Value::object(out)
    }
}
